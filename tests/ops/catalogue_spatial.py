"""Catalogue entries of ember.nn._functional_spatial (see op_catalogue.py): convolutions (plain, transposed,
conv_tbc), unfold/fold, max/average/power/adaptive/fractional pooling, unpooling, pads, pixel and channel
shuffles, scaled dot-product attention.

Inputs are small (second derivatives cost ~numel² evaluations): a batch of one or two, two channels, a few pixels.
The samples walk each op's geometry (stride, padding, dilation, groups, ceil_mode, output_padding, padding
modes), an unbatched input, and a non-contiguous one (``Layout(..., "strided")``: every other sample of a
batch). Max pooling also meets ties, NaN, ±inf and ±0 (forward only: values and indices against PyTorch's
scan order). Indices (int64) are outputs like any other; random ones (fractional pooling) take PyTorch's
``_random_samples`` as an input. Entry names carry ``F.`` (``F.unfold`` is not ``Tensor.unfold``).
"""

from __future__ import annotations

import numpy as np
from op_catalogue import Layout, OpInfo, Sample, uniform


def _F(lib):
    return lib.nn.functional


def _fn(name):
    """op(lib, *args, **kw) = lib.nn.functional.<name>(*args, **kw)"""
    def op(lib, *args, **kw):
        return getattr(_F(lib), name)(*args, **kw)
    op.__name__ = name
    return op


def _strided(rng, shape, dtype, lo=-2.0, hi=2.0):
    """A non-contiguous input of ``shape``: every other sample of a batch twice as large."""
    return Layout(uniform(rng, (2 * shape[0],) + tuple(shape[1:]), dtype, lo, hi), "strided")


def _entry(name, samples, errors=None, **flags):
    return OpInfo(f"F.{name}", _fn(name), samples, covers=(f"nn.functional.{name}",), errors=errors, **flags)


# =====================================================================================================
# Convolutions
# =====================================================================================================

def _conv_samples(nd):
    sp = {1: (7,), 2: (5, 4), 3: (4, 3, 4)}[nd]
    ks = {1: (3,), 2: (3, 2), 3: (2, 2, 3)}[nd]

    def gen(rng, dtype):
        x = uniform(rng, (2, 2) + sp, dtype)
        w = uniform(rng, (3, 2) + ks, dtype)
        b = uniform(rng, (3,), dtype)
        yield Sample((x, w, b), name="plain")
        yield Sample((x, w), {"padding": 1}, name="padding 1, no bias")
        yield Sample((uniform(rng, (1, 2) + sp, dtype), w, b), {"stride": 2}, name="stride 2")
        yield Sample((x, w, b), {"padding": "same", "dilation": 2 if nd < 3 else 1}, name="same")
        yield Sample((uniform(rng, (2,) + sp, dtype), w, b), name="unbatched")
        yield Sample((_strided(rng, (1, 2) + sp, dtype), w, b), {"padding": 1}, name="strided input")
        yield Sample((uniform(rng, (1, 4) + sp, dtype), uniform(rng, (2, 2) + ks, dtype), uniform(rng, (2,), dtype)),
                     {"groups": 2}, name="groups 2")
        yield Sample((uniform(rng, (1, 2) + tuple(v + 2 for v in sp), dtype), w, b),
                     {"dilation": 2, "stride": (2,) + (1,) * (nd - 1)}, name="dilation 2, stride (2, 1..)")
        if np.dtype(dtype).kind == "f":
            xs = x.copy()
            xs.reshape(-1)[:4] = [np.nan, np.inf, -np.inf, -0.0]
            yield Sample((xs, w, b), name="special", forward_only=True)
            yield Sample((np.zeros((0, 2) + sp, dtype), w, b), name="empty batch", forward_only=True)
    return gen


def _conv_errors(nd):
    sp = {1: (7,), 2: (5, 4), 3: (4, 3, 4)}[nd]
    ks = {1: (3,), 2: (3, 2), 3: (2, 2, 3)}[nd]

    def gen(rng, dtype):
        w = uniform(rng, (3, 2) + ks, dtype)
        yield Sample((uniform(rng, (2, 3) + sp, dtype), w), name="channels")
        yield Sample((uniform(rng, (2, 2, 2) + sp, dtype), w), name="too many dims")
        yield Sample((uniform(rng, (1, 2) + (1,) * nd, dtype), w), name="kernel larger than input")
        yield Sample((uniform(rng, (1, 2) + sp, dtype), w), {"stride": 0}, name="stride 0")
        yield Sample((uniform(rng, (1, 2) + sp, dtype), w, uniform(rng, (4,), dtype)), name="bias size")
        yield Sample((uniform(rng, (1, 2) + sp, dtype), w), {"padding": "same", "stride": 2}, name="same strided")
        yield Sample((uniform(rng, (1, 2) + sp, dtype), w), {"groups": 2}, name="groups")
    return gen


