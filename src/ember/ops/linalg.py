"""Linear algebra: matrix products (mm, addmm, bmm, matmul, ...), decompositions and solvers, norms, distances.

Each op is one block: its node (the derivative in the docstring's first line; ``backward`` gives the input gradients
from the output gradient G, ``jvp`` the output tangent from the input tangents), then the function (PyTorch's
argument checks, the NumPy/LAPACK computation, the record), then its exposure. Matrix calculus notation: Aᵀ the
transpose, Aᴴ the conjugate transpose, ⟨X, Y⟩ = tr(Xᴴ Y), ∘ the elementwise product.

The decompositions (svd, eigh, qr, cholesky, ...) save their own outputs for backward as aliases (no reference cycle);
under ``create_graph`` those aliases lead back to the node, so the backward formulas, written with ember's ops, are
differentiated again correctly (second derivatives through U, S, V, Q, R, L)."""

from __future__ import annotations

import builtins
import math
import weakref

from .._array import np
from .._core import dtype as D
from .._core import modes
from .._core.args import _tensor_arg
from .._core.dims import _wrap_dim
from .._core.exposure import expose
from .._core.messages import _bcast_message, _cname, _expand_mismatch, _long_name, _shape_str
from .._core.node import Node, _type_name
from .._core.record import _forward, _wrap_result
from .._core.sigs import Sigs
from .._core.tensor import Tensor, _wrap
from ..autograd import enable_grad
from ..autograd import grad as _grad
from ..return_types import (
    _cholesky_ex_result,
    _eig_result,
    _eigh_result,
    _geqrf_result,
    _inv_ex_result,
    _lstsq_result,
    _named,
    _qr_result,
    _slogdet_result,
    _solve_ex_result,
    _svd_result,
    _torch_qr_result,
    _torch_svd_result,
)
from .binary import _node, _plus, _rec, mul
from .complex import imag, real
from .convert import clone
from .creation import as_tensor_arg
from .inplace import CopyBackwards, apply_inplace, check_inplace
from .join import cat
from .pointwise import nan_to_num, where
from .random import randn
from .reduce import linalg_vector_norm, norm
from .scan import cumprod
from .shape import (
    ReshapeAliasBackward0,
    UnsafeViewBackward0,
    diag_embed,
    diagonal,
    expand,
    flip,
    narrow,
    reshape,
    squeeze,
    transpose,
    unsqueeze,
)
from .unary import abs, conj, sign

_grad_mode = modes.grad
_fw = modes.forward

__all__ = ["mm", "addmm", "mv", "dot", "bmm", "matmul", "outer", "ger", "trace", "tensordot", "kron", "inner",
           "vdot", "addr", "matrix_power", "multi_dot", "vecdot", "inverse", "det", "slogdet", "logdet",
           "solve", "linalg_svd", "svd", "svdvals", "linalg_qr", "qr", "eigh", "eigvalsh", "eig", "eigvals",
           "cholesky", "cholesky_ex", "cholesky_solve", "cholesky_inverse", "inv_ex", "pinv", "pinverse",
           "matrix_rank", "lstsq", "solve_triangular", "triangular_solve", "matrix_exp", "cond", "tensorinv",
           "tensorsolve", "torch_lstsq", "frobenius_norm", "nuclear_norm", "LinAlgError", "pdist", "torch_cholesky",
           "chain_matmul", "addmv", "addbmm", "baddbmm", "dist", "cdist", "cosine_similarity",
           "pairwise_distance", "cross", "linalg_cross", "vander"]


# =====================================================================================================
# Helpers: transposes, recording several outputs, PyTorch's checks and LAPACK's error reports
# =====================================================================================================

def _mT(x: Tensor) -> Tensor:
    return transpose(x, -2, -1)


def _mH(x: Tensor) -> Tensor:
    """the conjugate transpose (the transpose for real tensors)"""
    return _mT(conj(x)) if x._data.dtype.kind == "c" else transpose(x, -2, -1)


def _eye_like(x: Tensor, n: int) -> Tensor:
    """the n x n identity in x's dtype (a constant)"""
    return _wrap(np.eye(n, dtype=x._data.dtype))


def _triangle(m: Tensor, k: int = 0, upper: bool = False) -> Tensor:
    """tril(m, k) (or triu(m, k)) as a product with a constant mask: the backward formulas use it so that they are
    differentiable in forward mode too (forward-over-reverse)"""
    r, c = m.shape[-2], m.shape[-1]
    mask = np.triu(np.ones((r, c)), k) if upper else np.tril(np.ones((r, c)), k)
    return m * _wrap(mask.astype(m._data.dtype))


def _off_diagonal(x: Tensor, n: int) -> Tensor:
    """1 off the diagonal, 0 on it (a constant n x n mask in x's dtype)"""
    return _wrap((1 - np.eye(n)).astype(x._data.dtype))


def _rec_multi(arrays, node_cls, inputs, saved=(), keep=(), **attrs):
    """Wrap ``arrays`` as the outputs of one ``node_cls`` node on ``inputs``: recorded when an input requires grad,
    made for forward mode when one carries a tangent. ``saved``: what the derivative needs of the inputs; ``keep``:
    the outputs it needs (by index), saved after them as aliases sharing the outputs' version counters."""
    outs = [_wrap(np.asarray(a)) for a in arrays]
    node = _node(node_cls, inputs)
    if node is None:
        return outs
    node.n_outputs = len(outs)
    node.out_shapes = tuple(o._data.shape for o in outs)
    node.out_shape = node.out_shapes[0]
    aliases = []
    for k in keep:
        t = outs[k]
        t._version_counter = [0]
        a = _wrap(t._data)
        a._version_counter, a._output_nr = t._version_counter, k
        aliases.append(a)
    node.saved = tuple(saved) + tuple(aliases)
    node.versions = tuple(s._version if isinstance(s, Tensor) else None for s in saved) + (0,) * len(aliases)
    node.first_alias = len(saved)
    for k, v in attrs.items():
        setattr(node, k, v)
    recorded = not node.forward_only
    for k, t in enumerate(outs):
        t._output_nr = k
        if recorded:
            t.grad_fn = node
            t._requires_grad = True
    if _fw.level is not None:
        for t in outs:
            _forward(t, node, node_cls, inputs)
        for a in aliases:  # forward-over-reverse: a backward run on duals differentiates the saved outputs too
            pending = outs[a._output_nr]._tangent_pending
            if pending is not None:
                a._tangent_pending = pending
                _fw.duals.append(weakref.ref(a))
    return outs


def _saved_with_outputs(node):
    """A multi-output node's saved values; under create_graph its saved outputs lead back to it (as output k)."""
    vals = node.saved_values()
    if _grad_mode.enabled and not node.forward_only:
        for a in vals[node.first_alias:]:
            if a.grad_fn is None:
                a.grad_fn = node
                a._requires_grad = True
    return vals


def _requires_any(*xs) -> bool:
    """whether an op on xs records (grad mode and an input requiring grad) or has a tangent to compute"""
    if _grad_mode.enabled and builtins.any(isinstance(x, Tensor) and x._requires_grad for x in xs):
        return True
    if _fw.level is not None:
        return builtins.any(isinstance(x, Tensor) and (x._tangent is not None or x._tangent_pending is not None)
                            for x in xs)
    return False


def _check_matrix(a: Tensor, fn: str, square: bool = True, name: str = "A"):
    """PyTorch's checks of a linalg input: at least 2-D, (batches of) square matrices, floating or complex"""
    if a.ndim < 2:
        raise RuntimeError(f"{fn}: The input tensor {name} must have at least 2 dimensions.")
    if square and a.shape[-1] != a.shape[-2]:
        raise RuntimeError(f"{fn}: {name} must be batches of square matrices, but they are {a.shape[-2]} by "
                           f"{a.shape[-1]} matrices")
    if a._data.dtype.kind not in "fc":
        raise RuntimeError(f"{fn}: Expected a floating point or complex tensor as input. Got {_long_name(a.dtype)}")


class _LinAlgError(RuntimeError):
    """raised when a factorisation fails (a singular matrix, one that is not positive-definite): torch.linalg's
    LinAlgError, a RuntimeError"""


LinAlgError = _LinAlgError


def _batch_prefix(ndim: int, index: int) -> str:
    return f"(Batch element {index}): " if ndim > 2 else ""


def _first_failure(info) -> int:
    """the flat batch index of the first nonzero LAPACK info (-1 if none)"""
    bad = np.flatnonzero(np.asarray(info).reshape(-1))
    return int(bad[0]) if bad.size else -1


def _getrf(arr):
    """LU with partial pivoting of each matrix of ``arr`` (..., n, n), as LAPACK's getrf: the packed factors, the
    row order, and info (per matrix the 1-based index of the first exactly zero pivot, 0 if none). Called where
    NumPy's LAPACK reported a singular matrix, to report it as PyTorch does (and to give getrs' inf/nan result),
    and by det, whose small-matrix value is the product of these pivots."""
    n = arr.shape[-1]
    a = np.array(arr, copy=True).reshape(-1, n, n)
    nb = a.shape[0]
    rows = np.arange(nb)
    perm = np.tile(np.arange(n), (nb, 1))
    info = np.zeros(nb, dtype=np.int32)
    with np.errstate(all="ignore"):
        for k in builtins.range(n):
            p = k + np.argmax(np.abs(a[:, k:, k]), axis=1)
            a[rows, k], a[rows, p] = a[rows, p].copy(), a[rows, k].copy()
            perm[rows, k], perm[rows, p] = perm[rows, p].copy(), perm[rows, k].copy()
            piv = a[:, k, k]
            zero = piv == 0
            info[(info == 0) & zero] = k + 1
            # as getf2: the column times 1/pivot (one rounding more than dividing), dividing only for a tiny pivot
            piv = np.where(zero, 1, piv)[:, None]
            col = a[:, k + 1:, k]
            tiny = np.abs(piv) < np.finfo(a.dtype).tiny
            a[:, k + 1:, k] = np.where(tiny, col / piv, col * (1 / piv))
            a[:, k + 1:, k + 1:] -= a[:, k + 1:, k, None] * a[:, k, None, k + 1:]
    return a, perm, info


def _getrs(lu, perm, b):
    """X with A X = B from getrf's factors (B: (nb, n, k)); a zero pivot gives inf/nan, as LAPACK's getrs"""
    rows = np.arange(lu.shape[0])[:, None]
    x = b[rows, perm].astype(lu.dtype)
    n = lu.shape[-1]
    with np.errstate(all="ignore"):
        for i in builtins.range(n):  # L y = P b (unit lower)
            x[:, i] -= np.einsum("bj,bjk->bk", lu[:, i, :i], x[:, :i])
        for i in builtins.range(n - 1, -1, -1):  # U x = y
            x[:, i] = (x[:, i] - np.einsum("bj,bjk->bk", lu[:, i, i + 1:], x[:, i + 1:])) / lu[:, i, i, None]
    return x


def _potf2(arr):
    """Cholesky of each matrix of ``arr`` (lower triangle read) as LAPACK's unblocked potf2: the factor and info (the
    order of the first leading minor that is not positive-definite, 0 if none). Where it stops, the factor holds
    the offending value on the diagonal and the input below it, as PyTorch's cholesky_ex returns."""
    n = arr.shape[-1]
    a = np.tril(np.array(arr, copy=True).reshape(-1, n, n))
    nb = a.shape[0]
    info = np.zeros(nb, dtype=np.int32)
    with np.errstate(all="ignore"):
        for j in builtins.range(n):
            live = info == 0
            d = a[:, j, j] - np.sum(a[:, j, :j] * a[:, j, :j].conj(), axis=-1)
            bad = live & ~(d.real > 0)
            info[bad] = j + 1
            a[bad, j, j] = d[bad]
            ok = live & ~bad
            if not ok.any():
                continue
            ljj = np.sqrt(d[ok].real).astype(a.dtype)
            a[ok, j, j] = ljj
            below = a[ok, j + 1:, j] - np.einsum("bik,bk->bi", a[ok, j + 1:, :j], a[ok, j, :j].conj())
            a[ok, j + 1:, j] = below / ljj[:, None]
    return a.reshape(arr.shape), info.reshape(arr.shape[:-2])


def _trsm(ad, bd, upper: bool, left: bool = True, unit: bool = False):
    """X with tri(A) X = B (or X tri(A) = B): substitution over the triangle of A, as LAPACK's trsm (which does not
    check the diagonal: a zero gives inf/nan). Batch dims broadcast."""
    if not left:  # X A = B  <=>  Aᵀ Xᵀ = Bᵀ
        x = _trsm(np.swapaxes(ad, -1, -2), np.swapaxes(bd, -1, -2), not upper, True, unit)
        return np.swapaxes(x, -1, -2)
    batch = np.broadcast_shapes(ad.shape[:-2], bd.shape[:-2])
    a = np.broadcast_to(ad, batch + ad.shape[-2:])
    b = np.broadcast_to(bd, batch + bd.shape[-2:])
    n = a.shape[-1]
    x = np.zeros(b.shape, dtype=np.result_type(ad.dtype, bd.dtype))
    with np.errstate(all="ignore"):
        for i in (builtins.range(n - 1, -1, -1) if upper else builtins.range(n)):
            done = slice(i + 1, n) if upper else slice(0, i)
            acc = b[..., i, :] - np.einsum("...j,...jk->...k", a[..., i, done], x[..., done, :])
            x[..., i, :] = acc if unit else acc / a[..., i, i, None]
    return x


# =====================================================================================================
# Matrix products: mm, addmm, mv, addmv, dot, vdot, bmm, baddbmm, addbmm, matmul, outer, addr
# =====================================================================================================

def _mm_check(a, b, name="mm"):
    sa, sb = a._data.shape, b._data.shape  # tuples: no Size objects on this per-matmul path
    if len(sa) != 2:
        raise RuntimeError("self must be a matrix")
    if len(sb) != 2:
        raise RuntimeError("mat2 must be a matrix")
    if sa[1] != sb[0]:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({sa[0]}x{sa[1]} and {sb[0]}x{sb[1]})")


def _same_dtype(a, b, what="expected m1 and m2 to have the same dtype"):
    if a._data.dtype != b._data.dtype:
        raise RuntimeError(f"{what}, but got: {_cname(a)} != {_cname(b)}")


def _column_major(x) -> bool:
    f = x._data.flags
    return f.f_contiguous and not f.c_contiguous


def _plain(*ts) -> bool:
    """Not recording, no tangents (forward-over-reverse differentiates the backward pass) and one dtype: a backward
    matmul may run on the arrays (same BLAS call, no dispatch)."""
    if _grad_mode.enabled or modes.forward.level is not None:
        return False
    dt = ts[0]._data.dtype
    for t in ts[1:]:
        if t._data.dtype != dt:
            return False
    return True


def _mat1_grad(g, b):
    """dA = G Bᵀ"""
    if _plain(g, b):
        return _wrap(_mm_np(g._data, b._data.T))
    return mm(g, b.mT)


def _mat2_grad(a, b, g):
    """dB = Aᵀ G, in B's layout as PyTorch computes it: for a column-major B (nn.Linear's Wᵀ) as (Gᵀ A)ᵀ,
    so W's gradient comes out row-major like W and the optimizer's update runs over contiguous memory."""
    if _column_major(b):
        if _plain(a, g):
            return _wrap(_mm_np(g._data.T, a._data).T)
        return mm(g.mT, a).mT
    if _plain(a, g):
        return _wrap(_mm_np(a._data.T, g._data))
    return mm(a.mT, g)


def _mm_np(ad, bd):
    """A 2-D matrix product; an inner size of 1 is an outer product, which broadcasting does ~4x faster than
    BLAS (the same single rounding per element)."""
    if ad.shape[1] == 1:
        return np.multiply(ad, bd)
    return ad @ bd


def _product_rule(f, a, b, ta, tb):
    """d f(a, b) = f(da, b) + f(a, db) for a bilinear f (None where a tangent is missing)"""
    return _plus(None if ta is None else f(ta, b), None if tb is None else f(a, tb))


class MmBackward0(Node):
    """C = A B:  dA = G Bᵀ, dB = Aᵀ G;  dC = dA B + A dB"""

    def backward(self, g):
        a, b = self.saved_values()
        return (_mat1_grad(g, b) if self.next[0] is not None else None,
                _mat2_grad(a, b, g) if self.next[1] is not None else None)

    def jvp(self, ta, tb):
        a, b = self.saved_values()
        return _product_rule(mm, a, b, ta, tb)


def mm(a, b):
    """matrix product of two 2-D tensors"""
    if type(a) is not Tensor or type(b) is not Tensor:  # (a Parameter passes the full check)
        _tensor_arg("mm", ("input", 1, a), ("mat2", 2, b))
    _mm_check(a, b)
    _same_dtype(a, b)
    return _wrap_result(_mm_np(a._data, b._data), MmBackward0, (a, b), saved=(a, b))

expose(mm, method=True, out=True)


def _scaled(x, s):
    """s x, skipping the multiplication by 1 (None stays None)"""
    return x if x is None or s == 1 else x * s


class AddmmBackward0(Node):
    """Y = β C + α A B:  dC = β G (summed to C's shape), dA = α G Bᵀ, dB = α Aᵀ G;  dY = β dC + α (dA B + A dB)"""
    alpha = 1
    beta = 1

    def backward(self, g):
        a, b = self.saved_values()
        al = self.alpha
        gc = _scaled(g, self.beta) if self.next[0] is not None else None
        ga = _scaled(_mat1_grad(g, b), al) if self.next[1] is not None else None
        gb = _scaled(_mat2_grad(a, b, g), al) if self.next[2] is not None else None
        return (gc, ga, gb)

    def backward_raw(self, g):  # nn.Linear's backward: two BLAS calls on the arrays, as _mat1_grad, _mat2_grad
        a, b = self.saved_values()
        ad, bd = a._data, b._data
        if self.alpha != 1 or self.beta != 1 or not (ad.dtype == bd.dtype == g.dtype):
            return None
        ga = _mm_np(g, bd.T) if self.next[1] is not None else None
        gb = None
        if self.next[2] is not None:
            gb = _mm_np(g.T, ad).T if _column_major(b) else _mm_np(ad.T, g)
        return (g if self.next[0] is not None else None, ga, gb)

    def jvp(self, tc, ta, tb):
        a, b = self.saved_values()
        return _plus(_scaled(tc, self.beta), _scaled(_product_rule(mm, a, b, ta, tb), self.alpha))


