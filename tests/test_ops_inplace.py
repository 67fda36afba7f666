"""In-place ops against PyTorch: values, grad_fn names, gradients, version counters and their errors."""

from __future__ import annotations

import numpy as np
import pytest
from test_ops_harness import arr, check, check_error

import ember

torch = pytest.importorskip("torch")

FLOATS = [np.float32, np.float64]

INPLACE = {
    "add_": lambda L, y, b: y.add_(b), "add_alpha": lambda L, y, b: y.add_(b, alpha=2.0),
    "sub_": lambda L, y, b: y.sub_(b), "mul_": lambda L, y, b: y.mul_(b), "div_": lambda L, y, b: y.div_(b),
    "pow_": lambda L, y, b: y.abs_().pow_(2.5), "pow_tensor": lambda L, y, b: y.abs_().pow_(b.abs()),
    "clamp_": lambda L, y, b: y.clamp_(-0.5, 0.5), "clamp_min_": lambda L, y, b: y.clamp_(min=0.0),
    "zero_": lambda L, y, b: y.zero_() + b, "fill_": lambda L, y, b: y.fill_(1.5) * b,
    "copy_": lambda L, y, b: y.copy_(b), "copy_bcast": lambda L, y, b: y.copy_(b[0]),
    "iadd": lambda L, y, b: y.__iadd__(b), "isub_scalar": lambda L, y, b: y.__isub__(2.0),
    "imul": lambda L, y, b: y.__imul__(b), "itruediv": lambda L, y, b: y.__itruediv__(b),
    "exp_": lambda L, y, b: y.exp_(), "sigmoid_": lambda L, y, b: y.sigmoid_(), "tanh_": lambda L, y, b: y.tanh_(),
    "relu_": lambda L, y, b: y.relu_(), "neg_": lambda L, y, b: y.neg_(), "sqrt_": lambda L, y, b: y.abs_().sqrt_(),
    "masked_fill_": lambda L, y, b: y.masked_fill_(b > 0, 0.0), "chain": lambda L, y, b: y.mul_(2).add_(b).exp_(),
    "lerp_": lambda L, y, b: y.lerp_(b, 0.25), "addcmul_": lambda L, y, b: y.addcmul_(b, b, value=0.5),
    "addcdiv_": lambda L, y, b: y.addcdiv_(b, b * 2), "copy_int": lambda L, y, b: y.copy_(b.long()),
}


def _away_from_zero(x):
    return np.asarray(np.where(np.abs(x) < 0.3, 0.5 + np.abs(x), x))


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("name", list(INPLACE))
def test_inplace_on_non_leaf(name, dtype):
    def fn(L, a, b):
        y = a * 1.0  # in place on a leaf requiring grad is refused; on this non-leaf it is recorded
        r = INPLACE[name](L, y, b)
        return r, y
    check(fn, arr((3, 4), dtype, seed=70), _away_from_zero(arr((3, 4), dtype, seed=71)).astype(dtype))


@pytest.mark.parametrize("name", ["add_", "mul_", "div_", "exp_", "clamp_", "copy_", "zero_", "sigmoid_"])
def test_inplace_on_leaf_requiring_grad_raises(name):
    t_leaf = torch.ones(3, 4, requires_grad=True)
    e_leaf = ember.ones(3, 4, requires_grad=True)
    with pytest.raises(RuntimeError) as te:
        INPLACE[name](torch, t_leaf, torch.ones(3, 4))
    with pytest.raises(RuntimeError) as ee:
        INPLACE[name](ember, e_leaf, ember.ones(3, 4))
    assert str(ee.value) == str(te.value)
    assert e_leaf._version == 0 and np.all(e_leaf.detach().numpy() == 1)


def test_inplace_on_leaf_allowed_under_no_grad():
    for lib in (torch, ember):
        w = lib.ones(3, requires_grad=True)
        with lib.no_grad():
            w.mul_(2.0).add_(1.0)
        assert w.requires_grad and w.grad_fn is None and w.tolist() == [3.0, 3.0, 3.0]


