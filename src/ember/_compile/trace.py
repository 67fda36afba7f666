"""Recording a step at the level of NumPy calls: the tracing array and the recording it writes into.

While a step is recorded, every array the ops compute with is a :class:`Traced` array: an ``ndarray`` subclass
whose data are the very array eager ember would hold (its *twin*, ``_p``), plus a number (``_v``) naming it in
the recording. NumPy hands every ufunc call (``a + b``, ``np.exp(a)``, ``a.sum()``, ``a @ b``) to
``__array_ufunc__`` and every NumPy function (``np.where``, ``np.concatenate``...) to ``__array_function__``;
the methods NumPy does not route through either (``reshape``, ``astype``, ``[...]``...) are overridden below.
Each of them does the same thing: it calls NumPy on the twins (so the numbers are eager's, bit for bit),
appends one :class:`Op` to the recording, and hands back Traced results. The recording is a *trace*: the flat
list of NumPy calls the step made, with the arrays they read and wrote, and no Python in between.

What a trace cannot hold is reported as a *break* (:meth:`Recording.broke`), and the step stays eager:

* a value turned into Python (``float(t)``, ``t.item()``, ``print(t)``, ``t.tolist()``): the trace would hold
  the number seen once; a ``bool`` or an ``int`` (``if (t > 0).all()``, ``range(int(n))``) is kept instead as a
  *check*: the replay computes it again and, if it differs, the call runs eagerly;
* an array derived from a traced one by a path that is not traced (NumPy creating the subclass itself, seen in
  ``__array_finalize__``), or a plain array that aliases traced memory: the trace would miss a dependency;
* a tensor read during the step that the compiler did not find beforehand (its value could change unseen).

Functions NumPy does not dispatch (``np.asarray``, ``np.zeros``, ``as_strided``...) are wrapped for the
duration of a recording, in this thread only (:data:`PATCHES`); so are ember's random generator (its draws are
*live* calls: replayed by calling the generator again, so the stream advances as in eager) and the optimizers'
``_update`` (their array-level update, replayed as a call that reads ``lr`` and the step count afresh).
"""

from __future__ import annotations

import operator
import os
import sys
import threading
from dataclasses import dataclass, field

import numpy as np

__all__ = ["Traced", "Ref", "Obj", "Op", "Val", "Recording", "current", "Break", "Unsupported"]

_tls = threading.local()
_ndarray = np.ndarray
_orig_asarray = np.asarray


def current():
    """The recording of this thread (None when none is running, or while a live call runs)."""
    rec = getattr(_tls, "rec", None)
    if rec is None or rec.suspended:
        return None
    return rec


class Unsupported(RuntimeError):  # noqa: N818 (PyTorch's name: torch._dynamo.exc.Unsupported)
    """What cannot be captured: raised inside the step where the capture breaks when ``fullgraph=True``, and
    (caught, noted for ``explain``) when a recording cannot be made into a program."""


Break = Unsupported


class Obj:
    """An object a live call gets as it is (an optimizer's param group: the replay reads its lr afresh)."""

    __slots__ = ("obj",)

    def __init__(self, obj):
        self.obj = obj


class Ref:
    """A traced value inside an op's argument template."""

    __slots__ = ("v",)

    def __init__(self, v: int):
        self.v = v

    def __repr__(self):
        return f"v{self.v}"


@dataclass
class Val:
    """One array of the trace: where it came from and what it looks like."""

    kind: str             # "in" (a tensor's array when the step began), "const", "op" (made by an op), "live"
    shape: tuple
    dtype: np.dtype
    strides: tuple
    storage: int          # id of the array owning the memory (values sharing it alias each other)
    producer: int = -1    # index of the op that made it (-1: an input or a constant)
    view: bool = False    # shares the memory of an earlier value (made by a view op)
    twin: object = None   # the eager array (kept during recording, dropped after)


