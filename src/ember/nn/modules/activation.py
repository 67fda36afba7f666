"""Activation modules: thin wrappers around ``nn.functional`` with PyTorch's constructor arguments and reprs."""

from __future__ import annotations

from ..._core.tensor import Tensor
from ...ops import creation as C
from .. import functional as F
from .. import init
from ..parameter import Parameter
from .module import Module

__all__ = [
    "CELU",
    "ELU",
    "GELU",
    "GLU",
    "SELU",
    "Hardshrink",
    "Hardsigmoid",
    "Hardswish",
    "Hardtanh",
    "LeakyReLU",
    "LogSigmoid",
    "LogSoftmax",
    "Mish",
    "PReLU",
    "RReLU",
    "ReLU",
    "ReLU6",
    "SiLU",
    "Sigmoid",
    "Softmax",
    "Softmin",
    "Softplus",
    "Softshrink",
    "Softsign",
    "Tanh",
    "Tanhshrink",
    "Threshold",
]


def _inplace_str(inplace: bool, first: bool = False) -> str:
    if not inplace:
        return ""
    return "inplace=True" if first else ", inplace=True"


class _Inplace(Module):
    """An activation whose only option is ``inplace``."""

    _fn = None

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        return type(self)._fn(input, inplace=self.inplace)

    def extra_repr(self) -> str:
        return _inplace_str(self.inplace, first=True)


class ReLU(_Inplace):
    """ReLU(x) = max(x, 0), elementwise: negative values become 0.

    Its derivative is 1 where x > 0 and 0 elsewhere (0 at x = 0, as in PyTorch).

    Args:
        inplace: write the result into the input tensor instead of a new one (default False).

    Shape:
        input (*) -> output (*), the same shape (the function is applied to each element).

    Example:
        >>> x = ember.tensor([-2.0, -0.5, 0.0, 1.0, 3.0])
        >>> nn.ReLU()(x)
        tensor([0., 0., 0., 1., 3.])
    """
    _fn = staticmethod(F.relu)


class SELU(_Inplace):
    """SELU(x) = scale·(max(0, x) + min(0, α(eˣ - 1))), with α ≈ 1.6733 and scale ≈ 1.0507.

    The constants make a deep stack of SELU layers keep activations near mean 0 and variance 1
    (self-normalising networks, Klambauer et al. 2017).

    Args:
        inplace: write the result into the input tensor instead of a new one (default False).

    Shape:
        input (*) -> output (*), the same shape (the function is applied to each element).

    Example:
        >>> x = ember.tensor([-2.0, -0.5, 0.0, 1.0, 3.0])
        >>> nn.SELU()(x)
        tensor([-1.5202, -0.6918,  0.0000,  1.0507,  3.1521])
    """
    _fn = staticmethod(F.selu)


class SiLU(_Inplace):
    """SiLU(x) = x·σ(x), σ the logistic sigmoid (also called swish).

    Its derivative is σ(x)(1 + x(1 - σ(x))).

    Args:
        inplace: write the result into the input tensor instead of a new one (default False).

    Shape:
        input (*) -> output (*), the same shape (the function is applied to each element).

    Example:
        >>> x = ember.tensor([-2.0, -0.5, 0.0, 1.0, 3.0])
        >>> nn.SiLU()(x)
        tensor([-0.2384, -0.1888,  0.0000,  0.7311,  2.8577])
    """
    _fn = staticmethod(F.silu)


class Mish(_Inplace):
    """Mish(x) = x·tanh(softplus(x)) = x·tanh(ln(1 + eˣ)).

    Smooth and non-monotonic, like SiLU.

    Args:
        inplace: write the result into the input tensor instead of a new one (default False).

    Shape:
        input (*) -> output (*), the same shape (the function is applied to each element).

    Example:
        >>> x = ember.tensor([-2.0, -0.5, 0.0, 1.0, 3.0])
        >>> nn.Mish()(x)
        tensor([-0.2525, -0.2207,  0.0000,  0.8651,  2.9865])
    """
    _fn = staticmethod(F.mish)


