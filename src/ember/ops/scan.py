"""Scans and differences along a dim: cumsum, cumprod, cummax, cummin, logcumsumexp, diff, trapezoid, gradient.

Each op is one block: its node (the derivative in the docstring; ``backward`` gives dL/dx from dL/dy, ``jvp`` the
output's tangent from the input's), the function, its exposure. A scan's node records its ``dim`` when it is made.
"""

from __future__ import annotations

import builtins
import numbers

from .._array import np
from .._core import dtype as D
from .._core import modes
from .._core.args import _tensor_arg
from .._core.dims import _wrap_dim
from .._core.exposure import expose
from .._core.messages import _long_name
from .._core.node import Node
from .._core.record import _edge, _forward, _forward_node, _saved_output, _wrap_result, zeros_like_shape
from .._core.sigs import Sigs
from .._core.tensor import Tensor, _wrap
from ..kernels.memory import BLOCK, cumsum_wide
from ..return_types import minmax_result
from .binary import _div_scalar, _mul_scalar
from .inplace import copy_from
from .join import cat
from .pointwise import where
from .shape import flip, narrow
from .unary import exp, log

__all__ = ["cumsum", "cumprod", "trapezoid", "cumulative_trapezoid", "trapz", "gradient", "diff", "cummax",
           "cummin", "logcumsumexp"]


_grad_mode = modes.grad
_fw = modes.forward
_ndarray = np.ndarray


def _record(r, node_cls, inputs, saved=(), versions=None, keep_out=False, **attrs):
    """Wrap the array ``r`` and record ``node_cls`` on ``inputs`` with everything its derivative needs, given at
    recording time: ``saved`` (versions checked at backward, or ``versions``; None where a change does not matter),
    the output itself when ``keep_out``, other attributes. The node is made when grad mode is on and an input
    requires grad, or (forward mode) when an input has a tangent. The recorder of the reductions, scans, sorts and
    softmax (this module is the one the others of the family import)."""
    if not isinstance(r, _ndarray):  # NumPy scalars (a meta array stays one)
        r = np.asarray(r)
    t = _wrap(r)
    node = None
    if _grad_mode.enabled:
        for x in inputs:
            if x is not None and x._requires_grad:
                node = node_cls(tuple(_edge(x) if x is not None else None for x in inputs))
                break
    if node is None:
        node = _forward_node(node_cls, inputs)
        if node is None:
            return t
    if versions is None:
        versions = tuple(s._version if isinstance(s, Tensor) else None for s in saved)
    if keep_out:
        saved, versions = saved + (_saved_output(node, t),), versions + (0,)
    if saved:
        node.saved, node.versions = saved, versions
    for k, v in attrs.items():
        setattr(node, k, v)
    node.out_shape = r.shape
    if not node.forward_only:
        t.grad_fn = node
        t._requires_grad = True
    if _fw.level is not None:
        _forward(t, node, node_cls, inputs)
    return t


def _const(a):
    """A tensor of ``a`` that no gradient flows through (masks inside a derivative)."""
    return _wrap(np.asarray(a))


def _rev_cumsum(g, d):
    """Σ_{i>=j} g_i along dim d (the adjoint of a cumsum)"""
    return flip(cumsum(flip(g, (d,)), d), (d,))


# =====================================================================================================
# cumsum, cumprod
# =====================================================================================================

class CumsumBackward0(Node):
    """c_i = Σ_{j<=i} x_j:  dL/dx_j = Σ_{i>=j} g_i (a reversed cumsum)"""

    dtype = None  # the dtype= asked for; the gradient goes back in the input's dtype

    def backward(self, g):
        if self.dtype is not None and g.dtype != self.in_dtype:
            g = g.to(self.in_dtype)  # PyTorch sums the gradient back in the input's dtype
        return (g if g.ndim == 0 else _rev_cumsum(g, self.dim),)

    def jvp(self, t):
        return cumsum(t, self.dim, dtype=self.dtype)


_CUMSUM = Sigs("cumsum", "(Tensor input, int dim, *, torch.dtype dtype = None, Tensor out = None)")


