"""``torch.amp``: mixed precision is a no-op on ember's CPU (autocast runs code unchanged; GradScaler passes
through)."""

from ._extra_ops import GradScaler, autocast

__all__ = ["autocast", "GradScaler"]
