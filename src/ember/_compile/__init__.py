"""``ember.compile``: record a whole step once, replay it as a flat NumPy program.

How it works, in three parts (docs/compile.md tells it at length):

* :mod:`.world` walks what the step can reach before it runs (modules, optimizers, tensors, closure cells,
  globals) and turns every edge it crosses into a guard;
* :mod:`.trace` runs the step eagerly once with every array swapped for a tracing array, and writes down each
  NumPy call it makes: the *trace*;
* :mod:`.program` keeps the calls that matter, gives their results buffers allocated once, and writes one
  Python function: guards, calls with ``out=``, commits (new ``.grad`` tensors), results.

Later calls run that function when the guards hold. When they do not, the step is recorded again (up to
``cache_size_limit`` programs per function, as ``torch._dynamo.config``), then runs eagerly. What a trace
cannot hold (a tensor's value turned into a Python float, printing, an unknown tensor read) makes that call
eager, and :meth:`Compiled.explain` says what and where; ``fullgraph=True`` raises there instead.
"""

from __future__ import annotations

import builtins
import threading
import types
import weakref

import numpy as np

from .._core.node import Node
from .._core.tensor import Tensor
from ..kernels import rng
from ..nn import _functional_spatial as spatial
from ..nn.modules.module import Module
from . import trace as T
from .program import MISS, CompiledFunctionBackward, Diverged, Program, Unsupported, _refs
from .world import World

__all__ = ["compile", "Compiled", "explain", "reset", "config", "Unsupported", "CompiledFunctionBackward",
           "is_compiling", "ExplainOutput"]


class _Config:
    """``torch._dynamo.config``'s knobs ember's compiler reads."""

    cache_size_limit = 8       # programs kept per compiled function
    recompile_limit = 8        # PyTorch's newer name for the same limit
    verify = False             # replay once beside eager and compare (a debugging aid; see Compiled.verify)
    keep_sites = False         # note the user's line of every recorded op (explain() shows them)


config = _Config()
_all: weakref.WeakSet = weakref.WeakSet()
_lock = threading.RLock()
_installed = [0]
_compiling = threading.local()


def is_compiling() -> bool:
    """True while a step is being recorded in this thread."""
    return T.current() is not None


# =====================================================================================================
# The functions NumPy does not dispatch, and the live calls: wrapped while a recording runs (any thread's)
# =====================================================================================================

def _creation(orig, name):
    def wrapper(*args, **kwargs):
        rec = T.current()
        if rec is None:
            return orig(*args, **kwargs)
        return rec.create(orig, args, kwargs, name)
    wrapper.__wrapped__ = orig
    return wrapper


def _conversion(orig, name):
    def wrapper(a=None, *args, **kwargs):
        rec = T.current()
        if rec is None:
            return orig(a, *args, **kwargs)
        if isinstance(a, np.ndarray) and type(a) is not T.Traced:
            a = rec.by_twin.get(id(a)) is not None and rec.traced_of(rec.by_twin[id(a)]) or rec.const(a)
        if type(a) is T.Traced or _has_traced(a):
            return rec.call("func", orig, (a,) + args, kwargs)
        return rec.create(orig, (a,) + args, kwargs, name)
    wrapper.__wrapped__ = orig
    return wrapper


def _strided(orig):
    def wrapper(x, *args, **kwargs):
        rec = T.current()
        if rec is None:
            return orig(x, *args, **kwargs)
        if type(x) is not T.Traced:
            x = rec.const(np.asarray.__wrapped__(x) if hasattr(np.asarray, "__wrapped__") else x)
        return rec.call("func", orig, (x,) + args, kwargs)
    wrapper.__wrapped__ = orig
    return wrapper


def _has_traced(x) -> bool:
    if type(x) is T.Traced:
        return True
    if type(x) in (list, tuple):
        return any(_has_traced(e) for e in x)
    return False


def _live(orig, name, writes=False):
    def wrapper(*args, **kwargs):
        rec = T.current()
        if rec is None:
            return orig(*args, **kwargs)
        return rec.live(orig, args, kwargs, name, writes_args=writes)
    wrapper.__wrapped__ = orig
    return wrapper


def _print(*args, **kwargs):
    rec = T.current()
    if rec is not None:
        rec.broke("print() in the step", T.user_site(2))
    return _ORIG_PRINT(*args, **kwargs)


