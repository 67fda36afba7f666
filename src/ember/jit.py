"""``torch.jit`` without a TorchScript compiler: ``script`` and ``trace`` return what they are given, so the
model runs as Python (the same numbers; no graph is compiled), and the decorators and queries scripted code
uses (``ignore``, ``unused``, ``export``, ``is_scripting()``, ``annotate``, ``Final``) behave as they do in
eager PyTorch. Saving or loading a TorchScript archive is not offered."""

from __future__ import annotations

import builtins
import collections
import contextlib
import typing
import warnings

from ._devices import not_offered
from .futures import Future
from .nn import Module

__all__ = ["script", "trace", "trace_module", "script_if_tracing", "ignore", "unused", "export", "interface",
           "script_method", "is_scripting", "is_tracing", "annotate", "Final", "Attribute", "ScriptModule",
           "ScriptFunction", "RecursiveScriptModule", "TracedModule", "TopLevelTracedModule", "Error",
           "TracerWarning", "fork", "wait", "Future", "freeze", "optimize_for_inference", "optimized_execution",
           "enable_onednn_fusion", "onednn_fusion_enabled", "set_fusion_strategy", "strict_fusion", "isinstance",
           "save", "load"]

_WHY = "TorchScript archives need PyTorch's TorchScript compiler (ember runs models as Python)"
save = not_offered("torch.jit.save", _WHY)
load = not_offered("torch.jit.load", _WHY)
Final = typing.Final
Attribute = collections.namedtuple("Attribute", ["value", "type"])


class ScriptModule(Module):
    """The type of a scripted module in PyTorch; ember's ``script(module)`` returns the module itself."""


class RecursiveScriptModule(ScriptModule):
    """A module scripted recursively (PyTorch's type for ``torch.jit.script(module)``)."""


class TracedModule(ScriptModule):
    """The type of a traced module in PyTorch."""


class TopLevelTracedModule(TracedModule):
    """The outermost traced module in PyTorch."""


class ScriptFunction:
    """The type of a scripted function in PyTorch; ember's ``script(fn)`` returns the function itself."""

    def __init__(self, *args, **kwargs):
        raise TypeError("torch.jit.ScriptFunction cannot be instantiated directly")


class Error(RuntimeError):
    """An error raised inside TorchScript code."""


class TracerWarning(Warning):
    """A warning from the tracer."""


def script(obj, optimize=None, _frames_up=0, _rcb=None, example_inputs=None):
    """``obj`` itself: no TorchScript compilation, the module or function runs as Python."""
    warnings.warn("`torch.jit.script` is deprecated. Please switch to `torch.compile` or `torch.export`.",
                  DeprecationWarning, stacklevel=1)  # as PyTorch: attributed to this module, hidden by default
    if optimize is not None:
        warnings.warn("`optimize` is deprecated and has no effect. Use `with torch.jit.optimized_execution()` "
                      "instead", FutureWarning, stacklevel=2)
    return obj


def trace(func, example_inputs=None, optimize=None, check_trace=True, check_inputs=None, check_tolerance=1e-05,
          strict=True, _force_outplace=False, _module_class=None, _compilation_unit=None,
          example_kwarg_inputs=None, _store_inputs=True):
    """``func`` itself: nothing is recorded, the module or function runs as Python."""
    return func


def trace_module(mod, inputs, optimize=None, check_trace=True, check_inputs=None, check_tolerance=1e-05,
                 strict=True, _force_outplace=False, _module_class=None, _compilation_unit=None,
                 example_inputs_is_kwarg=False, _store_inputs=True):
    return mod


def script_if_tracing(fn):
    return fn


def ignore(drop=False, **kwargs):
    """``@torch.jit.ignore`` or ``@torch.jit.ignore(drop=True)``: leave a function to Python (it always is)."""
    if callable(drop):
        return drop
    return lambda fn: fn


def unused(fn):
    return fn


def export(fn):
    return fn


def interface(obj):
    return obj


def script_method(fn):
    return fn


def is_scripting() -> bool:
    """False: code never runs under TorchScript here."""
    return False


def is_tracing() -> bool:
    return False


def annotate(the_type, the_value):
    """``the_value``: the type is a hint for the TorchScript compiler."""
    return the_value


def isinstance(obj, target_type) -> bool:  # noqa: A001  (PyTorch's name)
    """isinstance that also understands typing's containers (``List[int]``, ``Dict[str, Tensor]``)."""
    origin = typing.get_origin(target_type)
    if origin is None:
        return builtins.isinstance(obj, target_type)
    if origin is typing.Union:
        return any(isinstance(obj, t) for t in typing.get_args(target_type))
    return builtins.isinstance(obj, origin)


def fork(func, *args, **kwargs) -> Future:
    """Run ``func(*args, **kwargs)`` (at once: there is no TorchScript thread pool) and return its Future."""
    fut = Future()
    fut.set_result(func(*args, **kwargs))
    return fut


def wait(future):
    return future.wait()


def freeze(mod, preserved_attrs=None, optimize_numerics: bool = True):
    """``mod`` itself: without a TorchScript graph there is nothing to fold."""
    return mod


def optimize_for_inference(mod, other_methods=None):
    return mod


@contextlib.contextmanager
def optimized_execution(should_optimize):
    yield


_onednn_fusion = [False]
_fusion_strategy = [[("STATIC", 2), ("DYNAMIC", 10)]]


def enable_onednn_fusion(enabled: bool) -> None:
    _onednn_fusion[0] = bool(enabled)


def onednn_fusion_enabled() -> bool:
    return _onednn_fusion[0]


def set_fusion_strategy(strategy):
    """Record the fusion strategy and return the previous one (nothing is fused here)."""
    old, _fusion_strategy[0] = _fusion_strategy[0], strategy
    return old


class strict_fusion:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False
