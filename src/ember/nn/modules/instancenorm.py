"""Instance normalisation: ``InstanceNorm1d/2d/3d`` and their lazy forms, as in PyTorch (a ``_NormBase``
like batch normalisation, with running statistics when ``track_running_stats``)."""

from __future__ import annotations

import warnings

from ..._core.tensor import Tensor
from .. import functional as F
from .lazy import _LazyNormBase
from .normalization import _BatchNorm

__all__ = ["InstanceNorm1d", "InstanceNorm2d", "InstanceNorm3d", "LazyInstanceNorm1d", "LazyInstanceNorm2d",
           "LazyInstanceNorm3d"]


class _InstanceNorm(_BatchNorm):
    """Normalise each (sample, channel) over its spatial positions; optional affine and running statistics."""

    _nd = 1  # spatial dims

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float = 0.1, affine: bool = False,
                 track_running_stats: bool = False, device=None, dtype=None, *, bias: bool = True) -> None:
        super().__init__(num_features, eps, momentum, affine, track_running_stats, device, dtype, bias=bias)

    def _check_input_dim(self, input: Tensor) -> None:
        nd = self._nd
        if input.ndim not in (nd + 1, nd + 2):
            raise ValueError(f"expected {nd + 1}D or {nd + 2}D input (got {input.ndim}D input)")

    def _apply_instance_norm(self, input: Tensor) -> Tensor:
        return F.instance_norm(input, self.running_mean, self.running_var, self.weight, self.bias,
                               self.training or not self.track_running_stats,
                               self.momentum if self.momentum is not None else 0.0, self.eps)

    def _load_from_state_dict(self, state_dict, prefix, local_metadata, strict, missing_keys, unexpected_keys,
                              error_msgs) -> None:
        # checkpoints from before 0.4 stored running stats even without track_running_stats
        if local_metadata.get("version", None) is None and not self.track_running_stats:
            keys = [prefix + n for n in ("running_mean", "running_var") if prefix + n in state_dict]
            if keys:
                name = type(self).__name__
                error_msgs.append(
                    "Unexpected running stats buffer(s) {names} for {klass} with track_running_stats=False. If "
                    "state_dict is a checkpoint saved before 0.4.0, this may be expected because {klass} does not "
                    "track running stats by default since 0.4.0. Please remove these keys from state_dict. If the "
                    "running stats are actually needed, instead set track_running_stats=True in {klass} to enable "
                    "them. See the documentation of {klass} for details.".format(
                        names=" and ".join(f'"{k}"' for k in keys), klass=name))
                for k in keys:
                    state_dict.pop(k)
        super()._load_from_state_dict(state_dict, prefix, local_metadata, strict, missing_keys, unexpected_keys,
                                      error_msgs)

    def forward(self, input: Tensor) -> Tensor:
        self._check_input_dim(input)
        nd = self._nd
        feature_dim = input.ndim - (nd + 1)
        if input.shape[feature_dim] != self.num_features:
            if self.affine:
                raise ValueError(f"expected input's size at dim={feature_dim} to match num_features "
                                 f"({self.num_features}), but got: {input.shape[feature_dim]}.")
            warnings.warn(f"input's size at dim={feature_dim} does not match num_features. You can silence this "
                          "warning by not passing in num_features, which is not used because affine=False",
                          stacklevel=2)
        if input.ndim == nd + 1:
            return self._apply_instance_norm(input.unsqueeze(0)).squeeze(0)
        return self._apply_instance_norm(input)


class InstanceNorm1d(_InstanceNorm):
    """Instance normalisation: each channel of each sample is normalised over L on its own,
    y = (x - μ) / √(σ² + ε) · γ + β (Ulyanov et al., 2016; common in style transfer).

    Unlike BatchNorm, by default there are no learned parameters and no running estimates, and training and eval
    compute the same thing.

    Args:
        num_features: C, the number of channels.
        eps: ε, added to the variance (default 1e-5).
        momentum: the weight of a new batch in the running estimates, when they are tracked (default 0.1).
        affine: whether to learn a per-channel scale γ and shift β (default False).
        track_running_stats: keep running estimates of mean and variance and use them in eval mode (default False).
        device, dtype: where and in which dtype the parameters and buffers are created.
        bias: with affine, whether to learn β as well (default True).

    Shape:
        input (N, C, L) or (C, L) -> output of the same shape.

    Example:
        >>> nn.InstanceNorm1d(2)(ember.tensor([[[1.0, 3.0], [0.0, 4.0]]]))
        tensor([[[-1.0000,  1.0000],
                 [-1.0000,  1.0000]]])
    """

    _nd = 1


