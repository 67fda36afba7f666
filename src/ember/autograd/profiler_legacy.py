"""``torch.autograd.profiler_legacy``: the legacy autograd profiler's ``profile`` (the same recorder here)."""

from .profiler import profile

__all__ = ["profile"]
