"""The primitive operations: each forward (a NumPy call) beside its backward (a ``Node`` subclass).

Every backward is written with ember's own tensor ops, so with ``create_graph=True`` the gradient is itself
recorded and can be differentiated again. Node class names are PyTorch's (``MulBackward0`` ...), so
``grad_fn`` prints as it does there. Broadcasting is undone by the engine (``Node.in_shapes``), not here.

Sections: helpers | binary elementwise | unary elementwise | reductions | linear algebra | shape and views |
indexing | joining and splitting | in-place machinery.
"""

from __future__ import annotations

import math
import numbers
import weakref

from .. import _dtype as D
from .. import _fidelity as _fid
from .._array import np
from ..tensor import Tensor, _wrap
from . import grad_mode
from .graph import Node

_gm = grad_mode.state
_ndarray = np.ndarray


# =====================================================================================================
# Helpers
# =====================================================================================================

def _edge(t):
    """The graph edge that carries a gradient to tensor ``t`` (``None`` if it needs none)."""
    if t._rg:
        fn = t.grad_fn
        if fn is None:
            return t
        nr = t._output_nr
        return (fn, nr) if nr else fn
    return None


def _out(arr, node_cls, inputs, saved=None, in_shapes=None):
    """Wrap ``arr`` and, when recording and some input requires grad, attach a ``node_cls`` node."""
    if type(arr) is not _ndarray:
        arr = np.asarray(arr)
    t = _wrap(arr)
    if _gm.enabled:
        for x in inputs:
            if x is not None and x._rg:
                break
        else:
            return t
        node = node_cls(tuple(_edge(x) if x is not None else None for x in inputs))
        if saved is not None:
            node.saved = saved
            node.versions = tuple(s._version if isinstance(s, Tensor) else None for s in saved)
        if in_shapes is not None:
            node.in_shapes = in_shapes
        t.grad_fn = node
        t._rg = True
    return t


def _saved_output(node, t):
    """What a node keeps of its own output: an alias sharing data and version counter but not ``grad_fn``,
    so output -> node -> output is no reference cycle (graphs die by refcount, not by the GC).
    ``Node.saved_values`` reconnects it to the node when backward itself is recorded (create_graph)."""
    a = _wrap(t._data)
    if t._vc is None:
        t._vc = [0]
    a._vc = t._vc
    node.out_alias = a
    return a


_RENAMED: dict = {}


def _renamed(t, name: str):
    """Give ``t``'s node PyTorch's name for a composite op (same backward; only ``grad_fn.name()`` changes)."""
    node = t.grad_fn
    if node is not None:
        base = type(node)
        cls = _RENAMED.get((base, name))
        if cls is None:
            cls = _RENAMED[(base, name)] = type(name, (base,), {})
        node.__class__ = cls
    return t


def _record(t, node):
    t.grad_fn = node
    t._rg = True
    return t


def _requires(*xs) -> bool:
    if not _gm.enabled:
        return False
    for x in xs:
        if isinstance(x, Tensor) and x._rg:
            return True
    return False


def _scalar(x):
    """A Python number from a Python/NumPy scalar (NumPy scalars act like Python ones in PyTorch)."""
    if isinstance(x, np.generic):
        # PyTorch reads a NumPy bool through __float__, so it promotes like a Python float
        return float(x) if isinstance(x, np.bool_) else x.item()
    return x


def _float_data(x):
    """``x``'s array, cast to the default float dtype when it is integral (``exp(int_tensor)`` is float)."""
    a = x._data
    if a.dtype.kind in "fc":
        return a
    return a.astype(D.get_default_dtype().np)


def _promote_pair(a, b):
    """Arrays (or scalars) for a binary op between tensor ``a`` and tensor/scalar ``b``, PyTorch-promoted."""
    ad = a._data
    if isinstance(b, Tensor):
        bd = b._data
        if ad.dtype == bd.dtype:
            return ad, bd
        dims, zeros = [], []
        (dims if ad.ndim else zeros).append(D.from_numpy_dtype(ad.dtype))
        (dims if bd.ndim else zeros).append(D.from_numpy_dtype(bd.dtype))
        rt = D.result_type_of(dims, zeros, []).np
        return ad.astype(rt, copy=False), bd.astype(rt, copy=False)
    b = _scalar(b)
    if not isinstance(b, numbers.Number):
        raise TypeError(f"unsupported operand type: '{type(b).__name__}'")
    kind = ad.dtype.kind
    if isinstance(b, bool):
        return ad, b
    if isinstance(b, int):
        if kind == "b":
            return ad.astype(np.int64), b
        if kind in "iu":
            info = np.iinfo(ad.dtype)
            if not info.min <= b <= info.max:  # PyTorch wraps the scalar into the tensor's integer type
                return ad, np.array(b).astype(ad.dtype)
        return ad, b
    if isinstance(b, float):
        if kind not in "fc":
            return ad.astype(D.get_default_dtype().np), b
        return ad, b
    if kind != "c":
        return ad.astype(D.default_complex().np if ad.dtype != np.float64 else np.complex128), b
    return ad, b


def as_tensor_arg(x, like: Tensor | None = None) -> Tensor:
    """Turn a Python scalar/list/array operand into a tensor (for ops whose other side is a tensor)."""
    if isinstance(x, Tensor):
        return x
    from .._creation import tensor as _tensor
    return _tensor(x)


def _check_broadcast(sa, sb):
    try:
        return np.broadcast_shapes(sa, sb)
    except ValueError:
        raise RuntimeError(_bcast_message(sa, sb)) from None


def _bcast_message(sa, sb) -> str:
    # PyTorch names the first dimension (from the right) that disagrees
    na, nb = len(sa), len(sb)
    n = builtins_max(na, nb)
    for i in range(1, n + 1):
        da = sa[-i] if i <= na else 1
        db = sb[-i] if i <= nb else 1
        if da != db and da != 1 and db != 1:
            return (f"The size of tensor a ({da}) must match the size of tensor b ({db}) at non-singleton "
                    f"dimension {n - i}")
    return f"shapes {tuple(sa)} and {tuple(sb)} cannot be broadcast"


def _binary(a, b, ufunc, node_cls, saved_mode):
    """Forward of an elementwise binary op ``ufunc(a, b)``; ``saved_mode`` picks what backward keeps."""
    tb = type(b)
    if (tb is float or tb is int) and a._data.dtype.kind in "fc":  # float tensor op Python number: as is
        ad, bd = a._data, b
    else:
        ad, bd = _promote_pair(a, b)
    try:
        r = ufunc(ad, bd)
    except ValueError:
        raise RuntimeError(_bcast_message(np.shape(ad), np.shape(bd))) from None
    if type(r) is not _ndarray:
        r = np.asarray(r)
    t = _wrap(r)
    if not _gm.enabled:
        return t
    b_is_t = isinstance(b, Tensor)
    if not (a._rg or (b_is_t and b._rg)):
        return t
    if b_is_t:
        node = node_cls((_edge(a), _edge(b)))
        sa, sb, so = ad.shape, bd.shape, r.shape
        if sa != so or sb != so:
            node.in_shapes = (sa, sb)
    else:
        node = node_cls((_edge(a), None))
        if ad.shape != r.shape:
            node.in_shapes = (ad.shape, None)
    if saved_mode is not None:
        if saved_mode == "ab":
            # each operand is needed only for the other's gradient: track versions accordingly
            node.saved = (a, b)
            node.versions = (a._version if b_is_t and b._rg else None, b._version if b_is_t and a._rg else None)
        elif saved_mode == "abr":
            node.saved = (a, b, _saved_output(node, t))
            node.versions = (a._version, b._version if b_is_t else None, 0)
        else:  # "b": the other operand only (its value, not its version, matters for a scalar)
            node.saved = (a, b)
            node.versions = (None, b._version if b_is_t else None)
    t.grad_fn = node
    t._rg = True
    return t


def _need(node, i) -> bool:
    return node.next[i] is not None


# =====================================================================================================
# Binary elementwise
# =====================================================================================================

class AddBackward0(Node):
    """z = a + alpha*b:  dz/da = 1, dz/db = alpha"""
    alpha = 1

    def backward(self, g):
        return (g, g if self.alpha == 1 else g * self.alpha)


class SubBackward0(Node):
    """z = a - alpha*b:  dz/da = 1, dz/db = -alpha"""
    alpha = 1

    def backward(self, g):
        return (g, -g if self.alpha == 1 else g * (-self.alpha))


class RsubBackward1(Node):
    """z = s - a (s a scalar):  dz/da = -1"""

    def backward(self, g):
        return (-g, None)


class MulBackward0(Node):
    """z = a * b:  dz/da = b, dz/db = a"""

    def backward(self, g):
        a, b = self.saved_values()
        return (g * _conj(b) if self.next[0] is not None else None,
                g * _conj(a) if self.next[1] is not None else None)


class DivBackward0(Node):
    """z = a / b:  dz/da = 1/b, dz/db = -a/b^2"""

    def backward(self, g):
        a, b = self.saved_values()
        ga = g / b if self.next[0] is not None else None
        gb = -g * a / (b * b) if self.next[1] is not None else None
        return (ga, gb)


class PowBackward0(Node):
    """z = a ** p (p a number):  dz/da = p * a^(p-1)"""

    def backward(self, g):
        a, p = self.saved_values()
        if p == 0:
            return (zeros_like(a), None)
        # PyTorch's grouping, g * (p * a^(p-1)): the same float32 roundings as its pow_backward
        return (g * (p * a ** (p - 1)) if p != 2 else g * (2 * a), None)


class PowBackward1(Node):
    """z = a ** b (tensors):  dz/da = b a^(b-1),  dz/db = z ln a"""

    def backward(self, g):
        a, b, z = self.saved_values()
        ga = gb = None
        if self.next[0] is not None:
            ga = where(b == 0, 0.0, g * b * a ** (b - 1))
        if self.next[1] is not None:
            gb = where((a == 0) & (b >= 0), 0.0, g * z * log(a))
        return (ga, gb)


class PowBackward2(Node):
    """z = s ** b (s a number):  dz/db = z ln s"""

    def backward(self, g):
        s, b, z = self.saved_values()
        if s == 0:
            # 0**b is flat for b >= 0 (PyTorch's convention); below that z ln 0 is infinite
            return (where(b >= 0, 0.0, g * z * -math.inf),)
        return (g * z * math.log(s),)


class MaximumBackward0(Node):
    """z = max(a, b):  the gradient goes to the larger input (split evenly on ties)"""

    def backward(self, g):
        a, b = self.saved_values()
        return _minmax_grads(self, g, a, b, a > b)


class MinimumBackward0(Node):
    """z = min(a, b):  the gradient goes to the smaller input (split evenly on ties)"""

    def backward(self, g):
        a, b = self.saved_values()
        return _minmax_grads(self, g, a, b, a < b)


def _minmax_grads(node, g, a, b, a_wins):
    tie = (a == b)
    half = g * 0.5
    ga = where(a_wins, g, where(tie, half, 0.0)) if node.next[0] is not None else None
    gb = where(a_wins, 0.0, where(tie, half, g)) if node.next[1] is not None else None
    return (ga, gb)


class Atan2Backward0(Node):
    """z = atan2(a, b):  dz/da = b/(a^2+b^2), dz/db = -a/(a^2+b^2)"""

    def backward(self, g):
        a, b = self.saved_values()
        d = a * a + b * b
        return (g * b / d if self.next[0] is not None else None,
                -g * a / d if self.next[1] is not None else None)


class RemainderBackward0(Node):
    """z = a mod s:  dz/da = 1"""

    def backward(self, g):
        return (g, None)


class RemainderBackward1(Node):
    """z = a mod b:  dz/da = 1, dz/db = -floor(a/b)"""

    def backward(self, g):
        a, b = self.saved_values()
        return (g, -g * floor_divide(a, b) if self.next[1] is not None else None)


class FmodBackward0(Node):
    """z = fmod(a, s):  dz/da = 1"""

    def backward(self, g):
        return (g, None)


def add(a, b, alpha=1):
    """a + alpha * b"""
    if not isinstance(a, Tensor):
        return add(as_tensor_arg(a), b, alpha)
    if alpha != 1:
        b = b * alpha if isinstance(b, Tensor) else _scalar(b) * alpha
        t = _binary(a, b, np.add, AddBackward0, None)
        return t
    return _binary(a, b, np.add, AddBackward0, None)


def sub(a, b, alpha=1):
    """a - alpha * b"""
    if not isinstance(a, Tensor):
        return rsub(as_tensor_arg(b), a) if alpha == 1 else sub(as_tensor_arg(a), b, alpha)
    _check_bool_sub(a, b)
    if alpha != 1:
        b = b * alpha if isinstance(b, Tensor) else _scalar(b) * alpha
    return _binary(a, b, np.subtract, SubBackward0, None)


def _check_bool_sub(a, b):
    a_bool = a._data.dtype == np.bool_
    b_bool = b._data.dtype == np.bool_ if isinstance(b, Tensor) else isinstance(b, (bool, np.bool_))
    if a_bool and b_bool:
        raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not supported. Use the "
                           "`^` or `logical_xor()` operator instead.")
    if a_bool or b_bool:
        raise RuntimeError("Subtraction, the `-` operator, with a bool tensor is not supported. If you are "
                           "trying to invert a mask, use the `~` or `logical_not()` operator instead.")


def rsub(a, s):
    """s - a, for a number ``s`` (``2 - x``)"""
    if isinstance(s, Tensor):
        return sub(s, a)
    _check_bool_sub(a, s)
    ad, sd = _promote_pair(a, s)
    return _out(np.subtract(sd, ad), RsubBackward1, (a,))


def mul(a, b):
    """a * b"""
    if not isinstance(a, Tensor):
        return mul(as_tensor_arg(a), b)
    return _binary(a, b, np.multiply, MulBackward0, "ab")


def div(a, b, rounding_mode=None):
    """a / b (true division; ``rounding_mode`` 'trunc' or 'floor' gives integer-valued results)"""
    if not isinstance(a, Tensor):
        return div(as_tensor_arg(a), b, rounding_mode)
    if rounding_mode is not None:
        if rounding_mode not in ("floor", "trunc"):
            raise RuntimeError(f"div expected rounding_mode to be one of None, 'trunc', or 'floor' but found "
                               f"'{rounding_mode}'")
        ad, bd = _promote_pair(a, b)
        if ad.dtype.kind in "iub" and np.any(np.asarray(bd) == 0):
            raise RuntimeError("ZeroDivisionError")
        with np.errstate(divide="ignore", invalid="ignore"):
            r = np.floor_divide(ad, bd) if rounding_mode == "floor" else _trunc_divide(ad, bd)
        return _rounded_div_out(np.asarray(r), a, b, ad, bd, DivBackward2)
    ad, bd = _promote_pair(a, b)
    if ad.dtype.kind not in "fc":
        ad = ad.astype(D.get_default_dtype().np)
    if isinstance(b, Tensor) and bd.dtype != ad.dtype:
        bd = bd.astype(ad.dtype)
    with np.errstate(divide="ignore", invalid="ignore"):
        try:
            r = np.true_divide(ad, bd)
        except ValueError:
            raise RuntimeError(_bcast_message(np.shape(ad), np.shape(bd))) from None
    if _requires(a, b):
        in_shapes = None
        if isinstance(b, Tensor):
            if ad.shape != r.shape or bd.shape != r.shape:
                in_shapes = (ad.shape, bd.shape)
            t = _out(r, DivBackward0, (a, b), saved=(a, b), in_shapes=in_shapes)
            if not b._rg and t.grad_fn is not None:
                t.grad_fn.versions = (None, t.grad_fn.versions[1])  # a is needed only for b's gradient
            return t
        t = _out(r, DivBackward0, (a, None), saved=(a, b),
                 in_shapes=(ad.shape, None) if ad.shape != r.shape else None)
        if t.grad_fn is not None:
            t.grad_fn.versions = (None, None)
        return t
    return _wrap(np.asarray(r))


