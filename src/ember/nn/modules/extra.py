"""Less common layers: padding, pixel shuffle, distances, RMSNorm, fold/unfold and a few losses; each holds its
options and calls ``nn.functional``, with PyTorch's reprs."""

from __future__ import annotations

import ember

from ..._core.tensor import Tensor
from .. import functional as F
from ..parameter import Parameter
from .dropout import _DropoutNd
from .loss import _Loss, _WeightedLoss
from .module import Module

__all__ = ["PixelShuffle", "PixelUnshuffle", "CosineSimilarity", "PairwiseDistance", "ZeroPad1d", "ZeroPad2d",
           "ZeroPad3d", "ConstantPad1d", "ConstantPad2d", "ConstantPad3d", "ReflectionPad1d", "ReflectionPad2d",
           "ReflectionPad3d", "ReplicationPad1d", "ReplicationPad2d", "ReplicationPad3d", "CircularPad1d",
           "CircularPad2d", "CircularPad3d", "Softmax2d", "TripletMarginLoss", "TripletMarginWithDistanceLoss",
           "HingeEmbeddingLoss", "MultiLabelSoftMarginLoss", "MultiMarginLoss", "GaussianNLLLoss", "RMSNorm",
           "LocalResponseNorm", "CrossMapLRN2d", "Fold", "Unfold", "ChannelShuffle", "Dropout3d",
           "FeatureAlphaDropout"]


class PixelShuffle(Module):
    """Pixel shuffle: rearrange (N, C·r², H, W) into (N, C, H·r, W·r), for sub-pixel upsampling (Shi et al., 2016).

    Output pixel (h·r + i, w·r + j) of channel c is input channel c·r² + i·r + j at (h, w): each group of r² channels
    becomes an r × r block of one channel. A rearrangement only; the gradient is the inverse rearrangement.

    Args:
        upscale_factor: r.

    Shape:
        input (*, C·r², H, W) -> output (*, C, H·r, W·r).

    Example:
        >>> nn.PixelShuffle(2)(ember.arange(8.0).reshape(1, 4, 1, 2))
        tensor([[[[0., 2., 1., 3.],
                  [4., 6., 5., 7.]]]])
    """

    def __init__(self, upscale_factor: int) -> None:
        super().__init__()
        self.upscale_factor = upscale_factor

    def forward(self, input: Tensor) -> Tensor:
        return F.pixel_shuffle(input, self.upscale_factor)

    def extra_repr(self) -> str:
        return f"upscale_factor={self.upscale_factor}"


class PixelUnshuffle(Module):
    """Pixel unshuffle: the inverse of PixelShuffle, (N, C, H·r, W·r) -> (N, C·r², H, W).

    Args:
        downscale_factor: r.

    Shape:
        input (*, C, H·r, W·r) -> output (*, C·r², H, W).

    Example:
        >>> x = ember.arange(16.0).reshape(1, 1, 4, 4)
        >>> nn.PixelUnshuffle(2)(x).shape
        torch.Size([1, 4, 2, 2])
        >>> bool((nn.PixelShuffle(2)(nn.PixelUnshuffle(2)(x)) == x).all())
        True
    """

    def __init__(self, downscale_factor: int) -> None:
        super().__init__()
        self.downscale_factor = downscale_factor

    def forward(self, input: Tensor) -> Tensor:
        return F.pixel_unshuffle(input, self.downscale_factor)

    def extra_repr(self) -> str:
        return f"downscale_factor={self.downscale_factor}"


class CosineSimilarity(Module):
    """Cosine similarity along ``dim``: x1·x2 / max(‖x1‖ ‖x2‖, eps), 1 for the same direction, 0 orthogonal, -1 opposite.

    Args:
        dim: the dimension of the vectors (default 1).
        eps: a lower bound of the denominator, so zero vectors give 0 (default 1e-8).

    Shape:
        x1 (*1, D, *2) and x2 broadcastable to it -> output (*1, *2): dim is removed.

    Example:
        >>> nn.CosineSimilarity(dim=1)(ember.tensor([[1.0, 0.0], [1.0, 1.0]]), ember.tensor([[1.0, 1.0], [2.0, 2.0]]))
        tensor([0.7071, 1.0000])
    """

    def __init__(self, dim: int = 1, eps: float = 1e-8) -> None:
        super().__init__()
        self.dim, self.eps = dim, eps

    def forward(self, x1: Tensor, x2: Tensor) -> Tensor:
        return F.cosine_similarity(x1, x2, self.dim, self.eps)


