"""L-BFGS: quasi-Newton steps from a short history of gradient differences, optional strong-Wolfe line search.

Works on one flat NumPy vector of all parameters. Scalars that PyTorch keeps as 0-d tensors (step length, the
curvature products ``ro``, ``H_diag``) are kept as NumPy scalars of the parameters' dtype, so float32 runs round
where PyTorch's do.
"""

from __future__ import annotations

from .._array import np
from .._core.tensor import Tensor, _wrap
from ..autograd import grad_mode
from .optimizer import Optimizer, ParamsT, _check_lr

__all__ = ["LBFGS"]


def _cubic_interpolate(x1, f1, g1, x2, f2, g2, bounds=None):
    """Minimiser of the cubic through (x1, f1, f1'=g1), (x2, f2, g2), clipped to ``bounds`` (default [x1, x2])."""
    lo, hi = bounds if bounds is not None else ((x1, x2) if x1 <= x2 else (x2, x1))
    d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2)
    d2_square = d1 ** 2 - g1 * g2
    if d2_square < 0:
        return (lo + hi) / 2.0
    d2 = np.sqrt(d2_square)
    if x1 <= x2:
        x = x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
    else:
        x = x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2))
    return min(max(x, lo), hi)


def _strong_wolfe(obj, x, t, d, f, g, gtd, c1=1e-4, c2=0.9, tolerance_change=1e-9, max_ls=25):
    """Line search along ``d`` for a step ``t`` meeting the strong Wolfe conditions; returns (f, g, t, evals)."""
    d_norm = np.abs(d).max()
    g = g.copy()
    f_new, g_new = obj(x, t, d)
    evals = 1
    gtd_new = g_new.dot(d)
    t_prev, f_prev, g_prev, gtd_prev = 0, f, g, gtd
    done = False
    it = 0
    # bracketing phase: grow t until the interval [t_prev, t] holds an acceptable point
    while it < max_ls:
        if f_new > f + c1 * t * gtd or (it > 1 and f_new >= f_prev):
            br, br_f, br_g, br_gtd = [t_prev, t], [f_prev, f_new], [g_prev, g_new.copy()], [gtd_prev, gtd_new]
            break
        if abs(gtd_new) <= -c2 * gtd:
            br, br_f, br_g = [t], [f_new], [g_new]
            done = True
            break
        if gtd_new >= 0:
            br, br_f, br_g, br_gtd = [t_prev, t], [f_prev, f_new], [g_prev, g_new.copy()], [gtd_prev, gtd_new]
            break
        lo_step, hi_step = t + 0.01 * (t - t_prev), t * 10
        t_prev, t = t, _cubic_interpolate(t_prev, f_prev, gtd_prev, t, f_new, gtd_new, bounds=(lo_step, hi_step))
        f_prev, g_prev, gtd_prev = f_new, g_new.copy(), gtd_new
        f_new, g_new = obj(x, t, d)
        evals += 1
        gtd_new = g_new.dot(d)
        it += 1
    if it == max_ls:
        br, br_f, br_g = [0, t], [f, f_new], [g, g_new]
    # zoom phase: shrink the bracket by cubic interpolation, keeping away from its ends
    insuf_progress = False
    low, high = (0, 1) if br_f[0] <= br_f[-1] else (1, 0)
    while not done and it < max_ls:
        if abs(br[1] - br[0]) * d_norm < tolerance_change:
            break
        t = _cubic_interpolate(br[0], br_f[0], br_gtd[0], br[1], br_f[1], br_gtd[1])
        bmax, bmin = max(br), min(br)
        eps = 0.1 * (bmax - bmin)
        if min(bmax - t, t - bmin) < eps:
            if insuf_progress or t >= bmax or t <= bmin:
                t = bmax - eps if abs(t - bmax) < abs(t - bmin) else bmin + eps
                insuf_progress = False
            else:
                insuf_progress = True
        else:
            insuf_progress = False
        f_new, g_new = obj(x, t, d)
        evals += 1
        gtd_new = g_new.dot(d)
        it += 1
        if f_new > f + c1 * t * gtd or f_new >= br_f[low]:
            br[high], br_f[high], br_g[high], br_gtd[high] = t, f_new, g_new.copy(), gtd_new
            low, high = (0, 1) if br_f[0] <= br_f[1] else (1, 0)
        else:
            if abs(gtd_new) <= -c2 * gtd:
                done = True
            elif gtd_new * (br[high] - br[low]) >= 0:
                br[high], br_f[high], br_g[high], br_gtd[high] = br[low], br_f[low], br_g[low], br_gtd[low]
            br[low], br_f[low], br_g[low], br_gtd[low] = t, f_new, g_new.copy(), gtd_new
    return br_f[low], br_g[low], br[low], evals


