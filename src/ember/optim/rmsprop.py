"""RMSprop: divide the gradient by a running root-mean-square of recent gradients."""

from __future__ import annotations

from .._array import np
from .optimizer import (
    Optimizer,
    ParamsT,
    _addcmul_,
    _check_lr,
    _check_nonneg,
    _lerp_,
    _step_tensor,
    _zeros_like,
)

__all__ = ["RMSprop"]


class RMSprop(Optimizer):
    """RMSprop: ``v = a*v + (1-a)*g^2``; ``p -= lr * g / (sqrt(v - mean(g)^2 if centered) + eps)``."""

    def __init__(self, params: ParamsT, lr: float = 1e-2, alpha: float = 0.99, eps: float = 1e-8,
                 weight_decay: float = 0, momentum: float = 0, centered: bool = False, capturable: bool = False,
                 foreach=None, maximize: bool = False, differentiable: bool = False) -> None:
        _check_lr(lr)
        _check_nonneg(eps, "epsilon value")
        _check_nonneg(momentum, "momentum value")
        _check_nonneg(weight_decay, "weight_decay value")
        _check_nonneg(alpha, "alpha value")
        defaults = {"lr": lr, "momentum": momentum, "alpha": alpha, "eps": eps, "centered": centered,
                    "weight_decay": weight_decay, "capturable": capturable, "foreach": foreach,
                    "maximize": maximize, "differentiable": differentiable}
        super().__init__(params, defaults)

    def step(self, closure=None):
        """One RMSprop update of every parameter that has a gradient."""
        loss = self._closure_loss(closure)
        for group in self.param_groups:
            lr = float(group["lr"])
            alpha, eps = group["alpha"], group["eps"]
            momentum, centered = group["momentum"], group["centered"]
            for p, d, g in self._grads(group):
                st = self.state[p]
                if len(st) == 0:
                    st["step"] = _step_tensor()
                    st["square_avg"] = _zeros_like(p)
                    if momentum > 0:
                        st["momentum_buffer"] = _zeros_like(p)
                    if centered:
                        st["grad_avg"] = _zeros_like(p)
                st["step"]._data += 1
                sq = st["square_avg"]._data
                sq *= alpha
                _addcmul_(sq, g, g, 1 - alpha)
                if centered:
                    ga = st["grad_avg"]._data
                    _lerp_(ga, g, 1 - alpha)
                    avg = sq - ga * ga
                    np.sqrt(avg, out=avg)
                else:
                    avg = np.sqrt(sq)
                avg += eps
                if momentum > 0:
                    buf = st["momentum_buffer"]._data
                    buf *= momentum
                    buf += g / avg
                    d -= buf * lr
                else:
                    upd = g * -lr
                    upd /= avg
                    d += upd
                p._bump()
        return loss
