"""Catalogue entries of ember.ops.shape (see op_catalogue.py): views, reshapes, flips, diagonals, their copies.

Samples cover 0-d, empty, transposed and strided inputs and negative dims; integer and bool inputs go through the
forward only. A view's gradient, tangent and second derivative are checked like any op's; that views share memory
with their base is checked in test_shape.py."""

from __future__ import annotations

import numpy as np
from op_catalogue import Layout, OpInfo, Sample, uniform

NO_DERIVATIVE = "PyTorch has no derivative (backward and forward AD raise: the backward and forward_ad checks " \
                "compare those errors)"
NOT_DIFFERENTIABLE = "its output does not require grad, as in PyTorch (the backward check compares requires_grad)"


def S(*args, name="", grad=None, forward_only=False, **kwargs):
    return Sample(tuple(args), kwargs, name=name, grad=grad, forward_only=forward_only)


def T(rng, shape, dtype):
    """a (m, n) input seen through a transpose (not contiguous)"""
    return Layout(uniform(rng, shape[::-1], dtype), "T")


def ST(rng, n, dtype):
    """an (n,) input seen through a stride-2 slice"""
    return Layout(uniform(rng, (2 * n,), dtype), "strided")


def U(rng, shape, dtype, lo=-2.0, hi=2.0):
    return uniform(rng, shape, dtype, lo, hi)


def _forward_extras(rng, dtype, shape, *args, **kwargs):
    """an int64 and a bool input (values only)"""
    if np.dtype(dtype).kind != "f":
        return
    yield S(uniform(rng, shape, np.int64, -5, 5), *args, name="int64", forward_only=True, **kwargs)
    yield S(uniform(rng, shape, np.bool_), *args, name="bool", forward_only=True, **kwargs)


def _method(name):
    return lambda lib, x, *a, **k: getattr(x, name)(*a, **k)


def _function(name):
    return lambda lib, *a, **k: getattr(lib, name)(*a, **k)


def _shape_function(name):
    """``lib.<name>(x, shape)`` with the shape given as the sample's trailing ints (or one tuple)"""
    return lambda lib, x, *s: getattr(lib, name)(x, s[0] if len(s) == 1 and isinstance(s[0], tuple) else s)


def _entry(name, gen, *, method=True, function=True, inplace=None, extra_covers=(), errors=None, op=None, **kw):
    covers = ((name,) if function else ()) + ((f"Tensor.{name}",) if method else ()) + tuple(extra_covers)
    if inplace:
        covers += (f"Tensor.{inplace}",)
    if op is None:
        op = _function(name) if function else _method(name)
    return OpInfo(name, op, gen, covers=covers, inplace=inplace, errors=errors, **kw)


def _errs(*samples):
    """bad calls: (args, kwargs, name) triples; args may be thunks of (rng, dtype)"""
    def gen(rng, dtype):
        for args, kwargs, name in samples:
            yield Sample(tuple(a(rng, dtype) if callable(a) else a for a in args), kwargs, name=name)
    return gen


def _x(shape):
    return lambda rng, dtype: U(rng, shape, dtype)


# -- view, reshape, flatten, unflatten, ravel --------------------------------------------------------------------

def _view_samples(rng, dtype):
    yield S(U(rng, (2, 3), dtype), 3, 2, name="(2,3)->(3,2)")
    yield S(U(rng, (2, 3), dtype), (-1,), name="-1")
    yield S(U(rng, (2, 3, 4), dtype), 6, -1, name="(2,3,4)->(6,-1)")
    yield S(U(rng, (), dtype), 1, name="0-d->(1,)")
    yield S(U(rng, (1,), dtype), (), name="(1,)->0-d")
    yield S(T(rng, (4, 3), dtype), 4, 1, 3, name="T, dims kept")
    yield S(np.zeros((0, 3), dtype=dtype), 3, 0, name="empty", forward_only=True)
    yield from _forward_extras(rng, dtype, (2, 3), 6)


def _reshape_samples(rng, dtype):
    yield from _view_samples(rng, dtype)
    yield S(T(rng, (2, 3), dtype), (6,), name="T: a copy")
    yield S(ST(rng, 6, dtype), 2, 3, name="strided")


_VIEW_ERRORS = _errs(((_x((2, 3)), 5), {}, "size"), ((_x((2, 3)), -1, -1), {}, "two -1"),
                     ((_x((2, 3)), 0, -1), {}, "0 and -1"), ((_x((2, 3)), -2, 3), {}, "negative size"))


def _view_errors(rng, dtype):
    yield from _VIEW_ERRORS(rng, dtype)
    yield S(T(rng, (2, 3), dtype), 6, name="not viewable")


def _view_as_samples(rng, dtype):
    yield S(U(rng, (2, 3), dtype), U(rng, (6,), dtype), name="(2,3) as (6,)", grad=(0,))
    yield S(U(rng, (), dtype), U(rng, (1, 1), dtype), name="0-d as (1,1)", grad=(0,))


def _flatten_samples(rng, dtype):
    yield S(U(rng, (2, 3, 4), dtype), name="all")
    yield S(U(rng, (2, 3, 4), dtype), 1, name="from 1")
    yield S(U(rng, (2, 3, 4), dtype), 0, -2, name="0..-2")
    yield S(U(rng, (2, 3, 4), dtype), 1, 1, name="one dim: itself")
    yield S(U(rng, (), dtype), name="0-d")
    yield S(T(rng, (2, 3), dtype), name="T")
    yield S(np.zeros((2, 0, 3), dtype=dtype), name="empty", forward_only=True)
    yield from _forward_extras(rng, dtype, (2, 3))


