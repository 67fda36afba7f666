"""The README tells the truth: its commands are the ones CI runs, its programs print what it shows (on ember and,
for the side-by-side, on PyTorch), its picture exists."""

import contextlib
import io
import pathlib
import re
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()
DEMO = "pip install -e '.[demo]' && python -m ember demo"
TEST = "pip install -e '.[test]' && python -m pytest -q"


def _section(heading: str) -> str:
    """The text of the README section that starts with ``## heading`` (up to the next ``## ``)."""
    start = README.index(f"\n## {heading}\n")
    end = README.find("\n## ", start + 1)
    return README[start:end if end >= 0 else None]


def _blocks(text: str, lang: str) -> list:
    return re.findall(rf"```{lang}\n(.*?)```", text, flags=re.S)


def _exec(code: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "README.md", "exec"), {"__name__": "__main__"})
    return out.getvalue()


def test_the_two_commands_are_the_ones_ci_runs():
    lines = [line.split("#")[0].strip() for line in README.splitlines()]
    assert DEMO in lines and TEST in lines
    assert "python -m venv .venv && . .venv/bin/activate" in lines
    assert "Python 3.10 or newer" in README and 'requires-python = ">=3.10"' in (ROOT / "pyproject.toml").read_text()
    ci = [line.split("#")[0].strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()]
    assert TEST in ci  # run in a copy of the checkout in a folder named ember
    assert 'mkdir "$tmp/ember"' in ci and 'cd "$tmp/ember"' in ci
    assert "pip install -e '.[notebooks]'" in README and "jupyter notebook examples/" in README


def test_the_pictures_are_there():
    names = re.findall(r"!\[[^]]+\]\((docs/[^)]+\.png)\)", README)
    assert sorted(names) == ["docs/gradient_field.png", "docs/neuron_graph.png"]
    for name in names:
        assert (ROOT / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def side_by_side():
    section = _section("The same program on PyTorch and on ember")
    (program,) = _blocks(section, "python")
    shown_torch, shown_ember = _blocks(section, "text")
    return program, shown_torch, shown_ember


def test_side_by_side_outputs_are_identical_and_are_what_ember_prints(side_by_side, tmp_path):
    program, shown_torch, shown_ember = side_by_side
    assert program.startswith("import torch\nfrom torch import nn\n") and len(program.splitlines()) <= 25
    assert shown_torch == shown_ember
    (tmp_path / "line.py").write_text(program)
    r = subprocess.run([sys.executable, "-m", "ember", "run", "line.py"], cwd=tmp_path, capture_output=True,
                       text=True, timeout=120, check=False)
    assert r.returncode == 0, r.stderr
    assert r.stdout == shown_ember
    assert r.stdout.replace("3.0641", "3.0642") != shown_ember  # the comparison sees a digit


def test_side_by_side_is_what_pytorch_prints(side_by_side):
    torch = pytest.importorskip("torch")
    assert not hasattr(torch, "use_as_torch")  # the real PyTorch, not ember standing in for it
    program, shown_torch, _ = side_by_side
    assert _exec(program) == shown_torch  # `import torch` in this process is the real PyTorch


def test_the_narrated_backward_is_real_output():
    section = _section("Seeing how autograd works")
    program, _ = _blocks(section, "python")
    (shown,) = _blocks(section, "text")
    assert program.startswith("import ember as torch\n")
    printed = _exec(program)
    assert printed == shown, "the README shows another output; paste what the program prints now:\n" + printed
    assert "tensor([-14.]) tensor([-14.])" in shown  # -2 (7 - tanh 0)(1 - tanh^2 0) x, by hand


def test_the_graph_picture_line_draws_the_neuron(tmp_path, monkeypatch):
    """The README's draw_graph line, run after its program, draws the graph docs/neuron_graph.png shows"""
    pytest.importorskip("matplotlib")
    section = _section("Seeing how autograd works")
    program, draw = _blocks(section, "python")
    monkeypatch.chdir(tmp_path)
    _exec(program + draw)
    assert (tmp_path / "graph.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import readme_pictures
    finally:
        sys.path.pop(0)
    readme_pictures.neuron_graph(str(tmp_path / "again.png"))
    assert (tmp_path / "again.png").stat().st_size > 10_000
