"""``torch.UntypedStorage`` and ``torch.TypedStorage``: the memory under a tensor, seen as bytes or as elements.

A tensor's ``_data`` is a NumPy view; its storage is the whole buffer that view is a window of (the root
array of the view chain), so a slice and its base report the same storage, as in PyTorch. Storages share
memory with the tensors they come from; ember does not build tensors from storages.
"""

from __future__ import annotations

import warnings

from ._array import np
from ._core import dtype as D

__all__ = ["UntypedStorage", "TypedStorage", "untyped_storage_of", "typed_storage_of", "offset_in_storage", "legacy_storage",
           "LEGACY_STORAGES", *("FloatStorage DoubleStorage HalfStorage BFloat16Storage LongStorage IntStorage "
                                "ShortStorage CharStorage ByteStorage BoolStorage ComplexFloatStorage "
                                "ComplexDoubleStorage").split()]

_TYPED_DEPRECATED = ("TypedStorage is deprecated. It will be removed in the future and UntypedStorage will be the "
                     "only storage class. This should only matter to you if you are using storages directly.  To "
                     "access UntypedStorage directly, use tensor.untyped_storage() instead of tensor.storage()")


def _root(arr: np.ndarray) -> np.ndarray:
    """The array that owns the memory ``arr`` views (itself if it owns it)."""
    while isinstance(arr.base, np.ndarray):
        arr = arr.base
    return arr


def _bytes_of(arr: np.ndarray) -> np.ndarray:
    """The memory under ``arr`` (its root array's), flat, as bytes."""
    root = _root(arr)
    if not (root.flags.c_contiguous or root.flags.f_contiguous):  # a broadcast or strided owner: its own bytes
        root = np.ascontiguousarray(root)
    return root.reshape(-1, order="A").view(np.uint8)


def _elements(arr: np.ndarray) -> np.ndarray:
    """The memory under ``arr``, flat, in ``arr``'s dtype (a trailing partial element dropped)."""
    raw = _bytes_of(arr)
    return raw[:raw.size - raw.size % arr.itemsize].view(arr.dtype)


def offset_in_storage(arr: np.ndarray) -> int:
    """Where ``arr`` starts in its storage, in elements."""
    root = _root(arr)
    return (arr.__array_interface__["data"][0] - root.__array_interface__["data"][0]) // arr.itemsize


def untyped_storage_of(arr: np.ndarray) -> "UntypedStorage":
    return UntypedStorage._of(_bytes_of(arr))


def typed_storage_of(arr: np.ndarray) -> "TypedStorage":
    return TypedStorage._of(_elements(arr))


class UntypedStorage:
    """A tensor's memory as bytes: ``t.untyped_storage()``; ``UntypedStorage(n)`` is n new zero bytes."""

    def __init__(self, size: int = 0, *, device=None) -> None:
        self._array = np.zeros(int(size), dtype=np.uint8)

    @classmethod
    def _of(cls, flat: np.ndarray) -> "UntypedStorage":
        s = cls.__new__(cls)
        s._array = flat
        return s

    @property
    def _bytes(self) -> np.ndarray:
        a = self._array
        return a.view(np.uint8) if a.dtype != np.uint8 else a

    def nbytes(self) -> int:
        return self._array.nbytes

    def size(self) -> int:
        return self._array.nbytes

    def __len__(self) -> int:
        return self._array.nbytes

    def element_size(self) -> int:
        return 1

    def data_ptr(self) -> int:
        return self._array.__array_interface__["data"][0]

    @property
    def is_cuda(self) -> bool:
        return False

    def __getitem__(self, i):
        v = self._bytes[i]
        return int(v) if np.ndim(v) == 0 else UntypedStorage._of(v)

    def __setitem__(self, i, value) -> None:
        self._bytes[i] = value

    def tolist(self) -> list:
        return self._bytes.tolist()

    def fill_(self, value) -> "UntypedStorage":
        self._bytes[...] = value
        return self

    def clone(self) -> "UntypedStorage":
        return UntypedStorage._of(self._array.copy())

    def cpu(self) -> "UntypedStorage":
        return self

    def is_shared(self) -> bool:
        return False

    def is_pinned(self, device="cuda") -> bool:
        return False

    def untyped(self) -> "UntypedStorage":
        return self

    def __repr__(self) -> str:
        body = "..." if str(self.device) == "meta" else "\n".join(f" {v}" for v in self.tolist())
        return f"{body}\n[torch.storage.UntypedStorage(device={self.device}) of size {self.nbytes()}]"

    __str__ = __repr__


