"""Shape and views: view, reshape, permute, transpose, expand, squeeze, flip, roll, tril/triu, diagonal, copies."""

from __future__ import annotations

import builtins
import warnings

from .._array import np
from .._core import dtype as D
from .._core import modes
from .._core.dims import _infer_shape, _norm_dims, _shape_arg, _wrap_dim
from .._core.exposure import expose
from .._core.node import Node, _type_name
from .._core.record import (
    _edge,
    _forward,
    _forward_node,
    _out,
    _record,
    _renamed,
    zeros_like,
    zeros_like_shape,
)
from .._core.tensor import Tensor, _wrap
from .convert import clone, view_dtype
from .inplace import _register_view

_fw = modes.forward
_gm = modes.grad


__all__ = ["view", "reshape", "view_as", "reshape_as", "flatten", "unflatten", "squeeze", "unsqueeze",
           "transpose", "swapaxes", "swapdims", "t", "permute", "movedim", "moveaxis", "expand", "expand_as",
           "broadcast_to", "broadcast_tensors", "repeat", "tile", "repeat_interleave", "flip", "fliplr",
           "flipud", "roll", "tril", "triu", "diag", "diagonal_", "diagonal", "narrow", "select", "diagflat",
           "as_strided", "alias_copy", "adjoint", "resize_", "resize_as_", "resize", "resize_as", "detach",
           "rot90", "unfold", "diag_embed", "atleast_1d", "atleast_2d", "atleast_3d", "diagonal_scatter",
           "slice_scatter", "select_scatter", "squeeze_", "unsqueeze_", "t_", "transpose_", "narrow_copy",
           "dim_order"]



def _view_of(x, arr, node_cls, **attrs):
    """A result that shares memory with ``x`` (a view): it shares x's version counter too."""
    t = _wrap(arr)
    if x._vc is None:
        x._vc = [0]
    t._vc = x._vc
    t._base = x if x._base is None else x._base
    if _gm.enabled and x._rg:
        node = node_cls((_edge(x),))
        for k, v in attrs.items():
            setattr(node, k, v)
        _record(t, node)
        _register_view(t._base, t)
    else:
        node = _forward_node(node_cls, (x,))
        if node is None:
            return t
        for k, v in attrs.items():
            setattr(node, k, v)
        node.out_shape = arr.shape
    if _fw.level is not None:
        _forward(t, node, node_cls, (x,))
    return t


class ViewBackward0(Node):
    """y = view(x):  dx = g reshaped back"""

    def backward(self, g):
        return (g.reshape(self.shape),)


class UnsafeViewBackward0(ViewBackward0):
    pass


def view(x, *shape):
    """x with a new shape, sharing its memory (x must be laid out compatibly)"""
    if len(shape) == 1 and isinstance(shape[0], D.dtype):
        return view_dtype(x, shape[0])
    shape = _infer_shape(_shape_arg(shape), x._data.size, x.shape)
    try:
        arr = x._data.view()
        arr.shape = shape  # raises if a copy would be needed
    except (AttributeError, ValueError):
        raise RuntimeError("view size is not compatible with input tensor's size and stride (at least one "
                           "dimension spans across two contiguous subspaces). Use .reshape(...) instead.") from None
    return _view_of(x, arr, ViewBackward0, shape=x.shape)

expose(view, torch=False, method=True)


def reshape(x, *shape):
    """x with a new shape: a view when the layout allows, else a copy"""
    shape = _infer_shape(_shape_arg(shape), x._data.size, x.shape)
    arr = x._data
    try:
        v = arr.view()
        v.shape = shape
        return _view_of(x, v, ViewBackward0, shape=x.shape)
    except (AttributeError, ValueError):
        c = clone(x)
        return _unsafe_view(c, shape)

expose(reshape, method=True)


def _unsafe_view(x, shape):
    arr = x._data.reshape(shape)
    t = _wrap(arr)
    if _gm.enabled and x._rg:
        node = UnsafeViewBackward0((_edge(x),))
        node.shape = x.shape
        _record(t, node)
    return t


def view_as(x, other):
    return view(x, other.shape)

expose(view_as, torch=False, method=True)


def reshape_as(x, other):
    return reshape(x, other.shape)

expose(reshape_as, torch=False, method=True)


