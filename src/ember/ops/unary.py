"""Unary elementwise math: exp, log, sin, tanh, sigmoid, relu, abs, floor, ... .

Each op is one block: its node (the derivative in the docstring), then the function."""

from __future__ import annotations

import math

from .._array import np
from .._core import modes
from .._core.args import _float_data
from .._core.exposure import expose
from .._core.messages import _no_kernel
from .._core.node import Node
from .._core.record import _edge, _out, _record, _renamed, _saved_output
from .._core.tensor import Tensor, _wrap
from ..kernels import exact as _fid
from ..return_types import _frexp_result
from .creation import as_tensor_arg
from .pointwise import clamp, where

__all__ = ["tanh_backward", "sigmoid_backward", "exp", "exp2", "expm1", "log", "log2", "log10", "log1p",
           "sqrt", "rsqrt", "reciprocal", "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh",
           "asinh", "acosh", "atanh", "sigmoid", "erf", "neg", "abs", "relu", "floor", "ceil", "trunc",
           "sign", "frac", "round", "positive", "conj", "frexp", "negative", "sgn", "logit", "deg2rad",
           "rad2deg"]

_gm = modes.grad
_ndarray = np.ndarray






def _conj(x):
    if isinstance(x, Tensor) and x._data.dtype.kind == "c":
        return conj(x)
    return x


class _Unary(Node):
    """Base of the table-made unary nodes: ``rule(g, x, y)`` gives dL/dx from g = dL/dy."""
    rule = None

    def backward(self, g):
        x, y = self.saved_values()
        return (type(self).rule(g, x, y),)


# PyTorch never warns on overflow or nan. ``np.errstate`` costs ~1 µs a call (a third of a small op);
# setting the context variable it sets, directly, costs a third of that. Fall back where NumPy differs.
try:
    from numpy._core._multiarray_umath import _extobj_contextvar as _errstate_var
    from numpy._core._multiarray_umath import _make_extobj
    _QUIET = _make_extobj(all="ignore")
except (ImportError, TypeError):  # NumPy 1.x
    _errstate_var = None


def _make_unary(name: str, node_name: str, forward, keeps: str, rule, doc: str, floats_only=True,
                no_kernel=None):
    """``no_kernel=(kinds, kernel)``: dtype kinds PyTorch has no kernel for, raising its NotImplementedError."""
    node_cls = type(node_name, (_Unary,), {"rule": staticmethod(rule), "__doc__": doc})

    def op(x):
        if not isinstance(x, Tensor):
            x = as_tensor_arg(x)
        if no_kernel is not None and x._data.dtype.kind in no_kernel[0]:
            _no_kernel(no_kernel[1], x)
        xd = _float_data(x) if floats_only else x._data
        if _errstate_var is not None:
            token = _errstate_var.set(_QUIET)
            try:
                r = forward(xd)
            finally:
                _errstate_var.reset(token)
        else:
            with np.errstate(all="ignore"):
                r = forward(xd)
        if type(r) is not _ndarray:
            r = np.asarray(r)
        t = _wrap(r)
        if _gm.enabled and x._rg:
            node = node_cls((_edge(x),))
            node.saved = (x if "x" in keeps else None, _saved_output(node, t) if "y" in keeps else None)
            node.versions = (x._version if "x" in keeps else None, 0 if "y" in keeps else None)
            _record(t, node)
        return t

    op.__name__ = name
    op.__doc__ = doc
    globals()[node_name] = node_cls
    return op


class TanhBackwardBackward0(Node):
    """z = tanh_backward(g, y) = g (1 - y^2):  dz/dg = 1 - y^2, dz/dy = -2 g y"""

    def backward(self, gg):
        g, y = self.saved_values()
        return (tanh_backward(gg, y) if self.next[0] is not None else None,
                gg * (g * y * -2) if self.next[1] is not None else None)


def tanh_backward(g, y):
    """PyTorch's fused tanh gradient g (1 - y^2); recorded (create_graph) as TanhBackwardBackward0."""
    yd = y._data
    return _out(g._data * (1 - yd * yd), TanhBackwardBackward0, (g, y), saved=(g, y))


class SigmoidBackwardBackward0(Node):
    """z = sigmoid_backward(g, y) = g (1 - y) y:  dz/dg = (1 - y) y, dz/dy = g (1 - 2y)"""

    def backward(self, gg):
        g, y = self.saved_values()
        return (sigmoid_backward(gg, y) if self.next[0] is not None else None,
                gg * (g * (1 - 2 * y)) if self.next[1] is not None else None)


def sigmoid_backward(g, y):
    """PyTorch's fused sigmoid gradient g (1 - y) y, in its kernel's order; recorded as SigmoidBackwardBackward0."""
    yd = y._data
    return _out(g._data * (1 - yd) * yd, SigmoidBackwardBackward0, (g, y), saved=(g, y))


