"""``Optimizer``: parameter groups, per-parameter state, ``zero_grad``, ``state_dict`` in PyTorch's layout.

Subclasses implement ``step``. Updates run on the NumPy arrays behind the parameters (``p._data``) with in-place
ufuncs, so a step costs one short Python loop over parameters plus whole-array NumPy calls.
"""

from __future__ import annotations

import warnings
from collections import defaultdict
from collections.abc import Callable, Iterable
from copy import deepcopy
from itertools import chain
from typing import Any

from .._array import np
from .._core.tensor import Tensor, _wrap
from ..autograd import grad_mode

__all__ = ["Optimizer", "required"]


class _RequiredParameter:
    """Marks a default that every parameter group must give (PyTorch's ``optim.optimizer.required``)."""

    def __repr__(self) -> str:
        return "<required parameter>"


required = _RequiredParameter()

ParamsT = Iterable[Any]


def _step_tensor(value: float = 0.0) -> Tensor:
    # PyTorch 2.x keeps the step count as a float32 0-d tensor on the CPU (so state_dicts carry tensors)
    return _wrap(np.array(value, dtype=np.float32))


def _zeros_like(p: Tensor) -> Tensor:
    return _wrap(np.zeros_like(p._data))


def _typename(obj) -> str:
    from ..ops.query import typename
    return typename(obj)


