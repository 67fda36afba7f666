"""Pooling layers: max, average, adaptive, power-average and fractional pooling, and max unpooling, over
1-d, 2-d and 3-d inputs."""

from __future__ import annotations

from ..._core.tensor import Tensor
from .. import _functional_spatial as FS
from .module import Module

__all__ = ["AdaptiveAvgPool1d", "AdaptiveAvgPool2d", "AdaptiveAvgPool3d", "AdaptiveMaxPool1d", "AdaptiveMaxPool2d",
           "AdaptiveMaxPool3d", "AvgPool1d", "AvgPool2d", "AvgPool3d", "FractionalMaxPool2d", "FractionalMaxPool3d",
           "LPPool1d", "LPPool2d", "LPPool3d", "MaxPool1d", "MaxPool2d", "MaxPool3d", "MaxUnpool1d", "MaxUnpool2d",
           "MaxUnpool3d"]


class _MaxPoolNd(Module):
    __constants__ = ("kernel_size", "stride", "padding", "dilation", "return_indices", "ceil_mode")

    def __init__(self, kernel_size, stride=None, padding=0, dilation=1, return_indices: bool = False,
                 ceil_mode: bool = False) -> None:
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride if (stride is not None) else kernel_size
        self.padding = padding
        self.dilation = dilation
        self.return_indices = return_indices
        self.ceil_mode = ceil_mode

    def extra_repr(self) -> str:
        return ("kernel_size={kernel_size}, stride={stride}, padding={padding}, dilation={dilation}, "
                "ceil_mode={ceil_mode}".format(**self.__dict__))


class MaxPool1d(_MaxPoolNd):
    """1-d max pooling: each output is the largest input value in its window of size k.

    With window k, stride s, padding p and dilation d, each spatial size becomes
    out = ⌊(in + 2p - d(k - 1) - 1)/s⌋ + 1 (⌈...⌉ with ceil_mode). The gradient flows only to the element that was
    the maximum of each window.

    Args:
        kernel_size: the window size: an int or a tuple of 1.
        stride: the step between windows (default: kernel_size, so windows do not overlap).
        padding: implicit -inf padding on both sides (default 0; at most half the window).
        dilation: the spacing between the elements of a window (default 1).
        return_indices: also return, for each output, the flat index of the maximum in its input plane
            (what MaxUnpool1d needs). Default False.
        ceil_mode: round the output size up, so a last partial window is kept (default False).

    Shape:
        input (N, C, L_in) or (C, L_in) -> output (N, C, L_out).

    Example:
        >>> nn.MaxPool1d(2)(ember.tensor([[[1.0, 3.0, 2.0, 5.0, 4.0, 0.0]]]))
        tensor([[[3., 5., 4.]]])
    """

    def forward(self, input: Tensor):
        return FS.max_pool1d(input, self.kernel_size, self.stride, self.padding, self.dilation,
                             ceil_mode=self.ceil_mode, return_indices=self.return_indices)


class MaxPool2d(_MaxPoolNd):
    """2-d max pooling: each output is the largest input value in its window of size (kh, kw).

    With window k, stride s, padding p and dilation d, each spatial size becomes
    out = ⌊(in + 2p - d(k - 1) - 1)/s⌋ + 1 (⌈...⌉ with ceil_mode). The gradient flows only to the element that was
    the maximum of each window.

    Args:
        kernel_size: the window size: an int or a tuple of 2.
        stride: the step between windows (default: kernel_size, so windows do not overlap).
        padding: implicit -inf padding on both sides (default 0; at most half the window).
        dilation: the spacing between the elements of a window (default 1).
        return_indices: also return, for each output, the flat index of the maximum in its input plane
            (what MaxUnpool2d needs). Default False.
        ceil_mode: round the output size up, so a last partial window is kept (default False).

    Shape:
        input (N, C, H_in, W_in) or (C, H_in, W_in) -> output (N, C, H_out, W_out).

    Example:
        >>> x = ember.arange(16.0).reshape(1, 1, 4, 4)
        >>> nn.MaxPool2d(2)(x)
        tensor([[[[ 5.,  7.],
                  [13., 15.]]]])
    """

    def forward(self, input: Tensor):
        return FS.max_pool2d(input, self.kernel_size, self.stride, self.padding, self.dilation,
                             ceil_mode=self.ceil_mode, return_indices=self.return_indices)


