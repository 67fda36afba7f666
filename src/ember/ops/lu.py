"""LU factorisation with partial pivoting and what is built on it: linalg.lu_factor(_ex), linalg.lu, lu_unpack,
linalg.lu_solve, and the deprecated torch.lu and torch.lu_solve.

A = P L U for an m × n matrix A (k = min(m, n)): P an m × m permutation, L m × k unit lower triangular, U k × n
upper triangular. ``lu_factor`` packs L (below the diagonal) and U (on and above it) into one m × n matrix and
gives the row swaps as LAPACK's getrf does: ``pivots[i]`` (1-based) is the row swapped with row i at step i.

Derivatives (matrix calculus notation of ops/linalg.py; Aᴴ the conjugate transpose). For a square A, with
X = L⁻¹ dA U⁻¹ (Pᵀ folded into dA): L⁻¹ dL = tril(X, -1), dU U⁻¹ = triu(X), so

    dA = P L⁻ᴴ (tril(Lᴴ G_L, -1) + triu(G_U Uᴴ)) U⁻ᴴ.

Tall (m > n): L = [L₁; L₂], L₂ = A₂ U⁻¹ adds dA₂ = G_L₂ U⁻ᴴ and moves -L₂ᴴ G_L₂ U⁻ᴴ onto G_U. Wide (m < n):
U = [U₁ U₂], U₂ = L⁻¹ A₂ adds dA₂ = L⁻ᴴ G_U₂ and moves -L⁻ᴴ G_U₂ U₂ᴴ onto G_L. The solve X = A⁻¹ B
(A = P L U) has dB = A⁻ᴴ G and dA = -dB Xᴴ, and dA reaches the factors as G_L = tril(Pᵀ dA Uᴴ, -1),
G_U = triu(Lᴴ Pᵀ dA). Every backward is written with ember's ops, so it can be differentiated again.
"""

from __future__ import annotations

import builtins
import warnings

from .._array import np
from .._core.exposure import expose
from .._core.messages import _long_name
from .._core.node import Node
from .._core.tensor import Tensor, _wrap
from ..return_types import _named
from .binary import _rec
from .join import cat
from .linalg import (
    _batch_prefix,
    _first_failure,
    _mH,
    _rec_multi,
    _saved_with_outputs,
    _triangle,
    _trsm,
    matmul,
    solve_triangular,
)
from .shape import narrow

__all__ = ["lu_factor", "lu_factor_ex", "linalg_lu", "lu_unpack", "lu_solve", "torch_lu", "torch_lu_solve"]

_lu_factor_result = _named("linalg_lu_factor", ["LU", "pivots"])
_lu_factor_ex_result = _named("linalg_lu_factor_ex", ["LU", "pivots", "info"])
_lu_result = _named("linalg_lu", ["P", "L", "U"])
_lu_unpack_result = _named("lu_unpack", ["P", "L", "U"])


# =====================================================================================================
# The factorisation (NumPy) and the permutations
# =====================================================================================================

def _getrf(arr):
    """LU with partial pivoting of each m × n matrix of ``arr``, as LAPACK's getrf: the packed factors, the
    1-based pivots (int32) and info (the 1-based index of the first exactly zero pivot, 0 if none). The pivot is
    the first entry of largest magnitude (|re| + |im| for complex, as LAPACK's i?amax)."""
    m, n = arr.shape[-2:]
    k = builtins.min(m, n)
    a = np.array(arr, copy=True).reshape((-1, m, n))
    nb = a.shape[0]
    rows = np.arange(nb)
    piv = np.zeros((nb, k), dtype=np.int32)
    info = np.zeros(nb, dtype=np.int32)
    with np.errstate(all="ignore"):
        for j in builtins.range(k):
            col = a[:, j:, j]
            size = np.abs(col.real) + np.abs(col.imag) if a.dtype.kind == "c" else np.abs(col)
            p = j + np.argmax(size, axis=1)
            piv[:, j] = p + 1
            a[rows, j], a[rows, p] = a[rows, p].copy(), a[rows, j].copy()
            d = a[:, j, j]
            zero = d == 0
            info[(info == 0) & zero] = j + 1
            a[:, j + 1:, j] /= np.where(zero, 1, d)[:, None]
            a[:, j + 1:, j + 1:] -= a[:, j + 1:, j, None] * a[:, j, None, j + 1:]
    batch = arr.shape[:-2]
    return a.reshape(arr.shape), piv.reshape(batch + (k,)), info.reshape(batch)


