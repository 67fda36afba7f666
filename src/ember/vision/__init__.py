"""ember.vision: torchvision's API where tutorials use it (``import torchvision`` under ``python -m ember run``).

- ``datasets``: MNIST, FashionMNIST, KMNIST, CIFAR10, CIFAR100, ImageFolder, DatasetFolder, FakeData, reading the
  standard files (IDX, CIFAR's pickled batches, image folders) and downloading torchvision's URLs with their MD5s;
- ``transforms`` (and ``transforms.functional``): the classic transforms, their random draws taken from ember's
  generator with the calls torchvision makes, so a seeded pipeline crops and flips as torchvision's does;
- ``utils``: make_grid, save_image.

Images are Pillow images, as in torchvision; Pillow is the optional extra ``pip install 'ember[vision]'``.
"""

from __future__ import annotations

from . import datasets, transforms, utils

__all__ = ["datasets", "transforms", "utils", "get_image_backend", "set_image_backend", "__version__"]

__version__ = "0.28.0+ember"
_image_backend = "PIL"


def get_image_backend() -> str:
    """The name of the package used to load images ('PIL': the only one ember offers)."""
    return _image_backend


def set_image_backend(backend: str) -> None:
    """torchvision also knows 'accimage'; ember reads images with Pillow only."""
    if backend != "PIL":
        raise ValueError(f"Invalid backend '{backend}'. Options are 'PIL' and 'accimage'"
                         + ("; ember offers only 'PIL'" if backend == "accimage" else ""))
