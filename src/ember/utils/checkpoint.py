"""``torch.utils.checkpoint``: trade compute for memory by running a piece of the forward again in backward.

Both of PyTorch's variants, with its warnings and checks:

* ``use_reentrant=True``: the forward runs without recording (nothing of it is kept but its inputs); the
  output's ``grad_fn`` is one ``CheckpointFunctionBackward`` node, whose backward runs the function again with
  recording on and backpropagates through that fresh graph (a backward pass inside the backward pass).
  As in PyTorch, if no tensor input requires grad, nothing inside gets gradients.
* ``use_reentrant=False``: the forward records its graph as usual, so the outputs carry the real nodes
  (``AddmmBackward0`` ...), then every node recorded by the function drops the tensors it saved for its
  backward. The first of them that backward reaches runs the function again; the recomputed graph has the
  same shape, so each original node takes the saved tensors of its twin, and backward goes on through the
  original graph. Parameters used inside get their gradients whether or not the inputs require grad.

Both replay the random stream of the forward (``preserve_rng_state``), so dropout masks repeat.
"""

from __future__ import annotations

import contextlib
import warnings

from .. import random as _random
from .._core.node import Node
from .._core.tensor import Tensor
from ..autograd import backward as _backward
from ..autograd.function import Function
from ..autograd.grad_mode import enable_grad, no_grad

__all__ = ["checkpoint", "checkpoint_sequential", "CheckpointError", "CheckpointFunction", "noop_context_fn",
           "detach_variable"]


class CheckpointError(RuntimeError):
    """The recomputation did not reproduce the forward (a different graph)."""


def noop_context_fn():
    """The default ``context_fn``: no context around the forward or its recomputation."""
    return contextlib.nullcontext(), contextlib.nullcontext()


def detach_variable(inputs: tuple) -> tuple:
    """Each tensor detached, keeping its ``requires_grad``; other values unchanged."""
    if not isinstance(inputs, tuple):
        raise RuntimeError(f"Only tuple of tensors is supported. Got Unsupported input type: {type(inputs).__name__}")
    out = []
    for x in inputs:
        if isinstance(x, Tensor):
            d = x.detach()
            d.requires_grad = x.requires_grad
            out.append(d)
        else:
            out.append(x)
    return tuple(out)


@contextlib.contextmanager
def _rng_as_in_forward(state):
    """Run a block with the random stream where the forward found it, then put it back."""
    if state is None:
        yield
        return
    now = _random.get_rng_state()
    _random.set_rng_state(state)
    try:
        yield
    finally:
        _random.set_rng_state(now)


# -- use_reentrant=True ---------------------------------------------------------------------------------------

class CheckpointFunction(Function):
    """forward: run the function without recording; backward: run it again with recording and backpropagate."""

    @staticmethod
    def forward(ctx, run_function, preserve_rng_state, *args):
        ctx.run_function = run_function
        ctx.rng_state = _random.get_rng_state() if preserve_rng_state else None
        ctx.inputs = [None if isinstance(a, Tensor) else a for a in args]
        ctx.tensor_indices = [i for i, a in enumerate(args) if isinstance(a, Tensor)]
        ctx.save_for_backward(*(a for a in args if isinstance(a, Tensor)))
        with no_grad():
            return run_function(*args)

    @staticmethod
    def backward(ctx, *grad_outputs):
        inputs = list(ctx.inputs)
        for i, t in zip(ctx.tensor_indices, ctx.saved_tensors):
            inputs[i] = t
        detached = detach_variable(tuple(inputs))
        with _rng_as_in_forward(ctx.rng_state), enable_grad():
            outputs = ctx.run_function(*detached)
        if isinstance(outputs, Tensor):
            outputs = (outputs,)
        pairs = [(o, g) for o, g in zip(outputs, grad_outputs) if isinstance(o, Tensor) and o.requires_grad]
        if not pairs:
            raise RuntimeError("none of output has requires_grad=True, this checkpoint() is not necessary")
        _backward([o for o, _ in pairs], [g for _, g in pairs])
        grads = tuple(d.grad if isinstance(d, Tensor) else None for d in detached)
        return (None, None) + grads


