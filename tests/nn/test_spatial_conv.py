"""Convolutions in 1, 2 and 3 dims (plain, transposed, grouped, dilated, 'same'/'valid', padding modes),
conv_tbc and the lazy conv modules: differential tests against PyTorch, double backward and gradcheck."""

import pytest

import ember

torch = pytest.importorskip("torch")

from spatial_oracle import check, check_raises, tensor_pair, to_ember  # noqa: E402

from ember.autograd import gradcheck  # noqa: E402  (gradcheck first: spatial_oracle)

TF = torch.nn.functional
EF = ember.nn.functional
DTYPES = [torch.float32, torch.float64]

CONV_CASES = [  # (nd, N, C, spatial, O, kernel, stride, padding, dilation, groups, bias)
    (3, 2, 3, (5, 6, 4), 4, 3, 1, 0, 1, 1, True),
    (3, 1, 4, (6, 5, 7), 6, (2, 3, 2), (2, 1, 2), (1, 0, 1), (1, 2, 1), 2, False),
    (3, 2, 2, (4, 4, 4), 2, 2, 1, "same", 2, 1, True),
    (3, 1, 6, (5, 4, 6), 6, (1, 2, 3), 1, "valid", 1, 6, True),
    (2, 2, 4, (7, 6), 4, 3, 2, 1, 2, 4, True),
    (1, 3, 4, (11,), 6, 3, 2, 2, 3, 2, True),
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("case", CONV_CASES)
def test_conv_matches_torch(case, dtype):
    nd, n, c, sp, o, k, s, p, d, g, bias = case
    ks = (k,) * nd if isinstance(k, int) else k
    x, w = tensor_pair(n, c, *sp, seed=1), tensor_pair(o, c // g, *ks, seed=2)
    b = tensor_pair(o, seed=3) if bias else None
    tconv, econv = getattr(TF, f"conv{nd}d"), getattr(EF, f"conv{nd}d")
    check(lambda x, w, b: tconv(x, w, b, s, p, d, g), lambda x, w, b: econv(x, w, b, s, p, d, g), [x, w, b], dtype)


CONVT_CASES = [  # (nd, N, Cin, spatial, Cout, kernel, stride, padding, output_padding, groups, dilation)
    (3, 2, 4, (3, 4, 3), 2, 3, 2, 1, 1, 2, 1),
    (3, 1, 2, (2, 3, 2), 3, (2, 1, 3), (1, 2, 2), 0, (0, 1, 1), 1, (2, 1, 1)),
    (2, 2, 3, (4, 5), 4, 3, 2, 1, 1, 1, 1),
    (1, 2, 4, (6,), 6, 4, 3, 1, 2, 2, 2),
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("case", CONVT_CASES)
def test_conv_transpose_matches_torch(case, dtype):
    nd, n, c, sp, o, k, s, p, op, g, d = case
    ks = (k,) * nd if isinstance(k, int) else k
    x, w, b = tensor_pair(n, c, *sp, seed=4), tensor_pair(c, o // g, *ks, seed=5), tensor_pair(o, seed=6)
    tconv, econv = getattr(TF, f"conv_transpose{nd}d"), getattr(EF, f"conv_transpose{nd}d")
    check(lambda x, w, b: tconv(x, w, b, s, p, op, g, d), lambda x, w, b: econv(x, w, b, s, p, op, g, d),
          [x, w, b], dtype)


def test_conv3d_unbatched_and_double_backward():
    x, w = tensor_pair(2, 4, 3, 4, seed=7), tensor_pair(3, 2, 2, 2, 2, seed=8)
    check(lambda x, w: TF.conv3d(x, w, padding=1), lambda x, w: EF.conv3d(x, w, padding=1), [x, w])
    for transposed in (False, True):
        xs = tensor_pair(1, 2, 3, 3, 4, seed=9).requires_grad_()
        ws = tensor_pair(2, 2, 2, 2, 2, seed=10).requires_grad_()
        xe, we = to_ember(xs), to_ember(ws)
        fn_t = TF.conv_transpose3d if transposed else TF.conv3d
        fn_e = EF.conv_transpose3d if transposed else EF.conv3d
        gx, gw = torch.autograd.grad((fn_t(xs, ws, stride=2) ** 2).sum(), (xs, ws), create_graph=True)
        ex, ew = ember.autograd.grad((fn_e(xe, we, stride=2) ** 2).sum(), (xe, we), create_graph=True)
        (gx.sum() + (gw * gw).sum()).backward()
        (ex.sum() + (ew * ew).sum()).backward()
        for a, b in ((gx, ex), (gw, ew), (xs.grad, xe.grad), (ws.grad, we.grad)):
            assert abs(a.detach().numpy() - b.detach().numpy()).max() < 1e-9


def test_conv3d_gradcheck():
    x = ember.tensor(tensor_pair(1, 2, 3, 3, 3, seed=11).numpy(), requires_grad=True)
    w = ember.tensor(tensor_pair(2, 1, 2, 2, 2, seed=12).numpy(), requires_grad=True)
    assert gradcheck(lambda x, w: EF.conv3d(x, w, None, 1, 1, 1, 2), (x, w))
    assert gradcheck(lambda x, w: EF.conv_transpose3d(x, w, None, 2, 0, 1, 2), (x, w))


@pytest.mark.parametrize("mode", ["zeros", "reflect", "replicate", "circular"])
def test_conv_modules_padding_modes_and_init(mode):
    for nd, cls in ((1, "Conv1d"), (2, "Conv2d"), (3, "Conv3d")):
        torch.manual_seed(3)
        tm = getattr(torch.nn, cls)(4, 6, 3, padding=1, groups=2, padding_mode=mode, dilation=1)
        ember.manual_seed(3)
        em = getattr(ember.nn, cls)(4, 6, 3, padding=1, groups=2, padding_mode=mode, dilation=1)
        assert repr(em) == repr(tm)
        assert (em.weight.detach().numpy() == tm.weight.detach().numpy()).all()  # the same random draws
        assert (em.bias.detach().numpy() == tm.bias.detach().numpy()).all()
        x = tensor_pair(2, 4, *([5] * nd), seed=13, dtype=torch.float32)
        check(tm, em.forward, [x], torch.float32)


def test_conv_transpose3d_module_output_size():
    torch.manual_seed(0)
    tm = torch.nn.ConvTranspose3d(2, 4, 3, stride=2, padding=1, groups=2, bias=True)
    ember.manual_seed(0)
    em = ember.nn.ConvTranspose3d(2, 4, 3, stride=2, padding=1, groups=2, bias=True)
    assert repr(em) == repr(tm)
    x = tensor_pair(1, 2, 3, 3, 3, seed=14, dtype=torch.float32)
    check(lambda x: tm(x, output_size=(6, 5, 6)), lambda x: em(x, output_size=(6, 5, 6)), [x], torch.float32)
    check_raises(lambda: tm(torch.zeros(1, 2, 3, 3, 3), output_size=(9, 5, 6)),
                 lambda: em(ember.zeros(1, 2, 3, 3, 3), output_size=(9, 5, 6)))


def test_conv_tbc_matches_torch():
    x, w, b = tensor_pair(7, 2, 3, seed=15), tensor_pair(3, 3, 4, seed=16), tensor_pair(4, seed=17)
    for pad in (0, 1, 2):
        check(lambda x, w, b, pad=pad: torch.conv_tbc(x, w, b, pad),
              lambda x, w, b, pad=pad: EF.conv_tbc(x, w, b, pad), [x, w, b])


CONV_ERRORS = [
    lambda F, m: F.conv3d(m.randn(2, 3, 6, 6, 6), m.randn(4, 3, 7, 2, 2)),
    lambda F, m: F.conv3d(m.randn(2, 3, 6, 6), m.randn(4, 3, 2, 2, 2)),
    lambda F, m: F.conv3d(m.randn(2, 3, 6, 6, 6), m.randn(4, 2, 2, 2, 2)),
    lambda F, m: F.conv3d(m.randn(2, 3, 6, 6, 6), m.randn(4, 3, 2, 2, 2), stride=(1, 1)),
    lambda F, m: F.conv3d(m.randn(2, 3, 6, 6, 6), m.randn(4, 3, 2, 2, 2), padding="same", stride=2),
    lambda F, m: F.conv_transpose3d(m.randn(2, 3, 6, 6, 6), m.randn(3, 2, 2, 2, 2), output_padding=2),
    lambda F, m: F.conv_transpose1d(m.randn(2, 3, 5), m.randn(3, 2, 2), output_padding=2),
    lambda F, m: F.conv_transpose2d(m.randn(2, 3, 5, 5), m.randn(3, 2, 2, 2), output_padding=(1, 2)),
    lambda F, m: F.conv_tbc(m.randn(5, 2), m.randn(3, 3, 4), m.randn(4)),
    lambda F, m: F.conv_tbc(m.randn(5, 2, 3), m.randn(3, 4), m.randn(4)),
    lambda F, m: F.conv_tbc(m.randn(5, 2, 3), m.randn(3, 3, 4), m.randn(4, 1)),
    lambda F, m: F.conv_tbc(m.randn(5, 2, 3), m.randn(3, 2, 4), m.randn(4)),
    lambda F, m: F.conv_tbc(m.randn(5, 2, 3), m.randn(3, 3, 4), m.randn(5)),
    lambda F, m: F.conv_tbc(m.randn(2, 2, 3), m.randn(6, 3, 4), m.randn(4), 1),
    lambda F, m: m.nn.Conv3d(4, 4, 3, stride=2, padding="same"),
    lambda F, m: m.nn.Conv3d(4, 6, 3, groups=4),
    lambda F, m: m.nn.ConvTranspose3d(4, 6, 3, padding_mode="reflect"),
]


@pytest.mark.parametrize("k", range(len(CONV_ERRORS)))
def test_conv_errors_match_torch(k):
    check_raises(lambda: CONV_ERRORS[k](TF, torch), lambda: CONV_ERRORS[k](EF, ember))


@pytest.mark.parametrize("name", ["LazyConv1d", "LazyConv2d", "LazyConv3d", "LazyConvTranspose1d",
                                  "LazyConvTranspose2d", "LazyConvTranspose3d"])
def test_lazy_conv_materialises_like_torch(name):
    nd = int(name[-2])
    tm, em = getattr(torch.nn, name)(4, 3, stride=2, groups=2), getattr(ember.nn, name)(4, 3, stride=2, groups=2)
    assert repr(em) == repr(tm)
    assert repr(em.weight) == repr(tm.weight) == "<UninitializedParameter>"
    assert type(em.weight).__name__ == "UninitializedParameter"
    check_raises(lambda: tm.weight.shape, lambda: em.weight.shape)
    check_raises(lambda: tm.weight + 1, lambda: em.weight + 1)
    x = tensor_pair(2, 6, *([5] * nd), seed=18, dtype=torch.float32)
    torch.manual_seed(4)
    ty = tm(x)
    ember.manual_seed(4)
    ey = em(to_ember(x))
    assert type(em).__name__ == type(tm).__name__ == name[4:]  # became the plain conv class
    assert repr(em) == repr(tm)
    assert (em.weight.detach().numpy() == tm.weight.detach().numpy()).all()  # the same draws, at first forward
    assert abs(ey.detach().numpy() - ty.detach().numpy()).max() < 1e-5
    assert not em._forward_pre_hooks


def test_lazy_modules_state_dict_dtype_and_errors():
    em = ember.nn.LazyConv2d(4, 3).double()
    em(ember.randn(1, 2, 5, 5, dtype=ember.float64))
    assert em.weight.dtype == ember.float64 and tuple(em.weight.shape) == (4, 2, 3, 3)
    lazy = ember.nn.LazyLinear(3)
    sd = lazy.state_dict()
    assert [repr(v) for v in sd.values()] == ["<UninitializedParameter>"] * 2
    ref = ember.nn.Linear(5, 3)
    lazy.load_state_dict(ref.state_dict())
    assert type(lazy).__name__ == "LazyLinear" and tuple(lazy.weight.shape) == (3, 5)
    assert (lazy.weight.detach().numpy() == ref.weight.detach().numpy()).all()
    tl, el = torch.nn.LazyConv2d(4, 3, groups=3), ember.nn.LazyConv2d(4, 3, groups=3)
    check_raises(lambda: tl(torch.zeros(1, 2, 5, 5)), lambda: el(ember.zeros(1, 2, 5, 5)))
    tl, el = torch.nn.LazyConv2d(4, 3), ember.nn.LazyConv2d(4, 3)
    check_raises(lambda: tl(torch.zeros(5, 5)), lambda: el(ember.zeros(5, 5)))
    torch.manual_seed(1)
    tl = torch.nn.LazyLinear(3)
    ty = tl(torch.ones(2, 4))
    ember.manual_seed(1)
    el = ember.nn.LazyLinear(3)
    ey = el(ember.ones(2, 4))
    assert repr(el) == repr(tl) and (ey.detach().numpy() == ty.detach().numpy()).all()
