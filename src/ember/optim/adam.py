"""Adam (and, with decoupled weight decay, AdamW): bias-corrected first and second moment estimates."""

from __future__ import annotations

from .._array import np
from .optimizer import (
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
)

__all__ = ["Adam"]


class Adam(Optimizer):
    """Adam: ``m = lerp(m, g, 1-b1)``, ``v = b2*v + (1-b2)*g^2``, ``p -= lr/(1-b1^t) * m / (sqrt(v/(1-b2^t)) + eps)``.

    ``amsgrad`` divides by the running maximum of ``v`` instead; ``decoupled_weight_decay`` (AdamW) multiplies
    the parameter by ``1 - lr*weight_decay`` instead of adding the L2 term to the gradient.
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
        denom = np.sqrt(v)
        denom /= bc2_sqrt
        denom += eps
        upd = m * -step_size
        upd /= denom
        d += upd

    def step(self, closure=None):
        """One Adam update of every parameter that has a gradient."""
        return self._step(closure)
