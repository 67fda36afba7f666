"""PyTorch's argument-parser errors, from the signatures PyTorch prints.

An op declares its signatures as PyTorch prints them in its errors (``Sigs("narrow", "(Tensor input, int dim, int
start, int length)", ...)``) and, only when its cheap fast-path test fails (``type(x) is not Tensor or type(dim)
is not int``), calls ``S.check(x, dim, ...)``. That matches the arguments against the signatures as PyTorch's
parser does and raises its TypeError: ``narrow(): argument 'dim' (position 2) must be int, not float`` when one
signature is plausible, ``narrow() received an invalid combination of arguments - got (...), but expected one
of: ...`` (with PyTorch's "didn't match" lines) when several are, "takes 2 positional arguments but 3 were
given", "failed to unpack the object at pos 2 ...". When the arguments fit a signature it returns, and the op goes
on to its own checks (shapes, ranges ...).

A method call (``x.narrow(1, 0.5, 2)``) is answered with the method's signatures (the function's without
``input`` and ``out``), as PyTorch does; ``check`` tells the two apart from the calling instruction where it can
(on the error path only), and ``check_method`` is for the forms that are only methods.
"""

from __future__ import annotations

import builtins
import dis
import inspect
import os
import sys

from .._array import np
from .dtype import dtype as DType
from .exposure import DECLARED
from .tensor import Tensor

__all__ = ["Sigs", "tp_name"]

_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def tp_name(v) -> str:
    """``Py_TYPE(v)->tp_name``: the class name, module-qualified for NumPy's scalar types"""
    t = type(v)
    return f"numpy.{t.__name__}" if t.__module__ == "numpy" else t.__name__


def _is_int(v) -> bool:
    return (type(v) is int or isinstance(v, np.integer) or (isinstance(v, int) and not isinstance(v, bool))
            or (isinstance(v, Tensor) and v._data.ndim == 0 and v._data.dtype.kind in "iu"))


def _is_float(v) -> bool:
    return (isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, (bool, np.bool_))) or (
        isinstance(v, Tensor) and v._data.ndim == 0 and v._data.dtype.kind in "iuf")


def _is_number(v) -> bool:
    return isinstance(v, (int, float, complex, bool, np.number, np.bool_)) or (
        isinstance(v, Tensor) and v._data.ndim == 0)


def _first_bad_int(seq):
    """index of the first element that is not an int (-1: none)"""
    for i, e in enumerate(seq):
        if not _is_int(e):
            return i
    return -1


class _Param:
    __slots__ = ("type", "name", "optional", "allow_none", "kwonly", "numbers")

    def __init__(self, type_, name, default, kwonly):
        self.type, self.name, self.kwonly = type_, name, kwonly
        self.numbers = False  # a Tensor parameter that takes a Python number too (add, mul, ...)
        self.optional = default is not None
        self.allow_none = default == "None"

    def check(self, v):
        """(matches, index of the bad element of a list or -1)"""
        t = self.type
        if t == "Tensor":
            return isinstance(v, Tensor) or (self.numbers and _is_number(v) and not isinstance(v, Tensor)), -1
        if t == "int":
            return _is_int(v), -1
        if t == "float":
            return _is_float(v), -1
        if t == "bool":
            return isinstance(v, (bool, np.bool_)), -1
        if t == "Number":
            return _is_number(v), -1
        if t == "str":
            return isinstance(v, str), -1
        if t == "torch.dtype":
            return isinstance(v, DType), -1
        if t == "tuple of ints":
            if isinstance(v, (tuple, list)):
                if len(v) == 0 or _is_int(v[0]):
                    return True, -1
                return False, 0
            return _is_int(v), -1
        if t == "tuple of Tensors":  # (the op names a bad element: "expected Tensor as element 1 in argument 0")
            return isinstance(v, (tuple, list)), -1
        return True, -1  # a type this table does not check


