"""Anomaly detection: ``detect_anomaly()`` / ``set_detect_anomaly(True)``.

While it is on, every graph node records the stack of the forward call that created it, and the engine
checks each gradient a node returns: a NaN raises a RuntimeError that names the node and shows the
line of the forward that recorded it.
"""

from __future__ import annotations

import functools
import sys
import warnings

import numpy as np

from .._core import modes

__all__ = ["capture_stack", "check_gradients", "detect_anomaly", "is_anomaly_check_nan_enabled", "is_anomaly_enabled",
           "set_detect_anomaly", "state", "warn_forward_trace"]


state = modes.anomaly
capture_stack = modes.capture_stack


def is_anomaly_enabled() -> bool:
    return state.enabled


def is_anomaly_check_nan_enabled() -> bool:
    return state.check_nan


class detect_anomaly:
    """Context manager (and decorator) that turns anomaly detection on."""

    def __init__(self, check_nan: bool = True):
        self.prev = (state.enabled, state.check_nan)
        self.check_nan = check_nan
        warnings.warn("Anomaly Detection has been enabled. This mode will increase the runtime and should "
                      "only be enabled for debugging.", stacklevel=2)

    def __enter__(self):
        self.prev = (state.enabled, state.check_nan)
        state.enabled, state.check_nan = True, self.check_nan

    def __exit__(self, *exc):
        state.enabled, state.check_nan = self.prev
        return False

    def __call__(self, fn):

        @functools.wraps(fn)
        def wrapper(*a, **k):
            with self:
                return fn(*a, **k)
        return wrapper


class set_detect_anomaly:
    """``set_detect_anomaly(True)`` turns detection on (also usable as a context manager)."""

    def __init__(self, mode: bool, check_nan: bool = True):
        self.prev = (state.enabled, state.check_nan)
        state.enabled, state.check_nan = bool(mode), check_nan

    def __enter__(self):
        pass

    def __exit__(self, *exc):
        state.enabled, state.check_nan = self.prev
        return False


def check_gradients(node, grads) -> None:
    """Raise if ``node`` returned a NaN/inf gradient, showing where its forward ran."""

    for i, g in enumerate(grads):
        if g is None:
            continue
        a = g._data
        # like PyTorch, only NaN is an anomaly: an inf gradient (sqrt at 0) is a legitimate value
        if a.dtype.kind in "fc" and np.isnan(a).any():
            raise RuntimeError(f"Function '{node.name()}' returned nan values in its {i}th output.")


def warn_forward_trace(node, err=None) -> None:
    """Anomaly mode, a node's backward failed: PyTorch's warning naming it, with the traceback of its forward
    (str(err) stays PyTorch's message; the traceback also goes in a note, which an uncaught error shows)."""
    if not node.trace:
        return
    import traceback  # loaded late: only a failing backward in anomaly mode needs it

    where = "Traceback of forward call that caused the error:\n" + "".join(traceback.format_list(node.trace))
    if err is not None and hasattr(err, "add_note"):
        err.add_note(where.rstrip("\n"))
    level = 2
    f = sys._getframe(1)
    while f is not None and modes.is_ember_file(f.f_code.co_filename):  # the warning names the user's line
        f, level = f.f_back, level + 1
    warnings.warn(f"Error detected in {node.name()}. {where}", UserWarning, stacklevel=level)
