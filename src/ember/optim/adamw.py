"""AdamW: Adam with weight decay applied to the parameters directly (decoupled from the moments)."""

from __future__ import annotations

from .adam import Adam
from .optimizer import ParamsT

__all__ = ["AdamW"]


class AdamW(Adam):
    """AdamW (Loshchilov and Hutter, 2019): Adam with the weight decay applied to the parameter, not the gradient.

    With g the gradient of the loss with respect to a parameter p, at step t = 1, 2, ...:

        p ← p (1 - lr λ)                         (decoupled weight decay, λ = weight_decay)
        then Adam's update with the raw gradient: m, v, and p ← p - lr · m̂ / (√v̂ + ε)

    Args:
        params: the tensors to optimise (an iterable, e.g. ``model.parameters()``), or a list of dicts, each a
            parameter group with its own hyperparameters (``[{'params': ..., 'lr': ...}, ...]``).
        lr: the learning rate (default 1e-3).
        betas: (β1, β2) (default (0.9, 0.999)).
        eps: ε (default 1e-8).
        weight_decay: λ (default 1e-2).
        amsgrad: as in Adam (default False).
        maximize: maximise the objective instead of minimising it (the gradient's sign is flipped) (default False).
        foreach: update small parameters of one dtype together, in one pass over concatenated arrays (the same
            numbers, fewer Python steps); default None: one parameter at a time.
        capturable: for CUDA graph capture; True raises PyTorch's error, since there is no GPU (default False).
        differentiable: differentiate through step(); not offered, ember updates parameters outside autograd
            (default False).
        fused: PyTorch's fused kernel; accepted (the numbers are the same), and rejected together with foreach or
            differentiable, as PyTorch rejects it.

    Example:
        Minimising (w - 3)² from w = (0, 10) for 3 steps:

        >>> w = ember.tensor([0.0, 10.0], requires_grad=True)
        >>> opt = optim.AdamW([w], lr=0.5, weight_decay=0.1)
        >>> for _ in range(3):
        ...     opt.zero_grad()
        ...     ((w - 3) ** 2).sum().backward()
        ...     opt.step()
        >>> w
        tensor([1.4093, 7.1607], requires_grad=True)
    """

    def __init__(self, params: ParamsT, lr: float = 1e-3, betas=(0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 1e-2, amsgrad: bool = False, *, maximize: bool = False, foreach=None,
                 capturable: bool = False, differentiable: bool = False, fused=None) -> None:
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, foreach=foreach, maximize=maximize,
                         capturable=capturable, differentiable=differentiable, fused=fused,
                         decoupled_weight_decay=True)

    def __setstate__(self, state):
        super().__setstate__(state)
        for group in self.param_groups:
            group["decoupled_weight_decay"] = True
