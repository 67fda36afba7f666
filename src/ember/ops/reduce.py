"""Reductions over dims: sum, mean, prod, max/min, amax/amin, var/std, logsumexp, norms, all/any, statistics."""

from __future__ import annotations

import builtins
import math
import numbers

from .. import kernels as K
from .._array import np
from .._core import dtype as D
from .._core.args import _float_data
from .._core.dims import _norm_dims, _wrap_dim
from .._core.exposure import expose
from .._core.messages import _long_name, _warn_user
from .._core.node import Node
from .._core.record import _out, _renamed, _requires, _saved_output, ones_like, zeros_like_shape
from .._core.tensor import Tensor, _wrap
from ..return_types import _aminmax_result, _histogram_result, minmax_result
from .binary import maximum, minimum
from .compare import isnan, logical_not
from .join import cat
from .pointwise import clamp, where
from .scan import cumprod
from .shape import diagonal, flip, narrow
from .unary import abs, conj, exp, sign

__all__ = ["sum", "sum_to_size", "mean", "prod", "max", "min", "amax", "amin", "argmax", "argmin", "var",
           "std", "var_mean", "std_mean", "logsumexp", "norm", "linalg_vector_norm", "all", "any",
           "count_nonzero", "aminmax", "cov", "corrcoef", "histogram", "renorm", "histc", "nansum", "nanmean",
           "bincount"]


def _expand_back(g, in_shape, dims, keepdim):
    """Broadcast a reduced gradient ``g`` back to ``in_shape`` (the adjoint of summing over ``dims``)."""
    if not keepdim and len(in_shape):
        shp = list(in_shape)
        for d in dims:
            shp[d] = 1
        g = g.reshape(tuple(shp))
    return g.expand(in_shape)


class SumBackward0(Node):
    """s = Σ x:  ds/dx = 1 everywhere"""

    def backward(self, g):
        return (g.expand(self.shape),)


class SumBackward1(Node):
    """s = Σ_dims x:  ds/dx = 1, broadcast back over the summed dims"""

    def backward(self, g):
        return (_expand_back(g, self.shape, self.dims, self.keepdim),)


def sum(x, dim=None, keepdim=False, dtype=None):
    """Σ x over ``dim`` (all elements if None)"""
    xd = x._data
    if dtype is not None:
        xd = xd.astype(dtype.np)
    elif xd.dtype.kind in "bui" and xd.dtype != np.int64:
        xd = xd.astype(np.int64)  # PyTorch sums integers and bools as int64
    if dim is None:
        t = _out(K.sum(xd, None, keepdim), SumBackward0, (x,), shape=x.shape)
        return t
    dims = _norm_dims(dim, x.ndim) if not (isinstance(dim, (tuple, list)) and len(dim) == 0) \
        else tuple(range(x.ndim))
    t = _out(K.sum(xd, dims, keepdim), SumBackward1, (x,), shape=x.shape, dims=dims, keepdim=keepdim)
    return t

expose(sum, method=True, out=True)


def sum_to_size(x, *size):
    """Sum ``x`` down to ``size`` (the adjoint of broadcasting ``size`` up to x's shape)."""
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = tuple(size[0])
    size = tuple(size)
    if size == x.shape:
        return x
    lead = x.ndim - len(size)
    dims = tuple(range(lead)) + tuple(i + lead for i, s in enumerate(size) if s == 1 and x.shape[i + lead] != 1)
    r = sum(x, dims, keepdim=True) if dims else x
    if lead:
        r = r.reshape(size)
    return r

expose(sum_to_size, torch=False, method=True)


class MeanBackward0(Node):
    """m = mean x:  dm/dx = 1/n"""

    def backward(self, g):
        return ((g / self.n).expand(self.shape),)


class MeanBackward1(Node):
    """m = mean_dims x:  dm/dx = 1/n, broadcast back over the averaged dims"""

    def backward(self, g):
        return (_expand_back(g / self.n, self.shape, self.dims, self.keepdim),)


