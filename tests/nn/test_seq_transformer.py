"""nn.Transformer, its encoder and decoder stacks and MultiheadAttention against PyTorch 2.13: seeded init,
state-dict keys, reprs, outputs and gradients with every mask kind, dropout streams, errors and warnings."""

import warnings

import numpy as np
import pytest
from _seq_oracle import close, node_name, raises_like, to_ember

import ember
import ember.nn.functional as EF

torch = pytest.importorskip("torch")


def _quiet(fn):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn()


def _pair(build, seed=0):
    """The torch and ember modules built by ``build(nn)`` from the same seed; checks PyTorch's init draws."""
    torch.manual_seed(seed)
    t = _quiet(lambda: build(torch.nn))
    ember.manual_seed(seed)
    e = _quiet(lambda: build(ember.nn))
    ts, es = t.state_dict(), e.state_dict()
    assert list(es) == list(ts)
    for k in ts:
        close(ts[k], es[k], 0)
    assert repr(e) == repr(t)
    return t, e


def _masks(lib, L, S, N, kind):
    if kind == "none":
        return {}
    if kind == "bool":
        causal = lib.triu(lib.ones(L, L, dtype=lib.bool), diagonal=1)
        kpm = lib.tensor([[False] * (S - 1) + [True]] + [[False] * S] * (N - 1))
        tkpm = lib.tensor([[False] * L] * (N - 1) + [[False] * (L - 1) + [True]])
        return {"tgt_mask": causal, "src_key_padding_mask": kpm, "memory_key_padding_mask": kpm,
                "tgt_key_padding_mask": tkpm}
    causal = lib.nn.Transformer.generate_square_subsequent_mask(L)
    mem = lib.zeros(L, S)
    mem[0, 1] = float("-inf")
    return {"tgt_mask": causal, "memory_mask": mem, "src_mask": lib.zeros(S, S)}


CONFIGS = [
    {},
    {"batch_first": True, "norm_first": True},
    {"activation": "gelu", "dropout": 0.0},
    {"bias": False, "layer_norm_eps": 1e-3},
]


@pytest.mark.parametrize("cfg", CONFIGS)
@pytest.mark.parametrize("kind", ["none", "bool", "float"])
def test_transformer_matches_torch(cfg, kind):
    kw = dict(d_model=8, nhead=2, num_encoder_layers=2, num_decoder_layers=2, dim_feedforward=16, **cfg)
    t, e = _pair(lambda nn: nn.Transformer(**kw))
    bf = cfg.get("batch_first", False)
    S, L, N = 5, 4, 3
    torch.manual_seed(1)
    src = torch.randn(*((N, S, 8) if bf else (S, N, 8)), dtype=torch.float64, requires_grad=True)
    tgt = torch.randn(*((N, L, 8) if bf else (L, N, 8)), dtype=torch.float64, requires_grad=True)
    t.double()
    e.double()
    es, et = to_ember(src, True), to_ember(tgt, True)
    tm = {k: (v.double() if v.is_floating_point() else v) for k, v in _masks(torch, L, S, N, kind).items()}
    em = {k: (v.double() if v.is_floating_point() else v) for k, v in _masks(ember, L, S, N, kind).items()}
    torch.manual_seed(2)
    ember.manual_seed(2)
    to = _quiet(lambda: t(src, tgt, **tm))
    eo = _quiet(lambda: e(es, et, **em))
    close(to, eo, 1e-10)  # training mode: dropout masks drawn in PyTorch's order from the same stream
    assert node_name(eo) == node_name(to)
    g = torch.randn_like(to)
    to.backward(g)
    eo.backward(to_ember(g))
    close(src.grad, es.grad, 1e-10)
    close(tgt.grad, et.grad, 1e-10)
    for (_, tp), (_, ep) in zip(t.named_parameters(), e.named_parameters()):
        close(tp.grad, ep.grad, 1e-10)
    t.eval()
    e.eval()
    close(_quiet(lambda: t(src, tgt, **tm)), _quiet(lambda: e(es, et, **em)), 1e-10)


def test_decoder_stack_and_layer_match_torch():
    t, e = _pair(lambda nn: nn.TransformerDecoder(nn.TransformerDecoderLayer(8, 2, 12, dropout=0.2,
                                                                             activation=nn.functional.gelu),
                                                  3, norm=nn.LayerNorm(8)))
    torch.manual_seed(4)
    tgt, mem = torch.randn(4, 2, 8), torch.randn(6, 2, 8)
    mask = torch.nn.Transformer.generate_square_subsequent_mask(4)
    torch.manual_seed(5)
    ember.manual_seed(5)
    to = t(tgt, mem, tgt_mask=mask, tgt_is_causal=True)
    eo = e(to_ember(tgt), to_ember(mem), tgt_mask=to_ember(mask), tgt_is_causal=True)
    close(to, eo, 1e-5)
    t.eval()
    e.eval()
    for causal in (None, False):  # detected from the mask, or not
        close(t(tgt, mem, tgt_mask=mask, tgt_is_causal=causal),
              e(to_ember(tgt), to_ember(mem), tgt_mask=to_ember(mask), tgt_is_causal=causal), 1e-5)
    unb_t = t(tgt[:, 0], mem[:, 0])
    unb_e = e(to_ember(tgt[:, 0]), to_ember(mem[:, 0]))
    close(unb_t, unb_e, 1e-5)


