"""``torch.backends.mkl``: as PyTorch's x86 CPU build reports it (available)."""

from __future__ import annotations

__all__ = ["is_available", "verbose", "VERBOSE_OFF", "VERBOSE_ON"]

VERBOSE_OFF, VERBOSE_ON = 0, 1


def is_available() -> bool:
    return True


class verbose:
    """``with torch.backends.mkl.verbose(enable):``: MKL's verbose log; ember has nothing to log."""

    def __init__(self, enable) -> None:
        self.enable = enable

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False
