"""Convolution layers: ``Conv1d/2d/3d``, ``ConvTranspose1d/2d/3d`` and their lazy forms."""

from __future__ import annotations

import math

from ..._core.tensor import Tensor
from ...ops import creation as C
from .. import _functional_spatial as FS
from .. import init
from ..parameter import Parameter, UninitializedParameter
from .lazy import LazyModuleMixin
from .module import Module

__all__ = ["Conv1d", "Conv2d", "Conv3d", "ConvTranspose1d", "ConvTranspose2d", "ConvTranspose3d", "LazyConv1d",
           "LazyConv2d", "LazyConv3d", "LazyConvTranspose1d", "LazyConvTranspose2d", "LazyConvTranspose3d"]

_CONV = {1: FS.conv1d, 2: FS.conv2d, 3: FS.conv3d}
_CONV_T = {1: FS.conv_transpose1d, 2: FS.conv_transpose2d, 3: FS.conv_transpose3d}

_PADDING_MODES = ("zeros", "reflect", "replicate", "circular")


class _ConvNd(Module):
    """Shared state and init of the convolution layers (PyTorch's attribute names and repr)."""

    __constants__ = ("stride", "padding", "dilation", "groups", "padding_mode", "output_padding", "in_channels",
                     "out_channels", "kernel_size")
    _nd = 2
    _transposed = False

    def __init__(self, in_channels: int, out_channels: int, kernel_size, stride=1, padding=0, dilation=1,
                 groups: int = 1, bias: bool = True, padding_mode: str = "zeros", output_padding=0,
                 device=None, dtype=None) -> None:
        super().__init__()
        nd = self._nd
        if groups <= 0:
            raise ValueError("groups must be a positive integer")
        if in_channels % groups != 0:
            raise ValueError("in_channels must be divisible by groups")
        if out_channels % groups != 0:
            raise ValueError("out_channels must be divisible by groups")
        if isinstance(padding, str):
            if padding not in ("same", "valid"):
                raise ValueError(f"Invalid padding string {padding!r}, should be one of {{'valid', 'same'}}")
            if padding == "same" and any(s != 1 for s in FS._tuple(stride, nd)):
                raise ValueError("padding='same' is not supported for strided convolutions")
        if padding_mode not in _PADDING_MODES:
            raise ValueError(f"padding_mode must be one of {list(_PADDING_MODES)}, but got "
                             f"padding_mode='{padding_mode}'")
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.kernel_size = FS._tuple(kernel_size, nd)
        self.stride = FS._tuple(stride, nd)
        self.padding = padding if isinstance(padding, str) else FS._tuple(padding, nd)
        self.dilation = FS._tuple(dilation, nd)
        self.transposed = self._transposed
        self.output_padding = FS._tuple(output_padding, nd)
        self.groups = groups
        self.padding_mode = padding_mode
        # F.pad order (last dim first), each side twice, for the non-zero padding modes
        if isinstance(self.padding, str):
            pads = FS._conv_padding(self.padding, nd, self.kernel_size, self.stride, self.dilation)
        else:
            pads = tuple((p, p) for p in self.padding)
        self._reversed_padding_repeated_twice = [v for pr in reversed(pads) for v in pr]
        if self._transposed:
            shape = (in_channels, out_channels // groups) + self.kernel_size
        else:
            shape = (out_channels, in_channels // groups) + self.kernel_size
        self.weight = Parameter(C.empty(shape, device=device, dtype=dtype))
        if bias:
            self.bias = Parameter(C.empty(out_channels, device=device, dtype=dtype))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """PyTorch's default: W ~ kaiming_uniform(a=√5) = U(±1/√fan_in), b ~ U(±1/√fan_in)."""
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in, _ = init._calculate_fan_in_and_fan_out(self.weight)
            if fan_in != 0:
                bound = 1 / math.sqrt(fan_in)
                init.uniform_(self.bias, -bound, bound)

    def extra_repr(self) -> str:
        s = "{in_channels}, {out_channels}, kernel_size={kernel_size}, stride={stride}"
        if self.padding != (0,) * len(self.padding):
            s += ", padding={padding}"
        if self.dilation != (1,) * len(self.dilation):
            s += ", dilation={dilation}"
        if self.output_padding != (0,) * len(self.output_padding):
            s += ", output_padding={output_padding}"
        if self.groups != 1:
            s += ", groups={groups}"
        if self.bias is None:
            s += ", bias=False"
        if self.padding_mode != "zeros":
            s += ", padding_mode={padding_mode}"
        return s.format(**self.__dict__)

    def _conv_forward(self, input: Tensor, weight: Tensor, bias: Tensor | None) -> Tensor:
        conv = _CONV[self._nd]
        if self.padding_mode != "zeros":
            input = FS.pad(input, self._reversed_padding_repeated_twice, mode=self.padding_mode)
            return conv(input, weight, bias, self.stride, 0, self.dilation, self.groups)
        return conv(input, weight, bias, self.stride, self.padding, self.dilation, self.groups)

    def forward(self, input: Tensor) -> Tensor:
        return self._conv_forward(input, self.weight, self.bias)


class Conv1d(_ConvNd):
    """y[n, o, l] = b[o] + Σ_c Σ_k W[o, c, k] · x[n, c, s·l + d·k - p] over (N, C, L) inputs.

    A 1-d convolution (strictly a cross-correlation: the kernel is not flipped) of a batch of 1-d signals with
    C_in channels: every output channel o slides its kernel W[o] over the input and adds its bias b[o]. With
    stride s, padding p and dilation d, each spatial size becomes
    out = ⌊(in + 2p - d(k - 1) - 1)/s⌋ + 1.

    Args:
        in_channels: C_in, the input's channels.
        out_channels: C_out, the number of kernels (output channels).
        kernel_size: the kernel's size k: an int (the same in every dimension) or a tuple.
        stride: the step between kernel positions (default 1).
        padding: zeros (or padding_mode values) added on both sides of each spatial dimension: an int, a tuple, or
            'valid' (none) / 'same' (as much as keeps the size, stride 1 only). Default 0.
        dilation: the spacing between kernel taps (default 1).
        groups: split the channels into this many groups, each convolved with its own kernels; in_channels and
            out_channels must be divisible by it (groups = in_channels: a depthwise convolution). Default 1.
        bias: whether to learn the per-channel bias b (default True).
        padding_mode: 'zeros' (default), 'reflect', 'replicate' or 'circular'.
        device, dtype: where and in which dtype the parameters are created.

    Shape:
        input (N, C_in, L_in) or unbatched (C_in, L_in) -> output (N, C_out, L_out).

    Parameters:
        weight (C_out, C_in/groups, k) and bias (C_out,), drawn from U(-bound, bound) with
        bound = 1/√(C_in/groups · the number of kernel elements).

    Example:
        >>> m = nn.Conv1d(1, 1, 3, bias=False)
        >>> with ember.no_grad():
        ...     _ = m.weight.copy_(ember.tensor([[[1.0, 0.0, -1.0]]]))
        >>> m(ember.tensor([[[0.0, 1.0, 4.0, 9.0, 16.0]]]))  # y[l] = x[l] - x[l + 2]
        tensor([[[ -4.,  -8., -12.]]], grad_fn=<ConvolutionBackward0>)
        >>> nn.Conv1d(2, 4, 3)(ember.ones(1, 2, 10)).shape
        torch.Size([1, 4, 8])
    """

    _nd = 1

    def __init__(self, in_channels: int, out_channels: int, kernel_size, stride=1, padding=0, dilation=1,
                 groups: int = 1, bias: bool = True, padding_mode: str = "zeros", device=None, dtype=None) -> None:
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias,
                         padding_mode, 0, device, dtype)


class Conv2d(_ConvNd):
    """y[n, o, i, j] = b[o] + Σ_c Σ_{a,b} W[o, c, a, b] · x[n, c, s·i + d·a - p, s·j + d·b - p] over
    (N, C, H, W) inputs.

    A 2-d convolution (strictly a cross-correlation: the kernel is not flipped) of a batch of 2-d signals with
    C_in channels: every output channel o slides its kernel W[o] over the input and adds its bias b[o]. With
    stride s, padding p and dilation d, each spatial size becomes
    out = ⌊(in + 2p - d(k - 1) - 1)/s⌋ + 1.

    Args:
        in_channels: C_in, the input's channels.
        out_channels: C_out, the number of kernels (output channels).
        kernel_size: the kernel's size (kh, kw): an int (the same in every dimension) or a tuple.
        stride: the step between kernel positions (default 1).
        padding: zeros (or padding_mode values) added on both sides of each spatial dimension: an int, a tuple, or
            'valid' (none) / 'same' (as much as keeps the size, stride 1 only). Default 0.
        dilation: the spacing between kernel taps (default 1).
        groups: split the channels into this many groups, each convolved with its own kernels; in_channels and
            out_channels must be divisible by it (groups = in_channels: a depthwise convolution). Default 1.
        bias: whether to learn the per-channel bias b (default True).
        padding_mode: 'zeros' (default), 'reflect', 'replicate' or 'circular'.
        device, dtype: where and in which dtype the parameters are created.

    Shape:
        input (N, C_in, H_in, W_in) or unbatched (C_in, H_in, W_in) -> output (N, C_out, H_out, W_out).

    Parameters:
        weight (C_out, C_in/groups, kh, kw) and bias (C_out,), drawn from U(-bound, bound) with
        bound = 1/√(C_in/groups · the number of kernel elements).

    Example:
        >>> m = nn.Conv2d(1, 8, 3, padding=1)  # 'same' size for a 3x3 kernel
        >>> m(ember.ones(1, 1, 28, 28)).shape
        torch.Size([1, 8, 28, 28])
        >>> m.weight.shape
        torch.Size([8, 1, 3, 3])
        >>> nn.Conv2d(3, 6, (3, 5), stride=2, groups=3)
        Conv2d(3, 6, kernel_size=(3, 5), stride=(2, 2), groups=3)
    """

    _nd = 2

    def __init__(self, in_channels: int, out_channels: int, kernel_size, stride=1, padding=0, dilation=1,
                 groups: int = 1, bias: bool = True, padding_mode: str = "zeros", device=None, dtype=None) -> None:
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias,
                         padding_mode, 0, device, dtype)