def _unflatten_samples(rng, dtype):
    yield S(U(rng, (2, 6), dtype), 1, (2, 3), name="dim 1")
    yield S(U(rng, (6, 2), dtype), 0, (3, -1), name="-1")
    yield S(U(rng, (2, 6), dtype), -1, (6,), name="one size")
    yield S(U(rng, (2, 6), dtype), 1, (1, 6, 1), name="ones")
    yield S(T(rng, (6, 2), dtype), 0, (2, 3), name="T")
    yield S(np.zeros((0, 4), dtype=dtype), 1, (2, 2), name="empty", forward_only=True)


_UNFLATTEN_ERRORS = _errs(((_x((2, 6)), 1, (4, 2)), {}, "sizes"), ((_x((2, 6)), 1, ()), {}, "no sizes"),
                          ((_x((2, 6)), 2, (2, 3)), {}, "dim"),
                          ((_x((2, 6)), 1, (5, -1)), {}, "-1 not dividing"))


def _ravel_samples(rng, dtype):
    yield S(U(rng, (2, 3), dtype), name="(2,3)")
    yield S(U(rng, (), dtype), name="0-d")
    yield S(T(rng, (2, 3), dtype), name="T")
    yield S(ST(rng, 4, dtype), name="strided")
    yield from _forward_extras(rng, dtype, (2, 3))


# -- squeeze, unsqueeze ------------------------------------------------------------------------------------------

def _squeeze_samples(rng, dtype):
    yield S(U(rng, (1, 3, 1), dtype), name="all")
    yield S(U(rng, (1, 3, 1), dtype), 0, name="dim 0")
    yield S(U(rng, (1, 3, 1), dtype), -1, name="dim -1")
    yield S(U(rng, (1, 3, 1), dtype), 1, name="dim of size 3: no change")
    yield S(U(rng, (1, 3, 1), dtype), (0, 2), name="dims")
    yield S(U(rng, (1, 3, 1), dtype), (), name="no dims")
    yield S(U(rng, (), dtype), name="0-d")
    yield S(U(rng, (), dtype), 0, name="0-d dim 0")
    yield S(Layout(uniform(rng, (3, 1), dtype), "T"), 0, name="T")
    yield S(np.zeros((1, 0), dtype=dtype), 0, name="empty", forward_only=True)
    yield from _forward_extras(rng, dtype, (1, 3))


_SQUEEZE_ERRORS = _errs(((_x((1, 3)), 2), {}, "dim"), ((_x((1, 3)), (0, 0)), {}, "repeated dim"),
                        ((_x(()), 1), {}, "0-d dim 1"))


def _unsqueeze_samples(rng, dtype):
    for d in (0, 1, 2, -1, -3):
        yield S(U(rng, (2, 3), dtype), d, name=f"dim {d}")
    yield S(U(rng, (), dtype), 0, name="0-d")
    yield S(U(rng, (), dtype), -1, name="0-d dim -1")
    yield S(T(rng, (2, 3), dtype), 1, name="T")
    yield S(ST(rng, 3, dtype), 1, name="strided")
    yield S(np.zeros((0,), dtype=dtype), 0, name="empty", forward_only=True)
    yield from _forward_extras(rng, dtype, (2,), 0)


_UNSQUEEZE_ERRORS = _errs(((_x((2, 3)), 3), {}, "dim"), ((_x((2, 3)), -4), {}, "negative dim"))


# -- transpose, t, permute, movedim, adjoint, properties ------------------------------------------------------------

def _transpose_samples(rng, dtype):
    yield S(U(rng, (2, 3), dtype), 0, 1, name="(2,3)")
    yield S(U(rng, (2, 3, 4), dtype), 0, 2, name="0,2")
    yield S(U(rng, (2, 3, 4), dtype), -1, 1, name="-1,1")
    yield S(U(rng, (2, 3), dtype), 1, 1, name="same dim")
    yield S(U(rng, (), dtype), 0, -1, name="0-d")
    yield S(T(rng, (2, 3), dtype), 0, 1, name="T")
    yield S(np.zeros((0, 2), dtype=dtype), 0, 1, name="empty", forward_only=True)
    yield from _forward_extras(rng, dtype, (2, 3), 0, 1)


_TRANSPOSE_ERRORS = _errs(((_x((2, 3)), 0, 2), {}, "dim"), ((_x(()), 0, 1), {}, "0-d dim 1"))


def _t_samples(rng, dtype):
    yield S(U(rng, (2, 3), dtype), name="(2,3)")
    yield S(U(rng, (3,), dtype), name="vector")
    yield S(U(rng, (), dtype), name="0-d")
    yield S(T(rng, (2, 3), dtype), name="T")
    yield S(np.zeros((0, 2), dtype=dtype), name="empty", forward_only=True)
    yield from _forward_extras(rng, dtype, (2, 3))


def _permute_samples(rng, dtype):
    yield S(U(rng, (2, 3, 4), dtype), (2, 0, 1), name="(2,0,1)")
    yield S(U(rng, (2, 3, 4), dtype), (-1, 0, -2), name="negative dims")
    yield S(U(rng, (2, 3), dtype), (0, 1), name="identity")
    yield S(U(rng, (), dtype), (), name="0-d")
    yield S(T(rng, (2, 3), dtype), (1, 0), name="T")
    yield S(np.zeros((0, 2), dtype=dtype), (1, 0), name="empty", forward_only=True)
    yield from _forward_extras(rng, dtype, (2, 3), (1, 0))


_PERMUTE_ERRORS = _errs(((_x((2, 3)), (0,)), {}, "too few"), ((_x((2, 3)), (0, 0)), {}, "repeated"),
                        ((_x((2, 3)), (0, 2)), {}, "out of range"))


