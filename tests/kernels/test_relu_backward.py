"""kernels.exact.relu_backward: +0 where y <= 0, else g (NaN y passes g), bit for bit the reference np.where (NaN payloads, -0, inf,
subnormals), for float32 and float64, and matching PyTorch's threshold_backward."""

import numpy as np
import pytest

from ember.kernels import exact


def _special(dtype, n=4096, seed=0):
    rng = np.random.default_rng(seed)
    f = np.finfo(dtype)
    a = rng.standard_normal(n).astype(dtype) * dtype(10) ** rng.integers(-5, 5, n).astype(dtype)
    special = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, -np.nan, f.tiny / 4, -f.tiny / 4, f.max, -f.max],
                       dtype)
    a[:special.size] = special
    return a


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_relu_backward_equals_where_bit_for_bit(dtype):
    it = np.int32 if dtype == np.float32 else np.int64
    g = _special(dtype, seed=1)
    y = np.roll(_special(dtype, seed=2), 3)  # every special y meets a special g somewhere
    g[-3:] = np.array([np.nan, -0.0, 5.0], dtype)
    y[-3:] = np.array([1.0, 2.0, np.nan], dtype)
    got = exact.relu_backward(g, y)
    want = np.where(y <= 0, dtype(0), g)
    assert got.dtype == want.dtype and got.shape == want.shape
    assert np.array_equal(got.view(it), want.view(it))
    assert (got.view(it)[y <= 0] == 0).all()  # +0, never -0 (bits all zero)
    # the comparison sees a wrong result: -0 where +0 belongs (g * [not y <= 0] in floating point), and a NaN y
    # that drops g (np.where(y > 0, g, 0), ember's rule before)
    with np.errstate(invalid="ignore"):
        assert not np.array_equal((g * ~(y <= 0)).view(it), want.view(it))
    assert not np.array_equal(np.where(y > 0, g, dtype(0)).view(it), want.view(it))


def test_relu_backward_0d_and_other_dtypes():
    assert exact.relu_backward(np.array(2.0, np.float32), np.array(1.0, np.float32)).shape == ()
    got = exact.relu_backward(np.array([1, 2], np.int64), np.array([0, 3], np.int64))
    assert got.tolist() == [0, 2]


def test_relu_backward_matches_pytorch():
    torch = pytest.importorskip("torch")
    g = _special(np.float32, 512, seed=3)
    x = _special(np.float32, 512, seed=4)
    y = np.maximum(x, 0)
    want = torch.ops.aten.threshold_backward(torch.tensor(g), torch.tensor(y), 0.0).numpy()
    got = exact.relu_backward(g, y)
    assert np.isnan(y).any()  # where y is NaN PyTorch passes g (its test is y <= 0), and so does ember
    assert np.array_equal(got.view(np.int32), want.view(np.int32))


def test_relu_gradient_passes_where_the_output_is_nan():
    """PyTorch's ReluBackward0 is threshold_backward(g, result, 0): g where not result <= 0, so a NaN output passes g
    (recorded from torch 2.13: relu([nan, -1, 2, 0]).sum() gives x.grad = [1, 0, 1, 0])"""
    import ember
    for create in (False, True):
        x = ember.tensor([float("nan"), -1.0, 2.0, 0.0], requires_grad=True)
        (g,) = ember.autograd.grad(ember.relu(x).sum(), x, create_graph=create)
        assert g.tolist() == [1.0, 0.0, 1.0, 0.0]
    with ember.autograd.forward_ad.dual_level():
        x = ember.autograd.forward_ad.make_dual(ember.tensor([float("nan"), -1.0, 2.0]), ember.ones(3))
        assert ember.autograd.forward_ad.unpack_dual(ember.relu(x)).tangent.tolist() == [1.0, 0.0, 1.0]
