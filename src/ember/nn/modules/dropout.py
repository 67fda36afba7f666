"""``Dropout`` and its channel-wise variants (active only in training mode)."""

from __future__ import annotations

from ..._core.tensor import Tensor
from .. import functional as F
from .module import Module

__all__ = ["AlphaDropout", "Dropout", "Dropout1d", "Dropout2d"]


class _DropoutNd(Module):
    def __init__(self, p: float = 0.5, inplace: bool = False) -> None:
        super().__init__()
        if p < 0 or p > 1:
            raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
        self.p = p
        self.inplace = inplace

    def extra_repr(self) -> str:
        return f"p={self.p}, inplace={self.inplace}"


class Dropout(_DropoutNd):
    """Dropout: zero random elements during training, to discourage co-adapted features.

    Each element is zeroed independently with probability p in training mode, and the survivors are multiplied by 1/(1 - p), so the expected
    value of every element is unchanged. In eval mode (``model.eval()``) the layer is the identity. The draws come
    from ember's random stream, as PyTorch's do, so a seeded run drops the same elements.

    Args:
        p: the probability of zeroing (default 0.5).
        inplace: modify the input tensor instead of making a new one (default False).

    Shape:
        input (*) -> output of the same shape.

    Example:
        >>> _ = ember.manual_seed(0)
        >>> m = nn.Dropout(0.5)
        >>> m(ember.ones(8))  # the survivors are scaled by 1/(1 - 0.5)
        tensor([0., 0., 2., 0., 0., 0., 2., 2.])
        >>> m.eval()(ember.ones(3))
        tensor([1., 1., 1.])
    """

    def forward(self, input: Tensor) -> Tensor:
        return F.dropout(input, self.p, self.training, self.inplace)


class Dropout1d(_DropoutNd):
    """Channel dropout for 1-d signals: zero whole channels of a sample during training.

    Each channel (a whole L slice of one sample) is zeroed independently with probability p in training mode, and the survivors are multiplied by 1/(1 - p), so the expected
    value of every element is unchanged. In eval mode (``model.eval()``) the layer is the identity. The draws come
    from ember's random stream, as PyTorch's do, so a seeded run drops the same elements.

    Args:
        p: the probability of zeroing (default 0.5).
        inplace: modify the input tensor instead of making a new one (default False).

    Shape:
        input (N, C, L) or (C, L) -> output of the same shape.

    Example:
        >>> _ = ember.manual_seed(0)
        >>> nn.Dropout1d(0.5)(ember.ones(1, 4, 3))
        tensor([[[0., 0., 0.],
                 [0., 0., 0.],
                 [2., 2., 2.],
                 [0., 0., 0.]]])
    """

    def forward(self, input: Tensor) -> Tensor:
        return F.dropout1d(input, self.p, self.training, self.inplace)


class Dropout2d(_DropoutNd):
    """Channel dropout for images: zero whole feature maps of a sample during training.

    Each channel (a whole H × W slice of one sample) is zeroed independently with probability p in training mode, and the survivors are multiplied by 1/(1 - p), so the expected
    value of every element is unchanged. In eval mode (``model.eval()``) the layer is the identity. The draws come
    from ember's random stream, as PyTorch's do, so a seeded run drops the same elements.

    Args:
        p: the probability of zeroing (default 0.5).
        inplace: modify the input tensor instead of making a new one (default False).

    Shape:
        input (N, C, H, W) or (C, H, W) -> output of the same shape.

    Example:
        >>> _ = ember.manual_seed(0)
        >>> nn.Dropout2d(0.5)(ember.ones(1, 4, 1, 2))[0, :, 0]
        tensor([[0., 0.],
                [0., 0.],
                [2., 2.],
                [0., 0.]])
    """

    def forward(self, input: Tensor) -> Tensor:
        return F.dropout2d(input, self.p, self.training, self.inplace)


class AlphaDropout(_DropoutNd):
    """Alpha dropout: dropout that keeps a SELU network's activations at mean 0 and variance 1.

    In training mode each element is, with probability p, set to SELU's negative saturation value
    α' = -scale·α ≈ -1.7581 instead of 0; then an affine map a·x + b, chosen from p, restores mean 0 and variance
    1 for inputs that had them. In eval mode the layer is the identity.

    Args:
        p: the probability of dropping an element (default 0.5).
        inplace: accepted and ignored, as in PyTorch: the result is a new tensor (default False).

    Shape:
        input (*) -> output of the same shape.

    Example:
        >>> _ = ember.manual_seed(0)
        >>> m = nn.AlphaDropout(0.2)
        >>> m(ember.zeros(6))  # the dropped elements become a·α' + b, the others b
        tensor([-1.2362,  0.3090,  0.3090, -1.2362,  0.3090,  0.3090])
        >>> m.eval()(ember.ones(2))
        tensor([1., 1.])
    """
    def forward(self, input: Tensor) -> Tensor:
        return F.alpha_dropout(input, self.p, self.training)
