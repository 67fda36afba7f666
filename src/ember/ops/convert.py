"""Conversions and copies: clone, contiguous, ``x.to(dtype)``, ``x.float()`` and the other dtype casts, ``type``."""

from __future__ import annotations

import builtins

import numpy as np

from .._core import dtype as D
from .._core.exposure import expose
from .._core.messages import _long_name
from .._core.meta import meta_array
from .._core.node import Node, _type_name
from .._core.record import _wrap_result
from .._core.sigs import Sigs
from .._core.tensor import Tensor, _check_device, _to_dtype_arg, _wrap, device
from .legacy import legacy_dtype

__all__ = ["clone", "contiguous", "to_dtype", "view_dtype", "to", "type_as", "type", "cpu", "cuda", "to_dense"]


class CloneBackward0(Node):
    """y = x (a copy):  dx = g"""

    def backward(self, g):
        return (g,)


def clone(x, memory_format=None):
    """a copy of x that records CloneBackward0"""
    return _wrap_result(x._data.copy(), CloneBackward0, (x,))

expose(clone, method=True)


def contiguous(x, memory_format=None):
    if x._data.flags.c_contiguous:
        return x
    return clone(x)

expose(contiguous, torch=False, method=True)


class ToCopyBackward0(Node):
    """y = x converted to another dtype:  dx = g converted back (its real part when x is real and y complex)"""

    def backward(self, g):
        if g.is_complex() and not self.dtype.is_complex:
            g = g.real
        return (g.to(self.dtype),)

    def jvp(self, t):
        if t.is_complex() and not self.out_dtype.is_complex:
            t = t.real
        return t.to(self.out_dtype)


def _to_copy(x):
    """x.to(..., copy=True) that changes nothing: a copy recorded as PyTorch's _to_copy (ToCopyBackward0)"""
    return _wrap_result(x._data.copy(), ToCopyBackward0, (x,) if x.dtype.is_floating_point or x.dtype.is_complex else (None,),
                dtype=x.dtype, out_dtype=x.dtype)


def to_dtype(x, dt, copy=False):
    if dt.np == x._data.dtype and dt is not D.bfloat16:
        return _to_copy(x) if copy else x
    return _wrap_result(x._data.astype(dt.np), ToCopyBackward0, (x,) if dt.is_floating_point or dt.is_complex else (None,),
                dtype=x.dtype, out_dtype=dt)


