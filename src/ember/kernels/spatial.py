"""Spatial kernels: unit-stride convolution on shifted rows, and max pooling as a separable scan.

Both are plain NumPy, ``ndarray -> ndarray``; ``nn._functional_spatial`` calls them on its fast paths and keeps
the general code (any stride, groups, transposed convs) beside them.

**Convolution with unit stride, as one GEMM on shifted rows.** Flatten each (sample, channel) plane of the
padded input ``xp`` (spatial size ``P``) to one row. For unit stride the window at output position ``i`` and kernel
offset ``a`` reads ``row[off(a) + pos(i)]``, with ``off(a) = Σ a_j d_j S_j`` and ``pos(i) = Σ i_j S_j`` (``S_j`` the
row-major strides of ``P``). Take for every offset the *contiguous* run ``row[off(a) : off(a) + Lp]``,
``Lp = pos(out - 1) + 1``: it holds every output position of the plane, plus, between the rows of the output, the
positions where a window would wrap around the plane's edge. Those "wrap columns" are computed and thrown away.
In exchange im2col copies runs of ``Lp`` elements instead of runs of one output row (``ow``), and the columns are
laid out ``(C·K, N·Lp)`` so that the batch's convolution is ONE matmul::

    cols[(c, a), (n, l)] = xp[n, c].flat[off(a) + l]       Y = W(O, C·K) @ cols      y[n, o, i] = Y[o, n·Lp + pos(i)]

No element read lies outside the input: ``off(a_max) + Lp - 1`` is the plane's last element. The backward
uses the same layout: ``G`` is the output gradient scattered to ``(O, N·Lp)`` with zeros in the wrap columns,
``dW = G colsᵀ`` (one matmul), ``dcols = Wᵀ G`` (one matmul) and ``dxp.flat[off(a) : off(a) + Lp] += dcols[a]``
for each kernel offset (col2im as K contiguous slice-adds). The zeros of the wrap columns make their products
vanish, so the results equal the plain im2col formulas up to rounding (the same products, summed by BLAS in
a blocking of its choosing) -- unless an input value is ±inf or NaN, where ``0·inf`` would leak into a real
entry: then :func:`conv_unit_backward` returns ``None`` and the caller runs the plain formula.

**Max pooling as a separable scan.** PyTorch's CPU kernel scans each window in row-major order and keeps
``val > max or isnan(val)``: the first maximum wins ties, the last NaN wins over everything, and a window whose
values all equal the dtype's lowest value answers its first position inside the input (padding is never
scanned). The same answer comes from scanning one axis at a time, last axis first (the row maximum, then the
maximum over rows, carrying the winning offsets), with each step a whole-array ``maximum`` and comparison over
strided views: no window array is gathered or copied, and no ``argmax`` runs over rows of four.

**Max pooling over tiles** (stride = kernel, no padding or dilation: the windows tile the input). Strided
views of a 2x2 tiling make NumPy run inner loops of a dozen elements (1 ns an element); instead the input is
copied once into the layout ``(k0, k1, ..., *lead, o0, o1, ...)`` (each kernel offset a contiguous block), and the
same row-major scan (``v > best``: first maximum wins) runs on whole contiguous blocks, the winning offsets
updated by bit operations (``np.where``/``copyto(where=)`` on a random mask cost 10-20x more): 1.6x faster.
(The backward stays the strided write per offset: a transposed copy back costs more than it saves.)
"""

from __future__ import annotations

import itertools
import math

import numpy as np
from numpy.lib import stride_tricks as _st  # looked up at each call: ember.compile wraps _st.as_strided

from .threads import one_blas_thread

__all__ = ["conv_unit_forward", "conv_unit_backward", "max_pool_scan", "first_valid_offsets", "matmul_nt_long_k",
           "max_pool_tiles"]


_K_CHUNK = 512  # the inner length OpenBLAS handles well when the product itself is small