def _movedim_samples(rng, dtype):
    yield S(U(rng, (2, 3, 4), dtype), 0, 2, name="0->2")
    yield S(U(rng, (2, 3, 4), dtype), -1, 0, name="-1->0")
    yield S(U(rng, (2, 3, 4), dtype), (0, 1), (2, 0), name="two dims")
    yield S(U(rng, (2, 3), dtype), 1, 1, name="in place")
    yield S(U(rng, (), dtype), 0, 0, name="0-d")
    yield S(T(rng, (2, 3), dtype), 0, 1, name="T")
    yield from _forward_extras(rng, dtype, (2, 3), 0, 1)


_MOVEDIM_ERRORS = _errs(((_x((2, 3, 4)), (0, 1), (2,)), {}, "lengths"),
                        ((_x((2, 3, 4)), (0, 0), (1, 2)), {}, "repeated source"),
                        ((_x((2, 3, 4)), (0, 1), (2, 2)), {}, "repeated destination"),
                        ((_x((2, 3, 4)), 3, 0), {}, "dim"))


def _matrix_samples(rng, dtype):
    yield S(U(rng, (2, 3), dtype), name="(2,3)")
    yield S(U(rng, (2, 3, 4), dtype), name="batch")
    yield S(T(rng, (2, 3), dtype), name="T")
    yield S(np.zeros((0, 2), dtype=dtype), name="empty", forward_only=True)
    yield from _forward_extras(rng, dtype, (2, 3))


_MATRIX_ERRORS = _errs(((_x((3,)),), {}, "vector"))


def _reversed_samples(rng, dtype):
    yield S(U(rng, (2, 3), dtype), name="(2,3)")
    yield S(T(rng, (2, 3), dtype), name="T")
    yield S(np.zeros((0, 2), dtype=dtype), name="empty", forward_only=True)
    yield from _forward_extras(rng, dtype, (2, 3))


_H_ERRORS = _errs(((_x((3,)),), {}, "vector"), ((_x((2, 3, 4)),), {}, "batch"))


# -- expand, broadcast_to, broadcast_tensors, atleast_nd ------------------------------------------------------------

def _expand_samples(rng, dtype):
    yield S(U(rng, (3, 1), dtype), 3, 4, name="(3,1)->(3,4)")
    yield S(U(rng, (3,), dtype), 2, 3, name="new leading dim")
    yield S(U(rng, (3, 1), dtype), (2, -1, 4), name="-1")
    yield S(U(rng, (), dtype), 2, 2, name="0-d")
    yield S(U(rng, (2, 3), dtype), 2, 3, name="same shape")
    yield S(U(rng, (1,), dtype), (0,), name="to empty")
    yield S(Layout(uniform(rng, (1, 3), dtype), "T"), 3, 2, name="T")
    yield from _forward_extras(rng, dtype, (3, 1), 3, 2)


_EXPAND_ERRORS = _errs(((_x((2, 3)), 4, 3), {}, "non-singleton"), ((_x((2, 3)), (3,)), {}, "too few sizes"),
                       ((_x((3,)), -1, 3), {}, "leading -1"))


def _expand_as_samples(rng, dtype):
    yield S(U(rng, (3, 1), dtype), U(rng, (2, 3, 4), dtype), name="(3,1) as (2,3,4)", grad=(0,))
    yield S(U(rng, (), dtype), U(rng, (2,), dtype), name="0-d", grad=(0,))


def _broadcast_tensors_samples(rng, dtype):
    yield S(U(rng, (3, 1), dtype), U(rng, (4,), dtype), name="(3,1) (4,)")
    yield S(U(rng, (2, 3), dtype), U(rng, (2, 3), dtype), name="same shapes")
    yield S(U(rng, (), dtype), U(rng, (2,), dtype), U(rng, (3, 1), dtype), name="three")
    yield S(U(rng, (2,), dtype), name="one")
    yield S(T(rng, (2, 3), dtype), U(rng, (3,), dtype), name="T")


_BROADCAST_ERRORS = _errs(((_x((2,)), _x((3,))), {}, "shapes"))


def _atleast_samples(rng, dtype):
    for shape in ((), (3,), (2, 3), (2, 3, 4)):
        yield S(U(rng, shape, dtype), name=f"{shape}")
    yield S(U(rng, (), dtype), U(rng, (2,), dtype), U(rng, (2, 2), dtype), name="several")
    yield S(T(rng, (2, 3), dtype), name="T")
    yield S(np.zeros((0,), dtype=dtype), name="empty", forward_only=True)


def _atleast_list(name):
    return lambda lib, *xs: getattr(lib, name)(list(xs))


# -- repeat, tile, repeat_interleave -------------------------------------------------------------------------------

def _repeat_samples(rng, dtype):
    yield S(U(rng, (2, 3), dtype), 2, 1, name="(2,1)")
    yield S(U(rng, (2, 3), dtype), 2, 1, 3, name="more dims")
    yield S(U(rng, (3,), dtype), (2, 2), name="tuple")
    yield S(U(rng, (), dtype), 3, name="0-d")
    yield S(U(rng, (2,), dtype), 0, name="zero times")
    yield S(T(rng, (2, 3), dtype), 1, 2, name="T")
    yield from _forward_extras(rng, dtype, (2,), 2)


_REPEAT_ERRORS = _errs(((_x((2, 3)), 2), {}, "too few"), ((_x((2,)), -1), {}, "negative"))


def _tile_samples(rng, dtype):
    yield S(U(rng, (2, 3), dtype), (2,), name="fewer reps")
    yield S(U(rng, (2, 3), dtype), (2, 1, 2), name="more reps")
    yield S(U(rng, (), dtype), (3,), name="0-d")
    yield S(T(rng, (2, 3), dtype), (2, 2), name="T")
    yield from _forward_extras(rng, dtype, (2,), (2,))