@pytest.mark.parametrize("name", ["mul_", "div_", "exp_", "sigmoid_", "pow_", "tanh_", "add_"])
def test_modified_saved_tensor_raises_on_backward(name):
    """An op saves a tensor, which is then changed in place: PyTorch's version check fires in backward."""
    msgs = []
    for lib in (torch, ember):
        a = lib.tensor([0.5, 1.0, 1.5], requires_grad=True)
        b = a * 2.0
        c = b.exp()         # saves its output c ... and b is saved by nothing
        d = b * b           # saves b
        INPLACE[name](lib, b, lib.tensor([1.0, 2.0, 3.0]))
        with pytest.raises(RuntimeError) as err:
            (c.sum() + d.sum()).backward()
        msgs.append(str(err.value))
    assert msgs[0].startswith("one of the variables needed for gradient computation has been modified by an "
                              "inplace operation")
    assert msgs[1].split("Hint")[0] == msgs[0].split("Hint")[0]


def test_version_counter_shared_with_views():
    for lib in (torch, ember):
        x = lib.zeros(4)
        v = x[1:3]
        before = x._version
        v.add_(1.0)
        assert x._version == v._version == before + 1
        x.mul_(2.0)
        assert v._version == before + 2
        assert x.tolist() == [0.0, 2.0, 2.0, 0.0]


def test_inplace_on_view_of_non_leaf_gradient():
    def fn(L, a, b):
        y = a * 2
        y[:, 1].mul_(b[:, 0])
        y[0].add_(b[0])
        return y
    check(fn, arr((3, 4), seed=72), arr((3, 4), seed=73))


def test_inplace_dtype_and_shape_errors():
    check_error(lambda L, a, b: a.add_(b), arr((3,), np.int64, lo=0, hi=3), arr((3,)))
    check_error(lambda L, a, b: a.add_(b), arr((3,)), arr((2, 3)))
    check_error(lambda L, a, b: a.mul_(b), arr((1, 3)), arr((2, 3)))
    check_error(lambda L, a, b: a.copy_(b), arr((3,)), arr((4,)))
    check_error(lambda L, a, b: a.copy_(b), arr((3,)), arr((2, 3)))
    check_error(lambda L, a: a.fill_(L.ones(2)), arr((3,)))


def test_failed_inplace_changes_nothing():
    x = ember.tensor([1.0, 2.0, 3.0])
    with pytest.raises(RuntimeError):
        x.add_(ember.ones(2, 3))
    assert x._version == 0 and x.tolist() == [1.0, 2.0, 3.0]
    xi = ember.tensor([1, 2, 3])
    with pytest.raises(RuntimeError):
        xi.add_(ember.tensor([0.5, 0.5, 0.5]))
    assert xi._version == 0 and xi.tolist() == [1, 2, 3]


def test_integer_inplace_ops():
    def fn(L, a, b):
        a = a.clone()
        a.add_(b).mul_(2).sub_(1)
        a //= 2
        a %= 3
        return a
    check(fn, arr((3, 4), np.int64, lo=0, hi=9, seed=74), arr((4,), np.int64, lo=1, hi=5, seed=75))


def _peak_bytes(fn) -> int:
    import tracemalloc
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("name", ["add_", "sub_", "mul_", "div_", "__iadd__", "__imul__"])
@pytest.mark.parametrize("other", ["number", "tensor", "row"])
def test_inplace_arithmetic_makes_no_copy_when_nothing_is_recorded(name, other):
    """x.add_(b) under no_grad (an optimizer's update) writes into x: its peak memory stays far below x's size,
    and the numbers are those of the out-of-place op"""
    x = ember.rand(1 << 18, 4)
    b = {"number": 0.75, "tensor": ember.rand(1 << 18, 4) + 0.5, "row": ember.rand(4) + 0.5}[other]
    want = getattr(x, name.strip("_").replace("i", "", 1) if name.startswith("__") else name[:-1])(b)
    with ember.no_grad():
        v = x._version
        peak = _peak_bytes(lambda: getattr(x, name)(b))
    assert x._version == v + 1
    assert peak < x._data.nbytes // 10, f"{name}: peak {peak} bytes for a tensor of {x._data.nbytes}"
    np.testing.assert_array_equal(x.numpy(), want.numpy())


def test_the_peak_measure_sees_a_copy():
    x = ember.rand(1 << 18, 4)
    assert _peak_bytes(lambda: x.clone()) >= x._data.nbytes
