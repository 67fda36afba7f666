"""PyTorch 2.13's public surface, name by name: each is in ember or on ember's explicit not-offered list.

The names come from tests/fixtures/torch_surface.json (recorded from the installed torch by
tests/make_torch_surface.py); what ember does not offer, and why, is ``ember._not_offered.NOT_OFFERED``, and
docs/not-offered.md is generated from it (``python tests/test_surface.py`` rewrites it). The test prints the
coverage figures (names present / user-facing names, type aliases and private names aside) and fails on a
name that is in neither, on a listed name that ember has after all (the list must shrink), and on a
not-offered name that does not raise the not-offered error.
"""

from __future__ import annotations

import importlib
import json
import pathlib
import sys

import pytest

import ember
from ember import _not_offered

ROOT = pathlib.Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "torch_surface.json"
DOC = ROOT / "docs" / "not-offered.md"
SURFACE = json.loads(FIXTURE.read_text())
USER_KINDS = set(SURFACE["user_kinds"])


def _namespace(ns: str):
    if ns == "torch":
        return ember
    if ns == "Tensor":
        return ember.Tensor
    return importlib.import_module(f"ember.{ns}")


def _split(qualname: str) -> tuple:
    """"torch.stft" -> ("torch", "stft"); "nn.functional.grid_sample" -> ("nn.functional", "grid_sample")."""
    if qualname.startswith(("torch.", "Tensor.")):
        return tuple(qualname.split(".", 1))
    return tuple(qualname.rsplit(".", 1))


def _has(obj, name: str) -> bool:
    """Whether ember really has ``obj.name`` (a not-offered placeholder or error does not count)."""
    try:
        value = getattr(obj, name)
    except AttributeError:  # NotOfferedError is one too
        return False
    if isinstance(obj, type):
        value = obj.__dict__.get(name, value)
    return not _not_offered.is_placeholder(value)


def classify(surface: dict, not_offered: dict) -> dict:
    """Per namespace: the names ember has, those on the list, those in neither, and listed names it has."""
    report = {}
    for ns, names in surface.items():
        obj = _namespace(ns)
        has, listed, neither, stale = [], [], [], []
        for name, kind in names.items():
            if kind not in USER_KINDS:
                continue
            present, on_list = _has(obj, name), f"{ns}.{name}" in not_offered
            (has if present else listed if on_list else neither).append(name)
            if present and on_list:
                stale.append(name)
        report[ns] = {"has": has, "listed": listed, "neither": neither, "stale": stale}
    return report


def _figures(report: dict) -> list[str]:
    lines = ["", "PyTorch 2.13 public names present in ember (type aliases and private names aside):"]
    for ns, r in report.items():
        total = len(r["has"]) + len(r["listed"]) + len(r["neither"])
        lines.append(f"  {ns:20s} {len(r['has']):4d}/{total:<4d} {100 * len(r['has']) / max(total, 1):5.1f}%   "
                     f"not offered {len(r['listed'])}")
    kinds = SURFACE["namespaces"]["torch"]
    for label, wanted in (("torch.* callables", {"function", "class"}), ("torch.* values", {"value"}),
                          ("torch.* modules", {"module"})):
        names = [n for n, k in kinds.items() if k in wanted]
        present = sum(n in report["torch"]["has"] for n in names)
        lines.append(f"  {label:20s} {present:4d}/{len(names):<4d} {100 * present / max(len(names), 1):5.1f}%")
    return lines


@pytest.fixture(scope="module")
def report():
    return classify(SURFACE["namespaces"], _not_offered.NOT_OFFERED)


def test_every_name_is_in_ember_or_not_offered(report, capsys):
    with capsys.disabled():
        print("\n".join(_figures(report)))
    neither = {ns: r["neither"] for ns, r in report.items() if r["neither"]}
    assert not neither, f"in neither ember nor ember._not_offered.NOT_OFFERED: {neither}"


def test_the_list_has_no_name_ember_has(report):
    stale = {ns: r["stale"] for ns, r in report.items() if r["stale"]}
    assert not stale, f"ember has these now: remove them from ember._not_offered (and regenerate the doc): {stale}"


def test_the_list_names_only_pytorch_names():
    known = {f"{ns}.{n}" for ns, names in SURFACE["namespaces"].items() for n in names}
    assert sorted(set(_not_offered.NOT_OFFERED) - known) == []


def test_not_offered_names_raise_a_clear_error():
    """Each listed name raises NotOfferedError saying ember does not offer it and why; hasattr() is False for
    module names (feature tests keep working) and True for Tensor methods (an attribute that raises when
    called), as PyTorch has them."""
    t = ember.zeros(2)
    for qualname, why in _not_offered.NOT_OFFERED.items():
        ns, name = _split(qualname)
        with pytest.raises(NotImplementedError) as info:
            if ns == "Tensor":
                value = getattr(t, name)  # a property raises here, a method when called
                value()
            else:
                getattr(_namespace(ns), name)
        assert isinstance(info.value, AttributeError) and type(info.value).__name__ == "NotOfferedError"
        assert f"ember does not offer torch.{qualname.removeprefix('torch.')}: {why}" == str(info.value)
        if ns != "Tensor":
            assert not hasattr(_namespace(ns), name)


def test_names_pytorch_lacks_stay_plain_attribute_errors():
    for obj, name in ((ember, "no_such_function"), (ember.nn, "Linaer"), (ember.Tensor, "sumn")):
        assert not hasattr(obj, name)
        with pytest.raises(AttributeError) as info:
            getattr(obj, name)
        assert type(info.value) is AttributeError and "has no attribute" in str(info.value)


def test_the_checker_rejects_what_it_should(report):
    """A made-up PyTorch name that ember lacks is reported as in neither; a name ember has that is also
    listed is reported as stale; a name on the list is not reported."""
    fake = {"torch": {"add": "function", "definitely_not_in_ember": "function", "lobpcg": "function"}}
    listed = {"torch.add": "x", "torch.lobpcg": "x"}
    r = classify(fake, listed)["torch"]
    assert r["neither"] == ["definitely_not_in_ember"] and r["stale"] == ["add"] and r["listed"] == ["lobpcg"]
    assert "definitely_not_in_ember" not in report["torch"]["neither"]


def test_the_document_is_current():
    assert DOC.read_text() == _not_offered.render_markdown(), \
        "docs/not-offered.md is out of date: run `python tests/test_surface.py` to regenerate it"


def test_placeholders_never_hide_an_implementation():
    """A placeholder is only put where the class has nothing; the Tensor methods bound from ember.ops win."""
    for qualname in _not_offered.NOT_OFFERED:
        if qualname.startswith("Tensor."):
            assert _not_offered.is_placeholder(ember.Tensor.__dict__[qualname[7:]])


if __name__ == "__main__":  # regenerate docs/not-offered.md
    DOC.write_text(_not_offered.render_markdown())
    print(f"wrote {DOC}", file=sys.stderr)
