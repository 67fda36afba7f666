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

from .. import kernels as K
from .. import ops as AF
from .._array import np
from .._core import dtype as D
from .._core.args import _tensor_arg
from .._core.messages import _bcast_message, _cname, _long_name
from .._core.node import Node
from .._core.record import ZeroDerivativeBackward, _fw, _grad_mode, _tangents_of, _wrap_result
from .._core.tensor import Tensor, _wrap
from ..autograd import grad_mode
from ..kernels import fused as KF
from ..ops.binary import _div_scalar, xlogy
from ..ops.index import (
    NotImplemented,  # noqa: A004  (PyTorch's node name)
    scatter,
)
from ..ops.linalg import pairwise_distance
from ..ops.softmax import log_softmax as _core_log_softmax
from . import _functional_activation as F

__all__ = ["binary_cross_entropy", "binary_cross_entropy_with_logits", "cosine_embedding_loss", "cross_entropy",
           "ctc_loss", "gaussian_nll_loss", "hinge_embedding_loss", "huber_loss", "kl_div", "l1_loss",
           "linear_cross_entropy", "margin_ranking_loss", "mse_loss", "multi_margin_loss", "multilabel_margin_loss",
           "multilabel_soft_margin_loss", "nll_loss", "poisson_nll_loss", "smooth_l1_loss", "soft_margin_loss",
           "triplet_margin_loss", "triplet_margin_with_distance_loss"]

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
    if reduction == "mean":
        return K.mean(loss, None)
    return K.sum(loss, None)


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


def _tangent_sum(*pairs):
    """Σ derivative · tangent over the (derivative thunk, tangent) pairs whose tangent is not None."""
    out = None
    for d, t in pairs:
        if t is not None:
            term = d() * t
            out = term if out is None else out + term
    return out


def _reduce_tangent(t: Tensor, reduction: str) -> Tensor:
    """The tangent of the reduced loss from the pointwise loss's tangent (a sum/mean of it)."""
    return _reduce(t, reduction)


def _size_attr(*ts) -> None:
    """The AttributeError of PyTorch's Python wrapper reading ``t.size()`` of a non-Tensor (in its order)"""
    for t in ts:
        if not isinstance(t, Tensor):
            raise AttributeError(f"'{type(t).__name__}' object has no attribute 'size'")


def _no_kernel(kernel: str, dt) -> NotImplementedError:
    return NotImplementedError(f"\"{kernel}\" not implemented for '{_long_name(dt)}'")


def _cast_error(result: str, out) -> RuntimeError:
    """an in-place op of PyTorch's formula writing a ``result``-typed value into the integral ``out``"""
    return RuntimeError(f"result type {result} can't be cast to the desired output type {_long_name(out)}")


def _check_same_size(input: Tensor, target: Tensor, stacklevel: int = 3) -> None:
    if target._data.shape != input._data.shape:
        warnings.warn(f"Using a target size ({target.shape}) that is different to the input size ({input.shape}). "
                      "This will likely lead to incorrect results due to broadcasting. Please ensure they have the "
                      "same size.", UserWarning, stacklevel=stacklevel)


class _PointwiseLoss(Node):
    """loss = reduce(ℓ(x - t)):  dx = g' ℓ'(x - t), dt = -dx (g' is g spread over the elements)."""

    def backward(self, g):
        x, t = self.saved_values()
        gl = _scale_grad(g, self.numel, self.reduction)
        gx = gl * self.deriv(x - t)
        return (gx if self.next[0] is not None else None, -gx if self.next[1] is not None else None)

    def jvp(self, tx, tt):
        x, t = self.saved_values()
        td = tx if tt is None else (-tt if tx is None else tx - tt)
        return _reduce_tangent(self.deriv(x - t) * td, self.reduction)


class MseLossBackward0(_PointwiseLoss):
    def deriv(self, d):
        return d * 2

    def backward(self, g):
        x, t = self.saved_values()
        xd, td, gd = x._data, t._data, g._data
        if _grad_mode.enabled or _fw.level is not None or not (xd.dtype == td.dtype == gd.dtype and xd.dtype.kind == "f"):
            return super().backward(g)
        # not recording, one float dtype: the same NumPy operations as the tensor formula, in the same
        # order (so the same roundings), without four ops' dispatch: ~15 us of seed 000's ~230 us epoch
        gl = gd / self.numel if self.reduction == "mean" else gd
        gx = _wrap(np.asarray(gl * ((xd - td) * 2)))
        return (gx if self.next[0] is not None else None, -gx if self.next[1] is not None else None)

    def backward_raw(self, g):
        x, t = self.saved_values()
        xd, td = x._data, t._data
        if not (xd.dtype == td.dtype == g.dtype and xd.dtype.kind == "f"):
            return None
        gl = g / self.numel if self.reduction == "mean" else g  # backward's arrays
        gx = np.asarray(gl * ((xd - td) * 2))
        return (gx if self.next[0] is not None else None, -gx if self.next[1] is not None else None)


class SmoothL1LossBackward0(_PointwiseLoss):
    def deriv(self, d):
        b = self.beta
        return AF.where(d <= -b, d * 0 - 1, AF.where(d >= b, d * 0 + 1, d / b))


class HuberLossBackward0(_PointwiseLoss):
    def deriv(self, d):
        return AF.clamp(d, -self.delta, self.delta)


def _pointwise_loss(input, target, reduction, node_cls, fn, kernel="", out_as_input=False, **attrs):
    _check_same_size(input, target, 4)  # the warning names the line that called the public loss function
    x, t = input._data, target._data
    if x.dtype != t.dtype:
        rt = D.result_type_of([input.dtype, target.dtype], [], []).np
        if out_as_input and x.dtype.kind in "biu" and rt.kind in "fc":  # PyTorch's output has the input's dtype
            raise _cast_error(_long_name(rt), input.dtype)
        x, t = x.astype(rt, copy=False), t.astype(rt, copy=False)
    if x.dtype.kind in "biu":
        raise _no_kernel(kernel, x.dtype)
    shape = x.shape
    if t.shape != shape:  # the common case (equal shapes) skips NumPy's broadcast_shapes, ~2 us
        try:
            shape = np.broadcast_shapes(x.shape, t.shape)
        except ValueError:
            raise RuntimeError(_bcast_message(x.shape, t.shape)) from None
    loss = _reduce_np(fn(x - t), reduction)
    in_shapes = (x.shape, t.shape) if (x.shape != shape or t.shape != shape) else None
    return _wrap_result(loss, node_cls, (input, target), saved=(input, target), in_shapes=in_shapes, reduction=reduction,
                numel=math.prod(shape), **attrs)


