"""Catalogue entries of ember.nn._functional_loss (see op_catalogue.py): every loss of ``nn.functional``, in each
reduction, over 0-d, vector and matrix inputs, broadcast and non-contiguous layouts, weights, ignored targets,
and the bad calls PyTorch refuses. Targets that are floating arrays require grad too (PyTorch differentiates most
losses in their target); integer targets (class indices) do not."""

from __future__ import annotations

import numpy as np
from op_catalogue import Layout, OpInfo, Sample, uniform

REDUCTIONS = ("mean", "sum", "none")
NO_GRAD_CLAMP = ("PyTorch clamps var at eps in place under no_grad: the backward is not the derivative of the value "
                 "(finite differences see a constant) and forward mode sees the clamp; both are compared with "
                 "PyTorch's")
NO_FORWARD_AD = "PyTorch has no forward mode for this loss (the forward_ad check compares its error)"
MEAN_OF_NOTHING = ("the mean over no counted targets is 0/0 = nan: finite differences of nan match nothing; values "
                   "and gradients are compared with PyTorch's")
_NO_FWAD = {c: NO_FORWARD_AD for c in ("jvp_vjp", "forward_over_reverse")}
_NAN_MEAN = {c: MEAN_OF_NOTHING for c in ("gradcheck", "gradgradcheck", "forward_over_reverse", "jvp_vjp")}


def F(lib):
    return lib.nn.functional


def _fn(name):
    return lambda lib, *a, **kw: getattr(F(lib), name)(*a, **kw)


def _pm1(rng, shape):
    """A target of ±1 (float), as the margin losses take."""
    return np.where(rng.random(shape) < 0.5, -1.0, 1.0)


def pair_samples(target=lambda rng, shape, dtype: uniform(rng, shape, dtype), lo=-2.0, hi=2.0, kws=({},),
                 target_grad=True, special=True):
    """(input, target) of one shape in each reduction; 0-d and vector; a transposed input; each extra kwargs;
    special values for the forward only. ``target(rng, shape, dtype)`` makes the target."""
    def gen(rng, dtype):
        grad = None if target_grad else (0,)
        for red in REDUCTIONS:
            yield Sample((uniform(rng, (3, 4), dtype, lo, hi), target(rng, (3, 4), dtype)), {"reduction": red},
                         name=red, grad=grad)
        yield Sample((uniform(rng, (), dtype, lo, hi), target(rng, (), dtype)), name="0-d", grad=grad)
        yield Sample((uniform(rng, (5,), dtype, lo, hi), target(rng, (5,), dtype)), {"reduction": "none"},
                     name="1-d", grad=grad)
        yield Sample((Layout(uniform(rng, (4, 3), dtype, lo, hi), "T"), target(rng, (3, 4), dtype)),
                     {"reduction": "sum"}, name="T", grad=grad)
        for kw in kws[1:]:
            yield Sample((uniform(rng, (3, 4), dtype, lo, hi), target(rng, (3, 4), dtype)), dict(kw), name=f"{kw}",
                         grad=grad)
        yield Sample((np.zeros((0, 3), dtype=dtype), np.zeros((0, 3), dtype=dtype)), name="empty mean",
                     forward_only=True)
        yield Sample((np.zeros((0, 3), dtype=dtype), np.zeros((0, 3), dtype=dtype)), {"reduction": "sum"},
                     name="empty sum", forward_only=True)
        if special:
            x = np.array([np.nan, np.inf, -np.inf, 0.0, 1.0, 0.5], dtype=dtype)
            yield Sample((x, target(rng, (6,), dtype)), {"reduction": "none"}, name="special", forward_only=True)
    return gen


def _bad_reduction(make):
    def gen(rng, dtype):
        yield Sample(make(rng, dtype), {"reduction": "avg"}, name="reduction")
    return gen


def _pair_errors(rng, dtype):
    yield Sample((uniform(rng, (3, 4), dtype), uniform(rng, (3, 4), dtype)), {"reduction": "avg"}, name="reduction")
    yield Sample((uniform(rng, (3, 4), dtype), uniform(rng, (2, 4), dtype)), name="shapes")


def _broadcast_samples(rng, dtype):
    yield Sample((uniform(rng, (3, 4), dtype), uniform(rng, (4,), dtype)), name="target broadcast")


# -- probability losses --------------------------------------------------------------------------------------------

def _prob(rng, shape, dtype):
    return uniform(rng, shape, dtype, 0.05, 0.95)


