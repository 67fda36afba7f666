"""ASGD: SGD with a decaying step size and a running (Polyak) average of the iterates."""

from __future__ import annotations

from .._array import np
from .optimizer import Optimizer, ParamsT, _check_lr, _check_nonneg, _step_tensor, _zeros_like

__all__ = ["ASGD"]


class ASGD(Optimizer):
    """ASGD (Polyak & Juditsky, 1992): ``p = p*(1 - lambd*eta) - eta*g``; ``ax += mu*(p - ax)`` (``ax = p`` while

    ``mu = 1``); then ``eta = lr / (1 + lambd*lr*t)^alpha`` and ``mu = 1/max(1, t - t0)``.
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
        d -= g * eta
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