class PairwiseDistance(Module):
    """The p-norm distance of corresponding rows: ‖x1 - x2 + eps‖_p along the last dimension.

    Args:
        p: the norm's order (default 2, the Euclidean distance).
        eps: added to the difference, to avoid a zero norm's infinite gradient (default 1e-6).
        keepdim: keep the last dimension, with size 1 (default False).

    Shape:
        x1 (N, D) or (D), x2 the same (or broadcastable) -> output (N) or ().

    Example:
        >>> a, b = ember.tensor([[0.0, 0.0]]), ember.tensor([[3.0, 4.0]])
        >>> nn.PairwiseDistance()(a, b), nn.PairwiseDistance(p=1)(a, b)
        (tensor([5.0000]), tensor([7.0000]))
    """

    def __init__(self, p: float = 2.0, eps: float = 1e-6, keepdim: bool = False) -> None:
        super().__init__()
        self.norm, self.eps, self.keepdim = p, eps, keepdim

    def forward(self, x1: Tensor, x2: Tensor) -> Tensor:
        return F.pairwise_distance(x1, x2, self.norm, self.eps, self.keepdim)


def _ntuple(padding, n: int) -> tuple:
    return tuple(padding) if isinstance(padding, (tuple, list)) else (padding,) * (2 * n)


class _PadNd(Module):
    mode = "constant"
    n = 1

    def __init__(self, padding) -> None:
        super().__init__()
        self.padding = _ntuple(padding, self.n)

    def forward(self, input: Tensor) -> Tensor:
        return F.pad(input, self.padding, self.mode)

    def extra_repr(self) -> str:
        return f"{self.padding}"


class _ConstantPadNd(_PadNd):
    def __init__(self, padding, value: float) -> None:
        super().__init__(padding)
        self.value = value

    def forward(self, input: Tensor) -> Tensor:
        return F.pad(input, self.padding, "constant", self.value)

    def extra_repr(self) -> str:
        return f"padding={self.padding}, value={self.value}"


class ConstantPad1d(_ConstantPadNd):
    """Constant padding: surround the values with a constant (the last dimension).

    Args:
        padding: an int (the same on every side) or a tuple (left, right) of the amounts added before and after
            each padded dimension, the last dimension first.
        value: the constant written into the padding.

    Shape:
        input (C, W) or (N, C, W) -> W grows to W + left + right.

    Example:
        >>> nn.ConstantPad1d((1, 2), 9.0)(ember.arange(4.0).reshape(1, 1, 4))
        tensor([[[9., 0., 1., 2., 3., 9., 9.]]])
    """
    n = 1


class ConstantPad2d(_ConstantPadNd):
    """Constant padding: surround the values with a constant (the last two dimensions).

    Args:
        padding: an int (the same on every side) or a tuple (left, right, top, bottom) of the amounts added before and after
            each padded dimension, the last dimension first.
        value: the constant written into the padding.

    Shape:
        input (C, H, W) or (N, C, H, W) -> H grows to H + top + bottom, W to W + left + right.

    Example:
        >>> nn.ConstantPad2d(1, 0.5)(ember.arange(4.0).reshape(1, 1, 2, 2))
        tensor([[[[0.5000, 0.5000, 0.5000, 0.5000],
                  [0.5000, 0.0000, 1.0000, 0.5000],
                  [0.5000, 2.0000, 3.0000, 0.5000],
                  [0.5000, 0.5000, 0.5000, 0.5000]]]])
    """
    n = 2


class ConstantPad3d(_ConstantPadNd):
    """Constant padding: surround the values with a constant (the last three dimensions).

    Args:
        padding: an int (the same on every side) or a tuple (left, right, top, bottom, front, back) of the amounts added before and after
            each padded dimension, the last dimension first.
        value: the constant written into the padding.

    Shape:
        input (C, D, H, W) or (N, C, D, H, W) -> D, H and W each grow by their two paddings.

    Example:
        >>> nn.ConstantPad3d(1, 0.0)(ember.ones(1, 1, 2, 3, 4)).shape
        torch.Size([1, 1, 4, 5, 6])
    """
    n = 3


