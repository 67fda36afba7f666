"""add(alpha=), sub(alpha=), addcmul, lerp and the optimizers' updates round once in float32, as PyTorch's CPU
kernels do (a fused multiply-add on AVX2/AVX-512 CPUs). The case: u = 1 + 2^-12, u·u = 1 + 2^-11 + 2^-24 exactly;
rounded on its own to float32 that is a tie, which goes to the even 1 + 2^-11, so u·u - 1 rounded twice is 2^-11,
once is 2^-11 + 2^-24 (hand-derived; torch 2.13 on this machine prints the latter for every expression below)."""

import numpy as np
import pytest

import ember
from ember import kernels

U = 1 + 2.0 ** -12
ONCE = 2.0 ** -11 + 2.0 ** -24
TWICE = 2.0 ** -11


def test_kernel_rounds_once():
    u = np.float32([U])
    assert kernels.exact.fma(u, u, np.float32([-1]))[0] == ONCE
    assert kernels.plain.fma(u, u, np.float32([-1]))[0] == TWICE  # the two-rounding reference differs
    assert kernels.exact.fma(np.float64(U), np.float64(U), np.float64(-1)) == U * U - 1  # float64: as before


@pytest.mark.parametrize("expr", [
    lambda u, m1: ember.add(m1, u, alpha=U),
    lambda u, m1: m1.clone().add_(u, alpha=U),
    lambda u, m1: ember.sub(m1, u, alpha=-U),
    lambda u, m1: ember.addcmul(m1, u, u),
    lambda u, m1: m1.clone().addcmul_(u, u, value=1.0),
])
def test_ops_round_once(expr):
    u, m1 = ember.tensor([U]), ember.tensor([-1.0])
    assert expr(u, m1).item() == ONCE


def test_lerp_rounds_once():
    # lerp(a, b, w) with |w| < 0.5 is fma(w, b - a, a): a = -1/4, b = u - 1/4 (so b - a = u), w = u / 4 (exact):
    # 0.25 u² - 0.25 = 2^-13 + 2^-26 once, 2^-13 twice
    a = ember.tensor([-0.25])
    b = ember.tensor([U - 0.25])
    w = float(np.float32(0.25 * U))
    want = 2.0 ** -13 + 2.0 ** -26
    assert np.float32(np.float32(w) * np.float32(U)) - np.float32(0.25) != want  # two roundings give another value
    assert ember.lerp(a, b, w).item() == want
    assert ember.lerp(a, b, ember.tensor([w])).item() == want


def test_sgd_step_rounds_once():
    # p ← p - lr g with p = -1, g = u, lr = -u: fused, one rounding
    p = ember.tensor([-1.0], requires_grad=True)
    p.grad = ember.tensor([U])
    ember.optim.SGD([p], lr=U, maximize=True).step()  # maximize: p + lr g = fma(-g, -lr, p)
    assert p.item() == ONCE


def _fma_reference(a, b, alpha):
    """float32(float64(b)·float64(float32(alpha)) + float64(a)): the product exact, the sum rounded in float64,
    then once to float32 (the optimizers' single-rounding update, written out)."""
    return (b.astype(np.float64) * float(np.float32(alpha)) + a.astype(np.float64)).astype(np.float32)


def _same_bits(x, y):
    return np.array_equal(x.view(np.int32), y.view(np.int32))


@pytest.mark.parametrize("n", [1, 512, 20000])
def test_add_scaled_rounds_once_in_place_and_not(n):
    from ember.optim.optimizer import _add_scaled
    rng = np.random.default_rng(n)
    a = (rng.standard_normal(n) * 10.0 ** rng.integers(-30, 30, n)).astype(np.float32)
    b = (rng.standard_normal(n) * 10.0 ** rng.integers(-30, 30, n)).astype(np.float32)
    a[:1], b[1:2] = np.float32(U), np.float32(np.inf)
    b[:1] = np.float32(U)
    alpha = -U
    want = _fma_reference(a, b, alpha)
    out = a.copy()
    assert _add_scaled(out, b, alpha, out=out) is out
    assert _same_bits(out, want)
    assert _same_bits(_add_scaled(a, b, alpha), want)  # the allocating form too
    # the check can fail: two roundings (float32 product, then float32 sum) differ at the crafted element
    twice = (b * np.float32(alpha) + a).astype(np.float32)
    assert not _same_bits(twice, want)
