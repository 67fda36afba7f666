"""The harness: every workload on every framework, interleaved, quiet samples marked, one Markdown table.

What one sample is. A *configuration* is a framework, a thread setting and eager-or-compiled: "ember",
"torch", "ember compiled", "torch compiled" (and the peers "numpy", "autograd", "mygrad"), each at the
libraries' default threads (what a user gets: no pinning of either library, the headline) and, with
``--threads 1``, pinned to one thread as well, beside the default rows, never instead of them. Every
configuration is built and warmed up first (one whole run, so compilation is done before timing); then the
samples go round the configurations (ember, torch, ember, torch, ...) ``--repeat`` times, so load that comes
and goes during the run lands on all of them alike. With ``--fresh`` every sample is a new interpreter that
imports the library, builds, warms up and times one run, with its thread setting in the environment
(``OPENBLAS_NUM_THREADS``, ``OMP_NUM_THREADS``, ``MKL_NUM_THREADS``) as a user would set it. Without
``--fresh`` all configurations share this process and the one-thread rows are pinned at run time
(threadpoolctl for the BLAS and OpenMP pools, ``torch.set_num_threads`` for PyTorch).

Quiet samples. Before each sample the harness waits (up to ``--quiet-wait`` s) for an idle window in which
no other process used the CPUs; it records the 1-minute load average, other runnable threads, other
processes' CPU use before and during the sample, and marks the sample *loaded* when others were busy
(``bench.machine``). Loaded samples are kept (in ``--json``) and counted in the table; the statistics use
the quiet ones when there are at least three, else all (marked ``*``).

The ratio columns are always time ratios, ember over PyTorch, of the medians (< 1: ember is faster), each
against PyTorch in the same thread setting and the same eager/compiled mode.
"""

from __future__ import annotations

import argparse
import contextlib
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

from . import machine as M
from . import workloads as W

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FRAMEWORKS = ("ember", "torch", "numpy", "autograd", "mygrad")
COMPILERS = ("ember", "torch")           # frameworks with a ``compile`` of their own
MEMORY_WORKLOADS = ("mlp", "cnn", "gpt")
THREAD_VARS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
MIN_QUIET = 3                            # quiet samples needed before the loaded ones are left out


# -- configurations -----------------------------------------------------------------------------------------

def label(fw: str, compiled: bool) -> str:
    return f"{fw} compiled" if compiled else fw


def threads_label(threads: int | None) -> str:
    return "default" if threads is None else str(threads)


def configs_for(wl: W.Workload, frameworks, thread_settings, compile_rows: bool) -> list[dict]:
    """The configurations of one workload, in sampling order: default threads first, then each pinned one."""
    out = []
    for threads in thread_settings:
        for fw in frameworks:
            if fw not in wl.makers:
                continue
            out.append({"fw": fw, "threads": threads, "compiled": False})
            if compile_rows and wl.compilable and fw in COMPILERS:
                out.append({"fw": fw, "threads": threads, "compiled": True})
    return out


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


def _first_line(e: BaseException) -> str:
    msg = str(e).strip().splitlines()
    return f"{type(e).__name__}: {msg[0] if msg else ''}"[:200]


@contextlib.contextmanager
def pinned(threads: int | None, mods: dict):
    """Run the body with every library's thread pools limited to ``threads`` (None: leave them alone)."""
    if threads is None:
        yield
        return
    from threadpoolctl import threadpool_limits  # ImportError: the caller reports the rows as unavailable
    torch = mods.get("torch")
    before = torch.get_num_threads() if torch is not None else None
    with threadpool_limits(limits=threads):
        if torch is not None:
            torch.set_num_threads(threads)
        try:
            yield
        finally:
            if torch is not None:
                torch.set_num_threads(before)


