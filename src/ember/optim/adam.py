"""Adam (and, with decoupled weight decay, AdamW): bias-corrected first and second moment estimates."""

from __future__ import annotations

from .._array import np
from .optimizer import (
    Optimizer,
    ParamsT,
    _addcmul_,
    _check_betas,
    _check_lr,
    _check_nonneg,
    _lerp_,
    _step_tensor,
    _zeros_like,
)

__all__ = ["Adam"]


class Adam(Optimizer):
    """Adam: ``m = lerp(m, g, 1-b1)``, ``v = b2*v + (1-b2)*g^2``, ``p -= lr/(1-b1^t) * m / (sqrt(v/(1-b2^t)) + eps)``."""

    def __init__(self, params: ParamsT, lr: float = 1e-3, betas=(0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0, amsgrad: bool = False, *, foreach=None, maximize: bool = False,
                 capturable: bool = False, differentiable: bool = False, fused=None,
                 decoupled_weight_decay: bool = False) -> None:
        _check_lr(lr)
        _check_nonneg(eps, "epsilon value")
        _check_betas(betas)
        _check_nonneg(weight_decay, "weight_decay value")
        if not (isinstance(betas[0], float) and isinstance(betas[1], float)):
            from .._core.tensor import Tensor
            if not (isinstance(betas[0], Tensor) and isinstance(betas[1], Tensor)):
                raise ValueError("betas must be either both floats or both Tensors")  # noqa: TRY004 (as torch)
        defaults = {"lr": lr, "betas": tuple(betas), "eps": eps, "weight_decay": weight_decay,
                    "amsgrad": amsgrad, "maximize": maximize, "foreach": foreach, "capturable": capturable,
                    "differentiable": differentiable, "fused": fused,
                    "decoupled_weight_decay": decoupled_weight_decay}
        super().__init__(params, defaults)

    def __setstate__(self, state):
        super().__setstate__(state)
        for group in self.param_groups:
            for k, v in (("amsgrad", False), ("maximize", False), ("foreach", None), ("capturable", False),
                         ("differentiable", False), ("decoupled_weight_decay", False), ("fused", None)):
                group.setdefault(k, v)

    def step(self, closure=None):
        """One Adam update of every parameter that has a gradient."""
        loss = self._closure_loss(closure)
        for group in self.param_groups:
            lr = float(group["lr"])
            beta1, beta2 = (float(b) for b in group["betas"])
            eps, wd = group["eps"], group["weight_decay"]
            amsgrad, decoupled = group["amsgrad"], group["decoupled_weight_decay"]
            for p, d, g in self._grads(group, l2=not decoupled):
                st = self.state[p]
                if len(st) == 0:
                    st["step"] = _step_tensor()
                    st["exp_avg"] = _zeros_like(p)
                    st["exp_avg_sq"] = _zeros_like(p)
                    if amsgrad:
                        st["max_exp_avg_sq"] = _zeros_like(p)
                step_t = st["step"]._data
                step_t += 1
                if wd != 0 and decoupled:
                    d *= 1 - lr * wd
                m, v = st["exp_avg"]._data, st["exp_avg_sq"]._data
                _lerp_(m, g, 1 - beta1)
                v *= beta2
                _addcmul_(v, g, g, 1 - beta2)
                step = float(step_t)
                step_size = lr / (1 - beta1 ** step)
                bc2_sqrt = (1 - beta2 ** step) ** 0.5
                if amsgrad:
                    vmax = st["max_exp_avg_sq"]._data
                    np.maximum(vmax, v, out=vmax)
                    v = vmax
                denom = np.sqrt(v)
                denom /= bc2_sqrt
                denom += eps
                upd = m * -step_size
                upd /= denom
                d += upd
                p._bump()
        return loss
