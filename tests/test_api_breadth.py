"""The wider torch API (special functions, linalg, statistics, legacy types, distributions, testing) against
PyTorch as the oracle: values, dtypes, shapes, grad_fn names and gradients."""

import importlib.util
import math

import numpy as np
import pytest

import ember

torch = pytest.importorskip("torch")

RNG = np.random.default_rng(7)


def _lib_tensor(lib, a, rg):
    t = lib.tensor(a)
    return t.requires_grad_(True) if rg else t


def _compare(fn, arrays, grad=True, rtol=None, atol=None, check_node=True):
    """run fn(lib, *tensors) in torch and ember; compare outputs, dtypes, grad_fn names and input gradients"""
    ins_t = [_lib_tensor(torch, a, grad and a.dtype.kind == "f") for a in arrays]
    ins_e = [_lib_tensor(ember, a, grad and a.dtype.kind == "f") for a in arrays]
    out_t, out_e = fn(torch, *ins_t), fn(ember, *ins_e)
    outs_t = out_t if isinstance(out_t, (tuple, list)) else (out_t,)
    outs_e = out_e if isinstance(out_e, (tuple, list)) else (out_e,)
    assert len(outs_t) == len(outs_e)
    tol = {} if rtol is None else {"rtol": rtol, "atol": atol}
    for a, b in zip(outs_t, outs_e):
        assert str(b.dtype) == str(a.dtype)
        assert tuple(b.shape) == tuple(a.shape)
        np.testing.assert_allclose(b.detach().numpy(), a.detach().numpy(), **(tol or {"rtol": 2e-5, "atol": 1e-6}),
                                   equal_nan=True)
        if check_node and a.grad_fn is not None:
            assert type(b.grad_fn).__name__ == type(a.grad_fn).__name__
    if grad and outs_t[0].grad_fn is not None:
        w = RNG.standard_normal(tuple(outs_t[0].shape))
        (outs_t[0] * torch.tensor(w, dtype=outs_t[0].dtype)).sum().backward()
        (outs_e[0] * ember.tensor(w, dtype=outs_e[0].dtype)).sum().backward()
        for x, y in zip(ins_t, ins_e):
            if x.grad is not None:
                np.testing.assert_allclose(y.grad.numpy(), x.grad.numpy(), rtol=1e-4, atol=1e-5)


def _r(*shape, dtype=np.float64, lo=-2.0, hi=2.0):
    return RNG.uniform(lo, hi, shape).astype(dtype)


DTYPES = [np.float32, np.float64]


# -- special functions ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("dt", DTYPES)
@pytest.mark.parametrize("name,lo,hi", [("erfc", -2, 2), ("erfinv", -0.95, 0.95), ("lgamma", 0.2, 4),
                                        ("digamma", 0.2, 4), ("sinc", -2, 2), ("i0", -2, 2)])
def test_special_unary(name, lo, hi, dt):
    x = _r(3, 4, dtype=dt, lo=lo, hi=hi)
    _compare(lambda L, a: getattr(L, name)(a), [x])
    _compare(lambda L, a: getattr(a, name)(), [x])


def test_special_namespace_and_polygamma():
    x = _r(5, lo=0.5, hi=3)
    for n in (1, 2):
        _compare(lambda L, a, n=n: L.polygamma(n, a), [x])
    for name in ("expit", "erfc", "erfinv", "gammaln", "digamma", "psi", "ndtr", "log_ndtr", "i0e", "i1", "i1e",
                 "entr", "sinc", "xlog1py", "erfcx", "ndtri"):
        args = [x / 4] if name in ("erfinv", "ndtri") else [x, x] if name == "xlog1py" else [x]
        _compare(lambda L, *a, name=name: getattr(L.special, name)(*a), args, check_node=False)
    _compare(lambda L, a: L.mvlgamma(a, 3), [x + 2])
    _compare(lambda L, a, b: L.igamma(a, b), [x, x + 0.5], grad=False)


def test_sinc_at_zero_and_lgamma_poles():
    x = np.array([0.0, 1.0, -1.0, 0.5])
    _compare(lambda L, a: L.sinc(a), [x])
    _compare(lambda L, a: L.lgamma(a), [np.array([0.0, -1.0, 1.0, 2.5, -0.5])], grad=False)


# -- elementwise odds and ends -------------------------------------------------------------------------------

def test_elementwise_misc():
    x = np.array([-1.5, 0.0, 2.0, 0.0])
    v = np.array([0.5, 0.25, 0.5, 0.75])
    _compare(lambda L, a, b: L.heaviside(a, b), [x, v], grad=False)
    i, j = np.array([12, 18, -4, 0]), np.array([8, 27, 6, 5])
    _compare(lambda L, a, b: L.gcd(a, b), [i, j])
    _compare(lambda L, a, b: L.lcm(a, b), [i, j])
    _compare(lambda L, a, b: L.nextafter(a, b), [x.astype(np.float32), v.astype(np.float32)], grad=False, rtol=0,
             atol=0)
    _compare(lambda L, a: L.frexp(a), [_r(6)], grad=False)
    _compare(lambda L, a, e: L.ldexp(a, e), [_r(4), np.array([1, 2, -1, 0])])
    _compare(lambda L, a, b: L.logaddexp2(a, b), [_r(4), _r(4)])
    _compare(lambda L, a: L.angle(a), [np.array([-1.0, 2.0, 0.0])])
    _compare(lambda L, a: L.isin(a, L.tensor([1, 3])), [np.array([1, 2, 3, 4])])
    _compare(lambda L, a: L.view_as_real(L.view_as_complex(a)), [_r(3, 2)], grad=False)
    _compare(lambda L, a: L.true_divide(a, 2), [_r(3)])
    _compare(lambda L, a: L.negative(a), [_r(3)])
    with pytest.raises(NotImplementedError):
        ember.gcd(ember.tensor([1.0]), ember.tensor([2.0]))