def _compile_available(fw: str, mod) -> str | None:
    """Why ``fw``'s compiler cannot run here, or None."""
    if fw == "torch" and M.cxx_compiler() is None:
        return "torch.compile (inductor) needs a C++ compiler; none found"
    if not hasattr(mod, "compile"):
        return f"{fw} has no compile"
    return None


def _prepare_torch_compile(torch) -> None:
    """One dynamo cache entry per configuration: raise the recompile limit so none falls back to eager."""
    cfg = torch._dynamo.config
    for name in ("recompile_limit", "cache_size_limit"):
        if hasattr(cfg, name):
            setattr(cfg, name, max(getattr(cfg, name), 64))


def build(wl: W.Workload, cfg: dict, mod, quick: bool) -> W.Runner:
    """The warmed-up runner of one configuration (raises what the framework raised)."""
    fw, compiled = cfg["fw"], cfg["compiled"]
    if compiled:
        why = _compile_available(fw, mod)
        if why:
            raise RuntimeError(why)
        if fw == "torch":
            _prepare_torch_compile(mod)
    wrap = mod.compile if compiled else W.eager
    run = wl.makers[fw](mod, quick, wrap)
    run()                          # warm-up: first-call costs and, compiled, the compilation itself
    if compiled:
        run()                      # recompilations after the first step (gradients now exist) land here too
    return run


def sample(run: W.Runner, quiet_wait: float) -> dict:
    """Wait for a quiet machine, time one run, and say how busy the rest of the machine was meanwhile."""
    probe = M.wait_for_quiet(quiet_wait)
    win = M.CpuWindow().start()
    cpu0 = time.process_time()
    t0 = time.perf_counter()
    run()
    seconds = time.perf_counter() - t0
    own = (time.process_time() - cpu0) / seconds
    during = win.cores()
    loaded = M.is_loaded(probe["others_cores_before"], probe["runnable_before"], during)
    return {"seconds": seconds, **probe, "others_cores_during": during, "own_cores": round(own, 3),
            "loaded": loaded}


def _skipped(cfg: dict, reason: str) -> str:
    if cfg["compiled"] and cfg["fw"] == "torch":
        return f"torch.compile cannot run here: {reason}"[:200]
    return f"not available: {reason}"[:200]


# -- the two ways of taking samples ---------------------------------------------------------------------

class InProcess:
    """All configurations built once in this process; pinned rows limited at run time."""

    def __init__(self, wl: W.Workload, configs: list[dict], mods: dict, quick: bool, quiet_wait: float):
        self.wl, self.mods, self.quick, self.quiet_wait = wl, mods, quick, quiet_wait
        self.runners, self.skipped = {}, {}
        for i, cfg in enumerate(configs):
            if cfg["fw"] not in mods:
                continue
            try:
                with pinned(cfg["threads"], mods):
                    self.runners[i] = build(wl, cfg, mods[cfg["fw"]], quick)
            except Exception as e:  # noqa: BLE001  (a framework, or a part of ember, not there yet: say so, go on)
                self.skipped[i] = _skipped(cfg, _first_line(e))

    def sample(self, i: int, cfg: dict) -> dict:
        with pinned(cfg["threads"], self.mods):
            return sample(self.runners[i], self.quiet_wait)


class Fresh:
    """Every sample a new interpreter: import, build, warm up, one timed run (``--fresh``)."""

    def __init__(self, wl: W.Workload, configs: list[dict], mods: dict, quick: bool, quiet_wait: float):
        self.wl, self.quick, self.quiet_wait = wl, quick, quiet_wait
        self.runners = {i: None for i, cfg in enumerate(configs) if cfg["fw"] in mods}
        self.skipped = {}

    def sample(self, i: int, cfg: dict) -> dict:
        env = {k: v for k, v in os.environ.items() if k not in THREAD_VARS}
        if cfg["threads"] is not None:
            env.update({k: str(cfg["threads"]) for k in THREAD_VARS})
        spec = {"workload": self.wl.name, **cfg, "quick": self.quick, "quiet_wait": self.quiet_wait}
        p = subprocess.run([sys.executable, "-m", "bench", "--child", json.dumps(spec)], cwd=ROOT, env=env,
                           capture_output=True, text=True, check=False)
        lines = p.stdout.strip().splitlines()
        if p.returncode != 0 or not lines:
            err = (p.stderr.strip().splitlines() or ["no output"])[-1]
            return {"skipped": _skipped(cfg, err)}
        return json.loads(lines[-1])


