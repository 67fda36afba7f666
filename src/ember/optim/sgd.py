"""Stochastic gradient descent, optionally with momentum (heavy-ball or Nesterov) and weight decay."""

from __future__ import annotations

from .optimizer import Optimizer, ParamsT, _check_lr, _wrap

__all__ = ["SGD"]


class SGD(Optimizer):
    """SGD: ``b = mu*b + (1-dampening)*g``; ``p -= lr * (g + mu*b if nesterov else b)``."""

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

    def __setstate__(self, state):
        super().__setstate__(state)
        for group in self.param_groups:
            group.setdefault("nesterov", False)
            group.setdefault("maximize", False)
            group.setdefault("foreach", None)
            group.setdefault("differentiable", False)
            group.setdefault("fused", False)

    def step(self, closure=None):
        """One SGD update of every parameter that has a gradient."""
        loss = self._closure_loss(closure)
        for group in self.param_groups:
            lr = float(group["lr"])
            momentum = group["momentum"]
            dampening = group["dampening"]
            nesterov = group["nesterov"]
            for p, d, g in self._grads(group):
                if momentum != 0:  # only then does SGD keep state (PyTorch's state stays empty otherwise)
                    st = self.state[p]
                    buf = st.get("momentum_buffer")
                    if buf is None:
                        st["momentum_buffer"] = buf = _wrap(g.copy())
                        b = buf._data
                    else:
                        b = buf._data
                        b *= momentum
                        b += g if dampening == 0 else g * (1 - dampening)
                    g = g + b * momentum if nesterov else b
                d -= g * lr
                p._bump()
        return loss