def _trunc_divide(ad, bd):
    if ad.dtype.kind in "iu":
        # integer C division: the quotient rounded toward zero, exactly
        q = np.floor_divide(ad, bd)
        return q + ((q < 0) & (q * bd != ad))
    return np.trunc(np.true_divide(ad, bd))


def _rounded_div_out(r, a, b, ad, bd, node_cls):
    """Wrap a rounded quotient; its node passes zero (DivBackward2) or refuses (floor_divide) gradients."""
    bt = b if isinstance(b, Tensor) else None
    shapes = None
    if ad.shape != r.shape or np.shape(bd) != r.shape:
        shapes = (ad.shape, np.shape(bd) if bt is not None else None)
    return _out(r, node_cls, (a, bt), in_shapes=shapes)


class DivBackward2(Node):
    """z = round(a / b) (rounding_mode 'trunc'/'floor'):  piecewise constant, so dz/da = dz/db = 0"""

    def backward(self, g):
        z = g * 0
        return (z if self.next[0] is not None else None, z if self.next[1] is not None else None)


class _NotImplementedBackward(Node):
    """floor_divide has no derivative in PyTorch: backward through it raises."""

    def backward(self, g):
        raise RuntimeError("derivative for aten::floor_divide is not implemented")


_NotImplementedBackward.__name__ = "NotImplemented"  # the name PyTorch prints for grad_fn


def rdiv(a, s):
    """s / a == reciprocal(a) * s (PyTorch records it as MulBackward0)"""
    return mul(reciprocal(a), s)


def floor_divide(a, b):
    """floor(a / b) (no gradient)"""
    if not isinstance(a, Tensor):
        a = as_tensor_arg(a)
    ad, bd = _promote_pair(a, b)
    if ad.dtype == np.bool_:
        raise NotImplementedError("\"div_floor_cpu\" not implemented for 'Bool'")
    with np.errstate(divide="ignore", invalid="ignore"):
        if ad.dtype.kind in "iub" and np.any(np.asarray(bd) == 0):
            raise RuntimeError("ZeroDivisionError")
        r = np.floor_divide(ad, bd)
    return _rounded_div_out(np.asarray(r), a, b, ad, bd, _NotImplementedBackward)


def remainder(a, b):
    """a mod b with the sign of b (Python's %)"""
    if not isinstance(a, Tensor):
        a = as_tensor_arg(a)
    ad, bd = _promote_pair(a, b)
    if ad.dtype == np.bool_:
        raise NotImplementedError("\"remainder_cpu\" not implemented for 'Bool'")
    if ad.dtype.kind in "iub" and np.any(np.asarray(bd) == 0):
        raise RuntimeError("ZeroDivisionError")
    with np.errstate(divide="ignore", invalid="ignore"):
        if ad.dtype.kind == "f":
            # PyTorch's float kernel: fmod, then shift by b when the signs differ; keeps fmod's signed zeros
            r = np.fmod(ad, bd)
            r = np.where((r != 0) & ((np.asarray(bd) < 0) != (r < 0)), r + bd, r).astype(ad.dtype, copy=False)
        else:
            r = np.remainder(ad, bd)
    if isinstance(b, Tensor):
        return _out(r, RemainderBackward1, (a, b), saved=(a, b),
                    in_shapes=(ad.shape, bd.shape) if (ad.shape != r.shape or bd.shape != r.shape) else None)
    return _out(r, RemainderBackward0, (a,),
                in_shapes=(ad.shape,) if ad.shape != np.shape(r) else None)


def fmod(a, b):
    """a mod b with the sign of a (C's fmod)"""
    ad, bd = _promote_pair(a, b)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.fmod(ad, bd)
    return _out(r, FmodBackward0, (a,))


def pow(a, p):
    """a ** p"""
    if not isinstance(a, Tensor):
        return rpow(as_tensor_arg(p), a) if not isinstance(p, Tensor) else rpow(p, a)
    if a._data.dtype == np.bool_ and isinstance(p, (bool, np.bool_)):
        # PyTorch keeps bool for a bool base and exponent: x ** True is x, x ** False is all True
        return _wrap(a._data.copy() if p else np.ones_like(a._data))
    if isinstance(p, Tensor):
        ad, pd = _promote_pair(a, p)
        if ad.dtype == np.bool_:
            raise NotImplementedError("\"pow\" not implemented for 'Bool'")
        with np.errstate(divide="ignore", invalid="ignore"):
            r = _float_power(ad, pd) if ad.dtype.kind in "fc" else _int_power(ad, pd)
        so = r.shape
        t = _out(r, PowBackward1, (a, p), in_shapes=(ad.shape, pd.shape) if (ad.shape != so or pd.shape != so)
                 else None)
        if t.grad_fn is not None:
            t.grad_fn.saved = (a, p, _saved_output(t.grad_fn, t))
            t.grad_fn.versions = (a._version, p._version, 0)
        return t
    p = _scalar(p)
    ad, _ = _promote_pair(a, p)
    with np.errstate(divide="ignore", invalid="ignore"):
        if p == 2:
            r = np.multiply(ad, ad)
        elif p == 0.5:
            r = np.sqrt(ad)
        elif isinstance(p, int) and ad.dtype.kind in "iu" and p < 0:
            _int_pow_error()
        elif ad.dtype.kind == "f" and p in _POW_SPECIAL:
            r = _POW_SPECIAL[p](ad)
        else:
            r = _float_power(ad, p)
    if type(r) is not _ndarray:
        r = np.asarray(r)
    t = _wrap(r)
    if _gm.enabled and a._rg:
        node = PowBackward0((_edge(a),))
        node.saved = (a, p)
        node.versions = (a._version, None)
        _record(t, node)
    return t


# exponents PyTorch's CPU kernel computes with multiplies/divides/sqrt instead of pow (bit-identical this way)
_POW_SPECIAL = {3: lambda a: a * a * a, -1: lambda a: np.reciprocal(a), -2: lambda a: np.reciprocal(a * a),
                -0.5: lambda a: np.reciprocal(np.sqrt(a))}


def _float_power(ad, p):
    """pow for float arrays; float32/16 through float64 and one rounding: nearer torch's (≤1 ulp) powf
    than NumPy's float32 pow (20% of float32 results differ in the last bit that way, 2% this way)"""
    if ad.dtype.kind == "f" and ad.dtype.itemsize < 8:
        pd = p.astype(np.float64) if isinstance(p, np.ndarray) else p
        return np.power(ad.astype(np.float64), pd).astype(ad.dtype)
    return np.power(ad, p)


def _int_pow_error():
    raise RuntimeError("Integers to negative integer powers are not allowed.")


def rpow(a, s):
    """s ** a for a number ``s``"""
    s = _scalar(s)
    ad, _ = _promote_pair(a, s)
    if isinstance(s, float) and ad.dtype.kind not in "fc":
        ad = ad.astype(D.get_default_dtype().np)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if ad.dtype.kind in "iub":
            r = _int_power(np.asarray(s, dtype=ad.dtype), ad)
        else:
            r = np.power(np.asarray(s, dtype=ad.dtype), ad)
    t = _out(r, PowBackward2, (a,))
    if t.grad_fn is not None:
        t.grad_fn.saved = (s, a, _saved_output(t.grad_fn, t))
        t.grad_fn.versions = (None, a._version, 0)
    return t


def _int_power(base, e):
    """Integer base ** integer exponent; a negative exponent gives 1/base**|e| truncated (0 unless |base| = 1)."""
    r = np.power(base, np.maximum(e, 0))
    neg = e < 0
    if np.any(neg):
        odd = (e % 2) != 0
        small = np.where(base == 1, 1, np.where(base == -1, np.where(odd, -1, 1), 0))
        r = np.where(neg, small, r).astype(r.dtype)
    return r


def _need_tensors(name, a, b):
    # PyTorch's binding takes no Python numbers here (torch.clamp does)
    for pos, arg, x in ((1, "input", a), (2, "other", b)):
        if not isinstance(x, Tensor):
            raise TypeError(f"{name}(): argument '{arg}' (position {pos}) must be Tensor, not {type(x).__name__}")


def maximum(a, b):
    """elementwise max(a, b)"""
    _need_tensors("maximum", a, b)
    return _binary(a, b, np.maximum, MaximumBackward0, "ab")


def minimum(a, b):
    """elementwise min(a, b)"""
    _need_tensors("minimum", a, b)
    return _binary(a, b, np.minimum, MinimumBackward0, "ab")


def atan2(a, b):
    """atan2(a, b), the angle of the point (b, a)"""
    b = as_tensor_arg(b)
    ad, bd = _promote_pair(a, b)
    if ad.dtype.kind not in "fc":
        ad, bd = ad.astype(D.get_default_dtype().np), bd.astype(D.get_default_dtype().np)
    r = np.arctan2(ad, bd)
    return _out(r, Atan2Backward0, (a, b), saved=(a, b),
                in_shapes=(ad.shape, bd.shape) if (ad.shape != r.shape or bd.shape != r.shape) else None)


def _conj(x):
    if isinstance(x, Tensor) and x._data.dtype.kind == "c":
        return conj(x)
    return x


# -- comparisons and logic (no gradient) -----------------------------------------------------------------

def _compare(ufunc):
    def op(a, b):
        if not isinstance(a, Tensor):
            a = as_tensor_arg(a)
        if isinstance(b, (list, tuple)):
            b = as_tensor_arg(b)
        ad, bd = _promote_pair(a, b) if not isinstance(b, Tensor) or b._data.dtype != a._data.dtype \
            else (a._data, b._data)
        try:
            return _wrap(np.asarray(ufunc(ad, bd)))
        except ValueError:
            raise RuntimeError(_bcast_message(np.shape(ad), np.shape(bd))) from None
    op.__name__ = ufunc.__name__
    return op


eq = _compare(np.equal)
ne = _compare(np.not_equal)
lt = _compare(np.less)
le = _compare(np.less_equal)
gt = _compare(np.greater)
ge = _compare(np.greater_equal)


def _logical(ufunc):
    def op(a, b=None):
        if b is None:
            return _wrap(np.asarray(ufunc(a._data)))
        b = as_tensor_arg(b)
        return _wrap(np.asarray(ufunc(a._data, b._data)))
    return op


logical_and = _logical(np.logical_and)
logical_or = _logical(np.logical_or)
logical_xor = _logical(np.logical_xor)
logical_not = _logical(np.logical_not)


def _bitwise(ufunc, name):
    def op(a, b):
        if not isinstance(a, Tensor):
            a = as_tensor_arg(a)
        # PyTorch promotes first (bool & int64 -> int64, a 0-d int64 keeps int32) and has no float kernel
        ad, bd = _promote_pair(a, b)
        if ad.dtype.kind in "fc":
            raise NotImplementedError(f"\"{name}_cpu\" not implemented for "
                                      f"'{_long_name(D.from_numpy_dtype(ad.dtype))}'")
        return _wrap(np.asarray(ufunc(ad, bd)))
    return op


bitwise_and = _bitwise(np.bitwise_and, "bitwise_and")
bitwise_or = _bitwise(np.bitwise_or, "bitwise_or")
bitwise_xor = _bitwise(np.bitwise_xor, "bitwise_xor")


def bitwise_not(a):
    if a._data.dtype.kind in "fc":
        _no_kernel("bitwise_not_cpu", a)
    return _wrap(np.asarray(np.invert(a._data)))


def isnan(a):
    return _wrap(np.asarray(np.isnan(a._data)))


def isinf(a):
    return _wrap(np.asarray(np.isinf(a._data)))


def isfinite(a):
    return _wrap(np.asarray(np.isfinite(a._data)))


def isclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    b = as_tensor_arg(b)
    return _wrap(np.asarray(np.isclose(a._data, b._data, rtol=rtol, atol=atol, equal_nan=equal_nan)))


def allclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False) -> bool:
    b = as_tensor_arg(b)
    return bool(np.allclose(a._data, b._data, rtol=rtol, atol=atol, equal_nan=equal_nan))


def equal(a, b) -> bool:
    return a.shape == b.shape and bool(np.array_equal(a._data, b._data))


# =====================================================================================================
# Unary elementwise: one table row per op (name, forward, what backward keeps, backward rule)
# =====================================================================================================

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
exp2 = _make_unary("exp2", "Exp2Backward0", _fid.via_float64(np.exp2), "y", lambda g, x, y: g * y * math.log(2.0),
                   "2^x;  d/dx = 2^x ln 2")
expm1 = _make_unary("expm1", "Expm1Backward0", _fid.via_float64(np.expm1), "y", lambda g, x, y: g * (y + 1),
                    "e^x - 1;  d/dx = e^x")
log = _make_unary("log", "LogBackward0", _fid.via_float64(np.log), "x", lambda g, x, y: g / x, "ln x;  d/dx = 1/x")
log2 = _make_unary("log2", "Log2Backward0", _fid.via_float64(np.log2), "x", lambda g, x, y: g / (x * math.log(2.0)),
                   "log2 x;  d/dx = 1/(x ln 2)")
log10 = _make_unary("log10", "Log10Backward0", _fid.via_float64(np.log10), "x", lambda g, x, y: g / (x * math.log(10.0)),
                    "log10 x;  d/dx = 1/(x ln 10)")
log1p = _make_unary("log1p", "Log1PBackward0", _fid.via_float64(np.log1p), "x", lambda g, x, y: g / (x + 1),
                    "ln(1 + x);  d/dx = 1/(1 + x)")
sqrt = _make_unary("sqrt", "SqrtBackward0", np.sqrt, "y", lambda g, x, y: g / (y * 2), "√x;  d/dx = 1/(2√x)")
rsqrt = _make_unary("rsqrt", "RsqrtBackward0", lambda a: 1 / np.sqrt(a), "y",
                    lambda g, x, y: g * (y ** 3) * -0.5, "1/√x;  d/dx = -1/(2 x^(3/2))")
reciprocal = _make_unary("reciprocal", "ReciprocalBackward0", lambda a: 1 / a, "y",
                         lambda g, x, y: -g * y * y, "1/x;  d/dx = -1/x^2")
sin = _make_unary("sin", "SinBackward0", _fid.via_float64(np.sin, _fid.TRIG_EXACT_MAX), "x", lambda g, x, y: g * cos(x), "sin x;  d/dx = cos x")
cos = _make_unary("cos", "CosBackward0", _fid.via_float64(np.cos, _fid.TRIG_EXACT_MAX), "x", lambda g, x, y: -g * sin(x), "cos x;  d/dx = -sin x")
tan = _make_unary("tan", "TanBackward0", _fid.via_float64(np.tan, _fid.TRIG_EXACT_MAX), "y", lambda g, x, y: g * (y * y + 1),
                  "tan x;  d/dx = 1 + tan^2 x")
asin = _make_unary("asin", "AsinBackward0", _fid.via_float64(np.arcsin), "x", lambda g, x, y: g * rsqrt(1 - x * x),
                   "asin x;  d/dx = 1/√(1 - x^2)")
acos = _make_unary("acos", "AcosBackward0", _fid.via_float64(np.arccos), "x", lambda g, x, y: -g * rsqrt(1 - x * x),
                   "acos x;  d/dx = -1/√(1 - x^2)")
atan = _make_unary("atan", "AtanBackward0", _fid.via_float64(np.arctan), "x", lambda g, x, y: g / (x * x + 1),
                   "atan x;  d/dx = 1/(1 + x^2)")