def _bce_samples(rng, dtype):
    yield from pair_samples(_prob, 0.05, 0.95, special=False)(rng, dtype)
    w = uniform(rng, (4,), dtype, 0.5, 2.0)
    yield Sample((_prob(rng, (3, 4), dtype), _prob(rng, (3, 4), dtype), w), name="weight", grad=(0, 1))
    yield Sample((_prob(rng, (3, 4), dtype), _prob(rng, (3, 4), dtype), w), {"reduction": "none"},
                 name="weight none", grad=(0, 1))
    yield Sample((np.array([0.0, 1.0, 0.0, 1.0, 0.5], dtype=dtype), np.array([0.0, 1.0, 1.0, 0.0, 0.5], dtype=dtype)),
                 {"reduction": "none"}, name="0 and 1", forward_only=True)


def _bce_errors(rng, dtype):
    yield Sample((_prob(rng, (3,), dtype), np.array([0.5, 2.0, 0.0], dtype=dtype)), name="target above 1")
    yield Sample((np.array([0.5, 1.5, 0.0], dtype=dtype), _prob(rng, (3,), dtype)), name="input above 1")
    yield Sample((_prob(rng, (3, 4), dtype), _prob(rng, (4, 3), dtype)), name="shapes")


def _bce_logits_samples(rng, dtype):
    yield from pair_samples(_prob, -4.0, 4.0)(rng, dtype)
    w = uniform(rng, (4,), dtype, 0.5, 2.0)
    yield Sample((uniform(rng, (3, 4), dtype), _prob(rng, (3, 4), dtype), w), name="weight", grad=(0, 1))
    yield Sample((uniform(rng, (3, 4), dtype), _prob(rng, (3, 4), dtype)), {"pos_weight": w}, name="pos_weight")
    yield Sample((uniform(rng, (3, 4), dtype), _prob(rng, (3, 4), dtype), w), {"pos_weight": w, "reduction": "none"},
                 name="both", grad=(0, 1))
    yield Sample((uniform(rng, (3, 4), dtype), _prob(rng, (3, 4), dtype), uniform(rng, (3, 1), dtype, 0.5, 2)),
                 {"reduction": "none"}, name="weight (3, 1)", grad=(0, 1))
    yield Sample((uniform(rng, (3, 4), dtype, 30, 60), _prob(rng, (3, 4), dtype)), name="large")


def _bce_logits_errors(rng, dtype):
    yield Sample((uniform(rng, (3, 4), dtype), _prob(rng, (3, 4), dtype), uniform(rng, (2, 1, 4), dtype, 0.5, 2)),
                 name="weight broadcasts the input")
    yield Sample((uniform(rng, (3, 4), dtype), _prob(rng, (3, 4), dtype)), {"pos_weight": np.ones((2, 3, 4))},
                 name="pos_weight broadcasts the input")
    yield Sample((uniform(rng, (3, 4), dtype), _prob(rng, (4, 3), dtype)), name="target shape")


def _bce_logits_fn(lib, x, t, w=None, pos_weight=None, **kw):
    if pos_weight is not None:
        kw["pos_weight"] = lib.tensor(pos_weight, dtype=x.dtype)
    return F(lib).binary_cross_entropy_with_logits(x, t, w, **kw)


def _kl_samples(rng, dtype):
    def logp(shape):
        z = uniform(rng, shape, dtype)
        return (z - np.log(np.exp(z).sum(-1, keepdims=True))).astype(dtype)
    for red in ("mean", "batchmean", "sum", "none"):
        yield Sample((logp((3, 4)), _prob(rng, (3, 4), dtype)), {"reduction": red}, name=red)
        yield Sample((logp((3, 4)), logp((3, 4))), {"reduction": red, "log_target": True}, name=f"log {red}")
    yield Sample((logp((5,)), _prob(rng, (5,), dtype)), {"reduction": "batchmean"}, name="1-d batchmean")
    yield Sample((uniform(rng, (), dtype), _prob(rng, (), dtype)), name="0-d")
    yield Sample((logp((3, 4)), np.array([[0.0, 0.5, 0.25, 0.25]] * 3, dtype=dtype)), {"reduction": "sum"},
                 name="zero target", grad=(0,))


