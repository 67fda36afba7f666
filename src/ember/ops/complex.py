"""Complex numbers: complex, polar, real, imag, angle, view_as_real, view_as_complex, isreal.

Each op is one block: its node (the derivative in the docstring's first line), the function, its exposure.
Gradients follow PyTorch's convention for complex numbers: the gradient of a real loss L with respect to
z = x + iy is the complex number ∂L/∂x + i ∂L/∂y (so a real input receives the real part of what flows back).
The rules are written with real and imaginary parts as ember ops, so they can be differentiated again."""

from __future__ import annotations

from .. import kernels as K
from .._array import np
from .._core import modes
from .._core.args import _float_data
from .._core.exposure import expose
from .._core.messages import _bcast_message, _long_name
from .._core.node import Node
from .._core.record import _wrap_result
from .._core.tensor import Tensor, _wrap
from .pointwise import where
from .shape import _view_of, select
from .unary import cos, sign, sin

__all__ = ["complex_", "polar", "real", "imag", "angle", "isreal", "view_as_real", "view_as_complex",
           "view_as_real_copy", "view_as_complex_copy"]

_COMPLEX_OF = {np.dtype(np.float16): None, np.dtype(np.float32): np.complex64, np.dtype(np.float64): np.complex128}


def _assemble(re, im):
    """the complex array re + i im (componentwise: no inf·0 = nan from multiplying by 1j)"""
    re, im = np.broadcast_arrays(re, im)
    out = np.empty(re.shape, dtype=_COMPLEX_OF[re.dtype])
    out.real, out.imag = re, im
    return out


def _zero_like(t, like):
    return t if t is not None else _wrap(np.zeros(like.shape, dtype=like._data.dtype))


def _broadcast(a, b):
    try:
        return np.broadcast_shapes(a.shape, b.shape)
    except ValueError:
        raise RuntimeError(_bcast_message(a.shape, b.shape)) from None


def _float_pair_check(a, b):
    """PyTorch's checks of complex(real, imag) and polar(abs, angle): two float tensors of one dtype"""
    da, db = a._data.dtype, b._data.dtype
    if da.kind != "f" or db.kind != "f":
        raise RuntimeError(f"Expected both inputs to be Half, Float or Double tensors but got {_long_name(a.dtype)} "
                           f"and {_long_name(b.dtype)}")
    if da != db:
        raise RuntimeError(f"Expected object of scalar type {_long_name(a.dtype)} but got scalar type "
                           f"{_long_name(b.dtype)} for second argument")
    _broadcast(a, b)


# =====================================================================================================
# Making complex numbers: complex, polar
# =====================================================================================================

class ComplexBackward0(Node):
    """z = a + i b:  dL/da = Re g, dL/db = Im g"""

    def backward(self, g):
        return (real(g) if self.next[0] is not None else None, imag(g) if self.next[1] is not None else None)

    def jvp(self, ta, tb):
        a, b = self.saved_values()
        return complex_(_zero_like(ta, a), _zero_like(tb, b))


def complex_(real, imag) -> Tensor:
    """the complex tensor real + i imag (two float tensors of one dtype, broadcast)"""
    _float_pair_check(real, imag)
    r = _assemble(real._data, imag._data)
    shp = r.shape
    return _wrap_result(r, ComplexBackward0, (real, imag),
                saved=(real, imag), in_shapes=(real.shape, imag.shape) if real.shape != shp or imag.shape != shp
                else None)

expose(complex_, torch=('complex',), method=False, out=True)


class PolarBackward0(Node):
    """z = r e^(iθ) = r cos θ + i r sin θ:  dL/dr = Re g cos θ + Im g sin θ, dL/dθ = r (Im g cos θ - Re g sin θ)

    PyTorch's backward takes the direction of z as sgn(z) = z/|z|, which is -e^(iθ) for r < 0 and 0 for r = 0:
    its dL/dr is then sign(r) (Re g cos θ + Im g sin θ), which ember mirrors (its forward mode has the plain rule)."""

    def backward(self, g):
        r, theta = self.saved_values()
        c, s, gr, gi = cos(theta), sin(theta), real(g), imag(g)
        return ((gr * c + gi * s) * sign(r) if self.next[0] is not None else None,
                r * (gi * c - gr * s) if self.next[1] is not None else None)

    def jvp(self, tr, ttheta):
        r, theta = self.saved_values()
        c, s = cos(theta), sin(theta)
        dx = dy = None
        if tr is not None:
            dx, dy = tr * c, tr * s
        if ttheta is not None:
            rt = r * ttheta
            dx = -rt * s if dx is None else dx - rt * s
            dy = rt * c if dy is None else dy + rt * c
        return complex_(dx, dy)


def polar(abs_, angle) -> Tensor:
    """the complex tensor abs (cos angle + i sin angle)"""
    _float_pair_check(abs_, angle)
    ad, td = abs_._data, angle._data
    r = _assemble(ad * K.cos(td), ad * K.sin(td))
    shp = r.shape
    return _wrap_result(r, PolarBackward0, (abs_, angle), saved=(abs_, angle),
                in_shapes=(abs_.shape, angle.shape) if abs_.shape != shp or angle.shape != shp else None)

expose(polar, out=True)


# =====================================================================================================
# Views: view_as_real, view_as_complex; real and imag as views of view_as_real
# =====================================================================================================

class ViewAsRealBackward0(Node):
    """y = (Re z, Im z) stacked in a last dimension of size 2:  dL/dz = g[..., 0] + i g[..., 1]"""

    def backward(self, g):
        return (view_as_complex(g.contiguous()),)

    def jvp(self, t):
        return view_as_real(t)


