"""EmbeddingBag / F.embedding_bag and Embedding's from_pretrained and max_norm against PyTorch 2.13."""

import numpy as np
import pytest
from _seq_oracle import close, node_name, raises_like, to_ember

import ember
import ember.nn.functional as EF
from ember.autograd import gradcheck

torch = pytest.importorskip("torch")
TF = torch.nn.functional

CASES = [  # (indices, offsets or None, kwargs)
    ([1, 2, 4, 5, 4, 3, 2, 9], [0, 4], {}),
    ([1, 2, 4, 5, 4, 3, 2, 9], [0, 4, 4], {"padding_idx": 4}),
    ([1, 2, 4, 5, 4, 3, 2, 9], [0, 4, 8], {"include_last_offset": True}),  # (PyTorch is inconsistent when the
    # last offset is short of len(input): each mode then reads its own bag size, so that is not compared)
    ([1, 2, 4, 5, 4, 3, 2, 9], [0, 3, 3, 5], {"padding_idx": -8}),
    ([[1, 2, 2], [4, 0, 9]], None, {}),
    ([[1, 2, 2], [4, 0, 9]], None, {"padding_idx": 0}),
    ([7, 7, 1, 7], [0, 2], {"scale_grad_by_freq": True}),
]


@pytest.mark.parametrize("mode", ["sum", "mean", "max"])
@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_embedding_bag_matches_torch(case, mode, dtype):
    idx, off, kw = case
    if mode == "max" and kw.get("scale_grad_by_freq"):
        return
    torch.manual_seed(0)
    w = torch.randn(10, 3, dtype=dtype, requires_grad=True)
    we = to_ember(w, True)
    ti = torch.tensor(idx)
    ei = ember.tensor(idx)
    to = None if off is None else torch.tensor(off)
    eo = None if off is None else ember.tensor(off)
    t = TF.embedding_bag(ti, w, to, mode=mode, **kw)
    e = EF.embedding_bag(ei, we, eo, mode=mode, **kw)
    close(t, e, 1e-6 if dtype == torch.float32 else 1e-14)
    assert node_name(e) == node_name(t) == "EmbeddingBagBackward0"
    g = torch.randn_like(t)
    t.backward(g)
    e.backward(to_ember(g))
    close(w.grad, we.grad, 1e-6 if dtype == torch.float32 else 1e-14)


@pytest.mark.parametrize("case", CASES[:5])
def test_per_sample_weights_match_torch(case):
    idx, off, kw = case
    torch.manual_seed(1)
    w = torch.randn(10, 3, dtype=torch.float64, requires_grad=True)
    psw = torch.rand(np.array(idx).shape, dtype=torch.float64, requires_grad=True)
    we, pe = to_ember(w, True), to_ember(psw, True)
    to = None if off is None else torch.tensor(off)
    eo = None if off is None else ember.tensor(off)
    t = TF.embedding_bag(torch.tensor(idx), w, to, mode="sum", per_sample_weights=psw, **kw)
    e = EF.embedding_bag(ember.tensor(idx), we, eo, mode="sum", per_sample_weights=pe, **kw)
    close(t, e, 1e-14)
    g = torch.randn_like(t)
    t.backward(g)
    e.backward(to_ember(g))
    close(w.grad, we.grad, 1e-14)
    close(psw.grad, pe.grad, 1e-14)
    names = [f.name().split("::")[-1] if f else None for f, _ in e.grad_fn.next_functions]
    assert names == [f.name().split("::")[-1] if f else None for f, _ in t.grad_fn.next_functions]


def test_embedding_bag_gradcheck():
    ember.manual_seed(0)
    w = ember.randn(6, 2, dtype=ember.float64, requires_grad=True)
    s = ember.rand(5, dtype=ember.float64, requires_grad=True)
    idx, off = ember.tensor([0, 3, 3, 5, 1]), ember.tensor([0, 2])
    assert gradcheck(lambda w, s: EF.embedding_bag(idx, w, off, mode="sum", per_sample_weights=s), (w, s))
    assert gradcheck(lambda w: EF.embedding_bag(idx, w, off, mode="mean", padding_idx=3), (w,))
    assert gradcheck(lambda w: EF.embedding_bag(idx, w, off, mode="max"), (w,))


