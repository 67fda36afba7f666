"""swa_utils against PyTorch: AveragedModel (SWA, EMA, custom averages, buffers), SWALR, update_bn."""

import numpy as np
import pytest

import ember

torch = pytest.importorskip("torch")


def _model(lib):
    lib.manual_seed(0)
    return lib.nn.Sequential(lib.nn.Linear(3, 4), lib.nn.BatchNorm1d(4), lib.nn.Tanh(), lib.nn.Linear(4, 1))


def _average(lib, steps=6, **kw):
    m = _model(lib)
    if "avg_fn" in kw:
        kw["avg_fn"] = getattr(lib.optim.swa_utils, kw["avg_fn"][0])(*kw["avg_fn"][1:])
    if "multi_avg_fn" in kw:
        kw["multi_avg_fn"] = getattr(lib.optim.swa_utils, kw["multi_avg_fn"][0])(*kw["multi_avg_fn"][1:])
    avg = lib.optim.swa_utils.AveragedModel(m, **kw)
    opt = lib.optim.SGD(m.parameters(), lr=0.1)
    x = lib.tensor(np.linspace(-2, 2, 24, dtype=np.float32).reshape(8, 3))
    for _ in range(steps):
        opt.zero_grad()
        m(x).pow(2).mean().backward()
        opt.step()
        avg.update_parameters(m)
    avg.eval()
    return avg, avg(x).detach().numpy()


@pytest.mark.parametrize("kw", [{}, {"use_buffers": True}, {"multi_avg_fn": ("get_ema_multi_avg_fn", 0.9)},
                                {"avg_fn": ("get_ema_avg_fn", 0.8)}, {"avg_fn": ("get_swa_avg_fn",)},
                                {"multi_avg_fn": ("get_ema_multi_avg_fn", 0.7), "use_buffers": True},
                                {"multi_avg_fn": ("get_swa_multi_avg_fn",)}],
                         ids=["swa", "swa-buffers", "ema-multi", "ema", "swa-fn", "ema-multi-buffers", "swa-multi"])
def test_averaged_model_matches_torch(kw):
    t, t_out = _average(torch, **dict(kw))
    e, e_out = _average(ember, **dict(kw))
    assert list(e.state_dict()) == list(t.state_dict())
    for k, v in t.state_dict().items():
        np.testing.assert_allclose(e.state_dict()[k].numpy(), v.numpy(), rtol=1e-6, atol=1e-7, err_msg=k)
    np.testing.assert_allclose(e_out, t_out, rtol=1e-5, atol=1e-6)
    assert repr(e) == repr(t)


def test_averaging_function_errors_match_torch():
    for fn in ("get_ema_multi_avg_fn", "get_ema_avg_fn"):
        msgs = []
        for lib in (torch, ember):
            with pytest.raises(ValueError) as info:
                getattr(lib.optim.swa_utils, fn)(1.5)
            msgs.append(str(info.value))
        assert msgs[0] == msgs[1]
    for lib in (torch, ember):
        with pytest.raises(AssertionError, match="Only one of avg_fn and multi_avg_fn"):
            lib.optim.swa_utils.AveragedModel(lib.nn.Linear(1, 1), avg_fn=lambda *a: a[0], multi_avg_fn=lambda *a: 0)


@pytest.mark.parametrize("kw", [{"swa_lr": 0.05}, {"swa_lr": [0.05, 0.01], "anneal_epochs": 3,
                                                   "anneal_strategy": "linear"},
                                {"swa_lr": 0.5, "anneal_epochs": 0}])
def test_swalr_matches_torch(kw):
    lrs = []
    for lib in (torch, ember):
        ps = [lib.zeros(2, requires_grad=True), lib.zeros(2, requires_grad=True)]
        opt = lib.optim.SGD([{"params": ps[:1]}, {"params": ps[1:], "lr": 0.3}], lr=0.1)
        s = lib.optim.swa_utils.SWALR(opt, **kw)
        seq = [s.get_last_lr()]
        for _ in range(15):
            opt.step()
            s.step()
            seq.append(s.get_last_lr())
        sd = s.state_dict()
        s.load_state_dict(sd)
        lrs.append((seq, sorted(sd), [g["swa_lr"] for g in opt.param_groups]))
    assert sum(lrs[1][0], []) == pytest.approx(sum(lrs[0][0], []), rel=1e-15)
    assert lrs[1][1:] == lrs[0][1:]


def test_update_bn_matches_torch():
    stats = []
    for lib in (torch, ember):
        m = _model(lib)
        m[1].momentum = 0.3
        m.eval()
        data = [lib.tensor(np.linspace(-1, 1 + i, 15, dtype=np.float32).reshape(5, 3)) for i in range(4)]
        lib.optim.swa_utils.update_bn([(x, 0) for x in data[:2]] + data[2:], m)
        stats.append((m[1].running_mean.numpy().copy(), m[1].running_var.numpy().copy(),
                      int(m[1].num_batches_tracked), m[1].momentum, m.training))
        lib.optim.swa_utils.update_bn(data, lib.nn.Linear(3, 3))  # no BatchNorm: nothing to do
    np.testing.assert_allclose(stats[1][0], stats[0][0], rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(stats[1][1], stats[0][1], rtol=1e-6)
    assert stats[1][2:] == stats[0][2:]
