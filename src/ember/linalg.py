"""torch.linalg."""

from __future__ import annotations

import types

from .ops.linalg import (
    LinAlgError,
    _linalg_diagonal,
    _linalg_norm,
    _linalg_vander,
    _matrix_norm,
    _vector_norm,
    cholesky,
    cholesky_ex,
    cond,
    cross,
    det,
    eig,
    eigh,
    eigvals,
    eigvalsh,
    inv_ex,
    inverse,
    linalg_qr,
    linalg_svd,
    lstsq,
    matmul,
    matrix_exp,
    matrix_power,
    matrix_rank,
    multi_dot,
    pinv,
    slogdet,
    solve,
    solve_triangular,
    svdvals,
    tensorinv,
    tensorsolve,
    vecdot,
)


def _build_linalg():
    return types.SimpleNamespace(
        vector_norm=_vector_norm, matrix_norm=_matrix_norm, norm=_linalg_norm, det=det, inv=inverse,
        inv_ex=inv_ex, solve=solve, eigh=eigh, eigvalsh=eigvalsh, eig=eig, eigvals=eigvals, svd=linalg_svd,
        svdvals=svdvals, qr=linalg_qr, cholesky=cholesky, cholesky_ex=cholesky_ex, slogdet=slogdet, pinv=pinv,
        matrix_rank=matrix_rank, matrix_power=matrix_power, matrix_exp=matrix_exp, lstsq=lstsq, cond=cond,
        multi_dot=multi_dot, vecdot=vecdot, solve_triangular=solve_triangular, tensorinv=tensorinv,
        tensorsolve=tensorsolve, vander=_linalg_vander, diagonal=_linalg_diagonal, matmul=matmul, cross=cross,
        LinAlgError=LinAlgError)
