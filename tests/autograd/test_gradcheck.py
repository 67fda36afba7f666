"""gradcheck and gradgradcheck must fail on wrong derivatives (a checker that cannot fail hides bugs)."""

import numpy as np
import pytest

import ember
from ember.autograd import Function, gradcheck, gradgradcheck
from ember.autograd.gradcheck import GradcheckError


class Square(Function):
    """x², with a backward that is right to first order and a double backward chosen by ``wrong_second``."""

    wrong_second = False

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * TwoX.apply(x) if Square.wrong_second else g * 2 * x


class TwoX(Function):
    """2x forward; its backward claims d(2x)/dx = 3: wrong, so the second derivative of Square is wrong."""

    @staticmethod
    def forward(ctx, x):
        return x * 2

    @staticmethod
    def backward(ctx, g):
        return g * 3


def _x():
    return ember.tensor(np.array([0.5, -1.25, 2.0]), requires_grad=True)


def test_right_derivatives_pass():
    Square.wrong_second = False
    assert gradcheck(Square.apply, (_x(),))
    assert gradgradcheck(Square.apply, (_x(),))


def test_wrong_double_backward_is_rejected():
    Square.wrong_second = True
    try:
        assert gradcheck(Square.apply, (_x(),))  # the first derivative is still right
        with pytest.raises(GradcheckError, match="Jacobian mismatch"):
            gradgradcheck(Square.apply, (_x(),))
        assert gradgradcheck(Square.apply, (_x(),), raise_exception=False) is False
    finally:
        Square.wrong_second = False


def test_wrong_first_derivative_is_rejected_and_printed_as_tensors():
    class Bad(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return g * 2.1 * x

    with pytest.raises(GradcheckError) as info:
        gradcheck(Bad.apply, (ember.tensor([1.0, 2.0], dtype=ember.float64, requires_grad=True),))
    msg = str(info.value)
    assert "numerical:tensor([[2.0000, 0.0000]," in msg and "analytical:tensor([[2.1000, 0.0000]," in msg


def test_same_message_as_torch():
    torch = pytest.importorskip("torch")
    msgs = []
    for lib in (torch, ember):
        class Bad(lib.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                ctx.save_for_backward(x)
                return x * x

            @staticmethod
            def backward(ctx, g):
                (x,) = ctx.saved_tensors
                return g * 2.1 * x

        try:
            lib.autograd.gradcheck(Bad.apply, (lib.tensor([1.0, 2.0], dtype=lib.float64, requires_grad=True),))
        except Exception as e:  # noqa: BLE001  (the message is what is compared)
            msgs.append(str(e))
    assert msgs[0] == msgs[1]


class ExpWithJvp(Function):
    """eˣ with a forward-mode rule that is right, or off by a factor 2 when ``wrong``."""

    wrong = False

    @staticmethod
    def forward(ctx, x):
        y = x.exp()
        ctx.result = y
        return y

    @staticmethod
    def backward(ctx, g):
        return g * ctx.result

    @staticmethod
    def jvp(ctx, t):
        return t * ctx.result * (2 if ExpWithJvp.wrong else 1)


def test_check_forward_ad_accepts_a_right_rule_and_rejects_a_wrong_one(monkeypatch):
    assert gradcheck(ExpWithJvp.apply, (_x(),), check_forward_ad=True)
    assert gradcheck(lambda x: ember.nn.functional.gelu(x).sum(), (_x(),), check_forward_ad=True,
                     check_backward_ad=False)
    monkeypatch.setattr(ExpWithJvp, "wrong", True)
    assert gradcheck(ExpWithJvp.apply, (_x(),), check_forward_ad=False)  # backward alone is right
    with pytest.raises(GradcheckError, match="Jacobian computed with forward mode mismatch for output 0"):
        gradcheck(ExpWithJvp.apply, (_x(),), check_forward_ad=True, check_backward_ad=False)
    assert not gradcheck(ExpWithJvp.apply, (_x(),), check_forward_ad=True, raise_exception=False)


def test_importing_gradgradcheck_leaves_gradcheck_the_function():
    """``from torch.autograd import gradgradcheck`` loads the module ``gradcheck``, whose import binds the submodule
    to the package's ``gradcheck``: it must still name the function afterwards (and ``explain`` likewise)."""
    import subprocess
    import sys
    code = ("import ember\nfrom ember.autograd import gradgradcheck\nfrom ember.autograd import explain_forward\n"
            "print(callable(ember.autograd.gradcheck), callable(ember.autograd.explain))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          env={**__import__("os").environ, "PYTHONPATH": str(__import__("pathlib").Path(
                              ember.__file__).resolve().parents[1])})
    assert proc.stdout.split() == ["True", "True"], proc.stderr
