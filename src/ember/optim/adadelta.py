"""Adadelta: step sizes from the ratio of running RMS of past updates to running RMS of gradients."""

from __future__ import annotations

from .._array import np
from .optimizer import (
    Optimizer,
    ParamsT,
    _add_scaled,
    _addcmul_,
    _check_lr,
    _check_nonneg,
    _step_tensor,
    _zeros_like,
)

__all__ = ["Adadelta"]


class Adadelta(Optimizer):
    """Adadelta (Zeiler, 2012): steps scaled by the ratio of running RMS values of past updates and of gradients.

    With g the gradient of the loss with respect to a parameter p, at step t = 1, 2, ...:

        g ← g + λ p
        v ← ρ v + (1 - ρ) g²
        Δ = √(u + ε) / √(v + ε) · g
        u ← ρ u + (1 - ρ) Δ²
        p ← p - lr · Δ

    The units of Δ match p's, so lr = 1 (the default) is the usual choice; the first steps are tiny.

    Args:
        params: the tensors to optimise (an iterable, e.g. ``model.parameters()``), or a list of dicts, each a
            parameter group with its own hyperparameters (``[{'params': ..., 'lr': ...}, ...]``).
        lr: a factor on Δ (default 1).
        rho: ρ, the decay rate of both averages (default 0.9).
        eps: ε (default 1e-6).
        weight_decay: λ, an L2 penalty: λ·p is added to the gradient (default 0).
        foreach: update small parameters of one dtype together, in one pass over concatenated arrays (the same
            numbers, fewer Python steps); default None: one parameter at a time.
        capturable: for CUDA graph capture; True raises PyTorch's error, since there is no GPU (default False).
        maximize: maximise the objective instead of minimising it (the gradient's sign is flipped) (default False).
        differentiable: differentiate through step(); not offered, ember updates parameters outside autograd
            (default False).

    Example:
        Minimising (w - 3)² from w = (0, 10) for 3 steps (the first steps are about √ε):

        >>> w = ember.tensor([0.0, 10.0], requires_grad=True)
        >>> opt = optim.Adadelta([w], lr=1.0)
        >>> for _ in range(3):
        ...     opt.zero_grad()
        ...     ((w - 3) ** 2).sum().backward()
        ...     opt.step()
        >>> w
        tensor([9.7020e-03, 9.9903e+00], requires_grad=True)
    """

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
        _add_scaled(d, delta, -float(group["lr"]), out=d)  # param.add_(delta, alpha=-lr): fused

    def step(self, closure=None):
        """One Adadelta update of every parameter that has a gradient."""
        return self._step(closure)
