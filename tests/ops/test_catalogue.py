"""Every catalogue entry through every check (op_catalogue.py says what each checks), against PyTorch."""

from __future__ import annotations

import importlib
import os
import pathlib

import catalogue_checks as C
import numpy as np
import pytest
from op_catalogue import entries_by_name

FAMILIES = sorted(p.stem for p in pathlib.Path(__file__).parent.glob("catalogue_*.py") if p.stem not in ("catalogue_checks", "catalogue_surface", "catalogue_exclusions"))
ENTRIES = entries_by_name([e for f in FAMILIES for e in importlib.import_module(f).ENTRIES])

try:
    import torch
except ImportError:  # pragma: no cover - CI has torch; without it these tests need the recorded fixtures
    torch = None


FIXTURES = pathlib.Path(__file__).parent.parent / "fixtures" / "catalogue"


def _recorded():
    import json
    arrays, meta = {}, {}
    for family in FAMILIES:
        if (FIXTURES / f"{family}.json").exists():
            meta.update(json.loads((FIXTURES / f"{family}.json").read_text()))
            with np.load(FIXTURES / f"{family}.npz", allow_pickle=False) as z:
                arrays.update({k: z[k] for k in z.files})
    return C.Recorded(arrays, meta)


@pytest.fixture(scope="module")
def ref():
    """PyTorch itself when installed, else what it answered when the fixtures were recorded."""
    if torch is None or os.environ.get("EMBER_CATALOGUE_REFERENCE") == "recorded":
        return _recorded()
    torch.set_num_threads(1)
    return C.Torch(torch)


@pytest.mark.parametrize("family", FAMILIES)
def test_recorded_answers_are_current(family):
    """The fixtures hold what PyTorch answers now, for the samples the entries make now."""
    if torch is None:
        pytest.skip("needs PyTorch to compare the recording with")
    import json
    path = FIXTURES / f"{family}.json"
    assert path.exists(), f"no recorded answers for {family}: run python tests/ops/record_catalogue.py {family}"
    stored = json.loads(path.read_text())
    arrays, meta = {}, {}
    torch.set_num_threads(1)  # as record_catalogue.py: LAPACK's results depend on the thread count
    live = C.Torch(torch)
    for entry in importlib.import_module(family).ENTRIES:
        for dtype in entry.dtypes:
            C.record(entry, np.dtype(dtype), live, arrays, meta)
    assert json.loads(json.dumps(meta)) == stored, f"{family}: re-run python tests/ops/record_catalogue.py {family}"
    with np.load(FIXTURES / f"{family}.npz", allow_pickle=False) as z:
        assert sorted(z.files) == sorted(arrays), f"{family}: re-run record_catalogue.py"
        for k, v in arrays.items():
            assert_still_current(z[k], v, k)


def assert_still_current(recorded, now, key):
    """A recorded PyTorch answer against PyTorch's answer now. Exact for integers and bools; float64 to 1e-12 (MKL's
    LAPACK, lstsq, is not bit-reproducible between runs); float32 within a few dozen ulps: PyTorch's vectorised
    float32 kernels round differently between CPU kinds (AVX2, AVX-512: other sum orders, other sin/cos), so a
    recording made on one kind is still current on the other, while a stale one (other samples, other formulas)
    is far off."""
    if now.dtype == np.float64:
        np.testing.assert_allclose(recorded, now, rtol=1e-12, atol=1e-15, err_msg=key)
    elif now.dtype.kind in "fc":
        eps = np.finfo(now.dtype).eps
        scale = float(np.nanmax(np.abs(now), initial=0.0, where=np.isfinite(now))) if now.size else 0.0
        ok = np.isclose(recorded, now, rtol=64 * eps, atol=8 * eps * scale, equal_nan=True)
        assert ok.all(), f"{key}: {recorded[~ok][:4]} recorded, {now[~ok][:4]} now"
    else:
        np.testing.assert_array_equal(recorded, now, err_msg=key)


