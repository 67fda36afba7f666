"""The generated bad calls of gen_bad_calls.py: PyTorch's exception class and message (recorded in
tests/fixtures/gen_bad_calls.json by record_bad_calls.py), and no state changed by a bad call on a stateful object.

``KNOWN`` (tests/fixtures/gen_bad_calls_known.json) lists the calls whose answer is not yet PyTorch's: "message"
(the class is PyTorch's, the message differs) or "class" (another class, or no error). It may only shrink: after a
fix, ``python tests/robust/test_gen_bad_calls.py`` rewrites it from ember's answers, and refuses to add a call.
"""

from __future__ import annotations

import json
import pathlib
import sys
import warnings

import pytest

import ember

HERE = pathlib.Path(__file__).parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
import gen_bad_calls as G  # noqa: E402
from record_bad_calls import GEN_OUT, outcome  # noqa: E402
from test_state_untouched import assert_same, world  # noqa: E402

KNOWN_FILE = HERE.parent / "fixtures" / "gen_bad_calls_known.json"
RECORDED = json.loads(GEN_OUT.read_text())
KNOWN = json.loads(KNOWN_FILE.read_text())
CALLS = dict(G.all_calls())
# exception classes that are NumPy's or Python's internals: never PyTorch's answer to a bad argument
INTERNAL = {"AttributeError", "AxisError", "UFuncTypeError", "UFuncNoLoopError", "IsADirectoryError",
            "_UFuncNoLoopError", "UnboundLocalError", "NameError"}


def grade(got, want) -> str:
    """'same' (class and message), 'message' (the class only) or 'class' (another class, or no error)"""
    if got is not None and got == want:
        return "same"
    if got is not None and got[0] == want[0]:
        return "message"
    return "class"


RANK = {"same": 0, "message": 1, "class": 2}


def grades():
    return {n: grade(outcome(ember, CALLS[n]), want) for n, want in RECORDED.items()}


def test_every_recorded_call_is_generated():
    assert set(RECORDED) <= set(CALLS), "re-run python tests/robust/record_bad_calls.py"
    assert set(KNOWN) <= set(RECORDED)


def test_generated_calls_raise_what_pytorch_raises():
    worse = []
    for n, g in grades().items():
        if RANK[g] > RANK[KNOWN.get(n, "same")]:
            worse.append((n, g, outcome(ember, CALLS[n]), RECORDED[n]))
    assert not worse, "\n".join(f"{n} ({g}):\n  ember:   {e}\n  PyTorch: {w}" for n, g, e, w in worse[:20])


def test_the_known_list_only_shrinks():
    better = [n for n, g in grades().items() if n in KNOWN and RANK[g] < RANK[KNOWN[n]]]
    assert not better, f"now closer to PyTorch: run python tests/robust/test_gen_bad_calls.py: {better[:20]}"


def test_no_internal_exception_escapes():
    leaks = []
    for n in RECORDED:
        got = outcome(ember, CALLS[n])
        if got is not None and got[0] in INTERNAL and got[0] != RECORDED[n][0] and KNOWN.get(n) != "class":
            leaks.append((n, got))
    assert not leaks, leaks[:20]  # (the KNOWN ones are listed there by class; they too may only go)


def _state_row(lib, make, bad):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ctx = make(lib)
        before = world(ctx, lib)
        try:
            bad(lib, ctx)
        except Exception:  # noqa: BLE001, S110  (the error is compared elsewhere; here the state)
            pass
        after = world(ctx, lib)
    try:
        assert_same(before, after)
    except AssertionError as e:
        return str(e)
    return None


@pytest.mark.parametrize("row", [r for r in G.STATEFUL if r[0] in RECORDED], ids=lambda r: r[0])
def test_a_bad_call_on_a_stateful_object_changes_nothing(row):
    name, make, bad = row
    changed = _state_row(ember, make, bad)
    assert changed is None, f"{name}: {changed}"


def test_the_state_check_sees_a_change():
    assert _state_row(ember, G._leaf, lambda L, c: (c["x"].grad.mul_(2), c["x"].exp_())) is not None
    assert _state_row(ember, G._plain, lambda L, c: (c["x"].add_(0), c["x"].add_("a"))) is not None  # version only
    assert _state_row(ember, G._plain, lambda L, c: c["x"].add_("a")) is None


def test_the_grading_rejects_wrong_answers():
    want = ["IndexError", "Dimension out of range (expected to be in range of [-2, 1], but got 9)"]
    assert grade(list(want), want) == "same"
    assert grade(["IndexError", "out of range"], want) == "message"
    assert grade(["AxisError", want[1]], want) == "class"
    assert grade(None, want) == "class"


def test_the_recorded_answers_are_pytorchs():
    torch = pytest.importorskip("torch")
    stale = [n for n, want in RECORDED.items() if outcome(torch, CALLS[n]) != want]
    assert not stale, f"re-run python tests/robust/record_bad_calls.py: {stale[:20]}"


def test_figures():
    """bad calls tried, same class and same message as PyTorch (printed with -s)"""
    g = grades()
    tally = {"generated": len(CALLS), "PyTorch raises": len(RECORDED), "same class": sum(v != "class" for v in
             g.values()), "same message": sum(v == "same" for v in g.values()),
             "stateful": sum(r[0] in RECORDED for r in G.STATEFUL)}
    print(tally)


def _update_known():
    new = {n: g for n, g in sorted(grades().items()) if g != "same"}
    added = [n for n in new if RANK[new[n]] > RANK[KNOWN.get(n, "same")]]
    if KNOWN and added:
        raise SystemExit(f"refusing: these calls got worse: {added[:20]}")
    KNOWN_FILE.write_text(json.dumps(new, indent=0, sort_keys=True) + "\n")
    print(f"{len(new)} known ({sum(v == 'class' for v in new.values())} by class) -> {KNOWN_FILE}")


if __name__ == "__main__":
    _update_known()
