"""Catalogue entries of ember.ops.binary (see op_catalogue.py): one OpInfo per op, with the domain it is checked on.

An op with an in-place form has two entries: ``name`` (self has the result's shape, so ``self.op_(other)`` is
defined: the in-place check runs on it) and ``name(broadcast self)`` (self broadcast to other's shape, so its
gradient is summed back to a smaller shape)."""

from __future__ import annotations

import numpy as np
from op_catalogue import Layout, OpInfo, Sample, unary_samples, uniform

SPECIAL = np.array([np.nan, np.inf, -np.inf, 0.0, -0.0, 1.5, -1.5])
SUM_TO_SCALAR = "core defect (kernels.sum_to, not this family): a gradient summed back to shape () is a NumPy " \
                "scalar, not a 0-d array, so its .numpy() is no array; the values are checked by gradcheck"
NO_DERIVATIVE = "PyTorch has no derivative (backward and forward AD raise: the backward and forward_ad checks " \
                "compare those errors)"


def pairs(lo=-2.0, hi=2.0, b_lo=None, b_hi=None, *, scalar=True, special=True, ints=True, bools=True,
          int_b_nonzero=False, self_broadcasts=False, b_tensor=True, zero_d=False):
    """Samples of ``op(a, b)``: a with the result's shape (same shapes, b broadcast, transposed, strided, b a Python
    number), or, with ``self_broadcasts``, a broadcast to b; then for the forward only: every pair of special values
    (NaN, ±inf, ±0), empty, integer and bool tensors, an integer tensor with a float one."""
    b_lo = lo if b_lo is None else b_lo
    b_hi = hi if b_hi is None else b_hi

    def gen(rng, dtype):
        if zero_d:
            for sa, sb in (((4,), ()), ((), (4,))):
                yield Sample((uniform(rng, sa, dtype, lo, hi), uniform(rng, sb, dtype, b_lo, b_hi)), name=f"{sa}{sb}")
            return
        if self_broadcasts:
            for sa, sb in (((3, 1), (1, 4)), ((3,), (2, 3))):
                yield Sample((uniform(rng, sa, dtype, lo, hi), uniform(rng, sb, dtype, b_lo, b_hi)), name=f"{sa}{sb}")
            return
        if b_tensor:
            for sa, sb in (((5,), (5,)), ((2, 3), (2, 3)), ((2, 3), (3,)), ((), ())):
                yield Sample((uniform(rng, sa, dtype, lo, hi), uniform(rng, sb, dtype, b_lo, b_hi)), name=f"{sa}{sb}")
            yield Sample((Layout(uniform(rng, (3, 2), dtype, lo, hi), "T"), uniform(rng, (2, 3), dtype, b_lo, b_hi)),
                         name="T")
            yield Sample((Layout(np.repeat(uniform(rng, (3,), dtype, lo, hi), 2), "strided"),
                          Layout(np.repeat(uniform(rng, (3,), dtype, b_lo, b_hi), 2), "strided")), name="strided")
        if scalar:
            yield Sample((uniform(rng, (4,), dtype, lo, hi), float(uniform(rng, (), np.float64, b_lo, b_hi))),
                         name="scalar")
            yield Sample((uniform(rng, (3,), dtype, lo, hi), int(np.clip(np.round(b_hi), 1, 3))), name="int scalar")
        if np.dtype(dtype).kind != "f":
            return
        if special and b_tensor:
            yield Sample((SPECIAL.astype(dtype)[:, None], SPECIAL.astype(dtype)[None, :]), name="special",
                         forward_only=True)
        if b_tensor:
            yield Sample((np.zeros((0, 3), dtype=dtype), uniform(rng, (3,), dtype, b_lo, b_hi)), name="empty",
                         forward_only=True)
        if ints:
            ilo, ihi = max(int(lo), -4), max(min(int(hi), 4), 1)
            bi = uniform(rng, (6,), np.int64, max(int(b_lo), -4), max(min(int(b_hi), 4), 1))
            if int_b_nonzero:
                bi = np.where(bi == 0, 1, bi)
            ai = uniform(rng, (6,), np.int64, ilo, ihi)
            if b_tensor:
                yield Sample((ai, bi), name="int64", forward_only=True)
                yield Sample((ai.astype(np.uint8) if ilo >= 0 else ai.astype(np.int32), bi), name="int32/uint8 int64",
                             forward_only=True)
                yield Sample((ai, uniform(rng, (6,), dtype, b_lo, b_hi)), name="int64 float", forward_only=True)
            if scalar:
                yield Sample((ai, 2.5 if b_hi > 0 else -2.5), name="int64 float scalar", forward_only=True)
                yield Sample((ai, 2), name="int64 int scalar", forward_only=True)
        if bools and b_tensor:
            yield Sample((np.array([True, False, True]), np.array([True, True, False])), name="bool",
                         forward_only=True)
    return gen


