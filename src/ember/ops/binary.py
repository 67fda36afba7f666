"""Binary elementwise arithmetic: add, sub, mul, div, pow, remainder, fmod, maximum, atan2, hypot, xlogy, ... .

Each op is one block: its node (the derivative in the docstring; ``backward`` gives dL/da, dL/db from dL/dz, ``jvp``
gives dz from da, db), then the function (checks, NumPy, record). Broadcast inputs get their gradients summed back
to shape by the engine (``Node.in_shapes``), not here; their tangents broadcast by NumPy's rules."""

from __future__ import annotations

import builtins
import math
import types

from .. import kernels as K
from .._array import np
from .._core import dtype as D
from .._core import modes
from .._core.args import _promote_pair, _scalar
from .._core.exposure import expose
from .._core.messages import _bcast_message, _long_name
from .._core.node import Node
from .._core.record import _edges, _forward, _forward_node, _saved_output, _tangents_of, _versions
from .._core.sigs import Sigs
from .._core.tensor import Tensor, _wrap
from .creation import as_tensor_arg
from .pointwise import NotImplemented, _refuse_forward_ad, where
from .query import result_type
from .unary import _conj, _quietly, reciprocal

_fw = modes.forward
_grad_mode = modes.grad
_saved_state = modes.saved
_ndarray = np.ndarray
_new = object.__new__
_NOT_AN_OPERAND = builtins.NotImplemented  # the operators' answer to an operand of another type


__all__ = ["add", "sub", "rsub", "mul", "div", "rdiv", "floor_divide", "remainder", "fmod", "pow", "rpow",
           "maximum", "minimum", "atan2", "square", "gcd", "lcm", "nextafter", "ldexp", "logaddexp2",
           "true_divide", "logaddexp", "hypot", "xlogy", "fmax", "fmin", "copysign", "float_power", "float_power_",
           "bitwise_left_shift", "bitwise_right_shift"]

# every op here maps element i of its operands to element i of its result, and no error depends on the values:
# an in-place form with nothing to record may run block by block (ops.inplace._in_blocks)
INPLACE_IN_BLOCKS = True


# =====================================================================================================
# Recording
# =====================================================================================================

def _binary(a, b, ufunc, node_cls, saved_mode, operator=False):
    """Forward of an elementwise binary op ``ufunc(a, b)``; ``saved_mode`` "ab": backward keeps both operands.
    The hot path of ``a + b`` and ``a * b``: every line here counts, so the common case (a tensor and a tensor of
    its dtype, or a float tensor and a Python number) is decided with two checks, and the tensor, its node and
    the saved operands are made here directly rather than through the recording helpers."""
    ad = a._data
    tb = type(b)
    if tb is Tensor and b._data.dtype is ad.dtype:
        bd = b._data
    elif (tb is float or tb is int) and ad.dtype.kind in "fc":  # float tensor op Python number: as is
        bd = b
    elif operator and not isinstance(b, _OPERAND):  # a + "x": NotImplemented, so Python raises its TypeError
        return _NOT_AN_OPERAND
    else:
        ad, bd = _promote_pair(a, b)
    try:
        r = ufunc(ad, bd)
    except ValueError:
        raise RuntimeError(_bcast_message(np.shape(ad), np.shape(bd))) from None
    if type(r) is not _ndarray and not isinstance(r, _ndarray):  # NumPy scalars; a meta array stays one
        r = np.asarray(r)
    t = _new(Tensor)
    t._data = r
    if _grad_mode.inference:
        t._inference = True
    b_is_t = tb is Tensor or isinstance(b, Tensor)
    if _grad_mode.enabled and (a._requires_grad or (b_is_t and b._requires_grad)):
        ea = eb = None  # the edges, as record._edge makes them
        if a._requires_grad:
            fn = a.grad_fn
            ea = a if fn is None else fn if not a._output_nr else (fn, a._output_nr)
        if b_is_t and b._requires_grad:
            fn = b.grad_fn
            eb = b if fn is None else fn if not b._output_nr else (fn, b._output_nr)
        node = node_cls((ea, eb))
        so = r.shape
        if ad.shape != so or (b_is_t and bd.shape != so):
            node.in_shapes = (ad.shape, bd.shape if b_is_t else None)
        if saved_mode is not None:
            # each operand is needed only for the other's derivative: track versions accordingly
            va = vb = None
            if b_is_t and b._requires_grad:
                vc = a._version_counter
                va = vc[0] if vc is not None else 0
            if b_is_t and a._requires_grad:
                vc = b._version_counter
                vb = vc[0] if vc is not None else 0
            if _saved_state.hooks:  # saved_tensors_hooks: the property packs them
                node.saved = (a, b)
            else:
                node._saved = (a, b)
            node.versions = (va, vb)
            if r.dtype.kind == "c":
                node.complex = True  # its backward conjugates
        node.out_shape = so
        t.grad_fn = node
        t._requires_grad = True
        if _fw.level is not None:
            _forward(t, node, node_cls, (a, b))
    elif _fw.level is not None and _tangents_of((a, b)) is not None:  # forward mode only: a node for jvp
        node = _forward_node(node_cls, (a, b))
        _keep(node, a, b, b_is_t, t, saved_mode, ad.shape, np.shape(bd), r.shape)
        _forward(t, node, node_cls, (a, b))
    return t


def _bare_factor(g, x):
    """x as the bare operand of a first-order backward's ``g * x`` (g an array; Node.backward_raw): its array
    when the tensor op would multiply the two as they are (one dtype, or a Python number times a float
    gradient), else None (the tensor formula runs, with its promotion)."""
    if isinstance(x, Tensor):
        xd = x._data
        return xd if xd.dtype == g.dtype else None
    if (type(x) is float or type(x) is int) and g.dtype.kind in "fc":
        return x
    return None


def _keep(node, a, b, b_is_t, t, saved_mode, sa, sb, so):
    """What a binary op's node keeps: the input shapes when it broadcast, the operands its derivative needs."""
    if sa != so or (b_is_t and sb != so):
        node.in_shapes = (sa, sb if b_is_t else None)
    if saved_mode is not None:
        # "ab": each operand is needed only for the other's derivative: track versions accordingly
        node.saved = (a, b)
        node.versions = (a._version if b_is_t and b._requires_grad else None, b._version if b_is_t and a._requires_grad else None)
        if t._data.dtype.kind == "c":
            node.complex = True
    node.out_shape = so


def _node(node_cls, inputs):
    """The node for an op on ``inputs`` (None entries: operands that are numbers): recorded when grad mode is on
    and an input requires grad, made for forward mode when an input has a tangent, else None."""
    if _grad_mode.enabled:
        for x in inputs:
            if x is not None and x._requires_grad:
                return node_cls(_edges(inputs))
    return _forward_node(node_cls, inputs)


def _rec(r, node_cls, inputs, saved=(), versions=None, keep_out=False, **attrs):
    """Wrap ``r`` and record ``node_cls`` on ``inputs`` with everything its derivative needs, given here at
    recording time: ``saved`` (its versions checked at backward, or ``versions``), the output itself when
    ``keep_out``, ``in_shapes`` when the op broadcast, other attributes."""
    if type(r) is not _ndarray and not isinstance(r, _ndarray):  # NumPy scalars; a meta array stays one
        r = np.asarray(r)
    t = _wrap(r)
    node = _node(node_cls, inputs)
    if node is None:
        return t
    if versions is None:
        versions = _versions(saved)
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


