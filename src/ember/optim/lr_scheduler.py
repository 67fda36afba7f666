"""Learning-rate schedulers, as ``torch.optim.lr_scheduler``.

Each scheduler's ``get_lr`` is the recursive ("chainable") form PyTorch uses on ``step()`` -- the new lr computed
from the group's current lr -- and ``_get_closed_form_lr`` the closed form used when an epoch is passed, so both
paths round exactly as PyTorch's do.
"""

from __future__ import annotations

import math
import types
import warnings
import weakref
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable
from functools import wraps
from typing import Any

from .optimizer import Optimizer

__all__ = [
    "ChainedScheduler",
    "ConstantLR",
    "CosineAnnealingLR",
    "CosineAnnealingWarmRestarts",
    "CyclicLR",
    "ExponentialLR",
    "LRScheduler",
    "LambdaLR",
    "LinearLR",
    "MultiStepLR",
    "MultiplicativeLR",
    "OneCycleLR",
    "PolynomialLR",
    "ReduceLROnPlateau",
    "SequentialLR",
    "StepLR",
]

EPOCH_DEPRECATION_WARNING = (
    "The epoch parameter in `scheduler.step()` was not necessary and is being deprecated where possible. Please use "
    "`scheduler.step()` to step the scheduler. During the deprecation, if epoch is different from None, the closed "
    "form is used instead of the new chainable form, where available. Please open an issue if you are unable to "
    "replicate your use case: https://github.com/pytorch/pytorch/issues/new/choose.")


def _lrs(optimizer: Optimizer, key: str = "lr") -> list:
    return [g[key] for g in optimizer.param_groups]


def _per_group(name: str, optimizer: Optimizer, value) -> list:
    """``value`` repeated per param group, or checked to have one entry per group."""
    n = len(optimizer.param_groups)
    if isinstance(value, (list, tuple)):
        if len(value) != n:
            raise ValueError(f"{name} must have the same length as optimizer.param_groups. {name} has "
                             f"{len(value)} values, param_groups has {n}.")
        return list(value)
    return [value] * n


def _check_optimizer(optimizer) -> None:
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"{type(optimizer).__name__} is not an Optimizer")


class LRScheduler:
    """The base class of the learning-rate schedulers: it records each group's ``initial_lr`` and, on every
    ``step()``, advances ``last_epoch`` and writes the schedule's lrs (``get_lr()``) into the optimizer's groups.

    Call ``sched.step()`` once per epoch, after the epoch's ``optimizer.step()`` calls. ``get_last_lr()`` gives
    the lrs it last set; ``state_dict()`` / ``load_state_dict()`` save and restore the schedule.

    Args:
        optimizer: the optimizer whose param_groups' lr this sets.
        last_epoch: the index of the last epoch, to resume a schedule (default -1: start from the beginning).

    Example:
        >>> opt = optim.SGD([ember.zeros(1, requires_grad=True)], lr=0.1)
        >>> sched = optim.lr_scheduler.ExponentialLR(opt, gamma=0.5)
        >>> isinstance(sched, optim.lr_scheduler.LRScheduler), opt.param_groups[0]["initial_lr"]
        (True, 0.1)
        >>> opt.step()
        >>> sched.step()
        >>> sched.get_last_lr(), sched.last_epoch
        ([0.05], 1)
    """

    _get_lr_called_within_step = False       # get_lr called from step (otherwise PyTorch warns to use get_last_lr)
    _is_initial = False    # the construction-time step

    def __init__(self, optimizer: Optimizer, last_epoch: int = -1) -> None:
        _check_optimizer(optimizer)
        self.optimizer = optimizer
        if last_epoch == -1:
            for group in optimizer.param_groups:
                group.setdefault("initial_lr", group["lr"])
        else:
            for i, group in enumerate(optimizer.param_groups):
                if "initial_lr" not in group:
                    raise KeyError(
                        f"param 'initial_lr' is not specified in param_groups[{i}] when resuming scheduler with "
                        "last_epoch >= 0.\nThis typically happens when:\n1. You're trying to resume training from a "
                        "checkpoint but haven't properly loaded the optimizer state\n2. You're using last_epoch >= 0 "
                        "for a fresh training run (not recommended)")
        self.base_lrs: list = _lrs(optimizer, "initial_lr")
        self.last_epoch = last_epoch
        _track_optimizer_step(optimizer)
        self._initial_step()

    def _initial_step(self) -> None:
        self._step_count = 0
        self._is_initial = True
        try:
            self.step()
        finally:
            self._is_initial = False

    def state_dict(self) -> dict[str, Any]:
        """Every attribute except the optimizer."""
        return {k: v for k, v in self.__dict__.items() if k != "optimizer"}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore attributes saved by ``state_dict``."""
        self.__dict__.update(state_dict)

    def get_last_lr(self) -> list:
        """The learning rates the last ``step`` set, one per param group."""
        return self._last_lr

    def get_lr(self) -> list:
        raise NotImplementedError

    def _warn_if_outside_step(self) -> None:
        if not self._get_lr_called_within_step:
            warnings.warn("To get the last learning rate computed by the scheduler, please use `get_last_lr()`.",
                          UserWarning, stacklevel=3)

    def step(self, epoch: int | None = None) -> None:
        """Advance one epoch (or jump to ``epoch``, deprecated) and set each group's lr."""
        if self._step_count == 1:
            if not hasattr(self.optimizer.step, "_wrapped_by_lr_sched"):
                warnings.warn("Seems like `optimizer.step()` has been overridden after learning rate scheduler "
                              "initialization. Please, make sure to call `optimizer.step()` before "
                              "`lr_scheduler.step()`. See more details at "
                              "https://pytorch.org/docs/stable/optim.html#how-to-adjust-learning-rate",
                              UserWarning, stacklevel=2)
            elif not getattr(self.optimizer, "_opt_called", False):
                warnings.warn("Detected call of `lr_scheduler.step()` before `optimizer.step()`. In PyTorch 1.1.0 "
                              "and later, you should call them in the opposite order: `optimizer.step()` before "
                              "`lr_scheduler.step()`.  Failure to do this will result in PyTorch skipping the first "
                              "value of the learning rate schedule. See more details at "
                              "https://pytorch.org/docs/stable/optim.html#how-to-adjust-learning-rate",
                              UserWarning, stacklevel=2)
        if epoch is not None:
            warnings.warn(EPOCH_DEPRECATION_WARNING, UserWarning, stacklevel=2)
        # a step that fails (OneCycleLR past its total) leaves the counters as they were; PyTorch's advance
        saved = self._step_count, self.last_epoch
        self._step_count += 1
        try:
            self._update_lr(epoch)
        except Exception:
            self._step_count, self.last_epoch = saved
            raise

    def _update_lr(self, epoch: int | None = None) -> None:
        self._get_lr_called_within_step = True
        try:
            if epoch is None:
                self.last_epoch += 1
                values = self.get_lr()
            else:
                self.last_epoch = epoch
                values = self._get_closed_form_lr() if hasattr(self, "_get_closed_form_lr") else self.get_lr()
        finally:
            self._get_lr_called_within_step = False
        for group, lr in zip(self.optimizer.param_groups, values):
            group["lr"] = lr
        self._last_lr = _lrs(self.optimizer)


