"""``ember.save`` / ``ember.load``: PyTorch's checkpoint files, ember's pickle-free format, and safetensors.

Formats, and how ``ember.load`` tells them apart
-------------------------------------------------
``ember.load`` looks at the first bytes of the file, never at its name (except ``.safetensors``, as PyTorch):

- ``PK\\x03\\x04`` (a zip archive): **PyTorch's format**, what ``torch.save`` writes and what ``ember.save``
  writes. ``<name>/data.pkl`` is a pickle whose tensors refer by persistent id to raw storages
  ``<name>/data/<key>``; the layout is described in ``ember._serialization_zip``, the pickle in
  ``ember._serialization_pickle``. PyTorch reads ember's files and ember reads PyTorch's, both ways: tensors of
  every dtype ember has (bfloat16 loads as float32, uint16/uint32 widen to int32/int64), views that share storage
  (they load sharing it again), Parameters, containers, state dicts of modules and optimizers, and whole objects.
- ``EMBERSV1``: **ember's pickle-free format** (``save_pickle_free``): data only, described below.
- a pickle starting ``\\x80``: PyTorch's **legacy format** (``_use_new_zipfile_serialization=False``), read and
  written for old checkpoints.
- a path ending in ``.safetensors``: ``ember.safetensors.load_file`` (PyTorch 2.13 does the same).

Unpickling
----------
``weights_only=True`` is the default, as in PyTorch 2.13: the pickle is read by an interpreter that imports
nothing and calls only tensor rebuilders, containers, ``Size``, ``device``, dtypes and the globals allowed with
``add_safe_globals`` / ``safe_globals``, and refuses anything else with PyTorch's ``UnpicklingError`` and its
message ("Weights only load failed. ..."). ``weights_only=False`` is the opt-in to whole objects (a saved model,
any class already imported), and it still runs no code from the file, where PyTorch's runs whatever the file
says: it imports nothing and calls only value constructors (``_serialization_pickle.FullUnpickler``). PyTorch's names in a file (``torch._utils.
_rebuild_tensor_v2``, ``torch.FloatStorage``, ``torch.nn.modules.linear.Linear`` ...) are answered by ember's
objects; torch is never imported. ``ember.save`` pickles anything Python can; ember's classes keep their own names.

Errors
------
Every malformed file raises ``RuntimeError``, in all formats: PyTorch's "PytorchStreamReader failed reading zip
archive: ..." for a damaged zip, ``ember.serialization.UnpicklingError`` (a subclass of both
``pickle.UnpicklingError`` and ``RuntimeError``, carrying PyTorch's "Weights only load failed" message) for a
damaged or refused pickle under ``weights_only=True``, "ember.load: invalid file: ..." for ember's format and
"safetensors: ..." for safetensors. Loading reads at most the file's size into memory and never runs code.

Saving to a path
----------------
The file is written to a temporary file beside the target (``.<name>.<pid>.<random>.ember-tmp``) and renamed over
it, so a crash or a kill mid-write leaves the previous file intact; the temporary file is removed on any error
(KeyboardInterrupt too), and one left by a killed process (its pid is gone) is removed by the next save to that
target. A symlink is written through (its target is replaced, the link stays). A new file gets mode
0666 & ~umask and an existing file keeps its mode, as with PyTorch's in-place write. A missing directory raises
PyTorch's ``RuntimeError: Parent directory <dir> does not exist.``; other OS errors (no permission, a full
disk) are raised as the ``OSError`` they are (PyTorch wraps them in a RuntimeError naming its C++ source). The
file is fsynced before the rename, so the rename never exposes a file whose data is not on disk.

ember's pickle-free format (version 1), all integers little-endian
-----------------------------------------------------------------
::

    bytes 0..7     magic  b"EMBERSV1"
    bytes 8..15    uint64 N, the length of the header
    next N bytes   UTF-8 JSON header, padded with spaces so the data region starts on a 64-byte boundary
    rest           data region: the raw little-endian bytes of each tensor, C order, each at a 64-byte offset

Header: ``{"format": "ember", "version": 1, "tensors": [...], "root": <node>}``. Each tensor entry is
``{"dtype": "float32", "shape": [2, 3], "offset": 0, "nbytes": 24, "requires_grad": false, "parameter": false}``
(offset relative to the data region; entries never overlap, a file whose entries do is refused). A node is JSON
``null``/``true``/``false``/integer/string for None, bools, ints and strings, or a one-key object for everything
else: ``{"float": "0x1.8p+1"}`` (``float.hex``, exact, nan/inf too), ``{"list": [...]}``, ``{"tuple": [...]}``,
``{"dict": [[key, value], ...]}`` and ``{"odict": ...}`` (keys are nodes, so int keys survive),
``{"tensor": i}`` (index into ``tensors``), ``{"size": [...]}``, ``{"dtype": "float32"}``, ``{"device": "cpu"}``.
The same tensor object saved twice is stored once and loads as one object; views are stored as copies of the
values they show. Gradients and graph history are not saved; ``requires_grad`` and being a ``Parameter`` are.
"""