def _shapes(r, *inputs):
    """``in_shapes`` for a result ``r`` of ``inputs`` (None for numbers): None unless one was broadcast."""
    so = np.shape(r)
    if builtins.all(x is None or x._data.shape == so for x in inputs):
        return None
    return tuple(None if x is None else x._data.shape for x in inputs)


def _plus(x, y):
    """x + y where either may be None (a missing tangent)"""
    if x is None:
        return y
    return x if y is None else x + y


def _zeros(node, like):
    """The zero tangent of a node's output (an op whose derivative is zero)"""
    return _wrap(np.zeros(node.out_shape, dtype=like._data.dtype))


def _real_for(x, grad):
    """the gradient of operand ``x``: its real part when x is a real tensor and the gradient complex (a real input
    of a complex op: its gradient is the real part of the conjugate Wirtinger one)"""
    if grad._data.dtype.kind == "c" and isinstance(x, Tensor) and x._data.dtype.kind != "c":
        return grad.real
    return grad


def _tensor_only(name, a, b, positions=(1, 2), args=("input", "other")):
    """PyTorch's binding takes no Python numbers here (torch.clamp does)"""
    for pos, arg, x in zip(positions, args, (a, b)):
        if not isinstance(x, Tensor):
            raise TypeError(f"{name}(): argument '{arg}' (position {pos}) must be Tensor, not {type(x).__name__}")


def _no_kernel(name, dt):
    raise NotImplementedError(f"\"{name}\" not implemented for '{_long_name(dt)}'")


def _float_pair(a, b, kernel=None):
    """a, b promoted, then as floats (integers and bools to the default float); ``kernel``: refuse those instead"""
    ad, bd = _promote_pair(a, b)
    dt = np.result_type(ad, bd) if isinstance(b, Tensor) else ad.dtype
    if dt.kind not in "fc":
        if kernel is not None:
            _no_kernel(kernel, D.from_numpy_dtype(dt))
        f = D.get_default_dtype().np
        ad = ad.astype(f)
        bd = bd.astype(f) if isinstance(bd, _ndarray) else bd
    return ad, bd


# =====================================================================================================
# add, sub, mul
# =====================================================================================================

class AddBackward0(Node):
    """z = a + α b:  dz/da = 1, dz/db = α"""

    alpha = 1

    def backward(self, g):
        return (g, g if self.alpha == 1 else g * self.alpha)

    def backward_raw(self, g):
        return (g, g) if self.alpha == 1 else None

    def jvp(self, ta, tb):
        if tb is not None and self.alpha != 1:
            tb = tb * self.alpha
        return _plus(ta, tb)


def _check_alpha(rt, alpha):
    """PyTorch's rules for ``alpha`` against the result dtype (before anything is computed)"""
    if isinstance(alpha, bool):
        if rt.kind != "b":
            raise RuntimeError("Boolean alpha only supported for Boolean results.")
    elif isinstance(alpha, complex):
        if rt.kind != "c":
            raise RuntimeError("For non-complex input tensors, argument alpha must not be a complex number.")
    elif isinstance(alpha, float) and rt.kind in "iub":
        raise RuntimeError("For integral input tensors, argument alpha must not be a floating point number.")


def _scaled(a, b, alpha, sign, node_cls):
    """a ± α b in one step, recorded as one node keeping α (PyTorch's AddBackward0 / SubBackward0)"""
    alpha = _scalar(alpha)
    ad, bd = _promote_pair(a, b)
    rt = np.result_type(ad, bd)
    _check_alpha(rt, alpha)
    try:
        np.broadcast_shapes(np.shape(ad), np.shape(bd))
    except ValueError:
        raise RuntimeError(_bcast_message(np.shape(ad), np.shape(bd))) from None
    if rt.kind == "b":
        r = np.logical_or(ad, np.logical_and(bd, bool(alpha)))
    else:
        if rt == np.float32 and not isinstance(alpha, complex):  # PyTorch's kernel: fma(b, float32(±α), a)
            r = K.fma(np.asarray(bd).astype(rt, copy=False), rt.type(alpha if sign > 0 else -alpha),
                      np.asarray(ad).astype(rt, copy=False))
        else:
            sb = np.multiply(bd, alpha)
            r = (np.add(ad, sb) if sign > 0 else np.subtract(ad, sb)).astype(rt, copy=False)
    bt = b if isinstance(b, Tensor) else None
    return _rec(r, node_cls, (a, bt), alpha=alpha, in_shapes=_shapes(r, a, bt))


def _number_or_tensor(a, name):
    """PyTorch's binding takes a Python number as the first operand of add/sub/mul/div, not a list or None"""
    if not isinstance(a, (int, float, complex, np.generic)):
        raise TypeError(f"{name}(): argument 'input' (position 1) must be Tensor, not {type(a).__name__}")
    return as_tensor_arg(a)


_ADD = Sigs("add", "(Tensor input, Tensor other, *, Number alpha = 1, Tensor out = None)", numbers=True)


def add(a, b, *, alpha=1):
    """a + α b"""
    if type(b) is not Tensor and type(b) is not float and type(b) is not int:
        _ADD.check(a, b)
    if not isinstance(a, Tensor):
        a = _number_or_tensor(a, "add")
    if type(alpha) is not int or alpha != 1:  # alpha=1.0 or True has its own rules
        return _scaled(a, b, alpha, 1, AddBackward0)
    return _binary(a, b, np.add, AddBackward0, None)

add.inplace_ufunc = np.add  # x.add_(b) with nothing recorded: written straight into x (ops.inplace)
expose(add, method=True, inplace=('__iadd__', 'add_'), out=True)


class SubBackward0(Node):
    """z = a - α b:  dz/da = 1, dz/db = -α"""

    alpha = 1

    def backward(self, g):
        return (g, -g if self.alpha == 1 else g * (-self.alpha))

    def jvp(self, ta, tb):
        if tb is not None:
            tb = -tb if self.alpha == 1 else tb * (-self.alpha)
        return _plus(ta, tb)


def _check_bool_sub(a, b):
    a_bool = a._data.dtype == np.bool_
    b_bool = b._data.dtype == np.bool_ if isinstance(b, Tensor) else isinstance(b, (bool, np.bool_))
    if a_bool and b_bool:
        raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not supported. Use the "
                           "`^` or `logical_xor()` operator instead.")
    if a_bool or b_bool:
        raise RuntimeError("Subtraction, the `-` operator, with a bool tensor is not supported. If you are "
                           "trying to invert a mask, use the `~` or `logical_not()` operator instead.")


_SUB = Sigs("sub", "(Tensor input, Tensor other, *, Number alpha = 1, Tensor out = None)", numbers=True)


def sub(a, b, *, alpha=1):
    """a - α b"""
    if type(b) is not Tensor and type(b) is not float and type(b) is not int:
        _SUB.check(a, b)
    if not isinstance(a, Tensor):
        a = _number_or_tensor(a, "sub")
    _check_bool_sub(a, b)
    if type(alpha) is not int or alpha != 1:
        return _scaled(a, b, alpha, -1, SubBackward0)
    return _binary(a, b, np.subtract, SubBackward0, None)

