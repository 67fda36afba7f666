"""softmax and log_softmax along a dim.

Memory: softmax computes in its output's buffer (no temporary of the input's size); log_softmax has one."""

from __future__ import annotations

from .._array import np
from .._core import modes
from .._core.dims import _wrap_dim
from .._core.exposure import expose
from .._core.messages import _long_name
from .._core.node import Node
from .._core.sigs import Sigs
from .._core.tensor import Tensor, _wrap
from ..kernels import fused as KF
from .reduce import sum
from .scan import _record
from .unary import exp

__all__ = ["softmax", "log_softmax"]

_grad_mode, _fw = modes.grad, modes.forward


def _in_dtype(node, gx):
    """the gradient in the input's dtype when the op computed in another (``dtype=``)"""
    return gx if node.in_dtype is None or gx.dtype == node.in_dtype else gx.to(node.in_dtype)


class SoftmaxBackward0(Node):
    """s = softmax(x):  dL/dx = s (g - Σ g s)"""

    in_dtype = None

    def backward(self, g):
        (s,) = self.saved_values()
        d = self.dim
        if not _grad_mode.enabled and _fw.level is None and g._data.dtype == s._data.dtype and s._data.ndim:
            # not recorded: the same formula on the arrays (kernels.fused, which says why plain sums are fine)
            return (_in_dtype(self, _wrap(KF.softmax_backward(g._data, s._data, d))),)
        return (_in_dtype(self, s * (g - sum(g * s, (d,), keepdim=True))),)

    def jvp(self, t):
        (s,) = self.saved_values()
        return s * (t - sum(t * s, (self.dim,), keepdim=True))


class LogSoftmaxBackward0(Node):
    """l = log_softmax(x):  dL/dx = g - e^l Σ g"""

    in_dtype = None

    def backward(self, g):
        (lsm,) = self.saved_values()
        d = self.dim
        if not _grad_mode.enabled and _fw.level is None and g._data.dtype == lsm._data.dtype and lsm._data.ndim:
            return (_in_dtype(self, _wrap(KF.log_softmax_backward(g._data, lsm._data, d))),)
        return (_in_dtype(self, g - exp(lsm) * sum(g, (d,), keepdim=True)),)

    def backward_raw(self, g):
        (lsm,) = self.saved_values()
        ld = lsm._data
        if g.dtype != ld.dtype or not ld.ndim or self.in_dtype is not None:
            return None
        return (KF.log_softmax_backward(g, ld, self.dim),)

    def jvp(self, t):
        (lsm,) = self.saved_values()
        return t - sum(exp(lsm) * t, (self.dim,), keepdim=True)


def _softmax_dim(dim, ndim):
    if dim is None:
        # PyTorch's legacy implicit-dim choice
        dim = 0 if ndim in (0, 1, 3) else 1
    return _wrap_dim(dim, ndim)


def _softmax_int_error(name, x, d):
    # PyTorch has no integer kernel (and says which one it looked for: the last-dim one or the general one)
    kernel = f"{name}_lastdim_kernel_impl" if d == x.ndim - 1 or x.ndim == 0 else f"{name}_kernel_impl"
    raise NotImplementedError(f"\"{kernel}\" not implemented for '{_long_name(x.dtype)}'")


def _input(x, dtype, name, d):
    """x's array in the dtype the op computes in, and whether it is a fresh copy (then it may be overwritten)"""
    if dtype is None and x._data.dtype.kind not in "fc":
        _softmax_int_error(name, x, d)
    if dtype is None:
        return x._data, False
    xd = x._data.astype(dtype.np)
    return xd, xd is not x._data and not np.shares_memory(xd, x._data)


_SOFTMAX = Sigs("softmax", "(Tensor input, int dim, torch.dtype dtype = None)")


def softmax(x, dim=None, dtype=None, _stacklevel=3):
    """e^x / Σ_dim e^x (x shifted by its max along dim; computed in the output's buffer)"""
    if type(x) is not Tensor or not (dim is None or type(dim) is int):  # (None: F.softmax's implicit dim)
        _SOFTMAX.check_call(softmax, x, dim, dtype)
    d = _softmax_dim(dim, x.ndim)
    xd, fresh = _input(x, dtype, "softmax", d)
    if x.ndim == 0:
        r = np.ones_like(xd)
    else:
        m = KF.row_max(xd, d) if xd.size else 0
        with np.errstate(invalid="ignore", over="ignore"):
            r = np.subtract(xd, m, out=xd if fresh else None)
            np.exp(r, out=r)
            r /= np.sum(r, axis=d, keepdims=True)
    return _record(r, SoftmaxBackward0, (x,), keep_out=True, dim=d, in_dtype=None if dtype is None else x.dtype)

expose(softmax, method=True)


_LOG_SOFTMAX = Sigs("log_softmax", "(Tensor input, int dim, torch.dtype dtype = None)")


def log_softmax(x, dim=None, dtype=None, _stacklevel=3):
    """x - log Σ_dim e^x (x shifted by its max along dim; one temporary of x's size)"""
    if type(x) is not Tensor or not (dim is None or type(dim) is int):  # (None: F.softmax's implicit dim)
        _LOG_SOFTMAX.check_call(log_softmax, x, dim, dtype)
    d = _softmax_dim(dim, x.ndim)
    xd, fresh = _input(x, dtype, "log_softmax", d)
    if x.ndim == 0:
        r = np.zeros_like(xd)
    else:
        m = KF.row_max(xd, d) if xd.size else 0
        with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
            r = np.subtract(xd, m, out=xd if fresh else None)
            e = np.exp(r)
            lse = np.sum(e, axis=d, keepdims=True)
            del e
            r -= np.log(lse)
    return _record(r, LogSoftmaxBackward0, (x,), keep_out=True, dim=d,
                   in_dtype=None if dtype is None else x.dtype)

expose(log_softmax, method=True)
