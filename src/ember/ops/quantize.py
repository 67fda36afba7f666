"""Quantized tensors on the CPU (torch.quantize_per_tensor, quantize_per_channel, dequantize, ...).

A quantized tensor stores integers (its ``int_repr``: uint8 for ``torch.quint8``, int8 for ``torch.qint8``,
int32 for ``torch.qint32``) and an affine map back to real values: x ≈ (q - zero_point) · scale, with one scale
and zero point for the whole tensor (``torch.per_tensor_affine``) or one per slice along ``axis``
(``torch.per_channel_affine``). Quantizing follows PyTorch's CPU kernels digit for digit: the input is multiplied
by the single-precision reciprocal of the scale, the zero point is added, the sum rounded half to even and clamped
to the type's range. As in PyTorch, arithmetic on a quantized tensor raises (dequantize first), and quantizing is
not differentiable: the trainable stand-in is ``fake_quantize_per_tensor_affine`` (``ops.pointwise``), whose
straight-through gradient passes where nothing was clamped. ``ember._core.dtype`` has no quantized dtypes: the
three here are not NumPy types and take no part in promotion.
"""

from __future__ import annotations

from .. import _tensor_str
from .._array import np
from .._core import dtype as D
from .._core.exposure import expose
from .._core.messages import _long_name, _warn_user
from .._core.node import Node
from .._core.record import _wrap_result
from .._core.tensor import Tensor, _new, _wrap
from .pointwise import _fake_quantize

__all__ = ["quint8", "qint8", "qint32", "qscheme", "per_tensor_affine", "per_channel_affine",
           "per_tensor_symmetric", "per_channel_symmetric", "per_channel_affine_float_qparams",
           "quantize_per_tensor", "quantize_per_channel", "quantize_per_tensor_dynamic", "dequantize", "int_repr",
           "q_scale", "q_zero_point", "q_per_channel_scales", "q_per_channel_zero_points", "q_per_channel_axis",
           "qscheme_of", "empty_quantized", "quantized_max_pool1d", "quantized_max_pool2d", "quantized_max_pool3d",
           "quantized_batch_norm", "fused_moving_avg_obs_fake_quant"]


def _qdtype(name, np_type, signed):
    d = D.dtype(name, np_type, D.INT)
    d.is_signed = signed
    return d


quint8 = _qdtype("quint8", np.uint8, False)
qint8 = _qdtype("qint8", np.int8, True)
qint32 = _qdtype("qint32", np.int32, True)
_RANGE = {"quint8": (0, 255), "qint8": (-128, 127), "qint32": (-(2 ** 31), 2 ** 31 - 1)}
_QDTYPES = (quint8, qint8, qint32)


class qscheme:
    """A quantization scheme: ``torch.per_tensor_affine`` ... (PyTorch's five, compared by identity)."""

    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return "torch." + self.name

    def __reduce__(self):
        return self.name


per_tensor_affine = qscheme("per_tensor_affine")
per_channel_affine = qscheme("per_channel_affine")
per_tensor_symmetric = qscheme("per_tensor_symmetric")
per_channel_symmetric = qscheme("per_channel_symmetric")
per_channel_affine_float_qparams = qscheme("per_channel_affine_float_qparams")

_DEPRECATED = ("torch.quantize_per_tensor, torch.quantize_per_channel and other quantized tensor creation functions "
               "that produce tensors with dtype torch.quint8, torch.qint8, and torch.qint32 are deprecated and will "
               "be removed in a future PyTorch release. Please see https://github.com/pytorch/pytorch/issues/184982 "
               "for more information.")
_WARNED: list = []  # PyTorch warns once per process (TORCH_WARN_ONCE)


def _warn_deprecated() -> None:
    if not _WARNED:
        _WARNED.append(True)
        _warn_user(_DEPRECATED)


