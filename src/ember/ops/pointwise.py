"""Elementwise ops with extra arguments: where, clamp, lerp, addcmul, addcdiv, nan_to_num, heaviside."""

from __future__ import annotations

import builtins

from .._array import np
from .._core import dtype as D
from .._core.args import _promote_pair, _scalar
from .._core.exposure import expose
from .._core.messages import _bcast_message, _long_name
from .._core.node import Node
from .._core.record import _out, _out_as, _requires
from .._core.tensor import Tensor, _wrap
from .compare import isfinite
from .creation import _t, as_tensor_arg
from .index import nonzero

__all__ = ["clamp", "clip", "clamp_min", "clamp_max", "where", "lerp", "addcmul", "addcdiv", "nan_to_num",
           "heaviside", "apply_", "map_", "map2_"]





class ClampBackward1(Node):
    """clamp(x, lo, hi) with number bounds;  d/dx = [lo <= x <= hi]"""

    def backward(self, g):
        x, lo, hi = self.saved_values()
        mask = None
        if lo is not None:
            mask = x >= lo
        if hi is not None:
            m2 = x <= hi
            mask = m2 if mask is None else mask & m2
        return (where(mask, g, 0.0),)  # where, not g * mask: no -0.0 where g < 0, as PyTorch


class ClampBackward0(Node):
    """clamp(x, lo, hi) with tensor bounds: the gradient goes to whichever value was chosen"""

    def backward(self, g):
        x, lo, hi = self.saved_values()
        inside = None
        glo = ghi = None
        if lo is not None:
            inside = x >= lo
            if self.next[1] is not None:
                glo = where(inside, 0.0, g)
        if hi is not None:
            below = x <= hi
            if self.next[2] is not None:
                ghi = where(below, 0.0, g)
                if lo is not None:
                    ghi = where(inside, ghi, 0.0)
            inside = below if inside is None else inside & below
        return (where(inside, g, 0.0) if self.next[0] is not None else None, glo, ghi)


def clamp(x, min=None, max=None):
    """min(max(x, lo), hi)"""
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    if isinstance(min, Tensor) or isinstance(max, Tensor):
        lo = as_tensor_arg(min) if min is not None else None
        hi = as_tensor_arg(max) if max is not None else None
        r = x._data
        if lo is not None:
            r = np.maximum(r, lo._data)
        if hi is not None:
            r = np.minimum(r, hi._data)
        r = r.astype(x._data.dtype, copy=False)
        t = _out(r, ClampBackward0, (x, lo, hi), saved=(x, lo, hi))
        if t.grad_fn is not None and (r.shape != x.shape or (lo is not None and lo.shape != r.shape)
                                      or (hi is not None and hi.shape != r.shape)):
            t.grad_fn.in_shapes = (x.shape, lo.shape if lo is not None else None, hi.shape if hi is not None
                                   else None)
        return t
    xd = x._data
    lo, hi = _scalar(min), _scalar(max)
    if (isinstance(lo, float) or isinstance(hi, float)) and xd.dtype.kind not in "fc":
        xd = xd.astype(D.get_default_dtype().np)
    r = np.clip(xd, lo, hi)
    if lo is not None and hi is not None and lo > hi:
        r = np.full_like(xd, hi)
    r = r.astype(xd.dtype, copy=False)
    t = _out(r, ClampBackward1, (x,))
    if t.grad_fn is not None:
        t.grad_fn.saved = (x, lo, hi)
        t.grad_fn.versions = (x._version, None, None)
    return t

expose(clamp, torch=('clamp', 'clip'), method=('clamp', 'clip'), inplace=('clamp_', 'clip_'), out=True)


clip = clamp



def clamp_min(x, min):
    return clamp(x, min=min)

expose(clamp_min, method=True, inplace=True)


def clamp_max(x, max):
    return clamp(x, max=max)

expose(clamp_max, method=True, inplace=True)


class WhereBackward0(Node):
    """where(c, a, b):  the gradient flows to a where c holds, to b elsewhere"""

    def backward(self, g):
        (cond,) = self.saved_values()
        ga = where(cond, g, 0.0) if self.next[0] is not None else None
        gb = where(cond, 0.0, g) if self.next[1] is not None else None
        return (ga, gb)


def where(cond, a=None, b=None):
    """elementwise ``a if cond else b``"""
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
    _out_as(t, WhereBackward0, node_inputs, saved=(cond,), versions=(None,), in_shapes=in_shapes)
    return t

expose(where, out=True)


