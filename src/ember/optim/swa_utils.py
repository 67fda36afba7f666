"""Stochastic weight averaging and exponential moving averages of a model's weights, as
``torch.optim.swa_utils``: ``AveragedModel``, the averaging functions, ``update_bn`` and the ``SWALR`` schedule."""

from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Callable, Iterable
from copy import deepcopy
from typing import Any

from .._array import np
from ..autograd import grad_mode
from ..nn.modules.module import Module
from ..nn.modules.normalization import _BatchNorm
from .lr_scheduler import LRScheduler, _per_group
from .optimizer import Optimizer, Tensor, _wrap

__all__ = ["SWALR", "AveragedModel", "get_ema_avg_fn", "get_ema_multi_avg_fn", "get_swa_avg_fn",
           "get_swa_multi_avg_fn", "update_bn"]


def _check_decay(decay: float) -> None:
    if decay < 0.0 or decay > 1.0:
        raise ValueError(f"Invalid decay value {decay} provided. Please provide a value in [0,1] range.")


def _is_float(t: Tensor) -> bool:
    return t.is_floating_point() or t.is_complex()


def get_ema_multi_avg_fn(decay: float = 0.999) -> Callable:
    """In place over lists of tensors: ``ema = decay * ema + (1 - decay) * current`` (a lerp for floats)."""
    _check_decay(decay)

    def ema_update(ema_param_list, current_param_list, _num_averaged) -> None:
        with grad_mode.no_grad():
            if _is_float(ema_param_list[0]):
                for e, c in zip(ema_param_list, current_param_list):
                    e.lerp_(c, 1 - decay)
            else:
                for e, c in zip(ema_param_list, current_param_list):
                    e.copy_(e * decay + c * (1 - decay))
    return ema_update


def get_swa_multi_avg_fn() -> Callable:
    """In place over lists of tensors: the running mean ``avg += (current - avg) / (n + 1)``."""
    def swa_update(averaged_param_list, current_param_list, num_averaged) -> None:
        with grad_mode.no_grad():
            if _is_float(averaged_param_list[0]):
                weight = 1 / (num_averaged + 1)
                if isinstance(weight, Tensor):
                    weight = weight.item()
                for a, c in zip(averaged_param_list, current_param_list):
                    a.lerp_(c, weight)
            else:
                for a, c in zip(averaged_param_list, current_param_list):
                    diff = c - a
                    if isinstance(num_averaged, Tensor):
                        a.addcdiv_(diff, num_averaged + 1)
                    else:
                        a.add_(diff, alpha=1.0 / (num_averaged + 1))
    return swa_update


def get_ema_avg_fn(decay: float = 0.999) -> Callable:
    """``(ema, current, n) -> decay * ema + (1 - decay) * current``."""
    _check_decay(decay)

    def ema_update(ema_param: Tensor, current_param: Tensor, num_averaged) -> Tensor:
        with grad_mode.no_grad():
            return decay * ema_param + (1 - decay) * current_param
    return ema_update


def get_swa_avg_fn() -> Callable:
    """``(avg, current, n) -> avg + (current - avg) / (n + 1)``, the running mean."""
    def swa_update(averaged_param: Tensor, current_param: Tensor, num_averaged) -> Tensor:
        with grad_mode.no_grad():
            return averaged_param + (current_param - averaged_param) / (num_averaged + 1)
    return swa_update