def flatten(x, start_dim=0, end_dim=-1):
    if x.ndim == 0:
        return reshape(x, (1,))
    s = _wrap_dim(start_dim, x.ndim)
    e = _wrap_dim(end_dim, x.ndim)
    if s > e:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    if s == e:
        return x
    shp = x.shape
    n = 1
    for d in shp[s:e + 1]:
        n *= d
    return reshape(x, shp[:s] + (n,) + shp[e + 1:])

expose(flatten, method=True)


def unflatten(x, dim, sizes):
    d = _wrap_dim(dim, x.ndim)
    sizes = list(sizes)
    if -1 in sizes:
        known = 1
        for s in sizes:
            if s != -1:
                known *= s
        sizes[sizes.index(-1)] = x.shape[d] // known if known else 0
    n = 1
    for s in sizes:
        n *= s
    if n != x.shape[d]:
        raise RuntimeError(f"unflatten: Provided sizes {list(sizes)} don't multiply up to the size of dim {dim} "
                           f"({x.shape[d]}) in the input tensor")
    return view(x, x.shape[:d] + tuple(sizes) + x.shape[d + 1:])

expose(unflatten, method=True)


class SqueezeBackward0(Node):
    """y = squeeze(x):  dx = g reshaped back"""

    def backward(self, g):
        return (g.reshape(self.shape),)


class SqueezeBackward1(SqueezeBackward0):
    pass


class SqueezeBackward2(SqueezeBackward0):
    pass


class SqueezeBackward4(SqueezeBackward0):
    pass


def squeeze(x, dim=None, _name=None):
    """drop size-1 dims (all, or those in ``dim``)"""
    if dim is None:
        shape = tuple(s for s in x.shape if s != 1)
        cls = SqueezeBackward0
    else:
        dims = _norm_dims(dim, x.ndim) if x.ndim else ()
        shape = tuple(s for i, s in enumerate(x.shape) if not (i in dims and s == 1))
        cls = SqueezeBackward1 if isinstance(dim, (int, np.integer)) else SqueezeBackward2
    if _name == "SqueezeBackward4":
        cls = SqueezeBackward4
    return _view_of(x, x._data.reshape(shape), cls, shape=x.shape)

expose(squeeze, method=True)


class UnsqueezeBackward0(Node):
    """y = unsqueeze(x, d):  dx = squeeze(g, d)"""

    def backward(self, g):
        return (g.squeeze(self.dim),)


def unsqueeze(x, dim):
    """insert a size-1 dim at ``dim``"""
    d = _wrap_dim(dim, x.ndim + 1)
    return _view_of(x, np.expand_dims(x._data, d), UnsqueezeBackward0, dim=d)

expose(unsqueeze, method=True)


class TransposeBackward0(Node):
    """y = transpose(x, i, j):  dx = transpose(g, i, j)"""

    def backward(self, g):
        return (g.transpose(self.d0, self.d1),)


class TBackward0(Node):
    """y = xᵀ:  dx = gᵀ"""

    def backward(self, g):
        return (g.t(),)


class PermuteBackward0(Node):
    """y = permute(x, p):  dx = permute(g, p⁻¹)"""

    def backward(self, g):
        return (g.permute(tuple(np.argsort(self.dims))),)


def transpose(x, dim0, dim1):
    """swap two dims (a view)"""
    n = x.ndim
    d0, d1 = _wrap_dim(dim0, n), _wrap_dim(dim1, n)
    if n == 0:
        return _view_of(x, x._data.view(), TransposeBackward0, d0=0, d1=0)
    return _view_of(x, np.swapaxes(x._data, d0, d1), TransposeBackward0, d0=d0, d1=d1)

expose(transpose, torch=('swapaxes', 'swapdims', 'transpose'), method=('swapaxes', 'swapdims', 'transpose'))


swapaxes = transpose


swapdims = transpose


def t(x):
    """transpose of a tensor of at most 2 dims"""
    if x.ndim > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {x.ndim}D")
    return _view_of(x, x._data.T, TBackward0)

expose(t, method=True)


def permute(x, *dims):
    dims = _shape_arg(dims)
    if len(dims) != x.ndim:
        raise RuntimeError(f"permute(sparse_coo): number of dimensions in the tensor input does not match the "
                           f"length of the desired ordering of dimensions i.e. input.dim() = {x.ndim} is not equal "
                           f"to len(dims) = {len(dims)}")
    dims = tuple(_wrap_dim(d, x.ndim) for d in dims)
    if len(set(dims)) != len(dims):
        raise RuntimeError("permute(): duplicate dims are not allowed.")
    return _view_of(x, np.transpose(x._data, dims), PermuteBackward0, dims=dims)