def _dtype_names(*ts):
    return [_long_name(t.dtype) for t in ts]


def _size_at(t, d):
    """t.size(d) as PyTorch reads it (IndexError on a 0-d tensor or a dim out of range)"""
    if t.ndim == 0:
        raise IndexError(f"Dimension specified as {d} but tensor has no dimensions")
    return t.shape[_wrap_dim(d, t.ndim)]


def _expand_error(cd_shape, target, c=None):
    if len(cd_shape) > len(target):
        return RuntimeError(f"expand({'torch.FloatTensor' if c is None else _type_name(c)}{{{_shape_str(cd_shape)}}}, "
                            f"size={_shape_str(target)}): the number of sizes provided ({len(target)}) must be "
                            f"greater or equal to the number of dimensions in the tensor ({len(cd_shape)})")
    return RuntimeError(f"The expanded size of the tensor ({_expand_mismatch(cd_shape, target)}.  Target sizes: "
                        f"[{', '.join(map(str, target))}].  Tensor sizes: [{', '.join(map(str, cd_shape))}]")


_ADDMM = Sigs("addmm", "(Tensor input, Tensor mat1, Tensor mat2, *, Number beta = 1, Number alpha = 1, Tensor out = None)",
              "(Tensor input, Tensor mat1, Tensor mat2, torch.dtype out_dtype, *, Number beta = 1, Number alpha = 1, "
              "Tensor out = None)")


def addmm(c, a, b, *, beta=1, alpha=1):
    """beta * c + alpha * (a @ b), in one BLAS call plus a broadcast add"""
    if type(c) is not Tensor or type(a) is not Tensor or type(b) is not Tensor:
        _ADDMM.check_call(addmm, c, a, b, beta, alpha)
    c = as_tensor_arg(c)
    if c._data.dtype != b._data.dtype or a._data.dtype != b._data.dtype:  # (PyTorch's first check)
        first, second = (c, "self") if c._data.dtype != b._data.dtype else (a, "mat1")
        n1, n2 = _dtype_names(first, b)
        raise RuntimeError(f"{second} and mat2 must have the same dtype, but got {n1} and {n2}")
    if a._data.ndim != 2 or b._data.ndim != 2:  # (addmm names both operands mat1, mat2 and their rank)
        for name, m in (("mat1", a), ("mat2", b)):
            if m._data.ndim != 2:
                raise RuntimeError(f"{name} must be a matrix, got {m._data.ndim}-D tensor")
    _mm_check(a, b)
    r = _mm_np(a._data, b._data)
    if alpha != 1:
        r *= alpha
    cd = c._data
    try:
        if beta == 1:
            r += cd
        elif beta != 0:
            r += beta * cd
        elif np.broadcast_shapes(cd.shape, r.shape) != r.shape:
            raise ValueError
    except ValueError:
        raise _expand_error(cd.shape, r.shape, c) from None
    in_shapes = (cd.shape, None, None) if cd.shape != r.shape else None  # only the bias is broadcast
    if alpha != 1 or beta != 1:
        return _wrap_result(r, AddmmBackward0, (c, a, b), saved=(a, b), in_shapes=in_shapes, alpha=alpha, beta=beta)
    return _wrap_result(r, AddmmBackward0, (c, a, b), saved=(a, b), in_shapes=in_shapes)

expose(addmm, method=True, inplace=True, out=True)


class MvBackward0(Node):
    """y = A v:  dA = g vᵀ, dv = Aᵀ g;  dy = dA v + A dv"""

    def backward(self, g):
        a, v = self.saved_values()
        return (outer(g, v) if self.next[0] is not None else None,
                mv(a.mT, g) if self.next[1] is not None else None)

    def jvp(self, ta, tv):
        a, v = self.saved_values()
        return _product_rule(mv, a, v, ta, tv)


def _mv_check(a, v, c_shape=None):
    if a.ndim != 2 or v.ndim != 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got {1 if c_shape is None else len(c_shape)}, "
                           f"{a.ndim}, {v.ndim}")
    rows = a.shape[0] if c_shape is None or not c_shape else c_shape[-1]
    if a.shape[1] != v.shape[0] or (c_shape is not None and len(c_shape) and c_shape[-1] not in (1, a.shape[0])):
        raise RuntimeError(f"size mismatch, got input ({rows}), mat ({a.shape[0]}x{a.shape[1]}), vec "
                           f"({v.shape[0]})")


_MV = Sigs("mv", "(Tensor input, Tensor vec, *, Tensor out = None)")


def mv(a, v):
    """A v: a matrix times a vector"""
    if type(a) is not Tensor or type(v) is not Tensor:
        _MV.check(a, v)
    if type(a) is not Tensor or type(v) is not Tensor:
        _tensor_arg("mv", ("input", 1, a), ("vec", 2, v))
    _size_at(a, 0)  # (PyTorch sizes the result from the matrix first: an IndexError on a 0-d one)
    _mv_check(a, v)
    if a._data.dtype != v._data.dtype:
        n_v, n_a = _dtype_names(v, a)
        raise RuntimeError(f"addmv input tensors must have the same dtype, but got {n_v}, {n_a}, and {n_v}")
    if a._data.dtype == np.bool_:
        raise NotImplementedError("\"addmv_impl_cpu\" not implemented for 'Bool'")
    return _wrap_result(a._data @ v._data, MvBackward0, (a, v), saved=(a, v))

expose(mv, method=True, out=True)


class AddmvBackward0(Node):
    """y = β c + α A v:  dc = β g, dA = α g vᵀ, dv = α Aᵀ g;  dy = β dc + α (dA v + A dv)"""
    alpha = 1
    beta = 1

    def backward(self, g):
        a, v = self.saved_values()
        al = self.alpha
        return (_scaled(g, self.beta) if self.next[0] is not None else None,
                _scaled(outer(g, v), al) if self.next[1] is not None else None,
                _scaled(mv(a.mT, g), al) if self.next[2] is not None else None)

    def jvp(self, tc, ta, tv):
        a, v = self.saved_values()
        return _plus(_scaled(tc, self.beta), _scaled(_product_rule(mv, a, v, ta, tv), self.alpha))


def addmv(c, a, v, *, beta=1, alpha=1):
    """β c + α A v"""
    c = as_tensor_arg(c)
    _mv_check(a, v, c.shape)
    if not (c._data.dtype == a._data.dtype == v._data.dtype):
        names = _dtype_names(c, a, v)
        raise RuntimeError(f"addmv input tensors must have the same dtype, but got {names[0]}, {names[1]}, and "
                           f"{names[2]}")
    r = a._data @ v._data
    if alpha != 1:
        r = r * alpha
    if beta != 0:
        r = r + (c._data if beta == 1 else beta * c._data)
    else:
        r = np.broadcast_to(r, np.broadcast_shapes(r.shape, c._data.shape)).copy()
    in_shapes = (c._data.shape, a.shape, v.shape) if c._data.shape != r.shape else None
    return _rec(r, AddmvBackward0, (c, a, v), saved=(a, v), in_shapes=in_shapes, alpha=alpha, beta=beta)

expose(addmv, method=True, out=True)


def addmv_(c, a, v, *, beta=1, alpha=1):
    """c.addmv_(A, v): c = β c + α A v in place (c must have A v's size: no broadcasting into it)"""
    if c.ndim == 1 and a.ndim == 2 and v.ndim == 1 and c.shape[0] != a.shape[0]:
        raise RuntimeError(f"Bad in-place call: input tensor size [{c.shape[0]}] and output tensor size "
                           f"[{a.shape[0]}] should match")
    check_inplace(c)
    return apply_inplace(c, addmv(c, a, v, beta=beta, alpha=alpha))

expose(addmv_, method=True)


class DotBackward0(Node):
    """s = u · v:  du = g v, dv = g u;  ds = du · v + u · dv"""

    def backward(self, g):
        u, v = self.saved_values()
        return (g * v if self.next[0] is not None else None, g * u if self.next[1] is not None else None)

    def jvp(self, tu, tv):
        u, v = self.saved_values()
        return _product_rule(dot, u, v, tu, tv)


def _dot_check(u, v):
    if u.ndim != 1 or v.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {u.ndim}D and {v.ndim}D tensors")
    if u.shape[0] != v.shape[0]:
        raise RuntimeError(f"inconsistent tensor size, expected tensor [{u.shape[0]}] and src [{v.shape[0]}] to "
                           f"have the same number of elements, but got {u.shape[0]} and {v.shape[0]} elements "
                           f"respectively")
    if u._data.dtype != v._data.dtype:
        raise RuntimeError(f"dot : expected both vectors to have same dtype, but found {_long_name(u.dtype)} and "
                           f"{_long_name(v.dtype)}")


def dot(u, v):
    """Σ u_i v_i over two 1-D tensors"""
    if type(u) is not Tensor or type(v) is not Tensor:
        _tensor_arg("dot", ("input", 1, u), ("tensor", 2, v))
    _dot_check(u, v)
    return _wrap_result(np.asarray(u._data @ v._data), DotBackward0, (u, v), saved=(u, v))

expose(dot, method=True, out=True)


class VdotBackward0(Node):
    """s = Σ conj(u_i) v_i:  du = conj(g) v, dv = g u;  ds = conj(du) · v + conj(u) · dv"""

    def backward(self, g):
        u, v = self.saved_values()
        return (conj(g) * v if self.next[0] is not None else None, g * u if self.next[1] is not None else None)

    def jvp(self, tu, tv):
        u, v = self.saved_values()
        return _product_rule(vdot, u, v, tu, tv)


def vdot(a: Tensor, b: Tensor) -> Tensor:
    """Σ conj(a) b over 1-D tensors"""
    _dot_check(a, b)
    return _rec(np.asarray(np.vdot(a._data, b._data)), VdotBackward0, (a, b), saved=(a, b))

expose(vdot, method=True, out=True)


class BmmBackward0(Node):
    """C_b = A_b B_b:  dA = G Bᵀ, dB = Aᵀ G (per batch);  dC = dA B + A dB"""

    def backward(self, g):
        a, b = self.saved_values()
        return (bmm(g, b.mT) if self.next[0] is not None else None,
                bmm(a.mT, g) if self.next[1] is not None else None)

    def jvp(self, ta, tb):
        a, b = self.saved_values()
        return _product_rule(bmm, a, b, ta, tb)


def _bmm_check(a, b):
    if a.ndim != 3:
        raise RuntimeError("batch1 must be a 3D tensor")
    if b.ndim != 3:
        raise RuntimeError("batch2 must be a 3D tensor")
    if a.shape[0] != b.shape[0] or a.shape[2] != b.shape[1]:
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: [{a.shape[0]}, "
                           f"{a.shape[2]}] but got: [{b.shape[0]}, {b.shape[1]}].")


def _bmm_dtype_check(name, a, b):
    if a._data.dtype == np.bool_:
        raise NotImplementedError(f"\"{name}\" not implemented for 'Bool'")
    if a._data.dtype != b._data.dtype:
        n_a, n_b = _dtype_names(a, b)
        raise RuntimeError(f"expected scalar type {n_a} but found {n_b}")


def bmm(a, b):
    """per-batch matrix products of two 3-D tensors"""
    if type(a) is not Tensor or type(b) is not Tensor:
        _tensor_arg("bmm", ("input", 1, a), ("mat2", 2, b))
    _bmm_check(a, b)
    _bmm_dtype_check("bmm", a, b)
    return _wrap_result(np.matmul(a._data, b._data), BmmBackward0, (a, b), saved=(a, b))

expose(bmm, method=True, out=True)


class BaddbmmBackward0(Node):
    """Y_b = β C_b + α A_b B_b:  dC = β G, dA = α G Bᵀ, dB = α Aᵀ G;  dY = β dC + α (dA B + A dB)"""
    alpha = 1
    beta = 1

    def backward(self, g):
        a, b = self.saved_values()
        al = self.alpha
        return (_scaled(g, self.beta) if self.next[0] is not None else None,
                _scaled(bmm(g, b.mT), al) if self.next[1] is not None else None,
                _scaled(bmm(a.mT, g), al) if self.next[2] is not None else None)

    def jvp(self, tc, ta, tb):
        a, b = self.saved_values()
        return _plus(_scaled(tc, self.beta), _scaled(_product_rule(bmm, a, b, ta, tb), self.alpha))


def _add_scaled(r, c, cd_target, beta):
    """r + β c with c broadcast to r's shape (PyTorch's expand error otherwise); β = 0 ignores c's values"""
    cd = c._data
    try:
        if np.broadcast_shapes(cd.shape, r.shape) != r.shape:
            raise ValueError
    except ValueError:
        raise _expand_error(cd.shape, cd_target) from None
    if beta == 0:
        return r
    return r + (cd if beta == 1 else beta * cd)


_BADDBMM = Sigs("baddbmm", "(Tensor input, Tensor batch1, Tensor batch2, *, Number beta = 1, Number alpha = 1, "
                "Tensor out = None)", "(Tensor input, Tensor batch1, Tensor batch2, torch.dtype out_dtype, *, Number beta = 1, "
                "Number alpha = 1, Tensor out = None)")


def baddbmm(c, a, b, *, beta=1, alpha=1):
    """β C + α (A @ B) per batch"""
    if type(c) is not Tensor or type(a) is not Tensor or type(b) is not Tensor:
        _BADDBMM.check_call(baddbmm, c, a, b, beta, alpha)
    c = as_tensor_arg(c)
    # PyTorch's order: the result's size from batch1's first two dims and batch2's last, the input expanded to
    # it, the input's dtype against batch1's, then the ranks and sizes, batch2's dtype, and the dtype's kernel
    target = (_size_at(a, 0), _size_at(a, 1), _size_at(b, 2))
    cs = c._data.shape
    if len(cs) > 3 or builtins.any(m != 1 and m != n for m, n in zip(cs[::-1], target[::-1])):
        raise _expand_error(cs, target, c)
    if c._data.dtype != a._data.dtype:
        n = [_cname(t) for t in (c, a, b)]
        raise RuntimeError(f"Input dtypes must be the same, got: input {n[0]}, batch1: {n[1]}, batch2: {n[2]}")
    _bmm_check(a, b)
    _bmm_dtype_check("baddbmm", a, b)
    r = np.matmul(a._data, b._data)
    if alpha != 1:
        r = r * alpha
    r = _add_scaled(r, c, r.shape, beta)
    in_shapes = (c._data.shape, a.shape, b.shape) if c._data.shape != r.shape else None
    return _rec(r, BaddbmmBackward0, (c, a, b), saved=(a, b), in_shapes=in_shapes, alpha=alpha, beta=beta)

expose(baddbmm, method=True, inplace=True, out=True)


class AddbmmBackward0(Node):
    """Y = β C + α Σ_b A_b B_b:  dC = β G, dA_b = α G B_bᵀ, dB_b = α A_bᵀ G;  dY = β dC + α Σ_b (dA_b B_b + A_b dB_b)"""
    alpha = 1
    beta = 1

    def backward(self, g):
        a, b = self.saved_values()
        al, nb = self.alpha, a.shape[0]
        ge = expand(unsqueeze(g, 0), (nb,) + tuple(g.shape))
        return (_scaled(g, self.beta) if self.next[0] is not None else None,
                _scaled(bmm(ge, b.mT), al) if self.next[1] is not None else None,
                _scaled(bmm(a.mT, ge), al) if self.next[2] is not None else None)

    def jvp(self, tc, ta, tb):
        a, b = self.saved_values()
        prod = _product_rule(bmm, a, b, ta, tb)
        return _plus(_scaled(tc, self.beta), _scaled(None if prod is None else prod.sum(0), self.alpha))


def addbmm(c, a, b, *, beta=1, alpha=1):
    """β C + α Σ_b A_b B_b"""
    c = as_tensor_arg(c)
    if a.ndim != 3:
        raise RuntimeError("batch1 must be a 3D tensor")
    if b.ndim != 3:
        raise RuntimeError("batch2 must be a 3D tensor")
    if a.shape[0] != b.shape[0]:
        raise RuntimeError(f"batch1 and batch2 must have same number of batches, got {a.shape[0]} and {b.shape[0]}")
    if a.shape[2] != b.shape[1]:
        raise RuntimeError(f"Incompatible matrix sizes for bmm ({a.shape[1]}x{a.shape[2]} and {b.shape[1]}x"
                           f"{b.shape[2]})")
    if c._data.dtype != b._data.dtype or a._data.dtype != b._data.dtype:
        first, second = (c, "self") if c._data.dtype != b._data.dtype else (a, "mat1")
        n1, n2 = _dtype_names(first, b)
        raise RuntimeError(f"{second} and mat2 must have the same dtype, but got {n1} and {n2}")
    r = np.matmul(a._data, b._data).sum(0) if a.shape[0] else np.zeros((a.shape[1], b.shape[2]), a._data.dtype)
    if alpha != 1:
        r = r * alpha
    r = _add_scaled(r, c, r.shape, beta)
    in_shapes = (c._data.shape, a.shape, b.shape) if c._data.shape != r.shape else None
    return _rec(r, AddbmmBackward0, (c, a, b), saved=(a, b), in_shapes=in_shapes, alpha=alpha, beta=beta)

expose(addbmm, method=True, inplace=True, out=True)


_MATMUL = Sigs("matmul", "(Tensor input, Tensor other, *, Tensor out = None)")


