"""Comparisons, logical and bitwise ops, and value tests (isnan, isfinite, ...): no gradient."""

from __future__ import annotations

from .._array import np
from .._core import dtype as D
from .._core.args import _promote_pair
from .._core.exposure import expose
from .._core.messages import _bcast_message, _long_name, _no_kernel
from .._core.sigs import Sigs
from .._core.tensor import Tensor, _wrap
from .creation import as_tensor_arg
from .inplace import check_inplace

__all__ = ["eq", "ne", "lt", "le", "gt", "ge", "logical_and", "logical_or", "logical_xor", "logical_not",
           "bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_not", "isnan", "isinf", "isfinite", "isclose",
           "allclose", "equal", "isin", "signbit", "isposinf", "isneginf"]





def _shape_str(shape) -> str:
    return "[" + ", ".join(map(str, shape)) + "]"


def _apply(ufunc, ad, bd):
    try:
        return np.asarray(ufunc(ad, bd))
    except ValueError:
        raise RuntimeError(_bcast_message(np.shape(ad), np.shape(bd))) from None


def _into(x, r, name=None):
    """r written into x in place (cast to x's dtype), as PyTorch's ``x.op_(other)``: r must not be larger"""
    if r.shape != x._data.shape:
        raise RuntimeError(f"output with shape {_shape_str(x.shape)} doesn't match the broadcast shape "
                           f"{_shape_str(r.shape)}")
    x._data[...] = r.astype(x._data.dtype, copy=False)
    x._bump()
    return x


def _other_tensor(b, name, position):
    if not isinstance(b, Tensor):
        raise TypeError(f"{name}(): argument 'other' (position {position}) must be Tensor, not {type(b).__name__}")


def _compare(ufunc, name):
    S = Sigs(name, "(Tensor input, Tensor other, *, Tensor out = None)",
             "(Tensor input, Number other, *, Tensor out = None)")

    def op(a, b):
        """a {sym} b, elementwise (PyTorch-promoted; a bool tensor)"""
        if type(a) is not Tensor or (type(b) is not Tensor and type(b) is not float and type(b) is not int):
            S.check(a, b)  # (2 == t reaches t.__eq__: the first operand of torch.eq is a tensor)
        ad, bd = _promote_pair(a, b) if not isinstance(b, Tensor) or b._data.dtype != a._data.dtype \
            else (a._data, b._data)
        return _wrap(_apply(ufunc, ad, bd))
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
    S = Sigs(name, "(Tensor input, *, Tensor out = None)" if name == "logical_not" else
             "(Tensor input, Tensor other, *, Tensor out = None)")

    def op(a, b=None):
        """the logical op on a (and b): true where nonzero; a bool tensor"""
        if type(a) is not Tensor:
            S.check(a) if b is None else S.check(a, b)
        if b is None:
            return _wrap(np.asarray(ufunc(a._data)))
        _other_tensor(b, name, 2)
        return _wrap(_apply(ufunc, a._data, b._data))
    op.__name__ = name
    return op


def _logical_inplace(ufunc, name):
    def method(x, other):
        """the logical op written into x as x's dtype (1 / 0)"""
        check_inplace(x)
        _other_tensor(other, name, 1)
        return _into(x, _apply(ufunc, x._data, other._data))
    method.__name__ = name
    return method


logical_and = _logical(np.logical_and, "logical_and")

expose(logical_and, method=True)
expose(_logical_inplace(np.logical_and, "logical_and_"), torch=False, method=True)


logical_or = _logical(np.logical_or, "logical_or")

expose(logical_or, method=True)
expose(_logical_inplace(np.logical_or, "logical_or_"), torch=False, method=True)


logical_xor = _logical(np.logical_xor, "logical_xor")

expose(logical_xor, method=True)
expose(_logical_inplace(np.logical_xor, "logical_xor_"), torch=False, method=True)


logical_not = _logical(np.logical_not, "logical_not")

expose(logical_not, method=True, inplace=True)


def _bitwise(ufunc, name):
    S = Sigs(name, "(Tensor input, Tensor other, *, Tensor out = None)", "(Number self, Tensor other)",
             "(Tensor input, Number other, *, Tensor out = None)")

    def op(a, b):
        """the bitwise op on integers and bools (PyTorch-promoted; no float kernel)"""
        if type(a) is not Tensor or (type(b) is not Tensor and type(b) is not int and type(b) is not bool):
            S.check(a, b)
        if not isinstance(a, Tensor):
            a = as_tensor_arg(a)
        # PyTorch promotes first (bool & int64 -> int64, a 0-d int64 keeps int32) and has no float kernel
        ad, bd = _promote_pair(a, b)
        if ad.dtype.kind in "fc":
            raise NotImplementedError(f"\"{name}_cpu\" not implemented for "
                                      f"'{_long_name(D.from_numpy_dtype(ad.dtype))}'")
        return _wrap(_apply(ufunc, ad, bd))
    op.__name__ = name
    return op


def _bitwise_inplace(op, name):
    def method(x, other):
        """the bitwise op written into x: its result type must cast to x's dtype"""
        check_inplace(x)
        other = other if isinstance(other, Tensor) else as_tensor_arg(other)
        rt = D.from_numpy_dtype(_promote_pair(x, other)[0].dtype)
        if rt.category > x.dtype.category:
            raise RuntimeError(f"result type {_long_name(rt)} can't be cast to the desired output type "
                               f"{_long_name(x.dtype)}")
        return _into(x, op(x, other)._data)
    method.__name__ = name
    return method


