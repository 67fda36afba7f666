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

# GELU's float32 kernel depends on the CPU: oneDNN's AVX2 form is reproduced bit for bit, its AVX-512
# minimax form is not (the kernel uses the exact erf there, within a few ulp)
AVX512_LOOSE = {"gelu": {F: (4, 0.5, 2e-7)}}


def inputs(name, n, seed=0):
    """The case's input arrays (a tuple), float64."""
    rng = np.random.default_rng(seed + sum(map(ord, name)))
    made = CASES[name][2](rng, n)
    return made if isinstance(made, tuple) else (made,)