def matmul(a, b):
    """the matrix product in all of PyTorch's 1-D/2-D/batched/broadcast forms"""
    if type(a) is not Tensor or type(b) is not Tensor:
        _MATMUL.check(a, b)
    if not isinstance(b, Tensor):
        raise TypeError(f"matmul(): argument 'other' (position 2) must be Tensor, not {type(b).__name__}")
    da, db = a.ndim, b.ndim
    if da == 0 or db == 0:
        raise RuntimeError(f"both arguments to matmul need to be at least 1D, but they are {da}D and {db}D")
    if da == 2 and db == 2:
        return mm(a, b)
    if da == 1 and db == 1:
        return dot(a, b)
    if da == 2 and db == 1:
        return mv(a, b)
    if da == 1 and db == 2:
        if a.shape[0] != b.shape[0]:
            raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied (1x{a.shape[0]} and "
                               f"{b.shape[0]}x{b.shape[1]})")
        return squeeze(mm(unsqueeze(a, 0), b), 0, _name="SqueezeBackward4")
    if da >= 3 and db <= 2:
        # fold the batch into rows: one GEMM, as PyTorch does
        rows = math.prod(a.shape[:-1])
        if db == 1:
            if a.shape[-1] != b.shape[0]:
                raise RuntimeError(f"size mismatch, got input ({rows}), mat ({rows}x{a.shape[-1]}), vec "
                                   f"({b.shape[0]})")
            r = mv(_reshape(a, (-1, a.shape[-1])), b)
            return _unsafe_view_of(r, a.shape[:-1])
        if a.shape[-1] != b.shape[0]:
            raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({rows}x{a.shape[-1]} and "
                               f"{b.shape[0]}x{b.shape[1]})")
        r = mm(_reshape(a, (-1, a.shape[-1])), b)
        return _unsafe_view_of(r, a.shape[:-1] + (b.shape[1],))
    # general batched case: broadcast batch dims, then bmm
    a2 = unsqueeze(a, 0) if da == 1 else a
    b2 = unsqueeze(b, -1) if db == 1 else b
    try:
        batch = np.broadcast_shapes(a2.shape[:-2], b2.shape[:-2])
    except ValueError:
        raise RuntimeError(_bcast_message(a2.shape[:-2], b2.shape[:-2])) from None
    nb = math.prod(batch)
    if a2.shape[-1] != b2.shape[-2]:
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: "
                           f"[{nb}, {a2.shape[-1]}] but got: [{nb}, {b2.shape[-2]}].")
    if da <= 2 and db >= 3:
        # PyTorch folds b's batch into rows instead: (bᵀ aᵀ)ᵀ as one GEMM
        bt = _reshape(transpose(b, -1, -2), (-1, b.shape[-2]))
        if da == 1:
            return _unsafe_view_of(mv(bt, a), b.shape[:-2] + (b.shape[-1],))
        r = _unsafe_view_of(mm(bt, transpose(a, 0, 1)), b.shape[:-2] + (b.shape[-1], a.shape[0]))
        return clone(transpose(r, -1, -2), memory_format=None)
    ae = _reshape(expand(a2, batch + a2.shape[-2:]), (nb,) + a2.shape[-2:])
    be = _reshape(expand(b2, batch + b2.shape[-2:]), (nb,) + b2.shape[-2:])
    r = bmm(ae, be)
    out_shape = batch + (a2.shape[-2], b2.shape[-1])
    r = _unsafe_view_of(r, out_shape)
    if da == 1:
        r = squeeze(r, -2)
    if db == 1:
        r = squeeze(r, -1)
    return r

expose(matmul, method=True, operators=('__matmul__',), out=True)


def _reshape(x, shape):
    """x.reshape(shape): a view where the layout allows, else a copy recorded (for forward mode too) as PyTorch's
    clone + _unsafe_view"""
    v = x._data.view()
    try:
        v.shape = shape
    except (AttributeError, ValueError):
        return _unsafe_view_of(clone(x), shape)
    return reshape(x, shape)


def _unsafe_view_of(x, shape):
    """x reshaped as a new tensor, not a view (PyTorch's _unsafe_view: the node matmul and kron end with)"""
    return _rec(x._data.reshape(shape), UnsafeViewBackward0, (x,), shape=x.shape)


def _rmatmul(a, b):
    """b @ a"""
    return matmul(as_tensor_arg(b), a)

expose(_rmatmul, torch=False, operators="__rmatmul__")


def outer(u, v):
    """u vᵀ (recorded as a broadcast product, as PyTorch does)"""
    if type(u) is not Tensor or type(v) is not Tensor:
        _tensor_arg("outer", ("input", 1, u), ("vec2", 2, v))
    for name, t in (("self", u), ("vec2", v)):
        if t.ndim != 1:
            raise RuntimeError(f"outer: Expected 1-D argument {name}, but got {t.ndim}-D")
    return mul(reshape(u, (-1, 1)), v)  # PyTorch: self.reshape({-1, 1}) * vec2 (a ViewBackward0)

expose(outer, torch=('ger', 'outer'), method=('ger', 'outer'), out=True)


ger = outer


class AddrBackward0(Node):
    """Y = β C + α u vᵀ:  dC = β G, du = α G v, dv = α Gᵀ u;  dY = β dC + α (du vᵀ + u dvᵀ)"""
    alpha = 1
    beta = 1

    def backward(self, g):
        u, v = self.saved_values()
        al = self.alpha
        return (_scaled(g, self.beta) if self.next[0] is not None else None,
                _scaled(mv(g, v), al) if self.next[1] is not None else None,
                _scaled(mv(g.mT, u), al) if self.next[2] is not None else None)

    def jvp(self, tc, tu, tv):
        u, v = self.saved_values()
        return _plus(_scaled(tc, self.beta), _scaled(_product_rule(outer, u, v, tu, tv), self.alpha))


def addr(input: Tensor, vec1: Tensor, vec2: Tensor, *, beta=1, alpha=1) -> Tensor:
    """β input + α (vec1 ⊗ vec2)"""
    input = as_tensor_arg(input)
    for name, t in (("vec1", vec1), ("vec2", vec2)):
        if t.ndim != 1:
            raise RuntimeError(f"addr: Expected 1-D argument {name}, but got {t.ndim}-D")
    if input._data.dtype != vec2._data.dtype or vec1._data.dtype != vec2._data.dtype:
        first, second = (input, "self") if input._data.dtype != vec2._data.dtype else (vec1, "mat1")
        n1, n2 = _dtype_names(first, vec2)
        raise RuntimeError(f"{second} and mat2 must have the same dtype, but got {n1} and {n2}")
    r = np.multiply.outer(vec1._data, vec2._data)
    if alpha != 1:
        r = r * alpha
    r = _add_scaled(r, input, r.shape, beta)
    in_shapes = (input._data.shape, vec1.shape, vec2.shape) if input._data.shape != r.shape else None
    return _rec(np.asarray(r), AddrBackward0, (input, vec1, vec2), saved=(vec1, vec2), in_shapes=in_shapes,
                alpha=alpha, beta=beta)

expose(addr, method=True, inplace=True, out=True)


class TraceBackward0(Node):
    """s = Σ_i A_ii:  dA = g I;  ds = tr dA"""

    def backward(self, g):
        return (g * _wrap(np.eye(*self.in_shape, dtype=g._data.dtype)),)

    def jvp(self, ta):
        return trace(ta)


def trace(x):
    """Σ_i x_ii of a matrix"""
    if x.ndim != 2:
        raise RuntimeError(f"trace: expected a matrix, but got tensor with dim {x.ndim}")
    if x._data.dtype == np.bool_:
        raise NotImplementedError("\"trace\" not implemented for 'Bool'")
    d = x._data
    r = np.trace(d, dtype=np.int64 if d.dtype.kind in "iub" else d.dtype)
    return _rec(np.asarray(r), TraceBackward0, (x,), in_shape=x.shape)

expose(trace, method=True)


def _tensordot_dims(pos, name, d) -> list:
    """one of tensordot's dim lists, checked as PyTorch's argument parser checks a tuple of ints"""
    if isinstance(d, Tensor):
        d = d.tolist()
    if not isinstance(d, (list, tuple)):
        raise TypeError(f"tensordot(): argument '{name}' (position {pos}) must be tuple of ints, not "
                        f"{type(d).__name__}")
    for i, v in enumerate(d):
        if not isinstance(v, (int, np.integer)) or isinstance(v, bool):
            raise TypeError(f"tensordot(): argument '{name}' (position {pos}) must be tuple of ints, but found "
                            f"element of type {type(v).__name__} at pos {i}")
    return [int(v) for v in d]


def _ndim_attr(t) -> int:
    if not isinstance(t, Tensor):  # (PyTorch's Python wrapper calls a.dim() before any type check)
        raise AttributeError(f"'{type(t).__name__}' object has no attribute 'dim'")
    return t.ndim


def tensordot(a: Tensor, b: Tensor, dims=2) -> Tensor:
    """Σ over the paired dims of a and b (the last ``dims`` of a with the first ``dims`` of b)"""
    if not isinstance(dims, (tuple, list, Tensor, int, np.integer)):
        raise RuntimeError("tensordot expects dims to be int or tuple[list[int], list[int]] or list[list[int]] "
                           f"containing two lists, but got dims={dims}")
    if isinstance(dims, Tensor):
        dims = [dims[0], dims[1]] if dims.numel() > 1 else int(dims.item())
        if isinstance(dims, int) and dims < 0:
            raise RuntimeError(f"tensordot expects dims >= 0, but got dims={dims}")
        if isinstance(dims, int):
            dims = (list(builtins.range(-dims, 0)), list(builtins.range(dims)))
    if isinstance(dims, (int, np.integer)):
        dims = int(dims)
        if dims < 0:
            raise RuntimeError(f"tensordot expects dims >= 0, but got dims={dims}")
        if dims > builtins.min(_ndim_attr(a), _ndim_attr(b)):
            raise RuntimeError(f"tensordot expects dims < ndim_a or ndim_b, but got dims={dims}")
        da, db = list(builtins.range(-dims, 0)), list(builtins.range(dims))
    else:
        da, db = dims
    if type(a) is not Tensor or type(b) is not Tensor:
        _tensor_arg("tensordot", ("input", 1, a), ("other", 2, b))
    da, db = _tensordot_dims(3, "dims_self", da), _tensordot_dims(4, "dims_other", db)
    if len(da) != len(db):
        raise RuntimeError("both dimension lists should have same length")
    if a._data.dtype != b._data.dtype:
        raise RuntimeError("both inputs should have same dtype")
    for i, j in zip(da, db):
        si, sj = a.shape[_wrap_dim(i, a.ndim)], b.shape[_wrap_dim(j, b.ndim)]
        if si != sj:
            raise RuntimeError(f"contracted dimensions need to match, but first has size {si} in dim {i} "
                               f"and second has size {sj} in dim {j}")
    if a._data.dtype == np.bool_:
        raise NotImplementedError("\"addmm_impl_cpu_\" not implemented for 'Bool'")
    da = [_wrap_dim(d, a.ndim) for d in da]
    db = [_wrap_dim(d, b.ndim) for d in db]
    for dl in (da, db):
        if len(set(dl)) != len(dl):
            raise RuntimeError(f"dim {next(d for d in dl if dl.count(d) > 1)} appears multiple times in the list "
                               "of dims")
    fa = [d for d in builtins.range(a.ndim) if d not in da]
    fb = [d for d in builtins.range(b.ndim) if d not in db]
    k = math.prod(a.shape[d] for d in da)
    am = _reshape(a.permute(fa + da), (-1, k))
    bm = _reshape(b.permute(db + fb), (k, -1))
    return _reshape(mm(am, bm), tuple(a.shape[d] for d in fa) + tuple(b.shape[d] for d in fb))

expose(tensordot, out=True)


def kron(a: Tensor, b: Tensor) -> Tensor:
    """Kronecker product: out[i·m + k, j·n + l] = a[i, j] b[k, l] (any number of dims)"""
    for pos, name, t in ((1, "input", a), (2, "other", b)):
        if not isinstance(t, Tensor):
            raise TypeError(f"kron(): argument '{name}' (position {pos}) must be Tensor, not {type(t).__name__}")
    nd = builtins.max(a.ndim, b.ndim)
    a = _reshape(a, (1,) * (nd - a.ndim) + tuple(a.shape))
    b = _reshape(b, (1,) * (nd - b.ndim) + tuple(b.shape))
    # interleave: a as (a0, 1, a1, 1, ...) times b as (1, b0, 1, b1, ...)
    ai = _reshape(a, tuple(s for d in a.shape for s in (d, 1)))
    bi = _reshape(b, tuple(s for d in b.shape for s in (1, d)))
    return _unsafe_view_of(ai * bi, tuple(x * y for x, y in zip(a.shape, b.shape)))

expose(kron, method=True, out=True)


def inner(a: Tensor, b: Tensor) -> Tensor:
    """Σ over the last dims of a and b"""
    if a.ndim == 0 or b.ndim == 0:
        return a * b
    if a.shape[-1] != b.shape[-1]:
        raise RuntimeError(f"inner() the last dimension must match on both input tensors but got shapes "
                           f"{_shape_str(a.shape)} and {_shape_str(b.shape)}")
    return tensordot(a, b, ([-1], [-1]))

expose(inner, method=True, out=True)


def matrix_power(a: Tensor, n: int) -> Tensor:
    """a @ a @ ... (n times); a⁻¹ for negative n; the identity for 0 (PyTorch's graph: a copy into a clone)"""
    if a.ndim < 2:
        raise RuntimeError("linalg.matrix_power: The input tensor A must have at least 2 dimensions.")
    if a.shape[-1] != a.shape[-2]:
        raise RuntimeError(f"linalg.matrix_power: A must be batches of square matrices, but they are "
                           f"{a.shape[-2]} by {a.shape[-1]} matrices")
    if n == 0:  # PyTorch copies the identity into a clone of a: a zero derivative
        eye = np.broadcast_to(np.eye(a.shape[-1], dtype=a._data.dtype), a.shape).copy()
        return _rec(eye, CopyBackwards, (a, None), src_dtype=a._data.dtype)
    if n == 1:
        return clone(a)
    if n < 0:
        a, n = inverse(a), -n
        if n == 1:
            return a
    result, base = None, a
    while n:  # binary powering, as PyTorch
        if n & 1:
            result = base if result is None else matmul(result, base)
        n >>= 1
        if n:
            base = matmul(base, base)
    return result

expose(matrix_power, method=True)


def _chain_order(shapes):
    """The cheapest parenthesisation of a matrix chain (dynamic programming over the split points)."""
    p = [shapes[0][0]] + [s[1] for s in shapes]
    n = len(shapes)
    cost = [[0] * n for _ in builtins.range(n)]
    split = [[0] * n for _ in builtins.range(n)]
    for length in builtins.range(1, n):
        for i in builtins.range(n - length):
            j = i + length
            cost[i][j] = math.inf
            for k in builtins.range(i, j):
                c = cost[i][k] + cost[k + 1][j] + p[i] * p[k + 1] * p[j + 1]
                if c < cost[i][j]:
                    cost[i][j], split[i][j] = c, k
    return split


def multi_dot(tensors) -> Tensor:
    """A₁ A₂ ... Aₙ in the cheapest order (1-D first/last operands are a row/column vector)"""
    ts = list(tensors)
    n = len(ts)
    if n < 2:
        raise RuntimeError(f"multi_dot(): expected at least 2 tensors but got {n}")
    for i, t in enumerate(ts):
        if (i == 0 or i == n - 1) and t.ndim not in (1, 2):
            which = "first" if i == 0 else "last"
            raise RuntimeError(f"multi_dot(): the {which} tensor must be 1D or 2D but got {t.ndim}D")
        if 0 < i < n - 1 and t.ndim != 2:
            raise RuntimeError(f"multi_dot(): tensor {i} must be 2D but got {t.ndim}D")
    for i, t in enumerate(ts[1:], 1):
        if t._data.dtype != ts[0]._data.dtype:
            raise RuntimeError(f"multi_dot(): all tensors must have be the same dtype but tensor 0 is "
                               f"{_cname(ts[0])} and tensor {i} {_cname(t)}")
    first, last = ts[0].ndim == 1, ts[-1].ndim == 1
    mats = [unsqueeze(ts[0], 0) if first else ts[0]] + ts[1:-1] + [unsqueeze(ts[-1], 1) if last else ts[-1]]
    for i in builtins.range(n - 1):
        if mats[i].shape[1] != mats[i + 1].shape[0]:
            raise RuntimeError(f"multi_dot(): tensors {i} and {i + 1} with shapes {_shape_str(ts[i].shape)} and "
                               f"{_shape_str(ts[i + 1].shape)} cannot be multiplied")
    split = _chain_order([m.shape for m in mats])

    def chain(i, j):
        if i == j:
            return mats[i]
        k = split[i][j]
        return mm(chain(i, k), chain(k + 1, j))
    out = chain(0, n - 1)
    shape = ([] if first else [out.shape[0]]) + ([] if last else [out.shape[1]])
    return out.view(shape)


def chain_matmul(*matrices):
    """the deprecated torch.chain_matmul: multi_dot of 2-D tensors"""
    if len(matrices) == 1 and isinstance(matrices[0], (list, tuple)):
        matrices = tuple(matrices[0])
    if not matrices:
        raise RuntimeError("chain_matmul(): Expected one or more matrices")
    for t in matrices:
        if t.ndim != 2:
            raise RuntimeError(f"Tensor dimension is {t.ndim}, expected 2 instead.")
    if len(matrices) == 1:
        return clone(matrices[0])
    return multi_dot(matrices)

expose(chain_matmul, out=True)


def vecdot(x: Tensor, y: Tensor, *, dim: int = -1) -> Tensor:
    """Σ conj(x) y along dim"""
    for t in (x, y):
        if t._data.dtype.kind not in "fc":
            raise RuntimeError(f"linalg.vecdot: Expected a floating point or complex tensor as input. Got "
                               f"{_long_name(t.dtype)}")
    if x._data.dtype != y._data.dtype:
        raise RuntimeError(f"linalg.vecdot: Expected x and y to have the same dtype, but found x of type "
                           f"{_long_name(x.dtype)} and y of type {_long_name(y.dtype)} instead")
    if x.ndim == 1 and y.ndim == 1 and x.shape[0] != y.shape[0]:
        _dot_check(x, y)
    return ((conj(x) if x.is_complex() else x) * y).sum(dim)


# =====================================================================================================
# Inverse, determinants, solvers
# =====================================================================================================

class LinalgInvExBackward0(Node):
    """Y = A⁻¹:  dA = -Yᴴ G Yᴴ;  dY = -Y dA Y"""

    def backward(self, g):
        (y,) = self.saved_values()
        yh = _mH(y)
        return (-matmul(matmul(yh, g), yh),)

    def jvp(self, ta):
        (y,) = self.saved_values()
        return -matmul(matmul(y, ta), y)


