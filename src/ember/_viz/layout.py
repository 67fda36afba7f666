"""A layered (Sugiyama-style) layout in pure Python, for when the Graphviz program is not installed.

1. layers: longest path from the sinks, so every edge points down one or more layers;
2. long edges are cut into one-layer pieces through invisible dummy points (so they can bend around nodes);
3. order within a layer: barycenter sweeps down and up, keeping the best order seen (fewest crossings);
4. x: nodes pulled towards the mean x of their neighbours, then pushed apart to their minimum gaps.

Everything is a whole-list pass per layer; 500 nodes lay out in a fraction of a second.
"""

from __future__ import annotations

import itertools
from collections import defaultdict

__all__ = ["DUMMY_WIDTH", "LAYER_GAP", "NODE_GAP", "layout"]


LAYER_GAP = 56.0   # vertical space between the bottom of one layer and the top of the next
NODE_GAP = 22.0    # horizontal space between neighbours in a layer
DUMMY_WIDTH = 8.0  # the width an edge passing through a layer takes


def layout(nodes: list, edges: list) -> tuple[float, float]:
    """Set ``x, y`` (centres) on every node and ``points`` on every edge; return the drawing's (width, height).

    ``nodes`` have ``id, w, h``; ``edges`` have ``src, dst`` (node ids) and get ``points`` (a list of (x, y)).
    """
    if not nodes:
        return 0.0, 0.0
    by_id = {n.id: n for n in nodes}
    succ = defaultdict(list)
    pred = defaultdict(list)
    for e in edges:
        succ[e.src].append(e.dst)
        pred[e.dst].append(e.src)

    rank = _longest_path_ranks([n.id for n in nodes], succ, pred)
    # pull sources (leaves, saved tensors) down to just above their first consumer: short edges read better
    for n in nodes:
        if not pred[n.id] and succ[n.id]:
            rank[n.id] = min(rank[d] for d in succ[n.id]) - 1

    # -- dummy points for edges spanning several layers --------------------------------------------------------
    chains = {}  # edge index -> list of ids from src to dst (dummies in between)
    width = {n.id: n.w for n in nodes}
    down = defaultdict(list)  # one-layer adjacency, including dummies
    up = defaultdict(list)
    dummy_rank = {}
    for i, e in enumerate(edges):
        chain = [e.src]
        for r in range(rank[e.src] + 1, rank[e.dst]):
            d = ("dummy", i, r)
            dummy_rank[d] = r
            width[d] = DUMMY_WIDTH
            chain.append(d)
        chain.append(e.dst)
        chains[i] = chain
        for a, b in itertools.pairwise(chain):
            down[a].append(b)
            up[b].append(a)

    all_rank = dict(rank)
    all_rank.update(dummy_rank)
    n_layers = max(all_rank.values()) - min(all_rank.values()) + 1
    base = min(all_rank.values())
    layers: list[list] = [[] for _ in range(n_layers)]
    for v, r in all_rank.items():
        layers[r - base].append(v)

    _order(layers, down, up)
    xs = _coordinates(layers, down, up, width)

    # -- y from the tallest node of each layer ----------------------------------------------------------------
    heights = [max((by_id[v].h for v in layer if v in by_id), default=0.0) for layer in layers]
    ys, y = [], 20.0
    for h in heights:
        ys.append(y + h / 2)
        y += h + LAYER_GAP
    total_h = y - LAYER_GAP + 20.0

    min_x = min(xs[v] - width[v] / 2 for v in xs)
    shift = 20.0 - min_x
    for n in nodes:
        n.x = xs[n.id] + shift
        n.y = ys[rank[n.id] - base]
    for i, e in enumerate(edges):
        src, dst = by_id[e.src], by_id[e.dst]
        pts = [(src.x, src.y + src.h / 2)]
        for d in chains[i][1:-1]:
            pts.append((xs[d] + shift, ys[dummy_rank[d] - base]))
        pts.append((dst.x, dst.y - dst.h / 2))
        e.points = pts
    _spread_ports(nodes, edges)
    total_w = max(xs[v] + width[v] / 2 for v in xs) + shift + 20.0
    return total_w, total_h


def _spread_ports(nodes, edges) -> None:
    """Spread the arrows meeting one box along its edge, ordered by where they come from, so they never merge."""
    ins = defaultdict(list)
    outs = defaultdict(list)
    for e in edges:
        outs[e.src].append(e)
        ins[e.dst].append(e)
    for n in nodes:
        for group, end, near in ((ins[n.id], -1, -2), (outs[n.id], 0, 1)):
            k = len(group)
            if k < 2:
                continue
            group.sort(key=lambda e: e.points[near][0])
            step = min(18.0, n.w * 0.8 / (k - 1))
            for i, e in enumerate(group):
                _x, y = e.points[end]
                e.points[end] = (n.x + (i - (k - 1) / 2) * step, y)


