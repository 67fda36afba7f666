"""The meta device's data: an array with a shape and a dtype and no values.

A meta tensor's ``_data`` is a ``MetaArray``: ``np.broadcast_to`` of one zero of its dtype to its shape, so it
takes no memory whatever its size (every stride is 0), viewed as this ndarray subclass so that NumPy hands
every computation on it back here (``__array_ufunc__``, ``__array_function__``). There the result's shape
and dtype are worked out without computing values, and the result is a MetaArray again: an op applied to
meta tensors gives meta tensors of the right shapes and dtypes, as on PyTorch's meta device.

* ufuncs: broadcast the operands' shapes; the dtype is the ufunc's on one element of each operand; reductions
  and accumulations take their axis and keepdims into account; ``matmul`` follows its signature.
* array functions (concatenate, einsum, tensordot, where, ...): the shape-only rules below, and otherwise
  the function itself on the zero-strided operands, its result replaced by a MetaArray of its shape.
* writes (``a[...] = v``, ``np.copyto``, ufuncs with ``out=``) do nothing: there is nowhere to write.
"""

from __future__ import annotations

import numpy as np

__all__ = ["MetaArray", "meta_array", "is_meta_array"]

_ZEROS: dict = {}


def meta_array(shape, dtype) -> "MetaArray":
    """A MetaArray of ``shape`` and ``dtype`` (no memory is used)."""
    dt = np.dtype(dtype)
    zero = _ZEROS.get(dt)
    if zero is None:
        zero = _ZEROS[dt] = np.zeros((), dtype=dt)
    return np.broadcast_to(zero, tuple(int(s) for s in shape)).view(MetaArray)


def is_meta_array(arr) -> bool:
    """Whether ``arr`` is a meta device's data (a MetaArray, or a plain view of one)."""
    return isinstance(arr, MetaArray) or isinstance(getattr(arr, "base", None), MetaArray)


def _plain(x):
    """A MetaArray (also inside lists, tuples and dicts) as the plain zero-strided ndarray it views."""
    if isinstance(x, MetaArray):
        return x.view(np.ndarray)
    if isinstance(x, (list, tuple)):
        return type(x)(_plain(v) for v in x)
    if isinstance(x, dict):
        return {k: _plain(v) for k, v in x.items()}
    return x


def _one(x):
    """One element of operand ``x`` with its dtype and number of dimensions (for dtype inference)."""
    if isinstance(x, np.ndarray):
        return np.zeros((1,) * x.ndim, dtype=x.dtype)
    return x


def _as_meta(result):
    """A function's result with each ndarray (or NumPy scalar) replaced by a MetaArray of its shape and dtype."""
    if isinstance(result, np.ndarray) and not isinstance(result, MetaArray):
        return meta_array(result.shape, result.dtype)
    if isinstance(result, np.generic):  # a full reduction's NumPy scalar: a 0-d result
        return meta_array((), result.dtype)
    if isinstance(result, tuple):
        return tuple(_as_meta(r) for r in result)
    if isinstance(result, list):
        return [_as_meta(r) for r in result]
    return result


def _axes(axis, ndim: int) -> tuple:
    if axis is None:
        return tuple(range(ndim))
    axis = (axis,) if np.ndim(axis) == 0 else tuple(axis)
    return tuple(a % ndim if ndim else 0 for a in axis)


def _reduced_shape(shape, axis, keepdims) -> tuple:
    axes = _axes(axis, len(shape))
    if keepdims:
        return tuple(1 if i in axes else s for i, s in enumerate(shape))
    return tuple(s for i, s in enumerate(shape) if i not in axes)


