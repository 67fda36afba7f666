"""``Optimizer``: parameter groups, per-parameter state, hooks, ``state_dict`` in PyTorch's layout.

Updates run on the NumPy arrays behind the parameters (``p._data``) with in-place ufuncs, so a step costs one
short Python loop plus whole-array NumPy calls.

**Validate, then change** (ember goes past PyTorch here). ``step`` first gathers every parameter that has a
gradient and checks the gradient and the state against the parameter -- shape, dtype, and the presence of every
entry the algorithm reads -- and builds (without storing) the state of parameters seen for the first time. Only
when everything is consistent is anything written. A mis-shaped ``.grad`` or a bad state (one loaded by
``load_state_dict``, say) raises a RuntimeError naming the parameter's index (its key in
``state_dict()['state']``) and both shapes, and leaves every parameter, moment and step counter as it was;
PyTorch's default path updates the parameters before the bad one, then fails with a broadcasting error.

**One update, two layouts.** An elementwise algorithm writes its update once, ``_update(group, d, g, s)``, on
arrays: ``d`` the parameter, ``g`` its gradient (negated for ``maximize``, with the L2 penalty added), ``s`` its
state (0-d arrays for step counters and other scalars, updated in place). By default (``foreach`` None or False,
PyTorch's single-tensor path on a CPU) each parameter is updated on its own. With ``foreach=True``, small
parameters of one dtype whose scalar state agrees (the same step count, say) are concatenated into flat arrays,
updated by one ``_update`` call and written back; elementwise arithmetic rounds identically either way, so the
numbers are bit-identical and only the Python round per parameter is saved. That pays for algorithms with many
operations per parameter (Adam: 1.7x faster on 50 parameters of 100 elements, 1.5x on 200 of 30) and not for
plain SGD (0.8x), which is why it is not the default; parameters above 4096 elements are always updated one by
one, where copying would cost more than it saves.
"""

from __future__ import annotations

import functools
import warnings
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable
from copy import deepcopy
from itertools import chain
from typing import Any

# the internals optim uses are imported here only (the other optim modules take Tensor and _wrap from this one)
from .._array import np
from .._core.tensor import Tensor, _wrap
from ..autograd import grad_mode
from ..kernels.memory import BLOCK, blockwise
from ..nn.modules.module import _RemovableHandle as RemovableHandle
from ..ops.query import typename

__all__ = ["Optimizer", "StateDict", "register_optimizer_step_post_hook", "register_optimizer_step_pre_hook",
           "required"]


class _RequiredParameter:
    """Marks a default that every parameter group must give (PyTorch's ``optim.optimizer.required``)."""

    def __repr__(self) -> str:
        return "<required parameter>"


required = _RequiredParameter()

ParamsT = Iterable[Any]
StateDict = dict[str, Any]

# parameters with at most this many elements are concatenated when foreach is on: below it, one Python round per
# parameter costs more than copying the parameter, its gradient and its state into flat arrays and back
_FLAT_MAX = 4096

_global_optimizer_pre_hooks: OrderedDict[int, Callable] = OrderedDict()
_global_optimizer_post_hooks: OrderedDict[int, Callable] = OrderedDict()


def register_optimizer_step_pre_hook(hook: Callable) -> RemovableHandle:
    """Register ``hook(optimizer, args, kwargs) -> None or (args, kwargs)`` before every optimizer's ``step``."""
    handle = RemovableHandle(_global_optimizer_pre_hooks)
    _global_optimizer_pre_hooks[handle.id] = hook
    return handle


def register_optimizer_step_post_hook(hook: Callable) -> RemovableHandle:
    """Register ``hook(optimizer, args, kwargs)`` after every optimizer's ``step``."""
    handle = RemovableHandle(_global_optimizer_post_hooks)
    _global_optimizer_post_hooks[handle.id] = hook
    return handle


def _step_tensor(value: float = 0.0) -> Tensor:
    # PyTorch 2.x keeps the step count as a float32 0-d tensor on the CPU (so state_dicts carry tensors)
    return _wrap(np.array(value, dtype=np.float32))