def _longest_path_ranks(ids, succ, pred) -> dict:
    """Rank = minus the longest path to a sink, so sinks share the bottom layer (Kahn's order, no recursion)."""
    out_deg = {v: len(succ[v]) for v in ids}
    dist = {v: 0 for v in ids}
    ready = [v for v in ids if out_deg[v] == 0]
    while ready:
        v = ready.pop()
        for p in pred[v]:
            dist[p] = max(dist[p], dist[v] + 1)
            out_deg[p] -= 1
            if out_deg[p] == 0:
                ready.append(p)
    top = max(dist.values())
    return {v: top - d for v, d in dist.items()}


def _crossings(layers, down) -> int:
    """Edge crossings between consecutive layers (counted pairwise; the layers here are small)."""
    total = 0
    for upper, lower in itertools.pairwise(layers):
        pos = {v: i for i, v in enumerate(lower)}
        ends = []
        for i, v in enumerate(upper):
            for w in down[v]:
                if w in pos:
                    ends.append((i, pos[w]))
        ends.sort()
        # inversions in the lower positions = crossings (insertion count via a Fenwick tree)
        size = len(lower) + 1
        tree = [0] * (size + 1)
        for seen, (_, p) in enumerate(ends):
            j, le = p + 1, 0
            while j > 0:
                le += tree[j]
                j -= j & -j
            total += seen - le
            j = p + 1
            while j <= size:
                tree[j] += 1
                j += j & -j
    return total


def _order(layers, down, up, sweeps: int = 6) -> None:
    """Barycenter heuristic: sort each layer by the mean position of its neighbours in the layer before."""
    best = [list(layer) for layer in layers]
    best_c = _crossings(layers, down)
    for s in range(sweeps):
        if best_c == 0:
            break
        rng = range(1, len(layers)) if s % 2 == 0 else range(len(layers) - 2, -1, -1)
        adj = up if s % 2 == 0 else down
        for li in rng:
            ref = layers[li - 1] if s % 2 == 0 else layers[li + 1]
            pos = {v: i for i, v in enumerate(ref)}
            layer = layers[li]
            keyed = []
            for i, v in enumerate(layer):
                nb = [pos[w] for w in adj[v] if w in pos]
                keyed.append((sum(nb) / len(nb) if nb else float(i), i, v))
            keyed.sort(key=lambda k: (k[0], k[1]))
            layers[li] = [v for _, _, v in keyed]
        c = _crossings(layers, down)
        if c < best_c:
            best_c, best = c, [list(layer) for layer in layers]
    layers[:] = best


def _coordinates(layers, down, up, width) -> dict:
    """x centres: start packed, then alternate 'move towards neighbours' and 'restore the minimum gaps'."""
    xs = {}
    for layer in layers:
        x = 0.0
        for v in layer:
            xs[v] = x + width[v] / 2
            x += width[v] + NODE_GAP
    # centre every layer on the widest one
    spans = [(xs[layer[-1]] + width[layer[-1]] / 2) if layer else 0.0 for layer in layers]
    widest = max(spans)
    for layer, span in zip(layers, spans):
        for v in layer:
            xs[v] += (widest - span) / 2
    for it in range(8):
        order = range(len(layers)) if it % 2 == 0 else range(len(layers) - 1, -1, -1)
        for li in order:
            layer = layers[li]
            want = []
            for v in layer:
                nb = [xs[w] for w in up[v]] + [xs[w] for w in down[v]]
                want.append(sum(nb) / len(nb) if nb else xs[v])
            _place(layer, want, width, xs)
    return xs


def _place(layer, want, width, xs) -> None:
    """Put the layer's nodes as near ``want`` as their order and gaps allow (sweep right, then left, average)."""
    n = len(layer)
    if n == 0:
        return
    gap = [(width[layer[i]] + width[layer[i + 1]]) / 2 + NODE_GAP for i in range(n - 1)]
    right = list(want)
    for i in range(1, n):
        right[i] = max(right[i], right[i - 1] + gap[i - 1])
    left = list(want)
    for i in range(n - 2, -1, -1):
        left[i] = min(left[i], left[i + 1] - gap[i])
    pos = [(a + b) / 2 for a, b in zip(right, left)]
    for i in range(1, n):  # the average of two feasible placements can still crowd: fix left to right
        pos[i] = max(pos[i], pos[i - 1] + gap[i - 1])
    for v, x in zip(layer, pos):
        xs[v] = x
