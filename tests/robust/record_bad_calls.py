"""Record PyTorch's answer to every bad call of bad_calls.py: ``python tests/robust/record_bad_calls.py``.

Writes tests/fixtures/bad_calls.json (id -> [exception class name, message]), which test_bad_calls.py reads when
PyTorch is not installed. Run it after changing CALLS.
"""

from __future__ import annotations

import json
import pathlib
import sys
import warnings

HERE = pathlib.Path(__file__).parent
sys.path.insert(0, str(HERE))
OUT = HERE.parent / "fixtures" / "bad_calls.json"


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


if __name__ == "__main__":
    main()