def mean(x, dim=None, keepdim=False, dtype=None):
    """mean of x over ``dim``"""
    xd = x._data
    if dtype is not None:
        xd = xd.astype(dtype.np)
    if xd.dtype.kind not in "fc":
        raise RuntimeError(f"mean(): could not infer output dtype. Input dtype must be either a floating point "
                           f"or complex dtype. Got: {_long_name(x.dtype)}")
    if dim is None:
        with np.errstate(invalid="ignore", divide="ignore"):
            r = K.mean(xd, None, keepdim) if xd.size else np.full((1,) * x.ndim if keepdim else (), np.nan, xd.dtype)
        t = _out(r, MeanBackward0, (x,))
        if t.grad_fn is not None:
            t.grad_fn.shape, t.grad_fn.n = x.shape, x.numel()
        return t
    if isinstance(dim, (tuple, list)) and len(dim) == 0:
        dim = tuple(range(x.ndim))  # an empty dim list means every dim, as in PyTorch
    dims = _norm_dims(dim, x.ndim)
    with np.errstate(invalid="ignore", divide="ignore"):
        r = K.mean(xd, dims, keepdim)
    t = _out(r, MeanBackward1, (x,))
    if t.grad_fn is not None:
        n = 1
        for d in dims:
            n *= x.shape[d] if x.ndim else 1
        t.grad_fn.shape, t.grad_fn.dims, t.grad_fn.keepdim, t.grad_fn.n = x.shape, dims, keepdim, n
    return t

expose(mean, method=True, out=True)


class ProdBackward0(Node):
    """p = Π x:  dp/dx_i = Π_{j≠i} x_j (computed without dividing, so zeros are handled)"""

    def backward(self, g):
        (x,) = self.saved_values()
        return (_expand_back(g, x.shape, tuple(range(x.ndim)), False) * _prod_others(x.reshape(-1), 0)
                .reshape(x.shape),)


class ProdBackward1(Node):
    """p = Π_dim x:  dp/dx_i = Π_{j≠i} x_j along dim"""

    def backward(self, g):
        (x,) = self.saved_values()
        d = self.dim
        return (_expand_back(g, x.shape, (d,), self.keepdim) * _prod_others(x, d),)


def _prod_others(x, dim):
    """Π_{j≠i} x_j along ``dim``: exclusive cumulative products from both sides."""
    n = x.shape[dim]
    ones_shape = list(x.shape)
    ones_shape[dim] = 1
    one = ones_like(narrow(x, dim, 0, 1))
    left = cat([one, cumprod(narrow(x, dim, 0, n - 1), dim)], dim) if n > 1 else one
    xr = flip(x, (dim,))
    right = cat([one, cumprod(narrow(xr, dim, 0, n - 1), dim)], dim) if n > 1 else one
    return left * flip(right, (dim,))


def prod(x, dim=None, keepdim=False, dtype=None):
    """Π x over ``dim`` (one dim, or all)"""
    xd = x._data if dtype is None else x._data.astype(dtype.np)
    if xd.dtype.kind in "bui" and dtype is None:
        xd = xd.astype(np.int64)
    if dim is None:
        t = _out(np.asarray(xd.prod()), ProdBackward0, (x,), saved=(x,))
        return t
    if not isinstance(dim, (int, np.integer)):
        # PyTorch's argument parser: prod takes one int dim, no tuple
        raise TypeError(f"prod() received an invalid combination of arguments - got (Tensor, {type(dim).__name__}), "
                        "but expected one of:\n * (Tensor input, *, torch.dtype dtype = None)\n * (Tensor input, "
                        "int dim, bool keepdim = False, *, torch.dtype dtype = None, Tensor out = None)\n")
    d = _wrap_dim(dim, x.ndim)
    t = _out(xd.prod(axis=d if x.ndim else None, keepdims=keepdim), ProdBackward1, (x,), saved=(x,))
    if t.grad_fn is not None:
        t.grad_fn.dim, t.grad_fn.keepdim = d, keepdim
    return t

expose(prod, method=True, out=True)


