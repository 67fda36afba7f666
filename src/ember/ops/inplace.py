"""The in-place machinery: refusing what PyTorch refuses, writing results into tensors, views of changed bases."""

from __future__ import annotations

import builtins
import sys
import weakref

from .._array import np
from .._core import dtype as D
from .._core import modes
from .._core.exposure import expose
from .._core.messages import _bcast_message, _cname, _long_name
from .._core.meta import is_meta_array as _is_meta_array
from .._core.node import Node
from .._core.record import _edge, _tangents_of, _wrap_result, tangent_of
from .._core.tensor import Tensor, _wrap
from ..kernels.memory import BLOCK
from .creation import as_tensor_arg
from .creation import full_like as _full_like

_fw = modes.forward
_grad_mode = modes.grad


__all__ = ["check_inplace", "apply_inplace", "copy_from", "make_inplace", "fill", "fill_", "zero_", "copy_"]







def check_inplace(x, name="an in-place operation"):
    """Refuse in-place changes PyTorch refuses, before anything is modified."""
    if _grad_mode.enabled and x._requires_grad and x.grad_fn is None:
        raise RuntimeError("a leaf Variable that requires grad is being used in an in-place operation.")
    if x._base is not None and _grad_mode.enabled and x._requires_grad:
        if x._base._requires_grad and x._base.grad_fn is None:
            raise RuntimeError("a view of a leaf Variable that requires grad is being used in an in-place operation.")
        fn = x.grad_fn
        if fn is not None and getattr(fn, "multi_view", False):  # a piece of split, chunk, unbind
            raise RuntimeError(f"Output {x._output_nr} of {fn.name().removesuffix('Backward0')} is a view and is "
                               "being modified inplace. This view is the output of a function that returns multiple "
                               "views. Such functions do not allow the output views to be modified inplace. You "
                               "should replace the inplace operation by an out-of-place one.")
    if not x._data.flags.writeable and _broadcast(x._data) and not _is_meta_array(x._data):  # an expanded view
        raise RuntimeError("unsupported operation: more than one element of the written-to tensor refers to a "
                           "single memory location. Please clone() the tensor before performing the operation.")


def _broadcast(a) -> bool:
    """Whether array ``a`` repeats memory along a dim (stride 0, size > 1): PyTorch refuses to write into it."""
    for n, s in zip(a.shape, a.strides):
        if s == 0 and n > 1:
            return True
    return False


def apply_inplace(x, result: Tensor, c_names: bool = False):
    """Make ``x`` hold ``result`` in place: copy the values, bump the version, take over its history.
    (``c_names``: the cast error names x's dtype as C++ does, "long int", as PyTorch's clamp_ with numbers.)"""
    rd = result._data
    xd = x._data
    if rd.shape != xd.shape:  # (PyTorch checks the shape before the cast)
        try:
            np.broadcast_to(rd, xd.shape)
        except ValueError:
            raise RuntimeError(f"output with shape [{', '.join(map(str, xd.shape))}] doesn't match the broadcast "
                               f"shape [{', '.join(map(str, rd.shape))}]") from None
    if rd.dtype != xd.dtype and xd.dtype.kind in "iub" and rd.dtype.kind in "fc":
        raise RuntimeError(f"result type {_long_name(D.from_numpy_dtype(rd.dtype))} can't be cast to "
                           f"the desired output type {_cname(xd) if c_names else _long_name(x.dtype)}")
    node = result.grad_fn if _grad_mode.enabled else None
    if node is not None and node.saved is not None and builtins.any(s is x for s in node.saved):
        # the op's backward needs x's old value, which is about to be overwritten: keep a snapshot
        # (only its first use, PyTorch's `self`; x also passed as another operand, as in x.mul_(x), stays
        # saved at its old version, so backward raises PyTorch's modified-by-an-inplace-operation error)
        snap = _wrap(xd.copy())
        if x._requires_grad:  # the snapshot is x before the op: differentiating backward again (create_graph) goes on
            snap._requires_grad, snap.grad_fn, snap._output_nr = True, x.grad_fn, x._output_nr  # into x's old history
        if _fw.level is not None and (x._tangent is not None or x._tangent_pending is not None):
            snap._tangent = tangent_of(x)  # and its tangent (a backward run on dual tensors differentiates it)
            _fw.duals.append(weakref.ref(snap))
        first = next(i for i, s in enumerate(node.saved) if s is x)
        node.saved = tuple(snap if i == first else s for i, s in enumerate(node.saved))
        node.versions = tuple(None if i == first else v for i, v in enumerate(node.versions))
    if _fw.level is not None and result._tangent_pending is not None:
        tangent_of(result)  # now: the tangent's rule may read x's old values, which the copy below overwrites
    np.copyto(xd, rd, casting="unsafe")
    x._bump()
    if _fw.level is not None and (result._tangent is not None or result._tangent_pending is not None):
        x._tangent, x._tangent_pending = result._tangent, result._tangent_pending
        _fw.duals.append(weakref.ref(x))
        if x._base is not None:
            _retangent_base(x)
    if node is not None:
        if x._base is not None and _view_positions(x) is not None:
            _rebase_view(x, result)
        else:
            x.grad_fn = node
            x._output_nr = result._output_nr
            x._requires_grad = True
            _refresh_views(x, None)
    return x


