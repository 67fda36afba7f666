"""Names of PyTorch's torch.* surface that ember gained from its not-offered list, each checked against torch
2.13 as the oracle: the same values, the same errors (class and message), the same warnings."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import ember

torch = pytest.importorskip("torch")


def outcome(fn):
    """('ok', value) or ('raise', class name, message), with the warnings' (category, first line) it gave."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = ("ok", fn())
        except Exception as err:  # noqa: BLE001 - the outcome is what is compared
            result = ("raise", type(err).__name__, str(err))
    shown = [(w.category.__name__, str(w.message).split(" (Triggered internally")[0]) for w in caught]
    return result, shown


def same_outcome(ours, theirs) -> None:
    (r1, w1), (r2, w2) = ours, theirs
    assert w1 == w2
    if r2[0] == "raise":
        assert r1 == r2
        return
    assert r1[0] == "ok", r1
    a, b = r1[1], r2[1]
    if isinstance(b, torch.Tensor):
        assert isinstance(a, ember.Tensor) and str(a.dtype) == str(b.dtype) and tuple(a.shape) == tuple(b.shape)
        np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=1e-6, atol=1e-6)
    else:
        assert str(a) == str(b)


def test_same_outcome_rejects_a_difference():
    with pytest.raises(AssertionError):
        same_outcome(outcome(lambda: 1), outcome(lambda: 2))
    with pytest.raises(AssertionError):
        same_outcome(outcome(lambda: 1 / 0), outcome(lambda: {}["k"]))
    with pytest.raises(AssertionError):
        same_outcome(outcome(lambda: warnings.warn("a", DeprecationWarning, stacklevel=1)), outcome(lambda: None))
    with pytest.raises(AssertionError):
        same_outcome(outcome(lambda: ember.ones(2)), outcome(lambda: torch.zeros(2)))


# -- removed functions: the names remain and raise PyTorch's RuntimeError -----------------------------------------

@pytest.mark.parametrize("call", [
    lambda L: L.eig(L.eye(2)), lambda L: L.eig(L.eye(2), True), lambda L: L.symeig(L.eye(2)),
    lambda L: L.solve(L.eye(2), L.eye(2)), lambda L: L.matrix_rank(L.eye(2)), lambda L: L.eye(2).eig(),
    lambda L: L.eye(2).symeig(True), lambda L: L.eye(2).solve(L.eye(2)), lambda L: L.solve(L.eye(2))])
def test_removed_functions_raise_as_in_pytorch(call):
    same_outcome(outcome(lambda: call(ember)), outcome(lambda: call(torch)))


# -- autocast's state: setters, getters, deprecated spellings, nesting --------------------------------------------

AUTOCAST_CALLS = [
    ("get_autocast_ipu_dtype",), ("get_autocast_xla_dtype",), ("is_autocast_ipu_enabled",),
    ("is_autocast_xla_enabled",), ("get_autocast_cpu_dtype",), ("get_autocast_gpu_dtype",),
    ("is_autocast_cpu_enabled",), ("is_autocast_enabled",), ("is_autocast_enabled", "cpu"),
    ("get_autocast_dtype", "cpu"), ("get_autocast_dtype", "cuda"), ("get_autocast_dtype", "hpu"),
    ("get_autocast_dtype", "xla"), ("get_autocast_dtype", "cuda:0"), ("get_autocast_dtype", "meta"),
    ("get_autocast_dtype", "nodevice"), ("get_autocast_dtype", 3), ("get_autocast_dtype",),
    ("set_autocast_cpu_dtype", "float16"), ("get_autocast_cpu_dtype",), ("get_autocast_dtype", "cpu"),
    ("set_autocast_cpu_enabled", True), ("is_autocast_enabled", "cpu"), ("is_autocast_cpu_enabled",),
    ("set_autocast_cpu_enabled", "yes"), ("set_autocast_cpu_dtype", 1),
    ("set_autocast_dtype", "cpu", "float64"), ("get_autocast_dtype", "cpu"), ("set_autocast_dtype", "cpu", 1),
    ("set_autocast_dtype", "cpu"), ("set_autocast_dtype", "nodevice", "float16"),
    ("set_autocast_gpu_dtype", "bfloat16"), ("get_autocast_dtype", "cuda"), ("set_autocast_enabled", True),
    ("is_autocast_enabled",), ("is_autocast_enabled", "cuda"), ("set_autocast_enabled", "cuda:0", False),
    ("is_autocast_enabled",), ("set_autocast_enabled", "cpu"), ("set_autocast_enabled", 1),
    ("set_autocast_enabled", "cpu", 1), ("is_autocast_enabled", 1),
    ("set_autocast_ipu_dtype", "bfloat16"), ("get_autocast_ipu_dtype",), ("set_autocast_ipu_enabled", True),
    ("is_autocast_ipu_enabled",), ("set_autocast_xla_dtype", "float16"), ("get_autocast_xla_dtype",),
    ("set_autocast_xla_enabled", True), ("is_autocast_xla_enabled",), ("set_autocast_xla_enabled", 0),
    ("autocast_increment_nesting",), ("autocast_increment_nesting",), ("autocast_decrement_nesting",),
    ("autocast_decrement_nesting",)]

_DEFAULTS = [("set_autocast_dtype", "cpu", "bfloat16"), ("set_autocast_dtype", "cuda", "float16"),
             ("set_autocast_dtype", "ipu", "float16"), ("set_autocast_dtype", "xla", "bfloat16"),
             ("set_autocast_enabled", "cpu", False), ("set_autocast_enabled", "cuda", False),
             ("set_autocast_enabled", "ipu", False), ("set_autocast_enabled", "xla", False)]


def _run(lib, call):
    name, *args = call
    args = [getattr(lib, a) if a in ("float16", "bfloat16", "float64") else a for a in args]
    return getattr(lib, name)(*args)


def test_autocast_state_calls_as_in_pytorch():
    try:
        for call in AUTOCAST_CALLS:
            same_outcome(outcome(lambda c=call: _run(ember, c)), outcome(lambda c=call: _run(torch, c)))
    finally:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for call in _DEFAULTS:
                _run(ember, call)
                _run(torch, call)