class _ExtremumAll(Node):
    """m = max/min of all x:  the gradient is shared evenly among the elements equal to m"""

    def backward(self, g):
        x, m = self.saved_values()
        mask = (x == m)
        return (mask * (g / mask.sum()),)


class MaxBackward1(_ExtremumAll):
    pass


class MinBackward1(_ExtremumAll):
    pass


class _ExtremumDim(Node):
    """(values, indices) = max/min along dim:  the gradient goes to the chosen index"""

    def backward(self, g):
        (idx,) = self.saved_values()
        shape, d, keep = self.shape, self.dim, self.keepdim
        if not keep and len(shape):
            g = g.unsqueeze(d)
            idx = idx.unsqueeze(d)
        return (zeros_like_shape(g, shape).scatter(d, idx, g) if len(shape) else g.reshape(shape),)


class MaxBackward0(_ExtremumDim):
    pass


class MinBackward0(_ExtremumDim):
    pass


class _AExtremum(Node):
    """amax/amin along dims: the gradient is split evenly among the tied extreme elements"""

    def backward(self, g):
        x, m = self.saved_values()
        if not self.keepdim:
            m = _expand_back(m, x.shape, self.dims, False)
            g = _expand_back(g, x.shape, self.dims, False)
        mask = (x == m)
        count = sum(mask, self.dims, keepdim=True)
        return (g * mask / count,)


class AmaxBackward0(_AExtremum):
    pass


class AminBackward0(_AExtremum):
    pass


def _extremum(x, dim, keepdim, np_reduce, np_arg, all_node, dim_node, name):
    if dim is None:
        if x.numel() == 0:
            raise RuntimeError(f"{name}(): Expected reduction dim to be specified for input.numel() == 0. "
                               "Specify the reduction dim with the 'dim' argument.")
        r = np.asarray(np_reduce(x._data))
        return _out(r, all_node, (x,), saved=(x, None)) if not _requires(x) else _save_result(
            _out(r, all_node, (x,)), x)
    d = _wrap_dim(dim, x.ndim)
    if x.ndim and x.shape[d] == 0:
        raise IndexError(f"{name}(): Expected reduction dim {d} to have non-zero size.")
    xd = x._data
    if x.ndim == 0:
        idx = np.asarray(0, dtype=np.int64)
        vals = xd.copy()
    else:
        idx = _nan_aware_arg(xd, d, np_arg)
        vals = np.take_along_axis(xd, np.expand_dims(idx, d), d)
        if not keepdim:
            vals = np.squeeze(vals, d)
        else:
            idx = np.expand_dims(idx, d)
    idx_t = _wrap(np.asarray(idx, dtype=np.int64))
    v = _out(vals, dim_node, (x,))
    if v.grad_fn is not None:
        v.grad_fn.saved = (idx_t,)
        v.grad_fn.versions = (None,)
        v.grad_fn.shape, v.grad_fn.dim, v.grad_fn.keepdim = x.shape, d, keepdim
    return minmax_result(v, idx_t, name)


def _nan_aware_arg(xd, d, np_arg):
    # PyTorch propagates NaN: a NaN is the max and the min; numpy's argmax also picks the first NaN
    return np_arg(xd, axis=d)


def _save_result(t, x):
    t.grad_fn.saved = (x, _saved_output(t.grad_fn, t))
    t.grad_fn.versions = (x._version, 0)
    return t


def max(x, dim=None, keepdim=False):
    """max of x, or (values, indices) along ``dim``; ``max(a, b)`` is the elementwise maximum"""
    if isinstance(dim, Tensor):
        return maximum(x, dim)
    return _extremum(x, dim, keepdim, np.max, np.argmax, MaxBackward1, MaxBackward0, "max")

expose(max, method=True)


def min(x, dim=None, keepdim=False):
    """min of x, or (values, indices) along ``dim``"""
    if isinstance(dim, Tensor):
        return minimum(x, dim)
    return _extremum(x, dim, keepdim, np.min, np.argmin, MinBackward1, MinBackward0, "min")

expose(min, method=True)


