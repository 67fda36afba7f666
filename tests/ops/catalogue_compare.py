"""Catalogue entries of ember.ops.compare (see op_catalogue.py): comparisons, logical and bitwise ops, value tests.

None of them has a derivative (their outputs are bool or integer, or a Python bool), so each entry checks the
forward (values and dtype against PyTorch, over float, integer, bool and mixed inputs, broadcasting, 0-d, empty and
special values) and the bad calls. The in-place forms (``a.eq_(b)``: the result in a's dtype) run on a copy."""

from __future__ import annotations

import numpy as np
from op_catalogue import FLOAT, Layout, OpInfo, Sample, uniform

I64 = np.int64
SPECIAL = np.array([np.nan, np.inf, -np.inf, 0.0, -0.0, 1.5, -1.5])


def _pairs(lo=-2.0, hi=2.0, *, numbers=True, floats=True, ties=True):
    """(a, b) samples: same shapes, broadcasting, 0-d, transposed, strided, a number as b, ties, special values,
    empty, integer, bool and mixed inputs (``floats=False``: integer and bool inputs only)"""
    def gen(rng, dtype):
        kinds = (dtype,) if floats else (I64,)
        for dt in kinds:
            for sa, sb in (((5,), (5,)), ((2, 3), (3,)), ((3, 1), (1, 4)), ((), (4,)), ((4,), ())):
                yield Sample((uniform(rng, sa, dt, lo, hi), uniform(rng, sb, dt, lo, hi)), name=f"{sa}{sb}")
            yield Sample((Layout(uniform(rng, (3, 2), dt, lo, hi), "T"), uniform(rng, (2, 3), dt, lo, hi)), name="T")
            yield Sample((Layout(np.repeat(uniform(rng, (3,), dt, lo, hi), 2), "strided"), uniform(rng, (3,), dt, lo,
                                                                                                    hi)),
                         name="strided")
            a = uniform(rng, (6,), dt, lo, hi)
            if ties:
                yield Sample((a, np.where(rng.random(6) < 0.5, a, uniform(rng, (6,), dt, lo, hi))), name="ties")
            yield Sample((np.zeros((0, 3), dt), uniform(rng, (3,), dt, lo, hi)), name="empty")
        if floats:
            yield Sample((SPECIAL.astype(dtype)[:, None], SPECIAL.astype(dtype)[None, :]), name="special")
        if numbers:
            yield Sample((uniform(rng, (4,), dtype if floats else I64, lo, hi), 1.0), name="float number")
            yield Sample((uniform(rng, (4,), dtype if floats else I64, lo, hi), 1), name="int number")
            yield Sample((uniform(rng, (4,), I64, -3, 3), 0.5), name="int64, float number")
        ai = uniform(rng, (6,), I64, -3, 3)
        yield Sample((ai, uniform(rng, (6,), I64, -3, 3)), name="int64")
        yield Sample((ai.astype(np.int32), uniform(rng, (6,), np.uint8, 0, 3)), name="int32 uint8")
        yield Sample((uniform(rng, (6,), np.uint8, 0, 200), uniform(rng, (6,), np.uint8, 0, 200)), name="uint8")
        yield Sample((np.array([True, False, True, False]), np.array([True, True, False, False])), name="bool")
        yield Sample((np.array([True, False, True]), uniform(rng, (3,), I64, -1, 1)), name="bool int64")
        if floats:
            yield Sample((ai, uniform(rng, (6,), dtype, -3, 3)), name="int64 float")
            yield Sample((np.array(2.5, dtype), uniform(rng, (3,), I64, 1, 3)), name="0-d float, int64")
    return gen


def _shape_error(rng, dtype):
    yield Sample((uniform(rng, (2,), dtype), uniform(rng, (3,), dtype)), name="shapes")


def _inplace_errors(rng, dtype):
    yield from _shape_error(rng, dtype)
    yield Sample((uniform(rng, (3,), dtype), uniform(rng, (2, 3), dtype)), name="broadcasts self")


def _copy_then(method):
    """``a.clone().<method>(b)``: the in-place form, on a copy (its inputs are leaves)"""
    return lambda lib, a, b: getattr(a.clone(), method)(b)


def _on_self(method):
    """``a.<method>(b)`` on the input itself: for the bad calls, which must leave it unchanged"""
    return lambda lib, a, b: getattr(a, method)(b)