def _zeros_like(p: Tensor) -> Tensor:
    return _wrap(np.zeros_like(p._data))


def _typename(obj) -> str:
    return typename(obj)


def _register(hooks: OrderedDict, hook: Callable, prepend: bool = False) -> RemovableHandle:
    handle = RemovableHandle(hooks)
    hooks[handle.id] = hook
    if prepend:
        hooks.move_to_end(handle.id, last=False)
    return handle


_CAPTURABLE_DEVICES = "['cuda', 'xpu', 'hpu', 'privateuseone', 'xla']"


class Optimizer:
    """The base class of every optimizer: it holds parameter groups and per-parameter state, and ``step()`` updates
    the parameters from their ``.grad``.

    ``param_groups`` is a list of dicts, each with its 'params' and its hyperparameters (lr, ...), so parts of a
    model can have different settings; ``add_param_group`` adds one. ``state`` maps each parameter to its
    buffers (momentum, moments, step counts). ``zero_grad()`` clears the gradients (sets them to None by default);
    ``state_dict()`` / ``load_state_dict()`` save and restore both, in PyTorch's layout (parameters by index).
    Hooks can run before and after every step (``register_step_pre_hook``, ``register_step_post_hook``).

    Args:
        params: the tensors to optimise, or a list of parameter-group dicts.
        defaults: the hyperparameters a group gets when it does not name them.

    Example:
        >>> model = nn.Linear(2, 1)
        >>> opt = optim.SGD([{"params": [model.weight]}, {"params": [model.bias], "lr": 0.01}], lr=0.1)
        >>> [group["lr"] for group in opt.param_groups]
        [0.1, 0.01]
        >>> sorted(opt.state_dict())
        ['param_groups', 'state']
    """

    OptimizerPreHook = Callable
    OptimizerPostHook = Callable

    # -- what a built-in optimizer declares for validate-then-change (ember's, not PyTorch's interface) ------
    _elementwise = False      # _update is elementwise, so parameters may be concatenated (see module docstring)
    _l2 = True                # weight_decay is an L2 penalty added to the gradient (unless decoupled_weight_decay)
    _scalar_state: tuple = ()  # 0-d state entries (step counters...); old checkpoints hold them as Python numbers
    _capturable_what = "params and state_steps"  # the wording of PyTorch's capturable-on-CPU assertion

    def _new_state(self, group: dict, p: Tensor) -> dict | None:
        """The state of a parameter seen for the first time (None: the algorithm keeps none)."""
        return None

    def _state_spec(self, group: dict, p: Tensor) -> dict:
        """Entries a non-empty state must hold: ``'param'`` (the parameter's shape and dtype), ``'param?'`` (the
        same, or absent/None), ``'scalar'`` (one element) or a shape tuple (the parameter's dtype)."""
        return {}

    def _update(self, group: dict, d: np.ndarray, g: np.ndarray, s: dict) -> None:
        raise NotImplementedError

    # -- construction ----------------------------------------------------------------------------------------
    def __init__(self, params: ParamsT, defaults: dict[str, Any]) -> None:
        self.defaults = defaults
        self._optimizer_step_pre_hooks: OrderedDict[int, Callable] = OrderedDict()
        self._optimizer_step_post_hooks: OrderedDict[int, Callable] = OrderedDict()
        self._optimizer_state_dict_pre_hooks: OrderedDict[int, Callable] = OrderedDict()
        self._optimizer_state_dict_post_hooks: OrderedDict[int, Callable] = OrderedDict()
        self._optimizer_load_state_dict_pre_hooks: OrderedDict[int, Callable] = OrderedDict()
        self._optimizer_load_state_dict_post_hooks: OrderedDict[int, Callable] = OrderedDict()
        self._patch_step_function()
        if isinstance(params, Tensor):
            raise TypeError("params argument given to the optimizer should be an iterable of Tensors or dicts, "
                            "but got " + _typename(params))
        self.state: defaultdict = defaultdict(dict)
        self.param_groups: list[dict[str, Any]] = []
        param_groups = list(params)
        if len(param_groups) == 0:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(param_groups[0], dict):
            param_groups = [{"params": param_groups}]
        for group in param_groups:
            self.add_param_group(group)

    # -- pickling / repr ---------------------------------------------------------------------------------
    def __getstate__(self) -> dict[str, Any]:
        return {"defaults": self.defaults, "state": self.state, "param_groups": self.param_groups}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        for name in ("_optimizer_step_pre_hooks", "_optimizer_step_post_hooks", "_optimizer_state_dict_pre_hooks",
                     "_optimizer_state_dict_post_hooks", "_optimizer_load_state_dict_pre_hooks",
                     "_optimizer_load_state_dict_post_hooks"):
            if name not in self.__dict__:
                setattr(self, name, OrderedDict())
        self._patch_step_function()
        self.defaults.setdefault("differentiable", False)
        # checkpoints from before PyTorch 1.12 hold step counts (and ASGD's eta, mu) as Python numbers
        for st in self.state.values():
            if isinstance(st, dict):
                for key in self._scalar_state:
                    if key in st and not isinstance(st[key], Tensor):
                        st[key] = _step_tensor(float(st[key]))

    def __repr__(self) -> str:
        s = self.__class__.__name__ + " ("
        for i, group in enumerate(self.param_groups):
            s += f"\nParameter Group {i}\n"
            for key in sorted(group.keys()):
                if key != "params":
                    s += f"    {key}: {group[key]}\n"
        return s + ")"

    # -- step hooks ------------------------------------------------------------------------------------------
    def _optimizer_step_code(self) -> None:
        """Called after every ``step`` (PyTorch's entry point for profilers); does nothing."""

    @staticmethod
    def profile_hook_step(func: Callable) -> Callable:
        """Wrap ``step`` so the global and per-optimizer pre/post hooks run around it."""
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            self = args[0]
            if _global_optimizer_pre_hooks or self._optimizer_step_pre_hooks:
                for pre_hook in chain(_global_optimizer_pre_hooks.values(), self._optimizer_step_pre_hooks.values()):
                    result = pre_hook(self, args, kwargs)
                    if result is not None:
                        if isinstance(result, tuple) and len(result) == 2:
                            args, kwargs = result
                        else:
                            raise RuntimeError(f"{func} must return None or a tuple of (new_args, new_kwargs), "
                                               f"but got {result}.")
            out = func(*args, **kwargs)
            self._optimizer_step_code()
            if self._optimizer_step_post_hooks or _global_optimizer_post_hooks:
                for post_hook in chain(self._optimizer_step_post_hooks.values(),
                                       _global_optimizer_post_hooks.values()):
                    post_hook(self, args, kwargs)
            return out
        return wrapper

    def _patch_step_function(self) -> None:
        # as PyTorch: the class's step is wrapped once, when its first instance is made
        self._zero_grad_profile_name = f"Optimizer.zero_grad#{self.__class__.__name__}.zero_grad"
        if not getattr(self.__class__.step, "hooked", None):
            self.__class__.step = self.profile_hook_step(self.__class__.step)
            self.__class__.step.hooked = True

    def register_step_pre_hook(self, hook: Callable) -> RemovableHandle:
        """Register ``hook(optimizer, args, kwargs) -> None or (args, kwargs)``, run before ``step``."""
        return _register(self._optimizer_step_pre_hooks, hook)

    def register_step_post_hook(self, hook: Callable) -> RemovableHandle:
        """Register ``hook(optimizer, args, kwargs)``, run after ``step``."""
        return _register(self._optimizer_step_post_hooks, hook)

    def register_state_dict_pre_hook(self, hook: Callable, prepend: bool = False) -> RemovableHandle:
        """Register ``hook(optimizer)``, run before ``state_dict`` builds its dict."""
        return _register(self._optimizer_state_dict_pre_hooks, hook, prepend)

    def register_state_dict_post_hook(self, hook: Callable, prepend: bool = False) -> RemovableHandle:
        """Register ``hook(optimizer, state_dict) -> state_dict or None``, run on the dict ``state_dict`` returns."""
        return _register(self._optimizer_state_dict_post_hooks, hook, prepend)

    def register_load_state_dict_pre_hook(self, hook: Callable, prepend: bool = False) -> RemovableHandle:
        """Register ``hook(optimizer, state_dict) -> state_dict or None``, run before ``load_state_dict`` loads."""
        return _register(self._optimizer_load_state_dict_pre_hooks, hook, prepend)

    def register_load_state_dict_post_hook(self, hook: Callable, prepend: bool = False) -> RemovableHandle:
        """Register ``hook(optimizer)``, run after ``load_state_dict`` has loaded."""
        return _register(self._optimizer_load_state_dict_post_hooks, hook, prepend)

    # -- groups ------------------------------------------------------------------------------------------
    def add_param_group(self, param_group: dict[str, Any]) -> None:
        """Append a group of parameters (with its own hyperparameters, defaults filling the rest)."""
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {type(param_group)}")
        params = param_group["params"]
        if isinstance(params, Tensor):
            params = [params]
        elif isinstance(params, set):
            raise TypeError("optimizer parameters need to be organized in ordered collections, but the ordering "
                            "of tensors in sets will change between runs. Please use a list instead.")
        else:
            params = list(params)
        names = [p[0] for p in params if isinstance(p, tuple)]
        tensors = [p[1] if isinstance(p, tuple) else p for p in params]
        param_group["params"] = tensors
        if names:
            if len(names) != len(tensors):
                raise ValueError("all optimizer params should be with/without names. Some param names are missing")
            param_group["param_names"] = names
        for p in tensors:
            if not isinstance(p, Tensor):
                raise TypeError("optimizer can only optimize Tensors, but one of the params is " + _typename(p))
            if not self.defaults.get("differentiable", None) and not (p.is_leaf or p.retains_grad):
                raise ValueError("can't optimize a non-leaf Tensor")
        for name, default in self.defaults.items():
            if default is required and name not in param_group:
                raise ValueError(f"parameter group didn't specify a value of required optimization parameter "
                                 f"{name}")
            param_group.setdefault(name, default)
        ids = {id(p) for p in tensors}
        if len(ids) != len(tensors):
            warnings.warn("optimizer contains a parameter group with duplicate parameters; in future, this will "
                          "cause an error; see github.com/pytorch/pytorch/issues/40967 for more information",
                          stacklevel=3)
        seen: set[int] = set()
        for group in self.param_groups:
            seen.update(id(p) for p in group["params"])
            if ("param_names" in param_group) != ("param_names" in group):
                which = "with names" if "param_names" in param_group else "without names"
                raise ValueError("all optimizer param groups should be with/without names. "
                                 f"cannot add param group {which} to the optimizer")
        if not seen.isdisjoint(ids):
            raise ValueError("some parameters appear in more than one parameter group")
        self.param_groups.append(param_group)

    # -- gradients -----------------------------------------------------------------------------------------
    def zero_grad(self, set_to_none: bool = True) -> None:
        """Reset every parameter's ``.grad``: to ``None`` (default) or to zeros in place."""
        for group in self.param_groups:
            for p in group["params"]:
                g = p._grad
                if g is None:
                    continue
                if set_to_none:
                    p._grad = None
                else:
                    if g.grad_fn is not None:
                        g.grad_fn = None
                    g._requires_grad = False
                    g._data[...] = 0
                    g._bump()

    def step(self, closure: Callable[[], Any] | None = None):
        """Perform one optimization step (``closure`` re-evaluates the model and returns the loss)."""
        raise NotImplementedError

    def _closure_loss(self, closure):
        if closure is None:
            return None
        with grad_mode.enable_grad():
            return closure()

    # -- validate, then change -----------------------------------------------------------------------------
    def _fail(self, msg: str) -> RuntimeError:
        return RuntimeError(f"{type(self).__name__}.step: {msg}; no parameter or state was changed")

    def _check_group(self, group: dict) -> None:
        """Per-group checks PyTorch makes once a group has a gradient (flags that cannot work on a CPU)."""
        if group.get("capturable", False):
            raise AssertionError(f"If capturable=True, {self._capturable_what} must be on supported devices: "
                                 f"{_CAPTURABLE_DEVICES}.")

    def _check_param(self, i: int, group: dict, p: Tensor) -> None:
        g, d = p._grad._data, p._data
        if g.shape == d.shape and g.dtype == d.dtype and not group.get("differentiable", False):
            return  # the common case, in one test
        if g.shape != d.shape:
            raise self._fail(f"the gradient of parameter {i} has shape {p._grad.shape}, but the parameter has "
                             f"shape {p.shape}")
        if g.dtype != d.dtype:
            raise self._fail(f"the gradient of parameter {i} has dtype {p._grad.dtype}, but the parameter has "
                             f"dtype {p.dtype}")
        if group.get("differentiable", False) and p.requires_grad and grad_mode.is_grad_enabled():
            if p.is_leaf:
                raise RuntimeError("a leaf Variable that requires grad is being used in an in-place operation.")
            raise NotImplementedError(f"{type(self).__name__}(differentiable=True) on a non-leaf parameter: ember's "
                                      "optimizers update parameters outside autograd, so a graph through the "
                                      "optimizer step is not offered")

    def _check_state(self, i: int, group: dict, p: Tensor, st: dict) -> None:
        d = p._data
        for key, kind in self._state_spec(group, p).items():
            v = st.get(key)
            if v is None:
                if kind == "param?":
                    continue
                raise KeyError(key)  # PyTorch's error (which it raises after updating the groups before)
            if not isinstance(v, Tensor):
                raise self._fail(f"state '{key}' of parameter {i} is a {type(v).__name__}, not a tensor")
            a = v._data
            if kind == "scalar":
                if a.size != 1:
                    raise self._fail(f"state '{key}' of parameter {i} has shape {v.shape}, but it holds one "
                                     "value")
                continue
            own = kind == "param" or kind == "param?"
            if a.shape != (d.shape if own else tuple(kind)):
                of = "" if own else f"{type(v.shape)(kind)} is expected and "
                raise self._fail(f"state '{key}' of parameter {i} has shape {v.shape}, but {of}the parameter has "
                                 f"shape {p.shape}")
            if a.dtype != d.dtype:
                raise self._fail(f"state '{key}' of parameter {i} has dtype {v.dtype}, but the parameter has "
                                 f"dtype {p.dtype}")

    def _gather(self) -> list:
        """Check every gradient and state, then store the new states: ``[(group, [(param, state)])]``.

        Nothing is written until every parameter of every group has passed, so an error leaves the optimizer and
        its parameters as they were.
        """
        plan, fresh, index = [], {}, 0
        for group in self.param_groups:
            items = []
            for p in group["params"]:
                i, index = index, index + 1
                if p._grad is None:
                    continue
                if not items:
                    self._check_group(group)
                self._check_param(i, group, p)
                if id(p) in fresh:
                    st = fresh[id(p)][1]
                else:
                    st = self.state.get(p)
                    if st:
                        self._check_state(i, group, p, st)
                    else:
                        st = self._new_state(group, p)
                        if st is not None:
                            fresh[id(p)] = (p, st)
                items.append((p, st))
            plan.append((group, items))
        for p, st in fresh.values():
            self.state[p] = st
        return plan

    def _effective_grad(self, group: dict, d: np.ndarray, g: np.ndarray) -> np.ndarray:
        """The gradient the update uses: negated for ``maximize``, plus ``weight_decay * param`` (L2)."""
        if group.get("maximize", False):
            g = -g
        wd = group.get("weight_decay", 0)
        if wd != 0 and self._l2 and not group.get("decoupled_weight_decay", False):
            g = _add_scaled(g, d, wd)  # grad.add(param, alpha=weight_decay): one fused multiply-add
        return g

    def _step(self, closure):
        """The whole ``step`` of an elementwise optimizer: closure, checks, then the updates."""
        loss = self._closure_loss(closure)
        for group, items in self._gather():
            self._apply(group, items)
        return loss

    def _apply(self, group: dict, items: list) -> None:
        if not items:
            return
        if not self._elementwise or not group.get("foreach") or len({id(p) for p, _ in items}) < len(items):
            plain = not group.get("maximize", False) and group.get("weight_decay", 0) == 0  # g as it is
            for p, st in items:
                self._update_one(group, p, st, plain)
            return
        buckets: dict = {}
        scalar = self._scalar_state
        for p, st in items:
            if p._data.size > _FLAT_MAX:
                self._update_one(group, p, st)
                continue
            # one bucket per dtype, set of state entries and value of every scalar entry (the step count...)
            key = (p._data.dtype.str,) if not st else (p._data.dtype.str, tuple(st), *[
                st[k]._data.item() for k in scalar if isinstance(st.get(k), Tensor)])
            buckets.setdefault(key, []).append((p, st))
        for members in buckets.values():
            if len(members) == 1:
                self._update_one(group, *members[0])
            else:
                self._update_flat(group, members)

    @staticmethod
    def _real(a: np.ndarray) -> np.ndarray:
        # complex parameters are updated as pairs of independent reals (PyTorch's view_as_real)
        return a.view(a.real.dtype) if a.dtype.kind == "c" else a

    def _state_arrays(self, st: dict | None) -> dict:
        s = {}
        for k, v in (st or {}).items():
            if isinstance(v, Tensor):
                a = v._data
                s[k] = a.reshape(()) if k in self._scalar_state else a if a.dtype.kind != "c" else self._real(a)
        return s

    def _update_one(self, group: dict, p: Tensor, st: dict | None, plain: bool = False) -> None:
        """One parameter's update; ``plain``: the group neither maximizes nor decays (the gradient is used as is)."""
        d, g = p._data, p._grad._data
        if d.dtype.kind == "c":
            d, g = self._real(d), self._real(g)
        s = self._state_arrays(st) if st else {}
        n = len(s)
        if not plain:
            g = self._effective_grad(group, d, g)
        self._update(group, d, g, s)
        if len(s) != n:
            for k, a in s.items():  # entries the update created (SGD's momentum buffer on the first step)
                if st.get(k) is None:
                    st[k] = _wrap(a.view(p._data.dtype) if p._data.dtype.kind == "c" else a)
        p._bump()

    def _update_flat(self, group: dict, members: list) -> None:
        real, scalar = self._real, self._scalar_state
        params = [real(p._data) for p, _ in members]
        cuts = np.cumsum([a.size for a in params])[:-1].tolist()
        d = np.concatenate([a.reshape(-1) for a in params])
        g = np.concatenate([real(p._grad._data).reshape(-1) for p, _ in members])
        first = members[0][1] or {}
        s, arrays = {}, {}
        for k, v in first.items():
            if not isinstance(v, Tensor):
                continue
            if k in scalar:
                s[k] = v._data.reshape(()).copy()
            else:
                arrays[k] = [real(st[k]._data) for _, st in members]
                s[k] = np.concatenate([a.reshape(-1) for a in arrays[k]])
        g = self._effective_grad(group, d, g)
        self._update(group, d, g, s)
        for dst, piece in zip(params, np.split(d, cuts)):
            dst[...] = piece.reshape(dst.shape)
        for k, flat in s.items():
            if k in scalar:
                for _, st in members:
                    st[k]._data[...] = flat
            elif k in arrays:
                for dst, piece in zip(arrays[k], np.split(flat, cuts)):
                    dst[...] = piece.reshape(dst.shape)
            else:  # an entry the update created (SGD's momentum buffer on the first step)
                for (p, st), shape, piece in zip(members, [a.shape for a in params], np.split(flat, cuts)):
                    piece = piece.reshape(shape).copy()
                    st[k] = _wrap(piece.view(p._data.dtype) if p._data.dtype.kind == "c" else piece)
        for p, _ in members:
            p._bump()

    # -- state dict ----------------------------------------------------------------------------------------
    def state_dict(self) -> StateDict:
        """``{'state': {index: per-param state}, 'param_groups': [group with params as indices]}``."""
        for pre_hook in self._optimizer_state_dict_pre_hooks.values():
            pre_hook(self)
        mapping: dict[int, int] = {}
        start = 0

        def pack(group):
            nonlocal start
            packed = {k: v for k, v in group.items() if k != "params"}
            for i, p in enumerate(group["params"], start):
                mapping.setdefault(id(p), i)
            packed["params"] = [mapping[id(p)] for p in group["params"]]
            start += len(packed["params"])
            return packed

        groups = [pack(g) for g in self.param_groups]
        state = {(mapping[id(k)] if isinstance(k, Tensor) else k): v for k, v in self.state.items()}
        state_dict = {"state": state, "param_groups": groups}
        for post_hook in self._optimizer_state_dict_post_hooks.values():
            result = post_hook(self, state_dict)
            if result is not None:
                state_dict = result
        return state_dict

    @staticmethod
    def _process_value_according_to_param_policy(param: Tensor, value: Tensor, param_id, param_groups,
                                                  key=None) -> Tensor:
        """A loaded state tensor as the optimizer keeps it: floating state in the parameter's dtype, ``step`` as is
        (float32 for fused or capturable groups)."""
        fused = capturable = False
        for pg in param_groups:
            if param_id in pg["params"]:
                fused, capturable = pg.get("fused", False), pg.get("capturable", False)
                break
        if key == "step":
            if (capturable or fused) and value._data.dtype != np.float32:
                return _wrap(value._data.astype(np.float32))
            return value
        if param.is_floating_point() and value._data.dtype != param._data.dtype:
            return _wrap(value._data.astype(param._data.dtype))
        return value

    def load_state_dict(self, state_dict: StateDict) -> None:
        """Load state and hyperparameters saved by ``state_dict`` (params matched by position).

        Everything is checked, and the new state built, before the optimizer's own state is replaced, so a
        rejected dict leaves the optimizer as it was. State tensors that do not fit their parameters are
        accepted here, as in PyTorch (hyperparameters may still change before the next step); the next ``step``
        rejects them before it changes anything.
        """
        state_dict = state_dict.copy()  # shallow, as PyTorch: pre-hooks may edit it
        for pre_hook in self._optimizer_load_state_dict_pre_hooks.values():
            result = pre_hook(self, state_dict)
            if result is not None:
                state_dict = result
        groups = self.param_groups
        saved_groups = deepcopy(state_dict["param_groups"])
        if len(groups) != len(saved_groups):
            raise ValueError("loaded state dict has a different number of parameter groups")
        if any(len(g["params"]) != len(s["params"]) for g, s in zip(groups, saved_groups)):
            raise ValueError("loaded state dict contains a parameter group that doesn't match the size of "
                             "optimizer's group")
        id_map = dict(zip(chain.from_iterable(g["params"] for g in saved_groups),
                          chain.from_iterable(g["params"] for g in groups)))
        policy = self._process_value_according_to_param_policy

        def cast(param, value, param_id, key=None):
            if isinstance(value, Tensor):
                return policy(param, value, param_id, state_dict["param_groups"], key)
            if isinstance(value, dict):
                return {k: cast(param, v, param_id, k) for k, v in value.items()}
            if isinstance(value, (list, tuple)):
                return type(value)(cast(param, v, param_id) for v in value)
            return value

        state: defaultdict = defaultdict(dict)
        for k, v in state_dict["state"].items():
            if k in id_map:
                state[id_map[k]] = cast(id_map[k], v, k)
            else:
                state[k] = v

        new_groups = []
        for g, ng in zip(groups, saved_groups):
            ng["params"] = g["params"]
            if "param_names" in g and "param_names" not in ng:
                ng["param_names"] = g["param_names"]
            new_groups.append(ng)
        self.__setstate__({"state": state, "param_groups": new_groups})
        for post_hook in self._optimizer_load_state_dict_post_hooks.values():
            post_hook(self)