def _poisson_samples(rng, dtype):
    pos = lambda rng, shape, dtype: uniform(rng, shape, dtype, 0.0, 4.0)  # noqa: E731
    yield from pair_samples(pos, -1.0, 1.5)(rng, dtype)
    yield Sample((uniform(rng, (3, 4), dtype, 0.1, 3), pos(rng, (3, 4), dtype)), {"log_input": False},
                 name="not log")
    yield Sample((uniform(rng, (3, 4), dtype), pos(rng, (3, 4), dtype)), {"full": True}, name="full")
    yield Sample((uniform(rng, (3, 4), dtype, 0.1, 3), pos(rng, (3, 4), dtype)),
                 {"log_input": False, "full": True, "reduction": "none"}, name="not log full")
    yield Sample((uniform(rng, (3, 4), dtype, 0.1, 3), pos(rng, (3, 4), dtype)), {"log_input": False, "eps": 0.5},
                 name="eps")


def _gaussian_samples(rng, dtype):
    for red in REDUCTIONS:
        yield Sample((uniform(rng, (3, 4), dtype), uniform(rng, (3, 4), dtype), uniform(rng, (3, 4), dtype, 0.2, 2)),
                     {"reduction": red}, name=red)
    yield Sample((uniform(rng, (3, 4), dtype), uniform(rng, (3, 4), dtype), uniform(rng, (3, 1), dtype, 0.2, 2)),
                 name="var (3, 1)")
    yield Sample((uniform(rng, (3, 4), dtype), uniform(rng, (3, 4), dtype), uniform(rng, (3,), dtype, 0.2, 2)),
                 name="var (3,)")
    yield Sample((uniform(rng, (3, 4), dtype), uniform(rng, (3, 4), dtype), uniform(rng, (3, 4), dtype, 0.2, 2)),
                 {"full": True}, name="full")
    yield Sample((uniform(rng, (3, 4), dtype), uniform(rng, (3, 4), dtype), 0.7), name="float var")


def _gaussian_eps_samples(rng, dtype):
    yield Sample((uniform(rng, (3, 4), dtype), uniform(rng, (3, 4), dtype), uniform(rng, (3, 4), dtype, 0.1, 0.9)),
                 {"eps": 0.5}, name="var below eps")


def _gaussian_errors(rng, dtype):
    yield Sample((uniform(rng, (3, 4), dtype), uniform(rng, (3, 4), dtype), -uniform(rng, (3, 4), dtype, 0.2, 2)),
                 name="negative var")
    yield Sample((uniform(rng, (3, 4), dtype), uniform(rng, (3, 4), dtype), uniform(rng, (2, 4), dtype, 0.2, 2)),
                 name="var shape")


# -- margin losses -------------------------------------------------------------------------------------------------

def _margin_ranking_samples(rng, dtype):
    for red in REDUCTIONS:
        yield Sample((uniform(rng, (5,), dtype), uniform(rng, (5,), dtype), _pm1(rng, (5,))), {"reduction": red},
                     name=red)
    yield Sample((uniform(rng, (5,), dtype), uniform(rng, (5,), dtype), _pm1(rng, (5,))), {"margin": 0.5},
                 name="margin")
    yield Sample((uniform(rng, (), dtype), uniform(rng, (), dtype), _pm1(rng, ())), name="0-d")
    yield Sample((uniform(rng, (3, 4), dtype), uniform(rng, (3, 4), dtype), _pm1(rng, (3, 4))), name="2-d")


def _soft_margin_samples(rng, dtype):
    yield from pair_samples(lambda rng, shape, dtype: _pm1(rng, shape).astype(dtype), target_grad=False)(rng, dtype)


def _hinge_samples(rng, dtype):
    yield from pair_samples(lambda rng, shape, dtype: _pm1(rng, shape).astype(dtype), kws=({}, {"margin": 0.5}),
                            special=False, target_grad=False)(rng, dtype)  # the target is compared with ±1


def _cosine_embedding_samples(rng, dtype):
    # the target is compared with ±1: a finite difference in it changes the branch, so it is held constant
    for red in REDUCTIONS:
        yield Sample((uniform(rng, (3, 4), dtype), uniform(rng, (3, 4), dtype), _pm1(rng, (3,))), {"reduction": red},
                     name=red, grad=(0, 1))
    yield Sample((uniform(rng, (3, 4), dtype), uniform(rng, (3, 4), dtype), _pm1(rng, (3,))), {"margin": 0.3},
                 name="margin", grad=(0, 1))
    yield Sample((uniform(rng, (4,), dtype), uniform(rng, (4,), dtype), _pm1(rng, ())), name="1-d", grad=(0, 1))


