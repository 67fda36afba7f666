"""Rprop: per-coordinate step sizes that grow while the gradient keeps its sign and shrink when it flips."""

from __future__ import annotations

from .._array import np
from .optimizer import Optimizer, ParamsT, _check_lr, _step_tensor, _wrap, _zeros_like

__all__ = ["Rprop"]


class Rprop(Optimizer):
    """Rprop: ``eta = eta+ if g*g_prev > 0, eta- if < 0, 1 if = 0``; ``step = clamp(step*eta, min, max)``;

    where the sign flipped the gradient counts as 0 (no move, and no flip next time); ``p -= sign(g) * step``.
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
