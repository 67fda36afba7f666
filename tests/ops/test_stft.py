"""torch.stft and torch.istft (ember.ops.stft) against PyTorch: values, shapes, dtypes, warnings, errors and
gradients, over centring, padding modes, windows shorter than n_fft, one- and two-sided spectra, normalisation."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import ember

torch = pytest.importorskip("torch")

RNG = np.random.default_rng(0)

CASES = [{}, {"hop_length": 3}, {"win_length": 10, "window": True}, {"center": False}, {"normalized": True},
         {"onesided": False}, {"pad_mode": "constant"}, {"pad_mode": "replicate"}, {"window": True, "hop_length": 4}]


def _run(lib, x, kw, dtype):
    kw = dict(kw)
    if kw.pop("window", False):
        kw["window"] = lib.hann_window(kw.get("win_length", 16), dtype=dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return lib.stft(x, 16, return_complex=True, **kw), kw


@pytest.mark.parametrize("kw", CASES)
@pytest.mark.parametrize("shape,dtype", [((100,), "float32"), ((2, 100), "float64")])
def test_stft_and_istft_match_pytorch(kw, shape, dtype):
    x = RNG.standard_normal(shape).astype(dtype)
    ex, tx = ember.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    (e, ekw), (t, tkw) = _run(ember, ex, kw, getattr(ember, dtype)), _run(torch, tx, kw, getattr(torch, dtype))
    tol = 1e-5 if dtype == "float32" else 1e-12
    assert tuple(e.shape) == tuple(t.shape) and str(e.dtype) == str(t.dtype)
    np.testing.assert_allclose(e.detach().numpy(), t.detach().numpy(), rtol=tol, atol=tol)
    w = RNG.standard_normal(tuple(t.shape))
    (e.abs() * ember.tensor(w)).sum().backward()
    (t.abs() * torch.tensor(w)).sum().backward()
    np.testing.assert_allclose(ex.grad.numpy(), tx.grad.numpy(), rtol=10 * tol, atol=10 * tol)
    if kw.get("center", True) and "pad_mode" not in kw:
        ikw = {k: v for k, v in ekw.items()}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ei = ember.istft(e.detach(), 16, **ikw)
            ti = torch.istft(t.detach(), 16, **{k: v for k, v in tkw.items()})
            ei2 = ember.istft(e.detach(), 16, length=shape[-1], **ikw)
            ti2 = torch.istft(t.detach(), 16, length=shape[-1], **{k: v for k, v in tkw.items()})
        for a, b in ((ei, ti), (ei2, ti2)):
            assert tuple(a.shape) == tuple(b.shape) and str(a.dtype) == str(b.dtype)
            np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=tol, atol=tol)
        np.testing.assert_allclose(ei2.numpy(), x, rtol=10 * tol, atol=10 * tol)  # the inversion is lossless


def test_istft_gradient_matches_pytorch():
    x = RNG.standard_normal(64)
    spec = torch.stft(torch.tensor(x), 16, window=torch.hann_window(16, dtype=torch.float64), return_complex=True)
    es, ts = ember.tensor(spec.numpy(), requires_grad=True), spec.clone().requires_grad_()
    e = ember.istft(es, 16, window=ember.hann_window(16, dtype=ember.float64))
    t = torch.istft(ts, 16, window=torch.hann_window(16, dtype=torch.float64))
    (e * e).sum().backward()
    (t * t).sum().backward()
    np.testing.assert_allclose(es.grad.numpy(), ts.grad.numpy(), rtol=1e-10, atol=1e-10)


def test_return_complex_false_and_the_warnings():
    x = RNG.standard_normal(50).astype(np.float32)
    with warnings.catch_warnings(record=True) as er:
        warnings.simplefilter("always")
        e = ember.stft(ember.tensor(x), 8, return_complex=False)
    with warnings.catch_warnings(record=True) as tr:
        warnings.simplefilter("always")
        t = torch.stft(torch.tensor(x), 8, return_complex=False)
    assert tuple(e.shape) == tuple(t.shape) and e.dtype == ember.float32
    np.testing.assert_allclose(e.numpy(), t.numpy(), rtol=1e-5, atol=1e-5)
    er = [w for w in er if "return_complex" in str(w.message)]  # PyTorch warns of the window once a process
    tr = [w for w in tr if "return_complex" in str(w.message)]
    assert len(er) == len(tr) == 1
    for a, b in zip(er, tr):  # PyTorch's end with the C++ line that warned
        assert str(b.message).startswith(str(a.message)) and a.category is b.category
    assert ember.tensor(x).stft(8, window=ember.ones(8), return_complex=True).shape == (5, 26)


@pytest.mark.parametrize("call", [
    lambda L: L.stft(L.ones(40), 8),
    lambda L: L.stft(L.ones(2, 3, 40), 8, return_complex=True),
    lambda L: L.stft(L.ones(40), 8, win_length=10, return_complex=True),
    lambda L: L.stft(L.ones(40), 8, window=L.ones(5), return_complex=True),
    lambda L: L.stft(L.ones(40), 80, return_complex=True),
    lambda L: L.stft(L.ones(40), 8, hop_length=0, return_complex=True),
    lambda L: L.stft(L.ones(40), 50, center=False, return_complex=True),
    lambda L: L.istft(L.ones(5, 9), 8),
    lambda L: L.istft(L.stft(L.ones(100, dtype=L.float64), 16, window=L.hann_window(10, dtype=L.float64),
                             win_length=10, return_complex=True),
                      16, window=L.hann_window(10, dtype=L.float64), win_length=10, length=107),
])
def test_errors_as_pytorch(call):
    def run(lib):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                call(lib)
            except RuntimeError as err:
                return str(err)
        return None
    assert run(ember) == run(torch) is not None
