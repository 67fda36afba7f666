"""``explain(output)``: run the backward pass and say, node by node, what the chain rule does.

The engine's own walk runs (a node runs once every gradient for it has arrived; among ready nodes the newest
first) with an observer that sees each node's gradients; explain prints the local rule (the node's
docstring, e.g. ``tanh x;  d/dx = 1 - tanh^2 x``), the gradient coming in and the gradients going out to
each input, with shapes (and values for small tensors). Nothing is accumulated into ``.grad`` and no saved
tensor is freed, so a real ``backward()`` can follow.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from .._core import modes
from .._core.node import FREED, Node
from .._core.tensor import Tensor, _wrap
from . import forward_ad
from .engine import run_backward

__all__ = ["Explanation", "SMALL", "Step", "explain", "explain_forward", "local_rule", "rule_of"]


SMALL = 8  # tensors with at most this many elements are printed


@dataclass
class Step:
    """One node of the replayed backward pass."""
    index: int
    node: Node
    name: str
    rule: str
    grad_in: object                                  # dL/d(output) arriving at the node (a Tensor)
    grads_out: list = field(default_factory=list)   # (target description, Tensor or None) per input edge


class Explanation:
    """The replayed steps (``.steps``), the leaves' gradients (``.leaf_grads``) and the printed text."""

    def __init__(self, steps: list, leaf_grads: list, text: str):
        self.steps = steps
        self.leaf_grads = leaf_grads
        self.text = text

    def __iter__(self):
        return iter(self.steps)

    def __len__(self) -> int:
        return len(self.steps)

    def __getitem__(self, i) -> Step:
        return self.steps[i]

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"<Explanation of a backward pass: {len(self.steps)} nodes, {len(self.leaf_grads)} leaves>"


def rule_of(node) -> str:
    """The local derivative rule of a node class (its docstring's first line)."""
    for cls in type(node).__mro__:
        if cls is Node or cls is object:
            break
        doc = cls.__dict__.get("__doc__")
        if doc and not doc.startswith("Base of"):
            return doc.strip().splitlines()[0]
    return "(no formula recorded for this node)"


_WORD = re.compile(r"[A-Za-z]+")
_SPARE = "uvwpqrstkmnhfgcbaz"  # letters a renamed formula symbol may take, in order of preference


def _symbols(rule: str) -> set:
    """The one-letter variables of a rule: its left-hand side and the letters of its derivatives (dz/da, d/dx)."""
    found = set(re.findall(r"^([A-Za-z]) = ", rule))
    found |= {c for pair in re.findall(r"(?<![A-Za-z])d([A-Za-z])?/d([A-Za-z])(?![A-Za-z])", rule) for c in pair if c}
    found |= set(re.findall(r"(?<![A-Za-z])d([A-Za-z]) = ", rule))
    return found


def local_rule(rule: str, taken) -> str:
    """``rule`` with each of its variables that shares a name the user gave (``params``) renamed to a spare letter.

    The rules are written in local letters (``z = a + alpha*b:  dz/da = 1``); printed next to a user's own ``z`` they
    would read as statements about it, so ``z`` becomes ``u``: ``u = a + alpha*b:  du/da = 1``.
    """
    clash = sorted(_symbols(rule) & set(taken))
    if not clash:
        return rule
    used = set(_WORD.findall(rule)) | set(taken)
    spare = {False: iter(c for c in _SPARE if c not in used),
             True: iter(c for c in _SPARE.upper() if c not in used)}  # a matrix A stays a capital
    new = {c: next(spare[c.isupper()], c + "'") for c in clash}

    def rename(m):
        w = m.group(0)
        if w in new:
            # "a" followed by a word is the article ("s a scalar", "a strided window"), not the variable
            if w == "a" and re.match(r" [a-z]{2,}", rule[m.end():]):
                return w
            return new[w]
        if len(w) == 2 and w[0] == "d" and w[1] in new:
            return "d" + new[w[1]]
        return w
    return _WORD.sub(rename, rule)