_LRScheduler = LRScheduler


def _track_optimizer_step(opt: Optimizer) -> None:
    """Wrap ``opt.step`` once so schedulers can warn when they are stepped before the optimizer."""
    if hasattr(opt.step, "_wrapped_by_lr_sched"):
        return
    opt_ref = weakref.ref(opt)
    func = opt.step.__func__

    @wraps(func)
    def wrapper(*args, **kwargs):
        o = opt_ref()
        o._opt_called = True
        return func(o, *args, **kwargs)

    wrapper._wrapped_by_lr_sched = True
    opt.step = wrapper


def _lambdas(optimizer: Optimizer, lr_lambda) -> list:
    if not isinstance(lr_lambda, (list, tuple)):
        return [lr_lambda] * len(optimizer.param_groups)
    if len(lr_lambda) != len(optimizer.param_groups):
        raise ValueError(f"Expected {len(optimizer.param_groups)} lr_lambdas, but got {len(lr_lambda)}")
    return list(lr_lambda)


class _LambdaStateMixin:
    # lambdas are not saved (functions do not pickle); callable objects keep their __dict__
    def state_dict(self) -> dict[str, Any]:
        sd = {k: v for k, v in self.__dict__.items() if k not in ("optimizer", "lr_lambdas")}
        sd["lr_lambdas"] = [None if isinstance(fn, types.FunctionType) else fn.__dict__.copy()
                            for fn in self.lr_lambdas]
        return sd

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        lambdas = state_dict.pop("lr_lambdas")
        self.__dict__.update(state_dict)
        state_dict["lr_lambdas"] = lambdas
        for fn, saved in zip(self.lr_lambdas, lambdas):
            if saved is not None:
                fn.__dict__.update(saved)


class LambdaLR(_LambdaStateMixin, LRScheduler):
    """Set the lr to the initial lr times a function of the epoch.

        lr_e = initial_lr · lr_lambda(e)
    Call ``sched.step()`` once per epoch, after the epoch's ``optimizer.step()`` calls. ``get_last_lr()`` gives
    the lrs it last set; ``state_dict()`` / ``load_state_dict()`` save and restore the schedule.

    Args:
        optimizer: the optimizer whose param_groups' lr this sets.
        lr_lambda: a function of the epoch e (an int), or a list of functions, one per group.
        last_epoch: the index of the last epoch, to resume a schedule (default -1: start from the beginning).

    Example:
        The lr at the start of each of 6 epochs:

        >>> opt = optim.SGD([ember.zeros(1, requires_grad=True)], lr=1.0)
        >>> sched = optim.lr_scheduler.LambdaLR(opt, lambda e: 1 / (e + 1))
        >>> lrs = []
        >>> for epoch in range(6):
        ...     lrs.append(round(opt.param_groups[0]["lr"], 4))
        ...     opt.step()  # the epoch's training steps
        ...     sched.step()
        >>> lrs
        [1.0, 0.5, 0.3333, 0.25, 0.2, 0.1667]
    """

    def __init__(self, optimizer: Optimizer, lr_lambda: Callable[[int], float] | list, last_epoch: int = -1):
        self.optimizer = optimizer
        self.lr_lambdas = _lambdas(optimizer, lr_lambda)
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list:
        self._warn_if_outside_step()
        return [base * fn(self.last_epoch) for fn, base in zip(self.lr_lambdas, self.base_lrs)]


class MultiplicativeLR(_LambdaStateMixin, LRScheduler):
    """Multiply the lr by a function of the epoch at every step.

        lr_e = lr_{e-1} · lr_lambda(e)   for e ≥ 1
    Call ``sched.step()`` once per epoch, after the epoch's ``optimizer.step()`` calls. ``get_last_lr()`` gives
    the lrs it last set; ``state_dict()`` / ``load_state_dict()`` save and restore the schedule.

    Args:
        optimizer: the optimizer whose param_groups' lr this sets.
        lr_lambda: a function of the epoch returning the factor, or one per group.
        last_epoch: the index of the last epoch, to resume a schedule (default -1: start from the beginning).

    Example:
        The lr at the start of each of 6 epochs:

        >>> opt = optim.SGD([ember.zeros(1, requires_grad=True)], lr=1.0)
        >>> sched = optim.lr_scheduler.MultiplicativeLR(opt, lambda e: 0.5)
        >>> lrs = []
        >>> for epoch in range(6):
        ...     lrs.append(round(opt.param_groups[0]["lr"], 4))
        ...     opt.step()  # the epoch's training steps
        ...     sched.step()
        >>> lrs
        [1.0, 0.5, 0.25, 0.125, 0.0625, 0.0312]
    """

    def __init__(self, optimizer: Optimizer, lr_lambda: Callable[[int], float] | list, last_epoch: int = -1):
        self.optimizer = optimizer
        self.lr_lambdas = _lambdas(optimizer, lr_lambda)
        for fn in self.lr_lambdas:
            if not callable(fn):
                raise TypeError(f"lr_lambda should be a function, but got {type(fn).__name__}")
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list:
        self._warn_if_outside_step()
        if self._is_initial:
            return _lrs(self.optimizer)
        return [g["lr"] * fn(self.last_epoch) for fn, g in zip(self.lr_lambdas, self.optimizer.param_groups)]


