"""Tensor printing that reproduces PyTorch's ``repr(tensor)`` byte for byte.

Everything here works on plain NumPy arrays plus a dtype *name*, so the module has no
dependency on the rest of ember (the Tensor class calls into it, not the other way round).

The layout rules mirror ``torch/_tensor_str.py`` (PyTorch 2.13):

* one ``_Formatter`` per tensor (two for complex: real and imaginary part) decides, from the
  values that will actually be shown, whether floats print as integers (``1.``), in fixed
  point (``1.5000``) or in scientific notation (``1.5000e+10``), and how wide each column is;
* nested lists are built recursively, each level indented one more column, with ``dim - 1``
  blank lines between the slices of a ``dim``-dimensional block;
* only 1-d rows wrap at ``linewidth``; big tensors are summarised with ``...``;
* trailing ``, key=value`` parts move to a new line when they would overflow ``linewidth``.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

__all__ = [
    "dtype_repr",
    "format_tensor",
    "get_printoptions",
    "printoptions",
    "set_printoptions",
    "size_repr",
]


class _PrinterOptions:
    """The print options (a plain class: a dataclass would cost ``import dataclasses``, inspect and ast)."""

    __slots__ = ("precision", "threshold", "edgeitems", "linewidth", "sci_mode")

    def __init__(self) -> None:
        self.precision: int = 4
        self.threshold: float = 1000
        self.edgeitems: int = 3
        self.linewidth: int = 80
        self.sci_mode: bool | None = None

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__}


PRINT_OPTS = _PrinterOptions()


def set_printoptions(
    precision: int | None = None,
    threshold: float | None = None,
    edgeitems: int | None = None,
    linewidth: int | None = None,
    profile: str | None = None,
    sci_mode: bool | None = None,
) -> None:
    """Set printing options, with the same arguments and semantics as ``torch.set_printoptions``."""
    # A profile resets the four numeric options first; explicit arguments then override it.
    if profile == "default":
        PRINT_OPTS.precision, PRINT_OPTS.threshold = 4, 1000
        PRINT_OPTS.edgeitems, PRINT_OPTS.linewidth = 3, 80
    elif profile == "short":
        PRINT_OPTS.precision, PRINT_OPTS.threshold = 2, 1000
        PRINT_OPTS.edgeitems, PRINT_OPTS.linewidth = 2, 80
    elif profile == "full":
        PRINT_OPTS.precision, PRINT_OPTS.threshold = 4, math.inf
        PRINT_OPTS.edgeitems, PRINT_OPTS.linewidth = 3, 80

    if precision is not None:
        PRINT_OPTS.precision = precision
    if threshold is not None:
        PRINT_OPTS.threshold = threshold
    if edgeitems is not None:
        PRINT_OPTS.edgeitems = edgeitems
    if linewidth is not None:
        PRINT_OPTS.linewidth = linewidth
    # Unlike the others, torch assigns sci_mode unconditionally: any call without it
    # switches back to automatic choice.
    PRINT_OPTS.sci_mode = sci_mode


def get_printoptions() -> dict[str, Any]:
    """Current options as a dict that can be passed back to ``set_printoptions(**opts)``."""
    return PRINT_OPTS.as_dict()


@contextlib.contextmanager
def printoptions(**kwargs: Any) -> Iterator[None]:
    """Temporarily change the print options (same keywords as ``set_printoptions``)."""
    saved = get_printoptions()
    set_printoptions(**kwargs)
    try:
        yield
    finally:
        set_printoptions(**saved)


# ----------------------------------------------------------------------------------------
# dtypes and sizes

# Short torch aliases (torch.float, torch.long, ...) map to the canonical names torch prints.
_ALIASES = {
    "float": "float32",
    "double": "float64",
    "half": "float16",
    "cfloat": "complex64",
    "cdouble": "complex128",
    "chalf": "complex32",
    "long": "int64",
    "int": "int32",
    "short": "int16",
    "bool_": "bool",
}

# NumPy storage used to reproduce each torch dtype's values. bfloat16 and complex32 have
# no NumPy equivalent; they are rounded by hand in _coerce.
_NUMPY_DTYPES = {
    "float64": np.float64,
    "float32": np.float32,
    "float16": np.float16,
    "bfloat16": np.float32,
    "complex128": np.complex128,
    "complex64": np.complex64,
    "complex32": np.complex64,
    "int64": np.int64,
    "int32": np.int32,
    "int16": np.int16,
    "int8": np.int8,
    "uint8": np.uint8,
    "uint16": np.uint16,
    "uint32": np.uint32,
    "uint64": np.uint64,
    "bool": np.bool_,
}


def _canonical(dtype_name: str) -> str:
    name = dtype_name.removeprefix("torch.")
    return _ALIASES.get(name, name)


def dtype_repr(dtype_name: str) -> str:
    """``str(torch.<dtype>)``, e.g. ``"torch.float32"``."""
    return "torch." + _canonical(dtype_name)


def size_repr(shape: Sequence[int]) -> str:
    """``repr(torch.Size(shape))``, e.g. ``"torch.Size([2, 3])"``."""
    return "torch.Size([" + ", ".join(str(int(d)) for d in shape) + "])"


def _round_to_bfloat16(values: np.ndarray) -> np.ndarray:
    """Round float32 values to the nearest bfloat16 (ties to even), keeping float32 storage."""
    bits = np.array(values, dtype=np.float32).view(np.uint32)  # a copy; keeps 0-d shape
    # Adding 0x7FFF plus the lowest kept bit, then truncating, is round-half-to-even.
    lowest_kept = (bits >> 16) & np.uint32(1)
    rounded = ((bits + np.uint32(0x7FFF) + lowest_kept) & np.uint32(0xFFFF0000)).astype(np.uint32)
    # NaN payloads could carry into the exponent; keep NaNs as NaN instead.
    rounded = np.where(np.isnan(values), bits, rounded).astype(np.uint32)
    return rounded.view(np.float32)


def _coerce(arr: np.ndarray, dtype: str) -> np.ndarray:
    """Values as torch would hold them in ``dtype``, widened so Python formats them exactly.

    torch formats every element through ``Tensor.item()``/``tolist()``, i.e. as a Python
    float (double) holding the exact low-precision value; float64 reproduces that.
    """
    target = _NUMPY_DTYPES.get(dtype)
    if target is None:
        raise ValueError(f"unsupported dtype for printing: {dtype!r}")
    with np.errstate(over="ignore", invalid="ignore"):
        a = np.asarray(arr).astype(target, copy=False)
        if dtype == "bfloat16":
            a = _round_to_bfloat16(a)
        elif dtype == "complex32":
            # complex32 is a pair of float16s.
            real = a.real.astype(np.float16).astype(np.float64)
            imag = a.imag.astype(np.float16).astype(np.float64)
            a = real + 1j * imag
    if a.dtype.kind == "f":
        return a.astype(np.float64, copy=False)
    if a.dtype.kind == "c":
        return a.astype(np.complex128, copy=False)
    return a


# ----------------------------------------------------------------------------------------
# element formatting


class _Formatter:
    """Chooses the number style and column width for one real-valued tensor.

    ``values`` holds only the elements that will be displayed (already summarised), so a
    huge outlier hidden behind ``...`` does not influence the layout, exactly as in torch.
    """

    __slots__ = ("floating", "int_mode", "max_width", "precision", "sci_mode")

    def __init__(self, values: np.ndarray, floating: bool) -> None:
        self.floating = floating
        self.int_mode = True
        self.sci_mode = False
        self.max_width = 1
        self.precision = PRINT_OPTS.precision
        flat = values.reshape(-1)
        if flat.size == 0:
            return

        if not floating:
            # Width of str(v) only grows with |v| on each side of zero, so the extremes are
            # enough (bools: min/max is False/True, str() gives the 5/4 letter words).
            self.max_width = max(len(str(v)) for v in (flat.min().item(), flat.max().item()))
            return

        nonzero_finite = flat[np.isfinite(flat) & (flat != 0)]
        if nonzero_finite.size == 0:
            # Nothing informative (only zeros, nan, inf): keep int_mode, no sci_mode.
            return

        magnitudes = np.abs(nonzero_finite)
        smallest, largest = magnitudes.min(), magnitudes.max()
        self.int_mode = bool(np.all(nonzero_finite == np.ceil(nonzero_finite)))
        if PRINT_OPTS.sci_mode is None:
            with np.errstate(over="ignore"):
                self.sci_mode = bool(largest / smallest > 1000.0 or largest > 1.0e8 or smallest < 1.0e-4)
        else:
            self.sci_mode = PRINT_OPTS.sci_mode

        # Formatted length is monotonic in |v| within each sign (rounding is monotonic, and
        # in sci mode only the exponent's digit count varies, which is extreme at the
        # smallest or largest magnitude), so four candidates give torch's max over all.
        candidates = []
        for same_sign in (nonzero_finite[nonzero_finite > 0], nonzero_finite[nonzero_finite < 0]):
            if same_sign.size:
                candidates += [same_sign.min().item(), same_sign.max().item()]
        if self.sci_mode:
            lengths = [len(f"{v:.{self.precision}e}") for v in candidates]
        elif self.int_mode:
            # The trailing "." that marks a float is part of the width.
            lengths = [len(f"{v:.0f}") + 1 for v in candidates]
        else:
            lengths = [len(f"{v:.{self.precision}f}") for v in candidates]
        self.max_width = max(lengths)

    def format(self, value: Any) -> str:
        if not self.floating:
            text = str(value)
        elif self.sci_mode:
            text = f"{value:.{self.precision}e}"
        elif self.int_mode:
            text = f"{value:.0f}"
            if math.isfinite(value):
                text += "."
        else:
            text = f"{value:.{self.precision}f}"
        return text.rjust(self.max_width)


def _complex_str(value: complex, real_fmt: _Formatter, imag_fmt: _Formatter) -> str:
    real = real_fmt.format(value.real)
    imag = (imag_fmt.format(value.imag) + "j").lstrip()
    # After stripping the padding, a negative imaginary part (including -0.) already
    # carries its "-"; anything else needs an explicit "+" between the two parts.
    if imag[0] in "+-":
        return real + imag
    return real + "+" + imag


class _Printer:
    """Renders the bracketed body of one tensor with fixed formatters."""

    def __init__(self, summarize: bool, fmt: _Formatter, imag_fmt: _Formatter | None) -> None:
        self.summarize = summarize
        self.fmt = fmt
        self.imag_fmt = imag_fmt
        self.edge = PRINT_OPTS.edgeitems

    def element(self, value: Any) -> str:
        if self.imag_fmt is None:
            return self.fmt.format(value)
        return _complex_str(value, self.fmt, self.imag_fmt)

    def vector(self, a: np.ndarray, indent: int) -> str:
        element_length = self.fmt.max_width + 2  # ", " separates elements
        if self.imag_fmt is not None:
            element_length += self.imag_fmt.max_width + 1  # imaginary part and its "j"
        per_line = max(1, math.floor((PRINT_OPTS.linewidth - indent) / element_length))

        edge = self.edge
        if self.summarize and not edge:
            items = ["..."]
        elif self.summarize and a.shape[0] > 2 * edge:
            # The " ..." placeholder counts as an element for wrapping purposes.
            items = [self.element(v) for v in a[:edge].tolist()]
            items.append(" ...")
            items += [self.element(v) for v in a[-edge:].tolist()]
        else:
            items = [self.element(v) for v in a.tolist()]

        lines = [", ".join(items[i : i + per_line]) for i in range(0, len(items), per_line)]
        return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"

    def block(self, a: np.ndarray, indent: int) -> str:
        if a.ndim == 0:
            return self.element(a.item())
        if a.ndim == 1:
            return self.vector(a, indent)
        edge = self.edge
        n = a.shape[0]
        if self.summarize and n > 2 * edge:
            slices = [self.block(a[i], indent + 1) for i in range(edge)]
            slices.append("...")
            slices += [self.block(a[i], indent + 1) for i in range(n - edge, n)]
        else:
            slices = [self.block(sub, indent + 1) for sub in a]
        # Higher-dimensional blocks are separated by (dim - 1) newlines.
        return "[" + ("," + "\n" * (a.ndim - 1) + " " * (indent + 1)).join(slices) + "]"


def _summarized(a: np.ndarray) -> np.ndarray:
    """The elements that a summarised print shows (what the formatter must measure)."""
    edge = PRINT_OPTS.edgeitems
    if a.ndim == 0:
        return a
    if edge == 0:
        # torch quirk: a 1-d tensor keeps everything (its slice [-0:] is the whole tensor),
        # while higher dims contribute no elements at all.
        return a if a.ndim == 1 else a[(slice(0, 0),) * a.ndim]
    for axis, n in enumerate(a.shape):
        if n > 2 * edge:
            keep = np.r_[0:edge, n - edge : n]
            a = np.take(a, keep, axis=axis)
    return a


def _body(a: np.ndarray, indent: int) -> str:
    """torch's ``_tensor_str``: the bracketed values (no prefix or suffixes)."""
    if a.size == 0:
        return "[]"
    summarize = a.size > PRINT_OPTS.threshold
    shown = _summarized(a) if summarize else a
    if a.dtype.kind == "c":
        real_fmt = _Formatter(shown.real, floating=True)
        imag_fmt = _Formatter(shown.imag, floating=True)
        return _Printer(summarize, real_fmt, imag_fmt).block(a, indent)
    fmt = _Formatter(shown, floating=a.dtype.kind == "f")
    return _Printer(summarize, fmt, None).block(a, indent)


