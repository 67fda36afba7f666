"""``torch.sym_int``, ``sym_float``, ``sym_max`` ...: PyTorch's symbolic-shape-aware helpers, on plain Python
numbers. ember has no symbolic shapes (no SymInt), so each is the Python operation it stands for, with
PyTorch's checks and type rules (``sym_max`` and ``sym_min`` give a float when either argument is one)."""

from __future__ import annotations

import builtins
import math

from ._array import np
from .ops.creation import tensor

__all__ = ["sym_int", "sym_float", "sym_max", "sym_min", "sym_not", "sym_sqrt", "sym_ite", "sym_sum", "sym_constrain_range",
           "sym_constrain_range_for_size", "sym_fresh_size", "SymInt", "SymFloat", "SymBool"]

_NUMBERS = (np.integer, np.floating, builtins.int, builtins.float)
_FLOATS = (np.floating, builtins.float)


def sym_int(a):
    """int(a)"""
    return builtins.int(a)


def sym_float(a):
    """float(a)"""
    if hasattr(a, "__sym_float__"):
        return a.__sym_float__()
    return builtins.float(a)


def _checked(a, b) -> bool:
    for x in (a, b):
        if not isinstance(x, _NUMBERS):
            raise AssertionError(f"expected {_NUMBERS}, got {type(x)}")
    return isinstance(a, _FLOATS) or isinstance(b, _FLOATS)


def sym_max(a, b):
    """max(a, b), a float when either is a float"""
    return builtins.float(builtins.max(a, b)) if _checked(a, b) else builtins.max(a, b)


def sym_min(a, b):
    """min(a, b), a float when either is a float"""
    return builtins.float(builtins.min(a, b)) if _checked(a, b) else builtins.min(a, b)


def sym_not(a):
    """not a"""
    if hasattr(a, "__sym_not__"):
        return a.__sym_not__()
    return not a


def sym_sqrt(a):
    """math.sqrt(a)"""
    if hasattr(a, "__sym_sqrt__"):
        return a.__sym_sqrt__()
    return math.sqrt(a)


def sym_ite(b, t, f):
    """t if b else f (b a bool; t and f of one type)"""
    if not isinstance(b, builtins.bool):
        raise AssertionError(f"expected SymBool or bool, got {type(b)}")
    if type(t) is not type(f):
        raise AssertionError(f"type mismatch: {type(t)} vs {type(f)}")
    return t if b else f


def sym_sum(*args):
    """sum(args), given as one list or tuple or as separate arguments"""
    if len(args) == 1 and isinstance(args[0], (list, tuple)):
        args = args[0]
    return builtins.sum(args)


_INT64_MAX = 2 ** 63 - 1


def _size_number(fn: str, size) -> int:
    if isinstance(size, bool) or not (isinstance(size, _NUMBERS) or hasattr(size, "item")):
        raise TypeError(f"{fn}(): argument 'size' (position 1) must be Number, not {type(size).__name__}")
    return builtins.int(size.item() if hasattr(size, "item") else size)


def _constrain(size: int, lo: int, hi: int) -> None:
    if hi < lo:
        raise RuntimeError(f"Max must be greater than or equal to min. Got min={lo} max={hi}")
    if not lo <= size <= hi:
        raise RuntimeError(f"Invalid value range for {size} between [{lo}, {hi}].")


def sym_constrain_range(size, *, min=None, max=None) -> None:  # noqa: A002 - PyTorch's keywords
    """Check min <= size <= max for a plain number (PyTorch records the range for a symbolic size)."""
    size = _size_number("sym_constrain_range", size)
    _constrain(size, -_INT64_MAX - 1 if min is None else min, _INT64_MAX if max is None else max)


def sym_constrain_range_for_size(size, *, min=None, max=None) -> None:  # noqa: A002
    """As sym_constrain_range, for a size: the range starts at 0 when min is left out, and max must exceed 2."""
    size = _size_number("sym_constrain_range_for_size", size)
    lo, hi = 0 if min is None else min, _INT64_MAX if max is None else max
    if hi < lo:
        raise RuntimeError(f"Max must be greater than or equal to min. Got min={lo} max={hi}")
    if hi <= 2:
        raise RuntimeError(f"Max value to constrain_range_for_size must be greater than 2. got: {hi}")
    _constrain(size, lo, hi)


def sym_fresh_size(expr):
    """A fresh size equal to ``expr``: the value itself, through a tensor as PyTorch does it."""
    return tensor(expr).item()


# The types of symbolic sizes. ember has no symbolic shapes, so nothing is ever one of them, as in eager PyTorch,
# where ``isinstance(n, (int, torch.SymInt))`` checks stay true for plain ints only.

class SymInt:
    """A symbolic integer (torch.compile's traced sizes): ember never makes one."""

    def __init__(self, node) -> None:
        self.node = node


class SymFloat:
    """A symbolic float (torch.compile's traced values): ember never makes one."""

    def __init__(self, node) -> None:
        self.node = node


class SymBool:
    """A symbolic bool (torch.compile's traced conditions): ember never makes one."""

    def __init__(self, node) -> None:
        self.node = node


for _cls in (SymInt, SymFloat, SymBool):
    _cls.__module__ = "torch"
del _cls

