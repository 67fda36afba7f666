"""ember.ops.linalg beyond the catalogue: calls mixing dtypes (the catalogue makes every operand of one dtype), with
PyTorch's error class and message recorded here (and compared with PyTorch itself when it is installed); the
LAPACK-style error reports (the zero pivot, the failing minor) on matrices made to fail at a given place."""

from __future__ import annotations

import numpy as np
import pytest

import ember

F32, F64 = np.float32, np.float64


def _t(lib, shape, dtype):
    return lib.tensor(np.ones(shape, dtype=dtype))


# (call, PyTorch's exception class, PyTorch's message), the call written for either library
MIXED_DTYPES = [
    (lambda L: L.mm(_t(L, (2, 3), F32), _t(L, (3, 5), F64)), "RuntimeError",
     "expected m1 and m2 to have the same dtype, but got: float != double"),
    (lambda L: L.matmul(_t(L, (2, 3), F32), _t(L, (3, 5), F64)), "RuntimeError",
     "expected m1 and m2 to have the same dtype, but got: float != double"),
    (lambda L: L.mv(_t(L, (2, 3), F64), _t(L, (3,), F32)), "RuntimeError",
     "addmv input tensors must have the same dtype, but got Float, Double, and Float"),
    (lambda L: L.addmv(_t(L, (2,), F64), _t(L, (2, 3), F32), _t(L, (3,), F32)), "RuntimeError",
     "addmv input tensors must have the same dtype, but got Double, Float, and Float"),
    (lambda L: L.bmm(_t(L, (2, 2, 3), F64), _t(L, (2, 3, 5), F32)), "RuntimeError",
     "expected scalar type Double but found Float"),
    (lambda L: L.addmm(_t(L, (5,), F32), _t(L, (2, 3), F64), _t(L, (3, 5), F32)), "RuntimeError",
     "mat1 and mat2 must have the same dtype, but got Double and Float"),
    (lambda L: L.addmm(_t(L, (5,), F32), _t(L, (2, 3), F32), _t(L, (3, 5), F64)), "RuntimeError",
     "self and mat2 must have the same dtype, but got Float and Double"),
    (lambda L: L.baddbmm(_t(L, (2, 2, 5), F64), _t(L, (2, 2, 3), F32), _t(L, (2, 3, 5), F32)), "RuntimeError",
     "Input dtypes must be the same, got: input double, batch1: float, batch2: float"),
    (lambda L: L.addbmm(_t(L, (2, 5), F64), _t(L, (2, 2, 3), F32), _t(L, (2, 3, 5), F32)), "RuntimeError",
     "self and mat2 must have the same dtype, but got Double and Float"),
    (lambda L: L.dot(_t(L, (3,), F32), _t(L, (3,), F64)), "RuntimeError",
     "dot : expected both vectors to have same dtype, but found Float and Double"),
    (lambda L: L.linalg.solve(_t(L, (2, 2), F64), _t(L, (2,), F32)), "RuntimeError",
     "linalg.solve: Expected A and B to have the same dtype, but found A of type Double and B of type Float instead"),
    (lambda L: L.linalg.vecdot(_t(L, (3,), F32), _t(L, (3,), F64)), "RuntimeError",
     "linalg.vecdot: Expected x and y to have the same dtype, but found x of type Float and y of type Double "
     "instead"),
    (lambda L: L.linalg.multi_dot([_t(L, (2, 3), F64), _t(L, (3, 2), F32)]), "RuntimeError",
     "multi_dot(): all tensors must have be the same dtype but tensor 0 is double and tensor 1 float"),
    (lambda L: L.linalg.lstsq(_t(L, (2, 3), F64), _t(L, (2, 2), F32)), "RuntimeError",
     "torch.linalg.lstsq: Expected input and other to have the same dtype, but got input's dtype Double and "
     "other's dtype Float"),
    (lambda L: L.einsum("ij,jk", _t(L, (2, 3), F32), _t(L, (3, 5), F64)), "RuntimeError",
     "expected scalar type Float but found Double"),
    (lambda L: L.einsum("ij,jk", _t(L, (2, 3), F64), _t(L, (3, 5), F32)), "RuntimeError",
     "expected scalar type Double but found Float"),
]


def _raised(call, lib):
    try:
        call(lib)
    except Exception as e:  # noqa: BLE001  (the error is the result)
        return type(e).__name__, str(e)
    return None


@pytest.mark.parametrize("k", range(len(MIXED_DTYPES)))
def test_mixed_dtypes_raise_pytorchs_error(k):
    call, cls, msg = MIXED_DTYPES[k]
    assert _raised(call, ember) == (cls, msg)


@pytest.mark.parametrize("k", range(len(MIXED_DTYPES)))
def test_the_recorded_errors_are_pytorchs(k):
    torch = pytest.importorskip("torch")
    call, cls, msg = MIXED_DTYPES[k]
    assert _raised(call, torch) == (cls, msg)