class Hardswish(_Inplace):
    """Hardswish(x) = x·relu6(x + 3)/6: 0 for x ≤ -3, x for x ≥ 3, x(x + 3)/6 in between.

    A piecewise-polynomial stand-in for SiLU (MobileNetV3).

    Args:
        inplace: write the result into the input tensor instead of a new one (default False).

    Shape:
        input (*) -> output (*), the same shape (the function is applied to each element).

    Example:
        >>> x = ember.tensor([-2.0, -0.5, 0.0, 1.0, 3.0])
        >>> nn.Hardswish()(x)
        tensor([-0.3333, -0.2083,  0.0000,  0.6667,  3.0000])
    """
    _fn = staticmethod(F.hardswish)

    def extra_repr(self) -> str:  # PyTorch does not show inplace for these two
        return ""


class Hardsigmoid(_Inplace):
    """Hardsigmoid(x) = relu6(x + 3)/6: 0 for x ≤ -3, 1 for x ≥ 3, x/6 + 1/2 in between.

    A piecewise-linear stand-in for the sigmoid; its derivative is 1/6 inside (-3, 3), 0 outside.

    Args:
        inplace: write the result into the input tensor instead of a new one (default False).

    Shape:
        input (*) -> output (*), the same shape (the function is applied to each element).

    Example:
        >>> x = ember.tensor([-2.0, -0.5, 0.0, 1.0, 3.0])
        >>> nn.Hardsigmoid()(x)
        tensor([0.1667, 0.4167, 0.5000, 0.6667, 1.0000])
    """
    _fn = staticmethod(F.hardsigmoid)

    def extra_repr(self) -> str:
        return ""


class _Plain(Module):
    """An activation without options."""

    _fn = None

    def forward(self, input: Tensor) -> Tensor:
        return type(self)._fn(input)


class Sigmoid(_Plain):
    """σ(x) = 1/(1 + e^-x): squashes any number into (0, 1).

    Its derivative is σ(x)(1 - σ(x)), at most 1/4 (at x = 0).

    Shape:
        input (*) -> output (*), the same shape (the function is applied to each element).

    Example:
        >>> x = ember.tensor([-2.0, -0.5, 0.0, 1.0, 3.0])
        >>> nn.Sigmoid()(x)
        tensor([0.1192, 0.3775, 0.5000, 0.7311, 0.9526])
    """
    _fn = staticmethod(F.sigmoid)


class Tanh(_Plain):
    """tanh x = (eˣ - e^-x)/(eˣ + e^-x): squashes any number into (-1, 1).

    Its derivative is 1 - tanh² x.

    Shape:
        input (*) -> output (*), the same shape (the function is applied to each element).

    Example:
        >>> x = ember.tensor([-2.0, -0.5, 0.0, 1.0, 3.0])
        >>> nn.Tanh()(x)
        tensor([-0.9640, -0.4621,  0.0000,  0.7616,  0.9951])
    """
    _fn = staticmethod(F.tanh)


class Softsign(_Plain):
    """Softsign(x) = x/(1 + |x|), into (-1, 1) like tanh but approaching ±1 more slowly.

    Its derivative is 1/(1 + |x|)².

    Shape:
        input (*) -> output (*), the same shape (the function is applied to each element).

    Example:
        >>> x = ember.tensor([-2.0, -0.5, 0.0, 1.0, 3.0])
        >>> nn.Softsign()(x)
        tensor([-0.6667, -0.3333,  0.0000,  0.5000,  0.7500])
    """
    _fn = staticmethod(F.softsign)


class Tanhshrink(_Plain):
    """Tanhshrink(x) = x - tanh x.

    Its derivative is tanh² x.

    Shape:
        input (*) -> output (*), the same shape (the function is applied to each element).

    Example:
        >>> x = ember.tensor([-2.0, -0.5, 0.0, 1.0, 3.0])
        >>> nn.Tanhshrink()(x)
        tensor([-1.0360, -0.0379,  0.0000,  0.2384,  2.0049])
    """
    _fn = staticmethod(F.tanhshrink)