def mse_loss(input: Tensor, target: Tensor, size_average=None, reduce=None, reduction: str = "mean",
             weight=None) -> Tensor:
    """reduce((x - t)²)."""
    if type(input) is not Tensor or type(target) is not Tensor:
        _size_attr(target, input)
    reduction = _reduction(size_average, reduce, reduction)
    return _pointwise_loss(input, target, reduction, MseLossBackward0, np.square, "mse_cpu")


def l1_loss(input: Tensor, target: Tensor, size_average=None, reduce=None, reduction: str = "mean",
            weight=None) -> Tensor:
    """reduce(|x - t|)."""
    if type(input) is not Tensor or type(target) is not Tensor:
        _size_attr(target, input)
    reduction = _reduction(size_average, reduce, reduction)
    _check_same_size(input, target)
    return _reduce(AF.abs(input - target), reduction)


def smooth_l1_loss(input: Tensor, target: Tensor, size_average=None, reduce=None, reduction: str = "mean",
                   beta: float = 1.0) -> Tensor:
    """reduce(0.5 d²/β if |d| < β else |d| - 0.5β), d = x - t."""
    if type(input) is not Tensor or type(target) is not Tensor:
        _size_attr(target, input)
    reduction = _reduction(size_average, reduce, reduction)
    if beta < 0:
        raise RuntimeError("smooth_l1_loss does not support negative values for beta.")
    if beta == 0:
        return l1_loss(input, target, reduction=reduction)

    def fn(d):
        z = np.abs(d)
        return np.where(z < beta, d.dtype.type(0.5) * z * z / d.dtype.type(beta), z - d.dtype.type(0.5 * beta))
    return _pointwise_loss(input, target, reduction, SmoothL1LossBackward0, fn, "smooth_l1_cpu", beta=beta)


def huber_loss(input: Tensor, target: Tensor, reduction: str = "mean", delta: float = 1.0,
               weight=None) -> Tensor:
    """reduce(0.5 d² if |d| ≤ δ else δ(|d| - 0.5δ)), d = x - t."""
    if type(input) is not Tensor or type(target) is not Tensor:
        _size_attr(target, input)
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction")
    if delta <= 0:
        raise RuntimeError("huber_loss does not support non-positive values for delta.")

    def fn(d):
        z = np.abs(d)
        ty = d.dtype.type
        return np.where(z < delta, ty(0.5) * z * z, ty(delta) * (z - ty(0.5 * delta)))
    return _pointwise_loss(input, target, reduction, HuberLossBackward0, fn, "huber_cpu", True, delta=delta)


# -- negative log-likelihood and cross-entropy ------------------------------------------------------------

class NllLossBackwardBackward0(ZeroDerivativeBackward):
    """z = -w_t g scattered to the target positions (nll_loss's backward), recorded under create_graph:
    dz/dg = -w_t at the targets (nll_loss itself);  dz/dx = 0"""


class NllLoss2DBackwardBackward0(ZeroDerivativeBackward):
    """the same for NllLoss2DBackward0"""


class NllLossBackward0(Node):
    """loss = -Σ w_t x[n, t_n] (/ Σ w_t for mean):  dx[n, t_n] = -w_t g (/ Σ w_t)"""

    zero_double = NllLossBackwardBackward0

    def backward(self, g):
        (x,) = self.saved_values()
        coef = self.coef  # -w[t] for each sample (0 where ignored), already divided for 'mean'
        cd = self.class_dim
        if F._plain_backward():  # not recorded: scattered on the arrays (kernels.fused)
            return (_wrap(KF.nll_backward(g._data, x._data.shape, x._data.dtype, coef, self.safe_target, cd,
                                          self.reduction)),)
        g_each = g if self.reduction == "none" else AF.expand(g, self.target_shape)
        vals = g_each * _wrap(coef)
        grad = AF.zeros_like(x)
        idx = np.expand_dims(self.safe_target, cd)
        grad._data[...] = 0
        return (scatter(grad, cd, _wrap(idx), AF.unsqueeze(vals, cd)),)

    def backward_raw(self, g):
        (x,) = self.saved_values()
        return (KF.nll_backward(g, x._data.shape, x._data.dtype, self.coef, self.safe_target, self.class_dim,
                                self.reduction),)

    def jvp(self, tx):
        """d loss = -Σ w_t dx[n, t_n] (/ Σ w_t for mean): the picked tangents, weighted as the forward"""
        picked = AF.take_along_dim(tx, _wrap(np.expand_dims(self.safe_target, self.class_dim)), self.class_dim)
        vals = AF.squeeze(picked, self.class_dim) * _wrap(self.neg_w.astype(tx._data.dtype, copy=False))
        if self.reduction == "none":
            return vals
        return AF.sum(vals) if self.reduction == "sum" else AF.sum(vals) / _wrap(self.total)  # 0/0 when all ignored


class NllLoss2DBackward0(NllLossBackward0):
    """nll_loss of an (N, C, H, W) input (PyTorch's 2-d kernel; inputs of 3 or more than 4 dims are viewed as one)"""

    zero_double = NllLoss2DBackwardBackward0


def _check_nll_shapes(input: Tensor, target: Tensor) -> None:
    if input.ndim < 1:
        raise ValueError(f"Expected 1 or more dimensions (got {input.ndim})")
    # PyTorch checks the shapes first, the target's dtype last
    if input.ndim == 1:
        if target.ndim > 1:
            raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
        if target.ndim == 1 and target.shape[0] != 1:
            raise ValueError(f"For 1D input, 1D target must have size 1, but got target size: {target.shape[0]}")
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
    _tensor_arg("nll_loss_nd", ("input", 1, input), ("target", 2, target))
    _check_nll_shapes(input, target)
    if input._data.dtype.kind not in "f":
        raise _no_kernel("nll_loss_out_frame" if input.ndim <= 2 else "nll_loss2d_forward_out_frame",
                         input._data.dtype)
    if input.ndim == 1 and target.ndim == 1:  # one sample's target, as a 0-d one (PyTorch's output is 0-d)
        target = _wrap(target._data.reshape(()))
    if input.ndim == 3 or input.ndim > 4:  # as PyTorch: viewed as (N, C, 1, L), the 2-d loss, viewed back
        n, c = input.shape[0], input.shape[1]
        out = nll_loss(input.reshape(n, c, 1, -1), target.reshape(n, 1, -1), weight, ignore_index=ignore_index,
                       reduction=reduction)
        return out.view((n,) + tuple(input.shape[2:])) if reduction == "none" else out
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
    coef = neg_w = -wt
    total = None
    if reduction == "none":
        loss = coef * picked
    elif reduction == "sum":
        loss = np.asanyarray((coef * picked).sum(dtype=x.dtype))
    else:
        total = wt.sum(dtype=x.dtype)
        with np.errstate(invalid="ignore", divide="ignore"):
            loss = np.asanyarray((coef * picked).sum(dtype=x.dtype) / total)
            # ignored targets get no gradient, even when every target is ignored (0/0: the loss is nan)
            coef = np.where(ignored, x.dtype.type(0), coef / total)
    node_cls = NllLoss2DBackward0 if input.ndim > 2 else NllLossBackward0
    return _wrap_result(loss, node_cls, (input,), saved=(input,), coef=coef, safe_target=safe, class_dim=cd,
                reduction=reduction, target_shape=t.shape, neg_w=neg_w, total=total)


