"""Catalogue entries of ember.ops.pointwise (see op_catalogue.py): clamp and its bounds, where, lerp, addcmul,
addcdiv, nan_to_num, heaviside and the Python-function fills (apply_, map_, map2_)."""

from __future__ import annotations

import numpy as np
from op_catalogue import SHAPES, Layout, OpInfo, Sample, layouts, uniform

SPECIAL = np.array([np.nan, np.inf, -np.inf, 0.0, -0.0, 1.0, -1.0])
NO_DERIVATIVE = "PyTorch has no derivative (backward and forward AD raise: the backward and forward_ad checks " \
                "compare those errors)"
TIES = "not differentiable where x meets a bound: the backward and forward_ad checks compare the subgradient " \
       "PyTorch picks (its forward formula breaks ties otherwise than its backward, ember follows both)"
TIE_CHECKS = ("gradcheck", "gradgradcheck", "jvp_vjp", "forward_over_reverse", "inplace")


def _is_float(dtype):
    return np.dtype(dtype).kind == "f"


# -- clamp with number bounds --------------------------------------------------------------------------------------

def _clamp_number_samples(bounds):
    def gen(rng, dtype):
        for shape in SHAPES:
            for tag, x in layouts(uniform(rng, shape, dtype)):
                yield Sample((x,), dict(bounds), name=f"{shape}{tag}")
        if _is_float(dtype):
            yield Sample((SPECIAL.astype(dtype),), dict(bounds), name="special", forward_only=True)
            yield Sample((np.zeros((0, 3), dtype=dtype),), dict(bounds), name="empty", forward_only=True)
            yield Sample((np.array([-3, 0, 1, 4]),), dict(bounds), name="int64", forward_only=True)
            yield Sample((np.array([-3, 0, 1, 4]),), {k: int(np.floor(v)) for k, v in bounds.items()},
                         name="int64, int bounds", forward_only=True)
            yield Sample((np.array([True, False]),), {k: 0 for k in bounds}, name="bool, int bounds",
                         forward_only=True)
    return gen


def _clamp_extra_samples(rng, dtype):
    yield Sample((uniform(rng, (5,), dtype),), {"min": 0.7, "max": -0.3}, name="min > max")
    yield Sample((uniform(rng, (4,), dtype),), {"min": 1}, name="int bound")
    if _is_float(dtype):
        yield Sample((uniform(rng, (4,), dtype),), {"min": float("nan")}, name="nan bound", forward_only=True)
        yield Sample((SPECIAL.astype(dtype),), {"min": -np.inf, "max": np.inf}, name="infinite bounds",
                     forward_only=True)


def _clamp_errors(rng, dtype):
    yield Sample((uniform(rng, (3,), dtype),), {}, name="no bounds")
    yield Sample((np.array([1 + 1j, 2j]),), {"min": 0.0, "max": 1.0}, name="complex")


def _clamp_number(lib, x, *bounds, **kw):
    return lib.clamp(x, *bounds, **kw)


# -- clamp with tensor bounds --------------------------------------------------------------------------------------

def _clamp_tensor_samples(rng, dtype):
    """x, lo, hi with lo < hi mostly (the values cross the bounds); broadcast bounds; lo > hi somewhere"""
    def lohi(shape):
        lo = uniform(rng, shape, dtype, -1.0, 0.0)
        return lo, np.asarray(lo + uniform(rng, shape, dtype, 0.3, 1.5))
    for shape in ((5,), (2, 3), ()):
        lo, hi = lohi(shape)
        yield Sample((uniform(rng, shape, dtype), lo, hi), name=f"{shape}")
    lo, hi = lohi((3,))
    yield Sample((uniform(rng, (2, 3), dtype), lo, hi[None]), name="broadcast bounds")
    lo, hi = lohi((2, 3))
    yield Sample((Layout(uniform(rng, (3, 2), dtype), "T"), lo, hi), name="T")
    yield Sample((uniform(rng, (6,), dtype), uniform(rng, (6,), dtype, 0.2, 1.0), uniform(rng, (6,), dtype, -1.0, 0.0)),
                 name="min > max")
    yield Sample((uniform(rng, (4,), dtype), *lohi((4,))), grad=(1, 2), name="bounds only")
    if _is_float(dtype):
        yield Sample((SPECIAL.astype(dtype), np.full(7, -0.5, dtype=dtype), np.full(7, 0.5, dtype=dtype)),
                     name="special", forward_only=True)
        yield Sample((uniform(rng, (3,), dtype), np.array([np.nan, 0.0, -1.0], dtype=dtype),
                      np.array([1.0, np.nan, 2.0], dtype=dtype)), name="nan bounds", forward_only=True)
        yield Sample((np.array([-3, 0, 1, 4]), np.array([-1, -1, 2, 2]), np.array([3, 3, 3, 3])), name="int64",
                     forward_only=True)
        yield Sample((np.array([-3, 0, 1, 4]), np.array([-1.5, 0.5, 0.5, 2.5], dtype=dtype),
                      np.array([3.5, 3.5, 3.5, 3.5], dtype=dtype)), name="int64, float bounds", forward_only=True)


