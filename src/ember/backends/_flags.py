"""The one helper the backend submodules share: set module-level flags inside a ``with`` block."""

from __future__ import annotations

import contextlib
import sys

__all__ = ["set_flags", "Precision"]


@contextlib.contextmanager
def set_flags(module_name: str, **values):
    """Set the flags of module ``module_name`` for the duration of a ``with`` block, then restore them."""
    module = sys.modules[module_name]
    old = {k: getattr(module, k) for k in values}
    for k, v in values.items():
        setattr(module, k, v)
    try:
        yield
    finally:
        for k, v in old.items():
            setattr(module, k, v)


class Precision:
    """The fp32_precision setting of one kind of op (``torch.backends.cudnn.conv.fp32_precision``)."""

    def __init__(self, fp32_precision: str) -> None:
        self.fp32_precision = fp32_precision
