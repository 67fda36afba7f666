"""Layers against PyTorch: seeded default init, forward/backward with copied weights, running stats, reprs, utils."""

import numpy as np
import pytest

import ember as E
from ember import nn

torch = pytest.importorskip("torch")
tnn = torch.nn

RNG = np.random.default_rng(3)


def copy_weights(em, tm):
    em.load_state_dict({k: E.tensor(v.detach().numpy()) for k, v in tm.state_dict().items()})


def run_both(em, tm, *arrays, tol=1e-5):
    te = [torch.tensor(a, requires_grad=a.dtype.kind == "f") for a in arrays]
    ee = [E.tensor(a, requires_grad=a.dtype.kind == "f") for a in arrays]
    yt, ye = tm(*te), em(*ee)
    np.testing.assert_allclose(ye.detach().numpy(), yt.detach().numpy(), rtol=tol, atol=tol)
    assert (ye.grad_fn and ye.grad_fn.name()) == (yt.grad_fn and yt.grad_fn.name())
    g = RNG.standard_normal(tuple(yt.shape)).astype(arrays[0].dtype if arrays[0].dtype.kind == "f" else np.float32)
    yt.backward(torch.tensor(g))
    ye.backward(E.tensor(g))
    for a, b in zip(te, ee):
        if a.grad is not None:
            np.testing.assert_allclose(b.grad.numpy(), a.grad.numpy(), rtol=tol, atol=tol)
    for (n, pe), (_, pt) in zip(em.named_parameters(), tm.named_parameters()):
        if pt.grad is not None:
            np.testing.assert_allclose(pe.grad.numpy(), pt.grad.numpy(), rtol=tol * 10, atol=tol * 10, err_msg=n)


LAYERS = [
    ("Linear(5, 3)", (4, 5)), ("Linear(5, 3, bias=False)", (2, 6, 5)), ("Bilinear(5, 2, 3)", None),
    ("LayerNorm(5)", (4, 5)), ("LayerNorm((2, 5), elementwise_affine=False)", (3, 2, 5)),
    ("GroupNorm(2, 4)", (3, 4, 5)), ("BatchNorm1d(5)", (6, 5)), ("BatchNorm1d(4, affine=False)", (3, 4, 5)),
    ("BatchNorm2d(3, momentum=None)", (2, 3, 4, 4)), ("PReLU(3)", (2, 3, 4)), ("Flatten()", (2, 3, 4)),
    ("Unflatten(1, (2, 3))", (4, 6)), ("Identity()", (3, 2)), ("Softmax(dim=1)", (3, 4)),
    ("LogSoftmax(dim=-1)", (3, 4)), ("GELU(approximate='tanh')", (3, 4)), ("LeakyReLU(0.3)", (3, 4)),
    ("ReLU6()", (3, 4)), ("Hardswish()", (3, 4)), ("Mish()", (3, 4)), ("Softplus(beta=2)", (3, 4)),
    ("ELU(alpha=0.5)", (3, 4)), ("Dropout(0.3)", (3, 4)), ("Tanhshrink()", (3, 4)), ("Softsign()", (3, 4)),
]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("spec,shape", LAYERS)
def test_layer_matches_pytorch(spec, shape, dtype):
    E.manual_seed(11)
    torch.manual_seed(11)
    em, tm = eval("nn." + spec), eval("tnn." + spec)
    assert repr(em) == repr(tm)
    assert list(em.state_dict()) == list(tm.state_dict())
    for (n, pe), (_, pt) in zip(em.state_dict().items(), tm.state_dict().items()):
        np.testing.assert_array_equal(pe.numpy(), pt.numpy(), err_msg=f"default init of {n}")
    if dtype == np.float64:
        em.double()
        tm.double()
    if "Dropout" in spec:
        em.eval()
        tm.eval()
    tol = 1e-10 if dtype == np.float64 else 2e-5
    if shape is None:
        run_both(em, tm, RNG.standard_normal((4, 5)).astype(dtype), RNG.standard_normal((4, 2)).astype(dtype),
                 tol=tol)
    else:
        run_both(em, tm, (RNG.standard_normal(shape) * 2).astype(dtype), tol=tol)


def test_batchnorm_running_stats_over_steps_then_eval():
    em, tm = nn.BatchNorm2d(3), tnn.BatchNorm2d(3)
    for _ in range(3):
        x = (RNG.standard_normal((4, 3, 2, 2)) * 3 + 1).astype(np.float32)
        em(E.tensor(x))
        tm(torch.tensor(x))
    for k, v in tm.state_dict().items():
        np.testing.assert_allclose(em.state_dict()[k].numpy(), v.numpy(), rtol=1e-5, err_msg=k)
    em.eval()
    tm.eval()
    run_both(em, tm, RNG.standard_normal((2, 3, 2, 2)).astype(np.float32))
    with pytest.raises(ValueError, match=r"expected 4D input \(got 2D input\)"):
        em(E.randn(2, 3))


