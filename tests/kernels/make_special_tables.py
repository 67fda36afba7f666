"""Write src/ember/kernels/_special_tables.py: the two coefficient tables ember's special-function kernels use
that are not short enough to type, computed here from their mathematical definitions with mpmath.

- ``TEMME_D[k][n]``: Taylor coefficients in η of Temme's c_k(η) in the uniform asymptotic expansion of the
  incomplete gamma functions (DLMF 8.12.3-8.12.9): Q(a, x) = erfc(η √(a/2))/2 + R_a(η),
  R_a(η) ~ e^(-aη²/2)/√(2πa) Σ_k c_k(η) a^-k, with λ = x/a, η²/2 = λ - 1 - ln λ,
  c_0 = 1/(λ-1) - 1/η and c_k = (1/η) dc_(k-1)/dη + (-1)^k γ_k/(λ-1), γ_k the Stirling coefficients of
  Γ*(a) = Γ(a)/(√(2π) a^(a-1/2) e^-a).  k, n < 25, as SciPy's and PyTorch's igam use them.
- ``ERFCX_CHEB[j]``: the scaled complementary error function erfcx(x) = e^(x²) erfc(x) on x = 4/y - 4 with
  y in [j/100, (j+1)/100], as its Chebyshev series in t = 200 y - 2j - 1 truncated after degree 6 and written
  in powers of t (S. G. Johnson's piecewise method in the Faddeeva package, which PyTorch evaluates).

- ``LGAMMA_AT1``, ``LGAMMA_AT2``, ``LGAMMA_ATMIN``: Taylor coefficients of log Γ about 1, 2 and the minimum
  x0 = 1.4616..., highest order first, ending with the linear and constant terms:
  log Γ(a + e) = Σ_k ψ^(k-1)(a) e^k / k!  (ψ^(k-1)(a) = (-1)^k (k-1)! ζ(k, a) for k >= 2).

- ``ERF32_P``, ``ERF32_Q``, ``ERF32_X``: a (7, 7) rational approximation erf(x) ≈ x P(s)/Q(s), s = x²/X²,
  on [0, X = 3.92] (float32's erf is 1 beyond), fitted here by iteratively reweighted least squares on
  Chebyshev nodes (Lawson's algorithm, approaching the minimax fit); max relative error ~6e-12, so
  float32 results are correctly rounded but in ~0.02% of cases.

Run:  python tests/kernels/make_special_tables.py   (needs mpmath; takes about half a minute)
"""

from __future__ import annotations

import pathlib

import mpmath as mp

OUT = pathlib.Path(__file__).resolve().parents[2] / "src" / "ember" / "kernels" / "_special_tables.py"


