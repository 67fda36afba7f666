"""dtypes as objects (``ember.float32`` ...) and PyTorch's type-promotion rules.

Each dtype wraps a NumPy dtype. Promotion follows PyTorch, not NumPy: categories bool < integer < floating
< complex; dimensioned tensors outrank 0-d tensors, which outrank Python scalars; a higher-category
operand of lower priority lifts the result only to that category's default (``int_tensor * 2.5`` is
``float32``, not NumPy's ``float64``).
"""

from __future__ import annotations

import numpy as np

__all__ = ["dtype", "float32", "float64", "float16", "bfloat16", "int64", "int32", "int16", "int8",
           "uint8", "bool_", "complex64", "complex128", "get_default_dtype", "set_default_dtype",
           "promote_types", "from_numpy_dtype"]

BOOL, INT, FLOAT, COMPLEX = 0, 1, 2, 3


class dtype:
    """A tensor element type: ``ember.float32`` prints as ``torch.float32``."""

    __slots__ = ("name", "np", "category", "itemsize", "is_floating_point", "is_complex", "is_signed")

    def __init__(self, name: str, np_dtype, category: int):
        self.name = name
        self.np = np.dtype(np_dtype)
        self.category = category
        self.itemsize = self.np.itemsize
        self.is_floating_point = category == FLOAT
        self.is_complex = category == COMPLEX
        self.is_signed = name not in ("uint8", "bool")

    def __repr__(self) -> str:
        return "torch." + self.name

    def __reduce__(self):
        return self.name

    def to_real(self) -> dtype:
        return {"complex64": float32, "complex128": float64}.get(self.name, self)

    def to_complex(self) -> dtype:
        return complex128 if self is float64 else complex64


float32 = dtype("float32", np.float32, FLOAT)
float64 = dtype("float64", np.float64, FLOAT)
float16 = dtype("float16", np.float16, FLOAT)
# NumPy has no bfloat16; it is stored as float32 so code that names it still runs.
bfloat16 = dtype("bfloat16", np.float32, FLOAT)
int64 = dtype("int64", np.int64, INT)
int32 = dtype("int32", np.int32, INT)
int16 = dtype("int16", np.int16, INT)
int8 = dtype("int8", np.int8, INT)
uint8 = dtype("uint8", np.uint8, INT)
bool_ = dtype("bool", np.bool_, BOOL)
complex64 = dtype("complex64", np.complex64, COMPLEX)
complex128 = dtype("complex128", np.complex128, COMPLEX)

ALL = (float32, float64, float16, bfloat16, int64, int32, int16, int8, uint8, bool_, complex64, complex128)
_BY_NP = {d.np: d for d in reversed(ALL)}  # float32 wins over bfloat16 for np.float32


def from_numpy_dtype(npd) -> dtype:
    """The ember dtype of a NumPy dtype (raising TypeError for ones PyTorch has no equivalent of)."""
    try:
        return _BY_NP[npd]
    except KeyError:
        pass
    npd = np.dtype(npd)
    if npd in _BY_NP:
        return _BY_NP[npd]
    if npd == np.uint16 or npd == np.uint32 or npd == np.uint64:
        # PyTorch reads these as their signed widening for tensors from lists of values
        return {2: int32, 4: int64, 8: int64}[npd.itemsize]
    raise TypeError(
        f"can't convert np.ndarray of type numpy.{npd.type.__name__}. The only supported types are: float64, "
        "float32, float16, complex64, complex128, int64, int32, int16, int8, uint64, uint32, uint16, uint8, "
        "and bool.")


class _Defaults:
    float = float32


def get_default_dtype() -> dtype:
    """The dtype of floating tensors made from Python floats (``float32`` unless changed)."""
    return _Defaults.float


def set_default_dtype(d: dtype) -> None:
    """Set the default floating dtype (``float32`` or ``float64``)."""
    if not isinstance(d, dtype) or not d.is_floating_point:
        raise TypeError("only floating-point types are supported as the default type")
    _Defaults.float = d


def default_complex() -> dtype:
    return complex128 if _Defaults.float is float64 else complex64


# -- promotion lattice ------------------------------------------------------------------------------------

_INT_ORDER = {"uint8": 0, "int8": 1, "int16": 2, "int32": 3, "int64": 4}
_FLOAT_ORDER = {"float16": 0, "bfloat16": 0, "float32": 1, "float64": 2}


def promote_types(a: dtype, b: dtype) -> dtype:
    """The smallest dtype both ``a`` and ``b`` convert to without losing category (PyTorch's table)."""
    if a is b:
        return a
    if a.category != b.category:
        hi, lo = (a, b) if a.category > b.category else (b, a)
        if hi.is_complex and lo.category == FLOAT and lo is float64:
            return complex128
        return hi
    c = a.category
    if c == INT:
        if {a.name, b.name} == {"uint8", "int8"}:
            return int16
        return a if _INT_ORDER[a.name] > _INT_ORDER[b.name] else b
    if c == FLOAT:
        if {a.name, b.name} == {"float16", "bfloat16"}:
            return float32
        return a if _FLOAT_ORDER[a.name] > _FLOAT_ORDER[b.name] else b
    if c == COMPLEX:
        return complex128
    return a


def scalar_category(x) -> int:
    if isinstance(x, bool):
        return BOOL
    if isinstance(x, int):
        return INT
    if isinstance(x, float):
        return FLOAT
    if isinstance(x, complex):
        return COMPLEX
    if isinstance(x, np.generic):
        return from_numpy_dtype(x.dtype).category
    raise TypeError(f"unsupported scalar type {type(x).__name__}")


_CATEGORY_DEFAULT = {BOOL: lambda: bool_, INT: lambda: int64, FLOAT: get_default_dtype, COMPLEX: default_complex}


def result_type_of(dims: list[dtype], zero_dims: list[dtype], scalars: list[int]) -> dtype:
    """PyTorch's result type from dimensioned dtypes, 0-d dtypes and the categories of Python scalars."""
    out = None
    for d in dims:
        out = d if out is None else promote_types(out, d)
    zd = None
    for d in zero_dims:
        zd = d if zd is None else promote_types(zd, d)
    if zd is not None:
        if out is None:
            out = zd
        elif zd.category > out.category:
            out = promote_types(out, zd) if zd.category == COMPLEX else zd
    for c in scalars:
        if out is None:
            out = _CATEGORY_DEFAULT[c]()
        elif c > out.category:
            out = _CATEGORY_DEFAULT[c]() if not (c == COMPLEX and out is float64) else complex128
    return out
