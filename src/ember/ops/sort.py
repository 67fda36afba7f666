"""Sorting and order statistics: sort, argsort, topk, kthvalue, median, mode, quantile, unique, searchsorted."""

from __future__ import annotations

import builtins
import math

from .._array import np
from .._core.dims import _wrap_dim
from .._core.exposure import expose
from .._core.node import Node
from .._core.record import _out, _renamed, zeros_like_shape
from .._core.tensor import Tensor, _wrap
from ..return_types import minmax_result, sort_result, topk_result
from .index import gather
from .join import stack
from .pointwise import lerp, where
from .shape import reshape, select, squeeze, unsqueeze

__all__ = ["sort", "argsort", "msort", "topk", "kthvalue", "median", "unique", "quantile", "nanquantile",
           "nanmedian", "unique_consecutive", "bucketize", "searchsorted", "mode"]


class SortBackward0(Node):
    """values = x sorted along dim:  dx = g scattered back to the original positions"""

    def backward(self, g):
        (idx,) = self.saved_values()
        if len(self.shape) == 0:
            return (g,)
        return (zeros_like_shape(g, self.shape).scatter(self.dim, idx, g),)


class SortBackward1(SortBackward0):
    """sort(stable=True): the same rule; PyTorch names the stable overload's node apart"""


class TopkBackward0(SortBackward0):
    pass


def sort(x, dim=-1, descending=False, stable=False):
    d = _wrap_dim(dim, x.ndim)
    xd = x._data
    if x.ndim == 0:
        idx = np.zeros((), dtype=np.int64)
        vals = xd.copy()
    else:
        if descending:
            # a stable descending order that keeps equal elements in their original order
            idx = np.flip(np.argsort(np.flip(xd, d), axis=d, kind="stable"), d)
            idx = (xd.shape[d] - 1) - idx
            # NaN sorts as the largest, first in descending order (as PyTorch)
        else:
            idx = np.argsort(xd, axis=d, kind="stable")
        vals = np.take_along_axis(xd, idx, d)
    idx_t = _wrap(idx.astype(np.int64))
    v = _out(vals, SortBackward1 if stable else SortBackward0, (x,))
    if v.grad_fn is not None:
        v.grad_fn.saved, v.grad_fn.versions = (idx_t,), (None,)
        v.grad_fn.shape, v.grad_fn.dim = x.shape, d
    return sort_result(v, idx_t)

expose(sort, method=True)


def argsort(x, dim=-1, descending=False, stable=False):
    return sort(x, dim, descending, stable)[1]

expose(argsort, method=True)


def msort(x):
    return sort(x, 0)[0]

expose(msort, method=True)


def topk(x, k, dim=-1, largest=True, sorted=True):
    d = _wrap_dim(dim, x.ndim)
    n = x.shape[d] if x.ndim else 1
    if k > n or k < 0:
        raise RuntimeError("selected index k out of range")
    s = sort(x.detach(), d, descending=largest)
    sl = [slice(None)] * x.ndim
    sl[d] = slice(0, k)
    idx = s[1]._data[tuple(sl)] if x.ndim else s[1]._data
    vals = np.take_along_axis(x._data, idx, d) if x.ndim else x._data.copy()
    idx_t = _wrap(np.ascontiguousarray(idx))
    v = _out(vals, TopkBackward0, (x,))
    if v.grad_fn is not None:
        v.grad_fn.saved, v.grad_fn.versions = (idx_t,), (None,)
        v.grad_fn.shape, v.grad_fn.dim = x.shape, d
    return topk_result(v, idx_t)

expose(topk, method=True)


def kthvalue(x, k, dim=-1, keepdim=False):
    d = _wrap_dim(dim, x.ndim)
    s = sort(x, d)
    v = select(s[0], d, k - 1)
    i = select(s[1], d, k - 1)
    if keepdim:
        v, i = unsqueeze(v, d), unsqueeze(i, d)
    return minmax_result(_renamed(v, "KthvalueBackward0"), i, "kthvalue")

expose(kthvalue, method=True)