def amax(x, dim=(), keepdim=False):
    dims = _norm_dims(dim if dim != () else None, x.ndim)
    r = np.asarray(np.max(x._data, axis=dims if x.ndim else None, keepdims=keepdim))
    t = _out(r, AmaxBackward0, (x,))
    if t.grad_fn is not None:
        _save_result(t, x)
        t.grad_fn.dims, t.grad_fn.keepdim = dims, keepdim
    return t

expose(amax, method=True)


def amin(x, dim=(), keepdim=False):
    dims = _norm_dims(dim if dim != () else None, x.ndim)
    r = np.asarray(np.min(x._data, axis=dims if x.ndim else None, keepdims=keepdim))
    t = _out(r, AminBackward0, (x,))
    if t.grad_fn is not None:
        _save_result(t, x)
        t.grad_fn.dims, t.grad_fn.keepdim = dims, keepdim
    return t

expose(amin, method=True)


def _check_arg_input(x, name):
    if x._data.dtype == np.bool_:
        raise RuntimeError(f"{name}(): does not support bool input")


def argmax(x, dim=None, keepdim=False):
    """index of the largest element (of the flattened tensor, or along ``dim``)"""
    _check_arg_input(x, "argmax")
    if dim is None:
        r = np.asarray(np.argmax(x._data), dtype=np.int64)
        return _wrap(r.reshape((1,) * x.ndim) if keepdim else r)
    d = _wrap_dim(dim, x.ndim)
    r = np.argmax(x._data, axis=d) if x.ndim else np.asarray(0)
    if keepdim and x.ndim:
        r = np.expand_dims(r, d)
    return _wrap(np.asarray(r, dtype=np.int64))

expose(argmax, method=True)


def argmin(x, dim=None, keepdim=False):
    """index of the smallest element (of the flattened tensor, or along ``dim``)"""
    _check_arg_input(x, "argmin")
    if dim is None:
        r = np.asarray(np.argmin(x._data), dtype=np.int64)
        return _wrap(r.reshape((1,) * x.ndim) if keepdim else r)
    d = _wrap_dim(dim, x.ndim)
    r = np.argmin(x._data, axis=d) if x.ndim else np.asarray(0)
    if keepdim and x.ndim:
        r = np.expand_dims(r, d)
    return _wrap(np.asarray(r, dtype=np.int64))

expose(argmin, method=True)


def _correction(unbiased, correction):
    if correction is not None:
        return correction
    if unbiased is None:
        return 1
    return 1 if unbiased else 0


class VarBackward0(Node):
    """v = Σ(x - x̄)^2 / (n - c):  dv/dx = 2 (x - x̄) / (n - c)"""

    def backward(self, g):
        (x,) = self.saved_values()
        dims, keep = self.dims, self.keepdim
        xm = x - mean(x, dims, keepdim=True)
        g = _expand_back(g, x.shape, dims, keep) if dims != () else g
        return (g * xm * (2.0 / self.denom),)


class StdBackward0(Node):
    """s = √var:  ds/dx = (x - x̄) / ((n - c) s)"""

    def backward(self, g):
        x, s = self.saved_values()
        dims, keep = self.dims, self.keepdim
        xm = x - mean(x, dims, keepdim=True)
        g = _expand_back(g / s, x.shape, dims, keep)
        return (g * xm * (1.0 / self.denom),)


def _var_forward(x, dim, correction, keepdim, name="var"):
    """(Σ (x - mean)^2 / (n - correction), reduced dims, n - correction); nan when n - correction <= 0"""
    if x._data.dtype.kind not in "fc":
        raise RuntimeError("std and var only support floating point and complex dtypes")
    xd = _float_data(x)
    dims = _norm_dims(dim, x.ndim)
    ax = dims if x.ndim else None
    n = 1
    for d in dims:
        n *= x.shape[d] if x.ndim else 1
    if n - correction <= 0:
        _warn_user(f"{name}(): degrees of freedom is <= 0. Correction should be strictly less than the reduction "
                   "factor (input numel divided by output numel).")
    denom = builtins.max(n - correction, 0)  # PyTorch clamps at 0: then inf (or nan for 0/0)
    with np.errstate(invalid="ignore", divide="ignore"):
        dev = xd - xd.mean(axis=ax, keepdims=True)
        if xd.dtype.kind == "c":
            dev = np.abs(dev)
        ss = np.sum(dev * dev, axis=ax, keepdims=keepdim)
        v = ss / np.asarray(denom, dtype=ss.dtype)
    return np.asarray(v, dtype=xd.dtype), dims, denom


