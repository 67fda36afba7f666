"""The one place that gives ``Tensor`` its methods and operators, binding the op functions themselves.

``ember._core.tensor`` is the data structure; ``ember.ops`` holds the ops; this module attaches one to the other.
"""

from __future__ import annotations

import warnings

from . import autograd, ops
from ._array import np
from ._core import dims, messages, node, record
from ._core import dtype as D
from ._core.tensor import Tensor, _check_device, _to_dtype_arg, _wrap
from ._legacy import _LEGACY, legacy_dtype
from .ops import binary
from .ops import random as R
from .ops.creation import _legacy_tensor_init, tensor

# -- the methods that need ops: conversion, transposes, backward, construction ----------------------------

def _tensor_init(self, *args, **kwargs):
    # Tensor(data) / Tensor(2, 3) as in PyTorch's legacy constructor
    _legacy_tensor_init(self, *args, **kwargs)

def _tensor_T(self) -> "Tensor":
    if self.ndim <= 2:
        return ops.permute(self, tuple(range(self.ndim))[::-1])
    warnings.warn("The use of `x.T` on tensors of dimension other than 2 to reverse their shape is "
                  "deprecated and it will throw an error in a future release. Consider `x.mT` to transpose "
                  "batches of matrices or `x.permute(*torch.arange(x.ndim - 1, -1, -1))` to reverse the "
                  "dimensions of a tensor. (Triggered internally at "
                  "/__w/pytorch/pytorch/aten/src/ATen/native/TensorShape.cpp:4314.)", UserWarning, stacklevel=2)
    return ops.permute(self, tuple(range(self.ndim))[::-1])

def _tensor_mT(self) -> "Tensor":
    if self.ndim < 2:
        raise RuntimeError(f"tensor.mT is only supported on matrices or batches of matrices. Got {self.ndim}-D "
                           "tensor.")
    return ops.transpose(self, -2, -1)

def _tensor_H(self) -> "Tensor":
    return ops.conj(self.T)

def _tensor_mH(self) -> "Tensor":
    return ops.conj(self.mT)

def _tensor_to(self, *args, **kwargs) -> "Tensor":
    """Convert dtype (and accept device 'cpu'): ``x.to(torch.float64)``, ``x.to('cpu')``, ``x.to(other)``."""
    dt = _to_dtype_arg(args, kwargs)
    copy = kwargs.get("copy", False)
    if dt is None:
        return ops.clone(self) if copy else self
    return ops.to_dtype(self, dt, copy)

def _tensor_type(self, dtype=None, non_blocking=False):
    if dtype is None:
        return node._type_name(self)
    if isinstance(dtype, str):
        names = {"torch.FloatTensor": D.float32, "torch.DoubleTensor": D.float64, "torch.LongTensor": D.int64,
                 "torch.IntTensor": D.int32, "torch.BoolTensor": D.bool_, "torch.HalfTensor": D.float16,
                 "torch.ByteTensor": D.uint8}
        dtype = names[dtype]
    return self.to(dtype)

def _tensor_cuda(self, device=None, non_blocking=False):
    _check_device("cuda")

def _tensor_float(self):
    return ops.to_dtype(self, D.float32)

def _tensor_double(self):
    return ops.to_dtype(self, D.float64)

def _tensor_half(self):
    return ops.to_dtype(self, D.float16)

def _tensor_bfloat16(self):
    return ops.to_dtype(self, D.bfloat16)

def _tensor_long(self):
    return ops.to_dtype(self, D.int64)

def _tensor_int(self):
    return ops.to_dtype(self, D.int32)

def _tensor_short(self):
    return ops.to_dtype(self, D.int16)

def _tensor_char(self):
    return ops.to_dtype(self, D.int8)

def _tensor_byte(self):
    return ops.to_dtype(self, D.uint8)

def _tensor_bool(self):
    return ops.to_dtype(self, D.bool_)

def _tensor_backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
    """Accumulate d(self)/d(leaf) into each leaf's ``.grad`` (``gradient`` is dL/dself; default 1 for scalars)."""
    autograd.backward(self, gradient, retain_graph, create_graph, inputs=inputs)

def _tensor_inplace(self, result: "Tensor") -> "Tensor":
    ops.inplace.check_inplace(self)
    return ops.inplace.apply_inplace(self, result)