def view_as_real(x: Tensor) -> Tensor:
    """a complex tensor seen as a real one with a last dimension of size 2 (real and imaginary parts): a view"""
    if x._data.dtype.kind != "c":
        raise RuntimeError("view_as_real is only supported for complex tensors")
    a = x._data
    return _view_of(x, a[..., None].view(a.real.dtype), ViewAsRealBackward0, False)

expose(view_as_real)


class ViewAsRealBackward0_copy(ViewAsRealBackward0):  # noqa: N801  (PyTorch's node name)
    """y = a copy of view_as_real(z):  dL/dz = g[..., 0] + i g[..., 1]"""


def view_as_real_copy(x: Tensor) -> Tensor:
    """view_as_real(x) copied into new memory"""
    if x._data.dtype.kind != "c":
        raise RuntimeError("view_as_real is only supported for complex tensors")
    a = x._data
    r = np.stack([a.real, a.imag], axis=-1)
    return _wrap_result(r, ViewAsRealBackward0_copy, (x,))

expose(view_as_real_copy, out=True)


class ViewAsComplexBackward0(Node):
    """z = y[..., 0] + i y[..., 1]:  dL/dy = (Re g, Im g) stacked in a last dimension of size 2"""

    def backward(self, g):
        return (view_as_real(g),)

    def jvp(self, t):
        return view_as_complex(t.contiguous())


def _complex_view(x):
    """x's array (float, last dimension 2 with stride 1, other strides even) seen as complex: PyTorch's checks"""
    a = x._data
    if a.dtype.kind != "f":
        raise RuntimeError("view_as_complex is only supported for half, float and double tensors, but got a tensor "
                           f"of scalar type: {_long_name(x.dtype)}")
    if a.ndim == 0:
        raise RuntimeError("Input tensor must have one or more dimensions")
    if a.shape[-1] != 2:
        raise RuntimeError("Tensor must have a last dimension of size 2")
    item = a.itemsize
    if a.strides[-1] != item:
        raise RuntimeError("Tensor must have a last dimension with stride 1")
    if any(st % (2 * item) for st, n in zip(a.strides[:-1], a.shape[:-1]) if n > 1):
        raise RuntimeError("Tensor must have a stride divisible by 2 for all but last dimension")
    if x.storage_offset() % 2:
        raise RuntimeError("Tensor must have a storage_offset divisible by 2")
    ct = _COMPLEX_OF[a.dtype]
    if ct is None:
        raise RuntimeError("view_as_complex of a float16 tensor is not implemented (NumPy has no complex32)")
    if a.size == 0:
        return np.zeros(a.shape[:-1], dtype=ct)
    return a.view(ct)[..., 0]


def view_as_complex(x: Tensor) -> Tensor:
    """a real tensor whose last dimension (size 2, stride 1) holds real and imaginary parts, seen as complex: a
    view"""
    return _view_of(x, _complex_view(x), ViewAsComplexBackward0, False)

expose(view_as_complex)


def view_as_complex_copy(x: Tensor) -> Tensor:
    """view_as_complex(x) copied into new memory (PyTorch does not differentiate it)"""
    if modes.grad.enabled and x._requires_grad:
        raise RuntimeError("view_as_complex_copy does not support automatic differentiation for outputs with "
                           "complex dtype.")
    return _wrap(_complex_view(x).copy())

expose(view_as_complex_copy, out=True)


def real(x: Tensor) -> Tensor:
    """the real part of x, a view (x itself for real tensors)"""
    if x._data.dtype.kind != "c":
        return x
    return select(view_as_real(x), -1, 0)

expose(real, prop="real")


def imag(x: Tensor) -> Tensor:
    """the imaginary part of x, a view (complex tensors only)"""
    if x._data.dtype.kind != "c":
        raise RuntimeError("imag is not implemented for tensors with non-complex dtypes.")
    return select(view_as_real(x), -1, 1)

expose(imag, prop="imag")


# =====================================================================================================
# angle, isreal
# =====================================================================================================

class AngleBackward0(Node):
    """θ = atan2(Im z, Re z):  dL/dz = g (-Im z + i Re z)/|z|² (0 at z = 0); 0 for real z (piecewise constant)"""

    def _parts(self):
        (z,) = self.saved_values()
        x, y = real(z), imag(z)
        d = x * x + y * y
        return x, y, d, d == 0

    def backward(self, g):
        (z,) = self.saved_values()
        if z._data.dtype.kind != "c":
            return (g * 0,)
        x, y, d, zero = self._parts()
        safe = where(zero, 1.0, d)
        return (complex_(where(zero, 0.0, -y * g / safe), where(zero, 0.0, x * g / safe)),)

    def jvp(self, t):
        (z,) = self.saved_values()
        if z._data.dtype.kind != "c":
            return t * 0
        x, y, d, zero = self._parts()
        return where(zero, 0.0, (x * imag(t) - y * real(t)) / where(zero, 1.0, d))


def angle(x: Tensor) -> Tensor:
    """the argument of x: atan2(Im x, Re x); for real x, π where x < 0 and 0 elsewhere (nan stays nan)"""
    a = x._data
    if a.dtype.kind == "c":
        r = np.angle(a)
    else:
        fa = _float_data(x)
        r = np.where(fa < 0, np.array(np.pi, dtype=fa.dtype), np.zeros((), dtype=fa.dtype))
        r = np.where(np.isnan(fa), fa, r)
    return _wrap_result(np.asarray(r), AngleBackward0, (x,), saved=(x,))

expose(angle, method=True, out=True)


def isreal(x: Tensor) -> Tensor:
    """True where x has no imaginary part (everywhere for real tensors)"""
    a = x._data
    return _wrap(np.ones(a.shape, dtype=bool) if a.dtype.kind != "c" else (a.imag == 0))

expose(isreal, method=True)
