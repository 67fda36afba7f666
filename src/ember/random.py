"""Random tensors drawn from PyTorch's CPU streams: same seed, same calls, same numbers.

The stream itself (mt19937 and PyTorch's transforms) lives in ``kernels.rng``; this module holds the
``Generator`` class and the default generator (``ember.ops.random`` makes tensors from them).
"""

from __future__ import annotations

import contextlib

import numpy as np

from ._core.tensor import Tensor, _check_device, _wrap
from .kernels import rng as _rng

__all__ = ["Generator", "default_generator", "fork_rng", "get_rng_state", "initial_seed", "manual_seed", "seed",
           "set_rng_state"]



class Generator(_rng.Generator):
    """A random stream (``torch.Generator``); ``manual_seed`` returns the generator itself."""

    def __init__(self, device="cpu"):
        _check_device(device)
        super().__init__()
        self.device = "cpu"

    def get_state(self) -> Tensor:
        return _wrap(np.array(_rng.Generator.get_state(self), dtype=np.uint8))

    def set_state(self, new_state) -> "Generator":
        if not isinstance(new_state, Tensor):
            raise TypeError(f"expected a torch.ByteTensor, but got {type(new_state).__name__}")
        if new_state._data.dtype != np.uint8:
            raise RuntimeError(f"expected a torch.ByteTensor, but got a tensor of dtype {new_state.dtype}")
        _rng.Generator.set_state(self, new_state._data)
        return self


default_generator = Generator()


default_generator.seed()  # like PyTorch, the default stream starts from a non-deterministic seed


def _gen(generator) -> Generator:
    return default_generator if generator is None else generator


def manual_seed(seed) -> Generator:
    """Seed the default generator (and return it)."""
    seed = int(seed)
    default_generator.manual_seed(seed)
    return default_generator


def seed() -> int:
    return default_generator.seed()


def initial_seed() -> int:
    return default_generator.initial_seed()


def get_rng_state() -> Tensor:
    return default_generator.get_state()


def set_rng_state(new_state: Tensor) -> None:
    default_generator.set_state(new_state)


def fork_rng(devices=None, enabled=True, **kwargs):

    @contextlib.contextmanager
    def _fork():
        state = get_rng_state()
        try:
            yield
        finally:
            if enabled:
                set_rng_state(state)
    return _fork()


def thread_safe_generator():
    """The generator of the DataLoader thread worker this runs in, else None (the default generator is used).
    ember's DataLoader workers are processes, so outside such a worker this is None, as in PyTorch."""
    from .utils.data import get_worker_info
    info = get_worker_info()
    if info is not None and getattr(info, "worker_method", None) == "thread" and getattr(info, "rng", None) is not None:
        return info.rng.torch_generator
    return None
