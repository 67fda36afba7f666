"""Indexing: x[key], x[key] = v, gather/scatter, index_select/add/fill/copy/reduce, masked ops, take, put.

Each op is one block: its node (the derivative in the docstring; ``backward`` gives dL/dx from dL/dy, ``jvp`` gives
dy from dx), then the function (PyTorch's argument checks, all made before anything is computed or written; the
NumPy; the record), then its exposure. Index arrays are kept as NumPy arrays on the nodes; the backward and forward
rules are written with the ops of this file, so they are differentiated again (double backward, forward over
reverse) like any other op.

Repeated indices: an op that *adds* (``index_put(accumulate=True)``, ``index_add``, ``scatter_add``, ``put`` with
``accumulate``, the backward of ``x[idx]``) adds every repeat; an op that *writes* keeps the last one, and its
gradient reaches every repeat of the source (as PyTorch's does)."""

from __future__ import annotations

import builtins

from .._array import np
from .._core import dtype as D
from .._core import modes
from .._core.args import _tensor_arg
from .._core.dims import _wrap_dim
from .._core.exposure import expose
from .._core.messages import _bcast_message, _cname, _expand_mismatch, _long_name, _shape_str, _warn_user
from .._core.meta import is_meta_array as _is_meta_array
from .._core.node import Node, _type_name
from .._core.record import _edge, _forward, _forward_node, _tangents_of, _wrap_result
from .._core.sigs import Sigs
from .._core.tensor import Tensor, _wrap
from .inplace import _register_view, apply_inplace, check_inplace

_fw = modes.forward
_grad_mode = modes.grad
_ndarray = np.ndarray


__all__ = ["nonzero_static", "getitem", "index_put", "index_put_", "setitem", "gather", "scatter", "scatter_add", "index_select",
           "index_add", "index_copy", "index_fill", "masked_fill", "masked_fill_", "masked_select", "masked_scatter",
           "masked_scatter_", "nonzero", "take", "take_along_dim", "argwhere", "unravel_index", "scatter_reduce",
           "index_reduce", "put"]


# =====================================================================================================
# Shared helpers
# =====================================================================================================

def _zeros(shape, like) -> Tensor:
    """zeros of ``shape`` in ``like``'s dtype (a constant: no graph)"""
    return _wrap(np.zeros(shape, dtype=like._data.dtype))


def _or_zeros(t, shape, like) -> Tensor:
    """a tangent, or the zero tangent of ``shape`` where an input has none"""
    return t if t is not None else _zeros(shape, like)


def _nonempty(a):
    """PyTorch's ``ensure_nonempty``: a 0-d array seen as 1-d (gather/scatter treat a scalar as one element)"""
    return a.reshape(1) if a.ndim == 0 else a


def _dtype_name(t) -> str:
    return _long_name(t.dtype)


def _first_outside(flat, lo, hi) -> int:
    """The first index in ``flat`` outside [lo, hi) (PyTorch reports the first it meets)"""
    return int(flat[np.flatnonzero((flat < lo) | (flat >= hi))[0]])


def _in_range(ia, lo, hi) -> bool:
    """Every index in [lo, hi) (a meta tensor's values are unknown, as in PyTorch, so it passes)"""
    return not ia.size or _is_meta_array(ia) or (ia.min() >= lo and ia.max() < hi)


def _shape_error(node, k, got, want):
    """PyTorch's engine refuses a gradient whose shape differs from its input's (scatter with src larger than index)"""
    raise RuntimeError(f"Function {node.name()} returned an invalid gradient at index {k} - got {list(got)} but "
                       f"expected shape compatible with {list(want)}")


def _translated(e: IndexError, shape=None, key=None) -> IndexError:
    """NumPy's out-of-bounds message in PyTorch's words: for an index array, PyTorch counts the dimension among the
    index arrays (x[:, t] names t's dimension 0), and reports the first value out of range"""
    if key is not None:
        dim, k = 0, 0
        for entry in key:
            if entry is Ellipsis:
                dim = len(shape) - builtins.sum(_consumed(v) for v in key[key.index(Ellipsis) + 1:])
                continue
            if isinstance(entry, _ndarray) and entry.dtype != np.bool_:
                n = shape[dim]
                if not _in_range(entry, -n, n):
                    return IndexError(f"index {_first_outside(entry.reshape(-1), -n, n)} is out of bounds for "
                                      f"dimension {k} with size {n}")
                k += 1
            elif isinstance(entry, _ndarray):
                k += entry.ndim
            dim += _consumed(entry)
    return IndexError(str(e).replace("axis", "dimension"))


# =====================================================================================================
# x[key]: one node per key, named after the last step PyTorch's indexing takes
# =====================================================================================================

_BAD_INDEX = ("only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid indices "
              "(got {})")


_SEQUENCE_AS_TUPLE = ("Using a non-tuple sequence for multidimensional indexing is deprecated and will be changed in "
                      "pytorch 2.9; use x[tuple(seq)] instead of x[seq]. In pytorch 2.9 this will be interpreted as "
                      "tensor index, x[torch.tensor(seq)], which will result either in an error or a different result")


def _as_tuple(key):
    """PyTorch's (and NumPy's old) rule: a short list holding a tensor, a sequence, a slice, ... or None is a tuple
    of indices (x[[[0, 1], [1, 2]]] is x[[0, 1], [1, 2]]), with a deprecation warning"""
    if isinstance(key, list) and len(key) < 32 and builtins.any(
            isinstance(k, (Tensor, list, tuple, range, slice, str)) or k is None or k is Ellipsis for k in key):
        _warn_user(_SEQUENCE_AS_TUPLE)
        return tuple(key)
    return key if isinstance(key, tuple) else (key,)


_INDEX_KINDS = (np.dtype(np.int64), np.dtype(np.int32), np.dtype(np.uint8), np.dtype(np.bool_))


def _convert_key(x, key):
    """A NumPy index from a PyTorch one; also says whether it is advanced and which op PyTorch records."""
    if not isinstance(key, tuple):
        key = _as_tuple(key)
    out = []
    advanced = False
    last = "Alias"
    for k in key:
        if isinstance(k, Tensor):
            a = k._data
            if a.dtype not in _INDEX_KINDS:
                raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
            if a.dtype == np.uint8:
                a = a.astype(bool)
            if a.ndim == 0 and a.dtype.kind in "iu":
                out.append(int(a))
                last = "Select"
                continue
            advanced = True
            out.append(a)
        elif isinstance(k, (list, tuple, range)):  # PyTorch builds an index tensor from any of these sequences
            a = np.asarray([v.item() if isinstance(v, Tensor) else v for v in k]) if len(k) else \
                np.zeros(0, dtype=np.int64)
            if a.dtype.kind == "f":
                raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
            advanced = True
            out.append(a)
        elif isinstance(k, (np.ndarray, bool)):
            advanced = True
            out.append(k)
        elif isinstance(k, (int, np.integer)):
            out.append(int(k))
            last = "Select"
        elif isinstance(k, slice):
            for v in (k.start, k.stop, k.step):
                if v is not None and not isinstance(v, (int, np.integer)) and not (isinstance(v, Tensor)):
                    raise TypeError("slice indices must be integers or None or have an __index__ method")
            if k.step is not None and int(k.step) <= 0:
                raise ValueError("step must be greater than zero")
            out.append(slice(*(int(v) if isinstance(v, Tensor) else v for v in (k.start, k.stop, k.step))))
            last = "Slice"
        elif k is None:
            out.append(None)
            last = "Unsqueeze"
        elif k is Ellipsis:
            out.append(Ellipsis)
        elif isinstance(k, str):  # PyTorch tries to build an index tensor from it
            raise TypeError("new(): invalid data type 'str'")
        else:
            raise IndexError(_BAD_INDEX.format(type(k).__name__))
    return tuple(out), advanced, ("Index" if advanced else last)


def _consumed(k) -> int:
    """How many dims of the indexed tensor one key entry uses up."""
    if k is None or k is Ellipsis or isinstance(k, bool):
        return 0
    if isinstance(k, np.ndarray) and k.dtype == bool:
        return k.ndim
    return 1


def _check_bounds(x, key, too_many="too many indices for tensor of dimension {}"):
    # PyTorch's messages for too many indices, a mask of the wrong shape, an int index past its dim's end
    used = builtins.sum(_consumed(k) for k in key)
    if used > x.ndim:
        raise IndexError(too_many.format(x.ndim, used))
    dim = 0
    for pos, k in enumerate(key):
        if k is Ellipsis:
            dim = x.ndim - builtins.sum(_consumed(v) for v in key[pos + 1:])
            continue
        if isinstance(k, int) and not isinstance(k, bool):
            n = x.shape[dim]
            if k >= n or k < -n:
                raise IndexError(f"index {k} is out of bounds for dimension {dim} with size {n}")
        if isinstance(k, np.ndarray) and k.dtype == bool and k.ndim:
            for j, s in enumerate(k.shape):
                if s != x.shape[dim + j]:
                    raise IndexError(f"The shape of the mask [{', '.join(map(str, k.shape))}] at index {j} does "
                                     f"not match the shape of the indexed tensor [{', '.join(map(str, x.shape))}] "
                                     f"at index {dim + j}")
        dim += _consumed(k)
    shapes = [s for k in key if isinstance(k, np.ndarray) and k.ndim
              for s in ([(int(k.sum()),)] * k.ndim if k.dtype == bool else [k.shape])]
    if len(shapes) > 1:
        try:
            np.broadcast_shapes(*shapes)
        except ValueError:
            raise IndexError("shape mismatch: indexing tensors could not be broadcast together with shapes "
                             + ", ".join(map(_shape_str, shapes))) from None


class _KeyBackward(Node):
    """y = x[key] for a basic key (a view):  dx = zeros with g copied in at key"""

    advanced = False

    def backward(self, g):
        # a view has no repeats: g is copied in, as PyTorch's slice/select backward, which keeps -0.0 (adding it
        # to the zeros would give +0.0)
        return (_index_put(_zeros(self.shape, g), self.key, g, accumulate=self.advanced),)

    def jvp(self, tx):
        return _take(tx, self.key, self.advanced, type(self))


