"""``torch.cond`` and ``torch.while_loop`` as PyTorch runs them eagerly: the branch (or the loop) is run as Python.

PyTorch checks the arguments, then (for a tensor predicate) compiles the call; its outputs are new tensors whose
``grad_fn`` is ``CondAutogradOpBackward`` / ``WhileLoopAutogradOpBackward``, the gradient passing through to
what the branch (each iteration) computed. ember has no compiler to capture the branches, so it runs the one
taken and puts the same pass-through node on top. (The branch not taken is not run, so ember does not check,
as PyTorch's tracing does, that both branches give outputs of the same structure, shapes and dtypes.)
"""

from __future__ import annotations

from ._core.tensor import Tensor
from .autograd.function import Function

__all__ = ["cond", "while_loop"]


def _leaves(tree) -> list:
    """The leaves of a nested dict/list/tuple, in order."""
    if isinstance(tree, (tuple, list)):
        return [leaf for item in tree for leaf in _leaves(item)]
    if isinstance(tree, dict):
        return [leaf for item in tree.values() for leaf in _leaves(item)]
    return [tree]


def _rebuild(tree, values):
    """``tree`` with its tensor leaves replaced, in order, by ``values`` (an iterator)."""
    if isinstance(tree, (tuple, list)):
        return type(tree)(_rebuild(item, values) for item in tree)
    if isinstance(tree, dict):
        return {k: _rebuild(v, values) for k, v in tree.items()}
    return next(values) if isinstance(tree, Tensor) else tree


def _passed_through(fn_cls, tree):
    """``tree`` with each tensor leaf replaced by a new tensor: one node of ``fn_cls`` over them all."""
    tensors = [t for t in _leaves(tree) if isinstance(t, Tensor)]
    if not tensors:
        return tree
    floats = [t for t in tensors if t.is_floating_point() or t.is_complex()]  # integers carry no gradient
    through = iter(fn_cls.apply(*floats) if floats else ())
    outs = [next(through) if t.is_floating_point() or t.is_complex() else t.clone() for t in tensors]
    return _rebuild(tree, iter(outs))


class _PassThrough(Function):
    """y = x for each output (a copy), so dL/dx = dL/dy"""

    @staticmethod
    def forward(ctx, *outputs):
        return tuple(t.clone() for t in outputs)

    @staticmethod
    def backward(ctx, *grads):
        return grads


class CondAutogradOp(_PassThrough):
    """The node over torch.cond's outputs: y = x for each output, so dL/dx = dL/dy (into the branch taken)."""


class WhileLoopAutogradOp(_PassThrough):
    """The node over torch.while_loop's outputs: y = x for each, so dL/dx = dL/dy (into the last iteration)."""


def cond(pred, true_fn, false_fn, operands=()):
    """``true_fn(*operands)`` if ``pred`` else ``false_fn(*operands)``; ``pred`` a Python bool or number, or a
    one-element tensor (then the outputs are new tensors, as PyTorch's compiled call gives)."""
    if isinstance(pred, (bool, int, float)):
        return true_fn(*operands) if pred else false_fn(*operands)
    if not isinstance(pred, (bool, Tensor)):
        raise RuntimeError(f"Expected pred to be bool or tensor, but got {pred}.")
    if pred.numel() != 1:
        raise RuntimeError(f"Expected pred to be bool or single-element tensor, but got {pred}.")
    if not callable(true_fn) or not callable(false_fn):
        raise RuntimeError("Expect both branches to be callable.")
    if not isinstance(operands, (tuple, list)) or any(not isinstance(t, Tensor) for t in _leaves(operands)):
        raise RuntimeError("Expect operands to be a tuple of possibly nested dict/list/tuple that only consists of "
                           f"tensor leaves, but got {operands}.")
    out = true_fn(*operands) if bool(pred.item()) else false_fn(*operands)
    return _passed_through(CondAutogradOp, out)


def while_loop(cond_fn, body_fn, carried_inputs):
    """``carried = body_fn(*carried)`` while ``cond_fn(*carried)`` holds; the final carried values, as a tuple of
    new tensors (ints stay ints)."""
    if not callable(cond_fn) or not callable(body_fn):
        raise RuntimeError("Expect cond_fn and body_fn to be callable.")
    if isinstance(carried_inputs, Tensor):
        raise AssertionError("Can't unpack scalar tensors." if carried_inputs.ndim == 0 else
                             "while_loop's carried_inputs must be a tuple")
    flat = _leaves(carried_inputs)
    if any(not isinstance(v, (Tensor, int)) for v in flat):
        kinds = ", ".join(str(Tensor) if isinstance(v, Tensor) else str(type(v)) for v in flat)
        raise AssertionError(f"{flat} can only be of ({Tensor}, <class 'int'>, <class 'torch.SymInt'>) but got "
                             f"({kinds})")
    carried = tuple(carried_inputs)
    while True:
        go = cond_fn(*carried)
        if not (go.item() if isinstance(go, Tensor) else go):
            break
        carried = tuple(body_fn(*carried))
    return _passed_through(WhileLoopAutogradOp, carried)
