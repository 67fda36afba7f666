"""Catalogue entries of ember.ops.join (see op_catalogue.py): cat, stack and their spellings; split, chunk, unbind,
tensor_split and the h/v/dsplit family; block_diag, combinations, cartesian_prod.

The split family's samples include a single piece (``x.split(8)`` of fewer than 8 rows: a multi-output node with
one output) and pieces of size 0; every sample's pieces all get a gradient (the checks weight each output)."""

from __future__ import annotations

import numpy as np
from catalogue_shape import ST, S, T, U, _errs, _x
from op_catalogue import OpInfo, uniform


def _list_op(name):
    """``lib.<name>([xs...], **kw)``"""
    return lambda lib, *xs, **kw: getattr(lib, name)(list(xs), **kw)


def _cat_samples(rng, dtype):
    yield S(U(rng, (2, 3), dtype), U(rng, (1, 3), dtype), name="dim 0")
    yield S(U(rng, (2, 3), dtype), U(rng, (2, 1), dtype), U(rng, (2, 2), dtype), dim=1, name="three, dim 1")
    yield S(U(rng, (2, 3), dtype), U(rng, (2, 2), dtype), dim=-1, name="dim -1")
    yield S(U(rng, (3,), dtype), name="one")
    yield S(U(rng, (2, 3), dtype), np.zeros((0,), dtype=dtype), name="a legacy empty vector")
    yield S(U(rng, (2, 3), dtype), np.zeros((0, 3), dtype=dtype), name="an empty piece")
    yield S(T(rng, (2, 3), dtype), U(rng, (2, 3), dtype), name="T")
    yield S(ST(rng, 3, dtype), U(rng, (2,), dtype), name="strided")
    yield S(U(rng, (2, 3), dtype), U(rng, (2, 3), dtype), name="only the first", grad=(0,))
    if np.dtype(dtype).kind == "f":
        yield S(U(rng, (2,), dtype), uniform(rng, (2,), np.int64, -3, 3), name="float and int64", forward_only=True)
        yield S(uniform(rng, (2,), np.int64, -3, 3), uniform(rng, (3,), np.bool_), name="int64 and bool",
                forward_only=True)
        yield S(U(rng, (2,), np.float32), U(rng, (2,), np.float64), name="float32 and float64", forward_only=True)


_CAT_ERRORS = _errs(((_x((2, 3)), _x((2, 4))), {}, "sizes"), ((_x((2, 3)), _x((3,))), {}, "dims"),
                    ((_x(()), _x(())), {}, "0-d"), ((_x((2, 3)), _x((2, 3))), {"dim": 2}, "dim"),
                    ((_x((2,)), _x(())), {}, "0-d second"), ((_x((2, 3)), _x((2, 4)), _x((2, 3))), {}, "sizes, second"))


def _stack_samples(rng, dtype):
    yield S(U(rng, (2, 3), dtype), U(rng, (2, 3), dtype), name="dim 0")
    yield S(U(rng, (2, 3), dtype), U(rng, (2, 3), dtype), U(rng, (2, 3), dtype), dim=2, name="three, dim 2")
    yield S(U(rng, (2, 3), dtype), U(rng, (2, 3), dtype), dim=-1, name="dim -1")
    yield S(U(rng, (), dtype), U(rng, (), dtype), name="0-d")
    yield S(U(rng, (3,), dtype), name="one")
    yield S(T(rng, (2, 3), dtype), U(rng, (2, 3), dtype), name="T")
    yield S(U(rng, (2, 3), dtype), U(rng, (2, 3), dtype), name="only the second", grad=(1,))
    if np.dtype(dtype).kind == "f":
        yield S(np.zeros((0, 2), dtype=dtype), np.zeros((0, 2), dtype=dtype), name="empty", forward_only=True)
        yield S(U(rng, (2,), dtype), uniform(rng, (2,), np.int64, -3, 3), name="float and int64", forward_only=True)


_STACK_ERRORS = _errs(((_x((2, 3)), _x((2, 4))), {}, "sizes"), ((_x((2, 3)), _x((2, 3))), {"dim": 3}, "dim"))


def _hstack_samples(rng, dtype):
    yield S(U(rng, (2, 3), dtype), U(rng, (2, 1), dtype), name="matrices")
    yield S(U(rng, (3,), dtype), U(rng, (2,), dtype), name="vectors")
    yield S(U(rng, (), dtype), U(rng, (2,), dtype), name="0-d and vector")
    yield S(T(rng, (2, 3), dtype), U(rng, (2, 2), dtype), name="T")