def _check_nonneg(value, what: str) -> None:
    if not 0.0 <= value:
        raise ValueError(f"Invalid {what}: {value}")


def _check_lr(lr) -> None:
    if isinstance(lr, Tensor) and lr.numel() != 1:
        raise ValueError("Tensor lr must be 1-element")
    _check_nonneg(lr, "learning rate")


def _check_betas(betas) -> None:
    if not 0.0 <= betas[0] < 1.0:
        raise ValueError(f"Invalid beta parameter at index 0: {betas[0]}")
    if not 0.0 <= betas[1] < 1.0:
        raise ValueError(f"Invalid beta parameter at index 1: {betas[1]}")


def _check_fused(fused, foreach, differentiable) -> None:
    if fused:
        if differentiable:
            raise RuntimeError("`fused` does not support `differentiable`")
        if foreach:
            raise RuntimeError("`fused` and `foreach` cannot be `True` together.")


def _add_scaled(a: np.ndarray, b: np.ndarray, alpha: float, out: np.ndarray | None = None) -> np.ndarray:
    """``a.add(b, alpha=alpha)`` rounded as PyTorch's CPU kernel rounds it: one fused multiply-add,
    ``fma(b, float32(alpha), a)`` for float32 (exact in float64: the product of two float32 fits its 53 bits, so
    only the sum is rounded, then once more to float32). Other dtypes round the product and then the sum.
    Large tensors go block by block (``kernels.memory.blockwise``): no float64 copy of the whole tensor."""
    if a.dtype == np.float32 and b.dtype == np.float32:
        if out is None:
            out = np.empty(np.broadcast_shapes(a.shape, b.shape), np.float32)
        if out.size > BLOCK:
            blockwise(_add_scaled_into, out, a, b, float(np.float32(alpha)))
        else:
            _add_scaled_into(out, a, b, float(np.float32(alpha)))
        return out
    if out is None:
        return a + b * alpha
    tmp = b * alpha
    np.add(a, tmp, out=out)
    return out


