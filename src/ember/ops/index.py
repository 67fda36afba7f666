"""Indexing: x[key], x[key] = v, gather/scatter, index_select/add/fill/copy, masked ops, take, put."""

from __future__ import annotations

import builtins

from .._array import np
from .._core import dtype as D
from .._core import modes
from .._core.dims import _wrap_dim
from .._core.exposure import expose
from .._core.messages import _bcast_message, _long_name
from .._core.node import Node, _type_name
from .._core.record import _edge, _forward, _forward_node, _out, _renamed
from .._core.tensor import Tensor, _wrap
from .inplace import _register_view, apply_inplace, check_inplace

_fw = modes.forward
_gm = modes.grad


__all__ = ["getitem", "index_put", "setitem", "gather", "scatter", "scatter_add", "index_select", "index_add",
           "index_copy", "index_fill", "masked_fill", "masked_select", "masked_scatter", "nonzero", "take",
           "take_along_dim", "argwhere", "unravel_index", "scatter_reduce", "index_reduce", "put"]


_BAD_INDEX = ("only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid indices "
              "(got {})")


def _convert_key(x, key):
    """A NumPy index from a PyTorch one; also says whether it is advanced and which op PyTorch records."""
    if not isinstance(key, tuple):
        key = (key,)
    out = []
    advanced = False
    last = "Alias"
    for k in key:
        if isinstance(k, Tensor):
            a = k._data
            if a.dtype.kind == "f" or a.dtype.kind == "c":
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


def _check_bounds(x, key):
    # PyTorch's messages for too many indices, a mask of the wrong shape, an int index past its dim's end
    used = builtins.sum(_consumed(k) for k in key)
    if used > x.ndim:
        raise IndexError(f"too many indices for tensor of dimension {x.ndim}")
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


class _IndexBackward(Node):
    """y = x[key]:  dx = zeros with g added at key (repeats accumulate)"""

    advanced = True

    def backward(self, g):
        z = _wrap(np.zeros(self.shape, dtype=g._data.dtype))
        # a basic key (a view) has no repeats: g is copied in, as PyTorch's slice/select backward, which keeps
        # -0.0 (adding it to the zeros would give +0.0)
        return (index_put(z, self.key, g, accumulate=self.advanced),)


_NODE_CLASSES = {n: type(f"{n}Backward0", (_IndexBackward,), {}) for n in
                 ("Index", "Select", "Slice", "Unsqueeze", "Alias")}


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


def getitem(x, key):
    """x[key] for every PyTorch index form; a view for basic indexing, a copy for advanced"""
    if x.ndim == 0 and isinstance(key, (int, slice)) and not isinstance(key, bool):
        raise IndexError("invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` "
                         "in C++ to convert a 0-dim tensor to a number")
    nkey, advanced, name = _convert_key(x, key)
    if advanced:
        split = _split_ints(key)
        if split is not None:
            return getitem(getitem(x, split[0]), split[1])
    _check_bounds(x, nkey)
    try:
        arr = x._data[nkey]
    except IndexError as e:
        msg = str(e)
        if "out of bounds" in msg:
            raise IndexError(msg.replace("axis", "dimension")) from None
        raise IndexError(msg) from None
    if type(arr) is not np.ndarray:
        arr = np.asarray(arr)
    t = _wrap(arr)
    if not advanced:
        if x._vc is None:
            x._vc = [0]
        t._vc = x._vc
        t._base = x if x._base is None else x._base
        t._view_key = nkey if x._base is None else None
    if _gm.enabled and x._rg:
        node = _NODE_CLASSES[name]((_edge(x),))
        node.shape, node.key, node.advanced = x.shape, nkey, advanced
        node.out_shape = t._data.shape
        t.grad_fn = node
        t._rg = True
        if not advanced:
            _register_view(t._base, t)
    else:
        node = _forward_node(_NODE_CLASSES[name], (x,))
        if node is None:
            return t
        node.shape, node.key, node.advanced = x.shape, nkey, advanced
        node.out_shape = t._data.shape
    if _fw.level is not None:
        _forward(t, node, type(node), (x,))
    return t