def _repeat_interleave_samples(rng, dtype):
    yield S(U(rng, (2, 3), dtype), 2, name="flat")
    yield S(U(rng, (2, 3), dtype), 2, dim=1, name="dim 1")
    yield S(U(rng, (2, 3), dtype), np.array([1, 0, 2]), dim=1, name="tensor repeats")
    yield S(U(rng, (2, 3), dtype), np.array(2), dim=0, name="0-d tensor repeats")
    yield S(U(rng, (), dtype), 3, name="0-d")
    yield S(T(rng, (2, 3), dtype), 2, dim=-1, name="T")
    yield S(U(rng, (2, 3), dtype), np.array([1, 2]), dim=0, output_size=3, name="output_size")
    yield from _forward_extras(rng, dtype, (3,), 2)


_REPEAT_INTERLEAVE_ERRORS = _errs(((_x((2, 3)), np.array([1, 2])), {"dim": 1}, "length"),
                                  ((_x((2, 3)), -1), {}, "negative"),
                                  ((_x((2, 3)), np.array([1, -1])), {"dim": 0}, "negative tensor"),
                                  ((_x((2, 3)), _x((2,))), {"dim": 0}, "float repeats"))


def _repeat_interleave_repeats_samples(rng, dtype):
    yield S(np.array([1, 0, 3]), name="repeats")
    yield S(np.array([2]), name="one")


# -- flip, roll, rot90 ---------------------------------------------------------------------------------------------

def _flip_samples(rng, dtype):
    yield S(U(rng, (2, 3), dtype), 0, name="dim 0")
    yield S(U(rng, (2, 3, 4), dtype), (0, 2), name="two dims")
    yield S(U(rng, (2, 3), dtype), (-1,), name="-1")
    yield S(U(rng, (2, 3), dtype), (), name="no dims")
    yield S(U(rng, (), dtype), (0,), name="0-d")
    yield S(T(rng, (2, 3), dtype), (0, 1), name="T")
    yield S(ST(rng, 4, dtype), 0, name="strided")
    yield S(np.zeros((0, 2), dtype=dtype), 1, name="empty", forward_only=True)
    yield from _forward_extras(rng, dtype, (3,), 0)


_FLIP_ERRORS = _errs(((_x((2, 3)), (0, 0)), {}, "repeated"), ((_x((2, 3)), 2), {}, "dim"))


def _lr_samples(rng, dtype):
    yield S(U(rng, (2, 3), dtype), name="(2,3)")
    yield S(U(rng, (2, 3, 4), dtype), name="3-d")
    yield S(T(rng, (2, 3), dtype), name="T")
    yield from _forward_extras(rng, dtype, (2, 3))


def _ud_samples(rng, dtype):
    yield from _lr_samples(rng, dtype)
    yield S(U(rng, (3,), dtype), name="vector")


def _roll_samples(rng, dtype):
    yield S(U(rng, (2, 3), dtype), 1, name="flat")
    yield S(U(rng, (2, 3), dtype), -2, 1, name="dim 1")
    yield S(U(rng, (2, 3, 4), dtype), (1, -1), (0, 2), name="two dims")
    yield S(U(rng, (2, 3), dtype), 7, 1, name="more than the size")
    yield S(U(rng, (2, 3), dtype), (2,), name="tuple shift, flat")
    yield S(U(rng, (), dtype), 1, name="0-d")
    yield S(T(rng, (2, 3), dtype), 1, 0, name="T")
    yield S(np.zeros((0, 2), dtype=dtype), 1, 1, name="empty", forward_only=True)
    yield from _forward_extras(rng, dtype, (3,), 1)


_ROLL_ERRORS = _errs(((_x(()), 1, 0), {}, "0-d dim"), ((_x((2, 3)), (1, 2), 0), {}, "lengths"),
                     ((_x((2, 3)), (1, 2)), {}, "tuple shifts, no dims"), ((_x((2, 3)), 1, 2), {}, "dim"))


def _rot90_samples(rng, dtype):
    for k in (1, 2, 3, 0, -1, 5):
        yield S(U(rng, (2, 3), dtype), k, name=f"k={k}")
    yield S(U(rng, (2, 3, 4), dtype), 1, (2, 0), name="dims (2,0)")
    yield S(U(rng, (2, 3, 4), dtype), 1, (-1, -2), name="negative dims")
    yield S(T(rng, (2, 3), dtype), 1, name="T")
    yield from _forward_extras(rng, dtype, (2, 3))


_ROT90_ERRORS = _errs(((_x((2, 3)), 1, (0,)), {}, "one dim"), ((_x((3,)), 1), {}, "vector"),
                      ((_x((2, 3)), 1, (0, 0)), {}, "same dims"), ((_x((2, 3)), 1, (0, -2)), {}, "same dims wrapped"))


# -- tril, triu ----------------------------------------------------------------------------------------------------

def _tri_samples(rng, dtype):
    yield S(U(rng, (3, 4), dtype), name="(3,4)")
    yield S(U(rng, (3, 4), dtype), 1, name="k=1")
    yield S(U(rng, (3, 4), dtype), -2, name="k=-2")
    yield S(U(rng, (2, 3, 3), dtype), name="batch")
    yield S(U(rng, (3, 3), dtype), 5, name="k beyond")
    yield S(T(rng, (3, 4), dtype), name="T")
    yield S(np.zeros((0, 3), dtype=dtype), name="empty", forward_only=True)
    yield from _forward_extras(rng, dtype, (3, 3))


_TRI_ERRORS = _errs(((_x((3,)),), {}, "vector"))


