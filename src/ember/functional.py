"""``torch.functional``: the module PyTorch defines some of its top-level functions in (einsum, split, norm,
unique, meshgrid, stft ...). Each name here is the ``torch.*`` function itself; one ember does not offer
raises the not-offered error."""

from __future__ import annotations

import sys

from . import _not_offered

_NAMES = ("atleast_1d", "atleast_2d", "atleast_3d", "broadcast_shapes", "broadcast_tensors", "cartesian_prod",
           "block_diag", "cdist", "chain_matmul", "einsum", "istft", "lu", "norm", "meshgrid", "pca_lowrank",
           "split", "stft", "svd_lowrank", "tensordot", "unique", "unique_consecutive", "unravel_index")
__all__ = list(_NAMES)  # each looked up in the top-level namespace when asked for (below)

_torch = sys.modules[__package__]  # the top-level namespace, fully built before any submodule is imported
Tensor = _torch.Tensor


def __getattr__(name: str):
    if name == "F":  # PyTorch's torch.functional imports nn.functional as F
        return _torch.nn.functional
    if name in __all__:  # the torch.* function itself, as it is now (forward mode may wrap it for a while)
        if name in vars(_torch):
            return vars(_torch)[name]
        raise _not_offered.error(f"torch.{name}")
    raise _not_offered.missing(__name__, "functional", name)


def __dir__():
    return sorted(set(globals()) | {n for n in __all__ if n in vars(_torch)})
