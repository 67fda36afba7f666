"""Creating tensors: tensor, as_tensor, zeros, ones, full, empty, arange, linspace, eye, windows, ... ."""

from __future__ import annotations

import builtins
import math
import os
import sys
import warnings

from .. import kernels as K
from .._array import np
from .._core import dtype as D
from .._core.args import _infer_array, _on
from .._core.dims import _shape_arg, factory_size
from .._core.exposure import expose
from .._core.meta import meta_array
from .._core.modes import is_ember_file
from .._core.tensor import Tensor, _check_device, _wrap
from ..kernels.memory import BLOCK

__all__ = ["as_tensor_arg", "from_file", "scalar_tensor", "empty_strided", "empty_permuted", "hann_window",
           "hamming_window", "blackman_window", "bartlett_window", "kaiser_window", "tril_indices",
           "triu_indices", "tensor", "as_tensor", "asarray", "from_numpy", "zeros", "ones", "empty", "full",
           "zeros_like", "ones_like", "empty_like", "full_like", "arange", "range_", "linspace", "logspace",
           "eye", "meshgrid", "new_tensor", "new_zeros", "new_ones", "new_empty",
           "new_full", "new_empty_strided"]







def _user_level() -> int:
    """The warnings stacklevel of the user's line: the first frame outside ember (wrappers such as forward mode's
    op checks add frames, so a fixed stacklevel would name a line inside ember)."""
    f, level = sys._getframe(2), 2
    while f is not None and is_ember_file(f.f_code.co_filename):
        f, level = f.f_back, level + 1
    return level

def as_tensor_arg(x, like: Tensor | None = None) -> Tensor:
    """Turn a Python scalar/list/array operand into a tensor (for ops whose other side is a tensor)."""
    if isinstance(x, Tensor):
        return x
    return tensor(x)


def _t(x, like=None) -> Tensor:
    return x if isinstance(x, Tensor) else as_tensor_arg(x, like)


def scalar_tensor(s, *, dtype=None, device=None, requires_grad: bool = False, **_) -> Tensor:
    dt = (dtype or D.get_default_dtype()).np
    t = _wrap(_on(device, np.asarray(s, dtype=dt)))
    if requires_grad:
        t.requires_grad_(True)
    return t

expose(scalar_tensor)


def empty_strided(size, stride, *, dtype=None, device=None, requires_grad: bool = False, **_) -> Tensor:
    dt = (dtype or D.get_default_dtype()).np
    t = _wrap(_array(tuple(size), dt, 0, device))
    if requires_grad:
        t.requires_grad_(True)
    return t

expose(empty_strided)


def empty_permuted(size, physical_layout, *, dtype=None, **_) -> Tensor:
    return _wrap(np.zeros(tuple(size), dtype=(dtype or D.get_default_dtype()).np))

expose(empty_permuted)


def _window(np_fn, name):
    def win(window_length: int, periodic: bool = True, *, dtype=None, **_) -> Tensor:
        dt = (dtype or D.get_default_dtype()).np
        if window_length == 0:
            return _wrap(np.zeros(0, dtype=dt))
        if window_length == 1:
            return _wrap(np.ones(1, dtype=dt))
        n = window_length + 1 if periodic else window_length
        w = np_fn(n)
        return _wrap((w[:-1] if periodic else w).astype(dt))
    win.__name__ = name
    return win


hann_window = _window(np.hanning, "hann_window")

expose(hann_window)


hamming_window = _window(np.hamming, "hamming_window")

expose(hamming_window)


blackman_window = _window(np.blackman, "blackman_window")

expose(blackman_window)


bartlett_window = _window(np.bartlett, "bartlett_window")

expose(bartlett_window)


def kaiser_window(window_length: int, periodic: bool = True, beta: float = 12.0, *, dtype=None, **_) -> Tensor:
    dt = (dtype or D.get_default_dtype()).np
    if window_length == 1:
        return _wrap(np.ones(1, dtype=dt))
    n = window_length + 1 if periodic else window_length
    w = np.kaiser(n, beta)
    return _wrap((w[:-1] if periodic else w).astype(dt))

