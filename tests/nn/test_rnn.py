"""RNN/LSTM/GRU and their cells against PyTorch: torch's weights copied in, outputs, states and all gradients."""

import numpy as np
import pytest

import ember
import ember.nn as enn

torch = pytest.importorskip("torch")


def _e(t, requires_grad=False):
    e = ember.tensor(t.detach().numpy().copy())
    if requires_grad:
        e.requires_grad_(True)
    return e


def _copy_params(tm, em):
    tn = [n for n, _ in tm.named_parameters()]
    en = [n for n, _ in em.named_parameters()]
    assert tn == en  # PyTorch's names, in PyTorch's order
    for (_, tp), (_, ep) in zip(tm.named_parameters(), em.named_parameters()):
        assert tuple(tp.shape) == tuple(ep.shape)
        ep._data[...] = tp.detach().numpy()


def _close(a, b, tol):
    a = a.detach().numpy()
    b = b.detach().numpy()
    assert a.shape == b.shape
    np.testing.assert_allclose(b, a, rtol=tol, atol=tol)


def _flat(out):
    if isinstance(out, tuple):
        r = []
        for o in out:
            r += _flat(o)
        return r
    return [out]


CASES = [  # (cls, kwargs, input shape, with initial state)
    ("RNN", {"num_layers": 1}, (5, 3, 4), False),
    ("RNN", {"num_layers": 2, "nonlinearity": "relu", "batch_first": True}, (3, 5, 4), True),
    ("RNN", {"bidirectional": True, "bias": False}, (4, 2, 4), True),
    ("LSTM", {"num_layers": 2}, (5, 3, 4), True),
    ("LSTM", {"bidirectional": True, "batch_first": True, "num_layers": 2}, (2, 6, 4), False),
    ("LSTM", {}, (6, 4), True),  # unbatched
    ("GRU", {"num_layers": 2, "bidirectional": True}, (4, 3, 4), True),
    ("GRU", {"batch_first": True, "bias": False}, (3, 5, 4), False),
    ("GRU", {}, (5, 4), False),  # unbatched
]


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("case", CASES)
def test_recurrent_layers_match_torch(case, dtype):
    name, kw, shape, with_state = case
    torch.manual_seed(0)
    tm = getattr(torch.nn, name)(4, 3, **kw).to(dtype)
    em = getattr(enn, name)(4, 3, **kw).to(ember.float64 if dtype == torch.float64 else ember.float32)
    _copy_params(tm, em)
    x = torch.randn(*shape, dtype=dtype, requires_grad=True)
    xe = _e(x, True)
    targs, eargs = [x], [xe]
    if with_state:
        dirs = 2 if kw.get("bidirectional") else 1
        batched = len(shape) == 3
        n = shape[0] if kw.get("batch_first") else shape[1]
        hs = (kw.get("num_layers", 1) * dirs, n, 3) if batched else (kw.get("num_layers", 1) * dirs, 3)
        h0 = torch.randn(*hs, dtype=dtype, requires_grad=True)
        if name == "LSTM":
            c0 = torch.randn(*hs, dtype=dtype, requires_grad=True)
            targs.append((h0, c0))
            eargs.append((_e(h0, True), _e(c0, True)))
        else:
            targs.append(h0)
            eargs.append(_e(h0, True))
    tout, eout = _flat(tm(*targs)), _flat(em(*eargs))
    tol = 1e-5 if dtype == torch.float32 else 1e-10
    for a, b in zip(tout, eout):
        _close(a, b, tol)
    gen = torch.Generator().manual_seed(1)
    cots = [torch.randn(o.shape, generator=gen, dtype=dtype) for o in tout]
    torch.autograd.backward(tout, cots)
    ember.autograd.backward(eout, [_e(c) for c in cots])
    _close(x.grad, xe.grad, tol)
    for (_, tp), (_, ep) in zip(tm.named_parameters(), em.named_parameters()):
        _close(tp.grad, ep.grad, tol)
    if with_state:
        tl = _flat(targs[1])
        el = _flat(eargs[1])
        for a, b in zip(tl, el):
            _close(a.grad, b.grad, tol)


