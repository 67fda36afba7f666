"""Unary elementwise math: exp, log, sin, tanh, sigmoid, relu, abs, floor, ... .

Each op is one block: its node (the derivative in the docstring), then the function."""

from __future__ import annotations

import math
import sys

from .. import kernels as K
from .._array import np
from .._core import dtype as D
from .._core import modes
from .._core.exposure import expose
from .._core.messages import _no_kernel
from .._core.node import Node
from .._core.record import _forward, _forward_node, _record_on_result, _wrap_result, zeros_like_shape
from .._core.sigs import Sigs
from .._core.tensor import Tensor, _wrap
from ..return_types import _frexp_result
from .inplace import apply_inplace, check_inplace
from .pointwise import where

_fw = modes.forward
_grad_mode = modes.grad
_saved_state = modes.saved
_ndarray = np.ndarray
_new = object.__new__


__all__ = ["tanh_backward", "sigmoid_backward", "exp", "exp2", "expm1", "log", "log2", "log10", "log1p",
           "sqrt", "rsqrt", "reciprocal", "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh",
           "asinh", "acosh", "atanh", "sigmoid", "erf", "neg", "abs", "relu", "floor", "ceil", "trunc",
           "sign", "frac", "round", "positive", "conj", "conj_physical", "conj_physical_", "frexp", "sgn", "logit", "deg2rad", "rad2deg"]

# every op here maps element i of its operands to element i of its result, and no error depends on the values:
# an in-place form with nothing to record may run block by block (ops.inplace._in_blocks)
INPLACE_IN_BLOCKS = True


# PyTorch never warns on overflow or nan. ``np.errstate`` costs ~1 µs a call (a third of a small op); setting the
# context variable it sets, directly, costs a third of that. Fall back where NumPy differs.
try:
    from numpy._core._multiarray_umath import _extobj_contextvar as _errstate_var
    from numpy._core._multiarray_umath import _make_extobj
    _QUIET = _make_extobj(all="ignore")
except (ImportError, TypeError):  # NumPy 1.x: the same two calls through np.seterr
    class _Seterr:
        @staticmethod
        def set(_):
            return np.seterr(all="ignore")

        @staticmethod
        def reset(old):
            np.seterr(**old)

    _errstate_var, _QUIET = _Seterr, None


def _quietly(kernel, a):
    """``kernel(a)`` with NumPy's floating-point warnings off."""
    token = _errstate_var.set(_QUIET)
    try:
        return kernel(a)
    finally:
        _errstate_var.reset(token)


def _not_a_tensor(x, arg="input", position=1, depth=2):
    """PyTorch's binding error for a non-tensor operand, named after the public op (the frame ``depth`` levels
    up: the op calling _pointwise; read on this error path only)"""
    name = sys._getframe(depth).f_code.co_name
    raise TypeError(f"{name}(): argument '{arg}' (position {position}) must be Tensor, not {type(x).__name__}")


def _pointwise(x, kernel, node_cls, keeps: str, floats_only: bool = True, **attrs):
    """y = kernel(x), recorded as ``node_cls`` keeping x ("x"), y ("y"), both ("xy") or neither ("").
    The hot path of every unary op: the result, its node and the saved values are made here directly (what
    record._wrap_result, _edge and _saved_output do, without their frames)."""
    if type(x) is not Tensor and not isinstance(x, Tensor):
        _not_a_tensor(x)
    a = x._data
    if floats_only and a.dtype.kind not in "fc":  # exp(int_tensor) is float
        a = a.astype(D.get_default_dtype().np)
    token = _errstate_var.set(_QUIET)
    try:
        r = kernel(a)
    finally:
        _errstate_var.reset(token)
    if type(r) is not _ndarray and not isinstance(r, _ndarray):  # NumPy scalars; a meta array stays one
        r = np.asarray(r)
    t = _new(Tensor)
    t._data = r
    if _grad_mode.inference:
        t._inference = True
    if _grad_mode.enabled and x._requires_grad:
        fn = x.grad_fn
        node = node_cls((x if fn is None else fn if not x._output_nr else (fn, x._output_nr),))
        t.grad_fn = node
        t._requires_grad = True
    elif _fw.level is None:  # nothing to record (no grad wanted, no tangent carried)
        return t
    else:
        node = _forward_node(node_cls, (x,))
        if node is None:
            return t
    node.out_shape = r.shape
    if keeps:
        sx = vx = sy = vy = None
        if "x" in keeps:
            sx, vc = x, x._version_counter
            vx = vc[0] if vc is not None else 0
        if "y" in keeps:  # an alias of the output sharing its version counter (no output -> node -> output cycle)
            sy = node.out_alias = _new(Tensor)
            sy._data = r
            sy._version_counter = t._version_counter = [0]
            vy = 0
        if _saved_state.hooks:  # saved_tensors_hooks: the property packs them
            node.saved = (sx, sy)
        else:
            node._saved = (sx, sy)
        node.versions = (vx, vy)
    else:
        node.saved, node.versions = (None, None), (None, None)
    if attrs:
        for k, v in attrs.items():
            setattr(node, k, v)
    if _fw.level is not None:
        _forward(t, node, node_cls, (x,))
    return t