class _ZeroPadNd(_ConstantPadNd):
    def __init__(self, padding) -> None:
        super().__init__(padding, 0.0)

    def extra_repr(self) -> str:
        return f"{self.padding}"


class ZeroPad1d(_ZeroPadNd):
    """Zero padding: surround the values with zeros (the last dimension).

    Args:
        padding: an int (the same on every side) or a tuple (left, right) of the amounts added before and after
            each padded dimension, the last dimension first.

    Shape:
        input (C, W) or (N, C, W) -> W grows to W + left + right.

    Example:
        >>> nn.ZeroPad1d(1)(ember.arange(4.0).reshape(1, 1, 4))
        tensor([[[0., 0., 1., 2., 3., 0.]]])
    """
    n = 1


class ZeroPad2d(_ZeroPadNd):
    """Zero padding: surround the values with zeros (the last two dimensions).

    Args:
        padding: an int (the same on every side) or a tuple (left, right, top, bottom) of the amounts added before and after
            each padded dimension, the last dimension first.

    Shape:
        input (C, H, W) or (N, C, H, W) -> H grows to H + top + bottom, W to W + left + right.

    Example:
        >>> nn.ZeroPad2d((0, 1, 1, 0))(ember.arange(4.0).reshape(1, 1, 2, 2))  # right 1, top 1
        tensor([[[[0., 0., 0.],
                  [0., 1., 0.],
                  [2., 3., 0.]]]])
    """
    n = 2


class ZeroPad3d(_ZeroPadNd):
    """Zero padding: surround the values with zeros (the last three dimensions).

    Args:
        padding: an int (the same on every side) or a tuple (left, right, top, bottom, front, back) of the amounts added before and after
            each padded dimension, the last dimension first.

    Shape:
        input (C, D, H, W) or (N, C, D, H, W) -> D, H and W each grow by their two paddings.

    Example:
        >>> nn.ZeroPad3d((1, 1, 0, 0, 2, 2))(ember.ones(1, 1, 2, 3, 4)).shape
        torch.Size([1, 1, 6, 3, 6])
    """
    n = 3


_PAD_DIMS = {1: "the last dimension", 2: "the last two dimensions", 3: "the last three dimensions"}
_PAD_SIDES = {1: "(left, right)", 2: "(left, right, top, bottom)", 3: "(left, right, top, bottom, front, back)"}
_PAD_SHAPES = {1: "(C, W) or (N, C, W) -> W grows to W + left + right",
               2: "(C, H, W) or (N, C, H, W) -> H grows to H + top + bottom, W to W + left + right",
               3: "(C, D, H, W) or (N, C, D, H, W) -> D, H and W each grow by their two paddings"}


def _pad_doc(summary: str, how: str, n: int, example: str) -> str:
    """The docstring of a padding layer over ``n`` dims (the generated classes below)."""
    return f"""{summary} ({_PAD_DIMS[n]}).

    {how}

    Args:
        padding: an int (the same on every side) or a tuple {_PAD_SIDES[n]} of the amounts added before and after
            each padded dimension, the last dimension first.

    Shape:
        input {_PAD_SHAPES[n]}.

    Example:
{example}"""


def _pad_class(name: str, mode: str, n: int, doc: str) -> type:
    return type(name, (_PadNd,), {"mode": mode, "n": n, "__doc__": doc, "__module__": __name__})


_REFLECT = ("The values are mirrored at the edge, without repeating the edge itself: [a, b, c] padded by 2 gives\n"
            "    [c, b, a, b, c, b, a]. Each padding must be smaller than its dimension.")
_REPLICATE = "The edge value is repeated: [a, b, c] padded by 2 gives [a, a, a, b, c, c, c]."
_CIRCULAR = ("The dimension wraps around, as if periodic: [a, b, c] padded by 1 gives [c, a, b, c, a]. Each padding\n"
             "    must be at most its dimension.")
ReflectionPad1d = _pad_class("ReflectionPad1d", "reflect", 1, _pad_doc("Reflection padding", _REFLECT, 1, """\
        >>> nn.ReflectionPad1d(2)(ember.arange(4.0).reshape(1, 1, 4))
        tensor([[[2., 1., 0., 1., 2., 3., 2., 1.]]])
    """))
