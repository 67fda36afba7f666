"""Joining and splitting: cat, stack, hstack, split, chunk, unbind, tensor_split, block_diag.

Each op is one block: its node (the derivative in the docstring; ``backward`` gives the inputs' gradients from the
outputs', ``jvp`` the outputs' tangents from the inputs'), then the function, then its exposure. The pieces of
``split``, ``chunk`` and ``unbind`` are views of x (one multi-output node); ``tensor_split`` and the ``h/v/dsplit``
family give separate slices (one ``SliceBackward0`` each), as PyTorch does."""

from __future__ import annotations

import builtins
import itertools

from .._array import np
from .._core import dtype as D
from .._core import modes
from .._core.args import _tensor_arg
from .._core.dims import _wrap_dim
from .._core.exposure import expose
from .._core.messages import _shape_str
from .._core.node import Node
from .._core.record import _edge, _forward, _forward_node, _wrap_result, zeros_like_shape
from .._core.sigs import Sigs
from .._core.tensor import Tensor, _wrap
from .creation import meshgrid
from .shape import narrow, select

_fw = modes.forward
_grad_mode = modes.grad


__all__ = ["cat", "concat", "concatenate", "stack", "hstack", "vstack", "dstack", "column_stack", "split",
           "chunk", "tensor_split", "unbind", "combinations", "hsplit", "vsplit", "dsplit", "row_stack",
           "split_with_sizes", "unsafe_chunk", "unsafe_split", "block_diag", "cartesian_prod", "split_copy",
           "split_with_sizes_copy", "unbind_copy", "unsafe_split_with_sizes"]


def _promoted(tensors):
    """The NumPy dtype the tensors promote to (PyTorch's rules)"""
    dt = tensors[0]._data.dtype
    for x in tensors[1:]:
        if x._data.dtype != dt:
            dt = D.promote_types(D.from_numpy_dtype(dt), x.dtype).np
    return dt


def _tangent_or_zeros(t, shape, dtype):
    return t if t is not None else _wrap(np.zeros(shape, dtype=dtype))


# =====================================================================================================
# cat, stack and their spellings
# =====================================================================================================

class CatBackward0(Node):
    """y = cat(xs, d):  each dx_i is its slice of g

    Forward mode: dy = cat(dxs, d)"""

    def backward(self, g):
        out = []
        start = 0
        d = self.dim
        for n in self.sizes:
            if n is None:  # a legacy empty vector cat skipped: an empty gradient
                out.append(zeros_like_shape(g, (0,)))
                continue
            out.append(narrow(g, d, start, n))
            start += n
        return tuple(out)

    def jvp(self, *tangents):
        dt = next(tg for tg in tangents if tg is not None)._data.dtype
        return cat([_tangent_or_zeros(tg, s, dt) for tg, s in zip(tangents, self.shapes)], self.dim)


