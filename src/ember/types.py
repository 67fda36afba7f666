"""``torch.types``: the type aliases PyTorch's annotations use (``Number``, ``Device``, ``FileLike`` ...)."""

from __future__ import annotations

import os
from typing import IO

from ._core.dtype import dtype as _dtype
from ._core.tensor import Size, Tensor, device
from .storage import TypedStorage, UntypedStorage

__all__ = ["Number", "Device", "FileLike", "IntLikeType", "FloatLikeType", "BoolLikeType", "Storage", "Size",
           "Tensor", "py_sym_types", "_int", "_float", "_bool", "_complex", "_dtype", "_device", "_size"]

_int, _float, _bool, _complex, _str, _bytes = int, float, bool, complex, str, bytes
_device = device
_size = Size | list[int] | tuple[int, ...]
Number = int | float | bool
Device = device | str | int | None
FileLike = str | os.PathLike | IO[bytes]
IntLikeType = int        # PyTorch adds its symbolic SymInt; ember has no symbolic shapes
FloatLikeType = float
BoolLikeType = bool
py_sym_types: tuple = ()  # no symbolic ints, floats or bools here
Storage = TypedStorage | UntypedStorage