_ORIG_PRINT = builtins.print
_CREATION = ("zeros", "ones", "empty", "full", "arange", "eye", "identity")
_CONVERSION = ("asarray", "asanyarray", "array", "ascontiguousarray", "asfortranarray")
_GEN_LIVE = ("uniform", "normal", "exponential", "geometric", "cauchy", "log_normal", "randint", "random_",
             "randperm", "bernoulli", "multinomial", "manual_seed", "seed", "set_state", "get_state")
_saved_attrs: list = []


def _data_get(t):
    d = t.__dict__["_data"]
    if type(d) is not T.Traced:
        rec = T.current()
        if rec is not None and isinstance(d, np.ndarray):
            v = rec.by_twin.get(id(d))
            if v is not None:  # a tensor made around a value's eager array (a live call's result...)
                t.__dict__["_data"] = d = rec.traced_of(v)
            else:
                rec.broke("the step reads a tensor the compiler did not find among its arguments, closure and "
                          "globals (or the modules and optimizers they reach)", T.user_site(2))
    return d


def _data_set(t, value):
    t.__dict__["_data"] = value


def _release(node):
    rec = getattr(_compiling, "released", None)
    if rec is not None:
        rec.add(id(node))
    return _ORIG_RELEASE(node)


_ORIG_RELEASE = Node.release


def _install():
    """Wrap the undispatched NumPy functions, the generator's draws and ``Tensor._data`` (refcounted)."""
    with _lock:
        _installed[0] += 1
        if _installed[0] > 1:
            return
        targets = [(np, n, _creation(getattr(np, n), "np." + n)) for n in _CREATION]
        targets += [(np, n, _conversion(getattr(np, n), "np." + n)) for n in _CONVERSION]
        st = np.lib.stride_tricks
        targets += [(st, "as_strided", _strided(st.as_strided)), (spatial, "as_strided", _strided(st.as_strided))]
        targets += [(rng.Generator, n, _live(getattr(rng.Generator, n), "generator." + n)) for n in _GEN_LIVE]
        targets += [(builtins, "print", _print), (Tensor, "_data", property(_data_get, _data_set)),
                    (Node, "release", _release)]
        for obj, name, new in targets:
            _saved_attrs.append((obj, name, obj.__dict__.get(name, _ABSENT) if isinstance(obj, type)
                                 else getattr(obj, name)))
            setattr(obj, name, new)


_ABSENT = object()


def _uninstall():
    with _lock:
        _installed[0] -= 1
        if _installed[0]:
            return
        while _saved_attrs:
            obj, name, old = _saved_attrs.pop()
            if old is _ABSENT:
                delattr(obj, name)
            else:
                setattr(obj, name, old)


class _LoggedGroup(dict):
    """An optimizer's param group while a step is recorded: notes the keys traced code reads (only those are
    guarded; ``lr`` read inside the optimizer's live update is not, so a scheduler's change takes effect)."""

    def __init__(self, original):
        super().__init__(original)
        self.original = original
        self.read: set = set()

    def __getitem__(self, k):
        if T.current() is not None:
            self.read.add(k)
        return super().__getitem__(k)

    def get(self, k, default=None):
        if T.current() is not None:
            self.read.add(k)
        return super().get(k, default)


# =====================================================================================================
# The compiled function
# =====================================================================================================

class _Entry:
    """One recording: its program (None if it could not be made) and what was learnt."""

    def __init__(self):
        self.program: Program | None = None
        self.breaks: list = []
        self.reason: str | None = None
        self.hits = 0
        self.diverged = 0


