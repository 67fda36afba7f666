"""Factories against PyTorch: dtype inference, shapes, values, memory sharing and errors."""

from __future__ import annotations

import math

import numpy as np
import pytest
from test_ops_harness import assert_same

import ember

torch = pytest.importorskip("torch")

DATA = [1, 2.5, True, [1, 2, 3], [1.0, 2, 3], [True, False], [[1, 2], [3, 4]], [[1.5], [2.0]], [], [[]],
        [1, 2.0, True], np.float64(2.0), np.int32(3), [np.float64(1.0), 2.0], [np.int32(1), 2],
        np.array([1.0, 2.0]), np.array([1, 2], dtype=np.int32), np.array([1.0], dtype=np.float32),
        np.array([True]), np.arange(6, dtype=np.int16).reshape(2, 3), complex(1, 2), [1 + 2j, 3]]


@pytest.mark.parametrize("data", DATA, ids=repr)
def test_tensor_dtype_inference(data):
    assert_same(torch.tensor(data), ember.tensor(data))
    assert_same(torch.as_tensor(data), ember.as_tensor(data))


@pytest.mark.parametrize("dtype", ["float32", "float64", "int64", "int32", "bool", "uint8"])
def test_tensor_with_dtype(dtype):
    for data in ([1, 2, 3], [0.1, 0.7, 2.9], np.array([0.1, 0.7])):
        assert_same(torch.tensor(data, dtype=getattr(torch, dtype)), ember.tensor(data, dtype=getattr(ember, dtype)))


def test_tensor_from_tensors_in_list():
    assert_same(torch.tensor([torch.tensor(1.5), torch.tensor(2.0)]), ember.tensor([ember.tensor(1.5),
                                                                                   ember.tensor(2.0)]))


def test_from_numpy_and_as_tensor_share_memory():
    a = np.arange(4.0)
    for t in (ember.from_numpy(a), ember.as_tensor(a)):
        a[0] = 10.0
        assert t[0].item() == 10.0
        assert t.dtype is ember.float64
    c = ember.tensor(a)
    a[1] = -1.0
    assert c[1].item() == 1.0


FACTORIES = {
    "zeros": lambda L: L.zeros(2, 3), "zeros_tuple": lambda L: L.zeros((2, 3), dtype=L.int64),
    "ones": lambda L: L.ones([3]), "ones_size": lambda L: L.ones(L.Size([2, 1])),
    "full_float": lambda L: L.full((2, 2), 1.5), "full_int": lambda L: L.full((2,), 7),
    "full_bool": lambda L: L.full((2,), True), "full_dtype": lambda L: L.full((2,), 3, dtype=L.float64),
    "empty_shape": lambda L: L.empty(2, 3).shape, "empty_dtype": lambda L: str(L.empty(2, dtype=L.int32).dtype),
    "zeros_like": lambda L: L.zeros_like(L.ones(2, 3, dtype=L.int32)),
    "ones_like": lambda L: L.ones_like(L.ones(2), dtype=L.float64),
    "full_like": lambda L: L.full_like(L.ones(2, dtype=L.int64), 2.7),
    "empty_like": lambda L: L.empty_like(L.ones(2, 3, dtype=L.float64)).shape,
    "arange": lambda L: L.arange(5), "arange_float": lambda L: L.arange(0, 1, 0.1),
    "arange_neg": lambda L: L.arange(5, -3, -2), "arange_mixed": lambda L: L.arange(1, 4.5),
    "arange_dtype": lambda L: L.arange(0, 10, 3, dtype=L.float32),
    "arange_frac": lambda L: L.arange(-1.0, 1.0, 0.3),
    "linspace": lambda L: L.linspace(0, 1, 5), "linspace_neg": lambda L: L.linspace(-2.5, 3, 7),
    "linspace_one": lambda L: L.linspace(2, 3, 1), "linspace_int": lambda L: L.linspace(0, 10, 4, dtype=L.int64),
    "logspace": lambda L: L.logspace(0, 2, 3), "logspace_base": lambda L: L.logspace(0, 3, 4, base=2),
    "eye": lambda L: L.eye(3), "eye_rect": lambda L: L.eye(2, 4, dtype=L.int64),
    "requires_grad": lambda L: L.zeros(2, requires_grad=True).requires_grad,
    "tensor_rg": lambda L: L.tensor([1.0, 2.0], requires_grad=True),
}