bitwise_and = _bitwise(np.bitwise_and, "bitwise_and")

expose(bitwise_and, method=True, operators=('__and__', '__rand__'))
expose(_bitwise_inplace(bitwise_and, "bitwise_and_"), torch=False, method=True, operators=('__iand__',))


bitwise_or = _bitwise(np.bitwise_or, "bitwise_or")

expose(bitwise_or, method=True, operators=('__or__', '__ror__'))
expose(_bitwise_inplace(bitwise_or, "bitwise_or_"), torch=False, method=True, operators=('__ior__',))


bitwise_xor = _bitwise(np.bitwise_xor, "bitwise_xor")

expose(bitwise_xor, method=True, operators=('__rxor__', '__xor__'))
expose(_bitwise_inplace(bitwise_xor, "bitwise_xor_"), torch=False, method=True, operators=('__ixor__',))


def bitwise_not(a):
    """~a on integers and bools"""
    if a._data.dtype.kind in "fc":
        _no_kernel("bitwise_not_cpu", a)
    return _wrap(np.asarray(np.invert(a._data)))

expose(bitwise_not, method=True, inplace=True)


_ISNAN = Sigs("isnan", "(Tensor input)")


def isnan(a):
    """True where a is NaN"""
    if type(a) is not Tensor:
        _ISNAN.check(a)
    return _wrap(np.asarray(np.isnan(a._data)))

expose(isnan, method=True)


def isinf(a):
    """True where a is ±inf"""
    return _wrap(np.asarray(np.isinf(a._data)))

expose(isinf, method=True)


def isfinite(a):
    """True where a is neither NaN nor ±inf"""
    return _wrap(np.asarray(np.isfinite(a._data)))

expose(isfinite, method=True)


def _close_args(a, b, rtol, atol, name):
    _other_tensor(b, name, 2)
    if a._data.dtype != b._data.dtype:
        raise RuntimeError(f"{_long_name(a.dtype)} did not match {_long_name(b.dtype)}")
    if rtol < 0:
        raise RuntimeError(f"rtol must be greater than or equal to zero, but got {rtol:g}")
    if atol < 0:
        raise RuntimeError(f"atol must be greater than or equal to zero, but got {atol:g}")
    try:
        np.broadcast_shapes(a.shape, b.shape)
    except ValueError:
        raise RuntimeError(_bcast_message(a.shape, b.shape)) from None


def isclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    """|a - b| <= atol + rtol |b|, elementwise (inf only close to itself; NaN to NaN with ``equal_nan``)"""
    _close_args(a, b, rtol, atol, "isclose")
    return _wrap(np.asarray(np.isclose(a._data, b._data, rtol=rtol, atol=atol, equal_nan=equal_nan)))

expose(isclose, method=True)


def allclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False) -> bool:
    """isclose(a, b) everywhere, as a Python bool"""
    _close_args(a, b, rtol, atol, "allclose")
    return bool(np.allclose(a._data, b._data, rtol=rtol, atol=atol, equal_nan=equal_nan))

expose(allclose, method=True)


def equal(a, b) -> bool:
    """True when a and b have the same shape and values (NaN equals nothing)"""
    return a.shape == b.shape and bool(np.array_equal(a._data, b._data))

expose(equal, method=True)


def isin(elements, test_elements, *, assume_unique=False, invert=False) -> Tensor:
    e = elements._data if isinstance(elements, Tensor) else np.asarray(elements)
    te = test_elements._data if isinstance(test_elements, Tensor) else np.asarray(test_elements)
    return _wrap(np.asarray(np.isin(e, te, invert=invert)))

expose(isin)


def signbit(x):
    """True where x's sign bit is set (-0.0 included)"""
    return _wrap(np.asarray(np.signbit(x._data)))

expose(signbit, method=True)


def isposinf(x):
    """True where x is +inf"""
    return _wrap(np.asarray(np.isposinf(x._data)))

expose(isposinf, method=True)


def isneginf(x):
    """True where x is -inf"""
    return _wrap(np.asarray(np.isneginf(x._data)))

expose(isneginf, method=True)


def _compare_inplace(compare, name):
    def method(x, other):
        """the comparison written into x as x's dtype (1 / 0)"""
        check_inplace(x)
        return _into(x, compare(x, other)._data)
    method.__name__ = name
    return method


for _compare, _names in ((eq, ("eq_",)), (ne, ("ne_", "not_equal_")), (lt, ("lt_", "less_")),
                         (le, ("le_", "less_equal_")), (gt, ("gt_", "greater_")), (ge, ("ge_", "greater_equal_"))):
    expose(_compare_inplace(_compare, _names[0]), torch=False, method=_names)


def _invert(a):
    """~a: logical not for bools, bitwise not for integers"""
    if a._data.dtype.kind in "fc":
        raise TypeError("~ (operator.invert) is only implemented on integer and Boolean-type tensors")
    return logical_not(a) if a._data.dtype == np.bool_ else bitwise_not(a)

expose(_invert, torch=False, operators="__invert__")
