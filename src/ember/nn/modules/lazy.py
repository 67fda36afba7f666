"""Lazy modules: layers whose input size is read from the first batch (``LazyModuleMixin``), as in PyTorch.

A lazy layer is built with ``UninitializedParameter``/``UninitializedBuffer`` placeholders. A forward pre-hook
runs ``initialize_parameters(input)`` on the first call: it materialises the placeholders with the shapes the
input implies and draws their initial values with the layer's ``reset_parameters`` (so the same seed gives the
same values as PyTorch); then the hook removes itself and the module becomes its ``cls_to_become``
(``LazyConv2d`` -> ``Conv2d``). Loading a state dict into a lazy module materialises the placeholders with the
stored shapes first.
"""

from __future__ import annotations

import itertools

from ..._core import dtype as D
from ...autograd import grad_mode
from ...ops import creation as C
from ..parameter import UninitializedBuffer, UninitializedParameter, is_lazy
from .normalization import BatchNorm1d, BatchNorm2d, BatchNorm3d

__all__ = ["LazyBatchNorm1d", "LazyBatchNorm2d", "LazyBatchNorm3d", "LazyModuleMixin"]


class LazyModuleMixin:
    """The mixin behind the Lazy* modules: parameters whose shapes are unknown until the first input arrives.

    A lazy module holds ``UninitializedParameter`` placeholders; a forward pre-hook calls its
    ``initialize_parameters(input)`` on the first call, after which the module becomes its ordinary counterpart
    (``cls_to_become``: a LazyLinear becomes a Linear). ``has_uninitialized_params()`` tells whether that has
    happened. Optimizers and state_dict loading should come after the first forward pass.

    Example:
        >>> m = nn.LazyLinear(3)
        >>> isinstance(m, nn.modules.lazy.LazyModuleMixin), m.has_uninitialized_params()
        (True, True)
        >>> _ = m(ember.ones(2, 4))
        >>> type(m).__name__, m.in_features
        ('Linear', 4)
    """

    cls_to_become: type | None = None

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._initialize_hook = self.register_forward_pre_hook(self._infer_parameters, with_kwargs=True)

    def _save_to_state_dict(self, destination, prefix, keep_vars) -> None:
        # placeholders are saved as they are (detaching one would be a use of it)
        for name, p in self._parameters.items():
            if p is not None:
                destination[prefix + name] = p if (is_lazy(p) or keep_vars) else p.detach()
        for name, b in self._buffers.items():
            if b is not None and name not in self._non_persistent_buffers_set:
                destination[prefix + name] = b if (is_lazy(b) or keep_vars) else b.detach()

    def _load_from_state_dict(self, state_dict, prefix, local_metadata, strict, missing_keys, unexpected_keys,
                              error_msgs) -> None:
        # a stored tensor gives a placeholder its shape before the values are copied in
        for name, p in itertools.chain(self._parameters.items(), self._buffers.items()):
            key = prefix + name
            if key in state_dict and p is not None and is_lazy(p) and not is_lazy(state_dict[key]):
                with grad_mode.no_grad():
                    p.materialize(state_dict[key].shape)
        super()._load_from_state_dict(state_dict, prefix, local_metadata, strict, missing_keys, unexpected_keys,
                                      error_msgs)

    def initialize_parameters(self, *args, **kwargs) -> None:
        raise NotImplementedError(f"initialize_parameters is not implemented for {type(self).__name__}")

    def has_uninitialized_params(self) -> bool:
        """True while some parameter or buffer is still a placeholder."""
        return any(is_lazy(p) for p in itertools.chain(self._parameters.values(), self._buffers.values()))

    def _infer_parameters(self, module, args, kwargs=None) -> None:
        module.initialize_parameters(*args, **(kwargs or {}))
        if module.has_uninitialized_params():
            raise RuntimeError(f"module {self._get_name()} has not been fully initialized")
        module._initialize_hook.remove()
        del module._initialize_hook
        if module.cls_to_become is not None:
            module.__class__ = module.cls_to_become

    def _replicate_for_data_parallel(self):
        raise RuntimeError("Modules with uninitialized parameters can't be used with `DataParallel`. Run a dummy "
                           "forward pass to correctly initialize the modules")


