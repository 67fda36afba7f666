"""The code passes the project's lint rules (pyproject.toml's [tool.ruff]); ruff comes with the test extra."""

import pathlib
import shutil
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]


def _ruff():
    exe = shutil.which("ruff") or (pathlib.Path(sys.executable).parent / "ruff")
    if not pathlib.Path(exe).exists():
        pytest.skip("ruff is not installed (pip install -e '.[test]' brings it)")
    return str(exe)


def test_ruff_is_clean():
    dirs = [d for d in ("src", "tests", "tools", "bench") if (ROOT / d).is_dir()]
    r = subprocess.run([_ruff(), "check", "--no-cache", *dirs], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-2000:]


def test_ruff_fails_on_a_lint_error(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import os\n")  # an unused import
    r = subprocess.run([_ruff(), "check", "--no-cache", "--config", str(ROOT / "pyproject.toml"), str(bad)],
                       capture_output=True, text=True)
    assert r.returncode != 0 and "F401" in r.stdout