class SelectBackward0(_KeyBackward):
    """y = x[i] (a key whose last step is an integer):  dx = zeros with g at i"""


class SliceBackward0(_KeyBackward):
    """y = x[a:b:s] (a key whose last step is a slice):  dx = zeros with g at a:b:s"""


class UnsqueezeBackward0(_KeyBackward):
    """y = x[None] (a key whose last step is None):  dx = g without the new dims"""


class AliasBackward0(_KeyBackward):
    """y = x[...]:  dx = g"""


class IndexBackward0(_KeyBackward):
    """y = x[idx] (advanced: a copy):  dx = zeros with g added at idx (repeated indices add up)"""

    advanced = True


_KEY_NODES = {"Index": IndexBackward0, "Select": SelectBackward0, "Slice": SliceBackward0,
              "Unsqueeze": UnsqueezeBackward0, "Alias": AliasBackward0}


def _is_int_key(k) -> bool:
    if isinstance(k, Tensor):
        return k._data.ndim == 0 and k._data.dtype.kind in "iu"
    return isinstance(k, (int, np.integer)) and not isinstance(k, (bool, np.bool_))


def _split_ints(key):
    """PyTorch applies integer indices (with slices and None) before tensor indices, so x[0, :, [1, 2]] has
    shape (4, 2) where NumPy, counting 0 as advanced, gives (2, 4): the key as (basic part, rest), or None
    when it has no integer to take out first."""
    key = key if isinstance(key, tuple) else (key,)
    if not builtins.any(_is_int_key(k) for k in key) or builtins.any(isinstance(k, (bool, np.bool_)) for k in key):
        return None
    first, rest = [], []
    for k in key:
        if _is_int_key(k):
            first.append(k)
        elif k is None or isinstance(k, slice):
            first.append(k)
            rest.append(slice(None))
        elif k is Ellipsis:
            first.append(k)
            rest.append(k)
        else:  # a tensor/list index: keep its dims for the second step
            nd = k._data.ndim if isinstance(k, Tensor) and k._data.dtype == np.bool_ else \
                (np.ndim(k) if isinstance(k, np.ndarray) and k.dtype == bool else 1)
            first.extend([slice(None)] * nd)
            rest.append(k)
    return tuple(first), tuple(rest)


def _take(x, nkey, advanced, cls):
    """x._data[nkey] recorded as ``cls`` (a view of x for a basic key)"""
    try:
        arr = x._data[nkey]
    except IndexError as e:
        raise _translated(e, x.shape, nkey) from None
    if type(arr) is not _ndarray:
        arr = np.asarray(arr)
    t = _wrap(arr)
    if not advanced:
        if x._version_counter is None:
            x._version_counter = [0]
        t._version_counter = x._version_counter
        t._base = x if x._base is None else x._base
        t._view_key = nkey if x._base is None else None
    if _grad_mode.enabled and x._requires_grad:
        node = cls((_edge(x),))
        node.shape, node.key, node.out_shape = x.shape, nkey, arr.shape
        t.grad_fn = node
        t._requires_grad = True
        if not advanced:
            _register_view(t._base, t)
    else:
        node = _forward_node(cls, (x,))
        if node is None:
            return t
        node.shape, node.key, node.out_shape = x.shape, nkey, arr.shape
    if _fw.level is not None:
        _forward(t, node, cls, (x,))
    return t


def getitem(x, key):
    """x[key] for every PyTorch index form; a view for basic indexing, a copy for advanced"""
    if x.ndim == 0 and isinstance(key, (int, slice)) and not isinstance(key, bool):
        raise IndexError("invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` "
                         "in C++ to convert a 0-dim tensor to a number")
    if type(key) is list:
        key = _as_tuple(key)
    nkey, advanced, name = _convert_key(x, key)
    if advanced:
        split = _split_ints(key)
        if split is not None:
            return getitem(getitem(x, split[0]), split[1])
    _check_bounds(x, nkey)
    if not advanced and _grad_mode.enabled and x._requires_grad:
        steps = _basic_steps(nkey, x.ndim)
        if steps is not None:  # PyTorch records one view node per step: x[0, 1:] is Select then Slice
            t = x
            for k, cls in steps:
                t = _take(t, k, False, cls)
            return t
    return _take(x, nkey, advanced, _KEY_NODES[name])

expose(getitem, torch=False, operators=('__getitem__',))


def _basic_steps(nkey, ndim):
    """A basic key with more than one step (integers, slices other than ``:``, None), as PyTorch applies it:
    one (key, node class) per step, left to right, each addressing the result of the one before; else None."""
    key = nkey if isinstance(nkey, tuple) else (nkey,)
    if len(key) < 2:
        return None
    if builtins.any(k is Ellipsis for k in key):
        pos = next(i for i, k in enumerate(key) if k is Ellipsis)
        used = builtins.sum(1 for k in key if k is not None and k is not Ellipsis)
        key = key[:pos] + (slice(None),) * (ndim - used) + key[pos + 1:]
    steps, dim = [], 0
    for k in key:
        if isinstance(k, slice):
            if k != slice(None):
                steps.append(((slice(None),) * dim + (k,), SliceBackward0))
            dim += 1
        elif k is None:
            steps.append(((slice(None),) * dim + (None,), UnsqueezeBackward0))
            dim += 1
        elif isinstance(k, (int, np.integer)) and not isinstance(k, (bool, np.bool_)):
            steps.append(((slice(None),) * dim + (k,), SelectBackward0))
        else:
            return None
    return steps if len(steps) > 1 else None


# =====================================================================================================
# index_put, x[key] = v
# =====================================================================================================

class IndexPutBackward0(Node):
    """y = x with v written (or added, accumulating) at idx:  dx = g zeroed at idx (g if accumulating), dv = g[idx]"""

    def backward(self, g):
        key = self.key
        gx = gv = None
        if self.next[0] is not None:
            gx = g if self.accumulate else _index_put(g, key, _zeros((), g))
        if self.next[1] is not None:
            gv = _take(g, key, True, IndexBackward0)
            extra = len(self.vshape) - gv.ndim
            if extra > 0:  # the value had leading 1s that the write dropped
                gv = gv.reshape((1,) * extra + tuple(gv.shape))
            gv = gv.sum_to_size(self.vshape) if self.vshape != () else gv.sum()
        return (gx, gv)

    def jvp(self, tx, tv):
        if tv is None:
            return tx if self.accumulate else _index_put(tx, self.key, _zeros((), tx))
        if tx is None:
            tx = _wrap(np.zeros(self.out_shape, dtype=self.dtype))
        return _index_put(tx, self.key, tv, self.accumulate)


class CopySlices(IndexPutBackward0):
    """x[key] = v in place (a basic or mixed key):  dx = g zeroed at key, dv = g[key] summed to v's shape"""


def _index_put(x, key, values, accumulate=False):
    """a copy of x with ``values`` (a tensor, cast to x's dtype) written or added at the NumPy ``key``"""
    r = x._data.copy()
    v = values._data
    if v.dtype != r.dtype:
        v = v.astype(r.dtype)
    try:
        if accumulate:
            lead = 0
            while lead < v.ndim and v.shape[lead] == 1:  # leading 1s broadcast away (PyTorch drops them)
                lead += 1
            np.add.at(r, key, v.reshape(v.shape[lead:]) if lead else v)
        else:
            r[key] = v
    except IndexError as e:
        raise _translated(e, x.shape, key) from None
    except ValueError:
        raise RuntimeError(f"shape mismatch: value tensor of shape {_shape_str(values.shape)} cannot be broadcast "
                           f"to indexing result of shape {_shape_str(np.shape(x._data[key]))}") from None
    return _wrap_result(r, IndexPutBackward0, (x, values), key=key, accumulate=accumulate, vshape=values.shape,
                dtype=r.dtype)


def _put_shape_first(x, key, values):
    """PyTorch checks the values' shape against the indexing result before their dtype and the bounds (no extra
    leading dims, even of size 1): raise its shape error when they do not fit"""
    safe = tuple(np.zeros_like(k) if isinstance(k, _ndarray) and k.dtype != np.bool_ else k for k in key)
    try:
        target = np.broadcast_to(np.False_, x._data.shape)[safe].shape
    except IndexError:
        return  # (an empty dim indexed: the bounds check says so)
    vs = tuple(values.shape)
    try:
        fits = len(vs) <= len(target) and np.broadcast_shapes(vs, target) == target
    except ValueError:
        fits = False
    if not fits:
        raise RuntimeError(f"shape mismatch: value tensor of shape {_shape_str(vs)} cannot be broadcast to indexing "
                           f"result of shape {_shape_str(target)}")


def _put_key(x, indices, name, values=None):
    """PyTorch's checks of index_put's ``indices`` (a tuple or list of index tensors), as a NumPy key"""
    if not isinstance(indices, (tuple, list)):
        raise TypeError(f"{name}(): argument 'indices' (position 1) must be tuple of Tensors, not "
                        f"{type(indices).__name__}")
    for i, k in enumerate(indices):
        # NumPy arrays and slices: ember's own callers address positions directly
        if not isinstance(k, (Tensor, _ndarray, slice)):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got {type(k).__name__}")
    key, _, _ = _convert_key(x, tuple(indices))
    if values is not None:
        _put_shape_first(x, key, values)
    _check_bounds(x, key, "too many indices for tensor of dimension {} (got {})")
    return key


def index_put(x, indices, values, accumulate=False, _name="index_put"):
    """a copy of x with ``values`` written (or added, with ``accumulate``) at ``indices``"""
    if not isinstance(values, Tensor):
        raise TypeError(f"{_name}(): argument 'values' (position 2) must be Tensor, not {type(values).__name__}")
    key = _put_key(x, indices, _name, values)
    if values._data.dtype != x._data.dtype:
        raise RuntimeError(f"Index put requires the source and destination dtypes match, got "
                           f"{_dtype_name(x)} for the destination and {_dtype_name(values)} for the source.")
    return _index_put(x, key, values, accumulate)

