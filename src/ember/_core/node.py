"""Graph nodes: the ``grad_fn`` objects that make up the backward graph.

A ``Node`` is created by an operation that had an input requiring grad. It holds

* ``next``: one edge per differentiable input of the op. An edge is ``None`` (that input needs no grad),
  a ``Node`` (the input was computed; its grad goes to that node's output 0), a ``(Node, k)`` tuple (output
  ``k`` of a multi-output node), or a leaf ``Tensor`` (the grad accumulates into its ``.grad``).
* ``saved``: the tensors its backward formula needs, released after backward unless ``retain_graph``.
* ``in_shapes``: set only when the forward broadcast its inputs; the engine then sums each gradient back to
  its input's shape. That is the one place broadcasting is undone. An entry is None for an input that was not
  broadcast (addmm's matrices beside its broadcast bias).

Subclasses implement ``backward(self, grad) -> tuple`` with one gradient (or ``None``) per edge, written
with ember's own tensor ops so that ``create_graph=True`` can differentiate them again.
"""

from __future__ import annotations

import itertools
import re
import weakref

from . import modes

__all__ = ["_own_raw", "accumulate_grad_of", "AccumulateGrad", "FREED", "Node", "_RemovableHandle", "_type_name"]

_seq = itertools.count()


class _Freed:
    """Marks a node whose saved tensors were released by a backward pass."""

    __slots__ = ()

    def __repr__(self):
        return "<freed>"


FREED = _Freed()

_FREED_MESSAGE = (
    "Trying to backward through the graph a second time (or directly access saved tensors after they have "
    "already been freed). Saved intermediate values of the graph are freed when you call .backward() or "
    "autograd.grad(). Specify retain_graph=True if you need to backward through the graph a second time or "
    "if you need to access saved tensors after calling backward.")


_saved_state = modes.saved
_anomaly = modes.anomaly
_grad = modes.grad


class _Packed:
    """What a node saved, as a ``saved_tensors_hooks`` pack hook returned it (tensors only; other values as they
    were), with the unpack hook that gives the tensors back when backward needs them."""

    __slots__ = ("items", "is_tensor", "unpack")

    def __init__(self, values, pack, unpack):
        self.is_tensor = tuple(hasattr(v, "_data") and hasattr(v, "grad_fn") for v in values)
        hooks, _saved_state.hooks = _saved_state.hooks, []  # what the pack hook itself computes is not packed
        try:
            self.items = tuple(pack(v) if t else v for v, t in zip(values, self.is_tensor))
        finally:
            _saved_state.hooks = hooks
        self.unpack = unpack

    def unpacked(self) -> tuple:
        out = []
        for v, t in zip(self.items, self.is_tensor):
            if t:
                v = self.unpack(v)
                if not (hasattr(v, "_data") and hasattr(v, "grad_fn")):
                    raise TypeError("Output of saved tensor unpack_hook expected to be a Tensor but got result of "
                                    f"type {type(v).__name__}")
            out.append(v)
        return tuple(out)

    def __iter__(self):
        return iter(self.items)

    def __len__(self):
        return len(self.items)


