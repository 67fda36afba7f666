"""MNIST, FashionMNIST, KMNIST: IDX files in torchvision's layout root/<ClassName>/raw/.

An IDX file is a 4-byte magic number (two zero bytes, a type code, the number of dimensions), one big-endian int32
per dimension, then the values in big-endian order. The images are uint8 [N, 28, 28], the labels uint8 [N]. The raw
files are read as they are, or gzipped (``train-images-idx3-ubyte.gz``) when only the download is there.
"""

from __future__ import annotations

import gzip
import os
import urllib.error
import warnings

import numpy as np

import ember

from .._pil import from_array
from .utils import check_integrity, download_and_extract_archive
from .vision import VisionDataset

__all__ = ["MNIST", "FashionMNIST", "KMNIST", "read_sn3_pascalvincent_tensor", "read_image_file",
           "read_label_file"]

# IDX type code -> big-endian NumPy dtype
_IDX_TYPES = {8: ">u1", 9: ">i1", 11: ">i2", 12: ">i4", 13: ">f4", 14: ">f8"}


def _read_bytes(path: str) -> bytes:
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        return f.read()


def read_sn3_pascalvincent_tensor(path: str, strict: bool = True) -> ember.Tensor:
    """An IDX ("SN3 Pascal Vincent") file as a tensor of its shape and dtype; `path` may end in .gz."""
    data = _read_bytes(path)
    if len(data) < 4 or data[0] != 0 or data[1] != 0:
        raise ValueError(f"{path} is not an IDX file (its magic number does not start with two zero bytes)")
    type_code, ndim = data[2], data[3]
    if type_code not in _IDX_TYPES or not 1 <= ndim <= 3:
        raise ValueError(f"{path}: unsupported IDX type code {type_code} or {ndim} dimensions")
    shape = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim)]
    values = np.frombuffer(data, dtype=_IDX_TYPES[type_code], offset=4 * (ndim + 1))
    if strict and values.size != int(np.prod(shape)):
        raise ValueError(f"{path}: {values.size} values for the shape {shape}")
    return ember.from_numpy(values.astype(values.dtype.newbyteorder("="))).view(*shape)


def read_label_file(path: str) -> ember.Tensor:
    x = read_sn3_pascalvincent_tensor(path, strict=False)
    if x.dtype != ember.uint8:
        raise TypeError(f"x should be of dtype torch.uint8 instead of {x.dtype}")
    if x.ndimension() != 1:
        raise ValueError(f"x should have 1 dimension instead of {x.ndimension()}")
    return x.long()


def read_image_file(path: str) -> ember.Tensor:
    x = read_sn3_pascalvincent_tensor(path, strict=False)
    if x.dtype != ember.uint8:
        raise TypeError(f"x should be of dtype torch.uint8 instead of {x.dtype}")
    if x.ndimension() != 3:
        raise ValueError(f"x should have 3 dimension instead of {x.ndimension()}")
    return x


