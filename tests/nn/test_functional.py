"""Differential tests of nn.functional against PyTorch: values, gradients and grad_fn names, float32 and float64."""

import warnings

import numpy as np
import pytest

import ember as E
import ember.nn.functional as F

torch = pytest.importorskip("torch")
TF = torch.nn.functional

RNG = np.random.default_rng(1234)


def check(ef, tf, *arrays, tol=None, dtype=np.float64):
    """Run ef on ember copies and tf on torch copies; compare outputs, all input grads and the grad_fn name."""
    arrays = [a.astype(dtype) for a in arrays]
    tol = tol or (1e-10 if dtype == np.float64 else 2e-5)
    te = [torch.tensor(a, requires_grad=True) for a in arrays]
    ee = [E.tensor(a, requires_grad=True) for a in arrays]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yt, ye = tf(*te), ef(*ee)
    assert ye.dtype.name == str(yt.dtype).replace("torch.", "")
    np.testing.assert_allclose(ye.detach().numpy(), yt.detach().numpy(), rtol=tol, atol=tol)
    assert ye.grad_fn.name() == yt.grad_fn.name()
    g = RNG.standard_normal(tuple(yt.shape)).astype(dtype)
    yt.backward(torch.tensor(g))
    ye.backward(E.tensor(g))
    for a, b in zip(te, ee):
        np.testing.assert_allclose(b.grad.numpy(), a.grad.numpy(), rtol=tol * 10, atol=tol * 10)


ACTS = ["relu", "relu6", "hardtanh", "leaky_relu", "elu", "selu", "celu", "gelu", "silu", "softplus", "mish",
        "softsign", "tanhshrink", "hardswish", "hardsigmoid", "logsigmoid", "hardshrink", "softshrink", "sigmoid",
        "tanh"]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", ACTS)
def test_activation(name, dtype):
    x = RNG.standard_normal((3, 7)) * 4
    check(getattr(F, name), getattr(TF, name), x, dtype=dtype)


@pytest.mark.parametrize("kw", [{"approximate": "tanh"}, {"approximate": "none"}])
def test_gelu_modes(kw):
    check(lambda a: F.gelu(a, **kw), lambda a: TF.gelu(a, **kw), RNG.standard_normal((5, 4)))


def test_activation_args():
    x = RNG.standard_normal((4, 6)) * 5
    check(lambda a: F.leaky_relu(a, 0.2), lambda a: TF.leaky_relu(a, 0.2), x)
    check(lambda a: F.elu(a, 0.7), lambda a: TF.elu(a, 0.7), x)
    check(lambda a: F.softplus(a, 2.0, 5.0), lambda a: TF.softplus(a, 2.0, 5.0), x)
    check(lambda a: F.hardtanh(a, -2.0, 3.0), lambda a: TF.hardtanh(a, -2.0, 3.0), x)
    check(lambda a: F.threshold(a, 0.5, -1.0), lambda a: TF.threshold(a, 0.5, -1.0), x)
    check(lambda a: F.glu(a, 1), lambda a: TF.glu(a, 1), x)
    check(lambda a: F.softmax(a, 0), lambda a: TF.softmax(a, 0), x)
    check(lambda a: F.log_softmax(a, 1), lambda a: TF.log_softmax(a, 1), x)
    check(lambda a: F.softmin(a, 1), lambda a: TF.softmin(a, 1), x)


@pytest.mark.parametrize("wshape", [(1,), (3,)])
def test_prelu(wshape):
    check(F.prelu, TF.prelu, RNG.standard_normal((2, 3, 4)), RNG.random(wshape))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("xshape", [(5,), (4, 5), (2, 3, 5), (2, 1, 3, 5)])
@pytest.mark.parametrize("bias", [True, False])
def test_linear(xshape, bias, dtype):
    w, b = RNG.standard_normal((3, 5)), RNG.standard_normal(3)
    if bias:
        check(F.linear, TF.linear, RNG.standard_normal(xshape), w, b, dtype=dtype)
    else:
        check(F.linear, TF.linear, RNG.standard_normal(xshape), w, dtype=dtype)


def test_linear_records_pytorch_graph():
    x = E.randn(4, 5, requires_grad=True)
    w = E.randn(3, 5, requires_grad=True)
    y = F.linear(x, w, E.randn(3, requires_grad=True))
    assert y.grad_fn.name() == "AddmmBackward0"
    assert [type(n[0] if isinstance(n, tuple) else n).__name__ for n in y.grad_fn.next][2] == "TBackward0"
    assert F.linear(x, w).grad_fn.name() == "MmBackward0"


