"""``torch.func``: function transforms. ``grad``, ``vjp`` and ``jacrev`` run the backward pass (reverse mode: one
pass per output direction); ``jvp``, ``jacfwd`` and ``linearize`` run forward mode (``autograd.forward_ad``: one
pass per input direction); ``hessian`` is forward-over-reverse, ``jacfwd(jacrev(f))``, as PyTorch's.

Reverse mode wins for a scalar loss of many inputs (one backward gives the whole gradient); forward mode wins for
few inputs and many outputs (one tangent pass gives a whole column of the Jacobian).

The transforms compose (``vmap(grad(f))``, ``grad(grad(f))``, ``jacfwd(jacrev(f))``, ``grad`` of a ``jvp``) the way
ember's autograd composes: reverse mode by recording the backward pass itself (create_graph), forward mode by
running the backward pass on dual tensors. Only one dual level exists at a time, so a ``jvp`` inside another forward
transform (``jacfwd(jacfwd(f))``) is computed by reverse mode instead, as the transpose of a vjp: d/du ⟨vjp(u), v⟩.
``vmap`` runs the function once per slice of the mapped dim and stacks the results (a loop over the batch, not
over elements): the same values as PyTorch's batching rules, without their speed.
"""

from __future__ import annotations

import functools
import threading
from contextlib import contextmanager

from . import autograd as _autograd
from . import random as _random
from ._core import modes
from ._core.tensor import Tensor
from ._func_extra import (  # functionalize, rearrange, ...: beside this file
    debug_unwrap,
    functionalize,
    rearrange,
    replace_all_batch_norm_modules_,
)
from ._pytree import _flatten, _unflatten
from .autograd import enable_grad, forward_ad, is_grad_enabled
from .nn.utils.stateless import _functional_call
from .ops.creation import as_tensor, zeros, zeros_like
from .ops.join import stack

__all__ = ["vmap", "grad", "grad_and_value", "vjp", "jvp", "jacrev", "jacfwd", "hessian", "linearize",
           "functional_call", "stack_module_state", "functionalize", "rearrange", "replace_all_batch_norm_modules_",
           "debug_unwrap"]


# -- pytrees: tuples, lists and dicts of tensors (flattened by ember._pytree) ---------------------------------------

def _spec_str(spec, indent: int = 2) -> str:
    """The structure as PyTorch's TreeSpec prints it (``*`` for a leaf)."""
    if spec is None:
        return "*"
    kind, keys, specs = spec
    children = [_spec_str(s, indent + 2) for _, s in specs]
    context = keys if kind is dict else None
    return f"TreeSpec({kind.__name__}, {context}, [" + (",\n" + " " * indent).join(children) + "])"


def _tree_map(fn, x):
    if isinstance(x, Tensor):
        return fn(x)
    if isinstance(x, (tuple, list)):
        return type(x)(_tree_map(fn, v) for v in x)
    if isinstance(x, dict):
        return {k: _tree_map(fn, v) for k, v in x.items()}
    return x


def _only_tensors(leaves, what: str):
    for v in leaves:
        if not isinstance(v, Tensor):
            raise RuntimeError(f"{what}: expected f(*primals) to return only tensors, got unsupported type {type(v)}")


def _check_argnums(argnums, args):
    for k in argnums if isinstance(argnums, tuple) else (argnums,):
        if not isinstance(k, int):
            raise RuntimeError(f"argnums must be int or Tuple[int, ...], got: {type(k)}")
        if not -len(args) <= k < len(args):
            raise RuntimeError(f"Got argnum={k}, but only {len(args)} positional inputs")


def _with_args(func, args, argnums, new):
    """func with the arguments at ``argnums`` replaced by ``new`` (one value per argnum)."""
    full = list(args)
    for k, v in zip(argnums if isinstance(argnums, tuple) else (argnums,), new):
        full[k] = v
    return func(*full)


# -- vmap ------------------------------------------------------------------------------------------------------------

