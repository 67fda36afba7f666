"""Special functions: erfc, erfinv, lgamma, digamma, polygamma, Bessel I, zeta, gammainc, ... (torch.special).

Each op is one block: its node (the derivative in the docstring's first line), the function, its exposure. The
values come from ``kernels.special`` (NumPy alone, PyTorch's digits); the derivatives are written with ember's
own ops, so that they can be differentiated again (``create_graph``). One-input functions share ``_Elementwise``:
a node names its derivative dy/dx once, and the backward (g dy/dx) and forward mode (ẋ dy/dx) both use it."""

from __future__ import annotations

import math

from .. import kernels as K  # K.special loads on first use (kernels.__getattr__)
from .._array import np
from .._core import modes
from .._core.args import _float_data, _scalar
from .._core.exposure import expose
from .._core.messages import _bcast_message
from .._core.node import Node
from .._core.record import _tangents_of
from .._core.tensor import Tensor, _wrap
from .binary import _float_pair, _mul_scalar, _plus, _rec, _shapes, _tensor_only
from .creation import as_tensor_arg
from .pointwise import where
from .softmax import softmax
from .unary import _pointwise, _quietly, erf, exp, log, reciprocal, round, sign

_fw = modes.forward

__all__ = ["erfc", "erfinv", "lgamma", "digamma", "polygamma", "mvlgamma", "i0", "special_i0e", "special_i1",
           "special_i1e", "sinc", "special_entr", "special_ndtr", "special_ndtri", "special_log_ndtr",
           "special_erfcx", "special_xlog1py", "special_zeta", "igamma", "igammac", "special_gammainc",
           "special_gammaincc", "special_round", "special_softmax", "special_multigammaln", "special_bessel_j0",
           "special_bessel_j1", "special_bessel_y0", "special_bessel_y1", "special_modified_bessel_i0",
           "special_modified_bessel_i1", "special_modified_bessel_k0", "special_modified_bessel_k1",
           "special_scaled_modified_bessel_k0", "special_scaled_modified_bessel_k1", "special_spherical_bessel_j0"]

_TWO_OVER_SQRT_PI = 2 / math.sqrt(math.pi)
_SQRT_PI_OVER_2 = math.sqrt(math.pi) / 2
_SQRT_2PI = math.sqrt(2 * math.pi)
_SQRT_HALF = math.sqrt(0.5)
_LOG_PI = math.log(math.pi)


class _Elementwise(Node):
    """A one-input elementwise node: ``derivative(x, y)`` is dy/dx, from the saved input x and output y (None
    where the op keeps it not). Backward is dL/dx = g dy/dx; forward mode is ẏ = ẋ dy/dx: one factor, used both
    ways round."""

    def backward(self, g):
        x, y = self.saved_values()
        return (g * self.derivative(x, y),)

    def jvp(self, t):
        x, y = self.saved_values()
        return t * self.derivative(x, y)

    def derivative(self, x, y):  # pragma: no cover - every subclass defines it
        raise NotImplementedError


def _not_differentiable(what: str):
    """PyTorch's error at backward for an argument it does not differentiate (zeta in x, igamma in a)."""
    return NotImplementedError(f"the derivative for '{what}' is not implemented.")


def _refuse_forward_ad(op: str, *inputs):
    """PyTorch raises at the op, in forward mode, when derivatives.yaml has no forward formula for it."""
    if _fw.level is not None and _tangents_of(inputs) is not None:
        raise NotImplementedError(
            f"Trying to use forward AD with {op} that does not support it because it has not been implemented "
            "yet.\nPlease file an issue to PyTorch at https://github.com/pytorch/pytorch/issues/new?template="
            "feature-request.yml so that we can prioritize its implementation or submit a PR adding the "
            "implementation to derivatives.yaml")


def _broadcastable(a, b):
    """PyTorch's error for operands whose shapes do not broadcast, before anything is computed"""
    try:
        np.broadcast_shapes(a.shape, b.shape)
    except ValueError:
        raise RuntimeError(_bcast_message(a.shape, b.shape)) from None