Tensor.__init__ = _tensor_init
Tensor.T = property(_tensor_T)
Tensor.mT = property(_tensor_mT)
Tensor.H = property(_tensor_H)
Tensor.mH = property(_tensor_mH)
Tensor.to = _tensor_to
Tensor.type = _tensor_type
Tensor.cuda = _tensor_cuda
Tensor.float = _tensor_float
Tensor.double = _tensor_double
Tensor.half = _tensor_half
Tensor.bfloat16 = _tensor_bfloat16
Tensor.long = _tensor_long
Tensor.int = _tensor_int
Tensor.short = _tensor_short
Tensor.char = _tensor_char
Tensor.byte = _tensor_byte
Tensor.bool = _tensor_bool
Tensor.backward = _tensor_backward
Tensor._inplace = _tensor_inplace


# -- operators ------------------------------------------------------------------------------------------

_OPERAND = (Tensor, int, float, bool, complex, np.generic)


def _operator(fn):
    """A binary dunder: other operand types get NotImplemented, so Python raises its usual TypeError."""
    def op(a, b):
        if not isinstance(b, _OPERAND):
            return NotImplemented
        return fn(a, b)
    op.__name__ = fn.__name__
    return op


def _direct(ufunc, node_cls, saved_mode, check=None):
    """``self <op> other`` straight into ``_binary`` (self is a Tensor, so ops.add/mul/sub's own conversions
    are no-ops): one Python frame less per operator, a quarter of a small op's dispatch."""
    binary_op = binary._binary

    def op(a, b):
        if not isinstance(b, _OPERAND):
            return NotImplemented
        if check is not None:
            check(a, b)
        return binary_op(a, b, ufunc, node_cls, saved_mode)
    return op


Tensor.__add__ = Tensor.__radd__ = _direct(np.add, binary.AddBackward0, None)
Tensor.__add__.__name__ = "add"
Tensor.__sub__ = _direct(np.subtract, binary.SubBackward0, None, binary._check_bool_sub)
Tensor.__sub__.__name__ = "sub"
Tensor.__rsub__ = _operator(ops.rsub)
Tensor.__mul__ = Tensor.__rmul__ = _direct(np.multiply, binary.MulBackward0, "ab")
Tensor.__mul__.__name__ = "mul"
Tensor.__truediv__ = _operator(ops.div)
Tensor.__rtruediv__ = _operator(ops.rdiv)
Tensor.__floordiv__ = _operator(ops.floor_divide)
Tensor.__rfloordiv__ = _operator(lambda a, b: ops.floor_divide(ops.as_tensor_arg(b), a))
Tensor.__mod__ = _operator(ops.remainder)
Tensor.__rmod__ = _operator(lambda a, b: ops.remainder(ops.as_tensor_arg(b), a))
Tensor.__pow__ = _operator(ops.pow)
Tensor.__rpow__ = _operator(ops.rpow)
Tensor.__matmul__ = ops.matmul
Tensor.__rmatmul__ = lambda a, b: ops.matmul(ops.as_tensor_arg(b), a)
Tensor.__neg__ = ops.neg
Tensor.__pos__ = ops.positive
Tensor.__abs__ = ops.abs
Tensor.__invert__ = lambda a: ops.logical_not(a) if a._data.dtype == np.bool_ else ops.bitwise_not(a)
Tensor.__eq__ = ops.eq
Tensor.__ne__ = ops.ne
Tensor.__lt__ = ops.lt
Tensor.__le__ = ops.le
Tensor.__gt__ = ops.gt
Tensor.__ge__ = ops.ge
# bitwise after PyTorch's promotion (on bools that is the logical op): mask & 1 is int64, as in torch
Tensor.__and__ = ops.bitwise_and
Tensor.__or__ = ops.bitwise_or
Tensor.__xor__ = ops.bitwise_xor
Tensor.__rand__ = Tensor.__and__
Tensor.__ror__ = Tensor.__or__
Tensor.__rxor__ = Tensor.__xor__
Tensor.__getitem__ = ops.getitem
Tensor.__setitem__ = ops.setitem
Tensor.__hash__ = lambda self: id(self)

# -- methods that are the function with the tensor first ------------------------------------------------