def _refuse(x, kinds: str, kernel: str):
    """PyTorch's NotImplementedError for dtype kinds it has no kernel for (``"abs_cpu" not implemented for 'Bool'``)."""
    if isinstance(x, Tensor) and x._data.dtype.kind in kinds:
        _no_kernel(kernel, x)


# =====================================================================================================
# Exponentials and logarithms
# =====================================================================================================

class ExpBackward0(Node):
    """y = e^x:  dy/dx = e^x = y"""

    def backward(self, g):
        _, y = self.saved_values()
        return (g * y,)

    def backward_raw(self, g):
        _, y = self.saved_values()
        yd = y._data
        return (np.multiply(g, yd),) if yd.dtype == g.dtype else None

    def jvp(self, t):
        _, y = self.saved_values()
        return t * y


def exp(x):
    """e^x"""
    return _pointwise(x, K.exp, ExpBackward0, "y")

expose(exp, method=True, inplace=True, out=True)


class Exp2Backward0(Node):
    """y = 2^x:  dy/dx = 2^x ln 2 = y ln 2"""

    def backward(self, g):
        _, y = self.saved_values()
        return (g * y * math.log(2.0),)

    def jvp(self, t):
        _, y = self.saved_values()
        return t * y * math.log(2.0)


def exp2(x):
    """2^x"""
    return _pointwise(x, K.exp2, Exp2Backward0, "y")

expose(exp2, method=True, inplace=True)


class Expm1Backward0(Node):
    """y = e^x - 1:  dy/dx = e^x = y + 1"""

    def backward(self, g):
        _, y = self.saved_values()
        return (g * (y + 1),)

    def jvp(self, t):
        _, y = self.saved_values()
        return t * (y + 1)


def expm1(x):
    """e^x - 1, accurate near 0"""
    return _pointwise(x, K.expm1, Expm1Backward0, "y")

expose(expm1, method=True, inplace=True)


class LogBackward0(Node):
    """y = ln x:  dy/dx = 1/x"""

    def backward(self, g):
        x, _ = self.saved_values()
        return (g / x,)

    def jvp(self, t):
        x, _ = self.saved_values()
        return t / x


def log(x):
    """ln x"""
    return _pointwise(x, K.log, LogBackward0, "x")

expose(log, method=True, inplace=True, out=True)


class Log2Backward0(Node):
    """y = log₂ x:  dy/dx = 1/(x ln 2)"""

    def backward(self, g):
        x, _ = self.saved_values()
        return (g / (x * math.log(2.0)),)

    def jvp(self, t):
        x, _ = self.saved_values()
        return t / (x * math.log(2.0))


def log2(x):
    """log₂ x"""
    return _pointwise(x, K.log2, Log2Backward0, "x")

expose(log2, method=True, inplace=True)


class Log10Backward0(Node):
    """y = log₁₀ x:  dy/dx = 1/(x ln 10)"""

    def backward(self, g):
        x, _ = self.saved_values()
        return (g / (x * math.log(10.0)),)

    def jvp(self, t):
        x, _ = self.saved_values()
        return t / (x * math.log(10.0))


def log10(x):
    """log₁₀ x"""
    return _pointwise(x, K.log10, Log10Backward0, "x")

expose(log10, method=True, inplace=True)


class Log1PBackward0(Node):
    """y = ln(1 + x):  dy/dx = 1/(1 + x)"""

    def backward(self, g):
        x, _ = self.saved_values()
        return (g / (x + 1),)

    def jvp(self, t):
        x, _ = self.saved_values()
        return t / (x + 1)


