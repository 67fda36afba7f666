"""Helpers of the serialization tests: a library-neutral description of a loaded object, so that what ember
loads can be compared with what PyTorch loads (or recorded), and the hostile-file checker."""

from __future__ import annotations

import gc
import io
import json
import math
import tracemalloc
from collections import OrderedDict
from pathlib import Path

import numpy as np

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "serialization"
MB = 1 << 20


def expected() -> dict:
    """What PyTorch 2.13 wrote and said (recorded by record_fixtures.py)."""
    return json.loads((FIXTURES / "expected.json").read_text())


def _status(key: str) -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(key):
                return int(line.split()[1]) * 1024
    raise KeyError(key)


def rss_peak(fn) -> int:
    """Peak resident memory (bytes) above the level before ``fn`` ran (Linux: resets the high-water mark)."""
    gc.collect()
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")
    before = _status("VmRSS")
    result = fn()
    peak = _status("VmHWM") - before
    del result
    return peak


def traced_peak(fn):
    """Peak of traced allocations (bytes) while ``fn`` runs, and its result."""
    gc.collect()
    tracemalloc.start()
    try:
        start = tracemalloc.get_traced_memory()[0]
        result = fn()
        return tracemalloc.get_traced_memory()[1] - start, result
    finally:
        tracemalloc.stop()

# how ember loads dtypes it has no tensors of (bfloat16 is kept as float32; unsigned ints widen)
EMBER_DTYPE = {"torch.bfloat16": "torch.float32", "torch.uint16": "torch.int32", "torch.uint32": "torch.int64"}


def _enc(x):
    if isinstance(x, (bool, np.bool_)):
        return bool(x)
    if isinstance(x, (int, np.integer)):
        return int(x)
    if isinstance(x, complex) or isinstance(x, np.complexfloating):
        return [float(x.real).hex(), float(x.imag).hex()]
    return float(x).hex()


def _storage(t) -> tuple[int, int]:
    """(address of the storage, offset of the tensor in it in elements)."""
    if hasattr(t, "untyped_storage"):  # torch
        return t.untyped_storage().data_ptr(), t.storage_offset()
    arr = owner = t._data  # ember: the storage is the array that owns the memory the tensor's array views
    while isinstance(owner.base, np.ndarray):
        owner = owner.base
    base = owner.__array_interface__["data"][0]
    return base, (arr.__array_interface__["data"][0] - base) // arr.itemsize


def _values(t) -> list:
    t = t.detach()
    if str(t.dtype) in ("torch.bfloat16", "torch.uint16", "torch.uint32"):
        t = t.double() if str(t.dtype) == "torch.bfloat16" else t.long()
    arr = np.asarray(t.numpy())
    return [_enc(v) for v in arr.reshape(-1).tolist()]


def describe(obj, _ptrs=None, ember_dtypes: bool = False):
    """A JSON-able description: tensors by dtype, shape, strides, offset, storage group, flags and exact values."""
    ptrs = {} if _ptrs is None else _ptrs
    d = lambda o: describe(o, ptrs, ember_dtypes)  # noqa: E731
    kind = type(obj).__name__
    if hasattr(obj, "untyped_storage") or hasattr(obj, "_data"):  # a tensor of either library
        dtype = str(obj.dtype)
        if ember_dtypes:
            dtype = EMBER_DTYPE.get(dtype, dtype)
        numel = math.prod(obj.shape)
        ptr, offset = _storage(obj)
        group = ptrs.setdefault(ptr, len(ptrs)) if numel else None
        return {"tensor": {"dtype": dtype, "shape": list(obj.shape),
                           "stride": list(obj.stride()) if numel else None,
                           "offset": offset if numel else None, "storage": group,
                           "requires_grad": bool(obj.requires_grad), "param": "Parameter" in kind,
                           "values": _values(obj)}}
    if isinstance(obj, dict):
        out = {"odict" if isinstance(obj, OrderedDict) else "dict": [[d(k), d(v)] for k, v in obj.items()]}
        meta = getattr(obj, "_metadata", None)
        if meta is not None:
            out["_metadata"] = d(meta)
        return out
    if kind == "Size":
        return {"size": list(obj)}
    if isinstance(obj, list):
        return {"list": [d(v) for v in obj]}
    if isinstance(obj, tuple):
        return {"tuple": [d(v) for v in obj]}
    if kind == "dtype":
        return {"dtype": str(obj)}
    if kind == "device":
        return {"device": str(obj)}
    if obj is None or isinstance(obj, (bool, str)):
        return obj
    if isinstance(obj, int):
        return {"int": obj}
    if isinstance(obj, float):
        return {"float": obj.hex()}
    if isinstance(obj, complex):
        return {"complex": [obj.real.hex(), obj.imag.hex()]}
    if isinstance(obj, (set, frozenset)):
        return {"set": sorted(repr(v) for v in obj)}
    if isinstance(obj, (bytes, bytearray)):
        return {kind: obj.hex()}
    raise TypeError(f"describe: unexpected {kind}")