class MaxPool3d(_MaxPoolNd):
    """3-d max pooling: each output is the largest input value in its window of size (kd, kh, kw).

    With window k, stride s, padding p and dilation d, each spatial size becomes
    out = ⌊(in + 2p - d(k - 1) - 1)/s⌋ + 1 (⌈...⌉ with ceil_mode). The gradient flows only to the element that was
    the maximum of each window.

    Args:
        kernel_size: the window size: an int or a tuple of 3.
        stride: the step between windows (default: kernel_size, so windows do not overlap).
        padding: implicit -inf padding on both sides (default 0; at most half the window).
        dilation: the spacing between the elements of a window (default 1).
        return_indices: also return, for each output, the flat index of the maximum in its input plane
            (what MaxUnpool3d needs). Default False.
        ceil_mode: round the output size up, so a last partial window is kept (default False).

    Shape:
        input (N, C, D_in, H_in, W_in) or (C, D_in, H_in, W_in) -> output (N, C, D_out, H_out, W_out).

    Example:
        >>> nn.MaxPool3d(2)(ember.ones(1, 1, 4, 4, 4)).shape
        torch.Size([1, 1, 2, 2, 2])
    """

    def forward(self, input: Tensor):
        return FS.max_pool3d(input, self.kernel_size, self.stride, self.padding, self.dilation,
                             ceil_mode=self.ceil_mode, return_indices=self.return_indices)


class AvgPool1d(Module):
    """1-d average pooling: each output is the mean of the input values in its window of size k.

    Each spatial size becomes out = ⌊(in + 2p - k)/s⌋ + 1 (⌈...⌉ with ceil_mode); the gradient of each output is
    shared equally by the elements of its window.

    Args:
        kernel_size: the window size: an int or a tuple of 1.
        stride: the step between windows (default: kernel_size).
        padding: zeros added on both sides (default 0; at most half the window).
        ceil_mode: round the output size up, keeping a last partial window (default False).
        count_include_pad: whether the padded zeros count in a window's size, the mean's divisor (default True).

    Shape:
        input (N, C, L_in) or (C, L_in) -> output (N, C, L_out).

    Example:
        >>> x = ember.tensor([[[3.0, 6.0, 9.0]]])
        >>> nn.AvgPool1d(3, stride=1, padding=1)(x)  # the padded zeros count: (0 + 3 + 6)/3, ...
        tensor([[[3., 6., 5.]]])
        >>> nn.AvgPool1d(3, stride=1, padding=1, count_include_pad=False)(x)  # (3 + 6)/2, ...
        tensor([[[4.5000, 6.0000, 7.5000]]])
    """

    __constants__ = ("kernel_size", "stride", "padding", "ceil_mode", "count_include_pad")

    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode: bool = False,
                 count_include_pad: bool = True) -> None:
        super().__init__()
        self.kernel_size = FS._tuple(kernel_size, 1)
        self.stride = FS._tuple(stride if stride is not None else kernel_size, 1)
        self.padding = FS._tuple(padding, 1)
        self.ceil_mode = ceil_mode
        self.count_include_pad = count_include_pad

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"

    def forward(self, input: Tensor) -> Tensor:
        return FS.avg_pool1d(input, self.kernel_size, self.stride, self.padding, self.ceil_mode,
                             self.count_include_pad)


