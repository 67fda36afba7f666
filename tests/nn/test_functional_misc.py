"""nn.functional's grouped and scaled products, scaling enums and small helpers, against PyTorch 2.13."""

import numpy as np
import pytest

import ember as E
import ember.nn.functional as F

torch = pytest.importorskip("torch")
TF = torch.nn.functional
RNG = np.random.default_rng(7)


def _pair(shape, dtype=np.float32):
    a = RNG.standard_normal(shape).astype(dtype)
    return E.tensor(a), torch.tensor(a)


def _offs(ends):
    return E.tensor(ends, dtype=E.int32), torch.tensor(ends, dtype=torch.int32)


CASES = [((3, 4, 8), (3, 8, 16), None), ((10, 8), (3, 8, 16), [3, 7, 8]), ((3, 4, 8), (8, 24), [8, 16, 20]),
         ((4, 12), (12, 8), [4, 8, 12])]


@pytest.mark.parametrize("sa,sb,ends", CASES)
def test_grouped_mm_values_and_gradients(sa, sb, ends):
    (ea, ta), (eb, tb) = _pair(sa), _pair(sb)
    ea.requires_grad_(), ta.requires_grad_(), eb.requires_grad_(), tb.requires_grad_()
    eo, to = _offs(ends) if ends else (None, None)
    ye, yt = F.grouped_mm(ea, eb, offs=eo), TF.grouped_mm(ta, tb, offs=to)
    assert tuple(ye.shape) == tuple(yt.shape) and ye.grad_fn.name() == yt.grad_fn.name()
    valid = _covered(yt.shape, sa, sb, ends)
    np.testing.assert_allclose(ye.detach().numpy()[valid], yt.detach().numpy()[valid], rtol=1e-5, atol=1e-5)
    g = RNG.standard_normal(tuple(yt.shape)).astype(np.float32)
    g[~valid] = 0
    ye.backward(E.tensor(g)), yt.backward(torch.tensor(g))
    ma, mb = _grad_mask(sa, ends, 0), _grad_mask(sb, ends, 1)
    np.testing.assert_allclose(ea.grad.numpy()[ma], ta.grad.numpy()[ma], rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(eb.grad.numpy()[mb], tb.grad.numpy()[mb], rtol=1e-4, atol=1e-4)


def _covered(shape, sa, sb, ends):
    """The output entries that lie in a group (PyTorch leaves the rest uninitialised)."""
    m = np.ones(tuple(shape), bool)
    if ends and len(sa) == 2 and len(sb) == 3:
        m[ends[-1]:] = False
    if ends and len(sa) == 3 and len(sb) == 2:
        m[:, ends[-1]:] = False
    return m


def _grad_mask(shape, ends, which):
    m = np.ones(shape, bool)
    if ends and which == 0 and len(shape) == 2 and shape[0] > ends[-1]:
        m[ends[-1]:] = False
    if ends and which == 1 and len(shape) == 2 and shape[1] > ends[-1]:
        m[:, ends[-1]:] = False
    return m


def test_grouped_mm_half_types():
    (ea, ta), (eb, tb) = _pair((2, 4, 8)), _pair((2, 8, 16))
    ye, yt = F.grouped_mm(ea.half(), eb.half()), TF.grouped_mm(ta.half(), tb.half())
    assert ye.dtype == E.float16
    np.testing.assert_allclose(ye.float().numpy(), yt.float().numpy(), rtol=2e-3, atol=2e-3)


BAD = [
    (lambda m: m.grouped_mm(m.randn(3, 4, 8, dtype=m.float64), m.randn(3, 8, 16, dtype=m.float64))),
    (lambda m: m.grouped_mm(m.randn(3, 4, 5), m.randn(3, 5, 8))),
    (lambda m: m.grouped_mm(m.randn(4, 8), m.randn(8, 16))),
    (lambda m: m.grouped_mm(m.randn(3, 4, 8), m.randn(3, 4, 16))),
    (lambda m: m.grouped_mm(m.randn(3, 4, 8), m.randn(2, 8, 16))),
    (lambda m: m.grouped_mm(m.randn(3, 4, 8), m.randn(3, 8, 16), bias=m.randn(16))),
    (lambda m: m.grouped_mm(m.randn(2, 3, 4, 8), m.randn(3, 8, 16))),
    (lambda m: m.grouped_mm(m.randn(3, 4, 8), m.randn(3, 8, 16), out_dtype=m.float16)),
    (lambda m: m.grouped_mm(m.randn(10, 8), m.randn(3, 8, 16), offs=m.offs([3, 10]))),
    (lambda m: m.grouped_mm(m.randn(10, 8), m.randn(3, 8, 16), offs=m.offs([3, 7, 10]).long())),
    (lambda m: m.grouped_mm(m.randn(3, 4, 8), m.randn(3, 8, 16), offs=m.offs([3, 7, 10]))),
    (lambda m: m.grouped_mm(m.randn(3, 4, 8).half(), m.randn(3, 8, 16))),
    (lambda m: m.scaled_mm(m.randn(4, 8), m.randn(8, 16), m.tensor(1.0), m.ScalingType.TensorWise, m.tensor(1.0),
                           m.ScalingType.TensorWise)),
    (lambda m: m.scaled_mm(m.randn(4, 8, dtype=m.float64), m.randn(8, 16), m.ones(4, 1), m.ScalingType.RowWise,
                           m.ones(1, 16), m.ScalingType.RowWise)),
]


class _NS:
    def __init__(self, lib, fn):
        self.lib, self.fn = lib, fn

    def __getattr__(self, name):
        return getattr(self.fn, name) if hasattr(self.fn, name) and name != "tensor" else getattr(self.lib, name)

    def offs(self, ends):
        return self.lib.tensor(ends, dtype=self.lib.int32)


@pytest.mark.parametrize("call", BAD)
def test_grouped_and_scaled_errors_match(call):
    with pytest.raises(Exception) as te:
        call(_NS(torch, TF))
    with pytest.raises(type(te.value)) as ee:
        call(_NS(E, F))
    assert str(ee.value) == str(te.value)


def test_scaled_grouped_mm_has_no_cpu_kernel():
    a, b = E.randn(3, 4, 8), E.randn(3, 8, 16)
    with pytest.raises(NotImplementedError, match="_scaled_grouped_mm_v2' with arguments from the 'CPU' backend"):
        F.scaled_grouped_mm(a, b, E.tensor(1.0), F.ScalingType.TensorWise, E.tensor(1.0), F.ScalingType.TensorWise)
    with pytest.raises(NotImplementedError, match="_scaled_grouped_mm_v2' with arguments from the 'CPU' backend"):
        TF.scaled_grouped_mm(torch.randn(3, 4, 8), torch.randn(3, 8, 16), torch.tensor(1.0),
                             TF.ScalingType.TensorWise, torch.tensor(1.0), TF.ScalingType.TensorWise)


def test_enums_mirror_pytorch():
    for name in ("ScalingType", "SwizzleType"):
        ours, theirs = getattr(F, name), getattr(TF, name)
        assert [(m.name, m.value) for m in ours] == [(k, int(v.value)) for k, v in theirs.__members__.items()]
        assert ours.__name__ == type(theirs.TensorWise if name == "ScalingType" else theirs.NO_SWIZZLE).__name__
    assert F.DType is TF.DType is int


def test_assert_int_or_pair():
    for arg in (3, (1, 2), [4, 5]):
        assert F.assert_int_or_pair(arg, "kernel_size", "{} must be an int or a pair") is None
    for mod in (F, TF):
        with pytest.raises(AssertionError, match="^kernel_size must be an int or a pair$"):
            mod.assert_int_or_pair((1, 2, 3), "kernel_size", "{} must be an int or a pair")


def test_boolean_dispatch():
    for mod in (F, TF):
        def with_idx(x, flag=False):
            """doc"""
            return ("idx", x)

        def without(x, flag=False):
            return ("plain", x)

        fn = mod.boolean_dispatch("flag", 1, False, with_idx, without, "mymod", "picked")
        assert fn(1) == ("plain", 1) and fn(1, True) == ("idx", 1) and fn(1, flag=True) == ("idx", 1)
        assert fn.__name__ == "picked" and fn.__module__ == "mymod" and fn.__doc__ == "doc"

    def d1(x):
        """one"""

    def d2(x):
        """two"""

    for mod in (F, TF):
        with pytest.raises(RuntimeError, match="only one function can have a docstring"):
            mod.boolean_dispatch("f", 0, False, d1, d2, None, None)


class _Overriding:
    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        return ("handled", func.__name__, types)


def test_torch_function_checks_as_pytorch():
    for mod, lib in ((F, E), (TF, torch)):
        x = lib.zeros(2)
        assert mod.has_torch_function((_Overriding(),)) and mod.has_torch_function([x, _Overriding()])
        assert not mod.has_torch_function((x, 1, "a")) and not mod.has_torch_function(())
        assert mod.has_torch_function_unary(_Overriding()) and not mod.has_torch_function_unary(x)
        assert mod.has_torch_function_variadic(x, _Overriding()) and not mod.has_torch_function_variadic(x, x)
        with pytest.raises(TypeError, match="expected a sequence"):
            mod.has_torch_function(_Overriding())

        def myfunc(a, mod=mod):
            if mod.has_torch_function_unary(a):
                return mod.handle_torch_function(myfunc, (a,), a)
            return "plain"

        assert myfunc(x) == "plain" and myfunc(_Overriding()) == ("handled", "myfunc", (_Overriding,))
    assert E.autograd.is_tensor_like(E.nn.Parameter(E.zeros(1))) and E.autograd.is_tensor_like(_Overriding())
    assert not E.autograd.is_tensor_like(np.zeros(1))