def _bcast_error(rng, dtype):
    yield Sample((uniform(rng, (2,), dtype), uniform(rng, (3,), dtype)), name="shapes")


def errors(*extra):
    """A shape mismatch, then ``extra`` bad calls (``(args, name)`` pairs of arrays/numbers)."""
    def gen(rng, dtype):
        yield from _bcast_error(rng, dtype)
        for args, name in extra:
            yield Sample(tuple(a() if callable(a) else a for a in args), name=name)
    return gen


def _entries(name, op, samples, broadcast_samples=None, zero_d_samples=None, *, inplace=None, covers=(), **kw):
    """``name``, ``name(broadcast self)`` (self broadcast to other: no in-place form) and ``name(0-d operand)``"""
    out = [OpInfo(name, op, samples, covers=covers, inplace=inplace, **kw)]
    if broadcast_samples is not None:
        out.append(OpInfo(f"{name}(broadcast self)", op, broadcast_samples, covers=(), **kw))
    if zero_d_samples is not None:
        skip = dict(kw.pop("skip", {}), backward=SUM_TO_SCALAR)
        out.append(OpInfo(f"{name}(0-d operand)", op, zero_d_samples, covers=(), skip=skip, **kw))
    return out


def _binary(name, lo=-2.0, hi=2.0, b_lo=None, b_hi=None, *, aliases=(), inplace=True, method=True, errs=(),
            scalar=True, int_b_nonzero=False, **kw):
    """``lib.<name>(a, b)``: the function, the method, the in-place method, the aliases"""
    names = (name,) + tuple(aliases)
    covers = names + (tuple(f"Tensor.{n}" for n in names) if method else ())
    if inplace:
        covers += tuple(f"Tensor.{n}_" for n in names)
    common = dict(lo=lo, hi=hi, b_lo=b_lo, b_hi=b_hi, int_b_nonzero=int_b_nonzero)
    return _entries(name, lambda lib, a, b, **k: getattr(lib, name)(a, b, **k),
                    pairs(scalar=scalar, **common), pairs(self_broadcasts=True, **common),
                    pairs(zero_d=True, **common),
                    inplace=f"{name}_" if inplace else None, covers=covers, errors=errors(*errs), **kw)


def _tensor_pair(name, lo=-2.0, hi=2.0, b_lo=None, b_hi=None, inplace=False, errs=(), **kw):
    """an op whose other operand must be a tensor (PyTorch's binding takes no number)"""
    return _binary(name, lo, hi, b_lo, b_hi, inplace=inplace, scalar=False,
                   errs=(((lambda: np.array([1.0, 2.0]), 2.0), "number other"),) + tuple(errs), **kw)


