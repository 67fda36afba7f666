"""Every loss of torch.nn / torch.nn.functional against PyTorch 2.13: values, grad_fn names and gradients (input and
target) for each reduction, PyTorch's warnings and errors; the new single-node losses by gradcheck."""

import warnings

import numpy as np
import pytest
from _seq_oracle import close, node_name, raises_like, to_ember

import ember
import ember.nn.functional as EF
from ember.autograd import gradcheck

torch = pytest.importorskip("torch")
TF = torch.nn.functional


def _r(*s):
    return torch.randn(*s, dtype=torch.float64, requires_grad=True)


def _p(*s, lo=0.0, scale=1.0):
    return (torch.rand(*s, dtype=torch.float64) * scale + lo).requires_grad_(True)


def _sign(*s):
    return (torch.randint(0, 2, s) * 2 - 1).double()


CASES = {  # name: (inputs maker, extra keyword sets)
    "mse_loss": (lambda: (_r(3, 4), _r(3, 4)), [{}]),
    "l1_loss": (lambda: (_r(3, 4), _r(3, 4)), [{}]),
    "smooth_l1_loss": (lambda: (_r(3, 4), _r(3, 4)), [{}, {"beta": 0.5}]),
    "huber_loss": (lambda: (_r(3, 4), _r(3, 4)), [{}, {"delta": 0.5}]),
    "soft_margin_loss": (lambda: (_r(3, 4), _sign(3, 4)), [{}]),
    "binary_cross_entropy": (lambda: (_p(3, 4), _p(3, 4)), [{}]),
    "binary_cross_entropy_with_logits": (lambda: (_r(3, 4), _p(3, 4)), [{}]),
    "kl_div": (lambda: (_r(3, 4), _p(3, 4)), [{}, {"log_target": True}]),
    "poisson_nll_loss": (lambda: (_p(3, 4, lo=0.1), _p(3, 4, scale=3.0)),
                         [{}, {"full": True}, {"log_input": False}, {"log_input": False, "full": True}]),
    "gaussian_nll_loss": (lambda: (_r(3, 4), _r(3, 4), _p(3, 4, lo=0.1)), [{}, {"full": True}]),
    "nll_loss": (lambda: (_r(3, 4), torch.tensor([0, 3, 1])), [{}, {"ignore_index": 3}]),
    "cross_entropy": (lambda: (_r(3, 4), torch.tensor([0, 3, 1])), [{}, {"label_smoothing": 0.1}]),
    "multilabel_soft_margin_loss": (lambda: (_r(3, 4), torch.randint(0, 2, (3, 4)).double()), [{}]),
    "multi_margin_loss": (lambda: (_r(3, 4), torch.tensor([0, 3, 1])), [{}, {"p": 2, "margin": 0.5}]),
    "multilabel_margin_loss": (lambda: (_r(3, 4), torch.tensor([[3, 0, -1, 1], [1, 2, 3, 0], [2, 2, -1, 3]])),
                               [{}]),
    "hinge_embedding_loss": (lambda: (_r(3, 4), _sign(3, 4)), [{}, {"margin": 0.3}]),
    "margin_ranking_loss": (lambda: (_r(5), _r(5), _sign(5)), [{}, {"margin": 0.2}]),
    "cosine_embedding_loss": (lambda: (_r(3, 4), _r(3, 4), _sign(3)), [{}, {"margin": 0.1}]),
    "triplet_margin_loss": (lambda: (_r(3, 4), _r(3, 4), _r(3, 4)), [{}, {"swap": True, "p": 1}]),
    "triplet_margin_with_distance_loss": (lambda: (_r(3, 4), _r(3, 4), _r(3, 4)), [{}, {"swap": True}]),
}


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
def test_loss_matches_torch(name, reduction):
    make, kws = CASES[name]
    for kw in kws:
        torch.manual_seed(1)
        args = make()
        eargs = [to_ember(a, a.requires_grad) for a in args]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            t = getattr(TF, name)(*args, reduction=reduction, **kw)
            e = getattr(EF, name)(*eargs, reduction=reduction, **kw)
        close(t, e, 1e-12)
        assert node_name(e) == node_name(t), (kw, node_name(e), node_name(t))
        g = torch.randn_like(t)
        t.backward(g)
        e.backward(to_ember(g))
        for a, b in zip(args, eargs):
            if a.requires_grad:
                close(a.grad, b.grad, 1e-10)


