"""The wider ``torch`` namespace: special functions, linear algebra, and the many small ops tutorials reach for
(tensordot, kron, cov, quantile, histogram, ...). Composites reuse the differentiable primitives so gradients
come free; the few primitives defined here (special functions, inverse, det, solve) keep forward and backward
side by side, as in ``autograd.functions``."""

from __future__ import annotations

import builtins
import contextlib
import itertools
import math
import types

from . import _dtype as D
from ._array import np
from .autograd import functions as F
from .autograd.graph import Node
from .tensor import Tensor, _wrap


class _LazyScipySpecial:
    """scipy.special, imported on first use (it costs ~150 ms, too much for ``import ember``); falsy without
    scipy, so the NumPy fallbacks below take over."""

    _mod = ()

    def _load(self):
        if self._mod == ():
            try:
                from scipy import special
            except ImportError:  # pragma: no cover - scipy is present in the dev environment
                special = None
            type(self)._mod = special
        return self._mod

    def __bool__(self):
        return self._load() is not None

    def __getattr__(self, name):
        return getattr(self._load(), name)


_sp = _LazyScipySpecial()


def _t(x, like=None) -> Tensor:
    return x if isinstance(x, Tensor) else F.as_tensor_arg(x, like)


def _shape_str(shape) -> str:
    return "[" + ", ".join(str(s) for s in shape) + "]"


# =====================================================================================================
# Special functions (unary primitives with PyTorch's node names)
# =====================================================================================================

def _via64(fn):
    """Evaluate in float64 and round back to the input's float dtype (PyTorch's float32 kernels are that exact)."""
    def run(a):
        return np.asarray(fn(a.astype(np.float64))).astype(a.dtype, copy=False)
    return run


def _digamma_np(x):
    """ψ(x): recurrence up to x ≥ 6, then the asymptotic series; reflection for x < 0.5."""
    x = np.asarray(x, dtype=np.float64)
    neg = x < 0.5
    xr = np.where(neg, 1.0 - x, x)
    acc = np.zeros_like(xr)
    for _ in builtins.range(6):  # six whole-array steps push every element past 6
        small = xr < 6
        acc -= np.where(small, 1.0 / np.where(small, xr, 1.0), 0.0)
        xr = np.where(small, xr + 1, xr)
    inv2 = 1.0 / (xr * xr)
    series = np.log(xr) - 0.5 / xr - inv2 * (1 / 12 - inv2 * (1 / 120 - inv2 * (1 / 252 - inv2 * (1 / 240 - inv2 / 132))))
    out = acc + series
    with np.errstate(all="ignore"):
        out = np.where(neg, out - math.pi / np.tan(math.pi * x), out)
        # PyTorch: ψ(0) = -inf; ψ at negative integers is nan
        out = np.where(x == 0, -np.inf * np.copysign(1.0, x), out)
        out = np.where((x < 0) & (x == np.floor(x)), np.nan, out)
    return out


def _polygamma_np(n, x):
    if n == 0:
        return _digamma_np(x) if not _sp else _sp.digamma(x)
    if not _sp:
        raise NotImplementedError("polygamma with n >= 1 needs scipy")
    return _sp.polygamma(n, x)


def _lgamma_np(x):
    return _sp.gammaln(x) if _sp else np.vectorize(math.lgamma, otypes=[np.float64])(x)


def _erfinv_np(y):
    if _sp:
        return _sp.erfinv(y)
    # Giles' single-precision start, then Newton steps on erf(x) - y (float64 erf from math)
    w = -np.log((1.0 - y) * (1.0 + y))
    x = y * np.where(w < 5, 1.5 + 0.25 * (w - 2.5), 2.8 + 0.3 * (np.sqrt(np.abs(w)) - 3))
    erf = np.vectorize(math.erf, otypes=[np.float64])
    for _ in builtins.range(4):
        x = x - (erf(x) - y) / (2 / math.sqrt(math.pi) * np.exp(-x * x))
    return np.where(np.abs(y) == 1, np.copysign(np.inf, y), x)


def _erfc_np(x):
    return _sp.erfc(x) if _sp else np.vectorize(math.erfc, otypes=[np.float64])(x)


def _sinc_np(x):
    return np.sinc(x)


def _i1_np(x):
    if _sp:
        return _sp.i1(x)
    raise NotImplementedError("i1 needs scipy")


_SQRT_PI = math.sqrt(math.pi)


def _unary(name, node, fwd, keeps, rule, doc):
    return F._make_unary(name, node, _via64(fwd), keeps, rule, doc)


erfc = _unary("erfc", "ErfcBackward0", _erfc_np, "x", lambda g, x, y: g * F.exp(-(x * x)) * (-2 / _SQRT_PI),
              "1 - erf x;  d/dx = -2/√π e^(-x^2)")
erfinv = _unary("erfinv", "ErfinvBackward0", _erfinv_np, "y",
                lambda g, x, y: g * F.exp(y * y) * (_SQRT_PI / 2), "erf⁻¹ x;  d/dx = √π/2 e^(erfinv(x)^2)")
lgamma = _unary("lgamma", "LgammaBackward0", _lgamma_np, "x", lambda g, x, y: g * digamma(x),
                "ln|Γ(x)|;  d/dx = ψ(x)")
digamma = _unary("digamma", "DigammaBackward0",
                 lambda a: _sp.digamma(a) if _sp else _digamma_np(a), "x",
                 lambda g, x, y: g * polygamma(1, x), "ψ(x) = d/dx ln Γ(x);  d/dx = ψ'(x)")
i0 = _unary("i0", "I0Backward0", np.i0, "x", lambda g, x, y: g * special_i1(x),
            "modified Bessel I₀(x);  d/dx = I₁(x)")
special_i1 = _unary("i1", "SpecialI1Backward0", _i1_np, "xy",
                    lambda g, x, y: g * (i0(x) - F.where(x == 0, 0.5, y / F.where(x == 0, 1.0, x))),
                    "modified Bessel I₁(x);  d/dx = I₀(x) - I₁(x)/x")


def _sinc_rule(g, x, y):
    px = x * math.pi
    safe = F.where(x == 0, 1.0, px)
    return g * F.where(x == 0, 0.0, (F.cos(px) * math.pi - y * math.pi) / safe)


sinc = _unary("sinc", "SincBackward0", _sinc_np, "xy", _sinc_rule, "sin(πx)/(πx);  d/dx = (cos πx - sinc x)/x")


class PolygammaBackward0(Node):
    """y = ψ⁽ⁿ⁾(x):  dx = g ψ⁽ⁿ⁺¹⁾(x)"""

    def backward(self, g):
        (x,) = self.saved_values()
        return (g * polygamma(self.n + 1, x),)


def polygamma(n: int, x: Tensor) -> Tensor:
    """ψ⁽ⁿ⁾(x), the n-th derivative of the digamma function"""
    x = _t(x)
    xd = F._float_data(x)
    with np.errstate(all="ignore"):
        r = np.asarray(_polygamma_np(n, xd.astype(np.float64))).astype(xd.dtype)
    out = F._out(r, PolygammaBackward0, (x,), saved=(x,))
    if out.grad_fn is not None:
        out.grad_fn.n = n
    return out


def mvlgamma(x: Tensor, p: int) -> Tensor:
    """multivariate log-gamma: p(p-1)/4 ln π + Σ_j lgamma(x - j/2)"""
    if bool((x._data <= (p - 1) / 2).any()):
        raise RuntimeError("All elements must be greater than (p-1)/2")
    j = _wrap(np.arange(p, dtype=F._float_data(x).dtype) / 2)
    r = lgamma(x.unsqueeze(-1) - j).sum(-1) + p * (p - 1) / 4 * math.log(math.pi)
    return F._renamed(r, "MvlgammaBackward0")


def igamma(a: Tensor, x: Tensor) -> Tensor:
    """regularized lower incomplete gamma P(a, x)"""
    ad, xd = F._promote_pair(_t(a), _t(x))
    return _wrap(np.asarray(_sp.gammainc(ad, xd)).astype(np.result_type(ad, xd)))


def igammac(a: Tensor, x: Tensor) -> Tensor:
    """regularized upper incomplete gamma Q(a, x)"""
    ad, xd = F._promote_pair(_t(a), _t(x))
    return _wrap(np.asarray(_sp.gammaincc(ad, xd)).astype(np.result_type(ad, xd)))


def xlog1py(x, y):
    """x·log1p(y), 0 where x == 0"""
    x, y = _t(x), _t(y)
    return F._renamed(F.where(x == 0, 0.0, x * F.log1p(y)), "SpecialXlog1PyBackward0")


def entr(x):
    """-x ln x (0 at 0, -inf below 0)"""
    with np.errstate(all="ignore"):
        r = F.where(x > 0, -x * F.log(F.where(x > 0, x, 1.0)), F.where(x == 0, 0.0, -math.inf))
    return F._renamed(r, "SpecialEntrBackward0")


def ndtr(x):
    """Φ(x) = (1 + erf(x/√2))/2"""
    return F._renamed((F.erf(x * (1 / math.sqrt(2))) + 1) * 0.5, "SpecialNdtrBackward0")


def ndtri(p):
    """Φ⁻¹(p) = √2 erfinv(2p - 1)"""
    return erfinv(p * 2 - 1) * math.sqrt(2)


def log_ndtr(x):
    """ln Φ(x), via erfc for the lower tail"""
    return F._renamed(F.log(erfc(-x * (1 / math.sqrt(2))) * 0.5), "SpecialLogNdtrBackward0")


def i0e(x):
    """e^-|x| I₀(x)"""
    return i0(x) * F.exp(-F.abs(x))