def var(x, dim=None, unbiased=None, keepdim=False, *, correction=None, _name="var"):
    """Σ(x - mean)^2 / (n - correction)"""
    if isinstance(dim, bool):
        dim, unbiased = None, dim
    c = _correction(unbiased, correction)
    v, dims, denom = _var_forward(x, dim, c, keepdim, _name)
    t = _out(v, VarBackward0, (x,), saved=(x,))
    if t.grad_fn is not None:
        t.grad_fn.dims, t.grad_fn.keepdim, t.grad_fn.denom = dims, keepdim, denom
    return t

expose(var, method=True)


def std(x, dim=None, unbiased=None, keepdim=False, *, correction=None, _name="std"):
    """√var(x)"""
    if isinstance(dim, bool):
        dim, unbiased = None, dim
    c = _correction(unbiased, correction)
    v, dims, denom = _var_forward(x, dim, c, keepdim, _name)
    t = _out(np.sqrt(v), StdBackward0, (x,))
    if t.grad_fn is not None:
        _save_result(t, x)
        t.grad_fn.dims, t.grad_fn.keepdim, t.grad_fn.denom = dims, keepdim, denom
    return t

expose(std, method=True)


def var_mean(x, dim=None, unbiased=None, keepdim=False, *, correction=None):
    return (_renamed(var(x, dim, unbiased, keepdim, correction=correction, _name="var_mean"), "VarMeanBackward0"),
            _renamed(mean(x, dim, keepdim), "VarMeanBackward0"))

expose(var_mean)


def std_mean(x, dim=None, unbiased=None, keepdim=False, *, correction=None):
    return (_renamed(std(x, dim, unbiased, keepdim, correction=correction, _name="std_mean"), "StdMeanBackward0"),
            _renamed(mean(x, dim, keepdim), "StdMeanBackward0"))

expose(std_mean)


class LogsumexpBackward0(Node):
    """l = log Σ e^x:  dl/dx = e^(x - l) (the softmax)"""

    def backward(self, g):
        x, r = self.saved_values()
        if not self.keepdim:
            r = _expand_back(r, x.shape, self.dims, False)
            g = _expand_back(g, x.shape, self.dims, False)
        return (g * exp(x - r),)


def logsumexp(x, dim, keepdim=False):
    """log Σ_dim e^x, computed stably"""
    dims = _norm_dims(dim, x.ndim)
    xd = _float_data(x)
    ax = dims if x.ndim else None
    with np.errstate(invalid="ignore", over="ignore"):
        m = np.max(xd, axis=ax, keepdims=True) if xd.size else np.zeros([1] * x.ndim, xd.dtype)
        m = np.where(np.isfinite(m), m, 0)
        r = np.log(np.sum(np.exp(xd - m), axis=ax, keepdims=True)) + m
    if not keepdim and x.ndim:
        r = np.squeeze(r, axis=dims)
    t = _out(np.asarray(r, dtype=xd.dtype), LogsumexpBackward0, (x,))
    if t.grad_fn is not None:
        _save_result(t, x)
        t.grad_fn.dims, t.grad_fn.keepdim = dims, keepdim
    return t

expose(logsumexp, method=True, out=True)


class LinalgVectorNormBackward0(Node):
    """n = (Σ|x|^p)^(1/p):  dn/dx = x |x|^(p-2) / n^(p-1)"""

    def backward(self, g):
        x, n = self.saved_values()
        p = self.p
        if not self.keepdim:
            n = _expand_back(n, x.shape, self.dims, False)
            g = _expand_back(g, x.shape, self.dims, False)
        if p == 2:
            return (where(n == 0, 0.0, g * x / n),)
        if p == 1:
            return (g * sign(x),)
        if p == math.inf or p == -math.inf:
            mask = (abs(x) == n)
            return (g * sign(x) * mask / sum(mask, self.dims, keepdim=True),)
        if p == 0:
            return (g * 0,)
        return (where(n == 0, 0.0, g * x * abs(x) ** (p - 2) / n ** (p - 1)),)