# =====================================================================================================
# The error function family
# =====================================================================================================

class ErfcBackward0(_Elementwise):
    """y = erfc x = 1 - erf x:  dy/dx = -2/√π e^(-x²)"""

    def derivative(self, x, y):
        return exp(-(x * x)) * -_TWO_OVER_SQRT_PI


def erfc(x):
    """the complementary error function 1 - erf x, without cancellation for large x"""
    return _pointwise(x, K.special.erfc, ErfcBackward0, "x")

expose(erfc, method=True, inplace=True, out=True)


class ErfinvBackward0(_Elementwise):
    """y = erf⁻¹ x:  dy/dx = √π/2 e^(y²)"""

    def derivative(self, x, y):
        return exp(y * y) * _SQRT_PI_OVER_2


def erfinv(x):
    """the inverse error function: erf(erfinv(x)) = x on (-1, 1); ±inf at ±1, nan beyond"""
    return _pointwise(x, K.special.erfinv, ErfinvBackward0, "y")

expose(erfinv, method=True, inplace=True, out=True)


class SpecialErfcxBackward0(_Elementwise):
    """y = erfcx x = e^(x²) erfc x:  dy/dx = 2x y - 2/√π"""

    def derivative(self, x, y):
        return x * y * 2 - _TWO_OVER_SQRT_PI


def special_erfcx(x):
    """the scaled complementary error function e^(x²) erfc x (no overflow for large x)"""
    return _pointwise(x, K.special.erfcx, SpecialErfcxBackward0, "xy")


def special_ndtr(x):
    """Φ(x) = (1 + erf(x/√2))/2, the standard normal distribution function: PyTorch's composite, op by op"""
    x = as_tensor_arg(x)
    return _mul_scalar(erf(x * _SQRT_HALF) + 1, 0.5)


class SpecialNdtriBackward0(_Elementwise):
    """y = Φ⁻¹(p):  dy/dp = √(2π) e^(y²/2)"""

    def derivative(self, x, y):
        return exp(y * y * 0.5) * _SQRT_2PI


def special_ndtri(p):
    """Φ⁻¹(p), the standard normal quantile: -inf at 0, inf at 1, nan outside [0, 1]"""
    return _pointwise(p, K.special.ndtri, SpecialNdtriBackward0, "y")


class SpecialLogNdtrBackward0(_Elementwise):
    """y = ln Φ(x):  dy/dx = φ(x)/Φ(x) = e^(-(y + x²/2))/√(2π)"""

    def derivative(self, x, y):
        return exp(-(y + x * x * 0.5)) * (1 / _SQRT_2PI)


def special_log_ndtr(x):
    """ln Φ(x), accurate in the lower tail (through erfcx) where Φ itself underflows"""
    return _pointwise(x, K.special.log_ndtr, SpecialLogNdtrBackward0, "xy")


# =====================================================================================================
# The gamma family
# =====================================================================================================

class LgammaBackward0(_Elementwise):
    """y = ln|Γ(x)|:  dy/dx = ψ(x)"""

    def derivative(self, x, y):
        return digamma(x)


def lgamma(x):
    """ln|Γ(x)| (inf at 0 and the negative integers)"""
    return _pointwise(x, K.special.lgamma, LgammaBackward0, "x")

expose(lgamma, method=True, inplace=True, out=True)


class DigammaBackward0(_Elementwise):
    """y = ψ(x) = d/dx ln Γ(x):  dy/dx = ψ'(x) = polygamma(1, x)"""

    def derivative(self, x, y):
        return polygamma(1, x)


def digamma(x):
    """ψ(x) = Γ'(x)/Γ(x) (-inf at 0, nan at the negative integers)"""
    return _pointwise(x, K.special.digamma, DigammaBackward0, "x")

expose(digamma, method=True, inplace=True, out=True)


