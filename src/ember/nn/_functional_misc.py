"""``nn.functional``'s grouped and scaled matrix products, its scaling enums, and the small helpers PyTorch's
functional module exposes (``assert_int_or_pair``, ``boolean_dispatch``, the ``__torch_function__`` checks).

``grouped_mm`` computes on a CPU in PyTorch 2.13 (float32, float16 and bfloat16, with its layout checks), so it
computes here; ``scaled_mm`` needs float8 operands, which NumPy (and so ember) does not have, so every call
fails its scaling check as PyTorch's does for those dtypes; ``scaled_grouped_mm`` has no CPU kernel in PyTorch.
"""

from __future__ import annotations

import enum

from .. import ops as AF
from .._array import np
from .._core import dtype as D
from .._core.messages import _cname, _long_name
from .._core.node import Node
from .._core.record import _wrap_result
from .._core.tensor import Tensor
from ..overrides import (  # noqa: F401  (re-exported, as in PyTorch)
    handle_torch_function,
    has_torch_function,
    has_torch_function_unary,
    has_torch_function_variadic,
)

__all__ = ["DType", "ScalingType", "SwizzleType", "assert_int_or_pair", "boolean_dispatch", "grouped_mm",
           "scaled_mm", "scaled_grouped_mm", "handle_torch_function", "has_torch_function",
           "has_torch_function_unary", "has_torch_function_variadic"]

DType = int  # PyTorch's nn.functional.DType is this alias too


class ScalingType(enum.Enum):
    """How ``scaled_mm`` applies a scale tensor (PyTorch's ``_ScalingType``)."""
    TensorWise = 0
    RowWise = 1
    BlockWise1x16 = 2
    BlockWise1x32 = 3
    BlockWise1x128 = 4
    BlockWise128x128 = 5


class SwizzleType(enum.Enum):
    """The layout of a blocked scale tensor (PyTorch's ``_SwizzleType``)."""
    NO_SWIZZLE = 0
    SWIZZLE_32_4_4 = 1


ScalingType.__name__ = ScalingType.__qualname__ = "_ScalingType"
SwizzleType.__name__ = SwizzleType.__qualname__ = "_SwizzleType"


def assert_int_or_pair(arg, arg_name: str, message: str) -> None:
    """AssertionError(message.format(arg_name)) unless ``arg`` is an int or has two elements."""
    if not (isinstance(arg, int) or len(arg) == 2):
        raise AssertionError(message.format(arg_name))


boolean_dispatched: dict = {}


def boolean_dispatch(arg_name, arg_index, default, if_true, if_false, module_name, func_name):
    """A function that calls ``if_true`` or ``if_false`` by the boolean argument ``arg_name`` (keyword) or at
    position ``arg_index`` (``default`` when it is not given), as ``max_pool2d(..., return_indices=)`` is made."""

    def fn(*args, **kwargs):
        flag = default
        if arg_name in kwargs:
            flag = kwargs[arg_name]
        elif arg_index < len(args):
            flag = args[arg_index]
        return if_true(*args, **kwargs) if flag else if_false(*args, **kwargs)

    if if_true.__doc__ is None and if_false.__doc__ is not None:
        if_true.__doc__ = if_false.__doc__
    elif if_false.__doc__ is None and if_true.__doc__ is not None:
        if_false.__doc__ = if_true.__doc__
    elif if_false.__doc__ is not None and if_true.__doc__ is not None:
        raise RuntimeError("only one function can have a docstring")
    fn.__doc__ = if_true.__doc__
    if module_name is not None:
        fn.__module__ = module_name
    if func_name is not None:
        fn.__name__ = func_name
    boolean_dispatched[fn] = {"if_true": if_true, "if_false": if_false, "index": arg_index, "default": default,
                              "arg_name": arg_name}
    return fn


# -- grouped_mm ----------------------------------------------------------------------------------------------------

_GROUPED_DTYPES = ("float32", "bfloat16", "float16")


def _bounds(offs, n: int) -> list:
    """The (start, end) of each group from the cumulative ends ``offs``."""
    ends = [int(e) for e in np.asarray(offs._data).reshape(-1)]
    starts = [0] + ends[:-1]
    return list(zip(starts, ends))


