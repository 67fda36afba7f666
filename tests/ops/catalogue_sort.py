"""Catalogue entries of ember.ops.sort (see op_catalogue.py): sorting and order statistics.

Differentiable samples have no ties (PyTorch does not promise which of equal elements an index names); ties, NaN and
infinities are checked for the values (and, where PyTorch's index is determined, the indices) only."""

from __future__ import annotations

import numpy as np
from catalogue_reduce import SKIP_SMOOTH, SKIP_TIES, SPECIAL, _distinct, _is_float
from op_catalogue import Layout, OpInfo, Sample, uniform


def _order_samples(dim_kw=True, zero_d=True, ties=True, extra=None):
    """Samples of an op taking ``dim`` (as a keyword): no ties among the differentiable ones."""
    def gen(rng, dtype):
        x3 = _distinct(rng, (2, 3, 2), dtype)
        yield Sample((x3,), {"dim": 1}, name="dim 1")
        yield Sample((_distinct(rng, (5,), dtype),), name="1-d")
        yield Sample((Layout(_distinct(rng, (4, 3), dtype), "T"),), {"dim": 0}, name="T")
        yield Sample((x3,), {"dim": -1}, name="dim -1")
        yield Sample((x3,), {"dim": 0}, name="dim 0")
        yield Sample((Layout(np.repeat(_distinct(rng, (3,), dtype), 2), "strided"),), {"dim": 0}, name="strided")
        if zero_d:
            yield Sample((uniform(rng, (), dtype),), {"dim": 0}, name="0-d")
        if extra is not None:
            yield from extra(rng, dtype)
        if not _is_float(dtype):
            return
        yield Sample((SPECIAL.astype(dtype),), name="special", forward_only=True)
        yield Sample((np.stack([SPECIAL, SPECIAL[::-1]]).astype(dtype),), {"dim": 1}, name="special dim",
                     forward_only=True)
        if ties:
            yield Sample((np.array([[1.0, 3.0, 1.0, 2.0], [0.5, 0.5, 0.5, 0.5]], dtype=dtype),), {"dim": 1},
                         name="ties", forward_only=True)
        yield Sample((np.zeros((0, 3), dtype=dtype),), {"dim": 1}, name="empty", forward_only=True)
        yield Sample((uniform(rng, (2, 5), np.int64, -9, 9) * 0 + np.arange(10).reshape(2, 5)[:, ::-1],),
                     {"dim": 1}, name="int64", forward_only=True)
    return gen


def _pair(name):
    def op(lib, x, **k):
        r = getattr(lib, name)(x, **k)
        return (r.values, r.indices) if isinstance(r, tuple) else r
    return op


def _sort_extra(rng, dtype):
    yield Sample((_distinct(rng, (3, 4), dtype),), {"dim": 1, "descending": True}, name="descending")
    yield Sample((_distinct(rng, (3, 4), dtype),), {"dim": 0, "stable": True}, name="stable")
    if _is_float(dtype):
        yield Sample((np.array([2.0, 1.0, 2.0, np.nan, 1.0, np.nan], dtype=dtype),), {"stable": True},
                     name="ties stable", forward_only=True)
        yield Sample((np.array([2.0, 1.0, 2.0, np.nan, 1.0, np.nan], dtype=dtype),),
                     {"stable": True, "descending": True}, name="ties stable descending", forward_only=True)


def _topk_samples(rng, dtype):
    x3 = _distinct(rng, (2, 3, 2), dtype)
    yield Sample((x3, 2), {"dim": 1}, name="k=2 dim 1")
    yield Sample((_distinct(rng, (5,), dtype), 3), name="1-d")
    yield Sample((x3, 2), {"largest": False}, name="smallest")
    yield Sample((Layout(_distinct(rng, (4, 3), dtype), "T"), 1), {"dim": 0}, name="T")
    yield Sample((x3, 0), name="k=0")
    yield Sample((x3, 2), name="k=n")
    yield Sample((uniform(rng, (), dtype), 1), name="0-d")
    if _is_float(dtype):
        yield Sample((np.array([1.0, np.nan, 3.0, 2.0, -np.inf], dtype=dtype), 2), name="special",
                     forward_only=True)
        yield Sample((np.array([1.0, np.nan, 3.0, 2.0, -np.inf], dtype=dtype), 2), {"largest": False},
                     name="special smallest", forward_only=True)


