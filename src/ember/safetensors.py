"""Read and write ``.safetensors``, the pickle-free weights format PyTorch users exchange models in.

Layout: an 8-byte little-endian header length N, N bytes of UTF-8 JSON
``{"name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}, ..., "__metadata__": {str: str}}``,
then the tensors' raw little-endian bytes (offsets relative to the end of the header, together covering the
data exactly). Loading checks every size and offset against the file before touching the data; a malformed
file raises ``RuntimeError("safetensors: ...")``.

Memory: ``save_file`` streams each tensor's bytes from its own memory into the file (a copy only of a
non-contiguous tensor) and ``load_file`` maps the file copy-on-write, so neither holds the file in memory: the
tensors are views of private pages, read when touched (writing to one never changes the file). ``save`` and
``load`` work on bytes objects. ember's bfloat16 tensors (kept as float32) are written as F32; BF16, U16 and
U32 load widened to float32, int32 and int64.
"""

from __future__ import annotations

import json
import math
import mmap
import os
from typing import Any

import numpy as np

from ._atomic_file import atomic_write as _atomic_write
from ._core.tensor import Tensor, _wrap

_MAX_HEADER = 100_000_000  # the limit the reference implementation uses against absurd headers
_CODES = {"F64": "<f8", "F32": "<f4", "F16": "<f2", "I64": "<i8", "I32": "<i4", "I16": "<i2", "I8": "|i1",
          "U8": "|u1", "BOOL": "|b1", "C64": "<c8"}
_WRITE_RANK = ["I64", "F64", "C64", "F32", "I32", "F16", "I16", "I8", "U8", "BOOL"]
_NP_TO_CODE = {np.dtype(v).newbyteorder("="): k for k, v in _CODES.items()}
# codes ember reads by widening into a dtype it has (NumPy has no bfloat16; ember keeps bfloat16 as float32)
_WIDEN = {"BF16": "<u2", "U16": "<u2", "U32": "<u4"}


def _error(msg: str) -> RuntimeError:
    return RuntimeError(f"safetensors: {msg}")


def _prepare(tensors: dict[str, Tensor], metadata: dict[str, str] | None) -> tuple[bytes, list[np.ndarray]]:
    """The header (length prefix included) and the arrays to write after it, in the file's order."""
    if not isinstance(tensors, dict):
        raise TypeError(f"safetensors: expected a dict of tensors, got {type(tensors).__name__}")
    if metadata is not None and not (isinstance(metadata, dict) and all(
            isinstance(k, str) and isinstance(v, str) for k, v in metadata.items())):
        raise TypeError("safetensors: metadata must be a dict of str to str")
    arrays = {}
    for name, t in tensors.items():
        if not isinstance(name, str) or name == "__metadata__":
            raise ValueError(f"safetensors: invalid tensor name {name!r}")
        if not isinstance(t, Tensor):
            raise TypeError(f"safetensors: value for {name!r} is a {type(t).__name__}, not a tensor")
        code = _NP_TO_CODE.get(t._data.dtype.newbyteorder("="))
        if code is None:
            raise ValueError(f"safetensors: cannot store dtype {t.dtype} of tensor {name!r}")
        # a copy only for a non-contiguous or big-endian array: contiguous ones are written from their memory
        arrays[name] = (code, np.asarray(t._data, dtype=np.dtype(_CODES[code]), order="C"))
    # the reference writer's order (its dtype rank, then name): widest first keeps every tensor aligned, and
    # the same order makes ember's bytes identical to what the safetensors package writes
    order = sorted(arrays, key=lambda k: (_WRITE_RANK.index(arrays[k][0]), k))
    header: dict[str, Any] = {}
    if metadata is not None:
        header["__metadata__"] = metadata
    offset = 0
    for name in order:
        code, arr = arrays[name]
        header[name] = {"dtype": code, "shape": list(arr.shape), "data_offsets": [offset, offset + arr.nbytes]}
        offset += arr.nbytes
    raw = json.dumps(header, separators=(",", ":")).encode("utf-8")
    raw += b" " * (-len(raw) % 8)  # the data region starts 8-byte aligned
    return len(raw).to_bytes(8, "little") + raw, [arrays[name][1] for name in order]


def _chunks(arr: np.ndarray, size: int = 1 << 24):
    flat = arr.reshape(-1).view(np.uint8) if arr.size else np.empty(0, np.uint8)
    for i in range(0, flat.nbytes, size):
        yield flat[i:i + size]


def save(tensors: dict[str, Tensor], metadata: dict[str, str] | None = None) -> bytes:
    """Serialize a ``{name: tensor}`` dict to safetensors bytes."""
    head, arrays = _prepare(tensors, metadata)
    return b"".join([head, *(arr.reshape(-1).view(np.uint8).tobytes() for arr in arrays if arr.size)])


def _short(x) -> str:
    r = repr(x)
    return r if len(r) <= 60 else r[:57] + "..."


def sane_shape(shape) -> bool:
    """A shape NumPy can build: a list of at most 64 non-negative ints whose product (zeros aside) fits."""
    if not isinstance(shape, list) or len(shape) > 64 or not all(type(d) is int and d >= 0 for d in shape):
        return False
    return math.prod(d for d in shape if d) < 1 << 62


