"""``Identity``, ``Linear``, ``Bilinear``."""

from __future__ import annotations

import math

from ..._core.tensor import Tensor
from ...ops import creation as C
from .. import functional as F
from .. import init
from ..parameter import Parameter, UninitializedParameter
from .lazy import LazyModuleMixin
from .module import Module

__all__ = ["Bilinear", "Identity", "LazyLinear", "Linear"]


class Identity(Module):
    """The identity layer: y = x, the input itself (not a copy).

    A placeholder where a model's structure wants a layer but the computation wants none (a skipped block, a head
    removed for feature extraction). Any arguments given to the constructor are accepted and ignored.

    Shape:
        input (*) -> output (*), the same tensor.

    Example:
        >>> x = ember.tensor([1.0, 2.0])
        >>> nn.Identity(54, unused="anything")(x) is x
        True
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__()

    def forward(self, input: Tensor) -> Tensor:
        return input


class Linear(Module):
    """y = x Wᵀ + b: an affine map applied to the last dimension of the input.

    Each output feature is a weighted sum of the input features plus a bias. The gradients backward() computes are
    dL/dx = dL/dy W, dL/dW = (dL/dy)ᵀ x (summed over the batch) and dL/db = dL/dy summed over the batch.

    Args:
        in_features: size of the input's last dimension.
        out_features: size of the output's last dimension.
        bias: whether to learn the additive bias b (default True).
        device, dtype: where and in which dtype the parameters are created (only the CPU exists).

    Shape:
        input (*, in_features) -> output (*, out_features); * is any number of leading dimensions, even none.

    Parameters:
        weight (out_features, in_features) and bias (out_features,), both drawn from U(-bound, bound) with
        bound = 1/√in_features (PyTorch's initialisation, with the same random stream).

    Example:
        >>> m = nn.Linear(3, 2)
        >>> m
        Linear(in_features=3, out_features=2, bias=True)
        >>> m.weight.shape, m.bias.shape
        (torch.Size([2, 3]), torch.Size([2]))
        >>> m(ember.ones(5, 3)).shape
        torch.Size([5, 2])
    """

    __constants__ = ("in_features", "out_features")

    def __init__(self, in_features: int, out_features: int, bias: bool = True, device=None, dtype=None) -> None:
        super().__init__()
        self.in_features = in_features
        self.out_features = out_features
        self.weight = Parameter(C.empty((out_features, in_features), device=device, dtype=dtype))
        if bias:
            self.bias = Parameter(C.empty(out_features, device=device, dtype=dtype))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """PyTorch's default: W ~ kaiming_uniform(a=√5) = U(±1/√fan_in), then b ~ U(±1/√fan_in)."""
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in, _ = init._calculate_fan_in_and_fan_out(self.weight)
            bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0
            init.uniform_(self.bias, -bound, bound)

    def forward(self, input: Tensor) -> Tensor:
        return F.linear(input, self.weight, self.bias)

    def extra_repr(self) -> str:
        return f"in_features={self.in_features}, out_features={self.out_features}, bias={self.bias is not None}"


class Bilinear(Module):
    """y_k = x1ᵀ W_k x2 + b_k: each output feature is a bilinear form of the two inputs.

    Args:
        in1_features: size of the first input's last dimension.
        in2_features: size of the second input's last dimension.
        out_features: number of output features k.
        bias: whether to learn the additive bias b (default True).
        device, dtype: where and in which dtype the parameters are created.

    Shape:
        input1 (*, in1_features) and input2 (*, in2_features), with the same leading dimensions
        -> output (*, out_features).

    Parameters:
        weight (out_features, in1_features, in2_features) and bias (out_features,), drawn from U(-bound, bound) with
        bound = 1/√in1_features.

    Example:
        >>> m = nn.Bilinear(3, 4, 2)
        >>> m.weight.shape
        torch.Size([2, 3, 4])
        >>> m(ember.ones(5, 3), ember.ones(5, 4)).shape
        torch.Size([5, 2])
    """

    __constants__ = ("in1_features", "in2_features", "out_features")

    def __init__(self, in1_features: int, in2_features: int, out_features: int, bias: bool = True, device=None,
                 dtype=None) -> None:
        super().__init__()
        self.in1_features = in1_features
        self.in2_features = in2_features
        self.out_features = out_features
        self.weight = Parameter(C.empty((out_features, in1_features, in2_features), device=device, dtype=dtype))
        if bias:
            self.bias = Parameter(C.empty(out_features, device=device, dtype=dtype))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """W, b ~ U(±1/√in1_features)."""
        bound = 1 / math.sqrt(self.weight.size(1))
        init.uniform_(self.weight, -bound, bound)
        if self.bias is not None:
            init.uniform_(self.bias, -bound, bound)

    def forward(self, input1: Tensor, input2: Tensor) -> Tensor:
        return F.bilinear(input1, input2, self.weight, self.bias)

    def extra_repr(self) -> str:
        return (f"in1_features={self.in1_features}, in2_features={self.in2_features}, "
                f"out_features={self.out_features}, bias={self.bias is not None}")


class LazyLinear(LazyModuleMixin, Linear):
    """A Linear layer whose in_features is read from the first input it sees.

    Until that first call its weight and bias are uninitialised placeholders; the first forward pass fixes
    in_features = input.shape[-1], initialises the parameters as Linear does, and turns the module into a plain
    ``Linear``.

    Args:
        out_features: size of the output's last dimension.
        bias: whether to learn the additive bias b (default True).
        device, dtype: where and in which dtype the parameters are created.

    Shape:
        input (*, in_features) -> output (*, out_features), in_features taken from the first input.

    Example:
        >>> m = nn.LazyLinear(2)
        >>> m(ember.ones(4, 7)).shape
        torch.Size([4, 2])
        >>> m
        Linear(in_features=7, out_features=2, bias=True)
    """

    cls_to_become = Linear

    def __init__(self, out_features: int, bias: bool = True, device=None, dtype=None) -> None:
        # bias is hard-coded to False in the base so that no tensor is built just to be replaced
        super().__init__(0, 0, False, device, dtype)
        self.weight = UninitializedParameter(dtype=dtype)
        self.out_features = out_features
        if bias:
            self.bias = UninitializedParameter(dtype=dtype)

    def reset_parameters(self) -> None:
        if not self.has_uninitialized_params() and self.in_features != 0:
            super().reset_parameters()

    def initialize_parameters(self, input: Tensor, *args, **kwargs) -> None:
        if self.has_uninitialized_params():
            self.in_features = input.shape[-1]
            self.weight.materialize((self.out_features, self.in_features))
            if self.bias is not None:
                self.bias.materialize((self.out_features,))
            self.reset_parameters()
