"""torch.autograd's smaller names against PyTorch 2.13: the engine switches (multithreading, gradient layout
policy, view replay), anomaly_mode, variable, SavedTensor, NestedIOFunction, the profiler modules and enums."""

import warnings

import numpy as np
import pytest

import ember as E

torch = pytest.importorskip("torch")


def _err(f):
    try:
        f()
    except Exception as e:  # noqa: BLE001  (compared)
        return type(e).__name__
    return None


def test_switches_as_pytorch():
    for m in (E, torch):
        A = m.autograd
        assert A.is_multithreading_enabled() is True and A.is_view_replay_enabled() is False
        with A.set_multithreading_enabled(False):
            assert A.is_multithreading_enabled() is False
        assert A.is_multithreading_enabled() is True
        A.set_multithreading_enabled(False)
        assert A.is_multithreading_enabled() is False
        A.set_multithreading_enabled(True)

        @A.set_multithreading_enabled(False)
        def inside(A=A):
            return A.is_multithreading_enabled()

        assert inside() is False
        A.set_multithreading_enabled(True)


@pytest.mark.parametrize("enforce", [True, False])
def test_grad_layout_policy_as_pytorch(enforce):
    res = []
    for m in (E, torch):
        p = m.empty(2, 3, 4).permute(2, 0, 1).requires_grad_()
        q = m.empty(3, 4).t().requires_grad_()
        g = m.tensor(np.arange(12.0, dtype=np.float32).reshape(4, 3))
        with m.autograd.enforce_grad_layout_policy(enforce):
            (p * 2).sum().backward()
            q.backward(g.clone())
        res.append((p.grad.stride(), q.grad.stride(), q.grad.tolist()))
    assert res[0] == res[1]


def test_the_layout_check_sees_a_difference():
    """Off, a stealable gradient keeps its layout; on, it takes the leaf's (the test above compares both)."""
    res = []
    for m in (E, torch):
        for on in (False, True):
            p = m.empty(3, 4).t().requires_grad_()
            with m.autograd.enforce_grad_layout_policy(on):
                (p * 3).backward(m.ones(4, 3))
            res.append(p.grad.stride())
    assert res[0] != res[1] and res[:2] == res[2:]


def test_small_names_as_pytorch():
    for m in (E, torch):
        A = m.autograd
        assert A.anomaly_mode.detect_anomaly is A.detect_anomaly
        assert A.anomaly_mode.set_detect_anomaly is A.set_detect_anomaly
        with pytest.raises(RuntimeError, match=r"torch.autograd.variable\(...\) is deprecated"):
            A.variable(m.zeros(1))
        y = m.zeros(2, requires_grad=True).exp()
        assert isinstance(y.grad_fn._raw_saved_result, A.SavedTensor)
        assert repr(y.grad_fn._raw_saved_result).startswith("<torch._C._autograd.SavedTensor object at")
    assert [(k, int(v)) for k, v in E.autograd.ProfilerState.__members__.items()] == \
        [(k, int(v)) for k, v in torch.autograd.ProfilerState.__members__.items()]
    assert sorted((k, int(v)) for k, v in E.autograd.DeviceType.__members__.items()) == \
        sorted((k, int(v)) for k, v in torch.autograd.DeviceType.__members__.items())
    assert repr(E.autograd.ProfilerState.CPU) == repr(torch.autograd.ProfilerState.CPU)
    assert str(E.autograd.DeviceType.Meta) == str(torch.autograd.DeviceType.Meta)
    assert E.autograd.ProfilerActivity.CPU is E.profiler.ProfilerActivity.CPU
    assert E.autograd.kineto_available() is False  # ember has no Kineto (PyTorch's build has)


def test_nested_io_function_fails_as_in_pytorch():
    out = []
    for m in (E, torch):
        class Mul(m.autograd.NestedIOFunction):
            def forward_extended(self, a, b):
                return a * b

            def backward_extended(self, g):
                return g, g

        x = m.randn(2, requires_grad=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out.append((_err(lambda Mul=Mul, x=x: Mul()(x, x)), _err(lambda Mul=Mul, x=x: Mul.apply(x, x))))
    assert out[0] == out[1] == ("AttributeError", "AttributeError")


def test_autograd_profiler_modules():
    P = E.autograd.profiler
    with P.profile() as prof:
        with P.record_function("block"):
            E.randn(3).sum()
    assert [e.key for e in prof.key_averages()] == ["block"]
    assert "block" in prof.table()
    with P.profile(enabled=False) as off:
        with P.record_function("x"):
            pass
    assert len(off.events()) == 0
    with pytest.warns(UserWarning, match="CUDA is not available, disabling CUDA profiling"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)
            with P.profile(use_cuda=True):
                pass
    assert E.autograd.profiler_util.EventList is E.profiler.EventList
    assert E.autograd.profiler_legacy.profile is P.profile
    with torch.autograd.profiler.profile() as tp:
        with torch.autograd.profiler.record_function("block"):
            torch.randn(3).sum()
    assert "block" in [e.key for e in tp.key_averages()]
