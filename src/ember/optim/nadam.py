"""NAdam: Adam with Nesterov momentum and a warming-up momentum schedule (Dozat, 2016)."""

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

__all__ = ["NAdam"]


class NAdam(Optimizer):
    """NAdam: ``mu_t = b1*(1 - 0.5*0.96^(t*psi))``; Nesterov-corrected Adam step with those momenta."""

    def __init__(self, params: ParamsT, lr: float = 2e-3, betas=(0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0, momentum_decay: float = 4e-3, decoupled_weight_decay: bool = False, *,
                 foreach=None, maximize: bool = False, capturable: bool = False,
                 differentiable: bool = False) -> None:
        _check_lr(lr)
        _check_nonneg(eps, "epsilon value")
        _check_betas(betas)
        _check_nonneg(weight_decay, "weight_decay value")
        _check_nonneg(momentum_decay, "momentum_decay value")
        defaults = {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay,
                    "momentum_decay": momentum_decay, "decoupled_weight_decay": decoupled_weight_decay,
                    "maximize": maximize, "foreach": foreach, "capturable": capturable,
                    "differentiable": differentiable}
        super().__init__(params, defaults)

    def step(self, closure=None):
        """One NAdam update of every parameter that has a gradient."""
        loss = self._closure_loss(closure)
        for group in self.param_groups:
            lr = float(group["lr"])
            beta1, beta2 = group["betas"]
            eps, wd, psi = group["eps"], group["weight_decay"], group["momentum_decay"]
            for p, d, g in self._grads(group, l2=not group["decoupled_weight_decay"]):
                st = self.state[p]
                if len(st) == 0:
                    st["step"] = _step_tensor()
                    st["mu_product"] = _step_tensor(1.0)
                    st["exp_avg"] = _zeros_like(p)
                    st["exp_avg_sq"] = _zeros_like(p)
                step_t = st["step"]._data
                step_t += 1
                step = float(step_t)
                bias_correction2 = 1 - beta2 ** step
                if wd != 0 and group["decoupled_weight_decay"]:
                    d *= 1 - lr * wd
                mu = beta1 * (1.0 - 0.5 * (0.96 ** (step * psi)))
                mu_next = beta1 * (1.0 - 0.5 * (0.96 ** ((step + 1) * psi)))
                # the running product lives in a float32 tensor, so it is rounded to float32 every step
                mu_prod_t = st["mu_product"]._data
                mu_prod_t *= mu
                mu_product = float(mu_prod_t)
                mu_product_next = mu_product * mu_next
                m, v = st["exp_avg"]._data, st["exp_avg_sq"]._data
                _lerp_(m, g, 1 - beta1)
                v *= beta2
                _addcmul_(v, g, g, 1 - beta2)
                denom = v / bias_correction2
                np.sqrt(denom, out=denom)
                denom += eps
                upd = g * (-lr * (1.0 - mu) / (1.0 - mu_product))
                upd /= denom
                d += upd
                upd = m * ((-lr * mu_next) / (1.0 - mu_product_next))
                upd /= denom
                d += upd
                p._bump()
        return loss
