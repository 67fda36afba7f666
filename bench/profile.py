"""Where a workload's time goes: ``python -m bench.profile NAME [--framework ember] [--runs N] [--top K]``.

Builds the workload as ``python -m bench`` does, runs it once to warm up, times ``--runs`` runs without the
profiler, then the same number under cProfile, and prints per step (one training step, epoch, chain or
product, see ``Workload.steps``):

- the functions with the most time of their own (tottime), each with its share of the profiled step;
- the functions with the most time including their callees (cumtime), with the same share;
- the same own time summed per source file (``~`` = C functions: NumPy's kernels, built-ins).

cProfile adds a fixed cost to every Python call, so the profiled step is longer than the plain one (both are
printed) and Python-heavy functions look a little larger than they are; the shares still say where to look.
"""

from __future__ import annotations

import argparse
import cProfile
import importlib
import os
import pstats
import sys
import time

from . import workloads as W
from .run import pinned


def short_path(path: str) -> str:
    """A source path from its package down (``ember/nn/functional.py``), or ``~`` for C functions."""
    if path == "~":
        return path
    norm = path.replace(os.sep, "/")
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__))).replace(os.sep, "/") + "/"
    if norm.startswith(root + "bench/"):
        return norm[len(root):]
    for marker in ("/site-packages/", "/src/", "/lib/python"):
        if marker in norm:
            tail = norm.rsplit(marker, 1)[1]
            return tail.split("/", 1)[1] if marker == "/lib/python" and "/" in tail else tail
    return os.path.basename(norm)


def func_name(key: tuple) -> str:
    path, line, name = key
    return name if path == "~" else f"{short_path(path)}:{line}({name})"


def profile_table(stats: pstats.Stats, steps: int, top: int) -> dict:
    """The per-step figures: total, per-function rows and per-file sums (milliseconds and shares)."""
    rows = []
    total = 0.0
    calls = 0
    for key, (_cc, nc, tt, ct, _callers) in stats.stats.items():
        total += tt
        calls += nc
        rows.append({"function": func_name(key), "file": short_path(key[0]), "ncalls": nc / steps,
                     "tottime_ms": tt / steps * 1e3, "cumtime_ms": ct / steps * 1e3})
    total_ms = total / steps * 1e3
    for r in rows:
        r["tot_share"] = r["tottime_ms"] / total_ms if total_ms else 0.0
        r["cum_share"] = r["cumtime_ms"] / total_ms if total_ms else 0.0
    files: dict[str, float] = {}
    for r in rows:
        files[r["file"]] = files.get(r["file"], 0.0) + r["tottime_ms"]
    by_file = sorted(({"file": f, "tottime_ms": v, "share": v / total_ms if total_ms else 0.0}
                      for f, v in files.items()), key=lambda d: -d["tottime_ms"])
    return {"total_ms": total_ms, "calls_per_step": calls / steps,
            "by_tottime": sorted(rows, key=lambda r: -r["tottime_ms"])[:top],
            "by_cumtime": sorted(rows, key=lambda r: -r["cumtime_ms"])[:top],
            "by_file": by_file[:top]}


