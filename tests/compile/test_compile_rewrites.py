"""ember.compile's cheaper spellings of recorded calls (program._rewrite) and a recording that meets a tracing
array of an earlier one: the replay computes eager's numbers bit for bit, with the calls it claims to make."""

import os
import sys

import numpy as np

import ember
from ember.kernels import fused as KF

sys.path.insert(0, os.path.dirname(__file__))
import _models as M  # noqa: E402


def _body(program):
    return program.source.split("try:")[1].split("finally:")[0]


def _mlp_arrays(compiled, steps=8, opt="sgd"):
    model, _, step = M.mlp(ember, opt)
    s = ember.compile(step) if compiled else step
    losses = [s().item() for _ in range(steps)]
    return losses, [p.detach().numpy().copy() for p in model.parameters()], s


def test_a_cached_array_of_an_earlier_recording_is_read_as_its_data():
    # the softmax backward's row sum keeps a table of ones (kernels.fused._ONES); made while the first recording
    # ran it is a tracing array of that recording, met again by the second one (the number it carries named
    # another value there: the replay multiplied by the wrong array and failed on shapes)
    KF._ONES.clear()
    compiled = _mlp_arrays(True)
    assert any(type(a).__name__ == "Traced" for a in KF._ONES.values())  # the case happened
    eager = _mlp_arrays(False)
    assert compiled[2].recordings == 2 and compiled[2].replays == 6
    assert compiled[0] == eager[0]
    for x, y in zip(compiled[1], eager[1]):
        assert np.array_equal(x, y)


def test_cross_entropy_spelt_as_indexing_reshape_and_reduce():
    compiled, eager = _mlp_arrays(True), _mlp_arrays(False)
    assert compiled[0] == eager[0]
    for x, y in zip(compiled[1], eager[1]):
        assert np.array_equal(x, y)
    body = _body(compiled[2].programs[-1])
    # eager's take_along_axis, expand_dims and np.sum (log-softmax's row sum) are not called
    assert "take_along_axis(" not in body and "expand_dims(" not in body and " sum(" not in body
    assert "add_reduce" in body


def test_np_sum_without_axis_is_a_full_reduction():
    # float64 sums go through np.sum (axis None when not given: np.add.reduce's default is 0)
    def f(x):
        y = x * 2.0
        return y.sum(), y.sum(1, keepdim=True), y.sum(0)

    rng = np.random.default_rng(0)
    x = ember.tensor(rng.standard_normal((5, 7)))
    c = ember.compile(f)
    for _ in range(4):
        x.data.copy_(ember.tensor(rng.standard_normal((5, 7))))
        got, want = c(x), f(x)
        for a, b in zip(got, want):
            assert a.shape == b.shape and np.array_equal(a.numpy(), b.numpy())
    assert c.replays >= 2
    body = _body(c.programs[-1])
    assert " sum(" not in body


def test_float64_evaluation_cast_in_a_buffer_then_in_place():
    # kernels.exact evaluates small float32 transcendentals as fn(x, dtype=float64), then casts: the replay casts
    # x into the float64 buffer (t[...] = x), runs fn(t, t) and casts back by assignment, the same numbers
    x, step = M.chain(ember)
    c = ember.compile(step)
    grads = []
    for _ in range(5):
        c()
        grads.append(x.grad.numpy().copy())
    body = _body(c.programs[-1])
    assert "dtype=float64" not in body and "COPYTO" not in body
    assert body.count("[...] = ") >= 20
    # Python floats (0.9, 0.1: not float32 numbers) given as the 0-d float32 arrays NumPy rounds them to
    assert "0.9" not in body and "0.1" not in body
    x2, eager_step = M.chain(ember)
    for g in grads:
        eager_step()
        assert np.array_equal(x2.grad.numpy(), g)


def test_the_loop_on_a_cast_copy_is_the_loop_with_dtype():
    # what the rewrite relies on, for every float64-evaluated kernel, at sizes up to kernels.exact's limit
    rng = np.random.default_rng(5)
    fns = [np.exp, np.exp2, np.expm1, np.log, np.log2, np.log10, np.log1p, np.sin, np.cos, np.tan, np.arcsin,
           np.arccos, np.arctan, np.sinh, np.cosh, np.tanh, np.arctanh]
    for n in (1, 7, 64, 1000, 4096):
        x = (rng.standard_normal(n) * 3).astype(np.float32)
        x[:min(n, 3)] = np.array([0.0, -0.0, np.nan], np.float32)[:min(n, 3)]
        for fn in fns:
            with np.errstate(all="ignore"):
                want = fn(x, dtype=np.float64)
                t = np.empty(n)
                t[...] = x
                fn(t, t)
            assert np.array_equal(want.view(np.int64), t.view(np.int64)), (fn.__name__, n)
            y = np.empty(n, np.float32)
            y[...] = t
            assert np.array_equal(y.view(np.int32), want.astype(np.float32).view(np.int32))
