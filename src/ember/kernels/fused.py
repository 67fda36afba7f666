"""Fused forward and backward kernels of the ops PyTorch records as one node: layer norm, GELU, softmax and
log-softmax, negative log-likelihood, attention, embedding.  ``ndarray -> ndarray``, NumPy alone.

Forward kernels compute exactly what the op computed before it was fused (the same NumPy calls in the same order,
so every printed value and every bit-exact test is unchanged) and also return the state PyTorch's kernel saves for
its backward (layer norm's mean and 1/σ, GELU's erf, attention's probabilities).

Backward kernels are plain NumPy: NumPy's sums (and, for sums along short rows, one BLAS matrix-vector product with
ones) instead of the PyTorch-order float32 sums of ``kernels.exact``, and the derivative from the saved state
instead of recomputing the forward.  Why that changes no
printed figure:

* these gradients never were PyTorch's bits: PyTorch's backward kernels (``layer_norm_backward_cpu``,
  ``GeluBackward``'s vectorised loop, the flash-attention CPU backward with its blocked online softmax) order their
  arithmetic in ways the composed ember formulas did not follow either, so the PyTorch-order sums inside the old
  formulas bought no exact digit; gradients agree with PyTorch's to float32 rounding (a few ulp), before and after;
* forward values, which users print and compare, are the forward kernels' and do not change;
* the ops call these kernels only when the backward is not itself recorded (no ``create_graph``, no forward-mode
  tangent): a differentiable backward (double backward, ``jvp`` derived from backward) is written with ember's ops,
  as before.

The formulas (x̂ = (x - μ)·rstd, g the incoming gradient, n the normalised size):

* layer norm:   dx = rstd (g w - mean(g w) - x̂ mean(g w x̂)),  dw = Σ_batch g x̂,  db = Σ_batch g
* GELU:         dx = g (Φ(x) + x φ(x)),  Φ(x) = (1 + erf(x/√2))/2 from the forward's 1 + erf;  tanh form:
                dx = g (½(1 + t) + ½ x (1 - t²) √(2/π)(1 + 3·0.044715 x²)),  t the forward's tanh
* softmax:      dx = s (g - Σ g s);   log-softmax:  dx = g - e^l Σ g
* nll:          dx[n, t_n] = -w_{t_n} g (/ Σ w for 'mean'), zero elsewhere
* attention:    P = softmax(Q Kᵀ c + M):  dV = Pᵀ G, dP = G Vᵀ, dS = P (dP - Σ dP P) c, dQ = dS K, dK = dSᵀ Q
* embedding:    dW[r] = Σ_{positions i with idx_i = r} g_i, summed in the order of the positions (as ``np.add.at``)
"""

from __future__ import annotations

import math

from .._array import np
from .exact import _THREADS

__all__ = ["attention", "attention_backward", "causal_mask", "embedding_backward", "gelu_backward",
           "layer_norm", "layer_norm_backward", "log_softmax_backward", "nll_backward", "row_max",
           "softmax_backward"]


_ONES: dict = {}


def _row_sum(a, axis):
    """Σ along ``axis`` (keepdims) for a backward formula: along the last axis of a float32/float64 array, one
    matrix-vector product with ones (BLAS, ~6x faster than np.sum over short rows; the sum in another order,
    which a gradient's rounding allows); else np.sum."""
    nd = a.ndim
    if nd and (axis == -1 or axis == nd - 1) and a.dtype in (np.float32, np.float64) and a.shape[-1] > 1:
        n = a.shape[-1]
        ones = _ONES.get((n, a.dtype))
        if ones is None:
            ones = _ONES[(n, a.dtype)] = np.ones(n, a.dtype)
            ones.flags.writeable = False
        return np.matmul(a, ones)[..., None]
    return np.sum(a, axis=axis, keepdims=True)


# =====================================================================================================
# Layer norm
# =====================================================================================================

def layer_norm(x, dims, eps, w=None, b=None):
    """(y, mean, rstd): y = (x - μ)/√(σ² + ε) · w + b over ``dims`` (keepdims), as the unfused op computed it."""
    mu = x.mean(axis=dims, keepdims=True)
    xc = x - mu
    sq = xc * xc
    var = np.mean(sq, axis=dims, keepdims=True)
    del sq
    std = np.sqrt(var + x.dtype.type(eps))
    y = np.divide(xc, std, out=xc)
    if w is not None:
        y *= w
    if b is not None:
        y += b
    rstd = np.reciprocal(std, out=std)
    return y, mu, rstd