def _conv_t_samples(nd):
    sp = {1: (4,), 2: (3, 4), 3: (2, 3, 2)}[nd]
    ks = {1: (3,), 2: (2, 3), 3: (2, 2, 2)}[nd]

    def gen(rng, dtype):
        x = uniform(rng, (2, 2) + sp, dtype)
        w = uniform(rng, (2, 3) + ks, dtype)  # (in, out, *k)
        b = uniform(rng, (3,), dtype)
        yield Sample((x, w, b), name="plain")
        yield Sample((x, w), {"stride": 2, "padding": 1}, name="stride 2, padding 1")
        yield Sample((x, w, b), {"stride": 2, "output_padding": 1}, name="output_padding")
        yield Sample((uniform(rng, (2,) + sp, dtype), w, b), {"dilation": 2}, name="unbatched, dilation 2")
        yield Sample((_strided(rng, (1, 2) + sp, dtype), w, b), name="strided input")
        yield Sample((uniform(rng, (1, 4) + sp, dtype), uniform(rng, (4, 1) + ks, dtype), uniform(rng, (2,), dtype)),
                     {"groups": 2}, name="groups 2")
    return gen


def _conv_t_errors(nd):
    sp = {1: (4,), 2: (3, 4), 3: (2, 3, 2)}[nd]
    ks = {1: (3,), 2: (2, 3), 3: (2, 2, 2)}[nd]

    def gen(rng, dtype):
        w = uniform(rng, (2, 3) + ks, dtype)
        yield Sample((uniform(rng, (1, 3) + sp, dtype), w), name="channels")
        yield Sample((uniform(rng, (1, 2) + sp, dtype), w), {"stride": 1, "output_padding": 1},
                     name="output_padding >= stride")
        yield Sample((uniform(rng, (1, 2) + sp, dtype), w), {"padding": "same"}, name="string padding")
    return gen


def _tbc_samples(rng, dtype):
    x, w, b = uniform(rng, (5, 2, 3), dtype), uniform(rng, (3, 3, 2), dtype), uniform(rng, (2,), dtype)
    yield Sample((x, w, b), name="plain")
    yield Sample((x, w, b, 1), name="pad 1")
    yield Sample((uniform(rng, (4, 1, 3), dtype), w, b, 2), name="pad 2")  # (PyTorch refuses strided inputs)


def _tbc_errors(rng, dtype):
    w, b = uniform(rng, (3, 3, 2), dtype), uniform(rng, (2,), dtype)
    yield Sample((uniform(rng, (5, 3), dtype), w, b), name="2-d input")
    yield Sample((uniform(rng, (5, 2, 4), dtype), w, b), name="channels")
    yield Sample((uniform(rng, (5, 2, 3), dtype), w, uniform(rng, (3,), dtype)), name="bias")


# =====================================================================================================
# unfold / fold, pixel and channel shuffles
# =====================================================================================================

def _unfold_samples(rng, dtype):
    x = uniform(rng, (2, 2, 4, 5), dtype)
    yield Sample((x, 2), name="k 2")
    yield Sample((x, (2, 3)), {"dilation": (1, 2), "padding": 1, "stride": (2, 1)}, name="all options")
    yield Sample((uniform(rng, (2, 3, 3), dtype), 2), name="unbatched")
    yield Sample((_strided(rng, (1, 2, 4, 4), dtype), 3), {"padding": 1}, name="strided input")


def _unfold_errors(rng, dtype):
    yield Sample((uniform(rng, (2, 4), dtype), 2), name="2-d")
    yield Sample((uniform(rng, (1, 2, 3, 3), dtype), 4), name="kernel too large")


