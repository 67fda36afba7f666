"""The backward pass: an iterative walk of the graph in reverse topological order.

1. Discover the nodes reachable from the roots, and count, for each node and each leaf, the edges that point at it.
2. Run nodes whose count has dropped to zero, newest first (PyTorch's order: by creation sequence number). A
   node's incoming gradients are summed in a buffer; its ``backward`` maps them to one gradient per input edge;
   a broadcast input's gradient is summed back to its shape here, and only here (``Node.in_shapes``).
3. A leaf whose every edge has delivered gets its gradient at once, as PyTorch's AccumulateGrad does: its hooks run,
   then ``.grad += g`` (stored the first time), then its post-accumulate hooks (so a DistributedDataParallel
   bucket can start its all-reduce while the rest of backward runs).

Saved tensors are released as soon as their node has run, unless ``retain_graph``. Without ``create_graph`` the walk
runs with recording off in this thread (grad mode is per thread), so backward formulas build no graph. An
``observer(node, grads_in, grads_out)`` sees every node as it runs (``autograd.explain`` is one), and
``observer.leaf(t, g)`` every leaf's gradient: the walk is the only one; nothing re-implements it.

``autograd.backward`` and ``autograd.grad`` (at the end) are the walk's two entry points: the checks PyTorch makes
on their arguments and the default gradient of a scalar output, around ``run_backward``.
"""

from __future__ import annotations

import heapq

from .. import kernels as K
from .._array import np
from .._core import modes
from .._core.record import keep_input_edges
from .._core.tensor import Tensor, _wrap
from . import anomaly, grad_mode
from .grad_mode import flags as _grad_flags

_fw = modes.forward
_ndarray = np.ndarray

__all__ = ["run_backward", "backward", "grad"]


def run_backward(tensors, grad_tensors, retain_graph: bool, create_graph: bool, inputs=None,
                 accumulate: bool = True, allow_unused: bool = True, observer=None, hooks: bool = True):
    """Backpropagate ``grad_tensors`` from ``tensors``. With ``accumulate`` the gradients of the leaves (or of
    ``inputs``) go into their ``.grad``; otherwise the gradients of ``inputs`` are returned (``autograd.grad``).
    ``hooks=False`` runs no hook and retains no gradient (``explain`` watches a walk without side effects)."""
    want = _Targets(inputs, accumulate)
    slots, leaves = _count_edges(tensors)
    needed = want.nodes_leading_to({n: s[0] for n, s in slots.items()}) if inputs is not None else None
    handed_out = {id(_owner(g._data)) for g in grad_tensors if g is not None}  # memory the caller holds
    check_nan = anomaly.state.enabled and anomaly.state.check_nan
    capture = want.capture_node if want.nodes else None
    # the common case runs a node's backward inline; anything else watching or filtering goes through _run
    extras = check_nan or capture is not None or needed is not None or observer is not None or not hooks
    # first order, nothing watching: the gradients flow as bare arrays between the nodes that have a
    # ``backward_raw`` (no Tensor made for an intermediate gradient); see Node.backward_raw
    raw = not create_graph and not extras and _fw.level is None
    for t, g in zip(tensors, grad_tensors):
        if raw and g is not None:
            g = g._data
        if t.grad_fn is None:
            leaf = leaves.get(id(t))
            if leaf is None:
                leaf = leaves[id(t)] = [0, t, None]
            leaf[2] = g if leaf[2] is None else leaf[2] + g
        else:
            _add(slots[t.grad_fn], t._output_nr, g)
    ready = [(-n.seq, n, slots[n]) for n in {t.grad_fn for t in tensors if t.grad_fn is not None}
             if slots[n][0] == 0]
    heapq.heapify(ready)  # newest first; seq numbers are unique, so nodes never compare
    pop, push = heapq.heappop, heapq.heappush
    prev, grad_mode.state.enabled = grad_mode.state.enabled, bool(create_graph)
    try:
        while ready:
            _, node, slot = pop(ready)
            g = slot[1]
            if extras or node._pre_hooks or node.tensor_hooks or node._hooks or type(g) is list:
                if raw:  # hooks see tensors
                    g = ([None if x is None else _tensor(x) for x in g] if type(g) is list else
                         None if g is None else _tensor(g))
                in_grads = _run(node, g if type(g) is list else [g], check_nan, hooks, capture, needed, observer,
                                retain_graph)
                if raw:
                    in_grads = _arrays(in_grads)
            elif raw:  # one output, no hooks, first order: the array formula, else the tensor one on g wrapped
                if g is None:
                    in_grads = (None,) * len(node.next)
                else:
                    f = node.backward_raw
                    in_grads = f(g) if f is not None else None
                    if in_grads is None:
                        in_grads = _arrays(node.backward(_tensor(g)))
                if not retain_graph:
                    node.release()
            else:  # one output, no hooks: its backward, then its saved tensors released
                in_grads = node.backward(g) if g is not None else (None,) * len(node.next)
                if create_graph and node.zero_double is not None:
                    in_grads = keep_input_edges(node, in_grads)
                if not retain_graph:
                    node.release()
            shapes = node.in_shapes
            k = -1
            for e in node.next:
                k += 1
                if e is None:
                    continue
                gi = in_grads[k]
                if shapes is not None and gi is not None and shapes[k] is not None:
                    if raw:
                        if gi.shape != shapes[k]:
                            gi = K.sum_to(gi, shapes[k])
                    elif gi._data.shape != shapes[k]:
                        gi = _sum_to(gi, shapes[k], create_graph)
                if type(e) is tuple:
                    child, nr = e
                elif isinstance(e, Tensor):  # a leaf: its gradient is complete once every edge to it delivered
                    leaf = leaves[id(e)]
                    if gi is not None:
                        leaf[2] = gi if leaf[2] is None else _sum(leaf[2], gi, raw)
                    leaf[0] -= 1
                    if not leaf[0]:
                        del leaves[id(e)]
                        gl = leaf[2]
                        _finish_leaf(e, _tensor(gl) if raw and gl is not None else gl, want, create_graph,
                                     handed_out, observer, hooks)
                    continue
                else:
                    child, nr = e, 0
                cs = slots[child]
                if gi is not None:
                    buf = cs[1]
                    if buf is None:
                        cs[1] = gi
                    elif type(buf) is list:  # a node with several outputs
                        buf[nr] = gi if buf[nr] is None else _sum(buf[nr], gi, raw)
                    else:
                        cs[1] = _sum(buf, gi, raw)
                cs[0] -= 1
                if not cs[0]:
                    push(ready, (-child.seq, child, cs))
        for _, t, g in list(leaves.values()):  # leaves that were roots themselves
            _finish_leaf(t, _tensor(g) if raw and g is not None else g, want, create_graph, handed_out, observer,
                         hooks)
    finally:
        grad_mode.state.enabled = prev
    return want.results(allow_unused)


