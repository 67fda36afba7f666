"""``ember.autograd.Function``: user-defined ops with ``forward(ctx, ...)`` and ``backward(ctx, *grads)``.

``apply`` runs ``forward`` with recording off, then puts one node in the graph whose backward calls the
user's ``backward``. ``ctx`` is that node, so what ``forward`` stores on it is there in ``backward``. In forward
mode ``forward`` runs on the primals and the user's ``jvp(ctx, *tangents)`` gives the outputs' tangents.
"""

from __future__ import annotations

import weakref

import numpy as np

from .._core import modes
from .._core.node import Node
from .._core.record import _edge, _tangents_of
from .._core.tensor import Tensor, _wrap
from . import grad_mode

__all__ = ["Function", "FunctionCtx", "once_differentiable"]


_grad_mode = grad_mode.state
_fw = modes.forward


class FunctionCtx(Node):
    """The ``ctx`` of a custom Function, and its node in the graph."""

    _non_diff = ()
    _materialize = True
    needs_input_grad = ()
    _dirty = ()

    def __repr__(self) -> str:  # PyTorch's Python-defined nodes print with their module path
        return f"<torch.autograd.function.{type(self).__name__} object at {hex(id(self))}>"

    def save_for_backward(self, *tensors):
        self.saved = tensors
        self.versions = tuple(t._version if isinstance(t, Tensor) else None for t in tensors)

    @property
    def saved_tensors(self):
        if self.saved is None:
            return ()
        return self.saved_values()

    def mark_non_differentiable(self, *tensors):
        self._non_diff = tuple(id(t) for t in tensors)

    def mark_dirty(self, *tensors):
        self._dirty = tensors

    def set_materialize_grads(self, value: bool):
        self._materialize = value

    def backward(self, grads):
        if self.n_outputs == 1:
            grads = (grads,)
        if self._materialize:
            grads = tuple(g if g is not None else _zeros(self._out_meta[i]) for i, g in enumerate(grads))
        res = self._fn_cls.backward(self, *grads)
        if not isinstance(res, tuple):
            res = (res,)
        n = self._n_args
        if len(res) != n and (len(res) < n or any(g is not None for g in res[n:])):
            raise RuntimeError(f"function {type(self).__name__} returned an incorrect number of gradients "
                               f"(expected {n}, got {len(res)})")
        if len(self._input_map) != n:
            tensor_pos = set(self._input_map)
            for i in range(n):
                if i not in tensor_pos and res[i] is not None:
                    raise RuntimeError(f"function {type(self).__name__} returned a gradient different than None at "
                                       f"position {i + 1}, but the corresponding forward input was not a Variable")
        # keep only the gradients of tensor inputs, in edge order
        return tuple(res[i] for i in self._input_map)


def _zeros(meta):

    shape, dtype = meta
    return _wrap(np.zeros(shape, dtype=dtype))


class _FunctionMeta(type):
    def __init__(cls, name, bases, attrs):
        super().__init__(name, bases, attrs)
        # the node type is named after the function: `<MyFnBackward object ...>`
        cls._backward_cls = type(name + "Backward", (FunctionCtx,), {"_fn_cls": cls})


class Function(metaclass=_FunctionMeta):
    """Base class for custom differentiable operations."""

    @staticmethod
    def forward(ctx, *args, **kwargs):
        raise NotImplementedError("You must implement the forward function for custom autograd.Function.")

    @staticmethod
    def backward(ctx, *grad_outputs):
        raise NotImplementedError("You must implement either the backward or vjp method for your custom "
                                  "autograd.Function to use it with backward mode AD.")

    vjp = backward

    @staticmethod
    def setup_context(ctx, inputs, output):
        return None

    @staticmethod
    def jvp(ctx, *grad_inputs):
        raise NotImplementedError("You must implement the jvp function for custom autograd.Function to use it "
                                  "with forward mode AD.")

    @classmethod
    def apply(cls, *args, **kwargs):
        tensor_pos = [i for i, a in enumerate(args) if isinstance(a, Tensor)]
        recording = _grad_mode.enabled and any(args[i]._requires_grad for i in tensor_pos)
        # forward mode: forward runs on the primals (their tangents hidden), then the Function's own jvp gives the
        # outputs' tangents from the inputs' (one per forward input, None where an input carries none)
        tangents = _tangents_of(args) if _fw.level is not None else None
        ctx = cls._backward_cls(())
        ctx.needs_input_grad = tuple(isinstance(a, Tensor) and a._requires_grad for a in args)
        prev, level = _grad_mode.enabled, _fw.level
        _grad_mode.enabled = False
        if tangents is not None:
            _fw.level = None
        try:
            if _uses_setup_context(cls):
                out = cls.forward(*args, **kwargs)
                cls.setup_context(ctx, args, out)
            else:
                out = cls.forward(ctx, *args, **kwargs)
            out_tangents = None
            if tangents is not None:
                out_tangents = cls.jvp(ctx, *tangents)
        finally:
            _grad_mode.enabled, _fw.level = prev, level
        single = not isinstance(out, tuple)
        outs = (out,) if single else out
        if out_tangents is not None:
            _set_tangents(outs, out_tangents if isinstance(out_tangents, tuple) else (out_tangents,))
        if not recording:
            return out
        ctx.next = tuple(_edge(args[i]) for i in tensor_pos)
        ctx._input_map = tensor_pos
        ctx._n_args = len(args)
        ctx.n_outputs = len(outs)
        ctx._out_meta = [(o.shape, o._data.dtype) if isinstance(o, Tensor) else ((), None) for o in outs]
        input_ids = {id(args[i]) for i in tensor_pos}
        new_outs = []
        for k, o in enumerate(outs):
            if not isinstance(o, Tensor):
                new_outs.append(o)
                continue
            if id(o) in ctx._non_diff:
                new_outs.append(o)
                continue
            if id(o) in input_ids and o not in ctx._dirty:
                o = o.detach()  # returning an input unchanged gives a new tensor that is a view of it
            if ctx.out_shapes is None:
                ctx.out_shapes = [None] * len(outs)
            ctx.out_shapes[k] = o._data.shape
            o.grad_fn = ctx
            o._output_nr = k
            o._requires_grad = True
            new_outs.append(o)
        return new_outs[0] if single else tuple(new_outs)


def _set_tangents(outs, tangents) -> None:
    """Give each tensor output of a custom Function the tangent its jvp returned for it (at the current level)."""
    if len(tangents) != len(outs):
        raise RuntimeError(f"jvp returned an incorrect number of tangents (expected {len(outs)}, got "
                           f"{len(tangents)})")
    for o, t in zip(outs, tangents):
        if isinstance(o, Tensor) and isinstance(t, Tensor):
            if t.shape != o.shape:
                raise RuntimeError(f"Trying to set a forward gradient that has a different size than that of the "
                                   f"original Tensor, this is not supported. Tensor is of size "
                                   f"[{', '.join(map(str, o.shape))}] while the given forward gradient is of size "
                                   f"[{', '.join(map(str, t.shape))}].")
            o._tangent, o._tangent_pending = t, None
            _fw.duals.append(weakref.ref(o))


def _uses_setup_context(cls) -> bool:
    return cls.setup_context is not Function.setup_context


class once_differentiable:
    def __new__(cls, fn):
        return fn