def vmap(func, in_dims=0, out_dims=0, randomness: str = "error", *, chunk_size=None):
    """func mapped over dim ``in_dims`` of its inputs; results stacked along ``out_dims``"""
    if randomness not in ("error", "different", "same"):
        raise RuntimeError(f"Only allowed values for randomness are 'error', 'different', or 'same'. Got "
                           f"{randomness}")

    @functools.wraps(func)
    def mapped(*args, **kwargs):
        dims = in_dims if isinstance(in_dims, (tuple, list)) else (in_dims,) * len(args)
        if len(dims) != len(args):
            raise ValueError(f"vmap(func, in_dims={in_dims}, ...)(<inputs>): in_dims is not compatible with the "
                             f"structure of `inputs`. in_dims has structure {len(dims)} but inputs has "
                             f"{len(args)}.")
        sizes = set()
        for a, d in zip(args, dims):
            if d is not None:
                leaves, _ = _flatten(a)
                sizes |= {t.shape[d] for t in leaves if isinstance(t, Tensor)}
        if not sizes:
            raise ValueError("vmap(func)(<inputs>): at least one input must be a Tensor mapped over a dim")
        if len(sizes) > 1:
            raise ValueError(f"vmap: Expected all tensors to have the same size in the mapped dimension, got "
                             f"sizes {sorted(sizes)} for the mapped dimension")
        (n,) = sizes
        state = _rng_state() if randomness == "same" else None
        results = []
        for i in range(n):
            if state is not None:
                _set_rng_state(state)
            call = [_tree_map(lambda t, d=d, i=i: t.select(d, i), a) if d is not None else a for a, d in zip(args, dims)]
            results.append(func(*call, **kwargs))
        return _stack(results, out_dims)
    return mapped


def _rng_state():
    return _random.get_rng_state()


def _set_rng_state(state):
    _random.set_rng_state(state)


def _stack(results, out_dims):
    first = results[0]
    if isinstance(first, Tensor):
        return stack(results, out_dims if isinstance(out_dims, int) else out_dims[0])
    if isinstance(first, (tuple, list)):
        od = out_dims if isinstance(out_dims, (tuple, list)) else (out_dims,) * len(first)
        return type(first)(_stack([r[k] for r in results], od[k]) for k in range(len(first)))
    if isinstance(first, dict):
        return {k: _stack([r[k] for r in results], out_dims) for k in first}
    return stack([as_tensor(r) for r in results], out_dims)


# -- reverse mode: grad, vjp, jacrev ---------------------------------------------------------------------------------

class _Transforms(threading.local):
    depth = 0  # reverse transforms (grad, vjp's function) running in this thread, outermost first


_active = _Transforms()


@contextmanager
def _inside():
    _active.depth += 1
    try:
        yield
    finally:
        _active.depth -= 1


def _records(*trees) -> bool:
    """Whether what a transform computes must stay differentiable: it runs inside another reverse transform, or
    the caller's own inputs require grad (PyTorch's transforms compose with regular autograd)."""
    if _active.depth:
        return True
    if not is_grad_enabled():
        return False
    return any(isinstance(t, Tensor) and t.requires_grad for tree in trees for t in _flatten(tree)[0])


def _fresh(x):
    """A tensor that requires grad, standing for ``x`` inside a transform: a view, so that ``x``'s own graph and
    tangent stay reachable (an enclosing transform differentiates through it)."""
    if x.requires_grad and is_grad_enabled():
        return x.view_as(x)
    if modes.forward.level is not None and forward_ad.unpack_dual(x).tangent is not None:
        return x.view_as(x).requires_grad_(True)
    return x.detach().requires_grad_(True)


def _keep(record):
    """What a transform does to its results: detaches them unless they must stay differentiable (or carry an
    enclosing forward transform's tangent, which a detach would drop)."""
    if record or modes.forward.level is not None:
        return lambda t: t
    return lambda t: t.detach() if isinstance(t, Tensor) else t


def grad_and_value(func, argnums=0, has_aux: bool = False):
    """(∂func/∂args[argnums], func(args)) for a scalar-valued func"""
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        _check_argnums(argnums, args)
        nums = argnums if isinstance(argnums, tuple) else (argnums,)
        record = _records(args, kwargs)
        args = list(args)
        with enable_grad(), _inside():
            for k in nums:
                args[k] = _tree_map(_fresh, args[k])
            out = func(*args, **kwargs)
            if has_aux:
                if not (isinstance(out, tuple) and len(out) == 2):
                    raise RuntimeError("grad_and_value(f)(*args): output of function f should be a tuple: (output, "
                                       "aux) if has_aux is True")
                value, aux = out
            else:
                value, aux = out, None
            if not isinstance(value, Tensor):
                raise RuntimeError("grad_and_value(f)(*args): Expected f(*args) to return a Tensor, got "
                                   f"{type(value)}")
            if value.dim() != 0:
                raise RuntimeError("grad_and_value(f)(*args): Expected f(*args) to return a scalar Tensor, got "
                                   f"tensor with {value.dim()} dims. Maybe you wanted to use the vjp or jacrev "
                                   "APIs instead?")
            flat = []
            for k in nums:
                _tree_map(flat.append, args[k])
            if value.requires_grad:
                grads = _autograd.grad(value, flat, create_graph=record, allow_unused=True)
            else:
                grads = (None,) * len(flat)
            grads = [g if g is not None else zeros_like(x) for g, x in zip(grads, flat)]
        it = iter(grads)
        per_arg = [_tree_map(lambda _t: next(it), args[k]) for k in nums]
        g = tuple(per_arg) if isinstance(argnums, tuple) else per_arg[0]
        keep = _keep(record)
        g, value = _tree_map(keep, g), _tree_map(keep, value)
        if has_aux:
            return g, (value, _tree_map(keep, aux))
        return g, value
    return wrapper