expose(index_put, method=True)


def index_put_(x, indices, values, accumulate=False):
    """x[indices] = values (or += with ``accumulate``), in place"""
    check_inplace(x)
    return apply_inplace(x, index_put(x, indices, values, accumulate, _name="index_put_"))

expose(index_put_, method=True)


def setitem(x, key, value):
    """x[key] = value, recorded as an in-place op (CopySlices; IndexPutBackward0 for advanced keys)"""
    if not isinstance(value, (Tensor, int, float, complex)):  # (bool is an int) PyTorch's first check
        kind = type(value)
        kind = kind.__name__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__qualname__}"
        raise TypeError(f"can't assign a {kind} to a {_type_name(x)}")
    if type(key) is list:
        key = _as_tuple(key)
    parts = key if type(key) is tuple else (key,)
    basic_part = builtins.any(  # (PyTorch takes a view for these first, then writes into the view)
        k is None or (isinstance(k, int) and not isinstance(k, bool)) or (isinstance(k, slice) and k != slice(None))
        for k in parts)
    if not basic_part and builtins.any(isinstance(k, (Tensor, _ndarray, list)) for k in parts):
        check_inplace(x)  # (index tensors alone: PyTorch's index_put_ on x refuses a leaf before reading the key)
    nkey, advanced, _ = _convert_key(x, key)
    _check_bounds(x, nkey)  # (the indexing comes first in PyTorch, then the in-place write's checks)
    if advanced:
        _check_inplace_setitem(x, nkey, not basic_part)
    mixed_key = nkey
    split = _split_ints(key) if advanced else None
    if split is not None:
        # integers go first in PyTorch (see _split_ints): address the same elements by flat positions, one
        # index array per dim, so the target has PyTorch's shape
        pos = np.arange(x._data.size).reshape(x._data.shape)
        pos = pos[_convert_key(x, split[0])[0]]
        pos = pos[_convert_key(_wrap(pos), split[1])[0]]
        nkey = np.unravel_index(pos, x._data.shape)
    val_t = value if isinstance(value, Tensor) else None
    v = value._data if val_t is not None else value
    try:
        target = x._data[nkey].shape
    except IndexError as e:
        raise _translated(e, x.shape, nkey) from None
    if advanced and val_t is not None and val_t._data.dtype != x._data.dtype and not (
            val_t.ndim == 0 and _single_mask(mixed_key)):  # x[mask] = v is masked_fill_ in PyTorch: it casts
        raise RuntimeError(f"Index put requires the source and destination dtypes match, got {_dtype_name(x)} for "
                           f"the destination and {_dtype_name(val_t)} for the source.")
    vshape = np.shape(v)
    try:
        np.broadcast_shapes(vshape, target)
        if len(vshape) > len(target) and builtins.any(s != 1 for s in vshape[:len(vshape) - len(target)]):
            raise ValueError
    except ValueError:
        tname = _type_name(val_t) if val_t is not None else "torch.FloatTensor"
        raise RuntimeError(_setitem_shape_message(vshape, target, advanced, tname)) from None
    if not advanced:  # (a basic key: PyTorch copies into a view of x, whose shape check comes first)
        _check_inplace_setitem(x, nkey, advanced)
    via_view = not advanced or builtins.any(
        k is None or (isinstance(k, int) and not isinstance(k, bool)) or (isinstance(k, slice) and k != slice(None))
        for k in mixed_key)
    if len(vshape) > len(target):  # leading 1s PyTorch drops (x[0] = v[None])
        v = np.reshape(v, vshape[len(vshape) - len(target):])
    # PyTorch applies the basic part of a mixed key first (a view), then index_put_ on it: CopySlices
    _write(x, nkey, val_t, v, CopySlices if via_view else IndexPutBackward0)


def _write(x, nkey, val_t, v, cls):
    """x._data[nkey] = v (checked already), recorded as ``cls`` when x or the value needs a gradient or a tangent"""
    track = _grad_mode.enabled and (x._requires_grad or (val_t is not None and val_t._requires_grad))
    if track and x._base is not None:
        # writing through a view: compute the view's new value with its history, then rebase the base on it
        apply_inplace(x, _index_put(x, nkey, val_t if val_t is not None else _wrap(np.asarray(v, x._data.dtype)),
                                    accumulate=False))
        return
    # forward mode: the tangents as they are before the write (a pending one may read x's old values)
    tangents = _tangents_of((x, val_t)) if _fw.level is not None else None
    node = None
    if track or tangents is not None:
        node = cls((_edge(x), _edge(val_t) if val_t is not None else None)) if track else \
            _forward_node(cls, (x, val_t))
        node.key, node.vshape, node.accumulate = nkey, (val_t.shape if val_t is not None else ()), False
        node.out_shape, node.dtype = x._data.shape, x._data.dtype
    x._data[nkey] = v
    x._bump()
    if track:
        x.grad_fn = node
        x._output_nr = 0
        x._requires_grad = True
    if tangents is not None:
        _forward(x, node, type(node), (x, val_t))

expose(setitem, torch=False, operators=('__setitem__',))


def _single_mask(key) -> bool:
    """whether the key is one boolean mask (and full slices after it)"""
    while key and (key[-1] is Ellipsis or (isinstance(key[-1], slice) and key[-1] == slice(None))):
        key = key[:-1]
    return len(key) == 1 and isinstance(key[0], _ndarray) and key[0].dtype == np.bool_


def _check_inplace_setitem(x, nkey, advanced):
    # a basic key writes through a view of x (PyTorch says so); Ellipsis alone or advanced keys write x
    if _grad_mode.enabled and x._requires_grad and x.grad_fn is None and not advanced and builtins.any(k is not Ellipsis for k in nkey):
            raise RuntimeError("a view of a leaf Variable that requires grad is being used in an in-place "
                               "operation.")
    check_inplace(x)


def _setitem_shape_message(vshape, target, advanced, tname) -> str:
    def fmt(shape):
        return "[" + ", ".join(map(str, shape)) + "]"

    if advanced:
        return (f"shape mismatch: value tensor of shape {fmt(vshape)} cannot be broadcast to indexing result of "
                f"shape {fmt(target)}")
    if len(vshape) > len(target):
        return f"expand({tname}{{{fmt(vshape)}}}, size={fmt(target)}): the number of sizes provided " \
               f"({len(target)}) must be greater or equal to the number of dimensions in the tensor ({len(vshape)})"
    n = len(target)
    for i in range(1, len(vshape) + 1):
        if vshape[-i] != 1 and vshape[-i] != target[-i]:
            return (f"The expanded size of the tensor ({target[-i]}) must match the existing size ({vshape[-i]}) "
                    f"at non-singleton dimension {n - i}.  Target sizes: {fmt(target)}.  Tensor sizes: "
                    f"{fmt(vshape)}")
    return f"cannot broadcast {fmt(vshape)} to {fmt(target)}"


# =====================================================================================================
# gather, scatter, scatter_add, scatter_reduce: along a dim, one index per output element
# =====================================================================================================

def _along(index, dim):
    """Full fancy index addressing ``index``'s positions along ``dim`` (PyTorch's gather/scatter rule)."""
    idx = []
    nd = index.ndim
    for k in range(nd):
        if k == dim:
            idx.append(index)
        else:
            shp = [1] * nd
            shp[k] = index.shape[k]
            idx.append(np.arange(index.shape[k]).reshape(shp))
    return tuple(idx)


def _region(src, ia):
    """The part of ``src`` that ``ia`` addresses (src may be larger than the index in every dim)"""
    if src.shape == ia.shape:
        return src
    return _nonempty(src)[tuple(slice(0, s) for s in _nonempty(ia).shape)]


def _check_scatter(x, d, index, src, name="scatter"):
    """PyTorch's scatter/gather checks, in its order: dtypes, dims and sizes, then every index in range"""
    if not isinstance(index, Tensor) or index._data.dtype not in (np.int64, np.int32):
        raise RuntimeError(f"{name}(): Expected dtype int32/int64 for index")
    ia = index._data
    if src is not None and src._data.dtype != x._data.dtype:
        raise RuntimeError(f"{name}(): Expected self.dtype to be equal to src.dtype")
    if ia.size:
        nd = builtins.max(x.ndim, 1)
        if nd != builtins.max(ia.ndim, 1):
            raise RuntimeError("Index tensor must have the same number of dimensions as self tensor")
        xs, ins = _nonempty(x._data).shape, _nonempty(ia).shape
        wrong = builtins.any(k != d and ins[k] > xs[k] for k in range(nd))
        if src is not None and src.ndim == 0 and ia.ndim:
            raise RuntimeError("Index tensor must have the same number of dimensions as src tensor")
        if src is not None and not wrong:
            for k in range(nd):
                ss = 1 if src.ndim == 0 else src.shape[_wrap_dim(k, src.ndim)]
                wrong = wrong or ins[k] > ss
        if wrong:
            tail = f" and to be no larger size than src {list(src.shape)}" if src is not None else ""
            raise RuntimeError(f"Expected index {list(ia.shape)} to be no larger than self {list(x.shape)} apart "
                               f"from dimension {d}{tail}")
        if src is not None and builtins.max(src.ndim, 1) != nd:
            raise RuntimeError("Index tensor must have the same number of dimensions as src tensor")
        _check_range(ia, xs[d], d)
    return ia


def _check_range(ia, n, d):
    if not _in_range(ia, 0, n):
        raise RuntimeError(f"index {_first_outside(ia.reshape(-1), 0, n)} is out of bounds for dimension {d} with "
                           f"size {n}")