def _int_op(name, op=None, inplace=True, method=True, errs=(), b_lo=0, b_hi=6, covers=None, **kw):
    """an integer-only op (no derivative): its values on integer tensors, its errors on bools"""
    op = op or (lambda lib, a, b: getattr(lib, name)(a, b))

    def gen(rng, dtype):
        for sa, sb in (((6,), (6,)), ((2, 3), (3,)), ((), (4,))):
            yield Sample((uniform(rng, sa, np.int64, -20, 20), uniform(rng, sb, np.int64, b_lo, b_hi)), name=f"{sa}{sb}")
        yield Sample((uniform(rng, (5,), np.int32, -20, 20), uniform(rng, (5,), np.uint8, b_lo, b_hi)), name="int32 uint8")
        yield Sample((uniform(rng, (5,), np.uint8, 0, 200), uniform(rng, (5,), np.uint8, b_lo, b_hi)), name="uint8")
        yield Sample((uniform(rng, (4,), np.int64, -20, 20), 3), name="int scalar")

    def errs_gen(rng, dtype):
        yield Sample((np.array([True, False]), np.array([True, True])), name="bool")
        for args, n in errs:
            yield Sample(args, name=n)
    if covers is None:
        covers = (name,) + ((f"Tensor.{name}",) if method else ()) + ((f"Tensor.{name}_",) if inplace else ())
    return [OpInfo(name, op, gen, covers=covers, dtypes=(np.int64,), grad=False, errors=errs_gen, **kw)]


_BOOL2 = (np.array([True, False]), np.array([True, True]))
_INT0 = (np.array([1, 2]), np.array([0, 1]))


def _pow_samples(rng, dtype):
    """a^p for the exponents PyTorch's kernel treats specially, and others; negative bases with integer p"""
    for p in (2, 3, 0.5, -1, -2, -0.5, 2.5, 1, 0, 2.0):
        yield Sample((uniform(rng, (4,), dtype, 0.5, 2.0), p), name=f"p={p!r}")
    yield Sample((uniform(rng, (2, 3), dtype, -2.0, 2.0), 3), name="negative base, p=3")
    yield Sample((Layout(uniform(rng, (3, 2), dtype, 0.5, 2.0), "T"), 1.5), name="T")
    yield Sample((uniform(rng, (), dtype, 0.5, 2.0), -1.5), name="0-d")
    if np.dtype(dtype).kind == "f":
        yield Sample((SPECIAL.astype(dtype), 2), name="special p=2", forward_only=True)
        yield Sample((SPECIAL.astype(dtype), -0.5), name="special p=-0.5", forward_only=True)
        yield Sample((SPECIAL.astype(dtype), 0), name="special p=0", forward_only=True)
        yield Sample((np.array([-3, -1, 0, 2, 5]), 3), name="int64 p=3", forward_only=True)
        yield Sample((np.array([-3, -1, 0, 2, 5]), 0.5), name="int64 p=0.5", forward_only=True)
        yield Sample((np.array([True, False]), 2), name="bool p=2", forward_only=True)
        yield Sample((np.array([True, False]), True), name="bool p=True", forward_only=True)
        yield Sample((np.array([True, False]), False), name="bool p=False", forward_only=True)


def _rpow_samples(rng, dtype):
    for s in (2.0, 0.5, 3):
        yield Sample((uniform(rng, (4,), dtype, -2.0, 2.0),), {"s": s}, name=f"s={s!r}")
    yield Sample((uniform(rng, (4,), dtype, 0.5, 2.0),), {"s": 0.0}, name="s=0.0")
    yield Sample((uniform(rng, (), dtype, -2.0, 2.0),), {"s": 1.5}, name="0-d")
    if np.dtype(dtype).kind == "f":
        yield Sample((SPECIAL.astype(dtype),), {"s": 2.0}, name="special", forward_only=True)
        yield Sample((np.array([-2, 0, 3]),), {"s": 2}, name="int64", forward_only=True)
        yield Sample((np.array([-2, 0, 3]),), {"s": 2.5}, name="int64 float s", forward_only=True)
        yield Sample((np.array([True, False]),), {"s": 2}, name="bool", forward_only=True)