def test_autocast_context_sets_and_restores_the_state():
    def probe(lib):
        seen = []
        with lib.autocast("cpu", dtype=lib.float16):
            seen.append((lib.is_autocast_enabled("cpu"), str(lib.get_autocast_dtype("cpu"))))
            with lib.autocast("cpu", enabled=False):
                seen.append((lib.is_autocast_enabled("cpu"), str(lib.get_autocast_dtype("cpu"))))
            seen.append(lib.autocast_increment_nesting())
            lib.autocast_decrement_nesting()
        seen.append((lib.is_autocast_enabled("cpu"), str(lib.get_autocast_dtype("cpu"))))
        return seen
    assert probe(ember) == probe(torch)


# -- sym_* helpers, cond and while_loop run eagerly, device module lookup -----------------------------------------

@pytest.mark.parametrize("call", [
    lambda L: L.sym_constrain_range(3, min=0, max=5), lambda L: L.sym_constrain_range(-5),
    lambda L: L.sym_constrain_range(3, min=4), lambda L: L.sym_constrain_range(3.5, max=2),
    lambda L: L.sym_constrain_range(3, min=5, max=4), lambda L: L.sym_constrain_range("a"),
    lambda L: L.sym_constrain_range(3, 0, 5), lambda L: L.sym_constrain_range_for_size(3, min=0, max=5),
    lambda L: L.sym_constrain_range_for_size(-1), lambda L: L.sym_constrain_range_for_size(3, max=2),
    lambda L: L.sym_constrain_range_for_size(3, min=-1), lambda L: L.sym_constrain_range_for_size(7, max=5),
    lambda L: L.sym_constrain_range_for_size(L.tensor(3), max=4), lambda L: L.sym_fresh_size(5),
    lambda L: type(L.sym_fresh_size(5)).__name__, lambda L: L.sym_fresh_size(2.5),
    lambda L: L.get_device_module().__name__.split(".")[-1], lambda L: L.get_device_module("cuda:0").__name__[-4:],
    lambda L: L.get_device_module(L.device("cpu")).__name__[-3:], lambda L: L.get_device_module("nodevice"),
    lambda L: L.get_device_module(3), lambda L: L.thread_safe_generator(),
    lambda L: L.get_file_path("a", "b").endswith("/a/b")])
def test_small_torch_functions_as_in_pytorch(call):
    same_outcome(outcome(lambda: call(ember)), outcome(lambda: call(torch)))


def test_get_file_path_is_beside_the_package():
    import os
    assert ember.get_file_path("ember", "__init__.py") == os.path.abspath(ember.__file__)


def _branches(L):
    x = L.tensor([1.0, 2.0], requires_grad=True)
    return x, (lambda v: (v.sin() * 2, v.exp())), (lambda v: (v.cos(), v + 1))


def test_cond_as_in_pytorch():
    seen = []
    for L in (ember, torch):
        x, t, f = _branches(L)
        y, _ = L.cond(x.sum() > 2, t, f, (x,))
        (a, b) = L.cond(x.sum() > 5, t, f, [x])
        (y.sum() + a.sum() * b.sum()).backward()
        seen.append((y.detach().numpy(), a.detach().numpy(), b.detach().numpy(), x.grad.numpy(),
                     y.grad_fn.name(), a.grad_fn.name(), L.cond(True, t, f, (x,))[0].grad_fn.name(),
                     L.cond(0, t, f, (x,))[0].grad_fn.name()))
    for a, b in zip(*seen):
        np.testing.assert_allclose(a, b, rtol=1e-6) if isinstance(a, np.ndarray) else None
        assert isinstance(a, np.ndarray) or a == b


@pytest.mark.parametrize("call", [
    lambda L, x: L.cond(L.tensor([True, False]), lambda v: v, lambda v: v, (x,)),
    lambda L, x: L.cond("a", lambda v: v, lambda v: v, (x,)),
    lambda L, x: L.cond(L.tensor(True), 1, lambda v: v, (x,)),
    lambda L, x: L.cond(L.tensor(True), lambda v: v, lambda v: v, x),
    lambda L, x: L.cond(L.tensor(True), lambda v: v, lambda v: v, (x, 1)),
    lambda L, x: L.while_loop(1, lambda i: i, (x,)),
    lambda L, x: L.while_loop(lambda v, i: i < 3, lambda v, i: (v, i), (x, 1.5))])
def test_cond_and_while_loop_check_their_arguments_as_pytorch(call):
    same_outcome(outcome(lambda: call(ember, ember.ones(2))), outcome(lambda: call(torch, torch.ones(2))))


def test_while_loop_as_in_pytorch():
    seen = []
    for L in (ember, torch):
        x = L.tensor([1.0, 2.0], requires_grad=True)
        i, y = L.while_loop(lambda i, v: i < 3, lambda i, v: (i + 1, v * v), (L.tensor(0), x))
        y.sum().backward()
        j, z = L.while_loop(lambda i, v: i < 0, lambda i, v: (i + 1, v * 2), [L.tensor(0), x.detach()])
        seen.append((int(i), y.detach().numpy(), x.grad.numpy(), y.grad_fn.name(), i.grad_fn, int(j),
                     z.numpy(), z.grad_fn))
    for a, b in zip(*seen):
        if isinstance(a, np.ndarray):
            np.testing.assert_allclose(a, b, rtol=1e-6)
        else:
            assert a == b


# -- ops: values, grad_fn names and gradients against torch's (float64) --------------------------------------------

def _flat(out):
    return list(out) if isinstance(out, (tuple, list)) else [out]


def against_torch(fn, *arrays, grad=True, rtol=1e-10):
    """fn(L, *tensors) in ember and in torch on the same float64 data: the same outputs (values, dtype, shape,
    grad_fn name) and, for ``grad``, the same gradients of Σ outputs · fixed random weights."""
    results = []
    for L in (ember, torch):
        xs = [L.tensor(a, requires_grad=grad and a.dtype.kind == "f") for a in arrays]
        outs = _flat(fn(L, *xs))
        seen = [(o.detach().numpy().copy(), str(o.dtype), tuple(o.shape),
                 o.grad_fn.name() if o.grad_fn is not None else None) for o in outs]
        grads = []
        if grad and any(o.requires_grad for o in outs):
            rng = np.random.default_rng(0)
            loss = sum((o * L.tensor(rng.standard_normal(tuple(o.shape)))).sum() for o in outs if o.requires_grad)
            loss.backward()
            grads = [None if x.grad is None else x.grad.numpy() for x in xs]
        results.append((seen, grads))
    (mine, my_grads), (theirs, their_grads) = results
    assert len(mine) == len(theirs)
    for (a, da, sa, na), (b, db, sb, nb) in zip(mine, theirs):
        assert (da, sa, na) == (db, sb, nb)
        np.testing.assert_allclose(a, b, rtol=rtol, atol=rtol)
    assert len(my_grads) == len(their_grads)
    for a, b in zip(my_grads, their_grads):
        assert (a is None) == (b is None)
        if a is not None:
            np.testing.assert_allclose(a, b, rtol=rtol, atol=rtol)


