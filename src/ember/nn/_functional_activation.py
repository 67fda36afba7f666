"""Linear maps and activations of ``nn.functional``: linear, bilinear, relu, gelu, elu, softplus, glu, ... .

Each activation PyTorch records as one node is one block here: its node (the derivative in the docstring), then
the function; ``nn.functional`` re-exports them.
"""

from __future__ import annotations

import math
import warnings

from .. import kernels as K
from .. import ops as AF
from .._array import np
from .._core import dtype as D
from .._core import modes
from .._core.args import _float_data, _tensor_arg
from .._core.dims import _wrap_dim
from .._core.messages import _cname, _no_kernel
from .._core.meta import is_meta_array as _is_meta
from .._core.node import Node
from .._core.record import _record_on_result, _wrap_result
from .._core.tensor import Tensor, _wrap
from ..kernels import fused as KF
from ..kernels import special as S
from ..ops.creation import empty as _empty
from ..ops.creation import empty_like as _empty_like
from ..ops.inplace import apply_inplace, check_inplace
from ..ops.linalg import cosine_similarity, pairwise_distance  # noqa: F401  (re-exported, as in PyTorch)
from ..ops.shape import _unsafe_view
from ..ops.softmax import log_softmax as _core_log_softmax
from ..ops.softmax import softmax as _core_softmax
from ..ops.unary import ThresholdBackwardBackward0, _MaskedGradBackward, sigmoid, tanh  # noqa: F401
from ..ops.unary import relu as _core_relu

__all__ = ["dropout", "CeluBackward0", "CeluBackward1", "EluBackward0", "EluBackward1", "GeluBackward0", "GluBackward0",
           "HardshrinkBackward0", "HardsigmoidBackward0", "HardswishBackward0", "HardtanhBackward0",
           "LeakyReluBackward0", "LeakyReluBackward1", "LogSigmoidBackward0", "MishBackward0",
           "PreluKernelBackward0", "RreluWithNoiseBackward0", "RreluWithNoiseBackward1", "SiluBackward0",
           "SoftplusBackward0", "SoftshrinkBackward0", "ThresholdBackward0", "ThresholdBackward1", "bilinear",
           "celu", "elu", "elu_", "gelu", "glu", "gumbel_softmax", "hardshrink", "hardsigmoid", "hardswish",
           "hardtanh", "hardtanh_", "leaky_relu", "leaky_relu_", "linear", "log_softmax", "logsigmoid",
           "mish", "prelu", "relu", "relu6", "relu_", "rrelu", "rrelu_", "selu", "silu", "softmax", "softmin",
           "softplus", "softshrink", "softsign", "tanhshrink", "threshold", "threshold_"]  # what nn.functional star-imports (the in-place helpers stay here)


_grad_mode = modes.grad
_fw = modes.forward


def _plain_backward() -> bool:
    """A backward formula may run on the arrays (kernels.fused): it is not being recorded (no create_graph) and no
    forward-mode tangent goes through it (a jvp derived from backward differentiates the formula)."""
    return not _grad_mode.enabled and _fw.level is None


# =====================================================================================================
# Linear
# =====================================================================================================


def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """y = x Wᵀ + b: one BLAS call, recorded as PyTorch does (AddmmBackward0 / MmBackward0, TBackward0 on W)."""
    if not isinstance(input, Tensor) or not isinstance(weight, Tensor) or not (bias is None
                                                                              or isinstance(bias, Tensor)):
        _tensor_arg("linear", ("input", 1, input), ("weight", 2, weight), ("bias", 3, input if bias is None else bias))
    nd = input.ndim
    if weight.ndim != 2:
        if nd == 0 or weight.ndim == 0:
            raise RuntimeError(f"both arguments to linear need to be at least 1D, but they are {nd}D and "
                               f"{weight.ndim}D")
        if weight.ndim == 1:
            if bias is not None:  # PyTorch's addmm path
                raise RuntimeError("mat2 must be a matrix, got 1-D tensor")
            return AF.matmul(input, weight)  # PyTorch's matmul path: x · w over the last dim
    wt = AF.t(weight)
    if nd == 2:
        return AF.addmm(bias, input, wt) if bias is not None else AF.mm(input, wt)
    if nd == 1:
        if bias is not None:  # PyTorch views x as one row here (ViewBackward0), and unsqueezes it without a bias
            return AF.view(AF.addmm(bias, AF.view(input, (1, input.shape[0])), wt), (weight.shape[0],))
        return AF.squeeze(AF.mm(AF.unsqueeze(input, 0), wt), 0, _name="SqueezeBackward4")
    if nd == 0:
        raise RuntimeError("both arguments to linear need to be at least 1D, but they are 0D and "
                           f"{weight.ndim}D")
    out_shape = tuple(input.shape[:-1]) + (weight.shape[0],)
    x2 = AF.reshape(input, (-1, input.shape[-1]))
    if bias is not None:
        return AF.view(AF.addmm(bias, x2, wt), out_shape)
    return _unsafe_view(AF.mm(x2, wt), out_shape)