class Conv3d(_ConvNd):
    """y[n, o, t, i, j] = b[o] + Σ_c Σ W[o, c, a, b, e] · x[n, c, s·t + d·a - p, s·i + d·b - p, s·j + d·e - p]
    over (N, C, D, H, W) inputs (volumes, or video as frames × height × width).

    A 3-d convolution (strictly a cross-correlation: the kernel is not flipped) of a batch of 3-d signals with
    C_in channels: every output channel o slides its kernel W[o] over the input and adds its bias b[o]. With
    stride s, padding p and dilation d, each spatial size becomes
    out = ⌊(in + 2p - d(k - 1) - 1)/s⌋ + 1.

    Args:
        in_channels: C_in, the input's channels.
        out_channels: C_out, the number of kernels (output channels).
        kernel_size: the kernel's size (kd, kh, kw): an int (the same in every dimension) or a tuple.
        stride: the step between kernel positions (default 1).
        padding: zeros (or padding_mode values) added on both sides of each spatial dimension: an int, a tuple, or
            'valid' (none) / 'same' (as much as keeps the size, stride 1 only). Default 0.
        dilation: the spacing between kernel taps (default 1).
        groups: split the channels into this many groups, each convolved with its own kernels; in_channels and
            out_channels must be divisible by it (groups = in_channels: a depthwise convolution). Default 1.
        bias: whether to learn the per-channel bias b (default True).
        padding_mode: 'zeros' (default), 'reflect', 'replicate' or 'circular'.
        device, dtype: where and in which dtype the parameters are created.

    Shape:
        input (N, C_in, D_in, H_in, W_in) or unbatched (C_in, D_in, H_in, W_in) -> output (N, C_out, D_out, H_out, W_out).

    Parameters:
        weight (C_out, C_in/groups, kd, kh, kw) and bias (C_out,), drawn from U(-bound, bound) with
        bound = 1/√(C_in/groups · the number of kernel elements).

    Example:
        >>> nn.Conv3d(1, 2, 3)(ember.ones(1, 1, 5, 5, 5)).shape
        torch.Size([1, 2, 3, 3, 3])
    """

    _nd = 3

    def __init__(self, in_channels: int, out_channels: int, kernel_size, stride=1, padding=0, dilation=1,
                 groups: int = 1, bias: bool = True, padding_mode: str = "zeros", device=None, dtype=None) -> None:
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias,
                         padding_mode, 0, device, dtype)


