"""torch.special's orthogonal polynomials and airy_ai against PyTorch 2.13 (values over many x and n, large n,
|x| > 1, integer and float degrees, broadcasting, dtypes; no gradient), and recorded values without torch."""

import numpy as np
import pytest

import ember as E

NAMES = ["chebyshev_polynomial_t", "chebyshev_polynomial_u", "chebyshev_polynomial_v", "chebyshev_polynomial_w",
         "shifted_chebyshev_polynomial_t", "shifted_chebyshev_polynomial_u", "shifted_chebyshev_polynomial_v",
         "shifted_chebyshev_polynomial_w", "hermite_polynomial_h", "hermite_polynomial_he", "laguerre_polynomial_l",
         "legendre_polynomial_p"]

# torch 2.13, float64: (x, n) -> value
RECORDED = {
    "chebyshev_polynomial_t": [(-3.0, 4, 577.0), (0.3, 9, 0.3888276480000005), (1.0, 5, 1.0), (-1.0, 5, -1.0)],
    "chebyshev_polynomial_u": [(2.0, 3, 56.0), (-1.0, 4, 5.0), (0.25, 10, 0.9658203124999999)],
    "hermite_polynomial_h": [(0.5, 3, -5.0), (2.0, 6, -824.0)],
    "hermite_polynomial_he": [(-3.0, 4, 30.0), (1.5, 5, -3.65625)],
    "laguerre_polynomial_l": [(0.5, 2, 0.125), (3.0, 3, 1.0)],
    "legendre_polynomial_p": [(-1.0, 1, -1.0), (0.5, 3, -0.4375), (2.0, 4, 55.375)],
    "shifted_chebyshev_polynomial_w": [(0.0, 3, -1.0), (1.0, 3, 7.0)],
}
AIRY = [(0.0, 0.3550280538878172), (1.0, 0.13529241631288144), (-1.0, 0.5355608832923521),
        (-30.0, -0.0879681884568426), (-2.1, 0.16348733360139633), (25.0, 8.116026824691424e-38), (110.0, 0.0)]


def _grid(dtype):
    rng = np.random.default_rng(0)
    xs = np.concatenate([np.linspace(-3, 3, 61), [-1, 1, 0, 0.5, -0.5, 1e-8, 0.999999, -0.999999, np.inf, -np.inf],
                         rng.uniform(-1.2, 1.2, 30)])
    ns = np.array([-3, -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 17, 25, 40, 77, 150, 500])
    X, N = np.meshgrid(xs, ns)
    return X.astype(dtype), N.astype(dtype)


def _close(ours, theirs, X, N, dtype):
    """PyTorch's float kernel has libm's acos/cos rounding, whose error grows with n in the trigonometric form."""
    if dtype == np.float64:
        return np.isclose(ours, theirs, rtol=1e-12, atol=1e-13 * np.maximum(N, 1), equal_nan=True)
    return np.isclose(ours, theirs, rtol=1e-4, atol=3e-6 * np.maximum(N, 1), equal_nan=True)


def test_recorded_values_without_torch():
    for name, rows in RECORDED.items():
        fn = getattr(E.special, name)
        for x, n, want in rows:
            got = fn(E.tensor([x], dtype=E.float64), n).item()
            assert got == pytest.approx(want, rel=1e-13, abs=1e-15), (name, x, n)
    for x, want in AIRY:
        assert E.special.airy_ai(E.tensor([x], dtype=E.float64)).item() == pytest.approx(want, rel=1e-12, abs=1e-300)


def test_closeness_check_rejects_a_wrong_value():
    X, N = np.array([0.5]), np.array([3.0])
    assert not _close(np.array([1.0]), np.array([1.0 + 1e-9]), X, N, np.float64).all()
    assert not _close(np.array([1.0]), np.array([1.001]), X, N, np.float32).all()


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_values_as_pytorch(name, dtype):
    torch = pytest.importorskip("torch")
    X, N = _grid(dtype)
    ours = getattr(E.special, name)(E.tensor(X), E.tensor(N)).numpy()
    theirs = getattr(torch.special, name)(torch.tensor(X), torch.tensor(N)).numpy()
    assert ours.dtype == theirs.dtype
    ok = _close(ours, theirs, X, N, dtype)
    assert ok.all(), (X[~ok][:5], N[~ok][:5], ours[~ok][:5], theirs[~ok][:5])