def _vstack_samples(rng, dtype):
    yield S(U(rng, (2, 3), dtype), U(rng, (1, 3), dtype), name="matrices")
    yield S(U(rng, (3,), dtype), U(rng, (3,), dtype), name="vectors")
    yield S(U(rng, (), dtype), U(rng, (1,), dtype), name="0-d and vector")
    yield S(U(rng, (3,), dtype), U(rng, (2, 3), dtype), name="vector and matrix")
    yield S(T(rng, (2, 3), dtype), U(rng, (2, 3), dtype), name="T")


def _dstack_samples(rng, dtype):
    yield S(U(rng, (2, 3), dtype), U(rng, (2, 3), dtype), name="matrices")
    yield S(U(rng, (3,), dtype), U(rng, (3,), dtype), name="vectors")
    yield S(U(rng, (), dtype), U(rng, (), dtype), name="0-d")
    yield S(U(rng, (2, 3, 1), dtype), U(rng, (2, 3), dtype), name="3-d and matrix")


def _column_stack_samples(rng, dtype):
    yield S(U(rng, (3,), dtype), U(rng, (3,), dtype), name="vectors")
    yield S(U(rng, (3, 2), dtype), U(rng, (3,), dtype), name="matrix and vector")
    yield S(U(rng, (), dtype), U(rng, (1,), dtype), name="0-d")
    yield S(T(rng, (3, 2), dtype), U(rng, (3, 1), dtype), name="T")


_NEED_SAME_ROWS = _errs(((_x((2, 3)), _x((3, 3))), {}, "sizes"))


# -- split family --------------------------------------------------------------------------------------------------

def _split_samples(rng, dtype):
    yield S(U(rng, (5, 2), dtype), 2, name="by 2: a shorter last piece")
    yield S(U(rng, (2, 6), dtype), 3, 1, name="dim 1")
    yield S(U(rng, (2, 3), dtype), 8, 1, name="one piece")
    yield S(U(rng, (5, 2), dtype), [2, 3], name="sizes")
    yield S(U(rng, (2, 5), dtype), [1, 0, 4], -1, name="an empty piece")
    yield S(U(rng, (4,), dtype), [4], name="one size")
    yield S(T(rng, (4, 3), dtype), 2, name="T")
    yield S(ST(rng, 5, dtype), 2, name="strided")
    if np.dtype(dtype).kind == "f":
        yield S(np.zeros((0, 2), dtype=dtype), 0, name="empty", forward_only=True)
        yield S(uniform(rng, (5,), np.int64, -3, 3), 2, name="int64", forward_only=True)


_SPLIT_ERRORS = _errs(((_x((5, 2)), [2, 2]), {}, "sizes not summing"), ((_x((5, 2)), 0), {}, "size 0"),
                      ((_x((5, 2)), -1), {}, "negative size"), ((_x((5, 2)), [6, -1]), {}, "negative sizes"),
                      ((_x(()), 1), {}, "0-d"), ((_x((5, 2)), 2, 2), {}, "dim"))


def _unsafe_split_samples(rng, dtype):
    for sample in _split_samples(rng, dtype):
        if not isinstance(sample.args[1], list):
            yield sample


def _split_with_sizes_samples(rng, dtype):
    yield S(U(rng, (5, 2), dtype), [2, 3], name="sizes")
    yield S(U(rng, (2, 5), dtype), [1, 0, 4], 1, name="an empty piece")
    yield S(U(rng, (4,), dtype), [4], name="one piece")
    yield S(T(rng, (4, 3), dtype), [1, 3], name="T")


def _chunk_samples(rng, dtype):
    yield S(U(rng, (5, 2), dtype), 2, name="2 of 5")
    yield S(U(rng, (2, 6), dtype), 3, 1, name="dim 1")
    yield S(U(rng, (2, 6), dtype), 4, 1, name="4 of 6: three pieces")
    yield S(U(rng, (3, 2), dtype), 1, name="one")
    yield S(U(rng, (3, 2), dtype), 5, name="more chunks than rows")
    yield S(T(rng, (4, 3), dtype), 2, -1, name="T")
    if np.dtype(dtype).kind == "f":
        yield S(np.zeros((0, 2), dtype=dtype), 3, name="empty", forward_only=True)


_CHUNK_ERRORS = _errs(((_x((5, 2)), 0), {}, "0 chunks"), ((_x(()), 2), {}, "0-d"), ((_x((5, 2)), 2, 2), {}, "dim"))