# -- diagonal, diag, diag_embed, diagflat, diagonal_scatter -------------------------------------------------------------

def _diagonal_samples(rng, dtype):
    yield S(U(rng, (3, 4), dtype), name="(3,4)")
    yield S(U(rng, (3, 4), dtype), 1, name="offset 1")
    yield S(U(rng, (3, 4), dtype), -2, name="offset -2")
    yield S(U(rng, (3, 4), dtype), 5, name="offset beyond")
    yield S(U(rng, (2, 3, 4), dtype), 0, 2, 0, name="dims (2,0)")
    yield S(U(rng, (2, 3, 4), dtype), 1, -1, -2, name="negative dims")
    yield S(T(rng, (3, 4), dtype), name="T")
    yield S(np.zeros((0, 3), dtype=dtype), name="empty", forward_only=True)
    yield from _forward_extras(rng, dtype, (3, 3))


_DIAGONAL_ERRORS = _errs(((_x((3, 4)), 0, 1, 1), {}, "same dims"), ((_x((3,)),), {}, "vector"),
                         ((_x((3, 4)), 0, 0, 2), {}, "dim"))


def _diag_samples(rng, dtype):
    yield S(U(rng, (3,), dtype), name="vector")
    yield S(U(rng, (3,), dtype), 1, name="vector, offset 1")
    yield S(U(rng, (3,), dtype), -2, name="vector, offset -2")
    yield S(U(rng, (3, 4), dtype), name="matrix")
    yield S(U(rng, (3, 4), dtype), -1, name="matrix, offset -1")
    yield S(T(rng, (3, 4), dtype), 1, name="T")
    yield S(ST(rng, 3, dtype), name="strided")
    yield S(np.zeros((0,), dtype=dtype), name="empty", forward_only=True)
    yield from _forward_extras(rng, dtype, (3,))


_DIAG_ERRORS = _errs(((_x((2, 3, 4)),), {}, "3-d"), ((_x(()),), {}, "0-d"))


def _diag_embed_samples(rng, dtype):
    yield S(U(rng, (3,), dtype), name="vector")
    yield S(U(rng, (2, 3), dtype), name="batch")
    yield S(U(rng, (2, 3), dtype), 1, name="offset 1")
    yield S(U(rng, (2, 3), dtype), -1, 0, 2, name="dims (0,2)")
    yield S(U(rng, (2, 3), dtype), 0, -1, 0, name="dims (-1,0)")
    yield S(T(rng, (2, 3), dtype), name="T")
    yield S(np.zeros((0,), dtype=dtype), name="empty", forward_only=True)
    yield from _forward_extras(rng, dtype, (3,))


_DIAG_EMBED_ERRORS = _errs(((_x((2, 3)), 0, 1, 1), {}, "same dims"), ((_x((2, 3)), 0, 0, 3), {}, "dim"))


def _diagflat_samples(rng, dtype):
    yield S(U(rng, (3,), dtype), name="vector")
    yield S(U(rng, (2, 2), dtype), 1, name="matrix, offset 1")
    yield S(U(rng, (), dtype), name="0-d")
    yield S(T(rng, (2, 3), dtype), -1, name="T")
    yield from _forward_extras(rng, dtype, (3,))


def _diagonal_scatter_samples(rng, dtype):
    yield S(U(rng, (3, 4), dtype), U(rng, (3,), dtype), name="(3,4)")
    yield S(U(rng, (3, 4), dtype), U(rng, (3,), dtype), 1, name="offset 1")
    yield S(U(rng, (3, 4), dtype), U(rng, (2,), dtype), -1, name="offset -1")
    yield S(U(rng, (2, 3, 4), dtype), U(rng, (3, 2), dtype), 0, 0, 2, name="dims (0,2)")
    yield S(T(rng, (3, 4), dtype), U(rng, (3,), dtype), name="T")
    yield S(U(rng, (3, 4), dtype), U(rng, (3,), dtype), name="only x", grad=(0,))
    yield S(U(rng, (3, 4), dtype), U(rng, (3,), dtype), name="only src", grad=(1,))


_DIAGONAL_SCATTER_ERRORS = _errs(((_x((3, 4)), _x((4,))), {}, "src shape"))


# -- narrow, select, slice_scatter, select_scatter -----------------------------------------------------------------------

def _narrow_samples(rng, dtype, negative_start=True):
    yield S(U(rng, (3, 4), dtype), 1, 1, 2, name="dim 1")
    yield S(U(rng, (3, 4), dtype), -1, 0, 4, name="whole")
    if negative_start:
        yield S(U(rng, (3, 4), dtype), 0, -2, 2, name="negative start")
    yield S(U(rng, (3, 4), dtype), 0, 1, 0, name="empty")
    yield S(T(rng, (3, 4), dtype), 1, 1, 2, name="T")
    yield S(ST(rng, 5, dtype), 0, 1, 3, name="strided")
    yield from _forward_extras(rng, dtype, (4,), 0, 1, 2)


_NARROW_ERRORS = _errs(((_x((3, 4)), 1, 3, 2), {}, "beyond"), ((_x((3, 4)), 1, 5, 0), {}, "start"),
                       ((_x((3, 4)), 1, -5, 1), {}, "negative start"), ((_x(()), 0, 0, 1), {}, "0-d"),
                       ((_x((3, 4)), 2, 0, 1), {}, "dim"), ((_x((3, 4)), 1, 0, -1), {}, "negative length"))


def _narrow_copy_negative_samples(rng, dtype):
    yield S(U(rng, (3, 4), dtype), 0, -2, 2, name="a window past the end as given: backward raises")
    yield S(U(rng, (3, 4), dtype), 1, -4, 2, name="a window inside as given")