def log1p(x):
    """ln(1 + x), accurate near 0"""
    return _pointwise(x, K.log1p, Log1PBackward0, "x")

expose(log1p, method=True, inplace=True)


# =====================================================================================================
# Powers and roots
# =====================================================================================================

class SqrtBackward0(Node):
    """y = √x:  dy/dx = 1/(2√x) = 1/(2y)"""

    def backward(self, g):
        _, y = self.saved_values()
        return (g / (y * 2),)

    def jvp(self, t):
        _, y = self.saved_values()
        return t / (y * 2)


def sqrt(x):
    """√x"""
    return _pointwise(x, np.sqrt, SqrtBackward0, "y")

expose(sqrt, method=True, inplace=True, out=True)


class RsqrtBackward0(Node):
    """y = 1/√x:  dy/dx = -1/(2 x^(3/2)) = -y³/2"""

    def backward(self, g):
        _, y = self.saved_values()
        return (g * (y ** 3) * -0.5,)

    def jvp(self, t):
        _, y = self.saved_values()
        return t * (y ** 3) * -0.5


def rsqrt(x):
    """1/√x"""
    return _pointwise(x, lambda a: 1 / np.sqrt(a), RsqrtBackward0, "y")

expose(rsqrt, method=True, inplace=True)


class ReciprocalBackward0(Node):
    """y = 1/x:  dy/dx = -1/x² = -y²"""

    def backward(self, g):
        _, y = self.saved_values()
        return (-g * y * y,)

    def jvp(self, t):
        _, y = self.saved_values()
        return -t * y * y


def reciprocal(x):
    """1/x"""
    return _pointwise(x, lambda a: 1 / a, ReciprocalBackward0, "y")

expose(reciprocal, method=True, inplace=True)


# =====================================================================================================
# Trigonometric and hyperbolic functions
# =====================================================================================================

class SinBackward0(Node):
    """y = sin x:  dy/dx = cos x"""

    def backward(self, g):
        x, _ = self.saved_values()
        return (g * cos(x),)

    def backward_raw(self, g):
        x, _ = self.saved_values()
        xd = x._data
        return (np.multiply(g, _quietly(K.cos, xd)),) if xd.dtype == g.dtype else None

    def jvp(self, t):
        x, _ = self.saved_values()
        return t * cos(x)


def sin(x):
    """sin x"""
    return _pointwise(x, K.sin, SinBackward0, "x")

expose(sin, method=True, inplace=True, out=True)


class CosBackward0(Node):
    """y = cos x:  dy/dx = -sin x"""

    def backward(self, g):
        x, _ = self.saved_values()
        return (-g * sin(x),)

    def jvp(self, t):
        x, _ = self.saved_values()
        return -t * sin(x)


def cos(x):
    """cos x"""
    return _pointwise(x, K.cos, CosBackward0, "x")

expose(cos, method=True, inplace=True, out=True)


class TanBackward0(Node):
    """y = tan x:  dy/dx = 1 + tan² x = 1 + y²"""

    def backward(self, g):
        _, y = self.saved_values()
        return (g * (y * y + 1),)

    def jvp(self, t):
        _, y = self.saved_values()
        return t * (y * y + 1)


def tan(x):
    """tan x"""
    return _pointwise(x, K.tan, TanBackward0, "y")

expose(tan, method=True, inplace=True)


class AsinBackward0(Node):
    """y = asin x:  dy/dx = 1/√(1 - x²)"""

    def backward(self, g):
        x, _ = self.saved_values()
        return (g * rsqrt(1 - x * x),)

    def jvp(self, t):
        x, _ = self.saved_values()
        return t * rsqrt(1 - x * x)


def asin(x):
    """asin x (arcsin)"""
    return _pointwise(x, K.asin, AsinBackward0, "x")

expose(asin, torch=("asin", "arcsin"), method=("asin", "arcsin"), inplace=True)


class AcosBackward0(Node):
    """y = acos x:  dy/dx = -1/√(1 - x²)"""

    def backward(self, g):
        x, _ = self.saved_values()
        return (-g * rsqrt(1 - x * x),)

    def jvp(self, t):
        x, _ = self.saved_values()
        return -t * rsqrt(1 - x * x)