@pytest.mark.parametrize("name", list(FACTORIES))
def test_factory(name):
    assert_same(FACTORIES[name](torch), FACTORIES[name](ember))


def test_factories_under_float64_default():
    try:
        torch.set_default_dtype(torch.float64)
        ember.set_default_dtype(ember.float64)
        for name in ("zeros", "full_float", "arange_float", "linspace", "eye", "logspace"):
            assert_same(FACTORIES[name](torch), FACTORIES[name](ember))
        assert_same(torch.tensor([1.5]), ember.tensor([1.5]))
    finally:
        torch.set_default_dtype(torch.float32)
        ember.set_default_dtype(ember.float32)


ERRORS = {
    "ragged": lambda L: L.tensor([[1, 2], [3]]), "int_rg": lambda L: L.tensor([1, 2], requires_grad=True),
    "str": lambda L: L.tensor("a"), "arange_zero_step": lambda L: L.arange(0, 1, 0),
    "arange_sign": lambda L: L.arange(0, 5, -1), "neg_size": lambda L: L.zeros(-1),
    "zeros_rg_int": lambda L: L.zeros(2, dtype=L.int64, requires_grad=True),
    "linspace_neg_steps": lambda L: L.linspace(0, 1, -1), "ones_neg": lambda L: L.ones(2, -1),
    "full_neg": lambda L: L.full((-1,), 2.0), "eye_neg": lambda L: L.eye(-1),
}


@pytest.mark.parametrize("name", list(ERRORS))
def test_factory_errors(name):
    with pytest.raises(Exception) as te:
        ERRORS[name](torch)
    with pytest.raises(Exception) as ee:
        ERRORS[name](ember)
    assert isinstance(ee.value, type(te.value)), f"{type(ee.value).__name__}: {ee.value} vs {te.value!r}"
    assert str(ee.value) == str(te.value)


def test_arange_length_matches_torch_for_float_steps():
    for start, end, step in [(0, 1, 0.1), (0.0, 0.3, 0.1), (1, 2, 1 / 3), (-math.pi, math.pi, 0.5)]:
        assert len(ember.arange(start, end, step)) == len(torch.arange(start, end, step))


@pytest.mark.parametrize("call", [
    lambda L: L.zeros(size=(2, 3)), lambda L: L.ones(size=[4]), lambda L: L.empty(size=(0, 2)).shape,
    lambda L: (L.manual_seed(0), L.rand(size=(3,)))[1], lambda L: (L.manual_seed(0), L.randn(size=(2, 2)))[1],
    lambda L: L.ones(L.tensor(3)), lambda L: L.zeros(np.int64(2), 3),
])
def test_factory_sizes_as_pytorch_takes_them(call):
    want, got = call(torch), call(ember)
    if isinstance(want, torch.Size):
        assert tuple(got) == tuple(want)
    else:
        assert_same(want, got)


@pytest.mark.parametrize("name,args", [("zeros", (3,)), ("ones", (2, 2)), ("arange", (5,)), ("linspace", (0, 1, 4)),
                                       ("full", ((3,), 2.5)), ("rand", (3,)), ("randn", (4,)),
                                       ("randint", (0, 9, (5,))), ("randperm", (6,))])