def layer_norm_backward(g, x, mu, rstd, w, dims, need_x=True, need_w=True, need_b=True):
    """(dx, dw, db) of layer norm from the saved mean and rstd (None where not needed), in the form of PyTorch's
    CPU kernel: per row ds = Σ g w x, db = Σ g w, then dx = a g w + b x + c with a = rstd,
    b = (db μ - ds) a³/n, c = -b μ - db a/n; dw = Σ_rows g (a x - a μ), db = Σ_rows g, each summed over the rows
    of one thread's share of the rows, then over the threads' partial sums (PyTorch's two-pass reduction)."""
    k = len(dims)
    n = 1
    for d in dims:
        n *= x.shape[d]
    gx = gw = gb = None
    if need_b:
        gb = _sum_rows(g, k)
    if need_w and w is not None:
        t = x * rstd
        t -= rstd * mu
        t *= g
        gw = _sum_rows(t, k)
    if need_x:
        gh = g * w if w is not None else g
        t = gh * x
        if k == 1:
            ds, db = _row_sum(t, -1), _row_sum(gh, -1)
        else:
            ds, db = np.sum(t, axis=dims, keepdims=True), np.sum(gh, axis=dims, keepdims=True)
        ty = x.dtype.type
        scale = ty(1.0 / n)
        b = (db * mu - ds) * rstd * rstd * rstd * scale
        c = -b * mu - db * rstd * scale
        gx = np.multiply(gh, rstd, out=t)
        gx += b * x
        gx += c
    return gx, gw, gb


def _sum_rows(a, k):
    """Σ over the leading axes of ``a`` (its last k kept), as PyTorch's layer-norm backward sums dγ and dβ: rows
    added one after another within each thread's share, then the shares' sums added in order."""
    lead = a.ndim - k
    if not lead:
        return a
    rows = a.reshape((-1,) + a.shape[lead:])
    m = rows.shape[0]
    threads = min(_THREADS, m) if m else 1
    chunk = -(-m // threads) if m else 0
    out = None
    for start in range(0, m, chunk or 1):
        part = np.add.reduce(rows[start:start + chunk], axis=0)
        out = part if out is None else out + part
    return out if out is not None else np.zeros(a.shape[lead:], a.dtype)


def _sum_batch(a, batch, k):
    """Σ over the leading ``batch`` axes of ``a`` (the last k axes kept)."""
    if not batch:
        return a
    if a.flags.c_contiguous:
        return a.reshape((-1,) + a.shape[a.ndim - k:]).sum(axis=0)
    return a.sum(axis=batch)


# =====================================================================================================
# GELU
# =====================================================================================================

_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)


def gelu_backward(g, x, saved, approximate="none"):
    """g · GELU'(x), from the forward's 1 + erf(x/√2) (or tanh of the inner term for approximate='tanh')."""
    if x.ndim == 0:  # NumPy turns 0-d results into scalars, which the in-place steps below cannot write to
        return gelu_backward(np.reshape(g, 1), x.reshape(1), np.reshape(saved, 1), approximate).reshape(())
    ty = x.dtype.type
    if approximate == "tanh":
        t = saved
        one_minus = t * t
        np.subtract(ty(1), one_minus, out=one_minus)
        d = x * x
        d *= ty(3 * 0.044715)
        d += ty(1)
        d *= x
        d *= one_minus
        d *= ty(0.5 * _SQRT_2_OVER_PI)
        half = t + ty(1)
        half *= ty(0.5)
        d += half
        d *= g
        return d
    pdf = x * x
    pdf *= ty(-0.5)
    np.exp(pdf, out=pdf)
    pdf *= ty(_INV_SQRT_2PI)
    pdf *= x
    cdf = saved * ty(0.5)  # saved = 1 + erf(x/√2)
    pdf += cdf
    pdf *= g
    return pdf


# =====================================================================================================
# Softmax, log-softmax, negative log-likelihood
# =====================================================================================================

def softmax_backward(g, s, dim):
    """s (g - Σ_dim g s)"""
    gs = g * s
    c = _row_sum(gs, dim)
    gs -= s * c
    return gs


def log_softmax_backward(g, lsm, dim):
    """g - e^l Σ_dim g"""
    c = _row_sum(g, dim)
    e = np.exp(lsm)
    e *= c
    return np.subtract(g, e, out=e)


def nll_backward(g, x_shape, dtype, coef, safe_target, class_dim, reduction):
    """The gradient of nll_loss: -w_t g (/ Σ w) at each sample's target class, 0 elsewhere."""
    vals = coef * g if reduction == "none" else coef * g[()]
    out = np.zeros(x_shape, dtype=dtype)
    index = list(np.indices(safe_target.shape, sparse=True))
    index.insert(class_dim, safe_target)
    out[tuple(index)] = vals  # an item assignment (not np.put_along_axis): ember.compile's trace sees the write
    return out