sinh = _make_unary("sinh", "SinhBackward0", _fid.via_float64(np.sinh), "x", lambda g, x, y: g * cosh(x), "sinh x;  d/dx = cosh x")
cosh = _make_unary("cosh", "CoshBackward0", _fid.via_float64(np.cosh), "x", lambda g, x, y: g * sinh(x), "cosh x;  d/dx = sinh x")
tanh = _make_unary("tanh", "TanhBackward0", _fid.via_float64(np.tanh), "y", lambda g, x, y: tanh_backward(g, y),
                   "tanh x;  d/dx = 1 - tanh^2 x")
asinh = _make_unary("asinh", "AsinhBackward0", np.arcsinh, "x", lambda g, x, y: g * rsqrt(x * x + 1),
                    "asinh x;  d/dx = 1/√(x^2 + 1)")
acosh = _make_unary("acosh", "AcoshBackward0", np.arccosh, "x", lambda g, x, y: g * rsqrt(x * x - 1),
                    "acosh x;  d/dx = 1/√(x^2 - 1)")
atanh = _make_unary("atanh", "AtanhBackward0", _fid.via_float64(np.arctanh), "x", lambda g, x, y: g / (1 - x * x),
                    "atanh x;  d/dx = 1/(1 - x^2)")
sigmoid = _make_unary("sigmoid", "SigmoidBackward0", _sigmoid_np, "y", lambda g, x, y: sigmoid_backward(g, y),
                      "σ(x) = 1/(1 + e^-x);  d/dx = σ(x)(1 - σ(x))")
erf = _make_unary("erf", "ErfBackward0", _erf_np, "x",
                  lambda g, x, y: g * exp(-(x * x)) * (2 / _SQRT_PI), "erf x;  d/dx = 2/√π e^(-x^2)")
_neg = _make_unary("neg", "NegBackward0", np.negative, "", lambda g, x, y: -g, "-x;  d/dx = -1",
                  floats_only=False)


def neg(x):
    """-x (refused for bool tensors, as in PyTorch)"""
    if isinstance(x, Tensor) and x._data.dtype == np.bool_:
        raise RuntimeError("Negation, the `-` operator, on a bool tensor is not supported. If you are trying to "
                           "invert a mask, use the `~` or `logical_not()` operator instead.")
    return _neg(x)


def _relu_np(a):
    if a.dtype.kind == "b":
        raise RuntimeError("Boolean inputs not supported for relu")
    return np.maximum(a, 0)


abs = _make_unary("abs", "AbsBackward0", np.abs, "x", lambda g, x, y: g * sign(x), "|x|;  d/dx = sign x",
                  floats_only=False, no_kernel=("b", "abs_cpu"))
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


def _no_kernel(kernel: str, x):
    raise NotImplementedError(f"\"{kernel}\" not implemented for '{_long_name(x.dtype)}'")


def _zero_grad_rule(g, x, y):
    return g * 0


floor = _make_unary("floor", "FloorBackward0", np.floor, "", _zero_grad_rule, "⌊x⌋;  d/dx = 0",
                    floats_only=False, no_kernel=("b", "floor_vml_cpu"))
ceil = _make_unary("ceil", "CeilBackward0", np.ceil, "", _zero_grad_rule, "⌈x⌉;  d/dx = 0", floats_only=False,
                   no_kernel=("b", "ceil_vml_cpu"))
trunc = _make_unary("trunc", "TruncBackward0", np.trunc, "", _zero_grad_rule, "trunc x;  d/dx = 0",
                    floats_only=False, no_kernel=("b", "trunc_vml_cpu"))
# sign of a bool is itself (NumPy has no bool loop)
sign = _make_unary("sign", "SignBackward0",
                   lambda a: a.copy() if a.dtype.kind == "b" else np.sign(np.nan_to_num(a, nan=0.0)), "",
                   _zero_grad_rule, "sign x;  d/dx = 0", floats_only=False)
frac = _make_unary("frac", "FracBackward0", lambda a: a - np.trunc(a), "", lambda g, x, y: g,
                   "x - trunc x;  d/dx = 1", no_kernel=("iub", "frac_cpu"))


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


def square(x):
    """x^2 (recorded as PowBackward0, like PyTorch)"""
    if x._data.dtype.kind == "b":
        x = x.to(D.int64)
    return pow(x, 2)


def positive(x):
    return x


class ConjBackward0(Node):
    def backward(self, g):
        return (conj(g),)


def conj(x):
    if x._data.dtype.kind != "c":
        return x
    return _out(np.conj(x._data), ConjBackward0, (x,))


# -- clamp, where, lerp and other elementwise ops with extra arguments -------------------------------------

class ClampBackward1(Node):
    """clamp(x, lo, hi) with number bounds;  d/dx = [lo <= x <= hi]"""

    def backward(self, g):
        x, lo, hi = self.saved_values()
        mask = None
        if lo is not None:
            mask = x >= lo
        if hi is not None:
            m2 = x <= hi
            mask = m2 if mask is None else mask & m2
        return (where(mask, g, 0.0),)  # where, not g * mask: no -0.0 where g < 0, as PyTorch


class ClampBackward0(Node):
    """clamp(x, lo, hi) with tensor bounds: the gradient goes to whichever value was chosen"""

    def backward(self, g):
        x, lo, hi = self.saved_values()
        inside = None
        glo = ghi = None
        if lo is not None:
            inside = x >= lo
            if self.next[1] is not None:
                glo = where(inside, 0.0, g)
        if hi is not None:
            below = x <= hi
            if self.next[2] is not None:
                ghi = where(below, 0.0, g)
                if lo is not None:
                    ghi = where(inside, ghi, 0.0)
            inside = below if inside is None else inside & below
        return (where(inside, g, 0.0) if self.next[0] is not None else None, glo, ghi)


def clamp(x, min=None, max=None):
    """min(max(x, lo), hi)"""
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    if isinstance(min, Tensor) or isinstance(max, Tensor):
        lo = as_tensor_arg(min) if min is not None else None
        hi = as_tensor_arg(max) if max is not None else None
        r = x._data
        if lo is not None:
            r = np.maximum(r, lo._data)
        if hi is not None:
            r = np.minimum(r, hi._data)
        r = r.astype(x._data.dtype, copy=False)
        t = _out(r, ClampBackward0, (x, lo, hi), saved=(x, lo, hi))
        if t.grad_fn is not None and (r.shape != x.shape or (lo is not None and lo.shape != r.shape)
                                      or (hi is not None and hi.shape != r.shape)):
            t.grad_fn.in_shapes = (x.shape, lo.shape if lo is not None else None, hi.shape if hi is not None
                                   else None)
        return t
    xd = x._data
    lo, hi = _scalar(min), _scalar(max)
    if (isinstance(lo, float) or isinstance(hi, float)) and xd.dtype.kind not in "fc":
        xd = xd.astype(D.get_default_dtype().np)
    r = np.clip(xd, lo, hi)
    if lo is not None and hi is not None and lo > hi:
        r = np.full_like(xd, hi)
    r = r.astype(xd.dtype, copy=False)
    t = _out(r, ClampBackward1, (x,))
    if t.grad_fn is not None:
        t.grad_fn.saved = (x, lo, hi)
        t.grad_fn.versions = (x._version, None, None)
    return t


clip = clamp


def clamp_min(x, min):
    return clamp(x, min=min)


def clamp_max(x, max):
    return clamp(x, max=max)


class WhereBackward0(Node):
    """where(c, a, b):  the gradient flows to a where c holds, to b elsewhere"""

    def backward(self, g):
        (cond,) = self.saved_values()
        ga = where(cond, g, 0.0) if self.next[0] is not None else None
        gb = where(cond, 0.0, g) if self.next[1] is not None else None
        return (ga, gb)


def where(cond, a=None, b=None):
    """elementwise ``a if cond else b``"""
    if a is None and b is None:
        return nonzero(cond, as_tuple=True)
    cond = as_tensor_arg(cond)
    if cond._data.dtype != np.bool_:
        raise RuntimeError(f"where expected condition to be a boolean tensor, but got a tensor with dtype "
                           f"{_long_name(cond.dtype)}")
    at = isinstance(a, Tensor)
    bt = isinstance(b, Tensor)
    if at:
        ad, bd = _promote_pair(a, b)
    elif bt:
        bd, ad = _promote_pair(b, a)
    else:
        a_, b_ = as_tensor_arg(a), b
        ad, bd = _promote_pair(a_, b_)
    cd = cond._data
    if cd.dtype != np.bool_:
        cd = cd.astype(bool)
    try:
        r = np.where(cd, ad, bd)
    except ValueError:
        # name the first pair that fails, in PyTorch's order: condition with self, then with other
        try:
            first = np.broadcast_shapes(cd.shape, np.shape(ad))
        except ValueError:
            raise RuntimeError(_bcast_message(cd.shape, np.shape(ad))) from None
        raise RuntimeError(_bcast_message(first, np.shape(bd))) from None
    if r.dtype != np.result_type(ad, bd) and np.ndim(ad):
        r = r.astype(np.asarray(ad).dtype)
    ta = a if at else None
    tb = b if bt else None
    if not _requires(ta, tb):
        return _wrap(np.asarray(r))
    shp = r.shape
    in_shapes = None
    if (at and a.shape != shp) or (bt and b.shape != shp):
        in_shapes = (a.shape if at else None, b.shape if bt else None)
    node_inputs = (ta, tb)
    t = _out(r, WhereBackward0, node_inputs, in_shapes=in_shapes)
    t.grad_fn.saved = (cond,)
    t.grad_fn.versions = (None,)
    return t


class LerpBackward0(Node):
    """lerp(a, b, w) = a + w (b - a) with number w:  d/da = 1 - w, d/db = w"""

    def backward(self, g):
        (w,) = self.saved_values()
        return (g * (1 - w) if self.next[0] is not None else None, g * w if self.next[1] is not None else None)


class LerpBackward1(Node):
    """lerp(a, b, w) with tensor w:  d/da = 1 - w, d/db = w, d/dw = b - a"""

    def backward(self, g):
        a, b, w = self.saved_values()
        return (g * (1 - w) if self.next[0] is not None else None,
                g * w if self.next[1] is not None else None,
                g * (b - a) if self.next[2] is not None else None)


def lerp(a, b, weight):
    """a + weight * (b - a)"""
    b = as_tensor_arg(b)
    if isinstance(weight, Tensor):
        r = a._data + weight._data * (b._data - a._data)
        shp = r.shape
        ins = None
        if a.shape != shp or b.shape != shp or weight.shape != shp:
            ins = (a.shape, b.shape, weight.shape)
        return _out(r.astype(a._data.dtype, copy=False), LerpBackward1, (a, b, weight), saved=(a, b, weight),
                    in_shapes=ins)
    w = _scalar(weight)
    r = (a._data + w * (b._data - a._data)).astype(a._data.dtype, copy=False)
    shp = r.shape
    t = _out(r, LerpBackward0, (a, b),
             in_shapes=(a.shape, b.shape) if (a.shape != shp or b.shape != shp) else None)
    if t.grad_fn is not None:
        t.grad_fn.saved = (w,)
        t.grad_fn.versions = (None,)
    return t


class AddcmulBackward0(Node):
    """y = x + v t1 t2:  dy/dx = 1, dy/dt1 = v t2, dy/dt2 = v t1"""

    def backward(self, g):
        t1, t2 = self.saved_values()
        v = self.value
        gv = g if v == 1 else g * v
        return (g if self.next[0] is not None else None,
                gv * t2 if self.next[1] is not None else None,
                gv * t1 if self.next[2] is not None else None)


class AddcdivBackward0(Node):
    """y = x + v t1 / t2:  dy/dx = 1, dy/dt1 = v / t2, dy/dt2 = -v t1 / t2^2"""

    def backward(self, g):
        t1, t2 = self.saved_values()
        v = self.value
        gv = g if v == 1 else g * v
        return (g if self.next[0] is not None else None,
                gv / t2 if self.next[1] is not None else None,
                -gv * t1 / (t2 * t2) if self.next[2] is not None else None)


def _addc(x, t1, t2, value, ufunc, node_cls):
    xd = x._data
    with np.errstate(divide="ignore", invalid="ignore"):
        p = ufunc(t1._data, t2._data)
        r = xd + (p if value == 1 else p * value)
    if r.dtype != np.result_type(xd, t1._data, t2._data):
        r = r.astype(np.result_type(xd, t1._data, t2._data))
    so = r.shape
    shapes = (x.shape, t1.shape, t2.shape)
    t = _out(r, node_cls, (x, t1, t2), saved=(t1, t2),
             in_shapes=shapes if builtins_any(s != so for s in shapes) else None)
    if t.grad_fn is not None:
        t.grad_fn.value = _scalar(value)
    return t


def addcmul(x, t1, t2, *, value=1):
    """x + value * t1 * t2"""
    return _addc(x, t1, t2, value, np.multiply, AddcmulBackward0)


def addcdiv(x, t1, t2, *, value=1):
    """x + value * t1 / t2"""
    return _addc(x, t1, t2, value, np.true_divide, AddcdivBackward0)


def nan_to_num(x, nan=0.0, posinf=None, neginf=None):
    r = np.nan_to_num(x._data, nan=nan, posinf=posinf, neginf=neginf)
    return _out(r, NanToNumBackward0, (x,), saved=(x,))


class NanToNumBackward0(Node):
    def backward(self, g):
        (x,) = self.saved_values()
        return (where(isfinite(x), g, 0.0),)


# =====================================================================================================
# Reductions
# =====================================================================================================

def _norm_dims(dim, ndim: int) -> tuple:
    """``dim`` (None, int, or sequence) as a sorted tuple of non-negative axes, range-checked."""
    if dim is None:
        return tuple(range(ndim))
    if isinstance(dim, (int, np.integer)):
        dim = (int(dim),)
    out = []
    for d in dim:
        out.append(_wrap_dim(d, ndim))
    if len(set(out)) != len(out):
        raise RuntimeError(f"dim {out[0]} appears multiple times in the list of dims")
    return tuple(sorted(out))


def _wrap_dim(d, ndim: int) -> int:
    if not isinstance(d, (int, np.integer)):
        raise TypeError(f"dim must be an int, got {type(d).__name__}")
    n = builtins_max(ndim, 1)
    if d < -n or d >= n:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {d})")
    return int(d) % n


def _expand_back(g, in_shape, dims, keepdim):
    """Broadcast a reduced gradient ``g`` back to ``in_shape`` (the adjoint of summing over ``dims``)."""
    if not keepdim and len(in_shape):
        shp = list(in_shape)
        for d in dims:
            shp[d] = 1
        g = g.reshape(tuple(shp))
    return g.expand(in_shape)


class SumBackward0(Node):
    """s = Σ x:  ds/dx = 1 everywhere"""

    def backward(self, g):
        return (g.expand(self.shape),)


class SumBackward1(Node):
    """s = Σ_dims x:  ds/dx = 1, broadcast back over the summed dims"""

    def backward(self, g):
        return (_expand_back(g, self.shape, self.dims, self.keepdim),)