class AvgPool2d(Module):
    """2-d average pooling: each output is the mean of the input values in its window of size (kh, kw).

    Each spatial size becomes out = ⌊(in + 2p - k)/s⌋ + 1 (⌈...⌉ with ceil_mode); the gradient of each output is
    shared equally by the elements of its window.

    Args:
        kernel_size: the window size: an int or a tuple of 2.
        stride: the step between windows (default: kernel_size).
        padding: zeros added on both sides (default 0; at most half the window).
        ceil_mode: round the output size up, keeping a last partial window (default False).
        count_include_pad: whether the padded zeros count in a window's size, the mean's divisor (default True).
        divisor_override: divide every window's sum by this number instead of its size (default None).

    Shape:
        input (N, C, H_in, W_in) or (C, H_in, W_in) -> output (N, C, H_out, W_out).

    Example:
        >>> x = ember.arange(16.0).reshape(1, 1, 4, 4)
        >>> nn.AvgPool2d(2)(x)
        tensor([[[[ 2.5000,  4.5000],
                  [10.5000, 12.5000]]]])
    """

    __constants__ = ("kernel_size", "stride", "padding", "ceil_mode", "count_include_pad", "divisor_override")

    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode: bool = False,
                 count_include_pad: bool = True, divisor_override=None) -> None:
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride if (stride is not None) else kernel_size
        self.padding = padding
        self.ceil_mode = ceil_mode
        self.count_include_pad = count_include_pad
        self.divisor_override = divisor_override

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"

    def forward(self, input: Tensor) -> Tensor:
        return FS.avg_pool2d(input, self.kernel_size, self.stride, self.padding, self.ceil_mode,
                             self.count_include_pad, self.divisor_override)


class AvgPool3d(AvgPool2d):
    """3-d average pooling: each output is the mean of the input values in its window of size (kd, kh, kw).

    Each spatial size becomes out = ⌊(in + 2p - k)/s⌋ + 1 (⌈...⌉ with ceil_mode); the gradient of each output is
    shared equally by the elements of its window.

    Args:
        kernel_size: the window size: an int or a tuple of 3.
        stride: the step between windows (default: kernel_size).
        padding: zeros added on both sides (default 0; at most half the window).
        ceil_mode: round the output size up, keeping a last partial window (default False).
        count_include_pad: whether the padded zeros count in a window's size, the mean's divisor (default True).
        divisor_override: divide every window's sum by this number instead of its size (default None).

    Shape:
        input (N, C, D_in, H_in, W_in) or (C, D_in, H_in, W_in) -> output (N, C, D_out, H_out, W_out).

    Example:
        >>> nn.AvgPool3d(2)(ember.ones(1, 1, 4, 4, 4)).shape
        torch.Size([1, 1, 2, 2, 2])
    """

    def forward(self, input: Tensor) -> Tensor:
        return FS.avg_pool3d(input, self.kernel_size, self.stride, self.padding, self.ceil_mode,
                             self.count_include_pad, self.divisor_override)


class _AdaptivePool(Module):
    __constants__ = ("output_size",)

    def __init__(self, output_size, return_indices: bool = False) -> None:
        super().__init__()
        self.output_size = output_size
        if return_indices:
            self.return_indices = True

    def extra_repr(self) -> str:
        return f"output_size={self.output_size}"


class AdaptiveAvgPool1d(_AdaptivePool):
    """Adaptive 1-d avg pooling: the mean over windows sized so that the output has exactly ``output_size``.

    For an input size L and output size O, output i covers the inputs from ⌊i·L/O⌋ to ⌈(i + 1)·L/O⌉ (exclusive):
    windows of nearly equal size, overlapping when L is not a multiple of O. output_size 1 is a global avg pool.

    Args:
        output_size: the output's spatial size: an int.

    Shape:
        input (N, C, L_in) or (C, L_in) -> output (N, C, L_out) = output_size.

    Example:
        >>> nn.AdaptiveAvgPool1d(2)(ember.tensor([[[1.0, 2.0, 3.0, 4.0, 5.0]]]))  # mean(1, 2, 3), mean(3, 4, 5)
        tensor([[[2., 4.]]])
    """

    def __init__(self, output_size) -> None:
        super().__init__(output_size)

    def forward(self, input: Tensor) -> Tensor:
        return FS.adaptive_avg_pool1d(input, self.output_size)


