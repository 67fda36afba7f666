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
    """NAdam (Dozat, 2016): Adam with Nesterov momentum, the momentum coefficient warming up over the steps.

    With g the gradient of the loss with respect to a parameter p, at step t = 1, 2, ...:

        μ_t = β1 (1 - ½ · 0.96^(t ψ))                 (ψ = momentum_decay)
        g ← g + λ p                                   (decoupled_weight_decay: p ← p (1 - lr λ) instead)
        m ← β1 m + (1 - β1) g,  v ← β2 v + (1 - β2) g²,  v̂ = v / (1 - β2^t)
        p ← p - lr (1 - μ_t) / (1 - Π_{i≤t} μ_i) · g / (√v̂ + ε) - lr μ_{t+1} / (1 - Π_{i≤t+1} μ_i) · m / (√v̂ + ε)

    Args:
        params: the tensors to optimise (an iterable, e.g. ``model.parameters()``), or a list of dicts, each a
            parameter group with its own hyperparameters (``[{'params': ..., 'lr': ...}, ...]``).
        lr: the learning rate (default 2e-3).
        betas: (β1, β2) (default (0.9, 0.999)).
        eps: ε (default 1e-8).
        weight_decay: λ, an L2 penalty: λ·p is added to the gradient (default 0).
        momentum_decay: ψ (default 4e-3).
        decoupled_weight_decay: decay p directly, as AdamW does (NAdamW) (default False).
        foreach: update small parameters of one dtype together, in one pass over concatenated arrays (the same
            numbers, fewer Python steps); default None: one parameter at a time.
        maximize: maximise the objective instead of minimising it (the gradient's sign is flipped) (default False).
        capturable: for CUDA graph capture; True raises PyTorch's error, since there is no GPU (default False).
        differentiable: differentiate through step(); not offered, ember updates parameters outside autograd
            (default False).

    Example:
        Minimising (w - 3)² from w = (0, 10) for 3 steps:

        >>> w = ember.tensor([0.0, 10.0], requires_grad=True)
        >>> opt = optim.NAdam([w], lr=0.5)
        >>> for _ in range(3):
        ...     opt.zero_grad()
        ...     ((w - 3) ** 2).sum().backward()
        ...     opt.step()
        >>> w
        tensor([1.1976, 8.7484], requires_grad=True)
    """

    _elementwise = True
    _scalar_state = ("step", "mu_product")
    _capturable_what = "params, mu_products and state_steps"

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

    def _new_state(self, group, p):
        return {"step": _step_tensor(), "mu_product": _step_tensor(1.0), "exp_avg": _zeros_like(p),
                "exp_avg_sq": _zeros_like(p)}

    def _state_spec(self, group, p):
        return {"step": "scalar", "mu_product": "scalar", "exp_avg": "param", "exp_avg_sq": "param"}

    def _update(self, group, d, g, s):
        lr = float(group["lr"])
        beta1, beta2 = group["betas"]
        eps, wd, psi = group["eps"], group["weight_decay"], group["momentum_decay"]
        s["step"] += 1
        step = float(s["step"])
        bias_correction2 = 1 - beta2 ** step
        if wd != 0 and group["decoupled_weight_decay"]:
            d *= 1 - lr * wd
        mu = beta1 * (1.0 - 0.5 * (0.96 ** (step * psi)))
        mu_next = beta1 * (1.0 - 0.5 * (0.96 ** ((step + 1) * psi)))
        # the running product lives in a 0-d tensor (float32 unless loaded for float64 parameters), so it is
        # rounded to that dtype every step
        s["mu_product"] *= mu
        mu_product = float(s["mu_product"])
        mu_product_next = mu_product * mu_next
        m, v = s["exp_avg"], s["exp_avg_sq"]
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

    def step(self, closure=None):
        """One NAdam update of every parameter that has a gradient."""
        return self._step(closure)