def _no_kernel(op: str, backend: str):
    return NotImplementedError(
        f"Could not run 'aten::{op}' with arguments from the '{backend}' backend. This could be because the "
        "operator doesn't exist for this backend, or was omitted during the selective/custom build process (if "
        "using custom build). If you are a Facebook employee using PyTorch on mobile, please visit "
        f"https://fburl.com/ptmfixes for possible resolutions. 'aten::{op}' is only available for these backends: "
        "[QuantizedCPU].")


class QTensor(Tensor):
    """A quantized tensor: ``_data`` holds the integers, ``_qscheme`` the scheme, ``_scale``/``_zero_point`` a
    Python float and int (per tensor) or float64 and int64 arrays (per channel, along ``_axis``)."""

    _qscheme = per_tensor_affine
    _axis = None

    @property
    def dtype(self):
        return self._qdtype

    @property
    def is_quantized(self) -> bool:
        return True

    @property
    def requires_grad(self) -> bool:
        return False

    @requires_grad.setter
    def requires_grad(self, value) -> None:
        if value:
            raise RuntimeError("only Tensors of floating point and complex dtype can require gradients")

    def _real(self) -> np.ndarray:
        """The values the integers stand for, in single precision: (q - zero_point) · scale."""
        q = self._data
        if self._axis is None:
            return ((q.astype(np.float32) - np.float32(self._zero_point)) * np.float32(self._scale)).astype(np.float32)
        shape = [1] * q.ndim
        shape[self._axis] = -1
        # per channel, PyTorch's kernel multiplies by the double-precision scale, then rounds to single
        return ((q - self._zero_point.reshape(shape)) * self._scale.reshape(shape)).astype(np.float32)

    def __repr__(self, *, tensor_contents=None) -> str:
        indent = len("tensor(")
        a = self._real()
        body = _tensor_str._body(a, indent) if a.size else "[]"
        suffixes = ["size=" + _tensor_str._tuple_repr(a.shape), f"dtype=torch.{self._qdtype.name}",
                    f"quantization_scheme={self._qscheme!r}"]
        if self._axis is None:
            suffixes += [f"scale={self._scale!r}", f"zero_point={self._zero_point}"]
        else:
            suffixes += [f"scale={_wrap(self._scale)!r}", f"zero_point={_wrap(self._zero_point)!r}",
                         f"axis={self._axis}"]
        return _tensor_str._add_suffixes("tensor(" + body, suffixes, indent)

    __str__ = __repr__

    def clone(self, memory_format=None):
        return _qtensor(self._data.copy(), self._qdtype, self._scale, self._zero_point, self._axis, self._qscheme)

    def detach(self):
        return _qtensor(self._data, self._qdtype, self._scale, self._zero_point, self._axis, self._qscheme)

    def __getitem__(self, index):
        if self._axis is not None:
            raise _no_kernel("index", "QuantizedCPU")
        return _qtensor(self._data[index], self._qdtype, self._scale, self._zero_point, None, self._qscheme)

    def reshape(self, *shape):
        if self._axis is not None:
            raise _no_kernel("reshape", "QuantizedCPU")
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = tuple(shape[0])
        return _qtensor(self._data.reshape(shape), self._qdtype, self._scale, self._zero_point, None, self._qscheme)


def _arith(op):
    """A quantized tensor's operator: PyTorch has no kernel for it (with a Python number, the scalar's wrapper
    tensor cannot even be made)."""
    def method(self, *args, **kwargs):
        if args and not isinstance(args[0], Tensor) and not op.startswith("pow"):
            raise RuntimeError("empty_strided not supported on quantized tensors yet see "
                               "https://github.com/pytorch/pytorch/issues/74540")
        raise _no_kernel("dot" if op == "mm" and self.ndim == 1 else op, "QuantizedCPU")
    method.__name__ = op
    return method


for _dunder, _op in (("__add__", "add.out"), ("__radd__", "add.out"), ("__sub__", "sub.out"),
                     ("__rsub__", "sub.out"), ("__mul__", "mul.out"), ("__rmul__", "mul.out"),
                     ("__truediv__", "div.out"), ("__rtruediv__", "div.out"), ("__neg__", "neg.out"),
                     ("__matmul__", "mm"), ("__pow__", "pow.Tensor_Scalar_out")):
    setattr(QTensor, _dunder, _arith(_op))
