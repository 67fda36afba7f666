"""``LinearCrossEntropyOptions``: the settings of PyTorch's chunked linear + cross-entropy path."""

from __future__ import annotations

import dataclasses

from ..._core import dtype as D

__all__ = ["LinearCrossEntropyOptions"]


@dataclasses.dataclass(slots=True, frozen=True)
class LinearCrossEntropyOptions:
    """How ``linear_cross_entropy`` (and LinearCrossEntropyLoss) may split its work, as PyTorch describes it.

    PyTorch can compute cross_entropy(linear(x), target) in chunks of the batch, so the full (N, num_classes) logits
    never exist at once. ember checks these options as PyTorch does and computes the same values in one piece.

    Args:
        allow_retain_graph: whether a backward with retain_graph=True is allowed through the chunked computation.
        batch_chunk_size: the number of rows per chunk (None: chosen automatically).
        chunking_method: 'auto' (default), None, or 'aspect_ratio' / 'aspect_ratio:K' (K a positive integer).
        acc_policy: how partial results are accumulated: 'auto' (default), 'accurate', 'balanced' or 'compact'.
        acc_dtype: the dtype partial results are accumulated in: None (chosen by the op), float16, bfloat16,
            float32 or float64.

    Example:
        >>> nn.LinearCrossEntropyOptions(batch_chunk_size=64)
        LinearCrossEntropyOptions(allow_retain_graph=False, batch_chunk_size=64, chunking_method='auto', acc_policy='auto', acc_dtype=None)
    """

    allow_retain_graph: bool = False
    batch_chunk_size: int | None = None
    chunking_method: str | None = "auto"
    acc_policy: str = "auto"
    acc_dtype: object = None

    def __post_init__(self):
        if self.acc_policy not in {"auto", "accurate", "balanced", "compact"}:
            raise ValueError(f"invalid acc_policy: {self.acc_policy!r}")
        if self.chunking_method is not None and self.chunking_method != "auto":
            name, sep, factor = self.chunking_method.partition(":")
            if not sep:
                factor = "1"
            if not (name == "aspect_ratio" and factor.isdigit() and int(factor) > 0):
                raise ValueError(f"invalid chunking_method: {self.chunking_method!r}")
        if not (self.batch_chunk_size is None
                or (isinstance(self.batch_chunk_size, int) and self.batch_chunk_size > 0)):
            raise ValueError(f"batch_chunk_size must be positive int or None, got {self.batch_chunk_size!r}")
        if self.acc_dtype is not None and self.acc_dtype not in (D.float16, D.bfloat16, D.float32, D.float64):
            raise ValueError("acc_dtype must be one of {None, torch.float16, torch.bfloat16, torch.float32, "
                             f"torch.float64}}, got {self.acc_dtype!r}. Pass acc_dtype=None to let the op pick "
                             "automatically.")
