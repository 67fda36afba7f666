"""The torch.* spellings of nn ops (torch.dropout, torch.batch_norm, torch.conv2d, ...), over nn.functional."""

from __future__ import annotations

import builtins

from ._array import np
from ._core.args import _float_data
from ._core.node import Node
from ._core.record import _wrap_result
from ._core.tensor import Tensor, _wrap
from .nn import functional as F
from .nn.modules.rnn import RNNBase
from .ops.binary import minimum
from .ops.creation import empty_like
from .ops.index import NotImplemented as _NoDerivative
from .ops.inplace import check_inplace
from .ops.linalg import pairwise_distance
from .ops.pointwise import clamp_min, where
from .ops.unary import rsqrt

__all__ = ["alpha_dropout_", "batch_norm", "binary_cross_entropy_with_logits", "celu_", "channel_shuffle",
           "constant_pad_nd", "cosine_embedding_loss", "ctc_loss", "dropout", "dropout_", "embedding",
           "feature_alpha_dropout", "feature_dropout", "feature_dropout_", "group_norm", "gru_cell",
           "hinge_embedding_loss", "instance_norm", "kl_div", "layer_norm", "lstm_cell",
           "margin_ranking_loss", "max_pool1d_with_indices", "max_pool3d", "native_batch_norm",
           "native_dropout", "native_group_norm", "native_layer_norm", "poisson_nll_loss", "rms_norm",
           "rnn_relu_cell", "rnn_tanh_cell", "rrelu_", "selu_", "threshold", "threshold_",
           "triplet_margin_loss"]


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
    """x / √(mean(x²) + eps) over the trailing normalized_shape dims, times weight (F.rms_norm without its shape
    check: nn.functional computes it)"""
    return F._rms_norm(x, normalized_shape, weight, eps)


def dropout_(x: Tensor, p: float, train: bool) -> Tensor:
    return x.copy_(dropout(x, p, train)) if train else x


def alpha_dropout_(x: Tensor, p: float, train: bool) -> Tensor:
    return x.copy_(F.alpha_dropout(x, p, train)) if train else x


def feature_dropout_(x: Tensor, p: float, train: bool) -> Tensor:
    return x.copy_(feature_dropout(x, p, train)) if train else x


def feature_alpha_dropout(x: Tensor, p: float, train: bool) -> Tensor:
    return F.feature_alpha_dropout(x, p, train)


def feature_alpha_dropout_(x: Tensor, p: float, train: bool) -> Tensor:
    return F.feature_alpha_dropout(x, p, train, inplace=True) if train else x


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


# ---- 3-D convolution and pooling, CTC: the torch.* spellings ---------------------------------------------------

conv3d, conv_transpose3d = F.conv3d, F.conv_transpose3d


def max_pool3d(x: Tensor, kernel_size, stride=(), padding=0, dilation=1, ceil_mode: bool = False) -> Tensor:
    """nn.functional.max_pool3d without indices (an empty stride is the kernel size)"""
    return F.max_pool3d(x, kernel_size, stride if stride != () else None, padding, dilation, ceil_mode)


def max_pool1d_with_indices(x: Tensor, kernel_size, stride=(), padding=0, dilation=1, ceil_mode: bool = False):
    """(nn.functional.max_pool1d, the flat position of each maximum)"""
    return F.max_pool1d_with_indices(x, kernel_size, stride if stride != () else None, padding, dilation, ceil_mode,
                                     True)


def ctc_loss(log_probs, targets, input_lengths, target_lengths, blank: int = 0, reduction: int = 0,
             zero_infinity: bool = False) -> Tensor:
    """nn.functional.ctc_loss with the reduction as a number (0 none, 1 mean, 2 sum). Left out, it is none:
    PyTorch documents Mean but its binding passes 0."""
    if not isinstance(reduction, builtins.int):
        raise TypeError(f"ctc_loss(): argument 'reduction' (position 6) must be int, not {type(reduction).__name__}")
    return F.ctc_loss(log_probs, targets, input_lengths, target_lengths, blank, _reduction(reduction), zero_infinity)


# ---- the native_* ops: an nn op and the statistics it saved for backward ----------------------------------------

