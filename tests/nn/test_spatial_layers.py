"""Elementwise and small spatial layers against PyTorch: activations (functional, in-place, modules, RReLU's
random slopes), channel dropout, pads, pixel/channel shuffle, fold/unfold, local response norms, instance norm
(running statistics, lazy forms) and the reprs of all their modules."""

import pytest

import ember

torch = pytest.importorskip("torch")

from spatial_oracle import check, check_raises, tensor_pair, to_ember  # noqa: E402

TF = torch.nn.functional
EF = ember.nn.functional
DTYPES = [torch.float32, torch.float64]

ACTIVATIONS = [("relu", {}), ("relu6", {}), ("elu", {"alpha": 0.7}), ("selu", {}), ("celu", {"alpha": 1.3}),
               ("leaky_relu", {"negative_slope": 0.2}), ("hardtanh", {"min_val": -0.5, "max_val": 0.7}),
               ("gelu", {}), ("gelu", {"approximate": "tanh"}), ("silu", {}), ("mish", {}), ("hardswish", {}),
               ("hardsigmoid", {}), ("logsigmoid", {}), ("softplus", {"beta": 2.0, "threshold": 3.0}),
               ("softsign", {}), ("tanhshrink", {}), ("hardshrink", {"lambd": 0.3}), ("softshrink", {"lambd": 0.3}),
               ("threshold", {"threshold": 0.1, "value": -2.0}), ("sigmoid", {}), ("tanh", {}), ("glu", {}),
               ("softmin", {"dim": 1}), ("rrelu", {}), ("rrelu", {"lower": 0.2, "upper": 0.5})]
INPLACE = {"relu", "relu6", "elu", "selu", "celu", "leaky_relu", "hardtanh", "silu", "mish", "hardswish",
           "hardsigmoid", "threshold", "rrelu"}


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("spec", ACTIVATIONS, ids=lambda s: s[0] + "".join(s[1]))
def test_activation_matches_torch(spec, dtype):
    name, kw = spec
    x = tensor_pair(4, 6, seed=1) * 3
    x[0, 0] = 0.0
    check(lambda x: getattr(TF, name)(x, **kw), lambda x: getattr(EF, name)(x, **kw), [x], dtype)
    if name in INPLACE:  # the in-place form: same values, the Backward1 nodes PyTorch records, same gradients
        check(lambda x: getattr(TF, name)(x * 1, inplace=True, **kw),
              lambda x: getattr(EF, name)(x * 1, inplace=True, **kw), [x], dtype)


@pytest.mark.parametrize("name", ["relu_", "elu_", "selu_", "celu_", "leaky_relu_", "hardtanh_", "rrelu_"])
def test_inplace_functions_match_torch(name):
    x = tensor_pair(3, 5, seed=2)
    check(lambda x: getattr(TF, name)(x * 1), lambda x: getattr(EF, name)(x * 1), [x])
    check(lambda x: TF.threshold_(x * 1, 0.2, 5.0), lambda x: EF.threshold_(x * 1, 0.2, 5.0), [x])


@pytest.mark.parametrize("dtype", DTYPES)
def test_rrelu_training_draws_like_torch(dtype):
    x = tensor_pair(5, 40, seed=3)
    x[0, :3] = 0.0

    def run(lib, mod, inplace):
        def f(x):
            mod.manual_seed(7)
            return lib.rrelu(x * 1 if inplace else x, 0.1, 0.4, training=True, inplace=inplace)
        return f

    for inplace in (False, True):
        check(run(TF, torch, inplace), run(EF, ember, inplace), [x], dtype, tol=0 if dtype == torch.float64 else None)
    torch.manual_seed(8)
    tm = torch.nn.RReLU(0.1, 0.3)
    ember.manual_seed(8)
    em = ember.nn.RReLU(0.1, 0.3)
    check(tm, em, [x], dtype)
    tm.eval(), em.eval()
    check(tm, em, [x], dtype)


def test_channel_dropout_draws_like_torch():
    x = tensor_pair(3, 4, 2, 2, 3, seed=4)
    for fn, kw in (("dropout3d", {"p": 0.4}), ("feature_alpha_dropout", {"p": 0.3, "training": True})):
        def run(lib, mod, fn=fn, kw=kw, x4=False):
            def f(x):
                mod.manual_seed(5)
                return getattr(lib, fn)(x[0] if x4 else x, **kw)
            return f
        check(run(TF, torch), run(EF, ember), [x])
        check(run(TF, torch, x4=True), run(EF, ember, x4=True), [x])
    for cls in ("Dropout3d", "FeatureAlphaDropout"):
        torch.manual_seed(6)
        ember.manual_seed(6)
        check(getattr(torch.nn, cls)(0.5), getattr(ember.nn, cls)(0.5), [x])


