"""Zero-copy exchange with other libraries: ``torch.frombuffer`` (a tensor over a Python buffer) and DLPack
(``torch.from_dlpack``, ``torch.utils.dlpack.to_dlpack``) through NumPy's own DLPack support. Each result shares
its memory with the source: writing to one shows in the other."""

from __future__ import annotations

import warnings

from ._array import np
from ._core import dtype as D
from ._core.tensor import Tensor, _wrap

__all__ = ["frombuffer", "from_dlpack", "to_dlpack"]

_warned_readonly = [False]


def frombuffer(buffer, *, dtype, count: int = -1, offset: int = 0, requires_grad: bool = False) -> Tensor:
    """a 1-D tensor of ``count`` elements of ``dtype`` over ``buffer`` (all of it after ``offset`` bytes when
    ``count`` is -1), sharing its memory"""
    view = memoryview(buffer)
    nbytes, size = view.nbytes, dtype.itemsize
    if nbytes <= 0 or count == 0:
        raise ValueError(f"both buffer length ({nbytes}) and count ({count}) must not be 0")
    if offset < 0 or offset >= nbytes:
        raise ValueError(f"offset ({offset} bytes) must be non-negative and no greater than buffer length ({nbytes} "
                         f"bytes) minus 1")
    if count < 0:
        if (nbytes - offset) % size:
            raise ValueError(f"buffer length ({nbytes - offset} bytes) after offset ({offset} bytes) must be a "
                             f"multiple of element size ({size})")
        count = (nbytes - offset) // size
    elif nbytes - offset < count * size:
        raise ValueError(f"requested buffer length ({count} * {size} bytes) after offset ({offset} bytes) must not "
                         f"be greater than actual buffer length ({nbytes} bytes)")
    if view.readonly and not _warned_readonly[0]:
        _warned_readonly[0] = True
        warnings.warn("The given buffer is not writable, and PyTorch does not support non-writable tensors. This "
                      "means you can write to the underlying (supposedly non-writable) buffer using the tensor. You "
                      "may want to copy the buffer to protect its data or make it writable before converting it to a "
                      "tensor. This type of warning will be suppressed for the rest of this program.", UserWarning,
                      stacklevel=2)
    arr = np.frombuffer(buffer, dtype=dtype.np, count=count, offset=offset)
    t = _wrap(arr)
    if requires_grad:
        t.requires_grad_(True)
    return t


class _Capsule:
    """a DLPack capsule as the object NumPy's ``from_dlpack`` takes (one with ``__dlpack__``) on the CPU"""

    def __init__(self, capsule) -> None:
        self.capsule = capsule

    def __dlpack__(self, *args, **kwargs):
        return self.capsule

    def __dlpack_device__(self):
        return (1, 0)  # kDLCPU


def from_dlpack(ext_tensor) -> Tensor:
    """a tensor sharing memory with ``ext_tensor``: an object with ``__dlpack__`` (a NumPy array, another library's
    tensor) or a DLPack capsule (an unversioned one, as older producers make, gives a read-only tensor)"""
    if isinstance(ext_tensor, Tensor):
        ext_tensor = ext_tensor._data
    if type(ext_tensor).__name__ == "PyCapsule":
        ext_tensor = _Capsule(ext_tensor)
    arr = np.from_dlpack(ext_tensor)
    D.from_numpy_dtype(arr.dtype)
    return _wrap(arr)


def to_dlpack(tensor: Tensor):
    """a DLPack capsule of ``tensor``'s memory (consumed once, by a from_dlpack): a versioned one (DLPack 1.0), so
    that the reader may write to it (NumPy makes the tensor of an unversioned capsule read-only)"""
    return tensor._data.__dlpack__(max_version=(1, 0))