def i1e(x):
    """e^-|x| I₁(x)"""
    return special_i1(x) * F.exp(-F.abs(x))


def erfcx(x):
    """e^(x²) erfc(x)"""
    return F.exp(x * x) * erfc(x)


def multigammaln(x, p):
    return mvlgamma(x, p)


def _softmax_special(x, dim, dtype=None):
    return F.softmax(x, dim, dtype=dtype) if dtype is not None else F.softmax(x, dim)


def zeta(x, q):
    """Hurwitz zeta ζ(x, q)"""
    xd, qd = F._promote_pair(_t(x), _t(q))
    return _wrap(np.asarray(_sp.zeta(xd, qd)).astype(np.result_type(xd, qd)))


def special_round(x, decimals=0):
    return F.round(x, decimals=decimals) if decimals else F.round(x)


# =====================================================================================================
# Elementwise odds and ends
# =====================================================================================================

def heaviside(x: Tensor, values: Tensor) -> Tensor:
    """0 where x < 0, values where x == 0, 1 where x > 0"""
    values = _t(values, x)
    if x._data.dtype != values._data.dtype:
        raise RuntimeError("heaviside is not yet implemented for tensors with different dtypes")
    r = np.where(x._data == 0, values._data, (x._data > 0).astype(x._data.dtype))
    return _wrap(np.asarray(r, dtype=x._data.dtype))


def _int_binary(np_fn, name):
    def op(a, b):
        a, b = _t(a), _t(b, a)
        ad, bd = F._promote_pair(a, b)
        if np.asarray(ad).dtype.kind not in "iu":
            raise NotImplementedError(f"\"{name}_cpu\" not implemented for '{F._long_name(_dtype_of(ad))}'")
        return _wrap(np.asarray(np_fn(ad, bd)))
    op.__name__ = name
    return op


def _dtype_of(arr):
    return D.from_numpy_dtype(np.asarray(arr).dtype)


gcd = _int_binary(np.gcd, "gcd")
lcm = _int_binary(np.lcm, "lcm")


def nextafter(a: Tensor, b: Tensor) -> Tensor:
    """the next float after a towards b"""
    ad, bd = F._promote_pair(_t(a), _t(b))
    return _wrap(np.asarray(np.nextafter(ad, bd)))


def frexp(x: Tensor):
    """mantissa in [0.5, 1) and integer exponent with x = m·2^e"""
    if x._data.dtype.kind != "f":
        raise RuntimeError("torch.frexp() only supports floating-point dtypes")
    m, e = np.frexp(x._data)
    return _frexp_result(_wrap(m), _wrap(e.astype(np.int32)))


class LdexpBackward0(Node):
    """y = x·2^e:  dx = g·2^e with 2^e taken in e's integer dtype, as PyTorch (so 0 for negative e)"""

    def backward(self, g):
        (e,) = self.saved_values()
        ed = e._data
        scale = np.power(2.0, ed)
        if ed.dtype.kind in "iub":
            scale = np.where(ed >= 0, scale, 0.0)
        return (g * _wrap(np.asarray(scale).astype(g._data.dtype)), None)


def ldexp(x: Tensor, other: Tensor) -> Tensor:
    """x · 2^other"""
    other = _t(other)
    xd = F._float_data(x)
    r = xd * np.power(2.0, other._data.astype(xd.dtype))
    return F._out(np.asarray(r).astype(np.result_type(xd, other._data) if other._data.dtype.kind == "f" else xd.dtype),
                  LdexpBackward0, (x, other), saved=(other,), in_shapes=(tuple(x.shape), tuple(other.shape)))


def logaddexp2(a: Tensor, b: Tensor) -> Tensor:
    """log2(2^a + 2^b)"""
    m = F.maximum(a, b).detach()
    r = m + F.log2(F.exp2(a - m) + F.exp2(b - m))
    return F._renamed(r, "Logaddexp2Backward0")


def angle(x: Tensor) -> Tensor:
    """the argument of x (π for negative reals, 0 otherwise; nan stays nan)"""
    a = x._data
    if a.dtype.kind == "c":
        return _wrap(np.angle(a))
    fa = F._float_data(x)
    r = np.where(fa < 0, np.array(math.pi, dtype=fa.dtype), np.zeros((), dtype=fa.dtype))
    r = np.where(np.isnan(fa), fa, r)
    return F._out(np.asarray(r), AngleBackward0, (x,))


class AngleBackward0(Node):
    """angle of a real number is piecewise constant: zero gradient"""

    def backward(self, g):
        return (g * 0,)


def isreal(x: Tensor) -> Tensor:
    a = x._data
    return _wrap(np.ones(a.shape, dtype=bool) if a.dtype.kind != "c" else (a.imag == 0))


def isin(elements, test_elements, *, assume_unique=False, invert=False) -> Tensor:
    e = elements._data if isinstance(elements, Tensor) else np.asarray(elements)
    te = test_elements._data if isinstance(test_elements, Tensor) else np.asarray(test_elements)
    return _wrap(np.asarray(np.isin(e, te, invert=invert)))


def view_as_real(x: Tensor) -> Tensor:
    if x._data.dtype.kind != "c":
        raise RuntimeError("view_as_real is only supported for complex tensors")
    return _wrap(x._data.view(x._data.real.dtype).reshape(x.shape + (2,)))


def view_as_complex(x: Tensor) -> Tensor:
    if x.ndim == 0 or x.shape[-1] != 2:
        raise RuntimeError("Tensor must have a last dimension of size 2")
    a = np.ascontiguousarray(x._data)
    ct = np.complex64 if a.dtype == np.float32 else np.complex128
    return _wrap(a.view(ct).reshape(x.shape[:-1]))


def real(x: Tensor) -> Tensor:
    return x.real


def imag(x: Tensor) -> Tensor:
    return x.imag


# =====================================================================================================
# Products and contractions
# =====================================================================================================

def tensordot(a: Tensor, b: Tensor, dims=2) -> Tensor:
    """Σ over the paired dims of a and b (the last ``dims`` of a with the first ``dims`` of b)"""
    if isinstance(dims, int):
        if dims < 0:
            raise RuntimeError(f"tensordot expects dims >= 0, but got dims={dims}")
        da, db = list(builtins.range(a.ndim - dims, a.ndim)), list(builtins.range(dims))
    elif isinstance(dims, Tensor):
        return tensordot(a, b, dims.tolist() if dims.ndim else int(dims.item()))
    else:
        da, db = dims
        da, db = ([da], [db]) if isinstance(da, int) else (list(da), list(db))
    da = [F._wrap_dim(d, a.ndim) for d in da]
    db = [F._wrap_dim(d, b.ndim) for d in db]
    for i, j in zip(da, db):
        if a.shape[i] != b.shape[j]:
            raise RuntimeError(f"contracted dimensions need to match, but first has size {a.shape[i]} in dim {i} "
                               f"and second has size {b.shape[j]} in dim {j}")
    fa = [d for d in builtins.range(a.ndim) if d not in da]
    fb = [d for d in builtins.range(b.ndim) if d not in db]
    k = int(np.prod([a.shape[d] for d in da])) if da else 1
    am = a.permute(fa + da).reshape(-1, k)
    bm = b.permute(db + fb).reshape(k, -1)
    return F.mm(am, bm).reshape([a.shape[d] for d in fa] + [b.shape[d] for d in fb])


def kron(a: Tensor, b: Tensor) -> Tensor:
    """Kronecker product: out[i·m + k, j·n + l] = a[i, j] b[k, l] (any number of dims)"""
    nd = builtins.max(a.ndim, b.ndim)
    a = a.reshape((1,) * (nd - a.ndim) + tuple(a.shape))
    b = b.reshape((1,) * (nd - b.ndim) + tuple(b.shape))
    # interleave: a as (a0, 1, a1, 1, ...) times b as (1, b0, 1, b1, ...)
    ai = a.reshape([s for d in a.shape for s in (d, 1)])
    bi = b.reshape([s for d in b.shape for s in (1, d)])
    return (ai * bi).reshape([x * y for x, y in zip(a.shape, b.shape)])


def inner(a: Tensor, b: Tensor) -> Tensor:
    """Σ over the last dims of a and b"""
    if a.ndim == 0 or b.ndim == 0:
        return a * b
    if a.shape[-1] != b.shape[-1]:
        raise RuntimeError(f"inner() the last dimension must match on both input tensors but got shapes "
                           f"{_shape_str(a.shape)} and {_shape_str(b.shape)}")
    return tensordot(a, b, ([-1], [-1]))


def vdot(a: Tensor, b: Tensor) -> Tensor:
    """Σ conj(a) b over 1-D tensors"""
    if a.ndim != 1 or b.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {a.ndim}D and {b.ndim}D tensors")
    r = F.dot(F.conj(a) if a.is_complex() else a, b)
    return F._renamed(r, "VdotBackward0")


def addr(input: Tensor, vec1: Tensor, vec2: Tensor, *, beta=1, alpha=1) -> Tensor:
    """β input + α (vec1 ⊗ vec2)"""
    o = F.outer(vec1, vec2)
    r = (input * beta if beta != 1 else input) + (o * alpha if alpha != 1 else o)
    return F._renamed(r, "AddrBackward0")


def matrix_power(a: Tensor, n: int) -> Tensor:
    """a @ a @ ... (n times); a⁻¹ for negative n; identity for 0"""
    if a.ndim < 2 or a.shape[-1] != a.shape[-2]:
        raise RuntimeError(f"linalg.matrix_power: A must be batches of square matrices, but they are "
                           f"{a.shape[-2] if a.ndim >= 2 else a.ndim} by {a.shape[-1]} matrices")
    if n == 0:
        return _wrap(np.broadcast_to(np.eye(a.shape[-1], dtype=a._data.dtype), a.shape).copy())
    if n < 0:
        a, n = inverse(a), -n
    result, base = None, a
    while n:  # binary powering, as PyTorch
        if n & 1:
            result = base if result is None else F.matmul(result, base)
        n >>= 1
        if n:
            base = F.matmul(base, base)
    return result