# -- products ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("dt", DTYPES)
def test_products(dt):
    a, b = _r(3, 4, 5, dtype=dt), _r(4, 5, 2, dtype=dt)
    _compare(lambda L, x, y: L.tensordot(x, y, 2), [a, b], check_node=False)
    _compare(lambda L, x, y: L.tensordot(x, y, ([1], [0])), [a, b], check_node=False)
    _compare(lambda L, x, y: L.kron(x, y), [_r(2, 3, dtype=dt), _r(3, 2, dtype=dt)], check_node=False)
    _compare(lambda L, x, y: L.kron(x, y), [_r(2, dtype=dt), _r(2, 3, dtype=dt)], check_node=False)
    _compare(lambda L, x, y: L.inner(x, y), [_r(2, 3, dtype=dt), _r(4, 3, dtype=dt)], check_node=False)
    _compare(lambda L, x, y: L.vdot(x, y), [_r(4, dtype=dt), _r(4, dtype=dt)])
    _compare(lambda L, m, x, y: L.addr(m, x, y, beta=0.5, alpha=2), [_r(3, 2, dtype=dt), _r(3, dtype=dt),
                                                                     _r(2, dtype=dt)])
    _compare(lambda L, m: L.matrix_power(m, 3), [_r(3, 3, dtype=dt)], check_node=False)
    _compare(lambda L, m: L.linalg.multi_dot([m, m.t(), m]), [_r(3, 3, dtype=dt)], check_node=False)
    _compare(lambda L, x: L.linalg.vecdot(x, x), [_r(2, 3, dtype=dt)], check_node=False)
    with pytest.raises(RuntimeError, match="contracted dimensions need to match"):
        ember.tensordot(ember.zeros(2, 3), ember.zeros(2, 3), 1)


# -- linear algebra ------------------------------------------------------------------------------------------

def _well_conditioned(n, dt=np.float64, batch=()):
    return (RNG.standard_normal(batch + (n, n)) + 3 * np.eye(n)).astype(dt)


@pytest.mark.parametrize("dt", DTYPES)
def test_linalg_with_gradients(dt):
    a = _well_conditioned(3, dt)
    tol = {"rtol": 1e-4, "atol": 1e-5}
    _compare(lambda L, m: L.inverse(m), [a], **tol)
    _compare(lambda L, m: L.linalg.inv(m), [_well_conditioned(3, dt, (2,))], **tol)
    _compare(lambda L, m: L.det(m), [a], **tol)
    _compare(lambda L, m: L.linalg.det(m), [_well_conditioned(3, dt, (2,))], **tol)
    _compare(lambda L, m: L.linalg.slogdet(m)[1], [a], **tol)
    _compare(lambda L, m: L.linalg.slogdet(m)[0], [a], grad=False)
    _compare(lambda L, m, b: L.linalg.solve(m, b), [a, _r(3, 2, dtype=dt)], **tol)
    _compare(lambda L, m, b: L.linalg.solve(m, b), [a, _r(3, dtype=dt)], **tol)
    _compare(lambda L, m: L.logdet(m @ m.mT), [a], check_node=False, **tol)


def test_inverse_gradcheck():
    a = ember.tensor(_well_conditioned(3), requires_grad=True)
    b = ember.tensor(_r(3, 2), requires_grad=True)
    assert ember.autograd.gradcheck(ember.inverse, (a,))
    assert ember.autograd.gradcheck(ember.det, (a,))
    assert ember.autograd.gradcheck(ember.linalg.solve, (a, b))


def test_linalg_decompositions_reconstruct():
    a = _well_conditioned(4)
    s = a @ a.T
    for L in (torch, ember):
        t = L.tensor(a)
        u, sv, vh = L.linalg.svd(t, full_matrices=False)
        np.testing.assert_allclose((u * sv.unsqueeze(0) @ vh).numpy(), a, atol=1e-10)
        q, r = L.linalg.qr(t)
        np.testing.assert_allclose((q @ r).numpy(), a, atol=1e-10)
        w, v = L.linalg.eigh(L.tensor(s))
        np.testing.assert_allclose((v @ L.diag(w) @ v.T).numpy(), s, atol=1e-9)
        c = L.linalg.cholesky(L.tensor(s))
        np.testing.assert_allclose((c @ c.T).numpy(), s, atol=1e-9)
        u2, s2, v2 = L.svd(t)
        np.testing.assert_allclose((u2 @ L.diag(s2) @ v2.T).numpy(), a, atol=1e-10)
    _compare(lambda L, m: L.linalg.svdvals(m), [a], grad=False)
    _compare(lambda L, m: L.linalg.eigvalsh(m), [s], grad=False)
    _compare(lambda L, m: L.linalg.pinv(m), [_r(4, 3)], grad=False)
    _compare(lambda L, m: L.pinverse(m), [_r(4, 3)], grad=False)
    _compare(lambda L, m: L.linalg.matrix_rank(m), [np.outer(_r(4), _r(3))], grad=False)
    _compare(lambda L, m: L.matrix_exp(m), [_r(3, 3)], grad=False, rtol=1e-9, atol=1e-10)
    _compare(lambda L, m: L.linalg.matrix_norm(m, ord=1), [_r(3, 4)], check_node=False)
    _compare(lambda L, m: L.linalg.norm(m, ord=math.inf), [_r(3, 4)], check_node=False)
    _compare(lambda L, m: L.linalg.norm(m), [_r(3, 4)], check_node=False)
    _compare(lambda L, m, b: L.linalg.lstsq(m, b).solution, [_r(5, 3), _r(5, 2)], grad=False)
    _compare(lambda L, m, b: L.cholesky_solve(b, L.linalg.cholesky(m)), [s, _r(4, 2)], grad=False)
    ev = ember.linalg.eigvals(ember.tensor(s))
    assert ev.dtype == ember.complex128
    np.testing.assert_allclose(np.sort(ev.numpy().real), np.sort(np.linalg.eigvalsh(s)), atol=1e-9)