def test_generate_square_subsequent_mask_and_helpers():
    for args in ((3,), (4, None, torch.float64)):
        eargs = args[:2] + ((ember.float64,) if len(args) > 2 else ())
        assert repr(ember.nn.Transformer.generate_square_subsequent_mask(*eargs)) == repr(
            torch.nn.Transformer.generate_square_subsequent_mask(*args))
    m = torch.tensor([[False, True], [False, False]])
    a = torch.nn.functional._canonical_mask(m, "m", None, "", torch.float32)
    b = EF._canonical_mask(to_ember(m), "m", None, "", ember.float32)
    assert repr(b) == repr(a)
    raises_like(lambda: torch.nn.functional._canonical_mask(m.long(), "m", None, "", torch.float32),
                lambda: EF._canonical_mask(to_ember(m.long()), "m", None, "", ember.float32))


def test_transformer_errors_and_warnings_match_torch():
    t, e = _pair(lambda nn: nn.Transformer(8, 2, 1, 1, 16))
    raises_like(lambda: t(torch.zeros(3, 2, 8), torch.zeros(3, 4, 8)), lambda: e(ember.zeros(3, 2, 8),
                                                                               ember.zeros(3, 4, 8)))
    raises_like(lambda: t(torch.zeros(3, 2, 8), torch.zeros(3, 2, 6)), lambda: e(ember.zeros(3, 2, 8),
                                                                               ember.zeros(3, 2, 6)))
    raises_like(lambda: torch.nn.TransformerEncoderLayer(8, 2, activation="tanh"),
                lambda: ember.nn.TransformerEncoderLayer(8, 2, activation="tanh"))
    raises_like(lambda: torch.nn.TransformerDecoderLayer(8, 2, activation="x"),
                lambda: ember.nn.TransformerDecoderLayer(8, 2, activation="x"))
    raises_like(lambda: t.encoder(torch.zeros(3, 2, 8), src_key_padding_mask=torch.zeros(2, 3, dtype=torch.long)),
                lambda: e.encoder(ember.zeros(3, 2, 8), src_key_padding_mask=ember.zeros(2, 3, dtype=ember.int64)))
    for lib in (torch, ember):
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            lib.nn.TransformerEncoder(lib.nn.TransformerEncoderLayer(8, 2, 16), 1)
            lib.nn.TransformerEncoder(lib.nn.TransformerEncoderLayer(8, 2, 16, batch_first=True,
                                                                     norm_first=True), 1)
            lib.nn.TransformerEncoder(lib.nn.TransformerEncoderLayer(8, 3, 16, batch_first=True) if False else
                                      lib.nn.TransformerEncoderLayer(9, 3, 16, batch_first=True), 1)
        msgs = [str(x.message) for x in w]
        if lib is torch:
            expected = msgs
        else:
            assert msgs == expected
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        e.encoder(ember.zeros(3, 2, 8), mask=ember.zeros(3, 3),
                  src_key_padding_mask=ember.zeros(2, 3, dtype=ember.bool))
    assert any("Support for mismatched src_key_padding_mask and mask is deprecated" in str(x.message) for x in w)


def test_encoder_eval_zeros_padded_positions_as_torch():
    t, e = _pair(lambda nn: nn.TransformerEncoder(nn.TransformerEncoderLayer(8, 2, 16, batch_first=True), 2))
    t.eval()
    e.eval()
    x = torch.randn(2, 4, 8)
    for pad in ([[False, False, True, True], [False] * 4], [[False, True, False, True], [False] * 4]):
        m = torch.tensor(pad)
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            to = t(x, src_key_padding_mask=m)
        with ember.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            eo = e(to_ember(x), src_key_padding_mask=to_ember(m))
        close(to, eo, 1e-5)
    close(t(x, src_key_padding_mask=m), e(to_ember(x), src_key_padding_mask=to_ember(m)), 1e-5)  # with grad


MHA_CASES = [
    ({}, "self"),
    ({"kdim": 5, "vdim": 3}, "cross"),
    ({"add_bias_kv": True, "add_zero_attn": True}, "cross"),
    ({"bias": False, "batch_first": True}, "self"),
    ({"add_zero_attn": True, "batch_first": True, "dropout": 0.3}, "kv"),
]


