"""The fused saved-state backward rules (ember.kernels.fused) against PyTorch, finite differences and np.add.at:
layer norm, GELU, softmax/log-softmax, cross-entropy (nll), scaled_dot_product_attention, embedding.

Each op is checked three ways: values and gradients against PyTorch (float32 to a few ulp, float64 to 1e-10),
``gradcheck`` and ``gradgradcheck`` in float64 (the recorded backward, written with ember's ops, differentiates
again), and the grad_fn names PyTorch shows."""

import numpy as np
import pytest

import ember
import ember.nn.functional as F
from ember.autograd import gradcheck, gradgradcheck
from ember.kernels import fused as KF

torch = pytest.importorskip("torch")


def _pair(shape, seed, dtype=np.float32, scale=1.0):
    a = (np.random.default_rng(seed).standard_normal(shape) * scale).astype(dtype)
    return ember.tensor(a.copy(), requires_grad=True), torch.tensor(a.copy(), requires_grad=True)


def close_to_torch(got, want, dtype):
    """Whether an ember array is PyTorch's up to rounding of its dtype (float32: a few ulp of the largest value)."""
    want = want.detach().numpy() if hasattr(want, "detach") else want
    got = got.detach().numpy() if hasattr(got, "detach") else got
    if got.shape != want.shape:
        return False
    tol = 2e-5 if dtype == np.float32 else 1e-10
    scale = max(1.0, float(np.max(np.abs(want)))) if want.size else 1.0
    return bool(np.all(np.abs(got - want) <= tol * scale))


def test_the_comparison_rejects_a_wrong_gradient():
    a = np.linspace(-1, 1, 12, dtype=np.float32)
    assert close_to_torch(a, torch.tensor(a), np.float32)
    wrong = a.copy()
    wrong[3] += 1e-3
    assert not close_to_torch(wrong, torch.tensor(a), np.float32)
    assert not close_to_torch(a[:6], torch.tensor(a), np.float32)


def _grads_match(fe, ft, inputs_e, inputs_t, dtype, seed=9):
    ye, yt = fe(*inputs_e), ft(*inputs_t)
    assert close_to_torch(ye, yt, dtype)
    g = np.random.default_rng(seed).standard_normal(tuple(yt.shape)).astype(dtype)
    ye.backward(ember.tensor(g))
    yt.backward(torch.tensor(g))
    for a, b in zip(inputs_e, inputs_t):
        if b.grad is not None:
            assert close_to_torch(a.grad, b.grad, dtype)
    return ye, yt


# -- layer norm ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape,norm", [((16, 64, 64), (64,)), ((5, 3, 4), (3, 4)), ((7,), (7,))])
def test_layer_norm_gradients_match_torch(shape, norm, dtype):
    xe, xt = _pair(shape, 1, dtype)
    we, wt = _pair(norm, 2, dtype)
    be, bt = _pair(norm, 3, dtype)
    ye, _ = _grads_match(lambda x, w, b: F.layer_norm(x, norm, w, b),
                         lambda x, w, b: torch.nn.functional.layer_norm(x, norm, w, b),
                         (xe, we, be), (xt, wt, bt), dtype)
    assert ye.grad_fn.name() == "NativeLayerNormBackward0"


def test_layer_norm_without_affine_and_with_bias_only():
    xe, xt = _pair((4, 6), 4)
    _grads_match(lambda x: F.layer_norm(x, (6,)), lambda x: torch.nn.functional.layer_norm(x, (6,)),
                 (xe,), (xt,), np.float32)
    xe, xt = _pair((4, 6), 5)
    be, bt = _pair((6,), 6)
    _grads_match(lambda x, b: F.layer_norm(x, (6,), None, b), lambda x, b: torch.nn.functional.layer_norm(x, (6,), None, b),
                 (xe, be), (xt, bt), np.float32)


def test_layer_norm_bias_gradient_is_torchs_bit_for_bit():
    # dβ = Σ_rows g in PyTorch's order (each thread's rows in turn, then the threads' sums)
    xe, xt = _pair((16, 64, 64), 7)
    we, wt = _pair((64,), 8)
    be, bt = _pair((64,), 9)
    g = np.random.default_rng(10).standard_normal((16, 64, 64)).astype(np.float32)
    F.layer_norm(xe, (64,), we, be).backward(ember.tensor(g))
    torch.nn.functional.layer_norm(xt, (64,), wt, bt).backward(torch.tensor(g))
    if torch.get_num_threads() == KF._THREADS:
        assert np.array_equal(be.grad.numpy(), bt.grad.numpy())