PAD_CASES = [((2, 3, 5), (2, 1), "reflect"), ((2, 3, 5), (4, 6), "replicate"), ((3, 5), (2, 3), "circular"),
             ((2, 3, 4, 5), (1, 2, 3, 1), "reflect"), ((2, 3, 4, 5), (2, 0, 1, 3), "circular"),
             ((2, 2, 3, 4, 5), (1, 2, 2, 1, 1, 2), "reflect"), ((2, 3, 4, 5), (1, 2, 0, 1, 2, 1), "replicate"),
             ((2, 2, 3, 4, 5), (1, 1, 2, 0, 1, 2), "circular"), ((2, 2, 3, 4, 5), (1, -1, 2, 0, -2, 3), "constant")]


@pytest.mark.parametrize("case", PAD_CASES)
def test_pad_matches_torch(case):
    shape, pads, mode = case
    x = tensor_pair(*shape, seed=7)
    check(lambda x: TF.pad(x, pads, mode), lambda x: EF.pad(x, pads, mode), [x])


PAD_MODULES = ["ZeroPad1d(2)", "ZeroPad2d((1, 2, 0, 1))", "ZeroPad3d((1, 0, 2, 1, 0, 1))", "ConstantPad1d(2, 3.5)",
               "ConstantPad3d((1, 0, 2, 1, 0, 1), -1.0)", "ReflectionPad1d((2, 1))", "ReflectionPad3d(1)",
               "ReplicationPad1d(3)", "ReplicationPad3d((1, 2, 0, 1, 2, 1))", "CircularPad1d(2)",
               "CircularPad2d((1, 1, 2, 0))", "CircularPad3d(1)"]


@pytest.mark.parametrize("spec", PAD_MODULES)
def test_pad_modules_match_torch(spec):
    tm, em = eval("torch.nn." + spec), eval("ember.nn." + spec)
    assert repr(em) == repr(tm)
    nd = int(spec[spec.index("d(") - 1])
    check(tm, em, [tensor_pair(2, 2, *([4] * nd), seed=8)], torch.float32)


def test_shuffles_fold_unfold_match_torch():
    check(lambda x: TF.pixel_shuffle(x, 2), lambda x: EF.pixel_shuffle(x, 2), [tensor_pair(2, 3, 8, 2, 3, seed=9)])
    check(lambda x: TF.pixel_unshuffle(x, 2), lambda x: EF.pixel_unshuffle(x, 2), [tensor_pair(3, 2, 4, 6, seed=10)])
    x = tensor_pair(2, 6, 3, 2, seed=11)
    check(lambda x: TF.channel_shuffle(x, 3), lambda x: EF.channel_shuffle(x, 3), [x])
    check(torch.nn.ChannelShuffle(2), ember.nn.ChannelShuffle(2), [x])
    tu, eu = torch.nn.Unfold((2, 3), dilation=(1, 2), padding=1, stride=(2, 1)), \
        ember.nn.Unfold((2, 3), dilation=(1, 2), padding=1, stride=(2, 1))
    assert repr(eu) == repr(tu)
    check(tu, eu, [tensor_pair(2, 3, 6, 7, seed=12)])
    check(tu, eu, [tensor_pair(3, 6, 7, seed=12)])
    tf, ef = torch.nn.Fold((5, 6), 2, padding=(1, 0), stride=2), ember.nn.Fold((5, 6), 2, padding=(1, 0), stride=2)
    assert repr(ef) == repr(tf)
    check(tf, ef, [tensor_pair(2, 12, 9, seed=13)])


SHUFFLE_ERRORS = ["F.pixel_shuffle(m.zeros(5, 5), 2)", "F.pixel_shuffle(m.zeros(3, 5, 5), 0)",
                  "F.pixel_shuffle(m.zeros(2, 4, 5, 5), 3)", "F.pixel_unshuffle(m.zeros(3, 5, 5), -1)",
                  "F.pixel_unshuffle(m.zeros(2, 4, 5, 5), 3)", "F.channel_shuffle(m.zeros(2, 6, 3, 3), 4)",
                  "F.channel_shuffle(m.zeros(2, 6, 3, 3), 0)", "F.channel_shuffle(m.zeros(2, 6), 3)",
                  "F.local_response_norm(m.zeros(2, 3), 2)", "m.nn.CrossMapLRN2d(3)(m.zeros(2, 3, 4))",
                  "F.instance_norm(m.zeros(2, 3, 1))", "F.instance_norm(m.zeros(2, 3, 4), use_input_stats=False)",
                  "m.nn.InstanceNorm3d(3)(m.zeros(2, 3, 4))", "m.nn.InstanceNorm1d(3, affine=True)(m.zeros(2, 4, 5))",
                  "m.nn.LazyInstanceNorm1d()(m.zeros(3, 5))"]


@pytest.mark.parametrize("expr", SHUFFLE_ERRORS)
def test_layer_errors_match_torch(expr):
    check_raises(lambda: eval(expr, {"F": TF, "m": torch}), lambda: eval(expr, {"F": EF, "m": ember}))