class AdaptiveAvgPool2d(_AdaptivePool):
    """Adaptive 2-d avg pooling: the mean over windows sized so that the output has exactly ``output_size``.

    For an input size L and output size O, output i covers the inputs from ⌊i·L/O⌋ to ⌈(i + 1)·L/O⌉ (exclusive):
    windows of nearly equal size, overlapping when L is not a multiple of O. output_size 1 is a global avg pool.

    Args:
        output_size: the output's spatial size: an int or a tuple (None keeps that dimension's input size).

    Shape:
        input (N, C, H_in, W_in) or (C, H_in, W_in) -> output (N, C, H_out, W_out) = output_size.

    Example:
        >>> nn.AdaptiveAvgPool2d((1, 1))(ember.arange(16.0).reshape(1, 1, 4, 4))  # a global average
        tensor([[[[7.5000]]]])
    """

    def __init__(self, output_size) -> None:
        super().__init__(output_size)

    def forward(self, input: Tensor) -> Tensor:
        return FS.adaptive_avg_pool2d(input, self.output_size)


class AdaptiveMaxPool1d(_AdaptivePool):
    """Adaptive 1-d max pooling: the maximum over windows sized so that the output has exactly ``output_size``.

    For an input size L and output size O, output i covers the inputs from ⌊i·L/O⌋ to ⌈(i + 1)·L/O⌉ (exclusive):
    windows of nearly equal size, overlapping when L is not a multiple of O. output_size 1 is a global max pool.

    Args:
        output_size: the output's spatial size: an int.
        return_indices: also return the flat index of each maximum (default False).

    Shape:
        input (N, C, L_in) or (C, L_in) -> output (N, C, L_out) = output_size.

    Example:
        >>> nn.AdaptiveMaxPool1d(2)(ember.tensor([[[1.0, 2.0, 3.0, 4.0, 5.0]]]))
        tensor([[[3., 5.]]])
    """

    return_indices = False

    def forward(self, input: Tensor):
        return FS.adaptive_max_pool1d(input, self.output_size, self.return_indices)


class AdaptiveMaxPool2d(_AdaptivePool):
    """Adaptive 2-d max pooling: the maximum over windows sized so that the output has exactly ``output_size``.

    For an input size L and output size O, output i covers the inputs from ⌊i·L/O⌋ to ⌈(i + 1)·L/O⌉ (exclusive):
    windows of nearly equal size, overlapping when L is not a multiple of O. output_size 1 is a global max pool.

    Args:
        output_size: the output's spatial size: an int or a tuple (None keeps that dimension's input size).
        return_indices: also return the flat index of each maximum (default False).

    Shape:
        input (N, C, H_in, W_in) or (C, H_in, W_in) -> output (N, C, H_out, W_out) = output_size.

    Example:
        >>> nn.AdaptiveMaxPool2d(2)(ember.arange(16.0).reshape(1, 1, 4, 4))
        tensor([[[[ 5.,  7.],
                  [13., 15.]]]])
    """

    return_indices = False

    def forward(self, input: Tensor):
        return FS.adaptive_max_pool2d(input, self.output_size, self.return_indices)


class AdaptiveAvgPool3d(_AdaptivePool):
    """Adaptive 3-d avg pooling: the mean over windows sized so that the output has exactly ``output_size``.

    For an input size L and output size O, output i covers the inputs from ⌊i·L/O⌋ to ⌈(i + 1)·L/O⌉ (exclusive):
    windows of nearly equal size, overlapping when L is not a multiple of O. output_size 1 is a global avg pool.

    Args:
        output_size: the output's spatial size: an int or a tuple (None keeps that dimension's input size).

    Shape:
        input (N, C, D_in, H_in, W_in) or (C, D_in, H_in, W_in) -> output (N, C, D_out, H_out, W_out) = output_size.

    Example:
        >>> nn.AdaptiveAvgPool3d(1)(ember.ones(2, 3, 4, 4, 4)).shape
        torch.Size([2, 3, 1, 1, 1])
    """

    def __init__(self, output_size) -> None:
        super().__init__(output_size)

    def forward(self, input: Tensor) -> Tensor:
        return FS.adaptive_avg_pool3d(input, self.output_size)


