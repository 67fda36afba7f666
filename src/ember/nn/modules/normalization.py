"""Normalisation layers: ``BatchNorm1d/2d`` (running statistics), ``LayerNorm``, ``GroupNorm``."""

from __future__ import annotations

from ..._core import dtype as D
from ..._core.tensor import Tensor
from ...ops import creation as C
from .. import functional as F
from .. import init
from ..parameter import Parameter
from .module import Module

__all__ = [
    "BatchNorm1d",
    "BatchNorm2d",
    "BatchNorm3d",
    "GroupNorm",
    "LayerNorm",
    "SyncBatchNorm",
]


class _BatchNorm(Module):
    """Normalise each channel with batch statistics while training, running averages in eval."""

    _version = 2

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float | None = 0.1, affine: bool = True,
                 track_running_stats: bool = True, device=None, dtype=None, *, bias: bool = True) -> None:
        super().__init__()
        self.num_features = num_features
        self.eps = eps
        self.momentum = momentum
        self.affine = affine
        self.track_running_stats = track_running_stats
        if affine:
            self.weight = Parameter(C.empty(num_features, device=device, dtype=dtype))
            if bias:
                self.bias = Parameter(C.empty(num_features, device=device, dtype=dtype))
            else:
                self.register_parameter("bias", None)
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)
        if track_running_stats:
            self.register_buffer("running_mean", C.zeros(num_features, device=device, dtype=dtype))
            self.register_buffer("running_var", C.ones(num_features, device=device, dtype=dtype))
            self.register_buffer("num_batches_tracked", C.tensor(0, dtype=D.int64, device=device))
        else:
            self.register_buffer("running_mean", None)
            self.register_buffer("running_var", None)
            self.register_buffer("num_batches_tracked", None)
        self.reset_parameters()

    def reset_running_stats(self) -> None:
        if self.track_running_stats:
            self.running_mean.zero_()
            self.running_var.fill_(1)
            self.num_batches_tracked.zero_()

    def reset_parameters(self) -> None:
        """Running stats to (0, 1), weight to 1, bias to 0."""
        self.reset_running_stats()
        if self.affine:
            init.ones_(self.weight)
            if self.bias is not None:
                init.zeros_(self.bias)

    def _check_input_dim(self, input: Tensor) -> None:
        pass

    def forward(self, input: Tensor) -> Tensor:
        """Normalise ``input``; every check runs before ``num_batches_tracked`` or a running statistic moves.

        Goes past PyTorch, which counts the batch before it checks the input's channels and dtype.
        """
        self._check_input_dim(input)
        bn_training = self.training or (self.running_mean is None and self.running_var is None)
        use_buffers = not self.training or self.track_running_stats
        running_mean = self.running_mean if use_buffers else None
        running_var = self.running_var if use_buffers else None
        _check_batch_norm_input(input, running_mean, running_var, self.weight, self.bias, bn_training)
        factor = 0.0 if self.momentum is None else self.momentum
        if self.training and self.track_running_stats and self.num_batches_tracked is not None:
            self.num_batches_tracked.add_(1)
            factor = 1.0 / float(self.num_batches_tracked) if self.momentum is None else self.momentum
        return F._batch_norm(input, running_mean, running_var, self.weight, self.bias, bn_training, factor, self.eps)

    def extra_repr(self) -> str:
        return (f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, affine={self.affine}, "
                f"bias={self.bias is not None}, track_running_stats={self.track_running_stats}")

    def _load_from_state_dict(self, state_dict, prefix, local_metadata, strict, missing_keys, unexpected_keys,
                              error_msgs):
        # checkpoints from before num_batches_tracked existed (version < 2) load with it set to 0
        version = local_metadata.get("version", None)
        if (version is None or version < 2) and self.track_running_stats:
            key = prefix + "num_batches_tracked"
            if key not in state_dict:
                state_dict[key] = (self.num_batches_tracked if self.num_batches_tracked is not None
                                   else C.tensor(0, dtype=D.int64))
        super()._load_from_state_dict(state_dict, prefix, local_metadata, strict, missing_keys, unexpected_keys,
                                      error_msgs)


_REDUCED_FLOATS = (D.float16, D.bfloat16)


def _check_batch_norm_input(input: Tensor, running_mean, running_var, weight, bias, training: bool) -> None:
    """PyTorch's checks of a batch norm (F.batch_norm's, run before the module counts the batch)"""
    F._check_batch_norm(input, running_mean, running_var, weight, bias, training)