class PolygammaBackward0(_Elementwise):
    """y = ψ⁽ⁿ⁾(x):  dy/dx = ψ⁽ⁿ⁺¹⁾(x)"""

    def derivative(self, x, y):
        return polygamma(self.n + 1, x)


def polygamma(n: int, x):
    """ψ⁽ⁿ⁾(x), the n-th derivative of the digamma function"""
    if n < 0:
        raise RuntimeError("polygamma(n, x) does not support negative n.")
    n = int(n)
    return _pointwise(x, lambda a: K.special.polygamma(n, a), PolygammaBackward0, "x", n=n)

expose(polygamma)


def _polygamma_method(x, n):
    """x.polygamma(n) = polygamma(n, x)"""
    return polygamma(n, x)

expose(_polygamma_method, torch=False, method="polygamma", inplace="polygamma_")


class MvlgammaBackward0(_Elementwise):
    """y = ln Γ_p(x) = p(p-1)/4 ln π + Σ_(j<p) ln Γ(x - j/2):  dy/dx = Σ_(j<p) ψ(x - j/2)"""

    def derivative(self, x, y):
        half_j = as_tensor_arg(np.arange(self.p, dtype=x._data.dtype) / 2)
        return digamma(x.unsqueeze(-1) - half_j).sum(-1)


def mvlgamma(x, p: int):
    """the multivariate log-gamma function of dimension p: p(p-1)/4 ln π + Σ_(j<p) ln Γ(x - j/2)"""
    if p < 1:
        raise RuntimeError("p has to be greater than or equal to 1")
    p = int(p)
    return _pointwise(x, lambda a: K.special.multigammaln(a, p), MvlgammaBackward0, "x", p=p)

expose(mvlgamma, method=True, inplace=True, out=True)


def special_multigammaln(x, p: int):
    """torch.special.multigammaln: mvlgamma(x, p)"""
    return mvlgamma(x, p)


class IgammaBackward0(Node):
    """z = P(a, x) = γ(a, x)/Γ(a):  dz/dx = x^(a-1) e^(-x)/Γ(a);  dz/da is not implemented (as in PyTorch)"""

    name_in_errors, sign = "igamma", 1
    forward_ad = False  # no forward formula in PyTorch: the op refuses dual inputs (_refuse_forward_ad)

    def backward(self, g):
        a, x = self.saved_values()
        if self.next[0] is not None:
            raise _not_differentiable(f"{self.name_in_errors}: input")
        return (None, g * self.sign * exp((a - 1) * log(x) - x - lgamma(a)))


class IgammacBackward0(IgammaBackward0):
    """z = Q(a, x) = 1 - P(a, x):  dz/dx = -x^(a-1) e^(-x)/Γ(a);  dz/da is not implemented (as in PyTorch)"""

    name_in_errors, sign = "igammac", -1


def _incomplete_gamma(a, x, kernel, node_cls, name, op):
    _tensor_only(name, a, x)
    ad, xd = _float_pair(a, x, "igamma_cpu" if op == "igamma" else "igammac_cpu")
    _broadcastable(ad, xd)
    _refuse_forward_ad(op, a, x)
    r = kernel(ad, xd)
    return _rec(r, node_cls, (a, x), saved=(a, x), in_shapes=_shapes(r, a, x))


def igamma(a, x):
    """the regularized lower incomplete gamma function P(a, x) = γ(a, x)/Γ(a)"""
    return _incomplete_gamma(a, x, K.special.gammainc, IgammaBackward0, "igamma", "igamma")

expose(igamma, method=True, inplace=True, out=True)


def igammac(a, x):
    """the regularized upper incomplete gamma function Q(a, x) = Γ(a, x)/Γ(a) = 1 - P(a, x)"""
    return _incomplete_gamma(a, x, K.special.gammaincc, IgammacBackward0, "igammac", "igammac")

expose(igammac, method=True, inplace=True, out=True)


def special_gammainc(a, x):
    """torch.special.gammainc: igamma(a, x)"""
    return _incomplete_gamma(a, x, K.special.gammainc, IgammaBackward0, "special_gammainc", "igamma")