def sum(x, dim=None, keepdim=False, dtype=None):
    """Σ x over ``dim`` (all elements if None)"""
    xd = x._data
    if dtype is not None:
        xd = xd.astype(dtype.np)
    elif xd.dtype.kind in "bui" and xd.dtype != np.int64:
        xd = xd.astype(np.int64)  # PyTorch sums integers and bools as int64
    if dim is None:
        r = _fid.sum_float32(xd, None) if xd.dtype == np.float32 else None  # PyTorch's adding order
        # (an explicit small int dtype stays: NumPy would widen an int32 sum to int64)
        r = np.asarray(xd.sum(dtype=xd.dtype if xd.dtype.kind in "iu" else None)) if r is None else r
        if keepdim:
            r = r.reshape((1,) * x.ndim)
        t = _out(r, SumBackward0, (x,))
        if t.grad_fn is not None:
            t.grad_fn.shape = x.shape
        return t
    dims = _norm_dims(dim, x.ndim) if not (isinstance(dim, (tuple, list)) and len(dim) == 0) \
        else tuple(range(x.ndim))
    r = _fid.sum_float32(xd, dims) if xd.dtype == np.float32 and x.ndim else None
    if r is None:
        r = xd.sum(axis=dims if x.ndim else None, keepdims=keepdim, dtype=xd.dtype if xd.dtype.kind in "iu" else None)
    elif keepdim:
        r = r.reshape(tuple(1 if i in dims else s for i, s in enumerate(x.shape)))
    t = _out(r, SumBackward1, (x,))
    if t.grad_fn is not None:
        t.grad_fn.shape, t.grad_fn.dims, t.grad_fn.keepdim = x.shape, dims, keepdim
    return t


def sum_to_size(x, *size):
    """Sum ``x`` down to ``size`` (the adjoint of broadcasting ``size`` up to x's shape)."""
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = tuple(size[0])
    size = tuple(size)
    if size == x.shape:
        return x
    lead = x.ndim - len(size)
    dims = tuple(range(lead)) + tuple(i + lead for i, s in enumerate(size) if s == 1 and x.shape[i + lead] != 1)
    r = sum(x, dims, keepdim=True) if dims else x
    if lead:
        r = r.reshape(size)
    return r


class MeanBackward0(Node):
    """m = mean x:  dm/dx = 1/n"""

    def backward(self, g):
        return ((g / self.n).expand(self.shape),)


class MeanBackward1(Node):
    """m = mean_dims x:  dm/dx = 1/n, broadcast back over the averaged dims"""

    def backward(self, g):
        return (_expand_back(g / self.n, self.shape, self.dims, self.keepdim),)


