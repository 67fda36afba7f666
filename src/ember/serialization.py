"""``ember.save`` / ``ember.load``: tensors, state dicts and optimizer states in a file that holds no pickle.

Loading a file never runs code: the file is data only, and every number in its header is checked before use.

File format (version 1), all integers little-endian::

    bytes 0..7     magic  b"EMBERSV1"
    bytes 8..15    uint64 N, the length of the header
    next N bytes   UTF-8 JSON header, padded with spaces so the data region starts on a 64-byte boundary
    rest           data region: the raw little-endian bytes of each tensor, C order, each at a 64-byte offset

Header: ``{"format": "ember", "version": 1, "tensors": [...], "root": <node>}``. Each tensor entry is
``{"dtype": "float32", "shape": [2, 3], "offset": 0, "nbytes": 24, "requires_grad": false, "parameter": false}``
(offset relative to the data region). A node is JSON ``null``/``true``/``false``/integer/string for None, bools,
ints and strings, or a one-key object for everything else:
``{"float": "0x1.8p+1"}`` (``float.hex``, exact, nan/inf too), ``{"list": [...]}``, ``{"tuple": [...]}``,
``{"dict": [[key, value], ...]}`` and ``{"odict": ...}`` (keys are nodes, so int keys survive),
``{"tensor": i}`` (index into ``tensors``), ``{"size": [...]}``, ``{"dtype": "float32"}``, ``{"device": "cpu"}``.

The same tensor object saved twice is stored once and loads as one object. Views are stored as copies of the
values they show (storage sharing between different tensors is not kept). Gradients and graph history are not
saved; ``requires_grad`` and whether a tensor is a ``Parameter`` are.

Saving to a path writes a temporary file in the same directory and renames it over the target, so an
interrupted save leaves the previous file intact.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from collections import OrderedDict
from typing import IO, Any

import numpy as np

from ._core import dtype as _dtype
from ._core.tensor import Size, Tensor, _wrap, device

MAGIC = b"EMBERSV1"
VERSION = 1
_ALIGN = 64
_MAX_DEPTH = 200  # deeper nesting than any state dict; bounds recursion on hostile headers

# dtype name -> little-endian NumPy dtype (bfloat16 is kept as float32 by ember, so it is saved as float32)
_DTYPES = {"float16": "<f2", "float32": "<f4", "float64": "<f8", "int8": "|i1", "int16": "<i2", "int32": "<i4",
           "int64": "<i8", "uint8": "|u1", "bool": "|b1", "complex64": "<c8", "complex128": "<c16"}
_NP_TO_NAME = {np.dtype(v).newbyteorder("="): k for k, v in _DTYPES.items()}


def _pad(n: int) -> int:
    return -n % _ALIGN


# ----- save -----

class _Encoder:
    """Walks the object to save, building the JSON node tree and the list of arrays to write."""

    def __init__(self) -> None:
        self.entries: list[dict] = []
        self.arrays: list[np.ndarray] = []
        self.seen: dict[int, int] = {}  # id(tensor) -> index, so one tensor saved twice is stored once
        self.offset = 0

    def tensor(self, t: Tensor) -> dict:
        key = id(t)
        if key not in self.seen:
            arr = t._data
            name = _NP_TO_NAME.get(arr.dtype.newbyteorder("="))
            if name is None:
                raise TypeError(f"ember.save: cannot save a tensor of NumPy dtype {arr.dtype}")
            arr = np.asarray(arr, dtype=np.dtype(_DTYPES[name]), order="C")  # (ascontiguousarray would make 0-d 1-d)
            from .nn.parameter import Parameter
            self.entries.append({"dtype": name, "shape": list(arr.shape), "offset": self.offset,
                                 "nbytes": arr.nbytes, "requires_grad": bool(t._rg),
                                 "parameter": isinstance(t, Parameter)})
            self.arrays.append(arr)
            self.offset += arr.nbytes + _pad(arr.nbytes)
            self.seen[key] = len(self.entries) - 1
        return {"tensor": self.seen[key]}

    def node(self, obj: Any, depth: int = 0) -> Any:
        if depth > _MAX_DEPTH:
            raise ValueError(f"ember.save: object nested deeper than {_MAX_DEPTH} levels")
        if obj is None or isinstance(obj, (bool, str)):
            return obj
        if isinstance(obj, int):
            return int(obj)  # int subclasses (IntEnum, ...) become plain ints
        if isinstance(obj, float):
            return {"float": float(obj).hex()}
        if isinstance(obj, Tensor):
            return self.tensor(obj)
        if isinstance(obj, (np.integer, np.bool_)):
            return obj.item()
        if isinstance(obj, np.floating):
            return {"float": float(obj).hex()}
        if isinstance(obj, _dtype.dtype):
            return {"dtype": obj.name}
        if isinstance(obj, device):
            return {"device": str(obj)}
        if isinstance(obj, Size):
            return {"size": [int(d) for d in obj]}
        if isinstance(obj, tuple) and not hasattr(obj, "_fields"):
            return {"tuple": [self.node(v, depth + 1) for v in obj]}
        if isinstance(obj, list):
            return {"list": [self.node(v, depth + 1) for v in obj]}
        if isinstance(obj, dict) and type(obj) in (dict, OrderedDict):
            tag = "odict" if isinstance(obj, OrderedDict) else "dict"
            return {tag: [[self.node(k, depth + 1), self.node(v, depth + 1)] for k, v in obj.items()]}
        raise TypeError(f"ember.save: cannot save an object of type {type(obj).__name__} (supported: tensors, "
                        f"Parameters, dict, OrderedDict, list, tuple, int, float, bool, str, None)")


def _write(obj: Any, f: IO[bytes]) -> None:
    enc = _Encoder()
    root = enc.node(obj)
    header = json.dumps({"format": "ember", "version": VERSION, "tensors": enc.entries, "root": root},
                        separators=(",", ":"), allow_nan=False).encode("utf-8")
    header += b" " * _pad(16 + len(header))
    f.write(MAGIC)
    f.write(len(header).to_bytes(8, "little"))
    f.write(header)
    for arr in enc.arrays:
        f.write(memoryview(arr.reshape(-1).view(np.uint8)))
        f.write(b"\0" * _pad(arr.nbytes))


def save(obj: Any, f: str | os.PathLike | IO[bytes], pickle_module: Any = None, pickle_protocol: int = 2,
         _use_new_zipfile_serialization: bool = True, _disable_byteorder_record: bool = False) -> None:
    """Save ``obj`` (tensors, state dicts, nested containers of numbers/strings) to a path or binary file."""
    if hasattr(f, "write"):
        _write(obj, f)
        return
    path = os.fspath(f)
    directory = os.path.dirname(os.path.abspath(path))
    # write next to the target, then rename over it: a crash mid-write never leaves a half-written file there
    fd, tmp = tempfile.mkstemp(dir=directory, prefix="." + os.path.basename(path) + ".", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            _write(obj, out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


# ----- load -----

def _bad(msg: str) -> RuntimeError:
    return RuntimeError(f"ember.load: invalid file: {msg}")


def _describe_foreign(head: bytes) -> str:
    if head.startswith(b"PK\x03\x04"):
        return ("this is a zip archive (the format torch.save writes, which holds a pickle); ember.load reads "
                "only ember's own pickle-free format and never unpickles, as unpickling can run arbitrary code. "
                "Export the weights with safetensors and read them with ember.safetensors.load_file")
    if head[:1] == b"\x80" or head[:1] in (b"(", b"}", b"]", b"c"):
        return ("this looks like a pickle; ember.load never unpickles, as unpickling can run arbitrary code. "
                "Export the weights with safetensors and read them with ember.safetensors.load_file")
    return f"not an ember file (expected magic {MAGIC!r}, found {head[:8]!r})"


def _is_int(x) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


def _check_entries(entries: Any, data_len: int) -> None:
    if not isinstance(entries, list):
        raise _bad("'tensors' is not a list")
    for i, e in enumerate(entries):
        if not isinstance(e, dict):
            raise _bad(f"tensor {i} is not an object")
        name, shape, off, nbytes = e.get("dtype"), e.get("shape"), e.get("offset"), e.get("nbytes")
        if name not in _DTYPES:
            raise _bad(f"tensor {i} has unknown dtype {name!r}")
        if not isinstance(shape, list) or not all(_is_int(d) and d >= 0 for d in shape):
            raise _bad(f"tensor {i} has an invalid shape {shape!r}")
        if not (_is_int(off) and _is_int(nbytes) and off >= 0 and nbytes >= 0):
            raise _bad(f"tensor {i} has an invalid offset/nbytes ({off!r}, {nbytes!r})")
        expected = math.prod(shape) * np.dtype(_DTYPES[name]).itemsize
        if nbytes != expected:
            raise _bad(f"tensor {i} of dtype {name} and shape {shape} needs {expected} bytes, header says {nbytes}")
        if off + nbytes > data_len:
            raise _bad(f"tensor {i} spans bytes {off}..{off + nbytes} but the data region has only {data_len} "
                       f"bytes (truncated file?)")
        if not isinstance(e.get("requires_grad", False), bool) or not isinstance(e.get("parameter", False), bool):
            raise _bad(f"tensor {i} has non-boolean flags")


class _Decoder:
    def __init__(self, entries: list[dict], data: memoryview, data_start: int) -> None:
        self.entries, self.data, self.start = entries, data, data_start
        self.built: dict[int, Tensor] = {}

    def tensor(self, i: Any) -> Tensor:
        if not _is_int(i) or not 0 <= i < len(self.entries):
            raise _bad(f"reference to tensor {i!r}, but the file has {len(self.entries)} tensors")
        if i not in self.built:
            e = self.entries[i]
            dt = np.dtype(_DTYPES[e["dtype"]])
            count = e["nbytes"] // dt.itemsize
            arr = np.frombuffer(self.data, dtype=dt, count=count, offset=self.start + e["offset"])
            arr = arr.reshape(e["shape"]).astype(dt.newbyteorder("="), copy=False)
            if e["dtype"] == "bool" and count and arr.view(np.uint8).max() > 1:
                raise _bad(f"tensor {i} of dtype bool holds bytes other than 0 and 1")
            t = _wrap(arr)
            if e.get("parameter", False):
                from .nn.parameter import Parameter
                t = Parameter(t, requires_grad=e.get("requires_grad", True))
            elif e.get("requires_grad", False):
                t.requires_grad_(True)
            self.built[i] = t
        return self.built[i]

    def node(self, n: Any, depth: int = 0) -> Any:
        if depth > _MAX_DEPTH:
            raise _bad(f"structure nested deeper than {_MAX_DEPTH} levels")
        if n is None or isinstance(n, (bool, int, str)):
            return n
        if not isinstance(n, dict) or len(n) != 1:
            raise _bad(f"unexpected node {str(n)[:80]!r}")
        (tag, v), = n.items()
        if tag == "float" and isinstance(v, str):
            try:
                return float.fromhex(v)
            except ValueError:
                raise _bad(f"bad float {v[:40]!r}") from None
        if tag == "tensor":
            return self.tensor(v)
        if tag in ("list", "tuple") and isinstance(v, list):
            items = [self.node(x, depth + 1) for x in v]
            return items if tag == "list" else tuple(items)
        if tag in ("dict", "odict") and isinstance(v, list):
            out = OrderedDict() if tag == "odict" else {}
            for kv in v:
                if not isinstance(kv, list) or len(kv) != 2:
                    raise _bad("a dict item is not a [key, value] pair")
                key = self.node(kv[0], depth + 1)
                try:
                    out[key] = self.node(kv[1], depth + 1)
                except TypeError:  # an unhashable key (a list) can only come from a forged header
                    raise _bad("unhashable dict key") from None
            return out
        if tag == "size" and isinstance(v, list) and all(_is_int(d) and d >= 0 for d in v):
            return Size(v)
        if tag == "dtype" and isinstance(v, str) and isinstance(getattr(_dtype, v if v != "bool" else "bool_",
                                                                        None), _dtype.dtype):
            return getattr(_dtype, v if v != "bool" else "bool_")
        if tag == "device" and v == "cpu":
            return device("cpu")
        raise _bad(f"unknown or malformed node tag {tag!r}")


def _read_bytes(f: str | os.PathLike | IO[bytes]) -> bytes | bytearray:
    if hasattr(f, "read"):
        data = f.read()
        if not isinstance(data, (bytes, bytearray)):
            raise TypeError("ember.load: the file object must be opened in binary mode")
        return bytearray(data)  # a writable buffer, so loaded tensors are writable without a second copy
    with open(os.fspath(f), "rb") as fh:
        buf = bytearray(os.fstat(fh.fileno()).st_size)
        n = fh.readinto(buf)
        return buf[:n] if n != len(buf) else buf


def load(f: str | os.PathLike | IO[bytes], map_location: Any = None, pickle_module: Any = None, *,
         weights_only: bool | None = None, mmap: bool | None = None, **pickle_load_args: Any) -> Any:
    """Load what ``ember.save`` wrote; never executes code from the file (``weights_only`` is always in effect)."""
    _check_map_location(map_location)
    buf = _read_bytes(f)
    if bytes(buf[:8]) != MAGIC:
        raise _bad(_describe_foreign(bytes(buf[:16])))
    if len(buf) < 16:
        raise _bad(f"only {len(buf)} bytes long (truncated file?)")
    n = int.from_bytes(buf[8:16], "little")
    if n > len(buf) - 16:
        raise _bad(f"header length {n} exceeds the {len(buf) - 16} bytes after the prefix (truncated file?)")
    try:
        header = json.loads(bytes(buf[16:16 + n]).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as e:
        raise _bad(f"header is not valid JSON ({type(e).__name__})") from None
    if not isinstance(header, dict) or header.get("format") != "ember" or "root" not in header:
        raise _bad("header is not an ember header")
    if header.get("version") != VERSION:
        raise _bad(f"unsupported format version {header.get('version')!r} (this ember reads version {VERSION})")
    data_start = 16 + n
    entries = header.get("tensors", [])
    _check_entries(entries, len(buf) - data_start)
    try:
        return _Decoder(entries, memoryview(buf), data_start).node(header["root"])
    except RecursionError:
        raise _bad("structure nested too deeply") from None


def _check_map_location(map_location: Any) -> None:
    # ember is CPU only; a CPU target (or a function / dict, which for CPU tensors keep them on the CPU) is fine
    if map_location is None or callable(map_location) or isinstance(map_location, dict):
        return
    where = str(map_location)
    if where.split(":")[0] not in ("cpu",):
        raise RuntimeError(f"Attempting to deserialize object on a {where.split(':')[0].upper()} device but "
                           f"torch.cuda.is_available() is False. If you are running on a CPU-only machine, please "
                           f"use torch.load with map_location=torch.device('cpu') to map your storages to the CPU.")


__all__ = ["load", "save"]
