"""ember.kernels.special against PyTorch: recorded outputs (always), live PyTorch on fresh inputs (when
installed), the same with SciPy blocked, derivatives against PyTorch's autograd and finite differences.

The comparison is in ulps of PyTorch's result per element, with a per-function bound, a minimum share of
elements that must be bit-identical, and an absolute tolerance only for results that come out of a
cancellation (see special_cases.py for the table and its origin)."""

from __future__ import annotations

import importlib
import pathlib
import sys

import numpy as np
import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from special_cases import CASES, NUMPY_OWN_LIBM, NUMPY_SIMD_SPREAD, TORCH_AVX512_SPREAD, inputs, onednn_isa  # noqa: E402

from ember.kernels import special as S  # noqa: E402

FIXTURES = pathlib.Path(__file__).resolve().parents[1] / "fixtures" / "special_torch.npz"
DTYPES = ("float32", "float64")


# -- the comparison helper --------------------------------------------------------------------------------

def ulp_diff(actual: np.ndarray, expected: np.ndarray) -> np.ndarray:
    """|actual - expected| in units of expected's spacing; 0 where both are equal or both NaN, inf where
    exactly one is NaN or they differ at infinity."""
    a = np.asarray(actual, dtype=np.float64)
    e = np.asarray(expected, dtype=np.float64)
    same = (a == e) | (np.isnan(a) & np.isnan(e))
    with np.errstate(all="ignore"):
        d = np.abs(a - e) / np.spacing(np.abs(expected)).astype(np.float64)
    d = np.where(same, 0.0, d)
    return np.where(~same & ~(np.isfinite(a) & np.isfinite(e)), np.inf, d)


def check_close(actual, expected, max_ulp: float, min_equal: float, atol: float = 0.0) -> dict:
    """Assert that ``actual`` has ``expected``'s dtype and shape, is within ``max_ulp`` ulps (or ``atol``)
    of it everywhere, and equal to the bit in at least a ``min_equal`` share of the elements."""
    actual, expected = np.asarray(actual), np.asarray(expected)
    assert actual.dtype == expected.dtype, (actual.dtype, expected.dtype)
    assert actual.shape == expected.shape, (actual.shape, expected.shape)
    d = ulp_diff(actual, expected)
    with np.errstate(all="ignore"):
        near = np.isfinite(d) & (np.abs(actual.astype(np.float64) - expected.astype(np.float64)) <= atol)
    bad = ~((d <= max_ulp) | near)
    equal = float(np.mean(d == 0)) if d.size else 1.0
    if bad.any():
        i = np.flatnonzero(bad)[:5]
        raise AssertionError(f"{bad.sum()} of {d.size} elements beyond {max_ulp} ulp (atol {atol}): "
                             f"got {actual.ravel()[i]}, want {expected.ravel()[i]}, ulp {d.ravel()[i]}")
    assert equal >= min_equal, f"only {equal:.4f} of the elements bit-equal (need {min_equal})"
    return {"max_ulp": float(d[np.isfinite(d)].max()) if np.isfinite(d).any() else 0.0, "equal": equal}


def test_check_close_rejects_wrong_values():
    x = np.linspace(-3, 3, 1001)
    ref = S.erf(x)
    check_close(ref, ref, 0, 1.0)
    with pytest.raises(AssertionError):
        check_close(ref * (1 + 8 * np.finfo(np.float64).eps), ref, 2, 0.0)  # 8 ulp off everywhere
    with pytest.raises(AssertionError):
        check_close(np.where(x > 2.9, np.nan, ref), ref, 10, 0.0)  # NaN where a number is due
    with pytest.raises(AssertionError):
        check_close(np.nextafter(ref, np.inf), ref, 1, 0.99)  # within 1 ulp but never equal
    with pytest.raises(AssertionError):
        check_close(ref.astype(np.float32), ref, 1e9, 0.0)  # wrong dtype
    with pytest.raises(AssertionError):
        check_close(-ref, ref, 1e6, 0.0, atol=1e-3)  # sign error survives an absolute tolerance