def mean(x, dim=None, keepdim=False, dtype=None):
    """mean of x over ``dim``"""
    xd = x._data
    if dtype is not None:
        xd = xd.astype(dtype.np)
    if xd.dtype.kind not in "fc":
        raise RuntimeError(f"mean(): could not infer output dtype. Input dtype must be either a floating point "
                           f"or complex dtype. Got: {_long_name(x.dtype)}")
    if dim is None:
        with np.errstate(invalid="ignore", divide="ignore"):
            r = _fid.sum_float32(xd, None) if xd.dtype == np.float32 else None
            if r is not None:  # PyTorch's CPU mean: its float32 sum, then one division
                r = r / np.float32(xd.size)
            else:
                r = np.asarray(xd.mean(dtype=xd.dtype) if xd.size else np.float32("nan")).astype(xd.dtype)
        if keepdim:
            r = r.reshape((1,) * x.ndim)
        t = _out(r, MeanBackward0, (x,))
        if t.grad_fn is not None:
            t.grad_fn.shape, t.grad_fn.n = x.shape, x.numel()
        return t
    if isinstance(dim, (tuple, list)) and len(dim) == 0:
        dim = tuple(range(x.ndim))  # an empty dim list means every dim, as in PyTorch
    dims = _norm_dims(dim, x.ndim)
    r = _fid.sum_float32(xd, dims) if xd.dtype == np.float32 and x.ndim else None
    if r is not None:
        r = np.asarray(r / np.float32(xd.size // builtins_max(r.size, 1)))
        if keepdim:
            r = r.reshape(tuple(1 if i in dims else s for i, s in enumerate(x.shape)))
    else:
        with np.errstate(invalid="ignore", divide="ignore"):
            r = xd.mean(axis=dims if x.ndim else None, keepdims=keepdim, dtype=xd.dtype)
    t = _out(r, MeanBackward1, (x,))
    if t.grad_fn is not None:
        n = 1
        for d in dims:
            n *= x.shape[d] if x.ndim else 1
        t.grad_fn.shape, t.grad_fn.dims, t.grad_fn.keepdim, t.grad_fn.n = x.shape, dims, keepdim, n
    return t


class ProdBackward0(Node):
    """p = Π x:  dp/dx_i = Π_{j≠i} x_j (computed without dividing, so zeros are handled)"""

    def backward(self, g):
        (x,) = self.saved_values()
        return (_expand_back(g, x.shape, tuple(range(x.ndim)), False) * _prod_others(x.reshape(-1), 0)
                .reshape(x.shape),)


class ProdBackward1(Node):
    """p = Π_dim x:  dp/dx_i = Π_{j≠i} x_j along dim"""

    def backward(self, g):
        (x,) = self.saved_values()
        d = self.dim
        return (_expand_back(g, x.shape, (d,), self.keepdim) * _prod_others(x, d),)


def _prod_others(x, dim):
    """Π_{j≠i} x_j along ``dim``: exclusive cumulative products from both sides."""
    n = x.shape[dim]
    ones_shape = list(x.shape)
    ones_shape[dim] = 1
    one = ones_like(narrow(x, dim, 0, 1))
    left = cat([one, cumprod(narrow(x, dim, 0, n - 1), dim)], dim) if n > 1 else one
    xr = flip(x, (dim,))
    right = cat([one, cumprod(narrow(xr, dim, 0, n - 1), dim)], dim) if n > 1 else one
    return left * flip(right, (dim,))


def prod(x, dim=None, keepdim=False, dtype=None):
    """Π x over ``dim`` (one dim, or all)"""
    xd = x._data if dtype is None else x._data.astype(dtype.np)
    if xd.dtype.kind in "bui" and dtype is None:
        xd = xd.astype(np.int64)
    if dim is None:
        t = _out(np.asarray(xd.prod()), ProdBackward0, (x,), saved=(x,))
        return t
    if not isinstance(dim, (int, np.integer)):
        # PyTorch's argument parser: prod takes one int dim, no tuple
        raise TypeError(f"prod() received an invalid combination of arguments - got (Tensor, {type(dim).__name__}), "
                        "but expected one of:\n * (Tensor input, *, torch.dtype dtype = None)\n * (Tensor input, "
                        "int dim, bool keepdim = False, *, torch.dtype dtype = None, Tensor out = None)\n")
    d = _wrap_dim(dim, x.ndim)
    t = _out(xd.prod(axis=d if x.ndim else None, keepdims=keepdim), ProdBackward1, (x,), saved=(x,))
    if t.grad_fn is not None:
        t.grad_fn.dim, t.grad_fn.keepdim = d, keepdim
    return t


class _ExtremumAll(Node):
    """m = max/min of all x:  the gradient is shared evenly among the elements equal to m"""

    def backward(self, g):
        x, m = self.saved_values()
        mask = (x == m)
        return (mask * (g / mask.sum()),)


class MaxBackward1(_ExtremumAll):
    pass


class MinBackward1(_ExtremumAll):
    pass


class _ExtremumDim(Node):
    """(values, indices) = max/min along dim:  the gradient goes to the chosen index"""

    def backward(self, g):
        (idx,) = self.saved_values()
        shape, d, keep = self.shape, self.dim, self.keepdim
        if not keep and len(shape):
            g = g.unsqueeze(d)
            idx = idx.unsqueeze(d)
        return (zeros_like_shape(g, shape).scatter(d, idx, g) if len(shape) else g.reshape(shape),)


class MaxBackward0(_ExtremumDim):
    pass


class MinBackward0(_ExtremumDim):
    pass


class _AExtremum(Node):
    """amax/amin along dims: the gradient is split evenly among the tied extreme elements"""

    def backward(self, g):
        x, m = self.saved_values()
        if not self.keepdim:
            m = _expand_back(m, x.shape, self.dims, False)
            g = _expand_back(g, x.shape, self.dims, False)
        mask = (x == m)
        count = sum(mask, self.dims, keepdim=True)
        return (g * mask / count,)


class AmaxBackward0(_AExtremum):
    pass


class AminBackward0(_AExtremum):
    pass


def _extremum(x, dim, keepdim, np_reduce, np_arg, all_node, dim_node, name):
    if dim is None:
        if x.numel() == 0:
            raise RuntimeError(f"{name}(): Expected reduction dim to be specified for input.numel() == 0. "
                               "Specify the reduction dim with the 'dim' argument.")
        r = np.asarray(np_reduce(x._data))
        return _out(r, all_node, (x,), saved=(x, None)) if not _requires(x) else _save_result(
            _out(r, all_node, (x,)), x)
    from ..return_types import minmax_result
    d = _wrap_dim(dim, x.ndim)
    if x.ndim and x.shape[d] == 0:
        raise IndexError(f"{name}(): Expected reduction dim {d} to have non-zero size.")
    xd = x._data
    if x.ndim == 0:
        idx = np.asarray(0, dtype=np.int64)
        vals = xd.copy()
    else:
        idx = _nan_aware_arg(xd, d, np_arg)
        vals = np.take_along_axis(xd, np.expand_dims(idx, d), d)
        if not keepdim:
            vals = np.squeeze(vals, d)
        else:
            idx = np.expand_dims(idx, d)
    idx_t = _wrap(np.asarray(idx, dtype=np.int64))
    v = _out(vals, dim_node, (x,))
    if v.grad_fn is not None:
        v.grad_fn.saved = (idx_t,)
        v.grad_fn.versions = (None,)
        v.grad_fn.shape, v.grad_fn.dim, v.grad_fn.keepdim = x.shape, d, keepdim
    return minmax_result(v, idx_t, name)


def _nan_aware_arg(xd, d, np_arg):
    # PyTorch propagates NaN: a NaN is the max and the min; numpy's argmax also picks the first NaN
    return np_arg(xd, axis=d)


def _save_result(t, x):
    t.grad_fn.saved = (x, _saved_output(t.grad_fn, t))
    t.grad_fn.versions = (x._version, 0)
    return t


def max(x, dim=None, keepdim=False):
    """max of x, or (values, indices) along ``dim``; ``max(a, b)`` is the elementwise maximum"""
    if isinstance(dim, Tensor):
        return maximum(x, dim)
    return _extremum(x, dim, keepdim, np.max, np.argmax, MaxBackward1, MaxBackward0, "max")


def min(x, dim=None, keepdim=False):
    """min of x, or (values, indices) along ``dim``"""
    if isinstance(dim, Tensor):
        return minimum(x, dim)
    return _extremum(x, dim, keepdim, np.min, np.argmin, MinBackward1, MinBackward0, "min")


def amax(x, dim=(), keepdim=False):
    dims = _norm_dims(dim if dim != () else None, x.ndim)
    r = np.asarray(np.max(x._data, axis=dims if x.ndim else None, keepdims=keepdim))
    t = _out(r, AmaxBackward0, (x,))
    if t.grad_fn is not None:
        _save_result(t, x)
        t.grad_fn.dims, t.grad_fn.keepdim = dims, keepdim
    return t


def amin(x, dim=(), keepdim=False):
    dims = _norm_dims(dim if dim != () else None, x.ndim)
    r = np.asarray(np.min(x._data, axis=dims if x.ndim else None, keepdims=keepdim))
    t = _out(r, AminBackward0, (x,))
    if t.grad_fn is not None:
        _save_result(t, x)
        t.grad_fn.dims, t.grad_fn.keepdim = dims, keepdim
    return t


def _check_arg_input(x, name):
    if x._data.dtype == np.bool_:
        raise RuntimeError(f"{name}(): does not support bool input")


def argmax(x, dim=None, keepdim=False):
    """index of the largest element (of the flattened tensor, or along ``dim``)"""
    _check_arg_input(x, "argmax")
    if dim is None:
        r = np.asarray(np.argmax(x._data), dtype=np.int64)
        return _wrap(r.reshape((1,) * x.ndim) if keepdim else r)
    d = _wrap_dim(dim, x.ndim)
    r = np.argmax(x._data, axis=d) if x.ndim else np.asarray(0)
    if keepdim and x.ndim:
        r = np.expand_dims(r, d)
    return _wrap(np.asarray(r, dtype=np.int64))


def argmin(x, dim=None, keepdim=False):
    """index of the smallest element (of the flattened tensor, or along ``dim``)"""
    _check_arg_input(x, "argmin")
    if dim is None:
        r = np.asarray(np.argmin(x._data), dtype=np.int64)
        return _wrap(r.reshape((1,) * x.ndim) if keepdim else r)
    d = _wrap_dim(dim, x.ndim)
    r = np.argmin(x._data, axis=d) if x.ndim else np.asarray(0)
    if keepdim and x.ndim:
        r = np.expand_dims(r, d)
    return _wrap(np.asarray(r, dtype=np.int64))


def _correction(unbiased, correction):
    if correction is not None:
        return correction
    if unbiased is None:
        return 1
    return 1 if unbiased else 0


class VarBackward0(Node):
    """v = Σ(x - x̄)^2 / (n - c):  dv/dx = 2 (x - x̄) / (n - c)"""

    def backward(self, g):
        (x,) = self.saved_values()
        dims, keep = self.dims, self.keepdim
        xm = x - mean(x, dims, keepdim=True)
        g = _expand_back(g, x.shape, dims, keep) if dims != () else g
        return (g * xm * (2.0 / self.denom),)


class StdBackward0(Node):
    """s = √var:  ds/dx = (x - x̄) / ((n - c) s)"""

    def backward(self, g):
        x, s = self.saved_values()
        dims, keep = self.dims, self.keepdim
        xm = x - mean(x, dims, keepdim=True)
        g = _expand_back(g / s, x.shape, dims, keep)
        return (g * xm * (1.0 / self.denom),)


def _warn_user(msg: str) -> None:
    """A UserWarning attributed to the first caller outside ember (PyTorch's warnings point at user code)."""
    import os
    import sys
    import warnings
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    f, level = sys._getframe(1), 2  # stacklevel 2 is the frame that called _warn_user
    while f is not None and f.f_code.co_filename.startswith(root):
        f, level = f.f_back, level + 1
    warnings.warn(msg, UserWarning, stacklevel=level)


def _var_forward(x, dim, correction, keepdim, name="var"):
    """(Σ (x - mean)^2 / (n - correction), reduced dims, n - correction); nan when n - correction <= 0"""
    if x._data.dtype.kind not in "fc":
        raise RuntimeError("std and var only support floating point and complex dtypes")
    xd = _float_data(x)
    dims = _norm_dims(dim, x.ndim)
    ax = dims if x.ndim else None
    n = 1
    for d in dims:
        n *= x.shape[d] if x.ndim else 1
    if n - correction <= 0:
        _warn_user(f"{name}(): degrees of freedom is <= 0. Correction should be strictly less than the reduction "
                   "factor (input numel divided by output numel). (Triggered internally at "
                   "/__w/pytorch/pytorch/aten/src/ATen/native/ReduceOps.cpp:1861.)")
    denom = builtins_max(n - correction, 0)  # PyTorch clamps at 0: then inf (or nan for 0/0)
    with np.errstate(invalid="ignore", divide="ignore"):
        dev = xd - xd.mean(axis=ax, keepdims=True)
        if xd.dtype.kind == "c":
            dev = np.abs(dev)
        ss = np.sum(dev * dev, axis=ax, keepdims=keepdim)
        v = ss / np.asarray(denom, dtype=ss.dtype)
    return np.asarray(v, dtype=xd.dtype), dims, denom


def var(x, dim=None, unbiased=None, keepdim=False, *, correction=None, _name="var"):
    """Σ(x - mean)^2 / (n - correction)"""
    if isinstance(dim, bool):
        dim, unbiased = None, dim
    c = _correction(unbiased, correction)
    v, dims, denom = _var_forward(x, dim, c, keepdim, _name)
    t = _out(v, VarBackward0, (x,), saved=(x,))
    if t.grad_fn is not None:
        t.grad_fn.dims, t.grad_fn.keepdim, t.grad_fn.denom = dims, keepdim, denom
    return t


def std(x, dim=None, unbiased=None, keepdim=False, *, correction=None, _name="std"):
    """√var(x)"""
    if isinstance(dim, bool):
        dim, unbiased = None, dim
    c = _correction(unbiased, correction)
    v, dims, denom = _var_forward(x, dim, c, keepdim, _name)
    t = _out(np.sqrt(v), StdBackward0, (x,))
    if t.grad_fn is not None:
        _save_result(t, x)
        t.grad_fn.dims, t.grad_fn.keepdim, t.grad_fn.denom = dims, keepdim, denom
    return t


def var_mean(x, dim=None, unbiased=None, keepdim=False, *, correction=None):
    return (_renamed(var(x, dim, unbiased, keepdim, correction=correction, _name="var_mean"), "VarMeanBackward0"),
            _renamed(mean(x, dim, keepdim), "VarMeanBackward0"))


def std_mean(x, dim=None, unbiased=None, keepdim=False, *, correction=None):
    return (_renamed(std(x, dim, unbiased, keepdim, correction=correction, _name="std_mean"), "StdMeanBackward0"),
            _renamed(mean(x, dim, keepdim), "StdMeanBackward0"))


class LogsumexpBackward0(Node):
    """l = log Σ e^x:  dl/dx = e^(x - l) (the softmax)"""

    def backward(self, g):
        x, r = self.saved_values()
        if not self.keepdim:
            r = _expand_back(r, x.shape, self.dims, False)
            g = _expand_back(g, x.shape, self.dims, False)
        return (g * exp(x - r),)


def logsumexp(x, dim, keepdim=False):
    """log Σ_dim e^x, computed stably"""
    dims = _norm_dims(dim, x.ndim)
    xd = _float_data(x)
    ax = dims if x.ndim else None
    with np.errstate(invalid="ignore", over="ignore"):
        m = np.max(xd, axis=ax, keepdims=True) if xd.size else np.zeros([1] * x.ndim, xd.dtype)
        m = np.where(np.isfinite(m), m, 0)
        r = np.log(np.sum(np.exp(xd - m), axis=ax, keepdims=True)) + m
    if not keepdim and x.ndim:
        r = np.squeeze(r, axis=dims)
    t = _out(np.asarray(r, dtype=xd.dtype), LogsumexpBackward0, (x,))
    if t.grad_fn is not None:
        _save_result(t, x)
        t.grad_fn.dims, t.grad_fn.keepdim = dims, keepdim
    return t


class LinalgVectorNormBackward0(Node):
    """n = (Σ|x|^p)^(1/p):  dn/dx = x |x|^(p-2) / n^(p-1)"""

    def backward(self, g):
        x, n = self.saved_values()
        p = self.p
        if not self.keepdim:
            n = _expand_back(n, x.shape, self.dims, False)
            g = _expand_back(g, x.shape, self.dims, False)
        if p == 2:
            return (where(n == 0, 0.0, g * x / n),)
        if p == 1:
            return (g * sign(x),)
        if p == math.inf or p == -math.inf:
            mask = (abs(x) == n)
            return (g * sign(x) * mask / sum(mask, self.dims, keepdim=True),)
        if p == 0:
            return (g * 0,)
        return (where(n == 0, 0.0, g * x * abs(x) ** (p - 2) / n ** (p - 1)),)


def norm(x, p="fro", dim=None, keepdim=False, dtype=None):
    """vector p-norm over ``dim`` ('fro' is the 2-norm)"""
    if p == "fro" or p is None:
        p = 2
    if p == "nuc":
        raise NotImplementedError("nuclear norm is not supported")
    if not isinstance(p, numbers.Number):
        raise TypeError(f"linalg_vector_norm(): argument 'ord' (position 2) must be Number, not {type(p).__name__}")
    return linalg_vector_norm(x, p, dim, keepdim)


def linalg_vector_norm(x, ord=2, dim=None, keepdim=False):
    xd = _float_data(x)
    dims = _norm_dims(dim, x.ndim)
    ax = dims if x.ndim else None
    a = np.abs(xd)
    if ord == math.inf:
        r = np.max(a, axis=ax, keepdims=keepdim)
    elif ord == -math.inf:
        r = np.min(a, axis=ax, keepdims=keepdim)
    elif ord == 0:
        r = np.sum(a != 0, axis=ax, keepdims=keepdim).astype(a.dtype)
    elif ord == 2:
        r = np.sqrt(np.sum(a * a, axis=ax, keepdims=keepdim))
    elif ord == 1:
        r = np.sum(a, axis=ax, keepdims=keepdim)
    else:
        r = np.sum(a ** ord, axis=ax, keepdims=keepdim) ** (1.0 / ord)
    t = _out(np.asarray(r, dtype=a.dtype), LinalgVectorNormBackward0, (x,))
    if t.grad_fn is not None:
        _save_result(t, x)
        t.grad_fn.dims, t.grad_fn.keepdim, t.grad_fn.p = dims, keepdim, ord
    return t


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
            out.append(sum(tail, (d,), keepdim=True))
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


def _logical_reduce(np_fn, x, dim, keepdim):
    r = np.asarray(np_fn(x._data) if dim is None else np_fn(x._data, axis=_norm_dims(dim, x.ndim), keepdims=keepdim))
    # PyTorch keeps uint8 for uint8 input (a legacy rule); every other dtype gives bool
    return _wrap(r.astype(np.uint8) if x._data.dtype == np.uint8 else r)


def all(x, dim=None, keepdim=False):
    return _logical_reduce(np.all, x, dim, keepdim)


def any(x, dim=None, keepdim=False):
    return _logical_reduce(np.any, x, dim, keepdim)


def count_nonzero(x, dim=None):
    return _wrap(np.asarray(np.count_nonzero(x._data, axis=dim), dtype=np.int64))


# -- softmax family --------------------------------------------------------------------------------------

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


# =====================================================================================================
# Linear algebra
# =====================================================================================================

def _mm_check(a, b, name="mm"):
    sa, sb = a._data.shape, b._data.shape  # tuples: no Size objects on this per-matmul path
    if len(sa) != 2:
        raise RuntimeError("self must be a matrix")
    if len(sb) != 2:
        raise RuntimeError("mat2 must be a matrix")
    if sa[1] != sb[0]:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({a.shape[0]}x{a.shape[1]} and "
                           f"{b.shape[0]}x{b.shape[1]})")


def _same_dtype(a, b, what="expected m1 and m2 to have the same dtype"):
    if a._data.dtype != b._data.dtype:
        raise RuntimeError(f"{what}, but got: {_cname(a)} != {_cname(b)}")


_CNAMES = {"float32": "float", "float64": "double", "float16": "c10::Half", "int64": "long int",
           "int32": "int", "int16": "short int", "int8": "signed char", "uint8": "unsigned char", "bool": "bool"}


def _cname(t):
    return _CNAMES.get(t.dtype.name, t.dtype.name)


class MmBackward0(Node):
    """C = A B:  dA = G Bᵀ, dB = Aᵀ G"""

    def backward(self, g):
        a, b = self.saved_values()
        return (_mat1_grad(g, b) if self.next[0] is not None else None,
                _mat2_grad(a, b, g) if self.next[1] is not None else None)


def _column_major(x) -> bool:
    f = x._data.flags
    return f.f_contiguous and not f.c_contiguous


def _plain(*ts) -> bool:
    """Not recording and one dtype: a backward matmul may run on the arrays (same BLAS call, no dispatch)."""
    if _gm.enabled:
        return False
    dt = ts[0]._data.dtype
    for t in ts[1:]:
        if t._data.dtype != dt:
            return False
    return True


def _mat1_grad(g, b):
    """dA = G Bᵀ"""
    if _plain(g, b):
        return _wrap(_mm_np(g._data, b._data.T))
    return mm(g, b.mT)


def _mat2_grad(a, b, g):
    """dB = Aᵀ G, in B's layout as PyTorch computes it: for a column-major B (nn.Linear's Wᵀ) as (Gᵀ A)ᵀ,
    so W's gradient comes out row-major like W and the optimizer's update runs over contiguous memory."""
    if _column_major(b):
        if _plain(a, g):
            return _wrap(_mm_np(g._data.T, a._data).T)
        return mm(g.mT, a).mT
    if _plain(a, g):
        return _wrap(_mm_np(a._data.T, g._data))
    return mm(a.mT, g)


def _mm_np(ad, bd):
    """A 2-D matrix product; an inner size of 1 is an outer product, which broadcasting does ~4x faster than
    BLAS (the same single rounding per element)."""
    if ad.shape[1] == 1:
        return np.multiply(ad, bd)
    return ad @ bd


def mm(a, b):
    """matrix product of two 2-D tensors"""
    _mm_check(a, b)
    _same_dtype(a, b)
    return _out(_mm_np(a._data, b._data), MmBackward0, (a, b), saved=(a, b))


class AddmmBackward0(Node):
    """Y = β C + α A B:  dC = β G (summed to C's shape), dA = α G Bᵀ, dB = α Aᵀ G"""
    alpha = 1
    beta = 1

    def backward(self, g):
        a, b = self.saved_values()
        al, be = self.alpha, self.beta
        gc = (g if be == 1 else g * be) if self.next[0] is not None else None
        ga = gb = None
        if self.next[1] is not None:
            ga = _mat1_grad(g, b)
            if al != 1:
                ga = ga * al
        if self.next[2] is not None:
            gb = _mat2_grad(a, b, g)
            if al != 1:
                gb = gb * al
        return (gc, ga, gb)


def _expand_mismatch(src, target) -> str:
    """The middle of PyTorch's expand error: the last dim (from the right) where ``src`` can't grow."""
    for i in range(1, len(src) + 1):
        if src[-i] != 1 and src[-i] != target[-i]:
            return (f"{target[-i]}) must match the existing size ({src[-i]}) at non-singleton dimension "
                    f"{len(target) - i}")
    return f"{target[0]})"


def addmm(c, a, b, *, beta=1, alpha=1):
    """beta * c + alpha * (a @ b), in one BLAS call plus a broadcast add"""
    c = as_tensor_arg(c)
    _mm_check(a, b)
    _same_dtype(a, b)
    r = _mm_np(a._data, b._data)
    if alpha != 1:
        r *= alpha
    cd = c._data
    try:
        if beta == 1:
            r += cd
        elif beta != 0:
            r += beta * cd
    except ValueError:
        raise RuntimeError(f"The expanded size of the tensor ({_expand_mismatch(cd.shape, r.shape)}.  Target "
                           f"sizes: [{', '.join(map(str, r.shape))}].  Tensor sizes: "
                           f"[{', '.join(map(str, cd.shape))}]") from None
    t = _out(r, AddmmBackward0, (c, a, b), saved=(a, b),
             in_shapes=(cd.shape, a.shape, b.shape) if cd.shape != r.shape else None)
    if t.grad_fn is not None and (alpha != 1 or beta != 1):
        t.grad_fn.alpha, t.grad_fn.beta = alpha, beta
    return t


class MvBackward0(Node):
    """y = A v:  dA = g vᵀ, dv = Aᵀ g"""

    def backward(self, g):
        a, v = self.saved_values()
        return (outer(g, v) if self.next[0] is not None else None,
                mv(a.mT, g) if self.next[1] is not None else None)


def mv(a, v):
    if a.ndim != 2 or v.ndim != 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got 1, {a.ndim}, {v.ndim}")
    if a.shape[1] != v.shape[0]:
        raise RuntimeError(f"size mismatch, got input ({a.shape[0]}), mat ({a.shape[0]}x{a.shape[1]}), vec "
                           f"({v.shape[0]})")
    _same_dtype(a, v)
    return _out(a._data @ v._data, MvBackward0, (a, v), saved=(a, v))


class DotBackward0(Node):
    """s = u · v:  du = g v, dv = g u"""

    def backward(self, g):
        u, v = self.saved_values()
        return (g * v if self.next[0] is not None else None, g * u if self.next[1] is not None else None)


def dot(u, v):
    if u.ndim != 1 or v.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {u.ndim}D and {v.ndim}D tensors")
    if u.shape[0] != v.shape[0]:
        raise RuntimeError(f"inconsistent tensor size, expected tensor [{u.shape[0]}] and src [{v.shape[0]}] to "
                           f"have the same number of elements, but got {u.shape[0]} and {v.shape[0]} elements "
                           f"respectively")
    if u._data.dtype != v._data.dtype:
        raise RuntimeError(f"dot : expected both vectors to have same dtype, but found {_long_name(u.dtype)} and "
                           f"{_long_name(v.dtype)}")
    return _out(np.asarray(u._data @ v._data), DotBackward0, (u, v), saved=(u, v))


class BmmBackward0(Node):
    """C_b = A_b B_b:  dA = G Bᵀ, dB = Aᵀ G (per batch)"""

    def backward(self, g):
        a, b = self.saved_values()
        return (bmm(g, b.mT) if self.next[0] is not None else None,
                bmm(a.mT, g) if self.next[1] is not None else None)


def bmm(a, b):
    if a.ndim != 3:
        raise RuntimeError("batch1 must be a 3D tensor")
    if b.ndim != 3:
        raise RuntimeError("batch2 must be a 3D tensor")
    if a.shape[0] != b.shape[0] or a.shape[2] != b.shape[1]:
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: [{a.shape[0]}, "
                           f"{a.shape[2]}] but got: [{b.shape[0]}, {b.shape[1]}].")
    _same_dtype(a, b)
    return _out(np.matmul(a._data, b._data), BmmBackward0, (a, b), saved=(a, b))


def matmul(a, b):
    """the matrix product in all of PyTorch's 1-D/2-D/batched/broadcast forms"""
    if not isinstance(b, Tensor):
        raise TypeError(f"matmul(): argument 'other' (position 2) must be Tensor, not {type(b).__name__}")
    da, db = a.ndim, b.ndim
    if da == 0 or db == 0:
        raise RuntimeError(f"both arguments to matmul need to be at least 1D, but they are {da}D and {db}D")
    if da == 2 and db == 2:
        if a.shape[1] != b.shape[0]:
            raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({a.shape[0]}x{a.shape[1]} and "
                               f"{b.shape[0]}x{b.shape[1]})")
        return mm(a, b)
    if da == 1 and db == 1:
        return dot(a, b)
    if da == 2 and db == 1:
        return mv(a, b)
    if da == 1 and db == 2:
        if a.shape[0] != b.shape[0]:
            raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied (1x{a.shape[0]} and "
                               f"{b.shape[0]}x{b.shape[1]})")
        return squeeze(mm(unsqueeze(a, 0), b), 0, _name="SqueezeBackward4")
    if da >= 3 and db <= 2:
        # fold the batch into rows: one GEMM, as PyTorch does
        if db == 1:
            if a.shape[-1] != b.shape[0]:
                rows = int(np.prod(a.shape[:-1]))
                raise RuntimeError(f"size mismatch, got input ({rows}), mat ({rows}x{a.shape[-1]}), vec "
                                   f"({b.shape[0]})")
            r = mv(reshape(a, (-1, a.shape[-1])), b)
            return _unsafe_view(r, a.shape[:-1])
        if a.shape[-1] != b.shape[0]:
            raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied "
                               f"({int(np.prod(a.shape[:-1]))}x{a.shape[-1]} and {b.shape[0]}x{b.shape[1]})")
        r = mm(reshape(a, (-1, a.shape[-1])), b)
        return _unsafe_view(r, a.shape[:-1] + (b.shape[1],))
    # general batched case: broadcast batch dims, then bmm
    a2 = unsqueeze(a, 0) if da == 1 else a
    b2 = unsqueeze(b, -1) if db == 1 else b
    try:
        batch = np.broadcast_shapes(a2.shape[:-2], b2.shape[:-2])
    except ValueError:
        raise RuntimeError(_bcast_message(a2.shape[:-2], b2.shape[:-2])) from None
    nb = int(np.prod(batch)) if batch else 1
    if a2.shape[-1] != b2.shape[-2]:
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: "
                           f"[{nb}, {a2.shape[-1]}] but got: [{nb}, {b2.shape[-2]}].")
    if da <= 2 and db >= 3:
        # PyTorch folds b's batch into rows instead: (bᵀ aᵀ)ᵀ as one GEMM
        bt = reshape(transpose(b, -1, -2), (-1, b.shape[-2]))
        if da == 1:
            return _unsafe_view(mv(bt, a), b.shape[:-2] + (b.shape[-1],))
        r = _unsafe_view(mm(bt, transpose(a, 0, 1)), b.shape[:-2] + (b.shape[-1], a.shape[0]))
        return clone(transpose(r, -1, -2), memory_format=None)
    ae = expand(a2, batch + a2.shape[-2:]).reshape(nb, *a2.shape[-2:])
    be = expand(b2, batch + b2.shape[-2:]).reshape(nb, *b2.shape[-2:])
    r = bmm(ae, be)
    out_shape = batch + (a2.shape[-2], b2.shape[-1])
    r = _unsafe_view(r, out_shape)
    if da == 1:
        r = squeeze(r, -2)
    if db == 1:
        r = squeeze(r, -1)
    return r