@pytest.mark.parametrize("dtype", ["float64", "int64", "float32"])
def test_factory_out_takes_the_out_dtype_and_draws(name, args, dtype):
    """out= of a factory: the result is made in out's dtype (a float64 random draw into a float64 out), out is
    resized silently, and the same tensor comes back."""
    def run(L):
        out = L.empty(0 if name != "ones" else 7, dtype=getattr(L, dtype))
        L.manual_seed(0)
        try:
            r = getattr(L, name)(*args, out=out)
        except Exception as e:  # noqa: BLE001  (the error is the answer)
            return type(e).__name__, str(e)
        assert r is out
        return out
    want, got = run(torch), run(ember)
    if isinstance(want, tuple):
        assert got == want
    else:
        assert_same(want, got)


def test_python_types_as_dtype_and_bad_dtype_arguments():
    # PyTorch reads float/int/bool/complex as float64/int64/bool/complex128 and refuses a string with a TypeError
    assert ember.ones(2, dtype=float).dtype is ember.float64
    assert ember.zeros(2, dtype=int).dtype is ember.int64
    assert ember.tensor([1], dtype=bool).dtype is ember.bool
    assert ember.empty(0, dtype=complex).dtype is ember.complex128
    assert ember.arange(3, dtype=float).tolist() == [0.0, 1.0, 2.0]
    assert ember.zeros_like(ember.ones(2), dtype=int).dtype is ember.int64
    assert ember.full((2,), 1, dtype=float).dtype is ember.float64
    for make, name in ((lambda: ember.zeros(2, dtype="float32"), "zeros"),
                       (lambda: ember.tensor([1], dtype="int64"), "tensor"),
                       (lambda: ember.full((2,), 1, dtype="x"), "full")):
        with pytest.raises(TypeError) as e:
            make()
        assert str(e.value) == f"{name}(): argument 'dtype' must be torch.dtype, not str"


def test_tensors_inside_a_list_are_scalars():
    # PyTorch reads a tensor in a nested list as one scalar (any shape with one element) keeping its dtype
    assert ember.tensor([ember.ones(1), ember.ones(1, 1)]).tolist() == [1.0, 1.0]
    assert ember.tensor([[ember.tensor([1.5])]]).shape == (1, 1)
    assert ember.tensor([ember.tensor([3], dtype=ember.int8)]).dtype is ember.int8
    assert ember.tensor([ember.tensor(1, dtype=ember.float64)]).dtype is ember.float64
    for bad in ([ember.ones(2)], [ember.ones(0)], (ember.ones(2), ember.ones(2))):
        with pytest.raises(ValueError, match="^only one element tensors can be converted to Python scalars$"):
            ember.tensor(bad)


def test_full_fill_value_must_be_a_number_and_randperm_negative():
    # PyTorch's argument parser: fill_value is a Number (a 0-d tensor or NumPy scalar passes as one)
    assert ember.full((2,), ember.tensor(3)).tolist() == [3, 3]
    assert ember.full((2,), np.float32(1.5)).dtype is ember.float32
    for bad, kind in (([1, 2], "list"), (None, "NoneType"), ("1", "str"), (ember.ones(2), "Tensor")):
        with pytest.raises(TypeError) as e:
            ember.full((2,), bad)
        assert str(e.value) == f"full(): argument 'fill_value' (position 2) must be Number, not {kind}"
    with pytest.raises(RuntimeError, match=r"^Trying to create tensor with negative dimension -2: \[-2\]$"):
        ember.randperm(-2)


def test_randint_takes_high_and_size_by_keyword():
    # torch.randint(high=3, size=(4,)) is the (high, size) overload called by keyword: low is 0, and the draw is
    # the one torch.randint(3, (4,)) makes (PyTorch 2.13 with manual_seed(0) gives [2, 0, 2, 0] for both)
    ember.manual_seed(0)
    by_keyword = ember.randint(high=3, size=(4,))
    ember.manual_seed(0)
    assert by_keyword.tolist() == ember.randint(3, (4,)).tolist() == [2, 0, 2, 0]
    ember.manual_seed(0)
    assert ember.randint(1, high=3, size=(4,)).tolist() == [1, 2, 2, 1]
