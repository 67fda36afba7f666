"""ember.compile's guards: when what a recording assumed changes, the step is recorded again (or runs eagerly),
and the numbers are eager's. Each test changes one thing and checks both the count of recordings (the guard
rejected the old program) and the numbers."""

import numpy as np
import pytest

import ember
from ember import nn
from ember._compile import config


def _pair(make):
    """The same step twice, from the same numbers: (eager objects, compiled objects)."""
    return make(), make()


def _params(model):
    return [p.detach().numpy().copy() for p in model.parameters()]


def _assert_same(m1, m2, l1, l2):
    assert l1 == l2
    for a, b in zip(_params(m1), _params(m2)):
        assert np.array_equal(a, b)


def _step_xy():
    ember.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 2))
    opt = ember.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=0.0)

    def step(x, y):
        opt.zero_grad()
        loss = nn.functional.mse_loss(model(x), y)
        loss.backward()
        opt.step()
        return loss

    return model, opt, step


def _xy(n, dtype=np.float32, seed=0):
    rng = np.random.default_rng(seed)
    return ember.tensor(rng.standard_normal((n, 4)).astype(dtype)), ember.tensor(rng.standard_normal((n, 2)).astype(dtype))


def test_new_batch_tensors_each_call_replay_and_a_new_shape_records_again():
    (m1, _, s1), (m2, _, s2) = _pair(_step_xy)
    c = ember.compile(s2)
    l1, l2 = [], []
    for k in range(8):
        x, y = _xy(6 if k < 5 else 3, seed=k)  # fresh tensors every call; the batch shrinks at call 5
        l1.append(s1(x, y).item())
        l2.append(c(x, y).item())
    _assert_same(m1, m2, l1, l2)
    assert c.recordings == 3 and c.replays == 5  # first step, steady state, the new shape


def test_dtype_change_records_again():
    f = ember.compile(lambda x: (x * 3).sum())
    for dt in (np.float32, np.float32, np.float64, np.float64):
        x = ember.tensor(np.arange(5, dtype=dt))
        r = f(x)
        assert r.dtype == ember.from_numpy(np.zeros(1, dt)).dtype and r.item() == 30.0
    assert f.recordings == 2 and f.replays == 2


def test_lr_set_by_hand_takes_effect_without_recording_again():
    (m1, o1, s1), (m2, o2, s2) = _pair(_step_xy)
    c = ember.compile(s2)
    x, y = _xy(6)
    l1, l2 = [], []
    for k in range(6):
        if k == 4:
            for o in (o1, o2):
                o.param_groups[0]["lr"] = 0.01
        l1.append(s1(x, y).item())
        l2.append(c(x, y).item())
    _assert_same(m1, m2, l1, l2)
    assert c.recordings == 2


def test_a_hyper_parameter_the_trace_fixed_records_again():
    (m1, o1, s1), (m2, o2, s2) = _pair(_step_xy)
    c = ember.compile(s2)
    x, y = _xy(6)
    l1, l2 = [], []
    for k in range(6):
        if k == 4:  # weight decay is added to the gradient in traced code: it was fixed, so it is guarded
            for o in (o1, o2):
                o.param_groups[0]["weight_decay"] = 0.5
        l1.append(s1(x, y).item())
        l2.append(c(x, y).item())
    _assert_same(m1, m2, l1, l2)
    assert c.recordings == 3


def _drop_step():
    ember.manual_seed(1)
    model = nn.Sequential(nn.Linear(4, 8), nn.Dropout(0.5), nn.Linear(8, 2))
    opt = ember.optim.SGD(model.parameters(), lr=0.1)
    x, y = _xy(6)

    def step():
        opt.zero_grad()
        loss = nn.functional.mse_loss(model(x), y)
        loss.backward()
        opt.step()
        return loss

    return model, opt, step


