"""Sorting and order statistics: sort, argsort, topk, kthvalue, median, mode, quantile, unique, searchsorted."""

from __future__ import annotations

import builtins
import math

from .._array import np
from .._core import modes
from .._core.args import _tensor_arg
from .._core.dims import _wrap_dim
from .._core.exposure import expose
from .._core.node import Node
from .._core.record import _edge, _tangents_of, zeros_like_shape
from .._core.record import _record as _record_node
from .._core.sigs import Sigs
from .._core.tensor import Tensor, _wrap
from ..return_types import sort_result, topk_result
from .index import gather
from .join import stack
from .pointwise import lerp, where
from .reduce import _EvenlyShared, _pick, _Selected
from .scan import _record
from .shape import squeeze

_grad_mode = modes.grad
_fw = modes.forward

__all__ = ["sort", "argsort", "msort", "topk", "kthvalue", "median", "unique", "quantile", "nanquantile",
           "nanmedian", "unique_consecutive", "bucketize", "searchsorted", "mode"]


def _select_sorted(g, idx, shape, d):
    """g scattered back to where each sorted element came from (idx has the values' shape)"""
    if len(shape) == 0:
        return g.reshape(shape)
    return zeros_like_shape(g, shape).scatter(d, idx, g)


class SortBackward0(Node):
    """values = x sorted along dim (x at the indices):  dx = g scattered back to the indices"""

    def backward(self, g):
        (idx,) = self.saved_values()
        return (_select_sorted(g, idx, self.shape, self.dim),)

    def jvp(self, t):
        (idx,) = self.saved_values()
        return t.reshape(()) if t.ndim == 0 else t.gather(self.dim, idx)


class SortBackward1(SortBackward0):
    """values = x sorted along dim, stably (PyTorch names the stable overload's node apart):  dx = g scattered back"""


class TopkBackward0(SortBackward0):
    """values = the k largest (smallest) x along dim, at the indices:  dx = g scattered back to the indices"""


def _order(xd, d, descending):
    """argsort along d: stable, NaN last (first when descending, as PyTorch), equal values in their order"""
    if not descending:
        return np.argsort(xd, axis=d, kind="stable")
    idx = np.flip(np.argsort(np.flip(xd, d), axis=d, kind="stable"), d)
    return (xd.shape[d] - 1) - idx


_SORT = Sigs("sort", "(Tensor input, *, bool stable, int dim = -1, bool descending = False, tuple of Tensors out = None)",
             "(Tensor input, int dim = -1, bool descending = False, *, tuple of Tensors out = None)")


def sort(x, dim=-1, descending=False, stable=False):
    """(values, indices) of x sorted along dim"""
    if type(x) is not Tensor or type(dim) is not int:
        _SORT.check_call(sort, x, dim, descending, stable)
    d = _wrap_dim(dim, x.ndim)
    xd = x._data
    if x.ndim == 0:
        idx = np.zeros((), dtype=np.int64)
        vals = xd.copy()
    else:
        idx = _order(xd, d, descending)
        vals = np.take_along_axis(xd, idx, d)
    idx_t = _wrap(idx.astype(np.int64))
    v = _record(vals, SortBackward1 if stable else SortBackward0, (x,), saved=(idx_t,), versions=(None,), shape=x.shape,
             dim=d)
    return sort_result(v, idx_t)

expose(sort, method=True)


_ARGSORT = Sigs("argsort", "(Tensor input, *, bool stable, int dim = -1, bool descending = False, Tensor out = None)",
                "(Tensor input, int dim = -1, bool descending = False)")


def argsort(x, dim=-1, descending=False, stable=False):
    """the indices that sort x along dim"""
    if type(x) is not Tensor or type(dim) is not int:
        _ARGSORT.check_call(argsort, x, dim, descending, stable)
    d = _wrap_dim(dim, x.ndim)
    if x.ndim == 0:
        return _wrap(np.zeros((), dtype=np.int64))
    return _wrap(_order(x._data, d, descending).astype(np.int64))

