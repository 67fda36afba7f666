"""Start a job through the launcher, as a user would (the distributed tests' one helper)."""

import os
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"
PROGRAMS = Path(__file__).resolve().parent / "programs"


def _env(extra=None) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(SRC), str(PROGRAMS)] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH")
                                                                      else []))
    env.setdefault("OMP_NUM_THREADS", "1")
    env.update(extra or {})
    return env


def launch(program, nproc: int, *args, timeout: float = 60, env=None, extra=()) -> subprocess.CompletedProcess:
    """``python -m ember.distributed.run --nproc-per-node N [extra] programs/<program> args``: exit code, output."""
    cmd = [sys.executable, "-m", "ember.distributed.run", "--nproc-per-node", str(nproc), *extra,
           str(PROGRAMS / program), *map(str, args)]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=_env(env))
