"""Comparisons, logical and bitwise ops, and value tests (isnan, isfinite, ...): no gradient."""

from __future__ import annotations

from .._array import np
from .._core import dtype as D
from .._core.args import _promote_pair
from .._core.messages import _bcast_message, _long_name, _no_kernel
from .._core.tensor import Tensor, _wrap
from .creation import as_tensor_arg

__all__ = ["eq", "ne", "lt", "le", "gt", "ge", "logical_and", "logical_or", "logical_xor", "logical_not",
           "bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_not", "isnan", "isinf", "isfinite", "isclose",
           "allclose", "equal", "isin", "signbit", "isposinf", "isneginf"]



def _compare(ufunc):
    def op(a, b):
        if not isinstance(a, Tensor):
            a = as_tensor_arg(a)
        if isinstance(b, (list, tuple)):
            b = as_tensor_arg(b)
        ad, bd = _promote_pair(a, b) if not isinstance(b, Tensor) or b._data.dtype != a._data.dtype \
            else (a._data, b._data)
        try:
            return _wrap(np.asarray(ufunc(ad, bd)))
        except ValueError:
            raise RuntimeError(_bcast_message(np.shape(ad), np.shape(bd))) from None
    op.__name__ = ufunc.__name__
    return op


eq = _compare(np.equal)


ne = _compare(np.not_equal)


lt = _compare(np.less)


le = _compare(np.less_equal)


gt = _compare(np.greater)


ge = _compare(np.greater_equal)


def _logical(ufunc):
    def op(a, b=None):
        if b is None:
            return _wrap(np.asarray(ufunc(a._data)))
        b = as_tensor_arg(b)
        return _wrap(np.asarray(ufunc(a._data, b._data)))
    return op


logical_and = _logical(np.logical_and)


logical_or = _logical(np.logical_or)


logical_xor = _logical(np.logical_xor)


logical_not = _logical(np.logical_not)


def _bitwise(ufunc, name):
    def op(a, b):
        if not isinstance(a, Tensor):
            a = as_tensor_arg(a)
        # PyTorch promotes first (bool & int64 -> int64, a 0-d int64 keeps int32) and has no float kernel
        ad, bd = _promote_pair(a, b)
        if ad.dtype.kind in "fc":
            raise NotImplementedError(f"\"{name}_cpu\" not implemented for "
                                      f"'{_long_name(D.from_numpy_dtype(ad.dtype))}'")
        return _wrap(np.asarray(ufunc(ad, bd)))
    return op


bitwise_and = _bitwise(np.bitwise_and, "bitwise_and")


bitwise_or = _bitwise(np.bitwise_or, "bitwise_or")


bitwise_xor = _bitwise(np.bitwise_xor, "bitwise_xor")


def bitwise_not(a):
    if a._data.dtype.kind in "fc":
        _no_kernel("bitwise_not_cpu", a)
    return _wrap(np.asarray(np.invert(a._data)))


def isnan(a):
    return _wrap(np.asarray(np.isnan(a._data)))


def isinf(a):
    return _wrap(np.asarray(np.isinf(a._data)))


def isfinite(a):
    return _wrap(np.asarray(np.isfinite(a._data)))


def isclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    b = as_tensor_arg(b)
    return _wrap(np.asarray(np.isclose(a._data, b._data, rtol=rtol, atol=atol, equal_nan=equal_nan)))


def allclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False) -> bool:
    b = as_tensor_arg(b)
    return bool(np.allclose(a._data, b._data, rtol=rtol, atol=atol, equal_nan=equal_nan))


def equal(a, b) -> bool:
    return a.shape == b.shape and bool(np.array_equal(a._data, b._data))


def isin(elements, test_elements, *, assume_unique=False, invert=False) -> Tensor:
    e = elements._data if isinstance(elements, Tensor) else np.asarray(elements)
    te = test_elements._data if isinstance(test_elements, Tensor) else np.asarray(test_elements)
    return _wrap(np.asarray(np.isin(e, te, invert=invert)))


def signbit(x):
    return _wrap(np.signbit(x._data))


def isposinf(x):
    return _wrap(np.isposinf(x._data))


def isneginf(x):
    return _wrap(np.isneginf(x._data))
