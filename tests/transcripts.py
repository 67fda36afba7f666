"""Comparing a printed transcript with PyTorch's recorded one (tests/fixtures/*_torch.txt)."""

from __future__ import annotations

__all__ = ["first_difference"]


def first_difference(got: str, want: str):
    """The first line that differs (number, got, wanted; None for a missing line), or None when they agree."""
    g, w = got.splitlines(), want.splitlines()
    for i in range(max(len(g), len(w))):
        a, b = (g[i] if i < len(g) else None), (w[i] if i < len(w) else None)
        if a != b:
            return i + 1, a, b
    return None
