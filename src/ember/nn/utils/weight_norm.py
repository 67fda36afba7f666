"""Weight normalisation, w = g · v / ‖v‖ (Salimans & Kingma 2016): the norm primitives and the old hook-based
``nn.utils.weight_norm`` (the parameters ``weight_g`` and ``weight_v``; ``weight`` recomputed before each
forward by a pre-hook). ``nn.utils.parametrizations.weight_norm`` is the newer form of the same thing."""

from __future__ import annotations

import warnings
from typing import Any

from ... import ops as AF
from ..._array import np
from ..._core.node import Node
from ..._core.record import _wrap_result
from ..._core.tensor import Tensor
from ..modules.module import Module
from ..parameter import Parameter, UninitializedParameter

__all__ = ["WeightNorm", "norm_except_dim", "remove_weight_norm", "weight_norm"]


def norm_except_dim(v: Tensor, pow: float = 2, dim: int = 0) -> Tensor:
    """‖v‖_pow over every dim but ``dim``, shaped to broadcast against v (one number for dim = -1)."""
    if dim == -1:
        return AF.norm(v, pow)
    if dim == 0:
        shape = (v.shape[0],) + (1,) * (v.ndim - 1)
        return AF.norm(v.contiguous().view(v.shape[0], -1), pow, 1).view(shape)
    if dim == v.ndim - 1:
        shape = (1,) * (v.ndim - 1) + (v.shape[-1],)
        return AF.norm(v.contiguous().view(-1, v.shape[-1]), pow, 0).view(shape)
    return norm_except_dim(v.transpose(0, dim), pow, 0).transpose(0, dim)


class WeightNormInterfaceBackward0(Node):
    """w = g v / n with n = ‖v‖ over all dims but ``dim``:
      dg = Σ_{other dims} (∂w · v) / n,   dv = (g / n) (∂w - v Σ_{other dims}(∂w · v) / n²)"""

    def backward(self, gw):
        v, g = self.saved_values()
        dims = tuple(i for i in range(v.ndim) if i != self.dim)
        n = norm_except_dim(v, 2, self.dim)
        dot = AF.sum(gw * v, dims, keepdim=True)
        gv = (g / n) * (gw - v * (dot / (n * n))) if self.next[0] is not None else None
        gg = dot / n if self.next[1] is not None else None
        return (gv, gg)


def _weight_norm(v: Tensor, g: Tensor, dim: int = 0) -> Tensor:
    """g · v / ‖v‖ (norm over all dims but ``dim``): one node for the first or last dim, as PyTorch's fused kernel,
    composed of ops otherwise."""
    if dim not in (0, v.ndim - 1) or dim == -1:
        return v * (g / norm_except_dim(v, 2, dim))
    vd = v._data
    axes = tuple(i for i in range(vd.ndim) if i != dim)
    n = np.sqrt(np.sum(vd * vd, axis=axes, keepdims=True))
    out = _wrap_result(vd * (g._data / n), WeightNormInterfaceBackward0, (v, g), saved=(v, g))
    if out.grad_fn is not None:
        out.grad_fn.dim = dim
    return out


class WeightNorm:
    """The forward pre-hook of the old ``weight_norm``: ``module.<name> = g · v / ‖v‖`` before each forward."""

    def __init__(self, name: str, dim: int) -> None:
        self.name = name
        self.dim = -1 if dim is None else dim

    def compute_weight(self, module: Module) -> Any:
        return _weight_norm(getattr(module, self.name + "_v"), getattr(module, self.name + "_g"), self.dim)

    @staticmethod
    def apply(module: Module, name: str, dim: int) -> WeightNorm:
        warnings.warn("`torch.nn.utils.weight_norm` is deprecated in favor of "
                      "`torch.nn.utils.parametrizations.weight_norm`.", FutureWarning, stacklevel=3)
        for hook in module._forward_pre_hooks.values():
            if isinstance(hook, WeightNorm) and hook.name == name:
                raise RuntimeError(f"Cannot register two weight_norm hooks on the same parameter {name}")
        fn = WeightNorm(name, dim)
        weight = getattr(module, name)
        if isinstance(weight, UninitializedParameter):
            raise ValueError("The module passed to `WeightNorm` can't have uninitialized parameters. Make sure to run "
                             "the dummy forward before applying weight normalization")
        del module._parameters[name]
        module.register_parameter(name + "_g", Parameter(norm_except_dim(weight, 2, fn.dim).detach()))
        module.register_parameter(name + "_v", Parameter(weight.detach()))
        setattr(module, name, fn.compute_weight(module))
        module.register_forward_pre_hook(fn)
        return fn

    def remove(self, module: Module) -> None:
        weight = self.compute_weight(module)
        delattr(module, self.name)
        del module._parameters[self.name + "_g"]
        del module._parameters[self.name + "_v"]
        setattr(module, self.name, Parameter(weight.detach()))

    def __call__(self, module: Module, inputs: Any) -> None:
        setattr(module, self.name, self.compute_weight(module))


def weight_norm(module: Module, name: str = "weight", dim: int = 0) -> Module:
    """Replace ``module.<name>`` by the parameters ``<name>_g`` (norms) and ``<name>_v`` (directions)."""
    WeightNorm.apply(module, name, dim)
    return module


def remove_weight_norm(module: Module, name: str = "weight") -> Module:
    """Fold ``<name>_g`` and ``<name>_v`` back into one parameter ``<name>``."""
    for k, hook in module._forward_pre_hooks.items():
        if isinstance(hook, WeightNorm) and hook.name == name:
            hook.remove(module)
            del module._forward_pre_hooks[k]
            return module
    raise ValueError(f"weight_norm of '{name}' not found in {module}")