def _inv_arrays(ad, fn, check_errors=True):
    """(A⁻¹, info) of each matrix; a singular one raises PyTorch's LinAlgError (or, unchecked, gives getrs' inf/nan)"""
    info = np.zeros(ad.shape[:-2], dtype=np.int32)
    try:
        return np.linalg.inv(ad), info
    except np.linalg.LinAlgError:
        pass
    n = ad.shape[-1]
    lu, perm, flat_info = _getrf(ad)
    k = _first_failure(flat_info)
    if k >= 0 and check_errors:
        raise _LinAlgError(f"{fn}: {_batch_prefix(ad.ndim, k)}The diagonal element {flat_info[k]} is zero, the "
                           "inversion could not be completed because the input matrix is singular.")
    eye = np.broadcast_to(np.eye(n, dtype=ad.dtype), lu.shape)
    return _getrs(lu, perm, eye).reshape(ad.shape), flat_info.reshape(ad.shape[:-2])


def inverse(a: Tensor) -> Tensor:
    """A⁻¹"""
    _check_matrix(a, "linalg.inv")
    r, _ = _inv_arrays(a._data, "linalg.inv")
    return _rec(r, LinalgInvExBackward0, (a,), keep_out=True)

expose(inverse, method=True, out=True)


def inv_ex(a: Tensor, *, check_errors: bool = False):
    """(A⁻¹, info): info holds LAPACK's report per matrix (0: invertible) instead of an error"""
    _check_matrix(a, "linalg.inv_ex")
    r, info = _inv_arrays(a._data, "linalg.inv_ex", check_errors)
    return _inv_ex_result(_rec(r, LinalgInvExBackward0, (a,), keep_out=True), _wrap(info))


def _cofactor(a: Tensor, d: Tensor) -> Tensor:
    """adj(A)ᴴ, the derivative of det A: d A⁻ᴴ for an invertible A; from the SVD A = U S Vᴴ as
    det(U) det(Vᴴ) U diag(Π_{j≠i} s_j) Vᴴ for a singular one, and whenever this is differentiated again (create_graph,
    forward-over-reverse), where the inverse of a nearly singular A would lose every digit"""
    if np.all(d._data != 0) and not _grad_mode.enabled and _fw.level is None:
        # the scale from LAPACK's det (its fused trailing update keeps the digits of a nearly singular A's det,
        # which the printed value, d, made as PyTorch makes it, loses to cancellation)
        return _wrap(np.asarray(np.linalg.det(a._data))[..., None, None]) * _mH(inverse(a))
    u, s, vh = linalg_svd(a, full_matrices=False)
    n = s.shape[-1]
    others = where(_wrap(np.eye(n, dtype=bool)), 1.0, expand(unsqueeze(s, -2), tuple(s.shape[:-1]) + (n, n)))
    phase = _wrap(np.asarray(np.linalg.det(u._data) * np.linalg.det(vh._data)))
    prod = others[..., 0]
    for j in builtins.range(1, n):  # Π_{j≠i} s_j, as products (no division: s may hold zeros)
        prod = prod * others[..., j]
    return unsqueeze(unsqueeze(phase, -1), -1) * matmul(u * unsqueeze(prod, -2), vh)


class LinalgDetBackward0(Node):
    """d = det A:  dA = g adj(A)ᴴ (= g d A⁻ᴴ for an invertible A);  dd = tr(adj(A) dA)"""

    def backward(self, g):
        a, d = self.saved_values()
        return (unsqueeze(unsqueeze(g, -1), -1) * _cofactor(a, d),)

    def jvp(self, ta):
        a, d = self.saved_values()
        return (conj(_cofactor(a, d)) * ta).sum((-2, -1))


# Up to this order det is the product of getrf's pivots, as PyTorch computes it (NumPy's det is exp(log|det|),
# which puts the determinant of a small integer matrix one ulp off: 11.000000000000002, printed 11.0000 where
# PyTorch prints 11.); beyond it LAPACK's blocked factorisation is used, whose last bits no print shows.
_DET_BY_PIVOTS = 256


def _det_array(ad, transpose: bool):
    """det of each matrix of ``ad`` (..., n, n): sign(P) times the product of U's diagonal, U from the LU of Aᵀ
    when ``transpose`` (PyTorch factors Aᵀ for a contiguous real A, det Aᵀ = det A, to spare LAPACK a copy:
    det [[1, 2], [3, 4]] in float32 is then exactly -2, where the LU of A gives -1.9999999)"""
    n = ad.shape[-1]
    if n > _DET_BY_PIVOTS or ad.size == 0:
        return np.linalg.det(ad)
    lu, perm, _ = _getrf(np.swapaxes(ad, -1, -2) if transpose else ad)
    inversions = np.triu(perm[:, :, None] > perm[:, None, :], 1).sum(axis=(1, 2))  # parity of the row order
    sign = np.where(inversions % 2 == 1, -1, 1).astype(lu.dtype)
    prod = np.ones(lu.shape[0], dtype=lu.dtype)
    for i in builtins.range(n):  # left to right, as PyTorch's prod over the diagonal
        prod = prod * lu[:, i, i]
    return (sign * prod).reshape(ad.shape[:-2])


def det(a: Tensor) -> Tensor:
    """det A"""
    _check_matrix(a, "linalg.det")
    r = np.asarray(_det_array(a._data, a.is_contiguous() and not a.is_complex())).astype(a._data.dtype)
    return _rec(r, LinalgDetBackward0, (a,), saved=(a,), keep_out=True)

expose(det, method=True)


class LinalgSlogdetBackward0(Node):
    """(sign, ln|det A|):  dA = g A⁻ᴴ (real A; the sign is locally constant);  d ln|det A| = tr(A⁻¹ dA)"""

    def backward(self, grads):
        g_sign, g_log = grads
        if g_log is None:
            return (None,)
        (a,) = self.saved_values()
        return (unsqueeze(unsqueeze(g_log, -1), -1) * _mH(inv_ex(a)[0]),)  # inf for a singular A, as PyTorch

    def jvp(self, ta):
        (a,) = self.saved_values()
        t_log = diagonal(matmul(inv_ex(a)[0], ta), 0, -2, -1).sum(-1)
        return (t_log * 0, t_log)


def _slogdet(a: Tensor, fn: str):
    _check_matrix(a, fn)
    s, ld = np.linalg.slogdet(a._data)
    dt = a._data.dtype
    return _rec_multi((np.asarray(s).astype(dt), np.asarray(ld).astype(dt)), LinalgSlogdetBackward0, (a,),
                      saved=(a,))


_torch_slogdet_result = _named("slogdet", ["sign", "logabsdet"])
_triangular_solve_result = _named("triangular_solve", ["solution", "cloned_coefficient"])


def slogdet(a: Tensor):
    """(sign det A, ln |det A|)"""
    return _torch_slogdet_result(*_slogdet(a, "linalg.slogdet"))

expose(slogdet, method=True)


def linalg_slogdet(a: Tensor):
    """torch.linalg.slogdet: (sign det A, ln |det A|)"""
    return _slogdet_result(*_slogdet(a, "linalg.slogdet"))


def logdet(a: Tensor) -> Tensor:
    """ln det A (nan for a negative determinant)"""
    s, la = _slogdet(a, "logdet")
    return where(s < 0, math.nan, la)

expose(logdet, method=True)


class LinalgSolveExBackward0(Node):
    """X = A⁻¹ B:  dB = A⁻ᴴ G, dA = -dB Xᴴ;  dX = A⁻¹ (dB - dA X)   (left=False, X = B A⁻¹: dB = G A⁻ᴴ, dA = -Xᴴ dB)"""
    vec = False
    left = True

    def backward(self, g):
        a, x = self.saved_values()
        if not self.left:
            gb = solve(_mH(a), g, left=False)
            return (-matmul(_mH(x), gb) if self.next[0] is not None else None, gb)
        gm = unsqueeze(g, -1) if self.vec else g
        xm = unsqueeze(x, -1) if self.vec else x
        gb = solve(_mH(a), gm)
        ga = -matmul(gb, _mH(xm)) if self.next[0] is not None else None
        return (ga, squeeze(gb, -1) if self.vec else gb)

    def jvp(self, ta, tb):
        a, x = self.saved_values()
        if not self.left:
            rhs = _plus(tb, None if ta is None else -matmul(x, ta))
            return solve(a, rhs, left=False)
        xm = unsqueeze(x, -1) if self.vec else x
        rhs = _plus(None if tb is None else (unsqueeze(tb, -1) if self.vec else tb),
                    None if ta is None else -matmul(ta, xm))
        r = solve(a, rhs)
        return squeeze(r, -1) if self.vec else r


def _singular_solve(ad, fn="torch.linalg.solve"):
    _, _, info = _getrf(ad)
    k = _first_failure(info)
    return _LinAlgError(f"{fn}: {_batch_prefix(ad.ndim, builtins.max(k, 0))}The solver failed because the input "
                        "matrix is singular.")


def _solve(a: Tensor, b: Tensor, left: bool, check_errors: bool, fn: str):
    """(X, info) of A X = B (X A = B when not ``left``): a singular A raises PyTorch's error when checked, else
    gives LAPACK's inf/nan result with info the 1-based index of the first zero pivot."""
    _check_matrix(a, "linalg.solve")
    if a._data.dtype != b._data.dtype:
        raise RuntimeError(f"linalg.solve: Expected A and B to have the same dtype, but found A of type "
                           f"{_long_name(a.dtype)} and B of type {_long_name(b.dtype)} instead")
    vec = left and (b.ndim == 1 or (b.ndim == a.ndim - 1 and tuple(b.shape) == tuple(a.shape[:-1])))
    ad = a._data
    bd = b._data[..., None] if vec else b._data
    if bd.ndim < 2:
        raise RuntimeError("linalg.solve: The input tensor B must have at least 2 dimensions.")
    n_b = bd.shape[-2] if left else bd.shape[-1]
    if a.shape[-1] != n_b:
        eq = "AX = B" if left else "XA = B"
        raise RuntimeError(f"linalg.solve: Incompatible shapes of A and B for the equation {eq} "
                           f"({a.shape[-2]}x{a.shape[-1]} and {bd.shape[-2]}x{bd.shape[-1]})")
    try:
        batch = np.broadcast_shapes(ad.shape[:-2], bd.shape[:-2])
    except ValueError:
        raise RuntimeError(_bcast_message(ad.shape[:-2], bd.shape[:-2])) from None
    info = np.zeros(batch, dtype=np.int32)
    at, bt = (ad, bd) if left else (np.swapaxes(ad, -1, -2), np.swapaxes(bd, -1, -2))
    try:
        r = np.linalg.solve(at, bt)
    except np.linalg.LinAlgError:
        if check_errors:
            raise _singular_solve(ad, fn) from None
        n = at.shape[-1]
        af = np.broadcast_to(at, batch + at.shape[-2:])
        bf = np.broadcast_to(bt, batch + bt.shape[-2:])
        lu, perm, flat = _getrf(af)
        r = _getrs(lu, perm, bf.reshape((-1,) + bf.shape[-2:])).reshape(batch + (n, bf.shape[-1]))
        info = flat.reshape(batch)
    if not left:
        r = np.swapaxes(r, -1, -2)
    r = r[..., 0] if vec else r
    rbatch = r.shape[:-1] if vec else r.shape[:-2]
    shapes = (a.shape, b.shape) if (ad.shape[:-2] != rbatch or b._data.shape != r.shape) else None
    x = _rec(np.ascontiguousarray(r), LinalgSolveExBackward0, (a, b), saved=(a,), keep_out=True,
             in_shapes=shapes, vec=vec, left=left)
    return x, info


def solve(a: Tensor, b: Tensor, *, left: bool = True) -> Tensor:
    """X with A X = B (or X A = B when not ``left``)"""
    return _solve(a, b, left, True, "torch.linalg.solve")[0]


def solve_ex(a: Tensor, b: Tensor, *, left: bool = True, check_errors: bool = False):
    """(X, info): X with A X = B (X A = B when not ``left``); info holds LAPACK's report per matrix (0: solved,
    k: the k-th pivot of A's LU is zero, X is then inf/nan) instead of an error"""
    x, info = _solve(a, b, left, check_errors, "torch.linalg.solve_ex")
    return _solve_ex_result(x, _wrap(info))


expose(solve, torch=False)  # torch.linalg.solve


class LinalgSolveTriangularBackward0(Node):
    """X = T⁻¹ B (T the triangle of A):  dB = T⁻ᴴ G, dA = -tri(dB Xᴴ);  dX = T⁻¹ (dB - tri(dA) X)
    (left=False, X = B T⁻¹: dB = G T⁻ᴴ, dA = -tri(Xᴴ dB))"""
    upper = False
    left = True
    unitriangular = False

    def _tri(self, m):
        """the part of a matrix that the triangle of A (less a unit diagonal) multiplies"""
        unit = 1 if self.unitriangular else 0
        return _triangle(m, unit, True) if self.upper else _triangle(m, -unit)

    def backward(self, g):
        a, x = self.saved_values()
        gb = solve_triangular(_mH(a), g, upper=not self.upper, left=self.left, unitriangular=self.unitriangular)
        ga = None
        if self.next[0] is not None:
            ga = self._tri(-(matmul(gb, _mH(x)) if self.left else matmul(_mH(x), gb)))
        return (ga, gb)

    def jvp(self, ta, tb):
        a, x = self.saved_values()
        dax = None
        if ta is not None:
            ta = self._tri(ta)
            dax = -(matmul(ta, x) if self.left else matmul(x, ta))
        return solve_triangular(a, _plus(tb, dax), upper=self.upper, left=self.left,
                                unitriangular=self.unitriangular)


def solve_triangular(a: Tensor, b: Tensor, *, upper: bool, left: bool = True, unitriangular: bool = False):
    """X with T X = B (T X = B's transpose form when not ``left``: X T = B), T the upper or lower triangle of A"""
    fn = "linalg.solve_triangular"
    _check_matrix(a, fn)
    if b.ndim < 2:
        raise RuntimeError(f"{fn}: The input tensor B must have at least 2 dimensions.")
    if b._data.dtype.kind not in "fc":
        raise RuntimeError(f"{fn}: Expected a floating point or complex tensor as input. Got {_long_name(b.dtype)}")
    if a._data.dtype != b._data.dtype:
        raise RuntimeError(f"{fn}: Expected A and B to have the same dtype, but found A of type "
                           f"{_long_name(a.dtype)} and B of type {_long_name(b.dtype)} instead")
    if a.shape[-1] != (b.shape[-2] if left else b.shape[-1]):
        raise RuntimeError(f"{fn}: Incompatible shapes of A and B for the equation {'AX = B' if left else 'XA = B'} "
                           f"({a.shape[-2]}x{a.shape[-1]} and {b.shape[-2]}x{b.shape[-1]})")
    try:
        r = _trsm(a._data, b._data, upper, left, unitriangular)
    except ValueError:
        raise RuntimeError(_bcast_message(a.shape[:-2], b.shape[:-2])) from None
    shapes = (a.shape, b.shape) if (a.shape[:-2] != r.shape[:-2] or b.shape != r.shape) else None
    return _rec(r, LinalgSolveTriangularBackward0, (a, b), saved=(a,), keep_out=True, in_shapes=shapes,
                upper=upper, left=left, unitriangular=unitriangular)


class TriangularSolveBackward0(Node):
    """X = T⁻¹ b (T = tri(A), or its transpose):  db = T⁻ᴴ G_X, dA = -tri(db Xᴴ) + G_M (M the cloned A);
    dX = T⁻¹ (db - dT X), dM = dA"""
    upper = True
    transpose = False
    unitriangular = False

    def _tri(self, m):
        unit = 1 if self.unitriangular else 0
        return _triangle(m, unit, True) if self.upper else _triangle(m, -unit)

    def _coefficient(self, a):
        return _mT(a) if self.transpose else a

    def backward(self, grads):
        gx, gm = grads
        a, x = _saved_with_outputs(self)[:2]
        gb = ga = None
        if gx is not None:
            gb = triangular_solve(gx, a, self.upper, not self.transpose, self.unitriangular)[0]
            if self.next[1] is not None:
                ga = self._tri(-(matmul(x, _mH(gb)) if self.transpose else matmul(gb, _mH(x))))
        if gm is not None and self.next[1] is not None:
            ga = _plus(ga, gm)
        return (gb, ga)

    def jvp(self, tb, ta):
        a, x = _saved_with_outputs(self)[:2]
        rhs = _plus(tb, None if ta is None else -matmul(self._coefficient(self._tri(ta)), x))
        tx = triangular_solve(rhs, a, self.upper, self.transpose, self.unitriangular)[0]
        return (tx, ta if ta is not None else _wrap(np.zeros(a.shape, dtype=a._data.dtype)))


def triangular_solve(b: Tensor, a: Tensor, upper: bool = True, transpose: bool = False,
                     unitriangular: bool = False):
    """the deprecated torch.triangular_solve: (X with T X = b, a copy of A), T the triangle of A (or its transpose)"""
    for name, t in (("b", b), ("A", a)):
        if t.ndim < 2:
            raise RuntimeError(f"torch.triangular_solve: The input tensor {name} must have at least 2 dimensions.")
    if a.shape[-1] != a.shape[-2]:
        raise RuntimeError(f"torch.triangular_solve: A must be batches of square matrices, but they are "
                           f"{a.shape[-2]} by {a.shape[-1]} matrices")
    if a.shape[-1] != b.shape[-2]:
        raise RuntimeError(f"torch.triangular_solve: Incompatible matrix sizes for triangular_solve: each A matrix "
                           f"is {a.shape[-1]} by {a.shape[-1]} but each b matrix is {b.shape[-2]} by "
                           f"{b.shape[-1]}")
    ad = np.swapaxes(a._data, -1, -2) if transpose else a._data
    x = _trsm(ad, b._data, upper != transpose, True, unitriangular)
    batch = x.shape[:-2]
    m = np.broadcast_to(a._data, batch + a.shape[-2:]).copy()
    outs = _rec_multi((x, m), TriangularSolveBackward0, (b, a), saved=(a,), keep=(0,), upper=upper,
                      transpose=transpose, unitriangular=unitriangular,
                      in_shapes=(b.shape, a.shape) if (b.shape != x.shape or a.shape != m.shape) else None)
    return _triangular_solve_result(*outs)

expose(triangular_solve, method=True)


