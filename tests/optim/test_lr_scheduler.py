"""Schedulers against PyTorch: the lr (and momentum) of every group over 100 steps, state_dict round trips."""

import math
import warnings

import pytest

import ember

torch = pytest.importorskip("torch")


def _opt(lib, cls="SGD", groups=2, **kw):
    ps = [{"params": [lib.zeros(2, requires_grad=True)], "lr": 0.1 * (i + 1)} for i in range(groups)]
    return getattr(lib.optim, cls)(ps, **({"momentum": 0.9} if cls == "SGD" else {}) | kw)


S = "lr_scheduler"
CASES = [
    ("StepLR", lambda ls, o: ls.StepLR(o, step_size=7, gamma=0.5)),
    ("MultiStepLR", lambda ls, o: ls.MultiStepLR(o, milestones=[10, 30, 30, 75], gamma=0.3)),
    ("ExponentialLR", lambda ls, o: ls.ExponentialLR(o, gamma=0.97)),
    ("CosineAnnealingLR", lambda ls, o: ls.CosineAnnealingLR(o, T_max=30, eta_min=1e-3)),
    ("CosineAnnealingWarmRestarts", lambda ls, o: ls.CosineAnnealingWarmRestarts(o, T_0=7, T_mult=2, eta_min=1e-4)),
    ("LambdaLR", lambda ls, o: ls.LambdaLR(o, lambda e: 1 / (1 + e))),
    ("LambdaLR-list", lambda ls, o: ls.LambdaLR(o, [lambda e: 0.95 ** e, lambda e: 1 + math.sin(e)])),
    ("MultiplicativeLR", lambda ls, o: ls.MultiplicativeLR(o, lambda e: 0.98)),
    ("LinearLR", lambda ls, o: ls.LinearLR(o, start_factor=0.1, end_factor=0.9, total_iters=40)),
    ("ConstantLR", lambda ls, o: ls.ConstantLR(o, factor=0.3, total_iters=12)),
    ("PolynomialLR", lambda ls, o: ls.PolynomialLR(o, total_iters=60, power=2.0)),
    ("OneCycleLR", lambda ls, o: ls.OneCycleLR(o, max_lr=[1.0, 2.0], total_steps=101)),
    ("OneCycleLR-3", lambda ls, o: ls.OneCycleLR(o, max_lr=1.0, epochs=10, steps_per_epoch=11, three_phase=True,
                                                anneal_strategy="linear")),
    ("CyclicLR", lambda ls, o: ls.CyclicLR(o, base_lr=0.01, max_lr=0.1, step_size_up=9)),
    ("CyclicLR-2", lambda ls, o: ls.CyclicLR(o, 0.01, [0.1, 0.2], step_size_up=5, step_size_down=8,
                                            mode="triangular2")),
    ("CyclicLR-exp", lambda ls, o: ls.CyclicLR(o, 0.01, 0.1, step_size_up=6, mode="exp_range", gamma=0.99)),
    ("SequentialLR", lambda ls, o: ls.SequentialLR(o, [ls.LinearLR(o, 0.2, total_iters=10),
                                                        ls.ExponentialLR(o, 0.9)], milestones=[10])),
    ("SequentialLR-3", lambda ls, o: ls.SequentialLR(o, [ls.ConstantLR(o, 0.5, total_iters=5),
                                                          ls.CosineAnnealingLR(o, T_max=20),
                                                          ls.StepLR(o, 10, 0.5)], milestones=[8, 40])),
    ("ChainedScheduler", lambda ls, o: ls.ChainedScheduler([ls.ConstantLR(o, 0.5, total_iters=5),
                                                             ls.ExponentialLR(o, 0.95)])),
]


def _momentum(o):
    return [g.get("momentum", g.get("betas", (None,))[0]) for g in o.param_groups]


@pytest.mark.parametrize("cls", ["SGD", "Adam"])
@pytest.mark.parametrize("name,make", CASES, ids=[c[0] for c in CASES])
def test_lr_sequence_matches_torch(name, make, cls):
    to, eo = _opt(torch, cls), _opt(ember, cls)
    ts, es = make(torch.optim.lr_scheduler, to), make(ember.optim.lr_scheduler, eo)
    assert es.get_last_lr() == ts.get_last_lr()
    for _ in range(100):
        to.step()
        eo.step()
        ts.step()
        es.step()
        # same Python float arithmetic in the same order: equal, not merely close
        assert es.get_last_lr() == pytest.approx(ts.get_last_lr(), rel=1e-15, abs=0)
        assert [g["lr"] for g in eo.param_groups] == es.get_last_lr()
        assert _momentum(eo) == pytest.approx(_momentum(to), rel=1e-15)
    assert getattr(es, "last_epoch", None) == getattr(ts, "last_epoch", None)


