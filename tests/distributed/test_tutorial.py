"""A DDP-tutorial-shaped program prints the same under ember's launcher as under PyTorch's torchrun.

PyTorch's output (torch 2.13, gloo, ``torchrun --standalone --nproc-per-node 2``) is recorded in
tests/fixtures/tutorial_ddp_torchrun.json; where torch and torchrun are installed it is also run live.
The ranks' lines interleave differently from run to run, so the lines are compared as sorted lists.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from jobs import PROGRAMS, launch

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "tutorial_ddp_torchrun.json"
sys.path.insert(0, str(ROOT / "tests" / "compat"))
from run_corpus import rewrite  # noqa: E402  (the corpus' torch -> ember import rewrite)


def differences(ours: list[str], theirs: list[str]) -> list[str]:
    """Lines one output has and the other lacks (as multisets: order across ranks is not defined)."""
    a, b = sorted(ours), sorted(theirs)
    out = []
    for line in set(a) | set(b):
        if a.count(line) != b.count(line):
            out.append(f"{a.count(line)} vs {b.count(line)}: {line}")
    return sorted(out)


def test_differences_rejects_changed_missing_and_extra_lines():
    ref = ["[rank 0] loss 0.5684", "[rank 1] loss 0.5684", "x"]
    assert differences(list(reversed(ref)), ref) == []
    assert differences(["[rank 0] loss 0.5685", *ref[1:]], ref) != []
    assert differences(ref[1:], ref) == ["0 vs 1: [rank 0] loss 0.5684"]
    assert differences(ref + ["x"], ref) == ["2 vs 1: x"]


@pytest.fixture(scope="module")
def ember_lines(tmp_path_factory):
    pytest.importorskip("mpi4py")
    script = tmp_path_factory.mktemp("tutorial") / "tutorial_ddp.py"
    script.write_text(rewrite((PROGRAMS / "tutorial_ddp.py").read_text()))
    job = launch(script, 2)
    assert job.returncode == 0, job.stderr
    return job.stdout.splitlines()


def test_same_output_as_recorded_torchrun(needs_mpi, ember_lines):
    recorded = json.loads(FIXTURE.read_text())["lines"]
    assert differences(ember_lines, recorded) == []


def test_same_output_as_live_torchrun(needs_mpi, ember_lines, tmp_path):
    pytest.importorskip("torch")
    torchrun = shutil.which("torchrun") or os.path.join(os.path.dirname(sys.executable), "torchrun")
    if not os.access(torchrun, os.X_OK):
        pytest.skip("no torchrun")
    # each rank's output to its own file (--redirects 3): on a shared pipe torchrun's ranks tear each other's lines
    for attempt in range(2):  # the oracle's gloo ranks now and then abort on a loaded machine: run it again once
        logs = tmp_path / f"run{attempt}"
        job = subprocess.run([torchrun, "--standalone", "--nproc-per-node", "2", "--log-dir", str(logs),
                              "--redirects", "3", str(PROGRAMS / "tutorial_ddp.py")],
                             capture_output=True, text=True, timeout=120, env={**os.environ, "OMP_NUM_THREADS": "1"})
        if job.returncode == 0 or "exitcode: -6" not in job.stderr:
            break
    assert job.returncode == 0, job.stderr
    lines = [line for f in sorted(logs.rglob("stdout.log")) for line in f.read_text().splitlines()]
    assert len(lines) == len(ember_lines)
    assert differences(ember_lines, lines) == []