del _dunder, _op


def _qtensor(ints, qdtype, scale, zero_point, axis, scheme) -> QTensor:
    t = _new(QTensor)
    t._data = ints
    t._qdtype = qdtype
    t._scale, t._zero_point, t._axis, t._qscheme = scale, zero_point, axis, scheme
    return t


def _check_input(input) -> None:
    if input._data.dtype != np.float32:
        raise RuntimeError(f"Quantize only works on Float Tensor, got {_long_name(input.dtype)}")


def _check_qdtype(dtype) -> None:
    if dtype not in _QDTYPES:
        raise RuntimeError(f"ScalarType {_long_name(dtype)} is not supported in new_qtensor.")


def _quantize(x: np.ndarray, inv, zero_point, qdtype) -> np.ndarray:
    lo, hi = _RANGE[qdtype.name]
    if qdtype is qint32:  # PyTorch's 32-bit kernel adds the zero point in double precision
        q = np.rint((x * inv).astype(np.float64) + zero_point)
    else:
        q = np.rint((x * inv).astype(np.float32) + np.asarray(zero_point, dtype=np.float32))
    with np.errstate(invalid="ignore"):
        return np.clip(q, lo, hi).astype(qdtype.np)


# -- quantize_per_tensor -------------------------------------------------------------------------------------------
# Not differentiable (PyTorch records no gradient formula for it): fake_quantize_per_tensor_affine is the trainable form.

def quantize_per_tensor(input, scale, zero_point, dtype):
    """input as a quantized tensor with one scale and zero point: clamp(round(x / scale) + zero_point) stored in
    ``dtype`` (torch.quint8, qint8 or qint32). A list of tensors takes a tensor of scales and one of zero points
    and gives a tuple."""
    if isinstance(input, (list, tuple)):
        s, z = np.asarray(scale._data, dtype=np.float64), np.asarray(zero_point._data).astype(np.int64)
        return tuple(quantize_per_tensor(x, float(s[i]), int(z[i]), dtype) for i, x in enumerate(input))
    if isinstance(scale, Tensor):
        scale = float(np.float32(scale._data))  # PyTorch reads a tensor scale in single precision
    if isinstance(zero_point, Tensor):
        zero_point = int(zero_point._data)
    _check_qdtype(dtype)
    _check_input(input)
    _warn_deprecated()
    scale, zero_point = float(scale), int(zero_point)
    inv = np.float32(1.0) / np.float32(scale)
    return _qtensor(_quantize(input._data, inv, zero_point, dtype), dtype, scale, zero_point, None,
                    per_tensor_affine)

expose(quantize_per_tensor)


def quantize_per_channel(input, scales, zero_points, axis, dtype):
    """input as a quantized tensor with one scale and zero point per slice along ``axis``"""
    _check_qdtype(dtype)
    _check_input(input)
    if not 0 <= axis < input.ndim:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-input.ndim}, {input.ndim - 1}], "
                         f"but got {axis})")
    n = input.shape[axis]
    if scales.numel() != n:
        raise RuntimeError(f"length of scales must equal to channel, expected {n} got, {scales.numel()}")
    if zero_points.numel() != n:
        raise RuntimeError(f"length of zero_points must equal to channel expected {n} got, {zero_points.numel()}")
    _warn_deprecated()
    s = scales._data.astype(np.float64).reshape(-1)
    z = zero_points._data.astype(np.int64).reshape(-1)
    shape = [1] * input.ndim
    shape[axis] = -1
    inv = (np.float32(1.0) / s.astype(np.float32)).reshape(shape)
    ints = _quantize(input._data, inv, z.reshape(shape), dtype)
    return _qtensor(ints, dtype, s, z, axis, per_channel_affine)

expose(quantize_per_channel)