sub.inplace_ufunc = np.subtract  # x.sub_(b) with nothing recorded: written straight into x (ops.inplace)
expose(sub, torch=('sub', 'subtract'), method=('sub', 'subtract'), inplace=('__isub__', 'sub_', 'subtract_'), out=True)


class RsubBackward0(Node):
    """z = b - α a (both tensors):  dz/da = -α, dz/db = 1"""

    alpha = 1

    def backward(self, g):
        return (g * (-self.alpha), g)

    def jvp(self, ta, tb):
        return _plus(None if ta is None else ta * (-self.alpha), tb)


class RsubBackward1(Node):
    """z = s - α a (s a number):  dz/da = -α"""

    alpha = 1

    def backward(self, g):
        return (g * (-self.alpha),)

    def jvp(self, ta):
        return ta * (-self.alpha)


def rsub(a, other, *, alpha=1):
    """other - α a (``2 - x`` is ``rsub(x, 2)``)"""
    _tensor_only("rsub", a, a)
    _check_bool_sub(a, other)
    alpha = _scalar(alpha)
    ad, od = _promote_pair(a, other)
    ot = other if isinstance(other, Tensor) else None
    rt = np.result_type(ad, od) if ot is not None else ad.dtype  # a number operand: ad is already promoted
    _check_alpha(rt, alpha)
    try:
        r = np.subtract(od, ad if alpha == 1 else np.multiply(ad, alpha))
    except ValueError:
        raise RuntimeError(_bcast_message(np.shape(ad), np.shape(od))) from None
    r = np.asarray(r).astype(rt, copy=False)
    if ot is None:
        return _rec(r, RsubBackward1, (a,), alpha=alpha, in_shapes=_shapes(r, a))
    return _rec(r, RsubBackward0, (a, ot), alpha=alpha, in_shapes=_shapes(r, a, ot))

expose(rsub, operators=('__rsub__',))


class MulBackward0(Node):
    """z = a b:  dz/da = b, dz/db = a

    For complex inputs the gradient is conjugated: dL/da = g conj(b); a real operand of a complex product gets
    the real part (PyTorch's handle_r_to_c)."""

    complex = False  # set when the product is complex

    def backward(self, g):
        a, b = self.saved_values()
        if not self.complex:
            return (g * b if self.next[0] is not None else None, g * a if self.next[1] is not None else None)
        return (_real_for(a, g * _conj(b)) if self.next[0] is not None else None,
                _real_for(b, g * _conj(a)) if self.next[1] is not None else None)

    def backward_raw(self, g):
        a, b = self.saved_values()
        ga = gb = None
        if self.next[0] is not None:
            bd = _bare_factor(g, b)
            if bd is None or self.complex:
                return None
            ga = np.multiply(g, bd)
        if self.next[1] is not None:
            ad = _bare_factor(g, a)
            if ad is None or self.complex:
                return None
            gb = np.multiply(g, ad)
        return (ga, gb)

    def jvp(self, ta, tb):
        a, b = self.saved_values()
        return _plus(None if ta is None else ta * b, None if tb is None else a * tb)


_MUL = Sigs("mul", "(Tensor input, Tensor other, *, Tensor out = None)", numbers=True)


def mul(a, b):
    """a b"""
    if type(b) is not Tensor and type(b) is not float and type(b) is not int:
        _MUL.check(a, b)
    if not isinstance(a, Tensor):
        a = _number_or_tensor(a, "mul")
    return _binary(a, b, np.multiply, MulBackward0, "ab")

mul.inplace_ufunc = np.multiply  # x.mul_(b) with nothing recorded: written straight into x (ops.inplace)
expose(mul, torch=('mul', 'multiply'), method=('mul', 'multiply'), inplace=('__imul__', 'mul_', 'multiply_'), out=True)


class MulBackward1(Node):
    """z = a c for a Python number c (PyTorch's mul.Scalar, the node its C++ composites record):  dz/da = c

    Forward mode: dz = c da"""

    def backward(self, g):
        return (g * self.scalar,)

    def backward_raw(self, g):
        c = _bare_factor(g, self.scalar)
        return None if c is None else (np.multiply(g, c),)

    def jvp(self, t):
        return t * self.scalar


def _mul_scalar(a, c):
    """a c for a Python number c, recorded as MulBackward1 (inside composites; ``a * c`` records MulBackward0)"""
    return _rec(a._data * a._data.dtype.type(c), MulBackward1, (a,), scalar=c)


class DivBackward1(Node):
    """z = a / c for a Python number c (PyTorch's div.Scalar, the node its C++ composites record):  dz/da = 1/c

    Forward mode: dz = da / c"""

    def backward(self, g):
        return (g / self.scalar,)

    def jvp(self, t):
        return t / self.scalar


def _div_scalar(a, c):
    """a / c for a Python number c, recorded as DivBackward1 (inside composites; ``a / c`` records DivBackward0)"""
    with np.errstate(divide="ignore", invalid="ignore"):
        return _rec(a._data / a._data.dtype.type(c), DivBackward1, (a,), scalar=c)


# =====================================================================================================
# Division
# =====================================================================================================

class DivBackward0(Node):
    """z = a / b:  dz/da = 1/b, dz/db = -a/b²

    dz/db is rounded as (a / b) / b, in PyTorch's order."""

    def backward(self, g):
        a, b = self.saved_values()
        ga = _real_for(a, g / _conj(b)) if self.next[0] is not None else None
        gb = _real_for(b, -g * _conj((a / b) / b)) if self.next[1] is not None else None
        return (ga, gb)

    def jvp(self, ta, tb):
        a, b = self.saved_values()
        return _plus(None if ta is None else ta / b, None if tb is None else -tb * ((a / b) / b))


class DivBackward2(Node):
    """z = round(a / b) (rounding_mode 'trunc' or 'floor'):  piecewise constant, dz/da = dz/db = 0"""

    def backward(self, g):
        z = g * 0
        return (z if self.next[0] is not None else None, z if self.next[1] is not None else None)

    def jvp(self, ta, tb):
        return _zeros(self, ta if ta is not None else tb)


def _trunc_divide(ad, bd):
    if ad.dtype.kind in "iu":
        # integer C division: the quotient rounded toward zero, exactly
        q = np.floor_divide(ad, bd)
        return q + ((q < 0) & (q * bd != ad))
    return np.trunc(np.true_divide(ad, bd))


def _rounded_quotient(a, b, mode):
    """floor(a / b) or trunc(a / b) in a's and b's promoted dtype, with PyTorch's errors"""
    ad, bd = _promote_pair(a, b)
    dt = np.result_type(ad, bd) if isinstance(b, Tensor) else ad.dtype
    if dt.kind == "b":
        _no_kernel(f"div_{mode}_cpu", D.bool_)
    if dt.kind in "iu" and np.any(np.asarray(bd) == 0):
        raise RuntimeError("ZeroDivisionError")
    try:
        np.broadcast_shapes(np.shape(ad), np.shape(bd))
    except ValueError:
        raise RuntimeError(_bcast_message(np.shape(ad), np.shape(bd))) from None
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.floor_divide(ad, bd) if mode == "floor" else _trunc_divide(ad, bd)
    return np.asarray(r).astype(dt, copy=False)


