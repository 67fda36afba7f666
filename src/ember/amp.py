"""``torch.amp``: mixed precision is a no-op on ember's CPU (autocast runs code unchanged; GradScaler passes
through)."""

import contextlib

from ._core import dtype as D

__all__ = ["autocast", "GradScaler"]


class autocast(contextlib.ContextDecorator):
    """Mixed precision is a no-op on ember's CPU: the context and decorator run the code unchanged."""

    def __init__(self, device_type: str = "cpu", dtype=None, enabled: bool = True, cache_enabled=None):
        self.device_type, self.fast_dtype, self._enabled = device_type, dtype, enabled

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def is_autocast_enabled(device_type=None) -> bool:
    return False


def get_autocast_dtype(device_type="cpu"):
    return D.bfloat16 if device_type == "cpu" else D.float16


class GradScaler:
    """Loss scaling for float16 training; on the CPU it is disabled and every call passes through."""

    def __init__(self, device: str = "cuda", init_scale: float = 2.0 ** 16, growth_factor: float = 2.0,
                 backoff_factor: float = 0.5, growth_interval: int = 2000, enabled: bool = True):
        self._enabled = False
        self._scale = init_scale

    def scale(self, outputs):
        return outputs

    def unscale_(self, optimizer) -> None:
        return None

    def step(self, optimizer, *args, **kwargs):
        return optimizer.step(*args, **kwargs)

    def update(self, new_scale=None) -> None:
        return None

    def get_scale(self) -> float:
        return 1.0

    def is_enabled(self) -> bool:
        return self._enabled

    def state_dict(self) -> dict:
        return {}

    def load_state_dict(self, state) -> None:
        return None


def is_autocast_cpu_enabled() -> bool:
    return False


def set_autocast_enabled(*args) -> None:
    return None