def _row_order(piv, m: int):
    """the row order ``perm`` of the swaps ``piv`` (..., k), 1-based: (Pᵀ A)[i] = A[perm[i]]"""
    flat = piv.reshape((-1, piv.shape[-1])).astype(np.int64) - 1
    perm = np.tile(np.arange(m), (flat.shape[0], 1))
    rows = np.arange(flat.shape[0])
    for j in builtins.range(flat.shape[1]):
        p = flat[:, j]
        perm[rows, j], perm[rows, p] = perm[rows, p].copy(), perm[rows, j].copy()
    return perm.reshape(piv.shape[:-1] + (m,))


def _permutation(piv, m: int, dtype):
    """P (..., m, m) with A = P L U: P[perm[i], i] = 1"""
    perm = _row_order(piv, m)
    p = np.zeros(perm.shape + (m,), dtype=dtype)
    np.put_along_axis(p, perm[..., :, None], 1, axis=-1)  # p[..., i, perm[i]] = 1: that is Pᵀ
    return np.swapaxes(p, -1, -2)


def _unpack(lu: Tensor):
    """(L, U) of packed factors, with ember's ops (differentiable): L unit lower m × k, U upper k × n"""
    m, n = lu.shape[-2:]
    k = builtins.min(m, n)
    lower = _triangle(narrow(lu, -1, 0, k), -1) + _wrap(np.eye(m, k, dtype=lu._data.dtype))
    return lower, _triangle(narrow(lu, -2, 0, k), 0, True)


def _check(a: Tensor, fn: str, name: str = "A") -> None:
    if a.ndim < 2:
        raise RuntimeError(f"{fn}: Expected tensor with 2 or more dimensions. Got size: {list(a.shape)} instead")
    if a._data.dtype.kind not in "fc":
        raise NotImplementedError(f'"lu_cpu" not implemented for \'{_long_name(a.dtype).split(".")[-1]}\'')


# =====================================================================================================
# The backward of A = P L U, given the gradients of L and U
# =====================================================================================================

def _lu_backward(p: Tensor, lower: Tensor, upper: Tensor, gl, gu):
    """dA from G_L and G_U (either may be None): the formulas of the module docstring"""
    m, n = lower.shape[-2], upper.shape[-1]
    k = builtins.min(m, n)
    zeros = _wrap(np.zeros((), dtype=lower._data.dtype))
    gl = zeros.expand(lower.shape) if gl is None else gl
    gu = zeros.expand(upper.shape) if gu is None else gu
    if m == n:
        return _square_backward(p, lower, upper, gl, gu)
    if m > n:  # tall: L = [L₁; L₂]
        l1, l2 = narrow(lower, -2, 0, k), narrow(lower, -2, k, m - k)
        gl1, gl2 = narrow(gl, -2, 0, k), narrow(gl, -2, k, m - k)
        ga2 = solve_triangular(_mH(upper), gl2, upper=False, left=False)  # G_L₂ U⁻ᴴ
        gu = gu - matmul(_mH(l2), ga2)
        ga1 = _square_backward(None, l1, upper, gl1, gu)
        return matmul(p, cat([ga1, ga2], -2))
    u1, u2 = narrow(upper, -1, 0, k), narrow(upper, -1, k, n - k)
    gu1, gu2 = narrow(gu, -1, 0, k), narrow(gu, -1, k, n - k)
    ga2 = solve_triangular(_mH(lower), gu2, upper=True, unitriangular=True)  # L⁻ᴴ G_U₂
    gl = gl - matmul(ga2, _mH(u2))
    ga1 = _square_backward(None, lower, u1, gl, gu1)
    return matmul(p, cat([ga1, ga2], -1))


def _square_backward(p, lower, upper, gl, gu):
    """P L⁻ᴴ (tril(Lᴴ G_L, -1) + triu(G_U Uᴴ)) U⁻ᴴ (no P when ``p`` is None)"""
    phi = _triangle(matmul(_mH(lower), gl), -1) + _triangle(matmul(gu, _mH(upper)), 0, True)
    x = solve_triangular(_mH(lower), phi, upper=True, unitriangular=True)
    x = solve_triangular(_mH(upper), x, upper=False, left=False)
    return x if p is None else matmul(p, x)


