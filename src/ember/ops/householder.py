"""Householder products and the LDLᵀ (Bunch-Kaufman) factorization: ``linalg.householder_product`` (``orgqr``),
``linalg.ldl_factor(_ex)`` and ``linalg.ldl_solve``.

householder_product(A, τ) = H₀ H₁ ⋯ H_(k-1) restricted to A's n columns, H_j = I - τ_j v_j v_jᴴ with v_j zero
above row j, 1 at row j and A's column j below; differentiable (its node). The LDL factorization is LAPACK's
sytf2 (lower triangle, partial pivoting with 1x1 and 2x2 blocks, α = (1 + √17)/8), with sytrs to solve; as in
PyTorch, neither has a derivative.
"""

from __future__ import annotations

import builtins
import math

from .._array import np
from .._core.exposure import expose
from .._core.messages import _long_name
from .._core.node import Node
from .._core.tensor import Tensor, _wrap
from ..return_types import _ldl_factor_ex_result, _ldl_factor_result
from .binary import _rec
from .join import cat, stack
from .linalg import _mH, matmul

__all__ = ["householder_product", "ldl_factor", "ldl_factor_ex", "ldl_solve"]


# =====================================================================================================
# householder_product
# =====================================================================================================

def _reflectors(ad, k):
    """The vectors v_j (..., m) of A's first k columns."""
    m = ad.shape[-2]
    vs = []
    for j in builtins.range(k):
        v = np.zeros(ad.shape[:-2] + (m,), dtype=ad.dtype)
        v[..., j] = 1
        v[..., j + 1:] = ad[..., j + 1:, j]
        vs.append(v)
    return vs


def _product(ad, td):
    """Q = H₀ ⋯ H_(k-1) E (E: the first n columns of I), applied from the right end as LAPACK's org2r."""
    m, n = ad.shape[-2:]
    k = td.shape[-1]
    r = np.zeros(ad.shape, dtype=ad.dtype)
    r[..., builtins.range(n), builtins.range(n)] = 1
    for j, v in reversed(list(enumerate(_reflectors(ad, k)))):
        w = np.einsum("...i,...ij->...j", v.conj(), r)
        r = r - td[..., j, None, None] * v[..., :, None] * w[..., None, :]
    return r


def _reflector_t(a: Tensor, j: int) -> Tensor:
    """v_j of A as a tensor (..., m, 1), differentiable in A's column j below the diagonal."""
    m = a.shape[-2]
    mask = np.zeros((m, 1), dtype=a._data.dtype)
    mask[j + 1:] = 1
    unit = np.zeros((m, 1), dtype=a._data.dtype)
    unit[j] = 1
    return a[..., :, j:j + 1] * _wrap(mask) + _wrap(unit)


class LinalgHouseholderProductBackward0(Node):
    """Q = R₀, R_j = H_j R_(j+1), R_k = E, H_j = I - τ_j v_j v_jᴴ:  with G₀ = G and G_(j+1) = H_jᴴ G_j,
    dτ_j = -v_jᴴ G_j R_(j+1)ᴴ v_j, dv_j = -(τ̄_j G_j R_(j+1)ᴴ v_j + τ_j R_(j+1) G_jᴴ v_j) (dA: its part below row j)"""

    def backward(self, g):
        a, tau = self.saved_values()
        m, n = a.shape[-2:]
        k = tau.shape[-1]
        if k == 0:  # Q = E whatever A: PyTorch leaves both gradients undefined
            return (None, None)
        vs = [_reflector_t(a, j) for j in builtins.range(k)]
        eye = np.zeros((m, n), dtype=a._data.dtype)
        eye[builtins.range(n), builtins.range(n)] = 1
        rs = [None] * (k + 1)
        rs[k] = _wrap(np.broadcast_to(eye, a.shape).copy())
        for j in builtins.range(k - 1, -1, -1):
            t = tau[..., j:j + 1].unsqueeze(-1)
            rs[j] = rs[j + 1] - t * matmul(vs[j], matmul(_mH(vs[j]), rs[j + 1]))
        ga_cols, gtau = [], []
        gj = g
        for j in builtins.range(k):
            v, r, t = vs[j], rs[j + 1], tau[..., j:j + 1].unsqueeze(-1)
            rv = matmul(_mH(r), v)
            gtau.append(-matmul(matmul(_mH(v), gj), rv)[..., 0, 0])
            gv = -(t.conj() * matmul(gj, rv) + t * matmul(r, matmul(_mH(gj), v)))
            mask = np.zeros((m, 1), dtype=a._data.dtype)
            mask[j + 1:] = 1
            ga_cols.append(gv * _wrap(mask))
            gj = gj - t.conj() * matmul(v, matmul(_mH(v), gj))
        zeros = _wrap(np.zeros(a.shape[:-1] + (n - k,), dtype=a._data.dtype))
        ga = cat(ga_cols + ([zeros] if n > k else []), -1)
        gt = stack(gtau, -1)
        return (ga, gt)


