"""ember.compile's fused optimizer update: plain SGD (no momentum, float32) replayed as one call over a buffer made
once. The numbers stay eager ember's, bit for bit; the learning rate is read at every replay; a group that gains
momentum is rejected by the update's guard and recorded again."""

import os
import sys

import numpy as np
import pytest

import ember
from ember._compile.program import MISS

sys.path.insert(0, os.path.dirname(__file__))
import _models as M  # noqa: E402


def _plain(dtype=np.float32, foreach=None):
    if dtype == np.float32:
        model, opt, step = M.mlp(ember, "sgd")
    else:  # a float64 regression: the fused update is float32's
        rng = np.random.default_rng(4)
        ember.manual_seed(4)
        model = ember.nn.Sequential(ember.nn.Linear(6, 8), ember.nn.Tanh(), ember.nn.Linear(8, 2)).double()
        opt = ember.optim.SGD(model.parameters(), lr=0.1)
        x, y = (ember.tensor(rng.standard_normal((5, n))) for n in (6, 2))

        def step():
            opt.zero_grad()
            loss = ember.nn.functional.mse_loss(model(x), y)
            loss.backward()
            opt.step()
            return loss
    g = opt.param_groups[0]
    g["momentum"], g["foreach"] = 0, foreach
    return model, opt, step


def _state(model):
    return [p.detach().numpy().copy() for p in model.parameters()] + \
        [p.grad.numpy().copy() for p in model.parameters()]


def _run(compiled, steps=8, change=None, **kw):
    model, opt, step = _plain(**kw)
    s = ember.compile(step) if compiled else step
    losses = []
    for k in range(steps):
        if change is not None:
            change(k, opt)
        losses.append(s().item())
    return losses, _state(model), s


def _assert_same(a, b):
    assert a[0] == b[0]
    for x, y in zip(a[1], b[1]):
        assert x.dtype == y.dtype and np.array_equal(x, y)


@pytest.mark.parametrize("foreach", [None, True])
def test_plain_sgd_is_fused_and_equals_eager_bit_for_bit(foreach):
    eager, compiled = _run(False, foreach=foreach), _run(True, foreach=foreach)
    _assert_same(eager, compiled)
    c = compiled[2]
    assert c.replays >= 6
    assert "SGD_PLAIN(" in c.programs[-1].source and "optimizer_update" not in c.programs[-1].source


def test_float64_parameters_keep_the_optimizers_own_update():
    eager, compiled = _run(False, dtype=np.float64), _run(True, dtype=np.float64)
    _assert_same(eager, compiled)
    assert "SGD_PLAIN(" not in compiled[2].programs[-1].source and compiled[2].replays >= 6


def test_a_changed_lr_takes_effect_at_the_next_replay():
    def change(k, opt):
        if k == 5:
            opt.param_groups[0]["lr"] = 0.5
    eager, compiled = _run(False, change=change), _run(True, change=change)
    _assert_same(eager, compiled)
    # the second call records again (the gradients now exist); the lr change is no guard: it is read at replay
    assert compiled[2].recordings == 2 and compiled[2].replays == 6
    unchanged = _run(True)
    assert unchanged[0][:6] == compiled[0][:6] and unchanged[0][6:] != compiled[0][6:]  # the new lr did act


def test_a_scheduler_drives_the_fused_update():
    def run(compiled):
        model, opt, step = _plain()
        sched = ember.optim.lr_scheduler.ExponentialLR(opt, gamma=0.7)
        s = ember.compile(step) if compiled else step
        losses = []
        for _ in range(6):
            losses.append(s().item())
            sched.step()
        return losses, _state(model), s
    a, b = run(False), run(True)
    _assert_same(a, b)
    assert b[2].recordings == 2 and b[2].replays == 4


def _without_the_worlds_momentum_guard(p, keep_update_guard=True):
    """``p`` run again with the world's own check of the group's momentum taken out (the optimizer's traced code
    reads momentum, so the world guards it too): what is left is the fused update's guard, if kept."""
    term = "D.get('momentum') != 0 or type(D.get('momentum')) is not int or "
    assert any(term in g for g in p._guards)
    p._guards = [g.replace(term, "") for g in p._guards]
    if not keep_update_guard:
        p._guards = [g for g in p._guards if g not in p.update_guards]
    p.run = p._exec(p._assemble(), "run")
    return p


@pytest.mark.parametrize("keep", [True, False])
def test_the_update_guard_rejects_a_group_with_momentum(keep):
    model, opt, step = _plain()
    c = ember.compile(step)
    for _ in range(3):
        c()
    p = _without_the_worlds_momentum_guard(c.programs[-1], keep)
    assert p.update_guards == [f"if {p.code.name(opt.param_groups[0])}['momentum'] != 0: return MISS"]
    assert p.run((), {}) is not MISS
    before = [q.detach().numpy().copy() for q in model.parameters()]
    opt.param_groups[0]["momentum"] = 0.9
    r = p.run((), {})
    if keep:  # the fused update has no momentum buffer: this program must not run
        assert r is MISS
        assert all(np.array_equal(a, q.detach().numpy()) for a, q in zip(before, model.parameters()))
    else:  # without the guard the wrong program runs (what the guard is for)
        assert r is not MISS


def test_momentum_switched_on_records_again_and_equals_eager():
    def change(k, opt):
        if k == 4:
            opt.param_groups[0]["momentum"] = 0.9
    eager, compiled = _run(False, change=change), _run(True, change=change)
    _assert_same(eager, compiled)
    assert compiled[2].recordings >= 2
    assert any("optimizer_update" in p.source for p in compiled[2].programs)