def _dim_size(t: Tensor, d: int) -> int:
    """``t.size(d)`` with PyTorch's IndexErrors"""
    n = t.ndim
    if n == 0:
        raise IndexError(f"Dimension specified as {d} but tensor has no dimensions")
    if not -n <= d < n:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {d})")
    return t.shape[d]


def bilinear(input1: Tensor, input2: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """y_k = x1ᵀ W_k x2 + b_k."""
    if type(input1) is not Tensor or type(input2) is not Tensor or type(weight) is not Tensor or not (
            bias is None or isinstance(bias, Tensor)):
        _tensor_arg("bilinear", ("input1", 1, input1), ("input2", 2, input2), ("weight", 3, weight),
                    *(() if bias is None else (("bias", 4, bias),)))
    dts = [t._data.dtype for t in (input1, input2, weight, bias) if t is not None]
    if any(d != dts[0] for d in dts):
        names = ", ".join(f"{n}: {_cname(t._data)}" for n, t in (("input1", input1), ("input2", input2),
                                                                ("weight", weight), ("bias", bias)) if t is not None)
        raise RuntimeError(f"All tensors must have the same dtype, got {names}")
    if input1.shape[:-1] != input2.shape[:-1]:
        if input1.ndim != input2.ndim:
            raise RuntimeError(f"bilinear(): input dimensions do not match: got {input1.ndim} and {input2.ndim}")
        d = next(i for i in range(input1.ndim - 1) if input1.shape[i] != input2.shape[i])
        raise RuntimeError(f"bilinear(): input batch dimensions do not match at dim {d}: got {input1.shape[d]} and "
                           f"{input2.shape[d]}")
    if weight.ndim != 3 or input1.ndim == 0 or (bias is not None and bias.ndim == 0) or \
            input1.shape[-1] != weight.shape[1] or input2.shape[-1] != weight.shape[2] or \
            (bias is not None and bias.shape[0] != weight.shape[0]):
        for k, (t, d) in enumerate(((input1, -1), (weight, 1), (input2, -1), (weight, 2))):
            _dim_size(t, d)
            if k == 1 and input1.shape[-1] != weight.shape[1]:
                raise RuntimeError(f"bilinear(): input1 size does not match weight size: got {input1.shape[-1]} but "
                                   f"expected {weight.shape[1]}")
            if k == 3 and input2.shape[-1] != weight.shape[2]:
                raise RuntimeError(f"bilinear(): input2 size does not match weight size: got {input2.shape[-1]} but "
                                   f"expected {weight.shape[2]}")
        if bias is not None and _dim_size(bias, 0) != weight.shape[0]:
            raise RuntimeError(f"bilinear(): bias size does not match weight size: got {bias.shape[0]} but expected "
                               f"{weight.shape[0]}")
        raise RuntimeError("number of dimensions must match")
    if input1._data.dtype == np.bool_:
        raise NotImplementedError("\"bmm\" not implemented for 'Bool'")
    y = AF.einsum("...i,kij,...j->...k", input1, weight, input2)
    return y + bias if bias is not None else y


# =====================================================================================================
# Activations: one node each, backward in ember ops
# =====================================================================================================

class _Act(Node):
    """Elementwise activation: dL/dx = g · f'(x), with ``rule(node, g, x)`` giving that product. Its Jacobian is
    diagonal, so the same rule gives forward mode's tangent: dy = f'(x) · dx."""

    rule = None
    double = None  # for g · (a mask of x): the node PyTorch records for this backward under create_graph

    def backward(self, g):
        (x,) = self.saved_values()
        cls = type(self)
        if cls.double is None or not _grad_mode.enabled or not x._requires_grad:
            return (cls.rule(self, g, x),)
        _grad_mode.enabled = False  # the backward is one op, recorded below, not the ops of the rule
        try:
            r = cls.rule(self, g, x)
        finally:
            _grad_mode.enabled = True
        _record_on_result(r, cls.double, (g, x), saved=(x,), versions=(None,), **self.double_attrs())
        return (r,)

    def double_attrs(self) -> dict:
        return {"act": self}

    def jvp(self, t):
        (x,) = self.saved_values()
        return type(self).rule(self, t, x)


def _unary(x: Tensor, arr: np.ndarray, node_cls, **attrs) -> Tensor:
    """Record an elementwise activation, its attributes given to the node at record time (forward mode reads
    them too)."""
    return _wrap_result(arr, node_cls, (x,), saved=(x,), **attrs)


def _inplace_result(input: Tensor, result: Tensor) -> Tensor:
    check_inplace(input)
    return apply_inplace(input, result)


def _np(x: Tensor) -> np.ndarray:
    return _float_data(x)


def _float_only(x: Tensor, kernel: str) -> None:
    """PyTorch has no integer or bool kernel for ``kernel``: its NotImplementedError."""
    if x._data.dtype.kind in "biu":
        _no_kernel(kernel, x)


class _ActBackwardBackward(_MaskedGradBackward):
    """z = g · f'(x) for a piecewise-linear activation f (its backward, recorded under create_graph):
    dz/dg = f'(x);  dz/dx = 0.  ``act`` is the activation's node, whose rule gives f'(x) · v."""

    def apply_mask(self, v, x):
        return type(self.act).rule(self.act, v, x)


class HardtanhBackwardBackward0(_ActBackwardBackward):
    """z = [lo < x < hi] · g:  dz/dg = [lo < x < hi];  dz/dx = 0"""


class HardtanhBackward0(_Act):
    """y = clamp(x, lo, hi):  dy/dx = [lo < x < hi]"""
    rule = staticmethod(lambda n, g, x: g * ~((x <= n.lo) | (x >= n.hi)))  # a NaN passes its gradient on
    double = HardtanhBackwardBackward0


def hardtanh(input: Tensor, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False,
             _unchecked: bool = False) -> Tensor:
    """clamp(x, min_val, max_val)."""
    if min_val > max_val and not _unchecked:
        raise ValueError("min_val cannot be greater than max_val")
    d = input._data
    if d.dtype.kind in "iu":  # PyTorch clamps integers with the bounds cast to the integer type
        lo, hi = d.dtype.type(int(min_val)), d.dtype.type(int(max_val))
    else:
        lo, hi = d.dtype.type(min_val), d.dtype.type(max_val)
    r = _unary(input, np.minimum(np.maximum(d, lo), hi), HardtanhBackward0, lo=min_val, hi=max_val)
    return _inplace_result(input, r) if inplace else r


def relu6(input: Tensor, inplace: bool = False) -> Tensor:
    """min(max(x, 0), 6)."""
    return hardtanh(input, 0.0, 6.0, inplace)


def relu_(input: Tensor) -> Tensor:
    return _inplace_result(input, _core_relu(input))


def relu(input: Tensor, inplace: bool = False) -> Tensor:
    """max(x, 0)."""
    r = _core_relu(input)
    return _inplace_result(input, r) if inplace else r


def _leaky_rule(n, g, x):
    return AF.where(x > 0, g, g * n.slope)


class LeakyReluBackwardBackward0(_ActBackwardBackward):
    """z = (1 if x > 0 else s) · g:  dz/dg = 1 if x > 0 else s;  dz/dx = 0"""


class LeakyReluBackward0(_Act):
    """y = x if x > 0 else s·x:  dy/dx = 1 if x > 0 else s"""
    rule = staticmethod(_leaky_rule)
    double = LeakyReluBackwardBackward0


def _leaky_inplace_rule(n, g, x):
    if n.slope < 0:
        raise RuntimeError("In-place leakyReLu backward calculation is triggered with a negative slope which is not "
                           "supported. This is caused by calling in-place forward function with a negative slope, "
                           "please call out-of-place version instead. File an issue at "
                           "https://github.com/pytorch/pytorch if you do require supporting in-place leakRelu "
                           "backward calculation with negative slope")
    return _leaky_rule(n, g, x)


class LeakyReluBackward1(_Act):
    """in-place leaky_relu_:  dy/dx = 1 if y > 0 else s (PyTorch refuses a negative slope)"""
    rule = staticmethod(_leaky_inplace_rule)


def leaky_relu(input: Tensor, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:
    """x if x > 0 else negative_slope · x."""
    _float_only(input, "leaky_relu_cpu")
    d = input._data
    r = _unary(input, np.where(d > 0, d, d * d.dtype.type(negative_slope)),
               LeakyReluBackward1 if inplace else LeakyReluBackward0, slope=negative_slope)
    return _inplace_result(input, r) if inplace else r


def _elu_rule(n, g, x):
    name = type(n).__name__
    if name[0] == "E":
        s = e = n.input_scale
    else:  # celu's backward takes its input scale as 1/float(α) (PyTorch's alpha.toFloat()); the in-place
        s = 1.0 / float(np.float32(n.alpha))  # form reads exp(x/α) back from its result
        e = n.input_scale if name.endswith("1") else s
    neg = g * (AF.exp(x * e) * (n.alpha * n.scale * s))
    return AF.where(x > 0, g * n.scale, neg)


class EluBackward0(_Act):
    """y = scale·(x if x > 0 else α(e^(x·input_scale) - 1)):  dy/dx = scale if x > 0 else
    scale·α·input_scale·e^(x·input_scale)"""
    rule = staticmethod(_elu_rule)


class EluBackward1(_Act):
    """in-place elu_: the same derivative, from the output"""
    rule = staticmethod(_elu_rule)


class CeluBackward0(_Act):
    """y = max(0, x) + min(0, α(e^(x/α) - 1)):  dy/dx = 1 if x > 0 else e^(x/α)"""
    rule = staticmethod(_elu_rule)


class CeluBackward1(_Act):
    """in-place celu_: the same derivative, from the output"""
    rule = staticmethod(_elu_rule)


def _elu(input, alpha, scale, input_scale, node_cls, inplace):
    _float_only(input, "elu_cpu")
    d = _np(input)
    ty = d.dtype.type
    with np.errstate(over="ignore"):
        neg = np.expm1(d * ty(input_scale)) * ty(alpha * scale)
    if inplace:
        node_cls = EluBackward1 if node_cls is EluBackward0 else CeluBackward1
    r = _unary(input, np.where(d > 0, d * ty(scale), neg), node_cls, alpha=alpha, scale=scale,
               input_scale=input_scale)
    return _inplace_result(input, r) if inplace else r


def elu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """x if x > 0 else α(eˣ - 1)."""
    return _elu(input, alpha, 1.0, 1.0, EluBackward0, inplace)


_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def selu(input: Tensor, inplace: bool = False) -> Tensor:
    """scale · elu(x, α) with the self-normalising constants."""
    return _elu(input, _SELU_ALPHA, _SELU_SCALE, 1.0, EluBackward0, inplace)


def celu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """x if x > 0 else α(e^(x/α) - 1)."""
    return _elu(input, alpha, 1.0, 1.0 / alpha, CeluBackward0, inplace)


_SQRT_2 = math.sqrt(2.0)
_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)


def _gelu_rule(n, g, x):
    if n.approximate == "tanh":
        inner = (x + x * x * x * 0.044715) * _SQRT_2_OVER_PI
        th = AF.tanh(inner)
        d = (th + 1) * 0.5 + x * (1 - th * th) * ((x * x * (3 * 0.044715) + 1) * (0.5 * _SQRT_2_OVER_PI))
        return g * d
    cdf = (AF.erf(x * (1 / _SQRT_2)) + 1) * 0.5
    pdf = AF.exp(x * x * -0.5) * _INV_SQRT_2PI
    return g * (cdf + x * pdf)


class GeluBackward0(_Act):
    """y = x Φ(x) (or its tanh approximation):  dy/dx = Φ(x) + x φ(x)  (saves x and the forward's 1 + erf, or tanh)"""
    rule = staticmethod(_gelu_rule)

    def backward(self, g):
        (x,) = self.saved_values()
        if _plain_backward():  # not recorded: from the forward's erf/tanh, in NumPy (kernels.fused)
            if self.inner is None:  # a small float32 tensor: PyTorch's own kernel, bit for bit (kernels.special)
                return (_wrap(S.gelu_grad(x._data, g._data, self.approximate)),)
            return (_wrap(KF.gelu_backward(g._data, x._data, self.inner, self.approximate)),)
        return (_gelu_rule(self, g, x),)

    def release(self):
        super().release()
        self.inner = None


def gelu(input: Tensor, approximate: str = "none") -> Tensor:
    """x·Φ(x) (or its tanh approximation 0.5x(1 + tanh(√(2/π)(x + 0.044715x³))))."""
    if approximate not in ("none", "tanh"):
        raise RuntimeError("approximate argument must be either none or tanh.")
    _float_only(input, "GeluKernelImpl")
    d = _np(input)
    ty = d.dtype.type
    if approximate == "tanh":
        inner = np.tanh(ty(_SQRT_2_OVER_PI) * (d + ty(0.044715) * d * d * d))
        r = ty(0.5) * d * (ty(1) + inner)
    elif ty is np.float32 and 1 < d.size <= S.GELU_EXACT_MAX and not _is_meta(d):  # what a user prints:
        # PyTorch's own kernel replayed (not for meta arrays, which carry no values)
        r, inner = S.gelu(d), None
    else:
        inner = S.erf(d * ty(1 / _SQRT_2))
        inner += ty(1)  # 1 + erf(x/√2), which the backward uses too
        r = d * ty(0.5)
        r *= inner
        if ty is np.float32 and r.size > 1:  # PyTorch's vectorised float32 kernel answers nan for +inf
            pos_inf = d == np.inf
            if pos_inf.any():
                r[pos_inf] = np.nan
    return _unary(input, r, GeluBackward0, approximate=approximate, inner=inner)


def _silu_rule(n, g, x):
    s = AF.sigmoid(x)
    return g * (s * (x * (1 - s) + 1))


class SiluBackward0(_Act):
    """y = x σ(x):  dy/dx = σ(x) (1 + x (1 - σ(x)))"""
    rule = staticmethod(_silu_rule)


def silu(input: Tensor, inplace: bool = False) -> Tensor:
    """x·σ(x)."""
    _float_only(input, "silu_cpu")
    d = _np(input)
    r = _unary(input, d * K.logistic(d), SiluBackward0)
    return _inplace_result(input, r) if inplace else r


def _softplus_np(d: np.ndarray, beta: float, threshold: float) -> np.ndarray:
    ty = d.dtype.type
    bx = d * ty(beta)
    with np.errstate(over="ignore"):
        soft = np.log1p(np.exp(bx)) / ty(beta)
    return np.where(bx > threshold, d, soft)


def _softplus_rule(n, g, x):
    bx = x * n.beta
    return AF.where(bx > n.threshold, g, g * AF.sigmoid(bx))


class SoftplusBackward0(_Act):
    """y = ln(1 + e^(βx))/β (x above threshold/β: x):  dy/dx = σ(βx) (1 above the threshold)"""
    rule = staticmethod(_softplus_rule)


def softplus(input: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    """log(1 + e^(βx))/β (x itself where βx > threshold)."""
    _float_only(input, "softplus_cpu")
    return _unary(input, _softplus_np(_np(input), beta, threshold), SoftplusBackward0, beta=beta,
                  threshold=threshold)


def _mish_rule(n, g, x):
    th = AF.tanh(softplus(x))
    return g * (th + x * AF.sigmoid(x) * (1 - th * th))


class MishBackward0(_Act):
    """y = x tanh(softplus x):  dy/dx = tanh(sp) + x σ(x) (1 - tanh²(sp))"""
    rule = staticmethod(_mish_rule)


def mish(input: Tensor, inplace: bool = False) -> Tensor:
    """x·tanh(softplus(x))."""
    _float_only(input, "mish_cpu")
    d = _np(input)
    r = _unary(input, d * np.tanh(_softplus_np(d, 1.0, 20.0)), MishBackward0)
    return _inplace_result(input, r) if inplace else r


class HardswishBackward0(_Act):
    """y = x·relu6(x + 3)/6:  dy/dx = 0 below -3, (2x + 3)/6 in [-3, 3], 1 above"""
    rule = staticmethod(lambda n, g, x: AF.where(x < -3, g * 0, AF.where(x <= 3, g * (x / 3 + 0.5), g)))


def hardswish(input: Tensor, inplace: bool = False) -> Tensor:
    """x · relu6(x + 3) / 6."""
    _float_only(input, "hardswish_cpu")
    d = _np(input)
    ty = d.dtype.type
    r = _unary(input, d * np.clip(d + ty(3), 0, 6) / ty(6), HardswishBackward0)
    return _inplace_result(input, r) if inplace else r


_ONE_SIXTH_F32 = float(np.float32(1 / 6))  # PyTorch's kernel uses the float constant 1.0f/6.0f for every dtype
class HardsigmoidBackward0(_Act):
    """y = relu6(x + 3)/6:  dy/dx = 1/6 in (-3, 3), else 0"""
    rule = staticmethod(lambda n, g, x: g * ((x > -3) & (x < 3)) * _ONE_SIXTH_F32)


def hardsigmoid(input: Tensor, inplace: bool = False) -> Tensor:
    """relu6(x + 3) / 6."""
    _float_only(input, "hardsigmoid_cpu")
    d = _np(input)
    ty = d.dtype.type
    r = _unary(input, np.clip(d + ty(3), 0, 6) / ty(6), HardsigmoidBackward0)
    return _inplace_result(input, r) if inplace else r


class LogSigmoidBackward0(_Act):
    """y = ln σ(x):  dy/dx = σ(-x)"""
    rule = staticmethod(lambda n, g, x: g * AF.sigmoid(-x))


def logsigmoid(input: Tensor) -> Tensor:
    """log σ(x) = min(x, 0) - log(1 + e^-|x|)."""
    if not isinstance(input, Tensor):
        _tensor_arg("log_sigmoid", ("input", 1, input))
    _float_only(input, "log_sigmoid_cpu")
    d = _np(input)
    return _unary(input, np.minimum(d, 0) - np.log1p(np.exp(-np.abs(d))), LogSigmoidBackward0)


def _threshold_rule(n, g, x):
    return g * ~(x <= n.threshold)  # a NaN passes its gradient on, as PyTorch's


class ThresholdBackward0(_Act):
    """y = x if x > threshold else value:  dy/dx = [x > threshold]"""
    rule = staticmethod(_threshold_rule)
    double = ThresholdBackwardBackward0

    def double_attrs(self) -> dict:
        return {"threshold": self.threshold}


class ThresholdBackward1(_Act):
    """in-place threshold_:  dy/dx = [y > threshold]"""
    rule = staticmethod(_threshold_rule)


def threshold(input: Tensor, threshold: float, value: float, inplace: bool = False) -> Tensor:
    """x if x > threshold else value."""
    d = input._data
    r = _unary(input, np.where(d <= threshold, d.dtype.type(value), d),
               ThresholdBackward1 if inplace else ThresholdBackward0, threshold=threshold)
    return _inplace_result(input, r) if inplace else r


class HardshrinkBackwardBackward0(_ActBackwardBackward):
    """z = [|x| > λ] · g:  dz/dg = [|x| > λ];  dz/dx = 0"""


class HardshrinkBackward0(_Act):
    """y = x where |x| > λ, else 0:  dy/dx = [|x| > λ]"""
    rule = staticmethod(lambda n, g, x: g * ~((x >= -n.lambd) & (x <= n.lambd)))
    double = HardshrinkBackwardBackward0


class SoftshrinkBackwardBackward0(_ActBackwardBackward):
    """z = [|x| > λ] · g:  dz/dg = [|x| > λ];  dz/dx = 0"""


class SoftshrinkBackward0(_Act):
    """y = x - λ sign x where |x| > λ, else 0:  dy/dx = [|x| > λ]"""
    rule = staticmethod(lambda n, g, x: g * ~((x >= -n.lambd) & (x <= n.lambd)))
    double = SoftshrinkBackwardBackward0


def hardshrink(input: Tensor, lambd: float = 0.5) -> Tensor:
    """x if |x| > λ else 0."""
    _float_only(input, "hardshrink_cpu")
    d = input._data
    return _unary(input, np.where((d >= -lambd) & (d <= lambd), d.dtype.type(0), d), HardshrinkBackward0,
                  lambd=lambd)


def softshrink(input: Tensor, lambd: float = 0.5) -> Tensor:
    """x - λ·sign(x) if |x| > λ else 0."""
    _float_only(input, "softshrink_check")
    d = input._data
    ty = d.dtype.type
    with np.errstate(invalid="ignore"):  # ±inf · 0 where the value is not taken
        r = np.where(d > lambd, d - ty(lambd), np.where(d < -lambd, d + ty(lambd), d * ty(0)))  # NaN stays NaN
    return _unary(input, r, SoftshrinkBackward0, lambd=lambd)


def softsign(input: Tensor) -> Tensor:
    """x / (1 + |x|)."""
    return input / (AF.abs(input) + 1)


def tanhshrink(input: Tensor) -> Tensor:
    """x - tanh(x)."""
    return input - AF.tanh(input)


def softmin(input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype=None) -> Tensor:
    """softmax(-x)."""
    if dim is None:
        _implicit_dim_warning("softmin", _stacklevel)
    return _core_softmax(-input, dim, dtype=dtype)


def _implicit_dim_warning(name: str, stacklevel: int = 3) -> None:
    # PyTorch's _get_softmax_dim: F.softmax's _stacklevel=3 names the caller's line (nn.Softmax passes 5)
    warnings.warn(f"Implicit dimension choice for {name} has been deprecated. Change the call to include dim=X "
                  "as an argument.", UserWarning, stacklevel=stacklevel)


class GluBackward0(Node):
    """y = a·σ(b) with (a, b) the halves of x:  da = g σ(b), db = g a σ(b)(1 - σ(b))"""

    def backward(self, g):
        (x,) = self.saved_values()
        a, b = AF.chunk(x, 2, self.dim)
        s = AF.sigmoid(b)
        return (AF.cat([g * s, g * a * s * (1 - s)], self.dim),)


def glu(input: Tensor, dim: int = -1) -> Tensor:
    """a·σ(b), where a and b are the two halves of x along ``dim``."""
    if input.ndim == 0:
        raise RuntimeError("glu does not support scalars because halving size must be even")
    d = _wrap_dim(dim, input.ndim)
    _float_only(input, "glu_cpu")
    if input.shape[d] % 2:
        raise RuntimeError(f"Halving dimension must be even, but dimension {d} is size {input.shape[d]}")
    a, b = np.split(_np(input), 2, axis=d)
    return _unary(input, a * K.logistic(b), GluBackward0, dim=d)


class PreluKernelBackward0(Node):
    """y = x if x > 0 else w·x (w per channel):  dx = g·(1 or w), dw = Σ g·x·[x ≤ 0]"""

    def backward(self, g):
        x, w = self.saved_values()
        wb = AF.reshape(w, self.wshape)
        gx = AF.where(x > 0, g, g * wb) if self.next[0] is not None else None
        gw = None
        if self.next[1] is not None:
            contrib = AF.where(x > 0, g * 0, g * x)
            dims = tuple(i for i in range(x.ndim) if not (i == 1 and w.numel() > 1))
            gw = AF.reshape(AF.sum(contrib, dims) if dims else contrib, w.shape)
        return (gx, gw)

    def jvp(self, tx, tw):
        x, w = self.saved_values()
        wb = AF.reshape(w, self.wshape)
        neg = (tx * wb if tx is not None else 0) + (x * AF.reshape(tw, self.wshape) if tw is not None else 0)
        return AF.where(x > 0, tx if tx is not None else x * 0, neg)


def prelu(input: Tensor, weight: Tensor) -> Tensor:
    """x if x > 0 else w·x, with one w per channel (dim 1) or one for all."""
    n = weight.numel()
    if n != 1 and (input.ndim < 2 or input.shape[1] != n):
        ch = input.shape[1] if input.ndim >= 2 else 1
        raise RuntimeError(f"Mismatch of parameter numbers and input channel size. Found parameter numbers = "
                           f"{n} and channel size = {ch}.")
    wshape = [1] * input.ndim
    if n != 1:
        wshape[1] = n
    wshape = tuple(wshape)
    d = input._data
    r = np.where(d > 0, d, d * weight._data.reshape(wshape))
    return _wrap_result(r, PreluKernelBackward0, (input, weight), saved=(input, weight), wshape=wshape)


class RreluWithNoiseBackward0(Node):
    """y = x·r with r = 1 where x > 0, else a slope (drawn from U(lower, upper) when training, (lower+upper)/2
    otherwise):  dx = g·r"""

    def backward(self, g):
        return (g * _wrap(self.noise),)

    def jvp(self, t):
        return t * _wrap(self.noise)


class RreluWithNoiseBackward1(RreluWithNoiseBackward0):
    """The in-place form: y = x·r:  dx = g·r (PyTorch has no forward mode for it)"""

    def jvp(self, t):
        raise NotImplementedError("Trying to use forward AD with rrelu_with_noise_ that does not support it because "
                                  "it has not been implemented yet.\nPlease file an issue to PyTorch at "
                                  "https://github.com/pytorch/pytorch/issues/new?template=feature-request.yml so "
                                  "that we can prioritize its implementation.")


def rrelu(input: Tensor, lower: float = 1.0 / 8, upper: float = 1.0 / 3, training: bool = False,
          inplace: bool = False) -> Tensor:
    """x if x > 0 else r·x: r ~ U(lower, upper) per element when training, (lower + upper)/2 otherwise."""
    if inplace:
        AF.check_inplace(input)
    _float_only(input, "rrelu_with_noise_out_cpu" if training else "leaky_relu_cpu")
    d = _np(input)
    ty = d.dtype.type
    if training:
        # PyTorch draws one double uniform per non-positive element, in memory order
        neg = d <= 0
        noise = np.ones_like(d)
        k = int(neg.sum())
        if k:  # U(0, 1) from the stream, then x·(upper - lower) + lower with two roundings (no FMA there)
            u = _empty(k, dtype=D.float64).uniform_(0.0, 1.0)._data
            noise[neg] = (u * (upper - lower) + lower).astype(d.dtype)
        out = d * noise
    else:
        slope = ty((lower + upper) / 2)
        noise = np.where(d > 0, ty(1), slope)
        out = np.where(d > 0, d, d * slope)
    r = _wrap_result(out, RreluWithNoiseBackward1 if inplace else RreluWithNoiseBackward0, (input,), noise=noise)
    return _inplace_result(input, r) if inplace else r


def rrelu_(input: Tensor, lower: float = 1.0 / 8, upper: float = 1.0 / 3, training: bool = False) -> Tensor:
    """In-place rrelu."""
    return rrelu(input, lower, upper, training, inplace=True)


# simple aliases PyTorch's functional offers
def sigmoid_(input: Tensor) -> Tensor:
    return _inplace_result(input, sigmoid(input))


def tanh_(input: Tensor) -> Tensor:
    return _inplace_result(input, tanh(input))


def elu_(input: Tensor, alpha: float = 1.0) -> Tensor:
    return elu(input, alpha, True)


def leaky_relu_(input: Tensor, negative_slope: float = 0.01) -> Tensor:
    return leaky_relu(input, negative_slope, True)


def hardtanh_(input: Tensor, min_val: float = -1.0, max_val: float = 1.0) -> Tensor:
    return hardtanh(input, min_val, max_val, True, _unchecked=True)  # PyTorch's hardtanh_ checks no bounds


def threshold_(input: Tensor, threshold: float, value: float) -> Tensor:
    return _threshold(input, threshold, value, True)


_threshold = threshold


def softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype=None) -> Tensor:
    """e^x / Σ_dim e^x."""
    if dim is None:
        _implicit_dim_warning("softmax", _stacklevel)
    return _core_softmax(input, dim, dtype=dtype)


def log_softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype=None) -> Tensor:
    """x - log Σ_dim e^x (computed stably)."""
    if dim is None:
        _implicit_dim_warning("log_softmax", _stacklevel)
    return _core_log_softmax(input, dim, dtype=dtype)




