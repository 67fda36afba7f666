"""``torch.utils.hooks``: ``RemovableHandle``, the handle every ``register_*_hook`` returns.

ember's own registrations return their handle classes (a module hook's, a tensor hook's, a graph node's);
they are registered as virtual subclasses, so ``isinstance(handle, RemovableHandle)`` holds for all of them.
"""

from __future__ import annotations

import abc
import itertools
import warnings
import weakref

from .._core.node import _RemovableHandle as _NodeHandle
from .._core.tensor import _DictHandle
from ..nn.modules.module import _RemovableHandle as _ModuleHandle

__all__ = ["RemovableHandle", "unserializable_hook", "warn_if_has_hooks"]


class RemovableHandle(metaclass=abc.ABCMeta):  # noqa: B024  (an ABC only to register virtual subclasses)
    """Removes a hook from the dict(s) it was put in: ``handle.remove()``, or leave a ``with`` block."""

    next_id = itertools.count()

    def __init__(self, hooks_dict, *, extra_dict=None) -> None:
        self.hooks_dict_ref = weakref.ref(hooks_dict)
        self.id = next(RemovableHandle.next_id)
        extras = extra_dict if isinstance(extra_dict, (list, tuple)) else [] if extra_dict is None else [extra_dict]
        self.extra_dict_ref = tuple(weakref.ref(d) for d in extras)

    def remove(self) -> None:
        for ref in (self.hooks_dict_ref, *self.extra_dict_ref):
            d = ref()
            if d is not None and self.id in d:
                del d[self.id]

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.remove()


for _cls in (_ModuleHandle, _NodeHandle, _DictHandle):
    RemovableHandle.register(_cls)
del _cls


def unserializable_hook(f):
    """Mark a hook as not to be serialized (PyTorch's marker attribute)."""
    f.__torch_unserializable__ = True
    return f


def warn_if_has_hooks(tensor) -> None:
    """Warn when a tensor about to be serialized carries backward hooks that will be lost."""
    hooks = getattr(tensor, "_hooks", None)
    for hook in (hooks or {}).values():
        if not getattr(hook, "__torch_unserializable__", False):
            warnings.warn(f"backward hook {hook!r} on tensor will not be serialized.  If this is expected, you "
                          "can decorate the function with @torch.utils.hooks.unserializable_hook to suppress "
                          "this warning", stacklevel=2)
