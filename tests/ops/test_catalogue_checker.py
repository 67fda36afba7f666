"""The catalogue's checks must fail on wrong ops: each is fed an op that is wrong in the way it looks for."""

from __future__ import annotations

import catalogue_checks as C
import numpy as np
import pytest
from op_catalogue import OpInfo, unary_samples

import ember

torch = pytest.importorskip("torch")


@pytest.fixture(scope="module")
def ref():
    return C.Torch(torch)


def _entry(op, **kw):
    return OpInfo("probe", op, unary_samples(0.2, 1.5, special=False, integers=False), **kw)


class WrongGrad(ember.autograd.Function):
    """sin with a first derivative of 1.1 cos x (wrong by 10%)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x.sin()

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * x.cos() * 1.1


class WrongSecond(ember.autograd.Function):
    """x²: right first derivative 2x, computed by a Function whose own derivative is wrong (3, not 2)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * ThreeX.apply(x)


class ThreeX(ember.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2

    @staticmethod
    def backward(ctx, g):
        return g * 3


def test_forward_check_rejects_wrong_values(ref):
    e = _entry(lambda lib, x: lib.exp(x) if lib is torch else lib.exp(x) * 1.0001)
    with pytest.raises(AssertionError, match="output 0"):
        C.run_forward(e, np.dtype(np.float64), ref)


def test_forward_check_rejects_a_missing_error(ref):
    e = _entry(lambda lib, x: lib.round(x.long(), decimals=2) if lib is torch else x.long())
    with pytest.raises(AssertionError, match="raises"):
        C.run_forward(e, np.dtype(np.float64), ref)


def test_backward_check_rejects_a_silent_detach(ref):
    e = _entry(lambda lib, x: lib.sin(x) if lib is torch else lib.sin(x.detach()))
    with pytest.raises(AssertionError, match="requires_grad"):
        C.run_backward(e, np.dtype(np.float64), ref)


def test_backward_check_rejects_another_node_name(ref):
    e = _entry(lambda lib, x: x * 2 if lib is torch else x + x)
    with pytest.raises(AssertionError, match="grad_fn"):
        C.run_backward(e, np.dtype(np.float64), ref)


def test_backward_check_rejects_a_wrong_gradient(ref):
    e = _entry(lambda lib, x: lib.sin(x) if lib is torch else WrongGrad.apply(x))
    e.name = "probe"
    with pytest.raises(AssertionError):
        C.run_backward(e, np.dtype(np.float64), ref)


def test_gradcheck_rejects_a_wrong_first_derivative():
    with pytest.raises(AssertionError, match="first derivatives"):
        C.run_gradcheck(_entry(lambda lib, x: WrongGrad.apply(x)), np.dtype(np.float64), second=False)


def test_gradgradcheck_rejects_a_wrong_second_derivative():
    e = _entry(lambda lib, x: WrongSecond.apply(x))
    C.run_gradcheck(e, np.dtype(np.float64), second=False)  # right to first order
    with pytest.raises(AssertionError, match="second derivatives"):
        C.run_gradcheck(e, np.dtype(np.float64), second=True)


def test_forward_ad_check_and_identity_reject_a_wrong_jvp(ref, monkeypatch):
    from ember.ops import unary
    monkeypatch.setattr(unary.SinBackward0, "jvp", lambda self, t: t * 2)
    e = _entry(lambda lib, x: lib.sin(x))
    with pytest.raises(AssertionError, match="tangent"):
        C.run_forward_ad(e, np.dtype(np.float64), ref)
    with pytest.raises(AssertionError, match="<J v, u>"):
        C.run_jvp_vjp_identity(e, np.dtype(np.float64))


def test_inplace_check_rejects_another_in_place_op():
    e = _entry(lambda lib, x: lib.sin(x), inplace="cos_")
    with pytest.raises(AssertionError, match="in-place"):
        C.run_inplace(e, np.dtype(np.float64))


def test_error_check_rejects_another_message_and_a_changed_input(ref):
    from op_catalogue import Sample

    def op(lib, x):
        if lib is torch:
            raise RuntimeError("the reference's message")
        x.add_(1)  # changes its input, then raises
        raise RuntimeError("another message")

    e = _entry(op, errors=lambda rng, dtype: [Sample((np.array([1.0, 2.0]),), name="bad")])
    with pytest.raises(AssertionError, match="message"):
        C.run_errors(e, np.dtype(np.float64), ref)

    def op2(lib, x):
        if lib is not torch:
            x.add_(1)
        raise RuntimeError("same")

    e2 = _entry(op2, errors=lambda rng, dtype: [Sample((np.array([1.0, 2.0]),), name="bad")])
    with pytest.raises(AssertionError, match="changed before the error"):
        C.run_errors(e2, np.dtype(np.float64), ref)


def test_forward_over_reverse_rejects_a_backward_that_drops_a_tangent(monkeypatch):
    """A backward formula that computes on the raw array loses the tangent: H v comes out wrong."""
    from ember.ops import unary

    def backward(self, g):
        x, _ = self.saved_values()
        return (g * ember.tensor(np.cos(x.detach().numpy())),)  # right value, but no tangent through cos x
    monkeypatch.setattr(unary.SinBackward0, "backward", backward)
    with pytest.raises(AssertionError, match="forward-over-reverse"):
        C.run_forward_over_reverse(_entry(lambda lib, x: lib.sin(x)), np.dtype(np.float64))