def _fold_samples(rng, dtype):
    yield Sample((uniform(rng, (2, 8, 12), dtype), (4, 5), 2), name="k 2")
    yield Sample((uniform(rng, (1, 12, 8), dtype), (3, 4), (2, 3)), {"padding": 1, "stride": (2, 1)},
                 name="padding, stride")
    yield Sample((uniform(rng, (4, 4), dtype), (4, 4), 2), {"dilation": 2}, name="unbatched, dilation")
    yield Sample((Layout(uniform(rng, (2, 4, 12), dtype), "strided"), (4, 5), 2), name="strided input")


def _fold_errors(rng, dtype):
    yield Sample((uniform(rng, (1, 7, 12), dtype), (4, 5), 2), name="channels not divisible")
    yield Sample((uniform(rng, (1, 8, 11), dtype), (4, 5), 2), name="block count")
    yield Sample((uniform(rng, (1, 2, 8, 12), dtype), (4, 5), 2), name="4-d")


def _shuffle_samples(rng, dtype):
    yield Sample((uniform(rng, (1, 8, 2, 3), dtype), 2), name="r 2")
    yield Sample((uniform(rng, (9, 2, 2), dtype), 3), name="unbatched r 3")
    yield Sample((_strided(rng, (1, 4, 2, 2), dtype), 2), name="strided")


def _unshuffle_samples(rng, dtype):
    yield Sample((uniform(rng, (1, 2, 4, 6), dtype), 2), name="r 2")
    yield Sample((uniform(rng, (1, 3, 3), dtype), 3), name="unbatched r 3")
    yield Sample((_strided(rng, (1, 1, 4, 4), dtype), 2), name="strided")


def _shuffle_errors(rng, dtype):
    yield Sample((uniform(rng, (1, 6, 2, 3), dtype), 2), name="channels")
    yield Sample((uniform(rng, (4, 3), dtype), 2), name="2-d")
    yield Sample((uniform(rng, (1, 8, 2, 3), dtype), 0), name="r 0")


def _unshuffle_errors(rng, dtype):
    yield Sample((uniform(rng, (1, 2, 3, 4), dtype), 2), name="height")
    yield Sample((uniform(rng, (1, 2, 4, 3), dtype), 2), name="width")
    yield Sample((uniform(rng, (1, 2, 4, 4), dtype), 0), name="r 0")


def _channel_shuffle_samples(rng, dtype):
    yield Sample((uniform(rng, (2, 6, 2), dtype), 3), name="3 groups")
    yield Sample((uniform(rng, (1, 4, 2, 3), dtype), 2), name="4-d")
    yield Sample((_strided(rng, (1, 6, 3), dtype), 2), name="strided")


def _channel_shuffle_errors(rng, dtype):
    yield Sample((uniform(rng, (2, 6, 2), dtype), 4), name="not divisible")
    yield Sample((uniform(rng, (2, 6), dtype), 2), name="2-d")
    yield Sample((uniform(rng, (2, 6, 2), dtype), 0), name="0 groups")


# =====================================================================================================
# Pads
# =====================================================================================================

def _pad_samples(rng, dtype):
    x = uniform(rng, (1, 2, 3, 4), dtype)
    yield Sample((x, (1, 2)), name="constant last dim")
    yield Sample((x, (1, 0, 2, 1)), {"value": 1.5}, name="constant value")
    yield Sample((x, (-1, 1, 0, -1)), name="negative (crop)")
    yield Sample((x, (1, 2, 2, 1)), {"mode": "reflect"}, name="reflect 2-d")
    yield Sample((x, (3, 1, 1, 2)), {"mode": "replicate"}, name="replicate 2-d")
    yield Sample((x, (2, 1, 1, 3)), {"mode": "circular"}, name="circular 2-d")
    yield Sample((uniform(rng, (2, 5), dtype), (2, 3)), {"mode": "reflect"}, name="reflect 1-d unbatched")
    yield Sample((uniform(rng, (1, 1, 2, 3, 3), dtype), (1, 1, 0, 1, 1, 0)), {"mode": "replicate"},
                 name="replicate 3-d")
    yield Sample((_strided(rng, (1, 2, 3, 3), dtype), (1, 1, 1, 1)), {"mode": "reflect"}, name="strided")
    if np.dtype(dtype).kind == "f":
        yield Sample((np.array([[[np.nan, np.inf, -0.0]]], dtype), (1, 1)), {"mode": "reflect"}, name="special",
                     forward_only=True)


