"""Tensor printing must be byte-identical to PyTorch's ``repr(tensor)``.

Two sources of truth, both PyTorch:

* ``tests/fixtures/tensor_str.json`` holds inputs and torch's output recorded from
  PyTorch 2.13, so these tests also run where torch is not installed.
  Re-record with ``python tests/test_tensor_str.py --record`` (needs torch).
* live differential tests (skipped without torch) compare against torch directly: the
  recorded cases themselves and a seeded random fuzz over dtypes, shapes and options.
"""

from __future__ import annotations

import ast
import json
import math
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from ember import _tensor_str as ts

FIXTURE = Path(__file__).parent / "fixtures" / "tensor_str.json"
MODULE_PATH = Path(ts.__file__)

# ---------------------------------------------------------------------------------------
# Case specification (shared by the recorder and the tests)
#
# A case is a dict:
#   values:   nested list / scalar, or {"re": ..., "im": ...} for complex, or a recipe
#             {"recipe": [n, mult, mod, shift, div], "shape": [...]} meaning
#             ((arange(n) * mult) % mod - shift) / div: deterministic, exact, no RNG.
#   shape:    final shape (used to build empties and 0-d arrays unambiguously)
#   dtype, default ("float32"/"float64"), opts (set_printoptions kwargs),
#   grad:     None | "requires_grad" | "clone" (-> grad_fn=<CloneBackward0>) | "param"
#   expected: torch's repr (filled in by the recorder)


def _recipe(n, mult, mod, shift, div):
    return {"recipe": [n, mult, mod, shift, div]}


def _c(id_, values, dtype="float32", shape=None, opts=None, grad=None, default="float32"):
    if shape is None:
        shape = list(np.shape(values)) if not isinstance(values, dict) else None
    return {
        "id": id_,
        "values": values,
        "shape": shape,
        "dtype": dtype,
        "default": default,
        "opts": opts or {},
        "grad": grad,
    }


nan, inf = math.nan, math.inf

