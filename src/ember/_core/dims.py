"""Dims and shapes: wrapping negative dims, normalising dim lists, inferring -1 in a shape, broadcasting checks."""

from __future__ import annotations

import builtins

from .._array import np
from .messages import _bcast_message

__all__ = ["_infer_shape", "_norm_dims", "_shape_arg", "_wrap_dim", "factory_size"]


def _check_broadcast(sa, sb):
    try:
        return np.broadcast_shapes(sa, sb)
    except ValueError:
        raise RuntimeError(_bcast_message(sa, sb)) from None


def _norm_dims(dim, ndim: int) -> tuple:
    """``dim`` (None, int, or sequence) as a sorted tuple of non-negative axes, range-checked."""
    if dim is None:
        return tuple(range(ndim))
    if isinstance(dim, (int, np.integer)):
        dim = (int(dim),)
    out = []
    for d in dim:
        out.append(_wrap_dim(d, ndim))
    if len(set(out)) != len(out):
        raise RuntimeError(f"dim {out[0]} appears multiple times in the list of dims")
    return tuple(sorted(out))


def _wrap_dim(d, ndim: int) -> int:
    if not isinstance(d, (int, np.integer)):
        raise TypeError(f"dim must be an int, got {type(d).__name__}")
    n = builtins.max(ndim, 1)
    if d < -n or d >= n:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {d})")
    return int(d) % n


def _infer_shape(shape, numel, x_shape):
    # the common case first (view/reshape on every attention head split): Python ints >= 0 with at most one -1,
    # which the checks below would pass unchanged; anything else (other types, errors) takes the full checks
    known, neg = 1, -1
    for i, s in enumerate(shape):
        if type(s) is not int or s < 0:
            if s == -1 and neg < 0 and type(s) is int:
                neg = i
                continue
            break
        known *= s
    else:
        if neg < 0:
            if known == numel:
                return tuple(shape)
        elif known and not numel % known:
            out = list(shape)
            out[neg] = numel // known
            return tuple(out)
    shape = list(shape)
    neg = [i for i, s in enumerate(shape) if s == -1]
    if len(neg) > 1:
        raise RuntimeError("only one dimension can be inferred")
    for i, s in enumerate(shape):
        if not isinstance(s, (int, np.integer)):
            raise TypeError(f"view(): argument 'size' must be tuple of ints, but found element of type "
                            f"{type(s).__name__}")
        if s < -1:
            raise RuntimeError(f"invalid shape dimension {s} at index {i} of shape "
                               f"[{', '.join(str(v) for v in shape)}]")
    if neg:
        known = 1
        for i, s in enumerate(shape):
            if i != neg[0]:
                known *= s
        if known == 0 or numel % known:
            raise RuntimeError(f"shape '[{', '.join(str(s) for s in shape)}]' is invalid for input of size "
                               f"{numel}")
        shape[neg[0]] = numel // known
    total = 1
    for s in shape:
        total *= s
    if total != numel:
        raise RuntimeError(f"shape '[{', '.join(str(s) for s in shape)}]' is invalid for input of size {numel}")
    return tuple(int(s) for s in shape)


def _shape_arg(args):
    if len(args) == 1 and isinstance(args[0], (tuple, list)):
        return tuple(args[0])
    if len(args) == 1 and hasattr(args[0], "shape") and not isinstance(args[0], (int, np.integer)):
        return tuple(args[0])
    return tuple(args)


def _type_word(v) -> str:
    """The type name PyTorch's argument parser prints for a Python value"""
    if hasattr(v, "_data") and hasattr(v, "grad_fn"):
        return "Tensor"
    return type(v).__name__


def _size_entry(v):
    """``v`` as one size entry (an int, a NumPy integer, a 0-d integer tensor), or None when it is none of those"""
    if isinstance(v, (int, np.integer)) and not isinstance(v, (bool, np.bool_)):
        return int(v)
    data = getattr(v, "_data", None)
    if isinstance(data, np.ndarray) and data.ndim == 0 and data.dtype.kind in "iu":
        return int(data)
    return None


# factories whose only signature takes a size (others, like rand's, report an invalid combination of arguments)
_ONE_SIZE_SIGNATURE = frozenset({"zeros", "ones", "empty", "new_zeros", "new_ones", "new_empty", "expand"})


def factory_size(args, fname: str, arg: str = "size", position: int = 1, varargs: bool = True) -> tuple:
    """The shape a factory is asked for: ``args`` are its size arguments (``ones(2, 3)``, ``ones((2, 3))``) or,
    with ``varargs=False``, the one size argument (``full((2, 3), v)``, ``randint(5, (2,))``). PyTorch's TypeErrors
    for a size that is not ints, its RuntimeError for a negative dimension."""
    spread = varargs and len(args) > 1  # ones(2, 3), not ones((2, 3))
    if varargs and len(args) == 1 and isinstance(args[0], (tuple, list)):
        args, varargs = args[0], False
    elif not varargs:
        if not isinstance(args, (tuple, list)):
            raise TypeError(f"{fname}(): argument '{arg}' (position {position}) must be tuple of ints, not "
                            f"{_type_word(args)}")
    elif len(args) == 1 and _size_entry(args[0]) is None:
        raise TypeError(f"{fname}(): argument '{arg}' (position {position}) must be tuple of ints, not "
                        f"{_type_word(args[0])}")
    shape = []
    for i, v in enumerate(args):
        n = _size_entry(v)
        if n is None:
            if i == 0 and spread and fname in _ONE_SIZE_SIGNATURE:
                # PyTorch's parser spreads sizes only after an int: the arguments are then too many
                raise TypeError(f"{fname}() takes 1 positional argument but {len(args)} were given")
            if i > 0 or spread:
                raise TypeError(f"{fname}(): argument '{arg}' failed to unpack the object at pos {i + 1} with "
                                f"error \"type must be tuple of ints,but got {_type_word(v)}\"")
            raise TypeError(f"{fname}(): argument '{arg}' (position {position}) must be tuple of ints, but found "
                            f"element of type {_type_word(v)} at pos {i}")
        shape.append(n)
    for d in shape:
        if d < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {d}: [{', '.join(map(str, shape))}]")
    return tuple(shape)