class Node:
    """A function in the backward graph (``x.grad_fn``)."""

    # class-level defaults keep node creation to a few attribute stores
    next: tuple = ()
    _saved = None  # see the ``saved`` property
    versions = None
    in_shapes = None
    n_outputs = 1
    _pre_hooks = None
    _hooks = None
    tensor_hooks = None  # {output index: {key: hook}}: hooks registered on non-leaf outputs (register_hook, retain_grad)
    trace = None
    _metadata = None
    out_alias = None  # the saved alias of this node's own output, if backward needs it
    out_shape = None  # the shape of output 0, recorded when the node is attached (the graph drawer reads it)
    out_shapes = None  # every output's shape, for nodes with several outputs
    forward_only = False  # made for forward-mode AD only: no tensor has it as grad_fn, backward never walks it
    # the node (a ZeroDerivativeBackward) PyTorch records for this node's backward under create_graph when the
    # gradient g requires no grad: the backward's result still depends on the input (with a zero derivative)
    zero_double = None

    def __init__(self, next_edges: tuple):
        self.next = next_edges
        self.seq = next(_seq)
        if _anomaly.enabled:
            self.trace = modes.capture_stack()

    @property
    def saved(self):
        """The tensors (and values) the backward formula needs; a ``_Packed`` while saved-tensor hooks hold them."""
        return self._saved

    @saved.setter
    def saved(self, value):
        hooks = _saved_state.hooks
        if hooks and value is not None and value is not FREED:
            value = _Packed(value, *hooks[-1])  # autograd.graph.saved_tensors_hooks: pack now, unpack in backward
        self._saved = value

    # -- what the engine calls -------------------------------------------------------------------------
    def backward(self, grad):  # pragma: no cover - every subclass defines it
        raise NotImplementedError

    # First order (no create_graph, no forward mode, no hook on the node): the engine calls
    # ``backward_raw(g)`` with g a bare ndarray when the class defines it, and wants bare ndarrays back (or
    # None: "not this case", then ``backward`` runs on g wrapped). It is the same formula as ``backward`` on the
    # arrays, with the same NumPy calls (so the same digits), minus the tensors: an intermediate gradient of a
    # first-order backward is never seen by anyone.
    backward_raw = None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        _own_raw(cls)

    def jvp(self, *tangents):
        """Forward mode: the output's tangent J ẋ from one tangent per input (None where an input has none).
        Nodes that do not define it get one derived from ``backward`` (see ``autograd.forward_ad``)."""
        raise NotImplementedError

    forward_ad = True  # False: PyTorch has no forward rule for this op, and forward mode raises its error

    def saved_values(self):
        """The saved tuple, after checking it was neither freed nor modified in place since the forward."""
        saved = self._saved
        if saved is FREED:
            raise RuntimeError(_FREED_MESSAGE)
        if type(saved) is _Packed:  # the hooks' copies carry no version of the originals to check
            return saved.unpacked()
        versions = self.versions
        if versions is not None:
            for t, v in zip(saved, versions):
                if v is not None:
                    vc = t._version_counter  # t._version, read without the property's frame
                    if (vc[0] if vc is not None else 0) != v:
                        err = RuntimeError(_inplace_message(self, t, v))
                        # ember's hint goes in a note: shown in tracebacks, but str(err) stays PyTorch's message
                        err.add_note(_inplace_hint(self, t))
                        raise err
        alias = self.out_alias
        if alias is not None and _grad.enabled and alias.grad_fn is None and not self.forward_only:
            # create_graph: the saved output must lead back to this node to be differentiated again
            alias.grad_fn = self
            alias._requires_grad = True
        return saved

    def release(self):
        if self._saved is not None:
            self._saved = FREED
            self.out_alias = None

    # -- PyTorch's introspection API -----------------------------------------------------------------------
    def name(self) -> str:
        return type(self).__name__

    def output_shape(self, k: int = 0):
        """The shape of output ``k`` as recorded in the forward (None if it was not recorded)."""
        if self.out_shapes is not None:
            return self.out_shapes[k]
        return self.out_shape if k == 0 else None

    @property
    def next_functions(self) -> tuple:
        out = []
        for e in self.next:
            if e is None:
                out.append((None, 0))
            elif isinstance(e, Node):
                out.append((e, 0))
            elif type(e) is tuple:
                out.append(e)
            else:  # a leaf tensor
                out.append((accumulate_grad_of(e), 0))
        return tuple(out)

    @property
    def metadata(self) -> dict:
        if self._metadata is None:
            self._metadata = {}
        return self._metadata

    def register_hook(self, fn):
        """``fn(grad_inputs, grad_outputs)`` runs after this node computes its input gradients."""
        if self._hooks is None:
            self._hooks = []
        self._hooks.append(fn)
        return _RemovableHandle(self._hooks, fn)

    def register_prehook(self, fn):
        """``fn(grad_outputs)`` runs before this node, and may return replacement gradients."""
        if self._pre_hooks is None:
            self._pre_hooks = []
        self._pre_hooks.append(fn)
        return _RemovableHandle(self._pre_hooks, fn)

    def __call__(self, *grads):
        return self.backward(grads[0] if len(grads) == 1 else grads)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} object at {hex(id(self))}>"