class AdaptiveMaxPool3d(_AdaptivePool):
    """Adaptive 3-d max pooling: the maximum over windows sized so that the output has exactly ``output_size``.

    For an input size L and output size O, output i covers the inputs from ⌊i·L/O⌋ to ⌈(i + 1)·L/O⌉ (exclusive):
    windows of nearly equal size, overlapping when L is not a multiple of O. output_size 1 is a global max pool.

    Args:
        output_size: the output's spatial size: an int or a tuple (None keeps that dimension's input size).
        return_indices: also return the flat index of each maximum (default False).

    Shape:
        input (N, C, D_in, H_in, W_in) or (C, D_in, H_in, W_in) -> output (N, C, D_out, H_out, W_out) = output_size.

    Example:
        >>> nn.AdaptiveMaxPool3d((1, 2, 2))(ember.ones(2, 3, 4, 4, 4)).shape
        torch.Size([2, 3, 1, 2, 2])
    """

    return_indices = False

    def forward(self, input: Tensor):
        return FS.adaptive_max_pool3d(input, self.output_size, self.return_indices)


class _LPPoolNd(Module):
    __constants__ = ("norm_type", "kernel_size", "stride", "ceil_mode")

    def __init__(self, norm_type: float, kernel_size, stride=None, ceil_mode: bool = False) -> None:
        super().__init__()
        self.norm_type = norm_type
        self.kernel_size = kernel_size
        self.stride = stride
        self.ceil_mode = ceil_mode

    def extra_repr(self) -> str:
        return (f"norm_type={self.norm_type}, kernel_size={self.kernel_size}, stride={self.stride}, "
                f"ceil_mode={self.ceil_mode}")


class LPPool1d(_LPPoolNd):
    """1-d power-average pooling: each output is (Σ_window x^p)^(1/p) over a window of size k.

    p = 1 is sum pooling, p → ∞ approaches max pooling; p = 2 is the Euclidean norm of each window.

    Args:
        norm_type: p.
        kernel_size: the window size: an int or a tuple of 1.
        stride: the step between windows (default: kernel_size).
        ceil_mode: round the output size up (default False).

    Shape:
        input (N, C, L_in) or (C, L_in) -> output (N, C, L_out), out = ⌊(in - k)/s⌋ + 1.

    Example:
        >>> nn.LPPool1d(2, 2)(ember.tensor([[[3.0, 4.0, 6.0, 8.0]]]))  # √(3² + 4²), √(6² + 8²)
        tensor([[[ 5., 10.]]])
    """

    def forward(self, input: Tensor) -> Tensor:
        return FS.lp_pool1d(input, float(self.norm_type), self.kernel_size, self.stride, self.ceil_mode)


class LPPool2d(_LPPoolNd):
    """2-d power-average pooling: each output is (Σ_window x^p)^(1/p) over a window of size (kh, kw).

    p = 1 is sum pooling, p → ∞ approaches max pooling; p = 2 is the Euclidean norm of each window.

    Args:
        norm_type: p.
        kernel_size: the window size: an int or a tuple of 2.
        stride: the step between windows (default: kernel_size).
        ceil_mode: round the output size up (default False).

    Shape:
        input (N, C, H_in, W_in) or (C, H_in, W_in) -> output (N, C, H_out, W_out), out = ⌊(in - k)/s⌋ + 1.

    Example:
        >>> nn.LPPool2d(1, 2)(ember.arange(16.0).reshape(1, 1, 4, 4))  # p = 1: window sums
        tensor([[[[10., 18.],
                  [42., 50.]]]])
    """

    def forward(self, input: Tensor) -> Tensor:
        return FS.lp_pool2d(input, float(self.norm_type), self.kernel_size, self.stride, self.ceil_mode)


class LPPool3d(_LPPoolNd):
    """3-d power-average pooling: each output is (Σ_window x^p)^(1/p) over a window of size (kd, kh, kw).

    p = 1 is sum pooling, p → ∞ approaches max pooling; p = 2 is the Euclidean norm of each window.

    Args:
        norm_type: p.
        kernel_size: the window size: an int or a tuple of 3.
        stride: the step between windows (default: kernel_size).
        ceil_mode: round the output size up (default False).

    Shape:
        input (N, C, D_in, H_in, W_in) or (C, D_in, H_in, W_in) -> output (N, C, D_out, H_out, W_out), out = ⌊(in - k)/s⌋ + 1.

    Example:
        >>> nn.LPPool3d(2, 2)(ember.ones(1, 1, 2, 2, 2))  # √8
        tensor([[[[[2.8284]]]]])
    """

    def forward(self, input: Tensor) -> Tensor:
        return FS.lp_pool3d(input, float(self.norm_type), self.kernel_size, self.stride, self.ceil_mode)