def cross_entropy(input: Tensor, target: Tensor, weight: Tensor | None = None, size_average=None,
                  ignore_index: int = -100, reduce=None, reduction: str = "mean",
                  label_smoothing: float = 0.0) -> Tensor:
    """nll_loss(log_softmax(x)) for class indices; -Σ t·log_softmax(x) for class probabilities."""
    reduction = _reduction(size_average, reduce, reduction)
    _tensor_arg("cross_entropy_loss", ("input", 1, input), ("target", 2, target))
    if not 0.0 <= label_smoothing <= 1.0:
        raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing}")
    cd = 0 if input.ndim == 1 else 1
    if target.shape == input.shape:  # class probabilities (PyTorch decides by shape, then checks the dtype)
        if not target.is_floating_point():
            raise RuntimeError("Expected floating point type for target with class probabilities, got "
                               f"{_dtype_word(target)}")
    if input.ndim == 0:  # PyTorch's log_softmax over dim 1
        raise IndexError("Dimension out of range (expected to be in range of [-1, 0], but got 1)")
    n_classes = input.shape[cd]
    lsm = _core_log_softmax(input, cd)
    if target.shape == input.shape:
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

    def jvp(self, tx, tt):
        x, t, w = self.saved_values()
        e = _tangent_sum((lambda: (x - t) / AF.clamp(x * (1 - x), min=1e-12), tx),
                         (lambda: AF.clamp(AF.log(1 - x), min=-100) - AF.clamp(AF.log(x), min=-100), tt))
        return _reduce_tangent(e * w if w is not None else e, self.reduction)


def binary_cross_entropy(input: Tensor, target: Tensor, weight: Tensor | None = None, size_average=None,
                         reduce=None, reduction: str = "mean") -> Tensor:
    """-w(t log x + (1 - t) log(1 - x)), logs clamped at -100, reduced."""
    reduction = _reduction(size_average, reduce, reduction)
    if type(input) is not Tensor or type(target) is not Tensor:
        _size_attr(target, input)
    if target.shape != input.shape:
        raise ValueError(f"Using a target size ({target.shape}) that is different to the input size "
                         f"({input.shape}) is deprecated. Please ensure they have the same size.")
    if weight is not None:
        try:
            wshape = np.broadcast_shapes(tuple(target.shape), tuple(weight.shape))
        except ValueError:
            wshape = None
        if wshape != tuple(target.shape):
            raise RuntimeError(f"Attempting to broadcast a dimension of length {weight.shape[-1]} at -1! Mismatching "
                               f"argument at index 1 had {weight.shape}; but expected shape should be broadcastable "
                               f"to {_sz(target.shape)}")
    x, t = input._data, target._data
    if t.dtype != x.dtype:
        raise RuntimeError(f"Found dtype {_dtype_word(target)} but expected {_dtype_word(input)}")
    if x.dtype.kind != "f":
        raise _no_kernel("binary_cross_entropy", x.dtype)
    if ((x < 0) | (x > 1)).any():
        raise RuntimeError("all elements of input should be between 0 and 1")
    if ((t < 0) | (t > 1)).any():
        raise RuntimeError("all elements of target should be between 0 and 1")
    with np.errstate(divide="ignore"):
        lx = np.maximum(np.log(x), -100)
        l1x = np.maximum(np.log1p(-x), -100)
    loss = -(t * (lx - l1x) + l1x)
    if weight is not None:
        loss = loss * weight._data
    return _wrap_result(_reduce_np(loss.astype(x.dtype, copy=False), reduction), BinaryCrossEntropyBackward0,
                (input, target), saved=(input, target, weight), reduction=reduction, numel=x.size)


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

    def jvp(self, tx, tt):
        x, t, w, pw = self.saved_values()
        e = _tangent_sum((lambda: AF.sigmoid(x) - t if pw is None else (pw * t - t + 1) * AF.sigmoid(x) - pw * t, tx),
                         (lambda: -x if pw is None else (pw - 1) * F.softplus(-x) - x, tt))
        if w is not None:
            e = e * w
        if self.reduction == "none" and e.shape != tuple(self.out_shape):
            e = AF.expand(e, self.out_shape)
        return _reduce_tangent(e, self.reduction)