def cumsum(x, dim, dtype=None):
    """running sum along ``dim``"""
    if type(x) is not Tensor or type(dim) is not int:
        _CUMSUM.check_call(cumsum, x, dim, dtype)
    if type(x) is not Tensor:
        _tensor_arg("cumsum", ("input", 1, x))
    d = _wrap_dim(dim, x.ndim)
    xd = x._data if dtype is None else x._data.astype(dtype.np)
    if xd.dtype.kind in "bui" and dtype is None:
        xd = xd.astype(np.int64)
    extra = {} if dtype is None else {"dtype": dtype, "in_dtype": x.dtype}
    if x.ndim == 0:
        r = xd.copy()
    elif xd.dtype in (np.float32, np.float16):  # PyTorch's CPU kernel accumulates float in double, half in float
        acc = np.float64 if xd.dtype == np.float32 else np.float32
        r = cumsum_wide(xd, d, acc) if xd.size > BLOCK else np.cumsum(xd, axis=d, dtype=acc).astype(xd.dtype)
    else:
        r = np.cumsum(xd, axis=d)
    return _wrap_result(r, CumsumBackward0, (x,), dim=d, **extra)

expose(cumsum, method=True, inplace=True, out=True)


def _first_zero(x, d):
    """Masks of each slice along d: the positions before its first zero, and the first zero itself."""
    zeros_upto = np.cumsum(x._data == 0, axis=d)
    return zeros_upto == 0, (x._data == 0) & (zeros_upto == 1)


class CumprodBackward0(Node):
    """c_i = Π_{j<=i} x_j:  dL/dx_j = Σ_{i>=j} g_i Π_{k<=i, k≠j} x_k

    Without a zero in the slice that is Σ_{i>=j} g_i c_i / x_j. With one, it holds before the first zero x_z;
    at z it is Σ_{i>=z} g_i c'_i, with c' the cumprod of x with x_z set to 1; after z it is 0."""

    def backward(self, g):
        x, c = self.saved_values()
        d = self.dim
        if x.ndim == 0 or x.numel() == 0:
            return (g,)
        before, first = _first_zero(x, d)
        sums = _rev_cumsum(g * c, d)
        if before.all():
            return (sums / x,)
        before, first = _const(before), _const(first)
        part = where(before, sums / where(before, x, 1.0), 0.0)
        c1 = cumprod(where(first, 1.0, x), d)
        return (part + where(first, _rev_cumsum(g * c1, d), 0.0),)

    def jvp(self, t):
        x, c = self.saved_values()
        d = self.dim
        if x.ndim == 0 or x.numel() == 0:
            return t
        before, first = _first_zero(x, d)
        if before.all():
            return cumsum(t / x, d) * c
        before_t, first_t = _const(before), _const(first)
        part = cumsum(where(before_t, t / where(before_t, x, 1.0), 0.0), d) * c
        c1 = cumprod(where(first_t, 1.0, x), d)
        t_zero = where(first_t, t, 0.0).sum(d, keepdim=True)
        return part + where(_const(~before), c1 * t_zero, 0.0)


_CUMPROD = Sigs("cumprod", "(Tensor input, int dim, *, torch.dtype dtype = None, Tensor out = None)")


def cumprod(x, dim, dtype=None):
    """running product along ``dim``"""
    if type(x) is not Tensor or type(dim) is not int:
        _CUMPROD.check_call(cumprod, x, dim, dtype)
    if type(x) is not Tensor:
        _tensor_arg("cumprod", ("input", 1, x))
    d = _wrap_dim(dim, x.ndim)
    xd = x._data if dtype is None else x._data.astype(dtype.np)
    if xd.dtype.kind in "bui" and dtype is None:
        xd = xd.astype(np.int64)
    return _record(np.cumprod(xd, axis=d) if x.ndim else xd.copy(), CumprodBackward0, (x,), saved=(x,), keep_out=True,
                dim=d)

expose(cumprod, method=True, inplace=True)


# =====================================================================================================
# cummax, cummin, logcumsumexp
# =====================================================================================================

class CummaxBackward0(Node):
    """(v, i) = cummax(x, dim), v_k = x_{i_k}:  dL/dx_j = Σ g_k over the k with i_k = j"""

    def backward(self, g):
        (idx,) = self.saved_values()
        if g.ndim == 0:
            return (g,)
        return (zeros_like_shape(g, self.shape).scatter_add(self.dim, idx, g),)

    def jvp(self, t):
        (idx,) = self.saved_values()
        return t.reshape(()) if t.ndim == 0 else t.gather(self.dim, idx)