class LinalgCholeskyExBackward0(Node):
    """A = L Lᴴ:  dA = sym(L⁻ᴴ Φ(Lᴴ G) L⁻¹);  dL = L Φ(L⁻¹ dA L⁻ᴴ), Φ = the lower triangle with its diagonal
    halved, sym(S) = (S + Sᴴ)/2 (for upper=True the same with U = Lᴴ)"""
    upper = False

    def _lower(self):
        out = self.saved_values()[0]
        return _mH(out) if self.upper else out

    def backward(self, g):
        low = self._lower()
        if self.upper:
            g = _mH(g)
        p = _phi(matmul(_mH(low), g))
        s = solve_triangular(low, solve_triangular(_mH(low), p, upper=True), upper=False, left=False)
        return ((s + _mH(s)) * 0.5,)

    def jvp(self, ta):
        low = self._lower()
        c = solve_triangular(_mH(low), solve_triangular(low, ta, upper=False), upper=True, left=False)
        tl = matmul(low, _phi(c))
        return _mH(tl) if self.upper else tl


def _phi(m: Tensor) -> Tensor:
    """the lower triangle of m with its diagonal halved"""
    n = m.shape[-1]
    return m * _wrap((np.tril(np.ones((n, n))) - 0.5 * np.eye(n)).astype(m._data.dtype))


def _cholesky_arrays(ad, upper: bool, fn: str, check_errors: bool):
    """(the factor, info): the lower triangle read (the upper one for ``upper``), as LAPACK's potrf"""
    src = np.swapaxes(ad, -1, -2).conj() if upper else ad
    try:
        low, info = np.linalg.cholesky(src), np.zeros(ad.shape[:-2], dtype=np.int32)
    except np.linalg.LinAlgError:
        low, info = _potf2(src)
        k = _first_failure(info)
        if k >= 0 and check_errors:
            raise _LinAlgError(f"{fn}: {_batch_prefix(ad.ndim, k)}The factorization could not be completed because "
                               f"the input is not positive-definite (the leading minor of order "
                               f"{info.reshape(-1)[k]} is not positive-definite).") from None
    return np.ascontiguousarray(np.swapaxes(low, -1, -2).conj() if upper else low), info


def cholesky(a: Tensor, upper: bool = False) -> Tensor:
    """L with A = L Lᴴ (or U = Lᴴ when upper)"""
    _check_matrix(a, "linalg.cholesky")
    arr, _ = _cholesky_arrays(a._data, upper, "linalg.cholesky", True)
    return _rec(arr, LinalgCholeskyExBackward0, (a,), keep_out=True, upper=upper)


def cholesky_ex(a: Tensor, *, upper: bool = False, check_errors: bool = False):
    """(L, info): info holds LAPACK's report per matrix (0: positive-definite) instead of an error"""
    _check_matrix(a, "linalg.cholesky_ex")
    arr, info = _cholesky_arrays(a._data, upper, "linalg.cholesky_ex", check_errors)
    return _cholesky_ex_result(_rec(arr, LinalgCholeskyExBackward0, (a,), keep_out=True, upper=upper), _wrap(info))


class CholeskyBackward0(LinalgCholeskyExBackward0):
    """A = L Lᴴ (the deprecated torch.cholesky):  dA = sym(L⁻ᴴ Φ(Lᴴ G) L⁻¹), as linalg.cholesky; PyTorch gives it
    no forward-mode rule"""
    forward_ad = False


def torch_cholesky(a: Tensor, upper: bool = False) -> Tensor:
    """the deprecated torch.cholesky"""
    if a._data.dtype.kind not in "fc":
        raise NotImplementedError(f"\"cholesky_cpu\" not implemented for '{_long_name(a.dtype)}'")
    _check_matrix(a, "cholesky")
    _refuse_forward("cholesky", a)
    arr, _ = _cholesky_arrays(a._data, upper, "cholesky", True)
    return _rec(arr, CholeskyBackward0, (a,), keep_out=True, upper=upper)

expose(torch_cholesky, torch=('cholesky',), method=('cholesky',), out=True)


class CholeskySolveBackward0(Node):
    """X = (L Lᴴ)⁻¹ B:  dB = (L Lᴴ)⁻¹ G, dL = -(dB Xᴴ + X dBᴴ) L (upper: U = Lᴴ, dU = -U (dB Xᴴ + X dBᴴ));
    dX = (L Lᴴ)⁻¹ (dB - (dL Lᴴ + L dLᴴ) X)"""
    upper = False

    def backward(self, g):
        u, x = self.saved_values()
        gb = cholesky_solve(g, u, self.upper)
        gu = None
        if self.next[1] is not None:
            common = matmul(gb, _mH(x))
            common = common + _mH(common)
            gu = -matmul(u, common) if self.upper else -matmul(common, u)
        return (gb, gu)

    def jvp(self, tb, tu):
        u, x = self.saved_values()
        rhs = tb
        if tu is not None:
            da = matmul(_mH(tu), u) + matmul(_mH(u), tu) if self.upper else matmul(tu, _mH(u)) + matmul(u, _mH(tu))
            rhs = _plus(rhs, -matmul(da, x))
        return cholesky_solve(rhs, u, self.upper)


def cholesky_solve(b: Tensor, u: Tensor, upper: bool = False) -> Tensor:
    """X with (L Lᴴ) X = B, given the Cholesky factor L (its lower triangle read; U = Lᴴ, upper, when ``upper``)"""
    for name, t in (("b", b), ("u", u)):
        if t.ndim < 2:
            raise RuntimeError(f"b should have at least 2 dimensions, but has {t.ndim} dimensions instead"
                               if name == "b" else
                               f"u should have at least 2 dimensions, but has {t.ndim} dimensions instead")
    if b._data.dtype != u._data.dtype:
        raise RuntimeError(f"Expected b and A to have the same dtype, but found b of type {_long_name(b.dtype)} "
                           f"and A of type {_long_name(u.dtype)} instead.")
    ud = u._data
    low = np.swapaxes(np.triu(ud), -1, -2).conj() if upper else np.tril(ud)
    y = _trsm(low, b._data, upper=False)
    r = _trsm(np.swapaxes(low, -1, -2).conj(), y, upper=True)
    shapes = (b.shape, u.shape) if (b.shape != r.shape or u.shape[:-2] != r.shape[:-2]) else None
    return _rec(r, CholeskySolveBackward0, (b, u), saved=(u,), keep_out=True, in_shapes=shapes, upper=upper)

expose(cholesky_solve, method=True, out=True)


class CholeskyInverseBackward0(Node):
    """Y = (L Lᴴ)⁻¹:  dL = -Y (G + Gᴴ) Y L (upper: U = Lᴴ, dU = -U Y (G + Gᴴ) Y);  dY = -Y (dL Lᴴ + L dLᴴ) Y"""
    upper = False

    def backward(self, g):
        u, y = self.saved_values()
        common = matmul(matmul(y, g + _mH(g)), y)
        return (-matmul(u, common) if self.upper else -matmul(common, u),)

    def jvp(self, tu):
        u, y = self.saved_values()
        da = matmul(_mH(tu), u) + matmul(_mH(u), tu) if self.upper else matmul(tu, _mH(u)) + matmul(u, _mH(tu))
        return -matmul(matmul(y, da), y)


def cholesky_inverse(u: Tensor, upper: bool = False) -> Tensor:
    """(L Lᴴ)⁻¹ from the Cholesky factor L (its lower triangle read; U = Lᴴ when ``upper``)"""
    if u.ndim < 2:
        raise RuntimeError("cholesky_inverse: The input tensor A must have at least 2 dimensions.")
    if u.shape[-1] != u.shape[-2]:
        raise RuntimeError(f"cholesky_inverse: A must be batches of square matrices, but they are {u.shape[-2]} "
                           f"by {u.shape[-1]} matrices")
    ud = u._data
    low = np.swapaxes(np.triu(ud), -1, -2).conj() if upper else np.tril(ud)
    n = ud.shape[-1]
    linv = _trsm(low, np.broadcast_to(np.eye(n, dtype=ud.dtype), ud.shape), upper=False)
    r = np.swapaxes(linv, -1, -2).conj() @ linv
    return _rec(r, CholeskyInverseBackward0, (u,), saved=(u,), keep_out=True, upper=upper)

expose(cholesky_inverse, method=True, out=True)


# =====================================================================================================
# Decompositions: svd, qr, eigh, eig; pseudo-inverse, least squares, matrix_exp
# =====================================================================================================

def _skew(m: Tensor) -> Tensor:
    return m - _mH(m)


class LinalgSvdBackward0(Node):
    """A = U diag(S) Vᴴ:  with E_ij = s_j² - s_i² (i ≠ j), gA = U [(skew(Uᴴ gU) S + S skew(Vᴴ gV)) / E + diag(gS)] Vᴴ
    + (I - U Uᴴ) gU S⁻¹ Vᴴ + U S⁻¹ gVᴴ (I - V Vᴴ);  with P = Uᴴ dA V: dS = diag P, dU = U Ω_U + (I - U Uᴴ) dA V S⁻¹,
    dV = V Ω_V + (I - V Vᴴ) dAᴴ U S⁻¹, (Ω_U)_ij = (P_ij s_j + s_i P_ji) / E_ij, (Ω_V)_ij = (s_i P_ij + s_j P_ji) / E_ij
    (gauge-invariant: only the first k = min(m, n) singular vectors are determined; S holds k values)"""
    full = False

    def _factors(self):
        u, s, vh = _saved_with_outputs(self)
        k = s.shape[-1]
        if self.full:
            u, vh = narrow(u, -1, 0, k), narrow(vh, -2, 0, k)
        return u, s, vh, k

    def backward(self, grads):
        gu, gs, gvh = grads
        u, s, vh, k = self._factors()
        m, n = u.shape[-2], vh.shape[-1]
        if self.full:
            gu = None if gu is None else narrow(gu, -1, 0, k)
            gvh = None if gvh is None else narrow(gvh, -2, 0, k)
        if gu is None and gvh is None:
            return (matmul(u * unsqueeze(gs, -2), vh),)
        s2 = s * s
        e = unsqueeze(s2, -2) - unsqueeze(s2, -1) + _eye_like(s, k)
        inner = None
        if gu is not None:
            inner = _skew(matmul(_mH(u), gu)) * unsqueeze(s, -2)
        if gvh is not None:
            inner = _plus(inner, unsqueeze(s, -1) * _skew(matmul(vh, _mH(gvh))))
        inner = inner / e
        if gs is not None:
            inner = inner + diag_embed(gs)
        ga = matmul(matmul(u, inner), vh)
        if gu is not None and m > k:
            ga = ga + matmul((gu - matmul(u, matmul(_mH(u), gu))) / unsqueeze(s, -2), vh)
        if gvh is not None and n > k:
            ga = ga + matmul(u, (gvh - matmul(matmul(gvh, _mH(vh)), vh)) / unsqueeze(s, -1))
        return (ga,)

    def jvp(self, ta):
        u, s, vh, k = self._factors()
        m, n = u.shape[-2], vh.shape[-1]
        v = _mH(vh)
        tav = matmul(ta, v)
        p = matmul(_mH(u), tav)
        ts = diagonal(p, 0, -2, -1)
        s2 = s * s
        e = unsqueeze(s2, -2) - unsqueeze(s2, -1) + _eye_like(s, k)
        off = _off_diagonal(s, k)
        pt = _mT(p)
        sr, sc = unsqueeze(s, -2), unsqueeze(s, -1)  # s_j along a row, s_i down a column
        tu = matmul(u, (p * sr + sc * pt) / e * off)
        tv = matmul(v, (sc * p + pt * sr) / e * off)
        if m > k:
            tu = tu + (tav - matmul(u, p)) / sr
        if n > k:
            tv = tv + (matmul(_mH(ta), u) - matmul(v, pt)) / sr
        tvh = _mH(tv)
        if self.full:
            if m > k:
                tu = cat([tu, _wrap(np.zeros(tuple(tu.shape[:-1]) + (m - k,), dtype=tu._data.dtype))], -1)
            if n > k:
                tvh = cat([tvh, _wrap(np.zeros(tuple(tvh.shape[:-2]) + (n - k, n), dtype=tvh._data.dtype))], -2)
        return (tu, ts, tvh)


def _svd(a: Tensor, full_matrices: bool, fn: str = "linalg.svd"):
    """(U, S, Vh) recorded on one node (S alone is computed when no derivative is wanted: ``svdvals``)"""
    _check_matrix(a, fn, square=False)
    u, s, vh = np.linalg.svd(a._data, full_matrices=full_matrices)
    dt = a._data.dtype
    arrays = (np.ascontiguousarray(u, dtype=dt), np.ascontiguousarray(s), np.ascontiguousarray(vh, dtype=dt))
    full = full_matrices and a.shape[-1] != a.shape[-2]
    return _rec_multi(arrays, LinalgSvdBackward0, (a,), keep=(0, 1, 2), full=full)


def linalg_svd(a: Tensor, full_matrices: bool = True, *, driver=None):
    """A = U diag(S) Vh"""
    return _svd_result(*_svd(a, full_matrices))


def svd(a: Tensor, some: bool = True, compute_uv: bool = True):
    """torch.svd: A = U diag(S) Vᴴ (V, not Vh); without ``compute_uv`` U and V are zeros"""
    if not compute_uv:
        s = svdvals(a)
        dt = a._data.dtype
        m, n = a.shape[-2], a.shape[-1]
        u = _wrap(np.zeros(tuple(a.shape[:-2]) + (m, m), dtype=dt))
        v = _wrap(np.zeros(tuple(a.shape[:-2]) + (n, n), dtype=dt))
        return _torch_svd_result(u, s, v)
    u, s, vh = _svd(a, not some)
    return _torch_svd_result(u, s, _mH(vh))

expose(svd, method=True)


def svdvals(a: Tensor) -> Tensor:
    """the singular values, descending (their derivative needs the vectors: computed then)"""
    if _requires_any(a):
        return _svd(a, False, "linalg.svdvals")[1]
    _check_matrix(a, "linalg.svdvals", square=False)
    return _wrap(np.ascontiguousarray(np.linalg.svd(a._data, compute_uv=False)))


_QR_MODES = ("reduced", "complete", "r")


class LinalgQrBackward0(Node):
    """A = Q R (m ≥ n):  gA = [Q (gR Rᴴ + tril(N - Nᴴ, -1)) + (I - Q Qᴴ) gQ] R⁻ᴴ, N = Qᴴ gQ - gR Rᴴ;  with C = Qᴴ dA R⁻¹,
    Ω = tril(C, -1) - tril(C, -1)ᴴ: dQ = Q Ω + (I - Q Qᴴ) dA R⁻¹, dR = (C - Ω) R  (m < n: A = [X Y], X = Q R₁,
    Y = Q R₂, the square case for X with gQ + Y gR₂ᴴ, and gY = Q gR₂, dR₂ = dQᴴ Y + Qᴴ dY)"""
    mode = "reduced"

    def _check(self, m, n):
        _qr_differentiable(self.mode, m, n)

    def backward(self, grads):
        gq, gr = grads
        q, r = _saved_with_outputs(self)
        self._check(r.shape[-2], r.shape[-1])
        m, n = q.shape[-2], r.shape[-1]
        if m >= n:
            return (_qr_tall_backward(q, r, gq, gr),)
        r1, r2 = narrow(r, -1, 0, m), narrow(r, -1, m, n - m)
        gy = None
        if gr is not None:
            gr1, gr2 = narrow(gr, -1, 0, m), narrow(gr, -1, m, n - m)
            y = matmul(q, r2)
            gq = _plus(gq, matmul(y, _mH(gr2)))
            gy = matmul(q, gr2)
        else:
            gr1 = None
        gx = _qr_tall_backward(q, r1, gq, gr1)
        if gy is None:
            gy = _wrap(np.zeros(tuple(gx.shape[:-1]) + (n - m,), dtype=gx._data.dtype))
        return (cat([gx, gy], -1),)

    def jvp(self, ta):
        q, r = _saved_with_outputs(self)
        self._check(ta.shape[-2], ta.shape[-1])
        m, n = q.shape[-2], r.shape[-1]
        if m >= n:
            return _qr_tall_jvp(q, r, ta)
        r1, r2 = narrow(r, -1, 0, m), narrow(r, -1, m, n - m)
        tq, tr1 = _qr_tall_jvp(q, r1, narrow(ta, -1, 0, m))
        tr2 = matmul(_mH(tq), matmul(q, r2)) + matmul(_mH(q), narrow(ta, -1, m, n - m))
        return (tq, cat([tr1, tr2], -1))


def _qr_differentiable(mode, m, n):
    """PyTorch's errors where QR has no derivative (raised in backward, and at the op in forward mode)"""
    if mode == "r":
        raise RuntimeError("The derivative of linalg.qr depends on Q, which is not computed when mode='r'. Please "
                           "use linalg.qr(A, mode='reduced') if you are going to differentiate through linalg.qr.")
    if mode == "complete" and m > n:
        raise RuntimeError("The QR decomposition is not differentiable when mode='complete' and nrows > ncols.")


def _qr_tall_backward(q, r, gq, gr):
    """gA for A = Q R with Q m x n orthonormal, R n x n upper-triangular (m ≥ n)"""
    n_mat = None
    if gq is not None:
        n_mat = matmul(_mH(q), gq)
    grr = None
    if gr is not None:
        grr = matmul(gr, _mH(r))
        n_mat = _plus(n_mat, -grr)
    gc = _plus(grr, _triangle(n_mat - _mH(n_mat), -1))
    z = matmul(q, gc)
    if gq is not None:
        z = z + gq - matmul(q, matmul(_mH(q), gq))
    return solve_triangular(_mH(r), z, upper=False, left=False)  # z R⁻ᴴ


def _qr_tall_jvp(q, r, ta):
    tar = solve_triangular(r, ta, upper=True, left=False)  # dA R⁻¹
    c = matmul(_mH(q), tar)
    low = _triangle(c, -1)
    omega = low - _mH(low)
    cm = c - omega
    return tar - matmul(q, cm), matmul(cm, r)


