"""Quantized tensors (ember.ops.quantize) against PyTorch 2.13: the same script run through both libraries prints
the same transcript. tests/fixtures/quantize_torch.txt is PyTorch's transcript, recorded (the core test runs
without torch); the torch test checks the recording is still what PyTorch prints. Rewrite it with
``python tests/test_quantize.py``."""

from __future__ import annotations

import contextlib
import io
import pathlib
import sys
import warnings

import numpy as np
import pytest
from transcripts import first_difference

import ember

FIXTURE = pathlib.Path(__file__).parent / "fixtures" / "quantize_torch.txt"
OBSERVER = pathlib.Path(__file__).parent / "fixtures" / "quantize_observer_torch.txt"


def transcript(torch) -> str:
    """What a quantization session prints: values, parameters, printing, errors, and sums over random data."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        x = torch.tensor([0.1, -0.5, 1.27, 3.0])
        q = torch.quantize_per_tensor(x, 0.1, 10, torch.quint8)
        print(q)
        print(repr(q.dtype), q.qscheme(), q.q_scale(), q.q_zero_point(), q.int_repr(), q.dequantize())
        w = torch.tensor([[0.31, -0.52, 1.0], [2.0, -3.0, 0.05]])
        p = torch.quantize_per_channel(w, torch.tensor([0.1, 0.2]), torch.tensor([0, 3]), 0, torch.qint8)
        print(p)
        print(p.q_per_channel_scales(), p.q_per_channel_zero_points(), p.q_per_channel_axis(), p.qscheme(),
              p.dequantize().dtype)
        print(torch.quantize_per_tensor(torch.zeros(2, 2), 0.5, 0, torch.qint32))
        print(torch.quantize_per_tensor([x, x], torch.tensor([0.1, 0.2]), torch.tensor([1, 2]), torch.qint8))
        print(torch.quantize_per_tensor_dynamic(x, torch.quint8, False))
        print(torch.quantize_per_tensor_dynamic(x, torch.qint8, True))
        print(torch.quantize_per_tensor(x, torch.tensor(0.1), torch.tensor(10), torch.quint8))
        print(torch.per_tensor_affine, torch.qscheme.__name__, [torch.per_channel_affine, torch.per_tensor_symmetric,
              torch.per_channel_symmetric, torch.per_channel_affine_float_qparams])
        print(isinstance(torch.per_tensor_affine, torch.qscheme), torch.quint8.is_floating_point, torch.qint32.itemsize)
        print(q[1:], q.reshape(2, 2), q.clone(), q.element_size(), q.is_quantized, q.shape, q.requires_grad)
        print(torch.empty_quantized([2], q).int_repr().shape, torch.empty_quantized([3], q).q_zero_point())
        print(torch.quantize_per_tensor(torch.tensor([]), 0.1, 3, torch.qint8))
        print(torch.quantize_per_tensor(torch.tensor([0.05, 0.15, 0.25, 1e9, -1e9]), 0.1, 10, torch.quint8).int_repr())
        print(torch.quantize_per_tensor(torch.tensor([0.05, 0.15, 0.25, 1e9, -1e9]), 0.1, 3, torch.qint8).int_repr())
        for f in (lambda: q + q, lambda: q * 2, lambda: q.q_per_channel_scales(), lambda: x.q_scale(),
                  lambda: x.int_repr(), lambda: torch.quantize_per_tensor(x, 0.1, 10, torch.float32),
                  lambda: torch.quantize_per_tensor(x.long(), 0.1, 10, torch.quint8), lambda: p.q_scale(),
                  lambda: q.requires_grad_(), lambda: torch.quantize_per_tensor(x.double(), 0.1, 10, torch.quint8)):
            try:
                print(f())
            except Exception as e:  # noqa: BLE001 - the class and message are what is compared
                print(type(e).__name__, str(e)[:100])
        print(torch.dequantize(q), torch.int_repr(q), torch.q_scale(q), x.dequantize() is x, torch.dequantize([q, q]))
        rng = np.random.default_rng(0)
        for dt in (torch.quint8, torch.qint8, torch.qint32):
            for s, z in ((0.1, 3), (0.037, 7 if dt is torch.quint8 else -5), (1e-3, 100)):
                a = torch.tensor(rng.standard_normal(2000).astype(np.float32) * 3)
                t = torch.quantize_per_tensor(a, s, z, dt)
                print(t.int_repr().tolist() == t.int_repr().tolist(), int(t.int_repr().double().sum()),
                      float(t.dequantize().double().sum()))
                print(hash(tuple(t.int_repr().tolist())) % 1000003)
            a = torch.tensor(rng.standard_normal((4, 500)).astype(np.float32))
            pc = torch.quantize_per_channel(a, torch.tensor([0.1, 0.03, 0.007, 1.1], dtype=torch.float64),
                                            torch.tensor([0, 3, 1, 2]), 0, dt)
            print(hash(tuple(pc.int_repr().flatten().tolist())) % 1000003, float(pc.dequantize().double().sum()))
            dd = torch.quantize_per_tensor_dynamic(a, torch.quint8, False)
            print(dd.q_scale(), dd.q_zero_point())
        a = torch.tensor(rng.standard_normal((2, 3, 6, 7)).astype(np.float32))  # kernels on quantized tensors
        q = torch.quantize_per_tensor(a, 0.05, 7, torch.quint8)
        print(torch.quantized_max_pool2d(q, [2, 2]).int_repr().sum().item(),
              torch.quantized_max_pool2d(q, [3, 2], [2, 1], [1, 1], 1, True).int_repr().sum().item())
        print(torch.quantized_max_pool2d(q, [2, 2])[0, 0])
        q1 = torch.quantize_per_tensor(a.reshape(2, 3, 42), 0.05, -3, torch.qint8)
        print(torch.quantized_max_pool1d(q1, [3], [2]).int_repr().sum().item(), torch.quantized_max_pool1d(q1, [3], [2]).shape)
        q3 = torch.quantize_per_tensor(a.reshape(1, 2, 3, 6, 7), 0.05, -3, torch.qint8)
        print(torch.quantized_max_pool3d(q3, [2, 2, 2]).int_repr().sum().item(), torch.quantized_max_pool3d(q3, [2, 2, 2]).q_scale())
        w, b, m, v = [torch.tensor(rng.standard_normal(3).astype(np.float32)) for _ in range(4)]
        bn = torch.quantized_batch_norm(q, w, b, m, v.abs(), 1e-5, 0.07, 60)
        print(bn.int_repr().sum().item(), bn.q_scale(), bn.q_zero_point(), bn.dtype, bn[0, 0, :2])
        for f in (lambda: torch.quantized_max_pool1d(a[0], [2]), lambda: torch.quantized_batch_norm(a, w, b, m, v, 1e-5, 0.1, 1)):
            try:
                print(f())
            except Exception as e:  # noqa: BLE001
                print(type(e).__name__, str(e)[:100])
    return out.getvalue()


def observer_transcript(torch) -> str:
    """fused_moving_avg_obs_fake_quant: the running range, the chosen scale and zero point (written into the
    given tensors), the output and its straight-through gradient, per tensor and per row, over several steps."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        x=torch.tensor([[0.5,-1.0,2.0],[3.0,0.1,-0.2]], requires_grad=True)
        ob=torch.tensor([1])
        fq=torch.tensor([1])
        rmin=torch.tensor([float('inf')]*2)
        rmax=torch.tensor([float('-inf')]*2)
        sc=torch.tensor([1.0]*2)
        zp=torch.tensor([0]*2,dtype=torch.int32)
        y=torch.fused_moving_avg_obs_fake_quant(x, ob, fq, rmin, rmax, sc, zp, 0.01, 0, 255, 0, True, True)
        print(y, rmin, rmax, sc, zp, rmin._version, sc._version)
        y.sum().backward()
        print(x.grad)
        rmin=torch.tensor(float('inf'))
        rmax=torch.tensor(float('-inf'))
        sc=torch.tensor([1.0])
        zp=torch.tensor([0])
        y=torch.fused_moving_avg_obs_fake_quant(x, torch.tensor([0]), fq, rmin, rmax, sc, zp, 0.01, 0, 255, 0)
        print(y, rmin, sc, zp)
        y=torch.fused_moving_avg_obs_fake_quant(x, ob, torch.tensor([0]), rmin, rmax, sc, zp, 0.01, 0, 255, 0)
        print(y, rmin, sc, zp)
        y=torch.fused_moving_avg_obs_fake_quant(x, ob, fq, rmin, rmax, sc, zp, 0.01, -128, 127, 0, False, True)
        print(y, rmin, sc, zp)
        rng=np.random.default_rng(3)
        rmin=torch.tensor(float('inf'))
        rmax=torch.tensor(float('-inf'))
        sc=torch.tensor([1.0])
        zp=torch.tensor([0])
        for i in range(5):
            a=torch.tensor((rng.standard_normal((4,50))*(1+i)).astype(np.float32), requires_grad=True)
            y=torch.fused_moving_avg_obs_fake_quant(a, ob, fq, rmin, rmax, sc, zp, 0.1, 0, 255, 0)
            y.sum().backward()
            print(rmin.item(), rmax.item(), sc.item(), zp.item(), y.double().sum().item(), a.grad.sum().item())
        rmin=torch.tensor([float('inf')]*4)
        rmax=torch.tensor([float('-inf')]*4)
        sc=torch.ones(4)
        zp=torch.zeros(4, dtype=torch.int32)
        for i in range(3):
            a=torch.tensor((rng.standard_normal((4,50))*(1+i)).astype(np.float32))
            y=torch.fused_moving_avg_obs_fake_quant(a, ob, fq, rmin, rmax, sc, zp, 0.1, -128, 127, 0, True, False)
            print(rmin.tolist(), sc.tolist(), zp.tolist(), y.double().sum().item())
        rmin=torch.tensor(float('inf'))
        rmax=torch.tensor(float('-inf'))
        sc=torch.tensor([1.0])
        zp=torch.tensor([0])
        print(torch.fused_moving_avg_obs_fake_quant(torch.tensor([1e-7, 2e-7]), ob, fq, rmin, rmax, sc, zp, 0.1, 0, 255, 0), sc, zp)
    return out.getvalue()


