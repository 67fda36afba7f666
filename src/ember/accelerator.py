"""``torch.accelerator`` on a CPU-only build: no accelerator. ``is_available()`` is False,
``current_accelerator()`` None and ``device_count()`` 0, so the official examples' device choice
(``torch.accelerator.current_accelerator() if torch.accelerator.is_available() else "cpu"``) picks the CPU;
calls that need a device raise PyTorch's RuntimeError."""

from __future__ import annotations

import warnings

from ._devices import NO_ACCELERATOR, no_accelerator

__all__ = ["is_available", "current_accelerator", "device_count", "current_device_index", "current_device_idx",
           "set_device_index", "set_device_idx", "device_index", "current_stream", "set_stream", "synchronize",
           "empty_cache", "empty_host_cache", "get_memory_info", "memory_allocated", "max_memory_allocated",
           "memory_reserved", "max_memory_reserved", "memory_stats", "reset_peak_memory_stats",
           "reset_accumulated_memory_stats", "get_device_capability"]


def is_available() -> bool:
    return False


def current_accelerator(check_available: bool = False):
    """The accelerator device type, or None: there is none."""
    return None


def device_count() -> int:
    return 0


current_device_index = current_stream = synchronize = empty_cache = empty_host_cache = no_accelerator
get_memory_info = memory_allocated = max_memory_allocated = memory_reserved = max_memory_reserved = no_accelerator
memory_stats = reset_peak_memory_stats = reset_accumulated_memory_stats = get_device_capability = no_accelerator


def current_device_idx():
    warnings.warn("Use `current_device_index` instead.", FutureWarning, stacklevel=2)
    return current_device_index()


def set_device_index(device) -> None:
    if isinstance(device, str) or getattr(device, "type", None) == "cpu":
        raise RuntimeError("Accelerator expected")
    no_accelerator()


def set_device_idx(device) -> None:
    warnings.warn("Use `set_device_index` instead.", FutureWarning, stacklevel=2)
    set_device_index(device)


def set_stream(stream) -> None:
    raise TypeError("_accelerator_setStream(): incompatible function arguments. The following argument types are "
                    f"supported:\n    1. (arg0: torch.Stream) -> None\n\nInvoked with: {stream!r}")


class device_index:
    """``with torch.accelerator.device_index(i):``: None is a no-op; an index needs an accelerator."""

    def __init__(self, device, /) -> None:
        self.idx = device

    def __enter__(self):
        if self.idx is not None:
            raise RuntimeError(NO_ACCELERATOR)
        return self

    def __exit__(self, *exc):
        return False