def _matmul_shape(a, b) -> tuple:
    sa, sb = tuple(np.shape(a)), tuple(np.shape(b))
    if not sa or not sb:
        raise ValueError("matmul: Input operand does not have enough dimensions")
    a2 = (1,) + sa if len(sa) == 1 else sa
    b2 = sb + (1,) if len(sb) == 1 else sb
    if a2[-1] != b2[-2]:
        raise ValueError(f"matmul: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature "
                         f"(n?,k),(k,m?)->(n?,m?) (size {b2[-2]} is different from {a2[-1]})")
    out = np.broadcast_shapes(a2[:-2], b2[:-2]) + (a2[-2], b2[-1])
    if len(sa) == 1:
        out = out[:-2] + out[-1:]
    if len(sb) == 1:
        out = out[:-1]
    return out


def _concatenate_shape(arrays, axis=0, out=None, dtype=None, casting="same_kind"):
    shapes = [np.shape(a) for a in arrays]
    if axis is None:
        return (sum(int(np.prod(s)) for s in shapes),)
    ax = axis % len(shapes[0])
    base = list(shapes[0])
    base[ax] = sum(s[ax] for s in shapes)
    return tuple(base)


def _stack_shape(arrays, axis=0, out=None, dtype=None, casting="same_kind"):
    shape = list(np.shape(arrays[0]))
    shape.insert(axis % (len(shape) + 1), len(arrays))
    return tuple(shape)


def _einsum_shape(subscripts, *operands, out=None, **kwargs):
    if not isinstance(subscripts, str):
        return None  # the sublist form: NumPy computes it on the zero-strided operands
    s = subscripts.replace(" ", "")
    inputs, arrow, output = s.partition("->")
    sizes: dict = {}
    ellipsis: tuple = ()
    for spec, op in zip(inputs.split(","), operands):
        shape = np.shape(op)
        if "..." in spec:
            left, right = spec.split("...")
            n = len(shape) - len(left) - len(right)
            ellipsis = np.broadcast_shapes(ellipsis, shape[len(left):len(left) + n])
            dims = list(zip(left, shape[:len(left)])) + list(zip(right, shape[len(left) + n:]))
        else:
            dims = list(zip(spec, shape))
        for c, n in dims:
            if sizes.get(c, 1) == 1:  # a size-1 dimension broadcasts against the others
                sizes[c] = n
    if not arrow:  # implicit output: the letters seen once, in alphabetical order
        letters = inputs.replace(",", "").replace("...", "")
        output = ("..." if "..." in inputs else "") + "".join(sorted(c for c in set(letters)
                                                                     if letters.count(c) == 1))
    left, dots, right = output.partition("...")
    return tuple(sizes[c] for c in left) + (tuple(ellipsis) if dots else ()) + tuple(sizes[c] for c in right)


def _tensordot_shape(a, b, axes=2):
    sa, sb = np.shape(a), np.shape(b)
    if np.ndim(axes) == 0:
        ax_a, ax_b = list(range(len(sa) - axes, len(sa))), list(range(axes))
    else:
        ax_a, ax_b = axes
        ax_a = [ax_a] if np.ndim(ax_a) == 0 else list(ax_a)
        ax_b = [ax_b] if np.ndim(ax_b) == 0 else list(ax_b)
    ax_a = [x % len(sa) for x in ax_a]
    ax_b = [x % len(sb) for x in ax_b]
    return tuple(s for i, s in enumerate(sa) if i not in ax_a) + tuple(s for i, s in enumerate(sb) if i not in ax_b)


def _dot_shape(a, b, out=None):
    sa, sb = np.shape(a), np.shape(b)
    if not sa or not sb:
        return np.broadcast_shapes(sa, sb)
    if len(sb) == 1:
        return sa[:-1]
    return sa[:-1] + sb[:-2] + sb[-1:]


# array functions whose result shape is computed without running them (the dtype from one element each)
_SHAPES = {np.concatenate: _concatenate_shape, np.stack: _stack_shape, np.einsum: _einsum_shape,
           np.tensordot: _tensordot_shape, np.dot: _dot_shape}
_WRITES = {np.copyto, np.put, np.place, np.putmask, np.put_along_axis, np.fill_diagonal}