def test_the_currency_check_rejects_a_stale_recording():
    """A few ulps of float32 pass (another CPU kind's rounding); a change in the fourth digit, a NaN where there was
    a number, an integer off by one and a float64 change at 1e-9 are caught"""
    now = np.array([1.0, -2.5, 1e-3], np.float32)
    assert_still_current(np.nextafter(now, np.float32(np.inf)), now, "ulp")
    for stale in (now * np.float32(1.0001), np.array([1.0, np.nan, 1e-3], np.float32)):
        with pytest.raises(AssertionError):
            assert_still_current(stale, now, "stale")
    with pytest.raises(AssertionError):
        assert_still_current(np.array([1, 3]), np.array([1, 2]), "int")
    with pytest.raises(AssertionError):
        assert_still_current(np.array([1.0 + 1e-9]), np.array([1.0]), "float64")

def _cases(check):
    out = []
    for e in ENTRIES.values():
        if check in e.skip:
            continue
        if check in ("backward", "gradcheck", "jvp_vjp") and not e.grad:
            continue
        if check == "gradgradcheck" and not (e.grad and e.gradgrad):
            continue
        if check == "forward_over_reverse" and not (e.grad and e.gradgrad and e.forward_ad):
            continue
        if check == "forward_ad" and not (e.grad and e.forward_ad):
            continue
        if check == "inplace" and not e.inplace:
            continue
        if check == "errors" and e.errors is None:
            continue
        dtypes = e.dtypes if check in ("forward", "backward", "forward_ad") else e.dtypes[:1] if check == "errors" \
            else (np.float64,)
        for d in dtypes:
            known = e.known_failure(check, d)
            marks = [pytest.mark.xfail(reason=f"KNOWN FAILURE: {known}", strict=True)] if known else []
            out.append(pytest.param(e.name, np.dtype(d).name, id=f"{e.name}-{np.dtype(d).name}", marks=marks))
    return out


def test_known_failures():
    """The catalogue's known failures (checks that run as strict xfails until their ops are fixed), printed."""
    known = [(e.name, k, why) for e in ENTRIES.values() for k, why in sorted(e.known.items())]
    for name, k, why in known:
        assert why and len(why) > 10, f"{name} {k}: say what differs"
    print(f"\ncatalogue known failures ({len(known)}):" + "".join(f"\n  {n} [{k}]: {w}" for n, k, w in known))


@pytest.mark.parametrize("name,dtype", _cases("forward"))
def test_forward(name, dtype, ref):
    C.run_forward(ENTRIES[name], np.dtype(dtype), ref)


@pytest.mark.parametrize("name,dtype", _cases("errors"))
def test_errors(name, dtype, ref):
    C.run_errors(ENTRIES[name], np.dtype(dtype), ref)


@pytest.mark.parametrize("name,dtype", _cases("backward"))
def test_backward(name, dtype, ref):
    C.run_backward(ENTRIES[name], np.dtype(dtype), ref)


@pytest.mark.parametrize("name,dtype", _cases("gradcheck"))
def test_gradcheck(name, dtype):
    C.run_gradcheck(ENTRIES[name], np.dtype(dtype), second=False)


@pytest.mark.parametrize("name,dtype", _cases("gradgradcheck"))
def test_gradgradcheck(name, dtype):
    C.run_gradcheck(ENTRIES[name], np.dtype(dtype), second=True)


@pytest.mark.parametrize("name,dtype", _cases("forward_ad"))
def test_forward_ad(name, dtype, ref):
    C.run_forward_ad(ENTRIES[name], np.dtype(dtype), ref)


@pytest.mark.parametrize("name,dtype", _cases("jvp_vjp"))
def test_jvp_is_the_transpose_of_vjp(name, dtype):
    C.run_jvp_vjp_identity(ENTRIES[name], np.dtype(dtype))


@pytest.mark.parametrize("name,dtype", _cases("inplace"))
def test_inplace_equals_out_of_place(name, dtype):
    C.run_inplace(ENTRIES[name], np.dtype(dtype))


@pytest.mark.parametrize("name,dtype", _cases("forward_over_reverse"))
def test_forward_over_reverse(name, dtype):
    C.run_forward_over_reverse(ENTRIES[name], np.dtype(dtype))
