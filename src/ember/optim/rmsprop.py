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

    _elementwise = True
    _scalar_state = ("step",)

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

    def _new_state(self, group, p):
        st = {"step": _step_tensor(), "square_avg": _zeros_like(p)}
        if group["momentum"] > 0:
            st["momentum_buffer"] = _zeros_like(p)
        if group["centered"]:
            st["grad_avg"] = _zeros_like(p)
        return st

    def _state_spec(self, group, p):
        spec = {"step": "scalar", "square_avg": "param"}
        if group["momentum"] > 0:
            spec["momentum_buffer"] = "param"
        if group["centered"]:
            spec["grad_avg"] = "param"
        return spec

    def _update(self, group, d, g, s):
        lr, alpha, eps = float(group["lr"]), group["alpha"], group["eps"]
        s["step"] += 1
        sq = s["square_avg"]
        sq *= alpha
        _addcmul_(sq, g, g, 1 - alpha)
        if group["centered"]:
            ga = s["grad_avg"]
            _lerp_(ga, g, 1 - alpha)
            avg = sq - ga * ga
            np.sqrt(avg, out=avg)
        else:
            avg = np.sqrt(sq)
        avg += eps
        if group["momentum"] > 0:
            buf = s["momentum_buffer"]
            buf *= group["momentum"]
            buf += g / avg
            d -= buf * lr
        else:
            upd = g * -lr
            upd /= avg
            d += upd

    def step(self, closure=None):
        """One RMSprop update of every parameter that has a gradient."""
        return self._step(closure)
