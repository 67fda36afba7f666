"""``torch.testing``: assert_close with PyTorch's default tolerances and failure messages."""

from __future__ import annotations

import numbers

import numpy as np

from ._core.tensor import Tensor

__all__ = ["assert_close", "assert_allclose", "make_tensor"]

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
    import ember
    if not isinstance(actual, Tensor):
        actual = ember.as_tensor(actual)
    if not isinstance(expected, Tensor):
        expected = ember.as_tensor(expected, dtype=actual.dtype)
    assert_close(actual, expected, rtol=rtol, atol=atol, equal_nan=equal_nan, check_dtype=False, msg=msg or None)


def make_tensor(*shape, dtype, device=None, low=None, high=None, requires_grad: bool = False, **_) -> Tensor:
    """a random tensor with values in [low, high) (defaults -9, 9)"""
    import ember
    shape = tuple(shape[0]) if len(shape) == 1 and isinstance(shape[0], (tuple, list)) else shape
    lo = -9 if low is None else low
    hi = 9 if high is None else high
    if dtype.is_floating_point:
        t = ember.empty(shape, dtype=dtype).uniform_(lo, hi)
    elif dtype == ember.bool:
        t = ember.randint(0, 2, shape).to(ember.bool)
    else:
        t = ember.randint(int(lo), int(hi), shape, dtype=dtype)
    return t.requires_grad_(requires_grad) if requires_grad else t
