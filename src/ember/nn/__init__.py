"""``ember.nn``: modules, parameters, layers, losses, ``functional`` and ``init``, as in ``torch.nn``."""

from . import (  # noqa: F401
    functional,
    init,
    utils,
)
from .modules import *
from .modules import Module  # noqa: F401
from .parameter import Buffer, Parameter, UninitializedBuffer, UninitializedParameter  # noqa: F401


def __getattr__(name: str):
    # ``torch.nn.parallel`` without importing it: loaded on first use (it does not import mpi4py either)
    if name == "parallel":
        import importlib
        mod = importlib.import_module(".parallel", __name__)
        globals()[name] = mod
        return mod
    raise AttributeError(f"module '{__name__}' has no attribute '{name}'")