def acos(x):
    """acos x (arccos)"""
    return _pointwise(x, K.acos, AcosBackward0, "x")

expose(acos, torch=("acos", "arccos"), method=("acos", "arccos"), inplace=True)


class AtanBackward0(Node):
    """y = atan x:  dy/dx = 1/(1 + x²)"""

    def backward(self, g):
        x, _ = self.saved_values()
        return (g / (x * x + 1),)

    def jvp(self, t):
        x, _ = self.saved_values()
        return t / (x * x + 1)


def atan(x):
    """atan x (arctan)"""
    return _pointwise(x, K.atan, AtanBackward0, "x")

expose(atan, torch=("atan", "arctan"), method=("atan", "arctan"), inplace=True)


class SinhBackward0(Node):
    """y = sinh x:  dy/dx = cosh x"""

    def backward(self, g):
        x, _ = self.saved_values()
        return (g * cosh(x),)

    def jvp(self, t):
        x, _ = self.saved_values()
        return t * cosh(x)


def sinh(x):
    """sinh x"""
    return _pointwise(x, K.sinh, SinhBackward0, "x")

expose(sinh, method=True, inplace=True)


class CoshBackward0(Node):
    """y = cosh x:  dy/dx = sinh x"""

    def backward(self, g):
        x, _ = self.saved_values()
        return (g * sinh(x),)

    def jvp(self, t):
        x, _ = self.saved_values()
        return t * sinh(x)


def cosh(x):
    """cosh x"""
    return _pointwise(x, K.cosh, CoshBackward0, "x")

expose(cosh, method=True, inplace=True)


class TanhBackwardBackward0(Node):
    """z = tanh_backward(g, y) = g (1 - y²):  dz/dg = 1 - y², dz/dy = -2 g y"""

    def backward(self, gg):
        g, y = self.saved_values()
        return (tanh_backward(gg, y) if self.next[0] is not None else None,
                gg * (g * y * -2) if self.next[1] is not None else None)

    def jvp(self, tg, ty):
        g, y = self.saved_values()
        out = tanh_backward(tg, y) if tg is not None else None
        if ty is not None:
            dy = ty * (g * y * -2)
            out = dy if out is None else out + dy
        return out


def tanh_backward(g, y):
    """PyTorch's fused tanh gradient g (1 - y²); recorded (create_graph) as TanhBackwardBackward0."""
    yd = y._data
    d = np.subtract(1, yd * yd)  # 1 - y² (the ufunc itself: ``1 - array`` tries int.__sub__ first)
    return _wrap_result(g._data * d, TanhBackwardBackward0, (g, y), saved=(g, y))


class TanhBackward0(Node):
    """y = tanh x:  dy/dx = 1 - tanh² x = 1 - y²"""

    def backward(self, g):
        _, y = self.saved_values()
        return (tanh_backward(g, y),)

    def backward_raw(self, g):
        _, y = self.saved_values()
        yd = y._data
        return (g * np.subtract(1, yd * yd),)  # tanh_backward's arrays

    def jvp(self, t):
        _, y = self.saved_values()
        return tanh_backward(t, y)


def tanh(x):
    """tanh x"""
    return _pointwise(x, K.tanh, TanhBackward0, "y")

expose(tanh, method=True, inplace=True, out=True)


class AsinhBackward0(Node):
    """y = asinh x:  dy/dx = 1/√(x² + 1)"""

    def backward(self, g):
        x, _ = self.saved_values()
        return (g * rsqrt(x * x + 1),)

    def jvp(self, t):
        x, _ = self.saved_values()
        return t * rsqrt(x * x + 1)


def asinh(x):
    """asinh x (arcsinh)"""
    return _pointwise(x, np.arcsinh, AsinhBackward0, "x")

expose(asinh, torch=("asinh", "arcsinh"), method=("asinh", "arcsinh"), inplace=True)


class AcoshBackward0(Node):
    """y = acosh x:  dy/dx = 1/√(x² - 1)"""

    def backward(self, g):
        x, _ = self.saved_values()
        return (g * rsqrt(x * x - 1),)

    def jvp(self, t):
        x, _ = self.saved_values()
        return t * rsqrt(x * x - 1)


def acosh(x):
    """acosh x (arccosh)"""
    return _pointwise(x, np.arccosh, AcoshBackward0, "x")

expose(acosh, torch=("acosh", "arccosh"), method=("acosh", "arccosh"), inplace=True)