class CumminBackward0(CummaxBackward0):
    """(v, i) = cummin(x, dim), v_k = x_{i_k}:  dL/dx_j = Σ g_k over the k with i_k = j"""


def _cum_ext(x, dim, op, node_cls, name):
    """Running max/min along dim, and where each was found: the last of equal values, NaN once one is met (its
    own index), as PyTorch's kernel."""
    if x.ndim == 0 and dim not in (0, -1):
        raise IndexError(f"{name}(): Expected reduction dim -1 or 0 for scalar but got {dim}")
    d = _wrap_dim(dim, x.ndim)
    xd = x._data
    if x.ndim == 0:
        vals, idx = xd.copy(), np.zeros((), np.int64)
    else:
        vals = op.accumulate(xd, axis=d)
        with np.errstate(invalid="ignore"):
            take = xd == vals
            if xd.dtype.kind == "f":
                take |= np.isnan(xd)
        pos = np.arange(xd.shape[d], dtype=np.int64).reshape((-1,) + (1,) * (xd.ndim - d - 1))
        idx = np.maximum.accumulate(np.where(take, pos, 0), axis=d) if xd.size else np.zeros(xd.shape, np.int64)
    idx_t = _wrap(np.ascontiguousarray(idx, dtype=np.int64) if x.ndim else idx)
    v = _record(vals, node_cls, (x,), saved=(idx_t,), versions=(None,), shape=x.shape, dim=d)
    return minmax_result(v, idx_t, name)


_CUMMAX = Sigs("cummax", "(Tensor input, int dim, *, tuple of Tensors out = None)")


def cummax(x, dim):
    """(running max along dim, the index it came from)"""
    if type(x) is not Tensor or type(dim) is not int:
        _CUMMAX.check_call(cummax, x, dim)
    return _cum_ext(x, dim, np.maximum, CummaxBackward0, "cummax")

expose(cummax, method=True)


_CUMMIN = Sigs("cummin", "(Tensor input, int dim, *, tuple of Tensors out = None)")


def cummin(x, dim):
    """(running min along dim, the index it came from)"""
    if type(x) is not Tensor or type(dim) is not int:
        _CUMMIN.check_call(cummin, x, dim)
    return _cum_ext(x, dim, np.minimum, CumminBackward0, "cummin")

expose(cummin, method=True)


class LogcumsumexpBackward0(Node):
    """r_i = log Σ_{j<=i} e^(x_j):  dL/dx_j = Σ_{i>=j} g_i e^(x_j - r_i)

    Computed in the log domain, the positive and negative parts of g apart: e^(x_j + rlse(log g⁺ - r))_j -
    e^(x_j + rlse(log g⁻ - r))_j, with rlse the reversed logcumsumexp (no overflow for large x)."""

    def backward(self, g):
        x, r = self.saved_values()
        d = self.dim
        if g.ndim == 0 or g.numel() == 0:
            return (g,)
        lowest = float(np.finfo(g._data.dtype).min)  # log 0, kept finite so that lowest - r is no NaN
        out = None
        for part in (_const(g._data > 0), _const(g._data < 0)):
            log_g = where(part, log(where(part, g, 1.0).abs()), lowest)
            term = exp(flip(logcumsumexp(flip(log_g - r, (d,)), d), (d,)) + x)
            out = term if out is None else out - term
        return (out,)

    def jvp(self, t):
        (x, r) = self.saved_values()
        d = self.dim
        if x.ndim == 0 or x.numel() == 0:
            return t
        m = np.max(x._data, axis=d, keepdims=True)
        e = exp(x - _const(np.where(np.isfinite(m), m, 0)))  # shifted by the slice's max: no overflow
        return cumsum(t * e, d) / cumsum(e, d)


_LOGCUMSUMEXP = Sigs("logcumsumexp", "(Tensor input, int dim, *, Tensor out = None)")


