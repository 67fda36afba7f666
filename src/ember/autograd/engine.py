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

from .. import kernels as K
from .._array import np
from .._core.tensor import Tensor, _wrap  # defined before tensor.py imports the autograd functions
from . import anomaly, grad_mode


def _child_nodes(node):
    """The graph nodes ``node``'s edges lead to (leaves and missing edges skipped)."""
    for e in node.next:
        if e is None:
            continue
        if type(e) is tuple:
            yield e[0]
        elif not isinstance(e, Tensor):
            yield e


def run_backward(tensors, grad_tensors, retain_graph: bool, create_graph: bool, inputs=None,
                 accumulate: bool = True, allow_unused: bool = True):
    """Backpropagate ``grad_tensors`` from ``tensors``.

    With ``accumulate`` the gradients of leaves (or of ``inputs``) go into their ``.grad``; otherwise the
    gradients of ``inputs`` are returned (``autograd.grad``).
    """
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

    # -- 1. discover the graph and count, for each node, the edges that point at it --------------------------
    deps: dict = {}
    stack = []
    for t in tensors:
        n = t.grad_fn
        if n is not None and n not in deps:
            deps[n] = 0
            stack.append(n)
    while stack:
        for e in stack.pop().next:
            if e is None:
                continue
            if type(e) is tuple:
                e = e[0]
            elif isinstance(e, Tensor):
                continue
            if e in deps:
                deps[e] += 1
            else:
                deps[e] = 1
                stack.append(e)

    # with explicit inputs, run only the nodes that lead to one of them
    needed = None
    if inputs is not None:
        needed = _nodes_leading_to(deps, capture_leaf, capture_node)

    # -- 2. seed the buffers with the root gradients --------------------------------------------------------
    # buffers[node] is the summed incoming gradient (a list of them for multi-output nodes)
    buffers: dict = {}
    leaf_grads: dict[int, list] = {}  # id(tensor) -> [tensor, grad]

    def add_leaf(t, g):
        slot = leaf_grads.get(id(t))
        if slot is None:
            leaf_grads[id(t)] = [t, g]
        else:
            slot[1] = slot[1] + g

    for t, g in zip(tensors, grad_tensors):
        n = t.grad_fn
        if n is None:
            add_leaf(t, g)
        elif n.n_outputs == 1:
            prev = buffers.get(n)
            buffers[n] = g if prev is None else prev + g
        else:
            buf = buffers.setdefault(n, [None] * n.n_outputs)
            k = t._output_nr
            buf[k] = g if buf[k] is None else buf[k] + g
    ready: list = []
    for n in {t.grad_fn for t in tensors if t.grad_fn is not None}:
        if deps[n] == 0:
            heapq.heappush(ready, (-n.seq, n))  # newest first; seq numbers are unique, so nodes never compare

    prev_mode = grad_mode.state.enabled
    grad_mode.state.enabled = create_graph
    check = anomaly.state.enabled and anomaly.state.check_nan
    pop, push = heapq.heappop, heapq.heappush
    try:
        while ready:
            node = pop(ready)[1]
            multi = node.n_outputs != 1
            g = buffers.pop(node, None)
            if multi:
                grads = g if g is not None else [None] * node.n_outputs
            if node._pre_hooks is not None or node._retain is not None:
                grads = _run_pre_hooks(node, grads if multi else [g])
                if not multi:
                    g = grads[0]
            if capture_node:
                for k in range(node.n_outputs):
                    slot = capture_node.get((id(node), k))
                    if slot is not None:
                        captured[slot] = grads[k] if multi else g
            if needed is not None and node not in needed:
                _release_walk(node, deps, ready, retain_graph)
                continue
            if multi:
                in_grads = node.backward(grads)
            elif g is None:  # no gradient reached this node: its inputs get none either
                in_grads = (None,) * len(node.next)
            else:
                in_grads = node.backward(g)
            if check:
                anomaly.check_gradients(node, in_grads)
            if node._hooks:
                for hook in node._hooks:
                    r = hook(in_grads, grads if multi else (g,))
                    if r is not None:
                        in_grads = tuple(r)
            shapes = node.in_shapes
            if not retain_graph:
                node.release()
            i = -1
            for e in node.next:
                i += 1
                if e is None:
                    continue
                gi = in_grads[i]
                if gi is not None and shapes is not None and gi._data.shape != shapes[i]:
                    gi = _sum_to(gi, shapes[i], create_graph)
                if type(e) is tuple:
                    e, k = e
                elif isinstance(e, Tensor):
                    if gi is not None:
                        add_leaf(e, gi)
                    continue
                else:
                    k = 0
                if gi is not None:
                    if e.n_outputs == 1:
                        prev = buffers.get(e)
                        buffers[e] = gi if prev is None else prev + gi
                    else:
                        buf = buffers.get(e)
                        if buf is None:
                            buf = buffers[e] = [None] * e.n_outputs
                        buf[k] = gi if buf[k] is None else buf[k] + gi
                left = deps[e] - 1
                deps[e] = left
                if left == 0:
                    push(ready, (-e.seq, e))

        # -- 3. leaves: hooks, then accumulation (or capture for autograd.grad) ----------------------------------
        results = captured
        # memory a leaf's .grad may own outright: not the caller's root gradients, not another leaf's grad
        handed_out: set[int] = {id(_owner(g._data)) for g in grad_tensors if g is not None}
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
                if t._post_hooks:
                    for hook in list(t._post_hooks.values()):
                        hook(t)
    finally:
        grad_mode.state.enabled = prev_mode

    if not accumulate:
        for i, g in enumerate(results):
            if g is None and not allow_unused:
                raise RuntimeError(f"The differentiated Tensor at index {i} appears to not have been used in the "
                                   "graph. Set allow_unused=True if this is the desired behavior.")
        return tuple(results)
    return None