class _ConvTransposeNd(_ConvNd):
    _transposed = True

    def __init__(self, in_channels: int, out_channels: int, kernel_size, stride=1, padding=0, output_padding=0,
                 groups: int = 1, bias: bool = True, dilation=1, padding_mode: str = "zeros", device=None,
                 dtype=None) -> None:
        if padding_mode != "zeros":
            raise ValueError(f'Only "zeros" padding mode is supported for {type(self).__name__}')
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias,
                         padding_mode, output_padding, device, dtype)

    def _output_padding(self, input: Tensor, output_size) -> tuple:
        """The output_padding that makes the output ``output_size`` (PyTorch's forward(input, output_size))."""
        if output_size is None:
            return self.output_padding
        nd = self._nd
        lead = 2 if input.ndim == nd + 2 else 1
        size = output_size
        if len(size) == lead + nd:
            size = size[lead:]
        if len(size) != nd:
            raise ValueError(f"ConvTranspose{nd}D: for {input.ndim}D input, output_size must have {nd} or "
                             f"{lead + nd} elements (got {len(size)})")
        mins = [(input.shape[lead + i] - 1) * self.stride[i] - 2 * self.padding[i]
                + self.dilation[i] * (self.kernel_size[i] - 1) + 1 for i in range(nd)]
        maxs = [m + s - 1 for m, s in zip(mins, self.stride)]
        for i in range(nd):
            if not mins[i] <= size[i] <= maxs[i]:
                raise ValueError(f"requested an output size of {size}, but valid sizes range from {mins} to {maxs} "
                                 f"(for an input of {input.shape[2:]})")
        return tuple(size[i] - mins[i] for i in range(nd))

    def forward(self, input: Tensor, output_size=None) -> Tensor:
        if self.padding_mode != "zeros":
            raise ValueError(f"Only `zeros` padding mode is supported for {type(self).__name__}")
        op = self._output_padding(input, output_size)
        return _CONV_T[self._nd](input, self.weight, self.bias, self.stride, self.padding, op, self.groups,
                                 self.dilation)


