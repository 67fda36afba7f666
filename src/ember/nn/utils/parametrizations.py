"""``nn.utils.parametrizations``: weight_norm, spectral_norm and orthogonal as parametrizations (see parametrize).

* weight_norm: ``weight = g · v / ‖v‖``, the originals ``original0`` = g and ``original1`` = v.
* spectral_norm: ``weight = W / σ(W)`` with σ estimated by power iteration on the buffers ``_u``, ``_v`` (15
  iterations at registration, one per training forward), as in PyTorch, with its random start vectors.
* orthogonal: ``weight`` an orthogonal (or semi-orthogonal) matrix, through the matrix exponential or the Cayley map
  of a skew-symmetric matrix, or a product of Householder reflections; by default "trivialised" around a base
  orthogonal matrix, as PyTorch does. (Its float32 values equal PyTorch's up to rounding: the matrix exponential
  here is a scaled-and-squared Taylor series of ember ops, so that it is differentiable.)
"""

from __future__ import annotations

import math
from enum import Enum, auto

from ... import linalg
from ... import ops as AF
from ..._array import np
from ..._core.tensor import Tensor, _wrap
from ...autograd import grad_mode
from ...ops import creation as C
from ...ops import random as R
from .. import functional as F
from ..modules.module import Module
from . import parametrize
from .spectral_norm import _default_dim
from .weight_norm import _weight_norm, norm_except_dim

__all__ = ["orthogonal", "spectral_norm", "weight_norm"]


# -- local linear-algebra helpers (ember has no differentiable householder_product or matrix_exp) -------------

def _geqrf(A: Tensor) -> tuple[Tensor, Tensor]:
    """LAPACK's QR factorisation in compact form (R above the diagonal, reflectors below, and their τ); no grad."""
    a = A._data
    batch = a.shape[:-2]
    flat = a.reshape((-1,) + a.shape[-2:])
    hs, taus = [], []
    for m in flat:
        h, tau = np.linalg.qr(m, mode="raw")  # h is the transposed geqrf output
        hs.append(h.T)
        taus.append(tau)
    h = np.stack(hs).reshape(a.shape).astype(a.dtype)
    tau = np.stack(taus).reshape(batch + (min(a.shape[-2:]),)).astype(a.dtype)
    return _wrap(h), _wrap(tau)


def _householder_product(A: Tensor, tau: Tensor) -> Tensor:
    """The first k columns of H_1 H_2 ⋯ H_k, H_i = I - τ_i v_i v_iᴴ with v_i = (0, …, 0, 1, A[i+1:, i])."""
    n, k = A.shape[-2], A.shape[-1]
    eye = np.eye(n, dtype=A._data.dtype)
    Q = _wrap(np.broadcast_to(eye[:, :k], tuple(A.shape[:-2]) + (n, k)).copy())
    for i in range(tau.shape[-1] - 1, -1, -1):
        below = _wrap((np.arange(n) > i).astype(A._data.dtype))
        v = A[..., :, i] * below + _wrap(eye[:, i])  # (..., n)
        Q = Q - (tau[..., i].unsqueeze(-1).unsqueeze(-1) * v.unsqueeze(-1)) * (v.unsqueeze(-2) @ Q)
    return Q


def _matrix_exp(A: Tensor) -> Tensor:
    """e^A by scaling and squaring of its Taylor series (differentiable: ember ops only)."""
    norm = float(np.abs(A._data).sum(-2).max()) if A.numel() else 0.0
    s = max(0, int(math.ceil(math.log2(norm))) + 1) if norm > 0.5 else 0
    X = A / (2.0 ** s)
    n = A.shape[-1]
    eye = _wrap(np.eye(n, dtype=A._data.dtype))
    term, out = eye, eye
    for j in range(1, 19):
        term = (term @ X) / j
        out = out + term
    for _ in range(s):
        out = out @ out
    return out


def _is_orthogonal(Q: Tensor) -> bool:
    n, k = Q.size(-2), Q.size(-1)
    eps = 10.0 * n * float(np.finfo(Q._data.dtype).eps)
    return bool(np.allclose((Q.mH @ Q)._data, np.eye(k), atol=eps, rtol=1e-5))


def _make_orthogonal(A: Tensor) -> Tensor:
    X, tau = _geqrf(A)
    Q = _householder_product(X, tau)
    return Q * X.diagonal(dim1=-2, dim2=-1).sgn().unsqueeze(-2)


class _OrthMaps(Enum):
    matrix_exp = auto()
    cayley = auto()
    householder = auto()


