"""Every public op is in the catalogue, or named in an exclusion with a reason (catalogue_exclusions.py)."""

from __future__ import annotations

import importlib
import pathlib

import catalogue_exclusions as X
from catalogue_surface import public_names

FAMILIES = sorted(p.stem for p in pathlib.Path(__file__).parent.glob("catalogue_*.py")
                  if p.stem not in ("catalogue_checks", "catalogue_surface", "catalogue_exclusions"))


def covered() -> set:
    return {n for f in FAMILIES for e in importlib.import_module(f).ENTRIES for n in e.covers}


def test_every_public_op_is_catalogued_or_excluded():
    names = public_names()
    cov = covered()
    missing = sorted(n for n in names if n not in cov and n not in X.EXCLUDED and n not in X.PENDING)
    assert not missing, f"{len(missing)} public ops are neither catalogued nor excluded: {missing[:40]}"
    print(f"\ncatalogue coverage: {len(cov & set(names))} of {len(names)} public names catalogued, "
          f"{len(set(X.EXCLUDED) & set(names))} excluded, {len(set(X.PENDING) & set(names))} pending")


def test_the_pending_list_only_shrinks():
    """A pending name that is now catalogued (or no longer public) must leave the list."""
    names, cov = public_names(), covered()
    stale = sorted(n for n in X.PENDING if n in cov or n not in names)
    assert not stale, f"remove from catalogue_exclusions.PENDING: {stale[:40]}"


def test_exclusions_give_reasons_and_are_not_catalogued():
    cov = covered()
    for name, reason in X.EXCLUDED.items():
        assert isinstance(reason, str) and len(reason) > 10, f"{name}: give a reason"
        assert name not in cov, f"{name} is catalogued: drop its exclusion"


def test_the_coverage_test_can_fail(monkeypatch):
    monkeypatch.setattr(X, "PENDING", {})
    monkeypatch.setattr(X, "EXCLUDED", {})
    try:
        test_every_public_op_is_catalogued_or_excluded()
    except AssertionError:
        return
    raise AssertionError("the coverage test passed with no exclusions although ops are uncatalogued")
