"""The gradient of pooling, padding and nll_loss under create_graph requires grad, as PyTorch's does, even when
nothing upstream of the backward does: PyTorch's backward functions take the input x, so their result depends on
x (with a zero derivative: these backwards are linear in g and see x only through indices or not at all).

Before, ember returned a gradient that required no grad, so a gradient penalty on it raised "element 0 of tensors
does not require grad" where PyTorch trains on. The node names are PyTorch 2.13's (recorded from it); the second
derivatives are zero by hand (g·g is a function of g alone, and g does not depend on x's values)."""

from __future__ import annotations

import numpy as np
import pytest

import ember
import ember.nn.functional as F
from ember.nn import _functional_spatial as S

X4 = np.random.default_rng(0).standard_normal((2, 3, 6, 6))
X5 = np.random.default_rng(1).standard_normal((1, 2, 4, 4, 4))
X2 = np.random.default_rng(2).standard_normal((4, 5))
T = np.array([0, 2, 4, 1])

# (name, input, function, PyTorch's grad_fn of the gradient)
CASES = [
    ("max_pool2d", X4, lambda x: F.max_pool2d(x, 2), "MaxPool2DWithIndicesBackwardBackward0"),
    ("max_pool2d overlapping", X4, lambda x: F.max_pool2d(x, 3, 1, 1), "MaxPool2DWithIndicesBackwardBackward0"),
    ("max_pool3d", X5, lambda x: F.max_pool3d(x, 2), "MaxPool3DWithIndicesBackwardBackward0"),
    ("max_pool1d", X2, lambda x: F.max_pool1d(x.unsqueeze(0), 2), "SqueezeBackward1"),
    ("adaptive_max_pool2d", X4, lambda x: F.adaptive_max_pool2d(x, 2), "AdaptiveMaxPool2DBackwardBackward0"),
    ("adaptive_max_pool3d", X5, lambda x: F.adaptive_max_pool3d(x, 2), "AdaptiveMaxPool3DBackwardBackward0"),
    ("avg_pool2d", X4, lambda x: F.avg_pool2d(x, 2), "AvgPool2DBackwardBackward0"),
    ("avg_pool3d", X5, lambda x: F.avg_pool3d(x, 2), "AvgPool3DBackwardBackward0"),
    ("avg_pool1d", X2, lambda x: F.avg_pool1d(x.unsqueeze(0), 2), "SqueezeBackward1"),
    ("adaptive_avg_pool2d", X4, lambda x: F.adaptive_avg_pool2d(x, 2), "AdaptiveAvgPool2DBackwardBackward0"),
    ("reflect pad 2d", X4, lambda x: F.pad(x, (1, 1, 1, 1), mode="reflect"), "ReflectionPad2DBackwardBackward0"),
    ("reflect pad 1d", X2, lambda x: F.pad(x, (1, 1), mode="reflect"), "ReflectionPad1DBackwardBackward0"),
    ("replicate pad 2d", X4, lambda x: F.pad(x, (1, 1, 1, 1), mode="replicate"), "ReplicationPad2DBackwardBackward0"),
    ("replicate pad 3d", X5, lambda x: F.pad(x, (1,) * 6, mode="replicate"), "ReplicationPad3DBackwardBackward0"),
    ("nll_loss", X2, lambda x: F.nll_loss(x, ember.tensor(T)), "NllLossBackwardBackward0"),
    ("nll_loss 2d", X4, lambda x: F.nll_loss(x, ember.zeros(2, 6, 6, dtype=ember.long)), "NllLoss2DBackwardBackward0"),
]


@pytest.mark.parametrize("name,data,fn,node", CASES, ids=[c[0] for c in CASES])
def test_the_gradient_requires_grad_with_pytorchs_node_and_zero_second_derivative(name, data, fn, node):
    x = ember.tensor(data, requires_grad=True)
    (g,) = ember.autograd.grad(fn(x).sum(), x, create_graph=True)
    assert g.requires_grad and type(g.grad_fn).__name__ == node
    (gg,) = ember.autograd.grad((g * g).sum(), x)
    np.testing.assert_array_equal(gg.numpy(), np.zeros_like(data))


