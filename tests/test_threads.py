"""Threads do not disturb each other: grad mode, inference mode, anomaly mode and forward-mode levels are per
thread; 20 concurrent trainings end exactly where each ends alone; the default generator is safe to share."""

import threading

import numpy as np
import pytest

import ember
import ember.nn as nn


def _train(seed: int, steps: int = 15, barrier=None, with_no_grad_eval: bool = True):
    """A small MLP trained by SGD on its own data; returns its final parameters and losses."""
    rng = np.random.default_rng(seed)
    x = ember.tensor(rng.standard_normal((16, 5)).astype(np.float32))
    y = ember.tensor(rng.standard_normal((16, 1)).astype(np.float32))
    model = nn.Sequential(nn.Linear(5, 8), nn.Tanh(), nn.Linear(8, 1))
    with ember.no_grad():
        for p in model.parameters():  # deterministic init without the shared generator
            p.copy_(ember.tensor(rng.standard_normal(p.shape).astype(np.float32) * 0.3))
    opt = ember.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    losses = []
    for _ in range(steps):
        if barrier is not None:
            barrier.wait()  # every thread is at the same point: their forwards and backwards interleave
        opt.zero_grad()
        loss = nn.functional.mse_loss(model(x), y)
        loss.backward()
        opt.step()
        losses.append(loss.item())
        if with_no_grad_eval:
            with ember.no_grad():  # another thread's forward is recording meanwhile
                model(x)
    return [p.detach().numpy().copy() for p in model.parameters()], losses


def _same(a, b) -> bool:
    (pa, la), (pb, lb) = a, b
    return la == lb and all(np.array_equal(x, y) for x, y in zip(pa, pb))


def test_twenty_concurrent_trainings_match_their_solo_runs():
    n = 20
    solo = [_train(seed) for seed in range(n)]
    barrier = threading.Barrier(n)
    results, errors = [None] * n, []

    def worker(i):
        try:
            results[i] = _train(i, barrier=barrier)
        except Exception as e:  # noqa: BLE001
            errors.append(repr(e))
            barrier.abort()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert all(_same(r, s) for r, s in zip(results, solo))


def test_the_comparison_sees_a_different_training():
    assert _same(_train(0, steps=3), _train(0, steps=3))
    assert not _same(_train(0, steps=3), _train(1, steps=3))


def test_no_grad_in_one_thread_leaves_another_recording():
    entered, recorded = threading.Event(), threading.Event()
    out = {}

    def holder():
        with ember.no_grad():
            entered.set()
            recorded.wait()
            out["holder"] = ember.is_grad_enabled()

    def recorder():
        entered.wait()
        w = ember.ones(3, requires_grad=True)
        y = (w * 2).sum()
        out["recorder"] = (ember.is_grad_enabled(), y.requires_grad, y.grad_fn.name())
        recorded.set()
    threads = [threading.Thread(target=holder), threading.Thread(target=recorder)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert out == {"holder": False, "recorder": (True, True, "SumBackward0")}


@pytest.mark.filterwarnings("ignore:Anomaly Detection has been enabled")
@pytest.mark.parametrize("mode", ["inference_mode", "anomaly", "dual_level", "set_grad_enabled"])
def test_modes_are_per_thread(mode):
    ctx = {"inference_mode": lambda: ember.inference_mode(),
           "anomaly": lambda: ember.autograd.detect_anomaly(),
           "dual_level": lambda: ember.autograd.forward_ad.dual_level(),
           "set_grad_enabled": lambda: ember.set_grad_enabled(False)}[mode]
    inside, checked = threading.Event(), threading.Event()
    seen = {}

    def probe():
        inside.wait()
        seen["inference"] = ember.is_inference_mode_enabled()
        seen["anomaly"] = ember.is_anomaly_enabled()
        seen["grad"] = ember.is_grad_enabled()
        x = ember.ones(2, requires_grad=True)
        seen["records"] = (x * 3).requires_grad
        checked.set()
    t = threading.Thread(target=probe)
    t.start()
    with ctx():
        inside.set()
        checked.wait()
    t.join()
    assert seen == {"inference": False, "anomaly": False, "grad": True, "records": True}


def test_the_default_generator_is_safe_to_share():
    """Each call takes its numbers from the stream in one piece: together the threads drew exactly the numbers
    one thread drawing the same calls would have (as a multiset), no number twice."""
    n_threads, calls, size = 8, 200, 7
    ember.manual_seed(1234)
    expected = np.sort(np.concatenate([ember.rand(size).numpy() for _ in range(n_threads * calls)]))
    ember.manual_seed(1234)
    drawn, barrier = [[] for _ in range(n_threads)], threading.Barrier(n_threads)

    def worker(i):
        barrier.wait()
        for _ in range(calls):
            drawn[i].append(ember.rand(size).numpy())
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n_threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    got = np.sort(np.concatenate([a for d in drawn for a in d]))
    np.testing.assert_array_equal(got, expected)