def test_against_torch_rejects_a_wrong_gradient():
    with pytest.raises(AssertionError):  # same values, different gradient (sin's vs x·sin(1)'s near 1)
        against_torch(lambda L, x: x.sin() if L is ember else x * (x.detach().sin() / x.detach()), np.ones(3))
    with pytest.raises(AssertionError):  # a different grad_fn name
        against_torch(lambda L, x: x * 1 if L is ember else x + 0, np.ones(3))


R = np.random.default_rng(1)


@pytest.mark.parametrize("fn", [
    lambda L, x: L.slice_copy(x, 0, 1, 5, 2), lambda L, x: L.slice_copy(x, -1, -3, None),
    lambda L, x: L.slice_copy(x.reshape(2, 3), 1, 1, 100), lambda L, x: L.unsafe_split_with_sizes(x, [2, 4]),
    lambda L, x: x.reshape(2, 3).unsafe_split_with_sizes([1, 2], 1),
    lambda L, x: (x * 1).as_strided_((2, 2), (1, 2), 1), lambda L, x: L.as_strided_(x * 2, (3,), (2,)),
    lambda L, x: L.slice_inverse((x * 1)[1:5:2], x.exp(), 0, 1, 5, 2),
    lambda L, x: L.slice_inverse((x * 1).reshape(2, 3)[:, 1:], x.reshape(2, 3) * 2, 1, 1, None),
    lambda L, x: L.addmv_(x[:2] * 1, x.reshape(3, 2).t() * 1, x[3:] * 1, beta=2, alpha=3),
    lambda L, x: L.conj_physical_(x * 1), lambda L, x: L.view_as_real(L.conj_physical_(L.complex(x, x * 2))),
    lambda L, x: (x * 1).conj_physical_()])
def test_view_and_copy_ops_as_in_pytorch(fn):
    against_torch(fn, R.standard_normal(6))


@pytest.mark.parametrize("fn", [
    lambda L, x: L.as_strided_scatter(x, x[:2].exp(), (2,), (2,), 1),
    lambda L, x: x.reshape(3, 2).as_strided_scatter(x[:4].reshape(2, 2) * 2, (2, 2), (1, 2))])
def test_as_strided_scatter_values_as_pytorch_gradients_by_finite_differences(fn):
    """PyTorch 2.13's backward of as_strided_scatter gives the input the window's gradient instead of the rest
    (its own gradcheck fails), so the gradients are checked by finite differences; the values against torch."""
    against_torch(fn, R.standard_normal(6), grad=False)
    x = ember.tensor(R.standard_normal(6), requires_grad=True)
    assert ember.autograd.gradcheck(lambda v: fn(ember, v), (x,))
    xt = torch.tensor(x.detach().numpy(), requires_grad=True)
    assert not torch.autograd.gradcheck(lambda v: fn(torch, v), (xt,), raise_exception=False)


@pytest.mark.parametrize("call", [
    lambda L, x: L.slice_copy(x, 0, 1, 5, 0), lambda L, x: L.slice_copy(x, 2),
    lambda L, x: L.unsafe_split_with_sizes(x, [2, 3]), lambda L, x: L.as_strided_scatter(x, L.ones(3), (2,), (2,)),
    lambda L, x: L.as_strided_scatter(x, L.ones(2), (2,), (5,)), lambda L, x: L.as_strided_(x, (2,), (1,)),
    lambda L, x: L.addmv_(L.zeros(1), L.eye(2), L.ones(2)),
    lambda L, x: L.as_strided_scatter(x.reshape(2, 3).t(), x[:2] * 3, (2,), (2,), 1),
    lambda L, x: L.as_strided_scatter(x.detach().reshape(2, 3).t(), x[:2] * 3, (2,), (2,), 1).sum(), lambda L, x: L.slice_inverse(x, x, 0, 0, 2, 0)])
def test_view_and_copy_ops_fail_as_in_pytorch(call):
    x = np.arange(6.0)
    same_outcome(outcome(lambda: call(ember, ember.tensor(x, requires_grad=True))),
                 outcome(lambda: call(torch, torch.tensor(x, requires_grad=True))))


def test_views_share_memory_as_in_pytorch():
    for L in (ember, torch):
        b = L.arange(6.0)
        s = L.slice_inverse(b[1:3], b, 0, 1, 3)
        s[0] = 7
        c = b.clone()
        assert c.as_strided_((2,), (2,)) is c and c.shape == (2,)
        assert float(b[0]) == 7 and s._base is b
        piece = L.unsafe_split_with_sizes(b, [2, 4])[1]
        piece[0] = 9
        assert float(b[2]) == 9
        copy = L.slice_copy(b, 0, 0, 2)
        copy[0] = 1
        assert float(b[0]) == 7


# -- ATen entry points behind nn functions, with their ATen signatures -------------------------------------------

