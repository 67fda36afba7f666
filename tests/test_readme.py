"""The README's example runs as written, and its training output equals PyTorch's at the printed precision."""

import contextlib
import io
import pathlib

import pytest

README = pathlib.Path(__file__).resolve().parents[1] / "README.md"


def _example() -> str:
    return README.read_text().split("```python\n")[1].split("```")[0]


def _run(code: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "README.md", "exec"), {})
    return out.getvalue()


def test_readme_example_runs_and_draws(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = _run(_example())
    assert "tensor([2., 4., 6.])" in text
    assert (tmp_path / "graph.svg").read_text().lstrip().startswith(("<?xml", "<svg"))


def test_readme_training_prints_what_pytorch_prints():
    pytest.importorskip("torch")
    code = _example().split("x = torch.tensor")[0]  # the training part, which runs on both
    ours = _run(code)
    theirs = _run(code.replace("import ember as torch\nfrom ember import nn", "import torch\nfrom torch import nn"))
    strip = [line.split(" <")[0] for line in ours.splitlines()], [line.split(" <")[0] for line in theirs.splitlines()]
    assert strip[0] == strip[1]
