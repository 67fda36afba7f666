"""ember.compile: a recorded step replays the same numbers as eager ember, bit for bit, and PyTorch's to 1e-5."""

import json
import os
import sys

import numpy as np
import pytest

import ember
from ember import nn

sys.path.insert(0, os.path.dirname(__file__))
import _models as M  # noqa: E402

STEPS = 12
with open(os.path.join(os.path.dirname(__file__), "..", "fixtures", "compile_torch_losses.json")) as f:
    TORCH_LOSSES = json.load(f)


def _arrays(model):
    return [p.detach().numpy().copy() for p in model.parameters()] + \
        [p.grad.numpy().copy() for p in model.parameters()]


def _run(make, compiled, steps=STEPS):
    model, opt, step = make()
    s = ember.compile(step) if compiled else step
    losses = [s().item() for _ in range(steps)]
    return losses, _arrays(model), s


def _same(a, b):
    assert a[0] == b[0]  # the losses, as Python floats: equal, not close
    assert len(a[1]) == len(b[1])
    for x, y in zip(a[1], b[1]):
        assert x.dtype == y.dtype and x.shape == y.shape
        assert np.array_equal(x, y)


@pytest.mark.parametrize("opt", ["sgd", "adam"])
@pytest.mark.parametrize("net", ["wide", "mlp"])
def test_replay_equals_eager_bit_for_bit_and_pytorch_to_1e5(net, opt):
    make = (lambda: M.wide_net(ember, opt)) if net == "wide" else (lambda: M.mlp(ember, opt))
    eager, compiled = _run(make, False), _run(make, True)
    _same(eager, compiled)
    c = compiled[2]
    assert c.recordings == 2 and c.replays == STEPS - 2  # the first step makes optimizer state: recorded again
    np.testing.assert_allclose(compiled[0], TORCH_LOSSES[f"{net}_{opt}"], rtol=0, atol=1e-5)


def test_losses_equal_live_pytorch():
    torch = pytest.importorskip("torch")
    step = M.wide_net(torch, "sgd")[2]
    want = [step().item() for _ in range(STEPS)]
    np.testing.assert_allclose(_run(lambda: M.wide_net(ember, "sgd"), True)[0], want, rtol=0, atol=1e-5)


def test_the_replay_is_a_flat_numpy_program():
    _, _, step = M.wide_net(ember, "sgd")
    c = ember.compile(step)
    for _ in range(3):
        c()
    (p,) = c.programs
    body = p.source.split("try:")[1].split("finally:")[0]
    assert "Tensor" not in body and "backward" not in body  # no tensors, no nodes: NumPy calls
    assert "out=" in p.source or "b" in body                 # results written into buffers made once
    assert p.stats["ops kept"] < p.stats["ops recorded"]


def _chain_run(compiled, steps=6):
    x, step = M.chain(ember)
    s = ember.compile(step) if compiled else step
    grads = []
    for _ in range(steps):
        s()
        grads.append(x.grad.numpy().copy())
    return grads, s


def test_chain_of_elementwise_ops():
    a, _ = _chain_run(False)
    b, c = _chain_run(True)
    assert all(np.array_equal(g, h) for g, h in zip(a, b))
    assert c.recordings == 2 and c.replays == 4  # x.grad is None when the first call begins, not later


def test_new_grad_tensors_each_replay():
    """A replay's .grad is a new tensor, as eager's: one kept from the previous step is not overwritten."""
    x, step = M.chain(ember)
    c = ember.compile(step)
    c()
    c()
    kept = x.grad
    before = kept.numpy().copy()
    with ember.no_grad():
        x.add_(1.0)
    c()
    assert x.grad is not kept and np.array_equal(kept.numpy(), before)


class _Drop(nn.Module):
    def __init__(self):
        super().__init__()
        self.a, self.d, self.b = nn.Linear(6, 16), nn.Dropout(0.3), nn.Linear(16, 3)

    def forward(self, x):
        return self.b(self.d(ember.tanh(self.a(x))))


