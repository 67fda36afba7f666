"""arange, linspace, cumsum, sigmoid and clamp on large tensors: PyTorch's numbers, and no temporaries of several
times the result's size (PyTorch needs none beyond the result).

PyTorch is the oracle for the numbers (bit for bit, at PyTorch's default thread count, which decides how a long
arange is cut into vectors); the memory figures are PyTorch's (measured: the result alone), read with tracemalloc,
which sees NumPy's allocations."""

from __future__ import annotations

import gc
import tracemalloc

import numpy as np
import pytest

import ember
from ember.kernels import exact as F

torch = pytest.importorskip("torch")


@pytest.fixture(autouse=True)
def _torch_threads():
    before = torch.get_num_threads()
    torch.set_num_threads(F._THREADS)
    yield
    torch.set_num_threads(before)


def _same(got, want):
    g, w = got.numpy(), want.numpy()
    assert str(got.dtype) == str(want.dtype) and g.shape == w.shape
    bad = np.flatnonzero(~((g == w) | (np.isnan(g) & np.isnan(w))) if g.dtype.kind == "f" else g != w)
    assert bad.size == 0, f"{bad.size} of {g.size} differ, first at {bad[:5]}: {g[bad[:3]]} vs {w[bad[:3]]}"


ARANGES = [(0, 3, 0.1), (-5, 5, 0.001), (0, 20.5, 0.0001), (1.5, 1e6, 3.7), (0.3, 70001.7, 1.0), (0, 1000.37, 0.0123),
           (10, -10, -0.3), (2.5, 30, 1), (1, 1 + 32769 * 0.3, 0.3), (0, 1, 1e-6)]


@pytest.mark.parametrize("dt", ["float32", "float64"])
@pytest.mark.parametrize("start,end,step", ARANGES)
def test_arange_is_pytorchs(start, end, step, dt):
    _same(ember.arange(start, end, step, dtype=getattr(ember, dt)), torch.arange(start, end, step,
                                                                                 dtype=getattr(torch, dt)))


def test_arange_random_ranges():
    rng = np.random.default_rng(7)
    for _ in range(40):
        a = float(rng.uniform(-100, 100))
        st = float(rng.choice([-1, 1]) * 10 ** rng.uniform(-3, 1))
        n = int(rng.integers(1, 3000))
        for dt in ("float32", "float64"):
            _same(ember.arange(a, a + st * n, st, dtype=getattr(ember, dt)),
                  torch.arange(a, a + st * n, st, dtype=getattr(torch, dt)))
    _same(ember.arange(0, 10, 0.25), torch.arange(0, 10, 0.25))  # the default dtype
    _same(ember.arange(7, 300000, 3), torch.arange(7, 300000, 3))  # integers
    _same(ember.arange(0, 30000, dtype=ember.int16), torch.arange(0, 30000, dtype=torch.int16))


def test_the_comparison_sees_a_fused_multiply_add_missing():
    """arange(-5, 5, 0.001)[5000] is 1.0408e-16 in PyTorch (a fused multiply-add); start + i*step gives 0"""
    plain = ember.tensor((-5 + np.arange(10000, dtype=np.float64) * 0.001).astype(np.float32))
    with pytest.raises(AssertionError):
        _same(plain, torch.arange(-5, 5, 0.001))


LINSPACES = [(0, 1, 5), (0, 1, 100), (0, 1, 3000), (-3, 7, 1001), (0, 1, 70000), (-2.5, 100, 777), (5, -5, 2),
             (0, 60000, 70001), (1e4, -3e4, 123), (-3, 7, 200001)]


@pytest.mark.parametrize("dt", ["float32", "float16"])
@pytest.mark.parametrize("start,end,steps", LINSPACES)
def test_linspace_is_pytorchs(start, end, steps, dt):
    _same(ember.linspace(start, end, steps, dtype=getattr(ember, dt)),
          torch.linspace(start, end, steps, dtype=getattr(torch, dt)))


def test_cumsum_over_blocks_is_pytorchs():
    rng = np.random.default_rng(1)
    for shape, dim in [((300001,), 0), ((3, 70000), 1), ((70000, 3), 0), ((5, 300, 200), 1), ((5, 300, 200), 0)]:
        x = (rng.standard_normal(shape) * 100).astype(np.float32)
        _same(ember.tensor(x).cumsum(dim), torch.tensor(x).cumsum(dim))
        _same(ember.tensor(x).to(ember.float16).cumsum(dim), torch.tensor(x).to(torch.float16).cumsum(dim))


BIG = 1 << 22


def _peak(fn, nbytes):
    gc.collect()
    tracemalloc.start()
    try:
        fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / nbytes


@pytest.mark.parametrize("name,fn,result", [
    ("arange float32", lambda x: ember.arange(0, BIG * 0.5, 0.5), 1.0),
    ("arange int64", lambda x: ember.arange(BIG), 2.0),
    ("linspace", lambda x: ember.linspace(0, 1, BIG), 1.0),
    ("linspace float16", lambda x: ember.linspace(0, 1, BIG, dtype=ember.float16), 0.5),
    ("cumsum", lambda x: x.cumsum(0), 1.0),
    ("sigmoid", lambda x: x.sigmoid(), 1.0),
    ("clamp", lambda x: x.clamp(-0.5, 0.5), 1.0),
    ("x.bernoulli_(p) into x", lambda x: x.bernoulli_(0.5), 0.0),
])
def test_no_temporaries_of_the_results_size(name, fn, result):
    x = ember.randn(BIG)
    assert _peak(lambda: fn(x), BIG * 4) <= result + 0.2


def test_the_memory_check_sees_a_whole_size_temporary():
    x = ember.randn(BIG)
    assert _peak(lambda: (x * 2).sigmoid(), BIG * 4) > 1.2
