"""Reverse-mode automatic differentiation: ``backward``, ``grad``, custom ``Function``, grad modes, checks."""

from __future__ import annotations

import importlib

from .._core.node import Node
from .._core.tensor import Tensor
from . import _saved_attrs, grad_mode  # _saved_attrs: grad_fn._saved_self and kin, as PyTorch's
from . import anomaly as _anomaly
from .anomaly import detect_anomaly, is_anomaly_enabled, set_detect_anomaly
from .engine import backward, grad
from .grad_mode import (
    enable_grad,
    inference_mode,
    is_grad_enabled,
    is_inference_mode_enabled,
    no_grad,
    set_grad_enabled,
)

__all__ = ["backward", "grad", "forward_ad", "Function", "no_grad", "enable_grad", "set_grad_enabled", "inference_mode",
           "gradcheck", "gradgradcheck", "detect_anomaly", "set_detect_anomaly", "Node"]


class _VariableMeta(type):
    def __instancecheck__(cls, other):
        return isinstance(other, Tensor)  # every tensor is a Variable since PyTorch 0.4


class Variable(metaclass=_VariableMeta):
    """The deprecated ``Variable(t)``: a new leaf sharing t's data (requiring grad if asked), as PyTorch >= 0.4;
    ``isinstance(t, Variable)`` is True for every tensor (torchviz and older code test it)."""

    def __new__(cls, data, requires_grad: bool = False, volatile: bool = False):
        if not isinstance(data, Tensor):
            raise TypeError(f"Variable data has to be a tensor, but got {type(data).__name__}")
        t = data.detach()
        if requires_grad:
            if t._data.dtype.kind not in "fc":
                raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")
            t.requires_grad = True
        return t


Variable.__module__ = "torch.autograd.variable"


_LAZY = {"Function": "function", "FunctionCtx": "function", "once_differentiable": "function",
         "gradcheck": "gradcheck", "gradgradcheck": "gradcheck", "GradcheckError": "gradcheck",
         "explain": "explain", "explain_forward": "explain",
         "functions": None, "engine": None, "function": None, "functional": None, "graph": None}


def __getattr__(name):
    # these modules need Tensor, which itself needs this package: load them on first use
    if name in _LAZY:
        mod = importlib.import_module(f".{_LAZY[name] or name}", __name__)
        # every name this module provides, at once: importing ``.gradcheck`` binds the submodule to the package's
        # ``gradcheck``, which must stay the function (PyTorch's ``torch.autograd.gradcheck`` is the function too)
        for other, module_name in _LAZY.items():
            if module_name == _LAZY[name] and module_name is not None:
                globals()[other] = getattr(mod, other)
        value = mod if _LAZY[name] is None else getattr(mod, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'ember.autograd' has no attribute '{name}'")



from ..overrides import handle_torch_function, has_torch_function, is_tensor_like  # noqa: E402,F401  (as PyTorch)
from . import anomaly_mode  # noqa: E402,F401  (torch.autograd.anomaly_mode)
from ._saved_attrs import SavedTensor  # noqa: E402,F401  (grad_fn._raw_saved_<name>'s type)
from .grad_mode import (  # noqa: E402,F401
    enforce_grad_layout_policy,
    is_multithreading_enabled,
    is_view_replay_enabled,
    set_multithreading_enabled,
)


def variable(*args, **kwargs):
    """Removed: PyTorch raises here too."""
    raise RuntimeError("torch.autograd.variable(...) is deprecated, use torch.tensor(...) instead")


_LAZY.update({"ProfilerState": "_profiler_types", "DeviceType": "_profiler_types"})  # enums: load on first use
_LAZY.update({"forward_ad": None, "profiler": None, "profiler_legacy": None, "profiler_util": None, "NestedIOFunction": "_nested_io",
              "ProfilerActivity": "profiler", "kineto_available": "profiler"})  # the profiler loads on first use


def __dir__():  # as before they loaded on first use: forward_ad and the profiler's enums are listed
    return sorted(set(globals()) | {"forward_ad", "ProfilerState", "DeviceType"})