from __future__ import annotations

import io
import json
import math
import mmap as _mmap
import os
import pickle
import pickletools as _pickletools
import re
import secrets
import sys
import warnings
from collections import OrderedDict
from collections.abc import Callable
from typing import IO, Any

import numpy as np

from . import safetensors as _safetensors
from ._atomic_file import atomic_write
from ._core import dtype as _dtype
from ._core.tensor import Size, Tensor, _wrap, device
from ._serialization_pickle import (
    FILE_FORMATS,
    MAX_DEPTH,
    NOT_TORCH,
    FullUnpickler,
    LoadedStorage,
    Pickler,
    StorageType,
    UnpicklingError,
    WeightsUnpickler,
    _Reader,
    add_safe_globals,
    clear_safe_globals,
    get_safe_globals,
    globals_in_pickle,
    lookup_torch_name,
    safe_globals,
    torch_globals,
)
from ._serialization_zip import ZIP_MAGIC, ZipReader, ZipWriter
from .nn.parameter import Parameter
from .safetensors import sane_shape

__all__ = ["save", "load", "save_pickle_free", "add_safe_globals", "get_safe_globals", "clear_safe_globals",
           "safe_globals", "get_unsafe_globals_in_checkpoint", "UnpicklingError", "DEFAULT_PROTOCOL",
           "LoadEndianness", "get_default_load_endianness", "set_default_load_endianness",
           "get_default_mmap_options", "set_default_mmap_options", "SourceChangeWarning", "default_restore_location",
           "location_tag", "normalize_storage_type"]

DEFAULT_PROTOCOL = 2
MAGIC = b"EMBERSV1"
VERSION = 1
_ALIGN = 64
_LEGACY_MAGIC = 0x1950A86A20F9469CFC6C
_LEGACY_PROTOCOL = 1001

UNSAFE_MESSAGE = (
    "In PyTorch 2.6, we changed the default value of the `weights_only` argument in `torch.load` from `False` to "
    "`True`. Re-running `torch.load` with `weights_only` set to `False` will likely succeed, but it can result in "
    "arbitrary code execution. Do it only if you got the file from a trusted source.")
_DOCS_MESSAGE = ("\n\nCheck the documentation of torch.load to learn more about types accepted by default with "
                 "weights_only https://pytorch.org/docs/stable/generated/torch.load.html.")


class SourceChangeWarning(Warning):
    pass


class LoadEndianness:
    NATIVE = 1
    LITTLE = 2
    BIG = 3


_load_endianness = None
_mmap_shared = False


def get_default_load_endianness():
    return _load_endianness


def set_default_load_endianness(endianness) -> None:
    global _load_endianness
    if endianness not in (None, LoadEndianness.NATIVE, LoadEndianness.LITTLE, LoadEndianness.BIG):
        raise TypeError("Invalid argument type in function set_default_load_endianness")
    _load_endianness = endianness


def get_default_mmap_options() -> int:
    return _mmap.MAP_SHARED if _mmap_shared else _mmap.MAP_PRIVATE


def set_default_mmap_options(flags: int) -> None:
    global _mmap_shared
    if flags not in (_mmap.MAP_PRIVATE, _mmap.MAP_SHARED):
        raise ValueError("Invalid argument in function set_default_mmap_options, expected mmap.MAP_PRIVATE or "
                         f"mmap.MAP_SHARED, but got {flags}")
    _mmap_shared = flags == _mmap.MAP_SHARED


def location_tag(storage) -> str:
    return "cpu"


def normalize_storage_type(storage_type):
    return storage_type


def default_restore_location(storage, location: str):
    _check_location(location)
    return storage


def _archive_name(f) -> str:
    if isinstance(f, (str, bytes, os.PathLike)):
        stem = os.path.splitext(os.path.basename(os.fsdecode(f)))[0]
        if stem and stem.isascii() and stem not in (".", ".."):
            return stem
    return "archive"


# ===== save =====

def _pickler_class(pickle_module) -> type:
    if pickle_module is None or pickle_module is pickle:
        return Pickler
    base = getattr(pickle_module, "Pickler", None)
    if isinstance(base, type) and issubclass(base, pickle._Pickler):  # dill and friends: their rules, our names
        return type("Pickler", (Pickler, base), {"dispatch": {**base.dispatch, **Pickler.dispatch}})
    return Pickler