def test_ulp_diff_treats_special_values():
    e = np.array([np.nan, np.inf, -np.inf, 0.0, 1.0])
    assert ulp_diff(e, e).tolist() == [0, 0, 0, 0, 0]
    assert np.isinf(ulp_diff(np.array([1.0, np.inf, 0.0]), np.array([np.nan, -np.inf, np.inf]))).all()


# -- kernels against PyTorch ---------------------------------------------------------------------------

def kernel(name, module=S):
    k = CASES[name][0]
    return getattr(module, k) if isinstance(k, str) else k(module)


def tolerance(name, dtype, args, torch_avx512=False):
    """CASES' figures (measured where NumPy and PyTorch call glibc: AVX2), or the measured cross-CPU spread
    where NumPy's own AVX-512 libm (or PyTorch's AVX-512 build, live) decides the last bits; a max_ulp that
    is a function of the inputs gives each element its bound."""
    tol = CASES[name][3][dtype]
    if NUMPY_OWN_LIBM and dtype in NUMPY_SIMD_SPREAD.get(name, {}):
        tol = NUMPY_SIMD_SPREAD[name][dtype]
    if torch_avx512 and dtype in TORCH_AVX512_SPREAD.get(name, {}):
        tol = TORCH_AVX512_SPREAD[name][dtype]
    return (tol[0](*args) if callable(tol[0]) else tol[0],) + tuple(tol[1:])


def torch_runs_avx512(torch) -> bool:
    return torch.backends.cpu.get_cpu_capability().upper().startswith("AVX512")


@pytest.fixture(scope="module")
def recorded():
    return np.load(FIXTURES)


def run_recorded(recorded, module, name, dtype):
    args = []
    i = 0
    while f"{name}|{dtype}|in{i}" in recorded:
        args.append(recorded[f"{name}|{dtype}|in{i}"])
        i += 1
    key = f"{name}|{dtype}|out"
    want = recorded[f"{key}|{onednn_isa()}"] if f"{key}|{onednn_isa()}" in recorded else recorded[key]
    return kernel(name, module)(*args), want, args


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", sorted(CASES))
def test_against_recorded_torch(recorded, name, dtype):
    got, want, args = run_recorded(recorded, S, name, dtype)
    check_close(got, want, *tolerance(name, dtype, args))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", sorted(CASES))
def test_against_live_torch(name, dtype):
    torch = pytest.importorskip("torch")
    with np.errstate(all="ignore"):
        args = [a.astype(dtype) for a in inputs(name, 1500, seed=1)]  # float32: 1e308 becomes inf
        want = CASES[name][1](torch)(*(torch.from_numpy(a) for a in args)).numpy()
    check_close(kernel(name)(*args), want, *tolerance(name, dtype, args, torch_runs_avx512(torch)))


@pytest.fixture
def special_without_scipy(monkeypatch):
    """ember.kernels.special imported afresh with every scipy module made unimportable."""
    for mod in [m for m in sys.modules if m == "scipy" or m.startswith("scipy.")]:
        monkeypatch.delitem(sys.modules, mod)
    monkeypatch.setitem(sys.modules, "scipy", None)
    monkeypatch.setitem(sys.modules, "scipy.special", None)
    mod = importlib.reload(S)
    yield mod
    monkeypatch.undo()
    importlib.reload(S)


def test_without_scipy(special_without_scipy, recorded):
    with pytest.raises(ImportError):
        import scipy.special  # noqa: F401
    for name in sorted(CASES):
        for dtype in DTYPES:
            got, want, args = run_recorded(recorded, special_without_scipy, name, dtype)
            check_close(got, want, *tolerance(name, dtype, args))
    assert "scipy" not in {m.split(".")[0] for m, v in sys.modules.items() if v is not None}


# -- edge cases named in the issues, dtypes and shapes ------------------------------------------------------

