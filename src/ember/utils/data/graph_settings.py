"""``torch.utils.data.graph_settings``: settings applied over a DataPipe graph (sharding, shuffling, seeds),
as the DataLoader applies them."""

from __future__ import annotations

import inspect
import warnings

from .datapipes.iter import SHARDING_PRIORITIES, ShardingFilterIterDataPipe
from .graph import traverse_dps
from .sampler import _draw_seed

__all__ = ["apply_random_seed", "apply_sharding", "apply_shuffle_seed", "apply_shuffle_settings",
           "get_all_graph_pipes", "SHARDING_PRIORITIES"]


def get_all_graph_pipes(graph) -> list:
    """Every pipe of the graph, once, from the end of the pipeline back to its sources."""
    out, seen = [], set()

    def walk(g):
        for dp_id, (dp, sub) in g.items():
            if dp_id in seen:
                continue
            seen.add(dp_id)
            out.append(dp)
            walk(sub)

    walk(graph)
    return out


def _is_sharding(dp) -> bool:
    return isinstance(dp, ShardingFilterIterDataPipe) or (hasattr(dp, "apply_sharding") and
                                                            inspect.ismethod(dp.apply_sharding))


def apply_sharding(datapipe, num_of_instances: int, instance_id: int,
                   sharding_group=SHARDING_PRIORITIES.DEFAULT):
    """Give each sharding pipe (``sharding_filter``) its shard; two on one branch raise RuntimeError."""
    graph = traverse_dps(datapipe)

    def helper(g, prev=None):
        for dp, sub in g.values():
            applied = None
            if _is_sharding(dp):
                if prev is not None:
                    raise RuntimeError("Sharding twice on a single pipeline is likely unintended and will cause data "
                                       f"loss. Sharding already applied to {prev} while trying to apply to {dp}")
                if len(inspect.signature(dp.apply_sharding).parameters) < 3:
                    dp.apply_sharding(num_of_instances, instance_id)
                else:
                    dp.apply_sharding(num_of_instances, instance_id, sharding_group=sharding_group)
                applied = dp
            helper(sub, applied if applied is not None else prev)

    helper(graph)
    return datapipe


def _is_shuffle(dp) -> bool:
    return (hasattr(dp, "set_shuffle") and hasattr(dp, "set_seed") and inspect.ismethod(dp.set_shuffle)
            and inspect.ismethod(dp.set_seed))


def apply_shuffle_settings(datapipe, shuffle: bool | None = None):
    """Turn every shuffler of the graph on or off (None: leave them); with shuffle=True and none there, one
    is added at the end (with PyTorch's warning)."""
    if shuffle is None:
        return datapipe
    shufflers = [p for p in get_all_graph_pipes(traverse_dps(datapipe)) if _is_shuffle(p)]
    if not shufflers and shuffle:
        warnings.warn("`shuffle=True` was set, but the datapipe does not contain a `Shuffler`. Adding one at the "
                      "end. Be aware that the default buffer size might not be sufficient for your task.",
                      stacklevel=2)
        datapipe = datapipe.shuffle()
        shufflers = [datapipe]
    for s in shufflers:
        s.set_shuffle(shuffle)
    return datapipe


def apply_random_seed(datapipe, rng):
    """Give each random pipe (one with ``set_seed``) a seed drawn from the generator ``rng``, in graph order."""
    seen, pipes = set(), []
    for p in get_all_graph_pipes(traverse_dps(datapipe)):
        if id(p) not in seen and hasattr(p, "set_seed") and inspect.ismethod(p.set_seed):
            pipes.append(p)
            seen.add(id(p))
    for p in pipes:
        p.set_seed(_draw_seed(rng))
    return datapipe


def apply_shuffle_seed(datapipe, rng):
    warnings.warn("`apply_shuffle_seed` is deprecated since 1.12 and will be removed in the future releases. "
                  "Please use `apply_random_seed` instead.", FutureWarning, stacklevel=2)
    return apply_random_seed(datapipe, rng)