def test_layer_norm_double_backward_and_gradcheck():
    x = ember.tensor(np.random.default_rng(11).standard_normal((3, 5)), requires_grad=True)
    w = ember.tensor(np.random.default_rng(12).standard_normal(5), requires_grad=True)
    b = ember.tensor(np.random.default_rng(13).standard_normal(5), requires_grad=True)
    f = lambda x, w, b: F.layer_norm(x, (5,), w, b)  # noqa: E731
    assert gradcheck(f, (x, w, b))
    assert gradgradcheck(f, (x, w, b))


# -- GELU ------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("approximate", ["none", "tanh"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_gelu_gradients_match_torch(approximate, dtype):
    xe, xt = _pair((1024, 256), 14, dtype, scale=2.0)
    ye, _ = _grads_match(lambda x: F.gelu(x, approximate=approximate),
                         lambda x: torch.nn.functional.gelu(x, approximate=approximate), (xe,), (xt,), dtype)
    assert ye.grad_fn.name() == "GeluBackward0"


@pytest.mark.parametrize("approximate", ["none", "tanh"])
def test_gelu_double_backward_and_gradcheck(approximate):
    x = ember.tensor(np.random.default_rng(15).standard_normal((4, 3)) * 2, requires_grad=True)
    f = lambda x: F.gelu(x, approximate=approximate)  # noqa: E731
    assert gradcheck(f, (x,))
    assert gradgradcheck(f, (x,))


def test_gelu_forward_mode_matches_torch():
    a = np.random.default_rng(16).standard_normal(6)
    t = np.random.default_rng(17).standard_normal(6)
    import torch.autograd.forward_ad as tfw

    import ember.autograd.forward_ad as efw
    with efw.dual_level():
        te = efw.unpack_dual(F.gelu(efw.make_dual(ember.tensor(a), ember.tensor(t)))).tangent
    with tfw.dual_level():
        tt = tfw.unpack_dual(torch.nn.functional.gelu(tfw.make_dual(torch.tensor(a), torch.tensor(t)))).tangent
    assert close_to_torch(te, tt, np.float64)


# -- softmax, log-softmax, cross-entropy --------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
@pytest.mark.parametrize("dim", [0, -1])
def test_softmax_gradients_match_torch(name, dim):
    xe, xt = _pair((64, 65), 18, scale=3.0)
    ye, _ = _grads_match(lambda x: getattr(ember, name)(x, dim), lambda x: getattr(torch, name)(x, dim),
                         (xe,), (xt,), np.float32)
    assert ye.grad_fn.name() == ("SoftmaxBackward0" if name == "softmax" else "LogSoftmaxBackward0")


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
def test_softmax_double_backward(name):
    x = ember.tensor(np.random.default_rng(19).standard_normal((3, 4)), requires_grad=True)
    assert gradgradcheck(lambda x: getattr(ember, name)(x, -1), (x,))


def test_softmax_row_with_nan_or_inf_is_torchs():
    a = np.array([[1.0, np.nan, 2.0], [np.inf, 0.0, 1.0], [-np.inf, -np.inf, 0.0]], dtype=np.float32)
    for name in ("softmax", "log_softmax"):
        with np.errstate(all="ignore"):
            got = getattr(ember, name)(ember.tensor(a), -1).numpy()
        want = getattr(torch, name)(torch.tensor(a), -1).numpy()
        np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("weighted", [False, True])
def test_cross_entropy_gradients_match_torch(reduction, weighted):
    xe, xt = _pair((1024, 65), 20)
    target = np.random.default_rng(21).integers(0, 65, 1024)
    target[::17] = -1
    w = np.random.default_rng(22).random(65).astype(np.float32) if weighted else None
    kw_e = {"weight": None if w is None else ember.tensor(w), "ignore_index": -1, "reduction": reduction}
    kw_t = {"weight": None if w is None else torch.tensor(w), "ignore_index": -1, "reduction": reduction}
    ye, _ = _grads_match(lambda x: F.cross_entropy(x, ember.tensor(target), **kw_e),
                         lambda x: torch.nn.functional.cross_entropy(x, torch.tensor(target), **kw_t),
                         (xe,), (xt,), np.float32)
    assert ye.grad_fn.name() == "NllLossBackward0"
    assert ye.grad_fn.next_functions[0][0].name() == "LogSoftmaxBackward0"