ReflectionPad2d = _pad_class("ReflectionPad2d", "reflect", 2, _pad_doc("Reflection padding", _REFLECT, 2, """\
        >>> nn.ReflectionPad2d(1)(ember.arange(4.0).reshape(1, 1, 2, 2))
        tensor([[[[3., 2., 3., 2.],
                  [1., 0., 1., 0.],
                  [3., 2., 3., 2.],
                  [1., 0., 1., 0.]]]])
    """))
ReflectionPad3d = _pad_class("ReflectionPad3d", "reflect", 3, _pad_doc("Reflection padding", _REFLECT, 3, """\
        >>> nn.ReflectionPad3d(1)(ember.ones(1, 1, 2, 3, 4)).shape
        torch.Size([1, 1, 4, 5, 6])
    """))
ReplicationPad1d = _pad_class("ReplicationPad1d", "replicate", 1, _pad_doc("Replication padding", _REPLICATE, 1, """\
        >>> nn.ReplicationPad1d(2)(ember.arange(4.0).reshape(1, 1, 4))
        tensor([[[0., 0., 0., 1., 2., 3., 3., 3.]]])
    """))
ReplicationPad2d = _pad_class("ReplicationPad2d", "replicate", 2, _pad_doc("Replication padding", _REPLICATE, 2, """\
        >>> nn.ReplicationPad2d((1, 0, 0, 1))(ember.arange(4.0).reshape(1, 1, 2, 2))  # left 1, bottom 1
        tensor([[[[0., 0., 1.],
                  [2., 2., 3.],
                  [2., 2., 3.]]]])
    """))
ReplicationPad3d = _pad_class("ReplicationPad3d", "replicate", 3, _pad_doc("Replication padding", _REPLICATE, 3, """\
        >>> nn.ReplicationPad3d(1)(ember.ones(1, 1, 2, 3, 4)).shape
        torch.Size([1, 1, 4, 5, 6])
    """))
CircularPad1d = _pad_class("CircularPad1d", "circular", 1, _pad_doc("Circular padding", _CIRCULAR, 1, """\
        >>> nn.CircularPad1d(1)(ember.arange(4.0).reshape(1, 1, 4))
        tensor([[[3., 0., 1., 2., 3., 0.]]])
    """))
CircularPad2d = _pad_class("CircularPad2d", "circular", 2, _pad_doc("Circular padding", _CIRCULAR, 2, """\
        >>> nn.CircularPad2d(1)(ember.arange(4.0).reshape(1, 1, 2, 2))
        tensor([[[[3., 2., 3., 2.],
                  [1., 0., 1., 0.],
                  [3., 2., 3., 2.],
                  [1., 0., 1., 0.]]]])
    """))
CircularPad3d = _pad_class("CircularPad3d", "circular", 3, _pad_doc("Circular padding", _CIRCULAR, 3, """\
        >>> nn.CircularPad3d(1)(ember.ones(1, 1, 2, 3, 4)).shape
        torch.Size([1, 1, 4, 5, 6])
    """))


class Softmax2d(Module):
    """Softmax over the channels at every position: softmax along dim -3 of (N, C, H, W) or (C, H, W) input.

    Each pixel's channel values become a probability distribution (per-pixel classification). The constructor
    accepts and ignores any arguments.

    Shape:
        input (N, C, H, W) or (C, H, W) -> output of the same shape.

    Example:
        >>> nn.Softmax2d()(ember.zeros(1, 2, 1, 1)).flatten()
        tensor([0.5000, 0.5000])
    """

    def forward(self, input: Tensor) -> Tensor:
        if input.ndim not in (3, 4):
            raise ValueError(f"Softmax2d: expected input to be 3D or 4D, got {input.ndim}D instead")
        return F.softmax(input, -3)


class ChannelShuffle(Module):
    """Channel shuffle (ShuffleNet): view the C = g·c channels as a (g, c) grid, transpose it to (c, g), and flatten.

    It mixes the channels of grouped convolutions, so the next group sees channels from every previous group.

    Args:
        groups: g, which must divide the number of channels.

    Shape:
        input (N, C, *) -> output of the same shape.

    Example:
        >>> nn.ChannelShuffle(2)(ember.arange(4.0).reshape(1, 4, 1, 1)).flatten()
        tensor([0., 2., 1., 3.])
    """

    def __init__(self, groups: int) -> None:
        super().__init__()
        self.groups = groups

    def forward(self, input: Tensor) -> Tensor:
        return F.channel_shuffle(input, self.groups)

    def extra_repr(self) -> str:
        return f"groups={self.groups}"