def _arr(v):
    return v._data if isinstance(v, Tensor) else v


def _tensor(v):
    return _wrap(np.asarray(v)) if isinstance(v, (np.ndarray, np.generic)) else v


class LBFGS(Optimizer):
    """L-BFGS: a quasi-Newton method. The search direction is d = -H g, H an approximation of the inverse Hessian built
    by the two-loop recursion from the last history_size pairs (s, y) of parameter and gradient changes; p ← p + t·d.

    step(closure) evaluates the loss several times, so it needs a closure that clears the gradients, computes the
    loss, calls backward() and returns the loss. All parameters form one group. Each step() runs up to max_iter
    iterations, stopping early when the gradient or the change falls below the tolerances. Without a line search
    the step length t is lr (1/Σ|g| scaled at the first iteration); 'strong_wolfe' searches for a t satisfying the
    strong Wolfe conditions.

    Args:
        params: the tensors to optimise (one group).
        lr: the step length factor (default 1).
        max_iter: the most iterations per step() (default 20).
        max_eval: the most closure evaluations per step() (default max_iter · 5/4).
        tolerance_grad: stop when max |g| is at most this (default 1e-7).
        tolerance_change: stop when the change of the loss or of p is at most this (default 1e-9).
        history_size: the number of (s, y) pairs kept (default 100).
        line_search_fn: None (default) or 'strong_wolfe'.

    Example:
        A quadratic is solved in one step():

        >>> w = ember.tensor([0.0, 10.0], requires_grad=True)
        >>> opt = optim.LBFGS([w])
        >>> def closure():
        ...     opt.zero_grad()
        ...     loss = ((w - 3) ** 2).sum()
        ...     loss.backward()
        ...     return loss
        >>> import warnings
        >>> with warnings.catch_warnings():
        ...     warnings.simplefilter("ignore")  # float() of the loss warns, as in PyTorch
        ...     first_loss = opt.step(closure)
        >>> first_loss, w
        (tensor(58., grad_fn=<SumBackward0>), tensor([3.0000, 3.0000], requires_grad=True))
    """

    def __init__(self, params: ParamsT, lr: float = 1, max_iter: int = 20, max_eval: int | None = None,
                 tolerance_grad: float = 1e-7, tolerance_change: float = 1e-9, history_size: int = 100,
                 line_search_fn: str | None = None) -> None:
        _check_lr(lr)
        if max_eval is None:
            max_eval = max_iter * 5 // 4
        defaults = {"lr": lr, "max_iter": max_iter, "max_eval": max_eval, "tolerance_grad": tolerance_grad,
                    "tolerance_change": tolerance_change, "history_size": history_size,
                    "line_search_fn": line_search_fn}
        super().__init__(params, defaults)
        if len(self.param_groups) != 1:
            raise ValueError("LBFGS doesn't support per-parameter options (parameter groups)")
        self._params = self.param_groups[0]["params"]

    def _flat_grad(self) -> np.ndarray:
        return np.concatenate([p._grad._data.reshape(-1) if p._grad is not None else np.zeros(p._data.size,
                                                                                               p._data.dtype)
                               for p in self._params])

    def _add_grad(self, step, update: np.ndarray) -> None:
        offset = 0
        for p in self._params:
            n = p._data.size
            p._data += (update[offset:offset + n] * step).reshape(p._data.shape)
            p._bump()
            offset += n

    def _set_params(self, saved: list) -> None:
        for p, a in zip(self._params, saved):
            p._data[...] = a
            p._bump()

    def _check_lbfgs(self, group) -> None:
        for i, p in enumerate(self._params):
            if p._grad is not None:
                self._check_param(i, group, p)
        st = self.state.get(self._params[0])
        if not st:
            return
        n = sum(p._data.size for p in self._params)
        dtype = self._params[0]._data.dtype
        vectors = [("d", st.get("d")), ("prev_flat_grad", st.get("prev_flat_grad"))]
        vectors += [(f"{key}[{j}]", v) for key in ("old_dirs", "old_stps") for j, v in enumerate(st.get(key) or [])]
        for key, v in vectors:
            if v is None:
                continue
            if not isinstance(v, Tensor):
                raise self._fail(f"state '{key}' is a {type(v).__name__}, not a tensor")
            if v._data.shape != (n,) or v._data.dtype != dtype:
                raise self._fail(f"state '{key}' has shape {v.shape} and dtype {v.dtype}, but the parameters "
                                 f"flatten to torch.Size([{n}]) of dtype {self._params[0].dtype}")

    def _evaluate(self, closure):
        with grad_mode.enable_grad():
            return closure()

    def step(self, closure):
        """Run up to ``max_iter`` L-BFGS iterations; ``closure`` re-evaluates the loss and its gradients."""
        with grad_mode.no_grad():  # as PyTorch's @torch.no_grad() step (the closure runs with grad enabled)
            return self._step(closure)

    def _step(self, closure):
        group = self.param_groups[0]
        lr = float(group["lr"])
        max_iter, max_eval = group["max_iter"], group["max_eval"]
        tol_grad, tol_change = group["tolerance_grad"], group["tolerance_change"]
        line_search_fn, history_size = group["line_search_fn"], group["history_size"]
        if line_search_fn is not None and line_search_fn != "strong_wolfe":
            raise RuntimeError("only 'strong_wolfe' is supported")

        orig_loss = self._evaluate(closure)
        self._check_lbfgs(group)  # every gradient and the saved history, before any count or parameter moves
        state = self.state[self._params[0]]
        state.setdefault("func_evals", 0)
        state.setdefault("n_iter", 0)
        loss = float(orig_loss)
        current_evals = 1
        state["func_evals"] += 1
        flat_grad = self._flat_grad()
        if np.abs(flat_grad).max() <= tol_grad:
            return orig_loss

        d, t = _arr(state.get("d")), _arr(state.get("t"))
        old_dirs = [_arr(v) for v in state.get("old_dirs") or []]
        old_stps = [_arr(v) for v in state.get("old_stps") or []]
        ro = [_arr(v) for v in state.get("ro") or []]
        H_diag = _arr(state.get("H_diag"))
        prev_flat_grad = _arr(state.get("prev_flat_grad"))
        prev_loss = state.get("prev_loss")
        one = flat_grad.dtype.type(1.0)

        n_iter = 0
        while n_iter < max_iter:
            n_iter += 1
            state["n_iter"] += 1
            if state["n_iter"] == 1:
                d = -flat_grad
                old_dirs, old_stps, ro = [], [], []
                H_diag = 1
            else:
                y = flat_grad - prev_flat_grad
                s = d * t
                ys = y.dot(s)
                if ys > 1e-10:
                    if len(old_dirs) == history_size:
                        old_dirs.pop(0)
                        old_stps.pop(0)
                        ro.pop(0)
                    old_dirs.append(y)
                    old_stps.append(s)
                    ro.append(one / ys)
                    H_diag = ys / y.dot(y)
                # two-loop recursion: d = -H g with H built from the stored (s, y) pairs
                al = [None] * len(old_dirs)
                q = -flat_grad
                for i in range(len(old_dirs) - 1, -1, -1):
                    al[i] = old_stps[i].dot(q) * ro[i]
                    q += old_dirs[i] * -al[i]
                d = r = q * H_diag
                for i in range(len(old_dirs)):
                    be_i = old_dirs[i].dot(r) * ro[i]
                    r += old_stps[i] * (al[i] - be_i)
                state["al"] = [_tensor(a) for a in al] + [None] * (history_size - len(al))
            prev_flat_grad = flat_grad.copy()
            prev_loss = loss
            if state["n_iter"] == 1:
                t = min(1.0, one / np.abs(flat_grad).sum()) * lr
            else:
                t = lr
            gtd = flat_grad.dot(d)
            if gtd > -tol_change:
                break

            ls_evals = 0
            if line_search_fn is not None:
                x_init = [p._data.copy() for p in self._params]

                def obj(x, step, direction):
                    self._add_grad(step, direction)
                    f_val = float(self._evaluate(closure))
                    g_val = self._flat_grad()
                    self._set_params(x)
                    return f_val, g_val

                loss, flat_grad, t, ls_evals = _strong_wolfe(obj, x_init, t, d, loss, flat_grad, gtd,
                                                             max_ls=max_eval - current_evals)
                self._add_grad(t, d)
                opt_cond = np.abs(flat_grad).max() <= tol_grad
            else:
                self._add_grad(t, d)
                opt_cond = False
                if n_iter != max_iter:
                    loss = float(self._evaluate(closure))
                    flat_grad = self._flat_grad()
                    opt_cond = np.abs(flat_grad).max() <= tol_grad
                    ls_evals = 1
            current_evals += ls_evals
            state["func_evals"] += ls_evals
            if n_iter == max_iter or current_evals >= max_eval or opt_cond:
                break
            if np.abs(d * t).max() <= tol_change or abs(loss - prev_loss) < tol_change:
                break

        state["d"] = _tensor(d)
        state["t"] = _tensor(t)
        state["old_dirs"] = [_tensor(v) for v in old_dirs]
        state["old_stps"] = [_tensor(v) for v in old_stps]
        state["ro"] = [_tensor(v) for v in ro]
        state["H_diag"] = _tensor(H_diag)
        state["prev_flat_grad"] = _tensor(prev_flat_grad)
        state["prev_loss"] = prev_loss
        return orig_loss
