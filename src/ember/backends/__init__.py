"""``torch.backends``: the switches of PyTorch's compute libraries, as its CPU build reports them.

ember computes with NumPy, so these flags change nothing here; they exist with PyTorch's values so that code
which reads or sets them (``torch.backends.cudnn.benchmark = True``, ``torch.backends.mps.is_available()``)
runs unchanged. Each submodule is a real module (``from torch.backends import cudnn``)."""

from __future__ import annotations

from . import cpu, cuda, cudnn, mkl, mkldnn, mps, openmp, opt_einsum

__all__ = ["cpu", "cuda", "cudnn", "mkl", "mkldnn", "mps", "openmp", "opt_einsum", "fp32_precision",
           "disable_global_flags", "flags_frozen"]

fp32_precision = "none"
_frozen = [False]


def disable_global_flags() -> None:
    """After this, setting a backend flag globally is refused in PyTorch; ember only records it."""
    _frozen[0] = True


def flags_frozen() -> bool:
    return _frozen[0]
