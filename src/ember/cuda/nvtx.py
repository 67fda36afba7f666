"""``torch.cuda.nvtx``: NVTX ranges need a CUDA build; each call raises PyTorch's CPU-build error."""

from __future__ import annotations

__all__ = ["range_push", "range_pop", "range_start", "range_end", "mark", "range"]

_MESSAGE = "NVTX functions not installed. Are you sure you have a CUDA build?"


def _unavailable(*args, **kwargs):
    raise RuntimeError(_MESSAGE)


range_push = range_pop = range_start = range_end = mark = _unavailable


class range:  # noqa: A001  (PyTorch's name)
    """``with torch.cuda.nvtx.range("name"):`` needs NVTX."""

    def __init__(self, msg, *args, **kwargs):
        self.msg = msg

    def __enter__(self):
        _unavailable()

    def __exit__(self, *exc):
        return False

    def __call__(self, fn):
        return fn
