"""Convolution, pooling, padding, resampling, unfold/fold: differential tests against PyTorch, plus gradcheck."""

import numpy as np
import pytest

import ember
import ember.nn._functional_sampling as SS
import ember.nn._functional_spatial as S

torch = pytest.importorskip("torch")
TF = torch.nn.functional

DTYPES = [torch.float32, torch.float64]
TOL = {torch.float32: 2e-4, torch.float64: 1e-10}


def _e(t, requires_grad=True):
    """An ember copy of torch tensor ``t`` (a leaf)."""
    e = ember.tensor(t.detach().numpy().copy())
    if requires_grad and t.is_floating_point():
        e.requires_grad_(True)
    return e


def _close(t, e, tol):
    a = t.detach().numpy()
    b = e.detach().numpy() if hasattr(e, "detach") else np.asarray(e)
    assert a.shape == b.shape, (a.shape, b.shape)
    scale = max(1.0, float(np.abs(a).max()) if a.size else 1.0)
    np.testing.assert_allclose(b, a, rtol=tol, atol=tol * scale)


def _run_both(tfn, efn, tensors, dtype, seed=0):
    """Apply the op in both libraries, backprop the same random cotangent, compare output and all grads."""
    tin = [t.detach().to(dtype).clone().requires_grad_(True) if t is not None else None for t in tensors]
    ein = [_e(t) if t is not None else None for t in tin]
    y = tfn(*tin)
    ye = efn(*ein)
    tol = TOL[dtype]
    _close(y, ye, tol)
    gen = torch.Generator().manual_seed(seed)
    gy = torch.randn(y.shape, generator=gen, dtype=dtype)
    y.backward(gy)
    ye.backward(_e(gy, False))
    for t, e in zip(tin, ein):
        if t is not None:
            _close(t.grad, e.grad, tol)
    return y, ye


# ------------------------------------------------------------------------------------------------------------
# convolution
# ------------------------------------------------------------------------------------------------------------

