"""Recording an op: wrap its result and attach its graph node (when grad mode is on and an input requires grad),
and, in forward-mode AD, give the result its tangent (when an input has one).

Forward mode: inside ``forward_ad.dual_level()`` a tensor may carry a tangent ``t._tangent`` (dx, the direction
the primal moves in). An op whose input has one makes its node even when nothing requires grad (the node holds
what the derivative needs), and ``node.jvp(*input_tangents)`` gives the output's tangent: the same derivative the
node's ``backward`` applies, used the other way round (dy = J dx instead of dL/dx = Jᵀ dL/dy).
"""

from __future__ import annotations

import weakref

from .._array import np
from .._core import modes
from .node import Node
from .tensor import Tensor, _wrap

__all__ = ["ZeroDerivativeBackward", "keep_input_edges", "arange", "ones_like", "TANGENT_EDGE", "tangent_of",
           "zeros_like", "zeros_like_shape", "_edge", "_forward",
           "_edges", "_forward_node", "_grad_mode", "_wrap_result", "_record_on_result", "_record", "_requires", "_saved_output",
           "_tangents_of", "_versions"]

_grad_mode = modes.grad
_fw = modes.forward
_ndarray = np.ndarray
_new = object.__new__


class _TangentEdge:
    """The edge a forward-only node (one made for tangents, not recorded for backward) has for an input that carries
    a tangent: it tells ``backward`` that this input's derivative is wanted (the generic jvp runs backward)."""

    __slots__ = ()

    def __repr__(self):
        return "<tangent>"


TANGENT_EDGE = _TangentEdge()


def tangent_of(x):
    """x's tangent at the current dual level (None if it has none), computed now if its op left it pending:
    the op's node may get its attributes after the op returns, so an output's tangent is worked out when it is
    first needed, by the next op or by ``unpack_dual``."""
    pending = x._tangent_pending
    if pending is not None:
        x._tangent_pending = None
        x._tangent = _fw.compute(x, *pending)
    return x._tangent


def _tangents_of(inputs):
    """The inputs' tangents (None where an input has none), or None when none has one."""
    out = None
    for i, x in enumerate(inputs):
        if isinstance(x, Tensor) and (x._tangent is not None or x._tangent_pending is not None):
            if out is None:
                out = [None] * len(inputs)
            out[i] = tangent_of(x)
    return out


def _forward_node(node_cls, inputs):
    """A node made for forward mode only, its edges marking the inputs that carry a tangent; None when none does."""
    if _fw.level is None:
        return None
    tangents = _tangents_of(inputs)
    if tangents is None:
        return None
    node = node_cls(tuple(TANGENT_EDGE if tg is not None else None for tg in tangents))
    node.forward_only = True
    return node


def _forward(t, node, node_cls, inputs, saved=None, in_shapes=None, attrs=None):
    """Forward mode, after an op made ``t`` from ``inputs``: give ``t`` its tangent. ``node`` is the op's
    backward node if it recorded one; otherwise one is made here, with ``saved``, ``in_shapes`` and ``attrs``."""
    tangents = _tangents_of(inputs)
    if tangents is None:
        return
    if node is None:
        node = node_cls(tuple(TANGENT_EDGE if tg is not None else None for tg in tangents))
        node.forward_only = True
        if saved is not None:
            node.saved = saved
            node.versions = _versions(saved)
        if in_shapes is not None:
            node.in_shapes = in_shapes
        if attrs:
            for k, v in attrs.items():
                setattr(node, k, v)
        node.out_shape = t._data.shape
    pending = t._tangent_pending = (node, tangents, _grad_mode.enabled)  # worked out later in the grad mode of now
    _fw.duals.append(weakref.ref(t))
    alias = node.out_alias
    if alias is not None and alias._data is t._data:
        # the output the node saved for its backward carries the same tangent: a backward run on dual tensors
        # (forward-over-reverse, ``jacfwd(jacrev(f))``) then differentiates the saved output too
        alias._tangent_pending = pending
        _fw.duals.append(weakref.ref(alias))


def _edge(t):
    """The graph edge that carries a gradient to tensor ``t`` (``None`` if it needs none)."""
    if t._requires_grad:
        fn = t.grad_fn
        if fn is None:
            return t
        nr = t._output_nr
        return (fn, nr) if nr else fn
    return None


def _edges(inputs) -> tuple:
    """The edges of a node on ``inputs`` (None entries: operands that are numbers): ``_edge`` of each, in one loop."""
    out = []
    for x in inputs:
        if x is None or not x._requires_grad:
            out.append(None)
        else:
            fn = x.grad_fn
            out.append(x if fn is None else fn if not x._output_nr else (fn, x._output_nr))
    return tuple(out)


def _versions(saved) -> tuple:
    """The version of each saved tensor (None for other saved values), as backward checks them."""
    out = []
    for s in saved:
        if isinstance(s, Tensor):
            vc = s._version_counter
            out.append(vc[0] if vc is not None else 0)
        else:
            out.append(None)
    return tuple(out)


