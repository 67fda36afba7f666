"""Elementwise ops with extra arguments: where, clamp, lerp, addcmul, addcdiv, nan_to_num, heaviside.

Each op is one block: its node (the derivative in the docstring's first line; ``backward`` and, beside it, ``jvp``,
the same derivative used for tangents), the function, its exposure."""

from __future__ import annotations

import builtins

from .. import kernels as K
from .._array import np
from .._core import dtype as D
from .._core import modes
from .._core.args import _promote_pair, _scalar, _tensor_arg
from .._core.exposure import expose
from .._core.messages import _bcast_message, _cname, _long_name
from .._core.node import Node
from .._core.record import _record_on_result, _requires, _tangents_of, _wrap_result
from .._core.sigs import Sigs
from .._core.tensor import Tensor, _wrap
from .compare import isfinite
from .creation import as_tensor_arg
from .index import NotImplemented, nonzero

_fw = modes.forward

__all__ = ["clamp", "clip", "clamp_min", "clamp_max", "where", "lerp", "addcmul", "addcdiv", "nan_to_num",
           "heaviside", "apply_", "map_", "map2_"]

# every op here maps element i of its operands to element i of its result, and no error depends on the values:
# an in-place form with nothing to record may run block by block (ops.inplace._in_blocks)
INPLACE_IN_BLOCKS = True


def _plus(x, y):
    """x + y where either may be None (a missing gradient or tangent)"""
    if x is None:
        return y
    return x if y is None else x + y


def _broadcast_shape(*shapes):
    """The shape the operands broadcast to, or PyTorch's error naming the first pair (left to right) that
    does not broadcast"""
    out = shapes[0]
    for s in shapes[1:]:
        try:
            out = np.broadcast_shapes(out, s)
        except ValueError:
            raise RuntimeError(_bcast_message(out, s)) from None
    return out


def _pick(mask, t):
    """t where mask holds, 0 elsewhere; None (no tangent) stays None"""
    return None if t is None else where(mask, t, 0.0)


def _refuse_forward_ad(op, *inputs):
    """PyTorch raises at the op in forward mode when it has no tangent formula (the error is not deferred)."""
    if _fw.level is not None and _tangents_of(inputs) is not None:
        raise NotImplementedError(f"Trying to use forward AD with aten::{op} that does not support it.")


# =====================================================================================================
# clamp, clamp_min, clamp_max
# =====================================================================================================

class ClampBackward1(Node):
    """y = min(max(x, lo), hi) with number bounds:  dy/dx = [lo <= x <= hi]"""

    def _inside(self):
        x, lo, hi = self.saved_values()
        mask = None if lo is None else x >= lo
        if hi is not None:
            mask = x <= hi if mask is None else mask & (x <= hi)
        return mask

    def backward(self, g):
        return (where(self._inside(), g, 0.0),)  # where, not g * mask: no -0.0 where g < 0, as PyTorch

    def jvp(self, t):
        return where(self._inside(), t, 0.0)


class ClampMinBackward0(ClampBackward1):
    """y = max(x, lo) with a number lo:  dy/dx = [x >= lo]"""


class ClampMaxBackward0(ClampBackward1):
    """y = min(x, hi) with a number hi:  dy/dx = [x <= hi]"""


class ClampBackward0(Node):
    """y = min(max(x, lo), hi) with tensor bounds:  dy/dx = [lo <= x <= hi], dy/dlo = [x < lo < hi],
    dy/dhi = [x > hi or hi < lo]  (PyTorch's choice where they tie: x's own value wins, nothing if lo = hi)"""

    def backward(self, g):
        x, lo, hi = self.saved_values()
        if lo is None:
            return (_pick(x <= hi, g), None, _pick(x > hi, g))
        if hi is None:
            return (_pick(x >= lo, g), _pick(x < lo, g), None)
        return (_pick((x >= lo) & (x <= hi), g) if self.next[0] is not None else None,
                _pick((x < lo) & (lo < hi), g) if self.next[1] is not None else None,
                _pick((x > hi) | (hi < lo), g) if self.next[2] is not None else None)

    def jvp(self, tx, tlo, thi):
        # PyTorch's forward formula, which breaks ties otherwise than its backward: the bound's tangent wins
        x, lo, hi = self.saved_values()
        if lo is None:
            return _choose(x < hi, tx, thi)
        if hi is None:
            return _choose(x > lo, tx, tlo)
        return _choose(lo > hi, thi, _choose(x < lo, tlo, _choose(x > hi, thi, tx)))