class LogSigmoid(_Plain):
    """LogSigmoid(x) = ln σ(x) = -softplus(-x), computed without overflow for large |x|.

    Its derivative is 1 - σ(x).

    Shape:
        input (*) -> output (*), the same shape (the function is applied to each element).

    Example:
        >>> x = ember.tensor([-2.0, -0.5, 0.0, 1.0, 3.0])
        >>> nn.LogSigmoid()(x)
        tensor([-2.1269, -0.9741, -0.6931, -0.3133, -0.0486])
    """
    _fn = staticmethod(F.logsigmoid)


class Hardtanh(Module):
    """Hardtanh(x) = clamp(x, min_val, max_val): x inside the range, the nearest bound outside.

    Its derivative is 1 inside (min_val, max_val) and 0 outside.

    Args:
        min_val: the lower bound (default -1).
        max_val: the upper bound (default 1).
        inplace: write the result into the input tensor instead of a new one (default False).
        min_value, max_value: old names of min_val and max_val (deprecated).

    Shape:
        input (*) -> output (*), the same shape (the function is applied to each element).

    Example:
        >>> x = ember.tensor([-2.0, -0.5, 0.0, 1.0, 3.0])
        >>> nn.Hardtanh()(x)
        tensor([-1.0000, -0.5000,  0.0000,  1.0000,  1.0000])
    """

    def __init__(self, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False, min_value=None,
                 max_value=None) -> None:
        super().__init__()
        if min_value is not None:
            min_val = min_value
        if max_value is not None:
            max_val = max_value
        self.min_val = min_val
        self.max_val = max_val
        self.inplace = inplace
        if self.max_val <= self.min_val:
            raise AssertionError()

    def forward(self, input: Tensor) -> Tensor:
        return F.hardtanh(input, self.min_val, self.max_val, self.inplace)

    def extra_repr(self) -> str:
        return f"min_val={self.min_val}, max_val={self.max_val}{_inplace_str(self.inplace)}"


class ReLU6(Hardtanh):
    """ReLU6(x) = min(max(x, 0), 6): a ReLU capped at 6 (Hardtanh(0, 6)).

    Its derivative is 1 inside (0, 6) and 0 outside.

    Args:
        inplace: write the result into the input tensor instead of a new one (default False).

    Shape:
        input (*) -> output (*), the same shape (the function is applied to each element).

    Example:
        >>> x = ember.tensor([-2.0, -0.5, 0.0, 1.0, 3.0])
        >>> nn.ReLU6()(x)
        tensor([0., 0., 0., 1., 3.])
    """

    def __init__(self, inplace: bool = False) -> None:
        super().__init__(0.0, 6.0, inplace)

    def extra_repr(self) -> str:
        return _inplace_str(self.inplace, first=True)


class LeakyReLU(Module):
    """LeakyReLU(x) = x for x ≥ 0, negative_slope·x for x < 0.

    Unlike ReLU, negative inputs keep a small gradient (negative_slope).

    Args:
        negative_slope: the slope for negative inputs (default 0.01).
        inplace: write the result into the input tensor instead of a new one (default False).

    Shape:
        input (*) -> output (*), the same shape (the function is applied to each element).

    Example:
        >>> x = ember.tensor([-2.0, -0.5, 0.0, 1.0, 3.0])
        >>> nn.LeakyReLU(0.1)(x)
        tensor([-0.2000, -0.0500,  0.0000,  1.0000,  3.0000])
    """

    def __init__(self, negative_slope: float = 1e-2, inplace: bool = False) -> None:
        super().__init__()
        self.negative_slope = negative_slope
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.leaky_relu(input, self.negative_slope, self.inplace)

    def extra_repr(self) -> str:
        return f"negative_slope={self.negative_slope}{_inplace_str(self.inplace)}"


