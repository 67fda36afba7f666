"""Adagrad: per-coordinate learning rates scaled by the root of the summed squared gradients."""

from __future__ import annotations

from .._array import np
from .optimizer import Optimizer, ParamsT, _check_lr, _check_nonneg, _step_tensor, _wrap

__all__ = ["Adagrad"]


class Adagrad(Optimizer):
    """Adagrad: ``s += g^2``; ``p -= lr / (1 + (t-1)*lr_decay) * g / (sqrt(s) + eps)``."""

    def __init__(self, params: ParamsT, lr: float = 1e-2, lr_decay: float = 0, weight_decay: float = 0,
                 initial_accumulator_value: float = 0, eps: float = 1e-10, foreach=None, *,
                 maximize: bool = False, differentiable: bool = False, fused=None) -> None:
        _check_lr(lr)
        _check_nonneg(lr_decay, "lr_decay value")
        _check_nonneg(weight_decay, "weight_decay value")
        _check_nonneg(initial_accumulator_value, "initial_accumulator_value value")
        _check_nonneg(eps, "epsilon value")
        defaults = {"lr": lr, "lr_decay": lr_decay, "eps": eps, "weight_decay": weight_decay,
                    "initial_accumulator_value": initial_accumulator_value, "foreach": foreach,
                    "maximize": maximize, "differentiable": differentiable, "fused": fused}
        super().__init__(params, defaults)
        # Adagrad creates its state eagerly, for every parameter (so state_dict has it before the first step)
        for group in self.param_groups:
            for p in group["params"]:
                st = self.state[p]
                st["step"] = _step_tensor()
                st["sum"] = _wrap(np.full_like(p._data, group["initial_accumulator_value"]))

    def step(self, closure=None):
        """One Adagrad update of every parameter that has a gradient."""
        loss = self._closure_loss(closure)
        for group in self.param_groups:
            lr = float(group["lr"])
            lr_decay, eps = group["lr_decay"], group["eps"]
            for p, d, g in self._grads(group):
                st = self.state[p]
                step_t = st["step"]._data
                step_t += 1
                step = float(step_t)
                clr = lr / (1 + (step - 1) * lr_decay)
                s = st["sum"]._data
                s += g * g
                std = np.sqrt(s)
                std += eps
                upd = g * -clr
                upd /= std
                d += upd
                p._bump()
        return loss