def test_linalg_errors():
    with pytest.raises(RuntimeError, match="square"):
        ember.linalg.inv(ember.zeros(2, 3))
    with pytest.raises(RuntimeError, match="singular"):
        ember.linalg.inv(ember.zeros(2, 2))
    with pytest.raises(RuntimeError, match="at least 2 dimensions"):
        ember.det(ember.zeros(3))


# -- statistics ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("dt", DTYPES)
def test_statistics(dt):
    x = _r(3, 7, dtype=dt)
    _compare(lambda L, a: L.cov(a), [x], check_node=False)
    _compare(lambda L, a: L.cov(a, correction=0), [x], check_node=False)
    _compare(lambda L, a, w: L.cov(a, aweights=w.detach().abs()), [x, _r(7, dtype=dt)], check_node=False)
    _compare(lambda L, a: L.corrcoef(a), [x], check_node=False, rtol=1e-4, atol=1e-5)
    _compare(lambda L, a: L.cov(a[0]), [x], check_node=False)
    for interp in ("linear", "lower", "higher", "midpoint", "nearest"):
        _compare(lambda L, a, i=interp: L.quantile(a, 0.3, dim=1, interpolation=i), [x], check_node=False)
    _compare(lambda L, a: L.quantile(a, L.tensor([0.1, 0.5, 0.9], dtype=a.dtype)), [x], check_node=False)
    _compare(lambda L, a: L.quantile(a, 0.75, dim=0, keepdim=True), [x], check_node=False)
    xn = x.copy()
    xn[0, 2] = np.nan
    _compare(lambda L, a: L.nanquantile(a, 0.4, dim=1), [xn], check_node=False)
    _compare(lambda L, a: L.quantile(a, 0.4, dim=1), [xn], grad=False)
    _compare(lambda L, a: L.nanmedian(a), [xn], grad=False)
    _compare(lambda L, a: tuple(L.nanmedian(a, 1)), [xn], grad=False)
    _compare(lambda L, a: tuple(L.aminmax(a, dim=1)), [x], check_node=False)
    _compare(lambda L, a: tuple(L.aminmax(a)), [x], check_node=False)
    _compare(lambda L, a: tuple(L.histogram(a, bins=4)), [x], grad=False)
    _compare(lambda L, a: L.argwhere(a > 0), [x], grad=False)


def test_quantile_errors():
    with pytest.raises(RuntimeError, match=r"q must be in the range \[0, 1\] but got 1.5"):  # PyTorch's message
        ember.quantile(ember.zeros(3), 1.5)
    with pytest.raises(RuntimeError, match="q values must be in the range"):
        ember.quantile(ember.zeros(3), ember.tensor([0.5, 1.5]))
    with pytest.raises(RuntimeError, match="float or double"):
        ember.quantile(ember.arange(3), 0.5)


# -- searching / rearranging -----------------------------------------------------------------------------------

def test_unique_consecutive_and_combinations():
    x = np.array([1, 1, 2, 2, 3, 1, 1, 2])
    _compare(lambda L, a: L.unique_consecutive(a, return_inverse=True, return_counts=True), [x])
    m = np.array([[1, 1], [1, 1], [2, 3], [2, 3], [1, 1]])
    _compare(lambda L, a: L.unique_consecutive(a, return_counts=True, dim=0), [m])
    v = _r(4)
    _compare(lambda L, a: L.combinations(a), [v], check_node=False)
    _compare(lambda L, a: L.combinations(a, 3, with_replacement=True), [v], check_node=False)


def test_splits_and_stacks():
    x = _r(4, 6, 2)
    for name in ("hsplit", "vsplit", "dsplit"):
        _compare(lambda L, a, name=name: getattr(L, name)(a, 2), [x], check_node=False)
    _compare(lambda L, a: L.hsplit(a, [1, 4]), [x], check_node=False)
    _compare(lambda L, a, b: L.row_stack([a, b]), [_r(3), _r(3)], check_node=False)
    with pytest.raises(RuntimeError, match="not divisible"):
        ember.hsplit(ember.zeros(4, 5), 2)


def test_scatter_reduce_and_friends():
    idx = np.array([0, 1, 0, 2, 1])
    src = _r(5)
    for red in ("sum", "prod", "mean", "amax", "amin"):
        for incl in (True, False):
            _compare(lambda L, x, s, r=red, i=incl: L.scatter_reduce(x, 0, L.tensor(idx), s, r, include_self=i),
                     [_r(3), src], grad=False)
    idx2 = np.array([[0, 1], [1, 0]])
    _compare(lambda L, x, s: x.scatter_reduce(1, L.tensor(idx2), s, "sum"), [_r(2, 3), _r(2, 2)], grad=False)
    _compare(lambda L, x: L.unravel_index(L.tensor([4, 7, 11]), (3, 4)), [_r(1)], grad=False)
    _compare(lambda L, x: x.put(L.tensor([0, 5]), L.tensor([9.0, 8.0], dtype=x.dtype)), [_r(2, 3)], grad=False)


