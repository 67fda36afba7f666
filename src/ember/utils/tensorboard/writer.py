"""``SummaryWriter``: scalars, scalar groups, histograms, text and images as TensorBoard events.

The records are the ones PyTorch's writer makes (``simple_value`` scalars, histograms with its default
exponential buckets, the text plugin's string tensors, PNG images), written through tensorboard's own
``EventFileWriter``, so TensorBoard reads ember's runs as PyTorch's.
"""

from __future__ import annotations

import io
import os
import socket
import time
from datetime import datetime

from tensorboard.compat.proto.event_pb2 import Event
from tensorboard.compat.proto.summary_pb2 import HistogramProto, Summary, SummaryMetadata
from tensorboard.compat.proto.tensor_pb2 import TensorProto
from tensorboard.compat.proto.tensor_shape_pb2 import TensorShapeProto
from tensorboard.plugins.text.plugin_data_pb2 import TextPluginData
from tensorboard.summary.writer.event_file_writer import EventFileWriter

from ..._array import np
from ..._core.tensor import Tensor

__all__ = ["SummaryWriter", "FileWriter"]


def _np(x) -> np.ndarray:
    """A tensor, array or number as an ndarray (tensors detached)."""
    if isinstance(x, Tensor):
        return x.detach().numpy()
    return np.asarray(x)


class FileWriter:
    """Writes events to one event file in ``log_dir``."""

    def __init__(self, log_dir: str, max_queue: int = 10, flush_secs: int = 120, filename_suffix: str = ""):
        self.event_writer = EventFileWriter(str(log_dir), max_queue, flush_secs, filename_suffix)

    def get_logdir(self) -> str:
        return self.event_writer.get_logdir()

    def add_event(self, event, step=None, walltime=None) -> None:
        event.wall_time = time.time() if walltime is None else walltime
        if step is not None:
            event.step = int(step)
        self.event_writer.add_event(event)

    def add_summary(self, summary, global_step=None, walltime=None) -> None:
        self.add_event(Event(summary=summary), global_step, walltime)

    def flush(self) -> None:
        self.event_writer.flush()

    def close(self) -> None:
        self.event_writer.close()

    def reopen(self) -> None:
        self.event_writer.reopen()


def _default_bins() -> list:
    """PyTorch's "tensorflow" histogram edges: ±1e-12 growing by 10% up to 1e20, and 0."""
    v, buckets = 1e-12, []
    while v < 1e20:
        buckets.append(v)
        v *= 1.1
    return [-b for b in buckets[::-1]] + [0] + buckets


def _histogram(values: np.ndarray, bins, max_bins=None) -> HistogramProto:
    if values.size == 0:
        raise ValueError("The input has no element.")
    values = values.reshape(-1)
    counts, limits = np.histogram(values, bins=bins)
    if max_bins is not None and len(counts) > max_bins:
        sub = len(counts) // max_bins
        if len(counts) % sub:
            counts = np.pad(counts, [[0, sub - len(counts) % sub]])
        counts = counts.reshape(-1, sub).sum(axis=-1)
        limits = np.concatenate([limits[:-1:sub], limits[-1:]])
    # keep the buckets from the first to the last non-empty one, with one empty bucket before
    cum = np.cumsum(np.greater(counts, 0))
    start, end = np.searchsorted(cum, [0, cum[-1] - 1], side="right")
    start, end = int(start), int(end) + 1
    counts = counts[start - 1:end] if start > 0 else np.concatenate([[0], counts[:end]])
    limits = limits[start:end + 1]
    if counts.size == 0 or limits.size == 0:
        raise ValueError("The histogram is empty, please file a bug report.")
    return HistogramProto(min=values.min(), max=values.max(), num=len(values), sum=values.sum(),
                          sum_squares=values.dot(values), bucket_limit=limits.tolist(), bucket=counts.tolist())


def _to_hwc(img: np.ndarray, dataformats: str) -> np.ndarray:
    dataformats = dataformats.upper()
    if len(set(dataformats)) != len(dataformats) or len(dataformats) != img.ndim:
        raise AssertionError(f"size of input tensor and input format are different. tensor shape: {img.shape}, "
                             f"input_format: {dataformats}")
    if dataformats == "HW":
        img = img[..., None]
        dataformats = "HWC"
    img = img.transpose([dataformats.index(c) for c in "HWC"])
    if img.shape[2] == 1:
        img = np.concatenate([img, img, img], 2)
    return img