def _fmt(t) -> str:
    if t is None:
        return "None"
    shape = "(" + ", ".join(str(d) for d in t.shape) + ("," if t.ndim == 1 else "") + ")"
    a = t._data
    if a.size <= SMALL:
        vals = np.array2string(np.asarray(a, dtype=np.float64) if a.dtype.kind == "f" else a, precision=4,
                               separator=", ", suppress_small=True, max_line_width=10_000)
        return f"{shape} {' '.join(vals.split())}"
    return f"{shape} (norm {float(np.linalg.norm(a.astype(np.float64))):.4g})"


def explain(output, gradient=None, params=None, file=None, quiet: bool = False) -> Explanation:
    """Run ``output.backward(gradient)``'s walk step by step, printing each node's rule and gradients.

    dL/d(input_i) = dL/d(output) * d(output)/d(input_i), node by node from ``output`` to the leaves.
    ``params`` (dict or ``named_parameters()``) names the leaves; ``quiet=True`` only returns the steps.
    The walk is the engine's own (``run_backward`` with an observer), with the graph retained, nothing written
    into ``.grad`` and no hooks run, so a real ``backward()`` can follow.
    """
    if not isinstance(output, Tensor):
        raise TypeError(f"explain() expects a Tensor, got {type(output).__name__}")
    if output.grad_fn is None:
        hint = ("it is a leaf: there is no backward pass to explain" if output.requires_grad else
                "set requires_grad=True on the inputs before computing it")
        raise RuntimeError(f"explain(): the tensor does not have a grad_fn ({hint})")
    if gradient is None:
        if output.numel() != 1:
            raise RuntimeError("grad can be implicitly created only for scalar outputs (pass gradient= to "
                               "explain a non-scalar output)")
        gradient = _wrap(np.ones(output.shape, dtype=output._data.dtype))
    elif gradient.shape != output.shape:
        raise RuntimeError(f"Mismatch in shape: gradient has a shape of {gradient.shape} and output has a shape "
                           f"of {output.shape}.")
    names = {}
    if params is not None:
        for k, v in (params.items() if isinstance(params, Mapping) else params):
            names[id(v)] = str(k)
    watch = _Watcher(names)
    try:
        run_backward((output,), (gradient,), retain_graph=True, create_graph=False, accumulate=False,
                     observer=watch, hooks=False)
    except RuntimeError as err:
        freed = _freed_node(output.grad_fn)
        if freed is None:
            raise
        raise RuntimeError(f"explain(): {freed.name()} has already been through a backward pass that freed "
                           "its saved tensors; call explain() before .backward(), or backward with "
                           "retain_graph=True") from err
    text = _render(watch.steps, watch.leaves, names)
    if not quiet:
        print(text, file=file or sys.stdout)
    return Explanation(watch.steps, watch.leaves, text)


def _freed_node(root):
    """A node under ``root`` whose saved tensors an earlier backward freed (to name it in the error), or None."""
    stack, seen = [root], set()
    while stack:
        n = stack.pop()
        if n.saved is FREED:
            return n
        for e in n.next:
            c = e[0] if type(e) is tuple else e
            if c is not None and not isinstance(c, Tensor) and id(c) not in seen:
                seen.add(id(c))
                stack.append(c)
    return None


class _Watcher:
    """The observer handed to the engine: one ``Step`` per node it runs, and each leaf's finished gradient."""

    def __init__(self, names):
        self.names, self.steps, self.leaves = names, [], []
        self.taken = names.values()

    def __call__(self, node, grads, in_grads):
        g = grads[0] if node.n_outputs == 1 else list(grads)
        step = Step(len(self.steps) + 1, node, node.name(), local_rule(rule_of(node), self.taken), g)
        shapes = node.in_shapes
        for i, e in enumerate(node.next):
            if e is None:
                continue
            gi = in_grads[i]
            if gi is not None and shapes is not None and shapes[i] is not None and gi.shape != shapes[i]:
                gi = gi.sum_to_size(shapes[i])  # the engine undoes the broadcast on this edge the same way
            step.grads_out.append((self._target(e), gi))
        self.steps.append(step)

    def leaf(self, t, g):
        self.leaves.append((t, g))

    def _target(self, e) -> str:
        if isinstance(e, Tensor):
            return f"leaf {self.names[id(e)]}" if id(e) in self.names else "leaf"
        c, k = (e if type(e) is tuple else (e, 0))
        return c.name() + (f"[{k}]" if k else "")