class _MaxUnpoolNd(Module):
    _nd = 1

    def __init__(self, kernel_size, stride=None, padding=0) -> None:
        super().__init__()
        nd = self._nd
        self.kernel_size = FS._tuple(kernel_size, nd)
        self.stride = FS._tuple(stride if stride is not None else kernel_size, nd)
        self.padding = FS._tuple(padding, nd)

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class MaxUnpool1d(_MaxUnpoolNd):
    """The partial inverse of MaxPool1d: each value goes back to the position its index names, zeros everywhere else.

    Give it MaxPool1d's output and the indices it returned (return_indices=True). Each spatial size becomes
    out = (in - 1)s - 2p + k, or the size passed as forward(input, indices, output_size).

    Args:
        kernel_size: the pooling window size: an int or a tuple of 1.
        stride: the pooling stride (default: kernel_size).
        padding: the pooling padding (default 0).

    Shape:
        input (N, C, L_in) and indices of the same shape -> output (N, C, L_out).

    Example:
        >>> y, i = nn.MaxPool1d(2, return_indices=True)(ember.tensor([[[1.0, 3.0, 2.0, 5.0, 4.0, 0.0]]]))
        >>> i
        tensor([[[1, 3, 4]]])
        >>> nn.MaxUnpool1d(2)(y, i)
        tensor([[[0., 3., 0., 5., 4., 0.]]])
    """

    _nd = 1

    def forward(self, input: Tensor, indices: Tensor, output_size=None) -> Tensor:
        return FS.max_unpool1d(input, indices, self.kernel_size, self.stride, self.padding, output_size)


class MaxUnpool2d(_MaxUnpoolNd):
    """The partial inverse of MaxPool2d: each value goes back to the position its index names, zeros everywhere else.

    Give it MaxPool2d's output and the indices it returned (return_indices=True). Each spatial size becomes
    out = (in - 1)s - 2p + k, or the size passed as forward(input, indices, output_size).

    Args:
        kernel_size: the pooling window size: an int or a tuple of 2.
        stride: the pooling stride (default: kernel_size).
        padding: the pooling padding (default 0).

    Shape:
        input (N, C, H_in, W_in) and indices of the same shape -> output (N, C, H_out, W_out).

    Example:
        >>> y, i = nn.MaxPool2d(2, return_indices=True)(ember.arange(16.0).reshape(1, 1, 4, 4))
        >>> nn.MaxUnpool2d(2)(y, i)
        tensor([[[[ 0.,  0.,  0.,  0.],
                  [ 0.,  5.,  0.,  7.],
                  [ 0.,  0.,  0.,  0.],
                  [ 0., 13.,  0., 15.]]]])
    """

    _nd = 2

    def forward(self, input: Tensor, indices: Tensor, output_size=None) -> Tensor:
        return FS.max_unpool2d(input, indices, self.kernel_size, self.stride, self.padding, output_size)


class MaxUnpool3d(_MaxUnpoolNd):
    """The partial inverse of MaxPool3d: each value goes back to the position its index names, zeros everywhere else.

    Give it MaxPool3d's output and the indices it returned (return_indices=True). Each spatial size becomes
    out = (in - 1)s - 2p + k, or the size passed as forward(input, indices, output_size).

    Args:
        kernel_size: the pooling window size: an int or a tuple of 3.
        stride: the pooling stride (default: kernel_size).
        padding: the pooling padding (default 0).

    Shape:
        input (N, C, D_in, H_in, W_in) and indices of the same shape -> output (N, C, D_out, H_out, W_out).

    Example:
        >>> y, i = nn.MaxPool3d(2, return_indices=True)(ember.arange(8.0).reshape(1, 1, 2, 2, 2))
        >>> nn.MaxUnpool3d(2)(y, i).flatten()
        tensor([0., 0., 0., 0., 0., 0., 0., 7.])
    """

    _nd = 3

    def forward(self, input: Tensor, indices: Tensor, output_size=None) -> Tensor:
        return FS.max_unpool3d(input, indices, self.kernel_size, self.stride, self.padding, output_size)