def _pad_errors(rng, dtype):
    x = uniform(rng, (1, 2, 3, 4), dtype)
    yield Sample((x, (1, 2, 3)), name="odd length")
    yield Sample((x, (4, 1)), {"mode": "reflect"}, name="two pads of a 4-d input")
    yield Sample((x, (4, 1, 0, 0)), {"mode": "reflect"}, name="reflect too wide")
    yield Sample((x, (1, 1)), {"mode": "nearest"}, name="bad mode")
    yield Sample((x, (-3, -2)), name="crop to negative")
    yield Sample((x, (1, 1)), {"mode": "reflect", "value": 2.0}, name="value with reflect")
    yield Sample((x, (5, 5)), {"mode": "circular"}, name="circular wraps twice")
    yield Sample((uniform(rng, (2, 3), dtype), (1, 1, 1, 1, 1, 1)), name="more dims than the input")


# =====================================================================================================
# Pooling
# =====================================================================================================

def _pool_input(rng, nd, dtype, batch=1, channels=2):
    sp = {1: (7,), 2: (5, 6), 3: (4, 5, 4)}[nd]
    return uniform(rng, (batch, channels) + sp, dtype)


def _special_input(nd, dtype):
    """Ties, NaN, ±inf and ±0 spread over a small input (PyTorch: the first maximum wins, the last NaN)."""
    sp = {1: (8,), 2: (4, 4), 3: (2, 4, 4)}[nd]
    vals = np.array([0.0, -0.0, 1.0, 1.0, np.nan, np.inf, -np.inf, 2.0, np.nan, -1.0, -np.inf, -np.inf, 0.0,
                     1.0, -0.0, 2.0], dtype)
    n = int(np.prod(sp))
    return np.resize(vals, (1, 2, n)).reshape((1, 2) + sp).copy()


def _max_pool_samples(nd):
    def gen(rng, dtype):
        yield Sample((_pool_input(rng, nd, dtype), 2), name="k 2")
        yield Sample((_pool_input(rng, nd, dtype), 3), {"stride": 2, "padding": 1}, name="k 3 s 2 p 1")
        yield Sample((_pool_input(rng, nd, dtype), 2), {"stride": 1, "dilation": 2}, name="dilation 2")
        yield Sample((_pool_input(rng, nd, dtype), 2), {"ceil_mode": True}, name="ceil_mode")
        yield Sample((_pool_input(rng, nd, dtype)[0], 2), {"stride": 1}, name="unbatched, overlapping")
        yield Sample((Layout(_pool_input(rng, nd, dtype, 2), "strided"), 2), name="strided input")
        yield Sample((_pool_input(rng, nd, dtype), (2,) + (3,) * (nd - 1)), {"stride": (1,) + (2,) * (nd - 1)},
                     name="rectangular")
        if np.dtype(dtype).kind == "f":
            s = _special_input(nd, dtype)
            yield Sample((s, 2), name="special", forward_only=True)
            yield Sample((s, 3), {"stride": 1, "padding": 1}, name="special padded", forward_only=True)
            yield Sample((np.full(s.shape, -np.inf, dtype), 3), {"stride": 2, "padding": 1, "ceil_mode": True},
                         name="all -inf padded", forward_only=True)
            yield Sample((np.round(_pool_input(rng, nd, dtype)), 2), {"stride": 1}, name="ties", forward_only=True)
            yield Sample((np.zeros((0, 2) + s.shape[2:], dtype), 2), name="empty batch", forward_only=True)
            yield Sample((uniform(rng, (1, 2) + s.shape[2:], np.int64, -3, 3), 2), name="int64", forward_only=True)
    return gen


def _max_pool_errors(nd):
    def gen(rng, dtype):
        x = _pool_input(rng, nd, dtype)
        yield Sample((x, 2), {"padding": 2}, name="padding over half the kernel")
        yield Sample((x, 9), name="kernel larger than input")
        yield Sample((x, 2), {"stride": 0}, name="stride 0")
        yield Sample((x[0, 0], 2) if nd > 1 else (x[0, 0], 2), name="too few dims")
        yield Sample((x, (2, 2, 2, 2)), name="kernel of four")
    return gen


def _with_indices(fn):
    def op(lib, *args, **kw):
        return getattr(_F(lib), fn)(*args, return_indices=True, **kw)
    return op