def _checkpoint_reentrant(function, preserve, *args):
    if not any(isinstance(a, Tensor) and a.requires_grad for a in args):
        warnings.warn("None of the inputs have requires_grad=True. Gradients will be None", stacklevel=3)
    return CheckpointFunction.apply(function, preserve, *args)


# -- use_reentrant=False --------------------------------------------------------------------------------------

def _edges(node) -> list:
    """The nodes ``node``'s edges lead to, in edge order (None for a leaf or an absent edge)."""
    out = []
    for e in node.next:
        if type(e) is tuple:
            e = e[0]
        out.append(e if isinstance(e, Node) else None)
    return out


def _twins(first: list, second: list) -> list:
    """Pair each node recorded by the forward with its twin in the recomputed graph.

    Both walks start at the outputs' nodes and follow edges in the same order; they stop where both graphs
    reach the same object (a node that existed before the function ran, shared by both)."""
    pairs, seen, stack = [], set(), list(zip(first, second))
    while stack:
        a, b = stack.pop()
        if a is b or a is None or id(a) in seen:
            continue
        if b is None or a.__dict__.get("_checkpoint_cls", type(a)) is not type(b) or len(a.next) != len(b.next):
            raise CheckpointError("torch.utils.checkpoint: Recomputed values for the following tensors have "
                                  "different metadata than during the forward pass (the function did not record "
                                  "the same operations when it ran again)")
        seen.add(id(a))
        pairs.append((a, b))
        stack.extend(zip(_edges(a), _edges(b)))
    return pairs


class _Segment:
    """One non-reentrant checkpointed call: what it needs to run again and the nodes waiting for it."""

    def __init__(self, function, args, kwargs, rng_state, recompute_ctx, outputs):
        self.function, self.args, self.kwargs = function, args, kwargs
        self.rng_state, self.recompute_ctx = rng_state, recompute_ctx
        self.output_nodes = [o.grad_fn for o in outputs]
        self.waiting: list = []

    def restore(self) -> None:
        """Recompute the function and hand each waiting node its twin's saved tensors."""
        with _rng_as_in_forward(self.rng_state), enable_grad(), self.recompute_ctx:
            again = self.function(*self.args, **self.kwargs)
        again = [o for o in _flat_tensors(again) if o.grad_fn is not None]
        for node, twin in _twins(self.output_nodes, [o.grad_fn for o in again]):
            cls = node.__dict__.get("_checkpoint_cls")
            if cls is not None:
                node.__class__ = cls
                del node._checkpoint_cls, node._checkpoint_segment
                node.saved, node.versions = twin.saved, twin.versions
                if twin.out_alias is not None:
                    node.out_alias = twin.out_alias
        stuck = [n for n in self.waiting if "_checkpoint_cls" in n.__dict__]
        for node in stuck:
            node.__class__ = node._checkpoint_cls
            del node._checkpoint_cls, node._checkpoint_segment
        self.waiting.clear()
        if stuck:
            raise CheckpointError("torch.utils.checkpoint: the checkpointed function used a tensor with a graph "
                                  "that it did not receive as an argument; ember cannot recompute its saved "
                                  "tensors (pass that tensor to checkpoint() as an argument)")


_WAITING: dict = {}


def _waiting_class(cls):
    """A subclass of node class ``cls`` with the same name whose first ``saved_values()`` recomputes."""
    sub = _WAITING.get(cls)
    if sub is None:
        def saved_values(self):
            self._checkpoint_segment.restore()
            return self.saved_values()
        sub = _WAITING[cls] = type(cls.__name__, (cls,), {"saved_values": saved_values,
                                                          "__qualname__": cls.__qualname__,
                                                          "__module__": cls.__module__})
    return sub


def _flat_tensors(value) -> list:
    if isinstance(value, Tensor):
        return [value]
    if isinstance(value, (tuple, list)):
        return [t for v in value for t in _flat_tensors(v)]
    if isinstance(value, dict):
        return [t for v in value.values() for t in _flat_tensors(v)]
    return []


