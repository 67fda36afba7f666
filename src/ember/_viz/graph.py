"""The picture's model: which boxes and arrows a tensor's backward graph becomes, and the shapes on them.

Nodes do not store their output shape, so shapes are inferred: from the root and the leaves, from the
tensors a node saved, from ``in_shapes`` (a broadcast op's input shapes, i.e. its children's output shapes),
from the input shape that reductions and views keep, and from rules for shape-preserving, transposing and
matrix-product ops, propagated both ways until nothing changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .._core.node import FREED
from .._core.tensor import Tensor
from ..ops.unary import _Unary


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


# ops whose output has the shape of (each of) their inputs, unless they broadcast (then in_shapes is set)
_SAME_SHAPE = {
    "AddBackward0", "AddBackward1", "SubBackward0", "SubBackward1", "RsubBackward0", "RsubBackward1",
    "MulBackward0", "MulBackward1", "DivBackward0", "DivBackward1", "DivBackward2", "PowBackward0",
    "PowBackward1", "PowBackward2", "MaximumBackward0", "MinimumBackward0", "Atan2Backward0",
    "RemainderBackward0", "RemainderBackward1", "FmodBackward0", "CloneBackward0", "ToCopyBackward0",
    "ClampBackward0", "ClampBackward1", "ClampMinBackward0", "ClampMaxBackward0", "WhereBackward0",
    "LerpBackward0", "LerpBackward1", "SoftmaxBackward0", "LogSoftmaxBackward0", "CumsumBackward0",
    "CumprodBackward0", "FlipBackward0", "RollBackward0", "TrilBackward0", "TriuBackward0",
    "RoundBackward0", "RoundBackward1", "NanToNumBackward0", "ConjBackward0", "AliasBackward0",
    "DetachBackward0", "HardtanhBackward0", "LeakyReluBackward0", "EluBackward0", "GeluBackward0",
    "SiluBackward0", "SoftplusBackward0", "HardsigmoidBackward0", "HardswishBackward0", "MishBackward0",
    "ThresholdBackward0", "NativeDropoutBackward0", "AddcmulBackward0", "AddcdivBackward0", "CopySlices",
}

SMALL = 12  # tensors with at most this many elements have their values drawn


def _unary_classes():
    return _Unary


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
    """Map ('n', id(node), k) -> the shape of that node output, as far as it can be worked out."""
    shape: dict = {}
    for t in roots:
        if t.grad_fn is not None:
            shape[("n", id(t.grad_fn), t._output_nr)] = tuple(t.shape)
    unary = _unary_classes()
    for n in nodes:
        alias = getattr(n, "out_alias", None)
        for s in saved_tensors(n) or ():
            if s is alias:
                shape[("n", id(n), 0)] = tuple(s.shape)
            elif s.grad_fn is not None:
                shape[("n", id(s.grad_fn), s._output_nr)] = tuple(s.shape)

    def get(e):
        if isinstance(e, Tensor):
            return tuple(e.shape)
        return shape.get(_key(e))

    def put(k, v) -> bool:
        if v is None or k[0] == "t" or k in shape:
            return False
        shape[k] = tuple(v)
        return True

    for _ in range(len(nodes) + 2):
        changed = False
        for n in nodes:
            name = type(n).__name__
            me = ("n", id(n), 0)
            out = shape.get(me)
            edges = node_edges(n)
            ins = n.in_shapes
            if ins is not None:
                for i, e in edges:
                    if i < len(ins) and ins[i] is not None:
                        changed |= put(_key(e), ins[i])
                if out is None:
                    try:
                        changed |= put(me, np.broadcast_shapes(*[s for s in ins if s is not None]))
                    except ValueError:
                        pass
                continue
            kept = getattr(n, "shape", None)  # reductions and views keep their input's shape
            if isinstance(kept, tuple) and len(edges) == 1:
                changed |= put(_key(edges[0][1]), kept)
            if name in _SAME_SHAPE or (unary is not None and isinstance(n, unary)):
                if out is not None:
                    for _, e in edges:
                        changed |= put(_key(e), out)
                else:
                    for _, e in edges:
                        if get(e) is not None:
                            changed |= put(me, get(e))
                            break
                continue
            changed |= _special(n, name, edges, get, put, me, out)
        if not changed:
            break
    return shape


def _special(n, name, edges, get, put, me, out) -> bool:
    """Shape rules of the ops that change shapes in a known way."""
    ins = [get(e) for _, e in edges]
    changed = False
    if name in ("TBackward0", "TransposeBackward0", "PermuteBackward0") and edges:
        k = _key(edges[0][1])
        if name == "TBackward0":
            perm = None
        elif name == "TransposeBackward0":
            perm = [n.d0, n.d1]
        else:
            perm = list(n.dims)

        def apply(s, inverse=False):
            if perm is None:
                return tuple(reversed(s))
            if len(perm) == 2 and name == "TransposeBackward0":
                s = list(s)
                s[perm[0]], s[perm[1]] = s[perm[1]], s[perm[0]]
                return tuple(s)
            p = np.argsort(perm) if inverse else perm
            return tuple(s[i] for i in p)
        if ins[0] is not None:
            changed |= put(me, apply(ins[0]))
        elif out is not None:
            changed |= put(k, apply(out, inverse=True))
    elif name in ("MmBackward0", "AddmmBackward0", "BmmBackward0") and out is None:
        a, b = (ins[-2], ins[-1]) if len(ins) >= 2 else (None, None)
        if a is not None and b is not None:
            changed |= put(me, tuple(a[:-1]) + (b[-1],))
    elif name in ("SumBackward0", "MeanBackward0", "DotBackward0", "MaxBackward1", "MinBackward1",
                  "ProdBackward0") and out is None and edges:
        changed |= put(me, ())
    elif name in ("SumBackward1", "MeanBackward1", "ProdBackward1", "AmaxBackward0", "AminBackward0",
                  "StdBackward0", "VarBackward0", "LogsumexpBackward0") and out is None and ins and ins[0]:
        dims = getattr(n, "dims", None)
        if dims is None and getattr(n, "dim", None) is not None:
            dims = (n.dim,)
        if dims is not None:
            s = list(ins[0])
            keep = getattr(n, "keepdim", False)
            for d in sorted(dims, reverse=True):
                if keep:
                    s[d] = 1
                else:
                    del s[d]
            changed |= put(me, s)
    elif name == "UnsqueezeBackward0" and out is None and ins and ins[0] is not None:
        s = list(ins[0])
        s.insert(n.dim, 1)
        changed |= put(me, s)
    elif name == "MvBackward0" and out is None and ins and ins[0] is not None:
        changed |= put(me, ins[0][:-1])
    return changed


# -- text for the boxes -------------------------------------------------------------------------------------

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