expose(permute, method=True)


def movedim(x, source, destination):
    src = [source] if isinstance(source, int) else list(source)
    dst = [destination] if isinstance(destination, int) else list(destination)
    src = [_wrap_dim(s, x.ndim) for s in src]
    dst = [_wrap_dim(s, x.ndim) for s in dst]
    order = [d for d in range(x.ndim) if d not in src]
    for d, s in sorted(zip(dst, src)):
        order.insert(d, s)
    return permute(x, order)

expose(movedim, torch=('moveaxis', 'movedim'), method=('moveaxis', 'movedim'))


moveaxis = movedim


class ExpandBackward0(Node):
    """y = expand(x):  dx = g summed over the broadcast dims"""

    def backward(self, g):
        return (g.sum_to_size(self.shape),)


def expand(x, *sizes):
    """broadcast x to ``sizes`` without copying (-1 keeps a dim)"""
    sizes = _shape_arg(sizes)
    n = len(sizes)
    if n < x.ndim:
        raise RuntimeError(f"expand({_type_name(x)}{{[{', '.join(str(s) for s in x.shape)}]}}, size=["
                           f"{', '.join(str(s) for s in sizes)}]): the number of sizes provided ({n}) must be "
                           f"greater or equal to the number of dimensions in the tensor ({x.ndim})")
    lead = n - x.ndim
    target = [0] * n
    for i in range(n - 1, -1, -1):  # PyTorch checks from the last dim, so it reports the last mismatch
        s = sizes[i]
        if s == -1:
            if i < lead:
                raise RuntimeError(f"The expanded size of the tensor (-1) isn't allowed in a leading, "
                                   f"non-existing dimension {i}")
            s = x.shape[i - lead]
        elif i >= lead and x.shape[i - lead] != 1 and x.shape[i - lead] != s:
            raise RuntimeError(f"The expanded size of the tensor ({s}) must match the existing size "
                               f"({x.shape[i - lead]}) at non-singleton dimension {i}.  Target sizes: "
                               f"[{', '.join(str(v) for v in sizes)}].  Tensor sizes: "
                               f"[{', '.join(str(v) for v in x.shape)}]")
        target[i] = int(s)
    target = tuple(target)
    if target == x.shape and _gm.enabled and not x._rg:
        return _view_of(x, x._data.view(), ExpandBackward0, shape=x.shape)
    return _view_of(x, np.broadcast_to(x._data, target), ExpandBackward0, shape=x.shape)

expose(expand, torch=False, method=True)


def expand_as(x, other):
    return expand(x, other.shape)

expose(expand_as, torch=False, method=True)


def broadcast_to(x, shape):
    return expand(x, shape)

expose(broadcast_to, method=True)


def broadcast_tensors(*tensors):
    shape = np.broadcast_shapes(*[t.shape for t in tensors])
    return tuple(expand(t, shape) for t in tensors)

expose(broadcast_tensors)


class RepeatBackward0(Node):
    """y = repeat(x, reps):  dx = Σ over the copies of g"""

    def backward(self, g):
        shape, reps = self.shape, self.reps
        lead = len(reps) - len(shape)
        full = (1,) * lead + tuple(shape)
        split = []
        for r, s in zip(reps, full):
            split += [r, s]
        g = g.reshape(split)
        g = g.sum(tuple(range(0, len(split), 2)))
        return (g.reshape(shape),)


def repeat(x, *reps):
    reps = _shape_arg(reps)
    if len(reps) < x.ndim:
        raise RuntimeError("Number of dimensions of repeat dims can not be smaller than number of dimensions "
                           "of tensor")
    r = np.tile(x._data, reps)
    t = _out(r, RepeatBackward0, (x,))
    if t.grad_fn is not None:
        t.grad_fn.shape, t.grad_fn.reps = x.shape, reps
    return t

expose(repeat, torch=False, method=True)


def tile(x, *reps):
    reps = _shape_arg(reps)
    if len(reps) < x.ndim:
        reps = (1,) * (x.ndim - len(reps)) + tuple(reps)
    return repeat(x, reps)

expose(tile, method=True)


