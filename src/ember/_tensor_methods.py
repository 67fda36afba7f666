"""Operators and methods of ``Tensor``: thin bindings to the primitives in ``autograd.functions``.

Kept apart from ``tensor.py`` so that file reads as the data structure; this one is the method table.
"""

from __future__ import annotations

from ._array import np
from .autograd import _indexing as I
from .autograd import functions as F
from .tensor import Tensor, _wrap

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
    """``self <op> other`` straight into ``_binary`` (self is a Tensor, so F.add/mul/sub's own conversions
    are no-ops): one Python frame less per operator, a quarter of a small op's dispatch."""
    binary = F._binary

    def op(a, b):
        if not isinstance(b, _OPERAND):
            return NotImplemented
        if check is not None:
            check(a, b)
        return binary(a, b, ufunc, node_cls, saved_mode)
    return op


Tensor.__add__ = Tensor.__radd__ = _direct(np.add, F.AddBackward0, None)
Tensor.__add__.__name__ = "add"
Tensor.__sub__ = _direct(np.subtract, F.SubBackward0, None, F._check_bool_sub)
Tensor.__sub__.__name__ = "sub"
Tensor.__rsub__ = _operator(F.rsub)
Tensor.__mul__ = Tensor.__rmul__ = _direct(np.multiply, F.MulBackward0, "ab")
Tensor.__mul__.__name__ = "mul"
Tensor.__truediv__ = _operator(F.div)
Tensor.__rtruediv__ = _operator(F.rdiv)
Tensor.__floordiv__ = _operator(F.floor_divide)
Tensor.__rfloordiv__ = _operator(lambda a, b: F.floor_divide(F.as_tensor_arg(b), a))
Tensor.__mod__ = _operator(F.remainder)
Tensor.__rmod__ = _operator(lambda a, b: F.remainder(F.as_tensor_arg(b), a))
Tensor.__pow__ = _operator(F.pow)
Tensor.__rpow__ = _operator(F.rpow)
Tensor.__matmul__ = F.matmul
Tensor.__rmatmul__ = lambda a, b: F.matmul(F.as_tensor_arg(b), a)
Tensor.__neg__ = F.neg
Tensor.__pos__ = F.positive
Tensor.__abs__ = F.abs
Tensor.__invert__ = lambda a: F.logical_not(a) if a._data.dtype == np.bool_ else F.bitwise_not(a)
Tensor.__eq__ = F.eq
Tensor.__ne__ = F.ne
Tensor.__lt__ = F.lt
Tensor.__le__ = F.le
Tensor.__gt__ = F.gt
Tensor.__ge__ = F.ge
# bitwise after PyTorch's promotion (on bools that is the logical op): mask & 1 is int64, as in torch
Tensor.__and__ = F.bitwise_and
Tensor.__or__ = F.bitwise_or
Tensor.__xor__ = F.bitwise_xor
Tensor.__rand__ = Tensor.__and__
Tensor.__ror__ = Tensor.__or__
Tensor.__rxor__ = Tensor.__xor__
Tensor.__getitem__ = I.getitem
Tensor.__setitem__ = I.setitem
Tensor.__hash__ = lambda self: id(self)

# -- methods that are the function with the tensor first ------------------------------------------------