def _max_pool_entries(nd):
    out = []
    for name in (f"max_pool{nd}d", f"max_pool{nd}d_with_indices"):
        for ret in (False, True):
            if name.endswith("indices") and not ret:
                continue
            title = name + ("(return_indices)" if ret and not name.endswith("indices") else "")
            out.append(OpInfo(f"F.{title}", _with_indices(name) if ret else _fn(name), _max_pool_samples(nd),
                              covers=(f"nn.functional.{name}",), errors=_max_pool_errors(nd) if not ret else None,
                              exact=True))
    return out


def _avg_pool_samples(nd):
    def gen(rng, dtype):
        yield Sample((_pool_input(rng, nd, dtype), 2), name="k 2")
        yield Sample((_pool_input(rng, nd, dtype), 3), {"stride": 2, "padding": 1}, name="k 3 s 2 p 1")
        yield Sample((_pool_input(rng, nd, dtype), 3), {"stride": 2, "padding": 1, "count_include_pad": False},
                     name="count_include_pad False")
        yield Sample((_pool_input(rng, nd, dtype), 2), {"ceil_mode": True}, name="ceil_mode")
        yield Sample((_pool_input(rng, nd, dtype)[0], 2), {"stride": 1}, name="unbatched, overlapping")
        yield Sample((Layout(_pool_input(rng, nd, dtype, 2), "strided"), 2), name="strided input")
        if nd > 1:
            yield Sample((_pool_input(rng, nd, dtype), 2), {"divisor_override": 3}, name="divisor_override")
        if np.dtype(dtype).kind == "f":
            yield Sample((_special_input(nd, dtype), 2), name="special", forward_only=True)
    return gen


def _avg_pool_errors(nd):
    def gen(rng, dtype):
        x = _pool_input(rng, nd, dtype)
        yield Sample((x, 2), {"padding": 2}, name="padding over half the kernel")
        yield Sample((x, 9), name="kernel larger than input")
        yield Sample((x[0, 0] if nd > 1 else x[0, 0], 2), name="too few dims")
        if nd > 1:
            yield Sample((x, 2), {"divisor_override": 0}, name="divisor 0")
    return gen


def _lp_samples(nd):
    def gen(rng, dtype):
        x = _pool_input(rng, nd, dtype)
        yield Sample((np.abs(x) + 0.1, 2.0, 2), name="p 2")
        yield Sample((np.abs(x) + 0.1, 1.5, 3), {"stride": 2}, name="p 1.5 k 3 s 2")
        yield Sample((x, 1.0, 2), {"ceil_mode": True}, name="p 1, ceil_mode")
        yield Sample((x, float("inf"), 2), name="p inf")
    return gen


def _adaptive_samples(nd, maxpool):
    sizes = {1: (3, 5), 2: ((2, 4), (3, None)), 3: ((2, 3, 2), (1, 4, None))}[nd]

    def gen(rng, dtype):
        x = _pool_input(rng, nd, dtype)
        for s in sizes:
            yield Sample((x, s), name=f"out {s}")
        yield Sample((x[0], sizes[0]), name="unbatched")
        yield Sample((Layout(_pool_input(rng, nd, dtype, 2), "strided"), sizes[0]), name="strided input")
        yield Sample((x, 1), name="global")
        if np.dtype(dtype).kind == "f":
            s = _special_input(nd, dtype)
            yield Sample((s, 3), name="special", forward_only=True)
            if maxpool:
                yield Sample((np.round(x), 3), name="ties", forward_only=True)
            else:
                yield Sample((np.zeros((1, 0) + x.shape[2:], dtype), 2), name="no channels", forward_only=True)
    return gen


def _adaptive_errors(nd, maxpool=False):
    def gen(rng, dtype):
        x = _pool_input(rng, nd, dtype)
        yield Sample((x, (2,) * (nd + 1)), name="output_size too long")
        yield Sample((x[0, 0] if nd > 1 else x[0, 0], 2), name="too few dims")
        if maxpool:
            yield Sample((np.zeros((1, 0) + x.shape[2:], dtype), 2), name="no channels")
    return gen


def _adaptive_max_entries(nd):
    out = []
    for name, ret in ((f"adaptive_max_pool{nd}d", False), (f"adaptive_max_pool{nd}d", True),
                      (f"adaptive_max_pool{nd}d_with_indices", True)):
        title = name + ("(return_indices)" if ret and not name.endswith("indices") else "")
        out.append(OpInfo(f"F.{title}", (lambda lib, x, s, name=name: getattr(_F(lib), name)(x, s, True)) if ret
                          else _fn(name), _adaptive_samples(nd, True), covers=(f"nn.functional.{name}",),
                          errors=None if ret else _adaptive_errors(nd, True), exact=True))
    return out