def _sigmoid_np(x):
    # PyTorch's CPU kernel: 1/(1 + e^-x) in the input's dtype; e^-x overflowing to inf gives exactly 0,
    # the same values torch prints (float32 sigmoid(-100) is 0, not a denormal)
    with np.errstate(over="ignore"):
        return _fid.sigmoid(x) if x.dtype == np.float32 else np.reciprocal(1.0 + np.exp(-x))


def _erf_np(x):
    from math import erf as _erf
    return np.vectorize(_erf, otypes=[x.dtype])(x) if x.size < 64 else _erf_vec(x)


def _erf_vec(x):
    try:
        from scipy.special import erf as serf  # optional: exact and fast
        return serf(x).astype(x.dtype, copy=False)
    except ImportError:
        from math import erf as _erf
        return np.vectorize(_erf, otypes=[x.dtype])(x)


_SQRT_PI = math.sqrt(math.pi)


exp = _make_unary("exp", "ExpBackward0", _fid.via_float64(np.exp), "y", lambda g, x, y: g * y, "e^x;  d/dx = e^x")

expose(exp, method=True, inplace=True)


exp2 = _make_unary("exp2", "Exp2Backward0", _fid.via_float64(np.exp2), "y", lambda g, x, y: g * y * math.log(2.0),
                   "2^x;  d/dx = 2^x ln 2")

expose(exp2, method=True, inplace=True)


expm1 = _make_unary("expm1", "Expm1Backward0", _fid.via_float64(np.expm1), "y", lambda g, x, y: g * (y + 1),
                    "e^x - 1;  d/dx = e^x")

expose(expm1, method=True, inplace=True)


log = _make_unary("log", "LogBackward0", _fid.via_float64(np.log), "x", lambda g, x, y: g / x, "ln x;  d/dx = 1/x")

expose(log, method=True, inplace=True)


log2 = _make_unary("log2", "Log2Backward0", _fid.via_float64(np.log2), "x", lambda g, x, y: g / (x * math.log(2.0)),
                   "log2 x;  d/dx = 1/(x ln 2)")

expose(log2, method=True, inplace=True)


log10 = _make_unary("log10", "Log10Backward0", _fid.via_float64(np.log10), "x", lambda g, x, y: g / (x * math.log(10.0)),
                    "log10 x;  d/dx = 1/(x ln 10)")

expose(log10, method=True, inplace=True)


log1p = _make_unary("log1p", "Log1PBackward0", _fid.via_float64(np.log1p), "x", lambda g, x, y: g / (x + 1),
                    "ln(1 + x);  d/dx = 1/(1 + x)")

expose(log1p, method=True, inplace=True)


sqrt = _make_unary("sqrt", "SqrtBackward0", np.sqrt, "y", lambda g, x, y: g / (y * 2), "√x;  d/dx = 1/(2√x)")

expose(sqrt, method=True, inplace=True)


rsqrt = _make_unary("rsqrt", "RsqrtBackward0", lambda a: 1 / np.sqrt(a), "y",
                    lambda g, x, y: g * (y ** 3) * -0.5, "1/√x;  d/dx = -1/(2 x^(3/2))")

expose(rsqrt, method=True, inplace=True)


reciprocal = _make_unary("reciprocal", "ReciprocalBackward0", lambda a: 1 / a, "y",
                         lambda g, x, y: -g * y * y, "1/x;  d/dx = -1/x^2")

expose(reciprocal, method=True, inplace=True)


sin = _make_unary("sin", "SinBackward0", _fid.via_float64(np.sin, _fid.TRIG_EXACT_MAX), "x", lambda g, x, y: g * cos(x), "sin x;  d/dx = cos x")

expose(sin, method=True, inplace=True)


cos = _make_unary("cos", "CosBackward0", _fid.via_float64(np.cos, _fid.TRIG_EXACT_MAX), "x", lambda g, x, y: -g * sin(x), "cos x;  d/dx = -sin x")

expose(cos, method=True, inplace=True)


tan = _make_unary("tan", "TanBackward0", _fid.via_float64(np.tan, _fid.TRIG_EXACT_MAX), "y", lambda g, x, y: g * (y * y + 1),
                  "tan x;  d/dx = 1 + tan^2 x")

expose(tan, method=True, inplace=True)


asin = _make_unary("asin", "AsinBackward0", _fid.via_float64(np.arcsin), "x", lambda g, x, y: g * rsqrt(1 - x * x),
                   "asin x;  d/dx = 1/√(1 - x^2)")

expose(asin, torch=('arcsin', 'asin'), method=('arcsin', 'asin'), inplace=('arcsin_', 'asin_'))


