"""``torch.cuda`` as PyTorch's CPU build has it: no device, and each call behaves as it does there.

``is_available()`` is False and ``device_count()`` 0; the calls programs make unconditionally (seeding, freeing
the cache, reading memory counters) do nothing or return 0, and those that need a device raise PyTorch's
``AssertionError: Torch not compiled with CUDA enabled``. ``torch.cuda.FloatTensor`` and the other legacy
type names are ember's CPU classes, so ``isinstance(t, torch.cuda.FloatTensor)`` keeps working.
"""

from __future__ import annotations

import collections
import warnings

from .._devices import OutOfMemoryError, missing_c_function, no_cuda
from ..ops.legacy import LEGACY
from . import amp, nvtx

__all__ = ["is_available", "device_count", "is_initialized", "init", "current_device", "get_device_name",
           "get_device_properties", "get_device_capability", "synchronize", "empty_cache", "memory_allocated",
           "max_memory_allocated", "memory_reserved", "max_memory_reserved", "memory_cached", "max_memory_cached",
           "memory_stats", "memory_stats_as_nested_dict", "memory_summary", "mem_get_info",
           "reset_peak_memory_stats", "reset_max_memory_allocated", "reset_max_memory_cached",
           "reset_accumulated_memory_stats", "manual_seed", "manual_seed_all", "seed", "seed_all",
           "initial_seed", "get_rng_state", "set_rng_state", "get_rng_state_all", "set_rng_state_all",
           "set_device", "is_bf16_supported", "is_tf32_supported", "get_arch_list", "get_gencode_flags", "device",
           "device_of", "stream", "StreamContext", "current_stream", "default_stream", "Stream", "Event",
           "ipc_collect", "set_per_process_memory_fraction", "get_per_process_memory_fraction",
           "current_blas_handle", "can_device_access_peer", "OutOfMemoryError", "amp", "nvtx",
           "default_generators", "has_half", "has_magma", "list_gpu_processes", "utilization", "temperature",
           "power_draw", "clock_rate", "memory_usage", "device_memory_used",
           "is_current_stream_capturing", *LEGACY]

globals().update(LEGACY)  # torch.cuda.FloatTensor & co.: the CPU classes (no GPU here)


default_generators: tuple = ()
has_half = True
has_magma = False


def is_available() -> bool:
    """False: no CUDA here."""
    return False


def device_count() -> int:
    return 0


def is_initialized() -> bool:
    return False


init = current_device = get_device_name = get_device_properties = get_device_capability = no_cuda
synchronize = mem_get_info = initial_seed = get_rng_state = ipc_collect = current_stream = no_cuda
default_stream = set_per_process_memory_fraction = get_per_process_memory_fraction = no_cuda
current_blas_handle = can_device_access_peer = no_cuda
set_device = missing_c_function("_cuda_setDevice")
reset_peak_memory_stats = missing_c_function("_cuda_resetPeakMemoryStats")
reset_accumulated_memory_stats = missing_c_function("_cuda_resetAccumulatedMemoryStats")


def empty_cache() -> None:
    """Nothing is cached without a device."""


def memory_allocated(device=None) -> int:
    return 0


def max_memory_allocated(device=None) -> int:
    return 0


def memory_reserved(device=None) -> int:
    return 0


def max_memory_reserved(device=None) -> int:
    return 0


def memory_cached(device=None) -> int:
    warnings.warn("`torch.cuda.memory_cached` has been renamed to `torch.cuda.memory_reserved`", FutureWarning,
                  stacklevel=2)
    return 0


def max_memory_cached(device=None) -> int:
    warnings.warn("`torch.cuda.max_memory_cached` has been renamed to `torch.cuda.max_memory_reserved`",
                  FutureWarning, stacklevel=2)
    return 0


def memory_stats(device=None) -> collections.OrderedDict:
    return collections.OrderedDict()


def memory_stats_as_nested_dict(device=None) -> dict:
    return {}


def memory_summary(device=None, abbreviated: bool = False):
    raise KeyError("allocated_bytes.all.current")  # PyTorch's CPU build reads a counter that is not there


def reset_max_memory_allocated(device=None):
    warnings.warn("torch.cuda.reset_max_memory_allocated now calls torch.cuda.reset_peak_memory_stats, which "
                  "resets /all/ peak memory stats.", FutureWarning, stacklevel=2)
    return reset_peak_memory_stats(device)


def reset_max_memory_cached(device=None):
    warnings.warn("torch.cuda.reset_max_memory_cached now calls torch.cuda.reset_peak_memory_stats, which resets "
                  "/all/ peak memory stats.", FutureWarning, stacklevel=2)
    return reset_peak_memory_stats(device)


def manual_seed(seed) -> None:
    """Seeds nothing (no CUDA generators); checks the seed as PyTorch does."""
    int(seed)


def manual_seed_all(seed) -> None:
    int(seed)


def seed() -> None:
    """Nothing to seed."""


def seed_all() -> None:
    """Nothing to seed."""


def set_rng_state(new_state, device="cuda") -> None:
    """Nothing to set (PyTorch's CPU build defers the call to a CUDA initialisation that never comes)."""


def get_rng_state_all() -> list:
    return []


def set_rng_state_all(new_states) -> None:
    """Nothing to set."""


def is_bf16_supported(including_emulation: bool = True) -> bool:
    return False


def is_tf32_supported() -> bool:
    return False


def get_arch_list() -> list:
    return []


def get_gencode_flags() -> str:
    return ""


def is_current_stream_capturing():
    raise RuntimeError("Tried to instantiate dummy base class _cuda_isCurrentStreamCapturing")


def list_gpu_processes(device=None) -> str:
    return "pynvml module not found, please install nvidia-ml-py"


def _no_nvml(*args, **kwargs):
    raise ModuleNotFoundError("nvidia-ml-py does not seem to be installed or it can't be imported.")


utilization = temperature = power_draw = clock_rate = memory_usage = device_memory_used = _no_nvml


class device:
    """``with torch.cuda.device(i):``: index -1 (or None) is a no-op; any real index needs CUDA."""

    def __init__(self, device):
        self.idx = -1 if device is None else (device if isinstance(device, int) else getattr(device, "index", -1))
        if self.idx is None:
            self.idx = -1

    def __enter__(self):
        if self.idx != -1:
            raise RuntimeError("PyTorch was compiled without CUDA support")
        return self

    def __exit__(self, *exc):
        return False


class device_of(device):
    """``with torch.cuda.device_of(t):``: the device of a CPU tensor is no CUDA device, so a no-op."""

    def __init__(self, obj):
        super().__init__(-1)


class StreamContext:
    """``with torch.cuda.stream(None):`` is a no-op; a real stream needs CUDA."""

    def __init__(self, stream):
        self.stream = stream

    def __enter__(self):
        if self.stream is not None:
            no_cuda()
        return self.stream

    def __exit__(self, *exc):
        return False


def stream(stream) -> StreamContext:
    return StreamContext(stream)


class Stream:
    def __new__(cls, *args, **kwargs):
        raise RuntimeError("torch.cuda.Stream requires CUDA support")


class Event:
    def __new__(cls, *args, **kwargs):
        raise RuntimeError("Tried to instantiate dummy base class Event")