def test_local_response_norms_match_torch():
    for shape in ((2, 5, 7), (2, 6, 3, 4), (1, 7, 2, 3, 2)):
        x = tensor_pair(*shape, seed=14)
        check(lambda x: TF.local_response_norm(x, 3, 1e-2, 0.6, 1.5),
              lambda x: EF.local_response_norm(x, 3, 1e-2, 0.6, 1.5), [x])
    x = tensor_pair(2, 7, 3, 4, seed=15)
    for size in (2, 3, 5, 7):  # PyTorch's own window and backward formula, quirks included
        tm, em = torch.nn.CrossMapLRN2d(size, 1e-1, 0.7, 2), ember.nn.CrossMapLRN2d(size, 1e-1, 0.7, 2)
        assert repr(em) == repr(tm)
        for dtype in DTYPES:
            check(tm, em, [x], dtype)
    xt, xe = x.clone().requires_grad_(), to_ember(x, True)
    check_raises(lambda: torch.nn.CrossMapLRN2d(1)(xt).sum().backward(),
                 lambda: ember.nn.CrossMapLRN2d(1)(xe).sum().backward())


@pytest.mark.parametrize("nd", [1, 2, 3])
def test_instance_norm_running_stats_match_torch(nd):
    x = tensor_pair(3, 4, *([5] * nd), seed=16) * 2 + 1
    for kw in ({}, {"affine": True}, {"affine": True, "track_running_stats": True, "momentum": 0.3},
               {"track_running_stats": True, "momentum": None}):
        torch.manual_seed(0)
        tm = getattr(torch.nn, f"InstanceNorm{nd}d")(4, **kw)
        em = getattr(ember.nn, f"InstanceNorm{nd}d")(4, **kw)
        assert repr(em) == repr(tm)
        assert list(em.state_dict()) == list(tm.state_dict())
        for _ in range(2):
            check(tm, em, [x], torch.float32)
        check(tm, em, [x[0]], torch.float32)  # unbatched
        for k, v in tm.state_dict().items():
            assert abs(em.state_dict()[k].numpy() - v.numpy()).max() < 1e-5, k
        tm.eval(), em.eval()
        check(tm, em, [x], torch.float32)


def test_lazy_norms_match_torch():
    for cls, shape in (("LazyInstanceNorm2d", (2, 3, 4, 5)), ("LazyBatchNorm1d", (4, 3)),
                       ("LazyBatchNorm3d", (2, 3, 2, 2, 2)), ("LazyInstanceNorm1d", (2, 3, 6))):
        tm, em = getattr(torch.nn, cls)(), getattr(ember.nn, cls)()
        assert repr(em) == repr(tm)
        assert [repr(v) for v in em.state_dict().values()] == [repr(v) for v in tm.state_dict().values()]
        x = tensor_pair(*shape, seed=17, dtype=torch.float32)
        ty, ey = tm(x), em(to_ember(x))
        assert type(em).__name__ == type(tm).__name__ and repr(em) == repr(tm)
        assert abs(ey.detach().numpy() - ty.detach().numpy()).max() < 1e-5
        for k, v in tm.state_dict().items():
            assert abs(em.state_dict()[k].numpy() - v.numpy()).max() < 1e-6, k


MODULE_REPRS = ["ReLU(True)", "ELU(0.5, True)", "CELU(2.0)", "SELU(True)", "GELU('tanh')", "SiLU(True)", "Mish()",
                "Hardswish(True)", "Hardsigmoid(True)", "LeakyReLU(0.2, True)", "Hardtanh(-2, 3, True)",
                "Softplus(2, 10)", "Softshrink(0.2)", "Hardshrink()", "Threshold(0.1, 20, True)", "GLU(1)",
                "RReLU(0.1, 0.3)", "RReLU(inplace=True)", "Softmin(1)", "Softmax2d()", "LogSigmoid()", "Softsign()",
                "Tanhshrink()", "PReLU(3)", "PixelShuffle(2)", "PixelUnshuffle(3)", "ChannelShuffle(2)",
                "LocalResponseNorm(3, 1e-3, 0.5, 2)", "CrossMapLRN2d(5, 1e-3, 0.5, 2)", "InstanceNorm3d(4)",
                "InstanceNorm1d(3, affine=True, bias=False)", "LazyInstanceNorm3d(affine=False)",
                "Dropout3d(0.2, True)", "FeatureAlphaDropout(0.3)"]


@pytest.mark.parametrize("spec", MODULE_REPRS)
def test_module_reprs_match_torch(spec):
    assert repr(eval("ember.nn." + spec)) == repr(eval("torch.nn." + spec))


def test_softmax2d_and_softmin_modules():
    x = tensor_pair(2, 3, 4, 5, seed=18)
    check(torch.nn.Softmax2d(), ember.nn.Softmax2d(), [x])
    check(torch.nn.Softmin(1), ember.nn.Softmin(1), [x])