def only_runtime_errors(load, blobs) -> list[str]:
    """Load every blob; return a description of each failure that is not a RuntimeError (empty: all good)."""
    bad = []
    for i, blob in enumerate(blobs):
        try:
            load(blob)
        except RuntimeError:
            pass
        except BaseException as e:  # noqa: BLE001  (anything else is the finding)
            bad.append(f"case {i}: {type(e).__name__}: {str(e)[:120]}")
    return bad


def mutations(blob: bytes, rng: np.random.Generator, n: int):
    """``n`` damaged copies of ``blob``: bit flips, truncations, random runs, absurd integers, cut and doubled
    chunks, special bytes."""
    size = len(blob)
    for _ in range(n):
        b = bytearray(blob)
        kind = int(rng.integers(0, 7))
        i = int(rng.integers(0, size))
        if kind == 0:
            for _ in range(int(rng.integers(1, 4))):
                j = int(rng.integers(0, size))
                b[j] ^= 1 << int(rng.integers(0, 8))
        elif kind == 1:
            b = b[:i]
        elif kind == 2:
            k = int(rng.integers(1, 16))
            b[i:i + k] = rng.integers(0, 256, k, dtype=np.uint8).tobytes()
        elif kind == 3:
            w = (1, 2, 4, 8)[int(rng.integers(0, 4))]
            v = (0, 1, 2 ** (8 * w) - 1, 2 ** (8 * w - 1) - 1, 2 ** (8 * w - 1), 2 ** (8 * w) - 2)[int(rng.integers(0, 6))]
            i = min(i, max(size - w, 0))
            b[i:i + w] = v.to_bytes(w, "little")
        elif kind == 4:
            del b[i:i + int(rng.integers(1, 64))]
        elif kind == 5:
            b[i:i] = b[i:i + int(rng.integers(1, 64))]
        else:
            b[i] = (0, 0xFF, 0x7F, 0x80, 0x28, 0x63, 0x52, 0x2E, 0x71, 0x68)[int(rng.integers(0, 10))]
        yield bytes(b)


def pickled_zip(pkl: bytes, records: dict | None = None) -> bytes:
    """A checkpoint whose data.pkl is ``pkl``, with extra ``records`` (name -> bytes): for files no pickler
    writes."""
    from ember._serialization_zip import ZipWriter
    buf = io.BytesIO()
    zf = ZipWriter(buf, "archive")
    zf.write_record("data.pkl", pkl)
    zf.write_record("byteorder", b"little")
    for name, data in (records or {}).items():
        zf.write_record(name, data)
    zf.write_record("version", b"3\n")
    zf.finish()
    return buf.getvalue()


def global_op(module: str, name: str) -> bytes:
    return b"c" + module.encode() + b"\n" + name.encode() + b"\n"