def grad(func, argnums=0, has_aux: bool = False):
    """∂func/∂args[argnums] for a scalar-valued func"""
    gv = grad_and_value(func, argnums, has_aux)

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        g, value = gv(*args, **kwargs)
        return (g, value[1]) if has_aux else g
    return wrapper


def vjp(func, *primals, has_aux: bool = False):
    """(func(*primals), vjp_fn): vjp_fn(v) = vᵀ J, one gradient per primal (a tuple)"""
    record = _records(primals)
    with enable_grad(), _inside():
        ins = [_tree_map(_fresh, p) for p in primals]
        out = func(*ins)
        if has_aux:
            if not (isinstance(out, tuple) and len(out) == 2):
                raise RuntimeError("vjp(f, *primals): output of function f should be a tuple: (output, aux) if "
                                   "has_aux is True")
            out, aux = out
        out_leaves, out_spec = _flatten(out)
        _only_tensors(out_leaves, "vjp(f, *primals)")
    in_leaves, in_spec = _flatten(tuple(ins))

    def vjp_fn(cotangents, *, retain_graph: bool = True, create_graph=None):
        v_leaves, v_spec = _flatten(cotangents)
        if len(v_leaves) != len(out_leaves) or (v_spec != out_spec and not (out_spec is None and len(v_leaves) == 1)):
            raise RuntimeError("Expected pytree structure of cotangents to be the same as pytree structure of outputs "
                               "to the function")
        for i, (o, v) in enumerate(zip(out_leaves, v_leaves)):
            if tuple(o.shape) != tuple(v.shape):
                raise RuntimeError(f"Mismatch in shape: grad_output[{i}] has a shape of {v.shape} and output[{i}] has "
                                   f"a shape of {o.shape}.")
        graph = (record or _records(cotangents)) if create_graph is None else create_graph
        with enable_grad():
            pairs = [(o, v) for o, v in zip(out_leaves, v_leaves) if o.requires_grad]
            if pairs:
                gs = _autograd.grad([o for o, _ in pairs], in_leaves, [v for _, v in pairs], retain_graph=retain_graph,
                                   create_graph=bool(graph), allow_unused=True)
            else:
                gs = (None,) * len(in_leaves)
        keep = _keep(graph)
        gs = [keep(g) if g is not None else zeros_like(x) for g, x in zip(gs, in_leaves)]
        return _unflatten(in_spec, gs)

    keep = _keep(record)
    result = _unflatten(out_spec, [keep(o) for o in out_leaves])
    return (result, vjp_fn, _tree_map(keep, aux)) if has_aux else (result, vjp_fn)


def jacrev(func, argnums=0, *, has_aux: bool = False, chunk_size=None, _preallocate_and_copy: bool = False):
    """the Jacobian of func with respect to args[argnums], one backward pass per output element"""
    @functools.wraps(func)
    def wrapper(*args):
        _check_argnums(argnums, args)
        nums = argnums if isinstance(argnums, tuple) else (argnums,)
        res = vjp(lambda *xs: _with_args(func, args, argnums, xs), *(args[k] for k in nums), has_aux=has_aux)
        out, fn = res[0], res[1]
        out_leaves, out_spec = _flatten(out)
        in_leaves, in_spec = _flatten(tuple(args[k] for k in nums))
        per_out = []
        for j, o in enumerate(out_leaves):
            rows = []
            for r in range(o.numel()):
                seed = [zeros(x.shape, dtype=x.dtype) for x in out_leaves]
                seed[j] = seed[j].reshape(-1).index_fill(0, as_tensor([r]), 1).reshape(o.shape)
                rows.append(_flatten(fn(_unflatten(out_spec, seed)))[0])
            jac = []
            for i, x in enumerate(in_leaves):
                cols = [row[i] for row in rows]
                m = stack(cols) if cols else zeros((0,) + tuple(x.shape), dtype=x.dtype)
                jac.append(m.reshape(tuple(o.shape) + tuple(x.shape)))
            tree = _unflatten(in_spec, jac)
            per_out.append(tree if isinstance(argnums, tuple) else tree[0])
        jac = _unflatten(out_spec, per_out)
        return (jac, res[2]) if has_aux else jac
    return wrapper