expose(getitem, torch=False, operators=('__getitem__',))


class IndexPutBackward0(Node):
    """y = x with values put at key:  dx = g zeroed at key (or g if accumulating), dv = g[key]"""

    def backward(self, g):
        key = self.key
        gx = gv = None
        if self.next[0] is not None:
            gx = g if self.accumulate else index_put(g, key, _wrap(np.zeros((), dtype=g._data.dtype)))
        if self.next[1] is not None:
            gv = getitem(g, _as_torch_key(key))
            extra = len(self.vshape) - gv.ndim
            if extra > 0:  # the value had leading 1s that the write dropped
                gv = gv.reshape((1,) * extra + tuple(gv.shape))
            gv = gv.sum_to_size(self.vshape) if self.vshape != () else gv.sum()
        return (gx, gv)


def _as_torch_key(key):
    return tuple(_wrap(k) if isinstance(k, np.ndarray) else k for k in key)


def index_put(x, key, values, accumulate=False):
    """a copy of x with ``values`` written (or added, with ``accumulate``) at ``key``"""
    if not isinstance(key, tuple) or builtins.any(isinstance(k, Tensor) for k in key):
        key, _, _ = _convert_key(x, key)
    if not isinstance(values, Tensor):
        values = _wrap(np.asarray(values, dtype=x._data.dtype))
    r = x._data.copy()
    v = values._data
    if v.dtype != r.dtype:
        v = v.astype(r.dtype)
    if accumulate:
        np.add.at(r, key, v)
    else:
        r[key] = v
    return _out(r, IndexPutBackward0, (x, values), key=key, accumulate=accumulate, vshape=values.shape)

expose(index_put, method=True, inplace=True)


def setitem(x, key, value):
    """x[key] = value, recorded as an in-place op (CopySlices; IndexPutBackward0 for advanced keys)"""
    nkey, advanced, _ = _convert_key(x, key)
    _check_inplace_setitem(x, nkey, advanced)
    _check_bounds(x, nkey)
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
    target = x._data[nkey].shape
    vshape = np.shape(v)
    try:
        np.broadcast_shapes(vshape, target)
        if len(vshape) > len(target) and builtins.any(s != 1 for s in vshape[:len(vshape) - len(target)]):
            raise ValueError
    except ValueError:
        tname = _type_name(val_t) if val_t is not None else "torch.FloatTensor"
        raise RuntimeError(_setitem_shape_message(vshape, target, advanced, tname)) from None
    track = _gm.enabled and (x._rg or (val_t is not None and val_t._rg))
    if track and x._base is not None:
        # writing through a view: compute the view's new value with its history, then rebase the base on it
        apply_inplace(x, index_put(x, nkey, val_t if val_t is not None else _wrap(np.asarray(v, x._data.dtype)),
                                   accumulate=False))
        return
    if track:
        # PyTorch applies the basic part of a mixed key first (a view), then index_put_ on it: CopySlices
        via_view = not advanced or builtins.any(
            k is None or (isinstance(k, int) and not isinstance(k, bool)) or (isinstance(k, slice)
                                                                              and k != slice(None)) for k in mixed_key)
        node = (CopySlices if via_view else IndexPutBackward0)((_edge(x), _edge(val_t) if val_t is not None
                                                                else None))
        node.key, node.vshape, node.accumulate = nkey, (val_t.shape if val_t is not None else ()), False
    if len(vshape) > len(target):  # leading 1s PyTorch drops (x[0] = v[None])
        v = np.reshape(v, vshape[len(vshape) - len(target):])
    x._data[nkey] = v
    x._bump()
    if track:
        node.out_shape = x._data.shape
        x.grad_fn = node
        x._output_nr = 0
        x._rg = True

