"""Comparisons, logical and bitwise ops, and value tests (isnan, isfinite, ...): no gradient."""

from __future__ import annotations

from .._array import np
from .._core import dtype as D
from .._core.args import _promote_pair
from .._core.exposure import expose
from .._core.messages import _bcast_message, _long_name, _no_kernel
from .._core.tensor import Tensor, _wrap
from .creation import as_tensor_arg
from .inplace import check_inplace

__all__ = ["eq", "ne", "lt", "le", "gt", "ge", "logical_and", "logical_or", "logical_xor", "logical_not",
           "bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_not", "isnan", "isinf", "isfinite", "isclose",
           "allclose", "equal", "isin", "signbit", "isposinf", "isneginf"]





def _compare(ufunc, name):
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
    op.__name__ = name
    return op


eq = _compare(np.equal, "eq")

expose(eq, method=True, operators=('__eq__',))


ne = _compare(np.not_equal, "ne")

expose(ne, torch=('ne', 'not_equal'), method=('ne', 'not_equal'), operators=('__ne__',))


lt = _compare(np.less, "lt")

expose(lt, torch=('less', 'lt'), method=('less', 'lt'), operators=('__lt__',))


le = _compare(np.less_equal, "le")

expose(le, torch=('le', 'less_equal'), method=('le', 'less_equal'), operators=('__le__',))


gt = _compare(np.greater, "gt")

expose(gt, torch=('greater', 'gt'), method=('greater', 'gt'), operators=('__gt__',))


ge = _compare(np.greater_equal, "ge")

expose(ge, torch=('ge', 'greater_equal'), method=('ge', 'greater_equal'), operators=('__ge__',))


def _logical(ufunc, name):
    def op(a, b=None):
        if b is None:
            return _wrap(np.asarray(ufunc(a._data)))
        b = as_tensor_arg(b)
        return _wrap(np.asarray(ufunc(a._data, b._data)))
    op.__name__ = name
    return op


logical_and = _logical(np.logical_and, "logical_and")

expose(logical_and, method=True, inplace=True)


logical_or = _logical(np.logical_or, "logical_or")

expose(logical_or, method=True, inplace=True)


logical_xor = _logical(np.logical_xor, "logical_xor")

expose(logical_xor, method=True, inplace=True)


logical_not = _logical(np.logical_not, "logical_not")

expose(logical_not, method=True, inplace=True)


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
    op.__name__ = name
    return op


bitwise_and = _bitwise(np.bitwise_and, "bitwise_and")

expose(bitwise_and, method=True, inplace=True, operators=('__and__', '__rand__'))


bitwise_or = _bitwise(np.bitwise_or, "bitwise_or")

expose(bitwise_or, method=True, inplace=True, operators=('__or__', '__ror__'))


bitwise_xor = _bitwise(np.bitwise_xor, "bitwise_xor")

expose(bitwise_xor, method=True, inplace=True, operators=('__rxor__', '__xor__'))


def bitwise_not(a):
    if a._data.dtype.kind in "fc":
        _no_kernel("bitwise_not_cpu", a)
    return _wrap(np.asarray(np.invert(a._data)))

expose(bitwise_not, method=True, inplace=True)


def isnan(a):
    return _wrap(np.asarray(np.isnan(a._data)))

expose(isnan, method=True)


def isinf(a):
    return _wrap(np.asarray(np.isinf(a._data)))

expose(isinf, method=True)


def isfinite(a):
    return _wrap(np.asarray(np.isfinite(a._data)))

expose(isfinite, method=True)


def isclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    b = as_tensor_arg(b)
    return _wrap(np.asarray(np.isclose(a._data, b._data, rtol=rtol, atol=atol, equal_nan=equal_nan)))

expose(isclose, method=True)


def allclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False) -> bool:
    b = as_tensor_arg(b)
    return bool(np.allclose(a._data, b._data, rtol=rtol, atol=atol, equal_nan=equal_nan))

expose(allclose, method=True)


def equal(a, b) -> bool:
    return a.shape == b.shape and bool(np.array_equal(a._data, b._data))

expose(equal, method=True)


def isin(elements, test_elements, *, assume_unique=False, invert=False) -> Tensor:
    e = elements._data if isinstance(elements, Tensor) else np.asarray(elements)
    te = test_elements._data if isinstance(test_elements, Tensor) else np.asarray(test_elements)
    return _wrap(np.asarray(np.isin(e, te, invert=invert)))

expose(isin)


def signbit(x):
    return _wrap(np.signbit(x._data))

expose(signbit, method=True)


def isposinf(x):
    return _wrap(np.isposinf(x._data))

expose(isposinf, method=True)


def isneginf(x):
    return _wrap(np.isneginf(x._data))

expose(isneginf, method=True)


def _compare_inplace(compare, name):
    def method(x, other):
        """the comparison written into x as x's dtype (1 / 0)"""
        check_inplace(x)
        r = compare(x, other)
        x._data[...] = r._data.astype(x._data.dtype)
        x._bump()
        return x
    method.__name__ = name
    return method


for _compare, _names in ((eq, ("eq_",)), (ne, ("ne_", "not_equal_")), (lt, ("lt_", "less_")),
                         (le, ("le_", "less_equal_")), (gt, ("gt_", "greater_")), (ge, ("ge_", "greater_equal_"))):
    expose(_compare_inplace(_compare, _names[0]), torch=False, method=_names)


def _invert(a):
    """~a: logical not for bools, bitwise not for integers"""
    return logical_not(a) if a._data.dtype == np.bool_ else bitwise_not(a)

expose(_invert, torch=False, operators="__invert__")