@pytest.mark.parametrize("name,make", [c for c in CASES if c[0] in ("StepLR", "MultiStepLR", "ExponentialLR",
                                                                     "CosineAnnealingLR", "LinearLR", "ConstantLR",
                                                                     "PolynomialLR")])
def test_closed_form_with_epoch_matches_torch(name, make):
    to, eo = _opt(torch), _opt(ember)
    ts, es = make(torch.optim.lr_scheduler, to), make(ember.optim.lr_scheduler, eo)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for epoch in (3, 17, 30, 31, 59, 80):
            ts.step(epoch)
            es.step(epoch)
            assert es.get_last_lr() == pytest.approx(ts.get_last_lr(), rel=1e-15)


def test_reduce_lr_on_plateau_matches_torch():
    metrics = [1.0, 0.9, 0.95, 0.95, 0.95, 0.95, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7] * 8
    for kw in ({"patience": 2}, {"mode": "max", "factor": 0.5, "patience": 1, "cooldown": 2, "min_lr": [0.01, 0.05]},
               {"threshold_mode": "abs", "threshold": 0.1, "patience": 0}):
        to, eo = _opt(torch), _opt(ember)
        ts = torch.optim.lr_scheduler.ReduceLROnPlateau(to, **kw)
        es = ember.optim.lr_scheduler.ReduceLROnPlateau(eo, **kw)
        for m in metrics:
            ts.step(m)
            es.step(m)
            assert es.get_last_lr() == ts.get_last_lr()
            assert (es.num_bad_epochs, es.cooldown_counter, es.best) == (ts.num_bad_epochs, ts.cooldown_counter,
                                                                          ts.best)


def test_state_dict_round_trip_continues_like_torch():
    to, eo = _opt(torch), _opt(ember)
    ts = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(to, T_0=5, T_mult=2)
    es = ember.optim.lr_scheduler.CosineAnnealingWarmRestarts(eo, T_0=5, T_mult=2)
    for _ in range(8):
        to.step(), eo.step(), ts.step(), es.step()
    tsd, esd = ts.state_dict(), es.state_dict()
    assert sorted(esd) == sorted(tsd)
    eo2 = _opt(ember)
    eo2.load_state_dict(eo.state_dict())
    es2 = ember.optim.lr_scheduler.CosineAnnealingWarmRestarts(eo2, T_0=1)
    es2.load_state_dict(esd)
    for _ in range(10):
        to.step(), eo2.step(), ts.step(), es2.step()
        assert es2.get_last_lr() == pytest.approx(ts.get_last_lr(), rel=1e-15)


def test_initial_lr_set_and_errors_match_torch():
    eo = _opt(ember)
    ember.optim.lr_scheduler.StepLR(eo, 3)
    assert [g["initial_lr"] for g in eo.param_groups] == [0.1, 0.2]
    for make in (lambda ls, o: ls.StepLR(o, 3, last_epoch=4),
                 lambda ls, o: ls.LinearLR(o, start_factor=0),
                 lambda ls, o: ls.ConstantLR(o, factor=2.0),
                 lambda ls, o: ls.OneCycleLR(o, max_lr=1.0),
                 lambda ls, o: ls.ReduceLROnPlateau(o, factor=1.5),
                 lambda ls, o: ls.LambdaLR(o, [lambda e: 1.0]),
                 lambda ls, o: ls.StepLR(object(), 3),
                 lambda ls, o: ls.SequentialLR(o, [ls.StepLR(o, 2)], milestones=[3])):
        errs = []
        for lib in (torch, ember):
            with pytest.raises(Exception) as info:
                make(lib.optim.lr_scheduler, _opt(lib))
            errs.append((type(info.value), str(info.value)))
        assert errs[0] == errs[1]


def test_warns_when_scheduler_steps_before_optimizer():
    eo = _opt(ember)
    s = ember.optim.lr_scheduler.StepLR(eo, 3)
    with pytest.warns(UserWarning, match="before `optimizer.step\\(\\)`"):
        s.step()
    with pytest.warns(UserWarning, match="get_last_lr"):
        s.get_lr()