class AveragedModel(Module):
    """A copy of a model whose parameters are the average of the model's parameters over time (SWA, Izmailov et al.,
    2018), or their exponential moving average (EMA).

    Each ``update_parameters(model)`` folds the model's current parameters (and, with use_buffers, its buffers)
    into the average: the first call copies them, later calls update the running mean
    avg ← avg + (p - avg)/(n + 1), or apply avg_fn / multi_avg_fn (``get_ema_multi_avg_fn(decay)`` for an EMA).
    Calling the AveragedModel runs the averaged copy. After training, ``update_bn(loader, averaged)`` recomputes
    batch-norm statistics for the averaged weights.

    Args:
        model: the model to average (it is deep-copied; the copy is ``.module``).
        device: where to keep the copy (only the CPU exists; default None: where the model is).
        avg_fn: avg_fn(averaged, current, n) -> the new average, per parameter (default: the running mean).
        multi_avg_fn: the same for lists of parameters at once (default None).
        use_buffers: average the buffers too, instead of copying them (default False).

    Shape:
        the wrapped model's inputs and outputs.

    Example:
        >>> model = nn.Linear(1, 1, bias=False)
        >>> with ember.no_grad():
        ...     _ = model.weight.fill_(1.0)
        >>> swa = optim.swa_utils.AveragedModel(model)
        >>> swa.update_parameters(model)  # the first: a copy
        >>> with ember.no_grad():
        ...     _ = model.weight.fill_(3.0)
        >>> swa.update_parameters(model)
        >>> swa.module.weight, swa.n_averaged  # the mean of 1 and 3
        (Parameter containing:
        tensor([[2.]], requires_grad=True), tensor(2))
    """

    def __init__(self, model, device=None, avg_fn: Callable | None = None, multi_avg_fn: Callable | None = None,
                 use_buffers: bool = False) -> None:
        super().__init__()
        if avg_fn is not None and multi_avg_fn is not None:
            raise AssertionError("Only one of avg_fn and multi_avg_fn should be provided")
        self.module = deepcopy(model)
        if device is not None:
            self.module = self.module.to(device)
        self.register_buffer("n_averaged", _wrap(np.array(0, dtype=np.int64)))
        self.avg_fn = avg_fn
        self.multi_avg_fn = multi_avg_fn
        self.use_buffers = use_buffers

    def forward(self, *args, **kwargs):
        """The averaged copy's forward."""
        return self.module(*args, **kwargs)

    def update_parameters(self, model) -> None:
        """Fold ``model``'s current weights into the average (copy them the first time)."""
        if self.use_buffers:
            mine = list(itertools.chain(self.module.parameters(), self.module.buffers()))
            theirs = list(itertools.chain(model.parameters(), model.buffers()))
        else:
            mine, theirs = list(self.parameters()), list(model.parameters())
        pairs = [(a.detach(), b.detach()) for a, b in zip(mine, theirs)]
        buffers = [] if self.use_buffers else list(zip(self.module.buffers(), model.buffers()))
        with grad_mode.no_grad():
            # every pair is checked before anything is written (PyTorch copies the pairs before a bad one):
            # a pair that cannot be copied raises copy_'s own error, which changes nothing
            for a, b in pairs + buffers:
                try:
                    np.broadcast_to(b._data, a._data.shape)
                except ValueError:
                    a.detach().copy_(b.detach())  # raises PyTorch's size message
                    raise RuntimeError(f"cannot average a tensor of shape {b.shape} into one of shape "
                                       f"{a.shape}") from None
            if int(self.n_averaged) == 0:
                for a, b in pairs:
                    a.copy_(b)
            else:
                if self.multi_avg_fn is not None or self.avg_fn is None:
                    by_dtype: dict = {}
                    for a, b in pairs:
                        by_dtype.setdefault(a.dtype, []).append((a, b))
                    for group in by_dtype.values():
                        avgs, currents = [a for a, _ in group], [b for _, b in group]
                        if self.multi_avg_fn is not None:
                            self.multi_avg_fn(avgs, currents, self.n_averaged)
                        else:  # on a CPU PyTorch averages tensor by tensor (no foreach kernels there)
                            fn = get_swa_avg_fn()
                            for a, b in group:
                                a.copy_(fn(a, b, self.n_averaged))
                else:
                    for a, b in pairs:
                        a.copy_(self.avg_fn(a, b, self.n_averaged))
            if not self.use_buffers:
                # buffers are not averaged: keep them in sync with the source model
                for mb, b in buffers:
                    mb.detach().copy_(b.detach())
            self.n_averaged += 1


def update_bn(loader: Iterable[Any], model, device=None) -> None:
    """Recompute every BatchNorm's running statistics with one pass of ``loader`` through ``model``
    (cumulative averages: ``momentum=None`` during the pass)."""
    momenta = {}
    for module in model.modules():
        if isinstance(module, _BatchNorm):
            module.reset_running_stats()
            momenta[module] = module.momentum
    if not momenta:
        return
    was_training = model.training
    model.train()
    for module in momenta:
        module.momentum = None
    with grad_mode.no_grad():
        for batch in loader:
            if isinstance(batch, (list, tuple)):
                batch = batch[0]
            if device is not None:
                batch = batch.to(device)
            model(batch)
    for module, momentum in momenta.items():
        module.momentum = momentum
    model.train(was_training)


