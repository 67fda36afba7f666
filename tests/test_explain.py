"""ember.autograd.explain: the replayed backward pass of seed 000's f(x, y, z), step by step, by hand."""

import math
import re

import numpy as np
import pytest

import ember
from ember.autograd.explain import local_rule, rule_of


def _f(lib, xv, yv, zv):
    x, y, z = (lib.tensor([v], dtype=lib.float64, requires_grad=True) for v in (xv, yv, zv))
    # seed 000, section 1.3: a = 2x, b = sin y, c = a / b, d = c z, e = ln(1 + d), f = tanh e
    f = lib.tanh(lib.log(1 + z * (2 * x / lib.sin(y))))
    return f, x, y, z


@pytest.mark.parametrize("xv,yv,zv", [(3.0, 1.5, 0.5), (0.7, 2.2, -0.3)])
def test_seed_000_steps_match_hand_derived(xv, yv, zv):
    f, x, y, z = _f(ember, xv, yv, zv)
    ex = ember.autograd.explain(f, params={"x": x, "y": y, "z": z}, quiet=True)
    a, b = 2 * xv, math.sin(yv)
    c = a / b
    d = c * zv
    e = math.log(1 + d)
    df_de = 1 - math.tanh(e) ** 2
    df_dd = df_de / (1 + d)
    df_dc, df_dz = df_dd * zv, df_dd * c
    df_da, df_db = df_dc / b, -df_dc * a / b ** 2
    expected = [  # (node, gradients it sends to its inputs), in the engine's order
        ("TanhBackward0", [df_de]),
        ("LogBackward0", [df_dd]),
        ("AddBackward0", [df_dd]),
        ("MulBackward0", [df_dz, df_dc]),
        ("DivBackward0", [df_da, df_db]),
        ("SinBackward0", [df_db * math.cos(yv)]),
        ("MulBackward0", [df_da * 2]),
    ]
    assert [s.name for s in ex] == [n for n, _ in expected]
    for step, (_, grads) in zip(ex, expected):
        got = [g.item() for _, g in step.grads_out]
        np.testing.assert_allclose(got, grads, rtol=1e-12)
    leaf = {id(t): g.item() for t, g in ex.leaf_grads}
    np.testing.assert_allclose([leaf[id(x)], leaf[id(y)], leaf[id(z)]],
                               [df_da * 2, df_db * math.cos(yv), df_dz], rtol=1e-12)
    assert x.grad is None  # explaining accumulates nothing...
    f.backward()  # ...and frees nothing: a real backward still works
    np.testing.assert_allclose(x.grad.item(), df_da * 2, rtol=1e-12)


def test_order_and_leaf_grads_match_torch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    wv, xv = rng.standard_normal((3, 4)), rng.standard_normal((5, 4))

    def build(lib):
        w = lib.tensor(wv, requires_grad=True)
        h = lib.tensor(xv) @ w.t()
        return (lib.sigmoid(h) * h.exp() + h ** 2).mean(), w
    t_out, t_w = build(torch)
    order = []
    stack, seen = [t_out.grad_fn], set()
    while stack:
        n = stack.pop()
        if n is None or id(n) in seen or type(n).__name__ == "AccumulateGrad":
            continue
        seen.add(id(n))
        n.register_prehook(lambda g, n=n: order.append(type(n).__name__) and None)
        stack.extend(f for f, _ in n.next_functions)
    t_out.backward()
    e_out, e_w = build(ember)
    ex = ember.autograd.explain(e_out, quiet=True)
    assert [s.name for s in ex] == order
    (leaf, g), = ex.leaf_grads
    assert leaf is e_w
    np.testing.assert_allclose(g.numpy(), t_w.grad.numpy(), rtol=1e-10)


def test_printed_text(capsys):
    x = ember.tensor([2.0], requires_grad=True)
    ember.autograd.explain(ember.tanh(x * x).sum(), params={"x": x})
    out = capsys.readouterr().out
    # the rule's own letter x is not the user's x (tanh's input here is x * x): it is printed as another letter
    assert "TanhBackward0:  y = tanh u:  dy/du = 1 - tanh² u = 1 - y²" in out
    assert "-> leaf x" in out
    assert f"{4 * (1 - math.tanh(4.0) ** 2):.4f}" in out  # dL/dx = 2x (1 - tanh^2 x^2) at x = 2


def test_errors():
    x = ember.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="only for scalar outputs"):
        ember.autograd.explain(x * 2)
    with pytest.raises(RuntimeError, match="does not have a grad_fn"):
        ember.autograd.explain(x)
    y = (x.exp()).sum()
    y.backward()
    with pytest.raises(RuntimeError, match=r"explain\(\): (SumBackward0|ExpBackward0) has already been through a "
                                           "backward pass that freed"):
        ember.autograd.explain(y)
    with pytest.raises(TypeError):
        ember.autograd.explain(3.0)


def test_rules_do_not_reuse_the_users_names():
    f, x, y, z = _f(ember, 3.0, 1.5, 0.5)
    named = ember.autograd.explain(f, params={"x": x, "y": y, "z": z}, quiet=True)
    plain = ember.autograd.explain(f, quiet=True)
    rules = {s.name: s.rule for s in named}
    assert rules["AddBackward0"] == "u = a + α b:  du/da = 1, du/db = α"
    assert rules["DivBackward0"] == "u = a / b:  du/da = 1/b, du/db = -a/b²"
    for s, p in zip(named, plain):
        assert not re.search(r"(?<![A-Za-z])d?[xyz](?![A-Za-z])", s.rule), s.rule
        # only the letters changed: the same text with every letter blanked
        assert re.sub(r"[A-Za-z]", "?", s.rule) == re.sub(r"[A-Za-z]", "?", p.rule)
    # without names there is nothing to clash with: the rules are the nodes' own text
    assert [s.rule for s in plain] == [rule_of(s.node) for s in plain]
    assert plain[2].rule == "z = a + α b:  dz/da = 1, dz/db = α"


