"""ember.ops.reduce beyond the catalogue: the blocked reductions (var, std, norms) on inputs larger than a block, their
peak memory, and forward mode through a small model as in PyTorch's forward-AD tutorial."""

from __future__ import annotations

import gc
import math
import tracemalloc

import numpy as np
import pytest

import ember
from ember.ops import reduce as R


def peak_bytes(fn):
    """The largest amount of memory traced while ``fn()`` runs (NumPy reports its arrays to tracemalloc)."""
    gc.collect()
    tracemalloc.start()
    try:
        out = fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del out
    return peak


# -- the blocked path gives the values a float64 NumPy computation gives ----------------------------------------------

def _np_norm(a, p, axis, keepdims):
    a = np.abs(a.astype(np.float64))
    if p == math.inf:
        return a.max(axis=axis, keepdims=keepdims)
    if p == -math.inf:
        return a.min(axis=axis, keepdims=keepdims)
    if p == 0:
        return (a != 0).sum(axis=axis, keepdims=keepdims).astype(np.float64)
    return (a ** p).sum(axis=axis, keepdims=keepdims) ** (1 / p)


CASES = [((5, 7, 3), None, False), ((5, 7, 3), 1, False), ((5, 7, 3), (0, 2), True), ((5, 7, 3), 0, True),
         ((41,), None, False), ((3, 11), 1, True), ((11, 3), 0, False), ((4, 9, 2), (1,), False)]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("block", [7, 64, 1 << 16])
@pytest.mark.parametrize("shape,dim,keepdim", CASES)
def test_blocked_reductions_equal_float64_numpy(shape, dim, keepdim, block, dtype, monkeypatch):
    """Blocks smaller than the input (7 elements: many blocks along a reduced or a kept axis) give the one-block
    values; the reference is NumPy in float64."""
    monkeypatch.setattr(R, "_BLOCK", block)
    rng = np.random.default_rng(sum(shape) + block)
    a = (rng.standard_normal(shape) * 3 + 1).astype(dtype)
    a.reshape(-1)[::5] = 0  # zeros for the 0-norm
    x = ember.tensor(a)
    axis = dim if dim is None or isinstance(dim, tuple) else (dim,)
    tol = dict(rtol=2e-6, atol=1e-6) if dtype == np.float32 else dict(rtol=1e-12, atol=1e-12)
    a64 = a.astype(np.float64)
    for c in (0, 1):
        want = a64.var(axis=axis, ddof=c, keepdims=keepdim)
        np.testing.assert_allclose(x.var(dim, keepdim=keepdim, correction=c).numpy(), want, **tol)
        np.testing.assert_allclose(x.std(dim, keepdim=keepdim, correction=c).numpy(), np.sqrt(want), **tol)
        v, m = ember.var_mean(x, dim, keepdim=keepdim, correction=c)
        np.testing.assert_allclose(v.numpy(), want, **tol)
        np.testing.assert_allclose(m.numpy(), a64.mean(axis=axis, keepdims=keepdim), **tol)
    for p in (2, 1, 3, 0.5, math.inf, -math.inf, 0):
        got = x.norm(p, dim, keepdim=keepdim).numpy()
        assert got.dtype == dtype
        np.testing.assert_allclose(got, _np_norm(a, p, axis, keepdim), rtol=tol["rtol"] * 5, atol=tol["atol"],
                                   err_msg=f"p={p}")
    # a non-contiguous input
    y, ya = (x.t(), a64.T) if x.ndim == 2 else (x.transpose(0, 2), a64.transpose(2, 1, 0)) if x.ndim == 3 else \
        (x[::2], a64[::2])
    np.testing.assert_allclose(y.var(0).numpy(), ya.var(axis=0, ddof=1), **tol)
    np.testing.assert_allclose(y.norm(dim=0).numpy(), np.sqrt((ya ** 2).sum(0)), **tol)


def test_blocked_reduction_of_a_large_input_equals_numpy():
    """One input larger than the real block (4.2e5 elements), reduced over each axis and over all."""
    rng = np.random.default_rng(3)
    a = rng.standard_normal((700, 600)).astype(np.float32) + 2
    x = ember.tensor(a)
    a64 = a.astype(np.float64)
    for dim, axis in ((None, None), (0, 0), (1, 1)):
        np.testing.assert_allclose(x.var(dim).numpy(), a64.var(axis=axis, ddof=1), rtol=2e-6)
        np.testing.assert_allclose(x.norm(dim=dim).numpy(), np.sqrt((a64 ** 2).sum(axis=axis)), rtol=2e-6)


