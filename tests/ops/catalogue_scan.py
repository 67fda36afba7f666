"""Catalogue entries of ember.ops.scan (see op_catalogue.py): cumulative ops, differences and integrals along a dim."""

from __future__ import annotations

import numpy as np
from catalogue_reduce import FLIP_FOR, SKIP_TIES, SPECIAL, _distinct, _is_float
from op_catalogue import Layout, OpInfo, Sample, uniform


def scans(lo=-2.0, hi=2.0, ints=True, special=True, zeros=False):
    """Samples of ``op(x, dim)``: each dim of a (2, 3, 2) input, negative dims, 0-d, transposed, strided; then for
    the forward only special values, an empty input and integers."""
    def gen(rng, dtype):
        x3 = uniform(rng, (2, 3, 2), dtype, lo, hi)
        yield Sample((x3, 1), name="dim 1")
        yield Sample((uniform(rng, (5,), dtype, lo, hi), 0), name="1-d")
        yield Sample((Layout(uniform(rng, (4, 3), dtype, lo, hi), "T"), 0), name="T")
        yield Sample((x3, -1), name="dim -1")
        yield Sample((x3, 0), name="dim 0")
        yield Sample((Layout(np.repeat(uniform(rng, (3,), dtype, lo, hi), 2), "strided"), 0), name="strided")
        yield Sample((uniform(rng, (), dtype, lo, hi), 0), name="0-d")
        if zeros:
            yield Sample((np.array([[1.5, 0.0, -2.0, 0.5], [0.0, 0.5, 0.0, 2.0], [1.0, 2.0, 0.5, 0.0]],
                                   dtype=dtype), 1), name="zeros")
        if not _is_float(dtype):
            return
        if special:
            yield Sample((SPECIAL.astype(dtype), 0), name="special", forward_only=True)
        yield Sample((np.zeros((0, 3), dtype=dtype), 0), name="empty")
        if ints:
            yield Sample((uniform(rng, (2, 3), np.int64, -3, 3), 1), name="int64", forward_only=True)
            yield Sample((np.array([True, False, True]), 0), name="bool", forward_only=True)
    return gen


def _dim_error(rng, dtype):
    yield Sample((uniform(rng, (2, 3), dtype), 2), name="dim out of range")


def _with_dtype(name):
    def op(lib, x, dim, dtype=None):
        return getattr(lib, name)(x, dim, dtype=getattr(lib, dtype))
    return op


def _dtype_samples(rng, dtype):
    yield Sample((uniform(rng, (3, 4), dtype), 1, "float64"), name="float32 -> float64")


def _cumext_samples(rng, dtype):
    yield Sample((_distinct(rng, (2, 3, 2), dtype), 1), name="dim 1")
    yield Sample((_distinct(rng, (5,), dtype), 0), name="1-d")
    yield Sample((Layout(_distinct(rng, (4, 3), dtype), "T"), 0), name="T")
    yield Sample((_distinct(rng, (2, 3, 2), dtype), -1), name="dim -1")
    yield Sample((uniform(rng, (), dtype), 0), name="0-d")
    if _is_float(dtype):
        yield Sample((np.array([1.0, np.nan, 3.0, np.nan, 5.0, 5.0], dtype=dtype), 0), name="NaN", forward_only=True)
        yield Sample((np.array([[1.0, 1.0, 0.5, 1.0], [2.0, -1.0, 2.0, 3.0]], dtype=dtype), 1), name="ties",
                     forward_only=True)
        yield Sample((SPECIAL.astype(dtype), 0), name="special", forward_only=True)
        yield Sample((np.zeros((0, 3), dtype=dtype), 1), name="empty")
        yield Sample((uniform(rng, (2, 3), np.int64, -3, 3), 1), name="int64", forward_only=True)


def _cumext_ties(rng, dtype):
    """ties and NaN: the gradient goes to the index PyTorch reports (the last of equal values, the NaN)"""
    yield Sample((np.array([[1.0, 1.0, 0.5, 1.0], [2.0, -1.0, 2.0, 3.0]], dtype=dtype), 1), name="ties")
    yield Sample((np.array([1.0, np.nan, 3.0, np.nan, 5.0], dtype=dtype), 0), name="NaN")


def _values(name):
    def op(lib, x, dim):
        r = getattr(lib, name)(x, dim)
        return r.values, r.indices
    return op


