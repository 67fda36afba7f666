"""``torch.fft``: discrete Fourier transforms (forward only; no gradient yet)."""

from __future__ import annotations

from ._array import np
from ._core.tensor import _wrap

__all__ = ["fft", "ifft"]


def fft(x, n=None, dim=-1, norm=None):
    """The 1-D discrete Fourier transform along ``dim``."""
    return _wrap(np.fft.fft(x._data, n, dim, norm=norm).astype(np.complex64))


def ifft(x, n=None, dim=-1, norm=None):
    """The inverse 1-D discrete Fourier transform along ``dim``."""
    return _wrap(np.fft.ifft(x._data, n, dim, norm=norm).astype(np.complex64))
