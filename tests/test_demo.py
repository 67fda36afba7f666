"""`python -m ember demo`: runs end to end and its numbers match the analytic ones and PyTorch."""

import math
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from ember.__main__ import demo, gradient_field, main


def test_gradient_field_matches_analytic():
    assert gradient_field() < 1e-12  # float64 grid: autograd equals 2cos(x^2+y^2)(x, y)


def test_demo_short_run(tmp_path, capsys):
    pytest.importorskip("ember.nn")
    r = demo(str(tmp_path), epochs=5)
    # hand-derived gradients of f = tanh(ln(1 + 2xz/sin y)) at (3, 1.5, 0.5)
    d = 1 + 2 * 3.0 * 0.5 / math.sin(1.5)
    dfd = (1 - math.tanh(math.log(d)) ** 2) / d
    want = (dfd * 0.5 * 2 / math.sin(1.5), -dfd * 0.5 * 6 * math.cos(1.5) / math.sin(1.5) ** 2,
            dfd * 6 / math.sin(1.5))
    assert r["f_grads"] == pytest.approx(want, rel=1e-5)
    assert os.path.getsize(r["graph"]) > 1000
    out = capsys.readouterr().out
    assert "TanhBackward0" in out
    assert f"   loss before training (epoch 1's forward pass): {r['first_loss']}\n" in out  # labelled
    assert r["last_loss"] < r["first_loss"]
    # the narration's formulas do not reuse the names x, y, z of the demo's own inputs
    rules = [line for line in out.splitlines() if line.startswith("[")]
    assert len(rules) == 7 and "AddBackward0:  u = a + α b:  du/da = 1, du/db = α" in out
    assert not any(re.search(r"(?<![A-Za-z])d?[xyz](?![A-Za-z])", line.split(":", 1)[1]) for line in rules)
    pytest.importorskip("matplotlib")
    names = [os.path.basename(p) for p in r["pictures"]]
    assert names == ["gradient_field.png", "regression.png", "loss.png"]
    assert all(Path(p).read_bytes()[:4] == b"\x89PNG" for p in r["pictures"])
    assert f"gradient vectors drawn -> {r['pictures'][0]}" in out


def test_missing_extras_say_how_to_install(tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib raises ImportError
    monkeypatch.setitem(sys.modules, "tqdm", None)
    r = demo(str(tmp_path), epochs=1)
    out = capsys.readouterr().out
    assert r["pictures"] == [] and sorted(os.listdir(tmp_path)) == ["graph.svg"]
    hint = "pip install 'ember[demo]', or pip install -e '.[demo]' in a checkout of ember"
    assert f"(matplotlib is not installed, so no pictures: {hint})" in out
    assert f"(tqdm is not installed, so no progress bar: {hint})" in out


def test_first_loss_matches_torch():
    torch = pytest.importorskip("torch")
    import ember
    from ember import nn
    torch.manual_seed(2021)
    tm = torch.nn.Sequential(torch.nn.Linear(1, 512), torch.nn.Tanh(), torch.nn.Linear(512, 1))
    x = torch.linspace(-1.0, 1.0, 32).reshape(32, 1)
    y = torch.sin(math.pi * x) + torch.randn(32, 1) / 4
    em = nn.Sequential(nn.Linear(1, 512), nn.Tanh(), nn.Linear(512, 1))
    with ember.no_grad():
        for pe, pt in zip(em.parameters(), tm.parameters()):
            pe.copy_(ember.tensor(pt.detach().numpy()))
    want = ((tm(x) - y) ** 2).mean().item()
    got = ((em(ember.tensor(x.numpy())) - ember.tensor(y.numpy())) ** 2).mean().item()
    assert got == pytest.approx(want, rel=1e-6)


def test_cli(tmp_path):
    assert main([]) == 0
    with pytest.raises(SystemExit):
        main(["demo", "--epochs", "-1"])
    r = subprocess.run([sys.executable, "-m", "ember", "demo", "--out", str(tmp_path / "o"), "--epochs", "2"],
                       capture_output=True, text=True, timeout=120, check=False)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "o" / "graph.svg").exists()
