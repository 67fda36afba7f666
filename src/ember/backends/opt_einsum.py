"""``torch.backends.opt_einsum``: contraction-order optimisation through the opt_einsum package, which PyTorch
uses when it is installed. ember's einsum orders contractions with NumPy; the switches mirror PyTorch's."""

from __future__ import annotations

import importlib.util

__all__ = ["is_available", "get_opt_einsum", "enabled", "strategy"]


def is_available() -> bool:
    return importlib.util.find_spec("opt_einsum") is not None


def get_opt_einsum():
    """The opt_einsum module if installed, else None."""
    if not is_available():
        return None
    return importlib.import_module("opt_einsum")


enabled = is_available()
strategy = "auto" if enabled else None