def _lcse_samples(rng, dtype):
    yield from (s for s in scans(ints=False, special=False)(rng, dtype) if s.name != "empty")
    if _is_float(dtype):
        yield Sample((np.array([[-np.inf, -np.inf, 1.0], [np.inf, 1.0, 2.0], [np.nan, 1.0, 0.0]], dtype=dtype), 1),
                     name="infinities", forward_only=True)


def _diff_samples(rng, dtype):
    x = uniform(rng, (3, 5), dtype)
    yield Sample((x,), name="default")
    yield Sample((x,), {"n": 2, "dim": 0}, name="n=2 dim 0")
    yield Sample((uniform(rng, (6,), dtype),), {"n": 3}, name="n=3")
    yield Sample((x, uniform(rng, (3, 2), dtype)), name="prepend")
    yield Sample((x, None, uniform(rng, (1, 5), dtype)), {"dim": 0}, name="append dim 0")
    yield Sample((Layout(uniform(rng, (5, 3), dtype), "T"),), name="T")
    yield Sample((uniform(rng, (3,), dtype),), {"n": 5}, name="n > size")
    if _is_float(dtype):
        yield Sample((uniform(rng, (5,), np.int64, -3, 3),), name="int64", forward_only=True)
        yield Sample((np.array([True, False, False]),), name="bool", forward_only=True)


def _diff(lib, x, prepend=None, append=None, **k):
    return lib.diff(x, prepend=prepend, append=append, **k)


def _diff_errors(rng, dtype):
    yield Sample((uniform(rng, (), dtype),), name="0-d")
    yield Sample((uniform(rng, (3,), dtype),), {"n": -1}, name="n < 0")


def _trapz_samples(rng, dtype):
    y = uniform(rng, (3, 5), dtype)
    yield Sample((y,), name="default")
    yield Sample((y,), {"dx": 0.5}, name="dx")
    yield Sample((y, np.sort(uniform(rng, (5,), dtype, 0.0, 3.0))), name="x")
    yield Sample((y, np.sort(uniform(rng, (3,), dtype, 0.0, 3.0))), {"dim": 0}, name="x dim 0")
    yield Sample((y, np.sort(uniform(rng, (3, 5), dtype, 0.0, 3.0), axis=1)), name="x like y")
    yield Sample((Layout(uniform(rng, (5, 3), dtype), "T"),), {"dim": 0}, name="T")
    yield Sample((uniform(rng, (1, 4), dtype),), {"dim": 0}, name="one sample")
    if _is_float(dtype):
        yield Sample((uniform(rng, (5,), np.int64, -3, 3),), name="int64", forward_only=True)


def _trapz(name):
    def op(lib, y, x=None, **k):
        fn = getattr(lib, name)
        return fn(y, **k) if x is None else fn(y, x, **k)
    return op


def _gradient_samples(rng, dtype):
    y = uniform(rng, (3, 4), dtype)
    yield Sample((y,), name="default")
    yield Sample((y,), {"spacing": 2.0, "dim": 1}, name="spacing 2 dim 1")
    yield Sample((uniform(rng, (5,), dtype),), {"edge_order": 2}, name="edge_order 2")
    yield Sample((y,), {"spacing": [0.5, 2.0]}, name="spacing per dim")
    yield Sample((y,), {"coords": np.array([0.0, 0.5, 1.5, 3.0]), "dim": 1}, name="coordinates")
    yield Sample((y,), {"coords": np.array([0.0, 0.5, 1.5, 3.0]), "dim": 1, "edge_order": 2},
                 name="coordinates edge_order 2")
    yield Sample((Layout(uniform(rng, (4, 3), dtype), "T"),), {"dim": 0}, name="T")
    if _is_float(dtype):
        yield Sample((uniform(rng, (5,), np.int64, -3, 3),), name="int64", forward_only=True)


def _gradient(lib, y, coords=None, **k):
    if coords is not None:
        k["spacing"] = (lib.tensor(coords).to(y.dtype),)
    return lib.gradient(y, **k)


