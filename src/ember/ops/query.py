"""Questions about tensors and dtypes: is_tensor, numel, result_type, promote_types, finfo, iinfo, ... ."""

from __future__ import annotations

import builtins

from .._array import np
from .._core import dtype as D
from .._core.args import _scalar
from .._core.exposure import expose
from .._core.tensor import Size, Tensor
from ..storage import TypedStorage, UntypedStorage

__all__ = ["is_same_size", "is_signed", "is_conj", "is_neg", "is_inference", "resolve_conj", "resolve_neg",
           "get_device", "is_storage", "is_distributed", "is_tensor", "is_floating_point", "is_complex",
           "is_nonzero", "numel", "typename", "result_type", "promote_types", "can_cast", "broadcast_shapes",
           "finfo", "iinfo"]



def is_same_size(a: Tensor, b: Tensor) -> bool:
    return tuple(a.shape) == tuple(b.shape)

expose(is_same_size, method=True)


def is_signed(x: Tensor) -> bool:
    return x._data.dtype.kind in "fic"

expose(is_signed, method=True)


def is_conj(x: Tensor) -> bool:
    return False

expose(is_conj, method=True)


def is_neg(x: Tensor) -> bool:
    return False

expose(is_neg, method=True)


def is_inference(x: Tensor) -> bool:
    return getattr(x, "_inference", False) if x._base is None else is_inference(x._base)  # a view: its base's

expose(is_inference, method=True)


def resolve_conj(x: Tensor) -> Tensor:
    return x

expose(resolve_conj, method=True)


def resolve_neg(x: Tensor) -> Tensor:
    return x

expose(resolve_neg, method=True)


def get_device(x) -> int:
    return -1

expose(get_device)


def is_storage(obj) -> bool:
    """whether obj is a storage (``x.untyped_storage()``, ``x.storage()``)"""
    return isinstance(obj, (UntypedStorage, TypedStorage))

expose(is_storage)


def is_distributed(x) -> bool:
    return False

expose(is_distributed)


def is_tensor(x) -> bool:
    return isinstance(x, Tensor)

expose(is_tensor)


def _tensor_arg(x, name):
    if not isinstance(x, Tensor):
        raise TypeError(f"{name}(): argument 'input' (position 1) must be Tensor, not {type(x).__name__}")


def is_floating_point(x) -> bool:
    """whether x's dtype is a floating point one"""
    _tensor_arg(x, "is_floating_point")
    return x.is_floating_point()

expose(is_floating_point)


def is_complex(x) -> bool:
    """whether x's dtype is a complex one"""
    _tensor_arg(x, "is_complex")
    return x.is_complex()

expose(is_complex)


def is_nonzero(x) -> bool:
    if x.numel() != 1:
        raise RuntimeError(f"Boolean value of Tensor with {'no values' if x.numel() == 0 else 'more than one value'} "
                           "is ambiguous")
    return bool(x._data.reshape(()))

expose(is_nonzero, method=True)


def numel(x) -> int:
    """the number of elements of x"""
    _tensor_arg(x, "numel")
    return x.numel()

expose(numel)


def typename(x) -> str:
    return x.type() if isinstance(x, Tensor) else type(x).__name__

expose(typename)


def result_type(a, b) -> D.dtype:
    """The dtype PyTorch's promotion gives ``a op b`` (tensors or numbers)."""
    dims, zeros, scalars = [], [], []
    for x in (a, b):
        if isinstance(x, Tensor):
            (dims if x.ndim else zeros).append(x.dtype)
        else:
            scalars.append(D.scalar_category(_scalar(x)))
    return D.result_type_of(dims, zeros, scalars)

expose(result_type)


def promote_types(a, b) -> D.dtype:
    return D.promote_types(a, b)

expose(promote_types)


def can_cast(from_, to) -> bool:
    return from_.category <= to.category

expose(can_cast)


def broadcast_shapes(*shapes):
    """The shape all ``shapes`` broadcast to (right-aligned; a 1 stretches)."""
    shapes = [(s,) if isinstance(s, int) else s for s in shapes if s is not None]
    if not shapes:
        return Size([])
    common = [1] * builtins.max(len(s) for s in shapes)
    # PyTorch's scan: each argument against the shape so far, naming the first that does not fit
    for arg, shape in enumerate(shapes):
        for idx in builtins.range(-1, -1 - len(shape), -1):
            n = int(shape[idx])
            if n == common[idx]:
                continue
            if common[idx] == 1:
                if n < 0:
                    raise ValueError("Attempting to broadcast a dimension with negative length!")
                common[idx] = n
            if n != 1 and common[idx] != n:
                raise RuntimeError(f"Attempting to broadcast a dimension of length {n} at {idx}! Mismatching "
                                   f"argument at index {arg} had {shape}; but expected shape should be "
                                   f"broadcastable to {common}")
    return Size(common)

expose(broadcast_shapes)


class finfo:
    """Machine limits of a floating dtype (``torch.finfo``)."""

    def __init__(self, dtype=None):
        dtype = dtype or D.get_default_dtype()
        if not (dtype.is_floating_point or dtype.is_complex):
            raise TypeError("torch.finfo() requires a floating point input type. Use torch.iinfo to handle "
                            "'torch.finfo'")
        if dtype.name == "bfloat16":  # float32's 8 exponent bits with 7 of its 23 mantissa bits (NumPy has none)
            self.bits, self.eps, self.max = 16, 2.0 ** -7, (2 - 2.0 ** -7) * 2.0 ** 127
            self.min, self.tiny, self.resolution, self.dtype = -self.max, 2.0 ** -126, 0.01, "bfloat16"
            self.smallest_normal = self.tiny
            return
        fi = np.finfo(dtype.np)
        self.bits, self.eps, self.max, self.min = fi.bits, float(fi.eps), float(fi.max), float(fi.min)
        self.tiny = self.smallest_normal = float(fi.tiny)
        self.resolution = 10.0 ** -fi.precision  # a Python float: 1e-06, not float32(1e-06) widened
        self.dtype = fi.dtype.name  # a complex dtype's limits are its real part's (complex64: float32)

    def __repr__(self):
        # PyTorch formats the fields with %g (6 significant digits)
        return (f"finfo(resolution={self.resolution:g}, min={self.min:g}, max={self.max:g}, eps={self.eps:g}, "
                f"smallest_normal={self.tiny:g}, tiny={self.tiny:g}, dtype={self.dtype})")


class iinfo:
    """Machine limits of an integer dtype (``torch.iinfo``)."""

    def __init__(self, dtype):
        if dtype.np == np.bool_:
            raise TypeError("torch.bool is not supported by torch.iinfo")
        if dtype.is_floating_point or dtype.is_complex:
            raise TypeError("torch.iinfo() requires an integer input type. Use torch.finfo to handle 'torch.iinfo'")
        ii = np.iinfo(dtype.np)
        self.bits, self.max, self.min, self.dtype = ii.bits, int(ii.max), int(ii.min), dtype.name

    def __repr__(self):
        return f"iinfo(min={self.min:g}, max={self.max:g}, dtype={self.dtype})"


expose(finfo)
expose(iinfo)
