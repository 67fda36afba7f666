"""Catalogue entries of ember.ops.special (see op_catalogue.py): each function on the domain where it is defined
and smooth, its special values (poles, ±inf, nan, the ends of its domain) for the forward only."""

from __future__ import annotations

import numpy as np
from op_catalogue import Layout, OpInfo, Sample, layouts, unary_samples, uniform

SUM_TO_SCALAR = "core defect (kernels.sum_to, not this family): a gradient summed back to shape () is a NumPy " \
                "scalar, not a 0-d array, so its .numpy() is no array; the values are checked by gradcheck"
SOFTMAX = "ops.softmax defect (not this family): softmax's node keeps its output only when backward is recorded " \
          "and has no jvp, so forward mode fails"
NO_FORWARD = "PyTorch has no forward-mode formula (the main entry's forward_ad check compares its error)"
NOT_IN_X = "PyTorch does not differentiate it in its first argument (backward raises; the backward check compares it)"


def _spelled(name):
    """``lib.name`` for a dotted name (``special.i0e``)"""
    def get(lib):
        obj = lib
        for part in name.split("."):
            obj = getattr(obj, part)
        return obj
    return get


def _covers(name, method=True, inplace=True, special=()):
    out = (name,)
    if method:
        out += (f"Tensor.{name}",)
    if inplace:
        out += (f"Tensor.{name}_",)
    return out + tuple(f"special.{s}" for s in special)


def _unary(name, lo, hi, method=True, inplace=True, special=(), extra=(), **kw):
    """``lib.<name>(x)`` on (lo, hi) with unary_samples, then ``extra`` forward-only values (poles, tails)."""
    get = _spelled(name)
    base = unary_samples(lo, hi)

    def gen(rng, dtype):
        yield from base(rng, dtype)
        if extra and np.dtype(dtype).kind == "f":
            with np.errstate(over="ignore"):  # 1e308 is inf in float32: an edge too
                edges = np.array(extra).astype(dtype)
            yield Sample((edges,), name="domain edges", forward_only=True)
    return OpInfo(name, lambda lib, x: get(lib)(x), gen, covers=_covers(name, method, inplace, special),
                  inplace=f"{name}_" if inplace else None, **kw)


def _negative_samples(values):
    """a smooth sample away from the poles at 0, -1, -2, ... (lgamma, digamma on negative numbers)"""
    def gen(rng, dtype):
        yield Sample((np.array(values, dtype=dtype),), name="negative, between poles")
    return gen


def _chain(*gens):
    def gen(rng, dtype):
        for g in gens:
            yield from g(rng, dtype)
    return gen


def _polygamma_samples(rng, dtype):
    for n in (0, 1, 2, 3):
        yield Sample((uniform(rng, (5,), dtype, 0.5, 3.0),), {"n": n}, name=f"n={n}")
    for tag, x in layouts(uniform(rng, (2, 3), dtype, 0.5, 3.0)):
        yield Sample((x,), {"n": 1}, name=f"(2, 3){tag} n=1")
    yield Sample((uniform(rng, (), dtype, 0.5, 3.0),), {"n": 2}, name="0-d n=2")
    yield Sample((np.array([-2.5, -1.3, -0.6], dtype=dtype),), {"n": 1}, name="negative n=1")
    if np.dtype(dtype).kind == "f":
        for n in (0, 1, 4):
            yield Sample((np.array([np.nan, np.inf, -np.inf, 0.0, -0.0, -1.0, -2.0, 1e-30, 1e30], dtype=dtype),),
                         {"n": n}, name=f"special n={n}", forward_only=True)
        yield Sample((np.array([1, 2, 5]),), {"n": 1}, name="int64", forward_only=True)
        yield Sample((np.zeros((0, 2), dtype=dtype),), {"n": 1}, name="empty", forward_only=True)


def _polygamma_errors(rng, dtype):
    yield Sample((uniform(rng, (3,), dtype, 0.5, 2.0),), {"n": -1}, name="negative n")