@pytest.mark.parametrize("fn, shapes", [
    (lambda L, x, w, b: L.convolution(x, w, b, [1], [1], [1], False, [0], 1), [(2, 3, 5), (4, 3, 2), (4,)]),
    (lambda L, x, w, b: L.convolution(x, w, b, [2, 1], [0, 1], [1, 2], False, [0, 0], 1),
     [(1, 2, 5, 6), (4, 2, 2, 3), (4,)]),
    (lambda L, x, w, b: L.convolution(x, w, None, [2], [1], [1], True, [1], 1), [(2, 3, 5), (3, 2, 3), (2,)]),
    (lambda L, x, w, b: L.convolution(x, w, b, [1, 1, 1], [0, 0, 0], [1, 1, 1], False, [0, 0, 0], 2),
     [(1, 4, 3, 3, 3), (2, 2, 2, 2, 2), (2,)]),
    (lambda L, v: L.norm_except_dim(v, 2, 0), [(3, 4, 2)]), (lambda L, v: L.norm_except_dim(v, 2, 1), [(3, 4, 2)]),
    (lambda L, v: L.norm_except_dim(v, 3, -1), [(3, 4)]), (lambda L, v: L.norm_except_dim(v, 2, 2), [(3, 4, 2)]),
    (lambda L, v: L.norm_except_dim(v), [(5,)]), (lambda L, v: L.norm_except_dim(v, 1, -1), [(2, 3)]),
    (lambda L, v: L.norm_except_dim(v * L.tensor([[0.0], [1.0]]), 2, -1), [(2, 3)]),
    (lambda L, x, g: L.grid_sampler(x, g.tanh(), 0, 0, False), [(1, 2, 3, 4), (1, 2, 3, 2)]),
    (lambda L, x, g: L.grid_sampler_2d(x, g.tanh(), 1, 1, True), [(2, 1, 3, 3), (2, 2, 2, 2)]),
    (lambda L, x, g: L.grid_sampler(x, g.tanh() * 1.2, 2, 2, True), [(1, 1, 4, 4), (1, 3, 2, 2)]),
    (lambda L, x, g: L.grid_sampler_3d(x, g.tanh(), 0, 1, False), [(1, 1, 2, 3, 3), (1, 2, 2, 2, 3)]),
    (lambda L, t: L.affine_grid_generator(t, [1, 1, 2, 3], False), [(1, 2, 3)]),
    (lambda L, t: L.affine_grid_generator(t, [2, 1, 2, 2, 3], True), [(2, 3, 4)]),
])
def test_aten_nn_entry_points_as_in_pytorch(fn, shapes):
    against_torch(fn, *[R.standard_normal(s) for s in shapes], rtol=1e-9)


def test_native_channel_shuffle_as_in_pytorch():
    against_torch(lambda L, x: L.native_channel_shuffle(x, 2), R.standard_normal((2, 4, 3)), grad=False)
    for L in (ember, torch):
        y = L.native_channel_shuffle(L.ones(1, 4, 2, requires_grad=True), 2)
        assert type(y.grad_fn).__name__ == "NotImplemented"
        with pytest.raises(RuntimeError, match="derivative for aten::native_channel_shuffle is not implemented"):
            y.sum().backward()


@pytest.mark.parametrize("call", [
    lambda L: L.native_channel_shuffle(L.ones(1, 4, 2), 3), lambda L: L.native_channel_shuffle(L.ones(1, 4, 2), 0),
    lambda L: L.native_norm(L.ones(3)), lambda L: L.native_norm(L.ones(3, 2), 2, [1], True, None),
    lambda L: L.norm_except_dim(L.ones(2, 3), 2, 5),
    lambda L: L.embedding_renorm_(L.ones(5, 3), L.tensor([0.0, 2.0]), 1.0, 2.0),
    lambda L: L.embedding_renorm_(L.ones(5, 3, requires_grad=True), L.tensor([0, 2]), 1.0, 2.0),
    lambda L: L.grid_sampler_2d(L.ones(1, 1, 2, 3, 3), L.ones(1, 2, 2, 2, 3), 0, 0, False),
    lambda L: L.grid_sampler_3d(L.ones(1, 1, 3, 3), L.ones(1, 2, 2, 2), 0, 0, False),
    lambda L: L.feature_alpha_dropout_(L.ones(2, 3, requires_grad=True), 0.5, True)])
def test_aten_nn_entry_points_fail_as_in_pytorch(call):
    mine, theirs = outcome(lambda: call(ember)), outcome(lambda: call(torch))
    if theirs[0][1] == "NotImplementedError":  # PyTorch's dispatcher message goes on with its list of backends
        assert mine[0][:2] == theirs[0][:2] and theirs[0][2].startswith(mine[0][2])
    else:
        same_outcome(mine, theirs)


def test_embedding_renorm_and_feature_alpha_dropout_in_place_as_in_pytorch():
    w0 = R.standard_normal((5, 3)) * 2
    seen = []
    for L in (ember, torch):
        w = L.tensor(w0)
        r = L.embedding_renorm_(w, L.tensor([0, 2, 2, 4]), 1.0, 2.0)
        L.manual_seed(3)
        x = L.ones(2, 3, 4, dtype=L.float64)
        y = L.feature_alpha_dropout_(x, 0.5, True)
        L.manual_seed(3)
        z = L.feature_alpha_dropout(L.ones(2, 3, 4, dtype=L.float64), 0.5, True)
        seen.append((r is w, w.numpy().copy(), y is x, x.numpy().copy(), z.numpy().copy(),
                     L.feature_alpha_dropout_(x, 0.5, False) is x))
    for a, b in zip(*seen):
        np.testing.assert_allclose(a, b, rtol=1e-12) if isinstance(a, np.ndarray) else None
        assert isinstance(a, np.ndarray) or a == b


def _rnn(mode, gates, bidirectional, layers, batch_first, biases=True):
    def fn(L, x, h, *params):
        hx = [h, h * 0.5] if mode == "lstm" else h
        out = getattr(L, mode)(x, hx, list(params), biases, layers, 0.0, False, bidirectional, batch_first)
        return out
    dirs = 2 if bidirectional else 1
    H, I, N, T = 3, 2, 2, 4
    arrays = [R.standard_normal((N, T, I) if batch_first else (T, N, I)), R.standard_normal((layers * dirs, N, H))]
    for layer in range(layers):
        for _ in range(dirs):
            arrays += [R.standard_normal((gates * H, I if layer == 0 else H * dirs)),
                       R.standard_normal((gates * H, H))]
            if biases:
                arrays += [R.standard_normal(gates * H), R.standard_normal(gates * H)]
    return fn, arrays


@pytest.mark.parametrize("mode, gates", [("lstm", 4), ("gru", 3), ("rnn_tanh", 1), ("rnn_relu", 1)])
@pytest.mark.parametrize("bidirectional, layers, batch_first, biases", [
    (False, 1, False, True), (True, 2, True, True), (False, 2, False, False)])
def test_recurrent_functions_as_in_pytorch(mode, gates, bidirectional, layers, batch_first, biases):
    fn, arrays = _rnn(mode, gates, bidirectional, layers, batch_first, biases)
    against_torch(fn, *arrays, rtol=1e-9)