def test_issue_edge_values():
    assert S.lgamma(np.array(-1e308)) == np.inf
    assert S.lgamma(np.array([-1.0, 0.5]))[0] == np.inf
    assert np.isfinite(S.i0e(np.array(1e308))) and S.i0e(np.array(1e308)) > 0
    assert S.erfcx(np.array(1e308)) == pytest.approx(0.5641895835477563 / 1e308, rel=1e-15)
    assert np.isnan(S.entr(np.array(np.nan)))
    assert S.entr(np.array([0.0, -1.0])).tolist() == [0.0, -np.inf]
    assert S.digamma(np.array([0.0, -0.0])).tolist() == [-np.inf, np.inf]
    assert np.isnan(S.digamma(np.array(-2.0)))
    assert S.zeta(np.array(1.0), np.array(2.0)) == np.inf


def test_dtypes_and_shapes():
    x = np.arange(6, dtype=np.float32).reshape(2, 3) / 4
    assert S.erf(x).shape == (2, 3) and S.erf(x).dtype == np.float32
    assert S.erf(np.float64(0.5)).shape == () and S.erf(np.float64(0.5)).dtype == np.float64
    assert S.erf(np.array([1, 2], dtype=np.uint8)).dtype == np.float32  # integers: PyTorch's default dtype
    assert S.erf(np.array([1.0, 2.0], dtype=np.float16)).dtype == np.float16
    assert S.zeta(np.array([2.0, 3.0]), np.float32(1)).dtype == np.float64  # float64 wins
    assert S.gammainc(np.ones((2, 1)), np.ones(3)).shape == (2, 3)  # broadcasting
    xl = x.T.copy()
    assert np.array_equal(S.i0(x.T), S.i0(xl))  # non-contiguous input
    assert S.polygamma(2, x).shape == (2, 3) and S.multigammaln(x + 2, 3).shape == (2, 3)
    with pytest.raises(ValueError):
        S.polygamma(-1, x)


def test_blocked_evaluation_is_elementwise(monkeypatch):
    x = np.clip(inputs("lgamma", 3000)[0], -1e30, 1e30)
    a, z = inputs("gammainc", 3000)
    whole = S.lgamma(x), S.gammainc(a, z), S.erf(x.astype(np.float32)), S.gelu(x.astype(np.float32))
    monkeypatch.setattr(S, "_BLOCK", 97)
    blocked = S.lgamma(x), S.gammainc(a, z), S.erf(x.astype(np.float32)), S.gelu(x.astype(np.float32))
    for u, v in zip(whole, blocked):
        assert np.array_equal(u, v, equal_nan=True)


def test_glibc_float_functions_match_libm():
    """The float32 emulations of glibc's fdlibm-derived erff/erfcf/log1pf/expm1f/lgammaf (and lgamma),
    checked against the C library of this machine when it is glibc < 2.41 (later glibc rounds correctly)."""
    import ctypes
    import ctypes.util
    import platform

    libc = platform.libc_ver()
    if libc[0] != "glibc" or tuple(int(v) for v in libc[1].split(".")[:2]) >= (2, 41):
        pytest.skip("needs glibc 2.36-2.40")
    libm = ctypes.CDLL(ctypes.util.find_library("m"))
    rng = np.random.default_rng(5)
    x = np.concatenate([rng.standard_normal(400) * 3, np.exp(rng.uniform(-20, 4, 400)), [0.0, 1.0, 2.0, 6.0, 28.0]])
    np.seterr(all="ignore")
    for name, fn, xs in (("erff", S._glibc_erff, x), ("erfcf", S._glibc_erfcf, x), ("log1pf", S._glibc_log1pf, x),
                         ("expm1f", S._glibc_expm1f, x), ("lgammaf", S._libm_lgamma, np.abs(x) + 1e-3)):
        c = getattr(libm, name)
        c.restype, c.argtypes = ctypes.c_float, [ctypes.c_float]
        xs = xs.astype(np.float32)
        want = np.array([c(float(v)) for v in xs], dtype=np.float32)
        check_close(fn(xs), want, 2, 0.99)
    np.seterr(all="warn")
    c = libm.lgamma
    c.restype, c.argtypes = ctypes.c_double, [ctypes.c_double]
    xs = np.abs(x) + 1e-3
    check_close(S._libm_lgamma(xs), np.array([c(float(v)) for v in xs]), 0, 1.0)


# -- derivatives -------------------------------------------------------------------------------------------

