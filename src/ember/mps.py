"""``torch.mps`` on a machine without Metal: nothing is available, and calls that need the device raise
PyTorch's "without MPS backend" errors."""

from __future__ import annotations

__all__ = ["is_available", "device_count", "synchronize", "empty_cache", "manual_seed", "seed", "get_rng_state",
           "set_rng_state", "current_allocated_memory", "driver_allocated_memory", "recommended_max_memory",
           "set_per_process_memory_fraction"]


def _without(what: str):
    def call(*args, **kwargs):
        raise RuntimeError(f"Cannot execute {what}() without MPS backend.")
    return call


def is_available() -> bool:
    return False


def device_count() -> int:
    return 0


def manual_seed(seed) -> None:
    """Seeds nothing (no MPS generator); the seed is checked as PyTorch does."""
    int(seed)


synchronize = _without("deviceSynchronize")
empty_cache = _without("emptyCache")
seed = get_rng_state = set_rng_state = _without("getDefaultGenerator")
current_allocated_memory = _without("getCurrentAllocatedMemory")
driver_allocated_memory = _without("getDriverAllocatedMemory")
recommended_max_memory = _without("getRecommendedMaxMemory")
set_per_process_memory_fraction = _without("setMemoryFraction")
