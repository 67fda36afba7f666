"""PyTorch's error and warning vocabulary: dtype names as its kernels print them, shapes, broadcast failures."""

from __future__ import annotations

import builtins
import sys
import warnings

from .modes import is_ember_file

__all__ = ["_bcast_message", "_cname", "_expand_mismatch", "_long_name", "_no_kernel", "_shape_str", "_warn_user"]


def _bcast_message(sa, sb) -> str:
    # PyTorch names the first dimension (from the right) that disagrees
    na, nb = len(sa), len(sb)
    n = builtins.max(na, nb)
    for i in range(1, n + 1):
        da = sa[-i] if i <= na else 1
        db = sb[-i] if i <= nb else 1
        if da != db and da != 1 and db != 1:
            return (f"The size of tensor a ({da}) must match the size of tensor b ({db}) at non-singleton "
                    f"dimension {n - i}")
    return f"shapes {tuple(sa)} and {tuple(sb)} cannot be broadcast"


def _no_kernel(kernel: str, x):
    raise NotImplementedError(f"\"{kernel}\" not implemented for '{_long_name(x.dtype)}'")


def _warn_user(msg: str) -> None:
    """A UserWarning attributed to the first caller outside ember (PyTorch's warnings point at user code)."""
    f, level = sys._getframe(1), 2  # stacklevel 2 is the frame that called _warn_user
    while f is not None and is_ember_file(f.f_code.co_filename):
        f, level = f.f_back, level + 1
    warnings.warn(msg, UserWarning, stacklevel=level)


_CNAMES = {"float32": "float", "float64": "double", "float16": "c10::Half", "bfloat16": "c10::BFloat16",
           "int64": "long int", "int32": "int", "int16": "short int", "int8": "signed char", "uint8": "unsigned char",
           "bool": "bool", "complex64": "c10::complex<float>", "complex128": "c10::complex<double>"}


def _cname(t):
    return _CNAMES.get(t.dtype.name, t.dtype.name)


def _expand_mismatch(src, target) -> str:
    """The middle of PyTorch's expand error: the last dim (from the right) where ``src`` can't grow."""
    for i in range(1, len(src) + 1):
        if src[-i] != 1 and src[-i] != target[-i]:
            return (f"{target[-i]}) must match the existing size ({src[-i]}) at non-singleton dimension "
                    f"{len(target) - i}")
    return f"{target[0]})"


def _long_name(dt):
    return {"int64": "Long", "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte",
            "bool": "Bool", "float32": "Float", "float64": "Double", "float16": "Half",
            "bfloat16": "BFloat16", "complex64": "ComplexFloat", "complex128": "ComplexDouble"}.get(dt.name, dt.name)


def _shape_str(shape) -> str:
    return "[" + ", ".join(str(s) for s in shape) + "]"