@pytest.mark.parametrize("mode, gates", [("lstm", 4), ("gru", 3), ("rnn_tanh", 1)])
def test_recurrent_functions_on_packed_data_as_in_pytorch(mode, gates):
    H, I = 3, 2
    sizes = np.array([3, 2, 2, 1])
    arrays = [R.standard_normal((int(sizes.sum()), I)), R.standard_normal((1, 3, H)),
              R.standard_normal((gates * H, I)), R.standard_normal((gates * H, H)), R.standard_normal(gates * H),
              R.standard_normal(gates * H)]

    def fn(L, data, h, *params):
        hx = [h, h * 0.5] if mode == "lstm" else h
        return getattr(L, mode)(data, L.tensor(sizes), hx, list(params), True, 1, 0.0, False, False)
    against_torch(fn, *arrays, rtol=1e-9)


# -- sync batch norm's kernels and conv_tbc ------------------------------------------------------------------------

_V3 = lambda L: L.ones(3, dtype=L.float64)  # noqa: E731


@pytest.mark.parametrize("call", [
    lambda L, x: L.batch_norm_stats(x, 1e-5),
    lambda L, x: L.batch_norm_elemt(x, _V3(L), _V3(L), _V3(L), _V3(L), 1e-5),
    lambda L, x: L.batch_norm_elemt(x, None, None, _V3(L), _V3(L), 1e-5),
    lambda L, x: L.batch_norm_gather_stats(x, L.ones(2, 3), L.ones(2, 3), _V3(L), _V3(L), 0.1, 1e-5, 4),
    lambda L, x: L.batch_norm_gather_stats_with_counts(x, L.ones(2, 3), L.ones(2, 3), None, None, 0.1, 1e-5,
                                                       L.tensor([4.0, 6.0])),
    lambda L, x: L.batch_norm_backward_reduce(x, x, _V3(L), _V3(L), _V3(L), True, True, True),
    lambda L, x: L.batch_norm_backward_elemt(x, x, _V3(L), _V3(L), _V3(L), _V3(L), _V3(L), L.tensor([20])),
    lambda L, x: L.conv_tbc(L.ones(5, 2), L.ones(2, 3, 4), L.ones(4)),
    lambda L, x: L.conv_tbc(L.ones(5, 2, 3), L.ones(2, 2, 4), L.ones(4)),
    lambda L, x: L.conv_tbc(L.ones(5, 2, 3), L.ones(2, 3, 4), L.ones(3))])
def test_sync_batch_norm_kernels_fail_on_the_cpu_as_in_pytorch(call):
    x = np.ones((4, 3, 5))
    mine = outcome(lambda: call(ember, ember.tensor(x)))
    theirs = outcome(lambda: call(torch, torch.tensor(x)))
    if theirs[0][1] == "NotImplementedError":
        assert mine[0][:2] == theirs[0][:2] and theirs[0][2].startswith(mine[0][2])
    else:
        same_outcome(mine, theirs)


@pytest.mark.parametrize("with_stats", [True, False])
def test_batch_norm_update_stats_as_in_pytorch(with_stats):
    x0 = R.standard_normal((4, 3, 5))
    seen = []
    for L in (ember, torch):
        rm, rv = L.zeros(3, dtype=L.float64), L.ones(3, dtype=L.float64)
        x = L.tensor(x0, requires_grad=True)
        mean, var = L.batch_norm_update_stats(x, rm if with_stats else None, rv if with_stats else None, 0.1)
        seen.append([mean.detach().numpy(), var.detach().numpy(), rm.numpy(), rv.numpy(),
                     type(mean.grad_fn).__name__, rm._version if with_stats else 0])
    for a, b in zip(*seen):
        if isinstance(a, np.ndarray):
            np.testing.assert_allclose(a, b, rtol=1e-12)
        else:
            assert a == b


@pytest.mark.parametrize("pad", [0, 1, 2])
def test_conv_tbc_as_in_pytorch(pad):
    against_torch(lambda L, x, w, b: L.conv_tbc(x, w, b, pad), R.standard_normal((6, 2, 3)),
                  R.standard_normal((3, 3, 4)), R.standard_normal(4), rtol=1e-9)


def test_conv_tbc_gradgrad_by_finite_differences():
    args = [ember.tensor(R.standard_normal(s), requires_grad=True) for s in ((5, 2, 3), (2, 3, 2), (2,))]
    assert ember.autograd.gradgradcheck(lambda x, w, b: ember.conv_tbc(x, w, b, 1), args)


# -- nonzero_static, histogramdd, segment_reduce -------------------------------------------------------------------

@pytest.mark.parametrize("call", [
    lambda L: L.nonzero_static(L.tensor([[0, 1.0], [2, 0]]), size=4),
    lambda L: L.nonzero_static(L.tensor([[0, 1.0], [2, 0]]), size=1),
    lambda L: L.tensor([[0, 1.0], [2, 0]]).nonzero_static(size=3, fill_value=7),
    lambda L: L.nonzero_static(L.tensor([True, False, True]), size=0),
    lambda L: L.nonzero_static(L.tensor(3.0), size=2), lambda L: L.nonzero_static(L.ones(2), size=-1),
    lambda L: L.histogramdd(L.tensor([[0.0, 1], [1, 0], [2, 0], [2, 2]]), bins=[3, 3],
                            weight=L.tensor([1.0, 2, 4, 8])),
    lambda L: L.histogramdd(L.tensor([[0.0, 1], [1, 0], [2, 0], [2, 2]]), bins=[2, 2], range=[0.0, 1, 0, 1],
                            density=True),
    lambda L: L.histogramdd(L.tensor([[0.0, 1], [1, 0], [2, 0], [2, 2]]), bins=2),
    lambda L: L.histogramdd(L.tensor([[0.0, 1], [1, 0], [2, 0], [2, 2]]),
                            bins=[L.tensor([0.0, 1, 3]), L.tensor([0.0, 2])]),
    lambda L: L.histogramdd(L.ones(2, 3, 2, dtype=L.float64), bins=2), lambda L: L.histogramdd(L.ones(3), bins=2),
    lambda L: L.histogramdd(L.ones(3, 2, dtype=L.int64), bins=2),
    lambda L: L.segment_reduce(L.ones(5), "foo", lengths=L.tensor([2, 3])),
    lambda L: L.segment_reduce(L.ones(5), "sum"),
    lambda L: L.segment_reduce(L.ones(5), "sum", indices=L.tensor([0, 0, 1, 1, 1])),
    lambda L: L.segment_reduce(L.ones(5), "sum", lengths=L.tensor([2, 2])),
    lambda L: L.segment_reduce(L.ones(2, 3), "sum", lengths=L.tensor([[1, 2], [3, 0]]), axis=0)])