class ConvTranspose1d(_ConvTransposeNd):
    """The transposed 1-d convolution: the adjoint of Conv1d with respect to its input, plus a bias.

    Where Conv1d maps a large signal to a smaller one, this maps back: each input value scatters a copy of the
    kernel, scaled by that value, into the output, and overlapping copies add up (it is Conv1d's input gradient).
    Used to upsample (decoders, segmentation). Each spatial size becomes
    out = (in - 1)s - 2p + d(k - 1) + output_padding + 1.

    Args:
        in_channels: C_in, the input's channels.
        out_channels: C_out, the output's channels.
        kernel_size: the kernel's size k: an int or a tuple.
        stride: the step s between the kernel copies in the output (default 1).
        padding: the padding p of the Conv1d this is the adjoint of: the output is cropped by p on each side
            (default 0).
        output_padding: extra size added to one side of each output dimension, to pick among the sizes a strided
            Conv1d maps to the same size (default 0; must be smaller than stride or dilation).
        groups: as in Conv1d (default 1).
        bias: whether to learn the per-channel bias (default True).
        dilation: the spacing between kernel taps (default 1).
        padding_mode: only 'zeros' is supported, as in PyTorch.
        device, dtype: where and in which dtype the parameters are created.

    Shape:
        input (N, C_in, L_in) or unbatched (C_in, L_in) -> output (N, C_out, L_out);
        forward(input, output_size) may name the output size instead of output_padding.

    Parameters:
        weight (C_in, C_out/groups, k) (note the order: the transpose of Conv1d's) and bias (C_out,).

    Example:
        >>> nn.ConvTranspose1d(4, 2, 3, stride=2)(ember.ones(1, 4, 5)).shape  # (5 - 1)·2 + 3 = 11
        torch.Size([1, 2, 11])
    """

    _nd = 1


