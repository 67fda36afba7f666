"""Catalogue entries of ember.nn._functional_activation (see op_catalogue.py): linear, bilinear and every
activation of ``nn.functional``, with their in-place forms (``F.elu_(x)``, ``F.elu(x, inplace=True)``) checked on a
clone, so that the first and second derivatives through the in-place change are compared with PyTorch's.

Random activations (rrelu in training, gumbel_softmax) draw from the generator: their ops seed it (ember's stream
is PyTorch's), so the draw is the same in both libraries and in every finite-difference evaluation."""

from __future__ import annotations

import numpy as np
from op_catalogue import Layout, OpInfo, Sample, layouts, uniform

SPECIAL = np.array([np.nan, np.inf, -np.inf, 0.0, -0.0, 1.5, -1.5, 0.25, -3.5])


def F(lib):
    return lib.nn.functional


def seeded(lib, fn, seed=0):
    """``fn()`` with the generator seeded, the caller's generator state restored afterwards."""
    state = lib.get_rng_state()
    lib.manual_seed(seed)
    try:
        return fn()
    finally:
        lib.set_rng_state(state)


def act_samples(kws=({},), lo=-2.0, hi=2.0, integers=True, special=True):
    """0-d, vector, matrix, transposed, strided inputs on (lo, hi) (the first kwargs), each further kwargs on a
    matrix; special values, an empty input and int64 for the forward only."""
    def gen(rng, dtype):
        kw0 = dict(kws[0])
        for shape in ((), (5,), (2, 3)):
            for tag, x in layouts(uniform(rng, shape, dtype, lo, hi)):
                yield Sample((x,), kw0, name=f"{shape}{tag}")
        for kw in kws[1:]:
            yield Sample((uniform(rng, (3, 4), dtype, lo, hi),), dict(kw), name=f"{kw}")
        if special:
            yield Sample((SPECIAL.astype(dtype),), kw0, name="special", forward_only=True)
        yield Sample((np.zeros((0, 3), dtype=dtype),), kw0, name="empty", forward_only=True)
        if integers:
            yield Sample((uniform(rng, (6,), np.int64, -3, 3),), kw0, name="int64", forward_only=True)
    return gen


def _fn(name):
    return lambda lib, x, **kw: getattr(F(lib), name)(x, **kw)


def _inplace_fn(name):
    """``F.<name>`` on a clone (a non-leaf that may change in place)."""
    return lambda lib, x, **kw: getattr(F(lib), name)(x.clone(), **kw)


def _inplace_kw_fn(name):
    return lambda lib, x, **kw: getattr(F(lib), name)(x.clone(), inplace=True, **kw)


def act(name, kws=({},), lo=-2.0, hi=2.0, inplace=None, inplace_kw=False, integers=True, inplace_skip=None,
        **flags):
    """The entry of activation ``name`` and, where it has them, of its in-place spellings (``inplace_skip``: the
    checks those skip)."""
    gen = act_samples(kws, lo, hi, integers)
    out = [OpInfo(name, _fn(name), gen, covers=(f"nn.functional.{name}",), **flags)]
    iflags = dict(flags, skip=dict(flags.get("skip", {}), **(inplace_skip or {})))
    if inplace:
        out.append(OpInfo(inplace, _inplace_fn(inplace), gen, covers=(f"nn.functional.{inplace}",), **iflags))
    if inplace_kw:
        out.append(OpInfo(f"{name}(inplace=True)", _inplace_kw_fn(name), gen, covers=(), **iflags))
    return out


# -- linear maps ---------------------------------------------------------------------------------------------------

def _linear_samples(rng, dtype):
    w = uniform(rng, (5, 4), dtype)
    b = uniform(rng, (5,), dtype)
    yield Sample((uniform(rng, (3, 4), dtype), w, b), name="2-d")
    yield Sample((uniform(rng, (3, 4), dtype), w), name="2-d no bias")
    yield Sample((uniform(rng, (4,), dtype), w, b), name="1-d")
    yield Sample((uniform(rng, (4,), dtype), w), name="1-d no bias")
    yield Sample((uniform(rng, (2, 3, 4), dtype), w, b), name="3-d")
    yield Sample((uniform(rng, (2, 3, 4), dtype), w), name="3-d no bias")
    yield Sample((Layout(uniform(rng, (4, 3), dtype), "T"), Layout(uniform(rng, (4, 5), dtype), "T"), b), name="T")
    yield Sample((uniform(rng, (3, 4), dtype), w, uniform(rng, (), dtype)), name="0-d bias")
    yield Sample((np.zeros((0, 4), dtype=dtype), w, b), name="empty", forward_only=True)


