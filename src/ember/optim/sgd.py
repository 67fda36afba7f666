"""Stochastic gradient descent, optionally with momentum (heavy-ball or Nesterov) and weight decay."""

from __future__ import annotations

from .optimizer import Optimizer, ParamsT, _check_fused, _check_lr

__all__ = ["SGD"]


class SGD(Optimizer):
    """SGD: ``b = mu*b + (1-dampening)*g`` (``b = g`` at first); ``p -= lr * (g + mu*b if nesterov else b)``."""

    _elementwise = True

    def __init__(self, params: ParamsT, lr: float = 1e-3, momentum: float = 0, dampening: float = 0,
                 weight_decay: float = 0, nesterov: bool = False, *, maximize: bool = False, foreach=None,
                 differentiable: bool = False, fused=None) -> None:
        _check_lr(lr)
        if momentum < 0.0:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        defaults = {"lr": lr, "momentum": momentum, "dampening": dampening, "weight_decay": weight_decay,
                    "nesterov": nesterov, "maximize": maximize, "foreach": foreach,
                    "differentiable": differentiable, "fused": fused}
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        super().__init__(params, defaults)
        _check_fused(fused, foreach, differentiable)

    def __setstate__(self, state):
        super().__setstate__(state)
        for group in self.param_groups:
            group.setdefault("nesterov", False)
            group.setdefault("maximize", False)
            group.setdefault("foreach", None)
            group.setdefault("differentiable", False)
            group.setdefault("fused", False)

    def _new_state(self, group, p):
        return {} if group["momentum"] != 0 else None  # without momentum SGD keeps no state (as PyTorch)

    def _state_spec(self, group, p):
        return {"momentum_buffer": "param?"}

    def _update(self, group, d, g, s):
        momentum, dampening = group["momentum"], group["dampening"]
        if momentum != 0:
            b = s.get("momentum_buffer")
            if b is None:
                s["momentum_buffer"] = b = g.copy()
            else:
                b *= momentum
                b += g if dampening == 0 else g * (1 - dampening)
            g = g + b * momentum if group["nesterov"] else b
        d -= g * float(group["lr"])

    def step(self, closure=None):
        """One SGD update of every parameter that has a gradient."""
        return self._step(closure)
