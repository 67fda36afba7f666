"""The distributed tests: programs/ importable (their input definitions are the tests' references)."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "programs"))


@pytest.fixture
def needs_mpi():
    pytest.importorskip("mpi4py")
    from ember.distributed.run import find_mpiexec
    try:
        find_mpiexec()
    except SystemExit:
        pytest.skip("no mpiexec")
