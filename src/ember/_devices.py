"""Devices ember does not have: torch.cuda, torch.mps, torch.backends (all report unavailable), jit, compile."""

from __future__ import annotations

import types

from . import amp

cpu = types.SimpleNamespace(is_available=lambda: True, device_count=lambda: 1, current_device=lambda: "cpu",
                            synchronize=lambda *a: None, amp=types.SimpleNamespace(autocast=amp.autocast))


def _noop(*args, **kwargs):
    return None


cuda = types.SimpleNamespace(
    is_available=lambda: False, device_count=lambda: 0, manual_seed=_noop, manual_seed_all=_noop,
    synchronize=_noop, empty_cache=_noop, current_device=lambda: 0, is_initialized=lambda: False,
    get_device_name=lambda *a: "cpu", memory_allocated=lambda *a: 0, max_memory_allocated=lambda *a: 0,
    reset_peak_memory_stats=_noop, set_device=_noop, seed=_noop, seed_all=_noop,
    amp=types.SimpleNamespace(autocast=lambda *a, **k: _amp().autocast("cuda", *a, **k),
                              GradScaler=lambda *a, **k: _amp().GradScaler("cuda", *a, **k)))


def _amp():
    return amp


mps = types.SimpleNamespace(is_available=lambda: False, manual_seed=_noop, is_built=lambda: False)


backends = types.SimpleNamespace(
    cudnn=types.SimpleNamespace(benchmark=False, deterministic=False, enabled=True, allow_tf32=True,
                                is_available=lambda: False, version=lambda: None),
    mps=types.SimpleNamespace(is_available=lambda: False, is_built=lambda: False),
    cuda=types.SimpleNamespace(matmul=types.SimpleNamespace(allow_tf32=False), is_built=lambda: False),
    mkldnn=types.SimpleNamespace(is_available=lambda: False, enabled=False),
    openmp=types.SimpleNamespace(is_available=lambda: False))


def compile(model=None, **kwargs):
    """No compiler here: returns the model (or a decorator that returns the function) unchanged."""
    if model is None:
        return lambda m: m
    return model


jit = types.SimpleNamespace(script=lambda f, *a, **k: f, trace=lambda f, *a, **k: f,
                            ignore=lambda f=None, **k: f if f is not None else (lambda g: g),
                            unused=lambda f: f, export=lambda f: f, is_scripting=lambda: False)