def _clamp_tensor_ties(rng, dtype):
    x = np.array([0.0, 1.0, 2.0, 1.0, 1.0, 2.0, 0.0, 1.5], dtype=dtype)
    lo = np.array([3.0, 1.0, 1.0, 1.0, 2.0, 2.0, 2.0, 2.0], dtype=dtype)
    hi = np.array([2.0, 2.0, 2.0, 1.0, 2.0, 1.0, 2.0, 1.0], dtype=dtype)
    yield Sample((x, lo, hi), name="ties and min >= max")


def _one_bound_samples(rng, dtype):
    yield Sample((uniform(rng, (5,), dtype), uniform(rng, (5,), dtype)), name="(5,)")
    yield Sample((uniform(rng, (2, 3), dtype), uniform(rng, (3,), dtype)), name="broadcast bound")
    yield Sample((uniform(rng, (3,), dtype), uniform(rng, (2, 3), dtype)), name="x broadcast")
    yield Sample((Layout(uniform(rng, (3, 2), dtype), "T"), uniform(rng, (2, 3), dtype)), name="T")
    yield Sample((uniform(rng, (), dtype), uniform(rng, (), dtype)), name="0-d")
    if _is_float(dtype):
        yield Sample((SPECIAL.astype(dtype), np.full(7, 0.5, dtype=dtype)), name="special", forward_only=True)
        yield Sample((uniform(rng, (3,), dtype), np.array([np.nan, 0.0, 1.0], dtype=dtype)), name="nan bound",
                     forward_only=True)


def _one_bound_inplace_samples(rng, dtype):
    yield Sample((uniform(rng, (5,), dtype), uniform(rng, (5,), dtype)), name="(5,)")
    yield Sample((uniform(rng, (2, 3), dtype), uniform(rng, (3,), dtype)), name="broadcast bound")


def _one_bound_ties(rng, dtype):
    x = np.array([1.0, 2.0, 3.0, 0.0], dtype=dtype)
    yield Sample((x, np.array([1.0, 3.0, 2.0, 0.0], dtype=dtype)), name="ties")


def _one_bound_errors(rng, dtype):
    yield Sample((uniform(rng, (3,), dtype), uniform(rng, (4,), dtype)), name="shapes")


def _positional(gen):
    """the samples of ``gen`` with their one keyword bound passed positionally (clamp_min(x, 0.3))"""
    def out(rng, dtype):
        for s in gen(rng, dtype):
            yield Sample((s.args[0], *s.kwargs.values()), name=s.name, forward_only=s.forward_only)
    return out


def _bound(fn, kw):
    if kw is None:
        return lambda lib, x, b: getattr(lib, fn)(x, b)
    return lambda lib, x, b: getattr(lib, fn)(x, **{kw: b})


# -- where ----------------------------------------------------------------------------------------------------------

