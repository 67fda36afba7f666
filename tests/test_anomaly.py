"""Anomaly mode and the errors that teach, against PyTorch's behaviour and messages."""

import warnings

import pytest

import ember

torch = pytest.importorskip("torch")


def _error(lib, fn):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            fn(lib)
        except RuntimeError as e:
            # ember's hints are exception notes (str(e) stays PyTorch's message); include them
            return "\n".join([str(e), *getattr(e, "__notes__", [])])
    return None


def _sqrt_times_zero(lib):
    x = lib.tensor([0.0, 4.0], requires_grad=True)
    with lib.autograd.detect_anomaly():
        y = lib.sqrt(x) * 0  # the forward line the message must point at
        y.sum().backward()


def test_nan_in_backward_names_the_op_and_the_forward_line():
    # PyTorch's message alone; the forward line goes in PyTorch's "Error detected in" warning (and a note)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(RuntimeError) as info:
            _sqrt_times_zero(ember)
    want = _error(torch, _sqrt_times_zero)
    assert want == "Function 'SqrtBackward0' returned nan values in its 0th output."
    assert str(info.value) == want
    assert "y = lib.sqrt(x) * 0" in info.value.__notes__[0]
    (w,) = [w for w in caught if "Error detected in" in str(w.message)]
    text = str(w.message)
    assert text.startswith("Error detected in SqrtBackward0. Traceback of forward call that caused the error:\n")
    assert "y = lib.sqrt(x) * 0" in text and "test_anomaly.py" in text
    assert w.filename == __file__  # the warning names the user's backward() line, not ember's


def test_inf_alone_is_not_an_anomaly():
    def sqrt_at_zero(lib):
        x = lib.tensor([0.0], requires_grad=True)
        lib.autograd.set_detect_anomaly(True)
        try:
            lib.sqrt(x).sum().backward()
        finally:
            lib.autograd.set_detect_anomaly(False)
        return x.grad
    assert _error(torch, sqrt_at_zero) is None and _error(ember, sqrt_at_zero) is None
    assert not ember.autograd.is_anomaly_enabled()


def test_anomaly_off_lets_nan_through():
    x = ember.tensor([0.0], requires_grad=True)
    (ember.sqrt(x) * 0).sum().backward()
    assert x.grad.isnan().all()


def test_detect_anomaly_warns_like_torch():
    with pytest.warns(UserWarning, match="Anomaly Detection has been enabled"), ember.autograd.detect_anomaly():
        assert ember.autograd.is_anomaly_enabled()
    assert not ember.autograd.is_anomaly_enabled()


def _second_backward(lib):
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    y = x.exp().sum()
    y.backward()
    y.backward()


def _no_grad_backward(lib):
    (lib.tensor([1.0, 2.0]) * 2).sum().backward()


def _inplace_saved_output(lib):
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    a = x.exp()
    a.add_(1)
    a.sum().backward()


def _inplace_saved_input(lib):
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    a = x * 1
    b = a.sin()
    a.mul_(2)
    b.sum().backward()


def _inplace_constant(lib):
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    c = lib.tensor([1.0, 2.0])
    b = x * c
    c.add_(1)
    b.sum().backward()


@pytest.mark.parametrize("fn", [_second_backward, _no_grad_backward, _inplace_saved_output,
                                _inplace_saved_input, _inplace_constant])
def test_errors_start_with_torchs_message(fn):
    want = _error(torch, fn)
    got = _error(ember, fn)
    assert want is not None and got is not None
    assert got.split("\n")[0].split(" (ember:")[0] == want


def test_errors_carry_a_hint():
    assert "retain_graph=True" in _error(ember, _second_backward)
    assert "requires_grad=True" in _error(ember, _no_grad_backward)
    assert "SinBackward0 saved this tensor" in _error(ember, _inplace_saved_input)


def test_non_leaf_grad_warning_suggests_retain_grad():
    x = ember.tensor([1.0], requires_grad=True)
    y = x * 2
    y.sum().backward()
    with pytest.warns(UserWarning, match=r"use \.retain_grad\(\)"):
        assert y.grad is None
    z = x * 3
    z.retain_grad()
    z.sum().backward()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert z.grad.item() == 1.0