class ClampMinBackward1(Node):
    """y = max(x, lo) with a tensor lo:  dy/dx = [x >= lo], dy/dlo = [x < lo]"""

    def backward(self, g):
        x, lo = self.saved_values()
        return (_pick(x >= lo, g) if self.next[0] is not None else None,
                _pick(x < lo, g) if self.next[1] is not None else None)

    def jvp(self, tx, tlo):
        x, lo = self.saved_values()
        return _choose(x >= lo, tx, tlo)


class ClampMaxBackward1(Node):
    """y = min(x, hi) with a tensor hi:  dy/dx = [x <= hi], dy/dhi = [x > hi]"""

    def backward(self, g):
        x, hi = self.saved_values()
        return (_pick(x <= hi, g) if self.next[0] is not None else None,
                _pick(x > hi, g) if self.next[1] is not None else None)

    def jvp(self, tx, thi):
        x, hi = self.saved_values()
        return _choose(x <= hi, tx, thi)


def _choose(mask, a, b):
    """where(mask, a, b) for tangents that may be None (zero)"""
    if a is None and b is None:
        return None
    return where(mask, 0.0 if a is None else a, 0.0 if b is None else b)


def _clamp_dtype(x, bounds):
    dims, zeros = [], []
    for t in (x,) + bounds:
        if t is not None:
            (dims if t._data.ndim else zeros).append(D.from_numpy_dtype(t._data.dtype))
    return D.result_type_of(dims, zeros, []).np


def _clamp_invalid(name, x, lo, hi):
    """PyTorch's binding takes both bounds as tensors or both as numbers"""
    def kind(v):
        return "Tensor" if isinstance(v, Tensor) else type(v).__name__
    got = ", ".join(["Tensor"] + [f"{k}={kind(v)}" for k, v in (("max", hi), ("min", lo)) if v is not None])
    return TypeError(f"{name}() received an invalid combination of arguments - got ({got}), but expected one of:\n"
                     " * (Tensor input, Tensor min = None, Tensor max = None, *, Tensor out = None)\n"
                     " * (Tensor input, Number min = None, Number max = None, *, Tensor out = None)\n")


def _clamp_tensors(x, lo, hi, node_cls, saved):
    dt = _clamp_dtype(x, (lo, hi))
    _broadcast_shape(*(t._data.shape for t in (x, lo, hi) if t is not None))
    r = x._data.astype(dt, copy=False)
    if lo is not None:
        r = np.maximum(r, lo._data.astype(dt, copy=False))
    if hi is not None:
        r = np.minimum(r, hi._data.astype(dt, copy=False))
    shp = r.shape
    inputs = tuple(t for t in (x, lo, hi) if t is not None) if node_cls is not ClampBackward0 else (x, lo, hi)
    ins = None
    if builtins.any(t is not None and t._data.shape != shp for t in (x, lo, hi)):
        ins = tuple(None if t is None else t._data.shape for t in inputs)
    return _wrap_result(np.asarray(r), node_cls, inputs, saved=saved, in_shapes=ins)