def _write_zip(obj, f: IO[bytes], archive: str, pickle_module, protocol: int, byteorder_record: bool) -> None:
    buf = io.BytesIO()
    pickler = _pickler_class(pickle_module)(buf, protocol)
    pickler.dump(obj)
    zf = ZipWriter(f, archive)
    zf.write_record("data.pkl", buf.getvalue())
    zf.write_record(".format_version", b"1")
    zf.write_record(".storage_alignment", b"64")
    if byteorder_record:
        zf.write_record("byteorder", sys.byteorder.encode())
    for st in pickler.storages.values():
        zf.write_record(f"data/{st.key}", st.chunks(), st.nbytes())
    zf.write_record("version", b"3\n")
    zf.write_record(".data/serialization_id", f"{secrets.randbits(128):040d}".encode())
    zf.finish()


def _write_legacy(obj, f: IO[bytes], pickle_module, protocol: int) -> None:
    class LegacyPickler(_pickler_class(pickle_module)):
        def persistent_id(self, o):
            pid = super().persistent_id(o)
            return None if pid is None else (*pid, None)  # + view_metadata

    def dump(x):
        pickle.dump(x, f, protocol=protocol)
    dump(_LEGACY_MAGIC)
    dump(_LEGACY_PROTOCOL)
    dump({"protocol_version": _LEGACY_PROTOCOL, "little_endian": sys.byteorder == "little",
          "type_sizes": {"short": 2, "int": 4, "long": 4}})
    pickler = LegacyPickler(f, protocol)
    pickler.dump(obj)
    keys = sorted(st.key for st in pickler.storages.values())
    dump(keys)
    by_key = {st.key: st for st in pickler.storages.values()}
    for key in keys:
        st = by_key[key]
        f.write(int(st.root.size).to_bytes(8, sys.byteorder))
        for chunk in st.chunks():
            f.write(chunk)


def save(obj: Any, f: str | os.PathLike | IO[bytes], pickle_module: Any = pickle,
         pickle_protocol: int = DEFAULT_PROTOCOL, _use_new_zipfile_serialization: bool = True,
         _disable_byteorder_record: bool = False) -> None:
    """Save ``obj`` (anything picklable: tensors, state dicts, whole modules ...) in PyTorch's zip format."""
    if _use_new_zipfile_serialization:
        def write(out):
            _write_zip(obj, out, _archive_name(f), pickle_module, pickle_protocol, not _disable_byteorder_record)
    else:
        def write(out):
            _write_legacy(obj, out, pickle_module, pickle_protocol)
    _write_to(f, write)


def save_pickle_free(obj: Any, f: str | os.PathLike | IO[bytes]) -> None:
    """Save tensors, state dicts and nested containers of numbers/strings in ember's pickle-free format."""
    enc = _Encoder()
    root = enc.node(obj)  # walk before opening the file: an unsupported object leaves no file behind
    _write_to(f, lambda out: enc.write(root, out))


def _write_to(f, write) -> None:
    if isinstance(f, (str, bytes, os.PathLike)):
        if os.path.isdir(f):  # (PyTorch's words, before anything is written)
            raise RuntimeError("[enforce fail at inline_container.cc:747] . open file failed with strerror: Is a "
                               "directory")
        atomic_write(f, write)
        return
    if not hasattr(f, "write"):
        raise AttributeError("expected 'f' to be string, path, or a file-like object with a 'write' attribute")
    if not callable(f.write):
        raise TypeError(f"Buffer of {str(type(f)).strip('<>')} has no callable attribute 'write'")
    write(f)
    if hasattr(f, "flush"):
        f.flush()


# ===== load =====

def _check_location(location: str) -> None:
    kind = str(location).split(":")[0]
    if kind == "cpu":
        return
    if kind in ("cuda", "mps", "xpu"):
        name = kind.upper() if kind != "cuda" else "CUDA"
        raise RuntimeError(f"Attempting to deserialize object on a {name} device but torch.{kind}.is_available() is "
                           f"False. If you are running on a CPU-only machine, please use torch.load with "
                           f"map_location=torch.device('cpu') to map your storages to the CPU.")
    raise RuntimeError(f"don't know how to restore data location of torch.storage.UntypedStorage (tagged with "
                       f"{location})")


def _restorer(map_location) -> Callable[[LoadedStorage, str], LoadedStorage]:
    """PyTorch's map_location rules, for a CPU-only library: every storage must end on the CPU."""
    if map_location is None:
        def restore(storage, location):
            _check_location(location)
            return storage
    elif isinstance(map_location, dict):
        def restore(storage, location):
            _check_location(map_location.get(location, location))
            return storage
    elif isinstance(map_location, (str, bytes, device)):
        where = map_location.decode() if isinstance(map_location, bytes) else str(map_location)
        _check_location(where)

        def restore(storage, location):
            return storage
    elif callable(map_location):
        def restore(storage, location):
            result = map_location(storage, location)
            if result is None:
                _check_location(location)
                return storage
            if not isinstance(result, LoadedStorage):
                raise RuntimeError(f"map_location should return a storage or None, got {type(result).__name__}")
            return result
    else:
        raise TypeError(f"map_location should be a str, a device, a dict or a callable, not "
                        f"{type(map_location).__name__}")
    return restore