class CopyBackwards(Node):
    """x.copy_(src):  x's old values get no gradient; src gets g (summed over broadcast, in src's dtype)"""

    def backward(self, g):
        gs = None
        if self.next[1] is not None:
            gs = g if g._data.dtype == self.src_dtype else g.to(D.from_numpy_dtype(self.src_dtype))
        return (g * 0 if self.next[0] is not None else None, gs)

    def jvp(self, tx, ts):
        """the copy's tangent is src's, broadcast and cast to x's dtype (x's old tangent is gone)"""
        if ts is None:  # (matrix_power(a, 0) records an identity this way, with no source)
            return tx * 0
        shape, dt = self.out_shape, getattr(self, "dst_dtype", ts._data.dtype)
        ts = ts if ts._data.dtype == dt else ts.to(D.from_numpy_dtype(dt))
        return ts.expand(shape) if tuple(ts.shape) != tuple(shape) else ts * 1


def copy_from(x, src):
    """The out-of-place value of ``x.copy_(src)``: src broadcast to x's shape, in x's dtype (recorded)"""
    r = np.empty_like(x._data)
    np.copyto(r, src._data, casting="unsafe")
    return _wrap_result(r, CopyBackwards, (x, src), in_shapes=(x.shape, src.shape) if src.shape != x.shape else None,
                src_dtype=src._data.dtype, dst_dtype=x._data.dtype)