def gumbel_softmax(logits: Tensor, tau: float = 1, hard: bool = False, eps: float = 1e-10,
                   dim: int = -1) -> Tensor:
    """softmax((logits + Gumbel noise) / τ), optionally one-hot in the forward (straight-through)."""
    gumbels = -AF.log(_empty_like(logits).exponential_())
    y = softmax((logits + gumbels) / tau, dim)
    if not hard:
        return y
    index = AF.argmax(y, dim, keepdim=True)
    y_hard = AF.zeros_like(logits)
    y_hard._data[...] = 0
    np.put_along_axis(y_hard._data, index._data, 1.0, axis=_wrap_dim(dim, logits.ndim))
    return y_hard - y.detach() + y


# =====================================================================================================
# dropout (nn.functional's, and the one attention applies: PyTorch's RNG stream)
# =====================================================================================================

def _check_p(p: float) -> None:
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")


def dropout(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """x · Bernoulli(1 - p) / (1 - p) when training, x otherwise."""
    _check_p(p)
    if not training or p == 0.0:
        return input
    if p == 1.0:
        mask = AF.zeros_like(input)
    else:
        mask = _empty_like(input).bernoulli_(1 - p)
        mask._data /= mask._data.dtype.type(1 - p)
    r = input * mask
    return _inplace_result(input, r) if inplace else r