class _Sig:
    """one signature, as PyTorch prints it"""

    def __init__(self, text, hidden=False):
        self.text, self.hidden = text, hidden
        self.params = []
        kwonly = False
        inner = text[1:-1]
        for item in inner.split(", ") if inner else ():
            if item == "*":
                kwonly = True
                continue
            decl, _, default = item.partition(" = ")
            type_, _, name = decl.rpartition(" ")
            self.params.append(_Param(type_, name, default or None, kwonly))
        self.max_pos = builtins.sum(not p.kwonly for p in self.params)
        self.min_args = builtins.sum(not p.optional for p in self.params)
        self.max_args = len(self.params)

    def method(self):
        """the Tensor method's form: no ``input``, no ``out``"""
        items = self.text[1:-1].split(", ")[1:]
        items = [i for i in items if not i.startswith("Tensor out = ") and not i.startswith("tuple of Tensors out")]
        if items and items[-1] == "*":
            items.pop()
        return _Sig("(" + ", ".join(items) + ")", self.hidden)

    def parse(self, name, args, kwargs, raise_):
        """PyTorch's FunctionSignature::parse: True when the arguments fit (then the int lists are unpacked)"""
        params, nargs = self.params, len(args)
        varargs = self.max_pos == 1 and params[0].type == "tuple of ints"
        if nargs > self.max_pos and not varargs:
            if raise_:
                self._extra_args(name, nargs)
            return False
        remaining = len(kwargs)
        arg_pos = 0
        unpack = []  # (param, sequence, offset of its positions) to unpack when everything fits
        for i, p in enumerate(params):
            is_kwd = False
            if arg_pos < nargs:
                if p.kwonly:
                    if raise_:
                        self._extra_args(name, nargs)
                    return False
                have, obj = True, args[arg_pos]
            else:
                have, is_kwd = p.name in kwargs, True
                obj = kwargs.get(p.name)
            eligible = varargs and arg_pos == 0 and not is_kwd
            if (not have and p.optional) or (have and obj is None and p.allow_none):
                pass
            elif not have:
                if raise_:
                    missing = [f'"{q.name}"' for q in params[i:] if not q.optional]
                    raise TypeError(f"{name}() missing {len(missing)} required positional argument"
                                    f"{'s' if len(missing) == 1 else ''}: {', '.join(missing)}")
                return False
            elif eligible and nargs > 1 and _is_int(args[0]):  # view(3, 2): the positional ints as the list
                unpack.append((p, args, None))
                arg_pos = nargs
                continue
            else:
                ok, bad = p.check(obj)
                if ok:
                    if p.type == "tuple of ints" and isinstance(obj, (tuple, list)):
                        unpack.append((p, obj, arg_pos))
                elif eligible and nargs and (_is_int(args[0])):
                    unpack.append((p, args, None))
                    arg_pos = nargs
                    continue
                elif raise_:
                    if is_kwd:
                        raise TypeError(f"{name}(): argument '{p.name}' must be {p.type}, not {tp_name(obj)}")
                    if eligible and bad == -1 and not isinstance(obj, (tuple, list)) and nargs > 1:
                        self._extra_args(name, nargs)
                    if bad != -1:
                        seq = obj if isinstance(obj, (tuple, list)) else args
                        raise TypeError(f"{name}(): argument '{p.name}' (position {arg_pos + 1}) must be {p.type}, "
                                        f"but found element of type {tp_name(seq[bad])} at pos {bad}")
                    raise TypeError(f"{name}(): argument '{p.name}' (position {arg_pos + 1}) must be {p.type}, "
                                    f"not {tp_name(obj)}")
                else:
                    return False
            if not is_kwd:
                arg_pos += 1
            elif have:
                remaining -= 1
        if remaining > 0:
            if raise_:
                known = {p.name for p in params}
                for k in kwargs:
                    if k not in known:
                        raise TypeError(f"{name}() got an unexpected keyword argument '{k}'")
                for k in kwargs:
                    raise TypeError(f"{name}() got multiple values for argument '{k}'")
            return False
        for p, seq, pos in unpack:
            bad = _first_bad_int(seq)
            if bad == 0 and pos is not None:  # a tuple whose first element is not an int
                raise TypeError(f"{name}(): argument '{p.name}' (position {pos + 1}) must be {p.type}, "
                                f"but found element of type {tp_name(seq[0])} at pos 0")
            if bad != -1:
                raise TypeError(f"{name}(): argument '{p.name}' failed to unpack the object at pos {bad + 1} with "
                                f"error \"type must be tuple of ints,but got {tp_name(seq[bad])}\"")
        return True

    def _extra_args(self, name, nargs):
        if self.min_args != self.max_pos:
            raise TypeError(f"{name}() takes from {self.min_args} to {self.max_pos} positional arguments but "
                            f"{nargs} were given")
        raise TypeError(f"{name}() takes {self.max_pos} positional argument{'' if self.max_pos == 1 else 's'} but "
                        f"{nargs} {'was' if nargs == 1 else 'were'} given")