class GatherBackward0(Node):
    """y = gather(x, d, idx), y[i][j] = x[i][idx[i][j]]:  dx = zeros.scatter_add(d, idx, g)"""

    def backward(self, g):
        return (_scatter_add(_zeros(self.shape, g), self.dim, self.index, g),)

    def jvp(self, tx):
        return _gather(tx, self.dim, self.index)


def _gather(x, d, ia):
    xd = x._data
    if xd.ndim == 0:  # every index is 0
        r = np.broadcast_to(xd, ia.shape).copy()
    elif ia.ndim == 0:
        r = np.array(xd[int(ia)])
    else:
        r = xd[_along(ia, d)]
    return _wrap_result(r, GatherBackward0, (x,), shape=x.shape, dim=d, index=ia)


_GATHER = Sigs("gather", "(Tensor input, int dim, Tensor index, *, bool sparse_grad = False, Tensor out = None)")


def gather(x, dim, index, *, sparse_grad=False):
    """y[i][j] = x[i][index[i][j]] along dim"""
    if type(x) is not Tensor or type(dim) is not int or type(index) is not Tensor:
        _GATHER.check_call(gather, x, dim, index, sparse_grad)
    if type(x) is not Tensor or type(index) is not Tensor:
        _tensor_arg("gather", ("input", 1, x), ("index", 3, index))
    if not isinstance(index, Tensor) or index._data.dtype not in (np.int64, np.int32):
        raise RuntimeError("gather(): Expected dtype int32/int64 for index")
    d = _wrap_dim(dim, x.ndim)
    ia = index._data
    if ia.size:
        nd = builtins.max(x.ndim, 1)
        if nd != builtins.max(ia.ndim, 1):
            raise RuntimeError("Index tensor must have the same number of dimensions as input tensor")
        xs, ins = _nonempty(x._data).shape, _nonempty(ia).shape
        for k in range(nd):
            if k != d and ins[k] > xs[k]:
                raise RuntimeError(f"Size does not match at dimension {k} expected index {list(ia.shape)} to be no "
                                   f"larger than self {list(x.shape)} apart from dimension {d}")
        _check_range(ia, xs[d], d)
    return _gather(x, d, ia)

expose(gather, method=True)


def _scatter_into(r, d, ia, sv, reduce=None):
    """r (a fresh copy) with sv written at ia along d (``reduce``: "add" or "multiply" into r instead)"""
    r1, key = _nonempty(r), _along(_nonempty(ia), d)
    if reduce is None:
        r1[key] = sv
    elif reduce == "add":
        np.add.at(r1, key, sv)
    else:
        np.multiply.at(r1, key, sv)
    return r


class ScatterBackward0(Node):
    """y = scatter(x, d, idx, src):  dx = g zeroed at idx, dsrc = gather(g, d, idx)"""

    def backward(self, g):
        gx = _scatter_value(g, self.dim, self.index, 0) if self.next[0] is not None else None
        gs = None
        if self.next[1] is not None:
            gs = _gather(g, self.dim, self.index)
            if gs.shape != self.src_shape:
                _shape_error(self, 1, gs.shape, self.src_shape)
        return (gx, gs)

    def jvp(self, tx, ts):
        tx = _or_zeros(tx, self.out_shape, ts)
        return _scatter_src(tx, self.dim, self.index, _or_zeros(ts, self.src_shape, tx))


class ScatterBackward1(Node):
    """y = scatter(x, d, idx, value) (a number):  dx = g zeroed at idx"""

    def backward(self, g):
        return (_scatter_value(g, self.dim, self.index, 0),)

    def jvp(self, tx):
        return _scatter_value(tx, self.dim, self.index, 0)


class NotImplemented(Node):  # noqa: A001  (PyTorch's node name)
    """An op PyTorch does not differentiate (scatter with reduce=, heaviside, floor_divide, number % tensor, the
    gradient of ctc_loss): recorded so that grad_fn prints as PyTorch's, and its backward raises.
    ``op`` is the aten name the message gives."""

    op = ""

    def backward(self, g):
        raise RuntimeError(f"derivative for aten::{self.op} is not implemented")

    def jvp(self, *tangents):
        raise NotImplementedError(f"Trying to use forward AD with aten::{self.op} that does not support it.")


def _scatter_src(x, d, ia, src):
    r = _scatter_into(x._data.copy(), d, ia, _region(src._data, ia))
    return _wrap_result(r, ScatterBackward0, (x, src), dim=d, index=ia, src_shape=src.shape)


def _scatter_value(x, d, ia, value):
    r = _scatter_into(x._data.copy(), d, ia, value)
    return _wrap_result(r, ScatterBackward1, (x,), dim=d, index=ia)


_SCATTER_REDUCE_DEPRECATED = ("The reduce argument of torch.scatter with Tensor src is deprecated and will be removed "
                              "in a future PyTorch release. Use torch.scatter_reduce instead for more reduction "
                              "options.")
_scatter_reduce_warned = False


_SCATTER = Sigs("scatter", "(Tensor input, int dim, Tensor index, Tensor src, *, Tensor out = None)",
                "(Tensor input, int dim, Tensor index, Tensor src, *, str reduce, Tensor out = None)",
                "(Tensor input, int dim, Tensor index, Number value, *, Tensor out = None)",
                "(Tensor input, int dim, Tensor index, Number value, *, str reduce, Tensor out = None)")


def scatter(x, dim, index, src=None, value=None, *, reduce=None):
    """a copy of x with src (or the number value) written at index along dim (``reduce``: added or multiplied)"""
    if type(x) is not Tensor or type(dim) is not int or type(index) is not Tensor or (type(src) is not Tensor and type(src) is not float and type(value) is not float
                                      and type(value) is not int and type(src) is not int):
        _SCATTER.check_call(scatter, x, dim, index, src, value, reduce)
    global _scatter_reduce_warned
    if src is None:
        src = value
    src_t = src if isinstance(src, Tensor) else None
    d = _wrap_dim(dim, x.ndim)
    ia = _check_scatter(x, d, index, src_t)
    if reduce is not None:
        if reduce not in ("add", "multiply"):
            raise RuntimeError("reduce argument must be either add or multiply.")
        if src_t is not None and not _scatter_reduce_warned:  # PyTorch warns once a process (TORCH_WARN_ONCE)
            _scatter_reduce_warned = True
            _warn_user(_SCATTER_REDUCE_DEPRECATED)
        if _fw.level is not None and _tangents_of((x, src_t)) is not None:
            raise NotImplementedError("Trying to use forward AD with aten::scatter that does not support it.")
        sv = _region(src_t._data, ia) if src_t is not None else src
        return _wrap_result(_scatter_into(x._data.copy(), d, ia, sv, reduce), NotImplemented, (x, src_t), op="scatter")
    if src_t is not None:
        return _scatter_src(x, d, ia, src_t)
    return _scatter_value(x, d, ia, src)

expose(scatter, method=True, inplace=True)


class ScatterAddBackward0(Node):
    """y = scatter_add(x, d, idx, src):  dx = g, dsrc = gather(g, d, idx)"""

    def backward(self, g):
        gs = None
        if self.next[1] is not None:
            gs = _gather(g, self.dim, self.index)
            if gs.shape != self.src_shape:
                _shape_error(self, 1, gs.shape, self.src_shape)
        return (g if self.next[0] is not None else None, gs)

    def jvp(self, tx, ts):
        tx = _or_zeros(tx, self.out_shape, ts)
        return tx if ts is None else _scatter_add(tx, self.dim, self.index, ts)


def _scatter_add(x, d, ia, src):
    r = _scatter_into(x._data.copy(), d, ia, _region(src._data, ia).astype(x._data.dtype, copy=False), "add")
    return _wrap_result(r, ScatterAddBackward0, (x, src), dim=d, index=ia, src_shape=src.shape)


_SCATTER_ADD = Sigs("scatter_add", "(Tensor input, int dim, Tensor index, Tensor src, *, Tensor out = None)")


def scatter_add(x, dim, index, src):
    """a copy of x with src added at index along dim (repeated indices add up)"""
    if type(x) is not Tensor or type(dim) is not int or type(index) is not Tensor or type(src) is not Tensor:
        _SCATTER_ADD.check(x, dim, index, src)
    if type(x) is not Tensor or type(index) is not Tensor or type(src) is not Tensor:
        _tensor_arg("scatter_add", ("input", 1, x), ("index", 3, index), ("src", 4, src))
    d = _wrap_dim(dim, x.ndim)
    ia = _check_scatter(x, d, index, src)
    return _scatter_add(x, d, ia, src)

expose(scatter_add, method=True, inplace=True)


_REDUCTIONS = {"sum": "sum", "prod": "prod", "mean": "mean", "amax": "amax", "amin": "amin", "max": "amax",
               "min": "amin"}  # PyTorch takes "max" and "min" for amax and amin too


def _scatter_reduced(xd, d, ia, sv, reduce, include_self):
    """The forward of scatter_reduce on arrays: sv reduced into a copy of xd at ia along d"""
    out = xd.copy()
    o1, key = _nonempty(out), _along(_nonempty(ia), d)
    if not include_self:  # the positions the index reaches start from the reduction's identity
        hit = np.zeros(o1.shape, dtype=bool)
        hit[key] = True
        if reduce in ("sum", "mean"):
            o1[hit] = 0
        elif reduce == "prod":
            o1[hit] = 1
        else:
            info = np.finfo(out.dtype) if out.dtype.kind == "f" else np.iinfo(out.dtype)
            o1[hit] = (-np.inf if out.dtype.kind == "f" else info.min) if reduce == "amax" else \
                (np.inf if out.dtype.kind == "f" else info.max)
    if reduce in ("sum", "mean"):
        np.add.at(o1, key, sv)
        if reduce == "mean":
            cnt = np.full(o1.shape, 1 if include_self else 0, dtype=np.int64)
            np.add.at(cnt, key, 1)
            cnt = np.maximum(cnt, 1)
            o1[...] = o1 / cnt if out.dtype.kind in "fc" else o1 // cnt
    elif reduce == "prod":
        np.multiply.at(o1, key, sv)
    else:
        (np.maximum if reduce == "amax" else np.minimum).at(o1, key, sv)
    return out