def _cosine_embedding_errors(rng, dtype):
    yield Sample((uniform(rng, (3, 4), dtype), uniform(rng, (3, 4), dtype), _pm1(rng, (3, 4))), name="target 2-d")


def _triplet_samples(rng, dtype):
    for red in REDUCTIONS:
        yield Sample((uniform(rng, (3, 4), dtype), uniform(rng, (3, 4), dtype), uniform(rng, (3, 4), dtype)),
                     {"reduction": red}, name=red)
    for kw in ({"margin": 0.3}, {"p": 1}, {"p": 3}, {"swap": True}):
        yield Sample((uniform(rng, (3, 4), dtype), uniform(rng, (3, 4), dtype), uniform(rng, (3, 4), dtype)), kw,
                     name=f"{kw}")
    yield Sample((uniform(rng, (4,), dtype), uniform(rng, (4,), dtype), uniform(rng, (4,), dtype)), name="1-d")


def _triplet_errors(rng, dtype):
    yield Sample((uniform(rng, (3, 4), dtype), uniform(rng, (3, 4), dtype), uniform(rng, (4,), dtype)), name="dims")


def _triplet_distance_fn(lib, a, p, n, dist=None, **kw):
    if dist == "l1":
        kw["distance_function"] = lambda x, y: (x - y).abs().sum(-1)
    elif dist == "cos":
        kw["distance_function"] = lambda x, y: 1 - F(lib).cosine_similarity(x, y)
    return F(lib).triplet_margin_with_distance_loss(a, p, n, **kw)


def _triplet_distance_samples(rng, dtype):
    for red in REDUCTIONS:
        yield Sample((uniform(rng, (3, 4), dtype), uniform(rng, (3, 4), dtype), uniform(rng, (3, 4), dtype)),
                     {"reduction": red}, name=red)
    for dist in ("l1", "cos"):
        yield Sample((uniform(rng, (3, 4), dtype), uniform(rng, (3, 4), dtype), uniform(rng, (3, 4), dtype), dist),
                     {"margin": 0.5}, name=dist)
        yield Sample((uniform(rng, (3, 4), dtype), uniform(rng, (3, 4), dtype), uniform(rng, (3, 4), dtype), dist),
                     {"swap": True}, name=f"{dist} swap")


def _multilabel_soft_samples(rng, dtype):
    t = lambda: (rng.random((3, 4)) < 0.5).astype(dtype)  # noqa: E731
    for red in REDUCTIONS:
        yield Sample((uniform(rng, (3, 4), dtype), t()), {"reduction": red}, name=red)
    yield Sample((uniform(rng, (3, 4), dtype), t(), uniform(rng, (4,), dtype, 0.5, 2)), name="weight")
    yield Sample((uniform(rng, (3, 4), dtype), _prob(rng, (3, 4), dtype)), name="soft target")


def _multi_margin_samples(rng, dtype):
    tgt = lambda n=3: rng.integers(0, 4, n)  # noqa: E731
    for red in REDUCTIONS:
        yield Sample((uniform(rng, (3, 4), dtype), tgt()), {"reduction": red}, name=red)
    yield Sample((uniform(rng, (3, 4), dtype), tgt()), {"p": 2}, name="p 2")
    yield Sample((uniform(rng, (3, 4), dtype), tgt()), {"margin": 0.5}, name="margin")
    yield Sample((uniform(rng, (3, 4), dtype), tgt(), 2, 1.0, uniform(rng, (4,), dtype, 0.5, 2)), name="weight",
                 grad=(0,))
    yield Sample((uniform(rng, (4,), dtype), np.array(2)), name="1-d")


def _multi_margin_errors(rng, dtype):
    yield Sample((uniform(rng, (3, 4), dtype), np.array([0, 4, 1])), name="target out of range")
    yield Sample((uniform(rng, (3, 4), dtype), np.array([0, 1, 2])), {"p": 3}, name="p 3")


def _multilabel_margin_samples(rng, dtype):
    t = np.array([[3, 0, -1, 1], [0, 1, 2, 3], [-1, 1, 2, 0]])
    for red in REDUCTIONS:
        yield Sample((uniform(rng, (3, 4), dtype), t), {"reduction": red}, name=red)
    yield Sample((uniform(rng, (4,), dtype), np.array([1, 2, -1, 0])), name="1-d")