expose(setitem, torch=False, operators=('__setitem__',))


def _check_inplace_setitem(x, nkey, advanced):
    # a basic key writes through a view of x (PyTorch says so); Ellipsis alone or advanced keys write x
    if _gm.enabled and x._rg and x.grad_fn is None and not advanced and builtins.any(k is not Ellipsis for k in nkey):
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


class CopySlices(IndexPutBackward0):
    """x[key] = v in place:  dx = g zeroed at key, dv = g[key] summed to v's shape"""


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


def _check_index(index, name):
    if not isinstance(index, Tensor) or index._data.dtype not in (np.int64, np.int32):
        raise RuntimeError(f"{name}(): Expected dtype int32/int64 for index")


class GatherBackward0(Node):
    """y = gather(x, d, idx):  dx = zeros.scatter_add(d, idx, g)"""

    def backward(self, g):
        z = _wrap(np.zeros(self.shape, dtype=g._data.dtype))
        return (scatter_add(z, self.dim, self.index, g),)


def gather(x, dim, index, *, sparse_grad=False):
    """y[i][j] = x[i][index[i][j]] along dim"""
    _check_index(index, "gather")
    d = _wrap_dim(dim, x.ndim)
    if index.ndim != x.ndim and x.ndim:
        raise RuntimeError("Index tensor must have the same number of dimensions as input tensor")
    for k in range(x.ndim):
        if k != d and index.shape[k] > x.shape[k]:
            raise RuntimeError(f"Size does not match at dimension {k} expected index {list(index.shape)} to be no "
                               f"larger than self {list(x.shape)} apart from dimension {d}")
    ia = index._data
    n = x.shape[d] if x.ndim else 1
    if ia.size and (ia.min() < -n or ia.max() >= n):
        raise RuntimeError(f"index {int(ia.max() if ia.max() >= n else ia.min())} is out of bounds for dimension "
                           f"{d} with size {n}")
    r = x._data[_along(ia, d)] if x.ndim else x._data.copy()
    return _out(r, GatherBackward0, (x,), shape=x.shape, dim=d, index=index)

expose(gather, method=True)


class ScatterBackward0(Node):
    """y = scatter(x, d, idx, src):  dx = g with idx positions zeroed, dsrc = gather(g, d, idx)"""

    def backward(self, g):
        gx = scatter(g, self.dim, self.index, 0.0) if self.next[0] is not None else None
        gs = gather(g, self.dim, self.index) if self.next[1] is not None else None
        return (gx, gs)


class ScatterAddBackward0(Node):
    """y = scatter_add(x, d, idx, src):  dx = g, dsrc = gather(g, d, idx)"""

    def backward(self, g):
        return (g if self.next[0] is not None else None,
                gather(g, self.dim, self.index) if self.next[1] is not None else None)


def scatter(x, dim, index, src=None, value=None, *, reduce=None):
    """a copy of x with src (or value) written at index along dim"""
    if src is None:
        src = value
    _check_index(index, "scatter")
    d = _wrap_dim(dim, x.ndim)
    r = x._data.copy()
    ia = index._data
    key = _along(ia, d)
    if isinstance(src, Tensor):
        sv = src._data[tuple(slice(0, s) for s in ia.shape)]
        if reduce == "add":
            np.add.at(r, key, sv)
        elif reduce == "multiply":
            np.multiply.at(r, key, sv)
        else:
            r[key] = sv
        return _out(r, ScatterBackward0, (x, src), dim=d, index=index)
    if reduce == "add":
        np.add.at(r, key, src)
    elif reduce == "multiply":
        np.multiply.at(r, key, src)
    else:
        r[key] = src
    t = _out(r, ScatterBackward0, (x, None), dim=d, index=index)
    if t.grad_fn is not None:  # PyTorch names the scalar-value overload's node ScatterBackward1
        t.grad_fn.__class__ = ScatterBackward1
    return t

