"""Smoke test of the benchmark harness: one workload, one repeat, tiny sizes. Not a timing test."""

import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from bench import run as bench_run
from bench import workloads as W


def test_python_m_bench_runs_one_workload():
    p = subprocess.run([sys.executable, "-m", "bench", "--only", "op_overhead", "--repeat", "1", "--quick",
                        "--frameworks", "ember,torch"], cwd=ROOT, capture_output=True, text=True, timeout=120,
                       check=False)
    assert p.returncode == 0, p.stderr
    rows = [line for line in p.stdout.splitlines() if line.startswith("| 2. per-op overhead")]
    assert any("| ember | " in r and "µs/op" in r for r in rows), p.stdout
    assert "load average before" in p.stdout


def test_missing_piece_is_reported_not_raised():
    def broken(mod, quick):
        raise AttributeError("module 'ember.nn' has no attribute 'Conv2d'")

    wl = W.Workload("x", "x", "s", {"ember": broken, "numpy": W.wide_net_numpy}, convert=lambda s, q: s)
    import ember
    res = bench_run.measure(wl, {"ember": ember, "numpy": None}, repeat=2, quick=True)
    assert res["ember"]["skipped"].startswith("not available yet: AttributeError")
    assert len(res["numpy"]["values"]) == 2 and res["numpy"]["min"] > 0
    assert bench_run.time_ratio(wl, res) is None


def test_unknown_workload_is_a_usage_error():
    p = subprocess.run([sys.executable, "-m", "bench", "--only", "nope"], cwd=ROOT, capture_output=True,
                       text=True, timeout=60, check=False)
    assert p.returncode == 2 and "unknown workload" in p.stderr
