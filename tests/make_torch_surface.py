"""Record PyTorch's public surface into tests/fixtures/torch_surface.json (run with the installed torch 2.13).

    python tests/make_torch_surface.py

For each namespace the surface test covers, every name ``dir()`` lists that does not start with ``_``, with
its kind. The kinds a user calls or reads are ``function``, ``class``, ``value`` and ``module`` (a genuine
submodule), and for ``Tensor`` ``method`` and ``property``. The others are recorded but left out of the
coverage figures: ``typing`` (type aliases and typing helpers: ``Optional``, ``TYPE_CHECKING``), ``foreign``
(what a PyTorch module happens to import: ``math``, ``warnings``, ``functools.partial``), ``reexport``
(another namespace's object seen through this one: ``torch.special.Tensor``, ``torch.fft.torch``) and
``internal`` (documentation fragments and tables in a submodule: ``torch.linalg.common_notes``).
"""

from __future__ import annotations

import importlib
import json
import pathlib
import sys
import types
import typing

NAMESPACES = ("torch", "Tensor", "nn", "nn.functional", "optim", "optim.lr_scheduler", "utils.data", "linalg",
              "special", "fft", "nn.init", "nn.utils", "autograd", "func", "distributions")
USER_KINDS = ("function", "class", "value", "module", "method", "property")
_TYPING_MODULES = ("typing", "typing_extensions", "collections.abc", "__future__", "types")
_TYPING_NAMES = {"TYPE_CHECKING", "annotations"}
OUT = pathlib.Path(__file__).parent / "fixtures" / "torch_surface.json"


def _kind(ns_name: str, ns, name: str, obj) -> str:
    """The kind of ``ns.name``: one of USER_KINDS, or typing / foreign / reexport / internal."""
    if ns_name == "Tensor":
        return "property" if not callable(obj) else "method"
    full = "torch" if ns_name == "torch" else f"torch.{ns_name}"
    if name in _TYPING_NAMES or isinstance(obj, typing.TypeVar):
        return "typing"
    if isinstance(obj, types.ModuleType):
        if not obj.__name__.startswith("torch"):
            return "foreign"
        return "module" if obj.__name__ == f"{full}.{name}" else "reexport"
    module = getattr(obj, "__module__", None)
    if isinstance(module, str) and module.split(".")[0] in _TYPING_MODULES:
        return "typing"
    if isinstance(module, str) and not module.startswith("torch") and module not in ("builtins",):
        return "foreign"
    if ns_name != "torch":
        if name in ("Tensor", "torch"):
            return "reexport"  # torch.Tensor seen as torch.special.Tensor, torch.fft.Tensor ...
        if not callable(obj) and not isinstance(obj, type):
            return "internal"  # documentation fragments, mode tables, flags of a submodule
    if isinstance(obj, type):
        return "class"
    if callable(obj):
        return "function"
    return "value"


def record() -> dict:
    import torch
    surface = {}
    for ns_name in NAMESPACES:
        if ns_name == "torch":
            ns = torch
        elif ns_name == "Tensor":
            ns = torch.Tensor
        else:
            ns = importlib.import_module(f"torch.{ns_name}")
        names = {}
        for name in sorted(dir(ns)):
            if name.startswith("_"):
                continue
            try:
                obj = getattr(ns, name)
            except Exception:  # a lazily-loaded name that fails to load: still part of the surface
                names[name] = "value"
                continue
            names[name] = _kind(ns_name, ns, name, obj)
        surface[ns_name] = names
    return {"torch_version": torch.__version__, "python": sys.version.split()[0], "user_kinds": list(USER_KINDS),
            "namespaces": surface}


if __name__ == "__main__":
    data = record()
    OUT.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")
    for ns_name, names in data["namespaces"].items():
        user = sum(k in USER_KINDS for k in names.values())
        print(f"{ns_name:20s} {user:4d} user-facing of {len(names)} public names")
