"""Every bad call of bad_calls.py raises PyTorch's exception class with PyTorch's message (live, or as recorded in
tests/fixtures/bad_calls.json by record_bad_calls.py)."""

from __future__ import annotations

import json
import pathlib
import sys

import pytest

import ember

HERE = pathlib.Path(__file__).parent
sys.path.insert(0, str(HERE))
from bad_calls import CALLS  # noqa: E402
from record_bad_calls import OUT, outcome  # noqa: E402

RECORDED = json.loads(OUT.read_text())
# calls whose answer still differs from PyTorch's, and where the fix belongs; this list may only shrink
KNOWN: dict = {}  # bad calls whose error is not yet PyTorch's (name: where the fix belongs)


def same(got, want) -> bool:
    """ember's outcome equals PyTorch's: both raise, the same class name and the same message"""
    return got is not None and want is not None and got == want


@pytest.mark.parametrize("name", [n for n, _ in CALLS if n not in KNOWN])
def test_bad_call_raises_what_pytorch_raises(name):
    call = dict(CALLS)[name]
    want = RECORDED[name]
    assert want is not None, f"{name}: PyTorch does not raise on it (fix the corpus)"
    got = outcome(ember, call)
    assert same(got, want), f"{name}:\n  ember:   {got}\n  PyTorch: {want}"


def test_the_known_list_only_shrinks():
    fixed = [n for n in KNOWN if same(outcome(ember, dict(CALLS)[n]), RECORDED[n])]
    assert not fixed, f"now equal to PyTorch: remove from KNOWN: {fixed}"


def test_the_recorded_answers_are_pytorchs():
    torch = pytest.importorskip("torch")
    stale = [n for n, call in CALLS if outcome(torch, call) != RECORDED.get(n)]
    assert not stale, f"re-run python tests/robust/record_bad_calls.py: {stale}"


def test_the_comparison_rejects_wrong_answers():
    want = ["RuntimeError", "mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)"]
    assert same(list(want), want)
    assert not same(None, want)                                            # no error at all
    assert not same(["ValueError", want[1]], want)                         # another class
    assert not same(["RuntimeError", "shapes cannot be multiplied"], want)  # another message
    assert outcome(ember, lambda L: L.ones(2)) is None
    assert outcome(ember, lambda L: L.ones(2) @ L.ones(3)) == \
        ["RuntimeError", "inconsistent tensor size, expected tensor [2] and src [3] to have the same number of "
                         "elements, but got 2 and 3 elements respectively"]