class SWALR(LRScheduler):
    """The learning rate of stochastic weight averaging: anneal each group's lr to swa_lr over anneal_epochs epochs,
    then hold it there (use it with AveragedModel, once the averaging phase begins).

        lr = swa_lr + (lr_start - swa_lr) · (1 + cos(π s)) / 2 ('cos') or the linear interpolation ('linear'),
        s = min(1, the epochs since the start / anneal_epochs)

    Args:
        optimizer: the optimizer whose param_groups' lr this sets.
        swa_lr: the lr to anneal to, a number or one per group.
        anneal_epochs: the number of epochs of the annealing (default 10; 0 switches at once).
        anneal_strategy: 'cos' (default) or 'linear'.
        last_epoch: the index of the last epoch, to resume a schedule (default -1: start from the beginning).

    Example:
        The lr at the start of each of 5 epochs:

        >>> opt = optim.SGD([ember.zeros(1, requires_grad=True)], lr=1.0)
        >>> sched = optim.swa_utils.SWALR(opt, swa_lr=0.1, anneal_epochs=2)
        >>> lrs = []
        >>> for epoch in range(5):
        ...     lrs.append(round(opt.param_groups[0]["lr"], 4))
        ...     opt.step()  # the epoch's training steps
        ...     sched.step()
        >>> lrs
        [1.0, 0.55, 0.1, 0.1, 0.1]
    """

    def __init__(self, optimizer: Optimizer, swa_lr, anneal_epochs: int = 10, anneal_strategy: str = "cos",
                 last_epoch: int = -1) -> None:
        swa_lrs = _per_group("swa_lr", optimizer, swa_lr)
        # checked before the groups get their swa_lr (PyTorch writes it first)
        if anneal_strategy not in ["cos", "linear"]:
            raise ValueError(f"anneal_strategy must be one of 'cos' or 'linear', instead got {anneal_strategy}")
        if not isinstance(anneal_epochs, int) or anneal_epochs < 0:
            raise ValueError(f"anneal_epochs must be equal or greater than 0, got {anneal_epochs}")
        for lr, group in zip(swa_lrs, optimizer.param_groups):
            group["swa_lr"] = lr
        self._set_anneal_func(anneal_strategy)
        self.anneal_epochs = anneal_epochs
        super().__init__(optimizer, last_epoch)

    @staticmethod
    def _linear_anneal(t: float) -> float:
        return t

    @staticmethod
    def _cosine_anneal(t: float) -> float:
        return (1 - math.cos(math.pi * t)) / 2

    @staticmethod
    def _get_initial_lr(lr: float, swa_lr: float, alpha: float) -> float:
        if alpha == 1:
            return swa_lr
        return (lr - alpha * swa_lr) / (1 - alpha)

    def get_lr(self) -> list:
        """``swa_lr * alpha + lr_0 * (1 - alpha)``, ``alpha`` the annealing fraction of the current epoch."""
        if not self._get_lr_called_within_step:
            warnings.warn("To get the last learning rate computed by the scheduler, please use `get_last_lr()`.",
                          UserWarning, stacklevel=2)
        step = self._step_count - 1
        if self.anneal_epochs == 0:
            step = max(1, step)
        prev_alpha = self.anneal_func(max(0, min(1, (step - 1) / max(1, self.anneal_epochs))))
        prev_lrs = [self._get_initial_lr(g["lr"], g["swa_lr"], prev_alpha) for g in self.optimizer.param_groups]
        alpha = self.anneal_func(max(0, min(1, step / max(1, self.anneal_epochs))))
        return [g["swa_lr"] * alpha + lr * (1 - alpha) for g, lr in zip(self.optimizer.param_groups, prev_lrs)]

    def _set_anneal_func(self, anneal_strategy: str) -> None:
        self._anneal_strategy = anneal_strategy
        self.anneal_func = self._cosine_anneal if anneal_strategy == "cos" else self._linear_anneal

    def state_dict(self) -> dict[str, Any]:
        """Every attribute except the optimizer and the annealing function."""
        return {k: v for k, v in self.__dict__.items() if k not in ("optimizer", "anneal_func")}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore attributes saved by ``state_dict``."""
        self.__dict__.update(state_dict)
        self._set_anneal_func(self._anneal_strategy)
