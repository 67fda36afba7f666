"""Optimizers against PyTorch: identical parameters, identical losses, 50 steps, compared after every step."""

import copy

import numpy as np
import pytest

import ember

torch = pytest.importorskip("torch")

STEPS = 50


def _problem(dtype, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((8, 3)).astype(dtype)
    w = (rng.standard_normal((3, 4)) * 0.5).astype(dtype)
    b = (rng.standard_normal(4) * 0.1).astype(dtype)
    q = rng.standard_normal(5).astype(dtype)
    return x, [w, b, q]


def _loss(lib, x, params):
    w, b, q = params
    # a tiny tanh layer plus a quadratic: curved, nonzero gradients everywhere, all ops both libraries share
    return ((x @ w + b).tanh() ** 2).mean() + ((q - 1.5) ** 2).sum() * 0.5


def _run_both(cls_name, kwargs, dtype, steps=STEPS, check=True, closure=False, f32_rtol=2e-5):
    x_np, ps = _problem(dtype)
    tp = [torch.tensor(a, requires_grad=True) for a in ps]
    ep = [ember.tensor(a, requires_grad=True) for a in ps]
    tx, ex = torch.tensor(x_np), ember.tensor(x_np)
    topt = getattr(torch.optim, cls_name)(tp, **kwargs)
    eopt = getattr(ember.optim, cls_name)(ep, **kwargs)
    rtol = f32_rtol if dtype == np.float32 else 1e-10
    for _ in range(steps):
        for lib, opt, params, x in ((torch, topt, tp, tx), (ember, eopt, ep, ex)):
            def clo(opt=opt, params=params, x=x, lib=lib):
                opt.zero_grad()
                loss = _loss(lib, x, params)
                loss.backward()
                return loss
            if closure:
                opt.step(clo)
            else:
                clo()
                opt.step()
        if check:
            for t, e in zip(tp, ep):
                want = t.detach().numpy()
                # atol scaled to the tensor and step size: entries oscillating around zero carry the rounding
                # of their larger neighbours and of the steps
                scale = max(np.abs(want).max(), kwargs.get("lr", 1e-2))
                np.testing.assert_allclose(e.detach().numpy(), want, rtol=rtol, atol=rtol * scale)
    return topt, eopt, tp, ep, tx, ex


CASES = [
    ("SGD", {"lr": 0.1}),
    ("SGD", {"lr": 0.05, "momentum": 0.9}),
    ("SGD", {"lr": 0.05, "momentum": 0.9, "nesterov": True, "weight_decay": 0.01}),
    ("SGD", {"lr": 0.05, "momentum": 0.5, "dampening": 0.3, "maximize": True}),
    ("Adam", {"lr": 0.01}),
    ("Adam", {"lr": 0.02, "betas": (0.8, 0.99), "weight_decay": 0.1, "amsgrad": True}),
    ("Adam", {"lr": 0.01, "maximize": True, "eps": 1e-6}),
    ("Adam", {"lr": 0.01, "weight_decay": 0.1, "decoupled_weight_decay": True}),
    ("AdamW", {"lr": 0.01}),
    ("AdamW", {"lr": 0.01, "weight_decay": 0.3, "amsgrad": True}),
    ("RMSprop", {"lr": 0.01}),
    ("RMSprop", {"lr": 0.01, "momentum": 0.9, "centered": True, "weight_decay": 0.01}),
    ("RMSprop", {"lr": 0.005, "alpha": 0.9, "centered": True, "maximize": True}),
    ("Adagrad", {"lr": 0.1}),
    ("Adagrad", {"lr": 0.1, "lr_decay": 0.01, "initial_accumulator_value": 0.1, "weight_decay": 0.01}),
    ("Adadelta", {}),
    ("Adadelta", {"lr": 0.5, "rho": 0.8, "weight_decay": 0.01, "maximize": True}),
    ("Adamax", {"lr": 0.01}),
    ("Adamax", {"lr": 0.02, "betas": (0.7, 0.9), "weight_decay": 0.05}),
    ("NAdam", {"lr": 0.01}),
    ("NAdam", {"lr": 0.01, "momentum_decay": 0.01, "weight_decay": 0.05}),
    ("NAdam", {"lr": 0.01, "weight_decay": 0.05, "decoupled_weight_decay": True}),
    ("RAdam", {"lr": 0.01}),
    ("RAdam", {"lr": 0.01, "weight_decay": 0.1, "maximize": True}),
    ("RAdam", {"lr": 0.01, "weight_decay": 0.1, "decoupled_weight_decay": True}),
    ("Rprop", {"lr": 0.01}),
    ("Rprop", {"lr": 0.02, "etas": (0.3, 1.5), "step_sizes": (1e-4, 0.1), "maximize": True}),
    ("ASGD", {"lr": 0.05}),
    ("ASGD", {"lr": 0.05, "t0": 10, "lambd": 1e-3, "alpha": 0.6, "weight_decay": 0.01}),
    ("Adafactor", {"lr": 0.01}),
    ("Adafactor", {"lr": 0.05, "weight_decay": 0.1, "eps": (1e-3, 1e-3), "d": 1.5, "beta2_decay": -0.5,
                   "maximize": True}),
    # the accepted flags: foreach (flat concatenation in ember), fused (PyTorch's fused CPU kernels)
    ("SGD", {"lr": 0.05, "momentum": 0.9, "foreach": True}),
    ("SGD", {"lr": 0.05, "momentum": 0.9, "fused": True}),
    ("Adam", {"lr": 0.01, "foreach": True, "amsgrad": True}),
    ("Adam", {"lr": 0.01, "foreach": False}),
    ("Adam", {"lr": 0.01, "fused": True}),
    ("AdamW", {"lr": 0.01, "fused": True}),
    ("Adagrad", {"lr": 0.1, "foreach": True}),
    ("Adagrad", {"lr": 0.1, "fused": True}),
    ("NAdam", {"lr": 0.01, "foreach": True}),
    ("RMSprop", {"lr": 0.01, "foreach": True, "momentum": 0.5}),
]


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["f32", "f64"])
@pytest.mark.parametrize("name,kwargs", CASES, ids=[f"{n}-{i}" for i, (n, _) in enumerate(CASES)])
def test_trajectory_matches_torch(name, kwargs, dtype):
    # Adamax's max(b2*u, |g|) switches branch on ulp-level differences of the two libraries' gradients
    # (different matmul summation orders), so with weight decay its float32 trajectories drift a few ulps apart
    f32_rtol = 1e-4 if name == "Adamax" and kwargs.get("weight_decay") else 2e-5
    _run_both(name, kwargs, dtype, f32_rtol=f32_rtol)