@dataclass
class Op:
    """One NumPy call: ``fn(*args, **kwargs)``, its results ``outs`` (value numbers, with ``out_tree`` giving the
    structure of what it returned) and the storages it writes."""

    kind: str             # "ufunc", "func", "method", "live", "check", "create", "asarray"
    fn: object            # the callable (a ufunc or its method, a NumPy function, a method name, a live callable)
    args: tuple
    kwargs: dict
    outs: list = field(default_factory=list)
    out_tree: object = None
    writes: tuple = ()    # value numbers whose memory the call writes
    expect: object = None  # a check: the Python value the replay must see again
    site: str = ""
    name: str = ""


_HERE = os.path.dirname(os.path.abspath(__file__))
_EMBER = os.path.dirname(_HERE)
_NUMPY = os.path.dirname(np.__file__)


def user_site(depth: int = 2) -> str:
    """``file:line in function`` of the innermost frame outside ember and NumPy (where the user's step is), and the
    innermost ember frame below it (the op)."""
    f = sys._getframe(depth)
    op = None
    while f is not None:
        fn = f.f_code.co_filename
        if fn.startswith(_HERE) or fn.startswith(_NUMPY):
            f = f.f_back
            continue
        if fn.startswith(_EMBER):
            if op is None:
                op = f"{os.path.relpath(fn, os.path.dirname(_EMBER))}:{f.f_lineno} in {f.f_code.co_name}"
            f = f.f_back
            continue
        break
    where = f"{f.f_code.co_filename}:{f.f_lineno} in {f.f_code.co_name}" if f is not None else "?"
    return where + (f" (ember: {op})" if op else "")


def _owner(a):
    """The object owning an array's memory (NumPy collapses chains of views; as_strided leaves a non-array)."""
    while True:
        b = a.base
        if b is None:
            return a
        if not isinstance(b, _ndarray):
            inner = getattr(b, "base", None)
            return b if inner is None else _owner(inner) if isinstance(inner, _ndarray) else inner
        a = b


