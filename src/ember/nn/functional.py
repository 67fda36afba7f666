"""``nn.functional``: the stateless forms of the layers, activations and losses.

Ops that PyTorch records as one node (``GeluBackward0``, ``MseLossBackward0``, ``NativeLayerNormBackward0``...)
are one node here too: a NumPy forward and a ``Node`` whose backward is written with ember's own ops, so that
``create_graph=True`` differentiates it again. Ops PyTorch composes (softsign, l1_loss, kl_div) are composed.
"""

from __future__ import annotations

import math
import warnings

from .. import _dtype as D
from .. import _fidelity
from .._array import np
from .._compat import cosine_similarity, pairwise_distance  # noqa: F401  (re-exported, as in PyTorch)
from ..autograd import functions as AF
from ..autograd.functions import _edge, _float_data, _gm, _out, _record, sigmoid, tanh  # noqa: F401
from ..autograd.functions import log_softmax as _core_log_softmax
from ..autograd.functions import relu as _core_relu
from ..autograd.functions import softmax as _core_softmax
from ..autograd.graph import Node
from ..tensor import Tensor, _wrap

# =====================================================================================================
# Linear
# =====================================================================================================


def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """y = x Wᵀ + b: one BLAS call, recorded as PyTorch does (AddmmBackward0 / MmBackward0, TBackward0 on W)."""
    wt = AF.t(weight)
    nd = input.ndim
    if nd == 2:
        return AF.addmm(bias, input, wt) if bias is not None else AF.mm(input, wt)
    if nd == 1:
        x2 = AF.unsqueeze(input, 0)
        if bias is not None:
            return AF.view(AF.addmm(bias, x2, wt), (weight.shape[0],))
        return AF.squeeze(AF.mm(x2, wt), 0, _name="SqueezeBackward4")
    if nd == 0:
        raise RuntimeError("both arguments to linear need to be at least 1D, but they are 0D and "
                           f"{weight.ndim}D")
    out_shape = tuple(input.shape[:-1]) + (weight.shape[0],)
    x2 = AF.reshape(input, (-1, input.shape[-1]))
    if bias is not None:
        return AF.view(AF.addmm(bias, x2, wt), out_shape)
    return AF._unsafe_view(AF.mm(x2, wt), out_shape)