expose(scatter, method=True, inplace=True)


class ScatterBackward1(ScatterBackward0):
    pass


def scatter_add(x, dim, index, src):
    """a copy of x with src added at index along dim (repeats accumulate)"""
    _check_index(index, "scatter")  # PyTorch names scatter_add "scatter" here
    d = _wrap_dim(dim, x.ndim)
    r = x._data.copy()
    ia = index._data
    sv = src._data[tuple(slice(0, s) for s in ia.shape)]
    np.add.at(r, _along(ia, d), sv.astype(r.dtype, copy=False))
    return _out(r, ScatterAddBackward0, (x, src), dim=d, index=index)

expose(scatter_add, method=True, inplace=True)


class IndexSelectBackward0(Node):
    """y = index_select(x, d, idx):  dx = zeros.index_add(d, idx, g)"""

    def backward(self, g):
        z = _wrap(np.zeros(self.shape, dtype=g._data.dtype))
        return (index_add(z, self.dim, self.index, g),)


def index_select(x, dim, index):
    d = _wrap_dim(dim, x.ndim)
    ia = index._data if isinstance(index, Tensor) else np.asarray(index)
    if ia.ndim > 1:
        raise IndexError("index_select(): Index is supposed to be a vector")
    if ia.dtype.kind not in "iu":
        raise RuntimeError("index_select(): Expected dtype int32 or int64 for index")
    n = x.shape[d] if x.ndim else 1
    if ia.size and (ia.max() >= n or ia.min() < -n):
        raise IndexError("index out of range in self")
    r = np.take(x._data, ia.reshape(-1), axis=d) if x.ndim else x._data.copy()
    if not isinstance(index, Tensor):
        index = _wrap(ia.astype(np.int64))
    return _out(r, IndexSelectBackward0, (x,), shape=x.shape, dim=d, index=index)

expose(index_select, method=True)


class IndexAddBackward0(Node):
    """y = index_add(x, d, idx, src, α):  dx = g, dsrc = α index_select(g, d, idx)"""

    def backward(self, g):
        gs = None
        if self.next[1] is not None:
            gs = index_select(g, self.dim, self.index)
            if self.alpha != 1:
                gs = gs * self.alpha
        return (g if self.next[0] is not None else None, gs)


def index_add(x, dim, index, source, *, alpha=1):
    d = _wrap_dim(dim, x.ndim)
    r = x._data.copy()
    rm = np.moveaxis(r, d, 0)
    sv = np.moveaxis(source._data, d, 0)
    np.add.at(rm, index._data, (sv * alpha if alpha != 1 else sv).astype(r.dtype, copy=False))
    return _out(r, IndexAddBackward0, (x, source), dim=d, index=index, alpha=alpha)

expose(index_add, method=True, inplace=True)


def index_copy(x, dim, index, source):
    d = _wrap_dim(dim, x.ndim)
    key = [slice(None)] * x.ndim
    key[d] = index._data
    # a single advanced index keeps its dim's position, so source's layout already matches x[key]
    return index_put(x, tuple(key), source)

expose(index_copy, method=True, inplace=True)


def index_fill(x, dim, index, value):
    d = _wrap_dim(dim, x.ndim)
    key = [slice(None)] * x.ndim
    key[d] = index._data
    v = value if isinstance(value, Tensor) else _wrap(np.asarray(value, dtype=x._data.dtype))
    return index_put(x, tuple(key), v)

expose(index_fill, method=True, inplace=True)


class MaskedFillBackward0(Node):
    """y = where(mask, v, x):  dx = g where not mask, dv = Σ g where mask"""

    def backward(self, g):
        mask = self.mask
        gx = g.masked_fill(mask, 0.0) if self.next[0] is not None else None
        gv = None
        if len(self.next) > 1 and self.next[1] is not None:
            gv = (g * mask).sum()
        return (gx, gv)