def _clamp_numbers(x, lo, hi, node_cls):
    xd = x._data
    if (isinstance(lo, float) or isinstance(hi, float)) and xd.dtype.kind not in "fc":
        xd = xd.astype(D.get_default_dtype().np)
    elif xd.dtype.kind == "b":
        xd = xd.astype(np.int64)
    if lo is not None:
        r = np.maximum(xd, lo)
        if hi is not None:
            r = np.minimum(r, hi, out=r) if isinstance(r, np.ndarray) and r.ndim else np.minimum(r, hi)
    else:
        r = np.minimum(xd, hi)
    return _wrap_result(np.asarray(r).astype(xd.dtype, copy=False), node_cls, (x,), saved=(x, lo, hi))


_CLAMP = Sigs("clamp", "(Tensor input, Tensor min = None, Tensor max = None, *, Tensor out = None)",
              "(Tensor input, Number min = None, Number max = None, *, Tensor out = None)")


def clamp(x, min=None, max=None):
    """min(max(x, lo), hi) elementwise; either bound may be absent, numbers or tensors (broadcast)"""
    if type(x) is not Tensor or not (min is None or type(min) is float or type(min) is int or type(min) is Tensor) \
            or not (max is None or type(max) is float or type(max) is int or type(max) is Tensor):
        _CLAMP.check_call(clamp, x, min, max)
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    if x._data.dtype.kind == "c":
        raise NotImplementedError("clamp is not supported for complex types")
    lo_t, hi_t = isinstance(min, Tensor), isinstance(max, Tensor)
    if lo_t or hi_t:
        if (min is not None and not lo_t) or (max is not None and not hi_t):
            raise _clamp_invalid("clamp", x, min, max)
        return _clamp_tensors(x, min, max, ClampBackward0, (x, min, max))
    if isinstance(min, (str, bytes, list, tuple, dict)) or isinstance(max, (str, bytes, list, tuple, dict)):
        raise _clamp_invalid("clamp", x, min, max)  # a string or a list: neither overload takes it
    return _clamp_numbers(x, _scalar(min), _scalar(max), ClampBackward1)

expose(clamp, torch=('clamp', 'clip'), method=('clamp', 'clip'), inplace=('clamp_', 'clip_'), out=True)


clip = clamp


def _number_bounds(args, kwargs) -> bool:
    """clamp_ with number bounds reports a failed cast with C++'s type names ("long int"), with tensors PyTorch's"""
    return not builtins.any(isinstance(v, Tensor) for v in (*args, *kwargs.values()))




def clamp_min(x, min):
    """max(x, lo) elementwise, lo a number or a tensor"""
    if isinstance(min, Tensor):
        return _clamp_tensors(x, min, None, ClampMinBackward1, (x, min))
    if x._data.dtype.kind == "c":
        raise NotImplementedError("clamp is not supported for complex types")
    return _clamp_numbers(x, _scalar(min), None, ClampMinBackward0)

expose(clamp_min, method=True, inplace=True, out=True)


def clamp_max(x, max):
    """min(x, hi) elementwise, hi a number or a tensor"""
    if isinstance(max, Tensor):
        return _clamp_tensors(x, None, max, ClampMaxBackward1, (x, max))
    if x._data.dtype.kind == "c":
        raise NotImplementedError("clamp is not supported for complex types")
    return _clamp_numbers(x, None, _scalar(max), ClampMaxBackward0)

expose(clamp_max, method=True, inplace=True, out=True)

for _fn in (clamp, clamp_min, clamp_max):
    _fn.cast_error_c_names = _number_bounds


# =====================================================================================================
# where
# =====================================================================================================

class WhereBackward0(Node):
    """z = where(c, a, b):  dz/da = [c], dz/db = [not c]  (the gradient flows to a where c holds, to b elsewhere)"""

    def backward(self, g):
        (cond,) = self.saved_values()
        ga = where(cond, g, 0.0) if self.next[0] is not None else None
        gb = where(cond, 0.0, g) if self.next[1] is not None else None
        return (ga, gb)

    def jvp(self, ta, tb):
        (cond,) = self.saved_values()
        return _choose(cond, ta, tb)


