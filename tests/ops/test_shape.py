"""Views share memory with their base, as in PyTorch: an in-place change through a view shows in the base, both
version counters move, and the gradient of what follows sees the change. NumPy views alias the same way, so the
expected values come from the same view taken of a NumPy array; the gradients are hand-derived (and compared with
PyTorch's when it is installed)."""

from __future__ import annotations

import numpy as np
import pytest

import ember

# (the view of x in library L, the same view of a NumPy array): x has shape (2, 3, 4)
VIEWS = {
    "view": (lambda L, x: x.view(6, 4), lambda a: a.reshape(6, 4)),
    "reshape": (lambda L, x: x.reshape(4, 6), lambda a: a.reshape(4, 6)),
    "view_as": (lambda L, x: x.view_as(L.zeros(24)), lambda a: a.reshape(24)),
    "flatten": (lambda L, x: x.flatten(1), lambda a: a.reshape(2, 12)),
    "unflatten": (lambda L, x: x.unflatten(2, (2, 2)), lambda a: a.reshape(2, 3, 2, 2)),
    "ravel": (lambda L, x: x.ravel(), lambda a: a.reshape(-1)),
    "squeeze": (lambda L, x: x[:1].squeeze(0), lambda a: a[0]),
    "unsqueeze": (lambda L, x: x.unsqueeze(1), lambda a: a[:, None]),
    "transpose": (lambda L, x: x.transpose(0, 2), lambda a: a.transpose(2, 1, 0)),
    "t": (lambda L, x: x[0].t(), lambda a: a[0].T),
    "T": (lambda L, x: x[0].T, lambda a: a[0].T),
    "mT": (lambda L, x: x.mT, lambda a: a.swapaxes(1, 2)),
    "permute": (lambda L, x: x.permute(2, 0, 1), lambda a: a.transpose(2, 0, 1)),
    "movedim": (lambda L, x: x.movedim(0, -1), lambda a: np.moveaxis(a, 0, -1)),
    "narrow": (lambda L, x: x.narrow(2, 1, 2), lambda a: a[:, :, 1:3]),
    "select": (lambda L, x: x.select(1, 2), lambda a: a[:, 2]),
    "select to 0-d": (lambda L, x: x[0, 0].select(0, 3), lambda a: a[0, 0, 3:4].reshape(())),
    "diagonal": (lambda L, x: x.diagonal(1, 1, 2), lambda a: np.lib.stride_tricks.as_strided(
        a[:, :, 1:], (2, 3), (a.strides[0], a.strides[1] + a.strides[2]))),
    "as_strided": (lambda L, x: x.as_strided((3, 2), (4, 1), 1), lambda a: np.lib.stride_tricks.as_strided(
        a.reshape(-1)[1:], (3, 2), (4 * a.itemsize, a.itemsize))),
    "unfold": (lambda L, x: x.unfold(2, 2, 2), lambda a: a.reshape(2, 3, 2, 2)),
    "tensor_split piece": (lambda L, x: x.tensor_split(3, 1)[1], lambda a: a[:, 1:2]),
    "atleast_3d of a row": (lambda L, x: L.atleast_3d(x[0, 0]), lambda a: a[0, 0][None, :, None]),
    "adjoint": (lambda L, x: x.adjoint(), lambda a: a.swapaxes(1, 2)),
}


# the pieces of a multi-output view op: they alias x too, but PyTorch refuses to change them in place while
# recording (their one node could not be rebased)
PIECES = {
    "split piece": (lambda L, x: x.split(2, 2)[1], lambda a: a[:, :, 2:], "Output 1 of Split is a view"),
    "split sizes piece": (lambda L, x: x.split([1, 3], 2)[0], lambda a: a[:, :, :1],
                          "Output 0 of SplitWithSizes is a view"),
    "chunk piece": (lambda L, x: x.chunk(3, 1)[2], lambda a: a[:, 2:], "Output 2 of Split is a view"),
    "unbind piece": (lambda L, x: x.unbind(2)[3], lambda a: a[:, :, 3], "Output 3 of Unbind is a view"),
    "one split piece": (lambda L, x: x.split(8, 1)[0], lambda a: a, "Output 0 of Split is a view"),
}


