"""``torch.backends.cudnn``: no cuDNN on a CPU build (``is_available()`` False); the flags keep PyTorch's
defaults and can be set and read back."""

from __future__ import annotations

import contextlib

from ._flags import Precision, set_flags

__all__ = ["is_available", "version", "is_acceptable", "flags", "enabled", "benchmark", "benchmark_limit",
           "deterministic", "allow_tf32", "fp32_precision", "conv", "rnn"]

enabled = True
benchmark = False
benchmark_limit = None
deterministic = False
allow_tf32 = True
fp32_precision = "none"
conv = Precision("tf32")
rnn = Precision("tf32")


def is_available() -> bool:
    return False


def version():
    """cuDNN's version, or None without cuDNN."""
    return None


def is_acceptable(tensor) -> bool:
    """Whether cuDNN could run on ``tensor``: never here."""
    return False


@contextlib.contextmanager
def flags(enabled=False, benchmark=False, benchmark_limit=10, deterministic=False, allow_tf32=True,
          fp32_precision="none", depthwise_kernel="auto"):
    """The cuDNN flags set inside a ``with`` block (benchmark_limit stays None without cuDNN)."""
    with set_flags(__name__, enabled=enabled, benchmark=benchmark, deterministic=deterministic,
                   allow_tf32=allow_tf32, fp32_precision=fp32_precision):
        yield
