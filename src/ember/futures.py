"""``torch.futures``: ``Future``, a value that will be there later (``torch.jit.fork``, RPC), ``collect_all``
and ``wait_all``.

A Future is marked complete once, with a value (``set_result``) or an error (``set_exception``); ``wait()``
blocks until then and returns the value or raises the error. Callbacks given to ``then`` (which returns a new
Future of the callback's result) and ``add_done_callback`` run when it completes, at once if it already has.
"""

from __future__ import annotations

import threading
from typing import Generic, TypeVar

__all__ = ["Future", "collect_all", "wait_all"]

T = TypeVar("T")
S = TypeVar("S")

_PENDING = object()


class Future(Generic[T]):
    """A result that becomes available later, set once by ``set_result`` or ``set_exception``."""

    def __init__(self, *, devices=None) -> None:
        self._event = threading.Event()
        self._lock = threading.Lock()
        self._value = _PENDING
        self._error: BaseException | None = None
        self._callbacks: list = []

    def __repr__(self) -> str:
        return f"<torch.Future object at {hex(id(self))}>"

    def done(self) -> bool:
        """whether the value (or error) has been set"""
        return self._event.is_set()

    def wait(self) -> T:
        """block until complete; the value, or the error raised"""
        self._event.wait()
        if self._error is not None:
            raise self._error
        return self._value

    def value(self) -> T:
        """the value of a completed future (its error raised), without waiting"""
        if not self.done():
            raise RuntimeError("completed() INTERNAL ASSERT FAILED: the Future is not completed yet")
        return self.wait()

    def _complete(self, value, error) -> None:
        with self._lock:
            if self._event.is_set():
                raise RuntimeError("Attempting to mark a completed Future as complete again. Note that a Future "
                                   "can only be marked completed once.")
            self._value, self._error = value, error
            self._event.set()
            callbacks, self._callbacks = self._callbacks, []
        for cb in callbacks:
            cb(self)

    def set_result(self, result: T) -> None:
        """complete with ``result``, running the callbacks"""
        self._complete(result, None)

    def set_exception(self, result: BaseException) -> None:
        """complete with the error ``result`` (``wait`` raises it)"""
        if not isinstance(result, Exception):
            raise AssertionError(f"{result} is of type {type(result)}, not an Exception.")
        self._complete(None, result)

    def add_done_callback(self, callback) -> None:
        """run ``callback(self)`` on completion (at once if complete); its result is dropped"""
        with self._lock:
            if not self._event.is_set():
                self._callbacks.append(callback)
                return
        callback(self)

    def then(self, callback) -> Future:
        """a Future of ``callback(self)``, run on completion; an error in the callback is the new Future's"""
        out: Future = Future()

        def run(fut):
            try:
                result = callback(fut)
            except Exception as err:
                out.set_exception(RuntimeError("Got the following error when running the callback: "
                                               f"{type(err).__name__}: {err}"))
                return
            out.set_result(result)

        self.add_done_callback(run)
        return out


Future.__module__ = "torch.jit"


def collect_all(futures: list) -> Future:
    """a Future, complete when all of ``futures`` are, whose value is the list of them"""
    out: Future = Future()
    futures = list(futures)
    if not futures:
        out.set_result([])
        return out
    remaining = [len(futures)]
    lock = threading.Lock()

    def one_done(_):
        with lock:
            remaining[0] -= 1
            last = remaining[0] == 0
        if last:
            out.set_result(futures)

    for f in futures:
        f.add_done_callback(one_done)
    return out


def wait_all(futures: list) -> list:
    """wait for each of ``futures``: their values (the first error raised)"""
    return [f.wait() for f in futures]