def _check_strides(m: Tensor) -> None:
    """PyTorch's grouped GEMM wants each matrix row- or column-major with a leading stride of 16 bytes."""
    size = m._data.dtype.itemsize
    st = m.stride()[-2:]
    shape = m.shape[-2:]
    if not ((st[1] == 1 and (st[0] * size) % 16 == 0 and st[0] >= shape[1]) or
            (st[0] == 1 and (st[1] * size) % 16 == 0 and st[1] >= shape[0])):
        raise RuntimeError("strides should be multiple of 16 bytes")


def _grouped_np(a, b, bounds, case):
    """The grouped product on arrays, accumulated in float32 (as the kernel does for half types)."""
    acc = np.float32 if a.dtype.itemsize < 4 else a.dtype
    a, b = a.astype(acc), b.astype(acc)
    if case == "33":
        return a @ b
    if case == "23":
        out = np.zeros((a.shape[0], b.shape[2]), acc)
        for i, (s, e) in enumerate(bounds):
            out[s:e] = a[s:e] @ b[i]
        return out
    if case == "32":
        out = np.zeros((a.shape[1], b.shape[1]), acc)
        for i, (s, e) in enumerate(bounds):
            out[:, s:e] = a[i] @ b[:, s:e]
        return out
    out = np.zeros((len(bounds), a.shape[0], b.shape[1]), acc)
    for i, (s, e) in enumerate(bounds):
        out[i] = a[:, s:e] @ b[s:e]
    return out


class GroupedMmBackward0(Node):
    """C = grouped A B, group by group C_i = A_i B_i:  dA_i = G_i B_iᵀ, dB_i = A_iᵀ G_i (rows or columns outside
    every group get zero gradient)"""

    def backward(self, g):
        a, b = self.saved_values()
        bounds, case = self.bounds, self.case
        need_a, need_b = self.next[0] is not None, self.next[1] is not None
        if case == "33":
            return (AF.matmul(g, b.mT) if need_a else None, AF.matmul(a.mT, g) if need_b else None)
        da = AF.zeros_like(a) if need_a else None
        db = AF.zeros_like(b) if need_b else None
        for i, (s, e) in enumerate(bounds):
            if case == "23":
                ga = AF.matmul(g[s:e], b[i].mT) if need_a else None
                gb = AF.matmul(a[s:e].mT, g[s:e]) if need_b else None
                ia, ib = (slice(s, e),), (i,)
            elif case == "32":
                ga = AF.matmul(g[:, s:e], b[:, s:e].mT) if need_a else None
                gb = AF.matmul(a[i].mT, g[:, s:e]) if need_b else None
                ia, ib = (i,), (slice(None), slice(s, e))
            else:
                ga = AF.matmul(g[i], b[s:e].mT) if need_a else None
                gb = AF.matmul(a[:, s:e].mT, g[i]) if need_b else None
                ia, ib = (slice(None), slice(s, e)), (slice(s, e),)
            if need_a:
                da = _put(da, ia, ga)
            if need_b:
                db = _put(db, ib, gb)
        return (da, db)


def _put(t: Tensor, index: tuple, value: Tensor) -> Tensor:
    """t with t[index] replaced by value, out of place (recorded when value is)."""
    t = t.clone()
    t[index] = value
    return t