_SAME = ["add", "sub", "mul", "div", "pow", "floor_divide", "remainder", "fmod", "maximum", "minimum", "atan2", "eq", "ne", "lt", "le", "gt", "ge", "logical_and", "logical_or", "logical_xor", "logical_not", "bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_not", "isnan", "isinf", "isfinite", "isclose", "allclose", "equal", "exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "sqrt", "rsqrt", "reciprocal", "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh", "sigmoid", "erf", "neg", "abs", "relu", "floor", "ceil", "trunc", "sign", "frac", "round", "square", "clamp", "clip", "clamp_min", "clamp_max", "lerp", "addcmul", "addcdiv", "nan_to_num", "sum", "sum_to_size", "mean", "prod", "max", "min", "amax", "amin", "argmax", "argmin", "var", "std", "logsumexp", "norm", "cumsum", "cumprod", "all", "any", "count_nonzero", "softmax", "log_softmax", "mm", "addmm", "mv", "dot", "bmm", "matmul", "outer", "ger", "view", "view_as", "reshape", "reshape_as", "flatten", "unflatten", "squeeze", "unsqueeze", "transpose", "swapaxes", "swapdims", "t", "permute", "movedim", "moveaxis", "expand", "expand_as", "broadcast_to", "clone", "contiguous", "repeat", "tile", "repeat_interleave", "flip", "fliplr", "flipud", "roll", "tril", "triu", "diag", "diagonal", "trace", "narrow", "select", "split", "chunk", "tensor_split", "unbind", "sort", "argsort", "msort", "topk", "kthvalue", "median", "unique", "index_select", "gather", "scatter", "scatter_add", "masked_fill", "masked_select", "masked_scatter", "nonzero", "take", "take_along_dim", "index_add", "index_fill", "index_copy", "index_put", "conj", "positive", "diagonal_scatter", "slice_scatter", "select_scatter"]

for _name in _SAME:
    setattr(Tensor, _name, getattr(ops, _name))

Tensor.absolute = ops.abs
Tensor.negative = ops.neg
Tensor.arcsin, Tensor.arccos, Tensor.arctan = ops.asin, ops.acos, ops.atan
Tensor.arctan2 = ops.atan2
Tensor.subtract, Tensor.multiply, Tensor.divide, Tensor.true_divide = ops.sub, ops.mul, ops.div, ops.div
Tensor.greater, Tensor.greater_equal, Tensor.less, Tensor.less_equal = ops.gt, ops.ge, ops.lt, ops.le
Tensor.not_equal = ops.ne
Tensor.concat = ops.cat
Tensor.dist = lambda a, b, p=2: ops.norm(a - b, p)
Tensor.where = lambda a, condition, other: ops.where(condition, a, other)
Tensor.sgn = lambda x: record._renamed(ops.sign(x), "SgnBackward0")
Tensor.fix = ops.trunc


def _from_compat(name):
    return getattr(ops, name)


for _name in ("cross", "diff", "rot90", "logaddexp", "xlogy", "hypot", "baddbmm", "nansum", "nanmean", "logit",
              "deg2rad", "rad2deg", "fmax", "fmin", "copysign", "float_power", "signbit", "isposinf",
              "isneginf"):
    setattr(Tensor, _name, _from_compat(_name))


def _inplace_view(fn, node_name):
    """``x.squeeze_()`` and friends: x becomes the view (its history too, when recorded)."""
    def method(self, *args):
        r = fn(self, *args)
        self._data = r._data
        if r.grad_fn is not None:
            name = node_name(args) if callable(node_name) else node_name
            self.grad_fn, self._output_nr = record._renamed(r, name).grad_fn, 0
        return self
    method.__name__ = fn.__name__ + "_"
    return method


def _squeeze_node_name(args):
    if not args:
        return "SqueezeBackward3"
    return "SqueezeBackward5" if isinstance(args[0], (tuple, list)) else "SqueezeBackward4"


Tensor.squeeze_ = _inplace_view(ops.squeeze, _squeeze_node_name)
Tensor.unsqueeze_ = _inplace_view(ops.unsqueeze, "UnsqueezeBackward1")
Tensor.t_ = _inplace_view(ops.t, "TBackward1")
Tensor.transpose_ = _inplace_view(ops.transpose, "TransposeBackward1")



def _new_tensor(self, data, dtype=None, device=None, requires_grad=False):
    return tensor(data, dtype=dtype if dtype is not None else self.dtype, requires_grad=requires_grad)


def _new_filled(fill):
    def method(self, *size, dtype=None, device=None, requires_grad=False, **_):
        shape = dims._shape_arg(size)
        dt = (dtype or self.dtype).np
        arr = np.full(shape, fill, dtype=dt) if fill is not None else np.empty(shape, dtype=dt)
        t = _wrap(arr)
        if requires_grad:
            t.requires_grad = True
        return t
    return method


Tensor.new_tensor = _new_tensor
Tensor.new_zeros = _new_filled(0)
Tensor.new_ones = _new_filled(1)
Tensor.new_empty = _new_filled(None)


def _new_full(self, size, fill_value, dtype=None, device=None, requires_grad=False):
    return _new_filled(fill_value)(self, size, dtype=dtype, requires_grad=requires_grad)


Tensor.new_full = _new_full

# -- in-place variants: compute out of place, then write into self (version bump, history taken over) ----

_INPLACE = ["add", "sub", "mul", "div", "pow", "floor_divide", "remainder", "fmod", "exp", "expm1", "log", "log2", "log10", "log1p", "sqrt", "rsqrt", "reciprocal", "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "sigmoid", "erf", "neg", "abs", "relu", "floor", "ceil", "trunc", "sign", "frac", "round", "square", "clamp", "clip", "clamp_min", "clamp_max", "lerp", "addcmul", "addcdiv", "nan_to_num", "masked_fill", "index_fill", "index_add", "index_copy", "scatter", "scatter_add", "tril", "triu", "atan2", "maximum", "minimum", "logical_not", "index_put", "masked_scatter"]


def _make_inplace(fn):
    def method(self, *args, **kwargs):
        ops.check_inplace(self)
        return ops.apply_inplace(self, fn(self, *args, **kwargs))
    method.__name__ = fn.__name__ + "_"
    return method


for _name in _INPLACE:
    setattr(Tensor, _name + "_", _make_inplace(getattr(ops, _name)))

Tensor.__iadd__ = Tensor.add_
Tensor.__isub__ = Tensor.sub_
Tensor.__imul__ = Tensor.mul_
Tensor.__itruediv__ = Tensor.div_
Tensor.__ipow__ = Tensor.pow_
Tensor.__ifloordiv__ = Tensor.floor_divide_
Tensor.__imod__ = Tensor.remainder_
Tensor.multiply_ = Tensor.mul_
Tensor.subtract_ = Tensor.sub_
Tensor.divide_ = Tensor.div_
Tensor.true_divide_ = Tensor.div_
Tensor.absolute_ = Tensor.abs_
Tensor.negative_ = Tensor.neg_


class FillBackward2(node.Node):
    """x.fill_(v): the old values are gone, so their gradient is zero"""

    def backward(self, g):
        return (g * 0,)


class ZeroBackward0(FillBackward2):
    """x.zero_(): zero gradient to the old values"""


def _fill_(self, value, _node=FillBackward2):
    ops.check_inplace(self)
    if isinstance(value, Tensor):
        if value.ndim != 0:
            raise RuntimeError(f"fill_ only supports 0-dimension value tensor but got tensor with {value.ndim} "
                               "dimensions.")
        value = value._data
    if self._rg and record._gm.enabled:
        # PyTorch keeps the tensor in the graph (requires_grad stays True) with a zero-gradient node
        return ops.apply_inplace(self, record._out(np.full_like(self._data, value), _node, (self,)))
    self._data[...] = value
    self._bump()
    return self


def _zero_(self):
    return _fill_(self, 0, ZeroBackward0)


def _copy_(self, src, non_blocking=False):
    """self[...] = src (broadcast, dtype-converted), recorded for autograd"""
    ops.check_inplace(self)
    if not isinstance(src, Tensor):
        src = ops.as_tensor_arg(src)
    try:
        np.broadcast_to(src._data, self._data.shape)
    except ValueError:
        try:
            full = np.broadcast_shapes(self.shape, src.shape)
        except ValueError:
            raise RuntimeError(messages._bcast_message(self.shape, src.shape)) from None
        raise RuntimeError(f"output with shape [{', '.join(map(str, self.shape))}] doesn't match the broadcast "
                           f"shape [{', '.join(map(str, full))}]") from None
    if record._gm.enabled and (src._rg or self._rg):
        r = ops.copy_from(self, src)
        return ops.apply_inplace(self, r)
    np.copyto(self._data, src._data, casting="unsafe")
    self._bump()
    return self


Tensor.fill_ = _fill_
Tensor.zero_ = _zero_
Tensor.copy_ = _copy_


# -- random in-place fills (ember.random draws PyTorch's streams) ------------------------------------------

def _uniform_(self, a=0.0, b=1.0, *, generator=None):
    return R._fill(self, "uniform", generator, a, b)


def _normal_(self, mean=0.0, std=1.0, *, generator=None):
    return R._fill(self, "normal", generator, mean, std)


def _random_(self, from_=None, to=None, *, generator=None):
    return R._fill(self, "random", generator, from_, to)


def _exponential_(self, lambd=1.0, *, generator=None):
    return R._fill(self, "exponential", generator, lambd)


def _geometric_(self, p, *, generator=None):
    return R._fill(self, "geometric", generator, p)


def _log_normal_(self, mean=1.0, std=2.0, *, generator=None):
    return R._fill(self, "log_normal", generator, mean, std)


def _cauchy_(self, median=0.0, sigma=1.0, *, generator=None):
    return R._fill(self, "cauchy", generator, median, sigma)


def _bernoulli_(self, p=0.5, *, generator=None):
    return R._fill(self, "bernoulli", generator, p)


def _bernoulli(self, p=None, *, generator=None):
    return R.bernoulli(self, p, generator=generator)


def _multinomial(self, num_samples, replacement=False, *, generator=None):
    return R.multinomial(self, num_samples, replacement, generator=generator)


Tensor.uniform_ = _uniform_
Tensor.normal_ = _normal_
Tensor.random_ = _random_
Tensor.exponential_ = _exponential_
Tensor.geometric_ = _geometric_
Tensor.log_normal_ = _log_normal_
Tensor.cauchy_ = _cauchy_
Tensor.bernoulli_ = _bernoulli_
Tensor.bernoulli = _bernoulli
Tensor.multinomial = _multinomial


# -- the wider method set (ember._extra_ops / _compat), looked up on first call ------------------------------

def _from_extra(name, attr=None):
    name = attr or name
    for family in ops.FAMILIES:
        if hasattr(family, name):
            return getattr(family, name)
    raise AttributeError(name)


for _name in ("erfc", "erfinv", "lgamma", "digamma", "i0", "sinc", "heaviside", "gcd", "lcm", "nextafter", "frexp",
              "ldexp", "logaddexp2", "angle", "isreal", "kron", "inner", "vdot", "addr", "matrix_power", "inverse",
              "det", "logdet", "slogdet", "svd", "qr", "cholesky_solve", "cholesky_inverse", "pinverse",
              "matrix_exp", "aminmax", "argwhere", "cov", "corrcoef", "quantile", "nanquantile", "nanmedian",
              "histogram", "unique_consecutive", "renorm", "diagflat", "scatter_reduce", "index_reduce", "put",
              "hsplit", "vsplit", "dsplit", "is_same_size", "is_signed", "is_conj", "is_neg", "is_inference",
              "resolve_conj", "resolve_neg", "mvlgamma", "igamma", "igammac", "triangular_solve", "lstsq"):
    setattr(Tensor, _name, _from_extra(_name))
Tensor.cholesky = _from_extra("cholesky", "torch_cholesky")
Tensor.ravel = _from_extra("ravel", "_ravel")
Tensor.hardshrink = lambda self, lambd=0.5: __import__("ember.nn.functional").nn.functional.hardshrink(self, lambd)
Tensor.prelu = lambda self, weight: __import__("ember.nn.functional").nn.functional.prelu(self, weight)
Tensor.histc = _from_compat("histc")
Tensor.addmv = _from_compat("addmv")
Tensor.addbmm = _from_compat("addbmm")
Tensor.polygamma = lambda self, n: _from_extra("polygamma")(n, self)
Tensor.adjoint = lambda self: ops.transpose(self, -2, -1).conj() if self.is_complex() else ops.transpose(self, -2, -1)
Tensor.is_nonzero = _from_compat("is_nonzero")
Tensor.conj_physical = ops.conj
Tensor.narrow_copy = lambda self, dim, start, length: ops.narrow(self, dim, start, length).clone()
Tensor.unsafe_chunk = ops.chunk
Tensor.unsafe_split = ops.split
Tensor.cfloat = lambda self: _wrap(self._data.astype(np.complex64))
Tensor.cdouble = lambda self: _wrap(self._data.astype(np.complex128))
Tensor.chalf = Tensor.cfloat
Tensor.is_cpu = property(lambda self: True)
Tensor.output_nr = property(lambda self: self._output_nr)
Tensor.volatile = property(lambda self: False)
Tensor.name = None
Tensor.is_pinned = lambda self, device=None: False
Tensor.is_shared = lambda self: False
Tensor.record_stream = lambda self, stream: None
Tensor.dim_order = lambda self: tuple(int(i) for i in np.argsort([-s for s in self.stride()], kind="stable"))
Tensor.to_dense = lambda self, dtype=None, **_: self if dtype is None else self.to(dtype)
Tensor.is_set_to = lambda self, other: (self._data.__array_interface__ == other._data.__array_interface__
                                        and self._data.strides == other._data.strides)


def _legacy_new(self, *args, **kwargs):
    """x.new(...): the legacy constructor with x's dtype"""
    cls = next((c for c in _LEGACY.values() if c._dtype == self.dtype), None)
    return cls(*args) if cls is not None else _wrap(np.zeros(args, dtype=self._data.dtype))


def _new_empty_strided(self, size, stride, *, dtype=None, device=None, requires_grad=False, **_):
    return _new_filled(0)(self, *size, dtype=dtype, requires_grad=requires_grad)


Tensor.new = _legacy_new
Tensor.new_empty_strided = _new_empty_strided

_tensor_type = Tensor.type


def _type(self, dtype=None, non_blocking=False, **kwargs):
    """x.type() names the tensor type; x.type(torch.FloatTensor / 'torch.FloatTensor' / torch.float32) converts"""
    dt = legacy_dtype(dtype)
    return _tensor_type(self, dt if dt is not None else dtype, non_blocking)


Tensor.type = _type


def _apply_(self, fn):
    """x.apply_(f): f on every element, in place (a Python call per element, as in PyTorch; CPU only)"""
    if self._rg and self.grad_fn is None:
        raise RuntimeError("Can't call apply_() on Variable that requires grad. Use var.detach().apply_() instead.")
    flat = self._data.reshape(-1)
    flat[...] = np.fromiter((fn(v) for v in flat.tolist()), dtype=self._data.dtype, count=flat.size)
    if not np.shares_memory(flat, self._data):
        self._data[...] = flat.reshape(self._data.shape)
    self._bump()
    return self


def _map_(self, other, fn):
    """x.map_(y, f): x[i] = f(x[i], y[i]) with y broadcast to x, in place"""
    if self._rg and self.grad_fn is None:
        raise RuntimeError("Can't call map_() on Variable that requires grad. Use var.detach().map_() instead.")
    o = np.broadcast_to(other._data, self._data.shape).reshape(-1).tolist()
    vals = np.fromiter((fn(a, b) for a, b in zip(self._data.reshape(-1).tolist(), o)), dtype=self._data.dtype,
                       count=self._data.size)
    self._data[...] = vals.reshape(self._data.shape)
    self._bump()
    return self


def _map2_(self, x, y, fn):
    xs = np.broadcast_to(x._data, self._data.shape).reshape(-1).tolist()
    ys = np.broadcast_to(y._data, self._data.shape).reshape(-1).tolist()
    vals = np.fromiter((fn(a, b, c) for a, b, c in zip(self._data.reshape(-1).tolist(), xs, ys)),
                       dtype=self._data.dtype, count=self._data.size)
    self._data[...] = vals.reshape(self._data.shape)
    self._bump()
    return self


Tensor.apply_ = _apply_
Tensor.map_ = _map_
Tensor.map2_ = _map2_


def _resize_(self, *sizes, memory_format=None):
    """x.resize_(shape): keep the leading elements in row-major order, new ones zero (PyTorch leaves them
    uninitialised)"""
    shape = dims._shape_arg(sizes)
    if self._rg:
        raise RuntimeError("cannot resize variables that require grad")
    n = int(np.prod(shape)) if shape else 1
    flat = self._data.reshape(-1)
    new = np.zeros(n, dtype=self._data.dtype)
    k = min(n, flat.size)
    new[:k] = flat[:k]
    self._data = new.reshape(shape)
    self._bump()
    return self


Tensor.resize_ = _resize_
Tensor.resize_as_ = lambda self, other, memory_format=None: _resize_(self, tuple(other.shape))
Tensor.resize = lambda self, *sizes: _resize_(self.detach().clone(), *sizes)
Tensor.resize_as = lambda self, other: _resize_(self.detach().clone(), tuple(other.shape))


def _as_strided(self, size, stride, storage_offset=None):
    """A read-only strided window over x's elements (strides in elements, as PyTorch)"""
    base = self._data if self._base is None else self._base._data
    base = np.ascontiguousarray(base).reshape(-1) if self._base is None else base.reshape(-1)
    off = self.storage_offset() if storage_offset is None else storage_offset
    item = base.itemsize
    view = np.lib.stride_tricks.as_strided(base[off:], tuple(size), tuple(s * item for s in stride),
                                           writeable=False)
    idx = np.lib.stride_tricks.as_strided(np.arange(base.size)[off:], tuple(size),
                                          tuple(s * 8 for s in stride), writeable=False)
    if record._gm.enabled and self._rg:
        return self.reshape(-1)[_wrap(np.ascontiguousarray(idx))] if self._base is None else _wrap(view.copy())
    return _wrap(view)


Tensor.as_strided = _as_strided

# in-place forms of out-of-place methods: compute, then write into self (version bump, history taken over)


def _inplace_of(method_name):
    def method(self, *args, **kwargs):
        ops.check_inplace(self)
        return ops.apply_inplace(self, getattr(Tensor, method_name)(self, *args, **kwargs))
    method.__name__ = method_name + "_"
    return method


for _name in ("acosh", "asinh", "atanh", "arccos", "arcsin", "arctan", "arctan2", "bitwise_and", "bitwise_or",
              "bitwise_xor", "bitwise_not", "bitwise_left_shift", "bitwise_right_shift", "cumsum", "cumprod",
              "deg2rad", "rad2deg", "digamma", "erfc", "erfinv", "exp2", "fix", "float_power", "gcd", "lcm",
              "hypot", "heaviside", "i0", "ldexp", "lgamma", "logit", "sgn", "sinc", "xlogy", "copysign",
              "nextafter", "mvlgamma", "renorm", "scatter_reduce", "index_reduce", "put", "igamma", "igammac",
              "addmm", "addmv", "addbmm", "baddbmm", "addr", "logical_and", "logical_or", "logical_xor",
              "arccosh", "arcsinh", "arctanh", "polygamma"):
    if not hasattr(Tensor, _name + "_"):
        setattr(Tensor, _name + "_", _inplace_of(_name))
Tensor.arccosh = ops.acosh
Tensor.arcsinh = ops.asinh
Tensor.arctanh = ops.atanh
Tensor.swapaxes_ = Tensor.transpose_
Tensor.swapdims_ = Tensor.transpose_


def _compare_inplace(fn):
    def method(self, other):
        """x.eq_(y): the comparison written into x as x's dtype (1 / 0)"""
        ops.check_inplace(self)
        r = fn(self, other)
        self._data[...] = r._data.astype(self._data.dtype)
        self._bump()
        return self
    method.__name__ = fn.__name__ + "_"
    return method


for _name, _fn in (("eq", ops.eq), ("ne", ops.ne), ("lt", ops.lt), ("le", ops.le), ("gt", ops.gt), ("ge", ops.ge),
                   ("greater", ops.gt), ("greater_equal", ops.ge), ("less", ops.lt), ("less_equal", ops.le),
                   ("not_equal", ops.ne)):
    setattr(Tensor, _name + "_", _compare_inplace(_fn))


def _inplace_fn(method: str):
    def fn(x, *args, **kwargs):
        return getattr(x, method)(*args, **kwargs)
    fn.__name__ = method
    return fn


INPLACE_FUNCTIONS = ["abs_", "acos_", "acosh_", "asin_", "asinh_", "atan_", "atanh_", "ceil_", "cos_", "cosh_",
                     "erf_", "erfc_", "exp_", "exp2_", "expm1_", "floor_", "frac_", "log_", "log10_", "log1p_",
                     "log2_", "neg_", "negative_", "reciprocal_", "round_", "rsqrt_", "sin_", "sinh_", "sqrt_",
                     "square_", "tan_", "trunc_", "fix_", "clamp_max_", "clamp_min_", "clip_", "fill_", "sinc_",
                     "deg2rad_", "rad2deg_", "gcd_", "lcm_", "ldexp_", "logit_", "xlogy_", "i0_", "detach_",
                     "nan_to_num_", "arccos_", "arccosh_", "arcsin_", "arcsinh_", "arctan_", "arctanh_",
                     "index_put_"]


def clamp_(x, min=None, max=None):
    return x.clamp_(min, max)


def sigmoid_(x):
    return x.sigmoid_()


def relu_(x):
    return x.relu_()


def tanh_(x):
    return x.tanh_()


def zero_(x):
    return x.zero_()