def special_gammaincc(a, x):
    """torch.special.gammaincc: igammac(a, x)"""
    return _incomplete_gamma(a, x, K.special.gammaincc, IgammacBackward0, "special_gammaincc", "igammac")


class SpecialZetaBackward0(Node):
    """z = ζ(x, q) = Σ_(k>=0) (k + q)^(-x):  dz/dq = -x ζ(x + 1, q);  dz/dx is not implemented (as in PyTorch)"""

    forward_ad = False  # no forward formula in PyTorch: the op refuses dual inputs (_refuse_forward_ad)

    def backward(self, g):
        x, q = self.saved_values()
        if self.next[0] is not None:
            raise _not_differentiable("zeta")
        return (None, g * -x * special_zeta(x + 1, q))


class SpecialZetaBackward1(Node):
    """z = ζ(s, q) with s a number:  dz/dq = -s ζ(s + 1, q)"""

    forward_ad = False  # no forward formula in PyTorch: the op refuses dual inputs (_refuse_forward_ad)

    def backward(self, g):
        s, q = self.saved_values()
        return (g * -s * special_zeta(s + 1, q),)


class SpecialZetaBackward2(Node):
    """z = ζ(x, s) with s a number:  dz/dx is not implemented (as in PyTorch)"""

    forward_ad = False  # no forward formula in PyTorch: the op refuses dual inputs (_refuse_forward_ad)

    def backward(self, g):
        raise _not_differentiable("zeta")


def _two_operands(name, x, y):
    """PyTorch's binding of special.zeta/xlog1py: two tensors, or one tensor and one Python number"""
    if not isinstance(x, Tensor) and not isinstance(y, Tensor):
        raise TypeError(
            f"{name}() received an invalid combination of arguments - got ({type(x).__name__}, "
            f"{type(y).__name__}), but expected one of:\n * (Tensor input, Tensor other, *, Tensor out = None)\n"
            " * (Number self, Tensor other, *, Tensor out = None)\n * (Tensor input, Number other, *, Tensor out "
            "= None)\n")


def special_zeta(x, q):
    """the Hurwitz zeta function ζ(x, q) = Σ_(k>=0) (k + q)^(-x) (the Riemann zeta function at q = 1)"""
    _two_operands("special_zeta", x, q)
    _refuse_forward_ad("special_zeta", x, q)
    if not isinstance(x, Tensor):
        s = _scalar(x)
        qd, _ = _float_pair(q, s)
        r = K.special.zeta(np.asarray(s, dtype=qd.dtype), qd)
        return _rec(r, SpecialZetaBackward1, (q,), saved=(s, q), versions=(None, q._version))
    if not isinstance(q, Tensor):
        s = _scalar(q)
        xd, _ = _float_pair(x, s)
        return _rec(K.special.zeta(xd, np.asarray(s, dtype=xd.dtype)), SpecialZetaBackward2, (x,))
    xd, qd = _float_pair(x, q)
    _broadcastable(xd, qd)
    r = K.special.zeta(xd, qd)
    return _rec(r, SpecialZetaBackward0, (x, q), saved=(x, q), in_shapes=_shapes(r, x, q))


class SpecialXlog1PyBackward0(Node):
    """z = x ln(1 + y) (0 where x = 0):  dz/dx = ln(1 + y) (0 where x = 0 and y <= -1), dz/dy = x/(1 + y)"""

    def backward(self, g):
        x, y = self.saved_values()
        return (self._dx(g, x, y) if self.next[0] is not None else None,
                g * x / (y + 1) if self.next[1] is not None else None)

    def jvp(self, tx, ty):
        x, y = self.saved_values()
        return _plus(None if tx is None else self._dx(tx, x, y), None if ty is None else ty * x / (y + 1))

    @staticmethod
    def _dx(g, x, y):
        return where((x == 0) & (y <= -1), 0.0, special_xlog1py(g, y))