def grouped_mm(mat_a: Tensor, mat_b: Tensor, *, offs: Tensor | None = None, bias: Tensor | None = None,
               out_dtype=None) -> Tensor:
    """Matrix products of groups: 3-D @ 3-D batch by batch; with ``offs`` (int32 cumulative group ends) a 2-D
    operand is cut into groups along its rows (2-D @ 3-D), columns (3-D @ 2-D) or the inner dimension (2-D @ 2-D)."""
    if mat_a.ndim not in (2, 3):
        raise RuntimeError("mat_a has to be 2 or 3d")
    if mat_b.ndim not in (2, 3):
        raise RuntimeError("mat_b has to be 2 or 3d")
    if mat_a._data.dtype.name not in _GROUPED_DTYPES:
        raise RuntimeError(f"Expected mat_a to be Float32, BFloat16 or Float16 matrix, got {_long_name(mat_a.dtype)}")
    if mat_b.dtype != mat_a.dtype:
        raise RuntimeError(f"Expected out tensor to have dtype {_cname(mat_b)}, but got {_cname(mat_a)} instead")
    _check_strides(mat_a)
    _check_strides(mat_b)
    two_d = mat_a.ndim == 2 or mat_b.ndim == 2
    if two_d != (offs is not None):
        raise RuntimeError("Have to provide offsets if there is a 2d matrix, or no offset if both matrices are 3d")
    if offs is not None:
        if offs.dtype != D.int32:
            raise RuntimeError("Offsets have to be int32")
        if offs.ndim != 1:
            raise RuntimeError("offs has to be 1D")
    if mat_a.shape[-1] != mat_b.shape[-2]:
        raise RuntimeError("contraction dimension of mat_a and mat_b must match")
    case = f"{mat_a.ndim}{mat_b.ndim}"
    if case == "33" and mat_a.shape[0] != mat_b.shape[0]:
        raise RuntimeError("batched dimension has to match")
    if case == "23" and offs.shape[0] != mat_b.shape[0] or case == "32" and offs.shape[0] != mat_a.shape[0]:
        raise RuntimeError("matrix batch sizes have to match")
    if out_dtype is not None and out_dtype != mat_a.dtype:
        raise RuntimeError("Grouped gemm output dtype must match `mat_a` dtype")
    if bias is not None:
        raise RuntimeError("Bias not supported yet")
    bounds = [] if offs is None else _bounds(offs, 0)
    out = _grouped_np(mat_a._data, mat_b._data, bounds, case).astype(mat_a._data.dtype)
    return _wrap_result(out, GroupedMmBackward0, (mat_a, mat_b), saved=(mat_a, mat_b), bounds=bounds, case=case)


# -- scaled_mm / scaled_grouped_mm ---------------------------------------------------------------------------------

def _sizes(t) -> str:
    return "[" + ", ".join(str(s) for s in t.shape) + "]"


def _first(x):
    return x[0] if isinstance(x, (list, tuple)) else x


def scaled_mm(mat_a: Tensor, mat_b: Tensor, scale_a, scale_recipe_a, scale_b, scale_recipe_b, swizzle_a=None,
              swizzle_b=None, bias=None, output_dtype=D.bfloat16, contraction_dim=(), use_fast_accum=False):
    """A matrix product of float8 (or 4-bit) operands with their scales. Its scaling recipes all need float8
    operands, a dtype NumPy does not have: every ember tensor fails PyTorch's scaling check, with its ValueError."""
    sa, sb = _first(scale_a), _first(scale_b)
    m, n = mat_a.shape[0], mat_b.shape[-1]

    def desc(s):
        return (_long_name(s.dtype), _sizes(s), "[" + ", ".join(str(v) for v in s.stride()) + "]")

    (da, za, ta), (db, zb, tb) = desc(sa), desc(sb)
    raise ValueError(
        "Invalid scaling configuration.\n"
        "- For TensorWise scaling, a and b should be float8, scales should be float and singletons.\n"
        f"- For RowWise scaling, a and b should be float8, scales should be float, scale_a should be ({m}, 1) and "
        f"scale_b should be (1, {n}), and both should be contiguous.\n"
        f"Got mat_a.dtype()={_long_name(mat_a.dtype)}, scale_a.dtype()={da}, scale_a.size()={za}, "
        f"scale_a.stride()={ta}, mat_b.dtype()={_long_name(mat_b.dtype)}, scale_b.dtype()={db}, "
        f"scale_b.size()={zb} and scale_b.stride()={tb}")


def scaled_grouped_mm(mat_a: Tensor, mat_b: Tensor, scale_a, scale_recipe_a, scale_b, scale_recipe_b, swizzle_a=None,
                      swizzle_b=None, bias=None, offs=None, output_dtype=D.bfloat16, contraction_dim=(),
                      use_fast_accum=False):
    """The grouped form of ``scaled_mm``: PyTorch has no CPU kernel for it (only CUDA), and neither has ember."""
    raise NotImplementedError("Could not run 'aten::_scaled_grouped_mm_v2' with arguments from the 'CPU' backend. "
                              "This could be because the operator doesn't exist for this backend, or was omitted "
                              "during the selective/custom build process (if using custom build).")
