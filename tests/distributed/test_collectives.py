"""Every collective on 2 and 4 real processes (started by the launcher) against a NumPy reference."""

import numpy as np
import pytest
from collectives import DTYPES, inputs  # tests/distributed/programs (on sys.path through conftest)
from jobs import launch


def expected(r: int, n: int) -> dict:
    """What rank r of n must hold after programs/collectives.py, computed with NumPy from the inputs."""
    X = {dt: np.stack([inputs(k, dt) for k in range(n)]) for dt in DTYPES}
    e = {}
    for dt, xs in X.items():
        s = xs.sum(0)
        e[f"all_reduce_SUM_{dt}"] = s
        e[f"all_reduce_AVG_{dt}"] = s // n if dt == "int64" else (s / n).astype(dt)
        e[f"all_reduce_MAX_{dt}"] = xs.max(0)
        e[f"all_reduce_MIN_{dt}"] = xs.min(0)
        e[f"all_reduce_PRODUCT_{dt}"] = xs.prod(0)
        e[f"broadcast_{dt}"] = xs[n - 1]
        e[f"all_gather_{dt}"] = xs
        e[f"all_gather_into_tensor_{dt}"] = xs.reshape(-1, xs.shape[-1])
        e[f"reduce_scatter_{dt}"] = (xs * (r + 1)).sum(0).astype(dt)
        rows = np.stack([np.concatenate([x] * n)[:n] for x in xs])  # rank k's input to reduce_scatter_tensor
        e[f"reduce_scatter_tensor_MAX_{dt}"] = rows.max(0)[r:r + 1]
        e[f"reduce_{dt}"] = s if r == n - 1 else xs[r]
        if r == 0:
            e[f"gather_{dt}"] = xs
        e[f"scatter_{dt}"] = xs[n - 1] + np.array(10 * r, dt)
    f32 = X["float32"]
    e["recv_ring"], e["recv_src"] = f32[(r - 1) % n], np.array((r - 1) % n)
    e["irecv_any"], e["irecv_src"] = f32[(r - 1) % n] * 2, np.array((r - 1) % n)
    e["async_types"] = np.array([True, True, True, True])
    e["async_sum"], e["async_max"] = X["float64"].sum(0), f32.max(0)
    base = f32[r].copy()
    base[:, ::2] = f32[:, :, ::2].sum(0)
    e["strided_base"] = base
    e["scalar_product"] = np.array(float(np.prod(np.arange(1, n + 1))), np.float32)
    e["bool_sum"] = np.array([True, True, False])
    e["float16_sum"] = f32.astype(np.float16).astype(np.float64).sum(0).astype(np.float16)
    e["all_to_all_single"] = (np.arange(n) * 100 + r).astype(np.float32)
    member = r in (0, n - 1)
    e["group_sum"] = f32[0] + f32[n - 1] if member else f32[r]
    e["group_rank"] = np.array([[0, n - 1].index(r), 2] if member else [-1, -1])
    e["group_warned"] = np.array(0 if member else 1)
    if member:
        e["group_broadcast"] = f32[n - 1]
    e["all_gather_object"] = np.arange(n) ** 2
    e["broadcast_object_list"] = np.array([0, 1])
    return e


def mismatches(got: dict, want: dict) -> list[str]:
    """Every way ``got`` differs from ``want``: keys, dtypes, shapes, values (floats to their rounding)."""
    bad = [f"missing {k}" for k in want if k not in got] + [f"unexpected {k}" for k in got if k not in want]
    for k in want.keys() & got.keys():
        g, w = np.asarray(got[k]), np.asarray(want[k])
        if g.shape != w.shape:
            bad.append(f"{k}: shape {g.shape} != {w.shape}")
        elif g.dtype != w.dtype and not (g.dtype.kind in "iub" and w.dtype.kind in "iub"):
            bad.append(f"{k}: dtype {g.dtype} != {w.dtype}")
        elif g.dtype.kind == "f":
            rtol = {2: 2e-3, 4: 1e-6, 8: 1e-13}[g.dtype.itemsize]
            if not np.allclose(g, w, rtol=rtol, atol=rtol):
                bad.append(f"{k}: {g.ravel()[:4]} != {w.ravel()[:4]}")
        elif not np.array_equal(g, w):
            bad.append(f"{k}: {g.ravel()[:4]} != {w.ravel()[:4]}")
    return bad


def test_mismatches_rejects_wrong_results():
    want = expected(0, 2)
    assert mismatches(dict(want), want) == []
    for key, wrong in [("all_reduce_SUM_float32", want["all_reduce_SUM_float32"] + 1e-4),
                       ("all_reduce_MAX_int64", want["all_reduce_MAX_int64"] + 1),
                       ("all_gather_float64", want["all_gather_float64"][:1]),
                       ("bool_sum", np.array([True, True, True])),
                       ("broadcast_float32", want["broadcast_float32"].astype(np.float64))]:
        assert len(mismatches({**want, key: wrong}, want)) == 1, key
    assert mismatches({k: v for k, v in want.items() if k != "reduce_float32"}, want) == ["missing reduce_float32"]


@pytest.mark.parametrize("n", [2, 4])
def test_every_collective_against_numpy(needs_mpi, tmp_path, n):
    job = launch("collectives.py", n, tmp_path)
    assert job.returncode == 0, job.stderr
    for r in range(n):
        with np.load(tmp_path / f"rank{r}.npz") as got:
            assert mismatches(dict(got), expected(r, n)) == [], f"rank {r}"
