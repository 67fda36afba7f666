"""``Parameter`` (a tensor a Module trains) and ``Buffer`` (a tensor a Module keeps but does not train)."""

from __future__ import annotations

from .._core.tensor import Tensor, _wrap


class Parameter(Tensor):
    """A tensor that, assigned as a Module attribute, is registered as one of its parameters."""

    _is_parameter_class = True  # Tensor.__repr__ prints "Parameter containing:"

    def __new__(cls, data: Tensor | None = None, requires_grad: bool = True):
        if data is None:
            from ..ops.creation import empty
            data = empty(0)
        if not isinstance(data, Tensor):
            raise TypeError(f"Parameter: expected a Tensor as data, got {type(data).__name__}")
        p = Tensor.__new__(cls)
        p._data = data._data  # shares memory with `data`, as PyTorch's Parameter does
        if data._vc is None:
            data._vc = [0]
        p._vc = data._vc
        if requires_grad:
            p.requires_grad = True  # checks the dtype can carry gradients
        return p

    def __init__(self, data=None, requires_grad=True):
        pass  # all done in __new__ (Tensor.__init__ is the legacy constructor)

    def __reduce_ex__(self, protocol):
        return (_rebuild_parameter, (self._data, self._rg))

    def __deepcopy__(self, memo):
        if id(self) in memo:
            return memo[id(self)]
        p = Parameter(_wrap(self._data.copy()), self._rg)
        if self._grad is not None:
            p._grad = self._grad.__deepcopy__(memo)
        memo[id(self)] = p
        return p


def _rebuild_parameter(arr, rg):
    return Parameter(_wrap(arr), rg)


class Buffer(Tensor):
    """Marks a tensor to be registered as a Module buffer when assigned as an attribute (``persistent`` -> state_dict)."""

    def __new__(cls, data: Tensor | None = None, *, persistent: bool = True):
        if data is None:
            from ..ops.creation import empty
            data = empty(0)
        t = data.detach()
        if data._rg:
            t.requires_grad_(True)
        t.persistent = persistent
        t._is_buffer = True
        return t


def is_lazy(param) -> bool:
    return False


class UninitializedParameter(Parameter):
    """Placeholder for lazily shaped parameters (ember has no lazy modules; provided for isinstance checks)."""
