"""Forward-mode automatic differentiation: dual tensors (``torch.autograd.forward_ad``).

A dual tensor is a primal value x together with a tangent ẋ, the direction in which x moves. Every op applied to
duals computes its result as usual and the result's tangent ẏ = J ẋ, where J is the op's Jacobian at x: one pass
gives the derivative of every output along one input direction (reverse mode, ``backward``, gives the derivative
of one output along every input direction instead). For few inputs and many outputs, forward mode wins.

How ember does it: each op's graph node has, beside ``backward(g)`` (g Jᵀ, the vector-Jacobian product),
``jvp(*tangents)`` (J ẋ, the Jacobian-vector product): the same derivative, used the other way round. An op whose
input has a tangent makes its node even when nothing requires grad (``_core.record._forward``), and the output's
tangent is worked out from it when first needed. A node class without a ``jvp`` of its own gets one derived from
its ``backward``: backward is linear in g, so for the function u -> backward(u) the gradient of
⟨backward(u), ẋ⟩ with respect to u is J ẋ. That costs a small reverse pass (backward formulas are written with
ember's ops, so they are differentiable), and needs no rule written twice; ops that PyTorch gives no forward rule
raise PyTorch's error instead.

Only one level exists at a time: nesting is refused, as in PyTorch. When the level exits, every tangent made in it
is dropped.
"""

from __future__ import annotations

import functools
import sys
import threading
import weakref
from collections import namedtuple

from .._array import np
from .._core import modes
from .._core.exposure import DECLARED
from .._core.node import Node
from .._core.record import TANGENT_EDGE, tangent_of
from .._core.tensor import Tensor, _wrap
from . import grad_mode
from .engine import grad as _grad

__all__ = ["dual_level", "enter_dual_level", "exit_dual_level", "make_dual", "unpack_dual", "UnpackedDualTensor"]

_fw = modes.forward

UnpackedDualTensor = namedtuple("UnpackedDualTensor", ["primal", "tangent"])
UnpackedDualTensor.__module__ = "torch.autograd.forward_ad"


def enter_dual_level() -> int:
    """Start forward-mode AD in this thread; returns the level (0). Nested levels are refused, as in PyTorch."""
    if _fw.level is not None:
        raise RuntimeError("Nested forward mode AD is not supported at the moment")
    _fw.level = 0
    _fw.duals = []
    _install_checks()
    return 0


def exit_dual_level(*, level=None) -> None:
    """End the current dual level: every tangent made in it is dropped."""
    if level is None:
        level = _fw.level
    if level is None or level < 0:
        raise RuntimeError("Dual level must be a positive number.")
    if level != _fw.level:
        raise RuntimeError("Trying to exit a forward AD level that was not the last one that was created. This is "
                           "not supported.")
    for ref in _fw.duals:
        t = ref()
        if t is not None:
            t._tangent = t._tangent_pending = None
    _fw.duals = []
    _fw.level = None
    _level_closed()


class dual_level:
    """``with dual_level():`` forward-mode AD inside the block (a context manager; also usable as a decorator)."""

    def __enter__(self):
        return enter_dual_level()

    def __exit__(self, *exc):
        exit_dual_level()
        return False

    def __call__(self, fn):

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with self:
                return fn(*args, **kwargs)
        return wrapper


def _kind_word(t) -> str:
    return f"torch.{t.dtype.name}"


def make_dual(tensor: Tensor, tangent: Tensor, *, level=None) -> Tensor:
    """A view of ``tensor`` carrying ``tangent`` as its forward gradient (at the current dual level)."""
    if level is None:
        level = _fw.level
    if level is None:
        raise RuntimeError("Trying to create a dual Tensor for forward AD but no level exists, make sure to "
                           "enter_dual_level() first.")
    if level != _fw.level:
        raise RuntimeError(f"Invalid dual level {level}: it is not the level in use.")
    if tensor._data.dtype.kind not in "fc":
        raise ValueError(f"Expected primal to be floating point or complex, but got: {_kind_word(tensor)}")
    if tangent._data.dtype.kind not in "fc":
        raise ValueError(f"Expected tangent to be floating point or complex, but got: {_kind_word(tangent)}")
    if tangent._data.shape != tensor._data.shape:
        raise RuntimeError("Trying to set a forward gradient that has a different size than that of the original "
                           "Tensor, this is not supported. Tensor is of size "
                           f"[{', '.join(map(str, tensor.shape))}] while the given forward gradient is of size "
                           f"[{', '.join(map(str, tangent.shape))}].")
    dual = tensor.view_as(tensor)  # an alias: the dual shares the primal's memory and version counter
    if dual.grad_fn is not None and dual._tangent_pending is not None:
        tangent_of(dual)
    dual._tangent, dual._tangent_pending = tangent, None
    _fw.duals.append(weakref.ref(dual))
    return dual


