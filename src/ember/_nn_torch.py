"""The torch.* spellings of nn ops (torch.dropout, torch.batch_norm, torch.conv2d, ...), over nn.functional."""

from __future__ import annotations

import builtins

from ._array import np
from ._core.args import _float_data
from ._core.tensor import Tensor
from .nn import functional as F
from .ops.binary import minimum
from .ops.linalg import pairwise_distance
from .ops.pointwise import clamp_min, where
from .ops.unary import rsqrt

# the same function under both names (torch.conv2d is nn.functional.conv2d)
conv1d, conv2d, conv_transpose1d, conv_transpose2d = F.conv1d, F.conv2d, F.conv_transpose1d, F.conv_transpose2d
max_pool1d, max_pool2d, avg_pool1d = F.max_pool1d, F.max_pool2d, F.avg_pool1d
adaptive_avg_pool1d, adaptive_max_pool1d = F.adaptive_avg_pool1d, F.adaptive_max_pool1d
selu, celu, rrelu, prelu, hardshrink = F.selu, F.celu, F.rrelu, F.prelu, F.hardshrink
pixel_shuffle, pixel_unshuffle, bilinear, alpha_dropout = F.pixel_shuffle, F.pixel_unshuffle, F.bilinear, F.alpha_dropout


_REDUCTIONS = {0: "none", 1: "mean", 2: "sum"}


def _reduction(r) -> str:
    return _REDUCTIONS.get(r, r) if isinstance(r, int) else r


def threshold(x, threshold, value):
    return F.threshold(x, threshold, value)


def dropout(x: Tensor, p: float, train: bool) -> Tensor:
    return F.dropout(x, p, train)


def feature_dropout(x: Tensor, p: float, train: bool) -> Tensor:
    return F.dropout2d(x, p, train) if x.ndim == 4 else F.dropout1d(x, p, train)


def embedding(weight: Tensor, indices: Tensor, padding_idx: int = -1, scale_grad_by_freq: bool = False,
              sparse: bool = False) -> Tensor:
    """torch.embedding takes the weight first (nn.functional.embedding takes the indices first)"""
    return F.embedding(indices, weight, None if padding_idx == -1 else padding_idx)


def batch_norm(x, weight, bias, running_mean, running_var, training, momentum, eps, cudnn_enabled=True):
    return F.batch_norm(x, running_mean, running_var, weight, bias, training, momentum, eps)


def layer_norm(x, normalized_shape, weight=None, bias=None, eps=1e-5, cudnn_enable=True):
    return F.layer_norm(x, normalized_shape, weight, bias, eps)


def group_norm(x, num_groups, weight=None, bias=None, eps=1e-5, cudnn_enabled=True):
    return F.group_norm(x, num_groups, weight, bias, eps)


def instance_norm(x, weight, bias, running_mean, running_var, use_input_stats, momentum, eps, cudnn_enabled=True):
    return F.instance_norm(x, running_mean, running_var, weight, bias, use_input_stats, momentum, eps)


def binary_cross_entropy_with_logits(x, target, weight=None, pos_weight=None, reduction=0):
    return F.binary_cross_entropy_with_logits(x, target, weight, reduction=_reduction(reduction),
                                                   pos_weight=pos_weight)


def kl_div(x, target, reduction=0, *, log_target=False):
    return F.kl_div(x, target, reduction=_reduction(reduction), log_target=log_target)


def poisson_nll_loss(x, target, log_input, full, eps, reduction):
    return F.poisson_nll_loss(x, target, log_input, full, eps=eps, reduction=_reduction(reduction))


def cosine_embedding_loss(x1, x2, target, margin=0.0, reduction=0):
    return F.cosine_embedding_loss(x1, x2, target, margin, reduction=_reduction(reduction))


def margin_ranking_loss(x1, x2, target, margin=0.0, reduction=0):
    return F.margin_ranking_loss(x1, x2, target, margin, reduction=_reduction(reduction))


def hinge_embedding_loss(x, target, margin=1.0, reduction=0):
    """x where target != -1, plus builtins.max(0, margin - x) where target != 1"""
    loss = where(target != -1, x, 0.0) + where(target != 1, clamp_min(margin - x, 0), 0.0)
    r = _reduction(reduction)
    return loss.mean() if r == "mean" else loss.sum() if r == "sum" else loss


def triplet_margin_loss(anchor, positive, negative, margin=1.0, p=2.0, eps=1e-6, swap=False, reduction=0):
    """builtins.max(d(a, p) - d(a, n) + margin, 0) with d the pairwise p-norm distance"""
    dp = pairwise_distance(anchor, positive, p, eps)
    dn = pairwise_distance(anchor, negative, p, eps)
    if swap:
        dn = minimum(dn, pairwise_distance(positive, negative, p, eps))
    loss = clamp_min(dp - dn + margin, 0)
    r = _reduction(reduction)
    return loss.mean() if r == "mean" else loss.sum() if r == "sum" else loss


def channel_shuffle(x: Tensor, groups: int) -> Tensor:
    """(N, g·c, ...) -> (N, c·g, ...): channels regrouped by transposing the (g, c) split"""
    n, ch = x.shape[0], x.shape[1]
    rest = tuple(x.shape[2:])
    return x.reshape((n, groups, ch // groups) + rest).transpose(1, 2).reshape((n, ch) + rest)


def rms_norm(x: Tensor, normalized_shape, weight=None, eps=None) -> Tensor:
    """x / √(mean(x²) + eps) over the trailing normalized_shape dims, times weight"""
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    dims = tuple(builtins.range(-len(shape), 0))
    if eps is None:
        eps = float(np.finfo(_float_data(x).dtype).eps)
    r = x * rsqrt((x * x).mean(dims, keepdim=True) + eps)
    return r * weight if weight is not None else r


def dropout_(x: Tensor, p: float, train: bool) -> Tensor:
    return x.copy_(dropout(x, p, train)) if train else x


def alpha_dropout_(x: Tensor, p: float, train: bool) -> Tensor:
    return x.copy_(F.alpha_dropout(x, p, train)) if train else x


def feature_dropout_(x: Tensor, p: float, train: bool) -> Tensor:
    return x.copy_(feature_dropout(x, p, train)) if train else x


def feature_alpha_dropout(x: Tensor, p: float, train: bool) -> Tensor:
    return F.alpha_dropout(x, p, train)


def threshold_(x: Tensor, threshold, value) -> Tensor:
    return F.threshold(x, threshold, value, inplace=True)


def selu_(x: Tensor) -> Tensor:
    return F.selu(x, inplace=True)


def celu_(x: Tensor, alpha: float = 1.0) -> Tensor:
    return F.celu(x, alpha, inplace=True)


def rrelu_(x: Tensor, lower: float = 1.0 / 8, upper: float = 1.0 / 3, training: bool = False) -> Tensor:
    return F.rrelu(x, lower, upper, training, inplace=True)


def constant_pad_nd(x: Tensor, pad, value=0) -> Tensor:
    return F.pad(x, pad, "constant", value)
