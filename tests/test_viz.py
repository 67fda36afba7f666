"""ember.viz.draw_graph: structure and shapes against PyTorch's own graph, rendering without Graphviz."""

import itertools
import time
import xml.etree.ElementTree as ET

import numpy as np
import pytest

import ember
from ember import viz
from ember._viz.graph import infer_shapes, walk

torch = pytest.importorskip("torch")


def _programs(lib, rng):
    """(output, named leaves) for a few graphs, built the same way in ember and torch from the same values."""
    def t(a):
        return lib.tensor(a, requires_grad=True)

    xa, ya = rng.standard_normal(3), rng.standard_normal((2, 1))
    x, y = t(xa), t(ya)
    yield (x * y + y ** 2).sum(), {"x": x, "y": y}  # seed 002: broadcasting
    W, b, inp = t(rng.standard_normal((4, 3))), t(rng.standard_normal(4)), lib.tensor(rng.standard_normal((5, 3)))
    h = lib.tanh(inp @ W.t() + b)
    yield (h.exp().mean(dim=1) / h.sum()).sum(), {"W": W, "b": b}
    a = t(rng.uniform(0.5, 2.0, (2, 3)))
    yield (lib.sigmoid(a).transpose(0, 1).reshape(6) * a.permute(1, 0).reshape(6)).max(), {"a": a}


def _torch_shapes(out):
    """PyTorch as the oracle: the gradient arriving at each node has that node's output shape."""
    seen, order, stack = set(), [], [out.grad_fn]
    while stack:
        n = stack.pop()
        if n is None or id(n) in seen:
            continue
        seen.add(id(n))
        order.append(n)
        stack.extend(f for f, _ in n.next_functions)
    got = {}
    for n in order:
        if type(n).__name__ != "AccumulateGrad":
            n.register_prehook(lambda g, n=n: got.__setitem__(id(n), tuple(g[0].shape)) and None)
    out.backward(retain_graph=True)
    return got


def _paired(e_out, t_out):
    """Walk both graphs in step (same edges in the same order) and pair up their nodes."""
    pairs, stack, seen = [], [(e_out.grad_fn, t_out.grad_fn)], set()
    while stack:
        e, t = stack.pop()
        if id(e) in seen:
            continue
        seen.add(id(e))
        assert e.name() == type(t).__name__
        pairs.append((e, t))
        # ember lists a (None, 0) edge for a scalar operand where PyTorch lists none: compare the real edges
        ef = [f for f, _ in e.next_functions if f is not None]
        tf = [f for f, _ in t.next_functions if f is not None]
        assert len(ef) == len(tf), e.name()
        for en, tn in zip(ef, tf):
            if type(en).__name__ != "AccumulateGrad":
                stack.append((en, tn))
    return pairs


@pytest.mark.parametrize("seed", [0, 1])
def test_graph_and_shapes_match_torch(seed):
    e_progs = list(_programs(ember, np.random.default_rng(seed)))
    t_progs = list(_programs(torch, np.random.default_rng(seed)))
    for (e_out, e_names), (t_out, _) in zip(e_progs, t_progs):
        pairs = _paired(e_out, t_out)
        want = _torch_shapes(t_out)
        shapes = infer_shapes([e_out], walk([e_out]))
        for e, t in pairs:
            assert shapes.get(("n", id(e), 0)) == want[id(t)], e.name()
        g = viz.draw_graph(e_out, params=e_names, engine="ember")
        ops = sorted(n.title for n in g.nodes if n.kind == "op")
        assert ops == sorted(type(t).__name__ for _, t in pairs)
        assert sorted(n.title for n in g.nodes if n.kind == "leaf") == sorted(e_names)


def test_broadcast_edges_and_values_seed_002():
    x = ember.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = ember.tensor([[4.0], [5.0]], requires_grad=True)
    z = x * y + y ** 2
    s = z.sum()
    s.backward(retain_graph=True)
    g = viz.draw_graph(s, params={"x": x, "y": y}, show_values=True, show_grads=True, engine="ember")
    labels = sorted(e.label for e in g.edges if e.style == "bcast")
    # hand-derived: x (3,) and y (2, 1) are broadcast to (2, 3) by the product; y**2 (2, 1) by the sum
    assert labels == ["Σ→(2, 1)", "Σ→(2, 1)", "Σ→(3,)"]
    leaf_x = next(n for n in g.nodes if n.title == "x")
    text = " ".join(t for t, _ in leaf_x.lines)
    assert "[9., 9., 9.]" in text  # dz/dx summed over the two rows of y: 4 + 5
    out = next(n for n in g.nodes if n.kind == "output")
    assert "177." in " ".join(t for t, _ in out.lines)


