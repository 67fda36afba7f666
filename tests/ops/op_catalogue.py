"""The op catalogue: one ``OpInfo`` per public op, and the checks every entry gets (PyTorch's OpInfo is the model).

An entry holds the op written once for both libraries (``op(lib, *args, **kwargs)`` with ``lib`` the module,
``torch`` or ``ember``), a generator of sample inputs (NumPy arrays become tensors of the checked dtype; other
values pass as they are), and flags. ``test_catalogue.py`` runs every check over every entry's samples:

* forward: values, dtype, shape against PyTorch (bit for bit where ``exact``), in each dtype of ``dtypes``;
* requires_grad and grad_fn name of the outputs against PyTorch's (an op that silently detaches is a wrong
  gradient);
* backward: gradients of ⟨outputs, v⟩ against PyTorch's, float64;
* gradcheck and gradgradcheck: against float64 central finite differences (first and second order);
* forward mode: the tangent of a dual input against PyTorch's forward AD, and ⟨J v, u⟩ = ⟨v, Jᵀ u⟩, the identity
  that ties the tangent to ember's own backward;
* in place: the ``inplace`` method's result and first and second derivatives equal the op's;
* bad input (``errors``): PyTorch's error class and message, raised before anything changes.

Where PyTorch is not installed, the PyTorch side comes from recorded fixtures (``tests/fixtures/catalogue/``,
written by ``record_catalogue.py``). Entries live in ``catalogue_<family>.py`` files beside this one, mirroring
``src/ember/ops/<family>.py``; ``ENTRIES`` collects them. A new op is tested by adding its entry.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

FLOAT = (np.float32, np.float64)


@dataclasses.dataclass
class Sample:
    """One call: ``args`` (arrays become tensors), ``kwargs``; ``grad`` lists the args that require grad (default:
    every floating array); ``name`` shows in test ids; ``forward_only`` samples (special values, ties, empty
    inputs) are checked for values only."""

    args: tuple
    kwargs: dict = dataclasses.field(default_factory=dict)
    name: str = ""
    grad: tuple | None = None
    forward_only: bool = False

    def grad_positions(self) -> tuple:
        if self.grad is not None:
            return self.grad
        return tuple(i for i, a in enumerate(self.args)
                     if isinstance(a, (np.ndarray, Layout)) and a.dtype.kind == "f")


@dataclasses.dataclass
class OpInfo:
    """A public op and how to check it. ``covers`` names the public spellings the entry stands for (torch
    functions ``"exp"``, methods ``"Tensor.exp"``, in-place ``"Tensor.exp_"``, ``"nn.functional.gelu"`` ...)."""

    name: str
    op: Callable[..., Any]
    samples: Callable[[np.random.Generator, Any], Iterable[Sample]]
    covers: tuple = ()
    dtypes: tuple = FLOAT
    grad: bool = True
    gradgrad: bool = True
    forward_ad: bool = True
    inplace: str | None = None
    exact: bool = False
    rtol: float | None = None
    atol: float | None = None
    gradcheck_atol: float = 1e-5
    gradcheck_rtol: float = 1e-3
    errors: Callable[[np.random.Generator, Any], Iterable[Sample]] | None = None  # bad calls: PyTorch's error
    skip: dict = dataclasses.field(default_factory=dict)  # check name -> reason
    # known failures, to be fixed where the op is being rewritten: "check" or "check/dtype" -> what differs. The
    # check runs as a strict xfail (it must fail: once fixed, the mark has to go); test_known_failures prints them
    known: dict = dataclasses.field(default_factory=dict)

    def known_failure(self, check: str, dtype) -> str | None:
        return self.known.get(f"{check}/{np.dtype(dtype).name}") or self.known.get(check)

    def rng(self, dtype) -> np.random.Generator:
        """A generator seeded by the entry's name and dtype: the same samples in every run and in the fixtures."""
        key = f"{self.name}/{np.dtype(dtype).name}".encode()
        return np.random.default_rng(int.from_bytes(hashlib.sha256(key).digest()[:8], "little"))

    def sample_list(self, dtype) -> list:
        return list(self.samples(self.rng(dtype), dtype))

    def error_list(self, dtype) -> list:
        return [] if self.errors is None else list(self.errors(self.rng(dtype), dtype))