def _wo_message(message: str) -> str:
    """PyTorch's wording around an error of the weights-only unpickler."""
    if re.search(r"GLOBAL (\S+) was not an allowed global by default.", message):
        return ("Weights only load failed. This file can still be loaded, to do so you have two options, "
                "\033[1mdo those steps only if you trust the source of the checkpoint\033[0m. "
                f"\n\t(1) {UNSAFE_MESSAGE}\n\t(2) Alternatively, to load with `weights_only=True` please check the "
                "recommended steps in the following error message.\n\tWeightsUnpickler error: " + message
                + _DOCS_MESSAGE)
    if re.search(r"(\S+) must be (\S+) to load", message):
        return f"Weights only load failed. {message}\n {UNSAFE_MESSAGE}\n"
    updated = f"Weights only load failed. {UNSAFE_MESSAGE}\n"
    if not re.search(r"whose module (\S+) is blocked", message):
        updated += ("Please file an issue with the following so that we can make `weights_only=True` compatible "
                    "with your use case: WeightsUnpickler error: ")
    return updated + "\n\n" + message + _DOCS_MESSAGE


def _storage_reader(restore, byteorder: str, fetch: Callable[[str, int], np.ndarray]):
    """persistent_load for ``("storage", type, key, location, numel[, view])``: each key read once."""
    loaded: dict[str, LoadedStorage] = {}

    def persistent_load(pid):
        if not (isinstance(pid, tuple) and len(pid) in (5, 6)):
            raise RuntimeError(f"ember.load: invalid file: unexpected persistent id {str(pid)[:80]}")
        _, storage_type, key, location, numel = pid[:5]
        if isinstance(location, bytes):
            location = location.decode("ascii", "replace")
        if not (isinstance(storage_type, StorageType) and isinstance(key, str) and isinstance(location, str)
                and type(numel) is int and numel >= 0):
            raise RuntimeError(f"ember.load: invalid file: unexpected persistent id {str(pid)[:80]}")
        if len(pid) == 6 and pid[5] is not None:
            raise RuntimeError("ember.load: storage views of PyTorch's legacy format are not supported")
        if key in loaded:
            return loaded[key]
        fmt = np.dtype(FILE_FORMATS[storage_type.dtype][0])
        arr = fetch(key, numel * fmt.itemsize)
        if byteorder != sys.byteorder and fmt.itemsize > 1:
            arr.view(fmt.newbyteorder("=")).byteswap(inplace=True)
        if storage_type.dtype == "bool" and arr.size and arr.max() > 1:
            raise RuntimeError(f"ember.load: invalid file: bool storage {key} holds bytes other than 0 and 1")
        st = loaded[key] = restore(LoadedStorage(arr, storage_type.dtype, location), location)
        return st
    return persistent_load


def _unpickle(data: bytes | _Reader, persistent_load, weights_only: bool, pickle_module, load_args: dict):
    if weights_only:
        try:
            return WeightsUnpickler(data, persistent_load, encoding=load_args.get("encoding", "utf-8")).load()
        except pickle.UnpicklingError as e:
            raise UnpicklingError(_wo_message(str(e))) from None
    if pickle_module is not None and pickle_module is not pickle:
        class Unpickler(pickle_module.Unpickler):
            def find_class(self, module, name):
                obj = lookup_torch_name(module, name)
                return super().find_class(module, name) if obj is NOT_TORCH else obj

            def persistent_load(self, pid):
                return persistent_load(pid)
        return Unpickler(io.BytesIO(data), **load_args).load()
    return FullUnpickler(io.BytesIO(data), persistent_load, **load_args).load()


def _byteorder(zf: ZipReader | None) -> str:
    if zf is not None and zf.has_record("byteorder"):
        b = zf.read("byteorder")
        if b not in (b"little", b"big"):
            raise RuntimeError("Unknown endianness type: " + b.decode("utf-8", "replace"))
        return b.decode()
    e = _load_endianness
    return sys.byteorder if e == LoadEndianness.NATIVE else "big" if e == LoadEndianness.BIG else "little"


