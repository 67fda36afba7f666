"""nn.utils.rnn and recurrent layers on packed input, LSTM projections, and the grad_fn names PyTorch prints,
against PyTorch 2.13 (values, gradients, graph node names, reprs, errors); the fused LSTM layer by gradcheck."""

import warnings

import numpy as np
import pytest
from _seq_oracle import close, copy_params, node_name, raises_like, to_ember

import ember
from ember.autograd import gradcheck, gradgradcheck
from ember.nn._functional_seq import lstm_layer
from ember.nn.utils import rnn as ER

torch = pytest.importorskip("torch")
TR = torch.nn.utils.rnn


_e, _close, _name, _raises_like = to_ember, close, node_name, raises_like


def test_checkers_reject_wrong_values():
    a = torch.tensor([1.0, 2.0])
    for wrong in (ember.tensor([1.0, 2.1]), ember.tensor([1.0, 2.0], dtype=ember.float64), ember.tensor([1.0])):
        with pytest.raises(AssertionError):
            _close(a, wrong, 1e-5)
    with pytest.raises((AssertionError, pytest.fail.Exception)):
        _raises_like(lambda: int("x"), lambda: int("1"))
    with pytest.raises(AssertionError):
        _raises_like(lambda: int("x"), lambda: int("y"))
    with pytest.raises(AssertionError):
        _raises_like(lambda: int("x"), lambda: [][0])
    with pytest.raises(AssertionError):
        copy_params(torch.nn.Linear(2, 3), ember.nn.Linear(3, 2))


# -- packing utilities --------------------------------------------------------------------------------------

@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("lengths", [[4, 2, 1], [2, 4, 1], [3, 3, 3]])
def test_pack_pad_roundtrip_matches_torch(batch_first, lengths):
    torch.manual_seed(0)
    shape = (3, 4, 2) if batch_first else (4, 3, 2)
    x = torch.randn(*shape, dtype=torch.float64, requires_grad=True)
    xe = _e(x, True)
    srt = lengths == sorted(lengths, reverse=True)
    tp = TR.pack_padded_sequence(x, lengths, batch_first=batch_first, enforce_sorted=srt)
    ep = ER.pack_padded_sequence(xe, lengths, batch_first=batch_first, enforce_sorted=srt)
    assert isinstance(ep, ER.PackedSequence) and isinstance(ep, tuple)
    _close(tp.data, ep.data, 0)
    assert _name(ep.data) == _name(tp.data) == "PackPaddedSequenceBackward0"
    assert ep.batch_sizes.tolist() == tp.batch_sizes.tolist() and ep.batch_sizes.dtype == ember.int64
    for a, b in ((tp.sorted_indices, ep.sorted_indices), (tp.unsorted_indices, ep.unsorted_indices)):
        assert (a is None) == (b is None) and (a is None or a.tolist() == b.tolist())
    assert repr(ep.batch_sizes) == repr(tp.batch_sizes)
    for total in (None, 6):
        to, tl = TR.pad_packed_sequence(tp, batch_first=batch_first, padding_value=-1.0, total_length=total)
        eo, el = ER.pad_packed_sequence(ep, batch_first=batch_first, padding_value=-1.0, total_length=total)
        _close(to, eo, 0)
        assert el.tolist() == tl.tolist() and _name(eo) == _name(to)
    g = torch.randn_like(to)
    to.backward(g)
    eo.backward(_e(g))
    _close(x.grad, xe.grad, 1e-12)
    back = ER.unpack_sequence(ep)
    for a, b in zip(TR.unpack_sequence(tp), back):
        _close(a, b, 0)
        assert _name(b) == _name(a)


