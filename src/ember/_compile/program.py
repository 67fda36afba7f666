"""From a trace to a program: one generated Python function that checks the guards, runs the NumPy calls over
buffers allocated once, makes the commits and returns the step's results.

The passes, in order:

1. **Keep what matters** (dead-code elimination): a call stays if it writes memory the step began with (a
   parameter, a gradient being accumulated, optimizer state), is a live call (a random draw, an optimizer
   update) or a check, or makes a value a kept call, a commit or a result needs. Everything else eager did
   (the graph bookkeeping's arrays, shapes computed for errors never raised) is gone.
2. **Place every value**: arrays the step began with are named constants (their identity is guarded); constants
   are hoisted; a value made by a call that can write into a given array (a ufunc, matmul, a reduction, a
   copy or a cast, ``concatenate``) gets a buffer allocated now, and the call is written with ``out=``; buffers
   are shared by values whose lives do not overlap, and an elementwise ufunc whose input dies there writes in
   place of it (the fusion NumPy allows: the chain runs in one buffer, hot in cache). A view of a buffer or of
   a guarded array is computed once, here. Values that leave the step (results, new ``.grad`` tensors) are
   allocated afresh at every call, so nothing a caller holds is overwritten by the next replay.
3. **Write the source**: guards, then the calls in their recorded order, then the commits and the results.
   Python numbers given to ufuncs become 0-d arrays of the dtype NumPy would cast them to (same numbers,
   half the call overhead).
"""

from __future__ import annotations

import statistics
import time

import numpy as np

from .._core.node import FREED, Node
from .._core.tensor import _new
from ..ops.unary import _QUIET, _errstate_var
from ..optim.sgd import SGD
from .trace import Obj, Op, Recording, Ref, Unsupported
from .world import World, mode_guard, mode_key

__all__ = ["Program", "Unsupported", "Diverged", "CompiledFunctionBackward", "MISS"]

MISS = object()


class Diverged(Exception):  # noqa: N818
    """A check failed during a replay (a value-dependent branch went the other way): run eagerly."""


class CompiledFunctionBackward(Node):
    """The ``grad_fn`` of a tensor a replayed step returns: its graph was used (and freed) inside the step."""

    _saved = FREED

    def backward(self, grad):
        self.saved_values()  # raises PyTorch's "backward through the graph a second time"


_OUT_UFUNC_METHODS = {"reduce", "accumulate", "outer", "reduceat"}
_VIEW_FUNCS = {np.reshape, np.transpose, np.swapaxes, np.squeeze, np.expand_dims, np.broadcast_to, np.moveaxis,
               np.ravel, np.atleast_1d, np.atleast_2d, np.diagonal, np.lib.stride_tricks.as_strided}
_VIEW_METHODS = {"reshape", "transpose", "swapaxes", "squeeze", "ravel", "view", "diagonal", "__getitem__",
                 "__getattribute__"}
_DATA_SHAPE_FUNCS = {np.nonzero, np.flatnonzero, np.argwhere, np.unique, np.compress, np.extract}


def _refs(x, out: list):
    if type(x) is Ref:
        out.append(x.v)
    elif type(x) in (tuple, list):
        for e in x:
            _refs(e, out)
    elif type(x) is dict:
        for e in x.values():
            _refs(e, out)
    return out


def _is_ufunc_call(op: Op) -> bool:
    return op.kind == "ufunc" and isinstance(op.fn, np.ufunc)


def _ufunc_method(op: Op):
    if op.kind != "ufunc" or isinstance(op.fn, np.ufunc):
        return None
    return op.fn.__name__


