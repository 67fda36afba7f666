"""Adafactor: Adam-like steps whose second moment of a matrix is stored as a row and a column factor."""

from __future__ import annotations

from .._array import np
from .optimizer import Optimizer, ParamsT, Tensor, _lerp_, _step_tensor, _wrap

__all__ = ["Adafactor"]


def _mean_square(g: np.ndarray, axis: int) -> np.ndarray:
    """``mean(g^2, axis)`` as PyTorch computes it: ``norm(g, dim=axis)`` squared, divided by the length."""
    r = np.sqrt(np.square(g).sum(axis=axis, keepdims=True))
    r *= r
    r /= g.shape[axis]
    return r


class Adafactor(Optimizer):
    """Adafactor (Shazeer and Stern, 2018), as PyTorch implements it: Adam-like steps whose second moment is stored
    factored, one row and one column vector per matrix instead of a full matrix.

    With g the gradient of the loss with respect to a parameter p, at step t = 1, 2, ...:

        b = t^beta2_decay                          (the moments' weight, decaying with t)
        a matrix:  R ← lerp(R, mean(g², -1), b),  C ← lerp(C, mean(g², -2), b),  V = R C / max(mean(R), eps1)
        a vector:  V ← lerp(V, g², b)
        u = g / √max(V, eps1²)
        p ← p (1 - lr λ)                           (weight_decay λ, decoupled)
        p ← p - max(eps2, rms(p)) · min(lr, 1/√t) · u / max(1, rms(u)/d)

    Args:
        params: the tensors to optimise (an iterable, e.g. ``model.parameters()``), or a list of dicts, each a
            parameter group with its own hyperparameters (``[{'params': ..., 'lr': ...}, ...]``).
        lr: the learning rate, capped by 1/√t (default 1e-2).
        beta2_decay: the exponent of b (default -0.8).
        eps: (eps1, eps2): eps1 floors the second moment (None:
            the dtype's machine epsilon), eps2 the parameter scale (default (None, 1e-3)).
        d: the clipping threshold of rms(u) (default 1).
        weight_decay: λ, decoupled (default 0).
        foreach: update small parameters of one dtype together, in one pass over concatenated arrays (the same
            numbers, fewer Python steps); default None: one parameter at a time.
        maximize: maximise the objective instead of minimising it (the gradient's sign is flipped) (default False).

    Example:
        Minimising (w - 3)² from w = (0, 10) for 3 steps:

        >>> w = ember.tensor([0.0, 10.0], requires_grad=True)
        >>> opt = optim.Adafactor([w], lr=0.5)
        >>> for _ in range(3):
        ...     opt.zero_grad()
        ...     ((w - 3) ** 2).sum().backward()
        ...     opt.step()
        >>> w
        tensor([3.0450, 3.9322], requires_grad=True)
    """

    _l2 = False  # weight decay multiplies the parameter
    _scalar_state = ("step",)

    def __init__(self, params: ParamsT, lr: float = 1e-2, beta2_decay: float = -0.8, eps=(None, 1e-3),
                 d: float = 1.0, weight_decay: float = 0.0, *, foreach=None, maximize: bool = False) -> None:
        if isinstance(lr, Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if not 0.0 <= lr:
            raise ValueError(f"Learning rate should be >= 0 but is: {lr}")
        if not 0.0 >= beta2_decay:
            raise ValueError(f"beta2_decay should be <= 0 but is: {beta2_decay}")
        if eps[0] is not None and not 0.0 <= eps[0]:
            raise ValueError(f"epsilon1 should be >= 0 but is: {eps[0]}")
        if not 0.0 <= eps[1]:
            raise ValueError(f"epsilon2 should be >= 0 but is: {eps[1]}")
        if not 1.0 <= d:
            raise ValueError(f"Clipping threshold d should be >= 1 but is: {d}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"weight_decay should be >= 0 but is: {weight_decay}")
        defaults = {"lr": lr, "beta2_decay": beta2_decay, "eps": eps, "d": d, "weight_decay": weight_decay,
                    "foreach": foreach, "maximize": maximize}
        super().__init__(params, defaults)

    def __setstate__(self, state):
        super().__setstate__(state)
        for group in self.param_groups:
            group.setdefault("foreach", None)

    def _check_param(self, i, group, p):
        if np.iscomplexobj(p._data):
            raise RuntimeError("Adafactor does not support complex parameters")
        super()._check_param(i, group, p)

    @staticmethod
    def _factor_shapes(p) -> tuple:
        shape = p._data.shape
        return shape[:-1] + (1,), shape[:-2] + (1, shape[-1])

    def _new_state(self, group, p):
        st = {"step": _step_tensor()}
        if p._data.ndim > 1:
            row, col = self._factor_shapes(p)
            st["row_var"] = _wrap(np.zeros(row, p._data.dtype))
            st["col_var"] = _wrap(np.zeros(col, p._data.dtype))
        else:
            st["variance"] = _wrap(np.zeros_like(p._data))
        return st

    def _check_state(self, i, group, p, st):
        # PyTorch's errors for a state without its factors (it raises them after updating earlier parameters)
        if p._data.ndim > 1 and (st.get("row_var") is None or st.get("col_var") is None):
            raise AssertionError("row_var and col_var should be defined when grad is multidimensional")
        if p._data.ndim <= 1 and st.get("variance") is None:
            raise AssertionError("variance should be defined when grad is a vector")
        super()._check_state(i, group, p, st)

    def _state_spec(self, group, p):
        if p._data.ndim > 1:
            row, col = self._factor_shapes(p)
            return {"step": "scalar", "row_var": row, "col_var": col}
        return {"step": "scalar", "variance": "param"}

    def step(self, closure=None):
        """One Adafactor update of every parameter that has a gradient."""
        loss = self._closure_loss(closure)
        for group, items in self._gather():
            lr, wd, clip = float(group["lr"]), group["weight_decay"], group["d"]
            eps1, eps2 = group["eps"]
            for p, st in items:
                d = p._data
                g = -p._grad._data if group["maximize"] else p._grad._data
                if eps1 is None:  # as PyTorch: the first parameter's dtype decides for the whole group
                    eps1 = float(np.finfo(d.dtype).eps)
                step_t = st["step"]._data
                step_t += 1
                t = float(step_t)
                b = t ** group["beta2_decay"]
                rho = min(lr, 1 / (t ** 0.5))
                alpha = max(eps2, float(np.linalg.norm(d.reshape(-1))) / (d.size ** 0.5)) * rho
                if wd != 0:
                    d *= 1 - lr * wd
                if g.ndim > 1:
                    row, col = st["row_var"]._data, st["col_var"]._data
                    _lerp_(row, _mean_square(g, -1), b)
                    _lerp_(col, _mean_square(g, -2), b)
                    var = row @ col
                    var /= np.maximum(row.mean(axis=-2, keepdims=True), eps1)
                else:
                    var = st["variance"]._data
                    _lerp_(var, g * g, b)
                    var = var.copy()
                np.maximum(var, eps1 * eps1, out=var)
                upd = 1 / np.sqrt(var)
                upd *= g
                denom = max(1.0, float(np.linalg.norm(upd.reshape(-1))) / ((upd.size ** 0.5) * clip))
                d -= upd * (alpha / denom)
                p._bump()
        return loss
