"""Pictures of the computational graph behind a tensor.

``draw_graph(loss, params=dict(model.named_parameters()))`` draws one box per ``grad_fn`` node (grey), the
leaf tensors (blue, named from ``params``) and the output (green), with shapes on every box, as torchviz
does, and more: the values and gradients of small tensors (``show_values``, ``show_grads``), the tensors each
node saved for backward (``show_saved``, orange, dashed), and red arrows where a broadcast input's gradient is
summed back to its shape (``Σ→(2, 1)``).

The result renders itself in Jupyter and saves ``.svg``, ``.png`` and ``.dot``. The Graphviz program ``dot``
is used when it is on PATH; otherwise ember lays the graph out itself (layered, pure Python) and draws PNGs
with matplotlib.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterable, Mapping

from ._array import np
from ._core.node import FREED
from ._core.tensor import Tensor, _wrap
from ._viz import layout as _layout
from ._viz import render as _render
from ._viz.graph import VEdge, VNode, fmt_shape, fmt_values, infer_shapes, node_edges, saved_tensors, walk
from .autograd.engine import run_backward

__all__ = ["Graph", "draw_graph"]


class Graph:
    """A drawn graph: ``.source`` (DOT text), ``.svg()``, ``.save(path)``; shows itself in Jupyter."""

    def __init__(self, nodes: list, edges: list, engine: str = "auto", title: str = "", legend: list = ()):
        if engine not in ("auto", "dot", "ember"):
            raise ValueError(f"engine must be 'auto', 'dot' or 'ember', got {engine!r}")
        if engine == "dot" and shutil.which("dot") is None:
            raise RuntimeError("engine='dot' needs the Graphviz program 'dot' on PATH")
        self.nodes = nodes
        self.edges = edges
        self.title = title
        self.legend = list(legend)  # (kind, text): kind is a box kind ("op", ...), an edge style or a line style
        self.engine = "dot" if engine == "dot" or (engine == "auto" and shutil.which("dot")) else "ember"
        self._size = None

    # -- outputs ------------------------------------------------------------------------------------------
    @property
    def source(self) -> str:
        """The graph in Graphviz's DOT language."""
        return _render.to_dot(self.nodes, self.edges, self.title, self.legend)

    def _laid_out(self):
        if self._size is None:
            for n in self.nodes:
                _render.measure(n)
            self._size = _render.frame(_layout.layout(self.nodes, self.edges), self.nodes, self.edges, self.title,
                                       self.legend)
        return self._size

    def svg(self) -> str:
        """The picture as SVG text."""
        if self.engine == "dot":
            return self._run_dot("svg").decode("utf-8")
        w, h = self._laid_out()
        return _render.to_svg(self.nodes, self.edges, w, h, self.title, self.legend)

    def _repr_svg_(self) -> str:
        return self.svg()

    def save(self, path: str | os.PathLike, format: str | None = None) -> str:
        """Write the picture to ``path``; the format (svg, png, dot) comes from the extension unless given."""
        path = os.fspath(path)
        fmt = (format or os.path.splitext(path)[1].lstrip(".")).lower()
        if fmt in ("dot", "gv"):
            data = self.source.encode("utf-8")
        elif fmt == "svg":
            data = self.svg().encode("utf-8")
        elif fmt == "png":
            if self.engine == "dot":
                data = self._run_dot("png")
            else:
                w, h = self._laid_out()
                _render.to_png(self.nodes, self.edges, w, h, path, self.title, self.legend)
                return path
        else:
            raise ValueError(f"unknown graph format {fmt!r} (from {path!r}): use .svg, .png or .dot")
        with open(path, "wb") as f:
            f.write(data)
        return path

    def _run_dot(self, fmt: str) -> bytes:
        r = subprocess.run(["dot", f"-T{fmt}"], input=self.source.encode("utf-8"), capture_output=True,
                           check=False)
        if r.returncode != 0:
            raise RuntimeError(f"Graphviz 'dot' failed: {r.stderr.decode(errors='replace').strip()}")
        return r.stdout

    def __repr__(self) -> str:
        n_ops = sum(n.kind == "op" for n in self.nodes)
        return f"<ember.viz.Graph: {n_ops} ops, {len(self.nodes)} boxes, {len(self.edges)} arrows>"


def _node_key(e) -> tuple:
    c, k = (e if type(e) is tuple else (e, 0))
    return ("n", id(c), k)