def unpack_dual(tensor: Tensor, *, level=None) -> UnpackedDualTensor:
    """(primal, tangent) of a dual tensor: the primal as a view without the tangent; tangent None if it has none."""
    tangent = tangent_of(tensor) if _fw.level is not None else None
    if tangent is None:
        return UnpackedDualTensor(tensor, None)
    primal = _wrap(tensor._data)
    if tensor._version_counter is None:
        tensor._version_counter = [0]
    primal._version_counter = tensor._version_counter
    primal._base = tensor if tensor._base is None else tensor._base
    if tensor._requires_grad:  # the primal keeps the tensor's place in the backward graph
        primal.grad_fn, primal._output_nr, primal._requires_grad = tensor.grad_fn, tensor._output_nr, True
    return UnpackedDualTensor(primal, tangent)


# -- working out a tangent: the node's own jvp, or one derived from its backward --------------------------------

def _compute(t, node: Node, tangents, grad_enabled: bool = True):
    """The tangent of output ``t`` of ``node``, given the node inputs' tangents, in the grad mode the op ran in
    (a tangent worked out after a backward pass without create_graph must not record a graph)."""
    cache = node.__dict__.get("_jvp_out")
    if cache is None:
        if not type(node).forward_ad:
            raise NotImplementedError(f"Trying to use forward AD with {node.name().removesuffix('Backward0')} "
                                      "that does not support it because it has not been implemented yet.")
        level, _fw.level = _fw.level, None  # the tangent's own arithmetic carries no tangent
        try:
            with grad_mode.set_grad_enabled(grad_enabled):
                out = node.jvp(*tangents) if type(node).jvp is not Node.jvp else _jvp_from_backward(node, tangents)
        except AttributeError as err:  # the op records what its derivative needs only when backward is recorded
            raise NotImplementedError(f"Trying to use forward AD with {node.name().removesuffix('Backward0')} that "
                                      "does not support it because it has not been implemented yet.") from err
        finally:
            _fw.level = level
        cache = node._jvp_out = out if node.n_outputs != 1 else (out,)
        if _fw.observer is not None:
            _fw.observer(node, tangents, out)
    out = cache[t._output_nr] if node.n_outputs != 1 else cache[0]
    if out is not None and out._data.shape != t._data.shape:  # a scalar-like tangent broadcast to the output
        out = out.expand(t.shape) if out._data.ndim <= t._data.ndim else out
    return out


def _jvp_from_backward(node: Node, tangents):
    """J ẋ for a node with only a backward: the gradient with respect to u of ⟨backward(u), ẋ⟩."""
    shapes = [node.output_shape(k) for k in range(node.n_outputs)]
    dtypes = [tg._data.dtype for tg in tangents if tg is not None]
    dtype = dtypes[0] if dtypes else np.float32
    us = []
    for shape in shapes:
        u = _wrap(np.zeros(shape, dtype=dtype))
        u._requires_grad = True
        us.append(u)
    # backward computes the gradient of an input only where its edge is set: mark every input with a tangent;
    # and it must not link its saved output back to the node (that is for create_graph on the real graph)
    next_edges, alias = node.next, node.out_alias
    node.next = tuple(e if e is not None or tg is None else TANGENT_EDGE for e, tg in zip(next_edges, tangents))
    node.out_alias = None
    try:
        with grad_mode.enable_grad():
            grads = node.backward(us[0] if node.n_outputs == 1 else us)
    finally:
        node.next, node.out_alias = next_edges, alias
    with grad_mode.enable_grad():
        total = None
        for g, tg, ins in zip(grads, tangents, node.in_shapes or [None] * len(tangents)):
            if g is None or tg is None:
                continue
            if ins is not None and g._data.shape != tuple(ins):
                g = g.sum_to_size(ins)
            if g._data.dtype.kind == "c" or tg._data.dtype.kind == "c":
                # complex: backward gives J^H u, and Re⟨J^H u, ẋ⟩ = Re⟨u, J ẋ⟩, whose gradient in u is J ẋ
                term = (g.conj() * tg).real.sum()
            else:
                term = (g * tg).sum()
            total = term if total is None else total + term
    if total is None:
        outs = tuple(_wrap(np.zeros(s, dtype=dtype)) for s in shapes)
    else:  # the tangents' own graph is kept: it may reach saved tensors of the graph being differentiated
        gs = _grad(total, us, allow_unused=True, retain_graph=True, create_graph=grad_mode.is_grad_enabled())
        outs = tuple(_wrap(np.zeros(s, dtype=dtype)) if o is None else _without_probes(o, us)
                     for o, s in zip(gs, shapes))
    return outs[0] if node.n_outputs == 1 else outs


def _without_probes(o, us):
    """``o`` detached when its graph reaches no tensor but the probes ``us``: J ẋ does not depend on u (backward is
    linear in u), so such a graph only holds zero derivatives (an average pool's backward, under create_graph,
    records its dependence on its input u) and the tangent must not require grad because of it."""
    if not o._requires_grad:
        return o
    probes = {id(u) for u in us}
    seen, stack = set(), [o.grad_fn]
    while stack:
        fn = stack.pop()
        if fn is None or id(fn) in seen:
            continue
        seen.add(id(fn))
        for e in fn.next:
            if isinstance(e, tuple):
                e = e[0]
            if isinstance(e, Tensor):
                if id(e) not in probes:
                    return o
            elif e is not None:
                stack.append(e)
    return o.detach()