class SpecialXlog1PyBackward1(Node):
    """z = s ln(1 + y) with s a number:  dz/dy = s/(1 + y)"""

    def backward(self, g):
        s, y = self.saved_values()
        return (g * s / (y + 1),)

    def jvp(self, ty):
        s, y = self.saved_values()
        return ty * s / (y + 1)


class SpecialXlog1PyBackward2(Node):
    """z = x ln(1 + s) with s a number:  dz/dx = ln(1 + s) (0 where x = 0 when s <= -1)"""

    def backward(self, g):
        return (self._dx(g),)

    def jvp(self, tx):
        return self._dx(tx)

    def _dx(self, g):
        x, s = self.saved_values()
        d = special_xlog1py(g, s)
        return d if s > -1 else where(x == 0, 0.0, d)


def special_xlog1py(x, y):
    """x ln(1 + y), 0 where x = 0 (unless y is nan)"""
    _two_operands("special_xlog1py", x, y)
    if not isinstance(x, Tensor):
        s = _scalar(x)
        yd, _ = _float_pair(y, s)
        r = K.special.xlog1py(np.asarray(s, dtype=yd.dtype), yd)
        return _rec(r, SpecialXlog1PyBackward1, (y,), saved=(s, y), versions=(None, y._version))
    if not isinstance(y, Tensor):
        s = _scalar(y)
        xd, _ = _float_pair(x, s)
        r = K.special.xlog1py(xd, np.asarray(s, dtype=xd.dtype))
        return _rec(r, SpecialXlog1PyBackward2, (x,), saved=(x, s), versions=(x._version, None))
    xd, yd = _float_pair(x, y)
    _broadcastable(xd, yd)
    r = K.special.xlog1py(xd, yd)
    return _rec(r, SpecialXlog1PyBackward0, (x, y), saved=(x, y), in_shapes=_shapes(r, x, y))


class SpecialEntrBackward0(_Elementwise):
    """y = -x ln x:  dy/dx = -(1 + ln x)"""

    def derivative(self, x, y):
        return -(log(x) + 1)


def special_entr(x):
    """-x ln x elementwise (0 at 0, -inf below 0): the terms of an entropy"""
    return _pointwise(x, K.special.entr, SpecialEntrBackward0, "x")


# =====================================================================================================
# Modified Bessel functions of the first kind, sinc
# =====================================================================================================

def _not_tiny(x):
    """(|x| > ε, x with the tiny values replaced by ε): PyTorch's guard where a formula divides by x"""
    eps = float(np.finfo(x._data.dtype).eps)
    ok = abs(x) > eps
    return ok, where(ok, x, eps)


class I0Backward0(_Elementwise):
    """y = I₀(x):  dy/dx = I₁(x)"""

    def derivative(self, x, y):
        return special_i1(x)


def i0(x):
    """the modified Bessel function of the first kind of order 0, I₀(x)"""
    return _pointwise(x, K.special.i0, I0Backward0, "x")

expose(i0, method=True, inplace=True, out=True)


class SpecialI0EBackward0(_Elementwise):
    """y = e^(-|x|) I₀(x):  dy/dx = e^(-|x|) I₁(x) - sgn(x) y"""

    def derivative(self, x, y):
        return special_i1e(x) - sign(x) * y


def special_i0e(x):
    """the exponentially scaled I₀: e^(-|x|) I₀(x) (no overflow for large |x|)"""
    return _pointwise(x, K.special.i0e, SpecialI0EBackward0, "xy")


class SpecialI1Backward0(_Elementwise):
    """y = I₁(x):  dy/dx = I₀(x) - y/x  (1/2 where |x| <= ε, as PyTorch)"""

    def derivative(self, x, y):
        ok, safe = _not_tiny(x)
        return where(ok, i0(safe) - y * reciprocal(safe), 0.5)


def special_i1(x):
    """the modified Bessel function of the first kind of order 1, I₁(x)"""
    return _pointwise(x, K.special.i1, SpecialI1Backward0, "xy")


