"""Catalogue entries of ember.ops.fft (see op_catalogue.py): every transform and shift on real inputs.

The catalogue's checks work on real tensors, so an entry whose transform gives a complex tensor returns its real
and imaginary parts (two real outputs, each checked: values, gradients, gradcheck, gradgradcheck, forward-mode
tangents); the complex-to-real transforms (irfft, hfft, ...) take the real input as PyTorch does, converting it
to complex first. Complex inputs, the transforms' own grad_fn graphs and complex gradients are checked in
tests/test_fft.py."""

from __future__ import annotations

import numpy as np
from op_catalogue import Layout, OpInfo, Sample, uniform


def _parts(y):
    return (y.real, y.imag) if y.is_complex() else y


ONE_D_KW = ({}, {"n": 3}, {"n": 8}, {"dim": 0}, {"norm": "ortho"}, {"norm": "forward"})
N_D_KW = ({}, {"s": (2, 5)}, {"dim": (0, -1)}, {"norm": "ortho"}, {"norm": "forward", "s": (3, -1)})


def _samples(kws, shape, extra):
    def gen(rng, dtype):
        for kw in kws:
            yield Sample((uniform(rng, shape, dtype),), dict(kw), name=f"{shape}{kw}")
        yield Sample((uniform(rng, extra, dtype),), name=f"{extra}")
        yield Sample((Layout(uniform(rng, (4, 3), dtype), "T"),), name="T")
        yield Sample((uniform(rng, (3, 4), np.int64, -3, 3),), name="int64", forward_only=True)
    return gen


def _errors(name, nd):
    def gen(rng, dtype):
        yield Sample((uniform(rng, (3, 4), dtype),), {"norm": "bad"}, name="norm")
        if nd:
            yield Sample((uniform(rng, (3, 4), dtype),), {"s": (2, 2, 2)}, name="s too long")
            yield Sample((uniform(rng, (3, 4), dtype),), {"dim": (0, 0)}, name="repeated dim")
        else:
            yield Sample((uniform(rng, (3, 4), dtype),), {"n": 0}, name="n = 0")
            yield Sample((uniform(rng, (3, 4), dtype),), {"dim": 2}, name="dim out of range")
    return gen


def _transform(name):
    nd = name not in ("fft", "ifft", "rfft", "irfft", "hfft", "ihfft")
    kws = N_D_KW if nd else ONE_D_KW
    shape, extra = ((3, 4), (2, 2, 3)) if nd else ((3, 4), (5,))
    return OpInfo(name, lambda lib, x, **kw: _parts(getattr(lib.fft, name)(x, **kw)), _samples(kws, shape, extra),
                  covers=(f"fft.{name}",), errors=_errors(name, nd))


def _shift_samples(rng, dtype):
    for shape, kw in (((5,), {}), ((3, 4), {}), ((3, 4), {"dim": 0}), ((2, 3, 4), {"dim": (-1, 0)}),
                      ((3, 4), {"dim": -1})):
        yield Sample((uniform(rng, shape, dtype),), kw, name=f"{shape}{kw}")


def _shift(name):
    return OpInfo(name, lambda lib, x, **kw: getattr(lib.fft, name)(x, **kw), _shift_samples,
                  covers=(f"fft.{name}",),
                  errors=lambda rng, dtype: [Sample((uniform(rng, (3, 4), dtype),), {"dim": 3}, name="dim")])


ENTRIES = [_transform(n) for n in ("fft", "ifft", "rfft", "irfft", "hfft", "ihfft", "fft2", "ifft2", "fftn",
                                   "ifftn", "rfft2", "irfft2", "rfftn", "irfftn", "hfft2", "ihfft2", "hfftn",
                                   "ihfftn")] + [_shift("fftshift"), _shift("ifftshift")]
