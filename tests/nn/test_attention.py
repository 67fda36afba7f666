"""scaled_dot_product_attention and MultiheadAttention against PyTorch (values and gradients)."""

import numpy as np
import pytest

import ember
import ember.nn.functional as S
from ember.nn.modules.transformer import MultiheadAttention

torch = pytest.importorskip("torch")


def _e(t, requires_grad=False):
    e = ember.tensor(t.detach().numpy().copy())
    if requires_grad:
        e.requires_grad_(True)
    return e


def _close(a, b, tol=1e-10):
    np.testing.assert_allclose(b.detach().numpy(), a.detach().numpy(), rtol=tol, atol=tol)


@pytest.mark.parametrize("mask_kind", [None, "bool", "float", "causal"])
@pytest.mark.parametrize("shape", [((2, 5, 4), (2, 6, 4)), ((2, 3, 4, 8), (2, 3, 4, 8))])
def test_sdpa_matches_torch(shape, mask_kind):
    qs, ks = shape
    q = torch.randn(*qs, dtype=torch.float64, requires_grad=True)
    k = torch.randn(*ks, dtype=torch.float64, requires_grad=True)
    v = torch.randn(*ks, dtype=torch.float64, requires_grad=True)
    L, Sz = qs[-2], ks[-2]
    mask, causal = None, mask_kind == "causal"
    if mask_kind == "bool":
        mask = torch.rand(L, Sz) > 0.3
        mask[:, 0] = True  # every row keeps something
    elif mask_kind == "float":
        mask = torch.randn(L, Sz, dtype=torch.float64)
    y = torch.nn.functional.scaled_dot_product_attention(q, k, v, mask, is_causal=causal)
    qe, ke, ve = _e(q, True), _e(k, True), _e(v, True)
    ye = S.scaled_dot_product_attention(qe, ke, ve, None if mask is None else _e(mask), is_causal=causal)
    _close(y, ye)
    gy = torch.randn_like(y)
    y.backward(gy)
    ye.backward(_e(gy))
    for a, b in ((q, qe), (k, ke), (v, ve)):
        _close(a.grad, b.grad)


@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("masks", [None, "attn", "padding", "both"])
@pytest.mark.parametrize("need_weights,average", [(True, True), (True, False), (False, True)])
def test_multihead_attention_matches_torch(batch_first, masks, need_weights, average):
    torch.manual_seed(0)
    E, H, L, Sz, N = 8, 2, 4, 5, 3
    tm = torch.nn.MultiheadAttention(E, H, batch_first=batch_first).double()
    with torch.no_grad():
        tm.in_proj_bias.normal_()
        tm.out_proj.bias.normal_()
    em = MultiheadAttention(E, H, batch_first=batch_first).double()
    assert [n for n, _ in tm.named_parameters()] == [n for n, _ in em.named_parameters()]
    for (_, tp), (_, ep) in zip(tm.named_parameters(), em.named_parameters()):
        ep._data[...] = tp.detach().numpy()
    qs = (N, L, E) if batch_first else (L, N, E)
    ks = (N, Sz, E) if batch_first else (Sz, N, E)
    q = torch.randn(*qs, dtype=torch.float64, requires_grad=True)
    k = torch.randn(*ks, dtype=torch.float64, requires_grad=True)
    v = torch.randn(*ks, dtype=torch.float64, requires_grad=True)
    am = kpm = None
    if masks in ("attn", "both"):
        am = torch.randn(L, Sz, dtype=torch.float64)
    if masks in ("padding", "both"):
        kpm = torch.zeros(N, Sz, dtype=torch.bool)
        kpm[0, -2:] = True
        kpm[2, 1] = True
    y, w = tm(q, k, v, key_padding_mask=kpm, need_weights=need_weights, attn_mask=am,
              average_attn_weights=average)
    qe, ke, ve = _e(q, True), _e(k, True), _e(v, True)
    ye, we = em(qe, ke, ve, key_padding_mask=None if kpm is None else _e(kpm), need_weights=need_weights,
                attn_mask=None if am is None else _e(am), average_attn_weights=average)
    _close(y, ye)
    if need_weights:
        _close(w, we)
    else:
        assert we is None and w is None
    gy = torch.randn_like(y)
    y.backward(gy)
    ye.backward(_e(gy))
    for a, b in ((q, qe), (k, ke), (v, ve)):
        _close(a.grad, b.grad)
    for (_, tp), (_, ep) in zip(tm.named_parameters(), em.named_parameters()):
        _close(tp.grad, ep.grad)


def test_multihead_attention_unbatched_and_repr():
    torch.manual_seed(0)
    tm = torch.nn.MultiheadAttention(6, 3).double()
    em = MultiheadAttention(6, 3).double()
    for (_, tp), (_, ep) in zip(tm.named_parameters(), em.named_parameters()):
        ep._data[...] = tp.detach().numpy()
    x = torch.randn(4, 6, dtype=torch.float64)
    y, w = tm(x, x, x)
    ye, we = em(_e(x), _e(x), _e(x))
    _close(y, ye)
    _close(w, we)
    assert repr(em) == repr(tm)
    fresh = MultiheadAttention(6, 3)
    w = np.abs(fresh.in_proj_weight.detach().numpy())
    assert 0.4 < w.max() <= 0.5  # xavier_uniform bound √(6 / (6 + 18)) for the (18, 6) in_proj_weight
    assert not fresh.in_proj_bias.detach().numpy().any() and not fresh.out_proj.bias.detach().numpy().any()