def _multilabel_margin_errors(rng, dtype):
    yield Sample((uniform(rng, (3, 4), dtype), np.zeros((3, 3), dtype=np.int64)), name="target shape")


# -- class losses (nll_loss, cross_entropy: their kernels are being rewritten; entries check them) ----------------

def _logp(rng, shape, dtype, axis=1):
    z = uniform(rng, shape, dtype)
    return (z - np.log(np.exp(z).sum(axis, keepdims=True))).astype(dtype)


def _nll_samples(rng, dtype):
    t = np.array([0, 3, 1])
    for red in REDUCTIONS:
        yield Sample((_logp(rng, (3, 4), dtype), t), {"reduction": red}, name=red)
    w = uniform(rng, (4,), dtype, 0.5, 2)
    yield Sample((_logp(rng, (3, 4), dtype), t, w), name="weight", grad=(0,))
    yield Sample((_logp(rng, (3, 4), dtype), t, w), {"reduction": "sum"}, name="weight sum", grad=(0,))
    yield Sample((_logp(rng, (3, 4), dtype), np.array([0, -100, 1])), name="ignored")
    yield Sample((_logp(rng, (3, 4), dtype), np.array([0, 2, 1]), w), {"ignore_index": 2}, name="ignore_index",
                 grad=(0,))
    yield Sample((_logp(rng, (4,), dtype, 0), np.array(2)), name="1-d")
    yield Sample((_logp(rng, (2, 4, 3), dtype), np.array([[0, 3, 1], [2, 2, 0]])), name="K-dim")
    yield Sample((_logp(rng, (2, 4, 3), dtype), np.array([[0, 3, 1], [2, 2, 0]])), {"reduction": "none"},
                 name="K-dim none")
    yield Sample((Layout(_logp(rng, (4, 3), dtype, 0), "T"), t), name="T")
    yield Sample((_logp(rng, (3, 4), dtype), np.array([-100, -100, -100])), {"reduction": "sum"},
                 name="all ignored sum")


def _all_ignored_samples(rng, dtype):
    yield Sample((uniform(rng, (3, 4), dtype), np.array([-100, -100, -100])), name="all ignored")
    yield Sample((uniform(rng, (3, 4), dtype), np.array([-100, -100, -100]), uniform(rng, (4,), dtype, 0.5, 2)),
                 name="all ignored weight", grad=(0,))


def _nll_errors(rng, dtype):
    yield Sample((_logp(rng, (3, 4), dtype), np.array([0, 4, 1])), name="target out of range")
    yield Sample((_logp(rng, (3, 4), dtype), np.array([0, 1])), name="batch sizes")
    yield Sample((_logp(rng, (3, 4), dtype), np.array([0.0, 1.0, 2.0])), name="float target")


def _ce_samples(rng, dtype):
    t = np.array([0, 3, 1])
    for red in REDUCTIONS:
        yield Sample((uniform(rng, (3, 4), dtype), t), {"reduction": red}, name=red)
    w = uniform(rng, (4,), dtype, 0.5, 2)
    yield Sample((uniform(rng, (3, 4), dtype), t, w), name="weight", grad=(0,))
    yield Sample((uniform(rng, (3, 4), dtype), t), {"label_smoothing": 0.2}, name="smoothing")
    yield Sample((uniform(rng, (3, 4), dtype), t, w), {"label_smoothing": 0.2, "reduction": "sum"},
                 name="weight smoothing", grad=(0,))
    yield Sample((uniform(rng, (3, 4), dtype), np.array([0, -100, 1])), {"label_smoothing": 0.1}, name="ignored")
    yield Sample((uniform(rng, (4,), dtype), np.array(2)), name="1-d")
    yield Sample((uniform(rng, (2, 4, 3), dtype), np.array([[0, 3, 1], [2, 2, 0]])), name="K-dim")
    yield Sample((uniform(rng, (3, 4), dtype), _prob(rng, (3, 4), dtype)), name="probabilities")
    yield Sample((uniform(rng, (3, 4), dtype), _prob(rng, (3, 4), dtype), w), {"label_smoothing": 0.3},
                 name="probabilities weight smoothing", grad=(0, 1))
    yield Sample((Layout(uniform(rng, (4, 3), dtype), "T"), t), name="T")
    yield Sample((uniform(rng, (3, 4), dtype, 50, 90), t), name="large")


