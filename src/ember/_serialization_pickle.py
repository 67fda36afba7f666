"""The pickle inside a PyTorch checkpoint: ember's objects written under PyTorch's names, and read back two ways.

Writing (``Pickler``): tensors become ``torch._utils._rebuild_tensor_v2(storage, offset, size, stride,
requires_grad, OrderedDict())`` whose ``storage`` is a persistent id ``("storage", torch.FloatStorage, key,
"cpu", numel)``; a Parameter wraps that in ``torch._utils._rebuild_parameter``; dtypes, ``Size`` and ``device``
become ``torch.float32``, ``torch.Size``, ``torch.device``. Everything else is pickled by Python's rules under its
own name (so ``ember.nn.Linear`` stays ``ember.nn.modules.linear.Linear``). A tensor's storage is the NumPy
buffer its array views (the chain of ``.base`` up to the array that owns the memory): views that share memory in
ember share one storage in the file, and load as views of one storage again, as in PyTorch.

Reading with ``weights_only=True`` (``WeightsUnpickler``): a small interpreter of pickle's opcodes that never
imports anything and never calls anything but the allowlisted constructors (tensor rebuilders, containers,
``Size``, ``device``, dtypes, the globals of ``add_safe_globals``), each with its arguments checked; it refuses the
rest with PyTorch's messages. Tuples nest at most ``MAX_DEPTH`` deep (hashing a deeper key would overflow the C
stack), strings are checked against the bytes left, and every malformed stream raises ``UnpicklingError``.

Reading with ``weights_only=False`` (``FullUnpickler``): objects of any class already imported, with PyTorch's
names mapped to ember's: ``torch.<path>.<Name>`` is looked up as ``ember.<path>.<Name>``, then in the enclosing
ember packages (``torch.nn.modules.batchnorm.BatchNorm2d`` -> ``ember.nn.modules.BatchNorm2d``); torch itself is
never imported. Unlike Python's unpickler it still runs no code of the file: it imports nothing and calls only
value constructors (its docstring says which).
"""

from __future__ import annotations

import _compat_pickle
import argparse
import codecs
import copyreg
import datetime
import decimal
import fractions
import importlib
import math
import pathlib
import pickle
import pickletools
import struct
import sys
import uuid
import warnings
from collections import Counter, OrderedDict, defaultdict, deque
from typing import Any

import numpy as np

import ember

from ._core import dtype as _dtype
from ._core.tensor import Size, Tensor, _new, device
from .nn.parameter import Parameter

__all__ = ["UnpicklingError", "Pickler", "WeightsUnpickler", "FullUnpickler", "LoadedStorage", "StorageType",
           "add_safe_globals", "get_safe_globals", "clear_safe_globals", "safe_globals", "globals_in_pickle",
           "lookup_torch_name", "NOT_TORCH"]

MAX_DEPTH = 1000


class UnpicklingError(pickle.UnpicklingError, RuntimeError):
    """A refused or malformed pickle: ``pickle.UnpicklingError`` as in PyTorch, and a ``RuntimeError`` as every
    other invalid-file error of ember."""


UnpicklingError.__module__ = "ember.serialization"  # where it is public


# ----- the byte formats of storages -----

# dtype name -> (little-endian NumPy format of the bytes in the file, the ember dtype name it loads as, or None
# when ember cannot hold it). bfloat16 widens to float32 (ember keeps bfloat16 as float32); unsigned 16/32-bit
# integers widen to the next signed type, as ember's safetensors reader does.
FILE_FORMATS = {"float32": ("<f4", "float32"), "float64": ("<f8", "float64"), "float16": ("<f2", "float16"),
                "bfloat16": ("<u2", "float32"), "int64": ("<i8", "int64"), "int32": ("<i4", "int32"),
                "int16": ("<i2", "int16"), "int8": ("|i1", "int8"), "uint8": ("|u1", "uint8"),
                "bool": ("|b1", "bool"), "complex64": ("<c8", "complex64"), "complex128": ("<c16", "complex128"),
                "uint16": ("<u2", "int32"), "uint32": ("<u4", "int64")}
_FOREIGN_DTYPES = ("uint16", "uint32", "uint64", "complex32", "float8_e4m3fn", "float8_e5m2", "float8_e4m3fnuz", "float8_e5m2fnuz",
                   "float8_e8m0fnu", "float4_e2m1fn_x2", "qint8", "quint8", "qint32", "quint4x2", "quint2x4",
                   "bits1x8", "bits2x4", "bits4x2", "bits8", "bits16", *(f"int{i}" for i in range(1, 8)),
                   *(f"uint{i}" for i in range(1, 8)))
STORAGE_DTYPES = {"FloatStorage": "float32", "DoubleStorage": "float64", "HalfStorage": "float16",
                  "BFloat16Storage": "bfloat16", "LongStorage": "int64", "IntStorage": "int32",
                  "ShortStorage": "int16", "CharStorage": "int8", "ByteStorage": "uint8", "BoolStorage": "bool",
                  "ComplexFloatStorage": "complex64", "ComplexDoubleStorage": "complex128",
                  "UntypedStorage": "uint8"}
# NumPy dtype of an ember array -> the storage class PyTorch names for it
_SAVE_STORAGE = {np.dtype(np.float32): "FloatStorage", np.dtype(np.float64): "DoubleStorage",
                 np.dtype(np.float16): "HalfStorage", np.dtype(np.int64): "LongStorage",
                 np.dtype(np.int32): "IntStorage", np.dtype(np.int16): "ShortStorage",
                 np.dtype(np.int8): "CharStorage", np.dtype(np.uint8): "ByteStorage",
                 np.dtype(np.bool_): "BoolStorage", np.dtype(np.complex64): "ComplexFloatStorage",
                 np.dtype(np.complex128): "ComplexDoubleStorage"}


