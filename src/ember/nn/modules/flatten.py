"""``Flatten`` and ``Unflatten``."""

from __future__ import annotations

from ... import ops as AF
from ..._core.tensor import Tensor
from .module import Module

__all__ = ["Flatten", "Unflatten"]


class Flatten(Module):
    """Flatten: merge the dimensions start_dim to end_dim into one (by default all but the batch dimension).

    The usual bridge between convolutional feature maps (N, C, H, W) and a Linear layer (N, C·H·W). It is a
    reshape: a view of the input when the memory layout allows it.

    Args:
        start_dim: the first dimension merged (default 1).
        end_dim: the last dimension merged (default -1).

    Shape:
        input (*, S_start, ..., S_end, *) -> output (*, S_start · ... · S_end, *).

    Example:
        >>> nn.Flatten()(ember.ones(2, 3, 4)).shape
        torch.Size([2, 12])
        >>> nn.Flatten(0)(ember.ones(2, 3, 4)).shape
        torch.Size([24])
    """

    def __init__(self, start_dim: int = 1, end_dim: int = -1) -> None:
        super().__init__()
        self.start_dim = start_dim
        self.end_dim = end_dim

    def forward(self, input: Tensor) -> Tensor:
        return AF.flatten(input, self.start_dim, self.end_dim)

    def extra_repr(self) -> str:
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


class Unflatten(Module):
    """Unflatten: split the dimension ``dim`` into the sizes unflattened_size (the inverse of Flatten).

    Args:
        dim: the dimension to split (an int; a name for named tensors, which ember does not have).
        unflattened_size: the new sizes, whose product must equal the size of dim.

    Shape:
        input (*, S_dim, *) -> output (*, U_1, ..., U_n, *) with U_1 · ... · U_n = S_dim.

    Example:
        >>> nn.Unflatten(1, (2, 5))(ember.ones(3, 10)).shape
        torch.Size([3, 2, 5])
    """

    def __init__(self, dim: int | str, unflattened_size) -> None:
        super().__init__()
        self.dim = dim
        self.unflattened_size = tuple(unflattened_size) if isinstance(unflattened_size, list) else unflattened_size

    def forward(self, input: Tensor) -> Tensor:
        return AF.unflatten(input, self.dim, self.unflattened_size)

    def extra_repr(self) -> str:
        return f"dim={self.dim}, unflattened_size={self.unflattened_size}"