def child(spec: dict) -> dict:
    """The body of one ``--fresh`` sample (``python -m bench --child SPEC``); prints one JSON line."""
    wl = W.WORKLOADS[spec["workload"]]
    cfg = {k: spec[k] for k in ("fw", "threads", "compiled")}
    try:
        mod = importlib.import_module(cfg["fw"])
        run = build(wl, cfg, mod, spec["quick"])
    except Exception as e:  # noqa: BLE001
        return {"skipped": _skipped(cfg, _first_line(e))}
    return sample(run, spec["quiet_wait"])


# -- statistics -------------------------------------------------------------------------------------------

def summarise(samples: list[dict], convert, quick: bool) -> dict:
    """Median and min-max of the quiet samples (of all of them, flagged, when fewer than MIN_QUIET are quiet)."""
    values = [convert(s["seconds"], quick) for s in samples]
    quiet = [v for v, s in zip(values, samples) if not s["loaded"]]
    used, all_used = (quiet, False) if len(quiet) >= MIN_QUIET else (values, True)
    used = sorted(used)
    return {"median": statistics.median(used), "min": used[0], "max": used[-1], "n": len(values),
            "n_loaded": len(values) - len(quiet), "loaded_included": all_used and len(quiet) < len(values)}


def _needs_quiet(row: dict) -> bool:
    return "skipped" not in row and sum(not s["loaded"] for s in row["samples"]) < MIN_QUIET


def measure(wl: W.Workload, mods: dict, configs: list[dict], repeat: int, quick: bool = False,
            fresh: bool = False, quiet_wait: float = 2.0, extra_rounds: int = 0) -> list[dict]:
    """One entry per configuration: the configuration, its samples and their summary, or why it was skipped.

    After ``repeat`` rounds, while a configuration has fewer than MIN_QUIET quiet samples, up to
    ``extra_rounds`` more rounds of all of them (still interleaved, so every configuration gets as many).
    """
    sampler = (Fresh if fresh else InProcess)(wl, configs, mods, quick, quiet_wait)
    rows = [dict(cfg, label=label(cfg["fw"], cfg["compiled"]), samples=[]) for cfg in configs]
    for i, reason in sampler.skipped.items():
        rows[i]["skipped"] = reason
    live = [i for i in sampler.runners if i not in sampler.skipped]
    for rnd in range(repeat + extra_rounds):
        if rnd >= repeat and not any(_needs_quiet(rows[i]) for i in live):
            break
        for i in live:
            if "skipped" in rows[i]:
                continue
            s = sampler.sample(i, configs[i])
            if "skipped" in s:
                rows[i]["skipped"] = s["skipped"]
                continue
            s["value"] = wl.convert(s["seconds"], quick)
            rows[i]["samples"].append(s)
    for row in rows:
        if row["samples"] and "skipped" not in row:
            row.update(summarise(row["samples"], wl.convert, quick))
    return [r for r in rows if r["fw"] in mods]


def find(rows: list[dict], fw: str, threads, compiled: bool) -> dict | None:
    for r in rows:
        if r["fw"] == fw and r["threads"] == threads and r["compiled"] == compiled and "median" in r:
            return r
    return None


def time_ratio(wl: W.Workload, a: dict | None, b: dict | None) -> float | None:
    """a's time over b's, from the medians (for throughputs, b's figure over a's)."""
    if a is None or b is None:
        return None
    return b["median"] / a["median"] if wl.higher_is_better else a["median"] / b["median"]