class StepLR(LRScheduler):
    """Decay the lr by gamma every step_size epochs.

        lr_e = initial_lr · gamma^⌊e / step_size⌋
    Call ``sched.step()`` once per epoch, after the epoch's ``optimizer.step()`` calls. ``get_last_lr()`` gives
    the lrs it last set; ``state_dict()`` / ``load_state_dict()`` save and restore the schedule.

    Args:
        optimizer: the optimizer whose param_groups' lr this sets.
        step_size: the number of epochs between decays.
        gamma: the factor (default 0.1).
        last_epoch: the index of the last epoch, to resume a schedule (default -1: start from the beginning).

    Example:
        The lr at the start of each of 6 epochs:

        >>> opt = optim.SGD([ember.zeros(1, requires_grad=True)], lr=1.0)
        >>> sched = optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.1)
        >>> lrs = []
        >>> for epoch in range(6):
        ...     lrs.append(round(opt.param_groups[0]["lr"], 4))
        ...     opt.step()  # the epoch's training steps
        ...     sched.step()
        >>> lrs
        [1.0, 1.0, 0.1, 0.1, 0.01, 0.01]
    """

    def __init__(self, optimizer: Optimizer, step_size: int, gamma: float = 0.1, last_epoch: int = -1):
        self.step_size = step_size
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list:
        self._warn_if_outside_step()
        if self.last_epoch == 0 or self.last_epoch % self.step_size != 0:
            return _lrs(self.optimizer)
        return [g["lr"] * self.gamma for g in self.optimizer.param_groups]

    def _get_closed_form_lr(self) -> list:
        return [base * self.gamma ** (self.last_epoch // self.step_size) for base in self.base_lrs]


class MultiStepLR(LRScheduler):
    """Decay the lr by gamma at each milestone epoch.

        lr_e = initial_lr · gamma^(the number of milestones ≤ e)
    Call ``sched.step()`` once per epoch, after the epoch's ``optimizer.step()`` calls. ``get_last_lr()`` gives
    the lrs it last set; ``state_dict()`` / ``load_state_dict()`` save and restore the schedule.

    Args:
        optimizer: the optimizer whose param_groups' lr this sets.
        milestones: the epochs at which to decay (increasing).
        gamma: the factor (default 0.1).
        last_epoch: the index of the last epoch, to resume a schedule (default -1: start from the beginning).

    Example:
        The lr at the start of each of 6 epochs:

        >>> opt = optim.SGD([ember.zeros(1, requires_grad=True)], lr=1.0)
        >>> sched = optim.lr_scheduler.MultiStepLR(opt, milestones=[1, 4], gamma=0.1)
        >>> lrs = []
        >>> for epoch in range(6):
        ...     lrs.append(round(opt.param_groups[0]["lr"], 4))
        ...     opt.step()  # the epoch's training steps
        ...     sched.step()
        >>> lrs
        [1.0, 0.1, 0.1, 0.1, 0.01, 0.01]
    """

    def __init__(self, optimizer: Optimizer, milestones, gamma: float = 0.1, last_epoch: int = -1):
        self.milestones = Counter(milestones)
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list:
        self._warn_if_outside_step()
        if self.last_epoch not in self.milestones:
            return _lrs(self.optimizer)
        k = self.milestones[self.last_epoch]
        return [g["lr"] * self.gamma ** k for g in self.optimizer.param_groups]

    def _get_closed_form_lr(self) -> list:
        ms = sorted(self.milestones.elements())
        return [base * self.gamma ** bisect_right(ms, self.last_epoch) for base in self.base_lrs]


class ConstantLR(LRScheduler):
    """Hold the lr at a fraction of its value for the first total_iters epochs (a warm-up), then restore it.

        lr_e = initial_lr · factor for e < total_iters, initial_lr afterwards
    Call ``sched.step()`` once per epoch, after the epoch's ``optimizer.step()`` calls. ``get_last_lr()`` gives
    the lrs it last set; ``state_dict()`` / ``load_state_dict()`` save and restore the schedule.

    Args:
        optimizer: the optimizer whose param_groups' lr this sets.
        factor: the fraction (default 1/3).
        total_iters: the number of reduced epochs (default 5).
        last_epoch: the index of the last epoch, to resume a schedule (default -1: start from the beginning).

    Example:
        The lr at the start of each of 6 epochs:

        >>> opt = optim.SGD([ember.zeros(1, requires_grad=True)], lr=1.0)
        >>> sched = optim.lr_scheduler.ConstantLR(opt, factor=0.5, total_iters=3)
        >>> lrs = []
        >>> for epoch in range(6):
        ...     lrs.append(round(opt.param_groups[0]["lr"], 4))
        ...     opt.step()  # the epoch's training steps
        ...     sched.step()
        >>> lrs
        [0.5, 0.5, 0.5, 1.0, 1.0, 1.0]
    """

    def __init__(self, optimizer: Optimizer, factor: float = 1.0 / 3, total_iters: int = 5, last_epoch: int = -1):
        if factor > 1.0 or factor < 0:
            raise ValueError("Constant multiplicative factor expected to be between 0 and 1.")
        self.factor = factor
        self.total_iters = total_iters
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list:
        self._warn_if_outside_step()
        if self.last_epoch == 0:
            return [g["lr"] * self.factor for g in self.optimizer.param_groups]
        if self.last_epoch != self.total_iters:
            return _lrs(self.optimizer)
        return [g["lr"] * (1.0 / self.factor) for g in self.optimizer.param_groups]

    def _get_closed_form_lr(self) -> list:
        f = self.factor + (self.last_epoch >= self.total_iters) * (1 - self.factor)
        return [base * f for base in self.base_lrs]


class LinearLR(LRScheduler):
    """Change the lr's factor linearly from start_factor to end_factor over total_iters epochs (a linear warm-up).

        lr_e = initial_lr · (start_factor + (end_factor - start_factor) · min(e, total_iters) / total_iters)
    Call ``sched.step()`` once per epoch, after the epoch's ``optimizer.step()`` calls. ``get_last_lr()`` gives
    the lrs it last set; ``state_dict()`` / ``load_state_dict()`` save and restore the schedule.

    Args:
        optimizer: the optimizer whose param_groups' lr this sets.
        start_factor: the factor at epoch 0 (default 1/3).
        end_factor: the factor from total_iters on (default 1).
        total_iters: the number of epochs of the ramp (default 5).
        last_epoch: the index of the last epoch, to resume a schedule (default -1: start from the beginning).

    Example:
        The lr at the start of each of 6 epochs:

        >>> opt = optim.SGD([ember.zeros(1, requires_grad=True)], lr=1.0)
        >>> sched = optim.lr_scheduler.LinearLR(opt, start_factor=0.25, total_iters=3)
        >>> lrs = []
        >>> for epoch in range(6):
        ...     lrs.append(round(opt.param_groups[0]["lr"], 4))
        ...     opt.step()  # the epoch's training steps
        ...     sched.step()
        >>> lrs
        [0.25, 0.5, 0.75, 1.0, 1.0, 1.0]
    """

    def __init__(self, optimizer: Optimizer, start_factor: float = 1.0 / 3, end_factor: float = 1.0,
                 total_iters: int = 5, last_epoch: int = -1):
        if start_factor > 1.0 or start_factor <= 0:
            raise ValueError("Starting multiplicative factor expected to be greater than 0 and less or equal to 1.")
        if end_factor > 1.0 or end_factor < 0:
            raise ValueError("Ending multiplicative factor expected to be between 0 and 1.")
        self.start_factor = start_factor
        self.end_factor = end_factor
        self.total_iters = total_iters
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list:
        self._warn_if_outside_step()
        if self.last_epoch == 0:
            return [g["lr"] * self.start_factor for g in self.optimizer.param_groups]
        if self._is_initial or self.last_epoch > self.total_iters:
            return _lrs(self.optimizer)
        span = self.end_factor - self.start_factor
        ratio = 1.0 + span / (self.total_iters * self.start_factor + (self.last_epoch - 1) * span)
        return [g["lr"] * ratio for g in self.optimizer.param_groups]

    def _get_closed_form_lr(self) -> list:
        f = self.start_factor + (self.end_factor - self.start_factor) * min(self.total_iters, self.last_epoch) \
            / self.total_iters
        return [base * f for base in self.base_lrs]


class ExponentialLR(LRScheduler):
    """Decay the lr by gamma every epoch.

        lr_e = initial_lr · gamma^e
    Call ``sched.step()`` once per epoch, after the epoch's ``optimizer.step()`` calls. ``get_last_lr()`` gives
    the lrs it last set; ``state_dict()`` / ``load_state_dict()`` save and restore the schedule.

    Args:
        optimizer: the optimizer whose param_groups' lr this sets.
        gamma: the factor per epoch.
        last_epoch: the index of the last epoch, to resume a schedule (default -1: start from the beginning).

    Example:
        The lr at the start of each of 6 epochs:

        >>> opt = optim.SGD([ember.zeros(1, requires_grad=True)], lr=1.0)
        >>> sched = optim.lr_scheduler.ExponentialLR(opt, gamma=0.5)
        >>> lrs = []
        >>> for epoch in range(6):
        ...     lrs.append(round(opt.param_groups[0]["lr"], 4))
        ...     opt.step()  # the epoch's training steps
        ...     sched.step()
        >>> lrs
        [1.0, 0.5, 0.25, 0.125, 0.0625, 0.0312]
    """

    def __init__(self, optimizer: Optimizer, gamma: float, last_epoch: int = -1):
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list:
        self._warn_if_outside_step()
        if self._is_initial:
            return _lrs(self.optimizer)
        return [g["lr"] * self.gamma for g in self.optimizer.param_groups]

    def _get_closed_form_lr(self) -> list:
        return [base * self.gamma ** self.last_epoch for base in self.base_lrs]


class PolynomialLR(LRScheduler):
    """Decay the lr polynomially to 0 over total_iters epochs.

        lr_e = initial_lr · (1 - min(e, total_iters) / total_iters)^power
    Call ``sched.step()`` once per epoch, after the epoch's ``optimizer.step()`` calls. ``get_last_lr()`` gives
    the lrs it last set; ``state_dict()`` / ``load_state_dict()`` save and restore the schedule.

    Args:
        optimizer: the optimizer whose param_groups' lr this sets.
        total_iters: the number of epochs until the lr reaches 0 (default 5).
        power: the polynomial's power (default 1: linear).
        last_epoch: the index of the last epoch, to resume a schedule (default -1: start from the beginning).

    Example:
        The lr at the start of each of 6 epochs:

        >>> opt = optim.SGD([ember.zeros(1, requires_grad=True)], lr=1.0)
        >>> sched = optim.lr_scheduler.PolynomialLR(opt, total_iters=4, power=2.0)
        >>> lrs = []
        >>> for epoch in range(6):
        ...     lrs.append(round(opt.param_groups[0]["lr"], 4))
        ...     opt.step()  # the epoch's training steps
        ...     sched.step()
        >>> lrs
        [1.0, 0.5625, 0.25, 0.0625, 0.0, 0.0]
    """

    def __init__(self, optimizer: Optimizer, total_iters: int = 5, power: float = 1.0, last_epoch: int = -1):
        self.total_iters = total_iters
        self.power = power
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list:
        self._warn_if_outside_step()
        if self._is_initial or self.last_epoch > self.total_iters:
            return _lrs(self.optimizer)
        t, n = self.last_epoch, self.total_iters
        decay = ((1.0 - t / n) / (1.0 - (t - 1) / n)) ** self.power
        return [g["lr"] * decay for g in self.optimizer.param_groups]

    def _get_closed_form_lr(self) -> list:
        f = (1.0 - min(self.total_iters, self.last_epoch) / self.total_iters) ** self.power
        return [base * f for base in self.base_lrs]


class CosineAnnealingLR(LRScheduler):
    """Anneal the lr along half a cosine, from its initial value to eta_min in T_max epochs.

        lr_e = eta_min + (initial_lr - eta_min) · (1 + cos(π e / T_max)) / 2

    (computed recursively, as PyTorch does; past T_max the cosine continues upwards).
    Call ``sched.step()`` once per epoch, after the epoch's ``optimizer.step()`` calls. ``get_last_lr()`` gives
    the lrs it last set; ``state_dict()`` / ``load_state_dict()`` save and restore the schedule.

    Args:
        optimizer: the optimizer whose param_groups' lr this sets.
        T_max: the number of epochs of the half period.
        eta_min: the lowest lr (default 0).
        last_epoch: the index of the last epoch, to resume a schedule (default -1: start from the beginning).

    Example:
        The lr at the start of each of 6 epochs:

        >>> opt = optim.SGD([ember.zeros(1, requires_grad=True)], lr=1.0)
        >>> sched = optim.lr_scheduler.CosineAnnealingLR(opt, T_max=4)
        >>> lrs = []
        >>> for epoch in range(6):
        ...     lrs.append(round(opt.param_groups[0]["lr"], 4))
        ...     opt.step()  # the epoch's training steps
        ...     sched.step()
        >>> lrs
        [1.0, 0.8536, 0.5, 0.1464, 0.0, 0.1464]
    """

    def __init__(self, optimizer: Optimizer, T_max: int, eta_min: float = 0.0, last_epoch: int = -1):
        self.T_max = T_max
        self.eta_min = eta_min
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list:
        self._warn_if_outside_step()
        t, T, lo = self.last_epoch, self.T_max, self.eta_min
        groups = self.optimizer.param_groups
        if self._is_initial:
            return _lrs(self.optimizer)
        if self._step_count == 1 and t > 0:
            return [lo + (base - lo) * (1 + math.cos(t * math.pi / T)) / 2 for base in self.base_lrs]
        if (t - 1 - T) % (2 * T) == 0:
            return [g["lr"] + (base - lo) * (1 - math.cos(math.pi / T)) / 2 for base, g in zip(self.base_lrs, groups)]
        ratio = (1 + math.cos(math.pi * t / T)) / (1 + math.cos(math.pi * (t - 1) / T))
        return [ratio * (g["lr"] - lo) + lo for g in groups]

    def _get_closed_form_lr(self) -> list:
        c = (1 + math.cos(math.pi * self.last_epoch / self.T_max)) / 2
        return [self.eta_min + (base - self.eta_min) * c for base in self.base_lrs]


class CosineAnnealingWarmRestarts(LRScheduler):
    """Cosine annealing with warm restarts (SGDR, Loshchilov and Hutter, 2017): the lr follows a half cosine down
    to eta_min and jumps back to its initial value every T_i epochs, T_i growing by T_mult after each restart.

        lr = eta_min + (initial_lr - eta_min) · (1 + cos(π T_cur / T_i)) / 2,  T_cur the epochs since the last restart
    Call ``sched.step()`` once per epoch, after the epoch's ``optimizer.step()`` calls. ``get_last_lr()`` gives
    the lrs it last set; ``state_dict()`` / ``load_state_dict()`` save and restore the schedule.
    ``step(epoch)`` also accepts a fractional epoch, to step within an epoch.

    Args:
        optimizer: the optimizer whose param_groups' lr this sets.
        T_0: the length of the first period.
        T_mult: the growth factor of the periods (default 1).
        eta_min: the lowest lr (default 0).
        last_epoch: the index of the last epoch, to resume a schedule (default -1: start from the beginning).

    Example:
        The lr at the start of each of 8 epochs (periods of 2, 4, 8 epochs):

        >>> opt = optim.SGD([ember.zeros(1, requires_grad=True)], lr=1.0)
        >>> sched = optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=2, T_mult=2)
        >>> lrs = []
        >>> for epoch in range(8):
        ...     lrs.append(round(opt.param_groups[0]["lr"], 4))
        ...     opt.step()  # the epoch's training steps
        ...     sched.step()
        >>> lrs
        [1.0, 0.5, 1.0, 0.8536, 0.5, 0.1464, 1.0, 0.9619]
    """

    def __init__(self, optimizer: Optimizer, T_0: int, T_mult: int = 1, eta_min: float = 0.0, last_epoch: int = -1):
        if T_0 <= 0 or not isinstance(T_0, int):
            raise ValueError(f"Expected positive integer T_0, but got {T_0}")
        if T_mult < 1 or not isinstance(T_mult, int):
            raise ValueError(f"Expected integer T_mult >= 1, but got {T_mult}")
        if not isinstance(eta_min, (float, int)):
            raise ValueError(  # noqa: TRY004 (PyTorch's class)
                f"Expected float or int eta_min, but got {eta_min} of type {type(eta_min)}")
        self.T_0 = T_0
        self.T_i = T_0
        self.T_mult = T_mult
        self.eta_min = eta_min
        self.T_cur = last_epoch
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list:
        self._warn_if_outside_step()
        c = (1 + math.cos(math.pi * self.T_cur / self.T_i)) / 2
        return [self.eta_min + (base - self.eta_min) * c for base in self.base_lrs]

    def step(self, epoch=None) -> None:
        """Advance ``T_cur`` by one (restarting at ``T_i``), or jump to a (fractional) ``epoch``."""
        if epoch is None and self.last_epoch < 0:
            epoch = 0
        if epoch is None:
            epoch = self.last_epoch + 1
            self.T_cur += 1
            if self.T_cur >= self.T_i:
                self.T_cur %= self.T_i
                self.T_i *= self.T_mult
        elif epoch < 0:
            raise ValueError(f"Expected non-negative epoch, but got {epoch}")
        elif epoch >= self.T_0:
            if self.T_mult == 1:
                self.T_cur = epoch % self.T_0
            else:
                n = int(math.log(epoch / self.T_0 * (self.T_mult - 1) + 1, self.T_mult))
                self.T_cur = epoch - self.T_0 * (self.T_mult ** n - 1) / (self.T_mult - 1)
                self.T_i = self.T_0 * self.T_mult ** n
        else:
            self.T_i = self.T_0
            self.T_cur = epoch
        self.last_epoch = math.floor(epoch)
        self._get_lr_called_within_step = True
        try:
            lrs = self.get_lr()
        finally:
            self._get_lr_called_within_step = False
        for group, lr in zip(self.optimizer.param_groups, lrs):
            group["lr"] = lr
        self._last_lr = _lrs(self.optimizer)


def _check_composable(owner: str, optimizer, schedulers) -> None:
    for i, s in enumerate(schedulers):
        if not hasattr(s, "optimizer"):
            raise TypeError(f"{owner} at index {i} should have `optimizer` as its attribute.")
        if isinstance(s, ReduceLROnPlateau):
            raise ValueError(  # noqa: TRY004 (PyTorch's class)
                f"{owner} does not support `ReduceLROnPlateau` scheduler as it requires additional "
                             f"kwargs to be specified when calling `step`, but got one at index {i} in the given "
                             "schedulers sequence.")
        if optimizer != s.optimizer:
            raise ValueError(f"{owner} expects all schedulers to belong to the same optimizer, but got scheduler "
                             f"{s.__class__.__name__} at index {i} has {s.optimizer}, which is different from "
                             f"{optimizer.__class__.__name__}.")


class _ComposedStateMixin:
    def state_dict(self) -> dict[str, Any]:
        sd = {k: v for k, v in self.__dict__.items() if k not in ("optimizer", "_schedulers")}
        sd["_schedulers"] = [s.state_dict() for s in self._schedulers]
        return sd

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        subs = state_dict.pop("_schedulers")
        self.__dict__.update(state_dict)
        state_dict["_schedulers"] = subs
        for s, sd in zip(self._schedulers, subs):
            s.load_state_dict(sd)


class SequentialLR(_ComposedStateMixin, LRScheduler):
    """Run one scheduler after another: schedulers[i] is in charge from milestones[i-1] to milestones[i].

    Each scheduler starts from its own beginning when its turn comes.
    Call ``sched.step()`` once per epoch, after the epoch's ``optimizer.step()`` calls. ``get_last_lr()`` gives
    the lrs it last set; ``state_dict()`` / ``load_state_dict()`` save and restore the schedule.

    Args:
        optimizer: the optimizer whose param_groups' lr this sets.
        schedulers: the schedulers, all of the same optimizer.
        milestones: the epochs at which to switch to the next scheduler (one fewer than schedulers).
        last_epoch: the index of the last epoch, to resume a schedule (default -1: start from the beginning).

    Example:
        A warm-up at a tenth of the lr for 2 epochs, then exponential decay:

        >>> opt = optim.SGD([ember.zeros(1, requires_grad=True)], lr=1.0)
        >>> warmup = optim.lr_scheduler.ConstantLR(opt, factor=0.1, total_iters=2)
        >>> decay = optim.lr_scheduler.ExponentialLR(opt, gamma=0.5)
        >>> sched = optim.lr_scheduler.SequentialLR(opt, [warmup, decay], milestones=[2])
        >>> lrs = []
        >>> for epoch in range(6):
        ...     lrs.append(round(opt.param_groups[0]["lr"], 4))
        ...     opt.step()
        ...     sched.step()
        >>> lrs
        [0.1, 0.1, 1.0, 0.5, 0.25, 0.125]
    """

    def __init__(self, optimizer: Optimizer, schedulers: list, milestones: list, last_epoch: int = -1):
        if len(schedulers) < 1:
            raise ValueError(f"{self.__class__.__name__} expects at least one scheduler, but got no scheduler.")
        _check_composable(self.__class__.__name__, optimizer, schedulers)
        if len(milestones) != len(schedulers) - 1:
            raise ValueError("Sequential Schedulers expects number of schedulers provided to be one more than the "
                             f"number of milestone points, but got number of schedulers {len(schedulers)} and the "
                             f"number of milestones to be equal to {len(milestones)}")
        self._schedulers = schedulers
        self._milestones = milestones
        self.last_epoch = last_epoch + 1
        self.optimizer = optimizer
        # undo the steps the sub-schedulers took when they were built, then start the first one afresh
        for group in optimizer.param_groups:
            group["lr"] = group["initial_lr"]
        self.recursive_undo()
        idx = bisect_right(milestones, 0)
        schedulers[idx]._initial_step()
        self._last_lr = schedulers[idx].get_last_lr()

    def recursive_undo(self, sched=None) -> None:
        s = self if sched is None else sched
        if hasattr(s, "_schedulers"):
            for sub in s._schedulers:
                self.recursive_undo(sub)
        elif hasattr(s, "last_epoch"):
            s.last_epoch -= 1

    def step(self) -> None:
        """Step the scheduler whose interval holds the new epoch (restarting it at its milestone)."""
        self.last_epoch += 1
        idx = bisect_right(self._milestones, self.last_epoch)
        sched = self._schedulers[idx]
        if idx > 0 and self._milestones[idx - 1] == self.last_epoch:
            sched._update_lr(0)
        else:
            sched.step()
        self._last_lr = sched.get_last_lr()


class ChainedScheduler(_ComposedStateMixin, LRScheduler):
    """Step several schedulers together, every epoch: their effects on the lr combine (multiply).

    Each step() calls step() of every scheduler in order.
    Call ``sched.step()`` once per epoch, after the epoch's ``optimizer.step()`` calls. ``get_last_lr()`` gives
    the lrs it last set; ``state_dict()`` / ``load_state_dict()`` save and restore the schedule.

    Args:
        schedulers: the schedulers to step, in order.
        optimizer: their optimizer (default: the first scheduler's).

    Example:
        >>> opt = optim.SGD([ember.zeros(1, requires_grad=True)], lr=1.0)
        >>> sched = optim.lr_scheduler.ChainedScheduler([
        ...     optim.lr_scheduler.ConstantLR(opt, factor=0.1, total_iters=2),
        ...     optim.lr_scheduler.ExponentialLR(opt, gamma=0.5)])
        >>> lrs = []
        >>> for epoch in range(6):
        ...     lrs.append(round(opt.param_groups[0]["lr"], 4))
        ...     opt.step()
        ...     sched.step()
        >>> lrs
        [0.1, 0.05, 0.25, 0.125, 0.0625, 0.0312]
    """

    def __init__(self, schedulers, optimizer: Optimizer | None = None):
        if len(schedulers) < 1:
            raise ValueError(f"{self.__class__.__name__} expects at least one scheduler to be chained, but got no "
                             "scheduler.")
        optimizer = optimizer or schedulers[0].optimizer
        _check_composable(self.__class__.__name__, optimizer, schedulers)
        self._schedulers = schedulers
        self.optimizer = optimizer
        self._last_lr = _lrs(schedulers[-1].optimizer)

    def step(self) -> None:
        """Step each chained scheduler."""
        for s in self._schedulers:
            s.step()
        self._last_lr = _lrs(self._schedulers[-1].optimizer)


class ReduceLROnPlateau(LRScheduler):
    """Reduce the lr when a metric (a validation loss, say) has stopped improving.

    step(metric) is called with the epoch's metric. When it has not improved for more than patience epochs, every
    group's lr is multiplied by factor (not below min_lr), and the count waits cooldown epochs before resuming.
    'Improved' means below best · (1 - threshold) in 'min' mode with 'rel' (other modes: above, or ± threshold).

    Args:
        optimizer: the optimizer whose param_groups' lr this sets.
        mode: 'min' (default: lower is better) or 'max'.
        factor: the lr's multiplier (default 0.1).
        patience: the number of epochs without improvement that are tolerated (default 10).
        threshold: the least change that counts as an improvement (default 1e-4).
        threshold_mode: 'rel' (default: relative to the best) or 'abs'.
        cooldown: the epochs to wait after a reduction before counting again (default 0).
        min_lr: the lowest lr, a number or one per group (default 0).
        eps: a reduction smaller than this is skipped (default 1e-8).

    Example:
        >>> opt = optim.SGD([ember.zeros(1, requires_grad=True)], lr=1.0)
        >>> sched = optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=1)
        >>> lrs = []
        >>> for val_loss in [1.0, 0.9, 0.9, 0.9, 0.9, 0.9]:
        ...     lrs.append(opt.param_groups[0]["lr"])
        ...     opt.step()
        ...     sched.step(val_loss)
        >>> lrs  # no improvement after epoch 1: halved after two more
        [1.0, 1.0, 1.0, 1.0, 0.5, 0.5]
    """

    def __init__(self, optimizer: Optimizer, mode: str = "min", factor: float = 0.1, patience: int = 10,
                 threshold: float = 1e-4, threshold_mode: str = "rel", cooldown: int = 0, min_lr=0,
                 eps: float = 1e-8):
        if factor >= 1.0:
            raise ValueError("Factor should be < 1.0.")
        self.factor = factor
        _check_optimizer(optimizer)
        self.optimizer = optimizer
        if isinstance(min_lr, (list, tuple)):
            if len(min_lr) != len(optimizer.param_groups):
                raise ValueError(f"expected {len(optimizer.param_groups)} min_lrs, got {len(min_lr)}")
            self.default_min_lr = None
            self.min_lrs = list(min_lr)
        else:
            self.default_min_lr = min_lr
            self.min_lrs = [min_lr] * len(optimizer.param_groups)
        self.patience = patience
        self.cooldown = cooldown
        self.eps = eps
        self.last_epoch = 0
        self._last_lr = _lrs(optimizer)
        self._init_is_better(mode=mode, threshold=threshold, threshold_mode=threshold_mode)
        self._reset()

    def _reset(self) -> None:
        self.best = self.mode_worse
        self.cooldown_counter = 0
        self.num_bad_epochs = 0

    def step(self, metrics, epoch=None) -> None:
        """Record ``metrics`` for this epoch; reduce the lr after too many epochs without improvement."""
        current = float(metrics)
        if epoch is None:
            epoch = self.last_epoch + 1
        else:
            warnings.warn(EPOCH_DEPRECATION_WARNING, UserWarning, stacklevel=2)
        self.last_epoch = epoch
        if self._is_better(current, self.best):
            self.best = current
            self.num_bad_epochs = 0
        else:
            self.num_bad_epochs += 1
        if self.in_cooldown:
            self.cooldown_counter -= 1
            self.num_bad_epochs = 0
        if self.num_bad_epochs > self.patience:
            self._reduce_lr(epoch)
            self.cooldown_counter = self.cooldown
            self.num_bad_epochs = 0
        self._last_lr = _lrs(self.optimizer)

    def _reduce_lr(self, epoch) -> None:
        groups = self.optimizer.param_groups
        if len(groups) != len(self.min_lrs):
            if self.default_min_lr is None:
                raise RuntimeError(
                    f"The number of param groups in the `optimizer` ({len(groups)}) differs from when "
                    f"`ReduceLROnPlateau` was initialized ({len(self.min_lrs)}), usually due to a new param group "
                    "being added to the optimizer. Please modify the `min_lrs` field to match the length of the "
                    "`optimizer` param groups.")
            self.min_lrs = [self.default_min_lr] * len(groups)
        for group, min_lr in zip(groups, self.min_lrs):
            old = float(group["lr"])
            new = max(old * self.factor, min_lr)
            if old - new > self.eps:
                group["lr"] = new

    @property
    def in_cooldown(self) -> bool:
        return self.cooldown_counter > 0

    def _is_better(self, a: float, best: float) -> bool:
        if self.mode == "min":
            return a < best * (1.0 - self.threshold) if self.threshold_mode == "rel" else a < best - self.threshold
        return a > best * (self.threshold + 1.0) if self.threshold_mode == "rel" else a > best + self.threshold

    def _init_is_better(self, mode: str, threshold: float, threshold_mode: str) -> None:
        if mode not in {"min", "max"}:
            raise ValueError("mode " + mode + " is unknown!")
        if threshold_mode not in {"rel", "abs"}:
            raise ValueError("threshold mode " + threshold_mode + " is unknown!")
        self.mode_worse = math.inf if mode == "min" else -math.inf
        self.mode = mode
        self.threshold = threshold
        self.threshold_mode = threshold_mode

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore attributes saved by ``state_dict``."""
        self.__dict__.update(state_dict)
        self._init_is_better(mode=self.mode, threshold=self.threshold, threshold_mode=self.threshold_mode)


def _set_momentum(group: dict, use_beta1: bool, momentum: float) -> None:
    if use_beta1:
        group["betas"] = (momentum, *group["betas"][1:])
    else:
        group["momentum"] = momentum


def _check_cycle_momentum(optimizer, base_momentum, max_momentum) -> tuple[list, list]:
    """The per-group (base, max) momenta, checked; nothing is written yet."""
    if "momentum" not in optimizer.defaults and "betas" not in optimizer.defaults:
        raise ValueError("optimizer must support momentum or beta1 with `cycle_momentum` option enabled")
    maxs = _per_group("max_momentum", optimizer, max_momentum)
    bases = _per_group("base_momentum", optimizer, base_momentum)
    return bases, maxs


def _init_cycle_momentum(sched, optimizer, bases, maxs, last_epoch) -> None:
    sched.use_beta1 = "betas" in optimizer.defaults
    if last_epoch == -1:
        for mx, b, group in zip(maxs, bases, optimizer.param_groups):
            _set_momentum(group, sched.use_beta1, mx)
            group["max_momentum"] = mx
            group["base_momentum"] = b


class CyclicLR(LRScheduler):
    """Cyclical learning rates (Smith, 2017): the lr moves between base_lr and max_lr in triangular cycles, and the
    momentum in the opposite direction. Step it after every batch, not every epoch.

    With x the position within the current cycle: lr = base_lr + (max_lr - base_lr) · max(0, 1 - |x|) · scale, the
    scale 1 ('triangular'), halved each cycle ('triangular2'), gamma^iterations ('exp_range'), or scale_fn.

    Args:
        optimizer: the optimizer whose param_groups' lr this sets.
        base_lr: the lower lr, a number or one per group (it overrides the optimizer's lr).
        max_lr: the upper lr, a number or one per group.
        step_size_up: the number of steps of the rising half (default 2000).
        step_size_down: the number of steps of the falling half (default: step_size_up).
        mode: 'triangular' (default), 'triangular2' or 'exp_range'.
        gamma: the base of 'exp_range' (default 1).
        scale_fn: a custom scale function of the cycle or the step, replacing mode (default None).
        scale_mode: whether scale_fn takes the 'cycle' (default) or the 'iterations'.
        cycle_momentum: also cycle the momentum, inversely (default True; needs an optimizer with momentum).
        base_momentum: the lower momentum (default 0.8).
        max_momentum: the upper momentum (default 0.9).
        last_epoch: the index of the last epoch, to resume a schedule (default -1: start from the beginning).

    Example:
        The lr at the start of each of 6 epochs (steps, here):

        >>> opt = optim.SGD([ember.zeros(1, requires_grad=True)], lr=1.0, momentum=0.9)
        >>> sched = optim.lr_scheduler.CyclicLR(opt, base_lr=0.1, max_lr=1.0, step_size_up=2)
        >>> lrs = []
        >>> for epoch in range(6):
        ...     lrs.append(round(opt.param_groups[0]["lr"], 4))
        ...     opt.step()  # the epoch's training steps
        ...     sched.step()
        >>> lrs
        [0.1, 0.55, 1.0, 0.55, 0.1, 0.55]
    """

    def __init__(self, optimizer: Optimizer, base_lr, max_lr, step_size_up: int = 2000, step_size_down=None,
                 mode: str = "triangular", gamma: float = 1.0, scale_fn=None, scale_mode: str = "cycle",
                 cycle_momentum: bool = True, base_momentum: float = 0.8, max_momentum: float = 0.9,
                 last_epoch: int = -1):
        _check_optimizer(optimizer)
        self.optimizer = optimizer
        # every check (in PyTorch's order) before the optimizer's groups are written; PyTorch sets each group's
        # lr to base_lr before it checks the rest
        base_lrs = _per_group("base_lr", optimizer, base_lr)
        self.max_lrs = _per_group("max_lr", optimizer, max_lr)
        up = float(step_size_up)
        down = float(step_size_down) if step_size_down is not None else up
        self.total_size = up + down
        self.step_ratio = up / self.total_size
        if mode not in ("triangular", "triangular2", "exp_range") and scale_fn is None:
            raise ValueError("mode is invalid and scale_fn is None")
        if cycle_momentum:
            momenta = _check_cycle_momentum(optimizer, base_momentum, max_momentum)
        if last_epoch == -1:
            for lr, group in zip(base_lrs, optimizer.param_groups):
                group["lr"] = lr
        self.mode = mode
        self.gamma = gamma
        self._scale_fn_custom = scale_fn
        self.scale_mode = scale_mode
        self._init_scale_fn()
        self.cycle_momentum = cycle_momentum
        if cycle_momentum:  # PyTorch's attribute order (state_dict() lists it): use_beta1, then the momenta
            _init_cycle_momentum(self, optimizer, *momenta, last_epoch)
            self.base_momentums, self.max_momentums = momenta
        super().__init__(optimizer, last_epoch)
        self.base_lrs = base_lrs

    def _init_scale_fn(self) -> None:
        if self._scale_fn_custom is None and self.mode in ("triangular", "triangular2"):
            self.scale_mode = "cycle"
        elif self._scale_fn_custom is None:
            self.scale_mode = "iterations"

    def scale_fn(self, x) -> float:
        """The amplitude scale at cycle (or iteration) ``x``."""
        if self._scale_fn_custom is not None:
            return self._scale_fn_custom(x)
        if self.mode == "triangular":
            return 1.0
        if self.mode == "triangular2":
            return 1 / (2.0 ** (x - 1))
        return self.gamma ** x

    def get_lr(self) -> list:
        self._warn_if_outside_step()
        cycle = math.floor(1 + self.last_epoch / self.total_size)
        x = 1.0 + self.last_epoch / self.total_size - cycle
        scale = x / self.step_ratio if x <= self.step_ratio else (x - 1) / (self.step_ratio - 1)
        amp = self.scale_fn(cycle if self.scale_mode == "cycle" else self.last_epoch)
        lrs = [base + (mx - base) * scale * amp for base, mx in zip(self.base_lrs, self.max_lrs)]
        if self.cycle_momentum:
            for group, b, mx in zip(self.optimizer.param_groups, self.base_momentums, self.max_momentums):
                _set_momentum(group, self.use_beta1, mx - (mx - b) * scale * amp)
        return lrs

    def state_dict(self) -> dict[str, Any]:
        sd = super().state_dict()
        fn = sd.pop("_scale_fn_custom")
        sd["_scale_fn_custom"] = None if fn is None or isinstance(fn, types.FunctionType) else fn.__dict__.copy()
        return sd

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        fn = state_dict.pop("_scale_fn_custom")
        super().load_state_dict(state_dict)
        if fn is not None:
            self._scale_fn_custom.__dict__.update(fn)
        self._init_scale_fn()


class OneCycleLR(LRScheduler):
    """The 1cycle policy (Smith and Topin, 2018): warm the lr up from max_lr/div_factor to max_lr, then anneal it to
    far below where it started, with the momentum moving the other way. Step it after every batch.

    Phase 1 (pct_start of the steps): from initial_lr = max_lr/div_factor up to max_lr; phase 2: down to
    initial_lr/final_div_factor, along a cosine (or linearly). three_phase: up, back down to initial_lr, then the
    final annealing.

    Args:
        optimizer: the optimizer whose param_groups' lr this sets.
        max_lr: the peak lr, a number or one per group.
        total_steps: the number of steps of the schedule; or give epochs and steps_per_epoch.
        epochs: the number of epochs (with steps_per_epoch).
        steps_per_epoch: the steps in each epoch.
        pct_start: the share of the steps spent rising (default 0.3).
        anneal_strategy: 'cos' (default) or 'linear'.
        cycle_momentum: cycle the momentum inversely (default True).
        base_momentum: the lower momentum (default 0.85).
        max_momentum: the upper momentum (default 0.95).
        div_factor: initial_lr = max_lr / div_factor (default 25).
        final_div_factor: the last lr = initial_lr / final_div_factor (default 1e4).
        three_phase: use the three-phase form (default False).
        last_epoch: the index of the last epoch, to resume a schedule (default -1: start from the beginning).

    Example:
        The lr at the start of each of 6 epochs (steps, here):

        >>> opt = optim.SGD([ember.zeros(1, requires_grad=True)], lr=1.0, momentum=0.9)
        >>> sched = optim.lr_scheduler.OneCycleLR(opt, max_lr=1.0, total_steps=6)
        >>> lrs = []
        >>> for epoch in range(6):
        ...     lrs.append(round(opt.param_groups[0]["lr"], 4))
        ...     opt.step()  # the epoch's training steps
        ...     sched.step()
        >>> lrs
        [0.04, 0.9944, 0.8117, 0.4626, 0.1335, 0.0]
    """

    def __init__(self, optimizer: Optimizer, max_lr, total_steps: int | None = None, epochs: int | None = None,
                 steps_per_epoch: int | None = None, pct_start: float = 0.3, anneal_strategy: str = "cos",
                 cycle_momentum: bool = True, base_momentum=0.85, max_momentum=0.95, div_factor: float = 25.0,
                 final_div_factor: float = 1e4, three_phase: bool = False, last_epoch: int = -1):
        _check_optimizer(optimizer)
        self.optimizer = optimizer
        if total_steps is not None:
            if total_steps <= 0 or not isinstance(total_steps, int):
                raise ValueError(f"Expected positive integer total_steps, but got {total_steps}")
            self.total_steps = total_steps
        elif epochs is not None and steps_per_epoch is not None:
            if not isinstance(epochs, int) or epochs <= 0:
                raise ValueError(f"Expected positive integer epochs, but got {epochs}")
            if not isinstance(steps_per_epoch, int) or steps_per_epoch <= 0:
                raise ValueError(f"Expected positive integer steps_per_epoch, but got {steps_per_epoch}")
            self.total_steps = epochs * steps_per_epoch
        else:
            raise ValueError("You must define either total_steps OR (epochs AND steps_per_epoch)")
        n = self.total_steps
        # (end step, start lr key, end lr key, start momentum key, end momentum key)
        if three_phase:
            self._schedule_phases = [
                _phase(float(pct_start * n) - 1, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
                _phase(float(2 * pct_start * n) - 2, "max_lr", "initial_lr", "base_momentum", "max_momentum"),
                _phase(n - 1, "initial_lr", "min_lr", "max_momentum", "max_momentum")]
        else:
            self._schedule_phases = [
                _phase(float(pct_start * n) - 1, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
                _phase(n - 1, "max_lr", "min_lr", "base_momentum", "max_momentum")]
        if pct_start < 0 or pct_start > 1 or not isinstance(pct_start, float):
            raise ValueError(f"Expected float between 0 and 1 pct_start, but got {pct_start}")
        if anneal_strategy not in ("cos", "linear"):
            raise ValueError(f"anneal_strategy must be one of 'cos' or 'linear', instead got {anneal_strategy}")
        self._anneal_func_type = anneal_strategy
        max_lrs = _per_group("max_lr", optimizer, max_lr)
        if cycle_momentum:  # checked before any group is written (PyTorch writes the lrs first)
            momenta = _check_cycle_momentum(optimizer, base_momentum, max_momentum)
        if last_epoch == -1:
            for mx, group in zip(max_lrs, optimizer.param_groups):
                group["initial_lr"] = mx / div_factor
                group["max_lr"] = mx
                group["min_lr"] = group["initial_lr"] / final_div_factor
        self.cycle_momentum = cycle_momentum
        if cycle_momentum:
            _init_cycle_momentum(self, optimizer, *momenta, last_epoch)
        super().__init__(optimizer, last_epoch)

    def _anneal_func(self, start: float, end: float, pct: float) -> float:
        if self._anneal_func_type == "cos":
            return end + (start - end) / 2.0 * (math.cos(math.pi * pct) + 1)
        return (end - start) * pct + start

    def get_lr(self) -> list:
        self._warn_if_outside_step()
        step = self.last_epoch
        if step > self.total_steps:
            raise ValueError(f"Tried to step {step} times. The specified number of total steps is "
                             f"{self.total_steps}")
        lrs = []
        last = len(self._schedule_phases) - 1
        for group in self.optimizer.param_groups:
            start = 0.0
            for i, ph in enumerate(self._schedule_phases):
                end = ph["end_step"]
                if step <= end or i == last:
                    pct = (step - start) / (end - start)
                    lr = self._anneal_func(group[ph["start_lr"]], group[ph["end_lr"]], pct)
                    if self.cycle_momentum:
                        mom = self._anneal_func(group[ph["start_momentum"]], group[ph["end_momentum"]], pct)
                    break
                start = end
            lrs.append(lr)
            if self.cycle_momentum:
                _set_momentum(group, self.use_beta1, mom)
        return lrs


def _phase(end_step, start_lr, end_lr, start_momentum, end_momentum) -> dict:
    return {"end_step": end_step, "start_lr": start_lr, "end_lr": end_lr, "start_momentum": start_momentum,
            "end_momentum": end_momentum}