def test_the_error_check_can_fail():
    """a call that does not raise, or raises another message, is rejected"""
    assert _raised(lambda L: L.mm(_t(L, (2, 3), F32), _t(L, (3, 5), F32)), ember) is None
    assert _raised(MIXED_DTYPES[0][0], ember) != ("RuntimeError", "another message")


@pytest.mark.parametrize("n,k", [(3, 1), (3, 2), (3, 3), (4, 4)])
def test_singular_reports_the_first_zero_pivot(n, k):
    """LU with partial pivoting meets an exactly zero pivot at step k when column k-1 (1-based k) repeats an earlier
    one and everything else is exact: getrf's info, which PyTorch reports"""
    a = np.eye(n)
    a[:, k - 1] = 0.0  # a zero column: the k-th pivot is zero, the ones before are 1
    with pytest.raises(ember.linalg.LinAlgError) as err:
        ember.linalg.inv(ember.tensor(a))
    assert str(err.value) == (f"linalg.inv: The diagonal element {k} is zero, the inversion could not be completed "
                              "because the input matrix is singular.")
    assert type(err.value).__name__ == "_LinAlgError" and isinstance(err.value, RuntimeError)


@pytest.mark.parametrize("k", [1, 2, 3])
def test_cholesky_reports_the_first_failing_minor(k):
    d = np.ones(3)
    d[k - 1] = -1.0
    with pytest.raises(ember.linalg.LinAlgError) as err:
        ember.linalg.cholesky(ember.tensor(np.diag(d)))
    assert f"(the leading minor of order {k} is not positive-definite)" in str(err.value)
    info = ember.linalg.cholesky_ex(ember.tensor(np.stack([np.eye(3), np.diag(d)]))).info
    assert info.tolist() == [0, k]


def test_singular_batch_element_is_named():
    a = np.stack([np.eye(2), np.eye(2), [[1.0, 2.0], [2.0, 4.0]]])
    with pytest.raises(ember.linalg.LinAlgError, match=r"^linalg.inv: \(Batch element 2\): The diagonal element 2 "):
        ember.linalg.inv(ember.tensor(a))
    with pytest.raises(ember.linalg.LinAlgError, match=r"^torch.linalg.solve: \(Batch element 2\): The solver"):
        ember.linalg.solve(ember.tensor(a), ember.tensor(np.ones((3, 2))))


def test_eig_backward_and_forward_mode():
    """linalg.eig differentiates (it returned tensors without a grad_fn): gradcheck of real-valued losses of the
    eigenvalues and of the phase-free |V|, forward mode against finite differences, PyTorch's node name and its
    error for a loss that depends on the eigenvectors' phases; and the values PyTorch's backward gives"""
    import ember.autograd.forward_ad as fwad
    rng = np.random.default_rng(3)
    a = rng.standard_normal((4, 4))
    x = ember.tensor(a, requires_grad=True)
    f = lambda m: ember.linalg.eig(m)[0].abs().sum() + ember.linalg.eig(m)[1].abs().sum()  # noqa: E731
    assert ember.autograd.gradcheck(f, (x,))
    assert ember.autograd.gradcheck(lambda m: ember.linalg.eigvals(m).real, (x,))
    assert ember.linalg.eig(x)[0].grad_fn.name() == "LinalgEigBackward0"
    with pytest.raises(RuntimeError, match="specified up to multiplication by e"):
        ember.linalg.eig(x)[1].real.sum().backward()
    t = rng.standard_normal((4, 4))
    with fwad.dual_level():
        w, v = ember.linalg.eig(fwad.make_dual(ember.tensor(a), ember.tensor(t)))
        dw, dv = fwad.unpack_dual(w).tangent.numpy(), fwad.unpack_dual(v).tangent.numpy()
    eps = 1e-6
    wp, vp = np.linalg.eig(a + eps * t)
    wm, vm = np.linalg.eig(a - eps * t)
    np.testing.assert_allclose(dw, (wp - wm) / (2 * eps), atol=1e-6)
    d_abs = (np.abs(vp) - np.abs(vm)) / (2 * eps)  # |V| is phase-free: its derivative is well defined
    vv = v.detach().numpy()
    np.testing.assert_allclose(np.real(np.conj(vv) * dv) / np.abs(vv), d_abs, atol=1e-5)
    torch = pytest.importorskip("torch")
    xt = torch.tensor(a, requires_grad=True)
    ft = torch.linalg.eig(xt)[0].abs().sum() + torch.linalg.eig(xt)[1].abs().sum()
    ft.backward()
    f(x).backward()
    np.testing.assert_allclose(x.grad.numpy(), xt.grad.numpy(), atol=1e-10)
