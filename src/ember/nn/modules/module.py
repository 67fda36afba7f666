"""``Module``: the base of every layer and model.

Assigning a ``Parameter``, a ``Module`` or a registered buffer as an attribute files it in ``_parameters``,
``_modules`` or ``_buffers`` (``__setattr__``); ``__getattr__`` finds it there again. Everything else
(parameters(), state_dict(), repr, train/eval, .to()) is a walk over those three ordered dicts.
"""

from __future__ import annotations

import functools
import itertools
import threading
import warnings
import weakref
from collections import OrderedDict, namedtuple
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from ..._core.node import Node
from ..._core.record import _wrap_result
from ..._core.tensor import Tensor, _check_device, _to_dtype_arg
from ...autograd import grad_mode
from ...ops.convert import _target_device
from ...ops.creation import empty_like
from ..parameter import Parameter

__all__ = ["Module", "register_module_backward_hook", "register_module_buffer_registration_hook",
           "register_module_forward_hook", "register_module_forward_pre_hook", "register_module_full_backward_hook",
           "register_module_full_backward_pre_hook", "register_module_module_registration_hook",
           "register_module_parameter_registration_hook"]


def _typename(obj) -> str:
    """``torch.typename``: 'torch.FloatTensor' for tensors, 'module.Class' for other objects."""
    if isinstance(obj, Tensor):
        return obj.type()
    mod = getattr(obj, "__module__", None)
    prefix = "" if mod in (None, "builtins", "__builtin__") else mod + "."
    if prefix.startswith("ember."):
        prefix = "torch." + prefix[6:]  # name classes as PyTorch programs know them
    name = getattr(obj, "__qualname__", None) or getattr(obj, "__name__", None) or type(obj).__name__
    return prefix + name


def _addindent(s: str, spaces: int) -> str:
    lines = s.split("\n")
    if len(lines) == 1:
        return s
    first = lines.pop(0)
    return first + "\n" + "\n".join(" " * spaces + line for line in lines)


class _IncompatibleKeys(namedtuple("IncompatibleKeys", ["missing_keys", "unexpected_keys"])):
    """What ``load_state_dict`` returns: the keys it could not match."""

    def __repr__(self):
        if not self.missing_keys and not self.unexpected_keys:
            return "<All keys matched successfully>"
        return super().__repr__()

    __str__ = __repr__


class _RemovableHandle:
    """Returned by ``register_*_hook``: ``.remove()`` unregisters the hook."""

    _ids = itertools.count()

    def __init__(self, *dicts):
        self.id = next(_RemovableHandle._ids)
        self._dicts = dicts

    def remove(self):
        for d in self._dicts:
            d.pop(self.id, None)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()


# type(handle) prints as PyTorch's <class 'torch.utils.hooks.RemovableHandle'> (the one class all its registrations
# return); isinstance against ember.utils.hooks.RemovableHandle holds through its virtual subclasses
_RemovableHandle.__name__ = _RemovableHandle.__qualname__ = "RemovableHandle"
_RemovableHandle.__module__ = "torch.utils.hooks"


class _LoadPlans(threading.local):
    """Per thread, the copies planned by the load_state_dict calls running now (innermost last):
    _load_from_state_dict appends to the innermost plan; load_state_dict copies once every module passed."""

    def __init__(self):
        self.stack: list[list] = []


_LOAD_PLANS = _LoadPlans()


def _load_one(module, name: str, param: Tensor, value: Tensor, assign: bool) -> None:
    """Copy (or, with ``assign``, place) one checked state_dict entry into ``module``."""
    if assign:
        if name in module._parameters:
            module._parameters[name] = Parameter(value, requires_grad=param.requires_grad)
        else:
            module._buffers[name] = value
        return
    with grad_mode.no_grad():
        param.copy_(value)



# -- global module hooks: run for every module, before the module's own ------------------------------------------

_global_forward_pre_hooks: OrderedDict = OrderedDict()
_global_forward_hooks: OrderedDict = OrderedDict()
_global_forward_hooks_always_called: dict = {}
_global_forward_hooks_with_kwargs: dict = {}
_global_backward_hooks: OrderedDict = OrderedDict()
_global_backward_pre_hooks: OrderedDict = OrderedDict()
_global_module_registration_hooks: OrderedDict = OrderedDict()
_global_parameter_registration_hooks: OrderedDict = OrderedDict()
_global_buffer_registration_hooks: OrderedDict = OrderedDict()


def _register_global(store: OrderedDict, hook: Callable, *extra) -> _RemovableHandle:
    h = _RemovableHandle(store, *extra)
    store[h.id] = hook
    return h


def register_module_forward_pre_hook(hook: Callable) -> _RemovableHandle:
    """``hook(module, args)`` before every module's forward (before the module's own pre-hooks)."""
    return _register_global(_global_forward_pre_hooks, hook)


def register_module_forward_hook(hook: Callable, *, with_kwargs: bool = False,
                                 always_call: bool = False) -> _RemovableHandle:
    """``hook(module, args, output)`` after every module's forward (before the module's own hooks)."""
    h = _register_global(_global_forward_hooks, hook, _global_forward_hooks_always_called,
                         _global_forward_hooks_with_kwargs)
    if with_kwargs:
        _global_forward_hooks_with_kwargs[h.id] = True
    if always_call:
        _global_forward_hooks_always_called[h.id] = True
    return h


def register_module_full_backward_hook(hook: Callable) -> _RemovableHandle:
    """``hook(module, grad_input, grad_output)`` for every module's backward."""
    return _register_global(_global_backward_hooks, hook)


