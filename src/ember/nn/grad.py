"""``torch.nn.grad``: the gradients of a convolution with respect to its input and to its weight, given the
output's gradient, as functions (``conv2d_input(input.shape, weight, grad_output)`` ...).

Each is the vector-Jacobian product of the convolution, taken by ember's autograd: a convolution is linear in
its input and in its weight, so the product at any point is the gradient itself (a zero input or weight of the
given shape stands in for the missing one). Differentiable when ``weight``/``input`` or ``grad_output``
requires grad, as PyTorch's are.
"""

from __future__ import annotations

from .. import autograd
from .._core.tensor import Tensor
from ..autograd import grad_mode
from ..ops.creation import zeros
from . import functional as F

__all__ = ["conv1d_input", "conv1d_weight", "conv2d_input", "conv2d_weight", "conv3d_input", "conv3d_weight"]

_CONV = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}


def _vjp(dims: int, wrt: str, x: Tensor | None, w: Tensor | None, size, grad_output: Tensor, stride, padding,
         dilation, groups) -> Tensor:
    like = w if x is None else x
    stand_in = zeros(tuple(size), dtype=like.dtype, requires_grad=True)
    if wrt == "input":
        x = stand_in
    else:
        w = stand_in
    keep = grad_output.requires_grad or like.requires_grad
    with grad_mode.enable_grad():
        out = _CONV[dims](x, w, None, stride, padding, dilation, groups)
        (g,) = autograd.grad(out, stand_in, grad_output, create_graph=keep and grad_mode.is_grad_enabled())
    return g


def conv1d_input(input_size, weight, grad_output, stride=1, padding=0, dilation=1, groups=1):
    """d(conv1d)/d(input) applied to ``grad_output``, for an input of shape ``input_size``"""
    return _vjp(1, "input", None, weight, input_size, grad_output, stride, padding, dilation, groups)


def conv1d_weight(input, weight_size, grad_output, stride=1, padding=0, dilation=1, groups=1):
    """d(conv1d)/d(weight) applied to ``grad_output``, for a weight of shape ``weight_size``"""
    return _vjp(1, "weight", input, None, weight_size, grad_output, stride, padding, dilation, groups)


def conv2d_input(input_size, weight, grad_output, stride=1, padding=0, dilation=1, groups=1):
    """d(conv2d)/d(input) applied to ``grad_output``, for an input of shape ``input_size``"""
    return _vjp(2, "input", None, weight, input_size, grad_output, stride, padding, dilation, groups)


def conv2d_weight(input, weight_size, grad_output, stride=1, padding=0, dilation=1, groups=1):
    """d(conv2d)/d(weight) applied to ``grad_output``, for a weight of shape ``weight_size``"""
    return _vjp(2, "weight", input, None, weight_size, grad_output, stride, padding, dilation, groups)


def conv3d_input(input_size, weight, grad_output, stride=1, padding=0, dilation=1, groups=1):
    """d(conv3d)/d(input) applied to ``grad_output``, for an input of shape ``input_size``"""
    return _vjp(3, "input", None, weight, input_size, grad_output, stride, padding, dilation, groups)


def conv3d_weight(input, weight_size, grad_output, stride=1, padding=0, dilation=1, groups=1):
    """d(conv3d)/d(weight) applied to ``grad_output``, for a weight of shape ``weight_size``"""
    return _vjp(3, "weight", input, None, weight_size, grad_output, stride, padding, dilation, groups)
