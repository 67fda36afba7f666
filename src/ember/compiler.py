"""``torch.compiler``: ``compile`` records a whole step and replays it as a flat NumPy program (``ember._compile``);
``is_compiling`` is true while a step is being recorded; ``disable`` makes a function run eagerly (a call to it
while a step is recorded breaks the capture, as a graph break in PyTorch); ``reset`` forgets every recording.
Nothing is ever exported."""

from __future__ import annotations

import functools

from ._compile import is_compiling as _recording
from ._compile import reset as _forget
from ._compile import trace as _trace
from ._devices import compile

__all__ = ["compile", "disable", "is_compiling", "is_dynamo_compiling", "is_exporting", "reset", "allow_in_graph",
           "assume_constant_result", "list_backends", "cudagraph_mark_step_begin"]


def disable(fn=None, recursive: bool = True, *, reason=None):
    """``@torch.compiler.disable`` (with or without arguments): the function runs eagerly, never replayed."""
    if fn is None:
        return lambda f: disable(f, recursive, reason=reason)

    @functools.wraps(fn)
    def eager(*args, **kwargs):
        rec = _trace.current()
        if rec is not None:
            rec.broke(f"torch.compiler.disable: {getattr(fn, '__qualname__', fn)}"
                      + (f" ({reason})" if reason else ""), _trace.user_site(2))
        return fn(*args, **kwargs)
    return eager


def is_compiling() -> bool:
    """True while ``ember.compile`` records a step in this thread."""
    return _recording()


def is_dynamo_compiling() -> bool:
    return is_compiling()


def is_exporting() -> bool:
    return False


def reset() -> None:
    """Forget every recording of every compiled function."""
    _forget()


def allow_in_graph(fn):
    return fn


def assume_constant_result(fn):
    return fn


def list_backends(exclude_tags=("debug", "experimental")) -> list:
    """The backend names ``compile`` answers to (ember has one way of compiling: the NumPy replay)."""
    return ["inductor"]


def cudagraph_mark_step_begin() -> None:
    """No CUDA graphs."""