def _add_suffixes(text: str, suffixes: Sequence[str], indent: int) -> str:
    parts = [text]
    # Mirrors torch's arithmetic exactly, including its +1 (and +2 without a newline) slack.
    last_line_len = len(text) - text.rfind("\n") + 1
    for suffix in suffixes:
        if last_line_len + len(suffix) + 2 > PRINT_OPTS.linewidth:
            parts.append(",\n" + " " * indent + suffix)
            last_line_len = indent + len(suffix)
        else:
            parts.append(", " + suffix)
            last_line_len += len(suffix) + 2
    parts.append(")")
    return "".join(parts)


def format_tensor(
    arr: np.ndarray,
    dtype_name: str,
    default_dtype_name: str = "float32",
    suffixes: Sequence[str] = (),
    is_parameter: bool = False,
) -> str:
    """What ``repr(t)`` gives in PyTorch for a CPU tensor ``t`` with these values and dtype.

    ``suffixes`` are caller-built ``key=value`` parts (``requires_grad=True``,
    ``grad_fn=<AddBackward0>``); they follow the ``size=``/``dtype=`` parts added here.
    """
    dtype = _canonical(dtype_name)
    default = _canonical(default_dtype_name)
    a = _coerce(arr, dtype)
    prefix = "tensor("
    indent = len(prefix)

    default_complex = "complex128" if default == "float64" else "complex64"
    has_default_dtype = dtype in (default, default_complex, "int64", "bool")

    extra: list[str] = []
    if a.size == 0:
        # torch, like NumPy, spells out any empty shape other than (0,); with no values
        # to infer the dtype from, it names every dtype but the default float one.
        if a.ndim != 1:
            extra.append("size=" + _tuple_repr(a.shape))
        if dtype != default:
            extra.append("dtype=torch." + dtype)
        body = "[]"
    else:
        if not PRINT_OPTS.edgeitems:
            extra.append("size=" + _tuple_repr(a.shape))
        if not has_default_dtype:
            extra.append("dtype=torch." + dtype)
        body = _body(a, indent)

    text = _add_suffixes(prefix + body, [*extra, *suffixes], indent)
    if is_parameter:
        return "Parameter containing:\n" + text
    return text


def _tuple_repr(shape: Sequence[int]) -> str:
    return str(tuple(int(d) for d in shape))
