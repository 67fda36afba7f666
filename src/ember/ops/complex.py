"""Complex numbers: real, imag, angle, view_as_real, view_as_complex, polar."""

from __future__ import annotations

import math

from .._array import np
from .._core.args import _float_data
from .._core.exposure import expose
from .._core.node import Node
from .._core.record import _out
from .._core.tensor import Tensor, _wrap
from .unary import conj

__all__ = ["angle", "isreal", "view_as_real", "view_as_complex", "real", "imag", "view_as_real_copy",
           "view_as_complex_copy", "conj_physical"]



def angle(x: Tensor) -> Tensor:
    """the argument of x (π for negative reals, 0 otherwise; nan stays nan)"""
    a = x._data
    if a.dtype.kind == "c":
        return _wrap(np.angle(a))
    fa = _float_data(x)
    r = np.where(fa < 0, np.array(math.pi, dtype=fa.dtype), np.zeros((), dtype=fa.dtype))
    r = np.where(np.isnan(fa), fa, r)
    return _out(np.asarray(r), AngleBackward0, (x,))

expose(angle, method=True)


class AngleBackward0(Node):
    """angle of a real number is piecewise constant: zero gradient"""

    def backward(self, g):
        return (g * 0,)


def isreal(x: Tensor) -> Tensor:
    a = x._data
    return _wrap(np.ones(a.shape, dtype=bool) if a.dtype.kind != "c" else (a.imag == 0))

expose(isreal, method=True)


def view_as_real(x: Tensor) -> Tensor:
    if x._data.dtype.kind != "c":
        raise RuntimeError("view_as_real is only supported for complex tensors")
    return _wrap(x._data.view(x._data.real.dtype).reshape(x.shape + (2,)))

expose(view_as_real)


def view_as_complex(x: Tensor) -> Tensor:
    if x.ndim == 0 or x.shape[-1] != 2:
        raise RuntimeError("Tensor must have a last dimension of size 2")
    a = np.ascontiguousarray(x._data)
    ct = np.complex64 if a.dtype == np.float32 else np.complex128
    return _wrap(a.view(ct).reshape(x.shape[:-1]))

expose(view_as_complex)


def real(x: Tensor) -> Tensor:
    return x.real

expose(real)


def imag(x: Tensor) -> Tensor:
    return x.imag

expose(imag)


def view_as_real_copy(x: Tensor) -> Tensor:
    return view_as_real(x).clone()

expose(view_as_real_copy)


def view_as_complex_copy(x: Tensor) -> Tensor:
    return view_as_complex(x).clone()

expose(view_as_complex_copy)


def conj_physical(x: Tensor) -> Tensor:
    return conj(x)

expose(conj_physical)
