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
    """Adamax (Kingma and Ba, 2015): Adam with the RMS replaced by an exponentially weighted infinity norm.

    With g the gradient of the loss with respect to a parameter p, at step t = 1, 2, ...:

        g ← g + λ p
        m ← β1 m + (1 - β1) g
        u ← max(β2 u, |g| + ε)
        p ← p - lr / (1 - β1^t) · m / u

    Args:
        params: the tensors to optimise (an iterable, e.g. ``model.parameters()``), or a list of dicts, each a
            parameter group with its own hyperparameters (``[{'params': ..., 'lr': ...}, ...]``).
        lr: the learning rate (default 2e-3).
        betas: (β1, β2) (default (0.9, 0.999)).
        eps: ε (default 1e-8).
        weight_decay: λ, an L2 penalty: λ·p is added to the gradient (default 0).
        foreach: update small parameters of one dtype together, in one pass over concatenated arrays (the same
            numbers, fewer Python steps); default None: one parameter at a time.
        maximize: maximise the objective instead of minimising it (the gradient's sign is flipped) (default False).
        differentiable: differentiate through step(); not offered, ember updates parameters outside autograd
            (default False).
        capturable: for CUDA graph capture; True raises PyTorch's error, since there is no GPU (default False).

    Example:
        Minimising (w - 3)² from w = (0, 10) for 3 steps:

        >>> w = ember.tensor([0.0, 10.0], requires_grad=True)
        >>> opt = optim.Adamax([w], lr=0.5)
        >>> for _ in range(3):
        ...     opt.zero_grad()
        ...     ((w - 3) ** 2).sum().backward()
        ...     opt.step()
        >>> w
        tensor([1.3709, 8.5551], requires_grad=True)
    """

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