class Traced(_ndarray):
    """An array being recorded: eager's array (``_p``) under a value number (``_v``) of the recording."""

    _v = -1
    _p = None

    def __array_finalize__(self, obj):
        if obj is not None and type(obj) is Traced:
            rec = current()
            if rec is not None:  # NumPy made this from a traced array by a path none of the overrides saw
                rec.broke("an array derived from a traced one by an untraced NumPy path", user_site())

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        rec = current()
        if rec is None:
            return _plain_call(getattr(ufunc, method) if method != "__call__" else ufunc, inputs, kwargs)
        return rec.ufunc(ufunc, method, inputs, kwargs)

    def __array_function__(self, func, types, args, kwargs):
        rec = current()
        if rec is None:
            return _plain_call(func, args, kwargs)
        return rec.call("func", func, args, kwargs)

    # -- values turned into Python: checks (bool, int) or breaks (float, text) ------------------------------
    def __bool__(self):
        return _concrete(self, bool)

    def __int__(self):
        return _concrete(self, int)

    def __index__(self):
        return _concrete(self, operator.index)

    def __float__(self):
        return _concrete(self, float)

    def __complex__(self):
        return _concrete(self, complex)

    def item(self, *args):
        kind = self.dtype.kind
        return _concrete(self, lambda a: a.item(*args), check=kind in "biu", what=".item()")

    def tolist(self):
        return _concrete(self, lambda a: a.tolist(), check=False, what=".tolist()")

    def tobytes(self, order="C"):
        return _concrete(self, lambda a: a.tobytes(order), check=False, what=".tobytes()")

    def __repr__(self):
        return _concrete(self, repr, check=False, what="repr() (printing)")

    def __str__(self):
        return _concrete(self, str, check=False, what="str() (printing)")

    def __format__(self, spec):
        return _concrete(self, lambda a: format(a, spec), check=False, what="format() (printing)")

    def __reduce__(self):
        return _concrete(self, lambda a: a.__reduce__(), check=False, what="pickling")

    def __iter__(self):
        for i in range(len(self)):
            yield self[i]

    def __array__(self, dtype=None, copy=None):
        rec = current()
        if rec is not None:
            rec.broke("an array converted to plain NumPy (__array__)", user_site())
        p = _orig_asarray(self._p)
        return p if dtype is None else p.astype(dtype)

    # -- methods NumPy does not dispatch: each is one recorded call -------------------------------------------
    def _m(self, name, *args, **kwargs):
        rec = current()
        if rec is None:
            return _plain_call(getattr(_ndarray, name), (self,) + args, kwargs)
        return rec.call("method", name, (self,) + args, kwargs)

    def reshape(self, *a, **k):
        return self._m("reshape", *a, **k)

    def transpose(self, *a):
        return self._m("transpose", *a)

    def swapaxes(self, *a):
        return self._m("swapaxes", *a)

    def squeeze(self, *a, **k):
        return self._m("squeeze", *a, **k)

    def ravel(self, *a):
        return self._m("ravel", *a)

    def flatten(self, *a):
        return self._m("flatten", *a)

    def view(self, *a, **k):
        if a and isinstance(a[0], type) and issubclass(a[0], _ndarray) and "dtype" not in k:
            rec = current()
            if rec is not None and a[0] is not Traced:
                rec.broke(f"ndarray.view({a[0].__name__}): the traced array left the trace", user_site())
            return _ndarray.view(self._p, *a, **k)
        return self._m("view", *a, **k)

    def copy(self, *a, **k):
        return self._m("copy", *a, **k)

    def astype(self, *a, **k):
        return self._m("astype", *a, **k)

    def diagonal(self, *a, **k):
        return self._m("diagonal", *a, **k)

    def take(self, *a, **k):
        return self._m("take", *a, **k)

    def repeat(self, *a, **k):
        return self._m("repeat", *a, **k)

    def dot(self, *a, **k):
        return self._m("dot", *a, **k)

    def argmax(self, *a, **k):
        return self._m("argmax", *a, **k)

    def argmin(self, *a, **k):
        return self._m("argmin", *a, **k)

    def argsort(self, *a, **k):
        return self._m("argsort", *a, **k)

    def sort(self, *a, **k):
        return self._m("sort", *a, **k)

    def nonzero(self):
        return self._m("nonzero")

    def fill(self, value):
        return self._m("fill", value)

    def cumsum(self, *a, **k):
        return self._m("cumsum", *a, **k)

    def cumprod(self, *a, **k):
        return self._m("cumprod", *a, **k)

    def round(self, *a, **k):
        return self._m("round", *a, **k)

    def conj(self):
        return self._m("conj")

    conjugate = conj

    def trace(self, *a, **k):
        return self._m("trace", *a, **k)

    def searchsorted(self, *a, **k):
        return self._m("searchsorted", *a, **k)

    def put(self, *a, **k):
        return self._m("put", *a, **k)

    def byteswap(self, *a, **k):
        return self._m("byteswap", *a, **k)

    def __getitem__(self, key):
        return self._m("__getitem__", key)

    def __setitem__(self, key, value):
        self._m("__setitem__", key, value)

    def __copy__(self):
        return self._m("copy")

    def __deepcopy__(self, memo):
        return self._m("copy")

    @property
    def T(self):  # noqa: N802 (NumPy's name)
        return self._m("transpose")

    @property
    def mT(self):  # noqa: N802
        return self._m("swapaxes", -1, -2)

    @property
    def real(self):
        return self._m("__getattribute__", "real")

    @property
    def imag(self):
        return self._m("__getattribute__", "imag")

    @property
    def shape(self):
        return _ndarray.shape.__get__(self)

    @shape.setter
    def shape(self, value):
        # ``v = a.view(); v.shape = s`` (ember's reshape): the view becomes a new value, a reshape of the old
        rec = current()
        if rec is None:
            _ndarray.shape.__set__(self, value)
            return
        rec.set_shape(self, value)

    @property
    def strides(self):
        return _ndarray.strides.__get__(self)

    @strides.setter
    def strides(self, value):
        rec = current()
        if rec is not None:
            rec.broke("an array's strides set in place", user_site())
        _ndarray.strides.__set__(self, value)

    @property
    def base(self):
        # what eager code sees: the twin's base (the engine compares owners of gradient memory)
        return self._p.base if isinstance(self._p, _ndarray) else None

    @property
    def flat(self):
        return iter(self.ravel())