class Dropout3d(_DropoutNd):
    """Channel dropout for volumes: zero whole channels (D × H × W blocks) of a sample during training.

    Each channel of each sample is zeroed with probability p and the others are scaled by 1/(1 - p); in eval mode
    the layer is the identity.

    Args:
        p: the probability of zeroing a channel (default 0.5).
        inplace: modify the input tensor instead of making a new one (default False).

    Shape:
        input (N, C, D, H, W) or (C, D, H, W) -> output of the same shape.

    Example:
        >>> _ = ember.manual_seed(0)
        >>> nn.Dropout3d(0.5)(ember.ones(1, 4, 1, 1, 1)).flatten()
        tensor([0., 0., 2., 0.])
    """

    def forward(self, input: Tensor) -> Tensor:
        return F.dropout3d(input, self.p, self.training, self.inplace)


class FeatureAlphaDropout(_DropoutNd):
    """Alpha dropout of whole channels: AlphaDropout's rule (dropped values set to SELU's saturation, then an affine
    correction keeping mean 0 and variance 1) applied to entire channels of a sample.

    Args:
        p: the probability of dropping a channel (default 0.5).
        inplace: modify the input tensor instead of making a new one (default False).

    Shape:
        input (N, C, *) -> output of the same shape.

    Example:
        >>> _ = ember.manual_seed(0)
        >>> nn.FeatureAlphaDropout(0.5)(ember.zeros(1, 4, 1, 1)).flatten()
        tensor([-0.7792, -0.7792,  0.7792, -0.7792])
    """

    def forward(self, input: Tensor) -> Tensor:
        return F.feature_alpha_dropout(input, self.p, self.training)


class RMSNorm(Module):
    """Root-mean-square normalisation: y = x / √(mean(x²) + ε) · w, over the trailing dims ``normalized_shape``.

    LayerNorm without the mean subtraction and the bias (Zhang and Sennrich, 2019): cheaper, and common in large
    language models.

    Args:
        normalized_shape: the sizes of the trailing dimensions to normalise over (an int or a tuple).
        eps: ε (default None: the machine epsilon of the input's dtype, torch.finfo(dtype).eps).
        elementwise_affine: whether to learn the elementwise scale w (weight, initially 1) (default True).
        device, dtype: where and in which dtype the parameter is created.

    Shape:
        input (*, normalized_shape) -> output of the same shape.

    Example:
        >>> nn.RMSNorm(2)(ember.tensor([[3.0, 4.0]]))  # [3, 4] / √12.5
        tensor([[0.8485, 1.1314]], grad_fn=<MulBackward0>)
    """

    def __init__(self, normalized_shape, eps: float | None = None, elementwise_affine: bool = True,
                 device=None, dtype=None) -> None:
        super().__init__()
        shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
        self.normalized_shape, self.eps, self.elementwise_affine = shape, eps, elementwise_affine
        if elementwise_affine:
            self.weight = Parameter(ember.ones(shape, device=device, dtype=dtype))
        else:
            self.register_parameter("weight", None)

    def reset_parameters(self) -> None:
        if self.weight is not None:
            self.weight.data.fill_(1.0)

    def forward(self, x: Tensor) -> Tensor:
        return F.rms_norm(x, self.normalized_shape, self.weight, self.eps)

    def extra_repr(self) -> str:
        return f"{self.normalized_shape}, eps={self.eps}, elementwise_affine={self.elementwise_affine}"


class LocalResponseNorm(Module):
    """Local response normalisation across channels: b_c = a_c / (k + α/n · Σ_{c'} a_{c'}²)^β.

    The sum runs over n neighbouring channels of c (for even n, n/2 before c and n/2 - 1 after, as in PyTorch),
    zero beyond the edges (AlexNet's lateral inhibition).

    Args:
        size: n, the number of channels in the neighbourhood.
        alpha: α, the scale (default 1e-4).
        beta: β, the exponent (default 0.75).
        k: the additive constant (default 1).

    Shape:
        input (N, C, *) -> output of the same shape.

    Example:
        >>> nn.LocalResponseNorm(2, alpha=1.0, beta=1.0, k=1.0)(ember.tensor([[[1.0], [2.0]]]))  # 1/1.5, 2/3.5
        tensor([[[0.6667],
                 [0.5714]]])
    """

    def __init__(self, size: int, alpha: float = 1e-4, beta: float = 0.75, k: float = 1.0) -> None:
        super().__init__()
        self.size, self.alpha, self.beta, self.k = size, alpha, beta, k

    def forward(self, input: Tensor) -> Tensor:
        return F.local_response_norm(input, self.size, self.alpha, self.beta, self.k)

    def extra_repr(self) -> str:
        return f"{self.size}, alpha={self.alpha}, beta={self.beta}, k={self.k}"