def test_ember_prints_what_pytorch_printed():
    assert first_difference(transcript(ember), FIXTURE.read_text()) is None


def test_the_recording_is_what_pytorch_prints():
    torch = pytest.importorskip("torch")
    assert first_difference(transcript(torch), FIXTURE.read_text()) is None


def test_the_observer_matches_pytorchs_recording():
    assert first_difference(observer_transcript(ember), OBSERVER.read_text()) is None


def test_the_observer_recording_is_what_pytorch_prints():
    torch = pytest.importorskip("torch")
    assert first_difference(observer_transcript(torch), OBSERVER.read_text()) is None


def test_the_comparison_sees_a_changed_digit_and_a_missing_line():
    want = FIXTURE.read_text()
    assert first_difference(want.replace("zero_point=10", "zero_point=11", 1), want)[0] == 2
    assert first_difference(want.rsplit("\n", 2)[0], want) is not None


def test_the_deprecation_warning_comes_once_per_process():
    from ember.ops import quantize
    quantize._WARNED.clear()
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        ember.quantize_per_tensor(ember.zeros(2), 0.1, 0, ember.quint8)
        ember.quantize_per_channel(ember.zeros(2, 2), ember.tensor([1.0, 1.0]), ember.tensor([0, 0]), 0, ember.qint8)
    assert [str(w.message)[:40] for w in seen] == ["torch.quantize_per_tensor, torch.quantiz"]
    assert seen[0].category is UserWarning and seen[0].filename == __file__