def test_trapezoid_gradient_renorm_pdist_diagflat():
    y, xs = _r(3, 5), np.sort(_r(5))
    _compare(lambda L, a: L.trapezoid(a), [y], check_node=False)
    _compare(lambda L, a: L.trapezoid(a, dx=0.5, dim=0), [y], check_node=False)
    _compare(lambda L, a, b: L.trapezoid(a, b), [y, xs], check_node=False)
    _compare(lambda L, a: L.cumulative_trapezoid(a), [y], check_node=False)
    _compare(lambda L, a: L.gradient(a), [y], grad=False)
    _compare(lambda L, a: L.gradient(a, spacing=2.0, dim=1), [y], grad=False)
    _compare(lambda L, a: L.renorm(a, 2, 0, 1.0), [y], rtol=1e-5, atol=1e-6)
    _compare(lambda L, a: L.pdist(a), [_r(4, 3)])
    _compare(lambda L, a: L.diagflat(a, 1), [_r(3)])


# -- creation, legacy types, misc ------------------------------------------------------------------------------

def test_creation_and_windows():
    for L in (torch, ember):
        assert L.scalar_tensor(3).dtype == L.float32
    np.testing.assert_array_equal(ember.scalar_tensor(3, dtype=ember.int64).numpy(), 3)
    assert ember.empty_strided((2, 3), (3, 1)).shape == (2, 3)
    for name in ("hann_window", "hamming_window", "blackman_window", "bartlett_window", "kaiser_window"):
        for periodic in (True, False):
            a = getattr(torch, name)(8, periodic).numpy()
            b = getattr(ember, name)(8, periodic).numpy()
            np.testing.assert_allclose(b, a, atol=1e-6)


def test_legacy_tensor_types():
    for name in ("FloatTensor", "DoubleTensor", "LongTensor", "IntTensor", "BoolTensor", "ByteTensor"):
        tt, et = getattr(torch, name), getattr(ember, name)
        a, b = tt([1, 0, 2]), et([1, 0, 2])
        assert str(b.dtype) == str(a.dtype)
        np.testing.assert_array_equal(b.numpy(), a.numpy())
        assert tuple(et(2, 3).shape) == tuple(tt(2, 3).shape)
        assert isinstance(b, et) and isinstance(b, ember.Tensor)
    x = ember.tensor([1.5, 2.5])
    assert not isinstance(x, ember.LongTensor)
    assert x.type(ember.LongTensor).dtype == ember.int64
    assert x.type("torch.DoubleTensor").dtype == ember.float64
    assert x.type() == "torch.FloatTensor"
    assert ember.Tensor(2, 3).shape == (2, 3)
    assert x.new(2).dtype == ember.float32
    ember.set_default_tensor_type(ember.DoubleTensor)
    try:
        assert ember.zeros(1).dtype == ember.float64
    finally:
        ember.set_default_tensor_type("torch.FloatTensor")
    assert ember.zeros(1).dtype == ember.float32


def test_top_level_functional_aliases():
    x = _r(2, 3, 6, 6, dtype=np.float32)
    w = _r(4, 3, 3, 3, dtype=np.float32)
    _compare(lambda L, a, k: L.conv2d(a, k, padding=1), [x, w], check_node=False, rtol=1e-4, atol=1e-5)
    _compare(lambda L, a: L.max_pool2d(a, 2), [x], check_node=False)
    _compare(lambda L, a: L.layer_norm(a, (6,)), [x], check_node=False, rtol=1e-4, atol=1e-5)
    _compare(lambda L, a: L.batch_norm(a, None, None, None, None, True, 0.1, 1e-5, False), [x],
             check_node=False, rtol=1e-4, atol=1e-5)
    _compare(lambda L, wt: L.embedding(wt, L.tensor([[0, 2], [1, 1]])), [_r(3, 4, dtype=np.float32)],
             check_node=False)
    _compare(lambda L, a, t: L.binary_cross_entropy_with_logits(a, t.detach().sigmoid(), None, None, 1),
             [_r(5, dtype=np.float32), _r(5, dtype=np.float32)], check_node=False)
    _compare(lambda L, a: L.selu(a), [_r(5)], check_node=False)
    _compare(lambda L, a: L.dropout(a, 0.5, False), [_r(5)], check_node=False)
    _compare(lambda L, a: L.channel_shuffle(a, 3), [_r(1, 6, 2, 2)], check_node=False)
    _compare(lambda L, a, b, c: L.triplet_margin_loss(a, b, c), [_r(4, 3), _r(4, 3), _r(4, 3)], check_node=False)
    _compare(lambda L, a, t: L.hinge_embedding_loss(a, t.sign()), [_r(5), _r(5)], grad=False)


