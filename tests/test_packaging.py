"""Facts about ember itself: ``ember.version`` is laid out as ``torch.version``, pip and ``__version__`` agree,
``python -m ember --version``, the licence and the extras a newcomer installs."""

import importlib.metadata
import json
import pathlib
import subprocess
import sys
import types

import numpy as np
import pytest

import ember
from ember.__main__ import main

ROOT = pathlib.Path(__file__).resolve().parents[1]


def test_version_module_is_laid_out_as_torchs():
    assert isinstance(ember.version, types.ModuleType) and ember.version is not ember
    assert ember.version.cuda is None and ember.version.hip is None  # `if torch.version.cuda:` takes the CPU branch
    assert isinstance(ember.version.git_version, str) and ember.version.git_version
    assert ember.version.__version__ == ember.__version__
    api, _, local = ember.__version__.partition("+")
    assert api == "2.13.0" and local.startswith("ember")  # programs comparing with "2.0" keep working


@pytest.fixture(scope="module")
def metadata(tmp_path_factory):
    """The METADATA lines pip would write for this checkout (setuptools' PEP 517 hook, into a temporary folder)."""
    out = tmp_path_factory.mktemp("metadata")
    code = ("import setuptools.build_meta as b, sys, pathlib; out = sys.argv[1]; "
            "d = b.prepare_metadata_for_build_wheel(out); print(pathlib.Path(out, d, 'METADATA').read_text())")
    r = subprocess.run([sys.executable, "-c", code, str(out)], cwd=ROOT, capture_output=True, text=True,
                       timeout=120, check=False)
    assert r.returncode == 0, r.stderr
    return r.stdout.split("\n\n")[0].splitlines()  # the header, before the README


def _field(lines, key):
    return [line.split(": ", 1)[1] for line in lines if line.startswith(key + ": ")]


def test_built_metadata_carries_the_version(metadata):
    assert _field(metadata, "Name") == ["ember"]
    assert _field(metadata, "Version") == [ember.__version__]


def test_licence_and_extras(metadata):
    assert _field(metadata, "License-Expression") == ["MIT"] and _field(metadata, "License-File") == ["LICENSE"]
    text = (ROOT / "LICENSE").read_text()
    assert text.startswith("MIT License") and "THE SOFTWARE IS PROVIDED \"AS IS\"" in text
    extras = set(_field(metadata, "Provides-Extra"))
    assert {"demo", "notebooks", "test", "vision", "distributed"} <= extras
    needs = {d.split(";")[0].strip() for d in _field(metadata, "Requires-Dist") if 'extra == "notebooks"' in d}
    assert needs == {"jupyter", "nbclient", "nbformat", "ipykernel", "matplotlib"}
    assert [d for d in _field(metadata, "Requires-Dist") if "extra ==" not in d] == ["numpy>=1.24"]


def test_installed_metadata_agrees_when_installed_from_this_checkout():
    try:
        dist = importlib.metadata.distribution("ember")
    except importlib.metadata.PackageNotFoundError:
        pytest.skip("ember is not installed (running from the source tree only)")
    url = json.loads(dist.read_text("direct_url.json") or "{}").get("url", "")
    if pathlib.Path(url.removeprefix("file://")).resolve() != ROOT:
        pytest.skip(f"the installed ember comes from {url or 'a wheel'}, not from this checkout")
    assert importlib.metadata.version("ember") == ember.__version__, (
        "the installed metadata is older than src/ember/version.py: run pip install -e . again")


def test_version_flag(capsys):
    with pytest.raises(SystemExit) as e:
        main(["--version"])
    assert e.value.code == 0
    out = capsys.readouterr().out.strip()
    assert out.startswith(f"ember {ember.__version__} (PyTorch 2.13.0's API) on NumPy {np.__version__}, Python ")
    r = subprocess.run([sys.executable, "-m", "ember", "--version"], capture_output=True, text=True, timeout=60,
                       check=False)
    assert r.returncode == 0 and r.stdout.strip() == out
