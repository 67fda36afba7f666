"""In-place ops and optimizer steps on large tensors: written into the tensor block by block (no temporary of the
tensor's size, as in PyTorch, which makes none), with the numbers of the whole-tensor computation.

The reference for the numbers is PyTorch's own contract that ``x.op_()`` leaves in x exactly the bits of
``x.op()`` (and that an optimizer step is the same elementwise arithmetic whatever the tensor's size), checked
against ember's whole-tensor path, which the op catalogues compare with PyTorch; the memory figures are PyTorch's
(zero extra for these ops), measured with tracemalloc, which sees NumPy's allocations."""

from __future__ import annotations

import gc
import tracemalloc

import numpy as np
import pytest

import ember
from ember.kernels import memory
from ember.ops import inplace as I

N = 3 * memory.BLOCK + 4321  # three blocks, the last one longer: the remainder joins it
BIG = 32 * memory.BLOCK + 4321  # for the memory figures: a block is 1/32 of the tensor


def peak_ratio(fn, nbytes):
    gc.collect()
    tracemalloc.start()
    try:
        fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / nbytes


def _data(seed=0, n=N):
    return np.random.default_rng(seed).standard_normal(n).astype(np.float32)


CASES = [
    ("exp_", lambda x, y: x.exp_(), lambda x, y: x.exp()),
    ("tanh_", lambda x, y: x.tanh_(), lambda x, y: x.tanh()),
    ("sigmoid_", lambda x, y: x.sigmoid_(), lambda x, y: x.sigmoid()),
    ("relu_", lambda x, y: x.relu_(), lambda x, y: x.relu()),
    ("sin_", lambda x, y: x.sin_(), lambda x, y: x.sin()),
    ("abs_().sqrt_", lambda x, y: x.abs_().sqrt_(), lambda x, y: x.abs().sqrt()),
    ("clamp_", lambda x, y: x.clamp_(-0.5, 0.7), lambda x, y: x.clamp(-0.5, 0.7)),
    ("round_(decimals)", lambda x, y: x.round_(decimals=2), lambda x, y: x.round(decimals=2)),
    ("add_(alpha)", lambda x, y: x.add_(y, alpha=0.3), lambda x, y: x.add(y, alpha=0.3)),
    ("sub_(alpha)", lambda x, y: x.sub_(y, alpha=3), lambda x, y: x.sub(y, alpha=3)),
    ("mul_(0-d)", lambda x, y: x.mul_(ember.tensor(1.5)), lambda x, y: x.mul(ember.tensor(1.5))),
    ("pow_", lambda x, y: x.pow_(3), lambda x, y: x.pow(3)),
    ("atan2_", lambda x, y: x.atan2_(y), lambda x, y: x.atan2(y)),
    ("lerp_", lambda x, y: x.lerp_(y, 0.3), lambda x, y: x.lerp(y, 0.3)),
    ("lerp_(0.7)", lambda x, y: x.lerp_(y, 0.7), lambda x, y: x.lerp(y, 0.7)),
    ("addcmul_", lambda x, y: x.addcmul_(y, y, value=0.1), lambda x, y: x.addcmul(y, y, value=0.1)),
    ("addcdiv_", lambda x, y: x.addcdiv_(y, y.abs() + 1, value=0.1), lambda x, y: x.addcdiv(y, y.abs() + 1,
                                                                                            value=0.1)),
    ("mul_(self)", lambda x, y: x.mul_(x), lambda x, y: x.mul(x)),
    # a float64 result, cast into x: the first block sees the dtype and leaves it to the general path
    ("mul_(float64)", lambda x, y: x.mul_(y.double()), lambda x, y: x.mul(y.double()).float()),
]


@pytest.mark.parametrize("name,inplace,outplace", CASES, ids=[c[0] for c in CASES])
def test_inplace_in_blocks_gives_the_whole_tensor_bits(name, inplace, outplace):
    x, y = ember.tensor(_data(0)), ember.tensor(_data(1))
    want = outplace(x, y)._data.copy()
    v = x._version
    got = inplace(x, y)
    assert got is x and x._version > v
    np.testing.assert_array_equal(x._data.view(np.int32), want.view(np.int32), err_msg=name)