def repeat_interleave(x, repeats, dim=None):
    """each element (or slice along ``dim``) repeated ``repeats`` times in place"""
    if dim is None:
        x = reshape(x, (-1,))
        dim = 0
    d = _wrap_dim(dim, x.ndim)
    if isinstance(repeats, Tensor) and repeats.ndim == 0:
        repeats = int(repeats.item())
    if not isinstance(repeats, Tensor):
        # PyTorch's way for a number: unsqueeze, expand, copy, view
        n = int(repeats)
        u = unsqueeze(x, d + 1)
        shape = list(u.shape)
        shape[d + 1] = n
        out = list(x.shape)
        out[d] *= n
        return view(clone(expand(u, tuple(shape))), tuple(out))
    reps = repeats._data
    idx = np.repeat(np.arange(x.shape[d]), reps)
    return x.index_select(d, _wrap(idx.astype(np.int64)))

expose(repeat_interleave, method=True)


class FlipBackward0(Node):
    """y = flip(x, dims):  dx = flip(g, dims)"""

    def backward(self, g):
        return (g.flip(self.dims),)


def flip(x, *dims):
    """x with the order of elements reversed along ``dims``"""
    dims = dims[0] if len(dims) == 1 else dims
    if isinstance(dims, int):
        dims = (dims,)
    dims = _norm_dims(dims, x.ndim)
    t = _out(np.flip(x._data, dims).copy() if x.ndim else x._data.copy(), FlipBackward0, (x,))
    if t.grad_fn is not None:
        t.grad_fn.dims = dims
    return t

expose(flip, method=True)


def fliplr(x):
    return flip(x, (1,))

expose(fliplr, method=True)


def flipud(x):
    return flip(x, (0,))

expose(flipud, method=True)


class RollBackward0(Node):
    """y = roll(x, s):  dx = roll(g, -s)"""

    def backward(self, g):
        shifts = tuple(-s for s in self.shifts) if isinstance(self.shifts, tuple) else -self.shifts
        return (g.roll(shifts, self.dims),)

    def jvp(self, t):
        return t.roll(self.shifts, self.dims)


def roll(x, shifts, dims=None):
    """x shifted circularly by ``shifts`` along ``dims`` (flattened when dims is None)"""
    if dims is not None:
        sh = tuple(shifts) if isinstance(shifts, (list, tuple)) else (shifts,)
        ds = tuple(dims) if isinstance(dims, (list, tuple)) else (dims,)
        if len(sh) != len(ds):
            raise RuntimeError(f"shifts and dimensions must align. shifts: {len(sh)}, dims:{len(ds)}")
        for d in ds:
            _wrap_dim(d, x.ndim)
    return _out(np.roll(x._data, shifts, dims), RollBackward0, (x,),
                shifts=tuple(shifts) if isinstance(shifts, (list, tuple)) else shifts,
                dims=tuple(dims) if isinstance(dims, (list, tuple)) else dims)

expose(roll, method=True)


class TrilBackward0(Node):
    """y = tril(x):  dx = tril(g)"""

    def backward(self, g):
        return (g.tril(self.k),)


class TriuBackward0(Node):
    """y = triu(x):  dx = triu(g)"""

    def backward(self, g):
        return (g.triu(self.k),)


def tril(x, diagonal=0):
    if x.ndim < 2:
        raise RuntimeError("tril: input tensor must have at least 2 dimensions")
    t = _out(np.tril(x._data, diagonal), TrilBackward0, (x,))
    if t.grad_fn is not None:
        t.grad_fn.k = diagonal
    return t

expose(tril, method=True, inplace=True)


def triu(x, diagonal=0):
    if x.ndim < 2:
        raise RuntimeError("triu: input tensor must have at least 2 dimensions")
    t = _out(np.triu(x._data, diagonal), TriuBackward0, (x,))
    if t.grad_fn is not None:
        t.grad_fn.k = diagonal
    return t

expose(triu, method=True, inplace=True)


class DiagEmbedBackward0(Node):
    """Y = diag(v):  dv = diagonal(G)"""

    def backward(self, g):
        return (g.diagonal(self.k),)


class DiagonalBackward0(Node):
    """y = diagonal(X):  dX = G placed on that diagonal"""

    def backward(self, g):
        z = zeros_like_shape(g, self.shape)
        return (diagonal_scatter(z, g, self.k, self.d1, self.d2),)


class DiagonalBackward0_copy(DiagonalBackward0):
    pass