# =====================================================================================================
# linalg.lu_factor, lu_factor_ex, torch.lu
# =====================================================================================================

class LinalgLuFactorExBackward0(Node):
    """LU = tril(L, -1) + U with A = P L U:  dA = P L⁻ᴴ (tril(Lᴴ G_L, -1) + triu(G_U Uᴴ)) U⁻ᴴ, G_L and G_U the
    parts of G below and on/above the diagonal (rectangular A: see the module docstring)"""

    def backward(self, g):
        (lu,) = self.saved_values()
        lower, upper = _unpack(lu)
        k = lower.shape[-1]
        gl = _triangle(narrow(g, -1, 0, k), -1)
        gu = _triangle(narrow(g, -2, 0, k), 0, True)
        return (_lu_backward(_wrap(self.p), lower, upper, gl, gu),)


def _factor(a: Tensor, pivot: bool, fn: str):
    _check(a, fn)
    if not pivot:
        raise RuntimeError("linalg.lu_factor: LU without pivoting is not implemented on the CPU")
    lu, piv, info = _getrf(a._data)
    t = _rec(lu, LinalgLuFactorExBackward0, (a,), keep_out=True, p=_permutation(piv, a.shape[-2], lu.dtype))
    return t, _wrap(piv), _wrap(info)


def lu_factor_ex(A: Tensor, *, pivot: bool = True, check_errors: bool = False):
    """(LU, pivots, info): A = P L U packed, LAPACK's row swaps, and per matrix the first zero pivot (0: none)"""
    lu, piv, info = _factor(A, pivot, "linalg.lu_factor_ex")
    if check_errors:
        _raise_singular(info._data, A.ndim, "torch.linalg.lu_factor_ex")
    return _lu_factor_ex_result(lu, piv, info)


def _raise_singular(info, ndim: int, fn: str) -> None:
    k = _first_failure(info)
    if k >= 0:
        i = int(np.asarray(info).reshape(-1)[k])
        raise RuntimeError(f"{fn}: {_batch_prefix(ndim, k)}U[{i},{i}] is zero and using it on lu_solve would result "
                           "in a division by zero. If you still want to perform the factorization, consider calling "
                           "linalg.lu(A, pivot) or linalg.lu_factor_ex(A, pivot)")


def lu_factor(A: Tensor, *, pivot: bool = True):
    """(LU, pivots) of A = P L U; an exactly zero pivot is an error (lu_factor_ex reports it instead)"""
    lu, piv, info = _factor(A, pivot, "torch.lu_factor")
    _raise_singular(info._data, A.ndim, "torch.linalg.lu_factor")
    return _lu_factor_result(lu, piv)


_LU_WARNING = ("torch.lu is deprecated in favor of torch.linalg.lu_factor / torch.linalg.lu_factor_ex and will be "
               "removed in a future PyTorch release.\nLU, pivots = torch.lu(A, compute_pivots)\nshould be replaced "
               "with\nLU, pivots = torch.linalg.lu_factor(A, compute_pivots)\nand\nLU, pivots, info = torch.lu(A, "
               "compute_pivots, get_infos=True)\nshould be replaced with\nLU, pivots, info = "
               "torch.linalg.lu_factor_ex(A, compute_pivots)")


def torch_lu(A: Tensor, pivot: bool = True, get_infos: bool = False):
    """the deprecated torch.lu: (LU, pivots), and the infos with ``get_infos`` (else a zero pivot is an error)"""
    warnings.warn(_LU_WARNING, UserWarning, stacklevel=2)
    lu, piv, info = _factor(A, pivot, "torch.lu")
    if get_infos:
        return lu, piv, info
    _raise_singular(info._data, A.ndim, "torch.linalg.lu")
    return lu, piv

expose(torch_lu, torch=("lu",), method=("lu",))


# =====================================================================================================
# linalg.lu and lu_unpack
# =====================================================================================================

