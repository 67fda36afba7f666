"""``torch.autograd.functional``: Jacobians, Hessians and vector products of a function, by reverse mode."""

from __future__ import annotations

from .._core.record import zeros_like, zeros_like_shape
from .._core.tensor import Tensor
from ..ops.join import stack
from ..ops.shape import reshape
from . import grad as _grad
from . import grad_mode

__all__ = ["hessian", "hvp", "jacobian", "jvp", "vhp", "vjp"]


def _as_tuple(x, arg: str, fn: str):
    """(tuple of tensors, whether x was a tuple), with PyTorch's type errors."""
    is_tuple = isinstance(x, (tuple, list))
    items = tuple(x) if is_tuple else (x,)
    for i, t in enumerate(items):
        if not isinstance(t, Tensor):
            if is_tuple:
                raise TypeError(f"The {arg} given to {fn} must be either a Tensor or a tuple of Tensors but the "
                                f"value at index {i} has type {type(t)}.")
            raise TypeError(f"The {arg} given to {fn} must be either a Tensor or a tuple of Tensors but the "
                            f"given {arg} has type {type(t)}.")
    return items, is_tuple


def _prepare(inputs, create_graph: bool):
    # fresh leaves that require grad: the function's graph starts at them (clones keep the caller's graph
    # reachable when create_graph asks for differentiable results)
    out = []
    for t in inputs:
        t = t.view_as(t) if create_graph and t.requires_grad else t.detach()
        out.append(t.requires_grad_(True) if not t.requires_grad else t)
    return tuple(out)


def _grads(outputs, inputs, grad_outputs, create_graph: bool, retain_graph: bool):
    """autograd.grad of the outputs that need it; zeros for inputs they do not reach."""
    pairs = [(o, g) for o, g in zip(outputs, grad_outputs) if o.requires_grad]
    if pairs:
        res = _grad([o for o, _ in pairs], inputs, [g for _, g in pairs], retain_graph=retain_graph,
                    create_graph=create_graph, allow_unused=True)
    else:
        res = (None,) * len(inputs)
    return tuple(g if g is not None else zeros_like(x) for g, x in zip(res, inputs))


def _finish(t: Tensor, create_graph: bool) -> Tensor:
    return t if create_graph else t.detach()


def vjp(func, inputs, v=None, create_graph: bool = False, strict: bool = False):
    """(func(inputs), vᵀ J): the vector-Jacobian product at ``inputs``."""
    with grad_mode.enable_grad():
        ins, in_tuple = _as_tuple(inputs, "inputs", "vjp")
        ins = _prepare(ins, create_graph)
        outs, out_tuple = _as_tuple(func(*ins), "outputs of the user-provided function", "vjp")
        if v is None:
            if len(outs) != 1 or outs[0].numel() != 1:
                raise RuntimeError("The vector v can only be None if the user-provided function returns a single "
                                   "Tensor with a single element.")
            vs = (None,)
        else:
            vs, _ = _as_tuple(v, "v", "vjp")
        grads = _grads(outs, ins, vs, create_graph, create_graph)
    outs = tuple(_finish(o, create_graph) for o in outs)
    grads = tuple(_finish(g, create_graph) for g in grads)
    return (outs if out_tuple else outs[0]), (grads if in_tuple else grads[0])


def jacobian(func, inputs, create_graph: bool = False, strict: bool = False, vectorize: bool = False,
             strategy: str = "reverse-mode"):
    """J[i, j] = ∂ func(inputs)[i] / ∂ inputs[j], shaped output.shape + input.shape (row by row)."""
    with grad_mode.enable_grad():
        ins, in_tuple = _as_tuple(inputs, "inputs", "jacobian")
        ins = _prepare(ins, create_graph)
        outs, out_tuple = _as_tuple(func(*ins), "outputs of the user-provided function", "jacobian")
        rows_per_out = []
        for o in outs:
            flat = reshape(o, (-1,))
            rows = [[] for _ in ins]
            for k in range(flat.numel()):
                if o.requires_grad:
                    gs = _grad([flat[k]], ins, retain_graph=True, create_graph=create_graph, allow_unused=True)
                else:
                    gs = (None,) * len(ins)
                for j, (g, x) in enumerate(zip(gs, ins)):
                    rows[j].append(g if g is not None else zeros_like(x))
            jac = []
            for j, x in enumerate(ins):
                if rows[j]:
                    m = reshape(stack(rows[j]), tuple(o.shape) + tuple(x.shape))
                else:
                    m = zeros_like_shape(x, tuple(o.shape) + tuple(x.shape))
                jac.append(_finish(m, create_graph))
            rows_per_out.append(tuple(jac))
    if in_tuple and out_tuple:
        return tuple(rows_per_out)
    if out_tuple:
        return tuple(r[0] for r in rows_per_out)
    if in_tuple:
        return rows_per_out[0]
    return rows_per_out[0][0]