def _checked_header(buf) -> tuple[dict, dict, int]:
    if len(buf) < 8:
        raise _error(f"file is {len(buf)} bytes, too short for the 8-byte header length (truncated?)")
    n = int.from_bytes(bytes(buf[:8]), "little")
    if n > _MAX_HEADER or n > len(buf) - 8:
        raise _error(f"header length {n} is larger than the {len(buf) - 8} bytes that follow (truncated or "
                     f"not a safetensors file)")
    try:
        header = json.loads(bytes(buf[8:8 + n]).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as e:
        raise _error(f"header is not valid JSON ({type(e).__name__})") from None
    if not isinstance(header, dict):
        raise _error("header is not a JSON object")
    metadata = header.pop("__metadata__", None)
    if metadata is not None and not (isinstance(metadata, dict) and all(isinstance(v, str)
                                                                        for v in metadata.values())):
        raise _error("__metadata__ must map strings to strings")
    data_len = len(buf) - 8 - n
    spans = []
    for name, info in header.items():
        if not isinstance(info, dict):
            raise _error(f"entry {_short(name)} is not an object")
        code, shape, offs = info.get("dtype"), info.get("shape"), info.get("data_offsets")
        if not isinstance(code, str) or (code not in _CODES and code not in _WIDEN):
            raise _error(f"tensor {_short(name)} has unsupported dtype {_short(code)}")
        if not sane_shape(shape):
            raise _error(f"tensor {_short(name)} has an invalid shape {_short(shape)}")
        if not (isinstance(offs, list) and len(offs) == 2 and all(type(o) is int for o in offs)
                and 0 <= offs[0] <= offs[1]):
            raise _error(f"tensor {_short(name)} has invalid data_offsets {_short(offs)}")
        need = math.prod(shape) * np.dtype(_CODES.get(code) or _WIDEN[code]).itemsize
        if offs[1] - offs[0] != need:
            raise _error(f"tensor {_short(name)} of dtype {code} and shape {_short(shape)} needs {need} bytes, "
                         f"data_offsets {offs} give {offs[1] - offs[0]}")
        if offs[1] > data_len:
            raise _error(f"tensor {_short(name)} ends at byte {offs[1]} of a {data_len}-byte data region "
                         f"(truncated?)")
        spans.append(offs)
    # the tensors must tile the data region exactly: no overlaps (aliasing), no holes (hidden payloads)
    pos = 0
    for begin, end in sorted(spans):
        if begin != pos:
            raise _error(f"data_offsets overlap or leave a gap at byte {pos}")
        pos = end
    if pos != data_len:
        raise _error(f"the tensors cover {pos} bytes but the data region holds {data_len}")
    return header, metadata, 8 + n


def _decode(buf, copy: bool = True) -> tuple[dict[str, Tensor], dict | None]:
    """The tensors of a safetensors buffer: copies (``copy``), or views of ``buf`` (a writable mmap) that each
    own their span (``.base`` is the buffer, so ``ember.save`` of one tensor writes only its bytes)."""
    header, metadata, start = _checked_header(buf)
    out = {}
    for name, info in header.items():
        code, (begin, end) = info["dtype"], info["data_offsets"]
        dt = np.dtype(_WIDEN.get(code) or _CODES[code])
        count = (end - begin) // dt.itemsize
        arr = np.ndarray((count,), dt, buffer=buf, offset=start + begin) if count else np.empty(0, dt)
        arr = arr.reshape(info["shape"])
        if code in _WIDEN:
            # bfloat16 is the top half of a float32: shift the bits up; unsigned ints widen to a signed type
            arr = ((arr.astype(np.uint32) << 16).view(np.float32) if code == "BF16"
                   else arr.astype(np.int32 if code == "U16" else np.int64))
        else:
            if code == "BOOL" and arr.size and arr.view(np.uint8).max() > 1:
                raise _error(f"tensor {_short(name)} of dtype BOOL holds bytes other than 0 and 1")
            if copy or not dt.isnative:
                arr = arr.astype(dt.newbyteorder("="), copy=True)  # own, writable memory per tensor
        out[name] = _wrap(arr)
    return out, metadata


def load(data: bytes) -> dict[str, Tensor]:
    """Deserialize safetensors bytes to a ``{name: tensor}`` dict."""
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"safetensors: expected bytes, got {type(data).__name__}")
    return _decode(data)[0]


def save_file(tensors: dict[str, Tensor], filename: str | os.PathLike, metadata: dict[str, str] | None = None
              ) -> None:
    """Write ``tensors`` to ``filename``: streamed from the tensors' memory (no whole-file buffer), atomically
    (a temporary file beside the target, renamed over it; see ``ember.serialization``)."""
    head, arrays = _prepare(tensors, metadata)

    def write(f) -> None:
        f.write(head)
        for arr in arrays:
            for chunk in _chunks(arr):
                f.write(chunk)
    _atomic_write(filename, write)


def load_file(filename: str | os.PathLike, device: str = "cpu") -> dict[str, Tensor]:
    """Read a ``.safetensors`` file into a ``{name: tensor}`` dict, by memory map: the tensors are copy-on-write
    views of the mapped file (pages are read when touched; writing to a tensor never changes the file), as the
    safetensors package does for PyTorch."""
    if str(device).split(":")[0] != "cpu":
        raise RuntimeError(f"safetensors: ember tensors live on the CPU, cannot load to device {device!r}")
    with open(os.fspath(filename), "rb") as f:
        size = os.fstat(f.fileno()).st_size
        if size < 8:
            raise _error(f"file is {size} bytes, too short for the 8-byte header length (truncated?)")
        mapped = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_COPY)
    return _decode(mapped, copy=False)[0]


def load_metadata(filename: str | os.PathLike) -> dict[str, str] | None:
    """The ``__metadata__`` dict of a ``.safetensors`` file (None if it has none)."""
    with open(os.fspath(filename), "rb") as f:
        size = os.fstat(f.fileno()).st_size
        if size < 8:
            raise _error(f"file is {size} bytes, too short for the 8-byte header length (truncated?)")
        with mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
            return _checked_header(mapped)[1]


__all__ = ["load", "load_file", "load_metadata", "save", "save_file"]