def _where_samples(rng, dtype):
    def cond(shape):
        return np.asarray(rng.random(shape) < 0.5)
    yield Sample((cond((5,)), uniform(rng, (5,), dtype), uniform(rng, (5,), dtype)), name="(5,)")
    yield Sample((cond((2, 3)), uniform(rng, (2, 3), dtype), uniform(rng, (3,), dtype)), name="broadcast b")
    yield Sample((cond((3,)), uniform(rng, (2, 1), dtype), uniform(rng, (1, 3), dtype)), name="broadcast all")
    yield Sample((cond((2, 3)), Layout(uniform(rng, (3, 2), dtype), "T"), uniform(rng, (2, 3), dtype)), name="T")
    yield Sample((cond(()), uniform(rng, (), dtype), uniform(rng, (), dtype)), name="0-d")
    yield Sample((cond((4,)), uniform(rng, (4,), dtype), 0.0), name="number b")
    yield Sample((cond((4,)), -1.5, uniform(rng, (4,), dtype)), name="number a")
    if _is_float(dtype):
        yield Sample((cond((7,)), SPECIAL.astype(dtype), SPECIAL[::-1].astype(dtype)), name="special",
                     forward_only=True)
        yield Sample((cond((3,)), np.array([1, 2, 3]), np.array([-1, -2, -3])), name="int64", forward_only=True)
        yield Sample((cond((3,)), np.array([1, 2, 3]), 2.5), name="int64, float number", forward_only=True)
        yield Sample((cond((3,)), 1, 2.5), name="two numbers", forward_only=True)
        yield Sample((cond((0,)), np.zeros(0, dtype=dtype), np.zeros(0, dtype=dtype)), name="empty",
                     forward_only=True)


def _where_errors(rng, dtype):
    yield Sample((uniform(rng, (3,), dtype), uniform(rng, (3,), dtype), uniform(rng, (3,), dtype)),
                 name="float condition")
    yield Sample((rng.random((3,)) < 0.5, uniform(rng, (4,), dtype), uniform(rng, (3,), dtype)), name="shapes")


def _where_method_samples(rng, dtype):
    yield Sample((uniform(rng, (5,), dtype), rng.random((5,)) < 0.5, uniform(rng, (5,), dtype)), name="(5,)")
    yield Sample((uniform(rng, (2, 3), dtype), rng.random((2, 3)) < 0.5, 0.5), name="number other")


# -- lerp, addcmul, addcdiv -----------------------------------------------------------------------------------------

def _lerp_samples(rng, dtype):
    for w in (0.3, 0.8, -0.5, 1.0):
        yield Sample((uniform(rng, (5,), dtype), uniform(rng, (5,), dtype), w), name=f"w={w}")
    yield Sample((uniform(rng, (2, 3), dtype), uniform(rng, (3,), dtype), 0.25), name="broadcast end")
    yield Sample((Layout(uniform(rng, (3, 2), dtype), "T"), uniform(rng, (2, 3), dtype), 0.6), name="T")
    yield Sample((uniform(rng, (), dtype), uniform(rng, (), dtype), 0.4), name="0-d")
    yield Sample((uniform(rng, (4,), dtype), uniform(rng, (4,), dtype), uniform(rng, (4,), dtype, -1.0, 2.0)),
                 name="tensor w")
    yield Sample((uniform(rng, (2, 3), dtype), uniform(rng, (2, 3), dtype), uniform(rng, (3,), dtype, 0.0, 1.0)),
                 name="broadcast tensor w")
    yield Sample((uniform(rng, (2, 3), dtype), uniform(rng, (2, 3), dtype), Layout(uniform(rng, (3, 2), dtype), "T")),
                 name="T tensor w")
    if _is_float(dtype):
        yield Sample((SPECIAL.astype(dtype), SPECIAL[::-1].astype(dtype), 0.7), name="special", forward_only=True)
        yield Sample((SPECIAL.astype(dtype), np.ones(7, dtype=dtype), 0.5),
                     name="special, w=0.5", forward_only=True)


def _lerp_self_broadcast(rng, dtype):
    yield Sample((uniform(rng, (3,), dtype), uniform(rng, (2, 3), dtype), 0.3), name="self broadcast")
    yield Sample((uniform(rng, (3,), dtype), uniform(rng, (3,), dtype), uniform(rng, (2, 3), dtype)),
                 name="self broadcast by w")


