"""The Optimizer surface against PyTorch: Muon, foreach, complex parameters, hooks, named parameters, old
checkpoints, swap_in_optimizer_params_and_state, tensor hyperparameters."""

import copy
import importlib

import numpy as np
import pytest
from test_optimizers import _assert_same, _loss, _problem, _structure

import ember
from ember.optim import optimizer as optimizer_module

torch = pytest.importorskip("torch")


# -- Muon: 2-D parameters only; its Newton-Schulz iteration runs in bfloat16 in PyTorch and in ember --------------
def _muon_run(lib, dtype, kw, steps=50):
    rng = np.random.default_rng(1)
    x = rng.standard_normal((8, 3)).astype(dtype)
    ps = [lib.tensor((rng.standard_normal(s) * 0.5).astype(dtype), requires_grad=True) for s in ((3, 4), (4, 2))]
    opt = lib.optim.Muon(ps, **kw)
    traj = []
    for _ in range(steps):
        opt.zero_grad()
        loss = ((lib.tensor(x) @ ps[0]).tanh() @ ps[1]).pow(2).mean() + (ps[0] ** 2).sum() * 0.1
        loss.backward()
        opt.step()
        traj.append(np.concatenate([p.detach().numpy().ravel() for p in ps]))
    return np.array(traj), opt


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["f32", "f64"])
@pytest.mark.parametrize("kw", [{"lr": 0.02},
                                {"lr": 0.02, "nesterov": False, "momentum": 0.9, "weight_decay": 0.0},
                                {"lr": 0.01, "adjust_lr_fn": "match_rms_adamw", "ns_steps": 3}])
def test_muon_trajectory_matches_torch(kw, dtype):
    t, topt = _muon_run(torch, dtype, kw)
    e, eopt = _muon_run(ember, dtype, kw)
    rtol = 2e-5 if dtype == np.float32 else 1e-10
    np.testing.assert_allclose(e, t, rtol=rtol, atol=rtol * np.abs(t).max())
    _assert_same(_structure(topt.state_dict()), _structure(eopt.state_dict()), 1e-4)


def test_muon_newton_schulz_rounds_like_torch_bfloat16():
    # one orthogonalisation of a tall matrix, compared bit for bit with PyTorch's bfloat16 iteration
    from torch.optim._muon import _zeropower_via_newtonschulz as torch_ns

    from ember.optim.muon import _zeropower_via_newtonschulz as ember_ns
    g = np.random.default_rng(2).standard_normal((7, 3)).astype(np.float32)
    want = torch_ns(torch.tensor(g), (3.4445, -4.7750, 2.0315), 5, 1e-7).float().numpy()
    got = ember_ns(g, (3.4445, -4.7750, 2.0315), 5, 1e-7)
    assert got.shape == (7, 3)
    np.testing.assert_array_equal(got, want)


# -- foreach: the flat path gives the same numbers as the per-parameter one, and is really taken ---------------
def _train(kw, sizes, steps=5, name="Adam"):
    rng = np.random.default_rng(3)
    ps = [ember.tensor(rng.standard_normal(n), requires_grad=True) for n in sizes]
    opt = getattr(ember.optim, name)(ps, **kw)
    for _ in range(steps):
        opt.zero_grad()
        sum(((p - 0.5) ** 4).sum() for p in ps).backward()
        opt.step()
    return [p.detach().numpy() for p in ps], opt


@pytest.mark.parametrize("name,kw", [("Adam", {"amsgrad": True, "weight_decay": 0.1}), ("SGD", {"momentum": 0.9}),
                                     ("NAdam", {}), ("Rprop", {}), ("ASGD", {"t0": 2}), ("RAdam", {})])
def test_foreach_flat_path_is_bit_identical(monkeypatch, name, kw):
    calls = []
    flat = optimizer_module.Optimizer._update_flat
    monkeypatch.setattr(optimizer_module.Optimizer, "_update_flat",
                        lambda self, group, members: (calls.append(len(members)), flat(self, group, members)))
    sizes = [3, 7, 1, optimizer_module._FLAT_MAX + 1]  # three small ones are concatenated, the large one is not
    on, opt_on = _train({**kw, "foreach": True}, sizes, name=name)
    assert calls and max(calls) == 3
    calls.clear()
    off, opt_off = _train({**kw, "foreach": False}, sizes, name=name)
    assert not calls
    for a, b in zip(on, off):
        np.testing.assert_array_equal(a, b)
    _assert_same(_structure(opt_on.state_dict()["state"]), _structure(opt_off.state_dict()["state"]), 0)