# ------------------------------------------------------------------------------------------------------------
# the "invalid combination" message (PyTorch's torch/csrc/utils/invalid_arguments: its own crude type matcher
# over the printed signatures, whose quirks show in the message)
# ------------------------------------------------------------------------------------------------------------
def _opt_args(text):
    inner = text[1:-1]
    out = []
    for item in inner.split(", "):
        cut = item.rfind(" ")
        out.append((item[:cut] if cut >= 0 else item, item[cut + 1:]))
    return out


def _matches(type_, v):
    n = tp_name(v)
    if type_ == "float":
        return n in ("float", "int", "long")
    if type_ == "int":
        return n in ("int", "long")
    return n == type_


def _desc(v):
    if isinstance(v, (tuple, list)):
        inner = ", ".join(tp_name(e) for e in v)
        if isinstance(v, tuple):
            return f"tuple of ({inner}{',' if len(v) == 1 else ''})"
        return f"list of [{inner}]"
    return tp_name(v)


def _unmatched_kwargs(opt, kwargs):
    start = builtins.max(len(opt) - len(kwargs), 0)
    names = [nm for _, nm in opt[start:]]
    return [k for k in kwargs if k not in names]


def _formatted(opt, args, kwargs):
    parts = []
    for i in range(len(args) + len(kwargs)):
        kw = i >= len(args)
        v = kwargs[opt[i][1]] if kw else args[i]
        d = (f"{opt[i][1]}=" if kw else "") + _desc(v)
        parts.append(d if _matches(opt[i][0], v) else f"!{d}!")
    return f"({', '.join(parts)})" if args or not parts else f"({', '.join(parts)}, )"


def _invalid_combination(name, texts, args, kwargs):
    got = "(" + "".join([f"{tp_name(a)}, " for a in args] + [f"{k}={tp_name(v)}, " for k, v in kwargs.items()])
    got = (got[:-2] if args else got) + ")"  # (PyTorch trims the last ", " only when there are positional args)
    head = f"{name}() received an invalid combination of arguments - "
    n = len(args) + len(kwargs)
    if len(texts) == 1:
        opt = _opt_args(texts[0])
        bad = _unmatched_kwargs(opt, kwargs) if kwargs else []
        if bad:
            return TypeError(f"{head}got unrecognized keyword arguments: {', '.join(bad)}")
        desc = _formatted(opt, args, kwargs) if len(opt) == n else got
        return TypeError(f"{head}got {desc}, but expected {texts[0]}")
    lines = [f"{head}got {got}, but expected one of:\n"]
    for text in texts:
        lines.append(f" * {text}\n")
        opt = _opt_args(text)
        if len(opt) != n:
            continue
        bad = _unmatched_kwargs(opt, kwargs) if kwargs else []
        if bad:
            lines.append(f"      didn't match because some of the keywords were incorrect: {', '.join(bad)}\n")
        else:
            lines.append("      didn't match because some of the arguments have invalid types: "
                         f"{_formatted(opt, args, kwargs)}\n")
    return TypeError("".join(lines))


