"""``out=`` on the torch.* functions: the result written into a given tensor, with PyTorch's rules."""

from __future__ import annotations

import builtins
import inspect
import warnings

from .._array import np
from .._core import modes
from .._core.messages import _cname, _long_name
from .._core.tensor import Tensor
from .query import can_cast

_grad_mode = modes.grad

__all__ = ["with_out", "write_out"]


def with_out(fn, name: str, kind=True):
    """``fn`` that also accepts ``out=``: the result written into ``out`` (resized when its shape differs). A
    ``kind="factory"`` (zeros, arange, randn, ...) makes its result in ``out``'s dtype unless given one: a random
    draw into a float64 ``out`` draws float64 numbers, as PyTorch's does. ``kind="cast"``: the result is cast to
    any ``out`` dtype; ``kind="integer"``: the result is not differentiable, so inputs may require grad. The
    factories and these resize ``out`` without a warning (``kind="arange"`` warns when the sizes differ)."""
    code = getattr(fn, "__code__", None)
    if kind is True and code is not None and code.co_argcount == 1 and not code.co_kwonlyargcount and \
            not code.co_flags & (inspect.CO_VARARGS | inspect.CO_VARKEYWORDS) and not fn.__defaults__:
        def wrapper(x, /, *, out=None):  # a function of one tensor (exp, tanh, ...): no argument packing
            if out is None:
                return fn(x)
            return _write(x, out=out)
        _write = _with_out_slow(fn, name, kind)
    else:
        wrapper = _with_out_slow(fn, name, kind)
    wrapper.__name__, wrapper.__doc__ = getattr(fn, "__name__", name), fn.__doc__
    wrapper.__wrapped__ = fn
    return wrapper


def _with_out_slow(fn, name, kind):
    factory, cast, integer = kind in ("factory", "arange"), kind == "cast", kind == "integer"

    def wrapper(*args, out=None, **kwargs):
        if out is None:
            return fn(*args, **kwargs)
        if factory and kwargs.get("dtype") is None:
            kwargs["dtype"] = out.dtype
        if not integer and _grad_mode.enabled and builtins.any(isinstance(a, Tensor) and a._requires_grad for a in (*args, out)):
            raise RuntimeError(f"{name}(): functions with out=... arguments don't support automatic "
                               "differentiation, but one of the arguments requires grad.")
        c_names = getattr(fn, "cast_error_c_names", None)  # (see inplace.apply_inplace)
        return write_out(out, fn(*args, **kwargs), kind, cast,
                         c_names is not None and c_names(args[1:], kwargs))
    wrapper.__name__, wrapper.__doc__ = getattr(fn, "__name__", name), fn.__doc__
    wrapper.__wrapped__ = fn
    return wrapper


def write_out(out, r, kind=True, cast=False, c_names=False):
    """``r`` written into ``out`` (resized, with PyTorch's warning when it had elements, if the shapes differ):
    what ``with_out`` does once the result is computed, for functions that check ``out`` themselves first."""
    rd, od = r._data, out._data
    if rd.dtype != od.dtype and not cast and not can_cast(r.dtype, out.dtype):
        raise RuntimeError(f"result type {_long_name(r.dtype)} can't be cast to the desired output type "
                           f"{_cname(od) if c_names else _long_name(out.dtype)}")
    if od.shape != rd.shape:
        if kind == "arange" and od.size and od.size != rd.size:
            warnings.warn(f"The number of elements in the out tensor of shape [{', '.join(map(str, od.shape))}] "
                          f"is {od.size} which does not match the computed number of elements {rd.size}. Note "
                          "that this may occur as a result of rounding error. The out tensor will be resized to a "
                          f"tensor of shape ({rd.size},).", UserWarning, stacklevel=3)
        if od.size and kind is True:
            warnings.warn(f"An output with one or more elements was resized since it had shape "
                          f"[{', '.join(map(str, od.shape))}], which does not match the required output shape "
                          f"[{', '.join(map(str, rd.shape))}]. This behavior is deprecated, and in a future "
                          "PyTorch release outputs will not be resized unless they have zero elements. You can "
                          "explicitly reuse an out tensor t by resizing it, inplace, to zero elements with "
                          "t.resize_(0).", UserWarning, stacklevel=3)
        out._data = od = np.empty(rd.shape, dtype=od.dtype)
    np.copyto(od, rd, casting="unsafe")
    out._bump()
    return out
