"""Elementwise ops against PyTorch: values, dtypes, grad_fn names and gradients (float32 and float64)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from test_ops_harness import arr, check, check_error, gradchecks

torch = pytest.importorskip("torch")

FLOATS = [np.float32, np.float64]
SHAPE_PAIRS = [((3, 4), (3, 4)), ((3, 4), (4,)), ((2, 1, 3), (4, 1)), ((3, 4), ()), ((), (2, 3))]

# name -> fn(L, a, b); the second operand is kept away from zero where it divides
BINARY = {
    "add": lambda L, a, b: a + b,
    "add_alpha": lambda L, a, b: L.add(a, b, alpha=2.5),
    "sub": lambda L, a, b: a - b,
    "sub_alpha": lambda L, a, b: L.sub(a, b, alpha=-1.5),
    "mul": lambda L, a, b: a * b,
    "div": lambda L, a, b: a / b,
    "pow": lambda L, a, b: a.abs() ** b,
    "maximum": lambda L, a, b: L.maximum(a, b),
    "minimum": lambda L, a, b: L.minimum(a, b),
    "atan2": lambda L, a, b: L.atan2(a, b),
    "remainder": lambda L, a, b: a % b,
    "where": lambda L, a, b: L.where(a > 0, a, b),
    "lerp_scalar": lambda L, a, b: L.lerp(a, b, 0.3),
    "max_binary": lambda L, a, b: L.max(a, b),
}


def _away_from_zero(x):
    return np.asarray(np.where(np.abs(x) < 0.3, 0.5 + np.abs(x), x))


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("shapes", SHAPE_PAIRS, ids=str)
@pytest.mark.parametrize("name", list(BINARY))
def test_binary(name, shapes, dtype):
    a = arr(shapes[0], dtype, seed=1)
    b = _away_from_zero(arr(shapes[1], dtype, seed=2)).astype(dtype)
    check(BINARY[name], a, b)


@pytest.mark.parametrize("name", ["add", "mul", "div", "pow", "atan2", "maximum", "sub_alpha", "where",
                                  "lerp_scalar"])
def test_binary_gradgrad(name):
    a = arr((2, 3), seed=3)
    b = _away_from_zero(arr((3,), seed=4))
    if name == "pow":
        a = np.abs(a) + 0.5
    gradchecks(BINARY[name], a, b, second=name not in ("maximum", "where"))


SCALAR_OPS = {
    "add": lambda L, a, s: a + s, "radd": lambda L, a, s: s + a, "sub": lambda L, a, s: a - s,
    "rsub": lambda L, a, s: s - a, "mul": lambda L, a, s: a * s, "rmul": lambda L, a, s: s * a,
    "div": lambda L, a, s: a / s, "rdiv": lambda L, a, s: s / a, "pow": lambda L, a, s: a.abs() ** s,
    "rpow": lambda L, a, s: abs(s) ** a, "mod": lambda L, a, s: a % s, "floordiv": lambda L, a, s: a // s,
    "rfloordiv": lambda L, a, s: s // a,
    "neg": lambda L, a, s: -a, "abs": lambda L, a, s: abs(a),
}


@pytest.mark.parametrize("dtype", FLOATS + [np.int64])
@pytest.mark.parametrize("scalar", [2, 2.5, -1.5, True, np.float64(1.5), np.int64(3)], ids=repr)
@pytest.mark.parametrize("name", list(SCALAR_OPS))
def test_scalar_operand(name, scalar, dtype):
    a = _away_from_zero(arr((2, 3), dtype, lo=-4, hi=4, seed=5)).astype(dtype)
    if dtype == np.int64 and name in ("pow",) and scalar in (-1.5,):
        pytest.skip("int ** negative float covered elsewhere")
    if name in ("rfloordiv", "rdiv", "rsub", "radd", "rmul", "rpow") and isinstance(scalar, np.generic):
        pytest.skip("a NumPy scalar on the left makes NumPy drive the op (in torch too)")
    if name == "rpow" and dtype == np.int64 and isinstance(scalar, bool):
        pytest.skip("bool ** int tensor")
    if name in ("mod", "floordiv", "rfloordiv") and isinstance(scalar, bool):
        pytest.skip("division by a bool")
    try:
        torch_fails = False
        SCALAR_OPS[name](torch, torch.tensor(a), scalar)
    except RuntimeError:
        torch_fails = True
    if torch_fails:
        check_error(lambda L, x: SCALAR_OPS[name](L, x, scalar), a)
    else:
        check(lambda L, x: SCALAR_OPS[name](L, x, scalar), a)


INT_BINARY = {
    "add": lambda L, a, b: a + b, "mul": lambda L, a, b: a * b, "div": lambda L, a, b: a / b,
    "floordiv": lambda L, a, b: a // b, "mod": lambda L, a, b: a % b, "sub": lambda L, a, b: a - b,
    "eq": lambda L, a, b: a == b, "lt": lambda L, a, b: a < b, "maximum": lambda L, a, b: L.maximum(a, b),
    "div_trunc": lambda L, a, b: L.div(a, b, rounding_mode="trunc"),
    "div_floor": lambda L, a, b: L.div(a, b, rounding_mode="floor"),
}


@pytest.mark.parametrize("name", list(INT_BINARY))
def test_integer_binary(name):
    a = arr((3, 4), np.int64, lo=-9, hi=9, seed=6)
    b = arr((4,), np.int64, lo=1, hi=5, seed=7) * np.array([1, -1, 1, -1])
    check(INT_BINARY[name], a, b)


@pytest.mark.parametrize("name", ["div_trunc", "div_floor", "floordiv", "mod"])
@pytest.mark.parametrize("dtype", FLOATS)
def test_float_rounding_division(name, dtype):
    a = arr((3, 4), dtype, lo=-9, hi=9, seed=6)
    b = _away_from_zero(arr((4,), dtype, seed=7)).astype(dtype)
    check(INT_BINARY[name], a, b)


COMPARE = {"eq": lambda L, a, b: a == b, "ne": lambda L, a, b: a != b, "lt": lambda L, a, b: a < b,
           "le": lambda L, a, b: a <= b, "gt": lambda L, a, b: a > b, "ge": lambda L, a, b: a >= b,
           "eq_fn": lambda L, a, b: L.eq(a, b), "gt_scalar": lambda L, a, b: a > 0.5,
           "le_rscalar": lambda L, a, b: 0.5 <= a,
           "logical_and": lambda L, a, b: L.logical_and(a > 0, b > 0),
           "logical_or": lambda L, a, b: L.logical_or(a > 0, b),
           "logical_xor": lambda L, a, b: L.logical_xor(a, b > 0),
           "logical_not": lambda L, a, b: L.logical_not(a),
           "and_op": lambda L, a, b: (a > 0) & (b > 0), "or_op": lambda L, a, b: (a > 0) | (b < 0),
           "invert": lambda L, a, b: ~(a > b),
           "isnan": lambda L, a, b: L.isnan(a / b), "isinf": lambda L, a, b: L.isinf(a / b),
           "isfinite": lambda L, a, b: L.isfinite(a / b)}


@pytest.mark.parametrize("name", list(COMPARE))
def test_compare_and_logic(name):
    a = np.round(arr((3, 4), seed=8))
    b = np.round(arr((4,), seed=9))
    a[0, 0] = 0.0
    b[0] = 0.0  # 0/0 -> nan, x/0 -> inf
    check(COMPARE[name], a, b, grad=False)


UNARY = {
    "exp": (lambda L, x: L.exp(x), None), "log": (lambda L, x: L.log(x), "pos"),
    "log1p": (lambda L, x: L.log1p(x), "pos"), "expm1": (lambda L, x: L.expm1(x), None),
    "log2": (lambda L, x: L.log2(x), "pos"), "log10": (lambda L, x: L.log10(x), "pos"),
    "sqrt": (lambda L, x: L.sqrt(x), "pos"), "rsqrt": (lambda L, x: L.rsqrt(x), "pos"),
    "square": (lambda L, x: L.square(x), None), "reciprocal": (lambda L, x: L.reciprocal(x), "pos"),
    "sin": (lambda L, x: L.sin(x), None), "cos": (lambda L, x: L.cos(x), None),
    "tan": (lambda L, x: L.tan(x), "unit"), "asin": (lambda L, x: L.asin(x), "unit"),
    "acos": (lambda L, x: L.acos(x), "unit"), "atan": (lambda L, x: L.atan(x), None),
    "sinh": (lambda L, x: L.sinh(x), None), "cosh": (lambda L, x: L.cosh(x), None),
    "tanh": (lambda L, x: L.tanh(x), None), "sigmoid": (lambda L, x: L.sigmoid(x), None),
    "relu": (lambda L, x: L.relu(x), None), "erf": (lambda L, x: L.erf(x), None),
    "floor": (lambda L, x: L.floor(x), None), "ceil": (lambda L, x: L.ceil(x), None),
    "round": (lambda L, x: L.round(x), None), "round_dec": (lambda L, x: L.round(x, decimals=1), None),
    "trunc": (lambda L, x: L.trunc(x), None), "sign": (lambda L, x: L.sign(x), None),
    "abs": (lambda L, x: L.abs(x), None), "neg": (lambda L, x: -x, None),
    "clamp": (lambda L, x: L.clamp(x, -0.5, 0.7), None), "clamp_min": (lambda L, x: x.clamp(min=0.1), None),
    "clamp_max": (lambda L, x: L.clamp(x, max=0.1), None), "clip": (lambda L, x: L.clip(x, -1, 1), None),
    "pow_int": (lambda L, x: L.pow(x, 3), None), "pow_half": (lambda L, x: x ** 0.5, "pos"),
    "pow_neg": (lambda L, x: x ** -1.5, "pos"), "pow_zero": (lambda L, x: x ** 0, None),
    "pow_two": (lambda L, x: x ** 2, None),
    "rpow": (lambda L, x: 2.0 ** x, None), "sigmoid_method": (lambda L, x: x.sigmoid(), None),
    "where_scalar": (lambda L, x: L.where(x > 0, x, 0.0), None),
    "masked_fill": (lambda L, x: x.masked_fill(x < 0, 1.5), None),
    "lerp_tensor_w": (lambda L, x: L.lerp(x, x * 2, x.abs()), None),
}


def _domain(kind, shape, dtype, seed):
    if kind == "pos":
        return arr(shape, dtype, lo=0.2, hi=3.0, seed=seed)
    if kind == "unit":
        return arr(shape, dtype, lo=-0.9, hi=0.9, seed=seed)
    return arr(shape, dtype, lo=-3.0, hi=3.0, seed=seed)


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("shape", [(3, 4), (), (2, 0, 3)], ids=str)
@pytest.mark.parametrize("name", list(UNARY))
def test_unary(name, shape, dtype):
    fn, kind = UNARY[name]
    check(fn, _domain(kind, shape, dtype, seed=10))


@pytest.mark.parametrize("name", [n for n in UNARY if n not in ("floor", "ceil", "round", "round_dec", "trunc",
                                                                 "sign", "relu", "abs", "clamp", "clamp_min",
                                                                 "clamp_max", "clip", "where_scalar",
                                                                 "masked_fill")])
def test_unary_gradgrad(name):
    fn, kind = UNARY[name]
    gradchecks(fn, _domain(kind, (2, 3), np.float64, seed=11))


@pytest.mark.parametrize("name", ["exp", "sqrt", "sin", "sigmoid", "tanh", "log", "abs", "neg", "floor", "sign",
                                  "square", "relu", "erf"])
def test_unary_on_integers(name):
    fn, _ = UNARY[name]
    x = arr((5,), np.int64, lo=1, hi=6, seed=12)
    check(fn, x)


def test_clamp_tensor_bounds():
    x, lo, hi = arr((3, 4), seed=13), arr((4,), lo=-1, hi=0, seed=14), arr((3, 1), lo=0, hi=1, seed=15)
    check(lambda L, a, b, c: L.clamp(a, b, c), x, lo, hi)
    check(lambda L, a, b: L.clamp(a, min=b), x, lo)
    check(lambda L, a, b: L.clamp(a, max=b), x, hi)


def test_pow_tensor_exponent_edge_cases():
    base = np.array([0.0, 0.0, 2.0, 3.0, 0.5])
    exp = np.array([0.0, 2.0, 0.0, -1.0, 1.5])
    check(lambda L, a, b: a ** b, base, exp)
    check(lambda L, b: 0.0 ** b, exp)


def test_maximum_ties_split_gradient():
    a = np.array([1.0, 2.0, 3.0])
    b = np.array([1.0, 5.0, 3.0])
    check(lambda L, x, y: L.maximum(x, y), a, b)
    check(lambda L, x, y: L.minimum(x, y), a, b)


def test_math_constants_and_special_values():
    x = np.array([0.0, -0.0, 1.0, -1.0, math.inf, -math.inf, math.nan], dtype=np.float32)
    for name in ("exp", "sigmoid", "tanh", "abs", "sign", "relu", "floor", "erf"):
        check(UNARY[name][0], x, grad=False)


@pytest.mark.parametrize("shapes", [((3,), (4,)), ((2, 3), (3, 2)), ((2, 3, 4), (3, 1, 5))], ids=str)
def test_broadcast_error(shapes):
    check_error(lambda L, a, b: a + b, arr(shapes[0]), arr(shapes[1]))
    check_error(lambda L, a, b: a * b, arr(shapes[0]), arr(shapes[1]))


def test_bool_and_integer_errors():
    check_error(lambda L, a: -a, np.array([True, False]))
    check_error(lambda L, a: a % 0, np.array([1, 2]))
    check_error(lambda L, a: a // 0, np.array([1, 2]))
    check_error(lambda L, a: a ** -1, np.array([1, 2]))


@pytest.mark.parametrize("other", ["a", None, [1.0, 2.0], (2, 2), {1: 2}], ids=repr)
def test_unsupported_operand_types(other):
    check_error(lambda L, a: a + other, arr((2,)))
    check_error(lambda L, a: other * a, arr((2,)))
    check_error(lambda L, a: a ** other, arr((2,)))


@pytest.mark.parametrize("dtype", FLOATS)
def test_addcmul_addcdiv(dtype):
    x, t1 = arr((3, 4), dtype, seed=16), arr((4,), dtype, seed=17)
    t2 = _away_from_zero(arr((3, 1), dtype, seed=18)).astype(dtype)
    check(lambda L, a, b, c: L.addcmul(a, b, c, value=0.5), x, t1, t2)
    check(lambda L, a, b, c: a.addcdiv(b, c), x, t1, t2)
    gradchecks(lambda L, a, b, c: L.addcdiv(a, b, c, value=-2), x, t1, t2)
    gradchecks(lambda L, a, b, c: L.addcmul(a, b, c), x, t1, t2)


def _random_broadcast_pair(rng):
    """Two shapes that broadcast: random rank <= 3, each dim either shared, 1 on one side, or missing."""
    nd = int(rng.integers(0, 4))
    full = [int(rng.integers(1, 5)) for _ in range(nd)]
    a, b = list(full), list(full)
    for i in range(nd):
        r = rng.random()
        if r < 0.25:
            a[i] = 1
        elif r < 0.5:
            b[i] = 1
    drop = int(rng.integers(0, nd + 1))
    return tuple(a), tuple(b[drop:])


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("name", ["add", "mul", "div", "maximum", "atan2", "where", "sub_alpha", "pow"])
def test_binary_random_shapes(name, seed):
    rng = np.random.default_rng(100 + seed)
    sa, sb = _random_broadcast_pair(rng)
    dtype = FLOATS[seed % 2]
    a = arr(sa, dtype, seed=seed)
    b = _away_from_zero(arr(sb, dtype, seed=seed + 50)).astype(dtype)
    if rng.random() < 0.5:
        a, b = _away_from_zero(b).astype(dtype), a
        b = _away_from_zero(b).astype(dtype)
    check(BINARY[name], a, b)


COMPOSITE_METHODS = {
    "where_method": lambda L, a, b: a.where(a > 0, b), "sgn": lambda L, a, b: a.sgn(), "fix": lambda L, a, b: a.fix(),
    "cross": lambda L, a, b: a[:3].cross(b[:3], dim=0), "diff": lambda L, a, b: a.diff(dim=1),
    "rot90": lambda L, a, b: a.rot90(1, (0, 1)), "logaddexp": lambda L, a, b: a.logaddexp(b),
    "xlogy": lambda L, a, b: a.xlogy(b.abs()), "hypot": lambda L, a, b: a.hypot(b),
    "nansum": lambda L, a, b: (a / (a * 0 + (a > 0))).nansum(1),
    "nanmean": lambda L, a, b: (a.log()).nanmean(), "logit": lambda L, a, b: a.sigmoid().logit(),
    "logit_eps": lambda L, a, b: a.abs().logit(eps=0.1), "deg2rad": lambda L, a, b: a.deg2rad(),
    "rad2deg": lambda L, a, b: a.rad2deg(), "fmax": lambda L, a, b: a.log().fmax(b),
    "fmin": lambda L, a, b: a.fmin(b.log()), "copysign": lambda L, a, b: a.copysign(b.detach()),
    "float_power": lambda L, a, b: a.abs().float_power(b), "signbit": lambda L, a, b: (a * 0).signbit(),
    "isposinf": lambda L, a, b: (a / 0).isposinf(), "isneginf": lambda L, a, b: (a / 0).isneginf(),
    "squeeze_": lambda L, a, b: (a * 1).unsqueeze_(0).squeeze_(), "t_": lambda L, a, b: (a * 1).t_(),
    "transpose_": lambda L, a, b: (a * 1).transpose_(0, 1),
}


@pytest.mark.parametrize("name", list(COMPOSITE_METHODS))
def test_composite_methods(name):
    a = arr((3, 4), np.float64, seed=90)
    b = _away_from_zero(arr((3, 4), np.float64, seed=91))
    check(COMPOSITE_METHODS[name], a, b, grad=name != "sgn")  # torch's sgn backward yields a ZeroTensor
