"""PyTorch's introspection attributes of graph nodes: ``grad_fn._saved_self``, ``_saved_result``, ``_saved_dim`` ...

PyTorch's generated node classes expose what each backward formula saved as ``_saved_<name>`` (the saved-tensors
tutorial reads them, torchviz's ``make_dot(show_attrs=True, show_saved=True)`` draws them) and each saved tensor
as ``_raw_saved_<name>``, a ``SavedTensor`` whose ``register_hooks(pack, unpack)`` packs it now and unpacks it when
backward needs it. ember's nodes keep their own layout (``node.saved`` plus a few attributes); this module maps
it to PyTorch's names, per node class, with PyTorch's values: a tensor is saved only when the input it is needed for
requires grad (``None`` otherwise, ``()`` for sizes), scalars a formula multiplies by are 0-d tensors, reductions
are PyTorch's enum numbers, and after a backward without ``retain_graph`` reading a saved tensor raises PyTorch's
error while the other attributes stay readable. The properties are installed on the node classes here, so
``dir(node)`` lists them, as torchviz needs; nodes not listed here expose none, as before.
"""

from __future__ import annotations

import numpy as np

from .._core.args import _infer_array, _on
from .._core.node import _FREED_MESSAGE, FREED, Node, _own_raw, _Packed
from .._core.tensor import _wrap
from .grad_mode import no_grad

__all__ = ["A", "C", "S", "SPECS", "SavedTensor", "T", "TA"]


_MAX64 = 9223372036854775807
_UINT64 = 1 << 64
_REDUCTION = {"none": 0, "mean": 1, "sum": 2}


def _tensor(v):
    if v is None or hasattr(v, "_data"):
        return v
    return _wrap(_on(None, _infer_array(v)))  # torch.tensor(v)


def _saved(node, i):
    vals = node.saved_values()  # raises PyTorch's error once a backward freed them
    return _tensor(vals[i]) if i < len(vals) else None


def _needs(node, k) -> bool:
    nxt = node.next
    return k < len(nxt) and nxt[k] is not None


def T(i, if_input=None):
    """the saved tensor at index i (only when input ``if_input`` requires grad, if given)"""
    def get(node):
        if if_input is not None and not _needs(node, if_input):
            return None
        if node._saved is FREED and getattr(node, "_ember_kept", None) is not None and _kept(node, i) is None:
            return None  # a tensor that was not saved reads None after a backward too
        return _saved(node, i)
    get.tensor_index = i
    get.if_input = if_input
    return get


