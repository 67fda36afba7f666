"""Profile one workload on ember: ``python -m bench.profile NAME [--runs N] [--top K] [--sort tottime]``.

Runs the workload's ember runner once to warm up, then ``--runs`` times under cProfile, and prints the
functions that take the most time: where ember's overhead over PyTorch lives.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import time

from . import workloads as W


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.profile")
    ap.add_argument("name", choices=list(W.WORKLOADS))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--top", type=int, default=30)
    ap.add_argument("--sort", default="tottime", help="pstats sort key (tottime, cumulative, ncalls)")
    ap.add_argument("--framework", default="ember")
    args = ap.parse_args(argv)

    import importlib
    mod = importlib.import_module(args.framework)
    run = W.WORKLOADS[args.name].makers[args.framework](mod, False)
    run()
    t0 = time.perf_counter()
    for _ in range(args.runs):
        run()
    plain = (time.perf_counter() - t0) / args.runs
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(args.runs):
        run()
    prof.disable()
    print(f"{args.name} on {args.framework}: {plain * 1e3:.2f} ms per run without the profiler")
    pstats.Stats(prof).strip_dirs().sort_stats(args.sort).print_stats(args.top)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