_SAME = ["add", "sub", "mul", "div", "pow", "floor_divide", "remainder", "fmod", "maximum", "minimum", "atan2", "eq", "ne", "lt", "le", "gt", "ge", "logical_and", "logical_or", "logical_xor", "logical_not", "bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_not", "isnan", "isinf", "isfinite", "isclose", "allclose", "equal", "exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "sqrt", "rsqrt", "reciprocal", "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh", "sigmoid", "erf", "neg", "abs", "relu", "floor", "ceil", "trunc", "sign", "frac", "round", "square", "clamp", "clip", "clamp_min", "clamp_max", "lerp", "addcmul", "addcdiv", "nan_to_num", "sum", "sum_to_size", "mean", "prod", "max", "min", "amax", "amin", "argmax", "argmin", "var", "std", "logsumexp", "norm", "cumsum", "cumprod", "all", "any", "count_nonzero", "softmax", "log_softmax", "mm", "addmm", "mv", "dot", "bmm", "matmul", "outer", "ger", "view", "view_as", "reshape", "reshape_as", "flatten", "unflatten", "squeeze", "unsqueeze", "transpose", "swapaxes", "swapdims", "t", "permute", "movedim", "moveaxis", "expand", "expand_as", "broadcast_to", "clone", "contiguous", "repeat", "tile", "repeat_interleave", "flip", "fliplr", "flipud", "roll", "tril", "triu", "diag", "diagonal", "trace", "narrow", "select", "split", "chunk", "tensor_split", "unbind", "sort", "argsort", "msort", "topk", "kthvalue", "median", "unique", "index_select", "gather", "scatter", "scatter_add", "masked_fill", "masked_select", "masked_scatter", "nonzero", "take", "take_along_dim", "index_add", "index_fill", "index_copy", "index_put", "conj", "positive", "diagonal_scatter", "slice_scatter", "select_scatter"]

for _name in _SAME:
    setattr(Tensor, _name, getattr(F, _name))

Tensor.absolute = F.abs
Tensor.negative = F.neg
Tensor.arcsin, Tensor.arccos, Tensor.arctan = F.asin, F.acos, F.atan
Tensor.arctan2 = F.atan2
Tensor.subtract, Tensor.multiply, Tensor.divide, Tensor.true_divide = F.sub, F.mul, F.div, F.div
Tensor.greater, Tensor.greater_equal, Tensor.less, Tensor.less_equal = F.gt, F.ge, F.lt, F.le
Tensor.not_equal = F.ne
Tensor.concat = F.cat
Tensor.dist = lambda a, b, p=2: F.norm(a - b, p)
Tensor.where = lambda a, condition, other: F.where(condition, a, other)
Tensor.sgn = lambda x: F._renamed(F.sign(x), "SgnBackward0")
Tensor.fix = F.trunc


def _from_compat(name):
    # _compat imports this module's Tensor, so its functions are looked up on first call
    def method(self, *args, **kwargs):
        from . import _compat
        return getattr(_compat, name)(self, *args, **kwargs)
    method.__name__ = name
    return method


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
            self.grad_fn, self._output_nr = F._renamed(r, name).grad_fn, 0
        return self
    method.__name__ = fn.__name__ + "_"
    return method


def _squeeze_node_name(args):
    if not args:
        return "SqueezeBackward3"
    return "SqueezeBackward5" if isinstance(args[0], (tuple, list)) else "SqueezeBackward4"


Tensor.squeeze_ = _inplace_view(F.squeeze, _squeeze_node_name)
Tensor.unsqueeze_ = _inplace_view(F.unsqueeze, "UnsqueezeBackward1")
Tensor.t_ = _inplace_view(F.t, "TBackward1")
Tensor.transpose_ = _inplace_view(F.transpose, "TransposeBackward1")



def _new_tensor(self, data, dtype=None, device=None, requires_grad=False):
    from ._creation import tensor
    return tensor(data, dtype=dtype if dtype is not None else self.dtype, requires_grad=requires_grad)


def _new_filled(fill):
    def method(self, *size, dtype=None, device=None, requires_grad=False, **_):
        shape = F._shape_arg(size)
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
        F.check_inplace(self)
        return F.apply_inplace(self, fn(self, *args, **kwargs))
    method.__name__ = fn.__name__ + "_"
    return method


for _name in _INPLACE:
    setattr(Tensor, _name + "_", _make_inplace(getattr(F, _name)))

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


class FillBackward2(F.Node):
    """x.fill_(v): the old values are gone, so their gradient is zero"""

    def backward(self, g):
        return (g * 0,)


class ZeroBackward0(FillBackward2):
    """x.zero_(): zero gradient to the old values"""


def _fill_(self, value, _node=FillBackward2):
    F.check_inplace(self)
    if isinstance(value, Tensor):
        if value.ndim != 0:
            raise RuntimeError(f"fill_ only supports 0-dimension value tensor but got tensor with {value.ndim} "
                               "dimensions.")
        value = value._data
    if self._rg and F._gm.enabled:
        # PyTorch keeps the tensor in the graph (requires_grad stays True) with a zero-gradient node
        return F.apply_inplace(self, F._out(np.full_like(self._data, value), _node, (self,)))
    self._data[...] = value
    self._bump()
    return self


def _zero_(self):
    return _fill_(self, 0, ZeroBackward0)


def _copy_(self, src, non_blocking=False):
    """self[...] = src (broadcast, dtype-converted), recorded for autograd"""
    F.check_inplace(self)
    if not isinstance(src, Tensor):
        src = F.as_tensor_arg(src)
    try:
        np.broadcast_to(src._data, self._data.shape)
    except ValueError:
        try:
            full = np.broadcast_shapes(self.shape, src.shape)
        except ValueError:
            raise RuntimeError(F._bcast_message(self.shape, src.shape)) from None
        raise RuntimeError(f"output with shape [{', '.join(map(str, self.shape))}] doesn't match the broadcast "
                           f"shape [{', '.join(map(str, full))}]") from None
    if F._gm.enabled and (src._rg or self._rg):
        r = F.copy_from(self, src)
        return F.apply_inplace(self, r)
    np.copyto(self._data, src._data, casting="unsafe")
    self._bump()
    return self


Tensor.fill_ = _fill_
Tensor.zero_ = _zero_
Tensor.copy_ = _copy_


# -- random in-place fills (ember.random draws PyTorch's streams) ------------------------------------------

def _uniform_(self, a=0.0, b=1.0, *, generator=None):
    from . import random as R
    return R._fill(self, "uniform", generator, a, b)


def _normal_(self, mean=0.0, std=1.0, *, generator=None):
    from . import random as R
    return R._fill(self, "normal", generator, mean, std)


def _random_(self, from_=None, to=None, *, generator=None):
    from . import random as R
    return R._fill(self, "random", generator, from_, to)


def _exponential_(self, lambd=1.0, *, generator=None):
    from . import random as R
    return R._fill(self, "exponential", generator, lambd)


def _geometric_(self, p, *, generator=None):
    from . import random as R
    return R._fill(self, "geometric", generator, p)


def _log_normal_(self, mean=1.0, std=2.0, *, generator=None):
    from . import random as R
    return R._fill(self, "log_normal", generator, mean, std)


def _cauchy_(self, median=0.0, sigma=1.0, *, generator=None):
    from . import random as R
    return R._fill(self, "cauchy", generator, median, sigma)


def _bernoulli_(self, p=0.5, *, generator=None):
    from . import random as R
    return R._fill(self, "bernoulli", generator, p)


def _bernoulli(self, p=None, *, generator=None):
    from . import random as R
    return R.bernoulli(self, p, generator=generator)


def _multinomial(self, num_samples, replacement=False, *, generator=None):
    from . import random as R
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
    # _extra_ops imports tensor.py, which imports this module: resolve on first call
    def method(self, *args, **kwargs):
        from . import _extra_ops
        return getattr(_extra_ops, attr or name)(self, *args, **kwargs)
    method.__name__ = name
    return method


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
Tensor.adjoint = lambda self: F.transpose(self, -2, -1).conj() if self.is_complex() else F.transpose(self, -2, -1)
Tensor.is_nonzero = _from_compat("is_nonzero")
Tensor.conj_physical = F.conj
Tensor.narrow_copy = lambda self, dim, start, length: F.narrow(self, dim, start, length).clone()
Tensor.unsafe_chunk = F.chunk
Tensor.unsafe_split = F.split
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
    from ._extra_ops import _LEGACY
    cls = next((c for c in _LEGACY.values() if c._dtype == self.dtype), None)
    return cls(*args) if cls is not None else _wrap(np.zeros(args, dtype=self._data.dtype))


def _new_empty_strided(self, size, stride, *, dtype=None, device=None, requires_grad=False, **_):
    return _new_filled(0)(self, *size, dtype=dtype, requires_grad=requires_grad)


Tensor.new = _legacy_new
Tensor.new_empty_strided = _new_empty_strided

_tensor_type = Tensor.type


def _type(self, dtype=None, non_blocking=False, **kwargs):
    """x.type() names the tensor type; x.type(torch.FloatTensor / 'torch.FloatTensor' / torch.float32) converts"""
    from ._extra_ops import legacy_dtype
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
    shape = F._shape_arg(sizes)
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
    if F._gm.enabled and self._rg:
        return self.reshape(-1)[_wrap(np.ascontiguousarray(idx))] if self._base is None else _wrap(view.copy())
    return _wrap(view)


Tensor.as_strided = _as_strided

# in-place forms of out-of-place methods: compute, then write into self (version bump, history taken over)


def _inplace_of(method_name):
    def method(self, *args, **kwargs):
        F.check_inplace(self)
        return F.apply_inplace(self, getattr(Tensor, method_name)(self, *args, **kwargs))
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
Tensor.arccosh = F.acosh
Tensor.arcsinh = F.asinh
Tensor.arctanh = F.atanh
Tensor.swapaxes_ = Tensor.transpose_
Tensor.swapdims_ = Tensor.transpose_


def _compare_inplace(fn):
    def method(self, other):
        """x.eq_(y): the comparison written into x as x's dtype (1 / 0)"""
        F.check_inplace(self)
        r = fn(self, other)
        self._data[...] = r._data.astype(self._data.dtype)
        self._bump()
        return self
    method.__name__ = fn.__name__ + "_"
    return method


for _name, _fn in (("eq", F.eq), ("ne", F.ne), ("lt", F.lt), ("le", F.le), ("gt", F.gt), ("ge", F.ge),
                   ("greater", F.gt), ("greater_equal", F.ge), ("less", F.lt), ("less_equal", F.le),
                   ("not_equal", F.ne)):
    setattr(Tensor, _name + "_", _compare_inplace(_fn))