expose(argsort, method=True)


def msort(x):
    """x sorted along dim 0"""
    return sort(x, 0)[0]

expose(msort, method=True)


_TOPK = Sigs("topk", "(Tensor input, int k, int dim = -1, bool largest = True, bool sorted = True, *, "
             "tuple of Tensors out = None)")


def topk(x, k, dim=-1, largest=True, sorted=True):
    """(values, indices) of the k largest (or smallest) x along dim"""
    if type(x) is not Tensor or type(dim) is not int or type(k) is not int:
        _TOPK.check_call(topk, x, k, dim, largest, sorted)
    if type(x) is not Tensor:
        _tensor_arg("topk", ("input", 1, x))
    d = _wrap_dim(dim, x.ndim)
    if x._data.dtype == np.bool_:
        raise RuntimeError("topk does not support bool dtypes on CPU")
    n = x.shape[d] if x.ndim else 1
    if k > n or k < 0:
        raise RuntimeError("selected index k out of range")
    xd = x._data
    if x.ndim == 0:
        idx = np.zeros((), np.int64)
        vals = xd.copy()
    else:
        idx = np.ascontiguousarray(np.take(_order(xd, d, largest), np.arange(k), axis=d))
        vals = np.take_along_axis(xd, idx, d)
    idx_t = _wrap(idx.astype(np.int64))
    v = _record(vals, TopkBackward0, (x,), saved=(idx_t,), versions=(None,), shape=x.shape, dim=d)
    return topk_result(v, idx_t)

expose(topk, method=True)


class KthvalueBackward0(_Selected):
    """(values, indices) = kthvalue(x, k, dim):  dx = g at the indices, 0 elsewhere"""


def _check_dim_size(x, d, name):
    if x.ndim and x.shape[d] == 0:
        raise IndexError(f"{name}(): Expected reduction dim {d} to have non-zero size.")


_KTHVALUE = Sigs("kthvalue", "(Tensor input, int k, int dim = -1, bool keepdim = False, *, tuple of Tensors out = None)")


def kthvalue(x, k, dim=-1, keepdim=False):
    """(the k-th smallest x along dim, its index); NaN sorts last"""
    if type(x) is not Tensor or type(dim) is not int or type(k) is not int:
        _KTHVALUE.check_call(kthvalue, x, k, dim, keepdim)
    if type(x) is not Tensor:
        _tensor_arg("kthvalue", ("input", 1, x))
    d = _wrap_dim(dim, x.ndim)
    if x._data.dtype == np.bool_ and x.ndim:
        raise NotImplementedError("\"kthvalue_cpu\" not implemented for 'Bool'")
    _check_dim_size(x, d, "kthvalue")
    n = x.shape[d] if x.ndim else 1
    if not 1 <= k <= n:
        raise RuntimeError(f"kthvalue(): selected number k out of range for dimension {d}")
    idx = _kth_index(x._data, d, k - 1) if x.ndim else 0
    return _pick(x, d, keepdim, idx, KthvalueBackward0, "kthvalue")


def _gt_or_nan(a, b) -> bool:
    return (a != a and b == b) or a > b