def _mvlgamma_samples(rng, dtype):
    for p in (1, 2, 3):
        lo = (p - 1) / 2 + 0.3
        yield Sample((uniform(rng, (5,), dtype, lo, lo + 2),), {"p": p}, name=f"p={p}")
    for tag, x in layouts(uniform(rng, (2, 3), dtype, 1.5, 3.0)):
        yield Sample((x,), {"p": 2}, name=f"(2, 3){tag} p=2")
    yield Sample((uniform(rng, (), dtype, 1.5, 3.0),), {"p": 3}, name="0-d p=3")
    if np.dtype(dtype).kind == "f":
        yield Sample((np.array([np.nan, np.inf, 0.2, 1.0, 0.0, -0.5], dtype=dtype),), {"p": 3},
                     name="special and below (p-1)/2", forward_only=True)
        yield Sample((np.array([2, 3, 7]),), {"p": 2}, name="int64", forward_only=True)


def _mvlgamma_errors(rng, dtype):
    yield Sample((uniform(rng, (3,), dtype, 1.5, 2.0),), {"p": 0}, name="p=0")


def _xlog1py_samples(rng, dtype):
    pairs = (((5,), (5,)), ((2, 3), (2, 3)), ((2, 3), (3,)), ((3, 1), (1, 4)))
    for sa, sb in pairs:
        yield Sample((uniform(rng, sa, dtype), uniform(rng, sb, dtype, -0.5, 2.0)), name=f"{sa}{sb}")
    yield Sample((Layout(uniform(rng, (3, 2), dtype), "T"), uniform(rng, (2, 3), dtype, -0.5, 2.0)), name="T")
    yield Sample((2.5, uniform(rng, (4,), dtype, -0.5, 2.0)), name="number x")
    yield Sample((uniform(rng, (4,), dtype), 1.5), name="number y")
    if np.dtype(dtype).kind == "f":
        x = np.array([0.0, 0.0, 0.0, 1.0, 2.0, -1.0, np.nan, 0.0], dtype=dtype)
        y = np.array([0.0, -1.0, np.nan, -1.0, -2.0, np.inf, 1.0, -3.0], dtype=dtype)
        yield Sample((x, y), name="x=0, y<=-1, nan", forward_only=True)
        yield Sample((x, -1.0), name="number y=-1", forward_only=True)
        yield Sample((np.array([1, 0, 3]), np.array([2, 5, 0])), name="int64", forward_only=True)
        yield Sample((np.array([1, 0, 3]), uniform(rng, (3,), dtype, 0.0, 1.0)), name="int64 with float",
                     forward_only=True)


def _xlog1py_zero_d_samples(rng, dtype):
    for sa, sb in (((), (4,)), ((4,), ())):
        yield Sample((uniform(rng, sa, dtype), uniform(rng, sb, dtype, -0.5, 2.0)), name=f"{sa}{sb}")


def _xlog1py_errors(rng, dtype):
    yield Sample((2.0, 3.0), name="two numbers")
    yield Sample((uniform(rng, (2,), dtype), uniform(rng, (3,), dtype)), name="shapes")


def _zeta_samples(rng, dtype):
    """ζ(x, q): x > 1, q > 0; PyTorch differentiates q only"""
    yield Sample((uniform(rng, (5,), dtype, 1.5, 4.0), uniform(rng, (5,), dtype, 0.5, 3.0)), grad=(1,), name="q")
    yield Sample((uniform(rng, (2, 3), dtype, 1.5, 4.0), uniform(rng, (3,), dtype, 0.5, 3.0)), grad=(1,),
                 name="broadcast q")
    yield Sample((uniform(rng, (3,), dtype, 1.5, 4.0), Layout(uniform(rng, (3, 2), dtype, 0.5, 3.0), "T")),
                 grad=(1,), name="T q")
    yield Sample((2.5, uniform(rng, (4,), dtype, 0.5, 3.0)), name="number x")
    yield Sample((uniform(rng, (4,), dtype, 1.5, 4.0), 2.0), name="number q (x not differentiable)")
    yield Sample((uniform(rng, (4,), dtype, 1.5, 4.0), uniform(rng, (4,), dtype, 0.5, 3.0)),
                 name="x requires grad (not differentiable)")
    if np.dtype(dtype).kind == "f":
        yield Sample((np.array([1.0, 0.5, 2.0, 2.0, 2.0, 2.0, np.nan, 3.0], dtype=dtype),
                      np.array([1.0, 1.0, 0.0, -1.0, -2.5, np.inf, 1.0, np.nan], dtype=dtype)), name="special",
                     forward_only=True)
        yield Sample((np.array([2, 3, 4]), np.array([1, 2, 3])), name="int64", forward_only=True)