_DIV = Sigs("div", "(Tensor input, Tensor other, *, Tensor out = None)",
            "(Tensor input, Tensor other, *, str rounding_mode, Tensor out = None)",
            "(Tensor input, Number other, *, str rounding_mode)", numbers=True)


def div(a, b, *, rounding_mode=None):
    """a / b (true division); ``rounding_mode`` 'trunc' or 'floor' rounds the quotient"""
    if type(b) is not Tensor and type(b) is not float and type(b) is not int:
        _DIV.check(a, b)
    if not isinstance(a, Tensor):
        a = _number_or_tensor(a, "div")
    bt = b if isinstance(b, Tensor) else None
    if rounding_mode is not None:
        if rounding_mode not in ("floor", "trunc"):
            raise RuntimeError(f"div expected rounding_mode to be one of None, 'trunc', or 'floor' but found "
                               f"'{rounding_mode}'")
        r = _rounded_quotient(a, b, rounding_mode)
        return _rec(r, DivBackward2, (a, bt), in_shapes=_shapes(r, a, bt))
    ad, bd = _float_pair(a, b)
    with np.errstate(divide="ignore", invalid="ignore"):
        try:
            r = np.true_divide(ad, bd)
        except ValueError:
            raise RuntimeError(_bcast_message(np.shape(ad), np.shape(bd))) from None
    # a is needed only for b's derivative, b always (a number b: its value)
    versions = (a._version if bt is not None and bt._requires_grad else None, bt._version if bt is not None else None)
    return _rec(r, DivBackward0, (a, bt), saved=(a, b), versions=versions, in_shapes=_shapes(r, a, bt))

div.inplace_ufunc = np.true_divide  # x.div_(b) with nothing recorded: written straight into x (ops.inplace)
expose(div, torch=('div', 'divide', 'true_divide'), method=('div', 'divide', 'true_divide'),
       inplace=('__itruediv__', 'div_', 'divide_', 'true_divide_'), operators=('__truediv__',), out=True)

true_divide = div


def rdiv(a, s):
    """s / a = reciprocal(a) s (PyTorch records it as MulBackward0 after ReciprocalBackward0)"""
    return mul(reciprocal(a), s)

expose(rdiv, torch=False, operators=('__rtruediv__',))


def floor_divide(a, b):
    """floor(a / b), no derivative (PyTorch's backward through it raises)"""
    if not isinstance(a, Tensor):
        a = _number_or_tensor(a, "floor_divide")
    bt = b if isinstance(b, Tensor) else None
    r = _rounded_quotient(a, b, "floor")
    _refuse_forward_ad("floor_divide", a, bt)
    inputs = (a, bt) if bt is not None else (a,)
    return _rec(r, NotImplemented, inputs, op="floor_divide", in_shapes=_shapes(r, *inputs))

expose(floor_divide, method=True, inplace=('__ifloordiv__', 'floor_divide_'), operators=('__floordiv__',), out=True)


class RemainderBackward0(Node):
    """z = a mod s (s a number):  dz/da = 1"""

    def backward(self, g):
        return (g,)

    def jvp(self, ta):
        return ta


class RemainderBackward1(Node):
    """z = a - b floor(a/b):  dz/da = 1, dz/db = -floor(a/b)"""

    def backward(self, g):
        a, b = self.saved_values()
        return (g if self.next[0] is not None else None,
                -g * a.div(b, rounding_mode="floor") if self.next[1] is not None else None)

    def jvp(self, ta, tb):
        a, b = self.saved_values()
        return _plus(ta, None if tb is None else -tb * a.div(b, rounding_mode="floor"))


def _mod_pair(a, b, kernel):
    ad, bd = _promote_pair(a, b)
    dt = np.result_type(ad, bd) if isinstance(b, Tensor) else ad.dtype
    if dt.kind == "b":
        _no_kernel(kernel, D.bool_)
    if dt.kind in "iu" and np.any(np.asarray(bd) == 0):
        raise RuntimeError("ZeroDivisionError")
    try:
        np.broadcast_shapes(np.shape(ad), np.shape(bd))
    except ValueError:
        raise RuntimeError(_bcast_message(np.shape(ad), np.shape(bd))) from None
    return ad, bd, dt


_REMAINDER = Sigs("remainder", "(Tensor input, Tensor other, *, Tensor out = None)", "(Number self, Tensor other)",
                  "(Tensor input, Number other, *, Tensor out = None)")


def remainder(a, b):
    """a - b floor(a/b): the sign of b (Python's %)"""
    if type(a) is not Tensor or (type(b) is not Tensor and type(b) is not float and type(b) is not int):
        _REMAINDER.check(a, b)
    if not isinstance(a, Tensor):
        return _rmod(as_tensor_arg(b), a)
    ad, bd, dt = _mod_pair(a, b, "remainder_cpu")
    with np.errstate(divide="ignore", invalid="ignore"):
        if dt.kind == "f":
            # PyTorch's float kernel: fmod, then shift by b when the signs differ; keeps fmod's signed zeros
            r = np.fmod(ad, bd)
            r = np.where((r != 0) & ((np.asarray(bd) < 0) != (r < 0)), r + bd, r)
        else:
            r = np.remainder(ad, bd)
    r = np.asarray(r).astype(dt, copy=False)
    if isinstance(b, Tensor):
        return _rec(r, RemainderBackward1, (a, b), saved=(a, b), in_shapes=_shapes(r, a, b))
    return _rec(r, RemainderBackward0, (a,), in_shapes=_shapes(r, a))

expose(remainder, method=True, inplace=('__imod__', 'remainder_'), operators=('__mod__',), out=True)


def _rmod(a, s):
    """s % a for a number s: PyTorch's remainder(Scalar, Tensor), which has no derivative"""
    if not isinstance(s, Tensor):
        s = as_tensor_arg(s)
        if s._data.dtype.kind == "f" and a._data.dtype.kind in "fc":
            s = _wrap(s._data.astype(a._data.dtype))
    _refuse_forward_ad("remainder", a)
    r = remainder(s, a.detach())
    return _rec(r._data, NotImplemented, (a,), op="remainder", in_shapes=_shapes(r._data, a))

expose(_rmod, torch=False, operators="__rmod__")


class FmodBackward0(Node):
    """z = fmod(a, s) (s a number):  dz/da = 1"""

    def backward(self, g):
        return (g,)

    def jvp(self, ta):
        return ta


class FmodBackward1(Node):
    """z = a - b trunc(a/b):  dz/da = 1, dz/db = -trunc(a/b)"""

    def backward(self, g):
        a, b = self.saved_values()
        return (g if self.next[0] is not None else None,
                -g * a.div(b, rounding_mode="trunc") if self.next[1] is not None else None)

    def jvp(self, ta, tb):
        a, b = self.saved_values()
        return _plus(ta, None if tb is None else -tb * a.div(b, rounding_mode="trunc"))


_FMOD = Sigs("fmod", "(Tensor input, Tensor other, *, Tensor out = None)", "(Tensor input, Number other, *, Tensor out = None)")


