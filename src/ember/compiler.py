"""``torch.compiler``: ember has no compiler, so code is never being compiled or exported; ``compile`` returns
its argument and ``disable`` and the graph hints leave functions as they are."""

from __future__ import annotations

from ._devices import compile

__all__ = ["compile", "disable", "is_compiling", "is_dynamo_compiling", "is_exporting", "reset", "allow_in_graph",
           "assume_constant_result", "list_backends", "cudagraph_mark_step_begin"]


def disable(fn=None, recursive: bool = True, *, reason=None):
    """``@torch.compiler.disable`` (with or without arguments): the function runs as written."""
    if fn is None:
        return lambda f: f
    return fn


def is_compiling() -> bool:
    return False


def is_dynamo_compiling() -> bool:
    return False


def is_exporting() -> bool:
    return False


def reset() -> None:
    """Nothing is cached."""


def allow_in_graph(fn):
    return fn


def assume_constant_result(fn):
    return fn


def list_backends(exclude_tags=("debug", "experimental")) -> list:
    """No compiler backends."""
    return []


def cudagraph_mark_step_begin() -> None:
    """No CUDA graphs."""
