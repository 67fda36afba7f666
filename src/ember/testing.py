"""``torch.testing``: assert_close with PyTorch's default tolerances and failure messages."""

from __future__ import annotations

import collections.abc
import math
import numbers
import warnings

import numpy as np

import ember as _ember

from ._core.tensor import Tensor
from ._not_offered import NotOfferedError

__all__ = ["assert_close", "assert_allclose", "make_tensor", "FileCheck"]

# (rtol, atol) by dtype, as PyTorch's defaults; integers and bools compare exactly
_TOLERANCES = {np.dtype(np.float16): (1e-3, 1e-5), np.dtype(np.float32): (1.3e-6, 1e-5),
               np.dtype(np.float64): (1e-7, 1e-7), np.dtype(np.complex64): (1.3e-6, 1e-5),
               np.dtype(np.complex128): (1e-7, 1e-7)}


def _fmt(v) -> str:
    return repr(float(v)) if not isinstance(v, (int, np.integer)) else str(int(v))


def _compare_arrays(a: np.ndarray, e: np.ndarray, rtol, atol, equal_nan, what: str, msg):
    if rtol is None:
        rtol, atol = _TOLERANCES.get(a.dtype, (0.0, 0.0))
    with np.errstate(all="ignore"):
        close = np.isclose(a, e, rtol=rtol, atol=atol, equal_nan=equal_nan) if a.dtype.kind in "fc" else a == e
    if bool(np.all(close)):
        return
    if msg is not None:
        raise AssertionError(msg)
    exact = rtol == 0 and atol == 0
    a64, e64 = a.astype(np.float64), e.astype(np.float64)
    with np.errstate(all="ignore"):
        adiff = np.abs(a64 - e64)
        rdiff = adiff / np.abs(e64)
    bad = ~close
    adiff_m = np.where(bad, adiff, -np.inf)
    rdiff_m = np.where(bad, rdiff, -np.inf)
    if np.isnan(adiff_m).any():
        ia = np.unravel_index(int(np.argmax(np.isnan(adiff_m))), a.shape) if a.ndim else ()
    else:
        ia = np.unravel_index(int(np.argmax(adiff_m)), a.shape) if a.ndim else ()
    if np.isnan(rdiff_m).any():
        ir = np.unravel_index(int(np.argmax(np.isnan(rdiff_m))), a.shape) if a.ndim else ()
    else:
        ir = np.unravel_index(int(np.argmax(rdiff_m)), a.shape) if a.ndim else ()
    verb = "equal" if exact else "close"
    n_bad, total = int(bad.sum()), a.size

    def idx(i):
        return "(" + ", ".join(str(int(k)) for k in i) + ("," if len(i) == 1 else "") + ")"

    def tol(t):
        return "" if exact else f" (up to {t} allowed)"

    ad = adiff[ia] if a.ndim else adiff
    rd = rdiff[ir] if a.ndim else rdiff
    ad_s = str(int(ad)) if a.dtype.kind in "iub" else _fmt(ad)
    lines = [f"{what} are not {verb}!", "", f"Mismatched elements: {n_bad} / {total} ({100 * n_bad / total:.1f}%)",
             f"Greatest absolute difference: {ad_s} at index {idx(ia)}{tol(atol)}",
             f"Greatest relative difference: {_fmt(rd if a.dtype in (np.float64, np.complex128) else np.float32(rd))} at index "
             f"{idx(ir)}{tol(rtol)}"]
    raise AssertionError("\n".join(lines))


def assert_close(actual, expected, *, allow_subclasses: bool = True, rtol=None, atol=None, equal_nan: bool = False,
                 check_device: bool = True, check_dtype: bool = True, check_layout: bool = True,
                 check_stride: bool = False, msg=None) -> None:
    """Raise AssertionError unless |actual - expected| <= atol + rtol·|expected| elementwise (same shape, dtype)."""
    if (rtol is None) != (atol is None):
        raise ValueError(f"Both 'rtol' and 'atol' must be either specified or omitted, but got no "
                         f"{'rtol' if rtol is None else 'atol'}.")
    if isinstance(actual, (list, tuple)) and isinstance(expected, (list, tuple)):
        if len(actual) != len(expected):
            raise AssertionError(f"The length of the sequences mismatch: {len(actual)} != {len(expected)}")
        for x, y in zip(actual, expected):
            assert_close(x, y, rtol=rtol, atol=atol, equal_nan=equal_nan, check_dtype=check_dtype, msg=msg)
        return
    if isinstance(actual, dict) and isinstance(expected, dict):
        if set(actual) != set(expected):
            raise AssertionError("The keys of the mappings do not match")
        for k in actual:
            assert_close(actual[k], expected[k], rtol=rtol, atol=atol, equal_nan=equal_nan,
                         check_dtype=check_dtype, msg=msg)
        return
    if isinstance(actual, Tensor) and isinstance(expected, Tensor):
        if actual.shape != expected.shape:
            raise AssertionError(f"The values for attribute 'shape' do not match: {actual.shape} != "
                                 f"{expected.shape}.")
        if check_dtype and actual.dtype != expected.dtype:
            raise AssertionError(f"The values for attribute 'dtype' do not match: {actual.dtype} != "
                                 f"{expected.dtype}.")
        a, e = actual.detach()._data, expected.detach()._data
        if a.dtype != e.dtype:
            common = np.promote_types(a.dtype, e.dtype)
            a, e = a.astype(common), e.astype(common)
        _compare_arrays(a, e, rtol, atol, equal_nan, "Tensor-likes", msg)
        return
    if isinstance(actual, numbers.Number) and isinstance(expected, numbers.Number):
        if check_dtype and type(actual) is not type(expected):
            raise AssertionError(f"The values for attribute 'type' do not match: {type(actual)} != "
                                 f"{type(expected)}.")
        if rtol is None:
            rtol, atol = (1e-7, 1e-7) if isinstance(actual, (float, complex)) else (0.0, 0.0)
        if np.isclose(actual, expected, rtol=rtol, atol=atol, equal_nan=equal_nan):
            return
        if msg is not None:
            raise AssertionError(msg)
        diff = abs(actual - expected)
        rel = diff / abs(expected) if expected else float("inf")
        verb = "equal" if rtol == 0 and atol == 0 else "close"
        raise AssertionError(f"Scalars are not {verb}!\n\nExpected {expected} but got {actual}.\n"
                             f"Absolute difference: {diff} (up to {atol} allowed)\n"
                             f"Relative difference: {rel} (up to {rtol} allowed)")
    raise TypeError(f"No comparison pair was able to handle inputs of type {_type_name(actual)} and "
                    f"{_type_name(expected)}.")