class MNIST(VisionDataset):
    """The MNIST digits: `data` uint8 [N, 28, 28], `targets` int64 [N]; items are (PIL image 'L', int)."""

    mirrors = ["https://ossci-datasets.s3.amazonaws.com/mnist/", "http://yann.lecun.com/exdb/mnist/"]
    resources = [
        ("train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873"),
        ("train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432"),
        ("t10k-images-idx3-ubyte.gz", "9fb629c4189551a2d022fa330f9573f3"),
        ("t10k-labels-idx1-ubyte.gz", "ec29112dd5afa0611ce80d1b7f02629c"),
    ]
    training_file = "training.pt"
    test_file = "test.pt"
    classes = ["0 - zero", "1 - one", "2 - two", "3 - three", "4 - four", "5 - five", "6 - six", "7 - seven",
               "8 - eight", "9 - nine"]

    def __init__(self, root, train: bool = True, transform=None, target_transform=None,
                 download: bool = False) -> None:
        super().__init__(root, transform=transform, target_transform=target_transform)
        self.train = train
        if download:
            self.download()
        if not self._check_exists():
            raise RuntimeError("Dataset not found. You can use download=True to download it")
        self.data, self.targets = self._load_data()

    @property
    def raw_folder(self) -> str:
        return os.path.join(self.root, type(self).__name__, "raw")

    @property
    def processed_folder(self) -> str:
        return os.path.join(self.root, type(self).__name__, "processed")

    @property
    def class_to_idx(self) -> dict:
        return {name: i for i, name in enumerate(self.classes)}

    def _file(self, name: str) -> str:
        """raw/<name>, or raw/<name>.gz when only the compressed download is there."""
        path = os.path.join(self.raw_folder, name)
        return path if os.path.isfile(path) or not os.path.isfile(path + ".gz") else path + ".gz"

    def _check_exists(self) -> bool:
        return all(check_integrity(self._file(os.path.splitext(os.path.basename(f))[0]))
                   for f, _ in self.resources)

    def _load_data(self):
        split = "train" if self.train else "t10k"
        return (read_image_file(self._file(f"{split}-images-idx3-ubyte")),
                read_label_file(self._file(f"{split}-labels-idx1-ubyte")))

    def download(self) -> None:
        """Fetch the four files from the first mirror that serves them with the right MD5, and gunzip them."""
        if self._check_exists():
            return
        os.makedirs(self.raw_folder, exist_ok=True)
        for filename, md5 in self.resources:
            errors = []
            for mirror in self.mirrors:
                try:
                    download_and_extract_archive(f"{mirror}{filename}", download_root=self.raw_folder,
                                                 filename=filename, md5=md5)
                except (RuntimeError, urllib.error.URLError) as exc:
                    errors.append(exc)
                    continue
                break
            else:
                message = f"Error downloading {filename}:\n"
                for mirror, err in zip(self.mirrors, errors):
                    message += f"Tried {mirror}, got:\n{err}\n"
                raise RuntimeError(message)

    def __getitem__(self, index: int):
        img, target = self.data[index], int(self.targets[index])
        img = from_array(img.numpy(), "L")
        if self.transform is not None:
            img = self.transform(img)
        if self.target_transform is not None:
            target = self.target_transform(target)
        return img, target

    def __len__(self) -> int:
        return len(self.data)

    def extra_repr(self) -> str:
        return f"Split: {'Train' if self.train is True else 'Test'}"

    @property
    def train_labels(self):
        warnings.warn("train_labels has been renamed targets", stacklevel=2)
        return self.targets

    @property
    def test_labels(self):
        warnings.warn("test_labels has been renamed targets", stacklevel=2)
        return self.targets

    @property
    def train_data(self):
        warnings.warn("train_data has been renamed data", stacklevel=2)
        return self.data

    @property
    def test_data(self):
        warnings.warn("test_data has been renamed data", stacklevel=2)
        return self.data


class FashionMNIST(MNIST):
    """Zalando's Fashion-MNIST: ten kinds of clothing in MNIST's format."""

    mirrors = ["http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"]
    resources = [
        ("train-images-idx3-ubyte.gz", "8d4fb7e6c68d591d4c3dfef9ec88bf0d"),
        ("train-labels-idx1-ubyte.gz", "25c81989df183df01b3e8a0aad5dffbe"),
        ("t10k-images-idx3-ubyte.gz", "bef4ecab320f06d8554ea6380940ec79"),
        ("t10k-labels-idx1-ubyte.gz", "bb300cfdad3c16e7a12a480ee83cd310"),
    ]
    classes = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
               "Ankle boot"]


class KMNIST(MNIST):
    """Kuzushiji-MNIST: ten cursive Japanese characters in MNIST's format."""

    mirrors = ["http://codh.rois.ac.jp/kmnist/dataset/kmnist/"]
    resources = [
        ("train-images-idx3-ubyte.gz", "bdb82020997e1d708af4cf47b453dcf7"),
        ("train-labels-idx1-ubyte.gz", "e144d726b3acfaa3e44228e80efcd344"),
        ("t10k-images-idx3-ubyte.gz", "5c965bf0a639b31b8f53240b1b52f4d7"),
        ("t10k-labels-idx1-ubyte.gz", "7320c461ea6c1c855c0b718fb2a4b134"),
    ]
    classes = ["o", "ki", "su", "tsu", "na", "ha", "ma", "ya", "re", "wo"]