def explain_forward(func, primals, tangents, names=None, file=None, quiet: bool = False) -> Explanation:
    """Run ``func(*primals)`` in forward mode with ``tangents`` and print, op by op, how each tangent is made.

    d(output) = d(output)/d(input_i) * d(input_i), op by op from the inputs to the outputs: the local derivative of
    each op (the same rule its backward uses), applied the other way round. One pass gives J v, the derivative of
    every output along the direction v of the inputs. ``names`` names the primals (default x0, x1, ...).
    """
    primals = tuple(primals) if isinstance(primals, (tuple, list)) else (primals,)
    tangents = tuple(tangents) if isinstance(tangents, (tuple, list)) else (tangents,)
    if len(primals) != len(tangents):
        raise RuntimeError(f"explain_forward(): {len(primals)} primals but {len(tangents)} tangents")
    names = list(names) if names is not None else [f"x{i}" for i in range(len(primals))]
    steps = []

    def watch(node, tangents_in, tangent_out):
        step = Step(len(steps) + 1, node, node.name(), local_rule(rule_of(node), names), list(tangents_in))
        outs = tangent_out if isinstance(tangent_out, tuple) else (tangent_out,)
        step.grads_out = [(f"output {k}" if len(outs) > 1 else "output", t) for k, t in enumerate(outs)]
        steps.append(step)
    state = modes.forward
    if state.level is not None:
        raise RuntimeError("explain_forward() opens its own dual level: call it outside forward_ad.dual_level()")
    with forward_ad.dual_level():
        state.observer = watch
        try:
            duals = [forward_ad.make_dual(p.detach(), t) for p, t in zip(primals, tangents)]
            out = func(*duals)
            outs = out if isinstance(out, (tuple, list)) else (out,)
            results = [(forward_ad.unpack_dual(o).primal.detach(), forward_ad.unpack_dual(o).tangent) for o in outs]
        finally:
            state.observer = None
    text = _render_forward(steps, results, names, tangents)
    if not quiet:
        print(text, file=file or sys.stdout)
    return Explanation(steps, results, text)


def _render_forward(steps, results, names, tangents) -> str:
    lines = ["Forward pass with tangents: " + ", ".join(f"d{n} = {_fmt(t)}" for n, t in zip(names, tangents)),
             f"{len(steps)} ops, in the order they ran (d output = local derivative x d input)"]
    for s in steps:
        lines.append(f"[{s.index}] {s.name}:  {s.rule}")
        for k, t in enumerate(s.grad_in):
            lines.append(f"      in   d input {k} = {_fmt(t)}")
        for who, t in s.grads_out:
            lines.append(f"      out  d {who} = {_fmt(t)}")
    lines.append("Tangents of the outputs (J v, the derivative of each output along the tangents):")
    for k, (value, tangent) in enumerate(results):
        lines.append(f"      output {k}  value {_fmt(value)}  tangent {_fmt(tangent)}")
    return "\n".join(lines)


def _render(steps, leaves, names) -> str:
    lines = [(f"Backward pass: {len(steps)} nodes, visited in the order the engine runs them "
             "(dL/d input = dL/d output x local derivative)")]
    for s in steps:
        lines.append(f"[{s.index}] {s.name}:  {s.rule}")
        if isinstance(s.grad_in, (list, tuple)):
            for k, g in enumerate(s.grad_in):
                lines.append(f"      in   dL/d out[{k}] = {_fmt(g)}")
        else:
            lines.append(f"      in   dL/d out = {_fmt(s.grad_in)}")
        for who, g in s.grads_out:
            lines.append(f"      out  -> {who:<18} {_fmt(g)}")
    if leaves:
        lines.append("Gradients that backward() would accumulate into the leaves' .grad:")
        for t, g in leaves:
            name = names.get(id(t), "leaf")
            lines.append(f"      {name:<12} {_fmt(g)}")
    return "\n".join(lines)


class _CallableModule(type(sys)):
    """Importing this module makes it ``ember.autograd.explain``; let that name stay callable either way."""

    def __call__(self, *args, **kwargs) -> Explanation:
        return explain(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
