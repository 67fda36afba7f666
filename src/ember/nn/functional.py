"""``nn.functional``: the stateless forms of the layers, activations and losses.

Ops that PyTorch records as one node (``GeluBackward0``, ``MseLossBackward0``, ``NativeLayerNormBackward0``...)
are one node here too: a NumPy forward and a ``Node`` whose backward is written with ember's own ops, so that
``create_graph=True`` differentiates it again. Ops PyTorch composes (softsign, l1_loss, kl_div) are composed.
"""

from __future__ import annotations

import math
import warnings

from .. import kernels as K
from .. import ops as AF
from .._array import np
from .._core import dtype as D
from .._core import modes
from .._core.args import _float_data
from .._core.dims import _wrap_dim
from .._core.node import Node
from .._core.record import _out
from .._core.tensor import Tensor, _wrap
from ..kernels import special as S
from ..ops.inplace import apply_inplace, check_inplace
from ..ops.linalg import cosine_similarity, pairwise_distance  # noqa: F401  (re-exported, as in PyTorch)
from ..ops.shape import _unsafe_view
from ..ops.softmax import log_softmax as _core_log_softmax
from ..ops.softmax import softmax as _core_softmax
from ..ops.unary import relu as _core_relu
from ..ops.unary import sigmoid, tanh  # noqa: F401

_gm = modes.grad

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
    return _unsafe_view(AF.mm(x2, wt), out_shape)


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
    check_inplace(input)
    return apply_inplace(input, result)


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


def _leaky_rule(n, g, x):
    return AF.where(x > 0, g, g * n.slope)


LeakyReluBackward0 = _act_node("LeakyReluBackward0", _leaky_rule)
LeakyReluBackward1 = _act_node("LeakyReluBackward1", _leaky_rule)  # the in-place form's node