def householder_product(input: Tensor, tau: Tensor) -> Tensor:
    """H₀ H₁ ⋯ H_(k-1) (the first n columns) from the Householder vectors in ``input``'s columns and ``tau``"""
    fn = "torch.linalg.householder_product"
    if input.ndim < 2:
        raise RuntimeError(f"{fn}: input must have at least 2 dimensions.")
    m, n = input.shape[-2:]
    if m < n:
        raise RuntimeError(f"{fn}: input.shape[-2] must be greater than or equal to input.shape[-1]")
    if n < tau.shape[-1] if tau.ndim else False:
        raise RuntimeError(f"{fn}: input.shape[-1] must be greater than or equal to tau.shape[-1]")
    if tau.ndim != input.ndim - 1:
        raise RuntimeError(f"{fn}: Expected tau to have one dimension less than input, but got tau.ndim equal to "
                           f"{tau.ndim} and input.ndim is equal to {input.ndim}")
    if tuple(tau.shape[:-1]) != tuple(input.shape[:-2]):
        raise RuntimeError(f"{fn}: Expected batch dimensions of tau to be equal to input.shape[:-2], but got "
                           f"[{', '.join(str(s) for s in tau.shape[:-1])}]")
    if input._data.dtype.kind not in "fc":
        raise NotImplementedError(f"\"orgqr_cpu\" not implemented for '{_long_name(input.dtype)}'")
    if tau.dtype != input.dtype:
        raise RuntimeError(f"{fn}: tau dtype {_long_name(tau.dtype)} does not match input dtype "
                           f"{_long_name(input.dtype)}")
    r = _product(input._data, tau._data)
    return _rec(np.ascontiguousarray(r), LinalgHouseholderProductBackward0, (input, tau), saved=(input, tau))

expose(householder_product, torch=("orgqr",), method=("orgqr",))


# =====================================================================================================
# LDL: sytf2 / sytrs (lower)
# =====================================================================================================

_ALPHA = (1 + math.sqrt(17)) / 8


def _cabs1(z):
    return np.abs(z.real) + np.abs(z.imag) if np.iscomplexobj(z) else np.abs(z)


def _sytf2(a, herm: bool):
    """One matrix: the packed L and D (lower), the 1-based pivots (negative for 2x2 blocks) and info."""
    n = a.shape[0]
    a = np.tril(a).astype(a.dtype, copy=True)
    piv = np.zeros(n, dtype=np.int32)
    info = 0
    cj = np.conj if herm else (lambda z: z)
    k = 0
    while k < n:
        kstep = 1
        absakk = abs(a[k, k].real) if herm else _cabs1(a[k, k])
        if k < n - 1:
            imax = k + 1 + int(np.argmax(_cabs1(a[k + 1:, k])))
            colmax = _cabs1(a[imax, k])
        else:
            imax, colmax = k, 0.0
        if builtins.max(absakk, colmax) == 0 or np.isnan(absakk):
            if info == 0:
                info = k + 1
            kp = k
            if herm:
                a[k, k] = a[k, k].real
        else:
            if absakk >= _ALPHA * colmax:
                kp = k
            else:
                row = _cabs1(a[imax, k:imax])
                jmax = k + int(np.argmax(row))
                rowmax = _cabs1(a[imax, jmax])
                if imax < n - 1:
                    rowmax = builtins.max(rowmax, float(np.max(_cabs1(a[imax + 1:, imax]))))
                aii = abs(a[imax, imax].real) if herm else _cabs1(a[imax, imax])
                if absakk >= _ALPHA * colmax * (colmax / rowmax):
                    kp = k
                elif aii >= _ALPHA * rowmax:
                    kp = imax
                else:
                    kp, kstep = imax, 2
            kk = k + kstep - 1
            if kp != kk:
                if kp < n - 1:
                    a[kp + 1:, kk], a[kp + 1:, kp] = a[kp + 1:, kp].copy(), a[kp + 1:, kk].copy()
                for j in builtins.range(kk + 1, kp):
                    a[j, kk], a[kp, j] = cj(a[kp, j]), cj(a[j, kk])
                if herm:
                    a[kp, kk] = np.conj(a[kp, kk])
                a[kk, kk], a[kp, kp] = a[kp, kp], a[kk, kk]
                if kstep == 2:
                    a[k + 1, k], a[kp, k] = a[kp, k], a[k + 1, k]
            if kstep == 1:
                if herm:
                    a[k, k] = a[k, k].real
                if k < n - 1:
                    d11 = 1 / (a[k, k].real if herm else a[k, k])
                    x = a[k + 1:, k].copy()
                    a[k + 1:, k + 1:] -= np.tril(d11 * np.outer(x, cj(x)))
                    if herm:
                        idx = builtins.range(k + 1, n)
                        a[idx, idx] = a[idx, idx].real
                    a[k + 1:, k] = x * d11
            else:
                if k < n - 2:
                    d21 = a[k + 1, k]
                    if herm:
                        d = abs(d21)
                        d11 = a[k + 1, k + 1].real / d
                        d22 = a[k, k].real / d
                        t = 1 / (d11 * d22 - 1)
                        d21 = d21 / d
                        tt = t / d
                    else:
                        d11 = a[k + 1, k + 1] / d21
                        d22 = a[k, k] / d21
                        t = 1 / (d11 * d22 - 1)
                        d21 = t / d21
                    for j in builtins.range(k + 2, n):
                        if herm:
                            wk = tt * (d11 * a[j, k] - d21 * a[j, k + 1])
                            wkp1 = tt * (d22 * a[j, k + 1] - np.conj(d21) * a[j, k])
                            a[j:, j] -= a[j:, k] * np.conj(wk) + a[j:, k + 1] * np.conj(wkp1)
                            a[j, j] = a[j, j].real
                        else:
                            wk = d21 * (d11 * a[j, k] - a[j, k + 1])
                            wkp1 = d21 * (d22 * a[j, k + 1] - a[j, k])
                            a[j:, j] -= a[j:, k] * wk + a[j:, k + 1] * wkp1
                        a[j, k] = wk
                        a[j, k + 1] = wkp1
                if herm:
                    a[k, k] = a[k, k].real
                    a[k + 1, k + 1] = a[k + 1, k + 1].real
        if kstep == 1:
            piv[k] = kp + 1
        else:
            piv[k] = piv[k + 1] = -(kp + 1)
        k += kstep
    return a, piv, info


