"""Finite-difference gradient checks: ``gradcheck`` (first order) and ``gradgradcheck`` (second order).

Central differences in float64: for every input element, (f(x + eps) - f(x - eps)) / 2 eps gives a column of
the Jacobian, compared with the analytic one that backward computes for every output element.
"""

from __future__ import annotations

import warnings

from .._array import np
from .._core.tensor import Tensor, _wrap
from . import forward_ad as fwAD
from . import grad as autograd_grad

__all__ = ["GradcheckError", "gradcheck", "gradgradcheck"]



class GradcheckError(RuntimeError):
    pass


def _as_tuple(x):
    return x if isinstance(x, tuple) else (x,) if not isinstance(x, list) else tuple(x)


def _differentiable_outputs(out):
    return [o for o in _as_tuple(out) if isinstance(o, Tensor) and o.requires_grad]


def _numerical_jacobian(fn, inputs, eps):
    """J[k][i] = d out_k / d input_i as arrays (out.numel, in.numel), by central differences.

    ``fn`` runs with grad mode on, as the caller has it: for gradgradcheck, ``fn`` itself takes a gradient (of the
    function being checked, with create_graph), which needs the graph of its forward. (Running it under no_grad,
    as ember once did, left that gradient empty and the check compared nothing.)"""
    outs0 = [o for o in _as_tuple(fn(*inputs)) if isinstance(o, Tensor)]
    jac = [[np.zeros((o.numel(), x.numel())) for x in inputs if _is_diff(x)] for o in outs0]
    col = 0
    for x in inputs:
        if not _is_diff(x):
            continue
        flat = x._data.reshape(-1)
        for j in range(flat.size):
            orig = flat[j]
            flat[j] = orig + eps
            plus = [o._data.astype(np.float64).reshape(-1).copy() for o in _as_tuple(fn(*inputs))
                    if isinstance(o, Tensor)]
            flat[j] = orig - eps
            minus = [o._data.astype(np.float64).reshape(-1).copy() for o in _as_tuple(fn(*inputs))
                     if isinstance(o, Tensor)]
            flat[j] = orig
            if len(plus) != len(outs0) or len(minus) != len(outs0):
                raise GradcheckError("the function returned a different number of outputs when an input moved")
            for k in range(len(outs0)):
                jac[k][col][:, j] = (plus[k] - minus[k]) / (2 * eps)
        col += 1
    return jac


def _is_diff(x):
    return isinstance(x, Tensor) and x.requires_grad


def _analytical_jacobian(fn, inputs):
    outs = [o for o in _as_tuple(fn(*inputs)) if isinstance(o, Tensor)]
    diff_inputs = [x for x in inputs if _is_diff(x)]
    jac = [[np.zeros((o.numel(), x.numel())) for x in diff_inputs] for o in outs]
    for k, o in enumerate(outs):
        if not o.requires_grad:
            continue
        for r in range(o.numel()):
            go = np.zeros(o.shape, dtype=o._data.dtype)
            go.reshape(-1)[r] = 1
            gs = autograd_grad([o], diff_inputs, [_wrap(go)], retain_graph=True, allow_unused=True)
            for c, g in enumerate(gs):
                if g is not None:
                    jac[k][c][r, :] = g._data.astype(np.float64).reshape(-1)
    return jac


def _forward_jacobian(fn, inputs):
    """J[k][i] by forward mode: each column is the tangent of the outputs for a unit tangent on one input element
    (``forward_ad.make_dual``), as PyTorch's ``check_forward_ad``."""
    diff = [i for i, x in enumerate(inputs) if _is_diff(x)]
    with fwAD.dual_level():
        outs = [o for o in _as_tuple(fn(*inputs)) if isinstance(o, Tensor)]
    jac = [[np.zeros((o.numel(), inputs[i].numel())) for i in diff] for o in outs]
    for c, i in enumerate(diff):
        x = inputs[i]
        for j in range(x.numel()):
            t = np.zeros(x.shape, dtype=x._data.dtype)
            t.reshape(-1)[j] = 1
            with fwAD.dual_level():
                args = list(inputs)
                args[i] = fwAD.make_dual(x.detach(), _wrap(t))
                res = [o for o in _as_tuple(fn(*args)) if isinstance(o, Tensor)]
                for k, o in enumerate(res):
                    tan = fwAD.unpack_dual(o).tangent
                    if tan is not None:
                        jac[k][c][:, j] = tan._data.astype(np.float64).reshape(-1)
    return jac