class SummaryWriter:
    """Log values for TensorBoard into ``log_dir`` (default ``runs/<date>_<host><comment>``)."""

    def __init__(self, log_dir=None, comment: str = "", purge_step=None, max_queue: int = 10,
                 flush_secs: int = 120, filename_suffix: str = ""):
        if not log_dir:
            current_time = datetime.now().strftime("%b%d_%H-%M-%S")
            log_dir = os.path.join("runs", current_time + "_" + socket.gethostname() + comment)
        self.log_dir = str(log_dir)
        self.purge_step, self.max_queue = purge_step, max_queue
        self.flush_secs, self.filename_suffix = flush_secs, filename_suffix
        self.file_writer = None
        self.all_writers: dict = {}
        self.default_bins = _default_bins()
        self._get_file_writer()

    def _get_file_writer(self) -> FileWriter:
        if self.file_writer is None:
            self.file_writer = FileWriter(self.log_dir, self.max_queue, self.flush_secs, self.filename_suffix)
            self.all_writers = {self.file_writer.get_logdir(): self.file_writer}
            if self.purge_step is not None:
                self.file_writer.add_event(Event(step=self.purge_step, file_version="brain.Event:2"))
                self.file_writer.add_event(Event(step=self.purge_step, session_log={"status": 1}))
                self.purge_step = None
        return self.file_writer

    def get_logdir(self) -> str:
        return self.log_dir

    def add_scalar(self, tag: str, scalar_value, global_step=None, walltime=None, new_style: bool = False,
                   double_precision: bool = False) -> None:
        value = _np(scalar_value).squeeze()
        if value.ndim != 0:
            raise AssertionError(f"Tensor should contain one element (0 dimensions). Was given size: {value.size} "
                                 f"and {value.ndim} dimensions.")
        v = float(value)
        if new_style:
            proto = (TensorProto(double_val=[v], dtype="DT_DOUBLE") if double_precision
                     else TensorProto(float_val=[v], dtype="DT_FLOAT"))
            meta = SummaryMetadata(plugin_data=SummaryMetadata.PluginData(plugin_name="scalars"))
            summary = Summary(value=[Summary.Value(tag=tag, tensor=proto, metadata=meta)])
        else:
            summary = Summary(value=[Summary.Value(tag=tag, simple_value=v)])
        self._get_file_writer().add_summary(summary, global_step, walltime)

    def add_scalars(self, main_tag: str, tag_scalar_dict: dict, global_step=None, walltime=None) -> None:
        """Each value in its own run (``<log_dir>/<main_tag>_<tag>``) under one chart ``main_tag``."""
        walltime = time.time() if walltime is None else walltime
        logdir = self._get_file_writer().get_logdir()
        for tag, value in tag_scalar_dict.items():
            fw_tag = logdir + "/" + main_tag.replace("/", "_") + "_" + tag
            fw = self.all_writers.get(fw_tag)
            if fw is None:
                fw = self.all_writers[fw_tag] = FileWriter(fw_tag, self.max_queue, self.flush_secs,
                                                           self.filename_suffix)
            fw.add_summary(Summary(value=[Summary.Value(tag=main_tag, simple_value=float(_np(value)))]),
                           global_step, walltime)

    def add_histogram(self, tag: str, values, global_step=None, bins="tensorflow", walltime=None,
                      max_bins=None) -> None:
        if isinstance(bins, str) and bins == "tensorflow":
            bins = self.default_bins
        hist = _histogram(_np(values).astype(float), bins, max_bins)
        self._get_file_writer().add_summary(Summary(value=[Summary.Value(tag=tag, histo=hist)]), global_step,
                                            walltime)

    def add_text(self, tag: str, text_string: str, global_step=None, walltime=None) -> None:
        meta = SummaryMetadata(plugin_data=SummaryMetadata.PluginData(
            plugin_name="text", content=TextPluginData(version=0).SerializeToString()))
        tensor = TensorProto(dtype="DT_STRING", string_val=[text_string.encode("utf_8")],
                             tensor_shape=TensorShapeProto(dim=[TensorShapeProto.Dim(size=1)]))
        summary = Summary(value=[Summary.Value(tag=tag + "/text_summary", metadata=meta, tensor=tensor)])
        self._get_file_writer().add_summary(summary, global_step, walltime)

    def add_image(self, tag: str, img_tensor, global_step=None, walltime=None, dataformats: str = "CHW") -> None:
        """An image (float values in [0, 1] or uint8 in [0, 255]) as PNG; needs Pillow, as in PyTorch."""
        from PIL import Image  # optional dependency, as in PyTorch
        img = _to_hwc(_np(img_tensor), dataformats)
        scale = 1 if img.dtype == np.uint8 else 255
        img = (img.astype(np.float32) * scale).clip(0, 255).astype(np.uint8)
        out = io.BytesIO()
        Image.fromarray(img).save(out, format="PNG")
        h, w, c = img.shape
        image = Summary.Image(height=h, width=w, colorspace=c, encoded_image_string=out.getvalue())
        self._get_file_writer().add_summary(Summary(value=[Summary.Value(tag=tag, image=image)]), global_step,
                                            walltime)

    def flush(self) -> None:
        for writer in self.all_writers.values():
            writer.flush()

    def close(self) -> None:
        for writer in self.all_writers.values():
            writer.flush()
            writer.close()
        self.file_writer = None
        self.all_writers = {}

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()
