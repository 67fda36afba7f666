"""The world of a step: the Python objects it reads and changes besides its NumPy calls, found before it runs.

A trace holds NumPy calls only. What the step decides in Python (which modules run, which parameters exist,
whether a gradient is accumulated or stored, the hyper-parameters it reads) is fixed in it, so a replay is right
only while those objects are as they were when it was recorded. Before recording, :class:`World` walks what the
step can reach: its arguments, closure cells and globals (and those of functions and ``forward`` methods it
reaches), and from there modules (their parameters, buffers, submodules, hooks, plain attributes), optimizers
(groups, state), containers and plain objects. Every edge it crosses becomes a *guard*: a line of generated
Python checked before each replay (``o7.__dict__['_modules'] is o8``, ``o9['lr'] == 0.01``), in the manner of
``torch._dynamo``'s guards. A failed guard records the step again (or runs it eagerly).

The walk also names the *world tensors*. Their arrays are swapped for traced stand-ins while the step is
recorded (every array the trace reads from before the step is one of them, or an argument's), and their
``__dict__`` is compared afterwards: a new ``.grad``, a rebound ``.data`` or a bumped version counter become
*commits* the replay makes again; any other change to a tensor, module, optimizer or container is a Python side
effect the trace cannot make, and the step is not captured.
"""

from __future__ import annotations

import dis
import types
from collections import OrderedDict

import numpy as np

from .. import kernels as K
from .._core import dtype as D
from .._core import modes
from .._core.tensor import _DEFAULT_DEVICE, Tensor
from ..nn.modules import module as M
from ..nn.modules.module import Module
from ..optim import optimizer as O
from ..optim.optimizer import Optimizer

__all__ = ["World", "Code", "PRIMITIVES", "mode_key", "mode_guard"]

PRIMITIVES = (bool, int, float, complex, str, bytes, type(None), type(Ellipsis), slice, np.dtype, np.generic)
_MISSING = object()
_SKIP_MODULE_KEYS = frozenset({"_state_dict_hooks", "_state_dict_pre_hooks", "_load_state_dict_pre_hooks",
                               "_load_state_dict_post_hooks", "_non_persistent_buffers_set", "_compiled_call"})
_MAX_OBJECTS = 20000


def _is_primitive(x) -> bool:
    if isinstance(x, PRIMITIVES):
        return True
    if type(x) is tuple:
        return all(_is_primitive(e) for e in x)
    return False


def mode_key() -> tuple:
    """The global switches a trace depends on (grad mode, anomaly mode, the kernel set, default dtype...)."""
    return (modes.grad.enabled, modes.grad.inference, modes.anomaly.enabled, modes.forward.level is None,
            not modes.saved.hooks, K.current(), D._Defaults.float, _DEFAULT_DEVICE[0])


def mode_guard(code: Code) -> str:
    """``mode_key() != <now>`` written out (one attribute read per switch, no tuple)."""
    g, a, f, sv = (code.name(x, "s") for x in (modes.grad, modes.anomaly, modes.forward, modes.saved))
    return (f"{g}.enabled is not {modes.grad.enabled} or {g}.inference is not {modes.grad.inference} or "
            f"{a}.enabled is not {modes.anomaly.enabled} or {f}.level is not None or {sv}.hooks or "
            f"{code.name(K, 's')}._current != {K.current()!r} or "
            f"{code.name(D._Defaults, 's')}.float is not {code.name(D._Defaults.float)} or "
            f"{code.name(_DEFAULT_DEVICE, 's')}[0] is not {code.name(_DEFAULT_DEVICE[0])}")


class Code:
    """Generated Python: source lines and the namespace of the objects they name."""

    def __init__(self, prefix: str = "o"):
        self.ns: dict = {}
        self.names: dict[int, str] = {}
        self.lines: list[str] = []
        self.prefix = prefix

    def name(self, obj, hint: str | None = None) -> str:
        """The name ``obj`` has in the generated source: a word (``tanh``, ``float64``) when ``hint`` is one,
        else the one-letter ``hint`` (``o`` object, ``b`` buffer, ``c`` constant...) and a number."""
        k = id(obj)
        n = self.names.get(k)
        if n is None:
            if hint is None and isinstance(obj, (np.dtype, type)) and hasattr(obj, "__name__"):
                hint = obj.__name__
            elif hint is None and isinstance(obj, np.dtype):
                hint = obj.name
            if hint and len(hint) > 1 and hint.isidentifier():
                n = hint if hint not in self.ns else f"{hint}_{len(self.ns)}"
            else:
                n = f"{hint or self.prefix}{len(self.ns)}"
            self.names[k] = n
            self.ns[n] = obj
        return n

    def literal(self, x) -> str:
        """Python source for a primitive value (floats by repr, which reads back exactly)."""
        if x is None or x is True or x is False or type(x) in (int, str):
            return repr(x)
        if type(x) is float:
            return repr(x) if x == x and x not in (float("inf"), float("-inf")) else self.name(x, "k")
        if type(x) is tuple:
            return "(" + "".join(self.literal(e) + ", " for e in x) + ")"
        if x is Ellipsis:
            return "..."
        if type(x) is slice:
            return f"slice({self.literal(x.start)}, {self.literal(x.stop)}, {self.literal(x.step)})"
        if isinstance(x, np.dtype) or (isinstance(x, type) and issubclass(x, np.generic)):
            return self.name(x)  # float64
        return self.name(x, "k")


