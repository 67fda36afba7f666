"""Losses against PyTorch (values, gradients, grad_fn names, reductions, options) plus gradcheck."""

import warnings

import numpy as np
import pytest

import ember as E
import ember.nn.functional as F
from ember import nn

torch = pytest.importorskip("torch")
TF = torch.nn.functional

RNG = np.random.default_rng(7)


def check(ef, tf, *arrays, dtype=np.float64):
    arrays = [a.astype(dtype) for a in arrays]
    tol = 1e-9 if dtype == np.float64 else 2e-5
    te = [torch.tensor(a, requires_grad=True) for a in arrays]
    ee = [E.tensor(a, requires_grad=True) for a in arrays]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yt, ye = tf(*te), ef(*ee)
    np.testing.assert_allclose(ye.detach().numpy(), yt.detach().numpy(), rtol=tol, atol=tol)
    assert ye.grad_fn.name() == yt.grad_fn.name()
    g = RNG.standard_normal(tuple(yt.shape)).astype(dtype)
    yt.backward(torch.tensor(g))
    ye.backward(E.tensor(g))
    for a, b in zip(te, ee):
        np.testing.assert_allclose(b.grad.numpy(), a.grad.numpy(), rtol=tol * 10, atol=tol * 10)


RED = ["mean", "sum", "none"]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("reduction", RED)
@pytest.mark.parametrize("name", ["mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss"])
def test_regression_losses(name, reduction, dtype):
    x, t = RNG.standard_normal((4, 5)) * 2, RNG.standard_normal((4, 5))
    check(lambda a, b: getattr(F, name)(a, b, reduction=reduction),
          lambda a, b: getattr(TF, name)(a, b, reduction=reduction), x, t, dtype=dtype)


def test_loss_options_and_broadcast():
    x, t = RNG.standard_normal((4, 5)) * 2, RNG.standard_normal((4, 5))
    check(lambda a, b: F.smooth_l1_loss(a, b, beta=0.5), lambda a, b: TF.smooth_l1_loss(a, b, beta=0.5), x, t)
    check(lambda a, b: F.huber_loss(a, b, delta=2.0), lambda a, b: TF.huber_loss(a, b, delta=2.0), x, t)
    with pytest.warns(UserWarning, match=r"Using a target size \(torch.Size\(\[5\]\)\) that is different"):
        F.mse_loss(E.randn(4, 5), E.randn(5))
    check(F.mse_loss, TF.mse_loss, x, t[0])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("reduction", RED)
def test_cross_entropy_indices(reduction, dtype):
    x = RNG.standard_normal((6, 5)) * 3
    tgt = np.array([0, 4, -100, 2, 2, 1])
    w = RNG.random(5).astype(dtype)
    for kw_e, kw_t in [({}, {}), ({"weight": E.tensor(w)}, {"weight": torch.tensor(w)})]:
        for ls in (0.0, 0.2):
            check(lambda a, ls=ls, kw=kw_e: F.cross_entropy(a, E.tensor(tgt), reduction=reduction,
                                                            label_smoothing=ls, **kw),
                  lambda a, ls=ls, kw=kw_t: TF.cross_entropy(a, torch.tensor(tgt), reduction=reduction,
                                                             label_smoothing=ls, **kw),
                  x, dtype=dtype)


@pytest.mark.parametrize("reduction", RED)
def test_cross_entropy_probabilities_and_nd(reduction):
    x = RNG.standard_normal((4, 5))
    p = RNG.random((4, 5))
    p /= p.sum(1, keepdims=True)
    check(lambda a, b: F.cross_entropy(a, b, reduction=reduction, label_smoothing=0.1),
          lambda a, b: TF.cross_entropy(a, b, reduction=reduction, label_smoothing=0.1), x, p)
    x4 = RNG.standard_normal((2, 3, 4, 4))
    t4 = RNG.integers(0, 3, (2, 4, 4))
    check(lambda a: F.cross_entropy(a, E.tensor(t4), reduction=reduction),
          lambda a: TF.cross_entropy(a, torch.tensor(t4), reduction=reduction), x4)
    check(lambda a: F.nll_loss(a, E.tensor(2)), lambda a: TF.nll_loss(a, torch.tensor(2)), x[0])


def test_cross_entropy_stable_for_huge_logits():
    x = E.tensor([[1000.0, -1000.0, 0.0]], requires_grad=True)
    loss = F.cross_entropy(x, E.tensor([1]))
    assert np.isfinite(loss.item()) and abs(loss.item() - 2000.0) < 1e-3
    loss.backward()
    assert np.all(np.isfinite(x.grad.numpy()))