def matmul_nt_long_k(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``a @ b.T`` for a (M, K) and b (N, K), C-contiguous, when K is long and M, N are small (a weight
    gradient: the sum over every output position of the batch). OpenBLAS's sgemm runs such shapes 3-5x below
    its speed (a (8, 23232) x (23232, 9) product: 225 us; split in 512-long chunks: 47 us), so the sum over K
    is cut in chunks of _K_CHUNK, multiplied as one batched matmul and the partial products summed: the same
    products, added in another grouping (a gradient, never a printed forward value)."""
    m, k = a.shape
    n = b.shape[0]
    if k <= 2 * _K_CHUNK or max(m, n) > 128 or not (a.flags.c_contiguous and b.flags.c_contiguous):
        return a @ b.T
    nb = k // _K_CHUNK
    main = nb * _K_CHUNK
    r = np.matmul(a[:, :main].reshape(m, nb, _K_CHUNK).transpose(1, 0, 2),
                  b[:, :main].reshape(n, nb, _K_CHUNK).transpose(1, 2, 0)).sum(0)
    if main < k:
        r += a[:, main:] @ b[:, main:].T
    return r


# =====================================================================================================
# Unit-stride convolution on shifted rows
# =====================================================================================================

class ConvPlan:
    """The geometry of one unit-stride convolution on its padded input (what the backward needs)."""

    __slots__ = ("n", "c", "size", "pad", "padded", "k", "dil", "out", "row", "Lp", "offsets", "cols")

    def __init__(self, xshape, k, pad, dil, out):
        nd = len(k)
        self.n, self.c = xshape[0], xshape[1]
        self.size = tuple(xshape[2:])
        self.pad = tuple(pad)
        self.padded = tuple(self.size[i] + pad[i][0] + pad[i][1] for i in range(nd))
        self.k, self.dil, self.out = tuple(k), tuple(dil), tuple(out)
        strides = [math.prod(self.padded[i + 1:]) for i in range(nd)]  # row-major, in elements
        self.row = math.prod(self.padded)
        self.Lp = 1 + sum((out[i] - 1) * strides[i] for i in range(nd))
        self.offsets = [sum(a[i] * dil[i] * strides[i] for i in range(nd))
                        for a in np.ndindex(*k)]  # kernel offsets in row-major order, as W's columns
        self.cols = None

    def out_view(self, a: np.ndarray) -> np.ndarray:
        """The (N, O, *out) view of a (O, N·Lp) array: output position i of sample n at column n·Lp + pos(i)."""
        nd = len(self.k)
        isz = a.itemsize
        strides = [math.prod(self.padded[i + 1:]) * isz for i in range(nd)]
        return _st.as_strided(a, (self.n, a.shape[0]) + self.out, (self.Lp * isz, self.n * self.Lp * isz, *strides))


    def sample_view(self, a: np.ndarray) -> np.ndarray:
        """The (N, O, *out) view of a (N, O, Lp) array."""
        nd = len(self.k)
        isz = a.itemsize
        strides = [math.prod(self.padded[i + 1:]) * isz for i in range(nd)]
        return _st.as_strided(a, a.shape[:2] + self.out, a.strides[:2] + tuple(strides))


def _pad(x: np.ndarray, pad) -> np.ndarray:
    if not any(a or b for a, b in pad):
        return np.ascontiguousarray(x)
    shape = tuple(x.shape[:2]) + tuple(x.shape[2 + i] + a + b for i, (a, b) in enumerate(pad))
    r = np.zeros(shape, dtype=x.dtype)
    r[(slice(None), slice(None)) + tuple(slice(a, a + n) for (a, _b), n in zip(pad, x.shape[2:]))] = x
    return r


def conv_unit_forward(x: np.ndarray, w: np.ndarray, bias, pad, dil, out):
    """y = conv(x, w) + bias for unit stride, one group; returns (y, plan) with the columns kept in the plan."""
    plan = ConvPlan(x.shape, w.shape[2:], pad, dil, out)
    xp = _pad(x, pad)
    n, c, isz = plan.n, plan.c, xp.itemsize
    nd, kk = len(plan.k), len(plan.offsets)
    # (C, *k, N, Lp) view of shifted runs, copied once into (C·K, N·Lp)
    kstrides = tuple(plan.dil[i] * math.prod(plan.padded[i + 1:]) * isz for i in range(nd))
    win = _st.as_strided(xp, (c,) + plan.k + (n, plan.Lp), (xp.strides[1],) + kstrides + (xp.strides[0], isz),
                     writeable=False)
    cols = win.reshape(c * kk, n * plan.Lp)
    o = w.shape[0]
    with one_blas_thread():  # small, skinny products: one thread is faster (kernels.threads)
        # one product per sample, (N, O, Lp): each output plane's rows then lie Lp apart in one run, so the
        # copy out below reads rows of ow with one stride (the (O, N·Lp) product is read 1.5-2x slower)
        Y = np.matmul(w.reshape(o, c * kk), cols.reshape(c * kk, n, plan.Lp).transpose(1, 0, 2))
    if bias is not None:
        Y += bias.reshape(-1, 1)  # before the copy (a per-row scalar; the same single rounding of Σ + b)
    y = np.empty((n, o) + plan.out, dtype=Y.dtype)
    np.copyto(y, plan.sample_view(Y))
    plan.cols = cols
    return y, plan


def conv_unit_backward(plan: ConvPlan, g: np.ndarray, x: np.ndarray, w: np.ndarray, need_x: bool, need_w: bool):
    """(dx, dW) of :func:`conv_unit_forward` (None where not needed), or None when a non-finite input value
    would leak through the wrap columns (the caller then uses the plain formula)."""
    if need_w and not np.isfinite(x).all() or need_x and not np.isfinite(w).all():
        return None
    o = w.shape[0]
    n, c, kk, Lp = plan.n, plan.c, len(plan.offsets), plan.Lp
    G = np.zeros((o, n * Lp), dtype=g.dtype)
    plan.out_view(G)[...] = g  # as_strided views are writeable unless asked otherwise
    gw = gx = None
    with one_blas_thread():
        if need_w:
            gw = matmul_nt_long_k(G, plan.cols).reshape(w.shape)
        if need_x:
            dcols = (w.reshape(o, c * kk).T @ G).reshape(c, kk, n, Lp)
    if need_x:
        dxp = np.zeros((n, c, plan.row), dtype=dcols.dtype)
        for q, off in enumerate(plan.offsets):  # col2im: one contiguous slice-add per kernel offset
            dxp[:, :, off:off + Lp] += dcols[:, q].transpose(1, 0, 2)
        dxp = dxp.reshape((n, c) + plan.padded)
        if any(a or b for a, b in plan.pad):
            dxp = np.ascontiguousarray(dxp[(slice(None), slice(None)) + tuple(
                slice(a, a + m) for (a, _b), m in zip(plan.pad, plan.size))])
        gx = dxp
    return gx, gw


# =====================================================================================================
# Max pooling: a separable scan with PyTorch's tie and NaN rules
# =====================================================================================================

def _axis_view(a: np.ndarray, axis: int, start: int, step: int, count: int) -> np.ndarray:
    """``a[..., start : start + step·(count-1) + 1 : step, ...]`` along ``axis`` (a view)."""
    idx = [slice(None)] * a.ndim
    idx[axis] = slice(start, start + step * (count - 1) + 1, step)
    return a[tuple(idx)]


def max_pool_scan(xp: np.ndarray, k, s, d, outs, nan_aware: bool = False):
    """Window maxima of the padded ``xp`` (..., *spatial) and the winning kernel offset per axis.

    Windows start every ``s`` and take ``k`` elements ``d`` apart. Scanning the last axis first, each step keeps
    the running maximum and the winning offset: ``v > m`` (first maximum wins; with ``nan_aware`` also
    ``isnan(v)``, the last NaN wins, as in PyTorch's kernel; without it NaN windows get a wrong offset, which
    the caller detects from the NaN maximum). Returns (max, [offset per axis, int8 or bool arrays of max's
    shape]).
    """
    nd = len(k)
    lead = xp.ndim - nd
    m = xp
    carried: list = []  # offsets of the axes already scanned, shaped like m
    for ax in reversed(range(nd)):
        axis = lead + ax
        views = [_axis_view(m, axis, a * d[ax], s[ax], outs[ax]) for a in range(k[ax])]
        cviews = [[_axis_view(c, axis, a * d[ax], s[ax], outs[ax]) for a in range(k[ax])] for c in carried]
        best = views[0]
        off = None
        new_carried = [cv[0] for cv in cviews]
        for a in range(1, k[ax]):
            v = views[a]
            upd = v > best
            if nan_aware:
                upd |= np.isnan(v)
                best = np.where(upd, v, best)
            else:
                best = np.maximum(v, best)  # NaN propagates; on ties NumPy answers the second: the first kept
            off = upd if off is None and k[ax] == 2 else np.where(upd, np.int8(a), 0 if off is None else off)
            new_carried = [np.where(upd, cv[a], nc) for cv, nc in zip(cviews, new_carried)]
        if off is None:
            off = np.zeros(best.shape, dtype=np.int8)
        if k[ax] == 1:
            best = np.array(best)  # a copy, never a view of the input
        m = best
        carried = [off] + new_carried
    return m, carried  # carried[i] is the offset along axis i (first axis first)


def first_valid_offsets(outs, k, s, p, d) -> list:
    """Per axis, the first kernel offset of each window that lies inside the input (its start clamped)."""
    res = []
    for i in range(len(k)):
        start = np.arange(outs[i]) * s[i] - p[i]
        res.append(np.where(start < 0, (-start + d[i] - 1) // d[i], 0).astype(np.int8))
    return res


def _tile_perm(nd: int, lead: int) -> tuple:
    """Axes of the (k..., *lead, o...) tile layout, in the order of the (*lead, o0, k0, o1, k1, ...) view."""
    return tuple(range(nd, nd + lead)) + tuple(v for i in range(nd) for v in (nd + lead + i, i))


def max_pool_tiles(x: np.ndarray, k):
    """Window maxima of ``x`` (..., *spatial) over the tiles of size ``k`` (stride = kernel, windows past the
    last whole tile dropped), and the winning offset per axis (int8) -- as :func:`max_pool_scan` answers them
    for such windows (without its NaN rule: the caller rescans when the maximum is NaN)."""
    nd = len(k)
    lead = x.shape[:-nd]
    outs = tuple(x.shape[-nd + i] // k[i] for i in range(nd))
    t = x[(Ellipsis,) + tuple(slice(0, outs[i] * k[i]) for i in range(nd))]
    t = t.reshape(lead + tuple(v for i in range(nd) for v in (outs[i], k[i])))
    kk = math.prod(k)
    q = np.empty((kk,) + lead + outs, dtype=x.dtype)
    np.copyto(q.reshape(tuple(k) + lead + outs).transpose(_tile_perm(nd, len(lead))), t)
    best = q[0].copy()
    offs = [np.zeros(best.shape, np.int8) for _ in range(nd)]
    upd = np.empty(best.shape, dtype=bool)
    mask = np.empty(best.shape, dtype=np.int8)
    digits = list(itertools.product(*(range(v) for v in k)))  # row-major, as the windows are scanned
    for a in range(1, kk):
        np.greater(q[a], best, out=upd)
        np.maximum(q[a], best, out=best)  # NaN propagates; on ties NumPy answers the second: the first kept
        np.negative(upd.view(np.int8), out=mask)  # 0 or -1 (all bits)
        for i in range(nd):  # offs[i] = where(upd, digit, offs[i]) as bit operations (np.where: 10-20x slower)
            o = offs[i]
            sel = np.bitwise_xor(o, np.int8(digits[a][i]))
            sel &= mask
            o ^= sel
    return best, offs