type(_fw).compute = staticmethod(_compute)


# -- the safety net: inside a dual level every public op is checked for a tangent it dropped ---------------------
# An op whose float output has no tangent although an input had one would give a silently wrong derivative. While a
# level is active, the Tensor methods and operators and the torch.* functions are swapped for checked versions
# that raise PyTorch's "not implemented" error instead (outside a level nothing is wrapped: no cost).

_DROPS_TANGENT = {"detach", "detach_", "new_tensor", "new_zeros", "new_ones", "new_empty", "new_full",
                  "new_empty_strided", "zeros_like", "ones_like", "empty_like", "full_like", "rand_like",
                  "randn_like", "randint_like", "uniform_", "normal_", "random_", "exponential_", "geometric_",
                  "log_normal_", "cauchy_", "bernoulli_", "bernoulli", "multinomial", "fill_", "zero_", "numpy",
                  "tolist", "item", "data_ptr", "type", "size", "dim", "numel", "stride", "is_floating_point",
                  "is_complex", "element_size", "__len__", "__bool__", "__float__", "__int__", "__index__",
                  "__repr__", "__str__", "__format__", "__hash__", "__iter__", "__array__", "__reduce_ex__",
                  "__deepcopy__", "__init__", "__setitem__", "copy_", "requires_grad_", "retain_grad",
                  "register_hook", "backward", "apply_", "map_", "map2_"}


def _has_tangent(x) -> bool:
    return isinstance(x, Tensor) and (x._tangent is not None or x._tangent_pending is not None)


def _checked(fn, name):
    def checked(*args, **kwargs):
        out = fn(*args, **kwargs)
        if _fw.level is None:
            if not _levels[0]:  # no level open anywhere: after enough such calls the checks take themselves off
                _idle[0] += 1
                if _idle[0] >= IDLE_CALLS:
                    _remove_checks()
            return out
        if any(_has_tangent(a) for a in args) or any(_has_tangent(v) for v in kwargs.values()) or any(
                isinstance(a, (list, tuple)) and any(_has_tangent(b) for b in a) for a in args):
            outs = out if isinstance(out, tuple) else (out,)
            for o in outs:
                if isinstance(o, Tensor) and o._data.dtype.kind in "fc" and not _has_tangent(o):
                    raise NotImplementedError(f"Trying to use forward AD with {name} that does not support it "
                                              "because it has not been implemented yet.")
        return out
    checked.__name__, checked.__doc__, checked.__wrapped__ = getattr(fn, "__name__", name), fn.__doc__, fn
    return checked


_install_lock = threading.Lock()
_levels = [0]      # dual levels open in all threads
_idle = [0]        # calls of a checked op since the last level closed
IDLE_CALLS = 2000  # ... after which the checks are removed (a jacfwd loop keeps them between its levels)
_wrapped: list = []  # (owner, name, original, wrapper) of the installed checks


def _install_checks() -> None:
    """Wrap every declared op, while forward mode is in use, with the check that an op given a tangent returns
    one (PyTorch's error, not a silently missing tangent). The first level to open installs them; once no level
    is open, IDLE_CALLS calls of checked ops later they remove themselves, so a program that used forward mode
    gets its ops back unwrapped (no extra frame, ``torch.exp is ember.ops.exp``), while a loop of short levels
    (``jacfwd``) does not pay to install them each time. A thread calling an op meanwhile keeps the function it
    looked up, which works either way (the check reads this thread's level)."""
    with _install_lock:
        _levels[0] += 1
        _idle[0] = 0
        if _wrapped:
            return
        namespace = sys.modules["ember"].__dict__
        for e in DECLARED:
            for name in e.methods + e.operators + e.inplace:
                if name in _DROPS_TANGENT:
                    continue
                current = Tensor.__dict__.get(name)
                if current is not None and not isinstance(current, property):
                    w = _wrapper_of(current, name)
                    setattr(Tensor, name, w)
                    _wrapped.append((Tensor, name, current, w))
            for name in e.torch:
                current = namespace.get(name)
                if callable(current) and name not in _DROPS_TANGENT:
                    w = _wrapper_of(current, name)
                    namespace[name] = w
                    _wrapped.append((namespace, name, current, w))


_WRAPPERS: dict = {}  # id(function) -> (function, its checked wrapper): made once, installed per session


def _wrapper_of(fn, name):
    hit = _WRAPPERS.get(id(fn))
    if hit is None or hit[0] is not fn:
        hit = _WRAPPERS[id(fn)] = (fn, _checked(fn, name))
    return hit[1]


def _level_closed() -> None:
    with _install_lock:
        _levels[0] = max(0, _levels[0] - 1)


def _remove_checks() -> None:
    with _install_lock:
        _idle[0] = 0
        if _levels[0] or not _wrapped:
            return
        for owner, name, original, w in reversed(_wrapped):
            if owner is Tensor:
                if Tensor.__dict__.get(name) is w:
                    setattr(Tensor, name, original)
            elif owner.get(name) is w:
                owner[name] = original
        _wrapped.clear()