# -- forward mode: jvp, jacfwd, linearize ----------------------------------------------------------------------------

def jvp(func, primals, tangents, *, strict: bool = False, has_aux: bool = False):
    """(func(*primals), J·tangents): the Jacobian-vector product, by forward mode"""
    if not isinstance(primals, tuple):
        raise RuntimeError("jvp(f, primals, tangents): Expected primals to be a tuple. E.g. it should be valid to "
                           "call f(*primals).")
    p_leaves, p_spec = _flatten(primals)
    t_leaves, t_spec = _flatten(tangents)
    if p_spec != t_spec:
        raise RuntimeError("jvp(f, primals, tangents): Expected primals and tangents to have the same python "
                           "structure. For example, if primals is a tuple of 3 tensors, tangents also must be. Got "
                           f"primals with structure {_spec_str(p_spec)} and tangents with structure "
                           f"{_spec_str(t_spec)}")
    for k, (p, t) in enumerate(zip(p_leaves, t_leaves)):
        if tuple(p.shape) != tuple(t.shape):
            raise RuntimeError(f"tangent:{k} with shape {t.shape} in flattened pytree doesn't match the shape "
                               f"{p.shape} of the corresponding primal.")
    if modes.forward.level is not None:  # inside another forward transform: by reverse mode instead
        return _jvp_by_reverse(func, p_leaves, p_spec, t_leaves, has_aux)
    keep = _keep(_records(primals, tangents))
    with forward_ad.dual_level():
        duals = [forward_ad.make_dual(p, t) for p, t in zip(p_leaves, t_leaves)]
        out = func(*_unflatten(p_spec, duals))
        if has_aux:
            if not (isinstance(out, tuple) and len(out) == 2):
                raise RuntimeError("jvp(f, primals, tangents): output of function f should be a tuple: (output, aux) "
                                   "if has_aux is True")
            out, aux = out
        o_leaves, o_spec = _flatten(out)
        _only_tensors(o_leaves, "jvp(f, primals, tangents)")
        values, tans = [], []
        for o in o_leaves:
            primal, tangent = forward_ad.unpack_dual(o)
            values.append(keep(primal))
            tans.append(keep(tangent) if tangent is not None else zeros_like(primal))
    result = (_unflatten(o_spec, values), _unflatten(o_spec, tans))
    return (*result, _tree_map(keep, aux)) if has_aux else result


def _jvp_by_reverse(func, p_leaves, p_spec, t_leaves, has_aux):
    """J v as d/du ⟨Jᵀu, v⟩: two reverse passes, for a jvp nested in another forward transform."""
    keep = _keep(_records(p_leaves, t_leaves))
    with enable_grad(), _inside():
        ins = [_fresh(p) for p in p_leaves]
        out = func(*_unflatten(p_spec, ins))
        aux = None
        if has_aux:
            out, aux = out
        o_leaves, o_spec = _flatten(out)
        _only_tensors(o_leaves, "jvp(f, primals, tangents)")
        us = [zeros_like(o).requires_grad_(True) for o in o_leaves]
        pairs = [(o, u) for o, u in zip(o_leaves, us) if o.requires_grad]
        if pairs:
            gs = _autograd.grad([o for o, _ in pairs], ins, [u for _, u in pairs], create_graph=True,
                               allow_unused=True)
        else:
            gs = (None,) * len(ins)
        terms = [(g * t).sum() for g, t in zip(gs, t_leaves) if g is not None and g.requires_grad]
        if terms:
            total = terms[0]
            for t in terms[1:]:
                total = total + t
            jv = _autograd.grad(total, us, create_graph=True, allow_unused=True)
        else:
            jv = (None,) * len(us)
    tans = [keep(j) if j is not None else zeros_like(o) for j, o in zip(jv, o_leaves)]
    result = (_unflatten(o_spec, [keep(o) for o in o_leaves]), _unflatten(o_spec, tans))
    return (*result, _tree_map(keep, aux)) if has_aux else result