def test_train_eval_records_again():
    def run(step):  # dropout draws from the default generator: one run after the other, each from its seed
        model, _, s = _drop_step()
        s = step(s)
        losses = []
        for k in range(8):
            if k == 4:
                model.eval()
            if k == 6:
                model.train()
            losses.append(s().item())
        return model, losses, s
    m1, l1, _ = run(lambda s: s)
    m2, l2, c = run(ember.compile)
    _assert_same(m1, m2, l1, l2)
    # the first call (no .grad yet), steady state, eval; back in train mode the steady program replays
    assert c.recordings == 3 and c.replays == 5


def test_a_replaced_parameter_records_again():
    (m1, _, s1), (m2, _, s2) = _pair(_step_xy)
    c = ember.compile(s2)
    x, y = _xy(6)
    l1, l2 = [], []
    for k in range(6):
        if k == 3:  # the optimizer keeps updating the old one, as in eager
            for m in (m1, m2):
                m[2].weight = nn.Parameter(ember.full((2, 8), 0.25))
        l1.append(s1(x, y).item())
        l2.append(c(x, y).item())
    _assert_same(m1, m2, l1, l2)
    assert m2[2].weight.grad is not None and np.array_equal(m1[2].weight.grad.numpy(), m2[2].weight.grad.numpy())
    # first step, steady state, the new weight without .grad, then with one (the optimizer never zeroes it)
    assert c.recordings == 4


def test_requires_grad_false_on_a_layer_records_again():
    (m1, _, s1), (m2, _, s2) = _pair(_step_xy)
    c = ember.compile(s2)
    x, y = _xy(6)
    l1, l2 = [], []
    for k in range(6):
        if k == 3:
            m1[0].requires_grad_(False)
            m2[0].requires_grad_(False)
        l1.append(s1(x, y).item())
        l2.append(c(x, y).item())
    _assert_same(m1, m2, l1, l2)
    assert c.recordings == 4  # first step, steady state, the frozen layer with its old .grad, then without
    assert m2[0].weight.grad is None  # zero_grad set it to None and backward no longer reaches it


def test_grad_mode_is_part_of_the_key():
    ember.manual_seed(0)
    m = nn.Linear(3, 2)
    f = ember.compile(lambda x: m(x) * 2)
    x = ember.randn(4, 3)
    with ember.no_grad():
        a = [f(x) for _ in range(3)]
    assert all(not t.requires_grad for t in a) and f.replays == 2
    b = f(x)  # with grad: a graph the caller may use, so it is not replayed (the forward alone is not a step)
    assert b.requires_grad
    b.sum().backward()
    assert m.weight.grad is not None
    assert all(np.array_equal(t.detach().numpy(), b.detach().numpy()) for t in a)


def test_bounded_cache_then_eager():
    f = ember.compile(lambda x: x + 1)
    for n in range(1, config.cache_size_limit + 4):
        assert f(ember.zeros(n)).tolist() == [1.0] * n
    assert f.recordings == config.cache_size_limit
    assert f.eager_calls == 3
    assert "cache_size_limit" in f._dead


def test_a_global_the_step_reads_is_guarded():
    g = {"scale": 2.0}
    exec("def f(x):\n    return x * scale\n", g)  # noqa: S102
    c = ember.compile(g["f"])
    x = ember.ones(2)
    assert c(x).tolist() == [2.0, 2.0] and c(x).tolist() == [2.0, 2.0]
    g["scale"] = 5.0
    assert c(x).tolist() == [5.0, 5.0]
    assert c.recordings == 2


@pytest.mark.parametrize("set_to_none", [True, False])
def test_gradient_accumulation_over_calls(set_to_none):
    """No zero_grad inside the step: .grad accumulates across calls, in place after the first."""
    def make():
        ember.manual_seed(0)
        model = nn.Linear(3, 1)
        x = ember.randn(5, 3)

        def step():
            model(x).pow(2).mean().backward()
        return model, step
    (m1, s1), (m2, s2) = make(), make()
    c = ember.compile(s2)
    for k in range(6):
        if k == 4:
            for m in (m1, m2):
                for p in m.parameters():
                    if set_to_none:
                        p.grad = None
                    else:
                        p.grad.zero_()
        s1()
        c()
    for a, b in zip(m1.parameters(), m2.parameters()):
        assert np.array_equal(a.grad.numpy(), b.grad.numpy())
    assert c.replays >= 2
