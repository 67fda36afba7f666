"""Run the nn/training compatibility corpus under PyTorch and under ember and diff their stdout.

Usage: python tests/compat/run_nn_corpus.py [program-name-substring ...]

Each program in nn_programs/ is an ordinary PyTorch script. It runs twice in this process: as written (real
torch), and with its torch imports rewritten to ember. Only object addresses (`at 0x...`) are normalised before
the line-by-line comparison; everything else must match exactly.
"""

from __future__ import annotations

import contextlib
import difflib
import io
import os
import re
import sys
import tempfile
import traceback
from pathlib import Path

PROGRAMS = Path(__file__).resolve().parent / "nn_programs"

# `import torch`, `import torch.nn as nn`, `import torch.nn.functional as F`, `import torch, numpy as np`
_IMPORT = re.compile(r"^(?P<indent>\s*)import\s+(?P<names>.+?)\s*(?P<comment>#.*)?$")
_FROM = re.compile(r"^(?P<indent>\s*)from\s+torch(?P<sub>(\.\w+)*)\s+import\s+(?P<rest>.+)$")
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


def _rewrite_import_item(item: str) -> tuple[str, str | None]:
    """One `a.b as c` item of an import statement -> (rewritten item, extra binding or None)."""
    parts = item.split()
    module = parts[0]
    if module != "torch" and not module.startswith("torch."):
        return item, None
    ember_module = "ember" + module[len("torch"):]
    if len(parts) == 3 and parts[1] == "as":
        return f"{ember_module} as {parts[2]}", None
    if module == "torch":
        return "ember as torch", None
    # `import torch.nn` binds the name `torch` to the top package: import the submodule, then bind torch to ember.
    return ember_module, "torch = ember"


def rewrite_imports(source: str) -> str:
    """Rewrite every import of torch (or a torch submodule) in `source` to the same import from ember."""
    out = []
    for line in source.splitlines():
        match = _FROM.match(line)
        if match:
            out.append(f"{match['indent']}from ember{match['sub']} import {match['rest']}")
            continue
        match = _IMPORT.match(line)
        if match and re.search(r"\btorch\b", match["names"]):
            items, extra = [], []
            for item in match["names"].split(","):
                new, binding = _rewrite_import_item(item.strip())
                items.append(new)
                if binding and binding not in extra:
                    extra.append(binding)
            line = f"{match['indent']}import {', '.join(items)}"
            if extra:
                line += "; " + "; ".join(extra)
        out.append(line)
    return "\n".join(out) + "\n"


def run_source(source: str, filename: str) -> str:
    """Execute `source` as __main__ in a fresh namespace and a temporary cwd; return stdout (+ any traceback)."""
    buffer = io.StringIO()
    namespace = {"__name__": "__main__", "__file__": filename}
    cwd = os.getcwd()
    with tempfile.TemporaryDirectory() as tmp, contextlib.redirect_stdout(buffer):
        os.chdir(tmp)
        try:
            exec(compile(source, filename, "exec"), namespace)  # noqa: S102 -- running the program is the point
        except BaseException:  # noqa: BLE001 -- a crash is part of the output to compare, not a runner failure
            print("UNCAUGHT " + traceback.format_exc().strip().splitlines()[-1])
        finally:
            os.chdir(cwd)
    return buffer.getvalue()


def normalise(text: str) -> list[str]:
    return _ADDRESS.sub(" at 0x?", text).splitlines()


def compare(path: Path) -> tuple[list[str], list[str]]:
    """Run one program under torch and ember; return (torch lines, ember lines)."""
    source = path.read_text()
    expected = normalise(run_source(source, str(path)))
    actual = normalise(run_source(rewrite_imports(source), str(path)))
    return expected, actual


def programs(filters: list[str] | None = None) -> list[Path]:
    paths = sorted(PROGRAMS.glob("*.py"))
    return [p for p in paths if not filters or any(f in p.name for f in filters)]


def main(argv: list[str]) -> int:
    failed = 0
    differing_lines = 0
    for path in programs(argv):
        expected, actual = compare(path)
        if expected == actual:
            print(f"ok    {path.name}")
            continue
        failed += 1
        diff = list(difflib.unified_diff(expected, actual, "torch", "ember", lineterm="", n=0))
        differing_lines += sum(1 for d in diff if d.startswith("-") and not d.startswith("---"))
        print(f"DIFF  {path.name}")
        print("\n".join("      " + d for d in diff[:40]))
    total = len(programs(argv))
    print(f"{total - failed}/{total} programs identical; {differing_lines} torch lines differ")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
