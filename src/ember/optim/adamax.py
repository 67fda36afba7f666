"""Adamax: Adam with the infinity norm in place of the second moment."""

from __future__ import annotations

from .._array import np
from .optimizer import (
    Optimizer,
    ParamsT,
    _check_betas,
    _check_lr,
    _check_nonneg,
    _lerp_,
    _step_tensor,
    _zeros_like,
)

__all__ = ["Adamax"]


class Adamax(Optimizer):
    """Adamax: ``m = lerp(m, g, 1-b1)``, ``u = max(b2*u, |g|+eps)``, ``p -= lr/(1-b1^t) * m/u``."""

    _elementwise = True
    _scalar_state = ("step",)

    def __init__(self, params: ParamsT, lr: float = 2e-3, betas=(0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0, foreach=None, *, maximize: bool = False, differentiable: bool = False,
                 capturable: bool = False) -> None:
        _check_lr(lr)
        _check_nonneg(eps, "epsilon value")
        _check_betas(betas)
        _check_nonneg(weight_decay, "weight_decay value")
        defaults = {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay, "foreach": foreach,
                    "maximize": maximize, "differentiable": differentiable, "capturable": capturable}
        super().__init__(params, defaults)

    def _new_state(self, group, p):
        return {"step": _step_tensor(), "exp_avg": _zeros_like(p), "exp_inf": _zeros_like(p)}

    def _state_spec(self, group, p):
        return {"step": "scalar", "exp_avg": "param", "exp_inf": "param"}

    def _update(self, group, d, g, s):
        beta1, beta2 = group["betas"]
        s["step"] += 1
        m, u = s["exp_avg"], s["exp_inf"]
        _lerp_(m, g, 1 - beta1)
        u *= beta2
        np.maximum(u, np.abs(g) + group["eps"], out=u)
        clr = float(group["lr"]) / (1 - beta1 ** float(s["step"]))
        upd = m * -clr
        upd /= u
        d += upd

    def step(self, closure=None):
        """One Adamax update of every parameter that has a gradient."""
        return self._step(closure)