CONV2D_CASES = [  # (N, C, H, W, O, kh, kw, stride, padding, dilation, groups, bias)
    (2, 3, 7, 8, 4, 3, 3, 1, 0, 1, 1, True),
    (1, 2, 9, 6, 3, 2, 3, 2, 1, 1, 1, False),
    (3, 4, 10, 11, 6, 3, 2, (2, 1), (1, 2), (1, 2), 2, True),
    (2, 6, 8, 8, 6, 3, 3, 1, "same", 2, 3, True),
    (2, 4, 5, 7, 8, 1, 1, 3, 0, 1, 4, True),
    (1, 3, 6, 6, 2, 4, 4, 1, "valid", 1, 1, True),
    (4, 1, 12, 12, 8, 5, 5, 2, 2, 1, 1, True),
    (2, 2, 6, 5, 4, 2, 2, 1, "same", 1, 2, False),  # 'same' with an even kernel pads one more after
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("case", CONV2D_CASES)
def test_conv2d_matches_torch(case, dtype):
    n, c, h, w, o, kh, kw, s, p, d, g, bias = case
    x, wt = torch.randn(n, c, h, w), torch.randn(o, c // g, kh, kw)
    b = torch.randn(o) if bias else None
    _y, ye = _run_both(lambda x, w, b: TF.conv2d(x, w, b, s, p, d, g),
                      lambda x, w, b: S.conv2d(x, w, b, s, p, d, g), [x, wt, b], dtype)
    assert type(ye.grad_fn).__name__ == "ConvolutionBackward0"


CONV1D_CASES = [  # (N, C, L, O, k, stride, padding, dilation, groups)
    (2, 3, 10, 4, 3, 1, 0, 1, 1),
    (3, 4, 13, 6, 2, 2, 1, 2, 2),
    (1, 2, 9, 2, 4, 1, "same", 3, 1),
    (2, 6, 7, 3, 3, 3, 2, 1, 3),
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("case", CONV1D_CASES)
def test_conv1d_matches_torch(case, dtype):
    n, c, L, o, k, s, p, d, g = case
    x, wt, b = torch.randn(n, c, L), torch.randn(o, c // g, k), torch.randn(o)
    _run_both(lambda x, w, b: TF.conv1d(x, w, b, s, p, d, g),
              lambda x, w, b: S.conv1d(x, w, b, s, p, d, g), [x, wt, b], dtype)


CONVT_CASES = [  # (N, Cin, H, W, Cout, kh, kw, stride, padding, output_padding, groups, dilation)
    (2, 3, 4, 5, 2, 3, 3, 1, 0, 0, 1, 1),
    (2, 4, 5, 3, 6, 3, 2, 2, 1, 1, 2, 1),
    (1, 2, 3, 4, 3, 2, 3, (2, 3), (1, 0), (1, 2), 1, (2, 1)),
    (3, 6, 4, 4, 3, 4, 4, 2, 1, 0, 3, 1),
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("case", CONVT_CASES)
def test_conv_transpose2d_matches_torch(case, dtype):
    n, ci, h, w, co, kh, kw, s, p, op, g, d = case
    x, wt, b = torch.randn(n, ci, h, w), torch.randn(ci, co // g, kh, kw), torch.randn(co)
    _y, ye = _run_both(lambda x, w, b: TF.conv_transpose2d(x, w, b, s, p, op, g, d),
                      lambda x, w, b: S.conv_transpose2d(x, w, b, s, p, op, g, d), [x, wt, b], dtype)
    assert type(ye.grad_fn).__name__ == "ConvolutionBackward0"


def test_conv_transpose1d_matches_torch():
    x, wt, b = torch.randn(2, 4, 6), torch.randn(4, 3, 3), torch.randn(6)
    _run_both(lambda x, w, b: TF.conv_transpose1d(x, w, b, 3, 1, 2, 2),
              lambda x, w, b: S.conv_transpose1d(x, w, b, 3, 1, 2, 2), [x, wt, b], torch.float64)


def test_conv_unbatched_input():
    x, wt = torch.randn(3, 6, 6), torch.randn(4, 3, 3, 3)
    y, ye = _run_both(lambda x, w: TF.conv2d(x, w, padding=1), lambda x, w: S.conv2d(x, w, padding=1),
                      [x, wt], torch.float64)
    assert type(ye.grad_fn).__name__ == type(y.grad_fn).__name__ == "SqueezeBackward1"


@pytest.mark.parametrize("transposed", [False, True])
def test_conv_double_backward_matches_torch(transposed):
    # create_graph: the gradient is itself differentiable (via im2col/col2im primitives)
    x = torch.randn(2, 4, 6, 5, dtype=torch.float64, requires_grad=True)
    w = torch.randn(4, 2, 3, 2, dtype=torch.float64, requires_grad=True)
    if transposed:
        def tf(x, w):
            return TF.conv_transpose2d(x, w, None, 2, 1, 1, 2, 1)

        def ef(x, w):
            return S.conv_transpose2d(x, w, None, 2, 1, 1, 2, 1)
    else:
        def tf(x, w):
            return TF.conv2d(x, w, None, (2, 1), 1, (1, 2), 2)

        def ef(x, w):
            return S.conv2d(x, w, None, (2, 1), 1, (1, 2), 2)
    xe, we = _e(x), _e(w)
    y, ye = tf(x, w), ef(xe, we)
    gy = torch.randn_like(y)
    gx, gw = torch.autograd.grad(y, (x, w), gy, create_graph=True)
    gxe, gwe = ember.autograd.grad(ye, (xe, we), _e(gy, False), create_graph=True)
    ((gx ** 2).sum() + (gw * gw.cos()).sum()).backward()
    ((gxe ** 2).sum() + (gwe * gwe.cos()).sum()).backward()
    for a, b in ((gx, gxe), (gw, gwe), (x.grad, xe.grad), (w.grad, we.grad)):
        _close(a, b, 1e-10)


def test_conv_gradcheck_float64():
    rng = np.random.default_rng(1)
    x = ember.tensor(rng.standard_normal((1, 2, 4, 5)), requires_grad=True)
    w = ember.tensor(rng.standard_normal((4, 1, 2, 3)), requires_grad=True)
    b = ember.tensor(rng.standard_normal(4), requires_grad=True)
    assert ember.autograd.gradcheck(lambda x, w, b: S.conv2d(x, w, b, (1, 2), 1, (2, 1), 2), (x, w, b))
    assert ember.autograd.gradcheck(lambda x, w, b: S.conv_transpose2d(x, w.transpose(0, 1).reshape(2, 2, 2, 3)
                                                                       .contiguous(), b[:2], 2, 1, 1),
                                    (x, w, b))


CONV_ERRORS = [
    (lambda F: F.conv2d(F._x(32, 3, 28, 28), F._x(8, 1, 3, 3)), RuntimeError),
    (lambda F: F.conv2d(F._x(2, 3), F._x(8, 1, 3, 3)), RuntimeError),
    (lambda F: F.conv2d(F._x(1, 3, 2, 2), F._x(8, 3, 3, 3)), RuntimeError),
    (lambda F: F.conv2d(F._x(1, 4, 5, 5), F._x(8, 2, 3, 3), groups=3), RuntimeError),
    (lambda F: F.conv2d(F._x(1, 4, 5, 5), F._x(8, 2, 3, 3), F._x(3), groups=2), RuntimeError),
    (lambda F: F.conv2d(F._x(1, 4, 5, 5), F._x(8, 4, 3, 3), stride=2, padding="same"), RuntimeError),
    (lambda F: F.conv2d(F._x(1, 4, 5, 5), F._x(8, 4, 3, 3), stride=0), RuntimeError),
    (lambda F: F.conv2d(F._x(1, 4, 5, 5), F._x(8, 4, 3, 3), padding=-1), RuntimeError),
    (lambda F: F.conv2d(F._x(1, 4, 5, 5).double(), F._x(8, 4, 3, 3)), RuntimeError),
    (lambda F: F.conv_transpose2d(F._x(1, 4, 5, 5), F._x(3, 2, 3, 3)), RuntimeError),
    (lambda F: F.max_pool2d(F._x(1, 4, 5, 5), 3, padding=2), RuntimeError),
    (lambda F: F.max_pool2d(F._x(1, 4, 2, 2), 3), RuntimeError),
]


class _Lib:
    def __init__(self, mod, mk):
        self._mod, self._x = mod, mk

    def __getattr__(self, name):
        return getattr(self._mod, name)


@pytest.mark.parametrize("k", range(len(CONV_ERRORS)))
def test_errors_match_torch(k):
    fn, cls = CONV_ERRORS[k]
    with pytest.raises(cls) as te:
        fn(_Lib(TF, lambda *s: torch.zeros(*s)))
    with pytest.raises(cls) as ee:
        fn(_Lib(S, lambda *s: ember.zeros(*s)))
    assert str(ee.value) == str(te.value)


def test_conv_error_named_in_brief():
    with pytest.raises(RuntimeError, match=r"Given groups=1, weight of size \[8, 1, 3, 3\], expected "
                                           r"input\[32, 3, 28, 28\] to have 1 channels, but got 3 channels instead"):
        S.conv2d(ember.zeros(32, 3, 28, 28), ember.zeros(8, 1, 3, 3))


# ------------------------------------------------------------------------------------------------------------
# pooling
# ------------------------------------------------------------------------------------------------------------

MAXPOOL_CASES = [  # (shape, kernel, stride, padding, dilation, ceil_mode)
    ((2, 3, 8, 8), 2, None, 0, 1, False),
    ((1, 2, 9, 7), 3, 2, 1, 1, False),
    ((2, 2, 9, 7), (3, 2), (2, 1), (1, 1), (1, 2), True),
    ((1, 3, 10, 10), 3, 3, 1, 2, True),
    ((3, 7, 6), 2, 2, 0, 1, True),  # unbatched
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("case", MAXPOOL_CASES)
def test_max_pool2d_matches_torch(case, dtype):
    shape, k, s, p, d, ceil = case
    # distinct values: the argmax (and so the gradient) is unambiguous
    x = torch.randperm(int(np.prod(shape))).reshape(shape).to(dtype) / 7
    y, ye = _run_both(lambda x: TF.max_pool2d(x, k, s, p, d, ceil), lambda x: S.max_pool2d(x, k, s, p, d, ceil),
                      [x], dtype)
    assert type(ye.grad_fn).__name__ == type(y.grad_fn).__name__
    _, ti = TF.max_pool2d(x, k, s, p, d, ceil, return_indices=True)
    _, ei = S.max_pool2d(_e(x), k, s, p, d, ceil, return_indices=True)
    np.testing.assert_array_equal(ei.numpy(), ti.numpy())
    assert ei.dtype == ember.int64


def test_max_pool_ties_take_first_and_grad_not_split():
    x = torch.ones(1, 1, 4, 4)
    _, ti = TF.max_pool2d(x, 2, 1, return_indices=True)
    _, ei = S.max_pool2d(_e(x), 2, 1, return_indices=True)
    np.testing.assert_array_equal(ei.numpy(), ti.numpy())
    _run_both(lambda x: TF.max_pool2d(x, 2, 1), lambda x: S.max_pool2d(x, 2, 1), [x], torch.float64)


def test_max_pool1d_matches_torch():
    x = torch.randperm(2 * 3 * 11).reshape(2, 3, 11).double()
    _y, ye = _run_both(lambda x: TF.max_pool1d(x, 3, 2, 1, ceil_mode=True),
                      lambda x: S.max_pool1d(x, 3, 2, 1, ceil_mode=True), [x], torch.float64)
    assert type(ye.grad_fn).__name__ == "SqueezeBackward1"
    np.testing.assert_array_equal(S.max_pool1d(_e(x), 4, return_indices=True)[1].numpy(),
                                  TF.max_pool1d(x, 4, return_indices=True)[1].numpy())


def test_max_pool_double_backward():
    x = (torch.randperm(2 * 2 * 6 * 6).reshape(2, 2, 6, 6).double() / 5).requires_grad_(True)
    xe = _e(x)
    gx, = torch.autograd.grad(TF.max_pool2d(x * x, 2).sum(), x, create_graph=True)
    gxe, = ember.autograd.grad(S.max_pool2d(xe * xe, 2).sum(), xe, create_graph=True)
    (gx ** 2).sum().backward()
    (gxe ** 2).sum().backward()
    _close(x.grad, xe.grad, 1e-10)


AVGPOOL_CASES = [  # (shape, kernel, stride, padding, ceil_mode, count_include_pad, divisor_override)
    ((2, 3, 8, 8), 2, None, 0, False, True, None),
    ((1, 2, 9, 7), 3, 2, 1, False, True, None),
    ((1, 2, 9, 7), 3, 2, 1, True, False, None),
    ((2, 2, 10, 7), (3, 2), (2, 3), (1, 1), True, True, None),
    ((1, 1, 6, 6), 3, 2, 1, False, True, 5),
    ((3, 5, 5), 2, 1, 0, False, True, None),
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("case", AVGPOOL_CASES)
def test_avg_pool2d_matches_torch(case, dtype):
    shape, k, s, p, ceil, cip, div = case
    y, ye = _run_both(lambda x: TF.avg_pool2d(x, k, s, p, ceil, cip, div),
                      lambda x: S.avg_pool2d(x, k, s, p, ceil, cip, div), [torch.randn(shape)], dtype)
    assert type(ye.grad_fn).__name__ == type(y.grad_fn).__name__


def test_avg_pool1d_matches_torch():
    _run_both(lambda x: TF.avg_pool1d(x, 3, 2, 1, True, False), lambda x: S.avg_pool1d(x, 3, 2, 1, True, False),
              [torch.randn(2, 3, 10)], torch.float64)


@pytest.mark.parametrize("out", [(3, 3), (4, 2), 1, (5, None), (7, 6)])
@pytest.mark.parametrize("dtype", DTYPES)
def test_adaptive_pools_match_torch(out, dtype):
    x = torch.randperm(2 * 3 * 7 * 6).reshape(2, 3, 7, 6).to(dtype) / 3
    y, ye = _run_both(lambda x: TF.adaptive_avg_pool2d(x, out), lambda x: S.adaptive_avg_pool2d(x, out), [x], dtype)
    assert type(ye.grad_fn).__name__ == type(y.grad_fn).__name__
    y, ye = _run_both(lambda x: TF.adaptive_max_pool2d(x, out), lambda x: S.adaptive_max_pool2d(x, out), [x],
                      dtype)
    assert type(ye.grad_fn).__name__ == type(y.grad_fn).__name__
    np.testing.assert_array_equal(S.adaptive_max_pool2d(_e(x), out, True)[1].numpy(),
                                  TF.adaptive_max_pool2d(x, out, True)[1].numpy())


def test_adaptive_1d_match_torch():
    x = torch.randperm(2 * 3 * 10).reshape(2, 3, 10).double()
    _run_both(lambda x: TF.adaptive_avg_pool1d(x, 4), lambda x: S.adaptive_avg_pool1d(x, 4), [x], torch.float64)
    _run_both(lambda x: TF.adaptive_max_pool1d(x, 4), lambda x: S.adaptive_max_pool1d(x, 4), [x], torch.float64)


# ------------------------------------------------------------------------------------------------------------
# pad, interpolate, unfold/fold, pixel_shuffle
# ------------------------------------------------------------------------------------------------------------

PAD_CASES = [  # (shape, pad, mode)
    ((2, 3, 4, 5), (1, 2), "constant"),
    ((2, 3, 4, 5), (1, 2, 0, 3), "constant"),
    ((2, 3, 4, 5), (-1, 2, 1, -2), "constant"),
    ((2, 3, 4, 5), (1, 2, 3, 0, 1, 1), "constant"),
    ((2, 3, 5), (2, 3), "reflect"),
    ((2, 3, 4, 5), (3, 1, 2, 3), "reflect"),
    ((2, 3, 4, 5), (3, 1, 2, 5), "replicate"),
    ((3, 4, 5), (1, 2), "replicate"),
    ((2, 3, 4, 5), (2, 1, 3, 1), "circular"),
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("case", PAD_CASES)
def test_pad_matches_torch(case, dtype):
    shape, p, mode = case
    y, ye = _run_both(lambda x: TF.pad(x, p, mode), lambda x: S.pad(x, p, mode), [torch.randn(shape)], dtype)
    assert type(ye.grad_fn).__name__ == type(y.grad_fn).__name__


def test_pad_value_and_errors():
    x = torch.randn(1, 2, 3)
    _close(TF.pad(x, (1, 1), value=2.5), S.pad(_e(x), (1, 1), value=2.5), 0)
    with pytest.raises(RuntimeError, match="Padding size should be less than"):
        S.pad(_e(x), (3, 0), "reflect")
    with pytest.raises(RuntimeError, match="Padding length must be divisible by 2"):
        S.pad(_e(x), (1,))


INTERP_CASES = [  # (shape, size, scale_factor, mode, align_corners)
    ((2, 3, 4, 5), None, 2, "nearest", None),
    ((2, 3, 4, 5), (7, 3), None, "nearest", None),
    ((1, 2, 5, 5), None, 1.7, "nearest", None),
    ((2, 3, 4, 5), None, 2, "bilinear", False),
    ((2, 3, 4, 5), (7, 9), None, "bilinear", True),
    ((1, 2, 6, 5), (3, 4), None, "bilinear", False),
    ((1, 2, 5, 4), None, (1.5, 2.5), "bilinear", False),
    ((2, 3, 6), None, 3, "nearest", None),
    ((2, 3, 6), 10, None, "linear", False),
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("case", INTERP_CASES)
def test_interpolate_matches_torch(case, dtype):
    shape, size, sf, mode, ac = case
    y, ye = _run_both(lambda x: TF.interpolate(x, size, sf, mode, ac),
                      lambda x: SS.interpolate(x, size, sf, mode, ac), [torch.randn(shape)], dtype)
    assert type(ye.grad_fn).__name__ == type(y.grad_fn).__name__


def test_interpolate_errors():
    with pytest.raises(ValueError, match="align_corners option can only be set"):
        SS.interpolate(ember.zeros(1, 1, 2, 2), scale_factor=2, align_corners=True)
    with pytest.raises(ValueError, match="either size or scale_factor should be defined"):
        SS.interpolate(ember.zeros(1, 1, 2, 2))


@pytest.mark.parametrize("dtype", DTYPES)
def test_unfold_fold_match_torch(dtype):
    x = torch.randn(2, 3, 7, 6)
    _, ye = _run_both(lambda x: TF.unfold(x, (3, 2), 2, 1, (2, 1)), lambda x: S.unfold(x, (3, 2), 2, 1, (2, 1)),
                      [x], dtype)
    assert type(ye.grad_fn).__name__ == "Im2ColBackward0"
    cols = torch.randn(2, 12, 16)
    _y, ye = _run_both(lambda c: TF.fold(c, (6, 7), 2, 1, 1, 2), lambda c: S.fold(c, (6, 7), 2, 1, 1, 2),
                      [cols], dtype)
    assert type(ye.grad_fn).__name__ == "Col2ImBackward0"
    with pytest.raises(RuntimeError) as te:
        TF.fold(torch.randn(2, 12, 20), (6, 7), 2, 1, 1, 2)
    with pytest.raises(RuntimeError) as ee:
        S.fold(ember.randn(2, 12, 20), (6, 7), 2, 1, 1, 2)
    assert str(ee.value) == str(te.value)


def test_pixel_shuffle_matches_torch():
    _y, ye = _run_both(lambda x: TF.pixel_shuffle(x, 2), lambda x: S.pixel_shuffle(x, 2),
                      [torch.randn(2, 8, 3, 4)], torch.float64)
    assert type(ye.grad_fn).__name__ == "PixelShuffleBackward0"
    _run_both(lambda x: TF.pixel_unshuffle(x, 3), lambda x: S.pixel_unshuffle(x, 3),
              [torch.randn(2, 1, 6, 9)], torch.float64)


def test_separable_ops_gradcheck():
    rng = np.random.default_rng(2)
    x = ember.tensor(rng.standard_normal((1, 2, 4, 5)), requires_grad=True)
    assert ember.autograd.gradcheck(lambda x: SS.interpolate(x, (5, 7), mode="bilinear"), (x,))
    assert ember.autograd.gradcheck(lambda x: S.pad(x, (2, 1, 1, 3), "reflect"), (x,))
    assert ember.autograd.gradcheck(lambda x: S.avg_pool2d(x, 3, 2, 1, ceil_mode=True), (x,))
    assert ember.autograd.gradgradcheck(lambda x: S.adaptive_avg_pool2d(x, (3, 2)) ** 2, (x,))


def test_conv2d_speed_reasonable():
    # batch 32 of 1x28x28 with 8 3x3 filters, forward + backward: a few ms (generous bound for busy CI)
    import time
    x = ember.randn(32, 1, 28, 28, requires_grad=True)
    w = ember.randn(8, 1, 3, 3, requires_grad=True)
    b = ember.randn(8, requires_grad=True)
    S.conv2d(x, w, b, padding=1).sum().backward()
    t = time.perf_counter()
    for _ in range(10):
        S.conv2d(x, w, b, padding=1).sum().backward()
    assert (time.perf_counter() - t) / 10 < 0.05