def _call_of(op_frame, nargs):
    """How the user reached the op running in ``op_frame``: (method, name, args, kwargs). ``name`` is the
    in-place form's (``index_add_``) or None; ``args``/``kwargs`` are the call's own when a wrapper holds them
    (the in-place forms of ``ops.inplace``, the ``out=`` wrappers of ``ops.out``: exactly as passed), else None.
    Without a wrapper the calling instruction tells: a method call's CALL counts one argument fewer than the op
    received (``nargs``), KW_NAMES before it names the keywords (kwargs is then that tuple of names)."""
    f = op_frame.f_back
    if f is not None and os.path.abspath(f.f_code.co_filename).startswith(_ROOT):
        loc = f.f_locals
        if f.f_code.co_name == "method" and f.f_code.co_filename.endswith("inplace.py") and "op" in loc:
            return True, loc["op"].__name__ + "_", (loc.get("x"), *loc.get("args", ())), loc.get("kwargs", {})
        if f.f_code.co_name == "wrapper" and f.f_code.co_filename.endswith("out.py"):
            if "args" in loc:
                return False, None, tuple(loc["args"]), dict(loc.get("kwargs", {}))
            return False, None, (loc.get("x"),), {}
        return False, None, None, ()  # called from inside ember: the function form
    if f is None:
        return False, None, None, ()
    call, names = None, ()
    for ins in dis.get_instructions(f.f_code):  # (f_lasti is inside the CALL's cache entries)
        if ins.offset > f.f_lasti:
            break
        if ins.opname == "KW_NAMES":
            names = f.f_code.co_consts[ins.arg]
        elif ins.opname == "CALL":
            call = ins
        elif ins.opname not in ("PRECALL", "CACHE"):
            names, call = (), None
    if call is None:
        return False, None, None, ()
    names = names if isinstance(names, tuple) else ()
    return nargs is not None and call.arg == nargs - 1, None, None, names


