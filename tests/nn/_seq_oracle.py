"""Comparison helpers shared by the tests/nn/test_seq_*.py files (PyTorch is the oracle)."""

import numpy as np
import pytest

import ember


def to_ember(t, requires_grad=False):
    """An ember copy of a torch tensor (a leaf, requiring grad if asked)."""
    x = ember.tensor(t.detach().numpy().copy())
    return x.requires_grad_(True) if requires_grad else x


def copy_params(tm, em):
    """Copy a torch module's parameters into an ember module with PyTorch's names, order and shapes."""
    assert [n for n, _ in tm.named_parameters()] == [n for n, _ in em.named_parameters()]
    for (_, tp), (_, ep) in zip(tm.named_parameters(), em.named_parameters()):
        assert tuple(tp.shape) == tuple(ep.shape)
        ep._data[...] = tp.detach().numpy()


def close(t, e, tol):
    """torch tensor ``t`` and ember tensor ``e`` have the same shape, dtype and values (to ``tol``)."""
    a, b = t.detach().numpy(), e.detach().numpy()
    assert a.shape == b.shape, (a.shape, b.shape)
    assert a.dtype == b.dtype, (a.dtype, b.dtype)
    np.testing.assert_allclose(b, a, rtol=tol, atol=tol)


def node_name(t):
    """The grad_fn name, without PyTorch's C++ namespace (torch::autograd::CopySlices -> CopySlices)."""
    return None if t.grad_fn is None else t.grad_fn.name().split("::")[-1]


def raises_like(fn_t, fn_e):
    """Both calls raise the same exception class with the same message."""
    with pytest.raises(Exception) as te:
        fn_t()
    with pytest.raises(Exception) as ee:
        fn_e()
    assert type(ee.value) is type(te.value), (type(ee.value), type(te.value), str(te.value))
    assert str(ee.value) == str(te.value)
    return te.value