class AtanhBackward0(Node):
    """y = atanh x:  dy/dx = 1/(1 - x²)"""

    def backward(self, g):
        x, _ = self.saved_values()
        return (g / (1 - x * x),)

    def jvp(self, t):
        x, _ = self.saved_values()
        return t / (1 - x * x)


def atanh(x):
    """atanh x (arctanh)"""
    return _pointwise(x, K.atanh, AtanhBackward0, "x")

expose(atanh, torch=("atanh", "arctanh"), method=("atanh", "arctanh"), inplace=True)


# =====================================================================================================
# Sigmoid and erf
# =====================================================================================================

class SigmoidBackwardBackward0(Node):
    """z = sigmoid_backward(g, y) = g (1 - y) y:  dz/dg = (1 - y) y, dz/dy = g (1 - 2y)"""

    def backward(self, gg):
        g, y = self.saved_values()
        return (sigmoid_backward(gg, y) if self.next[0] is not None else None,
                gg * (g * (1 - 2 * y)) if self.next[1] is not None else None)

    def jvp(self, tg, ty):
        g, y = self.saved_values()
        out = sigmoid_backward(tg, y) if tg is not None else None
        if ty is not None:
            dy = ty * (g * (1 - 2 * y))
            out = dy if out is None else out + dy
        return out


def sigmoid_backward(g, y):
    """PyTorch's fused sigmoid gradient g (1 - y) y, in its kernel's order; recorded as SigmoidBackwardBackward0."""
    yd = y._data
    return _wrap_result(g._data * (1 - yd) * yd, SigmoidBackwardBackward0, (g, y), saved=(g, y))


class SigmoidBackward0(Node):
    """y = σ(x) = 1/(1 + e^-x):  dy/dx = σ(x)(1 - σ(x)) = y (1 - y)"""

    def backward(self, g):
        _, y = self.saved_values()
        return (sigmoid_backward(g, y),)

    def jvp(self, t):
        _, y = self.saved_values()
        return sigmoid_backward(t, y)


def sigmoid(x):
    """σ(x) = 1/(1 + e^-x)"""
    return _pointwise(x, K.logistic, SigmoidBackward0, "y")

expose(sigmoid, method=True, inplace=True, out=True)


_TWO_OVER_SQRT_PI = 2 / math.sqrt(math.pi)


class ErfBackward0(Node):
    """y = erf x = 2/√π ∫₀ˣ e^(-u²) du:  dy/dx = 2/√π e^(-x²)"""

    def backward(self, g):
        x, _ = self.saved_values()
        return (g * exp(-(x * x)) * _TWO_OVER_SQRT_PI,)

    def jvp(self, t):
        x, _ = self.saved_values()
        return t * exp(-(x * x)) * _TWO_OVER_SQRT_PI


def erf(x):
    """the error function erf x (NumPy alone: ``kernels.special.erf``)"""
    return _pointwise(x, K.special.erf, ErfBackward0, "x")

expose(erf, method=True, inplace=True)


# =====================================================================================================
# Sign, magnitude, ReLU
# =====================================================================================================

class NegBackward0(Node):
    """y = -x:  dy/dx = -1"""

    def backward(self, g):
        return (-g,)

    def jvp(self, t):
        return -t


def neg(x):
    """-x (refused for bool tensors, as in PyTorch)"""
    if isinstance(x, Tensor) and x._data.dtype == np.bool_:
        raise RuntimeError("Negation, the `-` operator, on a bool tensor is not supported. If you are trying to "
                           "invert a mask, use the `~` or `logical_not()` operator instead.")
    return _pointwise(x, np.negative, NegBackward0, "", floats_only=False)

expose(neg, torch=("neg", "negative"), method=("neg", "negative"), inplace=True, operators="__neg__", out=True)


class AbsBackward0(Node):
    """y = |x|:  dy/dx = sgn x (x/|x| for complex x, the conjugate Wirtinger gradient g sgn x)"""

    def backward(self, g):
        x, _ = self.saved_values()
        return (g * (sgn(x) if x._data.dtype.kind == "c" else sign(x)),)

    def jvp(self, t):
        x, _ = self.saved_values()
        if x._data.dtype.kind == "c":
            return (t * conj(sgn(x))).real
        return t * sign(x)