@pytest.mark.parametrize("name", NAMES)
def test_nan_input(name):
    """PyTorch 2.13 returns uninitialised memory for a NaN x in most of these (its kernel falls through); the
    polynomial of NaN is NaN here (for n >= 1; p₀ = 1 and n < 0 gives 0, as PyTorch)."""
    r = getattr(E.special, name)(E.tensor([np.nan] * 3, dtype=E.float64), E.tensor([-1, 0, 3])).tolist()
    assert r[0] == 0 and r[1] == 1 and np.isnan(r[2])


@pytest.mark.parametrize("name", NAMES)
def test_forms_dtypes_broadcasting_and_no_gradient(name):
    torch = pytest.importorskip("torch")
    ef, tf = getattr(E.special, name), getattr(torch.special, name)
    xs = np.linspace(-1.5, 1.5, 7)
    cases = [
        (lambda m: m.tensor(xs.reshape(7, 1)), lambda m: m.tensor([0, 1, 2, 5, 11])),  # int n tensor, broadcast
        (lambda m: m.tensor(xs, dtype=m.float32), lambda m: 3),
        (lambda m: m.tensor(xs, dtype=m.float32), lambda m: 2.9),  # truncated to 2
        (lambda m: 0.25, lambda m: m.tensor([1, 4, 9])),
        (lambda m: m.tensor([1, 2, 3]), lambda m: m.tensor([2, 3, 4])),  # int x: the default float
        (lambda m: m.tensor(xs, dtype=m.float32), lambda m: m.tensor([3.0], dtype=m.float64)),
        (lambda m: m.tensor(xs), lambda m: m.tensor([np.nan, np.inf, -np.inf, 7.5, -2.5, 1e30, 3.0])),
    ]
    for mx, mn in cases:
        ye, yt = ef(mx(E), mn(E)), tf(mx(torch), mn(torch))
        assert str(ye.dtype) == str(yt.dtype) and tuple(ye.shape) == tuple(yt.shape)
        np.testing.assert_allclose(ye.numpy(), yt.numpy(), rtol=2e-5, atol=1e-6)
    with pytest.raises(TypeError) as te:
        tf(0.5, 2)
    with pytest.raises(TypeError) as ee:
        ef(0.5, 2)
    assert str(ee.value) == str(te.value)
    for m in (E, torch):
        x = m.tensor([0.3, 0.7], requires_grad=True)
        y = getattr(m.special, name)(x, 4)
        assert not y.requires_grad and y.grad_fn is None
        with pytest.raises(RuntimeError, match="element 0 of tensors does not require grad"):
            y.sum().backward()
    o = E.empty(2)
    assert ef(E.tensor([0.3, 0.7]), 4, out=o) is o
    np.testing.assert_allclose(o.numpy(), tf(torch.tensor([0.3, 0.7]), 4).numpy(), rtol=1e-6)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_airy_ai_as_pytorch(dtype):
    torch = pytest.importorskip("torch")
    x = np.concatenate([np.linspace(-1000, 110, 40001), np.linspace(-9, 9, 1001), np.linspace(20, 30, 501),
                        [-2.09, 2.09, 8.3203353, 103.8, 103.892, 103.9, 0, 1e-30, -1e-30, np.inf, -np.inf, np.nan]])
    x = x.astype(dtype)
    ours = E.special.airy_ai(E.tensor(x)).numpy()
    theirs = torch.special.airy_ai(torch.tensor(x)).numpy()
    assert ours.dtype == theirs.dtype
    same = (ours == theirs) | (np.isnan(ours) & np.isnan(theirs))
    assert same.mean() > 0.98  # PyTorch's algorithm: bit for bit but for libm's last bit in exp, sin, cos
    ok = np.isclose(ours, theirs, rtol=1e-15 if dtype == np.float64 else 3e-7, atol=0, equal_nan=True)
    assert ok.all(), (x[~ok][:5], ours[~ok][:5], theirs[~ok][:5])
    for m in (E, torch):
        a = m.special.airy_ai(m.tensor([0.5], requires_grad=True))
        assert not a.requires_grad
    assert str(E.special.airy_ai(E.tensor([1, 2])).dtype) == str(torch.special.airy_ai(torch.tensor([1, 2])).dtype)
