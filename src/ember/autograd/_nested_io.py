"""``torch.autograd.NestedIOFunction``: the pre-1.5 (instance-method) Function kept for backward compatibility.

PyTorch 2.13 keeps the class but not the legacy machinery it calls (``Function._do_forward``), so using it
fails there: calling an instance raises AttributeError, and ``apply`` runs ``forward`` on the context object,
which lacks the nested inputs. This class is written the same way, so it fails the same way.
"""

from __future__ import annotations

from .._core.tensor import Tensor
from .function import Function

__all__ = ["NestedIOFunction"]


def _iter_tensors(obj):
    if isinstance(obj, Tensor):
        yield obj
    elif isinstance(obj, (list, tuple)):
        for o in obj:
            yield from _iter_tensors(o)
    elif isinstance(obj, dict):
        for o in obj.values():
            yield from _iter_tensors(o)


class NestedIOFunction(Function):
    """Legacy: use ``Function`` (static ``forward``/``backward`` and ``apply``) instead."""

    def _do_forward(self, *input):
        self._nested_input = input
        flat = tuple(_iter_tensors(input))
        return super()._do_forward(*flat)

    def _do_backward(self, gradients, retain_variables):
        self.retain_variables = retain_variables
        return super()._do_backward(gradients, retain_variables)

    __call__ = _do_forward

    def forward(self, *args):
        inputs = self._nested_input
        del self._nested_input
        result = self.forward_extended(*inputs)
        self._nested_output = result
        return tuple(_iter_tensors(result))

    def backward(self, *gradients):
        return tuple(self.backward_extended(*gradients))

    def save_for_backward(self, *args) -> None:
        self.to_save = tuple(_iter_tensors(args))
        self._to_save_nested = args

    def mark_dirty(self, *args, **kwargs) -> None:
        self.dirty_tensors = tuple(_iter_tensors((args, kwargs)))

    def mark_non_differentiable(self, *args, **kwargs) -> None:
        self.non_differentiable = tuple(_iter_tensors((args, kwargs)))

    def forward_extended(self, *input):
        raise NotImplementedError

    def backward_extended(self, *grad_output):
        raise NotImplementedError