class CrossMapLRN2d(Module):
    """PyTorch's legacy cross-map local response normalisation of (N, C, H, W) input: b_c = a_c / (k + α/n ·
    Σ_{c'} a_{c'}²)^β, the sum over a running window of about n channels around c (PyTorch's legacy window,
    reproduced exactly, with its own backward).

    Args:
        size: n, the number of channels in the neighbourhood.
        alpha: α (default 1e-4).
        beta: β (default 0.75).
        k: the additive constant (default 1).

    Shape:
        input (N, C, H, W) -> output of the same shape.

    Example:
        >>> nn.CrossMapLRN2d(3)(ember.ones(1, 3, 2, 2)).shape
        torch.Size([1, 3, 2, 2])
    """

    def __init__(self, size: int, alpha: float = 1e-4, beta: float = 0.75, k: float = 1) -> None:
        super().__init__()
        self.size, self.alpha, self.beta, self.k = size, alpha, beta, k

    def forward(self, input: Tensor) -> Tensor:
        return F._cross_map_lrn2d(input, self.size, self.alpha, self.beta, self.k)

    def extra_repr(self) -> str:
        return f"{self.size}, alpha={self.alpha}, beta={self.beta}, k={self.k}"


class Fold(Module):
    """Combine sliding local blocks into a tensor (col2im), the adjoint of Unfold: each column is placed back at its
    block position and overlapping values are summed.

    With non-overlapping blocks, Fold undoes Unfold exactly.

    Args:
        output_size: the (H, W) of the output.
        kernel_size: the block size (kh, kw).
        dilation: the spacing of the elements within a block (default 1).
        padding: the padding that Unfold added, removed again (default 0).
        stride: the step between blocks (default 1).

    Shape:
        input (N, C·kh·kw, L) or (C·kh·kw, L) -> output (N, C, H, W).

    Example:
        >>> x = ember.arange(16.0).reshape(1, 1, 4, 4)
        >>> bool((nn.Fold((4, 4), 2, stride=2)(nn.Unfold(2, stride=2)(x)) == x).all())
        True
    """

    def __init__(self, output_size, kernel_size, dilation=1, padding=0, stride=1) -> None:
        super().__init__()
        self.output_size, self.kernel_size = output_size, kernel_size
        self.dilation, self.padding, self.stride = dilation, padding, stride

    def forward(self, input: Tensor) -> Tensor:
        return F.fold(input, self.output_size, self.kernel_size, self.dilation, self.padding, self.stride)

    def extra_repr(self) -> str:
        return (f"output_size={self.output_size}, kernel_size={self.kernel_size}, dilation={self.dilation}, "
                f"padding={self.padding}, stride={self.stride}")


class Unfold(Module):
    """Extract sliding local blocks (im2col): every kernel-sized patch of a (N, C, H, W) batch becomes one column.

    Output column l holds the C·kh·kw values of the l-th block position (row-major over the positions), so a
    convolution is Unfold, a matrix product with the flattened kernel, and a reshape.

    Args:
        kernel_size: the block size (kh, kw), an int or a tuple.
        dilation: the spacing of the elements within a block (default 1).
        padding: zeros added on every side (default 0).
        stride: the step between blocks (default 1).

    Shape:
        input (N, C, H, W) or (C, H, W) -> output (N, C·kh·kw, L), L the number of block positions.

    Example:
        >>> cols = nn.Unfold(2, stride=2)(ember.arange(16.0).reshape(1, 1, 4, 4))
        >>> cols  # column 0 is the top-left 2x2 block [[0, 1], [4, 5]]
        tensor([[[ 0.,  2.,  8., 10.],
                 [ 1.,  3.,  9., 11.],
                 [ 4.,  6., 12., 14.],
                 [ 5.,  7., 13., 15.]]])
    """

    def __init__(self, kernel_size, dilation=1, padding=0, stride=1) -> None:
        super().__init__()
        self.kernel_size, self.dilation, self.padding, self.stride = kernel_size, dilation, padding, stride

    def forward(self, input: Tensor) -> Tensor:
        return F.unfold(input, self.kernel_size, self.dilation, self.padding, self.stride)

    def extra_repr(self) -> str:
        return (f"kernel_size={self.kernel_size}, dilation={self.dilation}, padding={self.padding}, "
                f"stride={self.stride}")


