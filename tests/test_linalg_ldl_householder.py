"""linalg.solve_ex, householder_product (orgqr), ldl_factor(_ex) and ldl_solve: against PyTorch 2.13, and
without torch against their definitions (residuals, orthogonality, finite differences)."""

import numpy as np
import pytest

import ember as E

RNG = np.random.default_rng(11)


def _sym(n, herm=False, cplx=False):
    a = RNG.standard_normal((n, n)) + (1j * RNG.standard_normal((n, n)) if cplx else 0)
    return a + (a.conj().T if herm else a.T)


# ---- without torch -------------------------------------------------------------------------------------------

def test_solve_ex_solves_and_reports():
    a, b = RNG.standard_normal((2, 4, 4)), RNG.standard_normal((2, 4, 3))
    r = E.linalg.solve_ex(E.tensor(a), E.tensor(b))
    np.testing.assert_allclose(a @ r.result.numpy(), b, atol=1e-12)
    assert r.info.tolist() == [0, 0] and r.info.dtype == E.int32
    s = E.linalg.solve_ex(E.tensor([[1.0, 2.0], [2.0, 4.0]]), E.tensor([1.0, 1.0]))
    assert s.info.item() == 2 and not np.isfinite(s.result.numpy()).all()
    with pytest.raises(E.linalg.LinAlgError, match="solve_ex: The solver failed because the input matrix is singular"):
        E.linalg.solve_ex(E.tensor([[1.0, 2.0], [2.0, 4.0]]), E.tensor([1.0, 1.0]), check_errors=True)
    a_ = E.tensor(a[0], requires_grad=True)
    b_ = E.tensor(b[0], requires_grad=True)
    assert E.autograd.gradcheck(lambda x, y: E.linalg.solve_ex(x, y).result, (a_, b_))


def test_householder_product_is_orthonormal_and_differentiable():
    a = RNG.standard_normal((5, 3))
    v = np.tril(a, -1) + np.eye(5, 3)
    tau = 2 / (v * v).sum(0)  # exact reflectors: Q has orthonormal columns
    q = E.linalg.householder_product(E.tensor(a), E.tensor(tau)).numpy()
    np.testing.assert_allclose(q.T @ q, np.eye(3), atol=1e-13)
    want = np.eye(5)
    for j in range(3):
        want = want @ (np.eye(5) - tau[j] * np.outer(v[:, j], v[:, j]))
    np.testing.assert_allclose(q, want[:, :3], atol=1e-13)
    x = E.tensor(RNG.standard_normal((4, 3)), requires_grad=True)
    t = E.tensor(RNG.standard_normal(2), requires_grad=True)
    assert E.autograd.gradcheck(E.linalg.householder_product, (x, t))
    assert E.autograd.gradgradcheck(E.linalg.householder_product, (x, t))
    assert E.orgqr(x, t).grad_fn.name() == "LinalgHouseholderProductBackward0"


@pytest.mark.parametrize("n,herm,cplx", [(1, False, False), (4, False, False), (9, False, False), (6, True, True),
                                         (6, False, True)])
def test_ldl_solves(n, herm, cplx):
    for _ in range(4):
        a = _sym(n, herm, cplx)
        ld, piv = E.linalg.ldl_factor(E.tensor(a), hermitian=herm)
        b = RNG.standard_normal((n, 2)) + (0j if cplx else 0)
        x = E.linalg.ldl_solve(ld, piv, E.tensor(b), hermitian=herm).numpy()
        np.testing.assert_allclose(a @ x, b, atol=1e-9)
        assert np.all(np.triu(ld.numpy(), 1) == 0)


def test_ldl_reports_a_zero_pivot_and_has_no_derivative():
    r = E.linalg.ldl_factor_ex(E.zeros(3, 3))
    assert r.info.item() == 1
    with pytest.raises(RuntimeError, match="torch.linalg.ldl_factor: Unknown error code: 1"):  # PyTorch's assert
        E.linalg.ldl_factor(E.zeros(3, 3))
    x = E.tensor(_sym(3), requires_grad=True)
    ld = E.linalg.ldl_factor(x).LD
    with pytest.raises(RuntimeError, match="derivative for aten::linalg_ldl_factor_ex is not implemented"):
        ld.sum().backward()


# ---- against torch --------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def torch():
    return pytest.importorskip("torch")


def _err(f):
    try:
        f()
    except Exception as e:  # noqa: BLE001  (compared)
        return type(e).__name__, str(e)
    return None