def hessian(func, inputs, create_graph: bool = False, strict: bool = False, vectorize: bool = False,
            outer_jacobian_strategy: str = "reverse-mode"):
    """H = ∂² func / ∂ inputs², the Jacobian of the gradient of a scalar function."""
    ins, in_tuple = _as_tuple(inputs, "inputs", "hessian")

    def grad_fn(*xs):
        out = func(*xs)
        outs, _ = _as_tuple(out, "outputs of the user-provided function", "hessian")
        if len(outs) != 1 or outs[0].numel() != 1:
            raise RuntimeError("The function given to hessian should return a single Tensor with a single element.")
        g = _grads(outs, xs, (None,), True, True)
        return g if in_tuple else g[0]

    return jacobian(grad_fn, inputs if in_tuple else ins[0], create_graph=create_graph)


def jvp(func, inputs, v=None, create_graph: bool = False, strict: bool = False):
    """(func(inputs), J v): the Jacobian-vector product, by differentiating a vector-Jacobian product."""
    with grad_mode.enable_grad():
        ins, in_tuple = _as_tuple(inputs, "inputs", "jvp")
        ins = _prepare(ins, create_graph)
        if v is None:
            if len(ins) != 1 or ins[0].numel() != 1:
                raise RuntimeError("The vector v can only be None if the input to the user-provided function is a "
                                   "single Tensor with a single element.")
            vs = tuple(zeros_like(x) + 1 for x in ins)
        else:
            vs, _ = _as_tuple(v, "v", "jvp")
        outs, out_tuple = _as_tuple(func(*ins), "outputs of the user-provided function", "jvp")
        # u ↦ uᵀJ is linear in u; differentiating it with respect to u along v gives J v
        us = tuple((zeros_like(o) + 0).requires_grad_(True) for o in outs)
        g_u = _grads(outs, ins, us, True, True)
        jv = _grads(g_u, us, vs, create_graph, create_graph)
    outs = tuple(_finish(o, create_graph) for o in outs)
    jv = tuple(_finish(t, create_graph) for t in jv)
    return (outs if out_tuple else outs[0]), (jv if out_tuple else jv[0])


def vhp(func, inputs, v=None, create_graph: bool = False, strict: bool = False):
    """(func(inputs), vᵀ H) for a scalar function."""
    with grad_mode.enable_grad():
        ins, in_tuple = _as_tuple(inputs, "inputs", "vhp")
        ins = _prepare(ins, create_graph)
        out = func(*ins)
        outs, _ = _as_tuple(out, "outputs of the user-provided function", "vhp")
        if len(outs) != 1 or outs[0].numel() != 1:
            raise RuntimeError("The Tensor returned by the function given to hvp should contain a single element")
        vs = _as_tuple(v, "v", "vhp")[0] if v is not None else (None,)
        g = _grads(outs, ins, (None,), True, True)
        res = _grads(g, ins, vs, create_graph, create_graph)
    res = tuple(_finish(r, create_graph) for r in res)
    return _finish(outs[0], create_graph), (res if in_tuple else res[0])


def hvp(func, inputs, v=None, create_graph: bool = False, strict: bool = False):
    """(func(inputs), H v) for a scalar function (H is symmetric, so this is vᵀ H transposed)."""
    return vhp(func, inputs, v, create_graph, strict)