CASES = [
    # 0-d
    _c("scalar_int_mode", 177.0),
    _c("scalar_int64", 3, "int64"),
    _c("scalar_bool", True, "bool"),
    _c("scalar_frac", 0.8889),
    _c("scalar_neg_zero", -0.0),
    _c("scalar_nan", nan),
    _c("scalar_neg_inf", -inf),
    _c("scalar_tiny_sci", 1e-5),
    _c("scalar_huge_sci", 1.5e10),
    _c("scalar_float64", 0.1, "float64"),
    _c("scalar_float16", 0.1, "float16"),
    _c("scalar_bfloat16", 0.1, "bfloat16"),
    _c("scalar_int8", -7, "int8"),
    _c("scalar_uint8", 255, "uint8"),
    _c("scalar_complex", {"re": 1.5, "im": -2.0}, "complex64", shape=[]),
    _c("scalar_float64_default64", 2.5, "float64", default="float64"),
    _c("scalar_float32_default64", 2.5, "float32", default="float64"),
    # 1-d
    _c("vec_int_mode", [1.0, 20.0, -3.0]),
    _c("vec_fixed", [0.5, -1.25, 3.14159]),
    _c("vec_int64", [1, -22, 333], "int64"),
    _c("vec_int32", [1, 2], "int32"),
    _c("vec_int16", [-32768, 32767], "int16"),
    _c("vec_uint8", [0, 7, 255], "uint8"),
    _c("vec_bool", [True, False, True], "bool"),
    _c("vec_bool_all_true", [True, True], "bool"),
    _c("vec_nonfinite_int_mode", [nan, 1.0, -inf, inf]),
    _c("vec_nonfinite_sci", [nan, 1e-10, -inf]),
    _c("vec_only_nonfinite", [nan, inf, -inf]),
    _c("vec_zeros_neg_zero", [0.0, -0.0, 0.0]),
    _c("vec_neg_zero_mixed", [-0.0, 1.5, 2.25]),
    _c("vec_sci_ratio", [1.0, 1001.0]),
    _c("vec_no_sci_ratio_1000", [1.0, 1000.0]),
    _c("vec_sci_max", [1e8, 2e8]),
    _c("vec_sci_min", [1e-4, 5e-5]),
    _c("vec_no_sci_min_1e-4", [1e-4, 2e-4]),
    _c("vec_sci_exp3", [1e-200, 1.0, 1e200], "float64"),
    _c("vec_round_up_width", [9.99996, 1.0]),
    _c("vec_float16", [0.1, 1000.0, -65504.0], "float16"),
    _c("vec_float16_overflow", [1e5, 1.0], "float16"),
    _c("vec_bfloat16", [1.0000001, 3.3, 1e30], "bfloat16"),
    _c("vec_float64", [1.0 / 3.0, 2.0 / 3.0], "float64"),
    _c("vec_complex64", {"re": [1.0, -0.5, 0.0], "im": [2.0, -1e-5, -0.0]}, "complex64", shape=[3]),
    _c("vec_complex128_int", {"re": [1.0, nan], "im": [0.0, inf]}, "complex128", shape=[2]),
    _c("vec_wrap_long", _recipe(30, 7919, 1000, 500, 37)),
    _c("vec_wrap_ints", _recipe(40, 104729, 100000, 50000, 1), "int64"),
    # 2-d and up
    _c("mat_int_mode", [[1.0, 2.0], [3.0, 40.0]]),
    _c("mat_mixed", [[1.5, -20.0], [nan, 0.001]]),
    _c("mat_wrap_rows", _recipe(90, 7919, 1000, 500, 37), shape=[3, 30]),
    _c("tensor3d", _recipe(24, 31, 97, 48, 8), shape=[2, 3, 4]),
    _c("tensor4d", _recipe(36, 13, 50, 25, 1), "int64", shape=[2, 3, 2, 3]),
    _c("mat_bool", [[True, False], [False, True]], "bool"),
    _c("mat_complex", {"re": [[1.0, 2.0], [3.0, 4.0]], "im": [[0.5, -0.5], [1e3, 0.0]]}, "complex64", [2, 2]),
    # empty tensors
    _c("empty_1d", [], shape=[0]),
    _c("empty_2d", [], shape=[0, 3]),
    _c("empty_3d", [], shape=[2, 0, 4]),
    _c("empty_int64", [], "int64", shape=[0]),
    _c("empty_bool_2d", [], "bool", shape=[3, 0]),
    _c("empty_float64", [], "float64", shape=[0]),
    _c("empty_float32_default64", [], "float32", shape=[0], default="float64"),
    _c("empty_complex64", [], "complex64", shape=[0]),
    _c("empty_requires_grad", [], shape=[0, 2], grad="requires_grad"),
    # summarisation
    _c("summ_1d", _recipe(2000, 7919, 1000, 500, 37)),
    _c("summ_1d_int", _recipe(1500, 1, 100000, 0, 1), "int64"),
    _c("summ_2d", _recipe(2500, 7919, 1000, 500, 37), shape=[50, 50]),
    _c("summ_2d_narrow", _recipe(2002, 7919, 1000, 500, 37), shape=[1001, 2]),
    _c("summ_3d", _recipe(8000, 7919, 1000, 500, 8), shape=[20, 20, 20]),
    _c("summ_outlier_hidden", _recipe(2000, 1, 100, 0, 4)),  # values at the edges decide format
    _c("summ_threshold5", _recipe(10, 1, 100, 0, 1), "int64", opts={"threshold": 5}),
    _c("summ_edge0_1d", _recipe(10, 1, 100, 0, 1), opts={"threshold": 5, "edgeitems": 0}),
    _c("summ_edge0_2d", _recipe(10, 1, 100, 0, 1), shape=[2, 5], opts={"threshold": 5, "edgeitems": 0}),
    _c("edge0_not_summarised", _recipe(6, 1, 100, 0, 1), shape=[2, 3], opts={"edgeitems": 0}),
    _c("summ_edge1", _recipe(64, 7, 50, 25, 3), shape=[4, 4, 4], opts={"threshold": 10, "edgeitems": 1}),
    _c("summ_complex", {"re": _recipe(1200, 7919, 1000, 500, 37)}, "complex64", shape=[1200]),
    # print options
    _c("opt_precision2", [1.23456, -7.891], opts={"precision": 2}),
    _c("opt_precision0", [1.5, 2.5, 1e-6], opts={"precision": 0}),
    _c("opt_sci_false", [1e-8, 1.0, 1e9], opts={"sci_mode": False}),
    _c("opt_sci_true", [1.0, 2.0, 3.5], opts={"sci_mode": True}),
    _c("opt_sci_true_int_mode", [1.0, 20.0], opts={"sci_mode": True}),
    _c("opt_sci_true_all_zero", [0.0, 0.0], opts={"sci_mode": True}),
    _c("opt_profile_short", _recipe(2000, 7919, 1000, 500, 37), opts={"profile": "short"}),
    _c("opt_profile_full", _recipe(1100, 1, 10000, 0, 1), "int64", opts={"profile": "full"}),
    _c("opt_linewidth40", _recipe(20, 7919, 1000, 500, 37), opts={"linewidth": 40}),
    _c("opt_linewidth120", _recipe(60, 7919, 1000, 500, 37), shape=[2, 30], opts={"linewidth": 120}),
    _c("opt_linewidth_tiny", [1.5, 2.5, 3.5], opts={"linewidth": 5}),
    # suffixes and their wrapping
    _c("suffix_requires_grad", [1.0, 2.0], grad="requires_grad"),
    _c("suffix_grad_fn", [1.0, 2.0], grad="clone"),
    _c("suffix_dtype_and_grad", [1.0, 2.0], "float64", grad="requires_grad"),
    _c("suffix_scalar_grad", 3.5, "float64", grad="clone"),
    _c("suffix_wraps_after_line", _recipe(10, 7919, 1000, 500, 37), "float64", grad="clone"),
    _c("suffix_multiline", _recipe(40, 7919, 1000, 500, 37), "float64", shape=[2, 20], grad="clone"),
    # torch measures "tensor([1., 2.]" as 15 + 2 columns; with ", requires_grad=True" that is
    # 37 > linewidth, so 36 is the widest line that still wraps.
    _c("suffix_boundary_wraps", [1.0, 2.0], opts={"linewidth": 36}, grad="requires_grad"),
    _c("suffix_boundary_fits", [1.0, 2.0], opts={"linewidth": 37}, grad="requires_grad"),
    _c("suffix_boundary_multiline", [[1.0, 2.0], [3.0, 4.0]], opts={"linewidth": 38}, grad="requires_grad"),
    _c("suffix_int_dtype", [1, 2, 3], "int32"),
    _c("suffix_long_int_row", _recipe(24, 104729, 1000000, 500000, 1), "int16"),
    _c("parameter", [[0.0, 0.0], [0.0, 0.0]], grad="param"),
    _c("parameter_float64", [1.5, -2.5], "float64", grad="param"),
    _c("parameter_int_no_grad", [1, 2], "int64", grad="param"),
]