# -- 1. discovery -------------------------------------------------------------------------------------------------

def _count_edges(tensors):
    """The walk's bookkeeping, one list per node and per leaf reachable from the roots: a node's
    ``[edges pointing at it not yet delivered, its incoming gradient]`` (a list of one gradient per output for a
    node with several), a leaf's ``[edges not yet delivered, the leaf, its gradient]`` (keyed by id)."""
    slots, leaves, stack = {}, {}, []
    for t in tensors:
        n = t.grad_fn
        if n is not None and n not in slots:
            slots[n] = [0, None if n.n_outputs == 1 else [None] * n.n_outputs]
            stack.append(n)
    get = slots.get
    while stack:
        for e in stack.pop().next:
            if e is None:
                continue
            if type(e) is tuple:
                e = e[0]
            elif isinstance(e, Tensor):
                leaf = leaves.get(id(e))
                if leaf is None:
                    leaves[id(e)] = [1, e, None]
                else:
                    leaf[0] += 1
                continue
            slot = get(e)
            if slot is None:
                slots[e] = [1, None if e.n_outputs == 1 else [None] * e.n_outputs]
                stack.append(e)
            else:
                slot[0] += 1
    return slots, leaves


class _Targets:
    """What the caller wants: every leaf's ``.grad`` (backward) or the gradients of ``inputs`` (autograd.grad)."""

    def __init__(self, inputs, accumulate):
        self.accumulate, self.inputs = accumulate, inputs
        self.every_leaf = accumulate and inputs is None
        self.leaves, self.nodes = {}, {}  # id(leaf) -> position; (id(node), output k) -> position
        self.captured = [None] * (len(inputs) if inputs is not None else 0)
        for i, t in enumerate(inputs or ()):
            if t.grad_fn is None:
                if not t.requires_grad and not accumulate:
                    raise RuntimeError("One of the differentiated Tensors does not require grad")
                self.leaves[id(t)] = i
            else:
                self.nodes[(id(t.grad_fn), t._output_nr)] = i

    def capture_node(self, node, grads):
        if self.nodes:
            for k in range(node.n_outputs):
                slot = self.nodes.get((id(node), k))
                if slot is not None:
                    self.captured[slot] = grads[k]

    def wants_leaf(self, t):
        """(position in the results or None, whether its .grad is written)."""
        slot = self.leaves.get(id(t))
        return slot, self.accumulate and (self.inputs is None or slot is not None)

    def nodes_leading_to(self, deps) -> set:
        """Nodes from which a wanted input is reachable (only they run), in reverse topological order."""
        targets = {nid for nid, _ in self.nodes}
        good: set = set()
        for node in reversed(_topological(deps)):  # children before parents
            for e in node.next:
                if e is None:
                    continue
                if type(e) is tuple:
                    e = e[0]
                elif isinstance(e, Tensor):
                    if id(e) in self.leaves:
                        good.add(node)
                        break
                    continue
                if e in good or id(e) in targets:
                    good.add(node)
                    break
        return good

    def results(self, allow_unused):
        if self.accumulate:
            return None
        for i, g in enumerate(self.captured):
            if g is None and not allow_unused:
                raise RuntimeError(f"The differentiated Tensor at index {i} appears to not have been used in the "
                                   "graph. Set allow_unused=True if this is the desired behavior.")
        return tuple(self.captured)