class _GradientFlow:
    """What the backward pass would send through the graph, from a walk of the engine itself (``run_backward``
    with an observer, as ``autograd.explain``: graph retained, no hook run, nothing written to ``.grad``): the
    gradient arriving at each node (``grad_in``, dL/d its output) and the edges where the engine sums a broadcast
    gradient back to its input's shape (``sums``: (node, input) -> that shape)."""

    def __init__(self, scalar: bool):
        self.scalar, self.grad_in, self.sums = scalar, {}, {}

    def __call__(self, node, grads, in_grads):
        self.grad_in[id(node)] = grads[0] if len(grads) == 1 else None
        shapes = node.in_shapes
        for i, gi in enumerate(in_grads):
            if gi is not None and shapes is not None and i < len(shapes) and shapes[i] is not None \
                    and gi._data.shape != tuple(shapes[i]):
                self.sums[(id(node), i)] = tuple(shapes[i])

    @classmethod
    def of(cls, roots, nodes):
        """The flow from ``roots`` (seeded with ones: dL/dL for a scalar), or None when a backward pass freed the
        graph's saved tensors (the drawing then falls back on what the forward recorded)."""
        if any(n.saved is FREED for n in nodes):
            return None
        outs = [t for t in roots if t.grad_fn is not None]
        if not outs:
            return None
        flow = cls(scalar=len(outs) == 1 and outs[0].numel() == 1)
        seeds = tuple(_wrap(np.ones(t.shape, dtype=t._data.dtype)) for t in outs)
        try:
            run_backward(tuple(outs), seeds, retain_graph=True, create_graph=False, accumulate=False,
                         observer=flow, hooks=False)
        except RuntimeError:  # e.g. a saved tensor changed in place: draw what the forward recorded
            return None
        return flow


def _names(params) -> dict:
    """id(tensor) -> name, from a dict, ``named_parameters()`` pairs, or None."""
    if params is None:
        return {}
    items = params.items() if isinstance(params, Mapping) else params
    out = {}
    for item in items:
        if not (isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], Tensor)):
            raise TypeError("params must be a dict name -> Tensor or (name, Tensor) pairs such as "
                            "model.named_parameters()")
        out[id(item[1])] = str(item[0])
    return out


_INFIX = {"Add": "+", "Sub": "-", "Rsub": "-", "Mul": "*", "Div": "/", "Mm": "@", "Matmul": "@", "Pow": "**"}
TITLE_CHARS = 80  # a longer expression is cut to its outer operations


def _short(node) -> str:
    """``AddmmBackward0`` -> ``Addmm``: the op a node is the backward of."""
    name = node.name()
    i = name.find("Backward")
    return name[:i] if i > 0 else name


def _expression(roots, names: dict, depth: int) -> str:
    """The outputs as a formula read off the graph, nested ``depth`` levels deep (``...`` below that)."""

    def const(node, i) -> str:
        c = _constant(node, i)
        if isinstance(c, Tensor) and c.numel() == 1:
            c = c.item()
        return repr(c) if isinstance(c, (int, float, complex)) else "c"

    def term(e, d) -> str:
        if isinstance(e, Tensor):
            return names.get(id(e)) or ("x" if e.dim() == 0 else "x" + fmt_shape(tuple(e.shape)))
        node = e[0] if type(e) is tuple else e
        if d == 0:
            return "..."
        args = [term(c, d - 1) if c is not None else const(node, i) for i, c in enumerate(node.next)]
        saved = node.saved
        if isinstance(saved, tuple) and len(saved) > len(node.next):  # scalar arguments: the 2 of x ** 2
            args += [repr(v) for v in saved[len(node.next):] if isinstance(v, (int, float)) and not isinstance(v, bool)]
        op = _short(node)
        if op in _INFIX and len(args) == 2:
            return f"({args[0]} {_INFIX[op]} {args[1]})"
        return f"{op.lower()}({', '.join(args)})"

    parts = []
    for t in roots:
        name = names.get(id(t), "output")
        body = term(t if t.grad_fn is None else (t.grad_fn, t._output_nr), depth)
        if body.startswith("(") and body.endswith(")"):
            body = body[1:-1]
        parts.append(f"{name} = {body}")
    return ";  ".join(parts)


def _title(roots, names: dict) -> str:
    for depth in range(12, 0, -1):
        text = _expression(roots, names, depth)
        if len(text) <= TITLE_CHARS:
            return text
    return text[:TITLE_CHARS - 3] + "..."


_LEGEND = [
    ("leaf", "leaf tensor: backward() writes its .grad"),
    ("op", "op (grad_fn): its backward applies one chain-rule step"),
    ("output", "the output backward() starts from"),
    ("const", "constant or data (requires_grad=False): no gradient flows to it"),
    ("saved", "a tensor an op saved for its backward"),
    ("bcast", "Σ→shape: the gradient summed back over broadcast dimensions"),
    ("value", "[1., 2.]: the values of small tensors the graph kept (not every op keeps its output)"),
    ("grad", "grad: dL/d(that tensor)"),
]


