"""Rprop: per-coordinate step sizes that grow while the gradient keeps its sign and shrink when it flips."""

from __future__ import annotations

from .._array import np
from .optimizer import Optimizer, ParamsT, _check_lr, _step_tensor, _wrap, _zeros_like

__all__ = ["Rprop"]


class Rprop(Optimizer):
    """Rprop (Riedmiller and Braun, 1993): per-element step sizes that grow while the gradient keeps its sign and
    shrink when it flips; only the gradient's sign is used.

    With g the gradient of the loss with respect to a parameter p, at step t = 1, 2, ...:

        if g · g_prev > 0:  step ← min(step · η+, step_max)
        if g · g_prev < 0:  step ← max(step · η-, step_min), and g ← 0 (no move now, and no flip next time)
        p ← p - sign(g) · step                 (every step starts at lr)

    Args:
        params: the tensors to optimise (an iterable, e.g. ``model.parameters()``), or a list of dicts, each a
            parameter group with its own hyperparameters (``[{'params': ..., 'lr': ...}, ...]``).
        lr: the initial step size (default 1e-2).
        etas: (η-, η+), the shrink and growth factors (default (0.5, 1.2)).
        step_sizes: (step_min, step_max) (default (1e-6, 50)).
        capturable: for CUDA graph capture; True raises PyTorch's error, since there is no GPU (default False).
        foreach: update small parameters of one dtype together, in one pass over concatenated arrays (the same
            numbers, fewer Python steps); default None: one parameter at a time.
        maximize: maximise the objective instead of minimising it (the gradient's sign is flipped) (default False).
        differentiable: differentiate through step(); not offered, ember updates parameters outside autograd
            (default False).

    Example:
        Minimising (w - 3)² from w = (0, 10) for 3 steps (steps of 0.5, 0.6, 0.72):

        >>> w = ember.tensor([0.0, 10.0], requires_grad=True)
        >>> opt = optim.Rprop([w], lr=0.5)
        >>> for _ in range(3):
        ...     opt.zero_grad()
        ...     ((w - 3) ** 2).sum().backward()
        ...     opt.step()
        >>> w
        tensor([1.8200, 8.1800], requires_grad=True)
    """

    _elementwise = True
    _scalar_state = ("step",)

    def __init__(self, params: ParamsT, lr: float = 1e-2, etas=(0.5, 1.2), step_sizes=(1e-6, 50), *,
                 capturable: bool = False, foreach=None, maximize: bool = False,
                 differentiable: bool = False) -> None:
        _check_lr(lr)
        if not 0.0 < etas[0] < 1.0 < etas[1]:
            raise ValueError(f"Invalid eta values: {etas[0]}, {etas[1]}")
        defaults = {"lr": lr, "etas": etas, "step_sizes": step_sizes, "foreach": foreach, "maximize": maximize,
                    "differentiable": differentiable, "capturable": capturable}
        super().__init__(params, defaults)

    def __setstate__(self, state):
        super().__setstate__(state)
        for group in self.param_groups:
            for k, v in (("foreach", None), ("maximize", False), ("differentiable", False), ("capturable", False)):
                group.setdefault(k, v)

    def _new_state(self, group, p):
        lr = float(group["lr"])
        if np.iscomplexobj(p._data):
            lr = complex(lr, lr)  # real and imaginary parts step as two independent reals
        return {"step": _step_tensor(), "prev": _zeros_like(p), "step_size": _wrap(np.full_like(p._data, lr))}

    def _state_spec(self, group, p):
        return {"step": "scalar", "prev": "param", "step_size": "param"}

    def _update(self, group, d, g, s):
        etaminus, etaplus = group["etas"]
        step_size_min, step_size_max = group["step_sizes"]
        s["step"] += 1
        prev, step_size = s["prev"], s["step_size"]
        sign = np.sign(g * prev)
        factor = np.where(sign > 0, sign.dtype.type(etaplus), np.where(sign < 0, sign.dtype.type(etaminus),
                                                                       sign.dtype.type(1)))
        step_size *= factor
        np.clip(step_size, step_size_min, step_size_max, out=step_size)
        g = np.where(factor == etaminus, g.dtype.type(0), g)
        d -= np.sign(g) * step_size
        prev[...] = g

    def step(self, closure=None):
        """One Rprop update of every parameter that has a gradient."""
        return self._step(closure)
