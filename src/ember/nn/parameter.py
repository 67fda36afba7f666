"""``Parameter`` (a tensor a Module trains) and ``Buffer`` (a tensor a Module keeps but does not train)."""

from __future__ import annotations

from .._core.tensor import Tensor, _wrap
from ..ops.creation import empty as _empty

__all__ = ["Buffer", "Parameter", "UninitializedBuffer", "UninitializedParameter", "UninitializedTensorMixin", "is_lazy"]



class Parameter(Tensor):
    """A tensor that, assigned as a Module attribute, is registered as one of its parameters."""

    _is_parameter_class = True  # Tensor.__repr__ prints "Parameter containing:"

    def __new__(cls, data: Tensor | None = None, requires_grad: bool = True):
        if data is None:
            data = _empty(0)
        if not isinstance(data, Tensor):
            raise TypeError(f"Parameter: expected a Tensor as data, got {type(data).__name__}")
        p = Tensor.__new__(cls)
        p._data = data._data  # shares memory with `data`, as PyTorch's Parameter does
        if data._version_counter is None:
            data._version_counter = [0]
        p._version_counter = data._version_counter
        if requires_grad:
            if p._data.dtype.kind not in "fc":  # Parameter's own wording (capitalised) of the setter's check
                raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")
            p.requires_grad = True
        return p

    def __init__(self, data=None, requires_grad=True):
        pass  # all done in __new__ (Tensor.__init__ is the legacy constructor)

    def __reduce_ex__(self, protocol):
        return (_rebuild_parameter, (self._data, self._requires_grad))

    def __deepcopy__(self, memo):
        if id(self) in memo:
            return memo[id(self)]
        p = Parameter(_wrap(self._data.copy()), self._requires_grad)
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
            data = _empty(0)
        t = data.detach()
        if data._requires_grad:
            t.requires_grad_(True)
        t.persistent = persistent
        t._is_buffer = True
        return t


class UninitializedTensorMixin:
    """A placeholder whose shape is not known yet (lazy modules): it has no values, refuses every use but the
    dtype casts and queries PyTorch allows, and becomes a real tensor of its class ``cls_to_become`` when
    ``materialize(shape)`` is called."""

    cls_to_become: type = Tensor
    _allowed = frozenset({"size", "copy_", "is_complex", "is_floating_point", "half", "float", "double", "char",
                          "short", "int", "long", "cuda", "cpu", "to", "get_device", "materialize",
                          "share_memory_", "requires_grad_", "detach", "register_hook", "type", "dtype",
                          "requires_grad", "grad", "grad_fn", "is_leaf", "device", "data"})

    def materialize(self, shape, device=None, dtype=None) -> None:
        """Give the placeholder its shape: uninitialised values of ``dtype`` (the placeholder's by default)."""
        self._data = _empty(shape, dtype=dtype if dtype is not None else self.dtype)._data
        self.__class__ = self.cls_to_become

    @property
    def shape(self):
        raise RuntimeError("Can't access the shape of an uninitialized parameter or buffer. This error usually "
                           "happens in `load_state_dict` when trying to load an uninitialized parameter into an "
                           "initialized one. Call `forward` to initialize the parameters before accessing their "
                           "attributes.")

    def share_memory_(self):
        raise RuntimeError("Can't share memory on an uninitialized parameter or buffer. Call `forward` to initialize "
                           "the parameters before calling `module.share_memory()`.")

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"

    __str__ = __repr__

    def __getattribute__(self, name: str):
        value = object.__getattribute__(self, name)
        if (name[0] != "_" and callable(value) and not isinstance(value, type)
                and name not in UninitializedTensorMixin._allowed):
            _refuse(type(self), name)
        return value

    def __deepcopy__(self, memo):
        if id(self) in memo:
            return memo[id(self)]
        result = type(self)(self.requires_grad, None, self.dtype)
        memo[id(self)] = result
        return result

    def __reduce_ex__(self, proto):
        return (type(self), (self.requires_grad,))


def _refuse(cls, name: str):
    raise ValueError(f"Attempted to use an uninitialized parameter in <method '{name}' of 'torch._C.TensorBase' "
                     f"objects>. This error happens when you are using a `LazyModule` or explicitly manipulating "
                     f"`torch.nn.parameter.{cls.__name__}` objects. When using LazyModules Call `forward` with a "
                     f"dummy batch to initialize the parameters before calling torch functions")


def _refusing(op: str):
    def method(self, *args, **kwargs):
        _refuse(type(self), op)
    return method


for _dunder, _op in (("__add__", "add"), ("__radd__", "add"), ("__sub__", "sub"), ("__rsub__", "sub"),
                     ("__mul__", "mul"), ("__rmul__", "mul"), ("__truediv__", "div"), ("__rtruediv__", "div"),
                     ("__matmul__", "matmul"), ("__rmatmul__", "matmul"), ("__pow__", "pow"), ("__neg__", "neg"),
                     ("__getitem__", "__getitem__"), ("__len__", "__len__"), ("__iter__", "__iter__")):
    setattr(UninitializedTensorMixin, _dunder, _refusing(_op))


def is_lazy(param) -> bool:
    """True for a placeholder of a lazy module (an uninitialised parameter or buffer)."""
    return isinstance(param, UninitializedTensorMixin)


class UninitializedParameter(UninitializedTensorMixin, Parameter):
    """A parameter of a lazy module before its first forward: no shape until ``materialize``."""

    cls_to_become = Parameter

    def __new__(cls, requires_grad: bool = True, device=None, dtype=None):
        return Parameter.__new__(cls, _empty(0, dtype=dtype), requires_grad)

    def __init__(self, requires_grad: bool = True, device=None, dtype=None) -> None:
        pass


class UninitializedBuffer(UninitializedTensorMixin, Tensor):
    """A buffer of a lazy module before its first forward: no shape until ``materialize``."""

    cls_to_become = Tensor

    def __new__(cls, requires_grad: bool = False, device=None, dtype=None, persistent: bool = True):
        t = Tensor.__new__(cls)
        t._data = _empty(0, dtype=dtype)._data
        if requires_grad:
            t.requires_grad = True
        t.persistent = persistent
        t._is_buffer = True
        return t

    def __init__(self, *args, **kwargs):
        pass