def test_linear_shape_error():
    with pytest.raises(RuntimeError, match=r"mat1 and mat2 shapes cannot be multiplied \(2x5 and 3x4\)"):
        F.linear(E.randn(2, 5), E.randn(4, 3))


def test_bilinear():
    check(F.bilinear, TF.bilinear, RNG.standard_normal((4, 2)), RNG.standard_normal((4, 3)),
          RNG.standard_normal((5, 2, 3)), RNG.standard_normal(5))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_norms(dtype):
    x4 = RNG.standard_normal((2, 6, 3, 3)) * 3 + 1
    w, b = RNG.random(6), RNG.random(6)
    check(lambda a, c, d: F.layer_norm(a, (3, 3), c, d), lambda a, c, d: TF.layer_norm(a, (3, 3), c, d),
          x4, RNG.random((3, 3)), RNG.random((3, 3)), dtype=dtype)
    check(lambda a, c, d: F.group_norm(a, 3, c, d), lambda a, c, d: TF.group_norm(a, 3, c, d), x4, w, b,
          dtype=dtype)
    check(lambda a, c, d: F.batch_norm(a, None, None, c, d, True), lambda a, c, d: TF.batch_norm(
        a, None, None, c, d, True), x4, w, b, dtype=dtype)
    rm, rv = RNG.random(6).astype(dtype), RNG.random(6).astype(dtype) + 0.5
    check(lambda a, c, d: F.batch_norm(a, E.tensor(rm), E.tensor(rv), c, d, False),
          lambda a, c, d: TF.batch_norm(a, torch.tensor(rm), torch.tensor(rv), c, d, False), x4, w, b, dtype=dtype)


def test_batch_norm_running_stats():
    x = RNG.standard_normal((8, 3)).astype(np.float32)
    erm, erv = E.zeros(3), E.ones(3)
    trm, trv = torch.zeros(3), torch.ones(3)
    F.batch_norm(E.tensor(x), erm, erv, training=True, momentum=0.3)
    TF.batch_norm(torch.tensor(x), trm, trv, training=True, momentum=0.3)
    np.testing.assert_allclose(erm.numpy(), trm.numpy(), rtol=1e-6)
    np.testing.assert_allclose(erv.numpy(), trv.numpy(), rtol=1e-6)
    with pytest.raises(ValueError, match="Expected more than 1 value per channel when training"):
        F.batch_norm(E.randn(1, 3), None, None, training=True)


def test_gradcheck_norms_and_acts():
    x = E.tensor(RNG.standard_normal((3, 4, 2)), requires_grad=True)
    w = E.tensor(RNG.random(4), requires_grad=True)
    assert E.autograd.gradcheck(lambda a, c: F.group_norm(a, 2, c), (x, w))
    assert E.autograd.gradcheck(lambda a, c: F.batch_norm(a, None, None, c, None, True), (x, w))
    assert E.autograd.gradcheck(lambda a: F.layer_norm(a, (2,)), (x,))
    for name in ("gelu", "silu", "mish", "softplus", "elu", "logsigmoid"):
        assert E.autograd.gradcheck(getattr(F, name), (x,))


def test_embedding_and_one_hot():
    idx = np.array([[0, 2], [2, 1]])
    check(lambda w: F.embedding(E.tensor(idx), w, padding_idx=1),
          lambda w: TF.embedding(torch.tensor(idx), w, padding_idx=1), RNG.standard_normal((4, 3)))
    t = np.array([0, 3, 1])
    assert np.array_equal(F.one_hot(E.tensor(t), 5).numpy(), TF.one_hot(torch.tensor(t), 5).numpy())
    assert F.one_hot(E.tensor(t)).dtype is E.int64
    with pytest.raises(RuntimeError, match="Class values must be smaller than num_classes."):
        F.one_hot(E.tensor([1, 5]), 3)
    with pytest.raises(IndexError, match="index out of range in self"):
        F.embedding(E.tensor([5]), E.randn(4, 3))


def test_normalize_and_dropout():
    check(F.normalize, TF.normalize, RNG.standard_normal((4, 5)))
    x = E.ones(2000)
    y = F.dropout(x, 0.25)
    kept = y.numpy() != 0
    assert np.allclose(y.numpy()[kept], 1 / 0.75)
    assert 0.65 < kept.mean() < 0.85
    assert F.dropout(x, 0.5, training=False) is x
    with pytest.raises(ValueError, match="dropout probability has to be between 0 and 1, but got 1.5"):
        F.dropout(x, 1.5)
    y2 = F.dropout2d(E.ones(4, 50, 3, 3), 0.5).numpy()
    assert np.all(y2 == y2[:, :, :1, :1])  # whole channels are kept or dropped