def _sum_to(g, shape, create_graph: bool):
    """Sum a broadcast gradient back to its input's ``shape``: one NumPy reduction unless recording."""
    if create_graph:
        return g.sum_to_size(shape)
    return _wrap(K.sum_to(g._data, shape))


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


def _owner(arr):
    """The array that owns ``arr``'s memory."""
    base = arr.base
    return arr if base is None else base


def _accumulate(t, g, create_graph: bool, handed_out: set):
    """``t.grad += g`` with PyTorch's rules: first time store it (never aliasing another leaf's grad)."""
    gd, td = g._data, t._data  # checks on the arrays: no Size/dtype objects on this per-leaf path
    if gd.shape != td.shape:
        if gd.size == td.size:
            g = g.reshape(t.shape)
        else:
            raise RuntimeError(f"Function AccumulateGrad returned an invalid gradient - got {list(g.shape)} but "
                               f"expected shape compatible with {list(t.shape)}")
    if gd.dtype != td.dtype:
        g = g.to(t.dtype)
    if t._grad is None:
        if create_graph:
            t._grad = g
        else:
            arr = g._data
            # keep the array (even a view, e.g. a weight gradient in transposed layout) unless its memory is
            # read-only or already belongs to someone who may see in-place changes to this .grad
            owner = _owner(arr)
            if id(owner) in handed_out or not arr.flags.writeable:
                arr = owner = arr.copy()
            handed_out.add(id(owner))
            t._grad = g if arr is g._data and type(g) is Tensor else Tensor._wrap(arr)
    elif create_graph or t._grad.requires_grad:
        t._grad = t._grad + g
    else:
        np.add(t._grad._data, g._data, out=t._grad._data, casting="unsafe")
        t._grad._bump()


def _nodes_leading_to(deps, capture_leaf, capture_node) -> set:
    """Nodes from which a captured input is reachable (they must run); computed in reverse topological order."""
    targets = {nid for nid, _ in capture_node}
    order = _topological(deps)
    good: set = set()
    for node in reversed(order):  # children before parents
        for e in node.next:
            if e is None:
                continue
            if type(e) is tuple:
                e = e[0]
            elif isinstance(e, Tensor):
                if id(e) in capture_leaf:
                    good.add(node)
                    break
                continue
            if e in good or id(e) in targets:  # e must receive its gradient
                good.add(node)
                break
    return good


def _topological(deps) -> list:
    """Nodes ordered parents-before-children (Kahn's algorithm over a copy of the counts)."""
    count = dict(deps)
    order = [n for n, c in count.items() if c == 0]
    i = 0
    while i < len(order):
        for child in _child_nodes(order[i]):
            count[child] -= 1
            if count[child] == 0:
                order.append(child)
        i += 1
    return order


def _release_walk(node, deps, ready, retain_graph):
    """A node that leads to no wanted input: skip it, but still let its children's counts drop."""
    if not retain_graph:
        node.release()
    for child in _child_nodes(node):
        deps[child] -= 1
        if deps[child] == 0:
            heapq.heappush(ready, (-child.seq, child))