def test_bad_arguments_raise_before_anything_is_made():
    x = ember.zeros(2, 3)
    with pytest.raises(RuntimeError, match="length of scales must equal to channel, expected 2 got, 3"):
        ember.quantize_per_channel(x, ember.ones(3), ember.zeros(2, dtype=ember.int64), 0, ember.qint8)
    with pytest.raises(IndexError, match="Dimension out of range"):
        ember.quantize_per_channel(x, ember.ones(2), ember.zeros(2, dtype=ember.int64), 2, ember.qint8)


def test_fake_quantize_matches_quantize_then_dequantize_and_passes_gradients_straight_through():
    """fake_quantize_per_tensor_affine is dequantize(quantize_per_tensor(x)) in value; its gradient is 1 where
    nothing was clamped, 0 elsewhere (PyTorch's straight-through estimator)."""
    x = ember.tensor([-30.0, -0.26, 0.04, 0.17, 1.0, 30.0], requires_grad=True)  # no ties: PyTorch's two
    # kernels round a tie differently (fake_quantize rounds x / scale before adding the zero point)
    y = ember.fake_quantize_per_tensor_affine(x, 0.1, 3, -128, 127)
    ref = ember.quantize_per_tensor(x.detach(), 0.1, 3, ember.qint8).dequantize()
    assert y.tolist() == ref.tolist()
    y.sum().backward()
    assert x.grad.tolist() == [0.0, 1.0, 1.0, 1.0, 1.0, 0.0]
    torch = pytest.importorskip("torch")
    tx = torch.tensor(x.detach().tolist(), requires_grad=True)
    torch.fake_quantize_per_tensor_affine(tx, 0.1, 3, -128, 127).sum().backward()
    assert tx.grad.tolist() == x.grad.tolist()


if __name__ == "__main__":
    import torch as _torch
    FIXTURE.write_text(transcript(_torch))
    OBSERVER.write_text(observer_transcript(_torch))
    print(f"wrote {FIXTURE}", file=sys.stderr)