def test_tensor_methods():
    x = _r(3, 4)
    _compare(lambda L, a: a.clone().exp2_(), [x], check_node=False)
    _compare(lambda L, a: a.clone().sinc_(), [x], check_node=False)
    _compare(lambda L, a: a.detach().clone().eq_(a.detach().round()), [x], grad=False)
    _compare(lambda L, a: a.detach().clone().logical_and_(a.detach() > 0), [x], grad=False)
    _compare(lambda L, a: a.adjoint(), [x], check_node=False)
    _compare(lambda L, a: a.ravel(), [x], check_node=False)
    _compare(lambda L, a: a.narrow_copy(1, 1, 2), [x], check_node=False)
    _compare(lambda L, a: a.detach().clone().apply_(lambda v: v * 2 + 1), [x], grad=False)
    _compare(lambda L, a: a.detach().clone().map_(a.detach()[0], lambda u, v: u - v), [x], grad=False)
    _compare(lambda L, a: a.detach().clone().resize_(2, 3), [x], grad=False)
    _compare(lambda L, a: a.detach().as_strided((2, 2), (1, 2)), [x], grad=False)
    _compare(lambda L, a: a.clone().cumsum_(1), [x], check_node=False)
    _compare(lambda L, a: a.histc(bins=5, min=-2, max=2), [x], grad=False)
    t = ember.tensor(x)
    assert t.is_same_size(t) and t.is_signed() and not t.is_conj() and t.is_cpu
    assert t.is_set_to(t) and not t.is_set_to(t.clone())
    with pytest.raises(RuntimeError, match="requires grad"):
        ember.zeros(2, requires_grad=True).apply_(lambda v: v)


def test_autocast_and_gradscaler_are_transparent():
    lin = ember.nn.Linear(3, 1)
    opt = ember.optim.SGD(lin.parameters(), lr=0.1)
    scaler = ember.amp.GradScaler()
    before = lin.weight.detach().clone()
    with ember.autocast("cpu", dtype=ember.bfloat16):
        loss = lin(ember.ones(2, 3)).sum()
    assert loss.dtype == ember.float32
    scaler.scale(loss).backward()
    scaler.step(opt)
    scaler.update()
    assert not ember.equal(before, lin.weight)


# -- distributions -----------------------------------------------------------------------------------------------

def _dist_pair(make):
    torch.manual_seed(0)
    ember.manual_seed(0)
    return make(torch), make(ember)


def _same(a, b, **kw):
    assert str(b.dtype) == str(a.dtype) and tuple(a.shape) == tuple(b.shape)
    np.testing.assert_allclose(b.detach().numpy(), a.detach().numpy(), rtol=1e-5, atol=1e-6, **kw)


def test_distributions_normal_uniform():
    loc, scale = _r(3, dtype=np.float32), _r(3, dtype=np.float32, lo=0.5, hi=2)
    dt, de = _dist_pair(lambda L: L.distributions.Normal(L.tensor(loc, requires_grad=True),
                                                         L.tensor(scale, requires_grad=True)))
    assert repr(de) == repr(dt)
    v = _r(3, dtype=np.float32)
    _same(dt.log_prob(torch.tensor(v)), de.log_prob(ember.tensor(v)))
    _same(dt.entropy(), de.entropy())
    _same(dt.cdf(torch.tensor(v)), de.cdf(ember.tensor(v)))
    st, se = dt.rsample((2,)), de.rsample((2,))
    _same(st, se)
    st.sum().backward()
    se.sum().backward()
    _same(dt.scale.grad, de.scale.grad)
    _same(dt.sample((4,)), de.sample((4,)))
    ut, ue = _dist_pair(lambda L: L.distributions.Uniform(0.0, 3.0))
    _same(ut.sample((5,)), ue.sample((5,)))
    _same(ut.log_prob(torch.tensor(1.0)), ue.log_prob(ember.tensor(1.0)))
    _same(ut.entropy(), ue.entropy())
    with pytest.raises(ValueError, match="GreaterThan"):
        ember.distributions.Normal(ember.tensor([0.0]), ember.tensor([-1.0]))


def test_distributions_categorical_bernoulli():
    logits = _r(2, 4, dtype=np.float32)
    ct, ce = _dist_pair(lambda L: L.distributions.Categorical(logits=L.tensor(logits)))
    _same(ct.sample(), ce.sample())
    _same(ct.sample((3,)), ce.sample((3,)))
    a = np.array([1, 3])
    _same(ct.log_prob(torch.tensor(a)), ce.log_prob(ember.tensor(a)))
    _same(ct.entropy(), ce.entropy())
    _same(ct.probs, ce.probs)
    probs = _r(4, dtype=np.float32, lo=0.05, hi=0.95)
    pt, pe = _dist_pair(lambda L: L.distributions.Categorical(probs=L.tensor(probs)))
    _same(pt.sample((6,)), pe.sample((6,)))
    bt, be = _dist_pair(lambda L: L.distributions.Bernoulli(probs=L.tensor(probs)))
    _same(bt.sample(), be.sample())
    _same(bt.log_prob(torch.tensor([1.0, 0.0, 1.0, 0.0])), be.log_prob(ember.tensor([1.0, 0.0, 1.0, 0.0])))
    _same(bt.entropy(), be.entropy())
    nt = torch.distributions.kl_divergence(torch.distributions.Normal(0.0, 1.0), torch.distributions.Normal(1.0, 2.0))
    ne = ember.distributions.kl_divergence(ember.distributions.Normal(0.0, 1.0),
                                           ember.distributions.Normal(1.0, 2.0))
    _same(nt, ne)


# -- testing.assert_close ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("pair", [([1.0, 2.0, 3.0], [1.0, 2.5, 3.0]), ([1, 2], [1, 3]), ([1.0, 2.0], [1.0, 2.000001]),
                                  ([1.0], [1.0, 2.0])])
