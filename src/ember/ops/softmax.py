"""softmax and log_softmax along a dim."""

from __future__ import annotations

from .._array import np
from .._core.args import _float_data
from .._core.dims import _wrap_dim
from .._core.exposure import expose
from .._core.messages import _long_name
from .._core.node import Node
from .._core.record import _out, _saved_output
from .reduce import sum
from .unary import exp

__all__ = ["softmax", "log_softmax"]



class SoftmaxBackward0(Node):
    """s = softmax(x):  dL/dx = s (g - Σ g s)"""

    def backward(self, g):
        (s,) = self.saved_values()
        d = self.dim
        return (s * (g - sum(g * s, (d,), keepdim=True)),)


class LogSoftmaxBackward0(Node):
    """l = log_softmax(x):  dL/dx = g - e^l Σ g"""

    def backward(self, g):
        (lsm,) = self.saved_values()
        d = self.dim
        return (g - exp(lsm) * sum(g, (d,), keepdim=True),)


def _softmax_dim(dim, ndim):
    if dim is None:
        # PyTorch's legacy implicit-dim choice
        dim = 0 if ndim in (0, 1, 3) else 1
    return _wrap_dim(dim, ndim)


def _softmax_int_error(name, x, d):
    # PyTorch has no integer kernel (and says which one it looked for: the last-dim one or the general one)
    kernel = f"{name}_lastdim_kernel_impl" if d == x.ndim - 1 or x.ndim == 0 else f"{name}_kernel_impl"
    raise NotImplementedError(f"\"{kernel}\" not implemented for '{_long_name(x.dtype)}'")


def softmax(x, dim=None, dtype=None, _stacklevel=3):
    """e^x / Σ_dim e^x"""
    d = _softmax_dim(dim, x.ndim)
    if dtype is None and x._data.dtype.kind not in "fc":
        _softmax_int_error("softmax", x, d)
    xd = _float_data(x) if dtype is None else x._data.astype(dtype.np)
    if x.ndim == 0:
        r = np.ones_like(xd)
    else:
        m = np.max(xd, axis=d, keepdims=True) if xd.size else 0
        e = np.exp(xd - m)
        r = e / np.sum(e, axis=d, keepdims=True)
    t = _out(r, SoftmaxBackward0, (x,))
    if t.grad_fn is not None:
        t.grad_fn.saved, t.grad_fn.versions, t.grad_fn.dim = (_saved_output(t.grad_fn, t),), (0,), d
    return t

expose(softmax, method=True)


def log_softmax(x, dim=None, dtype=None, _stacklevel=3):
    """x - log Σ_dim e^x"""
    d = _softmax_dim(dim, x.ndim)
    if dtype is None and x._data.dtype.kind not in "fc":
        _softmax_int_error("log_softmax", x, d)
    xd = _float_data(x) if dtype is None else x._data.astype(dtype.np)
    if x.ndim == 0:
        r = np.zeros_like(xd)
    else:
        m = np.max(xd, axis=d, keepdims=True) if xd.size else 0
        sh = xd - m
        r = sh - np.log(np.sum(np.exp(sh), axis=d, keepdims=True))
    t = _out(r, LogSoftmaxBackward0, (x,))
    if t.grad_fn is not None:
        t.grad_fn.saved, t.grad_fn.versions, t.grad_fn.dim = (_saved_output(t.grad_fn, t),), (0,), d
    return t

expose(log_softmax, method=True)