def abs(x):  # noqa: A001  (PyTorch's name)
    """|x|"""
    _refuse(x, "b", "abs_cpu")
    return _pointwise(x, np.abs, AbsBackward0, "x", floats_only=False)

expose(abs, torch=("abs", "absolute"), method=("abs", "absolute"), inplace=True, operators="__abs__", out=True)


class ReluBackward0(Node):
    """y = max(x, 0):  dy/dx = [not y <= 0] (+0, not -0, where y <= 0; 1 where y is NaN: PyTorch's
    threshold_backward on the result)"""

    def backward(self, g):
        _, y = self.saved_values()
        if g._data.shape != y._data.shape:
            return (where(y <= 0, 0.0, g),)
        gx = _wrap(K.relu_backward(g._data, y._data))
        if _grad_mode.enabled or _fw.level is not None:  # create_graph (or forward mode): the backward is an op
            _record_on_result(gx, ThresholdBackwardBackward0, (g, y), saved=(y,), versions=(None,))
        return (gx,)

    def backward_raw(self, g):
        _, y = self.saved_values()
        yd = y._data
        return (K.relu_backward(g, yd),) if g.shape == yd.shape else None

    def jvp(self, t):
        _, y = self.saved_values()
        return where(y <= 0, 0.0, t)


class _MaskedGradBackward(Node):
    """z = m(s) · g: a backward that is linear in its cotangent g, with a mask m of a saved tensor s, recorded as an
    op under create_graph:  dz/dg = m(s);  dz/ds = 0 (m is piecewise constant), the edge to s kept as PyTorch keeps
    it, so the gradient of a piecewise-linear function still requires grad. ``apply_mask(v, s)`` is m(s) · v."""

    def apply_mask(self, v, s):
        raise NotImplementedError

    def backward(self, gg):
        (s,) = self.saved_values()
        dg = self.apply_mask(gg, s) if self.next[0] is not None else None
        ds = zeros_like_shape(gg, s._data.shape) if self.next[1] is not None else None
        return (dg, ds)

    def jvp(self, tg, ts):
        (s,) = self.saved_values()
        return zeros_like_shape(s, s._data.shape) if tg is None else self.apply_mask(tg, s)


class ThresholdBackwardBackward0(_MaskedGradBackward):
    """z = threshold_backward(g, s, t) = [not s <= t] · g (relu's backward, s its output and t = 0; threshold's, s
    its input):  dz/dg = [not s <= t];  dz/ds = 0"""

    threshold = 0.0

    def apply_mask(self, v, s):
        return where(s <= self.threshold, 0.0, v)


def _relu_kernel(a):
    if a.dtype.kind == "b":
        raise RuntimeError("Boolean inputs not supported for relu")
    return np.maximum(a, 0)


def relu(x):
    """max(x, 0)"""
    return _pointwise(x, _relu_kernel, ReluBackward0, "y", floats_only=False)

expose(relu, method=True, inplace=True)


class SignBackward0(Node):
    """y = sign x:  dy/dx = 0 (piecewise constant)"""

    def backward(self, g):
        return (g * 0,)

    def jvp(self, t):
        return t * 0


def _sign_kernel(a):
    # the sign of a bool is itself (NumPy has no bool loop); PyTorch's sign(nan) is 0
    return a.copy() if a.dtype.kind == "b" else np.sign(np.nan_to_num(a, nan=0.0))


def sign(x):
    """-1, 0 or 1 as x is negative, zero or positive"""
    return _pointwise(x, _sign_kernel, SignBackward0, "", floats_only=False)

expose(sign, method=True, inplace=True)


class SgnBackward0(Node):
    """y = sgn x = x/|x| (0 at 0):  dy/dx = 0 for real x; for complex x, dL/dx = (g - y² ḡ) / (2|x|) (0 at 0)"""

    def _rule(self, g):
        x, y = self.saved_values()
        if x is None:  # a real x: piecewise constant
            return g * 0
        m = x.abs()
        r = (g - y * y * conj(g)) / (2 * m)
        return r.masked_fill(m == 0, 0)

    def backward(self, g):
        return (self._rule(g),)

    def jvp(self, t):
        return self._rule(t)


def _sgn_kernel(a):
    if a.dtype.kind != "c":
        return _sign_kernel(a)
    m = np.abs(a)
    return np.where(m == 0, 0, a / np.where(m == 0, 1, m))