def _stats(x: Tensor, axes: tuple, eps: float):
    """mean and 1/√(biased var + eps) over ``axes``, kept as size-1 dims (constants: no gradient)"""
    d = x._data
    mean = d.mean(axis=axes, keepdims=True)
    var = np.square(d - mean).mean(axis=axes, keepdims=True)
    return mean, 1 / np.sqrt(var + d.dtype.type(eps))


def native_layer_norm(x: Tensor, normalized_shape, weight, bias, eps: float):
    """(layer_norm(x), mean, rstd), the statistics over the normalized dims kept as size 1"""
    shape = (normalized_shape,) if isinstance(normalized_shape, builtins.int) else tuple(normalized_shape)
    out = F.layer_norm(x, shape, weight, bias, eps)
    mean, rstd = _stats(x, tuple(builtins.range(x.ndim - len(shape), x.ndim)), eps)
    return out, _wrap(mean), _wrap(rstd)


def native_batch_norm(x: Tensor, weight, bias, running_mean, running_var, training: bool, momentum: float,
                      eps: float):
    """(batch_norm(x), save_mean, save_invstd): the batch statistics per channel when training (the running
    ones updated), empty tensors otherwise"""
    if not training and (running_mean is None or running_var is None):
        raise RuntimeError("running_mean and running_var must be defined in evaluation mode")
    stats = None
    if training:
        mean, rstd = _stats(x, (0,) + tuple(builtins.range(2, x.ndim)), eps)
        stats = _wrap(mean.reshape(-1)), _wrap(rstd.reshape(-1))
    out = F.batch_norm(x, running_mean, running_var, weight, bias, training, momentum, eps)
    if stats is None:
        empty = np.zeros(0, dtype=_float_data(x).dtype)
        stats = _wrap(empty), _wrap(empty.copy())
    return (out,) + stats


def native_group_norm(x: Tensor, weight, bias, N: int, C: int, HxW: int, group: int, eps: float):
    """(group_norm(x), mean, rstd), the statistics of each (sample, group) as (N, group)"""
    out = F.group_norm(x, group, weight, bias, eps)
    grouped = x.reshape(N, group, -1)
    mean = grouped.mean(-1)
    rstd = rsqrt(grouped.var(-1, unbiased=False) + eps)
    return out, mean, rstd


def native_dropout(x: Tensor, p: float, train) -> tuple:
    """(x · mask / (1 - p), mask): mask ~ Bernoulli(1 - p) (boolean) when training (train None or True); all
    True otherwise"""
    if train is None or train:
        if p == 1.0:
            keep = np.zeros(x.shape, dtype=bool)
            scale = _wrap(np.zeros(x.shape, dtype=_float_data(x).dtype))
        else:
            draw = empty_like(x).bernoulli_(1 - p)
            keep = draw._data != 0
            scale = _wrap(draw._data * draw._data.dtype.type(1 / (1 - p)))
        return x * scale, _wrap(keep)
    return x * 1, _wrap(np.ones(x.shape, dtype=bool))


# ---- recurrent cells as functions (weights passed in): h' from x and h ------------------------------------------

def _gates(x, hx, w_ih, w_hh, b_ih, b_hh):
    return F.linear(x, w_ih, b_ih) + F.linear(hx, w_hh, b_hh)


def rnn_tanh_cell(x, hx, w_ih, w_hh, b_ih=None, b_hh=None) -> Tensor:
    """h' = tanh(W_ih x + b_ih + W_hh h + b_hh)"""
    return _gates(x, hx, w_ih, w_hh, b_ih, b_hh).tanh()


def rnn_relu_cell(x, hx, w_ih, w_hh, b_ih=None, b_hh=None) -> Tensor:
    """h' = relu(W_ih x + b_ih + W_hh h + b_hh)"""
    return _gates(x, hx, w_ih, w_hh, b_ih, b_hh).relu()


def lstm_cell(x, hx, w_ih, w_hh, b_ih=None, b_hh=None) -> tuple:
    """(h', c'): i, f, g, o = σ, σ, tanh, σ of the four chunks of W_ih x + b_ih + W_hh h + b_hh;
    c' = f c + i g, h' = o tanh(c')"""
    h, c = hx
    i, f, g, o = _gates(x, h, w_ih, w_hh, b_ih, b_hh).chunk(4, 1 if x.ndim == 2 else 0)
    cy = f.sigmoid() * c + i.sigmoid() * g.tanh()
    return o.sigmoid() * cy.tanh(), cy


