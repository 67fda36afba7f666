"""``x[key]`` and ``x[key] = v`` against PyTorch: every index form, gradients (repeats accumulate), errors."""

from __future__ import annotations

import numpy as np
import pytest
from test_ops_harness import arr, check, check_error, gradchecks

torch = pytest.importorskip("torch")

FLOATS = [np.float32, np.float64]

GETITEM = {
    "int": lambda L, x: x[1], "neg_int": lambda L, x: x[-1, 2], "ints": lambda L, x: x[0, 1, 2],
    "slice": lambda L, x: x[1:], "slice_step": lambda L, x: x[:, ::2], "slice_neg": lambda L, x: x[-2:, 1:-1],
    "slice_step3": lambda L, x: x[..., 1::3], "none": lambda L, x: x[None], "none_mid": lambda L, x: x[:, None, 1],
    "ellipsis": lambda L, x: x[..., 0], "ellipsis_mid": lambda L, x: x[0, ..., 1:],
    "bool_mask": lambda L, x: x[x > 0], "bool_mask_row": lambda L, x: x[L.tensor([True, False, True])],
    "bool_mask_2d": lambda L, x: x[:, x[0] > 0],
    "int_list": lambda L, x: x[[0, 2, 0]], "int_tensor": lambda L, x: x[L.tensor([2, 2, 1])],
    "int_tensor_2d": lambda L, x: x[L.tensor([[0, 1], [2, 0]])],
    "two_arrays": lambda L, x: x[L.tensor([0, 2]), L.tensor([1, 3])],
    "array_slice_array": lambda L, x: x[L.tensor([0, 2]), :, L.tensor([1, 3])],
    "array_broadcast": lambda L, x: x[L.tensor([[0], [2]]), L.tensor([1, 3, 3])],
    "slice_then_array": lambda L, x: x[1:, L.tensor([0, 0, 3])],
    "neg_array": lambda L, x: x[:, :, L.tensor([-1, 0])],
    "int_and_array": lambda L, x: x[1, L.tensor([0, 2])], "zero_dim_index": lambda L, x: x[L.tensor(1)],
    "empty_slice": lambda L, x: x[2:1], "empty_list": lambda L, x: x[[]],
    "chained": lambda L, x: x[1:][0][::2], "out_of_range_slice": lambda L, x: x[1:100, -100:2],
    "bool_scalar": lambda L, x: x[True], "uint8_mask": lambda L, x: x[(x > 0).byte()] if False else x[x < 0],
}


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("name", list(GETITEM))
def test_getitem(name, dtype):
    check(GETITEM[name], arr((3, 4, 5), dtype, seed=60))


@pytest.mark.parametrize("name", ["int", "slice_step", "none_mid", "bool_mask", "int_tensor", "two_arrays",
                                  "array_broadcast", "chained"])
def test_getitem_gradgrad(name):
    gradchecks(GETITEM[name], arr((3, 4, 5), seed=61))


def test_repeated_indices_accumulate_gradient():
    x = np.array([1.0, 2.0, 3.0])
    check(lambda L, a: a[[0, 0, 2, 0]] * L.tensor([1.0, 2.0, 3.0, 4.0], dtype=L.float64), x)
    check(lambda L, a: a[L.tensor([[1, 1], [1, 1]])], x)


SETITEM = {
    "int": lambda L, x, v: x.__setitem__(1, v[0]), "slice": lambda L, x, v: x.__setitem__(slice(0, 2), v[:2]),
    "scalar": lambda L, x, v: x.__setitem__((0, slice(None)), 2.5),
    "broadcast": lambda L, x, v: x.__setitem__((slice(None), 1), v[0, :1]),
    "mask": lambda L, x, v: x.__setitem__(x > 0, 0.0),
    "mask_values": lambda L, x, v: x.__setitem__(x > 0, v[x > 0]),
    "array": lambda L, x, v: x.__setitem__(L.tensor([0, 2]), v[:2]),
    "step": lambda L, x, v: x.__setitem__((slice(None), slice(None, None, 2)), v[:, ::2]),
    "ellipsis": lambda L, x, v: x.__setitem__((Ellipsis, 0), v[..., 1]),
}


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("name", list(SETITEM))
def test_setitem_recorded_as_copyslices(name, dtype):
    def fn(L, a, b):
        y = a * 1  # a non-leaf to write into
        SETITEM[name](L, y, b)
        return y
    check(fn, arr((3, 4), dtype, seed=62), arr((3, 4), dtype, seed=63))


def test_setitem_gradgrad():
    def fn(L, a, b):
        y = a * 1
        y[1:, ::2] = b[:2, :2] * 2
        return y
    gradchecks(fn, arr((3, 4), seed=64), arr((3, 4), seed=65))


