"""``torch.cuda.amp``: the deprecated spellings of ``torch.amp.autocast("cuda")`` and ``torch.amp.GradScaler("cuda")``.

Each warns as PyTorch does and builds ember's ``amp`` object for the "cuda" device type (a pass-through on
ember's CPU)."""

from __future__ import annotations

import warnings

from .. import amp as _amp

__all__ = ["autocast", "GradScaler", "custom_fwd", "custom_bwd"]


class autocast(_amp.autocast):
    """Deprecated ``torch.cuda.amp.autocast(...)`` = ``torch.amp.autocast("cuda", ...)``."""

    def __init__(self, enabled: bool = True, dtype=None, cache_enabled: bool = True):
        warnings.warn("`torch.cuda.amp.autocast(args...)` is deprecated. Please use `torch.amp.autocast('cuda', "
                      "args...)` instead.", FutureWarning, stacklevel=2)
        if enabled:  # what PyTorch's autocast says for "cuda" without CUDA (ember.amp leaves it to this module)
            warnings.warn("CUDA is not available or torch_xla is imported. Disabling autocast.", UserWarning,
                          stacklevel=2)
        super().__init__("cuda", dtype=dtype, enabled=False, cache_enabled=cache_enabled)


class GradScaler(_amp.GradScaler):
    """Deprecated ``torch.cuda.amp.GradScaler(...)`` = ``torch.amp.GradScaler("cuda", ...)``."""

    def __init__(self, init_scale: float = 2.0 ** 16, growth_factor: float = 2.0, backoff_factor: float = 0.5,
                 growth_interval: int = 2000, enabled: bool = True) -> None:
        warnings.warn("`torch.cuda.amp.GradScaler(args...)` is deprecated. Please use `torch.amp.GradScaler('cuda', "
                      "args...)` instead.", FutureWarning, stacklevel=2)
        if enabled:
            warnings.warn("torch.cuda.amp.GradScaler is enabled, but CUDA is not available.  Disabling.",
                          UserWarning, stacklevel=2)
        super().__init__("cuda", init_scale=init_scale, growth_factor=growth_factor, backoff_factor=backoff_factor,
                         growth_interval=growth_interval, enabled=enabled)


def custom_fwd(fwd=None, *, cast_inputs=None):
    """Deprecated decorator for a custom Function's forward under autocast: autocast is a no-op here, so the
    forward runs as written."""
    warnings.warn("`torch.cuda.amp.custom_fwd(args...)` is deprecated. Please use `torch.amp.custom_fwd(args..., "
                  "device_type='cuda')` instead.", FutureWarning, stacklevel=2)
    if fwd is None:
        return _passthrough
    return fwd


def custom_bwd(bwd):
    """Deprecated decorator for a custom Function's backward under autocast: the backward runs as written."""
    warnings.warn("`torch.cuda.amp.custom_bwd(args...)` is deprecated. Please use `torch.amp.custom_bwd(args..., "
                  "device_type='cuda')` instead.", FutureWarning, stacklevel=2)
    return bwd


def _passthrough(fn):
    return fn
