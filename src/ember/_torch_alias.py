"""``torch`` -> ``ember``: make ``import torch`` (and ``import torchvision``) resolve to ember's modules.

The data structure is one mapping of name prefixes, ``torch`` -> ``ember`` and ``torchvision`` -> ``ember.vision``,
and one meta-path finder put first on ``sys.meta_path``. For a name under an aliased prefix the finder resolves
the ember name (``torch.nn.functional`` -> ``ember.nn.functional``) and hands importlib a loader whose module *is*
ember's module object, so after ``import torch.nn`` ``sys.modules['torch.nn'] is ember.nn``: one module, two names,
the same state (``torch.manual_seed`` seeds ember's generator), and classes keep their ember ``__module__``.

ember keeps a few torch namespaces as plain objects rather than modules (``ember.linalg``, ``ember.backends``,
``ember.cuda``...); those are aliased too, so ``import torch.linalg`` and ``from torch.backends import cudnn`` work.
A torch submodule ember does not offer fails at the import with a ModuleNotFoundError that names it and says so,
instead of an ImportError from deep inside the program.

``use_as_torch()`` installs the finder (for notebooks, tests and ``python -m ember run``); ``use_as_torch(False)``
removes it and forgets the aliases it made. Modules that already hold the real torch are not touched: if the real
torch is imported in this process already, ``use_as_torch()`` refuses rather than leave two torches around.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys
import types

__all__ = ["ALIASES", "TorchAliasFinder", "SwapFinder", "use_as_torch", "is_active"]

ALIASES = {"torch": "ember", "torchvision": "ember.vision"}


def _ember_name(fullname: str) -> str | None:
    """'torch.nn.functional' -> 'ember.nn.functional'; None for a name that is not aliased."""
    for prefix, target in ALIASES.items():
        if fullname == prefix or fullname.startswith(prefix + "."):
            return target + fullname[len(prefix):]
    return None


def _is_namespace(obj) -> bool:
    return isinstance(obj, (types.ModuleType, types.SimpleNamespace))


def _not_offered(fullname: str) -> ModuleNotFoundError:
    return ModuleNotFoundError(
        f"No module named '{fullname}': ember stands in for torch in this program and does not offer "
        f"{fullname}", name=fullname)


def _resolve(fullname: str, target: str):
    """The ember object that `fullname` names: a module, or a namespace attribute of its parent."""
    try:
        return importlib.import_module(target)
    except ModuleNotFoundError as exc:
        # only a missing ember module (the target or one of its parents) means "not offered"; a module that
        # exists but needs something absent (Pillow for ember.vision) keeps its own error
        if exc.name is not None and exc.name != target and not target.startswith(exc.name + "."):
            raise
    parent_name, _, child = fullname.rpartition(".")
    if parent_name:
        parent = sys.modules.get(parent_name)
        obj = getattr(parent, child, None) if parent is not None else None
        if _is_namespace(obj):
            return obj
    raise _not_offered(fullname)


class _AliasLoader(importlib.abc.Loader):
    """Loads nothing: the module it creates is the ember object that already exists."""

    def __init__(self, obj):
        self.obj = obj

    def create_module(self, spec):
        return self.obj

    def exec_module(self, module):
        pass


class TorchAliasFinder(importlib.abc.MetaPathFinder):
    """Answers ``torch``, ``torch.*``, ``torchvision``, ``torchvision.*`` with ember's modules."""

    def __init__(self):
        self.aliased: set[str] = set()

    def find_spec(self, fullname, path=None, target=None):
        ember_name = _ember_name(fullname)
        if ember_name is None:
            return None
        obj = _resolve(fullname, ember_name)
        self.aliased.add(fullname)
        is_package = hasattr(obj, "__path__") or isinstance(obj, types.SimpleNamespace)
        return importlib.util.spec_from_loader(fullname, _AliasLoader(obj), is_package=is_package)


_FINDER = TorchAliasFinder()


class SwapFinder(importlib.abc.MetaPathFinder):
    """Keeps ``sys.modules['torch'] = ember`` (the hand-made import swap) to one copy of each module.

    Without it, ``import torch.nn`` after the swap would find ember's files through ``ember.__path__`` and run them
    again as a second module named ``torch.nn``, with its own Tensor class and its own generator. This finder sits
    on ``sys.meta_path`` from ``import ember`` on and does nothing unless ``sys.modules[prefix]`` *is* ember's
    module for that prefix: then ``torch.X.Y`` is answered with ``ember.X.Y`` itself, as ``use_as_torch`` does.
    """

    def find_spec(self, fullname, path=None, target=None):
        prefix = fullname.partition(".")[0]
        if prefix not in ALIASES or prefix == fullname:
            return None
        target_name = ALIASES[prefix]
        swapped = sys.modules.get(prefix)
        if swapped is None or swapped is not sys.modules.get(target_name):
            return None
        return _FINDER.find_spec(fullname, path, target)


_SWAP_FINDER = SwapFinder()
if not any(isinstance(f, SwapFinder) for f in sys.meta_path):
    sys.meta_path.insert(0, _SWAP_FINDER)


def is_active() -> bool:
    """True while ``import torch`` resolves to ember in this process."""
    return _FINDER in sys.meta_path


def use_as_torch(enable: bool = True) -> None:
    """From now on ``import torch[.X.Y]`` gives ember's modules and ``import torchvision`` gives ember.vision.

    Third-party packages imported afterwards that ``import torch`` themselves get ember too. Call it before
    anything imports the real torch. ``use_as_torch(False)`` undoes it (the aliases leave ``sys.modules``).
    """
    if not enable:
        while _FINDER in sys.meta_path:
            sys.meta_path.remove(_FINDER)
        for name in _FINDER.aliased:
            sys.modules.pop(name, None)
        _FINDER.aliased.clear()
        return
    for prefix in ALIASES:
        existing = sys.modules.get(prefix)
        if existing is not None and prefix not in _FINDER.aliased:
            where = getattr(existing, "__file__", None) or repr(existing)
            raise RuntimeError(
                f"ember.use_as_torch(): the real {prefix} is already imported in this process ({where}); "
                f"call it before anything imports {prefix} (or run the script with `python -m ember run`)")
    if _FINDER not in sys.meta_path:
        sys.meta_path.insert(0, _FINDER)
    importlib.import_module("torch")  # packages that look for 'torch' in sys.modules (einops...) find ember
