"""``torch.autograd.graph``: the graph's node class, gradient edges, and hooks on what the graph saves.

``saved_tensors_hooks(pack, unpack)``: while it is in force (in this thread), every tensor a node saves for its
backward goes through ``pack`` at once, and the node keeps only what ``pack`` returned; backward calls ``unpack`` on
it to get a tensor back. That is how activations can be moved off the device, compressed or recomputed:
``save_on_cpu`` is the simplest such pair.
"""

from __future__ import annotations

from collections import namedtuple

from .._core import modes
from .._core.node import Node, accumulate_grad_of
from .._core.tensor import Tensor

__all__ = ["Node", "GradientEdge", "get_gradient_edge", "saved_tensors_hooks", "save_on_cpu",
           "disable_saved_tensors_hooks", "register_multi_grad_hook", "increment_version"]

_saved = modes.saved

GradientEdge = namedtuple("GradientEdge", ("node", "output_nr"))
GradientEdge.__doc__ = "Where a gradient goes in the graph: output ``output_nr`` of ``node``."
GradientEdge.__module__ = "torch.autograd.graph"


def get_gradient_edge(tensor: Tensor) -> GradientEdge:
    """The edge that carries ``tensor``'s gradient: its grad_fn (or a leaf's AccumulateGrad) and output number."""
    if not tensor.requires_grad:
        raise RuntimeError("It is not possible to get the gradient edge for a Tensor that does not require gradients")
    if tensor.grad_fn is None:
        return GradientEdge(accumulate_grad_of(tensor), 0)
    return GradientEdge(tensor.grad_fn, tensor._output_nr)


class saved_tensors_hooks:  # noqa: N801  (PyTorch's name)
    """``with saved_tensors_hooks(pack, unpack):`` nodes made inside keep ``pack(t)`` for each tensor t they save;
    backward gets ``unpack(packed)`` back (per thread; the innermost pair wins)."""

    def __init__(self, pack_hook, unpack_hook):
        self.pack_hook, self.unpack_hook = pack_hook, unpack_hook

    def __enter__(self):
        if _saved.disabled is not None:
            raise RuntimeError(_saved.disabled)
        _saved.hooks.append((self.pack_hook, self.unpack_hook))
        return self

    def __exit__(self, *exc):
        _saved.hooks.pop()
        return False


class save_on_cpu(saved_tensors_hooks):  # noqa: N801
    """Saved tensors are kept on the CPU (where ember's tensors already live: a copy, as PyTorch makes one)."""

    def __init__(self, pin_memory: bool = False, device_type: str = "cuda"):
        super().__init__(lambda t: (t.device, t.detach().clone()), lambda packed: packed[1].to(packed[0]))


class disable_saved_tensors_hooks:  # noqa: N801
    """Inside it, entering ``saved_tensors_hooks`` raises RuntimeError(error_message)."""

    def __init__(self, error_message: str):
        self.error_message = error_message

    def __enter__(self):
        self.previous, _saved.disabled = _saved.disabled, self.error_message
        return self

    def __exit__(self, *exc):
        _saved.disabled = self.previous
        return False

    def __call__(self, fn):
        def wrapper(*args, **kwargs):
            with disable_saved_tensors_hooks(self.error_message):
                return fn(*args, **kwargs)
        return wrapper


class _MultiHandle:
    def __init__(self, handles):
        self.handles = handles

    def remove(self):
        for h in self.handles:
            h.remove()


def register_multi_grad_hook(tensors, fn, *, mode: str = "all"):
    """``fn`` runs once per backward pass: with every tensor's gradient (None where none was computed) in mode
    "all", or with the first gradient computed in mode "any"."""
    if mode not in ("all", "any"):
        raise ValueError(f"Expects mode to be one of ('all', 'any') but got {mode}")
    tensors = tuple(tensors)
    count = sum(1 for t in tensors if t.requires_grad)
    state = {"grads": [None] * len(tensors), "seen": 0, "fired": False}

    def make(i):
        def hook(g):
            if mode == "any":
                if not state["fired"]:
                    state["fired"] = True
                    fn(g)
                return None
            state["grads"][i] = g
            state["seen"] += 1
            if state["seen"] == count:
                grads, state["grads"], state["seen"] = tuple(state["grads"]), [None] * len(tensors), 0
                fn(grads)
            return None
        return hook
    return _MultiHandle([t.register_hook(make(i)) for i, t in enumerate(tensors) if t.requires_grad])


def increment_version(tensor) -> None:
    """Mark ``tensor`` (or each of a list) as modified in place, as an op writing into it would."""
    for t in tensor if isinstance(tensor, (list, tuple)) else (tensor,):
        t._bump()
