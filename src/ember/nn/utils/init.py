"""``nn.utils.skip_init``: build a module without running its parameter initialisation."""

from __future__ import annotations

import inspect

from ... import random as R
from ..modules.module import Module

__all__ = ["skip_init"]


def skip_init(module_cls, *args, **kwargs) -> Module:
    """``module_cls(*args, **kwargs)`` with uninitialised parameters and buffers; the random stream is left as if no
    initialisation had drawn from it (PyTorch builds the module on the meta device, where nothing is drawn)."""
    if not (isinstance(module_cls, type) and issubclass(module_cls, Module)):
        raise RuntimeError(f"Expected a Module; got {module_cls}")
    if "device" not in inspect.signature(module_cls).parameters:
        raise RuntimeError("Module must support a 'device' arg to skip initialization")
    final_device = kwargs.pop("device", "cpu")
    state = R.get_rng_state()
    try:
        module = module_cls(*args, **kwargs)
    finally:
        R.set_rng_state(state)
    return module.to_empty(device=final_device)