@pytest.mark.parametrize("name", ["RNNCell", "LSTMCell", "GRUCell"])
@pytest.mark.parametrize("batched", [True, False])
def test_cells_match_torch(name, batched):
    torch.manual_seed(0)
    tm = getattr(torch.nn, name)(4, 3).double()
    em = getattr(enn, name)(4, 3).double()
    _copy_params(tm, em)
    shape = (5, 4) if batched else (4,)
    x = torch.randn(*shape, dtype=torch.float64, requires_grad=True)
    xe = _e(x, True)
    hs = shape[:-1] + (3,)
    h = torch.randn(*hs, dtype=torch.float64)
    state_t = (h, torch.randn(*hs, dtype=torch.float64)) if name == "LSTMCell" else h
    state_e = tuple(_e(s) for s in state_t) if name == "LSTMCell" else _e(state_t)
    tout, eout = _flat(tm(x, state_t)), _flat(em(xe, state_e))
    for a, b in zip(tout, eout):
        _close(a, b, 1e-10)
    sum(o.sum() for o in tout).backward()
    sum(o.sum() for o in eout).backward()
    _close(x.grad, xe.grad, 1e-10)
    for (_, tp), (_, ep) in zip(tm.named_parameters(), em.named_parameters()):
        _close(tp.grad, ep.grad, 1e-10)
    # no state given: zeros
    for a, b in zip(_flat(tm(x)), _flat(em(xe))):
        _close(a, b, 1e-10)


def test_default_init_is_uniform_in_bound():
    m = enn.LSTM(10, 25, num_layers=2)
    bound = 1 / np.sqrt(25)
    for _, p in m.named_parameters():
        a = p.detach().numpy()
        assert np.abs(a).max() <= bound and np.abs(a).max() > 0.9 * bound


def test_reprs_and_errors_match_torch():
    for args, kw in [((3, 4, 2), {}), ((3, 4), {"batch_first": True, "bidirectional": True, "num_layers": 2,
                                                     "dropout": 0.5}), ((3, 4), {"bias": False})]:
        for name in ("RNN", "LSTM", "GRU"):
            assert repr(getattr(enn, name)(*args, **kw)) == repr(getattr(torch.nn, name)(*args, **kw))
    assert repr(enn.GRUCell(3, 4, bias=False)) == repr(torch.nn.GRUCell(3, 4, bias=False))
    with pytest.raises(RuntimeError) as te:
        torch.nn.LSTM(3, 4)(torch.zeros(5, 2, 2))
    with pytest.raises(RuntimeError) as ee:
        enn.LSTM(3, 4)(ember.zeros(5, 2, 2))
    assert str(ee.value) == str(te.value)
    with pytest.raises(RuntimeError) as te:
        torch.nn.GRU(3, 4)(torch.zeros(5, 2, 3), torch.zeros(1, 3, 4))
    with pytest.raises(RuntimeError) as ee:
        enn.GRU(3, 4)(ember.zeros(5, 2, 3), ember.zeros(1, 3, 4))
    assert str(ee.value) == str(te.value)


def test_lstm_learns_sequence_sum_sign():
    # a bounded real training: classify whether a sequence's sum is positive
    ember.manual_seed(0)
    rng = np.random.default_rng(0)
    x = rng.standard_normal((64, 8, 1)).astype(np.float32)
    y = (x.sum((1, 2)) > 0).astype(np.float32)
    lstm, head = enn.LSTM(1, 8, batch_first=True), enn.Linear(8, 1)
    params = list(lstm.parameters()) + list(head.parameters())
    xe, ye = ember.tensor(x), ember.tensor(y)
    losses = []
    for _ in range(60):
        _out, (h, _c) = lstm(xe)
        logit = head(h[0]).squeeze(1)
        loss = enn.functional.binary_cross_entropy_with_logits(logit, ye)
        for p in params:
            p.grad = None
        loss.backward()
        for p in params:
            p._data -= 0.1 * p.grad._data * 5
        losses.append(loss.item())
    assert losses[-1] < 0.5 * losses[0]