def logcumsumexp(x, dim):
    """log Σ_{j<=i} e^(x_j) along dim, as a running log-add-exp (stable for any x)"""
    if type(x) is not Tensor or type(dim) is not int:
        _LOGCUMSUMEXP.check_call(logcumsumexp, x, dim)
    d = _wrap_dim(dim, x.ndim)
    xd = x._data
    if xd.dtype.kind not in "fc":
        raise NotImplementedError(f"\"logcumsumexp_out_cpu\" not implemented for '{_long_name(x.dtype)}'")
    with np.errstate(invalid="ignore", over="ignore"):
        r = np.logaddexp.accumulate(xd, axis=d) if x.ndim else xd.copy()
    return _record(r, LogcumsumexpBackward0, (x,), saved=(x,), keep_out=True, dim=d)

expose(logcumsumexp, method=True)


# =====================================================================================================
# diff, trapezoid, cumulative_trapezoid, gradient (composites; the scalar products and quotients they end with are
# PyTorch's mul.Scalar and div.Scalar overloads, whose nodes are named apart from the tensor ones)
# =====================================================================================================

def diff(x, n=1, dim=-1, prepend=None, append=None):
    """the n-th forward difference along dim (x_{i+1} - x_i, n times)"""
    if x.ndim == 0:
        raise RuntimeError("diff expects input to be at least one-dimensional")
    if n < 0:
        raise RuntimeError(f"order must be non-negative but got {n}")
    if n == 0:  # a copy of x (prepend and append ignored), as PyTorch's: its node is the copy's
        return copy_from(_wrap(np.empty_like(x._data)), x)
    if prepend is not None:
        x = cat([prepend, x], dim)
    if append is not None:
        x = cat([x, append], dim)
    for _ in builtins.range(n):
        m = x.shape[dim]
        if m == 0:
            break
        hi, lo = narrow(x, dim, 1, m - 1), narrow(x, dim, 0, m - 1)
        x = hi ^ lo if x._data.dtype == np.bool_ else hi - lo  # booleans differ by xor, as in PyTorch
    return x

expose(diff, method=True)


def _float_input(y):
    return y if y._data.dtype.kind in "fc" else y.to(D.get_default_dtype())


def trapezoid(y: Tensor, x=None, *, dx=None, dim: int = -1) -> Tensor:
    """∫ y by the trapezoid rule along dim (sample points x, or a uniform spacing dx)"""
    y = _float_input(y)
    d = _wrap_dim(dim, y.ndim)
    n = y.shape[d]
    if isinstance(x, Tensor):
        if n == 0:
            return y.sum(d) * 0.0
        spacing = x.diff(dim=-1 if x.ndim == 1 else d)
        if x.ndim == 1:
            shape = [1] * y.ndim
            shape[d] = n - 1
            spacing = spacing.reshape(shape)
        return _div_scalar(((narrow(y, d, 0, n - 1) + narrow(y, d, 1, n - 1)) * spacing).sum(d), 2.0)
    step = dx if dx is not None else (x if x is not None else 1)
    if n == 0:
        return _mul_scalar(y.sum(d), 0.0)
    ends = _mul_scalar(y.select(d, 0) + y.select(d, -1), 0.5)
    return _mul_scalar(y.sum(d) - ends, step)

expose(trapezoid)


def cumulative_trapezoid(y: Tensor, x=None, *, dx=None, dim: int = -1) -> Tensor:
    """the running trapezoid-rule integral of y along dim"""
    y = _float_input(y)
    d = _wrap_dim(dim, y.ndim)
    n = y.shape[d]
    m = builtins.max(n - 1, 0)
    pairs = narrow(y, d, 0, m) + narrow(y, d, 1, m) if n else narrow(y, d, 0, 0)
    if isinstance(x, Tensor):
        spacing = x.diff(dim=-1 if x.ndim == 1 else d)
        if x.ndim == 1 and y.ndim > 1:
            shape = [1] * y.ndim
            shape[d] = m
            spacing = spacing.reshape(shape)
        return _div_scalar(cumsum(pairs * spacing, d), 2.0)
    step = dx if dx is not None else (x if x is not None else 1)
    return cumsum(_mul_scalar(pairs, step / 2), d)

expose(cumulative_trapezoid)


def trapz(y, x=None, *, dx=None, dim=-1):
    """trapezoid's old name"""
    return trapezoid(y, x, dx=dx, dim=dim)

expose(trapz)


