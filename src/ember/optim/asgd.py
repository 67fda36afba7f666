"""ASGD: SGD with a decaying step size and a running (Polyak) average of the iterates."""

from __future__ import annotations

from .._array import np
from .optimizer import Optimizer, ParamsT, _add_scaled, _check_lr, _check_nonneg, _step_tensor, _zeros_like

__all__ = ["ASGD"]


class ASGD(Optimizer):
    """Averaged SGD (Polyak and Juditsky, 1992): SGD with a decaying step, plus a running average of the iterates.

    With g the gradient of the loss with respect to a parameter p, at step t = 1, 2, ...:

        p ← p (1 - λ_d η) - η g                    (λ_d = lambd; g includes weight_decay)
        ax ← ax + μ (p - ax)                       (ax = p while μ = 1; read it from opt.state[p]['ax'])
        η ← lr / (1 + λ_d lr t)^α,  μ ← 1 / max(1, t - t0)

    Args:
        params: the tensors to optimise (an iterable, e.g. ``model.parameters()``), or a list of dicts, each a
            parameter group with its own hyperparameters (``[{'params': ..., 'lr': ...}, ...]``).
        lr: the learning rate (default 1e-2).
        lambd: λ_d, the decay term (default 1e-4).
        alpha: α, the power of the step's decay (default 0.75).
        t0: the step at which averaging starts (default 1e6).
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
        >>> opt = optim.ASGD([w], lr=0.1)
        >>> for _ in range(3):
        ...     opt.zero_grad()
        ...     ((w - 3) ** 2).sum().backward()
        ...     opt.step()
        >>> w
        tensor([1.4640, 6.5838], requires_grad=True)
    """

    _elementwise = True
    _scalar_state = ("step", "eta", "mu")
    _capturable_what = "params, mus, etas, and state_steps"

    def __init__(self, params: ParamsT, lr: float = 1e-2, lambd: float = 1e-4, alpha: float = 0.75,
                 t0: float = 1e6, weight_decay: float = 0, foreach=None, maximize: bool = False,
                 differentiable: bool = False, capturable: bool = False) -> None:
        _check_lr(lr)
        _check_nonneg(weight_decay, "weight_decay value")
        defaults = {"lr": lr, "lambd": lambd, "alpha": alpha, "t0": t0, "weight_decay": weight_decay,
                    "foreach": foreach, "maximize": maximize, "differentiable": differentiable,
                    "capturable": capturable}
        super().__init__(params, defaults)

    def __setstate__(self, state):
        super().__setstate__(state)
        for group in self.param_groups:
            for k, v in (("foreach", None), ("maximize", False), ("differentiable", False), ("capturable", False)):
                group.setdefault(k, v)

    def _new_state(self, group, p):
        return {"step": _step_tensor(), "eta": _step_tensor(float(group["lr"])), "mu": _step_tensor(1.0),
                "ax": _zeros_like(p)}

    def _state_spec(self, group, p):
        return {"step": "scalar", "eta": "scalar", "mu": "scalar", "ax": "param"}

    def _update(self, group, d, g, s):
        lr, lambd, alpha, t0 = float(group["lr"]), group["lambd"], group["alpha"], group["t0"]
        s["step"] += 1
        eta = float(s["eta"])
        d *= 1 - lambd * eta
        _add_scaled(d, g, -eta, out=d)  # param.add_(grad, alpha=-eta): fused
        ax = s["ax"]
        if float(s["mu"]) != 1:
            diff = d - ax
            diff *= s["mu"]
            ax += diff
        else:
            ax[...] = d
        step = float(s["step"])
        # eta and mu are 0-d tensors: the new values are rounded to their dtype (float32) as in PyTorch
        s["eta"][...] = np.float32(lr / ((1 + lambd * lr * step) ** alpha))
        s["mu"][...] = np.float32(1 / max(1, step - t0))

    def step(self, closure=None):
        """One ASGD update of every parameter that has a gradient."""
        return self._step(closure)