def fmod(a, b):
    """a - b trunc(a/b): the sign of a (C's fmod)"""
    if type(a) is not Tensor or (type(b) is not Tensor and type(b) is not float and type(b) is not int):
        _FMOD.check(a, b)
    _tensor_only("fmod", a, a)
    ad, bd, dt = _mod_pair(a, b, "fmod_cpu")
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.asarray(np.fmod(ad, bd)).astype(dt, copy=False)
    if isinstance(b, Tensor):
        return _rec(r, FmodBackward1, (a, b), saved=(a, b), in_shapes=_shapes(r, a, b))
    return _rec(r, FmodBackward0, (a,), in_shapes=_shapes(r, a))

expose(fmod, method=True, inplace=True, out=True)


# =====================================================================================================
# Powers
# =====================================================================================================

class PowBackward0(Node):
    """z = a^p (p a number):  dz/da = p a^(p-1)  (0 for p = 0)"""

    @staticmethod
    def _d(a, p):
        # PyTorch's grouping, g * (p * a^(p-1)): the same float32 roundings as its pow_backward
        return a * 2 if p == 2 else p * a ** (p - 1)

    def backward(self, g):
        a, p = self.saved_values()  # once: a saved-tensor unpack hook runs once per backward, as in PyTorch
        if p == 0:
            return (g * 0,)
        return (g * _conj(self._d(a, p)),)

    def jvp(self, ta):
        a, p = self.saved_values()
        if p == 0:
            return ta * 0
        return ta * self._d(a, p)


class PowBackward1(Node):
    """z = a^b (tensors):  dz/da = b a^(b-1) (0 where b = 0),  dz/db = z ln a (0 where a = 0 and b >= 0)"""

    def _da(self):
        a, b, _ = self.saved_values()
        return where(b == 0, 0.0, b * a ** (b - 1))

    def _db(self):
        a, b, z = self.saved_values()
        return where((a == 0) & (b >= 0), 0.0, z * a.log())

    def backward(self, g):
        return (g * _conj(self._da()) if self.next[0] is not None else None,
                g * _conj(self._db()) if self.next[1] is not None else None)

    def jvp(self, ta, tb):
        return _plus(None if ta is None else ta * self._da(), None if tb is None else tb * self._db())


class PowBackward2(Node):
    """z = s^b (s a number):  dz/db = z ln s  (0 where s = 0 and b >= 0)"""

    def _d(self):
        s, b, z = self.saved_values()
        if s == 0:
            # 0^b is flat for b >= 0 (PyTorch's convention); below that z ln 0 is infinite
            return where(b >= 0, 0.0, z * -math.inf)
        return z * (math.log(s) if not isinstance(s, complex) else complex(np.log(s)))

    def backward(self, g):
        return (g * _conj(self._d()),)

    def jvp(self, tb):
        return tb * self._d()


# exponents PyTorch's CPU kernel computes with multiplies/divides/sqrt instead of pow (bit-identical this way)
_POW_SPECIAL = {2: lambda a: a * a, 3: lambda a: a * a * a, 0.5: np.sqrt, -1: np.reciprocal,
                -2: lambda a: np.reciprocal(a * a), -0.5: lambda a: np.reciprocal(np.sqrt(a))}


def _float_power(ad, p):
    """pow for float arrays; float32/16 through float64 and one rounding: nearer torch's (≤1 ulp) powf
    than NumPy's float32 pow (20% of float32 results differ in the last bit that way, 2% this way)"""
    if ad.dtype.kind == "f" and ad.dtype.itemsize < 8:
        pd = p.astype(np.float64) if isinstance(p, np.ndarray) else p
        return np.power(ad.astype(np.float64), pd).astype(ad.dtype)
    return np.power(ad, p)


def _int_power(base, e):
    """Integer base ** integer exponent; a negative exponent gives 1/base**|e| truncated (0 unless |base| = 1)."""
    r = np.power(base, np.maximum(e, 0))
    neg = e < 0
    if np.any(neg):
        odd = (e % 2) != 0
        small = np.where(base == 1, 1, np.where(base == -1, np.where(odd, -1, 1), 0))
        r = np.where(neg, small, r).astype(r.dtype)
    return r


_POW = Sigs("pow", "(Tensor input, Tensor exponent, *, Tensor out = None)", "(Number self, Tensor exponent, *, Tensor out = None)",
    "(Tensor input, Number exponent, *, Tensor out = None)")


def pow(a, p):
    """a^p"""
    if type(a) is not Tensor or (type(p) is not Tensor and type(p) is not float and type(p) is not int):
        _POW.check(a, p)
    if not isinstance(a, Tensor):
        return rpow(as_tensor_arg(p), a)
    if isinstance(p, Tensor):
        ad, pd = _promote_pair(a, p)
        dt = np.result_type(ad, pd)
        if dt.kind == "b":
            _no_kernel("pow", D.bool_)
        try:
            np.broadcast_shapes(ad.shape, pd.shape)
        except ValueError:
            raise RuntimeError(_bcast_message(ad.shape, pd.shape)) from None
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            r = _float_power(ad, pd) if dt.kind in "fc" else _int_power(ad, pd)
        return _rec(r, PowBackward1, (a, p), saved=(a, p), keep_out=True, in_shapes=_shapes(r, a, p))
    p = _scalar(p)
    ad = a._data
    if ad.dtype == np.bool_ and isinstance(p, bool):
        # PyTorch keeps bool for a bool base and exponent: x ** True is x, x ** False is all True
        r = ad.copy() if p else np.ones_like(ad)
    else:
        ad, _ = _promote_pair(a, p)
        if isinstance(p, int) and not isinstance(p, bool) and ad.dtype.kind in "iu" and p < 0:
            raise RuntimeError("Integers to negative integer powers are not allowed.")
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            if ad.dtype.kind in "iu":
                r = np.power(ad, int(p))
            elif p in _POW_SPECIAL and not isinstance(p, bool) and ad.dtype.kind == "f":
                r = _POW_SPECIAL[p](ad)
            else:
                r = _float_power(ad, p)
    return _rec(r, PowBackward0, (a,), saved=(a, p), versions=(a._version, None))

expose(pow, method=True, inplace=('__ipow__', 'pow_'), operators=('__pow__',), out=True)


def rpow(a, s):
    """s^a for a number ``s``"""
    s = _scalar(s)
    if a._data.dtype == np.bool_ and isinstance(s, bool):
        _no_kernel("pow", D.bool_)
    ad, _ = _promote_pair(a, s)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if ad.dtype.kind in "iub":
            r = _int_power(np.asarray(s, dtype=ad.dtype), ad)
        else:
            r = np.power(np.asarray(s, dtype=ad.dtype), ad)
    return _rec(r, PowBackward2, (a,), saved=(s, a), versions=(None, a._version), keep_out=True)

expose(rpow, torch=False, operators=('__rpow__',))


_SQUARE = Sigs("square", "(Tensor input, *, Tensor out = None)")


def square(x):
    """x² (recorded as PowBackward0, like PyTorch; bool as int64)"""
    if type(x) is not Tensor:
        _SQUARE.check(x)
    if x._data.dtype.kind == "b":
        x = x.to(D.int64)
    return pow(x, 2)

expose(square, method=True, inplace=True, out=True)


