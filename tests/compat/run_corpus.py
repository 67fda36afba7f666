"""Run each corpus program under PyTorch and under ember and diff their output.

Usage: python tests/compat/run_corpus.py [program names or paths...]

Each backend runs in its own worker subprocess (so torch and ember never share an
interpreter); inside a worker every program is exec'd in a fresh namespace with
stdout/stderr captured, which keeps the whole corpus to two interpreter start-ups.
For ember the program's torch imports are rewritten to ember imports; `torch.`
references in the body stay, since the name `torch` is then bound to ember.
Outputs are compared line by line after blanking object addresses (`at 0x...`);
an exception escaping a program is printed as its last line of output.

One deliberate difference is removed from PyTorch's side only: warnings raised in PyTorch's C++ end with
"(Triggered internally at /__w/pytorch/.../File.cpp:NNN.)", the file and line of PyTorch's own build, which
ember (having no such file) leaves out while keeping the rest of the message. `torch_side` drops exactly that
parenthesis; ember's output is compared as it is printed.
"""

from __future__ import annotations

import contextlib
import difflib
import io
import json
import os
import re
import subprocess
import sys
import traceback
import warnings
from pathlib import Path

import numpy as np

PROGRAMS = Path(__file__).resolve().parent / "programs"

_ADDRESS = re.compile(r"at 0x[0-9a-fA-F]+")
# the location PyTorch's C++ warnings append (a path inside PyTorch's build tree, a line number, a full stop)
_TORCH_CPP_LOCATION = re.compile(r" \(Triggered internally at [^()\n]+:\d+\.\)")

# import-line rewrites, applied per line (leading indentation kept)
_IMPORT = re.compile(r"^(\s*)import (.*)$")
_FROM_IMPORT = re.compile(r"^(\s*)from torch((?:\.\w+)*) import (.*)$")
_PART = re.compile(r"^torch((?:\.\w+)*)(?: as (\w+))?$")


def _rewrite_import(indent: str, names: str) -> str:
    """``import numpy as np, torch.nn as nn`` -> the same with torch modules taken from ember."""
    parts, extra = [], []
    for part in (p.strip() for p in names.split(",")):
        m = _PART.match(part)
        if not m:
            parts.append(part)
        elif m.group(2):
            parts.append(f"ember{m.group(1)} as {m.group(2)}")
        else:
            # `import torch[.sub]` binds the name `torch` (and loads the submodule)
            parts.append("ember as torch")
            if m.group(1):
                extra.append(f"import ember{m.group(1)}")
    return indent + "; ".join(["import " + ", ".join(parts), *extra])


def rewrite(source: str) -> str:
    """Rewrite `torch` imports to the matching `ember` imports."""
    out = []
    for line in source.splitlines():
        code, hash_, comment = line.partition("#")
        m = _FROM_IMPORT.match(code)
        if m:
            indent, sub, names = m.groups()
            line = f"{indent}from ember{sub} import {names}{hash_}{comment}"
        elif (m := _IMPORT.match(code)) and re.search(r"\btorch\b", code):
            line = _rewrite_import(m.group(1), m.group(2).rstrip()) + (f"  {hash_}{comment}" if hash_ else "")
        out.append(line)
    return "\n".join(out) + "\n"


def normalise(text: str) -> str:
    """Blank out what legitimately differs between runs: object addresses."""
    return _ADDRESS.sub("at 0x?", text)


# a warning PyTorch raises about its own machinery, from a file inside the torch package (torch.func's linearize
# goes through torch.fx and torch.jit): the two lines Python prints for it say nothing about the program
_TORCH_INTERNAL_WARNING = re.compile(r"^\S*/site-packages/torch/\S+\.py:\d+: \w*Warning: .*\n(  .*\n)?", re.M)


def torch_side(text: str) -> str:
    """PyTorch's output without the C++ source location its warnings end with (ember does not print one), and
    without warnings about PyTorch's own internals."""
    return _TORCH_INTERNAL_WARNING.sub("", _TORCH_CPP_LOCATION.sub("", text))


def _run_one(path: Path, backend: str) -> str:
    """Exec one program in a fresh namespace; return its stdout+stderr."""
    source = path.read_text()
    if backend == "ember":
        source = rewrite(source)
    buf = io.StringIO()
    namespace = {"__name__": "__main__", "__file__": str(path)}
    # each program starts from the same state in both backends: PyTorch seeds its default generator from
    # the OS, so a program that draws without manual_seed would otherwise print different numbers per run
    mod = __import__(backend)
    mod.manual_seed(67280421310721)
    np.random.seed(0)
    with contextlib.redirect_stdout(buf), contextlib.redirect_stderr(buf), warnings.catch_warnings():
        warnings.resetwarnings()
        warnings.simplefilter("default")
        try:
            exec(compile(source, str(path), "exec"), namespace)  # noqa: S102  (running the corpus is the point)
        except SystemExit:
            pass
        except Exception as e:  # noqa: BLE001  (the program's own crash is part of its output)
            tb = traceback.extract_tb(e.__traceback__)
            where = next((f"line {f.lineno}" for f in reversed(tb) if f.filename == str(path)), "?")
            print(f"UNCAUGHT at {where}: {type(e).__name__}: {e}")
    # undo global settings a program may have changed
    mod.set_default_dtype(mod.float32)
    mod.set_printoptions(profile="default")
    mod.set_grad_enabled(True)
    return buf.getvalue()


def _worker(backend: str, paths: list[str]) -> None:
    """Run programs under one backend and print {name: output} as JSON."""
    results = {}
    for p in paths:
        results[p] = _run_one(Path(p), backend)
    sys.stdout.write(json.dumps(results))


def run_backends(paths: list[Path]) -> tuple[dict, dict]:
    """Run all programs under torch and ember in two parallel workers."""
    args = [str(p) for p in paths]
    procs = {
        b: subprocess.Popen(
            [sys.executable, __file__, "--worker", b, *args],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            # one thread each: the two workers share 2 cores (results do not depend on the count)
            env={**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"},
        )
        for b in ("torch", "ember")
    }
    out = {}
    for b, proc in procs.items():
        stdout, stderr = proc.communicate()
        if proc.returncode != 0:
            raise RuntimeError(f"{b} worker failed:\n{stderr}")
        out[b] = json.loads(stdout)
    return out["torch"], out["ember"]


def diff(expected: str, actual: str, name: str) -> list[str]:
    """Unified diff of normalised outputs (empty when identical); ``expected`` is PyTorch's."""
    return list(difflib.unified_diff(
        normalise(torch_side(expected)).splitlines(), normalise(actual).splitlines(),
        f"{name} (torch)", f"{name} (ember)", lineterm="",
    ))


def all_programs() -> list[Path]:
    return sorted(PROGRAMS.glob("*.py"))


def _select(names: list[str]) -> list[Path]:
    if not names:
        return all_programs()
    chosen = []
    for n in names:
        p = Path(n)
        if not p.exists():
            p = next(iter(sorted(PROGRAMS.glob(f"*{n}*.py"))), p)
        chosen.append(p.resolve())
    return chosen


def main(argv: list[str]) -> int:
    if argv[:1] == ["--worker"]:
        _worker(argv[1], argv[2:])
        return 0
    paths = _select(argv)
    torch_out, ember_out = run_backends(paths)
    failed = 0
    for p in paths:
        d = diff(torch_out[str(p)], ember_out[str(p)], p.name)
        if d:
            failed += 1
            print("\n".join(d))
            print()
    print(f"{len(paths) - failed}/{len(paths)} programs match")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