def build_array(case: dict) -> np.ndarray:
    """The NumPy input for a case, in the dtype's natural NumPy container."""
    dtype = case["dtype"]
    values = case["values"]
    if dtype.startswith("complex") and "re" in values:
        re = _expand(values["re"])
        im = _expand(values["im"]) if "im" in values else np.zeros_like(re)
        arr = _complex(re, im)
    else:
        arr = _expand(values)
    if case["shape"] is not None:
        arr = arr.reshape(case["shape"])
    if dtype == "bool":
        return arr.astype(bool)
    if dtype.startswith(("int", "uint")):
        return arr.astype(np.int64)
    return arr


def _complex(re: np.ndarray, im: np.ndarray) -> np.ndarray:
    # Not re + 1j * im: that turns an infinite imaginary part into nan + infj.
    arr = np.empty(np.shape(re), dtype=np.complex128)
    arr.real, arr.imag = re, im
    return arr


def _expand(values) -> np.ndarray:
    if isinstance(values, dict):
        n, mult, mod, shift, div = values["recipe"]
        return ((np.arange(n, dtype=np.int64) * mult) % mod - shift) / div
    return np.array(values, dtype=np.float64)


def ember_suffixes(case: dict) -> list[str]:
    grad = case["grad"]
    floating = not case["dtype"].startswith(("int", "uint", "bool"))
    if grad == "requires_grad" or (grad == "param" and floating):
        return ["requires_grad=True"]
    if grad == "clone":
        return ["grad_fn=<CloneBackward0>"]
    return []


def ember_repr(case: dict, arr: np.ndarray | None = None) -> str:
    ts.set_printoptions(**case["opts"])
    return ts.format_tensor(
        build_array(case) if arr is None else arr,
        case["dtype"],
        case["default"],
        ember_suffixes(case),
        is_parameter=case["grad"] == "param",
    )


def torch_repr(torch, case: dict, arr: np.ndarray | None = None) -> str:
    torch.set_printoptions(**case["opts"])
    torch.set_default_dtype(getattr(torch, case["default"]))
    try:
        arr = build_array(case) if arr is None else arr
        t = torch.from_numpy(np.array(arr)).to(getattr(torch, case["dtype"]))
        grad = case["grad"]
        if grad == "requires_grad":
            t.requires_grad_(True)
        elif grad == "clone":
            t = t.requires_grad_(True).clone()
        elif grad == "param":
            t = torch.nn.Parameter(t, requires_grad=t.is_floating_point() or t.is_complex())
        return repr(t)
    finally:
        torch.set_default_dtype(torch.float32)
        torch.set_printoptions(profile="default")