def diag(x, diagonal=0):
    if x.ndim == 1:
        t = _out(np.diag(x._data, diagonal), DiagEmbedBackward0, (x,))
        if t.grad_fn is not None:
            t.grad_fn.k = diagonal
        return t
    if x.ndim == 2:
        t = diagonal_(x, diagonal, 0, 1, copy=True)
        if t.grad_fn is not None:
            t.grad_fn.__class__ = DiagonalBackward0_copy  # PyTorch's diag goes through diagonal_copy
        return t
    raise RuntimeError("diag(): Supports 1D or 2D tensors. Got " + f"{x.ndim}D")

expose(diag, method=True)


def diagonal_(x, offset=0, dim1=0, dim2=1, copy=False):
    d1, d2 = _wrap_dim(dim1, x.ndim), _wrap_dim(dim2, x.ndim)
    if d1 == d2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    arr = np.diagonal(x._data, offset, d1, d2)
    if copy:
        arr = arr.copy()
    t = _out(arr, DiagonalBackward0, (x,))
    if t.grad_fn is not None:
        t.grad_fn.shape, t.grad_fn.k, t.grad_fn.d1, t.grad_fn.d2 = x.shape, offset, d1, d2
    return t


def diagonal(x, offset=0, dim1=0, dim2=1):
    """The diagonal as a view sharing x's memory (so ``x.diagonal().add_(1)`` writes into x, as in PyTorch)."""
    d1, d2 = _wrap_dim(dim1, x.ndim), _wrap_dim(dim2, x.ndim)
    if d1 == d2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    a = x._data
    n1, n2 = a.shape[d1], a.shape[d2]
    n = builtins.max(0, builtins.min(n1, n2 - offset) if offset >= 0 else builtins.min(n1 + offset, n2))
    start = [0] * a.ndim
    if n:
        start[d2 if offset >= 0 else d1] = builtins.abs(offset)
    first = a[tuple(slice(s, None) for s in start)] if n else a
    rest = [k for k in range(a.ndim) if k not in (d1, d2)]
    # walk both dims at once: stride(d1) + stride(d2) steps along the diagonal
    arr = np.lib.stride_tricks.as_strided(
        first, tuple(a.shape[k] for k in rest) + (n,),
        tuple(a.strides[k] for k in rest) + (a.strides[d1] + a.strides[d2],), writeable=a.flags.writeable)
    t = _view_of(x, arr, DiagonalBackward0, shape=x.shape, k=offset, d1=d1, d2=d2)
    if x.ndim == 2 and x._base is None:
        i, j = _diag_index(x.shape, offset, d1, d2)
        t._view_key = (_wrap(i), _wrap(j))  # lets an in-place write through the view rebase x's history
    return t

expose(diagonal, method=True)


class SliceBackward0(Node):
    """y = x[a:b:s] along dim:  dx = g placed into zeros at those positions"""

    def backward(self, g):
        z = zeros_like_shape(g, self.shape)
        return (slice_scatter(z, g, self.dim, self.start, self.stop, self.step),)


class SelectBackward0(Node):
    """y = x[i] along dim:  dx = g placed into zeros at index i"""

    def backward(self, g):
        z = zeros_like_shape(g, self.shape)
        return (select_scatter(z, g, self.dim, self.index),)


def narrow(x, dim, start, length):
    """x[start:start+length] along dim (a view)"""
    d = _wrap_dim(dim, x.ndim)
    n = x.shape[d]
    if isinstance(start, Tensor):
        start = int(start.item())
    if start < 0:
        start += n
    if start < 0 or start > n or length < 0 or start + length > n:
        raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size ({n}).")
    sl = [slice(None)] * x.ndim
    sl[d] = slice(start, start + length)
    return _view_of(x, x._data[tuple(sl)], SliceBackward0, shape=x.shape, dim=d, start=start,
                    stop=start + length, step=1)

expose(narrow, method=True)


def select(x, dim, index):
    """x[index] along dim (a view with that dim removed)"""
    d = _wrap_dim(dim, x.ndim)
    n = x.shape[d]
    i = int(index)
    if i < -n or i >= n:
        raise IndexError(f"select(): index {i} out of range for tensor of size {list(x.shape)} at dimension {d}")
    i %= n
    sl = [slice(None)] * x.ndim
    sl[d] = i
    return _view_of(x, x._data[tuple(sl)], SelectBackward0, shape=x.shape, dim=d, index=i)

expose(select, method=True)


def diagflat(x: Tensor, offset: int = 0) -> Tensor:
    return diag_embed(x.reshape(-1), offset)

expose(diagflat, method=True)