def multi_dot(tensors) -> Tensor:
    """A₁ A₂ ... Aₙ (1-D first/last operands are a row/column vector)"""
    ts = list(tensors)
    if len(ts) < 2:
        raise RuntimeError(f"multi_dot(): expected at least 2 tensors but got {len(ts)}")
    first, last = ts[0].ndim == 1, ts[-1].ndim == 1
    if first:
        ts[0] = ts[0].unsqueeze(0)
    if last:
        ts[-1] = ts[-1].unsqueeze(1)
    out = ts[0]
    for m in ts[1:]:
        out = F.mm(out, m)
    if first and last:
        return out.reshape(())
    if first:
        return out.squeeze(0)
    return out.squeeze(1) if last else out


def vecdot(x: Tensor, y: Tensor, *, dim: int = -1) -> Tensor:
    """Σ conj(x) y along dim"""
    return ((F.conj(x) if x.is_complex() else x) * y).sum(dim)


# =====================================================================================================
# Linear algebra primitives (forward in NumPy, backward in ember ops)
# =====================================================================================================

def _check_square(a: Tensor, fn: str):
    if a.ndim < 2:
        raise RuntimeError(f"{fn}: The input tensor A must have at least 2 dimensions.")
    if a.shape[-1] != a.shape[-2]:
        raise RuntimeError(f"{fn}: A must be batches of square matrices, but they are {a.shape[-2]} by "
                           f"{a.shape[-1]} matrices")
    if a._data.dtype.kind not in "fc":
        raise RuntimeError(f"{fn}: Expected a floating point or complex tensor as input. Got "
                           f"{F._long_name(a.dtype)}")


def _mT(x: Tensor) -> Tensor:
    return F.transpose(x, -2, -1)


class LinalgInvExBackward0(Node):
    """Y = A⁻¹:  dA = -Yᵀ g Yᵀ"""

    def backward(self, g):
        (y,) = self.saved_values()
        yt = _mT(y)
        return (-F.matmul(F.matmul(yt, g), yt),)


def _linalg_error(fn: str, exc):
    return RuntimeError(f"{fn}: The diagonal element 1 is zero, the inversion could not be completed because the "
                        "input matrix is singular.")


def inverse(a: Tensor) -> Tensor:
    """A⁻¹"""
    _check_square(a, "linalg.inv")
    try:
        r = np.linalg.inv(a._data)
    except np.linalg.LinAlgError as exc:
        raise _linalg_error("linalg.inv", exc) from None
    out = F._out(r, LinalgInvExBackward0, (a,))
    if out.grad_fn is not None:
        out.grad_fn.saved = (F._saved_output(out.grad_fn, out),)
        out.grad_fn.versions = (0,)
    return out


class LinalgDetBackward0(Node):
    """d = det A:  dA = g d A⁻ᵀ"""

    def backward(self, g):
        a, d = self.saved_values()
        return ((g * d).unsqueeze(-1).unsqueeze(-1) * _mT(inverse(a)),)


def det(a: Tensor) -> Tensor:
    """det A"""
    _check_square(a, "linalg.det")
    out = F._out(np.asarray(np.linalg.det(a._data)).astype(a._data.dtype), LinalgDetBackward0, (a,))
    if out.grad_fn is not None:
        out.grad_fn.saved = (a, F._saved_output(out.grad_fn, out))
        out.grad_fn.versions = (a._version, 0)
    return out


def slogdet(a: Tensor):
    """(sign det A, ln |det A|)"""
    _check_square(a, "linalg.slogdet")
    s, ld = np.linalg.slogdet(a._data)
    dt = a._data.dtype
    sign = _wrap(np.asarray(s).astype(dt))
    logabs = F._out(np.asarray(ld).astype(dt), LinalgSlogdetBackward0, (a,), saved=(a,))
    return _slogdet_result(sign, logabs)


class LinalgSlogdetBackward0(Node):
    """ln|det A|:  dA = g A⁻ᵀ"""

    def backward(self, g):
        (a,) = self.saved_values()
        return (g.unsqueeze(-1).unsqueeze(-1) * _mT(inverse(a)),)




def logdet(a: Tensor) -> Tensor:
    """ln det A (nan for a negative determinant)"""
    s, la = slogdet(a)
    r = F.where(s < 0, math.nan, la)
    return r


class LinalgSolveExBackward0(Node):
    """X = A⁻¹B:  dB = A⁻ᵀ g, dA = -dB Xᵀ"""

    def backward(self, g):
        a, x = self.saved_values()
        vec = self.vec
        gm = g.unsqueeze(-1) if vec else g
        xm = x.unsqueeze(-1) if vec else x
        gb = solve(_mT(a), gm)
        ga = -F.matmul(gb, _mT(xm))
        return (ga, gb.squeeze(-1) if vec else gb)


def solve(a: Tensor, b: Tensor, *, left: bool = True) -> Tensor:
    """X with A X = B"""
    _check_square(a, "linalg.solve")
    if not left:
        return _mT(solve(_mT(a), _mT(b)))
    vec = b.ndim == 1 or (b.ndim == a.ndim - 1 and tuple(b.shape) == tuple(a.shape[:-1]))
    bd = b._data[..., None] if vec else b._data
    if a.shape[-1] != bd.shape[-2]:
        raise RuntimeError(f"linalg.solve: Incompatible shapes of A and B for the equation AX = B "
                           f"({a.shape[-2]}x{a.shape[-1]} and {bd.shape[-2]}x{bd.shape[-1]})")
    try:
        r = np.linalg.solve(a._data, bd)
    except np.linalg.LinAlgError:
        raise RuntimeError("torch.linalg.solve: The solver failed because the input matrix is singular.") from None
    r = r[..., 0] if vec else r
    dt = np.result_type(a._data.dtype, b._data.dtype)
    out = F._out(r.astype(dt, copy=False), LinalgSolveExBackward0, (a, b),
                 in_shapes=(tuple(a.shape), tuple(b.shape)))
    if out.grad_fn is not None:
        out.grad_fn.saved = (a, F._saved_output(out.grad_fn, out))
        out.grad_fn.versions = (a._version, 0)
        out.grad_fn.vec = vec
    return out


def _np_result(fn_name, arrays, dtype):
    return tuple(_wrap(np.ascontiguousarray(r).astype(dtype, copy=False)) for r in arrays)


def _named(name, fields):
    from collections import namedtuple
    cls = namedtuple(name, fields)

    def _repr(self):
        body = ",\n".join(f"{f}={getattr(self, f)!r}" for f in fields)
        return f"torch.return_types.{name}(\n{body})"
    cls.__repr__ = cls.__str__ = _repr
    cls.__module__ = "torch.return_types"
    return cls


_svd_result = _named("linalg_svd", ["U", "S", "Vh"])
_torch_svd_result = _named("svd", ["U", "S", "V"])
_qr_result = _named("linalg_qr", ["Q", "R"])
_torch_qr_result = _named("qr", ["Q", "R"])
_eigh_result = _named("linalg_eigh", ["eigenvalues", "eigenvectors"])
_eig_result = _named("linalg_eig", ["eigenvalues", "eigenvectors"])
_slogdet_result = _named("linalg_slogdet", ["sign", "logabsdet"])
_lstsq_result = _named("linalg_lstsq", ["solution", "residuals", "rank", "singular_values"])
_frexp_result = _named("frexp", ["mantissa", "exponent"])
_aminmax_result = _named("aminmax", ["min", "max"])
_histogram_result = _named("histogram", ["hist", "bin_edges"])
_inv_ex_result = _named("linalg_inv_ex", ["inverse", "info"])
_cholesky_ex_result = _named("linalg_cholesky_ex", ["L", "info"])


def linalg_svd(a: Tensor, full_matrices: bool = True, *, driver=None):
    """A = U diag(S) Vh"""
    u, s, vh = np.linalg.svd(a._data, full_matrices=full_matrices)
    return _svd_result(*_np_result("svd", (u, s, vh), a._data.dtype))


def svd(a: Tensor, some: bool = True, compute_uv: bool = True):
    """torch.svd: A = U diag(S) Vᵀ (V, not Vh)"""
    u, s, vh = np.linalg.svd(a._data, full_matrices=not some)
    v = np.swapaxes(vh, -1, -2).conj()
    if not compute_uv:
        u, v = np.zeros_like(u), np.zeros_like(v)
    return _torch_svd_result(*_np_result("svd", (u, s, v), a._data.dtype))


def svdvals(a: Tensor) -> Tensor:
    return _wrap(np.linalg.svd(a._data, compute_uv=False).astype(a._data.dtype))


def linalg_qr(a: Tensor, mode: str = "reduced"):
    q, r = np.linalg.qr(a._data, mode="complete" if mode == "complete" else "reduced")
    if mode == "r":
        q = np.empty((0,), dtype=a._data.dtype)
    return _qr_result(*_np_result("qr", (q, r), a._data.dtype))


def qr(a: Tensor, some: bool = True):
    q, r = np.linalg.qr(a._data, mode="reduced" if some else "complete")
    return _torch_qr_result(*_np_result("qr", (q, r), a._data.dtype))


def eigh(a: Tensor, UPLO: str = "L"):
    w, v = np.linalg.eigh(a._data, UPLO=UPLO)
    return _eigh_result(*_np_result("eigh", (w, v), a._data.dtype))


