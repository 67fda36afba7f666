"""RAdam: Adam whose adaptive step is switched on, and rectified, once the variance estimate is trustworthy."""

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

__all__ = ["RAdam"]


class RAdam(Optimizer):
    """RAdam (Liu et al., 2019): Adam whose adaptive step is switched on, and rectified, only once the variance
    estimate is reliable.

    With g the gradient of the loss with respect to a parameter p, at step t = 1, 2, ...:

        m ← β1 m + (1 - β1) g,  v ← β2 v + (1 - β2) g²,  m̂ = m / (1 - β1^t)
        ρ_∞ = 2/(1 - β2) - 1,  ρ_t = ρ_∞ - 2 t β2^t / (1 - β2^t)
        if ρ_t > 5:  p ← p - lr · m̂ · r_t · √(1 - β2^t) / (√v + ε)
                     with r_t = √((ρ_t - 4)(ρ_t - 2) ρ_∞ / ((ρ_∞ - 4)(ρ_∞ - 2) ρ_t))
        else:        p ← p - lr · m̂                (SGD with momentum, the first few steps)

    Args:
        params: the tensors to optimise (an iterable, e.g. ``model.parameters()``), or a list of dicts, each a
            parameter group with its own hyperparameters (``[{'params': ..., 'lr': ...}, ...]``).
        lr: the learning rate (default 1e-3).
        betas: (β1, β2) (default (0.9, 0.999)).
        eps: ε (default 1e-8).
        weight_decay: λ, an L2 penalty: λ·p is added to the gradient (default 0).
        decoupled_weight_decay: decay p directly, as AdamW does (default False).
        foreach: update small parameters of one dtype together, in one pass over concatenated arrays (the same
            numbers, fewer Python steps); default None: one parameter at a time.
        maximize: maximise the objective instead of minimising it (the gradient's sign is flipped) (default False).
        capturable: for CUDA graph capture; True raises PyTorch's error, since there is no GPU (default False).
        differentiable: differentiate through step(); not offered, ember updates parameters outside autograd
            (default False).

    Example:
        Minimising (w - 3)² from w = (0, 10) for 3 steps (still in the momentum-SGD phase, so the steps are lr · m̂: large):

        >>> w = ember.tensor([0.0, 10.0], requires_grad=True)
        >>> opt = optim.RAdam([w], lr=0.5)
        >>> for _ in range(3):
        ...     opt.zero_grad()
        ...     ((w - 3) ** 2).sum().backward()
        ...     opt.step()
        >>> w
        tensor([ 4.7934, -1.1845], requires_grad=True)
    """

    _elementwise = True
    _scalar_state = ("step",)

    def __init__(self, params: ParamsT, lr: float = 1e-3, betas=(0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0, decoupled_weight_decay: bool = False, *, foreach=None,
                 maximize: bool = False, capturable: bool = False, differentiable: bool = False) -> None:
        _check_lr(lr)
        _check_nonneg(eps, "epsilon value")
        _check_betas(betas)
        _check_nonneg(weight_decay, "weight_decay value")
        defaults = {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay, "maximize": maximize,
                    "foreach": foreach, "capturable": capturable, "decoupled_weight_decay": decoupled_weight_decay,
                    "differentiable": differentiable}
        super().__init__(params, defaults)

    def __setstate__(self, state):
        super().__setstate__(state)
        for group in self.param_groups:
            for k, v in (("foreach", None), ("maximize", False), ("differentiable", False),
                         ("decoupled_weight_decay", False), ("capturable", False)):
                group.setdefault(k, v)

    def _new_state(self, group, p):
        return {"step": _step_tensor(), "exp_avg": _zeros_like(p), "exp_avg_sq": _zeros_like(p)}

    def _state_spec(self, group, p):
        return {"step": "scalar", "exp_avg": "param", "exp_avg_sq": "param"}

    def _update(self, group, d, g, s):
        lr, wd, eps = float(group["lr"]), group["weight_decay"], group["eps"]
        beta1, beta2 = group["betas"]
        s["step"] += 1
        step = float(s["step"])
        if wd != 0 and group["decoupled_weight_decay"]:
            d *= 1 - lr * wd
        m, v = s["exp_avg"], s["exp_avg_sq"]
        _lerp_(m, g, 1 - beta1)
        v *= beta2
        _addcmul_(v, g, g, 1 - beta2)
        bias_correction1 = 1 - beta1 ** step
        bias_correction2 = 1 - beta2 ** step
        upd = m / bias_correction1
        upd *= lr
        rho_inf = 2 / (1 - beta2) - 1
        rho_t = rho_inf - 2 * step * (beta2 ** step) / bias_correction2
        if rho_t > 5.0:
            denom = np.sqrt(v)
            denom += eps
            upd *= bias_correction2 ** 0.5 / denom
            upd *= ((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t)) ** 0.5
        d -= upd

    def step(self, closure=None):
        """One RAdam update of every parameter that has a gradient."""
        return self._step(closure)
