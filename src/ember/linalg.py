"""``torch.linalg``: linear algebra (decompositions, solvers, norms), each differentiable where PyTorch is."""

from __future__ import annotations

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

__all__ = ["vector_norm", "matrix_norm", "norm", "det", "inv", "inv_ex", "solve", "eigh", "eigvalsh", "eig",
           "eigvals", "svd", "svdvals", "qr", "cholesky", "cholesky_ex", "slogdet", "pinv", "matrix_rank",
           "matrix_power", "matrix_exp", "lstsq", "cond", "multi_dot", "vecdot", "solve_triangular",
           "tensorinv", "tensorsolve", "vander", "diagonal", "matmul", "cross", "LinAlgError"]


vector_norm = _vector_norm
matrix_norm = _matrix_norm
norm = _linalg_norm
inv = inverse
svd = linalg_svd
qr = linalg_qr
vander = _linalg_vander
diagonal = _linalg_diagonal