def eigvalsh(a: Tensor, UPLO: str = "L") -> Tensor:
    return _wrap(np.linalg.eigvalsh(a._data, UPLO=UPLO).astype(a._data.dtype))


def _complex_of(dt):
    return np.complex64 if dt == np.float32 else np.complex128


def eig(a: Tensor):
    w, v = np.linalg.eig(a._data)
    ct = _complex_of(a._data.dtype)
    return _eig_result(_wrap(w.astype(ct)), _wrap(v.astype(ct)))


def eigvals(a: Tensor) -> Tensor:
    return _wrap(np.linalg.eigvals(a._data).astype(_complex_of(a._data.dtype)))


class LinalgCholeskyExBackward0(Node):
    """A = L Lᵀ:  P = Φ(Lᵀ g) (lower triangle, halved diagonal), S = L⁻ᵀ P L⁻¹, dA = (S + Sᵀ)/2"""

    def backward(self, g):
        (low,) = self.saved_values()
        if self.upper:
            g = _mT(g)
        g = F.tril(g)
        p = F.matmul(_mT(low), g)
        n = p.shape[-1]
        p = p * _wrap((np.tril(np.ones((n, n))) - 0.5 * np.eye(n)).astype(p._data.dtype))
        linv = inverse(low)
        s = F.matmul(F.matmul(_mT(linv), p), linv)
        return ((s + _mT(s)) * 0.5,)


def cholesky(a: Tensor, upper: bool = False) -> Tensor:
    """L with A = L Lᵀ (or U = Lᵀ when upper)"""
    _check_square(a, "linalg.cholesky")
    try:
        low = np.linalg.cholesky(a._data)
    except np.linalg.LinAlgError:
        raise RuntimeError("linalg.cholesky: The factorization could not be completed because the input is not "
                           "positive-definite (the leading minor of order 1 is not positive-definite).") from None
    arr = np.ascontiguousarray(np.swapaxes(low, -1, -2).conj() if upper else low)
    out = F._out(arr, LinalgCholeskyExBackward0, (a,))
    if out.grad_fn is not None:
        node = out.grad_fn
        node.saved, node.versions, node.upper = (_wrap(low),), (None,), upper
    return out


def cholesky_ex(a: Tensor, *, upper: bool = False, check_errors: bool = False):
    return _cholesky_ex_result(cholesky(a, upper), _wrap(np.zeros(a.shape[:-2], dtype=np.int32)))


def cholesky_solve(b: Tensor, u: Tensor, upper: bool = False) -> Tensor:
    """X with (L Lᴴ) X = B, given the Cholesky factor"""
    low = _mT(u) if upper else u
    return solve(F.matmul(low, _mT(low)), b)


def cholesky_inverse(u: Tensor, upper: bool = False) -> Tensor:
    low = _mT(u) if upper else u
    return inverse(F.matmul(low, _mT(low)))


def inv_ex(a: Tensor, *, check_errors: bool = False):
    return _inv_ex_result(inverse(a), _wrap(np.zeros(a.shape[:-2], dtype=np.int32)))


def pinv(a: Tensor, *, atol=None, rtol=None, hermitian: bool = False) -> Tensor:
    """Moore-Penrose pseudo-inverse"""
    rc = 1e-15 if rtol is None else rtol
    if rtol is None and atol is None:
        rc = builtins.max(a.shape[-2:]) * np.finfo(a._data.dtype).eps
    return _wrap(np.linalg.pinv(a._data, rcond=rc, hermitian=hermitian).astype(a._data.dtype))


def pinverse(a: Tensor, rcond: float = 1e-15) -> Tensor:
    return _wrap(np.linalg.pinv(a._data, rcond=rcond).astype(a._data.dtype))


def matrix_rank(a: Tensor, *, atol=None, rtol=None, hermitian: bool = False, tol=None) -> Tensor:
    s = np.linalg.svd(a._data, compute_uv=False)
    smax = s.max(axis=-1, keepdims=True) if s.size else s
    if atol is None and rtol is None:
        rtol = builtins.max(a.shape[-2:]) * np.finfo(a._data.dtype).eps
    thresh = np.maximum(atol or 0.0, (rtol or 0.0) * smax)
    return _wrap((s > thresh).sum(-1).astype(np.int64))


def lstsq(a: Tensor, b: Tensor, rcond=None, *, driver=None):
    """least-squares X minimising ‖A X - B‖"""
    vec = b.ndim == 1
    bd = b._data[:, None] if vec else b._data
    x, res, rank, sv = np.linalg.lstsq(a._data, bd, rcond=rcond)
    dt = a._data.dtype
    x = x[:, 0] if vec else x
    return _lstsq_result(_wrap(x.astype(dt)), _wrap(np.asarray(res, dtype=dt)),
                         _wrap(np.asarray(rank, dtype=np.int64)), _wrap(np.asarray(sv, dtype=dt)))


def solve_triangular(a: Tensor, b: Tensor, *, upper: bool, left: bool = True, unitriangular: bool = False):
    mask = np.triu(np.ones(a.shape[-2:], dtype=bool)) if upper else np.tril(np.ones(a.shape[-2:], dtype=bool))
    tri = F.where(_wrap(mask), a, 0.0)
    if unitriangular:
        eye = _wrap(np.eye(a.shape[-1], dtype=bool))
        tri = F.where(eye, 1.0, tri)
    return solve(tri, b, left=left)


def triangular_solve(b: Tensor, a: Tensor, upper: bool = True, transpose: bool = False,
                     unitriangular: bool = False):
    aa = _mT(a) if transpose else a
    x = solve_triangular(aa, b, upper=upper != transpose, unitriangular=unitriangular)
    return _named("triangular_solve", ["solution", "cloned_coefficient"])(x, a.clone())


def matrix_exp(a: Tensor) -> Tensor:
    """e^A by scaling and squaring with a degree-12 Taylor sum (float64 inside)"""
    x = a._data.astype(np.float64)
    nrm = np.abs(x).sum(-2).max() if x.size else 0.0
    s = builtins.max(0, int(np.ceil(np.log2(nrm))) + 1) if nrm > 0.5 else 0
    x = x / (2.0 ** s)
    eye = np.broadcast_to(np.eye(x.shape[-1]), x.shape)
    term, out = eye.copy(), eye.copy()
    for k in builtins.range(1, 19):
        term = term @ x / k
        out = out + term
    for _ in builtins.range(s):
        out = out @ out
    return _wrap(out.astype(a._data.dtype))


def cond(a: Tensor, p=None) -> Tensor:
    return _wrap(np.asarray(np.linalg.cond(a._data, p)).astype(a._data.dtype))


def tensorinv(a: Tensor, ind: int = 2) -> Tensor:
    return _wrap(np.linalg.tensorinv(a._data, ind))


def tensorsolve(a: Tensor, b: Tensor, dims=None) -> Tensor:
    return _wrap(np.linalg.tensorsolve(a._data, b._data, dims))


def frobenius_norm(x: Tensor, dim=(-2, -1), keepdim: bool = False) -> Tensor:
    return F.linalg_vector_norm(x, 2, dim, keepdim)


def nuclear_norm(x: Tensor, dim=None, keepdim: bool = False) -> Tensor:
    return _wrap(np.linalg.svd(x._data, compute_uv=False).sum(-1).astype(x._data.dtype))


def _matrix_norm(x: Tensor, ord="fro", dim=(-2, -1), keepdim: bool = False, *, dtype=None) -> Tensor:
    if ord == "fro":
        return F.linalg_vector_norm(x, 2, dim, keepdim)
    if ord == "nuc":
        return nuclear_norm(x)
    d0, d1 = (F._wrap_dim(d, x.ndim) for d in dim)
    if ord in (1, -1):
        s = x.abs().sum(d0, keepdim=True)
        r = s.amax(d1, keepdim=True) if ord == 1 else s.amin(d1, keepdim=True)
    elif ord in (math.inf, -math.inf):
        s = x.abs().sum(d1, keepdim=True)
        r = s.amax(d0, keepdim=True) if ord > 0 else s.amin(d0, keepdim=True)
    elif ord in (2, -2):
        sv = svdvals(x.movedim((d0, d1), (-2, -1)))
        r = sv.amax(-1) if ord == 2 else sv.amin(-1)
        return r
    else:
        raise RuntimeError(f"linalg.matrix_norm: Order {ord} not supported.")
    return r if keepdim else r.squeeze((d0, d1))


def _linalg_norm(x: Tensor, ord=None, dim=None, keepdim: bool = False, *, dtype=None) -> Tensor:
    if ord is None:
        return F.linalg_vector_norm(x, 2, dim, keepdim)
    if isinstance(ord, str) or (dim is not None and not isinstance(dim, int) and len(dim) == 2) or (
            dim is None and x.ndim == 2):
        return _matrix_norm(x, ord, (-2, -1) if dim is None else dim, keepdim)
    return F.linalg_vector_norm(x, ord, dim, keepdim)


def _linalg_vander(x: Tensor, *, N=None) -> Tensor:
    n = N if N is not None else x.shape[-1]
    return F.stack([x ** i for i in builtins.range(n)], -1)