def _view_positions(view_t):
    """Flat positions, in its (C-contiguous) base, of each element of the view ``view_t``; None if unknown.

    Every view (slice, select, transpose, view, diagonal, chains of them) is a strided window on its base's
    memory, so one integer map describes them all; in-place writes through a view use it to rebase the
    base's history."""
    b, v = view_t._base._data, view_t._data
    isz = b.itemsize
    if not b.flags.c_contiguous or v.itemsize != isz:
        return None
    off = v.__array_interface__["data"][0] - b.__array_interface__["data"][0]
    if off % isz or builtins.any(s % isz for s in v.strides):
        return None
    pos = np.full(v.shape, off // isz, dtype=np.int64)
    for k, (n, s) in enumerate(zip(v.shape, v.strides)):
        shape = [1] * v.ndim
        shape[k] = n
        pos += (np.arange(n, dtype=np.int64) * (s // isz)).reshape(shape)
    if pos.size and (pos.min() < 0 or pos.max() >= b.size):
        return None
    return pos


def _retangent_base(view_t):
    """Forward mode, after an in-place change through a view: the base's tangent takes the view's new tangent in the
    view's window (in PyTorch the tangent of a view is a view of the base's tangent)."""
    base = view_t._base
    pos = _view_positions(view_t)
    if pos is None:
        return
    level, _fw.level = _fw.level, None  # the tangents' own arithmetic carries no tangent
    try:
        vt = tangent_of(view_t)
        bt = tangent_of(base) if base._tangent is not None or base._tangent_pending is not None else None
        if bt is None:
            bt = _wrap(np.zeros(base._data.shape, dtype=vt._data.dtype))
        new = bt.reshape(-1).index_put((_wrap(pos.reshape(-1)),), vt.reshape(-1)).reshape(base.shape)
    finally:
        _fw.level = level
    base._tangent, base._tangent_pending = new, None
    _fw.duals.append(weakref.ref(base))


class CopySlices(Node):
    """base with a view's window replaced by v (in place):  d base = g with the window zeroed; d v = g's window"""

    def backward(self, g):
        flat = g.reshape(-1)
        gb = gv = None
        if self.next[0] is not None:
            gb = flat.index_put((self.pos,), _wrap(np.zeros((), dtype=g._data.dtype))).reshape(self.base_shape)
        if self.next[1] is not None:
            gv = flat[_wrap(self.pos)]
        return (gb, gv)


class AsStridedBackward0(Node):
    """y = storage[pos] (a strided window on x's memory):  dx = (zeros with g added at pos)[x's positions]

    ``pos``: each output element's position in the storage; ``x_pos``: each of x's elements' (None: x is the
    whole storage, C-contiguous, of shape ``base_shape``); x's elements that share memory split the gradient."""

    x_pos = None
    x_count = None  # how many of x's elements share each element's memory (None: none share)

    def backward(self, g):
        size = int(np.prod(self.base_shape)) if self.x_pos is None else self.storage_size
        z = _wrap(np.zeros(size, dtype=g._data.dtype)).index_put((self.pos,), g, accumulate=True)
        if self.x_pos is None:
            return (z.reshape(self.base_shape),)
        gx = z[self.x_pos]
        return (gx if self.x_count is None else gx / self.x_count,)

    def jvp(self, t):
        if self.x_pos is None:
            return t.reshape(-1)[self.pos]
        return _wrap(np.zeros(self.storage_size, dtype=t._data.dtype)).index_put((self.x_pos,), t)[self.pos]


def _rebase_view(view_t, result):
    """In-place op on a view: the base's history becomes CopySlices(old base, new window values), and the
    view becomes a window on the updated base (PyTorch's AsStridedBackward0)."""
    base = view_t._base
    pos = _view_positions(view_t)
    node = CopySlices((_edge(base), _edge(result)))
    node.pos, node.base_shape = pos, base.shape
    node.out_shape = base._data.shape
    base.grad_fn, base._output_nr, base._requires_grad = node, 0, True
    _as_window(view_t, base, pos)
    _refresh_views(base, view_t)


def _as_window(view_t, base, pos):
    vnode = AsStridedBackward0((_edge(base),))
    vnode.pos, vnode.base_shape = pos, base.shape
    vnode.out_shape = view_t._data.shape
    view_t.grad_fn, view_t._output_nr, view_t._requires_grad = vnode, 0, True


def _register_view(base, view_t):
    """Remember a recorded view of ``base`` so an in-place change of base can re-point its history.

    Only non-leaf bases: a leaf requiring grad can't change in place while recording (so parameters,
    indexed every step, keep no list)."""
    if base.grad_fn is None:
        return
    views = base.__dict__.get("_views")
    if views is None:
        views = base._views = []
    elif len(views) >= 32:
        views[:] = [r for r in views if r() is not None]  # drop dead views now and then
    views.append(weakref.ref(view_t))


def _refresh_views(base, skip):
    """After base's history changed in place, its other live views read the new base (AsStridedBackward0)."""
    views = base.__dict__.get("_views")
    if not views:
        return
    live = []
    for ref in views:
        v = ref()
        if v is None:
            continue
        live.append(ref)
        if v is not skip and v.grad_fn is not None:
            pos = _view_positions(v)
            if pos is not None:
                _as_window(v, base, pos)
    base._views = live


_PLAIN_ARGS = (Tensor, int, float, complex, np.number)


def _argument_errors_first(op, x, args, kwargs):
    """PyTorch parses an in-place call's arguments before it refuses the write: when an argument is of a kind an
    op may not take (a string, None, a list), the op's own TypeError, if it has one, is the answer"""
    if builtins.all(isinstance(a, _PLAIN_ARGS) for a in args) and \
            builtins.all(isinstance(a, _PLAIN_ARGS) for a in kwargs.values()):
        return
    was = _grad_mode.enabled
    _grad_mode.enabled = False  # (out of place on a detached alias: nothing recorded, nothing written)
    try:
        op(x.detach(), *args, **kwargs)
    except TypeError as e:
        msg = str(e)
        head = msg.split("(): ", 1)[0]
        raise TypeError(f"{head}_(): {msg[len(head) + 4:]}" if head.isidentifier() else msg) from None
    except Exception:  # noqa: BLE001, S110  (any other error: the in-place refusal stands)
        pass
    finally:
        _grad_mode.enabled = was


def make_inplace(op, name):
    """``x.op_(...)`` from ``op``: refuse what PyTorch refuses, compute out of place, write the result into x
    (version bump; x takes over the result's history).

    An elementwise op that declares its NumPy ufunc (``op.inplace_ufunc``, e.g. ``np.add`` for ``add``) writes
    straight into x when nothing is recorded (grad mode off or nothing requiring grad, no forward-mode level)
    and the other operand is a Python number or a tensor of x's float dtype: no temporary as large as x, as in
    PyTorch (optimizer updates, ``x += 1`` under ``no_grad``). The numbers are the ones of the general path."""
    ufunc = getattr(op, "inplace_ufunc", None)
    c_names = getattr(op, "cast_error_c_names", None)  # a test of the arguments (see apply_inplace)
    blocks = getattr(sys.modules.get(op.__module__), "INPLACE_IN_BLOCKS", False)

    def method(x, *args, **kwargs):
        if ufunc is not None and len(args) == 1 and not kwargs and _fw.level is None:
            b = args[0]
            xd = x._data
            tb = type(b)
            if tb is float or tb is int:
                bd = b
            elif tb is Tensor and b._data.dtype is xd.dtype:
                bd = b._data if not (_grad_mode.enabled and b._requires_grad) else None
            else:
                bd = None
            if bd is not None and xd.dtype.kind == "f" and not (_grad_mode.enabled and x._requires_grad):
                try:
                    with np.errstate(divide="ignore", invalid="ignore"):
                        ufunc(xd, bd, out=xd)
                except ValueError:  # b does not broadcast to x's shape: the general path says how
                    pass
                else:
                    x._bump()
                    return x
        if blocks and x._data.size > BLOCK and _fw.level is None and type(x) is Tensor \
                and _in_blocks(op, x, args, kwargs):
            return x
        try:
            check_inplace(x)
        except RuntimeError:
            _argument_errors_first(op, x, args, kwargs)
            raise
        return apply_inplace(x, op(x, *args, **kwargs), c_names is not None and c_names(args, kwargs))
    method.__name__ = name
    method.__doc__ = f"in-place {op.__name__}"
    method.inplace_of = op
    return method


def _in_blocks(op, x, args, kwargs) -> bool:
    """``x.op_(*args)`` computed block by block into x when nothing is recorded: True when done, False (nothing
    written) when the general path must answer.

    For the elementwise families (a module that sets ``INPLACE_IN_BLOCKS``: element i of the result depends on
    element i of each operand only, and no error depends on the values). The general path computes the whole
    result out of place and copies it in, a temporary as large as x that PyTorch does not make; here each block of
    ``kernels.memory.BLOCK`` elements or more (the last takes the remainder, so no block is small enough to change a
    kernel's size-dependent path) is computed by the op itself and written back: the same numbers, with temporaries
    of one block. Tensor operands must be 0-d or of x's shape, C-contiguous, and not overlap x other than being x.
    The first block answers everything else: a result of another dtype or shape, or an error, goes to the general
    path before anything is written."""
    xd = x._data
    if xd.dtype.kind != "f" or not xd.flags.c_contiguous or not xd.flags.writeable or _is_meta_array(xd):
        return False
    grad_on = _grad_mode.enabled
    if grad_on and x._requires_grad:
        return False
    parts = []  # per operand: None (passed as is) or its flat array
    for a in (*args, *kwargs.values()):
        flat = None
        if isinstance(a, Tensor):
            ad = a._data
            if type(a) is not Tensor or (grad_on and a._requires_grad) or _is_meta_array(ad):
                return False
            if ad.ndim:
                if ad.shape != xd.shape or not ad.flags.c_contiguous:
                    return False
                if ad.ctypes.data != xd.ctypes.data and np.may_share_memory(ad, xd):
                    return False
                flat = ad.reshape(-1)
        elif not isinstance(a, (int, float, complex, bool, str, np.generic)) and a is not None:
            return False
        parts.append(flat)
    n_args = len(args)
    names = tuple(kwargs)
    fx = xd.reshape(-1)
    n = fx.size
    count = n // BLOCK
    for i in range(count):
        s, e = i * BLOCK, (n if i == count - 1 else (i + 1) * BLOCK)
        vals = [a if f is None else _wrap(f[s:e]) for a, f in zip((*args, *kwargs.values()), parts)]
        if i == 0:
            try:
                r = op(_wrap(fx[s:e]), *vals[:n_args], **dict(zip(names, vals[n_args:])))
            except Exception:  # noqa: BLE001  (the general path raises it, with the whole tensor's shapes)
                return False
            rd = r._data if isinstance(r, Tensor) else None
            if rd is None or rd.dtype != xd.dtype or rd.shape != (e - s,):
                return False
            del r
        else:
            rd = op(_wrap(fx[s:e]), *vals[:n_args], **dict(zip(names, vals[n_args:])))._data
        fx[s:e] = rd
        del rd, vals  # before the next block's result: one block's temporaries at a time
    x._bump()
    return True


class FillBackward2(Node):
    """x.fill_(v): the old values are gone, so their gradient is zero"""

    def backward(self, g):
        return (g * 0,)


class ZeroBackward0(FillBackward2):
    """x.zero_(): zero gradient to the old values"""


class FillBackward3(Node):
    """x.fill_(v) with a 0-d tensor v: zero gradient to the old values, Σ g to v"""

    def backward(self, g):
        return (g * 0 if self.next[0] is not None else None, g.sum() if self.next[1] is not None else None)

    def jvp(self, tx, tv):
        out = tx * 0 if tx is not None else None
        if tv is not None:
            out = tv.expand(self.out_shape) if out is None else out + tv
        return out


class FillBackward0(FillBackward2):
    """fill(x, v): a new tensor of v's, zero gradient to x"""


class FillBackward1(FillBackward3):
    """fill(x, v) with a 0-d tensor v: zero gradient to x, Σ g to v"""


def _tracked(*xs) -> bool:
    """An op on ``xs`` is recorded: backward (grad mode on, some input requires grad) or forward mode (a tangent)."""
    if _grad_mode.enabled and any(x is not None and x._requires_grad for x in xs):
        return True
    return modes.forward.level is not None and _tangents_of(tuple(xs)) is not None


def fill(x: Tensor, value) -> Tensor:
    """A tensor like x of ``value`` (a number or a 0-d tensor), recorded as PyTorch's FillBackward0/1."""
    if isinstance(value, Tensor):
        if value.ndim != 0:
            raise RuntimeError(f"fill_ only supports 0-dimension value tensor but got tensor with {value.ndim} "
                               "dimensions.")
        if _tracked(x, value) and value._data.dtype.kind in "fc":
            return _wrap_result(np.full_like(x._data, value._data), FillBackward1, (x, value))
        value = value._data
    if _tracked(x):
        return _wrap_result(np.full_like(x._data, value), FillBackward0, (x,))
    return _full_like(x, value)

expose(fill)


def fill_(x, value, _node=FillBackward2):
    """every element of x set to ``value`` (a number or a 0-d tensor)"""
    check_inplace(x)
    if isinstance(value, Tensor):
        if value.ndim != 0:
            raise RuntimeError(f"fill_ only supports 0-dimension value tensor but got tensor with {value.ndim} "
                               "dimensions.")
        if _tracked(x, value) and value._data.dtype.kind in "fc" and _node is FillBackward2:
            return apply_inplace(x, _wrap_result(np.full_like(x._data, value._data), FillBackward3, (x, value)))
        value = value._data
    if _tracked(x):
        # PyTorch keeps the tensor in the graph (requires_grad stays True) with a zero-gradient node
        return apply_inplace(x, _wrap_result(np.full_like(x._data, value), _node, (x,)))
    x._data[...] = value
    x._bump()
    return x

expose(fill_, method=True)


def zero_(x):
    """every element of x set to 0"""
    return fill_(x, 0, ZeroBackward0)

expose(zero_, method=True)


def copy_(x, src, non_blocking=False):
    """x[...] = src (broadcast, dtype-converted), recorded for autograd"""
    if not isinstance(src, (Tensor, int, float, complex, np.number)):  # (PyTorch's argument parser comes first)
        raise TypeError(f"copy_(): argument 'other' (position 1) must be Tensor, not {type(src).__name__}")
    check_inplace(x)
    if not isinstance(src, Tensor):
        src = as_tensor_arg(src)
    try:
        np.broadcast_to(src._data, x._data.shape)
    except ValueError:
        try:
            full = np.broadcast_shapes(x.shape, src.shape)
        except ValueError:
            raise RuntimeError(_bcast_message(x.shape, src.shape)) from None
        raise RuntimeError(f"output with shape [{', '.join(map(str, x.shape))}] doesn't match the broadcast "
                           f"shape [{', '.join(map(str, full))}]") from None
    if _tracked(src, x):
        return apply_inplace(x, copy_from(x, src))
    np.copyto(x._data, src._data, casting="unsafe")
    x._bump()
    return x

expose(copy_, torch=False, method=True)