def _own_raw(cls):
    """A node class that writes its own ``backward`` inherits no ``backward_raw``: the array formula is the
    parent's, for the parent's backward."""
    if "backward" in vars(cls) and "backward_raw" not in vars(cls):
        cls.backward_raw = None


class AccumulateGrad(Node):
    """The sink for a leaf tensor: adds the incoming gradient into ``variable.grad``."""

    def __init__(self, variable):
        self.variable = variable
        self.next = ()
        self.seq = -1

    def backward(self, grad):
        return ()

    def name(self) -> str:
        return "torch::autograd::AccumulateGrad"  # PyTorch's name() for it: the C++ class name


_accumulators: weakref.WeakValueDictionary = weakref.WeakValueDictionary()


def accumulate_grad_of(t) -> AccumulateGrad:
    """The (stable, while alive) AccumulateGrad node of a leaf tensor, as ``next_functions`` shows it."""
    acc = _accumulators.get(id(t))
    if acc is None or acc.variable is not t:
        acc = AccumulateGrad(t)
        _accumulators[id(t)] = acc
    return acc


class _RemovableHandle:
    __slots__ = ("_list", "_fn")

    def __init__(self, lst, fn):
        self._list, self._fn = lst, fn

    def remove(self):
        try:
            self._list.remove(self._fn)
        except ValueError:
            pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()


# type(handle) prints as PyTorch's <class 'torch.utils.hooks.RemovableHandle'> (the one class all its registrations
# return); isinstance against ember.utils.hooks.RemovableHandle holds through its virtual subclasses
_RemovableHandle.__name__ = _RemovableHandle.__qualname__ = "RemovableHandle"
_RemovableHandle.__module__ = "torch.utils.hooks"


def _inplace_message(node, t, v) -> str:
    shape = "[" + ", ".join(str(s) for s in t.shape) + "]"
    msg = ("one of the variables needed for gradient computation has been modified by an inplace operation: "
           f"[{_type_name(t)} {shape}]")
    # PyTorch names the op that produced the saved value, without the "Backward0"; constants and leaves get none
    producer = node if t is getattr(node, "out_alias", None) else t.grad_fn
    if producer is not None:
        msg += f", which is output {t._output_nr} of {re.sub(r'Backward[0-9]*$', '', producer.name())},"
    msg += (f" is at version {t._version}; expected version {v} instead. Hint: enable anomaly detection to "
            "find the operation that failed to compute its gradient, with "
            "torch.autograd.set_detect_anomaly(True, check_nan=False).")
    return msg


def _inplace_hint(node, t) -> str:
    site = getattr(t, "_modified_at", None)
    return (f"(ember: {node.name()} saved this tensor for its backward and it was modified in place "
            f"afterwards{' at ' + site if site else ''}; use an out-of-place op (y = y * 2, not y.mul_(2)) or "
            "modify a .clone())")


_TYPE_NAMES = {"float32": "FloatTensor", "float64": "DoubleTensor", "float16": "HalfTensor",
               "int64": "LongTensor", "int32": "IntTensor", "int16": "ShortTensor", "int8": "CharTensor",
               "uint8": "ByteTensor", "bool": "BoolTensor", "bfloat16": "BFloat16Tensor"}


def _type_name(t) -> str:
    return "torch." + _TYPE_NAMES.get(t.dtype.name, "Tensor")
