"""``swap_in_optimizer_params_and_state``: run an optimizer on other parameters and state for a while."""

from __future__ import annotations

import contextlib
from collections import defaultdict
from typing import Any

from .optimizer import Tensor

__all__ = ["swap_in_optimizer_params_and_state"]


def _fail(msg: str) -> RuntimeError:
    return RuntimeError("swap_in_optimizer_params_and_state requires " + msg)


def _plan(optimizer, swapin_parameters: dict, swapin_optim_state: dict) -> tuple[dict, list]:
    """Check the swap-in values against the live optimizer; return (state by packed id, per-group params)."""
    if not optimizer.state:
        raise _fail("initialized optimizer state.")
    if not isinstance(swapin_optim_state, dict):
        raise _fail("a DCP-style optimizer state_dict.")
    state = swapin_optim_state.get("state")
    if not isinstance(state, dict):
        raise _fail("swapin_optim_state['state'] to be a dict mapping packed parameter ids to per-param state "
                    f"dicts, got {type(state).__name__}.")
    if any(isinstance(k, Tensor) for k in state):
        raise _fail("optimizer.state_dict()-style state keyed by packed parameter ids.")
    if any(isinstance(k, int) and not isinstance(v, dict) for k, v in state.items()):
        raise _fail("per-parameter optimizer state entries to be dictionaries.")
    groups = swapin_optim_state.get("param_groups")
    if not isinstance(groups, list):
        raise _fail("swapin_optim_state['param_groups'] to be a list of param-group dicts, got "
                    f"{type(groups).__name__}.")
    if len(optimizer.param_groups) != len(groups):
        raise RuntimeError("swapin_optim_state has a different number of parameter groups than the live "
                           "optimizer.")
    flat = list(swapin_parameters.values())
    offset, seen, plan = 0, set(), []
    for idx, (group, swapin) in enumerate(zip(optimizer.param_groups, groups)):
        if not isinstance(swapin, dict):
            raise _fail("each optimizer param group to be a dictionary.")
        ids = swapin.get("params")
        if not isinstance(ids, list) or not all(isinstance(i, int) for i in ids):
            raise _fail("optimizer.state_dict()-style param_groups[*]['params'] entries keyed by packed "
                        "parameter ids.")
        if len(group["params"]) != len(ids):
            raise RuntimeError(f"swapin_optim_state param group {idx} has a different number of params than the "
                               "live optimizer param group.")
        swapin_only = [k for k in swapin if k not in group]
        live_only = [k for k in group if k not in swapin]
        if swapin_only or live_only:
            raise _fail("optimizer.state_dict()-style param group keys to exactly match the live optimizer group "
                        f"keys for group {idx}. Keys only in swap-in: {swapin_only}. Keys only in live: "
                        f"{live_only}.")
        seen.update(ids)
        if offset + len(ids) > len(flat):
            raise _fail("the explicit parameter state to match optimizer.param_groups ordering.")
        plan.append((group, swapin, flat[offset:offset + len(ids)]))
        offset += len(ids)
    extra = [k for k in state if k not in seen]
    if extra:
        raise _fail("swapin_optim_state['state'] to be keyed only by packed parameter ids from "
                    f"param_groups[*]['params']; got extra keys {extra!r}.")
    return state, plan


@contextlib.contextmanager
def swap_in_optimizer_params_and_state(optimizer, swapin_parameters: dict[str, Tensor],
                                       swapin_optim_state: dict[str, Any]):
    """Within the block, ``optimizer`` acts on ``swapin_parameters`` with the state and hyperparameters of
    ``swapin_optim_state`` (a ``state_dict()``-shaped dict); on exit the live parameters and state return.

    In-place changes to the swapped-in tensors (``step`` updating moments) are visible afterwards; new entries
    are not. Everything is checked before anything is swapped.
    """
    state, plan = _plan(optimizer, swapin_parameters, swapin_optim_state)
    original_state = optimizer.state
    snapshots = [dict(g) for g in optimizer.param_groups]
    try:
        swapped: defaultdict = defaultdict(dict)
        for group, swapin, params in plan:
            group["params"] = params
            for key, value in swapin.items():
                if key != "params":
                    group[key] = value
            for p, pid in zip(params, swapin["params"]):
                swapped[p] = dict(state.get(pid, {}))
        optimizer.state = swapped
        yield
    finally:
        for group, snapshot in zip(optimizer.param_groups, snapshots):
            group.clear()
            group.update(snapshot)
        optimizer.state = original_state
