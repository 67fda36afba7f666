"""ember.utils: helpers around the core (``ember.utils.data``, ...), each submodule loaded on first use."""

from __future__ import annotations

import importlib


def __getattr__(name: str):
    # Any submodule (data, and those other engineers add: checkpoint, hooks, ...) loads lazily by name, so
    # ``import ember`` stays fast and new submodules need no edit here.
    try:
        mod = importlib.import_module(f".{name}", __name__)
    except ModuleNotFoundError as e:
        if e.name != f"{__name__}.{name}":
            raise
        raise AttributeError(f"module '{__name__}' has no attribute '{name}'") from None
    globals()[name] = mod
    return mod
