"""What each rank of ``python -m ember.distributed.run`` runs first: ``python -m ember.distributed._agent``.

1. Start MPI and set torchrun's variables from it (RANK, WORLD_SIZE, LOCAL_RANK, LOCAL_WORLD_SIZE, GROUP_RANK,
   ROLE_RANK, ...; MASTER_ADDR / MASTER_PORT come from the launcher), before the user's code reads them.
2. Run the script (or ``-m`` module, or ``--no-python`` program) as ``__main__``.
3. If it raises (or exits non-zero), print the traceback, leave a short error record for the launcher, and
   abort the whole MPI job, so the other ranks, maybe waiting in a collective for this one, stop at once.
"""

from __future__ import annotations

import json
import os
import runpy
import socket
import subprocess
import sys
import time
import traceback

__all__ = ["main"]


class _WholeLines:
    """A stream that passes on only whole lines: the ranks share one output, and ``print(x)`` writes ``x`` and
    its newline in two calls, which another rank's line could otherwise split."""

    def __init__(self, stream):
        self._stream = stream
        self._pending = ""

    def write(self, text: str) -> int:
        held = self._pending + text
        cut = held.rfind("\n") + 1
        if cut:
            self._stream.write(held[:cut])
            self._stream.flush()
        self._pending = held[cut:]
        return len(text)

    def flush(self) -> None:
        if self._pending:
            self._stream.write(self._pending)
            self._pending = ""
        self._stream.flush()

    def __getattr__(self, name):
        return getattr(self._stream, name)


def _set_env(MPI) -> dict:
    comm = MPI.COMM_WORLD
    rank, size = comm.Get_rank(), comm.Get_size()
    local = comm.Split_type(MPI.COMM_TYPE_SHARED, key=rank)
    local_rank, local_size = local.Get_rank(), local.Get_size()
    local.Free()
    hosts = comm.allgather(MPI.Get_processor_name())
    nodes = list(dict.fromkeys(hosts))  # node order: by their lowest rank
    env = {"RANK": rank, "WORLD_SIZE": size, "LOCAL_RANK": local_rank, "LOCAL_WORLD_SIZE": local_size,
           "GROUP_RANK": nodes.index(hosts[rank]), "GROUP_WORLD_SIZE": len(nodes), "ROLE_RANK": rank,
           "ROLE_WORLD_SIZE": size, "ROLE_NAME": "default", "TORCHELASTIC_RESTART_COUNT": 0,
           "TORCHELASTIC_MAX_RESTARTS": 0, "TORCHELASTIC_RUN_ID": os.environ.get("TORCHELASTIC_RUN_ID", "none"),
           "TORCHELASTIC_USE_AGENT_STORE": "False"}
    env["MASTER_ADDR"] = os.environ.get("MASTER_ADDR", "127.0.0.1")
    env["MASTER_PORT"] = os.environ.get("MASTER_PORT", "29500")
    os.environ.update({k: str(v) for k, v in env.items()})
    return env


def _record_failure(env: dict, exc: BaseException | None, code: int) -> None:
    folder = os.environ.get("EMBER_RUN_ERROR_DIR")
    if not folder:
        return
    info = {"rank": env.get("RANK"), "local_rank": env.get("LOCAL_RANK"), "host": socket.gethostname(),
            "pid": os.getpid(), "exitcode": code, "time": time.time(),
            "error": "" if exc is None else "".join(traceback.format_exception_only(type(exc), exc)).strip()}
    try:
        with open(os.path.join(folder, f"error-{env.get('RANK')}.json"), "w") as f:
            json.dump(info, f)
    except OSError:
        pass


def _print_traceback(e: BaseException) -> None:
    """The traceback as Python prints it for a script: from the user's first frame (no agent or runpy frames)."""
    tb = e.__traceback__
    skip = (os.path.abspath(__file__), runpy.__file__)
    while tb is not None and (tb.tb_frame.f_code.co_filename in skip
                              or tb.tb_frame.f_code.co_filename.startswith("<frozen runpy")):
        tb = tb.tb_next
    traceback.print_exception(type(e), e, tb or e.__traceback__)


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    mode = "script"
    if argv and argv[0] in ("-m", "--module"):
        mode, argv = "module", argv[1:]
    elif argv and argv[0] == "--no-python":
        mode, argv = "program", argv[1:]
    if not argv:
        sys.exit("usage: python -m ember.distributed._agent [-m | --no-python] target [args...]")
    try:
        from mpi4py import MPI
    except ImportError:
        sys.exit("ember.distributed.run needs mpi4py and an MPI library: pip install 'ember[distributed]'")
    env = _set_env(MPI)
    os.environ["EMBER_RUN_AGENT"] = "1"
    sys.stdout, sys.stderr = _WholeLines(sys.stdout), _WholeLines(sys.stderr)
    if mode == "program":  # a non-Python program: it inherits the variables; its exit code is the rank's
        code = subprocess.call(argv)
        if code:
            _record_failure(env, None, code)
            MPI.COMM_WORLD.Abort(code)
        return
    target = argv[0]
    sys.argv = argv
    code, error = 0, None
    try:
        if mode == "module":
            sys.path.insert(0, os.getcwd())
            runpy.run_module(target, run_name="__main__", alter_sys=True)
        else:
            sys.path.insert(0, os.path.dirname(os.path.abspath(target)))
            runpy.run_path(target, run_name="__main__")
    except SystemExit as e:
        if e.code is None or e.code == 0:
            code = 0
        elif isinstance(e.code, int):
            code = e.code
        else:
            print(e.code, file=sys.stderr)
            code = 1
    except BaseException as e:  # noqa: B036  (KeyboardInterrupt too: the job must stop everywhere)
        error = e
        code = 1
        _print_traceback(e)
    sys.stdout.flush()
    sys.stderr.flush()
    if code:
        _record_failure(env, error, code)
        MPI.COMM_WORLD.Abort(code)


if __name__ == "__main__":
    main()