def test_nll_errors():
    with pytest.raises(IndexError, match="Target 7 is out of bounds."):
        F.nll_loss(E.randn(4, 5), E.tensor([0, 1, 2, 7]))
    with pytest.raises(ValueError, match=r"Expected input batch_size \(4\) to match target batch_size \(3\)."):
        F.nll_loss(E.randn(4, 5), E.tensor([0, 1, 2]))
    with pytest.raises(RuntimeError, match="expected target dtype to be Long or Byte, but got Float"):
        F.nll_loss(E.randn(4, 5), E.tensor([0.0, 1, 2, 3]))
    with pytest.raises(ValueError, match="bad is not a valid value for reduction"):
        F.mse_loss(E.randn(2), E.randn(2), reduction="bad")


@pytest.mark.parametrize("reduction", RED)
def test_bce(reduction):
    p, t = RNG.random((4, 5)) * 0.98 + 0.01, RNG.random((4, 5))
    w = RNG.random(5)
    check(lambda a, b: F.binary_cross_entropy(a, b, reduction=reduction),
          lambda a, b: TF.binary_cross_entropy(a, b, reduction=reduction), p, t)
    check(lambda a, b: F.binary_cross_entropy(a, b, E.tensor(w), reduction=reduction),
          lambda a, b: TF.binary_cross_entropy(a, b, torch.tensor(w), reduction=reduction), p, t)
    x = RNG.standard_normal((4, 5)) * 50  # large logits: must stay finite and exact
    check(lambda a, b: F.binary_cross_entropy_with_logits(a, b, reduction=reduction),
          lambda a, b: TF.binary_cross_entropy_with_logits(a, b, reduction=reduction), x, t)
    check(lambda a, b: F.binary_cross_entropy_with_logits(a, b, E.tensor(w), reduction=reduction,
                                                          pos_weight=E.tensor(w * 3)),
          lambda a, b: TF.binary_cross_entropy_with_logits(a, b, torch.tensor(w), reduction=reduction,
                                                           pos_weight=torch.tensor(w * 3)), x, t)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none", "batchmean"])
@pytest.mark.parametrize("log_target", [False, True])
def test_kl_div(reduction, log_target):
    x = np.log(RNG.random((3, 4)))
    t = RNG.random((3, 4))
    if log_target:
        t = np.log(t)
    check(lambda a, b: F.kl_div(a, b, reduction=reduction, log_target=log_target),
          lambda a, b: TF.kl_div(a, b, reduction=reduction, log_target=log_target), x, t)


def test_loss_modules_and_reprs():
    x = RNG.standard_normal((4, 3))
    tgt = np.array([0, 2, 1, 1])
    pairs = [(nn.MSELoss(), torch.nn.MSELoss(), x), (nn.CrossEntropyLoss(label_smoothing=0.1),
                                                      torch.nn.CrossEntropyLoss(label_smoothing=0.1), tgt),
             (nn.NLLLoss(), torch.nn.NLLLoss(), tgt), (nn.L1Loss(reduction="sum"), torch.nn.L1Loss(reduction="sum"), x),
             (nn.HuberLoss(delta=0.5), torch.nn.HuberLoss(delta=0.5), x),
             (nn.SmoothL1Loss(beta=0.3), torch.nn.SmoothL1Loss(beta=0.3), x)]
    for em, tm, t in pairs:
        assert repr(em) == repr(tm)
        ye = em(E.tensor(x), E.tensor(t))
        yt = tm(torch.tensor(x), torch.tensor(t))
        np.testing.assert_allclose(ye.numpy(), yt.numpy(), rtol=1e-10)


def test_gradcheck_losses():
    x = E.tensor(RNG.standard_normal((3, 4)), requires_grad=True)
    t = E.tensor(RNG.random((3, 4)), requires_grad=True)
    tgt = E.tensor([1, 0, 3])
    assert E.autograd.gradcheck(lambda a: F.cross_entropy(a, tgt, label_smoothing=0.1), (x,))
    assert E.autograd.gradcheck(lambda a, b: F.binary_cross_entropy_with_logits(a, b), (x, t))
    assert E.autograd.gradcheck(lambda a, b: F.mse_loss(a, b), (x, t))
    assert E.autograd.gradcheck(lambda a, b: F.huber_loss(a, b, reduction="sum"), (x, t))
    p = E.tensor(RNG.random((3, 4)) * 0.8 + 0.1, requires_grad=True)
    assert E.autograd.gradcheck(lambda a, b: F.binary_cross_entropy(a, b), (p, t))