class TripletMarginLoss(_Loss):
    """Triplet margin loss: ℓ = max(‖a - p‖ - ‖a - n‖ + margin, 0) for an anchor a, a positive p and a negative n.

    Zero once the anchor is closer to the positive than to the negative by at least the margin (metric learning,
    face embeddings). The distances are PairwiseDistance's (p-norm with eps).

    Args:
        margin: the required gap (default 1).
        p: the norm's order (default 2).
        eps: added to the differences (default 1e-6).
        swap: use min(d(a, n), d(p, n)) as the negative distance (the distance swap of Balntas et al.; default False).
        reduction: 'mean' (default), 'sum', or 'none'.
        size_average, reduce: PyTorch's deprecated spellings of reduction.

    Shape:
        anchor, positive, negative (N, D) or (D) -> a scalar, or (N) with reduction='none'.

    Example:
        >>> a, p, n = ember.tensor([[0.0, 0.0]]), ember.tensor([[0.0, 1.0]]), ember.tensor([[0.0, 1.5]])
        >>> nn.TripletMarginLoss(margin=1.0)(a, p, n)  # max(1 - 1.5 + 1, 0)
        tensor(0.5000)
    """

    def __init__(self, margin: float = 1.0, p: float = 2.0, eps: float = 1e-6, swap: bool = False,
                 size_average=None, reduce=None, reduction: str = "mean") -> None:
        super().__init__(size_average, reduce, reduction)
        if margin <= 0:
            raise ValueError(f"TripletMarginLoss: expected margin to be greater than 0, got {margin} instead")
        self.margin, self.p, self.eps, self.swap = margin, p, eps, swap

    def forward(self, anchor: Tensor, positive: Tensor, negative: Tensor) -> Tensor:
        return F.triplet_margin_loss(anchor, positive, negative, self.margin, self.p, self.eps, self.swap,
                                     reduction=self.reduction)


class TripletMarginWithDistanceLoss(_Loss):
    """Triplet margin loss with a distance of your choice: ℓ = max(d(a, p) - d(a, n) + margin, 0).

    Args:
        distance_function: a function of two tensors returning their distances (default: PairwiseDistance()).
        margin: the required gap (default 1).
        swap: use min(d(a, n), d(p, n)) as the negative distance (default False).
        reduction: 'mean' (default), 'sum' or 'none'.

    Shape:
        anchor, positive, negative (N, *) -> a scalar, or (N) with reduction='none'.

    Example:
        >>> l1 = lambda x, y: (x - y).abs().sum(-1)
        >>> a, p, n = ember.tensor([[0.0, 0.0]]), ember.tensor([[0.0, 1.0]]), ember.tensor([[3.0, 4.0]])
        >>> nn.TripletMarginWithDistanceLoss(distance_function=l1, margin=2.0)(a, p, n)  # max(1 - 7 + 2, 0)
        tensor(0.)
    """

    def __init__(self, *, distance_function=None, margin: float = 1.0, swap: bool = False,
                 reduction: str = "mean") -> None:
        super().__init__(reduction=reduction)
        self.distance_function = distance_function if distance_function is not None else PairwiseDistance()
        self.margin, self.swap = margin, swap

    def forward(self, anchor: Tensor, positive: Tensor, negative: Tensor) -> Tensor:
        return F.triplet_margin_with_distance_loss(anchor, positive, negative,
                                                   distance_function=self.distance_function, margin=self.margin,
                                                   swap=self.swap, reduction=self.reduction)