@pytest.mark.parametrize("name,inplace,outplace", CASES, ids=[c[0] for c in CASES])
def test_inplace_makes_no_tensor_sized_temporary(name, inplace, outplace):
    """At most a few blocks' worth of temporaries (float64 ones for the fused multiply-adds): under 20%."""
    if "float64" in name:
        pytest.skip("the operand y.double() is made by the test, and the general path computes a float64 result")
    x, y = ember.tensor(_data(0, BIG)), ember.tensor(_data(1, BIG))
    if "addcdiv" in name:  # its operand y.abs() + 1 is made by the test
        z = y.abs() + 1
        ratio = peak_ratio(lambda: x.addcdiv_(y, z, value=0.1), x._data.nbytes)
    else:
        ratio = peak_ratio(lambda: inplace(x, y), x._data.nbytes)
    assert ratio < 0.2, f"{name}: {ratio:.2f} x the tensor"


def test_the_blocks_must_not_be_small_or_the_bits_change(monkeypatch):
    """Why no block is shorter than BLOCK: below UNARY_EXACT_MAX elements exp is evaluated in float64 (PyTorch's
    digits for small tensors), so blocks of 1000 elements would give other bits than the whole tensor: the
    comparison above sees it."""
    x = ember.tensor(_data(0))
    want = x.exp()._data.copy()
    monkeypatch.setattr(I, "BLOCK", 1000)
    x.exp_()
    assert not np.array_equal(x._data, want)


def test_blocks_are_skipped_when_something_is_recorded_or_operands_overlap():
    """Recorded in-place ops keep the general path (a node, the version check); overlapping operands too."""
    a = ember.tensor(_data(0), requires_grad=True)
    x = a * 1
    x.exp_()
    assert type(x.grad_fn).__name__ == "ExpBackward0"
    x.sum().backward()
    np.testing.assert_array_equal(a.grad._data, np.exp(_data(0)).astype(np.float32) * 0 + x._data)

    base = ember.tensor(_data(2, N + 1))
    want = base[1:] + base[:-1]
    base[1:].add_(base[:-1])  # overlaps: x[i] += x[i - 1] with the old values, as PyTorch's out-of-place result
    np.testing.assert_array_equal(base[1:]._data, want._data)


def test_a_bad_call_raises_the_general_error_and_writes_nothing():
    x = ember.tensor(_data(0))
    before = x._data.copy()
    v = x._version
    with pytest.raises(RuntimeError, match="float_power_ has dtype Float but the operation's result requires dtype Dou"):
        x.float_power_(2)
    with pytest.raises(RuntimeError, match=rf"output with shape \[{N}\] doesn.t match"):
        x.add_(ember.ones(2, N), alpha=2)
    with pytest.raises(RuntimeError, match="expected dtype float for `end` but got dtype double"):
        x.lerp_(ember.ones(N, dtype=ember.float64), 0.5)
    np.testing.assert_array_equal(x._data, before)
    assert x._version == v


@pytest.mark.parametrize("name,make,limit", [
    ("SGD", lambda p: ember.optim.SGD([p], lr=0.1), 0.2),
    # PyTorch's nesterov step makes one new gradient-sized tensor too (grad.add(buf, alpha=momentum))
    ("SGD momentum nesterov", lambda p: ember.optim.SGD([p], lr=0.1, momentum=0.9, nesterov=True), 1.2),
    ("Adam", lambda p: ember.optim.Adam([p], lr=0.1), 0.2),
    ("AdamW amsgrad", lambda p: ember.optim.AdamW([p], lr=0.1, amsgrad=True), 0.2),
])
def test_optimizer_steps_in_blocks(name, make, limit):
    """A large parameter's step equals the same step taken on its pieces one at a time (the arithmetic is
    elementwise), and after the first step (which makes the state) takes no temporary of its size."""
    g = _data(1)
    big = ember.nn.Parameter(ember.tensor(_data(0)))
    opt = make(big)
    pieces = [ember.nn.Parameter(ember.tensor(_data(0)[s:s + 5000])) for s in range(0, N, 5000)]
    opts = [make(q) for q in pieces]
    for _ in range(2):
        big.grad = ember.tensor(g)
        opt.step()
        for k, (q, o) in enumerate(zip(pieces, opts)):
            q.grad = ember.tensor(g[k * 5000:(k + 1) * 5000])
            o.step()
    np.testing.assert_array_equal(big._data, np.concatenate([q._data for q in pieces]))
    big = ember.nn.Parameter(ember.tensor(_data(0, BIG)))
    big.grad = ember.tensor(_data(1, BIG))
    opt = make(big)
    opt.step()
    assert peak_ratio(opt.step, big._data.nbytes) < limit
