"""``torch.backends.cpu``: the vector instruction set PyTorch's kernels would use on this CPU."""

from __future__ import annotations

import os

from .._array import np

__all__ = ["get_cpu_capability"]


def get_cpu_capability() -> str:
    """"AVX512", "AVX2" or "DEFAULT" as PyTorch picks them (ATEN_CPU_CAPABILITY can lower the choice)."""
    features = getattr(np._core._multiarray_umath, "__cpu_features__", {})
    best = "DEFAULT"
    if features.get("AVX2") and features.get("FMA3", True):
        best = "AVX2"
    if all(features.get(f) for f in ("AVX512F", "AVX512BW", "AVX512VL", "AVX512DQ")):
        best = "AVX512"
    asked = os.environ.get("ATEN_CPU_CAPABILITY", "").upper()
    order = ["DEFAULT", "AVX2", "AVX512"]
    if asked in order and order.index(asked) < order.index(best):
        best = asked
    return best
