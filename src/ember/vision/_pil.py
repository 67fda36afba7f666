"""Pillow, imported when an image is first needed: ember.vision itself imports without it."""

from __future__ import annotations

import sys

import numpy as np

__all__ = ["pil_image", "is_pil_image"]

INSTALL_HINT = "ember.vision needs Pillow for images: pip install 'ember[vision]' (or pip install pillow)"


def pil_image():
    """The ``PIL.Image`` module, or a ModuleNotFoundError saying how to install it."""
    try:
        from PIL import Image
    except ModuleNotFoundError as exc:
        raise ModuleNotFoundError(INSTALL_HINT, name="PIL") from exc
    return Image


def is_pil_image(obj) -> bool:
    """isinstance(obj, PIL.Image.Image), without importing Pillow (no Pillow loaded: no Pillow image exists)."""
    module = sys.modules.get("PIL.Image")
    return module is not None and isinstance(obj, module.Image)


def from_array(array, mode: str):
    """A [H, W] or [H, W, C] array as a PIL image of `mode`, its bytes read in that mode's raw layout.

    (Pillow 11.3 deprecated ``Image.fromarray(array, mode)``; ``frombuffer`` with the raw mode reads the bytes as
    that call used to, which is what torchvision relies on.)
    """
    array = np.ascontiguousarray(array)
    size = (1 if array.ndim == 1 else array.shape[1], array.shape[0])
    return pil_image().frombuffer(mode, size, array.tobytes(), "raw", mode, 0, 1)
