"""``torch.linalg``: linear algebra (decompositions, solvers, norms), each differentiable where PyTorch is."""

from __future__ import annotations

from .ops import linalg as _L
from .ops import lu as _LU

__all__ = ["vector_norm", "matrix_norm", "norm", "det", "inv", "inv_ex", "solve", "eigh", "eigvalsh", "eig",
           "eigvals", "svd", "svdvals", "qr", "cholesky", "cholesky_ex", "slogdet", "pinv", "matrix_rank",
           "matrix_power", "matrix_exp", "lstsq", "cond", "multi_dot", "vecdot", "solve_triangular",
           "tensorinv", "tensorsolve", "vander", "diagonal", "matmul", "cross", "LinAlgError",
           "lu", "lu_factor", "lu_factor_ex", "lu_solve", "householder_product"]

LinAlgError = _L.LinAlgError
vector_norm = _L._vector_norm
matrix_norm = _L._matrix_norm
norm = _L._linalg_norm
det = _L.det
inv = _L.inverse
inv_ex = _L.inv_ex
solve = _L.solve
eigh = _L.eigh
eigvalsh = _L.eigvalsh
eig = _L.eig
eigvals = _L.eigvals
svd = _L.linalg_svd
svdvals = _L.svdvals
qr = _L.linalg_qr
cholesky = _L.cholesky
cholesky_ex = _L.cholesky_ex
slogdet = _L.linalg_slogdet
pinv = _L.pinv
matrix_rank = _L.matrix_rank
matrix_power = _L.matrix_power
matrix_exp = _L.matrix_exp
lstsq = _L.lstsq
cond = _L.cond
multi_dot = _L.multi_dot
vecdot = _L.vecdot
solve_triangular = _L.solve_triangular
tensorinv = _L.tensorinv
tensorsolve = _L.tensorsolve
vander = _L._linalg_vander
diagonal = _L._linalg_diagonal
householder_product = _L.householder_product
matmul = _L.matmul
cross = _L.linalg_cross
lu = _LU.linalg_lu
lu_factor = _LU.lu_factor
lu_factor_ex = _LU.lu_factor_ex
lu_solve = _LU.lu_solve
