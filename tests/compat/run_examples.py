"""The examples corpus: programs shaped like public PyTorch code, with PyTorch's output recorded.

Usage:
    python tests/compat/run_examples.py record [name-substring ...]   # run under torch, write expected/*.out
    python tests/compat/run_examples.py check  [name-substring ...]   # run under ember, diff against the record
    python tests/compat/run_examples.py verify [name-substring ...]   # run under torch, diff against the record

Each program in examples/ is an ordinary PyTorch script, written the way official tutorials, example
repositories, blog posts and small GPT trainers write theirs. `record` runs it under real PyTorch and stores
its stdout and stderr (object addresses blanked; warnings are part of the output) in
examples/expected/<name>.out, so the test compares ember against PyTorch's answer without torch installed. The
programs seed themselves; the runner also resets the global settings a program may change, so each starts from
the same state.
"""

from __future__ import annotations

import contextlib
import difflib
import io
import os
import sys
import tempfile
import traceback
import types
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run_corpus
import run_nn_corpus

EXAMPLES = Path(__file__).resolve().parent / "examples"
EXPECTED = EXAMPLES / "expected"


def programs(filters: list[str] | None = None) -> list[Path]:
    paths = sorted(EXAMPLES.glob("e*.py"))
    return [p for p in paths if not filters or any(f in p.name for f in filters)]


def expected_path(path: Path) -> Path:
    return EXPECTED / (path.stem + ".out")


def run(path: Path, backend: str) -> list[str]:
    """The program's normalised output lines under `backend` ("torch" or "ember")."""
    source = path.read_text()
    if backend == "ember":
        source = run_nn_corpus.rewrite_imports(source)
    mod = __import__(backend)
    try:
        text = _run_source(source, str(path))
        text = text.replace(str(path.parent), "<examples>")  # warnings name the program's file: where it lies varies
        if backend == "torch":  # PyTorch's C++ source locations and warnings about its own internals go
            text = run_corpus.torch_side(text)
        return run_nn_corpus.normalise(text)
    finally:
        mod.set_default_dtype(mod.float32)
        mod.set_printoptions(profile="default")
        mod.set_grad_enabled(True)


def _run_source(source: str, filename: str) -> str:
    """Execute `source` as __main__ in a fresh namespace and a temporary cwd; return what it printed on stdout
    and stderr (warnings shown once per place, as Python's default filter does), and a crash as the last line."""
    buffer = io.StringIO()
    # a real __main__ module for the run, so that pickle finds the program's own classes (torch.save(model))
    main = types.ModuleType("__main__")
    main.__file__ = filename
    namespace = main.__dict__
    saved_main = sys.modules.get("__main__")
    sys.modules["__main__"] = main
    cwd = os.getcwd()
    with (tempfile.TemporaryDirectory() as tmp, contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(buffer),
          warnings.catch_warnings()):
        warnings.resetwarnings()
        warnings.simplefilter("default")
        # printed to the program's stderr even where a caller records warnings (pytest does; they would vanish)
        warnings.showwarning = _show_warning
        os.chdir(tmp)
        try:
            exec(compile(source, filename, "exec"), namespace)  # noqa: S102 -- running the program is the point
        except BaseException:  # noqa: BLE001 -- a crash is part of the output to compare, not a runner failure
            print("UNCAUGHT " + traceback.format_exc().strip().splitlines()[-1])
        finally:
            os.chdir(cwd)
            sys.modules["__main__"] = saved_main
    return buffer.getvalue()


def _show_warning(message, category, filename, lineno, file=None, line=None):
    sys.stderr.write(warnings.formatwarning(message, category, filename, lineno, line))


def recorded(path: Path) -> list[str]:
    return expected_path(path).read_text().splitlines()


def diff(expected: list[str], actual: list[str], name: str, n: int = 1) -> list[str]:
    return list(difflib.unified_diff(expected, actual, f"{name} (torch)", f"{name} (ember)", lineterm="", n=n))


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("record", "check", "verify"):
        print(__doc__)
        return 2
    mode, filters = argv[0], argv[1:]
    failed = 0
    for path in programs(filters):
        if mode == "record":
            lines = run(path, "torch")
            if any(line.startswith("UNCAUGHT") for line in lines):
                print(f"CRASH {path.name}: {lines[-1]}")
                failed += 1
                continue
            expected_path(path).write_text("\n".join(lines) + "\n")
            print(f"rec   {path.name} ({len(lines)} lines)")
            continue
        actual = run(path, "ember" if mode == "check" else "torch")
        d = diff(recorded(path), actual, path.name, n=0)
        print(f"{'ok  ' if not d else 'DIFF'}  {path.name}")
        if d:
            failed += 1
            print("\n".join("      " + line for line in d[:40]))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