def _fractional_samples(nd):
    sp = {2: (5, 6), 3: (4, 5, 4)}[nd]

    def gen(rng, dtype):
        x = uniform(rng, (2, 2) + sp, dtype)
        u = rng.random((2, 2, nd)).astype(dtype)
        yield Sample((x, u, 2), {"output_size": (2, 3, 2)[:nd]}, name="output_size", grad=(0,))
        yield Sample((x, u, (2, 3) if nd == 2 else 2), {"output_ratio": (0.5,) * nd}, name="output_ratio", grad=(0,))
        yield Sample((x[0], u[:1], 2), {"output_size": (2,) * nd}, name="unbatched", grad=(0,))
        if np.dtype(dtype).kind == "f":
            s = _special_input(nd, dtype)
            yield Sample((s, u[:1], 2), {"output_size": (2,) * nd}, name="special", forward_only=True)
    return gen


def _fractional_errors(nd):
    sp = {2: (5, 6), 3: (4, 5, 4)}[nd]

    def gen(rng, dtype):
        x = uniform(rng, (2, 2) + sp, dtype)
        u = rng.random((2, 2, nd)).astype(dtype)
        yield Sample((x, u, 2), name="no output size")
        if nd == 2:
            yield Sample((x, u, 2), {"output_ratio": 0.5}, name="a float ratio (PyTorch's TypeError)")
        yield Sample((x, u, 4), {"output_size": (4,) * nd}, name="too large")
        yield Sample((x, u[:, :1], 2), {"output_size": (2,) * nd}, name="samples channels")
    return gen


def _fractional_entries(nd):
    out = []
    for name, ret in ((f"fractional_max_pool{nd}d", False), (f"fractional_max_pool{nd}d", True),
                      (f"fractional_max_pool{nd}d_with_indices", True)):
        title = name + ("(return_indices)" if ret and not name.endswith("indices") else "")
        def op(lib, x, u, k, name=name, ret=ret, **kw):
            return getattr(_F(lib), name)(x, k, return_indices=ret, _random_samples=u, **kw)
        out.append(OpInfo(f"F.{title}", op, _fractional_samples(nd), covers=(f"nn.functional.{name}",),
                          errors=None if ret else _fractional_errors(nd), exact=True))
    return out


# -- unpooling: indices made as max pooling would, one winner per non-overlapping window -------------------------