def _load_zip(fh, restore, weights_only, mmap_mode, pickle_module, load_args):
    zf = ZipReader(fh)
    if zf.has_record("constants.pkl"):
        if weights_only:
            raise RuntimeError("Cannot use ``weights_only=True`` with TorchScript archives passed to "
                               "``torch.load``. " + UNSAFE_MESSAGE)
        raise RuntimeError("ember.load: this is a TorchScript archive (torch.jit.save); ember does not offer "
                           "torch.jit")
    pkl = zf.read("data.pkl")
    mapped = None
    if mmap_mode:
        mapped = _mmap.mmap(fh.fileno(), 0, access=_mmap.ACCESS_WRITE if _mmap_shared else _mmap.ACCESS_COPY)

    def fetch(key: str, nbytes: int) -> np.ndarray:
        rec = zf.record(f"data/{key}")
        if rec.size != nbytes:
            raise RuntimeError(f"ember.load: invalid file: storage data/{key} holds {rec.size} bytes, its tensors "
                               f"announce {nbytes}")
        if mapped is not None and rec.method == 0:
            return np.ndarray((nbytes,), np.uint8, buffer=mapped, offset=zf.data_offset(rec))
        arr = np.empty(nbytes, np.uint8)
        zf.read_into(rec, memoryview(arr))
        return arr
    return _unpickle(pkl, _storage_reader(restore, _byteorder(zf), fetch), weights_only, pickle_module, load_args)


def _load_legacy(fh, restore, weights_only, pickle_module, load_args):
    """PyTorch's format before 1.6: pickles of a magic number, versions, the object and its storage keys, then the
    storages' bytes (an int64 element count each). Read into memory whole (a fallback for old files)."""
    data = fh.read()
    reader = _Reader(data)

    def header(what: str):  # these small pickles are read by the weights-only rules whatever weights_only says
        try:
            return WeightsUnpickler(reader).load()
        except pickle.UnpicklingError as e:
            if weights_only:
                raise UnpicklingError(_wo_message(str(e))) from None
            raise RuntimeError(f"ember.load: invalid file: the {what} of the legacy format is unreadable") from None
    magic = header("magic number")
    if type(magic) is not int or magic != _LEGACY_MAGIC:
        raise RuntimeError("Invalid magic number; corrupt file?")
    version = header("protocol version")
    if type(version) is not int or version != _LEGACY_PROTOCOL:
        raise RuntimeError(f"Invalid protocol version: {str(version)[:40]}")
    header("system info")
    start = reader.pos
    types = _legacy_storage_types(reader)
    main = data[start:reader.pos]
    keys = header("storage keys")
    if not (isinstance(keys, list) and all(isinstance(k, str) for k in keys)):
        raise RuntimeError("ember.load: invalid file: the storage keys are not a list of strings")
    blobs: dict[str, tuple[int, int]] = {}
    pos = reader.pos
    for key in keys:
        numel = int.from_bytes(data[pos:pos + 8], "little", signed=True) if pos + 8 <= len(data) else -1
        nbytes = numel * np.dtype(FILE_FORMATS[types.get(key, "uint8")][0]).itemsize
        if numel < 0 or pos + 8 + nbytes > len(data):
            raise RuntimeError("ember.load: invalid file: truncated storage data")
        blobs[key] = (pos + 8, nbytes)
        pos += 8 + nbytes

    def fetch(key: str, nbytes: int) -> np.ndarray:
        if key not in blobs or blobs[key][1] != nbytes:
            raise RuntimeError(f"ember.load: invalid file: storage {key[:40]} is missing or of the wrong size")
        begin, n = blobs[key]
        return np.frombuffer(data, np.uint8, n, begin).copy()
    return _unpickle(main, _storage_reader(restore, _byteorder(None), fetch), weights_only, pickle_module,
                     load_args)


def _legacy_storage_types(reader: _Reader) -> dict[str, str]:
    """Walk the opcodes of one pickle (nothing is built) to its end, noting each storage key's dtype: in a
    persistent id the key is the string pushed right after the storage type ``torch.FloatStorage``."""

    bio = io.BytesIO(reader.data)
    bio.seek(reader.pos)
    memo: dict = {}
    types: dict[str, str] = {}
    previous = value = None
    try:
        for op, arg, _ in _pickletools.genops(bio):
            name = op.name
            if name == "STOP":
                break
            if name in ("BINPUT", "LONG_BINPUT", "PUT", "MEMOIZE"):
                memo[len(memo) if name == "MEMOIZE" else arg] = value
                continue
            if name == "GLOBAL":
                value = torch_globals().get(".".join(arg.split(" ", 1)))
            elif name in ("BINGET", "LONG_BINGET", "GET"):
                value = memo.get(arg)
            elif name in ("BINUNICODE", "SHORT_BINUNICODE", "BINUNICODE8", "SHORT_BINSTRING", "BINSTRING"):
                value = arg
            else:
                value = None
            if isinstance(value, str) and isinstance(previous, StorageType):
                types.setdefault(value, previous.dtype)
            previous = value
    except Exception as e:
        raise UnpicklingError(_wo_message(f"malformed pickle data ({type(e).__name__})")) from None
    reader.pos = bio.tell()
    return types


