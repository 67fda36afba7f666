"""Shape and views: view, reshape, permute, transpose, expand, squeeze, flip, roll, tril/triu, diagonal, copies.

Each op is one block: its node (the derivative in the docstring; ``backward`` gives dL/dx from dL/dy, ``jvp`` gives
the output's tangent from the input's), then the function (checks, NumPy, record), then its exposure. A view shares
x's memory and version counter (``_view_of``): an in-place change through it shows in x; its tangent is the same
view of x's tangent. Every view op has a ``*_copy`` form (``permute_copy`` ...): the same values as a new tensor,
recorded as ``PermuteBackward0_copy`` and so on, PyTorch's names for them."""

from __future__ import annotations

import builtins
import warnings

from .._array import np
from .._core import dtype as D
from .._core import modes
from .._core.args import _tensor_arg
from .._core.dims import _infer_shape, _norm_dims, _shape_arg, _wrap_dim, factory_size
from .._core.exposure import expose
from .._core.messages import _bcast_message, _long_name
from .._core.node import Node, _type_name
from .._core.record import (
    _edge,
    _forward,
    _forward_node,
    _record,
    _tangents_of,
    _wrap_result,
    zeros_like_shape,
)
from .._core.sigs import Sigs
from .._core.tensor import Tensor, _wrap
from ..storage import _elements, offset_in_storage
from .binary import NotImplemented, _refuse_forward_ad
from .convert import clone, contiguous, view_dtype
from .inplace import AsStridedBackward0, _register_view, check_inplace

_fw = modes.forward
_grad_mode = modes.grad


__all__ = ["view", "reshape", "view_as", "reshape_as", "flatten", "unflatten", "squeeze", "unsqueeze",
           "transpose", "swapaxes", "swapdims", "t", "permute", "movedim", "moveaxis", "expand", "expand_as",
           "broadcast_to", "broadcast_tensors", "repeat", "tile", "repeat_interleave", "flip", "fliplr",
           "flipud", "roll", "tril", "triu", "diag", "diagonal", "narrow", "select", "diagflat",
           "as_strided", "alias_copy", "adjoint", "resize_", "resize_as_", "resize", "resize_as", "detach",
           "rot90", "unfold", "diag_embed", "atleast_1d", "atleast_2d", "atleast_3d", "diagonal_scatter",
           "slice_scatter", "select_scatter", "squeeze_", "unsqueeze_", "t_", "transpose_", "narrow_copy",
           "dim_order", "COPY_NODES", "as_strided_", "as_strided_scatter", "slice_copy", "slice_inverse"]


# =====================================================================================================
# Recording a view
# =====================================================================================================

def _view_of(x, arr, node_cls, copy, **attrs):
    """A result that shares memory with ``x`` (a view): it shares x's version counter too, and is registered with
    x's base so an in-place change of the base re-points its history. ``copy``: the op's ``*_copy`` form instead,
    a new tensor recorded with the ``_copy`` node."""
    if copy:
        return _wrap_result(arr.copy(), COPY_NODES[node_cls], (x,), **attrs)
    t = _wrap(arr)
    if x._version_counter is None:
        x._version_counter = [0]
    t._version_counter = x._version_counter
    t._base = x if x._base is None else x._base
    if _grad_mode.enabled and x._requires_grad:
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


def _shape_list(shape) -> str:
    return "[" + ", ".join(str(s) for s in shape) + "]"


# =====================================================================================================
# view, reshape, flatten, unflatten
# =====================================================================================================

def _plain_grad(g) -> bool:
    """A view's backward may reshape or transpose the gradient's array itself: the backward is not recorded and g
    is a plain tensor (a gradient needs none of a view's bookkeeping: version counter, base)."""
    return not _grad_mode.enabled and _fw.level is None and type(g) is Tensor


def _reshaped_grad(g, shape):
    """g reshaped to ``shape`` for a view's backward (the array itself when not recorded: _plain_grad)"""
    if _plain_grad(g):
        return _wrap(g._data.reshape(shape))
    return g.reshape(shape)


class ViewBackward0(Node):
    """y = view(x):  dx = g reshaped back

    Forward mode: dy = dx viewed the same way"""

    def backward(self, g):
        return (_reshaped_grad(g, self.shape),)

    def jvp(self, t):
        return t.reshape(self.out_shape)


class UnsafeViewBackward0(Node):
    """y = a copy of x reshaped (reshape of a layout no view can give):  dx = g reshaped back

    Forward mode: dy = dx reshaped"""

    def backward(self, g):
        return (_reshaped_grad(g, self.shape),)

    def jvp(self, t):
        return t.reshape(self.out_shape)


class ReshapeAliasBackward0(Node):
    """y = reshape(x) of a non-contiguous x that a view can give:  dx = g reshaped to x's shape

    Forward mode: dy = dx reshaped"""

    def backward(self, g):
        return (_reshaped_grad(g, self.shape),)

    def jvp(self, t):
        return t.reshape(self.out_shape)


_VIEW = Sigs("view", "(Tensor input, torch.dtype dtype)", "(Tensor input, tuple of ints size)")
_RESHAPE = Sigs("reshape", "(Tensor input, tuple of ints shape)")
_PERMUTE = Sigs("permute", "(Tensor input, tuple of ints dims)")
_REPEAT = Sigs("repeat", "(Tensor input, tuple of ints repeats)")


def _shape_error(S, x, given):
    """PyTorch's parser error for sizes that are not ints: the method's when the sizes came one by one"""
    if len(given) != 1 or S is _VIEW or S is _REPEAT:
        S.check_method(S.name, x, *given)
    else:
        S.check(x, *given)


def view(x, *shape, _copy=False):
    """x with a new shape, sharing its memory (x must be laid out compatibly)"""
    if len(shape) == 1 and isinstance(shape[0], D.dtype):
        return view_dtype(x, shape[0])
    try:
        shape = _infer_shape(_shape_arg(shape), x._data.size, x.shape)
    except TypeError:
        _shape_error(_VIEW, x, shape)
        raise
    try:
        arr = x._data.view()
        arr.shape = shape  # raises if a copy would be needed
    except (AttributeError, ValueError):
        raise RuntimeError("view size is not compatible with input tensor's size and stride (at least one "
                           "dimension spans across two contiguous subspaces). Use .reshape(...) instead.") from None
    return _view_of(x, arr, ViewBackward0, _copy, shape=x.shape)

expose(view, torch=False, method=True)


def reshape(x, *shape):
    """x with a new shape: a view when the layout allows, else a copy"""
    try:
        shape = _infer_shape(_shape_arg(shape), x._data.size, x.shape)
    except TypeError:
        _shape_error(_RESHAPE, x, shape)
        raise
    arr = x._data
    try:
        v = arr.view()
        v.shape = shape
    except (AttributeError, ValueError):
        return _unsafe_view(clone(x), shape)
    # PyTorch: a view of a contiguous x; an alias with other strides of a non-contiguous one
    return _view_of(x, v, ViewBackward0 if arr.flags.c_contiguous else ReshapeAliasBackward0, False, shape=x.shape)

expose(reshape, method=True)


def _unsafe_view(x, shape):
    """x (a fresh result no one else holds) reshaped without a view's bookkeeping: PyTorch's _unsafe_view"""
    t = _wrap(x._data.reshape(shape))
    if _grad_mode.enabled and x._requires_grad:  # inline: matmul's hot path
        node = UnsafeViewBackward0((_edge(x),))
        node.shape = x.shape
        _record(t, node)
        if _fw.level is not None:
            _forward(t, node, UnsafeViewBackward0, (x,))
    elif _fw.level is not None:
        _forward(t, None, UnsafeViewBackward0, (x,), attrs={"shape": x.shape})
    return t


_VIEW_AS = Sigs("view_as", "(Tensor input, Tensor other)")
_EXPAND_AS = Sigs("expand_as", "(Tensor input, Tensor other)")


def view_as(x, other):
    if type(other) is not Tensor:
        _VIEW_AS.check_method("view_as", x, other)
    return view(x, other.shape)

expose(view_as, torch=False, method=True)


def reshape_as(x, other):
    return reshape(x, other.shape)

expose(reshape_as, torch=False, method=True)


_FLATTEN = Sigs("flatten", "(Tensor input, int start_dim = 0, int end_dim = -1)")


def flatten(x, start_dim=0, end_dim=-1):
    """the dims start_dim..end_dim merged into one (x itself when that is a single dim)"""
    if type(x) is not Tensor or type(start_dim) is not int or type(end_dim) is not int:
        _FLATTEN.check_call(flatten, x, start_dim, end_dim)
    if type(x) is not Tensor:
        _tensor_arg("flatten", ("input", 1, x))
    if x.ndim == 0:
        _wrap_dim(start_dim, 0), _wrap_dim(end_dim, 0)
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
    """dim ``dim`` split into ``sizes`` (one of them may be -1)"""
    d = _wrap_dim(dim, x.ndim)
    sizes = list(sizes)
    if not sizes:
        raise RuntimeError("unflatten: sizes must be non-empty")
    if sizes.count(-1) > 1:
        raise RuntimeError("only one dimension can be inferred")
    n = x.shape[d] if x.ndim else 1
    if -1 in sizes:
        known = 1
        for s in sizes:
            if s != -1:
                known *= s
        if known == 0 or n % known:
            raise RuntimeError(f"unflatten: Provided sizes {_shape_list(sizes)} don't multiply up to the size of "
                               f"dim {dim} ({n}) in the input tensor")
        sizes[sizes.index(-1)] = n // known
    total = 1
    for s in sizes:
        total *= s
    if total != n:
        raise RuntimeError(f"unflatten: Provided sizes {_shape_list(sizes)} don't multiply up to the size of dim "
                           f"{dim} ({n}) in the input tensor")
    return view(x, x.shape[:d] + tuple(sizes) + x.shape[d + 1:])