class BatchNorm1d(_BatchNorm):
    """Batch normalisation of (N, C) or (N, C, L) input: y = (x - E[x]) / √(Var[x] + ε) · γ + β, per channel.

    In training mode E[x] and Var[x] are the mean and the biased variance of each channel over the batch (and the
    spatial positions), and the running estimates are updated with the unbiased variance:
    running = (1 - momentum)·running + momentum·batch statistic. In eval mode (``model.eval()``) the running
    estimates are used instead, so a single sample gets a deterministic output.

    Args:
        num_features: C, the number of channels (dim 1 of the input).
        eps: ε, added to the variance for stability (default 1e-5).
        momentum: the weight of the new batch in the running estimates (default 0.1; None: a cumulative average).
        affine: whether to learn the per-channel scale γ (weight) and shift β (bias) (default True).
        track_running_stats: keep running estimates (default True); without them eval mode uses the batch's own
            statistics too.
        device, dtype: where and in which dtype the parameters and buffers are created.
        bias: with affine, whether to learn β as well (default True).

    Shape:
        input (N, C) or (N, C, L) -> output of the same shape.

    Parameters and buffers:
        weight γ (C,) = 1 and bias β (C,) = 0; running_mean (C,) = 0, running_var (C,) = 1, num_batches_tracked.

    Example:
        >>> m = nn.BatchNorm1d(2)
        >>> m(ember.tensor([[1.0, 2.0], [3.0, 6.0]]))  # each column to mean 0, variance 1
        tensor([[-1.0000, -1.0000],
                [ 1.0000,  1.0000]], grad_fn=<NativeBatchNormBackward0>)
        >>> m.running_mean, m.running_var  # 0.9·0 + 0.1·mean, 0.9·1 + 0.1·unbiased variance
        (tensor([0.2000, 0.4000]), tensor([1.1000, 1.7000]))
    """

    def _check_input_dim(self, input: Tensor) -> None:
        if input.ndim not in (2, 3):
            raise ValueError(f"expected 2D or 3D input (got {input.ndim}D input)")


class BatchNorm2d(_BatchNorm):
    """Batch normalisation of (N, C, H, W) input: y = (x - E[x]) / √(Var[x] + ε) · γ + β, per channel.

    In training mode E[x] and Var[x] are the mean and the biased variance of each channel over the batch (and the
    spatial positions), and the running estimates are updated with the unbiased variance:
    running = (1 - momentum)·running + momentum·batch statistic. In eval mode (``model.eval()``) the running
    estimates are used instead, so a single sample gets a deterministic output.

    Args:
        num_features: C, the number of channels (dim 1 of the input).
        eps: ε, added to the variance for stability (default 1e-5).
        momentum: the weight of the new batch in the running estimates (default 0.1; None: a cumulative average).
        affine: whether to learn the per-channel scale γ (weight) and shift β (bias) (default True).
        track_running_stats: keep running estimates (default True); without them eval mode uses the batch's own
            statistics too.
        device, dtype: where and in which dtype the parameters and buffers are created.
        bias: with affine, whether to learn β as well (default True).

    Shape:
        input (N, C, H, W) -> output of the same shape.

    Parameters and buffers:
        weight γ (C,) = 1 and bias β (C,) = 0; running_mean (C,) = 0, running_var (C,) = 1, num_batches_tracked.

    Example:
        >>> nn.BatchNorm2d(3)(ember.ones(4, 3, 5, 5)).shape
        torch.Size([4, 3, 5, 5])
    """

    def _check_input_dim(self, input: Tensor) -> None:
        if input.ndim != 4:
            raise ValueError(f"expected 4D input (got {input.ndim}D input)")