class _Orthogonal(Module):
    """X ↦ an orthogonal matrix (columns orthonormal when the matrix is tall; rows when wide)."""

    def __init__(self, weight: Tensor, orthogonal_map: _OrthMaps, *, use_trivialization: bool = True) -> None:
        super().__init__()
        if weight.is_complex() and orthogonal_map == _OrthMaps.householder:
            raise ValueError("The householder parametrization does not support complex tensors.")
        self.shape = weight.shape
        self.orthogonal_map = orthogonal_map
        if use_trivialization:
            self.register_buffer("base", None)

    def forward(self, X: Tensor) -> Tensor:
        n, k = X.size(-2), X.size(-1)
        transposed = n < k
        if transposed:
            X = X.mT
            n, k = k, n
        if self.orthogonal_map in (_OrthMaps.matrix_exp, _OrthMaps.cayley):
            X = X.tril()
            if n != k:
                X = AF.cat([X, X.new_zeros(n, n - k).expand(*X.shape[:-2], -1, -1)], -1)
            A = X - X.mH
            if self.orthogonal_map == _OrthMaps.matrix_exp:
                Q = _matrix_exp(A)
            else:
                eye = C.eye(n, dtype=A.dtype)
                Q = linalg.solve(eye - A * 0.5, eye + A * 0.5)
            if n != k:
                Q = Q[..., :k]
        else:
            A = X.tril(diagonal=-1)
            tau = 2.0 / (1.0 + (A * A).sum(dim=-2))
            Q = _householder_product(A, tau)
            Q = Q * X.diagonal(dim1=-2, dim2=-1).int().unsqueeze(-2)
        if hasattr(self, "base"):
            Q = self.base @ Q
        return Q.mT if transposed else Q

    def right_inverse(self, Q: Tensor) -> Tensor:
        with grad_mode.no_grad():
            if Q.shape != self.shape:
                raise ValueError(f"Expected a matrix or batch of matrices of shape {self.shape}. Got a tensor of shape "
                                 f"{Q.shape}.")
            Q_init = Q
            n, k = Q.size(-2), Q.size(-1)
            transpose = n < k
            if transpose:
                Q = Q.mT
                n, k = k, n
            if not hasattr(self, "base"):
                if self.orthogonal_map in (_OrthMaps.cayley, _OrthMaps.matrix_exp):
                    raise NotImplementedError("It is not possible to assign to the matrix exponential or the Cayley "
                                              "parametrizations when use_trivialization=False.")
                A, tau = _geqrf(Q)
                a = A._data
                idx = np.arange(min(a.shape[-2:]))
                d = np.sign(a[..., idx, idx])
                d[tau._data == 0.0] *= -1
                a[..., idx, idx] = d
                return A.mT if transpose else A
            if n == k:
                Q = _make_orthogonal(Q) if not _is_orthogonal(Q) else Q.clone()
            else:
                N = R.randn(*(tuple(Q.size()[:-2]) + (n, n - k)), dtype=Q.dtype)
                Q = _make_orthogonal(AF.cat([Q, N], -1))
            self.base = Q
            neg_id = AF.zeros_like(Q_init)
            idx = np.arange(min(neg_id.shape[-2:]))
            neg_id._data[..., idx, idx] = -1.0
            return neg_id


def orthogonal(module: Module, name: str = "weight", orthogonal_map: str | None = None, *,
               use_trivialization: bool = True) -> Module:
    """Parametrize ``module.<name>`` as an orthogonal matrix ("matrix_exp", "cayley" or "householder")."""
    weight = getattr(module, name, None)
    if not isinstance(weight, Tensor):
        raise ValueError(f"Module '{module}' has no parameter or buffer with name '{name}'")
    if weight.ndim < 2:
        raise ValueError(f"Expected a matrix or batch of matrices. Got a tensor of {weight.ndim} dimensions.")
    if orthogonal_map is None:
        square = weight.size(-2) == weight.size(-1) or weight.is_complex()
        orthogonal_map = "matrix_exp" if square else "householder"
    orth_enum = getattr(_OrthMaps, orthogonal_map, None)
    if orth_enum is None:
        raise ValueError('orthogonal_map has to be one of "matrix_exp", "cayley", "householder". '
                         f"Got: {orthogonal_map}")
    parametrize.register_parametrization(module, name, _Orthogonal(weight, orth_enum,
                                                                   use_trivialization=use_trivialization),
                                         unsafe=True)
    return module


class _WeightNorm(Module):
    """(g, v) ↦ g · v / ‖v‖, the norm over all dims but ``dim`` (all of them for None)."""

    def __init__(self, dim: int | None = 0) -> None:
        super().__init__()
        self.dim = -1 if dim is None else dim

    def forward(self, weight_g: Tensor, weight_v: Tensor) -> Tensor:
        return _weight_norm(weight_v, weight_g, self.dim)

    def right_inverse(self, weight: Tensor):
        return norm_except_dim(weight, 2, self.dim), weight