class _LazyNormBase(LazyModuleMixin):
    """Lazy batch/instance normalisation: ``num_features`` is the input's channel count."""

    def __init__(self, eps: float = 1e-5, momentum: float | None = 0.1, affine: bool = True,
                 track_running_stats: bool = True, device=None, dtype=None) -> None:
        super().__init__(0, eps, momentum, False, False, device, dtype)  # the base builds no parameters
        self.affine = affine
        self.track_running_stats = track_running_stats
        if affine:
            self.weight = UninitializedParameter(dtype=dtype)
            self.bias = UninitializedParameter(dtype=dtype)
        if track_running_stats:
            self.running_mean = UninitializedBuffer(dtype=dtype)
            self.running_var = UninitializedBuffer(dtype=dtype)
            self.num_batches_tracked = C.tensor(0, dtype=D.int64)

    def reset_parameters(self) -> None:
        if not self.has_uninitialized_params() and self.num_features != 0:
            super().reset_parameters()

    def initialize_parameters(self, input, *args, **kwargs) -> None:
        if self.has_uninitialized_params():
            self.num_features = input.shape[1]
            if self.affine:
                self.weight.materialize((self.num_features,))
                self.bias.materialize((self.num_features,))
            if self.track_running_stats:
                self.running_mean.materialize((self.num_features,))
                self.running_var.materialize((self.num_features,))
            self.reset_parameters()


class LazyBatchNorm1d(_LazyNormBase, BatchNorm1d):
    """A BatchNorm1d whose num_features is read from the first input (its dim 1).

    Until the first forward pass the weight, bias and running estimates are uninitialised placeholders; that call
    fixes num_features and turns the module into a plain ``BatchNorm1d``.

    Args:
        eps, momentum, affine, track_running_stats: as in BatchNorm1d.
        device, dtype: where and in which dtype the parameters and buffers are created.

    Shape:
        input (N, C) or (N, C, L) -> output of the same shape.

    Example:
        >>> m = nn.LazyBatchNorm1d()
        >>> m(ember.ones(4, 5)).shape
        torch.Size([4, 5])
        >>> m.num_features
        5
    """

    cls_to_become = BatchNorm1d


class LazyBatchNorm2d(_LazyNormBase, BatchNorm2d):
    """A BatchNorm2d whose num_features is read from the first input (its dim 1).

    Until the first forward pass the weight, bias and running estimates are uninitialised placeholders; that call
    fixes num_features and turns the module into a plain ``BatchNorm2d``.

    Args:
        eps, momentum, affine, track_running_stats: as in BatchNorm2d.
        device, dtype: where and in which dtype the parameters and buffers are created.

    Shape:
        input (N, C, H, W) -> output of the same shape.

    Example:
        >>> m = nn.LazyBatchNorm2d()
        >>> m(ember.ones(2, 5, 3, 3)).shape
        torch.Size([2, 5, 3, 3])
        >>> m.num_features
        5
    """

    cls_to_become = BatchNorm2d


class LazyBatchNorm3d(_LazyNormBase, BatchNorm3d):
    """A BatchNorm3d whose num_features is read from the first input (its dim 1).

    Until the first forward pass the weight, bias and running estimates are uninitialised placeholders; that call
    fixes num_features and turns the module into a plain ``BatchNorm3d``.

    Args:
        eps, momentum, affine, track_running_stats: as in BatchNorm3d.
        device, dtype: where and in which dtype the parameters and buffers are created.

    Shape:
        input (N, C, D, H, W) -> output of the same shape.

    Example:
        >>> m = nn.LazyBatchNorm3d()
        >>> m(ember.ones(2, 5, 2, 2, 2)).shape
        torch.Size([2, 5, 2, 2, 2])
        >>> m.num_features
        5
    """

    cls_to_become = BatchNorm3d