def test_foreach_buckets_by_step_count():
    # a parameter that joined later has another step count: it is updated in its own bucket, as PyTorch would
    p, q, r = (ember.ones(3, requires_grad=True) for _ in range(3))
    t_p, t_q, t_r = (torch.ones(3, requires_grad=True) for _ in range(3))
    eo, to = ember.optim.Adam([p, q, r], lr=0.1), torch.optim.Adam([t_p, t_q, t_r], lr=0.1)
    for i in range(4):
        for o, ps in ((eo, (p, q, r)), (to, (t_p, t_q, t_r))):
            o.zero_grad()
            sum(((x * (k + 1)) ** 2).sum() for k, x in enumerate(ps[: 1 + (i > 1) + (i > 2)])).backward()
            o.step()
    for a, b in zip((p, q, r), (t_p, t_q, t_r)):
        np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=2e-6)
    assert [float(eo.state[x]["step"]) for x in (p, q, r)] == [4.0, 2.0, 1.0]


# -- complex parameters are updated as pairs of reals, as PyTorch's view_as_real ---------------------------------
@pytest.mark.parametrize("name,kw", [("Adam", {"lr": 0.01}), ("SGD", {"lr": 0.05, "momentum": 0.9}), ("Rprop", {}),
                                     ("RMSprop", {"centered": True}), ("Adagrad", {}), ("RAdam", {})])
def test_complex_parameters_match_torch(name, kw):
    out = []
    for lib in (torch, ember):
        rng = np.random.default_rng(0)
        z = lib.tensor((rng.standard_normal(4) + 1j * rng.standard_normal(4)).astype(np.complex64),
                       requires_grad=True)
        opt = getattr(lib.optim, name)([z], **kw)
        for _ in range(20):
            opt.zero_grad()
            ((z - (1 + 2j)).abs() ** 2).sum().backward()
            opt.step()
        out.append(z.detach().numpy())
        assert all(v.dtype == lib.complex64 for v in opt.state[z].values() if v.ndim > 0)
    np.testing.assert_allclose(out[1], out[0], rtol=1e-5, atol=1e-6)


# -- hooks -------------------------------------------------------------------------------------------------------
def _module(lib):
    return importlib.import_module(lib.optim.Optimizer.__module__)  # torch.optim.optimizer (not an attribute)


def _hook_log(lib):
    log = []
    p = lib.ones(2, requires_grad=True)
    opt = lib.optim.SGD([p], lr=0.5)

    def closure():
        opt.zero_grad()
        (p * 3).sum().backward()
        log.append("closure")
        return 7.0

    def pre(o, args, kwargs):
        log.append(("pre", len(args), sorted(kwargs)))
        return (args[0],), {"closure": closure}  # replace the call's arguments

    handles = [opt.register_step_pre_hook(pre),
               opt.register_step_post_hook(lambda o, a, k: log.append(("post", sorted(k)))),
               _module(lib).register_optimizer_step_pre_hook(lambda o, a, k: log.append("global-pre")),
               _module(lib).register_optimizer_step_post_hook(lambda o, a, k: log.append("global-post"))]
    log.append(("loss", opt.step()))
    for h in handles[2:]:
        h.remove()
    opt.register_state_dict_pre_hook(lambda o: log.append("sd-pre"))
    opt.register_state_dict_pre_hook(lambda o: log.append("sd-pre-first"), prepend=True)
    opt.register_state_dict_post_hook(lambda o, sd: {**sd, "extra": 1})
    sd = opt.state_dict()
    log.append(sorted(sd))
    sd.pop("extra")
    opt.register_load_state_dict_pre_hook(
        lambda o, sd: {**sd, "param_groups": [{**sd["param_groups"][0], "lr": 0.25}]})
    opt.register_load_state_dict_post_hook(lambda o: log.append(("loaded", o.param_groups[0]["lr"])))
    opt.load_state_dict(sd)
    handles[0].remove()
    opt.step(closure)
    log.append(p.detach().numpy().tolist())
    return log


def test_hooks_run_like_torch():
    assert _hook_log(ember) == _hook_log(torch)


def test_pre_hook_returning_garbage_raises():
    for lib in (torch, ember):
        p = lib.ones(2, requires_grad=True)
        opt = lib.optim.SGD([p], lr=0.5)
        opt.register_step_pre_hook(lambda o, a, k: 3)
        with pytest.raises(RuntimeError, match=r"must return None or a tuple of \(new_args, new_kwargs\), but got 3"):
            opt.step()