_WHERE = Sigs("where", "(Tensor condition)", "(Tensor condition, Tensor input, Tensor other, *, Tensor out = None)",
              "(Tensor condition, Number self, Tensor other)", "(Tensor condition, Tensor input, Number other)",
              "(Tensor condition, Number self, Number other)")


def where(cond, a=None, b=None):
    """elementwise ``a if cond else b``"""
    if type(cond) is not Tensor or (type(a) is not Tensor and type(a) is not float and type(a) is not int) or (
            type(b) is not Tensor and type(b) is not float and type(b) is not int):
        _WHERE.check(cond) if a is None and b is None else _WHERE.check(cond, a, b)
    if a is None and b is None:
        return nonzero(cond, as_tuple=True)
    cond = as_tensor_arg(cond)
    if cond._data.dtype != np.bool_:
        raise RuntimeError(f"where expected condition to be a boolean tensor, but got a tensor with dtype "
                           f"{_long_name(cond.dtype)}")
    at = isinstance(a, Tensor)
    bt = isinstance(b, Tensor)
    if at:
        ad, bd = _promote_pair(a, b)
    elif bt:
        bd, ad = _promote_pair(b, a)
    else:
        a_, b_ = as_tensor_arg(a), b
        ad, bd = _promote_pair(a_, b_)
    cd = cond._data
    if cd.dtype != np.bool_:
        cd = cd.astype(bool)
    try:
        r = np.where(cd, ad, bd)
    except ValueError:
        # name the first pair that fails, in PyTorch's order: condition with self, then with other
        try:
            first = np.broadcast_shapes(cd.shape, np.shape(ad))
        except ValueError:
            raise RuntimeError(_bcast_message(cd.shape, np.shape(ad))) from None
        raise RuntimeError(_bcast_message(first, np.shape(bd))) from None
    if r.dtype != np.result_type(ad, bd) and np.ndim(ad):
        r = r.astype(np.asarray(ad).dtype)
    ta = a if at else None
    tb = b if bt else None
    if not _requires(ta, tb):
        return _wrap(np.asarray(r))
    shp = r.shape
    in_shapes = None
    if (at and a.shape != shp) or (bt and b.shape != shp):
        in_shapes = (a.shape if at else None, b.shape if bt else None)
    node_inputs = (ta, tb)
    t = _wrap(np.asarray(r))
    _record_on_result(t, WhereBackward0, node_inputs, saved=(cond,), versions=(None,), in_shapes=in_shapes)
    return t

expose(where, out=True)


# =====================================================================================================
# lerp, addcmul, addcdiv
# =====================================================================================================

class LerpBackward0(Node):
    """y = a + w (b - a) with a number w:  dy/da = 1 - w, dy/db = w"""

    def backward(self, g):
        w = self.weight
        return (g * (1 - w) if self.next[0] is not None else None, g * w if self.next[1] is not None else None)

    def jvp(self, ta, tb):
        w = self.weight
        return _plus(None if ta is None else ta * (1 - w), None if tb is None else tb * w)


class LerpBackward1(Node):
    """y = a + w (b - a) with a tensor w:  dy/da = 1 - w, dy/db = w, dy/dw = b - a"""

    def backward(self, g):
        a, b, w = self.saved_values()
        return (g * (1 - w) if self.next[0] is not None else None,
                g * w if self.next[1] is not None else None,
                g * (b - a) if self.next[2] is not None else None)

    def jvp(self, ta, tb, tw):
        a, b, w = self.saved_values()
        return _plus(_plus(None if ta is None else ta * (1 - w), None if tb is None else tb * w),
                     None if tw is None else tw * (b - a))


def _lerp_values(ad, bd, wd):
    """PyTorch's kernel: a + w (b - a) for |w| < 1/2, b - (b - a)(1 - w) beyond (exact at w = 1)"""
    diff = bd - ad
    if np.ndim(wd) == 0:
        return K.fma(wd, diff, ad) if builtins.abs(wd) < 0.5 else K.fma(wd - 1, diff, bd)  # fused, as PyTorch's
    small = np.abs(wd) < 0.5
    return K.fma(np.where(small, wd, wd - 1), diff, np.where(small, ad, bd))