GRADS = {  # name: (derivative kernel of the inputs, torch function, inputs, index of the differentiated input)
    "erf": (lambda x: S.erf_grad(x), "special.erf", "wide", 0),
    "erfc": (lambda x: S.erfc_grad(x), "special.erfc", "wide", 0),
    "erfinv": (lambda x: S.erfinv_grad(S.erfinv(x)), "special.erfinv", "unit", 0),
    "erfcx": (lambda x: S.erfcx_grad(x, S.erfcx(x)), "special.erfcx", "wide", 0),
    "ndtr": (lambda x: S.ndtr_grad(x), "special.ndtr", "wide", 0),
    "log_ndtr": (lambda x: S.log_ndtr_grad(x, S.log_ndtr(x)), "special.log_ndtr", "wide", 0),
    "ndtri": (lambda p: S.ndtri_grad(S.ndtri(p)), "special.ndtri", "prob", 0),
    "lgamma": (lambda x: S.lgamma_grad(x), "special.gammaln", "positive", 0),
    "digamma": (lambda x: S.digamma_grad(x), "special.digamma", "positive", 0),
    "polygamma2": (lambda x: S.polygamma_grad(2, x), lambda t: t.special.polygamma(2, ...), "positive", 0),
    "multigammaln3": (lambda x: S.multigammaln_grad(x + 1.01, 3), None, "positive", 0),
    "gammainc": (lambda a, x: S.gammainc_grad_x(a, x), "special.gammainc", "gamma", 1),
    "gammaincc": (lambda a, x: S.gammaincc_grad_x(a, x), "special.gammaincc", "gamma", 1),
    "zeta": (lambda s, q: S.zeta_grad_q(s, q), "special.zeta", "zeta", 1),
    "i0": (lambda x: S.i0_grad(x), "special.i0", "wide", 0),
    "i0e": (lambda x: S.i0e_grad(x, S.i0e(x)), "special.i0e", "wide", 0),
    "i1": (lambda x: S.i1_grad(x, S.i1(x)), "special.i1", "wide", 0),
    "i1e": (lambda x: S.i1e_grad(x, S.i1e(x)), "special.i1e", "wide", 0),
    "entr": (lambda x: S.entr_grad(x), "special.entr", "positive", 0),
    "sinc": (lambda x: S.sinc_grad(x), "special.sinc", "wide", 0),
    "logit": (lambda p: S.logit_grad(p), "special.logit", "prob", 0),
    "expit": (lambda x: S.expit_grad(S.expit(x)), "special.expit", "wide", 0),
    "softplus": (lambda x: S.softplus_grad(x), "nn.functional.softplus", "wide", 0),
    "gelu": (lambda x: S.gelu_grad(x), "nn.functional.gelu", "wide", 0),
}


def _domain(kind, n, seed):
    from special_cases import gamma_args, positive, prob, unit, wide, zeta_args
    rng = np.random.default_rng(seed)
    fn = {"wide": wide, "positive": positive, "unit": unit, "prob": prob, "gamma": gamma_args, "zeta": zeta_args}[kind]
    made = fn(rng, n)
    return made if isinstance(made, tuple) else (made,)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", sorted(k for k, v in GRADS.items() if v[1] is not None))
def test_gradients_against_torch(name, dtype):
    torch = pytest.importorskip("torch")
    mine, path, kind, idx = GRADS[name]
    with np.errstate(all="ignore"):
        args = [a.astype(dtype) for a in _domain(kind, 600, 3)]
    if name == "polygamma2":
        fn = lambda t: torch.special.polygamma(2, t)  # noqa: E731
    else:
        fn = torch
        for part in path.split("."):
            fn = getattr(fn, part)
    ts = [torch.from_numpy(a).requires_grad_(i == idx) for i, a in enumerate(args)]
    out = fn(*ts)
    finite = torch.isfinite(out)
    out.backward(torch.where(finite, torch.ones_like(out), torch.zeros_like(out)))
    want = ts[idx].grad.numpy()
    got = mine(*args)
    keep = finite.numpy() & np.isfinite(want)  # where the forward is not finite PyTorch's grad is 0 here
    tol = {"float32": 1.2e-7, "float64": 4e-16}[dtype]
    # each gradient is a short formula of tensor ops, a few roundings of its terms: the error is judged
    # against the terms' size, |g| (1 + |log |g||) for the exp(...) forms, at least 1
    with np.errstate(all="ignore"):
        w = np.abs(want.astype(np.float64))
        scale = np.maximum(w * (1 + np.abs(np.log(np.where(w > 0, w, 1.0)))), 1.0)
    err = np.abs(got[keep].astype(np.float64) - want[keep]) / scale[keep]
    share = 0.5 if name.startswith("gammainc") else 0.9  # exp of a long sum of rounded tensor ops
    assert np.mean(ulp_diff(got[keep], want[keep]) <= 2) >= share, name
    bad = err > 64 * tol
    assert not bad.any(), (name, args[idx][keep][bad][:4], got[keep][bad][:4], want[keep][bad][:4])


