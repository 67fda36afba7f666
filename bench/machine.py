"""What the machine is and how busy it is: the facts printed above every table, and the per-sample load probe.

A sample is *quiet* when nothing but the benchmark wants a CPU. Two measurements say so, both Linux-only
(elsewhere they read as unknown and every sample counts as quiet):

- other processes' CPU time: all CPUs' busy time (``/proc/stat``, including time the hypervisor stole) minus
  this process's own CPU time (all its threads, so PyTorch's and OpenBLAS's spinning workers are not
  counted as someone else's, and the children it waited for, such as the interpreters that time an
  import), over a short idle window before the sample and over the sample itself,
  expressed in cores (0.5 = half a core was busy with other work on average);
- the number of other runnable threads at the moment before the sample (``procs_running`` minus this
  process's own running threads), and the 1-minute load average, recorded as they are.

``/proc/stat`` counts in clock ticks (10 ms), so over a window of T seconds the reading is exact to about
0.02 / T cores; the samples are made long enough (0.1 s and more) for the threshold below to mean something.
"""

from __future__ import annotations

import datetime
import os
import platform
import shutil
import subprocess
import time

# other processes' average use above which a window counts as loaded, in cores
LOADED_CORES = 0.25
PROBE_WINDOW = 0.1  # seconds of idleness over which the pre-sample probe looks at the others
OWN_SETTLED = 0.1   # this process's own threads count as settled below this many cores

_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def busy_seconds() -> float | None:
    """CPU-seconds all CPUs have spent not idle since boot (user, nice, system, irq, softirq, steal)."""
    try:
        with open("/proc/stat") as f:
            fields = f.readline().split()
    except OSError:
        return None
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(v) for v in fields[1:9])
    return (user + nice + system + irq + softirq + steal) / _TICK


def runnable_others() -> int | None:
    """Runnable threads on the machine right now, not counting this process's own running threads."""
    try:
        with open("/proc/stat") as f:
            running = next(int(line.split()[1]) for line in f if line.startswith("procs_running"))
        mine = 0
        for tid in os.listdir("/proc/self/task"):
            try:
                with open(f"/proc/self/task/{tid}/stat") as f:
                    # the state follows the parenthesised command name, which may itself contain spaces
                    if f.read().rpartition(")")[2].split()[0] == "R":
                        mine += 1
            except OSError:
                continue
    except (OSError, StopIteration, ValueError):
        return None
    return max(running - mine, 0)


def loadavg() -> tuple[float, float, float] | None:
    try:
        return os.getloadavg()
    except OSError:
        return None


def own_cpu_seconds() -> float:
    """CPU-seconds of this process (all its threads) and of its children that have been waited for."""
    mine = time.process_time()
    try:
        import resource
    except ImportError:  # not a Unix
        return mine
    ch = resource.getrusage(resource.RUSAGE_CHILDREN)
    return mine + ch.ru_utime + ch.ru_stime


def _reading() -> tuple[float, float | None, float]:
    return time.perf_counter(), busy_seconds(), own_cpu_seconds()


class CpuWindow:
    """Other processes' CPU use, in cores, between ``start()`` and ``cores()``.

    ``read`` returns (wall clock, all CPUs' busy seconds or None, this process's CPU seconds); tests give
    their own.
    """

    def __init__(self, read=_reading):
        self.read = read

    def start(self) -> CpuWindow:
        self.wall, self.busy, self.mine = self.read()
        return self

    def cores(self) -> float | None:
        wall, busy, mine = self.read()
        if busy is None or self.busy is None or wall <= self.wall:
            return None
        return max((busy - self.busy) - (mine - self.mine), 0.0) / (wall - self.wall)


def is_loaded(others_before: float | None, runnable_before: int | None, others_during: float | None) -> bool:
    """The rule that marks a sample as taken under load (unknown readings count as quiet)."""
    if runnable_before is not None and runnable_before > 0:
        return True
    return any(v is not None and v >= LOADED_CORES for v in (others_before, others_during))


def wait_for_quiet(max_wait: float) -> dict:
    """Probe idle windows of ``PROBE_WINDOW`` s until one is quiet or ``max_wait`` s have passed.

    Quiet: no other process busy or runnable, and this process's own threads settled too (OpenBLAS's and
    OpenMP's workers spin for a while after the previous sample; they would take a core from the next one).
    Returns the last probe: other processes' cores over the window, this process's, other runnable threads
    at its end, the 1-minute load average, and the seconds spent waiting.
    """
    t0 = time.perf_counter()
    while True:
        win = CpuWindow().start()
        mine0 = own_cpu_seconds()
        time.sleep(PROBE_WINDOW)
        others, runnable = win.cores(), runnable_others()
        own = (own_cpu_seconds() - mine0) / PROBE_WINDOW
        waited = time.perf_counter() - t0
        quiet = not is_loaded(others, runnable, None) and own < OWN_SETTLED
        if quiet or waited >= max_wait:
            la = loadavg()
            return {"others_cores_before": others, "own_cores_before": round(own, 3), "runnable_before": runnable,
                    "loadavg_1m": None if la is None else la[0], "waited_s": round(waited, 3)}


# -- the facts above a table ----------------------------------------------------------------------------

def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith(("model name", "Model name", "Hardware")):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def cores() -> dict:
    out = {"logical": os.cpu_count()}
    if hasattr(os, "sched_getaffinity"):
        out["usable"] = len(os.sched_getaffinity(0))
    try:
        with open("/proc/cpuinfo") as f:
            phys = {line.split(":", 1)[1].strip() for line in f if line.startswith("core id")}
        if phys:
            out["physical_per_socket"] = len(phys)
    except OSError:
        pass
    return out


def blas_info() -> list[dict]:
    """NumPy's BLAS as threadpoolctl sees it (library, version, threading layer, default threads)."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return []
    return [{k: d.get(k) for k in ("internal_api", "version", "threading_layer", "architecture", "num_threads")}
            for d in threadpool_info() if d.get("user_api") == "blas"]


def git_commit(root: str) -> str | None:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True,
                              check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=root,
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return head + ("+dirty" if dirty else "")


def cxx_compiler() -> str | None:
    """The C++ compiler PyTorch's inductor would call, with its version line, or None."""
    for name in (os.environ.get("CXX"), "g++", "c++", "clang++"):
        if name and shutil.which(name):
            try:
                line = subprocess.run([name, "--version"], capture_output=True, text=True, check=True,
                                      timeout=10).stdout.splitlines()[0]
            except (OSError, subprocess.SubprocessError, IndexError):
                line = name
            return line
    return None


def now_utc() -> str:
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
