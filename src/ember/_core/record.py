"""Recording an op: wrap its result and attach its graph node (when grad mode is on and an input requires grad)."""

from __future__ import annotations

from .._array import np
from .._core import modes
from .tensor import Tensor, _wrap

_gm = modes.grad
_ndarray = np.ndarray


def _edge(t):
    """The graph edge that carries a gradient to tensor ``t`` (``None`` if it needs none)."""
    if t._rg:
        fn = t.grad_fn
        if fn is None:
            return t
        nr = t._output_nr
        return (fn, nr) if nr else fn
    return None


def _out(arr, node_cls, inputs, saved=None, in_shapes=None, **attrs):
    """Wrap ``arr`` and, when recording and some input requires grad, attach a ``node_cls`` node."""
    if type(arr) is not _ndarray and not isinstance(arr, _ndarray):  # NumPy scalars; a meta array stays one
        arr = np.asarray(arr)
    t = _wrap(arr)
    if _gm.enabled:
        for x in inputs:
            if x is not None and x._rg:
                break
        else:
            return t
        node = node_cls(tuple(_edge(x) if x is not None else None for x in inputs))
        if saved is not None:
            node.saved = saved
            node.versions = tuple(s._version if isinstance(s, Tensor) else None for s in saved)
        if in_shapes is not None:
            node.in_shapes = in_shapes
        for k, v in attrs.items():
            setattr(node, k, v)
        t.grad_fn = node
        t._rg = True
    return t


def _saved_output(node, t):
    """What a node keeps of its own output: an alias sharing data and version counter but not ``grad_fn``,
    so output -> node -> output is no reference cycle (graphs die by refcount, not by the GC).
    ``Node.saved_values`` reconnects it to the node when backward itself is recorded (create_graph)."""
    a = _wrap(t._data)
    if t._vc is None:
        t._vc = [0]
    a._vc = t._vc
    node.out_alias = a
    return a


_RENAMED: dict = {}


def _renamed(t, name: str):
    """Give ``t``'s node PyTorch's name for a composite op (same backward; only ``grad_fn.name()`` changes)."""
    node = t.grad_fn
    if node is not None:
        base = type(node)
        cls = _RENAMED.get((base, name))
        if cls is None:
            cls = _RENAMED[(base, name)] = type(name, (base,), {})
        node.__class__ = cls
    return t


def _record(t, node):
    t.grad_fn = node
    t._rg = True
    return t


def _requires(*xs) -> bool:
    if not _gm.enabled:
        return False
    for x in xs:
        if isinstance(x, Tensor) and x._rg:
            return True
    return False


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