def _linear_errors(rng, dtype):
    yield Sample((uniform(rng, (3, 4), dtype), uniform(rng, (5, 3), dtype)), name="inner sizes")
    yield Sample((uniform(rng, (), dtype), uniform(rng, (5, 3), dtype)), name="0-d input")


def _bilinear_samples(rng, dtype):
    w = uniform(rng, (3, 2, 4), dtype)
    yield Sample((uniform(rng, (5, 2), dtype), uniform(rng, (5, 4), dtype), w, uniform(rng, (3,), dtype)),
                 name="2-d")
    yield Sample((uniform(rng, (5, 2), dtype), uniform(rng, (5, 4), dtype), w), name="no bias")
    yield Sample((uniform(rng, (2, 3, 2), dtype), uniform(rng, (2, 3, 4), dtype), w, uniform(rng, (3,), dtype)),
                 name="3-d")


def _bilinear_errors(rng, dtype):
    w = uniform(rng, (3, 2, 4), dtype)
    yield Sample((uniform(rng, (5, 2), dtype), uniform(rng, (4, 4), dtype), w), name="batch sizes")


# -- activations with a weight or a dim ----------------------------------------------------------------------------

def _prelu_samples(rng, dtype):
    yield Sample((uniform(rng, (2, 3, 4), dtype), uniform(rng, (3,), dtype, 0, 1)), name="per channel")
    yield Sample((uniform(rng, (2, 3), dtype), uniform(rng, (1,), dtype, 0, 1)), name="one weight")
    yield Sample((uniform(rng, (5,), dtype), uniform(rng, (1,), dtype, 0, 1)), name="1-d")
    yield Sample((uniform(rng, (), dtype), uniform(rng, (1,), dtype, 0, 1)), name="0-d")
    yield Sample((Layout(uniform(rng, (3, 2), dtype), "T"), uniform(rng, (3,), dtype, 0, 1)), name="T")
    yield Sample((uniform(rng, (2, 3), dtype), uniform(rng, (), dtype, 0, 1)), name="0-d weight")
    yield Sample((SPECIAL.astype(dtype), np.array([0.25], dtype=dtype)), name="special", forward_only=True)


def _prelu_errors(rng, dtype):
    yield Sample((uniform(rng, (2, 3), dtype), uniform(rng, (4,), dtype)), name="channels")


def _glu_samples(rng, dtype):
    yield Sample((uniform(rng, (3, 4), dtype),), name="dim -1")
    yield Sample((uniform(rng, (4, 3), dtype), 0), name="dim 0")
    yield Sample((uniform(rng, (6,), dtype),), name="1-d")
    yield Sample((Layout(uniform(rng, (4, 2), dtype), "T"),), name="T")
    yield Sample((uniform(rng, (2, 2, 3), dtype), 1), name="3-d dim 1")
    yield Sample((np.array([np.nan, 1.0, np.inf, -np.inf, 0.0, np.nan], dtype=dtype),), name="special",
                 forward_only=True)
    yield Sample((np.zeros((0, 4), dtype=dtype),), name="empty", forward_only=True)
    yield Sample((np.zeros((3, 0), dtype=dtype),), name="empty halved", forward_only=True)


def _glu_errors(rng, dtype):
    yield Sample((uniform(rng, (3, 5), dtype),), name="odd")
    yield Sample((uniform(rng, (), dtype),), name="0-d")
    yield Sample((uniform(rng, (3, 4), dtype), 2), name="dim out of range")


def _dim_samples(rng, dtype):
    x3 = uniform(rng, (2, 3, 2), dtype)
    yield Sample((x3,), {"dim": 1}, name="dim 1")
    yield Sample((uniform(rng, (5,), dtype),), {"dim": 0}, name="1-d")
    yield Sample((Layout(uniform(rng, (4, 3), dtype), "T"),), {"dim": 0}, name="T")
    yield Sample((x3,), {"dim": -1}, name="dim -1")
    yield Sample((uniform(rng, (), dtype),), {"dim": 0}, name="0-d")
    yield Sample((uniform(rng, (2, 3), dtype),), {"dim": 1, "dtype": None}, name="dtype None")
    yield Sample((np.stack([SPECIAL, SPECIAL[::-1]]).astype(dtype),), {"dim": 1}, name="special", forward_only=True)
    yield Sample((np.zeros((0, 3), dtype=dtype),), {"dim": 1}, name="empty", forward_only=True)


