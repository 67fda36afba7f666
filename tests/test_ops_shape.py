"""Shape, joining, sorting and gather/scatter ops against PyTorch (values, grad_fn names, gradients)."""

from __future__ import annotations

import numpy as np
import pytest
from test_ops_harness import arr, check, check_error, gradchecks

torch = pytest.importorskip("torch")

FLOATS = [np.float32, np.float64]


def _idx(L, values):
    return L.tensor(values)


SHAPE = {
    "reshape": lambda L, x: x.reshape(4, 6), "reshape_neg": lambda L, x: L.reshape(x, (-1, 3)),
    "view": lambda L, x: x.view(2, 12), "view_neg": lambda L, x: x.view(-1),
    "view_as": lambda L, x: x.view_as(L.zeros(6, 4)), "flatten": lambda L, x: x.flatten(),
    "flatten_1": lambda L, x: L.flatten(x, 1), "unflatten": lambda L, x: x.unflatten(2, (2, 2)),
    "squeeze": lambda L, x: x.unsqueeze(1).squeeze(), "squeeze_d": lambda L, x: x.unsqueeze(0).squeeze(0),
    "squeeze_noop": lambda L, x: x.squeeze(1), "unsqueeze": lambda L, x: x.unsqueeze(-1),
    "transpose": lambda L, x: x.transpose(0, 2), "swapaxes": lambda L, x: L.swapaxes(x, 1, 2),
    "permute": lambda L, x: x.permute(2, 0, 1), "permute_neg": lambda L, x: L.permute(x, (-1, 0, 1)),
    "t": lambda L, x: x[0].t(), "T": lambda L, x: x[0].T, "mT": lambda L, x: x.mT,
    "expand": lambda L, x: x[:, :1].expand(2, 5, 4), "expand_neg": lambda L, x: x[:1].expand(3, -1, -1),
    "expand_as": lambda L, x: x[:, :, :1].expand_as(x), "repeat": lambda L, x: x.repeat(2, 1, 2),
    "repeat_more": lambda L, x: x[0].repeat(2, 2, 1), "tile": lambda L, x: x.tile((2,)),
    "flip": lambda L, x: x.flip(0), "flip_many": lambda L, x: L.flip(x, (0, 2)),
    "roll": lambda L, x: x.roll(1, 2), "roll_flat": lambda L, x: L.roll(x, 5),
    "roll_multi": lambda L, x: x.roll((1, -2), (0, 1)),
    "narrow": lambda L, x: x.narrow(1, 1, 2), "narrow_neg": lambda L, x: L.narrow(x, -1, 1, 3),
    "tril": lambda L, x: x.tril(), "triu_k": lambda L, x: L.triu(x, 1), "tril_neg": lambda L, x: x.tril(-1),
    "diag": lambda L, x: L.diag(x[0]), "diag_vec": lambda L, x: L.diag(x[0, 0]),
    "diag_k": lambda L, x: x[0].diag(1), "diagonal": lambda L, x: x.diagonal(),
    "diagonal_off": lambda L, x: L.diagonal(x, 1, 1, 2), "contiguous": lambda L, x: x.transpose(0, 1).contiguous(),
    "clone": lambda L, x: x.clone(), "movedim": lambda L, x: x.movedim(0, -1),
    "repeat_interleave": lambda L, x: x.repeat_interleave(2, dim=1),
    "repeat_interleave_flat": lambda L, x: L.repeat_interleave(x, 3),
    "repeat_interleave_tensor": lambda L, x: x.repeat_interleave(L.tensor([1, 0, 2]), dim=1),
    "trace": lambda L, x: L.trace(x[0]), "take": lambda L, x: L.take(x, L.tensor([[0, 5], [23, 5]])),
    "masked_select": lambda L, x: x.masked_select(x > 0), "median": lambda L, x: x.median(),
    "median_dim": lambda L, x: x.median(1, keepdim=True), "kthvalue": lambda L, x: x.kthvalue(2, 2),
}


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("name", list(SHAPE))
def test_shape(name, dtype):
    check(SHAPE[name], arr((2, 3, 4), dtype, seed=40))


@pytest.mark.parametrize("name", ["reshape", "permute", "expand", "repeat", "flip", "roll_multi", "narrow",
                                  "triu_k", "diag", "diagonal_off", "unflatten", "movedim"])
def test_shape_gradgrad(name):
    gradchecks(SHAPE[name], arr((2, 3, 4), seed=41))


JOIN = {
    "cat": lambda L, a, b: L.cat([a, b], 0), "cat_1": lambda L, a, b: L.cat((a, b, a), 1),
    "concat": lambda L, a, b: L.concat([a, b], -1), "stack": lambda L, a, b: L.stack([a, b]),
    "stack_d": lambda L, a, b: L.stack([a, b], 2), "stack_neg": lambda L, a, b: L.stack((a, b), -1),
    "split": lambda L, a, b: a.split(1), "split_sizes": lambda L, a, b: L.split(b, [1, 2], 1),
    "chunk": lambda L, a, b: a.chunk(2, 1), "chunk_uneven": lambda L, a, b: b.chunk(2, -1),
    "unbind": lambda L, a, b: a.unbind(1), "unbind_0": lambda L, a, b: L.unbind(b),
    "split_partial": lambda L, a, b: a.split(2, 1)[1], "unbind_partial": lambda L, a, b: b.unbind(2)[0] * 2,
}


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("name", list(JOIN))
def test_join_split(name, dtype):
    check(JOIN[name], arr((2, 3, 3), dtype, seed=42), arr((2, 3, 3), dtype, seed=43))