def test_index_and_histogram_functions_as_in_pytorch(call):
    def shown(r):
        return [shown(v) for v in r] if isinstance(r, tuple) else r
    mine, theirs = outcome(lambda: call(ember)), outcome(lambda: call(torch))
    if theirs[0][0] == "ok" and isinstance(theirs[0][1], tuple):  # (hist, bin_edges)
        assert type(mine[0][1]).__name__ == type(theirs[0][1]).__name__ == "histogramdd"
        same_outcome(outcome(lambda: mine[0][1].hist), outcome(lambda: theirs[0][1].hist))
        assert len(mine[0][1].bin_edges) == len(theirs[0][1].bin_edges)
        for a, b in zip(mine[0][1].bin_edges, theirs[0][1].bin_edges):
            same_outcome(outcome(lambda a=a: a), outcome(lambda b=b: b))
    else:
        same_outcome(mine, theirs)


@pytest.mark.parametrize("reduce", ["sum", "mean", "max", "min", "prod", "amax", "amin"])
@pytest.mark.parametrize("initial", [None, 0.5, -2.0])
def test_segment_reduce_as_in_pytorch(reduce, initial):
    data = R.standard_normal(6)
    data[4] = data[3]  # a tie for max/min
    against_torch(lambda L, x: L.segment_reduce(x, reduce, lengths=L.tensor([2, 0, 3, 1]), initial=initial),
                  data, rtol=1e-9)
    against_torch(lambda L, x: L.segment_reduce(x, reduce, offsets=L.tensor([0, 2, 2, 5, 6]), initial=initial),
                  data, rtol=1e-9)


@pytest.mark.parametrize("reduce", ["sum", "mean", "max", "prod"])
def test_segment_reduce_over_axes_and_batched_lengths_as_in_pytorch(reduce):
    data = R.standard_normal((4, 3))
    data[1, 0] = 0.0  # a zero for prod's gradient
    against_torch(lambda L, x: L.segment_reduce(x, reduce, lengths=L.tensor([1, 3])), data, rtol=1e-9)
    against_torch(lambda L, x: L.segment_reduce(x, reduce, lengths=L.tensor([[1, 2], [3, 0], [0, 3], [2, 1]]),
                                                axis=1), data, rtol=1e-9)


_BAGS = [dict(mode=0), dict(mode=1), dict(mode=2), dict(mode=0, padding_idx=2), dict(mode=2, padding_idx=2),
         dict(mode=1, include_last_offset=True), dict(mode=0, include_last_offset=True), dict(mode=1, padding_idx=-1),
         dict(mode=0, per_sample_weights=True)]


@pytest.mark.parametrize("kw", _BAGS)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("index_dtype", ["int64", "int32"])
def test_embedding_bag_as_in_pytorch(kw, dtype, index_dtype):
    w0 = R.standard_normal((6, 3))
    psw = R.random(6)
    seen = []
    for L in (ember, torch):
        w = L.tensor(w0, dtype=getattr(L, dtype), requires_grad=True)
        it = getattr(L, index_dtype)
        args = dict(kw)
        if args.pop("per_sample_weights", False):
            args["per_sample_weights"] = L.tensor(psw, dtype=getattr(L, dtype))
        mode = args.pop("mode")
        last = 6 if args.get("include_last_offset") else 5  # (indices past the last offset: PyTorch's mean
        # divides by a count that includes them, its sum leaves them out; ember's embedding_bag does not copy that)
        out = L.embedding_bag(w, L.tensor([0, 2, 4, 5, 1, 3], dtype=it), L.tensor([0, 2, 2, last], dtype=it), False,
                              mode, False, args.get("per_sample_weights"), args.get("include_last_offset", False),
                              args.get("padding_idx"))
        (out[0] * L.tensor(np.arange(out[0].numel()).reshape(out[0].shape), dtype=w.dtype)).sum().backward()
        seen.append([out[0].detach().numpy(), out[0].grad_fn.name(), w.grad.numpy()] +
                    [(o.numpy(), str(o.dtype)) for o in out[1:]])
    mine, theirs = seen
    np.testing.assert_allclose(mine[0], theirs[0], rtol=1e-6)
    assert mine[1] == theirs[1]
    np.testing.assert_allclose(mine[2], theirs[2], rtol=1e-6, atol=1e-30)  # (PyTorch's max leaves ~1e-41 where 0)
    for (a, da), (b, db) in zip(mine[3:], theirs[3:]):
        assert da == db and a.tolist() == b.tolist()


def test_embedding_bag_checks_its_mode_as_pytorch():
    call = lambda L: L.embedding_bag(L.ones(3, 2), L.tensor([0, 1]), L.tensor([0]), False, 3)  # noqa: E731
    same_outcome(outcome(lambda: call(ember)), outcome(lambda: call(torch)))


# -- randomized low-rank factorizations: the same draws from the default generator, the same factors -------------

@pytest.mark.parametrize("fn, shape", [
    (lambda L, a: L.svd_lowrank(a, 3), (8, 5)), (lambda L, a: L.svd_lowrank(a, 4, niter=1), (4, 7)),
    (lambda L, a: L.svd_lowrank(a, 2, M=a.mean(0, keepdim=True)), (6, 4)),
    (lambda L, a: L.svd_lowrank(a, 2, niter=0), (2, 6, 4)),
    (lambda L, a: L.pca_lowrank(a), (7, 4)), (lambda L, a: L.pca_lowrank(a, 2, center=False), (5, 6)),
    (lambda L, a: L.pca_lowrank(a, q=3, niter=3), (9, 5))])
def test_lowrank_factorizations_as_in_pytorch(fn, shape):
    def seeded(L, a):
        L.manual_seed(7)
        u, s, v = fn(L, a)
        return u.abs(), s, v.abs()  # each singular pair's sign is the SVD's choice; ember's LAPACK makes PyTorch's
    against_torch(seeded, R.standard_normal(shape), rtol=1e-8)


@pytest.mark.parametrize("call", [lambda L: L.pca_lowrank(L.ones(3, 4), q=5),
                                  lambda L: L.pca_lowrank(L.ones(3, 4), niter=-1)])
