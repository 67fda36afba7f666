"""The switches every op and node reads: grad mode, inference mode, anomaly mode.

``grad.enabled`` is read once per op (record or not); ``anomaly.enabled`` once per node (keep the forward's stack
or not). The public switches (``no_grad``, ``detect_anomaly`` ...) in ``ember.autograd`` set these objects.
"""

from __future__ import annotations

import traceback

__all__ = ["grad", "anomaly", "capture_stack"]


class _GradState:
    __slots__ = ("enabled", "inference")

    def __init__(self):
        self.enabled = True
        self.inference = False


class _AnomalyState:
    __slots__ = ("enabled", "check_nan")

    def __init__(self):
        self.enabled = False
        self.check_nan = True


grad = _GradState()
anomaly = _AnomalyState()


def capture_stack() -> list:
    """The stack of the current forward call, with ember's own frames dropped so it ends at the user's line."""
    frames = traceback.extract_stack()[:-2]
    return [f for f in frames if "/ember/" not in f.filename.replace("\\", "/")] or frames
