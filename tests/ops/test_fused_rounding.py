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
