"""Reductions over dims: sum, mean, prod, max/min, amax/amin, var/std, logsumexp, norms, all/any, statistics.

Each op is one block: its node (the derivative in the docstring; ``backward`` gives dL/dx from dL/dy, ``jvp`` gives
the output's tangent from the input's), then the function (checks, NumPy, record), then its exposure. A reduction's
node records the reduced ``dims`` (sorted, non-negative), ``keepdim`` and the input ``shape`` when it is made, so
backward, forward mode and the graph drawer read them instead of working them out again.

Memory: var, std and the vector norms reduce in blocks of ``_BLOCK`` elements (their temporaries are that small,
however large the input); logsumexp has one temporary of the input's size."""

from __future__ import annotations

import builtins
import dis
import math
import numbers
import os
import sys
import warnings

from .. import kernels as K
from .._array import np
from .._core import dtype as D
from .._core import modes
from .._core.args import _float_data, _tensor_arg
from .._core.dims import _norm_dims, _wrap_dim
from .._core.exposure import expose
from .._core.messages import _long_name, _warn_user
from .._core.node import Node
from .._core.record import (
    _edge,
    _forward,
    _forward_node,
    _saved_output,
    _wrap_result,
    ones_like,
    zeros_like_shape,
)
from .._core.sigs import Sigs
from .._core.tensor import Tensor, _wrap
from ..return_types import _aminmax_result, _histogram_result, _histogramdd_result, minmax_result
from .binary import maximum, minimum
from .compare import isnan, logical_not
from .join import cat
from .pointwise import clamp, where
from .scan import _record, cumprod
from .shape import diagonal, flip, narrow
from .unary import abs, conj, exp, sgn

__all__ = ["sum", "sum_to_size", "mean", "prod", "max", "min", "amax", "amin", "argmax", "argmin", "var",
           "std", "var_mean", "std_mean", "logsumexp", "norm", "linalg_vector_norm", "all", "any",
           "count_nonzero", "aminmax", "cov", "corrcoef", "histogram", "histogramdd", "segment_reduce", "renorm", "histc", "nansum", "nanmean",
           "bincount"]

_grad_mode = modes.grad
_fw = modes.forward


# =====================================================================================================
# Helpers: a reduced tensor seen against its input
# =====================================================================================================

def _kept(g, in_shape, dims, keepdim):
    """``g`` (reduced over ``dims``) with the reduced dims back as size 1, so it broadcasts against the input."""
    if keepdim or not len(in_shape):
        return g
    shp = list(in_shape)
    for d in dims:
        shp[d] = 1
    return g.reshape(tuple(shp))


def _expand_back(g, in_shape, dims, keepdim):
    """Broadcast a reduced gradient ``g`` back to ``in_shape`` (the adjoint of summing over ``dims``)."""
    return _kept(g, in_shape, dims, keepdim).expand(in_shape)


def _count(shape, dims) -> int:
    """How many elements each output element of a reduction over ``dims`` gathers."""
    n = 1
    for d in dims:
        n *= shape[d] if len(shape) else 1
    return n


def _to(g, dtype):
    """``g`` in ``dtype`` when the op was asked for another output dtype: its gradient is worked out in the output's
    dtype and goes back in the input's."""
    return g if dtype is None or g.dtype == dtype else g.to(dtype)


def _const(a):
    """A tensor of ``a`` that no gradient flows through (masks and counts inside a derivative)."""
    return _wrap(np.asarray(a))


_BLOCK = 1 << 16  # elements per block of the blocked reductions (var, std, norms)