def _quickselect_index(row: list, k: int) -> int:
    """The index PyTorch's CPU kthvalue reports: its median-of-three quickselect (NaN greatest) run on the
    values with their positions, which decides which of several equal values is picked."""
    vals, pos = list(row), list(range(len(row)))

    def swap(i, j):
        vals[i], vals[j] = vals[j], vals[i]
        pos[i], pos[j] = pos[j], pos[i]

    lo, hi = 0, len(vals) - 1
    while hi > lo:
        if hi == lo + 1:
            if _gt_or_nan(vals[lo], vals[hi]):
                swap(lo, hi)
            break
        swap(lo + (hi - lo) // 2, lo + 1)
        if _gt_or_nan(vals[lo + 1], vals[hi]):
            swap(lo + 1, hi)
        if _gt_or_nan(vals[lo], vals[hi]):
            swap(lo, hi)
        if _gt_or_nan(vals[lo + 1], vals[lo]):
            swap(lo + 1, lo)
        i, j, piv = lo + 1, hi, vals[lo]
        while True:
            i += 1
            while _gt_or_nan(piv, vals[i]):
                i += 1
            j -= 1
            while _gt_or_nan(vals[j], piv):
                j -= 1
            if j < i:
                break
            swap(i, j)
        swap(lo, j)
        if j <= k:
            lo = i
        if j >= k:
            hi = j - 1
    return pos[k]


def _kth_index(xd: np.ndarray, d: int, k: int) -> np.ndarray:
    """Along d: the index of the k-th (0-based) smallest value. Where that value occurs once the index is
    unambiguous (a stable sort finds it); where it is tied, PyTorch's quickselect decides which copy."""
    idx = np.take(_order(xd, d, False), k, axis=d)
    kth = np.expand_dims(np.take_along_axis(xd, np.expand_dims(idx, d), d).squeeze(d), d)
    same = (xd == kth) | (np.isnan(xd) & np.isnan(kth) if xd.dtype.kind in "fc" else False)
    tied = same.sum(axis=d) > 1
    if tied.any():
        rows = np.moveaxis(xd, d, -1).reshape(-1, xd.shape[d])
        flat = idx.reshape(-1).copy()
        for r in np.flatnonzero(tied):
            flat[r] = _quickselect_index(rows[r].tolist(), k)
        idx = flat.reshape(idx.shape)
    return idx

expose(kthvalue, method=True)


class MedianBackward0(_EvenlyShared):
    """m = median x:  dm/dx = 1/k at the k elements equal to m (at the NaNs when m is NaN), 0 elsewhere"""


class MedianBackward1(_Selected):
    """(values, indices) = median(x, dim):  dx = g at the indices, 0 elsewhere"""


class NanmedianBackward0(_EvenlyShared):
    """m = nanmedian x:  dm/dx = 1/k at the k elements equal to m (at the NaNs when all are NaN), 0 elsewhere"""


class NanmedianBackward1(_Selected):
    """(values, indices) = nanmedian(x, dim):  dx = g at the indices, 0 elsewhere"""


def _median_index(xd, d, ignore_nan):
    """Along d: the index of the lower median (of the non-NaN values when ``ignore_nan``, else of the first NaN
    when a slice has one: NaN is the median then, as in PyTorch)."""
    order = np.argsort(xd, axis=d, kind="stable")  # NaNs last, in their order
    n = xd.shape[d]
    nans = np.isnan(xd).sum(axis=d, keepdims=True) if xd.dtype.kind == "f" else np.zeros((1,) * xd.ndim, np.int64)
    if ignore_nan:
        k = np.maximum((n - nans - 1) // 2, 0)  # all NaN: the first NaN
    else:
        k = np.where(nans > 0, n - nans, (n - 1) // 2)
    k = np.broadcast_to(k, tuple(1 if i == d else s for i, s in enumerate(xd.shape)))
    return np.squeeze(np.take_along_axis(order, k, d), d)


def _median_all(x, ignore_nan, node_cls):
    xd = x._data.reshape(-1)
    if xd.size == 0:
        r = np.asarray(np.nan, dtype=xd.dtype)
    else:
        r = np.asarray(xd[_median_index(xd, 0, ignore_nan)])
    return _record(r, node_cls, (x,), saved=(x,), keep_out=True)


_MEDIAN = Sigs("median", "(Tensor input)",
               "(Tensor input, int dim, bool keepdim = False, *, tuple of Tensors out = None)")


def median(x, dim=None, keepdim=False):
    """the lower median of x (NaN if there is one), or (values, indices) along dim"""
    if type(x) is not Tensor or not (dim is None or type(dim) is int):
        _MEDIAN.check_call(median, x, dim, keepdim)
    if type(x) is not Tensor:
        _tensor_arg("median", ("input", 1, x))
    if dim is None:
        return _median_all(x, False, MedianBackward0)
    d = _wrap_dim(dim, x.ndim)
    if x._data.dtype == np.bool_:
        raise NotImplementedError("\"median_out\" not implemented for 'Bool'")
    _check_dim_size(x, d, "median")
    idx = _median_index(x._data, d, False) if x.ndim else 0
    return _pick(x, d, keepdim, idx, MedianBackward1, "median")

expose(median, method=True)


def nanmedian(x: Tensor, dim=None, keepdim: bool = False):
    """median ignoring NaNs (the lower of the two middle values), or (values, indices) along dim"""
    if dim is None:
        return _median_all(x, True, NanmedianBackward0)
    d = _wrap_dim(dim, x.ndim)
    _check_dim_size(x, d, "median")  # PyTorch's message names median
    idx = _median_index(x._data, d, True) if x.ndim else 0
    return _pick(x, d, keepdim, idx, NanmedianBackward1, "nanmedian")

expose(nanmedian, method=True)


_NO_FORWARD_AD = ("Trying to use forward AD with {} that does not support it because it has not been implemented "
                  "yet.\nPlease file an issue to PyTorch at https://github.com/pytorch/pytorch/issues/new?template="
                  "feature-request.yml so that we can prioritize its implementation or submit a PR adding the "
                  "implementation to derivatives.yaml")


class _NoDerivative(Node):
    """Base of the nodes of ops PyTorch does not differentiate (its output still requires grad): backward raises
    PyTorch's error, and forward mode refuses the op when it runs."""

    forward_ad = False
    aten = ""

    def backward(self, g):
        raise NotImplementedError(f"the derivative for '{self.aten}' is not implemented.")


class Unique2Backward0(_NoDerivative):
    """u = unique(x): no derivative (PyTorch: "the derivative for '_unique2' is not implemented")"""

    aten = "_unique2"


class UniqueDimBackward0(_NoDerivative):
    """u = unique(x, dim): no derivative (PyTorch: "the derivative for 'unique_dim' is not implemented")"""

    aten = "unique_dim"


class UniqueConsecutiveBackward0(_NoDerivative):
    """u = unique_consecutive(x): no derivative (PyTorch: "... for 'unique_consecutive' is not implemented")"""

    aten = "unique_consecutive"


def _refuse_tangent(node_cls, x):
    """Forward mode: PyTorch raises at the op itself when its input carries a tangent."""
    if _fw.level is not None and _tangents_of((x,)) is not None:
        raise NotImplementedError(_NO_FORWARD_AD.format(node_cls.aten))


def _undifferentiable(values, node_cls, x):
    """``values`` (an array) as the op's output, with a node whose backward raises when x requires grad"""
    t = _wrap(values)
    if _grad_mode.enabled and x._requires_grad:
        _record_node(t, node_cls((_edge(x),)))
    return t


def unique(x, sorted=True, return_inverse=False, return_counts=False, dim=None):
    """the distinct values of x, sorted (or the distinct slices along dim), with the inverse map and counts"""
    node_cls = Unique2Backward0 if dim is None else UniqueDimBackward0
    _refuse_tangent(node_cls, x)
    if dim is not None:
        dim = _wrap_dim(dim, x.ndim)
    res = np.unique(x._data, return_inverse=return_inverse, return_counts=return_counts, axis=dim,
                    equal_nan=False)  # each NaN is its own value in PyTorch (NaN != NaN)
    if not (return_inverse or return_counts):
        return _undifferentiable(res, node_cls, x)
    out = [_undifferentiable(res[0], node_cls, x)]
    if return_inverse:
        inv = res[1]
        out.append(_wrap(inv.reshape(x.shape if dim is None else (x.shape[dim],)).astype(np.int64)))
    if return_counts:
        out.append(_wrap(res[-1].astype(np.int64)))
    return tuple(out)

expose(unique, method=True)


def _quantile(x: Tensor, q, dim, keepdim, interpolation, ignore_nan):
    # PyTorch's checks, in its order; its messages say quantile() for nanquantile too
    qt = q if isinstance(q, Tensor) else None
    if qt is None and not 0 <= q <= 1:
        raise RuntimeError(f"quantile() q must be in the range [0, 1] but got {q}")
    if interpolation not in ("linear", "lower", "higher", "midpoint", "nearest"):
        raise RuntimeError("quantile() interpolation must be one of linear, lower, higher, midpoint or nearest, but "
                           f"got {interpolation}")
    if x._data.size == 0:
        raise RuntimeError("quantile() input tensor must be non-empty")
    if x._data.dtype.kind != "f":
        raise RuntimeError("quantile() input tensor must be either float or double dtype")
    qs = np.asarray(q._data if qt is not None else q, dtype=np.float64)
    if qs.ndim > 1:
        raise RuntimeError("quantile() q must be a scalar or 1D tensor")
    if qs.size and not ((qs >= 0) & (qs <= 1)).all():
        raise RuntimeError("quantile() q values must be in the range [0, 1]")
    src = x.reshape(-1) if dim is None else x
    d = 0 if dim is None else _wrap_dim(dim, x.ndim)
    srt = sort(src, d)[0] if src.ndim else src.reshape(1)
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
        vlo = gather(srt, d, lo_t)
        vhi = gather(srt, d, hi_t)
        if interpolation == "midpoint":
            frac = np.full(lo.shape, 0.5) * (hi != lo)
        else:
            frac = rank - lo
        frac_t = _wrap(np.expand_dims(frac, d).astype(a.dtype))
        r = lerp(vlo, vhi, frac_t) if interpolation in ("linear", "midpoint") else vlo
        bad = valid == 0 if ignore_nan else nan_mask.any(-1)
        if bad.any():
            r = where(_wrap(np.expand_dims(bad, d)), math.nan, r)
        if keepdim and dim is None:
            r = r.reshape((1,) * x.ndim)
        outs.append(r)
    # one squeeze at the end, as PyTorch's (the q dim for a number q, the reduced dim unless keepdim)
    gone = ((0,) if qs.ndim == 0 else ()) + (() if keepdim else (d + 1,))
    return squeeze(stack(outs, 0), gone, _name="SqueezeBackward4")


def quantile(x: Tensor, q, dim=None, keepdim: bool = False, *, interpolation: str = "linear") -> Tensor:
    """the q-th quantiles along dim (linear interpolation between order statistics by default)"""
    return _quantile(x, q, dim, keepdim, interpolation, False)

expose(quantile, method=True)


def nanquantile(x: Tensor, q, dim=None, keepdim: bool = False, *, interpolation: str = "linear") -> Tensor:
    """quantile ignoring NaNs"""
    return _quantile(x, q, dim, keepdim, interpolation, True)

expose(nanquantile, method=True)


_UNIQUE_CONSECUTIVE = Sigs("unique_consecutive", "(Tensor input, bool return_inverse = False, bool return_counts = "
                           "False, int dim = None)")


def unique_consecutive(x: Tensor, return_inverse: bool = False, return_counts: bool = False, dim=None):
    """collapse runs of equal consecutive values"""
    if type(x) is not Tensor:
        _tensor_arg("unique_consecutive", ("input", 1, x))
    if type(return_inverse) is not bool or type(return_counts) is not bool or not (dim is None or type(dim) is int):
        # (PyTorch's Python wrapper passes everything but the input by keyword)
        _UNIQUE_CONSECUTIVE.check_function(x, return_inverse=return_inverse, return_counts=return_counts, dim=dim)
    if dim is not None and x.ndim == 0:
        raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
    _refuse_tangent(UniqueConsecutiveBackward0, x)
    a = x._data
    if dim is None:
        flat = a.reshape(-1)
        if flat.size == 0:
            keep = np.zeros(0, dtype=bool)
        else:
            keep = np.concatenate([[True], flat[1:] != flat[:-1]])
        vals = flat[keep]
        inv_shape = a.shape
    else:
        d = _wrap_dim(dim, x.ndim)
        m = np.moveaxis(a, d, 0).reshape(a.shape[d], -1)
        keep = np.concatenate([[True], (m[1:] != m[:-1]).any(1)]) if m.shape[0] else np.zeros(0, dtype=bool)
        vals = np.ascontiguousarray(np.compress(keep, a, axis=d))
        inv_shape = (a.shape[d],)
    out = [_undifferentiable(vals, UniqueConsecutiveBackward0, x)]
    if return_inverse:
        out.append(_wrap((np.cumsum(keep) - 1).reshape(inv_shape).astype(np.int64)))
    if return_counts:
        starts = np.flatnonzero(keep)
        out.append(_wrap(np.diff(np.append(starts, keep.size)).astype(np.int64)))
    return out[0] if len(out) == 1 else tuple(out)

expose(unique_consecutive, method=True)


def bucketize(x, boundaries, *, out_int32=False, right=False):
    side = "right" if right else "left"
    r = np.searchsorted(boundaries._data, x._data, side=side)
    return _wrap(r.astype(np.int32 if out_int32 else np.int64))

expose(bucketize)


def searchsorted(sorted_sequence, values, *, out_int32=False, right=False, side=None):
    side = side or ("right" if right else "left")
    v = values._data if isinstance(values, Tensor) else np.asarray(values)
    s = sorted_sequence._data
    if s.ndim == 1:
        r = np.searchsorted(s, v, side=side)
    else:
        r = np.stack([np.searchsorted(s[i], v[i], side=side) for i in builtins.range(s.shape[0])])
    return _wrap(np.asarray(r).astype(np.int32 if out_int32 else np.int64))

expose(searchsorted)


class ModeBackward0(_Selected):
    """(values, indices) = mode(x, dim):  dx = g at the indices, 0 elsewhere"""


def mode(x, dim=-1, keepdim=False):
    """The most frequent value along ``dim`` (the smallest on ties) and the index of its last occurrence."""
    d = _wrap_dim(dim, x.ndim)
    _check_dim_size(x, d, "mode")
    if x.ndim == 0:
        return _pick(x, d, keepdim, 0, ModeBackward0, "mode")
    a = np.moveaxis(x._data, d, -1)
    rows = a.reshape(-1, a.shape[-1])
    s = np.sort(rows, axis=1)
    pos = np.arange(s.shape[1])
    new = np.ones(s.shape, dtype=bool)
    new[:, 1:] = s[:, 1:] != s[:, :-1]
    if s.dtype.kind == "f":  # the NaNs (sorted last) count as one value, as in PyTorch
        new[:, 1:] &= ~(np.isnan(s[:, 1:]) & np.isnan(s[:, :-1]))
    # running count inside each run of equal sorted values; the first position reaching the row's maximum
    # count belongs to the smallest most-frequent value
    run = pos - np.maximum.accumulate(np.where(new, pos, 0), axis=1) + 1
    at = np.argmax(run == run.max(axis=1, keepdims=True), axis=1)
    vals = s[np.arange(len(s)), at]
    with np.errstate(invalid="ignore"):
        hit = rows == vals[:, None]
        if rows.dtype.kind == "f":
            hit |= np.isnan(rows) & np.isnan(vals)[:, None]
    last = rows.shape[1] - 1 - np.argmax(hit[:, ::-1], axis=1)
    return _pick(x, d, keepdim, last.reshape(a.shape[:-1]), ModeBackward0, "mode")

expose(mode, method=True)