class HingeEmbeddingLoss(_Loss):
    """Hinge embedding loss: ℓ = x where y = 1, max(0, margin - x) where y = -1, x usually a distance.

    Small distances for similar pairs (y = 1), at least the margin for dissimilar ones (y = -1).

    Args:
        margin: the distance beyond which dissimilar pairs cost nothing (default 1).
        reduction: 'mean' (default), 'sum', or 'none'.
        size_average, reduce: PyTorch's deprecated spellings of reduction.

    Shape:
        input (*) and target (*) of ±1 -> a scalar, or (*) with reduction='none'.

    Example:
        >>> nn.HingeEmbeddingLoss()(ember.tensor([0.3, 0.4]), ember.tensor([1.0, -1.0]))  # (0.3 + 0.6)/2
        tensor(0.4500)
    """

    def __init__(self, margin: float = 1.0, size_average=None, reduce=None, reduction: str = "mean") -> None:
        super().__init__(size_average, reduce, reduction)
        self.margin = margin

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.hinge_embedding_loss(input, target, margin=self.margin, reduction=self.reduction)


class MultiLabelSoftMarginLoss(_WeightedLoss):
    """One-vs-all logistic loss for multi-label targets: ℓ = -(1/C) Σ_c w_c (y_c ln σ(x_c) + (1 - y_c) ln(1 - σ(x_c))).

    BCEWithLogitsLoss averaged over the C classes of each sample, y_c in {0, 1}.

    Args:
        weight: a weight w_c for each class (C,) (default: all 1).
        reduction: 'mean' (default), 'sum', or 'none'.
        size_average, reduce: PyTorch's deprecated spellings of reduction.

    Shape:
        input (N, C) or (C), target of the same shape -> a scalar, or (N) with reduction='none'.

    Example:
        >>> nn.MultiLabelSoftMarginLoss()(ember.tensor([[0.0, 0.0]]), ember.tensor([[1.0, 0.0]]))  # ln 2
        tensor(0.6931)
    """

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.multilabel_soft_margin_loss(input, target, weight=self.weight, reduction=self.reduction)


class MultiMarginLoss(_WeightedLoss):
    """Multi-class hinge loss: ℓ = Σ_{i ≠ y} w_y max(0, margin - x[y] + x[i])^p / C.

    The target class y should score at least the margin above every other class (the SVM loss of Weston and
    Watkins).

    Args:
        p: 1 (default) or 2, the power of the hinge.
        margin: the required lead (default 1).
        weight: a weight for each class (C,) (default: all 1).
        reduction: 'mean' (default), 'sum', or 'none'.
        size_average, reduce: PyTorch's deprecated spellings of reduction.

    Shape:
        input (N, C) or (C), target (N) or () of class indices -> a scalar, or (N) with reduction='none'.

    Example:
        >>> nn.MultiMarginLoss()(ember.tensor([[0.1, 0.2, 0.4, 0.8]]), ember.tensor([3]))  # (0.3 + 0.4 + 0.6)/4
        tensor(0.3250)
    """

    def __init__(self, p: int = 1, margin: float = 1.0, weight: Tensor | None = None, size_average=None,
                 reduce=None, reduction: str = "mean") -> None:
        super().__init__(weight, size_average, reduce, reduction)
        if p not in (1, 2):
            raise ValueError("only p == 1 and p == 2 supported")
        self.p, self.margin = p, margin

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.multi_margin_loss(input, target, p=self.p, margin=self.margin, weight=self.weight,
                                   reduction=self.reduction)


class GaussianNLLLoss(_Loss):
    """Gaussian negative log-likelihood: ℓ = ½ (ln var + (x - t)²/var), the model predicting a mean x and a variance var.

    var is clamped to at least eps for stability, and the clamp itself is not differentiated (as in PyTorch);
    full=True adds the constant ½ ln 2π.

    Args:
        full: whether to add the constant term (default False).
        eps: the smallest variance used (default 1e-6).
        reduction: 'mean' (default), 'sum' or 'none'.

    Shape:
        forward(input (N, *), target (N, *), var (N, *) or with one dimension of size 1) -> a scalar, or (N, *).

    Example:
        >>> m = nn.GaussianNLLLoss()
        >>> m(ember.tensor([1.0, 2.0]), ember.tensor([1.0, 4.0]), ember.tensor([1.0, 2.0]))  # (0 + ½(ln 2 + 2))/2
        tensor(0.6733)
    """

    def __init__(self, *, full: bool = False, eps: float = 1e-6, reduction: str = "mean") -> None:
        super().__init__(reduction=reduction)
        self.full, self.eps = full, eps

    def forward(self, input: Tensor, target: Tensor, var) -> Tensor:
        return F.gaussian_nll_loss(input, target, var, full=self.full, eps=self.eps, reduction=self.reduction)