register_module_backward_hook = register_module_full_backward_hook


def register_module_full_backward_pre_hook(hook: Callable) -> _RemovableHandle:
    """``hook(module, grad_output)`` before every module's backward."""
    return _register_global(_global_backward_pre_hooks, hook)


def register_module_module_registration_hook(hook: Callable) -> _RemovableHandle:
    """``hook(module, name, submodule)`` whenever a submodule is registered; a non-None result replaces it."""
    return _register_global(_global_module_registration_hooks, hook)


def register_module_parameter_registration_hook(hook: Callable) -> _RemovableHandle:
    """``hook(module, name, param)`` whenever a parameter is registered; a non-None result replaces it."""
    return _register_global(_global_parameter_registration_hooks, hook)


def register_module_buffer_registration_hook(hook: Callable) -> _RemovableHandle:
    """``hook(module, name, buffer)`` whenever a buffer is registered; a non-None result replaces it."""
    return _register_global(_global_buffer_registration_hooks, hook)


def _registered(store: OrderedDict, module, name: str, value):
    for hook in store.values():
        out = hook(module, name, value)
        if out is not None:
            value = out
    return value


class _WrappedHook:
    """A load_state_dict pre-hook, called with the module first when registered through the public API."""

    def __init__(self, hook: Callable, module=None) -> None:
        self.hook = hook
        functools.update_wrapper(self, hook)
        self.with_module = module is not None
        if module is not None:
            self.module = weakref.ref(module)

    def __call__(self, *args, **kwargs):
        if self.with_module:
            module = self.module()
            if module is None:
                raise RuntimeError("You are trying to call the hook of a dead Module!")
            return self.hook(module, *args, **kwargs)
        return self.hook(*args, **kwargs)


class BackwardHookFunctionBackward(Node):
    """y = x, an identity on a hooked module's inputs or outputs whose backward runs the module's backward hooks."""

    def backward(self, g):
        return (self.on_grad(g),)

    def __repr__(self) -> str:  # PyTorch implements it as a Python autograd.Function, and prints it as one
        return f"<torch.autograd.function.{type(self).__name__} object at {hex(id(self))}>"


class _BackwardHooks:
    """One call of a module with backward hooks: identity nodes around its tensor inputs and outputs.

    The output nodes run first in backward: they collect grad_output and run the pre-hooks. The input nodes
    collect grad_input; the last one runs the full hooks (an earlier input's gradient is already gone by then,
    so only the last input's gradient can be replaced by a hook's result)."""

    def __init__(self, module):
        self.module = module
        self.grad_inputs: list = []
        self.in_pending = 0
        self.grad_outputs: list = []
        self.out_pending = 0

    def wrap_inputs(self, args: tuple) -> tuple:
        out = list(args)
        self.grad_inputs = [None] * sum(isinstance(a, Tensor) for a in args)
        k = 0
        for i, a in enumerate(args):
            if isinstance(a, Tensor):
                if a.requires_grad:
                    out[i] = self._link(a, lambda g, k=k: self._input_grad(k, g))
                    self.in_pending += 1
                k += 1
        return tuple(out)

    def wrap_outputs(self, result):
        tensors = [result] if isinstance(result, Tensor) else list(result) if isinstance(result, tuple) else []
        self.grad_outputs = [None] * len(tensors)
        wrapped = []
        for j, t in enumerate(tensors):
            if isinstance(t, Tensor) and t.requires_grad:
                t = self._link(t, lambda g, j=j: self._output_grad(j, g))
                self.out_pending += 1
            wrapped.append(t)
        if isinstance(result, Tensor):
            return wrapped[0]
        return tuple(wrapped) if isinstance(result, tuple) else result

    @staticmethod
    def _link(x, on_grad):
        y = _wrap_result(x._data, BackwardHookFunctionBackward, (x,))
        if x._version_counter is None:  # share the version counter: an in-place change of either is a change of both
            x._version_counter = [0]
        y._version_counter = x._version_counter
        y.grad_fn.on_grad = on_grad
        return y

    def _output_grad(self, j, g):
        self.grad_outputs[j] = g
        self.out_pending -= 1
        if self.out_pending == 0:
            for hook in [*_global_backward_pre_hooks.values(), *self.module._backward_pre_hooks.values()]:
                res = hook(self.module, tuple(self.grad_outputs))
                if res is not None:
                    self.grad_outputs = list(res)
            g = self.grad_outputs[j]
            if self.in_pending == 0:  # no input needs a gradient: the hooks see grad_input all None
                self._run_hooks()
        return g

    def _input_grad(self, k, g):
        self.grad_inputs[k] = g
        self.in_pending -= 1
        if self.in_pending == 0:
            self._run_hooks()
            g = self.grad_inputs[k]
        return g

    def _run_hooks(self):
        for hook in [*_global_backward_hooks.values(), *self.module._backward_hooks.values()]:
            res = hook(self.module, tuple(self.grad_inputs), tuple(self.grad_outputs))
            if res is not None:
                self.grad_inputs = list(res)


def _forward_unimplemented(self, *input: Any) -> None:
    raise NotImplementedError(f'Module [{type(self).__name__}] is missing the required "forward" function')