def _zeta_errors(rng, dtype):
    yield Sample((2.0, 3.0), name="two numbers")


def _gamma_samples(rng, dtype):
    """P(a, x) and Q(a, x): a > 0, x > 0; PyTorch differentiates x only"""
    yield Sample((uniform(rng, (5,), dtype, 0.5, 3.0), uniform(rng, (5,), dtype, 0.2, 3.0)), grad=(1,), name="x")
    yield Sample((uniform(rng, (2, 3), dtype, 0.5, 3.0), uniform(rng, (3,), dtype, 0.2, 3.0)), grad=(1,),
                 name="broadcast x")
    yield Sample((uniform(rng, (), dtype, 0.5, 3.0), Layout(uniform(rng, (3, 2), dtype, 0.2, 3.0), "T")),
                 grad=(1,), name="0-d a, T x")
    yield Sample((uniform(rng, (4,), dtype, 0.5, 3.0), uniform(rng, (4,), dtype, 0.2, 3.0)),
                 name="a requires grad (not differentiable)")
    if np.dtype(dtype).kind == "f":
        yield Sample((np.array([0.0, 0.0, 1.0, 2.0, np.inf, np.inf, 1.0, -1.0, 1.0, np.nan, 30.0], dtype=dtype),
                      np.array([0.0, 1.0, 0.0, np.inf, 1.0, np.inf, -1.0, 1.0, np.nan, 1.0, 29.0], dtype=dtype)),
                     name="special", forward_only=True)
        yield Sample((np.array([1, 2, 3]), uniform(rng, (3,), dtype, 0.2, 3.0)), name="int64 a", forward_only=True)


def _gamma_inplace_samples(rng, dtype):
    """a.igamma_(x): the in-place form writes into a, which PyTorch does not differentiate; x does"""
    yield Sample((uniform(rng, (5,), dtype, 0.5, 3.0), uniform(rng, (5,), dtype, 0.2, 3.0)), grad=(1,), name="x")


def _gamma_errors(rng, dtype):
    yield Sample((uniform(rng, (2,), dtype, 0.5, 2.0), 2.0), name="number x")
    yield Sample((np.array([1, 2]), np.array([1, 3])), name="int64")


def _softmax_samples(rng, dtype):
    yield Sample((uniform(rng, (2, 3), dtype),), {"dim": 1}, name="dim=1")
    yield Sample((uniform(rng, (2, 3), dtype),), {"dim": -2}, name="dim=-2")
    yield Sample((Layout(uniform(rng, (3, 2), dtype), "T"),), {"dim": 0}, name="T")
    yield Sample((uniform(rng, (), dtype),), {"dim": 0}, name="0-d")


def _softmax(lib, x, dim, dtype=None):
    return lib.special.softmax(x, dim, dtype=getattr(lib, dtype) if dtype else None)


def _round_samples(rng, dtype):
    yield from unary_samples()(rng, dtype)
    for d in (0, 1, -1):
        yield Sample((uniform(rng, (5,), dtype, -20, 20),), {"decimals": d}, name=f"decimals={d}")


def _round_errors(rng, dtype):
    yield Sample((np.array([1, 2]),), name="int64 (decimals=0 given)")


def _log_ndtr_edges():
    return [-40.0, -20.0, -5.0, 5.0, 10.0, 40.0, np.nan, np.inf, -np.inf]


NOT_DIFFERENTIABLE = "PyTorch does not differentiate it (its result never requires grad nor carries a tangent: the " \
                     "backward and forward_ad checks compare that)"


def _values_only(name, lo, hi, extra=()):
    e = _unary(name, lo, hi, method=False, inplace=False, extra=extra)
    e.skip = {c: NOT_DIFFERENTIABLE for c in ("gradcheck", "gradgradcheck", "forward_over_reverse")}
    return e