def as_strided(x, size, stride, storage_offset=None):
    """A read-only strided window over x's elements (strides in elements, as PyTorch)"""
    base = x._data if x._base is None else x._base._data
    base = np.ascontiguousarray(base).reshape(-1) if x._base is None else base.reshape(-1)
    off = x.storage_offset() if storage_offset is None else storage_offset
    item = base.itemsize
    view = np.lib.stride_tricks.as_strided(base[off:], tuple(size), tuple(s * item for s in stride),
                                           writeable=False)
    idx = np.lib.stride_tricks.as_strided(np.arange(base.size)[off:], tuple(size),
                                          tuple(s * 8 for s in stride), writeable=False)
    if _gm.enabled and x._rg:
        return x.reshape(-1)[_wrap(np.ascontiguousarray(idx))] if x._base is None else _wrap(view.copy())
    return _wrap(view)

expose(as_strided, method=True)


def _ravel(x: Tensor) -> Tensor:
    return reshape(x, (-1,))

expose(_ravel, torch=('ravel',), method=('ravel',))


def _copy_of(method: str):
    def fn(x, *args, **kwargs):
        r = getattr(x, method)(*args, **kwargs)
        if isinstance(r, (tuple, list)):
            return tuple(t.clone() for t in r)
        return r.clone()
    fn.__name__ = method + "_copy"
    fn.__doc__ = f"x.{method}(...) as a new tensor (no view)"
    return fn


COPY_VARIANTS = ["permute", "t", "transpose", "unsqueeze", "squeeze", "view", "expand", "diagonal", "select",
                 "detach", "narrow", "unbind", "split", "split_with_sizes", "as_strided", "unfold"]
for _name in COPY_VARIANTS:
    expose(_copy_of(_name))


def alias_copy(x: Tensor) -> Tensor:
    return x.clone()

expose(alias_copy)


def adjoint(x: Tensor) -> Tensor:
    """the conjugate transpose of the last two dims (a view)"""
    y = transpose(x, -2, -1)
    return y.conj() if x.is_complex() else y

expose(adjoint, method=True)


def resize_(x, *sizes, memory_format=None):
    """x.resize_(shape): keep the leading elements in row-major order, new ones zero (PyTorch leaves them
    uninitialised)"""
    shape = _shape_arg(sizes)
    if x._rg:
        raise RuntimeError("cannot resize variables that require grad")
    n = int(np.prod(shape)) if shape else 1
    flat = x._data.reshape(-1)
    new = np.zeros(n, dtype=x._data.dtype)
    k = builtins.min(n, flat.size)
    new[:k] = flat[:k]
    x._data = new.reshape(shape)
    x._bump()
    return x

expose(resize_, torch=False, method=True)


def resize_as_(x, other, *, memory_format=None):
    """x.resize_(other's shape)"""
    return resize_(x, tuple(other.shape))

expose(resize_as_, method=True)


def resize(x, *sizes):
    """a resized copy of x (the deprecated out-of-place form)"""
    return resize_(x.detach().clone(), *sizes)

expose(resize, torch=False, method=True)


def resize_as(x, other):
    """a copy of x resized to other's shape"""
    return resize_(x.detach().clone(), tuple(other.shape))

expose(resize_as, torch=False, method=True)


def detach(x):
    return x.detach()

expose(detach)


def rot90(x, k=1, dims=(0, 1)):
    k %= 4
    d0, d1 = dims
    if k == 0:
        return x.clone()
    if k == 1:
        return _renamed(x.flip(d1).transpose(d0, d1), "Rot90Backward0")
    if k == 2:
        return _renamed(x.flip((d0, d1)), "Rot90Backward0")
    return _renamed(x.transpose(d0, d1).flip(d1), "Rot90Backward0")

expose(rot90, method=True)


class UnfoldBackward0(Node):
    """y = x.unfold(d, size, step):  dx = zeros.index_add(d, window indices, g as windows)"""

    def backward(self, g):
        d, size, idx = self.d, self.size, self.idx
        # g: (..., n, ..., size) -> (..., n * size, ...) in window order, then scatter-add into x's shape
        gw = movedim(g, -1, d + 1)
        gw = reshape(gw, gw.shape[:d] + (gw.shape[d] * size,) + gw.shape[d + 2:])
        return (zeros_like_shape(g, self.shape).index_add(d, idx, gw),)