_SMALL_SCALE = float(np.float32(6.1e-5))


def _choose_qparams(lo: float, hi: float, qmin: int, qmax: int, symmetric: bool = False):
    """PyTorch's ChooseQuantizationParams: the range widened to hold 0 (for ``symmetric``, made symmetric about
    it), scale = range / levels (at least 6.1e-5), the zero point from whichever end loses less, rounded and
    clamped."""
    lo, hi = min(lo, 0.0), max(hi, 0.0)
    if symmetric and lo < 0 < hi:
        sym_min, sym_max = -((qmax - qmin) // 2 + 1), (qmax - qmin) // 2
        widest = max(abs(lo / sym_min), abs(hi / sym_max))
        lo, hi = widest * sym_min, widest * sym_max
    scale = (float(hi) - lo) / (qmax - qmin)
    if float(np.float32(scale)) == 0.0 or np.isinf(np.float32(1.0) / np.float32(scale)):
        scale = 0.1
    if scale < _SMALL_SCALE:
        small, scale = scale, _SMALL_SCALE
        if lo == 0.0:
            hi = _SMALL_SCALE * (qmax - qmin)
        elif hi == 0.0:
            lo = -_SMALL_SCALE * (qmax - qmin)
        else:
            lo, hi = lo * (_SMALL_SCALE / small), hi * (_SMALL_SCALE / small)
    from_min, from_max = qmin - lo / scale, qmax - hi / scale
    err_min, err_max = abs(qmin) - abs(lo / scale), abs(qmax) - abs(hi / scale)
    initial = from_min if err_min < err_max else from_max
    zero = qmin if initial < qmin else qmax if initial > qmax else int(np.rint(initial))
    return scale, zero


def quantize_per_tensor_dynamic(input, dtype, reduce_range):
    """quantize_per_tensor with the scale and zero point chosen from input's range (which is widened to hold 0)"""
    if dtype not in (quint8, qint8):
        raise RuntimeError(f"dtype {_long_name(dtype)} not supported by quantize_per_tensor_dynamic")
    _check_input(input)
    d = input._data
    lo, hi = (float(d.min()), float(d.max())) if d.size else (0.0, 0.0)
    qmin, qmax = (0, 255) if dtype is quint8 else (-128, 127)
    if reduce_range:
        qmin, qmax = (0, 127) if dtype is quint8 else (-64, 63)
    scale, zero = _choose_qparams(lo, hi, qmin, qmax)
    return quantize_per_tensor(input, scale, zero, dtype)

expose(quantize_per_tensor_dynamic)


def _quantized(x, op: str) -> QTensor:
    if not isinstance(x, QTensor):
        raise _no_kernel(op, "CPU")
    return x


def dequantize(input):
    """the real values a quantized tensor stands for, (q - zero_point) · scale, as float32; other tensors pass
    through unchanged. A list of tensors gives a tuple."""
    if isinstance(input, (list, tuple)):
        return tuple(dequantize(t) for t in input)
    if not isinstance(input, QTensor):
        return input
    return _wrap(input._real())

expose(dequantize, method=True)


def int_repr(input):
    """the stored integers of a quantized tensor (uint8, int8 or int32)"""
    return _wrap(_quantized(input, "int_repr")._data.copy())

expose(int_repr, method=True)


def _per_tensor(x, op):
    x = _quantized(x, op)
    if x._axis is not None:
        raise RuntimeError("Expected quantizer->qscheme() == kPerTensorAffine to be true, but got false.  (Could "
                           "this error message be improved?  If so, please report an enhancement request to "
                           "PyTorch.)")
    return x


def _per_channel(x, op):
    x = _quantized(x, op)
    if x._axis is None:
        raise RuntimeError("Expected quantizer->qscheme() == kPerChannelAffine || quantizer->qscheme() == "
                           "kPerChannelAffineFloatQParams to be true, but got false.  (Could this error message be "
                           "improved?  If so, please report an enhancement request to PyTorch.)")
    return x


def q_scale(input) -> float:
    """the scale of a per-tensor quantized tensor"""
    return _per_tensor(input, "q_scale")._scale

expose(q_scale, method=True)


def q_zero_point(input) -> int:
    """the zero point of a per-tensor quantized tensor"""
    return _per_tensor(input, "q_zero_point")._zero_point

expose(q_zero_point, method=True)


def q_per_channel_scales(input):
    """the scales of a per-channel quantized tensor (float64)"""
    return _wrap(_per_channel(input, "q_per_channel_scales")._scale.copy())

expose(q_per_channel_scales, method=True)


def q_per_channel_zero_points(input):
    """the zero points of a per-channel quantized tensor (int64)"""
    return _wrap(_per_channel(input, "q_per_channel_zero_points")._zero_point.copy())

expose(q_per_channel_zero_points, method=True)


def q_per_channel_axis(input) -> int:
    """the dimension a per-channel quantized tensor's scales run along"""
    return _per_channel(input, "q_per_channel_axis")._axis

expose(q_per_channel_axis, method=True)


def qscheme_of(input):
    """the quantization scheme of a quantized tensor (torch.per_tensor_affine or torch.per_channel_affine)"""
    return _quantized(input, "qscheme")._qscheme

expose(qscheme_of, torch=False, method="qscheme")


def empty_quantized(size, qtensor, *, dtype=None, layout=None, device=None, pin_memory=None, memory_format=None):
    """a quantized tensor of ``size`` with ``qtensor``'s dtype, scheme, scale and zero point, its integers
    uninitialised (here: zero)"""
    q = _quantized(qtensor, "empty_quantized")
    return _qtensor(np.zeros(tuple(size), dtype=q._qdtype.np), q._qdtype, q._scale, q._zero_point, q._axis,
                    q._qscheme)

expose(empty_quantized)


# -- kernels on quantized tensors ----------------------------------------------------------------------------------

def _quantized_max_pool(nd: int):
    op = f"quantized_max_pool{nd}d"

    def pool(input, kernel_size, stride=(), padding=0, dilation=1, ceil_mode=False):
        x = _quantized(input, op)
        from ..nn import functional as F  # the float kernel: the max of integers is the integer of the max
        f = getattr(F, f"max_pool{nd}d")
        ints = f(_wrap(x._data.astype(np.float64)), kernel_size, stride=list(stride) or None, padding=padding,
                 dilation=dilation, ceil_mode=ceil_mode)._data
        return _qtensor(ints.astype(x._data.dtype), x._qdtype, x._scale, x._zero_point, x._axis, x._qscheme)

    pool.__name__ = pool.__qualname__ = op
    pool.__doc__ = (f"max_pool{nd}d on a quantized tensor: the maximum of each window's integers, with the input's "
                    "scale and zero point (dequantizing is monotonic, so this is the quantized float max pool)")
    return pool


quantized_max_pool1d = expose(_quantized_max_pool(1))
quantized_max_pool2d = expose(_quantized_max_pool(2))
quantized_max_pool3d = expose(_quantized_max_pool(3))


def quantized_batch_norm(input, weight, bias, mean, var, eps, output_scale, output_zero_point):
    """batch norm in inference mode on a per-tensor quantized tensor: (x - mean) / sqrt(var + eps) · weight + bias
    per channel (dim 1), quantized to ``output_scale`` and ``output_zero_point`` in the input's dtype"""
    x = _per_tensor(_quantized(input, "quantized_batch_norm"), "quantized_batch_norm")
    shape = [1] * x.ndim
    shape[1] = -1
    f = np.float32
    alpha = (weight._data.astype(f) / np.sqrt(var._data.astype(f) + f(eps))).reshape(shape)
    beta = bias._data.astype(f).reshape(shape) - mean._data.astype(f).reshape(shape) * alpha
    y = (x._real() * alpha + beta).astype(f)
    inv = f(1.0) / f(output_scale)
    ints = _quantize(y, inv, int(output_zero_point), x._qdtype)
    return _qtensor(ints, x._qdtype, float(output_scale), int(output_zero_point), None, per_tensor_affine)

expose(quantized_batch_norm)


class FusedMovingAvgObsFqHelperBackward0(Node):
    """y = fake_quantize(x) with the observed scale and zero point:  dx = g where x was not clamped (the
    straight-through estimator), 0 where it was; nothing flows to the observer's state"""

    def backward(self, g):
        return (g * self.mask,)

    def jvp(self, t):
        return t * self.mask


def fused_moving_avg_obs_fake_quant(input, observer_on, fake_quant_on, running_min, running_max, scale, zero_point,
                                    averaging_const, quant_min, quant_max, ch_axis, per_row_fake_quant=False,
                                    symmetric_quant=False):
    """quantization-aware training's observer and fake quantizer in one: where ``observer_on``, running_min/max
    move toward input's min/max by ``averaging_const`` (taking them outright the first time, while they are
    ±inf); where ``fake_quant_on``, scale and zero_point are chosen from the running range (written in place)
    and input is fake-quantized with them, per row of dim 0 for ``per_row_fake_quant``; otherwise input passes
    as it is"""
    if per_row_fake_quant and ch_axis != 0:
        raise RuntimeError("Per-channel FakeQuant in fused_moving_avg_obs_fake_quant is only supported on axis == 0")
    x = input._data
    if per_row_fake_quant and zero_point._data.dtype not in (np.int32, np.float32, np.float16):
        raise RuntimeError(f"Zero-point must be Int32, Float or Half, found {_long_name(zero_point.dtype)}")
    if int(np.asarray(observer_on._data).reshape(-1)[0]) == 1:
        if per_row_fake_quant:
            flat = x.reshape(x.shape[0], -1)
            lo, hi = flat.min(axis=1), flat.max(axis=1)
        else:
            lo, hi = x.min(), x.max()
        rmin, rmax = running_min._data, running_max._data
        first_min, first_max = np.isinf(rmin), np.isinf(rmax)
        c = np.float32(averaging_const)
        new_min = np.where(first_min, lo, rmin + c * (lo - rmin)).astype(rmin.dtype)
        new_max = np.where(first_max, hi, rmax + c * (hi - rmax)).astype(rmax.dtype)
        # written in place without a version bump, as PyTorch's kernel writes them
        running_min._data[...], running_max._data[...] = new_min, new_max
    if int(np.asarray(fake_quant_on._data).reshape(-1)[0]) != 1:
        return _wrap_result(x.copy(), FusedMovingAvgObsFqHelperBackward0, (input,), mask=_wrap(np.ones_like(x)))
    lows = np.asarray(running_min._data, dtype=np.float64).reshape(-1)
    highs = np.asarray(running_max._data, dtype=np.float64).reshape(-1)
    params = [_choose_qparams(float(np.float32(a)), float(np.float32(b)), quant_min, quant_max, symmetric_quant)
              for a, b in zip(lows, highs)]
    scales = np.array([p[0] for p in params], dtype=np.float64)
    zeros = np.array([p[1] for p in params], dtype=np.int64)
    scale._data[...] = scales.astype(scale._data.dtype).reshape(scale._data.shape)
    zero_point._data[...] = zeros.astype(zero_point._data.dtype).reshape(zero_point._data.shape)
    if per_row_fake_quant:
        shape = [-1] + [1] * (x.ndim - 1)
        s = scale._data.astype(x.dtype).reshape(shape)
        y, mask = _fake_quantize(x, s, zero_point._data.reshape(shape), quant_min, quant_max, True)
    else:
        s = float(np.float32(scale._data.reshape(-1)[0]))
        y, mask = _fake_quantize(x, s, int(zero_point._data.reshape(-1)[0]), quant_min, quant_max, True)
    return _wrap_result(y, FusedMovingAvgObsFqHelperBackward0, (input,), mask=mask)

expose(fused_moving_avg_obs_fake_quant)