def weight_norm(module: Module, name: str = "weight", dim: int = 0) -> Module:
    """Parametrize ``module.<name>`` as g · v / ‖v‖ (originals: parametrizations.<name>.original0 = g, original1 = v);
    checkpoints of the old weight_norm (``<name>_g``, ``<name>_v``) still load."""
    parametrize.register_parametrization(module, name, _WeightNorm(dim), unsafe=True)

    def _weight_norm_compat_hook(state_dict, prefix, local_metadata, strict, missing_keys, unexpected_keys,
                                 error_msgs) -> None:
        g_key, v_key = f"{prefix}{name}_g", f"{prefix}{name}_v"
        if g_key in state_dict and v_key in state_dict:
            state_dict[f"{prefix}parametrizations.{name}.original0"] = state_dict.pop(g_key)
            state_dict[f"{prefix}parametrizations.{name}.original1"] = state_dict.pop(v_key)

    module._register_load_state_dict_pre_hook(_weight_norm_compat_hook)
    return module


class _SpectralNorm(Module):
    """W ↦ W / σ, σ = uᵀ W v with u, v from power iteration (W the weight reshaped to a matrix along ``dim``)."""

    def __init__(self, weight: Tensor, n_power_iterations: int = 1, dim: int = 0, eps: float = 1e-12) -> None:
        super().__init__()
        ndim = weight.ndim
        if dim >= ndim or dim < -ndim:
            raise IndexError(f"Dimension out of range (expected to be in range of [-{ndim}, {ndim - 1}] but got {dim})")
        if n_power_iterations <= 0:
            raise ValueError(f"Expected n_power_iterations to be positive, but got n_power_iterations="
                             f"{n_power_iterations}")
        self.dim = dim if dim >= 0 else dim + ndim
        self.eps = eps
        if ndim > 1:
            self.n_power_iterations = n_power_iterations
            mat = self._reshape_weight_to_matrix(weight)
            h, w = mat.shape
            u = C.empty(h, dtype=mat.dtype).normal_(0, 1)
            v = C.empty(w, dtype=mat.dtype).normal_(0, 1)
            self.register_buffer("_u", F.normalize(u, dim=0, eps=self.eps))
            self.register_buffer("_v", F.normalize(v, dim=0, eps=self.eps))
            self._power_method(mat, 15)

    def _reshape_weight_to_matrix(self, weight: Tensor) -> Tensor:
        if weight.ndim <= 1:
            raise AssertionError(f"Expected weight to have more than 1 dimension, got {weight.ndim}")
        if self.dim != 0:
            weight = weight.permute(self.dim, *(d for d in range(weight.dim()) if d != self.dim))
        return weight.flatten(1)

    def _power_method(self, mat: Tensor, n_power_iterations: int) -> None:
        with grad_mode.no_grad():
            for _ in range(n_power_iterations):
                _into(self._u, F.normalize(AF.mv(mat, self._v), dim=0, eps=self.eps))
                _into(self._v, F.normalize(AF.mv(mat.mH, self._u), dim=0, eps=self.eps))

    def forward(self, weight: Tensor) -> Tensor:
        if weight.ndim == 1:
            return F.normalize(weight, dim=0, eps=self.eps)
        mat = self._reshape_weight_to_matrix(weight)
        if self.training:
            self._power_method(mat, self.n_power_iterations)
        u, v = self._u.clone(), self._v.clone()
        sigma = AF.dot(u, AF.mv(mat, v))
        return weight / sigma

    def right_inverse(self, value: Tensor) -> Tensor:
        return value


def _into(dest: Tensor, src: Tensor) -> None:
    """``out=dest``: write src's values into the buffer in place (its identity and version counter kept)."""
    dest._data[...] = src._data
    dest._bump()


def spectral_norm(module: Module, name: str = "weight", n_power_iterations: int = 1, eps: float = 1e-12,
                  dim: int | None = None) -> Module:
    """Parametrize ``module.<name>`` as W / σ(W) (buffers parametrizations.<name>.0._u and ._v)."""
    weight = getattr(module, name, None)
    if not isinstance(weight, Tensor):
        raise ValueError(f"Module '{module}' has no parameter or buffer with name '{name}'")
    if dim is None:
        dim = _default_dim(module)
    parametrize.register_parametrization(module, name, _SpectralNorm(weight, n_power_iterations, dim, eps))
    return module

