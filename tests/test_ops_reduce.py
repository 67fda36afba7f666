"""Reductions, softmax family and linear algebra against PyTorch (values, dtypes, grad_fn names, gradients)."""

from __future__ import annotations

import numpy as np
import pytest
from test_ops_harness import arr, check, check_error, gradchecks

torch = pytest.importorskip("torch")

FLOATS = [np.float32, np.float64]

REDUCE = {
    "sum": lambda L, x: x.sum(), "sum_d": lambda L, x: x.sum(1), "sum_dk": lambda L, x: x.sum(-1, keepdim=True),
    "sum_tuple": lambda L, x: L.sum(x, (0, 2)), "sum_tuple_k": lambda L, x: x.sum((0, -1), keepdim=True),
    "mean": lambda L, x: x.mean(), "mean_d": lambda L, x: x.mean(0), "mean_tk": lambda L, x: x.mean((1, 2), True),
    "prod": lambda L, x: x.prod(), "prod_d": lambda L, x: x.prod(1), "prod_dk": lambda L, x: L.prod(x, 2, True),
    "max": lambda L, x: x.max(), "min": lambda L, x: L.min(x),
    "max_d": lambda L, x: x.max(1), "min_dk": lambda L, x: x.min(-1, keepdim=True),
    "amax": lambda L, x: x.amax(), "amax_t": lambda L, x: L.amax(x, (0, 2)), "amin_dk": lambda L, x: x.amin(1, True),
    "argmax": lambda L, x: x.argmax(), "argmax_d": lambda L, x: x.argmax(1), "argmin_dk": lambda L, x: x.argmin(2, True),
    "var": lambda L, x: x.var(), "var_d0": lambda L, x: x.var(1, unbiased=False),
    "var_corr": lambda L, x: L.var(x, (0, 2), correction=2, keepdim=True),
    "std": lambda L, x: x.std(), "std_d": lambda L, x: x.std(0), "std_corr0": lambda L, x: x.std(-1, correction=0),
    "norm": lambda L, x: x.norm(), "norm_1": lambda L, x: x.norm(1), "norm_p3_d": lambda L, x: L.norm(x, 3, dim=1),
    "norm_inf": lambda L, x: x.norm(float("inf"), dim=(0, 1)), "norm_dk": lambda L, x: x.norm(dim=-1, keepdim=True),
    "logsumexp": lambda L, x: L.logsumexp(x, 1), "logsumexp_t": lambda L, x: x.logsumexp((0, 2), keepdim=True),
    "cumsum": lambda L, x: x.cumsum(1), "cumsum_neg": lambda L, x: L.cumsum(x, -1),
    "cumprod": lambda L, x: x.cumprod(2), "cumprod_0": lambda L, x: L.cumprod(x, 0),
    "softmax": lambda L, x: x.softmax(1), "softmax_neg": lambda L, x: L.softmax(x, -1),
    "log_softmax": lambda L, x: x.log_softmax(0), "log_softmax_neg": lambda L, x: L.log_softmax(x, dim=-1),
    "all": lambda L, x: (x > -1).all(), "all_d": lambda L, x: L.all(x > -1, 1),
    "any": lambda L, x: (x > 1).any(), "any_dk": lambda L, x: (x > 1).any(-1, keepdim=True),
    "sum_empty": lambda L, x: x.sum(()), "mean_empty_k": lambda L, x: x.mean([], keepdim=True),
    "amax_empty": lambda L, x: x.amax(()),
}

NO_GRADGRAD = {"max", "min", "max_d", "min_dk", "amax", "amax_t", "amin_dk", "argmax", "argmax_d", "argmin_dk",
               "all", "all_d", "any", "any_dk", "norm_inf"}


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("name", list(REDUCE))
def test_reduction(name, dtype):
    check(REDUCE[name], arr((3, 4, 5), dtype, seed=20))


@pytest.mark.parametrize("name", [n for n in REDUCE if n not in NO_GRADGRAD])
def test_reduction_gradgrad(name):
    gradchecks(REDUCE[name], arr((2, 3, 2), lo=0.3, hi=1.5, seed=21))


@pytest.mark.parametrize("name", ["sum", "mean", "prod", "max", "amax", "var", "std", "norm", "logsumexp_t",
                                  "cumsum", "softmax", "argmax"])