@pytest.mark.parametrize("name", ["erf", "erfinv", "erfcx", "log_ndtr", "ndtri", "lgamma", "digamma", "polygamma2",
                                  "multigammaln3", "gammainc", "zeta", "i0", "i0e", "i1", "i1e", "entr", "sinc",
                                  "logit", "expit", "softplus", "gelu"])
def test_gradients_against_finite_differences(name):
    """Central differences of the float64 forward kernels (no PyTorch involved)."""
    mine, _, kind, idx = GRADS[name]
    forward = {"erf": S.erf, "erfinv": S.erfinv, "erfcx": S.erfcx, "log_ndtr": S.log_ndtr, "ndtri": S.ndtri,
               "lgamma": S.lgamma, "digamma": S.digamma, "polygamma2": lambda x: S.polygamma(2, x),
               "multigammaln3": lambda x: S.multigammaln(x + 1.01, 3), "gammainc": S.gammainc, "zeta": S.zeta,
               "i0": S.i0, "i0e": S.i0e, "i1": S.i1, "i1e": S.i1e, "entr": S.entr, "sinc": S.sinc, "logit": S.logit,
               "expit": S.expit, "softplus": S.softplus, "gelu": S.gelu}[name]
    rng = np.random.default_rng(11)
    if kind == "gamma":
        args = [np.exp(rng.uniform(-1, 3, 200)), np.exp(rng.uniform(-1, 3, 200))]
    elif kind == "zeta":
        args = [1.5 + np.exp(rng.uniform(-1, 2, 200)), np.exp(rng.uniform(-1, 2, 200))]
    elif kind in ("unit", "prob"):
        args = [rng.uniform(0.05, 0.95, 200)]
    elif kind == "positive":
        args = [np.exp(rng.uniform(-1.5, 2.5, 200))]
    else:
        args = [rng.uniform(-4, 4, 200)]
        args[0] = args[0][np.abs(args[0]) > 1e-3]
    x = args[idx]
    h = 1e-5 * np.maximum(np.abs(x), 1.0)
    up, dn = list(args), list(args)
    up[idx], dn[idx] = x + h, x - h
    fd = (forward(*up) - forward(*dn)) / (2 * h)
    np.testing.assert_allclose(mine(*args), fd, rtol=2e-7, atol=1e-9)


def test_cross_cpu_spreads_still_reject_wrong_values():
    """The AVX-512 spreads (input-scaled for the incomplete gamma functions) are bounds, not waivers."""
    from special_cases import _gamma_spread, exponent_terms
    a, x = inputs("gammainc", 600)
    ref = S.gammainc(a, x)
    bound = _gamma_spread(2.5)(a, x)
    assert np.all(bound >= 8) and np.max(bound) < 1e5 and exponent_terms(np.array([2.0]), np.array([1.0]))[0] == 1.0
    check_close(ref, ref, bound, 0.85, 1e-20)
    with pytest.raises(AssertionError):
        check_close(np.where(ref > 1e-3, ref * (1 + 1e-9), ref), ref, bound, 0.0, 1e-20)  # 1e-9 relative off
    for name, per_dtype in NUMPY_SIMD_SPREAD.items():
        for max_ulp, min_equal, atol in per_dtype.values():
            assert min_equal >= 0.9 and atol <= 1e-15 and (callable(max_ulp) or max_ulp <= 8), name
