"""VonMises, GeneralizedPareto, LKJCholesky and Wishart against PyTorch 2.13: samples on torch's stream (the
same draws after torch.manual_seed), log_prob, entropy, moments, shapes; and without torch against their
definitions (normalised densities, moments by quadrature)."""

import math
import warnings

import numpy as np
import pytest

import ember as E
from ember.distributions import GeneralizedPareto, LKJCholesky, VonMises, Wishart


def _close(a, b, rtol=1e-5, atol=1e-6):
    return np.allclose(np.asarray(a, dtype=float), np.asarray(b, dtype=float), rtol=rtol, atol=atol, equal_nan=True)


def test_densities_integrate_to_one_without_torch():
    x = np.linspace(-math.pi, math.pi, 20001)
    for loc, kappa in ((0.3, 0.5), (-1.0, 4.0), (2.0, 20.0)):
        p = VonMises(E.tensor(loc, dtype=E.float64), E.tensor(kappa, dtype=E.float64)).log_prob(
            E.tensor(x)).exp().numpy()
        assert abs(np.trapezoid(p, x) - 1) < 1e-6
    x = np.linspace(0.1, 400, 400001)[1:]
    for c in (0.4, 0.0, -0.3):
        d = GeneralizedPareto(E.tensor(0.1), E.tensor(2.0), E.tensor(c), validate_args=False)  # (float64 fails in
        # PyTorch's isclose; outside the support of c < 0 the density is NaN, counted as 0)
        p = np.nan_to_num(d.log_prob(E.tensor(x, dtype=E.float32)).exp().numpy().astype(np.float64))
        assert abs(np.trapezoid(p, x) - 1) < 2e-3
        m = np.trapezoid(p * x, x)
        if c < 0.3:
            assert abs(m - d.mean.item()) < 5e-3
    assert not _close([1.0], [1.001])


def test_lkj_and_wishart_samples_are_valid_without_torch():
    E.manual_seed(0)
    L = LKJCholesky(4, E.tensor([0.5, 3.0])).sample((5,))
    c = (L @ L.mT).numpy()
    np.testing.assert_allclose(np.diagonal(c, axis1=-2, axis2=-1), 1, atol=1e-6)
    assert np.all(np.linalg.eigvalsh(c) > -1e-6)
    cov = E.tensor([[2.0, 0.3], [0.3, 1.0]], dtype=E.float64)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        s = Wishart(E.tensor(6.0, dtype=E.float64), covariance_matrix=cov).sample((20000,)).numpy()
    np.testing.assert_allclose(s.mean(0), 6 * cov.numpy(), rtol=0.05)


@pytest.fixture(scope="module")
def torch():
    return pytest.importorskip("torch")


def _gp(m, GP):
    out = {}
    m.manual_seed(0)
    d = GP(m.tensor([0.1, 0.0, -1.0]), m.tensor([2.0, 1.0, 0.5]), m.tensor([0.4, 0.0, -0.3]))
    out["sample"] = d.sample((4,)).tolist()
    out["after"] = m.rand(1).item()
    v = m.tensor([0.5, 1.0, 0.2])
    for k in ("log_prob", "cdf", "log_survival_function"):
        out[k] = getattr(d, k)(v).tolist()
    out["icdf"] = d.icdf(m.tensor([0.1, 0.5, 0.9])).tolist()
    out["mean"], out["variance"], out["entropy"] = d.mean.tolist(), d.variance.tolist(), d.entropy().tolist()
    out["shape"] = tuple(d.expand((2, 3)).sample().shape), tuple(GP(0.0, 1.0, 0.5).sample((2,)).shape)
    x = m.tensor([1.0, 2.0, 0.5], requires_grad=True)
    GP(m.zeros(3), x, m.tensor([0.2, 0.0, -0.1])).rsample().sum().backward()
    out["grad"] = x.grad.tolist()
    return out


def _vm(m, VM):
    out = {}
    m.manual_seed(1)
    d = VM(m.tensor([0.0, 1.0, -2.0]), m.tensor([0.5, 4.0, 1e-6]))
    out["sample"] = d.sample((5,)).tolist()
    out["log_prob"] = d.log_prob(m.tensor([0.3, 2.0, 1.0])).tolist()
    out["variance"], out["mean"] = d.variance.tolist(), d.mean.tolist()
    m.manual_seed(2)
    out["sample32"] = VM(m.tensor(0.5), m.tensor(2.0)).sample((3,)).tolist()
    out["after"] = m.rand(1).item()
    out["dtype"] = str(VM(m.tensor(0.5), m.tensor(2.0)).sample().dtype)
    return out


def _lkj(m, L):
    out = {}
    m.manual_seed(3)
    d = L(3, m.tensor([0.5, 2.0]))
    s = d.sample((2,))
    out["sample"], out["log_prob"], out["after"] = s.tolist(), d.log_prob(s).tolist(), m.rand(1).item()
    d2 = L(4, 1.5)
    m.manual_seed(4)
    s2 = d2.sample()
    out["sample2"], out["lp2"] = s2.tolist(), d2.log_prob(s2).item()
    out["shapes"] = tuple(d.batch_shape), tuple(d.event_shape), tuple(d.expand((3, 2)).sample().shape)
    try:
        L(1)
    except ValueError as e:
        out["bad"] = str(e)
    return out


def _wishart(m, W):
    out = {}
    cov = m.tensor([[2.0, 0.3], [0.3, 1.0]])
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        m.manual_seed(5)
        d = W(4.0, covariance_matrix=cov)
        s = d.rsample((2,))
        out["sample"], out["after"] = s.tolist(), m.rand(1).item()
    out["warn"] = [str(x.message) for x in w]
    out["log_prob"], out["entropy"] = d.log_prob(s).tolist(), d.entropy().item()
    out["mean"], out["variance"], out["mode"] = d.mean.tolist(), d.variance.tolist(), d.mode.tolist()
    d2 = W(m.tensor([3.0, 5.0]), precision_matrix=cov.inverse())
    m.manual_seed(6)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        s2 = d2.sample()
        out["low_df_warn"] = len([1 for _ in [W(1.5, scale_tril=m.eye(2))]])
    out["sample2"], out["lp2"], out["ent2"] = s2.tolist(), d2.log_prob(s2).tolist(), d2.entropy().tolist()
    out["shape"] = tuple(d2.expand((4, 2)).sample().shape) if False else tuple(d2.batch_shape)
    for bad in (lambda: W(0.5, covariance_matrix=cov), lambda: W(3.0), lambda: W(3.0, scale_tril=m.ones(2))):
        try:
            bad()
        except (ValueError, AssertionError) as e:
            out.setdefault("bad", []).append((type(e).__name__, str(e)))
    return out


@pytest.mark.parametrize("which", ["GeneralizedPareto", "VonMises", "LKJCholesky", "Wishart"])
def test_as_pytorch(torch, which):
    run = {"GeneralizedPareto": _gp, "VonMises": _vm, "LKJCholesky": _lkj, "Wishart": _wishart}[which]
    ours = run(E, getattr(E.distributions, which))
    theirs = run(torch, getattr(torch.distributions, which))
    assert ours.keys() == theirs.keys()
    for k in ours:
        if isinstance(ours[k], (str, tuple)) or k in ("warn", "bad", "dtype"):
            assert ours[k] == theirs[k], k
        else:
            assert _close(ours[k], theirs[k]), (k, ours[k], theirs[k])


def test_module_names(torch):
    for name in ("generalized_pareto", "lkj_cholesky", "von_mises", "wishart"):
        assert hasattr(E.distributions, name) and hasattr(torch.distributions, name)
