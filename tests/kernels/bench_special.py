"""Time ember's float32 erf and GELU kernels against scipy.special.erf, torch.erf and torch's GELU, one
thread, best of several runs, on N(0, 2²) arrays of 10^4 .. 10^6 elements.

Run:  PYTHONPATH=src python tests/kernels/bench_special.py
"""

from __future__ import annotations

import time

import numpy as np

from ember.kernels import special as S


def best_ms(fn, reps: int, rounds: int = 5) -> float:
    fn()
    best = float("inf")
    for _ in range(rounds):
        t = time.perf_counter()
        for _ in range(reps):
            fn()
        best = min(best, (time.perf_counter() - t) / reps)
    return best * 1e3


def main() -> None:
    try:
        import torch
        torch.set_num_threads(1)
    except ImportError:
        torch = None
    try:
        import scipy.special as sp
    except ImportError:
        sp = None
    for n in (10_000, 262_144, 1_000_000):
        print(f"n={n:>9}  " + "  ".join(f"{k} {v:7.2f} ms" for k, v in row(n, torch, sp).items()))


def row(n: int, torch, sp) -> dict:
    x = (np.random.default_rng(0).standard_normal(n) * 2).astype(np.float32)
    reps = max(2, 2_000_000 // n)
    out = {"ember erf": best_ms(lambda: S.erf(x), reps),
           "ember gelu exact": best_ms(lambda: S.gelu(x, exact=True), reps),
           "ember gelu fast": best_ms(lambda: S.gelu(x, exact=False), reps),
           "ember gelu_grad exact": best_ms(lambda: S.gelu_grad(x, exact=True), reps)}
    if sp is not None:
        out["scipy erf"] = best_ms(lambda: sp.erf(x), reps)
    if torch is not None:
        t = torch.from_numpy(x)
        out["torch erf"] = best_ms(lambda: torch.erf(t), reps)
        out["torch gelu"] = best_ms(lambda: torch.nn.functional.gelu(t), reps)
    return out


if __name__ == "__main__":
    main()