def _linalg_qr(a: Tensor, mode: str, fn: str = "linalg.qr"):
    if mode not in _QR_MODES:
        raise RuntimeError(f"qr received unrecognized mode '{mode}' but expected one of 'reduced' (default), 'r', or "
                           "'complete'")
    _check_matrix(a, fn, square=False)
    if _has_tangent(a):  # PyTorch refuses forward mode at the op where it has no derivative
        _qr_differentiable(mode, a.shape[-2], a.shape[-1])
    dt = a._data.dtype
    if mode == "r":
        r = np.linalg.qr(a._data, mode="r")
        q = np.empty((0,), dtype=dt)
    else:
        q, r = np.linalg.qr(a._data, mode=mode)
    return _rec_multi((np.ascontiguousarray(q, dtype=dt), np.ascontiguousarray(r, dtype=dt)), LinalgQrBackward0,
                      (a,), keep=(0, 1), mode=mode)


def linalg_qr(a: Tensor, mode: str = "reduced"):
    """A = Q R, Q with orthonormal columns, R upper-triangular"""
    return _qr_result(*_linalg_qr(a, mode))


def qr(a: Tensor, some: bool = True):
    """the deprecated torch.qr: linalg.qr with mode 'reduced' (some) or 'complete'"""
    return _torch_qr_result(*_linalg_qr(a, "reduced" if some else "complete"))

expose(qr, method=True)


class LinalgEighBackward0(Node):
    """A = V diag(L) Vᴴ (A Hermitian):  gA = V (diag(gL) + F ∘ (Vᴴ gV - gVᴴ V) / 2) Vᴴ;  with P = Vᴴ dA V:
    dL = diag P, dV = V (F ∘ P), F_ij = 1 / (L_j - L_i) off the diagonal, 0 on it"""

    def backward(self, grads):
        gl, gv = grads
        w, v = _saved_with_outputs(self)
        inner = None if gl is None else diag_embed(gl)
        if gv is not None:
            inner = _plus(inner, _skew(matmul(_mH(v), gv)) * 0.5 * _eigh_f(w))
        return (matmul(matmul(v, inner), _mH(v)),)

    def jvp(self, ta):
        w, v = _saved_with_outputs(self)
        p = matmul(matmul(_mH(v), ta), v)
        return (diagonal(p, 0, -2, -1), matmul(v, p * _eigh_f(w)))


def _eigh_f(w: Tensor) -> Tensor:
    """F_ij = 1 / (w_j - w_i) off the diagonal, 0 on it"""
    n = w.shape[-1]
    e = unsqueeze(w, -2) - unsqueeze(w, -1) + _eye_like(w, n)
    return _off_diagonal(w, n) / e


def _eigh(a: Tensor, uplo: str, fn: str):
    _check_matrix(a, fn)
    if uplo not in ("L", "U", "l", "u"):
        raise RuntimeError(f"Expected UPLO argument to be 'L' or 'U', but got {uplo}")
    w, v = np.linalg.eigh(a._data, UPLO=uplo.upper())
    return _rec_multi((np.ascontiguousarray(w), np.ascontiguousarray(v)), LinalgEighBackward0, (a,), keep=(0, 1))


def eigh(a: Tensor, UPLO: str = "L"):
    """A = V diag(L) Vᴴ for a Hermitian A (its lower triangle read, or the upper one for UPLO='U')"""
    return _eigh_result(*_eigh(a, UPLO, "linalg.eigh"))


def eigvalsh(a: Tensor, UPLO: str = "L") -> Tensor:
    """the eigenvalues of a Hermitian A, ascending (their derivative needs the vectors: computed then)"""
    if _requires_any(a):
        return _eigh(a, UPLO, "linalg.eigvalsh")[0]
    _check_matrix(a, "linalg.eigvalsh")
    if UPLO not in ("L", "U", "l", "u"):
        raise RuntimeError(f"Expected UPLO argument to be 'L' or 'U', but got {UPLO}")
    return _wrap(np.ascontiguousarray(np.linalg.eigvalsh(a._data, UPLO=UPLO.upper())))


def _complex_of(dt):
    return np.complex64 if dt in (np.float32, np.complex64) else np.complex128


class LinalgEigBackward0(Node):
    """A = V diag(L) V⁻¹ (the columns of V of norm 1):
    gA = V⁻ᴴ (diag(gL) + (Vᴴ gV - Vᴴ V diag(Re(Vᴴ gV))) / Ē) Vᴴ, E_ij = L_j - L_i off the diagonal
    (the real part for a real A);  with P = V⁻¹ dA V:  dL = diag P, dV = V (P / E off the diagonal) - V diag(Re(Vᴴ ·))
    (the second term keeps the columns of norm 1)"""

    def backward(self, grads):
        gl, gv = grads
        w, v = _saved_with_outputs(self)
        vh = _mH(v)
        n = w.shape[-1]
        inner = None if gl is None else diag_embed(gl)
        if gv is not None:
            vhgv = matmul(vh, gv)
            phase = imag(diagonal(vhgv, 0, -2, -1))
            if not np.allclose(phase._data, 0, rtol=1e-2, atol=1e-2):
                raise RuntimeError("linalg_eig_backward: The eigenvectors in the complex case are specified up to "
                                   "multiplication by e^{i phi}. The specified loss function depends on this "
                                   "quantity, so it is ill-defined.")
            fixed = vhgv - matmul(vh, v * unsqueeze(real(diagonal(vhgv, 0, -2, -1)), -2))
            inner = _plus(inner, fixed / conj(_eig_e(w, n)) * _off_diagonal(w, n))
        ga = solve(vh, matmul(inner, vh))
        return (ga if self.complex_input else real(ga),)

    def jvp(self, ta):
        w, v = _saved_with_outputs(self)
        n = w.shape[-1]
        ta = ta if ta._data.dtype == v._data.dtype else ta.to(v.dtype)
        p = solve(v, matmul(ta, v))
        dv = matmul(v, p / _eig_e(w, n) * _off_diagonal(w, n))
        dv = dv - v * unsqueeze(real(diagonal(matmul(_mH(v), dv), 0, -2, -1)), -2)
        return (diagonal(p, 0, -2, -1), dv)


def _eig_e(w: Tensor, n: int) -> Tensor:
    """E_ij = w_j - w_i off the diagonal, 1 on it"""
    return unsqueeze(w, -2) - unsqueeze(w, -1) + _eye_like(w, n)


def _eig(a: Tensor, fn: str):
    _check_matrix(a, fn)
    w, v = np.linalg.eig(a._data)
    ct = _complex_of(a._data.dtype)
    return _rec_multi((w.astype(ct), v.astype(ct)), LinalgEigBackward0, (a,), keep=(0, 1),
                      complex_input=a._data.dtype.kind == "c")


def eig(a: Tensor):
    """A = V diag(L) V⁻¹ (complex eigenvalues and eigenvectors, the vectors of norm 1)"""
    return _eig_result(*_eig(a, "linalg.eig"))

expose(eig, torch=False)  # torch.linalg.eig


def eigvals(a: Tensor) -> Tensor:
    """the (complex) eigenvalues of A (their derivative needs the vectors: computed then)"""
    if _requires_any(a):
        return _eig(a, "linalg.eigvals")[0]
    _check_matrix(a, "linalg.eigvals")
    return _wrap(np.linalg.eigvals(a._data).astype(_complex_of(a._data.dtype)))


def _pinv_vjp(a, x, g):
    """gA for X = A⁺: -Xᴴ G Xᴴ + (I - A X) Gᴴ X Xᴴ + Xᴴ X Gᴴ (I - X A)"""
    xh, gh = _mH(x), _mH(g)
    t1 = -matmul(matmul(xh, g), xh)
    t2 = matmul(matmul(gh - matmul(matmul(a, x), gh), x), xh)
    t3 = matmul(matmul(xh, x), gh - matmul(gh, matmul(x, a)))
    return t1 + t2 + t3


def _pinv_jvp(a, x, ta):
    """dX for X = A⁺: -X dA X + X Xᴴ dAᴴ (I - A X) + (I - X A) dAᴴ Xᴴ X"""
    tah, xh = _mH(ta), _mH(x)
    t1 = -matmul(matmul(x, ta), x)
    t2 = matmul(matmul(x, xh), tah - matmul(tah, matmul(a, x)))
    t3 = matmul(tah - matmul(matmul(x, a), tah), matmul(xh, x))
    return t1 + t2 + t3


class LinalgPinvBackward0(Node):
    """X = A⁺:  gA = -Xᴴ G Xᴴ + (I - A X) Gᴴ X Xᴴ + Xᴴ X Gᴴ (I - X A);  dX = -X dA X + X Xᴴ dAᴴ (I - A X)
    + (I - X A) dAᴴ Xᴴ X  (A of constant rank)"""

    def backward(self, g):
        a, x = self.saved_values()
        return (_pinv_vjp(a, x, g),)

    def jvp(self, ta):
        a, x = self.saved_values()
        return _pinv_jvp(a, x, ta)


def _pinv_array(ad, atol, rtol, hermitian):
    """A⁺ from the SVD (or, Hermitian, the eigendecomposition): values above max(atol, rtol · σ_max) inverted"""
    m, n = ad.shape[-2:]
    if rtol is None:
        rtol = 0.0 if (atol is not None and atol > 0) else builtins.max(m, n) * np.finfo(ad.dtype).eps
    atol = 0.0 if atol is None else atol
    if hermitian:
        w, v = np.linalg.eigh(ad)
        aw = np.abs(w)
        smax = aw.max(-1, keepdims=True) if aw.shape[-1] else aw
        keep = aw > np.maximum(atol, rtol * smax)
        inv = np.where(keep, 1 / np.where(keep, w, 1), 0)
        return (v * inv[..., None, :]) @ np.swapaxes(v, -1, -2).conj()
    u, s, vh = np.linalg.svd(ad, full_matrices=False)
    smax = s[..., :1] if s.shape[-1] else s
    keep = s > np.maximum(atol, rtol * smax)
    inv = np.where(keep, 1 / np.where(keep, s, 1), 0)
    return (np.swapaxes(vh, -1, -2).conj() * inv[..., None, :]) @ np.swapaxes(u, -1, -2).conj()


def pinv(a: Tensor, rcond=None, hermitian: bool = False, *, atol=None, rtol=None) -> Tensor:
    """the Moore-Penrose pseudo-inverse A⁺ (singular values below max(atol, rtol · σ_max) treated as zero)"""
    if a.ndim < 2 or a._data.dtype.kind not in "fc":
        raise RuntimeError(f"linalg.pinv({_long_name(a.dtype)}{{{_shape_str(a.shape)}}}): expected a tensor with 2 "
                           "or more dimensions of float, double, cfloat or cdouble types")
    if rcond is not None:
        rtol = rcond
    r = _pinv_array(a._data, atol, rtol, hermitian).astype(a._data.dtype, copy=False)
    return _rec(np.ascontiguousarray(r), LinalgPinvBackward0, (a,), saved=(a,), keep_out=True)


def pinverse(a: Tensor, rcond: float = 1e-15) -> Tensor:
    """torch.pinverse: linalg.pinv with rtol=rcond"""
    return pinv(a, rtol=rcond)

expose(pinverse, method=True)


def matrix_rank(a: Tensor, *, atol=None, rtol=None, hermitian: bool = False, tol=None) -> Tensor:
    """the number of singular values above max(atol, rtol · σ_max)"""
    _check_matrix(a, "linalg.matrix_rank", square=False)
    if tol is not None:
        atol, rtol = tol, 0.0
    s = np.abs(np.linalg.eigvalsh(a._data)) if hermitian else np.linalg.svd(a._data, compute_uv=False)
    smax = s.max(axis=-1, keepdims=True) if s.shape[-1] else s
    if rtol is None:
        rtol = 0.0 if (atol is not None and atol > 0) else builtins.max(a.shape[-2:]) * np.finfo(a._data.dtype).eps
    thresh = np.maximum(0.0 if atol is None else atol, rtol * smax)
    return _wrap(np.asarray((s > thresh).sum(-1), dtype=np.int64))

expose(matrix_rank, torch=False)  # torch.linalg.matrix_rank


_LSTSQ_DRIVERS = ("gels", "gelsy", "gelsd", "gelss")


class LinalgLstsqBackward0(Node):
    """X = A⁺ B, r = ‖A X - B‖² per column:  dB = A⁺ᴴ gX - 2 R gr, dA = pinv'(gX Bᴴ) + 2 R gr Xᴴ (R = A X - B,
    pinv' the pseudo-inverse's backward);  dX = dA⁺ B + A⁺ dB, dr = 2 Σ_rows R ∘ (dA X - dB)"""
    vec = False

    def backward(self, grads):
        gx, gr = grads
        a, b, x = _saved_with_outputs(self)
        ap = pinv(a)
        bm = unsqueeze(b, -1) if self.vec else b
        xm = unsqueeze(x, -1) if self.vec else x
        ga = gb = None
        if gx is not None:
            gxm = unsqueeze(gx, -1) if self.vec else gx
            gb = matmul(_mH(ap), gxm)
            if self.next[0] is not None:
                ga = _pinv_vjp(a, ap, matmul(gxm, _mH(bm)))
        if gr is not None and gr.numel():
            res = matmul(a, xm) - bm
            w = res * unsqueeze(gr, -2) * 2
            gb = _plus(gb, -w)
            ga = _plus(ga, matmul(w, _mH(xm)))
        if gb is not None and self.vec:
            gb = squeeze(gb, -1)
        return (ga, gb)

    def jvp(self, ta, tb):
        a, b, x = _saved_with_outputs(self)
        ap = pinv(a)
        bm = unsqueeze(b, -1) if self.vec else b
        xm = unsqueeze(x, -1) if self.vec else x
        tx = None
        if ta is not None:
            tx = matmul(_pinv_jvp(a, ap, ta), bm)
        if tb is not None:
            tx = _plus(tx, matmul(ap, unsqueeze(tb, -1) if self.vec else tb))
        tr = None
        if self.has_residuals:
            diff = _plus(None if ta is None else matmul(ta, xm),
                         None if tb is None else -(unsqueeze(tb, -1) if self.vec else tb))
            tr = (2 * (matmul(a, xm) - bm) * diff).sum(-2)
            if self.vec:
                tr = squeeze(tr, -1)
        else:
            tr = _wrap(np.zeros((0,), dtype=x._data.dtype))
        return (squeeze(tx, -1) if self.vec else tx, tr)


def lstsq(a: Tensor, b: Tensor, rcond=None, *, driver=None):
    """least squares: (X minimising ‖A X - B‖ (the least-norm one), the squared residuals, the rank, the singular
    values), each computed as PyTorch's CPU driver (default gelsy) reports them"""
    fn = "torch.linalg.lstsq"
    if driver is None:
        driver = "gelsy"
    if driver not in _LSTSQ_DRIVERS:
        raise RuntimeError(f"{fn}: parameter `driver` should be one of (gels, gelsy, gelsd, gelss)")
    if a.ndim < 2:
        raise RuntimeError(f"{fn}: input must have at least 2 dimensions.")
    if a._data.dtype.kind not in "fc":
        raise RuntimeError(f"{fn}: Expected input and other to have the same dtype, but got input's dtype "
                           f"{_long_name(a.dtype)} and other's dtype {_long_name(b.dtype)}"
                           if a._data.dtype != b._data.dtype else
                           f"{fn}: Expected a floating point or complex tensor as input. Got {_long_name(a.dtype)}")
    if a._data.dtype != b._data.dtype:
        raise RuntimeError(f"{fn}: Expected input and other to have the same dtype, but got input's dtype "
                           f"{_long_name(a.dtype)} and other's dtype {_long_name(b.dtype)}")
    vec = b.ndim == a.ndim - 1
    bd = b._data[..., None] if vec else b._data
    if a.shape[-2] != bd.shape[-2]:
        raise RuntimeError(f"{fn}: input.size(-2) should match other.size(-2)" if not vec else
                           f"{fn}: input.size(-2) should match other.size(-1)")
    ad = a._data
    m, n = ad.shape[-2:]
    dt = ad.dtype
    eps = np.finfo(dt).eps
    rc = builtins.max(m, n) * eps if rcond is None or rcond < 0 else rcond
    u, s, vh = np.linalg.svd(ad, full_matrices=False)
    smax = s[..., :1] if s.shape[-1] else s
    keep = s > rc * smax
    rank = keep.sum(-1)
    inv = np.where(keep, 1 / np.where(keep, s, 1), 0)
    x = (np.swapaxes(vh, -1, -2).conj() * inv[..., None, :]) @ (np.swapaxes(u, -1, -2).conj() @ bd)
    has_res = driver != "gelsy" and m > n and bool(np.all(rank == n))
    if has_res:
        res = np.sum(np.abs(ad @ x - bd) ** 2, axis=-2)
        res = res[..., 0] if vec else res
    else:
        res = np.zeros((0,), dtype=dt)
    x = x[..., 0] if vec else x
    batch = x.shape[:-1] if vec else x.shape[:-2]
    shapes = (a.shape, b.shape) if (a.shape[:-2] != batch or b.shape[:b.ndim - (1 if vec else 2)] != batch) else None
    outs = _rec_multi((np.ascontiguousarray(x, dtype=dt), np.asarray(res, dtype=dt)), LinalgLstsqBackward0, (a, b),
                      saved=(a, b), keep=(0,), vec=vec, has_residuals=has_res, in_shapes=shapes)
    rank_t = _wrap(np.zeros((0,), dtype=np.int64) if driver == "gels" else np.asarray(rank, dtype=np.int64))
    sv = _wrap(np.ascontiguousarray(s, dtype=dt) if driver in ("gelsd", "gelss") else np.zeros((0,), dtype=dt))
    return _lstsq_result(outs[0], outs[1], rank_t, sv)


def torch_lstsq(*args, **kwargs):
    """torch.lstsq and Tensor.lstsq: removed in PyTorch 1.9 (linalg.lstsq replaces them); PyTorch's error"""
    raise RuntimeError(
        "This function was deprecated since version 1.9 and is now removed. `torch.lstsq` is deprecated in favor of "
        "`torch.linalg.lstsq`.\n`torch.linalg.lstsq` has reversed arguments and does not return the QR decomposition "
        "in the returned tuple (although it returns other information about the problem).\n\nTo get the QR "
        "decomposition consider using `torch.linalg.qr`.\n\nThe returned solution in `torch.lstsq` stored the "
        "residuals of the solution in the last m - n columns of the returned value whenever m > n. In "
        "torch.linalg.lstsq, the residuals are in the field 'residuals' of the returned named tuple.\n\nThe "
        "unpacking of the solution, as in\nX, _ = torch.lstsq(B, A).solution[:A.size(1)]\nshould be replaced "
        "with:\nX = torch.linalg.lstsq(A, B).solution")

