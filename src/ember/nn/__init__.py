"""``ember.nn``: modules, parameters, layers, losses, ``functional`` and ``init``, as in ``torch.nn``."""

from . import (  # noqa: F401
    functional,
    init,
    utils,
)
from .modules import *
from .modules import Module  # noqa: F401
from .parameter import Buffer, Parameter, UninitializedBuffer, UninitializedParameter  # noqa: F401