def _all_ignored_smoothing_samples(rng, dtype):
    yield from _all_ignored_samples(rng, dtype)
    yield Sample((uniform(rng, (3, 4), dtype), np.array([-100, -100, -100])), {"label_smoothing": 0.1},
                 name="all ignored smoothing")


def _ce_errors(rng, dtype):
    yield Sample((uniform(rng, (3, 4), dtype), np.array([0, 4, 1])), name="target out of range")
    yield Sample((uniform(rng, (3, 4), dtype), np.array([0, 1, 1])), {"label_smoothing": 1.5}, name="smoothing")


def _lce_fn(lib, x, w, t, b=None, cw=None, **kw):
    return F(lib).linear_cross_entropy(x, w, t, linear_bias=b, weight=cw, **kw)


def _lce_samples(rng, dtype):
    t = np.array([0, 3, 1])
    w = uniform(rng, (4, 5), dtype)
    for red in REDUCTIONS:
        yield Sample((uniform(rng, (3, 5), dtype), w, t), {"reduction": red}, name=red)
    yield Sample((uniform(rng, (3, 5), dtype), w, t, uniform(rng, (4,), dtype)), name="bias")
    yield Sample((uniform(rng, (3, 5), dtype), w, t, None, uniform(rng, (4,), dtype, 0.5, 2)),
                 {"label_smoothing": 0.1}, name="class weight smoothing", grad=(0, 1))
    yield Sample((uniform(rng, (3, 5), dtype), w, np.array([0, 2, 1])), {"ignore_index": 2}, name="ignore_index")
    yield Sample((uniform(rng, (5,), dtype), w, np.array(1)), name="1-d")
    yield Sample((uniform(rng, (3, 5), dtype), w, _prob(rng, (3, 4), dtype)), name="probabilities")


def _ctc_fn(lib, x, targets, il, tl, **kw):
    return F(lib).ctc_loss(F(lib).log_softmax(x, 2), targets, il, tl, **kw)


def _ctc_samples(rng, dtype):
    T, N, C = 6, 2, 4
    for red in REDUCTIONS:
        yield Sample((uniform(rng, (T, N, C), dtype), np.array([[1, 2, 2], [3, 1, 0]]), np.array([6, 5]),
                      np.array([3, 2])), {"reduction": red}, name=red)
    yield Sample((uniform(rng, (T, N, C), dtype), np.array([1, 2, 2, 3, 1]), (6, 5), (3, 2)), name="concatenated")
    yield Sample((uniform(rng, (T, N, C), dtype), np.array([[1, 2, 2], [3, 1, 0]]), np.array([6, 5]),
                  np.array([3, 0])), {"reduction": "sum"}, name="empty target")
    yield Sample((uniform(rng, (T, N, C), dtype), np.array([[0, 2, 2], [3, 3, 3]]), np.array([6, 3]),
                  np.array([2, 3])), {"blank": 1, "zero_infinity": True, "reduction": "none"}, name="zero_infinity")
    yield Sample((uniform(rng, (T, N, C), dtype), np.array([[1, 2, 2], [3, 3, 3]]), np.array([6, 3]),
                  np.array([3, 3])), {"reduction": "none", "zero_infinity": True}, name="impossible zero_infinity")
    yield Sample((uniform(rng, (T, N, C), dtype), np.array([[1, 2, 2], [3, 3, 3]]), np.array([6, 3]),
                  np.array([3, 3])), {"reduction": "none"}, name="impossible", forward_only=True)
    yield Sample((uniform(rng, (T, C), dtype), np.array([1, 2]), np.array(6), np.array(2)), name="unbatched",
                 forward_only=True)