def _blocked(a, ax, fn, combine, side=None):
    """``fn(block, side_block)`` (a reduction over axes ``ax`` with keepdims) computed block by block over ``a``,
    the partial results ``combine``d: the temporaries ``fn`` makes are block-sized, not the input's size.
    ``side`` is an array of the result's keepdims shape that ``fn`` gets the matching part of (a mean to subtract).
    Blocks run along the longest axis; a block spans the other axes whole."""
    if a.ndim == 0 or a.size <= _BLOCK:
        return fn(a, side)
    c = int(np.argmax(a.shape))
    n = a.shape[c]
    step = builtins.max(1, n * _BLOCK // a.size)
    reduced = c in ax
    idx = [slice(None)] * a.ndim
    out = None
    for s in range(0, n, step):
        idx[c] = slice(s, s + step)
        block = a[tuple(idx)]
        sb = side if side is None or reduced else side[tuple(idx)]
        part = fn(block, sb)
        if reduced:
            out = part if out is None else combine(out, part, out=out)
        else:
            if out is None:
                shape = list(part.shape)
                shape[c] = n
                out = np.empty(shape, part.dtype)
            out[tuple(idx)] = part
    return out


def _squeeze_dims(r, dims, keepdim, ndim):
    return r if keepdim or not ndim else np.squeeze(r, axis=dims)


def _rec_many(arrays, node_cls, x, saved=(), keep_out=False, **attrs):
    """Wrap the outputs of a reduction with several differentiable outputs (var_mean, aminmax ...) and record one
    ``node_cls`` node for all of them (output k is ``(node, k)``); ``keep_out``: the node also keeps output 0."""
    outs = tuple(_wrap(a if isinstance(a, np.ndarray) else np.asarray(a)) for a in arrays)
    if _grad_mode.enabled and x._requires_grad:
        node = node_cls((_edge(x),))
    else:
        node = _forward_node(node_cls, (x,))
    if node is None:
        return outs
    node.n_outputs = len(outs)
    node.out_shapes = tuple(o._data.shape for o in outs)
    node.out_shape = node.out_shapes[0]
    versions = tuple(s._version if isinstance(s, Tensor) else None for s in saved)
    if keep_out:
        saved, versions = saved + (_saved_output(node, outs[0]),), versions + (0,)
    if saved:
        node.saved, node.versions = saved, versions
    for k, v in attrs.items():
        setattr(node, k, v)
    for i, t in enumerate(outs):
        t._output_nr = i
        if not node.forward_only:
            t.grad_fn = node
            t._requires_grad = True
        if _fw.level is not None:
            _forward(t, node, node_cls, (x,))
    return outs


# =====================================================================================================
# sum, sum_to_size, mean, prod
# =====================================================================================================

class SumBackward0(Node):
    """s = Σ x:  ds/dx = 1 everywhere"""

    dtype = None  # the dtype= the sum was asked for (then the gradient goes back in the input's dtype)

    def backward(self, g):
        return (_to(g.expand(self.shape), self.in_dtype if self.dtype is not None else None),)

    def backward_raw(self, g):
        if self.dtype is not None:
            return None
        shape = tuple(self.shape)
        return (g if g.shape == shape else np.broadcast_to(g, shape),)  # g.expand(shape)'s array

    def jvp(self, t):
        return sum(t, dtype=self.dtype)


class SumBackward1(Node):
    """s = Σ_dims x:  ds/dx = 1, broadcast back over the summed dims"""

    dtype = None

    def backward(self, g):
        return (_to(_expand_back(g, self.shape, self.dims, self.keepdim),
                    self.in_dtype if self.dtype is not None else None),)

    def jvp(self, t):
        return sum(t, self.dims, self.keepdim, dtype=self.dtype)


_via_function = False  # set by _user_passed_keyword: the call came through the torch.* function, not the method


def _user_passed_keyword(kw: str) -> bool:
    """Whether the user's call into ember (the nearest frame outside ember) named ``kw=``: PyTorch's argument
    errors show keyword arguments as ``dim=float``. Read from the calling instruction, on the error path only."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    f = sys._getframe(1)
    global _via_function
    _via_function = False
    while f is not None and os.path.abspath(f.f_code.co_filename).startswith(root):
        _via_function = _via_function or f.f_code.co_filename.endswith(os.path.join("ops", "out.py"))
        f = f.f_back
    if f is None:
        return False
    code = list(dis.get_instructions(f.f_code))
    k = builtins.max((i for i, ins in enumerate(code) if ins.offset <= f.f_lasti), default=None)
    if k is None:
        return False
    j = k - 1  # the instruction before the call (past 3.11's PRECALL) names its keywords, if any
    while j >= 0 and code[j].opname in ("PRECALL", "CACHE"):
        j -= 1
    if j < 0 or code[j].opname not in ("KW_NAMES", "LOAD_CONST"):
        return False
    names = f.f_code.co_consts[code[j].arg] if code[j].opname == "KW_NAMES" else code[j].argval
    return isinstance(names, tuple) and kw in names


_SUM = Sigs("sum", "(Tensor input, *, torch.dtype dtype = None)",
            "(Tensor input, tuple of ints dim, bool keepdim = False, *, torch.dtype dtype = None, Tensor out = None)")
_MEAN = Sigs("mean", "(Tensor input, *, torch.dtype dtype = None, Tensor out = None)",
             "(Tensor input, tuple of ints dim, bool keepdim = False, *, torch.dtype dtype = None, Tensor out = None)")


def sum(x, dim=None, keepdim=False, dtype=None):
    """Σ x over ``dim`` (all elements if None)"""
    if type(x) is not Tensor or not (dim is None or type(dim) is int or type(dim) is tuple):
        _SUM.check_call(sum, x, dim, keepdim, dtype)
    xd = x._data
    if dtype is not None:
        xd = xd.astype(dtype.np)
    elif xd.dtype.kind in "bui" and xd.dtype != np.int64:
        xd = xd.astype(np.int64)  # PyTorch sums integers and bools as int64
    extra = {} if dtype is None else {"dtype": dtype, "in_dtype": x.dtype}
    if dim is None:
        return _wrap_result(K.sum(xd, None, keepdim), SumBackward0, (x,), shape=x.shape, **extra)
    dims = _norm_dims(dim, x.ndim) if not (isinstance(dim, (tuple, list)) and len(dim) == 0) \
        else tuple(range(x.ndim))
    return _wrap_result(K.sum(xd, dims, keepdim), SumBackward1, (x,), shape=x.shape, dims=dims, keepdim=keepdim, **extra)

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

    dtype = None

    def backward(self, g):
        return (_to((g / self.n).expand(self.shape), self.in_dtype if self.dtype is not None else None),)

    def jvp(self, t):
        return mean(t, dtype=self.dtype)


class MeanBackward1(Node):
    """m = mean_dims x:  dm/dx = 1/n, broadcast back over the averaged dims"""

    dtype = None

    def backward(self, g):
        return (_to(_expand_back(g / self.n, self.shape, self.dims, self.keepdim),
                    self.in_dtype if self.dtype is not None else None),)

    def jvp(self, t):
        return mean(t, self.dims, self.keepdim, dtype=self.dtype)


def mean(x, dim=None, keepdim=False, dtype=None):
    """mean of x over ``dim``"""
    if type(x) is not Tensor or not (dim is None or type(dim) is int or type(dim) is tuple):
        _MEAN.check_call(mean, x, dim, keepdim, dtype)
    xd = x._data
    if dtype is not None:
        xd = xd.astype(dtype.np)
    if xd.dtype.kind not in "fc":
        raise RuntimeError(f"mean(): could not infer output dtype. Input dtype must be either a floating point "
                           f"or complex dtype. Got: {_long_name(x.dtype)}")
    extra = {} if dtype is None else {"dtype": dtype, "in_dtype": x.dtype}
    if dim is None:
        with np.errstate(invalid="ignore", divide="ignore"):
            r = K.mean(xd, None, keepdim) if xd.size else np.full((1,) * x.ndim if keepdim else (), np.nan, xd.dtype)
        return _wrap_result(r, MeanBackward0, (x,), shape=x.shape, n=xd.size, **extra)
    if isinstance(dim, (tuple, list)) and len(dim) == 0:
        dim = tuple(range(x.ndim))  # an empty dim list means every dim, as in PyTorch
    dims = _norm_dims(dim, x.ndim)
    if xd.size == 0:  # NaN where nothing is averaged; NumPy's "Mean of empty slice" warning is not PyTorch's
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            with np.errstate(invalid="ignore", divide="ignore"):
                r = K.mean(xd, dims, keepdim)
    else:
        with np.errstate(invalid="ignore", divide="ignore"):
            r = K.mean(xd, dims, keepdim)
    return _wrap_result(r, MeanBackward1, (x,), shape=x.shape, dims=dims, keepdim=keepdim, n=_count(x.shape, dims),
                **extra)

expose(mean, method=True, out=True)


def _prod_others(x, dim):
    """Π_{j≠i} x_j along ``dim`` for every i, without dividing (so zeros are fine): the exclusive cumulative
    products from the left times those from the right."""
    if x.ndim == 0:
        return ones_like(x)
    n = x.shape[dim]
    if n <= 1 or x.numel() == 0:
        return ones_like(x)
    one = ones_like(narrow(x, dim, 0, 1))
    left = cat([one, cumprod(narrow(x, dim, 0, n - 1), dim)], dim)
    right = cat([one, cumprod(narrow(flip(x, (dim,)), dim, 0, n - 1), dim)], dim)
    return left * flip(right, (dim,))


class ProdBackward0(Node):
    """p = Π x:  dp/dx_i = Π_{j≠i} x_j (computed without dividing, so zeros are handled); complex: conjugated

    dL/dx_i = g · conj(Π_{j≠i} x_j) for a complex x (PyTorch's convention)."""

    dtype = None

    def backward(self, g):
        (x,) = self.saved_values()
        others = _prod_others(x.reshape(-1), 0).reshape(x.shape)
        if others._data.dtype.kind == "c":
            others = conj(others)
        return (_to(g * others, self.in_dtype if self.dtype is not None else None),)

    def jvp(self, t):
        (x,) = self.saved_values()
        if self.dtype is not None:  # the tangent of prod(x.to(dtype))
            t, x = t.to(self.dtype), x.to(self.dtype)
        return sum(t * _prod_others(x.reshape(-1), 0).reshape(x.shape))


class ProdBackward1(Node):
    """p = Π_dim x:  dp/dx_i = Π_{j≠i} x_j along dim"""

    dtype = None

    def backward(self, g):
        (x,) = self.saved_values()
        others = _prod_others(x, self.dim)
        if others._data.dtype.kind == "c":  # complex: dL/dx_i = g · conj(Π_{j≠i} x_j)
            others = conj(others)
        return (_to(_kept(g, x.shape, (self.dim,), self.keepdim) * others,
                    self.in_dtype if self.dtype is not None else None),)

    def jvp(self, t):
        (x,) = self.saved_values()
        if self.dtype is not None:
            t, x = t.to(self.dtype), x.to(self.dtype)
        return sum(t * _prod_others(x, self.dim), (self.dim,), self.keepdim)


_PROD = Sigs("prod", "(Tensor input, *, torch.dtype dtype = None)",
             "(Tensor input, int dim, bool keepdim = False, *, torch.dtype dtype = None, Tensor out = None)")


def prod(x, dim=None, keepdim=False, dtype=None):
    """Π x over ``dim`` (one dim, or all)"""
    if type(x) is not Tensor or not (dim is None or type(dim) is int):
        _PROD.check_call(prod, x, dim, keepdim, dtype)
    xd = x._data if dtype is None else x._data.astype(dtype.np)
    if xd.dtype.kind in "bui" and dtype is None:
        xd = xd.astype(np.int64)
    extra = {} if dtype is None else {"dtype": dtype, "in_dtype": x.dtype}
    if dim is None:
        return _record(np.asarray(xd.prod()), ProdBackward0, (x,), saved=(x,), **extra)
    if not isinstance(dim, (int, np.integer)):
        # PyTorch's argument parser: prod takes one int dim, no tuple
        raise TypeError(f"prod() received an invalid combination of arguments - got (Tensor, {type(dim).__name__}), "
                        "but expected one of:\n * (Tensor input, *, torch.dtype dtype = None)\n * (Tensor input, "
                        "int dim, bool keepdim = False, *, torch.dtype dtype = None, Tensor out = None)\n")
    d = _wrap_dim(dim, x.ndim)
    r = xd.prod(axis=d if x.ndim else None, keepdims=keepdim)
    return _record(r, ProdBackward1, (x,), saved=(x,), dim=d, keepdim=keepdim, **extra)

expose(prod, method=True, out=True)


# =====================================================================================================
# max, min, amax, amin, aminmax, argmax, argmin
# =====================================================================================================

def _ties(x, m):
    """Where x equals its reduction m (broadcast), as a 0/1 constant of x's dtype; where m is NaN, x's NaNs."""
    xd, md = x._data, np.asarray(m._data)
    with np.errstate(invalid="ignore"):
        mask = np.where(np.isnan(md), np.isnan(xd), xd == md) if xd.dtype.kind == "f" else xd == md
    return _const(mask.astype(xd.dtype))


class _EvenlyShared(Node):
    """Base of the nodes of a reduction to one of x's values (max(), min(), median()): the gradient is shared evenly
    among the elements equal to the result (among the NaNs when it is NaN), as PyTorch does."""

    def backward(self, g):
        x, m = self.saved_values()
        mask = _ties(x, m)
        return (mask * (g / mask.sum()),)

    def jvp(self, t):
        # PyTorch's forward rule reads the elements equal to the result, without the NaN case of the backward
        x, m = self.saved_values()
        mask = _const((x._data == m._data).astype(x._data.dtype))
        return (mask * (t / mask.sum())).sum()


class MaxBackward1(_EvenlyShared):
    """m = max x:  dm/dx = 1/k at the k elements equal to m (at the NaNs when m is NaN), 0 elsewhere"""


class MinBackward1(_EvenlyShared):
    """m = min x:  dm/dx = 1/k at the k elements equal to m (at the NaNs when m is NaN), 0 elsewhere"""


def _select_backward(g, idx, shape, d, keepdim):
    """The gradient of picking x[idx] along dim ``d``: g scattered into zeros of ``shape`` at idx."""
    if not len(shape):
        return g.reshape(shape)
    if not keepdim:
        g, idx = g.unsqueeze(d), idx.unsqueeze(d)
    return zeros_like_shape(g, shape).scatter(d, idx, g)


def _select_jvp(t, idx, d, keepdim):
    """The tangent of picking x[idx] along dim ``d``: t gathered at idx."""
    if t.ndim == 0:
        return t.reshape(())
    if not keepdim:
        idx = idx.unsqueeze(d)
    r = t.gather(d, idx)
    return r if keepdim else r.squeeze(d)


class _Selected(Node):
    """Base of the nodes of reductions that pick one element per slice along ``dim`` (max(dim), median(dim),
    kthvalue, mode ...): the gradient goes to the picked index, the tangent is read there."""

    def backward(self, g):
        (idx,) = self.saved_values()
        return (_select_backward(g, idx, self.shape, self.dim, self.keepdim),)

    def jvp(self, t):
        (idx,) = self.saved_values()
        return _select_jvp(t, idx, self.dim, self.keepdim)


class MaxBackward0(_Selected):
    """(values, indices) = max(x, dim):  dx = g at the indices, 0 elsewhere"""


class MinBackward0(_Selected):
    """(values, indices) = min(x, dim):  dx = g at the indices, 0 elsewhere"""


def _pick(x, d, keepdim, idx, node_cls, name, result=minmax_result):
    """(values, indices) of a reduction along dim ``d`` that picks x at ``idx`` (an int64 array of the reduced
    shape without keepdim), recorded as ``node_cls``."""
    xd = x._data
    if x.ndim == 0:
        vals, idx = xd.copy(), np.zeros((), np.int64)
    else:
        idx = np.expand_dims(np.asarray(idx, dtype=np.int64), d)
        vals = np.take_along_axis(xd, idx, d)
        if not keepdim:
            vals, idx = np.squeeze(vals, d), np.squeeze(idx, d)
    idx_t = _wrap(np.asarray(idx, dtype=np.int64))
    v = _record(vals, node_cls, (x,), saved=(idx_t,), versions=(None,), shape=x.shape, dim=d, keepdim=keepdim)
    return result(v, idx_t, name)


def _extremum(x, dim, keepdim, np_reduce, np_arg, all_node, dim_node, name):
    if dim is None:
        if x.numel() == 0:
            raise RuntimeError(f"{name}(): Expected reduction dim to be specified for input.numel() == 0. "
                               "Specify the reduction dim with the 'dim' argument.")
        return _record(np.asarray(np_reduce(x._data)), all_node, (x,), saved=(x,), keep_out=True)
    d = _wrap_dim(dim, x.ndim)
    if x.ndim and x.shape[d] == 0:
        raise IndexError(f"{name}(): Expected reduction dim {d} to have non-zero size.")
    # NaN is the max and the min, as in PyTorch: NumPy's argmax/argmin also pick the first NaN
    return _pick(x, d, keepdim, np_arg(x._data, axis=d) if x.ndim else 0, dim_node, name)


_MAX = Sigs("max", "(Tensor input, *, Tensor out = None)", "(Tensor input, Tensor other, *, Tensor out = None)",
                  "(Tensor input, int dim, bool keepdim = False, *, tuple of Tensors out = None)")


def max(x, dim=None, keepdim=False):
    """max of x, or (values, indices) along ``dim``; ``max(a, b)`` is the elementwise maximum"""
    if type(x) is not Tensor or not (dim is None or type(dim) is int):
        _MAX.check_call(max, x, dim, keepdim)
    if isinstance(dim, Tensor):
        return maximum(x, dim)
    return _extremum(x, dim, keepdim, np.max, np.argmax, MaxBackward1, MaxBackward0, "max")

expose(max, method=True)


_MIN = Sigs("min", "(Tensor input, *, Tensor out = None)", "(Tensor input, Tensor other, *, Tensor out = None)",
                  "(Tensor input, int dim, bool keepdim = False, *, tuple of Tensors out = None)")


def min(x, dim=None, keepdim=False):
    """min of x, or (values, indices) along ``dim``"""
    if type(x) is not Tensor or not (dim is None or type(dim) is int):
        _MIN.check_call(min, x, dim, keepdim)
    if isinstance(dim, Tensor):
        return minimum(x, dim)
    return _extremum(x, dim, keepdim, np.min, np.argmin, MinBackward1, MinBackward0, "min")

expose(min, method=True)


def _share_by_count(g, x, m, dims, keepdim):
    """g split evenly among the elements of x equal to their reduction m over ``dims`` (amax, amin)."""
    m, g = _kept(m, x.shape, dims, keepdim), _kept(g, x.shape, dims, keepdim)
    mask = _const((x._data == m._data).astype(x._data.dtype))
    return g * mask / sum(mask, dims, keepdim=True)


def _read_by_count(t, x, m, dims, keepdim):
    """The tangent of amax/amin: the mean of t over the elements equal to the result."""
    mask = _const((x._data == _kept(m, x.shape, dims, keepdim)._data).astype(x._data.dtype))
    return sum(t * mask, dims, keepdim) / sum(mask, dims, keepdim)


class AmaxBackward0(Node):
    """m = amax_dims x:  dm/dx = 1/k at the k elements equal to m, 0 elsewhere"""

    def backward(self, g):
        x, m = self.saved_values()
        return (_share_by_count(g, x, m, self.dims, self.keepdim),)

    def jvp(self, t):
        x, m = self.saved_values()
        return _read_by_count(t, x, m, self.dims, self.keepdim)


class AminBackward0(AmaxBackward0):
    """m = amin_dims x:  dm/dx = 1/k at the k elements equal to m, 0 elsewhere"""


def _amax_amin(x, dim, keepdim, np_reduce, node_cls, name):
    if (dim == () or dim == []) and x._data.size == 0:
        raise RuntimeError(f"{name}(): Expected reduction dim to be specified for input.numel() == 0. Specify the "
                           "reduction dim with the 'dim' argument.")
    dims = _norm_dims(dim if dim != () and dim != [] else None, x.ndim)
    if x.numel() == 0:
        for d in dims if x.ndim else ():
            if x.shape[d] == 0:
                raise IndexError(f"{name}(): Expected reduction dim {d} to have non-zero size.")
    r = np.asarray(np_reduce(x._data, axis=dims if x.ndim else None, keepdims=keepdim))
    return _record(r, node_cls, (x,), saved=(x,), keep_out=True, dims=dims, keepdim=keepdim)


_AMAX = Sigs("amax", "(Tensor input, tuple of ints dim = [], bool keepdim = False, *, Tensor out = None)")


def amax(x, dim=(), keepdim=False):
    """max over ``dim`` (all dims by default); ties share the gradient"""
    if type(x) is not Tensor or not (type(dim) is tuple or type(dim) is int):
        _AMAX.check_call(amax, x, dim, keepdim)
    if type(x) is not Tensor:
        _tensor_arg("amax", ("input", 1, x))
    return _amax_amin(x, dim, keepdim, np.max, AmaxBackward0, "amax")

expose(amax, method=True)


_AMIN = Sigs("amin", "(Tensor input, tuple of ints dim = [], bool keepdim = False, *, Tensor out = None)")


def amin(x, dim=(), keepdim=False):
    """min over ``dim`` (all dims by default); ties share the gradient"""
    if type(x) is not Tensor or not (type(dim) is tuple or type(dim) is int):
        _AMIN.check_call(amin, x, dim, keepdim)
    if type(x) is not Tensor:
        _tensor_arg("amin", ("input", 1, x))
    return _amax_amin(x, dim, keepdim, np.min, AminBackward0, "amin")

expose(amin, method=True)


class AminmaxBackward0(Node):
    """(lo, hi) = aminmax(x):  dx = g_lo / k_lo at the k_lo elements equal to lo, plus g_hi / k_hi at those equal to hi"""

    def backward(self, grads):
        x, lo, hi = self.saved_values()
        g_lo, g_hi = grads
        out = None
        for g, m in ((g_lo, lo), (g_hi, hi)):
            if g is not None:
                part = _share_by_count(g, x, m, self.dims, self.keepdim)
                out = part if out is None else out + part
        return (out,)

    def jvp(self, t):
        x, lo, hi = self.saved_values()
        return (_read_by_count(t, x, lo, self.dims, self.keepdim), _read_by_count(t, x, hi, self.dims, self.keepdim))


def aminmax(x: Tensor, *, dim=None, keepdim: bool = False):
    """(min, max) in one call"""
    if x.numel() == 0 and dim is None:
        raise RuntimeError("aminmax(): cannot compute aminmax over an empty dimension as the operation has no "
                           "identity.")
    xd = x._data
    if dim is None:
        dims = tuple(range(x.ndim))
        lo, hi = np.asarray(np.min(xd)), np.asarray(np.max(xd))
        if keepdim:
            lo, hi = lo.reshape((1,) * x.ndim), hi.reshape((1,) * x.ndim)
    else:
        d = _wrap_dim(dim, x.ndim)
        if x.ndim and x.shape[d] == 0:
            raise IndexError(f"aminmax: Expected reduction dim {d} to have non-zero size.")
        dims = (d,)
        ax = d if x.ndim else None
        lo = np.asarray(np.min(xd, axis=ax, keepdims=keepdim and x.ndim > 0))
        hi = np.asarray(np.max(xd, axis=ax, keepdims=keepdim and x.ndim > 0))
    # the node keeps x and both results (constants: only their values mark the ties)
    lo_t, hi_t = _rec_many((lo, hi), AminmaxBackward0, x, saved=(x, _const(lo), _const(hi)), dims=dims,
                           keepdim=keepdim)
    return _aminmax_result(lo_t, hi_t)

expose(aminmax, method=True)


def _check_arg_input(x, name):
    if x._data.dtype == np.bool_:
        raise RuntimeError(f"{name}(): does not support bool input")


_ARGMAX = Sigs("argmax", "(Tensor input, int dim = None, bool keepdim = False, *, Tensor out = None)")


def argmax(x, dim=None, keepdim=False):
    """index of the largest element (of the flattened tensor, or along ``dim``)"""
    if type(x) is not Tensor or not (dim is None or type(dim) is int):
        _ARGMAX.check_call(argmax, x, dim, keepdim)
    if type(x) is not Tensor:
        _tensor_arg("argmax", ("input", 1, x))
    _check_arg_input(x, "argmax")
    if dim is None:
        if x._data.size == 0:
            raise IndexError("argmax(): Expected reduction dim to be specified for input.numel() == 0.")
        r = np.asarray(np.argmax(x._data), dtype=np.int64)
        return _wrap(r.reshape((1,) * x.ndim) if keepdim else r)
    d = _wrap_dim(dim, x.ndim)
    if x.ndim and x.shape[d] == 0:
        raise IndexError(f"argmax(): Expected reduction dim {d} to have non-zero size.")
    r = np.argmax(x._data, axis=d) if x.ndim else np.asarray(0)
    if keepdim and x.ndim:
        r = np.expand_dims(r, d)
    return _wrap(np.asarray(r, dtype=np.int64))

expose(argmax, method=True)


_ARGMIN = Sigs("argmin", "(Tensor input, int dim = None, bool keepdim = False, *, Tensor out = None)")


def argmin(x, dim=None, keepdim=False):
    """index of the smallest element (of the flattened tensor, or along ``dim``)"""
    if type(x) is not Tensor or not (dim is None or type(dim) is int):
        _ARGMIN.check_call(argmin, x, dim, keepdim)
    if type(x) is not Tensor:
        _tensor_arg("argmin", ("input", 1, x))
    _check_arg_input(x, "argmin")
    if dim is None:
        if x._data.size == 0:
            raise IndexError("argmin(): Expected reduction dim to be specified for input.numel() == 0.")
        r = np.asarray(np.argmin(x._data), dtype=np.int64)
        return _wrap(r.reshape((1,) * x.ndim) if keepdim else r)
    d = _wrap_dim(dim, x.ndim)
    if x.ndim and x.shape[d] == 0:
        raise IndexError(f"argmin(): Expected reduction dim {d} to have non-zero size.")
    r = np.argmin(x._data, axis=d) if x.ndim else np.asarray(0)
    if keepdim and x.ndim:
        r = np.expand_dims(r, d)
    return _wrap(np.asarray(r, dtype=np.int64))

expose(argmin, method=True)


# =====================================================================================================
# var, std, var_mean, std_mean
# =====================================================================================================

def _correction(unbiased, correction):
    if correction is not None:
        return correction
    if unbiased is None:
        return 1
    return 1 if unbiased else 0


def _ratio(a, b):
    """a / b for Python numbers, inf (of a's sign) when b is 0, as the C++ formulas divide"""
    return a / b if b != 0 else math.copysign(math.inf, a)


def _acc_dtype(dt):
    """The dtype var and the norms accumulate in: float64 (complex128) for the narrower floats, as PyTorch's CPU
    kernels do for var."""
    return np.complex128 if dt.kind == "c" else np.float64


def _var_data(x, dims, correction, keepdim, name):
    """(Σ (x - x̄)² / (n - correction) over ``dims`` in float64 (complex: |x - x̄|²), n); computed in blocks so no
    temporary has the input's size. Warns (as PyTorch) when n - correction <= 0: the result is then inf or nan."""
    if x._data.dtype.kind not in "fc":
        raise RuntimeError(f"{'std and var' if name in ('std', 'var') else name} only support floating point and "
                           "complex dtypes")
    xd = x._data
    ax = dims if x.ndim else None
    n = _count(x.shape, dims)
    if (n if xd.size else 0) - correction <= 0:  # PyTorch's factor is numel / output numel: 0 for an empty input
        _warn_user(f"{name}(): degrees of freedom is <= 0. Correction should be strictly less than the reduction "
                   "factor (input numel divided by output numel).")
    denom = builtins.max(n - correction, 0)  # PyTorch clamps at 0: then inf (or nan for 0/0)
    acc = _acc_dtype(xd.dtype)
    keep_shape = tuple(1 if (i in dims) else s for i, s in enumerate(xd.shape))
    with np.errstate(invalid="ignore", divide="ignore"):
        if xd.size == 0:
            ss = np.zeros(keep_shape, np.float64)
        else:
            m = np.mean(xd, axis=ax, keepdims=True, dtype=acc)

            def squares(block, mb):
                dev = np.asanyarray(np.subtract(block, mb, dtype=acc))  # 0-d: an array still, for out=
                if dev.dtype.kind == "c":
                    dev = dev.real * dev.real + dev.imag * dev.imag
                else:
                    np.multiply(dev, dev, out=dev)
                return np.sum(dev, axis=ax, keepdims=True)
            ss = _blocked(xd, ax, squares, np.add, side=m)
        v = ss / np.float64(denom)
    return _squeeze_dims(v, dims, keepdim, x.ndim), n


def _real_dtype(dt):
    return np.empty(0, dt).real.dtype


def _var_backward(g, x, dims, keepdim, n, correction, all_dims=False):
    """dvar/dx applied to g: 2 (x - x̄) / (n - correction) g. Reduced over everything without a dim and with no
    degrees of freedom left (n <= correction), PyTorch's gradient is g·∞ (NaN where x equals its mean)."""
    dev = x - mean(x, dims, keepdim=True)
    if all_dims and n - correction <= 0:
        return g * _const(np.where(dev._data == 0, math.nan, math.inf).astype(x._data.dtype))
    return _kept(g, x.shape, dims, keepdim) * dev * _ratio(2.0, n - correction)


def _var_jvp(t, x, dims, keepdim, n, correction, all_dims=False):
    """the tangent of var: 2 Σ (x - x̄) t / (n - correction) (Σ of the backward rule applied to t, as PyTorch's)"""
    return sum(_var_backward(t, x, dims, True, n, correction, all_dims), dims, keepdim)


def _half_over(g, s):
    """g / (2 s), and 0 where s is 0 (std of a constant: PyTorch's gradient there is 0, not NaN)"""
    zero = _const(s._data == 0)
    return where(zero, 0.0, g / (where(zero, 1.0, s) * 2.0))


class VarBackward0(Node):
    """v = Σ(x - x̄)² / (n - c):  dv/dx = 2 (x - x̄) / (n - c)"""

    def backward(self, g):
        (x,) = self.saved_values()
        return (_var_backward(g, x, self.dims, self.keepdim, self.n, self.correction, self.all_dims),)

    def jvp(self, t):
        (x,) = self.saved_values()
        return _var_jvp(t, x, self.dims, self.keepdim, self.n, self.correction, self.all_dims)


def _var_args(x, dim, unbiased, correction):
    """(dims, correction, whether no dim was given: PyTorch's backward then has a rule of its own)"""
    if isinstance(dim, bool):  # var(x, unbiased)
        dim, unbiased = None, dim
    dims = _norm_dims(dim, x.ndim) if not (isinstance(dim, (tuple, list)) and len(dim) == 0) \
        else tuple(range(x.ndim))
    return dims, _correction(unbiased, correction), dim is None or x.ndim == 0


_VAR = Sigs("var", "(Tensor input, tuple of ints dim, bool unbiased = True, bool keepdim = False, *, Tensor out = None)",
    "(Tensor input, tuple of ints dim = None, *, Number correction = None, bool keepdim = False, Tensor out = None)",
    "(Tensor input, bool unbiased = True)")


def var(x, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """Σ(x - mean)² / (n - correction)"""
    if type(x) is not Tensor or not (dim is None or type(dim) is int or type(dim) is tuple or type(dim) is bool):
        _VAR.check_call(var, x, dim, unbiased, keepdim, correction)
    dims, c, everything = _var_args(x, dim, unbiased, correction)
    v, n = _var_data(x, dims, c, keepdim, "var")
    return _record(v.astype(_real_dtype(x._data.dtype)), VarBackward0, (x,), saved=(x,), dims=dims, keepdim=keepdim,
                n=n, correction=c, all_dims=everything)

expose(var, method=True)


class StdBackward0(Node):
    """s = √var x:  ds/dx = (x - x̄) / ((n - c) s), 0 where s = 0"""

    def backward(self, g):
        x, s = self.saved_values()
        return (_var_backward(_half_over(g, s), x, self.dims, self.keepdim, self.n, self.correction,
                                  self.all_dims),)

    def jvp(self, t):
        x, s = self.saved_values()
        return _half_over(_var_jvp(t, x, self.dims, self.keepdim, self.n, self.correction, self.all_dims), s)


_STD = Sigs("std", "(Tensor input, tuple of ints dim, bool unbiased = True, bool keepdim = False, *, Tensor out = None)",
    "(Tensor input, tuple of ints dim = None, *, Number correction = None, bool keepdim = False, Tensor out = None)",
    "(Tensor input, bool unbiased = True)")


def std(x, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """√var(x)"""
    if type(x) is not Tensor or not (dim is None or type(dim) is int or type(dim) is tuple or type(dim) is bool):
        _STD.check_call(std, x, dim, unbiased, keepdim, correction)
    dims, c, everything = _var_args(x, dim, unbiased, correction)
    v, n = _var_data(x, dims, c, keepdim, "std")
    return _record(np.sqrt(v).astype(_real_dtype(x._data.dtype)), StdBackward0, (x,), saved=(x,), keep_out=True,
                dims=dims, keepdim=keepdim, n=n, correction=c, all_dims=everything)

expose(std, method=True)


def _mean_of(x, dims, keepdim):
    with np.errstate(invalid="ignore", divide="ignore"):
        return K.mean(x._data, dims if x.ndim else None, keepdim) if x._data.size else \
            np.full(tuple(1 if i in dims else s for i, s in enumerate(x.shape)) if keepdim else
                    tuple(s for i, s in enumerate(x.shape) if i not in dims), np.nan, x._data.dtype)


class VarMeanBackward0(Node):
    """(v, m) = (var x, mean x):  dx = 2 (x - x̄) / (n - c) g_v + g_m / n"""

    def backward(self, grads):
        (x,) = self.saved_values()
        g_v, g_m = grads
        out = None if g_v is None else _var_backward(g_v, x, self.dims, self.keepdim, self.n, self.correction,
                                                                 self.all_dims)
        if g_m is not None:
            part = _expand_back(g_m / self.n, x.shape, self.dims, self.keepdim)
            out = part if out is None else out + part
        return (out,)

    def jvp(self, t):
        (x,) = self.saved_values()
        return (_var_jvp(t, x, self.dims, self.keepdim, self.n, self.correction, self.all_dims),
                mean(t, self.dims, self.keepdim))


_VAR_MEAN = Sigs("var_mean", "(Tensor input, tuple of ints dim, bool unbiased = True, bool keepdim = False)",
    "(Tensor input, tuple of ints dim = None, *, Number correction = None, bool keepdim = False)",
    "(Tensor input, bool unbiased = True)")


def var_mean(x, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """(var, mean) in one call"""
    if type(x) is not Tensor or not (dim is None or type(dim) is int or type(dim) is tuple or type(dim) is bool):
        _VAR_MEAN.check_call(var_mean, x, dim, unbiased, keepdim, correction)
    dims, c, everything = _var_args(x, dim, unbiased, correction)
    v, n = _var_data(x, dims, c, keepdim, "var_mean")
    v = v.astype(_real_dtype(x._data.dtype))
    return _rec_many((v, _mean_of(x, dims, keepdim)), VarMeanBackward0, x, saved=(x,), dims=dims, keepdim=keepdim,
                     n=n, correction=c, all_dims=everything)

expose(var_mean)


class StdMeanBackward0(Node):
    """(s, m) = (std x, mean x):  dx = (x - x̄) / ((n - c) s) g_s + g_m / n"""

    def backward(self, grads):
        x, s = self.saved_values()
        g_s, g_m = grads
        out = None if g_s is None else _var_backward(_half_over(g_s, s), x, self.dims, self.keepdim, self.n,
                                                     self.correction, self.all_dims)
        if g_m is not None:
            part = _expand_back(g_m / self.n, x.shape, self.dims, self.keepdim)
            out = part if out is None else out + part
        return (out,)

    def jvp(self, t):
        x, s = self.saved_values()
        return (_half_over(_var_jvp(t, x, self.dims, self.keepdim, self.n, self.correction, self.all_dims), s),
                mean(t, self.dims, self.keepdim))


def std_mean(x, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """(std, mean) in one call"""
    dims, c, everything = _var_args(x, dim, unbiased, correction)
    v, n = _var_data(x, dims, c, keepdim, "std_mean")
    s = np.sqrt(v).astype(_real_dtype(x._data.dtype))
    return _rec_many((s, _mean_of(x, dims, keepdim)), StdMeanBackward0, x, saved=(x,), keep_out=True, dims=dims,
                     keepdim=keepdim, n=n, correction=c, all_dims=everything)

expose(std_mean)


# =====================================================================================================
# logsumexp
# =====================================================================================================

class LogsumexpBackward0(Node):
    """l = log Σ e^x:  dl/dx = e^(x - l) (the softmax)"""

    def backward(self, g):
        x, r = self.saved_values()
        r, g = _kept(r, x.shape, self.dims, self.keepdim), _kept(g, x.shape, self.dims, self.keepdim)
        return (g * exp(x - r),)

    def jvp(self, t):
        x, r = self.saved_values()
        return sum(t * exp(x - _kept(r, x.shape, self.dims, self.keepdim)), self.dims, self.keepdim)


_LOGSUMEXP = Sigs("logsumexp", "(Tensor input, tuple of ints dim, bool keepdim = False, *, Tensor out = None)")


def logsumexp(x, dim, keepdim=False):
    """log Σ_dim e^x, computed stably (x shifted by its max; one temporary of x's size)"""
    if type(x) is not Tensor or not (type(dim) is int or type(dim) is tuple):
        _LOGSUMEXP.check_call(logsumexp, x, dim, keepdim)
    if type(x) is not Tensor:
        _tensor_arg("logsumexp", ("input", 1, x))
    dims = _norm_dims(dim, x.ndim)
    xd = _float_data(x)
    ax = dims if x.ndim else None
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        m = np.max(xd, axis=ax, keepdims=True) if xd.size else np.zeros([1] * x.ndim, xd.dtype)
        m = np.where(np.isfinite(m), m, 0)
        e = np.asanyarray(np.subtract(xd, m))  # the one temporary of x's size (an array even 0-d, for out=)
        np.exp(e, out=e)
        r = np.asanyarray(np.sum(e, axis=ax, keepdims=True))
        del e
        np.log(r, out=r)
        r += m
    r = _squeeze_dims(r, dims, keepdim, x.ndim)
    return _record(np.asarray(r, dtype=xd.dtype), LogsumexpBackward0, (x,), saved=(x,), keep_out=True, dims=dims,
                keepdim=keepdim)

expose(logsumexp, method=True, out=True)


# =====================================================================================================
# vector norms, renorm
# =====================================================================================================

def _nonzero_where(mask, a, fill=1.0):
    """a with ``fill`` where the constant ``mask`` is set (so a later division or power there stays finite and its
    derivative is no NaN), for formulas that are then masked to 0 there"""
    return where(mask, fill, a)


def _norm_backward(g, x, r, p, dims, keepdim):
    """d‖x‖_p/dx applied to g (``r`` = ‖x‖_p over ``dims``), with PyTorch's choices at 0 and for ties of the max."""
    g, r = _kept(g, x.shape, dims, keepdim), _kept(r, x.shape, dims, keepdim)
    if p == 0:
        return x * 0.0
    if p == 1:
        return g * sgn(x)
    r_zero = _const(r._data == 0)
    if p == 2:
        return where(r_zero, 0.0, g * x / _nonzero_where(r_zero, r))
    if math.isinf(p):
        ax = abs(x)._data
        mask = _const(((ax == r._data) | np.isnan(ax)).astype(x._data.dtype))
        return sgn(x) * (g / sum(mask, dims, keepdim=True)) * mask
    if p < 1:
        x_zero = _const(x._data == 0)
        scaled = where(x_zero, 0.0, sgn(x) * abs(_nonzero_where(x_zero, x)) ** (p - 1))
        return scaled * g * r ** (1 - p)
    scale = where(r_zero, 0.0, g / _nonzero_where(r_zero, r) ** (p - 1))
    if p < 2:
        return sgn(x) * abs(x) ** (p - 1) * scale
    return x * abs(x) ** (p - 2) * scale


def _norm_jvp(t, x, r, p, dims, keepdim):
    """The tangent of ‖x‖_p over ``dims`` along t (``r`` = ‖x‖_p)."""
    if p == 0:
        return r * 0.0
    if p == 1:
        return sum(sgn(x) * t, dims, keepdim)
    r_zero = _const(r._data == 0)
    if p == 2:
        return where(r_zero, 0.0, sum(x * t, dims, keepdim) / _nonzero_where(r_zero, r))
    if math.isinf(p):
        rk = _kept(r, x.shape, dims, keepdim)._data
        ax = np.abs(x._data)
        mask = _const(((ax == rk) | (np.isnan(ax) & np.isnan(rk))).astype(x._data.dtype))
        return sum(sgn(x) * t * mask / sum(mask, dims, keepdim=True), dims, keepdim)
    if p < 1:
        x_zero = _const(x._data == 0)
        scaled = where(x_zero, 0.0, abs(_nonzero_where(x_zero, x)) ** (p - 1))
        return sum(scaled * sgn(x) * t, dims, keepdim) * r ** (1 - p)
    s = sum((sgn(x) * abs(x) ** (p - 1) if p < 2 else x * abs(x) ** (p - 2)) * t, dims, keepdim)
    return where(r_zero, 0.0, s / _nonzero_where(r_zero, r) ** (p - 1))


class LinalgVectorNormBackward0(Node):
    """n = (Σ|x|^p)^(1/p):  dn/dx = sgn(x) |x|^(p-1) / n^(p-1) (p = ∞: sgn(x) shared among the largest |x|)"""

    def backward(self, g):
        x, n = self.saved_values()
        return (_norm_backward(g, x, n, self.p, self.dims, self.keepdim),)

    def jvp(self, t):
        x, n = self.saved_values()
        return _norm_jvp(t, x, n, self.p, self.dims, self.keepdim)


def _norm_data(xd, p, dims, keepdim):
    """‖xd‖_p over ``dims`` (all for a 0-d xd), computed in blocks: no temporary has xd's size."""
    ax = dims if xd.ndim else None
    real = _real_dtype(xd.dtype)
    cplx = xd.dtype.kind == "c"

    def mag(b):
        return np.abs(b) if cplx or p != 2 else b
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        if math.isinf(p):
            red, comb = (np.max, np.maximum) if p > 0 else (np.min, np.minimum)
            r = _blocked(xd, ax, lambda b, _: red(np.abs(b), axis=ax, keepdims=True), comb)
        elif p == 0:
            r = _blocked(xd, ax, lambda b, _: np.sum(b != 0, axis=ax, keepdims=True, dtype=real), np.add)
        elif p == 2:
            def squares(b, _):
                a = mag(b)
                return np.sum(a * a, axis=ax, keepdims=True)
            r = np.sqrt(_blocked(xd, ax, squares, np.add))
        elif p == 1:
            r = _blocked(xd, ax, lambda b, _: np.sum(np.abs(b), axis=ax, keepdims=True), np.add)
        else:
            r = _blocked(xd, ax, lambda b, _: np.sum(np.abs(b) ** p, axis=ax, keepdims=True), np.add) ** (1.0 / p)
    return np.asarray(_squeeze_dims(r, dims, keepdim, xd.ndim), dtype=real)


def _norm_args(x, dim):
    """the errors of PyTorch's torch.norm (Python code: it reads ``input.layout`` and ``len(dim)``)"""
    if not isinstance(x, Tensor):
        raise AttributeError(f"'{type(x).__name__}' object has no attribute 'layout'")
    if isinstance(dim, str):
        raise TypeError("linalg_vector_norm(): argument 'dim' (position 3) must be tuple of ints, not str")
    if not (dim is None or isinstance(dim, (int, np.integer, list, tuple))):
        raise TypeError(f"object of type '{type(dim).__name__}' has no len()")


def norm(x, p="fro", dim=None, keepdim=False, dtype=None):
    """vector p-norm over ``dim`` ('fro' is the 2-norm)"""
    if type(x) is not Tensor or not (dim is None or type(dim) is int or type(dim) is tuple):
        _norm_args(x, dim)
    if p == "fro" or p is None:
        p = 2
    if p == "nuc":
        raise NotImplementedError("nuclear norm is not supported")
    if isinstance(p, str):
        raise RuntimeError(f"linalg.matrix_norm: Order {p} not supported.")
    if not isinstance(p, numbers.Number):
        raise TypeError(f"linalg_vector_norm(): argument 'ord' (position 2) must be Number, not {type(p).__name__}")
    return linalg_vector_norm(x, p, dim, keepdim, dtype=dtype)

expose(norm, method=True)


def linalg_vector_norm(x, ord=2, dim=None, keepdim=False, *, dtype=None):
    """(Σ|x|^ord)^(1/ord) over ``dim`` (all dims when None); ord ±inf: the max/min |x|, ord 0: the nonzero count"""
    if dtype is not None:
        x = x.to(dtype)
    if x._data.dtype.kind not in "fc":
        raise RuntimeError(f"linalg.vector_norm: Expected a floating point or complex tensor as input. Got "
                           f"{_long_name(x.dtype)}")
    dims = _norm_dims(dim, x.ndim) if not (isinstance(dim, (tuple, list)) and len(dim) == 0) \
        else tuple(range(x.ndim))
    if x.numel() == 0 and (ord < 0 or math.isinf(ord)):
        if dim is None or builtins.any(x.shape[d] == 0 for d in dims):
            raise RuntimeError(f"linalg.vector_norm cannot compute the {ord} norm on an empty tensor because the "
                               "operation does not have an identity")
    r = _norm_data(x._data, ord, dims, keepdim)
    return _record(r, LinalgVectorNormBackward0, (x,), saved=(x,), keep_out=True, dims=dims, keepdim=keepdim, p=ord)


def _fmt_double(v) -> str:
    """a number as C++'s stream prints a double (-1.0 as -1)"""
    return f"{float(v):g}"


class RenormBackward0(Node):
    """y = x c / (n + ε) on the slices whose p-norm n exceeds c (else x):  dx = c/(n+ε) (g - ⟨g, x⟩ ∇n / (n+ε))"""

    def _parts(self, x):
        other = tuple(i for i in range(x.ndim) if i != self.dim)
        n = linalg_vector_norm(x, self.p, other, True)
        inv = 1.0 / (n + 1e-7)
        over = _const(n._data > self.maxnorm)
        return other, n, inv, over

    def backward(self, g):
        (x,) = self.saved_values()
        other, n, inv, over = self._parts(x)
        nb = _norm_backward(sum(x * g, other, keepdim=True), x, n, self.p, other, True)
        return (where(over, inv * self.maxnorm * (g - inv * nb), g),)

    def jvp(self, t):
        (x,) = self.saved_values()
        other, n, inv, over = self._parts(x)
        dn = _norm_jvp(t, x, n, self.p, other, True)
        return where(over, inv * self.maxnorm * (t - x * inv * dn), t)


def renorm(x: Tensor, p, dim: int, maxnorm) -> Tensor:
    """each slice along dim rescaled so its p-norm is at most maxnorm"""
    if p <= 0:
        raise RuntimeError("renorm: non-positive-norm not supported")
    if maxnorm < 0:
        raise RuntimeError(f"renorm: expected maxnorm to be >= 0 but got {_fmt_double(maxnorm)}")
    if x.ndim <= 1:
        raise RuntimeError(f"renorm: input needs at least 2 dimensions, got {x.ndim} dimensions")
    d = _wrap_dim(dim, x.ndim)
    xd = x._data
    other = tuple(i for i in range(x.ndim) if i != d)
    n = _norm_data(xd.astype(_acc_dtype(xd.dtype), copy=False) if xd.dtype.itemsize < 8 else xd, p, other, True)
    factor = np.where(n > maxnorm, maxnorm / (n + 1e-7), 1.0).astype(_real_dtype(xd.dtype))
    return _record(xd * factor, RenormBackward0, (x,), saved=(x,), p=p, dim=d, maxnorm=maxnorm)

expose(renorm, method=True, inplace=True)


# =====================================================================================================
# nansum, nanmean
# =====================================================================================================

class NansumBackward0(Node):
    """s = Σ x over the x that are not NaN:  ds/dx = 1 there, 0 at the NaNs"""

    dtype = None

    def backward(self, g):
        (x,) = self.saved_values()
        return (_to(_expand_back(g, x.shape, self.dims, self.keepdim) * _const(~np.isnan(x._data)),
                    self.in_dtype if self.dtype is not None else None),)

    def jvp(self, t):
        (x,) = self.saved_values()
        return sum(where(_const(np.isnan(x._data)), 0.0, t), self.dims, self.keepdim, dtype=self.dtype)


_NANSUM = Sigs("nansum", "(Tensor input, tuple of ints dim = None, bool keepdim = False, *, torch.dtype dtype = None, Tensor out = None)")


def nansum(x, dim=None, keepdim=False, *, dtype=None):
    """Σ x with NaNs counted as zero"""
    if type(x) is not Tensor or not (dim is None or type(dim) is int or type(dim) is tuple):
        _NANSUM.check_call(nansum, x, dim, keepdim, dtype)
    if type(x) is not Tensor:
        _tensor_arg("nansum", ("input", 1, x))
    xd = x._data
    if xd.dtype.kind == "c":
        raise RuntimeError("nansum does not support complex inputs")
    if dtype is not None:
        xd = xd.astype(dtype.np)
    elif xd.dtype.kind in "bui":
        xd = xd.astype(np.int64)  # as sum: integers and bools add up as int64
    if xd.dtype.kind == "f":
        xd = np.where(np.isnan(xd), xd.dtype.type(0), xd)
    if dim is None or (isinstance(dim, (tuple, list)) and len(dim) == 0):
        dims = tuple(range(x.ndim))
        r = K.sum(xd, None, keepdim) if dim is None or not keepdim else K.sum(xd, dims if x.ndim else None, True)
    else:
        dims = _norm_dims(dim, x.ndim)
        r = K.sum(xd, dims, keepdim)
    extra = {} if dtype is None else {"dtype": dtype, "in_dtype": x.dtype}
    return _record(r, NansumBackward0, (x,), saved=(x,), dims=dims, keepdim=keepdim, **extra)

expose(nansum, method=True)


_NANMEAN = Sigs("nanmean", "(Tensor input, tuple of ints dim = None, bool keepdim = False, *, torch.dtype dtype = None, Tensor out = None)")


def nanmean(x, dim=None, keepdim=False, *, dtype=None):
    """mean of the non-NaN elements"""
    if type(x) is not Tensor or not (dim is None or type(dim) is int or type(dim) is tuple):
        _NANMEAN.check_call(nanmean, x, dim, keepdim, dtype)
    if type(x) is not Tensor:
        _tensor_arg("nanmean", ("input", 1, x))
    if x._data.dtype.kind not in "fc":
        raise RuntimeError(f"nanmean(): expected input to have floating point or complex dtype but got "
                           f"{_long_name(x.dtype)}")
    keep = logical_not(isnan(x))
    return nansum(x, dim, keepdim, dtype=dtype) / sum(keep, dim, keepdim)

expose(nanmean, method=True)


# =====================================================================================================
# all, any, count_nonzero, cov, corrcoef, histograms, bincount
# =====================================================================================================

def _logical_reduce(np_fn, x, dim, keepdim):
    r = np.asarray(np_fn(x._data) if dim is None else np_fn(x._data, axis=_norm_dims(dim, x.ndim), keepdims=keepdim))
    # PyTorch keeps uint8 for uint8 input (a legacy rule); every other dtype gives bool
    return _wrap(r.astype(np.uint8) if x._data.dtype == np.uint8 else r)


_ALL = Sigs("all", "(Tensor input, *, Tensor out = None)",
              "(Tensor input, tuple of ints dim = None, bool keepdim = False, *, Tensor out = None)",
              "(Tensor input, int dim, bool keepdim = False, *, Tensor out = None)")


def all(x, dim=None, keepdim=False):
    if type(x) is not Tensor or not (dim is None or type(dim) is int or type(dim) is tuple):
        _ALL.check_call(all, x, dim, keepdim)
    return _logical_reduce(np.all, x, dim, keepdim)

expose(all, method=True)


_ANY = Sigs("any", "(Tensor input, *, Tensor out = None)",
              "(Tensor input, tuple of ints dim = None, bool keepdim = False, *, Tensor out = None)",
              "(Tensor input, int dim, bool keepdim = False, *, Tensor out = None)")


def any(x, dim=None, keepdim=False):
    if type(x) is not Tensor or not (dim is None or type(dim) is int or type(dim) is tuple):
        _ANY.check_call(any, x, dim, keepdim)
    return _logical_reduce(np.any, x, dim, keepdim)

expose(any, method=True)


_COUNT_NONZERO = Sigs("count_nonzero", "(Tensor input, int dim = None)", "(Tensor input, tuple of ints dim)")


def count_nonzero(x, dim=None):
    if type(x) is not Tensor or not (dim is None or type(dim) is int or type(dim) is tuple):
        _COUNT_NONZERO.check_call(count_nonzero, x, dim)
    if dim is not None:
        dim = _norm_dims(dim, x.ndim)
    return _wrap(np.asarray(np.count_nonzero(x._data, axis=dim), dtype=np.int64))

expose(count_nonzero, method=True)


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
    # PyTorch squeezes the result: a single variable's covariance is 0-d, even from a (1, n) input
    return (c / norm).squeeze()

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


def histogramdd(x: Tensor, bins, *, range=None, weight=None, density: bool = False):  # noqa: A002
    """counts of the points x[..., :] (the last dim their coordinates) over a grid of bins: a number or one per
    dim (equal widths over ``range``, a flat [lo₀, hi₀, lo₁, hi₁, ...], or the data's span) or the edges"""
    if x.ndim < 2:
        raise RuntimeError("torch.histogramdd: input tensor should have at least 2 dimensions")
    if x._data.dtype.kind != "f":
        raise NotImplementedError(f'"histogramdd" not implemented for \'{_long_name(x.dtype)}\'')
    pts = x._data.reshape(-1, x.shape[-1])
    n = pts.shape[1]
    if isinstance(bins, (list, tuple)) and bins and isinstance(bins[0], Tensor):
        b = [e._data.astype(np.float64) for e in bins]
    else:
        b = [int(bins)] * n if isinstance(bins, (int, np.integer)) else [int(k) for k in bins]
    r = None if range is None else [(float(range[2 * i]), float(range[2 * i + 1])) for i in builtins.range(n)]
    w = None if weight is None else weight._data.reshape(-1)
    h, edges = np.histogramdd(pts.astype(np.float64), bins=b, range=r, weights=w, density=density)
    dt = x._data.dtype
    return _histogramdd_result(_wrap(h.astype(dt)), tuple(_wrap(e.astype(dt)) for e in edges))

expose(histogramdd)


class SegmentReduceBackward0(Node):
    """y[..., s, ...] = reduce of x over segment s along the axis (sum, mean, max, min, prod; ``initial`` joins
    each segment):  dx = g of x's segment for sum; g / length for mean; for max and min g shared by the elements
    equal to y; for prod g·y/x (the product of the others where x = 0)"""

    def backward(self, g):
        (x,) = self.saved_values()
        seg, red = self.seg, self.reduce
        ge = g.gather(self.axis, seg)  # each element's segment's gradient
        if red == "sum":
            return (ge,)
        if red == "mean":
            return (ge / self.counts.gather(self.axis, seg),)
        ye = self.out.gather(self.axis, seg)
        if red in ("max", "min"):
            hit = (x == ye).to(x.dtype)
            ties = _wrap(np.zeros(self.out.shape, dtype=x._data.dtype)).scatter_add(self.axis, seg, hit)
            return (ge * hit / ties.clamp_min(1).gather(self.axis, seg),)
        others = _wrap(self.others)  # prod: the product of the other elements of each segment
        return (ge * others,)


_SEGMENT_REDUCTIONS = {"sum": "sum", "mean": "mean", "max": "max", "amax": "max", "min": "min", "amin": "min",
                       "prod": "prod"}


def segment_reduce(data: Tensor, reduce: str, *, lengths=None, indices=None, offsets=None, axis: int = 0,
                   unsafe: bool = False, initial=None) -> Tensor:
    """Reduce ``data`` along ``axis`` over consecutive segments of the given ``lengths`` (or between
    ``offsets``): sum, mean, max, min or prod, with ``initial`` in each segment (an empty one gives initial, or
    0, nan, -inf, inf, 1 for sum, mean, max, min, prod)"""
    red = _SEGMENT_REDUCTIONS.get(reduce)
    if red is None:
        raise RuntimeError(f"reduce argument must be either sum, prod, mean, amax or amin, got {reduce}")
    if indices is not None and lengths is None and offsets is None:
        raise RuntimeError("segment_reduce(): indices based reduction is not supported yet.")
    if lengths is None and offsets is None:
        raise RuntimeError("segment_reduce(): Either lengths or offsets must be defined.")
    if lengths is not None:
        lens = lengths._data.astype(np.int64)
        if axis != lens.ndim - 1 and lens.ndim > 1:
            raise RuntimeError(f"segment_reduce(): Expected axis to be the last dimension of lengths but got {axis}.")
    else:
        off = offsets._data.astype(np.int64)
        if axis != off.ndim - 1 and off.ndim > 1:
            raise RuntimeError(f"segment_reduce(): Expected axis to be the last dimension of offsets but got {axis}.")
        lens = np.diff(off, axis=-1)
    ax = _wrap_dim(axis, data.ndim)
    d = data._data
    lead = d.shape[:ax]
    lens = np.broadcast_to(lens, lead + lens.shape[-1:])
    if not unsafe and (lens.sum(axis=-1) != d.shape[ax]).any():
        raise RuntimeError("segment_reduce(): Expected all rows of lengths along axis to sum to "
                           "data.size(lengths.dim()-1) when !unsafe.")
    nseg = lens.shape[-1]
    out = np.empty(lead + (nseg,) + d.shape[ax + 1:], dtype=d.dtype)
    counts = np.empty(lead + (nseg,) + (1,) * (d.ndim - ax - 1), dtype=d.dtype)
    seg = np.empty(lead + (d.shape[ax],), dtype=np.int64)
    others = np.ones_like(d) if red == "prod" else None
    empty = {"sum": 0, "mean": np.nan, "max": -np.inf, "min": np.inf, "prod": 1}[red]
    for i in np.ndindex(*lead):
        start = 0
        for k, n in enumerate(lens[i]):
            part = d[i + (slice(start, start + n),)]
            seg[i + (slice(start, start + n),)] = k
            if red == "prod":
                for j in builtins.range(n):  # the product of the segment's other elements, zeros included
                    rest = np.delete(part, j, axis=0)
                    others[i + (start + j,)] = rest.prod(axis=0) * (1 if initial is None else initial)
            if n == 0:
                value = np.full(d.shape[ax + 1:], empty if initial is None else initial, dtype=d.dtype)
            elif red == "mean":
                value = (part.sum(axis=0) + (0 if initial is None else initial)) / n  # initial joins the sum only
            else:
                value = getattr(part, red)(axis=0)
                if initial is not None:
                    value = {"sum": np.add, "max": np.maximum, "min": np.minimum, "prod": np.multiply}[red](
                        value, initial)
            out[i + (k,)] = value
            counts[i + (k,)] = builtins.max(n, 1)
            start += n
    seg_full = _wrap(np.broadcast_to(seg.reshape(seg.shape + (1,) * (d.ndim - ax - 1)), d.shape).copy())
    attrs = dict(axis=ax, reduce=red, seg=seg_full, out=_wrap(out), counts=_wrap(np.broadcast_to(
        counts, out.shape).copy()), others=others)
    return _wrap_result(out, SegmentReduceBackward0, (data,), saved=(data,), **attrs)

expose(segment_reduce)


def histc(x, bins=100, min=0, max=0):
    lo, hi = (float(x._data.min()), float(x._data.max())) if min == max else (min, max)
    h, _ = np.histogram(x._data, bins=bins, range=(lo, hi))
    return _wrap(h.astype(x._data.dtype))

expose(histc, method=True)


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