def test_gaussian_nll_variance_shapes_match_torch():
    x, y = torch.randn(2, 3, dtype=torch.float64), torch.randn(2, 3, dtype=torch.float64)
    for var in (torch.rand(2, 1, dtype=torch.float64), torch.rand(2, dtype=torch.float64), 0.5):
        ev = var if isinstance(var, float) else to_ember(var)
        close(TF.gaussian_nll_loss(x, y, var), EF.gaussian_nll_loss(to_ember(x), to_ember(y), ev), 1e-12)


CALLS = [  # (call(F, lib), inputs are generated from lib) each either raises or warns as in PyTorch
    lambda F, L, x: F.binary_cross_entropy(x, L.tensor([0.5, 1.5, 0.0])),
    lambda F, L, x: F.binary_cross_entropy(x * 2, L.tensor([0.5, 1.5, 0.0])),
    lambda F, L, x: F.binary_cross_entropy(x, L.tensor([0.5, 0.5, 0.0]).double()),
    lambda F, L, x: F.binary_cross_entropy(x, x.detach(), weight=L.ones(2)),
    lambda F, L, x: F.binary_cross_entropy(x, L.ones(1, 3)),
    lambda F, L, x: F.mse_loss(x, L.ones(3, 1)),
    lambda F, L, x: F.huber_loss(x, L.ones(3, 1)),
    lambda F, L, x: F.smooth_l1_loss(x, L.ones(1, 3)),
    lambda F, L, x: F.l1_loss(x, L.ones(2, 3)),
    lambda F, L, x: F.mse_loss(x, L.ones(4)),
    lambda F, L, x: F.soft_margin_loss(x, L.ones(4)),
    lambda F, L, x: F.soft_margin_loss(x, L.ones(1, 3)),
    lambda F, L, x: F.soft_margin_loss(x, x),
    lambda F, L, x: F.margin_ranking_loss(x, x, L.ones(2, 3)),
    lambda F, L, x: F.cosine_embedding_loss(x, x, L.ones(2, 3)),
    lambda F, L, x: F.cosine_embedding_loss(x[None], x[None], L.tensor(1.0)),
    lambda F, L, x: F.cosine_embedding_loss(x, x, L.ones(1)),
    lambda F, L, x: F.gaussian_nll_loss(x, x, L.ones(2)),
    lambda F, L, x: F.gaussian_nll_loss(x, x, -L.ones(3)),
    lambda F, L, x: F.gaussian_nll_loss(x, x, L.ones(3), reduction="x"),
    lambda F, L, x: F.binary_cross_entropy_with_logits(x, L.ones(1, 3)),
    lambda F, L, x: F.triplet_margin_loss(x, x, L.ones(2, 3)),
    lambda F, L, x: F.triplet_margin_loss(x, x, x, margin=0.0),
    lambda F, L, x: F.triplet_margin_with_distance_loss(x, x, x, margin=-1.0),
    lambda F, L, x: F.triplet_margin_with_distance_loss(x, x, x, reduction="x"),
    lambda F, L, x: F.mse_loss(x, x, reduction="bad"),
    lambda F, L, x: F.l1_loss(x, x, reduction="bad"),
    lambda F, L, x: F.huber_loss(x, x, reduction="bad"),
    lambda F, L, x: F.poisson_nll_loss(x, x, reduction="bad"),
    lambda F, L, x: F.kl_div(x, x, reduction="bad"),
    lambda F, L, x: F.kl_div(x, x),
    lambda F, L, x: F.huber_loss(x, x, delta=-1.0),
    lambda F, L, x: F.smooth_l1_loss(x, x, beta=-1.0),
    lambda F, L, x: F.mse_loss(x, x, size_average=False),
    lambda F, L, x: F.cross_entropy(L.ones(2, 3), L.tensor([0, 3])),
    lambda F, L, x: F.nll_loss(L.ones(2, 3), L.tensor([0, 1, 1])),
    lambda F, L, x: F.cross_entropy(L.ones(2, 3), L.tensor([0, 1]), label_smoothing=1.5),
    lambda F, L, x: F.multi_margin_loss(L.ones(2, 3), L.tensor([0, 3])),
    lambda F, L, x: F.multi_margin_loss(L.ones(2, 3), L.tensor([0, 1]), p=3),
    lambda F, L, x: F.multi_margin_loss(L.ones(2, 3), L.tensor([0, 1]), weight=L.ones(2)),
    lambda F, L, x: F.multi_margin_loss(L.ones(2, 3), L.tensor([0, 1]), weight=L.ones(3, 1)),
    lambda F, L, x: F.multi_margin_loss(L.ones(2, 3), L.tensor([[0, 1]])),
    lambda F, L, x: F.multi_margin_loss(L.ones(2, 3), L.tensor([0.0, 1.0])),
    lambda F, L, x: F.multi_margin_loss(L.ones(1, 2, 3), L.tensor([0, 1])),
    lambda F, L, x: F.multilabel_margin_loss(L.ones(2, 4), L.tensor([[3, 0, -1, 1]])),
    lambda F, L, x: F.multilabel_margin_loss(L.ones(2, 4), L.tensor([[4, 0, -1, 1], [1, 2, 3, -1]])),
    lambda F, L, x: F.multilabel_margin_loss(L.ones(2, 4), L.tensor([[3, 0, -1, 1], [1, 2, 3, -1]]).int()),
    lambda F, L, x: F.multilabel_margin_loss(L.ones(1, 2, 4), L.tensor([[[3, 0, -1, 1], [1, 2, 3, -1]]])),
]