def temme_table(K: int = 25, N: int = 25) -> list[list[float]]:
    M = N + 2 * K + 4  # c_0 is needed to this order: each step of the recursion costs two orders
    zero = mp.mpf(0)

    def mul(a, b):
        r = [zero] * M
        for i, x in enumerate(a):
            if x:
                for j in range(M - i):
                    r[i + j] += x * b[j]
        return r

    def inv(a):  # 1/a as a power series, a[0] != 0
        r = [zero] * M
        r[0] = 1 / a[0]
        for n in range(1, M):
            r[n] = -mp.fsum(a[k] * r[n - k] for k in range(1, n + 1)) / a[0]
        return r

    def log1p(m):  # log(1 + m) for a series m without constant term
        r = [zero] * M
        p = [mp.mpf(1)] + [zero] * (M - 1)
        for k in range(1, M):
            p = mul(p, m)
            for i in range(M):
                r[i] += (-1) ** (k + 1) * p[i] / k
        return r

    # μ = λ - 1 as a series in η solving μ - log(1 + μ) = η²/2, by Newton's method on the series
    # (f'(μ) = μ/(1 + μ)); each step doubles the number of correct coefficients
    mu = [zero] * M
    mu[1] = mp.mpf(1)
    for _ in range(10):
        resid = [a - b for a, b in zip(mu, log1p(mu))]
        resid[2] -= mp.mpf(1) / 2
        if max(abs(r) for r in resid) < mp.mpf(10) ** (-mp.mp.dps + 10):
            break
        step = mul(mul(resid, [1 + mu[0]] + mu[1:])[1:] + [zero], inv(mu[1:] + [zero]))
        mu = [a - b for a, b in zip(mu, step)]
    q = inv(mu[1:] + [zero])            # η/μ
    c = [q[i + 1] if i + 1 < M else zero for i in range(M)]  # c_0 = (η/μ - 1)/η
    # Stirling coefficients γ_k from log Γ*(a) = Σ_j B_2j / (2j(2j-1) a^(2j-1))
    J = K + 2
    logs = [zero] * (J + 1)
    for j in range(1, J // 2 + 2):
        if 2 * j - 1 <= J:
            logs[2 * j - 1] = mp.bernoulli(2 * j) / (2 * j * (2 * j - 1))
    g = [mp.mpf(1)] + [zero] * J
    for n in range(1, J + 1):
        g[n] = mp.fsum(k * logs[k] * g[n - k] for k in range(1, n + 1)) / n
    rows = [c]
    for k in range(1, K):
        prev = rows[-1]
        nxt = [zero] * M
        for i in range(2, M):
            nxt[i - 2] = i * prev[i]
        for i in range(M - 1):
            nxt[i] += (-1) ** k * g[k] * q[i + 1]
        rows.append(nxt)
    return [[float(rows[k][n]) for n in range(N)] for k in range(K)]


def erfcx_table(deg: int = 6, nodes: int = 64) -> list[list[float]]:
    def erfcx(x):
        return mp.exp(x * x) * mp.erfc(x)

    T = [[mp.mpf(1)], [mp.mpf(0), mp.mpf(1)]]  # Chebyshev polynomials in powers of t
    for n in range(2, deg + 1):
        cur = [mp.mpf(0)] * (n + 1)
        for i, c in enumerate(T[n - 1]):
            cur[i + 1] += 2 * c
        for i, c in enumerate(T[n - 2]):
            cur[i] -= c
        T.append(cur)
    thetas = [mp.pi * (j + mp.mpf(1) / 2) / nodes for j in range(nodes)]
    table = []
    for j in range(100):
        vals = []
        for th in thetas:
            y = (j + (mp.cos(th) + 1) / 2) / 100
            vals.append(erfcx(4 / y - 4) if y > 0 else mp.mpf(0))
        a = [2 * mp.fsum(v * mp.cos(m * th) for v, th in zip(vals, thetas)) / nodes for m in range(deg + 1)]
        a[0] /= 2
        p = [mp.mpf(0)] * (deg + 1)
        for m in range(deg + 1):
            for i, c in enumerate(T[m]):
                p[i] += a[m] * c
        table.append([float(v) for v in p])
    return table


def lgamma_taylor(a, kmax: int) -> list[float]:
    """[c_kmax, ..., c_2, c_1, c_0] of log Γ(a + e) = Σ c_k e^k."""
    cs = [mp.loggamma(a), mp.digamma(a)]
    cs += [(-1) ** k * mp.zeta(k, a) / k for k in range(2, kmax + 1)]
    return [float(c) for c in reversed(cs)]


def erf32_fit(m: int = 7, X: float = 3.92, npts: int = 4000, iters: int = 40):
    import numpy as np

    Z = X * X
    t = np.cos(np.pi * (np.arange(npts) + 0.5) / npts)
    z = (t + 1) / 2 * Z
    g = np.array([float(mp.erf(mp.sqrt(v)) / mp.sqrt(v)) if v > 0 else float(2 / mp.sqrt(mp.pi)) for v in z])
    s = z / Z
    V = np.vander(s, m + 1, increasing=True)
    w = np.ones_like(z)
    Q = np.ones_like(z)
    for _ in range(iters):
        A = np.hstack([V, -g[:, None] * V[:, 1:]])
        W = w / (g * np.abs(Q))
        c, *_ = np.linalg.lstsq(A * W[:, None], g * W, rcond=None)
        p, q = c[:m + 1], np.concatenate([[1.0], c[m + 1:]])
        Q = V @ q
        err = (V @ p) / Q / g - 1
        w = w * np.abs(err) ** 0.5
        w /= w.max()
    xs = [X * (k + 0.5) / 3000 for k in range(3000)]
    worst = max(abs(float(mp.mpf(x) * mp.polyval(list(p[::-1]), x * x / Z) / mp.polyval(list(q[::-1]), x * x / Z)
                          / mp.erf(x)) - 1) for x in xs)
    assert worst < 2e-11, worst
    return [float(v) for v in p], [float(v) for v in q], X


def main() -> None:
    mp.mp.dps = 60
    temme = temme_table()
    cheb = erfcx_table()
    lines = ['"""Coefficient tables for kernels/special.py, generated by tests/kernels/make_special_tables.py (do not edit)."""',
             "", "# fmt: off", "TEMME_D = ("]
    lines += ["    (" + ", ".join(repr(v) for v in row) + ")," for row in temme]
    lines += [")", "", "ERFCX_CHEB = ("]
    lines += ["    (" + ", ".join(repr(v) for v in row) + ")," for row in cheb]
    x0 = mp.findroot(mp.digamma, 1.46)
    lines += [")", "",
              "LGAMMA_AT1 = (" + ", ".join(repr(v) for v in lgamma_taylor(mp.mpf(1), 40)) + ")",
              "LGAMMA_AT2 = (" + ", ".join(repr(v) for v in lgamma_taylor(mp.mpf(2), 36)) + ")",
              f"LGAMMA_MIN_X = {float(x0)!r}",
              "LGAMMA_ATMIN = (" + ", ".join(repr(v) for v in lgamma_taylor(x0, 30)) + ")"]
    ep, eq, ex = erf32_fit()
    lines += [f"ERF32_X = {ex!r}",
              "ERF32_P = (" + ", ".join(repr(v) for v in ep) + ")",
              "ERF32_Q = (" + ", ".join(repr(v) for v in eq) + ")"]
    lines += ["# fmt: on", ""]
    OUT.write_text("\n".join(lines))
    print("wrote", OUT)


if __name__ == "__main__":
    main()
