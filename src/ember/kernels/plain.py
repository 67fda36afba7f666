"""The plain kernel set: the NumPy call a reader would write for each kernel of ``kernels.exact``.

``kernels.use("plain")`` binds these; results then equal PyTorch's up to rounding instead of bit for bit, which
is what the op tests check in that mode (tolerances instead of equality).
"""

from __future__ import annotations

import numpy as np

__all__ = ["exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "sin", "cos", "tan", "asin", "acos", "atan",
           "sinh", "cosh", "tanh", "atanh", "logistic", "fma", "arange_float", "sum", "mean", "sum_to",
           "relu_backward"]

exp, exp2, expm1 = np.exp, np.exp2, np.expm1
log, log2, log10, log1p = np.log, np.log2, np.log10, np.log1p
sin, cos, tan, asin, acos, atan = np.sin, np.cos, np.tan, np.arcsin, np.arccos, np.arctan
sinh, cosh, tanh, atanh = np.sinh, np.cosh, np.tanh, np.arctanh


def logistic(a):
    """1 / (1 + e^-x)"""
    return np.reciprocal(1 + np.exp(-a))


def arange_float(start, step, n, dtype):
    """start + i·step for i < n, in double, then cast"""
    return (start + np.arange(n, dtype=np.float64) * step).astype(dtype)


def fma(a, b, c):
    """a·b + c"""
    return a * b + c


def sum(a, dims, keepdims=False):  # noqa: A001
    """Σ over dims (None: all), in a's dtype"""
    return np.asanyarray(np.sum(a, axis=dims if a.ndim else None, keepdims=keepdims,
                             dtype=a.dtype if a.dtype.kind in "iu" else None))


def mean(a, dims, keepdims=False):
    """mean over dims (None: all)"""
    return np.asanyarray(np.mean(a, axis=dims if a.ndim else None, keepdims=keepdims, dtype=a.dtype))


def sum_to(a, shape):
    """a summed over the dims that broadcasting added or stretched, back to shape"""
    lead = a.ndim - len(shape)
    dims = tuple(range(lead)) + tuple(i + lead for i, s in enumerate(shape) if s == 1 and a.shape[i + lead] != 1)
    return np.asarray(a.sum(axis=dims)).reshape(shape)  # asarray: a sum to () is a NumPy scalar


def relu_backward(g, y):
    """0 where y <= 0, else g (a NaN y passes g, as PyTorch's threshold_backward)"""
    return np.where(y <= 0, g.dtype.type(0), g)