def test_loss_errors_and_warnings_match_torch():
    for call in CALLS:
        torch.manual_seed(0)
        xt = torch.rand(3, requires_grad=True)
        xe = to_ember(xt, True)
        outcome = []
        for F, L, x in ((TF, torch, xt), (EF, ember, xe)):
            with warnings.catch_warnings(record=True) as w:
                warnings.simplefilter("always")
                try:
                    r = call(F, L, x)
                    res = ("ok", round(float(r.detach().sum()), 5))
                except Exception as ex:  # noqa: BLE001 - the oracle decides which class is right
                    res = (type(ex).__name__, str(ex))
            outcome.append((res, [(x.category.__name__, str(x.message)) for x in w]))
        assert outcome[1] == outcome[0]


def test_unbatched_and_small_shapes_match_torch():
    x = torch.randn(4, dtype=torch.float64, requires_grad=True)
    for call in (lambda F, L, x: F.multi_margin_loss(x, L.tensor(3), reduction="none"),
                 lambda F, L, x: F.multi_margin_loss(x, L.tensor([3]), reduction="none"),
                 lambda F, L, x: F.multilabel_margin_loss(x, L.tensor([3, 0, -1, 1]), reduction="none"),
                 lambda F, L, x: F.multilabel_margin_loss(x, L.tensor([3, 3, -1, 1])),
                 lambda F, L, x: F.cosine_embedding_loss(x, x * 2, L.tensor(-1.0), margin=-0.5),
                 lambda F, L, x: F.cross_entropy(x, L.tensor(2)),
                 lambda F, L, x: F.nll_loss(x, L.tensor(2), reduction="none")):
        t = call(TF, torch, x)
        e = call(EF, ember, to_ember(x, True))
        close(t, e, 1e-12)
        assert node_name(e) == node_name(t)


def test_new_loss_nodes_gradcheck():
    ember.manual_seed(0)
    x = ember.randn(3, 4, dtype=ember.float64, requires_grad=True)
    y = ember.tensor([[1.0, -1.0, 1.0, 1.0], [-1.0, -1.0, 1.0, -1.0], [1.0, 1.0, -1.0, -1.0]], dtype=ember.float64)
    t = ember.tensor([0, 3, 1])
    ml = ember.tensor([[3, 0, -1, 1], [1, 2, 3, 0], [2, 2, -1, 3]])
    w = ember.rand(4, dtype=ember.float64)
    for red in ("none", "mean", "sum"):
        assert gradcheck(lambda x, red=red: EF.soft_margin_loss(x, y, reduction=red), (x,))
        assert gradcheck(lambda x, red=red: EF.multi_margin_loss(x, t, reduction=red, weight=w), (x,))
        assert gradcheck(lambda x, red=red: EF.multi_margin_loss(x, t, p=2, margin=0.7, reduction=red), (x,))
        assert gradcheck(lambda x, red=red: EF.multilabel_margin_loss(x, ml, reduction=red), (x,))