def test_batchnorm_loads_old_checkpoint_without_num_batches_tracked():
    sd = {k: v for k, v in nn.BatchNorm1d(2).state_dict().items() if k != "num_batches_tracked"}
    assert repr(nn.BatchNorm1d(2).load_state_dict(sd)) == "<All keys matched successfully>"


def test_embedding():
    E.manual_seed(5)
    torch.manual_seed(5)
    em, tm = nn.Embedding(6, 3, padding_idx=2), tnn.Embedding(6, 3, padding_idx=2)
    np.testing.assert_array_equal(em.weight.detach().numpy(), tm.weight.detach().numpy())
    idx = np.array([[0, 2, 5], [2, 2, 1]])
    run_both(em, tm, idx)
    pre = E.tensor(RNG.standard_normal((4, 2)).astype(np.float32))
    frozen = nn.Embedding.from_pretrained(pre)
    assert not frozen.weight.requires_grad and repr(frozen) == "Embedding(4, 2)"
    assert nn.Embedding.from_pretrained(pre, freeze=False).weight.requires_grad


def test_dropout_modes():
    d = nn.Dropout(0.5)
    x = E.ones(1000)
    assert (d(x).numpy() == 0).any()
    d.eval()
    assert np.array_equal(d(x).numpy(), x.numpy())
    with pytest.raises(ValueError, match="dropout probability has to be between 0 and 1, but got -0.1"):
        nn.Dropout(-0.1)


def test_clip_grad_and_vector_utils():
    em, tm = nn.Linear(4, 3), tnn.Linear(4, 3)
    copy_weights(em, tm)
    x = RNG.standard_normal((5, 4)).astype(np.float32) * 10
    (em(E.tensor(x)) ** 2).sum().backward()
    (tm(torch.tensor(x)) ** 2).sum().backward()
    for norm_type in (2.0, 1.0, float("inf")):
        ne = nn.utils.clip_grad_norm_(em.parameters(), 1e9, norm_type)
        nt = tnn.utils.clip_grad_norm_(tm.parameters(), 1e9, norm_type)
        np.testing.assert_allclose(ne.item(), nt.item(), rtol=1e-5)
    ne = nn.utils.clip_grad_norm_(em.parameters(), 0.5)
    nt = tnn.utils.clip_grad_norm_(tm.parameters(), 0.5)
    np.testing.assert_allclose(ne.item(), nt.item(), rtol=1e-5)
    for pe, pt in zip(em.parameters(), tm.parameters()):
        np.testing.assert_allclose(pe.grad.numpy(), pt.grad.numpy(), rtol=1e-5, atol=1e-7)
    nn.utils.clip_grad_value_(em.parameters(), 0.01)
    tnn.utils.clip_grad_value_(tm.parameters(), 0.01)
    for pe, pt in zip(em.parameters(), tm.parameters()):
        np.testing.assert_allclose(pe.grad.numpy(), pt.grad.numpy(), rtol=1e-5, atol=1e-7)
    v = nn.utils.parameters_to_vector(em.parameters())
    np.testing.assert_array_equal(v.detach().numpy(),
                                  tnn.utils.parameters_to_vector(tm.parameters()).detach().numpy())
    nn.utils.vector_to_parameters(v * 0 + 1, em.parameters())
    assert all(np.all(p.detach().numpy() == 1) for p in em.parameters())


def test_vector_to_parameters_keeps_a_0d_parameter_0d():
    """PyTorch views each slice as its parameter (view_as): a 0-d parameter stays 0-d (it printed as [0.])."""
    p, q = nn.Parameter(E.tensor(0.5)), nn.Parameter(E.ones(2, 3))
    nn.utils.vector_to_parameters(E.arange(7.0), [p, q])
    assert p.shape == () and p.item() == 0.0
    assert q.shape == (2, 3) and q.detach().numpy().tolist() == [[1, 2, 3], [4, 5, 6]]


def test_seed_tutorial_mlp_step_matches_pytorch():
    """Seed 001: Linear-ReLU-Linear, MSELoss, one SGD-style update by hand; same numbers as PyTorch."""
    E.manual_seed(42)
    torch.manual_seed(42)
    em = nn.Sequential(nn.Linear(5, 3), nn.ReLU(), nn.Linear(3, 1))
    tm = tnn.Sequential(tnn.Linear(5, 3), tnn.ReLU(), tnn.Linear(3, 1))
    x = RNG.standard_normal((10, 5)).astype(np.float32)
    y = RNG.standard_normal((10, 1)).astype(np.float32)
    le = nn.MSELoss()(em(E.tensor(x)), E.tensor(y))
    lt = tnn.MSELoss()(tm(torch.tensor(x)), torch.tensor(y))
    # equal up to float32 summation order (PyTorch's vectorised reduction order is not reproduced yet)
    np.testing.assert_allclose(le.item(), lt.item(), rtol=1e-6)
    le.backward()
    lt.backward()
    for (n, pe), (_, pt) in zip(em.named_parameters(), tm.named_parameters()):
        np.testing.assert_allclose(pe.grad.numpy(), pt.grad.numpy(), rtol=1e-5, atol=1e-7, err_msg=n)
