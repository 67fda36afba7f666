"""torch.autograd.graph: saved-tensor hooks (pack at save, unpack in backward), per thread; gradient edges."""

import threading

import numpy as np
import pytest

import ember
from ember.autograd.graph import (
    GradientEdge,
    disable_saved_tensors_hooks,
    get_gradient_edge,
    save_on_cpu,
    saved_tensors_hooks,
)


def test_pack_runs_at_save_and_unpack_feeds_backward():
    x = ember.tensor([0.5, 1.0, 2.0], requires_grad=True)
    packed = []

    def pack(t):
        packed.append(t.detach().numpy().copy())
        return ("mine", t)

    def unpack(p):
        assert p[0] == "mine"
        return p[1] * 0 + 3.0  # backward sees 3 wherever it saved something
    with saved_tensors_hooks(pack, unpack):
        y = x.exp()  # saves its result
    assert len(packed) == 1
    np.testing.assert_allclose(packed[0], np.exp([0.5, 1.0, 2.0]), rtol=1e-6)
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [3.0, 3.0, 3.0])  # d/dx e^x computed from the unpacked "3"


def test_identity_hooks_and_save_on_cpu_leave_gradients_as_they_are():
    def f(x):
        return (x.sin() * x.exp() + x ** 3).sum()
    ref = ember.tensor([0.3, -1.2], requires_grad=True)
    f(ref).backward()
    for ctx in (saved_tensors_hooks(lambda t: t, lambda t: t), save_on_cpu()):
        x = ember.tensor([0.3, -1.2], requires_grad=True)
        with ctx:
            out = f(x)
        out.backward()
        np.testing.assert_allclose(x.grad.numpy(), ref.grad.numpy())


def test_errors_as_pytorch():
    x = ember.ones(2, requires_grad=True)
    with saved_tensors_hooks(lambda t: 5, lambda p: p):
        y = x.sin()
    with pytest.raises(TypeError, match="Output of saved tensor unpack_hook expected to be a Tensor but got result "
                                        "of type int"):
        y.sum().backward()
    with disable_saved_tensors_hooks("no hooks in this region"):
        with pytest.raises(RuntimeError, match="no hooks in this region"):
            with saved_tensors_hooks(lambda t: t, lambda t: t):
                pass


def test_hooks_are_per_thread():
    x = ember.ones(3, requires_grad=True)
    calls = []
    inside, done = threading.Event(), threading.Event()

    def other():
        inside.wait()
        x.exp().sum().backward()  # another thread's node: not packed by this thread's hooks
        done.set()
    t = threading.Thread(target=other)
    t.start()
    with saved_tensors_hooks(lambda v: calls.append("pack") or v, lambda v: v):
        inside.set()
        done.wait()
    t.join()
    assert calls == []


def test_gradient_edge():
    x = ember.ones(2, requires_grad=True)
    y = x * 2
    edge = get_gradient_edge(y)
    assert isinstance(edge, GradientEdge) and edge.node is y.grad_fn and edge.output_nr == 0
    assert get_gradient_edge(x).node.name() == "torch::autograd::AccumulateGrad"
    with pytest.raises(RuntimeError, match="does not require gradients"):
        get_gradient_edge(ember.ones(2))
    assert isinstance(y.grad_fn, ember.autograd.graph.Node)