# -- CTC ------------------------------------------------------------------------------------------------------

def _ctc_inputs(dtype):
    torch.manual_seed(0)
    lp = torch.randn(6, 3, 5, dtype=dtype).log_softmax(2).detach().requires_grad_()
    tg = torch.tensor([[1, 2, 2], [3, 1, 0], [4, 4, 4]])  # the last needs 5 frames, has 3: an infinite loss
    return lp, tg, torch.tensor([6, 5, 3]), torch.tensor([3, 2, 3])


@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
@pytest.mark.parametrize("zero_infinity", [False, True])
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_ctc_loss_matches_torch(reduction, zero_infinity, dtype):
    lp, tg, il, tl = _ctc_inputs(dtype)
    le = to_ember(lp, True)
    t = TF.ctc_loss(lp, tg, il, tl, reduction=reduction, zero_infinity=zero_infinity)
    e = EF.ctc_loss(le, to_ember(tg), to_ember(il), to_ember(tl), reduction=reduction, zero_infinity=zero_infinity)
    tol = 1e-5 if dtype == torch.float32 else 1e-12
    np.testing.assert_allclose(e.detach().numpy(), t.detach().numpy(), rtol=tol, atol=tol)  # inf where torch's
    assert e.dtype == le.dtype and node_name(e) == node_name(t)
    g = torch.rand_like(t)
    t.backward(g)
    e.backward(to_ember(g))
    np.testing.assert_allclose(le.grad.numpy(), lp.grad.numpy(), rtol=tol, atol=tol)  # NaN where torch's


def test_ctc_loss_layouts_modules_and_errors_match_torch():
    lp, tg, il, tl = _ctc_inputs(torch.float64)
    lp = lp.detach()
    flat = torch.tensor([1, 2, 2, 3, 1, 4, 4, 4])
    for args in ((lp, flat, il, tl), (lp, tg, (6, 5, 3), (3, 2, 3)), (lp[:, 0], tg[0], il[0], tl[0]),
                 (lp[:, 0], tg[0], il[:1], tl[:1]), (lp, tg.float(), il, tl)):
        for red in ("none", "mean"):
            eargs = [to_ember(a) if isinstance(a, torch.Tensor) else a for a in args]
            t = TF.ctc_loss(*args, reduction=red)
            e = EF.ctc_loss(*eargs, reduction=red)
            close(t, e, 1e-12)
            assert node_name(e) == node_name(t) or e.grad_fn is None
    tm, em = torch.nn.CTCLoss(blank=0, reduction="sum", zero_infinity=True), ember.nn.CTCLoss(0, "sum", True)
    assert repr(em) == repr(tm)
    close(tm(lp, tg, il, tl), em(to_ember(lp), to_ember(tg), to_ember(il), to_ember(tl)), 1e-12)
    bad = [
        lambda F, L, lp, tg, il, tl: F.ctc_loss(lp, tg, il + 1, tl),
        lambda F, L, lp, tg, il, tl: F.ctc_loss(lp, tg, il, tl + 1),
        lambda F, L, lp, tg, il, tl: F.ctc_loss(lp, tg, il[:1], tl),
        lambda F, L, lp, tg, il, tl: F.ctc_loss(lp, tg, il, tl[:1]),
        lambda F, L, lp, tg, il, tl: F.ctc_loss(lp, tg, il.double(), tl),
        lambda F, L, lp, tg, il, tl: F.ctc_loss(lp, tg, il, tl, blank=5),
        lambda F, L, lp, tg, il, tl: F.ctc_loss(lp, tg, il, tl, blank=-1),
        lambda F, L, lp, tg, il, tl: F.ctc_loss(lp, tg, il, tl, reduction="x"),
    ]
    for call in bad:
        raises_like(lambda call=call: call(TF, torch, lp, tg, il, tl),
                    lambda call=call: call(EF, ember, *(to_ember(a) for a in (lp, tg, il, tl))))
    t = TF.ctc_loss(lp.requires_grad_(), tg, il, tl)
    (g,) = torch.autograd.grad(t, lp, create_graph=True)
    le = to_ember(lp, True)
    (ge,) = ember.autograd.grad(EF.ctc_loss(le, to_ember(tg), to_ember(il), to_ember(tl)), le, create_graph=True)
    raises_like(lambda: g.sum().backward(), lambda: ge.sum().backward())


