"""The switches every op and node reads: grad mode, inference mode, anomaly mode.

``grad.enabled`` is read once per op (record or not); ``anomaly.enabled`` once per node (keep the forward's stack
or not). The public switches (``no_grad``, ``detect_anomaly`` ...) in ``ember.autograd`` set these objects.
"""

from __future__ import annotations

import functools
import os
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


# the directory ember is installed in (this package's own files, not any folder that happens to be called ember)
EMBER_DIR = os.path.normcase(os.path.join(os.path.dirname(os.path.dirname(os.path.realpath(__file__))), ""))


@functools.lru_cache(maxsize=4096)
def is_ember_file(filename: str) -> bool:
    """Whether ``filename`` (a code object's path) is one of ember's own source files."""
    return os.path.normcase(os.path.realpath(filename)).startswith(EMBER_DIR)


def capture_stack() -> list:
    """The stack of the current forward call, with ember's own frames dropped so it ends at the user's line."""
    frames = traceback.extract_stack()[:-2]
    return [f for f in frames if not is_ember_file(f.filename)] or frames