expose(kaiser_window)


def tril_indices(row, col, offset=0, *, dtype=None, device=None, layout=None):
    """The (row, col) indices of the lower triangle of a row x col matrix, as a 2 x N tensor."""
    return _wrap(np.stack(np.tril_indices(row, offset, col)).astype(dtype.np if dtype else np.int64))

expose(tril_indices)


def triu_indices(row, col, offset=0, *, dtype=None, device=None, layout=None):
    """The (row, col) indices of the upper triangle of a row x col matrix, as a 2 x N tensor."""
    return _wrap(np.stack(np.triu_indices(row, offset, col)).astype(dtype.np if dtype else np.int64))

expose(triu_indices)


def _array(shape, dt, fill, device):
    """An array of ``shape`` and NumPy dtype ``dt`` filled with ``fill`` (None: left as zeros), on ``device``:
    on the meta device no values are made at all."""
    if _check_device(device) == "meta":
        return meta_array(shape, dt)
    return np.zeros(shape, dtype=dt) if fill is None or fill == 0 else np.full(shape, fill, dtype=dt)


def _finish(arr, dtype, requires_grad, device=None):
    if dtype is not None and arr.dtype != dtype.np:
        arr = arr.astype(dtype.np)
    arr = _on(device, arr)
    t = _wrap(arr)
    if requires_grad:
        if arr.dtype.kind not in "fc":
            raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")
        t._requires_grad = True
    return t


def _sized(size, name):
    """The shape from a factory's size arguments (PyTorch's errors for sizes that are not ints or negative)."""
    if name == "zeros" and any(isinstance(d, int) and d < 0 for d in _shape_arg(size)):
        raise RuntimeError("zeros: Dimension size must be non-negative.")
    return factory_size(size, name)


def _is_plain_number_data(data) -> bool:
    if isinstance(data, (int, float, bool, np.number)):
        return True
    if isinstance(data, (list, tuple)):
        return builtins.all(_is_plain_number_data(x) for x in data)
    return False


def tensor(data, *, dtype=None, device=None, requires_grad=False, pin_memory=False, _caller="torch.tensor") -> Tensor:
    """A new tensor holding a copy of ``data`` (nested lists, numbers, arrays or tensors)."""
    dtype = _dtype_arg(dtype, "tensor")
    if isinstance(data, Tensor):
        warnings.warn("To copy construct from a tensor, it is recommended to use sourceTensor.detach().clone() "
                      "or sourceTensor.detach().clone().requires_grad_(True), rather than "
                      f"{_caller}(sourceTensor).", UserWarning, stacklevel=_user_level())
    if dtype is not None and not isinstance(data, (Tensor, np.ndarray)) and _is_plain_number_data(data):
        arr = np.array(data, dtype=dtype.np)  # straight to the asked dtype: no float32 rounding on the way
    else:
        arr = _infer_array(data)
    if requires_grad and (dtype or D.from_numpy_dtype(arr.dtype)).category < D.FLOAT:
        raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")
    return _finish(arr, dtype, requires_grad, device)

expose(tensor)


def as_tensor(data, dtype=None, device=None) -> Tensor:
    """``data`` as a tensor, sharing memory with a NumPy array or tensor when the dtype allows."""
    if isinstance(data, Tensor):
        return data if dtype is None or dtype is data.dtype else data.to(dtype)
    if isinstance(data, np.ndarray):
        D.from_numpy_dtype(data.dtype)
        if not data.flags.writeable:
            _warn_not_writable()
        return _finish(data, dtype, False, device)
    return tensor(data, dtype=dtype, device=device)


_not_writable_warned = False


