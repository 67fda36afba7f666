"""Type promotion against PyTorch: tensor/tensor, tensor/scalar, 0-d tensors, result_type, NumPy scalars."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import ember

torch = pytest.importorskip("torch")

DTYPES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64"]
SCALARS = [True, 3, -2, 2.5, np.float64(1.5), np.int64(2), np.float32(0.5), np.bool_(True)]


def _pair(name, shape):
    t = torch.ones(shape, dtype=getattr(torch, name))
    e = ember.ones(shape, dtype=getattr(ember, name))
    return t, e


@pytest.mark.parametrize("b", DTYPES)
@pytest.mark.parametrize("a", DTYPES)
def test_tensor_tensor_promotion(a, b):
    for sa, sb in [((2,), (2,)), ((2,), ()), ((), (2,)), ((), ())]:
        ta, ea = _pair(a, sa)
        tb, eb = _pair(b, sb)
        assert str(ember.result_type(ea, eb)) == str(torch.result_type(ta, tb)), (a, b, sa, sb)
        if a != "bool" or b != "bool":
            assert str((ea * eb).dtype) == str((ta * tb).dtype), (a, b, sa, sb)
        assert str((ea / eb).dtype) == str((ta / tb).dtype), (a, b, sa, sb)


@pytest.mark.parametrize("scalar", SCALARS, ids=repr)
@pytest.mark.parametrize("a", DTYPES)
def test_tensor_scalar_promotion(a, scalar):
    for shape in [(2,), ()]:
        ta, ea = _pair(a, shape)
        assert str(ember.result_type(ea, scalar)) == str(torch.result_type(ta, scalar)), (a, scalar)
        for op in ("__add__", "__mul__", "__truediv__", "__radd__", "__rmul__"):
            if isinstance(scalar, (bool, np.bool_)) and a == "bool" and op in ("__add__", "__radd__"):
                continue
            try:
                expect = str(getattr(ta, op)(scalar).dtype)
            except (RuntimeError, TypeError):
                continue
            assert str(getattr(ea, op)(scalar).dtype) == expect, (a, scalar, op, shape)


@pytest.mark.parametrize("name", ["add", "sub", "mul", "div", "maximum", "eq", "where", "pow", "remainder", "atan2"])
def test_mixed_dtype_ops(name):
    fns = {"add": lambda L, a, b: a + b, "sub": lambda L, a, b: a - b, "mul": lambda L, a, b: a * b,
           "div": lambda L, a, b: a / b, "maximum": lambda L, a, b: L.maximum(a, b), "eq": lambda L, a, b: a == b,
           "where": lambda L, a, b: L.where(a > 1, a, b), "pow": lambda L, a, b: a ** b,
           "remainder": lambda L, a, b: a % b, "atan2": lambda L, a, b: L.atan2(a, b)}
    fn = fns[name]
    for a, b in itertools.product(["int32", "int64", "float32", "float64", "uint8"], repeat=2):
        for sa, sb in [((3,), (3,)), ((3,), ()), ((), (3,))]:
            ta = torch.arange(1, 4, dtype=getattr(torch, a))[:3].reshape(sa) if sa else torch.tensor(2, dtype=getattr(torch, a))
            tb = torch.arange(1, 4, dtype=getattr(torch, b))[:3].reshape(sb) if sb else torch.tensor(2, dtype=getattr(torch, b))
            ea, eb = ember.tensor(ta.numpy()), ember.tensor(tb.numpy())
            tr, er = fn(torch, ta, tb), fn(ember, ea, eb)
            assert str(er.dtype) == str(tr.dtype), (name, a, b, sa, sb)
            np.testing.assert_allclose(er.numpy(), tr.numpy(), rtol=1e-6)


def test_documented_examples():
    assert ember.ones(2).mul(2.5).dtype is ember.float32
    assert (ember.ones(2, dtype=ember.int64) / ember.ones(2, dtype=ember.int64)).dtype is ember.float32
    assert (ember.ones(2, dtype=ember.int64) * 2.5).dtype is ember.float32
    assert (ember.ones(2, dtype=ember.float32) * ember.tensor(2.0, dtype=ember.float64)).dtype is ember.float32
    assert (ember.ones(2, dtype=ember.int32) * ember.tensor(2.0, dtype=ember.float64)).dtype is ember.float64
    assert (ember.ones(2) * np.float64(2.0)).dtype is ember.float32


def test_promote_types_and_can_cast():
    for a, b in itertools.product(DTYPES, repeat=2):
        ta, tb = getattr(torch, a), getattr(torch, b)
        ea, eb = getattr(ember, a), getattr(ember, b)
        assert str(ember.promote_types(ea, eb)) == str(torch.promote_types(ta, tb))
        assert ember.can_cast(ea, eb) == torch.can_cast(ta, tb), (a, b)


def test_default_dtype_switch():
    try:
        ember.set_default_dtype(ember.float64)
        torch.set_default_dtype(torch.float64)
        assert str(ember.tensor([1.0]).dtype) == str(torch.tensor([1.0]).dtype)
        assert str((ember.tensor([1, 2]) * 0.5).dtype) == str((torch.tensor([1, 2]) * 0.5).dtype)
        assert str(ember.arange(0.0, 1.0, 0.5).dtype) == str(torch.arange(0.0, 1.0, 0.5).dtype)
    finally:
        ember.set_default_dtype(ember.float32)
        torch.set_default_dtype(torch.float32)


def test_operators_with_foreign_operands_fall_back_to_python():
    # PyTorch's dunders turn an argument error into NotImplemented: == / != with None, a string or a list are
    # Python's identity answers, ordering and bitwise operators raise Python's TypeError
    t = ember.tensor([1, 2])
    assert (t == None) is False and (t != None) is True  # noqa: E711
    assert (t == "a") is False and (t == [1, 2]) is False and (None == t) is False  # noqa: E711
    with pytest.raises(TypeError, match="'<' not supported between instances of 'Tensor' and 'NoneType'"):
        t < None  # noqa: B015
    with pytest.raises(TypeError, match=r"unsupported operand type\(s\) for &: 'Tensor' and 'NoneType'"):
        t & None  # noqa: B018
    with pytest.raises(TypeError, match=r"unsupported operand type\(s\) for @: 'Tensor' and 'int'"):
        t @ 2  # noqa: B018
    assert (t == t).tolist() == [True, True] and (t < 2).tolist() == [True, False] and (t @ t).item() == 5