def _reduce_coefficients(x, d, ia, s, reduce, include_self):
    """∂y/∂x and ∂y/∂s of y = scatter_reduce(x, d, ia, s) (s: the part of src the index addresses), elementwise:
    (cx, cs) with dy = cx dx + scatter_add(0, d, ia, cs ds). Written with ember's ops: they carry a graph when
    backward is differentiated again. Ties (amax, amin) share the derivative evenly; a zero of a product is
    handled by computing the products of the other factors directly."""
    hit = np.zeros(_nonempty(x._data).shape, dtype=bool)
    hit[_along(_nonempty(ia), d)] = True
    hit = hit.reshape(x.shape)
    ones = _wrap(np.ones(x.shape, dtype=x._data.dtype))
    if reduce == "sum":
        cx, cs = ones, _wrap(np.ones(ia.shape, dtype=x._data.dtype))
    elif reduce == "mean":
        n = _scatter_reduced(np.full(x.shape, 1.0 if include_self else 0.0, dtype=x._data.dtype), d, ia,
                             np.ones(ia.shape, dtype=x._data.dtype), "sum", True)
        inv = _wrap(1 / np.maximum(n, 1))
        cx, cs = inv, _gather(inv, d, ia)
    elif reduce == "prod":
        # ∂/∂x = the product of the src factors, ∂/∂s_j = the product of every other factor
        xm = _masked_fill(x, x._data == 0, 1.0)
        cx = _scatter_reduce(xm, d, ia, s, "prod", include_self) / xm
        zero = s._data == 0
        zeros_in_group = _scatter_reduced(np.zeros(x.shape, dtype=np.int64), d, ia, zero.astype(np.int64),
                                          "sum", True)
        single = zero & (_nonempty(zeros_in_group)[_along(_nonempty(ia), d)].reshape(ia.shape) == 1)
        y = _scatter_reduce(x, d, ia, s, "prod", include_self)
        others = _gather(y, d, ia) / _masked_fill(s, zero, 1.0)
        if single.any():  # the one zero of its group: the product of the others, computed without it
            without = _gather(_scatter_reduce(x, d, ia, _masked_fill(s, single, 1.0), "prod", include_self), d, ia)
            others = _where(single, without, others)
        if (zero & ~single).any():  # this derivative is right, but not its own derivative: PyTorch refuses that
            others = _delayed_error(others, "scatter_reduce(): Double backward is unsupported for src when >1 zeros "
                                            "in src are scattered to the same position in self")
        cs = others
    else:
        y = _scatter_reduce(x, d, ia, s, reduce, include_self)._data
        at_x = x._data == y
        if not include_self:
            at_x &= ~hit
        at_s = s._data == _nonempty(y)[_along(_nonempty(ia), d)].reshape(ia.shape)
        n = _scatter_reduced(at_x.astype(x._data.dtype), d, ia, at_s.astype(x._data.dtype), "sum", True)
        share = 1 / np.where(n == 0, 1, n)
        cx = _wrap(at_x * share)
        cs = _wrap(at_s * _nonempty(share)[_along(_nonempty(ia), d)].reshape(ia.shape))
    if not include_self:
        cx = _masked_fill(cx, hit, 0.0)
    return cx, cs


class Error(Node):
    """a gradient that is right but whose own derivative PyTorch does not give:  differentiating it raises"""

    def backward(self, g):
        raise RuntimeError(self.message)


def _delayed_error(t, message):
    """t, with a node that raises ``message`` when t itself is differentiated (a double backward)"""
    if not (_grad_mode.enabled and t._requires_grad):
        return t
    return _wrap_result(t._data, Error, (t,), message=message)


def _where(cond, a, b):
    """where(cond, a, b) for a NumPy bool cond, recorded (a and b have cond's shape)"""
    return _masked_fill(b, cond, 0.0) + _masked_fill(a, ~cond, 0.0)


class ScatterReduceBackward0(Node):
    """y = scatter_reduce(x, d, idx, src, reduce):  dx = cx g, dsrc = cs gather(g, d, idx), with cx, cs the
    derivatives of the reduction (sum: 1; mean: 1/count; prod: the product of the other factors; amax, amin: 1 at
    the maximum, shared among ties; 0 for x where the index reaches and include_self is False)"""

    def backward(self, g):
        x, src = self.saved_values()
        s = _region_t(src, self.index)
        cx, cs = _reduce_coefficients(x, self.dim, self.index, s, self.reduce, self.include_self)
        gx = g * cx if self.next[0] is not None else None
        gs = None
        if self.next[1] is not None:
            gs = _gather(g, self.dim, self.index) * cs
            if gs.shape != src.shape:
                _shape_error(self, 1, gs.shape, src.shape)
        return (gx, gs)

    def jvp(self, tx, ts):
        x, src = self.saved_values()
        s = _region_t(src, self.index)
        cx, cs = _reduce_coefficients(x, self.dim, self.index, s, self.reduce, self.include_self)
        out = tx * cx if tx is not None else _zeros(x.shape, ts)
        if ts is not None:
            out = _scatter_add(out, self.dim, self.index, _region_t(ts, self.index) * cs)
        return out


def _region_t(src, ia):
    """the part of the tensor ``src`` that the index addresses, recorded"""
    if src.shape == ia.shape:
        return src
    return _take(src, tuple(slice(0, s) for s in ia.shape), False, SliceBackward0)


def _scatter_reduce(x, d, ia, src, reduce, include_self, node=None):
    r = _scatter_reduced(x._data, d, ia, _region(src._data, ia), reduce, include_self)
    return _wrap_result(r, node or ScatterReduceBackward0, (x, src), saved=(x, src), dim=d, index=ia, reduce=reduce,
                include_self=include_self)


def scatter_reduce(x: Tensor, dim: int, index: Tensor, src: Tensor, reduce: str, *,
                   include_self: bool = True) -> Tensor:
    """x with src reduced into positions index along dim ('sum', 'prod', 'mean', 'amax', 'amin')"""
    d = _wrap_dim(dim, x.ndim)
    ia = _check_scatter(x, d, index, src)
    if reduce not in _REDUCTIONS:
        raise RuntimeError(f"reduce argument must be either sum, prod, mean, amax or amin, got {reduce}")
    return _scatter_reduce(x, d, ia, src, _REDUCTIONS[reduce], include_self)

expose(scatter_reduce, method=True, inplace=True)


# =====================================================================================================
# index_select, index_add, index_copy, index_fill, index_reduce: whole slices along a dim
# =====================================================================================================

def _check_vector_index(index, name, x, d, source):
    """index_add's and index_reduce's checks of the index and the source, in PyTorch's order"""
    ia = index._data
    if ia.ndim > 1:
        raise IndexError(f"{name}_(): Index is supposed to be a vector, but got dim: {ia.ndim} with type: "
                         f"{_dtype_name(index)} and size: {list(ia.shape)}")
    if ia.dtype not in (np.int64, np.int32):
        raise RuntimeError(f"{name}_(): Expected dtype int32/int64 for index but got: {_dtype_name(index)}")
    if x._data.dtype != source._data.dtype:
        raise RuntimeError(f"{name}_(): self ({_dtype_name(x)}) and source ({_dtype_name(source)}) must have the "
                           "same scalar type")
    if d != 0 and d >= source.ndim:
        raise RuntimeError(f"{name}_(): Indexing dim {d} is out of bounds of the source tensor with dim "
                           f"{source.ndim}")
    n_src = 1 if source.ndim == 0 else source.shape[d]
    if ia.size != n_src:
        raise RuntimeError(f"{name}_(): Number of indices ({ia.size}) should be equal to source.size(dim): "
                           f"({n_src}), for dim: {d}")
    xs, ss = list(x.shape), list(source.shape)
    if x.ndim and source.ndim:
        del xs[d], ss[d]
    if xs != ss:
        raise RuntimeError("source tensor shape must match self tensor shape, excluding the specified dimension. "
                           f"Got self.shape = {list(x.shape)} source.shape = {list(source.shape)}")
    return ia.reshape(-1)


def _slices(a, d):
    """a's slices along d as the leading axis (a view; a 0-d array as one slice)"""
    return a.reshape(1) if a.ndim == 0 else np.moveaxis(a, d, 0)


class IndexSelectBackward0(Node):
    """y = index_select(x, d, idx):  dx = zeros.index_add(d, idx, g)"""

    def backward(self, g):
        return (_index_add(_zeros(self.shape, g), self.dim, self.index, g),)

    def jvp(self, tx):
        return _index_select(tx, self.dim, self.index)


def _index_select(x, d, ia):
    r = np.take(x._data, ia, axis=d) if x.ndim else x._data.copy()
    return _wrap_result(r, IndexSelectBackward0, (x,), shape=x.shape, dim=d, index=ia)


_INDEX_SELECT = Sigs("index_select", "(Tensor input, int dim, Tensor index, *, Tensor out = None)")


def index_select(x, dim, index):
    """the slices index[0], index[1], ... of x along dim"""
    if type(x) is not Tensor or type(dim) is not int or type(index) is not Tensor:
        _INDEX_SELECT.check(x, dim, index)
    if type(x) is not Tensor or type(index) is not Tensor:
        _tensor_arg("index_select", ("input", 1, x), ("index", 3, index))
    d = _wrap_dim(dim, x.ndim)
    ia = index._data if isinstance(index, Tensor) else np.asarray(index)
    if ia.ndim > 1:
        raise IndexError("index_select(): Index is supposed to be a vector")
    if ia.dtype not in (np.int64, np.int32):
        raise RuntimeError("index_select(): Expected dtype int32 or int64 for index")
    if x.ndim == 0 and ia.size != 1:
        raise RuntimeError(f"index_select(): Index to scalar can have only 1 value, got {ia.size} value(s)")
    n = x.shape[d] if x.ndim else 1
    if x.ndim > 1 and ia.size and (x._data.size == 0 or d == 1):
        # PyTorch's CPU kernel for an empty input, and its dim-1 kernel, check the indices with their own words
        if n == 0:
            raise RuntimeError("index_select(): self indexing axis dim should be positive")
        flat = ia.reshape(-1)
        bad = (flat < 0) | (flat >= n)
        if bad.any():
            raise RuntimeError(f"INDICES element is out of DATA bounds, id={int(flat[bad][0])} axis_dim={n}")
    if not _in_range(ia, 0, n):
        raise IndexError("index out of range in self")
    return _index_select(x, d, ia.reshape(-1))