class BatchNorm3d(_BatchNorm):
    """Batch normalisation of (N, C, D, H, W) input: y = (x - E[x]) / √(Var[x] + ε) · γ + β, per channel.

    In training mode E[x] and Var[x] are the mean and the biased variance of each channel over the batch (and the
    spatial positions), and the running estimates are updated with the unbiased variance:
    running = (1 - momentum)·running + momentum·batch statistic. In eval mode (``model.eval()``) the running
    estimates are used instead, so a single sample gets a deterministic output.

    Args:
        num_features: C, the number of channels (dim 1 of the input).
        eps: ε, added to the variance for stability (default 1e-5).
        momentum: the weight of the new batch in the running estimates (default 0.1; None: a cumulative average).
        affine: whether to learn the per-channel scale γ (weight) and shift β (bias) (default True).
        track_running_stats: keep running estimates (default True); without them eval mode uses the batch's own
            statistics too.
        device, dtype: where and in which dtype the parameters and buffers are created.
        bias: with affine, whether to learn β as well (default True).

    Shape:
        input (N, C, D, H, W) -> output of the same shape.

    Parameters and buffers:
        weight γ (C,) = 1 and bias β (C,) = 0; running_mean (C,) = 0, running_var (C,) = 1, num_batches_tracked.

    Example:
        >>> nn.BatchNorm3d(3)(ember.ones(2, 3, 2, 2, 2)).shape
        torch.Size([2, 3, 2, 2, 2])
    """

    def _check_input_dim(self, input: Tensor) -> None:
        if input.ndim != 5:
            raise ValueError(f"expected 5D input (got {input.ndim}D input)")


class SyncBatchNorm(_BatchNorm):
    """Batch normalisation whose statistics would be pooled across processes (distributed training).

    In one process it normalises exactly as BatchNorm does: y = (x - E[x]) / √(Var[x] + ε) · γ + β, per channel.

    In training mode E[x] and Var[x] are the mean and the biased variance of each channel over the batch (and the
    spatial positions), and the running estimates are updated with the unbiased variance:
    running = (1 - momentum)·running + momentum·batch statistic. In eval mode (``model.eval()``) the running
    estimates are used instead, so a single sample gets a deterministic output.

    Args:
        num_features: C, the number of channels (dim 1 of the input).
        eps: ε, added to the variance for stability (default 1e-5).
        momentum: the weight of the new batch in the running estimates (default 0.1; None: a cumulative average).
        affine: whether to learn the per-channel scale γ (weight) and shift β (bias) (default True).
        track_running_stats: keep running estimates (default True); without them eval mode uses the batch's own
            statistics too.
        process_group: the processes whose batches are pooled; ember runs in one process, so the statistics are
            this process's batch, exactly as PyTorch computes them without an initialised process group.
        device, dtype: where and in which dtype the parameters and buffers are created.
        bias: with affine, whether to learn β as well (default True).

    Shape:
        input (N, C, *) -> output of the same shape.

    Parameters and buffers:
        weight γ (C,) = 1 and bias β (C,) = 0; running_mean (C,) = 0, running_var (C,) = 1, num_batches_tracked.

    Example:
        >>> nn.SyncBatchNorm(2)(ember.tensor([[1.0, 2.0], [3.0, 6.0]]))
        tensor([[-1.0000, -1.0000],
                [ 1.0000,  1.0000]], grad_fn=<NativeBatchNormBackward0>)
    """

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float | None = 0.1, affine: bool = True,
                 track_running_stats: bool = True, process_group=None, device=None, dtype=None, *,
                 bias: bool = True) -> None:
        super().__init__(num_features, eps, momentum, affine, track_running_stats, device=device, dtype=dtype,
                         bias=bias)
        self.process_group = process_group

    def _check_input_dim(self, input: Tensor) -> None:
        if input.ndim < 2:
            raise ValueError(f"expected at least 2D input (got {input.ndim}D input)")
        if input.shape[1] == 0:
            raise ValueError("SyncBatchNorm number of input channels should be non-zero")

    @classmethod
    def convert_sync_batchnorm(cls, module: Module, process_group=None) -> Module:
        """Replace every BatchNorm*d in ``module`` by a SyncBatchNorm sharing its parameters and buffers."""
        out = module
        if isinstance(module, _BatchNorm):
            out = cls(module.num_features, module.eps, module.momentum, module.affine, module.track_running_stats,
                      process_group, bias=module.bias is not None)
            if module.affine:
                out.weight = module.weight
                out.bias = module.bias
            out.running_mean = module.running_mean
            out.running_var = module.running_var
            out.num_batches_tracked = module.num_batches_tracked
            out.training = module.training
            if hasattr(module, "qconfig"):
                out.qconfig = module.qconfig
        for name, child in module.named_children():
            out.add_module(name, cls.convert_sync_batchnorm(child, process_group))
        return out