def _warn_not_writable():
    """PyTorch's warning for a read-only NumPy array shared by a tensor: once per program, as it says."""
    global _not_writable_warned
    if _not_writable_warned:
        return
    _not_writable_warned = True
    warnings.warn("The given NumPy array is not writable, and PyTorch does not support non-writable tensors. This "
                  "means writing to this tensor will result in undefined behavior. You may want to copy the array "
                  "to protect its data or make it writable before converting it to a tensor. This type of warning "
                  "will be suppressed for the rest of this program.", UserWarning, stacklevel=_user_level())

expose(as_tensor, torch=('as_tensor', 'asarray'), method=False)


asarray = as_tensor


def from_numpy(arr: np.ndarray) -> Tensor:
    """A tensor sharing memory with the NumPy array ``arr``."""
    if not isinstance(arr, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(arr).__name__})")
    D.from_numpy_dtype(arr.dtype)
    if not arr.flags.writeable:
        _warn_not_writable()
    return _wrap(arr)

expose(from_numpy)


# Python's own types as a dtype argument, as PyTorch reads them (``dtype=float`` is float64)
_PY_DTYPES = {float: D.float64, int: D.int64, bool: D.bool_, complex: D.complex128}


def _dtype_arg(dtype, name):
    """A factory's ``dtype`` argument as an ember dtype (None stays None); else PyTorch's TypeError."""
    if dtype is None or isinstance(dtype, D.dtype):
        return dtype
    d = _PY_DTYPES.get(dtype) if isinstance(dtype, type) else None
    if d is None:
        raise TypeError(f"{name}(): argument 'dtype' must be torch.dtype, not {type(dtype).__name__}")
    return d


def _dt(dtype, name="zeros"):
    return (_dtype_arg(dtype, name) or D.get_default_dtype()).np


def zeros(*dims, size=None, dtype=None, device=None, requires_grad=False, out=None, layout=None) -> Tensor:
    size = dims if size is None else (size,)
    return _finish(_array(_sized(size, "zeros"), _dt(dtype), 0, device), None, requires_grad, device)

expose(zeros, out="factory")


def ones(*dims, size=None, dtype=None, device=None, requires_grad=False, out=None, layout=None) -> Tensor:
    size = dims if size is None else (size,)
    return _finish(_array(_sized(size, "ones"), _dt(dtype, "ones"), 1, device), None, requires_grad, device)

expose(ones, out="factory")


def empty(*dims, size=None, dtype=None, device=None, requires_grad=False, out=None, layout=None, memory_format=None,
          pin_memory=False) -> Tensor:
    size = dims if size is None else (size,)
    return _finish(_array(_sized(size, "empty"), _dt(dtype, "empty"), None, device), None, requires_grad, device)

expose(empty, out="factory")


def _fill_dtype(v):
    if isinstance(v, bool):
        return D.bool_
    if isinstance(v, int):
        return D.int64
    if isinstance(v, complex):
        return D.default_complex()
    return D.get_default_dtype()


_MISSING = object()


def full(size=_MISSING, fill_value=_MISSING, *, dtype=None, device=None, requires_grad=False, out=None,
         layout=None) -> Tensor:
    missing = [n for n, v in (("size", size), ("fill_value", fill_value)) if v is _MISSING]
    if missing:  # PyTorch's argument parser's words (its plural is as it prints it)
        raise TypeError(f"full() missing {len(missing)} required positional argument{'s' if len(missing) == 1 else ''}"
                        f": {', '.join(f'{chr(34)}{n}{chr(34)}' for n in missing)}")
    if isinstance(fill_value, Tensor) and fill_value.ndim == 0:
        fill_value = fill_value.item()
    elif isinstance(fill_value, np.generic):
        fill_value = fill_value.item()
    elif not isinstance(fill_value, (int, float, complex)) and not (isinstance(fill_value, np.ndarray)
                                                                  and fill_value.ndim == 0):  # (ember's own calls)
        raise TypeError(f"full(): argument 'fill_value' (position 2) must be Number, not {type(fill_value).__name__}")
    dt = _dtype_arg(dtype, "full") or _fill_dtype(fill_value)
    return _finish(_array(factory_size(size, "full", varargs=False), dt.np, fill_value, device), None, requires_grad,
                   device)