class ConvTranspose2d(_ConvTransposeNd):
    """The transposed 2-d convolution: the adjoint of Conv2d with respect to its input, plus a bias.

    Where Conv2d maps a large signal to a smaller one, this maps back: each input value scatters a copy of the
    kernel, scaled by that value, into the output, and overlapping copies add up (it is Conv2d's input gradient).
    Used to upsample (decoders, segmentation). Each spatial size becomes
    out = (in - 1)s - 2p + d(k - 1) + output_padding + 1.

    Args:
        in_channels: C_in, the input's channels.
        out_channels: C_out, the output's channels.
        kernel_size: the kernel's size (kh, kw): an int or a tuple.
        stride: the step s between the kernel copies in the output (default 1).
        padding: the padding p of the Conv2d this is the adjoint of: the output is cropped by p on each side
            (default 0).
        output_padding: extra size added to one side of each output dimension, to pick among the sizes a strided
            Conv2d maps to the same size (default 0; must be smaller than stride or dilation).
        groups: as in Conv2d (default 1).
        bias: whether to learn the per-channel bias (default True).
        dilation: the spacing between kernel taps (default 1).
        padding_mode: only 'zeros' is supported, as in PyTorch.
        device, dtype: where and in which dtype the parameters are created.

    Shape:
        input (N, C_in, H_in, W_in) or unbatched (C_in, H_in, W_in) -> output (N, C_out, H_out, W_out);
        forward(input, output_size) may name the output size instead of output_padding.

    Parameters:
        weight (C_in, C_out/groups, kh, kw) (note the order: the transpose of Conv2d's) and bias (C_out,).

    Example:
        >>> m = nn.ConvTranspose2d(8, 1, 2, stride=2)  # doubles H and W
        >>> m(ember.ones(1, 8, 14, 14)).shape
        torch.Size([1, 1, 28, 28])
        >>> m.weight.shape
        torch.Size([8, 1, 2, 2])
    """

    _nd = 2


class ConvTranspose3d(_ConvTransposeNd):
    """The transposed 3-d convolution: the adjoint of Conv3d with respect to its input, plus a bias.

    Where Conv3d maps a large signal to a smaller one, this maps back: each input value scatters a copy of the
    kernel, scaled by that value, into the output, and overlapping copies add up (it is Conv3d's input gradient).
    Used to upsample (decoders, segmentation). Each spatial size becomes
    out = (in - 1)s - 2p + d(k - 1) + output_padding + 1.

    Args:
        in_channels: C_in, the input's channels.
        out_channels: C_out, the output's channels.
        kernel_size: the kernel's size (kd, kh, kw): an int or a tuple.
        stride: the step s between the kernel copies in the output (default 1).
        padding: the padding p of the Conv3d this is the adjoint of: the output is cropped by p on each side
            (default 0).
        output_padding: extra size added to one side of each output dimension, to pick among the sizes a strided
            Conv3d maps to the same size (default 0; must be smaller than stride or dilation).
        groups: as in Conv3d (default 1).
        bias: whether to learn the per-channel bias (default True).
        dilation: the spacing between kernel taps (default 1).
        padding_mode: only 'zeros' is supported, as in PyTorch.
        device, dtype: where and in which dtype the parameters are created.

    Shape:
        input (N, C_in, D_in, H_in, W_in) or unbatched (C_in, D_in, H_in, W_in) -> output (N, C_out, D_out, H_out, W_out);
        forward(input, output_size) may name the output size instead of output_padding.

    Parameters:
        weight (C_in, C_out/groups, kd, kh, kw) (note the order: the transpose of Conv3d's) and bias (C_out,).

    Example:
        >>> nn.ConvTranspose3d(2, 1, 3)(ember.ones(1, 2, 4, 4, 4)).shape
        torch.Size([1, 1, 6, 6, 6])
    """

    _nd = 3


# -- lazy forms: in_channels is read from the first input --------------------------------------------------

