"""Stochastic gradient descent, optionally with momentum (heavy-ball or Nesterov) and weight decay."""

from __future__ import annotations

from .optimizer import Optimizer, ParamsT, _add_scaled, _check_fused, _check_lr, np

__all__ = ["SGD"]

_STATE_SPEC = {"momentum_buffer": "param?"}  # a buffer of the parameter's shape, made at the first step


class SGD(Optimizer):
    """Stochastic gradient descent, optionally with momentum (Polyak's heavy ball, or Nesterov's).

    With g the gradient of the loss with respect to a parameter p, at step t = 1, 2, ...:

        g ← g + λ p                          (weight_decay λ)
        b ← μ b + (1 - τ) g                  (momentum μ, dampening τ; b = g at the first step)
        g ← g + μ b if nesterov, else g ← b  (only when μ ≠ 0)
        p ← p - lr · g

    The optimizer of seed 000's regression (SGD(lr=0.003, momentum=0.9)).

    Args:
        params: the tensors to optimise (an iterable, e.g. ``model.parameters()``), or a list of dicts, each a
            parameter group with its own hyperparameters (``[{'params': ..., 'lr': ...}, ...]``).
        lr: the learning rate (default 1e-3).
        momentum: μ (default 0: plain gradient descent).
        dampening: τ, the share of the gradient held back from the momentum buffer (default 0).
        weight_decay: λ, an L2 penalty: λ·p is added to the gradient (default 0).
        nesterov: use Nesterov momentum (needs μ > 0 and τ = 0) (default False).
        maximize: maximise the objective instead of minimising it (the gradient's sign is flipped) (default False).
        foreach: update small parameters of one dtype together, in one pass over concatenated arrays (the same
            numbers, fewer Python steps); default None: one parameter at a time.
        differentiable: differentiate through step(); not offered, ember updates parameters outside autograd
            (default False).
        fused: PyTorch's fused kernel; accepted (the numbers are the same), and rejected together with foreach or
            differentiable, as PyTorch rejects it.

    Example:
        Minimising (w - 3)² from w = (0, 10) for 3 steps (each step moves w 20% of the way to 3):

        >>> w = ember.tensor([0.0, 10.0], requires_grad=True)
        >>> opt = optim.SGD([w], lr=0.1)
        >>> for _ in range(3):
        ...     opt.zero_grad()
        ...     ((w - 3) ** 2).sum().backward()
        ...     opt.step()
        >>> w
        tensor([1.4640, 6.5840], requires_grad=True)
    """

    _elementwise = True

    def __init__(self, params: ParamsT, lr: float = 1e-3, momentum: float = 0, dampening: float = 0,
                 weight_decay: float = 0, nesterov: bool = False, *, maximize: bool = False, foreach=None,
                 differentiable: bool = False, fused=None) -> None:
        _check_lr(lr)
        if momentum < 0.0:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        defaults = {"lr": lr, "momentum": momentum, "dampening": dampening, "weight_decay": weight_decay,
                    "nesterov": nesterov, "maximize": maximize, "foreach": foreach,
                    "differentiable": differentiable, "fused": fused}
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        super().__init__(params, defaults)
        _check_fused(fused, foreach, differentiable)

    def __setstate__(self, state):
        super().__setstate__(state)
        for group in self.param_groups:
            group.setdefault("nesterov", False)
            group.setdefault("maximize", False)
            group.setdefault("foreach", None)
            group.setdefault("differentiable", False)
            group.setdefault("fused", False)

    def _new_state(self, group, p):
        return {} if group["momentum"] != 0 else None  # without momentum SGD keeps no state (as PyTorch)

    def _state_spec(self, group, p):
        return _STATE_SPEC

    def _update(self, group, d, g, s):
        momentum, dampening = group["momentum"], group["dampening"]
        if momentum != 0:
            b = s.get("momentum_buffer")
            if b is None:
                s["momentum_buffer"] = b = g.copy()
            else:
                b *= momentum
                if dampening == 0:
                    b += g
                else:  # buf.add_(grad, alpha=1 - dampening): fused, as PyTorch's kernel
                    _add_scaled(b, g, 1 - dampening, out=b)
            g = _add_scaled(g, b, momentum) if group["nesterov"] else b
        # param.add_(grad, alpha=-lr): PyTorch's kernel fuses the multiply and the add (one rounding, float32)
        if d.dtype == np.float32:
            _add_scaled(d, g, -float(group["lr"]), out=d)
        else:
            d -= np.multiply(g, float(group["lr"]), out=self._scratch(g))

    def _scratch(self, g):
        """An array of g's shape and dtype to hold lr g: one buffer kept across steps (a fresh temporary the
        size of a layer's weights would be taken from the OS and handed back at every step)."""
        bufs = self.__dict__.setdefault("_scratch_buffers", {})  # not pickled: made again on first use
        buf = bufs.get(g.dtype)
        if buf is None or buf.size < g.size:
            buf = bufs[g.dtype] = np.empty(g.size, g.dtype)
        return buf[:g.size].reshape(g.shape)

    def step(self, closure=None):
        """One SGD update of every parameter that has a gradient."""
        return self._step(closure)