class Module:
    """The base class of every layer and model: subclass it, create the layers in ``__init__``, compute in ``forward``.

    Assigning a Parameter, a Module or a buffer (``register_buffer``) as an attribute registers it, so that
    ``parameters()`` (for the optimizer), ``state_dict()`` / ``load_state_dict()`` (for saving), ``to()``,
    ``zero_grad()``, ``train()`` / ``eval()`` and ``print(model)`` see everything inside. Calling the module,
    ``model(x)``, runs the forward pre-hooks, ``forward``, then the forward hooks; never call ``forward`` directly.
    ``model.training`` says which mode it is in (dropout and batch norm behave differently in eval mode).

    Example:
        >>> class TwoLayer(nn.Module):
        ...     def __init__(self):
        ...         super().__init__()
        ...         self.hidden = nn.Linear(2, 4)
        ...         self.out = nn.Linear(4, 1)
        ...
        ...     def forward(self, x):
        ...         return self.out(ember.tanh(self.hidden(x)))
        >>> model = TwoLayer()
        >>> model
        TwoLayer(
          (hidden): Linear(in_features=2, out_features=4, bias=True)
          (out): Linear(in_features=4, out_features=1, bias=True)
        )
        >>> [name for name, _ in model.named_parameters()]
        ['hidden.weight', 'hidden.bias', 'out.weight', 'out.bias']
        >>> model(ember.ones(3, 2)).shape
        torch.Size([3, 1])
    """

    training: bool
    _version: int = 1
    dump_patches: bool = False
    call_super_init: bool = False

    forward: Callable[..., Any] = _forward_unimplemented

    def __init__(self, *args, **kwargs) -> None:
        if args or kwargs:
            raise TypeError(f"{type(self).__name__}.__init__() takes 1 positional argument but {len(args) + 1} "
                            "were given" if args else
                            f"{type(self).__name__}.__init__() got an unexpected keyword argument "
                            f"'{next(iter(kwargs))}'")
        d = self.__dict__
        d["training"] = True
        d["_parameters"] = {}
        d["_buffers"] = {}
        d["_non_persistent_buffers_set"] = set()
        d["_modules"] = {}
        d["_forward_pre_hooks"] = OrderedDict()
        d["_forward_pre_hooks_with_kwargs"] = {}
        d["_forward_hooks"] = OrderedDict()
        d["_forward_hooks_with_kwargs"] = {}
        d["_forward_hooks_always_called"] = {}
        d["_backward_hooks"] = OrderedDict()
        d["_backward_pre_hooks"] = OrderedDict()
        d["_state_dict_hooks"] = OrderedDict()
        d["_state_dict_pre_hooks"] = OrderedDict()
        d["_load_state_dict_pre_hooks"] = OrderedDict()
        d["_load_state_dict_post_hooks"] = OrderedDict()

    # -- registration ------------------------------------------------------------------------------------
    def _check_name(self, name, kind: str, store) -> None:
        if "_parameters" not in self.__dict__:
            raise AttributeError(f"cannot assign {kind} before Module.__init__() call")
        if not isinstance(name, str):
            raise TypeError(f"{kind} name should be a string. Got {_typename(name)}")
        if "." in name:
            raise KeyError(f"{kind} name can't contain \".\"")
        if name == "":
            raise KeyError(f"{kind} name can't be empty string \"\"")
        if hasattr(self, name) and name not in store:
            raise KeyError(f"attribute '{name}' already exists")

    def register_buffer(self, name: str, tensor: Tensor | None, persistent: bool = True) -> None:
        """Register ``tensor`` as a buffer: saved in state_dict (if persistent), moved by .to(), not trained."""
        if "_buffers" not in self.__dict__:
            raise AttributeError("cannot assign buffer before Module.__init__() call")
        self._check_name(name, "buffer", self._buffers)
        if tensor is not None and not isinstance(tensor, Tensor):
            raise TypeError(f"cannot assign '{_typename(tensor)}' object to buffer '{name}' (torch Tensor or None "
                            "required)")
        if _global_buffer_registration_hooks:
            tensor = _registered(_global_buffer_registration_hooks, self, name, tensor)
        self._buffers[name] = tensor
        if persistent:
            self._non_persistent_buffers_set.discard(name)
        else:
            self._non_persistent_buffers_set.add(name)

    def register_parameter(self, name: str, param: Parameter | None) -> None:
        """Register ``param`` under ``name`` (``None`` keeps the slot, as for a Linear without bias)."""
        if "_parameters" not in self.__dict__:
            raise AttributeError("cannot assign parameter before Module.__init__() call")
        self._check_name(name, "parameter", self._parameters)
        if param is None:
            self._parameters[name] = None
            return
        if not isinstance(param, Parameter):
            raise TypeError(f"cannot assign '{_typename(param)}' object to parameter '{name}' (torch.nn.Parameter "
                            "or None required)")
        if param.grad_fn is not None:
            raise ValueError(f"Cannot assign non-leaf Tensor to parameter '{name}'. Model parameters must be "
                             f"created explicitly. To express '{name}' as a function of another Tensor, compute "
                             "the value in the forward() method.")
        if _global_parameter_registration_hooks:
            param = _registered(_global_parameter_registration_hooks, self, name, param)
        self._parameters[name] = param

    def add_module(self, name: str, module: Module | None) -> None:
        """Register ``module`` as a child named ``name``."""
        if not isinstance(module, Module) and module is not None:
            raise TypeError(f"{_typename(module)} is not a Module subclass")
        if not isinstance(name, str):
            raise TypeError(f"module name should be a string. Got {_typename(name)}")
        if hasattr(self, name) and name not in self._modules:
            raise KeyError(f"attribute '{name}' already exists")
        if "." in name:
            raise KeyError(f"module name can't contain \".\", got: {name}")
        if name == "":
            raise KeyError("module name can't be empty string \"\"")
        if _global_module_registration_hooks:
            module = _registered(_global_module_registration_hooks, self, name, module)
        self._modules[name] = module

    register_module = add_module

    def __getattr__(self, name: str) -> Any:
        # only reached when normal lookup fails: look in the registries
        d = self.__dict__
        if "_parameters" in d:
            p = d["_parameters"]
            if name in p:
                return p[name]
        if "_buffers" in d:
            b = d["_buffers"]
            if name in b:
                return b[name]
        if "_modules" in d:
            m = d["_modules"]
            if name in m:
                return m[name]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __setattr__(self, name: str, value: Any) -> None:
        d = self.__dict__

        def remove_from(*stores):
            for s in stores:
                if name in s:
                    if isinstance(s, set):
                        s.discard(name)
                    else:
                        del s[name]

        params = d.get("_parameters")
        if isinstance(value, Parameter):
            if params is None:
                raise AttributeError("cannot assign parameters before Module.__init__() call")
            remove_from(d, self._buffers, self._modules, self._non_persistent_buffers_set)
            self.register_parameter(name, value)
            return
        if params is not None and name in params:
            if value is not None:
                raise TypeError(f"cannot assign '{_typename(value)}' as parameter '{name}' (torch.nn.Parameter or "
                                "None expected)")
            self.register_parameter(name, value)
            return
        modules = d.get("_modules")
        if isinstance(value, Module):
            if modules is None:
                raise AttributeError("cannot assign module before Module.__init__() call")
            remove_from(d, self._parameters, self._buffers, self._non_persistent_buffers_set)
            if _global_module_registration_hooks:
                value = _registered(_global_module_registration_hooks, self, name, value)
            modules[name] = value
            return
        if modules is not None and name in modules:
            if value is not None:
                raise TypeError(f"cannot assign '{_typename(value)}' as child module '{name}' (torch.nn.Module or "
                                "None expected)")
            modules[name] = value
            return
        buffers = d.get("_buffers")
        if getattr(value, "_is_buffer", False) or (buffers is not None and name in buffers):
            if value is not None and not isinstance(value, Tensor):
                raise TypeError(f"cannot assign '{_typename(value)}' as buffer '{name}' (torch.nn.Buffer, "
                                "torch.Tensor or None expected)")
            if getattr(value, "_is_buffer", False):
                persistent = value.persistent
            else:
                persistent = name not in self._non_persistent_buffers_set
            if name not in (buffers or {}):
                remove_from(d, self._parameters, self._modules)
            self.register_buffer(name, value, persistent)
            return
        object.__setattr__(self, name, value)

    def __delattr__(self, name: str) -> None:
        if name in self._parameters:
            del self._parameters[name]
        elif name in self._buffers:
            del self._buffers[name]
            self._non_persistent_buffers_set.discard(name)
        elif name in self._modules:
            del self._modules[name]
        else:
            object.__delattr__(self, name)

    def __dir__(self):
        keys = itertools.chain(dir(type(self)), self.__dict__, self._parameters, self._modules, self._buffers)
        return sorted(k for k in set(keys) if not k[0].isdigit())

    # -- calling ------------------------------------------------------------------------------------------
    def __call__(self, *args, **kwargs):
        d = self.__dict__
        if not (d["_forward_pre_hooks"] or d["_forward_hooks"] or d["_backward_hooks"]
                or d["_backward_pre_hooks"] or _global_forward_pre_hooks or _global_forward_hooks
                or _global_backward_hooks or _global_backward_pre_hooks):
            return self.forward(*args, **kwargs)  # the common case: no hooks, no overhead
        return self._call_with_hooks(args, kwargs)

    _call_impl = __call__

    def _call_with_hooks(self, args, kwargs):
        called = set()  # the always_call forward hooks that ran
        result = None
        try:
            for hid, hook in [*_global_forward_pre_hooks.items(), *self._forward_pre_hooks.items()]:
                if self._forward_pre_hooks_with_kwargs.get(hid):
                    res = hook(self, args, kwargs)
                    if res is not None:
                        if not (isinstance(res, tuple) and len(res) == 2):
                            raise RuntimeError("forward pre-hook must return None or a tuple of (new_args, "
                                               f"new_kwargs), but got {res}.")
                        args, kwargs = res
                else:
                    res = hook(self, args)
                    if res is not None:
                        args = res if isinstance(res, tuple) else (res,)
            bw = None
            if (self._backward_hooks or self._backward_pre_hooks or _global_backward_hooks
                    or _global_backward_pre_hooks) and grad_mode.state.enabled:
                bw = _BackwardHooks(self)
                args = bw.wrap_inputs(args)
            result = self.forward(*args, **kwargs)
            for hid, hook in [*_global_forward_hooks.items(), *self._forward_hooks.items()]:
                if hid in self._forward_hooks_always_called or hid in _global_forward_hooks_always_called:
                    called.add(hid)
                if self._forward_hooks_with_kwargs.get(hid) or _global_forward_hooks_with_kwargs.get(hid):
                    res = hook(self, args, kwargs, result)
                else:
                    res = hook(self, args, result)
                if res is not None:
                    result = res
            if bw is not None:
                result = bw.wrap_outputs(result)
            return result
        except Exception:
            for where, hooks, always in (("global module", _global_forward_hooks, _global_forward_hooks_always_called),
                                         ("module", self._forward_hooks, self._forward_hooks_always_called)):
                for hid, hook in list(hooks.items()):
                    if hid not in always or hid in called:
                        continue
                    try:
                        if self._forward_hooks_with_kwargs.get(hid) or _global_forward_hooks_with_kwargs.get(hid):
                            res = hook(self, args, kwargs, result)
                        else:
                            res = hook(self, args, result)
                        if res is not None:
                            result = res
                    except Exception as e:  # noqa: BLE001 - PyTorch silences it with a warning
                        warnings.warn(f"{where} forward hook with ``always_call=True`` raised an exception that was "
                                      f"silenced as another error was raised in forward: {e}", stacklevel=2)
            raise

    # -- hooks -------------------------------------------------------------------------------------------
    def register_forward_pre_hook(self, hook: Callable, *, prepend: bool = False,
                                  with_kwargs: bool = False) -> _RemovableHandle:
        """``hook(module, args)`` runs before forward; a non-None result replaces the positional inputs."""
        h = _RemovableHandle(self._forward_pre_hooks, self._forward_pre_hooks_with_kwargs)
        self._forward_pre_hooks[h.id] = hook
        if with_kwargs:
            self._forward_pre_hooks_with_kwargs[h.id] = True
        if prepend:
            self._forward_pre_hooks.move_to_end(h.id, last=False)
        return h

    def register_forward_hook(self, hook: Callable, *, prepend: bool = False, with_kwargs: bool = False,
                              always_call: bool = False) -> _RemovableHandle:
        """``hook(module, args, output)`` runs after forward; a non-None result replaces the output."""
        h = _RemovableHandle(self._forward_hooks, self._forward_hooks_with_kwargs,
                             self._forward_hooks_always_called)
        self._forward_hooks[h.id] = hook
        if with_kwargs:
            self._forward_hooks_with_kwargs[h.id] = True
        if always_call:
            self._forward_hooks_always_called[h.id] = True
        if prepend:
            self._forward_hooks.move_to_end(h.id, last=False)
        return h

    def register_full_backward_hook(self, hook: Callable, prepend: bool = False) -> _RemovableHandle:
        """``hook(module, grad_input, grad_output)`` runs once the module's input gradients are known;
        a non-None result replaces grad_input."""
        h = _RemovableHandle(self._backward_hooks)
        self._backward_hooks[h.id] = hook
        if prepend:
            self._backward_hooks.move_to_end(h.id, last=False)
        return h

    def register_full_backward_pre_hook(self, hook: Callable, prepend: bool = False) -> _RemovableHandle:
        """``hook(module, grad_output)`` runs before the module's backward; a non-None result replaces
        grad_output."""
        h = _RemovableHandle(self._backward_pre_hooks)
        self._backward_pre_hooks[h.id] = hook
        if prepend:
            self._backward_pre_hooks.move_to_end(h.id, last=False)
        return h

    def register_backward_hook(self, hook: Callable) -> _RemovableHandle:
        return self.register_full_backward_hook(hook)

    def _register_state_dict_hook(self, hook: Callable) -> _RemovableHandle:
        """``hook(module, state_dict, prefix, local_metadata)`` after state_dict(); a non-None result replaces it."""
        if getattr(hook, "_from_public_api", False):
            raise RuntimeError("Cannot register the same function as the state dict post hook that was previously "
                               "registered via register_state_dict_post_hook")
        h = _RemovableHandle(self._state_dict_hooks)
        self._state_dict_hooks[h.id] = hook
        return h

    def register_state_dict_post_hook(self, hook: Callable) -> _RemovableHandle:
        """``hook(module, state_dict, prefix, local_metadata)`` after state_dict(); it must return None."""
        hook._from_public_api = True
        h = _RemovableHandle(self._state_dict_hooks)
        self._state_dict_hooks[h.id] = hook
        return h

    def register_state_dict_pre_hook(self, hook: Callable) -> _RemovableHandle:
        """``hook(module, prefix, keep_vars)`` before state_dict() collects this module's tensors."""
        h = _RemovableHandle(self._state_dict_pre_hooks)
        self._state_dict_pre_hooks[h.id] = hook
        return h

    def _register_load_state_dict_pre_hook(self, hook: Callable, with_module: bool = False) -> _RemovableHandle:
        """``hook(state_dict, prefix, local_metadata, strict, missing, unexpected, error_msgs)`` before this
        module loads its part of a state dict (with the module first when ``with_module``)."""
        h = _RemovableHandle(self._load_state_dict_pre_hooks)
        self._load_state_dict_pre_hooks[h.id] = _WrappedHook(hook, self if with_module else None)
        return h

    def register_load_state_dict_pre_hook(self, hook: Callable) -> _RemovableHandle:
        """``hook(module, state_dict, prefix, local_metadata, strict, missing, unexpected, error_msgs)``."""
        return self._register_load_state_dict_pre_hook(hook, with_module=True)

    # -- traversal ----------------------------------------------------------------------------------------
    def _named_members(self, get_members, prefix="", recurse=True, remove_duplicate=True):
        memo = set()
        mods = self.named_modules(prefix=prefix, remove_duplicate=remove_duplicate) if recurse else [(prefix, self)]
        for module_prefix, module in mods:
            for k, v in get_members(module):
                if v is None or id(v) in memo:
                    continue
                if remove_duplicate:
                    memo.add(id(v))
                yield (module_prefix + ("." if module_prefix else "") + k, v)

    def parameters(self, recurse: bool = True) -> Iterator[Parameter]:
        """The parameters of this module (and, with ``recurse``, of all sub-modules), each once."""
        for _, p in self.named_parameters(recurse=recurse):
            yield p

    def named_parameters(self, prefix: str = "", recurse: bool = True,
                         remove_duplicate: bool = True) -> Iterator[tuple[str, Parameter]]:
        """(dotted name, parameter) pairs, in registration order."""
        return self._named_members(lambda m: m._parameters.items(), prefix, recurse, remove_duplicate)

    def buffers(self, recurse: bool = True) -> Iterator[Tensor]:
        for _, b in self.named_buffers(recurse=recurse):
            yield b

    def named_buffers(self, prefix: str = "", recurse: bool = True,
                      remove_duplicate: bool = True) -> Iterator[tuple[str, Tensor]]:
        return self._named_members(lambda m: m._buffers.items(), prefix, recurse, remove_duplicate)

    def children(self) -> Iterator[Module]:
        for _, m in self.named_children():
            yield m

    def named_children(self) -> Iterator[tuple[str, Module]]:
        memo = set()
        for name, m in self._modules.items():
            if m is not None and id(m) not in memo:
                memo.add(id(m))
                yield name, m

    def modules(self) -> Iterator[Module]:
        for _, m in self.named_modules():
            yield m

    def named_modules(self, memo: set | None = None, prefix: str = "", remove_duplicate: bool = True):
        """(dotted name, module) for this module and all descendants, depth first, each once."""
        if memo is None:
            memo = set()
        if self in memo:
            return
        if remove_duplicate:
            memo.add(self)
        yield prefix, self
        for name, m in self._modules.items():
            if m is None:
                continue
            sub = prefix + ("." if prefix else "") + name
            yield from m.named_modules(memo, sub, remove_duplicate)

    def __hash__(self):
        return id(self)

    def get_submodule(self, target: str) -> Module:
        """The sub-module at dotted path ``target`` ('' is this module)."""
        if target == "":
            return self
        mod = self
        for item in target.split("."):
            if not hasattr(mod, item):
                raise AttributeError(mod._get_name() + " has no attribute `" + item + "`")
            mod = getattr(mod, item)
            if not isinstance(mod, Module):
                raise AttributeError("`" + item + "` is not an nn.Module")  # noqa: TRY004  (PyTorch raises AttributeError)
        return mod

    def set_submodule(self, target: str, module: Module, strict: bool = False) -> None:
        """Put ``module`` at dotted path ``target`` (replacing what is there; with ``strict``, it must exist)."""
        if target == "":
            raise ValueError("Cannot set the submodule without a target name!")
        atoms = target.split(".")
        if not isinstance(module, Module):
            raise ValueError(f"`module` is not an nn.Module, found {type(module)}")
        parent = self if len(atoms) == 1 else self.get_submodule(".".join(atoms[:-1]))
        if strict and not hasattr(parent, atoms[-1]):
            raise AttributeError(parent._get_name() + " has no attribute `" + atoms[-1] + "`")
        if hasattr(parent, atoms[-1]) and not isinstance(getattr(parent, atoms[-1]), Module):
            raise AttributeError("`" + atoms[-1] + "` is not an nn.Module")
        setattr(parent, atoms[-1], module)

    def get_parameter(self, target: str) -> Parameter:
        """The parameter at dotted path ``target``."""
        module_path, _, param_name = target.rpartition(".")
        mod = self.get_submodule(module_path)
        if not hasattr(mod, param_name):
            raise AttributeError(mod._get_name() + " has no attribute `" + param_name + "`")
        param = getattr(mod, param_name)
        if not isinstance(param, Parameter):
            raise AttributeError("`" + param_name + "` is not an nn.Parameter")  # noqa: TRY004
        return param

    def get_buffer(self, target: str) -> Tensor:
        module_path, _, buffer_name = target.rpartition(".")
        mod = self.get_submodule(module_path)
        if not hasattr(mod, buffer_name):
            raise AttributeError(mod._get_name() + " has no attribute `" + buffer_name + "`")
        if buffer_name not in mod._buffers:
            raise AttributeError("`" + buffer_name + "` is not a buffer")
        return getattr(mod, buffer_name)

    # -- modes and in-place changes ----------------------------------------------------------------------
    def train(self, mode: bool = True) -> Module:
        """Set training mode (Dropout drops, BatchNorm uses batch statistics) here and in all sub-modules."""
        if not isinstance(mode, bool):
            raise ValueError("training mode is expected to be boolean")  # noqa: TRY004  (PyTorch raises ValueError)
        self.training = mode
        for m in self.children():
            m.train(mode)
        return self

    def eval(self) -> Module:
        """``train(False)``."""
        return self.train(False)

    def requires_grad_(self, requires_grad: bool = True) -> Module:
        for p in self.parameters():
            p.requires_grad_(requires_grad)
        return self

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Reset every parameter's ``.grad`` (to None, or to zeros)."""
        for p in self.parameters():
            if p._grad is not None:
                if set_to_none:
                    p._grad = None
                else:
                    g = p._grad
                    if g.grad_fn is not None:
                        g = g.detach()
                        p._grad = g
                    g._data[...] = 0

    def apply(self, fn: Callable[[Module], None]) -> Module:
        """Call ``fn`` on every sub-module (children first) and then on this module."""
        for m in self.children():
            m.apply(fn)
        fn(self)
        return self

    def _apply(self, fn, recurse: bool = True) -> Module:
        """Replace every parameter's and buffer's values by ``fn(values)``, keeping the Parameter objects."""
        if recurse:
            for m in self.children():
                m._apply(fn)
        with grad_mode.no_grad():
            for p in self._parameters.values():
                if p is None:
                    continue
                p._data = fn(p)._data
                if p._grad is not None:
                    p._grad._data = fn(p._grad)._data
        for k, b in self._buffers.items():
            if b is not None:
                self._buffers[k] = fn(b)
        return self

    def to(self, *args, **kwargs) -> Module:
        """Cast floating parameters and buffers to a dtype, and move them all to a device (the CPU or the meta
        device; others are unavailable)."""
        dt = _to_dtype_arg(args, kwargs)
        kind = _target_device(args, kwargs)
        if dt is not None and not (dt.is_floating_point or dt.is_complex):
            raise TypeError(f"nn.Module.to only accepts floating point or complex dtypes, but got desired "
                            f"dtype={dt}")
        if kind is not None:
            return self._apply(lambda t: t.to(kind, dt if t.is_floating_point() or t.is_complex() else None))
        if dt is None:
            return self
        return self._apply(lambda t: t.to(dt) if t.is_floating_point() else t)

    def cpu(self) -> Module:
        return self

    def cuda(self, device=None) -> Module:
        _check_device("cuda")
        return self

    def xpu(self, device=None) -> Module:
        raise AssertionError("Torch not compiled with XPU enabled")

    def ipu(self, device=None) -> Module:
        _check_device("ipu")
        return self

    def mtia(self, device=None) -> Module:
        _check_device("mtia")
        return self

    def to_empty(self, *, device=None, recurse: bool = True) -> Module:
        """Every parameter and buffer replaced by an uninitialised tensor of its shape and dtype on ``device``."""
        return self._apply(lambda t: empty_like(t, device=device), recurse=recurse)

    def compile(self, *args, **kwargs) -> None:
        """``torch.compile`` this module's forward in place (``ember.compile``'s arguments): later calls replay it."""
        from ..._compile import Compiled
        self.__dict__["forward"] = Compiled(type(self).forward.__get__(self), *args, **kwargs)

    def type(self, dst_type) -> Module:
        return self._apply(lambda t: t.type(dst_type))

    def float(self) -> Module:
        return self._apply(lambda t: t.float() if t.is_floating_point() else t)

    def double(self) -> Module:
        return self._apply(lambda t: t.double() if t.is_floating_point() else t)

    def half(self) -> Module:
        return self._apply(lambda t: t.half() if t.is_floating_point() else t)

    def bfloat16(self) -> Module:
        return self._apply(lambda t: t.bfloat16() if t.is_floating_point() else t)

    def share_memory(self) -> Module:
        return self

    # -- state_dict ---------------------------------------------------------------------------------------
    def _save_to_state_dict(self, destination, prefix, keep_vars):
        for name, p in self._parameters.items():
            if p is not None:
                destination[prefix + name] = p if keep_vars else p.detach()
        for name, b in self._buffers.items():
            if b is not None and name not in self._non_persistent_buffers_set:
                destination[prefix + name] = b if keep_vars else b.detach()
        if type(self).get_extra_state is not Module.get_extra_state:
            destination[prefix + "_extra_state"] = self.get_extra_state()

    def get_extra_state(self) -> Any:
        """Extra (non-tensor) state for state_dict(): a module that has some overrides this and set_extra_state."""
        raise RuntimeError("Reached a code path in Module.get_extra_state() that should never be called. Please file an "
                           "issue at https://github.com/pytorch/pytorch/issues/new?template=bug-report.yml to report "
                           "this bug.")

    def set_extra_state(self, state: Any) -> None:
        """Restore what get_extra_state() returned."""
        raise RuntimeError("Reached a code path in Module.set_extra_state() that should never be called. Please file an "
                           "issue at https://github.com/pytorch/pytorch/issues/new?template=bug-report.yml to report "
                           "this bug.")

    def state_dict(self, *args, destination=None, prefix: str = "", keep_vars: bool = False) -> dict:
        """An ordered dict of every parameter and persistent buffer, keyed by dotted name (values detached)."""
        if args:  # PyTorch's deprecated positional form (destination, prefix, keep_vars)
            destination = args[0]
            if len(args) > 1:
                prefix = args[1]
            if len(args) > 2:
                keep_vars = args[2]
        if destination is None:
            destination = OrderedDict()
            destination._metadata = OrderedDict()
        local_metadata = {"version": self._version}
        meta = getattr(destination, "_metadata", None)
        if meta is not None:
            meta[prefix[:-1]] = local_metadata
        for hook in self.__dict__.get("_state_dict_pre_hooks", {}).values():
            hook(self, prefix, keep_vars)
        self._save_to_state_dict(destination, prefix, keep_vars)
        for name, m in self._modules.items():
            if m is not None:
                m.state_dict(destination=destination, prefix=prefix + name + ".", keep_vars=keep_vars)
        for hook in self._state_dict_hooks.values():
            res = hook(self, destination, prefix, local_metadata)
            if not getattr(hook, "_from_public_api", False):
                if res is not None:
                    destination = res
            elif res is not None:
                raise RuntimeError("state_dict post-hook must return None")
        return destination

    def _load_from_state_dict(self, state_dict, prefix, local_metadata, strict, missing_keys, unexpected_keys,
                              error_msgs):
        """Check this module's own entries of ``state_dict`` (not its children's) and copy them in.

        Inside ``load_state_dict`` the copies are only planned, and made once every module has passed.
        """
        persistent = {k: v for k, v in self._buffers.items() if k not in self._non_persistent_buffers_set}
        local_state = {k: v for k, v in itertools.chain(self._parameters.items(), persistent.items())
                       if v is not None}
        assign = local_metadata.get("assign_to_params_buffers", False)
        plans = _LOAD_PLANS.stack
        pending = plans[-1] if plans else None
        for name, param in local_state.items():
            key = prefix + name
            if key not in state_dict:
                if strict:
                    missing_keys.append(key)
                continue
            value = state_dict[key]
            if not isinstance(value, Tensor):
                error_msgs.append(f'While copying the parameter named "{key}", expected torch.Tensor or '
                                  f"Tensor-like object from checkpoint but received {type(value)}")
                continue
            if param.ndim == 0 and value.shape == (1,):
                value = value[0]  # PyTorch accepts a 1-element vector for a 0-d parameter
            if value.shape != param.shape:
                error_msgs.append(f"size mismatch for {key}: copying a param with shape {value.shape} from "
                                  f"checkpoint, the shape in current model is {param.shape}.")
                continue
            if pending is not None:
                pending.append((self, name, param, value, assign))
            else:
                _load_one(self, name, param, value, assign)
        if strict:
            for key in state_dict:
                if key.startswith(prefix):
                    parts = key[len(prefix):].split(".", 1)
                    if len(parts) > 1:
                        if parts[0] not in self._modules:
                            unexpected_keys.append(key)
                    elif parts[0] not in local_state:
                        unexpected_keys.append(key)

    def load_state_dict(self, state_dict: Mapping, strict: bool = True, assign: bool = False) -> _IncompatibleKeys:
        """Copy values from ``state_dict`` into the parameters and buffers; with ``strict``, keys must match.

        Goes past PyTorch: every key, shape and type is checked, across all submodules, before any value is
        copied, so a rejected ``state_dict`` (missing or unexpected keys with ``strict``, a size mismatch, a
        value that is not a tensor) raises PyTorch's error and leaves the model exactly as it was; PyTorch
        copies the entries that fit before it raises. (Dtypes are converted as PyTorch converts them.) If a
        submodule has a load_state_dict post-hook, which may forgive missing or unexpected keys, the copies are
        made before the hooks run and the key check after them, as in PyTorch.
        """
        if not isinstance(state_dict, Mapping):
            raise TypeError(f"Expected state_dict to be dict-like, got {type(state_dict)}.")
        missing, unexpected, errors = [], [], []
        metadata = getattr(state_dict, "_metadata", None)
        state_dict = OrderedDict(state_dict)
        if metadata is not None:
            state_dict._metadata = metadata
        incompatible = _IncompatibleKeys(missing, unexpected)
        order = []  # modules in PyTorch's post-hook order (each after its children)

        def load(module, local_sd, prefix=""):
            local_meta = {} if metadata is None else dict(metadata.get(prefix[:-1], {}))
            if assign:
                local_meta["assign_to_params_buffers"] = True
            for hook in module._load_state_dict_pre_hooks.values():
                hook(local_sd, prefix, local_meta, True, missing, unexpected, errors)
            module._load_from_state_dict(local_sd, prefix, local_meta, True, missing, unexpected, errors)
            for name, child in module._modules.items():
                if child is not None:
                    child_prefix = prefix + name + "."
                    load(child, {k: v for k, v in local_sd.items() if k.startswith(child_prefix)}, child_prefix)
            order.append(module)

        def key_errors():
            if not strict:
                return []
            out = []
            if missing:
                out.append("Missing key(s) in state_dict: {}. ".format(", ".join(f'"{k}"' for k in missing)))
            if unexpected:
                out.append("Unexpected key(s) in state_dict: {}. ".format(", ".join(f'"{k}"' for k in unexpected)))
            return out

        def fail(msgs):
            raise RuntimeError("Error(s) in loading state_dict for {}:\n\t{}".format(
                type(self).__name__, "\n\t".join(msgs)))

        plan: list = []
        _LOAD_PLANS.stack.append(plan)
        try:
            load(self, state_dict)
        finally:
            _LOAD_PLANS.stack.pop()
        post_hooks = [(m, h) for m in order for h in m._load_state_dict_post_hooks.values()]
        if errors or (key_errors() and not post_hooks):
            fail(key_errors() + errors)  # nothing has been copied
        for module, name, param, value, assign_one in plan:
            _load_one(module, name, param, value, assign_one)
        for module, hook in post_hooks:
            if hook(module, incompatible) is not None:
                raise AssertionError("Hooks registered with ``register_load_state_dict_post_hook`` are not expected "
                                     "to return new values, if incompatible_keys need to be modified, it should be "
                                     "done inplace.")
        if key_errors() + errors:
            fail(key_errors() + errors)
        return incompatible

    # -- printing -----------------------------------------------------------------------------------------
    def extra_repr(self) -> str:
        """The text inside this module's parentheses in ``print(model)``; layers override it."""
        return ""

    def _get_name(self) -> str:
        return type(self).__name__

    def __repr__(self) -> str:
        extra = self.extra_repr()
        extra_lines = extra.split("\n") if extra else []
        child_lines = [f"({key}): " + _addindent(repr(m), 2) for key, m in self._modules.items()]
        lines = extra_lines + child_lines
        s = self._get_name() + "("
        if lines:
            if len(extra_lines) == 1 and not child_lines:
                s += extra_lines[0]
            else:
                s += "\n  " + "\n  ".join(lines) + "\n"
        return s + ")"

    # -- pickling / copying -------------------------------------------------------------------------------
    def __getstate__(self):
        return self.__dict__.copy()

    def __setstate__(self, state):
        self.__dict__.update(state)
        self.__dict__.setdefault("_state_dict_pre_hooks", OrderedDict())
