"""The legacy typed tensor classes (torch.FloatTensor & co.) and set_default_tensor_type."""

from __future__ import annotations

import builtins

from .._array import np
from .._core import dtype as D
from .._core.exposure import expose
from .._core.tensor import Size, Tensor, _wrap
from .creation import tensor

__all__ = ["set_default_tensor_type", "FloatTensor", "DoubleTensor", "HalfTensor", "BFloat16Tensor",
           "LongTensor", "IntTensor", "ShortTensor", "CharTensor", "ByteTensor", "BoolTensor", "legacy_dtype",
           "new"]


def set_default_tensor_type(t) -> None:
    """legacy: set the default float dtype from a tensor type (torch.DoubleTensor or its name)"""
    name = t if isinstance(t, str) else getattr(t, "__name__", "")
    name = name.rsplit(".", 1)[-1]
    dt = {"FloatTensor": D.float32, "DoubleTensor": D.float64, "HalfTensor": D.float16,
          "BFloat16Tensor": D.bfloat16}.get(name)
    if dt is None:
        raise TypeError("only floating-point types are supported as the default type")
    D.set_default_dtype(dt)


class _LegacyTensorMeta(type):
    def __instancecheck__(cls, obj):
        return isinstance(obj, Tensor) and obj._data.dtype == cls._dtype.np

    def __call__(cls, *args, **kwargs):
        dt = cls._dtype
        if len(args) == 1 and isinstance(args[0], Size):  # a Size is a shape (before the tuple-as-data case)
            return _wrap(np.zeros(tuple(args[0]), dtype=dt.np))
        if len(args) == 1 and isinstance(args[0], Tensor):
            return args[0].to(dt)
        if args and builtins.all(isinstance(a, int) and not isinstance(a, bool) for a in args):
            return _wrap(np.zeros(args, dtype=dt.np))
        if len(args) == 1 and isinstance(args[0], (tuple, list)) and args[0] == [] or not args:
            return _wrap(np.zeros((0,), dtype=dt.np))
        if len(args) == 1 and isinstance(args[0], (list, tuple, np.ndarray, int, float, bool)):
            if isinstance(args[0], (int, float, bool)):
                raise TypeError(f"new(): data must be a sequence (got {type(args[0]).__name__})")
            return tensor(args[0], dtype=dt)
        raise TypeError("new() received an invalid combination of arguments")

    def __repr__(cls):
        return f"<class 'torch.{cls.__name__}'>"


def _legacy(name: str, dt) -> type:
    return _LegacyTensorMeta(name, (), {"_dtype": dt, "dtype": dt, "__module__": "torch",
                                        "is_cuda": False, "is_sparse": False})


FloatTensor = _legacy("FloatTensor", D.float32)


DoubleTensor = _legacy("DoubleTensor", D.float64)


HalfTensor = _legacy("HalfTensor", D.float16)


BFloat16Tensor = _legacy("BFloat16Tensor", D.bfloat16)


LongTensor = _legacy("LongTensor", D.int64)


IntTensor = _legacy("IntTensor", D.int32)


ShortTensor = _legacy("ShortTensor", D.int16)


CharTensor = _legacy("CharTensor", D.int8)


ByteTensor = _legacy("ByteTensor", D.uint8)


BoolTensor = _legacy("BoolTensor", D.bool_)


LEGACY = {c.__name__: c for c in (FloatTensor, DoubleTensor, HalfTensor, BFloat16Tensor, LongTensor, IntTensor,
                                   ShortTensor, CharTensor, ByteTensor, BoolTensor)}


def legacy_dtype(t):
    """The dtype named by a legacy type (class or 'torch.XTensor' string), or None."""
    if isinstance(t, _LegacyTensorMeta):
        return t._dtype
    if isinstance(t, str):
        cls = LEGACY.get(t.rsplit(".", 1)[-1])
        return cls._dtype if cls is not None else None
    return None


def new(x, *args, **kwargs):
    """x.new(...): the legacy constructor with x's dtype"""
    cls = next((c for c in LEGACY.values() if c._dtype == x.dtype), None)
    return cls(*args) if cls is not None else _wrap(np.zeros(args, dtype=x._data.dtype))

expose(new, torch=False, method=True)