def outer(u, v):
    """u vᵀ (recorded as a broadcast product, as PyTorch does)"""
    for name, t in (("self", u), ("vec2", v)):
        if t.ndim != 1:
            raise RuntimeError(f"outer: Expected 1-D argument {name}, but got {t.ndim}-D")
    return mul(unsqueeze(u, 1), v)


ger = outer


def einsum(equation, *operands):
    """Einstein summation, decomposed into differentiable permutes, broadcast products and sums"""
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    from ._einsum import einsum as _einsum
    return _einsum(equation, operands)


# =====================================================================================================
# Shape and views
# =====================================================================================================

def _view_of(x, arr, node_cls, **attrs):
    """A result that shares memory with ``x`` (a view): it shares x's version counter too."""
    t = _wrap(arr)
    if x._vc is None:
        x._vc = [0]
    t._vc = x._vc
    t._base = x if x._base is None else x._base
    if _gm.enabled and x._rg:
        node = node_cls((_edge(x),))
        for k, v in attrs.items():
            setattr(node, k, v)
        _record(t, node)
        _register_view(t._base, t)
    return t


class ViewBackward0(Node):
    """y = view(x):  dx = g reshaped back"""

    def backward(self, g):
        return (g.reshape(self.shape),)


class UnsafeViewBackward0(ViewBackward0):
    pass


class CloneBackward0(Node):
    """y = x (a copy):  dx = g"""

    def backward(self, g):
        return (g,)


def _infer_shape(shape, numel, x_shape):
    shape = list(shape)
    neg = [i for i, s in enumerate(shape) if s == -1]
    if len(neg) > 1:
        raise RuntimeError("only one dimension can be inferred")
    for s in shape:
        if not isinstance(s, (int, np.integer)):
            raise TypeError(f"view(): argument 'size' must be tuple of ints, but found element of type "
                            f"{type(s).__name__}")
        if s < -1:
            raise RuntimeError(f"invalid shape dimension {s}")
    if neg:
        known = 1
        for i, s in enumerate(shape):
            if i != neg[0]:
                known *= s
        if known == 0 or numel % known:
            raise RuntimeError(f"shape '[{', '.join(str(s) for s in shape)}]' is invalid for input of size "
                               f"{numel}")
        shape[neg[0]] = numel // known
    total = 1
    for s in shape:
        total *= s
    if total != numel:
        raise RuntimeError(f"shape '[{', '.join(str(s) for s in shape)}]' is invalid for input of size {numel}")
    return tuple(int(s) for s in shape)


def _shape_arg(args):
    if len(args) == 1 and isinstance(args[0], (tuple, list)):
        return tuple(args[0])
    if len(args) == 1 and hasattr(args[0], "shape") and not isinstance(args[0], (int, np.integer)):
        return tuple(args[0])
    return tuple(args)


def view(x, *shape):
    """x with a new shape, sharing its memory (x must be laid out compatibly)"""
    if len(shape) == 1 and isinstance(shape[0], D.dtype):
        return view_dtype(x, shape[0])
    shape = _infer_shape(_shape_arg(shape), x._data.size, x.shape)
    try:
        arr = x._data.view()
        arr.shape = shape  # raises if a copy would be needed
    except (AttributeError, ValueError):
        raise RuntimeError("view size is not compatible with input tensor's size and stride (at least one "
                           "dimension spans across two contiguous subspaces). Use .reshape(...) instead.") from None
    return _view_of(x, arr, ViewBackward0, shape=x.shape)


def view_dtype(x, dt):
    return _wrap(x._data.view(dt.np))


def reshape(x, *shape):
    """x with a new shape: a view when the layout allows, else a copy"""
    shape = _infer_shape(_shape_arg(shape), x._data.size, x.shape)
    arr = x._data
    try:
        v = arr.view()
        v.shape = shape
        return _view_of(x, v, ViewBackward0, shape=x.shape)
    except (AttributeError, ValueError):
        c = clone(x)
        return _unsafe_view(c, shape)


def _unsafe_view(x, shape):
    arr = x._data.reshape(shape)
    t = _wrap(arr)
    if _gm.enabled and x._rg:
        node = UnsafeViewBackward0((_edge(x),))
        node.shape = x.shape
        _record(t, node)
    return t


def view_as(x, other):
    return view(x, other.shape)


def reshape_as(x, other):
    return reshape(x, other.shape)


def flatten(x, start_dim=0, end_dim=-1):
    if x.ndim == 0:
        return reshape(x, (1,))
    s = _wrap_dim(start_dim, x.ndim)
    e = _wrap_dim(end_dim, x.ndim)
    if s > e:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    if s == e:
        return x
    shp = x.shape
    n = 1
    for d in shp[s:e + 1]:
        n *= d
    return reshape(x, shp[:s] + (n,) + shp[e + 1:])


def unflatten(x, dim, sizes):
    d = _wrap_dim(dim, x.ndim)
    sizes = list(sizes)
    if -1 in sizes:
        known = 1
        for s in sizes:
            if s != -1:
                known *= s
        sizes[sizes.index(-1)] = x.shape[d] // known if known else 0
    n = 1
    for s in sizes:
        n *= s
    if n != x.shape[d]:
        raise RuntimeError(f"unflatten: Provided sizes {list(sizes)} don't multiply up to the size of dim {dim} "
                           f"({x.shape[d]}) in the input tensor")
    return view(x, x.shape[:d] + tuple(sizes) + x.shape[d + 1:])


class SqueezeBackward0(Node):
    """y = squeeze(x):  dx = g reshaped back"""

    def backward(self, g):
        return (g.reshape(self.shape),)


class SqueezeBackward1(SqueezeBackward0):
    pass


class SqueezeBackward2(SqueezeBackward0):
    pass


class SqueezeBackward4(SqueezeBackward0):
    pass


def squeeze(x, dim=None, _name=None):
    """drop size-1 dims (all, or those in ``dim``)"""
    if dim is None:
        shape = tuple(s for s in x.shape if s != 1)
        cls = SqueezeBackward0
    else:
        dims = _norm_dims(dim, x.ndim) if x.ndim else ()
        shape = tuple(s for i, s in enumerate(x.shape) if not (i in dims and s == 1))
        cls = SqueezeBackward1 if isinstance(dim, (int, np.integer)) else SqueezeBackward2
    if _name == "SqueezeBackward4":
        cls = SqueezeBackward4
    return _view_of(x, x._data.reshape(shape), cls, shape=x.shape)


class UnsqueezeBackward0(Node):
    """y = unsqueeze(x, d):  dx = squeeze(g, d)"""

    def backward(self, g):
        return (g.squeeze(self.dim),)


def unsqueeze(x, dim):
    """insert a size-1 dim at ``dim``"""
    d = _wrap_dim(dim, x.ndim + 1)
    return _view_of(x, np.expand_dims(x._data, d), UnsqueezeBackward0, dim=d)


class TransposeBackward0(Node):
    """y = transpose(x, i, j):  dx = transpose(g, i, j)"""

    def backward(self, g):
        return (g.transpose(self.d0, self.d1),)


class TBackward0(Node):
    """y = xᵀ:  dx = gᵀ"""

    def backward(self, g):
        return (g.t(),)


class PermuteBackward0(Node):
    """y = permute(x, p):  dx = permute(g, p⁻¹)"""

    def backward(self, g):
        return (g.permute(tuple(np.argsort(self.dims))),)


def transpose(x, dim0, dim1):
    """swap two dims (a view)"""
    n = x.ndim
    d0, d1 = _wrap_dim(dim0, n), _wrap_dim(dim1, n)
    if n == 0:
        return _view_of(x, x._data.view(), TransposeBackward0, d0=0, d1=0)
    return _view_of(x, np.swapaxes(x._data, d0, d1), TransposeBackward0, d0=d0, d1=d1)


swapaxes = transpose
swapdims = transpose


def t(x):
    """transpose of a tensor of at most 2 dims"""
    if x.ndim > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {x.ndim}D")
    return _view_of(x, x._data.T, TBackward0)


def permute(x, *dims):
    dims = _shape_arg(dims)
    if len(dims) != x.ndim:
        raise RuntimeError(f"permute(sparse_coo): number of dimensions in the tensor input does not match the "
                           f"length of the desired ordering of dimensions i.e. input.dim() = {x.ndim} is not equal "
                           f"to len(dims) = {len(dims)}")
    dims = tuple(_wrap_dim(d, x.ndim) for d in dims)
    if len(set(dims)) != len(dims):
        raise RuntimeError("permute(): duplicate dims are not allowed.")
    return _view_of(x, np.transpose(x._data, dims), PermuteBackward0, dims=dims)


def movedim(x, source, destination):
    src = [source] if isinstance(source, int) else list(source)
    dst = [destination] if isinstance(destination, int) else list(destination)
    src = [_wrap_dim(s, x.ndim) for s in src]
    dst = [_wrap_dim(s, x.ndim) for s in dst]
    order = [d for d in range(x.ndim) if d not in src]
    for d, s in sorted(zip(dst, src)):
        order.insert(d, s)
    return permute(x, order)


moveaxis = movedim


class ExpandBackward0(Node):
    """y = expand(x):  dx = g summed over the broadcast dims"""

    def backward(self, g):
        return (g.sum_to_size(self.shape),)


def expand(x, *sizes):
    """broadcast x to ``sizes`` without copying (-1 keeps a dim)"""
    sizes = _shape_arg(sizes)
    n = len(sizes)
    if n < x.ndim:
        from .graph import _type_name
        raise RuntimeError(f"expand({_type_name(x)}{{[{', '.join(str(s) for s in x.shape)}]}}, size=["
                           f"{', '.join(str(s) for s in sizes)}]): the number of sizes provided ({n}) must be "
                           f"greater or equal to the number of dimensions in the tensor ({x.ndim})")
    lead = n - x.ndim
    target = [0] * n
    for i in range(n - 1, -1, -1):  # PyTorch checks from the last dim, so it reports the last mismatch
        s = sizes[i]
        if s == -1:
            if i < lead:
                raise RuntimeError(f"The expanded size of the tensor (-1) isn't allowed in a leading, "
                                   f"non-existing dimension {i}")
            s = x.shape[i - lead]
        elif i >= lead and x.shape[i - lead] != 1 and x.shape[i - lead] != s:
            raise RuntimeError(f"The expanded size of the tensor ({s}) must match the existing size "
                               f"({x.shape[i - lead]}) at non-singleton dimension {i}.  Target sizes: "
                               f"[{', '.join(str(v) for v in sizes)}].  Tensor sizes: "
                               f"[{', '.join(str(v) for v in x.shape)}]")
        target[i] = int(s)
    target = tuple(target)
    if target == x.shape and _gm.enabled and not x._rg:
        return _view_of(x, x._data.view(), ExpandBackward0, shape=x.shape)
    return _view_of(x, np.broadcast_to(x._data, target), ExpandBackward0, shape=x.shape)


def expand_as(x, other):
    return expand(x, other.shape)


def broadcast_to(x, shape):
    return expand(x, shape)


def broadcast_tensors(*tensors):
    shape = np.broadcast_shapes(*[t.shape for t in tensors])
    return tuple(expand(t, shape) for t in tensors)


def clone(x, memory_format=None):
    """a copy of x that records CloneBackward0"""
    return _out(x._data.copy(), CloneBackward0, (x,))


def contiguous(x, memory_format=None):
    if x._data.flags.c_contiguous:
        return x
    return clone(x)


class ToCopyBackward0(Node):
    """y = x converted to another dtype:  dx = g converted back"""

    def backward(self, g):
        return (g.to(self.dtype),)


def to_dtype(x, dt, copy=False):
    if dt.np == x._data.dtype and dt is not D.bfloat16:
        return clone(x) if copy else x
    t = _out(x._data.astype(dt.np), ToCopyBackward0, (x,) if dt.is_floating_point or dt.is_complex else (None,))
    if t.grad_fn is not None:
        t.grad_fn.dtype = x.dtype
    return t


class RepeatBackward0(Node):
    """y = repeat(x, reps):  dx = Σ over the copies of g"""

    def backward(self, g):
        shape, reps = self.shape, self.reps
        lead = len(reps) - len(shape)
        full = (1,) * lead + tuple(shape)
        split = []
        for r, s in zip(reps, full):
            split += [r, s]
        g = g.reshape(split)
        g = sum(g, tuple(range(0, len(split), 2)))
        return (g.reshape(shape),)


def repeat(x, *reps):
    reps = _shape_arg(reps)
    if len(reps) < x.ndim:
        raise RuntimeError("Number of dimensions of repeat dims can not be smaller than number of dimensions "
                           "of tensor")
    r = np.tile(x._data, reps)
    t = _out(r, RepeatBackward0, (x,))
    if t.grad_fn is not None:
        t.grad_fn.shape, t.grad_fn.reps = x.shape, reps
    return t


def tile(x, *reps):
    reps = _shape_arg(reps)
    if len(reps) < x.ndim:
        reps = (1,) * (x.ndim - len(reps)) + tuple(reps)
    return repeat(x, reps)


def repeat_interleave(x, repeats, dim=None):
    """each element (or slice along ``dim``) repeated ``repeats`` times in place"""
    if dim is None:
        x = reshape(x, (-1,))
        dim = 0
    d = _wrap_dim(dim, x.ndim)
    if isinstance(repeats, Tensor) and repeats.ndim == 0:
        repeats = int(repeats.item())
    if not isinstance(repeats, Tensor):
        # PyTorch's way for a number: unsqueeze, expand, copy, view
        n = int(repeats)
        u = unsqueeze(x, d + 1)
        shape = list(u.shape)
        shape[d + 1] = n
        out = list(x.shape)
        out[d] *= n
        return view(clone(expand(u, tuple(shape))), tuple(out))
    reps = repeats._data
    idx = np.repeat(np.arange(x.shape[d]), reps)
    return index_select(x, d, _wrap(idx.astype(np.int64)))


