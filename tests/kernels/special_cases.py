"""The functions of ember.kernels.special checked against PyTorch, their inputs and their tolerances.

Shared by tests/kernels/test_special.py (live PyTorch and recorded fixtures) and
tests/kernels/make_special_fixtures.py (which records PyTorch's outputs).  Each case: the kernel, the same
function in PyTorch (a callable of torch tensors), a seeded input generator that covers the function's
domain on a wide range with its special values (NaN, ±inf, ±0, poles, huge and tiny magnitudes), and per
dtype (max ulp, minimum fraction of elements bit-equal to PyTorch, absolute tolerance for results that
come out of a cancellation, where PyTorch's own value has no relative accuracy).
"""

from __future__ import annotations

import numpy as np

SPECIAL = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 1e-310, -1e-310, 1e-30, -1e-30, 1e-8, -1e-8,
                    0.5, -0.5, 1.0, -1.0, 2.0, -2.0, 3.0, -3.0, 10.0, -10.0, 1e30, -1e30, 1e308, -1e308])


def wide(rng, n):
    return np.concatenate([SPECIAL, rng.standard_normal(n // 3) * 3, rng.uniform(-30, 30, n // 3),
                           np.sign(rng.standard_normal(n - 2 * (n // 3))) * np.exp(rng.uniform(-30, 7, n - 2 * (n // 3)))])


def positive(rng, n):
    return np.concatenate([[0.0, -1.0, np.inf, np.nan, 1e-310, 1e-30, 1e308, 0.5, 1.0, 2.0, 5.0, 8.0],
                           np.exp(rng.uniform(-12, 6, n // 2)), rng.uniform(0, 10, n - n // 2)])


def unit(rng, n):  # erfinv
    k = n // 4
    return np.concatenate([[0.0, -0.0, 1.0, -1.0, 1.5, -1.5, np.nan, np.inf, 1e-300, 0.7, -0.7],
                           rng.uniform(-1, 1, 2 * k), 1 - np.exp(rng.uniform(-36, -1, k)),
                           -1 + np.exp(rng.uniform(-36, -1, n - 3 * k))])


def prob(rng, n):  # ndtri, logit
    k = n // 3
    return np.concatenate([[0.0, 1.0, -0.1, 1.1, np.nan, 0.5, 1e-300, 0.135, 0.865],
                           rng.uniform(0, 1, k), np.exp(rng.uniform(-700, -1, k)), 1 - np.exp(rng.uniform(-36, -1, n - 2 * k))])


def gamma_args(rng, n):  # (a, x) of the incomplete gamma functions, with the regime a ~ x
    k = n // 3
    a = np.concatenate([[0.0, 0.0, 1.0, 2.0, np.inf, np.inf, 1.0, -1.0, 1.0, np.nan, 3.0, 25.0, 300.0],
                        np.exp(rng.uniform(-3, 4, k)), np.exp(rng.uniform(2.5, 7, k)), np.exp(rng.uniform(-3, 4, n - 2 * k))])
    x = np.concatenate([[0.0, 1.0, 0.0, np.inf, 1.0, np.inf, -1.0, 1.0, np.nan, 1.0, 3.0, 24.0, 310.0],
                        np.exp(rng.uniform(-3, 4, k)), a[13 + k:13 + 2 * k] * rng.uniform(0.7, 1.3, k),
                        np.exp(rng.uniform(-3, 4, n - 2 * k))])
    return a, x


def zeta_args(rng, n):
    k = n // 2
    x = np.concatenate([[1.0, 0.5, 2.0, 2.0, 2.0, 2.0, 2.0, 3.0, np.nan, 2.5], 1 + np.exp(rng.uniform(-3, 3, k)),
                        rng.integers(2, 8, n - k).astype(float)])
    q = np.concatenate([[1.0, 1.0, 0.0, -1.0, -2.5, np.inf, np.nan, -2.5, 1.0, -2.5], np.exp(rng.uniform(-3, 4, k)),
                        rng.uniform(-5, 5, n - k)])
    return x, q


def xy_args(rng, n):
    x = np.concatenate([[0.0, 0.0, 0.0, 1.0, -1.0, 2.0, np.nan, 1.0], rng.standard_normal(n) * 5])
    y = np.concatenate([[0.0, -1.0, np.nan, 0.0, -0.5, np.inf, 1.0, -2.0], np.exp(rng.uniform(-10, 5, n)) - 0.5])
    return x, y


def _t(name):
    def get(torch):
        obj = torch
        for part in name.split("."):
            obj = getattr(obj, part)
        return obj
    return get


# name: (kernel attribute or callable of the module, torch callable maker, inputs, {dtype: (max_ulp, min_equal, atol)})
# tolerances are the figures measured on PyTorch 2.13 (x86-64 AVX2, glibc 2.36) with a margin
F = "float32"
D = "float64"
CASES = {
    "erf": ("erf", _t("special.erf"), wide, {F: (1, 0.95, 0), D: (1, 0.93, 0)}),
    "erfc": ("erfc", _t("special.erfc"), wide, {F: (1, 0.93, 0), D: (2, 0.8, 0)}),
    "erfcx": ("erfcx", _t("special.erfcx"), wide, {F: (1, 0.99, 0), D: (1, 0.99, 0)}),
    "erfinv": ("erfinv", _t("special.erfinv"), unit, {F: (1, 0.99, 0), D: (1, 0.88, 0)}),
    "ndtr": ("ndtr", _t("special.ndtr"), wide, {F: (1, 0.98, 6e-8), D: (1, 0.98, 2e-16)}),
    "log_ndtr": ("log_ndtr", _t("special.log_ndtr"), wide, {F: (2, 0.99, 0), D: (4, 0.93, 0)}),
    "ndtri": ("ndtri", _t("special.ndtri"), prob, {F: (0, 0.999, 0), D: (0, 0.999, 0)}),
    "lgamma": ("lgamma", _t("special.gammaln"), wide, {F: (2, 0.95, 1e-6), D: (3, 0.6, 1e-14)}),
    "digamma": ("digamma", _t("special.digamma"), wide, {F: (2, 0.995, 1e-6), D: (0, 0.999, 0)}),
    "trigamma": ("trigamma", lambda torch: lambda t: torch.special.polygamma(1, t), wide,
                 {F: (8, 0.99, 0), D: (2, 0.999, 0)}),
    "polygamma3": (lambda S: lambda x: S.polygamma(3, x), lambda torch: lambda t: torch.special.polygamma(3, t),
                   wide, {F: (2, 0.995, 0), D: (0, 0.999, 0)}),
    "multigammaln4": (lambda S: lambda x: S.multigammaln(x, 4), lambda torch: lambda t: torch.special.multigammaln(t, 4),
                      lambda rng, n: 1.501 + np.exp(rng.uniform(-6, 6, n)), {F: (2, 0.75, 0), D: (4, 0.6, 0)}),
    "zeta": ("zeta", _t("special.zeta"), zeta_args, {F: (1, 0.99, 0), D: (0, 0.999, 0)}),
    "gammainc": ("gammainc", _t("special.gammainc"), gamma_args, {F: (8, 0.99, 1e-30), D: (8, 0.95, 1e-20)}),
    "gammaincc": ("gammaincc", _t("special.gammaincc"), gamma_args, {F: (8, 0.99, 1e-30), D: (8, 0.95, 1e-300)}),
    "i0": ("i0", _t("special.i0"), wide, {F: (2, 0.99, 0), D: (0, 0.999, 0)}),
    "i0e": ("i0e", _t("special.i0e"), wide, {F: (0, 0.999, 0), D: (0, 0.999, 0)}),
    "i1": ("i1", _t("special.i1"), wide, {F: (3, 0.99, 0), D: (0, 0.999, 0)}),
    "i1e": ("i1e", _t("special.i1e"), wide, {F: (1, 0.99, 0), D: (0, 0.999, 0)}),
    "modified_bessel_i0": ("modified_bessel_i0", _t("special.modified_bessel_i0"), wide, {F: (2, 0.99, 0), D: (0, 0.999, 0)}),
    "modified_bessel_i1": ("modified_bessel_i1", _t("special.modified_bessel_i1"), wide, {F: (2, 0.99, 0), D: (0, 0.999, 0)}),
    "modified_bessel_k0": ("modified_bessel_k0", _t("special.modified_bessel_k0"), positive, {F: (8, 0.99, 0), D: (0, 0.999, 0)}),
    "modified_bessel_k1": ("modified_bessel_k1", _t("special.modified_bessel_k1"), positive, {F: (2, 0.99, 0), D: (0, 0.999, 0)}),
    "scaled_modified_bessel_k0": ("scaled_modified_bessel_k0", _t("special.scaled_modified_bessel_k0"), positive,
                                  {F: (8, 0.99, 0), D: (0, 0.999, 0)}),
    "scaled_modified_bessel_k1": ("scaled_modified_bessel_k1", _t("special.scaled_modified_bessel_k1"), positive,
                                  {F: (2, 0.99, 0), D: (0, 0.999, 0)}),
    "bessel_j0": ("bessel_j0", _t("special.bessel_j0"), wide, {F: (3, 0.99, 1e-7), D: (0, 0.999, 0)}),
    "bessel_j1": ("bessel_j1", _t("special.bessel_j1"), wide, {F: (3, 0.99, 1e-7), D: (0, 0.999, 0)}),
    "bessel_y0": ("bessel_y0", _t("special.bessel_y0"), positive, {F: (3, 0.99, 1e-7), D: (0, 0.999, 0)}),
    "bessel_y1": ("bessel_y1", _t("special.bessel_y1"), positive, {F: (3, 0.99, 1e-7), D: (0, 0.999, 0)}),
    "spherical_bessel_j0": ("spherical_bessel_j0", _t("special.spherical_bessel_j0"), wide, {F: (2, 0.98, 0), D: (1, 0.99, 0)}),
    "xlogy": ("xlogy", _t("special.xlogy"), xy_args, {F: (2, 0.99, 0), D: (0, 0.999, 0)}),
    "xlog1py": ("xlog1py", _t("special.xlog1py"), xy_args, {F: (0, 0.999, 0), D: (0, 0.999, 0)}),
    "entr": ("entr", _t("special.entr"), positive, {F: (2, 0.99, 0), D: (0, 0.999, 0)}),
    "sinc": ("sinc", _t("special.sinc"), wide, {F: (2, 0.98, 0), D: (0, 0.999, 0)}),
    "logit": ("logit", _t("special.logit"), prob, {F: (1, 0.88, 0), D: (1, 0.99, 0)}),
    "expit": ("expit", _t("special.expit"), wide, {F: (0, 0.999, 0), D: (3, 0.95, 0)}),
    "softplus": ("softplus", _t("nn.functional.softplus"), wide, {F: (1, 0.98, 0), D: (2, 0.9, 0)}),
    "log_sigmoid": ("log_sigmoid", _t("nn.functional.logsigmoid"), wide, {F: (2, 0.98, 0), D: (2, 0.9, 0)}),
    "gelu": ("gelu", _t("nn.functional.gelu"), wide, {F: (0, 1.0, 0), D: (2, 0.95, 4e-16)}),
    "gelu_tanh": (lambda S: lambda x: S.gelu(x, approximate="tanh"),
                  lambda torch: lambda t: torch.nn.functional.gelu(t, approximate="tanh"), wide,
                  {F: (2, 0.98, 2e-7), D: (2, 0.9, 1e-15)}),
    "log1p": ("log1p", _t("log1p"), lambda rng, n: np.exp(rng.uniform(-10, 5, n)) - 0.9, {F: (1, 0.98, 0), D: (1, 0.9, 0)}),
    "expm1": ("expm1", _t("expm1"), wide, {F: (1, 0.98, 0), D: (1, 0.9, 0)}),
}

# PyTorch's float32 GELU depends on the CPU: oneDNN's AVX2 kernel (Abramowitz-Stegun erf) and its AVX-512
# kernel (piecewise minimax polynomial) differ by up to 3.3e4 ulp in the negative tail (both are accurate
# to ~1.5e-7 absolutely only).  ember reproduces either bit for bit, so the fixture holds both outputs.
CPU_DEPENDENT = {("gelu", F)}


def onednn_isa() -> str:
    """'avx512' or 'avx2': the GELU kernel oneDNN (and so ember.kernels.special) runs on this CPU."""
    from ember.kernels import special
    return "avx512" if special._GELU_AVX512 else "avx2"


def inputs(name, n, seed=0):
    """The case's input arrays (a tuple), float64."""
    rng = np.random.default_rng(seed + sum(map(ord, name)))
    made = CASES[name][2](rng, n)
    return made if isinstance(made, tuple) else (made,)


def _numpy_own_libm() -> bool:
    """Whether NumPy's float64 exp/log/log1p/expm1 are its own SIMD code here rather than the C library's
    (NumPy dispatches AVX-512 versions of them on CPUs with AVX512F/SKX, e.g. AMD EPYC Zen 4 and many
    Xeons; on AVX2-only CPUs it calls glibc, as PyTorch's kernels do).  Measured, not guessed from flags."""
    import math
    x = np.linspace(-20.0, 20.0, 4001)
    p = np.exp(x)
    with np.errstate(all="ignore"):
        return bool(np.any(np.exp(x) != [math.exp(v) for v in x]) or np.any(np.log(p) != [math.log(v) for v in p])
                    or np.any(np.log1p(p) != [math.log1p(v) for v in p]) or np.any(np.expm1(x) != [math.expm1(v) for v in x]))


NUMPY_OWN_LIBM = _numpy_own_libm()


def exponent_terms(a, x):
    """|a log x| + |x| + |log Γ(a)|: the terms of the exponent a log x - x - log Γ(a) of the incomplete gamma
    functions.  A 1-ulp change of log x or of log Γ(a) moves e^(...) by up to this many ulps."""
    import math
    a = np.asarray(a, dtype=np.float64)
    x = np.asarray(x, dtype=np.float64)
    with np.errstate(all="ignore"):
        lg = np.array([math.lgamma(v) if np.isfinite(v) and v > 0 else 0.0 for v in a.ravel()]).reshape(a.shape)
        t = np.abs(a * np.log(x)) + np.abs(x) + np.abs(lg)
    return np.where(np.isfinite(t), t, 0.0)


# Where NumPy's float64 exp/log/log1p/expm1 are its own AVX-512 code (NUMPY_OWN_LIBM), kernels built on them
# differ from PyTorch (glibc's functions) by a few ulps.  The figures: the largest spread measured on AMD
# EPYC (Zen 4, AVX-512), ember vs PyTorch 2.13 over the recorded inputs and 8 seeds of 1500 live ones (max
# ulp, least bit-equal share), with a small margin; an absolute tolerance only where the difference is one
# ulp of O(1) terms that cancel (digamma and Y0 near their zeros).  Comments: measured max ulp, least
# bit-equal share.  On AVX2 CPUs the CASES figures hold.
def _gamma_spread(k):
    return lambda a, x: 8 + k * exponent_terms(a, x)


NUMPY_SIMD_SPREAD = {
    "digamma": {D: (4, 0.99, 4.5e-16)},     # measured 64 ulp = 2.2e-16 absolute at digamma(-3.637) = -0.0237
    "erfcx": {D: (2, 0.975, 0)},            # 2 ulp, 0.980 equal
    "i0": {D: (3, 0.955, 0)},               # 2, 0.964
    "i1": {D: (3, 0.955, 0)},               # 3, 0.965
    "modified_bessel_i0": {D: (2, 0.96, 0)},  # 2, 0.968
    "modified_bessel_i1": {D: (2, 0.96, 0)},  # 2, 0.968
    "modified_bessel_k0": {D: (5, 0.95, 0)},  # 5, 0.956
    "modified_bessel_k1": {D: (3, 0.965, 0)},  # 3, 0.971
    "scaled_modified_bessel_k0": {D: (7, 0.975, 0)},  # 7, 0.980
    "scaled_modified_bessel_k1": {D: (2, 0.98, 0)},  # 2, 0.985
    "polygamma3": {D: (3, 0.96, 0)},        # 3, 0.967
    "xlog1py": {D: (2, 0.955, 0)},          # 2, 0.960
    "xlogy": {D: (1, 0.998, 0)},            # 1, 0.9993
    "zeta": {D: (4, 0.94, 0)},              # 4, 0.945 (recorded inputs), 0.954 (live)
    "log_ndtr": {D: (4, 0.915, 0)},         # 3, 0.923 (recorded inputs; 0.97 on AVX2)
    "entr": {D: (1, 0.998, 0)},             # 1, 0.9987
    "bessel_y0": {D: (0, 0.998, 1e-16)},    # 25 ulp = 4.3e-17 absolute at Y0(3.984) = -0.0105, 0.9987 equal
    # e^(a log x - x - log Γ(a)): the exponent's terms amplify NumPy's 1-ulp log differences; measured
    # (ulp - 8) / exponent_terms <= 0.073 (gammainc), 0.041 (gammaincc), 0.94 / 0.936 equal
    "gammainc": {D: (_gamma_spread(0.15), 0.93, 1e-20)},
    "gammaincc": {D: (_gamma_spread(0.1), 0.93, 1e-300)},
}

# PyTorch's own incomplete gamma P(a, x) differs between its AVX2 and AVX-512 builds (ATen's vectorized
# loop; its 1-element scalar path and the AVX2 build agree with each other and with the fixture): against
# the AVX-512 build ember's values spread by (ulp - 8) / exponent_terms <= 1.61 (float32), 1.89 (float64),
# 0.915 / 0.866 equal, measured as above.  Used by the live comparison when PyTorch runs AVX-512 kernels.
TORCH_AVX512_SPREAD = {"gammainc": {F: (_gamma_spread(2.0), 0.9, 1e-30), D: (_gamma_spread(2.5), 0.85, 1e-20)}}
