"""linalg.det as PyTorch computes it: the product of getrf's pivots (of Aᵀ for a contiguous real A), not NumPy's
exp(log|det|). The recorded values are PyTorch 2.13's on this CPU; the live check compares bits with torch."""

import numpy as np
import pytest

import ember

# (matrix, dtype, transposed view?, PyTorch's det as a Python float)
RECORDED = [
    ([[4.0, 1.0], [1.0, 3.0]], "float64", False, 11.0),  # NumPy: 11.000000000000002, printed 11.0000
    ([[1.0, 2.0], [3.0, 4.0]], "float32", False, -2.0),  # the LU of A (not Aᵀ) gives -1.9999998807907104
    ([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 10.0]], "float32", False, -3.0000014305114746),
    ([[1.0, 4.0, 7.0], [2.0, 5.0, 8.0], [3.0, 6.0, 10.0]], "float32", True, -2.9999988079071045),  # A.mT: LU of A
    ([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 10.0]], "float64", False, -2.9999999999999973),
]


@pytest.mark.parametrize(("m", "dtype", "transposed", "want"), RECORDED)
def test_det_matches_recorded_torch_bits(m, dtype, transposed, want):
    a = ember.tensor(m, dtype=getattr(ember, dtype))
    if transposed:
        a = a.mT
    got = ember.linalg.det(a)
    assert got.item() == want
    assert ember.det(a).item() == want


def test_det_of_small_integer_matrix_prints_as_torch():
    assert str(ember.linalg.det(ember.tensor([[4.0, 1.0], [1.0, 3.0]], dtype=ember.float64))) == \
        "tensor(11., dtype=torch.float64)"
    assert str(ember.tensor([[1.0, 2.0], [3.0, 4.0]]).det()) == "tensor(-2.)"


def test_det_batched_and_singular():
    a = ember.tensor([[[2.0, 0.0], [0.0, 3.0]], [[1.0, 2.0], [2.0, 4.0]], [[0.0, 1.0], [1.0, 0.0]]])
    assert ember.linalg.det(a).tolist() == [6.0, 0.0, -1.0]
    assert ember.linalg.det(ember.zeros(0, 3, 3)).shape == (0,)


def test_det_against_live_torch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    same = total = 0
    for trial in range(200):
        n = int(rng.integers(1, 8))
        dt = (np.float32, np.float64)[trial % 2]
        a = rng.integers(-5, 6, (3, n, n)).astype(dt) if trial % 4 < 2 else rng.standard_normal((3, n, n)).astype(dt)
        want = torch.linalg.det(torch.from_numpy(a)).numpy()
        got = ember.linalg.det(ember.tensor(a)).numpy()
        np.testing.assert_allclose(got, want, rtol=1e-4 if dt == np.float32 else 1e-10, atol=1e-5)
        same += int((got == want).sum())
        total += want.size
    assert same / total > 0.9  # bit-equal in most cases (PyTorch's LAPACK orders a few updates differently)