def _structure(sd):
    """The state_dict with tensors replaced by (shape, dtype name, values) so the two libraries compare."""
    def conv(v):
        if hasattr(v, "detach"):
            a = v.detach().numpy()
            return ("T", a.shape, str(a.dtype), a)
        if isinstance(v, dict):
            return {k: conv(x) for k, x in v.items()}
        if isinstance(v, (list, tuple)):
            return type(v)(conv(x) for x in v)
        return v
    return conv(sd)


def _assert_same(a, b, rtol):
    if isinstance(a, dict):
        assert list(a.keys()) == list(b.keys())
        for k in a:
            _assert_same(a[k], b[k], rtol)
    elif isinstance(a, tuple) and a and a[0] == "T":
        assert a[1:3] == b[1:3]
        np.testing.assert_allclose(a[3], b[3], rtol=rtol, atol=1e-7)
    elif isinstance(a, (list, tuple)):
        assert type(a) is type(b) and len(a) == len(b)
        for x, y in zip(a, b):
            _assert_same(x, y, rtol)
    else:
        assert a == b, (a, b)


@pytest.mark.parametrize("name,kwargs", [c for c in CASES if "foreach" not in c[1] and "fused" not in c[1]][::2])
def test_state_dict_matches_torch_and_round_trips(name, kwargs):
    topt, eopt, tp, ep, tx, ex = _run_both(name, kwargs, np.float64, steps=5, check=False)
    tsd, esd = topt.state_dict(), eopt.state_dict()
    _assert_same(_structure(tsd), _structure(esd), 1e-9)
    # load (a deep copy) into fresh optimizers over copies of the parameters: loading casts like torch's, and
    # both continue along the same trajectory
    tp2 = [torch.tensor(p.detach().numpy().copy(), requires_grad=True) for p in tp]
    ep2 = [ember.tensor(p.detach().numpy().copy(), requires_grad=True) for p in ep]
    topt2 = getattr(torch.optim, name)(tp2, **kwargs)
    eopt2 = getattr(ember.optim, name)(ep2, **kwargs)
    topt2.load_state_dict(copy.deepcopy(tsd))
    eopt2.load_state_dict(copy.deepcopy(esd))
    _assert_same(_structure(topt2.state_dict()), _structure(eopt2.state_dict()), 1e-9)
    for _ in range(5):
        for lib, opt, params, x in ((torch, topt2, tp2, tx), (ember, eopt2, ep2, ex)):
            opt.zero_grad()
            _loss(lib, x, params).backward()
            opt.step()
    for t, e in zip(tp2, ep2):
        np.testing.assert_allclose(e.detach().numpy(), t.detach().numpy(), rtol=1e-9)