def unfold(x, dimension: int, size: int, step: int):
    """A view of every ``size``-long window along ``dimension``, ``step`` apart, as a new last dim."""
    d = _wrap_dim(dimension, x.ndim) if x.ndim else 0
    a = x._data if x.ndim else x._data.reshape(1)
    length = a.shape[d]
    if size > length:
        raise RuntimeError(f"maximum size for tensor at dimension {d} is {length} but size is {size}")
    if step <= 0:
        raise RuntimeError(f"step is {step} but must be > 0")
    n = (length - size) // step + 1
    st = a.strides
    shape = a.shape[:d] + (n,) + a.shape[d + 1:] + (size,)
    strides = st[:d] + (st[d] * step,) + st[d + 1:] + (st[d],)
    arr = np.lib.stride_tricks.as_strided(a, shape, strides, writeable=False)
    idx = _wrap((np.arange(n)[:, None] * step + np.arange(size)).reshape(-1))
    return _view_of(x, arr, UnfoldBackward0, d=d, size=size, idx=idx, shape=x.shape)

expose(unfold, torch=False, method=True)


def diag_embed(x, offset=0, dim1=-2, dim2=-1):
    """A tensor whose (dim1, dim2) diagonals at ``offset`` hold x's last dim, zeros elsewhere."""
    nd = x.ndim + 1
    d1, d2 = _wrap_dim(dim1, nd), _wrap_dim(dim2, nd)
    n = x.shape[-1] + builtins.abs(offset)
    shape = list(x.shape[:-1])
    for d in sorted((d1, d2)):
        shape.insert(d, n)
    out = diagonal_scatter(zeros_like_shape(x, tuple(shape)), x, offset, d1, d2)
    return _renamed(out, "DiagEmbedBackward0")

expose(diag_embed, method=True)


def _atleast(np_fn):
    def fn(*tensors):
        if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
            tensors = tuple(tensors[0])
        out = tuple(reshape(t, np_fn(np.empty(t.shape, dtype=np.bool_)).shape) for t in tensors)
        return out[0] if len(out) == 1 else out
    fn.__name__ = np_fn.__name__
    fn.__doc__ = f"each tensor viewed with at least {np_fn.__name__[-2]} dims"
    return fn


atleast_1d, atleast_2d, atleast_3d = _atleast(np.atleast_1d), _atleast(np.atleast_2d), _atleast(np.atleast_3d)
expose(atleast_1d)
expose(atleast_2d)
expose(atleast_3d)


class DiagonalScatterBackward0(Node):
    def backward(self, g):
        gz = diagonal_scatter(g, zeros_like(diagonal(g, self.k, self.d1, self.d2)), self.k, self.d1, self.d2)
        return (gz if self.next[0] is not None else None,
                diagonal(g, self.k, self.d1, self.d2) if self.next[1] is not None else None)


def diagonal_scatter(x, src, offset=0, dim1=0, dim2=1):
    dim1, dim2 = _wrap_dim(dim1, x.ndim), _wrap_dim(dim2, x.ndim)
    r = x._data.copy()
    idx = _diag_index(x.shape, offset, dim1, dim2)
    # src has the diagonal last; NumPy's paired advanced index puts it where the two axes were if they are
    # adjacent, else first
    where_ = builtins.min(dim1, dim2) if builtins.abs(dim1 - dim2) == 1 else 0
    r[idx] = np.moveaxis(src._data, -1, where_) if src.ndim > 1 else src._data
    t = _out(r, DiagonalScatterBackward0, (x, src))
    if t.grad_fn is not None:
        t.grad_fn.k, t.grad_fn.d1, t.grad_fn.d2 = offset, dim1, dim2
    return t

expose(diagonal_scatter, method=True)


def _diag_index(shape, offset, d1, d2):
    n1, n2 = shape[d1], shape[d2]
    if offset >= 0:
        k = builtins.min(n1, n2 - offset)
        i, j = np.arange(k), np.arange(k) + offset
    else:
        k = builtins.min(n1 + offset, n2)
        i, j = np.arange(k) - offset, np.arange(k)
    idx = [slice(None)] * len(shape)
    idx[d1], idx[d2] = i, j
    # advanced indices on two axes: numpy puts the paired axis first when they are not adjacent
    return tuple(idx)


class SliceScatterBackward0(Node):
    def backward(self, g):
        sl = [slice(None)] * g.ndim
        sl[self.dim] = slice(self.start, self.stop, self.step)
        sl = tuple(sl)
        gx = slice_scatter(g, zeros_like(g[sl]), self.dim, self.start, self.stop, self.step) \
            if self.next[0] is not None else None
        gs = g[sl] if self.next[1] is not None else None
        return (gx, gs)