def ratios(wl: W.Workload, rows: list[dict]) -> dict:
    """ember/torch for every (threads, compiled) pair present, keyed 'threads|eager' or 'threads|compiled'."""
    out = {}
    for r in rows:
        if r["fw"] != "ember" or "median" not in r:
            continue
        ref = find(rows, "torch", r["threads"], r["compiled"])
        v = time_ratio(wl, r, ref)
        if v is not None:
            out[f"{threads_label(r['threads'])}|{'compiled' if r['compiled'] else 'eager'}"] = {
                "ratio": v, "loaded_included": r["loaded_included"] or ref["loaded_included"]}
    return out


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
                           capture_output=True, text=True, cwd=ROOT)
        if p.returncode == 0:
            out[fw] = json.loads(p.stdout.strip().splitlines()[-1])
        else:
            err = (p.stderr.strip().splitlines() or ["?"])[-1]
            out[fw] = {"skipped": f"not available: {err}"[:160]}
    return out


# -- import time and size -------------------------------------------------------------------------------

IMPORT_TITLE = "7. import time (fresh interpreter)"


def measure_import(mods: dict, repeat: int, quiet_wait: float, extra_rounds: int = 0) -> list[dict]:
    names = [fw for fw in ("ember", "torch") if fw in mods]
    for fw in names:  # fills the byte-code cache
        W.import_time(fw)
    rows = [{"fw": fw, "threads": None, "compiled": False, "label": fw, "samples": [],
             "size_mb": W.installed_size(mods[fw]) / 2 ** 20} for fw in names]
    for rnd in range(max(repeat, 3) + extra_rounds):
        if rnd >= max(repeat, 3) and not any(_needs_quiet(r) for r in rows):
            break
        for row in rows:
            probe = M.wait_for_quiet(quiet_wait)
            win = M.CpuWindow().start()
            secs = W.import_time(row["fw"])
            during = win.cores()
            row["samples"].append({"seconds": secs, "value": secs, **probe, "others_cores_during": during,
                                   "loaded": M.is_loaded(probe["others_cores_before"], probe["runnable_before"],
                                                         during)})
    for row in rows:
        row.update(summarise(row["samples"], lambda s, q: s, False))
    return rows


# -- report -----------------------------------------------------------------------------------------------

def _fmt(v: float) -> str:
    if v >= 100:
        return f"{v:.0f}"
    if v >= 10:
        return f"{v:.1f}"
    return f"{v:.3g}" if v < 1 else f"{v:.2f}"


def _ratio_cell(r: dict | None) -> str:
    if r is None:
        return ""
    return f"{r['ratio']:.2f}" + ("*" if r["loaded_included"] else "")


def _ratio_columns(report: dict) -> list[str]:
    keys = []
    for entry in report["workloads"].values():
        for k in entry.get("ratios", {}):
            if k not in keys:
                keys.append(k)
    threads_order = ["default"] + sorted({k.split("|")[0] for k in keys} - {"default"})
    return [f"{t}|{m}" for m in ("eager", "compiled") for t in threads_order if f"{t}|{m}" in keys]


def _threads_words(threads: int | None) -> str:
    if threads is None:
        return "default threads"
    return f"{threads} thread" + ("" if threads == 1 else "s")


def _column_title(key: str, cores) -> str:
    t, m = key.split("|")
    threads = f"default threads ({cores} cores)" if t == "default" else f"{t} thread" + ("s" if t != "1" else "")
    return threads if m == "eager" else f"compiled, {threads}"