def _open_for_read(f):
    if isinstance(f, (str, bytes, os.PathLike)):
        return open(f, "rb"), True
    if not callable(getattr(f, "read", None)):
        if not hasattr(f, "seek"):  # (PyTorch's first question of a file object)
            raise AttributeError(f"'{type(f).__name__}' object has no attribute 'seek'. You can only torch.load from "
                                 "a file that is seekable. Please pre-load the data into a buffer like io.BytesIO and "
                                 "try to load from it instead.")
        raise AttributeError(f"'{type(f).__name__}' object has no attribute 'read'")
    seekable = getattr(f, "seekable", None)
    if not (callable(seekable) and seekable()):
        data = f.read()
        if not isinstance(data, (bytes, bytearray)):
            raise TypeError("ember.load: the file object must be opened in binary mode")
        return io.BytesIO(data), True
    return f, False


def load(f: str | os.PathLike | IO[bytes], map_location: Any = None, pickle_module: Any = None, *,
         weights_only: bool | None = None, mmap: bool | None = None, **pickle_load_args: Any) -> Any:
    """Load a file written by ``ember.save`` or ``torch.save`` (or ember's pickle-free format, or safetensors)."""
    weights_only_not_set = weights_only is None
    if weights_only_not_set:
        weights_only = pickle_module is None
    truthy = ("1", "y", "yes", "true")
    force_wo = os.getenv("TORCH_FORCE_WEIGHTS_ONLY_LOAD", "0").lower() in truthy
    force_no_wo = os.getenv("TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD", "0").lower() in truthy
    if force_wo and force_no_wo:
        raise RuntimeError("Only one of `TORCH_FORCE_WEIGHTS_ONLY_LOAD` or `TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD` "
                           "should be set, but both were set.")
    if force_wo:
        weights_only = True
    elif force_no_wo and weights_only_not_set:
        warnings.warn("Environment variable TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD detected, since the`weights_only` "
                      "argument was not explicitly passed to `torch.load`, forcing weights_only=False.",
                      UserWarning, stacklevel=2)
        weights_only = False
    if weights_only and pickle_module is not None:
        raise RuntimeError("Can not safely load weights when explicit pickle_module is specified")
    if pickle_load_args and weights_only:
        warnings.warn("pickle_load_args only works if `weights_only=False`.", stacklevel=2)
    pickle_load_args.setdefault("encoding", "utf-8")
    is_path = isinstance(f, (str, bytes, os.PathLike))
    if is_path and os.fsdecode(f).endswith(".safetensors"):
        return _load_safetensors(os.fsdecode(f), map_location)
    restore = _restorer(map_location)
    fh, owned = _open_for_read(f)
    try:
        start = fh.tell()
        head = fh.read(8)
        fh.seek(start)
        if head[:4] == ZIP_MAGIC:
            if mmap and not is_path:
                raise ValueError("f must be a file path in order to use the mmap argument")
            return _load_zip(fh, restore, weights_only, bool(mmap), pickle_module, pickle_load_args)
        if head == MAGIC:
            if mmap and not is_path:
                raise ValueError("f must be a file path in order to use the mmap argument")
            return _load_ember(fh, bool(mmap), map_location)
        if mmap:
            name = f"{f}, " if isinstance(f, str) else ""
            raise RuntimeError("mmap can only be used with files saved with "
                               f"`torch.save({name}_use_new_zipfile_serialization=True), please torch.save your "
                               "checkpoint with this option in order to use mmap.")
        if head[:1] == b"\x80":
            return _load_legacy(fh, restore, weights_only, pickle_module, pickle_load_args)
        if not head:
            raise RuntimeError("ember.load: invalid file: the file is empty")
        raise RuntimeError(f"ember.load: invalid file: not a checkpoint (expected a zip archive as torch.save "
                           f"writes, ember's {MAGIC!r} or a legacy pickle; found {head!r})")
    finally:
        if owned:
            fh.close()


def _load_safetensors(path: str, map_location):
    if isinstance(map_location, dict):
        raise RuntimeError("Loading safetensors file with dict map_location is not supported. Use a device string "
                           "or torch.device instead.")
    if callable(map_location):
        raise RuntimeError("Loading safetensors file with callable map_location is not supported. Use a device "
                           "string or torch.device instead.")
    return _safetensors.load_file(path, device="cpu" if map_location is None else str(map_location))


def get_unsafe_globals_in_checkpoint(f: str | os.PathLike | IO[bytes]) -> list[str]:
    """The globals a checkpoint names that ``weights_only=True`` would refuse (nothing is unpickled)."""
    from ._serialization_pickle import _user_globals, torch_globals
    fh, owned = _open_for_read(f)
    try:
        zf = ZipReader(fh)
        names = globals_in_pickle(zf.read("data.pkl"))
    finally:
        if owned:
            fh.close()
    allowed = set(torch_globals()) | set(_user_globals())
    return [n for n in names if n not in allowed]