_METHOD_VIEWS = {"reshape", "transpose", "swapaxes", "squeeze", "ravel", "view", "diagonal", "__getitem__",
                 "__getattribute__"}
_METHOD_WRITES = {"__setitem__", "fill", "sort", "put"}


def _plain(x):
    """``x`` with every Traced replaced by its twin (for calls made outside a recording)."""
    if type(x) is Traced:
        return x._p
    if type(x) in (tuple, list):
        return type(x)(_plain(e) for e in x)
    if type(x) is dict:
        return {k: _plain(e) for k, e in x.items()}
    return x


def _plain_call(fn, args, kwargs):
    return fn(*_plain(args), **_plain(kwargs))


def _concrete(a, fn, check=None, what=None):
    """``fn`` of the twin; during a recording, a check (bool, int) or a break (anything else)."""
    rec = current()
    value = fn(a._p)
    if rec is not None:
        if check is None:
            check = fn in (bool, int, operator.index)
        if check:
            rec.check(a, fn, value)
        else:
            rec.broke(f"a tensor's value used in Python ({what or fn.__name__ + '()'})", user_site(3))
    return value


# =====================================================================================================
# The recording
# =====================================================================================================

_METADATA_FUNCS = {np.shape, np.ndim, np.size, np.result_type, np.may_share_memory, np.shares_memory,
                   np.iscomplexobj, np.isrealobj, np.can_cast, np.min_scalar_type}