@pytest.mark.parametrize("case", MHA_CASES)
@pytest.mark.parametrize("need_weights,average", [(True, True), (True, False), (False, True)])
def test_multihead_attention_matches_torch(case, need_weights, average):
    kw, kind = case
    t, e = _pair(lambda nn: nn.MultiheadAttention(6, 2, **kw))
    assert [n for n, _ in e.named_parameters()] == [n for n, _ in t.named_parameters()]
    bf = kw.get("batch_first", False)
    torch.manual_seed(3)
    L, S, N = 3, 4, 2

    def shape(n, d):
        return (N, n, d) if bf else (n, N, d)
    q = torch.randn(*shape(L, 6), dtype=torch.float64, requires_grad=True)
    k = torch.randn(*shape(S, kw.get("kdim", 6)), dtype=torch.float64, requires_grad=True)
    v = torch.randn(*shape(S, kw.get("vdim", 6)), dtype=torch.float64, requires_grad=True)
    if kind == "self":
        k = v = q
    elif kind == "kv":
        v = k
    t.double()
    e.double()
    eq, ek, ev = (to_ember(x, True) for x in (q, k, v))
    if kind == "self":
        ek = ev = eq
    elif kind == "kv":
        ev = ek
    src_len = q.shape[1 if bf else 0] if kind == "self" else S
    kpm = torch.zeros(N, src_len, dtype=torch.bool)
    kpm[0, -1] = True
    am = torch.randn(L, src_len, dtype=torch.float64)
    torch.manual_seed(7)
    ember.manual_seed(7)
    to, tw = t(q, k, v, key_padding_mask=kpm, attn_mask=am, need_weights=need_weights,
               average_attn_weights=average)
    eo, ew = e(eq, ek, ev, key_padding_mask=to_ember(kpm), attn_mask=to_ember(am), need_weights=need_weights,
               average_attn_weights=average)
    close(to, eo, 1e-12)
    assert node_name(eo) == node_name(to)
    assert (tw is None) == (ew is None)
    if tw is not None:
        close(tw, ew, 1e-12)
        assert node_name(ew) == node_name(tw)
    g = torch.randn_like(to)
    to.backward(g)
    eo.backward(to_ember(g))
    for a, b in ((q, eq), (k, ek), (v, ev)):
        close(a.grad, b.grad, 1e-12)
    for (_, tp), (_, ep) in zip(t.named_parameters(), e.named_parameters()):
        close(tp.grad, ep.grad, 1e-12)


def test_multihead_attention_masks_and_errors_match_torch():
    t, e = _pair(lambda nn: nn.MultiheadAttention(4, 2))
    x = torch.randn(3, 2, 4)
    ex = to_ember(x)
    causal = torch.nn.Transformer.generate_square_subsequent_mask(3)
    for nw in (True, False):
        close(t(x, x, x, attn_mask=causal, is_causal=True, need_weights=nw)[0],
              e(ex, ex, ex, attn_mask=to_ember(causal), is_causal=True, need_weights=nw)[0], 1e-6)
    close(t(x[:, 0], x[:, 0], x[:, 0])[1], e(ex[:, 0], ex[:, 0], ex[:, 0])[1], 1e-6)
    calls = [
        lambda x, m: m(x, x, x, is_causal=True),
        lambda x, m: m(x, x[:, :1], x),
        lambda x, m: m(x, x, x, attn_mask=x[:, :, 0]),
        lambda x, m: m(x, x, x, attn_mask=x[:, :2, :2].reshape(1, 2, 2)),
        lambda x, m: m(x, x, x, key_padding_mask=x[:, :, 0]),
        lambda x, m: m(x, x, x, key_padding_mask=x[:1, :2, 0].reshape(2)),
        lambda x, m: m(x[..., :3], x[..., :3], x[..., :3]),
        lambda x, m: m(x[0], x, x),
        lambda x, m: m(x[None], x[None], x[None]),
    ]
    for call in calls:
        raises_like(lambda call=call: call(x, t), lambda call=call: call(ex, e))
    raises_like(lambda: torch.nn.MultiheadAttention(5, 2), lambda: ember.nn.MultiheadAttention(5, 2))
    raises_like(lambda: torch.nn.MultiheadAttention(0, 2), lambda: ember.nn.MultiheadAttention(0, 2))
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        e(ex, ex, ex, key_padding_mask=ember.zeros(2, 3, dtype=ember.bool), attn_mask=ember.zeros(3, 3))
    assert any("Support for mismatched key_padding_mask and attn_mask" in str(x.message) for x in w)
    np.testing.assert_array_equal(
        e.merge_masks(ember.zeros(3, 3), ember.zeros(2, 3), ember.zeros(2, 3, 4))[0].shape, (2, 2, 3, 3))
