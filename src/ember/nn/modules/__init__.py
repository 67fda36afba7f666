"""The layer classes of ``ember.nn``."""

from .activation import *
from .container import ModuleDict, ModuleList, ParameterDict, ParameterList, Sequential  # noqa: F401
from .linear import Bilinear, Identity, LazyLinear, Linear  # noqa: F401
from .module import Module  # noqa: F401
