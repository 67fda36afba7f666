"""Special functions: erfc, erfinv, lgamma, digamma, polygamma, Bessel, zeta, gammainc, ... (torch.special)."""

from __future__ import annotations

import builtins
import math

from .._array import np
from .._core import modes
from .._core.args import _float_data, _promote_pair
from .._core.exposure import expose
from .._core.node import Node
from .._core.record import _edge, _out, _record, _renamed, _saved_output
from .._core.tensor import Tensor, _wrap
from .creation import _t
from .pointwise import where
from .softmax import softmax
from .unary import _quietly, abs, cos, erf, exp, log, log1p, round

__all__ = ["erfc", "erfinv", "lgamma", "digamma", "i0", "special_i1", "sinc", "polygamma", "mvlgamma",
           "igamma", "igammac", "xlog1py", "entr", "ndtr", "ndtri", "log_ndtr", "i0e", "i1e", "erfcx",
           "multigammaln", "zeta", "special_round"]





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


class _Unary(Node):
    """Base of the table-made special-function nodes: ``rule(g, x, y)`` gives dL/dx from g = dL/dy."""
    rule = None

    def backward(self, g):
        x, y = self.saved_values()
        return (type(self).rule(g, x, y),)


def _make_unary(name, node_name, forward, keeps, rule, doc):
    node_cls = type(node_name, (_Unary,), {"rule": staticmethod(rule), "__doc__": doc, "__module__": __name__})

    def op(x):
        x = _t(x)
        r = np.asarray(_quietly(forward, _float_data(x)))
        t = _wrap(r)
        if modes.grad.enabled and x._rg:
            node = node_cls((_edge(x),))
            node.saved = (x if "x" in keeps else None, _saved_output(node, t) if "y" in keeps else None)
            node.versions = (x._version if "x" in keeps else None, 0 if "y" in keeps else None)
            _record(t, node)
        return t

    op.__name__, op.__doc__ = name, doc
    return op


def _unary(name, node, fwd, keeps, rule, doc):
    return _make_unary(name, node, _via64(fwd), keeps, rule, doc)


erfc = _unary("erfc", "ErfcBackward0", _erfc_np, "x", lambda g, x, y: g * exp(-(x * x)) * (-2 / _SQRT_PI),
              "1 - erf x;  d/dx = -2/√π e^(-x^2)")

expose(erfc, method=True, inplace=True)


erfinv = _unary("erfinv", "ErfinvBackward0", _erfinv_np, "y",
                lambda g, x, y: g * exp(y * y) * (_SQRT_PI / 2), "erf⁻¹ x;  d/dx = √π/2 e^(erfinv(x)^2)")

expose(erfinv, method=True, inplace=True)


lgamma = _unary("lgamma", "LgammaBackward0", _lgamma_np, "x", lambda g, x, y: g * digamma(x),
                "ln|Γ(x)|;  d/dx = ψ(x)")

expose(lgamma, method=True, inplace=True)


digamma = _unary("digamma", "DigammaBackward0",
                 lambda a: _sp.digamma(a) if _sp else _digamma_np(a), "x",
                 lambda g, x, y: g * polygamma(1, x), "ψ(x) = d/dx ln Γ(x);  d/dx = ψ'(x)")

expose(digamma, method=True, inplace=True)


i0 = _unary("i0", "I0Backward0", np.i0, "x", lambda g, x, y: g * special_i1(x),
            "modified Bessel I₀(x);  d/dx = I₁(x)")

expose(i0, method=True, inplace=True)


special_i1 = _unary("i1", "SpecialI1Backward0", _i1_np, "xy",
                    lambda g, x, y: g * (i0(x) - where(x == 0, 0.5, y / where(x == 0, 1.0, x))),
                    "modified Bessel I₁(x);  d/dx = I₀(x) - I₁(x)/x")


def _sinc_rule(g, x, y):
    px = x * math.pi
    safe = where(x == 0, 1.0, px)
    return g * where(x == 0, 0.0, (cos(px) * math.pi - y * math.pi) / safe)


sinc = _unary("sinc", "SincBackward0", _sinc_np, "xy", _sinc_rule, "sin(πx)/(πx);  d/dx = (cos πx - sinc x)/x")

expose(sinc, method=True, inplace=True)


