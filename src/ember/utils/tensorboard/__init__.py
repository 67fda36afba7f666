"""``torch.utils.tensorboard``: ``SummaryWriter`` writing TensorBoard event files.

As in PyTorch it needs the ``tensorboard`` package (its protocol buffers and event-file writer): without it,
importing this module raises ``ModuleNotFoundError: No module named 'tensorboard'``, PyTorch's error.
"""

import tensorboard

if not hasattr(tensorboard, "__version__") or tuple(int(p) for p in tensorboard.__version__.split(".")[:2]) < (1, 15):
    raise ImportError("TensorBoard logging requires TensorBoard version 1.15 or above")

del tensorboard

from tensorboard.summary.writer.record_writer import RecordWriter  # noqa: E402

from .writer import FileWriter, SummaryWriter  # noqa: E402

__all__ = ["FileWriter", "RecordWriter", "SummaryWriter"]