def render(name: str, fw: str, plain_ms: float, table: dict, threads: int | None = None) -> str:
    pins = "default threads" if threads is None else f"{threads} thread" + ("s" if threads > 1 else "")
    out = [f"## {W.WORKLOADS[name].title} on {fw}, {pins}",
           "",
           f"{plain_ms:.2f} ms per step without the profiler, {table['total_ms']:.2f} ms under cProfile; "
           f"{table['calls_per_step']:.0f} function calls per step.",
           "",
           "Own time (tottime), per step:",
           "",
           "| # | function | calls/step | tottime (ms) | share | cumtime (ms) |",
           "| ---: | --- | ---: | ---: | ---: | ---: |"]
    for i, r in enumerate(table["by_tottime"], 1):
        out.append(f"| {i} | `{r['function']}` | {r['ncalls']:.3g} | {r['tottime_ms']:.3f} | "
                   f"{r['tot_share']:.1%} | {r['cumtime_ms']:.3f} |")
    out += ["", "Time including callees (cumtime), per step:", "",
            "| # | function | calls/step | cumtime (ms) | share | tottime (ms) |",
            "| ---: | --- | ---: | ---: | ---: | ---: |"]
    for i, r in enumerate(table["by_cumtime"], 1):
        out.append(f"| {i} | `{r['function']}` | {r['ncalls']:.3g} | {r['cumtime_ms']:.3f} | "
                   f"{r['cum_share']:.1%} | {r['tottime_ms']:.3f} |")
    out += ["", "Own time summed per file (`~`: C functions, NumPy's kernels among them):", "",
            "| file | tottime (ms) | share |", "| --- | ---: | ---: |"]
    for r in table["by_file"]:
        out.append(f"| `{r['file']}` | {r['tottime_ms']:.3f} | {r['share']:.1%} |")
    return "\n".join(out)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.profile")
    ap.add_argument("name", choices=list(W.WORKLOADS))
    ap.add_argument("--framework", default="ember")
    ap.add_argument("--runs", type=int, default=3, help="runs timed, then profiled (default 3)")
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--quick", action="store_true", help="tiny runs: checks that the profiler works")
    ap.add_argument("--threads", type=int, default=None,
                    help="pin the BLAS/OpenMP pools (and PyTorch's) to N threads (default: the libraries' own)")
    ap.add_argument("--dump", help="also write the raw cProfile statistics here (for snakeviz, pstats)")
    ap.add_argument("--compile", action="store_true",
                    help="ember only: the step through ember.compile; times each line of the replayed program")
    args = ap.parse_args(argv)
    if args.compile:
        return _profile_replay(args)

    wl = W.WORKLOADS[args.name]
    if args.framework not in wl.makers:
        ap.error(f"{args.name} has no {args.framework} version; choose from {list(wl.makers)}")
    mod = importlib.import_module(args.framework)
    with pinned(args.threads, {args.framework: mod}):
        run = wl.makers[args.framework](mod, args.quick)
        run()
        steps = wl.steps[1 if args.quick else 0] * args.runs
        t0 = time.perf_counter()
        for _ in range(args.runs):
            run()
        plain_ms = (time.perf_counter() - t0) / steps * 1e3
        prof = cProfile.Profile()
        prof.enable()
        for _ in range(args.runs):
            run()
        prof.disable()
    stats = pstats.Stats(prof)
    if args.dump:
        stats.dump_stats(args.dump)
    print(render(args.name, args.framework, plain_ms, profile_table(stats, steps, args.top), args.threads))
    sys.stdout.flush()
    return 0


def replay_table(rows: list, top: int) -> str:
    """``Program.profile``'s rows (seconds, line) as a table with each line's share of the replay."""
    total = sum(t for t, _ in rows) or 1.0
    out = ["| # | line of the replay | median (µs) | share |", "| ---: | --- | ---: | ---: |"]
    for i, (t, line) in enumerate(rows[:top], 1):
        text = line if len(line) <= 90 else line[:87] + "..."
        out.append(f"| {i} | `{text}` | {t * 1e6:.2f} | {t / total:.1%} |")
    out.append(f"| | all {len(rows)} lines | {total * 1e6:.1f} | 100% |")
    return "\n".join(out)


def _profile_replay(args) -> int:
    import ember
    wl = W.WORKLOADS[args.name]
    if args.framework != "ember" or not wl.compilable:
        raise SystemExit("--compile profiles ember's replay of a workload with a training step")
    compiled = []

    def wrap(step):
        compiled.append(ember.compile(step))
        return compiled[-1]

    with pinned(args.threads, {"ember": ember}):
        run = wl.makers["ember"](ember, args.quick, wrap=wrap)
        run()
        run()
        steps = wl.steps[1 if args.quick else 0] * args.runs
        t0 = time.perf_counter()
        for _ in range(args.runs):
            run()
        plain_ms = (time.perf_counter() - t0) / steps * 1e3
        c = compiled[0]
        program = max(c.entries, key=lambda e: e.hits).program
        rows = program.profile((), {}, repeat=max(20, steps))
    pins = "default threads" if args.threads is None else f"{args.threads} thread(s)"
    print(f"## {wl.title}: ember compiled, {pins}\n\n{plain_ms:.3f} ms per step replayed; "
          + ", ".join(f"{k} {v}" for k, v in program.stats.items()) + "\n")
    print(replay_table(rows, args.top))
    print(f"\n{c.explain()}")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