def jacfwd(func, argnums=0, has_aux: bool = False, *, randomness: str = "error"):
    """the Jacobian of func with respect to args[argnums], one forward-mode pass per input element"""
    if randomness not in ("error", "different", "same"):
        raise RuntimeError(f"Only allowed values for randomness are 'error', 'different', or 'same'. Got "
                           f"{randomness}")

    @functools.wraps(func)
    def wrapper(*args):
        _check_argnums(argnums, args)
        nums = argnums if isinstance(argnums, tuple) else (argnums,)
        primals = tuple(args[k] for k in nums)
        in_leaves, in_spec = _flatten(primals)
        f = functools.partial(_with_args, func, args, argnums)
        state = _rng_state() if randomness == "same" else None
        columns, out, aux = [], None, None  # columns[i][c]: the output leaves' tangents for element c of input i
        for i, x in enumerate(in_leaves):
            cols = []
            for c in range(x.numel()):
                if state is not None:
                    _set_rng_state(state)
                basis = [zeros(p.shape, dtype=p.dtype) for p in in_leaves]
                basis[i] = basis[i].reshape(-1).index_fill(0, as_tensor([c]), 1).reshape(x.shape)
                res = jvp(lambda *xs: f(xs), primals, _unflatten(in_spec, basis), has_aux=has_aux)
                out = res[0]
                if has_aux:
                    aux = res[2]
                cols.append(_flatten(res[1])[0])
            columns.append(cols)
        if out is None:  # no input element at all: evaluate once for the output's structure
            out = f(primals)
            if has_aux:
                out, aux = out
        o_leaves, o_spec = _flatten(out)
        per_out = []
        for j, o in enumerate(o_leaves):
            jac = []
            for i, x in enumerate(in_leaves):
                cols = [col[j] for col in columns[i]]
                m = stack(cols, -1) if cols else zeros(tuple(o.shape) + (0,), dtype=o.dtype)
                jac.append(m.reshape(tuple(o.shape) + tuple(x.shape)))
            tree = _unflatten(in_spec, jac)
            per_out.append(tree if isinstance(argnums, tuple) else tree[0])
        jac = _unflatten(o_spec, per_out)
        return (jac, aux) if has_aux else jac
    return wrapper


def hessian(func, argnums=0):
    """the matrix of second derivatives of a scalar func: jacfwd(jacrev(func)), forward-over-reverse (reverse-over-
    reverse, the same matrix, where an op of func has no tangent rule yet)"""
    fwd_rev, rev_rev = jacfwd(jacrev(func, argnums), argnums), jacrev(jacrev(func, argnums), argnums)

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return fwd_rev(*args, **kwargs)
        except NotImplementedError as err:
            if "forward AD" not in str(err):
                raise
            return rev_rev(*args, **kwargs)
    return wrapper


def linearize(func, *primals):
    """(func(*primals), jvp_fn): jvp_fn(*tangents) = J·tangents at the fixed primals"""
    fixed = tuple(_tree_map(lambda t: t.detach(), p) for p in primals)
    out = func(*fixed)
    p_leaves, p_spec = _flatten(fixed)

    def jvp_fn(*tangents):
        t_leaves, t_spec = _flatten(tangents)
        if t_spec != p_spec:
            raise RuntimeError(f"Expected the tangents {_spec_str(t_spec)} to have the same argument structure as "
                               f"the primals {_spec_str(p_spec)}")
        return jvp(func, fixed, tangents)[1]
    return _tree_map(lambda t: t.detach(), out), jvp_fn


# -- modules as functions ----------------------------------------------------------------------------------------

def functional_call(module, parameter_and_buffer_dicts, args=None, kwargs=None, *, tie_weights: bool = True,
                    strict: bool = False):
    """module(*args) with its parameters and buffers temporarily replaced by the given tensors (one dict, or several
    with distinct keys)"""
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


def stack_module_state(models):
    """(params, buffers): each model's parameters (and buffers) stacked along a new leading dim, for vmap over an
    ensemble of models of one architecture"""
    if not models:
        raise RuntimeError("stack_module_state: Expected at least one model, got 0.")
    if not (all(m.training for m in models) or not any(m.training for m in models)):
        raise RuntimeError("stack_module_state: Expected all models to have the same training/eval mode.")
    first = type(models[0])
    if not all(type(m) is first for m in models):
        raise RuntimeError("stack_module_state: Expected all models to be of the same class.")
    params = {k: stack([dict(m.named_parameters())[k].detach() for m in models]).requires_grad_(True)
              for k, _ in models[0].named_parameters()}
    buffers = {k: stack([dict(m.named_buffers())[k] for m in models]) for k, _ in models[0].named_buffers()}
    return params, buffers