def _same_dtype(name, x, other):
    if isinstance(other, Tensor) and other._data.dtype != x._data.dtype:
        raise RuntimeError(f"expected dtype {_cname(x)} for `{name}` but got dtype {_cname(other)}")


_LERP = Sigs("lerp", "(Tensor input, Tensor end, Tensor weight, *, Tensor out = None)",
             "(Tensor input, Tensor end, Number weight, *, Tensor out = None)")


def lerp(a, b, weight):
    """a + weight (b - a): linear interpolation from a (weight 0) to b (weight 1)"""
    if type(a) is not Tensor or type(b) is not Tensor or (type(weight) is not float and type(weight) is not Tensor):
        _LERP.check(a, b, weight)
    b = as_tensor_arg(b)
    _same_dtype("end", a, b)
    _same_dtype("weight", a, weight)
    if a._data.dtype.kind not in "fc":
        raise NotImplementedError(f"\"lerp_kernel_{'tensor' if isinstance(weight, Tensor) else 'scalar'}\" "
                                  f"not implemented for '{_long_name(a.dtype)}'")
    ad, bd = a._data, b._data
    if isinstance(weight, Tensor):
        wd = weight._data
        _broadcast_shape(ad.shape, bd.shape, wd.shape)
        r = _lerp_values(ad, bd, wd)
        shp = r.shape
        ins = (a.shape, b.shape, weight.shape) if (a.shape != shp or b.shape != shp or weight.shape != shp) else None
        return _wrap_result(r.astype(ad.dtype, copy=False), LerpBackward1, (a, b, weight), saved=(a, b, weight),
                    in_shapes=ins)
    w = _scalar(weight)
    _broadcast_shape(ad.shape, bd.shape)
    r = np.asarray(_lerp_values(ad, bd, ad.dtype.type(w))).astype(ad.dtype, copy=False)
    shp = r.shape
    return _wrap_result(r, LerpBackward0, (a, b), in_shapes=(a.shape, b.shape) if (a.shape != shp or b.shape != shp)
                else None, weight=w)

expose(lerp, method=True, inplace=True, out=True)


class AddcmulBackward0(Node):
    """y = x + v t1 t2:  dy/dx = 1, dy/dt1 = v t2, dy/dt2 = v t1"""

    def backward(self, g):
        t1, t2 = self.saved_values()
        v = self.value
        gv = g if v == 1 else g * v
        return (g if self.next[0] is not None else None,
                gv * t2 if self.next[1] is not None else None,
                gv * t1 if self.next[2] is not None else None)

    def jvp(self, tx, t1t, t2t):
        t1, t2 = self.saved_values()
        v = self.value
        d = _plus(None if t1t is None else t1t * t2, None if t2t is None else t1 * t2t)
        return _plus(tx, None if d is None else (d if v == 1 else d * v))


class AddcdivBackward0(Node):
    """y = x + v t1 / t2:  dy/dx = 1, dy/dt1 = v / t2, dy/dt2 = -v t1 / t2²"""

    def backward(self, g):
        t1, t2 = self.saved_values()
        v = self.value
        gv = g if v == 1 else g * v
        return (g if self.next[0] is not None else None,
                gv / t2 if self.next[1] is not None else None,
                -gv * t1 / (t2 * t2) if self.next[2] is not None else None)

    def jvp(self, tx, t1t, t2t):
        t1, t2 = self.saved_values()
        v = self.value
        d = _plus(None if t1t is None else t1t / t2, None if t2t is None else -t1 * t2t / (t2 * t2))
        return _plus(tx, None if d is None else (d if v == 1 else d * v))


