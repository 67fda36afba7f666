"""``nn.utils.stateless.functional_call``: call a module with some of its parameters and buffers temporarily
replaced by given tensors (so gradients flow to those tensors instead)."""

from __future__ import annotations

import contextlib
import warnings
from typing import Any

from ..._core.tensor import Tensor
from ..modules.module import Module

__all__ = ["functional_call"]

_MISSING = object()


def _swap(module: Module, dotted: str, value):
    """Put ``value`` at ``dotted`` (a parameter, buffer or plain attribute slot); return what was there."""
    prefix, _, name = dotted.rpartition(".")
    owner = module.get_submodule(prefix)
    if value is not _MISSING and value is not None and not isinstance(value, Tensor):
        raise TypeError(f"{value} is not an instance of torch.Tensor")
    if name in owner._parameters:
        orig = owner._parameters[name]
        if value is _MISSING:
            del owner._parameters[name]
        else:
            owner._parameters[name] = value
    elif name in owner._buffers:
        orig = owner._buffers[name]
        if value is _MISSING:
            del owner._buffers[name]
        else:
            owner._buffers[name] = value
    else:
        orig = getattr(owner, name) if hasattr(owner, name) else _MISSING
        if value is _MISSING:
            if orig is not _MISSING:
                delattr(owner, name)
        else:
            setattr(owner, name, value)
    return orig


def _untie(module: Module, tensors: dict) -> dict:
    """Give each tied parameter or buffer (one tensor under several names) the value given for any of its names."""
    named = dict(module.named_parameters(remove_duplicate=False))
    named.update(module.named_buffers(remove_duplicate=False))
    by_tensor: dict = {}
    for name, t in named.items():
        by_tensor.setdefault(id(t), set()).add(name)
    tied = {n: names for names in by_tensor.values() if len(names) > 1 for n in names}
    given = {n for n in tensors if n in tied}
    for n in given:
        names = tied[n]
        if len(names & given) > 1 and len({id(tensors[m]) for m in names & given}) != 1:
            raise ValueError(f"functional_call got multiple values for keys {sorted(names)}, which are tied. Consider "
                             "using tie_weights=False")
    out = dict(tensors)
    for n in given:
        for m in tied[n]:
            out[m] = tensors[n]
    return out


@contextlib.contextmanager
def _reparametrize_module(module: Module, tensors: dict, tie_weights: bool = False, strict: bool = False):
    if tie_weights:
        tensors = _untie(module, tensors)
    if strict:
        valid = {n for n, _ in module.named_parameters(remove_duplicate=False)}
        valid |= {n for n, _ in module.named_buffers(remove_duplicate=False)}
        missing, unexpected = sorted(valid - set(tensors)), sorted(set(tensors) - valid)
        msgs = []
        if unexpected:
            msgs.append(f"Unexpected key(s): {', '.join(map(repr, unexpected))}.")
        if missing:
            msgs.append(f"Missing key(s): {', '.join(map(repr, missing))}.")
        if msgs:
            raise RuntimeError("Error(s) in reparametrizing for {}:\n\t{}".format(module._get_name(), "\n\t".join(msgs)))
    originals: dict = {}
    try:
        for name, value in tensors.items():
            originals[name] = _swap(module, name, value)
        yield
    finally:
        for name, orig in originals.items():
            new = _swap(module, name, orig)
            if name in tensors:
                tensors[name] = new


def _functional_call(module: Module, parameters_and_buffers: dict, args: Any = None, kwargs: dict | None = None, *,
                     tie_weights: bool = True, strict: bool = False):
    if kwargs is None:
        kwargs = {}
    if args is None:
        args = ()
    elif not isinstance(args, tuple):
        args = (args,)
    with _reparametrize_module(module, parameters_and_buffers, tie_weights=tie_weights, strict=strict):
        return module(*args, **kwargs)


def functional_call(module: Module, parameters_and_buffers: dict, args: Any = None, kwargs: dict | None = None, *,
                    tie_weights: bool = True, strict: bool = False):
    """``module(*args, **kwargs)`` with the named parameters and buffers replaced for the call (deprecated:
    ``torch.func.functional_call`` is the same)."""
    warnings.warn("`torch.nn.utils.stateless.functional_call` is deprecated as of PyTorch 2.0 and will be removed in "
                  "a future version of PyTorch. Please use `torch.func.functional_call` instead which is a drop-in "
                  "replacement.", FutureWarning, stacklevel=2)
    return _functional_call(module, parameters_and_buffers, args, kwargs, tie_weights=tie_weights, strict=strict)