def _topk_errors(rng, dtype):
    yield Sample((uniform(rng, (3,), dtype), 4), name="k > n")
    yield Sample((uniform(rng, (3,), dtype), -1), name="k < 0")


def _kth_samples(rng, dtype):
    x3 = _distinct(rng, (2, 3, 2), dtype)
    yield Sample((x3, 2), {"dim": 1}, name="k=2 dim 1")
    yield Sample((_distinct(rng, (5,), dtype), 3), name="1-d")
    yield Sample((x3, 1), {"dim": -1, "keepdim": True}, name="keepdim")
    yield Sample((Layout(_distinct(rng, (4, 3), dtype), "T"), 3), {"dim": 0}, name="T")
    yield Sample((uniform(rng, (), dtype), 1), name="0-d")
    if _is_float(dtype):
        yield Sample((np.array([1.0, np.nan, 3.0, 2.0, -np.inf], dtype=dtype), 4), name="special", forward_only=True)
        yield Sample((uniform(rng, (2, 5), np.int64, -9, 9) * 0 + np.arange(10).reshape(2, 5)[:, ::-1], 2),
                     name="int64", forward_only=True)


def _kth_errors(rng, dtype):
    yield Sample((uniform(rng, (3,), dtype), 4), name="k > n")
    yield Sample((uniform(rng, (3,), dtype), 0), name="k = 0")


def _median_samples(ignore_nan):
    def gen(rng, dtype):
        x3 = _distinct(rng, (2, 2, 3), dtype)
        yield Sample((x3,), {"dim": 2}, name="dim 2")
        yield Sample((_distinct(rng, (5,), dtype),), name="all odd")
        yield Sample((x3,), {"dim": 1, "keepdim": True}, name="dim keepdim")
        yield Sample((_distinct(rng, (2, 3), dtype),), name="all even")
        yield Sample((Layout(_distinct(rng, (4, 3), dtype), "T"),), {"dim": 0}, name="T")
        yield Sample((uniform(rng, (), dtype),), name="0-d")
        yield Sample((uniform(rng, (), dtype),), {"dim": 0}, name="0-d dim")
        if _is_float(dtype):
            nan3 = np.array([[3.0, np.nan, 1.0, 2.0], [4.0, 1.0, 2.0, 3.0], [np.nan, np.nan, np.nan, np.nan]],
                            dtype=dtype)
            if ignore_nan:  # which NaN of an all-NaN row nanmedian's index names is PyTorch's quickselect's choice
                yield Sample((nan3[2:, :3],), name="all NaN", forward_only=True)
                nan3 = nan3[:2]
            yield Sample((nan3,), {"dim": 1}, name="NaN dim", forward_only=True)
            yield Sample((nan3[:2],), name="NaN all", forward_only=True)
            yield Sample((SPECIAL.astype(dtype),), name="special", forward_only=True)
            yield Sample((np.zeros((0,), dtype=dtype),), name="empty all", forward_only=True)
            yield Sample((np.arange(6).reshape(2, 3),), {"dim": 1}, name="int64", forward_only=True)
    return gen


def _median_ties(rng, dtype):
    yield Sample((np.array([1.0, 1.0, 2.0], dtype=dtype),), name="ties all")
    yield Sample((np.array([1.0, np.nan, 2.0], dtype=dtype),), name="NaN all")
    yield Sample((np.array([[np.nan, 1.0, 2.0], [0.5, 1.0, 2.0]], dtype=dtype),), {"dim": 1}, name="NaN dim")
    yield Sample((np.zeros((0,), dtype=dtype),), name="empty")


def _median_errors(rng, dtype):
    yield Sample((np.zeros((2, 0), dtype=dtype),), {"dim": 1}, name="empty dim")


