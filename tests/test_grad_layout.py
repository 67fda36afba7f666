"""Gradient memory layouts follow PyTorch's (mm's mat2 gradient in mat2's layout: nn.Linear's W.grad is row-major)."""

import numpy as np
import pytest

import ember

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("shape", [(128, 30, 20), (32, 1, 16), (7, 5, 1), (1, 3, 4)])
@pytest.mark.parametrize("bias", [True, False])
def test_linear_weight_grad_layout_and_values(dtype, shape, bias):
    b, i, o = shape
    rng = np.random.default_rng(b * 100 + i + o)
    w, x, g = (rng.standard_normal(s).astype(dtype) for s in ((o, i), (b, i), (b, o)))
    bb = rng.standard_normal(o).astype(dtype) if bias else None
    res = []
    for lib in (torch, ember):
        wt = lib.tensor(w, requires_grad=True)
        bt = lib.tensor(bb, requires_grad=True) if bias else None
        lib.nn.functional.linear(lib.tensor(x), wt, bt).backward(lib.tensor(g))
        res.append(wt.grad)
    tg, eg = res
    # a size-1 dim's stride is arbitrary (NumPy and PyTorch pick differently): compare the others
    big = [d for d in range(2) if tg.shape[d] > 1]
    assert [eg.stride(d) for d in big] == [tg.stride(d) for d in big]
    assert eg.is_contiguous() == tg.is_contiguous()
    tol = 1e-5 if dtype == "float32" else 1e-12
    np.testing.assert_allclose(eg.numpy(), tg.numpy(), rtol=tol, atol=tol)


def test_mm_column_major_mat2_grad_and_double_backward():
    a = ember.randn(4, 3, dtype=ember.float64, requires_grad=True)
    w = ember.randn(5, 3, dtype=ember.float64, requires_grad=True)
    assert ember.autograd.gradcheck(lambda a, w: ember.mm(a, w.t()), (a, w))
    assert ember.autograd.gradgradcheck(lambda a, w: ember.mm(a, w.t()), (a, w))
    bias = ember.randn(5, dtype=ember.float64, requires_grad=True)
    assert ember.autograd.gradcheck(lambda b, a, w: ember.addmm(b, a, w.t()), (bias, a, w))
    assert ember.autograd.gradgradcheck(lambda b, a, w: ember.addmm(b, a, w.t()), (bias, a, w))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_mse_loss_gradients_match_torch(dtype, reduction):
    # MseLossBackward0 has a NumPy fast path when not recording: same values as PyTorch's formula
    rng = np.random.default_rng(7)
    x, t = rng.standard_normal((32, 3)).astype(dtype), rng.standard_normal((32, 3)).astype(dtype)
    res = []
    for lib in (torch, ember):
        a, b = lib.tensor(x, requires_grad=True), lib.tensor(t, requires_grad=True)
        loss = lib.nn.functional.mse_loss(a, b, reduction=reduction)
        loss.backward(lib.ones_like(loss) * 0.5)
        res.append((a.grad.numpy(), b.grad.numpy()))
    tol = 1e-6 if dtype == "float32" else 1e-14
    for e, r in zip(res[1], res[0]):
        np.testing.assert_allclose(e, r, rtol=tol, atol=tol)
    a = ember.tensor(x.astype("float64"), requires_grad=True)
    assert ember.autograd.gradgradcheck(lambda a: ember.nn.functional.mse_loss(a, ember.tensor(t, dtype=ember.float64),
                                                                               reduction=reduction), (a,))


@pytest.mark.parametrize("n", [32, 64, 96, 256, 480, 512, 544])
def test_small_float32_sums_bitwise_like_torch(n):
    # sums of 32·k <= 512 floats take a three-call shortcut through PyTorch's cascade order
    rng = np.random.default_rng(n)
    for shape in [(n,), (n // 32, 32), (n, 1)]:
        x = (rng.standard_normal(shape) * 1e3).astype(np.float32)
        assert np.array_equal(ember.tensor(x).sum().numpy(), torch.from_numpy(x).sum().numpy())
        t = rng.standard_normal(shape).astype(np.float32)
        assert np.array_equal(ember.nn.functional.mse_loss(ember.tensor(x), ember.tensor(t)).numpy(),
                              torch.nn.functional.mse_loss(torch.from_numpy(x), torch.from_numpy(t)).numpy())


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("transposed_grad", [False, True])
def test_relu_grad_bits_like_torch(dtype, transposed_grad):
    # +0 where x <= 0 even for g < 0, and a -0 gradient passes through where x > 0 (the bit-mask fast path)
    rng = np.random.default_rng(3)
    x, g = rng.standard_normal((40, 24)).astype(dtype), rng.standard_normal((40, 24)).astype(dtype)
    x[0, :4] = 0
    x[1, :3], g[1, :3] = 1, -0.0
    x[2, :3], g[2, :3] = -1, -0.0
    res = []
    for lib in (torch, ember):
        a = lib.tensor(x, requires_grad=True)
        gt = lib.tensor(np.ascontiguousarray(g.T)).T if transposed_grad else lib.tensor(g)
        lib.relu(a).backward(gt)
        res.append(a.grad.numpy())
    assert np.array_equal(res[1], res[0]) and np.array_equal(np.signbit(res[1]), np.signbit(res[0]))
    assert res[1].dtype == res[0].dtype
