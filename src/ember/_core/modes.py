"""The switches every op and node reads: grad mode, inference mode, anomaly mode, forward-mode AD, saved-tensor
hooks.

Each is kept per thread, as PyTorch keeps them: a ``no_grad()`` in one thread leaves another thread recording,
and a backward pass changes its own thread's flag only. ``grad.enabled`` is read once per op (record or not),
``anomaly.enabled`` once per node (keep the forward's stack or not), ``forward.level`` once per op (carry
tangents or not: None outside ``forward_ad.dual_level()``). The public switches (``no_grad``,
``detect_anomaly``, ``dual_level`` ...) live in ``ember.autograd`` and set these objects.
"""

from __future__ import annotations

import functools
import os
import threading

__all__ = ["grad", "anomaly", "forward", "saved", "capture_stack"]


class _GradState(threading.local):
    def __init__(self):
        self.enabled = True
        self.inference = False


class _AnomalyState(threading.local):
    def __init__(self):
        self.enabled = False
        self.check_nan = True


class _ForwardState(threading.local):
    """``level``: the dual level in use (None: no forward-mode AD); ``duals``: the tensors that got a tangent at it
    (their tangents are dropped when the level exits); ``compute(t, node, tangents)`` works out an output's
    tangent and is set by ``ember.autograd.forward_ad`` (the core does not import autograd); ``observer(node,
    tangents_in, tangent_out)`` sees every tangent worked out (``autograd.explain_forward``)."""

    compute = None

    def __init__(self):
        self.level = None
        self.duals = []
        self.observer = None


class _SavedState(threading.local):
    """``hooks``: the (pack, unpack) pairs of ``autograd.graph.saved_tensors_hooks`` in force, innermost last;
    ``disabled``: the message of an enclosing ``disable_saved_tensors_hooks`` (None: hooks allowed)."""

    def __init__(self):
        self.hooks = []
        self.disabled = None


grad = _GradState()
anomaly = _AnomalyState()
forward = _ForwardState()
saved = _SavedState()

# the directory ember is installed in (this package's own files, not any folder that happens to be called ember)
EMBER_DIR = os.path.normcase(os.path.join(os.path.dirname(os.path.dirname(os.path.realpath(__file__))), ""))


@functools.lru_cache(maxsize=4096)
def is_ember_file(filename: str) -> bool:
    """Whether ``filename`` (a code object's path) is one of ember's own source files."""
    return os.path.normcase(os.path.realpath(filename)).startswith(EMBER_DIR)


def capture_stack() -> list:
    """The stack of the current forward call, with ember's own frames dropped so it ends at the user's line
    (frames are ember's when they lie in ember's own package directory, not when a path merely says ember)."""
    import traceback  # loaded late: only anomaly mode needs it (import ember stays light)

    frames = traceback.extract_stack()[:-2]
    return [f for f in frames if not is_ember_file(f.filename)] or frames