def gru_cell(x, hx, w_ih, w_hh, b_ih=None, b_hh=None) -> Tensor:
    """h' = n + z (h - n): r, z = σ(chunks of W_ih x + b_ih + W_hh h + b_hh), n = tanh(i_n + r h_n)"""
    dim = 1 if x.ndim == 2 else 0
    ir, iz, in_ = F.linear(x, w_ih, b_ih).chunk(3, dim)
    hr, hz, hn = F.linear(hx, w_hh, b_hh).chunk(3, dim)
    r = (ir + hr).sigmoid()
    z = (iz + hz).sigmoid()
    n = (in_ + r * hn).tanh()
    return n + z * (hx - n)


# ---- ATen's entry points behind public functions, with their ATen signatures ----------------------------------

def convolution(x: Tensor, weight: Tensor, bias, stride, padding, dilation, transposed: bool, output_padding,
                groups: int) -> Tensor:
    """ATen's convolution: conv{1,2,3}d or conv_transpose{1,2,3}d by the weight's dims and ``transposed``"""
    n = weight.ndim - 2
    if n not in (1, 2, 3):
        raise RuntimeError(f"Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: "
                           f"{list(x.shape)}")
    stride, padding, dilation = tuple(stride), tuple(padding), tuple(dilation)
    if transposed:
        conv = (F.conv_transpose1d, F.conv_transpose2d, F.conv_transpose3d)[n - 1]
        return conv(x, weight, bias, stride, padding, tuple(output_padding), groups, dilation)
    return (F.conv1d, F.conv2d, F.conv3d)[n - 1](x, weight, bias, stride, padding, dilation, groups)


def _no_cpu_kernel(op: str):
    """What PyTorch's dispatcher raises for an op with no kernel for dense CPU tensors"""
    return NotImplementedError(
        f"Could not run 'aten::{op}' with arguments from the 'CPU' backend. This could be because the operator "
        "doesn't exist for this backend, or was omitted during the selective/custom build process (if using custom "
        "build).")


def native_norm(x: Tensor, p=2, dim=None, keepdim: bool = False, dtype=None) -> Tensor:
    """ATen's native_norm: a sparse-tensor kernel only; on a dense CPU tensor PyTorch raises, and so does this"""
    raise _no_cpu_kernel("native_norm" if dim is None else "native_norm.ScalarOpt_dim_dtype")


class NormBackward0(Node):
    """y = ‖x‖_p over all elements (ATen's norm, as norm_except_dim(v, p, -1) calls it):
    dx = g · sgn(x) (|x| / y)^(p-1), zero where y = 0"""

    def backward(self, g):
        (x,) = self.saved_values()
        y = self.norm
        safe = where(y == 0, 1.0, y)
        r = x.sgn() if self.p == 1 else x.sgn() * (x.abs() / safe) ** (self.p - 1)
        return (where(y == 0, 0.0, g * r),)


def _norm(x: Tensor, p) -> Tensor:
    value = x.detach().norm(p)
    return _wrap_result(value._data, NormBackward0, (x,), saved=(x,), norm=value, p=p)


def norm_except_dim(v: Tensor, pow: int = 2, dim: int = 0) -> Tensor:  # noqa: A002 - ATen's name
    """The p-norm over every dim but ``dim`` (weight_norm's g), kept as size-1 dims; dim=-1: the whole norm"""
    if dim == -1:
        return _norm(v, pow)
    d = dim if dim >= 0 else dim + v.ndim
    if not 0 <= d < v.ndim:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-v.ndim}, {v.ndim - 1}], but got "
                         f"{dim})")
    shape = [1] * v.ndim
    shape[d] = v.shape[d]
    if d == 0:
        return v.contiguous().view(v.shape[0], -1).norm(pow, 1).view(shape)
    if d == v.ndim - 1:
        return v.contiguous().view(-1, v.shape[d]).norm(pow, 0).view(shape)
    return norm_except_dim(v.transpose(0, d), pow, 0).transpose(0, d)


def native_channel_shuffle(x: Tensor, groups: int) -> Tensor:
    """channel_shuffle's kernel: the same values; PyTorch gives it no derivative (backward raises)"""
    ch = x.shape[1] if x.ndim > 1 else 0
    if groups <= 0:
        raise RuntimeError(f"Number of groups to divide channels in must be positive. Value of groups:{groups}")
    if ch % groups:
        raise RuntimeError(f"Number of channels must be divisible by groups. Got {ch} channels and {groups} groups.")
    r = channel_shuffle(x.detach(), groups).contiguous()
    return _wrap_result(r._data, _NoDerivative, (x,), op="native_channel_shuffle")


