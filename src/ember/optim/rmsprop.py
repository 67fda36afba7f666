"""RMSprop: divide the gradient by a running root-mean-square of recent gradients."""

from __future__ import annotations

from .._array import np
from .optimizer import (
    Optimizer,
    ParamsT,
    _add_scaled,
    _addcmul_,
    _check_lr,
    _check_nonneg,
    _lerp_,
    _step_tensor,
    _zeros_like,
)

__all__ = ["RMSprop"]


class RMSprop(Optimizer):
    """RMSprop (Hinton): divide the gradient by a running root-mean-square of its recent values.

    With g the gradient of the loss with respect to a parameter p, at step t = 1, 2, ...:

        g ← g + λ p
        v ← α v + (1 - α) g²
        centered:  ḡ ← α ḡ + (1 - α) g,  and v - ḡ² (the variance) replaces v below
        momentum μ > 0:  b ← μ b + g / (√v + ε),  p ← p - lr · b
        otherwise:       p ← p - lr · g / (√v + ε)

    Args:
        params: the tensors to optimise (an iterable, e.g. ``model.parameters()``), or a list of dicts, each a
            parameter group with its own hyperparameters (``[{'params': ..., 'lr': ...}, ...]``).
        lr: the learning rate (default 1e-2).
        alpha: α, the smoothing constant (default 0.99).
        eps: ε (default 1e-8).
        weight_decay: λ, an L2 penalty: λ·p is added to the gradient (default 0).
        momentum: μ (default 0).
        centered: normalise by the estimated variance instead of the raw second moment (default False).
        capturable: for CUDA graph capture; True raises PyTorch's error, since there is no GPU (default False).
        foreach: update small parameters of one dtype together, in one pass over concatenated arrays (the same
            numbers, fewer Python steps); default None: one parameter at a time.
        maximize: maximise the objective instead of minimising it (the gradient's sign is flipped) (default False).
        differentiable: differentiate through step(); not offered, ember updates parameters outside autograd
            (default False).

    Example:
        Minimising (w - 3)² from w = (0, 10) for 3 steps:

        >>> w = ember.tensor([0.0, 10.0], requires_grad=True)
        >>> opt = optim.RMSprop([w], lr=0.1)
        >>> for _ in range(3):
        ...     opt.zero_grad()
        ...     ((w - 3) ** 2).sum().backward()
        ...     opt.step()
        >>> w
        tensor([1.9310, 7.8426], requires_grad=True)
    """

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
            avg = sq.copy()
            _addcmul_(avg, ga, ga, -1)  # square_avg.addcmul(grad_avg, grad_avg, value=-1): fused
            np.sqrt(avg, out=avg)
        else:
            avg = np.sqrt(sq)
        avg += eps
        if group["momentum"] > 0:
            buf = s["momentum_buffer"]
            buf *= group["momentum"]
            buf += g / avg
            _add_scaled(d, buf, -lr, out=d)  # param.add_(buf, alpha=-lr): fused
        else:
            upd = g * -lr
            upd /= avg
            d += upd

    def step(self, closure=None):
        """One RMSprop update of every parameter that has a gradient."""
        return self._step(closure)