expose(index_select, method=True)


class IndexAddBackward0(Node):
    """y = index_add(x, d, idx, src, α):  dx = g, dsrc = α index_select(g, d, idx)"""

    def backward(self, g):
        gs = None
        if self.next[1] is not None:
            gs = _index_select(g, self.dim, self.index)
            if self.alpha != 1:
                gs = gs * self.alpha
            if gs.shape != self.src_shape:
                gs = gs.reshape(self.src_shape)
        return (g if self.next[0] is not None else None, gs)

    def jvp(self, tx, ts):
        tx = _or_zeros(tx, self.out_shape, ts)
        return tx if ts is None else _index_add(tx, self.dim, self.index, ts, self.alpha)


def _index_add(x, d, ia, source, alpha=1):
    r = x._data.copy()
    sv = source._data
    if alpha != 1:
        sv = sv * (alpha if r.dtype.kind in "fc" else int(alpha))
    np.add.at(_slices(r, d), ia, _slices(sv.astype(r.dtype, copy=False), d))
    return _wrap_result(r, IndexAddBackward0, (x, source), dim=d, index=ia, alpha=alpha, src_shape=source.shape)


_INDEX_ADD = Sigs("index_add", "(Tensor input, int dim, Tensor index, Tensor source, *, Number alpha = 1, "
                  "Tensor out = None)")


def index_add(x, dim, index, source, *, alpha=1):
    """a copy of x with α source[k] added to the slice index[k] along dim (repeated indices add up)"""
    if type(x) is not Tensor or type(dim) is not int or type(index) is not Tensor or type(source) is not Tensor:
        _INDEX_ADD.check_call(index_add, x, dim, index, source, alpha)
    if type(x) is not Tensor or type(index) is not Tensor or type(source) is not Tensor:
        _tensor_arg("index_add", ("input", 1, x), ("index", 3, index), ("source", 4, source))
    d = _wrap_dim(dim, x.ndim)
    ia = _check_vector_index(index, "index_add", x, d, source)
    n = x.shape[d] if x.ndim else 1
    if x.ndim > 1:
        _check_range(ia, n, d)
    elif ia.size and (ia.min() < 0 or ia.max() >= n):  # PyTorch's 1-D path: its own message, no negative index
        raise IndexError("index out of range in self")
    return _index_add(x, d, ia, source, alpha)

expose(index_add, method=True, inplace=True)


class IndexCopyBackward0(Node):
    """y = index_copy(x, d, idx, src):  dx = g with the slices idx zeroed, dsrc = index_select(g, d, idx)"""

    def backward(self, g):
        gx = _index_fill(g, self.dim, self.index, 0) if self.next[0] is not None else None
        gs = None
        if self.next[1] is not None:
            gs = _index_select(g, self.dim, self.index)
            if gs.shape != self.src_shape:
                gs = gs.reshape(self.src_shape)
        return (gx, gs)

    def jvp(self, tx, ts):
        tx = _or_zeros(tx, self.out_shape, ts)
        return _index_copy(tx, self.dim, self.index, _or_zeros(ts, self.src_shape, tx))


def _index_copy(x, d, ia, source):
    r = x._data.copy()
    _slices(r, d)[ia] = _slices(source._data, d)
    return _wrap_result(r, IndexCopyBackward0, (x, source), dim=d, index=ia, src_shape=source.shape)


_INDEX_COPY = Sigs("index_copy", "(Tensor input, int dim, Tensor index, Tensor source, *, Tensor out = None)")


def index_copy(x, dim, index, source):
    """a copy of x with source[k] written over the slice index[k] along dim (a repeated index keeps the last)"""
    if type(x) is not Tensor or type(dim) is not int or type(index) is not Tensor or type(source) is not Tensor:
        _INDEX_COPY.check(x, dim, index, source)
    if type(x) is not Tensor or type(index) is not Tensor or type(source) is not Tensor:
        _tensor_arg("index_copy", ("input", 1, x), ("index", 3, index), ("source", 4, source))
    d = _wrap_dim(dim, x.ndim)
    ia = index._data
    if ia.ndim > 1:
        raise IndexError(f"index_copy_(): Index should have dimension 1 or 0 (got {ia.ndim})")
    if source.ndim == 0 and ia.size != 1:
        raise IndexError(f"index_copy_(): When source is scalar, index should have one element (got {ia.size})")
    if source.ndim != x.ndim and source.ndim and x.ndim:
        raise IndexError("index_copy_(): When source and destination are not scalars, their dimensionality must "
                         f"match. Source dimensionality ({source.ndim}), destination dimensionality ({x.ndim})")
    if ia.dtype != np.int64:
        raise RuntimeError(f"index_copy_(): Expected a long tensor for index, but got {_dtype_name(index)}")
    if source._data.dtype != x._data.dtype:
        raise RuntimeError(f"index_copy_(): self and source expected to have the same dtype, but got (self) "
                           f"{_dtype_name(x)} and (source) {_dtype_name(source)}")
    xs, ss = list(x.shape), list(source.shape)
    if xs:
        del xs[d]
    if ss:
        del ss[d]
    if xs != ss:
        raise RuntimeError("index_copy_(): Source/destination tensor must have same slice shapes. Destination slice "
                           f"shape: {' '.join(map(str, xs))} at dimension {d} and source slice shape: "
                           f"{' '.join(map(str, ss))} at dimension 0.")
    if source.ndim and ia.size != source.shape[d]:
        raise IndexError(f"index_copy_(): Number of indices ({ia.size}) should be equal to source.size(dim) "
                         f"({source.shape[d]})")
    n = x.shape[d] if x.ndim else 1
    if not _in_range(ia, 0, n):
        raise IndexError(f"index_copy_(): index {_first_outside(ia.reshape(-1), 0, n)} is out of bounds for "
                         f"dimension {d} with size {n}")
    return _index_copy(x, d, ia.reshape(-1), source)

expose(index_copy, method=True, inplace=True)


class IndexFillBackward0(Node):
    """y = index_fill(x, d, idx, v) (v a number):  dx = g with the slices idx zeroed"""

    def backward(self, g):
        return (_index_fill(g, self.dim, self.index, 0),)

    def jvp(self, tx):
        return _index_fill(tx, self.dim, self.index, 0)


class IndexFillBackward1(Node):
    """y = index_fill(x, d, idx, v) (v a 0-d tensor):  dx = g with the slices idx zeroed, dv = Σ g over those slices
    (each slice once, however often idx repeats it)"""

    def backward(self, g):
        gx = _index_fill(g, self.dim, self.index, 0) if self.next[0] is not None else None
        gv = None
        if self.next[1] is not None:
            gv = _index_select(g, self.dim, np.unique(self.index)).sum()
            if gv._data.dtype != self.vdtype:
                gv = gv.to(D.from_numpy_dtype(self.vdtype))
        return (gx, gv)

    def jvp(self, tx, tv):
        tx = _or_zeros(tx, self.out_shape, tv)
        return _index_fill(tx, self.dim, self.index, tv if tv is not None else 0)


def _index_fill(x, d, ia, value):
    """x with the slices ia along d set to ``value`` (a number, or a 0-d tensor that gets a gradient)"""
    r = x._data.copy()
    vt = value if isinstance(value, Tensor) else None
    _slices(r, d)[ia] = vt._data if vt is not None else value
    if vt is None:
        return _wrap_result(r, IndexFillBackward0, (x,), dim=d, index=ia)
    return _wrap_result(r, IndexFillBackward1, (x, vt), dim=d, index=ia, vdtype=vt._data.dtype)


_INDEX_FILL = Sigs("index_fill", "(Tensor input, int dim, Tensor index, Tensor value)",
                   "(Tensor input, int dim, Tensor index, Number value)")


def index_fill(x, dim, index, value):
    """a copy of x with the slices index along dim set to value (a number or a 0-d tensor)"""
    if type(x) is not Tensor or type(dim) is not int or type(index) is not Tensor or (type(value) is not float and type(value) is not int and type(value) is not Tensor):
        _INDEX_FILL.check(x, dim, index, value)
    if isinstance(value, Tensor) and value.ndim != 0:
        raise RuntimeError(f"index_fill_ only supports a 0-dimensional value tensor, but got tensor with "
                           f"{value.ndim} dimension(s).")
    ia = index._data
    if ia.dtype != np.int64:
        raise IndexError("index_fill_(): Expected dtype int64 for index.")
    d = _wrap_dim(dim, x.ndim)
    if ia.ndim > 1:
        raise RuntimeError("Index has to be a vector/scalar")
    n = x.shape[d] if x.ndim else 1
    ia = ia.reshape(-1)
    if not _in_range(ia, -n, n):
        raise IndexError(f"index {_first_outside(ia, -n, n)} is out of bounds for dimension {d} with size {n}")
    return _index_fill(x, d, ia % n if ia.size and ia.min() < 0 else ia, value)

expose(index_fill, method=True, inplace=True)


class IndexReduceBackward0(ScatterReduceBackward0):
    """y = index_reduce(x, d, idx, src, reduce):  scatter_reduce with idx repeated across src's other dims, so
    the same derivatives: dx = cx g, dsrc = cs gather(g, d, idx)"""

    forward_ad = False  # PyTorch has no forward rule: forward mode raises at the op


_INDEX_REDUCTIONS = ("prod", "mean", "amax", "amin")