class ELU(Module):
    """ELU(x) = x for x > 0, α(eˣ - 1) for x ≤ 0.

    Negative inputs saturate smoothly at -α; the derivative there is α eˣ.

    Args:
        alpha: α, the value negative inputs saturate towards, negated (default 1).
        inplace: write the result into the input tensor instead of a new one (default False).

    Shape:
        input (*) -> output (*), the same shape (the function is applied to each element).

    Example:
        >>> x = ember.tensor([-2.0, -0.5, 0.0, 1.0, 3.0])
        >>> nn.ELU()(x)
        tensor([-0.8647, -0.3935,  0.0000,  1.0000,  3.0000])
    """

    def __init__(self, alpha: float = 1.0, inplace: bool = False) -> None:
        super().__init__()
        self.alpha = alpha
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.elu(input, self.alpha, self.inplace)

    def extra_repr(self) -> str:
        return f"alpha={self.alpha}{_inplace_str(self.inplace)}"


class CELU(ELU):
    """CELU(x) = max(0, x) + min(0, α(e^(x/α) - 1)).

    Like ELU, but continuously differentiable for every α (the slope at 0 is 1 from both sides).

    Args:
        alpha: α (default 1).
        inplace: write the result into the input tensor instead of a new one (default False).

    Shape:
        input (*) -> output (*), the same shape (the function is applied to each element).

    Example:
        >>> x = ember.tensor([-2.0, -0.5, 0.0, 1.0, 3.0])
        >>> nn.CELU(2.0)(x)
        tensor([-1.2642, -0.4424,  0.0000,  1.0000,  3.0000])
    """

    def forward(self, input: Tensor) -> Tensor:
        return F.celu(input, self.alpha, self.inplace)


class GELU(Module):
    """GELU(x) = x·Φ(x), Φ the cumulative distribution function of the standard normal.

    With approximate='tanh': 0.5·x·(1 + tanh(√(2/π)(x + 0.044715 x³))), a close approximation.

    Args:
        approximate: 'none' (the exact form, default) or 'tanh'.

    Shape:
        input (*) -> output (*), the same shape (the function is applied to each element).

    Example:
        >>> x = ember.tensor([-2.0, -0.5, 0.0, 1.0, 2.5])
        >>> nn.GELU()(x)
        tensor([-0.0455, -0.1543,  0.0000,  0.8413,  2.4845])
    """

    def __init__(self, approximate: str = "none") -> None:
        super().__init__()
        self.approximate = approximate

    def forward(self, input: Tensor) -> Tensor:
        return F.gelu(input, approximate=self.approximate)

    def extra_repr(self) -> str:
        return f"approximate={self.approximate!r}"


class _DimModule(Module):
    _fn = None

    def __init__(self, dim: int | None = None) -> None:
        super().__init__()
        self.dim = dim

    def __setstate__(self, state):
        super().__setstate__(state)
        if not hasattr(self, "dim"):
            self.dim = None

    def forward(self, input: Tensor) -> Tensor:
        return type(self)._fn(input, self.dim, _stacklevel=5)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class Softmax(_DimModule):
    """softmax(x)_i = e^(x_i) / Σ_j e^(x_j) along ``dim``: each slice along dim becomes a probability distribution.

    The outputs are positive and sum to 1 along dim; adding a constant to a slice does not change them (ember, like
    PyTorch, subtracts the slice's maximum first, so large inputs do not overflow).

    Args:
        dim: the dimension to normalise over. Leaving it None picks one from the input's number of dimensions and
            warns, as PyTorch does; always give it.

    Shape:
        input (*) -> output (*), the same shape.

    Example:
        >>> nn.Softmax(dim=1)(ember.tensor([[1.0, 2.0, 3.0]]))
        tensor([[0.0900, 0.2447, 0.6652]])
    """
    _fn = staticmethod(F.softmax)


