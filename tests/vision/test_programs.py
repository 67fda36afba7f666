"""`python -m ember run` on unchanged PyTorch programs (torchvision datasets among them) prints what torch prints.

The programs (programs/) read generated files in the real formats. Each runs on ember in its own subprocess, as
a user types it; on torch + torchvision (where installed) all run in one reference process, started first so the
two sides run side by side. Without torch the recorded output of torch (fixtures/vision/programs/) is the reference.
"""

import difflib
import os
import sys
from pathlib import Path

import pytest

pytest.importorskip("PIL")
pytest.importorskip("matplotlib")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import _programs

import ember

SRC = str(Path(ember.__file__).resolve().parents[1])


def _torch_available() -> bool:
    import importlib.util
    return all(importlib.util.find_spec(m) is not None for m in ("torch", "torchvision"))


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    folders = {}
    for name in _programs.PROGRAMS:
        folders[name] = str(tmp_path_factory.mktemp(name))
        _programs.build_data(folders[name])
    reference = _programs.start_on_torch(folders) if _torch_available() else None
    ember_runs = {name: _programs.run_on_ember(name, folder, SRC) for name, folder in folders.items()}
    torch_runs = _programs.torch_outputs(reference) if reference is not None else None
    return ember_runs, torch_runs, folders


def _diff(expected, actual, what):
    return f"ember prints differently from {what}:\n" + "\n".join(
        difflib.unified_diff(expected, actual, what, "ember", lineterm="", n=1))


@pytest.mark.parametrize("name", list(_programs.PROGRAMS))
def test_program_prints_what_torch_prints(name, runs):
    ember_runs, torch_runs, _ = runs
    code, lines, err = ember_runs[name]
    assert code == 0, f"python -m ember run {name} failed:\n{err[-3000:]}"
    assert lines == _programs.recorded(name), _diff(_programs.recorded(name), lines, "torch (recorded)")
    if torch_runs is not None:
        assert lines == torch_runs[name], _diff(torch_runs[name], lines, "torch")


def test_programs_wrote_their_files(runs):
    """The programs' side effects happened on ember too: the saved weights and the make_grid picture."""
    folders = runs[2]
    assert os.path.getsize(os.path.join(folders["mnist_main"], "work", "mnist_cnn.pt")) > 0
    assert os.path.getsize(os.path.join(folders["cifar10_tutorial"], "batch.png")) > 0
    assert os.path.getsize(os.path.join(folders["cifar10_tutorial"], "cifar_net.pth")) > 0


def test_the_line_comparison_catches_a_changed_digit():
    lines = _programs.recorded("nn_optim_loader")
    changed = [line.replace("0", "1", 1) if line.startswith("epoch") else line for line in lines]
    assert changed != lines
    assert "-" + lines[next(i for i, l in enumerate(lines) if l.startswith("epoch"))] in _diff(lines, changed, "t")