expose(full, out="factory")


def _like(fn):
    def like(x, *, dtype=None, device=None, requires_grad=False, memory_format=None, layout=None):
        out = fn(x.shape, dtype=_dtype_arg(dtype, fn.__name__ + "_like") or x.dtype, requires_grad=requires_grad,
                 device=x.device if device is None else device)
        a = x._data
        if memory_format is None and not a.flags.c_contiguous and 0 not in a.strides and not out.is_meta:
            # preserve_format: the input's axis order (e.g. transposed) is kept, as NumPy's order="K" does; it
            # decides the order in which an in-place random fill of the result (dropout's mask) writes numbers
            arr = np.empty_like(a, dtype=out._data.dtype)
            arr[...] = out._data
            out._data = arr
        return out
    like.__name__ = fn.__name__ + "_like"
    like.__doc__ = f"{fn.__name__}(x.shape) with x's dtype (and its memory layout)"
    return like


zeros_like = _like(zeros)
expose(zeros_like)


ones_like = _like(ones)
expose(ones_like)


empty_like = _like(empty)
expose(empty_like)


def full_like(x, fill_value, *, dtype=None, device=None, requires_grad=False, memory_format=None) -> Tensor:
    return full(x.shape, fill_value, dtype=_dtype_arg(dtype, "full_like") or x.dtype, requires_grad=requires_grad,
                device=x.device if device is None else device)

expose(full_like)


def _by_blocks(n: int, dtype, values) -> np.ndarray:
    """The 1-D array of ``values(i)`` (i: int64 positions) cast to ``dtype``, made a block of positions at a time:
    the float64 (or long double) intermediates stay a block long instead of several times the result's size."""
    out = np.empty(n, dtype)
    for s in range(0, n, BLOCK):
        out[s : s + BLOCK] = values(np.arange(s, builtins.min(s + BLOCK, n), dtype=np.int64))
    return out


def arange(start, end=None, step=1, *, dtype=None, device=None, requires_grad=False, out=None) -> Tensor:
    """start, start+step, ... up to (not including) end"""
    if end is None:
        start, end = 0, start
    vals = [v.item() if isinstance(v, Tensor) else v for v in (start, end, step)]
    start, end, step = vals
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if (end - start) / step < 0:
        raise RuntimeError("upper bound and lower bound inconsistent with step sign")
    is_float = builtins.any(isinstance(v, float) for v in vals)
    dt = _dtype_arg(dtype, "arange") or (D.get_default_dtype() if is_float else D.int64)
    n = math.ceil((end - start) / step)
    if dt is D.float32 or dt is D.float64:
        arr = K.arange_float(float(start), float(step), n, dt.np)  # rounded as PyTorch's vectorised kernel
    elif is_float or dt.is_floating_point:  # start + i*step in double, then cast
        arr = _by_blocks(n, dt.np, lambda i: start + i.astype(np.float64) * step)
    else:
        # (a small range is copied out of NumPy's: its buffer is then not the one a tensor freed just before,
        # which NumPy's small-block cache would hand back, so data_ptr() differs as PyTorch's does)
        arr = np.arange(start, start + n * step, step, dtype=np.int64)[:n].astype(dt.np, copy=n <= BLOCK)
    return _finish(arr, None, requires_grad, device)

expose(arange, out="arange")


def range_(start, end, step=1, *, dtype=None, device=None, requires_grad=False) -> Tensor:
    warnings.warn("torch.range is deprecated and will be removed in a future release because its behavior is "
                  "inconsistent with Python's range builtin. Instead, use torch.arange, which produces values in "
                  "[start, end).", UserWarning, stacklevel=_user_level())
    n = math.floor((end - start) / step) + 1
    dt = dtype or D.get_default_dtype()
    return _finish((start + np.arange(n, dtype=np.float64) * step).astype(dt.np), None, requires_grad, device)

expose(range_, torch=('range',), method=False)