expose(unflatten, method=True)


def _ravel(x: Tensor) -> Tensor:
    """x as one dim: a view of x, or of a contiguous copy of it"""
    return view(contiguous(x), (-1,))

expose(_ravel, torch=('ravel',), method=('ravel',))


# =====================================================================================================
# squeeze, unsqueeze
# =====================================================================================================

class SqueezeBackward0(Node):
    """y = squeeze(x):  dx = g reshaped back

    Forward mode: dy = squeeze(dx)"""

    def backward(self, g):
        return (_reshaped_grad(g, self.shape),)

    def jvp(self, t):
        return t.reshape(self.out_shape)


class SqueezeBackward1(Node):
    """y = squeeze(x, d):  dx = g reshaped to x's shape

    Forward mode: dy = squeeze(dx, d)"""

    def backward(self, g):
        return (_reshaped_grad(g, self.shape),)

    def jvp(self, t):
        return t.reshape(self.out_shape)


class SqueezeBackward2(Node):
    """y = squeeze(x, dims):  dx = g reshaped to x's shape

    Forward mode: dy = squeeze(dx, dims)"""

    def backward(self, g):
        return (_reshaped_grad(g, self.shape),)

    def jvp(self, t):
        return t.reshape(self.out_shape)


class SqueezeBackward3(Node):
    """x.squeeze_():  dx = g reshaped to x's old shape

    Forward mode: dy = squeeze(dx)"""

    def backward(self, g):
        return (_reshaped_grad(g, self.shape),)

    def jvp(self, t):
        return t.reshape(self.out_shape)


class SqueezeBackward4(Node):
    """x.squeeze_(d):  dx = g reshaped to x's old shape

    Forward mode: dy = squeeze(dx, d)"""

    def backward(self, g):
        return (_reshaped_grad(g, self.shape),)

    def jvp(self, t):
        return t.reshape(self.out_shape)


class SqueezeBackward5(Node):
    """x.squeeze_(dims):  dx = g reshaped to x's old shape

    Forward mode: dy = squeeze(dx, dims)"""

    def backward(self, g):
        return (_reshaped_grad(g, self.shape),)

    def jvp(self, t):
        return t.reshape(self.out_shape)


_SQUEEZE_NODES = {"SqueezeBackward3": SqueezeBackward3, "SqueezeBackward4": SqueezeBackward4,
                  "SqueezeBackward5": SqueezeBackward5}


_SQUEEZE = Sigs("squeeze", "(Tensor input)", "(Tensor input, int dim)", "(Tensor input, tuple of ints dim)")


def squeeze(x, dim=None, _name=None, _copy=False):
    """drop size-1 dims (all, or those in ``dim``); ``_name``: an in-place form's node (x.squeeze_(d) ...)"""
    if type(x) is not Tensor or not (dim is None or type(dim) is int):
        _SQUEEZE.check(x) if dim is None else _SQUEEZE.check(x, dim)
    if dim is None:
        shape = tuple(s for s in x.shape if s != 1)
        cls = SqueezeBackward0
    else:
        dims = _norm_dims(dim, x.ndim)
        shape = tuple(s for i, s in enumerate(x.shape) if not (i in dims and s == 1))
        cls = SqueezeBackward1 if isinstance(dim, (int, np.integer)) else SqueezeBackward2
    if _name is not None:
        cls = _SQUEEZE_NODES[_name]
    return _view_of(x, x._data.reshape(shape), cls, _copy, shape=x.shape)

expose(squeeze, method=True)


class UnsqueezeBackward0(Node):
    """y = unsqueeze(x, d):  dx = squeeze(g, d)

    Forward mode: dy = unsqueeze(dx, d)"""

    def backward(self, g):
        return (g.squeeze(self.dim),)

    def jvp(self, t):
        return t.unsqueeze(self.dim)


class UnsqueezeBackward1(Node):
    """x.unsqueeze_(d):  dx = squeeze(g, d)

    Forward mode: dy = unsqueeze(dx, d)"""

    def backward(self, g):
        return (g.squeeze(self.dim),)

    def jvp(self, t):
        return t.unsqueeze(self.dim)


_UNSQUEEZE = Sigs("unsqueeze", "(Tensor input, int dim)")


def unsqueeze(x, dim, _node=UnsqueezeBackward0, _copy=False):
    """insert a size-1 dim at ``dim``"""
    if type(x) is not Tensor or type(dim) is not int:
        _UNSQUEEZE.check(x, dim)
    if type(x) is not Tensor:
        _tensor_arg("unsqueeze", ("input", 1, x))
    d = _wrap_dim(dim, x.ndim + 1)
    return _view_of(x, np.expand_dims(x._data, d), _node, _copy, dim=d)

expose(unsqueeze, method=True)


# =====================================================================================================
# transpose, t, permute, movedim; x.T, x.mT, x.H, x.mH, adjoint
# =====================================================================================================

class TransposeBackward0(Node):
    """y = transpose(x, i, j):  dx = transpose(g, i, j)

    Forward mode: dy = transpose(dx, i, j)"""

    def backward(self, g):
        if _plain_grad(g) and g._data.ndim:
            return (_wrap(np.swapaxes(g._data, self.d0, self.d1)),)
        return (g.transpose(self.d0, self.d1),)

    def jvp(self, t):
        return t.transpose(self.d0, self.d1)


class TransposeBackward1(Node):
    """x.transpose_(i, j):  dx = transpose(g, i, j)

    Forward mode: dy = transpose(dx, i, j)"""

    def backward(self, g):
        if _plain_grad(g) and g._data.ndim:
            return (_wrap(np.swapaxes(g._data, self.d0, self.d1)),)
        return (g.transpose(self.d0, self.d1),)

    def jvp(self, t):
        return t.transpose(self.d0, self.d1)


_TRANSPOSE = Sigs("transpose", "(Tensor input, int dim0, int dim1)")


def transpose(x, dim0, dim1, _node=TransposeBackward0, _copy=False):
    """swap two dims (a view)"""
    if type(x) is not Tensor or type(dim0) is not int or type(dim1) is not int:
        _TRANSPOSE.check(x, dim0, dim1)
    if type(x) is not Tensor:
        _tensor_arg("transpose", ("input", 1, x))
    n = x.ndim
    d0, d1 = _wrap_dim(dim0, n), _wrap_dim(dim1, n)
    if n == 0:
        return _view_of(x, x._data.view(), _node, _copy, d0=0, d1=0)
    return _view_of(x, np.swapaxes(x._data, d0, d1), _node, _copy, d0=d0, d1=d1)

expose(transpose, torch=('swapaxes', 'swapdims', 'transpose'), method=('swapaxes', 'swapdims', 'transpose'))


swapaxes = transpose


swapdims = transpose


class TBackward0(Node):
    """y = xᵀ:  dx = gᵀ

    Forward mode: dy = dxᵀ"""

    def backward(self, g):
        if _plain_grad(g) and g._data.ndim <= 2:
            return (_wrap(g._data.T),)
        return (g.t(),)

    def backward_raw(self, g):
        return (g.T,) if g.ndim <= 2 else None

    def jvp(self, t):
        return t.t()


class TBackward1(Node):
    """x.t_():  dx = gᵀ

    Forward mode: dy = dxᵀ"""

    def backward(self, g):
        if _plain_grad(g) and g._data.ndim <= 2:
            return (_wrap(g._data.T),)
        return (g.t(),)

    def jvp(self, t):
        return t.t()


def t(x, _node=TBackward0, _copy=False):
    """transpose of a tensor of at most 2 dims"""
    if x.ndim > 2:
        raise RuntimeError(f"{'t_' if _node is TBackward1 else 't'}() expects a tensor with <= 2 dimensions, but "
                           f"self is {x.ndim}D")
    return _view_of(x, x._data.T, _node, _copy)

expose(t, method=True)


class PermuteBackward0(Node):
    """y = permute(x, p):  dx = permute(g, p⁻¹)

    Forward mode: dy = permute(dx, p)"""

    def backward(self, g):
        return (g.permute(tuple(np.argsort(self.dims))),)

    def jvp(self, t):
        return t.permute(self.dims)


def permute(x, *dims, _copy=False):
    """x's dims in the order ``dims`` (a view)"""
    given = dims
    dims = _shape_arg(dims)
    if builtins.any(type(d) is not int for d in dims):
        _shape_error(_PERMUTE, x, given)
    if len(dims) != x.ndim:
        raise RuntimeError(f"permute(sparse_coo): number of dimensions in the tensor input does not match the "
                           f"length of the desired ordering of dimensions i.e. input.dim() = {x.ndim} is not equal "
                           f"to len(dims) = {len(dims)}")
    dims = tuple(_wrap_dim(d, x.ndim) for d in dims)
    if len(set(dims)) != len(dims):
        raise RuntimeError("permute(): duplicate dims are not allowed.")
    return _view_of(x, np.transpose(x._data, dims), PermuteBackward0, _copy, dims=dims)

expose(permute, method=True)