# -- peak memory, relative to the input's size ------------------------------------------------------------------------

N = 1 << 22  # 4M floats: 16 MB


@pytest.fixture(scope="module")
def big():
    return ember.tensor(np.random.default_rng(0).standard_normal((2048, 2048)).astype(np.float32))


def test_the_peak_measure_sees_numpy_temporaries(big):
    """The measurement itself: two live temporaries of the input's size weigh twice its size."""
    a = big._data
    assert peak_bytes(lambda: (a - 1.0, a * 2.0)) >= 1.9 * a.nbytes
    assert peak_bytes(lambda: a.sum()) < 0.01 * a.nbytes


@pytest.mark.parametrize("name,fn", [
    ("std", lambda x: x.std()), ("var", lambda x: x.var()), ("norm", lambda x: x.norm()),
    ("norm(1)", lambda x: x.norm(1)), ("norm(3)", lambda x: x.norm(3)), ("norm(inf)", lambda x: x.norm(math.inf)),
    ("var(0)", lambda x: x.var(0)), ("std(1)", lambda x: x.std(1)), ("std_mean(1)", lambda x: ember.std_mean(x, 1)),
    ("norm(dim=1)", lambda x: x.norm(dim=1)), ("var_mean", lambda x: ember.var_mean(x)),
])
def test_var_std_norm_make_no_input_sized_temporary(big, name, fn):
    """PyTorch computes these without a temporary of the input's size; ember's blocks keep the peak under 10%."""
    assert big.numel() == N
    peak = peak_bytes(lambda: fn(big))
    assert peak < 0.1 * big._data.nbytes, f"{name}: peak {peak / big._data.nbytes:.2f} x the input"


def test_var_of_an_input_that_requires_grad_keeps_no_copy(big):
    x = big.detach().requires_grad_()
    assert peak_bytes(lambda: x.std()) < 0.1 * x._data.nbytes


@pytest.mark.parametrize("name,fn,outputs", [
    ("softmax", lambda x: x.softmax(1), 1), ("softmax(0)", lambda x: x.softmax(0), 1),
    ("log_softmax", lambda x: x.log_softmax(1), 1), ("log_softmax(0)", lambda x: x.log_softmax(0), 1),
    ("logsumexp", lambda x: x.logsumexp(1), 0), ("logsumexp(all)", lambda x: x.logsumexp((0, 1)), 0),
])
def test_softmax_family_makes_at_most_one_temporary_besides_the_output(big, name, fn, outputs):
    nbytes = big._data.nbytes
    peak = peak_bytes(lambda: fn(big))
    assert peak < (outputs + 1.1) * nbytes, f"{name}: peak {peak / nbytes:.2f} x the input"


def test_softmax_computes_in_its_output(big):
    """softmax has no temporary at all besides its output (its exp and division run in the output's buffer)."""
    assert peak_bytes(lambda: big.softmax(1)) < 1.1 * big._data.nbytes


# -- forward mode through a model, as in PyTorch's forward-AD tutorial -------------------------------------------------

def _tutorial(lib):
    """nn.Linear with dual parameters, then the family's ops on its output: (label, primal, tangent) triples."""
    fwAD = lib.autograd.forward_ad
    lib.manual_seed(0)
    model = lib.nn.Linear(5, 5)
    inp = lib.randn(16, 5)
    params = dict(model.named_parameters())
    tangents = {name: lib.rand_like(p) for name, p in params.items()}
    out = []
    with fwAD.dual_level():
        for name, p in params.items():
            delattr(model, name)
            setattr(model, name, fwAD.make_dual(p, tangents[name]))
        y = model(inp)
        for label, r in [("mean", y.mean()), ("sum(1)", y.sum(1)), ("std", y.std()), ("var(0)", y.var(0)),
                         ("norm", y.norm()), ("norm(1, dim=1)", y.norm(1, dim=1)), ("logsumexp", y.logsumexp(1)),
                         ("softmax", y.softmax(1)), ("log_softmax", y.log_softmax(-1)), ("cumsum", y.cumsum(0)),
                         ("cumprod", y[:4].cumprod(0)), ("sort", y.sort(1).values), ("topk", y.topk(2).values),
                         ("amax", y.amax(0)), ("max(1)", y.max(1).values), ("prod(1)", y[:3].prod(1)),
                         ("var_mean", lib.var_mean(y, 0)[0]), ("std_mean", lib.std_mean(y, 1)[1]),
                         ("logcumsumexp", y.logcumsumexp(0)), ("median", y.median()),
                         ("kthvalue", y.kthvalue(2, 0).values), ("cummax", y.cummax(0).values),
                         ("renorm", y.renorm(2, 0, 1.0)), ("nansum", y.nansum()), ("aminmax", lib.aminmax(y).max),
                         ("cross_entropy", lib.nn.functional.cross_entropy(y, lib.arange(16) % 5))]:
            primal, tangent = fwAD.unpack_dual(r)
            out.append((label, primal.detach().numpy(), tangent.detach().numpy()))
    return out


