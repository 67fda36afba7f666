"""``torch.library``: user-defined operators.

``@torch.library.custom_op("mylib::op", mutates_args=())`` turns a function into an operator object that
is called like the function; ``register_autograd`` gives it a backward (through ``autograd.Function``),
``register_fake`` and ``register_kernel`` record the shape function and per-device kernels PyTorch would
dispatch to (ember has one device, so the CPU kernel or the function itself runs). ``Library``/``define``/
``impl`` keep PyTorch's older registration API. What needs PyTorch's dispatcher or compiler (``opcheck``,
``get_ctx``, Triton) is not offered.
"""

from __future__ import annotations

from ._devices import not_offered
from .autograd.function import Function

__all__ = ["custom_op", "CustomOpDef", "Library", "define", "impl", "register_fake", "register_autograd",
           "register_kernel", "impl_abstract", "fallthrough_kernel", "opcheck", "get_ctx", "infer_schema",
           "triton_op", "wrap_triton"]

_WHY = "it needs PyTorch's operator dispatcher and compiler stack"
opcheck = not_offered("torch.library.opcheck", _WHY)
get_ctx = not_offered("torch.library.get_ctx", _WHY)
infer_schema = not_offered("torch.library.infer_schema", _WHY)
triton_op = not_offered("torch.library.triton_op", "Triton kernels need a GPU compiler")
wrap_triton = not_offered("torch.library.wrap_triton", "Triton kernels need a GPU compiler")

_OPS: dict = {}  # "ns::name" -> CustomOpDef


def _qualname(qualname: str) -> tuple:
    if "::" not in qualname:
        raise ValueError(f"Expected there to be a namespace in {qualname}, i.e. The operator name should look "
                         f"something like ns::foo")
    return tuple(qualname.split("::", 1))


class CustomOpDef:
    """An operator made by ``custom_op``: call it as the function; register its backward, fake and kernels."""

    def __init__(self, namespace: str, name: str, fn, mutates_args, schema=None) -> None:
        self._namespace, self._name, self._init_fn = namespace, name, fn
        self._mutates_args, self._schema = mutates_args, schema
        self._kernels: dict = {}
        self._fake = None
        self._autograd = None
        self.__doc__ = getattr(fn, "__doc__", None)

    def __repr__(self) -> str:
        return f"<CustomOpDef({self._namespace}::{self._name})>"

    def _kernel(self):
        return self._kernels.get("cpu", self._kernels.get(None, self._init_fn))

    def __call__(self, *args, **kwargs):
        if self._autograd is not None:
            return self._autograd.apply(*args, **kwargs)
        return self._kernel()(*args, **kwargs)

    def register_kernel(self, device_types, fn=None):
        def register(f):
            for d in ([device_types] if device_types is None or isinstance(device_types, str) else device_types):
                self._kernels[d] = f
            return f
        return register(fn) if fn is not None else register

    def register_fake(self, fn):
        self._fake = fn
        return fn

    def register_autograd(self, backward, *, setup_context=None) -> None:
        op = self

        class _Op(Function):
            @staticmethod
            def forward(*args):
                return op._kernel()(*args)

            @staticmethod
            def setup_context(ctx, inputs, output):
                if setup_context is not None:
                    setup_context(ctx, inputs, output)

            @staticmethod
            def backward(ctx, *grads):
                return backward(ctx, *grads)

        _Op.__name__ = _Op.__qualname__ = self._name
        self._autograd = _Op


def custom_op(name: str, fn=None, /, *, mutates_args, device_types=None, schema=None, tags=None):
    """Decorator (or call) making ``fn`` the operator ``name`` ("namespace::name")."""
    namespace, opname = _qualname(name)

    def wrap(f):
        op = CustomOpDef(namespace, opname, f, mutates_args, schema)
        if device_types is not None:
            op.register_kernel(device_types, f)
        _OPS[name] = op
        return op
    return wrap(fn) if fn is not None else wrap


def _op(op) -> CustomOpDef:
    if isinstance(op, CustomOpDef):
        return op
    if op not in _OPS:
        raise ValueError(f"register: {op} is not a custom operator defined with torch.library")
    return _OPS[op]


def register_fake(op, func=None, /, *, lib=None, _stacklevel=1, allow_override=True):
    def register(f):
        _op(op).register_fake(f)
        return f
    return register(func) if func is not None else register


impl_abstract = register_fake


def register_autograd(op, backward, /, *, setup_context=None, lib=None) -> None:
    _op(op).register_autograd(backward, setup_context=setup_context)


def register_kernel(op, device_types, func=None, /, *, lib=None):
    return _op(op).register_kernel(device_types, func)


def fallthrough_kernel(*args, **kwargs):
    """A placeholder kernel that defers to the next dispatch key in PyTorch; never runs here."""
    raise NotImplementedError("fallthrough_kernel should never be called.")


class Library:
    """``Library("mylib", "DEF")``: a namespace to ``define`` operator schemas in and ``impl`` kernels for."""

    def __init__(self, ns: str, kind: str, dispatch_key: str = "") -> None:
        if kind not in ("IMPL", "DEF", "FRAGMENT"):
            raise ValueError("Unsupported kind: ", kind)
        self.ns, self.kind, self.dispatch_key = ns, kind, dispatch_key

    def __repr__(self) -> str:
        return f"Library(kind={self.kind}, ns={self.ns}, dispatch_key={self.dispatch_key})>"

    def define(self, schema: str, alias_analysis: str = "", *, tags=()) -> str:
        name = schema.split("(", 1)[0].strip()
        _OPS.setdefault(f"{self.ns}::{name}", CustomOpDef(self.ns, name, None, (), schema))
        return name

    def impl(self, op_name, fn, dispatch_key: str = "", *, with_keyset: bool = False) -> None:
        name = op_name if isinstance(op_name, str) else op_name._name
        qual = f"{self.ns}::{name.split('.', 1)[0]}"
        op = _OPS.setdefault(qual, CustomOpDef(self.ns, name, fn, ()))
        if (dispatch_key or self.dispatch_key or "").lower() == "autograd":
            op._init_fn = fn
        else:
            op.register_kernel((dispatch_key or self.dispatch_key or "cpu").lower(), fn)


def define(qualname: str, schema: str, *, lib=None, tags=()) -> None:
    namespace, name = _qualname(qualname)
    _OPS.setdefault(qualname, CustomOpDef(namespace, name, None, (), schema))


def impl(qualname: str, types, func=None, *, lib=None):
    def register(f):
        _op(qualname).register_kernel(None if types == "default" else types, f)
        return f
    return register(func) if func is not None else register