class Compiled:
    """What ``ember.compile(fn)`` returns: call it as ``fn``. See the module docstring."""

    def __init__(self, fn, fullgraph=False, dynamic=None, backend="inductor", mode=None, options=None,
                 disable=False):
        self._fn = fn
        self.fullgraph = bool(fullgraph)
        self.dynamic, self.backend, self.mode = dynamic, backend, mode
        self.options = dict(options or {})
        self.disabled = bool(disable)
        self.entries: list[_Entry] = []
        self.recordings = 0
        self.replays = 0
        self.eager_calls = 0
        self._dead = None  # why the function now always runs eagerly
        self.__wrapped__ = fn
        _all.add(self)
        for a in ("__name__", "__qualname__", "__doc__", "__module__"):
            try:
                setattr(self, a, getattr(fn, a))
            except (AttributeError, TypeError):
                pass

    def __get__(self, obj, objtype=None):  # a compiled function in a class body binds like a function
        if obj is None:
            return self
        return types.MethodType(self, obj)

    def __call__(self, *args, **kwargs):
        if self.disabled or T.current() is not None:
            return self._fn(*args, **kwargs)
        for e in self.entries:
            p = e.program
            if p is None:
                continue
            try:
                r = p.run(args, kwargs)
            except Diverged:  # a check saw another value (before anything changed): try the next program
                e.diverged += 1
                continue
            if r is not MISS:
                e.hits += 1
                self.replays += 1
                return r
        if self._dead is not None or self.recordings >= _limit():
            self.eager_calls += 1
            if self._dead is None:
                self._dead = f"cache_size_limit ({_limit()}) reached"
            return self._fn(*args, **kwargs)
        return self._record(args, kwargs)

    # -- recording -------------------------------------------------------------------------------------------
    def _record(self, args, kwargs):
        self.recordings += 1
        entry = _Entry()
        world = World(self._fn, args, kwargs)
        rec = T.Recording(keep_sites=config.keep_sites or bool(self.options.get("keep_sites")))
        rec.fullgraph = self.fullgraph
        _install()
        swapped, groups, updates = [], [], []
        released: set = set()
        try:
            for t in world.tensors.values():
                d = t.__dict__.get("_data")
                if type(d) is T.Traced:  # left by an earlier recording
                    d = t.__dict__["_data"] = world.snapshots[id(t)][1]["_data"] = d._p
                if type(d) is np.ndarray:
                    t.__dict__["_data"] = rec.external(d)
                    swapped.append((t, d))
            for opt in world.optimizers:
                pg = opt.param_groups
                logged = [_LoggedGroup(g) for g in pg]
                groups.append((pg, list(pg), logged))
                pg[:] = logged
                upd = getattr(opt, "_update", None)
                if upd is not None and "_update" not in opt.__dict__:
                    opt._update = _live_update(upd, rec)
                    updates.append(opt)
            _compiling.released = released
            T._tls.rec = rec
            try:
                result = self._fn(*args, **kwargs)
            finally:
                T._tls.rec = None
                _compiling.released = None
        except BaseException:  # the step raised (or fullgraph broke): leave the world as eager would
            self._cleanup(rec, world, swapped, groups, updates)
            _uninstall()
            for t in world.tensors.values():
                _plainify(t.__dict__.get("_grad"))
            raise
        read_keys = self._cleanup(rec, world, swapped, groups, updates)
        _uninstall()
        try:
            result_tree, plain_result = self._result(rec, world, result, released)
            commits = self._commits(rec, world)
        except Unsupported as e:
            entry.reason = str(e)
            plain_result = _plainify(result)
            result_tree, commits = None, None
        entry.breaks = list(rec.breaks)
        if world.too_big:
            entry.reason = "the step reaches too many objects to guard"
        if rec.breaks and entry.reason is None:
            entry.reason = "graph break: " + rec.breaks[0][0] + ", at " + rec.breaks[0][1]
        if entry.reason is None:
            try:
                entry.program = self._program(rec, world, result_tree, commits, args, kwargs, read_keys)
            except Unsupported as e:
                entry.reason = str(e)
        if entry.reason is not None and self.fullgraph:
            raise Unsupported(entry.reason)
        for v in rec.vals:  # the recording lets go of eager's arrays
            v.twin = v.twin if entry.program is not None else None
        self.entries.append(entry)
        if len(self.entries) > _limit():
            self.entries.pop(0)
        return plain_result

    def _cleanup(self, rec, world, swapped, groups, updates):
        """Give every world tensor a plain array again; put back the optimizers' groups and update."""
        for t, d in swapped:
            if t.__dict__.get("_data") is rec.traced.get(id(d)):
                t.__dict__["_data"] = d
        for opt in world.optimizers:  # state the step made (first steps) holds eager's arrays, not traced ones
            for st in opt.state.values():
                if isinstance(st, dict):
                    for v in st.values():
                        if isinstance(v, Tensor) and id(v) not in world.tensors:
                            _plainify(v)
        read_keys = {}
        for pg, originals, logged in groups:
            for o, lg in zip(originals, logged):
                read_keys[id(o)] = set(lg.read)
                if dict(lg) != dict(o) or any(lg[k] is not o.get(k) for k in lg):
                    o.clear()
                    o.update(lg)
                    rec.breaks.append(("the step changes an optimizer's hyper-parameters", "optimizer.param_groups"))
            pg[:] = originals
        for opt in updates:
            del opt._update
        return read_keys

    def _commits(self, rec, world):
        """The changes to world tensors the replay must make again (new .grad, rebound .data, versions)."""
        changed, other = world.changes()
        commits = self._tensor_commits(rec, world, changed)
        for obj in list(other):
            changed_keys = _changed_primitives(world, obj)
            if changed_keys is not None:  # plain flags set in Python (a scheduler's optimizer._opt_called)
                other.remove(obj)
                commits += [("attr", obj, (k, obj.__dict__[k])) for k in changed_keys]
        for obj in other:
            if isinstance(obj, dict) and any(obj is o.state for o in world.optimizers):
                raise Unsupported("recorded, not kept: this call created optimizer state (the next call records "
                                  "again)")
            if isinstance(obj, dict) and any(obj is o.state.get(p) for o in world.optimizers for p in o.state):
                raise Unsupported("recorded, not kept: this call created optimizer state (the next call records "
                                  "again)")
            raise Unsupported(f"the step changes a {type(obj).__name__} in Python (not captured)")
        return commits

    def _tensor_commits(self, rec, world, changed):
        commits, problem = [], None
        for _, (t, diff, vc0) in changed.items():
            target = world.arg_tensors.get(id(t)) or t
            for key, new in diff.items():
                if key == "_grad":
                    if new is None:
                        commits.append(("grad", target, None))
                    elif id(new) in world.tensors:
                        commits.append(("grad", target, new))
                    else:
                        try:
                            commits.append(("grad", target, self._fresh(rec, world, new)))
                        except Unsupported as e:
                            problem = problem or str(e)
                            _plainify(new)
                elif key == "_data":
                    if type(new) is not T.Traced:
                        problem = problem or "the step rebinds a tensor's data to an untraced array"
                        continue
                    t.__dict__["_data"] = new._p
                    commits.append(("data", target, new._v))
                elif key == "_version_counter":
                    vc = t.__dict__.get("_version_counter")
                    commits.append(("bump", target, (vc[0] if vc else 0) - vc0))
                else:
                    problem = problem or f"the step changes {key} of a tensor"
        if problem:
            raise Unsupported(problem)
        return commits

    def _fresh(self, rec, world, t, released=None):
        """The template of a tensor made during the step (its data a traced value): replays make a new one."""
        d = t.__dict__
        data = d.get("_data")
        if type(data) is not T.Traced:
            raise Unsupported("a tensor the step makes holds an array that was not traced")
        attrs = {}
        for k, a in d.items():
            if k in ("_data",):
                continue
            if k == "grad_fn":
                continue
            if k == "_version_counter":  # a view shares its base's version counter: the replay's tensors share one too
                attrs[k] = ("vc", id(a), a[0]) if a is not None else None
                continue
            if isinstance(a, Tensor):
                attrs[k] = a if id(a) in world.tensors else self._fresh(rec, world, a)
                continue
            if not (a is None or isinstance(a, (bool, int, float, str))):
                raise Unsupported(f"a tensor the step makes has {k} = {type(a).__name__}")
            attrs[k] = a
        graph = False
        if t.grad_fn is not None:
            if released is not None and id(t.grad_fn) not in released:
                raise Unsupported("the step returns a tensor whose graph is still needed (backward outside the "
                                  "compiled function); compile the whole training step")
            graph = True
        d["_data"] = data._p
        return ("tensor", type(t), data._v, attrs, graph)

    def _result(self, rec, world, r, released):
        def walk(x):
            if isinstance(x, Tensor):
                if id(x) in world.tensors:
                    return ("obj", x), x
                return self._fresh(rec, world, x, released), x
            if type(x) in (tuple, list):
                items = [walk(e) for e in x]
                return (type(x).__name__, [i[0] for i in items]), type(x)(i[1] for i in items)
            if isinstance(x, tuple) and hasattr(x, "_fields"):
                items = [walk(e) for e in x]
                return ("namedtuple", [i[0] for i in items], type(x)), type(x)(*[i[1] for i in items])
            if type(x) is dict:
                items = [(k, walk(e)) for k, e in x.items()]
                return ("dict", [(k, i[0]) for k, i in items]), {k: i[1] for k, i in items}
            if isinstance(x, T.Traced):
                raise Unsupported("the step returns a NumPy array")
            if x is None or isinstance(x, (bool, int, float, str)) or not isinstance(x, np.ndarray):
                return ("obj", x), x
            raise Unsupported(f"the step returns a {type(x).__name__}")
        return walk(r)

    def _program(self, rec, world, result_tree, commits, args, kwargs, read_keys):
        code = world.code
        guard, exprs = [], {}
        for k, (expr, t) in enumerate(_arg_tensors(args, kwargs)):
            n = f"a{k}"
            d = t.__dict__["_data"]
            guard.append(f"{n} = {expr}")
            guard.append(f"if type({n}) is not {code.name(type(t))}: return MISS")
            guard.append(f"d{k} = {n}._data")
            guard.append(f"if d{k}.shape != {d.shape!r} or d{k}.dtype is not {code.name(d.dtype)} or "
                         f"d{k}.strides != {d.strides!r}: return MISS")
            start = world.snapshots[id(t)][1]  # the argument as it was when the step began
            guard.append(f"if {n}._requires_grad is not {bool(start.get('_requires_grad', False))} or {n}.grad_fn is not None: "
                         "return MISS")
            g = start.get("_grad")
            guard.append(f"if ({n}._grad is None) is not {g is None}: return MISS")
            exprs[id(d)] = f"d{k}"
            if start.get("grad_fn") is not None:
                raise Unsupported("an argument has a graph (its backward would run through the step)")
        used = {}
        inputs_read = set()
        for op in rec.ops:
            inputs_read.update(_refs_all(op))
        for t in world.tensors.values():
            d = t.__dict__.get("_data")
            st = rec.traced.get(id(d))
            if st is not None and st._v in inputs_read:
                used[id(t)] = d
        guard += world.guard_lines(code, used, read_keys)
        names = tuple(kwargs)
        prog = Program.__new__(Program)
        prog.guard_src = guard
        prog.arg_arrays = exprs
        Program.__init__(prog, rec, world, result_tree, commits, len(args), names)
        return prog

    # -- what users see -----------------------------------------------------------------------------------
    def explain(self) -> ExplainOutput:
        """What was recorded, replayed and why not (``torch._dynamo.explain``'s report, for this function)."""
        return ExplainOutput(self)

    def reset(self) -> None:
        """Forget every recording."""
        self.entries.clear()
        self.recordings = self.replays = self.eager_calls = 0
        self._dead = None

    @property
    def programs(self) -> list:
        return [e.program for e in self.entries if e.program is not None]

    def __repr__(self):
        return f"<ember.compile of {getattr(self._fn, '__qualname__', self._fn)!r}>"