def _lerp_errors(rng, dtype):
    yield Sample((np.array([1, 2]), np.array([3, 4]), 0.5), name="int64")
    yield Sample((uniform(rng, (3,), dtype), uniform(rng, (4,), dtype), 0.5), name="shapes")


def _addc_samples(divide):
    lo = 0.5 if divide else -2.0

    def gen(rng, dtype):
        for v in (1, 0.5, -2):
            yield Sample((uniform(rng, (5,), dtype), uniform(rng, (5,), dtype), uniform(rng, (5,), dtype, lo, 2.0)),
                         {"value": v}, name=f"value={v}")
        yield Sample((uniform(rng, (2, 3), dtype), uniform(rng, (3,), dtype), uniform(rng, (2, 1), dtype, lo, 2.0)),
                     name="broadcast")
        yield Sample((Layout(uniform(rng, (3, 2), dtype), "T"), uniform(rng, (2, 3), dtype),
                      uniform(rng, (2, 3), dtype, lo, 2.0)), name="T")
        yield Sample((uniform(rng, (), dtype), uniform(rng, (), dtype), uniform(rng, (), dtype, lo, 2.0)), name="0-d")
        if _is_float(dtype):
            yield Sample((SPECIAL.astype(dtype), SPECIAL[::-1].astype(dtype), np.array([1, 0, -1, 2, 0, 1, np.inf],
                                                                                        dtype=dtype)),
                         name="special", forward_only=True)
            if not divide:
                yield Sample((np.array([1, 2]), np.array([3, 4]), np.array([5, 6])), {"value": 2}, name="int64",
                             forward_only=True)
                yield Sample((np.array([1, 2]), np.array([3, 4]), np.array([5, 6])), {"value": 0.5},
                             name="int64, float value", forward_only=True)
    return gen


def _addc_self_broadcast(divide):
    lo = 0.5 if divide else -2.0
    return lambda rng, dtype: [Sample((uniform(rng, (3,), dtype), uniform(rng, (2, 3), dtype),
                                       uniform(rng, (3,), dtype, lo, 2.0)), name="self broadcast")]


def _addc_errors(divide):
    def gen(rng, dtype):
        if divide:
            yield Sample((np.array([1, 2]), np.array([3, 4]), np.array([5, 6])), name="int64")
        yield Sample((uniform(rng, (3,), dtype), uniform(rng, (4,), dtype), uniform(rng, (3,), dtype)), name="shapes")
    return gen


def _addc(name):
    return lambda lib, x, a, b, **kw: getattr(lib, name)(x, a, b, **kw)


# -- nan_to_num, heaviside, the Python-function fills ---------------------------------------------------------------

def _nan_to_num_samples(rng, dtype):
    for shape in SHAPES:
        for tag, x in layouts(uniform(rng, shape, dtype)):
            yield Sample((x,), name=f"{shape}{tag}")
    yield Sample((SPECIAL.astype(dtype),), name="nan and inf (the gradient is 0 there)")
    yield Sample((SPECIAL.astype(dtype),), {"nan": 1.5, "posinf": 9.0, "neginf": -9.0}, name="replacements")
    yield Sample((SPECIAL.astype(dtype),), {"nan": None, "posinf": 2.0}, name="nan=None, posinf only")
    yield Sample((np.array([1, -2, 3]),), name="int64", forward_only=True)
    yield Sample((np.array([True, False]),), name="bool", forward_only=True)
    yield Sample((np.zeros((0, 2), dtype=dtype),), name="empty", forward_only=True)


def _heaviside_samples(rng, dtype):
    yield Sample((np.array([-1.5, 0.0, 2.0, -0.0, 0.5], dtype=dtype), uniform(rng, (5,), dtype)), name="(5,)")
    yield Sample((uniform(rng, (2, 3), dtype), np.array([0.5], dtype=dtype)), name="broadcast values")
    if _is_float(dtype):
        yield Sample((SPECIAL.astype(dtype), np.full(7, 0.5, dtype=dtype)), name="special", forward_only=True)
        yield Sample((np.array([-2, 0, 3]), np.array([7, 7, 7])), name="int64", forward_only=True)