class TypedStorage:
    """A tensor's memory as elements of its dtype: ``t.storage()`` (deprecated in PyTorch, as here)."""

    def __init__(self, *args, dtype=None, device=None, wrap_storage=None, _internal=False) -> None:
        if not _internal:
            warnings.warn(_TYPED_DEPRECATED, UserWarning, stacklevel=2)
        dt = dtype or D.get_default_dtype()
        size = int(args[0]) if args and isinstance(args[0], int) else 0
        self._array = (np.array(args[0], dtype=dt.np).reshape(-1) if args and not isinstance(args[0], int)
                       else np.zeros(size, dtype=dt.np))

    @classmethod
    def _of(cls, flat: np.ndarray) -> "TypedStorage":
        s = cls.__new__(cls)
        s._array = flat
        return s

    @property
    def dtype(self):
        return D.from_numpy_dtype(self._array.dtype)

    def size(self) -> int:
        return self._array.size

    def __len__(self) -> int:
        return self._array.size

    def nbytes(self) -> int:
        return self._array.nbytes

    def element_size(self) -> int:
        return self._array.itemsize

    def data_ptr(self) -> int:
        return self._array.__array_interface__["data"][0]

    def __getitem__(self, i):
        v = self._array[i]
        return v.item() if np.ndim(v) == 0 else TypedStorage._of(v)

    def __setitem__(self, i, value) -> None:
        self._array[i] = value

    def tolist(self) -> list:
        return self._array.tolist()

    def untyped(self) -> UntypedStorage:
        return UntypedStorage._of(self._array)

    def cpu(self) -> "TypedStorage":
        return self

    def is_shared(self) -> bool:
        return False

    def is_pinned(self, device="cuda") -> bool:
        return False

    def __repr__(self) -> str:
        body = "\n".join(f" {v}" for v in self.tolist())
        return f"{body}\n[torch.storage.TypedStorage(dtype={self.dtype}, device={self.device}) of size {self.size()}]"

    __str__ = __repr__


UntypedStorage.__module__ = TypedStorage.__module__ = "torch"


def _legacy(name: str, dt):
    """``torch.FloatStorage`` & co.: TypedStorage of one dtype (``FloatStorage(3)`` is 3 zeros)."""
    def __init__(self, *args, **kwargs):
        TypedStorage.__init__(self, *args, dtype=dt, _internal=True)
    cls = type(name, (TypedStorage,), {"__init__": __init__, "__doc__": f"TypedStorage of {dt}", "_dtype": dt})
    cls.__module__ = "torch"
    return cls


LEGACY_STORAGES = {name: _legacy(name, dt) for name, dt in (
    ("FloatStorage", D.float32), ("DoubleStorage", D.float64), ("HalfStorage", D.float16),
    ("BFloat16Storage", D.bfloat16), ("LongStorage", D.int64), ("IntStorage", D.int32), ("ShortStorage", D.int16),
    ("CharStorage", D.int8), ("ByteStorage", D.uint8), ("BoolStorage", D.bool_),
    ("ComplexFloatStorage", D.complex64), ("ComplexDoubleStorage", D.complex128))}
globals().update(LEGACY_STORAGES)


def legacy_storage(dt):
    """The legacy storage class of dtype ``dt``."""
    return next((c for c in LEGACY_STORAGES.values() if c._dtype is dt), TypedStorage)
UntypedStorage.device = TypedStorage.device = None  # torch.device("cpu"), set by ember._core.tensor (no cycle)