def _topological(deps) -> list:
    """Nodes ordered parents-before-children (Kahn's algorithm over a copy of the counts)."""
    count = dict(deps)
    order = [n for n, c in count.items() if c == 0]
    i = 0
    while i < len(order):
        for e in order[i].next:
            if e is None or isinstance(e, Tensor):
                continue
            child = e[0] if type(e) is tuple else e
            count[child] -= 1
            if count[child] == 0:
                order.append(child)
        i += 1
    return order


# -- 2. running a node: its incoming gradients, hooks, backward ---------------------------------------------------

def _tensor(a):
    """A bare gradient array as a tensor (a NumPy scalar a 0-d formula gave becomes a 0-d array)."""
    if type(a) is not _ndarray and not isinstance(a, _ndarray):
        a = np.asarray(a)
    return _wrap(a)


def _arrays(grads) -> tuple:
    """A tensor formula's gradients as bare arrays (the walk's first-order form)."""
    return tuple(None if x is None else x._data for x in grads)


def _sum(a, b, raw):
    """a + b of two gradients for the same output: tensors, or bare arrays (added as the tensors would be:
    of one dtype by NumPy, else through the tensor op's promotion)."""
    if not raw:
        return a + b
    if a.dtype is b.dtype or a.dtype == b.dtype:
        return np.add(a, b)
    return (_tensor(a) + _tensor(b))._data


def _add(slot, k, g):
    """Sum gradient ``g`` for output ``k`` into a node's slot (its gradient, or a list of one per output)."""
    buf = slot[1]
    if type(buf) is list:
        buf[k] = g if buf[k] is None else buf[k] + g
    else:
        slot[1] = g if buf is None else buf + g


def _incoming(node, buf):
    """The node's summed incoming gradients, after its pre-hooks and the hooks of its output tensors."""
    grads = buf if buf is not None else [None] * node.n_outputs
    if node._pre_hooks:
        for hook in node._pre_hooks:
            r = hook(tuple(grads))
            if r is not None:
                grads = list(r)
    if node.tensor_hooks:
        grads = _run_tensor_hooks(node, grads)
    return grads


def _run_tensor_hooks(node, grads):
    """``register_hook`` and ``retain_grad`` on non-leaf tensors: kept on the tensor's node, by output index."""
    grads = list(grads)
    for k, hooks in node.tensor_hooks.items():
        g = grads[k]
        if g is None:
            continue
        retain = None
        for kind, fn in list(hooks.values()):
            if kind == "retain":
                retain = fn  # PyTorch runs retain_grad's hook after the tensor's other hooks, whenever it was set
            else:
                r = fn(g)
                if r is not None:
                    g = r
        if retain is not None:
            t = retain()
            if t is not None:
                det = g if grad_mode.state.enabled else g.detach()
                if t._grad is None:
                    t._grad = det.clone() if not grad_mode.state.enabled else det
                else:
                    t._grad = t._grad + det
        grads[k] = g
    return grads


