"""``torch.onnx``: importable, so programs that import it at the top run; exporting a model to ONNX needs
PyTorch's graph capture (torch.export / TorchScript), which ember does not have, so ``export`` raises the
not-offered error (PyTorch 2.13 has no ``dynamo_export`` any more; neither has ember)."""

from __future__ import annotations

import contextlib
import enum

from ._devices import not_offered
from .version import __version__

__all__ = ["export", "is_in_onnx_export", "OnnxExporterError", "TrainingMode", "OperatorExportTypes",
           "register_custom_op_symbolic", "unregister_custom_op_symbolic", "select_model_mode_for_export",
           "producer_name", "producer_version"]

_WHY = "exporting to ONNX needs PyTorch's graph capture (torch.export), which ember does not have"
producer_name = "pytorch"
producer_version = __version__.split("+")[0]


class OnnxExporterError(RuntimeError):
    """An error of the ONNX exporter."""


class TrainingMode(enum.IntEnum):
    EVAL = 0
    PRESERVE = 1
    TRAINING = 2


class OperatorExportTypes(enum.IntEnum):
    ONNX = 0
    ONNX_ATEN = 1
    ONNX_ATEN_FALLBACK = 2
    ONNX_FALLTHROUGH = 3


export = not_offered("torch.onnx.export", _WHY)
register_custom_op_symbolic = not_offered("torch.onnx.register_custom_op_symbolic", _WHY)
unregister_custom_op_symbolic = not_offered("torch.onnx.unregister_custom_op_symbolic", _WHY)


def is_in_onnx_export() -> bool:
    """False: nothing is ever being exported."""
    return False


@contextlib.contextmanager
def select_model_mode_for_export(model, mode):
    """Put ``model`` in training or eval mode inside a ``with`` block (PRESERVE leaves it), then restore it."""
    was_training = model.training
    if mode != TrainingMode.PRESERVE:
        model.train(mode == TrainingMode.TRAINING)
    try:
        yield
    finally:
        model.train(was_training)