def test_solve_ex_as_pytorch(torch):
    a, b, s = RNG.standard_normal((3, 3)), RNG.standard_normal((3, 2)), np.array([[1.0, 2.0], [2.0, 4.0]])
    cases = [lambda m: m.linalg.solve_ex(m.tensor(a), m.tensor(b)),
             lambda m: m.linalg.solve_ex(m.tensor(s), m.tensor([1.0, 1.0], dtype=m.float64)),
             lambda m: m.linalg.solve_ex(m.tensor(np.stack([np.eye(2), s])), m.tensor(np.ones((2, 2, 1)))),
             lambda m: m.linalg.solve_ex(m.tensor(a), m.tensor(b.T), left=False)]
    for f in cases:
        e, t = f(E), f(torch)
        assert repr(e) == repr(t)
    for f in [lambda m: m.linalg.solve_ex(m.tensor(np.stack([np.eye(2), s])), m.tensor(np.ones((2, 2, 1))),
                                          check_errors=True),
              lambda m: m.linalg.solve_ex(m.tensor(a), m.tensor(b), left=False)]:
        assert _err(lambda f=f: f(E)) == _err(lambda f=f: f(torch))
    ge = [E.tensor(a, requires_grad=True), E.tensor(b, requires_grad=True)]
    gt = [torch.tensor(a, requires_grad=True), torch.tensor(b, requires_grad=True)]
    ye, yt = E.linalg.solve_ex(*ge).result, torch.linalg.solve_ex(*gt).result
    assert ye.grad_fn.name() == yt.grad_fn.name()
    ye.sum().backward()
    yt.sum().backward()
    for x, y in zip(ge, gt):
        np.testing.assert_allclose(x.grad.numpy(), y.grad.numpy(), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("shape,k,cplx", [((4, 3), 2, False), ((5, 5), 5, False), ((2, 4, 3), 3, False),
                                          ((4, 3), 0, False), ((4, 3), 2, True)])
def test_householder_product_as_pytorch(torch, shape, k, cplx):
    a = RNG.standard_normal(shape) + (1j * RNG.standard_normal(shape) if cplx else 0)
    t = RNG.standard_normal(shape[:-2] + (k,)) + (1j * RNG.standard_normal(shape[:-2] + (k,)) if cplx else 0)
    g = RNG.standard_normal(shape) + (1j * RNG.standard_normal(shape) if cplx else 0)
    out = []
    for m in (E, torch):
        x, tau = m.tensor(a, requires_grad=True), m.tensor(t, requires_grad=True)
        q = m.linalg.householder_product(x, tau)
        q.backward(m.tensor(g))
        out.append((q.detach().numpy(), None if x.grad is None else x.grad.numpy(),
                    None if tau.grad is None else tau.grad.numpy(), q.grad_fn.name()))
    for u, v in zip(out[0][:3], out[1][:3]):
        assert (u is None) == (v is None)  # (k = 0: PyTorch leaves both gradients undefined)
        if u is not None:
            np.testing.assert_allclose(u, v, rtol=1e-12, atol=1e-12)
    assert out[0][3] == out[1][3]


BAD_HH = [lambda m: m.linalg.householder_product(m.randn(3, 4), m.randn(2)),
          lambda m: m.linalg.householder_product(m.randn(4, 3), m.randn(4)),
          lambda m: m.linalg.householder_product(m.randn(4, 3), m.randn(2, dtype=m.float64)),
          lambda m: m.linalg.householder_product(m.randn(2, 4, 3), m.randn(3, 2)),
          lambda m: m.linalg.householder_product(m.randn(4), m.randn(1)),
          lambda m: m.linalg.householder_product(m.randn(4, 3), m.randn(2, 1)),
          lambda m: m.linalg.householder_product(m.ones(4, 3, dtype=m.int32), m.ones(2, dtype=m.int32))]


@pytest.mark.parametrize("call", BAD_HH)
def test_householder_errors_as_pytorch(torch, call):
    assert _err(lambda: call(E)) == _err(lambda: call(torch)) is not None


@pytest.mark.parametrize("n,herm,cplx", [(3, False, False), (6, False, False), (10, False, False), (5, True, True),
                                         (5, False, True)])
def test_ldl_as_pytorch(torch, n, herm, cplx):
    for trial in range(5):
        a = _sym(n, herm, cplx)
        if trial == 1:
            a[0, 0] = 0  # a 2x2 pivot block first
        if trial == 2:
            a[:2, :2] = 0
        re, rt = E.linalg.ldl_factor_ex(E.tensor(a), hermitian=herm), torch.linalg.ldl_factor_ex(torch.tensor(a),
                                                                                               hermitian=herm)
        np.testing.assert_allclose(re.LD.numpy(), rt.LD.numpy(), rtol=1e-12, atol=1e-12)
        assert re.pivots.tolist() == rt.pivots.tolist() and re.info.tolist() == rt.info.tolist()
        assert str(re.pivots.dtype) == str(rt.pivots.dtype)
        b = RNG.standard_normal((n, 2)) + (0j if cplx else 0)
        xe = E.linalg.ldl_solve(re.LD, re.pivots, E.tensor(b), hermitian=herm).numpy()
        xt = torch.linalg.ldl_solve(rt.LD, rt.pivots, torch.tensor(b), hermitian=herm).numpy()
        np.testing.assert_allclose(xe, xt, rtol=1e-9, atol=1e-9)
    batch = np.stack([_sym(4), np.zeros((4, 4))])
    assert repr(E.linalg.ldl_factor_ex(E.tensor(batch)).info) == repr(torch.linalg.ldl_factor_ex(
        torch.tensor(batch)).info)
    assert _err(lambda: E.linalg.ldl_factor(E.tensor(batch))) == _err(lambda: torch.linalg.ldl_factor(
        torch.tensor(batch)))