# -- sample generators shared by the families ----------------------------------------------------------------------

def uniform(rng, shape, dtype, lo=-2.0, hi=2.0):
    """Values in [lo, hi) of ``dtype`` (integers and bools for those dtypes)."""
    dt = np.dtype(dtype)
    if dt.kind in "iu":
        return np.asarray(rng.integers(int(lo), int(hi) + 1, size=shape), dtype=dt)
    if dt.kind == "b":
        return np.asarray(rng.random(shape) < 0.5)
    return np.asarray(rng.random(shape) * (hi - lo) + lo, dtype=dt)


SHAPES = ((), (5,), (2, 3))


class Layout:
    """A non-contiguous input: the tensor made from ``base`` seen through ``kind`` ("T": ``t.t()``; "strided":
    ``t[::2]``), so an op meets the layouts real programs give it (the leaf that requires grad is ``base``)."""

    def __init__(self, base: np.ndarray, kind: str):
        self.base, self.kind = base, kind

    def view(self, t):
        return t.t() if self.kind == "T" else t[::2]

    @property
    def dtype(self):
        return self.base.dtype


def layouts(x: np.ndarray) -> list:
    """``x`` as is, then the same values through a transposed and a strided view, where its shape allows."""
    out = [("", x)]
    if x.ndim == 2:
        out.append(("T", Layout(np.ascontiguousarray(x.T), "T")))
    if x.ndim == 1 and x.size >= 2:
        out.append(("strided", Layout(np.repeat(x, 2), "strided")))
    return out


def unary_samples(lo=-2.0, hi=2.0, special=True, integers=True):
    """Samples of a one-input elementwise op on (lo, hi): 0-d, vector, matrix, transposed, strided; then special
    values (nan, ±inf, ±0) and an empty input for the forward only; integer inputs for the forward only."""
    def gen(rng, dtype):
        for shape in SHAPES:
            for tag, x in layouts(uniform(rng, shape, dtype, lo, hi)):
                yield Sample((x,), name=f"{shape}{tag}")
        if np.dtype(dtype).kind == "f":
            if special:
                yield Sample((np.array([np.nan, np.inf, -np.inf, 0.0, -0.0, lo, hi], dtype=dtype),), name="special",
                             forward_only=True)
            yield Sample((np.zeros((0, 3), dtype=dtype),), name="empty", forward_only=True)
            if integers:
                yield Sample((uniform(rng, (4,), np.int64, max(lo, -3), min(hi, 3)),), name="int64",
                             forward_only=True)
    return gen


def binary_samples(lo=-2.0, hi=2.0, b_lo=None, b_hi=None, scalar=True):
    """Samples of a two-input elementwise op: same shapes, broadcasting both ways, 0-d with vector, a Python
    number as the second operand; the second operand in (b_lo, b_hi) when given (a divisor away from 0 ...)."""
    b_lo = lo if b_lo is None else b_lo
    b_hi = hi if b_hi is None else b_hi

    def gen(rng, dtype):
        pairs = (((5,), (5,)), ((2, 3), (2, 3)), ((2, 3), (3,)), ((3, 1), (1, 4)), ((), (4,)), ((4,), ()))
        for sa, sb in pairs:
            yield Sample((uniform(rng, sa, dtype, lo, hi), uniform(rng, sb, dtype, b_lo, b_hi)), name=f"{sa}{sb}")
        a = uniform(rng, (3, 2), dtype, lo, hi)
        yield Sample((Layout(a, "T"), uniform(rng, (2, 3), dtype, b_lo, b_hi)), name="T")
        if scalar:
            yield Sample((uniform(rng, (4,), dtype, lo, hi), float(uniform(rng, (), np.float64, b_lo, b_hi))),
                         name="scalar")
    return gen


def entries_by_name(entries) -> dict:
    out = {}
    for e in entries:
        if e.name in out:
            raise ValueError(f"two catalogue entries are called {e.name!r}")
        out[e.name] = e
    return out