def header_lines(h: dict) -> list[str]:
    v = h["versions"]
    la = lambda x: "n/a" if x is None else " ".join(f"{y:.2f}" for y in x)
    blas = ", ".join("{internal_api} {version} ({threading_layer}, {num_threads} threads by default)".format(**b)
                     for b in h.get("blas") or [])
    lines = [
        f"- date: {h['date']}; command: `{h['command']}`" + (f"; ember at {h['commit']}" if h.get("commit") else ""),
        f"- machine: {h['cpu_model']}, {h['cores']['logical']} logical CPUs ({h['cores'].get('usable', '?')} usable), "
        f"{h['platform']}",
        f"- Python {h['python']}, NumPy {h['numpy']}" + "".join(f", {k} {x}" for k, x in v.items() if k != "numpy")
        + (f"; NumPy's BLAS: {blas}" if blas else "")
        + (f"; PyTorch's default intra-op threads: {h['torch_threads']}" if h.get("torch_threads") else ""),
        f"- samples: {h['repeat']} rounds over the configurations (and up to {h.get('extra_rounds', 0)} more while one "
        f"had fewer than {MIN_QUIET} quiet samples), {'each in a fresh process' if h['fresh'] else 'all in one process'}, "
        f"interleaved; {h['n_loaded']} of {h['n_samples']} taken under load (other processes using "
        f">= {M.LOADED_CORES} cores, or runnable, before or during the sample); load average before "
        f"{la(h['load_before'])}, after {la(h.get('load_after'))}",
    ]
    if h.get("compile"):
        lines.append(f"- compiled rows: the whole step through each framework's `compile`, compilation excluded "
                     f"(warmed up first); C++ compiler: {h.get('cxx') or 'none found'}")
    if h.get("thread_env"):
        lines.append(f"- warning: thread variables were set in the environment: {h['thread_env']}")
    return lines


def markdown(report: dict) -> str:
    h = report["header"]
    lines = header_lines(h)
    cols = _ratio_columns(report)
    if cols:
        lines += ["", "ember / PyTorch time, ratio of the medians (< 1: ember is faster; * = fewer than "
                  f"{MIN_QUIET} quiet samples, loaded ones included):", "",
                  "| workload | " + " | ".join(_column_title(c, h["cores"]["logical"]) for c in cols) + " |",
                  "| --- |" + " ---: |" * len(cols)]
        for entry in report["workloads"].values():
            rs = entry.get("ratios", {})
            if rs:
                lines.append(f"| {entry['title']} | " + " | ".join(_ratio_cell(rs.get(c)) for c in cols) + " |")
    lines += ["", "| workload | framework | threads | median | min-max | unit | samples (loaded) | ember/torch |",
              "| --- | --- | --- | ---: | ---: | --- | ---: | ---: |"]
    for entry in report["workloads"].values():
        title, unit = entry["title"], entry["unit"]
        for r in entry["rows"]:
            th = threads_label(r["threads"])
            if "skipped" in r:
                lines.append(f"| {title} | {r['label']} | {th} | {r['skipped']} | | | | |")
                continue
            if "median" not in r:
                continue
            key = f"{th}|{'compiled' if r['compiled'] else 'eager'}"
            ratio = _ratio_cell(entry.get("ratios", {}).get(key)) if r["fw"] == "ember" else ""
            star = "*" if r["loaded_included"] else ""
            lines.append(f"| {title} | {r['label']} | {th} | {_fmt(r['median'])}{star} | {_fmt(r['min'])}-{_fmt(r['max'])} "
                         f"| {unit} | {r['n']} ({r['n_loaded']}) | {ratio} |")
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
    """Numbers that combine rows: MLP throughput against the BLAS ceiling, compiled vs eager, cores used, sizes."""
    out = []
    wls = report["workloads"]
    mlp_rows, ceil_rows = wls.get("mlp", {}).get("rows", []), wls.get("gemm_mlp", {}).get("rows", [])
    flops = W.mlp_flops_per_step()
    ceil = find(ceil_rows, "numpy", None, False)
    for fw in ("ember", "torch"):
        r = find(mlp_rows, fw, None, False)
        if r is not None:
            achieved = flops / (r["median"] / 1e3) / 1e9
            s = f"MLP step on {fw}, default threads: {achieved:.1f} GFLOP/s (6*B*sum(in*out) = {flops / 1e6:.0f} MFLOP per step)"
            if ceil is not None and not ceil["loaded_included"]:
                s += f", {achieved / ceil['median']:.0%} of NumPy's BLAS on the same GEMMs"
            out.append(s)
    for name, entry in wls.items():
        wl = W.WORKLOADS.get(name)
        if wl is None:
            continue
        for fw in COMPILERS:
            for r in entry["rows"]:
                if r["fw"] == fw and r["compiled"] and "median" in r:
                    ref = find(entry["rows"], "torch", r["threads"], False)
                    v = time_ratio(wl, r, ref)
                    if v is not None:
                        out.append(f"{entry['title']}, {_threads_words(r['threads'])}: {fw} compiled / "
                                   f"torch eager time = {v:.2f}")
    for entry in wls.values():
        used = [f"{r['label']} ({threads_label(r['threads'])}) {statistics.median(s['own_cores'] for s in r['samples']):.2f}"
                for r in entry["rows"] if r.get("samples") and "own_cores" in r["samples"][0] and r["threads"] is None]
        if used:
            out.append(f"cores this process kept busy during {entry['title']} (median): " + ", ".join(used))
    for r in wls.get("import", {}).get("rows", []):
        out.append(f"installed size of {r['fw']}: {r['size_mb']:.1f} MB")
    return out


