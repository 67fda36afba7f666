"""Record PyTorch's answer to every bad call of bad_calls.py: ``python tests/robust/record_bad_calls.py``.

Writes tests/fixtures/bad_calls.json (id -> [exception class name, message]), which test_bad_calls.py reads when
PyTorch is not installed, and tests/fixtures/gen_bad_calls.json: the same for the generated calls of gen_bad_calls.py
that PyTorch raises on (test_gen_bad_calls.py). Run it after changing CALLS or the generator.
"""

from __future__ import annotations

import json
import pathlib
import sys
import warnings

HERE = pathlib.Path(__file__).parent
sys.path.insert(0, str(HERE))
OUT = HERE.parent / "fixtures" / "bad_calls.json"
GEN_OUT = HERE.parent / "fixtures" / "gen_bad_calls.json"


def outcome(lib, call):
    """(class name, message) of what ``call(lib)`` raises, or None when it returns"""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            call(lib)
        except Exception as e:  # noqa: BLE001  (every error class is the point)
            return [type(e).__name__, str(e)]
    return None


def main():
    import torch
    from bad_calls import CALLS
    answers = {name: outcome(torch, call) for name, call in CALLS}
    OUT.write_text(json.dumps(answers, indent=1, sort_keys=True) + "\n")
    print(f"{len(answers)} answers -> {OUT}")
    from gen_bad_calls import all_calls
    calls = all_calls()
    gen = {name: got for name, call in calls if (got := outcome(torch, call)) is not None}
    GEN_OUT.write_text(json.dumps(gen, indent=0, sort_keys=True) + "\n")
    print(f"{len(calls)} generated calls, {len(gen)} raise in PyTorch -> {GEN_OUT}")


if __name__ == "__main__":
    main()