def _run(node, grads, check_nan, hooks, capture, needed, observer, retain_graph):
    """A node with hooks, several outputs, or a caller watching the walk: its incoming gradients after the hooks,
    the capture of wanted ones, its backward (skipped when it leads to no wanted input), the observer."""
    if hooks and (node._pre_hooks or node.tensor_hooks):
        grads = _incoming(node, grads)
    elif grads is None:
        grads = [None] * node.n_outputs
    if capture is not None:
        capture(node, grads)
    if needed is not None and node not in needed:  # leads to no wanted input: skip it (and keep its saved
        return (None,) * len(node.next)            # tensors: a later backward may run it, as in PyTorch)
    in_grads = _apply(node, grads, check_nan, hooks)
    if observer is not None:
        observer(node, grads, in_grads)
    if not retain_graph:
        node.release()
    return in_grads


def _apply(node, grads, check_nan, hooks=True):
    """The node's gradients for its inputs: its backward, then the anomaly check and its hooks."""
    try:
        if node.n_outputs != 1:
            in_grads = node.backward(grads)
        elif grads[0] is None:  # no gradient reached this node: its inputs get none either
            in_grads = (None,) * len(node.next)
        else:
            in_grads = node.backward(grads[0])
        if node.zero_double is not None and grad_mode.state.enabled:  # under create_graph
            in_grads = keep_input_edges(node, in_grads)
        if check_nan:
            anomaly.check_gradients(node, in_grads)
    except Exception as err:
        if check_nan:  # anomaly mode: PyTorch warns where the failing node's forward ran, then raises
            anomaly.warn_forward_trace(node, err)
        raise
    if node._hooks and hooks:
        for hook in node._hooks:
            r = hook(in_grads, tuple(grads))
            if r is not None:
                in_grads = tuple(r)
    return in_grads


def _sum_to(g, shape, create_graph: bool):
    """Sum a broadcast gradient back to its input's ``shape``: one NumPy reduction unless recording (or carrying a
    tangent: forward-over-reverse differentiates the backward pass)."""
    if create_graph or _fw.level is not None:
        return g.sum_to_size(shape)
    return _wrap(K.sum_to(g._data, shape))


# -- 3. leaves ----------------------------------------------------------------------------------------------------

def _finish_leaf(t, g, want, create_graph, handed_out, observer, hooks=True):
    """A leaf's gradient is complete: its hooks, then into ``.grad`` (or the results), then post hooks."""
    if g is None:
        return
    if t._hooks and hooks:
        for hook in list(t._hooks.values()):
            r = hook(g)
            if r is not None:
                g = r
    if observer is not None and hasattr(observer, "leaf"):
        observer.leaf(t, g)
    if want.every_leaf:  # backward() without inputs: every leaf's .grad, nothing returned
        slot, write = None, True
    else:
        slot, write = want.wants_leaf(t)
    if slot is not None:
        want.captured[slot] = g
    if write:
        _accumulate(t, g, create_graph, handed_out)
        if t._post_hooks:
            for hook in list(t._post_hooks.values()):
                hook(t)


def _owner(arr):
    """The array that owns ``arr``'s memory."""
    base = arr.base
    return arr if base is None else base


def _dense(a) -> bool:
    """Non-overlapping and dense: a permutation of a contiguous array (what PyTorch's layout contract keeps)."""
    if a.flags.c_contiguous or a.flags.f_contiguous:
        return True
    if a.size <= 1 or 0 in a.strides:
        return False
    order = sorted(range(a.ndim), key=lambda i: a.strides[i])
    expect = a.itemsize
    for i in order:
        if a.shape[i] != 1 and a.strides[i] != expect:
            return False
        expect *= a.shape[i]
    return True


def _other_layout(g, t) -> bool:
    """Whether ``g`` is laid out otherwise than the dense leaf ``t`` (strides of size-1 dims do not matter)."""
    if not _dense(t):
        return False
    return any(n > 1 and a != b for n, a, b in zip(t.shape, g.strides, t.strides))


def _in_layout(g, t):
    """A copy of ``g`` laid out as the dense array ``t``."""
    laid = np.empty_like(t, dtype=g.dtype)
    laid[...] = g
    return laid


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
            owner = arr if arr.base is None else arr.base  # _owner(arr)
            if id(owner) in handed_out or not arr.flags.writeable:  # a copy, in the leaf's layout (if dense)
                arr = owner = _in_layout(arr, td) if _dense(td) else arr.copy()
            elif _grad_flags.grad_layout and arr.strides != td.strides and _other_layout(arr, td):
                arr = owner = _in_layout(arr, td)  # PyTorch's layout contract (enforce_grad_layout_policy)
            handed_out.add(id(owner))
            t._grad = g if arr is g._data and type(g) is Tensor else Tensor._wrap(arr)
    elif create_graph or t._grad.requires_grad:
        t._grad = t._grad + g
    else:
        np.add(t._grad._data, g._data, out=t._grad._data, casting="unsafe")
        t._grad._bump()