def _live_update(upd, rec):
    def update(group, d, g, s):
        r = T.current()
        if r is None:
            return upd(group, d, g, s)
        original = group.original if isinstance(group, _LoggedGroup) else group
        return r.live(upd, (T.Obj(original), d, g, s), {}, "optimizer._update", writes_args=True)
    return update


def _changed_primitives(world, obj):
    """The keys of an object's ``__dict__`` the step set to plain values (None if anything else changed)."""
    if isinstance(obj, dict) or not hasattr(obj, "__dict__"):
        return None
    before, now = world.snapshots[id(obj)][1], obj.__dict__
    keys = []
    for k in set(before) | set(now):
        a, b = before.get(k, _ABSENT), now.get(k, _ABSENT)
        if a is b:
            continue
        if b is _ABSENT or not isinstance(b, (bool, int, float, str, type(None))):
            return None
        if a is not _ABSENT and isinstance(a, (bool, int, float, str)) and a == b and type(a) is type(b):
            continue
        keys.append(k)
    return keys


def _refs_all(op):
    return _refs(op.args, []) + _refs(op.kwargs, [])


def _arg_tensors(args, kwargs):
    out = []

    def walk(x, expr):
        if isinstance(x, Tensor):
            out.append((expr, x))
        elif type(x) in (tuple, list):
            for i, e in enumerate(x):
                walk(e, f"{expr}[{i}]")
    for i, a in enumerate(args):
        walk(a, f"args[{i}]")
    for k, a in kwargs.items():
        walk(a, f"kwargs[{k!r}]")
    return out


