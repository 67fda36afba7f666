"""``torch.utils.data.graph``: the graph of a DataPipe pipeline, ``{id(dp): (dp, {id(source): (source, ...)})}``,
found through each pipe's state (its attributes, and the lists, tuples, sets and dicts among them)."""

from __future__ import annotations

import warnings

from .datapipes.datapipe import IterDataPipe, MapDataPipe

__all__ = ["DataPipe", "DataPipeGraph", "traverse", "traverse_dps"]

DataPipe = IterDataPipe | MapDataPipe
DataPipeGraph = dict


def _state(dp):
    state = dp.__getstate__() if hasattr(dp, "__getstate__") else vars(dp)
    if state is None:
        return ()
    if isinstance(state, dict):
        return list(state.values())
    if isinstance(state, (tuple, list)):
        return list(state)
    return [state]


def _connected(dp, only_datapipe: bool, seen: set) -> list:
    """The pipes ``dp`` holds directly (not through another pipe), each once."""
    found = []

    def visit(v, depth=0):
        if isinstance(v, (IterDataPipe, MapDataPipe)):
            if v is not dp and id(v) not in seen:
                seen.add(id(v))
                found.append(v)
            return
        if depth > 50:
            return
        if isinstance(v, dict):
            for x in v.values():
                visit(x, depth + 1)
        elif isinstance(v, (list, tuple, set, frozenset)):
            for x in v:
                visit(x, depth + 1)
        elif not only_datapipe and hasattr(v, "__dict__") and not isinstance(v, type) and not callable(v):
            for x in vars(v).values():
                visit(x, depth + 1)

    for v in _state(dp):
        visit(v)
    return found


def _traverse(datapipe, only_datapipe: bool, cache: set) -> DataPipeGraph:
    if not isinstance(datapipe, (IterDataPipe, MapDataPipe)):
        raise RuntimeError(f"Expected `IterDataPipe` or `MapDataPipe`, but {type(datapipe)} is found")
    dp_id = id(datapipe)
    if dp_id in cache:
        return {}
    cache.add(dp_id)
    children = {}
    for item in _connected(datapipe, only_datapipe, set(cache)):
        children.update(_traverse(item, only_datapipe, set(cache)))
    return {dp_id: (datapipe, children)}


def traverse_dps(datapipe) -> DataPipeGraph:
    """The graph of the pipeline ending in ``datapipe``: a nested dict keyed by ``id`` of each pipe, whose value
    is the pipe and the graph of its sources."""
    return _traverse(datapipe, True, set())


def traverse(datapipe, only_datapipe: bool | None = None) -> DataPipeGraph:
    """Deprecated (``traverse_dps``); ``only_datapipe=False`` also looks inside other attribute objects."""
    msg = "`traverse` function is deprecated and will be removed after 1.13. Please use `traverse_dps` instead."
    if not only_datapipe:
        msg += " And, the behavior will be changed to the equivalent of `only_datapipe=True`."
    warnings.warn(msg, FutureWarning, stacklevel=2)
    return _traverse(datapipe, bool(only_datapipe), set())