class LerpBackward0(Node):
    """lerp(a, b, w) = a + w (b - a) with number w:  d/da = 1 - w, d/db = w"""

    def backward(self, g):
        (w,) = self.saved_values()
        return (g * (1 - w) if self.next[0] is not None else None, g * w if self.next[1] is not None else None)


class LerpBackward1(Node):
    """lerp(a, b, w) with tensor w:  d/da = 1 - w, d/db = w, d/dw = b - a"""

    def backward(self, g):
        a, b, w = self.saved_values()
        return (g * (1 - w) if self.next[0] is not None else None,
                g * w if self.next[1] is not None else None,
                g * (b - a) if self.next[2] is not None else None)


def lerp(a, b, weight):
    """a + weight * (b - a)"""
    b = as_tensor_arg(b)
    if isinstance(weight, Tensor):
        r = a._data + weight._data * (b._data - a._data)
        shp = r.shape
        ins = None
        if a.shape != shp or b.shape != shp or weight.shape != shp:
            ins = (a.shape, b.shape, weight.shape)
        return _out(r.astype(a._data.dtype, copy=False), LerpBackward1, (a, b, weight), saved=(a, b, weight),
                    in_shapes=ins)
    w = _scalar(weight)
    r = (a._data + w * (b._data - a._data)).astype(a._data.dtype, copy=False)
    shp = r.shape
    t = _out(r, LerpBackward0, (a, b),
             in_shapes=(a.shape, b.shape) if (a.shape != shp or b.shape != shp) else None)
    if t.grad_fn is not None:
        t.grad_fn.saved = (w,)
        t.grad_fn.versions = (None,)
    return t

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


class AddcdivBackward0(Node):
    """y = x + v t1 / t2:  dy/dx = 1, dy/dt1 = v / t2, dy/dt2 = -v t1 / t2^2"""

    def backward(self, g):
        t1, t2 = self.saved_values()
        v = self.value
        gv = g if v == 1 else g * v
        return (g if self.next[0] is not None else None,
                gv / t2 if self.next[1] is not None else None,
                -gv * t1 / (t2 * t2) if self.next[2] is not None else None)


def _addc(x, t1, t2, value, ufunc, node_cls):
    xd = x._data
    with np.errstate(divide="ignore", invalid="ignore"):
        p = ufunc(t1._data, t2._data)
        r = xd + (p if value == 1 else p * value)
    if r.dtype != np.result_type(xd, t1._data, t2._data):
        r = r.astype(np.result_type(xd, t1._data, t2._data))
    so = r.shape
    shapes = (x.shape, t1.shape, t2.shape)
    t = _out(r, node_cls, (x, t1, t2), saved=(t1, t2),
             in_shapes=shapes if builtins.any(s != so for s in shapes) else None)
    if t.grad_fn is not None:
        t.grad_fn.value = _scalar(value)
    return t


def addcmul(x, t1, t2, *, value=1):
    """x + value * t1 * t2"""
    return _addc(x, t1, t2, value, np.multiply, AddcmulBackward0)

expose(addcmul, method=True, inplace=True, out=True)


def addcdiv(x, t1, t2, *, value=1):
    """x + value * t1 / t2"""
    return _addc(x, t1, t2, value, np.true_divide, AddcdivBackward0)

expose(addcdiv, method=True, inplace=True, out=True)


def nan_to_num(x, nan=0.0, posinf=None, neginf=None):
    r = np.nan_to_num(x._data, nan=nan, posinf=posinf, neginf=neginf)
    return _out(r, NanToNumBackward0, (x,), saved=(x,))

expose(nan_to_num, method=True, inplace=True)


class NanToNumBackward0(Node):
    def backward(self, g):
        (x,) = self.saved_values()
        return (where(isfinite(x), g, 0.0),)


def heaviside(x: Tensor, values: Tensor) -> Tensor:
    """0 where x < 0, values where x == 0, 1 where x > 0"""
    values = _t(values, x)
    if x._data.dtype != values._data.dtype:
        raise RuntimeError("heaviside is not yet implemented for tensors with different dtypes")
    r = np.where(x._data == 0, values._data, (x._data > 0).astype(x._data.dtype))
    return _wrap(np.asarray(r, dtype=x._data.dtype))

expose(heaviside, method=True, inplace=True)


def _where_method(x, condition, other):
    """x.where(condition, other): x where condition holds, other elsewhere"""
    return where(condition, x, other)

expose(_where_method, torch=False, method="where")


def _check_python_fill(x, name):
    if x._rg and x.grad_fn is None:
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