def test_pad_sequence_and_pack_sequence_match_torch():
    torch.manual_seed(1)
    seqs = [torch.randn(n, 2, requires_grad=True) for n in (3, 1, 2)]
    es = [_e(s, True) for s in seqs]
    for bf in (False, True):
        for side in ("right", "left"):
            t = TR.pad_sequence(seqs, batch_first=bf, padding_value=0.5, padding_side=side)
            e = ER.pad_sequence(es, batch_first=bf, padding_value=0.5, padding_side=side)
            _close(t, e, 0)
            assert _name(e) == _name(t)
    ints = [torch.tensor([1, 2]), torch.tensor([3])]
    assert repr(ER.pad_sequence([_e(i) for i in ints], padding_value=2.7)) == repr(
        TR.pad_sequence(ints, padding_value=2.7))
    tp = TR.pack_sequence(seqs, enforce_sorted=False)
    ep = ER.pack_sequence(es, enforce_sorted=False)
    assert repr(ep) == repr(tp)
    t, _ = TR.pad_packed_sequence(tp)
    e, _ = ER.pad_packed_sequence(ep)
    g = torch.randn_like(t)
    t.backward(g)
    e.backward(_e(g))
    for a, b in zip(seqs, es):
        _close(a.grad, b.grad, 1e-6)
    padded = torch.randn(3, 2, 2)
    tu = TR.unpad_sequence(padded.clone(), torch.tensor([3, 1]))
    ep_ = _e(padded)
    eu = ER.unpad_sequence(ep_, ember.tensor([3, 1]))
    assert ep_.shape == (2, 3, 2)  # transposed in place, as PyTorch does
    for a, b in zip(tu, eu):
        _close(a, b, 0)
    assert ER.invert_permutation(ember.tensor([2, 0, 1])).tolist() == [1, 2, 0]
    assert ER.invert_permutation(None) is None
    p = ER.pack_sequence([ember.randn(2, 3), ember.randn(1, 3)])
    assert p.double().data.dtype == ember.float64 and type(p.double()) is ER.PackedSequence
    assert p.to(ember.float32) is p


def test_packing_errors_match_torch():
    x = torch.randn(4, 3, 2)
    for lengths in ([4, 5, 1], [4, 2, 0], [4, 2], [1, 2, 3]):
        _raises_like(lambda lengths=lengths: TR.pack_padded_sequence(x, lengths),
                     lambda lengths=lengths: ER.pack_padded_sequence(_e(x), lengths))
    _raises_like(lambda: TR.pack_sequence([]), lambda: ER.pack_sequence([]))
    _raises_like(lambda: TR.pad_sequence([torch.zeros(2, 3), torch.zeros(2, 4)]),
                 lambda: ER.pad_sequence([ember.zeros(2, 3), ember.zeros(2, 4)]))
    _raises_like(lambda: TR.pad_sequence([torch.zeros(2)], padding_side="x"),
                 lambda: ER.pad_sequence([ember.zeros(2)], padding_side="x"))
    _raises_like(lambda: TR.pad_sequence(3), lambda: ER.pad_sequence(3))
    tp = TR.pack_padded_sequence(x, [4, 2, 1])
    ep = ER.pack_padded_sequence(_e(x), [4, 2, 1])
    _raises_like(lambda: TR.pad_packed_sequence(tp, total_length=2), lambda: ER.pad_packed_sequence(ep, total_length=2))


# -- recurrent layers ----------------------------------------------------------------------------------------

LAYERS = [
    ("LSTM", {}),
    ("LSTM", {"num_layers": 2, "bidirectional": True}),
    ("LSTM", {"proj_size": 2, "num_layers": 2, "bidirectional": True}),
    ("LSTM", {"batch_first": True, "bias": False}),
    ("GRU", {"num_layers": 2, "bidirectional": True}),
    ("GRU", {"batch_first": True}),
    ("RNN", {"bidirectional": True, "nonlinearity": "relu"}),
    ("RNN", {"batch_first": True}),
]