def _ldl_check(a: Tensor, fn: str):
    if a.ndim < 2:
        raise RuntimeError(f"torch.linalg.{fn}: The input tensor A must have at least 2 dimensions.")
    if a.shape[-1] != a.shape[-2]:
        raise RuntimeError(f"torch.linalg.{fn}: A must be batches of square matrices, but they are "
                           f"{a.shape[-2]} by {a.shape[-1]} matrices")
    if a._data.dtype.kind not in "fc":
        raise RuntimeError(f"torch.linalg.{fn}: Expected a floating point or complex tensor as input. Got "
                           f"{_long_name(a.dtype)}")


class _NoDerivative(Node):
    """PyTorch gives this op no derivative: backward raises."""
    op = ""

    def backward(self, g):
        raise RuntimeError(f"derivative for aten::{self.op} is not implemented")


class LinalgLdlFactorExNotImplemented(_NoDerivative):
    op = "linalg_ldl_factor_ex"


class LinalgLdlSolveNotImplemented(_NoDerivative):
    op = "linalg_ldl_solve"


def _raise_info(info, fn: str) -> None:
    """PyTorch 2.13 has no message for sytrf's info > 0 (a zero pivot of D): its internal assert fires."""
    bad = np.nonzero(info.reshape(-1))[0]
    if bad.size:
        raise RuntimeError('false INTERNAL ASSERT FAILED at "/__w/pytorch/pytorch/aten/src/ATen/native/'
                           'BatchLinearAlgebra.cpp":1642, please report a bug to PyTorch. '
                           f"torch.linalg.{fn}: Unknown error code: {int(info.reshape(-1)[bad[0]])}.")


def _factor(a: Tensor, hermitian: bool, fn: str, check_errors: bool):
    _ldl_check(a, fn)
    ad = a._data
    n = ad.shape[-1]
    flat = ad.reshape((-1, n, n))
    ld = np.zeros_like(flat)
    piv = np.zeros(flat.shape[:2], dtype=np.int32)
    info = np.zeros(flat.shape[0], dtype=np.int32)
    herm = hermitian and np.iscomplexobj(ad)
    with np.errstate(all="ignore"):
        for b in builtins.range(flat.shape[0]):
            ld[b], piv[b], info[b] = _sytf2(flat[b], herm)
    if check_errors:
        _raise_info(info, fn)
    ldt = _rec(ld.reshape(ad.shape), LinalgLdlFactorExNotImplemented, (a,))
    return ldt, _wrap(piv.reshape(ad.shape[:-1])), _wrap(info.reshape(ad.shape[:-2]))