class _FractionalMaxPoolNd(Module):
    __constants__ = ("kernel_size", "return_indices", "output_size", "output_ratio")
    _nd = 2

    def __init__(self, kernel_size, output_size=None, output_ratio=None, return_indices: bool = False,
                 _random_samples=None) -> None:
        super().__init__()
        nd = self._nd
        self.kernel_size = FS._tuple(kernel_size, nd)
        self.return_indices = return_indices
        self.register_buffer("_random_samples", _random_samples)
        self.output_size = FS._tuple(output_size, nd) if output_size is not None else None
        self.output_ratio = _ratio(output_ratio, nd) if output_ratio is not None else None
        if output_size is None and output_ratio is None:
            raise ValueError(f"{type(self).__name__} requires specifying either an output size, or a pooling ratio")
        if output_size is not None and output_ratio is not None:
            raise ValueError("only one of output_size and output_ratio may be specified")
        if self.output_ratio is not None and not all(0 < r < 1 for r in self.output_ratio):
            raise ValueError(f"output_ratio must be between 0 and 1 (got {output_ratio})")

    def forward(self, input: Tensor):
        fn = FS.fractional_max_pool2d if self._nd == 2 else FS.fractional_max_pool3d
        return fn(input, self.kernel_size, self.output_size, self.output_ratio, self.return_indices,
                  _random_samples=self._random_samples)


def _ratio(r, nd: int) -> tuple:
    if isinstance(r, (list, tuple)):
        return tuple(r) if len(r) != 1 else (r[0],) * nd
    return (r,) * nd


class FractionalMaxPool2d(_FractionalMaxPoolNd):
    """Fractional 2-d max pooling (Graham, 2014): max over windows of size (kh, kw) placed at pseudo-random,
    non-integer strides, so the output can be any size between the input's and the input's divided by the window.

    The offsets are drawn from ember's random stream (as PyTorch draws them), once per sample and channel.

    Args:
        kernel_size: the window size: an int or a tuple of 2.
        output_size: the output's spatial size (an int or a tuple); give this or output_ratio.
        output_ratio: the output size as a fraction of the input size, in (0, 1).
        return_indices: also return the flat index of each maximum (default False).
        _random_samples: fixed offsets in [0, 1), shape (N, C, 2), instead of random ones (for reproducing a run).

    Shape:
        input (N, C, H_in, W_in) or (C, H_in, W_in) -> output (N, C, H_out, W_out).

    Example:
        >>> nn.FractionalMaxPool2d(2, output_size=3)(ember.ones(1, 1, 7, 7)).shape
        torch.Size([1, 1, 3, 3])
        >>> nn.FractionalMaxPool2d(3, output_ratio=0.5)(ember.ones(1, 1, 10, 10)).shape
        torch.Size([1, 1, 5, 5])
    """

    _nd = 2


class FractionalMaxPool3d(_FractionalMaxPoolNd):
    """Fractional 3-d max pooling (Graham, 2014): max over windows of size (kd, kh, kw) placed at pseudo-random,
    non-integer strides, so the output can be any size between the input's and the input's divided by the window.

    The offsets are drawn from ember's random stream (as PyTorch draws them), once per sample and channel.

    Args:
        kernel_size: the window size: an int or a tuple of 3.
        output_size: the output's spatial size (an int or a tuple); give this or output_ratio.
        output_ratio: the output size as a fraction of the input size, in (0, 1).
        return_indices: also return the flat index of each maximum (default False).
        _random_samples: fixed offsets in [0, 1), shape (N, C, 3), instead of random ones (for reproducing a run).

    Shape:
        input (N, C, D_in, H_in, W_in) or (C, D_in, H_in, W_in) -> output (N, C, D_out, H_out, W_out).

    Example:
        >>> nn.FractionalMaxPool3d(2, output_size=(2, 3, 3))(ember.ones(1, 1, 5, 7, 7)).shape
        torch.Size([1, 1, 2, 3, 3])
    """

    _nd = 3