class LinalgLuBackward0(Node):
    """A = P L U:  dA = P L⁻ᴴ (tril(Lᴴ G_L, -1) + triu(G_U Uᴴ)) U⁻ᴴ (rectangular A: see the module docstring)"""

    def backward(self, grads):
        gl, gu = grads
        lower, upper = _saved_with_outputs(self)[self.first_alias:]
        return (_lu_backward(_wrap(self.p), lower, upper, gl, gu),)


def linalg_lu(A: Tensor, *, pivot: bool = True):
    """(P, L, U) with A = P L U (P a permutation, L unit lower triangular, U upper triangular)"""
    _check(A, "linalg.lu")
    if not pivot:
        raise RuntimeError("linalg.lu: LU without pivoting is not implemented on the CPU")
    lu, piv, _ = _getrf(A._data)
    m, n = lu.shape[-2:]
    k = builtins.min(m, n)
    p = _permutation(piv, m, lu.dtype)
    lower = np.tril(lu[..., :, :k], -1) + np.eye(m, k, dtype=lu.dtype)
    upper = np.triu(lu[..., :k, :])
    lt, ut = _rec_multi((lower, upper), LinalgLuBackward0, (A,), keep=(0, 1), p=p)
    return _lu_result(_wrap(p), lt, ut)


def lu_unpack(LU_data: Tensor, LU_pivots: Tensor, unpack_data: bool = True, unpack_pivots: bool = True):
    """(P, L, U) from lu_factor's (LU, pivots); what is not unpacked comes back empty"""
    if LU_data.ndim < 2:
        raise RuntimeError(f"torch.lu_unpack: Expected tensor with 2 or more dimensions. Got size: "
                           f"{list(LU_data.shape)} instead")
    if LU_pivots._data.dtype != np.int32:
        raise RuntimeError("torch.lu_unpack: LU_pivots is expected to be a contiguous tensor of torch.int32 dtype.\n"
                           "Note: this function is intended to be used with the output produced by torch.linalg."
                           "lu_factor")
    m = LU_data.shape[-2]
    empty = _wrap(np.zeros(0, dtype=LU_data._data.dtype))
    lower, upper = _unpack(LU_data) if unpack_data else (empty, _wrap(empty._data.copy()))
    p = _wrap(_permutation(LU_pivots._data, m, LU_data._data.dtype)) if unpack_pivots else \
        _wrap(np.zeros(0, dtype=LU_data._data.dtype))
    return _lu_unpack_result(p, lower, upper)

expose(lu_unpack)


# =====================================================================================================
# linalg.lu_solve and torch.lu_solve
# =====================================================================================================

class LinalgLuSolveBackward0(Node):
    """X = A⁻¹ B, A = P L U:  dB = A⁻ᴴ G, dA = -dB Xᴴ, G_L = tril(Pᵀ dA Uᴴ, -1), G_U = triu(Lᴴ Pᵀ dA), dLU = G_L + G_U
    (adjoint: X = A⁻ᴴ B, dB = A⁻¹ G, dA = -X dBᴴ; left=False: X = B A⁻¹, dB = G A⁻ᴴ, dA = -Xᴴ dB)"""
    left = True
    adjoint = False

    def backward(self, g):
        lu, piv, x = self.saved_values()
        gb = lu_solve(lu, piv, g, left=self.left, adjoint=not self.adjoint)
        glu = None
        if self.next[0] is not None:
            if self.left:
                ga = -matmul(x, _mH(gb)) if self.adjoint else -matmul(gb, _mH(x))
            else:
                ga = -matmul(_mH(gb), x) if self.adjoint else -matmul(_mH(x), gb)
            lower, upper = _unpack(lu)
            pta = matmul(_wrap(np.swapaxes(self.p, -1, -2)), ga)
            glu = _triangle(matmul(pta, _mH(upper)), -1) + _triangle(matmul(_mH(lower), pta), 0, True)
        return (glu, None, gb)