def test_nll_loss_on_images_and_one_sample():
    xe, xt = _pair((2, 5, 3, 4), 23)
    target = np.random.default_rng(24).integers(0, 5, (2, 3, 4))
    ye, _ = _grads_match(lambda x: F.nll_loss(x, ember.tensor(target)),
                         lambda x: torch.nn.functional.nll_loss(x, torch.tensor(target)), (xe,), (xt,), np.float32)
    assert ye.grad_fn.name() == "NllLoss2DBackward0"
    xe, xt = _pair((5,), 25)
    _grads_match(lambda x: F.nll_loss(x, ember.tensor(3)), lambda x: torch.nn.functional.nll_loss(x, torch.tensor(3)),
                 (xe,), (xt,), np.float32)


def test_cross_entropy_double_backward():
    x = ember.tensor(np.random.default_rng(26).standard_normal((4, 5)), requires_grad=True)
    t = ember.tensor(np.array([0, 3, 1, 4]))
    assert gradgradcheck(lambda x: F.cross_entropy(x, t), (x,))


# -- attention -------------------------------------------------------------------------------------------------

def _qkv(shape_q, shape_kv, dtype, seed):
    return _pair(shape_q, seed, dtype), _pair(shape_kv, seed + 1, dtype), _pair(shape_kv, seed + 2, dtype)


@pytest.mark.parametrize("kw", [{"is_causal": True}, {}, {"scale": 0.3}, {"mask": "bool"}, {"mask": "float"}])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sdpa_fused_node_matches_torch(kw, dtype):
    (qe, qt), (ke, kt), (ve, vt) = _qkv((16, 4, 64, 16), (16, 4, 64, 16), dtype, 27)
    kw = dict(kw)
    mask = kw.pop("mask", None)
    me = mt = None
    if mask == "bool":
        m = np.random.default_rng(30).random((64, 64)) > 0.3
        m[:, 0] = True
        me, mt = ember.tensor(m), torch.tensor(m)
    elif mask == "float":
        m = np.random.default_rng(31).standard_normal((64, 64)).astype(dtype)
        me, mt = ember.tensor(m), torch.tensor(m)
    ye, yt = _grads_match(lambda q, k, v: F.scaled_dot_product_attention(q, k, v, me, **kw),
                          lambda q, k, v: torch.nn.functional.scaled_dot_product_attention(q, k, v, mt, **kw),
                          (qe, ke, ve), (qt, kt, vt), dtype)
    assert ye.grad_fn.name() == yt.grad_fn.name() == "ScaledDotProductFlashAttentionForCpuBackward0"


def test_sdpa_keeps_the_composed_graph_where_torch_does():
    (qe, qt), (ke, kt), (ve, vt) = _qkv((2, 3, 5, 4), (2, 3, 6, 4), np.float32, 32)
    for args_e, args_t, kw in (((qe, ke, ve), (qt, kt, vt), {"dropout_p": 0.5}),
                               ((qe[0], ke[0], ve[0]), (qt[0], kt[0], vt[0]), {})):
        ye = F.scaled_dot_product_attention(*args_e, **kw)
        yt = torch.nn.functional.scaled_dot_product_attention(*args_t, **kw)
        assert ye.grad_fn.name() == yt.grad_fn.name()


def test_sdpa_grouped_query_attention_matches_torch():
    (qe, qt), (ke, kt), (ve, vt) = _qkv((2, 4, 5, 8), (2, 2, 5, 8), np.float64, 33)
    ye, yt = _grads_match(lambda q, k, v: F.scaled_dot_product_attention(q, k, v, is_causal=True, enable_gqa=True),
                          lambda q, k, v: torch.nn.functional.scaled_dot_product_attention(q, k, v, is_causal=True,
                                                                                           enable_gqa=True),
                          (qe, ke, ve), (qt, kt, vt), np.float64)
    assert ye.grad_fn.name() == yt.grad_fn.name()