def _gradient_along(y, d, h, edge_order):
    """∂y/∂x along dim d for the spacing h (a number, or a 1-d tensor of coordinates): central differences
    inside (second-order even for uneven coordinates), one-sided of order ``edge_order`` at both ends."""
    n = y.shape[d]

    def sl(start, length):
        return narrow(y, d, start, length)
    if not isinstance(h, Tensor):
        inner = _div_scalar(_div_scalar(sl(2, n - 2) - sl(0, n - 2), h), 2.0)
        if edge_order == 1:
            lo = _div_scalar(sl(1, 1) - sl(0, 1), h)
            hi = _div_scalar(sl(n - 1, 1) - sl(n - 2, 1), h)
        else:
            lo = _div_scalar(_mul_scalar(sl(0, 1), -1.5) + _mul_scalar(sl(1, 1), 2.0) - _mul_scalar(sl(2, 1), 0.5), h)
            hi = _div_scalar(_mul_scalar(sl(n - 3, 1), 0.5) - _mul_scalar(sl(n - 2, 1), 2.0)
                             + _mul_scalar(sl(n - 1, 1), 1.5), h)
        return cat([lo, inner, hi], d)
    shape = [1] * y.ndim
    shape[d] = -1

    def co(t):
        return t.reshape(shape)
    dx = h.diff()
    hl, hr = dx[:-1], dx[1:]
    a = co(-hr / (hl * (hl + hr)))
    b = co((hr - hl) / (hl * hr))
    c = co(hl / (hr * (hl + hr)))
    inner = a * sl(0, n - 2) + b * sl(1, n - 2) + c * sl(2, n - 2)
    if edge_order == 1:
        lo = (sl(1, 1) - sl(0, 1)) / co(dx[:1])
        hi = (sl(n - 1, 1) - sl(n - 2, 1)) / co(dx[-1:])
    else:
        d1, d2 = dx[0], dx[1]
        lo = (co((-(2 * d1 + d2) / (d1 * (d1 + d2))).reshape(1)) * sl(0, 1)
              + co(((d1 + d2) / (d1 * d2)).reshape(1)) * sl(1, 1)
              + co((-d1 / (d2 * (d1 + d2))).reshape(1)) * sl(2, 1))
        d1, d2 = dx[-2], dx[-1]
        hi = (co((d2 / (d1 * (d1 + d2))).reshape(1)) * sl(n - 3, 1)
              + co((-(d2 + d1) / (d1 * d2)).reshape(1)) * sl(n - 2, 1)
              + co(((2 * d2 + d1) / (d2 * (d1 + d2))).reshape(1)) * sl(n - 1, 1))
    return cat([lo, inner, hi], d)


def gradient(y: Tensor, *, spacing=1, dim=None, edge_order: int = 1):
    """∂y/∂x_d for each dim d: central differences inside, one-sided at the edges (a tuple, one per dim)"""
    if edge_order not in (1, 2):
        raise RuntimeError("torch.gradient only supports edge_order=1 and edge_order=2.")
    dims = list(builtins.range(y.ndim)) if dim is None else ([dim] if isinstance(dim, numbers.Integral)
                                                              else list(dim))
    dims = [_wrap_dim(d, y.ndim) for d in dims]
    if isinstance(spacing, (list, tuple)):
        if len(spacing) != len(dims):
            if dim is None:
                raise RuntimeError("torch.gradient expected spacing to be unspecified, a scalar, or a list of length "
                                   f"equal to 'self.dim() = {y.ndim}', since dim argument was not given, but got a "
                                   f"list of length {len(spacing)}")
            raise RuntimeError("torch.gradient expected spacing to be unspecified, a scalar or it's spacing and dim "
                               f"arguments to have the same length, but got a spacing argument of length "
                               f"{len(spacing)} and a dim argument of length {len(dims)}.")
        steps = list(spacing)
    else:
        steps = [spacing] * len(dims)
    for d in dims:
        if y.shape[d] < edge_order + 1:
            raise RuntimeError("torch.gradient expected each dimension size to be at least edge_order+1")
    y = _float_input(y)
    out = []
    for d, h in zip(dims, steps):
        if isinstance(h, Tensor) and h.ndim == 0:
            h = h.item()
        if isinstance(h, Tensor) and h._data.dtype.kind not in "fc":
            h = h.to(y.dtype)
        out.append(_gradient_along(y, d, h, edge_order))
    return tuple(out)

expose(gradient)
