"""The checkers of spatial_oracle must reject wrong answers: each case feeds one a deliberately wrong ember."""

import pytest

import ember

torch = pytest.importorskip("torch")

from spatial_oracle import check, check_raises, tensor_pair  # noqa: E402


def _rejects(fn) -> str:
    with pytest.raises(AssertionError) as err:
        fn()
    return str(err.value)


def test_check_accepts_a_right_answer():
    x = tensor_pair(3, 4, seed=0)
    check(lambda x: (x * x).sum(1), lambda x: (x * x).sum(1), [x])


def test_check_rejects_wrong_values_shapes_and_dtypes():
    x = tensor_pair(3, 4, seed=0)
    assert "output 0" in _rejects(lambda: check(lambda x: x * 2, lambda x: x * 2 + 1e-6, [x]))
    assert "shape" in _rejects(lambda: check(lambda x: x * 2, lambda x: (x * 2).reshape(4, 3), [x]))
    assert "dtype" in _rejects(lambda: check(lambda x: x * 2, lambda x: (x * 2).float(), [x], grad=False))
    assert "outputs" in _rejects(lambda: check(lambda x: (x, x), lambda x: x, [x]))


def test_check_rejects_wrong_indices_grads_and_node_names():
    x = tensor_pair(2, 3, 4, 4, seed=1)
    assert "output 1" in _rejects(lambda: check(
        lambda x: torch.nn.functional.max_pool2d(x, 2, return_indices=True),
        lambda x: (lambda r: (r[0], r[1] + 1))(ember.nn.functional.max_pool2d(x, 2, return_indices=True)), [x]))
    assert "grad of input 0" in _rejects(lambda: check(lambda x: x * x, lambda x: x * x.detach(), [x], names=False))
    assert "grad_fn" in _rejects(lambda: check(lambda x: x * 2, lambda x: x + x, [x]))


def test_check_raises_rejects_wrong_errors():
    def boom(cls, msg):
        def f():
            raise cls(msg)
        return f

    check_raises(boom(ValueError, "bad size"), boom(ValueError, "bad size"))
    assert "message" in _rejects(lambda: check_raises(boom(ValueError, "bad size"), boom(ValueError, "bad")))
    assert "torch: ValueError" in _rejects(lambda: check_raises(boom(ValueError, "x"), boom(RuntimeError, "x")))
    assert "ember raised nothing" in _rejects(lambda: check_raises(boom(ValueError, "x"), lambda: None))
    assert "torch raised nothing" in _rejects(lambda: check_raises(lambda: None, boom(ValueError, "x")))