@pytest.mark.parametrize("name", ["SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adadelta", "Adamax", "NAdam",
                                  "LBFGS", "RAdam", "Rprop", "ASGD", "Adafactor", "SparseAdam", "Muon"])
def test_repr_matches_torch(name):
    kw = {"lr": 0.1} if name == "SGD" else {}
    t = getattr(torch.optim, name)([torch.zeros(2, 2, requires_grad=True)], **kw)
    e = getattr(ember.optim, name)([ember.zeros(2, 2, requires_grad=True)], **kw)
    assert repr(e) == repr(t)
    assert list(e.param_groups[0].keys()) == list(t.param_groups[0].keys())


def test_repr_two_groups_and_add_param_group():
    t0, t1 = torch.zeros(2, requires_grad=True), torch.zeros(3, requires_grad=True)
    e0, e1 = ember.zeros(2, requires_grad=True), ember.zeros(3, requires_grad=True)
    t = torch.optim.SGD([{"params": [t0]}, {"params": t1, "lr": 0.5}], lr=0.1, momentum=0.9)
    e = ember.optim.SGD([{"params": [e0]}, {"params": e1, "lr": 0.5}], lr=0.1, momentum=0.9)
    assert repr(e) == repr(t)
    assert e.state_dict()["param_groups"][1]["params"] == [1]


def _err(fn):
    with pytest.raises(Exception) as info:
        fn()
    return type(info.value), str(info.value)


