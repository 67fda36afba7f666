"""Where the memory of freed arrays goes: back into the process's heap, not back to the operating system.

A training step makes and frees the same large temporaries (activations, their gradients, a kernel's
intermediates) at every step. glibc's malloc serves an allocation above its mmap threshold (128 KiB at first, then
raised adaptively) with fresh pages from the OS and unmaps them when the array is freed, and it trims the top of its
heap when more than its trim threshold is free; either way the next step's arrays are new pages, and the kernel
zeroes and maps each of them on first touch. The small GPT step took ~3900 such page faults per step (15 MB),
about a third of its time.

``keep_freed_memory()`` (run when ember is imported, on glibc; ``EMBER_KEEP_FREED_MEMORY=0`` turns it off) sets
``M_MMAP_THRESHOLD`` to 4 MiB and ``M_TRIM_THRESHOLD`` to 32 MiB: arrays below 4 MiB come from the heap, and up to
32 MiB of freed heap stays with the process to be reused at the next step, while larger arrays are still mapped
and unmapped (NumPy gives arrays of 4 MiB and more transparent huge pages, so their faults are few, and an
allocation that size shows in the resident size as before: the memory tests' measuring sticks still see it). The
price is at most 32 MiB of resident memory kept after a peak. No value changes: this only decides where arrays
live.
"""

from __future__ import annotations

import ctypes
import os

import numpy as np

__all__ = ["keep_freed_memory", "blockwise", "cumsum_wide", "MMAP_THRESHOLD", "TRIM_THRESHOLD", "BLOCK"]

MMAP_THRESHOLD = 4 * 1024 * 1024
TRIM_THRESHOLD = 32 * 1024 * 1024
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # malloc.h
BLOCK = 1 << 16  # elements per block of ``blockwise``: 512 KiB of float64 temporaries at most
_done = [False]


def _glibc() -> bool:
    try:
        return os.confstr("CS_GNU_LIBC_VERSION").startswith("glibc")
    except (AttributeError, ValueError, OSError):
        return False


def keep_freed_memory(mmap_threshold: int = MMAP_THRESHOLD, trim_threshold: int = TRIM_THRESHOLD) -> bool:
    """Ask glibc's malloc to keep freed blocks below ``mmap_threshold`` in its heap and to trim it only when more
    than ``trim_threshold`` is free; True if it took the settings (False off glibc, or when disabled by
    ``EMBER_KEEP_FREED_MEMORY=0``)."""
    if os.environ.get("EMBER_KEEP_FREED_MEMORY", "1") == "0":
        return False
    if not _glibc():
        return False
    try:
        libc = ctypes.CDLL(None)
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # pragma: no cover - glibc always has it
        return False
    mallopt.argtypes, mallopt.restype = (ctypes.c_int, ctypes.c_int), ctypes.c_int
    ok = bool(mallopt(_M_MMAP_THRESHOLD, int(mmap_threshold))) and bool(mallopt(_M_TRIM_THRESHOLD,
                                                                                 int(trim_threshold)))
    _done[0] = _done[0] or ok
    return ok


def blockwise(fn, out: np.ndarray, *args, block: int = BLOCK) -> None:
    """``fn(out, *args)``, an elementwise update written into ``out``, run over flat blocks of ``block`` elements.

    The float32 kernels that round as PyTorch's fused multiply-add (``fma``, the optimizers' updates) compute in
    float64: on a whole tensor that is two temporaries of twice its size, where PyTorch needs none. Block by block
    the temporaries stay below 1 MiB whatever the size, and the numbers are the same (each element's arithmetic
    is unchanged). Applies when ``out`` is C-contiguous and every array argument is 0-d or C-contiguous of
    ``out``'s shape; anything else (broadcasting, strided views) runs whole."""
    n = out.size
    if n > block and out.flags.c_contiguous:
        flat = []
        for a in args:
            if isinstance(a, np.ndarray) and a.ndim:
                if a.shape != out.shape or not a.flags.c_contiguous:
                    break
                flat.append(a.reshape(-1))
            else:
                flat.append(None)
        else:
            fo = out.reshape(-1)
            for s in range(0, n, block):
                e = s + block
                fn(fo[s:e], *(a if f is None else f[s:e] for a, f in zip(args, flat)))
            return
    fn(out, *args)


def cumsum_wide(a: np.ndarray, axis: int, acc=np.float64, block: int = BLOCK) -> np.ndarray:
    """cumsum of ``a`` along ``axis`` accumulated in ``acc`` (PyTorch's CPU cumsum adds float32 and float16 in
    double), returned in ``a``'s dtype, without a whole-size ``acc`` temporary.

    The scan axis is cut into runs of rows; each run is scanned in a buffer whose first row is the running total
    carried from the run before, so every element is still ``total + x`` added in order, as one whole cumsum adds:
    the same numbers, with the buffer at about ``block`` elements (one row of the other axes, if that is more)."""
    out = np.empty(a.shape, a.dtype)
    if a.size == 0:
        return out
    src, dst = np.moveaxis(a, axis, 0), np.moveaxis(out, axis, 0)
    length, row = src.shape[0], src[0].size
    rows = max(1, block // max(row, 1))
    buf = np.empty((min(rows, length) + 1,) + src.shape[1:], acc)
    buf[0] = 0
    for s in range(0, length, rows):
        k = min(rows, length - s)
        b = buf[: k + 1]
        b[1:] = src[s : s + k]
        np.cumsum(b, axis=0, out=b)
        with np.errstate(over="ignore", invalid="ignore"):  # (an overflow to inf, as PyTorch's, says nothing)
            dst[s : s + k] = b[1:]
        buf[0] = b[k]
    return out