def test_ctc_loss_through_log_softmax_gradcheck():
    # PyTorch's gradient is with respect to the logits of a log_softmax: through log_softmax it is exact
    ember.manual_seed(0)
    logits = ember.randn(5, 2, 4, dtype=ember.float64, requires_grad=True)
    tg, il, tl = ember.tensor([[1, 2], [3, 3]]), ember.tensor([5, 4]), ember.tensor([2, 2])
    assert gradcheck(lambda z: EF.ctc_loss(EF.log_softmax(z, 2), tg, il, tl, reduction="sum"), (logits,))


# -- modules ----------------------------------------------------------------------------------------------------

def test_loss_module_reprs_and_new_modules_match_torch():
    for name, kw in [("CTCLoss", {}), ("MultiLabelMarginLoss", {}), ("MultiLabelMarginLoss", {"reduction": "sum"}),
                     ("SoftMarginLoss", {}), ("MultiMarginLoss", {"p": 2}), ("HuberLoss", {"delta": 2.0}),
                     ("PoissonNLLLoss", {"full": True}), ("GaussianNLLLoss", {}), ("TripletMarginLoss", {}),
                     ("TripletMarginWithDistanceLoss", {"margin": 2.0})]:
        t, e = getattr(torch.nn, name)(**kw), getattr(ember.nn, name)(**kw)
        assert repr(e) == repr(t)
        assert e.reduction == t.reduction
    with warnings.catch_warnings(record=True) as wt:
        warnings.simplefilter("always")
        t = torch.nn.NLLLoss2d()
    with warnings.catch_warnings(record=True) as we:
        warnings.simplefilter("always")
        e = ember.nn.NLLLoss2d()
    assert repr(e) == repr(t) and [str(w.message) for w in we] == [str(w.message) for w in wt]
    assert [w.category for w in we] == [w.category for w in wt] and isinstance(e, ember.nn.NLLLoss)
    x = torch.randn(3, 4, dtype=torch.float64, requires_grad=True)
    tg = torch.tensor([[3, 0, -1, 1], [1, 2, 3, 0], [2, 2, -1, 3]])
    close(torch.nn.MultiLabelMarginLoss()(x, tg), ember.nn.MultiLabelMarginLoss()(to_ember(x), to_ember(tg)), 1e-12)