@pytest.mark.parametrize("make", [
    lambda lib, p: lib.optim.SGD(p, lr=-1),
    lambda lib, p: lib.optim.SGD([], lr=0.1),
    lambda lib, p: lib.optim.SGD(p, lr=0.1, momentum=-0.5),
    lambda lib, p: lib.optim.SGD(p, lr=0.1, nesterov=True),
    lambda lib, p: lib.optim.Adam(p, betas=(1.0, 0.9)),
    lambda lib, p: lib.optim.Adam(p, eps=-1.0),
    lambda lib, p: lib.optim.Adam(p[0]),
    lambda lib, p: lib.optim.RMSprop(p, alpha=-0.1),
    lambda lib, p: lib.optim.Adadelta(p, rho=1.5),
    lambda lib, p: lib.optim.NAdam(p, momentum_decay=-1.0),
    lambda lib, p: lib.optim.Adagrad(p, initial_accumulator_value=-1.0),
    lambda lib, p: lib.optim.SGD([p[0], {"params": p}], lr=0.1),
    lambda lib, p: lib.optim.SGD([(p[0] * 2)], lr=0.1),
    lambda lib, p: lib.optim.SGD([1.0], lr=0.1),
    lambda lib, p: lib.optim.SGD(set(p), lr=0.1).add_param_group({"params": set(p)}),
    lambda lib, p: lib.optim.RAdam(p, betas=(0.9, 1.0)),
    lambda lib, p: lib.optim.RAdam(p, weight_decay=-1.0),
    lambda lib, p: lib.optim.Rprop(p, etas=(1.5, 1.2)),
    lambda lib, p: lib.optim.Rprop(p, lr=-0.1),
    lambda lib, p: lib.optim.ASGD(p, weight_decay=-0.1),
    lambda lib, p: lib.optim.Adafactor(p, beta2_decay=0.5),
    lambda lib, p: lib.optim.Adafactor(p, eps=(-1.0, 1e-3)),
    lambda lib, p: lib.optim.Adafactor(p, eps=(None, -1.0)),
    lambda lib, p: lib.optim.Adafactor(p, d=0.5),
    lambda lib, p: lib.optim.Adafactor(p, weight_decay=-1.0),
    lambda lib, p: lib.optim.SparseAdam(p, lr=0.0),
    lambda lib, p: lib.optim.SparseAdam(p, eps=0.0),
    lambda lib, p: lib.optim.SparseAdam([lib.zeros(2, dtype=lib.complex64, requires_grad=True)]),
    lambda lib, p: lib.optim.Muon(p),
    lambda lib, p: lib.optim.Muon([lib.zeros(2, 2, requires_grad=True)], adjust_lr_fn="rms"),
    lambda lib, p: lib.optim.Muon([lib.zeros(2, 2, requires_grad=True)], momentum=-1.0),
    lambda lib, p: lib.optim.Adam(p, lr=lib.tensor([0.1, 0.2])),
    lambda lib, p: lib.optim.Adam(p, lr=lib.tensor(0.1), foreach=True),
    lambda lib, p: lib.optim.Adam(p, betas=(0.9, lib.tensor(0.99))),
    lambda lib, p: lib.optim.Adam(p, fused=True, foreach=True),
    lambda lib, p: lib.optim.SGD(p, fused=True, differentiable=True),
    lambda lib, p: lib.optim.Adagrad(p, fused=True, foreach=True),
])
def test_errors_match_torch(make):
    tp = [torch.zeros(2, requires_grad=True)]
    ep = [ember.zeros(2, requires_grad=True)]
    assert _err(lambda: make(ember, ep)) == _err(lambda: make(torch, tp))


def test_param_in_two_groups():
    for lib in (torch, ember):
        p, q = lib.zeros(2, requires_grad=True), lib.zeros(2, requires_grad=True)
        opt = lib.optim.SGD([p], lr=0.1)
        with pytest.raises(ValueError, match="some parameters appear in more than one parameter group"):
            opt.add_param_group({"params": [q, p]})
        assert len(opt.param_groups) == 1


def test_zero_grad_modes_and_skips_params_without_grad():
    p, q = ember.ones(3, requires_grad=True), ember.ones(2, requires_grad=True)
    opt = ember.optim.SGD([p, q], lr=0.1, momentum=0.9)
    (p * 2).sum().backward()
    g = p.grad
    opt.step()
    np.testing.assert_allclose(p.detach().numpy(), 0.8)
    assert q.grad is None and len(opt.state[q]) == 0
    opt.zero_grad(set_to_none=False)
    assert p.grad is g and np.all(g.numpy() == 0)
    opt.zero_grad()
    assert p.grad is None


def test_step_returns_closure_loss():
    p = ember.tensor([1.0, 2.0], requires_grad=True)
    opt = ember.optim.Adam([p])

    def closure():
        opt.zero_grad()
        loss = (p ** 2).sum()
        loss.backward()
        return loss
    assert opt.step(closure).item() == 5.0


def test_step_bumps_version_so_stale_saved_tensors_are_caught():
    p = ember.tensor([1.0, 2.0], requires_grad=True)
    opt = ember.optim.SGD([p], lr=0.1)
    (p ** 2).sum().backward()
    y = (p ** 2).sum()
    v = p._version
    opt.step()
    assert p._version == v + 1
    with pytest.raises(RuntimeError):
        y.backward()