def float_power(a, b):
    """a^b computed in float64 (complex128 for complex operands)"""
    def wide(x):
        if isinstance(x, Tensor):
            return x.to(D.complex128 if x._data.dtype.kind == "c" else D.float64)
        return complex(x) if isinstance(x, complex) else float(x)
    cplx = builtins.any(isinstance(x, complex) or (isinstance(x, Tensor) and x._data.dtype.kind == "c")
                        for x in (a, b))
    a2, b2 = wide(a), wide(b)
    if cplx:
        a2 = a2.to(D.complex128) if isinstance(a2, Tensor) else complex(a2)
        b2 = b2.to(D.complex128) if isinstance(b2, Tensor) else complex(b2)
    return pow(a2, b2) if isinstance(a2, Tensor) else rpow(b2, a2)

expose(float_power, method=True, out=True)


def float_power_(a, b):
    """a = a^b in place, where a already has float_power's result dtype (float64; complex128 for complex operands):
    PyTorch refuses any other base rather than round the result into it"""
    cplx = builtins.any(isinstance(x, complex) or (isinstance(x, Tensor) and x._data.dtype.kind == "c") for x in (a, b))
    want = D.complex128 if cplx else D.float64
    if a.dtype != want:
        raise RuntimeError(f"the base given to float_power_ has dtype {_long_name(a.dtype)} but the operation's "
                           f"result requires dtype {_long_name(want)}")
    return a.pow_(b)

expose(float_power_, torch=False, method=True)


# =====================================================================================================
# Maximum and minimum
# =====================================================================================================

class MaximumBackward0(Node):
    """z = max(a, b):  dz/da = [a > b] + ½[a = b], dz/db = [a < b] + ½[a = b]  (a NaN: both get it, as PyTorch)"""

    def backward(self, g):
        a, b = self.saved_values()
        return _minmax_grads(self, g, a, b, a < b, a > b)

    def jvp(self, ta, tb):
        a, b = self.saved_values()
        return _minmax_tangent(ta, tb, a, b, a > b)


class MinimumBackward0(Node):
    """z = min(a, b):  dz/da = [a < b] + ½[a = b], dz/db = [a > b] + ½[a = b]"""

    def backward(self, g):
        a, b = self.saved_values()
        return _minmax_grads(self, g, a, b, a > b, a < b)

    def jvp(self, ta, tb):
        a, b = self.saved_values()
        return _minmax_tangent(ta, tb, a, b, a < b)


def _minmax_grads(node, g, a, b, a_loses, b_loses):
    half = where(a == b, g / 2, g)
    return (where(a_loses, 0.0, half) if node.next[0] is not None else None,
            where(b_loses, 0.0, half) if node.next[1] is not None else None)


def _minmax_tangent(ta, tb, a, b, a_wins):
    """tb + w (ta - tb) with w = ½ on ties, [a wins] elsewhere (PyTorch's formula)"""
    w = where(a == b, 0.5, a_wins.to((ta if ta is not None else tb).dtype))
    return _plus(None if ta is None else ta * w, None if tb is None else tb * (1 - w))


def maximum(a, b):
    """max(a, b), elementwise (NaN propagates)"""
    _tensor_only("maximum", a, b)
    return _binary(a, b, np.maximum, MaximumBackward0, "ab")

expose(maximum, method=True, out=True)


def minimum(a, b):
    """min(a, b), elementwise (NaN propagates)"""
    _tensor_only("minimum", a, b)
    return _binary(a, b, np.minimum, MinimumBackward0, "ab")

expose(minimum, method=True, out=True)


class FmaxBackward0(Node):
    """z = fmax(a, b) (a NaN loses):  dz/da = [a >= b or b is NaN], dz/db = the rest"""

    def backward(self, g):
        a, b = self.saved_values()
        to_a = (a >= b) | b.isnan()
        return (where(to_a, g, 0.0) if self.next[0] is not None else None,
                where(to_a, 0.0, g) if self.next[1] is not None else None)

    def jvp(self, ta, tb):
        a, b = self.saved_values()
        w = ((a > b) | b.isnan()).to((ta if ta is not None else tb).dtype)
        return _plus(None if ta is None else ta * w, None if tb is None else tb * (1 - w))


class FminBackward0(Node):
    """z = fmin(a, b) (a NaN loses):  dz/da = [a <= b or b is NaN], dz/db = the rest"""

    def backward(self, g):
        a, b = self.saved_values()
        to_a = (a <= b) | b.isnan()
        return (where(to_a, g, 0.0) if self.next[0] is not None else None,
                where(to_a, 0.0, g) if self.next[1] is not None else None)

    def jvp(self, ta, tb):
        a, b = self.saved_values()
        w = ((a < b) | b.isnan()).to((ta if ta is not None else tb).dtype)
        return _plus(None if ta is None else ta * w, None if tb is None else tb * (1 - w))


def fmax(a, b):
    """max(a, b), elementwise, a NaN giving way to a number"""
    _tensor_only("fmax", a, b)
    ad, bd = _promote_pair(a, b)
    try:
        r = np.fmax(ad, bd)
    except ValueError:
        raise RuntimeError(_bcast_message(ad.shape, bd.shape)) from None
    return _rec(r, FmaxBackward0, (a, b), saved=(a, b), in_shapes=_shapes(r, a, b))

expose(fmax, method=True, out=True)


def fmin(a, b):
    """min(a, b), elementwise, a NaN giving way to a number"""
    _tensor_only("fmin", a, b)
    ad, bd = _promote_pair(a, b)
    try:
        r = np.fmin(ad, bd)
    except ValueError:
        raise RuntimeError(_bcast_message(ad.shape, bd.shape)) from None
    return _rec(r, FminBackward0, (a, b), saved=(a, b), in_shapes=_shapes(r, a, b))

expose(fmin, method=True, out=True)


# =====================================================================================================
# Float functions of two arguments
# =====================================================================================================

def _float_binary(name, a, b, ufunc, kernel=None):
    """``ufunc`` on the promoted, float-converted operands (integers refused when ``kernel`` names the kernel)"""
    _tensor_only(name, a, b)
    ad, bd = _float_pair(a, b, kernel)
    try:
        return _quietly(lambda x: ufunc(x, bd), ad)
    except ValueError:
        raise RuntimeError(_bcast_message(ad.shape, bd.shape)) from None


class Atan2Backward0(Node):
    """z = atan2(a, b):  dz/da = b/(a²+b²), dz/db = -a/(a²+b²)  (0 at a = b = 0, as PyTorch)"""

    def _recip(self):
        a, b = self.saved_values()
        d = a * a + b * b
        return where(d == 0, 0.0, 1 / d)

    def backward(self, g):
        a, b = self.saved_values()
        r = self._recip()
        return (g * b * r if self.next[0] is not None else None,
                g * -a * r if self.next[1] is not None else None)

    def jvp(self, ta, tb):
        a, b = self.saved_values()
        r = self._recip()
        return _plus(None if ta is None else ta * b * r, None if tb is None else tb * -a * r)


def atan2(a, b):
    """atan2(a, b), the angle of the point (b, a)"""
    r = _float_binary("atan2", a, b, np.arctan2)
    return _rec(r, Atan2Backward0, (a, b), saved=(a, b), in_shapes=_shapes(r, a, b))

expose(atan2, torch=('atan2', 'arctan2'), method=('atan2', 'arctan2'), inplace=('atan2_', 'arctan2_'), out=True)