class SelectScatterBackward0(Node):
    def backward(self, g):
        gx = select_scatter(g, zeros_like(select(g, self.dim, self.index)), self.dim, self.index) \
            if self.next[0] is not None else None
        gs = select(g, self.dim, self.index) if self.next[1] is not None else None
        return (gx, gs)


def slice_scatter(x, src, dim=0, start=None, end=None, step=1):
    r = x._data.copy()
    sl = [slice(None)] * x.ndim
    sl[dim] = slice(start, end, step)
    r[tuple(sl)] = src._data
    t = _out(r, SliceScatterBackward0, (x, src))
    if t.grad_fn is not None:
        t.grad_fn.dim, t.grad_fn.start, t.grad_fn.stop, t.grad_fn.step = dim, start, end, step
    return t

expose(slice_scatter, method=True)


def select_scatter(x, src, dim, index):
    r = x._data.copy()
    sl = [slice(None)] * x.ndim
    sl[dim] = index
    r[tuple(sl)] = src._data
    t = _out(r, SelectScatterBackward0, (x, src))
    if t.grad_fn is not None:
        t.grad_fn.dim, t.grad_fn.index = dim, index
    return t

expose(select_scatter, method=True)


def _reversed_dims(x):
    """x.T: the dims reversed (a transpose for matrices; deprecated beyond 2-D, as in PyTorch)"""
    if x.ndim > 2:
        warnings.warn("The use of `x.T` on tensors of dimension other than 2 to reverse their shape is "
                      "deprecated and it will throw an error in a future release. Consider `x.mT` to transpose "
                      "batches of matrices or `x.permute(*torch.arange(x.ndim - 1, -1, -1))` to reverse the "
                      "dimensions of a tensor.", UserWarning, stacklevel=2)
    return permute(x, tuple(range(x.ndim))[::-1])

expose(_reversed_dims, torch=False, prop="T")


def _matrix_transpose(x):
    """x.mT: the last two dims swapped"""
    if x.ndim < 2:
        raise RuntimeError(f"tensor.mT is only supported on matrices or batches of matrices. Got {x.ndim}-D "
                           "tensor.")
    return transpose(x, -2, -1)

expose(_matrix_transpose, torch=False, prop="mT")


def _conjugate_reversed(x):
    """x.H: the conjugate of x.T"""
    return _reversed_dims(x).conj()

expose(_conjugate_reversed, torch=False, prop="H")


def _conjugate_transpose(x):
    """x.mH: the conjugate of x.mT"""
    return _matrix_transpose(x).conj()

expose(_conjugate_transpose, torch=False, prop="mH")


def _inplace_view(view_op, node_name):
    """``x.squeeze_()`` and friends: x becomes the view (its history too, when recorded)."""
    def method(self, *args):
        r = view_op(self, *args)
        self._data = r._data
        if r.grad_fn is not None:
            name = node_name(args) if callable(node_name) else node_name
            self.grad_fn, self._output_nr = _renamed(r, name).grad_fn, 0
        return self
    method.__name__ = view_op.__name__ + "_"
    return method


def _squeeze_node_name(args):
    if not args:
        return "SqueezeBackward3"
    return "SqueezeBackward5" if isinstance(args[0], (tuple, list)) else "SqueezeBackward4"


squeeze_ = _inplace_view(squeeze, _squeeze_node_name)
unsqueeze_ = _inplace_view(unsqueeze, "UnsqueezeBackward1")
t_ = _inplace_view(t, "TBackward1")
transpose_ = _inplace_view(transpose, "TransposeBackward1")
expose(squeeze_, torch=False, method=True)
expose(unsqueeze_, torch=False, method=True)
expose(t_, torch=False, method=True)
expose(transpose_, torch=False, method=("transpose_", "swapaxes_", "swapdims_"))


def narrow_copy(x, dim, start, length):
    """narrow(x, dim, start, length) as a new tensor (no view)"""
    return narrow(x, dim, start, length).clone()

expose(narrow_copy, method=True)


def dim_order(x):
    """the dims from outermost to innermost in memory"""
    return tuple(builtins.int(i) for i in np.argsort([-s for s in x.stride()], kind="stable"))

expose(dim_order, torch=False, method=True)
