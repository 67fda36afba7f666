"""The optimizers ember added for PyTorch 2.13 against PyTorch's recorded trajectories (no PyTorch needed).

``tests/fixtures/optim_trajectories.npz`` holds PyTorch's parameters after 50 float64 steps of each case below;
``python tests/optim/test_recorded.py`` re-records it (with PyTorch installed). The live comparisons, over every
step and in float32 too, are in test_optimizers.py and test_optimizer_api.py.
"""

import sys
from pathlib import Path

import numpy as np
import pytest

import ember

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "optim_trajectories.npz"
CASES = [
    ("RAdam", {"lr": 0.01, "weight_decay": 0.1}),
    ("RAdam", {"lr": 0.01, "weight_decay": 0.1, "decoupled_weight_decay": True}),
    ("Rprop", {"lr": 0.02, "etas": (0.3, 1.5), "step_sizes": (1e-4, 0.1)}),
    ("ASGD", {"lr": 0.05, "t0": 10, "lambd": 1e-3}),
    ("Adafactor", {"lr": 0.05, "weight_decay": 0.1, "d": 1.5}),
    ("Adafactor", {"lr": 0.01, "maximize": True}),
    ("Muon", {"lr": 0.02}),
    ("Muon", {"lr": 0.02, "nesterov": False, "adjust_lr_fn": "match_rms_adamw"}),
]


def trajectory_end(lib, name, kwargs, steps=50):
    """Parameters after ``steps`` steps on a small tanh layer (all 2-D for Muon)."""
    rng = np.random.default_rng(0)
    x = lib.tensor(rng.standard_normal((8, 3)))
    shapes = ((3, 4), (4, 2)) if name == "Muon" else ((3, 4), (4,), (5,))
    ps = [lib.tensor(rng.standard_normal(s) * 0.5, requires_grad=True) for s in shapes]
    opt = getattr(lib.optim, name)(ps, **kwargs)
    for _ in range(steps):
        opt.zero_grad()
        h = (x @ ps[0]).tanh()
        loss = (h @ ps[1]).pow(2).mean() if name == "Muon" else (h + ps[1]).pow(2).mean() + (ps[2] - 1).pow(2).sum()
        loss.backward()
        opt.step()
    return [p.detach().numpy() for p in ps]


@pytest.mark.parametrize("i", range(len(CASES)), ids=[f"{n}-{i}" for i, (n, _) in enumerate(CASES)])
def test_matches_recorded_torch(i):
    recorded = np.load(FIXTURE)
    name, kwargs = CASES[i]
    got = trajectory_end(ember, name, kwargs)
    for j, a in enumerate(got):
        want = recorded[f"case{i}_p{j}"]
        np.testing.assert_allclose(a, want, rtol=1e-10, atol=1e-12)


def test_recorded_fixture_is_not_trivial():
    # the comparison can fail: a different hyperparameter gives numbers far from the recording
    recorded = np.load(FIXTURE)
    name, kwargs = CASES[0]
    got = trajectory_end(ember, name, {**kwargs, "lr": 0.02})
    assert not np.allclose(got[0], recorded["case0_p0"], rtol=1e-6)


if __name__ == "__main__" and "--check" not in sys.argv:
    import torch
    out = {f"case{i}_p{j}": a for i, (n, kw) in enumerate(CASES) for j, a in enumerate(trajectory_end(torch, n, kw))}
    np.savez_compressed(FIXTURE, **out)
    print("recorded", len(out), "arrays to", FIXTURE)