def test_svg_png_dot_without_graphviz(tmp_path):
    x = ember.tensor([0.5, -1.0], requires_grad=True)
    f = (ember.tanh(x) * 3).sum()
    g = viz.draw_graph(f, params={"x": x}, show_saved=True, show_values=True, engine="ember")
    root = ET.fromstring(g._repr_svg_())
    texts = {el.text for el in root.iter("{http://www.w3.org/2000/svg}text")}
    assert {"TanhBackward0", "MulBackward0", "SumBackward0", "x", "output"} <= texts
    assert {"constant", "3"} <= texts  # the 3 that MulBackward0 saved
    assert g.source.startswith("digraph {") and g.source.count("->") == len(g.edges) == 5
    g.save(tmp_path / "g.svg")
    g.save(tmp_path / "g.dot")
    assert (tmp_path / "g.dot").read_text() == g.source
    pytest.importorskip("matplotlib")
    g.save(tmp_path / "g.png")
    assert (tmp_path / "g.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with pytest.raises(ValueError, match="unknown graph format"):
        g.save(tmp_path / "g.jpeg")


def test_layout_has_no_overlaps_and_edges_point_down():
    x = ember.randn(4, requires_grad=True)
    h = x
    for i in range(6):
        h = ember.sin(h) * h + ember.cos(x) * (i + 1)
    g = viz.draw_graph(h.sum(), engine="ember")
    g.svg()
    by_layer = {}
    for n in g.nodes:
        by_layer.setdefault(round(n.y, 3), []).append(n)
    for row in by_layer.values():
        row.sort(key=lambda n: n.x)
        for a, b in itertools.pairwise(row):
            assert a.x + a.w / 2 <= b.x - b.w / 2 + 1e-6
    for e in g.edges:
        ys = [p[1] for p in e.points]
        assert ys == sorted(ys)


def test_500_nodes_under_2_seconds():
    h = ember.randn(3, requires_grad=True)
    ws = [ember.randn(3, requires_grad=True) for _ in range(125)]
    for w in ws:
        h = ember.tanh(h * w + h)  # 3 ops per step plus a leaf
    t0 = time.perf_counter()
    g = viz.draw_graph(h.sum(), params={f"w{i}": w for i, w in enumerate(ws)}, engine="ember")
    g.svg()
    assert len(g.nodes) > 500
    assert time.perf_counter() - t0 < 2.0


def test_bad_input():
    x = ember.tensor([1.0], requires_grad=True)
    with pytest.raises(TypeError, match="params must be"):
        viz.draw_graph(x * 2, params=[x])
    with pytest.raises(TypeError, match="expects a Tensor"):
        viz.draw_graph([1.0])
    with pytest.raises(ValueError, match="engine"):
        viz.draw_graph(x * 2, engine="neato")


def test_named_parameters_of_a_module():
    nn = pytest.importorskip("ember.nn")
    if not hasattr(nn, "Linear"):
        pytest.skip("ember.nn.Linear not there yet")
    model = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1))
    loss = model(ember.randn(4, 2)).pow(2).mean()
    g = viz.draw_graph(loss, params=model.named_parameters(), engine="ember")
    leaves = {n.title for n in g.nodes if n.kind == "leaf"}
    assert leaves == {"0.weight", "0.bias", "2.weight", "2.bias"}
    assert all("?" not in t for n in g.nodes for t, _ in n.lines)


def _mlp_loss():
    ember.manual_seed(0)
    m = ember.nn.Sequential(ember.nn.Linear(3, 4), ember.nn.Tanh(), ember.nn.Linear(4, 1))
    x = ember.randn(5, 3)
    y = m(x)
    return m, y, ((y - 1) ** 2).mean()