class AliasBackward0(Node):
    """y = x (another tensor on the same memory):  dx = g

    Forward mode: dy = dx"""

    def backward(self, g):
        return (g,)

    def jvp(self, t):
        return t


_MOVEDIM = Sigs("movedim", "(Tensor input, int source, int destination)",
                "(Tensor input, tuple of ints source, tuple of ints destination)")


def movedim(x, source, destination):
    """dims ``source`` moved to positions ``destination``, the others keeping their order (a permute)"""
    if type(x) is not Tensor or type(source) is not int or type(destination) is not int:
        _MOVEDIM.check(x, source, destination)
    src = [source] if isinstance(source, (int, np.integer)) else list(source)
    dst = [destination] if isinstance(destination, (int, np.integer)) else list(destination)
    if len(src) != len(dst):
        raise RuntimeError(f"movedim: Invalid source or destination dims: source ({_shape_list(src)} dims) should "
                           f"contain the same number of dims as destination ({_shape_list(dst)} dims)")
    src = [_wrap_dim(s, x.ndim) for s in src]
    dst = [_wrap_dim(s, x.ndim) for s in dst]
    if len(set(src)) != len(src):
        raise RuntimeError(f"movedim: repeated dim in `source` ({_shape_list(src)})")
    if len(set(dst)) != len(dst):
        raise RuntimeError(f"movedim: repeated dim in `destination` ({_shape_list(dst)})")
    if x.ndim == 0:
        return _view_of(x, x._data.view(), AliasBackward0, False)
    order = [d for d in range(x.ndim) if d not in src]
    for d, s in sorted(zip(dst, src)):
        order.insert(d, s)
    return permute(x, order)

expose(movedim, torch=('moveaxis', 'movedim'), method=('moveaxis', 'movedim'))


moveaxis = movedim


_T_WARNED: set = set()  # PyTorch warns about x.T once per process (TORCH_WARN_ONCE), for each message