def _heaviside_errors(rng, dtype):
    yield Sample((uniform(rng, (3,), dtype), np.array([1, 2, 3])), name="mixed dtypes")
    yield Sample((uniform(rng, (3,), dtype), 0.5), name="number values")


def _fill_samples(rng, dtype):
    yield Sample((uniform(rng, (2, 3), dtype),), name="(2, 3)")
    yield Sample((np.array([1, -2, 3]),), name="int64")


def _apply(lib, x):
    return x.clone().apply_(lambda v: v * 2 + 1)


def _map(lib, x, y):
    return x.clone().map_(y, lambda a, b: a * b - 1)


def _map2(lib, x, y, z):
    return x.clone().map2_(y, z, lambda a, b, c: a + b * c)


def _fill2_samples(rng, dtype):
    yield Sample((uniform(rng, (2, 3), dtype), uniform(rng, (3,), dtype)), name="broadcast other")


def _fill3_samples(rng, dtype):
    yield Sample((uniform(rng, (2, 3), dtype), uniform(rng, (3,), dtype), uniform(rng, (2, 1), dtype)),
                 name="broadcast others")


def _mixed_samples(n):
    def gen(rng, dtype):
        yield Sample(tuple(uniform(rng, (3,), dtype, 0.5, 2.0) for _ in range(n)), name="float32 with float64",
                     forward_only=True)
    return gen


def _mixed_errors(n):
    return lambda rng, dtype: [Sample(tuple(uniform(rng, (3,), dtype, 0.5, 2.0) for _ in range(n)), name="dtypes")]


MIXED = [  # operands of different float dtypes (the samples give one dtype: the op casts its second operand)
    OpInfo("clamp(float32, float64 bounds)", lambda lib, x, lo, hi: lib.clamp(x, lo.double(), hi), _mixed_samples(3),
           covers=(), dtypes=(np.float32,)),
    OpInfo("clamp(float32, 0-d float64 bound)", lambda lib, x, lo: lib.clamp(x, lo[0].double()), _mixed_samples(2),
           covers=(), dtypes=(np.float32,)),
    OpInfo("where(float32, float64)", lambda lib, a, b: lib.where(a > 1, a, b.double()), _mixed_samples(2),
           covers=(), dtypes=(np.float32,)),
    OpInfo("addcmul(float32, float64)", lambda lib, x, a, b: lib.addcmul(x, a.double(), b), _mixed_samples(3),
           covers=(), dtypes=(np.float32,)),
    OpInfo("addcdiv(float32, float64)", lambda lib, x, a, b: lib.addcdiv(x, a, b.double()), _mixed_samples(3),
           covers=(), dtypes=(np.float32,)),
    OpInfo("lerp(float64 end)", lambda lib, a, b: lib.lerp(a, b.double(), 0.5), lambda rng, dtype: [], covers=(),
           dtypes=(np.float32,), errors=_mixed_errors(2)),
    OpInfo("lerp(float64 weight)", lambda lib, a, b, w: lib.lerp(a, b, w.double()), lambda rng, dtype: [], covers=(),
           dtypes=(np.float32,), errors=_mixed_errors(3)),
    OpInfo("heaviside(float64 values)", lambda lib, a, b: lib.heaviside(a, b.double()), lambda rng, dtype: [],
           covers=(), dtypes=(np.float32,), errors=_mixed_errors(2)),
    OpInfo("clamp(tensor min, number max)", lambda lib, x, lo: lib.clamp(x, min=lo, max=2.0), lambda rng, dtype: [],
           covers=(), errors=_mixed_errors(2)),
]

CLAMP_COVERS = ("clamp", "clip", "Tensor.clamp", "Tensor.clip", "Tensor.clamp_", "Tensor.clip_")

