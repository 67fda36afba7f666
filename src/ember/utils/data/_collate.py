"""default_collate / default_convert: turn a list of samples into one batch, following PyTorch's rules.

Tensors stack along a new first dimension (one ``np.stack``), Python ints become an int64 tensor, floats a
float64 tensor, NumPy arrays and scalars become tensors, strings stay a list, and containers are collated field by
field: dicts by key, namedtuples by field, tuples/lists transposed (tuples come back as lists, as in PyTorch).
"""

from __future__ import annotations

import collections.abc
import copy
import re
from typing import Any

import numpy as np

from ... import stack
from ..._core import dtype as _dtype
from ..._core.tensor import Tensor, _wrap
from ...ops.creation import as_tensor, tensor

__all__ = ["default_collate", "default_convert"]


# NumPy dtypes that cannot become tensors: bytes, str, object
_np_str_obj = re.compile(r"[SaUO]")
_err = "default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; found {}"


def _stack(batch: list[Tensor]) -> Tensor:
    if any(t._requires_grad for t in batch):  # keep the graph when samples carry one (rare: datasets are usually leaves)
        return stack(batch, 0)
    arrays = [t._data for t in batch]
    shape = arrays[0].shape
    for i, a in enumerate(arrays):
        if a.shape != shape:
            raise RuntimeError(f"stack expects each tensor to be equal size, but got {list(shape)} at entry 0 "
                               f"and {list(a.shape)} at entry {i}")
    # np.stack promotes mixed dtypes like torch.stack does for the common cases (same dtype is the norm)
    return _wrap(np.stack(arrays))


def _to_tensor(x) -> Tensor:
    return as_tensor(x)


def default_collate(batch: list) -> Any:
    """Collate a list of samples into a batch: ``[x_0, ..., x_{B-1}] -> stack(x)``, recursing into containers."""
    elem = batch[0]
    if isinstance(elem, Tensor):
        return _stack(batch)
    if isinstance(elem, np.ndarray):
        if _np_str_obj.search(elem.dtype.str) is not None:
            raise TypeError(_err.format(elem.dtype))
        return _stack([_to_tensor(b) for b in batch])
    if isinstance(elem, (np.bool_, np.number, np.object_)):
        if _np_str_obj.search(np.asarray(elem).dtype.str) is not None:
            raise TypeError(_err.format(np.asarray(elem).dtype))
        return _to_tensor(np.array(batch))
    if isinstance(elem, float):
        return tensor(batch, dtype=_dtype.float64)
    if isinstance(elem, int):  # bool included: a bool list gives a bool tensor, ints give int64
        return tensor(batch)
    if isinstance(elem, (str, bytes)):
        return batch
    if isinstance(elem, collections.abc.Mapping):
        fields = {key: default_collate([d[key] for d in batch]) for key in elem}
        try:
            if isinstance(elem, collections.abc.MutableMapping):
                clone = copy.copy(elem)  # keeps the mapping's own type (OrderedDict, defaultdict, ...)
                clone.update(fields)
                return clone
            return type(elem)(fields)
        except TypeError:
            return fields
    if isinstance(elem, tuple) and hasattr(elem, "_fields"):  # namedtuple
        return type(elem)(*(default_collate(s) for s in zip(*batch)))
    if isinstance(elem, collections.abc.Sequence):
        size = len(elem)
        if any(len(e) != size for e in batch):
            raise RuntimeError("each element in list of batch should be of equal size")
        transposed = list(zip(*batch))  # each field's values as a tuple, as PyTorch passes them on
        if isinstance(elem, tuple):
            return [default_collate(s) for s in transposed]
        try:
            if isinstance(elem, collections.abc.MutableSequence):
                clone = copy.copy(elem)
                for i, s in enumerate(transposed):
                    clone[i] = default_collate(s)
                return clone
            return type(elem)([default_collate(s) for s in transposed])
        except TypeError:
            return [default_collate(s) for s in transposed]
    raise TypeError(_err.format(type(elem)))


def default_convert(data: Any) -> Any:
    """Convert one sample (no batching): NumPy arrays and scalars become tensors, containers are converted inside."""
    if isinstance(data, Tensor):
        return data
    if isinstance(data, np.ndarray):
        return data if _np_str_obj.search(data.dtype.str) is not None else _to_tensor(data)
    if isinstance(data, (np.bool_, np.number)):
        return _to_tensor(np.asarray(data))  # via an array: np.float64 is also a Python float (-> float32)
    if isinstance(data, (str, bytes)):
        return data
    if isinstance(data, collections.abc.Mapping):
        fields = {key: default_convert(data[key]) for key in data}
        try:
            if isinstance(data, collections.abc.MutableMapping):
                clone = copy.copy(data)
                clone.update(fields)
                return clone
            return type(data)(fields)
        except TypeError:
            return fields
    if isinstance(data, tuple) and hasattr(data, "_fields"):
        return type(data)(*(default_convert(d) for d in data))
    if isinstance(data, tuple):
        return [default_convert(d) for d in data]
    if isinstance(data, collections.abc.Sequence):
        try:
            if isinstance(data, collections.abc.MutableSequence):
                clone = copy.copy(data)
                for i, d in enumerate(data):
                    clone[i] = default_convert(d)
                return clone
            return type(data)([default_convert(d) for d in data])
        except TypeError:
            return [default_convert(d) for d in data]
    return data
