"""LU factorisation, unpacking and solves (ember.ops.lu) against PyTorch: values, pivots, info, errors, and
gradients (PyTorch's and central differences in float64, to second order)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import ember

torch = pytest.importorskip("torch")

RNG = np.random.default_rng(0)


def close(e, t, tol=1e-10):
    np.testing.assert_allclose(e.detach().numpy(), t.detach().numpy(), rtol=tol, atol=tol)


SHAPES = [(4, 4), (2, 3, 3), (5, 3), (3, 5), (2, 1, 4, 2)]


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("dtype", ["float64", "float32", "complex128"])
def test_lu_factor_matches_pytorch(shape, dtype):
    a = RNG.standard_normal(shape) + (1j * RNG.standard_normal(shape) if dtype.startswith("complex") else 0)
    a = a.astype(dtype)
    (elu, epiv, einfo), (tlu, tpiv, tinfo) = ember.linalg.lu_factor_ex(ember.tensor(a)), \
        torch.linalg.lu_factor_ex(torch.tensor(a))
    tol = 1e-5 if dtype == "float32" else 1e-10
    close(elu, tlu, tol)
    assert epiv.dtype == ember.int32 and epiv.tolist() == tpiv.tolist() and einfo.tolist() == tinfo.tolist()
    for e, t in zip(ember.linalg.lu(ember.tensor(a)), torch.linalg.lu(torch.tensor(a))):
        assert tuple(e.shape) == tuple(t.shape) and str(e.dtype) == str(t.dtype)
        close(e, t, tol)
    for e, t in zip(ember.lu_unpack(elu, epiv), torch.lu_unpack(tlu, tpiv)):
        close(e, t, tol)


def test_printing_and_result_types_as_pytorch():
    a = np.array([[1.0, 2.0], [3.0, 4.0]])
    assert repr(ember.linalg.lu_factor(ember.tensor(a))) == repr(torch.linalg.lu_factor(torch.tensor(a)))
    assert repr(ember.linalg.lu(ember.tensor(a))) == repr(torch.linalg.lu(torch.tensor(a)))
    z = np.zeros((3, 3))
    assert repr(ember.linalg.lu_factor_ex(ember.tensor(z))) == repr(torch.linalg.lu_factor_ex(torch.tensor(z)))
    e = ember.linalg.lu(ember.tensor(a, requires_grad=True))
    t = torch.linalg.lu(torch.tensor(a, requires_grad=True))
    assert [type(o.grad_fn).__name__ if o.grad_fn else None for o in e] == \
        [type(o.grad_fn).__name__ if o.grad_fn else None for o in t]
    assert type(ember.linalg.lu_factor(ember.tensor(a, requires_grad=True)).LU.grad_fn).__name__ == \
        type(torch.linalg.lu_factor(torch.tensor(a, requires_grad=True)).LU.grad_fn).__name__


def _error(fn):
    try:
        fn()
    except Exception as err:  # noqa: BLE001  (the class is compared)
        return type(err).__name__, str(err)
    return None


@pytest.mark.parametrize("call", [
    lambda L: L.linalg.lu_factor(L.zeros(3, 3, dtype=L.float64)),
    lambda L: L.linalg.lu_factor(L.zeros(2, 3, 3, dtype=L.float64)),
    lambda L: L.linalg.lu_factor_ex(L.zeros(3, 3, dtype=L.float64), check_errors=True),
    lambda L: L.linalg.lu_factor(L.ones(3, 3, dtype=L.float64), pivot=False),
    lambda L: L.linalg.lu_factor(L.ones(3, dtype=L.float64)),
    lambda L: L.linalg.lu_factor(L.ones(3, 3, dtype=L.int32)),
    lambda L: L.linalg.lu_solve(*L.linalg.lu_factor(L.eye(3, dtype=L.float64)), L.ones(2, 2, dtype=L.float64)),
    lambda L: L.linalg.lu_solve(*L.linalg.lu_factor(L.eye(3, dtype=L.float64)), L.ones(3, 2)),
    lambda L: L.linalg.lu_solve(*L.linalg.lu_factor(L.eye(3, dtype=L.float64)), L.ones(3, dtype=L.float64)),
    lambda L: L.linalg.lu_solve(L.ones(3, dtype=L.float64), L.ones(3, dtype=L.int32), L.ones(3, 2)),
    lambda L: L.linalg.lu_solve(L.ones(3), L.ones(3, dtype=L.int32), L.ones(3, 2)),
    lambda L: L.linalg.lu_solve(L.eye(3), L.ones(3, dtype=L.int64), L.ones(3, 2)),
    lambda L: L.linalg.lu_solve(L.eye(3), L.ones(2, dtype=L.int32), L.ones(3, 2)),
    lambda L: L.lu_unpack(L.eye(3), L.ones(3, dtype=L.int64)),
])
def test_errors_as_pytorch(call):
    assert _error(lambda: call(ember)) == _error(lambda: call(torch))


@pytest.mark.parametrize("n,batch_b,left,adjoint", [(3, (), True, False), (3, (), True, True), (4, (2,), False, False),
                                                    (4, (2,), False, True), (3, (2,), True, False)])
def test_lu_solve_matches_pytorch_with_gradients(n, batch_b, left, adjoint):
    a = RNG.standard_normal((2, n, n))
    b = RNG.standard_normal(batch_b + ((n, 2) if left else (2, n)))
    ea, eb = ember.tensor(a, requires_grad=True), ember.tensor(b, requires_grad=True)
    ta, tb = torch.tensor(a, requires_grad=True), torch.tensor(b, requires_grad=True)
    elu, epiv = ember.linalg.lu_factor(ea)
    tlu, tpiv = torch.linalg.lu_factor(ta)
    ex = ember.linalg.lu_solve(elu, epiv, eb, left=left, adjoint=adjoint)
    tx = torch.linalg.lu_solve(tlu, tpiv, tb, left=left, adjoint=adjoint)
    close(ex, tx)
    assert type(ex.grad_fn).__name__ == type(tx.grad_fn).__name__
    w = RNG.standard_normal(tuple(tx.shape))
    (ex * ember.tensor(w)).sum().backward()
    (tx * torch.tensor(w)).sum().backward()
    close(ea.grad, ta.grad, 1e-9)
    close(eb.grad, tb.grad, 1e-9)


def test_deprecated_torch_lu_and_lu_solve_warn_and_agree():
    a, b = RNG.standard_normal((3, 3)), RNG.standard_normal((3, 2))
    with warnings.catch_warnings(record=True) as er:
        warnings.simplefilter("always")
        elu, epiv = ember.lu(ember.tensor(a))
        _, _, einfo = ember.tensor(a).lu(get_infos=True)
        ex = ember.lu_solve(ember.tensor(b), elu, epiv)
        ex2 = ember.tensor(b).lu_solve(elu, epiv)
    with warnings.catch_warnings(record=True) as tr:
        warnings.simplefilter("always")
        tlu, tpiv = torch.lu(torch.tensor(a))
        _, _, tinfo = torch.tensor(a).lu(get_infos=True)
        tx = torch.lu_solve(torch.tensor(b), tlu, tpiv)
    close(elu, tlu)
    close(ex, tx)
    close(ex2, tx)
    assert epiv.tolist() == tpiv.tolist() and einfo.tolist() == tinfo.tolist()
    # PyTorch's messages end with the C++ source line that raised them
    assert str(tr[0].message).startswith(str(er[0].message)) and str(tr[-1].message).startswith(str(er[-1].message))
    assert str(tr[0].message)[len(str(er[0].message)):].startswith(" (Triggered internally at ")


@pytest.mark.parametrize("shape", SHAPES)
def test_factor_gradients_match_pytorch(shape):
    a = RNG.standard_normal(shape)
    ea, ta = ember.tensor(a, requires_grad=True), torch.tensor(a, requires_grad=True)
    w = [RNG.standard_normal(tuple(o.shape)) for o in torch.linalg.lu(ta)[1:]]
    ep, el, eu = ember.linalg.lu(ea)
    tp, tl, tu = torch.linalg.lu(ta)
    ((el * ember.tensor(w[0])).sum() + (eu * ember.tensor(w[1])).sum()).backward()
    ((tl * torch.tensor(w[0])).sum() + (tu * torch.tensor(w[1])).sum()).backward()
    close(ea.grad, ta.grad, 1e-9)
    ea.grad = None
    ta.grad = None
    wl = RNG.standard_normal(shape)
    (ember.linalg.lu_factor_ex(ea).LU * ember.tensor(wl)).sum().backward()
    (torch.linalg.lu_factor_ex(ta).LU * torch.tensor(wl)).sum().backward()
    close(ea.grad, ta.grad, 1e-9)
    ea.grad = None
    ta.grad = None
    lu_e, piv_e = ember.linalg.lu_factor(ea)
    lu_t, piv_t = torch.linalg.lu_factor(ta)
    _, l2, u2 = ember.lu_unpack(lu_e, piv_e)
    _, l3, u3 = torch.lu_unpack(lu_t, piv_t)
    (l2.sum() + (u2 * u2).sum()).backward()
    (l3.sum() + (u3 * u3).sum()).backward()
    close(ea.grad, ta.grad, 1e-9)


@pytest.mark.parametrize("shape", [(3, 3), (4, 2), (2, 4)])
def test_gradcheck_to_second_order(shape):
    a = ember.tensor(RNG.standard_normal(shape), requires_grad=True)
    b = ember.tensor(RNG.standard_normal((shape[0], 2)), requires_grad=True)
    f = lambda x: tuple(ember.linalg.lu(x))[1:]  # noqa: E731
    assert ember.autograd.gradcheck(f, (a,))
    assert ember.autograd.gradgradcheck(f, (a,))
    g = lambda x: ember.linalg.lu_factor(x).LU  # noqa: E731
    assert ember.autograd.gradcheck(g, (a,))
    if shape[0] == shape[1]:
        h = lambda x, y: ember.linalg.lu_solve(*ember.linalg.lu_factor(x), y)  # noqa: E731
        assert ember.autograd.gradcheck(h, (a, b))
        assert ember.autograd.gradgradcheck(h, (a, b))
        lu, piv = ember.linalg.lu_factor(a.detach())
        lu.requires_grad_()
        k = lambda m, y: ember.linalg.lu_solve(m, piv, y, adjoint=True)  # noqa: E731
        assert ember.autograd.gradcheck(k, (lu, b))


def test_a_wrong_backward_fails_gradcheck():
    """The checker above would catch a wrong formula: a factor with its gradient halved fails it."""
    a = ember.tensor(RNG.standard_normal((3, 3)), requires_grad=True)

    class Half(ember.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x.clone()

        @staticmethod
        def backward(ctx, g):
            return g / 2

    from ember.autograd.gradcheck import GradcheckError
    with pytest.raises(GradcheckError):
        ember.autograd.gradcheck(lambda x: ember.linalg.lu(Half.apply(x)).U, (a,))