def test_local_rule_renames_variables_only():
    assert local_rule("z = a ** p (p a number):  dz/da = p * a^(p-1)", ["a"]) == \
        "z = u ** p (p a number):  dz/du = p * u^(p-1)"  # the article "a" stays
    assert local_rule("Y = β C + α A B:  dA = α G Bᵀ, dB = α Aᵀ G", ["A"]) == \
        "Y = β C + α U B:  dU = α G Bᵀ, dB = α Uᵀ G"  # a capital stays a capital
    rule = "z = a * b:  dz/da = b, dz/db = a"
    assert local_rule(rule, ["w", "weight"]) == rule
    assert local_rule(rule, ["z", "u"]) == "v = a * b:  dv/da = b, dv/db = a"  # never a letter the user has


def test_explain_runs_no_hook_and_retains_no_grad():
    x = ember.tensor([1.0, 2.0], requires_grad=True)
    y = x * 3
    y.retain_grad()
    seen = []
    y.register_hook(lambda g: seen.append(g) or g * 10)  # a real backward scales dL/dy by 10
    x.register_hook(lambda g: seen.append(g))
    out = (y * y).sum()
    ex = ember.autograd.explain(out, quiet=True)
    assert seen == [] and y.grad is None and x.grad is None
    (leaf, g), = ex.leaf_grads
    np.testing.assert_allclose(g.numpy(), 18 * np.array([1.0, 2.0]))  # d/dx sum (3x)^2 = 18 x, hooks not applied
    out.backward()
    np.testing.assert_allclose(x.grad.numpy(), 180 * np.array([1.0, 2.0]))
    assert len(seen) == 2


def test_explain_sums_broadcast_edges_as_backward_does():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(1)
    xv, wv, bv = rng.standard_normal((4, 3)), rng.standard_normal((2, 3)), rng.standard_normal(2)
    grads = {}
    for lib in (torch, ember):
        w, b = (lib.tensor(v, requires_grad=True) for v in (wv, bv))
        loss = lib.tanh(lib.tensor(xv) @ w.t() + b).pow(2).sum()
        if lib is ember:
            ex = ember.autograd.explain(loss, params={"w": w, "b": b}, quiet=True)
            grads["ember"] = {id(t): g.numpy() for t, g in ex.leaf_grads}
            ids = (id(w), id(b))
        else:
            loss.backward()
            grads["torch"] = (w.grad.numpy(), b.grad.numpy())
    for i, ref in zip(ids, grads["torch"]):
        np.testing.assert_allclose(grads["ember"][i], ref, rtol=1e-12)


def _tangent_steps(xv, yv, zv, direction):
    x, y, z = (ember.tensor([v], dtype=ember.float64) for v in (xv, yv, zv))
    tangents = [ember.tensor([float(d)], dtype=ember.float64) for d in direction]
    f = lambda x, y, z: ember.tanh(ember.log(1 + z * (2 * x / ember.sin(y))))  # noqa: E731
    return ember.autograd.explain_forward(f, (x, y, z), tangents, names=["x", "y", "z"], quiet=True)


@pytest.mark.parametrize("direction", [(1, 0, 0), (0, 1, 0), (0, 0, 1), (0.5, -2.0, 3.0)])
def test_forward_explanation_matches_hand_derived_tangents(direction):
    xv, yv, zv = 3.0, 1.5, 0.5
    dx, dy, dz = direction
    a, da = 2 * xv, 2 * dx
    b, db = math.sin(yv), math.cos(yv) * dy
    c, dc = a / b, da / b - a * db / b ** 2
    d, dd = c * zv, dc * zv + c * dz
    e, de = math.log(1 + d), dd / (1 + d)
    df = (1 - math.tanh(e) ** 2) * de
    ex = _tangent_steps(xv, yv, zv, direction)
    assert [s.name for s in ex] == ["MulBackward0", "SinBackward0", "DivBackward0", "MulBackward0", "AddBackward0",
                                    "LogBackward0", "TanhBackward0"]
    got = [s.grads_out[0][1].item() for s in ex]
    np.testing.assert_allclose(got, [da, db, dc, dd, dd, de, df], rtol=1e-12, atol=1e-15)
    (value, tangent), = ex.leaf_grads
    np.testing.assert_allclose(value.item(), math.tanh(e), rtol=1e-12)
    np.testing.assert_allclose(tangent.item(), df, rtol=1e-12)
    assert "Forward pass with tangents: dx = (1,)" in ex.text and "[7] TanhBackward0:" in ex.text


def test_forward_and_backward_explanations_agree_and_a_wrong_rule_shows(monkeypatch):
    f, x, y, z = _f(ember, 3.0, 1.5, 0.5)
    back = {id(t): g.item() for t, g in ember.autograd.explain(f, quiet=True).leaf_grads}
    fwd = [_tangent_steps(3.0, 1.5, 0.5, e).leaf_grads[0][1].item() for e in ((1, 0, 0), (0, 1, 0), (0, 0, 1))]
    np.testing.assert_allclose(fwd, [back[id(x)], back[id(y)], back[id(z)]], rtol=1e-12)
    from ember.ops import unary
    monkeypatch.setattr(unary.TanhBackward0, "jvp", lambda self, t: t)  # drops the factor 1 - tanh^2
    wrong = _tangent_steps(3.0, 1.5, 0.5, (1, 0, 0)).leaf_grads[0][1].item()
    assert not np.isclose(wrong, back[id(x)], rtol=1e-6)