class _Kept(tuple):
    """what a freed node still knows of a saved tensor: its sizes and strides (PyTorch keeps those).  Made from
    the tensor's array as ``_Kept((shape, byte strides, itemsize))``, a tuple (no Python ``__init__``: the engine
    keeps one per saved tensor of every node it frees), the strides in elements computed when read."""

    __slots__ = ()

    @property
    def shape(self) -> tuple:
        return self[0]

    @property
    def strides(self) -> tuple:
        item = self[2]
        return tuple(s // item for s in self[1])


def _kept(node, i):
    """saved item i, or after a backward freed the node, what was kept of it (a _Kept, a plain value, None)"""
    saved = node._saved
    if saved is FREED:
        kept = getattr(node, "_ember_kept", None)
        if kept is None:
            node.saved_values()  # raises PyTorch's freed error
        return kept[i] if i < len(kept) else None
    vals = tuple(saved)
    if type(saved) is _Packed:
        vals = node.saved_values()
    return vals[i] if i < len(vals) else None


def S(i):
    """a plain value (not a tensor) kept in the saved tuple at index i: still readable after backward frees it"""
    def get(node):
        return _kept(node, i)
    get.scalar_index = i
    return get


def _keep_plain_values(node):
    saved = node._saved
    if saved is not None and saved is not FREED and type(saved) is not _Packed:
        kept = []
        for v in saved:
            if hasattr(v, "_data"):
                a = v._data
                v = _Kept((a.shape, a.strides, a.itemsize))
            kept.append(v)
        node._ember_kept = tuple(kept)
    node._ember_released = True


def _release_keeping_plain_values(node):
    _keep_plain_values(node)
    Node.release(node)  # looked up at each call: ember.compile wraps it while recording, to see what was freed


class _SavedMark:
    """what a freed node keeps of a saved tensor when its spec reads only saved tensors (T): that one was saved"""

    __slots__ = ()


_SAVED = _SavedMark()


def _release_keeping_which_saved(node):
    """release for a node class whose spec reads no saved sizes, strides or plain values, only saved tensors: all
    that must outlive the backward is which items were None (T reads None for those, PyTorch's error for the
    others), one marker each, not a _Kept of every tensor's layout (this runs once per node of every backward)"""
    saved = node._saved
    if saved is not None and saved is not FREED and type(saved) is not _Packed:
        node._ember_kept = tuple([None if v is None else _SAVED for v in saved])
    node._ember_released = True
    Node.release(node)


def _wrapped_release(own):
    """a node class's own release (it drops statistics it keeps besides its saved tensors), after keeping the
    plain values PyTorch lets a user read past a backward"""
    def release(node):
        _keep_plain_values(node)
        own(node)
    release.__doc__ = own.__doc__
    return release


def TA(fn):
    """a tensor PyTorch saves that ember keeps as a node attribute: unreadable after a backward, as PyTorch's"""
    def get(node):
        if node._saved is FREED or getattr(node, "_ember_released", False):
            raise RuntimeError(_FREED_MESSAGE)
        return fn(node)
    get.reads_saved = True
    return get


def A(name, default=None, conv=None):
    def get(node):
        v = getattr(node, name, default)
        return conv(v) if conv is not None else v
    get.node_attr = True  # reads nothing saved
    return get


def C(value):
    def get(node):
        return value
    get.node_attr = True
    return get


def _sizes(name="shape"):
    def get(node):
        return tuple(int(s) for s in getattr(node, name))
    get.node_attr = True
    return get


def _saved_sizes(i, if_input=None):
    def get(node):
        if if_input is not None and not _needs(node, if_input):
            return ()
        v = _kept(node, i)
        return tuple(int(s) for s in v.shape)
    get.reads_saved = True
    return get


def _saved_strides(i, if_input=None):
    def get(node):
        if if_input is not None and not _needs(node, if_input):
            return ()
        v = _kept(node, i)
        return tuple(int(s) for s in (v.strides if type(v) is _Kept else v.stride()))
    get.reads_saved = True
    return get


def _numel(node):
    return int(np.prod(node.shape, dtype=np.int64))


def _dims(node):
    return tuple(getattr(node, "dims", ()) or ())


def _opt_dims(node):
    return None if getattr(node, "all_dims", False) else _dims(node)


def _key_op(node):
    """(dim, entry, sizes before it) of the last indexing step of a Select/Slice node's key"""
    key = node.key if isinstance(node.key, tuple) else (node.key,)
    shape = list(node.shape)
    if any(k is Ellipsis for k in key):
        pos = next(i for i, k in enumerate(key) if k is Ellipsis)
        used = sum(1 for k in key if k is not None and k is not Ellipsis)
        key = key[:pos] + (slice(None),) * (len(shape) - used) + key[pos + 1:]
    last = None
    dim = 0
    for entry in key:
        if entry is None:
            last = (dim, None, tuple(shape))
            shape.insert(dim, 1)
            dim += 1
            continue
        if isinstance(entry, slice) and entry == slice(None):
            dim += 1
            continue
        last = (dim, entry, tuple(shape))
        if isinstance(entry, slice):
            shape[dim] = len(range(*entry.indices(shape[dim])))
            dim += 1
        else:
            del shape[dim]
    return last


def _select(field):
    def get(node):
        op = _key_op(node)
        if op is None:
            return None
        dim, entry, sizes = op
        if field == "dim":
            return dim
        if field == "sizes":
            return sizes
        if field == "index":
            return int(entry)
        start, stop, step = entry.start, entry.stop, entry.step
        return {"start": 0 if start is None else start, "end": _MAX64 if stop is None else stop,
                "step": 1 if step is None else step}[field]
    return get


def _index_indices(node):
    key = list(node.key if isinstance(node.key, tuple) else (node.key,))
    while key and isinstance(key[-1], slice) and key[-1] == slice(None):
        key.pop()
    return tuple(None if isinstance(k, slice) else _tensor(k) for k in key)


def _squeeze_dims(node):
    """the dims a squeeze removed: x's shape aligned with the result's, greedily"""
    shape, out = tuple(node.shape), tuple(node.out_shape or ())
    gone, j = [], 0
    for d, n in enumerate(shape):
        if j < len(out) and out[j] == n and (n != 1 or len(shape) - d - 1 >= len(out) - j):
            j += 1
        else:
            gone.append(d)
    return tuple(gone)


def _squeeze_dim(node):
    gone = _squeeze_dims(node)
    return gone[0] if gone else None


def _prod_result(node):
    x = _saved(node, 0)
    with no_grad():
        return x.prod()


def _nll_total_weight(node):
    node.saved_values()
    # torch.tensor(count, dtype=the input's dtype)
    return _wrap(_on(None, np.array(float(np.count_nonzero(node.coef)), dtype=_saved(node, 0).dtype.np)))


def _ln_stats(k):
    def get(node):
        x = _saved(node, 0)
        with no_grad():
            mean = x.mean(node.dims, keepdim=True)
            if k == 1:
                return mean
            return ((x - mean).square().mean(node.dims, keepdim=True) + node.eps).rsqrt()
    return get


_BINARY_MUL = {"self": T(0, 1), "other": T(1, 0)}
_RESULT = {"result": T(1)}
_SELF = {"self": T(0)}

SPECS: dict[str, dict] = {
    "MulBackward0": _BINARY_MUL,
    "DivBackward0": {"self": T(0, 1), "other": lambda n: _saved(n, 1) if _needs(n, 0) or _needs(n, 1) else None},
    "AddBackward0": {"alpha": A("alpha", 1)},
    "SubBackward0": {"alpha": A("alpha", 1)},
    "RsubBackward1": {"alpha": A("alpha", 1)},
    "ExpBackward0": _RESULT, "TanhBackward0": _RESULT, "SigmoidBackward0": _RESULT, "ReluBackward0": _RESULT,
    "SqrtBackward0": _RESULT, "ReciprocalBackward0": _RESULT, "RsqrtBackward0": _RESULT,
    "LogBackward0": _SELF, "SinBackward0": _SELF, "CosBackward0": _SELF, "AbsBackward0": _SELF,
    "TanBackward0": _RESULT, "Log2Backward0": _SELF, "Log10Backward0": _SELF, "Log1pBackward0": _SELF,
    "Expm1Backward0": _RESULT, "SgnBackward0": {"result": T(1), "self": T(0)}, "SignBackward0": {},
    "NegBackward0": {}, "TBackward0": {}, "CloneBackward0": {}, "ToCopyBackward0": {},
    "PowBackward0": {"exponent": S(1), "self": T(0)},
    "PowBackward1": {"exponent": T(1), "result": T(2), "self": T(0)},
    "SumBackward0": {"self_sym_sizes": _sizes()},
    "SumBackward1": {"dim": _dims, "keepdim": A("keepdim"), "self_sym_sizes": _sizes()},
    "MeanBackward0": {"self_sym_numel": _numel, "self_sym_sizes": _sizes()},
    "MeanBackward1": {"dim": _dims, "keepdim": A("keepdim"), "self_sym_numel": _numel, "self_sym_sizes": _sizes()},
    "MmBackward0": {"mat2": T(1, 0), "mat2_sym_sizes": _saved_sizes(1), "mat2_sym_strides": _saved_strides(1, 1),
                    "self": T(0, 1), "self_sym_sizes": _saved_sizes(0), "self_sym_strides": _saved_strides(0, 0)},
    "AddmmBackward0": {"alpha": A("alpha", 1), "beta": A("beta", 1), "mat1": T(0, 2),
                       "mat1_sym_sizes": _saved_sizes(0), "mat1_sym_strides": _saved_strides(0, 1),
                       "mat2": T(1, 1), "mat2_sym_sizes": _saved_sizes(1),
                       "mat2_sym_strides": _saved_strides(1, 2)},
    "MvBackward0": {"self": T(0, 1), "vec": T(1, 0)},
    "DotBackward0": {"self": T(0, 1), "tensor": T(1, 0)},
    "UnsafeViewBackward0": {"self_sym_sizes": _sizes()},
    "ViewBackward0": {"self_sym_sizes": _sizes()},
    "ExpandBackward0": {"self_sym_sizes": _sizes()},
    "SqueezeBackward0": {"self_sym_sizes": _sizes()},
    "UnsqueezeBackward0": {"dim": lambda n: n.dim if hasattr(n, "dim") else _select("dim")(n)},
    "SelectBackward0": {"dim": _select("dim"), "index": _select("index"), "self_sym_sizes": _select("sizes")},
    "SliceBackward0": {"dim": _select("dim"), "end": _select("end"), "self_sym_sizes": _select("sizes"),
                       "start": _select("start"), "step": _select("step")},
    "TransposeBackward0": {"dim0": A("d0"), "dim1": A("d1")},
    "PermuteBackward0": {"dims": lambda n: tuple(n.dims)},
    "CatBackward0": {"dim": A("dim")},
    "StackBackward0": {"dim": A("dim")},
    "CumsumBackward0": {"dim": A("dim")},
    "SoftmaxBackward0": {"dim": A("dim"), "result": T(0)},
    "LogSoftmaxBackward0": {"dim": A("dim"), "result": T(0)},
    "MaxBackward1": {"result": T(1), "self": T(0)},
    "MinBackward1": {"result": T(1), "self": T(0)},
    "ClampBackward1": {"max": S(2), "min": S(1), "self": T(0)},
    "ClampBackward0": {"max": T(2), "min": T(1), "self": T(0)},
    "MseLossBackward0": {"reduction": lambda n: _REDUCTION[n.reduction], "self": T(0), "target": T(1)},
    "LeakyReluBackward0": {"negative_slope": A("slope"), "self": T(0)},
    "GeluBackward0": {"approximate": A("approximate"), "self": T(0)},
    "WhereBackward0": {"condition": T(0)},
    "LinalgVectorNormBackward0": {"dim": lambda n: None if len(n.dims) == len(_kept(n, 0).shape) else
                                  tuple(n.dims), "keepdim": A("keepdim"), "ord": A("p"), "result": T(1),
                                  "self": T(0)},
    "VarBackward0": {"correction": lambda n: None if n.correction == 1 else n.correction, "dim": _opt_dims,
                     "keepdim": A("keepdim"), "self": T(0)},
    "StdBackward0": {"correction": lambda n: None if n.correction == 1 else n.correction, "dim": _opt_dims,
                     "keepdim": A("keepdim"), "result": T(1), "self": T(0)},
    "ProdBackward0": {"result": TA(_prod_result), "self": T(0)},
    "MaximumBackward0": {"other": T(1), "self": T(0)},
    "MinimumBackward0": {"other": T(1), "self": T(0)},
    "LogsumexpBackward0": {"dim": _dims, "keepdim": A("keepdim"), "result": T(1), "self": T(0)},
    "EmbeddingBackward0": {"indices": TA(lambda n: _tensor(n.idx)),
                           "padding_idx": lambda n: (-1 if n.padding_idx is None else n.padding_idx) % _UINT64,
                           "scale_grad_by_freq": A("scale_grad_by_freq"), "sparse": C(False),
                           "weight_sym_argsize_0": lambda n: int(n.wshape[0])},
    "SplitBackward0": {"dim": A("dim"), "self_sym_sizes": _sizes(), "split_size": lambda n: int(n.sizes[0])},
    "MaskedFillBackward0": {"mask": TA(lambda n: _tensor(n.mask))},
    "SqueezeBackward1": {"dim": _squeeze_dim, "self_sym_sizes": _sizes()},
    "SqueezeBackward4": {"dim": _squeeze_dim, "self_sym_sizes": _sizes()},
    "SqueezeBackward2": {"dim": _squeeze_dims, "self_sym_sizes": _sizes()},
    "SqueezeBackward5": {"dim": _squeeze_dims, "self_sym_sizes": _sizes()},
    "SqueezeBackward3": {"self_sym_sizes": _sizes()},
    "UnsqueezeBackward1": {"dim": A("dim")},
    "IndexBackward0": {"indices": TA(_index_indices), "self_sym_sizes": _sizes()},
    "MaxBackward0": {"dim": A("dim"), "indices": T(0), "keepdim": A("keepdim"), "self_sym_sizes": _sizes()},
    "MinBackward0": {"dim": A("dim"), "indices": T(0), "keepdim": A("keepdim"), "self_sym_sizes": _sizes()},
    "NllLossBackward0": {"ignore_index": lambda n: getattr(n, "ignore_index", -100) % _UINT64,
                         "reduction": lambda n: _REDUCTION[n.reduction], "self": T(0),
                         "target": TA(lambda n: _tensor(n.safe_target)), "total_weight": TA(_nll_total_weight),
                         "weight": C(None)},
    "NativeLayerNormBackward0": {"bias": T(2), "input": T(0), "normalized_shape": lambda n: tuple(
        int(_kept(n, 0).shape[d]) for d in n.dims), "result1": TA(_ln_stats(1)), "result2": TA(_ln_stats(2)),
        "weight": T(1)},
    "BinaryCrossEntropyWithLogitsBackward0": {"pos_weight": T(3), "reduction": lambda n: _REDUCTION[n.reduction],
                                              "self": T(0), "target": T(1), "weight": T(2)},
}


class SavedTensor:
    """``grad_fn._raw_saved_<name>``: one saved tensor, with ``register_hooks(pack_hook, unpack_hook)``"""

    def __init__(self, node, index):
        self._node, self._index = node, index

    def register_hooks(self, pack_hook, unpack_hook):
        if not (callable(pack_hook) and callable(unpack_hook)):
            raise TypeError("register_hooks(): incompatible function arguments. The following argument types "
                            "are supported:\n    1. (self: torch._C._autograd.SavedTensor, arg0: "
                            "collections.abc.Callable, arg1: collections.abc.Callable) -> None\n\nInvoked with: "
                            f"{self!r}, {pack_hook!r}, {unpack_hook!r}")
        node, i = self._node, self._index
        saved = node._saved
        if saved is FREED:
            raise RuntimeError("Calling register_hooks on a saved tensor after it has been freed. Saved intermediate "
                               "values of the graph are freed when you call .backward() or autograd.grad(). Specify "
                               "retain_graph=True if you need to backward through the graph a second time or if you "
                               "need to access saved variables after calling backward.")
        if type(saved) is _Packed:
            raise RuntimeError("Calling register_hooks on a saved tensor whose hooks have already been set. Hint: "
                               "only one pair of hooks is allowed at a time.")
        values = tuple(saved)
        if i >= len(values) or values[i] is None:
            raise RuntimeError("Calling register_hooks on a saved tensor with value None is forbidden")
        node.saved_values()  # PyTorch checks the version now too
        packed = object.__new__(_Packed)
        packed.is_tensor = tuple(k == i for k in range(len(values)))
        # PyTorch's hook sees the saved data without its autograd identity (a leaf shows no requires_grad)
        packed.items = tuple(pack_hook(v.detach()) if k == i else v for k, v in enumerate(values))
        packed.unpack = unpack_hook
        node._saved = packed  # bypasses the property: only this tensor is packed, by these hooks

    def unpack(self):
        return _saved(self._node, self._index)

    def __repr__(self):
        return f"<torch._C._autograd.SavedTensor object at {hex(id(self))}>"


def _lookup(node, name):
    """``node._saved_<attr>`` / ``node._raw_saved_<attr>`` from the node class's spec; AttributeError otherwise"""
    spec = SPECS.get(type(node).__name__)
    if spec is not None:
        if name.startswith("_saved_"):
            get = spec.get(name[7:])
            if get is not None:
                return get(node)
        elif name.startswith("_raw_saved_"):
            get = spec.get(name[11:])
            i = getattr(get, "tensor_index", None)
            if i is not None:
                saved, k = node._saved, get.if_input
                if saved is not FREED and (saved is None or (k is not None and not _needs(node, k))
                                           or i >= len(saved) or tuple(saved)[i] is None):
                    return None
                return SavedTensor(node, i)
    raise AttributeError(f"'{type(node).__name__}' object has no attribute '{name}'")


def _node_getattr(self, name):  # only reached for names the node does not have
    if name[:1] == "_" and ("_saved_" in name):
        return _lookup(self, name)
    raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")


def _node_dir(self):
    names = set(object.__dir__(self)) - {"_saved", "_ember_scalars"}  # ember's own, not PyTorch's _saved_*
    spec = SPECS.get(type(self).__name__)
    if spec:
        names.update("_saved_" + k for k in spec)
        names.update("_raw_saved_" + k for k, g in spec.items() if getattr(g, "tensor_index", None) is not None)
    return sorted(names)


Node.__getattr__ = _node_getattr
Node.__dir__ = _node_dir


def _keeps_plain_values(cls):
    """a node class whose spec reads its saved tuple keeps the plain values and sizes of it past a backward"""
    spec = SPECS.get(cls.__name__)
    if spec and any(hasattr(g, "scalar_index") or hasattr(g, "tensor_index") or getattr(g, "reads_saved", False)
                    for g in spec.values()):
        own = vars(cls).get("release")
        tensors_only = all(getattr(g, "tensor_index", None) is not None or getattr(g, "node_attr", False)
                           for g in spec.values())
        if own is None:
            cls.release = _release_keeping_which_saved if tensors_only else _release_keeping_plain_values
        elif not getattr(own, "_keeps_plain_values", False):
            cls.release = _wrapped_release(own)
        cls.release._keeps_plain_values = True


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


for _cls in list(_subclasses(Node)):
    _keeps_plain_values(_cls)


def _init_subclass(cls, **kwargs):  # node classes defined later (nn's losses, layer norm ...) too
    _own_raw(cls)
    _keeps_plain_values(cls)


Node.__init_subclass__ = classmethod(_init_subclass)
