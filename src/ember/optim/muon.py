"""Muon: momentum SGD for 2-D weights whose update is orthogonalised by a Newton-Schulz iteration."""

from __future__ import annotations

import math

from .._array import np
from .._tensor_str import _round_to_bfloat16 as _bf16  # PyTorch runs the iteration in bfloat16
from .optimizer import Optimizer, ParamsT, Tensor, _lerp_, _zeros_like

__all__ = ["Muon"]

EPS = 1e-7
DEFAULT_A, DEFAULT_B, DEFAULT_C = 3.4445, -4.7750, 2.0315
DEFAULT_NS_STEPS = 5


def _zeropower_via_newtonschulz(grad: np.ndarray, ns_coefficients, ns_steps: int, eps: float) -> np.ndarray:
    """``X -> a X + (b A + c A^2) X`` with ``A = X X^T``, ``ns_steps`` times, from ``X = G / ||G||_F``.

    Drives the singular values of ``G`` towards 1 (roughly ``U V^T`` of its SVD). As in PyTorch every result is
    rounded to bfloat16 (ember stores bfloat16 as float32, so each product is computed in float32 and rounded,
    which is what PyTorch's bfloat16 matmul does too). Wide layout: a tall ``G`` is transposed first.
    """
    a, b, c = (np.float32(x) for x in ns_coefficients)
    x = _bf16(grad.astype(np.float32))
    tall = grad.shape[0] > grad.shape[1]
    if tall:
        x = x.T
    norm = _bf16(np.sqrt(np.square(x, dtype=np.float32).sum(dtype=np.float32)))
    x = _bf16(x / max(norm, _bf16(np.float32(eps))))
    for _ in range(ns_steps):
        gram = _bf16(x @ x.T)
        update = _bf16(b * gram + c * (gram @ gram))
        x = _bf16(a * x + update @ x)
    return x.T if tall else x


def _adjust_lr(lr: float, adjust_lr_fn: str | None, shape) -> float:
    """The lr scaled so updates of rectangular matrices have a consistent RMS."""
    rows, cols = shape[:2]
    if adjust_lr_fn is None or adjust_lr_fn == "original":
        return lr * math.sqrt(max(1, rows / cols))
    if adjust_lr_fn == "match_rms_adamw":
        return lr * 0.2 * math.sqrt(max(rows, cols))
    return lr


class Muon(Optimizer):
    """Muon (Jordan, 2024), as PyTorch implements it: momentum SGD for 2-D weights whose update is orthogonalised, its
    singular values pushed towards 1 by a Newton-Schulz iteration.

    With g the gradient of a weight matrix p:

        B ← lerp(B, g, 1 - μ)                          (momentum μ)
        U = lerp(g, B, μ) if nesterov, else B
        O = NS(U): X = U/‖U‖, then ns_steps times X ← a X + (b A + c A²) X with A = X Xᵀ (in bfloat16)
        p ← p (1 - lr λ)                                (weight_decay λ, decoupled)
        p ← p - adjust(lr, shape) · O

    Only 2-D parameters are allowed; optimise biases and embeddings with AdamW.

    Args:
        params: the 2-D tensors to optimise, or parameter groups.
        lr: the learning rate (default 1e-3).
        weight_decay: λ (default 0.1).
        momentum: μ (default 0.95).
        nesterov: use the Nesterov form (default True).
        ns_coefficients: (a, b, c) of the iteration (default (3.4445, -4.775, 2.0315)).
        eps: a floor of the norm ‖U‖ (default 1e-7).
        ns_steps: the number of iterations (default 5).
        adjust_lr_fn: None or 'original' (lr · √max(1, rows/cols)), or 'match_rms_adamw' (lr · 0.2 · √max(rows, cols)).

    Example:
        >>> W = nn.Parameter(ember.eye(3, 2))
        >>> opt = optim.Muon([W], lr=0.1, weight_decay=0.0)
        >>> W.grad = ember.ones(3, 2)
        >>> opt.step()
        >>> W.shape, bool((W < 1).all())
        (torch.Size([3, 2]), True)
    """

    _l2 = False

    def __init__(self, params: ParamsT, lr: float = 1e-3, weight_decay: float = 0.1, momentum: float = 0.95,
                 nesterov: bool = True, ns_coefficients=(DEFAULT_A, DEFAULT_B, DEFAULT_C), eps: float = EPS,
                 ns_steps: int = DEFAULT_NS_STEPS, adjust_lr_fn: str | None = None) -> None:
        if isinstance(lr, Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if not 0.0 <= lr:
            raise ValueError(f"Learning rate should be >= 0 but is: {lr}")
        if not 0.0 <= momentum:
            raise ValueError(f"momentum should be >= 0 but is: {momentum}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"weight decay should be >= 0 but is: {weight_decay}")
        if adjust_lr_fn is not None and adjust_lr_fn not in ["original", "match_rms_adamw"]:
            raise ValueError(f"Adjust learning rate function {adjust_lr_fn} is not supported")
        defaults = {"lr": lr, "weight_decay": weight_decay, "momentum": momentum, "nesterov": nesterov,
                    "ns_coefficients": ns_coefficients, "eps": eps, "ns_steps": ns_steps,
                    "adjust_lr_fn": adjust_lr_fn}
        super().__init__(params, defaults)
        for group in self.param_groups:
            for p in group["params"]:
                if p.ndim != 2:
                    raise ValueError(f"Muon only supports 2D parameters whereas we found a parameter with size: "
                                     f"{p.size()}")

    def _check_group(self, group):
        # PyTorch raises these from inside the update loop, after earlier parameters moved; here, before any
        if group["ns_steps"] >= 100:
            raise ValueError("Number of steps must be less than 100 for computational efficiency")
        if len(group["ns_coefficients"]) != 3:
            raise ValueError("Coefficients must be a tuple of exactly 3 values")

    def _check_param(self, i, group, p):
        if np.iscomplexobj(p._data):
            raise RuntimeError("Muon does not support complex parameters")
        super()._check_param(i, group, p)

    def _new_state(self, group, p):
        return {"momentum_buffer": _zeros_like(p)}

    def _state_spec(self, group, p):
        return {"momentum_buffer": "param"}

    def step(self, closure=None):
        """One Muon update of every parameter that has a gradient."""
        loss = self._closure_loss(closure)
        for group, items in self._gather():
            lr, wd, momentum = float(group["lr"]), group["weight_decay"], group["momentum"]
            for p, st in items:
                d, g = p._data, p._grad._data
                buf = st["momentum_buffer"]._data
                _lerp_(buf, g, 1 - momentum)
                if group["nesterov"]:
                    u = g.copy()
                    _lerp_(u, buf, momentum)
                else:
                    u = buf
                o = _zeropower_via_newtonschulz(u, group["ns_coefficients"], group["ns_steps"], group["eps"])
                d *= 1 - lr * wd
                d -= o.astype(d.dtype) * _adjust_lr(lr, group["adjust_lr_fn"], d.shape)
                p._bump()
        return loss