def _mode_samples(rng, dtype):
    x = np.array([[1.0, 2.0, 2.0, 3.0, 1.0, 2.0], [0.5, -1.0, 0.5, -1.0, 2.0, 3.0]], dtype=dtype)
    yield Sample((x,), {"dim": 1}, name="dim 1")
    yield Sample((_distinct(rng, (5,), dtype),), name="1-d distinct")
    yield Sample((x.T.copy(),), {"dim": 0, "keepdim": True}, name="dim 0 keepdim")
    yield Sample((Layout(np.ascontiguousarray(x.T), "T"),), name="T")
    yield Sample((uniform(rng, (), dtype),), name="0-d")
    if _is_float(dtype):
        yield Sample((np.array([[2, 1, 2, 1, 3]]),), name="int64", forward_only=True)


def _quantile_samples(rng, dtype):
    x3 = _distinct(rng, (2, 2, 3), dtype)
    yield Sample((x3, 0.3), {"dim": 2}, name="q=0.3 dim 2")
    yield Sample((_distinct(rng, (7,), dtype), 0.5), name="median all")
    yield Sample((x3, np.array([0.1, 0.75])), {"dim": 1, "keepdim": True}, name="q tensor keepdim", grad=(0,))
    for mode in ("lower", "higher", "midpoint", "nearest"):
        yield Sample((x3, 0.4), {"dim": -1, "interpolation": mode}, name=mode)
    yield Sample((x3, 0.2), {"keepdim": True}, name="all keepdim")
    yield Sample((Layout(_distinct(rng, (4, 3), dtype), "T"), 0.6), {"dim": 0}, name="T")
    yield Sample((uniform(rng, (), dtype), 0.5), name="0-d")
    if _is_float(dtype):
        nan = np.array([[3.0, np.nan, 1.0, 2.0], [4.0, 1.0, 2.0, 3.0], [np.nan] * 4], dtype=dtype)
        yield Sample((nan, 0.5), {"dim": 1}, name="NaN", forward_only=True)
        yield Sample((nan, np.array([0.0, 1.0])), {"dim": 1}, name="NaN q tensor", forward_only=True, grad=(0,))


def _quantile(name):
    def op(lib, x, q, **k):
        if isinstance(q, lib.Tensor):
            q = q.detach()
        return getattr(lib, name)(x, q, **k)
    return op


def _quantile_errors(rng, dtype):
    yield Sample((uniform(rng, (3,), dtype), 1.5), name="q > 1")
    yield Sample((uniform(rng, (3,), dtype), 0.5), {"interpolation": "cubic"}, name="bad interpolation")
    yield Sample((np.array([1, 2, 3]), 0.5), name="int64")


def _unique_samples(rng, dtype):
    x = np.array([[3.0, 1.0, 3.0], [2.0, 1.0, 3.0]], dtype=dtype)
    yield Sample((x,), name="default")
    yield Sample((x,), {"return_inverse": True, "return_counts": True}, name="inverse counts")
    yield Sample((np.array([[1.0, 2.0], [1.0, 2.0], [0.5, 3.0]], dtype=dtype),), {"dim": 0}, name="dim 0")
    yield Sample((np.array([2, 1, 2]),), name="int64")


def _unique(lib, x, **k):
    r = lib.unique(x, **k)
    return r if isinstance(r, tuple) else (r,)


def _unique_consecutive_samples(rng, dtype):
    x = np.array([1.0, 1.0, 2.0, 2.0, 3.0, 1.0, 1.0], dtype=dtype)
    yield Sample((x,), name="default")
    yield Sample((x,), {"return_inverse": True, "return_counts": True}, name="inverse counts")
    yield Sample((np.array([[1.0, 2.0], [1.0, 2.0], [0.5, 3.0]], dtype=dtype),), {"dim": 0}, name="dim 0")


def _unique_consecutive(lib, x, **k):
    r = lib.unique_consecutive(x, **k)
    return r if isinstance(r, tuple) else (r,)


def _search_samples(rng, dtype):
    b = np.array([-1.0, 0.0, 0.5, 2.0], dtype=dtype)
    v = np.array([[-2.0, 0.0, 0.25], [0.5, 2.0, 3.0]], dtype=dtype)
    yield Sample((b, v), name="default")
    yield Sample((b, v), {"right": True}, name="right")
    yield Sample((b, v), {"out_int32": True}, name="int32")


def _bucketize(lib, b, v, **k):
    return lib.bucketize(v, b, **k)


