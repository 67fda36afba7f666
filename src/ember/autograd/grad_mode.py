"""Switches for graph recording: ``no_grad``, ``enable_grad``, ``set_grad_enabled``, ``inference_mode``.

Each is a context manager and a decorator. The flag lives on one small object (``state.enabled``) that
every op reads once.
"""

from __future__ import annotations

import functools
import inspect
import threading

from .._core import modes

__all__ = ["enable_grad", "inference_mode", "is_grad_enabled", "is_inference_mode_enabled", "no_grad",
           "set_grad_enabled", "state"]


state = modes.grad


def is_grad_enabled() -> bool:
    """True when operations on tensors that require grad are recorded."""
    return state.enabled


def is_inference_mode_enabled() -> bool:
    return state.inference


class _GradModeContext:
    """Base: a context manager that is also a decorator (for functions and generators)."""

    def __call__(self, func):
        if inspect.isclass(func):
            raise TypeError(f"{type(self).__name__} cannot decorate a class")
        if inspect.isgeneratorfunction(func):
            @functools.wraps(func)
            def gen_wrapper(*args, **kwargs):
                gen = func(*args, **kwargs)
                with self.clone():
                    response = gen.send(None)
                while True:
                    try:
                        request = yield response
                    except GeneratorExit:
                        with self.clone():
                            gen.close()
                        raise
                    with self.clone():
                        try:
                            response = gen.send(request)
                        except StopIteration as e:
                            return e.value
            return gen_wrapper

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            with self.clone():
                return func(*args, **kwargs)
        return wrapper

    def clone(self):
        return type(self)()


class no_grad(_GradModeContext):
    """Within this context, operations record no graph: results have ``requires_grad=False``."""

    def __new__(cls, orig_func=None):
        if orig_func is None:
            return super().__new__(cls)
        return cls()(orig_func)  # the bare `@no_grad` form, as PyTorch allows

    def __init__(self, orig_func=None):
        self.prev = True

    def __enter__(self):
        self.prev = state.enabled
        state.enabled = False

    def __exit__(self, *exc):
        state.enabled = self.prev
        return False


class enable_grad(_GradModeContext):
    """Within this context, recording is on, even inside ``no_grad``."""

    def __new__(cls, orig_func=None):
        if orig_func is None:
            return super().__new__(cls)
        return cls()(orig_func)

    def __init__(self, orig_func=None):
        self.prev = True

    def __enter__(self):
        self.prev = state.enabled
        state.enabled = True

    def __exit__(self, *exc):
        state.enabled = self.prev
        return False


class set_grad_enabled(_GradModeContext):
    """Turn recording on or off; works as a function call, a context manager and a decorator."""

    def __init__(self, mode: bool):
        self.prev = state.enabled
        self.mode = bool(mode)
        state.enabled = self.mode

    def __enter__(self):
        pass

    def __exit__(self, *exc):
        state.enabled = self.prev
        return False

    def clone(self):
        return set_grad_enabled(self.mode)


class inference_mode(_GradModeContext):
    """Like ``no_grad`` (ember keeps no extra bookkeeping for inference tensors)."""

    def __new__(cls, mode=True):
        if callable(mode):
            return cls()(mode)
        return super().__new__(cls)

    def __init__(self, mode: bool = True):
        self.mode = bool(mode)
        self.prev = (True, False)

    def __enter__(self):
        self.prev = (state.enabled, state.inference)
        if self.mode:
            state.enabled = False
            state.inference = True

    def __exit__(self, *exc):
        state.enabled, state.inference = self.prev
        return False

    def clone(self):
        return inference_mode(self.mode)


class _EngineFlags(threading.local):
    """Per-thread switches of the backward engine."""
    multithreading = True
    grad_layout = True
    view_replay = False


flags = _EngineFlags()


def is_multithreading_enabled() -> bool:
    """Whether backward may run on worker threads (it runs on the calling thread in ember, as PyTorch's on a CPU)."""
    return flags.multithreading


def is_view_replay_enabled() -> bool:
    """Whether views are replayed (as_strided-free view tracking); off by default, as in PyTorch."""
    return flags.view_replay


class set_multithreading_enabled(_GradModeContext):
    """Enable or disable multithreaded backward (from construction to the end of the ``with`` or call). ember's
    backward runs on the calling thread either way, as PyTorch's does without accelerators."""

    def __init__(self, mode: bool) -> None:
        self.prev = flags.multithreading
        flags.multithreading = bool(mode)
        self.mode = mode

    def __enter__(self) -> None:
        pass

    def __exit__(self, *exc) -> None:
        flags.multithreading = self.prev

    def clone(self):
        return type(self)(self.mode)


class enforce_grad_layout_policy(_GradModeContext):
    """Whether a leaf's first ``.grad`` is given the leaf's memory layout (PyTorch's gradient layout contract, on
    by default); off, the incoming gradient's layout is kept."""

    def __init__(self, enable: bool = True) -> None:
        self.prev = flags.grad_layout
        flags.grad_layout = bool(enable)
        self.mode = enable

    def __call__(self, func):
        flags.grad_layout = self.prev
        return super().__call__(func)

    def __enter__(self) -> None:
        pass

    def __exit__(self, *exc) -> None:
        flags.grad_layout = self.prev

    def clone(self):
        return type(self)(self.mode)
