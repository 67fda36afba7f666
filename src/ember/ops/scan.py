"""Scans and differences along a dim: cumsum, cumprod, cummax, cummin, logcumsumexp, diff, trapezoid."""

from __future__ import annotations

import builtins

from .._array import np
from .._core import dtype as D
from .._core.dims import _wrap_dim
from .._core.exposure import expose
from .._core.node import Node
from .._core.record import _out, ones_like
from .._core.tensor import Tensor, _wrap
from ..return_types import minmax_result
from .compare import isfinite
from .index import gather
from .join import cat
from .pointwise import where
from .shape import flip, narrow
from .unary import exp, log

__all__ = ["cumsum", "cumprod", "trapezoid", "cumulative_trapezoid", "trapz", "gradient", "diff", "cummax",
           "cummin", "logcumsumexp"]


class CumsumBackward0(Node):
    """c_i = Σ_{j<=i} x_j:  dL/dx_j = Σ_{i>=j} g_i (a reversed cumsum)"""

    def backward(self, g):
        d = self.dim
        return (flip(cumsum(flip(g, (d,)), d), (d,)),)


def cumsum(x, dim, dtype=None):
    """running sum along ``dim``"""
    d = _wrap_dim(dim, x.ndim)
    xd = x._data if dtype is None else x._data.astype(dtype.np)
    if xd.dtype.kind in "bui" and dtype is None:
        xd = xd.astype(np.int64)
    t = _out(np.cumsum(xd, axis=d) if x.ndim else xd.copy(), CumsumBackward0, (x,))
    if t.grad_fn is not None:
        t.grad_fn.dim = d
    return t

expose(cumsum, method=True, inplace=True, out=True)


class CumprodBackward0(Node):
    """c_i = Π_{j<=i} x_j:  dL/dx_j = Σ_{i>=j} g_i Π_{k<=i, k≠j} x_k"""

    def backward(self, g):
        (x,) = self.saved_values()
        d = self.dim
        if x.ndim == 0:
            return (g,)
        n = x.shape[d]
        # for each j: Σ_{i>=j} g_i Π_{k<=i, k≠j} x_k, i.e. the cumprod with x_j replaced by 1
        out = []
        for j in range(n):
            ones = ones_like(narrow(x, d, j, 1))
            pieces = [narrow(x, d, 0, j), ones, narrow(x, d, j + 1, n - j - 1)]
            xr = cat([p for p in pieces if p.shape[d] > 0], d)
            cp = cumprod(xr, d)
            tail = narrow(cp * g, d, j, n - j)
            out.append(tail.sum((d,), keepdim=True))
        return (cat(out, d),)


def cumprod(x, dim, dtype=None):
    """running product along ``dim``"""
    d = _wrap_dim(dim, x.ndim)
    xd = x._data if dtype is None else x._data.astype(dtype.np)
    if xd.dtype.kind in "bui" and dtype is None:
        xd = xd.astype(np.int64)
    t = _out(np.cumprod(xd, axis=d) if x.ndim else xd.copy(), CumprodBackward0, (x,), saved=(x,))
    if t.grad_fn is not None:
        t.grad_fn.dim = d
    return t

expose(cumprod, method=True, inplace=True)


def trapezoid(y: Tensor, x=None, *, dx=None, dim: int = -1) -> Tensor:
    """∫ y by the trapezoid rule along dim"""
    n = y.shape[dim]
    if n == 0:
        return y.sum(dim)
    lo, hi = narrow(y, dim, 0, n - 1), narrow(y, dim, 1, n - 1)
    if x is None:
        r = (lo + hi).sum(dim)
        return r * ((dx if dx is not None else 1) / 2)
    if not isinstance(x, Tensor):
        return (lo + hi).sum(dim) * (x / 2)
    d = x.diff(dim=-1 if x.ndim == 1 else dim)
    if x.ndim == 1 and y.ndim > 1:
        shape = [1] * y.ndim
        shape[_wrap_dim(dim, y.ndim)] = n - 1
        d = d.reshape(shape)
    return ((lo + hi) * d).sum(dim) / 2

expose(trapezoid)


def cumulative_trapezoid(y: Tensor, x=None, *, dx=None, dim: int = -1) -> Tensor:
    n = y.shape[dim]
    lo, hi = narrow(y, dim, 0, builtins.max(n - 1, 0)), narrow(y, dim, 1, builtins.max(n - 1, 0))
    if isinstance(x, Tensor):
        d = x.diff(dim=-1 if x.ndim == 1 else dim)
        if x.ndim == 1 and y.ndim > 1:
            shape = [1] * y.ndim
            shape[_wrap_dim(dim, y.ndim)] = n - 1
            d = d.reshape(shape)
        return cumsum((lo + hi) * d / 2, dim)
    step = dx if dx is not None else (x if x is not None else 1)
    return cumsum((lo + hi) * (step / 2), dim)

expose(cumulative_trapezoid)


def trapz(y, x=None, *, dx=None, dim=-1):
    return trapezoid(y, x, dx=dx, dim=dim)

expose(trapz)


def gradient(y: Tensor, *, spacing=1, dim=None, edge_order: int = 1):
    """central differences inside, one-sided at the edges, along each dim"""
    dims = list(builtins.range(y.ndim)) if dim is None else ([dim] if isinstance(dim, int) else list(dim))
    sp = spacing if isinstance(spacing, (list, tuple)) else [spacing] * len(dims)
    args = []
    for s in sp:
        args.append(s._data if isinstance(s, Tensor) else float(s) if not isinstance(s, (list, tuple)) else s)
    a = y._data if y._data.dtype.kind == "f" else y._data.astype(D.get_default_dtype().np)
    r = np.gradient(a, *args, axis=tuple(dims), edge_order=edge_order)
    r = r if isinstance(r, (list, tuple)) else [r]
    return tuple(_wrap(np.asarray(g).astype(a.dtype)) for g in r)

expose(gradient)


def diff(x, n=1, dim=-1, prepend=None, append=None):
    if prepend is not None:
        x = cat([prepend, x], dim)
    if append is not None:
        x = cat([x, append], dim)
    for _ in builtins.range(n):
        m = x.shape[dim]
        x = narrow(x, dim, 1, m - 1) - narrow(x, dim, 0, m - 1)
    return x

expose(diff, method=True)


def _cum_ext(x, dim, op):
    d = _wrap_dim(dim, x.ndim)
    a = np.moveaxis(x._data, d, 0)
    vals = op.accumulate(a, axis=0)
    idx = np.zeros(a.shape, dtype=np.int64)
    for i in builtins.range(1, a.shape[0]):
        take = a[i] == vals[i]
        idx[i] = np.where(take, i, idx[i - 1])
    idx = np.moveaxis(idx, 0, d)
    v = gather(x, d, _wrap(np.ascontiguousarray(idx)))
    return minmax_result(v, _wrap(idx), "cummax" if op is np.maximum else "cummin")


def cummax(x, dim):
    return _cum_ext(x, dim, np.maximum)

expose(cummax, method=True)


def cummin(x, dim):
    return _cum_ext(x, dim, np.minimum)

expose(cummin, method=True)


def logcumsumexp(x, dim):
    m = x.detach().amax(dim, keepdim=True)
    m = where(isfinite(m), m, 0.0)
    return log(cumsum(exp(x - m), dim)) + m

expose(logcumsumexp, method=True)