def view_dtype(x, dt):
    xd = x._data
    old, new = xd.dtype.itemsize, np.dtype(dt.np).itemsize
    if old != new:  # PyTorch's checks, before NumPy's (whose ValueErrors name NumPy's terms)
        what = f"to view {_long_name(x.dtype)} as {_long_name(dt)} (different element sizes)"
        if xd.ndim == 0:
            raise RuntimeError(f"self.dim() cannot be 0 {what}")
        if xd.size and xd.shape[-1] != 1 and xd.strides[-1] != old:
            raise RuntimeError(f"self.stride(-1) must be 1 {what}, but got {xd.strides[-1] // old}")
        if new > old and xd.shape[-1] % (new // old):
            raise RuntimeError(f"self.size(-1) must be divisible by {new // old} {what}, but got {xd.shape[-1]}")
    return _wrap(xd.view(dt.np))


_NO_META_DATA = "Cannot copy out of meta tensor; no data!"


def _target_device(args, kwargs):
    """The device type ``.to(...)`` asks for ("cpu", "meta"), None when it names none; other devices raise."""
    dev = kwargs.get("device")
    for a in args:
        if isinstance(a, Tensor):
            dev = a.device
        elif isinstance(a, (str, device, builtins.int)) and not isinstance(a, builtins.bool):
            dev = a
    return None if dev is None else _check_device(dev)


def _to_device(x, kind, dt):
    """x moved between the CPU and the meta device (converted to ``dt`` on the way, if given)."""
    if kind == "cpu":
        raise NotImplementedError(_NO_META_DATA)
    arr = meta_array(x._data.shape, (dt or x.dtype).np)
    t = _wrap_result(arr, ToCopyBackward0, (x,) if arr.dtype.kind in "fc" else (None,))
    if t.grad_fn is not None:
        t.grad_fn.dtype = x.dtype
    return t


def to(x, *args, **kwargs) -> Tensor:
    """Convert dtype and device: ``x.to(torch.float64)``, ``x.to('cpu')``, ``x.to('meta')``, ``x.to(other)``."""
    dt = _to_dtype_arg(args, kwargs)
    kind = _target_device(args, kwargs)
    if kind is not None and (kind == "meta") != x.is_meta:
        return _to_device(x, kind, dt)
    copy = kwargs.get("copy", False)
    if dt is None:
        return _to_copy(x) if copy else x
    return to_dtype(x, dt, copy)

expose(to, torch=False, method=True)


_TYPE_AS = Sigs("type_as", "(Tensor input, Tensor other)")


def type_as(x, other) -> Tensor:
    """x converted to other's dtype"""
    if other.__class__ is not Tensor:  # (``type`` is this module's op)
        _TYPE_AS.check_method("type_as", x, other)
    return to(x, other.dtype)

expose(type_as, torch=False, method=True)


_TYPE_NAMES = {"torch.FloatTensor": D.float32, "torch.DoubleTensor": D.float64, "torch.LongTensor": D.int64,
               "torch.IntTensor": D.int32, "torch.BoolTensor": D.bool_, "torch.HalfTensor": D.float16,
               "torch.ByteTensor": D.uint8}


def type(x, dtype=None, non_blocking=False, **kwargs):  # noqa: A001  (PyTorch's method name)
    """x.type() names the tensor type; x.type(torch.FloatTensor / 'torch.FloatTensor' / torch.float32) converts"""
    if dtype is None:
        return _type_name(x)
    dt = legacy_dtype(dtype)
    if dt is None:
        dt = _TYPE_NAMES[dtype] if isinstance(dtype, str) else dtype
    return to(x, dt)

expose(type, torch=False, method=True)


def _caster(dt, name):
    def cast(x, memory_format=None):
        return to_dtype(x, dt)
    cast.__name__ = name
    cast.__doc__ = f"x as {dt.name}"
    return cast


float = _caster(D.float32, "float")  # noqa: A001
double = _caster(D.float64, "double")
half = _caster(D.float16, "half")
bfloat16 = _caster(D.bfloat16, "bfloat16")
long = _caster(D.int64, "long")
int = _caster(D.int32, "int")  # noqa: A001
short = _caster(D.int16, "short")
char = _caster(D.int8, "char")
byte = _caster(D.uint8, "byte")
bool = _caster(D.bool_, "bool")  # noqa: A001
cfloat = _caster(D.complex64, "cfloat")
cdouble = _caster(D.complex128, "cdouble")
for _cast in (float, double, half, bfloat16, long, int, short, char, byte, bool, cfloat, cdouble):
    expose(_cast, torch=False, method=True)
expose(cfloat, torch=False, method="chalf")  # no complex32 in NumPy


def cpu(x, memory_format=None) -> Tensor:
    """x itself: ember's tensors live on the CPU (a meta tensor has no values to bring there)"""
    if x.is_meta:
        raise NotImplementedError(_NO_META_DATA)
    return x

expose(cpu, torch=False, method=True)


def cuda(x, device=None, non_blocking=False, memory_format=None):
    """refused: ember runs on the CPU only"""
    _check_device("cuda")

expose(cuda, torch=False, method=True)


def to_dense(x, dtype=None, **kwargs) -> Tensor:
    """x (ember's tensors are dense), converted to ``dtype`` if given"""
    return x if dtype is None else to(x, dtype)

expose(to_dense, torch=False, method=True)
