"""The backward pass: an iterative walk of the graph in reverse topological order.

1. Discover the nodes reachable from the roots and count, for each, how many edges point at it.
2. Run nodes whose count has dropped to zero, newest first (PyTorch's order: by creation sequence number).
   Each node's incoming gradients are summed in a buffer; its ``backward`` maps them to one gradient per
   input edge; broadcast inputs get their gradient summed back to shape here, and only here.
3. Gradients for leaf tensors are summed per leaf and accumulated into ``.grad`` at the end (after the
   leaf's hooks run), so no gradient array the walk still needs is ever modified in place.

Saved tensors are released as soon as their node has run, unless ``retain_graph``. Without
``create_graph`` the whole walk runs with recording off, so backward formulas build no graph.
"""

from __future__ import annotations

import heapq

import numpy as np

from . import anomaly, grad_mode
from .graph import Node


def _node_of(edge):
    """(node, output index) of a non-leaf edge."""
    if type(edge) is tuple:
        return edge
    return edge, 0


def _root_edge(t):
    if t.grad_fn is not None:
        return (t.grad_fn, t._output_nr) if t._output_nr else t.grad_fn
    return t  # a leaf


def run_backward(tensors, grad_tensors, retain_graph: bool, create_graph: bool, inputs=None,
                 accumulate: bool = True, allow_unused: bool = True):
    """Backpropagate ``grad_tensors`` from ``tensors``.

    With ``accumulate`` the gradients of leaves (or of ``inputs``) go into their ``.grad``; otherwise the
    gradients of ``inputs`` are returned (``autograd.grad``).
    """
    from ..tensor import Tensor

    # -- capture targets: which leaves / (node, k) slots the caller wants --------------------------------------
    capture_leaf: dict[int, int] = {}
    capture_node: dict[tuple[int, int], int] = {}
    if inputs is not None:
        for i, t in enumerate(inputs):
            if t.grad_fn is None:
                if not t.requires_grad and not accumulate:
                    raise RuntimeError("One of the differentiated Tensors does not require grad")
                capture_leaf[id(t)] = i
            else:
                capture_node[(id(t.grad_fn), t._output_nr)] = i
    captured = [None] * (len(inputs) if inputs is not None else 0)

    # -- 1. discover the graph and count dependencies ----------------------------------------------------------
    deps: dict[int, int] = {}
    nodes: dict[int, Node] = {}
    stack = []
    for t in tensors:
        if t.grad_fn is not None and id(t.grad_fn) not in nodes:
            nodes[id(t.grad_fn)] = t.grad_fn
            deps[id(t.grad_fn)] = 0
            stack.append(t.grad_fn)
    while stack:
        node = stack.pop()
        for e in node.next:
            if e is None or isinstance(e, Tensor):
                continue
            n = e[0] if type(e) is tuple else e
            k = id(n)
            if k in deps:
                deps[k] += 1
            else:
                deps[k] = 1
                nodes[k] = n
                stack.append(n)

    # with explicit inputs, run only the nodes that lead to one of them
    needed = None
    if inputs is not None:
        needed = _nodes_leading_to(nodes, capture_leaf, capture_node, Tensor)

    # -- 2. seed the buffers with the root gradients --------------------------------------------------------
    buffers: dict[int, list] = {}
    leaf_grads: dict[int, list] = {}  # id(tensor) -> [tensor, grad]
    ready: list = []

    def add_leaf(t, g):
        slot = leaf_grads.get(id(t))
        if slot is None:
            leaf_grads[id(t)] = [t, g]
        else:
            slot[1] = slot[1] + g

    for t, g in zip(tensors, grad_tensors):
        e = _root_edge(t)
        if isinstance(e, Tensor):
            add_leaf(e, g)
            continue
        n, k = _node_of(e)
        buf = buffers.get(id(n))
        if buf is None:
            buf = buffers[id(n)] = [None] * n.n_outputs
        buf[k] = g if buf[k] is None else buf[k] + g
    for t in tensors:
        if t.grad_fn is not None:
            n = t.grad_fn
            if deps[id(n)] == 0 and id(n) not in [x[2] for x in ready]:
                heapq.heappush(ready, (-n.seq, id(n), id(n)))

    prev_mode = grad_mode.state.enabled
    grad_mode.state.enabled = create_graph
    check = anomaly.state.enabled and anomaly.state.check_nan
    try:
        while ready:
            _, _, nid = heapq.heappop(ready)
            node = nodes[nid]
            grads = buffers.pop(nid, None) or [None] * node.n_outputs
            if node._pre_hooks or node._retain:
                grads = _run_pre_hooks(node, grads)
            if capture_node:
                for k in range(node.n_outputs):
                    slot = capture_node.get((nid, k))
                    if slot is not None:
                        captured[slot] = grads[k]
            if needed is not None and nid not in needed:
                _release_walk(node, nodes, deps, ready, retain_graph, Tensor)
                continue
            if node.n_outputs == 1:
                g = grads[0]
                if g is None:  # no gradient reached this node: its inputs get none either
                    in_grads = (None,) * len(node.next)
                else:
                    in_grads = node.backward(g)
            else:
                in_grads = node.backward(grads)
            if check:
                anomaly.check_gradients(node, in_grads)
            if node._hooks:
                for hook in node._hooks:
                    r = hook(in_grads, grads)
                    if r is not None:
                        in_grads = tuple(r)
            shapes = node.in_shapes
            if not retain_graph:
                node.release()
            for i, e in enumerate(node.next):
                if e is None:
                    continue
                g = in_grads[i]
                if g is not None and shapes is not None and g.shape != shapes[i]:
                    g = g.sum_to_size(shapes[i])
                if isinstance(e, Tensor):
                    if g is not None:
                        add_leaf(e, g)
                    continue
                n, k = (e if type(e) is tuple else (e, 0))
                key = id(n)
                if g is not None:
                    buf = buffers.get(key)
                    if buf is None:
                        buf = buffers[key] = [None] * n.n_outputs
                    buf[k] = g if buf[k] is None else buf[k] + g
                left = deps[key] - 1
                deps[key] = left
                if left == 0:
                    heapq.heappush(ready, (-n.seq, key, key))

        # -- 3. leaves: hooks, then accumulation (or capture for autograd.grad) ----------------------------------
        results = captured
        handed_out: set[int] = set()
        for t, g in leaf_grads.values():
            if t._hooks:
                for hook in list(t._hooks.values()):
                    r = hook(g)
                    if r is not None:
                        g = r
            slot = capture_leaf.get(id(t))
            if slot is not None:
                results[slot] = g
            if accumulate and (inputs is None or slot is not None):
                _accumulate(t, g, create_graph, handed_out)
    finally:
        grad_mode.state.enabled = prev_mode

    if not accumulate:
        for i, g in enumerate(results):
            if g is None and not allow_unused:
                raise RuntimeError("One of the differentiated Tensors appears to not have been used in the graph. "
                                   "Set allow_unused=True if this is the desired behavior.")
        return tuple(results)
    return None