def linspace(start, end, steps, *, dtype=None, device=None, requires_grad=False, out=None) -> Tensor:
    """``steps`` evenly spaced values from start to end, bit-for-bit as PyTorch's CPU kernel"""
    if isinstance(start, Tensor):
        start = start.item()
    if isinstance(end, Tensor):
        end = end.item()
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    dt = _dtype_arg(dtype, "linspace") or D.get_default_dtype()
    n = int(steps)
    if n == 0:
        return _finish(np.zeros(0, dtype=dt.np), None, requires_grad, device)
    if n == 1:
        return _finish(np.full(1, start, dtype=dt.np), None, requires_grad, device)
    half = n // 2
    if dt is D.float16:
        # Half arithmetic, as c10::Half does it: each operation in float, rounded to half (the step too, with
        # n - 1 as a half: inf past 65504, which makes the step 0); i is converted to half before the product
        H, F = np.float16, np.float32
        a, b = H(start), H(end)
        with np.errstate(over="ignore"):
            s = H(F(H(F(b) - F(a))) / F(H(n - 1)))

        def values(i):
            with np.errstate(over="ignore", invalid="ignore"):
                fwd = (F(a) + (F(s) * i.astype(H).astype(F)).astype(H).astype(F)).astype(H)
                bwd = (F(b) - (F(s) * (n - 1 - i).astype(H).astype(F)).astype(H).astype(F)).astype(H)
            return np.where(i < half, fwd, bwd)
    elif dt is D.float32 or dt is D.bfloat16:
        # the kernel computes the step in float, then start + step*i with a fused multiply-add
        a, b = np.float32(start), np.float32(end)
        s = np.float32((b - a) / np.float32(n - 1))

        def values(i):
            fwd = (np.float64(a) + np.float64(s) * i).astype(np.float32)
            bwd = (np.float64(b) - np.float64(s) * (n - 1 - i)).astype(np.float32)
            return np.where(i < half, fwd, bwd)
    elif dt.is_floating_point or dt.is_complex:
        L = np.longdouble
        s = (end - start) / (n - 1)

        def values(i):
            return np.where(i < half, (L(start) + L(s) * i).astype(np.float64),
                            (L(end) - L(s) * (n - 1 - i)).astype(np.float64))
    else:
        s = (end - start) / (n - 1)

        def values(i):
            return np.trunc(np.where(i < half, start + s * i, end - s * (n - 1 - i)))
    return _finish(_by_blocks(n, dt.np, values), None, requires_grad, device)

expose(linspace, out="factory")


def logspace(start, end, steps, base=10.0, *, dtype=None, device=None, requires_grad=False) -> Tensor:
    dt = _dtype_arg(dtype, "logspace") or D.get_default_dtype()
    exps = linspace(start, end, steps, dtype=D.float64)._data
    return _finish(np.power(base, exps).astype(dt.np), None, requires_grad, device)

expose(logspace)


def eye(n, m=None, *, dtype=None, device=None, requires_grad=False) -> Tensor:
    """the n x m identity matrix (ones on the main diagonal)"""
    if n < 0:
        raise RuntimeError(f"n must be greater or equal to 0, got {n}")
    if m is not None and m < 0:
        raise RuntimeError(f"m must be greater or equal to 0, got {m}")
    return _finish(np.eye(n, m if m is not None else n, dtype=_dt(dtype, "eye")), None, requires_grad, device)

expose(eye)


def _legacy_tensor_init(self, *args, **kwargs):
    """``Tensor(data)`` / ``Tensor(2, 3)``: PyTorch's legacy constructor (always float32)."""
    if len(args) == 1 and isinstance(args[0], (list, tuple, np.ndarray)):
        self._data = np.array(args[0], dtype=np.float32)
    elif len(args) == 1 and isinstance(args[0], Tensor):
        self._data = args[0]._data
    elif builtins.all(isinstance(a, int) for a in args):
        # Tensor() is an empty 1-d tensor, shape (0,), not a scalar
        self._data = np.zeros(args if args else (0,), dtype=np.float32)
    else:
        raise TypeError("new(): invalid arguments")