def _compare(num, ana, rtol, atol, raise_exception, mode=""):
    for k in range(len(num)):
        for i in range(len(num[k])):
            a, n = ana[k][i], num[k][i]
            if not np.allclose(a, n, rtol=rtol, atol=atol):
                if raise_exception:  # the Jacobians as tensors, laid out (outputs, inputs) as PyTorch prints them
                    raise GradcheckError(
                        f"Jacobian {mode}mismatch for output {k} with respect to input {i},\n"
                        f"numerical:{_wrap(np.ascontiguousarray(n.T))!r}\nanalytical:{_wrap(np.ascontiguousarray(a.T))!r}\n")
                return False
    return True


def gradcheck(func, inputs, *, eps=1e-6, atol=1e-5, rtol=1e-3, raise_exception=True, nondet_tol=0.0,
              check_undefined_grad=True, check_grad_dtypes=False, check_batched_grad=False,
              check_batched_forward_grad=False, check_forward_ad=False, check_backward_ad=True,
              fast_mode=False, masked=None) -> bool:
    """Check backward's gradients of ``func`` at ``inputs`` against central finite differences (and, with
    ``check_forward_ad``, forward mode's Jacobian; ``check_backward_ad=False`` skips backward's)."""
    inputs = _as_tuple(inputs)
    for x in inputs:
        if _is_diff(x) and x.dtype.name not in ("float64", "complex128"):
            warnings.warn("Input #0 requires gradient and is not a double precision floating point or complex. "
                          "This check will likely fail if all the inputs are not of double precision floating "
                          "point or complex. ", UserWarning, stacklevel=2)
            break
    num = _numerical_jacobian(func, inputs, eps)
    if check_backward_ad and not _compare(num, _analytical_jacobian(func, inputs), rtol, atol, raise_exception):
        return False
    if check_forward_ad and not _compare(num, _forward_jacobian(func, inputs), rtol, atol, raise_exception,
                                         "computed with forward mode "):
        return False
    return True


def gradgradcheck(func, inputs, grad_outputs=None, *, eps=1e-6, atol=1e-5, rtol=1e-3, gen_non_contig_grad_outputs=False,
                  raise_exception=True, nondet_tol=0.0, check_undefined_grad=True, check_grad_dtypes=False,
                  check_batched_grad=False, check_fwd_over_rev=False, check_rev_over_rev=True,
                  fast_mode=False, masked=False) -> bool:
    """Check second derivatives: gradcheck applied to the function (inputs, v) -> vᵀ J."""
    inputs = _as_tuple(inputs)
    with_outs = _as_tuple(func(*inputs))
    outs = [o for o in with_outs if isinstance(o, Tensor) and o.requires_grad]
    if grad_outputs is None:
        rng = np.random.default_rng(0)
        grad_outputs = tuple(_wrap(rng.standard_normal(o.shape).astype(o._data.dtype)).requires_grad_(True)
                             for o in outs)
    else:
        grad_outputs = _as_tuple(grad_outputs)
    n_in = len(inputs)

    def first_grads(*args):
        xs, gos = args[:n_in], args[n_in:]
        os = [o for o in _as_tuple(func(*xs)) if isinstance(o, Tensor) and o.requires_grad]
        diff = [x for x in xs if _is_diff(x)]
        gs = autograd_grad(os, diff, list(gos), create_graph=True, allow_unused=True)
        return tuple(g for g in gs if g is not None)

    return gradcheck(first_grads, inputs + tuple(grad_outputs), eps=eps, atol=atol, rtol=rtol,
                     raise_exception=raise_exception)