def _type_name(x) -> str:
    return "<class 'torch.Tensor'>" if isinstance(x, Tensor) else str(type(x))


def assert_allclose(actual, expected, rtol=None, atol=None, equal_nan: bool = True, msg: str = "") -> None:
    """deprecated spelling of assert_close (dtype not checked, NaNs equal)"""
    if not isinstance(actual, Tensor):
        actual = _ember.as_tensor(actual)
    if not isinstance(expected, Tensor):
        expected = _ember.as_tensor(expected, dtype=actual.dtype)
    assert_close(actual, expected, rtol=rtol, atol=atol, equal_nan=equal_nan, check_dtype=False, msg=msg or None)


def _bounds(low, high, dtype, lowest, highest, default_low, default_high):
    """PyTorch's make_tensor bounds: defaults, checks, clamped to what the dtype holds (ceiled for integers)."""
    low = default_low if low is None else low
    high = default_high if high is None else high
    if any(isinstance(v, float) and math.isnan(v) for v in (low, high)):
        raise ValueError(f"`low` and `high` cannot be NaN, but got low={low} and high={high}")
    if low == high and (dtype.is_floating_point or dtype.is_complex):
        warnings.warn("Passing `low==high` to `torch.testing.make_tensor` for floating or complex types is "
                      "deprecated since 2.1 and will be removed in 2.3. Use `torch.full(...)` instead.",
                      FutureWarning, stacklevel=3)
    elif low >= high:
        raise ValueError(f"`low` must be less than `high`, but got {low} >= {high}")
    elif high < lowest or low >= highest:
        raise ValueError(f"The value interval specified by `low` and `high` is [{low}, {high}), but {dtype} only "
                         f"supports [{lowest}, {highest})")
    low, high = min(max(low, lowest), highest), min(max(high, lowest), highest)
    if not (dtype.is_floating_point or dtype.is_complex):
        return math.ceil(low), math.ceil(high)
    return low, high


def make_tensor(*shape, dtype, device, low=None, high=None, requires_grad: bool = False,
                noncontiguous: bool = False, exclude_zero: bool = False, memory_format=None) -> Tensor:
    """A tensor of ``shape`` filled with random values in [low, high) (default [-9, 9) for floats,
    [-9, 10) for integers clamped to the dtype, {False, True} for bool), drawn as PyTorch draws them."""
    if len(shape) == 1 and isinstance(shape[0], collections.abc.Sequence):
        shape = shape[0]
    shape = tuple(shape)
    if noncontiguous and memory_format is not None:
        raise ValueError(f"The parameters `noncontiguous` and `memory_format` are mutually exclusive, but got "
                         f"noncontiguous={noncontiguous} and memory_format={memory_format}")
    floating = dtype.is_floating_point or dtype.is_complex
    if requires_grad and not floating:
        raise ValueError(f"`requires_grad=True` is not supported for boolean and integral dtypes, but got "
                         f"dtype={dtype}")
    noncontiguous = noncontiguous and math.prod(shape) > 1
    if noncontiguous:
        shape = (*shape[:-1], 2 * shape[-1])
    if dtype == _ember.bool:
        low, high = _bounds(low, high, dtype, 0, 2, 0, 2)
        result = _ember.randint(low, high, shape, device=device, dtype=dtype)
    elif not floating:
        info = _ember.iinfo(dtype)
        low, high = _bounds(low, high, dtype, info.min, info.max + (1 if dtype != _ember.int64 else 0), -9, 10)
        result = _ember.randint(low, high, shape, device=device, dtype=dtype)
    else:
        info = _ember.finfo(dtype)
        low, high = _bounds(low, high, dtype, info.min, info.max, -9, 9)
        result = _ember.empty(shape, device=device, dtype=dtype)
        target = _ember.view_as_real(result) if dtype.is_complex else result
        if high - low >= info.max:  # uniform_ needs high - low to be finite in the dtype
            target.uniform_(low / 2, high / 2).mul_(2)
        else:
            target.uniform_(low, high)
    if noncontiguous:
        result = result[..., 1::2]
    elif memory_format is not None:
        result = result.clone(memory_format=memory_format)
    if exclude_zero:
        result[result == 0] = 1 if not floating else _ember.finfo(dtype).tiny
    if floating:
        result.requires_grad = requires_grad
    return result


class FileCheck:
    """TorchScript's IR pattern checker: there is no TorchScript IR in ember."""

    def __init__(self, *args, **kwargs):
        raise NotOfferedError("ember does not offer torch.testing.FileCheck: it checks TorchScript IR, which "
                              "ember does not have")