def index_reduce(x, dim, index, source, reduce, *, include_self=True):
    """x with the slices of source reduced into the slices index along dim ('prod', 'mean', 'amax', 'amin')"""
    if reduce not in _INDEX_REDUCTIONS:
        raise RuntimeError(f"index_reduce(): Expected reduce to be one of prod, mean, amax or amin but got {reduce}.")
    d = _wrap_dim(dim, x.ndim)
    ia = _check_vector_index(index, "index_reduce", x, d, source)
    if not _in_range(ia, 0, x.shape[d] if x.ndim else 1):
        raise IndexError("index out of range in self")
    if _fw.level is not None and _tangents_of((x, source)) is not None:
        raise NotImplementedError(
            "Trying to use forward AD with index_reduce that does not support it because it has not been "
            "implemented yet.\nPlease file an issue to PyTorch at https://github.com/pytorch/pytorch/issues/new?"
            "template=feature-request.yml so that we can prioritize its implementation or submit a PR adding the "
            "implementation to derivatives.yaml")
    # the index repeated across source's other dims: a scatter_reduce index
    shape = [1] * builtins.max(source.ndim, 1)
    shape[d] = -1
    full = np.ascontiguousarray(np.broadcast_to(ia.reshape(shape), _nonempty(source._data).shape))
    return _scatter_reduce(x, d, full.reshape(source.shape) if source.ndim else full.reshape(()), source, reduce,
                           include_self, IndexReduceBackward0)

expose(index_reduce, method=True, inplace=True)


# =====================================================================================================
# masked_fill, masked_select, masked_scatter: positions given by a boolean mask (broadcast with x)
# =====================================================================================================

def _mask_shape(x, mask):
    """the shape x and mask broadcast to (PyTorch's message when they do not)"""
    if mask.shape == x.shape:
        return x.shape
    try:
        return np.broadcast_shapes(x.shape, mask.shape)
    except ValueError:
        raise RuntimeError(_bcast_message(mask.shape, x.shape)) from None


def _in_shapes(x, shape, *rest):
    """``in_shapes`` when x was broadcast to ``shape`` (None otherwise); ``rest``: the other inputs' shapes"""
    return None if tuple(x.shape) == tuple(shape) else (x.shape,) + rest


class MaskedFillBackward0(Node):
    """y = where(mask, v, x) (v a number):  dx = g where not mask"""

    def backward(self, g):
        return (_masked_fill(g, self.mask, 0.0),)

    def jvp(self, tx):
        return _masked_fill(tx, self.mask, 0.0)


class MaskedFillBackward1(Node):
    """y = where(mask, v, x) (v a 0-d tensor):  dx = g where not mask, dv = Σ g where mask"""

    def backward(self, g):
        gx = _masked_fill(g, self.mask, 0.0) if self.next[0] is not None else None
        gv = None
        if self.next[1] is not None:
            gv = _masked_fill(g, ~self.mask, 0.0).sum()
            if gv._data.dtype != self.vdtype:
                gv = gv.to(D.from_numpy_dtype(self.vdtype))
        return (gx, gv)

    def jvp(self, tx, tv):
        tx = _or_zeros(tx, self.xshape, tv)
        return _masked_fill(tx, self.mask, tv if tv is not None else 0.0)


def _masked_fill(x, m, value):
    """x with ``value`` (a number, or a 0-d tensor that gets a gradient) where the bool array ``m`` is True"""
    xd = x._data
    vt = value if isinstance(value, Tensor) else None
    r = np.where(m, np.asarray(vt._data if vt is not None else value, dtype=xd.dtype), xd)
    shapes = _in_shapes(x, r.shape) if vt is None else _in_shapes(x, r.shape, ())
    if vt is None:
        return _wrap_result(r, MaskedFillBackward0, (x,), in_shapes=shapes, mask=m)
    return _wrap_result(r, MaskedFillBackward1, (x, vt), in_shapes=shapes, mask=m, vdtype=vt._data.dtype,
                xshape=x.shape)


_MASKED_FILL = Sigs("masked_fill", "(Tensor input, Tensor mask, Tensor value)",
                    "(Tensor input, Tensor mask, Number value)")


def masked_fill(x, mask, value):
    """x with ``value`` where ``mask`` is True (x and mask broadcast together)"""
    if type(x) is not Tensor or type(mask) is not Tensor or (type(value) is not float and type(value) is not int and type(value) is not Tensor):
        _MASKED_FILL.check(x, mask, value)
    if isinstance(value, Tensor) and value.ndim != 0:
        raise RuntimeError(f"masked_fill_ only supports a 0-dimensional value tensor, but got tensor with "
                           f"{value.ndim} dimension(s).")
    if not isinstance(mask, Tensor) or mask._data.dtype != np.bool_:
        raise RuntimeError("masked_fill_ only supports boolean masks, but got mask with dtype " +
                           (_cname(mask) if isinstance(mask, Tensor) else type(mask).__name__))
    _mask_shape(x, mask)
    return _masked_fill(x, mask._data, value)

expose(masked_fill, method=True)



def masked_fill_(x, mask, value):
    """x.masked_fill_(mask, value): in place, so the mask must broadcast to x's shape"""
    if type(x) is not Tensor or type(mask) is not Tensor or (type(value) is not float and type(value) is not int and type(value) is not Tensor):
        _MASKED_FILL.check_method("masked_fill_", x, mask, value)
    check_inplace(x)
    if isinstance(value, Tensor) and value.ndim != 0:
        raise RuntimeError(f"masked_fill_ only supports a 0-dimensional value tensor, but got tensor with "
                           f"{value.ndim} dimension(s).")
    if not isinstance(mask, Tensor) or mask._data.dtype != np.bool_:
        raise RuntimeError("masked_fill_ only supports boolean masks, but got mask with dtype " +
                           (_cname(mask) if isinstance(mask, Tensor) else type(mask).__name__))
    if mask.shape != x.shape:
        try:
            np.broadcast_shapes(x.shape, mask.shape)
        except ValueError:
            raise RuntimeError(_bcast_message(x.shape, mask.shape)) from None
    return apply_inplace(x, _masked_fill(x, mask._data, value))

expose(masked_fill_, torch=False, method=True)


class MaskedSelectBackward0(Node):
    """y = x[mask] (x and mask broadcast together):  dx = zeros with g scattered into the mask's positions"""

    def backward(self, g):
        return (_masked_scatter(_zeros(self.mask.shape, g), self.mask, g),)

    def jvp(self, tx):
        return _masked_select(tx, self.mask)


def _masked_select(x, m):
    """x broadcast to the bool array m's shape, at m's True positions (1-d)"""
    xd = x._data if x.shape == m.shape else np.broadcast_to(x._data, m.shape)
    return _wrap_result(xd[m], MaskedSelectBackward0, (x,), in_shapes=_in_shapes(x, m.shape), mask=m)


def masked_select(x, mask):
    """the elements of x where mask is True, as a 1-d tensor (x and mask broadcast together)"""
    if type(x) is not Tensor or type(mask) is not Tensor:
        _tensor_arg("masked_select", ("input", 1, x), ("mask", 2, mask))
    if not isinstance(mask, Tensor) or mask._data.dtype != np.bool_:
        raise RuntimeError("masked_select: expected BoolTensor for mask")
    shape = _mask_shape(x, mask)
    m = mask._data if mask.shape == shape else np.broadcast_to(mask._data, shape)
    return _masked_select(x, m)

expose(masked_select, method=True)


class MaskedScatterBackward0(Node):
    """y = x with source's first values written where mask is True:  dx = g where not mask, dsource = g[mask]
    followed by zeros (the source values left unused)"""

    def backward(self, g):
        gx = _masked_fill(g, self.mask, 0.0) if self.next[0] is not None else None
        gs = None
        if self.next[1] is not None:
            picked = _masked_select(g, self.mask)
            numel = int(np.prod(self.src_shape))
            if numel != picked.shape[0]:
                picked = _index_put(_zeros((numel,), g), (np.arange(picked.shape[0]),), picked)
            gs = picked.reshape(self.src_shape)
        return (gx, gs)

    def jvp(self, tx, ts):
        tx = _or_zeros(tx, self.xshape, ts)
        return _masked_scatter(tx, self.mask, _or_zeros(ts, self.src_shape, tx))


def _masked_scatter(x, m, source):
    """x broadcast to the bool array m's shape, with source's values in order at m's True positions"""
    r = np.array(np.broadcast_to(x._data, m.shape))
    n = int(np.count_nonzero(m))
    r[m] = source._data.reshape(-1)[:n]
    return _wrap_result(r, MaskedScatterBackward0, (x, source), in_shapes=_in_shapes(x, m.shape, source.shape), mask=m,
                src_shape=source.shape, xshape=x.shape)


def _check_masked_scatter(x, mask, source, shape):
    if source._data.dtype != x._data.dtype:
        raise RuntimeError(f"masked_scatter: expected self and source to have same dtypes but got"
                           f"{_dtype_name(x)} and {_dtype_name(source)}")
    if mask._data.dtype != np.bool_:
        raise RuntimeError(f"masked_scatter_ only supports boolean masks, but got mask with dtype "
                           f"{_dtype_name(mask)}")
    m = mask._data if mask.shape == shape else np.broadcast_to(mask._data, shape)
    if np.count_nonzero(m) > source.numel():
        raise RuntimeError("Number of elements of source < number of ones in mask")
    return m


def masked_scatter(x, mask, source):
    """x with the values of source, in order, written where mask is True (x and mask broadcast together)"""
    shape = _mask_shape(x, mask)
    return _masked_scatter(x, _check_masked_scatter(x, mask, source, shape), source)

expose(masked_scatter, method=True)