def _unbind_samples(rng, dtype):
    yield S(U(rng, (3, 2), dtype), name="dim 0")
    yield S(U(rng, (3, 2), dtype), 1, name="dim 1")
    yield S(U(rng, (2, 3, 2), dtype), -2, name="dim -2")
    yield S(U(rng, (1, 3), dtype), name="one piece")
    yield S(U(rng, (3,), dtype), name="vector: 0-d pieces")
    yield S(T(rng, (3, 2), dtype), 0, name="T")
    if np.dtype(dtype).kind == "f":
        yield S(np.zeros((0, 2), dtype=dtype), name="no pieces", forward_only=True)


_UNBIND_ERRORS = _errs(((_x(()),), {}, "0-d"), ((_x((3, 2)), 2), {}, "dim"))


def _tensor_split_samples(rng, dtype):
    yield S(U(rng, (5, 2), dtype), 2, name="2 sections of 5")
    yield S(U(rng, (2, 7), dtype), 3, 1, name="3 sections, dim 1")
    yield S(U(rng, (3, 2), dtype), 5, name="more sections than rows")
    yield S(U(rng, (6, 2), dtype), [1, 4], name="indices")
    yield S(U(rng, (6, 2), dtype), [4, 1, 9], name="indices out of order and beyond")
    yield S(U(rng, (6, 2), dtype), [-2], name="negative index")
    yield S(U(rng, (6, 2), dtype), np.array(3), name="0-d tensor sections")
    yield S(U(rng, (6, 2), dtype), np.array([2, 3]), name="tensor indices")
    yield S(T(rng, (4, 3), dtype), 2, 1, name="T")


_TENSOR_SPLIT_ERRORS = _errs(((_x((5, 2)), 0), {}, "0 sections"), ((_x(()), 2), {}, "0-d"))


def _hsplit_samples(rng, dtype):
    yield S(U(rng, (2, 6), dtype), 3, name="3 of a matrix")
    yield S(U(rng, (6,), dtype), 2, name="vector")
    yield S(U(rng, (2, 6), dtype), [1, 4], name="indices")
    yield S(T(rng, (4, 2), dtype), 2, name="T")


def _vsplit_samples(rng, dtype):
    yield S(U(rng, (6, 2), dtype), 3, name="3")
    yield S(U(rng, (6, 2), dtype), [1, 4], name="indices")
    yield S(T(rng, (2, 4), dtype), 2, name="T")


def _dsplit_samples(rng, dtype):
    yield S(U(rng, (2, 1, 6), dtype), 2, name="2")
    yield S(U(rng, (2, 1, 6), dtype), [2], name="indices")


_HSPLIT_ERRORS = _errs(((_x((2, 5)), 2), {}, "not dividing"), ((_x(()), 1), {}, "0-d"),
                       ((_x((2, 4)), 0), {}, "0 sections"))
_VSPLIT_ERRORS = _errs(((_x((5, 2)), 2), {}, "not dividing"), ((_x((4,)), 2), {}, "vector"))
_DSPLIT_ERRORS = _errs(((_x((2, 2, 5)), 2), {}, "not dividing"), ((_x((4, 2)), 2), {}, "matrix"))


# -- block_diag, combinations, cartesian_prod ----------------------------------------------------------------------------

def _block_diag_samples(rng, dtype):
    yield S(U(rng, (2, 3), dtype), U(rng, (1, 2), dtype), name="two matrices")
    yield S(U(rng, (2, 2), dtype), U(rng, (3,), dtype), U(rng, (), dtype), name="matrix, vector, 0-d")
    yield S(U(rng, (2, 3), dtype), name="one")
    yield S(U(rng, (2, 0), dtype), U(rng, (1, 2), dtype), name="an empty block")
    yield S(T(rng, (2, 3), dtype), U(rng, (2, 2), dtype), name="T")
    yield S(U(rng, (2, 2), dtype), U(rng, (2, 2), dtype), name="only the second", grad=(1,))
    if np.dtype(dtype).kind == "f":
        yield S(U(rng, (2,), dtype), uniform(rng, (2, 2), np.int64, -3, 3), name="float and int64", forward_only=True)
        yield S(name="none", forward_only=True)


_BLOCK_DIAG_ERRORS = _errs(((_x((2, 2)), _x((2, 2, 2))), {}, "3-d"))