def masked_fill(x, mask, value):
    """x with ``value`` where ``mask`` is True"""
    if not isinstance(mask, Tensor) or mask._data.dtype != np.bool_:
        raise RuntimeError("masked_fill_ only supports boolean masks, but got mask with dtype " +
                           (str(mask.dtype) if isinstance(mask, Tensor) else type(mask).__name__))
    if isinstance(value, Tensor):
        if value.ndim != 0:
            raise RuntimeError(f"masked_fill_ only supports a 0-dimensional value tensor, but got tensor with "
                               f"{value.ndim} dimension(s).")
        v = value._data.astype(x._data.dtype)
        vt = value
    else:
        v = value
        vt = None
    try:
        r = np.where(mask._data, np.asarray(v, dtype=x._data.dtype) if not isinstance(v, np.ndarray) else v, x._data)
    except ValueError:
        raise RuntimeError(_bcast_message(mask.shape, x.shape)) from None
    if r.shape != x.shape:
        raise RuntimeError("The expanded size of the mask must match the existing size of the tensor")
    if vt is not None:
        return _out(r.astype(x._data.dtype, copy=False), MaskedFillBackward1, (x, vt), mask=mask)
    return _out(r.astype(x._data.dtype, copy=False), MaskedFillBackward0, (x,), mask=mask)

expose(masked_fill, method=True, inplace=True)


class MaskedFillBackward1(MaskedFillBackward0):
    """masked_fill with a 0-d tensor value: the value gets the masked part of the gradient too"""


def masked_select(x, mask):
    shape = np.broadcast_shapes(x.shape, mask.shape)
    xe = x.expand(shape) if x.shape != shape else x
    m = mask._data if mask.shape == shape else np.broadcast_to(mask._data, shape)
    return _renamed(getitem(xe, _wrap(np.ascontiguousarray(m))), "MaskedSelectBackward0")

expose(masked_select, method=True)


def masked_scatter(x, mask, source):
    m = np.broadcast_to(mask._data, x.shape)
    n = int(m.sum())
    vals = source.reshape(-1)[:n]
    return index_put(x, (np.ascontiguousarray(m),), vals)

expose(masked_scatter, method=True, inplace=True)


def nonzero(x, *, as_tuple=False):
    nz = np.nonzero(x._data)
    if as_tuple:
        if x.ndim == 0:
            return (_wrap(np.zeros(int(bool(x._data)), dtype=np.int64)),)
        return tuple(_wrap(a.astype(np.int64)) for a in nz)
    if x.ndim == 0:
        return _wrap(np.zeros((int(bool(x._data)), 0), dtype=np.int64))
    return _wrap(np.stack(nz, axis=1).astype(np.int64) if nz else np.zeros((0, 0), np.int64))

expose(nonzero, method=True)


def take(x, index):
    """x.flatten()[index]"""
    return _renamed(getitem(x.reshape(-1), index), "TakeBackward0")

expose(take, method=True)


def take_along_dim(x, indices, dim=None):
    if dim is None:
        return getitem(x.reshape(-1), indices.reshape(-1))
    return gather(x, dim, indices.expand(*[i if k != dim % x.ndim else indices.shape[k]
                                           for k, i in enumerate(x.shape)]) if indices.shape != x.shape else indices)

expose(take_along_dim, method=True)


def argwhere(x: Tensor) -> Tensor:
    return _wrap(np.argwhere(x._data).astype(np.int64))

expose(argwhere, method=True)


def unravel_index(indices, shape):
    idx = indices._data if isinstance(indices, Tensor) else np.asarray(indices)
    if idx.dtype.kind not in "iu":
        raise TypeError(f"expected 'indices' to be integer dtype, but got {_long_name(D.from_numpy_dtype(idx.dtype))}")
    shape = (shape,) if isinstance(shape, int) else tuple(shape)
    total = int(np.prod(shape))
    if idx.size and (idx.min() < -total or idx.max() >= total):
        raise RuntimeError(f"unravel_index: index out of range for a tensor of {total} elements")
    return tuple(_wrap(np.asarray(r, dtype=np.int64)) for r in np.unravel_index(np.mod(idx, total), shape))