expose(torch_lstsq, torch=("lstsq",), method=("lstsq",))


class LinalgMatrixExpBackward0(Node):
    """Y = e^A:  gA = L(Aᴴ, G), dY = L(A, dA), L(A, E) = d/dt e^(A + t E) at t = 0, the upper-right block of
    exp([[A, E], [0, A]]) (the Fréchet derivative)"""

    def backward(self, g):
        (a,) = self.saved_values()
        return (_expm_frechet(_mH(a), g),)

    def jvp(self, ta):
        (a,) = self.saved_values()
        return _expm_frechet(a, ta)


def _expm_frechet(a: Tensor, e: Tensor) -> Tensor:
    n = a.shape[-1]
    shape = np.broadcast_shapes(tuple(a.shape), tuple(e.shape))
    a, e = expand(a, shape), expand(e, shape)
    z = _wrap(np.zeros(shape, dtype=a._data.dtype))
    big = cat([cat([a, e], -1), cat([z, a], -1)], -2)
    return narrow(narrow(matrix_exp(big), -2, 0, n), -1, n, n)


def _expm_array(x):
    """e^A by scaling and squaring with a degree-18 Taylor sum, in float64"""
    d = x.astype(np.complex128 if x.dtype.kind == "c" else np.float64)
    if d.size == 0:
        return d
    nrm = float(np.abs(d).sum(-2).max())
    s = builtins.max(0, int(np.ceil(np.log2(nrm))) + 1) if nrm > 0.5 else 0
    d = d / (2.0 ** s)
    eye = np.broadcast_to(np.eye(d.shape[-1]), d.shape)
    term, out = eye.copy(), eye.copy()
    for k in builtins.range(1, 19):
        term = term @ d / k
        out = out + term
    for _ in builtins.range(s):
        out = out @ out
    return out


def matrix_exp(a: Tensor) -> Tensor:
    """e^A = Σ Aᵏ / k!"""
    _check_matrix(a, "linalg.matrix_exp")
    r = _expm_array(a._data).astype(a._data.dtype)
    return _rec(r, LinalgMatrixExpBackward0, (a,), saved=(a,))

expose(matrix_exp, method=True)


def cond(a: Tensor, p=None) -> Tensor:
    """the condition number ‖A‖_p ‖A⁻¹‖_p (σ_max / σ_min for p = None or 2; σ_min / σ_max for -2)"""
    if p is None or p in (2, -2):
        _check_matrix(a, "linalg.cond", square=False)
        s = svdvals(a)
        k = s.shape[-1]
        first, last = np.zeros(k, dtype=s._data.dtype), np.zeros(k, dtype=s._data.dtype)
        first[0], last[-1] = 1, 1  # σ_max and σ_min picked by products (differentiable in every mode)
        hi = (s * _wrap(first)).sum(-1, keepdim=True)
        lo = (s * _wrap(last)).sum(-1, keepdim=True)
        return squeeze(hi / lo if p != -2 else lo / hi, -1)
    if p not in ("fro", "nuc", 1, -1, math.inf, -math.inf):
        raise RuntimeError(f"linalg.cond got an invalid norm type: {p}")
    _check_matrix(a, f"linalg.cond(ord={p})")
    inv, info = inv_ex(a)
    if np.any(info._data):  # a singular matrix: infinitely ill-conditioned
        inv = where(_wrap(unsqueeze(unsqueeze(info, -1), -1)._data > 0), math.inf, inv)
    r = _matrix_norm(a, p) * _matrix_norm(inv, p)
    return nan_to_num(r, nan=math.inf, posinf=math.inf)

expose(cond, torch=False)  # torch.linalg.cond


def tensorinv(a: Tensor, ind: int = 2) -> Tensor:
    """the inverse for tensordot(·, ind): inv(A as a (∏ shape[:ind]) x (∏ shape[ind:]) matrix), reshaped to
    shape[ind:] + shape[:ind]"""
    if ind <= 0:
        raise RuntimeError(f"Expected a strictly positive integer for 'ind', but got {ind}")
    lead, rest = math.prod(a.shape[:ind]), math.prod(a.shape[ind:])
    if lead != rest:
        raise RuntimeError(f"Expected self to satisfy the requirement prod(self.shape[ind:]) == "
                           f"prod(self.shape[:ind]), but got {rest} != {lead}")
    inv = inverse(_reshape(a, (lead, rest)))
    shape = tuple(a.shape[ind:]) + tuple(a.shape[:ind])
    return _rec(inv._data.reshape(shape), ReshapeAliasBackward0, (inv,), shape=inv.shape)


def tensorsolve(a: Tensor, b: Tensor, dims=None) -> Tensor:
    """X with tensordot(A, X, X.ndim) = B"""
    if dims is not None:
        a = a.movedim(list(dims), list(builtins.range(a.ndim - len(dims), a.ndim)))
    rest = tuple(a.shape[b.ndim:])
    lead, n = math.prod(a.shape[:b.ndim]), math.prod(rest)
    if lead != n:
        raise RuntimeError(f"Expected self to satisfy the requirement prod(self.shape[other.ndim:]) == "
                           f"prod(self.shape[:other.ndim]), but got {n} != {lead}")
    return solve(_reshape(a, (lead, n)), _reshape(b, (lead,))).view(rest)


# =====================================================================================================
# Norms
# =====================================================================================================

def frobenius_norm(x: Tensor, dim, keepdim: bool = False) -> Tensor:
    """the deprecated torch.frobenius_norm: the 2-norm over ``dim`` (torch.norm)"""
    dims = (dim,) if isinstance(dim, int) else tuple(dim)
    if len(dims) > 2:
        raise RuntimeError(f"Expected at most 2 dimensions, but got {len(dims)} dimensions")
    return norm(x, 2, dims, keepdim)

expose(frobenius_norm, out=True)


def nuclear_norm(x: Tensor, dim=None, keepdim: bool = False) -> Tensor:
    """the deprecated torch.nuclear_norm: Σ of the singular values (over the last two dims, or ``dim``)"""
    if isinstance(dim, bool):
        dim, keepdim = None, dim
    if dim is None:
        if x.ndim != 2:
            raise RuntimeError(f"Expected a tensor with 2 dimensions, but got a tensor with {x.ndim} dimensions "
                               "instead.")
        dim = (-2, -1)
    return _matrix_norm(x, "nuc", dim, keepdim)

expose(nuclear_norm, out=True)


def _matrix_norm(x: Tensor, ord="fro", dim=(-2, -1), keepdim: bool = False, *, dtype=None) -> Tensor:
    """torch.linalg.matrix_norm: 'fro', 'nuc', ±1 (max/min column sum), ±inf (max/min row sum), ±2 (σ_max/σ_min)"""
    fn = "linalg.matrix_norm"
    if x.ndim < 2:
        raise RuntimeError(f"{fn}: The input tensor A must have at least 2 dimensions.")
    if x._data.dtype.kind not in "fc":
        raise RuntimeError(f"{fn}: Expected a floating point or complex tensor as input. Got {_long_name(x.dtype)}")
    dim = tuple(dim)
    if len(dim) != 2:
        raise RuntimeError(f"{fn}: dim must be a 2-tuple. Got {' '.join(map(str, dim))}")
    d0, d1 = (_wrap_dim(d, x.ndim) for d in dim)
    if ord == "fro":
        return linalg_vector_norm(x, 2, (d0, d1), keepdim)
    if ord in ("nuc", 2, -2):
        moved = x.movedim((d0, d1), (-2, -1))
        sv = svdvals(moved)
        r = sv.sum(-1) if ord == "nuc" else sv.amax(-1) if ord == 2 else sv.amin(-1)
        if keepdim:
            lo, hi = sorted((d0, d1))
            r = unsqueeze(unsqueeze(r, lo), hi)
        return r
    if ord in (1, -1, math.inf, -math.inf):
        if ord in (math.inf, -math.inf):
            d0, d1 = d1, d0
        s = abs(x).sum(d0, keepdim=keepdim)
        if not keepdim and d1 > d0:
            d1 -= 1
        return s.amax(d1, keepdim=keepdim) if ord > 0 else s.amin(d1, keepdim=keepdim)
    raise RuntimeError(f"{fn}: Order {ord} not supported.")


def _linalg_norm(x: Tensor, ord=None, dim=None, keepdim: bool = False, *, dtype=None) -> Tensor:
    """torch.linalg.norm: a vector norm (over one dim, or all elements) or a matrix norm (over two dims)"""
    if dim is not None:
        dims = (dim,) if isinstance(dim, int) else tuple(dim)
        if len(dims) not in (1, 2):
            raise RuntimeError(f"linalg.norm: If dim is specified, it must be of length 1 or 2. Got "
                               f"{_shape_str(dims)}")
    else:
        dims = None
    if ord is None:
        return linalg_vector_norm(x, 2, dims, keepdim)
    if dims is None:
        if x.ndim not in (1, 2):  # a string ord too ('fro' on a 3-D input is refused, as in PyTorch)
            raise RuntimeError(f"linalg.norm: If dim is not specified but ord is, the input must be 1D or 2D. Got "
                               f"{x.ndim}D.")
        dims = (-2, -1) if (x.ndim == 2 or isinstance(ord, str)) else (0,)
    if len(dims) == 2 or isinstance(ord, str):
        return _matrix_norm(x, ord, dims if len(dims) == 2 else (-2, -1), keepdim)
    return linalg_vector_norm(x, ord, dims, keepdim)


def _vector_norm(x, ord=2, dim=None, keepdim=False, *, dtype=None):
    """torch.linalg.vector_norm"""
    return linalg_vector_norm(x, ord, dim, keepdim)


# =====================================================================================================
# Distances: pdist, cdist, dist, cosine_similarity, pairwise_distance
# =====================================================================================================

def _dist_array(d, p, axis):
    """the p-norm of d over ``axis`` (p = 0 counts the nonzeros, ∞ takes the largest magnitude)"""
    a = np.abs(d)
    if p == 0:
        return (a != 0).sum(axis).astype(d.dtype)
    if p == math.inf:
        return a.max(axis) if a.shape[axis] else np.zeros(np.delete(a.shape, axis), d.dtype)
    if p == 1:
        return a.sum(axis)
    if p == 2:
        return np.sqrt((a * a).sum(axis))
    return (a ** p).sum(axis) ** (1.0 / p)


def _dist_grad_array(d, r, p):
    """∂‖d‖_p/∂d for each difference row d (r its norm, broadcast), zero where r = 0 (PyTorch's pdist/cdist rule)"""
    with np.errstate(all="ignore"):
        if p == 0:
            return np.zeros_like(d)
        if p == 1:
            return np.sign(d)
        if p == 2:
            return np.where(r == 0, 0, d / r)
        if p == math.inf:
            return np.where(r == 0, 0, np.sign(d) * (np.abs(d) == r))
        if p < 1:
            return np.where((r == 0) | (d == 0), 0, np.sign(d) * np.abs(d) ** (p - 1) / r ** (p - 1))
        return np.where(r == 0, 0, d * np.abs(d) ** (p - 2) / r ** (p - 1))


class PdistBackwardBackward0(Node):
    """the gradient pdist's backward returns: PyTorch does not differentiate it again, so neither does ember"""

    def backward(self, g):
        raise NotImplementedError("the derivative for '_pdist_backward' is not implemented.")


class PdistBackward0(Node):
    """d_k = ‖x_i - x_j‖_p over the pairs i < j:  dx_i = Σ_k g_k ∂d_k/∂x_i, ∂d/∂x_i = -∂d/∂x_j = sign(δ)|δ|^(p-1) / d^(p-1)"""
    forward_ad = False

    def backward(self, g):
        (x, y) = self.saved_values()
        i, j = np.triu_indices(x.shape[0], 1)
        d = x._data[i] - x._data[j]
        w = g._data[:, None] * _dist_grad_array(d, y._data[:, None], self.p)
        gx = np.zeros_like(x._data)
        np.add.at(gx, i, w)
        np.add.at(gx, j, -w)
        return (_rec(gx, PdistBackwardBackward0, (g, x)),)


def _has_tangent(*inputs) -> bool:
    return _fw.level is not None and builtins.any(
        isinstance(t, Tensor) and (t._tangent is not None or t._tangent_pending is not None) for t in inputs)


def _refuse_forward(name, *inputs):
    """PyTorch has no forward-mode rule here: it raises at the op"""
    if _has_tangent(*inputs):
        raise NotImplementedError(f"Trying to use forward AD with {name} that does not support it because it has "
                                  "not been implemented yet.\nPlease file an issue to PyTorch at "
                                  "https://github.com/pytorch/pytorch/issues/new?template=feature-request.yml so "
                                  "that we can prioritize its implementation or submit a PR adding the "
                                  "implementation to derivatives.yaml")


def pdist(x: Tensor, p: float = 2.0) -> Tensor:
    """the p-norm distances between every pair of rows (upper triangle, row-major)"""
    if x.ndim != 2:
        raise RuntimeError(f"pdist only supports 2D tensors, got: {x.ndim}D")
    if x._data.dtype.kind != "f":
        raise RuntimeError("pdist only supports floating-point dtypes")
    if p < 0:
        raise RuntimeError("pdist only supports non-negative p values")
    _refuse_forward("_pdist_forward", x)
    i, j = np.triu_indices(x.shape[0], 1)
    r = _dist_array(x._data[i] - x._data[j], p, -1).astype(x._data.dtype, copy=False)
    return _rec(np.ascontiguousarray(r), PdistBackward0, (x,), saved=(x,), keep_out=True, p=p)

expose(pdist)


class CdistBackwardBackward0(Node):
    """the gradient cdist's backward returns: PyTorch does not differentiate it again, so neither does ember"""

    def backward(self, g):
        raise NotImplementedError("the derivative for '_cdist_backward' is not implemented.")


class CdistBackward0(Node):
    """D_pr = ‖x1_p - x2_r‖_q:  dx1_p = Σ_r G_pr ∂D_pr/∂δ, dx2_r = -Σ_p G_pr ∂D_pr/∂δ (δ = x1_p - x2_r)"""
    forward_ad = False

    def backward(self, g):
        x1, x2, y = self.saved_values()
        d = x1._data[..., :, None, :] - x2._data[..., None, :, :]
        w = g._data[..., None] * _dist_grad_array(d, y._data[..., None], self.p)
        g1, g2 = w.sum(-2), -w.sum(-3)
        return (_rec(g1, CdistBackwardBackward0, (g, x1, x2)) if self.next[0] is not None else None,
                _rec(g2, CdistBackwardBackward0, (g, x1, x2)) if self.next[1] is not None else None)


def _euclidean_dist(x1, x2):
    """‖x1_p - x2_r‖ through one matrix product: |x1|² + |x2|² - 2 x1·x2 (PyTorch's route for many rows)"""
    n1 = (x1 * x1).sum(-1, keepdim=True)
    n2 = (x2 * x2).sum(-1, keepdim=True)
    x1p = cat([x1 * -2, n1, _wrap(np.ones(n1.shape, dtype=n1._data.dtype))], -1)
    x2p = cat([x2, _wrap(np.ones(n2.shape, dtype=n2._data.dtype)), n2], -1)
    return matmul(x1p, _mT(x2p)).clamp_min(1e-30).sqrt()


def cdist(x1, x2, p=2.0, compute_mode=None):
    """the p-norm distances between each row of x1 and each row of x2 (batch dims broadcast)"""
    if x1.ndim < 2:
        raise RuntimeError(f"cdist only supports at least 2D tensors, X1 got: {x1.ndim}D")
    if x2.ndim < 2:
        raise RuntimeError(f"cdist only supports at least 2D tensors, X2 got: {x2.ndim}D")
    for name, t in (("X1", x1), ("X2", x2)):
        if t._data.dtype.kind != "f":
            raise RuntimeError(f"cdist only supports floating-point dtypes, {name} got: {_long_name(t.dtype)}")
    if x1.shape[-1] != x2.shape[-1]:
        raise RuntimeError(f"X1 and X2 must have the same number of columns. X1: {x1.shape[-1]} X2: {x2.shape[-1]}")
    if p < 0:
        raise RuntimeError("cdist only supports non-negative p values")
    try:
        batch = np.broadcast_shapes(x1.shape[:-2], x2.shape[:-2])
    except ValueError:
        raise RuntimeError(_bcast_message(x1.shape[:-2], x2.shape[:-2])) from None
    rows1, rows2 = x1.shape[-2], x2.shape[-2]
    use_mm = p == 2 and (compute_mode == "use_mm_for_euclid_dist" or
                         (compute_mode in (None, "use_mm_for_euclid_dist_if_necessary") and
                          (rows1 > 25 or rows2 > 25)))
    if use_mm:
        _refuse_forward("_euclidean_dist", x1, x2)
        e1 = expand(x1, batch + tuple(x1.shape[-2:]))
        e2 = expand(x2, batch + tuple(x2.shape[-2:]))
        return _euclidean_dist(e1, e2).view(batch + (rows1, rows2))
    _refuse_forward("_cdist_forward", x1, x2)
    a1 = np.broadcast_to(x1._data, batch + x1.shape[-2:])
    a2 = np.broadcast_to(x2._data, batch + x2.shape[-2:])
    r = _dist_array(a1[..., :, None, :] - a2[..., None, :, :], p, -1).astype(x1._data.dtype, copy=False)
    shapes = (x1.shape, x2.shape) if (x1.shape[:-2] != batch or x2.shape[:-2] != batch) else None
    e1, e2 = (x1, x2) if shapes is None else (_wrap(np.ascontiguousarray(a1)), _wrap(np.ascontiguousarray(a2)))
    node_inputs = (x1, x2)
    t = _rec(np.ascontiguousarray(r), CdistBackward0, node_inputs, saved=(e1, e2), keep_out=True, p=p,
             in_shapes=shapes)
    return t

expose(cdist)


def _norm_backward(g, d, n, p):
    """g ∂‖d‖_p/∂d, written with ember's ops (differentiable again); ties of the max share the gradient (p = ∞)"""
    if p == 0:
        return d * 0
    if p == 1:
        return g * sign(d)
    if p == 2:
        return g * d / where(n == 0, math.inf, n)
    if p in (math.inf, -math.inf):
        hit = (abs(d) == n)
        return g * sign(d) * hit / hit.sum()
    return g * d * abs(d) ** (p - 2) / where(n == 0, math.inf, n ** (p - 1))