# -- named parameters, old checkpoints, tensor hyperparameters -----------------------------------------------------
def test_named_parameters_in_state_dict_like_torch():
    sds = []
    for lib in (torch, ember):
        lib.manual_seed(0)
        m = lib.nn.Linear(2, 2)
        opt = lib.optim.Adam(m.named_parameters(), lr=0.1)
        m(lib.ones(1, 2)).sum().backward()
        opt.step()
        sd = opt.state_dict()
        sd["param_groups"][0]["param_names"] = ["w", "b"]
        opt.load_state_dict(sd)
        sds.append((opt.state_dict()["param_groups"][0]["param_names"], list(opt.param_groups[0])))
        with pytest.raises(ValueError, match="cannot add param group without names"):
            opt.add_param_group({"params": [lib.zeros(1, requires_grad=True)]})
    assert sds[0] == sds[1]


@pytest.mark.parametrize("name", ["Adam", "RAdam", "Rprop", "ASGD", "Adagrad", "NAdam", "Adafactor"])
def test_old_checkpoint_with_number_steps_loads_like_torch(name):
    states = []
    for lib in (torch, ember):
        p = lib.ones(2, 2, requires_grad=True)
        opt = getattr(lib.optim, name)([p])
        (p ** 2).sum().backward()
        opt.step()
        sd = copy.deepcopy(opt.state_dict())
        for st in sd["state"].values():  # PyTorch < 1.12 saved these as Python numbers
            for key in ("step", "eta", "mu") if name == "ASGD" else ("step",):
                st[key] = float(st[key])
        opt.load_state_dict(sd)
        opt.step()
        states.append(_structure(opt.state_dict()))
    _assert_same(states[0], states[1], 1e-6)


def test_tensor_lr_and_betas_match_torch():
    out = []
    for lib in (torch, ember):
        x, ps = _problem(np.float64)
        tp = [lib.tensor(a, requires_grad=True) for a in ps]
        opt = lib.optim.Adam(tp, lr=lib.tensor(0.01), betas=(lib.tensor(0.8), lib.tensor(0.99)))
        for _ in range(10):
            opt.zero_grad()
            _loss(lib, lib.tensor(x), tp).backward()
            opt.step()
        out.append([p.detach().numpy() for p in tp])
        assert repr(opt).count("lr: 0.009999999776482582") == 1
    # the float32 scalar arithmetic agrees to the ulp (PyTorch's 0-d float32 ``** 0.5`` is not always NumPy's
    # correctly rounded square root), which leaves 1e-9 relative differences in float64 parameters
    for a, b in zip(*out):
        np.testing.assert_allclose(b, a, rtol=1e-7, atol=3e-8)


def test_sparse_adam_without_gradients_and_adagrad_groups_added_later():
    for lib in (torch, ember):
        p = lib.ones(2, requires_grad=True)
        assert lib.optim.SparseAdam([p]).step() is None  # no gradient: nothing to reject
    sds = []
    for lib in (torch, ember):
        p, q = lib.ones(2, requires_grad=True), lib.ones(3, requires_grad=True)
        opt = lib.optim.Adagrad([p], initial_accumulator_value=0.5)
        opt.share_memory()
        opt.add_param_group({"params": [q], "initial_accumulator_value": 2.0})
        ((p ** 2).sum() + (q ** 2).sum()).backward()
        opt.step()
        sds.append(_structure(opt.state_dict()))
    _assert_same(sds[0], sds[1], 1e-7)


def test_swap_in_params_and_state_like_torch():
    results = []
    for lib in (torch, ember):
        p = lib.ones(3, requires_grad=True)
        opt = lib.optim.Adam([p], lr=0.1)
        (p ** 2).sum().backward()
        opt.step()
        other = {"p": lib.full((3,), 2.0, requires_grad=True)}
        osd = copy.deepcopy(opt.state_dict())
        osd["param_groups"][0]["lr"] = 0.5
        with lib.optim.swap_in_optimizer_params_and_state(opt, other, osd):
            assert opt.param_groups[0]["lr"] == 0.5
            (other["p"] ** 2).sum().backward()
            opt.step()
        results.append((p.detach().numpy().tolist(), other["p"].detach().numpy().tolist(),
                        float(osd["state"][0]["step"]), float(opt.state[p]["step"]), opt.param_groups[0]["lr"]))
        bad = copy.deepcopy(osd)
        bad["state"][5] = {}
        with pytest.raises(RuntimeError, match=r"got extra keys \[5\]"):
            with lib.optim.swap_in_optimizer_params_and_state(opt, other, bad):
                pass
    assert results[0] == pytest.approx(results[1])