class PolygammaBackward0(Node):
    """y = ψ⁽ⁿ⁾(x):  dx = g ψ⁽ⁿ⁺¹⁾(x)"""

    def backward(self, g):
        (x,) = self.saved_values()
        return (g * polygamma(self.n + 1, x),)


def polygamma(n: int, x: Tensor) -> Tensor:
    """ψ⁽ⁿ⁾(x), the n-th derivative of the digamma function"""
    x = _t(x)
    xd = _float_data(x)
    with np.errstate(all="ignore"):
        r = np.asarray(_polygamma_np(n, xd.astype(np.float64))).astype(xd.dtype)
    out = _out(r, PolygammaBackward0, (x,), saved=(x,))
    if out.grad_fn is not None:
        out.grad_fn.n = n
    return out

expose(polygamma)


def _polygamma_method(x, n):
    """x.polygamma(n) = polygamma(n, x)"""
    return polygamma(n, x)

expose(_polygamma_method, torch=False, method="polygamma", inplace="polygamma_")


def mvlgamma(x: Tensor, p: int) -> Tensor:
    """multivariate log-gamma: p(p-1)/4 ln π + Σ_j lgamma(x - j/2)"""
    if bool((x._data <= (p - 1) / 2).any()):
        raise RuntimeError("All elements must be greater than (p-1)/2")
    j = _wrap(np.arange(p, dtype=_float_data(x).dtype) / 2)
    r = lgamma(x.unsqueeze(-1) - j).sum(-1) + p * (p - 1) / 4 * math.log(math.pi)
    return _renamed(r, "MvlgammaBackward0")

expose(mvlgamma, method=True, inplace=True)


def igamma(a: Tensor, x: Tensor) -> Tensor:
    """regularized lower incomplete gamma P(a, x)"""
    ad, xd = _promote_pair(_t(a), _t(x))
    return _wrap(np.asarray(_sp.gammainc(ad, xd)).astype(np.result_type(ad, xd)))

expose(igamma, method=True, inplace=True)


def igammac(a: Tensor, x: Tensor) -> Tensor:
    """regularized upper incomplete gamma Q(a, x)"""
    ad, xd = _promote_pair(_t(a), _t(x))
    return _wrap(np.asarray(_sp.gammaincc(ad, xd)).astype(np.result_type(ad, xd)))

expose(igammac, method=True, inplace=True)


def xlog1py(x, y):
    """x·log1p(y), 0 where x == 0"""
    x, y = _t(x), _t(y)
    return _renamed(where(x == 0, 0.0, x * log1p(y)), "SpecialXlog1PyBackward0")


def entr(x):
    """-x ln x (0 at 0, -inf below 0)"""
    with np.errstate(all="ignore"):
        r = where(x > 0, -x * log(where(x > 0, x, 1.0)), where(x == 0, 0.0, -math.inf))
    return _renamed(r, "SpecialEntrBackward0")


def ndtr(x):
    """Φ(x) = (1 + erf(x/√2))/2"""
    return _renamed((erf(x * (1 / math.sqrt(2))) + 1) * 0.5, "SpecialNdtrBackward0")


def ndtri(p):
    """Φ⁻¹(p) = √2 erfinv(2p - 1)"""
    return erfinv(p * 2 - 1) * math.sqrt(2)


def log_ndtr(x):
    """ln Φ(x), via erfc for the lower tail"""
    return _renamed(log(erfc(-x * (1 / math.sqrt(2))) * 0.5), "SpecialLogNdtrBackward0")


def i0e(x):
    """e^-|x| I₀(x)"""
    return i0(x) * exp(-abs(x))


def i1e(x):
    """e^-|x| I₁(x)"""
    return special_i1(x) * exp(-abs(x))


def erfcx(x):
    """e^(x²) erfc(x)"""
    return exp(x * x) * erfc(x)


def multigammaln(x, p):
    return mvlgamma(x, p)


def _softmax_special(x, dim, dtype=None):
    return softmax(x, dim, dtype=dtype) if dtype is not None else softmax(x, dim)


def zeta(x, q):
    """Hurwitz zeta ζ(x, q)"""
    xd, qd = _promote_pair(_t(x), _t(q))
    return _wrap(np.asarray(_sp.zeta(xd, qd)).astype(np.result_type(xd, qd)))


def special_round(x, decimals=0):
    return round(x, decimals=decimals) if decimals else round(x)