acos = _make_unary("acos", "AcosBackward0", _fid.via_float64(np.arccos), "x", lambda g, x, y: -g * rsqrt(1 - x * x),
                   "acos x;  d/dx = -1/√(1 - x^2)")

expose(acos, torch=('acos', 'arccos'), method=('acos', 'arccos'), inplace=('acos_', 'arccos_'))


atan = _make_unary("atan", "AtanBackward0", _fid.via_float64(np.arctan), "x", lambda g, x, y: g / (x * x + 1),
                   "atan x;  d/dx = 1/(1 + x^2)")

expose(atan, torch=('arctan', 'atan'), method=('arctan', 'atan'), inplace=('arctan_', 'atan_'))


sinh = _make_unary("sinh", "SinhBackward0", _fid.via_float64(np.sinh), "x", lambda g, x, y: g * cosh(x), "sinh x;  d/dx = cosh x")

expose(sinh, method=True, inplace=True)


cosh = _make_unary("cosh", "CoshBackward0", _fid.via_float64(np.cosh), "x", lambda g, x, y: g * sinh(x), "cosh x;  d/dx = sinh x")

expose(cosh, method=True, inplace=True)


tanh = _make_unary("tanh", "TanhBackward0", _fid.via_float64(np.tanh), "y", lambda g, x, y: tanh_backward(g, y),
                   "tanh x;  d/dx = 1 - tanh^2 x")

expose(tanh, method=True, inplace=True)


asinh = _make_unary("asinh", "AsinhBackward0", np.arcsinh, "x", lambda g, x, y: g * rsqrt(x * x + 1),
                    "asinh x;  d/dx = 1/√(x^2 + 1)")

expose(asinh, torch=('arcsinh', 'asinh'), method=('arcsinh', 'asinh'), inplace=True)


acosh = _make_unary("acosh", "AcoshBackward0", np.arccosh, "x", lambda g, x, y: g * rsqrt(x * x - 1),
                    "acosh x;  d/dx = 1/√(x^2 - 1)")

expose(acosh, torch=('acosh', 'arccosh'), method=('acosh', 'arccosh'), inplace=True)


atanh = _make_unary("atanh", "AtanhBackward0", _fid.via_float64(np.arctanh), "x", lambda g, x, y: g / (1 - x * x),
                    "atanh x;  d/dx = 1/(1 - x^2)")

expose(atanh, torch=('arctanh', 'atanh'), method=('arctanh', 'atanh'), inplace=True)


sigmoid = _make_unary("sigmoid", "SigmoidBackward0", _sigmoid_np, "y", lambda g, x, y: sigmoid_backward(g, y),
                      "σ(x) = 1/(1 + e^-x);  d/dx = σ(x)(1 - σ(x))")

expose(sigmoid, method=True, inplace=True)


erf = _make_unary("erf", "ErfBackward0", _erf_np, "x",
                  lambda g, x, y: g * exp(-(x * x)) * (2 / _SQRT_PI), "erf x;  d/dx = 2/√π e^(-x^2)")

expose(erf, method=True, inplace=True)


_neg = _make_unary("neg", "NegBackward0", np.negative, "", lambda g, x, y: -g, "-x;  d/dx = -1",
                  floats_only=False)


def neg(x):
    """-x (refused for bool tensors, as in PyTorch)"""
    if isinstance(x, Tensor) and x._data.dtype == np.bool_:
        raise RuntimeError("Negation, the `-` operator, on a bool tensor is not supported. If you are trying to "
                           "invert a mask, use the `~` or `logical_not()` operator instead.")
    return _neg(x)

expose(neg, method=('neg', 'negative'), inplace=('neg_', 'negative_'), operators=('__neg__',))


def _relu_np(a):
    if a.dtype.kind == "b":
        raise RuntimeError("Boolean inputs not supported for relu")
    return np.maximum(a, 0)


abs = _make_unary("abs", "AbsBackward0", np.abs, "x", lambda g, x, y: g * sign(x), "|x|;  d/dx = sign x",
                  floats_only=False, no_kernel=("b", "abs_cpu"))

expose(abs, torch=('abs', 'absolute'), method=('abs', 'absolute'), inplace=('abs_', 'absolute_'),
       operators=('__abs__',))


_SAME_WIDTH_INT = {np.dtype(np.float32): np.int32, np.dtype(np.float64): np.int64}


def _relu_grad(g, x, y):
    """g where y > 0, else +0 (as PyTorch; g * mask would give -0 where g < 0)."""
    gd, yd = g._data, y._data
    it = _SAME_WIDTH_INT.get(gd.dtype)
    if it is None or _gm.enabled or gd.shape != yd.shape:
        return where(y > 0, g, 0.0)
    # np.where costs 3x a multiply here (50 vs 17 us on an MLP's 128x256); the same bits come from keeping
    # g's bit pattern under an all-ones mask (-1) and clearing it (+0.0) under a zero one
    mask = np.negative((yd > 0).view(np.int8), dtype=it)
    return _wrap(np.bitwise_and(gd.view(it), mask).view(gd.dtype))