def _linalg_diagonal(a: Tensor, *, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Tensor:
    return F.diagonal(a, offset, dim1, dim2)


class LinAlgError(RuntimeError):
    """raised by ember.linalg when a factorisation fails"""


def _build_linalg():
    from . import _compat as C
    return types.SimpleNamespace(
        vector_norm=C._vector_norm, matrix_norm=_matrix_norm, norm=_linalg_norm, det=det, inv=inverse,
        inv_ex=inv_ex, solve=solve, eigh=eigh, eigvalsh=eigvalsh, eig=eig, eigvals=eigvals, svd=linalg_svd,
        svdvals=svdvals, qr=linalg_qr, cholesky=cholesky, cholesky_ex=cholesky_ex, slogdet=slogdet, pinv=pinv,
        matrix_rank=matrix_rank, matrix_power=matrix_power, matrix_exp=matrix_exp, lstsq=lstsq, cond=cond,
        multi_dot=multi_dot, vecdot=vecdot, solve_triangular=solve_triangular, tensorinv=tensorinv,
        tensorsolve=tensorsolve, vander=_linalg_vander, diagonal=_linalg_diagonal, matmul=F.matmul, cross=C.cross,
        LinAlgError=LinAlgError)


# =====================================================================================================
# Statistics, reductions, searching
# =====================================================================================================

def aminmax(x: Tensor, *, dim=None, keepdim: bool = False):
    """(min, max) in one call"""
    if x.numel() == 0 and dim is None:
        raise RuntimeError("aminmax(): cannot compute aminmax over an empty dimension as the operation has no "
                           "identity.")
    if dim is None:
        lo, hi = F.amin(x), F.amax(x)
        if keepdim:
            lo, hi = lo.reshape((1,) * x.ndim), hi.reshape((1,) * x.ndim)
    else:
        lo, hi = F.amin(x, dim, keepdim), F.amax(x, dim, keepdim)
    return _aminmax_result(lo, hi)


def argwhere(x: Tensor) -> Tensor:
    return _wrap(np.argwhere(x._data).astype(np.int64))


def cov(x: Tensor, *, correction: int = 1, fweights=None, aweights=None) -> Tensor:
    """covariance of the rows (variables) over the columns (observations)"""
    if x.ndim > 2:
        raise RuntimeError(f"cov(): expected input to have two or fewer dimensions but got an input with "
                           f"{x.ndim} dimensions")
    obs = x if x.ndim == 2 else x.reshape(1, -1)
    if obs._data.dtype.kind not in "fc":
        obs = obs.to(D.get_default_dtype())
    n = obs.shape[1]
    w = None
    if fweights is not None:
        w = fweights
    if aweights is not None:
        w = aweights if w is None else w * aweights
    if w is None:
        avg = obs.mean(1)
        wsum = n
        norm = n - correction
    else:
        w = w.to(obs.dtype)
        wsum = w.sum()
        avg = (obs * w).sum(1) / wsum
        norm = wsum - correction if aweights is None else wsum - correction * (w * aweights).sum() / wsum
    xm = obs - avg.unsqueeze(1)
    xw = xm * w if w is not None else xm
    c = F.mm(xw, F.conj(xm).t() if xm.is_complex() else xm.t())
    if not isinstance(norm, Tensor):
        norm = builtins.max(norm, 0)
    else:
        norm = F.clamp(norm, min=0)
    r = c / norm
    return r.squeeze() if x.ndim < 2 else r


def corrcoef(x: Tensor) -> Tensor:
    """Pearson correlation coefficients of the rows"""
    c = cov(x)
    if c.ndim == 0:
        return c / c
    d = F.diagonal(c)
    sd = d.sqrt()
    c = c / sd.unsqueeze(1)
    c = c / sd.unsqueeze(0)
    return F.clamp(c, -1, 1)


def _quantile(x: Tensor, q, dim, keepdim, interpolation, ignore_nan, fn):
    if x._data.dtype.kind != "f":
        raise RuntimeError(f"{fn}() input tensor must be either float or double dtype")
    qt = q if isinstance(q, Tensor) else None
    qs = np.asarray(q._data if qt is not None else q, dtype=np.float64)
    if qs.ndim > 1:
        raise RuntimeError(f"{fn}() q must be a scalar or 1D tensor")
    if qs.size and (qs.min() < 0 or qs.max() > 1):
        raise RuntimeError(f"{fn}() q values must be in the range [0, 1]")
    if interpolation not in ("linear", "lower", "higher", "midpoint", "nearest"):
        raise RuntimeError(f"{fn}() interpolation must be one of linear, lower, higher, midpoint or nearest. "
                           f"Found {interpolation}")
    src = x.reshape(-1) if dim is None else x
    d = 0 if dim is None else F._wrap_dim(dim, x.ndim)
    srt = F.sort(src, d)[0] if src.ndim else src.reshape(1)
    n = srt.shape[d] if src.ndim else 1
    a = srt._data
    # per slice: how many valid (non-NaN) values; NaN sorts last
    nan_mask = np.isnan(np.moveaxis(a, d, -1))
    valid = (~nan_mask).sum(-1) if ignore_nan else np.full(nan_mask.shape[:-1], n)
    outs = []
    for qq in qs.reshape(-1):
        rank = qq * (valid - 1)
        if interpolation == "lower":
            rank = np.floor(rank)
        elif interpolation == "higher":
            rank = np.ceil(rank)
        elif interpolation == "nearest":
            rank = np.round(rank)  # half to even, as PyTorch
        lo = np.clip(np.floor(rank), 0, n - 1).astype(np.int64)
        hi = np.clip(np.ceil(rank), 0, n - 1).astype(np.int64)
        lo_t = _wrap(np.expand_dims(lo, d))
        hi_t = _wrap(np.expand_dims(hi, d))
        vlo = F.gather(srt, d, lo_t)
        vhi = F.gather(srt, d, hi_t)
        if interpolation == "midpoint":
            frac = np.full(lo.shape, 0.5) * (hi != lo)
        else:
            frac = rank - lo
        frac_t = _wrap(np.expand_dims(frac, d).astype(a.dtype))
        r = F.lerp(vlo, vhi, frac_t) if interpolation in ("linear", "midpoint") else vlo
        bad = valid == 0 if ignore_nan else nan_mask.any(-1)
        if bad.any():
            r = F.where(_wrap(np.expand_dims(bad, d)), math.nan, r)
        if keepdim:
            r = r if dim is not None else r.reshape((1,) * x.ndim)
        else:
            r = r.squeeze(d)
        outs.append(r)
    if qs.ndim == 0:
        return outs[0]
    return F.stack(outs, 0)


def quantile(x: Tensor, q, dim=None, keepdim: bool = False, *, interpolation: str = "linear") -> Tensor:
    """the q-th quantiles along dim (linear interpolation between order statistics by default)"""
    return _quantile(x, q, dim, keepdim, interpolation, False, "quantile")


def nanquantile(x: Tensor, q, dim=None, keepdim: bool = False, *, interpolation: str = "linear") -> Tensor:
    """quantile ignoring NaNs"""
    return _quantile(x, q, dim, keepdim, interpolation, True, "nanquantile")


def nanmedian(x: Tensor, dim=None, keepdim: bool = False):
    """median ignoring NaNs (lower of the two middle values)"""
    a = x._data
    if dim is None:
        v = a[~np.isnan(a)] if a.dtype.kind == "f" else a.reshape(-1)
        if v.size == 0:
            return _wrap(np.asarray(np.nan, dtype=a.dtype))
        s = np.sort(v)
        return _wrap(np.asarray(s[(s.size - 1) // 2]))
    from .return_types import minmax_result
    d = F._wrap_dim(dim, x.ndim)
    order = np.argsort(a, axis=d, kind="stable")  # NaNs last
    if a.dtype.kind == "f":
        cnt = (~np.isnan(a)).sum(d, keepdims=True)
    else:
        cnt = np.full(a.shape[:d] + (1,) + a.shape[d + 1:], a.shape[d])
    k = np.maximum((cnt - 1) // 2, 0)
    idx = np.take_along_axis(order, k, d)
    v = F.gather(x, d, _wrap(idx))
    idx_t = _wrap(idx)
    if not keepdim:
        v, idx_t = v.squeeze(d), idx_t.squeeze(d)
    return minmax_result(v, idx_t, "median")


def histogram(x: Tensor, bins=100, *, range=None, weight=None, density: bool = False):
    """counts over equal-width bins (or given edges)"""
    b = bins._data if isinstance(bins, Tensor) else bins
    w = weight._data if weight is not None else None
    h, edges = np.histogram(x._data, bins=b, range=range, weights=w, density=density)
    dt = x._data.dtype
    return _histogram_result(_wrap(h.astype(dt)), _wrap(edges.astype(dt)))


def unique_consecutive(x: Tensor, return_inverse: bool = False, return_counts: bool = False, dim=None):
    """collapse runs of equal consecutive values"""
    a = x._data
    if dim is None:
        flat = a.reshape(-1)
        if flat.size == 0:
            keep = np.zeros(0, dtype=bool)
        else:
            keep = np.concatenate([[True], flat[1:] != flat[:-1]])
        vals = _wrap(flat[keep])
        inv_shape = a.shape
    else:
        d = F._wrap_dim(dim, x.ndim)
        m = np.moveaxis(a, d, 0).reshape(a.shape[d], -1)
        keep = np.concatenate([[True], (m[1:] != m[:-1]).any(1)]) if m.shape[0] else np.zeros(0, dtype=bool)
        vals = _wrap(np.ascontiguousarray(np.compress(keep, a, axis=d)))
        inv_shape = (a.shape[d],)
    out = [vals]
    if return_inverse:
        out.append(_wrap((np.cumsum(keep) - 1).reshape(inv_shape).astype(np.int64)))
    if return_counts:
        starts = np.flatnonzero(keep)
        out.append(_wrap(np.diff(np.append(starts, keep.size)).astype(np.int64)))
    return out[0] if len(out) == 1 else tuple(out)


def combinations(x: Tensor, r: int = 2, with_replacement: bool = False) -> Tensor:
    """all r-length combinations of a 1-D tensor's elements, as rows"""
    if x.ndim != 1:
        raise RuntimeError(f"Expect a 1D vector, but got shape {_shape_str(x.shape)}")
    n = x.shape[0]
    it = itertools.combinations_with_replacement if with_replacement else itertools.combinations
    idx = np.array(list(it(builtins.range(n), r)), dtype=np.int64).reshape(-1, r)
    if idx.shape[0] == 0:
        return _wrap(np.empty((0,) if r != 1 else (0, 1), dtype=x._data.dtype))
    return x[_wrap(idx)]


def trapezoid(y: Tensor, x=None, *, dx=None, dim: int = -1) -> Tensor:
    """∫ y by the trapezoid rule along dim"""
    n = y.shape[dim]
    if n == 0:
        return y.sum(dim)
    lo, hi = F.narrow(y, dim, 0, n - 1), F.narrow(y, dim, 1, n - 1)
    if x is None:
        r = (lo + hi).sum(dim)
        return r * ((dx if dx is not None else 1) / 2)
    if not isinstance(x, Tensor):
        return (lo + hi).sum(dim) * (x / 2)
    d = x.diff(dim=-1 if x.ndim == 1 else dim)
    if x.ndim == 1 and y.ndim > 1:
        shape = [1] * y.ndim
        shape[F._wrap_dim(dim, y.ndim)] = n - 1
        d = d.reshape(shape)
    return ((lo + hi) * d).sum(dim) / 2


def cumulative_trapezoid(y: Tensor, x=None, *, dx=None, dim: int = -1) -> Tensor:
    n = y.shape[dim]
    lo, hi = F.narrow(y, dim, 0, builtins.max(n - 1, 0)), F.narrow(y, dim, 1, builtins.max(n - 1, 0))
    if isinstance(x, Tensor):
        d = x.diff(dim=-1 if x.ndim == 1 else dim)
        if x.ndim == 1 and y.ndim > 1:
            shape = [1] * y.ndim
            shape[F._wrap_dim(dim, y.ndim)] = n - 1
            d = d.reshape(shape)
        return F.cumsum((lo + hi) * d / 2, dim)
    step = dx if dx is not None else (x if x is not None else 1)
    return F.cumsum((lo + hi) * (step / 2), dim)


def trapz(y, x=None, *, dx=None, dim=-1):
    return trapezoid(y, x, dx=dx, dim=dim)


def renorm(x: Tensor, p, dim: int, maxnorm) -> Tensor:
    """each slice along dim rescaled so its p-norm is at most maxnorm"""
    d = F._wrap_dim(dim, x.ndim)
    other = [i for i in builtins.range(x.ndim) if i != d]
    norms = F.linalg_vector_norm(x, p, other, True)
    scale = F.where(norms > maxnorm, maxnorm / (norms + 1e-7), 1.0)
    return F._renamed(x * scale, "RenormBackward0")


def pdist(x: Tensor, p: float = 2.0) -> Tensor:
    """the p-norm distances between every pair of rows (upper triangle, row-major)"""
    if x.ndim != 2:
        raise RuntimeError(f"pdist only supports 2D tensors, got: {x.ndim}D")
    n = x.shape[0]
    i, j = np.triu_indices(n, 1)
    diff = x[_wrap(i.astype(np.int64))] - x[_wrap(j.astype(np.int64))]
    return F._renamed(F.linalg_vector_norm(diff, p, -1), "PdistBackward0")


def gradient(y: Tensor, *, spacing=1, dim=None, edge_order: int = 1):
    """central differences inside, one-sided at the edges, along each dim"""
    dims = list(builtins.range(y.ndim)) if dim is None else ([dim] if isinstance(dim, int) else list(dim))
    sp = spacing if isinstance(spacing, (list, tuple)) else [spacing] * len(dims)
    args = []
    for s in sp:
        args.append(s._data if isinstance(s, Tensor) else float(s) if not isinstance(s, (list, tuple)) else s)
    a = y._data if y._data.dtype.kind == "f" else y._data.astype(D.get_default_dtype().np)
    r = np.gradient(a, *args, axis=tuple(dims), edge_order=edge_order)
    r = r if isinstance(r, (list, tuple)) else [r]
    return tuple(_wrap(np.asarray(g).astype(a.dtype)) for g in r)


def diagflat(x: Tensor, offset: int = 0) -> Tensor:
    from . import _compat as C
    return C.diag_embed(x.reshape(-1), offset)


def unravel_index(indices, shape):
    idx = indices._data if isinstance(indices, Tensor) else np.asarray(indices)
    if idx.dtype.kind not in "iu":
        raise TypeError(f"expected 'indices' to be integer dtype, but got {F._long_name(D.from_numpy_dtype(idx.dtype))}")
    shape = (shape,) if isinstance(shape, int) else tuple(shape)
    total = int(np.prod(shape))
    if idx.size and (idx.min() < -total or idx.max() >= total):
        raise RuntimeError(f"unravel_index: index out of range for a tensor of {total} elements")
    return tuple(_wrap(np.asarray(r, dtype=np.int64)) for r in np.unravel_index(np.mod(idx, total), shape))


def scatter_reduce(x: Tensor, dim: int, index: Tensor, src: Tensor, reduce: str, *,
                   include_self: bool = True) -> Tensor:
    """x with src reduced into positions index along dim ('sum', 'prod', 'mean', 'amax', 'amin')"""
    if reduce not in ("sum", "prod", "mean", "amax", "amin"):
        raise RuntimeError(f"reduce argument must be either sum, prod, mean, amax or amin, got {reduce}")
    d = F._wrap_dim(dim, x.ndim)
    idx = index._data
    # positions in x addressed by each element of index
    grids = list(np.indices(idx.shape, sparse=True))
    grids[d] = idx
    target = tuple(grids)
    s = src._data[tuple(slice(0, n) for n in idx.shape)]
    out = x._data.copy()
    hit = np.zeros(x.shape, dtype=bool)
    hit[target] = True
    if reduce == "sum" or reduce == "mean":
        if not include_self:
            out[hit] = 0
        np.add.at(out, target, s)
        if reduce == "mean":
            cnt = np.zeros(x.shape, dtype=np.int64) + (1 if include_self else 0)
            np.add.at(cnt, target, 1)
            cnt = np.maximum(cnt, 1)
            out = (out / cnt).astype(out.dtype) if out.dtype.kind == "f" else out // cnt
    elif reduce == "prod":
        if not include_self:
            out[hit] = 1
        np.multiply.at(out, target, s)
    else:
        ufunc = np.maximum if reduce == "amax" else np.minimum
        if not include_self:
            info = np.finfo(out.dtype) if out.dtype.kind == "f" else np.iinfo(out.dtype)
            out[hit] = info.min if reduce == "amax" else info.max
        ufunc.at(out, target, s)
    return _wrap(out)


def index_reduce(x, dim, index, source, reduce, *, include_self=True):
    d = F._wrap_dim(dim, x.ndim)
    shape = [1] * x.ndim
    shape[d] = -1
    idx = index.reshape(shape).expand(source.shape)
    return scatter_reduce(x, d, idx.contiguous(), source, {"mean": "mean", "prod": "prod", "amax": "amax",
                                                           "amin": "amin"}[reduce], include_self=include_self)


def put(x: Tensor, index: Tensor, source: Tensor, accumulate: bool = False) -> Tensor:
    out = x._data.copy()
    flat = out.reshape(-1)
    i = index._data.reshape(-1)
    if accumulate:
        np.add.at(flat, i, source._data.reshape(-1))
    else:
        flat[i] = source._data.reshape(-1)
    return _wrap(flat.reshape(x.shape))


# =====================================================================================================
# Splitting and stacking
# =====================================================================================================

def _split_dim(x, sections, dim, name, min_dim):
    if x.ndim < min_dim:
        raise RuntimeError(f"torch.{name} requires a tensor with at least {min_dim} dimension, but got a tensor "
                           f"with {x.ndim} dimensions!")
    if isinstance(sections, int) and x.shape[dim] % sections != 0:
        raise RuntimeError(f"torch.{name} attempted to split along dimension {dim}, but the size of the "
                           f"dimension {x.shape[dim]} is not divisible by the split_size {sections}!")
    return F.tensor_split(x, sections, dim)


def hsplit(x: Tensor, sections):
    return _split_dim(x, sections, 1 if x.ndim > 1 else 0, "hsplit", 1)


def vsplit(x: Tensor, sections):
    return _split_dim(x, sections, 0, "vsplit", 2)


def dsplit(x: Tensor, sections):
    return _split_dim(x, sections, 2, "dsplit", 3)


def row_stack(tensors) -> Tensor:
    return F.vstack(tensors)


# =====================================================================================================
# Creation, defaults, and no-op contexts
# =====================================================================================================

def scalar_tensor(s, *, dtype=None, device=None, requires_grad: bool = False, **_) -> Tensor:
    dt = (dtype or D.get_default_dtype()).np
    t = _wrap(np.asarray(s, dtype=dt))
    if requires_grad:
        t.requires_grad_(True)
    return t


def empty_strided(size, stride, *, dtype=None, device=None, requires_grad: bool = False, **_) -> Tensor:
    dt = (dtype or D.get_default_dtype()).np
    t = _wrap(np.zeros(tuple(size), dtype=dt))
    if requires_grad:
        t.requires_grad_(True)
    return t


def empty_permuted(size, physical_layout, *, dtype=None, **_) -> Tensor:
    return _wrap(np.zeros(tuple(size), dtype=(dtype or D.get_default_dtype()).np))


def _window(np_fn, name):
    def win(window_length: int, periodic: bool = True, *, dtype=None, **_) -> Tensor:
        dt = (dtype or D.get_default_dtype()).np
        if window_length == 0:
            return _wrap(np.zeros(0, dtype=dt))
        if window_length == 1:
            return _wrap(np.ones(1, dtype=dt))
        n = window_length + 1 if periodic else window_length
        w = np_fn(n)
        return _wrap((w[:-1] if periodic else w).astype(dt))
    win.__name__ = name
    return win


hann_window = _window(np.hanning, "hann_window")
hamming_window = _window(np.hamming, "hamming_window")
blackman_window = _window(np.blackman, "blackman_window")
bartlett_window = _window(np.bartlett, "bartlett_window")


def kaiser_window(window_length: int, periodic: bool = True, beta: float = 12.0, *, dtype=None, **_) -> Tensor:
    dt = (dtype or D.get_default_dtype()).np
    if window_length == 1:
        return _wrap(np.ones(1, dtype=dt))
    n = window_length + 1 if periodic else window_length
    w = np.kaiser(n, beta)
    return _wrap((w[:-1] if periodic else w).astype(dt))


def set_default_tensor_type(t) -> None:
    """legacy: set the default float dtype from a tensor type (torch.DoubleTensor or its name)"""
    name = t if isinstance(t, str) else getattr(t, "__name__", "")
    name = name.rsplit(".", 1)[-1]
    dt = {"FloatTensor": D.float32, "DoubleTensor": D.float64, "HalfTensor": D.float16,
          "BFloat16Tensor": D.bfloat16}.get(name)
    if dt is None:
        raise TypeError("only floating-point types are supported as the default type")
    D.set_default_dtype(dt)


def is_same_size(a: Tensor, b: Tensor) -> bool:
    return tuple(a.shape) == tuple(b.shape)


def is_signed(x: Tensor) -> bool:
    return x._data.dtype.kind in "fic"


def is_conj(x: Tensor) -> bool:
    return False


def is_neg(x: Tensor) -> bool:
    return False


def is_inference(x: Tensor) -> bool:
    return getattr(x, "_inference", False)


def resolve_conj(x: Tensor) -> Tensor:
    return x


def resolve_neg(x: Tensor) -> Tensor:
    return x


class autocast(contextlib.ContextDecorator):
    """Mixed precision is a no-op on ember's CPU: the context and decorator run the code unchanged."""

    def __init__(self, device_type: str = "cpu", dtype=None, enabled: bool = True, cache_enabled=None):
        self.device_type, self.fast_dtype, self._enabled = device_type, dtype, enabled

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def is_autocast_enabled(device_type=None) -> bool:
    return False


def get_autocast_dtype(device_type="cpu"):
    return D.bfloat16 if device_type == "cpu" else D.float16


class GradScaler:
    """Loss scaling for float16 training; on the CPU it is disabled and every call passes through."""

    def __init__(self, device: str = "cuda", init_scale: float = 2.0 ** 16, growth_factor: float = 2.0,
                 backoff_factor: float = 0.5, growth_interval: int = 2000, enabled: bool = True):
        self._enabled = False
        self._scale = init_scale

    def scale(self, outputs):
        return outputs

    def unscale_(self, optimizer) -> None:
        return None

    def step(self, optimizer, *args, **kwargs):
        return optimizer.step(*args, **kwargs)

    def update(self, new_scale=None) -> None:
        return None

    def get_scale(self) -> float:
        return 1.0

    def is_enabled(self) -> bool:
        return self._enabled

    def state_dict(self) -> dict:
        return {}

    def load_state_dict(self, state) -> None:
        return None


# =====================================================================================================
# Legacy typed tensor classes: torch.FloatTensor(2, 3), isinstance(x, torch.LongTensor), x.type(torch.IntTensor)
# =====================================================================================================

class _LegacyTensorMeta(type):
    def __instancecheck__(cls, obj):
        return isinstance(obj, Tensor) and obj._data.dtype == cls._dtype.np

    def __call__(cls, *args, **kwargs):
        dt = cls._dtype
        if len(args) == 1 and isinstance(args[0], Tensor):
            return args[0].to(dt)
        if args and all(isinstance(a, int) and not isinstance(a, bool) for a in args):
            return _wrap(np.zeros(args, dtype=dt.np))
        if len(args) == 1 and isinstance(args[0], (tuple, list)) and args[0] == [] or not args:
            return _wrap(np.zeros((0,), dtype=dt.np))
        if len(args) == 1 and isinstance(args[0], (list, tuple, np.ndarray, int, float, bool)):
            from ._creation import tensor
            if isinstance(args[0], (int, float, bool)):
                raise TypeError(f"new(): data must be a sequence (got {type(args[0]).__name__})")
            return tensor(args[0], dtype=dt)
        from . import Size
        if len(args) == 1 and isinstance(args[0], Size):
            return _wrap(np.zeros(tuple(args[0]), dtype=dt.np))
        raise TypeError("new() received an invalid combination of arguments")

    def __repr__(cls):
        return f"<class 'torch.{cls.__name__}'>"


def _legacy(name: str, dt) -> type:
    return _LegacyTensorMeta(name, (), {"_dtype": dt, "dtype": dt, "__module__": "torch",
                                        "is_cuda": False, "is_sparse": False})


FloatTensor = _legacy("FloatTensor", D.float32)
DoubleTensor = _legacy("DoubleTensor", D.float64)
HalfTensor = _legacy("HalfTensor", D.float16)
BFloat16Tensor = _legacy("BFloat16Tensor", D.bfloat16)
LongTensor = _legacy("LongTensor", D.int64)
IntTensor = _legacy("IntTensor", D.int32)
ShortTensor = _legacy("ShortTensor", D.int16)
CharTensor = _legacy("CharTensor", D.int8)
ByteTensor = _legacy("ByteTensor", D.uint8)
BoolTensor = _legacy("BoolTensor", D.bool_)
_LEGACY = {c.__name__: c for c in (FloatTensor, DoubleTensor, HalfTensor, BFloat16Tensor, LongTensor, IntTensor,
                                   ShortTensor, CharTensor, ByteTensor, BoolTensor)}


def legacy_dtype(t):
    """The dtype named by a legacy type (class or 'torch.XTensor' string), or None."""
    if isinstance(t, _LegacyTensorMeta):
        return t._dtype
    if isinstance(t, str):
        cls = _LEGACY.get(t.rsplit(".", 1)[-1])
        return cls._dtype if cls is not None else None
    return None


# =====================================================================================================
# Top-level aliases and in-place function forms
# =====================================================================================================

def true_divide(a, b):
    return F.div(a, b)


def negative(x):
    return F.neg(x)


def fill(x: Tensor, value) -> Tensor:
    return F.full_like(x, value) if hasattr(F, "full_like") else _wrap(np.full_like(x._data, value))


def _inplace_fn(method: str):
    def fn(x, *args, **kwargs):
        return getattr(x, method)(*args, **kwargs)
    fn.__name__ = method
    return fn


INPLACE_FUNCTIONS = ["abs_", "acos_", "acosh_", "asin_", "asinh_", "atan_", "atanh_", "ceil_", "cos_", "cosh_",
                     "erf_", "erfc_", "exp_", "exp2_", "expm1_", "floor_", "frac_", "log_", "log10_", "log1p_",
                     "log2_", "neg_", "negative_", "reciprocal_", "round_", "rsqrt_", "sin_", "sinh_", "sqrt_",
                     "square_", "tan_", "trunc_", "fix_", "clamp_max_", "clamp_min_", "clip_", "fill_", "sinc_",
                     "deg2rad_", "rad2deg_", "gcd_", "lcm_", "ldexp_", "logit_", "xlogy_", "i0_", "detach_",
                     "nan_to_num_", "arccos_", "arccosh_", "arcsin_", "arcsinh_", "arctan_", "arctanh_",
                     "index_put_"]


def _nnf():
    from .nn import functional
    return functional


def _same_as_functional(name: str):
    # nn.functional loads on first call, keeping ``import ember`` light
    def fn(*args, **kwargs):
        return getattr(_nnf(), name)(*args, **kwargs)
    fn.__name__ = name
    return fn


FUNCTIONAL_ALIASES = ["conv1d", "conv2d", "conv_transpose1d", "conv_transpose2d", "max_pool1d", "max_pool2d",
                      "avg_pool1d", "adaptive_avg_pool1d", "adaptive_max_pool1d", "selu", "celu", "rrelu", "prelu",
                      "hardshrink", "pixel_shuffle", "pixel_unshuffle", "bilinear", "alpha_dropout"]
_REDUCTIONS = {0: "none", 1: "mean", 2: "sum"}


def _reduction(r) -> str:
    return _REDUCTIONS.get(r, r) if isinstance(r, int) else r


# the top-level loss functions take reduction as an enum and, unlike nn.functional, default to 0 ('none')


def threshold(x, threshold, value):
    return _nnf().threshold(x, threshold, value)


def dropout(x: Tensor, p: float, train: bool) -> Tensor:
    return _nnf().dropout(x, p, train)


def feature_dropout(x: Tensor, p: float, train: bool) -> Tensor:
    return _nnf().dropout2d(x, p, train) if x.ndim == 4 else _nnf().dropout1d(x, p, train)


def embedding(weight: Tensor, indices: Tensor, padding_idx: int = -1, scale_grad_by_freq: bool = False,
              sparse: bool = False) -> Tensor:
    """torch.embedding takes the weight first (nn.functional.embedding takes the indices first)"""
    return _nnf().embedding(indices, weight, None if padding_idx == -1 else padding_idx)


def batch_norm(x, weight, bias, running_mean, running_var, training, momentum, eps, cudnn_enabled=True):
    return _nnf().batch_norm(x, running_mean, running_var, weight, bias, training, momentum, eps)


def layer_norm(x, normalized_shape, weight=None, bias=None, eps=1e-5, cudnn_enable=True):
    return _nnf().layer_norm(x, normalized_shape, weight, bias, eps)


def group_norm(x, num_groups, weight=None, bias=None, eps=1e-5, cudnn_enabled=True):
    return _nnf().group_norm(x, num_groups, weight, bias, eps)


def instance_norm(x, weight, bias, running_mean, running_var, use_input_stats, momentum, eps, cudnn_enabled=True):
    return _nnf().instance_norm(x, running_mean, running_var, weight, bias, use_input_stats, momentum, eps)


def binary_cross_entropy_with_logits(x, target, weight=None, pos_weight=None, reduction=0):
    return _nnf().binary_cross_entropy_with_logits(x, target, weight, reduction=_reduction(reduction),
                                                   pos_weight=pos_weight)


def kl_div(x, target, reduction=0, *, log_target=False):
    return _nnf().kl_div(x, target, reduction=_reduction(reduction), log_target=log_target)


def poisson_nll_loss(x, target, log_input, full, eps, reduction):
    return _nnf().poisson_nll_loss(x, target, log_input, full, eps=eps, reduction=_reduction(reduction))


def cosine_embedding_loss(x1, x2, target, margin=0.0, reduction=0):
    return _nnf().cosine_embedding_loss(x1, x2, target, margin, reduction=_reduction(reduction))


def margin_ranking_loss(x1, x2, target, margin=0.0, reduction=0):
    return _nnf().margin_ranking_loss(x1, x2, target, margin, reduction=_reduction(reduction))


def hinge_embedding_loss(x, target, margin=1.0, reduction=0):
    """x where target != -1, plus max(0, margin - x) where target != 1"""
    loss = F.where(target != -1, x, 0.0) + F.where(target != 1, F.clamp_min(margin - x, 0), 0.0)
    r = _reduction(reduction)
    return loss.mean() if r == "mean" else loss.sum() if r == "sum" else loss


def triplet_margin_loss(anchor, positive, negative, margin=1.0, p=2.0, eps=1e-6, swap=False, reduction=0):
    """max(d(a, p) - d(a, n) + margin, 0) with d the pairwise p-norm distance"""
    from . import _compat as C
    dp = C.pairwise_distance(anchor, positive, p, eps)
    dn = C.pairwise_distance(anchor, negative, p, eps)
    if swap:
        dn = F.minimum(dn, C.pairwise_distance(positive, negative, p, eps))
    loss = F.clamp_min(dp - dn + margin, 0)
    r = _reduction(reduction)
    return loss.mean() if r == "mean" else loss.sum() if r == "sum" else loss


def channel_shuffle(x: Tensor, groups: int) -> Tensor:
    """(N, g·c, ...) -> (N, c·g, ...): channels regrouped by transposing the (g, c) split"""
    n, ch = x.shape[0], x.shape[1]
    rest = tuple(x.shape[2:])
    return x.reshape((n, groups, ch // groups) + rest).transpose(1, 2).reshape((n, ch) + rest)


def rms_norm(x: Tensor, normalized_shape, weight=None, eps=None) -> Tensor:
    """x / √(mean(x²) + eps) over the trailing normalized_shape dims, times weight"""
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    dims = tuple(builtins.range(-len(shape), 0))
    if eps is None:
        eps = float(np.finfo(F._float_data(x).dtype).eps)
    r = x * F.rsqrt((x * x).mean(dims, keepdim=True) + eps)
    return r * weight if weight is not None else r


def _sgn(x: Tensor) -> Tensor:
    """x/|x| (sign for real tensors)"""
    return x.sgn()


def _fix(x: Tensor) -> Tensor:
    return F.trunc(x)


def as_strided(x: Tensor, size, stride, storage_offset=None) -> Tensor:
    return x.as_strided(size, stride, storage_offset)


def _ravel(x: Tensor) -> Tensor:
    return F.reshape(x, (-1,))


def _build_special():
    from . import _compat as C
    return types.SimpleNamespace(
        expit=F.sigmoid, erf=F.erf, erfc=erfc, erfinv=erfinv, erfcx=erfcx, logit=C.logit, xlogy=C.xlogy,
        xlog1py=xlog1py, logsumexp=F.logsumexp, softmax=_softmax_special, log_softmax=F.log_softmax, expm1=F.expm1,
        log1p=F.log1p, exp2=F.exp2, gammaln=lgamma, digamma=digamma, psi=digamma, polygamma=polygamma,
        multigammaln=multigammaln, i0=i0, i0e=i0e, i1=special_i1, i1e=i1e, ndtr=ndtr, ndtri=ndtri,
        log_ndtr=log_ndtr, entr=entr, sinc=sinc, round=special_round, gammainc=igamma, gammaincc=igammac,
        zeta=zeta)


# =====================================================================================================
# Small top-level names: *_copy variants, process/backend queries, in-place functional forms
# =====================================================================================================

def _copy_of(method: str):
    def fn(x, *args, **kwargs):
        r = getattr(x, method)(*args, **kwargs)
        if isinstance(r, (tuple, list)):
            return tuple(t.clone() for t in r)
        return r.clone()
    fn.__name__ = method + "_copy"
    fn.__doc__ = f"x.{method}(...) as a new tensor (no view)"
    return fn


COPY_VARIANTS = ["permute", "t", "transpose", "unsqueeze", "squeeze", "view", "expand", "diagonal", "select",
                 "detach", "narrow", "unbind", "split", "split_with_sizes", "as_strided", "unfold"]


def alias_copy(x: Tensor) -> Tensor:
    return x.clone()


def view_as_real_copy(x: Tensor) -> Tensor:
    return view_as_real(x).clone()


def view_as_complex_copy(x: Tensor) -> Tensor:
    return view_as_complex(x).clone()


def split_with_sizes(x: Tensor, split_sizes, dim: int = 0):
    return F.split(x, list(split_sizes), dim)


def conj_physical(x: Tensor) -> Tensor:
    return F.conj(x)


def get_device(x) -> int:
    return -1


def is_storage(obj) -> bool:
    return False


def is_distributed(x) -> bool:
    return False


_warn_always = [False]


def set_warn_always(b: bool) -> None:
    _warn_always[0] = bool(b)


def is_warn_always_enabled() -> bool:
    return _warn_always[0]


_interop_threads = [1]


def set_num_interop_threads(n: int) -> None:
    _interop_threads[0] = int(n)


def get_num_interop_threads() -> int:
    return _interop_threads[0]


def set_flush_denormal(mode: bool) -> bool:
    """NumPy keeps denormals; report the switch as unsupported"""
    return False


def is_anomaly_enabled() -> bool:
    from .autograd import anomaly
    return anomaly.state.enabled


def set_anomaly_enabled(enabled: bool, check_nan: bool = True) -> None:
    from .autograd import anomaly
    anomaly.state.enabled = bool(enabled)


def is_autocast_cpu_enabled() -> bool:
    return False


def set_autocast_enabled(*args) -> None:
    return None


def dropout_(x: Tensor, p: float, train: bool) -> Tensor:
    return x.copy_(dropout(x, p, train)) if train else x


def alpha_dropout_(x: Tensor, p: float, train: bool) -> Tensor:
    return x.copy_(_nnf().alpha_dropout(x, p, train)) if train else x


def feature_dropout_(x: Tensor, p: float, train: bool) -> Tensor:
    return x.copy_(feature_dropout(x, p, train)) if train else x


def feature_alpha_dropout(x: Tensor, p: float, train: bool) -> Tensor:
    return _nnf().alpha_dropout(x, p, train)


def threshold_(x: Tensor, threshold, value) -> Tensor:
    return _nnf().threshold(x, threshold, value, inplace=True)


def selu_(x: Tensor) -> Tensor:
    return _nnf().selu(x, inplace=True)


def celu_(x: Tensor, alpha: float = 1.0) -> Tensor:
    return _nnf().celu(x, alpha, inplace=True)


def rrelu_(x: Tensor, lower: float = 1.0 / 8, upper: float = 1.0 / 3, training: bool = False) -> Tensor:
    return _nnf().rrelu(x, lower, upper, training, inplace=True)


distributed = types.SimpleNamespace(is_available=lambda: False, is_initialized=lambda: False,
                                    get_rank=lambda *a: 0, get_world_size=lambda *a: 1, barrier=lambda *a, **k: None)
cpu = types.SimpleNamespace(is_available=lambda: True, device_count=lambda: 1, current_device=lambda: "cpu",
                            synchronize=lambda *a: None, amp=types.SimpleNamespace(autocast=autocast))


def vmap(func, in_dims=0, out_dims=0, randomness: str = "error", *, chunk_size=None):
    """func mapped over a dim of its inputs (see ember.func.vmap)"""
    from .func import vmap as _vmap
    return _vmap(func, in_dims, out_dims, randomness, chunk_size=chunk_size)


def adjoint(x: Tensor) -> Tensor:
    """the conjugate transpose of the last two dims (a view)"""
    return x.adjoint()


def unsafe_chunk(x: Tensor, chunks: int, dim: int = 0):
    return F.chunk(x, chunks, dim)


def unsafe_split(x: Tensor, split_size, dim: int = 0):
    return F.split(x, split_size, dim)


def constant_pad_nd(x: Tensor, pad, value=0) -> Tensor:
    return _nnf().pad(x, pad, "constant", value)


def resize_as_(x: Tensor, other: Tensor, *, memory_format=None) -> Tensor:
    return x.resize_as_(other)


def torch_cholesky(a: Tensor, upper: bool = False) -> Tensor:
    """the deprecated torch.cholesky: linalg.cholesky under the old node name"""
    return F._renamed(cholesky(a, upper), "CholeskyBackward0")