def test_pca_lowrank_checks_as_pytorch(call):
    same_outcome(outcome(lambda: call(ember)), outcome(lambda: call(torch)))


_KERNEL_CALLS = {
    "cudnn_affine_grid_generator": lambda L, x, w: L.cudnn_affine_grid_generator(L.randn(1, 2, 3), 1, 1, 2, 2),
    "cudnn_batch_norm": lambda L, x, w: L.cudnn_batch_norm(x, L.ones(2), L.zeros(2), L.zeros(2), L.ones(2), True,
                                                           0.1, 1e-5),
    "cudnn_convolution": lambda L, x, w: L.cudnn_convolution(x, w, [0, 0], [1, 1], [1, 1], 1, False, False, False),
    "cudnn_convolution_relu": lambda L, x, w: L.cudnn_convolution_relu(x, w, None, [1, 1], [0, 0], [1, 1], 1),
    "cudnn_grid_sampler": lambda L, x, w: L.cudnn_grid_sampler(x, L.rand(1, 2, 2, 2)),
    "miopen_convolution": lambda L, x, w: L.miopen_convolution(x, w, None, [0, 0], [1, 1], [1, 1], 1, False,
                                                               False),
    "miopen_depthwise_convolution": lambda L, x, w: L.miopen_depthwise_convolution(x, w, None, [0, 0], [1, 1],
                                                                                   [1, 1], 1, False, False),
    "mkldnn_adaptive_avg_pool2d": lambda L, x, w: L.mkldnn_adaptive_avg_pool2d(x, [2, 2]),
    "mkldnn_max_pool2d": lambda L, x, w: L.mkldnn_max_pool2d(x, [2, 2]),
    "mkldnn_max_pool3d": lambda L, x, w: L.mkldnn_max_pool3d(x.unsqueeze(0), [2, 2, 2]),
    "mkldnn_linear_backward_weights": lambda L, x, w: L.mkldnn_linear_backward_weights(L.ones(2, 3), L.ones(2, 4),
                                                                                       L.ones(3, 4), True),
    "cudnn_is_acceptable": lambda L, x, w: L.cudnn_is_acceptable(x),
    "cudnn_is_acceptable(3)": lambda L, x, w: L.cudnn_is_acceptable(3)}


@pytest.mark.parametrize("name", sorted(_KERNEL_CALLS))
def test_gpu_and_onednn_kernels_on_the_cpu_as_in_pytorch(name):
    call = _KERNEL_CALLS[name]
    mine = outcome(lambda: call(ember, ember.ones(1, 2, 5, 5), ember.ones(3, 2, 3, 3)))
    theirs = outcome(lambda: call(torch, torch.ones(1, 2, 5, 5), torch.ones(3, 2, 3, 3)))
    if theirs[0][1] == "NotImplementedError":
        assert mine[0][:2] == theirs[0][:2] and theirs[0][2].startswith(mine[0][2])
    else:
        same_outcome(mine, theirs)


def test_every_cpu_less_kernel_raises_pytorchs_error():
    from ember import _nn_torch
    for name in _nn_torch._CPU_LESS:
        with pytest.raises(NotImplementedError) as mine:
            getattr(ember, name)(ember.ones(2))
        assert str(mine.value).startswith(f"Could not run 'aten::{name}' with arguments from the 'CPU' backend.")
        assert callable(getattr(torch, name))


# -- geqrf, householder_product / orgqr, ormqr ---------------------------------------------------------------------

@pytest.mark.parametrize("shape", [(4, 3), (3, 3), (2, 5, 3)])
def test_geqrf_as_in_pytorch(shape):
    against_torch(lambda L, a: tuple(L.geqrf(a)), R.standard_normal(shape), grad=False)
    for L in (ember, torch):
        r = L.geqrf(L.ones(3, 2, dtype=L.float64, requires_grad=True))
        assert type(r).__name__ == "geqrf" and r.a.grad_fn.name() == "GeqrfBackward0"
        with pytest.raises(NotImplementedError, match="the derivative for 'geqrf' is not implemented."):
            r.a.sum().backward()


def _packed(shape, k=None):
    """geqrf-like (a, tau) arrays: a random, tau in (0, 2) (the range LAPACK's reflectors use)"""
    a = R.standard_normal(shape)
    tau = R.uniform(0.1, 1.9, shape[:-2] + ((k if k is not None else shape[-1]),))
    return a, tau


@pytest.mark.parametrize("fn, shape, k", [
    (lambda L, a, t: L.linalg.householder_product(a, t), (4, 3), None),
    (lambda L, a, t: L.orgqr(a, t), (3, 3), 2), (lambda L, a, t: a.orgqr(t), (2, 5, 3), None),
    (lambda L, a, t: L.linalg.householder_product(*L.geqrf(a.detach())) + a * t.sum(), (4, 2), None)])
def test_householder_product_as_in_pytorch(fn, shape, k):
    against_torch(fn, *_packed(shape, k), rtol=1e-9)


@pytest.mark.parametrize("left, transpose", [(True, False), (True, True), (False, False), (False, True)])
def test_ormqr_as_in_pytorch(left, transpose):
    a, tau = _packed((4, 3))
    c = R.standard_normal((4, 2) if left else (2, 4))
    against_torch(lambda L, a, t, c: L.ormqr(a, t, c, left, transpose), a, tau, c, rtol=1e-9)
    against_torch(lambda L, a, t, c: a.ormqr(t, c, left=left, transpose=transpose), a, tau, c, rtol=1e-9)


def test_householder_gradgrad_by_finite_differences():
    a, tau = (ember.tensor(v, requires_grad=True) for v in _packed((4, 3)))
    assert ember.autograd.gradgradcheck(lambda a, t: ember.linalg.householder_product(a, t), (a, tau))
    c = ember.tensor(R.standard_normal((4, 2)), requires_grad=True)
    assert ember.autograd.gradgradcheck(lambda a, t, c: ember.ormqr(a, t, c, True, True), (a, tau, c))


@pytest.mark.parametrize("call", [
    lambda L: L.geqrf(L.ones(3)), lambda L: L.geqrf(L.ones(3, 2, dtype=L.int64)),
    lambda L: L.orgqr(L.ones(2, 3), L.ones(1)), lambda L: L.orgqr(L.ones(3, 2), L.ones(3)),
    lambda L: L.ormqr(L.ones(3, 2), L.ones(2), L.ones(2, 2)),
    lambda L: L.ormqr(L.ones(3, 2), L.ones(2), L.ones(2, 2), left=False)])