def _reversed_dims(x):
    """x.T: the dims reversed (a transpose for matrices; deprecated for other dims, as in PyTorch)"""
    if x.ndim != 2:
        kind = "0-d" if x.ndim == 0 else "n-d"
        if kind not in _T_WARNED:
            _T_WARNED.add(kind)
            warnings.warn("Tensor.T is deprecated on 0-D tensors. This function is the identity in these cases."
                          if x.ndim == 0 else
                          "The use of `x.T` on tensors of dimension other than 2 to reverse their shape is "
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
    """x.H: the conjugate transpose of a matrix (x's conjugate for a 0-d tensor, deprecated)"""
    if x.ndim == 0:
        warnings.warn("Tensor.H is deprecated on 0-D tensors. Consider using x.conj().", UserWarning, stacklevel=2)
        return x.conj()
    if x.ndim != 2:
        raise RuntimeError(f"tensor.H is only supported on matrices (2-D tensors). Got {x.ndim}-D tensor."
                           + (" For batches of matrices, consider using tensor.mH" if x.ndim > 2 else ""))
    return adjoint(x)

expose(_conjugate_reversed, torch=False, prop="H")


def _conjugate_transpose(x):
    """x.mH: the conjugate of x.mT"""
    if x.ndim < 2:
        raise RuntimeError(f"tensor.mH is only supported on matrices or batches of matrices. Got {x.ndim}-D "
                           "tensor.")
    return adjoint(x)

expose(_conjugate_transpose, torch=False, prop="mH")


def adjoint(x: Tensor) -> Tensor:
    """the conjugate transpose of the last two dims (a view)"""
    if x.ndim < 2:
        raise RuntimeError(f"tensor.adjoint() is only supported on matrices or batches of matrices. Got "
                           f"{x.ndim}-D tensor.")
    y = transpose(x, -2, -1)
    return y.conj() if x.is_complex() else y

expose(adjoint, method=True)


# =====================================================================================================
# expand, broadcast_to, broadcast_tensors, atleast_nd
# =====================================================================================================

class ExpandBackward0(Node):
    """y = expand(x):  dx = g summed over the broadcast dims

    Forward mode: dy = dx broadcast the same way"""

    def backward(self, g):
        return (g.sum_to_size(self.shape),)

    def jvp(self, t):
        return t.expand(self.out_shape)


def _bad_sizes(sizes, name):
    """PyTorch's errors for sizes of expand/resize_ that are not ints (its TypeErrors) or negative (its numel
    check overflows)"""
    try:
        factory_size(sizes, name)
    except RuntimeError:
        pass
    raise RuntimeError("numel: integer multiplication overflow")


def expand(x, *sizes, _copy=False):
    """broadcast x to ``sizes`` without copying (-1 keeps a dim)"""
    given, sizes = sizes, _shape_arg(sizes)
    n = len(sizes)
    if n < x.ndim:
        raise RuntimeError(f"expand({_type_name(x)}{{[{', '.join(str(s) for s in x.shape)}]}}, size=["
                           f"{', '.join(str(s) for s in sizes)}]): the number of sizes provided ({n}) must be "
                           f"greater or equal to the number of dimensions in the tensor ({x.ndim})")
    lead = n - x.ndim
    target = [0] * n
    for i in range(n - 1, -1, -1):  # PyTorch checks from the last dim, so it reports the last mismatch
        s = sizes[i]
        if type(s) is not int and not isinstance(s, (int, np.integer)):
            _bad_sizes(given, "expand")
        if s == -1:
            if i < lead:
                raise RuntimeError(f"The expanded size of the tensor (-1) isn't allowed in a leading, "
                                   f"non-existing dimension {i}")
            s = x.shape[i - lead]
        elif s < -1 and (i < lead or x.shape[i - lead] == 1):
            _bad_sizes(sizes, "expand")
        elif i >= lead and x.shape[i - lead] != 1 and x.shape[i - lead] != s:
            raise RuntimeError(f"The expanded size of the tensor ({s}) must match the existing size "
                               f"({x.shape[i - lead]}) at non-singleton dimension {i}.  Target sizes: "
                               f"[{', '.join(str(v) for v in sizes)}].  Tensor sizes: "
                               f"[{', '.join(str(v) for v in x.shape)}]")
        target[i] = int(s)
    target = tuple(target)
    arr = x._data.view() if target == x._data.shape else np.broadcast_to(x._data, target)
    return _view_of(x, arr, ExpandBackward0, _copy, shape=x.shape)

expose(expand, torch=False, method=True)


def expand_as(x, other):
    if type(other) is not Tensor:
        _EXPAND_AS.check_method("expand_as", x, other)
    return expand(x, other.shape)

expose(expand_as, torch=False, method=True)


def broadcast_to(x, shape):
    return expand(x, shape)

expose(broadcast_to, method=True)


def broadcast_tensors(*tensors):
    """the tensors broadcast to one shape (each one itself where it has that shape already)"""
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    shapes = [t.shape for t in tensors]
    try:
        shape = np.broadcast_shapes(*shapes)
    except ValueError:
        shape = None
    if shape is None:
        out = shapes[0]
        for s in shapes[1:]:
            try:
                out = np.broadcast_shapes(out, s)
            except ValueError:
                raise RuntimeError(_bcast_message(out, s)) from None
    return tuple(t if t.shape == shape else expand(t, shape) for t in tensors)

expose(broadcast_tensors)


def _atleast(nd):
    def fn(*tensors):
        if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
            tensors = tuple(tensors[0])
        out = []
        for x in tensors:
            if x.ndim >= nd:
                out.append(x)
            elif x.ndim == 0:
                out.append(reshape(x, (1,) * nd))
            elif nd == 2 or x.ndim == 2:  # (n,) -> (1, n); (m, n) -> (m, n, 1)
                out.append(unsqueeze(x, 0 if nd == 2 else -1))
            else:  # (n,) -> (1, n, 1)
                out.append(unsqueeze(unsqueeze(x, 0), -1))
        return out[0] if len(out) == 1 else tuple(out)
    fn.__name__ = f"atleast_{nd}d"
    fn.__doc__ = f"each tensor with at least {nd} dims (itself when it has them; else a view)"
    return fn


atleast_1d, atleast_2d, atleast_3d = _atleast(1), _atleast(2), _atleast(3)
expose(atleast_1d)
expose(atleast_2d)
expose(atleast_3d)


# =====================================================================================================
# repeat, tile, repeat_interleave
# =====================================================================================================

class RepeatBackward0(Node):
    """y = repeat(x, reps):  dx = Σ over the copies of g

    Forward mode: dy = dx tiled the same way"""

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

    def jvp(self, t):
        return t.repeat(self.reps)


def repeat(x, *reps):
    """x tiled ``reps[i]`` times along dim i (leading new dims when reps is longer)"""
    given = reps
    reps = _shape_arg(reps)
    if builtins.any(type(r) is not int for r in reps):
        _shape_error(_REPEAT, x, given)
    if len(reps) < x.ndim:
        raise RuntimeError("Number of dimensions of repeat dims can not be smaller than number of dimensions "
                           "of tensor")
    out = [r * s for r, s in zip(reps, (1,) * (len(reps) - x.ndim) + tuple(x.shape))]
    for n in out:
        if n < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {n}: {_shape_list(out)}")
    return _wrap_result(np.tile(x._data, reps), RepeatBackward0, (x,), shape=x.shape, reps=tuple(reps))

expose(repeat, torch=False, method=True)


def tile(x, *reps):
    """repeat, with reps padded by leading 1s to x's dims"""
    reps = _shape_arg(reps)
    if len(reps) < x.ndim:
        reps = (1,) * (x.ndim - len(reps)) + tuple(reps)
    return repeat(x, reps)

expose(tile, method=True)


_REPEAT_INTERLEAVE = Sigs("repeat_interleave", "(Tensor input, Tensor repeats, int dim = None, *, int output_size = None)",
                          "(Tensor repeats, *, int output_size = None)",
                          "(Tensor input, int repeats, int dim = None, *, int output_size = None)")


def repeat_interleave(x, repeats=None, dim=None, *, output_size=None):
    """each element (or slice along ``dim``) repeated ``repeats`` times in place"""
    if type(x) is not Tensor or not (dim is None or type(dim) is int) or not (repeats is None or type(repeats) is int
                                                                                 or type(repeats) is Tensor):
        _REPEAT_INTERLEAVE.check_call(repeat_interleave, x, repeats, dim, output_size)
    if repeats is None:  # torch.repeat_interleave(repeats): the indices repeated
        reps = x._data
        if reps.ndim != 1:
            raise RuntimeError("repeat_interleave only accept 1D vector as repeat")
        return _wrap(np.repeat(np.arange(reps.shape[0], dtype=np.int64), reps))
    if dim is None:
        x = reshape(x, (-1,))
        dim = 0
    d = _wrap_dim(dim, x.ndim)
    if not isinstance(repeats, Tensor):
        # PyTorch's way for a number: unsqueeze, expand, copy, view
        n = int(repeats)
        if n < 0:
            raise RuntimeError("Repeats must be non-negative")
        u = unsqueeze(x, d + 1)
        shape = list(u.shape)
        shape[d + 1] = n
        out = list(x.shape)
        out[d] *= n
        return view(clone(expand(u, tuple(shape))), tuple(out))
    reps = repeats._data
    if reps.ndim == 0:  # one count for every slice
        reps = np.full(x.shape[d], reps)
    if reps.ndim != 1:
        raise RuntimeError("repeat_interleave only accept 1D vector as repeat")
    if reps.shape[0] != x.shape[d]:
        raise RuntimeError(f"repeats must have the same size as input along dim, but got repeats.size(0) = "
                           f"{reps.shape[0]} and input.size({d}) = {x.shape[d]}")
    if reps.dtype.kind not in "iu":
        raise NotImplementedError(f"\"repeat_interleave_cpu\" not implemented for '{_long_name(repeats.dtype)}'")
    if reps.size and reps.min() < 0:
        raise RuntimeError("repeats can not be negative")
    idx = np.repeat(np.arange(x.shape[d]), reps)
    return x.index_select(d, _wrap(idx.astype(np.int64)))

expose(repeat_interleave, method=True)


# =====================================================================================================
# flip, roll, rot90
# =====================================================================================================

class FlipBackward0(Node):
    """y = flip(x, dims):  dx = flip(g, dims)

    Forward mode: dy = flip(dx, dims)"""

    def backward(self, g):
        return (g.flip(self.dims),)

    def jvp(self, t):
        return t.flip(self.dims)


_FLIP = Sigs("flip", "(Tensor input, tuple of ints dims)")


def flip(x, *dims):
    """x with the order of elements reversed along ``dims`` (a copy)"""
    if type(x) is not Tensor:
        _FLIP.check(x, *dims)
    if type(x) is not Tensor:
        _tensor_arg("flip", ("input", 1, x))
    given = dims
    dims = dims[0] if len(dims) == 1 else dims
    if isinstance(dims, (int, np.integer)):
        dims = (dims,)
    try:
        dims = _norm_dims(dims, x.ndim)
    except TypeError:
        _FLIP.check(x, *given)
        raise
    r = np.flip(x._data, dims).copy() if x.ndim else x._data.copy()
    return _wrap_result(r, FlipBackward0, (x,), dims=dims)

expose(flip, method=True)


def fliplr(x):
    """x reversed along dim 1 (x must have at least 2 dims)"""
    if x.ndim < 2:
        raise RuntimeError("Input must be >= 2-d.")
    return flip(x, (1,))

expose(fliplr, method=True)


def flipud(x):
    """x reversed along dim 0 (x must have at least 1 dim)"""
    if x.ndim < 1:
        raise RuntimeError("Input must be >= 1-d.")
    return flip(x, (0,))

expose(flipud, method=True)


def _dim_of(d, ndim):
    """``d`` wrapped into range for an op that, unlike most, refuses dims on a 0-d tensor (roll)"""
    if ndim == 0:
        raise IndexError(f"Dimension specified as {d} but tensor has no dimensions")
    return _wrap_dim(d, ndim)


class RollBackward0(Node):
    """y = roll(x, s):  dx = roll(g, -s)

    Forward mode: dy = roll(dx, s, dims)"""

    def backward(self, g):
        return (g.roll(tuple(-s for s in self.shifts), self.dims),)

    def jvp(self, t):
        return t.roll(self.shifts, self.dims)


_ROLL = Sigs("roll", "(Tensor input, tuple of ints shifts, tuple of ints dims = None)")


def roll(x, shifts, dims=None):
    """x shifted circularly by ``shifts`` along ``dims`` (flattened when dims is None)"""
    if type(x) is not Tensor or type(shifts) is not int or not (dims is None or type(dims) is int):
        _ROLL.check_call(roll, x, shifts, dims)
    if type(x) is not Tensor:
        _tensor_arg("roll", ("input", 1, x))
    sh = tuple(int(s) for s in shifts) if isinstance(shifts, (list, tuple)) else (int(shifts),)
    if dims is None:
        if len(sh) != 1:
            raise RuntimeError(f"shifts and dimensions must align. shifts: {len(sh)}, dims:0")
        r = np.roll(x._data.reshape(-1), sh[0]).reshape(x._data.shape)
        return _wrap_result(r, RollBackward0, (x,), shifts=sh, dims=None)
    ds = tuple(dims) if isinstance(dims, (list, tuple)) else (dims,)
    if len(sh) != len(ds):
        raise RuntimeError(f"shifts and dimensions must align. shifts: {len(sh)}, dims:{len(ds)}")
    ds = tuple(_dim_of(d, x.ndim) for d in ds)
    return _wrap_result(np.roll(x._data, sh, ds), RollBackward0, (x,), shifts=sh, dims=ds)

expose(roll, method=True)


class Rot90Backward0(Node):
    """y = x rotated k quarter turns in the (d0, d1) plane:  dx = rot90(g, -k, dims)

    Forward mode: dy = rot90(dx, k, dims)"""

    def backward(self, g):
        return (g.rot90(-self.k, self.dims),)

    def jvp(self, t):
        return t.rot90(self.k, self.dims)


def rot90(x, k=1, dims=(0, 1)):
    """x rotated by 90° k times, from dims[0] towards dims[1] (a copy)"""
    dims = tuple(dims)
    if len(dims) != 2:
        raise RuntimeError(f"expected total rotation dims == 2, but got dims = {len(dims)}")
    if x.ndim < 2:
        raise RuntimeError(f"expected total dims >= 2, but got total dims = {x.ndim}")
    d0, d1 = _wrap_dim(dims[0], x.ndim), _wrap_dim(dims[1], x.ndim)
    if d0 == d1:
        raise RuntimeError(f"expected rotation dims to be different, but got dim0 = {dims[0]} and dim1 = {dims[1]}")
    k = int(k) % 4
    return _wrap_result(np.rot90(x._data, k, (d0, d1)).copy(), Rot90Backward0, (x,), k=k, dims=(d0, d1))

expose(rot90, method=True)


# =====================================================================================================
# tril, triu
# =====================================================================================================

class TrilBackward0(Node):
    """y = tril(x):  dx = tril(g)

    Forward mode: dy = tril(dx, k)"""

    def backward(self, g):
        return (g.tril(self.k),)

    def jvp(self, t):
        return t.tril(self.k)


class TriuBackward0(Node):
    """y = triu(x):  dx = triu(g)

    Forward mode: dy = triu(dx, k)"""

    def backward(self, g):
        return (g.triu(self.k),)

    def jvp(self, t):
        return t.triu(self.k)


def tril(x, diagonal=0):
    """the lower triangle of (each matrix of) x, on and below diagonal ``diagonal``"""
    if type(x) is not Tensor:
        _tensor_arg("tril", ("input", 1, x))
    if x.ndim < 2:
        raise RuntimeError("tril: input tensor must have at least 2 dimensions")
    return _wrap_result(np.tril(x._data, diagonal), TrilBackward0, (x,), k=int(diagonal))

expose(tril, method=True, inplace=True)


def triu(x, diagonal=0):
    """the upper triangle of (each matrix of) x, on and above diagonal ``diagonal``"""
    if x.ndim < 2:
        raise RuntimeError("triu: input tensor must have at least 2 dimensions")
    return _wrap_result(np.triu(x._data, diagonal), TriuBackward0, (x,), k=int(diagonal))

expose(triu, method=True, inplace=True)


# =====================================================================================================
# diagonal, diag, diag_embed, diagflat, diagonal_scatter
# =====================================================================================================

def _diag_view(a, offset, d1, d2):
    """The NumPy view of a's (d1, d2) diagonal at ``offset``, as its last dim (writable when a is)."""
    n1, n2 = a.shape[d1], a.shape[d2]
    n = builtins.max(0, builtins.min(n1, n2 - offset) if offset >= 0 else builtins.min(n1 + offset, n2))
    start = [0] * a.ndim
    if n:
        start[d2 if offset >= 0 else d1] = builtins.abs(offset)
    first = a[tuple(slice(s, None) for s in start)] if n else a
    rest = [k for k in range(a.ndim) if k not in (d1, d2)]
    # walk both dims at once: stride(d1) + stride(d2) steps along the diagonal
    return np.lib.stride_tricks.as_strided(
        first, tuple(a.shape[k] for k in rest) + (n,),
        tuple(a.strides[k] for k in rest) + (a.strides[d1] + a.strides[d2],), writeable=a.flags.writeable)


def _diag_dims(x_ndim, dim1, dim2):
    d1, d2 = _wrap_dim(dim1, x_ndim), _wrap_dim(dim2, x_ndim)
    if d1 == d2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    return d1, d2


class DiagonalBackward0(Node):
    """y = diagonal(X):  dX = G placed on that diagonal

    Forward mode: dy = diagonal(dx)"""

    def backward(self, g):
        return (diagonal_scatter(zeros_like_shape(g, self.shape), g, self.k, self.d1, self.d2),)

    def jvp(self, t):
        return t.diagonal(self.k, self.d1, self.d2)


_DIAGONAL = Sigs("diagonal", "(Tensor input, int offset = 0, int dim1 = 0, int dim2 = 1)", kw=("dim1", "dim2"))


def diagonal(x, offset=0, dim1=0, dim2=1, _copy=False):
    """The diagonal as a view sharing x's memory (so ``x.diagonal().add_(1)`` writes into x, as in PyTorch)."""
    if type(x) is not Tensor or type(offset) is not int or type(dim1) is not int or type(dim2) is not int:
        _DIAGONAL.check_call(diagonal, x, offset, dim1, dim2)
    if type(x) is not Tensor:
        _tensor_arg("diagonal", ("input", 1, x))
    d1, d2 = _diag_dims(x.ndim, dim1, dim2)
    offset = int(offset)
    arr = _diag_view(x._data, offset, d1, d2)
    t = _view_of(x, arr, DiagonalBackward0, _copy, shape=x.shape, k=offset, d1=d1, d2=d2)
    if not _copy and x.ndim == 2 and x._base is None:
        i, j = _diag_index(x.shape, offset, d1, d2)
        t._view_key = (_wrap(i), _wrap(j))  # lets an in-place write through the view rebase x's history
    return t

expose(diagonal, method=True)


_diagonal = diagonal  # for diag, whose argument is called ``diagonal``


def _diag_index(shape, offset, d1, d2):
    n1, n2 = shape[d1], shape[d2]
    if offset >= 0:
        k = builtins.max(builtins.min(n1, n2 - offset), 0)
        i, j = np.arange(k), np.arange(k) + offset
    else:
        k = builtins.max(builtins.min(n1 + offset, n2), 0)
        i, j = np.arange(k) - offset, np.arange(k)
    return i, j


class DiagEmbedBackward0(Node):
    """Y = diag(v):  dv = diagonal(G)

    Forward mode: dY = diag_embed(dv, k, d1, d2)"""

    def backward(self, g):
        return (g.diagonal(self.k, self.d1, self.d2),)

    def jvp(self, t):
        return diag_embed(t, self.k, self.d1, self.d2)


def diag_embed(x, offset=0, dim1=-2, dim2=-1):
    """A tensor whose (dim1, dim2) diagonals at ``offset`` hold x's last dim, zeros elsewhere."""
    if type(x) is not Tensor:
        _tensor_arg("diag_embed", ("input", 1, x))
    nd = x.ndim + 1
    d1, d2 = _diag_dims(nd, dim1, dim2)
    offset = int(offset)
    n = (x.shape[-1] if x.ndim else 1) + builtins.abs(offset)
    shape = list(x.shape[:-1])
    for d in sorted((d1, d2)):
        shape.insert(d, n)
    r = np.zeros(shape, dtype=x._data.dtype)
    _diag_view(r, offset, d1, d2)[...] = x._data
    return _wrap_result(r, DiagEmbedBackward0, (x,), k=offset, d1=d1, d2=d2)

expose(diag_embed, method=True)


def diag(x, diagonal=0):
    """a vector's matrix (x on diagonal ``diagonal``), or a matrix's diagonal (a copy)"""
    if x.ndim == 1:
        return diag_embed(x, diagonal, 0, 1)
    if x.ndim == 2:
        return _diagonal(x, diagonal, 0, 1, _copy=True)  # PyTorch's diag goes through diagonal_copy
    raise RuntimeError(f"diag(): Supports 1D or 2D tensors. Got {x.ndim}D")

expose(diag, method=True)


def diagflat(x: Tensor, offset: int = 0) -> Tensor:
    """x flattened, on diagonal ``offset`` of a square matrix"""
    return diag_embed(reshape(x, (-1,)), offset, 0, 1)

expose(diagflat, method=True)


class DiagonalScatterBackward0(Node):
    """y = x with diagonal(x, k) replaced by src:  dx = g with that diagonal zeroed, dsrc = diagonal(g, k)

    Forward mode: dy = diagonal_scatter(dx, dsrc)"""

    def backward(self, g):
        gx = gs = None
        if self.next[0] is not None:
            gx = diagonal_scatter(g, zeros_like_shape(g, self.src_shape), self.k, self.d1, self.d2)
        if self.next[1] is not None:
            gs = g.diagonal(self.k, self.d1, self.d2)
        return (gx, gs)

    def jvp(self, tx, ts):
        if tx is None:
            tx = zeros_like_shape(ts, self.out_shape)
        if ts is None:
            ts = zeros_like_shape(tx, self.src_shape)
        return diagonal_scatter(tx, ts, self.k, self.d1, self.d2)


def _scatter_check(x, src, slot):
    """src must have the shape of the part of x it replaces"""
    if tuple(src.shape) != tuple(slot.shape):
        raise RuntimeError(f"expected src to have a size equal to the slice of self. src size = "
                           f"{_shape_list(src.shape)}, slice size = {_shape_list(slot.shape)}")


def diagonal_scatter(x, src, offset=0, dim1=0, dim2=1):
    """x with its (dim1, dim2) diagonal at ``offset`` replaced by src (a copy)"""
    d1, d2 = _diag_dims(x.ndim, dim1, dim2)
    offset = int(offset)
    r = x._data.copy()
    slot = _diag_view(r, offset, d1, d2)
    _scatter_check(x, src, slot)
    slot[...] = src._data
    return _wrap_result(r, DiagonalScatterBackward0, (x, src), k=offset, d1=d1, d2=d2, src_shape=src._data.shape)

expose(diagonal_scatter, method=True)


# =====================================================================================================
# narrow, select, slice_scatter, select_scatter
# =====================================================================================================

class SliceBackward0(Node):
    """y = x[a:b:s] along dim:  dx = g placed into zeros at those positions

    Forward mode: dy = dx[a:b:s]"""

    def backward(self, g):
        return (slice_scatter(zeros_like_shape(g, self.shape), g, self.dim, self.start, self.stop, self.step),)

    def jvp(self, t):
        sl = [slice(None)] * t.ndim
        sl[self.dim] = slice(self.start, self.stop, self.step)
        return t[tuple(sl)]


class NarrowCopyBackward0(Node):
    """y = a copy of x[a:a+n] along dim:  dx = g placed into zeros at those positions

    Forward mode: dy = dx[a:a+n]. As PyTorch, the backward takes a negative start as given (x[a:a+n] with a < 0),
    so it fails for one whose window reaches past the end, where the forward, counting from the end, did not."""

    def backward(self, g):
        z = zeros_like_shape(g, self.shape)
        start, stop = self.given_start, self.given_start + self.length
        sl = [slice(None)] * z.ndim
        sl[self.dim] = slice(start, stop)
        window = z._data[tuple(sl)].shape
        if window != g._data.shape:
            raise RuntimeError(_bcast_message(window, g._data.shape))
        return (slice_scatter(z, g, self.dim, start, stop),)

    def jvp(self, t):
        return t.narrow(self.dim, self.start, self.length)


_NARROW = Sigs("narrow", "(Tensor input, int dim, Tensor start, int length)",
               "(Tensor input, int dim, int start, int length)")


def narrow(x, dim, start, length, _copy=False):
    """x[start:start+length] along dim (a view)"""
    if type(x) is not Tensor or type(dim) is not int or type(start) is not int or type(length) is not int:
        _NARROW.check(x, dim, start, length)
    if x.ndim == 0:
        raise RuntimeError("narrow() cannot be applied to a 0-dim tensor.")
    d = _wrap_dim(dim, x.ndim)
    n = x.shape[d]
    if isinstance(start, Tensor):
        start = int(start.item())
    start, length = int(start), int(length)
    if start < -n or start > n:
        raise IndexError(f"start out of range (expected to be in range of [{-n}, {n}], but got {start})")
    given = start
    if start < 0:
        start += n
    if length < 0:
        if _copy:
            raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size ({n}).")
        raise RuntimeError("narrow(): length must be non-negative.")
    if start + length > n:
        raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size ({n}).")
    sl = [slice(None)] * x.ndim
    sl[d] = slice(start, start + length)
    if _copy:
        return _wrap_result(x._data[tuple(sl)].copy(), NarrowCopyBackward0, (x,), shape=x.shape, dim=d, start=start,
                    given_start=given, length=length)
    return _view_of(x, x._data[tuple(sl)], SliceBackward0, False, shape=x.shape, dim=d, start=start,
                    stop=start + length, step=1)

expose(narrow, method=True)


def narrow_copy(x, dim, start, length):
    """narrow(x, dim, start, length) as a new tensor (no view)"""
    return narrow(x, dim, start, length, _copy=True)

expose(narrow_copy, method=True)


class SelectBackward0(Node):
    """y = x[i] along dim:  dx = g placed into zeros at index i

    Forward mode: dy = dx[i] along dim"""

    def backward(self, g):
        return (select_scatter(zeros_like_shape(g, self.shape), g, self.dim, self.index),)

    def jvp(self, t):
        return t.select(self.dim, self.index)


_SELECT = Sigs("select", "(Tensor input, int dim, int index)")


def select(x, dim, index, _copy=False):
    """x[index] along dim (a view with that dim removed)"""
    if type(x) is not Tensor or type(dim) is not int or type(index) is not int:
        _SELECT.check(x, dim, index)
    if type(x) is not Tensor:
        _tensor_arg("select", ("input", 1, x))
    if x.ndim == 0:
        raise IndexError("select() cannot be applied to a 0-dim tensor.")
    d = _wrap_dim(dim, x.ndim)
    n = x.shape[d]
    i = int(index)
    if i < -n or i >= n:
        raise IndexError(f"select(): index {i} out of range for tensor of size {_shape_list(x.shape)} at "
                         f"dimension {d}")
    i %= n
    sl = [slice(None)] * x.ndim
    sl[d] = i
    arr = x._data[(*sl, Ellipsis)]  # the Ellipsis keeps a 0-d result a view, not a NumPy scalar
    return _view_of(x, arr, SelectBackward0, _copy, shape=x.shape, dim=d, index=i)

expose(select, method=True)


class SliceScatterBackward0(Node):
    """y = x with x[a:b:s] along dim replaced by src:  dx = g with that window zeroed, dsrc = g[a:b:s]

    Forward mode: dy = slice_scatter(dx, dsrc)"""

    def _window(self, g):
        sl = [slice(None)] * g.ndim
        sl[self.dim] = slice(self.start, self.stop, self.step)
        return g[tuple(sl)]

    def backward(self, g):
        gx = gs = None
        if self.next[0] is not None:
            gx = slice_scatter(g, zeros_like_shape(g, self.src_shape), self.dim, self.start, self.stop, self.step)
        if self.next[1] is not None:
            gs = self._window(g)
        return (gx, gs)

    def jvp(self, tx, ts):
        if tx is None:
            tx = zeros_like_shape(ts, self.out_shape)
        if ts is None:
            ts = zeros_like_shape(tx, self.src_shape)
        return slice_scatter(tx, ts, self.dim, self.start, self.stop, self.step)


def slice_scatter(x, src, dim=0, start=None, end=None, step=1):
    """x with x[start:end:step] along dim replaced by src (a copy)"""
    d = _wrap_dim(dim, x.ndim)
    if step is None:
        step = 1
    if step <= 0:
        raise RuntimeError("slice step must be positive")
    n = x.shape[d] if x.ndim else 1
    a, b, _ = slice(start, end, step).indices(n)
    r = x._data.copy()
    sl = [slice(None)] * x.ndim
    sl[d] = slice(a, builtins.max(a, b), step)
    slot = r[tuple(sl)]
    _scatter_check(x, src, slot)
    slot[...] = src._data
    return _wrap_result(r, SliceScatterBackward0, (x, src), dim=d, start=a, stop=builtins.max(a, b), step=step,
                src_shape=src._data.shape)

expose(slice_scatter, method=True)


class SliceBackward0_copy(SliceBackward0):
    """y = slice_copy(x, dim, a, b, s) (a new tensor):  dx = g placed into zeros at x[a:b:s]

    Forward mode: dy = dx[a:b:s]"""


def _slice_bounds(x, dim, start, end, step):
    d = _wrap_dim(dim, x.ndim)
    if step is None:
        step = 1
    if step <= 0:
        raise RuntimeError("slice step must be positive")
    a, b, _ = slice(start, end, step).indices(x.shape[d] if x.ndim else 1)
    return d, a, builtins.max(a, b), step


def slice_copy(x, dim=0, start=None, end=None, step=1):
    """x[start:end:step] along dim, as a new tensor"""
    d, a, b, step = _slice_bounds(x, dim, start, end, step)
    sl = [slice(None)] * x.ndim
    sl[d] = slice(a, b, step)
    return _wrap_result(x._data[tuple(sl)].copy(), SliceBackward0_copy, (x,), shape=x.shape, dim=d, start=a, stop=b,
                step=step)

expose(slice_copy, out=True)


class SliceInverseBackward0(Node):
    """y = slice_inverse(x, src, dim, a, b, s) (x a slice of src; y: src's window on x's memory):
    dx = g[a:b:s] along dim;  dsrc = g with that slice zeroed

    Forward mode: dy = slice_scatter(dsrc, dx)"""

    def backward(self, g):
        if self.step is None or self.step <= 0:
            raise RuntimeError("slice step must be positive")
        sl = [slice(None)] * g.ndim
        sl[self.dim] = slice(self.start, self.stop, self.step)
        gx = g[tuple(sl)] if self.next[0] is not None else None
        gs = None
        if self.next[1] is not None:
            gs = slice_scatter(g, zeros_like_shape(g, self.x_shape), self.dim, self.start, self.stop, self.step)
        return (gx, gs)

    def jvp(self, tx, ts):
        ts = zeros_like_shape(tx, self.out_shape) if ts is None else ts
        tx = zeros_like_shape(ts, self.x_shape) if tx is None else tx
        return slice_scatter(ts, tx, self.dim, self.start, self.stop, self.step)


def slice_inverse(x, src, dim=0, start=None, end=None, step=1):
    """The inverse of slicing: x a slice src[start:end:step] along dim, the result a view on x's memory with
    src's sizes, strides and offset (the whole of what x was sliced from)"""
    if type(x) is not Tensor or type(src) is not Tensor:
        _tensor_arg("slice_inverse", ("input", 1, x), ("src", 2, src))
    # the slice's bounds matter to the backward only (PyTorch checks the step there)
    d, a, b, _ = _slice_bounds(src, dim, start, end, 1 if step is None or step <= 0 else step)
    t = _wrap(as_strided(x.detach(), src.shape, src.stride(), offset_in_storage(src._data))._data)
    if x._version_counter is None:
        x._version_counter = [0]
    t._version_counter = x._version_counter
    t._base = x if x._base is None else x._base
    if _grad_mode.enabled and (x._requires_grad or src._requires_grad):
        node = SliceInverseBackward0((_edge(x), _edge(src)))
        node.dim, node.start, node.stop, node.step, node.x_shape = d, a, b, step, x.shape
        _record(t, node)
        if x._requires_grad:
            _register_view(t._base, t)
    return t

expose(slice_inverse, method=True)


class SelectScatterBackward0(Node):
    """y = x with x[i] along dim replaced by src:  dx = g with x[i] zeroed, dsrc = g[i]

    Forward mode: dy = select_scatter(dx, dsrc)"""

    def backward(self, g):
        gx = gs = None
        if self.next[0] is not None:
            gx = select_scatter(g, zeros_like_shape(g, self.src_shape), self.dim, self.index)
        if self.next[1] is not None:
            gs = g.select(self.dim, self.index)
        return (gx, gs)

    def jvp(self, tx, ts):
        if tx is None:
            tx = zeros_like_shape(ts, self.out_shape)
        if ts is None:
            ts = zeros_like_shape(tx, self.src_shape)
        return select_scatter(tx, ts, self.dim, self.index)


def select_scatter(x, src, dim, index):
    """x with x[index] along dim replaced by src (a copy)"""
    if x.ndim == 0:
        raise IndexError("select() cannot be applied to a 0-dim tensor.")
    d = _wrap_dim(dim, x.ndim)
    n = x.shape[d]
    i = int(index)
    if i < -n or i >= n:
        raise IndexError(f"select(): index {i} out of range for tensor of size {_shape_list(x.shape)} at "
                         f"dimension {d}")
    i %= n
    r = x._data.copy()
    sl = [slice(None)] * x.ndim
    sl[d] = i
    slot = r[tuple(sl)]
    _scatter_check(x, src, np.asarray(slot))
    r[tuple(sl)] = src._data
    return _wrap_result(r, SelectScatterBackward0, (x, src), dim=d, index=i, src_shape=src._data.shape)

expose(select_scatter, method=True)


# =====================================================================================================
# constant pad (F.pad's constant mode, and the zero-fill of an fft's n= / s=): grows with a fill value,
# crops where a pad is negative
# =====================================================================================================

class ConstantPadNdBackward0(Node):
    """y = pad(x, p, value):  dx = pad(g, -p) (cropping is the adjoint of zero-padding)"""

    def backward(self, g):
        return (_constant_pad(g, [-v for v in self.pads], 0.0),)

    def jvp(self, t):
        return _constant_pad(t, self.pads, 0.0)


def _constant_pad(x: Tensor, pads, value) -> Tensor:
    nd = len(pads) // 2
    shape = list(x.shape)
    for ax in range(x.ndim - nd, x.ndim):  # PyTorch crops first, with narrow(), from the first padded dim on
        size = shape[ax]
        for v in pads[2 * (x.ndim - 1 - ax):2 * (x.ndim - ax)]:
            if v < 0:
                size += v
                if size < 0:
                    raise RuntimeError("narrow(): length must be non-negative.")
    src, dst = [slice(None)] * x.ndim, [slice(None)] * x.ndim
    for i in range(nd):
        ax = x.ndim - 1 - i
        lo, hi = pads[2 * i], pads[2 * i + 1]
        n = shape[ax]
        new = n + lo + hi
        if new < 0:
            raise RuntimeError(f"The input size {n}, plus negative padding {lo} and {hi} resulted in a negative "
                               f"output size, which is invalid. Check dimension {ax} of your input.")
        shape[ax] = new
        src[ax] = slice(max(-lo, 0), n - max(-hi, 0))
        dst[ax] = slice(max(lo, 0), new - max(hi, 0))
    r = np.full(shape, value, dtype=x._data.dtype)
    r[tuple(dst)] = x._data[tuple(src)]
    return _wrap_result(r, ConstantPadNdBackward0, (x,), pads=list(pads))


# =====================================================================================================
# as_strided, unfold
# =====================================================================================================

def as_strided(x, size, stride, storage_offset=None, _copy=False, _node=AsStridedBackward0):
    """A strided window on x's memory (sizes, strides and offset in elements, as PyTorch): a view"""
    size, stride = tuple(int(s) for s in size), tuple(int(s) for s in stride)
    if len(size) != len(stride):
        raise RuntimeError("mismatch in length of strides and shape")
    if builtins.any(s < 0 for s in stride):
        raise RuntimeError(f"as_strided: Negative strides are not supported at the moment, got strides: "
                           f"{_shape_list(stride)}")
    if builtins.any(s < 0 for s in size):
        raise RuntimeError(f"Trying to create tensor with negative dimension {builtins.min(size)}: "
                           f"{_shape_list(size)}")
    flat = _elements(x._data)  # the storage, in x's dtype
    off = offset_in_storage(x._data) if storage_offset is None else int(storage_offset)
    if off < 0:
        raise RuntimeError(f"Tensor: invalid storage offset {off}")
    need = 0 if 0 in size else off + builtins.sum((n - 1) * s for n, s in zip(size, stride)) + 1
    if need > flat.size:
        item = flat.itemsize
        raise RuntimeError(f"setStorage: sizes {_shape_list(size)}, strides {_shape_list(stride)}, storage offset "
                           f"{off}, and itemsize {item} requiring a storage size of {need * item} are out of bounds "
                           f"for storage of size {flat.size * item}")
    arr = np.lib.stride_tricks.as_strided(flat[off:] if flat.size > off else flat[:0], size,
                                          tuple(s * flat.itemsize for s in stride),
                                          writeable=flat.flags.writeable)
    if not (_grad_mode.enabled and x._requires_grad) and _fw.level is None and not _copy:
        return _view_of(x, arr, _node, False)
    pos = _positions(off, size, stride)
    x_pos = _positions(offset_in_storage(x._data), x.shape, x.stride())
    attrs = dict(pos=pos, x_pos=x_pos, storage_size=flat.size, base_shape=x.shape)
    if _overlaps(x.shape, x.stride()):
        count = np.zeros(flat.size, dtype=x._data.dtype)
        np.add.at(count, x_pos._data, 1)
        attrs["x_count"] = _wrap(count[x_pos._data])
    return _view_of(x, arr, _node, _copy, **attrs)

expose(as_strided, method=True)


class AsStridedBackward1(AsStridedBackward0):
    """x.as_strided_(size, stride, offset):  dx = (zeros with g added at the window's positions)[x's]

    Forward mode: dy = the same window of dx"""


def as_strided_(x, size, stride, storage_offset=None):
    """x.as_strided_(size, stride, offset): x becomes the strided window on its own memory, in place"""
    check_inplace(x)
    return _become(x, as_strided(x, size, stride, storage_offset, _node=AsStridedBackward1))

expose(as_strided_, method=True)


class AsStridedScatterBackward0(Node):
    """y = as_strided_scatter(x, src, size, stride, offset) (x with src written into the window):
    dx = g with the window zeroed;  dsrc = g's window

    Forward mode: dy = as_strided_scatter(dx, dsrc)"""

    def backward(self, g):
        flat = g.reshape(-1)
        return (g * self.keep, flat.take(self.src_index))

    def jvp(self, tx, tsrc):
        tx = zeros_like_shape(self.keep) if tx is None else tx
        tsrc = zeros_like_shape(self.src_index) if tsrc is None else tsrc
        return (tx * self.keep).reshape(-1).index_put((self.src_index.reshape(-1),), tsrc.reshape(-1),
                                                       accumulate=True).reshape(self.keep.shape)


def as_strided_scatter(x, src, size, stride, storage_offset=None):
    """A copy of x (x's layout, new memory) with src written into its window as_strided(size, stride, offset)"""
    if type(x) is not Tensor or type(src) is not Tensor:
        _tensor_arg("as_strided_scatter", ("input", 1, x), ("src", 2, src))
    if _grad_mode.enabled and x._requires_grad and not x.is_contiguous():
        raise RuntimeError('!self.requires_grad() || self.is_contiguous() INTERNAL ASSERT FAILED at "/__w/pytorch/'
                           'pytorch/aten/src/ATen/native/TensorShape.cpp":4754, please report a bug to PyTorch. '
                           'as_strided_scatter is currently only supported for contiguous inputs')
    kept = np.empty_like(x._data, order="K")  # x's layout (a transpose stays one), as PyTorch's clone keeps it
    kept[...] = x._data
    c = _wrap(kept)
    window = as_strided(c, size, stride, storage_offset)  # its checks and errors
    if tuple(window.shape) != tuple(src.shape):
        raise RuntimeError(f"expected src to have a size equal to the slice of self. src size = "
                           f"{_shape_list(src.shape)}, slice size = {_shape_list(window.shape)}")
    window._data[...] = src._data.astype(c._data.dtype, copy=False)
    # each element's place in the result's memory, and which element the window's k-th entry is
    flat_size = _elements(c._data).size
    where = _positions(offset_in_storage(c._data), c.shape, c.stride())._data.reshape(-1)
    owner = np.full(flat_size, -1, dtype=np.int64)
    owner[where] = np.arange(where.size)
    off = offset_in_storage(c._data) if storage_offset is None else int(storage_offset)
    src_index = owner[_positions(off, window.shape, tuple(int(v) for v in stride))._data]
    keep = np.ones(where.size, dtype=c._data.dtype)
    keep[src_index[src_index >= 0]] = 0
    attrs = dict(keep=_wrap(keep.reshape(c.shape)), src_index=_wrap(np.maximum(src_index, 0)))
    return _wrap_result(c._data, AsStridedScatterBackward0, (x, src), **attrs)

expose(as_strided_scatter, method=True)


def _positions(offset, size, stride):
    """Each element's position in the storage: offset + Σ i_k stride_k, as an int64 tensor of ``size``"""
    pos = np.full(tuple(size), offset, dtype=np.int64)
    for k, (n, s) in enumerate(zip(size, stride)):
        shape = [1] * len(size)
        shape[k] = n
        pos += (np.arange(n, dtype=np.int64) * s).reshape(shape)
    return _wrap(pos)


def _overlaps(size, stride) -> bool:
    """Whether two elements of this layout share memory (strides sorted, each must pass the extent before it)"""
    dims = sorted((s, n) for n, s in zip(size, stride) if n > 1)
    if 0 in size:
        return False
    extent = 1
    for s, n in dims:
        if s < extent:
            return True
        extent += s * (n - 1)
    return False


class UnfoldBackward0(Node):
    """y = x.unfold(d, size, step):  dx = zeros.index_add(d, window indices, g as windows)

    Forward mode: dy = unfold(dx)"""

    def backward(self, g):
        d, size = self.d, self.size
        if not self.shape:  # a 0-d input: one window of one element
            return (g.reshape(()),)
        # g: (..., n, ..., size) -> (..., n * size, ...) in window order, then scatter-add into x's shape
        gw = movedim(g, -1, d + 1)
        gw = reshape(gw, gw.shape[:d] + (gw.shape[d] * size,) + gw.shape[d + 2:])
        return (zeros_like_shape(g, self.shape).index_add(d, self.idx, gw),)

    def jvp(self, t):
        return t.unfold(self.d, self.size, self.step)


_UNFOLD = Sigs("unfold", "(Tensor input, int dimension, int size, int step)", method_only=True)


def unfold(x, dimension: int, size: int, step: int, _copy=False):
    """A view of every ``size``-long window along ``dimension``, ``step`` apart, as a new last dim."""
    if type(dimension) is not int or type(size) is not int or type(step) is not int:
        _UNFOLD.check_call(unfold, x, dimension, size, step)
    d = _wrap_dim(dimension, x.ndim)
    a = x._data if x.ndim else x._data.reshape(1)
    length = a.shape[d]
    if size > length:
        raise RuntimeError(f"maximum size for tensor at dimension {d} is {length} but size is {size}")
    if size < 0:
        raise RuntimeError(f"size is {size} but must be >= 0")
    if step <= 0:
        raise RuntimeError(f"step is {step} but must be > 0")
    n = (length - size) // step + 1
    st = a.strides
    shape = a.shape[:d] + (n,) + a.shape[d + 1:] + (size,)
    strides = st[:d] + (st[d] * step,) + st[d + 1:] + (st[d],)
    if not x.ndim:
        shape, strides = (size,), (st[0],)
    arr = np.lib.stride_tricks.as_strided(a, shape, strides, writeable=a.flags.writeable)
    idx = _wrap((np.arange(n)[:, None] * step + np.arange(size)).reshape(-1))
    return _view_of(x, arr, UnfoldBackward0, _copy, d=d, size=size, step=step, idx=idx, shape=x.shape)

expose(unfold, torch=False, method=True)


# =====================================================================================================
# the *_copy forms, alias_copy, detach, detach_copy
# =====================================================================================================

class ViewBackward0_copy(ViewBackward0):
    """y = view_copy(x, shape) (a new tensor):  dx = g reshaped to x's shape

    Forward mode: dy = dx reshaped"""


class PermuteBackward0_copy(PermuteBackward0):
    """y = permute_copy(x, p) (a new tensor):  dx = permute(g, p⁻¹)

    Forward mode: dy = permute(dx, p)"""


class TBackward0_copy(TBackward0):
    """y = t_copy(x) (a new tensor):  dx = gᵀ

    Forward mode: dy = dxᵀ"""


class TransposeBackward0_copy(TransposeBackward0):
    """y = transpose_copy(x, i, j) (a new tensor):  dx = transpose(g, i, j)

    Forward mode: dy = transpose(dx, i, j)"""


class UnsqueezeBackward0_copy(UnsqueezeBackward0):
    """y = unsqueeze_copy(x, d) (a new tensor):  dx = squeeze(g, d)

    Forward mode: dy = unsqueeze(dx, d)"""


class SqueezeBackward0_copy(SqueezeBackward0):
    """y = squeeze_copy(x) (a new tensor):  dx = g reshaped to x's shape

    Forward mode: dy = squeeze(dx)"""


class SqueezeBackward1_copy(SqueezeBackward1):
    """y = squeeze_copy(x, d) (a new tensor):  dx = g reshaped to x's shape

    Forward mode: dy = squeeze(dx, d)"""


class SqueezeBackward2_copy(SqueezeBackward2):
    """y = squeeze_copy(x, dims) (a new tensor):  dx = g reshaped to x's shape

    Forward mode: dy = squeeze(dx, dims)"""


class ExpandBackward0_copy(ExpandBackward0):
    """y = expand_copy(x, sizes) (a new tensor):  dx = g summed over the broadcast dims

    Forward mode: dy = dx expanded"""


class DiagonalBackward0_copy(DiagonalBackward0):
    """y = diagonal_copy(x) (a new tensor):  dx = g placed on that diagonal of zeros

    Forward mode: dy = diagonal(dx)"""


class SelectBackward0_copy(SelectBackward0):
    """y = select_copy(x, dim, i) (a new tensor):  dx = g placed into zeros at index i

    Forward mode: dy = dx[i]"""


class AsStridedBackward0_copy(AsStridedBackward0):
    """y = as_strided_copy(x, ...) (a new tensor):  dx = (zeros with g added at the window's positions)[x's]

    Forward mode: dy = the same window of dx"""


class UnfoldBackward0_copy(UnfoldBackward0):
    """y = unfold_copy(x, d, size, step) (a new tensor):  dx = the windows of g added back

    Forward mode: dy = unfold(dx)"""


class AliasBackward0_copy(Node):
    """y = alias_copy(x) (a new tensor with x's values):  dx = g

    Forward mode: dy = dx"""

    def backward(self, g):
        return (g,)

    def jvp(self, t):
        return t


COPY_NODES = {ViewBackward0: ViewBackward0_copy, PermuteBackward0: PermuteBackward0_copy,
              TBackward0: TBackward0_copy, TransposeBackward0: TransposeBackward0_copy,
              UnsqueezeBackward0: UnsqueezeBackward0_copy, SqueezeBackward0: SqueezeBackward0_copy,
              SqueezeBackward1: SqueezeBackward1_copy, SqueezeBackward2: SqueezeBackward2_copy,
              ExpandBackward0: ExpandBackward0_copy, DiagonalBackward0: DiagonalBackward0_copy,
              SelectBackward0: SelectBackward0_copy, AsStridedBackward0: AsStridedBackward0_copy,
              UnfoldBackward0: UnfoldBackward0_copy}


def _copy_form(method: str):
    def fn(x, *args, **kwargs):
        return getattr(x, method)(*args, _copy=True, **kwargs)
    fn.__name__ = method + "_copy"
    fn.__doc__ = f"x.{method}(...) as a new tensor (no view), recorded as PyTorch's {method}_copy"
    return fn


for _name in ("permute", "t", "transpose", "unsqueeze", "squeeze", "view", "expand", "diagonal", "select",
              "as_strided", "unfold"):
    expose(_copy_form(_name))


def alias_copy(x: Tensor) -> Tensor:
    """x's values as a new tensor"""
    return _wrap_result(x._data.copy(), AliasBackward0_copy, (x,))

expose(alias_copy)


def detach(x):
    """x without its history (shares memory)"""
    return x.detach()

expose(detach)


def detach_copy(x):
    """x's values as a new tensor; PyTorch has no derivative for it (backward and forward AD raise)"""
    _refuse_forward_ad("detach_copy", x)
    return _wrap_result(x._data.copy(), NotImplemented, (x,), op="detach_copy")

expose(detach_copy)


# =====================================================================================================
# in-place view ops: x.squeeze_(), x.unsqueeze_(d), x.t_(), x.transpose_(i, j)
# =====================================================================================================

def _become(x, r):
    """x becomes the view ``r`` of itself: its shape, history and tangent (an in-place change: its version bumps)"""
    x._data = r._data
    x._bump()
    if r.grad_fn is not None:
        x.grad_fn, x._output_nr, x._requires_grad = r.grad_fn, 0, True
    if r._tangent is not None or r._tangent_pending is not None:
        x._tangent, x._tangent_pending = r._tangent, r._tangent_pending
    return x


def squeeze_(x, dim=None):
    """x.squeeze_(dim): x loses its size-1 dims in place"""
    check_inplace(x)
    if dim is None:
        return _become(x, squeeze(x, None, "SqueezeBackward3"))
    return _become(x, squeeze(x, dim, "SqueezeBackward5" if isinstance(dim, (tuple, list)) else "SqueezeBackward4"))

expose(squeeze_, torch=False, method=True)


def unsqueeze_(x, dim):
    """x.unsqueeze_(dim): a size-1 dim inserted into x in place"""
    check_inplace(x)
    return _become(x, unsqueeze(x, dim, UnsqueezeBackward1))

expose(unsqueeze_, torch=False, method=True)


def t_(x):
    """x.t_(): x transposed in place"""
    check_inplace(x)
    return _become(x, t(x, TBackward1))

expose(t_, torch=False, method=True)


def transpose_(x, dim0, dim1):
    """x.transpose_(i, j): two dims of x swapped in place"""
    check_inplace(x)
    return _become(x, transpose(x, dim0, dim1, TransposeBackward1))

expose(transpose_, torch=False, method=("transpose_", "swapaxes_", "swapdims_"))


# =====================================================================================================
# resize, dim_order (no derivative)
# =====================================================================================================

def resize_(x, *sizes, memory_format=None):
    """x.resize_(shape): keep the leading elements in row-major order, new ones zero (PyTorch leaves them
    uninitialised)"""
    shape = _shape_arg(sizes)
    if not builtins.all(isinstance(s, (int, np.integer)) for s in shape):  # (the argument parser comes first)
        _bad_sizes(sizes, "resize_")
    if x._requires_grad:
        raise RuntimeError("cannot resize variables that require grad")
    if not builtins.all(s >= 0 for s in shape):
        _bad_sizes(sizes, "resize_")
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


class ResizeBackward(Node):
    """y = x.resize(shape) (the same elements, another shape):  dx = g reshaped to x's shape

    Forward mode: dy = dx reshaped"""

    def backward(self, g):
        return (_reshaped_grad(g, self.shape),)

    def jvp(self, t):
        return t.reshape(self.out_shape)


def _resize_copy(x, sizes, what):
    """autograd's out-of-place resize: x's elements (as many as there are) in another shape"""
    warnings.warn(f"non-inplace {what} is deprecated", UserWarning, stacklevel=3)
    total = sizes[0] if sizes else 1  # PyTorch multiplies the arguments as given: resize((6,)) is refused
    for s in sizes[1:]:
        total *= s
    if total != x.numel():
        raise RuntimeError(f"requested resize to {'x'.join(str(s) for s in sizes)} ({total} elements in total), "
                           f"but the given tensor has a size of {'x'.join(str(s) for s in x.shape)} ({x.numel()} "
                           "elements). autograd's resize can only change the shape of a given tensor, while "
                           "preserving the number of elements. ")
    if _fw.level is not None and _tangents_of((x,)) is not None:  # a Python autograd.Function in PyTorch
        raise RuntimeError("You must implement the jvp function for custom autograd.Function to use it with "
                           "forward mode AD.")
    return _wrap_result(np.ascontiguousarray(x._data).reshape(_shape_arg(sizes)), ResizeBackward, (x,), shape=x.shape)


def resize(x, *sizes):
    """x's elements in another shape of the same size, as a new tensor (deprecated)"""
    return _resize_copy(x, sizes, "resize")

expose(resize, torch=False, method=True)


def resize_as(x, other):
    """x's elements in other's shape (of the same size), as a new tensor (deprecated)"""
    return _resize_copy(x, tuple(other.shape), "resize_as")

expose(resize_as, torch=False, method=True)


def dim_order(x):
    """the dims from outermost to innermost in memory"""
    return tuple(builtins.int(i) for i in np.argsort([-s for s in x.stride()], kind="stable"))

expose(dim_order, torch=False, method=True)
