"""Adagrad: per-coordinate learning rates scaled by the root of the summed squared gradients."""

from __future__ import annotations

from .._array import np
from .optimizer import Optimizer, ParamsT, _check_fused, _check_lr, _check_nonneg, _step_tensor, _wrap

__all__ = ["Adagrad"]


class Adagrad(Optimizer):
    """Adagrad (Duchi et al., 2011): per-element steps divided by the root of the sum of all past squared gradients.

    With g the gradient of the loss with respect to a parameter p, at step t = 1, 2, ...:

        g ← g + λ p
        s ← s + g²                                 (s starts at initial_accumulator_value)
        p ← p - lr / (1 + (t - 1) lr_decay) · g / (√s + ε)

    Elements with large past gradients take ever smaller steps.

    Args:
        params: the tensors to optimise (an iterable, e.g. ``model.parameters()``), or a list of dicts, each a
            parameter group with its own hyperparameters (``[{'params': ..., 'lr': ...}, ...]``).
        lr: the learning rate (default 1e-2).
        lr_decay: the decay of the learning rate with t (default 0).
        weight_decay: λ, an L2 penalty: λ·p is added to the gradient (default 0).
        initial_accumulator_value: the starting value of s (default 0).
        eps: ε (default 1e-10).
        foreach: update small parameters of one dtype together, in one pass over concatenated arrays (the same
            numbers, fewer Python steps); default None: one parameter at a time.
        maximize: maximise the objective instead of minimising it (the gradient's sign is flipped) (default False).
        differentiable: differentiate through step(); not offered, ember updates parameters outside autograd
            (default False).
        fused: PyTorch's fused kernel; accepted (the numbers are the same), and rejected together with foreach or
            differentiable, as PyTorch rejects it.

    Example:
        Minimising (w - 3)² from w = (0, 10) for 3 steps:

        >>> w = ember.tensor([0.0, 10.0], requires_grad=True)
        >>> opt = optim.Adagrad([w], lr=0.5)
        >>> for _ in range(3):
        ...     opt.zero_grad()
        ...     ((w - 3) ** 2).sum().backward()
        ...     opt.step()
        >>> w
        tensor([1.0638, 8.8888], requires_grad=True)
    """

    _elementwise = True
    _scalar_state = ("step",)

    def __init__(self, params: ParamsT, lr: float = 1e-2, lr_decay: float = 0, weight_decay: float = 0,
                 initial_accumulator_value: float = 0, eps: float = 1e-10, foreach=None, *,
                 maximize: bool = False, differentiable: bool = False, fused=None) -> None:
        _check_lr(lr)
        _check_nonneg(lr_decay, "lr_decay value")
        _check_nonneg(weight_decay, "weight_decay value")
        _check_nonneg(initial_accumulator_value, "initial_accumulator_value value")
        _check_nonneg(eps, "epsilon value")
        defaults = {"lr": lr, "lr_decay": lr_decay, "eps": eps, "weight_decay": weight_decay,
                    "initial_accumulator_value": initial_accumulator_value, "foreach": foreach,
                    "maximize": maximize, "differentiable": differentiable, "fused": fused}
        super().__init__(params, defaults)
        _check_fused(fused, foreach, differentiable)
        # Adagrad creates its state eagerly, for every parameter (so state_dict has it before the first step)
        for group in self.param_groups:
            for p in group["params"]:
                self.state[p] = self._accumulator(p, group["initial_accumulator_value"])

    @staticmethod
    def _accumulator(p, value) -> dict:
        if np.iscomplexobj(p._data):
            value = complex(value, value)
        return {"step": _step_tensor(), "sum": _wrap(np.full_like(p._data, value))}

    def __setstate__(self, state):
        super().__setstate__(state)
        for group in self.param_groups:
            group.setdefault("foreach", None)
            group.setdefault("maximize", False)
            group.setdefault("differentiable", False)
            group.setdefault("fused", None)

    def share_memory(self) -> None:
        """Calls ``share_memory_()`` on the accumulated sums."""
        for group in self.param_groups:
            for p in group["params"]:
                self.state[p]["sum"].share_memory_()

    def _new_state(self, group, p):
        # parameters added later (add_param_group) start from the constructor's initial value, as in PyTorch
        return self._accumulator(p, self.defaults["initial_accumulator_value"])

    def _state_spec(self, group, p):
        return {"step": "scalar", "sum": "param"}

    def _update(self, group, d, g, s):
        s["step"] += 1
        clr = float(group["lr"]) / (1 + (float(s["step"]) - 1) * group["lr_decay"])
        acc = s["sum"]
        acc += g * g
        std = np.sqrt(acc)
        std += group["eps"]
        upd = g * -clr
        upd /= std
        d += upd

    def step(self, closure=None):
        """One Adagrad update of every parameter that has a gradient."""
        return self._step(closure)
