"""Flatten parameters into one vector and back."""

from __future__ import annotations

from collections.abc import Iterable

from ... import ops as AF
from ..._array import np
from ..._core.tensor import Tensor

__all__ = ["parameters_to_vector", "vector_to_parameters"]


def parameters_to_vector(parameters: Iterable[Tensor]) -> Tensor:
    """cat([p.view(-1) for p in parameters]) (differentiable)."""
    return AF.cat([AF.reshape(p, (-1,)) for p in parameters])


def vector_to_parameters(vec: Tensor, parameters: Iterable[Tensor]) -> None:
    """Copy consecutive slices of ``vec`` into the parameters (replacing their values)."""
    if not isinstance(vec, Tensor):
        raise TypeError(f"expected torch.Tensor, but got: {type(vec).__name__}")
    pointer = 0
    v = vec._data
    for p in parameters:
        n = p.numel()
        # np.array, not np.ascontiguousarray: that one makes a 0-d parameter 1-d
        p._data = np.array(v[pointer:pointer + n].reshape(p.shape), dtype=p._data.dtype, order="C")
        p._bump()
        pointer += n