def _ldexp_samples(rng, dtype):
    yield Sample((uniform(rng, (5,), dtype), uniform(rng, (5,), np.int64, 0, 3)), name="int exponent")
    yield Sample((uniform(rng, (2, 3), dtype), uniform(rng, (3,), np.int64, 0, 3)), name="broadcast")
    yield Sample((uniform(rng, (4,), dtype), uniform(rng, (4,), dtype)), name="float exponent")
    yield Sample((uniform(rng, (2, 3), dtype), uniform(rng, (2, 1), dtype)), name="broadcast float exponent")
    if np.dtype(dtype).kind == "f":
        yield Sample((np.array([1, -2, 3]), np.array([2, -1, 0])), name="int64", forward_only=True)
        yield Sample((SPECIAL.astype(dtype), np.full(7, 3)), name="special", forward_only=True)


def _square_samples(rng, dtype):
    yield from unary_samples()(rng, dtype)
    if np.dtype(dtype).kind == "f":
        yield Sample((np.array([True, False]),), name="bool", forward_only=True)


def _ties(op):
    """maximum/minimum/fmax/fmin also on ties and NaN against numbers (values only: not differentiable there)"""
    def gen(rng, dtype):
        yield from op(rng, dtype)
        if np.dtype(dtype).kind == "f":
            a = np.array([1.0, -0.0, 0.0, 2.0, np.nan], dtype=dtype)
            yield Sample((a, np.array([1.0, 0.0, -0.0, np.nan, 3.0], dtype=dtype)), name="ties", forward_only=True)
    return gen


def _xlogy_samples(rng, dtype):
    yield from pairs(-2.0, 2.0, 0.5, 2.0)(rng, dtype)
    if np.dtype(dtype).kind == "f":
        yield Sample((np.array([0.0, 0.0, 0.0, 1.0, 2.0], dtype=dtype), np.array([0.0, -1.0, np.nan, 0.0, -1.0],
                                                                                   dtype=dtype)),
                     name="x=0", forward_only=True)


def _xlogy_scalar_samples(rng, dtype):
    """xlogy(number, y) and xlogy(x, number): PyTorch's XlogyBackward1 and XlogyBackward2"""
    yield Sample((2.0, uniform(rng, (4,), dtype, 0.5, 2.0)), name="number x")
    yield Sample((0.0, uniform(rng, (3,), dtype, 0.5, 2.0)), name="x=0")
    yield Sample((uniform(rng, (4,), dtype, -2.0, 2.0), 3.0), name="number y")
    yield Sample((np.array([0.0, 1.0, -2.0], dtype=dtype), -1.0), name="number y <= 0", forward_only=True)
    yield Sample((uniform(rng, (4,), dtype, -2.0, 2.0), 0.0), name="y=0", forward_only=True)


def _alpha(name, sign_name):
    def op(lib, a, b, alpha):
        return getattr(lib, name)(a, b, alpha=alpha)

    def gen(rng, dtype):
        for alpha in (2, -0.5, 1.0, 0):
            yield Sample((uniform(rng, (2, 3), dtype), uniform(rng, (3,), dtype), alpha), name=f"alpha={alpha!r}")
        yield Sample((uniform(rng, (4,), dtype), 1.5, 3), name="number other")
        if np.dtype(dtype).kind == "f":
            yield Sample((np.array([1, 2]), np.array([3, 4]), 3), name="int64", forward_only=True)
            if sign_name == "add":
                yield Sample((np.array([True, False]), np.array([True, False]), 2), name="bool, int alpha",
                             forward_only=True)
                yield Sample((np.array([True, False]), np.array([False, False]), True), name="bool, bool alpha",
                             forward_only=True)

    def errs(rng, dtype):
        yield Sample((np.array([1, 2]), np.array([3, 4]), 1.5), name="int, float alpha")
        yield Sample((uniform(rng, (2,), dtype), uniform(rng, (2,), dtype), True), name="float, bool alpha")
        yield Sample((uniform(rng, (2,), dtype), uniform(rng, (2,), dtype), 1j), name="complex alpha")
        yield Sample((uniform(rng, (2,), dtype), uniform(rng, (3,), dtype), 2), name="shapes")
    return OpInfo(f"{name}(alpha)", op, gen, covers=(), errors=errs)