def _tensor_list(tensors, name):
    if isinstance(tensors, Tensor):
        raise TypeError(f"{name}(): argument 'tensors' (position 1) must be tuple of Tensors, not Tensor")
    tensors = list(tensors)
    for i, x in enumerate(tensors):
        if not isinstance(x, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got {type(x).__name__}")
    return tensors


_CAT = Sigs("cat", "(tuple of Tensors tensors, int dim = 0, *, Tensor out = None)")


def cat(tensors, dim=0, *, out=None):
    """join tensors along an existing dim"""
    if type(dim) is not int or (type(tensors) is not list and type(tensors) is not tuple):
        _CAT.check_call(cat, tensors, dim)
    tensors = _tensor_list(tensors, "cat")
    if not tensors:
        raise ValueError("torch.cat(): expected a non-empty list of Tensors")
    # PyTorch skips legacy empty 1-D tensors
    use = [x for x in tensors if not (x.ndim == 1 and x.shape[0] == 0)] or tensors[:1]
    ref = use[0]
    for i, x in enumerate(tensors):
        if x.ndim == 0:
            raise RuntimeError(f"zero-dimensional tensor (at position {i}) cannot be concatenated")
    d = _wrap_dim(dim, ref.ndim)
    for i, x in enumerate(tensors):
        if x.ndim == 1 and x.shape[0] == 0 and x is not ref:
            continue
        if x.ndim != ref.ndim:
            raise RuntimeError(f"Tensors must have same number of dimensions: got {ref.ndim} and {x.ndim}")
        for k in range(ref.ndim):
            if k != d and x.shape[k] != ref.shape[k]:
                raise RuntimeError(f"Sizes of tensors must match except in dimension {d}. Expected size "
                                   f"{ref.shape[k]} but got size {x.shape[k]} for tensor number {i} in the list.")
    r = np.concatenate([x._data for x in use], axis=d, dtype=_promoted(use))
    if len(use) == len(tensors):
        return _wrap_result(r, CatBackward0, tuple(use), dim=d, sizes=[x.shape[d] for x in use],
                    shapes=[x._data.shape for x in use])
    return _wrap_result(r, CatBackward0, tuple(tensors), dim=d, shapes=[x._data.shape for x in tensors],
                sizes=[x.shape[d] if any(x is u for u in use) else None for x in tensors])

expose(cat, torch=('cat', 'concat', 'concatenate'), method=False, out=True)


concat = cat


concatenate = cat


class StackBackward0(Node):
    """y = stack(xs, d):  each dx_i = g selected at i along d

    Forward mode: dy = stack(dxs, d)"""

    def backward(self, g):
        return tuple(select(g, self.dim, i) for i in range(self.n))

    def jvp(self, *tangents):
        dt = next(tg for tg in tangents if tg is not None)._data.dtype
        return stack([_tangent_or_zeros(tg, self.shape, dt) for tg in tangents], self.dim)


_STACK = Sigs("stack", "(tuple of Tensors tensors, int dim = 0, *, Tensor out = None)")


def stack(tensors, dim=0, *, out=None):
    """join tensors (all of one shape) along a new dim"""
    if type(dim) is not int or (type(tensors) is not list and type(tensors) is not tuple):
        _STACK.check_call(stack, tensors, dim)
    tensors = _tensor_list(tensors, "stack")
    if not tensors:
        raise RuntimeError("stack expects a non-empty TensorList")
    shp = tensors[0].shape
    d = _wrap_dim(dim, len(shp) + 1)
    for i, x in enumerate(tensors):
        if x.shape != shp:
            raise RuntimeError(f"stack expects each tensor to be equal size, but got [{', '.join(map(str, shp))}] "
                               f"at entry 0 and [{', '.join(map(str, x.shape))}] at entry {i}")
    r = np.stack([x._data for x in tensors], axis=d, dtype=_promoted(tensors))
    return _wrap_result(r, StackBackward0, tuple(tensors), dim=d, n=len(tensors), shape=tuple(shp))

expose(stack, out=True)


_HSTACK = Sigs("hstack", "(tuple of Tensors tensors, *, Tensor out = None)")


def hstack(tensors):
    """cat along dim 1 (dim 0 for vectors), 0-d tensors as vectors"""
    if type(tensors) is not list and type(tensors) is not tuple:
        _HSTACK.check(tensors)
    tensors = [x.reshape(1) if x.ndim == 0 else x for x in _tensor_list(tensors, "hstack")]
    if not tensors:
        raise RuntimeError("hstack expects a non-empty TensorList")
    return cat(tensors, 0 if tensors[0].ndim == 1 else 1)

expose(hstack)


def vstack(tensors):
    """cat along dim 0, vectors and 0-d tensors as rows"""
    tensors = _tensor_list(tensors, "vstack")
    if not tensors:
        raise RuntimeError("vstack expects a non-empty TensorList")
    return cat([x.reshape(1, -1) if x.ndim < 2 else x for x in tensors], 0)

expose(vstack)


def row_stack(tensors) -> Tensor:
    return vstack(tensors)

expose(row_stack)


def dstack(tensors):
    """cat along dim 2, lower-dim tensors viewed as (1, n, 1) or (m, n, 1)"""
    tensors = _tensor_list(tensors, "dstack")
    if not tensors:
        raise RuntimeError("dstack expects a non-empty TensorList")
    ts = []
    for x in tensors:
        if x.ndim < 2:
            x = x.reshape(1, -1, 1)
        elif x.ndim == 2:
            x = x.unsqueeze(-1)
        ts.append(x)
    return cat(ts, 2)

expose(dstack)


def column_stack(tensors):
    """cat along dim 1, vectors and 0-d tensors as columns"""
    tensors = _tensor_list(tensors, "column_stack")
    if not tensors:
        raise RuntimeError("column_stack expects a non-empty TensorList")
    return cat([x.reshape(-1, 1) if x.ndim <= 1 else x for x in tensors], 1)

expose(column_stack)


# =====================================================================================================
# split, chunk, unbind (one multi-output node; the pieces are views of x)
# =====================================================================================================

class SplitBackward0(Node):
    """outputs = split(x):  dx = cat of the output gradients (zeros where an output got none)

    Forward mode: dys = split(dx, n, d)"""

    multi_view = True  # its outputs are views of x: PyTorch refuses to change them in place while recording

    def backward(self, grads):
        if self.n_outputs == 1:
            grads = (grads,)
        parts = []
        for k, g in enumerate(grads):
            if g is None:
                shp = list(self.shape)
                shp[self.dim] = self.sizes[k]
                g = _wrap(np.zeros(shp, dtype=self.dtype))
            parts.append(g)
        return (cat(parts, self.dim) if parts else _wrap(np.zeros(self.shape, dtype=self.dtype)),)

    def jvp(self, t):
        out = tuple(narrow(t, self.dim, start, n) for start, n in zip(self.starts, self.sizes))
        return out if self.n_outputs != 1 else out[0]


class SplitWithSizesBackward0(SplitBackward0):
    """ys = split(x, sizes, d):  dx = cat of the ys' gradients along d (zeros where none)

    Forward mode: dys = split(dx, sizes)"""


class UnsafeSplitBackward0(SplitBackward0):
    """ys = unsafe_split(x, n, d) (pieces not tracked as views):  dx = cat of the gradients

    Forward mode: dys = split(dx, n)"""

    multi_view = False


class SplitBackward0_copy(SplitBackward0):
    """ys = split_copy(x, n, d) (new tensors):  dx = cat of the gradients along d

    Forward mode: dys = split(dx, n, d)"""

    multi_view = False


class SplitWithSizesBackward0_copy(SplitBackward0):
    """ys = split_with_sizes_copy(x, sizes, d) (new tensors):  dx = cat of the gradients

    Forward mode: dys = split(dx, sizes)"""

    multi_view = False


class UnbindBackward0(Node):
    """outputs = unbind(x, d):  dx = stack of the output gradients

    Forward mode: dys = unbind(dx, d)"""

    multi_view = True

    def backward(self, grads):
        if self.n_outputs == 1:
            grads = (grads,)
        parts = []
        for g in grads:
            if g is None:
                shp = list(self.shape)
                del shp[self.dim]
                g = _wrap(np.zeros(shp, dtype=self.dtype))
            parts.append(g)
        return (stack(parts, self.dim) if parts else _wrap(np.zeros(self.shape, dtype=self.dtype)),)

    def jvp(self, t):
        out = tuple(select(t, self.dim, i) for i in range(self.n_outputs))
        return out if self.n_outputs != 1 else out[0]


class UnbindBackward0_copy(UnbindBackward0):
    """ys = unbind_copy(x, d) (new tensors):  dx = stack of the gradients along d

    Forward mode: dys = unbind(dx, d)"""

    multi_view = False


def _multi_output(x, arrays, node_cls, mode="view", **attrs):
    """The pieces of x, recorded by one node with one output per piece. ``mode``: "view" (they share x's memory
    and version counter), "unsafe" (they share its memory only: PyTorch's unsafe_split) or "copy" (new tensors)."""
    outs = []
    if mode == "view" and x._version_counter is None:
        x._version_counter = [0]
    if _grad_mode.enabled and x._requires_grad:
        node = node_cls((_edge(x),))
    else:
        node = _forward_node(node_cls, (x,))
    if node is not None:
        node.n_outputs = len(arrays)
        node.out_shapes = tuple(a.shape for a in arrays)
        node.out_shape = arrays[0].shape if arrays else None
        for k, v in attrs.items():
            setattr(node, k, v)
    for i, arr in enumerate(arrays):
        t = _wrap(arr.copy() if mode == "copy" else arr)
        if mode == "view":
            t._version_counter = x._version_counter
            t._base = x if x._base is None else x._base
        if node is not None:
            t._output_nr = i
            if not node.forward_only:
                t.grad_fn = node
                t._requires_grad = True
            if _fw.level is not None:
                _forward(t, node, node_cls, (x,))
        outs.append(t)
    return tuple(outs)


def _split_sizes(x, d, split_size_or_sections):
    n = x.shape[d]
    if isinstance(split_size_or_sections, (int, np.integer)):
        s = int(split_size_or_sections)
        if s < 0:
            raise RuntimeError(f"split expects split_size be non-negative, but got split_size={s}")
        if s == 0 and n > 0:
            raise RuntimeError(f"split_size can only be 0 if dimension size is 0, but got dimension size of {n}")
        return [builtins.min(s, n - i) for i in range(0, n, s)] if s > 0 else [0]
    sizes = [int(v) for v in split_size_or_sections]
    for v in sizes:
        if v < 0:
            raise RuntimeError(f"split_with_sizes expects split_sizes have only non-negative entries, but got "
                               f"split_sizes={sizes}")
    if builtins.sum(sizes) != n:
        raise RuntimeError(f"split_with_sizes expects split_sizes to sum exactly to {n} (input tensor's size at "
                           f"dimension {d}), but got split_sizes={sizes}")
    return sizes


def _split(x, split_size_or_sections, dim, node_cls, mode):
    if x.ndim == 0:
        raise RuntimeError("split expects at least a 1-dimensional tensor")
    d = _wrap_dim(dim, x.ndim)
    sizes = _split_sizes(x, d, split_size_or_sections)
    arrays, starts = [], []
    start = 0
    for s in sizes:
        sl = [slice(None)] * x.ndim
        sl[d] = slice(start, start + s)
        arrays.append(x._data[tuple(sl)])
        starts.append(start)
        start += s
    return _multi_output(x, arrays, node_cls, mode, shape=x.shape, dim=d, sizes=sizes, starts=starts,
                         dtype=x._data.dtype)


_SPLIT = Sigs("split", "(Tensor input, int split_size, int dim = 0)",
              "(Tensor input, tuple of ints split_size, int dim = 0)")
_SPLIT_WITH_SIZES = Sigs("split_with_sizes", "(Tensor input, tuple of ints split_sizes, int dim = 0)")


def _split_args(x, size, dim):
    """PyTorch's errors of torch.split (Python code: ``tensor.split(size, dim)``, then the size as an int to
    _VF.split, anything else to _VF.split_with_sizes)"""
    if not isinstance(x, Tensor):
        if isinstance(x, str):  # (str.split(size, dim))
            raise TypeError(f"must be str or None, not {type(size).__name__}")
        raise AttributeError(f"'{type(x).__name__}' object has no attribute 'split'")
    if isinstance(size, int):
        _SPLIT.check_function(x, size, dim)
    else:
        _SPLIT_WITH_SIZES.check_function(x, size, dim)


def split(x, split_size_or_sections, dim=0, _copy=False):
    """split into chunks of a size (last may be smaller) or of the given sizes (views of x)"""
    if type(x) is not Tensor or type(dim) is not int or (type(split_size_or_sections) is not int
                                                         and type(split_size_or_sections) is not list):
        _split_args(x, split_size_or_sections, dim)
    by_size = isinstance(split_size_or_sections, (int, np.integer))
    if _copy:
        cls = SplitBackward0_copy if by_size else SplitWithSizesBackward0_copy
    else:
        cls = SplitBackward0 if by_size else SplitWithSizesBackward0
    return _split(x, split_size_or_sections, dim, cls, "copy" if _copy else "view")

expose(split, method=True)


def split_with_sizes(x: Tensor, split_sizes, dim: int = 0, _copy=False):
    """split into pieces of the given sizes (views of x)"""
    return split(x, list(split_sizes), dim, _copy=_copy)

expose(split_with_sizes, method=True)


def unsafe_split(x: Tensor, split_size, dim: int = 0):
    """split, the pieces not tracked as views of x (their in-place changes are not checked against x's)"""
    if not isinstance(split_size, (int, np.integer)):
        raise TypeError(f"unsafe_split(): argument 'split_size' (position 2) must be int, not "
                        f"{type(split_size).__name__}")
    return _split(x, split_size, dim, UnsafeSplitBackward0, "unsafe")

expose(unsafe_split, method=True)


class UnsafeSplitWithSizesBackward0(SplitWithSizesBackward0):
    """ys = unsafe_split_with_sizes(x, sizes, d) (pieces not tracked as views):  dx = cat of the gradients

    Forward mode: dys = split(dx, sizes)"""

    multi_view = False


def unsafe_split_with_sizes(x: Tensor, split_sizes, dim: int = 0):
    """split_with_sizes, the pieces not tracked as views of x"""
    return _split(x, list(split_sizes), dim, UnsafeSplitWithSizesBackward0, "unsafe")

expose(unsafe_split_with_sizes, method=True)


def split_copy(x, split_size, dim=0):
    """split(x, n, dim) as new tensors (no views)"""
    if not isinstance(split_size, (int, np.integer)):
        raise TypeError(f"split_copy(): argument 'split_size' (position 2) must be int, not "
                        f"{type(split_size).__name__}")
    return split(x, split_size, dim, _copy=True)

expose(split_copy)


def split_with_sizes_copy(x, split_sizes, dim=0):
    """split(x, sizes, dim) as new tensors (no views)"""
    return split(x, list(split_sizes), dim, _copy=True)

expose(split_with_sizes_copy)


def _chunk_size(x, chunks, dim):
    if x.ndim == 0:
        raise RuntimeError("chunk expects at least a 1-dimensional tensor")
    if chunks <= 0:
        raise RuntimeError("chunk expects `chunks` to be greater than 0, got: " + str(chunks))
    d = _wrap_dim(dim, x.ndim)
    n = x.shape[d]
    return d, -(-n // chunks) if n else 0


_CHUNK = Sigs("chunk", "(Tensor input, int chunks, int dim = 0)")


def chunk(x, chunks, dim=0):
    """``chunks`` pieces of (nearly) equal size along dim, as views (fewer when the size does not divide)"""
    if type(x) is not Tensor or type(chunks) is not int or type(dim) is not int:
        _CHUNK.check_call(chunk, x, chunks, dim)
    if type(x) is not Tensor:
        _tensor_arg("chunk", ("input", 1, x))
    d, size = _chunk_size(x, chunks, dim)
    if size == 0:  # an empty dim: chunks empty pieces
        return split(x, [0] * chunks, d)
    return split(x, size, d)

expose(chunk, method=True)


def unsafe_chunk(x: Tensor, chunks: int, dim: int = 0):
    """chunk, the pieces not tracked as views of x"""
    d, size = _chunk_size(x, chunks, dim)
    if size == 0:
        return _split(x, [0] * chunks, d, UnsafeSplitBackward0, "unsafe")
    return unsafe_split(x, size, d)

expose(unsafe_chunk, method=True)


_UNBIND = Sigs("unbind", "(Tensor input, int dim = 0)")


def unbind(x, dim=0, _copy=False):
    """the slices of x along dim, as a tuple of views"""
    if type(x) is not Tensor or type(dim) is not int:
        _UNBIND.check_call(unbind, x, dim)
    if type(x) is not Tensor:
        _tensor_arg("unbind", ("input", 1, x))
    if x.ndim == 0:
        _wrap_dim(dim, 0)
        raise IndexError("Dimension specified as 0 but tensor has no dimensions")
    d = _wrap_dim(dim, x.ndim)
    sl = [slice(None)] * x.ndim + [Ellipsis]  # the Ellipsis keeps a 0-d piece a view
    arrays = []
    for i in range(x.shape[d]):
        sl[d] = i
        arrays.append(x._data[tuple(sl)])
    return _multi_output(x, arrays, UnbindBackward0_copy if _copy else UnbindBackward0, "copy" if _copy else "view",
                         shape=x.shape, dim=d, dtype=x._data.dtype)

expose(unbind, method=True)


def unbind_copy(x, dim=0):
    """unbind(x, dim) as new tensors (no views)"""
    return unbind(x, dim, _copy=True)

expose(unbind_copy)


# =====================================================================================================
# tensor_split, hsplit, vsplit, dsplit (separate slices)
# =====================================================================================================

def tensor_split(x, indices_or_sections, dim=0):
    """x cut into ``n`` pieces as equal as can be, or at the given indices: a slice (view) each"""
    if x.ndim == 0:
        raise RuntimeError("tensor_split expected at least a 1-dimensional tensor, but got a tensor with 0 dims")
    d = _wrap_dim(dim, x.ndim)
    n = x.shape[d]
    if isinstance(indices_or_sections, Tensor):
        if indices_or_sections.ndim == 0:
            indices_or_sections = int(indices_or_sections.item())
        else:
            indices_or_sections = [int(i) for i in indices_or_sections.tolist()]
    if isinstance(indices_or_sections, (int, np.integer)):
        k = int(indices_or_sections)
        if k <= 0:
            raise RuntimeError(f"number of sections must be larger than 0, got {k}")
        base, extra = divmod(n, k)
        sizes = [base + 1 if i < extra else base for i in range(k)]
        starts = list(itertools.accumulate([0] + sizes[:-1]))
    else:
        bounds = [0] + [builtins.min(builtins.max(int(i) + (n if i < 0 else 0), 0), n)
                        for i in indices_or_sections] + [n]
        starts = bounds[:-1]
        sizes = [builtins.max(bounds[i + 1] - bounds[i], 0) for i in range(len(bounds) - 1)]
    return tuple(narrow(x, d, s, m) for s, m in zip(starts, sizes))

expose(tensor_split, method=True)


def _split_dim(x, sections, dim, name, min_dim):
    if x.ndim < min_dim:
        raise RuntimeError(f"torch.{name} requires a tensor with at least {min_dim} dimension, but got a tensor "
                           f"with {x.ndim} dimensions!")
    if isinstance(sections, (int, np.integer)):
        if sections == 0 or x.shape[dim] % sections != 0:
            raise RuntimeError(f"torch.{name} attempted to split along dimension {dim}, but the size of the "
                               f"dimension {x.shape[dim]} is not divisible by the split_size {sections}!")
    return tensor_split(x, sections, dim)


def hsplit(x: Tensor, sections):
    """tensor_split along dim 1 (dim 0 for vectors); a number of sections must divide the size"""
    return _split_dim(x, sections, 1 if x.ndim > 1 else 0, "hsplit", 1)

expose(hsplit, method=True)


def vsplit(x: Tensor, sections):
    """tensor_split along dim 0 of a tensor with at least 2 dims"""
    return _split_dim(x, sections, 0, "vsplit", 2)

expose(vsplit, method=True)


def dsplit(x: Tensor, sections):
    """tensor_split along dim 2 of a tensor with at least 3 dims"""
    return _split_dim(x, sections, 2, "dsplit", 3)

expose(dsplit, method=True)


# =====================================================================================================
# block_diag, combinations, cartesian_prod
# =====================================================================================================

class BlockDiagBackward0(Node):
    """Y = the matrices on the diagonal of zeros, one block each:  dx_i = G's block i

    Forward mode: dY = block_diag(dxs)"""

    def backward(self, g):
        out = []
        for (r, c), shape in zip(self.corners, self.shapes):
            m = shape[0] if len(shape) == 2 else 1
            n = shape[-1] if len(shape) >= 1 else 1
            out.append(g[r:r + m, c:c + n].reshape(shape))
        return tuple(out)

    def jvp(self, *tangents):
        dt = next(tg for tg in tangents if tg is not None)._data.dtype
        return block_diag(*[_tangent_or_zeros(tg, s, dt) for tg, s in zip(tangents, self.shapes)])


def block_diag(*tensors):
    """the tensors (0-d and 1-d ones as one row) as blocks on the diagonal of a matrix of zeros"""
    for i, m in enumerate(tensors):
        if not isinstance(m, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got {type(m).__name__}")
        if m.ndim > 2:
            raise RuntimeError(f"torch.block_diag: Input tensors must have 2 or fewer dimensions. Input {i} has "
                               f"{m.ndim} dimensions")
    if not tensors:
        return _wrap(np.zeros((1, 0), dtype=D.get_default_dtype().np))
    mats = [m._data.reshape(1, -1) if m.ndim < 2 else m._data for m in tensors]
    rows = builtins.sum(a.shape[0] for a in mats)
    cols = builtins.sum(a.shape[1] for a in mats)
    r = np.zeros((rows, cols), dtype=_promoted(list(tensors)))
    corners = []
    i = j = 0
    for a in mats:
        r[i:i + a.shape[0], j:j + a.shape[1]] = a
        corners.append((i, j))
        i, j = i + a.shape[0], j + a.shape[1]
    return _wrap_result(r, BlockDiagBackward0, tuple(tensors), corners=corners, shapes=[m._data.shape for m in tensors])

expose(block_diag)


def combinations(x: Tensor, r: int = 2, with_replacement: bool = False) -> Tensor:
    """all r-length combinations of a 1-D tensor's elements, as rows (a stack of columns)"""
    if x.ndim != 1:
        raise RuntimeError(f"Expect a 1D vector, but got shape {_shape_str(x.shape)}")
    if r < 0:
        raise RuntimeError(f"Expect a non-negative number, but got {r}")
    if r == 0:
        return _wrap(np.empty((0,), dtype=x._data.dtype))
    n = x.shape[0]
    it = itertools.combinations_with_replacement if with_replacement else itertools.combinations
    idx = np.array(list(it(builtins.range(n), r)), dtype=np.int64).reshape(-1, r)
    return stack([x[_wrap(np.ascontiguousarray(idx[:, k]))] for k in range(r)], 1)

expose(combinations)


def cartesian_prod(*tensors):
    """every tuple of one element from each 1-D tensor, as rows (the tensor itself when there is one)"""
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    for t in tensors:
        if t.ndim != 1:
            raise RuntimeError(f"Expect a 1D vector, but got shape {_shape_str(t.shape)}")
    if len(tensors) == 1:
        return tensors[0]
    grids = meshgrid(*tensors, indexing="ij")
    return stack([g.reshape(-1) for g in grids], 1)

expose(cartesian_prod)