@pytest.mark.parametrize("kw", [{}, {"head_bias": True, "div_value": 2.0}])
def test_adaptive_log_softmax_matches_torch(kw):
    torch.manual_seed(0)
    t = torch.nn.AdaptiveLogSoftmaxWithLoss(8, 10, [3, 6], **kw).double()
    ember.manual_seed(0)
    e = ember.nn.AdaptiveLogSoftmaxWithLoss(8, 10, [3, 6], **kw).double()
    assert repr(e) == repr(t)
    for (n, a), (m, b) in zip(t.state_dict().items(), e.state_dict().items()):
        assert n == m
        close(a, b, 0)  # PyTorch's init draws
    x = torch.randn(5, 8, dtype=torch.float64, requires_grad=True)
    xe = to_ember(x, True)
    tg = torch.tensor([0, 4, 9, 2, 7])
    to, eo = t(x, tg), e(xe, to_ember(tg))
    assert type(eo).__name__ == type(to).__name__ == "_ASMoutput" and eo._fields == to._fields
    close(to.output, eo.output, 1e-12)
    close(to.loss, eo.loss, 1e-12)
    assert node_name(eo.output) == node_name(to.output) and node_name(eo.loss) == node_name(to.loss)
    to.loss.backward()
    eo.loss.backward()
    close(x.grad, xe.grad, 1e-12)
    for (_, a), (_, b) in zip(t.named_parameters(), e.named_parameters()):
        close(a.grad, b.grad, 1e-12)
    close(t.log_prob(x), e.log_prob(xe), 1e-12)
    assert e.predict(xe).tolist() == t.predict(x).tolist()
    close(t(x[0], tg[0]).output, e(xe[0], to_ember(tg[0])).output, 1e-12)
    for call in (lambda m, L: m.AdaptiveLogSoftmaxWithLoss(8, 10, []),
                 lambda m, L: m.AdaptiveLogSoftmaxWithLoss(8, 10, [6, 3]),
                 lambda m, L: m.AdaptiveLogSoftmaxWithLoss(8, 10, [3, 10])):
        raises_like(lambda call=call: call(torch.nn, torch), lambda call=call: call(ember.nn, ember))
    for call in (lambda m, x, tg: m(x, tg + 1), lambda m, x, tg: m(x, tg[:2]), lambda m, x, tg: m(x[0], tg),
                 lambda m, x, tg: m(x, tg[None])):
        raises_like(lambda call=call: call(t, x, tg), lambda call=call: call(e, xe, to_ember(tg)))


def test_linear_cross_entropy_matches_torch():
    for kw in ({}, {"bias": True, "out_features": (2,), "reduction": "none", "ignore_index": 1,
                    "label_smoothing": 0.1}):
        torch.manual_seed(0)
        t = torch.nn.LinearCrossEntropyLoss(4, 6, **kw)
        ember.manual_seed(0)
        e = ember.nn.LinearCrossEntropyLoss(4, 6, **kw)
        assert repr(e) == repr(t)
        assert list(e.state_dict()) == list(t.state_dict())
        close(t.linear.weight, e.linear.weight, 0)
        x = torch.randn(*((3, 4) if not kw else (3, 4)), requires_grad=True)
        tg = torch.tensor([1, 5, 0]) if not kw else torch.tensor([[1, 5], [0, 1], [2, 2]])
        to, eo = t(x, tg), e(to_ember(x), to_ember(tg))
        close(to, eo, 1e-5)
        assert node_name(eo) == node_name(to)
    w = torch.randn(6, 4)
    x = torch.randn(3, 4)
    tg = torch.tensor([1, 5, 0])
    close(TF.linear_cross_entropy(x, w, tg), EF.linear_cross_entropy(to_ember(x), to_ember(w), to_ember(tg)), 1e-5)
    opts = torch.nn.LinearCrossEntropyOptions(batch_chunk_size=2)
    eopts = ember.nn.LinearCrossEntropyOptions(batch_chunk_size=2)
    assert repr(eopts) == repr(opts)
    close(TF.linear_cross_entropy(x, w, tg, options=opts),
          EF.linear_cross_entropy(to_ember(x), to_ember(w), to_ember(tg), options=eopts), 1e-5)
    for call in (lambda F, L, x, w, tg: F.linear_cross_entropy(x[None], w, tg),
                 lambda F, L, x, w, tg: F.linear_cross_entropy(x, w[0], tg),
                 lambda F, L, x, w, tg: F.linear_cross_entropy(x[:, :3], w, tg),
                 lambda F, L, x, w, tg: F.linear_cross_entropy(x, w, tg, linear_bias=w[0]),
                 lambda F, L, x, w, tg: F.linear_cross_entropy(x[0], w.reshape(6, 1, 4), tg),
                 lambda F, L, x, w, tg: L.nn.LinearCrossEntropyOptions(acc_policy="x"),
                 lambda F, L, x, w, tg: L.nn.LinearCrossEntropyOptions(batch_chunk_size=0),
                 lambda F, L, x, w, tg: L.nn.LinearCrossEntropyLoss(4, 6, label_smoothing=2.0)):
        raises_like(lambda call=call: call(TF, torch, x, w, tg),
                    lambda call=call: call(EF, ember, to_ember(x), to_ember(w), to_ember(tg)))
