"""``torch.nn.attention``: choosing the kernels of ``scaled_dot_product_attention``.

``sdpa_kernel`` sets the switches of ``torch.backends.cuda`` (``flash_sdp_enabled()`` ...) for the length of a
``with`` block and restores them after, as PyTorch does. ember's attention always runs the math path whatever
they say (PyTorch's CPU build, too, runs with any of them chosen).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable

from ..backends import cuda as _cuda
from ..backends.cuda import SDPBackend

__all__ = ["SDPBackend", "sdpa_kernel", "WARN_FOR_UNFUSED_KERNELS"]

WARN_FOR_UNFUSED_KERNELS = False

# the switch of torch.backends.cuda behind each backend, in PyTorch's order
_SWITCHES = {"cudnn": SDPBackend.CUDNN_ATTENTION, "flash": SDPBackend.FLASH_ATTENTION,
             "mem_efficient": SDPBackend.EFFICIENT_ATTENTION, "math": SDPBackend.MATH,
             "overrideable": SDPBackend.OVERRIDEABLE}


def _current(with_priority: bool) -> list:
    backends = [b for name, b in _SWITCHES.items() if _cuda._sdp[name]]
    if with_priority:
        backends.sort(key=lambda b: _cuda._sdp_priority.index(int(b)))
    return backends


def _set(backends: Iterable, set_priority: bool) -> None:
    backends = list(backends)
    for name, b in _SWITCHES.items():
        _cuda._sdp[name] = b in backends
    if set_priority:
        order = [int(b) for b in backends]
        _cuda._sdp_priority[:] = order + [p for p in _cuda._sdp_priority if p not in order]


@contextlib.contextmanager
def sdpa_kernel(backends: list[SDPBackend] | SDPBackend, set_priority: bool = False):
    """Within the block only ``backends`` are enabled for scaled dot product attention (in that order of
    priority with ``set_priority``); the previous switches come back after it (with ``set_priority``, the
    enabled ones ahead of the others in the order they had)."""
    if not isinstance(backends, (list, SDPBackend)):
        raise AssertionError("Backend must be an instance of SDPBackend or a list of SDPBackend instances, got "
                             f"{type(backends).__name__}")
    backends = list(dict.fromkeys([backends] if isinstance(backends, SDPBackend) else backends))
    previous = _current(set_priority)  # restored as PyTorch does: re-set, in that order, with set_priority
    try:
        _set(backends, set_priority)
        yield {}
    finally:
        _set(previous, set_priority)