def sgn(x):
    """x/|x| (0 at 0; the sign for real tensors)"""
    keeps = "xy" if isinstance(x, Tensor) and x._data.dtype.kind == "c" else ""
    return _pointwise(x, _sgn_kernel, SgnBackward0, keeps, floats_only=False)

expose(sgn, method=True, inplace=True)


# =====================================================================================================
# Rounding: piecewise constant, so zero derivatives (frac: one)
# =====================================================================================================

class FloorBackward0(Node):
    """y = ⌊x⌋:  dy/dx = 0"""

    def backward(self, g):
        return (g * 0,)

    def jvp(self, t):
        return t * 0


def floor(x):
    """⌊x⌋"""
    _refuse(x, "b", "floor_vml_cpu")
    return _pointwise(x, np.floor, FloorBackward0, "", floats_only=False)

expose(floor, method=True, inplace=True, out=True)


class CeilBackward0(Node):
    """y = ⌈x⌉:  dy/dx = 0"""

    def backward(self, g):
        return (g * 0,)

    def jvp(self, t):
        return t * 0


def ceil(x):
    """⌈x⌉"""
    _refuse(x, "b", "ceil_vml_cpu")
    return _pointwise(x, np.ceil, CeilBackward0, "", floats_only=False)

expose(ceil, method=True, inplace=True, out=True)


class TruncBackward0(Node):
    """y = trunc x (toward zero):  dy/dx = 0"""

    def backward(self, g):
        return (g * 0,)

    def jvp(self, t):
        return t * 0


def trunc(x):
    """x rounded toward zero (also torch.fix)"""
    _refuse(x, "b", "trunc_vml_cpu")
    return _pointwise(x, np.trunc, TruncBackward0, "", floats_only=False)

expose(trunc, torch=("trunc", "fix"), method=("trunc", "fix"), inplace=True)


class FracBackward0(Node):
    """y = x - trunc x:  dy/dx = 1"""

    def backward(self, g):
        return (g,)

    def jvp(self, t):
        return t


def frac(x):
    """the fractional part x - trunc x"""
    _refuse(x, "iub", "frac_cpu")
    return _pointwise(x, lambda a: a - np.trunc(a), FracBackward0, "")

expose(frac, method=True, inplace=True)


class RoundBackward0(Node):
    """y = round x (half to even):  dy/dx = 0"""

    def backward(self, g):
        return (g * 0,)

    def jvp(self, t):
        return t * 0


class RoundBackward1(RoundBackward0):
    """y = round(x, decimals):  dy/dx = 0"""


_ROUND = Sigs("round", "(Tensor input, *, Tensor out = None)", "(Tensor input, *, int decimals, Tensor out = None)")


def round(x, decimals: int | None = None):  # noqa: A001  (PyTorch's name)
    """x rounded half to even, to ``decimals`` places (given, even as 0: PyTorch's round.decimals overload,
    RoundBackward1, which has no integer kernel)"""
    if type(x) is not Tensor:
        _ROUND.check_call(round, x, decimals)
    kind = x._data.dtype.kind
    if kind == "b" or (decimals is not None and kind in "iu"):
        _no_kernel("round_cpu" if decimals else "round_vml_cpu", x)
    if decimals is not None:
        return _wrap_result(np.round(x._data, decimals), RoundBackward1, (x,))
    return _wrap_result(np.round(x._data), RoundBackward0, (x,))

expose(round, method=True, inplace=True, out=True)


# =====================================================================================================
# Identity-like: positive, conj; frexp
# =====================================================================================================

def positive(x):
    """x itself (+x)"""
    if x._data.dtype == np.bool_:
        raise RuntimeError("The `+` operator, on a bool tensor is not supported.")
    return x

expose(positive, method=True, operators="__pos__")


class ConjBackward0(Node):
    """y = x̄ (complex conjugate):  the gradient is conjugated back"""

    def backward(self, g):
        return (conj(g),)

    def jvp(self, t):
        return conj(t)


def conj(x):
    """the complex conjugate (x itself for real tensors; ember's conjugate is a copy, PyTorch's a lazy view)"""
    if x._data.dtype.kind != "c":
        return x
    return _wrap_result(np.conj(x._data), ConjBackward0, (x,))

expose(conj, method=True)