class HypotBackward0(Node):
    """z = √(a² + b²):  dz/da = a/z, dz/db = b/z"""

    def backward(self, g):
        a, b, z = self.saved_values()
        return (g * a / z if self.next[0] is not None else None, g * b / z if self.next[1] is not None else None)

    def jvp(self, ta, tb):
        a, b, z = self.saved_values()
        return _plus(None if ta is None else ta * a / z, None if tb is None else tb * b / z)


def hypot(a, b):
    """√(a² + b²), without overflow"""
    r = _float_binary("hypot", a, b, np.hypot, "hypot_cpu")
    return _rec(r, HypotBackward0, (a, b), saved=(a, b), keep_out=True, in_shapes=_shapes(r, a, b))

expose(hypot, method=True, inplace=True, out=True)


class LogaddexpBackward0(Node):
    """z = ln(eᵃ + eᵇ):  dz/da = 1/(1 + e^(b-a)), dz/db = 1/(1 + e^(a-b))"""

    def backward(self, g):
        a, b = self.saved_values()
        return (g / ((b - a).exp() + 1) if self.next[0] is not None else None,
                g / ((a - b).exp() + 1) if self.next[1] is not None else None)

    def jvp(self, ta, tb):
        a, b = self.saved_values()
        return _plus(None if ta is None else ta / ((b - a).exp() + 1),
                     None if tb is None else tb / ((a - b).exp() + 1))


def logaddexp(a, b):
    """ln(eᵃ + eᵇ), without overflow"""
    r = _float_binary("logaddexp", a, b, np.logaddexp, "logaddexp_cpu")
    return _rec(r, LogaddexpBackward0, (a, b), saved=(a, b), in_shapes=_shapes(r, a, b))

expose(logaddexp, method=True, out=True)


class Logaddexp2Backward0(Node):
    """z = log₂(2ᵃ + 2ᵇ):  dz/da = 1/(1 + 2^(b-a)), dz/db = 1/(1 + 2^(a-b))"""

    def backward(self, g):
        a, b = self.saved_values()
        return (g / ((b - a).exp2() + 1) if self.next[0] is not None else None,
                g / ((a - b).exp2() + 1) if self.next[1] is not None else None)

    def jvp(self, ta, tb):
        a, b = self.saved_values()
        return _plus(None if ta is None else ta / ((b - a).exp2() + 1),
                     None if tb is None else tb / ((a - b).exp2() + 1))


def logaddexp2(a, b):
    """log₂(2ᵃ + 2ᵇ), without overflow"""
    r = _float_binary("logaddexp2", a, b, np.logaddexp2, "logaddexp2_cpu")
    return _rec(r, Logaddexp2Backward0, (a, b), saved=(a, b), in_shapes=_shapes(r, a, b))

expose(logaddexp2, method=True, out=True)


class XlogyBackward0(Node):
    """z = x ln y (0 where x = 0):  dz/dx = ln y (0 where x = 0 and y <= 0), dz/dy = x / y"""

    def backward(self, g):
        x, y = self.saved_values()
        gx = gy = None
        if self.next[0] is not None:
            gx = where((x == 0) & (y <= 0), 0.0, g.xlogy(y))
        if self.next[1] is not None:
            gy = g * x / y
        return (gx, gy)

    def jvp(self, tx, ty):
        x, y = self.saved_values()
        return _plus(None if tx is None else where((x == 0) & (y <= 0), 0.0, tx.xlogy(y)),
                     None if ty is None else ty * x / y)


class XlogyBackward1(Node):
    """z = s ln y (s a number):  dz/dy = s / y"""

    def backward(self, g):
        s, y = self.saved_values()
        return (g * s / y,)

    def jvp(self, ty):
        s, y = self.saved_values()
        return ty * s / y


class XlogyBackward2(Node):
    """z = x ln s (s a number):  dz/dx = ln s (0 where x = 0 when s <= 0)"""

    def backward(self, g):
        x, s = self.saved_values()
        d = g.xlogy(s)
        return (d if s > 0 else where(x == 0, 0.0, d),)

    def jvp(self, tx):
        x, s = self.saved_values()
        d = tx.xlogy(s)
        return d if s > 0 else where(x == 0, 0.0, d)


def _xlogy_values(xd, yd):
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.where((xd == 0) & ~np.isnan(yd), 0.0, xd * np.log(yd))
    return r.astype(np.result_type(xd, yd), copy=False)


_XLOGY = Sigs("xlogy", "(Tensor input, Tensor other, *, Tensor out = None)", "(Number self, Tensor other, *, Tensor out = None)",
    "(Tensor input, Number other, *, Tensor out = None)")


def xlogy(x, y):
    """x ln y, 0 where x = 0 (unless y is NaN)"""
    if type(x) is not Tensor or (type(y) is not Tensor and type(y) is not float and type(y) is not int):
        _XLOGY.check(x, y)
    if not isinstance(x, Tensor):
        if not isinstance(y, Tensor):
            raise TypeError(f"xlogy(): argument 'other' (position 2) must be Tensor, not {type(y).__name__}")
        s = _scalar(x)
        yd, _ = _float_pair(y, s)
        sd = np.asarray(s, dtype=yd.dtype)
        r = _xlogy_values(sd, yd)
        return _rec(r, XlogyBackward1, (y,), saved=(s, y), versions=(None, y._version), in_shapes=_shapes(r, y))
    if not isinstance(y, Tensor):
        s = _scalar(y)
        xd, _ = _float_pair(x, s)
        r = _xlogy_values(xd, np.asarray(s, dtype=xd.dtype))
        return _rec(r, XlogyBackward2, (x,), saved=(x, s), versions=(x._version, None), in_shapes=_shapes(r, x))
    xd, yd = _float_pair(x, y)
    try:
        np.broadcast_shapes(xd.shape, yd.shape)
    except ValueError:
        raise RuntimeError(_bcast_message(xd.shape, yd.shape)) from None
    r = _xlogy_values(xd, yd)
    return _rec(r, XlogyBackward0, (x, y), saved=(x, y), in_shapes=_shapes(r, x, y))

expose(xlogy, method=True, inplace=True, out=True)


class CopysignBackward0(Node):
    """z = |a| sign(b):  dz/da = z/a (0 where a = 0), dz/db = 0"""

    def _d(self):
        a, z = self.saved_values()
        return where(a == 0, 0.0, z / a)

    def backward(self, g):
        return (g * self._d() if self.next[0] is not None else None, g * 0 if self.next[1] is not None else None)

    def jvp(self, ta, tb):
        return ta * self._d() if ta is not None else _zeros(self, tb)


class CopysignBackward1(CopysignBackward0):
    """z = |a| sign(s) (s a number):  dz/da = z/a (0 where a = 0)"""

    def backward(self, g):
        return (g * self._d(),)

    def jvp(self, ta):
        return ta * self._d()


_COPYSIGN = Sigs("copysign", "(Tensor input, Tensor other, *, Tensor out = None)", "(Tensor input, Number other, *, Tensor out = None)")


def copysign(a, b):
    """|a| with the sign (bit) of b"""
    if type(a) is not Tensor or (type(b) is not Tensor and type(b) is not float and type(b) is not int):
        _COPYSIGN.check(a, b)
    _tensor_only("copysign", a, a)
    ad, bd = _float_pair(a, b)
    try:
        r = np.copysign(ad, bd)
    except ValueError:
        raise RuntimeError(_bcast_message(ad.shape, np.shape(bd))) from None
    if isinstance(b, Tensor):
        r = r.astype(np.result_type(ad, bd), copy=False)
        return _rec(r, CopysignBackward0, (a, b), saved=(a,), keep_out=True, in_shapes=_shapes(r, a, b))
    return _rec(r, CopysignBackward1, (a,), saved=(a,), keep_out=True, in_shapes=_shapes(r, a))