# =====================================================================================================
# Attention
# =====================================================================================================

def row_max(a, axis):
    """max along ``axis`` (keepdims) of a float array, for a softmax's shift: ``np.fmax.reduce``, which skips
    NaN-propagation work and is ~1.5x faster than ``np.max``; a row with a NaN gives the same softmax either way
    (its sum, and so every element of the row, is NaN)."""
    if a.dtype.kind != "f":
        return np.max(a, axis=axis, keepdims=True)
    return np.fmax.reduce(a, axis=axis, keepdims=True)


_CAUSAL: dict = {}


def causal_mask(L, S):
    """The (L, S) boolean array that is True above the diagonal (the positions a causal mask removes), cached per
    shape and read-only."""
    m = _CAUSAL.get((L, S))
    if m is None:
        if len(_CAUSAL) > 64:
            _CAUSAL.clear()
        m = ~np.tril(np.ones((L, S), dtype=bool))
        m.flags.writeable = False
        _CAUSAL[(L, S)] = m
    return m


def attention(q, k, v, scale, removed=None, additive=None):
    """(out, P): P = softmax(Q Kᵀ·scale, with the ``removed`` positions at -inf and ``additive`` added), out = P V;
    the same NumPy steps as matmul, multiply, masked_fill, softmax and matmul one after another."""
    s = np.matmul(q, np.swapaxes(k, -1, -2))
    s *= s.dtype.type(scale)
    if removed is not None:
        np.copyto(s, s.dtype.type(-np.inf), where=removed)
    if additive is not None:
        s += additive
    with np.errstate(invalid="ignore", over="ignore"):
        m = row_max(s, -1)
        np.subtract(s, m, out=s)
        np.exp(s, out=s)
        s /= np.sum(s, axis=-1, keepdims=True)
    return np.matmul(s, v), s


def attention_backward(g, q, k, v, p, scale, need=(True, True, True)):
    """(dQ, dK, dV) of out = P V with P = softmax(Q Kᵀ·scale + mask), from the saved P."""
    gv = np.matmul(np.swapaxes(p, -1, -2), g) if need[2] else None
    gq = gk = None
    if need[0] or need[1]:
        dp = np.matmul(g, np.swapaxes(v, -1, -2))
        dp *= p
        c = _row_sum(dp, -1)
        dp -= p * c
        sc = dp.dtype.type(scale)  # the scale applied to dQ and dK, which are smaller than dS
        if need[0]:
            gq = np.matmul(dp, k)
            gq *= sc
        if need[1]:
            gk = np.matmul(np.swapaxes(dp, -1, -2), q)
            gk *= sc
    return gq, gk, gv


# =====================================================================================================
# Embedding
# =====================================================================================================

def embedding_backward(g2, flat, rows):
    """(rows, D) gradient of W[flat] from g2 = (len(flat), D): each row 0 + the gradients of its positions, added
    in the order of the positions, exactly as ``np.add.at`` and PyTorch's ``index_add_`` add them. The positions
    are sorted (stably) by row and laid out as (rows used, most uses, D) with zero padding after each row's
    entries; one sum over the middle axis then adds them one after another (NumPy adds slice after slice along
    an axis that is not the innermost, and the trailing zeros change no sum)."""
    out = np.zeros((rows, g2.shape[1]), dtype=g2.dtype)
    n = flat.size
    if n == 0:
        return out
    counts = np.bincount(flat, minlength=rows)
    used = np.flatnonzero(counts)
    most = int(counts[used].max())
    if most == 1:  # every row used once (position embeddings): 0 + g, which turns -0 into +0 as add.at does
        out[flat] = g2
        out += g2.dtype.type(0)
        return out
    if used.size * most > 4 * n + 64:  # a few rows used very often: the padding would cost more than it saves
        np.add.at(out, flat, g2)
        return out
    order = np.argsort(flat, kind="stable")
    srow = flat[order]
    slot = np.zeros(rows, dtype=np.intp)
    slot[used] = np.arange(used.size)
    starts = np.cumsum(counts) - counts
    buf = np.zeros((used.size, most + 1, g2.shape[1]), dtype=g2.dtype)  # slot 0: the +0 add.at starts from
    buf[slot[srow], np.arange(n) - starts[srow] + 1] = g2[order]
    out[used] = buf.sum(axis=1)
    return out