def test_assert_close_matches_torch(pair):
    a, b = pair

    def outcome(L):
        try:
            L.testing.assert_close(L.tensor(a), L.tensor(b))
            return None
        except AssertionError as e:
            return str(e)
    assert outcome(ember) == outcome(torch)


# -- names ---------------------------------------------------------------------------------------------------

TOP_LEVEL = """abs absolute acos acosh add addbmm addcdiv addcmul addmm addmv addr all allclose amax amin aminmax angle
any arange arccos arccosh arcsin arcsinh arctan arctan2 arctanh argmax argmin argsort argwhere as_strided as_tensor
asarray asin asinh atan atan2 atanh atleast_1d atleast_2d atleast_3d autocast baddbmm bartlett_window batch_norm
bernoulli bfloat16 bincount binary_cross_entropy_with_logits bitwise_and bitwise_not bitwise_or bitwise_xor
blackman_window block_diag bmm bool broadcast_shapes broadcast_tensors broadcast_to bucketize cartesian_prod cat cdist
ceil cfloat chain_matmul cholesky cholesky_inverse cholesky_solve chunk clamp clamp_max clamp_min clip clone
column_stack combinations complex complex64 concat conv1d conv2d conv_transpose2d copysign corrcoef cos cosh
cosine_similarity count_nonzero cov cross cummax cummin cumprod cumsum cumulative_trapezoid deg2rad det detach
device diag diag_embed diagflat diagonal diff digamma dist div divide dot double dropout dsplit dstack dtype einsum
embedding empty empty_like empty_strided eq equal erf erfc erfinv exp exp2 expm1 eye finfo flatten flip fliplr flipud
float float16 float32 float64 float_power floor floor_divide fmax fmin fmod frac frexp from_numpy full full_like
gather gcd ge get_default_dtype get_rng_state gradient greater greater_equal gt hamming_window hann_window heaviside
histc histogram hsplit hstack hypot i0 iinfo imag index_add index_copy index_fill index_select inf inner int int16
int32 int64 int8 inverse is_complex is_floating_point is_grad_enabled is_nonzero is_same_size is_tensor isclose
isfinite isin isinf isnan isneginf isposinf isreal kron kthvalue layer_norm lcm ldexp le lerp less less_equal lgamma
linspace log log10 log1p log2 logaddexp logaddexp2 logcumsumexp logdet logical_and logical_not logical_or logical_xor
logit logspace logsumexp long lt manual_seed masked_fill masked_select matmul matrix_exp matrix_power max max_pool2d
maximum mean median meshgrid min minimum mm mode moveaxis movedim msort mul multinomial multiply mv mvlgamma nan
nan_to_num nanmean nanmedian nanquantile nansum narrow ne neg negative nextafter no_grad nonzero norm normal
not_equal numel ones ones_like outer pdist permute pi pinverse poisson polar polygamma pow prod qr quantile rad2deg
rand rand_like randint randint_like randn randn_like randperm ravel real reciprocal relu remainder renorm repeat_interleave
reshape result_type roll rot90 round row_stack rsqrt scalar_tensor scatter scatter_add scatter_reduce searchsorted
seed select selu set_default_dtype set_default_tensor_type set_grad_enabled set_printoptions sgn sigmoid sign signbit
sin sinc sinh slogdet softmax sort split sqrt square squeeze stack std std_mean sub subtract sum svd swapaxes t take
take_along_dim tan tanh tensor tensor_split tensordot tile topk trace transpose trapezoid trapz tril tril_indices triu
triu_indices true_divide trunc uint8 unbind unflatten unique unique_consecutive unravel_index unsqueeze vander var
var_mean vdot view_as_complex view_as_real vsplit vstack where xlogy zeros zeros_like FloatTensor DoubleTensor
LongTensor IntTensor BoolTensor ByteTensor Tensor Size Generator GradScaler""".split()

TENSOR = """abs abs_ absolute acos add add_ addbmm addcdiv addcmul addmm addmm_ addmv addr all allclose amax amin aminmax
angle any apply_ arccos argmax argmin argsort argwhere as_strided backward bernoulli bernoulli_ bfloat16 bool byte
cauchy_ ceil char chunk clamp clamp_ clip clone contiguous copy_ cos cpu cuda cumsum cumsum_ data data_ptr det
detach detach_ diag diagonal diff digamma dim dist div div_ dot double dtype element_size eq eq_ equal erf erfc erfinv
exp exp_ expand expand_as exponential_ fill_ fill_diagonal_ flatten flip float floor fmod frac gather ge geometric_
grad grad_fn gt half histc index_add_ index_fill_ index_put_ index_select inner int inverse is_contiguous is_cuda
is_floating_point is_leaf is_set_to isnan item kron kthvalue le lerp lgamma log log_normal_ log_softmax logdet
logical_and_ logical_not logical_or_ logsumexp long lt map_ masked_fill masked_fill_ masked_scatter_ matmul
matrix_power max maximum mean median min mm mul mul_ multinomial mv nan_to_num nan_to_num_ nanmedian nanquantile
narrow ndim ne neg new_empty new_full new_ones new_tensor new_zeros nonzero norm normal_ numel numpy permute pin_memory
pow prod put_ quantile random_ ravel reciprocal register_hook relu relu_ renorm repeat requires_grad requires_grad_
reshape resize_ resize_as_ retain_grad round rsqrt scatter scatter_ scatter_add_ scatter_reduce select sgn shape short
sigmoid sign sin sinc size slogdet softmax sort split sqrt square squeeze squeeze_ std stride sub sub_ sum sum_to_size
svd t t_ tanh to tolist topk trace transpose type type_as unbind unfold uniform_ unique unique_consecutive unsqueeze
unsqueeze_ var vdot view view_as where zero_""".split()