def _run_pair(name, kw, dtype, packed, with_state, unbatched=False):
    torch.manual_seed(0)
    ember.manual_seed(0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tm = getattr(torch.nn, name)(3, 5, **kw).to(dtype)
        em = getattr(ember.nn, name)(3, 5, **kw).to(getattr(ember, str(dtype).split(".")[1]))
    for (_, tp), (_, ep) in zip(tm.named_parameters(), em.named_parameters()):  # PyTorch's seeded init
        np.testing.assert_array_equal(ep.detach().numpy(), tp.detach().numpy())
    bf = kw.get("batch_first", False)
    shape = (4, 3) if unbatched else ((3, 4, 3) if bf else (4, 3, 3))
    x = torch.randn(*shape, dtype=dtype, requires_grad=True)
    xe = _e(x, True)
    lengths = {"sorted": [4, 2, 1], "unsorted": [2, 4, 1]}.get(packed)
    ti = TR.pack_padded_sequence(x, lengths, bf, packed == "sorted") if packed else x
    ei = ER.pack_padded_sequence(xe, lengths, bf, packed == "sorted") if packed else xe
    hargs_t = hargs_e = ()
    if with_state:
        dirs = 2 if kw.get("bidirectional") else 1
        n = dirs * kw.get("num_layers", 1)
        hsz = kw.get("proj_size", 5) or 5
        hs = [torch.randn(n, 3, hsz, dtype=dtype, requires_grad=True)]
        if name == "LSTM":
            hs.append(torch.randn(n, 3, 5, dtype=dtype, requires_grad=True))
        if unbatched:
            hs = [h[:, 0].detach().requires_grad_(True) for h in hs]
        ehs = [_e(h, True) for h in hs]
        hargs_t = (tuple(hs) if name == "LSTM" else hs[0],)
        hargs_e = (tuple(ehs) if name == "LSTM" else ehs[0],)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        to, th = tm(ti, *hargs_t)
        eo, eh = em(ei, *hargs_e)
    th = list(th) if isinstance(th, tuple) else [th]
    eh = list(eh) if isinstance(eh, tuple) else [eh]
    tol = 2e-5 if dtype == torch.float32 else 1e-12
    if packed:
        assert isinstance(eo, ER.PackedSequence)
        assert eo.batch_sizes.tolist() == to.batch_sizes.tolist()
        assert _name(eo.data) == _name(to.data)
        to, eo = to.data, eo.data
    _close(to, eo, tol)
    assert _name(eo) == _name(to)
    for a, b in zip(th, eh):
        _close(a, b, tol)
        assert _name(b) == _name(a)
    g = [torch.randn_like(to)] + [torch.randn_like(a) for a in th]
    torch.autograd.backward([to] + th, g)
    ember.autograd.backward([eo] + eh, [_e(a) for a in g])
    _close(x.grad, xe.grad, 10 * tol)
    for (_, tp), (_, ep) in zip(tm.named_parameters(), em.named_parameters()):
        _close(tp.grad, ep.grad, 10 * tol)
    if with_state:
        for a, b in zip(hs, ehs):
            _close(a.grad, b.grad, 10 * tol)
    return to, eo, th, eh


@pytest.mark.parametrize("case", LAYERS)
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_layers_on_padded_input_match_torch(case, dtype):
    _run_pair(*case, dtype, None, with_state=True)


@pytest.mark.parametrize("case", LAYERS[:3] + LAYERS[4:5] + LAYERS[6:7])
@pytest.mark.parametrize("packed", ["sorted", "unsorted"])
def test_layers_on_packed_input_match_torch(case, packed):
    _run_pair(*case, torch.float32, packed, with_state=packed == "unsorted")


def test_unbatched_and_stateless_calls_match_torch():
    for name in ("LSTM", "GRU", "RNN"):
        _run_pair(name, {}, torch.float32, None, with_state=True, unbatched=True)
        _run_pair(name, {"batch_first": True}, torch.float32, None, with_state=False, unbatched=True)


def test_printed_lstm_outputs_match_torch():
    # PyTorch's CPU LSTM is a oneDNN kernel: MkldnnRnnLayerBackward0 on the output, h_n and c_n stack its outputs
    to, eo, th, eh = _run_pair("LSTM", {"num_layers": 2}, torch.float32, None, with_state=False)
    for a, b in zip([to] + th, [eo] + eh):
        assert repr(b).split("grad_fn")[1] == repr(a).split("grad_fn")[1]
    to, eo, th, eh = _run_pair("LSTM", {}, torch.float32, None, with_state=False)
    tn = to.grad_fn.next_functions
    en = eo.grad_fn.next_functions
    def names(fns):
        return [f.name().split("::")[-1] if f else None for f, _ in fns]
    assert names(en) == names(tn)
    assert eo.grad_fn.name() == "MkldnnRnnLayerBackward0"
    assert eh[0].grad_fn.next_functions[0][1] == th[0].grad_fn.next_functions[0][1] == 1
    assert eh[1].grad_fn.next_functions[0][1] == th[1].grad_fn.next_functions[0][1] == 2
    assert eh[0].grad_fn.next_functions[0][0] is eo.grad_fn


@pytest.mark.parametrize("reverse", [False, True])
def test_fused_lstm_layer_gradcheck(reverse):
    ember.manual_seed(0)
    L, N, I, H = 3, 2, 3, 2

    def mk(*s):
        return ember.randn(*s, dtype=ember.float64, requires_grad=True)
    args = [mk(L, N, I), mk(N, H), mk(N, H), mk(4 * H, I), mk(4 * H, H), mk(4 * H), mk(4 * H)]

    def f(*a):
        return lstm_layer(*a, reverse=reverse)
    assert gradcheck(f, args)
    assert gradgradcheck(f, args)
    assert gradcheck(lambda *a: lstm_layer(*a, reverse=reverse)[2], args)


def test_lstm_dropout_between_layers_draws_as_torch():
    torch.manual_seed(3)
    ember.manual_seed(3)
    tm = torch.nn.LSTM(3, 4, num_layers=2, dropout=0.5)
    em = ember.nn.LSTM(3, 4, num_layers=2, dropout=0.5)
    x = torch.randn(5, 2, 3)
    xe = ember.randn(5, 2, 3)
    _close(x, xe, 0)
    to, _ = tm(x)
    eo, _ = em(xe)
    _close(to, eo, 2e-5)
    assert eo.grad_fn.next_functions[0][0].name() == to.grad_fn.next_functions[0][0].name() == "MulBackward0"


def test_module_surface_and_errors_match_torch():
    assert ember.nn.LSTM(3, 4).flatten_parameters() is None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pairs = [(getattr(torch.nn, n)(3, 4, **kw), getattr(ember.nn, n)(3, 4, **kw))
                 for n, kw in [("LSTM", {"proj_size": 2}), ("LSTM", {"proj_size": 2, "num_layers": 2}),
                               ("GRU", {"dropout": 0.2, "num_layers": 3})]]
    for t, e in pairs:
        assert repr(e) == repr(t)
        assert [n for n, _ in e.named_parameters()] == [n for n, _ in t.named_parameters()]
        assert [[p.shape for p in ws] for ws in e.all_weights] == [[p.shape for p in ws] for ws in t.all_weights]
        assert len(e._flat_weights) == len(t._flat_weights)
    for ctor in (lambda m: m.LSTM(3, 4, proj_size=4), lambda m: m.LSTM(3, 4, proj_size=-1),
                 lambda m: m.GRU(3, 4, proj_size=1), lambda m: m.RNN(3, 4, proj_size=0),
                 lambda m: m.LSTM(3, 4, bias=1), lambda m: m.GRU(3, 4, batch_first=None),
                 lambda m: m.RNN(3.0, 4), lambda m: m.LSTM(0, 4), lambda m: m.RNN(3, 4, nonlinearity="gelu")):
        _raises_like(lambda ctor=ctor: ctor(torch.nn), lambda ctor=ctor: ctor(ember.nn))
    calls = [
        ("LSTM", lambda x: x.zeros(5, 2, 3, dtype=x.float64)),
        ("GRU", lambda x: x.zeros(5, 2, 3, 3)),
        ("RNN", lambda x: x.zeros(5)),
        ("LSTM", lambda x: x.zeros(5, 2, 2)),
    ]
    for name, mk in calls:
        _raises_like(lambda name=name, mk=mk: getattr(torch.nn, name)(3, 4)(mk(torch)),
                     lambda name=name, mk=mk: getattr(ember.nn, name)(3, 4)(mk(ember)))
    hx_calls = [
        ("LSTM", lambda x: (x.zeros(1, 2, 4), x.zeros(1, 3, 4))),
        ("LSTM", lambda x: (x.zeros(2, 4), x.zeros(1, 2, 4))),
        ("GRU", lambda x: x.zeros(2, 4)),
        ("RNN", lambda x: x.zeros(1, 3, 4)),
    ]
    for name, mk in hx_calls:
        _raises_like(lambda name=name, mk=mk: getattr(torch.nn, name)(3, 4)(torch.zeros(5, 2, 3), mk(torch)),
                     lambda name=name, mk=mk: getattr(ember.nn, name)(3, 4)(ember.zeros(5, 2, 3), mk(ember)))
    _raises_like(lambda: torch.nn.GRU(3, 4)(torch.zeros(5, 3), torch.zeros(1, 1, 4)),
                 lambda: ember.nn.GRU(3, 4)(ember.zeros(5, 3), ember.zeros(1, 1, 4)))


def test_weights_reassigned_or_cast_are_used():
    torch.manual_seed(0)
    ember.manual_seed(0)
    tm, em = torch.nn.GRU(3, 4), ember.nn.GRU(3, 4)
    tm.weight_hh_l0 = torch.nn.Parameter(torch.ones(12, 4) * 0.1)
    em.weight_hh_l0 = ember.nn.Parameter(ember.ones(12, 4) * 0.1)
    assert em._flat_weights[1] is em.weight_hh_l0
    x = torch.randn(4, 2, 3)
    _close(tm(x)[0], em(_e(x))[0], 1e-6)
    em.double()
    assert em._flat_weights[0].dtype == ember.float64
