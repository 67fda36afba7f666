"""Complex numbers: real, imag, angle, view_as_real, view_as_complex, polar."""

from __future__ import annotations

import math

from .._array import np
from .._core.args import _float_data
from .._core.exposure import expose
from .._core.messages import _long_name
from .._core.node import Node
from .._core.record import _out
from .._core.tensor import Tensor, _wrap
from .shape import _view_of, select

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


class ViewAsRealBackward0(Node):
    """y = view_as_real(z) (y[..., 0] = Re z, y[..., 1] = Im z):  dz = g[..., 0] + i g[..., 1]"""

    def backward(self, g):
        return (view_as_complex(g.contiguous()),)

    def jvp(self, t):
        return view_as_real(t)


def view_as_real(x: Tensor) -> Tensor:
    """a real view of a complex tensor, its last dim (size 2) the real and imaginary parts"""
    if x._data.dtype.kind != "c":
        raise RuntimeError("view_as_real is only supported for complex tensors")
    a = x._data
    return _view_of(x, a[..., None].view(a.real.dtype), ViewAsRealBackward0)

expose(view_as_real)


class ViewAsComplexBackward0(Node):
    """z = view_as_complex(y) (z = y[..., 0] + i y[..., 1]):  dy = view_as_real(g)"""

    def backward(self, g):
        return (view_as_real(g),)

    def jvp(self, t):
        return view_as_complex(t)


def view_as_complex(x: Tensor) -> Tensor:
    """a complex view of a real tensor whose last dim (size 2) holds the real and imaginary parts"""
    if x.ndim == 0 or x.shape[-1] != 2:
        raise RuntimeError("Tensor must have a last dimension of size 2")
    if x._data.dtype not in (np.float32, np.float64):
        raise RuntimeError("view_as_complex is only supported for float and double tensors, but got a tensor of "
                           f"scalar type: {_long_name(x.dtype)}")
    a = np.ascontiguousarray(x._data)
    ct = np.complex64 if a.dtype == np.float32 else np.complex128
    return _view_of(x, a.view(ct).reshape(x.shape[:-1]), ViewAsComplexBackward0)

expose(view_as_complex)


def real(x: Tensor) -> Tensor:
    """the real part: x itself for a real tensor; for a complex one, view_as_real(x)[..., 0] (PyTorch's
    SelectBackward0 after ViewAsRealBackward0)"""
    if x._data.dtype.kind != "c":
        return x
    return select(view_as_real(x), -1, 0)

expose(real, prop="real")


def imag(x: Tensor) -> Tensor:
    """the imaginary part of a complex tensor: view_as_real(x)[..., 1]"""
    if x._data.dtype.kind != "c":
        raise RuntimeError("imag is not implemented for tensors with non-complex dtypes.")
    return select(view_as_real(x), -1, 1)

expose(imag, prop="imag")


def view_as_real_copy(x: Tensor) -> Tensor:
    return view_as_real(x).clone()

expose(view_as_real_copy)


def view_as_complex_copy(x: Tensor) -> Tensor:
    return view_as_complex(x).clone()

expose(view_as_complex_copy)


class ConjPhysicalBackward0(Node):
    """y = x̄ (a conjugated copy):  dx = conj(g)"""

    def backward(self, g):
        return (conj_physical(g),)

    def jvp(self, t):
        return conj_physical(t)


def conj_physical(x: Tensor) -> Tensor:
    """the complex conjugate as a new tensor (x itself for a real tensor)"""
    if x._data.dtype.kind != "c":
        return x
    return _out(np.conj(x._data), ConjPhysicalBackward0, (x,))

expose(conj_physical, method=True)