SIZES = [(), (3,), (2, 3), (0,), (1, 0, 5), (2, 3, 4, 5)]
DTYPES = ["float32", "float64", "float16", "bfloat16", "int64", "int32", "int16", "int8", "uint8", "bool",
          "complex64", "complex128"]  # fmt: skip
DTYPE_ALIASES = ["float", "double", "half", "long", "int", "short", "cfloat", "cdouble"]


def record() -> None:
    import torch

    cases = [{**case, "expected": torch_repr(torch, case)} for case in CASES]
    data = {
        "torch_version": torch.__version__,
        "cases": cases,
        "sizes": [[list(s), repr(torch.Size(s))] for s in SIZES],
        "dtypes": [[d, str(getattr(torch, d))] for d in DTYPES + DTYPE_ALIASES],
    }
    FIXTURE.parent.mkdir(exist_ok=True)
    FIXTURE.write_text(json.dumps(data, indent=0) + "\n")
    print(f"recorded {len(cases)} cases with torch {torch.__version__} -> {FIXTURE}")


# ---------------------------------------------------------------------------------------
# Tests


@pytest.fixture(autouse=True)
def _default_print_options():
    ts.set_printoptions(profile="default")
    yield
    ts.set_printoptions(profile="default")


def _fixture() -> dict:
    return json.loads(FIXTURE.read_text())


# Missing only while recording for the first time (then test_fixture_covers_all_cases fails).
RECORDED = _fixture() if FIXTURE.exists() else {"cases": [], "sizes": [], "dtypes": []}


@pytest.mark.parametrize("case", RECORDED["cases"], ids=lambda c: c["id"])
def test_recorded_case(case):
    assert ember_repr(case) == case["expected"]


def test_fixture_covers_all_cases():
    # Guards against editing CASES without re-recording.
    assert [c["id"] for c in RECORDED["cases"]] == [c["id"] for c in CASES]
    for stored, spec in zip(RECORDED["cases"], CASES, strict=True):
        inputs = {k: v for k, v in stored.items() if k != "expected"}
        # Compared as JSON text because NaN != NaN.
        assert json.dumps(inputs, sort_keys=True) == json.dumps(spec, sort_keys=True)


@pytest.mark.parametrize("shape,expected", RECORDED["sizes"])
def test_size_repr(shape, expected):
    assert ts.size_repr(tuple(shape)) == expected


@pytest.mark.parametrize("name,expected", RECORDED["dtypes"])
def test_dtype_repr(name, expected):
    assert ts.dtype_repr(name) == expected


def test_printoptions_roundtrip_and_sci_mode_reset():
    assert ts.get_printoptions() == {
        "precision": 4, "threshold": 1000, "edgeitems": 3, "linewidth": 80, "sci_mode": None
    }  # fmt: skip
    ts.set_printoptions(precision=2, sci_mode=True)
    assert ts.get_printoptions()["sci_mode"] is True
    # Like torch, any call without sci_mode returns it to automatic.
    ts.set_printoptions(linewidth=100)
    assert ts.get_printoptions() == {
        "precision": 2, "threshold": 1000, "edgeitems": 3, "linewidth": 100, "sci_mode": None
    }  # fmt: skip
    ts.set_printoptions(profile="full")
    assert ts.get_printoptions()["threshold"] == math.inf
    assert ts.get_printoptions()["linewidth"] == 80


def test_printoptions_context_manager_restores():
    with ts.printoptions(precision=1, sci_mode=False):
        assert ts.format_tensor(np.array([1.25, 2.0]), "float32", "float32") == "tensor([1.2, 2.0])"
    assert ts.get_printoptions()["precision"] == 4
    assert ts.get_printoptions()["sci_mode"] is None


def test_unrounded_input_is_rounded_to_dtype():
    # Callers may hand over wider storage (float32 for bfloat16, float64 for float16);
    # torch would have rounded on conversion, so printing must too.
    wide = np.array([1.0000001, 3.3, 0.1], dtype=np.float64)
    assert (
        ts.format_tensor(wide, "bfloat16", "float32")
        == "tensor([1.0000, 3.2969, 0.1001], dtype=torch.bfloat16)"
    )
    assert (
        ts.format_tensor(wide, "float16", "float32")
        == "tensor([1.0000, 3.3008, 0.1000], dtype=torch.float16)"
    )