def test_setitem_bumps_version_and_checks_leaf():
    import ember
    x = ember.zeros(3)
    v0 = x._version
    x[0] = 1.0
    assert x._version == v0 + 1
    leaf = ember.zeros(3, requires_grad=True)
    tleaf = torch.zeros(3, requires_grad=True)
    with pytest.raises(RuntimeError) as te:
        tleaf[0] = 1.0
    with pytest.raises(RuntimeError) as ee:
        leaf[0] = 1.0
    assert str(ee.value) == str(te.value)
    assert leaf._version == 0 and leaf.grad_fn is None


def test_setitem_drops_leading_ones():
    def fn(L, a, b):
        y = a * 1
        y[0] = b
        return y
    check(fn, arr((3, 4), seed=67), arr((1, 1, 4), seed=68))


def test_setitem_on_int_and_bool_tensors():
    def fn(L, a):
        a = a.clone()
        a[0] = 7
        a[a > 3] = -1
        return a
    check(fn, arr((4, 3), np.int64, lo=0, hi=6, seed=66))


def test_indexing_errors():
    x = arr((3, 4))
    check_error(lambda L, a: a[3], x)
    check_error(lambda L, a: a[0, 4], x)
    check_error(lambda L, a: a[-4], x)
    check_error(lambda L, a: a[1.5], x)
    check_error(lambda L, a: a[0, 0, 0], x)
    check_error(lambda L, a: a[L.tensor([0.0, 1.0])], x)
    check_error(lambda L, a: a[L.tensor([0, 5])], x)
    check_error(lambda L, a: a[L.tensor([True, False])], x)
    check_error(lambda L, a: a["a"], x)
    check_error(lambda L, a: a.sum()[0], x)
    check_error(lambda L, a: a[..., 0, 0, 0], x)
    check_error(lambda L, a: a[[0, 1], [0, 1, 2]], x)  # index tensors that do not broadcast
    check_error(lambda L, a: a[L.tensor([0, 1]), L.tensor([[0, 1, 2]])], x)
    check_error(lambda L, a: a[L.tensor([[True, False, True, False]] * 3), L.tensor([0, 1])], arr((3, 4, 5)))


@pytest.mark.parametrize("key, shape", [((0,), (3,)), ((slice(None),), (2, 4)), ((slice(None), 0), (4,)),
                                        ((0,), (2, 1, 4)), ("adv", (3,))], ids=str)
def test_setitem_shape_errors(key, shape):
    def fn(L, a, v):
        k = L.tensor([0, 1]) if key == "adv" else key
        a[k] = v
    check_error(fn, arr((3, 4)), arr(shape))


def _w_select(y, b):
    v = y[0]
    v[1] = b[0, 0]


def _w_slice(y, b):
    v = y[:, 1:]
    v[0] = b[0, :3]


def _w_flat(y, b):
    v = y.view(-1)
    v[2] = 0.0


def _w_chained(y, b):
    y[0][1] = b[0, 0]


def _w_mask(y, b):
    y[y > 0] = b[y > 0]


def _w_adv_after_int(y, b):
    y[0, [1, 2]] += b[0, :2]


def _w_slice_iadd(y, b):
    y[:2] += b[:2]


def _w_row_imul(y, b):
    y[1] *= 2


WRITES_THROUGH_VIEWS = {
    "setitem_on_select": _w_select, "setitem_on_slice": _w_slice, "chained_setitem": _w_chained,
    "inplace_on_column": lambda y, b: y[:, 0].mul_(b[:, 0]),
    "inplace_on_transposed_row": lambda y, b: y.t()[0].add_(1),
    "setitem_on_flat_view": _w_flat, "zero_view": lambda y, b: y[1].zero_(), "mask_setitem": _w_mask,
    "advanced_after_int": _w_adv_after_int, "slice_iadd": _w_slice_iadd, "row_imul": _w_row_imul,
    "diagonal_add_": lambda y, b: y.diagonal().add_(b[0, :3]),
    "copy_into_view": lambda y, b: y[1:, :2].copy_(b[:2, 2:]),
}


@pytest.mark.parametrize("name", list(WRITES_THROUGH_VIEWS))
def test_inplace_writes_through_views(name):
    """The base's history becomes CopySlices and gradients flow to both the old values and the written ones."""
    def fn(L, a, b):
        y = a * 1
        WRITES_THROUGH_VIEWS[name](y, b)
        return y
    check(fn, arr((3, 4), seed=80), arr((3, 4), seed=81))


def test_existing_view_sees_inplace_change_of_base():
    """A view taken before its base changed in place differentiates through the new base (AsStridedBackward0)."""
    def fn(L, a, b):
        y = a * 1
        v = y[1]
        w = y[:, 1:3].t()
        y.mul_(b)
        return v, w
    check(fn, arr((3, 4), seed=82), arr((3, 4), seed=83))
