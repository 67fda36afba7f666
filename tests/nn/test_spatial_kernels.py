"""The fast paths of kernels/spatial.py against PyTorch: max pooling's separable scan over a sweep of geometries
with ties, NaN, ±inf and ±0 (values, signs, indices, gradients), and unit-stride convolution on shifted rows
(values and all three gradients, with and without padding and dilation); kernels/threads.py restores the
BLAS setting it changes."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import ember

torch = pytest.importorskip("torch")


def _inputs(kind, shape, rng):
    if kind == "random":
        return rng.standard_normal(shape)
    if kind == "ties":
        return rng.integers(-1, 2, shape).astype(float)
    if kind == "nan":
        x = rng.integers(-1, 2, shape).astype(float)
        x[rng.random(shape) < 0.3] = np.nan
        return x
    if kind == "-inf":
        x = np.full(shape, -np.inf)
        x[rng.random(shape) < 0.2] = 1.0
        return x
    x = np.zeros(shape)  # signed zeros
    x[rng.random(shape) < 0.5] = -0.0
    return x


GEOMETRIES = [(k, s, p, d, c) for k, s, p, d, c in itertools.product([1, 2, 3, (2, 3)], [None, 1, 2, 3], [0, 1],
                                                                       [1, 2], [False, True])
              if p <= min(k if isinstance(k, tuple) else (k, k)) // 2]


@pytest.mark.parametrize("kind", ["random", "ties", "nan", "-inf", "zeros"])
@pytest.mark.parametrize("shape", [(2, 3, 7, 6), (3, 5, 8)])
def test_max_pool2d_scan_matches_torch(kind, shape):
    rng = np.random.default_rng(abs(hash((kind, shape))) % 2**32)
    for dtype in (np.float32, np.float64):
        x = _inputs(kind, shape, rng).astype(dtype)
        for k, s, p, d, c in GEOMETRIES:
            kw = dict(kernel_size=k, stride=s, padding=p, dilation=d, ceil_mode=c)
            tx = torch.tensor(x, requires_grad=True)
            try:
                ty, ti = torch.nn.functional.max_pool2d(tx, return_indices=True, **kw)
            except RuntimeError:
                continue
            ex = ember.tensor(x, requires_grad=True)
            ey, ei = ember.nn.functional.max_pool2d(ex, return_indices=True, **kw)
            tv, ev = ty.detach().numpy(), ey.detach().numpy()
            assert np.array_equal(tv, ev, equal_nan=True), kw
            assert np.array_equal(np.signbit(tv), np.signbit(ev)), kw
            assert np.array_equal(ti.numpy(), ei.numpy()), kw
            g = rng.standard_normal(ty.shape).astype(dtype)
            ty.backward(torch.tensor(g))
            ey.backward(ember.tensor(g))
            tg, eg = tx.grad.numpy(), ex.grad.numpy()
            np.testing.assert_allclose(eg, tg, rtol=1e-4 if dtype == np.float32 else 1e-12, atol=1e-6)
            assert not np.signbit(eg[tg == 0]).any(), f"{kw}: -0 in the gradient where PyTorch has +0"


def test_max_pool_backward_keeps_inf_gradients_where_they_belong():
    x = ember.tensor(np.arange(16.0).reshape(1, 1, 4, 4), requires_grad=True)
    y = ember.nn.functional.max_pool2d(x, 2)
    y.backward(ember.tensor([[[[np.inf, -1.0], [1.0, 2.0]]]]))
    want = np.zeros((1, 1, 4, 4))
    want[0, 0, 1, 1], want[0, 0, 1, 3], want[0, 0, 3, 1], want[0, 0, 3, 3] = np.inf, -1.0, 1.0, 2.0
    assert np.array_equal(x.grad.numpy(), want)  # no nan from inf·0, no -0


@pytest.mark.parametrize("xs,ws", [((2, 3, 7, 6), (4, 3, 3, 2)), ((2, 1, 28, 28), (8, 1, 3, 3)),
                                   ((3, 4, 9), (2, 4, 3)), ((1, 2, 5, 6, 7), (3, 2, 2, 3, 2)),
                                   ((0, 3, 5, 5), (2, 3, 3, 3))])
@pytest.mark.parametrize("padding,dilation", [(0, 1), (1, 1), ("same", 1), (0, 2), (1, 2)])
def test_unit_stride_conv_matches_torch(xs, ws, padding, dilation):
    rng = np.random.default_rng(7)
    x, w, b = rng.standard_normal(xs), rng.standard_normal(ws), rng.standard_normal(ws[0])
    name = {3: "conv1d", 4: "conv2d", 5: "conv3d"}[len(xs)]
    for dtype, tol in ((np.float32, 1e-4), (np.float64, 1e-10)):
        tt = [torch.tensor(a.astype(dtype), requires_grad=True) for a in (x, w, b)]
        et = [ember.tensor(a.astype(dtype), requires_grad=True) for a in (x, w, b)]
        try:
            ty = getattr(torch.nn.functional, name)(*tt, padding=padding, dilation=dilation)
        except RuntimeError:
            continue
        ey = getattr(ember.nn.functional, name)(*et, padding=padding, dilation=dilation)
        assert ey.grad_fn.name() == "ConvolutionBackward0"
        np.testing.assert_allclose(ey.detach().numpy(), ty.detach().numpy(), rtol=tol, atol=tol)
        g = rng.standard_normal(ty.shape).astype(dtype)
        ty.backward(torch.tensor(g))
        ey.backward(ember.tensor(g))
        for a, c in zip(tt, et):
            np.testing.assert_allclose(c.grad.numpy(), a.grad.numpy(), rtol=10 * tol, atol=10 * tol)


def test_conv_backward_with_an_infinite_input_falls_back_to_the_plain_formula():
    # an inf in the last column is read only by the wrap columns of kernel offset 0: dW[..., 0] must stay finite
    x = np.ones((1, 1, 4, 4))
    x[0, 0, 1, 3] = np.inf
    w = np.ones((1, 1, 2, 2))
    tx, tw = torch.tensor(x), torch.tensor(w, requires_grad=True)
    ex, ew = ember.tensor(x), ember.tensor(w, requires_grad=True)
    torch.nn.functional.conv2d(tx, tw).sum().backward()
    ember.nn.functional.conv2d(ex, ew).sum().backward()
    assert np.array_equal(ew.grad.numpy(), tw.grad.numpy())


def test_one_blas_thread_restores_the_setting():
    threadpoolctl = pytest.importorskip("threadpoolctl")
    from ember.kernels import threads
    with threadpoolctl.threadpool_limits(2, user_api="blas"):
        before = [i["num_threads"] for i in threadpoolctl.threadpool_info() if i["user_api"] == "blas"]
        with threads.one_blas_thread():
            inside = [i["num_threads"] for i in threadpoolctl.threadpool_info() if i["user_api"] == "blas"]
        after = [i["num_threads"] for i in threadpoolctl.threadpool_info() if i["user_api"] == "blas"]
    assert after == before
    if threads._api:  # an OpenBLAS was found: inside the block it ran on one thread
        assert inside == [1] * len(inside)


@pytest.mark.parametrize("nd,k", [(1, (3,)), (2, (2, 2)), (2, (1, 3)), (3, (2, 1, 2)), (3, (2, 2, 2))])
@pytest.mark.parametrize("kind", ["random", "ties", "nan", "zeros"])
def test_max_pool_over_tiles_matches_torch(nd, k, kind):
    # stride = kernel, no padding: kernels.spatial.max_pool_tiles (input sizes not multiples of k drop the rest)
    rng = np.random.default_rng(abs(hash((nd, k, kind))) % 2**32)
    shape = (2, 3) + tuple(k[i] * (2 + i) + i for i in range(nd))
    fn = f"max_pool{nd}d"
    for dtype in (np.float32, np.float64, np.int64):
        if dtype == np.int64 and kind in ("nan", "zeros"):
            continue
        x = _inputs(kind, shape, rng).astype(dtype)
        ty, ti = getattr(torch.nn.functional, fn)(torch.tensor(x), k, return_indices=True)
        ey, ei = getattr(ember.nn.functional, fn)(ember.tensor(x), k, return_indices=True)
        assert ey.dtype == getattr(ember, str(ty.dtype).split(".")[1])
        assert ty.numpy().tobytes() == ey.numpy().tobytes(), (k, dtype)
        assert np.array_equal(ti.numpy(), ei.numpy()), (k, dtype)


def test_long_k_product_equals_the_float64_product():
    from ember.kernels.spatial import matmul_nt_long_k

    rng = np.random.default_rng(3)
    for m, n, kk in ((8, 9, 23232), (16, 72, 4513), (3, 5, 1025), (4, 4, 100), (200, 3, 5000)):
        a = rng.standard_normal((m, kk)).astype(np.float32)
        b = rng.standard_normal((n, kk)).astype(np.float32)
        want = a.astype(np.float64) @ b.astype(np.float64).T
        got = matmul_nt_long_k(a, b)
        assert got.dtype == np.float32 and got.shape == (m, n)
        np.testing.assert_allclose(got, want, rtol=0, atol=1e-6 * np.abs(a).max() * np.abs(b).max() * kk ** 0.5)
