"""Every nn/training corpus program prints exactly what it prints under PyTorch (addresses aside)."""

import difflib
import sys
from pathlib import Path

import pytest

pytest.importorskip("torch")

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run_nn_corpus

PROGRAMS = run_nn_corpus.programs()


def test_corpus_is_large_enough():
    assert len(PROGRAMS) >= 35


def test_rewrite_imports_covers_the_usual_forms():
    source = ("import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n"
              "from torch.utils.data import DataLoader\nimport numpy as np, torch.optim as optim\n"
              "    import torch.nn\nx = 'import torch'\n")
    assert run_nn_corpus.rewrite_imports(source).splitlines() == [
        "import ember as torch", "import ember.nn as nn", "import ember.nn.functional as F",
        "from ember.utils.data import DataLoader", "import numpy as np, ember.optim as optim",
        "    import ember.nn; torch = ember", "x = 'import torch'"]


@pytest.mark.parametrize("path", PROGRAMS, ids=[p.stem for p in PROGRAMS])
def test_program_prints_the_same_as_torch(path):
    expected, actual = run_nn_corpus.compare(path)
    assert expected, "the program printed nothing under torch"
    if expected != actual:
        diff = "\n".join(difflib.unified_diff(expected, actual, "torch", "ember", lineterm="", n=1))
        pytest.fail(f"{path.name} prints differently under ember:\n{diff}")
