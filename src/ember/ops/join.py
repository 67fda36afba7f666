"""Joining and splitting: cat, stack, hstack, split, chunk, unbind, tensor_split, block_diag."""

from __future__ import annotations

import builtins
import itertools

from .._array import np
from .._core import dtype as D
from .._core import modes
from .._core.dims import _wrap_dim
from .._core.exposure import expose
from .._core.messages import _shape_str
from .._core.node import Node
from .._core.record import _edge, _forward, _forward_node, _out, zeros_like_shape
from .._core.tensor import Tensor, _wrap
from .creation import meshgrid
from .index import index_put
from .shape import narrow, select

_fw = modes.forward
_gm = modes.grad


__all__ = ["cat", "concat", "concatenate", "stack", "hstack", "vstack", "dstack", "column_stack", "split",
           "chunk", "tensor_split", "unbind", "combinations", "hsplit", "vsplit", "dsplit", "row_stack",
           "split_with_sizes", "unsafe_chunk", "unsafe_split", "block_diag", "cartesian_prod"]


class CatBackward0(Node):
    """y = cat(xs, d):  each dx_i is its slice of g"""

    def backward(self, g):
        out = []
        start = 0
        d = self.dim
        for n in self.sizes:
            out.append(narrow(g, d, start, n) if n else None)
            start += n
        return tuple(out)