def _searchsorted(lib, b, v, **k):
    return lib.searchsorted(b, v, **k)


def _searchsorted_2d(rng, dtype):
    b = np.sort(uniform(rng, (2, 4), dtype), axis=1)
    yield Sample((b, uniform(rng, (2, 3), dtype)), name="batched")
    yield Sample((b, uniform(rng, (2, 3), dtype)), {"side": "right"}, name="side right")


NO_DERIVATIVE = "PyTorch has no derivative (its backward and forward AD raise: the backward and forward_ad checks " \
                "compare those errors)"
SKIP_NO_DERIVATIVE = {c: NO_DERIVATIVE for c in ("gradcheck", "gradgradcheck", "jvp_vjp", "forward_over_reverse")}


ENTRIES = [
    OpInfo("sort", _pair("sort"), _order_samples(extra=_sort_extra), covers=("sort", "Tensor.sort")),
    OpInfo("argsort", lambda lib, x, **k: lib.argsort(x, **k), _order_samples(extra=_sort_extra),
           covers=("argsort", "Tensor.argsort"), grad=False),
    OpInfo("msort", lambda lib, x: lib.msort(x),
           lambda rng, dtype: [Sample((_distinct(rng, (4, 3), dtype),), name="2-d"),
                               Sample((_distinct(rng, (5,), dtype),), name="1-d")], covers=("msort", "Tensor.msort")),
    OpInfo("topk", lambda lib, x, k, **kw: tuple(lib.topk(x, k, **kw)), _topk_samples, covers=("topk", "Tensor.topk"),
           errors=_topk_errors),
    OpInfo("kthvalue", lambda lib, x, k, **kw: tuple(lib.kthvalue(x, k, **kw)), _kth_samples,
           covers=("kthvalue", "Tensor.kthvalue"), errors=_kth_errors),
    OpInfo("median", _pair("median"), _median_samples(False), covers=("median", "Tensor.median"),
           errors=_median_errors),
    OpInfo("nanmedian", _pair("nanmedian"), _median_samples(True), covers=("nanmedian", "Tensor.nanmedian"),
           errors=_median_errors),
    OpInfo("median(ties, NaN)", _pair("median"), _median_ties, covers=(), skip=SKIP_TIES),
    OpInfo("nanmedian(ties, NaN)", _pair("nanmedian"), _median_ties, covers=(), skip=SKIP_TIES),
    # a mode is a value that repeats: perturbing one copy changes which value it is (no finite differences)
    OpInfo("mode", _pair("mode"), _mode_samples, covers=("mode", "Tensor.mode"), skip=SKIP_SMOOTH),
    # the NaNs count as one value; which NaN the index names is left to PyTorch's sort: values only
    OpInfo("mode(NaN)", lambda lib, x: lib.mode(x).values,
           lambda rng, dtype: [Sample((np.array([[np.nan, np.nan, np.nan, 1.0, 0.5], [np.nan, 2.0, 2.0, np.nan, 1.0],
                                                 [1.0, np.nan, np.nan, 2.0, 2.0], [1.0, 0.5, np.nan, 1.0, 0.5]],
                                                dtype=dtype),), name="NaN", forward_only=True)], covers=()),
    OpInfo("quantile", _quantile("quantile"), _quantile_samples, covers=("quantile", "Tensor.quantile"),
           errors=_quantile_errors),
    OpInfo("nanquantile", _quantile("nanquantile"), _quantile_samples, covers=("nanquantile", "Tensor.nanquantile")),
    OpInfo("unique", _unique, _unique_samples, covers=("unique", "Tensor.unique"), skip=SKIP_NO_DERIVATIVE),
    OpInfo("unique_consecutive", _unique_consecutive, _unique_consecutive_samples,
           covers=("unique_consecutive", "Tensor.unique_consecutive"), skip=SKIP_NO_DERIVATIVE),
    OpInfo("bucketize", _bucketize, _search_samples, covers=("bucketize",), grad=False),
    OpInfo("searchsorted", _searchsorted, _search_samples, covers=("searchsorted",), grad=False),
    OpInfo("searchsorted(batched)", _searchsorted, _searchsorted_2d, covers=(), grad=False),
]
