"""``ember.nn``: modules, parameters, layers, losses, ``functional`` and ``init``, as in ``torch.nn``."""

import importlib

from . import (  # noqa: F401
    attention,
    common_types,
    functional,
    grad,
    init,
    utils,
)
from .modules import *
from .modules import Module  # noqa: F401
from .parallel.data_parallel import DataParallel  # noqa: F401
from .parameter import Buffer, Parameter, UninitializedBuffer, UninitializedParameter  # noqa: F401


def factory_kwargs(kwargs):
    """The factory keywords (``device``, ``dtype``, ``memory_format``) of ``kwargs``, merged with its
    ``factory_kwargs`` entry, to pass on to ``torch.empty`` & co.; a TypeError on any other key or on a key
    given twice."""
    if kwargs is None:
        return {}
    simple = {"device", "dtype", "memory_format"}
    expected = simple | {"factory_kwargs"}
    if not kwargs.keys() <= expected:
        raise TypeError(f"unexpected kwargs {kwargs.keys() - expected}")
    out = dict(kwargs.get("factory_kwargs", {}))
    for k in simple:
        if k in kwargs:
            if k in out:
                raise TypeError(f"{k} specified twice, in **kwargs and in factory_kwargs")
            out[k] = kwargs[k]
    return out


def __getattr__(name: str):
    # ``torch.nn.parallel`` without importing it: loaded on first use (it does not import mpi4py either)
    if name == "parallel":
        mod = importlib.import_module(".parallel", __name__)
        globals()[name] = mod
        return mod
    raise AttributeError(f"module '{__name__}' has no attribute '{name}'")