NARROW_COPY_BUG = "PyTorch's NarrowCopyBackward0 takes a negative start as given (x[a:a+n], a < 0) and raises for " \
                  "a window past the end (the backward check compares that error, ember mimics it)"
_NARROW_COPY_ERRORS = _errs(((_x((3, 4)), 1, 3, 2), {}, "beyond"), ((_x((3, 4)), 1, 5, 0), {}, "start"),
                            ((_x((3, 4)), 1, -5, 1), {}, "negative start"), ((_x((3, 4)), 1, 0, -1), {}, "negative length"))


def _select_samples(rng, dtype):
    yield S(U(rng, (3, 4), dtype), 0, 1, name="dim 0")
    yield S(U(rng, (3, 4), dtype), 1, -1, name="index -1")
    yield S(U(rng, (2, 3, 4), dtype), -2, 2, name="dim -2")
    yield S(U(rng, (3,), dtype), 0, 2, name="vector: 0-d")
    yield S(T(rng, (3, 4), dtype), 1, 0, name="T")
    yield S(ST(rng, 4, dtype), 0, 3, name="strided")
    yield from _forward_extras(rng, dtype, (4,), 0, 1)


_SELECT_ERRORS = _errs(((_x((3, 4)), 0, 3), {}, "index"), ((_x((3, 4)), 1, -5), {}, "negative index"),
                       ((_x(()), 0, 0), {}, "0-d"), ((_x((3, 4)), 2, 0), {}, "dim"))


def _slice_scatter_samples(rng, dtype):
    yield S(U(rng, (4, 3), dtype), U(rng, (2, 3), dtype), 0, 1, 3, name="rows 1:3")
    yield S(U(rng, (4, 3), dtype), U(rng, (4, 2), dtype), 1, None, None, 2, name="every other column")
    yield S(U(rng, (4, 3), dtype), U(rng, (4, 1), dtype), -1, -1, name="last column")
    yield S(U(rng, (4, 3), dtype), U(rng, (4, 3), dtype), name="all")
    yield S(T(rng, (4, 3), dtype), U(rng, (1, 3), dtype), 0, 0, 1, name="T")
    yield S(U(rng, (4, 3), dtype), U(rng, (2, 3), dtype), 0, 2, name="only src", grad=(1,))


_SLICE_SCATTER_ERRORS = _errs(((_x((4, 3)), _x((1, 3))), {}, "src shape"))


def _select_scatter_samples(rng, dtype):
    yield S(U(rng, (4, 3), dtype), U(rng, (3,), dtype), 0, 1, name="row 1")
    yield S(U(rng, (4, 3), dtype), U(rng, (4,), dtype), 1, -1, name="last column")
    yield S(U(rng, (4,), dtype), U(rng, (), dtype), 0, 2, name="vector")
    yield S(T(rng, (4, 3), dtype), U(rng, (3,), dtype), 0, 0, name="T")
    yield S(U(rng, (4, 3), dtype), U(rng, (3,), dtype), 0, 3, name="only x", grad=(0,))


_SELECT_SCATTER_ERRORS = _errs(((_x((4, 3)), _x((4,)), 0, 0), {}, "src shape"),
                               ((_x((4, 3)), _x((3,)), 0, 4), {}, "index"))


# -- as_strided, unfold -------------------------------------------------------------------------------------------

def _as_strided_samples(rng, dtype):
    yield S(U(rng, (3, 4), dtype), (2, 2), (1, 2), name="window")
    yield S(U(rng, (3, 4), dtype), (3, 2), (1, 1), name="overlapping")
    yield S(U(rng, (3, 4), dtype), (2,), (3,), 2, name="offset")
    yield S(U(rng, (6,), dtype), (2, 3), (3, 1), name="a view")
    yield S(U(rng, (6,), dtype), (2, 3), (0, 1), name="stride 0")
    yield S(T(rng, (3, 4), dtype), (2, 2), (1, 2), name="of a transpose")
    yield S(ST(rng, 4, dtype), (3,), (2,), name="of a strided view")
    yield S(U(rng, (), dtype), (), (), name="0-d")
    yield from _forward_extras(rng, dtype, (4,), (2,), (2,))


_AS_STRIDED_ERRORS = _errs(((_x((2, 3)), (4,), (2,)), {}, "out of bounds"),
                           ((_x((2, 3)), (2,), (-1,)), {}, "negative stride"),
                           ((_x((2, 3)), (2, 2), (1,)), {}, "lengths"))


def _unfold_samples(rng, dtype):
    yield S(U(rng, (3, 5), dtype), 1, 2, 1, name="overlapping windows")
    yield S(U(rng, (3, 5), dtype), 1, 2, 2, name="step 2")
    yield S(U(rng, (6, 2), dtype), 0, 3, 3, name="dim 0")
    yield S(U(rng, (3, 5), dtype), -1, 5, 1, name="one window")
    yield S(U(rng, (3, 5), dtype), 1, 0, 1, name="size 0")
    yield S(U(rng, (), dtype), 0, 1, 1, name="0-d")
    yield S(T(rng, (4, 3), dtype), 0, 2, 1, name="T")
    yield from _forward_extras(rng, dtype, (5,), 0, 2, 1)


_UNFOLD_ERRORS = _errs(((_x((3, 5)), 1, 6, 1), {}, "size"), ((_x((3, 5)), 1, 2, 0), {}, "step"),
                       ((_x((3, 5)), 2, 2, 1), {}, "dim"))


# -- the copy forms, alias_copy, detach ------------------------------------------------------------------------------

def _copy_entry(name, gen, errors=None, **kw):
    return OpInfo(f"{name}_copy", _function(f"{name}_copy"), gen, covers=(f"{name}_copy",), errors=errors, **kw)


