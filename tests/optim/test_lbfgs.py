"""LBFGS against PyTorch: float64 trajectories over several closures' worth of iterations, float32 first steps."""

import numpy as np
import pytest

import ember

torch = pytest.importorskip("torch")


def _run(lib, dtype, steps, **kw):
    rng = np.random.default_rng(0)
    a, x0, w0 = rng.standard_normal((6, 6)), rng.standard_normal(6), rng.standard_normal((6, 3))
    x = lib.tensor(x0.astype(dtype), requires_grad=True)
    w = lib.tensor(w0.astype(dtype), requires_grad=True)
    am = lib.tensor(a.astype(dtype))
    opt = lib.optim.LBFGS([x, w], **kw)

    def closure():
        opt.zero_grad()
        loss = ((am @ x).tanh() ** 2).sum() + ((x - 1) ** 4).sum() + ((am @ w).sin() ** 2).mean()
        loss.backward()
        return loss

    traj, losses = [], []
    for _ in range(steps):
        losses.append(float(opt.step(closure).detach()))
        traj.append(np.concatenate([x.detach().numpy().ravel(), w.detach().numpy().ravel()]))
    return np.array(traj), losses, opt, x


@pytest.mark.parametrize("kw", [{"lr": 0.5, "history_size": 5, "max_iter": 10},
                                {"lr": 1, "history_size": 3, "max_iter": 7, "line_search_fn": "strong_wolfe"},
                                {"lr": 0.8, "line_search_fn": "strong_wolfe"}])
def test_float64_trajectory_matches_torch(kw):
    t_traj, t_loss, t_opt, tx = _run(torch, np.float64, 4, **kw)
    e_traj, e_loss, e_opt, ex = _run(ember, np.float64, 4, **kw)
    np.testing.assert_allclose(e_traj, t_traj, rtol=1e-8, atol=1e-9)
    np.testing.assert_allclose(e_loss, t_loss, rtol=1e-10)
    ts, es = t_opt.state[tx], e_opt.state[ex]
    assert (es["func_evals"], es["n_iter"]) == (ts["func_evals"], ts["n_iter"])
    assert sorted(es) == sorted(ts)
    assert len(es["old_dirs"]) == len(ts["old_dirs"])
    np.testing.assert_allclose(es["d"].numpy(), ts["d"].numpy(), rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("ls", [None, "strong_wolfe"])
def test_float32_first_step_matches_torch(ls):
    # later float32 steps drift apart in both libraries alike (each drifts as far from the float64 path)
    t_traj, *_ = _run(torch, np.float32, 1, lr=0.5, max_iter=5, line_search_fn=ls)
    e_traj, *_ = _run(ember, np.float32, 1, lr=0.5, max_iter=5, line_search_fn=ls)
    np.testing.assert_allclose(e_traj, t_traj, rtol=1e-5, atol=1e-6)


def test_errors_match_torch():
    for make in (lambda lib, ps: lib.optim.LBFGS([{"params": ps[:1]}, {"params": ps[1:]}]),
                 lambda lib, ps: lib.optim.LBFGS(ps, lr=-1)):
        errs = []
        for lib in (torch, ember):
            ps = [lib.zeros(2, requires_grad=True), lib.zeros(3, requires_grad=True)]
            with pytest.raises(ValueError) as info:
                make(lib, ps)
            errs.append(str(info.value))
        assert errs[0] == errs[1]


def test_stops_at_optimum_without_moving():
    p = ember.tensor([1.0, 2.0], requires_grad=True)
    opt = ember.optim.LBFGS([p])

    def closure():
        opt.zero_grad()
        loss = (p * 0).sum()
        loss.backward()
        return loss
    opt.step(closure)
    assert p.tolist() == [1.0, 2.0] and opt.state[p]["n_iter"] == 0