class Program:
    """A recorded step made into one generated function (see the module docstring)."""

    def __init__(self, rec: Recording, world: World, result, commits: list, n_args: int, kw_names: tuple,
                 keep_sites: bool = False):
        self.rec, self.world = rec, world
        self.vals, self.ops = rec.vals, rec.ops
        self.code = world.code
        self._lines: list[str] = []
        self._expr: dict[int, str] = {}
        self.buffer_names: set = set()
        self.source = ""
        self.stats: dict = {}
        self.update_guards: list = []  # guards the fused optimizer updates rely on (see _fused_update)
        self._build(result, commits, n_args, kw_names)

    # -- 1. what is kept -----------------------------------------------------------------------------------
    def _storage_of(self, v):
        return self.vals[v].storage

    def _keep(self, result_vals, commit_vals):
        vals, ops = self.vals, self.ops
        external = {vals[v].storage for v in self.rec.inputs}
        self.external = external
        needed = set(result_vals) | set(commit_vals)
        needed_storage = {vals[v].storage for v in needed}
        self.escaping = set(needed_storage)
        keep = [False] * len(ops)
        for i in range(len(ops) - 1, -1, -1):
            op = ops[i]
            reads = _refs(op.args, []) + _refs(op.kwargs, [])
            writes = {vals[v].storage for v in op.writes}
            k = op.kind in ("live", "check") or bool(writes & external) or bool(writes & needed_storage) \
                or any(v in needed for v in op.outs)
            if op.kind == "meta":
                k = False
            if k:
                keep[i] = True
                for v in reads:
                    needed.add(v)
                    needed_storage.add(vals[v].storage)
                for v in op.outs:
                    needed_storage.add(vals[v].storage)
        self.keep = keep
        self.needed = needed
        return keep

    # -- 2. placing values ---------------------------------------------------------------------------------
    def _build(self, result, commits, n_args, kw_names):
        rec = self.rec
        result_vals = _result_refs(result, [])
        commit_vals = [c[2] for c in commits if c[0] == "data"]
        for c in commits:
            if c[0] == "grad":
                _result_refs(c[2], commit_vals)
        keep = self._keep(result_vals, commit_vals)
        order = self._hoist_checks([i for i, k in enumerate(keep) if k])
        order = self._rewrite(order)
        kept = [self.ops[i] for i in order]
        self._check_effect_order(kept)
        # writes per storage, last use per storage (for buffer sharing)
        written = set()
        for op in kept:
            written.update(self.vals[v].storage for v in op.writes)
        self.written = written
        for v in rec.inputs:
            if v in self.needed:
                self._expr[v] = self._input_expr(v)
        for v in self.needed:  # arrays met in the step that no call made (a module's table): used as they are
            val = self.vals[v]
            if val.kind == "const" and val.producer < 0:
                if val.storage in written:
                    raise Unsupported("the step writes into an array it did not make (a plain NumPy array)")
                self._expr[v] = self.code.name(val.twin, "c")
        last_use = {}
        for i in order:
            op = self.ops[i]
            for v in _refs(op.args, []) + _refs(op.kwargs, []) + list(op.outs) + list(op.writes):
                last_use[self.vals[v].storage] = i
        for v in result_vals + commit_vals:
            last_use[self.vals[v].storage] = len(self.ops)
        self.last_use = last_use
        pool: dict = {}
        free_at: dict = {}
        self.owner: dict = {}
        n_buffers = n_shared = n_inplace = 0
        body = []
        locals_of: dict = {}  # storage -> the local names holding it
        previous = None
        for i in order:
            op = self.ops[i]
            for key, buf, st in free_at.pop(previous, []):
                if self.owner.get(buf) == st:  # not handed on to an in-place result meanwhile
                    del self.owner[buf]
                    pool.setdefault(key, []).append(buf)
            line, placed = self._emit(i, op, pool, free_at)
            if line is not None:
                body.append(line)
            for v in op.outs:  # locals (arrays allocated by a call, views) are dropped after their last use
                e = self._expr.get(v)
                if e == f"v{v}":
                    locals_of.setdefault(self.vals[v].storage, []).append(e)
            dead = [n for st, names in locals_of.items() if last_use.get(st) == i for n in names]
            if dead:
                body.append("del " + ", ".join(dict.fromkeys(dead)))
                for st in [st for st in locals_of if last_use.get(st) == i]:
                    del locals_of[st]
            previous = i
            n_buffers += placed.get("new", 0)
            n_shared += placed.get("shared", 0)
            n_inplace += placed.get("inplace", 0)
        self.stats = {"ops recorded": len(self.ops), "ops kept": len(kept), "buffers": n_buffers,
                      "buffers shared": n_shared, "in place": n_inplace,
                      "calls in the replay": sum(1 for b in body if not b.startswith(("#", "del ")))}
        self._write(body, result, commits, n_args, kw_names)

    # -- cheaper spellings of the same calls ------------------------------------------------------------------
    def _rewrite(self, order: list) -> list:
        """The kept calls in cheaper spellings that compute the same bits (the recording keeps eager's calls):
        NumPy functions written in Python become the one C call they make (see ``_respell``).

        (Not done: a ufunc evaluated in float64 and then cast, the exact kernels' float32 transcendentals, as one
        call casting as it writes, ``casting='unsafe', out=``: NumPy's buffered casting costs what the second
        call saves, measured equal from 16 to 16384 elements, slower below 1024.)"""
        ops = self.ops = list(self.ops)  # the recording's list stays as recorded
        for i in order:
            new = self._respell(ops[i])
            if new is not None:
                ops[i] = new
        return order

    def _respell(self, op):
        """``op`` as the C call it makes, or None: ``np.sum`` as ``np.add.reduce`` (which then writes into a buffer),
        ``np.take_along_axis`` as the indexing it builds (its index arrays made once), ``np.expand_dims`` as the
        ``reshape`` it calls."""
        if op.kind != "func" or len(op.outs) != 1:
            return None
        vals, args, kw = self.vals, op.args, op.kwargs
        if op.fn is np.sum and 1 <= len(args) <= 3 and set(kw) <= {"axis", "dtype", "keepdims"} \
                and type(args[0]) is Ref:
            names = ("axis", "dtype")[:len(args) - 1]
            new_kw = {"axis": None, **dict(zip(names, args[1:])), **kw}  # np.sum's axis defaults to None
            return Op("ufunc", np.add.reduce, (args[0],), new_kw, outs=op.outs, out_tree=op.out_tree,
                      site=op.site, name="np.add.reduce")
        if op.fn is np.take_along_axis and len(args) == 3 and not kw and all(type(a) is Ref for a in args[:2]) \
                and type(args[2]) is int:
            arr, idx = vals[args[0].v], vals[args[1].v]
            nd = len(arr.shape)
            if nd != len(idx.shape) or idx.dtype.kind not in "iu" or not -nd <= args[2] < nd:
                return None
            axis = args[2] % nd
            key = tuple(args[1] if d == axis else
                        _Const(np.arange(n).reshape((1,) * d + (-1,) + (1,) * (nd - d - 1)))
                        for d, n in enumerate(arr.shape))
            return Op("method", "__getitem__", (args[0], key), {}, outs=op.outs, out_tree=op.out_tree,
                      site=op.site, name="__getitem__")
        if op.fn is np.expand_dims and type(args[0]) is Ref:
            return Op("method", "reshape", (args[0], tuple(vals[op.outs[0]].shape)), {}, outs=op.outs,
                      out_tree=op.out_tree, site=op.site, name="reshape")
        return None

    def _effect(self, op) -> bool:
        """A change a failed check could not take back: an update, a write into the step's starting arrays.
        (Random draws are taken back: the generators' states are saved when a check follows a draw.)"""
        if op.kind == "live":
            return not _is_draw(op)
        return any(self.vals[v].storage in self.external for v in op.writes)

    def _rw(self, op):
        reads = {self.vals[v].storage for v in _refs(op.args, []) + _refs(op.kwargs, [])}
        writes = {self.vals[v].storage for v in op.writes} | {self.vals[v].storage for v in op.outs}
        return reads, writes

    def _hoist_checks(self, order: list) -> list:
        """Move each check that comes after the step's first change (a random draw, an update) to before it,
        with the calls it depends on, when nothing in between touches their memory (a loss's check of its
        targets, after a dropout's draw): a failed check must find the world as it was."""
        ops = self.ops
        while True:
            first = next((k for k, i in enumerate(order) if self._effect(ops[i])), None)
            if first is None:
                return order
            late = next((k for k in range(first + 1, len(order))
                         if ops[order[k]].kind == "check" or self._data_shape(ops[order[k]])), None)
            if late is None:
                return order
            # the calls the check needs, back to the first change
            need = set(self._rw(ops[order[late]])[0])
            moved = [late]
            for k in range(late - 1, first - 1, -1):
                reads, writes = self._rw(ops[order[k]])
                if writes & need:
                    if self._effect(ops[order[k]]):
                        return order  # it depends on a change: it cannot run first (reported later)
                    moved.append(k)
                    need |= reads
            moved_set = set(moved)
            touched_r, touched_w = set(), set()
            for k in moved:
                r, w = self._rw(ops[order[k]])
                touched_r |= r
                touched_w |= w
            for k in range(first, late):
                if k in moved_set:
                    continue
                r, w = self._rw(ops[order[k]])
                if w & (touched_r | touched_w) or r & touched_w:
                    return order
            hoisted = [order[k] for k in sorted(moved)]
            rest = [order[k] for k in range(first, len(order)) if k not in moved_set]
            order = order[:first] + hoisted + rest

    def _check_effect_order(self, kept):
        first_effect = None
        draws = []
        self.rng_undo = []
        for op in kept:
            if op.kind == "live" and _is_draw(op):
                draws.append(op.args[0])  # the generator (live draws are its methods, called unbound)
            elif (op.kind == "check" or self._data_shape(op)) and draws:
                self.rng_undo = list({id(g): g for g in draws}.values())
        for j, op in enumerate(kept):
            if self._effect(op):
                if first_effect is None:
                    first_effect = j
            if op.kind == "check" or self._data_shape(op):
                if first_effect is not None and j > first_effect:
                    raise Unsupported(f"a value-dependent check ({op.name}) after the step changed its state "
                                      f"(at {op.site or 'an op after ' + kept[first_effect].name})")

    def _input_expr(self, v):
        arr = self.vals[v].twin
        arg = self.arg_arrays.get(id(arr)) if hasattr(self, "arg_arrays") else None
        if arg is not None:
            return arg
        return self.code.name(arr, "w")

    def _data_shape(self, op: Op) -> bool:
        if op.kind == "method" and op.fn == "nonzero":
            return True
        if op.kind == "method" and op.fn == "__getitem__":
            key = op.args[1]
            for v in _refs(key, []):
                if self.vals[v].dtype == np.bool_:
                    return True
        return op.kind == "func" and op.fn in _DATA_SHAPE_FUNCS

    def _hoistable(self, v) -> bool:
        """Whether value ``v`` is a name fixed for the program's life (a guarded array, a constant, a buffer)."""
        e = self._expr.get(v)
        return e is not None and e in self.code.ns

    def _emit(self, i, op: Op, pool, free_at):
        """One kept op as a source line (or None when it became a constant), placing its results."""
        vals, code = self.vals, self.code
        placed: dict = {}
        args_src = self._render(op.args)
        kwargs = dict(op.kwargs)
        if op.kind == "ufunc":
            for k, default in (("dtype", None), ("keepdims", False), ("where", True), ("casting", "same_kind")):
                if k in kwargs and type(kwargs[k]) is type(default) and kwargs[k] == default:
                    del kwargs[k]  # NumPy's defaults, spelt out by ndarray.sum: the same call, cheaper
        if op.kind == "check":  # the replay must see the same Python value again
            fn = code.name(op.fn, "check" if not isinstance(op.fn, type) else None)
            exp = code.literal(op.expect) if type(op.expect) in (bool, int) else code.name(op.expect, "k")
            return f"if {fn}({args_src}) != {exp}: raise DIVERGED", placed
        outs = op.outs
        # constants: made once
        if op.kind == "create":
            v = outs[0]
            st = vals[v].storage
            if st not in self.written and st not in self.escaping:
                self._expr[v] = code.name(op.expect, "c")
                return None, placed
            snap = code.name(op.expect, "c")
            if st in self.escaping:
                self._expr[v] = f"v{v}"
                return f"v{v} = {snap}.copy()", placed
            buf = self._buffer(v, pool, placed)
            self._expr[v] = buf
            self._free_later(v, buf, free_at)
            if vals[v].dtype.kind in _REAL_KINDS:
                return f"{buf}[...] = {snap}", placed  # the constant's values again, by assignment (see below)
            return f"COPYTO({buf}, {snap})", placed
        # views of fixed names: computed now
        pure_view = (op.kind == "method" and op.fn in _VIEW_METHODS and not op.writes) or \
            (op.kind == "func" and op.fn in _VIEW_FUNCS)
        reads = _refs(op.args, []) + _refs(op.kwargs, [])
        if pure_view and len(outs) == 1 and vals[outs[0]].view and all(self._hoistable(r) for r in reads) \
                and vals[outs[0]].storage not in self.escaping:
            value = self._evaluate(op)
            if value is not None:
                self._expr[outs[0]] = code.name(value, "c")
                return None, placed
        fn_src = self._fn_source(op)
        data_shape = self._data_shape(op)
        # results that can be written into a buffer
        target = None
        if len(outs) >= 1 and not data_shape and all(
                not vals[v].view and vals[v].storage not in self.escaping for v in outs):
            if (_is_ufunc_call(op) or _ufunc_method(op) in _OUT_UFUNC_METHODS) and "out" not in kwargs:
                target = "out"
            elif op.kind == "method" and op.fn in ("copy", "astype") and len(outs) == 1:
                target = "copyto"
            elif op.kind == "func" and op.fn is np.concatenate and "out" not in kwargs and "dtype" not in kwargs \
                    and len(outs) == 1:
                target = "out"
        if target is not None:
            bufs = []
            for v in outs:
                reuse = None
                if _is_ufunc_call(op):
                    reuse = self._inplace_candidate(i, op, v, reads)
                if reuse is not None:
                    buf = reuse
                    placed["inplace"] = placed.get("inplace", 0) + 1
                else:
                    buf = self._buffer(v, pool, placed)
                self._expr[v] = buf
                self._free_later(v, buf, free_at)
                bufs.append(buf)
            if target == "copyto":
                src = self._render(op.args[:1])[:-2]
                a = op.args[0]
                if type(a) is Ref and vals[a.v].dtype.kind in _REAL_KINDS and vals[outs[0]].dtype.kind in _REAL_KINDS:
                    # assignment casts as astype does (unsafe: rounds, truncates, wraps) at 40% of np.copyto's cost
                    return f"{bufs[0]}[...] = {src}", placed
                cast = ", casting='unsafe'" if op.fn == "astype" else ""
                return f"COPYTO({bufs[0]}, {src}{cast})", placed
            if _is_ufunc_call(op) and op.fn.nin == 1 and op.fn.nout == 1 and set(kwargs) == {"dtype"} \
                    and type(op.args[0]) is Ref and len(op.args) == 1:
                a, want = vals[op.args[0].v], vals[outs[0]]
                if a.dtype != want.dtype and np.dtype(kwargs["dtype"]) == want.dtype and a.shape == want.shape \
                        and np.can_cast(a.dtype, want.dtype, "safe") and a.dtype.kind in _REAL_KINDS:
                    # fn(x, dtype=float64) (the exact kernels' float32 transcendentals): the input cast into the
                    # output buffer, then the loop in place there; the same loop on the same (exactly cast)
                    # numbers, without NumPy's buffered casting (0.9 us less per call on 64 floats)
                    x = self._render(op.args)[:-2]
                    return f"{bufs[0]}[...] = {x}\n    {fn_src}({bufs[0]}, {bufs[0]})", placed
            out_src = bufs[0] if len(bufs) == 1 else "(" + ", ".join(bufs) + ",)"
            if _is_ufunc_call(op) and not kwargs and op.fn not in (np.maximum, np.minimum):
                args_src = self._render(self._scalars_as_arrays(op))
                return f"{fn_src}({args_src}{out_src})", placed
            kw_src = self._render_kwargs(kwargs)
            return f"{fn_src}({args_src}{kw_src}out={out_src})", placed
        fused = self._fused_update(op)
        if fused is not None:
            return fused, placed
        # everything else: a call that allocates its results (or writes where it was told to)
        if op.kind == "ufunc":
            out = kwargs.get("out")
            if _is_ufunc_call(op) and set(kwargs) == {"out"} and type(out) is tuple and len(out) == op.fn.nout \
                    and op.fn not in (np.maximum, np.minimum):
                return f"{fn_src}({args_src}{self._render(out)})", placed  # in place, out given positionally
        if _is_ufunc_call(op) and not kwargs and op.fn not in (np.maximum, np.minimum):
            args_src = self._render(self._scalars_as_arrays(op))
        kw_src = self._render_kwargs(kwargs)
        call = self._call_source(op, fn_src, args_src, kw_src)
        for v in outs:
            self._expr[v] = f"v{v}"
        if not outs:
            return call, placed
        lhs = self._tree_lhs(op.out_tree)
        line = f"{lhs} = {call}"
        for v in outs:
            if vals[v].shape == () and op.kind not in ("live",):
                line += f"\n    v{v} = ASARRAY(v{v})"
            if data_shape:
                line += f"\n    if v{v}.shape != {vals[v].shape!r}: raise DIVERGED"
        return line, placed

    def _fused_update(self, op):
        """Plain SGD's update (no momentum, float32) as one call over a float64 buffer allocated now: eager's
        ``param += float64(grad) * float32(-lr)`` rounded once, without its temporary the size of the layer or
        the optimizer's Python around it (the arithmetic is memory-bound: a large layer costs what eager's does;
        the calls saved are the gain, a few microseconds per parameter). The
        learning rate is read from the param group at every replay (a scheduler's change takes effect); a group
        that has gained momentum runs the optimizer's own update."""
        if op.kind != "live" or op.name != "optimizer._update" or op.outs or len(op.args) != 4 or op.kwargs:
            return None
        if getattr(op.fn, "__func__", None) is not SGD._update or type(op.args[0]) is not Obj:
            return None
        group, d, g, s = op.args
        if type(d) is not Ref or type(g) is not Ref or s != {} or group.obj.get("momentum", 0) != 0:
            return None
        dv, gv = self.vals[d.v], self.vals[g.v]
        if dv.dtype != np.float32 or gv.dtype != np.float32 or dv.shape != gv.shape:
            return None
        scratch = self.code.name(np.empty(gv.shape, np.float64), "s")
        group_src = self._src(group)
        guard = f"if {group_src}['momentum'] != 0: return MISS"  # the recorded update had no momentum
        if guard not in self.update_guards:
            self.update_guards.append(guard)
        return f"SGD_PLAIN({group_src}, {self._src(d)}, {self._src(g)}, {scratch})"

    def _tree_lhs(self, tree):
        if type(tree) is Ref:
            return f"v{tree.v}" if tree.v in self._expr and self._expr[tree.v] == f"v{tree.v}" else "_"
        _, items = tree
        return "(" + "".join(self._tree_lhs(t) + ", " for t in items) + ")"

    def _call_source(self, op, fn_src, args_src, kw_src):
        if op.kind == "method":
            self_src, rest = self._render(op.args[:1])[:-2], self._render(op.args[1:])
            if op.fn == "__getitem__":
                return f"{self_src}[{self._render_index(op.args[1])}]"
            if op.fn == "__setitem__":
                return f"{self_src}[{self._render_index(op.args[1])}] = {self._render(op.args[2:3])[:-2]}"
            return f"{self_src}.{op.fn}({rest}{kw_src})"
        return f"{fn_src}({args_src}{kw_src})"

    def _render_index(self, key):
        if type(key) is tuple:
            if not key:
                return "()"
            return ", ".join(self._render((k,))[:-2] for k in key) + ("," if len(key) == 1 else "")
        return self._render((key,))[:-2]

    def _fn_source(self, op):
        if op.kind == "method":
            return ""
        return self.code.name(op.fn, _word(op.name))

    def _evaluate(self, op):
        """Run a pure view op on fixed arrays now; its result becomes a constant of the program."""
        def val(x):
            if type(x) is Ref:
                return self.code.ns[self._expr[x.v]]
            if type(x) is Obj:
                return x.obj
            if type(x) in (tuple, list):
                return type(x)(val(e) for e in x)
            if type(x) is dict:
                return {k: val(e) for k, e in x.items()}
            return x
        args, kwargs = val(op.args), val(op.kwargs)
        try:
            if op.kind == "method":
                return getattr(args[0], op.fn)(*args[1:], **kwargs)
            return op.fn(*args, **kwargs)
        except Exception:  # noqa: BLE001 (then it is computed at every replay, as recorded)
            return None

    def _buffer(self, v, pool, placed) -> str:
        twin = self.vals[v].twin
        key = (twin.shape, twin.dtype.str, twin.strides)
        free = pool.get(key)
        if free:
            placed["shared"] = placed.get("shared", 0) + 1
            return free.pop()
        buf = np.empty_like(twin, order="K") if twin.ndim else np.empty((), twin.dtype)
        if buf.strides != twin.strides:
            buf = np.lib.stride_tricks.as_strided(np.empty(max(1, twin.nbytes // twin.itemsize), twin.dtype),
                                                  twin.shape, twin.strides)
        placed["new"] = placed.get("new", 0) + 1
        name = self.code.name(buf, "b")
        self.buffer_names.add(name)
        return name

    def _free_later(self, v, buf, free_at):
        st = self.vals[v].storage
        self.owner[buf] = st
        last = self.last_use.get(st, len(self.ops))
        if last < len(self.ops):
            twin = self.vals[v].twin
            free_at.setdefault(last, []).append(((twin.shape, twin.dtype.str, twin.strides), buf, st))

    def _inplace_candidate(self, i, op, v, reads):
        """A buffer of an input that dies at this elementwise ufunc, with the output's exact layout."""
        twin = self.vals[v].twin
        for r in reads:
            val = self.vals[r]
            e = self._expr.get(r)
            if e is None or e not in self.buffer_names or val.view:
                continue
            if self.last_use.get(val.storage) != i or val.storage in self.escaping:
                continue
            if val.shape == twin.shape and val.dtype == twin.dtype and val.strides == twin.strides:
                return e  # its buffer now belongs to the output (_free_later records the new owner)
        return None

    def _scalars_as_arrays(self, op):
        """Python numbers in a ufunc call as 0-d arrays of the dtype NumPy casts them to (when it can tell)."""
        args = op.args
        if not any(type(a) in (int, float, bool) for a in args):
            return args
        dtypes = []
        for a in args:
            if type(a) is Ref:
                dtypes.append(self.vals[a.v].dtype)
            elif type(a) in (int, float, bool, complex):
                dtypes.append(type(a))
            else:
                return args
        try:
            loop = op.fn.resolve_dtypes(tuple(dtypes) + (None,) * op.fn.nout)
            fixed = tuple(d if type(d) is np.dtype else loop[k] for k, d in enumerate(dtypes))
            if op.fn.resolve_dtypes(fixed + (None,) * op.fn.nout) != loop:
                return args
        except (TypeError, ValueError, AttributeError):
            return args
        out = []
        for k, a in enumerate(args):
            if type(a) in (int, float, bool):
                c = np.array(a, dtype=loop[k])
                # a float rounded to a float loop's dtype is the number NumPy computes with (it casts the Python
                # float the same way); anything else must convert exactly (an int that would wrap, an overflow)
                rounded = type(a) is float and loop[k].kind == "f" and (np.isfinite(c) or a != a or a in _INF)
                if c.item() != a and not (a != a) and not rounded:
                    return args
                out.append(_Const(c))
            else:
                out.append(a)
        return tuple(out)

    def _render(self, items) -> str:
        """``a, b, ...`` (with a trailing ', ') for an argument template."""
        return "".join(self._src(x) + ", " for x in items)

    def _render_kwargs(self, kwargs) -> str:
        return "".join(f"{k}={self._src(x)}, " for k, x in kwargs.items())

    def _src(self, x) -> str:
        tx = type(x)
        if tx is Ref:
            return self._expr[x.v]
        if tx is _Const:
            return self.code.name(x.value, "k")
        if tx is Obj:
            return self.code.name(x.obj, "o")
        if tx is tuple:
            if len(x) == 1:
                return f"({self._src(x[0])},)"
            return "(" + ", ".join(self._src(e) for e in x) + ")"
        if tx is list:
            return "[" + ", ".join(self._src(e) for e in x) + "]"
        if tx is dict:
            return "{" + ", ".join(f"{k!r}: {self._src(e)}" for k, e in x.items()) + "}"
        return self.code.literal(x)

    # -- 3. the source ------------------------------------------------------------------------------------------
    def _write(self, body, result, commits, n_args, kw_names):
        code = self.code
        self._guards = [f"if len(args) != {n_args} or tuple(kwargs) != {kw_names!r}: return MISS",
                        f"if {mode_guard(code)}: return MISS"] + list(self.guard_src) + self.update_guards
        self._body = [part.strip() for b in body for part in b.split("\n")]
        commit_lines = self._commit_src(commits)
        self._return = f"return {self._result_src(result)}"
        self._commits = self._pre + commit_lines  # the new tensors first, then the commits
        code.ns.update(MISS=MISS, DIVERGED=Diverged(), MODE=mode_key, ERRSTATE=_errstate_var, QUIET=_QUIET,
                       COPYTO=np.copyto, ASARRAY=np.asarray, CFB=CompiledFunctionBackward, NEW=_new,
                       DIVERGED_CLS=Diverged, SGD_PLAIN=_sgd_plain, RNG_SAVE=_rng_save, RNG_RESTORE=_rng_restore)
        self.source = self._assemble()
        self.run = self._exec(self.source, "run")

    def _assemble(self, timed: bool = False) -> str:
        """The source of ``run`` (or, ``timed``, of a copy that adds each line's time to ``TIMES[k]``)."""
        ind = "    "
        lines = ["def run(args, kwargs):"]
        stamp = 0

        def timed_block(block, depth):
            nonlocal stamp
            if not timed:
                return [ind * depth + b for b in block]
            k, stamp = stamp, stamp + 1
            return [ind * depth + "start = CLOCK()"] + [ind * depth + b for b in block] + \
                [ind * depth + f"TIMES[{k}].append(CLOCK() - start)"]

        lines += timed_block(self._guards, 1)
        if self.rng_undo:  # a check after a random draw: a failed one puts the generators back
            gens = "(" + "".join(self.code.name(g, "r") + ", " for g in self.rng_undo) + ")"
            lines.append(f"{ind}rng = RNG_SAVE({gens})")
        lines.append(f"{ind}token = ERRSTATE.set(QUIET)")
        lines.append(f"{ind}try:")
        if not self._body:
            lines.append(ind * 2 + "pass")
        for b in self._body:
            lines += timed_block([b], 2)
        if self.rng_undo:
            lines.append(f"{ind}except DIVERGED_CLS:")
            lines.append(f"{ind}{ind}RNG_RESTORE(rng)")
            lines.append(f"{ind}{ind}raise")
        lines.append(f"{ind}finally:")
        lines.append(f"{ind}{ind}ERRSTATE.reset(token)")
        lines += timed_block(self._commits + [self._return.replace("return ", "RESULT = ", 1)], 1)
        lines.append(f"{ind}return RESULT")
        return "\n".join(lines)

    def _exec(self, source, name):
        ns = self.code.ns
        exec(compile(source, "<ember.compile replay>", "exec"), ns)  # noqa: S102 (our own generated code)
        return ns[name]

    def profile(self, args=(), kwargs=None, repeat: int = 50, stat=None) -> list:
        """Time each line of the replay over ``repeat`` calls (the calls run: a training step trains):
        ``[(seconds per call, line)]``, slowest first; the guards and the commits are one line each. ``stat``
        reduces each line's samples (default: the median; ``min`` is steadier on a loaded machine)."""
        blocks = ["guards"] + self._body + ["commits and results"]
        times = [[] for _ in blocks]
        ns = self.code.ns
        ns.update(TIMES=times, CLOCK=time.perf_counter)
        run = self._exec(self._assemble(timed=True), "run")
        kwargs = kwargs or {}
        for _ in range(repeat):
            if run(args, kwargs) is MISS:
                raise RuntimeError("the guards do not hold for these arguments")
        stat = stat or statistics.median
        return sorted(((stat(t), line) for t, line in zip(times, blocks) if t), reverse=True)

    def _commit_src(self, commits):
        """Statements making the replay's new tensors, the commits (``p._grad = ...``) and the results."""
        self._made, self._vcs, self._pre = {}, {}, []
        out = []
        for kind, target, payload in commits:
            t = self._target(target)
            if kind == "grad":
                if payload is None:
                    out.append(f"{t}._grad = None")
                elif type(payload) is tuple and payload[0] == "tensor":
                    out.append(f"{t}._grad = {self._tensor_src(payload)}")
                else:
                    out.append(f"{t}._grad = {self.code.name(payload)}")
            elif kind == "data":
                out.append(f"{t}._data = {self._expr[payload]}")
            elif kind == "attr":
                k, value = payload
                out.append(f"{t}.__dict__[{k!r}] = {self.code.literal(value)}")
            elif kind == "bump":
                out.append(f"vc = {t}._version_counter")
                out.append(f"if vc is None: {t}._version_counter = [{payload}]")
                out.append(f"else: vc[0] += {payload}")
        return out

    def _target(self, target):
        if type(target) is str:
            return target
        return self.code.name(target)

    def _tensor_src(self, payload):
        """A name for a new tensor of the replay (statements making it go to ``self._pre``)."""
        key = id(payload)
        if key in self._made:
            return self._made[key]
        _, cls, v, attrs, graph = payload
        parts = [f"'_data': {self._expr[v]}"]
        for k, a in attrs.items():
            if k in ("_data", "grad_fn"):
                continue
            if type(a) is tuple and a and a[0] == "tensor":
                src = self._tensor_src(a)
            elif type(a) is tuple and a and a[0] == "vc":
                src = self._vcs.get(a[1])
                if src is None:
                    src = self._vcs[a[1]] = f"vc{len(self._vcs)}"
                    self._pre.append(f"{src} = [{a[2]}]")
            elif type(a) in (bool, int, float, str, type(None)):
                src = self.code.literal(a)
            else:
                src = self.code.name(a)
            parts.append(f"{k!r}: {src}")
        if graph:
            parts.append("'grad_fn': CFB(())")
        name = self._made[key] = f"t{len(self._made)}"
        self._pre.append(f"{name} = NEW({self.code.name(cls)})")
        self._pre.append(f"{name}.__dict__ = {{{', '.join(parts)}}}")
        return name

    def _result_src(self, r):
        tr = type(r)
        if tr is tuple and r and r[0] == "tensor":
            return self._tensor_src(r)
        if tr is tuple and r and r[0] == "obj":
            return self.code.name(r[1]) if not isinstance(r[1], (bool, int, float, str, type(None))) \
                else self.code.literal(r[1])
        if tr is tuple and r and r[0] in ("tuple", "list"):
            inner = ", ".join(self._result_src(e) for e in r[1])
            return f"({inner},)" if r[0] == "tuple" else f"[{inner}]"
        if tr is tuple and r and r[0] == "dict":
            return "{" + ", ".join(f"{self.code.literal(k)}: {self._result_src(e)}" for k, e in r[1]) + "}"
        if tr is tuple and r and r[0] == "namedtuple":
            return f"{self.code.name(r[2])}(" + ", ".join(self._result_src(e) for e in r[1]) + ")"
        raise Unsupported(f"cannot return {r!r}")


def _word(name: str) -> str:
    """``np.add.reduce`` -> ``add_reduce``; ``optimizer._update`` -> ``optimizer_update``: a name for the source."""
    w = name.removeprefix("np.").replace(".", "_").replace("__", "_").strip("_")
    return w if w.isidentifier() else "f"


def _sgd_plain(group, d, g, scratch):
    """SGD's ``_update`` for a group without momentum (a guard says so), float32 parameter and gradient (see
    ``Program._fused_update``): the same numbers as ``optimizer._add_scaled(d, g, -lr, out=d)``."""
    scratch[...] = g  # the exact cast by assignment: NumPy's buffered casting inside a ufunc is slower
    np.multiply(scratch, float(np.float32(-float(group["lr"]))), out=scratch)
    np.add(scratch, d, out=scratch)
    d[...] = scratch


def _is_draw(op) -> bool:
    return op.kind == "live" and op.name.startswith("generator.")


def _rng_save(gens):
    """The states of random generators, to put back when a replay's check fails after a draw."""
    return [(g, g._engine().state, dict(g.__dict__)) for g in gens]


def _rng_restore(saved):
    for g, bitgen_state, attrs in saved:
        g._engine().state = bitgen_state
        g.__dict__.update(attrs)


_INF = (float("inf"), float("-inf"))
_REAL_KINDS = "biuf"


class _Const:
    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value


def _result_refs(r, out):
    if type(r) is tuple and r:
        if r[0] == "tensor":
            out.append(r[2])
            for a in r[3].values():
                _result_refs(a, out)
        elif r[0] in ("tuple", "list", "namedtuple"):
            for e in r[1]:
                _result_refs(e, out)
        elif r[0] == "dict":
            for _, e in r[1]:
                _result_refs(e, out)
    return out