def _addc(x, t1, t2, value, divide, node_cls):
    xd, ad, bd = x._data, t1._data, t2._data
    dt = np.result_type(xd, ad, bd)
    if divide and dt.kind in "iub":
        raise RuntimeError(
            "Integer division with addcdiv is no longer supported, and in a future  release addcdiv will perform a "
            "true division of tensor1 and tensor2. The historic addcdiv behavior can be implemented as (input + "
            "value * torch.trunc(tensor1 / tensor2)).to(input.dtype) for integer inputs and as (input + value * "
            "tensor1 / tensor2) for float inputs. The future addcdiv behavior is just the latter implementation: "
            "(input + value * tensor1 / tensor2), for all dtypes.")
    value = _scalar(value)
    v = dt.type(value)  # PyTorch casts the number to the tensors' dtype (0.5 is 0 for integers)
    _broadcast_shape(xd.shape, ad.shape, bd.shape)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        # PyTorch's kernel order: x + (v t1) t2 and x + (v t1) / t2
        scaled = ad.astype(dt, copy=False) if value == 1 else v * ad
        # addcmul's last multiply and add are fused in PyTorch's kernel: fma(v t1, t2, x)
        r = xd + scaled / bd if divide else K.fma(scaled, bd.astype(dt, copy=False), xd.astype(dt, copy=False))
    r = np.asarray(r).astype(dt, copy=False)
    so = r.shape
    shapes = (x.shape, t1.shape, t2.shape)
    return _wrap_result(r, node_cls, (x, t1, t2), saved=(t1, t2),
                in_shapes=shapes if builtins.any(s != so for s in shapes) else None, value=value)


def addcmul(x, t1, t2, *, value=1):
    """x + value t1 t2"""
    if type(x) is not Tensor or type(t1) is not Tensor or type(t2) is not Tensor:
        _tensor_arg("addcmul", ("input", 1, x), ("tensor1", 2, t1), ("tensor2", 3, t2))
    return _addc(x, t1, t2, value, False, AddcmulBackward0)

expose(addcmul, method=True, inplace=True, out=True)


def addcdiv(x, t1, t2, *, value=1):
    """x + value t1 / t2"""
    return _addc(x, t1, t2, value, True, AddcdivBackward0)

expose(addcdiv, method=True, inplace=True, out=True)


# =====================================================================================================
# nan_to_num, heaviside
# =====================================================================================================

class NanToNumBackward0(Node):
    """y = x where x is finite, a constant where it is nan or ±inf:  dy/dx = [x is finite]"""

    def backward(self, g):
        (x,) = self.saved_values()
        return (where(isfinite(x), g, 0.0),)

    def jvp(self, t):
        (x,) = self.saved_values()
        return where(isfinite(x), t, 0.0)


def nan_to_num(x, nan=0.0, posinf=None, neginf=None):
    """x with nan, +inf and -inf replaced by ``nan`` (0), ``posinf`` and ``neginf`` (the dtype's extremes)"""
    xd = x._data
    if xd.dtype.kind not in "fc":
        return _wrap_result(xd.copy(), NanToNumBackward0, (x,), saved=(x,))
    r = np.nan_to_num(xd, nan=0.0 if nan is None else nan, posinf=posinf, neginf=neginf)
    return _wrap_result(r, NanToNumBackward0, (x,), saved=(x,))

expose(nan_to_num, method=True, inplace=True, out=True)


def heaviside(x: Tensor, values: Tensor) -> Tensor:
    """0 where x < 0, values where x == 0, 1 where x > 0 (not differentiable: PyTorch's backward raises)"""
    if not isinstance(values, Tensor):
        raise TypeError(f"heaviside(): argument 'values' (position 2) must be Tensor, not {type(values).__name__}")
    if x._data.dtype != values._data.dtype:
        raise RuntimeError("heaviside is not yet implemented for tensors with different dtypes.")
    xd, vd = x._data, values._data
    _broadcast_shape(xd.shape, vd.shape)
    r = np.where(xd == 0, vd, (xd > 0).astype(xd.dtype))
    _refuse_forward_ad("heaviside", x, values)
    r = np.asarray(r, dtype=xd.dtype)
    shp = r.shape
    return _wrap_result(r, NotImplemented, (x, values), op="heaviside",
                in_shapes=(x.shape, values.shape) if (x.shape != shp or values.shape != shp) else None)

