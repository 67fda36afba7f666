"""Resampling against PyTorch: interpolate in every mode (nearest, nearest-exact, linear, bilinear, bicubic,
trilinear, area, antialiased bilinear/bicubic/lanczos) over 3-D/4-D/5-D inputs, size or scale_factor, with and
without recompute_scale_factor and align_corners; grid_sample (all modes and paddings, 4-D and 5-D, gradients
with respect to input and grid) and affine_grid; Upsample modules; error messages."""

import warnings

import pytest

import ember

torch = pytest.importorskip("torch")

from spatial_oracle import assert_close, check, check_raises, tensor_pair, to_ember  # noqa: E402

from ember.autograd import gradcheck, gradgradcheck  # noqa: E402  (gradcheck first: spatial_oracle)

TF = torch.nn.functional
EF = ember.nn.functional
DTYPES = [torch.float32, torch.float64]

INTERP_CASES = [  # (shape, size, scale_factor, mode, align_corners, recompute_scale_factor, antialias)
    ((2, 3, 7), None, 2.3, "nearest", None, None, False),
    ((2, 3, 5, 6), (7, 4), None, "nearest", None, None, False),
    ((1, 2, 3, 4, 5), None, (1.5, 2, 0.7), "nearest", None, True, False),
    ((2, 3, 9), 4, None, "nearest-exact", None, None, False),
    ((1, 2, 5, 7), None, 1.7, "nearest-exact", None, None, False),
    ((1, 2, 3, 5, 4), (4, 3, 7), None, "nearest-exact", None, None, False),
    ((2, 3, 6), None, 2.5, "linear", False, None, False),
    ((2, 3, 6), 11, None, "linear", True, None, False),
    ((2, 3, 5, 6), None, (1.3, 0.6), "bilinear", False, False, False),
    ((2, 3, 5, 6), (8, 6), None, "bilinear", True, None, False),
    ((1, 2, 3, 4, 5), None, 1.5, "trilinear", False, True, False),
    ((1, 2, 3, 4, 5), (5, 2, 4), None, "trilinear", True, None, False),
    ((2, 3, 5, 6), None, 2.2, "bicubic", False, None, False),
    ((2, 3, 6, 5), (4, 9), None, "bicubic", True, None, False),
    ((2, 3, 7), None, 0.6, "area", None, None, False),
    ((2, 3, 7, 6), (3, 4), None, "area", None, None, False),
    ((1, 2, 6, 5, 7), None, (0.5, 0.7, 1.5), "area", None, None, False),
    ((1, 2, 12, 11), (5, 4), None, "bilinear", False, None, True),
    ((1, 2, 9, 12), None, (0.35, 1.4), "bicubic", False, None, True),
    ((1, 2, 10, 9), (4, 6), None, "bicubic", True, None, True),
    ((1, 2, 13, 10), (5, 17), None, "lanczos", False, None, True),
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("case", INTERP_CASES)
def test_interpolate_matches_torch(case, dtype):
    shape, size, sf, mode, ac, rsf, aa = case
    x = tensor_pair(*shape, seed=1)
    check(lambda x: TF.interpolate(x, size, sf, mode, ac, rsf, aa),
          lambda x: EF.interpolate(x, size, sf, mode, ac, rsf, aa), [x], dtype)


def test_interpolate_gradcheck():
    x = ember.tensor(tensor_pair(1, 2, 4, 5, seed=2).numpy(), requires_grad=True)
    assert gradgradcheck(lambda x: EF.interpolate(x, scale_factor=1.7, mode="bicubic") ** 2, (x,))
    assert gradcheck(lambda x: EF.interpolate(x, (3, 2), mode="bilinear", antialias=True), (x,))
    v = ember.tensor(tensor_pair(1, 2, 3, 4, 3, seed=3).numpy(), requires_grad=True)
    assert gradcheck(lambda v: EF.interpolate(v, (4, 3, 5), mode="trilinear", align_corners=True), (v,))


UPSAMPLE_MODULES = [("Upsample", dict(scale_factor=2.5, mode="bicubic", align_corners=True)),
                    ("Upsample", dict(size=(3, 7), mode="nearest-exact")),
                    ("Upsample", dict(scale_factor=(1.5, 0.5), mode="area")),
                    ("UpsamplingNearest2d", dict(scale_factor=2)),
                    ("UpsamplingBilinear2d", dict(size=(5, 9)))]


@pytest.mark.parametrize("spec", UPSAMPLE_MODULES)
def test_upsample_modules_match_torch(spec):
    name, kw = spec
    tm, em = getattr(torch.nn, name)(**kw), getattr(ember.nn, name)(**kw)
    assert repr(em) == repr(tm)
    check(tm, em, [tensor_pair(2, 3, 4, 6, seed=4)], torch.float32)


def test_deprecated_upsample_functions_warn_like_torch():
    x = tensor_pair(1, 1, 3, 3, seed=5)
    for name, kw in (("upsample", dict(scale_factor=2, mode="bilinear", align_corners=False)),
                     ("upsample_nearest", dict(scale_factor=2)), ("upsample_bilinear", dict(size=5))):
        with warnings.catch_warnings(record=True) as tw:
            warnings.simplefilter("always")
            ty = getattr(TF, name)(x, **kw)
        with warnings.catch_warnings(record=True) as ew:
            warnings.simplefilter("always")
            ey = getattr(EF, name)(ember.tensor(x.numpy()), **kw)
        assert [str(w.message) for w in ew] == [str(w.message) for w in tw]
        assert abs(ey.numpy() - ty.numpy()).max() < 1e-12


INTERP_ERRORS = [
    "F.interpolate(m.zeros(1, 2, 5), scale_factor=2, mode='bicubic')",
    "F.interpolate(m.zeros(1, 2, 5, 5, 5), scale_factor=2, mode='bicubic')",
    "F.interpolate(m.zeros(1, 2, 5), scale_factor=2, mode='bilinear')",
    "F.interpolate(m.zeros(1, 2, 5, 5), scale_factor=2, mode='linear')",
    "F.interpolate(m.zeros(1, 2, 5, 5), scale_factor=2, mode='trilinear')",
    "F.interpolate(m.zeros(1, 2, 5, 5, 5), scale_factor=2, mode='bilinear')",
    "F.interpolate(m.zeros(1, 5), scale_factor=2)",
    "F.interpolate(m.zeros(1, 2, 5, 5), scale_factor=2, mode='cubic')",
    "F.interpolate(m.zeros(1, 2, 5, 5), scale_factor=2, align_corners=True)",
    "F.interpolate(m.zeros(1, 2, 5, 5))",
    "F.interpolate(m.zeros(1, 2, 5, 5), 3, 2)",
    "F.interpolate(m.zeros(1, 2, 5, 5), (3, 4, 5))",
    "F.interpolate(m.zeros(1, 2, 5, 5), scale_factor=(2, 3, 4))",
    "F.interpolate(m.zeros(1, 2, 5, 5), (3.0, 4))",
    "F.interpolate(m.zeros(1, 2, 5, 5), (3, 4), recompute_scale_factor=True)",
    "F.interpolate(m.zeros(1, 2, 5), scale_factor=2, mode='linear', antialias=True)",
    "F.interpolate(m.zeros(1, 2, 5, 5), (3, 4), mode='lanczos')",
    "F.interpolate(m.zeros(1, 2, 5, 5), (3, 4), mode='lanczos', antialias=True, align_corners=True)",
    "F.interpolate(m.zeros(1, 2, 5, 5), scale_factor=0.1)",
    "F.interpolate(m.zeros(1, 2, 5), scale_factor=0.1, mode='linear')",
    "F.interpolate(m.zeros(1, 2, 5, 5, 5), scale_factor=0.1, mode='trilinear')",
]


@pytest.mark.parametrize("expr", INTERP_ERRORS)
def test_interpolate_errors_match_torch(expr):
    check_raises(lambda: eval(expr, {"F": TF, "m": torch}), lambda: eval(expr, {"F": EF, "m": ember}))


def _grid(n, *spatial, nd, seed, spread=1.3):
    return tensor_pair(n, *spatial, nd, seed=seed, low=-spread, high=spread)


GRID_CASES = [(nd, mode, pad, ac) for nd in (2, 3) for mode in ("bilinear", "nearest", "bicubic")
              for pad in ("zeros", "border", "reflection") for ac in (False, True) if not (nd == 3 and mode == "bicubic")]


@pytest.mark.parametrize("case", GRID_CASES)
def test_grid_sample_matches_torch(case):
    nd, mode, pad, ac = case
    x = tensor_pair(2, 3, *((5, 6) if nd == 2 else (4, 5, 3)), seed=6)
    g = _grid(2, *((4, 7) if nd == 2 else (3, 2, 4)), nd=nd, seed=7)
    for dtype in DTYPES:
        check(lambda x, g: TF.grid_sample(x, g, mode, pad, ac), lambda x, g: EF.grid_sample(x, g, mode, pad, ac),
              [x, g], dtype, tol=1e-3 if dtype == torch.float32 else None)


def test_grid_sample_gradcheck():
    x = ember.tensor(tensor_pair(1, 2, 4, 5, seed=8).numpy(), requires_grad=True)
    g = ember.tensor(_grid(1, 3, 3, nd=2, seed=9, spread=1.1).numpy(), requires_grad=True)
    for mode, pad in (("bilinear", "zeros"), ("bilinear", "reflection"), ("bicubic", "border")):
        assert gradcheck(lambda x, g, m=mode, p=pad: EF.grid_sample(x, g, m, p, align_corners=False), (x, g))
    v = ember.tensor(tensor_pair(1, 1, 3, 4, 3, seed=10).numpy(), requires_grad=True)
    g3 = ember.tensor(_grid(1, 2, 2, 2, nd=3, seed=11, spread=1.1).numpy(), requires_grad=True)
    assert gradcheck(lambda v, g: EF.grid_sample(v, g, "bilinear", "border", align_corners=True), (v, g3))


def test_affine_grid_and_spatial_transformer_match_torch():
    warnings.filterwarnings("ignore", "Since version 1.3.0")  # the unit-size case warns in both
    for nd, size in ((2, (2, 3, 5, 4)), (2, (2, 1, 1, 3)), (3, (2, 3, 3, 4, 2))):
        theta = tensor_pair(2, nd, nd + 1, seed=12)
        for ac in (False, True):
            check(lambda t, a=(size, ac): TF.affine_grid(t, *a), lambda t, a=(size, ac): EF.affine_grid(t, *a), [theta])
    x = tensor_pair(2, 3, 6, 5, seed=13)
    theta = tensor_pair(2, 2, 3, seed=14) * 0.3 + torch.tensor([[1.0, 0, 0], [0, 1, 0]], dtype=torch.float64)

    def stn(lib, x, t):
        grid = lib.affine_grid(t, x.shape, align_corners=False)
        return lib.grid_sample(x, grid, align_corners=False)

    check(lambda x, t: stn(TF, x, t), lambda x, t: stn(EF, x, t), [x, theta])
    t = ember.tensor(theta.numpy(), requires_grad=True)
    assert gradgradcheck(lambda t: EF.affine_grid(t, (2, 3, 4, 3), align_corners=True) ** 2, (t,))


GRID_ERRORS = [
    "F.grid_sample(m.zeros(1, 2, 4, 4), m.zeros(1, 3, 3, 2), mode='cubic', align_corners=False)",
    "F.grid_sample(m.zeros(1, 2, 4, 4), m.zeros(1, 3, 3, 2), padding_mode='wrap', align_corners=False)",
    "F.grid_sample(m.zeros(1, 2, 4, 4), m.zeros(2, 3, 3, 2), align_corners=False)",
    "F.grid_sample(m.zeros(1, 2, 4, 4), m.zeros(1, 3, 3, 3), align_corners=False)",
    "F.grid_sample(m.zeros(1, 2, 4, 4), m.zeros(1, 3, 3, 3, 2), align_corners=False)",
    "F.grid_sample(m.zeros(1, 2, 4, 4, 4), m.zeros(1, 3, 3, 2), align_corners=False)",
    "F.grid_sample(m.zeros(1, 2, 4, 4, 4), m.zeros(1, 3, 3, 3, 3), mode='bicubic', align_corners=False)",
    "F.grid_sample(m.zeros(1, 2, 0, 4), m.zeros(1, 3, 3, 2), align_corners=False)",
    "F.grid_sample(m.zeros(1, 2, 4, 4), m.zeros(1, 3, 3, 2, dtype=m.float64), align_corners=False)",
    "F.affine_grid(m.zeros(2, 2, 3, dtype=m.long), (2, 3, 4, 4), align_corners=False)",
    "F.affine_grid(m.zeros(2, 3, 3), (2, 3, 4, 4), align_corners=False)",
    "F.affine_grid(m.zeros(2, 2, 3), (2, 3, 4, 4, 4), align_corners=False)",
    "F.affine_grid(m.zeros(2, 2, 3), (2, 3, 4), align_corners=False)",
    "F.affine_grid(m.zeros(2, 2, 3), (2, 3, 0, 4), align_corners=False)",
]


@pytest.mark.parametrize("expr", GRID_ERRORS)
def test_grid_errors_match_torch(expr):
    check_raises(lambda: eval(expr, {"F": TF, "m": torch}), lambda: eval(expr, {"F": EF, "m": ember}))


def test_grid_sample_align_corners_warning_like_torch():
    with warnings.catch_warnings(record=True) as tw:
        warnings.simplefilter("always")
        TF.grid_sample(torch.zeros(1, 1, 2, 2), torch.zeros(1, 1, 1, 2))
        TF.affine_grid(torch.zeros(1, 2, 3), (1, 1, 2, 2))
    with warnings.catch_warnings(record=True) as ew:
        warnings.simplefilter("always")
        EF.grid_sample(ember.zeros(1, 1, 2, 2), ember.zeros(1, 1, 1, 2))
        EF.affine_grid(ember.zeros(1, 2, 3), (1, 1, 2, 2))
    assert [str(w.message) for w in ew] == [str(w.message) for w in tw]


@pytest.mark.parametrize("mode,pad", [("bilinear", "zeros"), ("bilinear", "reflection"), ("bicubic", "border"),
                                      ("nearest", "zeros")])
def test_grid_sample_double_backward_matches_torch(mode, pad):
    for nd in (2, 3) if mode == "bilinear" else (2,):
        xt = tensor_pair(2, 2, *((4, 5) if nd == 2 else (3, 4, 3)), seed=15).requires_grad_()
        gt = _grid(2, *((3, 3) if nd == 2 else (2, 2, 3)), nd=nd, seed=16, spread=1.2).requires_grad_()
        xe, ge = to_ember(xt), to_ember(gt)
        res = []
        for lib, x, g, grad in ((TF, xt, gt, torch.autograd.grad), (EF, xe, ge, ember.autograd.grad)):
            y = lib.grid_sample(x, g, mode, pad, align_corners=False)
            dx, dg = grad((y * y).sum(), (x, g), create_graph=True)
            res.append(grad((dx * dx).sum() + (dg ** 3).sum(), (x, g), allow_unused=True))
        for k, (a, b) in enumerate(zip(*res)):
            if a is None or b is None:  # an unused input: None in one library may be zeros in the other
                assert float(abs(a if a is not None else torch.tensor(b.numpy())).max()) == 0
            else:
                assert_close(a, b, 1e-10, f"second derivative {k}")


def test_interpolate_nearest_byte_images_like_torch():
    x = (tensor_pair(1, 3, 5, 7, seed=17, low=0, high=255)).to(torch.uint8)
    for mode in ("nearest", "nearest-exact"):
        check(lambda x, m=mode: TF.interpolate(x, scale_factor=1.6, mode=m),
              lambda x, m=mode: EF.interpolate(x, scale_factor=1.6, mode=m), [x], grad=False)