def embedding_renorm_(weight: Tensor, indices: Tensor, max_norm: float, norm_type: float) -> Tensor:
    """The rows of ``weight`` that ``indices`` name, rescaled in place to norm max_norm where theirs exceeds it"""
    if indices._data.dtype.kind not in "iu" or indices._data.dtype.itemsize < 4:
        raise RuntimeError("Expected tensor for argument #2 'indices' to have one of the following scalar types: "
                           f"Long, Int; but got {indices.type()} instead (while checking arguments for "
                           "embedding_renorm_)")
    check_inplace(weight)
    F._embedding_renorm_(weight, indices._data, max_norm, norm_type)
    return weight


_INTERPOLATION = {0: "bilinear", 1: "nearest", 2: "bicubic"}
_PADDING = {0: "zeros", 1: "border", 2: "reflection"}


def _grid_sampler(x, grid, interpolation_mode: int, padding_mode: int, align_corners: bool, dims=None):
    if dims is not None and not (x.ndim == grid.ndim == dims + 2):
        raise RuntimeError(f"grid_sampler(): expected {dims + 2}D input and grid with same number of dimensions, "
                           f"but got input with sizes {list(x.shape)} and grid with sizes {list(grid.shape)}")
    if interpolation_mode not in _INTERPOLATION:
        raise RuntimeError(f"grid_sampler(): expected interpolation_mode to be one of 0, 1, 2 but got "
                           f"{interpolation_mode}")
    if padding_mode not in _PADDING:
        raise RuntimeError(f"grid_sampler(): expected padding_mode to be one of 0, 1, 2 but got {padding_mode}")
    return F.grid_sample(x, grid, _INTERPOLATION[interpolation_mode], _PADDING[padding_mode], align_corners)


def grid_sampler(x, grid, interpolation_mode: int, padding_mode: int, align_corners: bool) -> Tensor:
    """nn.functional.grid_sample with its modes as numbers (0 bilinear, 1 nearest, 2 bicubic; padding 0 zeros,
    1 border, 2 reflection)"""
    return _grid_sampler(x, grid, interpolation_mode, padding_mode, align_corners)


def grid_sampler_2d(x, grid, interpolation_mode: int, padding_mode: int, align_corners: bool) -> Tensor:
    """grid_sampler for 4-D input and grid"""
    return _grid_sampler(x, grid, interpolation_mode, padding_mode, align_corners, 2)


def grid_sampler_3d(x, grid, interpolation_mode: int, padding_mode: int, align_corners: bool) -> Tensor:
    """grid_sampler for 5-D input and grid"""
    return _grid_sampler(x, grid, interpolation_mode, padding_mode, align_corners, 3)


def affine_grid_generator(theta: Tensor, size, align_corners: bool) -> Tensor:
    """nn.functional.affine_grid with align_corners required"""
    return F.affine_grid(theta, list(size), align_corners)


# ---- the recurrent layers as functions (torch.lstm & co.: weights passed as a flat list) ------------------------

class _Layers:
    """What nn.RNNBase's layer loop reads from the module, here from torch.lstm's arguments."""

    def __init__(self, mode, params, has_biases, num_layers, dropout, train, bidirectional):
        self.mode, self.num_layers, self.dropout, self.training = mode, num_layers, dropout, train
        self.bidirectional, self.proj_size = bidirectional, 0
        self.per = 4 if has_biases else 2
        self.params, self.has_biases = list(params), has_biases
        dirs = 2 if bidirectional else 1
        if len(self.params) != num_layers * dirs * self.per:
            raise RuntimeError(f"Expected {num_layers * dirs * self.per} parameters, got {len(self.params)}")

    def _layer_weights(self, layer: int, d: int):
        k = (layer * (2 if self.bidirectional else 1) + d) * self.per
        w = self.params[k:k + self.per]
        return (w[0], w[1], w[2], w[3], None) if self.has_biases else (w[0], w[1], None, None, None)

    def _composite_layer(self, *args):
        return RNNBase._composite_layer(self, *args)

    def run(self, x, hx, cx, batch_sizes, batch_first):
        time_major = x.transpose(0, 1) if batch_first and batch_sizes is None else x
        out, h, c = RNNBase._run(self, time_major, hx, cx, batch_sizes)
        if batch_first and batch_sizes is None:
            if self.mode == "LSTM":  # as nn.LSTM: a transposed view; RNN and GRU transpose in place
                out = out.transpose(0, 1)
            else:
                out.transpose_(0, 1)
        return out, h, c


