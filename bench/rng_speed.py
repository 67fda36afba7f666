"""Time ember's PyTorch-exact float32 normals against NumPy's own generator (not a test).

Prints the best-of-5 time of drawing 10 million float32 standard normals with
``ember.kernels.rng.Generator.normal`` and with ``np.random.default_rng().standard_normal``, and their ratio.
"""

from __future__ import annotations

import time

import numpy as np

from ember.kernels.rng import Generator

N = 10_000_000


def best_of(fn, repeats: int = 5) -> float:
    """Smallest wall time of fn() over a few runs (the least disturbed one)."""
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    g = Generator().manual_seed(0)
    rng = np.random.default_rng(0)
    t_ember = best_of(lambda: g.normal((N,), np.float32))
    t_numpy = best_of(lambda: rng.standard_normal(N, dtype=np.float32))
    print(f"ember  randn({N:,}) float32: {t_ember * 1e3:7.1f} ms")
    print(f"numpy  standard_normal     : {t_numpy * 1e3:7.1f} ms")
    print(f"ratio ember / numpy        : {t_ember / t_numpy:5.2f}")
    for name, fn in [
        ("rand float32", lambda: g.uniform((N,), np.float32)),
        ("uniform_(-b, b) float32", lambda: g.uniform((N,), np.float32, -0.1, 0.1)),
        ("randint int64", lambda: g.randint(0, 1000, (N,), np.int64)),
        ("randperm(1e6)", lambda: g.randperm(1_000_000)),
    ]:
        print(f"ember  {name:24s}: {best_of(fn, 3) * 1e3:7.1f} ms")


if __name__ == "__main__":
    main()