def _header(args, mods: dict) -> dict:
    torch = mods.get("torch")
    cmd = "python -m bench" + ("" if args.argv is None else " " + " ".join(args.argv))
    return {
        "date": M.now_utc(), "command": cmd.strip(), "commit": M.git_commit(ROOT),
        "cpu_model": M.cpu_model(), "cores": M.cores(), "platform": platform.platform(),
        "python": platform.python_version(), "numpy": np.__version__,
        "versions": {fw: _version(m) for fw, m in mods.items()},
        "blas": M.blas_info(), "torch_threads": torch.get_num_threads() if torch is not None else None,
        "thread_env": {k: os.environ[k] for k in THREAD_VARS if k in os.environ},
        "cxx": M.cxx_compiler() if args.compile else None, "compile": args.compile,
        "repeat": args.repeat, "quick": args.quick, "fresh": args.fresh, "load_before": M.loadavg(),
    }


def _parse_threads(text: str | None) -> list[int]:
    if not text:
        return []
    try:
        vals = [int(t) for t in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"--threads takes positive integers, got {text!r}") from None
    if any(v < 1 for v in vals):
        raise argparse.ArgumentTypeError(f"--threads takes positive integers, got {text!r}")
    return vals


def main(argv=None) -> int:
    names = list(W.WORKLOADS) + ["import"]
    ap = argparse.ArgumentParser(prog="python -m bench", description="ember vs PyTorch side by side")
    ap.add_argument("--only", action="append", help="workload name (repeatable): " + ", ".join(names))
    ap.add_argument("--repeat", type=int, default=7, help="samples per configuration (default 7)")
    ap.add_argument("--threads", type=_parse_threads, default=[], metavar="N[,N...]",
                    help="also measure with both libraries pinned to N threads, in rows beside the default ones")
    ap.add_argument("--compile", action="store_true",
                    help="add 'ember compiled' and 'torch compiled' rows: the step through each one's compile")
    ap.add_argument("--fresh", action="store_true", help="every sample in a fresh interpreter")
    ap.add_argument("--quiet-wait", type=float, default=2.0,
                    help="seconds to wait for an idle machine before each sample (default 2)")
    ap.add_argument("--extra-rounds", type=int, default=None, metavar="N",
                    help="more rounds (up to N, default = --repeat) while a configuration has fewer than "
                         f"{MIN_QUIET} quiet samples")
    ap.add_argument("--quick", action="store_true", help="tiny runs: checks that the harness works")
    ap.add_argument("--no-memory", action="store_true", help="skip the peak-memory subprocesses")
    ap.add_argument("--frameworks", default=",".join(FRAMEWORKS), help="comma-separated subset")
    ap.add_argument("--json", help="also write the raw samples and the summary here")
    ap.add_argument("--readme", metavar="PATH",
                    help="also replace the 'Last full run' section of this Markdown file with the table")
    ap.add_argument("--memory-child", nargs=2, metavar=("WORKLOAD", "FRAMEWORK"), help=argparse.SUPPRESS)
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    args.argv = sys.argv[1:] if argv is None else list(argv)

    if args.memory_child:
        print(json.dumps(memory_child(*args.memory_child)))
        return 0
    if args.child:
        print(json.dumps(child(json.loads(args.child))))
        return 0

    selected = args.only or names
    unknown = [n for n in selected if n not in names]
    if unknown:
        ap.error(f"unknown workload(s) {unknown}; choose from {names}")
    if args.repeat < 1:
        ap.error("--repeat must be at least 1")

    frameworks = [f for f in args.frameworks.split(",") if f]
    extra = args.repeat if args.extra_rounds is None else args.extra_rounds
    mods = _load_frameworks(frameworks)
    thread_settings = [None] + [t for t in args.threads]
    header = _header(args, mods)
    header["extra_rounds"] = extra
    print(f"# {header['cpu_model']}, load average {' '.join(f'{x:.2f}' for x in header['load_before'] or ())}",
          file=sys.stderr, flush=True)

    report = {"header": header, "workloads": {}, "memory": {}}
    for name in selected:
        if name == "import":
            continue
        wl = W.WORKLOADS[name]
        t0 = time.perf_counter()
        rows = measure(wl, mods, configs_for(wl, frameworks, thread_settings, args.compile), args.repeat,
                       args.quick, args.fresh, args.quiet_wait, extra)
        report["workloads"][name] = {"title": wl.title, "unit": wl.unit, "rows": rows, "ratios": ratios(wl, rows)}
        summary = ", ".join(f"{r['label']}/{threads_label(r['threads'])} {_fmt(r['median'])}" if "median" in r
                            else f"{r['label']}: {r.get('skipped', 'no samples')}" for r in rows)
        print(f"# {wl.title}: {summary} {wl.unit} ({time.perf_counter() - t0:.1f} s)", file=sys.stderr, flush=True)
        if name in MEMORY_WORKLOADS and not args.no_memory and not args.quick:
            report["memory"][name] = measure_memory(name, mods)
    if "import" in selected:
        rows = measure_import(mods, args.repeat, args.quiet_wait, extra)
        imp = W.Workload("import", IMPORT_TITLE, "s", {}, convert=lambda s, q: s)
        report["workloads"]["import"] = {"title": IMPORT_TITLE, "unit": "s", "rows": rows, "ratios": ratios(imp, rows)}
    report["derived"] = _derived(report)
    all_samples = [s for e in report["workloads"].values() for r in e["rows"] for s in r.get("samples", [])]
    header.update(load_after=M.loadavg(), n_samples=len(all_samples),
                  n_loaded=sum(s["loaded"] for s in all_samples))
    print(markdown(report))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(report, f, indent=1)
    if args.readme:
        write_readme_section(args.readme, markdown(report))
    return 0


README_SECTION = "## Last full run"


def write_readme_section(path: str, table: str) -> None:
    """Replace everything from the 'Last full run' heading to the next '## ' heading (or the end)."""
    with open(path) as f:
        text = f.read()
    start = text.find(README_SECTION)
    if start < 0:
        head, tail = text.rstrip("\n") + "\n\n", ""
    else:
        head = text[:start]
        nxt = text.find("\n## ", start + len(README_SECTION))
        tail = "" if nxt < 0 else text[nxt + 1:]
    section = f"{README_SECTION}\n\n{table}\n"
    with open(path, "w") as f:
        f.write(head + section + ("\n" + tail if tail else ""))
