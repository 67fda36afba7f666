"""Reverse-mode automatic differentiation: ``backward``, ``grad``, custom ``Function``, grad modes, checks."""

from __future__ import annotations

import importlib

import numpy as np

from .._core.node import Node
from .._core.tensor import Tensor, _wrap
from . import _saved_attrs, forward_ad, grad_mode  # _saved_attrs: grad_fn._saved_self and kin, as PyTorch's
from . import anomaly as _anomaly
from .anomaly import detect_anomaly, is_anomaly_enabled, set_detect_anomaly
from .engine import run_backward
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


def _make_grads(outputs, grad_outputs, create_graph):
    out = []
    for i, (o, g) in enumerate(zip(outputs, grad_outputs)):
        if g is None:
            if o._requires_grad:
                d = o._data
                if d.size != 1:
                    raise RuntimeError("grad can be implicitly created only for scalar outputs")
                if d.dtype.kind not in "fc":
                    raise RuntimeError(f"grad can be implicitly created only for real scalar outputs but got "
                                       f"{o.dtype}")
                out.append(_wrap(np.ones(d.shape, dtype=d.dtype)))
            else:
                out.append(None)
        else:
            if not isinstance(g, Tensor):
                raise TypeError(f"gradients can be either Tensors or None, but got {type(g).__name__}")
            if g.shape != o.shape:
                raise RuntimeError(f"Mismatch in shape: grad_output[{i}] has a shape of {g.shape} and output[{i}] has "
                                   f"a shape of {o.shape}.")
            out.append(g if create_graph else g.detach())
    return out


def _check_requires_grad(outputs):
    for i, o in enumerate(outputs):
        if not o._requires_grad:
            hint = ""
            if not grad_mode.state.enabled:
                hint = " (ember: grad mode is off here: this code runs under no_grad()/inference_mode())"
            elif o.grad_fn is None:
                hint = (" (ember: this tensor is a leaf that does not require grad; set requires_grad=True on the "
                        "inputs you want gradients for, or check that the graph was built outside no_grad())")
            err = RuntimeError(f"element {i} of tensors does not require grad and does not have a grad_fn")
            if hint:
                # a note shows in the traceback while str(err) stays PyTorch's message
                err.add_note(hint.strip())
            raise err


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False, grad_variables=None, inputs=None):
    """Accumulate the gradients of ``tensors`` (weighted by ``grad_tensors``) into the leaves' ``.grad``."""
    tensors = (tensors,) if isinstance(tensors, Tensor) else tuple(tensors)
    if grad_tensors is None:
        grad_tensors = (None,) * len(tensors)
    elif isinstance(grad_tensors, Tensor):
        grad_tensors = (grad_tensors,)
    else:
        grad_tensors = tuple(grad_tensors)
    if retain_graph is None:
        retain_graph = create_graph
    grads = _make_grads(tensors, grad_tensors, create_graph)  # (PyTorch's _make_grads runs first)
    _check_requires_grad(tensors)
    if inputs is not None:
        inputs = (inputs,) if isinstance(inputs, Tensor) else tuple(inputs)
        if not inputs:
            raise RuntimeError("`inputs` argument to `backward()` cannot be empty.")
    run_backward(tensors, grads, retain_graph, create_graph, inputs=inputs, accumulate=True)


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False, only_inputs=True,
         allow_unused=None, is_grads_batched=False, materialize_grads=False):
    """The gradients of ``outputs`` with respect to ``inputs``, returned (``.grad`` is left alone)."""
    single_input = isinstance(inputs, Tensor)
    outputs = (outputs,) if isinstance(outputs, Tensor) else tuple(outputs)
    inputs = (inputs,) if single_input else tuple(inputs)
    if grad_outputs is None:
        grad_outputs = (None,) * len(outputs)
    elif isinstance(grad_outputs, Tensor):
        grad_outputs = (grad_outputs,)
    else:
        grad_outputs = tuple(grad_outputs)
    if retain_graph is None:
        retain_graph = create_graph
    if allow_unused is None:
        allow_unused = materialize_grads
    grads = _make_grads(outputs, grad_outputs, create_graph)  # PyTorch checks the given gradients first,
    _check_requires_grad(outputs)  # then the outputs
    for x in inputs:
        if not x.requires_grad:
            raise RuntimeError("One of the differentiated Tensors does not require grad")
    res = run_backward(outputs, grads, retain_graph, create_graph, inputs=inputs, accumulate=False,
                       allow_unused=allow_unused)
    if materialize_grads:
        res = tuple(g if g is not None else _wrap(np.zeros(x.shape, dtype=x._data.dtype)) for g, x in zip(res, inputs))
    return res


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
        value = mod if _LAZY[name] is None else getattr(mod, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'ember.autograd' has no attribute '{name}'")



import enum as _enum  # noqa: E402

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


class ProfilerState(_enum.IntEnum):
    """The autograd profiler's states (PyTorch's torch._C._profiler.ProfilerState)."""
    Disabled = 0
    CPU = 1
    CUDA = 2
    NVTX = 3
    ITT = 4
    PRIVATEUSE1 = 5
    KINETO = 6
    KINETO_GPU_FALLBACK = 7
    KINETO_PRIVATEUSE1_FALLBACK = 8
    KINETO_PRIVATEUSE1 = 9

    def __repr__(self) -> str:
        return f"<ProfilerState.{self.name}: {self.value}>"

    __str__ = _enum.Enum.__str__


class DeviceType(_enum.IntEnum):
    """The device types the profiler's events name (PyTorch's c10::DeviceType)."""
    CPU = 0
    CUDA = 1
    MKLDNN = 2
    OPENGL = 3
    OPENCL = 4
    IDEEP = 5
    HIP = 6
    FPGA = 7
    MAIA = 8
    XLA = 9
    Vulkan = 10
    Metal = 11
    XPU = 12
    MPS = 13
    Meta = 14
    HPU = 15
    VE = 16
    Lazy = 17
    IPU = 18
    MTIA = 19
    PrivateUse1 = 20

    def __repr__(self) -> str:
        return f"<DeviceType.{self.name}: {self.value}>"

    __str__ = _enum.Enum.__str__



_LAZY.update({"profiler": None, "profiler_legacy": None, "profiler_util": None, "NestedIOFunction": "_nested_io",
              "ProfilerActivity": "profiler", "kineto_available": "profiler"})  # the profiler loads on first use
