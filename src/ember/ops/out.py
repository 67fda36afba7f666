"""``out=`` on the torch.* functions: the result written into a given tensor, with PyTorch's rules."""

from __future__ import annotations

import builtins
import warnings

from .._array import np
from .._core import modes
from .._core.messages import _long_name
from .._core.tensor import Tensor
from .query import can_cast

_gm = modes.grad


__all__ = ["with_out"]







def with_out(fn, name: str):
    """``fn`` that also accepts ``out=``: the result written into ``out`` (resized when its shape differs)."""
    def wrapper(*args, out=None, **kwargs):
        if out is None:
            return fn(*args, **kwargs)
        if _gm.enabled and builtins.any(isinstance(a, Tensor) and a._rg for a in (*args, out)):
            raise RuntimeError(f"{name}(): functions with out=... arguments don't support automatic "
                               "differentiation, but one of the arguments requires grad.")
        r = fn(*args, **kwargs)
        rd, od = r._data, out._data
        if rd.dtype != od.dtype and not can_cast(r.dtype, out.dtype):
            raise RuntimeError(f"result type {_long_name(r.dtype)} can't be cast to the desired output type "
                               f"{_long_name(out.dtype)}")
        if od.shape != rd.shape:
            if od.size:
                warnings.warn(f"An output with one or more elements was resized since it had shape "
                              f"[{', '.join(map(str, od.shape))}], which does not match the required output shape "
                              f"[{', '.join(map(str, rd.shape))}]. This behavior is deprecated, and in a future "
                              "PyTorch release outputs will not be resized unless they have zero elements. You can "
                              "explicitly reuse an out tensor t by resizing it, inplace, to zero elements with "
                              "t.resize_(0).", UserWarning, stacklevel=2)
            out._data = od = np.empty(rd.shape, dtype=od.dtype)
        np.copyto(od, rd, casting="unsafe")
        out._bump()
        return out
    wrapper.__name__, wrapper.__doc__ = getattr(fn, "__name__", name), fn.__doc__
    wrapper.__wrapped__ = fn
    return wrapper
