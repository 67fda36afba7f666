"""Every tutorial-length program in tutorials/ prints exactly what it prints under PyTorch (addresses aside)."""

import difflib
import sys
from pathlib import Path

import pytest

pytest.importorskip("torch")

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run_nn_corpus

TUTORIALS = Path(__file__).resolve().parent / "tutorials"
PROGRAMS = sorted(TUTORIALS.glob("t*.py"))


def test_corpus_is_large_enough():
    assert len(PROGRAMS) >= 20


@pytest.mark.parametrize("path", PROGRAMS, ids=[p.stem for p in PROGRAMS])
def test_tutorial_prints_the_same_as_torch(path):
    expected, actual = run_nn_corpus.compare(path)
    assert expected, "the program printed nothing under torch"
    assert not any(line.startswith("UNCAUGHT") for line in expected), "the program crashes under torch"
    if expected != actual:
        diff = "\n".join(difflib.unified_diff(expected, actual, "torch", "ember", lineterm="", n=1))
        pytest.fail(f"{path.name} prints differently under ember:\n{diff}")


if __name__ == "__main__":
    # `python tests/compat/test_tutorials.py [substring ...]`: show each program's diff.
    for path in PROGRAMS:
        if len(sys.argv) > 1 and not any(f in path.name for f in sys.argv[1:]):
            continue
        expected, actual = run_nn_corpus.compare(path)
        status = "ok  " if expected == actual else "DIFF"
        print(f"{status}  {path.name}")
        if expected != actual:
            diff = difflib.unified_diff(expected, actual, "torch", "ember", lineterm="", n=0)
            print("\n".join("      " + d for d in list(diff)[:30]))