expose(copysign, method=True, inplace=True, out=True)


class NextafterBackward0(Node):
    """z = the float after a towards b:  PyTorch's derivative is dz/da = 1, dz/db = 0"""

    def backward(self, g):
        return (g if self.next[0] is not None else None, g * 0 if self.next[1] is not None else None)

    def jvp(self, ta, tb):
        return ta if ta is not None else _zeros(self, tb)


def nextafter(a, b):
    """the next float after a towards b"""
    _tensor_only("nextafter", a, b)
    ad, bd = _promote_pair(a, b)
    dt = np.result_type(ad, bd)
    if dt.kind != "f":
        _no_kernel("nextafter_cpu", D.from_numpy_dtype(dt))
    try:
        r = np.nextafter(ad, bd)
    except ValueError:
        raise RuntimeError(_bcast_message(ad.shape, bd.shape)) from None
    return _rec(r, NextafterBackward0, (a, b), in_shapes=_shapes(r, a, b))

expose(nextafter, method=True, inplace=True, out=True)


class LdexpBackward0(Node):
    """z = a 2^e:  dz/da = 2^e (with 2^e taken in e's dtype: 0 for a negative integer e, as PyTorch),
    dz/de = z ln 2 (a float e)"""

    def _scale(self):
        _, e = self.saved_values()
        ed = e._data
        if ed.dtype.kind in "iub":
            return _wrap(np.where(ed >= 0, np.power(2.0, ed), 0.0).astype(np.float32))
        return e.exp2()

    def backward(self, g):
        a, e = self.saved_values()
        s = self._scale()
        return (g * s if self.next[0] is not None else None,
                g * a * s * math.log(2.0) if self.next[1] is not None else None)

    def jvp(self, ta, te):
        a, e = self.saved_values()
        s = self._scale()
        return _plus(None if ta is None else ta * s, None if te is None else te * a * s * math.log(2.0))


def ldexp(a, other):
    """a 2^other"""
    _tensor_only("ldexp", a, other)
    ed = other._data
    # PyTorch's a * pow(2.0, other): 2^other a float tensor (the default dtype for an integer other)
    two = np.exp2(ed if ed.dtype.kind in "fc" else ed.astype(D.get_default_dtype().np))
    ad, td = _promote_pair(a, _wrap(np.asarray(two)))
    try:
        r = np.multiply(ad, td)
    except ValueError:
        raise RuntimeError(_bcast_message(a.shape, other.shape)) from None
    return _rec(r, LdexpBackward0, (a, other), saved=(a, other), in_shapes=_shapes(r, a, other))

expose(ldexp, method=True, inplace=True, out=True)


# =====================================================================================================
# Integer-only ops (no derivative)
# =====================================================================================================

def _integer_binary(name, a, b, ufunc):
    _tensor_only(name, a, b)
    ad, bd = _promote_pair(a, b)
    dt = np.result_type(ad, bd)
    if dt.kind not in "iu":
        _no_kernel(f"{name}_cpu", D.from_numpy_dtype(dt))
    try:
        return _wrap(np.asarray(ufunc(ad, bd)).astype(dt, copy=False))
    except ValueError:
        raise RuntimeError(_bcast_message(ad.shape, bd.shape)) from None


def gcd(a, b):
    """the greatest common divisor (non-negative), elementwise"""
    return _integer_binary("gcd", a, b, np.gcd)

expose(gcd, method=True, inplace=True, out=True)


def lcm(a, b):
    """the least common multiple (non-negative), elementwise"""
    return _integer_binary("lcm", a, b, np.lcm)

expose(lcm, method=True, inplace=True, out=True)


def _shift(a, b, left):
    """a << b or a >> b with PyTorch's rule for counts outside [0, bits): 0 (left), the sign (right)"""
    a = as_tensor_arg(a)
    dt = result_type(a, b)
    if dt.np.kind not in "iu":
        _no_kernel("lshift_cpu" if left else "rshift_cpu", dt)
    ad = a._data.astype(dt.np, copy=False)
    bd = (b._data if isinstance(b, Tensor) else np.asarray(b)).astype(dt.np)
    bits = ad.dtype.itemsize * 8
    try:
        inside = (bd >= 0) & (bd < bits)
    except ValueError:
        raise RuntimeError(_bcast_message(ad.shape, bd.shape)) from None
    count = np.where(inside, bd, 0)
    with np.errstate(over="ignore"):
        if left:
            r = np.where(inside, np.left_shift(ad, count), 0)
        else:
            r = np.where(inside, np.right_shift(ad, count), np.where(ad < 0, -1, 0))
    return _wrap(np.asarray(r).astype(dt.np))


def bitwise_left_shift(a, b):
    """a · 2^b in a's integer type (0 for counts outside [0, bits))"""
    return _shift(a, b, True)

expose(bitwise_left_shift, method=True, inplace=True, operators=('__lshift__',), out=True)


def bitwise_right_shift(a, b):
    """a >> b, arithmetic, in a's integer type"""
    return _shift(a, b, False)

expose(bitwise_right_shift, method=True, inplace=True, operators=('__rshift__',), out=True)


# -- the operators: ``a + b`` goes straight into _binary (one Python frame less than add(), a quarter of a small
# op's dispatch); an operand of another type gets NotImplemented, so Python raises its usual TypeError

_OPERAND = (Tensor, int, float, bool, complex, np.generic)


def _operator(name, ufunc, node_cls, saved_mode):
    """``a <op> b`` as a Tensor dunder: ``_binary`` itself with the op's arguments bound as its defaults (one frame
    per call where a wrapper calling _binary makes two)."""
    op = types.FunctionType(_binary.__code__, _binary.__globals__, name, (ufunc, node_cls, saved_mode, True))
    op.__doc__, op.__qualname__ = f"a {name} b", name
    return op


_add_operator = _operator("add", np.add, AddBackward0, None)  # a + b, b + a


def _sub_operator(a, b):
    """a - b"""
    if not isinstance(b, _OPERAND):
        return _NOT_AN_OPERAND
    _check_bool_sub(a, b)
    return _binary(a, b, np.subtract, SubBackward0, None)


_mul_operator = _operator("mul", np.multiply, MulBackward0, "ab")  # a * b, b * a
_sub_operator.__name__ = "sub"
expose(_add_operator, torch=False, operators=("__add__", "__radd__"))
expose(_sub_operator, torch=False, operators="__sub__")
expose(_mul_operator, torch=False, operators=("__mul__", "__rmul__"))


def _rfloordiv(a, b):
    """b // a"""
    return floor_divide(as_tensor_arg(b), a)


def _rlshift(a, b):
    """b << a"""
    return bitwise_left_shift(b, a)


def _rrshift(a, b):
    """b >> a"""
    return bitwise_right_shift(b, a)


expose(_rfloordiv, torch=False, operators="__rfloordiv__")
expose(_rlshift, torch=False, operators="__rlshift__")
expose(_rrshift, torch=False, operators="__rrshift__")