# ===== ember's pickle-free format =====

_DTYPES = {"float16": "<f2", "float32": "<f4", "float64": "<f8", "int8": "|i1", "int16": "<i2", "int32": "<i4",
           "int64": "<i8", "uint8": "|u1", "bool": "|b1", "complex64": "<c8", "complex128": "<c16"}
_NP_TO_NAME = {np.dtype(v).newbyteorder("="): k for k, v in _DTYPES.items()}


def _pad(n: int) -> int:
    return -n % _ALIGN


class _Encoder:
    """Walks the object to save, building the JSON node tree and the list of arrays to write."""

    def __init__(self) -> None:
        self.entries: list[dict] = []
        self.arrays: list[np.ndarray] = []
        self.seen: dict[int, int] = {}  # id(tensor) -> index, so one tensor saved twice is stored once
        self.keep: list[Tensor] = []    # the tensors whose ids are in `seen` (so no id is reused meanwhile)
        self.offset = 0

    def tensor(self, t: Tensor) -> dict:
        key = id(t)
        if key not in self.seen:
            arr = t._data
            name = _NP_TO_NAME.get(arr.dtype.newbyteorder("="))
            if name is None:
                raise TypeError(f"ember.save: cannot save a tensor of NumPy dtype {arr.dtype}")
            self.entries.append({"dtype": name, "shape": list(arr.shape), "offset": self.offset,
                                 "nbytes": arr.nbytes, "requires_grad": bool(t._requires_grad),
                                 "parameter": isinstance(t, Parameter)})
            self.arrays.append(arr)
            self.keep.append(t)
            self.offset += arr.nbytes + _pad(arr.nbytes)
            self.seen[key] = len(self.entries) - 1
        return {"tensor": self.seen[key]}

    def node(self, obj: Any, depth: int = 0) -> Any:
        if depth > _MAX_NESTING:
            raise ValueError(f"ember.save: object nested deeper than {_MAX_NESTING} levels")
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
        raise TypeError(f"ember.save: cannot save an object of type {type(obj).__name__} in the pickle-free format "
                        f"(supported: tensors, Parameters, dict, OrderedDict, list, tuple, int, float, bool, str, "
                        f"None); ember.save writes anything picklable")

    def write(self, root: Any, f: IO[bytes]) -> None:
        header = json.dumps({"format": "ember", "version": VERSION, "tensors": self.entries, "root": root},
                            separators=(",", ":"), allow_nan=False).encode("utf-8")
        header += b" " * _pad(16 + len(header))
        f.write(MAGIC)
        f.write(len(header).to_bytes(8, "little"))
        f.write(header)
        for arr in self.arrays:
            arr = np.asarray(arr, dtype=arr.dtype.newbyteorder("<"), order="C")  # a copy only if not already so
            flat = arr.reshape(-1).view(np.uint8) if arr.size else np.empty(0, np.uint8)
            for i in range(0, flat.nbytes, 1 << 24):
                f.write(flat[i:i + (1 << 24)])
            f.write(b"\0" * _pad(arr.nbytes))


_MAX_NESTING = 200  # deeper nesting than any state dict; bounds recursion on hostile headers


def _bad(msg: str) -> RuntimeError:
    return RuntimeError(f"ember.load: invalid file: {msg}")


def _is_int(x) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


def _check_entries(entries: Any, data_len: int) -> None:
    if not isinstance(entries, list):
        raise _bad("'tensors' is not a list")
    spans = []
    for i, e in enumerate(entries):
        if not isinstance(e, dict):
            raise _bad(f"tensor {i} is not an object")
        name, shape, off, nbytes = e.get("dtype"), e.get("shape"), e.get("offset"), e.get("nbytes")
        if not isinstance(name, str) or name not in _DTYPES:
            raise _bad(f"tensor {i} has unknown dtype {str(name)[:40]!r}")
        if not sane_shape(shape):
            raise _bad(f"tensor {i} has an invalid shape {str(shape)[:80]}")
        if not (_is_int(off) and _is_int(nbytes) and off >= 0 and nbytes >= 0):
            raise _bad(f"tensor {i} has an invalid offset/nbytes ({str(off)[:40]}, {str(nbytes)[:40]})")
        expected = math.prod(shape) * np.dtype(_DTYPES[name]).itemsize
        if nbytes != expected:
            raise _bad(f"tensor {i} of dtype {name} and shape {shape} needs {expected} bytes, header says {nbytes}")
        if off + nbytes > data_len:
            raise _bad(f"tensor {i} spans bytes {off}..{off + nbytes} but the data region has only {data_len} "
                       f"bytes (truncated file?)")
        if not isinstance(e.get("requires_grad", False), bool) or not isinstance(e.get("parameter", False), bool):
            raise _bad(f"tensor {i} has non-boolean flags")
        if nbytes:
            spans.append((off, off + nbytes, i))
    spans.sort()
    for (_, end, i), (begin, _, j) in zip(spans, spans[1:]):
        if begin < end:  # aliasing entries would load as tensors that change each other
            raise _bad(f"tensors {i} and {j} overlap in the data region")