def leaky_relu(input: Tensor, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:
    """x if x > 0 else negative_slope · x."""
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


EluBackward0 = _act_node("EluBackward0", _elu_rule)
EluBackward1 = _act_node("EluBackward1", _elu_rule)  # the in-place forms' nodes
CeluBackward0 = _act_node("CeluBackward0", _elu_rule)
CeluBackward1 = _act_node("CeluBackward1", _elu_rule)


def _elu(input, alpha, scale, input_scale, node_cls, inplace):
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
        r = d * ty(0.5) * (ty(1) + S.erf(d * ty(1 / _SQRT_2)))
    return _unary(input, r, GeluBackward0, approximate=approximate)


def _silu_rule(n, g, x):
    s = AF.sigmoid(x)
    return g * (s * (x * (1 - s) + 1))


SiluBackward0 = _act_node("SiluBackward0", _silu_rule)


def silu(input: Tensor, inplace: bool = False) -> Tensor:
    """x·σ(x)."""
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


def _threshold_rule(n, g, x):
    return g * (x > n.threshold)


ThresholdBackward0 = _act_node("ThresholdBackward0", _threshold_rule)
ThresholdBackward1 = _act_node("ThresholdBackward1", _threshold_rule)  # the in-place form's node


def threshold(input: Tensor, threshold: float, value: float, inplace: bool = False) -> Tensor:
    """x if x > threshold else value."""
    d = input._data
    r = _unary(input, np.where(d > threshold, d, d.dtype.type(value)),
               ThresholdBackward1 if inplace else ThresholdBackward0, threshold=threshold)
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
    d = _wrap_dim(dim, input.ndim)
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


class RreluWithNoiseBackward0(Node):
    """y = x·r with r = 1 where x > 0, else a slope (drawn from U(lower, upper) when training, (lower+upper)/2
    otherwise):  dx = g·r"""

    def backward(self, g):
        return (g * _wrap(self.noise),)


class RreluWithNoiseBackward1(RreluWithNoiseBackward0):
    """The in-place form: y = x·r:  dx = g·r"""


def rrelu(input: Tensor, lower: float = 1.0 / 8, upper: float = 1.0 / 3, training: bool = False,
          inplace: bool = False) -> Tensor:
    """x if x > 0 else r·x: r ~ U(lower, upper) per element when training, (lower + upper)/2 otherwise."""
    if inplace:
        AF.check_inplace(input)
    d = _np(input)
    ty = d.dtype.type
    if training:
        # PyTorch draws one double uniform per non-positive element, in memory order
        neg = d <= 0
        noise = np.ones_like(d)
        k = int(neg.sum())
        if k:  # U(0, 1) from the stream, then x·(upper - lower) + lower with two roundings (no FMA there)
            from ..ops.creation import empty
            u = empty(k, dtype=D.float64).uniform_(0.0, 1.0)._data
            noise[neg] = (u * (upper - lower) + lower).astype(d.dtype)
        out = d * noise
    else:
        slope = ty((lower + upper) / 2)
        noise = np.where(d > 0, ty(1), slope)
        out = np.where(d > 0, d, d * slope)
    r = _out(out, RreluWithNoiseBackward1 if inplace else RreluWithNoiseBackward0, (input,))
    if r.grad_fn is not None:
        r.grad_fn.noise = noise
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
    from ..ops.creation import empty_like
    gumbels = -AF.log(empty_like(logits).exponential_())
    y = softmax((logits + gumbels) / tau, dim)
    if not hard:
        return y
    index = AF.argmax(y, dim, keepdim=True)
    y_hard = AF.zeros_like(logits)
    y_hard._data[...] = 0
    np.put_along_axis(y_hard._data, index._data, 1.0, axis=_wrap_dim(dim, logits.ndim))
    return y_hard - y.detach() + y

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


def instance_norm(input: Tensor, running_mean: Tensor | None = None, running_var: Tensor | None = None,
                  weight: Tensor | None = None, bias: Tensor | None = None, use_input_stats: bool = True,
                  momentum: float = 0.1, eps: float = 1e-5) -> Tensor:
    """Normalise each (sample, channel) over its spatial positions: batch_norm of the input seen as one sample
    of N·C channels; running statistics (if given) move by the mean over the batch of the per-sample updates."""
    if use_input_stats and math.prod(input.shape[2:]) == 1:
        raise ValueError(f"Expected more than 1 spatial element when training, got input size {input.shape}")
    if not use_input_stats and (running_mean is None or running_var is None):
        raise RuntimeError("Expected running_mean and running_var to be defined when use_input_stats is false")
    n, c = input.shape[0], input.shape[1]
    x = input.reshape((1, n * c) + tuple(input.shape[2:]))
    w = weight.repeat(n) if weight is not None else None
    b = bias.repeat(n) if bias is not None else None
    rm = _wrap(np.tile(running_mean._data, n)) if running_mean is not None else None
    rv = _wrap(np.tile(running_var._data, n)) if running_var is not None else None
    out = batch_norm(x, rm, rv, w, b, use_input_stats, momentum, eps)
    if use_input_stats:
        for stat, rep in ((running_mean, rm), (running_var, rv)):
            if stat is not None:
                stat._data[...] = rep._data.reshape(n, c).mean(0)
                stat._bump()
    return out.view(input.shape)


def local_response_norm(input: Tensor, size: int, alpha: float = 1e-4, beta: float = 0.75, k: float = 1.0):
    """x / (k + α · mean of x² over the ``size`` neighbouring channels)^β (zero-padded at the channel ends),
    composed as PyTorch composes it (a padded average pool over channels)."""
    from ._functional_spatial import avg_pool2d, avg_pool3d, pad
    dim = input.ndim
    if dim < 3:
        raise ValueError(f"Expected 3D or higher dimensionality                          input (got {dim} "
                         f"dimensions)")
    if input.numel() == 0:
        return input
    div = input.mul(input)
    if dim == 3:
        div = pad(div.unsqueeze(1), (0, 0, size // 2, (size - 1) // 2))
        div = avg_pool2d(div, (size, 1), stride=1).squeeze(1)
    else:
        sizes = input.shape
        div = div.view(sizes[0], 1, sizes[1], sizes[2], -1)
        div = pad(div, (0, 0, 0, 0, size // 2, (size - 1) // 2))
        div = avg_pool3d(div, (size, 1, 1), stride=1).squeeze(1)
        div = div.view(sizes)
    div = div.mul(alpha).add(k).pow(beta)
    return input / div


class CrossMapLRN2dBackward(Node):
    """PyTorch's legacy cross-map LRN (an autograd Function): y = x · scale^-β with scale = k + α/size · Σ x²
    over its (asymmetric) channel window; its backward is PyTorch's formula, not the exact derivative:
    dx = g·scale^-β - (2αβ/size) · x · Σ_window' g·y/scale"""

    def backward(self, g):
        if _gm.enabled:
            raise RuntimeError("mul(): functions with out=... arguments don't support automatic differentiation, "
                               "but one of the arguments requires grad.")
        x, y, scale = self.x, self.y, self.scale
        size, alpha, beta = self.size, self.alpha, self.beta
        gd = g._data
        c = x.shape[1]
        ratio = gd * y / scale
        ipp = int(size - (size - 1) / 2)
        if ipp + c > c + size - 1:  # PyTorch's padded buffer is too short for size 1
            raise RuntimeError(f"start ({ipp}) + length ({c}) exceeds dimension size ({c + size - 1}).")
        j = np.arange(c)
        window = ((j[None, :] >= j[:, None] - ipp) & (j[None, :] <= j[:, None] + size - 1 - ipp)).astype(x.dtype)
        acc = np.einsum("cj,njhw->nchw", window, ratio)
        gx = np.power(scale, -beta) * gd - (2 * alpha * beta / size) * x * acc
        return (_wrap(gx.astype(x.dtype, copy=False)),)


def _cross_map_lrn2d(input: Tensor, size: int, alpha: float, beta: float, k: float) -> Tensor:
    if input.ndim != 4:
        raise ValueError(f"CrossMapLRN2d: Expected input to be 4D, got {input.ndim}D instead.")
    x = _np(input)
    c = x.shape[1]
    # PyTorch's running window: channels 0..pre_pad-1 for the first map, then one in and (after pre_pad) one out
    pre_pad = int((size - 1) / 2 + 1)
    window = np.zeros((c, c), dtype=x.dtype)
    window[0, :min(pre_pad, c)] = 1
    for ch in range(1, c):
        window[ch] = window[ch - 1]
        if ch < c - pre_pad + 1:
            window[ch, ch + pre_pad - 1] += 1
        if ch > pre_pad:
            window[ch, ch - pre_pad] -= 1
    scale = np.einsum("cj,njhw->nchw", window, x * x) * x.dtype.type(alpha / size) + x.dtype.type(k)
    y = np.power(scale, x.dtype.type(-beta)) * x
    t = _out(y, CrossMapLRN2dBackward, (input,))
    if t.grad_fn is not None:
        node = t.grad_fn
        node.x, node.y, node.scale = x, y, scale
        node.size, node.alpha, node.beta = size, alpha, beta
    return t


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
    from ..ops.creation import empty_like
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
    from ..ops.creation import empty
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


def dropout3d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Zero whole channels of (N, C, D, H, W) or (C, D, H, W) input with probability p."""
    _check_p(p)
    if input.ndim not in (4, 5):
        warnings.warn(f"dropout3d: Received a {input.ndim}-D input to dropout3d, which is deprecated and will "
                      "result in an error in a future release. To retain the behavior and silence this warning, "
                      "please use dropout instead. Note that dropout3d exists to provide channel-wise dropout on "
                      "inputs with 3 spatial dimensions, a channel dimension, and an optional batch dimension (i.e. "
                      "4D or 5D inputs).", stacklevel=2)
    if input.ndim != 5:
        x = input.unsqueeze_(0) if inplace else input.unsqueeze(0)
        r = _feature_dropout(x, p, training, inplace, 2)
        return r.squeeze_(0) if inplace else r.squeeze(0)
    return _feature_dropout(input, p, training, inplace, 2)


def feature_alpha_dropout(input: Tensor, p: float = 0.5, training: bool = False, inplace: bool = False) -> Tensor:
    """alpha_dropout of whole channels: one draw per (sample, channel)."""
    _check_p(p)
    if not training or p == 0 or input.numel() == 0:
        return input
    if input.ndim < 2:
        raise RuntimeError("Feature dropout requires at least 2 dimensions in the input")
    if p == 1:
        r = input * 0
        return _inplace_result(input, r) if inplace else r
    alpha = 1.7580993408473766  # λα of SELU
    a = 1.0 / math.sqrt((alpha * alpha * p + 1) * (1 - p))
    nshape = tuple(input.shape[:2]) + (1,) * (input.ndim - 2)
    from ..ops.creation import empty
    noise = empty(nshape, dtype=input.dtype).bernoulli_(1 - p)._data
    b = _wrap((noise - 1) * (alpha * a) + alpha * a * p)
    r = input * _wrap(noise * a) + b
    return _inplace_result(input, r) if inplace else r


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




def pdist(input: Tensor, p: float = 2) -> Tensor:
    """p-norm distances between all row pairs (upper triangle)"""
    from ..ops.linalg import pdist as _pdist
    return _pdist(input, p)


def rms_norm(input: Tensor, normalized_shape, weight: Tensor | None = None, eps: float | None = None) -> Tensor:
    """x / √(mean(x²) + eps) · weight over the trailing dims"""
    from .._nn_torch import rms_norm as _rms
    return _rms(input, normalized_shape, weight, eps)


def selu_(input: Tensor) -> Tensor:
    return selu(input, inplace=True)


def celu_(input: Tensor, alpha: float = 1.0) -> Tensor:
    return celu(input, alpha, inplace=True)


# convolution, pooling, padding, interpolation and attention (_functional_spatial), and sequence ops
# (_functional_seq) live beside this file
from ._functional_loss import *  # noqa: F403
from ._functional_loss import (  # noqa: F401  (helpers the loss modules and user code reach as F._...)
    _REDUCTIONS,
    _check_same_size,
    _reduce,
    _reduction,
    _sz,
)
from ._functional_sampling import *  # noqa: F403
from ._functional_seq import _canonical_mask, _none_or_dtype, embedding_bag, multi_head_attention_forward  # noqa: F401
from ._functional_spatial import *
