"""torchvision.transforms on ember: the transform classes, and the functions in ``transforms.functional``."""

from . import functional
from .transforms import *  # noqa: F403
from .transforms import __all__ as _classes

__all__ = ["functional", *_classes]