NN = """Module Linear Conv1d Conv2d ConvTranspose2d MaxPool2d AvgPool2d AdaptiveAvgPool2d BatchNorm1d BatchNorm2d
LayerNorm GroupNorm Dropout Dropout2d Embedding LSTM GRU RNN ReLU LeakyReLU GELU SiLU Sigmoid Tanh Softmax LogSoftmax
Sequential ModuleList ModuleDict Parameter ParameterList Flatten Unflatten Identity MSELoss L1Loss CrossEntropyLoss
NLLLoss BCELoss BCEWithLogitsLoss SmoothL1Loss HuberLoss KLDivLoss MultiheadAttention TransformerEncoder
TransformerEncoderLayer init functional utils""".split()

FUNCTIONAL = """relu leaky_relu gelu silu sigmoid tanh softmax log_softmax dropout linear conv1d conv2d max_pool2d avg_pool2d
adaptive_avg_pool2d batch_norm layer_norm embedding one_hot pad interpolate mse_loss l1_loss cross_entropy nll_loss
binary_cross_entropy binary_cross_entropy_with_logits smooth_l1_loss kl_div cosine_similarity normalize softplus
elu selu hardtanh logsigmoid softsign unfold fold scaled_dot_product_attention""".split()


@pytest.mark.parametrize("ns,names", [("", TOP_LEVEL), ("Tensor", TENSOR), ("nn", NN),
                                      ("nn.functional", FUNCTIONAL),
                                      ("optim", "SGD Adam AdamW RMSprop Adagrad lr_scheduler Optimizer".split()),
                                      ("utils.data", "Dataset DataLoader TensorDataset random_split Subset".split()),
                                      ("autograd", "grad backward Function gradcheck".split()),
                                      ("linalg", "norm vector_norm matrix_norm inv det solve svd qr eigh eig "
                                                 "cholesky pinv lstsq matrix_rank slogdet multi_dot".split()),
                                      ("special", "erf erfc erfinv expit logit gammaln digamma i0 xlogy".split()),
                                      ("distributions", "Normal Categorical Bernoulli Uniform".split()),
                                      ("testing", ["assert_close"]),
                                      ("nn.init", "xavier_uniform_ xavier_normal_ kaiming_uniform_ kaiming_normal_ "
                                                  "zeros_ ones_ constant_ normal_ uniform_ orthogonal_".split())])
def test_common_names_exist(ns, names):
    obj = ember
    for part in filter(None, ns.split(".")):
        obj = getattr(obj, part)
    missing = [n for n in names if not hasattr(obj, n)]
    assert not missing, f"ember.{ns} lacks {missing}"


# -- nn.functional additions ---------------------------------------------------------------------------------

@pytest.mark.parametrize("dt", DTYPES)
def test_functional_losses(dt):
    x, y = _r(4, 5, dtype=dt), _r(4, 5, dtype=dt, lo=0.1, hi=2)
    lbl = (RNG.uniform(size=(4, 5)) > 0.5).astype(dt)
    tgt = np.array([0, 4, 2, 1])

    def fn(name):
        return lambda L: getattr(L.nn.functional, name)
    _compare(lambda L, a, v: fn("gaussian_nll_loss")(L)(a, a.detach() * 0.5, v), [x, y], check_node=False)
    _compare(lambda L, a, v: fn("gaussian_nll_loss")(L)(a, a.detach() * 0.5, v[:, 0], full=True, reduction="sum"),
             [x, y], check_node=False)
    _compare(lambda L, a, t: fn("multilabel_soft_margin_loss")(L)(a, t), [x, lbl], check_node=False)
    _compare(lambda L, a: fn("multi_margin_loss")(L)(a, L.tensor(tgt)), [x], check_node=False)
    _compare(lambda L, a, w: fn("multi_margin_loss")(L)(a, L.tensor(tgt), p=2, weight=w.detach(), reduction="none"),
             [x, _r(5, dtype=dt, lo=0, hi=1)], check_node=False)
    _compare(lambda L, a: fn("hinge_embedding_loss")(L)(a, L.tensor([1.0, -1, 1, -1, 0], dtype=a.dtype)), [x],
             check_node=False)
    _compare(lambda L, a, b, c: fn("triplet_margin_loss")(L)(a, b, c, swap=True), [x, x + 0.3, y],
             check_node=False)
    _compare(lambda L, a, b, c: fn("triplet_margin_with_distance_loss")(L)(a, b, c), [x, x + 0.3, y],
             check_node=False)
    _compare(lambda L, a: fn("pdist")(L)(a, 1.0), [x], check_node=False)
    _compare(lambda L, a, w: fn("rms_norm")(L)(a, (5,), w), [x, y[0]], check_node=False, rtol=1e-5, atol=1e-6)
    _compare(lambda L, a: fn("channel_shuffle")(L)(a, 2), [_r(2, 4, 3, dtype=dt)], check_node=False)


