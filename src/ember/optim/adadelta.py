"""Adadelta: step sizes from the ratio of running RMS of past updates to running RMS of gradients."""

from __future__ import annotations

from .._array import np
from .optimizer import Optimizer, ParamsT, _addcmul_, _check_lr, _check_nonneg, _step_tensor, _zeros_like

__all__ = ["Adadelta"]


class Adadelta(Optimizer):
    """Adadelta: ``v = r*v + (1-r)*g^2``; ``dx = sqrt(u+eps)/sqrt(v+eps)*g``; ``u = r*u + (1-r)*dx^2``; ``p -= lr*dx``."""

    _elementwise = True
    _scalar_state = ("step",)

    def __init__(self, params: ParamsT, lr: float = 1.0, rho: float = 0.9, eps: float = 1e-6,
                 weight_decay: float = 0, foreach=None, *, capturable: bool = False, maximize: bool = False,
                 differentiable: bool = False) -> None:
        _check_lr(lr)
        if not 0.0 <= rho <= 1.0:
            raise ValueError(f"Invalid rho value: {rho}")
        _check_nonneg(eps, "epsilon value")
        _check_nonneg(weight_decay, "weight_decay value")
        defaults = {"lr": lr, "rho": rho, "eps": eps, "weight_decay": weight_decay, "maximize": maximize,
                    "capturable": capturable, "foreach": foreach, "differentiable": differentiable}
        super().__init__(params, defaults)

    def _check_group(self, group):
        if group.get("capturable", False):  # PyTorch's Adadelta lists no 'xla' here
            raise AssertionError("If capturable=True, params and state_steps must be on supported devices: "
                                 "['cuda', 'xpu', 'hpu', 'privateuseone'].")

    def _new_state(self, group, p):
        return {"step": _step_tensor(), "square_avg": _zeros_like(p), "acc_delta": _zeros_like(p)}

    def _state_spec(self, group, p):
        return {"step": "scalar", "square_avg": "param", "acc_delta": "param"}

    def _update(self, group, d, g, s):
        rho, eps = group["rho"], group["eps"]
        s["step"] += 1
        sq, acc = s["square_avg"], s["acc_delta"]
        sq *= rho
        _addcmul_(sq, g, g, 1 - rho)
        std = sq + eps
        np.sqrt(std, out=std)
        delta = acc + eps
        np.sqrt(delta, out=delta)
        delta /= std
        delta *= g
        acc *= rho
        _addcmul_(acc, delta, delta, 1 - rho)
        d -= delta * float(group["lr"])

    def step(self, closure=None):
        """One Adadelta update of every parameter that has a gradient."""
        return self._step(closure)
