"""SparseAdam: Adam for sparse gradients (ember has no sparse tensors, so every gradient is dense)."""

from __future__ import annotations

from .._array import np
from .optimizer import Optimizer, ParamsT, Tensor

__all__ = ["SparseAdam"]


class SparseAdam(Optimizer):
    """SparseAdam: Adam applied only to the entries a sparse gradient has (PyTorch's "lazy Adam" for embeddings).

    ember has no sparse tensors (``nn.Embedding(sparse=True)`` produces dense gradients), so step() with any
    gradient raises PyTorch's error for dense gradients, before any state changes. Use Adam instead.

    Args:
        params: the tensors to optimise, or parameter groups.
        lr: the learning rate (default 1e-3).
        betas: (β1, β2) (default (0.9, 0.999)).
        eps: ε (default 1e-8).
        maximize: maximise instead of minimise (default False).

    Example:
        >>> w = ember.tensor([1.0], requires_grad=True)
        >>> opt = optim.SparseAdam([w])
        >>> (w * 2).sum().backward()
        >>> opt.step()
        Traceback (most recent call last):
        ...
        RuntimeError: SparseAdam does not support dense gradients, please consider Adam instead
    """

    def __init__(self, params: ParamsT, lr: float = 1e-3, betas=(0.9, 0.999), eps: float = 1e-8,
                 maximize: bool = False) -> None:
        if isinstance(lr, Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if not 0.0 < lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 < eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= betas[0] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 0: {betas[0]}")
        if not 0.0 <= betas[1] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 1: {betas[1]}")
        defaults = {"lr": lr, "betas": betas, "eps": eps, "maximize": maximize}
        super().__init__(params, defaults)
        complex_params = [[gi, pi] for gi, group in enumerate(self.param_groups)
                          for pi, p in enumerate(group["params"]) if np.iscomplexobj(p._data)]
        if complex_params:
            raise ValueError(f"Complex params at indices {complex_params}: SparseAdam does not support complex "
                             "parameters")

    def _check_param(self, i, group, p):
        raise RuntimeError("SparseAdam does not support dense gradients, please consider Adam instead")

    def step(self, closure=None):
        """Raises for the (dense) gradients ember produces; does nothing when no parameter has a gradient."""
        loss = self._closure_loss(closure)
        self._gather()
        return loss