class _LazyConvXdMixin(LazyModuleMixin):
    def reset_parameters(self) -> None:
        if not self.has_uninitialized_params() and self.in_channels != 0:
            super().reset_parameters()

    def initialize_parameters(self, input: Tensor, *args, **kwargs) -> None:
        if self.has_uninitialized_params():
            self.in_channels = self._get_in_channels(input)
            if self.in_channels % self.groups != 0:
                raise ValueError("in_channels must be divisible by groups")
            if self.transposed:
                self.weight.materialize((self.in_channels, self.out_channels // self.groups) + self.kernel_size)
            else:
                self.weight.materialize((self.out_channels, self.in_channels // self.groups) + self.kernel_size)
            if self.bias is not None:
                self.bias.materialize((self.out_channels,))
            self.reset_parameters()

    def _get_in_channels(self, input: Tensor) -> int:
        nd = self._nd
        if input.ndim not in (nd + 1, nd + 2):
            raise RuntimeError(f"Expected {nd + 1}D (unbatched) or {nd + 2}D (batched) input to "
                               f"{type(self).__name__}, but got input of size: {input.shape}")
        return input.shape[1] if input.ndim == nd + 2 else input.shape[0]


def _lazy_placeholders(module, out_channels: int, bias: bool, dtype) -> None:
    module.weight = UninitializedParameter(dtype=dtype)
    module.out_channels = out_channels
    if bias:
        module.bias = UninitializedParameter(dtype=dtype)


class _LazyConv(_LazyConvXdMixin):
    # the base is built with 0 channels and bias=False, so that no tensor is made just to be replaced
    def __init__(self, out_channels: int, kernel_size, stride=1, padding=0, dilation=1, groups: int = 1,
                 bias: bool = True, padding_mode: str = "zeros", device=None, dtype=None) -> None:
        super().__init__(0, 0, kernel_size, stride, padding, dilation, groups, False, padding_mode, device, dtype)
        _lazy_placeholders(self, out_channels, bias, dtype)


class _LazyConvTranspose(_LazyConvXdMixin):
    def __init__(self, out_channels: int, kernel_size, stride=1, padding=0, output_padding=0, groups: int = 1,
                 bias: bool = True, dilation=1, padding_mode: str = "zeros", device=None, dtype=None) -> None:
        super().__init__(0, 0, kernel_size, stride, padding, output_padding, groups, False, dilation, padding_mode,
                         device, dtype)
        _lazy_placeholders(self, out_channels, bias, dtype)


class LazyConv1d(_LazyConv, Conv1d):
    """A Conv1d whose in_channels is read from the first input: input.shape[1].

    Until the first forward pass the weight and bias are uninitialised placeholders; that call fixes in_channels,
    initialises the parameters as Conv1d does and turns the module into a plain ``Conv1d``. The other arguments
    are Conv1d's.

    Args:
        out_channels, kernel_size, stride, padding, dilation, groups, bias, padding_mode: as in Conv1d.
        device, dtype: where and in which dtype the parameters are created.

    Shape:
        as Conv1d, with C_in taken from the first input.

    Example:
        >>> m = nn.LazyConv1d(4, 3)
        >>> m(ember.ones(1, 3, 8)).shape
        torch.Size([1, 4, 6])
        >>> type(m).__name__, m.in_channels
        ('Conv1d', 3)
    """

    cls_to_become = Conv1d


class LazyConv2d(_LazyConv, Conv2d):
    """A Conv2d whose in_channels is read from the first input: input.shape[1].

    Until the first forward pass the weight and bias are uninitialised placeholders; that call fixes in_channels,
    initialises the parameters as Conv2d does and turns the module into a plain ``Conv2d``. The other arguments
    are Conv2d's.

    Args:
        out_channels, kernel_size, stride, padding, dilation, groups, bias, padding_mode: as in Conv2d.
        device, dtype: where and in which dtype the parameters are created.

    Shape:
        as Conv2d, with C_in taken from the first input.

    Example:
        >>> m = nn.LazyConv2d(4, 3)
        >>> m(ember.ones(1, 3, 8, 8)).shape
        torch.Size([1, 4, 6, 6])
        >>> type(m).__name__, m.in_channels
        ('Conv2d', 3)
    """

    cls_to_become = Conv2d


class LazyConv3d(_LazyConv, Conv3d):
    """A Conv3d whose in_channels is read from the first input: input.shape[1].

    Until the first forward pass the weight and bias are uninitialised placeholders; that call fixes in_channels,
    initialises the parameters as Conv3d does and turns the module into a plain ``Conv3d``. The other arguments
    are Conv3d's.

    Args:
        out_channels, kernel_size, stride, padding, dilation, groups, bias, padding_mode: as in Conv3d.
        device, dtype: where and in which dtype the parameters are created.

    Shape:
        as Conv3d, with C_in taken from the first input.

    Example:
        >>> m = nn.LazyConv3d(4, 3)
        >>> m(ember.ones(1, 3, 4, 4, 4)).shape
        torch.Size([1, 4, 2, 2, 2])
        >>> type(m).__name__, m.in_channels
        ('Conv3d', 3)
    """

    cls_to_become = Conv3d


class LazyConvTranspose1d(_LazyConvTranspose, ConvTranspose1d):
    """A ConvTranspose1d whose in_channels is read from the first input: input.shape[1].

    Until the first forward pass the weight and bias are uninitialised placeholders; that call fixes in_channels,
    initialises the parameters as ConvTranspose1d does and turns the module into a plain ``ConvTranspose1d``. The other arguments
    are ConvTranspose1d's.

    Args:
        out_channels, kernel_size, stride, padding, output_padding, groups, bias, dilation, padding_mode: as in ConvTranspose1d.
        device, dtype: where and in which dtype the parameters are created.

    Shape:
        as ConvTranspose1d, with C_in taken from the first input.

    Example:
        >>> m = nn.LazyConvTranspose1d(4, 3)
        >>> m(ember.ones(1, 3, 8)).shape
        torch.Size([1, 4, 10])
        >>> type(m).__name__, m.in_channels
        ('ConvTranspose1d', 3)
    """

    cls_to_become = ConvTranspose1d


class LazyConvTranspose2d(_LazyConvTranspose, ConvTranspose2d):
    """A ConvTranspose2d whose in_channels is read from the first input: input.shape[1].

    Until the first forward pass the weight and bias are uninitialised placeholders; that call fixes in_channels,
    initialises the parameters as ConvTranspose2d does and turns the module into a plain ``ConvTranspose2d``. The other arguments
    are ConvTranspose2d's.

    Args:
        out_channels, kernel_size, stride, padding, output_padding, groups, bias, dilation, padding_mode: as in ConvTranspose2d.
        device, dtype: where and in which dtype the parameters are created.

    Shape:
        as ConvTranspose2d, with C_in taken from the first input.

    Example:
        >>> m = nn.LazyConvTranspose2d(4, 3)
        >>> m(ember.ones(1, 3, 8, 8)).shape
        torch.Size([1, 4, 10, 10])
        >>> type(m).__name__, m.in_channels
        ('ConvTranspose2d', 3)
    """

    cls_to_become = ConvTranspose2d


class LazyConvTranspose3d(_LazyConvTranspose, ConvTranspose3d):
    """A ConvTranspose3d whose in_channels is read from the first input: input.shape[1].

    Until the first forward pass the weight and bias are uninitialised placeholders; that call fixes in_channels,
    initialises the parameters as ConvTranspose3d does and turns the module into a plain ``ConvTranspose3d``. The other arguments
    are ConvTranspose3d's.

    Args:
        out_channels, kernel_size, stride, padding, output_padding, groups, bias, dilation, padding_mode: as in ConvTranspose3d.
        device, dtype: where and in which dtype the parameters are created.

    Shape:
        as ConvTranspose3d, with C_in taken from the first input.

    Example:
        >>> m = nn.LazyConvTranspose3d(4, 3)
        >>> m(ember.ones(1, 3, 4, 4, 4)).shape
        torch.Size([1, 4, 6, 6, 6])
        >>> type(m).__name__, m.in_channels
        ('ConvTranspose3d', 3)
    """

    cls_to_become = ConvTranspose3d