def _checkpoint_non_reentrant(function, preserve, context_fn, args, kwargs):
    rng_state = _random.get_rng_state() if preserve else None
    forward_ctx, recompute_ctx = context_fn()
    with forward_ctx:
        out = function(*args, **kwargs)
    outputs = [o for o in _flat_tensors(out) if o.grad_fn is not None]
    if not outputs:
        return out
    segment = _Segment(function, args, kwargs, rng_state, recompute_ctx, outputs)
    # the nodes the function recorded: everything reachable from the outputs that no input leads to already
    before = {id(a.grad_fn) for a in _flat_tensors((args, kwargs)) if a.grad_fn is not None}
    stack, seen = list(segment.output_nodes), set()
    while stack:
        node = stack.pop()
        if node is None or id(node) in seen or id(node) in before:
            continue
        seen.add(id(node))
        if node.saved is not None:  # drop what it saved; its first use recomputes the segment
            node._checkpoint_cls = type(node)
            node._checkpoint_segment = segment
            node.__class__ = _waiting_class(type(node))
            node.saved = None
            segment.waiting.append(node)
        stack.extend(_edges(node))
    return out


# -- the public functions ----------------------------------------------------------------------------------------

def checkpoint(function, *args, use_reentrant: bool | None = None, context_fn=noop_context_fn,
               determinism_check: str = "default", debug: bool = False, early_stop: bool = True, **kwargs):
    """``function(*args, **kwargs)``, keeping none of its intermediate results: backward runs it again."""
    if use_reentrant is None:
        warnings.warn("torch.utils.checkpoint: the use_reentrant parameter should be passed explicitly. Starting "
                      "in PyTorch 2.9, calling checkpoint without use_reentrant will raise an exception. "
                      "use_reentrant=False is recommended, but if you need to preserve the current default "
                      "behavior, you can pass use_reentrant=True. Refer to docs for more details on the "
                      "differences between the two variants.", stacklevel=2)
        use_reentrant = True
    preserve = kwargs.pop("preserve_rng_state", True)
    if kwargs and use_reentrant:
        raise ValueError("Unexpected keyword arguments: " + ",".join(arg for arg in kwargs))
    if use_reentrant:
        if context_fn is not noop_context_fn or debug is not False:
            raise ValueError("Passing `context_fn` or `debug` is only supported when use_reentrant=False.")
        return _checkpoint_reentrant(function, preserve, *args)
    return _checkpoint_non_reentrant(function, preserve, context_fn, args, kwargs)


def checkpoint_sequential(functions, segments: int, input, use_reentrant: bool | None = None, **kwargs):
    """Run a sequence of modules in ``segments`` checkpointed pieces (the last piece is not checkpointed)."""
    if use_reentrant is None:
        warnings.warn("torch.utils.checkpoint.checkpoint_sequential: the use_reentrant parameter should be passed "
                      "explicitly. In version 2.9 we will raise an exception if use_reentrant is not passed. "
                      "use_reentrant=False is recommended, but if you need to preserve the current default "
                      "behavior, you can pass use_reentrant=True. Refer to docs for more details on the "
                      "differences between the two variants.", stacklevel=2)
        use_reentrant = True
    preserve = kwargs.pop("preserve_rng_state", True)
    if kwargs:
        raise ValueError("Unexpected keyword arguments: " + ",".join(arg for arg in kwargs))

    def run(start, end):
        def forward(x):
            for j in range(start, end + 1):
                x = functions[j](x)
            return x
        return forward

    if hasattr(functions, "children") and callable(functions.children):  # an nn.Sequential
        functions = list(functions.children())
    size = len(functions) // segments
    end = -1
    for start in range(0, size * (segments - 1), size):
        end = start + size - 1
        input = checkpoint(run(start, end), input, use_reentrant=use_reentrant, preserve_rng_state=preserve)
    return run(end + 1, len(functions) - 1)(input)