class Recording:
    """The trace being written while one call of the step runs eagerly."""

    def __init__(self, keep_sites: bool = False):
        self.vals: list[Val] = []
        self.ops: list[Op] = []
        self.breaks: list[tuple[str, str]] = []
        self.suspended = 0
        self.fullgraph = False
        self.keep_sites = keep_sites
        self.by_twin: dict[int, int] = {}      # id(twin) -> value number (twins are kept alive in vals)
        self.owners: dict[int, object] = {}    # id(owner) -> owner: the memory the trace touches, kept alive
        self.traced: dict[int, Traced] = {}    # id(plain external array) -> its Traced stand-in
        self.inputs: list[int] = []            # value numbers of the "in" values, in order of first use
        self.const_owners: set = set()         # storages of constants (snapshot or by reference)
        self.live_written: set = set()

    # -- values ---------------------------------------------------------------------------------------------
    def value(self, twin, kind: str, producer: int = -1, view_of: int | None = None) -> Traced:
        """Register ``twin`` (an ndarray; NumPy scalars become 0-d arrays) as a new value."""
        if not isinstance(twin, _ndarray):
            twin = _orig_asarray(twin)
        owner = _owner(twin)
        self.owners[id(owner)] = owner
        v = len(self.vals)
        view = view_of is not None and id(owner) == self.vals[view_of].storage
        self.vals.append(Val(kind, twin.shape, twin.dtype, twin.strides, id(owner), producer, view, twin))
        self.by_twin[id(twin)] = v
        t = twin.view(Traced)
        t._v, t._p = v, twin
        return t

    def external(self, arr) -> Traced:
        """The Traced stand-in of an array that existed before the step (a tensor's data, a constant table)."""
        t = self.traced.get(id(arr))
        if t is None:
            t = self.traced[id(arr)] = self.value(arr, "in")
            self.inputs.append(t._v)
        return t

    def const(self, arr) -> Traced:
        """A plain array met inside the step (made by NumPy from Python data, or a module's table)."""
        t = self.traced.get(id(arr))
        if t is None:
            t = self.traced[id(arr)] = self.value(arr, "const")
            self.const_owners.add(self.vals[t._v].storage)
        return t

    # -- breaks and checks -------------------------------------------------------------------------------
    def broke(self, reason: str, site: str) -> None:
        self.breaks.append((reason, site))
        if self.fullgraph:
            raise Break(f"{reason}, at {site}")

    def check(self, a: Traced, fn, value) -> None:
        self.ops.append(Op("check", fn, (Ref(a._v),), {}, expect=value, site=self._site(), name="check"))

    def _site(self) -> str:
        return user_site(3) if self.keep_sites else ""

    # -- arguments: traced values become Refs, plain arrays constants ------------------------------------------
    def _template(self, x, reads: list):
        tx = type(x)
        if tx is Obj:
            return x, x.obj
        if tx is Traced:
            if x._v < 0:
                self.broke("an array derived from a traced one by an untraced NumPy path is used", user_site(4))
                return x._p, x._p
            if x._v >= len(self.vals) or self.vals[x._v].twin is not x._p:
                # a tracing array of an earlier recording, kept in a cache (a kernel's table of ones made while
                # that recording ran): its number means nothing here; it is its eager array
                return self._template(x._p, reads)
            reads.append(x._v)
            return Ref(x._v), x._p
        if tx is tuple or tx is list:
            pairs = [self._template(e, reads) for e in x]
            return tx(p[0] for p in pairs), tx(p[1] for p in pairs)
        if tx is dict:
            pairs = {k: self._template(e, reads) for k, e in x.items()}
            return {k: p[0] for k, p in pairs.items()}, {k: p[1] for k, p in pairs.items()}
        if isinstance(x, _ndarray):
            if isinstance(x, Traced):  # a subclass of ours? not made here
                self.broke("an unknown subclass of the tracing array", user_site(4))
            if id(_owner(x)) in self.owners and id(x) not in self.traced:
                known = self.by_twin.get(id(x))
                if known is not None:  # a twin escaped (np.asarray of a traced array before the patches)
                    reads.append(known)
                    return Ref(known), x
                self.broke("a plain array aliasing traced memory (a view made outside the trace)", user_site(4))
                return x, x
            t = self.const(x)
            reads.append(t._v)
            return Ref(t._v), x
        return x, x

    # -- recording a call ----------------------------------------------------------------------------------------
    def ufunc(self, ufunc, method, inputs, kwargs):
        fn = ufunc if method == "__call__" else getattr(ufunc, method)
        out = kwargs.get("out")
        writes = []
        if out is not None:
            outs = out if type(out) is tuple else (out,)
            for o in outs:
                if type(o) is Traced:
                    writes.append(o._v)
                elif isinstance(o, _ndarray):  # a plain array written by a traced call: trace it from here
                    t = self.const(o) if id(_owner(o)) not in self.owners else None
                    if t is None:
                        self.broke("a ufunc writing into a plain view of traced memory", user_site(3))
                        return _plain_call(fn, inputs, kwargs)
                    writes.append(t._v)
            kwargs = dict(kwargs)
            kwargs["out"] = tuple(self.traced[id(o)] if type(o) is not Traced and id(o) in self.traced else o
                                  for o in outs)
        if method == "at":
            writes.append(inputs[0]._v if type(inputs[0]) is Traced else self.const(inputs[0])._v)
            if type(inputs[0]) is not Traced:
                inputs = (self.traced[id(inputs[0])],) + tuple(inputs[1:])
        return self._record("ufunc", fn, tuple(inputs), kwargs, writes, name=_fn_name(fn))

    def call(self, kind, fn, args, kwargs):
        writes = []
        if kind == "method":
            name = fn
            if name in _METHOD_WRITES:
                writes.append(args[0]._v)
        else:
            name = _fn_name(fn)
            if fn is np.copyto:
                dst = args[0] if args else kwargs["dst"]
                if type(dst) is not Traced:
                    self.broke("np.copyto into a plain array", user_site(3))
                    return _plain_call(fn, args, kwargs)
                writes.append(dst._v)
            elif "out" in kwargs and kwargs["out"] is not None:
                o = kwargs["out"]
                if type(o) is not Traced:
                    self.broke(f"{name}(out=) into a plain array", user_site(3))
                    return _plain_call(fn, args, kwargs)
                writes.append(o._v)
        return self._record(kind, fn, args, kwargs, writes, name=name)

    def _record(self, kind, fn, args, kwargs, writes, name):
        reads: list = []
        targs, pargs = self._template(args, reads)
        tkw, pkw = self._template(kwargs, reads)
        self.suspended += 1  # NumPy's own Python (np.broadcast_to calls np.array) runs untraced
        try:
            if kind == "method":
                result = getattr(pargs[0], fn)(*pargs[1:], **pkw)
            else:
                result = fn(*pargs, **pkw)
        finally:
            self.suspended -= 1
        op = Op(kind, fn, targs, tkw, writes=tuple(writes), site=self._site(), name=name)
        index = len(self.ops)
        self.ops.append(op)
        if kind == "func" and fn in _METADATA_FUNCS:
            op.kind = "meta"
            return result
        source = reads[0] if reads else None
        tree = self._results(result, index, source, op)
        if tree is _NOT_ARRAY:
            if isinstance(result, (bool, int, np.bool_, np.integer)) and reads:
                op.kind, op.expect = "check", result  # a data-dependent Python answer: checked at replay
                op.fn, op.args, op.kwargs = _CallCheck(fn, kind), (targs, tkw), {}
                return result
            if result is None:
                return None
            if reads:
                self.broke(f"{name} returned {type(result).__name__}, not an array", user_site(4))
            return result
        op.out_tree = tree
        return self._rebuild(tree, result)

    def _results(self, result, index, source, op):
        """The value numbers of what a call returned, as a tree (Ref leaves) matching the result's structure."""
        if isinstance(result, (_ndarray, np.generic)):
            if op.writes and isinstance(result, _ndarray) and self.by_twin.get(id(result)) in op.writes:
                return Ref(self.by_twin[id(result)])  # out= given: the result is the written array itself
            known = self.by_twin.get(id(result)) if isinstance(result, _ndarray) else None
            if known is not None:  # a call returning one of its inputs as it is (np.asarray, astype(copy=False))
                return Ref(known)
            t = self.value(result, "op", index, view_of=source)
            op.outs.append(t._v)
            return Ref(t._v)
        if type(result) in (tuple, list) or (isinstance(result, tuple) and hasattr(result, "_fields")):
            items = [self._results(r, index, source, op) for r in result]
            if any(i is _NOT_ARRAY for i in items):
                return _NOT_ARRAY
            return (type(result), items)
        return _NOT_ARRAY

    def _rebuild(self, tree, result):
        if type(tree) is Ref:
            v = tree.v
            return self.traced_of(v)
        cls, items = tree
        vals = [self._rebuild(i, r) for i, r in zip(items, result)]
        return cls(*vals) if hasattr(cls, "_fields") else cls(vals)

    def traced_of(self, v: int) -> Traced:
        twin = self.vals[v].twin
        t = twin.view(Traced)
        t._v, t._p = v, twin
        return t

    def set_shape(self, a: Traced, shape) -> None:
        twin = a._p.view()
        twin.shape = shape  # raises as eager would (a copy would be needed)
        self.suspended += 1  # NumPy makes a temporary view of ``a`` to set its shape
        try:
            _ndarray.shape.__set__(a, shape)
        finally:
            self.suspended -= 1
        op = Op("method", "reshape", (Ref(a._v), tuple(twin.shape)), {}, site=self._site(), name="reshape")
        index = len(self.ops)
        self.ops.append(op)
        v = self.value(twin, "op", index, view_of=a._v)._v
        op.outs.append(v)
        op.out_tree = Ref(v)
        a._v, a._p = v, twin

    # -- live calls ---------------------------------------------------------------------------------------------
    def live(self, fn, args, kwargs, name, writes_args=False):
        """``fn(*args, **kwargs)`` run as it is (not traced inside) and replayed as one call."""
        reads: list = []
        targs, pargs = self._template(args, reads)
        tkw, pkw = self._template(kwargs, reads)
        self.suspended += 1
        try:
            result = fn(*pargs, **pkw)
        finally:
            self.suspended -= 1
        op = Op("live", fn, targs, tkw, writes=tuple(reads) if writes_args else (), site=self._site(), name=name)
        index = len(self.ops)
        self.ops.append(op)
        for orig, passed in zip(args, pargs):  # entries a live call added to a dict it was given (first step state)
            if type(orig) is dict and type(passed) is dict and len(passed) != len(orig):
                for k, a in passed.items():
                    if k not in orig:
                        orig[k] = self.value(a, "live", index) if isinstance(a, _ndarray) else a
        if result is None:
            return None
        tree = self._results(result, index, None, op)
        if tree is _NOT_ARRAY:
            self.broke(f"{name} returned {type(result).__name__}", user_site(3))
            return result
        for v in op.outs:
            self.vals[v].kind = "live"
        op.out_tree = tree
        return self._rebuild(tree, result)

    def create(self, fn, args, kwargs, name):
        """An array NumPy makes from Python data (np.zeros, np.array([1, 2]), np.arange): a constant of the
        trace, made again at replay if the step writes into it."""
        reads: list = []
        targs, pargs = self._template(args, reads)
        tkw, pkw = self._template(kwargs, reads)
        if reads:  # built from traced values (np.array([a, b]) of 0-d arrays): an ordinary op
            return self._record("func", fn, args, kwargs, [], name)
        self.suspended += 1
        try:
            result = fn(*pargs, **pkw)
        finally:
            self.suspended -= 1
        if not isinstance(result, _ndarray):
            return result
        op = Op("create", fn, targs, tkw, site=self._site(), name=name)
        index = len(self.ops)
        self.ops.append(op)
        t = self.value(result, "const", index)
        op.outs.append(t._v)
        op.out_tree = Ref(t._v)
        op.expect = result.copy()  # the value to start from at every replay
        self.const_owners.add(self.vals[t._v].storage)
        return t


class _CallCheck:
    """A check on a NumPy call that answered with a Python bool or int (``np.array_equal``)."""

    def __init__(self, fn, kind):
        self.fn, self.kind = fn, kind

    def __call__(self, args, kwargs):
        if self.kind == "method":
            return getattr(args[0], self.fn)(*args[1:], **kwargs)
        return self.fn(*args, **kwargs)


_NOT_ARRAY = object()


def _fn_name(fn) -> str:
    name = getattr(fn, "__name__", None)
    if name is None:  # a ufunc method: np.add.reduce
        self_ = getattr(fn, "__self__", None)
        name = f"{getattr(self_, '__name__', '?')}.{getattr(fn, '__name__', '?')}"
    mod = getattr(fn, "__module__", None) or ""
    if isinstance(fn, np.ufunc):
        return f"np.{fn.__name__}"
    if getattr(fn, "__self__", None) is not None and isinstance(fn.__self__, np.ufunc):
        return f"np.{fn.__self__.__name__}.{fn.__name__}"
    if mod.startswith("numpy"):
        return "np." + (("linalg." if "linalg" in mod else "") + name)
    return name