class World:
    """What a step reaches, found by walking from its function and arguments (see the module docstring)."""

    def __init__(self, fn, args: tuple, kwargs: dict):
        self.tensors: dict[int, Tensor] = {}         # world tensors, by id
        self.grad_tensors: set = set()               # ids of world tensors found as another's .grad
        self.arg_tensors: dict[int, str] = {}        # id -> expression of a tensor among the arguments
        self.objects: dict[int, object] = {}         # every object walked (kept alive while recording)
        self.edges: list[tuple] = []                 # (parent expression, accessor source, child or value, kind)
        self.snapshots: dict[int, tuple] = {}        # id -> (object, shallow copy of its state)
        self.optimizers: list = []
        self.modules: list = []
        self.groups: list = []                       # optimizer param groups (dicts), logged while recording
        self.too_big = False
        self.code = Code()
        self._seen_funcs: set = set()
        self._walk_args(args, kwargs)
        self._walk_function(fn)
        for mod, names in ((M, ("_global_forward_pre_hooks", "_global_forward_hooks", "_global_backward_hooks",
                                "_global_backward_pre_hooks")),
                           (O, ("_global_optimizer_pre_hooks", "_global_optimizer_post_hooks"))):
            for n in names:
                d = getattr(mod, n)
                self._container(d, self.code.name(d))

    # -- the walk --------------------------------------------------------------------------------------------
    def _walk_args(self, args, kwargs):
        for i, a in enumerate(args):
            self._arg(a, f"args[{i}]")
        for k, a in kwargs.items():
            self._arg(a, f"kwargs[{k!r}]")

    def _arg(self, a, expr):
        if isinstance(a, Tensor):
            self.arg_tensors[id(a)] = expr
            self.objects[id(a)] = a
            self._tensor(a)
        elif type(a) in (tuple, list):
            for i, e in enumerate(a):
                self._arg(e, f"{expr}[{i}]")
        else:
            self._visit(a, None, None)

    def _walk_function(self, fn, depth: int = 0):
        if id(fn) in self._seen_funcs or depth > 4:
            return
        self._seen_funcs.add(id(fn))
        self.objects[id(fn)] = fn
        if isinstance(fn, types.MethodType):
            self._visit(fn.__self__, None, None)
            fn = fn.__func__
        if not isinstance(fn, types.FunctionType):
            if hasattr(fn, "__dict__") and not isinstance(fn, type):
                self._visit(fn, None, None)
            return
        if (fn.__module__ or "").startswith(("ember.", "numpy")) and depth:
            return  # ember's own functions do not change between calls
        c = self.code
        if fn.__closure__:
            for _name, cell in zip(fn.__code__.co_freevars, fn.__closure__):
                try:
                    value = cell.cell_contents
                except ValueError:
                    continue
                self._edge(c.name(cell), ".cell_contents", value)
        g = fn.__globals__
        gname = c.name(g, "g")
        for name in dict.fromkeys(_names(fn.__code__)):
            value = g.get(name, _MISSING)
            if value is _MISSING or isinstance(value, (types.ModuleType, type)):
                continue
            self._edge(gname, f".get({name!r})", value)
        for f in _callees(fn):
            self._walk_function(f, depth + 1)

    def _edge(self, parent: str, accessor: str, value):
        """Guard ``parent + accessor`` (is the object / == the value) and walk into it."""
        if _is_primitive(value):
            self.edges.append((parent, accessor, value, "=="))
            return
        if isinstance(value, (types.ModuleType, types.BuiltinFunctionType, type)):
            return
        if isinstance(value, Tensor):
            self.edges.append((parent, accessor, value, "is"))
            self._tensor(value)
            return
        self.edges.append((parent, accessor, value, "is"))
        self._visit(value, parent, accessor)

    def _visit(self, obj, parent, accessor):
        if id(obj) in self.objects and not isinstance(obj, types.FunctionType):
            return
        if len(self.objects) > _MAX_OBJECTS:
            self.too_big = True
            return
        self.objects[id(obj)] = obj
        if isinstance(obj, Tensor):
            self._tensor(obj)
        elif isinstance(obj, Module):
            self._module(obj)
        elif isinstance(obj, Optimizer):
            self._optimizer(obj)
        elif isinstance(obj, (dict, list, tuple)):
            self._container(obj, self.code.name(obj))
        elif isinstance(obj, (types.FunctionType, types.MethodType)):
            self._walk_function(obj, 1)
        elif isinstance(obj, (set, frozenset, types.BuiltinFunctionType, types.ModuleType, type)) or \
                type(obj).__name__ == "Compiled":
            return
        elif hasattr(obj, "__dict__") and type(obj).__module__ not in ("builtins",):
            d = obj.__dict__
            if isinstance(d, dict) and not type(obj).__module__.startswith(("ember.kernels", "numpy")):
                self._object_dict(obj, d)

    def _object_dict(self, obj, d, skip=frozenset()):
        name = self.code.name(obj)
        self.snapshots[id(obj)] = (obj, dict(d))
        for k, v in list(d.items()):
            if k in skip:
                continue
            acc = f".__dict__.get({k!r})"
            if type(v) in (dict, OrderedDict) and not v:
                self.edges.append((name, f".__dict__[{k!r}]", None, "empty"))
                continue
            self._edge(name, acc, v)

    def _container(self, obj, name):
        if isinstance(obj, dict):
            self.snapshots[id(obj)] = (obj, dict(obj))
            self.edges.append((name, "", len(obj), "len"))
            for k, v in list(obj.items()):
                if isinstance(k, (str, int)):
                    self._edge(name, f".get({k!r})", v)
                else:
                    kn = self.code.name(k)
                    self._edge(name, f".get({kn})", v)
        else:
            self.snapshots[id(obj)] = (obj, list(obj))
            self.edges.append((name, "", len(obj), "len"))
            for i, v in enumerate(obj):
                self._edge(name, f"[{i}]", v)

    def _tensor(self, t):
        if id(t) in self.tensors:
            return
        self.tensors[id(t)] = t
        self.objects[id(t)] = t
        d = t.__dict__
        vc = d.get("_version_counter")
        self.snapshots[id(t)] = (t, dict(d), vc[0] if vc is not None else 0)
        g = d.get("_grad")
        if g is not None:
            self.grad_tensors.add(id(g))
            self._tensor(g)

    def _module(self, m):
        self.modules.append(m)
        self._object_dict(m, m.__dict__, _SKIP_MODULE_KEYS)
        forward = type(m).forward
        if isinstance(forward, types.FunctionType):
            self._walk_function(forward, 1)

    def _optimizer(self, opt):
        self.optimizers.append(opt)
        name = self.code.name(opt)
        d = opt.__dict__
        self.snapshots[id(opt)] = (opt, dict(d))
        for k in ("_optimizer_step_pre_hooks", "_optimizer_step_post_hooks"):
            self._edge(name, f".__dict__.get({k!r})", d.get(k))
        groups = d["param_groups"]
        self._edge(name, ".__dict__.get('param_groups')", groups)
        self.groups.extend(groups)
        state = d["state"]
        sname = self.code.name(state)
        self.edges.append((name, ".__dict__.get('state')", state, "is"))
        self.snapshots[id(state)] = (state, dict(state))
        for g in groups:
            for p in g["params"]:
                st = state.get(p, None)
                pn = self.code.name(p)
                if st is None:
                    self.edges.append((sname, f".get({pn})", None, "is"))
                else:
                    self.edges.append((sname, f".get({pn})", st, "is"))
                    self.objects[id(st)] = st
                    self._container(st, self.code.name(st))

    # -- the guards --------------------------------------------------------------------------------------------
    def guard_lines(self, code: Code, used: dict, group_keys: dict) -> list[str]:
        """Source lines that ``return MISS`` when the world is not as it was: the edges walked, and for world
        tensors their flags and (``used``: id -> array) the identity of the arrays the trace reads. The edges
        of one object become one ``if`` (its ``__dict__`` read once)."""
        group_ids = {id(g) for g in self.groups}
        terms: dict[str, list[str]] = {}
        order: list[str] = []
        for parent, acc, value, kind in self.edges:
            obj = self.code.ns.get(parent)
            if obj is not None and id(obj) in group_ids and acc.startswith(".get("):
                key = acc[6:-2]
                if key not in group_keys.get(id(obj), ()) and key != "params":
                    continue  # a hyper-parameter only live calls read (lr, betas...): not guarded
            if acc.startswith(".__dict__"):
                base, acc = parent + ".__dict__", acc[len(".__dict__"):]
            else:
                base = parent
            if base not in terms:
                terms[base] = []
                order.append(base)
            x = "D" + acc
            if kind == "==":
                lit = code.literal(value)
                if value is None or type(value) is bool:
                    terms[base].append(f"{x} is not {lit}")
                elif type(value) in (int, float):
                    terms[base].append(f"{x} != {lit} or type({x}) is not {type(value).__name__}")
                else:
                    terms[base].append(f"{x} != {lit}")
            elif kind == "is":
                terms[base].append(f"{x} is not {code.name(value) if value is not None else 'None'}")
            elif kind == "len":
                terms[base].append(f"len(D) != {value}")
            elif kind == "empty":
                terms[base].append(f"{x}")
        lines = []
        for base in order:
            lines.append(f"D = {base}")
            lines.append(f"if {' or '.join(terms[base])}: return MISS")
        for t in self.tensors.values():
            if id(t) in self.arg_tensors or (id(t) in self.grad_tensors and id(t) not in used):
                continue  # arguments are checked apart; a .grad the step does not read is no concern
            n = code.name(t)
            d = self.snapshots[id(t)][1]  # as the tensor was when the step began
            rg, fn = d.get("_requires_grad", False), d.get("grad_fn")
            checks = [f"D.get('_requires_grad', False) is not {bool(rg)}",
                      f"D.get('grad_fn') is not {code.name(fn) if fn is not None else 'None'}"]
            if id(t) in used:
                checks.append(f"D['_data'] is not {code.name(used[id(t)])}")
            g = d.get("_grad")
            if g is None:
                checks.append("D.get('_grad') is not None")
            elif id(g) in used:
                checks.append(f"D.get('_grad') is not {code.name(g)}")
            else:
                checks.append("D.get('_grad') is None")
            lines.append(f"D = {n}.__dict__")
            lines.append(f"if {' or '.join(checks)}: return MISS")
        return lines

    # -- after the recording: what changed ---------------------------------------------------------------------
    def changes(self):
        """``(tensor_changes, other)``: per world tensor the keys of its ``__dict__`` that changed (with the new
        values), and a list of descriptions of any other object that changed."""
        tensor_changes, other = {}, []
        for k, snap in self.snapshots.items():
            obj = snap[0]
            if isinstance(obj, Tensor):
                before, vc0 = snap[1], snap[2]
                now = obj.__dict__
                diff = {}
                for key in set(before) | set(now):
                    a, b = before.get(key, _MISSING), now.get(key, _MISSING)
                    if a is not b:
                        diff[key] = b
                vc = now.get("_version_counter")
                if vc is not None and (vc[0] if vc else 0) != vc0 and "_version_counter" not in diff:
                    diff["_version_counter"] = vc
                if diff:
                    tensor_changes[k] = (obj, diff, vc0)
                continue
            before = snap[1]
            if isinstance(before, dict):
                now = obj if isinstance(obj, dict) else obj.__dict__
                if len(now) != len(before) or any(now.get(key, _MISSING) is not v and not
                                                   (_is_primitive(v) and now.get(key, _MISSING) == v)
                                                   for key, v in before.items()):
                    other.append(obj)
            elif isinstance(before, list):
                if len(obj) != len(before) or any(a is not b for a, b in zip(obj, before)):
                    other.append(obj)
        return tensor_changes, other


def _names(code) -> list:
    """Global names a code object (and the code objects nested in it: lambdas, comprehensions) loads
    (``co_names`` also holds attribute names, so the instructions are read)."""
    out = [i.argval for i in dis.get_instructions(code) if i.opname in ("LOAD_GLOBAL", "LOAD_NAME")]
    for c in code.co_consts:
        if isinstance(c, types.CodeType):
            out.extend(_names(c))
    return out


def _callees(fn) -> list:
    """Functions reachable from ``fn``'s closure and globals (walked for their own cells and globals)."""
    out = []
    if fn.__closure__:
        for cell in fn.__closure__:
            try:
                v = cell.cell_contents
            except ValueError:
                continue
            if isinstance(v, types.FunctionType):
                out.append(v)
    for name in _names(fn.__code__):
        v = fn.__globals__.get(name)
        if isinstance(v, types.FunctionType) and not (v.__module__ or "").startswith(("ember.", "numpy")):
            out.append(v)
    return out