def _run_pre_hooks(node, grads):
    grads = list(grads)
    if node._pre_hooks:
        for hook in node._pre_hooks:
            r = hook(tuple(grads))
            if r is not None:
                grads = list(r)
    if node._retain:
        # tensor hooks (register_hook / retain_grad on a non-leaf) live here, keyed by output index
        for k, hooks in node._retain.items():
            g = grads[k]
            if g is None:
                continue
            for kind, fn in list(hooks.values()):
                if kind == "retain":
                    t = fn()
                    if t is not None:
                        det = g if grad_mode.state.enabled else g.detach()
                        if t._grad is None:
                            t._grad = det.clone() if not grad_mode.state.enabled else det
                        else:
                            t._grad = t._grad + det
                else:
                    r = fn(g)
                    if r is not None:
                        g = r
            grads[k] = g
    return grads


def _accumulate(t, g, create_graph: bool, handed_out: set):
    """``t.grad += g`` with PyTorch's rules: first time store it (never aliasing another leaf's grad)."""
    from ..tensor import Tensor

    if g.shape != t.shape:
        if g.numel() == t.numel():
            g = g.reshape(t.shape)
        else:
            raise RuntimeError(f"Function AccumulateGrad returned an invalid gradient - got {list(g.shape)} but "
                               f"expected shape compatible with {list(t.shape)}")
    if g.dtype is not t.dtype:
        g = g.to(t.dtype)
    if t._grad is None:
        if create_graph:
            t._grad = g
        else:
            arr = g._data
            if id(arr) in handed_out or not arr.flags.writeable or arr.base is not None:
                arr = arr.copy()
            handed_out.add(id(arr))
            t._grad = g if arr is g._data and type(g) is Tensor else Tensor._wrap(arr)
    elif create_graph or t._grad.requires_grad:
        t._grad = t._grad + g
    else:
        np.add(t._grad._data, g._data, out=t._grad._data, casting="unsafe")
        t._grad._bump()


def _nodes_leading_to(nodes, capture_leaf, capture_node, Tensor) -> set:
    """Ids of nodes from which a captured input is reachable (iterative post-order)."""
    good: set[int] = set()
    targets = {nid for nid, _ in capture_node}
    state: dict[int, int] = {}
    for root_id, root in nodes.items():
        if root_id in state:
            continue
        stack = [(root, iter(root.next))]
        state[root_id] = 1
        while stack:
            node, it = stack[-1]
            advanced = False
            for e in it:
                if e is None:
                    continue
                if isinstance(e, Tensor):
                    if id(e) in capture_leaf:
                        good.add(id(node))
                    continue
                n = e[0] if type(e) is tuple else e
                if id(n) not in state:
                    state[id(n)] = 1
                    stack.append((n, iter(n.next)))
                    advanced = True
                    break
                if id(n) in good:
                    good.add(id(node))
            if advanced:
                continue
            stack.pop()
            if id(node) in targets:
                good.add(id(node))
            for e in node.next:
                if e is None or isinstance(e, Tensor):
                    continue
                n = e[0] if type(e) is tuple else e
                if id(n) in good:
                    good.add(id(node))
                    break
    # a target node itself needn't run unless something below it is wanted too
    return {nid for nid in good if nid not in targets or _has_good_child(nodes[nid], good, capture_leaf,
                                                                          Tensor)}


def _has_good_child(node, good, capture_leaf, Tensor) -> bool:
    for e in node.next:
        if e is None:
            continue
        if isinstance(e, Tensor):
            if id(e) in capture_leaf:
                return True
            continue
        n = e[0] if type(e) is tuple else e
        if id(n) in good:
            return True
    return False


def _release_walk(node, nodes, deps, ready, retain_graph, Tensor):
    """A node that leads to no wanted input: skip it, but still let its children's counts drop."""
    if not retain_graph:
        node.release()
    for e in node.next:
        if e is None or isinstance(e, Tensor):
            continue
        n = e[0] if type(e) is tuple else e
        key = id(n)
        deps[key] -= 1
        if deps[key] == 0:
            heapq.heappush(ready, (-n.seq, key, key))
