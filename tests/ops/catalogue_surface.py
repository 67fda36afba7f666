"""The public names the catalogue must cover, each with the module that defines it (for the coverage test)."""

from __future__ import annotations

import inspect

import ember
from ember._core.exposure import DECLARED


def _home(fn) -> str:
    mod = getattr(inspect.unwrap(fn), "__module__", None) or "?"
    return mod.removeprefix("ember.")


def public_names() -> dict:
    """name -> home module: torch.* functions and Tensor methods (as each op declares them), in-place methods,
    nn.functional, linalg, special and fft functions."""
    out = {}
    for e in DECLARED:
        home = _home(e.fn)
        for n in e.torch:
            out.setdefault(n, home)
        for n in e.methods + e.inplace:
            if not n.startswith("__"):
                out.setdefault(f"Tensor.{n}", home)
    for prefix, module in (("nn.functional", ember.nn.functional), ("linalg", ember.linalg),
                           ("special", ember.special), ("fft", ember.fft)):
        for n in dir(module):
            v = getattr(module, n)
            if n.startswith("_") or not callable(v) or isinstance(v, type) or inspect.ismodule(v):
                continue
            out.setdefault(f"{prefix}.{n}", _home(v))
    return out
