"""``import ember`` stays light (issue 10: under 0.1 s, NumPy's own import being most of it): the modules below are
not loaded by ``import ember`` itself, only when first used. Checked in a fresh interpreter, on the modules the
import added (what ``site`` loaded before it does not count). No timing here: the list is what can be checked."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

# loaded on first use: ember's submodules that no op needs at import, and the standard library's (and NumPy's)
# heavier modules that only some calls need
HEAVY = (
    "ember.special", "ember.linalg", "ember.fft", "ember._jit_types", "ember.jit", "ember.amp",
    "ember.autograd.forward_ad", "ember.autograd._profiler_types", "ember.autograd.function", "ember.autograd.gradcheck", "ember.autograd.explain",
    "ember.func", "ember.distributions", "ember.vision", "ember.profiler", "ember.onnx", "ember.quantization",
    "ember.sparse", "ember.utils", "ember.nn", "ember.optim", "ember.viz", "ember.distributed",
    "ember.serialization", "ember.testing", "ember._torch_alias", "ember._compile", "ember.kernels.airy",
    "ember.kernels.special", "ember.kernels._special_tables", "ember.kernels.polynomials",
    "numpy.random", "traceback", "dataclasses", "importlib.abc", "importlib.metadata", "secrets",
    "matplotlib", "scipy", "PIL",
)


def loaded_by_import(after: str = "") -> list:
    """The modules ``import ember`` (then the statements ``after``) added to sys.modules, in a fresh interpreter"""
    code = ("import sys, json\nbefore = set(sys.modules)\nimport ember\n" + after +
            "\nprint(json.dumps(sorted(set(sys.modules) - before)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def heavy_loaded(loaded: list) -> list:
    """The HEAVY modules (or their submodules) among ``loaded``"""
    return sorted(m for m in loaded if any(m == h or m.startswith(h + ".") for h in HEAVY))


@pytest.fixture(scope="module")
def plain_import():
    return loaded_by_import()


def test_import_ember_leaves_the_heavy_modules_for_later(plain_import):
    assert heavy_loaded(plain_import) == []


def test_import_ember_loads_the_ops(plain_import):
    """(the list above is not met by loading nothing: the ops and the kernels are there)"""
    assert {"ember.ops.unary", "ember.ops.linalg", "ember.kernels.rng", "ember._bind"} <= set(plain_import)


def test_the_check_sees_a_heavy_module_loaded():
    """the same check fails when a heavy module is loaded: a lazy name, a lazy submodule, a draw, anomaly mode"""
    assert heavy_loaded(loaded_by_import("ember.linalg")) == ["ember.linalg"]
    assert "ember._jit_types" in heavy_loaded(loaded_by_import("ember.TensorType"))
    assert "numpy.random" in heavy_loaded(loaded_by_import("ember.rand(2)"))
    assert "ember.kernels.special" in heavy_loaded(loaded_by_import("ember.erf(ember.ones(1))"))
    assert "traceback" in heavy_loaded(loaded_by_import(
        "with ember.autograd.detect_anomaly():\n    ember.ones(1, requires_grad=True).exp()"))
    assert heavy_loaded(["ember.nn.functional", "jsonschema", "numpy.randomx", "ember.special"]) == \
        ["ember.nn.functional", "ember.special"]


def test_the_lazy_names_still_resolve():
    """dir, from-import, import of a submodule and hasattr see the lazily loaded names as before"""
    code = ("import ember, sys\n"
            "names = dir(ember)\n"
            "assert {'linalg', 'special', 'fft', 'amp', 'TensorType', 'autocast', 'use_as_torch'} <= set(names)\n"
            "from ember import ListType, GradScaler, special\n"
            "import ember.linalg\n"
            "assert hasattr(ember, 'fft') and not hasattr(ember, 'no_such_name')\n"
            "assert ember.linalg.det(ember.eye(2)).item() == 1.0\n"
            "assert ember.autograd.forward_ad.dual_level is not None\n"
            "print('ok')\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "ok"
