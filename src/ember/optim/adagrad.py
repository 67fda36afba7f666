"""Adagrad: per-coordinate learning rates scaled by the root of the summed squared gradients."""

from __future__ import annotations

from .._array import np
from .optimizer import Optimizer, ParamsT, _check_fused, _check_lr, _check_nonneg, _step_tensor, _wrap

__all__ = ["Adagrad"]


class Adagrad(Optimizer):
    """Adagrad: ``s += g^2``; ``p -= lr / (1 + (t-1)*lr_decay) * g / (sqrt(s) + eps)``."""

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