def _wrap_result(arr, node_cls, inputs, saved=None, in_shapes=None, **attrs):
    """Wrap ``arr`` and, when recording and some input requires grad, attach a ``node_cls`` node."""
    if type(arr) is not _ndarray and not isinstance(arr, _ndarray):  # NumPy scalars; a meta array stays one
        arr = np.asarray(arr)
    t = _new(Tensor)  # _wrap(arr), without its frame
    t._data = arr
    if _grad_mode.inference:
        t._inference = True
    if _grad_mode.enabled:
        for x in inputs:
            if x is not None and x._requires_grad:
                break
        else:
            if _fw.level is not None:
                _forward(t, None, node_cls, inputs, saved, in_shapes, attrs)
            return t
        node = node_cls(_edges(inputs))
        if saved is not None:
            node.saved = saved
            node.versions = _versions(saved)
        if in_shapes is not None:
            node.in_shapes = in_shapes
        for k, v in attrs.items():
            setattr(node, k, v)
        node.out_shape = arr.shape
        t.grad_fn = node
        t._requires_grad = True
        if _fw.level is not None:
            _forward(t, node, node_cls, inputs)
    elif _fw.level is not None:
        _forward(t, None, node_cls, inputs, saved, in_shapes, attrs)
    return t


def _record_on_result(t, node_cls, inputs, saved=None, versions=None, **attrs):
    """Record ``node_cls`` for the already-wrapped result ``t`` (backward and/or forward mode), with explicit saved
    versions (None where a saved value's later changes do not matter); returns the node or None."""
    if _grad_mode.enabled:
        for x in inputs:
            if x is not None and x._requires_grad:
                node = node_cls(_edges(inputs))
                break
        else:
            node = _forward_node(node_cls, inputs)
    else:
        node = _forward_node(node_cls, inputs)
    if node is None:
        return None
    if saved is not None:
        node.saved = saved
        node.versions = versions if versions is not None else _versions(saved)
    for k, v in attrs.items():
        setattr(node, k, v)
    node.out_shape = t._data.shape
    if not node.forward_only:
        t.grad_fn = node
        t._requires_grad = True
    if _fw.level is not None:
        _forward(t, node, node_cls, inputs)
    return node


def _saved_output(node, t):
    """What a node keeps of its own output: an alias sharing data and version counter but not ``grad_fn``,
    so output -> node -> output is no reference cycle (graphs die by refcount, not by the GC).
    ``Node.saved_values`` reconnects it to the node when backward itself is recorded (create_graph)."""
    a = _wrap(t._data)
    if t._version_counter is None:
        t._version_counter = [0]
    a._version_counter = t._version_counter
    node.out_alias = a
    return a


def _record(t, node):
    node.out_shape = t._data.shape
    t.grad_fn = node
    t._requires_grad = True
    return t


def _requires(*xs) -> bool:
    """Whether an op on ``xs`` must record: grad mode on and an input requiring grad, or (forward mode) an input
    carrying a tangent."""
    if _grad_mode.enabled:
        for x in xs:
            if isinstance(x, Tensor) and x._requires_grad:
                return True
    return _fw.level is not None and _tangents_of(xs) is not None


def _need(node, i) -> bool:
    return node.next[i] is not None


def zeros_like_shape(g, shape):
    """zeros of ``shape`` with g's dtype (a constant: no graph)"""
    return _wrap(np.zeros(shape, dtype=g._data.dtype))


def zeros_like(x, dtype=None):
    return _wrap(np.zeros(x.shape, dtype=x._data.dtype if dtype is None else dtype.np))


def ones_like(x, dtype=None):
    return _wrap(np.ones(x.shape, dtype=x._data.dtype if dtype is None else dtype.np))


def arange(n):
    return _wrap(np.arange(n, dtype=np.int64))


class ZeroDerivativeBackward(Node):
    """z = b(g, x): the backward of an op whose backward depends on x only through indices (max pooling's argmax, a
    loss's target positions) or not at all (an average pool's or a pad's linear map), so z is linear in g and
    piecewise constant in x:  dz/dx = 0. PyTorch's backward function takes x, so under create_graph z requires
    grad whenever x does, even when g does not; the engine records this node then (``Node.zero_double``), with edges (g: none, x). When g
    requires grad, the backward's own ops are recorded instead and carry dz/dg."""

    def backward(self, gg):
        return (None, _wrap(np.zeros(self.out_shape, dtype=gg._data.dtype)))


def keep_input_edges(node, in_grads) -> tuple:
    """The engine, under create_graph, after ``node.backward(g)`` for a node that declares ``zero_double``: each
    gradient that requires no grad, for an input that does, becomes a tensor recorded as ``node.zero_double``."""
    out = None
    for i, gi in enumerate(in_grads):
        e = node.next[i]
        if gi is None or e is None or gi._requires_grad:
            continue
        z = _wrap(gi._data)  # a new tensor: the backward may have returned one it holds elsewhere
        dn = node.zero_double((None, e))
        dn.out_shape = gi._data.shape
        z.grad_fn, z._requires_grad = dn, True
        if out is None:
            out = list(in_grads)
        out[i] = z
    return in_grads if out is None else tuple(out)