def meshgrid(*tensors, indexing=None):
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    if indexing is None:
        indexing = "ij"
    ndim = len(tensors)
    shape = [t.numel() for t in tensors]
    if indexing == "xy" and ndim >= 2:
        shape[0], shape[1] = shape[1], shape[0]
    out = []
    for i, t in enumerate(tensors):
        view = [1] * ndim
        k = i
        if indexing == "xy" and ndim >= 2 and i < 2:
            k = 1 - i
        view[k] = -1
        out.append(t.reshape(view).expand(shape))
    return tuple(out)

expose(meshgrid)


expose(_legacy_tensor_init, torch=False, operators="__init__")


def new_tensor(x, data, dtype=None, device=None, requires_grad=False):
    """a new tensor from data, with x's dtype unless given"""
    return tensor(data, dtype=dtype if dtype is not None else x.dtype, requires_grad=requires_grad,
                  device=x.device if device is None else device, _caller="tensor.new_tensor")

expose(new_tensor, torch=False, method=True)


def _new_filled(fill, name):
    def method(x, *size, dtype=None, device=None, requires_grad=False, **kwargs):
        shape = factory_size(size, name)
        dt = (dtype or x.dtype).np
        t = _wrap(_array(shape, dt, fill, x.device if device is None else device))
        if requires_grad:
            t.requires_grad = True
        return t
    method.__name__ = name
    method.__doc__ = f"a new tensor of the given size, {'uninitialised' if fill is None else f'filled with {fill}'}, with x's dtype"
    return method


new_zeros = _new_filled(0, "new_zeros")
new_ones = _new_filled(1, "new_ones")
new_empty = _new_filled(None, "new_empty")
expose(new_zeros, torch=False, method=True)
expose(new_ones, torch=False, method=True)
expose(new_empty, torch=False, method=True)


def new_full(x, size, fill_value, dtype=None, device=None, requires_grad=False):
    """a new tensor of ``size`` filled with ``fill_value``, with x's dtype"""
    return _new_filled(fill_value, "new_full")(x, size, dtype=dtype, device=device, requires_grad=requires_grad)

expose(new_full, torch=False, method=True)


def new_empty_strided(x, size, stride, *, dtype=None, device=None, requires_grad=False, **kwargs):
    """a new tensor of ``size`` (ember's tensors are always laid out contiguously)"""
    return new_zeros(x, *size, dtype=dtype, device=device, requires_grad=requires_grad)

expose(new_empty_strided, torch=False, method=True)


def from_file(filename, shared=None, size: int = 0, *, dtype=None, layout=None, device=None,
              pin_memory: bool = False, requires_grad: bool = False) -> Tensor:
    """A 1-D tensor of ``size`` elements whose memory is the file, mapped: ``shared`` writes changes through to
    the file (which is created if needed), otherwise they stay private to the tensor (copy on write)"""
    dt = D.get_default_dtype() if dtype is None else dtype
    item = np.dtype(dt.np).itemsize
    need = size * item
    exists = os.path.exists(filename)
    if not shared and not exists:
        raise RuntimeError(f"unable to open file <{filename}> in read-only mode: No such file or directory (2)")
    if shared and (not exists or os.path.getsize(filename) < need):
        with open(filename, "ab") as f:  # grown to the mapping's size, as PyTorch's shared mapping does
            f.truncate(builtins.max(need, os.path.getsize(filename) if exists else 0))
    have = os.path.getsize(filename)
    if have < need:
        raise RuntimeError(f"file <{filename}> size <{have}> is smaller than the required mapping size <{need}>")
    if size == 0:
        arr = np.zeros(0, dtype=dt.np)
    else:
        arr = np.memmap(filename, dtype=dt.np, mode="r+" if shared else "c", shape=(size,)).view(np.ndarray)
    t = _wrap(arr)
    if requires_grad:
        t.requires_grad_(True)
    return t

expose(from_file)