def test_reduction_small_shapes(name):
    check(REDUCE[name], arr((1, 1, 3), seed=22))


def test_reduction_ties_and_zeros():
    x = np.array([[1.0, 3.0, 3.0], [0.0, 2.0, 0.0]])
    for name in ("max", "min", "amax", "amax_t", "amin_dk", "prod", "prod_d", "cumprod", "norm"):
        fn = REDUCE[name]
        as_3d = name in ("amax_t", "amin_dk", "cumprod")
        check(lambda L, a, fn=fn, as_3d=as_3d: fn(L, a.reshape(2, 3, 1) if as_3d else a), x)


def test_max_dim_returns_named_tuple():
    _, e = check(lambda L, x: x.max(dim=1), arr((3, 4), seed=23))
    assert e.values is e[0] and e.indices is e[1]
    assert repr(e).startswith("torch.return_types.max(\nvalues=")


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.bool_])
def test_integer_reductions_dtype(dtype):
    x = arr((3, 4), dtype, lo=0, hi=5, seed=24)
    check(lambda L, a: a.sum(), x)
    check(lambda L, a: a.sum(1), x)
    check(lambda L, a: a.prod(0), x)
    check(lambda L, a: a.cumsum(1), x)
    check(lambda L, a: a.max(), x)
    if dtype is np.bool_:
        check_error(lambda L, a: a.argmax(1), x)
    else:
        check(lambda L, a: a.argmax(1), x)


def test_reduction_errors():
    x = arr((2, 3))
    check_error(lambda L, a: a.sum(5), x)
    check_error(lambda L, a: a.max(-3), x)
    check_error(lambda L, a: a.softmax(2), x)
    check_error(lambda L, a: a.mean(), arr((3,), np.int64, lo=0, hi=3))


@pytest.mark.parametrize("correction", [0, 1, 2, 3, 4])
def test_var_std_small_counts(correction):
    x = arr((3,), seed=25)
    check(lambda L, a: a.var(correction=correction), x, grad=correction < 3)
    check(lambda L, a: a.std(0, correction=correction), x, grad=correction < 3)


# -- linear algebra -------------------------------------------------------------------------------------

MATMUL_SHAPES = [((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 4)), ((2, 3), (3, 4)), ((5, 2, 3), (3, 4)),
                 ((2, 3), (5, 3, 4)), ((5, 2, 3), (5, 3, 4)), ((2, 1, 2, 3), (5, 3, 4)), ((3,), (5, 3, 4)),
                 ((5, 2, 3), (3,))]


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("shapes", MATMUL_SHAPES, ids=str)
def test_matmul(shapes, dtype):
    a, b = arr(shapes[0], dtype, seed=30), arr(shapes[1], dtype, seed=31)
    check(lambda L, x, y: x @ y, a, b, rtol=1e-4, atol=1e-5)
    check(lambda L, x, y: L.matmul(x, y), a, b, rtol=1e-4, atol=1e-5)


