"""Element-wise random draws are made block by block straight into their result (kernels/rng.py ``_DRAW_BLOCK``):
over several blocks the numbers must still be PyTorch's, the generator must end in PyTorch's state, and the peak
extra memory must be PyTorch's (none beyond the result: the in-place fills write into the tensor).

PyTorch is the oracle for the numbers; the memory reference is PyTorch's figure (zero for ``x.uniform_()``,
``x.bernoulli_(p)``, ``x.random_()``; the result alone for ``rand``/``randint``; result plus mask for dropout),
measured with tracemalloc, which sees NumPy's allocations."""

from __future__ import annotations

import gc
import tracemalloc

import numpy as np
import pytest

import ember
from ember.kernels import rng

torch = pytest.importorskip("torch")

N = 2 * rng._DRAW_BLOCK + 12345  # three blocks, the last one partial

DRAWS = [
    ("rand", lambda T: T.rand(N)),
    ("rand float64", lambda T: T.rand(N, dtype=T.float64)),
    ("rand float16", lambda T: T.rand(N, dtype=T.float16)),
    ("randint small span", lambda T: T.randint(-3, 10, (N,))),
    ("randint wide span", lambda T: T.randint(0, 2**40, (N,))),
    ("randint int8", lambda T: T.randint(0, 100, (N,), dtype=T.int8)),
    ("uniform_(a, b)", lambda T: T.empty(N).uniform_(-2.5, 3.0)),
    ("uniform_ float64", lambda T: T.empty(N, dtype=T.float64).uniform_(1.0, 2.0)),
    ("random_()", lambda T: T.empty(N, dtype=T.int64).random_()),
    ("random_() float32", lambda T: T.empty(N).random_()),
    ("random_() int16", lambda T: T.empty(N, dtype=T.int16).random_()),
    ("random_(lo, hi)", lambda T: T.empty(N).random_(3, 17)),
    ("bernoulli_(p)", lambda T: T.empty(N).bernoulli_(0.3)),
    ("bernoulli(x, p)", lambda T: T.bernoulli(T.empty(N, dtype=T.float64), 0.7)),
    ("bernoulli_ of a transposed target", lambda T: T.empty(N // 3, 3).t().bernoulli_(0.5)),
    ("uniform_ of a transposed target", lambda T: T.empty(3, N // 3).t().uniform_()),
    ("dropout", lambda T: T.nn.functional.dropout(T.ones(N), 0.4)),
    ("normal_", lambda T: T.empty(N).normal_(0.5, 2.0)),
    ("normal_ of a tensor of 17", lambda T: T.empty(17).normal_()),
    ("normal_ of a tensor of 15", lambda T: T.empty(15).normal_()),
    ("normal_ float16", lambda T: T.empty(N, dtype=T.float16).normal_()),
    ("randn", lambda T: T.randn(N)),
]


def _np(t):
    return t.detach().numpy() if hasattr(t, "detach") else np.asarray(t)


@pytest.mark.parametrize("name,draw", DRAWS, ids=[d[0] for d in DRAWS])
def test_blocked_draws_are_pytorchs(name, draw):
    torch.manual_seed(123)
    ember.manual_seed(123)
    want, got = draw(torch), draw(ember)
    assert str(got.dtype) == str(want.dtype) and tuple(got.shape) == tuple(want.shape)
    np.testing.assert_array_equal(_np(got), _np(want))
    # and the generator goes on where PyTorch's does
    np.testing.assert_array_equal(ember.rand(5).numpy(), torch.rand(5).numpy())


def test_the_comparison_sees_one_wrong_number():
    """the check above fails when a single value across a block boundary differs"""
    torch.manual_seed(0)
    ember.manual_seed(0)
    got = ember.rand(N).numpy().copy()
    got[rng._DRAW_BLOCK] = np.nextafter(got[rng._DRAW_BLOCK], np.float32(1))
    with pytest.raises(AssertionError):
        np.testing.assert_array_equal(got, torch.rand(N).numpy())


BIG = 40 * rng._DRAW_BLOCK  # a block is 1/40 of the tensor


def _peak(fn, nbytes):
    gc.collect()
    tracemalloc.start()
    try:
        fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / nbytes


@pytest.mark.parametrize("name,fn,pytorch", [
    ("x.uniform_()", lambda x: x.uniform_(), 0.0),
    ("x.bernoulli_(0.5)", lambda x: x.bernoulli_(0.5), 0.0),
    ("x.random_(0, 10)", lambda x: x.random_(0, 10), 0.0),
    ("x.normal_()", lambda x: x.normal_(), 0.0),
    ("rand", lambda x: ember.rand(BIG), 1.0),
    ("dropout", lambda x: ember.nn.functional.dropout(x, 0.5), 2.0),  # the mask and the result
])
def test_draws_need_no_tensor_sized_temporaries(name, fn, pytorch):
    x = ember.zeros(BIG)
    assert _peak(lambda: fn(x), x.numel() * 4) <= pytorch + 0.2


def test_the_memory_check_sees_a_copy():
    x = ember.zeros(BIG)
    assert _peak(lambda: x.uniform_().clone(), x.numel() * 4) > 0.2
