"""Pytrees for ``ember.func`` and its companions: the tensors of a nested tuple/list/dict as a flat list of
leaves, and the spec that rebuilds the structure from them (``_unflatten(spec, leaves)``)."""

from __future__ import annotations

__all__ = ["_flatten", "_unflatten"]


def _flatten(x):
    """(leaves, spec): the tensors of a nested tuple/list/dict, and what rebuilds it from them."""
    if isinstance(x, (tuple, list)):
        leaves, specs = [], []
        for v in x:
            sub, spec = _flatten(v)
            leaves += sub
            specs.append((len(sub), spec))
        return leaves, (type(x), None, specs)
    if isinstance(x, dict):
        leaves, specs = [], []
        for v in x.values():
            sub, spec = _flatten(v)
            leaves += sub
            specs.append((len(sub), spec))
        return leaves, (dict, list(x.keys()), specs)
    return [x], None


def _unflatten(spec, leaves):
    if spec is None:
        return leaves[0]
    kind, keys, specs = spec
    parts, i = [], 0
    for n, sub in specs:
        parts.append(_unflatten(sub, leaves[i:i + n]))
        i += n
    if kind is dict:
        return dict(zip(keys, parts))
    return kind(parts) if kind is not tuple else tuple(parts)