class FlipBackward0(Node):
    """y = flip(x, dims):  dx = flip(g, dims)"""

    def backward(self, g):
        return (g.flip(self.dims),)


def flip(x, *dims):
    """x with the order of elements reversed along ``dims``"""
    dims = dims[0] if len(dims) == 1 else dims
    if isinstance(dims, int):
        dims = (dims,)
    dims = _norm_dims(dims, x.ndim)
    t = _out(np.flip(x._data, dims).copy() if x.ndim else x._data.copy(), FlipBackward0, (x,))
    if t.grad_fn is not None:
        t.grad_fn.dims = dims
    return t


def fliplr(x):
    return flip(x, (1,))


def flipud(x):
    return flip(x, (0,))


class RollBackward0(Node):
    """y = roll(x, s):  dx = roll(g, -s)"""

    def backward(self, g):
        shifts = tuple(-s for s in self.shifts) if isinstance(self.shifts, tuple) else -self.shifts
        return (g.roll(shifts, self.dims),)


def roll(x, shifts, dims=None):
    """x shifted circularly by ``shifts`` along ``dims`` (flattened when dims is None)"""
    if dims is not None:
        sh = tuple(shifts) if isinstance(shifts, (list, tuple)) else (shifts,)
        ds = tuple(dims) if isinstance(dims, (list, tuple)) else (dims,)
        if len(sh) != len(ds):
            raise RuntimeError(f"shifts and dimensions must align. shifts: {len(sh)}, dims:{len(ds)}")
        for d in ds:
            _wrap_dim(d, x.ndim)
    t = _out(np.roll(x._data, shifts, dims), RollBackward0, (x,))
    if t.grad_fn is not None:
        t.grad_fn.shifts = tuple(shifts) if isinstance(shifts, (list, tuple)) else shifts
        t.grad_fn.dims = tuple(dims) if isinstance(dims, (list, tuple)) else dims
    return t


class TrilBackward0(Node):
    """y = tril(x):  dx = tril(g)"""

    def backward(self, g):
        return (g.tril(self.k),)


class TriuBackward0(Node):
    """y = triu(x):  dx = triu(g)"""

    def backward(self, g):
        return (g.triu(self.k),)


def tril(x, diagonal=0):
    if x.ndim < 2:
        raise RuntimeError("tril: input tensor must have at least 2 dimensions")
    t = _out(np.tril(x._data, diagonal), TrilBackward0, (x,))
    if t.grad_fn is not None:
        t.grad_fn.k = diagonal
    return t


def triu(x, diagonal=0):
    if x.ndim < 2:
        raise RuntimeError("triu: input tensor must have at least 2 dimensions")
    t = _out(np.triu(x._data, diagonal), TriuBackward0, (x,))
    if t.grad_fn is not None:
        t.grad_fn.k = diagonal
    return t


class DiagEmbedBackward0(Node):
    """Y = diag(v):  dv = diagonal(G)"""

    def backward(self, g):
        return (g.diagonal(self.k),)


class DiagonalBackward0(Node):
    """y = diagonal(X):  dX = G placed on that diagonal"""

    def backward(self, g):
        z = zeros_like_shape(g, self.shape)
        return (diagonal_scatter(z, g, self.k, self.d1, self.d2),)


class DiagonalBackward0_copy(DiagonalBackward0):
    pass


def diag(x, diagonal=0):
    if x.ndim == 1:
        t = _out(np.diag(x._data, diagonal), DiagEmbedBackward0, (x,))
        if t.grad_fn is not None:
            t.grad_fn.k = diagonal
        return t
    if x.ndim == 2:
        t = diagonal_(x, diagonal, 0, 1, copy=True)
        if t.grad_fn is not None:
            t.grad_fn.__class__ = DiagonalBackward0_copy  # PyTorch's diag goes through diagonal_copy
        return t
    raise RuntimeError("diag(): Supports 1D or 2D tensors. Got " + f"{x.ndim}D")


def diagonal_(x, offset=0, dim1=0, dim2=1, copy=False):
    d1, d2 = _wrap_dim(dim1, x.ndim), _wrap_dim(dim2, x.ndim)
    if d1 == d2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    arr = np.diagonal(x._data, offset, d1, d2)
    if copy:
        arr = arr.copy()
    t = _out(arr, DiagonalBackward0, (x,))
    if t.grad_fn is not None:
        t.grad_fn.shape, t.grad_fn.k, t.grad_fn.d1, t.grad_fn.d2 = x.shape, offset, d1, d2
    return t


def diagonal(x, offset=0, dim1=0, dim2=1):
    """The diagonal as a view sharing x's memory (so ``x.diagonal().add_(1)`` writes into x, as in PyTorch)."""
    d1, d2 = _wrap_dim(dim1, x.ndim), _wrap_dim(dim2, x.ndim)
    if d1 == d2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    a = x._data
    n1, n2 = a.shape[d1], a.shape[d2]
    n = builtins_max(0, builtins_min(n1, n2 - offset) if offset >= 0 else builtins_min(n1 + offset, n2))
    start = [0] * a.ndim
    if n:
        start[d2 if offset >= 0 else d1] = builtins_abs(offset)
    first = a[tuple(slice(s, None) for s in start)] if n else a
    rest = [k for k in range(a.ndim) if k not in (d1, d2)]
    # walk both dims at once: stride(d1) + stride(d2) steps along the diagonal
    arr = np.lib.stride_tricks.as_strided(
        first, tuple(a.shape[k] for k in rest) + (n,),
        tuple(a.strides[k] for k in rest) + (a.strides[d1] + a.strides[d2],), writeable=a.flags.writeable)
    t = _view_of(x, arr, DiagonalBackward0, shape=x.shape, k=offset, d1=d1, d2=d2)
    if x.ndim == 2 and x._base is None:
        i, j = _diag_index(x.shape, offset, d1, d2)
        t._view_key = (_wrap(i), _wrap(j))  # lets an in-place write through the view rebase x's history
    return t


class DiagonalScatterBackward0(Node):
    def backward(self, g):
        gz = diagonal_scatter(g, zeros_like(diagonal(g, self.k, self.d1, self.d2)), self.k, self.d1, self.d2)
        return (gz if self.next[0] is not None else None,
                diagonal(g, self.k, self.d1, self.d2) if self.next[1] is not None else None)


def diagonal_scatter(x, src, offset=0, dim1=0, dim2=1):
    dim1, dim2 = _wrap_dim(dim1, x.ndim), _wrap_dim(dim2, x.ndim)
    r = x._data.copy()
    idx = _diag_index(x.shape, offset, dim1, dim2)
    # src has the diagonal last; NumPy's paired advanced index puts it where the two axes were if they are
    # adjacent, else first
    where_ = builtins_min(dim1, dim2) if builtins_abs(dim1 - dim2) == 1 else 0
    r[idx] = np.moveaxis(src._data, -1, where_) if src.ndim > 1 else src._data
    t = _out(r, DiagonalScatterBackward0, (x, src))
    if t.grad_fn is not None:
        t.grad_fn.k, t.grad_fn.d1, t.grad_fn.d2 = offset, dim1, dim2
    return t


def _diag_index(shape, offset, d1, d2):
    n1, n2 = shape[d1], shape[d2]
    if offset >= 0:
        k = builtins_min(n1, n2 - offset)
        i, j = np.arange(k), np.arange(k) + offset
    else:
        k = builtins_min(n1 + offset, n2)
        i, j = np.arange(k) - offset, np.arange(k)
    idx = [slice(None)] * len(shape)
    idx[d1], idx[d2] = i, j
    # advanced indices on two axes: numpy puts the paired axis first when they are not adjacent
    return tuple(idx)


import builtins as _builtins

builtins_min = _builtins.min
builtins_max = _builtins.max
builtins_sum = _builtins.sum
builtins_any = _builtins.any
builtins_abs = _builtins.abs


def trace(x):
    """Σ_i x_ii"""
    return _renamed(sum(diagonal(x)), "TraceBackward0")


def zeros_like_shape(g, shape):
    """zeros of ``shape`` with g's dtype (a constant: no graph)"""
    return _wrap(np.zeros(shape, dtype=g._data.dtype))


def zeros_like(x, dtype=None):
    return _wrap(np.zeros(x.shape, dtype=x._data.dtype if dtype is None else dtype.np))


def ones_like(x, dtype=None):
    return _wrap(np.ones(x.shape, dtype=x._data.dtype if dtype is None else dtype.np))


def arange(n):
    return _wrap(np.arange(n, dtype=np.int64))


# =====================================================================================================
# Indexing
# =====================================================================================================

# re-exported: ember.gather, Tensor.masked_fill ... are these
from ._indexing import (  # noqa: F401
    gather,
    getitem,
    index_add,
    index_copy,
    index_fill,
    index_put,
    index_select,
    masked_fill,
    masked_scatter,
    masked_select,
    nonzero,
    scatter,
    scatter_add,
    take,
    take_along_dim,
)

# =====================================================================================================
# Joining and splitting
# =====================================================================================================


class CatBackward0(Node):
    """y = cat(xs, d):  each dx_i is its slice of g"""

    def backward(self, g):
        out = []
        start = 0
        d = self.dim
        for n in self.sizes:
            out.append(narrow(g, d, start, n) if n else None)
            start += n
        return tuple(out)