@pytest.mark.parametrize("name", list(VIEWS) + list(PIECES))
def test_an_inplace_change_through_a_view_shows_in_its_base(name):
    view, np_view = VIEWS[name] if name in VIEWS else PIECES[name][:2]
    x = ember.arange(24.0).reshape(2, 3, 4).clone()
    a = np.arange(24.0).reshape(2, 3, 4)
    v = view(ember, x)
    assert v._base is x, "a view's _base is the tensor it views"
    assert x._version == 0 and v._version == 0
    v.mul_(-1)
    nv = np_view(a)
    nv *= -1
    np.testing.assert_array_equal(x.numpy(), a)
    assert x._version == 1 and v._version == 1, "base and view share one version counter"
    x.add_(100)  # and the other way round
    a += 100
    np.testing.assert_array_equal(v.numpy(), np_view(a))
    assert v._version == 2


@pytest.mark.parametrize("name", list(VIEWS))
def test_the_gradient_sees_an_inplace_change_through_a_view(name):
    """y = x * 1; view(y) *= 2; loss = Σ w · y: dloss/dx = w · (2 inside the view's window, 1 elsewhere)"""
    view, np_view = VIEWS[name]
    rng = np.random.default_rng(0)
    w = rng.standard_normal((2, 3, 4))
    x = ember.tensor(rng.standard_normal((2, 3, 4)), requires_grad=True)
    y = x * 1
    view(ember, y).mul_(2)
    (y * ember.tensor(w)).sum().backward()
    window = np.zeros((2, 3, 4))
    np_view(window)[...] = 1
    np.testing.assert_allclose(x.grad.numpy(), w * (1 + window))


@pytest.mark.parametrize("name", list(PIECES))
def test_a_piece_of_a_multi_output_view_refuses_an_inplace_change_while_recording(name):
    view, _, message = PIECES[name]
    x = ember.ones(2, 3, 4, requires_grad=True)
    y = x * 1
    p = view(ember, y)
    with pytest.raises(RuntimeError, match=message + " and is being modified inplace. This view is the output of a "
                       "function that returns multiple views"):
        p.mul_(2)
    assert y._version == 0
    with ember.no_grad():
        p.mul_(2)  # allowed when not recording
    assert y._version == 1


def test_views_against_pytorch():
    """the same programs in PyTorch: values, versions and gradients"""
    torch = pytest.importorskip("torch")
    for name, (view, _) in VIEWS.items():
        out = []
        for lib in (torch, ember):
            x = lib.arange(24.0, dtype=lib.float64).reshape(2, 3, 4).requires_grad_()
            y = x * 1
            v = view(lib, y)
            v.mul_(2)
            (y * lib.arange(24.0, dtype=lib.float64).reshape(2, 3, 4)).sum().backward()
            out.append((y.detach().numpy().copy(), y._version, v._version, x.grad.numpy().copy()))
        (ty, tyv, tvv, tg), (ey, eyv, evv, eg) = out
        np.testing.assert_array_equal(ey, ty, err_msg=name)
        assert (eyv, evv) == (tyv, tvv), name
        np.testing.assert_array_equal(eg, tg, err_msg=name)


COPIES = {
    "permute_copy": lambda x: ember.permute_copy(x, (2, 0, 1)),
    "t_copy": lambda x: ember.t_copy(x[0]),
    "transpose_copy": lambda x: ember.transpose_copy(x, 0, 1),
    "view_copy": lambda x: ember.view_copy(x, (24,)),
    "squeeze_copy": lambda x: ember.squeeze_copy(x[:1]),
    "unsqueeze_copy": lambda x: ember.unsqueeze_copy(x, 0),
    "expand_copy": lambda x: ember.expand_copy(x[:1], (3, 3, 4)),
    "diagonal_copy": lambda x: ember.diagonal_copy(x),
    "select_copy": lambda x: ember.select_copy(x, 0, 1),
    "narrow_copy": lambda x: ember.narrow_copy(x, 1, 0, 2),
    "as_strided_copy": lambda x: ember.as_strided_copy(x, (2,), (3,)),
    "unfold_copy": lambda x: ember.unfold_copy(x, 2, 2, 1),
    "split_copy piece": lambda x: ember.split_copy(x, 2, 2)[0],
    "split_with_sizes_copy piece": lambda x: ember.split_with_sizes_copy(x, [3, 1], 2)[1],
    "unbind_copy piece": lambda x: ember.unbind_copy(x)[1],
    "alias_copy": lambda x: ember.alias_copy(x),
}