def cat(tensors, dim=0, *, out=None):
    """join tensors along an existing dim"""
    tensors = list(tensors)
    if not tensors:
        raise ValueError("torch.cat(): expected a non-empty list of Tensors")
    for i, x in enumerate(tensors):
        if not isinstance(x, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got {type(x).__name__}")
    # PyTorch skips legacy empty 1-D tensors
    use = [x for x in tensors if not (x.ndim == 1 and x.shape[0] == 0)] or tensors[:1]
    ref = use[0]
    d = _wrap_dim(dim, ref.ndim)
    for i, x in enumerate(use):
        if x.ndim != ref.ndim:
            raise RuntimeError(f"Tensors must have same number of dimensions: got {ref.ndim} and {x.ndim}")
        for k in range(ref.ndim):
            if k != d and x.shape[k] != ref.shape[k]:
                raise RuntimeError(f"Sizes of tensors must match except in dimension {d}. Expected size "
                                   f"{ref.shape[k]} but got size {x.shape[k]} for tensor number {i} in the list.")
    dt = use[0]._data.dtype
    for x in use[1:]:
        if x._data.dtype != dt:
            dt = D.promote_types(D.from_numpy_dtype(dt), x.dtype).np
    r = np.concatenate([x._data for x in use], axis=d, dtype=dt) if ref.ndim else None
    if ref.ndim == 0:
        raise RuntimeError("zero-dimensional tensor (at position 0) cannot be concatenated")
    return _out(r, CatBackward0, tuple(use), dim=d, sizes=[x.shape[d] for x in use])

expose(cat, torch=('cat', 'concat', 'concatenate'), method=False, out=True)


concat = cat


concatenate = cat


class StackBackward0(Node):
    """y = stack(xs, d):  each dx_i = g selected at i along d"""

    def backward(self, g):
        return tuple(select(g, self.dim, i) for i in range(self.n))


def stack(tensors, dim=0, *, out=None):
    """join tensors along a new dim"""
    tensors = list(tensors)
    if not tensors:
        raise RuntimeError("stack expects a non-empty TensorList")
    shp = tensors[0].shape
    for i, x in enumerate(tensors):
        if x.shape != shp:
            raise RuntimeError(f"stack expects each tensor to be equal size, but got [{', '.join(map(str, shp))}] "
                               f"at entry 0 and [{', '.join(map(str, x.shape))}] at entry {i}")
    d = _wrap_dim(dim, len(shp) + 1)
    dt = tensors[0]._data.dtype
    for x in tensors[1:]:
        if x._data.dtype != dt:
            dt = D.promote_types(D.from_numpy_dtype(dt), x.dtype).np
    r = np.stack([x._data for x in tensors], axis=d).astype(dt, copy=False)
    return _out(r, StackBackward0, tuple(tensors), dim=d, n=len(tensors))

expose(stack, out=True)


def hstack(tensors):
    return cat(tensors, 0 if tensors[0].ndim == 1 else 1)

expose(hstack)


def vstack(tensors):
    return cat([x.reshape(1, -1) if x.ndim == 1 else x for x in tensors], 0)

expose(vstack)


def dstack(tensors):
    ts = []
    for x in tensors:
        if x.ndim == 1:
            x = x.reshape(1, -1, 1)
        elif x.ndim == 2:
            x = x.unsqueeze(-1)
        ts.append(x)
    return cat(ts, 2)

expose(dstack)


def column_stack(tensors):
    return cat([x.reshape(-1, 1) if x.ndim <= 1 else x for x in tensors], 1)

expose(column_stack)


class SplitBackward0(Node):
    """outputs = split(x):  dx = cat of the output gradients (zeros where an output got none)"""

    def backward(self, grads):
        parts = []
        for k, g in enumerate(grads):
            if g is None:
                shp = list(self.shape)
                shp[self.dim] = self.sizes[k]
                g = _wrap(np.zeros(shp, dtype=self.dtype))
            parts.append(g)
        return (cat(parts, self.dim),)


class SplitWithSizesBackward0(SplitBackward0):
    pass


class UnbindBackward0(Node):
    """outputs = unbind(x, d):  dx = stack of the output gradients"""

    def backward(self, grads):
        parts = []
        for g in grads:
            if g is None:
                shp = list(self.shape)
                del shp[self.dim]
                g = _wrap(np.zeros(shp, dtype=self.dtype))
            parts.append(g)
        return (stack(parts, self.dim),)


def _multi_output(x, arrays, node_cls, **attrs):
    outs = []
    if x._vc is None:
        x._vc = [0]
    node = None
    if _gm.enabled and x._rg:
        node = node_cls((_edge(x),))
    else:
        node = _forward_node(node_cls, (x,))
    if node is not None:
        node.n_outputs = len(arrays)
        node.out_shapes = tuple(a.shape for a in arrays)
        for k, v in attrs.items():
            setattr(node, k, v)
    for i, arr in enumerate(arrays):
        t = _wrap(arr)
        t._vc = x._vc
        t._base = x if x._base is None else x._base
        if node is not None:
            t._output_nr = i
            if _gm.enabled and x._rg:
                t.grad_fn = node
                t._rg = True
            if _fw.level is not None:
                _forward(t, node, node_cls, (x,))
        outs.append(t)
    return tuple(outs)


def split(x, split_size_or_sections, dim=0):
    """split into chunks of a size (last may be smaller) or of the given sizes"""
    d = _wrap_dim(dim, x.ndim)
    n = x.shape[d]
    if isinstance(split_size_or_sections, (int, np.integer)):
        s = int(split_size_or_sections)
        if s <= 0 and n > 0:
            raise RuntimeError(f"split_size can only be 0 if dimension size is 0, but got dimension size of {n}")
        sizes = [builtins.min(s, n - i) for i in range(0, n, s)] if s > 0 else [0]
    else:
        sizes = [int(v) for v in split_size_or_sections]
        if builtins.sum(sizes) != n:
            raise RuntimeError(f"split_with_sizes expects split_sizes to sum exactly to {n} (input tensor's size at "
                               f"dimension {d}), but got split_sizes={sizes}")
    arrays = []
    start = 0
    for s in sizes:
        sl = [slice(None)] * x.ndim
        sl[d] = slice(start, start + s)
        arrays.append(x._data[tuple(sl)])
        start += s
    node_cls = SplitBackward0 if isinstance(split_size_or_sections, (int, np.integer)) else SplitWithSizesBackward0
    return _multi_output(x, arrays, node_cls, shape=x.shape, dim=d, sizes=sizes, dtype=x._data.dtype)

expose(split, method=('split', 'unsafe_split'))


def chunk(x, chunks, dim=0):
    d = _wrap_dim(dim, x.ndim)
    n = x.shape[d]
    if chunks <= 0:
        raise RuntimeError("chunk expects `chunks` to be greater than 0, got: " + str(chunks))
    size = -(-n // chunks) if n else 0
    if size == 0:
        return split(x, [0] * builtins.min(chunks, 1) if n == 0 else [], d) if n == 0 else ()
    return split(x, size, d)

expose(chunk, method=('chunk', 'unsafe_chunk'))


def tensor_split(x, indices_or_sections, dim=0):
    d = _wrap_dim(dim, x.ndim)
    n = x.shape[d]
    if isinstance(indices_or_sections, int):
        k = indices_or_sections
        base, extra = divmod(n, k)
        sizes = [base + 1 if i < extra else base for i in range(k)]
    else:
        idx = [0] + [builtins.min(builtins.max(int(i), 0), n) for i in indices_or_sections] + [n]
        sizes = [builtins.max(idx[i + 1] - idx[i], 0) for i in range(len(idx) - 1)]
    return split(x, sizes, d)

expose(tensor_split, method=True)


def unbind(x, dim=0):
    """the slices of x along dim, as a tuple"""
    d = _wrap_dim(dim, x.ndim)
    arrays = [np.take(x._data, i, axis=d) for i in range(x.shape[d])]
    sl = [slice(None)] * x.ndim
    arrays = []
    for i in range(x.shape[d]):
        sl[d] = i
        arrays.append(x._data[tuple(sl)])
    return _multi_output(x, arrays, UnbindBackward0, shape=x.shape, dim=d, dtype=x._data.dtype)

expose(unbind, method=True)


def combinations(x: Tensor, r: int = 2, with_replacement: bool = False) -> Tensor:
    """all r-length combinations of a 1-D tensor's elements, as rows"""
    if x.ndim != 1:
        raise RuntimeError(f"Expect a 1D vector, but got shape {_shape_str(x.shape)}")
    n = x.shape[0]
    it = itertools.combinations_with_replacement if with_replacement else itertools.combinations
    idx = np.array(list(it(builtins.range(n), r)), dtype=np.int64).reshape(-1, r)
    if idx.shape[0] == 0:
        return _wrap(np.empty((0,) if r != 1 else (0, 1), dtype=x._data.dtype))
    return x[_wrap(idx)]

expose(combinations)


def _split_dim(x, sections, dim, name, min_dim):
    if x.ndim < min_dim:
        raise RuntimeError(f"torch.{name} requires a tensor with at least {min_dim} dimension, but got a tensor "
                           f"with {x.ndim} dimensions!")
    if isinstance(sections, int) and x.shape[dim] % sections != 0:
        raise RuntimeError(f"torch.{name} attempted to split along dimension {dim}, but the size of the "
                           f"dimension {x.shape[dim]} is not divisible by the split_size {sections}!")
    return tensor_split(x, sections, dim)


def hsplit(x: Tensor, sections):
    return _split_dim(x, sections, 1 if x.ndim > 1 else 0, "hsplit", 1)

expose(hsplit, method=True)


def vsplit(x: Tensor, sections):
    return _split_dim(x, sections, 0, "vsplit", 2)

expose(vsplit, method=True)


def dsplit(x: Tensor, sections):
    return _split_dim(x, sections, 2, "dsplit", 3)

expose(dsplit, method=True)


def row_stack(tensors) -> Tensor:
    return vstack(tensors)

expose(row_stack)


def split_with_sizes(x: Tensor, split_sizes, dim: int = 0):
    return split(x, list(split_sizes), dim)

expose(split_with_sizes)


def unsafe_chunk(x: Tensor, chunks: int, dim: int = 0):
    return chunk(x, chunks, dim)

expose(unsafe_chunk)


def unsafe_split(x: Tensor, split_size, dim: int = 0):
    return split(x, split_size, dim)

expose(unsafe_split)


def block_diag(*ms):
    rows = builtins.sum(m.shape[0] if m.ndim == 2 else 1 for m in ms)
    cols = builtins.sum(m.shape[1] if m.ndim == 2 else (m.shape[0] if m.ndim == 1 else 1) for m in ms)
    out = zeros_like_shape(ms[0], (rows, cols))
    r = c = 0
    for m in ms:
        m2 = m.reshape(1, -1) if m.ndim < 2 else m
        out = index_put(out, (slice(r, r + m2.shape[0]), slice(c, c + m2.shape[1])), m2)
        r += m2.shape[0]
        c += m2.shape[1]
    return out

expose(block_diag)


def _split_with_sizes(x, split_sizes, dim=0):
    return split(x, list(split_sizes), dim)

expose(_split_with_sizes, torch=False, method=('split_with_sizes',))


def cartesian_prod(*tensors):
    grids = meshgrid(*tensors, indexing="ij")
    return stack([g.reshape(-1) for g in grids], 1) if len(tensors) > 1 else tensors[0]

expose(cartesian_prod)