relu = _make_unary("relu", "ReluBackward0", _relu_np, "y", _relu_grad,
                   "max(x, 0);  d/dx = [x > 0]", floats_only=False)

expose(relu, method=True, inplace=True)


def _zero_grad_rule(g, x, y):
    return g * 0


floor = _make_unary("floor", "FloorBackward0", np.floor, "", _zero_grad_rule, "⌊x⌋;  d/dx = 0",
                    floats_only=False, no_kernel=("b", "floor_vml_cpu"))

expose(floor, method=True, inplace=True)


ceil = _make_unary("ceil", "CeilBackward0", np.ceil, "", _zero_grad_rule, "⌈x⌉;  d/dx = 0", floats_only=False,
                   no_kernel=("b", "ceil_vml_cpu"))

expose(ceil, method=True, inplace=True)


trunc = _make_unary("trunc", "TruncBackward0", np.trunc, "", _zero_grad_rule, "trunc x;  d/dx = 0",
                    floats_only=False, no_kernel=("b", "trunc_vml_cpu"))

expose(trunc, torch=("trunc", "fix"), method=("trunc", "fix"), inplace=("trunc_", "fix_"))


# sign of a bool is itself (NumPy has no bool loop)
sign = _make_unary("sign", "SignBackward0",
                   lambda a: a.copy() if a.dtype.kind == "b" else np.sign(np.nan_to_num(a, nan=0.0)), "",
                   _zero_grad_rule, "sign x;  d/dx = 0", floats_only=False)

expose(sign, method=True, inplace=True)


frac = _make_unary("frac", "FracBackward0", lambda a: a - np.trunc(a), "", lambda g, x, y: g,
                   "x - trunc x;  d/dx = 1", no_kernel=("iub", "frac_cpu"))

expose(frac, method=True, inplace=True)


class RoundBackward0(Node):
    """round(x) (half to even);  d/dx = 0"""

    def backward(self, g):
        return (g * 0,)


class RoundBackward1(RoundBackward0):
    pass


def round(x, decimals: int = 0):
    """round half to even, to ``decimals`` places"""
    if x._data.dtype.kind == "b":
        _no_kernel("round_vml_cpu" if not decimals else "round_cpu", x)
    if decimals:
        return _out(np.round(x._data, decimals), RoundBackward1, (x,))
    return _out(np.round(x._data), RoundBackward0, (x,))

expose(round, method=True, inplace=True)


def positive(x):
    return x

expose(positive, method=True, operators=('__pos__',))


class ConjBackward0(Node):
    def backward(self, g):
        return (conj(g),)


def conj(x):
    if x._data.dtype.kind != "c":
        return x
    return _out(np.conj(x._data), ConjBackward0, (x,))

expose(conj, method=('conj', 'conj_physical'))


def frexp(x: Tensor):
    """mantissa in [0.5, 1) and integer exponent with x = m·2^e"""
    if x._data.dtype.kind != "f":
        raise RuntimeError("torch.frexp() only supports floating-point dtypes")
    m, e = np.frexp(x._data)
    return _frexp_result(_wrap(m), _wrap(e.astype(np.int32)))

expose(frexp, method=True)


def negative(x):
    return neg(x)

expose(negative)


class SgnBackward0(Node):
    """y = sgn x = x/|x| (0 at 0):  dy/dx = 0 for real x"""

    def backward(self, g):
        return (g * 0,)


def sgn(x: Tensor) -> Tensor:
    """x/|x| (0 at 0; the sign for real tensors)"""
    if x._data.dtype.kind == "c":
        a = np.abs(x._data)
        return _out(np.where(a == 0, 0, x._data / np.where(a == 0, 1, a)), SgnBackward0, (x,))
    return _out(sign(x)._data, SgnBackward0, (x,))

expose(sgn, method=True, inplace=True)




def logit(x, eps=None):
    """log(x / (1 - x)), with x clamped to [eps, 1 - eps] when eps is given"""
    if eps is not None:
        x = clamp(x, eps, 1 - eps)
    return _renamed(log(x / (1 - x)), "LogitBackward0")

expose(logit, method=True, inplace=True)


def deg2rad(x):
    """x π / 180"""
    return _renamed(x * (math.pi / 180.0), "Deg2RadBackward0")

expose(deg2rad, method=True, inplace=True)


def rad2deg(x):
    """x 180 / π"""
    return _renamed(x * (180.0 / math.pi), "Rad2DegBackward0")

expose(rad2deg, method=True, inplace=True)