def binary_cross_entropy_with_logits(input: Tensor, target: Tensor, weight: Tensor | None = None,
                                     size_average=None, reduce=None, reduction: str = "mean",
                                     pos_weight: Tensor | None = None) -> Tensor:
    """-w(p t log σ(x) + (1 - t) log(1 - σ(x))), computed stably from the logits x."""
    reduction = _reduction(size_average, reduce, reduction)
    if type(input) is not Tensor or type(target) is not Tensor:
        _size_attr(target, input)
    if target.shape != input.shape:
        raise ValueError(f"Target size ({target.shape}) must be the same as input size ({input.shape})")
    x, t = input._data, target._data
    if x.dtype.kind != "f" or t.dtype.kind != "f":  # PyTorch's formula: log_sigmoid(x), then (1 - t).mul_(x)
        if x.dtype.kind != "f":
            raise _no_kernel("log_sigmoid_cpu", x.dtype)
        if t.dtype == np.bool_:
            raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` "
                               "or `logical_xor()` operator instead.")
        if t.dtype.kind in "iu":
            raise _cast_error(_dtype_word(input), target.dtype)
    for extra in (weight, pos_weight):  # broadcast to the input's shape, never beyond it (PyTorch's message)
        if extra is not None:
            try:
                shape = np.broadcast_shapes(x.shape, extra.shape)
            except ValueError:
                raise RuntimeError(_bcast_message(x.shape, extra.shape)) from None
            if shape != x.shape:
                raise RuntimeError(f"output with shape {_sz(x.shape)} doesn't match the broadcast shape {_sz(shape)}")
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
    return _wrap_result(_reduce_np(loss, reduction), BinaryCrossEntropyWithLogitsBackward0, (input, target),
                saved=(input, target, weight, pos_weight), in_shapes=(x.shape, t.shape) if loss.shape != x.shape
                else None, reduction=reduction, numel=x.size)


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
    if type(input) is not Tensor or type(target) is not Tensor:
        _tensor_arg("kl_div", ("input", 1, input), ("target", 2, target))
    if input._data.dtype.kind in "biu" or target._data.dtype.kind in "biu":
        raise RuntimeError("kl_div: Integral inputs not supported.")
    if log_target:
        pointwise = AF.exp(target) * (target - input)
    else:
        pointwise = xlogy(target, target) - target * input
    if reduction == "batchmean":
        s = AF.sum(pointwise)
        return s / input.shape[0] if input.ndim != 0 else s
    return _reduce(pointwise, reduction)


def poisson_nll_loss(input: Tensor, target: Tensor, log_input: bool = True, full: bool = False,
                     size_average=None, eps: float = 1e-8, reduce=None, reduction: str = "mean") -> Tensor:
    """e^x - t x (log_input) or x - t log(x + eps), plus Stirling's t log t - t + ½ log(2πt) where t > 1
    when ``full`` (differentiable in the target too, as PyTorch composes it)."""
    if size_average is not None or reduce is not None:
        reduction = _reduction(size_average, reduce, reduction)
    if reduction not in _REDUCTIONS:
        raise ValueError(reduction + " is not a valid value for reduction")
    if type(input) is not Tensor or type(target) is not Tensor:
        _tensor_arg("poisson_nll_loss", ("input", 1, input), ("target", 2, target))
    loss = AF.exp(input) - target * input if log_input else input - target * AF.log(input + eps)
    if full:
        stirling = target * AF.log(target) - target + AF.log(target * (2 * math.pi)) * 0.5
        loss = loss + AF.masked_fill(stirling, target <= 1, 0)
    return _reduce(loss, reduction)


def _clamp_min0(x: Tensor) -> Tensor:
    """max(x, 0), recorded as PyTorch's clamp_min (ClampMinBackward0)."""
    return AF.clamp_min(x, 0)


def margin_ranking_loss(input1: Tensor, input2: Tensor, target: Tensor, margin: float = 0, size_average=None,
                        reduce=None, reduction: str = "mean") -> Tensor:
    """max(0, -y (x1 - x2) + margin), reduced."""
    reduction = _reduction(size_average, reduce, reduction)
    if input1.dim() != input2.dim() or input1.dim() != target.dim():
        raise RuntimeError(f"margin_ranking_loss : All input tensors should have same dimension but got sizes: "
                           f"input1: {input1.size()}, input2: {input2.size()}, target: {target.size()} ")
    return _reduce(_clamp_min0(-target * (input1 - input2) + margin), reduction)


class SoftMarginLossBackward0(Node):
    """ℓ = log(1 + e^(-y x)):  dx = -y e^(-y x) / (1 + e^(-y x)) = -y σ(-y x)  (· g, / n for 'mean')"""

    def backward(self, g):
        x, y = self.saved_values()
        gl = _scale_grad(g, self.numel, self.reduction)
        return (gl * (-y) * AF.sigmoid(-y * x),)

    def jvp(self, tx):
        x, y = self.saved_values()
        return _reduce_tangent(-y * AF.sigmoid(-y * x) * tx, self.reduction)


def soft_margin_loss(input: Tensor, target: Tensor, size_average=None, reduce=None,
                     reduction: str = "mean") -> Tensor:
    """log(1 + e^(-y x)), reduced (one node; no gradient for the target, as in PyTorch)."""
    if type(input) is not Tensor or type(target) is not Tensor:
        _tensor_arg("soft_margin_loss", ("input", 1, input), ("target", 2, target))
    reduction = _reduction(size_average, reduce, reduction)
    _no_target_grad("soft_margin_loss", target)
    x, y = input._data, target._data
    try:
        shape = np.broadcast_shapes(x.shape, y.shape)
    except ValueError:
        raise RuntimeError(_bcast_message(x.shape, y.shape)) from None
    if shape != x.shape:
        raise RuntimeError(f"output with shape {_sz(x.shape)} doesn't match the broadcast shape {_sz(shape)}")
    if x.dtype.kind in "biu":  # PyTorch's formula negates the input, then multiplies in place
        if x.dtype == np.bool_:
            raise RuntimeError("Negation, the `-` operator, on a bool tensor is not supported. If you are trying to "
                               "invert a mask, use the `~` or `logical_not()` operator instead.")
        raise _cast_error("Float", input.dtype)
    loss = np.log1p(np.exp((-x) * y)).astype(x.dtype, copy=False)
    return _wrap_result(_reduce_np(loss, reduction), SoftMarginLossBackward0, (input,), saved=(input, target),
                reduction=reduction, numel=x.size)


def _no_target_grad(name: str, target: Tensor) -> None:
    if _grad_mode.enabled and target.requires_grad:
        raise RuntimeError(f"The function '{name}' is not differentiable with respect to argument 'target'. This "
                           "input cannot have requires_grad True.")


def cosine_embedding_loss(input1: Tensor, input2: Tensor, target: Tensor, margin: float = 0, size_average=None,
                          reduce=None, reduction: str = "mean") -> Tensor:
    """1 - cos(x1, x2) where y = 1, max(0, cos(x1, x2) - margin) where y = -1; cos = x1·x2 / √((‖x1‖² + ε)(‖x2‖² + ε))
    with ε = 1e-12, as PyTorch composes it."""
    if type(input1) is not Tensor or type(input2) is not Tensor or type(target) is not Tensor:
        _tensor_arg("cosine_embedding_loss", ("input1", 1, input1), ("input2", 2, input2), ("target", 3, target))
    reduction = _reduction(size_average, reduce, reduction)
    td = target.dim()
    if td not in (0, 1):
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    if td == 1 and (input1.dim() != 2 or input2.dim() != 2):
        raise RuntimeError(f"1D target tensor expects 2D input tensors, but found inputs with sizes "
                           f"{_sz(input1.shape)} and {_sz(input2.shape)}.")
    if td == 0 and (input1.dim() != 1 or input2.dim() != 1):
        raise RuntimeError(f"0D target tensor expects 1D input tensors, but found inputs with sizes "
                           f"{_sz(input1.shape)} and {_sz(input2.shape)}.")
    prod = (input1 * input2).sum(td)
    mag1 = (input1 * input1).sum(td) + 1e-12
    mag2 = (input2 * input2).sum(td) + 1e-12
    cos = prod / AF.sqrt(mag1 * mag2)
    zeros = AF.zeros_like(cos)
    pos = AF.where(target == 1, 1 - cos, zeros)
    neg = AF.where(target == -1, _clamp_min0(cos - margin), zeros)
    return _reduce(pos + neg, reduction)


def hinge_embedding_loss(input: Tensor, target: Tensor, margin: float = 1.0, size_average=None, reduce=None,
                         reduction: str = "mean") -> Tensor:
    """x where y != -1, plus max(0, margin - x) where y != 1, reduced."""
    reduction = _reduction(size_average, reduce, reduction)
    zeros = AF.zeros_like(input)
    margin_part = AF.where(target != 1, _clamp_min0(margin - input), zeros)
    self_part = AF.where(target != -1, input, zeros)
    return _reduce(margin_part + self_part, reduction)


def _check_triplet_dims(anchor: Tensor, positive: Tensor, negative: Tensor) -> None:
    a, p, n = anchor.ndim, positive.ndim, negative.ndim
    if not (a == p and p == n):
        raise RuntimeError(f"The anchor, positive, and negative tensors are expected to have the same number of "
                           f"dimensions, but got: anchor {a}D, positive {p}D, and negative {n}D inputs")


def triplet_margin_loss(anchor: Tensor, positive: Tensor, negative: Tensor, margin: float = 1.0, p: float = 2,
                        eps: float = 1e-6, swap: bool = False, size_average=None, reduce=None,
                        reduction: str = "mean") -> Tensor:
    """max(‖a - p‖ - ‖a - n‖ + margin, 0) with the pairwise p-norm distance (‖a - n‖ ← min with ‖p - n‖ if swap)."""
    if type(anchor) is not Tensor or type(positive) is not Tensor or type(negative) is not Tensor:
        _tensor_arg("triplet_margin_loss", ("anchor", 1, anchor), ("positive", 2, positive), ("negative", 3, negative))
    reduction = _reduction(size_average, reduce, reduction)
    if margin <= 0:
        raise ValueError(f"margin must be greater than 0, got {margin}")
    _check_triplet_dims(anchor, positive, negative)
    d_pos = pairwise_distance(anchor, positive, p, eps)
    d_neg = pairwise_distance(anchor, negative, p, eps)
    if swap:
        d_neg = AF.min(d_neg, pairwise_distance(positive, negative, p, eps))
    return _reduce(_clamp_min0(margin + d_pos - d_neg), reduction)


def triplet_margin_with_distance_loss(anchor: Tensor, positive: Tensor, negative: Tensor, *, distance_function=None,
                                      margin: float = 1.0, swap: bool = False, reduction: str = "mean") -> Tensor:
    """max(d(a, p) - d(a, n) + margin, 0) with a given distance d (pairwise L2 by default)."""
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction")
    if margin <= 0:
        raise ValueError(f"margin must be greater than 0, got {margin}")
    _check_triplet_dims(anchor, positive, negative)
    dist = distance_function if distance_function is not None else pairwise_distance
    d_pos, d_neg = dist(anchor, positive), dist(anchor, negative)
    if swap:
        d_neg = AF.minimum(d_neg, dist(positive, negative))
    return _reduce(_clamp_min0(margin + d_pos - d_neg), reduction)


def gaussian_nll_loss(input: Tensor, target: Tensor, var, full: bool = False, eps: float = 1e-6,
                      reduction: str = "mean") -> Tensor:
    """½ (ln max(var, eps) + (input - target)² / max(var, eps)) (+ ½ ln 2π when full); the clamp is invisible to
    autograd, as PyTorch's in-place clamp under no_grad."""
    if isinstance(var, float):
        if var < 0:
            raise ValueError("var has negative entry/entries")
        var = var * AF.ones_like(input)
    elif not isinstance(var, Tensor):
        if bool(var < 0):  # (Python's TypeError for None, a list, a string, as in PyTorch)
            raise ValueError("var has negative entry/entries")
        raise TypeError(f"any(): argument 'input' (position 1) must be Tensor, not {type(var < 0).__name__}")
    elif bool((var._data < 0).any()):
        raise ValueError("var has negative entry/entries")
    if not isinstance(input, Tensor):
        _size_attr(input)
    if var.shape != input.shape:
        if tuple(input.shape[:-1]) == tuple(var.shape):
            var = var.unsqueeze(-1)  # one variance per sample, shared by the last dim
        elif not (input.ndim == var.ndim and sum(b for a, b in zip(input.shape, var.shape) if a != b) == 1):
            raise ValueError("var is of incorrect size")  # (else: one dim of size 1, broadcast: heteroscedastic)
    if reduction not in _REDUCTIONS:
        raise ValueError(reduction + " is not valid")
    if not var.is_floating_point():  # PyTorch's var.clamp_(min=eps) into an integral var
        raise RuntimeError(f"result type Float can't be cast to the desired output type {_cname(var._data)}")
    var = var.clone()
    with grad_mode.no_grad():  # PyTorch's in-place clamp: invisible to backward, seen by forward mode
        var.clamp_(min=eps)
    loss = 0.5 * (AF.log(var) + (input - target) ** 2 / var)
    if full:
        loss = loss + 0.5 * math.log(2 * math.pi)
    return _reduce(loss, reduction)


def multilabel_soft_margin_loss(input: Tensor, target: Tensor, weight: Tensor | None = None, size_average=None,
                                reduce=None, reduction: str = "mean") -> Tensor:
    """-mean over classes of y ln σ(x) + (1 - y) ln σ(-x)"""
    loss = -(target * F.logsigmoid(input) + (1 - target) * F.logsigmoid(-input))
    if weight is not None:
        loss = loss * weight
    if input.ndim == 0:  # PyTorch's input.size(-1)
        raise IndexError("Dimension specified as -1 but tensor has no dimensions")
    loss = loss.sum(dim=input.ndim - 1) / input.shape[-1]
    return _reduce(loss, _reduction(size_average, reduce, reduction))


def _refuse_forward_ad(op: str, *xs) -> None:
    """Forward mode: PyTorch has no rule for ``op`` and raises at the op when an input carries a tangent."""
    if _fw.level is not None and _tangents_of(xs) is not None:
        raise NotImplementedError(f"Trying to use forward AD with {op} that does not support it because it has not "
                                  "been implemented yet.\nPlease file an issue to PyTorch at https://github.com/"
                                  "pytorch/pytorch/issues/new?template=feature-request.yml so that we can prioritize "
                                  "its implementation or submit a PR adding the implementation to derivatives.yaml")


class MultiMarginLossBackward0(Node):
    """ℓ_n = Σ_{i ≠ y} w_y h(z_i) / C with z_i = margin - x[y] + x[i], h(z) = max(z, 0)^p:
    dx[i] = g w_y h'(z_i) / C for i ≠ y, dx[y] = -Σ_{i ≠ y} of those  (h' = [z > 0] or 2z [z > 0])"""

    forward_ad = False  # PyTorch has none: the op refuses a tangent (_refuse_forward_ad)

    def backward(self, g):
        (x,) = self.saved_values()
        coef = _wrap(self.coef)  # w_y h'(z_i) / C per (n, i), 0 at i = y
        gn = g.reshape(-1, 1) if self.reduction == "none" else g / self.n if self.reduction == "mean" else g
        gx = coef * (gn * AF.ones_like(coef)) if self.reduction == "none" else coef * gn
        gx = gx - AF.scatter(AF.zeros_like(gx), 1, _wrap(self.t2), gx.sum(1, keepdim=True))
        return (gx.reshape(x.shape),)


def _margin_input(input: Tensor) -> tuple:
    """(n samples, C classes) of a multi-class margin loss's 0/1/2-D input, with PyTorch's check."""
    if input.ndim > 2 or (input.ndim == 2 and input.shape[1] == 0) or (input.ndim < 2 and input.numel() == 0):
        raise RuntimeError(f"Expected non-empty vector or matrix with optional 0-dim batch size, but got: "
                           f"{_sz(input.shape)}")
    if input.ndim <= 1:
        return 1, max(input.numel(), 1)
    return input.shape[0], input.shape[1]


def multi_margin_loss(input: Tensor, target: Tensor, p: int = 1, margin: float = 1.0, weight: Tensor | None = None,
                      size_average=None, reduce=None, reduction: str = "mean") -> Tensor:
    """Σ_{i ≠ y} w_y max(0, margin - x[y] + x[i])^p / C per sample, reduced (one node)."""
    if type(input) is not Tensor or type(target) is not Tensor:
        _tensor_arg("multi_margin_loss", ("input", 1, input), ("target", 2, target))
    _refuse_forward_ad("multi_margin_loss", input)
    reduction = _reduction(size_average, reduce, reduction)
    if p not in (1, 2):
        raise ValueError("only p == 1 and p == 2 supported")
    if weight is not None and weight.dim() != 1:
        raise ValueError("weight must be one-dimensional")
    n, C = _margin_input(input)
    if target.ndim > 1 or target.numel() != n:
        raise RuntimeError(f"multi_margin_loss: target tensor should be 1-D with size equal to the number of input "
                           f"samples (batch size). Expected target size [{n}], but got {_sz(target.shape)}. Input "
                           f"has shape {_sz(input.shape)}.")
    if input._data.dtype not in (np.float32, np.float64):
        raise _no_kernel("multi_margin_loss_cpu_kernel", input._data.dtype)
    if target.dtype != D.int64:
        raise RuntimeError(f"expected scalar type Long but found {_dtype_word(target)}")
    if weight is not None and weight.numel() != C:
        raise RuntimeError(f"inconsistent weight size, expected {C} but got {_sz(weight.shape)}")
    t = target._data.reshape(-1)
    if ((t < 0) | (t >= C)).any():
        raise RuntimeError("target out of range")
    x = input._data.reshape(n, C)
    ty = x.dtype.type
    rows = np.arange(n)
    z = ty(margin) - x[rows, t][:, None] + x
    pos = z > 0
    pos[rows, t] = False
    h = np.where(pos, z if p == 1 else z * z, ty(0))
    dh = np.where(pos, ty(1) if p == 1 else 2 * z, ty(0))
    if weight is not None:
        wy = weight._data.astype(x.dtype)[t][:, None]
        h, dh = h * wy, dh * wy
    per = (h.sum(1) / ty(C)).astype(x.dtype)
    if reduction == "none":
        loss = per.reshape(target.shape) if input.ndim > 1 or target.ndim > 0 else per.reshape(())
        if input.ndim <= 1 and target.ndim == 1:
            loss = per.reshape(1)
    else:
        loss = _reduce_np(per, reduction)
    out = _wrap_result(loss, MultiMarginLossBackward0, (input,), saved=(input,))
    if out.grad_fn is not None:
        node = out.grad_fn
        node.coef, node.t2, node.reduction, node.n = dh / ty(C), t[:, None], reduction, n
    return out


class MultilabelMarginLossBackward0(Node):
    """ℓ_n = Σ_{j ∈ targets} Σ_{i ∉ targets} max(0, 1 - (x[y_j] - x[i])) / C:
    each active pair (z > 0) adds g/C to dx[i] and -g/C to dx[y_j]"""

    forward_ad = False  # PyTorch has none: the op refuses a tangent (_refuse_forward_ad)

    def backward(self, g):
        (x,) = self.saved_values()
        coef = _wrap(self.coef)  # (n, C): the summed ±1/C of the active pairs
        gn = g.reshape(-1, 1) if self.reduction == "none" else g / self.n if self.reduction == "mean" else g
        return ((coef * gn).reshape(x.shape),)


def multilabel_margin_loss(input: Tensor, target: Tensor, size_average=None, reduce=None,
                           reduction: str = "mean") -> Tensor:
    """Σ over the sample's target classes j (listed until the first -1) and the other classes i of
    max(0, 1 - (x[j] - x[i])) / C, reduced (one node)."""
    _refuse_forward_ad("multilabel_margin_loss_forward", input)
    reduction = _reduction(size_average, reduce, reduction)
    n, C = _margin_input(input)
    if tuple(target.shape) != tuple(input.shape):
        raise RuntimeError(f"inconsistent target size: {_sz(target.shape)} for input of size: {_sz(input.shape)}")
    if target.dtype != D.int64:
        raise RuntimeError(f"expected scalar type Long but found {_dtype_word(target)}")
    t = target._data.reshape(n, C)
    x = input._data.reshape(n, C)
    ty = x.dtype.type
    stop = np.cumsum(t < 0, axis=1) > 0  # every entry from the first -1 on is ignored
    listed = ~stop
    if (listed & (t >= C)).any():
        raise RuntimeError("argument #2 'target' is out of range")
    safe = np.where(listed, t, 0)
    is_target = np.zeros((n, C), bool)
    rr, jj = np.nonzero(listed)
    is_target[rr, t[rr, jj]] = True
    xy = np.take_along_axis(x, safe, 1)  # (n, C): x at each listed target (junk where not listed)
    z = ty(1) - (xy[:, :, None] - x[:, None, :])  # (n, j, i)
    active = (z > 0) & listed[:, :, None] & ~is_target[:, None, :]
    per = (np.where(active, z, ty(0)).sum((1, 2)) / ty(C)).astype(x.dtype)
    coef = np.zeros((n, C), dtype=x.dtype)
    coef += active.sum(1).astype(x.dtype) / ty(C)  # +1/C to x[i] per active pair
    np.add.at(coef, (np.repeat(np.arange(n), C), safe.reshape(-1)), -(active.sum(2).reshape(-1)).astype(x.dtype) /
              ty(C))
    if reduction == "none":
        loss = per if input.ndim == 2 else per.reshape(())
    else:
        loss = _reduce_np(per, reduction)
    out = _wrap_result(loss, MultilabelMarginLossBackward0, (input,), saved=(input,))
    if out.grad_fn is not None:
        out.grad_fn.coef, out.grad_fn.reduction, out.grad_fn.n = coef, reduction, n
    return out




# -- connectionist temporal classification -------------------------------------------------------------------

def _logsumexp(*xs: np.ndarray) -> np.ndarray:
    m = np.maximum.reduce(xs)
    safe = np.where(np.isfinite(m), m, 0.0)
    with np.errstate(divide="ignore"):
        return safe + np.log(sum(np.exp(x - safe) for x in xs))


def _ctc_alpha_beta(lp: np.ndarray, labels: np.ndarray, il: np.ndarray, tl: np.ndarray, blank: int):
    """log α and log β (T, N, 2S+1) of every sample, and its -log p(target | input), in float64.

    l' is the target with blanks around and between its labels; α_t(s) sums the paths through l'[:s+1] that emit
    x_1..x_t, β_t(s) the paths from l'[s:] that emit x_t..x_T (both include the emission at t)."""
    T, N, _ = lp.shape
    S = labels.shape[1]
    L = 2 * S + 1
    ext = np.full((N, L), blank, dtype=np.int64)
    ext[:, 1::2] = labels
    valid = np.arange(L)[None, :] < (2 * tl + 1)[:, None]
    prev2 = np.full((N, L), -1, dtype=np.int64)
    prev2[:, 2:] = ext[:, :-2]
    skip = (ext != blank) & (ext != prev2)  # a label may be reached from two back unless it repeats
    skip[:, :2] = False
    emit = np.take_along_axis(lp, np.broadcast_to(ext[None], (T, N, L)), 2)  # (T, N, L): log y_t(l'[s])
    emit = np.where(valid[None], emit, -np.inf)
    alpha = np.full((T, N, L), -np.inf)
    a = np.full((N, L), -np.inf)
    a[:, 0] = emit[0, :, 0]
    a[:, 1] = np.where(tl > 0, emit[0, :, 1], -np.inf)
    alpha[0] = a
    ninf = np.full((N, 1), -np.inf)
    for t in range(1, T):
        s1 = np.concatenate([ninf, a[:, :-1]], 1)
        s2 = np.where(skip, np.concatenate([ninf, ninf, a[:, :-2]], 1), -np.inf)
        new = emit[t] + _logsumexp(a, s1, s2)
        a = np.where((t < il)[:, None], new, a)
        alpha[t] = np.where((t < il)[:, None], new, -np.inf)
    end = 2 * tl  # the last blank of l'; the last label is end - 1
    last = alpha[np.maximum(il - 1, 0), np.arange(N)]  # (N, L)
    fin = np.take_along_axis(last, end[:, None], 1)[:, 0]
    fin_lab = np.where(tl > 0, np.take_along_axis(last, np.maximum(end - 1, 0)[:, None], 1)[:, 0], -np.inf)
    nll = -_logsumexp(fin, fin_lab)
    nll = np.where(il > 0, nll, np.where(tl == 0, 0.0, np.inf))
    nxt2 = np.full((N, L), -1, dtype=np.int64)
    nxt2[:, :-2] = ext[:, 2:]
    skip_b = (ext != blank) & (ext != nxt2) & (np.arange(L)[None, :] + 2 < (2 * tl + 1)[:, None])
    beta = np.full((T, N, L), -np.inf)
    b = np.full((N, L), -np.inf)
    for t in range(T - 1, -1, -1):
        start = t == il - 1
        init = np.full((N, L), -np.inf)
        rows = np.arange(N)
        init[rows, end] = emit[t, rows, end]
        init[rows, np.maximum(end - 1, 0)] = np.where(tl > 0, emit[t, rows, np.maximum(end - 1, 0)],
                                                      init[rows, np.maximum(end - 1, 0)])
        s1 = np.concatenate([b[:, 1:], ninf], 1)
        s2 = np.where(skip_b, np.concatenate([b[:, 2:], ninf, ninf], 1), -np.inf)
        rec = emit[t] + _logsumexp(b, s1, s2)
        b = np.where(start[:, None], init, np.where((t < il - 1)[:, None], rec, -np.inf))
        beta[t] = b
    return alpha, beta, nll, ext, valid


class CtcLossBackward0(Node):
    """ℓ_n = -log Σ_{paths π → y_n} Π_t p_t(π_t), with log α, log β from the forward-backward recursions.
    PyTorch's gradient, with respect to the log-probabilities x = log p (t < input length):
      dx[t, n, c] = g_n (e^{x[t,n,c]} - e^{log Σ_{s: l'_s = c} α_t(s) β_t(s) + ℓ_n - x[t,n,c]})
    (the derivative with respect to the logits of a log_softmax, which is what reaches them through it)."""

    forward_ad = False  # PyTorch has none: the op refuses a tangent (_refuse_forward_ad)

    def backward(self, g):
        grad = _wrap((self.grad * g._data.reshape(1, -1, 1)).astype(self.dtype).reshape(self.in_shape))
        if _grad_mode.enabled:  # create_graph: PyTorch has no second derivative of CTC
            (log_probs,) = self.saved_values()
            grad = _wrap_result(grad._data, NotImplemented, (log_probs, g), op="_ctc_loss_backward")
        return (grad,)


def ctc_loss(log_probs: Tensor, targets: Tensor, input_lengths, target_lengths, blank: int = 0,
             reduction: str = "mean", zero_infinity: bool = False) -> Tensor:
    """-log p(target | input) summed over all alignments (blank-separated paths), per sample; 'mean' divides each by
    its target length, then averages. log_probs (T, N, C) (or (T, C)), targets (N, S) padded or concatenated."""
    _refuse_forward_ad("_ctc_loss", log_probs)
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction")
    batched = log_probs.dim() == 3
    lp_t = log_probs if batched else log_probs.unsqueeze(1)

    def lengths(v, what):
        if isinstance(v, Tensor):
            if v.is_floating_point() or v.dtype == D.bool_:
                raise RuntimeError(f"{what} must be integral")
            return v._data.reshape(-1).astype(np.int64)
        return np.asarray(v, dtype=np.int64).reshape(-1)
    il, tl = lengths(input_lengths, "input_lengths"), lengths(target_lengths, "target_lengths")
    T, N, C = lp_t.shape
    if blank < 0 or blank >= C:
        raise RuntimeError("blank must be in label range")
    if il.size != N:
        raise RuntimeError("input_lengths must be of size batch_size")
    if tl.size != N:
        raise RuntimeError("target_lengths must be of size batch_size")
    tg = targets._data.astype(np.int64)
    S = int(tl.max()) if N else 0
    labels = np.zeros((N, S), dtype=np.int64)
    if tg.ndim == 1:  # the targets of all samples, concatenated
        offsets = np.concatenate([[0], np.cumsum(tl)[:-1]]).astype(np.int64)
        for n in range(N):
            labels[n, :tl[n]] = tg[offsets[n]:offsets[n] + tl[n]]
    else:  # (N, S_max), padded
        if tg.shape[1] < S:
            raise RuntimeError(f"Expected tensor to have size at least {S} at dimension 1, but got size "
                               f"{tg.shape[1]} for argument #2 'targets' (while checking arguments for "
                               "ctc_loss_allocate_outputs)")
        labels[:] = tg[:, :S]
    for n in range(N):
        if il[n] > T:
            raise RuntimeError(f"Expected input_lengths to have value at most {T}, but got value {il[n]} (while "
                               "checking arguments for ctc_loss_allocate_outputs)")
    x = lp_t._data
    lp = x.astype(np.float64)
    alpha, beta, nll, ext, valid = _ctc_alpha_beta(lp, labels, il, tl, blank)
    node_grad = None
    if _grad_mode.enabled and log_probs._requires_grad:
        ab = np.where(valid[None], alpha + beta, -np.inf)  # (T, N, L)
        lcab = np.full((T, N, C), -np.inf)
        for s in range(ext.shape[1]):  # log Σ over the positions of l' showing each class
            idx = np.broadcast_to(ext[None, :, s:s + 1], (T, N, 1))
            cur = np.take_along_axis(lcab, idx, 2)
            np.put_along_axis(lcab, idx, _logsumexp(cur, ab[:, :, s:s + 1]), 2)
        with np.errstate(invalid="ignore", over="ignore"):
            grad = np.exp(lp) - np.exp(lcab + nll[None, :, None] - lp)
        grad[np.arange(T)[:, None] >= il[None, :]] = 0
        if zero_infinity:
            grad[:, np.isinf(nll)] = 0
        node_grad = grad
    res = _wrap_result(nll.astype(x.dtype), CtcLossBackward0, (log_probs,), saved=(log_probs,))
    if res.grad_fn is not None:
        res.grad_fn.grad, res.grad_fn.dtype, res.grad_fn.in_shape = node_grad, x.dtype, log_probs.shape
    if zero_infinity:
        res = AF.where(res == float("inf"), _wrap(np.zeros((), dtype=x.dtype)), res)
    if reduction == "mean":
        return (res / _wrap(np.maximum(tl, 1).astype(x.dtype))).mean()
    if reduction == "sum":
        return res.sum()
    return res if batched else res.squeeze(0)



# -- a linear layer and cross-entropy in one call ------------------------------------------------------------

def linear_cross_entropy(input: Tensor, linear_weight: Tensor, target: Tensor, *, linear_bias: Tensor | None = None,
                         weight: Tensor | None = None, reduction: str = "mean", ignore_index: int | None = None,
                         label_smoothing: float = 0.0, options=None) -> Tensor:
    """cross_entropy(input W_lᵀ + b_l, target): logits (N, C, *out_features) from a weight (C, *out_features,
    in_features). ``options`` (PyTorch's chunked path, which never builds the whole logits tensor) computes the
    same values here through the plain path."""
    if input.dim() < 1 or input.dim() > 2:
        raise RuntimeError(f"expected input with dimensionality 1 or 2, got {input.dim()}")
    if linear_weight.dim() < 2:
        raise RuntimeError(f"expected linear_weight with dimensionality at least 2, got {linear_weight.dim()}")
    batches = tuple(input.shape[:-1])
    in_features = input.shape[-1]
    if in_features != linear_weight.shape[-1]:
        raise RuntimeError("expected equal input and linear_weight last dimensions (in_features), got "
                           f"{input.shape[-1]} and {linear_weight.shape[-1]}, respectively")
    num_classes = linear_weight.shape[0]
    out_features = tuple(linear_weight.shape[1:-1])
    if linear_bias is not None and tuple(linear_bias.shape) != (num_classes, *out_features):
        raise RuntimeError(f"expected linear_bias shape {(num_classes, *out_features)}, got "
                           f"{tuple(linear_bias.shape)}")
    if out_features and not batches:
        raise RuntimeError(f"K-dimensional loss defined by linear_weight shape {tuple(linear_weight.shape)} requires "
                           f"batched input, (N, {in_features}), got unbatched input with shape {tuple(input.shape)}")
    logits_shape = (*batches, num_classes, *out_features)
    if tuple(target.shape) == logits_shape and ignore_index is not None:
        raise RuntimeError("ignore_index cannot be specified when target contains probabilities")
    ignore_index = ignore_index if ignore_index is not None else -100
    if options is not None and (out_features or reduction not in _REDUCTIONS or label_smoothing != 0.0
                                or target.dtype != D.int64):
        warnings.warn("linear_cross_entropy: ``options`` ignored; chunked path needs reduction in "
                      "{'mean','sum','none'}, label_smoothing == 0, target.dtype == int64, out_features == (). Got "
                      f"reduction={reduction!r}, label_smoothing={label_smoothing}, target.dtype={target.dtype}, "
                      f"out_features={out_features}, tracing=False, linear_bias.shape="
                      f"{tuple(linear_bias.shape) if linear_bias is not None else None}.", stacklevel=2)
    if out_features:
        linear_weight = linear_weight.reshape((math.prod(out_features, start=num_classes), in_features))
        if linear_bias is not None:
            linear_bias = linear_bias.reshape(math.prod(out_features, start=num_classes))
    logits = F.linear(input, linear_weight, linear_bias).reshape(logits_shape)
    return cross_entropy(logits, target, weight=weight, reduction=reduction, ignore_index=ignore_index,
                         label_smoothing=label_smoothing)
