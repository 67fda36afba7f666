"""nn.init: exact formulas (bounds, gains, fans), errors, and distributions against PyTorch."""

import math

import numpy as np
import pytest

import ember as E
from ember.nn import init

torch = pytest.importorskip("torch")
tinit = torch.nn.init


def test_calculate_gain_and_fans():
    for nl, p in [("linear", None), ("conv2d", None), ("sigmoid", None), ("tanh", None), ("relu", None),
                  ("leaky_relu", None), ("leaky_relu", 0.2), ("leaky_relu", math.sqrt(5)), ("selu", None)]:
        assert init.calculate_gain(nl, p) == tinit.calculate_gain(nl, p)
    for shape in [(3, 4), (8, 3, 5, 5), (2, 6, 7)]:
        assert init._calculate_fan_in_and_fan_out(E.empty(shape)) == tinit._calculate_fan_in_and_fan_out(
            torch.empty(shape))
    with pytest.raises(ValueError, match="Unsupported nonlinearity foo"):
        init.calculate_gain("foo")
    with pytest.raises(ValueError, match="Fan in and fan out can not be computed for tensor with fewer than 2"):
        init.xavier_uniform_(E.empty(3))


def _bound_ok(t, bound):
    a = t.numpy()
    return a.min() >= -bound and a.max() <= bound and a.max() > 0.8 * bound


def test_uniform_bounds():
    w = E.empty(200, 50)
    init.kaiming_uniform_(w, a=math.sqrt(5))
    assert _bound_ok(w, 1 / math.sqrt(50))
    init.xavier_uniform_(w, gain=2.0)
    assert _bound_ok(w, 2.0 * math.sqrt(6 / 250))
    init.kaiming_uniform_(w, mode="fan_out", nonlinearity="relu")
    assert _bound_ok(w, math.sqrt(2) * math.sqrt(3 / 200))


def test_normal_stds():
    w = E.empty(400, 300)
    init.kaiming_normal_(w, nonlinearity="relu")
    assert abs(w.numpy().std() - math.sqrt(2 / 300)) < 0.01 * math.sqrt(2 / 300) * 5
    init.xavier_normal_(w)
    assert abs(w.numpy().std() - math.sqrt(2 / 700)) < 0.05 * math.sqrt(2 / 700)
    init.trunc_normal_(w, mean=1.0, std=2.0, a=-1.0, b=2.0)
    a = w.numpy()
    assert a.min() >= -1.0 and a.max() <= 2.0
    ref = torch.empty(400, 300)
    tinit.trunc_normal_(ref, mean=1.0, std=2.0, a=-1.0, b=2.0)
    assert abs(a.mean() - ref.mean().item()) < 0.02


def test_deterministic_inits_match_pytorch():
    for shape in [(3, 3), (2, 5), (5, 2)]:
        e, t = E.empty(shape), torch.empty(shape)
        assert np.array_equal(init.eye_(e).numpy(), tinit.eye_(t).numpy())
    for shape, groups in [((4, 2, 3), 1), ((6, 3, 3, 3), 2), ((4, 4, 3, 3, 3), 1)]:
        e, t = E.empty(shape), torch.empty(shape)
        assert np.array_equal(init.dirac_(e, groups).numpy(), tinit.dirac_(t, groups).numpy())
    e = E.empty(3, 2)
    assert np.all(init.constant_(e, 0.3).numpy() == np.float32(0.3))
    assert np.all(init.ones_(e).numpy() == 1) and np.all(init.zeros_(e).numpy() == 0)
    with pytest.raises(ValueError, match="Only tensors with 2 dimensions are supported"):
        init.eye_(E.empty(2, 2, 2))


@pytest.mark.parametrize("shape", [(6, 4), (4, 6), (3, 2, 2)])
def test_orthogonal(shape):
    w = E.empty(shape)
    init.orthogonal_(w, gain=2.0)
    m = w.numpy().reshape(shape[0], -1).astype(np.float64)
    small = m @ m.T if m.shape[0] <= m.shape[1] else m.T @ m
    np.testing.assert_allclose(small, 4 * np.eye(small.shape[0]), atol=1e-5)


def test_inits_record_no_graph_on_parameters():
    from ember import nn
    p = nn.Parameter(E.empty(4, 3))
    init.kaiming_uniform_(p)
    init.normal_(p)
    assert p.grad_fn is None and p.requires_grad
