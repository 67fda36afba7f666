"""``torch.overrides``: the ``__torch_function__`` protocol's helpers.

ember's ops do not dispatch to ``__torch_function__``; the ``has_torch_function*`` checks and
``handle_torch_function`` work for code that calls them (a function written in PyTorch's style): True for an
argument whose type defines ``__torch_function__``, which is then offered the call, as in PyTorch."""

from __future__ import annotations

import functools

from ._core.tensor import Tensor

__all__ = ["has_torch_function", "has_torch_function_unary", "has_torch_function_variadic",
           "handle_torch_function", "is_tensor_like", "is_tensor_method_or_property", "get_ignored_functions",
           "get_overridable_functions", "get_testing_overrides", "wrap_torch_function", "TorchFunctionMode",
           "BaseTorchFunctionMode", "enable_reentrant_dispatch", "DisableTorchFunction", "DisableTorchFunctionSubclass"]


def _overrides(arg) -> bool:
    """Whether ``arg``'s type defines ``__torch_function__`` (ember's Tensor and Parameter do not)."""
    return getattr(type(arg), "__torch_function__", None) is not None


def has_torch_function(relevant_args) -> bool:
    """Whether some argument's type defines ``__torch_function__`` (so a function written in PyTorch's style
    hands the call to ``handle_torch_function``). ember's own ops never dispatch there, but this answers as
    PyTorch's does for the arguments it is given."""
    if not isinstance(relevant_args, (tuple, list)):
        raise TypeError("expected a sequence")
    return any(_overrides(a) for a in relevant_args)


def has_torch_function_unary(arg) -> bool:
    return _overrides(arg)


def has_torch_function_variadic(*args) -> bool:
    return any(_overrides(a) for a in args)


def _overloaded(args) -> list:
    """The arguments whose type defines ``__torch_function__``, subclasses before their bases."""
    found, types = [], []
    for a in args:
        t = type(a)
        if t in types or getattr(t, "__torch_function__", None) is None:
            continue
        index = next((i for i, u in enumerate(types) if issubclass(t, u)), len(types))
        types.insert(index, t)
        found.insert(index, a)
    return found


def handle_torch_function(public_api, relevant_args, *args, **kwargs):
    """Offer ``public_api(*args, **kwargs)`` to the ``__torch_function__`` of each relevant argument's type."""
    overloaded = _overloaded(relevant_args)
    types = tuple(type(a) for a in overloaded)
    for a in overloaded:
        result = type(a).__torch_function__(public_api, types, args, kwargs)
        if result is not NotImplemented:
            return result
    name = getattr(public_api, "__qualname__", getattr(public_api, "__name__", str(public_api)))
    raise TypeError(f"no implementation found for '{name}' on types that implement __torch_function__: "
                    f"{[type(a) for a in overloaded]}")


def is_tensor_like(inp) -> bool:
    """A tensor, or an object whose type defines ``__torch_function__``."""
    return isinstance(inp, Tensor) or hasattr(inp, "__torch_function__")


def is_tensor_method_or_property(func) -> bool:
    return getattr(Tensor, getattr(func, "__name__", ""), None) is func


def get_ignored_functions() -> set:
    return set()


def get_overridable_functions() -> dict:
    return {}


def get_testing_overrides() -> dict:
    return {}


def wrap_torch_function(dispatcher):
    """Decorator: a function that (in PyTorch) offers itself to ``__torch_function__``; here it runs as is."""
    def decorate(func):
        @functools.wraps(func)
        def wrapped(*args, **kwargs):
            return func(*args, **kwargs)
        return wrapped
    return decorate


class TorchFunctionMode:
    """A ``with`` block whose ``__torch_function__`` PyTorch calls for every torch function; ember's ops do
    not dispatch to modes, so entering one changes nothing."""

    def __torch_function__(self, func, types, args=(), kwargs=None):
        raise NotImplementedError

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


class BaseTorchFunctionMode(TorchFunctionMode):
    def __torch_function__(self, func, types, args=(), kwargs=None):
        return func(*args, **(kwargs or {}))


class enable_reentrant_dispatch:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


class DisableTorchFunction:
    """``with torch.DisableTorchFunction():`` turns ``__torch_function__`` dispatch off inside; ember's ops never
    dispatch to it, so there is nothing to turn off and the block runs as it would anyway."""

    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False


class DisableTorchFunctionSubclass(DisableTorchFunction):
    """As DisableTorchFunction, for subclasses' ``__torch_function__`` only (nothing to disable in ember)."""


DisableTorchFunction.__module__ = DisableTorchFunctionSubclass.__module__ = "torch._C"
