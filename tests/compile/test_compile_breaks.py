"""What ember.compile cannot capture runs eagerly, says why (explain) and where; fullgraph=True raises there."""

import numpy as np
import pytest

import ember
from ember import nn
from ember._compile import Unsupported


def _model():
    ember.manual_seed(0)
    return nn.Linear(3, 1), ember.randn(6, 3)


def test_item_in_the_middle_runs_eagerly_and_explain_says_where():
    model, x = _model()
    seen = []

    def step():
        loss = model(x).pow(2).mean()
        seen.append(loss.item())  # a Python float in the middle of the step
        loss.backward()
        return loss

    c = ember.compile(step)
    for _ in range(3):
        c()
    assert c.replays == 0 and len(seen) == 3  # every call ran the Python
    text = str(c.explain())
    assert ".item()" in text and "test_compile_breaks.py" in text and "in step" in text
    assert c.explain().graph_break_count == 3


def test_fullgraph_raises_at_the_break():
    model, x = _model()

    def step():
        return float(model(x).sum())

    with ember.no_grad(), pytest.raises(Unsupported, match=r"float\(\)"):
        ember.compile(step, fullgraph=True)()


def test_printing_a_tensor_breaks():
    model, x = _model()
    c = ember.compile(lambda: print(model(x)) or model(x))
    with ember.no_grad():
        for _ in range(2):
            c()
    assert c.replays == 0 and "print" in str(c.explain())


def test_a_value_dependent_branch_is_checked_at_replay():
    """``if`` on a tensor's value becomes a check: when it goes the other way the program is left for eager
    (or another program), never replayed wrong."""
    def f(x):
        return x * 2 if bool((x > 0).all()) else x - 1

    c = ember.compile(f)
    pos, neg = ember.ones(3), -ember.ones(3)
    for x, want in [(pos, 2.0), (pos, 2.0), (neg, -2.0), (pos, 2.0), (neg, -2.0), (neg, -2.0)]:
        assert c(x).tolist() == [want] * 3
    assert c.recordings == 2 and c.replays == 4
    assert sum(e.diverged for e in c.entries) >= 2  # the first program's check rejected the negative inputs


def test_a_data_dependent_shape_is_checked():
    c = ember.compile(lambda x: x[x > 0].sum())
    for v in ([1.0, -1.0, 2.0], [3.0, -1.0, 1.0], [1.0, 1.0, 1.0], [-1.0, -1.0, 5.0]):
        assert c(ember.tensor(v)).item() == sum(a for a in v if a > 0)
    assert c.replays >= 1 and all(e.program is not None for e in c.entries)


def test_python_side_effects_are_not_replayed():
    model, x = _model()
    log = []

    def step():
        y = model(x).sum()
        log.append("called")
        return y

    c = ember.compile(step)
    with ember.no_grad():
        for _ in range(3):
            c()
    assert log == ["called"] * 3 and c.replays == 0
    assert "list" in str(c.explain())


def test_an_array_from_outside_breaks():
    outside = np.arange(3, dtype=np.float32)

    def f(x):
        return x + ember.from_numpy(outside)  # a tensor the compiler cannot find before the step

    c = ember.compile(f)
    for _ in range(2):
        assert c(ember.zeros(3)).tolist() == [0.0, 1.0, 2.0]
    outside[:] = 7
    assert c(ember.zeros(3)).tolist() == [7.0, 7.0, 7.0]
    assert c.replays == 0 and "did not find" in str(c.explain())


def test_a_graph_returned_for_a_later_backward_is_not_replayed():
    model, x = _model()
    c = ember.compile(lambda: model(x).sum())
    for _ in range(3):
        y = c()
        y.backward()
    assert c.replays == 0 and "graph is still needed" in str(c.explain())
    assert np.allclose(model.weight.grad.numpy(), 3 * x.sum(0).numpy(), atol=1e-5)


def test_is_compiling_is_true_while_recording():
    seen = []

    def f(x):
        seen.append(ember.compiler.is_compiling())
        return x + 1

    ember.compile(f)(ember.ones(1))
    assert seen == [True] and not ember.compiler.is_compiling()


def test_an_error_in_the_step_leaves_the_world_as_eager_would():
    model, x = _model()

    def step():
        model(x).sum().backward()
        raise ValueError("boom")

    c = ember.compile(step)
    with pytest.raises(ValueError, match="boom"):
        c()
    assert type(model.weight.__dict__["_data"]) is np.ndarray and type(model.weight.grad._data) is np.ndarray
    assert np.allclose(model.weight.grad.numpy(), x.sum(0).numpy(), atol=1e-6)