def median(x, dim=None, keepdim=False):
    if dim is None:
        flat = reshape(x, (-1,))
        n = flat.shape[0]
        s = sort(flat)
        return _renamed(select(s[0], 0, (n - 1) // 2), "MedianBackward0")
    d = _wrap_dim(dim, x.ndim)
    n = x.shape[d]
    s = sort(x, d)
    v = select(s[0], d, (n - 1) // 2)
    i = select(s[1], d, (n - 1) // 2)
    if keepdim:
        v, i = unsqueeze(v, d), unsqueeze(i, d)
    return minmax_result(_renamed(v, "MedianBackward1"), i, "median")

expose(median, method=True)


def unique(x, sorted=True, return_inverse=False, return_counts=False, dim=None):
    res = np.unique(x._data, return_inverse=return_inverse, return_counts=return_counts, axis=dim)
    if not (return_inverse or return_counts):
        return _wrap(res)
    out = [_wrap(res[0])]
    if return_inverse:
        out.append(_wrap(res[1].reshape(x.shape).astype(np.int64)))
    if return_counts:
        out.append(_wrap(res[-1].astype(np.int64)))
    return tuple(out)

expose(unique, method=True)


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
        if keepdim:
            r = r if dim is not None else r.reshape((1,) * x.ndim)
        else:
            r = r.squeeze(d)
        outs.append(r)
    if qs.ndim == 0:
        return outs[0]
    return stack(outs, 0)


def quantile(x: Tensor, q, dim=None, keepdim: bool = False, *, interpolation: str = "linear") -> Tensor:
    """the q-th quantiles along dim (linear interpolation between order statistics by default)"""
    return _quantile(x, q, dim, keepdim, interpolation, False, "quantile")

expose(quantile, method=True)


def nanquantile(x: Tensor, q, dim=None, keepdim: bool = False, *, interpolation: str = "linear") -> Tensor:
    """quantile ignoring NaNs"""
    return _quantile(x, q, dim, keepdim, interpolation, True, "nanquantile")

expose(nanquantile, method=True)


def nanmedian(x: Tensor, dim=None, keepdim: bool = False):
    """median ignoring NaNs (lower of the two middle values)"""
    a = x._data
    if dim is None:
        v = a[~np.isnan(a)] if a.dtype.kind == "f" else a.reshape(-1)
        if v.size == 0:
            return _wrap(np.asarray(np.nan, dtype=a.dtype))
        s = np.sort(v)
        return _wrap(np.asarray(s[(s.size - 1) // 2]))
    d = _wrap_dim(dim, x.ndim)
    order = np.argsort(a, axis=d, kind="stable")  # NaNs last
    if a.dtype.kind == "f":
        cnt = (~np.isnan(a)).sum(d, keepdims=True)
    else:
        cnt = np.full(a.shape[:d] + (1,) + a.shape[d + 1:], a.shape[d])
    k = np.maximum((cnt - 1) // 2, 0)
    idx = np.take_along_axis(order, k, d)
    v = gather(x, d, _wrap(idx))
    idx_t = _wrap(idx)
    if not keepdim:
        v, idx_t = v.squeeze(d), idx_t.squeeze(d)
    return minmax_result(v, idx_t, "median")

expose(nanmedian, method=True)


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
        d = _wrap_dim(dim, x.ndim)
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


def mode(x, dim=-1, keepdim=False):
    """The most frequent value along ``dim`` (the smallest on ties) and the index of its last occurrence."""
    d = _wrap_dim(dim, x.ndim)
    a = np.moveaxis(x._data, d, -1) if x.ndim else x._data.reshape(1)
    rows = a.reshape(-1, a.shape[-1])
    s = np.sort(rows, axis=1)
    pos = np.arange(s.shape[1])
    new = np.ones(s.shape, dtype=bool)
    new[:, 1:] = s[:, 1:] != s[:, :-1]
    # running count inside each run of equal sorted values; the first position reaching the row's maximum
    # count belongs to the smallest most-frequent value
    run = pos - np.maximum.accumulate(np.where(new, pos, 0), axis=1) + 1
    at = np.argmax(run == run.max(axis=1, keepdims=True), axis=1)
    vals = s[np.arange(len(s)), at]
    last = rows.shape[1] - 1 - np.argmax((rows == vals[:, None])[:, ::-1], axis=1)
    idx = last.reshape(a.shape[:-1]) if x.ndim else last.reshape(())
    index = _wrap(idx.astype(np.int64))
    if x.ndim:
        v = gather(x, d, unsqueeze(index, d))
        v = v if keepdim else squeeze(v, d)
        if keepdim:
            index = unsqueeze(index, d)
    else:
        v = x.clone()
    return minmax_result(v, index, "mode")

expose(mode, method=True)


