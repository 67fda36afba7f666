"""Catalogue entries of ember.ops.unary (see op_catalogue.py): one OpInfo per op, with the domain it is checked on."""

from __future__ import annotations

import numpy as np
from op_catalogue import OpInfo, Sample, unary_samples, uniform


def _unary(name, lo=-2.0, hi=2.0, aliases=(), inplace=True, grad=True, gradgrad=True, special=True, **kw):
    """The entry of ``lib.<name>(x)``; it covers the function, the method, the in-place method and the aliases."""
    names = (name,) + tuple(aliases)
    covers = names + tuple(f"Tensor.{n}" for n in names)
    if inplace:
        covers += tuple(f"Tensor.{n}_" for n in names)
    return OpInfo(name, lambda lib, x: getattr(lib, name)(x), unary_samples(lo, hi, special), covers=covers,
                  inplace=f"{name}_" if inplace else None, grad=grad, gradgrad=gradgrad, **kw)


def _frexp_samples(rng, dtype):
    yield from unary_samples(-8.0, 8.0, integers=False)(rng, dtype)
    # the mantissa jumps at powers of two (finite differences straddle the jump): values only
    yield Sample((np.array([1.0, 0.5, -4.0, 0.75, 1e-30, -3e20, 6.0], dtype=dtype),), name="powers of two, extremes",
                 forward_only=True)


def _frexp_errors(rng, dtype):
    yield Sample((np.array([1, 2, 4]),), name="int64")


def _spelling(name, lo=-2.0, hi=2.0, **kw):
    """another public spelling of a catalogued op (``special.expit``, ``nn.functional.tanh``): the same samples,
    called through that name"""
    def op(lib, x, **kwargs):
        f = lib
        for part in name.split("."):
            f = getattr(f, part)
        return f(x, **kwargs)
    return OpInfo(name, op, unary_samples(lo, hi), covers=(name,), **kw)


def _logit_samples(rng, dtype):
    yield from unary_samples(0.05, 0.95)(rng, dtype)
    yield Sample((uniform(rng, (5,), dtype, -0.2, 1.2),), {"eps": 0.1}, name="eps")


ENTRIES = [
    _unary("exp"), _unary("exp2"), _unary("expm1"),
    _unary("log", 0.1, 3.0), _unary("log2", 0.1, 3.0), _unary("log10", 0.1, 3.0), _unary("log1p", -0.9, 3.0),
    _unary("sqrt", 0.1, 3.0), _unary("rsqrt", 0.1, 3.0), _unary("reciprocal", 0.5, 3.0),
    _unary("sin"), _unary("cos"), _unary("tan", -1.2, 1.2),
    _unary("asin", -0.9, 0.9, aliases=("arcsin",)), _unary("acos", -0.9, 0.9, aliases=("arccos",)),
    _unary("atan", aliases=("arctan",)),
    _unary("sinh"), _unary("cosh"), _unary("tanh"),
    _unary("asinh", aliases=("arcsinh",)), _unary("acosh", 1.1, 3.0, aliases=("arccosh",)),
    _unary("atanh", -0.9, 0.9, aliases=("arctanh",)),
    _unary("sigmoid"), _unary("erf"),
    _unary("neg", aliases=("negative",), errors=lambda rng, dtype: [Sample((np.array([True, False]),), name="bool")]),
    _unary("abs", aliases=("absolute",), errors=lambda rng, dtype: [Sample((np.array([True, False]),), name="bool")]),
    _unary("relu"),
    _unary("sign"), _unary("sgn"), _unary("floor"), _unary("ceil"), _unary("trunc", aliases=("fix",)),
    _unary("frac"), _unary("round"),
    _unary("deg2rad"), _unary("rad2deg"),
    OpInfo("logit", lambda lib, x, **kw: lib.logit(x, **kw), _logit_samples,
           covers=("logit", "Tensor.logit", "Tensor.logit_"), inplace="logit_"),
    OpInfo("round(decimals)", lambda lib, x: lib.round(x, decimals=2), unary_samples(),
           covers=()),
    OpInfo("positive", lambda lib, x: lib.positive(x), unary_samples(), covers=("positive", "Tensor.positive")),
    OpInfo("frexp", lambda lib, x: lib.frexp(x), _frexp_samples, errors=_frexp_errors,
           covers=("frexp", "Tensor.frexp")),
    _spelling("special.erf"), _spelling("special.exp2"), _spelling("special.expm1"),
    _spelling("special.log1p", -0.9, 3.0), _spelling("special.expit"), _spelling("special.logit", 0.05, 0.95),
    _spelling("nn.functional.sigmoid"), _spelling("nn.functional.tanh"),
]