expose(unravel_index)


def scatter_reduce(x: Tensor, dim: int, index: Tensor, src: Tensor, reduce: str, *,
                   include_self: bool = True) -> Tensor:
    """x with src reduced into positions index along dim ('sum', 'prod', 'mean', 'amax', 'amin')"""
    if reduce not in ("sum", "prod", "mean", "amax", "amin"):
        raise RuntimeError(f"reduce argument must be either sum, prod, mean, amax or amin, got {reduce}")
    d = _wrap_dim(dim, x.ndim)
    idx = index._data
    # positions in x addressed by each element of index
    grids = list(np.indices(idx.shape, sparse=True))
    grids[d] = idx
    target = tuple(grids)
    s = src._data[tuple(slice(0, n) for n in idx.shape)]
    out = x._data.copy()
    hit = np.zeros(x.shape, dtype=bool)
    hit[target] = True
    if reduce == "sum" or reduce == "mean":
        if not include_self:
            out[hit] = 0
        np.add.at(out, target, s)
        if reduce == "mean":
            cnt = np.zeros(x.shape, dtype=np.int64) + (1 if include_self else 0)
            np.add.at(cnt, target, 1)
            cnt = np.maximum(cnt, 1)
            out = (out / cnt).astype(out.dtype) if out.dtype.kind == "f" else out // cnt
    elif reduce == "prod":
        if not include_self:
            out[hit] = 1
        np.multiply.at(out, target, s)
    else:
        ufunc = np.maximum if reduce == "amax" else np.minimum
        if not include_self:
            info = np.finfo(out.dtype) if out.dtype.kind == "f" else np.iinfo(out.dtype)
            out[hit] = info.min if reduce == "amax" else info.max
        ufunc.at(out, target, s)
    return _wrap(out)

expose(scatter_reduce, method=True, inplace=True)


def index_reduce(x, dim, index, source, reduce, *, include_self=True):
    d = _wrap_dim(dim, x.ndim)
    shape = [1] * x.ndim
    shape[d] = -1
    idx = index.reshape(shape).expand(source.shape)
    return scatter_reduce(x, d, idx.contiguous(), source, {"mean": "mean", "prod": "prod", "amax": "amax",
                                                           "amin": "amin"}[reduce], include_self=include_self)

expose(index_reduce, method=True, inplace=True)


def put(x: Tensor, index: Tensor, source: Tensor, accumulate: bool = False) -> Tensor:
    out = x._data.copy()
    flat = out.reshape(-1)
    i = index._data.reshape(-1)
    if accumulate:
        np.add.at(flat, i, source._data.reshape(-1))
    else:
        flat[i] = source._data.reshape(-1)
    return _wrap(flat.reshape(x.shape))

expose(put, method=True, inplace=True)


def _fill_diagonal_(x, fill_value, wrap=False):
    """Fill the main diagonal in place (all dims equal beyond 2-D; ``wrap`` restarts it below tall matrices)."""
    if x.ndim < 2:
        raise RuntimeError("dimensions must larger than 1")
    if x.ndim > 2 and len(set(x.shape)) != 1:
        raise RuntimeError("all dimensions of input must be of equal length")
    if x.ndim > 2:
        check_inplace(x)
        n = x.shape[0]
        x._data[(np.arange(n),) * x.ndim] = fill_value
        x._bump()
        return x
    # through the diagonal view, so a tensor in a graph records CopySlices, as in PyTorch
    x.diagonal().fill_(fill_value)
    rows, cols = x.shape
    if wrap:
        for start in builtins.range(cols + 1, rows, cols + 1):
            x[start:].diagonal().fill_(fill_value)
    return x

expose(_fill_diagonal_, torch=False, method=('fill_diagonal_',))


