"""Every program in examples/ prints under ember exactly what PyTorch printed for it (recorded in
examples/expected/, so this runs without torch; `run_examples.py verify` re-checks the record against torch)."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run_examples

PROGRAMS = run_examples.programs()


def test_every_program_has_a_record():
    assert PROGRAMS
    missing = [p.name for p in PROGRAMS if not run_examples.expected_path(p).exists()]
    assert missing == []
    records = {p.stem for p in run_examples.EXPECTED.glob("*.out")}
    assert records == {p.stem for p in PROGRAMS}  # no record left over from a removed program


@pytest.mark.parametrize("path", PROGRAMS, ids=[p.stem for p in PROGRAMS])
def test_example_prints_what_torch_printed(path):
    expected = run_examples.recorded(path)
    assert expected and not any(line.startswith("UNCAUGHT") for line in expected)
    actual = run_examples.run(path, "ember")
    if expected != actual:
        pytest.fail(f"{path.name} prints differently under ember:\n" + "\n".join(
            run_examples.diff(expected, actual, path.name)))


def test_the_comparison_rejects_a_changed_line(tmp_path):
    # the check is only as good as its diff: one changed digit in the record must show up
    path = PROGRAMS[0]
    expected = run_examples.recorded(path)
    changed = list(expected)
    changed[-1] = changed[-1].replace("0", "9", 1) if "0" in changed[-1] else changed[-1] + "x"
    assert run_examples.diff(expected, changed, path.name)
    assert not run_examples.diff(expected, list(expected), path.name)