class LogSoftmax(_DimModule):
    """log_softmax(x)_i = x_i - ln Σ_j e^(x_j) along ``dim``: the logarithm of softmax, computed stably.

    Pair it with NLLLoss (or use CrossEntropyLoss, which combines the two).

    Args:
        dim: the dimension to normalise over (None: chosen from the input's dimensions, with a warning).

    Shape:
        input (*) -> output (*), the same shape.

    Example:
        >>> nn.LogSoftmax(dim=1)(ember.tensor([[1.0, 2.0, 3.0]]))
        tensor([[-2.4076, -1.4076, -0.4076]])
    """
    _fn = staticmethod(F.log_softmax)


class Softmin(_DimModule):
    """softmin(x) = softmax(-x) along ``dim``: the smallest entries get the largest probabilities.

    Args:
        dim: the dimension to normalise over (None: chosen from the input's dimensions, with a warning).

    Shape:
        input (*) -> output (*), the same shape.

    Example:
        >>> nn.Softmin(dim=1)(ember.tensor([[1.0, 2.0, 3.0]]))
        tensor([[0.6652, 0.2447, 0.0900]])
    """
    _fn = staticmethod(F.softmin)


class Softplus(Module):
    """Softplus(x) = ln(1 + e^(βx))/β: a smooth ReLU, always positive.

    Where βx > threshold it returns x itself (the two agree to float precision there). Its
    derivative is σ(βx).

    Args:
        beta: β, the sharpness (default 1).
        threshold: above this value of βx the output is x (default 20).

    Shape:
        input (*) -> output (*), the same shape (the function is applied to each element).

    Example:
        >>> x = ember.tensor([-2.0, -0.5, 0.0, 1.0, 3.0])
        >>> nn.Softplus()(x)
        tensor([0.1269, 0.4741, 0.6931, 1.3133, 3.0486])
    """

    def __init__(self, beta: float = 1.0, threshold: float = 20.0) -> None:
        super().__init__()
        self.beta = beta
        self.threshold = threshold

    def forward(self, input: Tensor) -> Tensor:
        return F.softplus(input, self.beta, self.threshold)

    def extra_repr(self) -> str:
        return f"beta={self.beta}, threshold={self.threshold}"


class PReLU(Module):
    """PReLU(x) = x for x ≥ 0, a·x for x < 0, with the slope a learned.

    Args:
        num_parameters: 1 (one slope shared by everything) or the number of channels, the input's dim 1 (one slope
            per channel). Default 1.
        init: the initial value of a (default 0.25).
        device, dtype: where and in which dtype the parameter is created.

    Shape:
        input (*) -> output (*), the same shape; with num_parameters > 1, input (N, C, *) with C = num_parameters.

    Parameters:
        weight (num_parameters,), filled with init.

    Example:
        >>> m = nn.PReLU(num_parameters=3)
        >>> m(ember.tensor([[-1.0, -2.0, 4.0]]))
        tensor([[-0.2500, -0.5000,  4.0000]], grad_fn=<PreluKernelBackward0>)
    """

    def __init__(self, num_parameters: int = 1, init: float = 0.25, device=None, dtype=None) -> None:
        super().__init__()
        self.num_parameters = num_parameters
        self.init = init
        self.weight = Parameter(C.empty(num_parameters, device=device, dtype=dtype))
        self.reset_parameters()

    def reset_parameters(self) -> None:
        init.constant_(self.weight, self.init)

    def forward(self, input: Tensor) -> Tensor:
        return F.prelu(input, self.weight)

    def extra_repr(self) -> str:
        return f"num_parameters={self.num_parameters}"