class DistBackward0(Node):
    """n = ‖a - b‖_p:  da = g ∂n/∂δ = g sign(δ) |δ|^(p-1) / n^(p-1), db = -da (δ = a - b);  dn = ⟨∂n/∂δ, da - db⟩"""

    def backward(self, g):
        a, b, n = self.saved_values()
        ga = _norm_backward(g, a - b, n, self.p)
        return (ga if self.next[0] is not None else None, -ga if self.next[1] is not None else None)

    def jvp(self, ta, tb):
        a, b, n = self.saved_values()
        dd = _plus(ta, None if tb is None else -tb)
        return (_norm_backward(n * 0 + 1, a - b, n, self.p) * dd).sum()


def dist(a, b, p=2):
    """‖a - b‖_p over all elements (a and b broadcast)"""
    a, b = as_tensor_arg(a), as_tensor_arg(b)
    dt = np.result_type(a._data.dtype, b._data.dtype)
    if dt.kind not in "fc":
        raise RuntimeError(f"norm(): input dtype should be either floating point or complex. Got "
                           f"{_long_name(a.dtype if a._data.dtype.kind not in 'fc' else b.dtype)} instead.")
    try:
        d = a._data.astype(dt, copy=False) - b._data.astype(dt, copy=False)
    except ValueError:
        raise RuntimeError(_bcast_message(a.shape, b.shape)) from None
    r = np.asarray(_dist_array(d.reshape(-1), float(p), -1), dtype=dt)
    shapes = (a.shape, b.shape) if (a.shape != d.shape or b.shape != d.shape) else None
    return _rec(r, DistBackward0, (a, b), saved=(a, b), keep_out=True, p=float(p), in_shapes=shapes)

expose(dist, method=True)


def cosine_similarity(x1, x2, dim=1, eps=1e-8):
    """Σ (x1 / max(‖x1‖, ε)) (x2 / max(‖x2‖, ε)) along dim (the clamp outside the graph, as PyTorch)"""
    if type(x1) is not Tensor or type(x2) is not Tensor:
        _tensor_arg("cosine_similarity", ("x1", 1, x1), ("x2", 2, x2))
    dt = np.result_type(x1._data.dtype, x2._data.dtype)
    if dt.kind != "f":
        raise RuntimeError(f"expected common dtype to be floating point, yet common dtype is "
                           f"{_long_name(x1.dtype if x1._data.dtype == dt else x2.dtype)}")
    if x1._data.dtype != dt:
        x1 = x1.to(x2.dtype)
    if x2._data.dtype != dt:
        x2 = x2.to(x1.dtype)
    try:
        shape = np.broadcast_shapes(x1.shape, x2.shape)
    except ValueError:
        raise RuntimeError(_bcast_message(x1.shape, x2.shape)) from None
    if tuple(x1.shape) != shape:
        x1 = expand(x1, shape)
    if tuple(x2.shape) != shape:
        x2 = expand(x2, shape)
    n1 = clone(linalg_vector_norm(x1, 2, dim, True))
    n2 = clone(linalg_vector_norm(x2, 2, dim, True))
    np.maximum(n1._data, eps, out=n1._data)  # clamped in place without recording, as PyTorch
    np.maximum(n2._data, eps, out=n2._data)
    return ((x1 / n1) * (x2 / n2)).sum(dim)

expose(cosine_similarity)


def pairwise_distance(x1, x2, p=2.0, eps=1e-6, keepdim=False):
    """‖x1 - x2 + ε‖_p along the last dim"""
    return norm(x1 - x2 + eps, p, -1, keepdim)

expose(pairwise_distance)


# =====================================================================================================
# cross, vander
# =====================================================================================================

class LinalgCrossBackward0(Node):
    """c = a × b:  da = b × g, db = g × a;  dc = da × b + a × db"""
    dim = -1

    def backward(self, g):
        a, b = self.saved_values()
        d = self.dim
        return (linalg_cross(b, g, dim=d) if self.next[0] is not None else None,
                linalg_cross(g, a, dim=d) if self.next[1] is not None else None)

    def jvp(self, ta, tb):
        a, b = self.saved_values()
        return _product_rule(lambda x, y: linalg_cross(x, y, dim=self.dim), a, b, ta, tb)


def linalg_cross(a, b, *, dim=-1):
    """torch.linalg.cross: the cross product of 3-vectors along ``dim`` (a and b broadcast)"""
    if a.ndim != b.ndim:
        raise RuntimeError("linalg.cross: inputs must have the same number of dimensions.")
    d = _wrap_dim(dim, a.ndim)
    if a.shape[d] != 3 or b.shape[d] != 3:
        raise RuntimeError(f"linalg.cross: inputs dimension {dim} must have length 3. Got {a.shape[d]} and "
                           f"{b.shape[d]}")
    try:
        r = np.cross(a._data, b._data, axis=d)
    except ValueError:
        ra, rb = list(a.shape), list(b.shape)
        del ra[d], rb[d]
        raise RuntimeError(_bcast_message(tuple(a.shape), tuple(b.shape))) from None
    if r.dtype != np.result_type(a._data.dtype, b._data.dtype):
        r = r.astype(np.result_type(a._data.dtype, b._data.dtype))
    shapes = (a.shape, b.shape) if (a.shape != r.shape or b.shape != r.shape) else None
    return _rec(np.ascontiguousarray(r), LinalgCrossBackward0, (a, b), saved=(a, b), dim=d, in_shapes=shapes)


def cross(a, b, dim=None):
    """torch.cross: the cross product along ``dim`` (default: the first dim of size 3)"""
    if dim is None:
        dim = next((i for i, s in enumerate(np.broadcast_shapes(a.shape, b.shape)) if s == 3), None)
        if dim is None:
            raise RuntimeError("no dimension of size 3 in input")
    if a.ndim != b.ndim:
        raise RuntimeError("linalg.cross: inputs must have the same number of dimensions.")
    return linalg_cross(a, b, dim=dim)

expose(cross, method=True, out=True)


def vander(x, N=None, increasing=False):
    """torch.vander: columns x⁰, x¹, ..., x^(N-1) (highest power first unless ``increasing``), by running products"""
    if x.ndim != 1:
        raise RuntimeError("x must be a one-dimensional tensor.")
    n = x.shape[0] if N is None else N
    if n < 0:
        raise RuntimeError("N must be non-negative.")
    dt = x._data.dtype if x._data.dtype.kind in "fc" else np.dtype(np.int64)  # PyTorch's promotion with Long
    result = _wrap(np.ones((x.shape[0], n), dtype=dt))
    if n > 1:  # PyTorch writes x, then its running products, into the columns (in place: its backward fails)
        result[:, 1:] = cumprod(expand(unsqueeze(x.to(result.dtype), 1), (x.shape[0], n - 1)), 1)
    return result if increasing else flip(result, 1)

expose(vander)


def _linalg_vander(x: Tensor, *, N=None) -> Tensor:
    """torch.linalg.vander: x's powers x⁰ ... x^(N-1) in a new last dim (ones, then running products)"""
    if x._data.dtype == np.bool_:
        raise RuntimeError("linalg.vander supports floating point, complex, and integer tensors, but got Bool")
    x1 = unsqueeze(x, -1) if x.ndim == 0 else x
    n = x1.shape[-1] if N is None else N
    if n <= 1:
        raise RuntimeError("N must be greater than 1.")
    powers = cumprod(expand(unsqueeze(x1, -1), tuple(x1.shape) + (n - 1,)), -1)
    ones = _wrap(np.ones(tuple(x1.shape) + (1,), dtype=powers._data.dtype))
    return cat([ones, powers], -1)


def _linalg_diagonal(a: Tensor, *, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Tensor:
    """torch.linalg.diagonal: the diagonals of the last two dims (a view)"""
    return diagonal(a, offset, dim1, dim2)


# ---- removed from PyTorch in 1.9 (torch.linalg replaces them): the names remain and raise, as PyTorch's do -------

_REMOVED_SINCE = "This function was deprecated since version 1.9 and is now removed."


def removed_eig(self, eigenvectors: bool = False, *, e=None, v=None):
    """torch.eig (removed: torch.linalg.eig / eigvals): raises PyTorch's RuntimeError saying what replaces it"""
    raise RuntimeError(
        f"{_REMOVED_SINCE} `torch.linalg.eig` returns complex tensors of dtype `cfloat` or `cdouble` rather than "
        "real tensors mimicking complex tensors.\n\nL, _ = torch.eig(A) should be replaced with:\n"
        "L_complex = torch.linalg.eigvals(A)\n\nand\n\nL, V = torch.eig(A, eigenvectors=True) should be replaced "
        "with:\nL_complex, V_complex = torch.linalg.eig(A)")

removed_eig.__name__ = removed_eig.__qualname__ = "eig"  # as PyTorch names it in errors
expose(removed_eig, torch="eig", method="eig")


def removed_symeig(input, eigenvectors: bool = False, upper: bool = True, *, out=None):
    """torch.symeig (removed: torch.linalg.eigh / eigvalsh): raises PyTorch's RuntimeError"""
    raise RuntimeError(
        f"{_REMOVED_SINCE} The default behavior has changed from using the upper triangular portion of the matrix "
        "by default to using the lower triangular portion.\n\nL, _ = torch.symeig(A, upper=upper) should be "
        "replaced with:\nL = torch.linalg.eigvalsh(A, UPLO='U' if upper else 'L')\n\nand\n\nL, V = "
        "torch.symeig(A, eigenvectors=True) should be replaced with:\n"
        "L, V = torch.linalg.eigh(A, UPLO='U' if upper else 'L')")

removed_symeig.__name__ = removed_symeig.__qualname__ = "symeig"  # as PyTorch names it in errors
expose(removed_symeig, torch="symeig", method="symeig")


def removed_solve(input, A, *, out=None):
    """torch.solve (removed: torch.linalg.solve, arguments reversed): raises PyTorch's RuntimeError"""
    raise RuntimeError(
        f"{_REMOVED_SINCE} `torch.solve` is deprecated in favor of `torch.linalg.solve`. `torch.linalg.solve` has "
        "its arguments reversed and does not return the LU factorization.\n\nTo get the LU factorization see "
        "`torch.lu`, which can be used with `torch.lu_solve` or `torch.lu_unpack`.\nX = torch.solve(B, A).solution "
        "should be replaced with:\nX = torch.linalg.solve(A, B)")

removed_solve.__name__ = removed_solve.__qualname__ = "solve"  # as PyTorch names it in errors
expose(removed_solve, torch="solve", method="solve")


def removed_matrix_rank(input, tol=None, symmetric: bool = False, *, out=None):
    """torch.matrix_rank (removed: torch.linalg.matrix_rank): raises PyTorch's RuntimeError"""
    raise RuntimeError(
        f"{_REMOVED_SINCE}\nPlease use the `torch.linalg.matrix_rank` function instead. The parameter 'symmetric' "
        "was renamed in `torch.linalg.matrix_rank()` to 'hermitian'.")

removed_matrix_rank.__name__ = removed_matrix_rank.__qualname__ = "matrix_rank"  # as PyTorch names it in errors
expose(removed_matrix_rank, torch="matrix_rank")


# ---- randomized low-rank factorizations (Halko, Martinsson & Tropp 2009): svd_lowrank, pca_lowrank ---------------

def _approximate_basis(a, q: int, niter: int, m=None):
    """An orthonormal Q (n × q) whose range approximates a's: a times a Gaussian draw, then ``niter`` rounds of
    power iteration, each product re-orthonormalized by QR (``m`` subtracted from a where given)"""
    dt = a.dtype if a.is_floating_point() or a.is_complex() else D.float32
    r = randn(a.shape[-1], q, dtype=dt)

    def times(left, right, mm=None):
        x = matmul(left, right)
        return x if mm is None else x - matmul(mm, right)
    q_ = linalg_qr(times(a, r, m))[0]
    for _ in builtins.range(niter):
        q_ = linalg_qr(times(a.mH, q_, None if m is None else m.mH))[0]
        q_ = linalg_qr(times(a, q_, m))[0]
    return q_


def _svd_lowrank(a, q, niter, m):
    q = 6 if q is None else q
    rows, cols = a.shape[-2:]
    if m is not None:
        m = m.broadcast_to(a.shape)
    wide = rows < cols
    if wide:  # work on the tall one
        a = a.mH
        m = None if m is None else m.mH
    basis = _approximate_basis(a, q, 2 if niter is None else niter, m)
    b = matmul(basis.mH, a)
    if m is not None:
        b = b - matmul(basis.mH, m)
    u, s, vh = linalg_svd(b, False)
    u, v = matmul(basis, u), vh.mH
    return (v, s, u) if wide else (u, s, v)


def svd_lowrank(A, q=6, niter=2, M=None):
    """(U, S, V) of a rank-q approximation of A (or of A - M), A ≈ U diag(S) Vᴴ, from a randomized range finder
    (its Gaussian draw from the default generator, as in PyTorch)"""
    return _svd_lowrank(A, q, niter, M)

expose(svd_lowrank)


def pca_lowrank(A, q=None, center: bool = True, niter: int = 2):
    """svd_lowrank of A with its column means taken off (``center``): the principal directions V, the singular
    values S, and U; q defaults to min(6, m, n)"""
    rows, cols = A.shape[-2:]
    if q is None:
        q = builtins.min(6, rows, cols)
    elif not 0 <= q <= builtins.min(rows, cols):
        raise ValueError(f"q(={q}) must be non-negative integer and not greater than min(m, n)="
                         f"{builtins.min(rows, cols)}")
    if not niter >= 0:
        raise ValueError(f"niter(={niter}) must be non-negative integer")
    if not center:
        return _svd_lowrank(A, q, niter, None)
    return _svd_lowrank(A - A.mean(-2, keepdim=True), q, niter, None)

expose(pca_lowrank)


# ---- Householder QR as LAPACK stores it: geqrf, and ormqr (householder_product / orgqr: ops/householder.py) ---

class GeqrfBackward0(Node):
    """(a, tau) = geqrf(A): PyTorch defines no derivative (backward raises)"""

    def backward(self, grads):
        raise NotImplementedError("the derivative for 'geqrf' is not implemented.")

    def jvp(self, *tangents):
        raise NotImplementedError("the derivative for 'geqrf' is not implemented.")


def geqrf(a: Tensor):
    """LAPACK's geqrf: R on and above the diagonal of ``a``, the Householder vectors below it (their leading 1
    implied), and their scalars ``tau``"""
    if a.ndim < 2:
        raise RuntimeError("torch.geqrf: input must have at least 2 dimensions.")
    if a._data.dtype.kind not in "fc":
        raise NotImplementedError(f"\"geqrf_cpu\" not implemented for '{_long_name(a.dtype)}'")
    d = a._data
    m, n = d.shape[-2:]
    packed = np.empty(d.shape, dtype=d.dtype)
    taus = np.empty(d.shape[:-2] + (builtins.min(m, n),), dtype=d.dtype)
    for i in np.ndindex(*d.shape[:-2]):
        h, t = np.linalg.qr(d[i], mode="raw")  # LAPACK's own geqrf (its output transposed)
        packed[i], taus[i] = h.T, t
    return _geqrf_result(*_rec_multi((packed, taus), GeqrfBackward0, (a,)))

expose(geqrf, method=True)


def _reflectors(a: Tensor, tau: Tensor, size: int):
    """Q = H₀ H₁ ... H_{k-1} (size × size), H_i = I - tau_i v_i v_iᴴ, v_i = (0…0, 1, a[i+1:, i]): built from ember
    ops, so that it is differentiable in a and tau"""
    m = a.shape[-2]
    eye = _wrap(np.broadcast_to(np.eye(m, size, dtype=a._data.dtype), a.shape[:-2] + (m, size)).copy())
    q = eye
    below = _wrap(np.tril(np.ones((m, a.shape[-1]), dtype=a._data.dtype), -1))
    unit = _wrap(np.eye(m, a.shape[-1], dtype=a._data.dtype))
    vs = a * below + unit  # column i: v_i
    for i in builtins.range(tau.shape[-1] - 1, -1, -1):  # Q = H₀ (H₁ (... (H_{k-1} I)))
        v = vs[..., :, i:i + 1]
        t = tau[..., i:i + 1].unsqueeze(-1)
        q = q - matmul(v * t, matmul(_mH(v), q))
    return q


class OrmqrBackward0(Node):
    """y = op(Q) C or C op(Q), Q = Π (I - tau_i v_i v_iᴴ) (m × m): the derivative of that product in a, tau, C"""

    def backward(self, g):
        saved = self.saved_values()
        inputs = [t for t in saved if t.requires_grad]
        create = modes.grad.enabled
        with enable_grad():
            y = _ormqr(*saved, self.left, self.transpose)
            got = iter(_grad(y, inputs, g, create_graph=create, allow_unused=True))
        return tuple(next(got) if t.requires_grad else None for t in saved)


def _ormqr(a, tau, c, left, transpose):
    q = _reflectors(a, tau, a.shape[-2])
    if transpose:
        q = _mH(q)
    return matmul(q, c) if left else matmul(c, q)


def ormqr(input: Tensor, tau: Tensor, other: Tensor, left: bool = True, transpose: bool = False, *, out=None):
    """other multiplied by the m × m Q of geqrf's (input, tau): Q C (left) or C Q, with Qᴴ for ``transpose``"""
    if input.ndim < 2:
        raise RuntimeError("torch.ormqr: input must have at least 2 dimensions.")
    if other.ndim < 2:
        raise RuntimeError("torch.ormqr: other must have at least 2 dimensions.")
    side = -2 if left else -1
    if other.shape[side] != input.shape[-2]:
        raise RuntimeError(f"torch.ormqr: other.shape[{side}] must be equal to input.shape[-2]")
    if tau.shape[-1] > input.shape[-2]:
        raise RuntimeError("torch.ormqr: tau.shape[-1] must be less than or equal to input.shape[-2]")
    y = _ormqr(input.detach(), tau.detach(), other.detach(), left, transpose)
    return _rec(y._data, OrmqrBackward0, (input, tau, other), saved=(input, tau, other), left=left,
                transpose=transpose)

expose(ormqr, method=True)
