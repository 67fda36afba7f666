"""The picture's model: which boxes and arrows a tensor's backward graph becomes, and the shapes on them.

Every node records the shapes of its outputs when the forward attaches it (``Node.output_shape``), so each
box shows its output's shape before and after backward, with no rules of its own about what an op does.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .._core.node import FREED
from .._core.tensor import Tensor

__all__ = ["SMALL", "VEdge", "VNode", "fmt_shape", "fmt_values", "infer_shapes", "node_edges", "saved_tensors", "walk"]



@dataclass
class VNode:
    id: str
    kind: str                      # "op", "leaf", "output", "saved"
    title: str
    lines: list = field(default_factory=list)   # (text, style) pairs under the title
    x: float = 0.0
    y: float = 0.0
    w: float = 0.0
    h: float = 0.0


@dataclass
class VEdge:
    src: str
    dst: str
    label: str = ""
    style: str = "solid"           # "solid", "dashed" (saved tensor), "bcast" (gradient summed back)
    points: list = field(default_factory=list)


SMALL = 12  # tensors with at most this many elements have their values drawn


def node_edges(node):
    """(index, child) pairs of a node's inputs; a child is a Node, a (Node, k) tuple or a leaf Tensor."""
    return [(i, e) for i, e in enumerate(node.next) if e is not None]


def _key(e):
    """Hashable identity of an edge's target: ('t', id) for a leaf, ('n', id, k) for a node output."""
    if isinstance(e, Tensor):
        return ("t", id(e))
    if type(e) is tuple:
        return ("n", id(e[0]), e[1])
    return ("n", id(e), 0)


def walk(roots) -> list:
    """Every Node reachable from the roots' grad_fns, parents before children (iterative, no recursion)."""
    seen, order, stack = set(), [], []
    for t in roots:
        if t.grad_fn is not None and id(t.grad_fn) not in seen:
            seen.add(id(t.grad_fn))
            stack.append(t.grad_fn)
    while stack:
        n = stack.pop()
        order.append(n)
        for _, e in node_edges(n):
            if isinstance(e, Tensor):
                continue
            c = e[0] if type(e) is tuple else e
            if id(c) not in seen:
                seen.add(id(c))
                stack.append(c)
    return order


def saved_tensors(node) -> list | None:
    """The tensors ``node`` keeps for backward; None once a backward pass freed them."""
    s = node.saved
    if s is FREED:
        return None
    if s is None:
        return []
    return [t for t in s if isinstance(t, Tensor)]


def infer_shapes(roots, nodes) -> dict:
    """Map ('n', id(node), k) -> the shape of that node output, as each node recorded it in the forward."""
    shape: dict = {}
    for n in nodes:
        for k in range(n.n_outputs):
            s = n.output_shape(k)
            if s is not None:
                shape[("n", id(n), k)] = tuple(s)
    for t in roots:
        if t.grad_fn is not None:
            shape.setdefault(("n", id(t.grad_fn), t._output_nr), tuple(t.shape))
    return shape


def fmt_shape(s) -> str:
    if s is None:
        return "shape ?"
    return "(" + ", ".join(str(int(d)) for d in s) + ("," if len(s) == 1 else "") + ")"


def fmt_values(t, limit: int = SMALL) -> list | None:
    """A small tensor's values, one string per printed row; None when it is too big to show."""
    a = t._data if isinstance(t, Tensor) else np.asarray(t)
    if a.size > limit:
        return None
    if a.dtype.kind in "fc":
        txt = np.array2string(np.asarray(a, dtype=np.float64) if a.dtype.kind == "f" else a, precision=4,
                              separator=", ", suppress_small=True, max_line_width=48)
    else:
        txt = np.array2string(a, separator=", ", max_line_width=48)
    return [line.rstrip() for line in txt.splitlines()]