class InstanceNorm2d(_InstanceNorm):
    """Instance normalisation: each channel of each sample is normalised over H, W on its own,
    y = (x - μ) / √(σ² + ε) · γ + β (Ulyanov et al., 2016; common in style transfer).

    Unlike BatchNorm, by default there are no learned parameters and no running estimates, and training and eval
    compute the same thing.

    Args:
        num_features: C, the number of channels.
        eps: ε, added to the variance (default 1e-5).
        momentum: the weight of a new batch in the running estimates, when they are tracked (default 0.1).
        affine: whether to learn a per-channel scale γ and shift β (default False).
        track_running_stats: keep running estimates of mean and variance and use them in eval mode (default False).
        device, dtype: where and in which dtype the parameters and buffers are created.
        bias: with affine, whether to learn β as well (default True).

    Shape:
        input (N, C, H, W) or (C, H, W) -> output of the same shape.

    Example:
        >>> nn.InstanceNorm2d(3)(ember.ones(2, 3, 4, 4)).shape
        torch.Size([2, 3, 4, 4])
    """

    _nd = 2


class InstanceNorm3d(_InstanceNorm):
    """Instance normalisation: each channel of each sample is normalised over D, H, W on its own,
    y = (x - μ) / √(σ² + ε) · γ + β (Ulyanov et al., 2016; common in style transfer).

    Unlike BatchNorm, by default there are no learned parameters and no running estimates, and training and eval
    compute the same thing.

    Args:
        num_features: C, the number of channels.
        eps: ε, added to the variance (default 1e-5).
        momentum: the weight of a new batch in the running estimates, when they are tracked (default 0.1).
        affine: whether to learn a per-channel scale γ and shift β (default False).
        track_running_stats: keep running estimates of mean and variance and use them in eval mode (default False).
        device, dtype: where and in which dtype the parameters and buffers are created.
        bias: with affine, whether to learn β as well (default True).

    Shape:
        input (N, C, D, H, W) or (C, D, H, W) -> output of the same shape.

    Example:
        >>> nn.InstanceNorm3d(3, affine=True)
        InstanceNorm3d(3, eps=1e-05, momentum=0.1, affine=True, bias=True, track_running_stats=False)
    """

    _nd = 3


class _LazyInstanceNorm(_LazyNormBase):
    def __init__(self, eps: float = 1e-5, momentum: float = 0.1, affine: bool = True,
                 track_running_stats: bool = True, device=None, dtype=None) -> None:
        super().__init__(eps, momentum, affine, track_running_stats, device, dtype)


class LazyInstanceNorm1d(_LazyInstanceNorm, InstanceNorm1d):
    """An InstanceNorm1d whose num_features is read from the first input (its channel dimension).

    Until the first forward pass its parameters and buffers are uninitialised placeholders; that call fixes
    num_features and turns the module into a plain ``InstanceNorm1d``. Note the defaults: affine and
    track_running_stats are True here, as in PyTorch.

    Args:
        eps, momentum, affine, track_running_stats: as in InstanceNorm1d (affine and track_running_stats default
            to True).
        device, dtype: where and in which dtype the parameters and buffers are created.

    Shape:
        input (N, C, L) or (C, L) -> output of the same shape.

    Example:
        >>> m = nn.LazyInstanceNorm1d()
        >>> m(ember.ones(2, 3, 5)).shape
        torch.Size([2, 3, 5])
        >>> type(m).__name__, m.num_features
        ('InstanceNorm1d', 3)
    """

    cls_to_become = InstanceNorm1d


class LazyInstanceNorm2d(_LazyInstanceNorm, InstanceNorm2d):
    """An InstanceNorm2d whose num_features is read from the first input (its channel dimension).

    Until the first forward pass its parameters and buffers are uninitialised placeholders; that call fixes
    num_features and turns the module into a plain ``InstanceNorm2d``. Note the defaults: affine and
    track_running_stats are True here, as in PyTorch.

    Args:
        eps, momentum, affine, track_running_stats: as in InstanceNorm2d (affine and track_running_stats default
            to True).
        device, dtype: where and in which dtype the parameters and buffers are created.

    Shape:
        input (N, C, H, W) or (C, H, W) -> output of the same shape.

    Example:
        >>> m = nn.LazyInstanceNorm2d()
        >>> m(ember.ones(2, 3, 4, 4)).shape
        torch.Size([2, 3, 4, 4])
        >>> type(m).__name__, m.num_features
        ('InstanceNorm2d', 3)
    """

    cls_to_become = InstanceNorm2d


class LazyInstanceNorm3d(_LazyInstanceNorm, InstanceNorm3d):
    """An InstanceNorm3d whose num_features is read from the first input (its channel dimension).

    Until the first forward pass its parameters and buffers are uninitialised placeholders; that call fixes
    num_features and turns the module into a plain ``InstanceNorm3d``. Note the defaults: affine and
    track_running_stats are True here, as in PyTorch.

    Args:
        eps, momentum, affine, track_running_stats: as in InstanceNorm3d (affine and track_running_stats default
            to True).
        device, dtype: where and in which dtype the parameters and buffers are created.

    Shape:
        input (N, C, D, H, W) or (C, D, H, W) -> output of the same shape.

    Example:
        >>> m = nn.LazyInstanceNorm3d()
        >>> m(ember.ones(2, 3, 2, 2, 2)).shape
        torch.Size([2, 3, 2, 2, 2])
        >>> type(m).__name__, m.num_features
        ('InstanceNorm3d', 3)
    """

    cls_to_become = InstanceNorm3d
