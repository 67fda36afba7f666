"""``ember.autograd.Function``: user-defined ops with ``forward(ctx, ...)`` and ``backward(ctx, *grads)``.

``apply`` runs ``forward`` with recording off, then puts one node in the graph whose backward calls the
user's ``backward``. ``ctx`` is that node, so what ``forward`` stores on it is there in ``backward``.
"""

from __future__ import annotations

from .._core.node import Node
from .._core.tensor import Tensor
from . import grad_mode

_gm = grad_mode.state


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
        n = len(self._input_map)
        if len(res) < n:
            raise RuntimeError(f"function {type(self).__name__} returned an incorrect number of gradients "
                               f"(expected {n}, got {len(res)})")
        # keep only the gradients of tensor inputs, in edge order
        return tuple(res[i] for i in self._input_map)


def _zeros(meta):
    import numpy as np

    from .._core.tensor import _wrap
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

    @classmethod
    def apply(cls, *args, **kwargs):
        tensor_pos = [i for i, a in enumerate(args) if isinstance(a, Tensor)]
        recording = _gm.enabled and any(args[i]._rg for i in tensor_pos)
        ctx = cls._backward_cls(())
        ctx.needs_input_grad = tuple(isinstance(a, Tensor) and a._rg for a in args)
        prev = _gm.enabled
        _gm.enabled = False
        try:
            if _uses_setup_context(cls):
                out = cls.forward(*args, **kwargs)
                cls.setup_context(ctx, args, out)
            else:
                out = cls.forward(ctx, *args, **kwargs)
        finally:
            _gm.enabled = prev
        single = not isinstance(out, tuple)
        outs = (out,) if single else out
        if not recording:
            return out
        from .._core.record import _edge
        ctx.next = tuple(_edge(args[i]) for i in tensor_pos)
        ctx._input_map = tensor_pos
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
            o._rg = True
            new_outs.append(o)
        return new_outs[0] if single else tuple(new_outs)


def _uses_setup_context(cls) -> bool:
    return cls.setup_context is not Function.setup_context


class once_differentiable:
    def __new__(cls, fn):
        return fn