class Threshold(Module):
    """Threshold(x) = x where x > threshold, value elsewhere.

    Its derivative is 1 where x > threshold and 0 elsewhere.

    Args:
        threshold: the level an input must exceed to pass.
        value: what replaces inputs at or below the threshold.
        inplace: write the result into the input tensor instead of a new one (default False).

    Shape:
        input (*) -> output (*), the same shape (the function is applied to each element).

    Example:
        >>> x = ember.tensor([-2.0, -0.5, 0.0, 1.0, 3.0])
        >>> nn.Threshold(0.5, -1.0)(x)
        tensor([-1., -1., -1.,  1.,  3.])
    """

    def __init__(self, threshold: float, value: float, inplace: bool = False) -> None:
        super().__init__()
        self.threshold = threshold
        self.value = value
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.threshold(input, self.threshold, self.value, self.inplace)

    def extra_repr(self) -> str:
        return f"threshold={self.threshold}, value={self.value}{_inplace_str(self.inplace)}"


class Hardshrink(Module):
    """Hardshrink(x) = x where |x| > λ, 0 elsewhere.

    Small values are zeroed, large ones pass unchanged.

    Args:
        lambd: λ, the half-width of the band that is zeroed (default 0.5).

    Shape:
        input (*) -> output (*), the same shape (the function is applied to each element).

    Example:
        >>> x = ember.tensor([-2.0, -0.5, 0.0, 1.0, 3.0])
        >>> nn.Hardshrink()(x)
        tensor([-2.,  0.,  0.,  1.,  3.])
    """

    def __init__(self, lambd: float = 0.5) -> None:
        super().__init__()
        self.lambd = lambd

    def forward(self, input: Tensor) -> Tensor:
        return F.hardshrink(input, self.lambd)

    def extra_repr(self) -> str:
        return f"{self.lambd}"


class Softshrink(Hardshrink):
    """Softshrink(x) = x - λ for x > λ, x + λ for x < -λ, 0 in between.

    Every value moves λ towards 0 and stops there (soft thresholding).

    Args:
        lambd: λ (default 0.5).

    Shape:
        input (*) -> output (*), the same shape (the function is applied to each element).

    Example:
        >>> x = ember.tensor([-2.0, -0.5, 0.0, 1.0, 3.0])
        >>> nn.Softshrink()(x)
        tensor([-1.5000, -0.0000,  0.0000,  0.5000,  2.5000])
    """

    def forward(self, input: Tensor) -> Tensor:
        return F.softshrink(input, self.lambd)


class GLU(Module):
    """GLU(x) = a ⊙ σ(b), where a and b are the first and second halves of x along ``dim``: a gated linear unit.

    Args:
        dim: the dimension split in two (default -1, the last).

    Shape:
        input (*, 2n, *) -> output (*, n, *): dim is halved, so its size must be even.

    Example:
        >>> nn.GLU()(ember.tensor([[1.0, 2.0, 0.0, 3.0]]))  # [1, 2] ⊙ σ([0, 3])
        tensor([[0.5000, 1.9051]])
    """

    def __init__(self, dim: int = -1) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, input: Tensor) -> Tensor:
        return F.glu(input, self.dim)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class RReLU(Module):
    """RReLU(x) = x for x ≥ 0, a·x for x < 0, with a random slope a (randomised leaky ReLU).

    In training each element draws a ~ U(lower, upper); in eval a = (lower + upper)/2.

    Args:
        lower: the smallest slope (default 1/8).
        upper: the largest slope (default 1/3).
        inplace: write the result into the input tensor instead of a new one (default False).

    Shape:
        input (*) -> output (*), the same shape (the function is applied to each element).

    Example:
        >>> x = ember.tensor([-2.0, -0.5, 0.0, 1.0, 3.0])
        >>> nn.RReLU().eval()(x)
        tensor([-0.4583, -0.1146,  0.0000,  1.0000,  3.0000])
    """

    def __init__(self, lower: float = 1.0 / 8, upper: float = 1.0 / 3, inplace: bool = False) -> None:
        super().__init__()
        self.lower = lower
        self.upper = upper
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.rrelu(input, self.lower, self.upper, self.training, self.inplace)

    def extra_repr(self) -> str:
        return f"lower={self.lower}, upper={self.upper}{_inplace_str(self.inplace)}"