def _conj(x):
    """conj(x) for a complex tensor; anything else (a real tensor, a number) as it is"""
    if isinstance(x, Tensor) and x._data.dtype.kind == "c":
        return conj(x)
    return x


class ConjPhysicalBackward0(Node):
    """y = x̄ computed into new memory:  the gradient is conjugated back"""

    def backward(self, g):
        return (conj_physical(g),)

    def jvp(self, t):
        return conj_physical(t)


def conj_physical(x):
    """the complex conjugate in new memory (x itself for real tensors)"""
    if x._data.dtype.kind != "c":
        return x
    return _wrap_result(np.conj(x._data), ConjPhysicalBackward0, (x,))

expose(conj_physical, method=True, out=True)


class ConjPhysicalBackward1(ConjPhysicalBackward0):
    """x.conj_physical_() (x conjugated in place; a real x unchanged, still recorded):  dx = conj(g)"""


def conj_physical_(x):
    """x.conj_physical_(): x conjugated in its own memory (a real tensor keeps its values)"""
    check_inplace(x)
    return apply_inplace(x, _wrap_result(np.conj(x._data), ConjPhysicalBackward1, (x,)))

expose(conj_physical_, method=True)


class FrexpBackward0(Node):
    """m = x / 2^e (e held fixed: an integer, piecewise constant):  dm/dx = 1/2^e"""

    def backward(self, g):
        (e,) = self.saved_values()
        return (g / exp2(e),)  # 2^e in the default float dtype, as PyTorch's exponent.exp2()

    def jvp(self, t):
        (e,) = self.saved_values()
        return t / exp2(e)


def frexp(x: Tensor):
    """(mantissa m with |m| in [0.5, 1), integer exponent e) with x = m 2^e"""
    if x._data.dtype.kind != "f":
        raise RuntimeError("torch.frexp() only supports floating-point dtypes")
    m, e = np.frexp(x._data)
    exponent = _wrap(np.asarray(e, dtype=np.int32))
    return _frexp_result(_wrap_result(m, FrexpBackward0, (x,), saved=(exponent,)), exponent)

expose(frexp, method=True)


# =====================================================================================================
# Scalings and logit
# =====================================================================================================

_RAD_PER_DEG = math.pi / 180.0
_DEG_PER_RAD = 180.0 / math.pi


class Deg2RadBackward0(Node):
    """y = x π/180:  dy/dx = π/180"""

    def backward(self, g):
        return (g * _RAD_PER_DEG,)

    def jvp(self, t):
        return t * _RAD_PER_DEG


def deg2rad(x):
    """x in radians: x π/180"""
    _refuse(x, "b", "deg2rad")
    return _pointwise(x, lambda a: a * a.dtype.type(_RAD_PER_DEG), Deg2RadBackward0, "")

expose(deg2rad, method=True, inplace=True)


class Rad2DegBackward0(Node):
    """y = x 180/π:  dy/dx = 180/π"""

    def backward(self, g):
        return (g * _DEG_PER_RAD,)

    def jvp(self, t):
        return t * _DEG_PER_RAD


def rad2deg(x):
    """x in degrees: x 180/π"""
    _refuse(x, "b", "rad2deg")
    return _pointwise(x, lambda a: a * a.dtype.type(_DEG_PER_RAD), Rad2DegBackward0, "")

expose(rad2deg, method=True, inplace=True)


class LogitBackward0(Node):
    """y = ln(x/(1 - x)), x clamped to [eps, 1 - eps] if eps is given:  dy/dx = 1/(x(1 - x)), 0 outside
    [eps, 1 - eps]"""
    eps = None

    def backward(self, g):
        x, _ = self.saved_values()
        return (self._derivative(x, g),)

    def jvp(self, t):
        x, _ = self.saved_values()
        return self._derivative(x, t)

    def _derivative(self, x, g):
        d = g / (x * (1 - x))
        if self.eps is None:
            return d
        lo, hi = self.eps, 1 - self.eps
        return where((x < lo) | (x > hi), 0.0, d)


def logit(x, eps=None):
    """ln(x/(1 - x)); with ``eps``, x clamped to [eps, 1 - eps] first"""
    def kernel(a):
        if eps is not None:
            a = np.clip(a, eps, 1 - eps)
        return K.log(a / (1 - a))
    return _pointwise(x, kernel, LogitBackward0, "x", eps=eps)

expose(logit, method=True, inplace=True)