LINALG = {
    "mm": (lambda L, a, b: L.mm(a, b), (2, 3), (3, 4)),
    "bmm": (lambda L, a, b: L.bmm(a, b), (2, 2, 3), (2, 3, 4)),
    "mv": (lambda L, a, b: L.mv(a, b), (2, 3), (3,)),
    "dot": (lambda L, a, b: L.dot(a, b), (3,), (3,)),
    "outer": (lambda L, a, b: L.outer(a, b), (3,), (4,)),
    "addmm": (lambda L, a, b: L.addmm(b[0], a, b), (3, 3), (3, 4)),
    "addmm_ab": (lambda L, a, b: L.addmm(b[0], a, b, beta=0.5, alpha=2.0), (3, 3), (3, 4)),
    "t_method": (lambda L, a, b: a.mm(b.t()), (2, 3), (4, 3)),
    "einsum_ij_jk": (lambda L, a, b: L.einsum("ij,jk->ik", a, b), (2, 3), (3, 4)),
    "einsum_bij_bjk": (lambda L, a, b: L.einsum("bij,bjk->bik", a, b), (2, 2, 3), (2, 3, 4)),
    "einsum_trace": (lambda L, a, b: L.einsum("ii->", a) + L.einsum("i,i", b[0], b[1]), (3, 3), (2, 3)),
    "einsum_outer": (lambda L, a, b: L.einsum("i,j->ij", a, b), (3,), (4,)),
    "einsum_ellipsis": (lambda L, a, b: L.einsum("...ij,...jk", a, b), (2, 2, 3), (2, 3, 4)),
    "einsum_diag": (lambda L, a, b: L.einsum("ii->i", a) * b, (3, 3), (3,)),
    "einsum_sum": (lambda L, a, b: L.einsum("ij->j", a) + L.einsum("ij", b).sum(), (3, 4), (2, 4)),
}


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("name", list(LINALG))
def test_linalg(name, dtype):
    fn, sa, sb = LINALG[name]
    check(fn, arr(sa, dtype, seed=32), arr(sb, dtype, seed=33), rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("name", list(LINALG))
def test_linalg_gradgrad(name):
    fn, sa, sb = LINALG[name]
    gradchecks(fn, arr(sa, seed=34), arr(sb, seed=35))


@pytest.mark.parametrize("shapes", MATMUL_SHAPES[:7], ids=str)
def test_matmul_gradgrad(shapes):
    gradchecks(lambda L, x, y: x @ y, arr(shapes[0], seed=36), arr(shapes[1], seed=37))


def test_linalg_errors():
    check_error(lambda L, a, b: L.mm(a, b), arr((2, 3)), arr((4, 5)))
    check_error(lambda L, a, b: a @ b, arr((2, 3)), arr((4, 5)))
    check_error(lambda L, a, b: a @ b, arr((3,)), arr((4,)))
    check_error(lambda L, a, b: a @ b, arr((2, 3)), arr((4,)))
    check_error(lambda L, a, b: L.bmm(a, b), arr((2, 2, 3)), arr((3, 3, 4)))
    check_error(lambda L, a, b: L.mm(a, b), arr((2, 3)), arr((3, 4), np.float32))
    for sa, sb in [((2, 3), (5, 4, 4)), ((3,), (5, 4, 4)), ((5, 2, 3), (4,)), ((5, 2, 3), (4, 4)),
                   ((5, 2, 3), (5, 4, 4)), ((2, 2, 3), (3, 3, 4))]:
        check_error(lambda L, a, b: a @ b, arr(sa), arr(sb))
    x = arr((3, 2))
    check_error(lambda L, a: a.mv(a), x)
    check_error(lambda L, a: L.dot(a[0], a[1].long()), x)
    check_error(lambda L, a: L.outer(a, a), x)
    check_error(lambda L, a: L.einsum("ij,jk", a, a), x)
    check_error(lambda L, a: L.einsum("ii", a), x)
    check_error(lambda L, a: L.addmm(a, a, a.t()), x)
    check_error(lambda L, a: L.addmm(a[0], a, a.t()), x)


@pytest.mark.parametrize("seed", range(8))
def test_reductions_random_dims(seed):
    """Random shape, random dim subset (int, negative, or tuple) and keepdim, for every dim-taking reduction."""
    rng = np.random.default_rng(200 + seed)
    nd = int(rng.integers(1, 4))
    shape = tuple(int(rng.integers(1, 5)) for _ in range(nd))
    dims = tuple(int(d) - (nd if rng.random() < 0.5 else 0) for d in rng.choice(nd, int(rng.integers(1, nd + 1)),
                                                                                  replace=False))
    one = dims[0]
    keep = bool(rng.random() < 0.5)
    x = arr(shape, FLOATS[seed % 2], lo=0.2, hi=2.0, seed=seed)
    check(lambda L, a: a.sum(dims, keepdim=keep), x)
    check(lambda L, a: a.mean(dims, keepdim=keep), x)
    check(lambda L, a: L.amax(a, dims, keep), x)
    check(lambda L, a: a.logsumexp(dims, keep), x)
    check(lambda L, a: a.norm(dim=dims, keepdim=keep), x)
    check(lambda L, a: a.prod(one, keep), x)
    check(lambda L, a: a.max(one, keep), x)
    check(lambda L, a: a.argmin(one, keep), x)
    check(lambda L, a: a.cumsum(one), x)
    check(lambda L, a: a.softmax(one), x)
    if x.size > len(shape):
        check(lambda L, a: a.var(dims, keepdim=keep), x)
        check(lambda L, a: a.std(one, keepdim=keep, correction=0), x)