def test_embedding_bag_errors_match_torch():
    w = torch.randn(10, 3)
    i = torch.tensor([1, 2, 4, 5, 4, 3, 2, 9])
    off = torch.tensor([0, 4])
    calls = [
        lambda m, F, w, i, off: F.embedding_bag(i, w),
        lambda m, F, w, i, off: F.embedding_bag(i.reshape(2, 4), w, off),
        lambda m, F, w, i, off: F.embedding_bag(i, w, off + 1),
        lambda m, F, w, i, off: F.embedding_bag(i, w, off, mode="x"),
        lambda m, F, w, i, off: F.embedding_bag(i, w, off, mode="mean", per_sample_weights=i.float()),
        lambda m, F, w, i, off: F.embedding_bag(i, w, off, mode="max", scale_grad_by_freq=True),
        lambda m, F, w, i, off: F.embedding_bag(i.float(), w, off),
        lambda m, F, w, i, off: F.embedding_bag(i, w, off * 3),
        lambda m, F, w, i, off: F.embedding_bag(i + 3, w, off),
        lambda m, F, w, i, off: F.embedding_bag(i, w, off.reshape(1, 2)),
        lambda m, F, w, i, off: F.embedding_bag(i.reshape(1, 2, 4), w),
        lambda m, F, w, i, off: F.embedding_bag(i, w, off, per_sample_weights=w[0], mode="sum"),
        lambda m, F, w, i, off: F.embedding_bag(i, w[0], off),
        lambda m, F, w, i, off: F.embedding_bag(i, w, off, padding_idx=10),
        lambda m, F, w, i, off: F.embedding_bag(i, w, off.float()),
        lambda m, F, w, i, off: m.EmbeddingBag(10, 3, padding_idx=-11),
    ]
    for call in calls:
        raises_like(lambda call=call: call(torch.nn, TF, w, i, off),
                    lambda call=call: call(ember.nn, EF, to_ember(w), to_ember(i), to_ember(off)))


def test_embedding_bag_module_matches_torch():
    torch.manual_seed(5)
    ember.manual_seed(5)
    for kw in ({}, {"mode": "max", "padding_idx": 0, "max_norm": 1.0, "include_last_offset": True},
               {"mode": "sum", "norm_type": 1.0, "scale_grad_by_freq": True, "padding_idx": -2}):
        t, e = torch.nn.EmbeddingBag(10, 3, **kw), ember.nn.EmbeddingBag(10, 3, **kw)
        assert repr(e) == repr(t)
        close(t.weight, e.weight, 0)  # PyTorch's N(0, 1) draws, padding row zeroed
        assert list(e.state_dict()) == list(t.state_dict())
    t = torch.nn.EmbeddingBag.from_pretrained(torch.randn(4, 2), mode="sum")
    e = ember.nn.EmbeddingBag.from_pretrained(to_ember(t.weight), mode="sum")
    assert repr(e) == repr(t) and e.weight.requires_grad is t.weight.requires_grad is False
    x = torch.tensor([[0, 1], [3, 3]])
    close(t(x), e(to_ember(x)), 0)
    assert e(to_ember(x)).grad_fn is None


def test_embedding_max_norm_renormalises_in_place_as_torch():
    torch.manual_seed(2)
    ember.manual_seed(2)
    t, e = torch.nn.Embedding(8, 4, max_norm=1.5), ember.nn.Embedding(8, 4, max_norm=1.5)
    close(t.weight, e.weight, 0)
    x = torch.tensor([[1, 3, 3], [0, 7, 1]])
    v_t, v_e = t.weight._version, e.weight._version
    yt, ye = t(x), e(to_ember(x))
    close(t.weight, e.weight, 0)  # only the referenced rows, each scaled by max_norm / (norm + 1e-7)
    close(yt, ye, 0)
    assert (t.weight._version > v_t) == (e.weight._version > v_e)
    bt, be = torch.nn.EmbeddingBag(8, 4, max_norm=0.5, norm_type=1.0), ember.nn.EmbeddingBag(8, 4, max_norm=0.5,
                                                                                         norm_type=1.0)
    be.weight._data[...] = bt.weight.detach().numpy()
    close(bt(x), be(to_ember(x)), 1e-7)
    close(bt.weight, be.weight, 0)
    p = torch.randn(3, 2)
    t = torch.nn.Embedding.from_pretrained(p, freeze=False, padding_idx=1)
    e = ember.nn.Embedding.from_pretrained(to_ember(p), freeze=False, padding_idx=1)
    assert repr(e) == repr(t) and e.weight.requires_grad
    raises_like(lambda: torch.nn.Embedding.from_pretrained(torch.zeros(3)),
                lambda: ember.nn.Embedding.from_pretrained(ember.zeros(3)))


def test_one_hot_matches_torch():
    x = torch.tensor([[0, 2], [1, 3]])
    assert repr(EF.one_hot(to_ember(x))) == repr(TF.one_hot(x))
    assert repr(EF.one_hot(to_ember(x), 6)) == repr(TF.one_hot(x, 6))
    for bad in (lambda F, x: F.one_hot(x, 2), lambda F, x: F.one_hot(x - 1), lambda F, x: F.one_hot(x.float())):
        raises_like(lambda bad=bad: bad(TF, x), lambda bad=bad: bad(EF, to_ember(x)))
