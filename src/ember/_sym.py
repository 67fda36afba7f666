"""``torch.sym_int``, ``sym_float``, ``sym_max`` ...: PyTorch's symbolic-shape-aware helpers, on plain Python
numbers. ember has no symbolic shapes (no SymInt), so each is the Python operation it stands for, with
PyTorch's checks and type rules (``sym_max`` and ``sym_min`` give a float when either argument is one)."""

from __future__ import annotations

import builtins
import math

from ._array import np

__all__ = ["sym_int", "sym_float", "sym_max", "sym_min", "sym_not", "sym_sqrt", "sym_ite", "sym_sum"]

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