def _recurrent(mode: str, args: tuple):
    if isinstance(args[1], Tensor) and not isinstance(args[2], (list, tuple)) or mode == "LSTM" and \
            isinstance(args[1], Tensor):  # the packed overload: (data, batch_sizes, hx, params, ...)
        data, batch_sizes, hx, params, has_biases, num_layers, dropout, train, bidirectional = args
        batch_first = False
    else:
        data, hx, params, has_biases, num_layers, dropout, train, bidirectional, batch_first = args
        batch_sizes = None
    layers = _Layers(mode, params, has_biases, num_layers, dropout, train, bidirectional)
    h0, c0 = (hx[0], hx[1]) if mode == "LSTM" else (hx, None)
    out, h, c = layers.run(data, h0, c0, batch_sizes, batch_first)
    return (out, h, c) if mode == "LSTM" else (out, h)


def lstm(*args):
    """torch.lstm(input, (h0, c0), params, has_biases, num_layers, dropout, train, bidirectional, batch_first)
    -> (output, h_n, c_n); or (data, batch_sizes, (h0, c0), params, ...) for packed data. ``params``: per layer
    and direction, w_ih, w_hh (and b_ih, b_hh with has_biases)"""
    return _recurrent("LSTM", args)


def gru(*args):
    """torch.gru(input, h0, params, has_biases, num_layers, dropout, train, bidirectional, batch_first)
    -> (output, h_n); or (data, batch_sizes, h0, params, ...) for packed data"""
    return _recurrent("GRU", args)


def rnn_tanh(*args):
    """torch.rnn_tanh(input, h0, params, has_biases, num_layers, dropout, train, bidirectional, batch_first)
    -> (output, h_n): h' = tanh(W_ih x + b_ih + W_hh h + b_hh) per layer"""
    return _recurrent("RNN_TANH", args)


def rnn_relu(*args):
    """torch.rnn_relu(...) as rnn_tanh, with relu"""
    return _recurrent("RNN_RELU", args)


# ---- sync batch norm's kernels: on the CPU PyTorch has only batch_norm_update_stats; the others raise -----------

def batch_norm_stats(x: Tensor, eps: float):
    raise _no_cpu_kernel("batch_norm_stats")


def batch_norm_elemt(x: Tensor, weight, bias, mean, invstd, eps: float):
    raise _no_cpu_kernel("batch_norm_elemt")


def batch_norm_gather_stats(x: Tensor, mean, invstd, running_mean, running_var, momentum: float, eps: float,
                            count: int):
    raise _no_cpu_kernel("batch_norm_gather_stats")


def batch_norm_gather_stats_with_counts(x: Tensor, mean, invstd, running_mean, running_var, momentum: float,
                                        eps: float, counts):
    raise _no_cpu_kernel("batch_norm_gather_stats_with_counts")


def batch_norm_backward_reduce(grad_out, x, mean, invstd, weight, input_g: bool, weight_g: bool, bias_g: bool):
    raise _no_cpu_kernel("batch_norm_backward_reduce")


def batch_norm_backward_elemt(grad_out, x, mean, invstd, weight, sum_dy, sum_dy_xmu, count):
    raise _no_cpu_kernel("batch_norm_backward_elemt")


def batch_norm_update_stats(x: Tensor, running_mean, running_var, momentum: float):
    """(mean, biased var) per channel (dim 1) of x; the running statistics, when given, move towards the batch's
    by ``momentum`` (the running variance towards the unbiased one), in place. No derivative, as in PyTorch."""
    d = x._data
    axes = (0,) + tuple(builtins.range(2, x.ndim))
    n = d.size // (d.shape[1] if d.ndim > 1 else 1)
    mean = d.mean(axis=axes)
    var = np.square(d - mean.reshape((1, -1) + (1,) * (x.ndim - 2))).mean(axis=axes)
    if running_mean is not None:
        rm = running_mean._data
        rm[...] = (1 - momentum) * rm + momentum * mean  # (no version bump: PyTorch's kernel makes none)
    if running_var is not None:
        rv = running_var._data
        rv[...] = (1 - momentum) * rv + momentum * var * (n / builtins.max(n - 1, 1))
    return (_wrap_result(mean, _NoDerivative, (x,), op="batch_norm_update_stats"),
            _wrap_result(var, _NoDerivative, (x,), op="batch_norm_update_stats"))