def test_forward_ad_tutorial_program_gives_pytorchs_tangents():
    torch = pytest.importorskip("torch")
    got, want = _tutorial(ember), _tutorial(torch)
    for (label, p, t), (_, wp, wt) in zip(got, want):
        np.testing.assert_allclose(p, wp, rtol=1e-5, atol=1e-6, err_msg=f"{label}: primal")
        np.testing.assert_allclose(t, wt, rtol=1e-4, atol=1e-5, err_msg=f"{label}: tangent")


def test_kthvalue_ties_pick_pytorchs_quickselect_index():
    # PyTorch 2.13's CPU kthvalue runs a median-of-three quickselect, which decides which of several equal values
    # it reports; these indices were printed by PyTorch (the first row also traced by hand through its loop).
    x = ember.tensor([[1., 5, 1], [2, 2, 2], [0, 1, 0], [float("nan"), 1, float("nan")]])
    assert x.kthvalue(2, 1).indices.tolist() == [0, 0, 0, 0]
    assert x.kthvalue(1, 1).indices.tolist() == [2, 1, 2, 1]
    assert x.kthvalue(3, 1).indices.tolist() == [1, 2, 1, 2]
    y = ember.tensor([1, 0, 1, 0, 1, 1, 0, 1])
    assert [y.kthvalue(k).indices.item() for k in range(1, 9)] == [3, 1, 6, 5, 0, 2, 4, 7]
    assert ember.tensor([4., 1, 3]).kthvalue(2).indices.item() == 2  # no tie: the one position


def test_empty_reductions_warn_as_pytorch():
    # PyTorch 2.13: mean over an empty dim is NaN with no warning; var/std warn whenever the input is empty (its
    # reduction factor, numel / output numel, is then 0); quantile refuses an empty input first
    import warnings
    e = ember.ones(0, 3)
    with warnings.catch_warnings(record=True) as got:
        warnings.simplefilter("always")
        r = e.mean(0)
        assert ember.ones(2, 0).mean(1).isnan().all().item()
    assert not got and r.shape == (3,) and r.isnan().all().item()
    for fn, name in ((lambda: e.std(1), "std"), (lambda: e.var(0), "var")):
        with pytest.warns(UserWarning, match=f"^{name}\\(\\): degrees of freedom is <= 0"):
            fn()
    for x in (ember.ones(0), ember.ones(0, dtype=ember.int64)):
        with pytest.raises(RuntimeError, match=r"^quantile\(\) input tensor must be non-empty$"):
            x.quantile(0.5)


def test_linalg_norm_string_ord_needs_1d_or_2d_without_dim():
    # PyTorch 2.13 checks the input's dims before the kind of ord: 'fro' on a 3-D input without dim is refused
    x = ember.ones(2, 2, 2)
    for ord_ in ("fro", "nuc", 2):
        with pytest.raises(RuntimeError, match=r"^linalg.norm: If dim is not specified but ord is, the input must "
                                               r"be 1D or 2D. Got 3D.$"):
            ember.linalg.norm(x, ord=ord_)
    assert ember.linalg.norm(x, "fro", dim=(1, 2)).tolist() == [2.0, 2.0]
    assert ember.linalg.norm(ember.ones(2, 2), "fro").item() == 2.0


def test_unique_keeps_each_nan():
    # PyTorch 2.13 (NaN != NaN): torch.unique(tensor([nan, 1., nan]), return_inverse=True, return_counts=True)
    # is (tensor([1., nan, nan]), tensor([1, 0, 2]), tensor([1, 1, 1]))
    n = float("nan")
    u, inv, cnt = ember.unique(ember.tensor([n, 1., n]), return_inverse=True, return_counts=True)
    assert u[0].item() == 1.0 and u[1:].isnan().all().item() and u.shape == (3,)
    assert inv.tolist() == [1, 0, 2] and cnt.tolist() == [1, 1, 1]
    assert ember.tensor([3, 1, 3]).unique(return_counts=True)[1].tolist() == [1, 2]
