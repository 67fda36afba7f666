"""``torch.func``: vmap, grad, grad_and_value, jacrev/jacfwd, hessian, built on ember's reverse mode.

vmap runs the function once per slice of the mapped dim and stacks the results (a loop over the batch, not over
elements): the same values as PyTorch's batching rules, without their speed."""

from __future__ import annotations

import functools

from . import autograd
from ._core.tensor import Tensor
from .autograd import enable_grad, is_grad_enabled
from .ops.creation import as_tensor, zeros_like
from .ops.join import stack

__all__ = ["vmap", "grad", "grad_and_value", "jacrev", "jacfwd", "hessian", "functional_call"]


def _tree_map(fn, x):
    if isinstance(x, Tensor):
        return fn(x)
    if isinstance(x, (tuple, list)):
        return type(x)(_tree_map(fn, v) for v in x)
    if isinstance(x, dict):
        return {k: _tree_map(fn, v) for k, v in x.items()}
    return x


def vmap(func, in_dims=0, out_dims=0, randomness: str = "error", *, chunk_size=None):
    """func mapped over dim ``in_dims`` of its inputs; results stacked along ``out_dims``"""
    @functools.wraps(func)
    def mapped(*args):
        dims = in_dims if isinstance(in_dims, (tuple, list)) else (in_dims,) * len(args)
        if len(dims) != len(args):
            raise ValueError(f"vmap(func, in_dims={in_dims}, ...)(<inputs>): in_dims is not compatible with the "
                             f"structure of `inputs`. in_dims has structure {len(dims)} but inputs has "
                             f"{len(args)}.")
        sizes = {a.shape[d] for a, d in zip(args, dims) if d is not None and isinstance(a, Tensor)}
        if not sizes:
            raise ValueError("vmap(func)(<inputs>): at least one input must be a Tensor mapped over a dim")
        if len(sizes) > 1:
            raise ValueError(f"vmap: Expected all tensors to have the same size in the mapped dimension, got "
                             f"sizes {sorted(sizes)} for the mapped dimension")
        (n,) = sizes
        results = []
        for i in range(n):
            call = [a.select(d, i) if d is not None and isinstance(a, Tensor) else a for a, d in zip(args, dims)]
            results.append(func(*call))
        return _stack(results, out_dims)
    return mapped


def _stack(results, out_dims):
    first = results[0]
    if isinstance(first, Tensor):
        return stack(results, out_dims if isinstance(out_dims, int) else out_dims[0])
    if isinstance(first, (tuple, list)):
        od = out_dims if isinstance(out_dims, (tuple, list)) else (out_dims,) * len(first)
        return type(first)(_stack([r[k] for r in results], od[k]) for k in range(len(first)))
    return stack([as_tensor(r) for r in results], out_dims)


def grad_and_value(func, argnums=0, has_aux: bool = False):
    """(∂func/∂args[argnums], func(args)) for a scalar-valued func"""
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        nums = argnums if isinstance(argnums, tuple) else (argnums,)
        args = list(args)
        with enable_grad():
            for k in nums:
                args[k] = _tree_map(lambda t: t.detach().requires_grad_(True), args[k])
            out = func(*args, **kwargs)
            value, aux = (out[0], out[1]) if has_aux else (out, None)
            if not isinstance(value, Tensor) or value.numel() != 1:
                raise RuntimeError("grad_and_value(f)(*args): Expected f(*args) to return a scalar Tensor, got "
                                   f"tensor with {value.dim() if isinstance(value, Tensor) else 0} dims.")
            flat = []
            for k in nums:
                _tree_map(flat.append, args[k])
            grads = autograd.grad(value, flat, create_graph=is_grad_enabled(), allow_unused=True)
            grads = [g if g is not None else zeros_like(x) for g, x in zip(grads, flat)]
        it = iter(grads)
        per_arg = [_tree_map(lambda _t: next(it), args[k]) for k in nums]
        g = tuple(per_arg) if isinstance(argnums, tuple) else per_arg[0]
        value = value.detach()
        return (g, (value, aux)) if has_aux else (g, value)
    return wrapper


def grad(func, argnums=0, has_aux: bool = False):
    """∂func/∂args[argnums] for a scalar-valued func"""
    gv = grad_and_value(func, argnums, has_aux)

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        g, value = gv(*args, **kwargs)
        return (g, value[1]) if has_aux else g
    return wrapper


def jacrev(func, argnums=0, *, has_aux: bool = False, chunk_size=None):
    """the Jacobian of func with respect to args[argnums]"""
    def wrapper(*args):
        nums = argnums if isinstance(argnums, tuple) else (argnums,)

        def only(*xs):
            full = list(args)
            for k, x in zip(nums, xs):
                full[k] = x
            return func(*full)
        jac = autograd.functional.jacobian(only, tuple(args[k] for k in nums))
        return jac if isinstance(argnums, tuple) else jac[0]
    return wrapper


jacfwd = jacrev


def hessian(func, argnums=0):
    """the matrix of second derivatives of a scalar func"""
    def wrapper(*args):
        h = autograd.functional.hessian(func, args[argnums])
        return h
    return wrapper


def functional_call(module, parameter_and_buffer_dicts, args=None, kwargs=None, *, tie_weights: bool = True,
                    strict: bool = False):
    """module(*args) with its parameters and buffers temporarily replaced by the given tensors (one dict, or several
    with distinct keys)"""
    from .nn.utils.stateless import _functional_call
    dicts = parameter_and_buffer_dicts
    if isinstance(dicts, dict):
        merged = dicts
    elif isinstance(dicts, (tuple, list)):
        if not all(isinstance(d, dict) for d in dicts):
            raise ValueError("Expected all elements of parameter_and_buffer_dicts to be dictionaries")
        counts: dict = {}
        for d in dicts:
            for k in d:
                counts[k] = counts.get(k, 0) + 1
        repeated = [k for k, n in counts.items() if n > 1]
        if repeated:
            raise ValueError(f"{repeated} appeared in multiple dictionaries; behavior of functional call is ambiguous")
        merged = {k: v for d in dicts for k, v in d.items()}
    else:
        raise ValueError("Expected parameter_and_buffer_dicts to be a dict, or a list/tuple of dicts, but got "
                         f"{type(dicts)}")
    return _functional_call(module, merged, args, kwargs, tie_weights=tie_weights, strict=strict)
