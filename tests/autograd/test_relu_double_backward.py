"""relu's backward under create_graph is itself an op, ThresholdBackwardBackward0, as in PyTorch: the gradient
keeps a grad_fn (with an edge to relu's output) even when nothing upstream requires grad, so a gradient penalty
on a ReLU network still backpropagates. Expected values are PyTorch 2.13's, derived by hand: relu'' = 0."""

import pytest

import ember
from ember.autograd import gradgradcheck


def test_gradient_of_relu_alone_carries_a_grad_fn():
    x = ember.tensor([-1.0, 0.5, 2.0], requires_grad=True)
    (g,) = ember.autograd.grad(ember.relu(x).sum(), x, create_graph=True)
    assert g.requires_grad and g.grad_fn.name() == "ThresholdBackwardBackward0"
    assert [None if f is None else f.name() for f, _ in g.grad_fn.next_functions] == [None, "ReluBackward0"]
    assert g.tolist() == [0.0, 1.0, 1.0]
    g.sum().backward()  # PyTorch: zeros, not "element 0 of tensors does not require grad"
    assert x.grad.tolist() == [0.0, 0.0, 0.0]


def test_gradient_penalty_through_relu():
    x = ember.tensor([-1.0, 0.5, 2.0], requires_grad=True)
    w = ember.tensor([1.0, 2.0, 3.0], requires_grad=True)
    (g,) = ember.autograd.grad((ember.relu(x) * w).sum(), x, create_graph=True)
    assert g.grad_fn.name() == "ThresholdBackwardBackward0"
    (g * g).sum().backward()  # d/dw sum([x > 0] w)^2 = 2 w [x > 0]
    assert x.grad.tolist() == [0.0, 0.0, 0.0] and w.grad.tolist() == [0.0, 4.0, 6.0]


def test_second_derivatives_against_finite_differences():
    x = ember.tensor([-1.3, 0.4, 2.1, -0.2], dtype=ember.float64, requires_grad=True)
    assert gradgradcheck(lambda t: ember.relu(t) * t, (x,))
    assert gradgradcheck(lambda t: ember.relu(t) ** 3, (x,))
    h = ember.func.hessian(lambda t: (ember.relu(t) ** 3).sum())(x.detach())
    assert h.diagonal().tolist() == [0.0, 6 * 0.4, 6 * 2.1, 0.0]


PIECEWISE_LINEAR = {  # activation -> the node PyTorch 2.13 records for its backward under create_graph
    "leaky_relu": (lambda t: ember.nn.functional.leaky_relu(t, 0.1), "LeakyReluBackwardBackward0"),
    "hardtanh": (ember.nn.functional.hardtanh, "HardtanhBackwardBackward0"),
    "relu6": (ember.nn.functional.relu6, "HardtanhBackwardBackward0"),
    "threshold": (lambda t: ember.nn.functional.threshold(t, 0.1, 0.0), "ThresholdBackwardBackward0"),
    "hardshrink": (ember.nn.functional.hardshrink, "HardshrinkBackwardBackward0"),
    "softshrink": (ember.nn.functional.softshrink, "SoftshrinkBackwardBackward0"),
}


@pytest.mark.parametrize("name", sorted(PIECEWISE_LINEAR))
def test_piecewise_linear_activations_keep_the_graph(name):
    f, node = PIECEWISE_LINEAR[name]
    x = ember.tensor([-1.7, -0.3, 0.05, 0.4, 2.0, 7.0], dtype=ember.float64, requires_grad=True)
    (g,) = ember.autograd.grad(f(x).sum(), x, create_graph=True)
    assert g.grad_fn.name() == node
    (g * g).sum().backward()
    assert x.grad.tolist() == [0.0] * 6
    w = ember.tensor([0.5, -2.0, 1.5, 3.0, -1.0, 2.5], dtype=ember.float64, requires_grad=True)
    assert gradgradcheck(lambda t, v: f(t) * v, (x.detach().requires_grad_(), w))