def _dim_dtype_samples(rng, dtype):
    yield Sample((uniform(rng, (3, 4), dtype),), {"dim": 1}, name="float64 result")


def _with_f64(name):
    return lambda lib, x, **kw: getattr(F(lib), name)(x, dtype=lib.float64, **kw)


def _gumbel(lib, x, **kw):
    return seeded(lib, lambda: F(lib).gumbel_softmax(x, **kw))


def _gumbel_samples(rng, dtype):
    yield Sample((uniform(rng, (3, 4), dtype),), name="soft")
    yield Sample((uniform(rng, (3, 4), dtype),), {"tau": 0.5, "dim": 0}, name="tau dim 0")
    yield Sample((uniform(rng, (5,), dtype),), {"dim": 0}, name="1-d")


def _gumbel_hard_samples(rng, dtype):
    yield Sample((uniform(rng, (5,), dtype),), {"hard": True}, name="hard")
    yield Sample((uniform(rng, (2, 3, 4), dtype),), {"hard": True, "dim": 1}, name="hard dim 1")


def _rrelu_train(lib, x, **kw):
    return seeded(lib, lambda: F(lib).rrelu(x, training=True, **kw))


def _rrelu_train_inplace(lib, x, **kw):
    return seeded(lib, lambda: F(lib).rrelu_(x.clone(), training=True, **kw))


def _hardtanh_errors(rng, dtype):
    yield Sample((uniform(rng, (3,), dtype),), {"min_val": 1.0, "max_val": -1.0}, name="min > max")


def _gelu_errors(rng, dtype):
    yield Sample((uniform(rng, (3,), dtype),), {"approximate": "erf"}, name="approximate")


STRAIGHT_THROUGH = ("straight-through: the forward is one-hot (piecewise constant), the gradient the soft "
                    "sample's, so no finite difference matches it (in PyTorch neither); gradients are compared "
                    "with PyTorch's")
NO_RRELU_INPLACE_FWAD = "PyTorch has no forward mode for rrelu_ (the forward_ad check compares its error)"
NO_RRELU_INPLACE = {"jvp_vjp": NO_RRELU_INPLACE_FWAD, "forward_over_reverse": NO_RRELU_INPLACE_FWAD}
NEGATIVE_SLOPE = ("PyTorch refuses the backward of leaky_relu_ with a negative slope (the backward check compares "
                  "its error)")

HARDTANH_KW = ({}, {"min_val": -0.5, "max_val": 1.5}, {"min_val": 0.0, "max_val": 0.0})


