"""DistributedDataParallel on 2 real processes equals one process on the full batch (to float32 rounding)."""

import sys
from pathlib import Path

import numpy as np
import pytest
from ddp_mlp import BATCH, LR, STEPS, TwoHeads, data, mlp  # tests/distributed/programs
from jobs import launch

import ember
from ember import nn

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "ddp_mlp_torch.npz"


def single_process(lib, x, y) -> dict:
    """50 full-batch steps from rank 0's initial weights, then the two accumulated half-batch gradients."""
    model = mlp(seed=0) if lib is ember else _torch_copy(mlp(seed=0))
    opt = lib.optim.SGD(model.parameters(), lr=LR, momentum=0.9)
    for _ in range(STEPS):
        opt.zero_grad()
        lib.nn.functional.mse_loss(model(x), y).backward()
        opt.step()
    out = {"train.module." + k: p.detach().numpy().copy() for k, p in model.named_parameters()}
    # DDP's accumulated gradient: the mean over ranks of (grad of quarter 1 + grad of quarter 2) of that rank
    opt.zero_grad()
    q = BATCH // 4
    for k in range(4):
        part = slice(k * q, (k + 1) * q)
        (lib.nn.functional.mse_loss(model(x[part]), y[part]) / 2).backward()
    out.update({"accum.module." + k: p.grad.numpy().copy() for k, p in model.named_parameters()})
    return out


def _torch_copy(model):
    torch = pytest.importorskip("torch")
    t = torch.nn.Sequential(torch.nn.Linear(8, 32), torch.nn.Tanh(), torch.nn.Linear(32, 16), torch.nn.Tanh(),
                            torch.nn.Linear(16, 4))
    with torch.no_grad():
        for tp, ep in zip(t.parameters(), model.parameters()):
            tp.copy_(torch.from_numpy(ep.detach().numpy()))
    return t


def unused_reference(x) -> dict:
    """Head a is used by rank 0 only, head b by rank 1 only: each gets its user's gradient over 2."""
    out = {}
    for head, rank in (("a", 0), ("b", 1)):
        m = TwoHeads()
        part = x[rank * BATCH // 2:(rank + 1) * BATCH // 2]
        m(part, use_b=head == "b").pow(2).mean().backward()
        for k, p in getattr(m, head).named_parameters():
            out[f"unused.module.{head}.{k}"] = p.grad.numpy() / 2
    return out


def close(got, want, what: str) -> list[str]:
    """Names whose arrays differ beyond float32 rounding (relative 1e-5 of the array's scale)."""
    bad = []
    for k, w in want.items():
        g = got[k]
        scale = max(float(np.abs(w).max()), 1e-6)
        if g.shape != w.shape or float(np.abs(g - w).max()) > 1e-5 * scale:
            bad.append(f"{what}: {k}")
    return bad


def test_close_rejects_a_differing_parameter():
    w = {"p": np.array([1.0, 2.0], np.float32)}
    assert close({"p": w["p"] * (1 + 1e-7)}, w, "x") == []
    assert close({"p": w["p"] + np.float32(1e-3)}, w, "x") == ["x: p"]
    assert close({"p": w["p"][:1]}, w, "x") == ["x: p"]


@pytest.fixture(scope="module")
def job(tmp_path_factory):
    pytest.importorskip("mpi4py")
    out = tmp_path_factory.mktemp("ddp")
    run = launch("ddp_mlp.py", 2, out)
    assert run.returncode == 0, run.stderr
    return [dict(np.load(out / f"rank{r}.npz")) for r in range(2)]


def test_ddp_training_equals_one_process_on_the_full_batch(needs_mpi, job):
    x, y = data()
    ref = single_process(ember, x, y)
    for r, got in enumerate(job):
        assert close(got, ref, f"rank {r}") == []
        # the ranks end bit-identical: they apply the same averaged gradients
        for k in ref:
            assert np.array_equal(got[k], job[0][k]), k
    assert not np.array_equal(job[0]["local_grad"], job[1]["local_grad"])  # no_sync really stayed local


def torch_reference() -> dict:
    """PyTorch's single-process result (recorded in FIXTURE; recomputed when torch is already loaded)."""
    import torch
    x, y = data()
    return single_process(torch, torch.from_numpy(x.numpy()), torch.from_numpy(y.numpy()))


def test_ddp_training_equals_torch_on_the_full_batch(needs_mpi, job):
    with np.load(FIXTURE) as f:
        recorded = dict(f)
    assert close(job[0], recorded, "rank 0 vs torch (recorded)") == []
    if "torch" in sys.modules:  # live check only where torch costs nothing more (the full suite imports it)
        assert close(recorded, torch_reference(), "fixture vs torch") == []


def test_buffers_state_dict_unused_parameters(needs_mpi, job):
    for got in job:
        assert got["tag"].tolist() == [0.0, 0.0]  # rank 0's buffer, broadcast at construction
        assert got["state_dict_keys"].tolist() == ["module.tag"] + [
            f"module.{i}.{k}" for i in (0, 2, 4) for k in ("weight", "bias")]
        x, _ = data()
        assert close(got, unused_reference(x), "unused") == []
        assert str(got["strict_error"]).startswith(
            "Expected to have finished reduction in the prior iteration before starting a new one. This error "
            "indicates that your module has parameters that were not used in producing loss. You can enable unused "
            "parameter detection by passing the keyword argument `find_unused_parameters=True`")
        assert "Parameter indices which did not receive grad for rank" in str(got["strict_error"])


def test_ddp_module_and_errors_in_one_process():
    model = nn.Linear(2, 1)
    with pytest.raises(ValueError, match="Default process group has not been initialized"):
        nn.parallel.DistributedDataParallel(model)
    dp = nn.parallel.DataParallel(model)
    x = ember.ones(3, 2)
    assert dp.module is model and dp(x).tolist() == model(x).tolist()
    assert list(dp.state_dict()) == ["module.weight", "module.bias"]
