"""The losses of ``ember.nn.functional``.

PyTorch records most losses as one node (``MseLossBackward0``, ``NllLossBackward0``, ``SoftMarginLossBackward0``,
``CtcLossBackward0``...); here too: a NumPy forward and a ``Node`` whose backward is written with ember's own ops,
so ``create_graph=True`` differentiates it again. The losses PyTorch composes of other ops (l1_loss, kl_div,
margin_ranking_loss, cosine_embedding_loss, the triplet losses...) are composed of the same ops here, so their
graphs end in the same nodes. Reductions follow PyTorch: 'mean' over all elements (over the weights of the
targets for nll_loss / cross_entropy), 'sum', or 'none'.
"""

from __future__ import annotations

import math
import warnings

from .. import _dtype as D
from .. import _fidelity
from .._array import np
from .._compat import cosine_similarity, pairwise_distance
from ..autograd import functions as AF
from ..autograd.functions import _gm, _out
from ..autograd.functions import log_softmax as _core_log_softmax
from ..autograd.graph import Node
from ..tensor import Tensor, _wrap
from . import functional as F

__all__ = ["binary_cross_entropy", "binary_cross_entropy_with_logits", "cosine_embedding_loss", "cross_entropy",
           "gaussian_nll_loss", "hinge_embedding_loss", "huber_loss", "kl_div", "l1_loss", "margin_ranking_loss",
           "mse_loss", "multi_margin_loss", "multilabel_soft_margin_loss", "nll_loss", "poisson_nll_loss",
           "smooth_l1_loss", "soft_margin_loss", "triplet_margin_loss", "triplet_margin_with_distance_loss"]

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
    """ℓ = (1 - t)x + lw·F.softplus(-x), lw = (p - 1)t + 1:  dx = w(lw σ(x) - p t), dt = w((p - 1) F.softplus(-x) - x)"""

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
            gt = -gl * x if pw is None else gl * ((pw - 1) * F.softplus(-x) - x)
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
    sp_neg = np.log1p(np.exp(-np.abs(x))) + np.maximum(-x, 0)  # F.softplus(-x), stable for any x
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


# -- less common losses ------------------------------------------------------------------------------------

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
    loss = -(target * F.logsigmoid(input) + (1 - target) * F.logsigmoid(-input))
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