def cat(tensors, dim=0, *, out=None):
    """join tensors along an existing dim"""
    tensors = list(tensors)
    if not tensors:
        raise ValueError("torch.cat(): expected a non-empty list of Tensors")
    for i, x in enumerate(tensors):
        if not isinstance(x, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got {type(x).__name__}")
    # PyTorch skips legacy empty 1-D tensors
    use = [x for x in tensors if not (x.ndim == 1 and x.shape[0] == 0)] or tensors[:1]
    ref = use[0]
    d = _wrap_dim(dim, ref.ndim)
    for i, x in enumerate(use):
        if x.ndim != ref.ndim:
            raise RuntimeError(f"Tensors must have same number of dimensions: got {ref.ndim} and {x.ndim}")
        for k in range(ref.ndim):
            if k != d and x.shape[k] != ref.shape[k]:
                raise RuntimeError(f"Sizes of tensors must match except in dimension {d}. Expected size "
                                   f"{ref.shape[k]} but got size {x.shape[k]} for tensor number {i} in the list.")
    dt = use[0]._data.dtype
    for x in use[1:]:
        if x._data.dtype != dt:
            dt = D.promote_types(D.from_numpy_dtype(dt), x.dtype).np
    r = np.concatenate([x._data for x in use], axis=d, dtype=dt) if ref.ndim else None
    if ref.ndim == 0:
        raise RuntimeError("zero-dimensional tensor (at position 0) cannot be concatenated")
    t = _out(r, CatBackward0, tuple(use))
    if t.grad_fn is not None:
        t.grad_fn.dim, t.grad_fn.sizes = d, [x.shape[d] for x in use]
    return t


concat = cat
concatenate = cat


class StackBackward0(Node):
    """y = stack(xs, d):  each dx_i = g selected at i along d"""

    def backward(self, g):
        return tuple(select(g, self.dim, i) for i in range(self.n))


def stack(tensors, dim=0, *, out=None):
    """join tensors along a new dim"""
    tensors = list(tensors)
    if not tensors:
        raise RuntimeError("stack expects a non-empty TensorList")
    shp = tensors[0].shape
    for i, x in enumerate(tensors):
        if x.shape != shp:
            raise RuntimeError(f"stack expects each tensor to be equal size, but got [{', '.join(map(str, shp))}] "
                               f"at entry 0 and [{', '.join(map(str, x.shape))}] at entry {i}")
    d = _wrap_dim(dim, len(shp) + 1)
    dt = tensors[0]._data.dtype
    for x in tensors[1:]:
        if x._data.dtype != dt:
            dt = D.promote_types(D.from_numpy_dtype(dt), x.dtype).np
    r = np.stack([x._data for x in tensors], axis=d).astype(dt, copy=False)
    t = _out(r, StackBackward0, tuple(tensors))
    if t.grad_fn is not None:
        t.grad_fn.dim, t.grad_fn.n = d, len(tensors)
    return t


def hstack(tensors):
    return cat(tensors, 0 if tensors[0].ndim == 1 else 1)


def vstack(tensors):
    return cat([x.reshape(1, -1) if x.ndim == 1 else x for x in tensors], 0)


def dstack(tensors):
    ts = []
    for x in tensors:
        if x.ndim == 1:
            x = x.reshape(1, -1, 1)
        elif x.ndim == 2:
            x = x.unsqueeze(-1)
        ts.append(x)
    return cat(ts, 2)


def column_stack(tensors):
    return cat([x.reshape(-1, 1) if x.ndim <= 1 else x for x in tensors], 1)


class SliceBackward0(Node):
    """y = x[a:b:s] along dim:  dx = g placed into zeros at those positions"""

    def backward(self, g):
        z = zeros_like_shape(g, self.shape)
        return (slice_scatter(z, g, self.dim, self.start, self.stop, self.step),)


class SelectBackward0(Node):
    """y = x[i] along dim:  dx = g placed into zeros at index i"""

    def backward(self, g):
        z = zeros_like_shape(g, self.shape)
        return (select_scatter(z, g, self.dim, self.index),)


class SliceScatterBackward0(Node):
    def backward(self, g):
        sl = [slice(None)] * g.ndim
        sl[self.dim] = slice(self.start, self.stop, self.step)
        sl = tuple(sl)
        gx = slice_scatter(g, zeros_like(g[sl]), self.dim, self.start, self.stop, self.step) \
            if self.next[0] is not None else None
        gs = g[sl] if self.next[1] is not None else None
        return (gx, gs)


class SelectScatterBackward0(Node):
    def backward(self, g):
        gx = select_scatter(g, zeros_like(select(g, self.dim, self.index)), self.dim, self.index) \
            if self.next[0] is not None else None
        gs = select(g, self.dim, self.index) if self.next[1] is not None else None
        return (gx, gs)


def slice_scatter(x, src, dim=0, start=None, end=None, step=1):
    r = x._data.copy()
    sl = [slice(None)] * x.ndim
    sl[dim] = slice(start, end, step)
    r[tuple(sl)] = src._data
    t = _out(r, SliceScatterBackward0, (x, src))
    if t.grad_fn is not None:
        t.grad_fn.dim, t.grad_fn.start, t.grad_fn.stop, t.grad_fn.step = dim, start, end, step
    return t


def select_scatter(x, src, dim, index):
    r = x._data.copy()
    sl = [slice(None)] * x.ndim
    sl[dim] = index
    r[tuple(sl)] = src._data
    t = _out(r, SelectScatterBackward0, (x, src))
    if t.grad_fn is not None:
        t.grad_fn.dim, t.grad_fn.index = dim, index
    return t


def narrow(x, dim, start, length):
    """x[start:start+length] along dim (a view)"""
    d = _wrap_dim(dim, x.ndim)
    n = x.shape[d]
    if isinstance(start, Tensor):
        start = int(start.item())
    if start < 0:
        start += n
    if start < 0 or start > n or length < 0 or start + length > n:
        raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size ({n}).")
    sl = [slice(None)] * x.ndim
    sl[d] = slice(start, start + length)
    return _view_of(x, x._data[tuple(sl)], SliceBackward0, shape=x.shape, dim=d, start=start,
                    stop=start + length, step=1)


def select(x, dim, index):
    """x[index] along dim (a view with that dim removed)"""
    d = _wrap_dim(dim, x.ndim)
    n = x.shape[d]
    i = int(index)
    if i < -n or i >= n:
        raise IndexError(f"select(): index {i} out of range for tensor of size {list(x.shape)} at dimension {d}")
    i %= n
    sl = [slice(None)] * x.ndim
    sl[d] = i
    return _view_of(x, x._data[tuple(sl)], SelectBackward0, shape=x.shape, dim=d, index=i)


class SplitBackward0(Node):
    """outputs = split(x):  dx = cat of the output gradients (zeros where an output got none)"""

    def backward(self, grads):
        parts = []
        for k, g in enumerate(grads):
            if g is None:
                shp = list(self.shape)
                shp[self.dim] = self.sizes[k]
                g = _wrap(np.zeros(shp, dtype=self.dtype))
            parts.append(g)
        return (cat(parts, self.dim),)


class SplitWithSizesBackward0(SplitBackward0):
    pass


class UnbindBackward0(Node):
    """outputs = unbind(x, d):  dx = stack of the output gradients"""

    def backward(self, grads):
        parts = []
        for g in grads:
            if g is None:
                shp = list(self.shape)
                del shp[self.dim]
                g = _wrap(np.zeros(shp, dtype=self.dtype))
            parts.append(g)
        return (stack(parts, self.dim),)


def _multi_output(x, arrays, node_cls, **attrs):
    outs = []
    if x._vc is None:
        x._vc = [0]
    node = None
    if _gm.enabled and x._rg:
        node = node_cls((_edge(x),))
        node.n_outputs = len(arrays)
        for k, v in attrs.items():
            setattr(node, k, v)
    for i, arr in enumerate(arrays):
        t = _wrap(arr)
        t._vc = x._vc
        t._base = x if x._base is None else x._base
        if node is not None:
            t.grad_fn = node
            t._output_nr = i
            t._rg = True
        outs.append(t)
    return tuple(outs)


def split(x, split_size_or_sections, dim=0):
    """split into chunks of a size (last may be smaller) or of the given sizes"""
    d = _wrap_dim(dim, x.ndim)
    n = x.shape[d]
    if isinstance(split_size_or_sections, (int, np.integer)):
        s = int(split_size_or_sections)
        if s <= 0 and n > 0:
            raise RuntimeError(f"split_size can only be 0 if dimension size is 0, but got dimension size of {n}")
        sizes = [builtins_min(s, n - i) for i in range(0, n, s)] if s > 0 else [0]
    else:
        sizes = [int(v) for v in split_size_or_sections]
        if builtins_sum(sizes) != n:
            raise RuntimeError(f"split_with_sizes expects split_sizes to sum exactly to {n} (input tensor's size at "
                               f"dimension {d}), but got split_sizes={sizes}")
    arrays = []
    start = 0
    for s in sizes:
        sl = [slice(None)] * x.ndim
        sl[d] = slice(start, start + s)
        arrays.append(x._data[tuple(sl)])
        start += s
    node_cls = SplitBackward0 if isinstance(split_size_or_sections, (int, np.integer)) else SplitWithSizesBackward0
    return _multi_output(x, arrays, node_cls, shape=x.shape, dim=d, sizes=sizes, dtype=x._data.dtype)


def chunk(x, chunks, dim=0):
    d = _wrap_dim(dim, x.ndim)
    n = x.shape[d]
    if chunks <= 0:
        raise RuntimeError("chunk expects `chunks` to be greater than 0, got: " + str(chunks))
    size = -(-n // chunks) if n else 0
    if size == 0:
        return split(x, [0] * builtins_min(chunks, 1) if n == 0 else [], d) if n == 0 else ()
    return split(x, size, d)


def tensor_split(x, indices_or_sections, dim=0):
    d = _wrap_dim(dim, x.ndim)
    n = x.shape[d]
    if isinstance(indices_or_sections, int):
        k = indices_or_sections
        base, extra = divmod(n, k)
        sizes = [base + 1 if i < extra else base for i in range(k)]
    else:
        idx = [0] + [builtins_min(builtins_max(int(i), 0), n) for i in indices_or_sections] + [n]
        sizes = [builtins_max(idx[i + 1] - idx[i], 0) for i in range(len(idx) - 1)]
    return split(x, sizes, d)


def unbind(x, dim=0):
    """the slices of x along dim, as a tuple"""
    d = _wrap_dim(dim, x.ndim)
    arrays = [np.take(x._data, i, axis=d) for i in range(x.shape[d])]
    sl = [slice(None)] * x.ndim
    arrays = []
    for i in range(x.shape[d]):
        sl[d] = i
        arrays.append(x._data[tuple(sl)])
    return _multi_output(x, arrays, UnbindBackward0, shape=x.shape, dim=d, dtype=x._data.dtype)


# -- sorting --------------------------------------------------------------------------------------------

class SortBackward0(Node):
    """values = x sorted along dim:  dx = g scattered back to the original positions"""

    def backward(self, g):
        (idx,) = self.saved_values()
        if len(self.shape) == 0:
            return (g,)
        return (zeros_like_shape(g, self.shape).scatter(self.dim, idx, g),)


class SortBackward1(SortBackward0):
    """sort(stable=True): the same rule; PyTorch names the stable overload's node apart"""


class TopkBackward0(SortBackward0):
    pass


def sort(x, dim=-1, descending=False, stable=False):
    from ..return_types import sort_result
    d = _wrap_dim(dim, x.ndim)
    xd = x._data
    if x.ndim == 0:
        idx = np.zeros((), dtype=np.int64)
        vals = xd.copy()
    else:
        if descending:
            # a stable descending order that keeps equal elements in their original order
            idx = np.flip(np.argsort(np.flip(xd, d), axis=d, kind="stable"), d)
            idx = (xd.shape[d] - 1) - idx
            # NaN sorts as the largest, first in descending order (as PyTorch)
        else:
            idx = np.argsort(xd, axis=d, kind="stable")
        vals = np.take_along_axis(xd, idx, d)
    idx_t = _wrap(idx.astype(np.int64))
    v = _out(vals, SortBackward1 if stable else SortBackward0, (x,))
    if v.grad_fn is not None:
        v.grad_fn.saved, v.grad_fn.versions = (idx_t,), (None,)
        v.grad_fn.shape, v.grad_fn.dim = x.shape, d
    return sort_result(v, idx_t)


def argsort(x, dim=-1, descending=False, stable=False):
    return sort(x, dim, descending, stable)[1]


def msort(x):
    return sort(x, 0)[0]


def topk(x, k, dim=-1, largest=True, sorted=True):
    from ..return_types import topk_result
    d = _wrap_dim(dim, x.ndim)
    n = x.shape[d] if x.ndim else 1
    if k > n or k < 0:
        raise RuntimeError("selected index k out of range")
    s = sort(x.detach(), d, descending=largest)
    sl = [slice(None)] * x.ndim
    sl[d] = slice(0, k)
    idx = s[1]._data[tuple(sl)] if x.ndim else s[1]._data
    vals = np.take_along_axis(x._data, idx, d) if x.ndim else x._data.copy()
    idx_t = _wrap(np.ascontiguousarray(idx))
    v = _out(vals, TopkBackward0, (x,))
    if v.grad_fn is not None:
        v.grad_fn.saved, v.grad_fn.versions = (idx_t,), (None,)
        v.grad_fn.shape, v.grad_fn.dim = x.shape, d
    return topk_result(v, idx_t)


def kthvalue(x, k, dim=-1, keepdim=False):
    from ..return_types import minmax_result
    d = _wrap_dim(dim, x.ndim)
    s = sort(x, d)
    v = select(s[0], d, k - 1)
    i = select(s[1], d, k - 1)
    if keepdim:
        v, i = unsqueeze(v, d), unsqueeze(i, d)
    return minmax_result(_renamed(v, "KthvalueBackward0"), i, "kthvalue")


def median(x, dim=None, keepdim=False):
    from ..return_types import minmax_result
    if dim is None:
        flat = reshape(x, (-1,))
        n = flat.shape[0]
        s = sort(flat)
        return _renamed(select(s[0], 0, (n - 1) // 2), "MedianBackward0")
    d = _wrap_dim(dim, x.ndim)
    n = x.shape[d]
    s = sort(x, d)
    v = select(s[0], d, (n - 1) // 2)
    i = select(s[1], d, (n - 1) // 2)
    if keepdim:
        v, i = unsqueeze(v, d), unsqueeze(i, d)
    return minmax_result(_renamed(v, "MedianBackward1"), i, "median")


def unique(x, sorted=True, return_inverse=False, return_counts=False, dim=None):
    res = np.unique(x._data, return_inverse=return_inverse, return_counts=return_counts, axis=dim)
    if not (return_inverse or return_counts):
        return _wrap(res)
    out = [_wrap(res[0])]
    if return_inverse:
        out.append(_wrap(res[1].reshape(x.shape).astype(np.int64)))
    if return_counts:
        out.append(_wrap(res[-1].astype(np.int64)))
    return tuple(out)


# =====================================================================================================
# In-place machinery
# =====================================================================================================

def check_inplace(x, name="an in-place operation"):
    """Refuse in-place changes PyTorch refuses, before anything is modified."""
    if _gm.enabled and x._rg and x.grad_fn is None:
        raise RuntimeError("a leaf Variable that requires grad is being used in an in-place operation.")
    if x._base is not None and _gm.enabled and x._base._rg and x._base.grad_fn is None and x._rg:
        raise RuntimeError("a view of a leaf Variable that requires grad is being used in an in-place operation.")


def apply_inplace(x, result: Tensor):
    """Make ``x`` hold ``result`` in place: copy the values, bump the version, take over its history."""
    rd = result._data
    xd = x._data
    if rd.dtype != xd.dtype and xd.dtype.kind in "iub" and rd.dtype.kind in "fc":
        raise RuntimeError(f"result type {_long_name(D.from_numpy_dtype(rd.dtype))} can't be cast to "
                           f"the desired output type {_long_name(x.dtype)}")
    if rd.shape != xd.shape:
        try:
            np.broadcast_to(rd, xd.shape)
        except ValueError:
            raise RuntimeError(f"output with shape [{', '.join(map(str, xd.shape))}] doesn't match the broadcast "
                               f"shape [{', '.join(map(str, rd.shape))}]") from None
    node = result.grad_fn if _gm.enabled else None
    if node is not None and node.saved is not None and builtins_any(s is x for s in node.saved):
        # the op's backward needs x's old value, which is about to be overwritten: keep a snapshot
        # (only its first use, PyTorch's `self`; x also passed as another operand, as in x.mul_(x), stays
        # saved at its old version, so backward raises PyTorch's modified-by-an-inplace-operation error)
        snap = _wrap(xd.copy())
        first = next(i for i, s in enumerate(node.saved) if s is x)
        node.saved = tuple(snap if i == first else s for i, s in enumerate(node.saved))
        node.versions = tuple(None if i == first else v for i, v in enumerate(node.versions))
    np.copyto(xd, rd, casting="unsafe")
    x._bump()
    if node is not None:
        if x._base is not None and _view_positions(x) is not None:
            _rebase_view(x, result)
        else:
            x.grad_fn = node
            x._output_nr = result._output_nr
            x._rg = True
            _refresh_views(x, None)
    return x


class CopyBackwards(Node):
    """x.copy_(src):  x's old values get no gradient; src gets g (summed over broadcast, in src's dtype)"""

    def backward(self, g):
        gs = None
        if self.next[1] is not None:
            gs = g if g._data.dtype == self.src_dtype else to_dtype(g, D.from_numpy_dtype(self.src_dtype))
        return (g * 0 if self.next[0] is not None else None, gs)


def copy_from(x, src):
    """The out-of-place value of ``x.copy_(src)``: src broadcast to x's shape, in x's dtype (recorded)"""
    r = np.empty_like(x._data)
    np.copyto(r, src._data, casting="unsafe")
    t = _out(r, CopyBackwards, (x, src), in_shapes=(x.shape, src.shape) if src.shape != x.shape else None)
    if t.grad_fn is not None:
        t.grad_fn.src_dtype = src._data.dtype
    return t


def _long_name(dt):
    return {"int64": "Long", "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte",
            "bool": "Bool", "float32": "Float", "float64": "Double", "float16": "Half",
            "bfloat16": "BFloat16", "complex64": "ComplexFloat", "complex128": "ComplexDouble"}.get(dt.name, dt.name)


def _view_positions(view_t):
    """Flat positions, in its (C-contiguous) base, of each element of the view ``view_t``; None if unknown.

    Every view (slice, select, transpose, view, diagonal, chains of them) is a strided window on its base's
    memory, so one integer map describes them all; in-place writes through a view use it to rebase the
    base's history."""
    b, v = view_t._base._data, view_t._data
    isz = b.itemsize
    if not b.flags.c_contiguous or v.itemsize != isz:
        return None
    off = v.__array_interface__["data"][0] - b.__array_interface__["data"][0]
    if off % isz or builtins_any(s % isz for s in v.strides):
        return None
    pos = np.full(v.shape, off // isz, dtype=np.int64)
    for k, (n, s) in enumerate(zip(v.shape, v.strides)):
        shape = [1] * v.ndim
        shape[k] = n
        pos += (np.arange(n, dtype=np.int64) * (s // isz)).reshape(shape)
    if pos.size and (pos.min() < 0 or pos.max() >= b.size):
        return None
    return pos


class CopySlices(Node):
    """base with a view's window replaced by v (in place):  d base = g with the window zeroed; d v = g's window"""

    def backward(self, g):
        flat = g.reshape(-1)
        gb = gv = None
        if self.next[0] is not None:
            gb = index_put(flat, (self.pos,), _wrap(np.zeros((), dtype=g._data.dtype))).reshape(self.base_shape)
        if self.next[1] is not None:
            gv = getitem(flat, _wrap(self.pos))
        return (gb, gv)


class AsStridedBackward0(Node):
    """y = a strided window of x:  dx = g added into zeros at the window's positions"""

    def backward(self, g):
        z = _wrap(np.zeros(int(np.prod(self.base_shape)), dtype=g._data.dtype))
        return (index_put(z, (self.pos,), g, accumulate=True).reshape(self.base_shape),)


def _rebase_view(view_t, result):
    """In-place op on a view: the base's history becomes CopySlices(old base, new window values), and the
    view becomes a window on the updated base (PyTorch's AsStridedBackward0)."""
    base = view_t._base
    pos = _view_positions(view_t)
    node = CopySlices((_edge(base), _edge(result)))
    node.pos, node.base_shape = pos, base.shape
    base.grad_fn, base._output_nr, base._rg = node, 0, True
    _as_window(view_t, base, pos)
    _refresh_views(base, view_t)


def _as_window(view_t, base, pos):
    vnode = AsStridedBackward0((_edge(base),))
    vnode.pos, vnode.base_shape = pos, base.shape
    view_t.grad_fn, view_t._output_nr, view_t._rg = vnode, 0, True


def _register_view(base, view_t):
    """Remember a recorded view of ``base`` so an in-place change of base can re-point its history.

    Only non-leaf bases: a leaf requiring grad can't change in place while recording (so parameters,
    indexed every step, keep no list)."""
    if base.grad_fn is None:
        return
    views = base.__dict__.get("_views")
    if views is None:
        views = base._views = []
    elif len(views) >= 32:
        views[:] = [r for r in views if r() is not None]  # drop dead views now and then
    views.append(weakref.ref(view_t))


def _refresh_views(base, skip):
    """After base's history changed in place, its other live views read the new base (AsStridedBackward0)."""
    views = base.__dict__.get("_views")
    if not views:
        return
    live = []
    for ref in views:
        v = ref()
        if v is None:
            continue
        live.append(ref)
        if v is not skip and v.grad_fn is not None:
            pos = _view_positions(v)
            if pos is not None:
                _as_window(v, base, pos)
    base._views = live