def _apply(lud, piv, bd, left: bool, adjoint: bool):
    """X with A X = B (adjoint: Aᴴ X = B; not left: X A = B, X Aᴴ = B), A = P L U from the packed factors"""
    if not left:  # X A = B  <=>  Aᴴ Xᴴ = Bᴴ
        xh = _apply(lud, piv, np.conj(np.swapaxes(bd, -1, -2)), True, not adjoint)
        return np.conj(np.swapaxes(xh, -1, -2))
    n = lud.shape[-1]
    batch = np.broadcast_shapes(lud.shape[:-2], bd.shape[:-2], piv.shape[:-1])
    lu = np.broadcast_to(lud, batch + lud.shape[-2:])
    b = np.broadcast_to(bd, batch + bd.shape[-2:]).astype(np.result_type(lud.dtype, bd.dtype))
    perm = np.broadcast_to(_row_order(piv, n), batch + (n,))
    if not adjoint:  # L U x = Pᵀ b
        pb = np.take_along_axis(b, perm[..., :, None], axis=-2)
        return _trsm(lu, _trsm(lu, pb, False, True, True), True)
    luh = np.conj(np.swapaxes(lu, -1, -2))  # Uᴴ Lᴴ Pᵀ x = b
    y = _trsm(luh, _trsm(luh, b, False), True, True, True)
    x = np.empty_like(y)
    np.put_along_axis(x, perm[..., :, None], y, axis=-2)
    return x


def lu_solve(LU: Tensor, pivots: Tensor, B: Tensor, *, left: bool = True, adjoint: bool = False) -> Tensor:
    """X with A X = B for A = P L U given as lu_factor's (LU, pivots) (adjoint: Aᴴ X = B; not left: X A = B)"""
    fn = "linalg.lu_solve"
    if LU._data.dtype != B._data.dtype:
        raise RuntimeError(f"{fn}: Expected LU and B to have the same dtype, but found LU of type "
                           f"{_long_name(LU.dtype)} and B of type {_long_name(B.dtype)} instead")
    if pivots._data.dtype != np.int32:
        raise RuntimeError(f"{fn}: pivots should be a Tensor of scalar type torch.int32")
    for prefix, name, t in (("torch.", "A", LU), ("", "B", B)):
        if t.ndim < 2:
            raise RuntimeError(f"{prefix}{fn}: The input tensor {name} must have at least 2 dimensions.")
    if LU.shape[-1] != LU.shape[-2]:
        raise RuntimeError(f"{fn}: LU must be batches of square matrices, but they are {LU.shape[-2]} by "
                           f"{LU.shape[-1]} matrices")
    n = LU.shape[-1]
    if (B.shape[-2] if left else B.shape[-1]) != n:
        raise RuntimeError(f"{fn}: Incompatible shapes of A and B for the equation {'AX = B' if left else 'XA = B'} "
                           f"({LU.shape[-2]}x{LU.shape[-1]} and {B.shape[-2]}x{B.shape[-1]})")
    if pivots.ndim == 0 or pivots.shape[-1] != n:
        raise RuntimeError(f"{fn}: Number of pivots per batch should be same as the dimension of the matrix")
    x = _apply(LU._data, pivots._data, B._data, left, adjoint)
    batch = x.shape[:-2]
    shapes = (LU.shape, pivots.shape, B.shape) if (LU.shape[:-2] != batch or tuple(B.shape) != x.shape) else None
    p = _permutation(np.broadcast_to(pivots._data, batch + pivots.shape[-1:]), n, LU._data.dtype)
    return _rec(np.ascontiguousarray(x), LinalgLuSolveBackward0, (LU, pivots, B), saved=(LU, pivots),
                keep_out=True, in_shapes=shapes, left=left, adjoint=adjoint, p=p)


_LU_SOLVE_WARNING = ("torch.lu_solve is deprecated in favor of torch.linalg.lu_solveand will be removed in a future "
                     "PyTorch release.\nNote that torch.linalg.lu_solve has its arguments reversed.\nX = "
                     "torch.lu_solve(B, LU, pivots)\nshould be replaced with\nX = torch.linalg.lu_solve(LU, pivots, B)")


def torch_lu_solve(b: Tensor, LU_data: Tensor, LU_pivots: Tensor) -> Tensor:
    """the deprecated torch.lu_solve(B, LU, pivots) = linalg.lu_solve(LU, pivots, B)"""
    warnings.warn(_LU_SOLVE_WARNING, UserWarning, stacklevel=2)
    return lu_solve(LU_data, LU_pivots, b)

expose(torch_lu_solve, torch=("lu_solve",), method=("lu_solve",))