def test_module_imports_nothing_from_ember():
    tree = ast.parse(MODULE_PATH.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            assert node.level == 0 and not (node.module or "").startswith("ember"), ast.unparse(node)
        elif isinstance(node, ast.Import):
            assert not any(alias.name.startswith("ember") for alias in node.names), ast.unparse(node)


def test_small_tensor_is_fast():
    arr = np.arange(12, dtype=np.float32).reshape(3, 4) / 7
    ts.format_tensor(arr, "float32", "float32")
    best = math.inf
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(50):
            ts.format_tensor(arr, "float32", "float32", ["requires_grad=True"])
        best = min(best, (time.perf_counter() - start) / 50)
    assert best < 1e-3


# --- live differential tests against torch ---------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["id"])
def test_live_case_matches_torch(case):
    torch = pytest.importorskip("torch")
    assert ember_repr(case) == torch_repr(torch, case)


def _fuzz_values(rng, dtype, shape):
    n = int(np.prod(shape))
    kind = int(rng.integers(0, 8))
    if dtype == "bool":
        return rng.integers(0, 2, n).astype(bool).reshape(shape)
    if dtype.startswith(("int", "uint")):
        info = np.iinfo(dtype)
        lo, hi = [(0, 10), (-100, 100), (info.min, info.max)][kind % 3]
        return (
            rng.integers(max(lo, info.min), min(hi, info.max), n, endpoint=True)
            .astype(np.int64)
            .reshape(shape)
        )

    def real():
        if kind == 0:
            return rng.standard_normal(n)
        if kind == 1:
            return rng.integers(-50, 50, n).astype(float)
        if kind == 2:  # magnitudes spread per element: sci mode, 3-digit exponents
            return rng.standard_normal(n) * 10.0 ** rng.integers(-12, 12, n)
        if kind == 3:  # one scale, possibly beyond float16/float32 range
            return rng.standard_normal(n) * 10.0 ** rng.integers(-40, 40)
        if kind == 4:
            return rng.choice([0.0, -0.0, nan, inf, -inf, 1.0, -2.5, 1e-5, 1e9, 3.0], n)
        if kind == 5:  # large integers in float
            return rng.integers(-5, 5, n) * 10.0 ** rng.integers(0, 12)
        if kind == 6:
            return np.round(rng.standard_normal(n) * 1000, rng.integers(0, 6))
        return rng.uniform(0, 1, n) * 10.0 ** rng.integers(-6, 6)

    if dtype.startswith("complex"):
        return _complex(real(), real()).reshape(shape)
    return real().reshape(shape)


def _fuzz_shape(rng):
    ndim = int(rng.integers(0, 5))
    if rng.random() < 0.1:
        return tuple(int(x) for x in rng.integers(0, 3, ndim))
    largest = {0: 1, 1: 60, 2: 40, 3: 15, 4: 8}[ndim]  # big enough to hit summarisation
    return tuple(int(x) for x in rng.integers(1, largest + 1, ndim))


def _fuzz_options(rng):
    opts = {}
    if rng.random() < 0.3:
        opts["precision"] = int(rng.integers(0, 8))
    if rng.random() < 0.3:
        opts["threshold"] = int(rng.choice([0, 5, 20, 100, 1000]))
    if rng.random() < 0.3:
        opts["edgeitems"] = int(rng.integers(0, 5))
    if rng.random() < 0.3:
        opts["linewidth"] = int(rng.choice([20, 40, 80, 120, 200]))
    if rng.random() < 0.3:
        opts["sci_mode"] = bool(rng.random() < 0.5)
    if rng.random() < 0.15:
        opts["profile"] = str(rng.choice(["default", "short", "full"]))
    return opts


@pytest.mark.parametrize("seed", range(4))
def test_live_random_fuzz(seed):
    """Random dtypes, shapes, values and options; every mismatch is reported."""
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(seed)
    mismatches = []
    for i in range(100):
        dtype = str(rng.choice(DTYPES))
        shape = _fuzz_shape(rng)
        values = _fuzz_values(rng, dtype, shape)
        floating = not dtype.startswith(("int", "uint", "bool"))
        grad = str(rng.choice(["requires_grad", "clone", "param", "none"])) if floating else "none"
        case = {
            "id": f"fuzz{seed}-{i}",
            "values": None,  # passed directly below
            "shape": list(shape),
            "dtype": dtype,
            "default": "float64" if rng.random() < 0.25 else "float32",
            "opts": _fuzz_options(rng),
            "grad": None if grad == "none" else grad,
        }
        ts.set_printoptions(profile="default")
        got, want = ember_repr(case, values), torch_repr(torch, case, values)
        if got != want:
            mismatches.append((case["id"], dtype, shape, case["opts"], want, got))
    assert not mismatches, mismatches[:3]


if __name__ == "__main__":
    if "--record" in sys.argv:
        record()
    else:
        print("usage: python tests/test_tensor_str.py --record")