expose(heaviside, method=True, inplace=True, out=True)


def _where_method(x, condition, other):
    """x.where(condition, other): x where condition holds, other elsewhere"""
    return where(condition, x, other)

expose(_where_method, torch=False, method="where")


def _check_python_fill(x, name):
    if x._requires_grad and x.grad_fn is None:
        raise RuntimeError(f"Can't call {name}() on Variable that requires grad. Use var.detach().{name}() instead.")


def apply_(x, fn):
    """x.apply_(f): f on every element, in place (a Python call per element, as in PyTorch; CPU only)"""
    _check_python_fill(x, "apply_")
    flat = x._data.reshape(-1)
    flat[...] = np.fromiter((fn(v) for v in flat.tolist()), dtype=x._data.dtype, count=flat.size)
    if not np.shares_memory(flat, x._data):
        x._data[...] = flat.reshape(x._data.shape)
    x._bump()
    return x

expose(apply_, torch=False, method=True)


def map_(x, other, fn):
    """x.map_(y, f): x[i] = f(x[i], y[i]) with y broadcast to x, in place"""
    _check_python_fill(x, "map_")
    o = np.broadcast_to(other._data, x._data.shape).reshape(-1).tolist()
    vals = np.fromiter((fn(a, b) for a, b in zip(x._data.reshape(-1).tolist(), o)), dtype=x._data.dtype,
                       count=x._data.size)
    x._data[...] = vals.reshape(x._data.shape)
    x._bump()
    return x

expose(map_, torch=False, method=True)


def map2_(x, y, z, fn):
    """x.map2_(y, z, f): x[i] = f(x[i], y[i], z[i]) with y and z broadcast to x, in place"""
    ys = np.broadcast_to(y._data, x._data.shape).reshape(-1).tolist()
    zs = np.broadcast_to(z._data, x._data.shape).reshape(-1).tolist()
    vals = np.fromiter((fn(a, b, c) for a, b, c in zip(x._data.reshape(-1).tolist(), ys, zs)),
                       dtype=x._data.dtype, count=x._data.size)
    x._data[...] = vals.reshape(x._data.shape)
    x._bump()
    return x

expose(map2_, torch=False, method=True)


# ---- fake quantization: x rounded onto a quantized grid and back, in x's float dtype ------------------------------

class FakeQuantizePerTensorAffineCachemaskBackward0(Node):
    """y = (clamp(round(x / s) + z, q_min, q_max) - z) s:  dx = g where round(x / s) + z lies in [q_min, q_max]
    (the straight-through estimator), 0 where it was clamped"""

    def backward(self, g):
        return (g * self.mask,)

    def jvp(self, t):
        return t * self.mask


class FakeQuantizePerTensorAffineCachemaskTensorQparamsBackward0(FakeQuantizePerTensorAffineCachemaskBackward0):
    """the same with the scale and zero point given as tensors (no gradient for them):  dx = g · mask"""

    def backward(self, g):
        return (g * self.mask, None, None)

    def jvp(self, t, ts=None, tz=None):
        return t * self.mask


class FakeQuantizePerChannelAffineCachemaskBackward0(FakeQuantizePerTensorAffineCachemaskBackward0):
    """y = (clamp(round(x / s_c) + z_c, q_min, q_max) - z_c) s_c per channel c of ``axis``:  dx = g · mask"""

    def backward(self, g):
        return (g * self.mask, None, None)

    def jvp(self, t, ts=None, tz=None):
        return t * self.mask


