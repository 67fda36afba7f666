"""Kernels: what the ops compute with, ``ndarray -> ndarray``, behind one set of names.

Two sets share the names (``NAMES``):

* ``exact`` (the default): PyTorch-exact. float32 transcendental functions of small tensors evaluated in float64
  and rounded once (SLEEF's digits), float32 sums in PyTorch's cascade order, sigmoid in its kernel's order, the
  ReLU gradient from bit patterns. Each names, beside it, the plain NumPy it equals up to rounding.
* ``plain``: that plain NumPy, for readers and for tests (``EMBER_KERNELS=plain`` runs the op suite with it).

``use("plain")`` rebinds this module's names, so every op sees the switch at its next call: the ops call
``kernels.exp(a)`` through the module, never a copy of the function. This is also the seam where a recorder
(``ember.compile``) or another array library plugs in. ``np`` is the array library itself; ``special`` holds the
special functions (erf, lgamma, digamma, Bessel, ...) in NumPy alone, with their derivatives.

``fused`` holds the forward and backward kernels of the ops PyTorch records as one node (layer norm, GELU,
softmax, nll, attention, embedding). Their *backward* formulas are plain NumPy (NumPy's pairwise sums, the
derivative from saved state), not the PyTorch-order sums above: those gradients never were PyTorch's bits (its
backward kernels order their arithmetic differently again), so no printed figure depended on it; forward values
are unchanged, and a recorded backward (``create_graph``, forward mode) still uses ember's differentiable ops.
``fused``'s docstring lists each formula. ``spatial`` (imported by the convolution and pooling ops) holds their
fast paths: max pooling gives PyTorch's values, indices and gradients bit for bit; a unit-stride convolution's
weight gradient sums its long inner dimension in 512-long chunks (``matmul_nt_long_k``: plain NumPy grouping
inside a backward formula, never a printed forward value) and its forward runs one product per sample (convolution
values never were PyTorch's mkldnn bits; they agree to rounding). ``threads`` runs those small products on one BLAS
thread. ``memory`` keeps freed arrays in the process's heap (glibc's mallopt) so
that a training loop's temporaries are not fresh pages at every step.
"""

from __future__ import annotations

import contextlib
import importlib
import os

import numpy as np

from . import exact, fused, memory, plain

__all__ = (["NAMES", "use", "using", "current", "np", "exact", "fused", "memory", "plain", "special"]
           + list(plain.__all__))

NAMES = tuple(plain.__all__)
_SETS = {"exact": exact, "plain": plain}
_current = "exact"


def use(name: str) -> None:
    """Bind the kernel set ``name`` ("exact" or "plain") for every op."""
    global _current
    if name not in _SETS:
        raise ValueError(f"unknown kernel set {name!r}: expected one of {sorted(_SETS)}")
    kernels = _SETS[name]
    g = globals()
    for n in NAMES:
        g[n] = getattr(kernels, n)
    _current = name


def current() -> str:
    """The name of the kernel set in use."""
    return _current


@contextlib.contextmanager
def using(name: str):
    """``with kernels.using("plain"): ...``: a kernel set for the duration of the block."""
    previous = _current
    use(name)
    try:
        yield
    finally:
        use(previous)


def __getattr__(name):
    """``special`` (2500 lines of special functions, the ops' erf, lgamma, Bessel ...) loads on first use"""
    if name == "special":
        return importlib.import_module(".special", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


use(os.environ.get("EMBER_KERNELS", "exact"))
memory.keep_freed_memory()