class Sigs:
    """an op's signatures as PyTorch prints them (function form, ``input`` first); ``hidden``: signatures that
    PyTorch parses but does not print; ``numbers``: its Tensor parameters take Python numbers; ``kw``: parameters usually passed by keyword (``check_call`` names them
    when they are not at their default); ``method_only``: the op is only a Tensor method. (When the op's ``torch.*`` function is ember's ``out=`` wrapper, a call
    that does not pass through it is the method.)"""

    def __init__(self, name, *texts, hidden=(), method_texts=None, out=None, kw=(), numbers=False, method_only=False):
        self.name, self.out, self.method_only = name, out, method_only
        # the texts are parsed on the first check (__getattr__), not when the op's module is imported
        self._texts = (texts, hidden, method_texts, kw, numbers)

    def __getattr__(self, attr):
        if attr not in ("sigs", "msigs", "kw"):
            raise AttributeError(attr)
        texts, hidden, method_texts, kw, numbers = self._texts
        sigs = [_Sig(t) for t in texts] + [_Sig(t, hidden=True) for t in hidden]
        msigs = [_Sig(t) for t in method_texts] if method_texts is not None else [s.method() for s in sigs]
        for p in (p for s in sigs + msigs for p in s.params if numbers and p.type == "Tensor"):
            p.numbers = True
        pos = {p.name for s in sigs for p in s.params if not p.kwonly}
        # each attribute is whole when set; a thread that finds one missing parses again (to the same values)
        self.sigs, self.msigs = sigs, msigs
        self.kw = tuple(kw) + tuple({p.name for s in sigs for p in s.params if p.kwonly} - pos)
        return getattr(self, attr)

    def check(self, *args, **kwargs):
        """raise PyTorch's error for the call ``torch.name(*args, **kwargs)`` (or ``args[0].name(...)``, read
        from the call site) when no signature fits; return when one does"""
        self._site(sys._getframe(1), args, kwargs)

    def check_call(self, fn, *values):
        """``check`` for the call that gave ``fn`` (the op calling this) the parameter values ``values``, as the
        user wrote it when a wrapper holds it, else as they most likely wrote it (``_as_called``)"""
        self._site(sys._getframe(1), None, None, fn, values)

    def _site(self, op_frame, args, kwargs, fn=None, values=None):
        n = None if args is None else len(args) + len(kwargs)
        method, inplace, got_args, got_kw = _call_of(op_frame, n)
        if got_args is not None:
            args, kwargs = got_args, got_kw
        elif args is None:
            args, kwargs = _as_called(fn, values, got_kw, self.kw)
            method, inplace, _, _ = _call_of(op_frame, len(args) + len(kwargs))
        if got_args is None and inplace is None and not method and self._wrapped():
            method = True  # (the function passes through its out= wrapper)
        if method or self.method_only:
            self._check(inplace or self.name, self.msigs, args[1:], kwargs)
        else:
            self._check(self.name, self.sigs, args, kwargs)

    def _wrapped(self):
        if self.out is None:  # (read from the declarations, not from the namespace, which a caller may patch:
            # the last one to declare the torch.* name gives it, as ember._bind builds the namespace in that order)
            self.out = next((bool(e.out) for e in reversed(DECLARED) if self.name in e.torch), False)
        return self.out

    def check_function(self, *args, **kwargs):
        """the same for ``torch.name(*args, **kwargs)`` (what PyTorch's Python code calls)"""
        self._check(self.name, self.sigs, args, kwargs)

    def check_method(self, name, *args, **kwargs):
        """the same for ``args[0].name(*args[1:], **kwargs)`` (in-place forms and method-only ops)"""
        self._check(name, self.msigs, args[1:], kwargs)

    @staticmethod
    def _check(name, sigs, args, kwargs):
        if len(sigs) == 1:  # (hidden ones included: PyTorch's parser then raises the first error it meets)
            sigs[0].parse(name, args, kwargs, True)
            return
        for s in sigs:
            if s.parse(name, args, kwargs, False):
                return
        n = len(args) + len(kwargs)
        plausible = [s for s in sigs if s.min_args <= n <= s.max_args and not s.hidden]
        if len(plausible) == 1:
            plausible[0].parse(name, args, kwargs, True)
        raise _invalid_combination(name, [s.text for s in sigs if not s.hidden], args, kwargs)


_PARAMS = {}


def _as_called(fn, values, names=(), kw=()):
    """(args, kwargs) of the call that most likely gave ``fn`` its parameter values ``values``: keyword-only
    parameters, those the call named (``names``) and those the op usually gets by keyword (``kw``) are passed by
    keyword unless at their default; the others positionally up to the last one not at its default"""
    params = _PARAMS.get(fn)
    if params is None:
        params = _PARAMS[fn] = [(p.name, p.default, p.kind == p.KEYWORD_ONLY)
                                for p in inspect.signature(fn).parameters.values()]
    params = params[:len(values)]
    by_kw = [kwonly or name in names or name in kw for name, _, kwonly in params]
    given = [default is inspect.Parameter.empty or not (v is default or _same(v, default))
             for (_, default, _), v in zip(params, values)]
    last = builtins.max((i for i in range(len(params)) if given[i] and not by_kw[i]), default=-1)
    args = tuple(v for i, v in enumerate(values) if i <= last and not by_kw[i])
    kwargs = {params[i][0]: v for i, v in enumerate(values) if given[i] and (by_kw[i] or i > last)}
    return args, kwargs


def _same(a, b):
    try:
        return type(a) is type(b) and bool(a == b)
    except Exception:  # noqa: BLE001  (a tensor compared with a default)
        return False