def _plainify(r):
    if isinstance(r, Tensor):
        d = r.__dict__.get("_data")
        if type(d) is T.Traced:
            r.__dict__["_data"] = d._p
        return r
    if type(r) in (tuple, list):
        for e in r:
            _plainify(e)
    if type(r) is dict:
        for e in r.values():
            _plainify(e)
    return r


def _limit() -> int:
    return min(config.cache_size_limit, config.recompile_limit)


class ExplainOutput:
    """``torch._dynamo.explain``'s report for a compiled function: recordings, replays, and the breaks."""

    def __init__(self, c: Compiled):
        self.graph_count = sum(1 for e in c.entries if e.program is not None)
        self.recordings, self.replays, self.eager_calls = c.recordings, c.replays, c.eager_calls
        self.break_reasons = [b for e in c.entries for b in e.breaks]
        self.graph_break_count = len(self.break_reasons)
        self.reasons = [e.reason for e in c.entries if e.reason]
        self.programs = c.programs
        self.ops_per_graph = [len(p.ops) for p in self.programs]

    def __str__(self):
        lines = [f"Graph Count: {self.graph_count}", f"Graph Break Count: {self.graph_break_count}",
                 f"Recordings: {self.recordings}, replays: {self.replays}, eager calls: {self.eager_calls}"]
        if self.break_reasons:
            lines.append("Break Reasons:")
            for i, (reason, site) in enumerate(self.break_reasons, 1):
                lines.append(f"  Break Reason {i}:\n    Reason: {reason}\n    User Stack: {site}")
        other = [r for r in self.reasons if not r.startswith("graph break")]
        if other:
            lines.append("Not kept:")
            lines += [f"  {r}" for r in other]
        for k, p in enumerate(self.programs):
            lines.append(f"Program {k}: " + ", ".join(f"{a} {b}" for a, b in p.stats.items()))
        return "\n".join(lines)

    __repr__ = __str__