def _unpool_indices(rng, sp, k, lead):
    """Flat indices in ``sp`` of one position per k-window (the windows tile ``sp`` // k)."""
    nd = len(sp)
    outs = tuple(n // kk for n, kk in zip(sp, k))
    coords = []
    for i in range(nd):
        base = (np.arange(outs[i]) * k[i]).reshape((-1,) + (1,) * (nd - 1 - i))
        coords.append(base + rng.integers(0, k[i], size=lead + outs))
    flat = np.zeros(lead + outs, np.int64)
    for c, n in zip(coords, sp):
        flat = flat * n + c
    return flat


def _unpool_samples(nd):
    sp = {1: (6,), 2: (4, 6), 3: (4, 4, 2)}[nd]

    def gen(rng, dtype):
        k = (2,) * nd
        lead = (1, 2)
        idx = _unpool_indices(rng, sp, k, lead)
        x = uniform(rng, idx.shape, dtype)
        yield Sample((x, idx, 2), name="k 2")
        yield Sample((x, idx, 2), {"output_size": tuple(v + 1 for v in sp)}, name="output_size")
        yield Sample((x[0], idx[0], 2), name="unbatched")
        idx3 = _unpool_indices(rng, sp, k, (1, 1))
        yield Sample((uniform(rng, idx3.shape, dtype), idx3, 2), {"stride": 2, "padding": 0}, name="stride")
    return gen


def _unpool_errors(nd):
    sp = {1: (6,), 2: (4, 6), 3: (4, 4, 2)}[nd]

    def gen(rng, dtype):
        idx = _unpool_indices(rng, sp, (2,) * nd, (1, 2))
        x = uniform(rng, idx.shape, dtype)
        bad = idx.copy()
        bad.reshape(-1)[0] = 10_000
        yield Sample((x, bad, 2), name="index out of range")
        yield Sample((x, idx, 2), {"output_size": tuple(v + 5 for v in sp)}, name="output_size too large")
        if nd < 3:  # (PyTorch's 3-d kernel does not compare the shapes)
            yield Sample((x, idx[..., :1], 2), name="shapes differ")
    return gen


# =====================================================================================================
# Attention
# =====================================================================================================

def _sdpa_samples(rng, dtype):
    q, k, v = uniform(rng, (2, 3, 4), dtype), uniform(rng, (2, 5, 4), dtype), uniform(rng, (2, 5, 3), dtype)
    yield Sample((q, k, v), name="plain")
    yield Sample((q, k, v), {"scale": 0.3}, name="scale")
    yield Sample((uniform(rng, (1, 2, 4, 3), dtype), uniform(rng, (1, 2, 4, 3), dtype),
                  uniform(rng, (1, 2, 4, 2), dtype)), {"is_causal": True}, name="causal")
    yield Sample((q, k, v, uniform(rng, (3, 5), dtype)), name="float mask")
    mask = rng.random((2, 3, 5)) < 0.7
    mask[..., 0] = True
    yield Sample((q, k, v, mask), name="bool mask")
    yield Sample((Layout(uniform(rng, (4, 3, 4), dtype), "strided"), k, v), name="strided query")
    yield Sample((uniform(rng, (1, 4, 2, 3), dtype), uniform(rng, (1, 2, 3, 3), dtype),
                  uniform(rng, (1, 2, 3, 2), dtype)), {"enable_gqa": True}, name="gqa")


def _sdpa_errors(rng, dtype):
    q, k, v = uniform(rng, (2, 3, 4), dtype), uniform(rng, (2, 5, 4), dtype), uniform(rng, (2, 5, 3), dtype)
    yield Sample((q, k, v, uniform(rng, (3, 5), dtype)), {"is_causal": True}, name="mask and causal")


# lp_pool is composed with relu, whose backward drops the tangents of a backward run on dual tensors (fixed in
# ops/unary.py on the h/nnf branch; drop this skip once it is merged)

NO_FORWARD = "PyTorch has no forward-mode rule (the forward_ad check compares the refusal)"
NO_BACKWARD = "PyTorch has no derivative (grad_fn NotImplemented: the backward check compares the error)"

ENTRIES = [
    *[_entry(f"conv{nd}d", _conv_samples(nd), _conv_errors(nd)) for nd in (1, 2, 3)],
    *[_entry(f"conv_transpose{nd}d", _conv_t_samples(nd), _conv_t_errors(nd)) for nd in (1, 2, 3)],
    _entry("conv_tbc", _tbc_samples, _tbc_errors, skip={"jvp_vjp": NO_FORWARD, "forward_over_reverse": NO_FORWARD}),
    _entry("unfold", _unfold_samples, _unfold_errors),
    _entry("fold", _fold_samples, _fold_errors),
    _entry("pixel_shuffle", _shuffle_samples, _shuffle_errors, exact=True),
    _entry("pixel_unshuffle", _unshuffle_samples, _unshuffle_errors, exact=True),
    _entry("channel_shuffle", _channel_shuffle_samples, _channel_shuffle_errors, exact=True),
    _entry("native_channel_shuffle", _channel_shuffle_samples, _channel_shuffle_errors, exact=True,
           skip={"gradcheck": NO_BACKWARD, "gradgradcheck": NO_BACKWARD, "jvp_vjp": NO_BACKWARD,
                 "forward_over_reverse": NO_BACKWARD}),
    _entry("pad", _pad_samples, _pad_errors, exact=True),
    *[e for nd in (1, 2, 3) for e in _max_pool_entries(nd)],
    *[_entry(f"avg_pool{nd}d", _avg_pool_samples(nd), _avg_pool_errors(nd)) for nd in (1, 2, 3)],
    *[_entry(f"lp_pool{nd}d", _lp_samples(nd)) for nd in (1, 2, 3)],
    *[_entry(f"adaptive_avg_pool{nd}d", _adaptive_samples(nd, False), _adaptive_errors(nd)) for nd in (1, 2, 3)],
    *[e for nd in (1, 2, 3) for e in _adaptive_max_entries(nd)],
    *[e for nd in (2, 3) for e in _fractional_entries(nd)],
    *[_entry(f"max_unpool{nd}d", _unpool_samples(nd), _unpool_errors(nd)) for nd in (1, 2, 3)],
    _entry("scaled_dot_product_attention", _sdpa_samples, _sdpa_errors),
]