class ForeignDtype:
    """A PyTorch dtype ember has no tensors of (``torch.uint64``, ``torch.float8_e4m3fn`` ...), as a value."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return "torch." + self.name


class StorageType:
    """``torch.FloatStorage`` and friends as they appear in a file: a name and the dtype of its elements."""

    __slots__ = ("name", "dtype")

    def __init__(self, name: str) -> None:
        self.name, self.dtype = name, STORAGE_DTYPES[name]

    def __repr__(self) -> str:
        return f"<class 'torch.{self.name}'>"


class LoadedStorage:
    """A storage read from a file: its bytes (a writable uint8 array), the dtype the file gave it, its device."""

    __slots__ = ("array", "dtype", "location")

    def __init__(self, array: np.ndarray, dtype: str, location: str) -> None:
        self.array, self.dtype, self.location = array, dtype, location

    @property
    def device(self):
        return device("cpu")

    def nbytes(self) -> int:
        return self.array.nbytes

    def size(self) -> int:
        return self.array.nbytes // np.dtype(FILE_FORMATS[self.dtype][0]).itemsize

    def cpu(self) -> LoadedStorage:
        return self

    def cuda(self, *args, **kwargs):
        raise RuntimeError("ember runs on the CPU only: device 'cuda' is not available (torch.cuda.is_available() "
                           "is False)")

    def __repr__(self) -> str:
        return f"<storage of {self.size()} {self.dtype} elements on {self.location}>"


# ----- rebuilding tensors (ember's versions of torch._utils._rebuild_*) -----

def _is_int(x) -> bool:
    return type(x) is int


def _array_from_storage(storage, offset, size, stride, dtype_name: str) -> np.ndarray:
    if not isinstance(storage, LoadedStorage):
        raise RuntimeError(f"ember.load: a tensor's storage is a {type(storage).__name__}, not a storage")
    if isinstance(size, (tuple, list)):
        size = tuple(size)
    if isinstance(stride, (tuple, list)):
        stride = tuple(stride)
    if not (_is_int(offset) and 0 <= offset < 1 << 62 and isinstance(size, tuple) and isinstance(stride, tuple)
            and len(size) == len(stride) <= 64 and all(_is_int(s) and 0 <= s < 1 << 62 for s in size)
            and all(_is_int(s) and 0 <= s < 1 << 62 for s in stride)):
        raise RuntimeError(f"ember.load: invalid tensor geometry (storage offset {offset!r}, sizes {size!r}, "
                           f"strides {stride!r})")
    if dtype_name not in FILE_FORMATS:
        raise RuntimeError(f"ember.load: tensors of dtype torch.{dtype_name} cannot be loaded: ember has no such "
                           f"dtype")
    fmt, target = FILE_FORMATS[dtype_name]
    fmt = np.dtype(fmt).newbyteorder("=")  # the loader brought the storage's bytes into this machine's order
    item = fmt.itemsize
    capacity = storage.array.nbytes // item
    numel = 1
    for s in size:
        numel *= s
    if math.prod(s for s in size if s) >= 1 << 62:
        raise RuntimeError(f"ember.load: a tensor of sizes {list(size)[:8]} has too many elements")
    if numel:
        need = offset + 1 + sum((n - 1) * s for n, s in zip(size, stride))
        if need > capacity:
            # PyTorch's words (set_ tries to grow the file's storage, which cannot grow)
            raise RuntimeError("Trying to resize storage that is not resizable")
        arr = np.ndarray(size, dtype=fmt, buffer=storage.array, offset=offset * item,
                         strides=tuple(s * item for s in stride))
    else:
        arr = np.empty(size, dtype=fmt)
    if dtype_name == "bfloat16":
        return (arr.astype(np.uint32) << 16).view(np.float32)
    if target != dtype_name:
        return arr.astype(target)
    return arr


def _tensor(arr: np.ndarray, requires_grad) -> Tensor:
    if type(requires_grad) is not bool:
        raise RuntimeError(f"ember.load: requires_grad is a {type(requires_grad).__name__}, not a bool")
    t = _new(Tensor)
    t._data = arr
    if requires_grad:
        t.requires_grad = True  # PyTorch's error for integer tensors
    return t


def _apply_metadata(t: Tensor, metadata) -> Tensor:
    if not metadata:
        return t
    if not isinstance(metadata, dict):
        raise RuntimeError("ember.load: tensor metadata is not a dict")
    if metadata.get("conj"):
        t._data = np.conj(t._data)
    if metadata.get("neg"):
        t._data = np.negative(t._data)
    return t


def rebuild_tensor(storage, storage_offset, size, stride):
    dtype = storage.dtype if isinstance(storage, LoadedStorage) else None
    return _tensor(_array_from_storage(storage, storage_offset, size, stride, dtype), False)


def rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks, metadata=None):
    dtype = storage.dtype if isinstance(storage, LoadedStorage) else None
    t = _tensor(_array_from_storage(storage, storage_offset, size, stride, dtype), requires_grad)
    return _apply_metadata(t, metadata)


def rebuild_tensor_v3(storage, storage_offset, size, stride, requires_grad, backward_hooks, dtype, metadata=None):
    if not isinstance(dtype, (_dtype.dtype, ForeignDtype)):
        raise RuntimeError(f"ember.load: {dtype!r} is not a dtype")
    t = _tensor(_array_from_storage(storage, storage_offset, size, stride, dtype.name), requires_grad)
    return _apply_metadata(t, metadata)


def _parameter(data, requires_grad):
    if not isinstance(data, Tensor) or type(requires_grad) is not bool:
        raise RuntimeError("ember.load: a Parameter must be rebuilt from a tensor and a bool")
    return Parameter(data, requires_grad)


def rebuild_parameter(data, requires_grad, backward_hooks):
    return _parameter(data, requires_grad)


def rebuild_parameter_with_state(data, requires_grad, backward_hooks, state):
    return _set_state(_parameter(data, requires_grad), state)


_RESERVED = frozenset(("_data", "grad_fn", "__class__", "__dict__"))


def _set_state(obj, state):
    # Python attributes a tensor carried (t.foo = 3): never ember's own fields or anything the class defines
    if isinstance(state, tuple) and len(state) == 2:
        state, slots = state
        state = {**(state or {}), **(slots or {})}
    if not state:
        return obj
    if not isinstance(state, dict):
        raise RuntimeError("ember.load: a tensor's state is not a dict")
    for k, v in state.items():
        if not isinstance(k, str) or k in _RESERVED or hasattr(Tensor, k):
            raise RuntimeError(f"ember.load: refusing to set attribute {k!r} on a loaded tensor")
        obj.__dict__[k] = v
    return obj


def rebuild_from_type_v2(func, new_type, args, state):
    if func not in _REBUILDERS or not isinstance(args, tuple):
        raise RuntimeError(f"ember.load: cannot rebuild a tensor with {func!r}")
    t = func(*args)
    if not (isinstance(new_type, type) and issubclass(new_type, Tensor)):
        raise RuntimeError(f"ember.load: {new_type!r} is not a tensor class")
    if type(t) is not new_type:
        sub = _new(new_type)
        sub.__dict__.update(t.__dict__)
        t = sub
    return _set_state(t, state)


def rebuild_device_tensor_from_cpu_tensor(data, dtype, device, requires_grad):
    if not isinstance(data, Tensor):
        raise RuntimeError("ember.load: expected a tensor")
    return _tensor(data._data, requires_grad)


def rebuild_device_tensor_from_numpy(data, dtype, device, requires_grad):
    if not isinstance(data, np.ndarray) or data.dtype.kind not in "biufc":
        raise RuntimeError("ember.load: expected a numeric NumPy array")
    return _tensor(np.array(data), requires_grad)


def _not_offered(what):
    def rebuild(*args, **kwargs):
        raise RuntimeError(f"ember.load: the file holds {what}, which ember does not offer")
    rebuild.__name__ = rebuild.__qualname__ = "rebuild_" + what.replace(" ", "_")
    return rebuild


_REBUILDERS = {rebuild_tensor, rebuild_tensor_v2, rebuild_tensor_v3}


def _get_layout(name):
    if name in ("torch.strided", "torch.sparse_coo", "torch.sparse_csr", "torch.sparse_csc", "torch.sparse_bsr",
                "torch.sparse_bsc", "torch._mkldnn", "torch.jagged"):
        return name  # ember's layouts are these strings (ember.strided == "torch.strided")
    raise UnpicklingError(f"Unknown layout {name!r}")


# ----- checked constructors for the weights-only interpreter -----

def _checked_bytearray(*args):
    if args and not (len(args) == 1 and isinstance(args[0], (bytes, bytearray))):
        raise UnpicklingError("bytearray can only be rebuilt from bytes")
    return bytearray(*args)


def _checked_encode(obj, encoding="utf-8", errors="strict"):
    if not isinstance(obj, str) or encoding not in ("latin1", "latin-1", "utf-8", "utf8", "ascii"):
        raise UnpicklingError("_codecs.encode is only allowed on a str with a text encoding")
    return codecs.encode(obj, encoding, errors)


def _checked_size(*args):
    if len(args) > 1 or (args and not (isinstance(args[0], (tuple, list))
                                       and all(_is_int(d) for d in args[0]))):
        raise UnpicklingError("torch.Size can only be rebuilt from a tuple of ints")
    return Size(*args)


def _checked_device(*args):
    if not (1 <= len(args) <= 2 and isinstance(args[0], str) and (len(args) == 1 or args[1] is None
                                                                   or _is_int(args[1]))):
        raise UnpicklingError("torch.device can only be rebuilt from a type string and an index")
    return device(*args)


def _checked_set(*args):
    if len(args) > 1 or (args and not isinstance(args[0], (list, tuple, set))):
        raise UnpicklingError("set can only be rebuilt from a list")
    return set(*args)


def _checked_complex(*args):
    if not all(type(a) in (int, float, str) for a in args):
        raise UnpicklingError("complex can only be rebuilt from numbers")
    return complex(*args)


def _checked_mapping(cls):
    def make(*args):
        if len(args) > 1 or (args and not isinstance(args[0], (list, dict, OrderedDict, Counter, tuple))):
            raise UnpicklingError(f"{cls.__name__} can only be rebuilt from a list of pairs or a dict")
        return cls(*args)
    return make


# ----- PyTorch's names -> ember's objects -----

_GLOBALS: dict[str, Any] | None = None
# what REDUCE may call, by the object the GLOBAL pushed: each with its arguments checked
_CALLS: dict[int, Any] = {}


def torch_globals() -> dict[str, Any]:
    """Every global a PyTorch checkpoint names that ember answers without user consent, by its full path."""
    global _GLOBALS
    if _GLOBALS is not None:
        return _GLOBALS

    g: dict[str, Any] = {
        "collections.OrderedDict": OrderedDict, "collections.Counter": Counter,
        "torch.nn.parameter.Parameter": Parameter, "torch.serialization._get_layout": _get_layout,
        "torch.Size": Size, "torch.Tensor": Tensor, "torch.device": device,
        "_codecs.encode": codecs.encode, "builtins.bytearray": bytearray, "builtins.set": set,
        "builtins.complex": complex,
        "torch._utils._rebuild_tensor": rebuild_tensor, "torch._utils._rebuild_tensor_v2": rebuild_tensor_v2,
        "torch._utils._rebuild_tensor_v3": rebuild_tensor_v3,
        "torch._utils._rebuild_parameter": rebuild_parameter,
        "torch._utils._rebuild_parameter_with_state": rebuild_parameter_with_state,
        "torch._tensor._rebuild_from_type_v2": rebuild_from_type_v2,
        "torch._utils._rebuild_device_tensor_from_cpu_tensor": rebuild_device_tensor_from_cpu_tensor,
        "torch._utils._rebuild_device_tensor_from_numpy": rebuild_device_tensor_from_numpy,
    }
    for what, name in (("sparse tensors", "_rebuild_sparse_tensor"), ("quantized tensors", "_rebuild_qtensor"),
                       ("meta tensors", "_rebuild_meta_tensor_no_storage"),
                       ("nested tensors", "_rebuild_nested_tensor"),
                       ("tensor subclasses", "_rebuild_wrapper_subclass")):
        g[f"torch._utils.{name}"] = _not_offered(what)
    for d in _dtype.ALL:
        g[f"torch.{d.name}"] = d
    for name in _FOREIGN_DTYPES:
        g[f"torch.{name}"] = ForeignDtype(name)
    for name in STORAGE_DTYPES:
        st = StorageType(name)
        g["torch.storage." + name if name == "UntypedStorage" else "torch." + name] = st
        g["torch.cuda." + name] = st
    g["torch.UntypedStorage"] = g["torch.storage.UntypedStorage"]
    for name in ("FloatTensor", "DoubleTensor", "HalfTensor", "BFloat16Tensor", "LongTensor", "IntTensor",
                 "ShortTensor", "CharTensor", "ByteTensor", "BoolTensor"):
        if hasattr(ember, name):
            g[f"torch.{name}"] = getattr(ember, name)
    _CALLS.update({id(OrderedDict): _checked_mapping(OrderedDict), id(Counter): _checked_mapping(Counter),
                   id(Size): _checked_size, id(device): _checked_device, id(codecs.encode): _checked_encode,
                   id(bytearray): _checked_bytearray, id(set): _checked_set, id(complex): _checked_complex})
    for obj in g.values():
        if callable(obj) and id(obj) not in _CALLS and not isinstance(obj, type):
            _CALLS[id(obj)] = obj
    _GLOBALS = g
    return g


def ember_object(module: str, name: str):
    """The ember object for a PyTorch path (``torch.nn.modules.linear``, ``Linear``), or None."""
    if module == "torch.tensor":
        module = "torch._tensor"
    if not (module == "torch" or module.startswith("torch.")):
        return None
    parts = module.split(".")[1:]
    if not all(p.isidentifier() for p in parts) or not all(p.isidentifier() for p in name.split(".")):
        return None
    for cut in range(len(parts), -1, -1):  # ember.nn.modules.batchnorm -> ember.nn.modules -> ember.nn -> ember
        try:
            mod = importlib.import_module(".".join(["ember", *parts[:cut]]))
        except ImportError:
            continue
        obj = mod
        for attr in name.split("."):
            obj = getattr(obj, attr, None)
            if obj is None:
                break
        if obj is not None and not isinstance(obj, type(importlib)):
            return obj
    return None


def _compat(module: str, name: str) -> tuple[str, str]:
    if (module, name) in _compat_pickle.NAME_MAPPING:
        return _compat_pickle.NAME_MAPPING[(module, name)]
    return _compat_pickle.IMPORT_MAPPING.get(module, module), name


# ----- add_safe_globals -----

_safe: set = set()


def add_safe_globals(safe_globals: list) -> None:
    """Allow these globals (or ``(global, "full.path")`` pairs) in ``weights_only=True`` loads."""
    global _safe
    _safe = _safe.union(set(safe_globals))


def get_safe_globals() -> list:
    return list(_safe)


def clear_safe_globals() -> None:
    global _safe
    _safe = set()


def _remove_safe_globals(globals_to_remove: list) -> None:
    global _safe
    _safe = _safe - set(globals_to_remove)


class safe_globals:
    """Context manager: the given globals are allowed in ``weights_only=True`` loads inside the block."""

    def __init__(self, safe_globals: list) -> None:
        self.safe_globals = safe_globals

    def __enter__(self):
        add_safe_globals(self.safe_globals)

    def __exit__(self, *exc):
        _remove_safe_globals(self.safe_globals)


def _user_globals() -> dict[str, Any]:
    rc: dict[str, Any] = {}
    for f in _safe:
        if isinstance(f, tuple):
            if len(f) != 2:
                raise ValueError(f"Expected tuple of length 2 (global, str of callable full path), but got tuple "
                                 f"of length: {len(f)}")
            if type(f[1]) is not str:
                raise TypeError(f"Expected second item in tuple to be str of callable full path, but got: "
                                f"{type(f[1])}")
            rc[f[1]] = f[0]
        else:
            rc[f"{f.__module__}.{f.__qualname__}"] = f
    return rc


# ----- the weights-only interpreter -----

_BLOCKED = ("sys", "os", "posix", "nt")


def _unsupported_global(full_path: str) -> UnpicklingError:
    if full_path.startswith("builtins"):
        rest = full_path[len("builtins"):]
        full_path = rest[1:] if rest.startswith(".") else "builtins" + rest
    return UnpicklingError(
        f"Unsupported global: GLOBAL {full_path} was not an allowed global by default. Please use "
        f"`torch.serialization.add_safe_globals([{full_path}])` or the "
        f"`torch.serialization.safe_globals([{full_path}])` context manager to allowlist this global if you "
        f"trust this class/function.")


class _Reader:
    """``read(n)`` / ``readline()`` over bytes, refusing to read past the end (a truncated stream)."""

    __slots__ = ("data", "pos")

    def __init__(self, data: bytes) -> None:
        self.data, self.pos = data, 0

    def read(self, n: int) -> bytes:
        end = self.pos + n
        if end > len(self.data):
            raise UnpicklingError("pickle data was truncated")
        b = self.data[self.pos:end]
        self.pos = end
        return b

    def readline(self) -> bytes:
        end = self.data.find(b"\n", self.pos)
        if end < 0:
            raise UnpicklingError("pickle data was truncated")
        b = self.data[self.pos:end + 1]
        self.pos = end + 1
        return b


class WeightsUnpickler:
    """Loads one pickle from ``data`` (bytes), allowing only what ``weights_only=True`` allows.

    ``persistent_load(pid)`` turns a ``("storage", ...)`` id into a storage. ``reader`` may be given instead of
    bytes to continue in a stream of several pickles (PyTorch's legacy format).
    """

    def __init__(self, data: bytes | _Reader, persistent_load=None, encoding: str = "utf-8") -> None:
        self.reader = data if isinstance(data, _Reader) else _Reader(data)
        self.persistent_load = persistent_load
        self.encoding = encoding

    def load(self):
        user = _user_globals()  # a malformed allowlist is the caller's error (ValueError, TypeError), as in PyTorch
        try:
            return self._load(user)
        except (UnpicklingError, KeyboardInterrupt):
            raise
        except RecursionError:
            raise UnpicklingError("pickle data nested too deeply") from None
        except RuntimeError:
            raise  # ember's own checks (a tensor out of its storage's bounds ...): PyTorch raises these as is
        except Exception as e:  # a malformed stream: stack underflow, a missing memo entry, an unhashable key ...
            raise UnpicklingError(f"malformed pickle data ({type(e).__name__}: {str(e)[:200]})") from None

    def _global(self, module: str, name: str, user: dict[str, Any]):
        module, name = _compat(module, name)
        full_path = f"{module}.{name}"
        if module in _BLOCKED:
            raise UnpicklingError(f"Trying to load unsupported GLOBAL {full_path} whose module {module} is blocked.")
        allowed = torch_globals()
        if full_path in allowed:
            return allowed[full_path]
        if full_path in user:
            return user[full_path]
        if user:
            # the file says torch.nn.modules.linear.Linear, the user allowed ember's Linear (import ember as torch)
            obj = ember_object(module, name)
            if obj is not None and any(obj is u for u in user.values()):
                return obj
        if full_path.startswith(("torch.nested._internal.nested_tensor.", "torch._dynamo.decorators._DimRange")):
            raise UnpicklingError("``torch.nested`` and ``torch._dynamo`` must be imported to load nested jagged "
                                  "tensors (NJTs)")
        if full_path.startswith("torch.distributed."):
            raise UnpicklingError("``torch.distributed.tensor`` must be imported to load DTensors")
        raise _unsupported_global(full_path)

    def _load(self, user: dict[str, Any]):
        reader = self.reader
        data, pos, end = reader.data, reader.pos, len(reader.data)

        def read(n: int) -> bytes:
            nonlocal pos
            if pos + n > end:
                raise UnpicklingError("pickle data was truncated")
            pos += n
            return data[pos - n:pos]

        def readline() -> bytes:
            nonlocal pos
            stop = data.find(b"\n", pos)
            if stop < 0:
                raise UnpicklingError("pickle data was truncated")
            line, pos = data[pos:stop + 1], stop + 1
            return line

        user_ids = {id(u) for u in user.values()}

        def user_allowed(obj) -> bool:
            return id(obj) in user_ids

        memo: dict[int, Any] = {}
        depth: dict[int, tuple[Any, int]] = {}  # id(tuple) -> (tuple, nesting depth); keeps the tuple alive
        metastack: list[list] = []
        stack: list = []
        encoding = self.encoding

        def tuple_of(items) -> tuple:
            t = tuple(items)
            d = 1
            for x in t:
                if type(x) is tuple:
                    e = depth.get(id(x))
                    if e is not None and e[1] >= d:
                        d = e[1] + 1
            if d > MAX_DEPTH:
                raise UnpicklingError(f"pickle data nests tuples more than {MAX_DEPTH} deep")
            if t:
                depth[id(t)] = (t, d)
            return t

        def pop_mark() -> list:
            nonlocal stack
            items = stack
            stack = metastack.pop()
            return items

        def set_item_target(opcode: str):
            target = stack[-1]
            if type(target) not in (dict, OrderedDict, Counter):
                raise UnpicklingError(f"Can only {opcode} for dict, collections.OrderedDict, collections.Counter, "
                                      f"but got {type(target)}")
            return target

        while True:
            if pos + 1 >= end:  # every opcode but STOP has at least one byte after it
                if pos >= end or data[pos] != 0x2E:
                    raise UnpicklingError("pickle data was truncated")
            key = data[pos]
            pos += 1
            # the most frequent opcodes of a state dict first
            if key == 0x71:  # BINPUT
                memo[data[pos]] = stack[-1]
                pos += 1
            elif key == 0x68:  # BINGET
                stack.append(memo[data[pos]])
                pos += 1
            elif key == 0x4B:  # BININT1
                stack.append(data[pos])
                pos += 1
            elif key == 0x28:  # MARK
                if len(metastack) >= MAX_DEPTH:
                    raise UnpicklingError(f"pickle data nests marks more than {MAX_DEPTH} deep")
                metastack.append(stack)
                stack = []
            elif key == 0x63:  # GLOBAL
                module = readline()[:-1].decode("utf-8")
                name = readline()[:-1].decode("utf-8")
                stack.append(self._global(module, name, user))
            elif key == 0x93:  # STACK_GLOBAL (protocol 4)
                name, module = stack.pop(), stack.pop()
                if type(name) is not str or type(module) is not str:
                    raise UnpicklingError("STACK_GLOBAL requires str")
                stack.append(self._global(module, name, user))
            elif key == 0x81:  # NEWOBJ
                args = stack.pop()
                cls = stack.pop()
                if cls is Parameter:
                    if not isinstance(args, tuple):
                        raise UnpicklingError("NEWOBJ expects a tuple of arguments")
                    stack.append(_parameter(*args))
                elif cls is Tensor and type(args) is tuple and not args:
                    stack.append(_tensor(np.empty(0, np.float32), False))
                elif user_allowed(cls) and isinstance(cls, type) and isinstance(args, tuple):
                    stack.append(cls.__new__(cls, *args))
                else:
                    raise UnpicklingError(f"Can only create new object for nn.Parameter or classes allowlisted via "
                                          f"`add_safe_globals` but got {cls}")
            elif key == 0x52:  # REDUCE
                args = stack.pop()
                func = stack[-1]
                call = _CALLS.get(id(func))
                if call is None and user_allowed(func):
                    call = func
                if call is None:
                    msg = f"Trying to call reduce for unrecognized function {func}"
                    if hasattr(func, "__self__"):
                        msg += f" which belongs to {func.__self__}"
                    raise UnpicklingError(msg)
                if not isinstance(args, tuple):
                    raise UnpicklingError("REDUCE expects a tuple of arguments")
                stack[-1] = call(*args)
            elif key == 0x62:  # BUILD
                state = stack.pop()
                inst = stack[-1]
                if type(inst) is Tensor or type(inst) is Parameter:
                    if isinstance(state, tuple) and len(state) == 4 and isinstance(state[0], LoadedStorage):
                        inst._data = _array_from_storage(state[0], state[1], state[2], state[3], state[0].dtype)
                    else:
                        _set_state(inst, state)
                elif type(inst) is OrderedDict:
                    if not isinstance(state, dict) or not all(isinstance(k, str) and not k.startswith("__")
                                                              for k in state):
                        raise UnpicklingError("an OrderedDict's state must be a dict of attribute names")
                    inst.__dict__.update(state)
                elif user_allowed(type(inst)):
                    if hasattr(inst, "__setstate__"):
                        inst.__setstate__(state)
                    else:
                        slotstate = None
                        if isinstance(state, tuple) and len(state) == 2:
                            state, slotstate = state
                        if state:
                            inst.__dict__.update(state)
                        if slotstate:
                            for k, v in slotstate.items():
                                setattr(inst, k, v)
                else:
                    raise UnpicklingError(f"Can only build Tensor, Parameter, OrderedDict or types allowlisted via "
                                          f"`add_safe_globals`, but got {type(inst)}")
            elif key == 0x61:  # APPEND
                item = stack.pop()
                target = stack[-1]
                if type(target) is not list:
                    raise UnpicklingError(f"Can only append to lists, but got {type(target)}")
                target.append(item)
            elif key == 0x65:  # APPENDS
                items = pop_mark()
                target = stack[-1]
                if type(target) is not list:
                    raise UnpicklingError(f"Can only extend lists, but got {type(target)}")
                target.extend(items)
            elif key == 0x73:  # SETITEM
                v, k = stack.pop(), stack.pop()
                set_item_target("SETITEM")[k] = v
            elif key == 0x75:  # SETITEMS
                items = pop_mark()
                target = set_item_target("SETITEMS")
                if len(items) % 2:
                    raise UnpicklingError("SETITEMS needs key-value pairs")
                for i in range(0, len(items), 2):
                    target[items[i]] = items[i + 1]
            elif key == 0x90:  # ADDITEMS (protocol 4)
                items = pop_mark()
                target = stack[-1]
                if type(target) is not set:
                    raise UnpicklingError(f"Can only add items to sets, but got {type(target)}")
                target.update(items)
            elif key == 0x74:  # TUPLE
                items = pop_mark()  # (not stack.append(...pop_mark()): that would append to the popped list)
                stack.append(tuple_of(items))
            elif key == 0x85:  # TUPLE1
                stack[-1] = tuple_of((stack[-1],))
            elif key == 0x86 or key == 0x87:  # TUPLE2, TUPLE3
                n = key - 0x84
                if len(stack) < n:
                    raise UnpicklingError("stack underflow")
                stack[-n:] = [tuple_of(stack[-n:])]
            elif key == 0x4E:  # NONE
                stack.append(None)
            elif key == 0x89:  # NEWFALSE
                stack.append(False)
            elif key == 0x88:  # NEWTRUE
                stack.append(True)
            elif key == 0x29:  # EMPTY_TUPLE
                stack.append(())
            elif key == 0x5D:  # EMPTY_LIST
                stack.append([])
            elif key == 0x7D:  # EMPTY_DICT
                stack.append({})
            elif key == 0x8F:  # EMPTY_SET
                stack.append(set())
            elif key == 0x4A:  # BININT
                stack.append(struct.unpack("<i", read(4))[0])
            elif key == 0x4D:  # BININT2
                stack.append(struct.unpack("<H", read(2))[0])
            elif key == 0x47:  # BINFLOAT
                stack.append(struct.unpack(">d", read(8))[0])
            elif key == 0x8A:  # LONG1
                stack.append(pickle.decode_long(read(read(1)[0])))
            elif key == 0x58:  # BINUNICODE
                stack.append(str(read(struct.unpack("<I", read(4))[0]), "utf-8", "surrogatepass"))
            elif key == 0x8C:  # SHORT_BINUNICODE (protocol 4)
                stack.append(str(read(read(1)[0]), "utf-8", "surrogatepass"))
            elif key == 0x8D:  # BINUNICODE8 (protocol 4)
                stack.append(str(read(struct.unpack("<Q", read(8))[0]), "utf-8", "surrogatepass"))
            elif key == 0x55:  # SHORT_BINSTRING
                data = read(read(1)[0])
                stack.append(data if encoding == "bytes" else data.decode(encoding, "strict"))
            elif key == 0x43:  # SHORT_BINBYTES (protocol 3)
                stack.append(read(read(1)[0]))
            elif key == 0x42:  # BINBYTES (protocol 3)
                stack.append(read(struct.unpack("<I", read(4))[0]))
            elif key == 0x51:  # BINPERSID
                pid = stack.pop()
                if type(pid) is not tuple and type(pid) is not int:
                    raise UnpicklingError(f"persistent_load id must be tuple or int, but got {type(pid)}")
                if type(pid) is tuple and len(pid) > 0 and _ascii(pid[0]) != "storage":
                    raise UnpicklingError(f"Only persistent_load of storage is allowed, but got {type(pid[0])}")
                if self.persistent_load is None:
                    raise UnpicklingError("unsupported persistent id encountered")
                stack.append(self.persistent_load(pid))
            elif key == 0x6A:  # LONG_BINGET
                stack.append(memo[struct.unpack("<I", read(4))[0]])
            elif key == 0x72:  # LONG_BINPUT
                memo[struct.unpack("<I", read(4))[0]] = stack[-1]
            elif key == 0x94:  # MEMOIZE (protocol 4)
                memo[len(memo)] = stack[-1]
            elif key == 0x95:  # FRAME (protocol 4): only a length hint
                read(8)
            elif key == 0x80:  # PROTO
                proto = read(1)[0]
                if proto != 2:
                    warnings.warn(f"Detected pickle protocol {proto} in the checkpoint, which was not the default "
                                  "pickle protocol used by `torch.load` (2). The weights_only Unpickler might not "
                                  "support all instructions implemented by this protocol, please file an issue for "
                                  "adding support if you encounter this.", stacklevel=4)
            elif key == 0x2E:  # STOP
                reader.pos = pos
                return stack.pop()
            else:
                raise UnpicklingError(f"Unsupported operand {key}")


def _ascii(x):
    return x.decode("ascii") if isinstance(x, bytes) else x


def globals_in_pickle(data: bytes) -> list[str]:
    """The ``module.name`` of every GLOBAL in a protocol-2 pickle, in order of first use (no code runs)."""
    seen: dict[str, None] = {}
    try:
        for op, arg, _ in pickletools.genops(data):
            if op.name == "GLOBAL":
                module, name = _compat(*arg.split(" ", 1))
                seen[f"{module}.{name}"] = None
    except Exception as e:
        raise UnpicklingError(f"malformed pickle data ({type(e).__name__}: {e})") from None
    return list(seen)


# ----- full unpickling (weights_only=False) -----

NOT_TORCH = object()


def lookup_torch_name(module: str, name: str):
    """The ember object answering a global of a file, NOT_TORCH for names outside ``torch`` (Python imports those)."""
    module, name = _compat(module, name)
    allowed = torch_globals()
    full_path = f"{module}.{name}"
    if full_path in allowed:
        return allowed[full_path]
    if module == "torch" or module.startswith("torch."):
        obj = ember_object(module, name)
        if obj is None:
            raise AttributeError(f"ember.load: the file needs {full_path}, which ember does not offer")
        return obj
    return NOT_TORCH


def _safe_types() -> frozenset:
    """Classes a file may call (``REDUCE``/``INST``: ``cls(*args)`` runs ``__init__``): value types of the standard
    library and NumPy whose constructors only build a value."""
    return frozenset((
        object, bool, int, float, complex, str, bytes, bytearray, tuple, list, dict, set, frozenset, slice, range,
        type(None), OrderedDict, Counter, defaultdict, deque, datetime.date, datetime.time, datetime.datetime,
        datetime.timedelta, datetime.timezone, decimal.Decimal, fractions.Fraction, uuid.UUID, argparse.Namespace,
        pathlib.PurePosixPath, pathlib.PureWindowsPath, pathlib.PosixPath, pathlib.WindowsPath,
        np.dtype, np.ndarray, *{type(np.dtype(c)) for c in "?bBhHiIlLqQefdgFDGSUVO"},
        *(getattr(np, n) for n in ("float16", "float32", "float64", "complex64", "complex128", "int8", "int16",
                                   "int32", "int64", "uint8", "uint16", "uint32", "uint64", "bool_")),
    ))


def _safe_functions() -> dict:
    """Functions a file may call, by id: the ones Python's and NumPy's pickles of plain values name."""
    fns = [copyreg._reconstructor, codecs.encode]
    for path in ("numpy._core.multiarray._reconstruct", "numpy.core.multiarray._reconstruct",
                 "numpy._core.multiarray.scalar", "numpy.core.multiarray.scalar", "numpy._core.numeric._frombuffer",
                 "numpy.core.numeric._frombuffer"):
        mod, _, name = path.rpartition(".")
        try:
            with warnings.catch_warnings():  # NumPy 2 warns on every first touch of its numpy.core alias
                warnings.simplefilter("ignore", DeprecationWarning)
                fns.append(getattr(importlib.import_module(mod), name))
        except (ImportError, AttributeError):
            pass
    return {id(f): f for f in fns}


class FullUnpickler(pickle._Unpickler):
    """``weights_only=False``: objects of any class already imported, PyTorch's names answered by ember's objects,
    and still no code from the file.

    Python's own unpickler calls whatever a file names (``os.system``, ``builtins.eval``, ``subprocess.Popen``);
    this one, a subclass of Python's pure-Python unpickler, lets a file name objects of modules that are already
    imported (it imports nothing, since importing runs a module's code), never change them (``BUILD`` on a named
    global), and *call* (``REDUCE``, ``INST``, ``OBJ``: ``__init__`` runs) only the functions pickles of plain
    values use, ember's tensor rebuilders, ember's own classes and value types of the standard library and NumPy.
    Objects of other classes are made the way pickle makes them without a call (``cls.__new__`` then their
    ``__setstate__`` or ``__dict__``), so a whole saved model (``torch.save(model)``) loads when its class is
    importable as it was saved. Anything else raises ``UnpicklingError`` naming the global. This is ember's choice where PyTorch runs
    the file (its documentation warns that ``weights_only=False`` can execute arbitrary code)."""

    dispatch = dict(pickle._Unpickler.dispatch)

    def __init__(self, file, persistent_load, **kwargs) -> None:
        super().__init__(file, **kwargs)
        self._persistent_load = persistent_load
        torch_globals()  # fills _CALLS, the rebuilders a file may call
        self._types = _safe_types()
        self._functions = _safe_functions()
        self._globals: set = set()

    def find_class(self, module: str, name: str):
        obj = self._find(module, name)
        self._globals.add(id(obj))  # named by the file: a value it may hold, never an object it may change
        return obj

    def _find(self, module: str, name: str):
        obj = lookup_torch_name(module, name)
        if obj is not NOT_TORCH:
            return obj
        if self.proto < 3 and self.fix_imports:
            module, name = _compat(module, name)
        mod = sys.modules.get(module)
        if mod is None:
            raise UnpicklingError(f"ember.load (weights_only=False) refuses {module}.{name}: the module {module} is "
                                  "not imported, and importing it would run its code. Import it before loading.")
        obj = mod
        for attr in name.split("."):
            obj = getattr(obj, attr, None)
            if obj is None:
                raise UnpicklingError(f"ember.load: {module} has no attribute {name}")
        if isinstance(obj, type(sys)):
            raise UnpicklingError(f"ember.load (weights_only=False) refuses {module}.{name}: a module")
        return obj

    def _callable(self, func):
        if id(func) in self._functions or id(func) in _CALLS or isinstance(func, TorchName):
            return True
        return isinstance(func, type) and (func in self._types or func.__module__.split(".")[0] == "ember")

    def _call(self, func, args):
        if not self._callable(func):
            name = f"{getattr(func, '__module__', '?')}.{getattr(func, '__qualname__', func)}"
            raise UnpicklingError(f"ember.load (weights_only=False) refuses to call {name}: calling it would run "
                                  "code from the file")
        return func(*args)

    def load_reduce(self):
        args = self.stack.pop()
        self.stack[-1] = self._call(self.stack[-1], args)
    dispatch[pickle.REDUCE[0]] = load_reduce

    def load_inst(self):
        module = self.readline()[:-1].decode("ascii")
        name = self.readline()[:-1].decode("ascii")
        klass = self.find_class(module, name)
        self.append(self._call(klass, tuple(self.pop_mark())))
    dispatch[pickle.INST[0]] = load_inst

    def load_obj(self):
        args = self.pop_mark()
        cls = args.pop(0)
        self.append(self._call(cls, tuple(args)))
    dispatch[pickle.OBJ[0]] = load_obj

    def load_build(self):
        if len(self.stack) >= 2 and id(self.stack[-2]) in self._globals:  # BUILD would set attributes of a class or function of a module
            raise UnpicklingError("ember.load (weights_only=False) refuses to change a global object (BUILD on "
                                  f"{getattr(self.stack[-2], '__qualname__', type(self.stack[-2]).__name__)})")
        super().load_build()
    dispatch[pickle.BUILD[0]] = load_build

    def persistent_load(self, pid):
        return self._persistent_load(pid)


# ----- writing -----

class TorchName:
    """A PyTorch global by name (``torch._utils._rebuild_tensor_v2``), pickled as GLOBAL without importing torch."""

    __slots__ = ("module", "name")
    _cache: dict[tuple[str, str], TorchName] = {}

    def __new__(cls, module: str, name: str) -> TorchName:
        key = (module, name)
        obj = cls._cache.get(key)
        if obj is None:
            obj = object.__new__(cls)
            obj.module, obj.name = module, name
            cls._cache[key] = obj
        return obj

    def __call__(self, *args, **kwargs):  # pickle checks that a reduce function is callable; it is never called
        raise TypeError(f"{self.module}.{self.name} is a name in a file, not a function")


_REBUILD_V2 = TorchName("torch._utils", "_rebuild_tensor_v2")
_REBUILD_PARAM = TorchName("torch._utils", "_rebuild_parameter")
_REBUILD_PARAM_STATE = TorchName("torch._utils", "_rebuild_parameter_with_state")
_REBUILD_FROM_TYPE = TorchName("torch._tensor", "_rebuild_from_type_v2")
_TORCH_SIZE = TorchName("torch", "Size")
_TORCH_DEVICE = TorchName("torch", "device")
_TORCH_TENSOR = TorchName("torch", "Tensor")


class SavedStorage:
    """One storage to write: the bytes of the NumPy buffer the tensors view, and its persistent id."""

    __slots__ = ("root", "key", "pid")

    def __init__(self, root: np.ndarray, key: str, storage_type: str) -> None:
        self.root, self.key = root, key
        self.pid = ("storage", TorchName("torch", storage_type), key, "cpu", root.nbytes // root.itemsize)

    def nbytes(self) -> int:
        return self.root.nbytes

    def chunks(self, size: int = 1 << 24):
        flat = self.root.ravel(order="K").view(np.uint8) if self.root.size else np.empty(0, np.uint8)
        for i in range(0, flat.nbytes, size):
            yield flat[i:i + size]


def _owner(arr: np.ndarray) -> np.ndarray:
    """The array that owns the memory ``arr`` views (following ``.base`` through ndarrays)."""
    root = arr
    while isinstance(root.base, np.ndarray):
        root = root.base
    return root


def _user_attributes(t: Tensor) -> dict:
    # attributes a user set on a tensor (t.note = "x"); ember's own fields start with "_" or are these
    return {k: v for k, v in t.__dict__.items() if not k.startswith("_") and k not in ("grad_fn", "persistent")}


class Pickler(pickle._Pickler):
    """Python's pickler, writing ember's tensors, dtypes, sizes and devices under PyTorch's names."""

    dispatch = pickle._Pickler.dispatch.copy()

    def __init__(self, file, protocol: int = 2) -> None:
        super().__init__(file, protocol)
        self.storages: dict[tuple[int, str], SavedStorage] = {}

    def persistent_id(self, obj):
        return obj.pid if type(obj) is SavedStorage else None

    def _storage(self, arr: np.ndarray) -> tuple[SavedStorage, int, tuple[int, ...]]:
        """The storage for ``arr`` with the offset and strides (in elements) of ``arr`` in it."""
        name = _SAVE_STORAGE.get(arr.dtype.newbyteorder("="))
        if name is None:
            arr = arr.astype(_dtype.from_numpy_dtype(arr.dtype).np)
            name = _SAVE_STORAGE[arr.dtype]
        item = arr.itemsize
        root = _owner(arr)
        ok = (arr.dtype.isnative and root.dtype == arr.dtype and (root.flags.c_contiguous or root.flags.f_contiguous)
              and all(s >= 0 and s % item == 0 for s in arr.strides))
        if ok and arr.size:
            start = arr.__array_interface__["data"][0] - root.__array_interface__["data"][0]
            end = start + item + sum((n - 1) * s for n, s in zip(arr.shape, arr.strides))
            ok = start >= 0 and start % item == 0 and end <= root.nbytes
        if not ok or not arr.size:
            root = np.ascontiguousarray(arr).reshape(-1) if arr.size else np.empty(0, arr.dtype.newbyteorder("="))
            if not root.dtype.isnative:
                root = root.astype(root.dtype.newbyteorder("="))
            start = 0
            strides = tuple(int(s) for s in _contiguous_strides(arr.shape))
        else:
            strides = tuple(s // item for s in arr.strides)
        key = (id(root), name)
        st = self.storages.get(key)
        if st is None:
            st = self.storages[key] = SavedStorage(root, str(len(self.storages)), name)
        return st, start // item, strides

    def _tensor_args(self, t: Tensor) -> tuple:
        st, offset, strides = self._storage(t._data)
        return (st, offset, tuple(t._data.shape), strides, bool(t._requires_grad), OrderedDict())

    def reducer_override(self, obj):
        if isinstance(obj, Tensor):
            attrs = _user_attributes(obj)
            if isinstance(obj, Parameter):
                plain = _new(Tensor)
                plain._data = obj._data
                if attrs:
                    return (_REBUILD_PARAM_STATE, (plain, bool(obj._requires_grad), OrderedDict(), attrs))
                return (_REBUILD_PARAM, (plain, bool(obj._requires_grad), OrderedDict()))
            if type(obj) is not Tensor or attrs:
                cls = _TORCH_TENSOR if type(obj) is Tensor else type(obj)
                return (_REBUILD_FROM_TYPE, (_REBUILD_V2, cls, self._tensor_args(obj), attrs))
            return (_REBUILD_V2, self._tensor_args(obj))
        t = type(obj)
        if t is Size:
            return (_TORCH_SIZE, (tuple(int(d) for d in obj),))
        if t is device:
            return (_TORCH_DEVICE, (obj.type,) if obj.index is None else (obj.type, obj.index))
        return NotImplemented

    def _save_name(self, module: str, name: str, obj) -> None:
        if self.proto >= 4:
            self.save(module)
            self.save(name)
            self.write(pickle.STACK_GLOBAL)
        else:
            self.write(pickle.GLOBAL + f"{module}\n{name}\n".encode())
        self.memoize(obj)

    def _save_torch_name(self, obj: TorchName) -> None:
        self._save_name(obj.module, obj.name, obj)

    def _save_dtype(self, obj) -> None:
        self._save_name("torch", obj.name, obj)

    def save_global(self, obj, name=None) -> None:
        # ember objects that print as PyTorch's (ember.Tensor.__module__ == "torch") are written under that name
        # without the check that imports the module (it would import torch)
        module = getattr(obj, "__module__", None) or ""
        if module == "torch" or module.startswith("torch."):
            self._save_name(module, name or obj.__qualname__, obj)
        else:
            super().save_global(obj, name)

    dispatch[TorchName] = _save_torch_name
    dispatch[_dtype.dtype] = _save_dtype
    dispatch[ForeignDtype] = _save_dtype


def _contiguous_strides(shape) -> list[int]:
    strides, acc = [], 1
    for n in reversed(shape):
        strides.append(acc)
        acc *= max(n, 1)
    return strides[::-1]