def test_sdpa_double_backward_and_jvp_through_the_fused_node():
    rng = np.random.default_rng(34)
    q, k, v = (ember.tensor(rng.standard_normal((1, 2, 4, 3)), requires_grad=True) for _ in range(3))
    f = lambda q, k, v: F.scaled_dot_product_attention(q, k, v, is_causal=True)  # noqa: E731
    assert f(q, k, v).grad_fn.name() == "ScaledDotProductFlashAttentionForCpuBackward0"
    assert gradcheck(f, (q, k, v))
    assert gradgradcheck(f, (q, k, v))
    # forward mode (PyTorch's kernel has none): the tangent against central differences
    import ember.autograd.forward_ad as efw
    tq = rng.standard_normal((1, 2, 4, 3))
    qd = q.detach().numpy()
    with efw.dual_level():
        out = f(efw.make_dual(ember.tensor(qd), ember.tensor(tq)), k.detach(), v.detach())
        tangent = efw.unpack_dual(out).tangent.numpy()
    h = 1e-6
    fd = (f(ember.tensor(qd + h * tq), k.detach(), v.detach()).numpy()
          - f(ember.tensor(qd - h * tq), k.detach(), v.detach()).numpy()) / (2 * h)
    np.testing.assert_allclose(tangent, fd, rtol=1e-6, atol=1e-8)


def test_causal_mask_is_cached_and_read_only():
    m = KF.causal_mask(5, 7)
    assert m is KF.causal_mask(5, 7)
    np.testing.assert_array_equal(m, ~np.tril(np.ones((5, 7), dtype=bool)))
    with pytest.raises(ValueError):
        m[0, 0] = True


# -- embedding -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("n,rows", [(1024, 65), (64, 64), (300, 3), (7, 1000)])
def test_embedding_backward_adds_in_add_at_order(n, rows):
    rng = np.random.default_rng(35)
    idx = rng.integers(0, rows, n)
    g = rng.standard_normal((n, 8)).astype(np.float32)
    g[::5] = -0.0
    want = np.zeros((rows, 8), np.float32)
    for i, r in zip(idx, g):  # the definition: 0, then each position's gradient in turn
        want[i] += r
    got = KF.embedding_backward(g, idx, rows)
    assert np.array_equal(got.view(np.int32), want.view(np.int32))
    wrong = got.copy()
    wrong[idx[0], 0] = np.nextafter(wrong[idx[0], 0], np.float32(np.inf))
    assert not np.array_equal(wrong.view(np.int32), want.view(np.int32))


def test_embedding_gradient_is_torchs_bit_for_bit():
    we, wt = _pair((65, 64), 36)
    idx = np.random.default_rng(37).integers(0, 65, (16, 64))
    g = np.random.default_rng(38).standard_normal((16, 64, 64)).astype(np.float32)
    ye = F.embedding(ember.tensor(idx), we)
    yt = torch.nn.functional.embedding(torch.tensor(idx), wt)
    ye.backward(ember.tensor(g))
    yt.backward(torch.tensor(g))
    assert ye.grad_fn.name() == "EmbeddingBackward0"
    assert np.array_equal(we.grad.numpy(), wt.grad.numpy())


def test_layer_norm_forward_mode_matches_torch():
    import torch.autograd.forward_ad as tfw

    import ember.autograd.forward_ad as efw
    rng = np.random.default_rng(39)
    a, t, w, b = rng.standard_normal((3, 5)), rng.standard_normal((3, 5)), rng.standard_normal(5), rng.standard_normal(5)
    with efw.dual_level():
        out = F.layer_norm(efw.make_dual(ember.tensor(a), ember.tensor(t)), (5,), ember.tensor(w), ember.tensor(b))
        te = efw.unpack_dual(out).tangent
    with tfw.dual_level():
        out = torch.nn.functional.layer_norm(tfw.make_dual(torch.tensor(a), torch.tensor(t)), (5,), torch.tensor(w),
                                             torch.tensor(b))
        tt = tfw.unpack_dual(out).tangent
    assert close_to_torch(te, tt, np.float64)


def test_embedding_backward_of_distinct_rows_is_add_at():
    rng = np.random.default_rng(40)
    idx = rng.permutation(70)[:64]
    g = rng.standard_normal((64, 5)).astype(np.float32)
    g[::3] = -0.0
    want = np.zeros((70, 5), np.float32)
    np.add.at(want, idx, g)
    assert np.array_equal(KF.embedding_backward(g, idx, 70).view(np.int32), want.view(np.int32))