def _add_scaled_into(out, a, b, alpha):
    r = b.astype(np.float64)
    r *= alpha
    r += a
    out[...] = r  # the cast np.copyto makes, at less call cost (0.4-0.8 us of a 3-7 us update below 4096)


def _lerp_(avg: np.ndarray, target: np.ndarray, weight: float) -> None:
    """``avg.lerp_(target, weight)`` with PyTorch's two-branch formula (stable near both ends). For float32 its
    CPU kernel fuses the last multiply-add: fma(w, target - avg, avg) for |w| < 0.5, else fma(w - 1, diff, target).
    Block by block for large tensors, as ``_add_scaled``."""
    if avg.size > BLOCK:
        blockwise(_lerp_into, avg, target, weight)
    else:
        _lerp_into(avg, target, weight)


def _lerp_into(avg, target, weight):
    diff = target - avg
    if avg.dtype == np.float32 and diff.dtype == np.float32:
        w = np.float32(weight)
        base = avg if abs(w) < 0.5 else target
        coeff = w if abs(w) < 0.5 else np.float32(w - np.float32(1))
        r = diff.astype(np.float64)
        r *= float(coeff)
        r += base
        avg[...] = r
        return
    if abs(weight) < 0.5:
        diff *= weight
        avg += diff
    else:
        diff *= 1.0 - weight
        np.subtract(target, diff, out=avg)


def _addcmul_(out: np.ndarray, t1: np.ndarray, t2: np.ndarray, value: float) -> None:
    """``out += value * t1 * t2``, multiplied in PyTorch's order ((value * t1) * t2); for float32 its CPU kernel
    fuses the last multiply with the add: fma(value * t1, t2, out). Block by block for large tensors."""
    if out.size > BLOCK:
        blockwise(_addcmul_into, out, t1, t2, value)
    else:
        _addcmul_into(out, t1, t2, value)


def _addcmul_into(out, t1, t2, value):
    tmp = t1 * value
    if out.dtype == np.float32 and tmp.dtype == np.float32 and t2.dtype == np.float32:
        r = tmp.astype(np.float64)
        r *= t2
        r += out
        out[...] = r
        return
    tmp *= t2
    out += tmp