def _binary(name, aliases=(), inplace=True, method=True, operator=None, floats=True, errors=_shape_error, lo=-2.0,
            hi=2.0, numbers=True):
    """entries of ``lib.<name>(a, b)``, its method, aliases, in-place form (on a copy) and operator"""
    names = (name,) + tuple(aliases)
    covers = names + (tuple(f"Tensor.{n}" for n in names) if method else ())
    kw = dict(grad=False, dtypes=FLOAT if floats else (np.float64,))  # integer-only samples: one run is enough
    out = [OpInfo(name, lambda lib, a, b: getattr(lib, name)(a, b), _pairs(lo, hi, numbers=numbers, floats=floats),
                  covers=covers, errors=errors, **kw)]
    for alias in aliases:
        out.append(OpInfo(f"{name}({alias})", lambda lib, a, b, alias=alias: getattr(a, alias)(b),
                          _pairs(lo, hi, numbers=numbers, floats=floats), **kw))
    if inplace:
        for n in names:
            out.append(OpInfo(f"{n}_", _copy_then(f"{n}_"), _pairs(lo, hi, numbers=numbers, floats=floats),
                              covers=(f"Tensor.{n}_",), **kw))
        out.append(OpInfo(f"{name}_(bad in-place call)", _on_self(f"{name}_"), lambda rng, dtype: [], grad=False,
                          errors=_inplace_errors if errors is _shape_error else errors))
    if operator is not None:
        out.append(OpInfo(f"{name}({operator})", lambda lib, a, b: getattr(a, operator)(b),
                          _pairs(lo, hi, numbers=numbers, floats=floats), **kw))
    return out


def _unary_samples(lo=-2.0, hi=2.0):
    def gen(rng, dtype):
        for shape in ((), (5,), (2, 3)):
            yield Sample((uniform(rng, shape, dtype, lo, hi),), name=f"{shape}")
        yield Sample((Layout(uniform(rng, (3, 2), dtype), "T"),), name="T")
        yield Sample((SPECIAL.astype(dtype),), name="special")
        yield Sample((np.zeros((0, 3), dtype),), name="empty")
        yield Sample((uniform(rng, (5,), I64, -3, 3),), name="int64")
        yield Sample((uniform(rng, (5,), np.uint8, 0, 255),), name="uint8")
        yield Sample((np.array([True, False, True]),), name="bool")
    return gen


def _unary(name, inplace=False, errors=None):
    out = [OpInfo(name, lambda lib, x: getattr(lib, name)(x), _unary_samples(),
                  covers=(name, f"Tensor.{name}"), grad=False, errors=errors)]
    if inplace:
        out.append(OpInfo(f"{name}_", lambda lib, x: getattr(x.clone(), f"{name}_")(), _unary_samples(),
                          covers=(f"Tensor.{name}_",), grad=False))
    return out


def _float_error(rng, dtype):
    yield Sample((uniform(rng, (3,), dtype),), name="float")


def _float_pair_error(rng, dtype):
    yield Sample((uniform(rng, (3,), dtype), uniform(rng, (3,), dtype)), name="float")
    yield Sample((uniform(rng, (3,), I64, -3, 3), uniform(rng, (3,), dtype)), name="int64 float")
    yield Sample((uniform(rng, (2,), I64, -3, 3), uniform(rng, (3,), I64, -3, 3)), name="shapes")


def _close_samples(rng, dtype):
    a = uniform(rng, (6,), dtype)
    b = a + np.array([0, 1e-9, 1e-6, 1e-4, 1e-2, 1], dtype) * a
    yield Sample((a, b), name="near")
    yield Sample((a, b), {"rtol": 1e-3, "atol": 1e-5}, name="tolerances")
    yield Sample((SPECIAL.astype(dtype)[:, None], SPECIAL.astype(dtype)[None, :]), name="special")
    yield Sample((SPECIAL.astype(dtype), SPECIAL.astype(dtype)), {"equal_nan": True}, name="equal_nan")
    yield Sample((uniform(rng, (2, 3), dtype), uniform(rng, (3,), dtype)), name="broadcast")
    yield Sample((uniform(rng, (), dtype), uniform(rng, (), dtype)), name="0-d")
    yield Sample((uniform(rng, (4,), I64, -3, 3), uniform(rng, (4,), I64, -3, 3)), name="int64")
    yield Sample((np.array([True, False]), np.array([True, True])), name="bool")


def _close_errors(rng, dtype):
    yield Sample((uniform(rng, (2,), dtype), uniform(rng, (3,), dtype)), name="shapes")
    yield Sample((uniform(rng, (3,), dtype), uniform(rng, (3,), I64, -3, 3)), name="dtypes")
    yield Sample((uniform(rng, (3,), dtype), uniform(rng, (3,), dtype)), {"rtol": -1.0}, name="negative rtol")
    yield Sample((uniform(rng, (3,), dtype), uniform(rng, (3,), dtype)), {"atol": -1.0}, name="negative atol")


