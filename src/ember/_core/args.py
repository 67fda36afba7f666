"""Arguments of ops: Python and NumPy scalars, float conversion, and PyTorch's type promotion of a pair."""

from __future__ import annotations

import numbers

from .._array import np
from .._core import dtype as D
from .tensor import Tensor

__all__ = ["_tensor_arg", "_float_data", "_promote_pair", "_scalar"]


def _scalar(x):
    """A Python number from a Python/NumPy scalar (NumPy scalars act like Python ones in PyTorch)."""
    if isinstance(x, np.generic):
        # PyTorch reads a NumPy bool through __float__, so it promotes like a Python float
        return float(x) if isinstance(x, np.bool_) else x.item()
    return x


def _float_data(x):
    """``x``'s array, cast to the default float dtype when it is integral (``exp(int_tensor)`` is float)."""
    a = x._data
    if a.dtype.kind in "fc":
        return a
    return a.astype(D.get_default_dtype().np)


def _promote_pair(a, b):
    """Arrays (or scalars) for a binary op between tensor ``a`` and tensor/scalar ``b``, PyTorch-promoted."""
    ad = a._data
    if isinstance(b, Tensor):
        bd = b._data
        if ad.dtype == bd.dtype:
            return ad, bd
        dims, zeros = [], []
        (dims if ad.ndim else zeros).append(D.from_numpy_dtype(ad.dtype))
        (dims if bd.ndim else zeros).append(D.from_numpy_dtype(bd.dtype))
        rt = D.result_type_of(dims, zeros, []).np
        return ad.astype(rt, copy=False), bd.astype(rt, copy=False)
    b = _scalar(b)
    if not isinstance(b, numbers.Number):
        raise TypeError(f"unsupported operand type: '{type(b).__name__}'")
    kind = ad.dtype.kind
    if isinstance(b, bool):
        return ad, b
    if isinstance(b, int):
        if kind == "b":
            return ad.astype(np.int64), b
        if kind in "iu":
            info = np.iinfo(ad.dtype)
            if not info.min <= b <= info.max:  # PyTorch wraps the scalar into the tensor's integer type
                return ad, np.array(b).astype(ad.dtype)
        return ad, b
    if isinstance(b, float):
        if kind not in "fc":
            return ad.astype(D.get_default_dtype().np), b
        return ad, b
    if kind != "c":
        return ad.astype(D.default_complex().np if ad.dtype != np.float64 else np.complex128), b
    return ad, b


def _tensor_arg(fn: str, *args) -> None:
    """PyTorch's TypeError when an argument that must be a Tensor is not one (None, a list, a number ...):
    ``fn(): argument 'name' (position k) must be Tensor, not list``. ``args``: (name, position, value) triples,
    positions counted from 1 as PyTorch counts them. An op calls it after a cheap ``type(v) is not Tensor`` test,
    only where a non-Tensor would otherwise fail reading its data (a Tensor subclass passes here)."""
    for name, position, a in args:
        if not isinstance(a, Tensor):
            raise TypeError(f"{fn}(): argument '{name}' (position {position}) must be Tensor, not {type(a).__name__}")