def test_householder_functions_fail_as_in_pytorch(call):
    same_outcome(outcome(lambda: call(ember)), outcome(lambda: call(torch)))


# -- fake quantization (float in, float out: no quantized tensor needed) -----------------------------------------

@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("fn", [
    lambda L, x: L.fake_quantize_per_tensor_affine(x, 0.1, 0, -128, 127),
    lambda L, x: L.fake_quantize_per_tensor_affine(x * 10, 0.25, 3, 0, 15),
    lambda L, x: L.fake_quantize_per_tensor_affine(x, L.tensor(0.05), L.tensor(2, dtype=L.int32), -8, 7),
    lambda L, x: L.fake_quantize_per_channel_affine(x.reshape(2, 3, 2), L.tensor([0.1, 0.2, 0.05]),
                                                    L.tensor([0, 1, -2], dtype=L.int32), 1, -16, 15),
    lambda L, x: L.fake_quantize_per_channel_affine(x.reshape(3, 4), L.tensor([0.1, 0.3, 0.2, 0.15]),
                                                    L.tensor([0.5, 1.0, -1.5, 0.0]), 1, -8, 7)])
def test_fake_quantize_as_in_pytorch(fn, dtype):
    x = R.standard_normal(12).astype(dtype)
    x[:4] = [0.05, 0.15, 0.25, -0.05]  # halfway cases: round half to even
    against_torch(lambda L, t: fn(L, t.to(getattr(L, dtype))), x, rtol=1e-6)


@pytest.mark.parametrize("call", [
    lambda L, x: L.fake_quantize_per_tensor_affine(x, 0.1, 0, 5, 3),
    lambda L, x: L.fake_quantize_per_tensor_affine(x, 0.1, 300, -128, 127),
    lambda L, x: L.fake_quantize_per_channel_affine(x.reshape(2, 3), L.tensor([0.1, 0.2, 0.3]), L.tensor([0, 1, 2]),
                                                    1, -128, 127),
    lambda L, x: L.fake_quantize_per_channel_affine(x.reshape(2, 3), L.tensor([0.1, 0.2]),
                                                    L.tensor([0, 1], dtype=L.int32), 1, -128, 127),
    lambda L, x: L.fake_quantize_per_channel_affine(x.reshape(2, 3), L.tensor([0.1, 0.2, 0.3]),
                                                    L.tensor([0, 1, 2], dtype=L.int32), -1, -128, 127)])
def test_fake_quantize_fails_as_in_pytorch(call):
    x = np.linspace(-1, 1, 6).astype(np.float32)
    same_outcome(outcome(lambda: call(ember, ember.tensor(x))), outcome(lambda: call(torch, torch.tensor(x))))


# -- Stream and Event on the CPU, the symbolic types -------------------------------------------------------------

@pytest.mark.parametrize("call", [
    lambda L: repr(L.Stream()), lambda L: repr(L.Stream("cpu")), lambda L: repr(L.Event()),
    lambda L: repr(L.Event(enable_timing=True)), lambda L: L.Stream().query(), lambda L: L.Stream().synchronize(),
    lambda L: L.Stream().record_event(), lambda L: L.Stream().wait_event(L.Event()),
    lambda L: L.Stream().wait_stream(L.Stream()), lambda L: L.Event().record(), lambda L: L.Event().query(),
    lambda L: L.Event().synchronize(), lambda L: L.Event().wait(), lambda L: L.Event().elapsed_time(L.Event()),
    lambda L: L.Stream("cuda"), lambda L: L.Event("cuda"), lambda L: L.Stream() == L.Stream(),
    lambda L: (L.Stream().device_type, L.Stream().device_index, L.Stream().stream_id, str(L.Stream().device)),
    lambda L: (L.Event().event_id, str(L.Event().device)), lambda L: L.Stream.__module__,
    lambda L: isinstance(3, (int, L.SymInt)), lambda L: isinstance(3.0, L.SymFloat), lambda L: isinstance(True, L.SymBool),
    lambda L: (L.SymInt.__module__, L.SymFloat.__name__, L.SymBool.__qualname__)])
def test_streams_events_and_symbolic_types_as_in_pytorch(call):
    same_outcome(outcome(lambda: call(ember)), outcome(lambda: call(torch)))


# -- from_file, Storage, AcceleratorError, DisableTorchFunction ---------------------------------------------------

def test_from_file_as_in_pytorch(tmp_path):
    path = str(tmp_path / "data.bin")
    calls = [lambda L: L.from_file(path, size=4), lambda L: L.from_file(path, False, 6, dtype=L.float32),
             lambda L: L.from_file(path, size=3, dtype=L.float64), lambda L: L.from_file(path, size=7),
             lambda L: L.from_file(path + "x", size=2), lambda L: L.from_file(path),
             lambda L: L.from_file(path, size=2, requires_grad=True)]
    for call in calls:
        np.arange(6, dtype=np.float32).tofile(path)
        same_outcome(outcome(lambda c=call: c(ember)), outcome(lambda c=call: c(torch)))
    for L in (ember, torch):  # shared: writes reach the file; private: they do not
        np.arange(6, dtype=np.float32).tofile(path)
        t = L.from_file(path, True, 6)
        t[0] = 100
        p = L.from_file(path, False, 6)
        p[1] = 50
        del t, p
        assert np.fromfile(path, dtype=np.float32).tolist() == [100, 1, 2, 3, 4, 5]
        grown = str(tmp_path / f"new_{L.__name__}.bin")
        assert L.from_file(grown, True, 3, dtype=L.float64).tolist() == [0, 0, 0]
        assert np.fromfile(grown).size == 3


def test_storage_accelerator_error_and_disable_torch_function_as_in_pytorch():
    for L in (ember, torch):
        assert L.Storage is L.FloatStorage
        assert issubclass(L.AcceleratorError, RuntimeError) and L.AcceleratorError.__module__ == "torch"
        assert repr(L.AcceleratorError("x")) == "AcceleratorError('x')"
        for cls in (L.DisableTorchFunction, L.DisableTorchFunctionSubclass):
            with cls() as value:
                assert value is None and float(L.ones(2).sum()) == 2.0
            assert cls.__module__ == "torch._C"