class SpecialI1EBackward0(_Elementwise):
    """y = e^(-|x|) I₁(x):  dy/dx = e^(-|x|) I₀(x) - y (sgn x + 1/x)  (1/2 where |x| <= ε, as PyTorch)"""

    def derivative(self, x, y):
        ok, safe = _not_tiny(x)
        return where(ok, special_i0e(safe) - y * (sign(safe) + reciprocal(safe)), 0.5)


def special_i1e(x):
    """the exponentially scaled I₁: e^(-|x|) I₁(x)"""
    return _pointwise(x, K.special.i1e, SpecialI1EBackward0, "xy")


class SincBackward0(_Elementwise):
    """y = sin(πx)/(πx):  dy/dx = (πx cos πx - sin πx)/(πx²)  (0 at x = 0)"""

    def derivative(self, x, y):
        px = x * math.pi
        d = (px * px.cos() - px.sin()) / (x * x * math.pi)
        return where(x == 0, 0.0, d)


def sinc(x):
    """the normalized sinc function sin(πx)/(πx), 1 at 0"""
    return _pointwise(x, K.special.sinc, SincBackward0, "x")

expose(sinc, method=True, inplace=True, out=True)


# =====================================================================================================
# Bessel functions PyTorch does not differentiate (their results never require grad, nor carry a tangent)
# =====================================================================================================

def _values_only(x, kernel):
    """kernel(x) as a tensor outside the graph, as PyTorch gives these functions"""
    return _wrap(np.asarray(_quietly(kernel, _float_data(as_tensor_arg(x)))))


def special_bessel_j0(x):
    """J₀(x), the Bessel function of the first kind of order 0"""
    return _values_only(x, K.special.bessel_j0)


def special_bessel_j1(x):
    """J₁(x), the Bessel function of the first kind of order 1"""
    return _values_only(x, K.special.bessel_j1)


def special_bessel_y0(x):
    """Y₀(x), the Bessel function of the second kind of order 0 (-inf at 0, nan below)"""
    return _values_only(x, K.special.bessel_y0)


def special_bessel_y1(x):
    """Y₁(x), the Bessel function of the second kind of order 1 (-inf at 0, nan below)"""
    return _values_only(x, K.special.bessel_y1)


def special_modified_bessel_i0(x):
    """I₀(x), the modified Bessel function of the first kind of order 0 (torch.special's own kernel)"""
    return _values_only(x, K.special.modified_bessel_i0)


def special_modified_bessel_i1(x):
    """I₁(x), the modified Bessel function of the first kind of order 1 (torch.special's own kernel)"""
    return _values_only(x, K.special.modified_bessel_i1)


def special_modified_bessel_k0(x):
    """K₀(x), the modified Bessel function of the second kind of order 0 (inf at 0, nan below)"""
    return _values_only(x, K.special.modified_bessel_k0)


def special_modified_bessel_k1(x):
    """K₁(x), the modified Bessel function of the second kind of order 1 (inf at 0, nan below)"""
    return _values_only(x, K.special.modified_bessel_k1)


def special_scaled_modified_bessel_k0(x):
    """e^x K₀(x), the exponentially scaled K₀"""
    return _values_only(x, K.special.scaled_modified_bessel_k0)


def special_scaled_modified_bessel_k1(x):
    """e^x K₁(x), the exponentially scaled K₁"""
    return _values_only(x, K.special.scaled_modified_bessel_k1)


def special_spherical_bessel_j0(x):
    """j₀(x) = sin(x)/x, the spherical Bessel function of the first kind of order 0"""
    return _values_only(x, K.special.spherical_bessel_j0)


# =====================================================================================================
# torch.special's spellings of other families' ops
# =====================================================================================================

def special_round(x, decimals: int = 0):
    """torch.special.round: round(x, decimals=decimals) (RoundBackward1 even for decimals=0, as PyTorch)"""
    return round(x, decimals=decimals)


def special_softmax(x, dim, dtype=None):
    """torch.special.softmax: softmax(x, dim, dtype)"""
    return softmax(x, dim, dtype=dtype)