@pytest.mark.parametrize("name", ["cat_1", "stack_d", "split_sizes", "chunk", "unbind"])
def test_join_split_gradgrad(name):
    gradchecks(JOIN[name], arr((1, 3, 3), seed=44), arr((1, 3, 3), seed=45))


def test_cat_promotes_and_accepts_empty():
    check(lambda L, a, b: L.cat([a, b.long()]), arr((2,), seed=46), arr((3,), seed=47))
    check(lambda L, a, b: L.cat([a, L.zeros(0)]), arr((2,), seed=46), arr((3,), seed=47))


SORTING = {
    "sort": lambda L, x: x.sort(), "sort_desc": lambda L, x: L.sort(x, 0, descending=True),
    "sort_stable": lambda L, x: x.sort(dim=1, stable=True),
    "argsort": lambda L, x: x.argsort(1), "argsort_desc": lambda L, x: L.argsort(x, descending=True),
    "topk": lambda L, x: x.topk(2), "topk_small": lambda L, x: L.topk(x, 2, dim=0, largest=False),
    "topk_1": lambda L, x: x.topk(1, 1),
}


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("name", list(SORTING))
def test_sorting(name, dtype):
    check(SORTING[name], arr((3, 4, 5), dtype, seed=48))


def test_sort_with_ties_is_stable():
    x = np.array([[2.0, 1.0, 2.0, 1.0, 3.0], [0.0, 0.0, 0.0, -1.0, -1.0]])
    check(lambda L, a: a.sort(stable=True), x)
    check(lambda L, a: a.sort(descending=True, stable=True), x)
    check(lambda L, a: a.argsort(dim=0, stable=True), x)


INDEXED = {
    "gather": lambda L, x: x.gather(1, L.tensor([[0, 0], [2, 1], [1, 2]])),
    "gather_0": lambda L, x: L.gather(x, 0, L.tensor([[2, 0, 1, 1], [0, 0, 0, 2]])),
    "scatter": lambda L, x: x.scatter(1, L.tensor([[0, 2], [1, 3], [3, 0]]), x[:, :2] * 2),
    "scatter_value": lambda L, x: L.scatter(x, 0, L.tensor([[0, 1, 2, 0]]), 1.5),
    "scatter_add": lambda L, x: x.scatter_add(1, L.tensor([[0, 0], [1, 1], [3, 3]]), x[:, 1:3]),
    "index_select": lambda L, x: x.index_select(1, L.tensor([0, 3, 3])),
    "index_select_0": lambda L, x: L.index_select(x, 0, L.tensor([2, 0])),
    "masked_fill": lambda L, x: x.masked_fill(x > 0, 0.0),
    "masked_fill_bcast": lambda L, x: x.masked_fill(L.tensor([True, False, True, False]), -1.0),
    "masked_fill_tensor": lambda L, x: x.masked_fill(x < 0, L.tensor(2.0)),
    "where_bcast": lambda L, x: L.where(x[:1] > 0, x, x[:, :1] * 3),
    "index_add": lambda L, x: x.index_add(0, L.tensor([0, 2, 0]), x * 2),
}


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("name", list(INDEXED))
def test_gather_scatter(name, dtype):
    check(INDEXED[name], arr((3, 4), dtype, seed=49))


@pytest.mark.parametrize("name", ["gather", "scatter", "scatter_add", "index_select", "masked_fill", "index_add"])
def test_gather_scatter_gradgrad(name):
    gradchecks(INDEXED[name], arr((3, 4), seed=50))


def test_shape_errors():
    x = arr((2, 3, 4))
    check_error(lambda L, a: a.transpose(0, 5), x)
    check_error(lambda L, a: a.sum(-4), x)
    check_error(lambda L, a: a.view(5, 5), x)
    check_error(lambda L, a: a.reshape(7, -1), x)
    check_error(lambda L, a: a.permute(0, 1), x)
    check_error(lambda L, a: a.expand(3, 3, 4), x)
    check_error(lambda L, a: L.cat([a, a[:, :1, :1]]), x)
    check_error(lambda L, a: L.stack([a, a[:1]]), x)
    check_error(lambda L, a: a.narrow(1, 2, 3), x)
    check_error(lambda L, a: a.unsqueeze(4), x)
    check_error(lambda L, a: a.squeeze(3), x)
    check_error(lambda L, a: a.flip(3), x)
    check_error(lambda L, a: a.topk(5), x)
    check_error(lambda L, a: a.split([1, 1], 1), x)
    check_error(lambda L, a: a.gather(1, L.tensor([[[0, 5]]])), x)
    check_error(lambda L, a: a.repeat(2), x)
    check_error(lambda L, a: a.transpose(1, 2).view(-1), x)
    check_error(lambda L, a: a.expand(4, 3), x[0])
    check_error(lambda L, a: a.expand(-1, 4, 5), x[0])
    check_error(lambda L, a: L.cat([]), x)
    check_error(lambda L, a: a.roll(1, 5), x)
    check_error(lambda L, a: a.roll((1, 2), (0,)), x)
    check_error(lambda L, a: a.flip(0, 0), x)
    check_error(lambda L, a: a.diagonal(0, 1, 1), x)
    check_error(lambda L, a: a.index_select(0, L.tensor([0.0])), x)
    check_error(lambda L, a: L.where(a.long(), a, 0.0), x)