ENTRIES = [
    OpInfo("nn.functional.linear", lambda lib, *a: F(lib).linear(*a), _linear_samples,
           covers=("nn.functional.linear",), errors=_linear_errors),
    OpInfo("nn.functional.bilinear", lambda lib, *a: F(lib).bilinear(*a), _bilinear_samples,
           covers=("nn.functional.bilinear",), errors=_bilinear_errors),
    *act("relu", inplace="relu_", inplace_kw=True),
    *act("relu6", lo=-3.0, hi=8.0, inplace_kw=True),
    *act("elu", ({}, {"alpha": 0.5}, {"alpha": 2.0}), inplace="elu_", inplace_kw=True),
    *act("celu", ({}, {"alpha": 0.5}, {"alpha": 2.0}), inplace="celu_", inplace_kw=True),
    *act("selu", inplace="selu_", inplace_kw=True),
    *act("leaky_relu", ({}, {"negative_slope": 0.2}, {"negative_slope": -0.5})),
    *act("leaky_relu", ({}, {"negative_slope": 0.2}), inplace="leaky_relu_", inplace_kw=True)[1:],
    OpInfo("leaky_relu_(negative slope)", _inplace_fn("leaky_relu_"),
           lambda rng, dtype: [Sample((uniform(rng, (2, 3), dtype),), {"negative_slope": -0.5})], covers=(),
           skip={c: NEGATIVE_SLOPE for c in ("gradcheck", "gradgradcheck", "jvp_vjp", "forward_over_reverse")}),
    OpInfo("hardtanh", _fn("hardtanh"), act_samples(HARDTANH_KW), covers=("nn.functional.hardtanh",),
           errors=_hardtanh_errors),
    *act("hardtanh", HARDTANH_KW, inplace="hardtanh_", inplace_kw=True)[1:],
    OpInfo("hardtanh_(min > max)", _inplace_fn("hardtanh_"),
           lambda rng, dtype: [Sample((uniform(rng, (2, 3), dtype),), {"min_val": 1.0, "max_val": -1.0})],
           covers=()),
    *act("threshold", ({"threshold": 0.3, "value": -1.0}, {"threshold": -1.0, "value": 2.0}),
         inplace="threshold_", inplace_kw=True),
    *act("gelu", ({}, {"approximate": "tanh"}), lo=-4.0, hi=4.0, errors=_gelu_errors),
    *act("silu", lo=-5.0, hi=5.0, inplace_kw=True),
    *act("mish", lo=-5.0, hi=5.0, inplace_kw=True),
    *act("hardswish", lo=-5.0, hi=5.0, inplace_kw=True),
    *act("hardsigmoid", lo=-5.0, hi=5.0, inplace_kw=True),
    *act("softplus", ({}, {"beta": 2.0}, {"beta": 0.5, "threshold": 1.0}), lo=-5.0, hi=5.0),
    *act("logsigmoid", lo=-5.0, hi=5.0),
    *act("hardshrink", ({}, {"lambd": 1.0}, {"lambd": 0.0})),
    *act("softshrink", ({}, {"lambd": 1.0}, {"lambd": 0.0})),
    *act("softsign"),
    *act("tanhshrink"),
    *act("rrelu", ({}, {"lower": 0.1, "upper": 0.6}), inplace="rrelu_", inplace_kw=True,
         inplace_skip=NO_RRELU_INPLACE),
    OpInfo("rrelu(training)", _rrelu_train, act_samples(({}, {"lower": 0.1, "upper": 0.6}), integers=False),
           covers=()),
    OpInfo("rrelu_(training)", _rrelu_train_inplace, act_samples(({}, {"lower": 0.1, "upper": 0.6}),
                                                                  integers=False), covers=(),
           skip=NO_RRELU_INPLACE),
    OpInfo("nn.functional.prelu", lambda lib, x, w: F(lib).prelu(x, w), _prelu_samples,
           covers=("nn.functional.prelu",), errors=_prelu_errors),
    OpInfo("nn.functional.glu", lambda lib, x, *a: F(lib).glu(x, *a), _glu_samples,
           covers=("nn.functional.glu",), errors=_glu_errors),
    OpInfo("nn.functional.softmax", _fn("softmax"), _dim_samples, covers=("nn.functional.softmax",)),
    OpInfo("nn.functional.log_softmax", _fn("log_softmax"), _dim_samples, covers=("nn.functional.log_softmax",)),
    OpInfo("nn.functional.softmin", _fn("softmin"), _dim_samples, covers=("nn.functional.softmin",)),
    OpInfo("nn.functional.softmax(dtype)", _with_f64("softmax"), _dim_dtype_samples, covers=(),
           dtypes=(np.float32,)),
    OpInfo("nn.functional.log_softmax(dtype)", _with_f64("log_softmax"), _dim_dtype_samples, covers=(),
           dtypes=(np.float32,)),
    OpInfo("nn.functional.softmin(dtype)", _with_f64("softmin"), _dim_dtype_samples, covers=(),
           dtypes=(np.float32,)),
    OpInfo("nn.functional.gumbel_softmax", _gumbel, _gumbel_samples, covers=("nn.functional.gumbel_softmax",)),
    OpInfo("gumbel_softmax(hard)", _gumbel, _gumbel_hard_samples, covers=(),
           skip={c: STRAIGHT_THROUGH for c in ("gradcheck", "gradgradcheck", "forward_over_reverse")}),
]

for _e in ENTRIES:  # one name space with torch's ops: every entry here is nn.functional's
    if not _e.name.startswith("nn.functional."):
        _e.name = f"nn.functional.{_e.name}"
