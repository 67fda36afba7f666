"""The harness: run each workload for every available framework, interleaved, and report a Markdown table.

Samples alternate between frameworks (ember, torch, peers, ember, torch, ...) so that a change in machine
load during the run hits all of them alike. Each row gives the median and the min-max of the samples; the
ratio column is always a time ratio, ember/PyTorch (< 1: ember is faster).
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import statistics
import subprocess
import sys
import time
import tracemalloc

import numpy as np

from . import workloads as W

FRAMEWORKS = ("ember", "torch", "numpy", "autograd", "mygrad")
MEMORY_WORKLOADS = ("mlp", "cnn")


def _load_frameworks(wanted) -> dict:
    mods = {}
    for name in wanted:
        try:
            mods[name] = importlib.import_module(name)
        except ImportError:
            pass
    return mods


def _version(mod) -> str:
    return getattr(mod, "__version__", "?")


def measure(workload: W.Workload, mods: dict, repeat: int, quick: bool = False) -> dict:
    """Samples for each framework: {framework: {"values": [...]} or {"skipped": reason}}."""
    runners, out = {}, {}
    for fw, make in workload.makers.items():
        if fw not in mods:
            continue
        try:
            run = make(mods[fw], quick)
            if workload.warmup:
                run()
            runners[fw] = run
        except Exception as e:  # noqa: BLE001  (a framework (or part of ember) not there yet: say so, go on)
            msg = str(e).splitlines()[0] if str(e) else ""
            out[fw] = {"skipped": f"not available yet: {type(e).__name__}: {msg}"[:160]}
    samples = {fw: [] for fw in runners}
    for _ in range(repeat):
        for fw, run in runners.items():
            t0 = time.perf_counter()
            run()
            samples[fw].append(time.perf_counter() - t0)
    for fw, secs in samples.items():
        vals = sorted(workload.convert(s, quick) for s in secs)
        out[fw] = {"values": vals, "median": statistics.median(vals), "min": vals[0], "max": vals[-1],
                   "median_seconds": statistics.median(secs)}
    return out


def time_ratio(workload: W.Workload, res: dict, fw: str = "ember", ref: str = "torch", stat: str = "median"):
    """ember's time over the reference's, from the medians or (stat="best") the fastest samples.

    The fastest sample is the one least disturbed by other load on the machine, so its ratio is the steadier.
    """
    a, b = res.get(fw, {}), res.get(ref, {})
    if "median" not in a or "median" not in b:
        return None
    if stat == "best":  # best = min time, or max throughput
        key = "max" if workload.higher_is_better else "min"
        return b[key] / a[key] if workload.higher_is_better else a[key] / b[key]
    return b["median"] / a["median"] if workload.higher_is_better else a["median"] / b["median"]


# -- peak memory: one fresh interpreter per (workload, framework), so earlier runs leave nothing behind -------

def _read_status_kb(field: str) -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def memory_child(name: str, fw: str) -> dict:
    """Run one timed unit of ``name`` once under ``fw`` and report peak RSS growth (and tracemalloc peak)."""
    mod = importlib.import_module(fw)
    run = W.WORKLOADS[name].makers[fw](mod, False)
    try:  # reset the peak-RSS mark so VmHWM covers only the run (Linux; harmless where unsupported)
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass
    base = _read_status_kb("VmRSS")
    traced = fw != "torch"  # tracemalloc sees NumPy's buffers, not PyTorch's allocator
    if traced:
        tracemalloc.start()
    run()
    res = {"rss_delta_mb": (_read_status_kb("VmHWM") - base) / 1024}
    if traced:
        res["tracemalloc_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2 ** 20
        tracemalloc.stop()
    return res


def measure_memory(name: str, mods: dict) -> dict:
    out = {}
    for fw in ("ember", "torch"):
        if fw not in mods:
            continue
        p = subprocess.run([sys.executable, "-m", "bench", "--memory-child", name, fw], check=False,
                           capture_output=True, text=True, cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        if p.returncode == 0:
            out[fw] = json.loads(p.stdout.strip().splitlines()[-1])
        else:
            err = (p.stderr.strip().splitlines() or ["?"])[-1]
            out[fw] = {"skipped": f"not available yet: {err}"[:160]}
    return out


# -- import time and size -------------------------------------------------------------------------------

def measure_import(mods: dict, repeat: int) -> dict:
    out = {}
    names = [fw for fw in ("ember", "torch") if fw in mods]
    samples = {fw: [] for fw in names}
    for fw in names:  # fills the byte-code cache
        W.import_time(fw)
    for _ in range(max(repeat, 3)):
        for fw in names:
            samples[fw].append(W.import_time(fw))
    for fw in names:
        v = sorted(samples[fw])
        out[fw] = {"values": v, "median": statistics.median(v), "min": v[0], "max": v[-1],
                   "size_mb": W.installed_size(mods[fw]) / 2 ** 20}
    return out


# -- report -----------------------------------------------------------------------------------------------

def _fmt(v: float) -> str:
    if v >= 100:
        return f"{v:.0f}"
    if v >= 10:
        return f"{v:.1f}"
    return f"{v:.3g}" if v < 1 else f"{v:.2f}"


def markdown(report: dict) -> str:
    lines = ["| workload | framework | median | min-max | unit | ember/torch time (median) | (min) |",
             "| --- | --- | ---: | ---: | --- | ---: | ---: |"]
    for name, entry in report["workloads"].items():
        wl = W.WORKLOADS.get(name)
        title, unit = (wl.title, wl.unit) if wl else (entry["title"], entry["unit"])
        for fw in FRAMEWORKS:
            r = entry["results"].get(fw)
            if r is None:
                continue
            if "skipped" in r:
                lines.append(f"| {title} | {fw} | {r['skipped']} | | | | |")
                continue
            ratio = entry.get("ratio") if fw == "ember" else None
            best = entry.get("ratio_min") if fw == "ember" else None
            lines.append(f"| {title} | {fw} | {_fmt(r['median'])} | {_fmt(r['min'])}-{_fmt(r['max'])} | {unit} | "
                         f"{'' if ratio is None else f'{ratio:.2f}'} | {'' if best is None else f'{best:.2f}'} |")
    if report.get("memory"):
        lines += ["", "| workload | framework | peak RSS growth (MB) | tracemalloc peak (MB) |",
                  "| --- | --- | ---: | ---: |"]
        for name, res in report["memory"].items():
            for fw, r in res.items():
                if "skipped" in r:
                    lines.append(f"| {W.WORKLOADS[name].title} | {fw} | {r['skipped']} | |")
                else:
                    tm = r.get("tracemalloc_peak_mb")
                    lines.append(f"| {W.WORKLOADS[name].title} | {fw} | {r['rss_delta_mb']:.1f} | "
                                 f"{'' if tm is None else f'{tm:.1f}'} |")
    if report.get("derived"):
        lines += [""] + [f"- {d}" for d in report["derived"]]
    return "\n".join(lines)


def _derived(report: dict) -> list[str]:
    """Numbers that combine workloads: MLP throughput against the BLAS ceiling, import time and size."""
    out = []
    wls = report["workloads"]
    mlp, ceil = wls.get("mlp", {}).get("results", {}), wls.get("gemm_mlp", {}).get("results", {})
    flops = W.mlp_flops_per_step()
    for fw in ("ember", "torch"):
        if "median" in mlp.get(fw, {}):
            achieved = flops / (mlp[fw]["median"] / 1e3) / 1e9
            s = f"MLP step on {fw}: {achieved:.1f} GFLOP/s (6*B*sum(in*out) = {flops / 1e6:.0f} MFLOP per step)"
            if "median" in ceil.get("numpy", {}):
                s += f", {achieved / ceil['numpy']['median']:.0%} of NumPy's BLAS on the same GEMMs"
            out.append(s)
    if "median" in mlp.get("ember", {}) and "median" in mlp.get("torch", {}):
        out.append(f"MLP throughput ember/torch: {mlp['torch']['median'] / mlp['ember']['median']:.2f}x")
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench", description="ember vs PyTorch side by side")
    ap.add_argument("--only", action="append", help="workload name (repeatable): "
                    + ", ".join(list(W.WORKLOADS) + ["import"]))
    ap.add_argument("--repeat", type=int, default=5, help="samples per framework (default 5)")
    ap.add_argument("--quick", action="store_true", help="tiny sizes: checks that the harness runs")
    ap.add_argument("--threads", type=int, default=None,
                    help="threads for both PyTorch and NumPy's BLAS (default: each library's own, = cores)")
    ap.add_argument("--no-memory", action="store_true", help="skip the peak-memory subprocesses")
    ap.add_argument("--frameworks", default=",".join(FRAMEWORKS), help="comma-separated subset")
    ap.add_argument("--json", help="also write the results here")
    ap.add_argument("--memory-child", nargs=2, metavar=("WORKLOAD", "FRAMEWORK"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.memory_child:
        print(json.dumps(memory_child(*args.memory_child)))
        return 0

    selected = args.only or list(W.WORKLOADS) + ["import"]
    unknown = [n for n in selected if n not in W.WORKLOADS and n != "import"]
    if unknown:
        ap.error(f"unknown workload(s) {unknown}; choose from {list(W.WORKLOADS) + ['import']}")

    mods = _load_frameworks(args.frameworks.split(","))
    if "torch" in mods and args.threads:
        mods["torch"].set_num_threads(args.threads)
    load_before = os.getloadavg()
    header = {
        "python": platform.python_version(), "machine": platform.machine(), "cpus": os.cpu_count(),
        "numpy": np.__version__, "versions": {fw: _version(m) for fw, m in mods.items()},
        "torch_threads": mods["torch"].get_num_threads() if "torch" in mods else None,
        "blas_threads": os.environ.get("OPENBLAS_NUM_THREADS", "default"),
        "load_before": load_before, "repeat": args.repeat, "quick": args.quick,
    }
    print(f"# ember benchmarks: Python {header['python']}, {header['cpus']} CPUs, NumPy {np.__version__} "
          f"(OpenBLAS threads: {header['blas_threads']}); " + ", ".join(f"{k} {v}" for k, v in header["versions"].items())
          + (f"; torch threads {header['torch_threads']}" if header["torch_threads"] else ""))
    print(f"# load average before: {' '.join(f'{x:.2f}' for x in load_before)}", flush=True)

    report = {"header": header, "workloads": {}, "memory": {}}
    for name in selected:
        if name == "import":
            continue
        wl = W.WORKLOADS[name]
        t0 = time.perf_counter()
        res = measure(wl, mods, args.repeat, args.quick)
        entry = {"title": wl.title, "unit": wl.unit, "results": res, "ratio": time_ratio(wl, res),
                 "ratio_min": time_ratio(wl, res, stat="best")}
        report["workloads"][name] = entry
        summary = ", ".join(f"{fw} {_fmt(r['median'])}" if "median" in r else f"{fw}: {r['skipped']}"
                            for fw, r in res.items())
        print(f"{wl.title}: {summary} {wl.unit} ({time.perf_counter() - t0:.1f} s)", flush=True)
        if name in MEMORY_WORKLOADS and not args.no_memory and not args.quick:
            report["memory"][name] = measure_memory(name, mods)
    if "import" in selected:
        res = measure_import(mods, args.repeat)
        both = len(res) == 2
        report["workloads"]["import"] = {
            "title": "6. import time (fresh interpreter)", "unit": "s", "results": res,
            "ratio": res["ember"]["median"] / res["torch"]["median"] if both else None,
            "ratio_min": res["ember"]["min"] / res["torch"]["min"] if both else None}
        report.setdefault("derived_extra", [])
        for fw, r in res.items():
            report["derived_extra"].append(f"installed size of {fw}: {r['size_mb']:.1f} MB")
    report["derived"] = _derived(report) + report.pop("derived_extra", [])
    header["load_after"] = os.getloadavg()
    print()
    print(markdown(report))
    print(f"\nload average before: {' '.join(f'{x:.2f}' for x in load_before)}; after: "
          f"{' '.join(f'{x:.2f}' for x in header['load_after'])}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(report, f, indent=1)
    return 0
