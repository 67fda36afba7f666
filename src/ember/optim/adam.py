"""Adam (and, with decoupled weight decay, AdamW): bias-corrected first and second moment estimates."""

from __future__ import annotations

from .._array import np
from .optimizer import (
    BLOCK,
    Optimizer,
    ParamsT,
    Tensor,
    _addcmul_,
    _check_betas,
    _check_fused,
    _check_lr,
    _check_nonneg,
    _lerp_,
    _step_tensor,
    _zeros_like,
    blockwise,
)

__all__ = ["Adam"]


class Adam(Optimizer):
    """Adam (Kingma and Ba, 2015): momentum on the gradient, scaled per element by a running RMS of the gradient.

    With g the gradient of the loss with respect to a parameter p, at step t = 1, 2, ...:

        g ← g + λ p                              (weight_decay; decoupled: p ← p (1 - lr λ) instead)
        m ← β1 m + (1 - β1) g                    (first moment)
        v ← β2 v + (1 - β2) g²                   (second moment; amsgrad: divide by v_max = max(v_max, v) below)
        p ← p - lr · m̂ / (√v̂ + ε)               with m̂ = m / (1 - β1^t), v̂ = v / (1 - β2^t)

    Each element moves by about lr per step at first, whatever the scale of its gradient.

    Args:
        params: the tensors to optimise (an iterable, e.g. ``model.parameters()``), or a list of dicts, each a
            parameter group with its own hyperparameters (``[{'params': ..., 'lr': ...}, ...]``).
        lr: the learning rate (default 1e-3).
        betas: (β1, β2), the moments' decay rates (default (0.9, 0.999)).
        eps: ε, added to the denominator (default 1e-8).
        weight_decay: λ, an L2 penalty: λ·p is added to the gradient (default 0).
        amsgrad: use the running maximum of v (Reddi et al., 2018) (default False).
        foreach: update small parameters of one dtype together, in one pass over concatenated arrays (the same
            numbers, fewer Python steps); default None: one parameter at a time.
        maximize: maximise the objective instead of minimising it (the gradient's sign is flipped) (default False).
        capturable: for CUDA graph capture; True raises PyTorch's error, since there is no GPU (default False).
        differentiable: differentiate through step(); not offered, ember updates parameters outside autograd
            (default False).
        fused: PyTorch's fused kernel; accepted (the numbers are the same), and rejected together with foreach or
            differentiable, as PyTorch rejects it.
        decoupled_weight_decay: apply weight decay to p directly, as AdamW does (default False).

    Example:
        Minimising (w - 3)² from w = (0, 10) for 3 steps (about lr per step for both, far and near):

        >>> w = ember.tensor([0.0, 10.0], requires_grad=True)
        >>> opt = optim.Adam([w], lr=0.5)
        >>> for _ in range(3):
        ...     opt.zero_grad()
        ...     ((w - 3) ** 2).sum().backward()
        ...     opt.step()
        >>> w
        tensor([1.4823, 8.5050], requires_grad=True)
    """

    _elementwise = True
    _scalar_state = ("step",)

    def __init__(self, params: ParamsT, lr: float = 1e-3, betas=(0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0, amsgrad: bool = False, *, foreach=None, maximize: bool = False,
                 capturable: bool = False, differentiable: bool = False, fused=None,
                 decoupled_weight_decay: bool = False) -> None:
        if isinstance(lr, Tensor) and foreach and not capturable:
            raise ValueError("lr as a Tensor is not supported for capturable=False and foreach=True")
        _check_lr(lr)
        _check_nonneg(eps, "epsilon value")
        _check_betas(betas)
        _check_nonneg(weight_decay, "weight_decay value")
        if not ((isinstance(betas[0], float) and isinstance(betas[1], float))
                or (isinstance(betas[0], Tensor) and isinstance(betas[1], Tensor))):
            raise ValueError("betas must be either both floats or both Tensors")  # noqa: TRY004 (as torch)
        for i, b in enumerate(betas):
            if isinstance(b, Tensor):
                if not capturable and foreach:
                    raise ValueError(f"betas[{i}] as a Tensor is not supported for capturable=False and "
                                     "foreach=True")
                if b.numel() != 1:
                    raise ValueError(f"Tensor betas[{i}] must be 1-element")
        betas = tuple(b.squeeze() if isinstance(b, Tensor) and b.ndim != 0 else b for b in betas)
        defaults = {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay,
                    "amsgrad": amsgrad, "maximize": maximize, "foreach": foreach, "capturable": capturable,
                    "differentiable": differentiable, "fused": fused,
                    "decoupled_weight_decay": decoupled_weight_decay}
        super().__init__(params, defaults)
        _check_fused(fused, foreach, differentiable)

    def __setstate__(self, state):
        super().__setstate__(state)
        for group in self.param_groups:
            for k, v in (("amsgrad", False), ("maximize", False), ("foreach", None), ("capturable", False),
                         ("differentiable", False), ("decoupled_weight_decay", False), ("fused", None)):
                group.setdefault(k, v)

    def _new_state(self, group, p):
        st = {"step": _step_tensor(), "exp_avg": _zeros_like(p), "exp_avg_sq": _zeros_like(p)}
        if group["amsgrad"]:
            st["max_exp_avg_sq"] = _zeros_like(p)
        return st

    _SPEC = {"step": "scalar", "exp_avg": "param", "exp_avg_sq": "param"}
    _SPEC_AMSGRAD = {**_SPEC, "max_exp_avg_sq": "param"}

    def _state_spec(self, group, p):
        return self._SPEC_AMSGRAD if group["amsgrad"] else self._SPEC

    def _update(self, group, d, g, s):
        lr, (beta1, beta2), wd, eps = group["lr"], group["betas"], group["weight_decay"], group["eps"]
        if isinstance(lr, Tensor) or isinstance(beta1, Tensor):
            # PyTorch computes with 0-d tensor hyperparameters in their dtype (float32): so do NumPy scalars
            lr, beta1, beta2 = (x._data[()] if isinstance(x, Tensor) else x for x in (lr, beta1, beta2))
            beta1_p = d.dtype.type(beta1)  # the lerp weight uses beta1 cast to the parameter's dtype
        else:
            beta1_p = beta1
        s["step"] += 1
        step = float(s["step"])
        if wd != 0 and group["decoupled_weight_decay"]:
            d *= 1 - lr * wd
        m, v = s["exp_avg"], s["exp_avg_sq"]
        _lerp_(m, g, 1 - beta1_p)
        v *= beta2
        _addcmul_(v, g, g, 1 - beta2)
        step_size = lr / (1 - beta1 ** step)
        bc2_sqrt = (1 - beta2 ** step) ** 0.5
        if group["amsgrad"]:
            vmax = s["max_exp_avg_sq"]
            np.maximum(vmax, v, out=vmax)
            v = vmax
        if d.size > BLOCK:  # block by block: temporaries of 1 MiB, not two of the parameter's size
            blockwise(_adam_move, d, m, v, step_size, bc2_sqrt, eps)
        else:
            _adam_move(d, m, v, step_size, bc2_sqrt, eps)

    def step(self, closure=None):
        """One Adam update of every parameter that has a gradient."""
        return self._step(closure)


def _adam_move(d, m, v, step_size, bc2_sqrt, eps):
    """d += -step_size · m / (√v / √(1 - β₂ᵗ) + ε), in PyTorch's order of operations"""
    denom = np.sqrt(v)
    denom /= bc2_sqrt
    denom += eps
    upd = m * -step_size
    upd /= denom
    d += upd
