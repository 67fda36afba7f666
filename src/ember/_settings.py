"""Process-wide settings: threads, determinism, matmul precision, default device, warn_always."""

from __future__ import annotations

from ._core import modes
from ._core.tensor import _CPU, _DEFAULT_DEVICE, device

__all__ = ["are_deterministic_algorithms_enabled", "clear_autocast_cache", "compiled_with_cxx11_abi",
           "get_default_device",
           "get_deterministic_debug_mode", "get_float32_matmul_precision", "get_num_interop_threads",
           "get_num_threads", "init_num_threads", "is_anomaly_check_nan_enabled", "is_anomaly_enabled",
           "is_autocast_cache_enabled", "is_deterministic_algorithms_warn_only_enabled",
           "is_vulkan_available", "is_warn_always_enabled", "manual_seed_all", "set_anomaly_enabled",
           "set_autocast_cache_enabled", "set_default_device", "set_deterministic_debug_mode",
           "set_float32_matmul_precision", "set_flush_denormal", "set_num_interop_threads", "set_num_threads",
           "set_warn_always", "use_deterministic_algorithms"]


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
    _deterministic_warn_only[0] = bool(warn_only)


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
    """The device factory functions use when none is given (None: the CPU)."""
    _DEFAULT_DEVICE[0] = _CPU if dev is None else device(dev)


def get_default_device():
    return _DEFAULT_DEVICE[0]


# -- autocast and debug switches of the torch namespace (autocast is a no-op on ember's CPU) --------------------

_autocast_cache = [True]


def is_autocast_cache_enabled() -> bool:
    return _autocast_cache[0]


def set_autocast_cache_enabled(enabled: bool) -> None:
    _autocast_cache[0] = bool(enabled)


def clear_autocast_cache() -> None:
    """Nothing is cached: autocast is a no-op here."""


def is_anomaly_check_nan_enabled() -> bool:
    return True


_deterministic_warn_only = [False]


def is_deterministic_algorithms_warn_only_enabled() -> bool:
    return _deterministic_warn_only[0]


def get_deterministic_debug_mode() -> int:
    """0 (default), 1 (warn) or 2 (error), from use_deterministic_algorithms."""
    if not _deterministic[0]:
        return 0
    return 1 if _deterministic_warn_only[0] else 2


def set_deterministic_debug_mode(debug_mode) -> None:
    modes_ = {"default": 0, "warn": 1, "error": 2}
    mode = modes_.get(debug_mode, debug_mode) if isinstance(debug_mode, str) else int(debug_mode)
    if mode not in (0, 1, 2):
        raise RuntimeError(f"invalid value of debug_mode, expected one of `default`, `warn`, `error`, but got "
                           f"{debug_mode}")
    use_deterministic_algorithms(mode != 0, warn_only=mode == 1)


def is_vulkan_available() -> bool:
    return False


def compiled_with_cxx11_abi() -> bool:
    return True


def init_num_threads() -> None:
    """Thread pools are NumPy's (and its BLAS's); nothing to initialise."""