class MetaArray(np.ndarray):
    """The data of a meta tensor (see the module docstring)."""

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        out = kwargs.pop("out", None)
        if method == "at":
            return None
        plain = [_plain(x) for x in inputs]
        if out is not None:
            if not all(isinstance(o, MetaArray) for o in out):  # a real buffer: fill it (with f(0), the values
                with np.errstate(all="ignore"):                 # a meta operand stands for), not garbage
                    getattr(ufunc, method)(*plain, out=tuple(_plain(o) for o in out), **kwargs)
            return out[0] if len(out) == 1 else out  # into meta data there is nothing to write
        with np.errstate(all="ignore"):
            if method == "__call__":
                if ufunc is np.matmul:
                    shape = _matmul_shape(*plain)
                    dt = np.result_type(*(x.dtype if isinstance(x, np.ndarray) else np.asarray(x).dtype
                                          for x in plain))
                    return meta_array(shape, dt)
                where = kwargs.get("where", True)
                shape = np.broadcast_shapes(*(np.shape(x) for x in plain), np.shape(where))
                kwargs.pop("where", None)
                one = getattr(ufunc, method)(*(_one(x) for x in plain), **kwargs)
                if isinstance(one, tuple):
                    return tuple(meta_array(shape, np.asarray(r).dtype) for r in one)
                return meta_array(shape, np.asarray(one).dtype)
            if method in ("reduce", "accumulate"):
                arr = plain[0]
                axis = kwargs.pop("axis", inputs[1] if len(inputs) > 1 else 0)
                keepdims = kwargs.pop("keepdims", False)
                kwargs.pop("where", None)
                small = np.zeros((1,) * arr.ndim, dtype=arr.dtype)
                one = getattr(ufunc, method)(small, axis=axis if method == "reduce" else (axis or 0), **kwargs)
                shape = (_reduced_shape(arr.shape, axis, keepdims) if method == "reduce" else arr.shape)
                return meta_array(shape, np.asarray(one).dtype)
            if method == "outer":
                one = ufunc.outer(*(_one(x) for x in plain), **kwargs)
                return meta_array(np.shape(plain[0]) + np.shape(plain[1]), np.asarray(one).dtype)
            return _as_meta(getattr(ufunc, method)(*plain, **kwargs))

    def __array_function__(self, func, types, args, kwargs):
        if func in _WRITES:
            return None
        shape_of = _SHAPES.get(func)
        plain_args, plain_kwargs = _plain(args), _plain(kwargs)
        if shape_of is not None:
            shape = shape_of(*plain_args, **plain_kwargs)
            if shape is not None:
                operands = plain_args[0] if func in (np.concatenate, np.stack) else (
                    plain_args[1:] if func is np.einsum else plain_args[:2])
                dt = np.result_type(*(np.asarray(x).dtype if not isinstance(x, np.ndarray) else x.dtype
                                      for x in operands))
                return meta_array(shape, dt)
        with np.errstate(all="ignore"):
            return _as_meta(func(*plain_args, **plain_kwargs))

    # -- what ndarray methods would do with values -------------------------------------------------------
    def __setitem__(self, key, value) -> None:
        """Writing into meta data stores nothing."""

    def fill(self, value) -> None:
        pass

    def __getitem__(self, key):
        base = self.view(np.ndarray)
        got = base[_plain(key)]
        if not isinstance(got, np.ndarray):
            return meta_array((), self.dtype)
        if np.shares_memory(got, base):  # a view (basic indexing): still no memory of its own
            return got.view(MetaArray)
        return meta_array(got.shape, got.dtype)  # advanced indexing made a copy: drop it

    def copy(self, order="C"):
        return meta_array(self.shape, self.dtype)

    def astype(self, dtype, order="K", casting="unsafe", subok=True, copy=True):
        return meta_array(self.shape, dtype)

    def __array_finalize__(self, obj) -> None:
        pass
