"""BLAS threads per call: ``with one_blas_thread(): a @ b`` runs the products inside on one thread.

Why: OpenBLAS splits even a product of a few million flops across its threads, and on these sizes the second
thread gives nothing back: it spins, and on a busy machine (more runnable processes than cores) the threads wait
for each other and a 0.1 ms product takes 10-50 ms. The convolution kernels of ``kernels.spatial`` run their
(small, skinny) GEMMs on one thread; large products elsewhere keep the library's setting.

How: the OpenBLAS that NumPy loaded is found in the process's mapped libraries (Linux ``/proc/self/maps``) and
its ``set_num_threads``/``get_num_threads`` are called through ``ctypes`` (about a microsecond). Where no
OpenBLAS is found (another BLAS, another OS) the context manager does nothing. The user's setting is read at
each entry and restored at exit.
"""

from __future__ import annotations

import contextlib
import ctypes

__all__ = ["one_blas_thread"]

_SUFFIXES = ("scipy_openblas_{}64_", "openblas_{}64_", "openblas_{}")


def _find_openblas():
    try:
        with open("/proc/self/maps") as f:
            paths = {line.split()[-1] for line in f if "openblas" in line.lower() and "/" in line}
    except OSError:
        return None
    for path in sorted(paths):
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for pattern in _SUFFIXES:
            try:
                set_n, get_n = getattr(lib, pattern.format("set_num_threads")), getattr(lib,
                                                                                       pattern.format("get_num_threads"))
            except AttributeError:
                continue
            set_n.argtypes, set_n.restype, get_n.argtypes, get_n.restype = [ctypes.c_int], None, [], ctypes.c_int
            return set_n, get_n
    return None


_api = False  # not looked up yet (NumPy loads its BLAS at import, before any kernel runs)


@contextlib.contextmanager
def _limited():
    global _api
    if _api is False:
        _api = _find_openblas()
    if _api is None:
        yield
        return
    set_n, get_n = _api
    before = get_n()
    if before <= 1:
        yield
        return
    set_n(1)
    try:
        yield
    finally:
        set_n(before)


def one_blas_thread():
    """Context manager: BLAS calls inside run on one thread (a no-op without a known OpenBLAS)."""
    return _limited()
