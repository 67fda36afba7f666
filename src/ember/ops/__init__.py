"""The tensor ops, one file per family, each op one block: its node, its function, its exposure.

    creation   tensor, zeros, arange, linspace, eye, windows          random    rand, randn, randint, normal
    convert    clone, contiguous, to, float, double, type          legacy    FloatTensor & co., x.new()
    unary      exp, log, sin, tanh, relu, abs, floor, ...             special   erfc, lgamma, digamma, zeta
    compare    eq, lt, logical_and, bitwise_and, isnan (no grad)      pointwise where, clamp, lerp, addcmul
    binary     add, mul, div, pow, remainder, maximum, atan2          complex   real, imag, angle, view_as_real
    shape      view, reshape, permute, expand, squeeze, flip, tril    index     x[k], gather, scatter, masked_fill
    reduce     sum, mean, max, var, logsumexp, norm                   scan      cumsum, cumprod, cummax, diff
    softmax    softmax, log_softmax                                   linalg    mm, matmul, solve, svd, cholesky
    join       cat, stack, split, chunk, unbind                       sort      sort, topk, median, unique
    einsum     einsum                                                 query     is_tensor, numel, finfo
    lu         lu_factor, lu, lu_unpack, lu_solve                     householder  orgqr, ldl_factor, ldl_solve
    inplace    the machinery behind every ``x.op_()``                 out       ``out=`` on torch.* functions

Families import each other in one direction only (no import cycle); inside a backward formula, an op of a
family further down is reached through a Tensor method or operator, which ``ember._bind`` has attached.
This package's namespace is every family's ``__all__``, flat: ``ops.cat``, ``ops.exp``.
"""

from __future__ import annotations

from . import (
    binary,
    compare,
    complex,
    convert,
    creation,
    einsum,
    householder,
    index,
    inplace,
    join,
    legacy,
    linalg,
    lu,
    out,
    pointwise,
    quantize,
    query,
    random,
    reduce,
    scan,
    shape,
    softmax,
    sort,
    special,
    stft,
    unary,
)

FAMILIES = (creation, legacy, convert, random, unary, compare, pointwise, binary, complex, shape, index, reduce, scan, softmax,
            linalg, lu, householder, einsum, join, sort, special, stft, query, quantize, inplace, out)

__all__ = ["FAMILIES"] + [name for family in FAMILIES for name in family.__all__]
for _family in FAMILIES:
    for _name in _family.__all__:
        globals()[_name] = getattr(_family, _name)
del _family, _name