def _equal_samples(rng, dtype):
    a = uniform(rng, (2, 3), dtype)
    yield Sample((a, a.copy()), name="equal")
    b = a.copy()
    b[1, 2] += 1
    yield Sample((a, b), name="one differs")
    yield Sample((a, a[:1]), name="shapes differ")
    yield Sample((Layout(np.ascontiguousarray(a.T), "T"), a), name="T")
    yield Sample((SPECIAL.astype(dtype), SPECIAL.astype(dtype)), name="nan")
    yield Sample((np.zeros(0, dtype), np.zeros(0, dtype)), name="empty")
    yield Sample((np.array([0.0, -0.0], dtype), np.array([-0.0, 0.0], dtype)), name="signed zeros")
    yield Sample((uniform(rng, (3,), I64, -3, 3), uniform(rng, (3,), dtype)), name="int64 float")
    yield Sample((np.array([1, 2], I64), np.array([1.0, 2.0], dtype)), name="int64 float, equal values")


def _isin_samples(rng, dtype):
    yield Sample((uniform(rng, (2, 3), I64, -3, 3), uniform(rng, (4,), I64, -3, 3)), name="int64")
    yield Sample((uniform(rng, (5,), I64, -3, 3), uniform(rng, (2, 2), I64, -3, 3)), {"invert": True}, name="invert")
    yield Sample((np.array([1.0, 2.5, np.nan, 0.0], dtype), np.array([2.5, np.nan, -0.0], dtype)), name="float")
    yield Sample((uniform(rng, (4,), I64, -3, 3), 1), name="number")
    yield Sample((2, uniform(rng, (4,), I64, 1, 3)), name="number element")
    yield Sample((uniform(rng, (4,), I64, -3, 3), uniform(rng, (3,), I64, -3, 3)), {"assume_unique": True},
                 name="assume_unique")
    yield Sample((uniform(rng, (4,), I64, -3, 3), np.zeros(0, I64)), name="empty test")
    yield Sample((uniform(rng, (3,), I64, -3, 3), uniform(rng, (3,), dtype, -3, 3)), name="int64 float")


ENTRIES = [
    *_binary("eq", operator="__eq__"),
    *_binary("ne", aliases=("not_equal",), operator="__ne__"),
    *_binary("lt", aliases=("less",), operator="__lt__"),
    *_binary("le", aliases=("less_equal",), operator="__le__"),
    *_binary("gt", aliases=("greater",), operator="__gt__"),
    *_binary("ge", aliases=("greater_equal",), operator="__ge__"),
    *_binary("logical_and"), *_binary("logical_or"), *_binary("logical_xor"),
    *_binary("bitwise_and", floats=False, operator="__and__", errors=_float_pair_error, numbers=False),
    *_binary("bitwise_or", floats=False, operator="__or__", errors=_float_pair_error, numbers=False),
    *_binary("bitwise_xor", floats=False, operator="__xor__", errors=_float_pair_error, numbers=False),
    OpInfo("bitwise_and(number)", lambda lib, a, b: lib.bitwise_and(a, b),
           lambda rng, dtype: [Sample((uniform(rng, (4,), I64, -9, 9), 6), name="int"),
                               Sample((np.array([True, False]), True), name="bool")], grad=False),
    OpInfo("bitwise_or(reflected)", lambda lib, a, b: a.__ror__(b),
           lambda rng, dtype: [Sample((uniform(rng, (4,), I64, -9, 9), 6), name="int")], grad=False),
    OpInfo("bitwise_xor(reflected)", lambda lib, a, b: a.__rxor__(b),
           lambda rng, dtype: [Sample((uniform(rng, (4,), I64, -9, 9), 6), name="int")], grad=False),
    OpInfo("bitwise_and(reflected)", lambda lib, a, b: a.__rand__(b),
           lambda rng, dtype: [Sample((uniform(rng, (4,), I64, -9, 9), 6), name="int")], grad=False),
    *_unary("logical_not", inplace=True),
    *_unary("bitwise_not", inplace=True, errors=_float_error),
    OpInfo("bitwise_not(~)", lambda lib, x: ~x, lambda rng, dtype: [
        Sample((uniform(rng, (5,), I64, -3, 3),), name="int64"), Sample((np.array([True, False]),), name="bool"),
        Sample((uniform(rng, (5,), np.uint8, 0, 255),), name="uint8")], grad=False, errors=_float_error),
    *_unary("isnan"), *_unary("isinf"), *_unary("isfinite"), *_unary("signbit"),
    *_unary("isposinf"), *_unary("isneginf"),
    OpInfo("isclose", lambda lib, a, b, **k: lib.isclose(a, b, **k), _close_samples,
           covers=("isclose", "Tensor.isclose"), grad=False, errors=_close_errors),
    OpInfo("allclose", lambda lib, a, b, **k: lib.allclose(a, b, **k), _close_samples,
           covers=("allclose", "Tensor.allclose"), grad=False, errors=_close_errors),
    OpInfo("equal", lambda lib, a, b: lib.equal(a, b), _equal_samples, covers=("equal", "Tensor.equal"), grad=False),
    OpInfo("isin", lambda lib, a, b, **k: lib.isin(a, b, **k), _isin_samples, covers=("isin",), grad=False),
]