def _drop_run(compiled, steps=6):
    ember.manual_seed(0)
    model = _Drop()
    opt = ember.optim.Adam(model.parameters(), lr=0.01)
    x, y = ember.randn(8, 6), ember.randint(0, 3, (8,))

    def step():
        opt.zero_grad()
        loss = nn.functional.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        return loss

    s = ember.compile(step) if compiled else step
    losses = [s().item() for _ in range(steps)]
    return losses, _arrays(model), ember.rand(3).numpy(), s


def test_dropout_draws_from_the_same_stream():
    a, b = _drop_run(False), _drop_run(True)
    assert a[0] == b[0] and all(np.array_equal(p, q) for p, q in zip(a[1], b[1]))
    assert np.array_equal(a[2], b[2])  # the generator is where eager left it
    assert b[3].replays == 4


def _cnn_rnn(kind, compiled, steps=5):
    ember.manual_seed(0)
    if kind == "cnn":
        model = nn.Sequential(nn.Conv2d(1, 4, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(4 * 4 * 4, 3))
        x = ember.randn(4, 1, 10, 10)
    else:
        class R(nn.Module):
            def __init__(self):
                super().__init__()
                self.rnn, self.fc = nn.GRU(5, 7, batch_first=True), nn.Linear(7, 3)

            def forward(self, x):
                return self.fc(self.rnn(x)[0][:, -1])
        model = R()
        x = ember.randn(4, 6, 5)
    y = ember.randint(0, 3, (4,))
    opt = ember.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)

    def step():
        opt.zero_grad()
        loss = nn.functional.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        return loss

    s = ember.compile(step) if compiled else step
    return [s().item() for _ in range(steps)], _arrays(model), s


@pytest.mark.parametrize("kind", ["cnn", "rnn"])
def test_cnn_and_rnn(kind):
    a, b = _cnn_rnn(kind, False), _cnn_rnn(kind, True)
    _same(a, b)
    assert b[2].replays == 3


def test_scheduler_changes_lr_without_recording_again():
    def run(compiled):
        model, opt, step = M.mlp(ember, "sgd")
        sched = ember.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
        s = ember.compile(step) if compiled else step
        losses = []
        for _ in range(8):
            losses.append(s().item())
            sched.step()
        return losses, _arrays(model), s
    a, b = run(False), run(True)
    _same(a, b)
    assert b[2].recordings == 2  # lr is read by the optimizer's live update at every replay


def test_returned_loss_has_a_used_graph():
    _, _, step = M.wide_net(ember, "sgd")
    c = ember.compile(step)
    for _ in range(3):
        loss = c()
    assert loss.requires_grad and loss.grad_fn is not None
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        loss.backward()


def test_decorator_forms_and_pytorch_signature():
    @ember.compile
    def f(x):
        return x * 2

    @ember.compile(fullgraph=True, dynamic=False, backend="inductor", mode="max-autotune", options={})
    def g(x):
        return x + 1

    x = ember.ones(3)
    for _ in range(3):
        assert f(x).tolist() == [2.0, 2.0, 2.0] and g(x).tolist() == [2.0, 2.0, 2.0]
    assert (f.recordings, f.replays) == (1, 2) and (g.recordings, g.replays) == (1, 2)
    h = ember.compile(lambda x: x - 1, disable=True)
    assert h(x).tolist() == [0.0, 0.0, 0.0] and h.recordings == 0


def test_module_compile_in_place_and_optimized_module():
    ember.manual_seed(0)
    m = nn.Linear(3, 2)
    x = ember.randn(4, 3)
    with ember.no_grad():
        want = m(x).numpy().copy()
    assert m.compile() is None
    om = ember.compile(m)
    with ember.no_grad():
        for _ in range(3):
            assert np.array_equal(m(x).numpy(), want) and np.array_equal(om(x).numpy(), want)
    assert om._orig_mod is m
    assert m.forward.replays == 2
