"""``nn.utils.memory_format``: convert convolution weights to a memory format. ember's tensors are NumPy arrays
without PyTorch's channels-last layouts, so the weights keep their values and layout; the modules are returned."""

from __future__ import annotations

__all__ = ["convert_conv2d_weight_memory_format", "convert_conv3d_weight_memory_format"]


def convert_conv2d_weight_memory_format(module, memory_format):
    """The module, its Conv2d / ConvTranspose2d weights (values unchanged) in ``memory_format``."""
    for child in module.children():
        convert_conv2d_weight_memory_format(child, memory_format)
    return module


def convert_conv3d_weight_memory_format(module, memory_format):
    """The module, its Conv3d / ConvTranspose3d weights (values unchanged) in ``memory_format``."""
    for child in module.children():
        convert_conv3d_weight_memory_format(child, memory_format)
    return module