def _legend(vnodes, edges) -> list:
    """The legend's rows: only what this picture shows."""
    used = {n.kind for n in vnodes} | {e.style for e in edges}
    used |= {style for n in vnodes for _, style in n.lines}
    return [(k, text) for k, text in _LEGEND if k in used]


def _constant(node, i):
    """The constant at input ``i`` of ``node`` when the node saved it (a binary op saves (a, b)): a number or a
    tensor that needs no gradient; None when the node kept nothing there."""
    saved = node.saved
    if saved is FREED or not isinstance(saved, tuple) or len(saved) != len(node.next):
        return None
    c = saved[i]
    if isinstance(c, Tensor):
        return None if c.requires_grad else c
    if isinstance(c, (bool, int, float, complex)):
        return c
    return None


def draw_graph(output: Tensor | Iterable[Tensor], params=None, show_values: bool = False,
               show_grads: bool = False, show_saved: bool = False, engine: str = "auto",
               title: str | None = None, legend: bool = True) -> Graph:
    """The backward graph that produced ``output``: one box per grad_fn, leaves named from ``params``.

    ``params``: dict name -> tensor, or ``model.named_parameters()``; non-leaf tensors may be named too.
    ``show_values`` / ``show_grads``: print the values / ``.grad`` of tensors with at most 12 elements; with
    ``show_grads`` each op box of a scalar output's graph also shows the gradient that flows into it (dL/d its
    output), from a walk of the engine that writes nothing (the graph must not have been freed by a backward:
    use ``backward(retain_graph=True)`` to draw after it). The red ``Σ`` arrows are the edges where that walk
    sums a broadcast gradient back to its input's shape.
    ``show_saved``: draw what each node saved for backward (until a backward pass frees it).
    ``engine``: 'auto' (Graphviz's dot when installed, else ember's own layout), 'dot' or 'ember'.
    ``title``: the heading; by default the output as a formula read off the graph (``loss = mseloss(...)``).
    ``legend``: a key to the colours and marks the picture uses. Constants a node saved (the 3 of ``3 * x``)
    are drawn as white boxes.

    Example::

        >>> x = ember.tensor([1.0, 2.0], requires_grad=True)
        >>> g = draw_graph((3 * x).sum(), params={"x": x})
        >>> g.title
        'output = sum((x * 3))'
        >>> [k for k, _ in g.legend]
        ['leaf', 'op', 'output', 'const', 'value']

    ``g.save("graph.svg")`` (or .png, .dot) writes the picture; in Jupyter it shows itself.
    """
    heading = title
    roots = [output] if isinstance(output, Tensor) else list(output)
    for t in roots:
        if not isinstance(t, Tensor):
            raise TypeError(f"draw_graph expects a Tensor or tensors, got {type(t).__name__}")
    names = _names(params)
    nodes_g = walk(roots)
    shapes = infer_shapes(roots, nodes_g)
    flow = _GradientFlow.of(roots, nodes_g)
    named_nonleaf = {}  # (id(grad_fn), output_nr) -> tensor, for named intermediate tensors
    if params is not None:
        items = params.items() if isinstance(params, Mapping) else params
        for _, t in list(items) if not isinstance(params, Mapping) else params.items():
            if t.grad_fn is not None:
                named_nonleaf[(id(t.grad_fn), t._output_nr)] = t

    # an op's output value is known when some node saved it (its own output alias, or a consumer's input)
    known_values = {}
    for n in nodes_g:
        alias = getattr(n, "out_alias", None)
        for s in saved_tensors(n) or ():
            if s is alias:
                known_values[(id(n), 0)] = s
            elif s.grad_fn is not None:
                known_values[(id(s.grad_fn), s._output_nr)] = s
    for t in roots:
        if t.grad_fn is not None:
            known_values[(id(t.grad_fn), t._output_nr)] = t

    vnodes: list = []
    edges: list = []
    leaf_box: dict = {}

    def tensor_lines(t, with_shape=True):
        lines = [(fmt_shape(tuple(t.shape)), "shape")] if with_shape else []
        if show_values:
            vals = fmt_values(t.detach())
            if vals is not None:
                lines += [(v, "value") for v in vals]
        if show_grads:
            g = t._grad
            if g is None:
                if t.grad_fn is None and t.requires_grad:
                    lines.append(("grad: None", "grad"))
            else:
                vals = fmt_values(g)
                if vals is None:
                    lines.append((f"grad {fmt_shape(tuple(g.shape))}", "grad"))
                else:
                    lines.append(("grad:", "grad"))
                    lines += [(v, "grad") for v in vals]
        return lines

    def leaf(t) -> str:
        bid = f"t{id(t)}"
        if bid not in leaf_box:
            name = names.get(id(t))
            title = name if name is not None else fmt_shape(tuple(t.shape))
            leaf_box[bid] = VNode(bid, "leaf", title, tensor_lines(t, with_shape=name is not None))
            vnodes.append(leaf_box[bid])
        return bid

    saved_box: dict = {}
    for n in nodes_g:
        nid = f"n{id(n)}"
        lines = []
        named = named_nonleaf.get((id(n), 0))
        if named is not None:
            lines.append((names[id(named)], "note"))
        n_out = getattr(n, "n_outputs", 1)
        outs = [shapes.get(("n", id(n), k)) for k in range(n_out)]
        if n_out == 1:
            lines.append((fmt_shape(outs[0]), "shape"))
        else:
            lines.append((" ".join(fmt_shape(s) for s in outs), "shape"))
        if named is not None:
            lines += [x for x in tensor_lines(named, with_shape=False)]
        elif show_values and (id(n), 0) in known_values:
            vals = fmt_values(known_values[(id(n), 0)])
            if vals is not None:
                lines += [(v, "value") for v in vals]
        if show_grads and flow is not None and flow.scalar and id(n) in flow.grad_in:
            g = flow.grad_in[id(n)]
            vals = fmt_values(g) if g is not None else ["0 (no gradient reaches it)"]
            if vals is None:
                lines.append((f"grad {fmt_shape(tuple(g.shape))}", "grad"))
            else:
                lines.append(("grad:", "grad"))
                lines += [(v, "grad") for v in vals]
        vnodes.append(VNode(nid, "op", n.name(), lines))
        out_shape = outs[0]
        for i, e in node_edges(n):
            if isinstance(e, Tensor):
                src = leaf(e)
                k = 0
            else:
                c, k = (e if type(e) is tuple else (e, 0))
                src = f"n{id(c)}"
            label, style = (f"[{k}]" if k else ""), "solid"
            ins = n.in_shapes
            if flow is not None:
                summed = flow.sums.get((id(n), i))
                if summed is not None:
                    label, style = f"Σ→{fmt_shape(summed)}", "bcast"
            elif ins is not None and i < len(ins) and ins[i] is not None and out_shape is not None \
                    and tuple(ins[i]) != tuple(out_shape):
                label, style = f"Σ→{fmt_shape(ins[i])}", "bcast"  # a freed graph: the forward's record
            edges.append(VEdge(src, nid, label, style))
        for i, e in enumerate(n.next):
            c = _constant(n, i) if e is None else None
            if c is None:
                continue
            cid = f"c{id(n)}_{i}"
            if isinstance(c, Tensor):
                vals = fmt_values(c)
                lines = [(fmt_shape(tuple(c.shape)), "shape")] + [(v, "value") for v in (vals or ())]
            else:
                lines = [(repr(c), "value")]
            vnodes.append(VNode(cid, "const", "constant", lines))
            edges.append(VEdge(cid, nid, "", "solid"))
        if show_saved:
            saved = saved_tensors(n)
            if saved is None:
                lines.append(("saved tensors freed by backward", "note"))
                continue
            alias = getattr(n, "out_alias", None)
            inputs = {}  # tensors already drawn as this node's inputs: say "saves x", draw no duplicate
            for i, e in node_edges(n):
                inputs[("t", id(e)) if isinstance(e, Tensor) else _node_key(e)] = i
            for s in saved:
                if s is alias:
                    lines.append(("saves its output", "note"))
                    continue
                key = ("t", id(s)) if s.grad_fn is None else ("n", id(s.grad_fn), s._output_nr)
                if key in inputs:
                    who = names.get(id(s)) or f"input {inputs[key]}"
                    lines.append((f"saves {who}", "note"))
                    continue
                sid = f"s{id(s)}"
                if sid not in saved_box:
                    who = names.get(id(s))
                    if who is None and s.grad_fn is not None:
                        who = f"output of {s.grad_fn.name()}"
                    saved_box[sid] = VNode(sid, "saved", "saved " + (who or "tensor"),
                                           tensor_lines(s.detach()))
                    vnodes.append(saved_box[sid])
                edges.append(VEdge(sid, nid, "", "dashed"))

    for t in roots:
        oid = f"o{id(t)}"
        title = names.get(id(t), "output")
        vnodes.append(VNode(oid, "output", title, tensor_lines(t)))
        if t.grad_fn is not None:
            k = t._output_nr
            edges.append(VEdge(f"n{id(t.grad_fn)}", oid, f"[{k}]" if k else ""))
        else:
            edges.append(VEdge(leaf(t), oid))
    heading = _title(roots, names) if heading is None else str(heading)
    return Graph(vnodes, edges, engine, heading, _legend(vnodes, edges) if legend else ())