# =====================================================================================================
# the entry points: autograd.backward and autograd.grad
# =====================================================================================================

def _make_grads(outputs, grad_outputs, create_graph):
    out = []
    for i, (o, g) in enumerate(zip(outputs, grad_outputs)):
        if g is None:
            if o._requires_grad:
                d = o._data
                if d.size != 1:
                    raise RuntimeError("grad can be implicitly created only for scalar outputs")
                if d.dtype.kind not in "fc":
                    raise RuntimeError(f"grad can be implicitly created only for real scalar outputs but got "
                                       f"{o.dtype}")
                out.append(_wrap(np.ones(d.shape, dtype=d.dtype)))
            else:
                out.append(None)
        else:
            if not isinstance(g, Tensor):
                raise TypeError(f"gradients can be either Tensors or None, but got {type(g).__name__}")
            if g.shape != o.shape:
                raise RuntimeError(f"Mismatch in shape: grad_output[{i}] has a shape of {g.shape} and output[{i}] has "
                                   f"a shape of {o.shape}.")
            out.append(g if create_graph else g.detach())
    return out


def _check_requires_grad(outputs):
    for i, o in enumerate(outputs):
        if not o._requires_grad:
            hint = ""
            if not grad_mode.state.enabled:
                hint = " (ember: grad mode is off here: this code runs under no_grad()/inference_mode())"
            elif o.grad_fn is None:
                hint = (" (ember: this tensor is a leaf that does not require grad; set requires_grad=True on the "
                        "inputs you want gradients for, or check that the graph was built outside no_grad())")
            err = RuntimeError(f"element {i} of tensors does not require grad and does not have a grad_fn")
            if hint:
                # a note shows in the traceback while str(err) stays PyTorch's message
                err.add_note(hint.strip())
            raise err


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False, grad_variables=None, inputs=None):
    """Accumulate the gradients of ``tensors`` (weighted by ``grad_tensors``) into the leaves' ``.grad``."""
    tensors = (tensors,) if isinstance(tensors, Tensor) else tuple(tensors)
    if grad_tensors is None:
        grad_tensors = (None,) * len(tensors)
    elif isinstance(grad_tensors, Tensor):
        grad_tensors = (grad_tensors,)
    else:
        grad_tensors = tuple(grad_tensors)
    if retain_graph is None:
        retain_graph = create_graph
    grads = _make_grads(tensors, grad_tensors, create_graph)  # (PyTorch's _make_grads runs first)
    _check_requires_grad(tensors)
    if inputs is not None:
        inputs = (inputs,) if isinstance(inputs, Tensor) else tuple(inputs)
        if not inputs:
            raise RuntimeError("`inputs` argument to `backward()` cannot be empty.")
    run_backward(tensors, grads, retain_graph, create_graph, inputs=inputs, accumulate=True)


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False, only_inputs=True,
         allow_unused=None, is_grads_batched=False, materialize_grads=False):
    """The gradients of ``outputs`` with respect to ``inputs``, returned (``.grad`` is left alone)."""
    single_input = isinstance(inputs, Tensor)
    outputs = (outputs,) if isinstance(outputs, Tensor) else tuple(outputs)
    inputs = (inputs,) if single_input else tuple(inputs)
    if grad_outputs is None:
        grad_outputs = (None,) * len(outputs)
    elif isinstance(grad_outputs, Tensor):
        grad_outputs = (grad_outputs,)
    else:
        grad_outputs = tuple(grad_outputs)
    if retain_graph is None:
        retain_graph = create_graph
    if allow_unused is None:
        allow_unused = materialize_grads
    grads = _make_grads(outputs, grad_outputs, create_graph)  # PyTorch checks the given gradients first,
    _check_requires_grad(outputs)  # then the outputs
    for x in inputs:
        if not x.requires_grad:
            raise RuntimeError("One of the differentiated Tensors does not require grad")
    res = run_backward(outputs, grads, retain_graph, create_graph, inputs=inputs, accumulate=False,
                       allow_unused=allow_unused)
    if materialize_grads:
        res = tuple(g if g is not None else _wrap(np.zeros(x.shape, dtype=x._data.dtype)) for g, x in zip(res, inputs))
    return res


backward.__module__ = grad.__module__ = "ember.autograd"  # where users find them (torch.autograd's are there too)