def ldl_factor_ex(A: Tensor, *, hermitian: bool = False, check_errors: bool = False):
    """(LD, pivots, info): the Bunch-Kaufman LDLᵀ (LDLᴴ when ``hermitian``) factorization of a symmetric A, compact
    as LAPACK's sytrf gives it (L below the diagonal, D's blocks on it; 2x2 blocks marked by negative pivots);
    info > 0 where D has a zero pivot"""
    return _ldl_factor_ex_result(*_factor(A, hermitian, "ldl_factor_ex", check_errors))


def ldl_factor(A: Tensor, *, hermitian: bool = False):
    """(LD, pivots): ldl_factor_ex that raises where the factorization fails"""
    ld, piv, info = _factor(A, hermitian, "ldl_factor", False)
    _raise_info(info._data, "ldl_factor")
    return _ldl_factor_result(ld, piv)


def _sytrs(a, piv, b, herm: bool):
    """X with (P L D Lᵀ Pᵀ) X = B for one matrix from sytf2's factors (b: (n, k))."""
    n = a.shape[0]
    b = b.copy()
    cj = np.conj if herm else (lambda z: z)
    k = 0
    while k < n:
        if piv[k] > 0:
            kp = piv[k] - 1
            b[[k, kp]] = b[[kp, k]]
            if k < n - 1:
                b[k + 1:] -= np.outer(a[k + 1:, k], b[k])
            b[k] = b[k] / (a[k, k].real if herm else a[k, k])
            k += 1
        else:
            kp = -piv[k] - 1
            b[[k + 1, kp]] = b[[kp, k + 1]]
            if k < n - 2:
                b[k + 2:] -= np.outer(a[k + 2:, k], b[k])
                b[k + 2:] -= np.outer(a[k + 2:, k + 1], b[k + 1])
            akm1k = a[k + 1, k]
            akm1 = (a[k, k] / cj(akm1k))
            ak = a[k + 1, k + 1] / akm1k
            denom = akm1 * ak - 1
            bkm1 = b[k] / cj(akm1k)
            bk = b[k + 1] / akm1k
            b[k] = (ak * bkm1 - bk) / denom
            b[k + 1] = (akm1 * bk - bkm1) / denom
            k += 2
    k = n - 1
    while k >= 0:
        if piv[k] > 0:
            if k < n - 1:
                b[k] -= cj(a[k + 1:, k]) @ b[k + 1:]
            kp = piv[k] - 1
            b[[k, kp]] = b[[kp, k]]
            k -= 1
        else:
            if k < n - 1:
                b[k] -= cj(a[k + 1:, k]) @ b[k + 1:]
                b[k - 1] -= cj(a[k + 1:, k - 1]) @ b[k + 1:]
            kp = -piv[k] - 1
            b[[k, kp]] = b[[kp, k]]
            k -= 2
    return b


def ldl_solve(LD: Tensor, pivots: Tensor, B: Tensor, *, hermitian: bool = False) -> Tensor:
    """X with A X = B from ldl_factor's (LD, pivots)"""
    _ldl_check(LD, "ldl_solve")
    if B.ndim < 2:
        raise RuntimeError("torch.linalg.ldl_solve: Expected B to have at least 2 dimensions, but it has "
                           f"{B.ndim} dimensions instead")
    if LD.shape[-1] != B.shape[-2]:
        raise RuntimeError(f"torch.linalg.ldl_solve: Incompatible shapes of A and B for the equation AX = B "
                           f"({LD.shape[-2]}x{LD.shape[-1]} and {B.shape[-2]}x{B.shape[-1]})")
    if pivots.dtype.name != "int32":
        raise RuntimeError(f"torch.linalg.ldl_solve: Expected pivots to be integers. Got {_long_name(pivots.dtype)}")
    if LD.dtype != B.dtype:
        raise RuntimeError(f"torch.linalg.ldl_solve: LD dtype {_long_name(LD.dtype)} does not match b dtype "
                           f"{_long_name(B.dtype)}")
    ad, pd, bd = LD._data, pivots._data, B._data
    n = ad.shape[-1]
    batch = np.broadcast_shapes(ad.shape[:-2], bd.shape[:-2])
    af = np.broadcast_to(ad, batch + (n, n)).reshape((-1, n, n))
    pf = np.broadcast_to(pd, batch + (n,)).reshape((-1, n))
    bf = np.broadcast_to(bd, batch + bd.shape[-2:]).reshape((-1,) + bd.shape[-2:])
    out = np.empty(bf.shape, dtype=np.result_type(ad, bd))
    herm = hermitian and np.iscomplexobj(ad)
    with np.errstate(all="ignore"):
        for i in builtins.range(af.shape[0]):
            out[i] = _sytrs(af[i], pf[i], bf[i].astype(out.dtype), herm)
    return _rec(out.reshape(batch + bd.shape[-2:]), LinalgLdlSolveNotImplemented, (LD, B))