def norm(x, p="fro", dim=None, keepdim=False, dtype=None):
    """vector p-norm over ``dim`` ('fro' is the 2-norm)"""
    if p == "fro" or p is None:
        p = 2
    if p == "nuc":
        raise NotImplementedError("nuclear norm is not supported")
    if not isinstance(p, numbers.Number):
        raise TypeError(f"linalg_vector_norm(): argument 'ord' (position 2) must be Number, not {type(p).__name__}")
    return linalg_vector_norm(x, p, dim, keepdim)

expose(norm, method=True)


def linalg_vector_norm(x, ord=2, dim=None, keepdim=False):
    xd = _float_data(x)
    dims = _norm_dims(dim, x.ndim)
    ax = dims if x.ndim else None
    a = np.abs(xd)
    if ord == math.inf:
        r = np.max(a, axis=ax, keepdims=keepdim)
    elif ord == -math.inf:
        r = np.min(a, axis=ax, keepdims=keepdim)
    elif ord == 0:
        r = np.sum(a != 0, axis=ax, keepdims=keepdim).astype(a.dtype)
    elif ord == 2:
        r = np.sqrt(np.sum(a * a, axis=ax, keepdims=keepdim))
    elif ord == 1:
        r = np.sum(a, axis=ax, keepdims=keepdim)
    else:
        r = np.sum(a ** ord, axis=ax, keepdims=keepdim) ** (1.0 / ord)
    t = _out(np.asarray(r, dtype=a.dtype), LinalgVectorNormBackward0, (x,))
    if t.grad_fn is not None:
        _save_result(t, x)
        t.grad_fn.dims, t.grad_fn.keepdim, t.grad_fn.p = dims, keepdim, ord
    return t


def _logical_reduce(np_fn, x, dim, keepdim):
    r = np.asarray(np_fn(x._data) if dim is None else np_fn(x._data, axis=_norm_dims(dim, x.ndim), keepdims=keepdim))
    # PyTorch keeps uint8 for uint8 input (a legacy rule); every other dtype gives bool
    return _wrap(r.astype(np.uint8) if x._data.dtype == np.uint8 else r)


def all(x, dim=None, keepdim=False):
    return _logical_reduce(np.all, x, dim, keepdim)

expose(all, method=True)


def any(x, dim=None, keepdim=False):
    return _logical_reduce(np.any, x, dim, keepdim)

expose(any, method=True)


def count_nonzero(x, dim=None):
    return _wrap(np.asarray(np.count_nonzero(x._data, axis=dim), dtype=np.int64))

expose(count_nonzero, method=True)


def aminmax(x: Tensor, *, dim=None, keepdim: bool = False):
    """(min, max) in one call"""
    if x.numel() == 0 and dim is None:
        raise RuntimeError("aminmax(): cannot compute aminmax over an empty dimension as the operation has no "
                           "identity.")
    if dim is None:
        lo, hi = amin(x), amax(x)
        if keepdim:
            lo, hi = lo.reshape((1,) * x.ndim), hi.reshape((1,) * x.ndim)
    else:
        lo, hi = amin(x, dim, keepdim), amax(x, dim, keepdim)
    return _aminmax_result(lo, hi)

expose(aminmax, method=True)


