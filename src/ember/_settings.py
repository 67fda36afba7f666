"""Process-wide settings: threads, determinism, matmul precision, default device, warn_always."""

from __future__ import annotations

from ._core import modes
from ._core.tensor import _check_device, device

_warn_always = [False]


def set_warn_always(b: bool) -> None:
    _warn_always[0] = bool(b)


def is_warn_always_enabled() -> bool:
    return _warn_always[0]


_interop_threads = [1]


def set_num_interop_threads(n: int) -> None:
    _interop_threads[0] = int(n)


def get_num_interop_threads() -> int:
    return _interop_threads[0]


def set_flush_denormal(mode: bool) -> bool:
    """NumPy keeps denormals; report the switch as unsupported"""
    return False


def is_anomaly_enabled() -> bool:
    return modes.anomaly.enabled


def set_anomaly_enabled(enabled: bool, check_nan: bool = True) -> None:
    modes.anomaly.enabled = bool(enabled)


_deterministic = [False]


_threads = [1]


_matmul_precision = ["highest"]


def use_deterministic_algorithms(mode: bool, *, warn_only: bool = False) -> None:
    """ember's CPU kernels are deterministic already; the flag is kept for code that reads it back."""
    _deterministic[0] = bool(mode)


def are_deterministic_algorithms_enabled() -> bool:
    return _deterministic[0]


def set_num_threads(n: int) -> None:
    _threads[0] = int(n)


def get_num_threads() -> int:
    return _threads[0]


def set_float32_matmul_precision(p: str) -> None:
    _matmul_precision[0] = p


def get_float32_matmul_precision() -> str:
    return _matmul_precision[0]


def manual_seed_all(seed) -> None:
    return None


def set_default_device(dev) -> None:
    _check_device(dev)


def get_default_device():
    return device("cpu")