def _alias_samples(rng, dtype):
    yield S(U(rng, (2, 3), dtype), name="(2,3)")
    yield S(U(rng, (), dtype), name="0-d")
    yield S(T(rng, (2, 3), dtype), name="T")
    yield from _forward_extras(rng, dtype, (3,))


def _split_copy_samples(rng, dtype):
    yield S(U(rng, (5, 2), dtype), 2, name="by 2")
    yield S(U(rng, (2, 5), dtype), 3, 1, name="dim 1")
    yield S(U(rng, (2, 3), dtype), 8, 1, name="one piece")


def _split_with_sizes_copy_samples(rng, dtype):
    yield S(U(rng, (5, 2), dtype), [2, 3], name="sizes")
    yield S(U(rng, (2, 5), dtype), [1, 0, 4], 1, name="an empty piece")


def _unbind_copy_samples(rng, dtype):
    yield S(U(rng, (3, 2), dtype), name="dim 0")
    yield S(U(rng, (3, 2), dtype), 1, name="dim 1")


# -- resize (values only: PyTorch has no derivative), dim_order ----------------------------------------------------

def _resize_samples(rng, dtype):
    yield S(U(rng, (2, 3), dtype), 3, 2, name="same size")
    yield S(U(rng, (2, 3), dtype), (4,), name="smaller", grad=())
    yield S(U(rng, (2, 3), dtype), (), name="0-d", grad=())


def _resize_copy_samples(rng, dtype):
    yield S(U(rng, (2, 3), dtype), 3, 2, name="same size")
    yield S(U(rng, (2, 3), dtype), 1, 6, name="(1,6)")
    yield S(T(rng, (2, 3), dtype), 6, name="T")


_RESIZE_ERRORS = _errs(((_x((2, 3)), 4), {}, "size"), ((_x((2, 3)), (4,)), {}, "tuple size"),
                       ((_x((2, 3)), 2, 2), {}, "sizes"), ((_x((2, 3)), (6,)), {}, "a tuple: PyTorch refuses it"),
                       ((_x((1,)), ()), {}, "to 0-d: PyTorch refuses it"))
NO_JVP = "PyTorch's resize is a Python autograd.Function without a jvp: forward AD raises (the forward_ad check " \
         "compares the error)"


def _resize_as_copy_samples(rng, dtype):
    yield S(U(rng, (2, 3), dtype), U(rng, (3, 2), dtype), name="same size", grad=(0,))
    yield S(T(rng, (2, 3), dtype), U(rng, (6,), dtype), name="T", grad=(0,))


def _resize_(lib, x, *shape):
    return (x * 1).resize_(*shape)


def _resize_as_(lib, x, other):
    return (x * 1).resize_as_(other)


def _resize_as_samples(rng, dtype):
    yield S(U(rng, (2, 3), dtype), U(rng, (3, 2), dtype), name="same size", grad=())
    yield S(U(rng, (2, 3), dtype), U(rng, (4,), dtype), name="smaller", grad=())


def _dim_order_samples(rng, dtype):
    yield S(U(rng, (2, 3, 4), dtype), name="contiguous", grad=())
    yield S(T(rng, (2, 3), dtype), name="T", grad=())
    yield S(U(rng, (), dtype), name="0-d", grad=())