def cov(x: Tensor, *, correction: int = 1, fweights=None, aweights=None) -> Tensor:
    """covariance of the rows (variables) over the columns (observations)"""
    if x.ndim > 2:
        raise RuntimeError(f"cov(): expected input to have two or fewer dimensions but got an input with "
                           f"{x.ndim} dimensions")
    obs = x if x.ndim == 2 else x.reshape(1, -1)
    if obs._data.dtype.kind not in "fc":
        obs = obs.to(D.get_default_dtype())
    n = obs.shape[1]
    w = None
    if fweights is not None:
        w = fweights
    if aweights is not None:
        w = aweights if w is None else w * aweights
    if w is None:
        avg = obs.mean(1)
        wsum = n
        norm = n - correction
    else:
        w = w.to(obs.dtype)
        wsum = w.sum()
        avg = (obs * w).sum(1) / wsum
        norm = wsum - correction if aweights is None else wsum - correction * (w * aweights).sum() / wsum
    xm = obs - avg.unsqueeze(1)
    xw = xm * w if w is not None else xm
    c = xw.mm(conj(xm).t() if xm.is_complex() else xm.t())
    if not isinstance(norm, Tensor):
        norm = builtins.max(norm, 0)
    else:
        norm = clamp(norm, min=0)
    r = c / norm
    return r.squeeze() if x.ndim < 2 else r

expose(cov, method=True)


def corrcoef(x: Tensor) -> Tensor:
    """Pearson correlation coefficients of the rows"""
    c = cov(x)
    if c.ndim == 0:
        return c / c
    d = diagonal(c)
    sd = d.sqrt()
    c = c / sd.unsqueeze(1)
    c = c / sd.unsqueeze(0)
    return clamp(c, -1, 1)

expose(corrcoef, method=True)


def histogram(x: Tensor, bins=100, *, range=None, weight=None, density: bool = False):
    """counts over equal-width bins (or given edges)"""
    b = bins._data if isinstance(bins, Tensor) else bins
    w = weight._data if weight is not None else None
    h, edges = np.histogram(x._data, bins=b, range=range, weights=w, density=density)
    dt = x._data.dtype
    return _histogram_result(_wrap(h.astype(dt)), _wrap(edges.astype(dt)))

expose(histogram, method=True)


def renorm(x: Tensor, p, dim: int, maxnorm) -> Tensor:
    """each slice along dim rescaled so its p-norm is at most maxnorm"""
    d = _wrap_dim(dim, x.ndim)
    other = [i for i in builtins.range(x.ndim) if i != d]
    norms = linalg_vector_norm(x, p, other, True)
    scale = where(norms > maxnorm, maxnorm / (norms + 1e-7), 1.0)
    return _renamed(x * scale, "RenormBackward0")

expose(renorm, method=True, inplace=True)


def histc(x, bins=100, min=0, max=0):
    lo, hi = (float(x._data.min()), float(x._data.max())) if min == max else (min, max)
    h, _ = np.histogram(x._data, bins=bins, range=(lo, hi))
    return _wrap(h.astype(x._data.dtype))

expose(histc, method=True)


def nansum(x, dim=None, keepdim=False, *, dtype=None):
    """Σ x with NaNs counted as zero"""
    return _renamed(sum(where(isnan(x), 0.0, x), dim, keepdim, dtype=dtype), "NansumBackward0")

expose(nansum, method=True)


def nanmean(x, dim=None, keepdim=False, *, dtype=None):
    """mean of the non-NaN elements"""
    if x._data.dtype.kind not in "fc":
        raise RuntimeError(f"nanmean(): expected input to have floating point or complex dtype but got "
                           f"{_long_name(x.dtype)}")
    keep = logical_not(isnan(x))
    return nansum(x, dim, keepdim, dtype=dtype) / sum(keep, dim, keepdim)

expose(nanmean, method=True)


def bincount(x, weights=None, minlength=0):
    """Counts of each non-negative integer in a 1-d tensor (summed ``weights`` when given)."""
    a = x._data
    if a.ndim != 1 or a.dtype.kind not in "iu" or (a.size and a.min() < 0):
        raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
    if weights is None:
        return _wrap(np.bincount(a, minlength=minlength).astype(np.int64))
    w = weights._data
    out_dtype = w.dtype if w.dtype.kind == "f" else np.float64
    return _wrap(np.bincount(a, weights=w, minlength=minlength).astype(out_dtype))

expose(bincount, method=True)