def bilinear(input1: Tensor, input2: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """y_k = x1ᵀ W_k x2 + b_k."""
    if input1.shape[:-1] != input2.shape[:-1]:
        raise RuntimeError(f"bilinear(): input batch dimensions do not match: got {list(input1.shape[:-1])} and "
                           f"{list(input2.shape[:-1])}")
    y = AF.einsum("...i,kij,...j->...k", input1, weight, input2)
    return y + bias if bias is not None else y


# =====================================================================================================
# Activations: one node each, backward in ember ops
# =====================================================================================================

class _Act(Node):
    """Elementwise activation: dL/dx = g · f'(x), with ``rule(node, g, x)`` giving that product."""

    rule = None

    def backward(self, g):
        (x,) = self.saved_values()
        return (type(self).rule(self, g, x),)


def _act_node(name: str, rule) -> type:
    return type(name, (_Act,), {"rule": staticmethod(rule)})


def _unary(x: Tensor, arr: np.ndarray, node_cls, **attrs) -> Tensor:
    t = _out(arr, node_cls, (x,), saved=(x,))
    if t.grad_fn is not None:
        for k, v in attrs.items():
            setattr(t.grad_fn, k, v)
    return t


def _inplace_result(input: Tensor, result: Tensor) -> Tensor:
    return input._inplace(result)


def _np(x: Tensor) -> np.ndarray:
    return _float_data(x)


HardtanhBackward0 = _act_node("HardtanhBackward0", lambda n, g, x: g * ((x > n.lo) & (x < n.hi)))


def hardtanh(input: Tensor, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False) -> Tensor:
    """clamp(x, min_val, max_val)."""
    if min_val > max_val:
        raise ValueError("min_val cannot be greater than max_val")
    r = _unary(input, np.clip(input._data, min_val, max_val), HardtanhBackward0, lo=min_val, hi=max_val)
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


LeakyReluBackward0 = _act_node("LeakyReluBackward0", lambda n, g, x: AF.where(x > 0, g, g * n.slope))


def leaky_relu(input: Tensor, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:
    """x if x > 0 else negative_slope · x."""
    d = input._data
    r = _unary(input, np.where(d > 0, d, d * d.dtype.type(negative_slope)), LeakyReluBackward0,
               slope=negative_slope)
    return _inplace_result(input, r) if inplace else r


def _elu_rule(n, g, x):
    neg = g * (AF.exp(x * n.input_scale) * (n.alpha * n.scale * n.input_scale))
    return AF.where(x > 0, g * n.scale, neg)


EluBackward0 = _act_node("EluBackward0", _elu_rule)
CeluBackward0 = _act_node("CeluBackward0", _elu_rule)


def _elu(input, alpha, scale, input_scale, node_cls, inplace):
    d = _np(input)
    ty = d.dtype.type
    with np.errstate(over="ignore"):
        neg = np.expm1(d * ty(input_scale)) * ty(alpha * scale)
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


GeluBackward0 = _act_node("GeluBackward0", _gelu_rule)


def gelu(input: Tensor, approximate: str = "none") -> Tensor:
    """x·Φ(x) (or its tanh approximation 0.5x(1 + tanh(√(2/π)(x + 0.044715x³))))."""
    if approximate not in ("none", "tanh"):
        raise RuntimeError("approximate argument must be either none or tanh.")
    d = _np(input)
    ty = d.dtype.type
    if approximate == "tanh":
        r = ty(0.5) * d * (ty(1) + np.tanh(ty(_SQRT_2_OVER_PI) * (d + ty(0.044715) * d * d * d)))
    else:
        r = d * ty(0.5) * (ty(1) + AF._erf_vec(d * ty(1 / _SQRT_2)))
    return _unary(input, r, GeluBackward0, approximate=approximate)


def _silu_rule(n, g, x):
    s = AF.sigmoid(x)
    return g * (s * (x * (1 - s) + 1))


SiluBackward0 = _act_node("SiluBackward0", _silu_rule)


def silu(input: Tensor, inplace: bool = False) -> Tensor:
    """x·σ(x)."""
    d = _np(input)
    r = _unary(input, d * AF._sigmoid_np(d), SiluBackward0)
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


SoftplusBackward0 = _act_node("SoftplusBackward0", _softplus_rule)


def softplus(input: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    """log(1 + e^(βx))/β (x itself where βx > threshold)."""
    return _unary(input, _softplus_np(_np(input), beta, threshold), SoftplusBackward0, beta=beta,
                  threshold=threshold)


def _mish_rule(n, g, x):
    th = AF.tanh(softplus(x))
    return g * (th + x * AF.sigmoid(x) * (1 - th * th))


MishBackward0 = _act_node("MishBackward0", _mish_rule)


def mish(input: Tensor, inplace: bool = False) -> Tensor:
    """x·tanh(softplus(x))."""
    d = _np(input)
    r = _unary(input, d * np.tanh(_softplus_np(d, 1.0, 20.0)), MishBackward0)
    return _inplace_result(input, r) if inplace else r


HardswishBackward0 = _act_node(
    "HardswishBackward0",
    lambda n, g, x: AF.where(x < -3, g * 0, AF.where(x <= 3, g * (x / 3 + 0.5), g)))


def hardswish(input: Tensor, inplace: bool = False) -> Tensor:
    """x · relu6(x + 3) / 6."""
    d = _np(input)
    ty = d.dtype.type
    r = _unary(input, d * np.clip(d + ty(3), 0, 6) / ty(6), HardswishBackward0)
    return _inplace_result(input, r) if inplace else r


_ONE_SIXTH_F32 = float(np.float32(1 / 6))  # PyTorch's kernel uses the float constant 1.0f/6.0f for every dtype
HardsigmoidBackward0 = _act_node("HardsigmoidBackward0",
                                 lambda n, g, x: g * ((x > -3) & (x < 3)) * _ONE_SIXTH_F32)


def hardsigmoid(input: Tensor, inplace: bool = False) -> Tensor:
    """relu6(x + 3) / 6."""
    d = _np(input)
    ty = d.dtype.type
    r = _unary(input, np.clip(d + ty(3), 0, 6) / ty(6), HardsigmoidBackward0)
    return _inplace_result(input, r) if inplace else r


LogSigmoidBackward0 = _act_node("LogSigmoidBackward0", lambda n, g, x: g * AF.sigmoid(-x))


def logsigmoid(input: Tensor) -> Tensor:
    """log σ(x) = min(x, 0) - log(1 + e^-|x|)."""
    d = _np(input)
    return _unary(input, np.minimum(d, 0) - np.log1p(np.exp(-np.abs(d))), LogSigmoidBackward0)


ThresholdBackward0 = _act_node("ThresholdBackward0", lambda n, g, x: g * (x > n.threshold))


def threshold(input: Tensor, threshold: float, value: float, inplace: bool = False) -> Tensor:
    """x if x > threshold else value."""
    d = input._data
    r = _unary(input, np.where(d > threshold, d, d.dtype.type(value)), ThresholdBackward0, threshold=threshold)
    return _inplace_result(input, r) if inplace else r


HardshrinkBackward0 = _act_node("HardshrinkBackward0", lambda n, g, x: g * ((x > n.lambd) | (x < -n.lambd)))
SoftshrinkBackward0 = _act_node("SoftshrinkBackward0", lambda n, g, x: g * ((x > n.lambd) | (x < -n.lambd)))


def hardshrink(input: Tensor, lambd: float = 0.5) -> Tensor:
    """x if |x| > λ else 0."""
    d = _np(input)
    return _unary(input, np.where(np.abs(d) > lambd, d, 0).astype(d.dtype), HardshrinkBackward0, lambd=lambd)


def softshrink(input: Tensor, lambd: float = 0.5) -> Tensor:
    """x - λ·sign(x) if |x| > λ else 0."""
    d = _np(input)
    ty = d.dtype.type
    r = np.where(d > lambd, d - ty(lambd), np.where(d < -lambd, d + ty(lambd), ty(0)))
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
        _implicit_dim_warning("softmin")
    return _core_softmax(-input, dim, dtype=dtype)


def _implicit_dim_warning(name: str) -> None:
    warnings.warn(f"Implicit dimension choice for {name} has been deprecated. Change the call to include dim=X "
                  "as an argument.", UserWarning, stacklevel=4)


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
    d = AF._wrap_dim(dim, input.ndim)
    if input.shape[d] % 2:
        raise RuntimeError(f"Halving dimension must be even, but dimension {d} is size {input.shape[d]}")
    a, b = np.split(_np(input), 2, axis=d)
    return _unary(input, a * AF._sigmoid_np(b), GluBackward0, dim=d)


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
    t = _out(r, PreluKernelBackward0, (input, weight), saved=(input, weight))
    if t.grad_fn is not None:
        t.grad_fn.wshape = wshape
    return t


def rrelu(input: Tensor, lower: float = 1.0 / 8, upper: float = 1.0 / 3, training: bool = False,
          inplace: bool = False) -> Tensor:
    """leaky_relu with slope (lower + upper)/2 in eval; a random slope per element in training."""
    if not training:
        return leaky_relu(input, (lower + upper) / 2, inplace)
    from .._creation import empty_like
    slope = empty_like(input).uniform_(lower, upper)
    r = AF.where(input >= 0, input, input * slope)
    return _inplace_result(input, r) if inplace else r


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
    return hardtanh(input, min_val, max_val, True)


def threshold_(input: Tensor, threshold_: float, value: float) -> Tensor:
    return threshold(input, threshold_, value, True)


def softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype=None) -> Tensor:
    """e^x / Σ_dim e^x."""
    if dim is None:
        _implicit_dim_warning("softmax")
    return _core_softmax(input, dim, dtype=dtype)


def log_softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype=None) -> Tensor:
    """x - log Σ_dim e^x (computed stably)."""
    if dim is None:
        _implicit_dim_warning("log_softmax")
    return _core_log_softmax(input, dim, dtype=dtype)




def gumbel_softmax(logits: Tensor, tau: float = 1, hard: bool = False, eps: float = 1e-10,
                   dim: int = -1) -> Tensor:
    """softmax((logits + Gumbel noise) / τ), optionally one-hot in the forward (straight-through)."""
    from .._creation import empty_like
    gumbels = -AF.log(empty_like(logits).exponential_())
    y = softmax((logits + gumbels) / tau, dim)
    if not hard:
        return y
    index = AF.argmax(y, dim, keepdim=True)
    y_hard = AF.zeros_like(logits)
    y_hard._data[...] = 0
    np.put_along_axis(y_hard._data, index._data, 1.0, axis=AF._wrap_dim(dim, logits.ndim))
    return y_hard - y.detach() + y


# =====================================================================================================
# Losses
# =====================================================================================================

_REDUCTIONS = ("none", "mean", "sum")


def _reduction(size_average, reduce, reduction: str) -> str:
    """The reduction string, honouring PyTorch's deprecated ``size_average`` / ``reduce`` flags."""
    if size_average is not None or reduce is not None:
        size_average = True if size_average is None else size_average
        reduce = True if reduce is None else reduce
        reduction = ("mean" if size_average else "sum") if reduce else "none"
        warnings.warn("size_average and reduce args will be deprecated, please use reduction='"
                      f"{reduction}' instead.", UserWarning, stacklevel=3)
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction")
    return reduction


def _reduce_np(loss: np.ndarray, reduction: str) -> np.ndarray:
    if reduction == "none":
        return loss
    s = _fidelity.sum_float32(loss, None)  # float32: PyTorch's adding order; mean is that sum / n
    if reduction == "mean":
        return np.asarray(loss.mean(dtype=loss.dtype) if s is None else s / np.float32(loss.size))
    return np.asarray(loss.sum(dtype=loss.dtype) if s is None else s)


def _reduce(loss: Tensor, reduction: str) -> Tensor:
    if reduction == "mean":
        return AF.mean(loss)
    if reduction == "sum":
        return AF.sum(loss)
    return loss


def _scale_grad(g: Tensor, n: int, reduction: str) -> Tensor:
    """dL/d(pointwise loss) from dL/d(reduced loss)."""
    if reduction == "mean":
        return g / n
    return g


def _check_same_size(input: Tensor, target: Tensor) -> None:
    if target._data.shape != input._data.shape:
        warnings.warn(f"Using a target size ({target.shape}) that is different to the input size ({input.shape}). "
                      "This will likely lead to incorrect results due to broadcasting. Please ensure they have the "
                      "same size.", UserWarning, stacklevel=3)


class _PointwiseLoss(Node):
    """loss = reduce(ℓ(x - t)):  dx = g' ℓ'(x - t), dt = -dx (g' is g spread over the elements)."""

    def backward(self, g):
        x, t = self.saved_values()
        gl = _scale_grad(g, self.numel, self.reduction)
        gx = gl * self.deriv(x - t)
        return (gx if self.next[0] is not None else None, -gx if self.next[1] is not None else None)


class MseLossBackward0(_PointwiseLoss):
    def deriv(self, d):
        return d * 2

    def backward(self, g):
        x, t = self.saved_values()
        xd, td, gd = x._data, t._data, g._data
        if _gm.enabled or not (xd.dtype == td.dtype == gd.dtype and xd.dtype.kind == "f"):
            return super().backward(g)
        # not recording, one float dtype: the same NumPy operations as the tensor formula, in the same
        # order (so the same roundings), without four ops' dispatch: ~15 us of seed 000's ~230 us epoch
        gl = gd / self.numel if self.reduction == "mean" else gd
        gx = _wrap(np.asarray(gl * ((xd - td) * 2)))
        return (gx if self.next[0] is not None else None, -gx if self.next[1] is not None else None)


class SmoothL1LossBackward0(_PointwiseLoss):
    def deriv(self, d):
        b = self.beta
        return AF.where(d <= -b, d * 0 - 1, AF.where(d >= b, d * 0 + 1, d / b))


class HuberLossBackward0(_PointwiseLoss):
    def deriv(self, d):
        return AF.clamp(d, -self.delta, self.delta)


def _pointwise_loss(input, target, reduction, node_cls, fn, **attrs):
    _check_same_size(input, target)
    x, t = input._data, target._data
    if x.dtype != t.dtype:
        rt = np.result_type(x, t)
        x, t = x.astype(rt, copy=False), t.astype(rt, copy=False)
    shape = x.shape
    if t.shape != shape:  # the common case (equal shapes) skips NumPy's broadcast_shapes, ~2 us
        try:
            shape = np.broadcast_shapes(x.shape, t.shape)
        except ValueError:
            raise RuntimeError(AF._bcast_message(x.shape, t.shape)) from None
    loss = _reduce_np(fn(x - t), reduction)
    in_shapes = (x.shape, t.shape) if (x.shape != shape or t.shape != shape) else None
    out = _out(loss, node_cls, (input, target), saved=(input, target), in_shapes=in_shapes)
    node = out.grad_fn
    if node is not None:
        node.reduction, node.numel = reduction, math.prod(shape)
        for k, v in attrs.items():
            setattr(node, k, v)
    return out


def mse_loss(input: Tensor, target: Tensor, size_average=None, reduce=None, reduction: str = "mean",
             weight=None) -> Tensor:
    """reduce((x - t)²)."""
    reduction = _reduction(size_average, reduce, reduction)
    return _pointwise_loss(input, target, reduction, MseLossBackward0, np.square)


def l1_loss(input: Tensor, target: Tensor, size_average=None, reduce=None, reduction: str = "mean",
            weight=None) -> Tensor:
    """reduce(|x - t|)."""
    reduction = _reduction(size_average, reduce, reduction)
    _check_same_size(input, target)
    return _reduce(AF.abs(input - target), reduction)


def smooth_l1_loss(input: Tensor, target: Tensor, size_average=None, reduce=None, reduction: str = "mean",
                   beta: float = 1.0) -> Tensor:
    """reduce(0.5 d²/β if |d| < β else |d| - 0.5β), d = x - t."""
    reduction = _reduction(size_average, reduce, reduction)
    if beta < 0:
        raise RuntimeError("smooth_l1_loss does not support negative values for beta.")
    if beta == 0:
        return l1_loss(input, target, reduction=reduction)

    def fn(d):
        z = np.abs(d)
        return np.where(z < beta, d.dtype.type(0.5) * z * z / d.dtype.type(beta), z - d.dtype.type(0.5 * beta))
    return _pointwise_loss(input, target, reduction, SmoothL1LossBackward0, fn, beta=beta)


def huber_loss(input: Tensor, target: Tensor, reduction: str = "mean", delta: float = 1.0,
               weight=None) -> Tensor:
    """reduce(0.5 d² if |d| ≤ δ else δ(|d| - 0.5δ)), d = x - t."""
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction")
    if delta <= 0:
        raise RuntimeError("huber_loss does not support non-positive values for delta.")

    def fn(d):
        z = np.abs(d)
        ty = d.dtype.type
        return np.where(z < delta, ty(0.5) * z * z, ty(delta) * (z - ty(0.5 * delta)))
    return _pointwise_loss(input, target, reduction, HuberLossBackward0, fn, delta=delta)


# -- negative log-likelihood and cross-entropy ------------------------------------------------------------

class NllLossBackward0(Node):
    """loss = -Σ w_t x[n, t_n] (/ Σ w_t for mean):  dx[n, t_n] = -w_t g (/ Σ w_t)"""

    def backward(self, g):
        (x,) = self.saved_values()
        coef = self.coef  # -w[t] for each sample (0 where ignored), already divided for 'mean'
        cd = self.class_dim
        g_each = g if self.reduction == "none" else AF.expand(g, self.target_shape)
        vals = g_each * _wrap(coef)
        grad = AF.zeros_like(x)
        idx = np.expand_dims(self.safe_target, cd)
        grad._data[...] = 0
        from ..autograd._indexing import scatter
        return (scatter(grad, cd, _wrap(idx), AF.unsqueeze(vals, cd)),)


class NllLoss2DBackward0(NllLossBackward0):
    pass


def _check_nll_shapes(input: Tensor, target: Tensor) -> None:
    if input.ndim < 1:
        raise ValueError(f"Expected 1 or more dimensions (got {input.ndim})")
    # PyTorch checks the shapes first, the target's dtype last
    if input.ndim == 1:
        if target.ndim > 1:
            raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
        _check_nll_dtype(target)
        return
    if input.shape[0] != target.shape[0] if target.ndim else True:
        if target.ndim == 0:
            raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
        raise ValueError(f"Expected input batch_size ({input.shape[0]}) to match target batch_size "
                         f"({target.shape[0]}).")
    if input.ndim == 2 and target.ndim != 1:
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    if input.ndim > 2 and tuple(target.shape) != tuple(input.shape[:1]) + tuple(input.shape[2:]):
        raise RuntimeError(f"Expected target size {_sz(input.shape[:1] + input.shape[2:])}, got "
                           f"{_sz(target.shape)}")
    _check_nll_dtype(target)


def _check_nll_dtype(target: Tensor) -> None:
    if target.dtype not in (D.int64, D.uint8):
        raise RuntimeError(f"expected target dtype to be Long or Byte, but got {_dtype_word(target)}")


def _dtype_word(t: Tensor) -> str:
    """PyTorch's scalar-type word for error messages: Float, Double, Long, ..."""
    return {"float32": "Float", "float64": "Double", "int32": "Int", "int16": "Short", "bool": "Bool",
            "float16": "Half", "int8": "Char", "int64": "Long", "uint8": "Byte"}.get(t.dtype.name, t.dtype.name)


def _sz(shape) -> str:
    return "[" + ", ".join(str(s) for s in shape) + "]"


def nll_loss(input: Tensor, target: Tensor, weight: Tensor | None = None, size_average=None,
             ignore_index: int = -100, reduce=None, reduction: str = "mean") -> Tensor:
    """-w_t · x[n, t_n], reduced (mean divides by Σ w_t over the non-ignored samples)."""
    reduction = _reduction(size_average, reduce, reduction)
    _check_nll_shapes(input, target)
    x = input._data
    cd = 0 if input.ndim == 1 else 1
    n_classes = x.shape[cd]
    if weight is not None and weight.numel() != n_classes:
        raise RuntimeError(f"weight tensor should be defined either for all {n_classes} classes or no classes but "
                           f"got weight tensor of shape: {_sz(weight.shape)}")
    t = target._data.astype(np.int64, copy=False)
    ignored = t == ignore_index
    bad = (~ignored) & ((t < 0) | (t >= n_classes))
    if bad.any():
        raise IndexError(f"Target {int(t[bad].flat[0])} is out of bounds.")
    safe = np.where(ignored, 0, t)
    picked = np.take_along_axis(x, np.expand_dims(safe, cd), cd).squeeze(cd)
    w = np.ones(n_classes, x.dtype) if weight is None else weight._data.astype(x.dtype, copy=False)
    wt = np.where(ignored, x.dtype.type(0), w[safe])
    coef = -wt
    if reduction == "none":
        loss = coef * picked
    elif reduction == "sum":
        loss = np.asarray((coef * picked).sum(dtype=x.dtype))
    else:
        total = wt.sum(dtype=x.dtype)
        with np.errstate(invalid="ignore", divide="ignore"):
            loss = np.asarray((coef * picked).sum(dtype=x.dtype) / total)
            coef = coef / total
    node_cls = NllLoss2DBackward0 if input.ndim > 2 else NllLossBackward0
    out = _out(loss, node_cls, (input,), saved=(input,))
    node = out.grad_fn
    if node is not None:
        node.coef, node.safe_target, node.class_dim = coef, safe, cd
        node.reduction, node.target_shape = reduction, t.shape
    return out


class DivBackward1(Node):
    """y = x / s for a Scalar s (PyTorch's div.Scalar):  dx = g / s"""

    def backward(self, g):
        return (g / self.scalar,)


def _div_scalar(x: Tensor, s) -> Tensor:
    out = _out(x._data / x._data.dtype.type(s), DivBackward1, (x,))
    if out.grad_fn is not None:
        out.grad_fn.scalar = s
    return out


def cross_entropy(input: Tensor, target: Tensor, weight: Tensor | None = None, size_average=None,
                  ignore_index: int = -100, reduce=None, reduction: str = "mean",
                  label_smoothing: float = 0.0) -> Tensor:
    """nll_loss(log_softmax(x)) for class indices; -Σ t·log_softmax(x) for class probabilities."""
    reduction = _reduction(size_average, reduce, reduction)
    if not 0.0 <= label_smoothing <= 1.0:
        raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing}")
    cd = 0 if input.ndim == 1 else 1
    n_classes = input.shape[cd]
    lsm = _core_log_softmax(input, cd)
    if target.shape == input.shape:  # class probabilities (PyTorch decides by shape, then checks the dtype)
        if not target.is_floating_point():
            raise RuntimeError("Expected floating point type for target with class probabilities, got "
                               f"{_dtype_word(target)}")
        if label_smoothing > 0:
            target = target * (1 - label_smoothing) + label_smoothing / n_classes
        prod = lsm * target
        if weight is not None:
            wshape = [1] * input.ndim
            wshape[cd] = n_classes
            prod = prod * AF.reshape(weight, tuple(wshape))
        if reduction == "mean":
            return _div_scalar(-AF.sum(prod), input.numel() // n_classes if input.ndim > 1 else 1)
        if reduction == "sum":
            return -AF.sum(prod)
        return -AF.sum(prod, cd)
    if label_smoothing == 0:
        return nll_loss(lsm, target, weight, ignore_index=ignore_index, reduction=reduction)
    nll = nll_loss(lsm, target, weight, ignore_index=ignore_index, reduction=reduction)
    ignore = _wrap(target._data == ignore_index)
    if weight is not None:
        wshape = [1] * input.ndim
        wshape[cd] = n_classes
        smooth = -AF.sum(lsm * AF.reshape(weight, tuple(wshape)), cd)
    else:
        smooth = -AF.sum(lsm, cd)
    smooth = AF.masked_fill(smooth, ignore, 0.0)
    if reduction == "mean":
        keep = ~target._data.__eq__(ignore_index)
        if weight is not None:
            denom = weight._data[target._data[keep]].sum()
        else:
            denom = keep.sum()
        ret = AF.sum(smooth) / _wrap(np.asarray(denom, dtype=input._data.dtype))
    elif reduction == "sum":
        ret = AF.sum(smooth)
    else:
        ret = smooth
    return nll * (1 - label_smoothing) + ret * (label_smoothing / n_classes)


# -- binary cross-entropy ----------------------------------------------------------------------------------

class BinaryCrossEntropyBackward0(Node):
    """ℓ = -w(t log x + (1 - t) log(1 - x)):  dx = w (x - t) / max(x(1 - x), ε), dt = w (log(1-x) - log x)"""

    def backward(self, g):
        x, t, w = self.saved_values()
        gl = _scale_grad(g, self.numel, self.reduction)
        if w is not None:
            gl = gl * w
        gx = gt = None
        if self.next[0] is not None:
            gx = gl * (x - t) / AF.clamp(x * (1 - x), min=1e-12)
        if self.next[1] is not None:
            gt = gl * (AF.clamp(AF.log(1 - x), min=-100) - AF.clamp(AF.log(x), min=-100))
        return (gx, gt)


def binary_cross_entropy(input: Tensor, target: Tensor, weight: Tensor | None = None, size_average=None,
                         reduce=None, reduction: str = "mean") -> Tensor:
    """-w(t log x + (1 - t) log(1 - x)), logs clamped at -100, reduced."""
    reduction = _reduction(size_average, reduce, reduction)
    if target.shape != input.shape:
        raise ValueError(f"Using a target size ({target.shape}) that is different to the input size "
                         f"({input.shape}) is deprecated. Please ensure they have the same size.")
    x, t = input._data, target._data
    if ((x < 0) | (x > 1)).any():
        raise RuntimeError("all elements of input should be between 0 and 1")
    with np.errstate(divide="ignore"):
        lx = np.maximum(np.log(x), -100)
        l1x = np.maximum(np.log1p(-x), -100)
    loss = -(t * (lx - l1x) + l1x)
    if weight is not None:
        loss = loss * weight._data
    out = _out(_reduce_np(loss.astype(x.dtype, copy=False), reduction), BinaryCrossEntropyBackward0,
               (input, target), saved=(input, target, weight))
    if out.grad_fn is not None:
        out.grad_fn.reduction, out.grad_fn.numel = reduction, x.size
    return out


class BinaryCrossEntropyWithLogitsBackward0(Node):
    """ℓ = (1 - t)x + lw·softplus(-x), lw = (p - 1)t + 1:  dx = w(lw σ(x) - p t), dt = w((p - 1) softplus(-x) - x)"""

    def backward(self, g):
        x, t, w, pw = self.saved_values()
        gl = _scale_grad(g, self.numel, self.reduction)
        if w is not None:
            gl = gl * w
        gx = gt = None
        if self.next[0] is not None:
            s = AF.sigmoid(x)
            gx = gl * (s - t) if pw is None else gl * ((pw * t - t + 1) * s - pw * t)
        if self.next[1] is not None:
            gt = -gl * x if pw is None else gl * ((pw - 1) * softplus(-x) - x)
        return (gx, gt)


def binary_cross_entropy_with_logits(input: Tensor, target: Tensor, weight: Tensor | None = None,
                                     size_average=None, reduce=None, reduction: str = "mean",
                                     pos_weight: Tensor | None = None) -> Tensor:
    """-w(p t log σ(x) + (1 - t) log(1 - σ(x))), computed stably from the logits x."""
    reduction = _reduction(size_average, reduce, reduction)
    if target.shape != input.shape:
        raise ValueError(f"Target size ({target.shape}) must be the same as input size ({input.shape})")
    x, t = input._data, target._data
    ty = x.dtype.type
    sp_neg = np.log1p(np.exp(-np.abs(x))) + np.maximum(-x, 0)  # softplus(-x), stable for any x
    if pos_weight is not None:
        lw = (pos_weight._data - ty(1)) * t + ty(1)
        loss = (ty(1) - t) * x + lw * sp_neg
    else:
        loss = (ty(1) - t) * x + sp_neg
    if weight is not None:
        loss = loss * weight._data
    loss = np.asarray(loss, dtype=x.dtype)
    out = _out(_reduce_np(loss, reduction), BinaryCrossEntropyWithLogitsBackward0, (input, target),
               saved=(input, target, weight, pos_weight))
    if out.grad_fn is not None:
        out.grad_fn.reduction, out.grad_fn.numel = reduction, x.size
        if loss.shape != x.shape:
            out.grad_fn.in_shapes = (x.shape, t.shape)
    return out


def kl_div(input: Tensor, target: Tensor, size_average=None, reduce=None, reduction: str = "mean",
           log_target: bool = False) -> Tensor:
    """t (log t - x) (or e^t (t - x) with ``log_target``), reduced; 'batchmean' divides the sum by the batch."""
    if size_average is not None or reduce is not None:
        reduction = _reduction(size_average, reduce, "mean")
    elif reduction == "mean":
        warnings.warn("reduction: 'mean' divides the total loss by both the batch size and the support size."
                      "'batchmean' divides only by the batch size, and aligns with the KL div math definition."
                      "'mean' will be changed to behave the same as 'batchmean' in the next major release.",
                      UserWarning, stacklevel=2)
    if reduction not in ("none", "mean", "sum", "batchmean"):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    if log_target:
        pointwise = AF.exp(target) * (target - input)
    else:
        from .._compat import xlogy
        pointwise = xlogy(target, target) - target * input
    if reduction == "batchmean":
        s = AF.sum(pointwise)
        return s / input.shape[0] if input.ndim != 0 else s
    return _reduce(pointwise, reduction)


def poisson_nll_loss(input: Tensor, target: Tensor, log_input: bool = True, full: bool = False,
                     size_average=None, eps: float = 1e-8, reduce=None, reduction: str = "mean") -> Tensor:
    """e^x - t x (log_input) or x - t log(x + eps), plus Stirling's term when ``full``."""
    reduction = _reduction(size_average, reduce, reduction)
    loss = AF.exp(input) - target * input if log_input else input - target * AF.log(input + eps)
    if full:
        t = target._data
        with np.errstate(divide="ignore", invalid="ignore"):
            st = np.where(t > 1, t * np.log(t) - t + 0.5 * np.log(2 * np.pi * t), 0).astype(t.dtype)
        loss = loss + _wrap(st)
    return _reduce(loss, reduction)


def margin_ranking_loss(input1: Tensor, input2: Tensor, target: Tensor, margin: float = 0, size_average=None,
                        reduce=None, reduction: str = "mean") -> Tensor:
    """max(0, -y (x1 - x2) + margin), reduced."""
    reduction = _reduction(size_average, reduce, reduction)
    return _reduce(AF.clamp_min(-target * (input1 - input2) + margin, 0), reduction)


def soft_margin_loss(input: Tensor, target: Tensor, size_average=None, reduce=None,
                     reduction: str = "mean") -> Tensor:
    """log(1 + e^(-y x)), reduced."""
    reduction = _reduction(size_average, reduce, reduction)
    return _reduce(AF.log1p(AF.exp(-target * input)), reduction)


def cosine_embedding_loss(input1: Tensor, input2: Tensor, target: Tensor, margin: float = 0, size_average=None,
                          reduce=None, reduction: str = "mean") -> Tensor:
    """1 - cos(x1, x2) where y = 1, max(0, cos(x1, x2) - margin) where y = -1."""
    reduction = _reduction(size_average, reduce, reduction)
    cos = cosine_similarity(input1, input2, dim=-1, eps=1e-8) if input1.ndim > 1 else cosine_similarity(
        input1, input2, dim=0, eps=1e-8)
    loss = AF.where(target == 1, 1 - cos, AF.clamp_min(cos - margin, 0))
    return _reduce(loss, reduction)


# =====================================================================================================
# Normalisation
# =====================================================================================================

def _normalize_backward(gh: Tensor, x: Tensor, dims: tuple, eps: float) -> Tensor:
    """dL/dx of x̂ = (x - μ)/√(σ² + ε) over ``dims``, given gh = dL/dx̂:  rstd (gh - mean(gh) - x̂ mean(gh x̂))."""
    mu = AF.mean(x, dims, keepdim=True)
    xc = x - mu
    rstd = AF.rsqrt(AF.mean(xc * xc, dims, keepdim=True) + eps)
    xhat = xc * rstd
    return rstd * (gh - AF.mean(gh, dims, keepdim=True) - xhat * AF.mean(gh * xhat, dims, keepdim=True))


def _xhat(x: Tensor, dims: tuple, eps: float) -> Tensor:
    mu = AF.mean(x, dims, keepdim=True)
    xc = x - mu
    return xc * AF.rsqrt(AF.mean(xc * xc, dims, keepdim=True) + eps)


class NativeLayerNormBackward0(Node):
    """y = x̂ w + b over the last dims:  dx = normalize-backward(g w), dw = Σ g x̂, db = Σ g"""

    def backward(self, g):
        x, w, b = self.saved_values()
        dims, eps = self.dims, self.eps
        batch = tuple(range(x.ndim - len(dims)))
        gx = gw = gb = None
        if self.next[0] is not None:
            gx = _normalize_backward(g * w if w is not None else g, x, dims, eps)
        if w is not None and self.next[1] is not None:
            gw = AF.sum(g * _xhat(x, dims, eps), batch) if batch else g * _xhat(x, dims, eps)
        if b is not None and self.next[2] is not None:
            gb = AF.sum(g, batch) if batch else g
        return (gx, gw, gb)


def layer_norm(input: Tensor, normalized_shape, weight: Tensor | None = None, bias: Tensor | None = None,
               eps: float = 1e-5) -> Tensor:
    """(x - μ)/√(σ² + ε) · w + b, with μ, σ² over the last len(normalized_shape) dims."""
    if isinstance(normalized_shape, int):
        normalized_shape = (normalized_shape,)
    normalized_shape = tuple(normalized_shape)
    k = len(normalized_shape)
    if tuple(input.shape[input.ndim - k:]) != normalized_shape or input.ndim < k:
        raise RuntimeError(f"Given normalized_shape={_sz(normalized_shape)}, expected input with shape "
                           f"[*, {', '.join(str(s) for s in normalized_shape)}], but got input of size"
                           f"{_sz(input.shape)}")
    x = _np(input)
    dims = tuple(range(input.ndim - k, input.ndim))
    mu = x.mean(axis=dims, keepdims=True)
    xc = x - mu
    var = np.mean(xc * xc, axis=dims, keepdims=True)
    y = xc / np.sqrt(var + x.dtype.type(eps))
    if weight is not None:
        y *= weight._data
    if bias is not None:
        y += bias._data
    out = _out(y, NativeLayerNormBackward0, (input, weight, bias), saved=(input, weight, bias))
    if out.grad_fn is not None:
        out.grad_fn.dims, out.grad_fn.eps = dims, eps
    return out


class NativeGroupNormBackward0(Node):
    """y = x̂ w + b with x̂ normalised per (sample, group):  dx = normalize-backward(g w) per group"""

    def backward(self, g):
        x, w, b = self.saved_values()
        n, c = x.shape[0], x.shape[1]
        G, eps = self.groups, self.eps
        wshape = (1, c) + (1,) * (x.ndim - 2)
        other = (0,) + tuple(range(2, x.ndim))
        xg = AF.reshape(x, (n, G, -1))
        gx = gw = gb = None
        if self.next[0] is not None:
            gh = g * AF.reshape(w, wshape) if w is not None else g
            gx = AF.reshape(_normalize_backward(AF.reshape(gh, (n, G, -1)), xg, (2,), eps), x.shape)
        if w is not None and self.next[1] is not None:
            xhat = AF.reshape(_xhat(xg, (2,), eps), x.shape)
            gw = AF.sum(g * xhat, other)
        if b is not None and self.next[2] is not None:
            gb = AF.sum(g, other)
        return (gx, gw, gb)


def group_norm(input: Tensor, num_groups: int, weight: Tensor | None = None, bias: Tensor | None = None,
               eps: float = 1e-5) -> Tensor:
    """x normalised over each group of channels (and all spatial positions) per sample, then · w + b."""
    if input.ndim < 2:
        raise RuntimeError(f"Expected at least 2 dimensions for input tensor but received {input.ndim}")
    n, c = input.shape[0], input.shape[1]
    if c % num_groups:
        raise RuntimeError(f"Expected number of channels in input to be divisible by num_groups, but got input of "
                           f"shape {_sz(input.shape)} and num_groups={num_groups}")
    x = _np(input)
    xg = x.reshape(n, num_groups, -1)
    mu = xg.mean(axis=2, keepdims=True)
    xc = xg - mu
    var = np.mean(xc * xc, axis=2, keepdims=True)
    y = (xc / np.sqrt(var + x.dtype.type(eps))).reshape(x.shape)
    wshape = (1, c) + (1,) * (input.ndim - 2)
    if weight is not None:
        y *= weight._data.reshape(wshape)
    if bias is not None:
        y += bias._data.reshape(wshape)
    out = _out(y, NativeGroupNormBackward0, (input, weight, bias), saved=(input, weight, bias))
    if out.grad_fn is not None:
        out.grad_fn.groups, out.grad_fn.eps = num_groups, eps
    return out


class NativeBatchNormBackward0(Node):
    """y = x̂ w + b, x̂ per channel over (N, spatial):  batch stats -> normalize-backward, running stats -> g w rstd"""

    def backward(self, g):
        x, w, b = self.saved_values()
        c = x.shape[1]
        wshape = (1, c) + (1,) * (x.ndim - 2)
        dims = (0,) + tuple(range(2, x.ndim))
        eps = self.eps
        gx = gw = gb = None
        gh = g * AF.reshape(w, wshape) if w is not None else g
        if self.training:
            if self.next[0] is not None:
                gx = _normalize_backward(gh, x, dims, eps)
            xhat = _xhat(x, dims, eps) if w is not None and self.next[1] is not None else None
        else:
            mean = _wrap(self.mean.reshape(wshape))
            rstd = _wrap(self.rstd.reshape(wshape))
            if self.next[0] is not None:
                gx = gh * rstd
            xhat = (x - mean) * rstd if w is not None and self.next[1] is not None else None
        if xhat is not None:
            gw = AF.sum(g * xhat, dims)
        if b is not None and self.next[2] is not None:
            gb = AF.sum(g, dims)
        return (gx, gw, gb)


def batch_norm(input: Tensor, running_mean: Tensor | None, running_var: Tensor | None,
               weight: Tensor | None = None, bias: Tensor | None = None, training: bool = False,
               momentum: float = 0.1, eps: float = 1e-5) -> Tensor:
    """(x - μ)/√(σ² + ε) · w + b per channel; batch statistics (updating the running ones) when training."""
    if input.ndim < 2:
        raise ValueError(f"Expected 2D or 3D input (got {input.ndim}D input)")
    x = _np(input)
    c = x.shape[1]
    dims = (0,) + tuple(range(2, x.ndim))
    wshape = (1, c) + (1,) * (x.ndim - 2)
    ty = x.dtype.type
    if training:
        count = x.size // c
        if count <= 1:
            raise ValueError(f"Expected more than 1 value per channel when training, got input size {input.shape}")
        mean = x.mean(axis=dims)
        xc = x - mean.reshape(wshape)
        var = np.mean(xc * xc, axis=dims)
        rstd = 1 / np.sqrt(var + ty(eps))
        y = xc * rstd.reshape(wshape)
        if running_mean is not None:
            rm = running_mean._data
            rm *= 1 - momentum
            rm += (momentum * mean).astype(rm.dtype)
            running_mean._bump()
        if running_var is not None:
            rv = running_var._data
            rv *= 1 - momentum
            rv += (momentum * var * (count / (count - 1))).astype(rv.dtype)
            running_var._bump()
    else:
        if running_mean is None or running_var is None:
            raise RuntimeError("running_mean and running_var must be defined in evaluation mode")
        mean = running_mean._data.astype(x.dtype, copy=False)
        rstd = 1 / np.sqrt(running_var._data.astype(x.dtype, copy=False) + ty(eps))
        y = (x - mean.reshape(wshape)) * rstd.reshape(wshape)
    if weight is not None:
        y *= weight._data.reshape(wshape)
    if bias is not None:
        y += bias._data.reshape(wshape)
    out = _out(y, NativeBatchNormBackward0, (input, weight, bias), saved=(input, weight, bias))
    node = out.grad_fn
    if node is not None:
        node.training, node.eps = training, eps
        if not training:
            node.mean, node.rstd = mean, rstd
    return out


def instance_norm(input: Tensor, running_mean=None, running_var=None, weight=None, bias=None,
                  use_input_stats: bool = True, momentum: float = 0.1, eps: float = 1e-5) -> Tensor:
    """Normalise each (sample, channel) over its spatial positions: group_norm with one group per channel."""
    return group_norm(input, input.shape[1], weight, bias, eps)


def local_response_norm(input: Tensor, size: int, alpha: float = 1e-4, beta: float = 0.75, k: float = 1.0):
    """x / (k + α · mean of x² over the ``size`` neighbouring channels)^β (zero-padded at the channel ends)."""
    if input.ndim < 3:
        raise ValueError(f"Expected 3D or higher dimensionality input (got {input.ndim} dimensions)")
    if input.numel() == 0:
        return input
    sq = input * input
    c = input.shape[1]
    pad_shape = list(input.shape)
    lo, hi = size // 2, (size - 1) // 2
    parts = []
    if lo:
        pad_shape[1] = lo
        parts.append(AF.zeros_like_shape(sq, tuple(pad_shape)))
    parts.append(sq)
    if hi:
        pad_shape[1] = hi
        parts.append(AF.zeros_like_shape(sq, tuple(pad_shape)))
    padded = AF.cat(parts, 1) if len(parts) > 1 else sq
    window = AF.narrow(padded, 1, 0, c)
    for j in range(1, size):  # ``size`` whole-tensor adds (a handful), not a loop over elements
        window = window + AF.narrow(padded, 1, j, c)
    div = (window * (alpha / size) + k) ** beta
    return input / div


def normalize(input: Tensor, p: float = 2.0, dim: int = 1, eps: float = 1e-12, out=None) -> Tensor:
    """x / max(‖x‖_p, eps) along ``dim``."""
    denom = AF.clamp_min(AF.norm(input, p, dim, keepdim=True), eps)
    return input / AF.expand_as(denom, input)


# =====================================================================================================
# Dropout, embedding, one-hot
# =====================================================================================================

def _check_p(p: float) -> None:
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")


def dropout(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """x · Bernoulli(1 - p) / (1 - p) when training, x otherwise."""
    _check_p(p)
    if not training or p == 0.0:
        return input
    from .._creation import empty_like
    if p == 1.0:
        mask = AF.zeros_like(input)
    else:
        mask = empty_like(input).bernoulli_(1 - p)
        mask._data /= mask._data.dtype.type(1 - p)
    r = input * mask
    return _inplace_result(input, r) if inplace else r


def _feature_dropout(input: Tensor, p: float, training: bool, inplace: bool, batched_dims: int) -> Tensor:
    _check_p(p)
    if not training or p == 0.0:
        return input
    from .._creation import empty
    nshape = tuple(input.shape[:batched_dims]) + (1,) * (input.ndim - batched_dims)
    noise = empty(nshape, dtype=input.dtype)
    if p == 1.0:
        noise._data[...] = 0
    else:
        noise.bernoulli_(1 - p)
        noise._data /= noise._data.dtype.type(1 - p)
    r = input * noise
    return _inplace_result(input, r) if inplace else r


def dropout1d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Zero whole channels of (N, C, L) input with probability p."""
    if input.ndim not in (2, 3):
        raise RuntimeError(f"dropout1d: Expected 2D or 3D input, but received a {input.ndim}D input. Note that "
                           "dropout1d exists to provide channel-wise dropout on inputs with 1 spatial dimension, a "
                           "channel dimension, and an optional batch dimension (i.e. 2D or 3D inputs).")
    return _feature_dropout(input, p, training, inplace, input.ndim - 1)


def dropout2d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Zero whole channels of (N, C, H, W) input with probability p."""
    if input.ndim not in (3, 4):
        warnings.warn(f"dropout2d: Received a {input.ndim}-D input to dropout2d, which is deprecated and will "
                      "result in an error in a future release. To retain the behavior and silence this warning, "
                      "please use dropout instead. Note that dropout2d exists to provide channel-wise dropout on "
                      "inputs with 2 spatial dimensions, a channel dimension, and an optional batch dimension "
                      "(i.e. 3D or 4D inputs).", stacklevel=2)
    if input.ndim == 3:
        warnings.warn("dropout2d: Received a 3D input to dropout2d and assuming that channel-wise 1D dropout "
                      "behavior is desired - input is interpreted as shape (N, C, L), where C is the channel dim. "
                      "This behavior will change in a future release to interpret the input as one without a "
                      "batch dimension, i.e. shape (C, H, W). To maintain the 1D channel-wise dropout behavior, "
                      "please switch to using dropout1d instead.", stacklevel=2)
    return _feature_dropout(input, p, training, inplace, 2)


def alpha_dropout(input: Tensor, p: float = 0.5, training: bool = False, inplace: bool = False) -> Tensor:
    """dropout that keeps SELU's mean and variance: dropped units go to -λα, then an affine correction"""
    if p < 0 or p > 1:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    if not training or p == 0:
        return input
    if p == 1:
        return input * 0
    alpha = 1.7580993408473766  # λα of SELU
    a = 1.0 / math.sqrt((alpha * alpha * p + 1) * (1 - p))
    # PyTorch's order of draws: one bernoulli(1 - p) per element, in the input's dtype
    noise = _wrap(np.empty_like(_float_data(input))).bernoulli_(1 - p)
    b = (noise - 1) * (alpha * a) + alpha * a * p
    return input * (noise * a) + b


class EmbeddingBackward0(Node):
    """y = W[idx]:  dW = Σ over positions of g scattered to rows idx (row padding_idx gets none)"""

    def backward(self, g):
        idx = self.idx
        gw = np.zeros(self.wshape, dtype=g._data.dtype)
        flat = idx.reshape(-1)
        gflat = g._data.reshape(flat.size, -1)
        if self.padding_idx is not None:
            keep = flat != self.padding_idx
            flat, gflat = flat[keep], gflat[keep]
        if self.scale_grad_by_freq:
            counts = np.bincount(flat, minlength=self.wshape[0])
            gflat = gflat / counts[flat][:, None]
        np.add.at(gw, flat, gflat)
        return (_wrap(gw),)


def embedding(input: Tensor, weight: Tensor, padding_idx: int | None = None, max_norm: float | None = None,
              norm_type: float = 2.0, scale_grad_by_freq: bool = False, sparse: bool = False) -> Tensor:
    """Rows of ``weight`` picked by the integer ``input``: W[input]."""
    n = weight.shape[0]
    if padding_idx is not None:
        if padding_idx > 0:
            if padding_idx >= n:
                raise AssertionError("Padding_idx must be within num_embeddings")
        elif padding_idx < 0:
            if padding_idx < -n:
                raise AssertionError("Padding_idx must be within num_embeddings")
            padding_idx = n + padding_idx
    idx = input._data
    if idx.dtype.kind not in "iu":
        raise RuntimeError(f"Expected tensor for argument #1 'indices' to have one of the following scalar types: "
                           f"Long, Int; but got torch.{input.dtype.name.capitalize()}Tensor instead (while checking "
                           "arguments for embedding)")
    if idx.size and (idx.min() < 0 or idx.max() >= n):
        raise IndexError("index out of range in self")
    if max_norm is not None:
        _embedding_renorm_(weight, idx, max_norm, norm_type)
    out = _out(weight._data[idx], EmbeddingBackward0, (weight,))
    node = out.grad_fn
    if node is not None:
        node.idx, node.wshape, node.padding_idx = idx, weight.shape, padding_idx
        node.scale_grad_by_freq = scale_grad_by_freq
    return out


def _embedding_renorm_(weight: Tensor, idx: np.ndarray, max_norm: float, norm_type: float) -> None:
    """Rescale (in place, unrecorded) the referenced rows whose norm exceeds max_norm, as PyTorch does."""
    w = weight._data
    rows = np.unique(idx)
    # the norm in the weight's dtype, then the scale in double, as PyTorch's embedding_renorm_
    norms = np.linalg.norm(w[rows], ord=norm_type, axis=1).astype(np.float64)
    over = norms > max_norm
    if over.any():
        scale = (max_norm / (norms[over] + 1e-7)).astype(w.dtype)
        w[rows[over]] *= scale[:, None]
        weight._bump()


def one_hot(tensor: Tensor, num_classes: int = -1) -> Tensor:
    """An int64 tensor with a trailing dim of size num_classes: 1 at each value's index, 0 elsewhere."""
    if tensor.dtype is not D.int64:
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    a = tensor._data
    if num_classes == -1:
        if a.size == 0:
            raise RuntimeError("Can not infer total number of classes from empty tensor.")
        num_classes = int(a.max()) + 1
    if a.size:
        if a.min() < 0:
            raise RuntimeError("Class values must be non-negative.")
        if a.max() >= num_classes:
            raise RuntimeError("Class values must be smaller than num_classes.")
    return _wrap((a[..., None] == np.arange(num_classes)).astype(np.int64))




# -- less common losses and ops (the top-level torch.* forms live in ember._extra_ops) -------------------------

def hinge_embedding_loss(input: Tensor, target: Tensor, margin: float = 1.0, size_average=None, reduce=None,
                         reduction: str = "mean") -> Tensor:
    """x where target != -1, plus max(0, margin - x) where target != 1"""
    from .._extra_ops import hinge_embedding_loss as _hinge
    return _hinge(input, target, margin, _reduction(size_average, reduce, reduction))


def triplet_margin_loss(anchor: Tensor, positive: Tensor, negative: Tensor, margin: float = 1.0, p: float = 2,
                        eps: float = 1e-6, swap: bool = False, size_average=None, reduce=None,
                        reduction: str = "mean") -> Tensor:
    """max(‖a - p‖ - ‖a - n‖ + margin, 0)"""
    from .._extra_ops import triplet_margin_loss as _triplet
    return _triplet(anchor, positive, negative, margin, p, eps, swap, _reduction(size_average, reduce, reduction))


def triplet_margin_with_distance_loss(anchor: Tensor, positive: Tensor, negative: Tensor, *, distance_function=None,
                                      margin: float = 1.0, swap: bool = False, reduction: str = "mean") -> Tensor:
    """max(d(a, p) - d(a, n) + margin, 0) with a given distance (pairwise L2 by default)"""
    dist = distance_function if distance_function is not None else pairwise_distance
    dp, dn = dist(anchor, positive), dist(anchor, negative)
    if swap:
        dn = AF.minimum(dn, dist(positive, negative))
    return _reduce(AF.clamp_min(dp - dn + margin, 0), _reduction(None, None, reduction))


def gaussian_nll_loss(input: Tensor, target: Tensor, var, full: bool = False, eps: float = 1e-6,
                      reduction: str = "mean") -> Tensor:
    """½ (ln max(var, eps) + (input - target)² / max(var, eps)) (+ ½ ln 2π when full)"""
    if not isinstance(var, Tensor):
        var = AF.as_tensor_arg(float(var), input)
    if var.shape != input.shape:
        if tuple(input.shape[:-1]) == tuple(var.shape):
            var = var.unsqueeze(-1)  # one variance per sample, shared by the last dim
        elif not (tuple(input.shape[:-1]) == tuple(var.shape[:-1]) and var.shape[-1] == 1):
            raise ValueError("var is of incorrect size")
    if bool((var._data < 0).any()):
        raise ValueError("var has negative entry/entries")
    # the clamp is invisible to autograd, as PyTorch's in-place clamp under no_grad
    var = var + (AF.clamp_min(var, eps) - var).detach()
    loss = 0.5 * (AF.log(var) + (input - target) ** 2 / var)
    if full:
        loss = loss + 0.5 * math.log(2 * math.pi)
    return _reduce(loss, _reduction(None, None, reduction))


def multilabel_soft_margin_loss(input: Tensor, target: Tensor, weight: Tensor | None = None, size_average=None,
                                reduce=None, reduction: str = "mean") -> Tensor:
    """-mean over classes of y ln σ(x) + (1 - y) ln σ(-x)"""
    loss = -(target * logsigmoid(input) + (1 - target) * logsigmoid(-input))
    if weight is not None:
        loss = loss * weight
    loss = loss.sum(dim=input.ndim - 1) / input.shape[-1]
    return _reduce(loss, _reduction(size_average, reduce, reduction))


def multi_margin_loss(input: Tensor, target: Tensor, p: int = 1, margin: float = 1.0, weight: Tensor | None = None,
                      size_average=None, reduce=None, reduction: str = "mean") -> Tensor:
    """Σ_{i ≠ y} max(0, margin - x[y] + x[i])^p / C"""
    if p not in (1, 2):
        raise ValueError("only p == 1 and p == 2 supported")
    x = input if input.ndim == 2 else input.reshape(1, -1)
    t = target.reshape(-1, 1)
    xy = AF.gather(x, 1, t)
    m = AF.clamp_min(margin - xy + x, 0)
    if p == 2:
        m = m * m
    if weight is not None:
        m = m * AF.gather(weight.reshape(1, -1).expand(x.shape[0], -1), 1, t)
    not_target = _wrap(np.arange(x.shape[1])[None, :] != t._data)
    loss = AF.where(not_target, m, 0.0).sum(1) / x.shape[1]
    loss = loss if input.ndim == 2 else loss.reshape(())
    return _reduce(loss, _reduction(size_average, reduce, reduction))


def pdist(input: Tensor, p: float = 2) -> Tensor:
    """p-norm distances between all row pairs (upper triangle)"""
    from .._extra_ops import pdist as _pdist
    return _pdist(input, p)


def rms_norm(input: Tensor, normalized_shape, weight: Tensor | None = None, eps: float | None = None) -> Tensor:
    """x / √(mean(x²) + eps) · weight over the trailing dims"""
    from .._extra_ops import rms_norm as _rms
    return _rms(input, normalized_shape, weight, eps)


def channel_shuffle(input: Tensor, groups: int) -> Tensor:
    """regroup channels: (N, g·c, ...) -> (N, c·g, ...)"""
    from .._extra_ops import channel_shuffle as _shuffle
    return _shuffle(input, groups)


native_channel_shuffle = channel_shuffle


def selu_(input: Tensor) -> Tensor:
    return selu(input, inplace=True)


def celu_(input: Tensor, alpha: float = 1.0) -> Tensor:
    return celu(input, alpha, inplace=True)


# convolution, pooling, padding, interpolation and attention (_functional_spatial), and sequence ops
# (_functional_seq) live beside this file
from ._functional_seq import _canonical_mask, _none_or_dtype, embedding_bag, multi_head_attention_forward  # noqa: F401
from ._functional_spatial import *