class Optimizer:
    """Base class of all optimizers: holds ``param_groups`` (dicts of params and hyperparameters) and ``state``."""

    def __init__(self, params: ParamsT, defaults: dict[str, Any]) -> None:
        self.defaults = defaults
        if isinstance(params, Tensor):
            raise TypeError("params argument given to the optimizer should be an iterable of Tensors or dicts, "
                            "but got " + _typename(params))
        self.state: defaultdict = defaultdict(dict)
        self.param_groups: list[dict[str, Any]] = []
        param_groups = list(params)
        if len(param_groups) == 0:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(param_groups[0], dict):
            param_groups = [{"params": param_groups}]
        for group in param_groups:
            self.add_param_group(group)

    # -- pickling / repr ---------------------------------------------------------------------------------
    def __getstate__(self) -> dict[str, Any]:
        return {"defaults": self.defaults, "state": self.state, "param_groups": self.param_groups}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.defaults.setdefault("differentiable", False)

    def __repr__(self) -> str:
        s = self.__class__.__name__ + " ("
        for i, group in enumerate(self.param_groups):
            s += f"\nParameter Group {i}\n"
            for key in sorted(group.keys()):
                if key != "params":
                    s += f"    {key}: {group[key]}\n"
        return s + ")"

    # -- groups ------------------------------------------------------------------------------------------
    def add_param_group(self, param_group: dict[str, Any]) -> None:
        """Append a group of parameters (with its own hyperparameters, defaults filling the rest)."""
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {type(param_group)}")
        params = param_group["params"]
        if isinstance(params, Tensor):
            params = [params]
        elif isinstance(params, set):
            raise TypeError("optimizer parameters need to be organized in ordered collections, but the ordering "
                            "of tensors in sets will change between runs. Please use a list instead.")
        else:
            params = list(params)
        names = [p[0] for p in params if isinstance(p, tuple)]
        tensors = [p[1] if isinstance(p, tuple) else p for p in params]
        param_group["params"] = tensors
        if names:
            if len(names) != len(tensors):
                raise ValueError("all optimizer params should be with/without names. Some param names are missing")
            param_group["param_names"] = names
        for p in tensors:
            if not isinstance(p, Tensor):
                raise TypeError("optimizer can only optimize Tensors, but one of the params is " + _typename(p))
            if not self.defaults.get("differentiable", None) and not (p.is_leaf or p.retains_grad):
                raise ValueError("can't optimize a non-leaf Tensor")
        for name, default in self.defaults.items():
            if default is required and name not in param_group:
                raise ValueError(f"parameter group didn't specify a value of required optimization parameter "
                                 f"{name}")
            param_group.setdefault(name, default)
        ids = {id(p) for p in tensors}
        if len(ids) != len(tensors):
            warnings.warn("optimizer contains a parameter group with duplicate parameters; in future, this will "
                          "cause an error; see github.com/pytorch/pytorch/issues/40967 for more information",
                          stacklevel=3)
        seen: set[int] = set()
        for group in self.param_groups:
            seen.update(id(p) for p in group["params"])
            if ("param_names" in param_group) != ("param_names" in group):
                which = "with names" if "param_names" in param_group else "without names"
                raise ValueError("all optimizer param groups should be with/without names. "
                                 f"cannot add param group {which} to the optimizer")
        if not seen.isdisjoint(ids):
            raise ValueError("some parameters appear in more than one parameter group")
        self.param_groups.append(param_group)

    # -- gradients -----------------------------------------------------------------------------------------
    def zero_grad(self, set_to_none: bool = True) -> None:
        """Reset every parameter's ``.grad``: to ``None`` (default) or to zeros in place."""
        for group in self.param_groups:
            for p in group["params"]:
                g = p._grad
                if g is None:
                    continue
                if set_to_none:
                    p._grad = None
                else:
                    if g.grad_fn is not None:
                        g.grad_fn = None
                    g._rg = False
                    g._data[...] = 0
                    g._bump()

    def step(self, closure: Callable[[], Any] | None = None):
        """Perform one optimization step (``closure`` re-evaluates the model and returns the loss)."""
        raise NotImplementedError

    def _grads(self, group: dict, l2: bool = True):
        """(param, its array, the gradient to use) for each parameter of ``group`` that has a gradient.

        The gradient is negated for ``maximize`` and, with ``l2``, gets ``weight_decay * param`` added
        (PyTorch's L2 penalty; AdamW-style decoupled decay is the optimizer's own business).
        """
        maximize = group.get("maximize", False)
        wd = group.get("weight_decay", 0) if l2 else 0
        for p in group["params"]:
            if p._grad is None:
                continue
            d = p._data
            g = p._grad._data
            if maximize:
                g = -g
            if wd != 0:
                g = g + d * wd
            yield p, d, g

    def _closure_loss(self, closure):
        if closure is None:
            return None
        with grad_mode.enable_grad():
            return closure()

    # -- state dict ----------------------------------------------------------------------------------------
    def state_dict(self) -> dict[str, Any]:
        """``{'state': {index: per-param state}, 'param_groups': [group with params as indices]}``."""
        mapping: dict[int, int] = {}
        start = 0

        def pack(group):
            nonlocal start
            packed = {k: v for k, v in group.items() if k != "params"}
            for i, p in enumerate(group["params"], start):
                mapping.setdefault(id(p), i)
            packed["params"] = [mapping[id(p)] for p in group["params"]]
            start += len(packed["params"])
            return packed

        groups = [pack(g) for g in self.param_groups]
        state = {(mapping[id(k)] if isinstance(k, Tensor) else k): v for k, v in self.state.items()}
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Load state and hyperparameters saved by ``state_dict`` (params matched by position)."""
        groups = self.param_groups
        saved_groups = deepcopy(state_dict["param_groups"])
        if len(groups) != len(saved_groups):
            raise ValueError("loaded state dict has a different number of parameter groups")
        if any(len(g["params"]) != len(s["params"]) for g, s in zip(groups, saved_groups)):
            raise ValueError("loaded state dict contains a parameter group that doesn't match the size of "
                             "optimizer's group")
        id_map = dict(zip(chain.from_iterable(g["params"] for g in saved_groups),
                          chain.from_iterable(g["params"] for g in groups)))

        def cast(param, value, key=None):
            if isinstance(value, Tensor):
                # 'step' keeps its dtype; other floating state follows the parameter's dtype (as PyTorch does)
                if key != "step" and param.is_floating_point() and value._data.dtype != param._data.dtype:
                    return _wrap(value._data.astype(param._data.dtype))
                return value
            if isinstance(value, dict):
                return {k: cast(param, v, k) for k, v in value.items()}
            if isinstance(value, (list, tuple)):
                return type(value)(cast(param, v) for v in value)
            return value

        state: defaultdict = defaultdict(dict)
        for k, v in state_dict["state"].items():
            if k in id_map:
                state[id_map[k]] = cast(id_map[k], v)
            else:
                state[k] = v

        new_groups = []
        for g, ng in zip(groups, saved_groups):
            ng["params"] = g["params"]
            if "param_names" in g and "param_names" not in ng:
                ng["param_names"] = g["param_names"]
            new_groups.append(ng)
        self.__setstate__({"state": state, "param_groups": new_groups})


def _grads(group):
    """(param, gradient array) for the params of ``group`` that have a gradient."""
    return [(p, p._grad._data) for p in group["params"] if p._grad is not None]


def _check_nonneg(value, what: str) -> None:
    if not 0.0 <= value:
        raise ValueError(f"Invalid {what}: {value}")


def _check_lr(lr) -> None:
    if isinstance(lr, Tensor) and lr.numel() != 1:
        raise ValueError("Tensor lr must be 1-element")
    _check_nonneg(lr, "learning rate")


def _check_betas(betas) -> None:
    if not 0.0 <= betas[0] < 1.0:
        raise ValueError(f"Invalid beta parameter at index 0: {betas[0]}")
    if not 0.0 <= betas[1] < 1.0:
        raise ValueError(f"Invalid beta parameter at index 1: {betas[1]}")


def _lerp_(avg: np.ndarray, target: np.ndarray, weight: float) -> None:
    """``avg.lerp_(target, weight)`` with PyTorch's two-branch formula (stable near both ends)."""
    diff = target - avg
    if abs(weight) < 0.5:
        diff *= weight
        avg += diff
    else:
        diff *= 1.0 - weight
        np.subtract(target, diff, out=avg)


def _addcmul_(out: np.ndarray, t1: np.ndarray, t2: np.ndarray, value: float) -> None:
    """``out += value * t1 * t2``, multiplied in PyTorch's order ((value * t1) * t2)."""
    tmp = t1 * value
    tmp *= t2
    out += tmp