def _rsub_samples(rng, dtype):
    yield Sample((uniform(rng, (4,), dtype), uniform(rng, (4,), dtype)), name="tensors")
    yield Sample((uniform(rng, (2, 3), dtype), uniform(rng, (3,), dtype)), {"alpha": 2}, name="alpha, broadcast")
    yield Sample((uniform(rng, (3,), dtype), 2.5), name="number")
    yield Sample((uniform(rng, (3,), dtype), 2), {"alpha": -1.5}, name="number, alpha")
    if np.dtype(dtype).kind == "f":
        yield Sample((np.array([1, 2]), 3), name="int64", forward_only=True)
        yield Sample((np.array([1, 2]), 3.5), name="int64 float", forward_only=True)


def _operator(sym):
    """the operator ``a <sym> b`` (and its reflected form when a is a number)"""
    ops = {"+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b, "/": lambda a, b: a / b,
           "//": lambda a, b: a // b, "%": lambda a, b: a % b, "**": lambda a, b: a ** b}
    return lambda lib, a, b: ops[sym](a, b)


def _reflected_samples(lo=-2.0, hi=2.0):
    def gen(rng, dtype):
        yield Sample((2.5, uniform(rng, (4,), dtype, lo, hi)), name="float number")
        yield Sample((3, uniform(rng, (2, 3), dtype, lo, hi)), name="int number")
        if np.dtype(dtype).kind == "f":
            yield Sample((2, np.array([1, 2, 4])), name="int64", forward_only=True)
            yield Sample((1.5, np.array([1, 2, 4])), name="int64 float number", forward_only=True)
    return gen


def _ops_errors(rng, dtype):
    yield Sample((np.array([True, False]), np.array([True, True])), name="bool - bool")
    yield Sample((np.array([True, False]), 1), name="bool - number")


def _div_modes(mode):
    def op(lib, a, b):
        return lib.div(a, b, rounding_mode=mode)
    return op


_BAD_MODE = lambda rng, dtype: [Sample((uniform(rng, (2,), dtype), uniform(rng, (2,), dtype, 1, 2)),  # noqa: E731
                                       {"rounding_mode": "round"}, name="bad mode")]


ENTRIES = [
    *_binary("add", errs=()),
    _alpha("add", "add"), _alpha("sub", "sub"),
    *_binary("sub", aliases=("subtract",), errs=(((np.array([True]), np.array([False])), "bool - bool"),
                                                 ((np.array([True]), 1), "bool - number"))),
    OpInfo("rsub", lambda lib, a, b, **k: lib.rsub(a, b, **k), _rsub_samples, covers=("rsub",),
              errors=lambda rng, dtype: [Sample((np.array([True]), np.array([True])), name="bool")]),
    *_binary("mul", aliases=("multiply",)),
    *_binary("div", -2.0, 2.0, 0.5, 2.0, aliases=("divide", "true_divide")),
    OpInfo("div(zero divisor)", lambda lib, a, b: lib.div(a, b),
              lambda rng, dtype: [Sample((np.array([1.0, -1.0, 0.0, np.nan], dtype=dtype),
                                          np.array([0.0, -0.0, 0.0, 0.0], dtype=dtype)), name="x/0",
                                         forward_only=True),
                                  Sample((np.array([1, 0, -3]), np.array([0, 0, 2])), name="int64 x/0",
                                         forward_only=True)], covers=()),
    *_entries("div(trunc)", _div_modes("trunc"), pairs(-4.0, 4.0, 0.5, 2.0, int_b_nonzero=True),
              pairs(-4.0, 4.0, 0.5, 2.0, self_broadcasts=True), pairs(-4.0, 4.0, 0.5, 2.0, zero_d=True),
              errors=lambda rng, dtype: [
                  Sample(_BOOL2, name="bool"), Sample(_INT0, name="int by 0")], exact=True),
    *_entries("div(floor)", _div_modes("floor"), pairs(-4.0, 4.0, 0.5, 2.0, int_b_nonzero=True),
              pairs(-4.0, 4.0, 0.5, 2.0, self_broadcasts=True), pairs(-4.0, 4.0, 0.5, 2.0, zero_d=True),
              errors=_BAD_MODE, exact=True),
    *_binary("floor_divide", -4.0, 4.0, 0.5, 2.0, int_b_nonzero=True, exact=True,
             errs=((_BOOL2, "bool"), (_INT0, "int by 0")),
             skip={c: NO_DERIVATIVE for c in ("gradcheck", "gradgradcheck", "jvp_vjp", "inplace")}),
    *_binary("remainder", -4.0, 4.0, 0.5, 2.0, int_b_nonzero=True, exact=True,
             errs=((_BOOL2, "bool"), (_INT0, "int by 0"))),
    *_binary("fmod", -4.0, 4.0, 0.5, 2.0, int_b_nonzero=True, exact=True,
             errs=((_BOOL2, "bool"), (_INT0, "int by 0"))),
    *_binary("pow", 0.5, 2.0, -2.0, 2.0, errs=((_BOOL2, "bool ** bool"),
                                               ((np.array([2, 3]), -1), "int ** negative int"))),
    OpInfo("pow(number exponent)", lambda lib, a, p: lib.pow(a, p), _pow_samples, covers=(), inplace="pow_"),
    OpInfo("rpow", lambda lib, a, s: s ** a, _rpow_samples, covers=(),
              errors=lambda rng, dtype: [Sample((np.array([True]),), {"s": True}, name="True ** bool")]),
    OpInfo("pow(number base)", lambda lib, s, a: lib.pow(s, a),
              lambda rng, dtype: [Sample((2.0, uniform(rng, (4,), dtype)), name="2.0"),
                                  Sample((0.5, uniform(rng, (2, 3), dtype)), name="0.5")], covers=()),
    *_tensor_pair("maximum", exact=True),
    *_tensor_pair("minimum", exact=True),
    *_tensor_pair("fmax", exact=True),
    *_tensor_pair("fmin", exact=True),
    *_tensor_pair("atan2", aliases=("arctan2",), inplace=True),
    *_tensor_pair("hypot", inplace=True, errs=(((np.array([1, 2]), np.array([3, 4])), "int64"),)),
    *_tensor_pair("logaddexp", errs=(((np.array([1, 2]), np.array([3, 4])), "int64"),)),
    *_tensor_pair("logaddexp2", errs=(((np.array([1, 2]), np.array([3, 4])), "int64"),)),
    *_tensor_pair("nextafter", inplace=True, exact=True, errs=(((np.array([1, 2]), np.array([3, 4])), "int64"),)),
    *_binary("copysign", exact=True),
    *_entries("xlogy", lambda lib, a, b: lib.xlogy(a, b), _xlogy_samples,
              pairs(-2.0, 2.0, 0.5, 2.0, self_broadcasts=True), pairs(-2.0, 2.0, 0.5, 2.0, zero_d=True),
              inplace="xlogy_", covers=("xlogy", "Tensor.xlogy", "Tensor.xlogy_")),
    OpInfo("xlogy(number)", lambda lib, a, b: lib.xlogy(a, b), _xlogy_scalar_samples, covers=()),
    OpInfo("special.xlogy", lambda lib, a, b: lib.special.xlogy(a, b), pairs(-2.0, 2.0, 0.5, 2.0, ints=False),
              covers=("special.xlogy",)),
    OpInfo("ldexp", lambda lib, a, b: lib.ldexp(a, b), _ldexp_samples,
              covers=("ldexp", "Tensor.ldexp", "Tensor.ldexp_"), inplace="ldexp_",
              errors=lambda rng, dtype: [Sample((uniform(rng, (2,), dtype), 2), name="number other")]),
    OpInfo("ldexp(negative integer exponent)", lambda lib, a, b: lib.ldexp(a, b),
           lambda rng, dtype: [Sample((uniform(rng, (4,), dtype), np.array([-2, -1, 0, 1])), name="e<0")],
           covers=(), skip={c: "PyTorch's derivative takes 2^e in e's integer dtype, 0 for e < 0 (ember mirrors it, "
                                "the backward and forward_ad checks compare it); finite differences see 2^e"
                            for c in ("gradcheck", "gradgradcheck")}),
    OpInfo("ldexp(0-d)", lambda lib, a, b: lib.ldexp(a, b),
           lambda rng, dtype: [Sample((uniform(rng, (), dtype), uniform(rng, (3,), dtype)), name="0-d")],
           covers=(), skip={"backward": SUM_TO_SCALAR}),
    OpInfo("float_power", lambda lib, a, b: lib.float_power(a, b), pairs(0.5, 2.0, -2.0, 2.0, bools=False),
              covers=("float_power", "Tensor.float_power"), dtypes=(np.float64,)),
    OpInfo("float_power(float32)", lambda lib, a, b: lib.float_power(a, b), pairs(0.5, 2.0, -2.0, 2.0, bools=False),
           covers=(), dtypes=(np.float32,), skip={"forward_ad": "convert family defect: forward AD through "
                                                  "ToCopyBackward0 (x.to(float64)) raises (reported)"}),
    OpInfo("float_power_", lambda lib, a, b: lib.float_power(a, b),
              lambda rng, dtype: [Sample((uniform(rng, (4,), np.float64, 0.5, 2.0), 1.5), name="float64")],
              dtypes=(np.float64,), inplace="float_power_", covers=("Tensor.float_power_",)),
    OpInfo("square", lambda lib, x: lib.square(x), _square_samples,
              covers=("square", "Tensor.square", "Tensor.square_"), inplace="square_"),
    *_int_op("gcd"), *_int_op("lcm"),
    *_int_op("bitwise_left_shift", b_lo=-2, b_hi=70),
    *_int_op("bitwise_right_shift", b_lo=-2, b_hi=70),
    OpInfo("operator +", _operator("+"), _reflected_samples(), covers=()),
    OpInfo("operator -", _operator("-"), _reflected_samples(), covers=(), errors=_ops_errors),
    OpInfo("operator *", _operator("*"), _reflected_samples(), covers=()),
    OpInfo("operator /", _operator("/"), _reflected_samples(0.5, 2.0), covers=()),
    OpInfo("operator //", _operator("//"), _reflected_samples(0.5, 2.0), covers=(), exact=True,
              skip={c: NO_DERIVATIVE for c in ("gradcheck", "gradgradcheck", "jvp_vjp")}),
    OpInfo("operator %", _operator("%"), _reflected_samples(0.5, 2.0), covers=(), exact=True,
              skip={c: NO_DERIVATIVE for c in ("gradcheck", "gradgradcheck", "jvp_vjp")}),
    OpInfo("operator **", _operator("**"), _reflected_samples(), covers=()),
    OpInfo("operator <<", lambda lib, a, b: a << b,
              lambda rng, dtype: [Sample((uniform(rng, (4,), np.int64, -9, 9), uniform(rng, (4,), np.int64, 0, 5)),
                                         name="tensors"), Sample((3, uniform(rng, (4,), np.int64, 0, 5)), name="number")],
              covers=(), dtypes=(np.int64,), grad=False),
    OpInfo("operator >>", lambda lib, a, b: a >> b,
              lambda rng, dtype: [Sample((uniform(rng, (4,), np.int64, -99, 99), uniform(rng, (4,), np.int64, 0, 5)),
                                         name="tensors"), Sample((99, uniform(rng, (4,), np.int64, 0, 5)),
                                                                 name="number")],
              covers=(), dtypes=(np.int64,), grad=False),
]
