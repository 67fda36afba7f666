"""Float32 sums that add in PyTorch's order, so results match PyTorch's CPU kernels bit for bit.

PyTorch's CPU ``sum`` adds neither left to right nor pairwise like NumPy: it runs a *cascade sum* over SIMD
vectors (aten/src/ATen/native/cpu/SumKernel.cpp).  For a contiguous row of n floats and V lanes per vector it:

1. splits the row into ``n // V`` vectors and a scalar tail of ``n % V`` elements;
2. groups the vectors four at a time (four independent accumulators, "ILP"): ``S = (n // V) // 4`` rows of
   four vectors, plus up to three leftover vectors;
3. sums the S rows with a 4-level cascade: rows go sequentially into level 0 in chunks of
   ``L = 2**max(4, ceil(log2 S) // 4)`` rows; each full chunk is added into level 1, every L of those into
   level 2, every L of those into level 3; at the end level 0 += level 1, += level 2, += level 3;
4. adds the leftover vectors into accumulator 0, then folds accumulators 1, 2, 3 into it, in order;
5. sums the scalar tail sequentially from 0, then adds the V lanes one by one.

A reduction over the first axis of an (n, m) array runs the same cascade down each column (blocks of 4 vectors
of columns with one plain cascade, the remaining columns with the four interleaved accumulators of step 2).
A full reduction of more than 32768 elements is split in equal parts across PyTorch's threads, whose partial
sums are then summed.

Every sequential chain here is one ``np.add.accumulate`` (always strictly left to right, unlike ``np.sum``), so
the Python code only loops over the few cascade levels, never over elements.
"""

from __future__ import annotations

import builtins
import os

from .._array import np
from .memory import BLOCK, blockwise
from .rng import _fma64

__all__ = ["arange_float", "acos", "asin", "atan", "atanh", "cos", "cosh", "exp", "exp2", "expm1", "fma", "log", "log10", "log1p", "log2",
           "logistic", "mean", "relu_backward", "sigmoid", "sin", "sinh", "sum", "sum_all", "sum_firstdim",
           "sum_float32", "sum_lastdim", "sum_to", "tan", "tanh", "via_float64"]

# float32 lanes of the sum kernel PyTorch 2.13 runs on this CPU: its AVX2 build (8), as the bit tests show
LANES = 8
_ILP = 4
_LEVELS = 4
_GRAIN = 32768  # at::internal::GRAIN_SIZE: smaller reductions run on one thread
_THREADS = max(1, min(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1,
                      64))


def _seq(a: np.ndarray, axis: int) -> np.ndarray:
    """Σ along ``axis`` (negative), strictly left to right."""
    if a.shape[axis] == 1:
        return a[(Ellipsis, 0) + (slice(None),) * (-1 - axis)]
    if axis != -1 and a.shape[-1] > 1 and a.strides[-1] == a.itemsize:
        # NumPy adds one slice after another when the reduced axis is not the innermost loop (pairwise
        # summation only happens along the innermost one), and this is much faster than accumulate
        return np.add.reduce(a, axis=axis)
    return np.add.accumulate(a, axis=axis)[(Ellipsis, -1) + (slice(None),) * (-1 - axis)]