ENTRIES = [
    _entry("view", _view_samples, function=False, errors=_view_errors),
    _entry("view_as", _view_as_samples, function=False),
    _entry("reshape", _reshape_samples, op=_shape_function("reshape"), errors=_VIEW_ERRORS),
    _entry("reshape_as", _view_as_samples, function=False),
    _entry("flatten", _flatten_samples,
           errors=_errs(((_x((2, 3, 4)), 2, 1), {}, "start after end"), ((_x((2, 3)), 0, 2), {}, "dim"))),
    _entry("unflatten", _unflatten_samples, errors=_UNFLATTEN_ERRORS),
    _entry("ravel", _ravel_samples),
    _entry("squeeze", _squeeze_samples, inplace="squeeze_", errors=_SQUEEZE_ERRORS),
    _entry("unsqueeze", _unsqueeze_samples, inplace="unsqueeze_", errors=_UNSQUEEZE_ERRORS),
    _entry("transpose", _transpose_samples, inplace="transpose_", errors=_TRANSPOSE_ERRORS),
    _entry("swapaxes", _transpose_samples, inplace="swapaxes_"),
    _entry("swapdims", _transpose_samples, inplace="swapdims_"),
    _entry("t", _t_samples, inplace="t_", errors=_errs(((_x((2, 3, 4)),), {}, "3-d"))),
    _entry("permute", _permute_samples, errors=_PERMUTE_ERRORS),
    _entry("movedim", _movedim_samples, extra_covers=("moveaxis", "Tensor.moveaxis"), errors=_MOVEDIM_ERRORS),
    _entry("adjoint", _matrix_samples, errors=_MATRIX_ERRORS),
    OpInfo("Tensor.T", lambda lib, x: x.T, _reversed_samples, covers=()),
    OpInfo("Tensor.mT", lambda lib, x: x.mT, _matrix_samples, covers=(), errors=_MATRIX_ERRORS),
    OpInfo("Tensor.H", lambda lib, x: x.H, _reversed_samples, covers=(), errors=_H_ERRORS),
    OpInfo("Tensor.mH", lambda lib, x: x.mH, _matrix_samples, covers=(), errors=_MATRIX_ERRORS),
    _entry("expand", _expand_samples, function=False, errors=_EXPAND_ERRORS),
    _entry("expand_as", _expand_as_samples, function=False),
    _entry("broadcast_to", _expand_samples, op=_shape_function("broadcast_to"),
           errors=_EXPAND_ERRORS),
    _entry("broadcast_tensors", _broadcast_tensors_samples, method=False, errors=_BROADCAST_ERRORS),
    _entry("atleast_1d", _atleast_samples, method=False),
    _entry("atleast_2d", _atleast_samples, method=False),
    _entry("atleast_3d", _atleast_samples, method=False),
    OpInfo("atleast_2d(list)", _atleast_list("atleast_2d"), _atleast_samples, covers=()),
    _entry("repeat", _repeat_samples, function=False, errors=_REPEAT_ERRORS),
    _entry("tile", _tile_samples),
    _entry("repeat_interleave", _repeat_interleave_samples, errors=_REPEAT_INTERLEAVE_ERRORS),
    OpInfo("repeat_interleave(repeats)", lambda lib, r: lib.repeat_interleave(r), _repeat_interleave_repeats_samples,
           covers=(), dtypes=(np.int64,), grad=False),
    _entry("flip", _flip_samples, op=_method("flip"), errors=_FLIP_ERRORS),
    _entry("fliplr", _lr_samples, errors=_errs(((_x((3,)),), {}, "vector"))),
    _entry("flipud", _ud_samples, errors=_errs(((_x(()),), {}, "0-d"))),
    _entry("roll", _roll_samples, errors=_ROLL_ERRORS),
    _entry("rot90", _rot90_samples, errors=_ROT90_ERRORS),
    _entry("tril", _tri_samples, inplace="tril_", errors=_TRI_ERRORS),
    _entry("triu", _tri_samples, inplace="triu_", errors=_TRI_ERRORS),
    _entry("diagonal", _diagonal_samples, errors=_DIAGONAL_ERRORS),
    _copy_entry("diagonal", _diagonal_samples, errors=_DIAGONAL_ERRORS),
    _entry("diag", _diag_samples, errors=_DIAG_ERRORS),
    _entry("diag_embed", _diag_embed_samples, errors=_DIAG_EMBED_ERRORS),
    _entry("diagflat", _diagflat_samples),
    _entry("diagonal_scatter", _diagonal_scatter_samples, errors=_DIAGONAL_SCATTER_ERRORS),
    _entry("narrow", _narrow_samples, errors=_NARROW_ERRORS),
    _entry("narrow_copy", lambda rng, dtype: _narrow_samples(rng, dtype, negative_start=False),
           errors=_NARROW_COPY_ERRORS),
    OpInfo("narrow_copy(negative start)", _function("narrow_copy"), _narrow_copy_negative_samples, covers=(),
           skip={c: NARROW_COPY_BUG for c in ("gradcheck", "gradgradcheck", "jvp_vjp", "forward_over_reverse")}),
    _entry("select", _select_samples, errors=_SELECT_ERRORS),
    _copy_entry("select", _select_samples, errors=_SELECT_ERRORS),
    _entry("slice_scatter", _slice_scatter_samples, errors=_SLICE_SCATTER_ERRORS),
    _entry("select_scatter", _select_scatter_samples, errors=_SELECT_SCATTER_ERRORS),
    _entry("as_strided", _as_strided_samples, errors=_AS_STRIDED_ERRORS),
    _copy_entry("as_strided", _as_strided_samples),
    _entry("unfold", _unfold_samples, function=False, errors=_UNFOLD_ERRORS),
    _copy_entry("unfold", _unfold_samples),
    OpInfo("view_copy", _shape_function("view_copy"), _view_samples, covers=("view_copy",)),
    _copy_entry("permute", _permute_samples),
    _copy_entry("t", _t_samples),
    _copy_entry("transpose", _transpose_samples),
    _copy_entry("unsqueeze", _unsqueeze_samples),
    _copy_entry("squeeze", _squeeze_samples),
    OpInfo("expand_copy", _shape_function("expand_copy"), _expand_samples, covers=("expand_copy",)),
    _copy_entry("split", _split_copy_samples),
    _copy_entry("split_with_sizes", _split_with_sizes_copy_samples),
    _copy_entry("unbind", _unbind_copy_samples),
    OpInfo("alias_copy", _function("alias_copy"), _alias_samples, covers=("alias_copy",)),
    OpInfo("detach", _function("detach"), _alias_samples, covers=("detach",),
           skip={c: NOT_DIFFERENTIABLE for c in ("gradcheck", "gradgradcheck", "jvp_vjp", "forward_over_reverse")}),
    OpInfo("detach_copy", _function("detach_copy"), _alias_samples, covers=("detach_copy",),
           skip={c: NO_DERIVATIVE for c in ("gradcheck", "gradgradcheck", "jvp_vjp", "forward_over_reverse")}),
    OpInfo("Tensor.resize_", _resize_, _resize_samples, covers=("Tensor.resize_",), grad=False),
    OpInfo("Tensor.resize_as_", _resize_as_, _resize_as_samples, covers=("Tensor.resize_as_", "resize_as_"),
           grad=False),
    OpInfo("Tensor.resize", lambda lib, x, *shape: x.resize(*shape), _resize_copy_samples, covers=("Tensor.resize",),
           errors=_RESIZE_ERRORS, skip={"jvp_vjp": NO_JVP, "forward_over_reverse": NO_JVP}),
    OpInfo("Tensor.resize_as", lambda lib, x, other: x.resize_as(other), _resize_as_copy_samples,
           covers=("Tensor.resize_as",), errors=_errs(((_x((2, 3)), _x((4,))), {}, "size")),
           skip={"jvp_vjp": NO_JVP, "forward_over_reverse": NO_JVP}),
    OpInfo("Tensor.dim_order", lambda lib, x: x.dim_order(), _dim_order_samples, covers=("Tensor.dim_order",),
           grad=False),
]
