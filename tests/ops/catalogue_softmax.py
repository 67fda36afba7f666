"""Catalogue entries of ember.ops.softmax (see op_catalogue.py): softmax and log_softmax along a dim."""

from __future__ import annotations

import numpy as np
from catalogue_reduce import SPECIAL, _is_float
from op_catalogue import Layout, OpInfo, Sample, uniform


def _softmax_samples(rng, dtype):
    x3 = uniform(rng, (2, 3, 2), dtype)
    yield Sample((x3, 1), name="dim 1")
    yield Sample((uniform(rng, (5,), dtype), 0), name="1-d")
    yield Sample((Layout(uniform(rng, (4, 3), dtype), "T"), 0), name="T")
    yield Sample((x3, -1), name="dim -1")
    yield Sample((x3, 0), name="dim 0")
    yield Sample((Layout(np.repeat(uniform(rng, (3,), dtype), 2), "strided"), 0), name="strided")
    yield Sample((uniform(rng, (), dtype), 0), name="0-d")
    yield Sample((uniform(rng, (2, 3), dtype, 50.0, 90.0), 1), name="large")
    if _is_float(dtype):
        yield Sample((np.stack([SPECIAL, SPECIAL[::-1]]).astype(dtype), 1), name="special", forward_only=True)
        yield Sample((np.array([[-np.inf, -np.inf, 0.0], [-np.inf, 1.0, 2.0]], dtype=dtype), 1), name="-inf",
                     forward_only=True)
        yield Sample((np.zeros((0, 3), dtype=dtype), 1), name="empty", forward_only=True)


def _errors(rng, dtype):
    yield Sample((uniform(rng, (2, 3), dtype), 2), name="dim out of range")
    yield Sample((np.array([[1, 2], [3, 4]]), 1), name="int64")
    yield Sample((np.array([[1, 2], [3, 4]]), 0), name="int64 dim 0")


def _with_dtype(name):
    def op(lib, x, dim):
        return getattr(lib, name)(x, dim, dtype=lib.float64)
    return op


def _int_with_dtype(name):
    def op(lib, x, dim):
        return getattr(lib, name)(x, dim, dtype=lib.float32)
    return op


_INT = lambda rng, dtype: [Sample((np.array([[1, 2], [3, 5]]), 1), name="int64")]  # noqa: E731


ENTRIES = [
    OpInfo("softmax", lambda lib, x, dim: lib.softmax(x, dim), _softmax_samples, covers=("softmax", "Tensor.softmax"),
           errors=_errors),
    OpInfo("log_softmax", lambda lib, x, dim: lib.log_softmax(x, dim), _softmax_samples,
           covers=("log_softmax", "Tensor.log_softmax"), errors=_errors),
    OpInfo("special.log_softmax", lambda lib, x, dim: lib.special.log_softmax(x, dim), _softmax_samples,
           covers=("special.log_softmax",)),
    OpInfo("softmax(dtype)", _with_dtype("softmax"), lambda rng, dtype: [Sample((uniform(rng, (3, 4), dtype), 1))],
           covers=(), dtypes=(np.float32,)),
    OpInfo("log_softmax(dtype)", _with_dtype("log_softmax"),
           lambda rng, dtype: [Sample((uniform(rng, (3, 4), dtype), 1))], covers=(), dtypes=(np.float32,)),
    OpInfo("softmax(int, dtype)", _int_with_dtype("softmax"), _INT, covers=(), grad=False, dtypes=(np.int64,)),
    OpInfo("log_softmax(int, dtype)", _int_with_dtype("log_softmax"), _INT, covers=(), grad=False,
           dtypes=(np.int64,)),
]
