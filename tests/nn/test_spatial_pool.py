"""Pooling in 1, 2 and 3 dims: max (with indices), average, adaptive, power-average, fractional (PyTorch's random
samples) and max unpooling; values, indices, gradients, grad_fn names, module reprs and error messages."""

import pytest

import ember

torch = pytest.importorskip("torch")

from spatial_oracle import check, check_raises, tensor_pair, to_ember  # noqa: E402

from ember.autograd import gradcheck, gradgradcheck  # noqa: E402  (gradcheck first: spatial_oracle)

TF = torch.nn.functional
EF = ember.nn.functional
DTYPES = [torch.float32, torch.float64]

MAX_CASES = [  # (nd, shape, kernel, stride, padding, dilation, ceil_mode)
    (3, (2, 3, 6, 7, 5), 2, None, 0, 1, False),
    (3, (1, 2, 7, 6, 8), (3, 2, 3), (2, 1, 2), (1, 0, 1), (1, 2, 1), True),
    (3, (2, 5, 5, 6), 3, 2, 1, 1, True),  # unbatched
    (2, (2, 3, 9, 8), 3, 2, 1, 2, False),
    (2, (3, 7, 7), (2, 3), 1, (1, 1), 1, True),
    (1, (2, 3, 11), 3, 2, 1, 2, True),
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("case", MAX_CASES)
def test_max_pool_with_indices_matches_torch(case, dtype):
    nd, shape, k, s, p, d, ceil = case
    x = tensor_pair(*shape, seed=1)
    tfn, efn = getattr(TF, f"max_pool{nd}d"), getattr(EF, f"max_pool{nd}d")
    check(lambda x: tfn(x, k, s, p, d, ceil, True), lambda x: efn(x, k, s, p, d, ceil, True), [x], dtype)
    check(lambda x: tfn(x, k, s, p, d, ceil), lambda x: efn(x, k, s, p, d, ceil), [x], dtype)
    tw, ew = getattr(TF, f"max_pool{nd}d_with_indices"), getattr(EF, f"max_pool{nd}d_with_indices")
    check(lambda x: tw(x, k, s, p, d, ceil), lambda x: ew(x, k, s, p, d, ceil), [x], dtype)


AVG_CASES = [  # (nd, shape, kernel, stride, padding, ceil_mode, count_include_pad, divisor_override)
    (3, (2, 3, 6, 7, 5), 2, None, 0, False, True, None),
    (3, (1, 2, 7, 6, 8), (3, 2, 3), (2, 1, 2), (1, 0, 1), True, False, None),
    (3, (2, 5, 5, 6), 3, 2, 1, True, True, 5),
    (2, (2, 3, 9, 8), 3, 2, 1, True, False, None),
    (2, (3, 7, 7), (2, 3), 1, (1, 1), False, True, 4),
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("case", AVG_CASES)
def test_avg_pool_matches_torch(case, dtype):
    nd, shape, k, s, p, ceil, cip, div = case
    x = tensor_pair(*shape, seed=2)
    tfn, efn = getattr(TF, f"avg_pool{nd}d"), getattr(EF, f"avg_pool{nd}d")
    check(lambda x: tfn(x, k, s, p, ceil, cip, div), lambda x: efn(x, k, s, p, ceil, cip, div), [x], dtype)


ADAPTIVE_CASES = [  # (nd, shape, output_size)
    (3, (2, 3, 7, 6, 5), (3, 4, 2)),
    (3, (2, 5, 9, 4), (4, None, 3)),
    (3, (1, 2, 4, 4, 4), 1),
    (2, (2, 3, 10, 7), (4, 3)),
    (1, (2, 3, 11), 4),
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("case", ADAPTIVE_CASES)
def test_adaptive_pools_match_torch(case, dtype):
    nd, shape, o = case
    x = tensor_pair(*shape, seed=3)
    for kind in ("avg", "max"):
        tfn, efn = getattr(TF, f"adaptive_{kind}_pool{nd}d"), getattr(EF, f"adaptive_{kind}_pool{nd}d")
        check(lambda x, tfn=tfn: tfn(x, o), lambda x, efn=efn: efn(x, o), [x], dtype)
    tfn, efn = getattr(TF, f"adaptive_max_pool{nd}d"), getattr(EF, f"adaptive_max_pool{nd}d")
    check(lambda x: tfn(x, o, True), lambda x: efn(x, o, True), [x], dtype)
    tw, ew = getattr(TF, f"adaptive_max_pool{nd}d_with_indices"), getattr(EF, f"adaptive_max_pool{nd}d_with_indices")
    check(lambda x: tw(x, o), lambda x: ew(x, o), [x], dtype)


@pytest.mark.parametrize("nd", [1, 2, 3])
def test_lp_pool_matches_torch(nd):
    shape = {1: (2, 3, 9), 2: (2, 3, 7, 6), 3: (1, 2, 5, 6, 4)}[nd]
    x = tensor_pair(*shape, seed=4, low=0.1, high=2.0)
    tfn, efn = getattr(TF, f"lp_pool{nd}d"), getattr(EF, f"lp_pool{nd}d")
    k = 3 if nd == 1 else (2,) * nd
    for p, s, ceil in ((2, None, False), (1.5, 2, True), (3, 1, False), (float("inf"), 2, False)):
        check(lambda x, a=(p, k, s, ceil): tfn(x, *a), lambda x, a=(p, k, s, ceil): efn(x, *a), [x])
    tm, em = getattr(torch.nn, f"LPPool{nd}d")(2, k, 1), getattr(ember.nn, f"LPPool{nd}d")(2, k, 1)
    assert repr(em) == repr(tm)
    check(tm, em, [x], torch.float32)


@pytest.mark.parametrize("dtype", DTYPES)
def test_fractional_max_pool_draws_and_matches_torch(dtype):
    for nd, shape, k, kw in ((2, (2, 3, 9, 8), 2, {"output_size": (4, 5)}),
                             (2, (3, 10, 7), (3, 2), {"output_ratio": (0.5, 0.6)}),
                             (3, (2, 2, 7, 6, 8), 2, {"output_size": (3, 4, 2)}),
                             (3, (2, 6, 7, 5), (2, 3, 2), {"output_ratio": 0.5})):
        x = tensor_pair(*shape, seed=5)
        tfn, efn = getattr(TF, f"fractional_max_pool{nd}d"), getattr(EF, f"fractional_max_pool{nd}d")

        def run_t(x, tfn=tfn, k=k, kw=kw):
            torch.manual_seed(11)
            return tfn(x, k, return_indices=True, **kw)

        def run_e(x, efn=efn, k=k, kw=kw):
            ember.manual_seed(11)
            return efn(x, k, return_indices=True, **kw)

        check(run_t, run_e, [x], dtype)  # the default samples: torch.rand(N, C, nd) from the global stream
        u = torch.rand(shape[0] if len(shape) == nd + 2 else 1, shape[-nd - 1], nd, dtype=dtype)
        ue = to_ember(u, False)
        check(lambda x, f=tfn, a=(k, u, kw): f(x, a[0], _random_samples=a[1], **a[2]),
              lambda x, f=efn, a=(k, ue, kw): f(x, a[0], _random_samples=a[1], **a[2]), [x], dtype)


def test_fractional_max_pool_modules():
    for nd in (2, 3):
        tm = getattr(torch.nn, f"FractionalMaxPool{nd}d")(2, output_ratio=0.5, return_indices=True)
        em = getattr(ember.nn, f"FractionalMaxPool{nd}d")(2, output_ratio=0.5, return_indices=True)
        assert repr(em) == repr(tm)
        x = tensor_pair(2, 3, *([6] * nd), seed=6, dtype=torch.float32)
        torch.manual_seed(2)
        ty, ti = tm(x)
        ember.manual_seed(2)
        ey, ei = em(to_ember(x))
        assert (ey.detach().numpy() == ty.detach().numpy()).all() and (ei.numpy() == ti.numpy()).all()


@pytest.mark.parametrize("nd", [1, 2, 3])
def test_max_unpool_inverts_max_pool_like_torch(nd):
    shape = {1: (2, 3, 10), 2: (2, 3, 6, 7), 3: (1, 2, 4, 6, 5)}[nd]
    x = tensor_pair(*shape, seed=7)
    tpool = getattr(TF, f"max_pool{nd}d")
    tun, eun = getattr(TF, f"max_unpool{nd}d"), getattr(EF, f"max_unpool{nd}d")
    ty, ti = tpool(x, 2, return_indices=True)
    y = ty.detach()
    ei = to_ember(ti)
    for out in ((None,) if nd == 1 else ()) + (tuple(shape[2:]), tuple(shape)):
        check(lambda y, out=out: tun(y, ti, 2, output_size=out), lambda y, out=out: eun(y, ei, 2, output_size=out), [y])
    tm, em = getattr(torch.nn, f"MaxUnpool{nd}d")(2, 2, 0), getattr(ember.nn, f"MaxUnpool{nd}d")(2, 2, 0)
    assert repr(em) == repr(tm)
    check(lambda y: tm(y, ti, shape), lambda y: em(y, ei, shape), [y], torch.float32)


def test_max_pool_double_backward_3d():
    x = ember.tensor(tensor_pair(1, 2, 4, 4, 4, seed=8).numpy(), requires_grad=True)
    assert gradgradcheck(lambda x: EF.max_pool3d(x, 2) ** 2, (x,))
    assert gradcheck(lambda x: EF.avg_pool3d(x, 3, 1, 1, True, False), (x,))
    assert gradgradcheck(lambda x: EF.adaptive_avg_pool3d(x, (3, 2, 3)) ** 2, (x,))
    assert gradcheck(lambda x: EF.fractional_max_pool3d(x, 2, 2, _random_samples=ember.full((1, 2, 3), 0.4,
                                                                                            dtype=x.dtype)), (x,))
    y, i = EF.max_pool3d(x.detach(), 2, return_indices=True)
    y.requires_grad_(True)
    assert gradgradcheck(lambda y: EF.max_unpool3d(y, i, 2) ** 2, (y,))


POOL_MODULES = ["MaxPool3d(2)", "MaxPool3d((2, 3, 1), padding=(1, 1, 0), dilation=2, return_indices=True)",
                "AvgPool3d(2, 1, 1, True, False, 3)", "AvgPool3d(2)", "AdaptiveAvgPool3d((2, None, 3))",
                "AdaptiveMaxPool3d(2, True)", "LPPool1d(1.5, 3, 2, True)", "LPPool3d(2, (1, 2, 3))",
                "MaxUnpool3d(2, 1, 1)", "FractionalMaxPool3d(3, output_size=(2, 3, 4))"]


@pytest.mark.parametrize("spec", POOL_MODULES)
def test_pool_module_reprs(spec):
    assert repr(eval("ember.nn." + spec)) == repr(eval("torch.nn." + spec))


POOL_ERRORS = [
    "F.max_pool3d(m.randn(6, 6), 2)", "F.max_pool3d(m.randn(2, 3, 6, 6, 6), 7)",
    "F.max_pool3d(m.randn(2, 3, 6, 6, 6), 2, padding=2)", "F.max_pool3d(m.randn(2, 3, 6, 6, 6), (2, 2))",
    "F.max_pool3d(m.randn(2, 3, 6, 6, 6), 2, stride=0)", "F.max_pool3d(m.randn(2, 3, 6, 6, 6), 3, dilation=0)",
    "F.max_pool3d(m.randn(2, 3, 6, 6, 6), -1)", "F.max_pool3d(m.randn(2, 3, 6, 6, 6), 2, -1)",
    "F.max_pool3d(m.randn(2, 3, 6, 6, 6), 2, 1, (1, 1))", "F.max_pool3d(m.randn(2, 3, 6, 6, 6), 2, (1, 1))",
    "F.max_pool3d(m.randn(2, 3, 6, 6, 6), 3, 1, (1, 1, 2), (1, 1, 2))", "F.max_pool3d(m.randn(2, 0, 4, 4, 4), 2)",
    "F.max_pool2d(m.randn(2, 3, 8, 8), 3, padding=(1, 2), dilation=(1, 2))",
    "F.max_pool2d(m.randn(2, 3, 8, 8), 3, padding=(1, 3), dilation=(1, 2))",
    "F.max_pool2d(m.randn(2, 3, 8, 8), 2, 1, -1)", "F.max_pool2d(m.randn(2, 0, 4, 4), 2)",
    "F.max_pool1d(m.randn(2, 3, 8, 8), 2)", "F.max_pool1d(m.randn(2, 3, 8), 9)",
    "F.max_pool1d(m.randn(2, 3, 8), 2, padding=2)", "F.max_pool1d(m.randn(2, 3, 8), (3, 3))",
    "F.max_pool1d(m.randn(2, 3, 8), 2, return_indices=True, padding=2)",
    "F.max_pool1d(m.randn(2, 3, 8, 8), 2, return_indices=True)", "F.max_pool1d(m.randn(2, 0, 8), 2)",
    "F.max_pool1d(m.randn(2, 3, 8, requires_grad=True), 9)",
    "F.avg_pool3d(m.randn(2, 3, 6, 6, 6), 7, padding=3)", "F.avg_pool3d(m.randn(2, 3, 6, 6, 6), 2, padding=2)",
    "F.avg_pool3d(m.randn(2, 3, 6, 6, 6), 2, divisor_override=0)", "F.avg_pool3d(m.randn(2, 3, 6, 6, 6), (2, 2))",
    "F.avg_pool3d(m.randn(2, 3, 6, 6, 6), 2, (1, 1))", "F.avg_pool3d(m.randn(2, 3, 6, 6, 6), 2, 1, (1, 1))",
    "F.avg_pool3d(m.randn(6, 6), 2)", "F.avg_pool2d(m.randn(2, 3, 8, 8), 9)",
    "F.avg_pool1d(m.randn(2, 3, 8, 8), 2)", "F.avg_pool1d(m.randn(2, 3, 8), (3, 3))",
    "F.avg_pool1d(m.randn(2, 3, 8), 9)",
    "F.adaptive_avg_pool3d(m.randn(2, 3, 6, 6, 6), (2, 2))", "F.adaptive_max_pool3d(m.randn(2, 3, 6, 6, 6), (2, 2))",
    "F.adaptive_avg_pool3d(m.randn(6, 6), 2)", "F.adaptive_max_pool3d(m.randn(6, 6), 2)",
    "F.adaptive_avg_pool2d(m.randn(2, 3, 8, 8), -1)", "F.adaptive_avg_pool3d(m.randn(2, 3, 6, 6, 6), -1)",
    "F.adaptive_max_pool2d(m.randn(2, 3, 8, 8), -1)", "F.adaptive_avg_pool1d(m.randn(2, 3, 8, 8), 2)",
    "F.adaptive_avg_pool2d(m.randn(2, 3, 0, 8), 2)", "F.adaptive_avg_pool3d(m.randn(2, 0, 8, 8, 8), 2)",
    "F.adaptive_max_pool2d(m.randn(2, 0, 8, 8), 2)", "F.adaptive_avg_pool3d(m.randn(8, 8), 1)",
    "F.adaptive_max_pool2d(m.randn(8, 8), 2)", "F.adaptive_avg_pool2d(m.randn(8, 8), 2)",
    "F.max_pool3d(m.randn(2, 3, 0, 4, 4), 2)", "F.avg_pool3d(m.randn(0, 4, 4, 4), 2)",
    "F.max_pool1d(m.randn(2, 3, 8), 0)", "F.max_pool1d(m.randn(2, 3, 8), 2, -1)",
    "F.max_pool1d(m.randn(2, 3, 8), 3, 1, 1, 0)", "F.max_pool1d(m.randn(2, 3, 8), 3, (1, 1))",
    "F.fractional_max_pool2d(m.randn(2, 0, 8, 8), 2, output_size=3)",
    "F.fractional_max_pool2d(m.randn(8, 8), 2, output_size=3)",
    "F.fractional_max_pool3d(m.randn(2, 3, 6, 6, 6), (2, 2), output_size=3)",
    "F.fractional_max_pool2d(m.randn(2, 3, 8, 8), 2, output_size=4, _random_samples=m.rand(2, 4, 2))",
    "F.fractional_max_pool2d(m.randn(2, 3, 8, 8), 2, output_size=4, _random_samples=m.rand(2, 3))",
    "F.max_unpool3d(m.randn(2, 3, 6, 6, 6), m.zeros(2, 3, 6, 6, 6, dtype=m.long), 2, stride=0)",
    "F.max_unpool3d(m.randn(6, 6), m.zeros(6, 6, dtype=m.long), 2)",
    "F.lp_pool2d(m.randn(2, 3, 8, 8), 2, 9)", "F.lp_pool1d(m.randn(2, 3, 8, 8), 2, 2)",
    "F.max_unpool2d(m.randn(2, 3, 8, 8), m.zeros(2, 3, 8, 8), 2)",
    "F.max_unpool2d(m.randn(2, 3, 8, 8), m.zeros(2, 3, 8, 7, dtype=m.long), 2)",
    "F.max_unpool2d(m.randn(2, 3, 8, 8), m.full((2, 3, 8, 8), 300), 2)",
    "F.max_unpool2d(m.randn(2, 3, 8, 8), m.full((2, 3, 8, 8), -1), 2)",
    "F.max_unpool2d(m.randn(2, 3, 8, 8), m.zeros(2, 3, 8, 8, dtype=m.long), 2, output_size=(30, 30))",
    "F.max_unpool2d(m.randn(2, 3, 8, 8), m.zeros(2, 3, 8, 8, dtype=m.long), 2, output_size=(1, 2, 3))",
    "F.max_unpool2d(m.randn(3, 8), m.zeros(3, 8, dtype=m.long), 2)",
    "F.max_unpool3d(m.randn(2, 3, 6, 6, 6), m.full((2, 3, 6, 6, 6), 2000), 2)",
    "F.max_unpool3d(m.randn(2, 3, 6, 6, 6), m.zeros(2, 3, 6, 6, 5, dtype=m.long), 2)",
    "F.max_unpool3d(m.randn(2, 3, 6, 6, 6), m.zeros(2, 3, 6, 6, 6), 2)",
    "F.max_unpool1d(m.randn(2, 3, 8), m.full((2, 3, 8), 99), 2)",
    "F.fractional_max_pool2d(m.randn(2, 3, 8, 8), 2)",
    "F.fractional_max_pool2d(m.randn(2, 3, 8, 8), 2, output_size=8)",
    "F.fractional_max_pool2d(m.randn(2, 3, 8, 8), 2, output_ratio=1.5)",
    "F.fractional_max_pool2d(m.randn(2, 3, 8, 8), 2, output_size=4, _random_samples=m.rand(2, 3, 3))",
    "F.fractional_max_pool2d(m.randn(2, 3, 8, 8), 2, output_size=4, _random_samples=m.rand(1, 3, 2))",
    "F.fractional_max_pool2d(m.randn(2, 3, 8, 8), 2, output_size=4, _random_samples=m.rand(2, 3, 2).double())",
    "F.fractional_max_pool2d(m.randn(2, 3, 8, 8), (2, 2, 2), output_size=3)",
    "F.fractional_max_pool2d(m.randn(2, 3, 8, 8), 2, output_ratio=(0.5, 0.5, 0.5))",
    "F.fractional_max_pool2d(m.randn(2, 3, 8, 8), 9, output_size=1)",
    "F.fractional_max_pool3d(m.randn(2, 3, 6, 6, 6), 2)",
    "F.fractional_max_pool3d(m.randn(2, 3, 6, 6, 6), 2, output_size=6)",
    "F.fractional_max_pool3d(m.randn(2, 3, 6, 6, 6), 2, output_size=3, _random_samples=m.rand(2, 3, 2))",
    "F.fractional_max_pool3d(m.randn(2, 3, 8, 8), 2, output_size=3)",
    "m.nn.FractionalMaxPool2d(2)", "m.nn.FractionalMaxPool2d(2, output_size=3, output_ratio=0.5)",
    "m.nn.FractionalMaxPool2d(2, output_ratio=1.5)", "m.nn.FractionalMaxPool3d(2, output_ratio=0)",
]


@pytest.mark.parametrize("expr", POOL_ERRORS)
def test_pool_errors_match_torch(expr):
    check_raises(lambda: eval(expr, {"F": TF, "m": torch}), lambda: eval(expr, {"F": EF, "m": ember}))