def _combinations_samples(rng, dtype):
    yield S(U(rng, (4,), dtype), name="pairs of 4")
    yield S(U(rng, (4,), dtype), 3, name="r=3")
    yield S(U(rng, (3,), dtype), 2, True, name="with replacement")
    yield S(U(rng, (3,), dtype), 1, name="r=1")
    yield S(U(rng, (1,), dtype), name="one element")
    yield S(U(rng, (2,), dtype), 3, name="r > n")
    yield S(ST(rng, 3, dtype), name="strided")
    if np.dtype(dtype).kind == "f":
        yield S(U(rng, (3,), dtype), 0, name="r=0", forward_only=True)
        yield S(uniform(rng, (3,), np.int64, -3, 3), name="int64", forward_only=True)


_COMBINATIONS_ERRORS = _errs(((_x((2, 2)),), {}, "matrix"), ((_x((3,)), -1), {}, "negative r"))


def _cartesian_prod_samples(rng, dtype):
    yield S(U(rng, (2,), dtype), U(rng, (3,), dtype), name="two")
    yield S(U(rng, (2,), dtype), U(rng, (1,), dtype), U(rng, (2,), dtype), name="three")
    yield S(U(rng, (3,), dtype), name="one")
    yield S(ST(rng, 2, dtype), U(rng, (2,), dtype), name="strided")
    yield S(U(rng, (2,), dtype), U(rng, (2,), dtype), name="only the first", grad=(0,))


_CARTESIAN_ERRORS = _errs(((_x((2, 2)), _x((2,))), {}, "matrix"))


def _e(name, gen, op, *, method=False, function=True, extra=(), errors=None, **kw):
    covers = ((name,) if function else ()) + ((f"Tensor.{name}",) if method else ()) + tuple(extra)
    return OpInfo(name, op, gen, covers=covers, errors=errors, **kw)


def _f(name):
    return lambda lib, *a, **k: getattr(lib, name)(*a, **k)


ENTRIES = [
    _e("cat", _cat_samples, _list_op("cat"), extra=("concat", "concatenate"), errors=_CAT_ERRORS),
    OpInfo("cat(tuple)", lambda lib, *xs, **kw: lib.cat(tuple(xs), **kw), _cat_samples, covers=()),
    _e("stack", _stack_samples, _list_op("stack"), errors=_STACK_ERRORS),
    _e("hstack", _hstack_samples, _list_op("hstack"), errors=_NEED_SAME_ROWS),
    _e("vstack", _vstack_samples, _list_op("vstack"), extra=("row_stack",),
       errors=_errs(((_x((2, 3)), _x((2, 4))), {}, "sizes"))),
    _e("dstack", _dstack_samples, _list_op("dstack"), errors=_NEED_SAME_ROWS),
    _e("column_stack", _column_stack_samples, _list_op("column_stack"), errors=_NEED_SAME_ROWS),
    _e("split", _split_samples, _f("split"), method=True, errors=_SPLIT_ERRORS),
    _e("split_with_sizes", _split_with_sizes_samples, _f("split_with_sizes"), method=True),
    _e("unsafe_split", _unsafe_split_samples, _f("unsafe_split"), method=True,
       errors=_errs(((_x((5, 2)), [2, 3]), {}, "sizes"))),
    _e("chunk", _chunk_samples, _f("chunk"), method=True, errors=_CHUNK_ERRORS),
    _e("unsafe_chunk", _chunk_samples, _f("unsafe_chunk"), method=True),
    _e("unbind", _unbind_samples, _f("unbind"), method=True, errors=_UNBIND_ERRORS),
    _e("tensor_split", _tensor_split_samples, _f("tensor_split"), method=True, errors=_TENSOR_SPLIT_ERRORS),
    _e("hsplit", _hsplit_samples, _f("hsplit"), method=True, errors=_HSPLIT_ERRORS),
    _e("vsplit", _vsplit_samples, _f("vsplit"), method=True, errors=_VSPLIT_ERRORS),
    _e("dsplit", _dsplit_samples, _f("dsplit"), method=True, errors=_DSPLIT_ERRORS),
    OpInfo("Tensor.split", lambda lib, x, *a: x.split(*a), _split_samples, covers=()),
    _e("block_diag", _block_diag_samples, _f("block_diag"), errors=_BLOCK_DIAG_ERRORS),
    _e("combinations", _combinations_samples, _f("combinations"), errors=_COMBINATIONS_ERRORS),
    _e("cartesian_prod", _cartesian_prod_samples, _f("cartesian_prod"), errors=_CARTESIAN_ERRORS),
]