def _fake_quantize(d, scale, zero_point, qmin, qmax, integer_zero_point: bool):
    t = d.dtype.type
    # PyTorch's kernels multiply by the reciprocal of the scale taken in single precision
    inv = (np.float32(1.0) / np.asarray(scale, dtype=np.float32)).astype(d.dtype)
    if not isinstance(scale, np.ndarray):
        inv = t(inv)
    if integer_zero_point:
        q = np.rint(d * inv) + zero_point
        y = ((np.clip(q, qmin, qmax) - zero_point) * scale).astype(d.dtype)
    else:  # a float zero point: PyTorch's kernel works in single precision whatever x's dtype
        f = np.float32
        inv, zp = inv.astype(f), np.asarray(zero_point, dtype=f)
        q = np.rint(d.astype(f) * inv + zp)
        y = ((np.clip(q, qmin, qmax) - zp) * np.asarray(scale, dtype=f)).astype(d.dtype)
    mask = (q >= qmin) & (q <= qmax)
    return y, _wrap(mask.astype(d.dtype))


def _check_quant_range(qmin, qmax, zero_point) -> None:
    if qmin > qmax:
        raise RuntimeError("`quant_min` should be less than or         equal to `quant_max`.")
    zs = np.asarray(zero_point)
    if zs.size and ((zs < qmin).any() or (zs > qmax).any()):
        raise RuntimeError("`zero_point` must be between `quant_min` and `quant_max`.")


def fake_quantize_per_tensor_affine(input: Tensor, scale, zero_point, quant_min: int, quant_max: int) -> Tensor:
    """x through an affine quantizer and back: (clamp(round(x / scale) + zero_point, quant_min, quant_max) -
    zero_point) · scale, gradients passing straight through where nothing was clamped"""
    tensors = isinstance(scale, Tensor)
    s = float(scale._data) if tensors else float(scale)
    z = int(zero_point._data) if isinstance(zero_point, Tensor) else int(zero_point)
    _check_quant_range(quant_min, quant_max, z)
    y, mask = _fake_quantize(input._data, s, z, quant_min, quant_max, True)
    if tensors:
        return _wrap_result(y, FakeQuantizePerTensorAffineCachemaskTensorQparamsBackward0, (input, scale, zero_point),
                    mask=mask)
    return _wrap_result(y, FakeQuantizePerTensorAffineCachemaskBackward0, (input,), mask=mask)

expose(fake_quantize_per_tensor_affine)


def fake_quantize_per_channel_affine(input: Tensor, scale: Tensor, zero_point: Tensor, axis: int, quant_min: int,
                                     quant_max: int) -> Tensor:
    """fake_quantize_per_tensor_affine with one scale and zero point per channel along ``axis`` (an integer zero
    point is added after rounding, a float one before)"""
    zd = zero_point._data
    if zd.dtype not in (np.int32, np.float32, np.float16):
        raise RuntimeError(f"Zero-point must be Int32, Float or Half, found {_long_name(zero_point.dtype)}")
    if not 0 <= axis < input.ndim:
        raise RuntimeError("`axis` must be between 0 and number of dimensions of input")
    ax = axis
    if scale.ndim != 1 or zero_point.ndim != 1 or scale.shape[0] != zero_point.shape[0] or \
            not 0 <= ax < input.ndim or scale.shape[0] != input.shape[ax]:
        raise RuntimeError("dimensions of scale and zero-point are not consistent with input tensor")
    _check_quant_range(quant_min, quant_max, zd)
    shape = [1] * input.ndim
    shape[ax] = -1
    s = scale._data.astype(np.float64 if input._data.dtype == np.float64 else np.float32).reshape(shape)
    y, mask = _fake_quantize(input._data, s, zd.reshape(shape), quant_min, quant_max, zd.dtype.kind == "i")
    return _wrap_result(y, FakeQuantizePerChannelAffineCachemaskBackward0, (input, scale, zero_point), mask=mask)

expose(fake_quantize_per_channel_affine)