def compile(model=None, *, fullgraph: bool = False, dynamic=None, backend="inductor", mode=None, options=None,
            disable: bool = False):
    """``torch.compile``: a function (or module) that records its first calls and replays them.

    Accepts PyTorch's arguments: ``fullgraph=True`` raises where a capture breaks; ``mode``, ``dynamic``,
    ``backend`` and ``options`` are accepted (ember has one backend: the NumPy replay); ``disable=True`` returns
    a wrapper that always runs eagerly. Without ``model``, a decorator.
    """
    if model is None:
        return lambda m: compile(m, fullgraph=fullgraph, dynamic=dynamic, backend=backend, mode=mode,
                                 options=options, disable=disable)
    if isinstance(model, Module):
        return _compile_module(model, fullgraph=fullgraph, dynamic=dynamic, backend=backend, mode=mode,
                               options=options, disable=disable)
    if not callable(model):
        raise RuntimeError("torch.compile: the argument must be callable")
    return Compiled(model, fullgraph=fullgraph, dynamic=dynamic, backend=backend, mode=mode, options=options,
                    disable=disable)


def _compile_module(m, **kw):
    """``torch.compile(module)``: an ``OptimizedModule`` whose forward is compiled."""

    class OptimizedModule(Module):
        def __init__(self, mod):
            super().__init__()
            self._orig_mod = mod
            self.__dict__["_compiled_forward"] = Compiled(mod.__call__, **kw)

        def forward(self, *args, **kwargs):
            return self.__dict__["_compiled_forward"](*args, **kwargs)

        def __getattr__(self, name):
            if name == "_orig_mod":
                return self._modules["_orig_mod"]
            return getattr(self._modules["_orig_mod"], name)

    return OptimizedModule(m)


def explain(fn, *extra_args, **extra_kwargs):
    """``torch._dynamo.explain(fn)(*args)``: run ``fn`` compiled once and say what was captured."""
    def run(*args, **kwargs):
        c = fn if isinstance(fn, Compiled) else Compiled(fn)
        c(*args, **kwargs)
        return c.explain()
    if extra_args or extra_kwargs:
        return run(*extra_args, **extra_kwargs)
    return run


def reset() -> None:
    """``torch.compiler.reset()``: every compiled function forgets its recordings."""
    for c in list(_all):
        c.reset()
