"""Arguments of ops: Python and NumPy scalars, float conversion, PyTorch's type promotion of a pair, and the array of a
factory's data (torch.tensor's inference)."""

from __future__ import annotations

import numbers

from .._array import np
from .._core import dtype as D
from . import modes
from .messages import _warn_user
from .meta import meta_array
from .tensor import Tensor, _check_device

__all__ = ["_tensor_arg", "_float_data", "_promote_pair", "_scalar", "_infer_array", "_on"]


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


# -- data given to a factory (torch.tensor and kin): its array, typed as PyTorch types it, on the default device --

def _on(device, arr):
    """``arr``, or a meta array of its shape and dtype when ``device`` (None: the default device) is the meta
    device."""
    return meta_array(arr.shape, arr.dtype) if _check_device(device) == "meta" else arr


def _infer_array(data):
    """A NumPy array from nested Python data, typed as PyTorch would type it."""
    if isinstance(data, Tensor):
        return data._data.copy()
    if isinstance(data, np.ndarray):
        D.from_numpy_dtype(data.dtype)
        return np.array(data, copy=True)
    if isinstance(data, np.generic):
        # a NumPy scalar keeps its own dtype (np.float64(1) -> float64), like a 0-d array
        D.from_numpy_dtype(data.dtype)
        return np.array(data)
    if isinstance(data, bool):
        return np.array(data, dtype=np.bool_)
    if isinstance(data, int):
        return np.array(data, dtype=np.int64)
    if isinstance(data, (float, np.floating)):
        return np.array(data, dtype=D.get_default_dtype().np)
    if isinstance(data, complex):
        return np.array(data, dtype=D.default_complex().np)
    if isinstance(data, (list, tuple)):
        flat_kinds = set()
        items = _unwrap_nested(data, flat_kinds)
        try:
            arr = np.array(items)
        except ValueError:  # ragged nesting
            arr = np.array(None, dtype=object)
        if arr.dtype == object:
            raise ValueError(f"expected sequence of length {len(data[0]) if data and hasattr(data[0], '__len__') else 0}"
                             f" at dim 1 (got {_first_ragged(data)})")
        if arr.dtype.kind in "US":
            raise TypeError("new(): invalid data type 'str'")
        if arr.size == 0 and arr.dtype == np.float64:
            return arr.astype(D.get_default_dtype().np)
        if arr.dtype == np.float64 and "float64" not in flat_kinds:
            return arr.astype(D.get_default_dtype().np)
        if arr.dtype.kind == "c" and "complex128" not in flat_kinds:
            return arr.astype(D.default_complex().np)
        if arr.dtype.kind in "iu" and arr.dtype != np.int64 and "explicit-int" not in flat_kinds:
            return arr.astype(np.int64)
        return arr
    if hasattr(data, "__array__"):
        return np.array(data, copy=True)
    if isinstance(data, str):
        raise TypeError("new(): invalid data type 'str'")
    raise TypeError(f"Could not infer dtype of {type(data).__name__}")


def _first_ragged(data):
    try:
        n = len(data[0])
        for row in data:
            if len(row) != n:
                return len(row)
    except TypeError:
        pass
    return "?"


def _unwrap_nested(data, kinds: set):
    """Replace tensors/NumPy scalars inside nested lists by arrays, noting dtypes PyTorch would keep."""
    out = []
    for x in data:
        if isinstance(x, Tensor):  # a tensor in a list is a scalar to PyTorch: one element, its dtype kept
            if x._data.size != 1:
                raise ValueError("only one element tensors can be converted to Python scalars")
            if x._requires_grad and modes.grad.enabled:
                _warn_user("Converting a tensor with requires_grad=True to a scalar may lead to unexpected "
                           "behavior.\nConsider using tensor.detach() first.")
            if x._data.dtype == np.float64:
                kinds.add("float64")
            elif x._data.dtype.kind in "iu":
                kinds.add("explicit-int")
            out.append(x._data.reshape(()))
        elif isinstance(x, (list, tuple)):
            out.append(_unwrap_nested(x, kinds))
        elif isinstance(x, np.ndarray):
            if x.dtype == np.float64:
                kinds.add("float64")
            out.append(x)
        elif isinstance(x, np.generic):
            # NumPy scalars in a list keep their dtype, as in PyTorch ([np.int32(1)] -> int32)
            if x.dtype == np.float64:
                kinds.add("float64")
            elif x.dtype.kind in "iu":
                kinds.add("explicit-int")
            out.append(x)
        else:
            out.append(x)
    return out
