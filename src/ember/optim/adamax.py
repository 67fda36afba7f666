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

    def step(self, closure=None):
        """One Adamax update of every parameter that has a gradient."""
        loss = self._closure_loss(closure)
        for group in self.param_groups:
            lr = float(group["lr"])
            beta1, beta2 = group["betas"]
            eps = group["eps"]
            for p, d, g in self._grads(group):
                st = self.state[p]
                if len(st) == 0:
                    st["step"] = _step_tensor()
                    st["exp_avg"] = _zeros_like(p)
                    st["exp_inf"] = _zeros_like(p)
                step_t = st["step"]._data
                step_t += 1
                m, u = st["exp_avg"]._data, st["exp_inf"]._data
                _lerp_(m, g, 1 - beta1)
                u *= beta2
                np.maximum(u, np.abs(g) + eps, out=u)
                clr = lr / (1 - beta1 ** float(step_t))
                upd = m * -clr
                upd /= u
                d += upd
                p._bump()
        return loss