class LayerNorm(Module):
    """Layer normalisation: y = (x - μ) / √(σ² + ε) · w + b, μ and σ² taken over the last dims ``normalized_shape``.

    Each sample is normalised on its own (no batch statistics, the same in training and eval), with the biased
    variance; w and b have the shape normalized_shape (Ba, Kiros and Hinton, 2016; used in Transformers).

    Args:
        normalized_shape: the sizes of the trailing dimensions to normalise over: an int (the last dimension) or a
            tuple.
        eps: ε, added to the variance (default 1e-5).
        elementwise_affine: whether to learn the elementwise scale w (weight, initially 1) and shift b (bias,
            initially 0). Default True.
        bias: with elementwise_affine, whether to learn b as well (default True).
        device, dtype: where and in which dtype the parameters are created.

    Shape:
        input (*, normalized_shape) -> output of the same shape.

    Example:
        >>> m = nn.LayerNorm(3)
        >>> m(ember.tensor([[1.0, 2.0, 3.0], [2.0, 2.0, 8.0]]))
        tensor([[-1.2247,  0.0000,  1.2247],
                [-0.7071, -0.7071,  1.4142]], grad_fn=<NativeLayerNormBackward0>)
    """

    def __init__(self, normalized_shape, eps: float = 1e-5, elementwise_affine: bool = True, bias: bool = True,
                 device=None, dtype=None) -> None:
        super().__init__()
        if isinstance(normalized_shape, int):
            normalized_shape = (normalized_shape,)
        self.normalized_shape = tuple(normalized_shape)
        self.eps = eps
        self.elementwise_affine = elementwise_affine
        _affine_parameters(self, self.normalized_shape, elementwise_affine, bias, dtype, device)

    def reset_parameters(self) -> None:
        _reset_affine(self)

    def forward(self, input: Tensor) -> Tensor:
        return F.layer_norm(input, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return (f"{self.normalized_shape}, eps={self.eps}, elementwise_affine={self.elementwise_affine}, "
                f"bias={self.bias is not None}")


class GroupNorm(Module):
    """Group normalisation: the channels are split into num_groups groups, and each group of each sample is
    normalised over its channels and positions, y = (x - μ) / √(σ² + ε), then scaled and shifted per channel.

    Independent of the batch size (Wu and He, 2018); num_groups = 1 normalises all channels together (like
    LayerNorm over C, H, W), num_groups = C each channel alone (like InstanceNorm).

    Args:
        num_groups: the number of groups; num_channels must be divisible by it.
        num_channels: C, the number of channels (dim 1 of the input).
        eps: ε, added to the variance (default 1e-5).
        affine: whether to learn the per-channel scale (weight, initially 1) and shift (bias, initially 0).
        device, dtype: where and in which dtype the parameters are created.
        bias: with affine, whether to learn the shift as well (default True).

    Shape:
        input (N, C, *) -> output of the same shape.

    Example:
        >>> m = nn.GroupNorm(2, 4)  # channels (0, 1) and (2, 3)
        >>> m(ember.tensor([[1.0, 3.0, 10.0, 20.0]]))
        tensor([[-1.0000,  1.0000, -1.0000,  1.0000]],
               grad_fn=<NativeGroupNormBackward0>)
    """

    def __init__(self, num_groups: int, num_channels: int, eps: float = 1e-5, affine: bool = True, device=None,
                 dtype=None, *, bias: bool = True) -> None:
        super().__init__()
        if num_channels % num_groups != 0:
            raise ValueError("num_channels must be divisible by num_groups")
        self.num_groups = num_groups
        self.num_channels = num_channels
        self.eps = eps
        self.affine = affine
        _affine_parameters(self, (num_channels,), affine, bias, dtype, device)

    def reset_parameters(self) -> None:
        _reset_affine(self)

    def forward(self, input: Tensor) -> Tensor:
        return F.group_norm(input, self.num_groups, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return f"{self.num_groups}, {self.num_channels}, eps={self.eps}, affine={self.affine}, " \
               f"bias={self.bias is not None}"


def _affine_parameters(module: Module, shape, affine: bool, bias: bool, dtype, device=None) -> None:
    """The per-feature scale (weight, ones) and shift (bias, zeros) of a normalisation layer, or None."""
    if affine:
        module.weight = Parameter(C.empty(shape, device=device, dtype=dtype))
        if bias:
            module.bias = Parameter(C.empty(shape, device=device, dtype=dtype))
        else:
            module.register_parameter("bias", None)
    else:
        module.register_parameter("weight", None)
        module.register_parameter("bias", None)
    module.reset_parameters()


def _reset_affine(module: Module) -> None:
    if module.weight is not None:
        init.ones_(module.weight)
    if module.bias is not None:
        init.zeros_(module.bias)