def test_mlp_drawn_before_and_after_backward():
    """An nn.Linear MLP: exactly the two bias arrows are broadcast (Σ) arrows, every box has a shape, and every
    op box shows the gradient flowing into it; the output layer's box shows dL/dy = 2 (y - 1) / 5, by hand"""
    m, y, loss = _mlp_loss()
    params = dict(m.named_parameters())
    for backward in (False, True):
        if backward:
            loss.backward(retain_graph=True)
        g = viz.draw_graph(loss, params=params, show_values=True, show_grads=True, engine="ember")
        bcast = sorted(e.label for e in g.edges if e.style == "bcast")
        assert bcast == ["Σ→(1,)", "Σ→(4,)"]
        by_id = {n.id: n for n in g.nodes}
        assert sorted(by_id[e.src].title for e in g.edges if e.style == "bcast") == ["0.bias", "2.bias"]
        assert not any("shape ?" in t for n in g.nodes for t, _ in n.lines)
        ops = [n for n in g.nodes if n.kind == "op"]
        assert len(ops) == 8 and all(any(k == "grad" for _, k in n.lines) for n in ops)
        last = next(n for n in ops if n.title == "AddmmBackward0" and n.lines[0][0] == "(5, 1)")
        shown = " ".join(t for t, k in last.lines if k == "grad" and t != "grad:")
        want = 2 * (y.detach().numpy() - 1) / 5
        got = np.array([float(v) for v in shown.replace("[", " ").replace("]", " ").replace(",", " ").split()])
        np.testing.assert_allclose(got, want.ravel(), atol=1e-4)
        leaf_lines = [t for n in g.nodes if n.title == "0.bias" for t, k in n.lines if k == "grad"]
        assert (leaf_lines == ["grad: None"]) != backward


def test_a_freed_graph_is_still_drawn_from_the_forwards_record():
    m, y, loss = _mlp_loss()
    loss.backward()
    g = viz.draw_graph(loss, params=dict(m.named_parameters()), show_grads=True, engine="ember")
    assert sorted(e.label for e in g.edges if e.style == "bcast") == ["Σ→(1,)", "Σ→(4,)"]
    assert not any(t == "grad:" for n in g.nodes if n.kind == "op" for t, _ in n.lines)


def test_title_legend_and_constants():
    """The heading is the output's formula read off the graph; the saved constant 3 of 3 * x is drawn; the
    legend names exactly the kinds of boxes, arrows and lines the picture uses"""
    x = ember.tensor([1.0, 2.0], requires_grad=True)
    g = viz.draw_graph((3 * x ** 2).sum(), params={"x": x}, engine="ember")
    assert g.title == "output = sum(((x ** 2) * 3))"
    consts = [n for n in g.nodes if n.kind == "const"]
    assert [(n.title, n.lines) for n in consts] == [("constant", [("3", "value")])]
    by_id = {n.id: n for n in g.nodes}
    assert [by_id[e.dst].title for e in g.edges if e.src == consts[0].id] == ["MulBackward0"]
    assert [k for k, _ in g.legend] == ["leaf", "op", "output", "const", "value"]
    svg = g.svg()
    assert "output = sum(((x ** 2) * 3))" in svg and "constant or data" in svg and "Σ→shape" not in svg
    assert "legend" in g.source and 'label="output = sum' in g.source
    m, y, loss = _mlp_loss()
    g = viz.draw_graph(loss, params=dict(m.named_parameters()), show_grads=True, engine="ember", title="MSE")
    assert g.title == "MSE" and "bcast" in [k for k, _ in g.legend] and "grad" in [k for k, _ in g.legend]
    assert viz.draw_graph(loss, legend=False, engine="ember").legend == []
    long = x
    for _ in range(40):
        long = long.sin()
    assert len(viz.draw_graph(long, engine="ember").title) <= viz.TITLE_CHARS


def test_the_title_and_legend_get_room_in_the_picture():
    x = ember.tensor([1.0, 2.0], requires_grad=True)
    g = viz.draw_graph((x * x).sum(), params={"x": x}, engine="ember")
    w, h = g._laid_out()
    assert min(n.y - n.h / 2 for n in g.nodes) > 30  # below the title's band
    assert max(n.y + n.h / 2 for n in g.nodes) < h - len(g.legend) * 17  # above the legend
    assert w >= len(g.title) * 15 * 0.6


def test_draw_graphs_docstring_example_runs():
    import doctest
    finder = doctest.DocTestFinder()
    (test,) = finder.find(viz.draw_graph, "draw_graph", globs={"ember": ember, "draw_graph": viz.draw_graph})
    result = doctest.DocTestRunner().run(test)
    assert result.attempted >= 3 and result.failed == 0