def test_a_gradient_penalty_through_max_pooling_trains():
    """WGAN-GP's penalty on a critic that starts with a pooling layer: PyTorch gives x.grad = 0 here, ember raised."""
    x = ember.tensor(X4, requires_grad=True)
    (g,) = ember.autograd.grad(F.max_pool2d(x, 2).sum(), x, create_graph=True)
    penalty = ((g.flatten(1).norm(dim=1) - 1) ** 2).mean()
    penalty.backward()
    np.testing.assert_array_equal(x.grad.numpy(), np.zeros_like(X4))


def test_an_upstream_gradient_that_requires_grad_keeps_its_own_derivative():
    """When g requires grad the backward's own ops are recorded (dz/dg is not zero): d/dw of the pooled gradient."""
    x = ember.tensor(X4, requires_grad=True)
    w = ember.tensor(2.0, requires_grad=True)
    (g,) = ember.autograd.grad((F.max_pool2d(x, 2) * w).sum(), x, create_graph=True)
    (gw,) = ember.autograd.grad(g.sum(), w)
    assert float(gw) == pytest.approx(2 * 3 * 3 * 3)  # one 1 per window: 2 x 3 channels x 3 x 3 windows


def test_without_the_declaration_the_check_above_fails(monkeypatch):
    monkeypatch.setattr(S.MaxPool2DWithIndicesBackward0, "zero_double", None)
    x = ember.tensor(X4, requires_grad=True)
    (g,) = ember.autograd.grad(F.max_pool2d(x, 2).sum(), x, create_graph=True)
    assert not g.requires_grad


def test_the_names_are_pytorchs():
    torch = pytest.importorskip("torch")
    tf = torch.nn.functional
    for name, data, fn, node in CASES:
        x = torch.tensor(data, requires_grad=True)
        ef = fn.__code__
        # the same call on torch: the lambdas use F and ember only through F.* and ember.tensor/zeros
        glb = {"F": tf, "ember": torch, "T": T}
        y = type(fn)(ef, glb)(x)
        (g,) = torch.autograd.grad(y.sum(), x, create_graph=True)
        assert type(g.grad_fn).__name__ == node, name


@pytest.mark.parametrize("primal_requires_grad", [False, True])
@pytest.mark.parametrize("name", ["avg_pool2d", "max_pool2d", "reflect pad 2d", "nll_loss"])
def test_forward_mode_tangents_carry_no_graph_from_the_probe(name, primal_requires_grad):
    """ember derives these ops' tangents from their backward with a probe u (J ẋ = d/du ⟨backward(u), ẋ⟩); the probe's
    zero-derivative node must not make the tangent require grad. PyTorch (its jvp formulas, recorded): the tangent of
    a tangent that requires no grad requires none, whether or not the primal does (these ops are linear in ẋ)."""
    data, fn = next((d, f) for n, d, f, _ in CASES if n == name)
    fwAD = ember.autograd.forward_ad
    x = ember.tensor(data, requires_grad=primal_requires_grad)
    t = ember.tensor(np.random.default_rng(3).standard_normal(data.shape))
    with fwAD.dual_level():
        out = fn(fwAD.make_dual(x, t))
        tangent = fwAD.unpack_dual(out).tangent
    assert not tangent.requires_grad
    # and it is J ẋ: a central difference in float64 (these ops are piecewise linear, so it is exact up to rounding)
    eps = 1e-6
    fd = (fn(ember.tensor(data) + eps * t) - fn(ember.tensor(data) - eps * t)) / (2 * eps)
    np.testing.assert_allclose(tangent.numpy(), fd.numpy(), rtol=1e-6, atol=1e-8)