BESSEL = [
    _values_only("special.bessel_j0", -10.0, 10.0, [30.0, -30.0, 1e10, 1e-30]),
    _values_only("special.bessel_j1", -10.0, 10.0, [30.0, -30.0, 1e10, 1e-30]),
    _values_only("special.bessel_y0", 0.1, 10.0, [30.0, -1.0, 1e10, 1e-30]),
    _values_only("special.bessel_y1", 0.1, 10.0, [30.0, -1.0, 1e10, 1e-30]),
    _values_only("special.modified_bessel_i0", -5.0, 5.0, [30.0, -30.0, 700.0, 1e-30]),
    _values_only("special.modified_bessel_i1", -5.0, 5.0, [30.0, -30.0, 700.0, 1e-30]),
    _values_only("special.modified_bessel_k0", 0.1, 5.0, [30.0, -1.0, 700.0, 1e-30]),
    _values_only("special.modified_bessel_k1", 0.1, 5.0, [30.0, -1.0, 700.0, 1e-30]),
    _values_only("special.scaled_modified_bessel_k0", 0.1, 5.0, [30.0, -1.0, 700.0, 1e-30, 1e10]),
    _values_only("special.scaled_modified_bessel_k1", 0.1, 5.0, [30.0, -1.0, 700.0, 1e-30, 1e10]),
    _values_only("special.spherical_bessel_j0", -10.0, 10.0, [30.0, -30.0, 1e10, 1e-30, 0.5]),
]

