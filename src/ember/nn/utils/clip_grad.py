"""Gradient clipping: ``clip_grad_norm_`` and ``clip_grad_value_``."""

from __future__ import annotations

import warnings
from collections.abc import Iterable

from ..._array import np
from ..._core.tensor import Tensor, _wrap

__all__ = ["clip_grad_norm", "clip_grad_norm_", "clip_grad_value_", "clip_grads_with_norm_", "get_total_norm"]


def _grads(parameters) -> list:
    if isinstance(parameters, Tensor):
        parameters = [parameters]
    return [p.grad for p in parameters if p.grad is not None]


def get_total_norm(tensors: Iterable[Tensor], norm_type: float = 2.0, error_if_nonfinite: bool = False,
                   foreach=None) -> Tensor:
    """‖(‖g₁‖, ‖g₂‖, ...)‖_p: the p-norm of all tensors taken together."""
    if isinstance(tensors, Tensor):
        tensors = [tensors]
    tensors = list(tensors)
    norm_type = float(norm_type)
    if not tensors:
        return _wrap(np.asarray(0.0, dtype=np.float32))
    dt = tensors[0]._data.dtype
    if norm_type == float("inf"):
        norms = [np.abs(t._data).max() for t in tensors]
        total = np.max(norms).astype(dt)
    elif norm_type == 2.0 and all(t._data.dtype.kind == "f" for t in tensors):
        # what np.linalg.norm computes for ord 2 of a real vector, √(x·x), without its dispatch per tensor
        norms = np.array([np.sqrt(a.dot(a)) for a in (t._data.ravel() for t in tensors)], dtype=dt)
        total = np.sqrt(norms.dot(norms)).astype(dt)
    else:
        norms = np.array([np.linalg.norm(t._data.ravel(), ord=norm_type) for t in tensors], dtype=dt)
        total = np.linalg.norm(norms, ord=norm_type).astype(dt)
    if error_if_nonfinite and not np.isfinite(total):
        raise RuntimeError(f"The total norm of order {norm_type} for gradients from `parameters` is non-finite, "
                           "so it cannot be clipped. To disable this error and scale the gradients by the "
                           "non-finite norm anyway, set `error_if_nonfinite=False`")
    return _wrap(np.asarray(total))


def clip_grads_with_norm_(parameters, max_norm: float, total_norm: Tensor, foreach=None) -> None:
    """Scale every gradient by min(1, max_norm / (total_norm + 1e-6)) in place."""
    grads = _grads(parameters)
    if not grads:
        return
    # in the norm's dtype, as PyTorch computes the coefficient with tensor arithmetic
    tn = total_norm._data
    ty = tn.dtype.type
    # min(c, 1) with NumPy (NaN stays NaN), not Python: a compiled step replays it instead of branching on it
    coef = np.minimum(ty(max_norm) / (tn + ty(1e-6)), ty(1.0))
    for g in grads:
        g._data *= coef.astype(g._data.dtype)
        g._bump()


def clip_grad_norm_(parameters, max_norm: float, norm_type: float = 2.0, error_if_nonfinite: bool = False,
                    foreach=None) -> Tensor:
    """Rescale gradients so that their total p-norm is at most max_norm; returns the norm before clipping."""
    if isinstance(parameters, Tensor):
        parameters = [parameters]
    parameters = list(parameters)
    grads = _grads(parameters)
    total = get_total_norm(grads, norm_type, error_if_nonfinite)
    clip_grads_with_norm_(parameters, max_norm, total)
    return total


def clip_grad_norm(parameters, max_norm: float, norm_type: float = 2.0, error_if_nonfinite: bool = False,
                   foreach=None) -> Tensor:
    """Deprecated alias of ``clip_grad_norm_``."""
    warnings.warn("`torch.nn.utils.clip_grad_norm` is now deprecated in favor of "
                  "`torch.nn.utils.clip_grad_norm_`.", FutureWarning, stacklevel=2)
    return clip_grad_norm_(parameters, max_norm, norm_type, error_if_nonfinite)


def clip_grad_value_(parameters, clip_value: float, foreach=None) -> None:
    """Clamp every gradient element to [-clip_value, clip_value] in place."""
    clip_value = float(clip_value)
    for g in _grads(parameters):
        np.clip(g._data, -clip_value, clip_value, out=g._data)
        g._bump()
