"""``Upsample``, ``UpsamplingNearest2d``, ``UpsamplingBilinear2d``: resampling layers over ``interpolate``."""

from __future__ import annotations

from ..._core.tensor import Tensor
from .. import _functional_sampling as FSamp
from .module import Module

__all__ = ["Upsample", "UpsamplingBilinear2d", "UpsamplingNearest2d"]


class Upsample(Module):
    """Upsample: resize the spatial dimensions of a batch of signals, images or volumes (``F.interpolate``).

    Give either the output size or a scale factor. 'nearest' repeats the nearest input value; 'linear',
    'bilinear', 'bicubic' and 'trilinear' interpolate between neighbours. With align_corners=True the corner samples
    of input and output line up exactly (the grid spans the same extent); with False (the default) each pixel is
    treated as an area and the sample positions are (i + 0.5)·in/out - 0.5.

    Args:
        size: the output's spatial size (an int or a tuple).
        scale_factor: the multiplier of the spatial size (a number or a tuple).
        mode: 'nearest' (default), 'linear' (3-d input), 'bilinear' or 'bicubic' (4-d), 'trilinear' (5-d).
        align_corners: for the interpolating modes: whether the corners align (default None, meaning False).
        recompute_scale_factor: with scale_factor, compute the sample positions from the rounded output size
            rather than from scale_factor itself.

    Shape:
        input (N, C, L), (N, C, H, W) or (N, C, D, H, W) -> output with each spatial size scaled.

    Example:
        >>> nn.Upsample(scale_factor=2)(ember.tensor([[[1.0, 2.0]]]))
        tensor([[[1., 1., 2., 2.]]])
        >>> nn.Upsample(size=4, mode="linear")(ember.tensor([[[1.0, 2.0]]]))
        tensor([[[1.0000, 1.2500, 1.7500, 2.0000]]])
    """

    __constants__ = ("size", "scale_factor", "mode", "align_corners", "name", "recompute_scale_factor")

    def __init__(self, size=None, scale_factor=None, mode: str = "nearest", align_corners=None,
                 recompute_scale_factor=None) -> None:
        super().__init__()
        self.name = type(self).__name__
        self.size = size
        if isinstance(scale_factor, tuple):
            self.scale_factor = tuple(float(f) for f in scale_factor)
        else:
            self.scale_factor = float(scale_factor) if scale_factor else None
        self.mode = mode
        self.align_corners = align_corners
        self.recompute_scale_factor = recompute_scale_factor

    def forward(self, input: Tensor) -> Tensor:
        return FSamp.interpolate(input, self.size, self.scale_factor, self.mode, self.align_corners,
                              recompute_scale_factor=self.recompute_scale_factor)

    def extra_repr(self) -> str:
        if self.scale_factor is not None:
            info = "scale_factor=" + repr(self.scale_factor)
        else:
            info = "size=" + repr(self.size)
        return info + ", mode=" + repr(self.mode)


class UpsamplingNearest2d(Upsample):
    """Nearest-neighbour upsampling of images: ``Upsample(size, scale_factor, mode='nearest')`` (PyTorch's older name).

    Args:
        size: the output's (H, W), or an int for both.
        scale_factor: the multiplier of H and W.

    Shape:
        input (N, C, H, W) -> output (N, C, H_out, W_out).

    Example:
        >>> nn.UpsamplingNearest2d(scale_factor=2)(ember.tensor([[[[1.0, 2.0]]]]))
        tensor([[[[1., 1., 2., 2.],
                  [1., 1., 2., 2.]]]])
    """

    def __init__(self, size=None, scale_factor=None) -> None:
        super().__init__(size, scale_factor, mode="nearest")


class UpsamplingBilinear2d(Upsample):
    """Bilinear upsampling of images with the corners aligned: ``Upsample(..., mode='bilinear', align_corners=True)``.

    Args:
        size: the output's (H, W), or an int for both.
        scale_factor: the multiplier of H and W.

    Shape:
        input (N, C, H, W) -> output (N, C, H_out, W_out).

    Example:
        >>> nn.UpsamplingBilinear2d(size=(1, 3))(ember.tensor([[[[1.0, 2.0]]]]))
        tensor([[[[1.0000, 1.5000, 2.0000]]]])
    """

    def __init__(self, size=None, scale_factor=None) -> None:
        super().__init__(size, scale_factor, mode="bilinear", align_corners=True)