conv_tbc = F.conv_tbc  # torch.conv_tbc: the op lives with the other convolutions (nn/_functional_spatial.py)


def embedding_bag(weight: Tensor, indices: Tensor, offsets: Tensor, scale_grad_by_freq: bool = False,
                  mode: int = 0, sparse: bool = False, per_sample_weights=None, include_last_offset: bool = False,
                  padding_idx=None):
    """ATen's embedding_bag (weight first; mode 0 sum, 1 mean, 2 max): (output, offset2bag, bag_size,
    max_indices), the last three as PyTorch's CPU kernel fills them: each index's bag, each bag's count of
    non-padding indices (zeros for sum), and for max the row behind each maximum (for mean the counts again).
    PyTorch's float32 sum kernel leaves offset2bag empty and the counts zero, and so does this."""
    if mode not in (0, 1, 2):
        raise RuntimeError("`mode` must be sum, mean, or max.")
    name = ("sum", "mean", "max")[mode]
    out = F.embedding_bag(indices, weight, offsets, None, 2, scale_grad_by_freq, name, sparse, per_sample_weights,
                          include_last_offset, padding_idx)
    it = indices._data.dtype
    nbags = out.shape[0]
    idx = indices._data.reshape(-1).astype(np.int64)
    if mode == 0 and weight._data.dtype == np.float32 and padding_idx is None:
        zeros = np.zeros(nbags, dtype=it)
        return out, _wrap(np.zeros(0, dtype=it)), _wrap(zeros), _wrap(zeros.copy())
    starts = offsets._data.astype(np.int64)[:nbags]
    bag = np.searchsorted(starts, np.arange(idx.size), side="right") - 1
    pad = -1 if padding_idx is None else padding_idx % weight.shape[0]
    counted = idx != pad
    size = np.zeros(nbags, dtype=it) if mode == 0 else np.bincount(bag[counted], minlength=nbags).astype(it)
    if mode == 2:
        w = weight._data
        most = np.zeros((nbags, w.shape[1]), dtype=it)
        for b in builtins.range(nbags):
            rows = idx[(bag == b) & counted]
            if rows.size:
                most[b] = rows[np.argmax(w[rows], axis=0)]
    else:
        most = size.copy()
    return out, _wrap(bag.astype(it)), _wrap(size), _wrap(most)


# ---- GPU and oneDNN kernels: PyTorch's CPU build has the names, and on CPU tensors they raise its dispatcher's
# error (cudnn_is_acceptable answers False) ----------------------------------------------------------------------

def cudnn_is_acceptable(x) -> bool:
    """Whether cuDNN could run on ``x``: never on the CPU"""
    if not isinstance(x, Tensor):
        raise TypeError(f"cudnn_is_acceptable(): argument 'input' (position 1) must be Tensor, not "
                        f"{type(x).__name__}")
    return False


def _cpu_less(op: str):
    def kernel(*args, **kwargs):
        raise _no_cpu_kernel(op)
    kernel.__name__ = kernel.__qualname__ = op
    kernel.__doc__ = f"{op}: a cuDNN/MIOpen/oneDNN kernel with no CPU implementation; it raises, as in PyTorch"
    return kernel


_CPU_LESS = ("cudnn_affine_grid_generator", "cudnn_batch_norm", "cudnn_convolution", "cudnn_convolution_add_relu",
             "cudnn_convolution_relu", "cudnn_convolution_transpose", "cudnn_grid_sampler", "miopen_batch_norm",
             "miopen_convolution", "miopen_convolution_add_relu", "miopen_convolution_relu",
             "miopen_convolution_transpose", "miopen_ctc_loss", "miopen_depthwise_convolution", "miopen_rnn",
             "mkldnn_adaptive_avg_pool2d", "mkldnn_linear_backward_weights", "mkldnn_max_pool2d",
             "mkldnn_max_pool3d")
globals().update({_op: _cpu_less(_op) for _op in _CPU_LESS})