ENTRIES = [
    *[OpInfo(f"clamp({', '.join(f'{k}={v}' for k, v in b.items())})", _clamp_number, _clamp_number_samples(b),
             covers=CLAMP_COVERS if k == 0 else (), inplace="clamp_")
      for k, b in enumerate(({"min": -0.5, "max": 0.7}, {"min": -0.5}, {"max": 0.7}))],
    OpInfo("clamp(extra)", _clamp_number, _clamp_extra_samples, covers=(), inplace="clamp_", errors=_clamp_errors),
    OpInfo("clip(min=-0.5, max=0.7)", lambda lib, x, **kw: lib.clip(x, **kw),
           _clamp_number_samples({"min": -0.5, "max": 0.7}), covers=(), inplace="clip_"),
    OpInfo("clamp(tensors)", lambda lib, x, lo, hi: lib.clamp(x, lo, hi), _clamp_tensor_samples, covers=(),
           inplace="clamp_"),
    OpInfo("clamp(tensors, ties)", lambda lib, x, lo, hi: lib.clamp(x, lo, hi), _clamp_tensor_ties, covers=(),
           skip={c: TIES for c in TIE_CHECKS}),
    *[OpInfo(f"{fn}({kw or 'tensor'}{' tensor' if kw else ''})", _bound(fn, kw), _one_bound_samples, covers=(),
             errors=_one_bound_errors)
      for fn, kw in (("clamp", "min"), ("clamp", "max"), ("clamp_min", None), ("clamp_max", None))],
    *[OpInfo(f"{fn}({kw or 'tensor'}{' tensor' if kw else ''}, ties)", _bound(fn, kw), _one_bound_ties, covers=(),
             skip={c: TIES for c in TIE_CHECKS})
      for fn, kw in (("clamp", "min"), ("clamp", "max"), ("clamp_min", None), ("clamp_max", None))],
    *[OpInfo(f"{fn}_({kw or 'tensor'})", _bound(fn, kw), _one_bound_inplace_samples, covers=(), inplace=f"{fn}_")
      for fn, kw in (("clamp", "min"), ("clamp_min", None), ("clamp_max", None))],
    *[OpInfo(f"{fn}(number)", _bound(fn, None), _positional(_clamp_number_samples({"min": 0.3})),
             covers=(fn, f"Tensor.{fn}", f"Tensor.{fn}_"), inplace=f"{fn}_")
      for fn in ("clamp_min", "clamp_max")],
    OpInfo("where", lambda lib, c, a, b: lib.where(c, a, b), _where_samples, covers=("where",), errors=_where_errors),
    OpInfo("Tensor.where", lambda lib, x, c, other: x.where(c, other), _where_method_samples,
           covers=("Tensor.where",)),
    OpInfo("lerp", lambda lib, a, b, w: lib.lerp(a, b, w), _lerp_samples, covers=("lerp", "Tensor.lerp", "Tensor.lerp_"),
           inplace="lerp_", errors=_lerp_errors),
    OpInfo("lerp(self broadcast)", lambda lib, a, b, w: lib.lerp(a, b, w), _lerp_self_broadcast, covers=()),
    *[OpInfo(name, _addc(name), _addc_samples(name == "addcdiv"), errors=_addc_errors(name == "addcdiv"),
             covers=(name, f"Tensor.{name}", f"Tensor.{name}_"), inplace=f"{name}_")
      for name in ("addcmul", "addcdiv")],
    *[OpInfo(f"{name}(self broadcast)", _addc(name), _addc_self_broadcast(name == "addcdiv"), covers=())
      for name in ("addcmul", "addcdiv")],
    OpInfo("nan_to_num", lambda lib, x, **kw: lib.nan_to_num(x, **kw), _nan_to_num_samples,
           covers=("nan_to_num", "Tensor.nan_to_num", "Tensor.nan_to_num_"), inplace="nan_to_num_"),
    OpInfo("heaviside", lambda lib, x, v: lib.heaviside(x, v), _heaviside_samples, errors=_heaviside_errors,
           covers=("heaviside", "Tensor.heaviside", "Tensor.heaviside_"),
           skip={c: NO_DERIVATIVE for c in ("gradcheck", "gradgradcheck", "jvp_vjp", "forward_over_reverse")}),
    OpInfo("Tensor.apply_", _apply, _fill_samples, covers=("Tensor.apply_",), grad=False),
    OpInfo("Tensor.map_", _map, _fill2_samples, covers=("Tensor.map_",), grad=False),
    OpInfo("Tensor.map2_", _map2, _fill3_samples, covers=("Tensor.map2_",), grad=False),
    *MIXED,
]
