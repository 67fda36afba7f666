"""``torch.backends.mkldnn``: oneDNN's switches as PyTorch's CPU build reports them (available and enabled).
ember computes with NumPy; the flags are kept so that code reading or setting them runs unchanged."""

from __future__ import annotations

import contextlib

from ._flags import Precision, set_flags

__all__ = ["is_available", "is_acl_available", "flags", "verbose", "enabled", "deterministic", "allow_tf32",
           "fp32_precision", "VERBOSE_OFF", "VERBOSE_ON", "VERBOSE_ON_CREATION", "matmul", "conv", "rnn"]

enabled = True
deterministic = False
allow_tf32 = None
fp32_precision = "none"
matmul = Precision("none")
conv = Precision("none")
rnn = Precision("none")
VERBOSE_OFF, VERBOSE_ON, VERBOSE_ON_CREATION = 0, 1, 2


def is_available() -> bool:
    return True


def is_acl_available() -> bool:
    return False


class verbose:
    """``with torch.backends.mkldnn.verbose(level):``: oneDNN's verbose log; ember has nothing to log."""

    def __init__(self, level) -> None:
        self.level = level

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


@contextlib.contextmanager
def flags(enabled=False, deterministic=False, allow_tf32=True, fp32_precision="none"):
    with set_flags(__name__, enabled=enabled, deterministic=deterministic, allow_tf32=allow_tf32,
                   fp32_precision=fp32_precision):
        yield