def masked_scatter_(x, mask, source):
    """x.masked_scatter_(mask, source): in place, so the mask must broadcast to x's shape"""
    check_inplace(x)
    if source._data.dtype == x._data.dtype and isinstance(mask, Tensor) and mask._data.dtype == np.bool_ \
            and mask.shape != x.shape:
        ms, xs = tuple(mask.shape), tuple(x.shape)
        if len(ms) > len(xs):
            raise RuntimeError(f"expand(CPUBoolType{{{_shape_str(ms)}}}, size={_shape_str(xs)}): the number of sizes "
                               f"provided ({len(xs)}) must be greater or equal to the number of dimensions in the "
                               f"tensor ({len(ms)})")
        if builtins.any(a != 1 and a != b for a, b in zip(ms[::-1], xs[::-1])):
            raise RuntimeError(f"The expanded size of the tensor ({_expand_mismatch(ms, xs)}.  Target sizes: "
                               f"{_shape_str(xs)}.  Tensor sizes: {_shape_str(ms)}")
    return apply_inplace(x, _masked_scatter(x, _check_masked_scatter(x, mask, source, x.shape), source))

expose(masked_scatter_, torch=False, method=True)


# =====================================================================================================
# take, take_along_dim, put: flat positions, or positions along a dim with broadcasting
# =====================================================================================================

def _check_flat(index, n, name):
    if not isinstance(index, Tensor) or index._data.dtype != np.int64:
        got = _dtype_name(index) if isinstance(index, Tensor) else type(index).__name__
        raise RuntimeError(f"{name}(): Expected a long tensor for index, but got {got}")
    return index._data


def _check_flat_range(ia, n):
    if not _in_range(ia, -n, n):
        raise IndexError(f"out of range: tried to access index {_first_outside(ia.reshape(-1), -n, n)} on a tensor "
                         f"of {n} elements.")


class TakeBackward0(Node):
    """y = x.flatten()[idx]:  dx = zeros.put(idx, g, accumulate=True) (repeated indices add up)"""

    def backward(self, g):
        return (_put(_zeros(self.shape, g), self.index, g, True),)

    def jvp(self, tx):
        return _take_flat(tx, self.index)


def _take_flat(x, ia):
    return _wrap_result(x._data.reshape(-1)[ia], TakeBackward0, (x,), shape=x.shape, index=ia)


def take(x, index):
    """x.flatten()[index]: y has index's shape"""
    if type(x) is not Tensor or type(index) is not Tensor:
        _tensor_arg("take", ("input", 1, x), ("index", 2, index))
    ia = _check_flat(index, x.numel(), "take")
    n = x.numel()
    if n == 0 and ia.size:
        raise IndexError("take(): tried to take from an empty tensor")
    _check_flat_range(ia, n)
    return _take_flat(x, ia)

expose(take, method=True)


_TAKE_ALONG_DIM = Sigs("take_along_dim", "(Tensor input, Tensor indices, int dim = None, *, Tensor out = None)")


def take_along_dim(x, indices, dim=None):
    """gather along dim of x and indices broadcast against each other (but for dim); without dim, of both flattened"""
    if type(x) is not Tensor or type(indices) is not Tensor or not (dim is None or type(dim) is int):
        _TAKE_ALONG_DIM.check_call(take_along_dim, x, indices, dim)
    if type(x) is not Tensor or type(indices) is not Tensor:
        _tensor_arg("take_along_dim", ("input", 1, x), ("indices", 2, indices))
    if dim is None:
        return gather(x.view(-1), 0, indices.reshape(-1))
    if x.ndim != indices.ndim:
        raise RuntimeError(f"torch.take_along_dim(): input and indices should have the same number of dimensions, "
                           f"but got {x.ndim} dimensions for input, and {indices.ndim} dimensions for indices")
    if indices._data.dtype != np.int64:
        raise RuntimeError(f"torch.take_along_dim(): dtype of indices should be Long but got "
                           f"{_dtype_name(indices)}")
    if x.ndim == 0:
        raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
    d = _wrap_dim(dim, x.ndim)
    sizes = list(x.shape)
    sizes[d] = indices.shape[d]
    try:
        shape = list(np.broadcast_shapes(tuple(sizes), indices.shape))
    except ValueError:
        raise RuntimeError(_bcast_message(tuple(sizes), indices.shape)) from None
    idx = indices if list(indices.shape) == shape else indices.expand(*shape)
    shape[d] = x.shape[d]
    xb = x if list(x.shape) == shape else x.expand(*shape)
    return gather(xb, d, idx)

expose(take_along_dim, method=True)


class PutBackward0(Node):
    """y = x with src written (or added) at the flat positions idx:  dx = g zeroed at idx (g if accumulating),
    dsrc = g.take(idx)"""

    def backward(self, g):
        gx = gs = None
        if self.next[0] is not None:
            gx = g if self.accumulate else _put(g, self.index, _zeros(self.index.shape, g), False)
        if self.next[1] is not None:
            gs = _take_flat(g, self.index).reshape(self.src_shape)
        return (gx, gs)

    def jvp(self, tx, ts):
        tx = _or_zeros(tx, self.out_shape, ts)
        if ts is None:
            return tx if self.accumulate else _put(tx, self.index, _zeros(self.index.shape, tx), False)
        return _put(tx, self.index, ts, self.accumulate)


def _put(x, ia, source, accumulate):
    r = x._data.copy()
    flat = r.reshape(-1)
    if accumulate:
        np.add.at(flat, ia.reshape(-1), source._data.reshape(-1))
    else:
        flat[ia.reshape(-1)] = source._data.reshape(-1)
    return _wrap_result(r, PutBackward0, (x, source), index=ia, accumulate=accumulate, src_shape=source.shape)


def put(x: Tensor, index: Tensor, source: Tensor, accumulate: bool = False) -> Tensor:
    """a copy of x with source's values written (or added, with ``accumulate``) at the flat positions index"""
    ia = _check_flat(index, x.numel(), "put_")
    if source._data.dtype != x._data.dtype:
        raise RuntimeError(f"put_(): self and source expected to have the same dtype, but got self.dtype = "
                           f"{_dtype_name(x)} and source.dtype = {_dtype_name(source)}")
    if source.numel() != ia.size:
        raise IndexError(f"put_(): Expected source and index to have the same number of elements, but got "
                         f"source.numel() = {source.numel()}, index.numel() = {ia.size}")
    if ia.size:
        if x.numel() == 0:
            raise IndexError("put_(): Tried to put elements into an empty tensor")
        _check_flat_range(ia, x.numel())
    return _put(x, ia, source, accumulate)

expose(put, method=True, inplace=True)


# =====================================================================================================
# nonzero, argwhere, unravel_index: index arithmetic (integer results, no gradient)
# =====================================================================================================

def nonzero(x, *, as_tuple=False):
    """the positions of x's nonzero elements: an (n, x.ndim) tensor, or one index tensor per dim"""
    if x.ndim == 0:
        n = int(bool(x._data))
        return (_wrap(np.zeros(n, dtype=np.int64)),) if as_tuple else _wrap(np.zeros((n, 0), dtype=np.int64))
    nz = np.nonzero(x._data)
    if as_tuple:
        return tuple(_wrap(a.astype(np.int64)) for a in nz)
    return _wrap(np.stack(nz, axis=1).astype(np.int64) if nz else np.zeros((0, 0), np.int64))

expose(nonzero, method=True)


def nonzero_static(x, *, size: int, fill_value: int = -1):
    """nonzero(x) with exactly ``size`` rows: cut short, or padded with rows of fill_value"""
    if size < 0:
        raise RuntimeError("nonzero_static: 'size' must be an non-negative integer")
    nz = nonzero(x)._data
    r = np.full((size, x.ndim), fill_value, dtype=np.int64)
    k = builtins.min(size, nz.shape[0])
    r[:k] = nz[:k]
    return _wrap(r)

expose(nonzero_static, method=True)


def argwhere(x: Tensor) -> Tensor:
    """nonzero(x) as an (n, x.ndim) tensor"""
    return _wrap(np.argwhere(x._data).astype(np.int64))

expose(argwhere, method=True)


def unravel_index(indices, shape):
    """the coordinates, one tensor per dim of ``shape``, of the flat positions ``indices`` (they wrap around)"""
    idx = indices._data if isinstance(indices, Tensor) else np.asarray(indices)
    if idx.dtype.kind not in "iu":
        raise TypeError(f"expected 'indices' to be integer dtype, but got {D.from_numpy_dtype(idx.dtype)}")
    shape = (shape,) if isinstance(shape, (int, np.integer)) else tuple(shape)
    if builtins.any(s < 0 for s in shape):
        raise ValueError(f"'shape' cannot have negative values, but got {shape}")
    if 0 in shape:
        raise RuntimeError("ZeroDivisionError")
    strides = np.cumprod((1,) + shape[:0:-1])[::-1]
    return tuple(_wrap(np.asarray((idx.astype(np.int64) // s) % n, dtype=np.int64)) for s, n in zip(strides, shape))

expose(unravel_index)


def _fill_diagonal_(x, fill_value, wrap=False):
    """Fill the main diagonal in place (all dims equal beyond 2-D; ``wrap`` restarts it below tall matrices)."""
    if x.ndim < 2:
        raise RuntimeError("dimensions must larger than 1")
    if x.ndim > 2 and len(set(x.shape)) != 1:
        raise RuntimeError("all dimensions of input must be of equal length")
    if x.ndim > 2:
        key = (np.arange(x.shape[0]),) * x.ndim
    else:
        rows, cols = x.shape
        i = np.arange(builtins.min(rows, cols))
        key = (i, i)
        if wrap:  # below a tall matrix's first square, the diagonal starts again after a row left out
            r = np.arange(rows)
            r = r[(r % (cols + 1)) < cols]
            key = (r, r % (cols + 1))
    _check_inplace_setitem(x, key, False)  # PyTorch writes through the diagonal, a view
    if isinstance(fill_value, Tensor):
        fill_value = fill_value.item()
    _write(x, key, None, fill_value, CopySlices)
    return x

expose(_fill_diagonal_, torch=False, method=('fill_diagonal_',))