def _split(a: np.ndarray, axis: int, step: int) -> np.ndarray:
    """View ``a`` with its (negative) ``axis`` of length k·step split into (k, step)."""
    i = a.ndim + axis
    return a.reshape(a.shape[:i] + (a.shape[i] // step, step) + a.shape[i + 1:])


def _take(a: np.ndarray, axis: int, start: int, stop: int | None = None) -> np.ndarray:
    return a[(Ellipsis, slice(start, stop)) + (slice(None),) * (-1 - axis)]


def _cascade(rows: np.ndarray, axis: int) -> np.ndarray:
    """PyTorch's multi_row_sum: the 4-level cascade sum along (negative) ``axis`` of ``rows``."""
    s = rows.shape[axis]
    step = 1 << max(4, (s - 1).bit_length() // _LEVELS)  # (s-1).bit_length() is ceil(log2 s)
    if s <= step:  # at most one chunk: a plain sequential sum
        return _seq(rows, axis)
    full = s - s % step
    tops = [_seq(_take(rows, axis, full), axis)] if full < s else []  # rows after the last chunk stay in level 0
    items = _seq(_split(_take(rows, axis, 0, full), axis, step), axis)
    for _level in range(1, _LEVELS - 1):  # levels 1 and 2 pass every `step` additions up
        n = items.shape[axis]
        nf = n - n % step
        if nf < n:
            tops.append(_seq(_take(items, axis, nf), axis))
        if nf == 0:
            break
        items = _seq(_split(_take(items, axis, 0, nf), axis, step), axis)
    else:
        tops.append(_seq(items, axis))  # the top level never passes up
    out = tops[0]
    for t in tops[1:]:  # level 0 += level 1; += level 2; += level 3
        out = out + t
    return out


def _ilp_sum(x: np.ndarray, axis: int) -> np.ndarray:
    """PyTorch's row_sum along ``axis``: four interleaved cascades, leftovers into the first, then folded."""
    n = x.shape[axis]
    s = n // _ILP
    if s == 0:
        return _seq(x, axis)
    # (.., s, 4, ..) rows of four accumulators; cascade over s leaves (.., 4, ..)
    part = _cascade(_split(_take(x, axis, 0, s * _ILP), axis, _ILP), axis - 1)
    chain = (_take(part, axis, 0, 1), _take(x, axis, s * _ILP), _take(part, axis, 1))
    return _seq(np.concatenate(chain, axis=axis), axis)


def _inner_sum(x: np.ndarray, lanes: int) -> np.ndarray:
    """Σ over the last axis of ``x``, contiguous in PyTorch's layout (its vectorised inner sum)."""
    n = x.shape[-1]
    if n < lanes:
        return _ilp_sum(x, -1)
    nvec = n // lanes
    vec_acc = _ilp_sum(_split(x[..., :nvec * lanes], -1, lanes), -2)  # (.., lanes)
    if nvec * lanes < n:  # the scalar tail first, then the lanes
        vec_acc = np.concatenate((x[..., nvec * lanes:], vec_acc), axis=-1)
    return _seq(vec_acc, -1)


def sum_all(a: np.ndarray, lanes: int = LANES) -> np.ndarray:
    """Σ of all elements of a float32 array, in PyTorch's order for a contiguous tensor."""
    flat = a.reshape(-1)
    n = flat.shape[0]
    if n == 0:
        return np.zeros((), a.dtype)
    if n % (_ILP * lanes) == 0 and n <= 16 * _ILP * lanes:
        # at most 16 rows of four vectors: the cascade is one chunk, so the order above reduces to three
        # sequential sums (rows, then the four accumulators, then the lanes): 3 NumPy calls instead of ~20
        # (a loss or bias gradient over a batch of 32..512 is this case, once per training step)
        acc = np.add.reduce(np.add.reduce(flat.reshape(-1, _ILP, lanes), axis=0), axis=0)
        return np.add.accumulate(acc)[-1] + a.dtype.type(0)
    tasks = min(_THREADS, -(-n // _GRAIN))
    if tasks <= 1:
        return _inner_sum(flat, lanes) + a.dtype.type(0)  # + 0: the kernel's accumulator starts at +0
    chunk = -(-n // tasks)
    parts = np.zeros(_THREADS, a.dtype)  # one slot per thread, then summed like any short row
    for t in range(tasks):
        parts[t] = _inner_sum(flat[t * chunk:(t + 1) * chunk], lanes)
    return _inner_sum(parts, lanes) + a.dtype.type(0)


def sum_lastdim(a: np.ndarray, lanes: int = LANES) -> np.ndarray:
    """Σ over the last axis of a C-contiguous float32 array, in PyTorch's order (for a ≥ 2-D input)."""
    return _inner_sum(a, lanes) + a.dtype.type(0)


def sum_firstdim(a: np.ndarray, lanes: int = LANES) -> np.ndarray:
    """Σ over axis 0 of a C-contiguous float32 (n, m) array, m > 1, in PyTorch's order."""
    m = a.shape[1]
    # blocks of 4 vectors of columns (4 columns when m < lanes) share one plain cascade down the rows;
    # the remaining columns go through row_sum, whose four accumulators interleave the rows
    block = _ILP * lanes if m >= lanes else _ILP
    j = m - m % block
    if j == m:
        return _cascade(a, -2) + a.dtype.type(0)
    if j == 0:
        return _ilp_sum(a, -2) + a.dtype.type(0)
    return np.concatenate((_cascade(a[:, :j], -2), _ilp_sum(a[:, j:], -2))) + a.dtype.type(0)


# past this many elements the exact order costs more than it is worth (~4x NumPy's pairwise sum at 1e5
# elements, 50-100 µs): NumPy sums instead, within an ulp or so of PyTorch
EXACT_MAX = 1 << 17


def sum_float32(a: np.ndarray, dims: tuple[int, ...] | None) -> np.ndarray | None:
    """PyTorch's float32 sum of ``a`` over ``dims`` (None: all), without keepdim; None when not covered.

    Covered: C-contiguous inputs reduced over all axes, a trailing block of axes or a leading block of axes
    (these are what TensorIterator coalesces to one inner or one outer reduction), up to EXACT_MAX elements.
    """
    if a.dtype != np.float32 or a.size > EXACT_MAX or a.size == 0 or not a.flags.c_contiguous:
        return None
    nd = a.ndim
    if dims is None or len(dims) == nd:
        return sum_all(a)
    dims = tuple(sorted(d % nd for d in dims))
    k = len(dims)
    if not k:
        return None
    kept = [s for i, s in enumerate(a.shape) if i not in dims]
    out_n = 1
    for s in kept:
        out_n *= s
    if out_n == 1:  # one output: a full reduction
        return sum_all(a).reshape(kept)
    red_n = a.size // out_n
    if dims == tuple(range(nd - k, nd)):
        return sum_lastdim(a.reshape(out_n, red_n)).reshape(kept)
    if dims == tuple(range(k)):
        if red_n == 1:
            return a.reshape(kept) + a.dtype.type(0)
        return sum_firstdim(a.reshape(red_n, out_n)).reshape(kept)
    return None


# -- transcendentals ---------------------------------------------------------------------------------------
# PyTorch evaluates float32 exp, tanh, sin, log, ... with SLEEF's vectorised float32 routines (≤ 1 ulp).
# NumPy's float32 loops round differently in 10-50% of elements; evaluating in float64 and rounding to float32
# gives the correctly rounded value, which is what SLEEF returns for 92-99.99% of elements (measured on 1e5
# normals against torch 2.13: tanh 99.99%, cosh 99.9%, log2/log10 99.9%, expm1/sinh 99.7%, exp 99.0%,
# log1p 98.7%, sin/cos 95.1%, asin 94.7%, exp2 93.8%, atan 93.1%, log 92.2%, acos 91.5%, tan 82.4%).

# NumPy's float64 loops are 3-6x slower than its float32 ones (sin/cos/tan ~10x: no SIMD float64 version), so
# past 4096 elements the float32 loop is kept: small tensors (the values a program prints whole) get PyTorch's
# digits, while a layer's activations (which a matmul, whose order we cannot reproduce, rounds differently
# anyway) stay fast: for seed 000's 32x512 tanh the float64 path cost 40 us of a 300 us training step
UNARY_EXACT_MAX = 1 << 12
TRIG_EXACT_MAX = 1 << 12
GRAD_EXACT_MAX = 1 << 12  # broadcast gradients summed back in the engine (see engine._sum_to)


def via_float64(fn, max_size: int = UNARY_EXACT_MAX):
    """``fn`` evaluated in float64 for float32 inputs up to ``max_size`` elements and rounded to float32."""
    def f(a: np.ndarray) -> np.ndarray:
        if a.dtype != np.float32 or a.size > max_size:
            return fn(a)
        r = fn(a, dtype=np.float64)  # dtype= picks the float64 loop
        return r.astype(np.float32) if r.ndim else np.asarray(r, np.float32)  # 0-d gives a scalar
    f.__name__ = fn.__name__
    return f


def sigmoid(a: np.ndarray) -> np.ndarray:
    """1 / (1 + e^-x) as PyTorch's CPU kernel computes it: e^-x, then the sum and reciprocal in a's dtype."""
    # small tensors through float64 (PyTorch's digits); large ones in place (no second tensor-sized temporary)
    e = np.negative(a)
    e = via_float64(np.exp)(e) if a.size <= UNARY_EXACT_MAX else np.exp(e, out=e)
    one = a.dtype.type(1)
    return np.divide(one, np.add(e, one, out=e), out=e)


# -- matmul (not reproduced) -------------------------------------------------------------------------------
# torch's float32 (32x512) @ (512x1) comes from MKL; ember's from OpenBLAS: 22% of outputs bit-equal.
# Simulating K split over 4/8/16 lanes with 1/2/4 accumulators, with and without FMA, lanes folded
# sequentially or as a tree, reproduced none better than those 22%; the float64-exact product matched 9%.
# This is what still separates seed 000's first loss (one ulp) from PyTorch's, given identical inputs.


# =====================================================================================================
# The exact kernel set: what ``ember.kernels`` binds by default (each names the plain NumPy it equals up to
# rounding, which is what ``kernels.plain`` binds instead)
# =====================================================================================================

exp = via_float64(np.exp)                       # np.exp
exp2 = via_float64(np.exp2)                     # np.exp2
expm1 = via_float64(np.expm1)                   # np.expm1
log = via_float64(np.log)                       # np.log
log2 = via_float64(np.log2)                     # np.log2
log10 = via_float64(np.log10)                   # np.log10
log1p = via_float64(np.log1p)                   # np.log1p
sin = via_float64(np.sin, TRIG_EXACT_MAX)       # np.sin
cos = via_float64(np.cos, TRIG_EXACT_MAX)       # np.cos
tan = via_float64(np.tan, TRIG_EXACT_MAX)       # np.tan
asin = via_float64(np.arcsin)                   # np.arcsin
acos = via_float64(np.arccos)                   # np.arccos
atan = via_float64(np.arctan)                   # np.arctan
sinh = via_float64(np.sinh)                     # np.sinh
cosh = via_float64(np.cosh)                     # np.cosh
tanh = via_float64(np.tanh)                     # np.tanh
atanh = via_float64(np.arctanh)                 # np.arctanh


def logistic(a: np.ndarray) -> np.ndarray:
    """σ(x) = 1 / (1 + e^-x) as PyTorch's CPU kernel computes it (``sigmoid`` above for float32)."""
    if a.dtype == np.float32:
        return sigmoid(a)
    if a.ndim == 0:
        return np.reciprocal(1.0 + np.exp(-a))
    e = np.negative(a)  # then in place: no second temporary of a's size
    np.exp(e, out=e)
    e += 1
    return np.reciprocal(e, out=e)


def _meta(a) -> bool:
    """Whether ``a`` is a meta device's array (values not real: NumPy's sum hands it back as one). Other ndarray
    subclasses (the compile recorder's tracing arrays) keep PyTorch's adding order, as eager does."""
    return type(a).__name__ == "MetaArray"


def sum(a: np.ndarray, dims: tuple | None, keepdims: bool = False) -> np.ndarray:  # noqa: A001
    """Σ over ``dims`` (None: all) in ``a``'s dtype; float32 in PyTorch's adding order (np.sum otherwise, and for
    a meta device's array, which NumPy's sum hands back as one)."""
    r = sum_float32(a, dims) if a.dtype == np.float32 and a.ndim and not _meta(a) else None
    if r is None:
        return np.asanyarray(np.sum(a, axis=dims if a.ndim else None, keepdims=keepdims,
                                 dtype=a.dtype if a.dtype.kind in "iu" else None))
    if keepdims:
        ax = range(a.ndim) if dims is None else dims
        r = r.reshape(tuple(1 if i in ax else s for i, s in enumerate(a.shape)))
    return np.asanyarray(r)


def mean(a: np.ndarray, dims: tuple | None, keepdims: bool = False) -> np.ndarray:
    """mean over ``dims``; float32 as PyTorch's CPU mean: its float32 sum, then one division (np.mean; also for a
    meta array)."""
    r = sum_float32(a, dims) if a.dtype == np.float32 and a.ndim and not _meta(a) else None
    if r is None:
        return np.asanyarray(np.mean(a, axis=dims if a.ndim else None, keepdims=keepdims, dtype=a.dtype))
    r = np.asanyarray(r / np.float32(a.size // builtins.max(np.size(r), 1)))
    if keepdims:
        ax = range(a.ndim) if dims is None else dims
        r = r.reshape(tuple(1 if i in ax else s for i, s in enumerate(a.shape)))
    return r


def sum_to(a: np.ndarray, shape: tuple) -> np.ndarray:
    """A broadcast gradient summed back to ``shape`` (np.sum over the broadcast dims, reshaped).

    float32 in PyTorch's order (it is sum_to_size, a forward sum there) for gradients small enough to be printed
    whole; a layer's bias gradient over a batch keeps NumPy's reduction (the exact order cost 40 us of a 300 us
    WideNet step, and the weights it updates pass through matmuls whose order we cannot match bit for bit)."""
    lead = a.ndim - len(shape)
    dims = tuple(range(lead)) + tuple(i + lead for i, s in enumerate(shape) if s == 1 and a.shape[i + lead] != 1)
    r = sum_float32(a, dims) if a.dtype == np.float32 and dims and a.size <= GRAD_EXACT_MAX else None
    return np.asanyarray(a.sum(axis=dims) if r is None else r).reshape(shape)  # a sum to () is a NumPy scalar


def fma(a, b, c):
    """a·b + c rounded once, as PyTorch's CPU kernels compute add(alpha=), addcmul and lerp in float32 (a fused
    multiply-add on AVX2/AVX-512 CPUs; ``a * b + c`` rounds twice): in float64 the product of two float32 is
    exact, so only the sum is rounded there, then once more to float32. Other dtypes: ``a * b + c``."""
    if np.result_type(a) == np.float32 and np.result_type(b) == np.float32 and np.result_type(c) == np.float32:
        shape = np.broadcast_shapes(np.shape(a), np.shape(b), np.shape(c))
        if builtins.len(shape) and np.prod(shape) > BLOCK:  # in blocks: float64 temporaries of 1 MiB, not 2x the size
            out = np.empty(shape, np.float32)
            blockwise(_fma_into, out, a, b, c)
            return out
        r = np.add(np.multiply(a, b, dtype=np.float64), c, dtype=np.float64)
        return r.astype(np.float32) if r.ndim else np.asarray(r, np.float32)
    return a * b + c


def _fma_into(out, a, b, c):
    r = np.multiply(a, b, dtype=np.float64)
    np.add(r, c, out=r)
    out[...] = r


_SAME_WIDTH_INT = {np.dtype(np.float32): np.int32, np.dtype(np.float64): np.int64}


def relu_backward(g: np.ndarray, y: np.ndarray) -> np.ndarray:
    """+0 where y <= 0, else g (np.where(y <= 0, 0, g): PyTorch's threshold_backward, which passes g where y is NaN):
    the same bits from g's bit pattern as an integer times the mask (x 1 keeps every bit, NaN's included; x 0 gives
    +0): one integer multiply, 3x faster than np.where and than widening the mask to all-ones words for a bitwise
    and (13 vs 40 us on an MLP's 128x256)."""
    it = _SAME_WIDTH_INT.get(g.dtype)
    if it is None or g.shape != y.shape:
        return np.where(y <= 0, g.dtype.type(0), g)
    keep = ~np.less_equal(y, 0)
    return np.asanyarray(np.multiply(g.view(it), keep)).view(g.dtype)  # asarray: a 0-d input gives a 0-d array


# -- arange ------------------------------------------------------------------------------------------------
# PyTorch's CPU arange for float and double fills vectors of V elements (8 floats, 4 doubles): each vector's
# first value is fma(step, idx, start) in double (rounded to the dtype for float), and its k-th value
# fma(k, step, first); the elements past the last pair of whole vectors come from the scalar fma(step, idx, start).
# (The compiler contracts ``start + step * idx`` into a fused multiply-add.) So ``arange(-5, 5, 0.001)[5000]``
# is 1.0408e-16, not 0. A range of 32768 elements or more is cut in equal parts between PyTorch's threads (as
# its sums are, above), each part starting its vectors at its own first element. Measured against torch 2.13 on
# x86-64: every element of the tested ranges, one thread or two (tests/test_creation_blocks.py).
_ARANGE_V = {np.dtype(np.float32): 8, np.dtype(np.float64): 4}


def arange_float(start: float, step: float, n: int, dtype) -> np.ndarray:
    """start + i·step for i < n in ``dtype`` (float32 or float64) as PyTorch's kernel rounds them; made in blocks."""
    dt = np.dtype(dtype)
    v = _ARANGE_V[dt]
    tasks = builtins.min(_THREADS, -(-n // _GRAIN)) if n >= _GRAIN else 1
    chunk = builtins.max(-(-n // tasks), 1)  # each thread's part starts its vectors afresh
    out = np.empty(n, dt)
    block = BLOCK // 4  # the exact fused multiply-adds take ten float64 temporaries
    for s in range(0, n, block):
        i = np.arange(s, builtins.min(s + block, n), dtype=np.int64)
        begin = i - i % chunk
        rel = i - begin
        part = np.minimum(chunk, n - begin)
        vec_end = begin + part - part % (2 * v)
        first = _fma64((i - rel % v).astype(np.float64), step, start)
        if dt == np.float32:
            first = first.astype(np.float32).astype(np.float64)
        k = (rel % v).astype(np.float64)
        val = k + first if step == 1.0 else _fma64(k, step, first)  # (with step 1 the product is exact)
        tail = i >= vec_end
        if tail.any():
            val[tail] = _fma64(i[tail].astype(np.float64), step, start)
        out[s : s + i.size] = val
    return out