class _Decoder:
    def __init__(self, entries: list[dict], fetch: Callable[[int, np.dtype, int], np.ndarray]) -> None:
        self.entries, self.fetch = entries, fetch
        self.built: dict[int, Tensor] = {}

    def tensor(self, i: Any) -> Tensor:
        if not _is_int(i) or not 0 <= i < len(self.entries):
            raise _bad(f"reference to tensor {str(i)[:40]}, but the file has {len(self.entries)} tensors")
        if i not in self.built:
            e = self.entries[i]
            dt = np.dtype(_DTYPES[e["dtype"]])
            arr = self.fetch(e["offset"], dt, e["nbytes"] // dt.itemsize).reshape(e["shape"])
            if not dt.isnative:
                arr = arr.byteswap().view(dt.newbyteorder("="))
            if e["dtype"] == "bool" and arr.size and arr.view(np.uint8).max() > 1:
                raise _bad(f"tensor {i} of dtype bool holds bytes other than 0 and 1")
            t = _wrap(arr)
            if e.get("parameter", False):
                t = Parameter(t, requires_grad=e.get("requires_grad", True))
            elif e.get("requires_grad", False):
                if arr.dtype.kind not in "fc":
                    raise _bad(f"tensor {i} of dtype {e['dtype']} cannot require grad")
                t.requires_grad_(True)
            self.built[i] = t
        return self.built[i]

    def node(self, n: Any, depth: int = 0) -> Any:
        if depth > _MAX_NESTING:
            raise _bad(f"structure nested deeper than {_MAX_NESTING} levels")
        if n is None or isinstance(n, (bool, int, str)):
            return n
        if not isinstance(n, dict) or len(n) != 1:
            raise _bad(f"unexpected node {str(n)[:80]!r}")
        (tag, v), = n.items()
        if tag == "float" and isinstance(v, str):
            try:
                return float.fromhex(v)
            except (ValueError, OverflowError):
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
        raise _bad(f"unknown or malformed node tag {str(tag)[:40]!r}")


def _readinto(fh, out: memoryview) -> int:
    done = 0
    while done < out.nbytes:
        n = fh.readinto(out[done:done + (1 << 22)])
        if not n:
            break
        done += n
    return done


def _load_ember(fh, mmap_mode: bool, map_location) -> Any:
    start = fh.tell()
    fh.seek(0, 2)
    size = fh.tell() - start
    fh.seek(start)
    prefix = fh.read(16)
    if len(prefix) < 16:
        raise _bad(f"only {len(prefix)} bytes long (truncated file?)")
    n = int.from_bytes(prefix[8:16], "little")
    if n > size - 16:
        raise _bad(f"header length {n} exceeds the {size - 16} bytes after the prefix (truncated file?)")
    try:
        header = json.loads(fh.read(n).decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as e:
        raise _bad(f"header is not valid JSON ({type(e).__name__})") from None
    if not isinstance(header, dict) or header.get("format") != "ember" or "root" not in header:
        raise _bad("header is not an ember header")
    if header.get("version") != VERSION:
        raise _bad(f"unsupported format version {str(header.get('version'))[:20]} (this ember reads version "
                   f"{VERSION})")
    data_start = start + 16 + n
    entries = header.get("tensors", [])
    _check_entries(entries, size - 16 - n)
    mapped = _mmap.mmap(fh.fileno(), 0, access=_mmap.ACCESS_COPY) if mmap_mode and size else None

    def fetch(offset: int, dt: np.dtype, count: int) -> np.ndarray:
        if count == 0:
            return np.empty(0, dt)
        if mapped is not None:
            return np.ndarray((count,), dt, buffer=mapped, offset=data_start + offset)
        arr = np.empty(count, dt)
        fh.seek(data_start + offset)
        if _readinto(fh, memoryview(arr).cast("B")) != arr.nbytes:
            raise _bad("truncated data region")
        return arr
    _restorer(map_location)  # the same checks of map_location as for PyTorch's format
    try:
        return _Decoder(entries, fetch).node(header["root"])
    except RecursionError:
        raise _bad("structure nested too deeply") from None


assert MAX_DEPTH >= _MAX_NESTING