def test_alpha_dropout_draws_pytorch_stream():
    x = _r(3, 5, dtype=np.float32)
    outs = []
    for L in (torch, ember):
        L.manual_seed(3)
        t = L.tensor(x, requires_grad=True)
        o = L.nn.functional.alpha_dropout(t, 0.3, True)
        o.sum().backward()
        outs.append((o.detach().numpy(), t.grad.numpy()))
    np.testing.assert_allclose(outs[1][0], outs[0][0], rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(outs[1][1], outs[0][1], rtol=1e-6)
    assert ember.nn.functional.alpha_dropout(ember.ones(2), 0.5, False).tolist() == [1.0, 1.0]


# -- nn modules added here ---------------------------------------------------------------------------------

MODULES = ["PixelShuffle(2)", "PixelUnshuffle(2)", "CosineSimilarity()", "PairwiseDistance()", "ZeroPad2d(1)",
           "ZeroPad1d((1, 2))", "ConstantPad1d(2, 3.5)", "ConstantPad2d((1, 2, 3, 4), 0.)", "ReflectionPad1d(2)",
           "ReflectionPad2d(1)", "ReplicationPad2d(1)", "ReplicationPad1d(1)", "CircularPad1d(1)", "CircularPad2d(1)",
           "Softmax2d()", "RMSNorm(4)", "RMSNorm([3, 4], eps=1e-5, elementwise_affine=False)", "LocalResponseNorm(2)",
           "Fold((4, 4), 2)", "Unfold(2)", "ChannelShuffle(2)", "Dropout3d()", "FeatureAlphaDropout(0.2)",
           "TripletMarginLoss()", "TripletMarginWithDistanceLoss()", "HingeEmbeddingLoss()",
           "MultiLabelSoftMarginLoss()", "MultiMarginLoss()", "GaussianNLLLoss()", "ZeroPad3d(1)",
           "ConstantPad3d(1, 2.0)"]


@pytest.mark.parametrize("spec", MODULES)
def test_module_reprs(spec):
    assert repr(eval("ember.nn." + spec)) == repr(eval("torch.nn." + spec))


@pytest.mark.parametrize("spec,shape", [("PixelShuffle(2)", (1, 8, 2, 3)), ("PixelUnshuffle(2)", (1, 2, 4, 6)),
                                        ("ZeroPad2d((1, 0, 2, 1))", (1, 2, 3, 3)), ("ConstantPad1d(2, 3.5)", (2, 3, 4)),
                                        ("ReflectionPad2d(1)", (1, 2, 3, 3)), ("ReplicationPad1d((2, 1))", (1, 2, 4)),
                                        ("CircularPad2d(1)", (1, 1, 3, 3)), ("Softmax2d()", (2, 3, 2, 2)),
                                        ("RMSNorm(4)", (3, 4)), ("LocalResponseNorm(2)", (1, 4, 3, 3)),
                                        ("Unfold(2)", (1, 2, 4, 4)), ("ChannelShuffle(2)", (1, 4, 2, 2))])
def test_module_forward(spec, shape):
    x = _r(*shape, dtype=np.float32)
    _compare(lambda L, a: eval("L.nn." + spec)(a), [x], check_node=False, rtol=1e-5, atol=1e-6)


# -- torch.func / vmap ---------------------------------------------------------------------------------------

def test_func_transforms():
    x = _r(3, 4)
    _compare(lambda L, a: L.vmap(lambda r: (r * r).sum())(a), [x], check_node=False)
    _compare(lambda L, a: L.func.vmap(L.dot)(a, a), [x], check_node=False)
    _compare(lambda L, a: L.vmap(lambda u, v: u * v, in_dims=(1, None))(a, a[:, 0]), [x], check_node=False)
    _compare(lambda L, a: L.func.grad(lambda v: (v ** 3).sum())(a.detach()), [x], grad=False)
    _compare(lambda L, a: L.func.grad_and_value(lambda v: (v.sin() * 2).sum())(a.detach()), [x], grad=False)
    _compare(lambda L, a: L.func.jacrev(lambda v: v.tanh() * v[0])(a[0].detach()), [x], grad=False)
    _compare(lambda L, a: L.func.hessian(lambda v: (v ** 3).prod())(a[0].detach()), [x], grad=False)

    def call(L, a):
        lin = L.nn.Linear(4, 2)
        return L.func.functional_call(lin, {"weight": a[:2], "bias": a[2, :2]}, (a,))
    _compare(call, [x], check_node=False)


def test_small_top_level_names():
    x = ember.arange(6.0).reshape(2, 3)
    assert ember.permute_copy(x, (1, 0)).shape == (3, 2)
    assert ember.unbind_copy(x)[1].tolist() == [3.0, 4.0, 5.0]
    assert ember.adjoint(x).shape == (3, 2)
    assert ember.constant_pad_nd(x, (1, 1), 9.0)[0].tolist() == [9.0, 0.0, 1.0, 2.0, 9.0]
    # ember.distributed is the real package (on MPI): available where mpi4py is installed, not initialised here
    assert ember.distributed.is_available() == (importlib.util.find_spec("mpi4py") is not None)
    assert not ember.distributed.is_initialized() and ember.cpu.is_available()
    assert isinstance(ember.zeros(2), ember.cuda.FloatTensor)
    assert not hasattr(ember, "no_such_submodule_anywhere")


@pytest.mark.parametrize("upper", [False, True])
def test_cholesky_gradient(upper):
    a = _r(3, 3)
    s = a @ a.T + 3 * np.eye(3)
    _compare(lambda L, m: L.linalg.cholesky(m, upper=upper), [s], rtol=1e-6, atol=1e-8)
    x = ember.tensor(a + 3 * np.eye(3), requires_grad=True)
    assert ember.autograd.gradcheck(lambda m: ember.linalg.cholesky(m @ m.mT, upper=upper), (x,))
