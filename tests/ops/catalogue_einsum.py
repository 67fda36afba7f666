"""Catalogue entries of ember.ops.einsum (see op_catalogue.py): one entry per kind of equation, the first covering
torch.einsum; each sample is an equation (a keyword) with its operands."""

from __future__ import annotations

import numpy as np
from op_catalogue import Layout, OpInfo, Sample, uniform


def _t(a):
    """a, stored transposed (a non-contiguous operand)"""
    return Layout(np.ascontiguousarray(np.swapaxes(a, -1, -2)), "T")


def _ops(rng, dtype, *shapes):
    return tuple(uniform(rng, s, dtype, -1.0, 1.0) for s in shapes)


def _op(lib, *operands, eq):
    return lib.einsum(eq, *operands)


def _products(rng, dtype):
    for eq, shapes in (("ij,jk->ik", ((2, 3), (3, 4))), ("ij,jk", ((2, 3), (3, 2))), ("bij,bjk->bik", ((2, 2, 3),
                                                                                                      (2, 3, 2))),
                       ("i,j->ij", ((3,), (4,))), ("i,i", ((4,), (4,))), ("i,i->i", ((3,), (3,))),
                       ("ij,ij->ij", ((2, 3), (2, 3))), ("ijk,jk->i", ((2, 3, 2), (3, 2))), ("ij,kj->ik", ((2, 3),
                                                                                                        (4, 3))),
                       ("ij,j->i", ((2, 3), (3,))), ("bi,bj->bij", ((2, 3), (2, 2))),
                       ("ij,jk,kl->il", ((2, 3), (3, 2), (2, 2))), ("i,i,i->", ((3,), (3,), (3,)))):
        yield Sample(_ops(rng, dtype, *shapes), {"eq": eq}, name=eq)
    yield Sample((_t(uniform(rng, (3, 2), dtype, -1.0, 1.0)), uniform(rng, (3, 4), dtype, -1.0, 1.0)),
                 {"eq": "ij,ik->jk"}, name="T operand")
    yield Sample((np.zeros((0, 3), dtype), uniform(rng, (3, 2), dtype)), {"eq": "ij,jk->ik"}, name="empty",
                 forward_only=True)
    yield Sample((np.arange(6).reshape(2, 3), np.arange(3)), {"eq": "ij,j->i"}, name="int64", forward_only=True)


def _single(rng, dtype):
    for eq, shape in (("ii->i", (3, 3)), ("ii", (3, 3)), ("ij->ji", (2, 3)), ("ij->j", (2, 3)), ("ijk->", (2, 2, 2)),
                      ("iij->ij", (2, 2, 3)), ("ij", (2, 3)), ("ji", (2, 3))):
        yield Sample(_ops(rng, dtype, shape), {"eq": eq}, name=eq)


def _ellipsis(rng, dtype):
    for eq, shapes in (("...ij,...jk->...ik", ((2, 2, 3), (2, 3, 2))), ("...ij,...jk", ((2, 3), (3, 2))),
                       ("...i,...i->...", ((2, 3), (3,))), ("i...->...", ((3, 2, 2),)),
                       ("b...,b...->b", ((2, 3), (2, 3))), ("...ij,jk->...ik", ((2, 2, 3), (3, 2)))):
        yield Sample(_ops(rng, dtype, *shapes), {"eq": eq}, name=eq)


def _broadcast(rng, dtype):
    yield Sample(_ops(rng, dtype, (1, 3), (2, 3)), {"eq": "ij,ij->ij"}, name="size-1 subscript")
    yield Sample(_ops(rng, dtype, (2, 1, 3), (2, 3, 2)), {"eq": "bij,bjk->bik"}, name="size-1 batch row")


def _errors(rng, dtype):
    a, b = _ops(rng, dtype, (2, 3), (4, 5))
    yield Sample((a,), {"eq": "ij,jk"}, name="too few operands")
    yield Sample((a, b, b), {"eq": "ij,jk"}, name="too many operands")
    yield Sample((a, b), {"eq": "ij,jk"}, name="sizes")
    yield Sample((a, _ops(rng, dtype, (3, 5))[0]), {"eq": "ijk,jk"}, name="subscripts vs dims")
    yield Sample((a, _ops(rng, dtype, (3, 5))[0]), {"eq": "i1,jk"}, name="invalid subscript")
    yield Sample((a, _ops(rng, dtype, (3, 5))[0]), {"eq": "ij,jk->l"}, name="unknown output subscript")
    yield Sample((a, _ops(rng, dtype, (3, 5))[0]), {"eq": "ij,jk->ii"}, name="repeated output subscript")
    yield Sample((a,), {"eq": "ii->i"}, name="diagonal of different sizes")


ENTRIES = [
    OpInfo("einsum", _op, _products, covers=("einsum",), errors=_errors),
    OpInfo("einsum(one operand)", _op, _single, covers=()),
    OpInfo("einsum(ellipsis)", _op, _ellipsis, covers=()),
    OpInfo("einsum(broadcast)", _op, _broadcast, covers=()),
]
