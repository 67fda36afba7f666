"""The one door to MPI: mpi4py imported on first use, with the error that names the extra when it is missing.

Nothing else in ember imports mpi4py, so ``import ember.distributed`` (and ``ember.nn.parallel``) stays cheap
and works on machines without MPI; only starting a process group needs it.
"""

from __future__ import annotations

import importlib.util

__all__ = ["available", "mpi"]

INSTALL_HINT = "pip install 'ember[distributed]'"

_MPI = None


def available() -> bool:
    """Whether mpi4py is installed (looked up without importing it, so without starting MPI)."""
    return importlib.util.find_spec("mpi4py") is not None


def mpi():
    """The ``mpi4py.MPI`` module (importing it initialises MPI in this process)."""
    global _MPI
    if _MPI is None:
        try:
            from mpi4py import MPI
        except ImportError as e:
            raise RuntimeError(
                "Distributed package doesn't have MPI built in: ember.distributed runs on MPI through mpi4py, "
                f"which is not installed here. Install it (with an MPI library) by: {INSTALL_HINT}") from e
        _MPI = MPI
    return _MPI