ENTRIES = [
    OpInfo("nn.functional.mse_loss", _fn("mse_loss"), pair_samples(), covers=("nn.functional.mse_loss",),
           errors=_pair_errors),
    OpInfo("nn.functional.mse_loss(broadcast)", _fn("mse_loss"), _broadcast_samples, covers=()),
    OpInfo("nn.functional.l1_loss", _fn("l1_loss"), pair_samples(), covers=("nn.functional.l1_loss",),
           errors=_pair_errors),
    OpInfo("nn.functional.smooth_l1_loss", _fn("smooth_l1_loss"),
           pair_samples(kws=({}, {"beta": 0.5}, {"beta": 0.0}, {"beta": 3.0})),
           covers=("nn.functional.smooth_l1_loss",), errors=_pair_errors),
    OpInfo("nn.functional.huber_loss", _fn("huber_loss"), pair_samples(kws=({}, {"delta": 0.5}, {"delta": 3.0})),
           covers=("nn.functional.huber_loss",), errors=_pair_errors),
    OpInfo("nn.functional.soft_margin_loss", _fn("soft_margin_loss"), _soft_margin_samples,
           covers=("nn.functional.soft_margin_loss",)),
    OpInfo("nn.functional.hinge_embedding_loss", _fn("hinge_embedding_loss"), _hinge_samples,
           covers=("nn.functional.hinge_embedding_loss",)),
    OpInfo("nn.functional.binary_cross_entropy", _fn("binary_cross_entropy"), _bce_samples,
           covers=("nn.functional.binary_cross_entropy",), errors=_bce_errors),
    OpInfo("nn.functional.binary_cross_entropy_with_logits", _bce_logits_fn, _bce_logits_samples,
           covers=("nn.functional.binary_cross_entropy_with_logits",), errors=_bce_logits_errors),
    OpInfo("nn.functional.kl_div", _fn("kl_div"), _kl_samples, covers=("nn.functional.kl_div",)),
    OpInfo("nn.functional.poisson_nll_loss", _fn("poisson_nll_loss"), _poisson_samples,
           covers=("nn.functional.poisson_nll_loss",)),
    OpInfo("nn.functional.gaussian_nll_loss", _fn("gaussian_nll_loss"), _gaussian_samples,
           covers=("nn.functional.gaussian_nll_loss",), errors=_gaussian_errors),
    OpInfo("nn.functional.gaussian_nll_loss(var below eps)", _fn("gaussian_nll_loss"), _gaussian_eps_samples, covers=(),
           skip={c: NO_GRAD_CLAMP for c in ("gradcheck", "gradgradcheck", "forward_over_reverse", "jvp_vjp")}),
    OpInfo("nn.functional.margin_ranking_loss", _fn("margin_ranking_loss"), _margin_ranking_samples,
           covers=("nn.functional.margin_ranking_loss",)),
    OpInfo("nn.functional.cosine_embedding_loss", _fn("cosine_embedding_loss"), _cosine_embedding_samples,
           covers=("nn.functional.cosine_embedding_loss",), errors=_cosine_embedding_errors),
    OpInfo("nn.functional.triplet_margin_loss", _fn("triplet_margin_loss"), _triplet_samples,
           covers=("nn.functional.triplet_margin_loss",), errors=_triplet_errors),
    OpInfo("nn.functional.triplet_margin_with_distance_loss", _triplet_distance_fn, _triplet_distance_samples,
           covers=("nn.functional.triplet_margin_with_distance_loss",)),
    OpInfo("nn.functional.multilabel_soft_margin_loss", _fn("multilabel_soft_margin_loss"), _multilabel_soft_samples,
           covers=("nn.functional.multilabel_soft_margin_loss",)),
    OpInfo("nn.functional.multi_margin_loss", _fn("multi_margin_loss"), _multi_margin_samples,
           covers=("nn.functional.multi_margin_loss",), errors=_multi_margin_errors, skip=_NO_FWAD),
    OpInfo("nn.functional.multilabel_margin_loss", _fn("multilabel_margin_loss"), _multilabel_margin_samples,
           covers=("nn.functional.multilabel_margin_loss",), errors=_multilabel_margin_errors, skip=_NO_FWAD),
    OpInfo("nn.functional.nll_loss", _fn("nll_loss"), _nll_samples, covers=("nn.functional.nll_loss",),
           errors=_nll_errors, ),
    OpInfo("nn.functional.nll_loss(all ignored)", _fn("nll_loss"), _all_ignored_samples, covers=(), skip=_NAN_MEAN),
    OpInfo("nn.functional.cross_entropy", _fn("cross_entropy"), _ce_samples, covers=("nn.functional.cross_entropy",),
           errors=_ce_errors),
    OpInfo("nn.functional.cross_entropy(all ignored)", _fn("cross_entropy"), _all_ignored_smoothing_samples, covers=(),
           skip=_NAN_MEAN),
    OpInfo("nn.functional.linear_cross_entropy", _lce_fn, _lce_samples,
           covers=("nn.functional.linear_cross_entropy",)),
    OpInfo("nn.functional.ctc_loss", _ctc_fn, _ctc_samples, covers=("nn.functional.ctc_loss",), gradgrad=False,
           skip=_NO_FWAD),
]