def _gradient_errors(rng, dtype):
    yield Sample((uniform(rng, (1,), dtype),), name="too short")
    yield Sample((uniform(rng, (2,), dtype),), {"edge_order": 2}, name="too short for edge_order 2")
    yield Sample((uniform(rng, (4,), dtype),), {"edge_order": 3}, name="edge_order 3")
    yield Sample((uniform(rng, (3, 4), dtype),), {"spacing": [1.0, 2.0, 3.0]}, name="spacing length")


ENTRIES = [
    OpInfo("cumsum", lambda lib, x, dim: lib.cumsum(x, dim), scans(),
           covers=("cumsum", "Tensor.cumsum", "Tensor.cumsum_"), inplace="cumsum_", errors=_dim_error),
    OpInfo("cumsum(dtype)", _with_dtype("cumsum"), _dtype_samples, covers=(), dtypes=(np.float32,)),
    OpInfo("cumprod", lambda lib, x, dim: lib.cumprod(x, dim), scans(0.5, 1.5, zeros=True),
           covers=("cumprod", "Tensor.cumprod", "Tensor.cumprod_"), inplace="cumprod_", errors=_dim_error,
           skip={"forward_over_reverse": FLIP_FOR}),
    OpInfo("cummax", _values("cummax"), _cumext_samples, covers=("cummax", "Tensor.cummax"), errors=_dim_error),
    OpInfo("cummin", _values("cummin"), _cumext_samples, covers=("cummin", "Tensor.cummin"), errors=_dim_error),
    OpInfo("cummax(ties, NaN)", _values("cummax"), _cumext_ties, covers=(), skip=SKIP_TIES),
    OpInfo("cummin(ties, NaN)", _values("cummin"), _cumext_ties, covers=(), skip=SKIP_TIES),
    OpInfo("logcumsumexp", lambda lib, x, dim: lib.logcumsumexp(x, dim), _lcse_samples,
           covers=("logcumsumexp", "Tensor.logcumsumexp"),
           errors=lambda rng, dtype: [Sample((np.array([1, 2]), 0), name="int64")],
           skip={"forward_over_reverse": FLIP_FOR}),
    OpInfo("logcumsumexp(empty)", lambda lib, x, dim: lib.logcumsumexp(x, dim),
           lambda rng, dtype: [Sample((np.zeros((0, 3), dtype=dtype), 0), name="empty")], covers=(),
           forward_ad=False),  # PyTorch's forward AD of an empty logcumsumexp raises an IndexError (its bug)
    OpInfo("logcumsumexp(spread)", lambda lib, x, dim: lib.logcumsumexp(x, dim),
           lambda rng, dtype: [Sample((uniform(rng, (2, 5), dtype, 30.0, 90.0), 1), name="large"),
                               Sample((np.array([30.0, 50.0, 70.0, 90.0], dtype=dtype), 0), name="spread")],
           covers=(), skip={"forward_ad": "PyTorch's tangent is wrong here: on [30, 50, 70, 90] it gives 8.8e-14 for "
                                          "dr_0 = dx_0 (1); ember's is checked by jvp_vjp",
                            "forward_over_reverse": FLIP_FOR}),
    OpInfo("diff(n=0)", _diff, lambda rng, dtype: [Sample((uniform(rng, (3, 4), dtype),), {"n": 0}, name="n=0"),
                                                    Sample((uniform(rng, (3, 4), dtype), uniform(rng, (3, 1), dtype)),
                                                           {"n": 0}, name="n=0 prepend")],
           covers=(), skip={c: "inplace module defect: CopyBackwards (the copy PyTorch's diff(n=0) returns too) has no "
                               "forward rule" for c in ("forward_ad", "jvp_vjp", "forward_over_reverse")}),
    OpInfo("diff", _diff, _diff_samples, covers=("diff", "Tensor.diff"), errors=_diff_errors),
    OpInfo("trapezoid", _trapz("trapezoid"), _trapz_samples, covers=("trapezoid",),
           skip={"forward_over_reverse": FLIP_FOR}),
    OpInfo("trapz", _trapz("trapz"), _trapz_samples, covers=("trapz",), skip={"forward_over_reverse": FLIP_FOR}),
    OpInfo("cumulative_trapezoid", _trapz("cumulative_trapezoid"), _trapz_samples, covers=("cumulative_trapezoid",),
           skip={"forward_over_reverse": FLIP_FOR}),
    OpInfo("gradient", _gradient, _gradient_samples, covers=("gradient",), errors=_gradient_errors),
]