ENTRIES = [
    _unary("erfc", -2.0, 2.0, special=("erfc",), extra=[-6.0, 6.0, 12.0, 30.0]),
    _unary("erfinv", -0.9, 0.9, special=("erfinv",), extra=[-1.0, 1.0, 1.5, -1.5, 0.999999]),
    _unary("lgamma", 0.1, 3.0, special=("gammaln",), extra=[-1.0, -2.0, -2.5, 1e30, -1e30, 1.0, 2.0]),
    OpInfo("lgamma(negative)", lambda lib, x: lib.lgamma(x), _negative_samples([-2.5, -1.3, -0.6, -3.7]),
           covers=()),
    _unary("digamma", 0.2, 3.0, special=("digamma", "psi"), extra=[-1.0, -2.0, -2.5, 1e30, 1.0]),
    OpInfo("digamma(negative)", lambda lib, x: lib.digamma(x), _negative_samples([-2.5, -1.3, -0.6, -3.7]),
           covers=()),
    OpInfo("polygamma", lambda lib, x, n: lib.polygamma(n, x), _polygamma_samples, errors=_polygamma_errors,
           covers=("polygamma", "special.polygamma")),
    OpInfo("Tensor.polygamma", lambda lib, x, n: x.polygamma(n), _polygamma_samples, inplace="polygamma_",
           covers=("Tensor.polygamma", "Tensor.polygamma_")),
    OpInfo("mvlgamma", lambda lib, x, p: lib.mvlgamma(x, p), _mvlgamma_samples, errors=_mvlgamma_errors,
           inplace="mvlgamma_", covers=("mvlgamma", "Tensor.mvlgamma", "Tensor.mvlgamma_")),
    OpInfo("special.multigammaln", lambda lib, x, p: lib.special.multigammaln(x, p), _mvlgamma_samples,
           covers=("special.multigammaln",)),
    _unary("i0", -3.0, 3.0, special=("i0",), extra=[30.0, -30.0, 700.0, 1e308]),
    _unary("special.i0e", -3.0, 3.0, method=False, inplace=False, extra=[30.0, -30.0, 700.0, 1e308]),
    _unary("special.i1", -3.0, 3.0, method=False, inplace=False, extra=[30.0, -30.0, 700.0, 1e-30]),
    _unary("special.i1e", -3.0, 3.0, method=False, inplace=False, extra=[30.0, -30.0, 700.0, 1e308, 1e-30]),
    OpInfo("special.i1(0)", lambda lib, x: lib.special.i1(x),
           lambda rng, dtype: [Sample((np.array([0.0, 1e-20, -1e-20, 0.5], dtype=dtype),), name="x ~ 0")],
           covers=(), skip={c: "finite differences straddle the guard |x| <= eps where PyTorch's derivative is "
                               "the constant 1/2 (the backward and forward_ad checks compare it)"
                            for c in ("gradgradcheck", "forward_over_reverse")}),
    OpInfo("special.i1e(0)", lambda lib, x: lib.special.i1e(x),
           lambda rng, dtype: [Sample((np.array([0.0, 1e-20, -1e-20, 0.5], dtype=dtype),), name="x ~ 0")],
           covers=(), skip={c: "finite differences straddle the guard |x| <= eps where PyTorch's derivative is "
                               "the constant 1/2 (the backward and forward_ad checks compare it)"
                            for c in ("gradgradcheck", "forward_over_reverse")}),
    _unary("sinc", -2.0, 2.0, special=("sinc",), extra=[1.0, -1.0, 2.0, 1e-20, 1e30]),
    _unary("special.entr", 0.1, 3.0, method=False, inplace=False, extra=[-1.0, 1.0, 1e-30, 1e30]),
    _unary("special.ndtr", -3.0, 3.0, method=False, inplace=False, extra=[-40.0, -9.0, 9.0, 40.0]),
    _unary("special.ndtri", 0.05, 0.95, method=False, inplace=False, extra=[0.0, 1.0, -0.1, 1.1, 1e-300, 0.5]),
    _unary("special.log_ndtr", -3.0, 3.0, method=False, inplace=False, extra=_log_ndtr_edges()),
    _unary("special.erfcx", -2.0, 2.0, method=False, inplace=False, extra=[-30.0, -10.0, 10.0, 60.0, 1e10, 1e308]),
    OpInfo("special.xlog1py", lambda lib, x, y: lib.special.xlog1py(x, y), _xlog1py_samples, errors=_xlog1py_errors,
           covers=("special.xlog1py",)),
    OpInfo("special.xlog1py(0-d operand)", lambda lib, x, y: lib.special.xlog1py(x, y), _xlog1py_zero_d_samples,
           covers=(), skip={"backward": SUM_TO_SCALAR}),
    OpInfo("special.zeta", lambda lib, x, q: lib.special.zeta(x, q), _zeta_samples, errors=_zeta_errors,
           covers=("special.zeta",),
           skip={c: NOT_IN_X for c in ("gradcheck", "gradgradcheck", "jvp_vjp", "forward_over_reverse")}),
    OpInfo("special.zeta(q)", lambda lib, x, q: lib.special.zeta(x, q),
           lambda rng, dtype: [s for s in _zeta_samples(rng, dtype) if s.grad == (1,) or isinstance(s.args[0], float)],
           covers=(), forward_ad=False, skip={"jvp_vjp": NO_FORWARD}),
    *[OpInfo(name, (lambda f: lambda lib, a, x: f(lib)(a, x))(_spelled(name)), _gamma_samples, errors=_gamma_errors,
             covers=cov, inplace=inpl,
             skip={c: NOT_IN_X for c in ("gradcheck", "gradgradcheck", "jvp_vjp", "forward_over_reverse")})
      for name, cov, inpl in (("igamma", ("igamma", "Tensor.igamma", "Tensor.igamma_", "special.igamma"), None),
                              ("igammac", ("igammac", "Tensor.igammac", "Tensor.igammac_"), None),
                              ("special.gammainc", ("special.gammainc",), None),
                              ("special.gammaincc", ("special.gammaincc",), None))],
    *[OpInfo(f"{name}(x)", (lambda f: lambda lib, a, x: f(lib)(a, x))(_spelled(name)),
             lambda rng, dtype: [s for s in _gamma_samples(rng, dtype) if s.grad == (1,)], covers=(),
             forward_ad=False, skip={"jvp_vjp": NO_FORWARD})
      for name in ("igamma", "igammac", "special.gammainc", "special.gammaincc")],
    *[OpInfo(f"{name}_", (lambda f: lambda lib, a, x: f(lib)(a, x))(_spelled(name)), _gamma_inplace_samples,
             covers=(), inplace=f"{name}_", forward_ad=False, skip={"jvp_vjp": NO_FORWARD})
      for name in ("igamma", "igammac")],
    OpInfo("special.round", lambda lib, x, **kw: lib.special.round(x, **kw), _round_samples, errors=_round_errors,
           covers=("special.round",)),
    OpInfo("special.softmax", _softmax, _softmax_samples, covers=("special.softmax",),
           skip={c: SOFTMAX for c in ("forward_ad", "jvp_vjp", "forward_over_reverse")}),
    OpInfo("special.softmax(dtype)", _softmax,
           lambda rng, dtype: [Sample((uniform(rng, (4,), dtype),), {"dim": 0, "dtype": "float64"}, name="float64")],
           covers=(), skip={"backward": "ops.softmax defect (not this family): with dtype=, the gradient is not cast "
                                         "back to the input's dtype",
                            **{c: SOFTMAX for c in ("forward_ad", "jvp_vjp", "forward_over_reverse")}}),
    *BESSEL,
]