@pytest.mark.parametrize("name", list(COPIES))
def test_the_copy_forms_do_not_alias(name):
    x = ember.arange(24.0).reshape(2, 3, 4).clone()
    c = COPIES[name](x)
    assert c._base is None
    c.add_(1)
    np.testing.assert_array_equal(x.numpy(), np.arange(24.0).reshape(2, 3, 4))
    assert x._version == 0


def test_inplace_view_ops_change_the_tensor_and_bump_its_version():
    x = ember.zeros(1, 3, 1)
    assert x.squeeze_() is x and x.shape == (3,) and x._version == 1
    x.unsqueeze_(0)
    assert x.shape == (1, 3) and x._version == 2
    x.t_()
    assert x.shape == (3, 1) and x._version == 3
    x.transpose_(0, 1)
    assert x.shape == (1, 3) and x._version == 4
    x.swapdims_(0, 1)
    assert x.shape == (3, 1) and x._version == 5


def test_inplace_view_ops_refuse_a_leaf_that_requires_grad():
    x = ember.zeros(1, 3, requires_grad=True)
    for op in (lambda: x.t_(), lambda: x.squeeze_(), lambda: x.unsqueeze_(0), lambda: x.transpose_(0, 1)):
        with pytest.raises(RuntimeError, match="a leaf Variable that requires grad is being used in an in-place"):
            op()
    assert x.shape == (1, 3) and x._version == 0


def test_inplace_view_op_then_inplace_change_of_a_view():
    """w = y[0]; w.unsqueeze_(0); w *= 2: the gradient reaches y's first row doubled (PyTorch: [[2, 2, 2]])"""
    x = ember.ones(1, 3, requires_grad=True)
    y = x * 1
    w = y[0]
    w.unsqueeze_(0)
    w.mul_(2)
    assert w._base is y and y._version == 2
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [[2.0, 2.0, 2.0]])


def test_unsafe_split_pieces_share_memory_but_not_the_version_counter():
    x = ember.arange(6.0, requires_grad=True)
    y = x.reshape(2, 3) * 1
    a, b = y.unsafe_split(2, 1)
    assert a._base is None
    a.mul_(10)
    np.testing.assert_array_equal(y.detach().numpy(), [[0.0, 10.0, 2.0], [30.0, 40.0, 5.0]])
    assert (y._version, a._version, b._version) == (0, 1, 0)
    (a.sum() + b.sum()).backward()  # nothing rebased: the gradient of the pieces as they were recorded
    np.testing.assert_array_equal(x.grad.numpy(), [10.0, 10.0, 1.0, 10.0, 10.0, 1.0])


def test_writing_into_an_expanded_view_is_refused():
    base = ember.zeros(4)
    e = base.expand(3, 4)
    with pytest.raises(RuntimeError, match="more than one element of the written-to tensor refers to a single"):
        e.add_(1)
    assert base._version == 0 and not base.numpy().any()


def test_as_strided_reads_the_storage_of_a_view():
    """as_strided works on x's memory: of x = base[1:], offset 0 is base[0] (PyTorch's storage semantics)"""
    base = ember.arange(6.0)
    x = base[2:]
    np.testing.assert_array_equal(x.as_strided((2,), (2,)).numpy(), [2.0, 4.0])
    np.testing.assert_array_equal(x.as_strided((2,), (2,), 1).numpy(), [1.0, 3.0])


def test_as_strided_gradient_of_a_transposed_input():
    """y = xᵀ.as_strided((2, 2), (1, 2)) reads x's memory in order: storage[0], [2], [1], [3]; each reaches
    the element of x (not of xᵀ) at that place, so dx = g laid out row-major"""
    x = ember.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    y = x.t().as_strided((2, 2), (1, 2))
    np.testing.assert_array_equal(y.detach().numpy(), [[1.0, 3.0], [2.0, 4.0]])
    g = ember.tensor([[10.0, 20.0], [30.0, 40.0]])
    y.backward(g)
    np.testing.assert_array_equal(x.grad.numpy(), [[10.0, 30.0], [20.0, 40.0]])
