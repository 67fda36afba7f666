"""Linear algebra: matrix products (mm, addmm, bmm, matmul, ...), decompositions and solvers, distances."""

from __future__ import annotations

import builtins
import math

from .._array import np
from .._core import modes
from .._core.dims import _wrap_dim
from .._core.exposure import expose
from .._core.messages import _bcast_message, _cname, _expand_mismatch, _long_name, _shape_str
from .._core.node import Node
from .._core.record import _out, _renamed, _saved_output
from .._core.tensor import Tensor, _wrap
from ..return_types import (
    _cholesky_ex_result,
    _eig_result,
    _eigh_result,
    _inv_ex_result,
    _lstsq_result,
    _named,
    _qr_result,
    _slogdet_result,
    _svd_result,
    _torch_qr_result,
    _torch_svd_result,
)
from .binary import mul
from .convert import clone
from .creation import as_tensor_arg
from .join import stack, unbind
from .pointwise import clamp, where
from .reduce import linalg_vector_norm, norm, sum
from .shape import _unsafe_view, diagonal, expand, reshape, squeeze, transpose, tril, unsqueeze
from .unary import conj

_gm = modes.grad

__all__ = ["mm", "addmm", "mv", "dot", "bmm", "matmul", "outer", "ger", "trace", "tensordot", "kron", "inner",
           "vdot", "addr", "matrix_power", "multi_dot", "vecdot", "inverse", "det", "slogdet", "logdet",
           "solve", "linalg_svd", "svd", "svdvals", "linalg_qr", "qr", "eigh", "eigvalsh", "eig", "eigvals",
           "cholesky", "cholesky_ex", "cholesky_solve", "cholesky_inverse", "inv_ex", "pinv", "pinverse",
           "matrix_rank", "lstsq", "solve_triangular", "triangular_solve", "matrix_exp", "cond", "tensorinv",
           "tensorsolve", "frobenius_norm", "nuclear_norm", "LinAlgError", "pdist", "torch_cholesky",
           "chain_matmul", "addmv", "addbmm", "baddbmm", "dist", "cdist", "cosine_similarity",
           "pairwise_distance", "cross", "vander"]







def _mm_check(a, b, name="mm"):
    sa, sb = a._data.shape, b._data.shape  # tuples: no Size objects on this per-matmul path
    if len(sa) != 2:
        raise RuntimeError("self must be a matrix")
    if len(sb) != 2:
        raise RuntimeError("mat2 must be a matrix")
    if sa[1] != sb[0]:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({a.shape[0]}x{a.shape[1]} and "
                           f"{b.shape[0]}x{b.shape[1]})")


def _same_dtype(a, b, what="expected m1 and m2 to have the same dtype"):
    if a._data.dtype != b._data.dtype:
        raise RuntimeError(f"{what}, but got: {_cname(a)} != {_cname(b)}")


class MmBackward0(Node):
    """C = A B:  dA = G Bᵀ, dB = Aᵀ G"""

    def backward(self, g):
        a, b = self.saved_values()
        return (_mat1_grad(g, b) if self.next[0] is not None else None,
                _mat2_grad(a, b, g) if self.next[1] is not None else None)


def _column_major(x) -> bool:
    f = x._data.flags
    return f.f_contiguous and not f.c_contiguous


def _plain(*ts) -> bool:
    """Not recording, no tangents (forward-over-reverse differentiates the backward pass) and one dtype: a backward
    matmul may run on the arrays (same BLAS call, no dispatch)."""
    if _gm.enabled or modes.forward.level is not None:
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


def mm(a, b):
    """matrix product of two 2-D tensors"""
    _mm_check(a, b)
    _same_dtype(a, b)
    return _out(_mm_np(a._data, b._data), MmBackward0, (a, b), saved=(a, b))

expose(mm, method=True, out=True)


class AddmmBackward0(Node):
    """Y = β C + α A B:  dC = β G (summed to C's shape), dA = α G Bᵀ, dB = α Aᵀ G"""
    alpha = 1
    beta = 1

    def backward(self, g):
        a, b = self.saved_values()
        al, be = self.alpha, self.beta
        gc = (g if be == 1 else g * be) if self.next[0] is not None else None
        ga = gb = None
        if self.next[1] is not None:
            ga = _mat1_grad(g, b)
            if al != 1:
                ga = ga * al
        if self.next[2] is not None:
            gb = _mat2_grad(a, b, g)
            if al != 1:
                gb = gb * al
        return (gc, ga, gb)


def addmm(c, a, b, *, beta=1, alpha=1):
    """beta * c + alpha * (a @ b), in one BLAS call plus a broadcast add"""
    c = as_tensor_arg(c)
    _mm_check(a, b)
    _same_dtype(a, b)
    r = _mm_np(a._data, b._data)
    if alpha != 1:
        r *= alpha
    cd = c._data
    try:
        if beta == 1:
            r += cd
        elif beta != 0:
            r += beta * cd
    except ValueError:
        raise RuntimeError(f"The expanded size of the tensor ({_expand_mismatch(cd.shape, r.shape)}.  Target "
                           f"sizes: [{', '.join(map(str, r.shape))}].  Tensor sizes: "
                           f"[{', '.join(map(str, cd.shape))}]") from None
    t = _out(r, AddmmBackward0, (c, a, b), saved=(a, b),
             in_shapes=(cd.shape, None, None) if cd.shape != r.shape else None)  # only the bias is broadcast
    if t.grad_fn is not None and (alpha != 1 or beta != 1):
        t.grad_fn.alpha, t.grad_fn.beta = alpha, beta
    return t

expose(addmm, method=True, inplace=True, out=True)


class MvBackward0(Node):
    """y = A v:  dA = g vᵀ, dv = Aᵀ g"""

    def backward(self, g):
        a, v = self.saved_values()
        return (outer(g, v) if self.next[0] is not None else None,
                mv(a.mT, g) if self.next[1] is not None else None)


def mv(a, v):
    if a.ndim != 2 or v.ndim != 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got 1, {a.ndim}, {v.ndim}")
    if a.shape[1] != v.shape[0]:
        raise RuntimeError(f"size mismatch, got input ({a.shape[0]}), mat ({a.shape[0]}x{a.shape[1]}), vec "
                           f"({v.shape[0]})")
    _same_dtype(a, v)
    return _out(a._data @ v._data, MvBackward0, (a, v), saved=(a, v))

expose(mv, method=True, out=True)


class DotBackward0(Node):
    """s = u · v:  du = g v, dv = g u"""

    def backward(self, g):
        u, v = self.saved_values()
        return (g * v if self.next[0] is not None else None, g * u if self.next[1] is not None else None)


def dot(u, v):
    if u.ndim != 1 or v.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {u.ndim}D and {v.ndim}D tensors")
    if u.shape[0] != v.shape[0]:
        raise RuntimeError(f"inconsistent tensor size, expected tensor [{u.shape[0]}] and src [{v.shape[0]}] to "
                           f"have the same number of elements, but got {u.shape[0]} and {v.shape[0]} elements "
                           f"respectively")
    if u._data.dtype != v._data.dtype:
        raise RuntimeError(f"dot : expected both vectors to have same dtype, but found {_long_name(u.dtype)} and "
                           f"{_long_name(v.dtype)}")
    return _out(np.asarray(u._data @ v._data), DotBackward0, (u, v), saved=(u, v))

expose(dot, method=True, out=True)


class BmmBackward0(Node):
    """C_b = A_b B_b:  dA = G Bᵀ, dB = Aᵀ G (per batch)"""

    def backward(self, g):
        a, b = self.saved_values()
        return (bmm(g, b.mT) if self.next[0] is not None else None,
                bmm(a.mT, g) if self.next[1] is not None else None)


def bmm(a, b):
    if a.ndim != 3:
        raise RuntimeError("batch1 must be a 3D tensor")
    if b.ndim != 3:
        raise RuntimeError("batch2 must be a 3D tensor")
    if a.shape[0] != b.shape[0] or a.shape[2] != b.shape[1]:
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: [{a.shape[0]}, "
                           f"{a.shape[2]}] but got: [{b.shape[0]}, {b.shape[1]}].")
    _same_dtype(a, b)
    return _out(np.matmul(a._data, b._data), BmmBackward0, (a, b), saved=(a, b))

expose(bmm, method=True, out=True)


def matmul(a, b):
    """the matrix product in all of PyTorch's 1-D/2-D/batched/broadcast forms"""
    if not isinstance(b, Tensor):
        raise TypeError(f"matmul(): argument 'other' (position 2) must be Tensor, not {type(b).__name__}")
    da, db = a.ndim, b.ndim
    if da == 0 or db == 0:
        raise RuntimeError(f"both arguments to matmul need to be at least 1D, but they are {da}D and {db}D")
    if da == 2 and db == 2:
        if a.shape[1] != b.shape[0]:
            raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({a.shape[0]}x{a.shape[1]} and "
                               f"{b.shape[0]}x{b.shape[1]})")
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
        if db == 1:
            if a.shape[-1] != b.shape[0]:
                rows = int(np.prod(a.shape[:-1]))
                raise RuntimeError(f"size mismatch, got input ({rows}), mat ({rows}x{a.shape[-1]}), vec "
                                   f"({b.shape[0]})")
            r = mv(reshape(a, (-1, a.shape[-1])), b)
            return _unsafe_view(r, a.shape[:-1])
        if a.shape[-1] != b.shape[0]:
            raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied "
                               f"({int(np.prod(a.shape[:-1]))}x{a.shape[-1]} and {b.shape[0]}x{b.shape[1]})")
        r = mm(reshape(a, (-1, a.shape[-1])), b)
        return _unsafe_view(r, a.shape[:-1] + (b.shape[1],))
    # general batched case: broadcast batch dims, then bmm
    a2 = unsqueeze(a, 0) if da == 1 else a
    b2 = unsqueeze(b, -1) if db == 1 else b
    try:
        batch = np.broadcast_shapes(a2.shape[:-2], b2.shape[:-2])
    except ValueError:
        raise RuntimeError(_bcast_message(a2.shape[:-2], b2.shape[:-2])) from None
    nb = int(np.prod(batch)) if batch else 1
    if a2.shape[-1] != b2.shape[-2]:
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: "
                           f"[{nb}, {a2.shape[-1]}] but got: [{nb}, {b2.shape[-2]}].")
    if da <= 2 and db >= 3:
        # PyTorch folds b's batch into rows instead: (bᵀ aᵀ)ᵀ as one GEMM
        bt = reshape(transpose(b, -1, -2), (-1, b.shape[-2]))
        if da == 1:
            return _unsafe_view(mv(bt, a), b.shape[:-2] + (b.shape[-1],))
        r = _unsafe_view(mm(bt, transpose(a, 0, 1)), b.shape[:-2] + (b.shape[-1], a.shape[0]))
        return clone(transpose(r, -1, -2), memory_format=None)
    ae = expand(a2, batch + a2.shape[-2:]).reshape(nb, *a2.shape[-2:])
    be = expand(b2, batch + b2.shape[-2:]).reshape(nb, *b2.shape[-2:])
    r = bmm(ae, be)
    out_shape = batch + (a2.shape[-2], b2.shape[-1])
    r = _unsafe_view(r, out_shape)
    if da == 1:
        r = squeeze(r, -2)
    if db == 1:
        r = squeeze(r, -1)
    return r

expose(matmul, method=True, operators=('__matmul__',), out=True)


def outer(u, v):
    """u vᵀ (recorded as a broadcast product, as PyTorch does)"""
    for name, t in (("self", u), ("vec2", v)):
        if t.ndim != 1:
            raise RuntimeError(f"outer: Expected 1-D argument {name}, but got {t.ndim}-D")
    return mul(unsqueeze(u, 1), v)

expose(outer, torch=('ger', 'outer'), method=('ger', 'outer'), out=True)


ger = outer


def trace(x):
    """Σ_i x_ii"""
    return _renamed(sum(diagonal(x)), "TraceBackward0")

expose(trace, method=True)


def tensordot(a: Tensor, b: Tensor, dims=2) -> Tensor:
    """Σ over the paired dims of a and b (the last ``dims`` of a with the first ``dims`` of b)"""
    if isinstance(dims, int):
        if dims < 0:
            raise RuntimeError(f"tensordot expects dims >= 0, but got dims={dims}")
        da, db = list(builtins.range(a.ndim - dims, a.ndim)), list(builtins.range(dims))
    elif isinstance(dims, Tensor):
        return tensordot(a, b, dims.tolist() if dims.ndim else int(dims.item()))
    else:
        da, db = dims
        da, db = ([da], [db]) if isinstance(da, int) else (list(da), list(db))
    da = [_wrap_dim(d, a.ndim) for d in da]
    db = [_wrap_dim(d, b.ndim) for d in db]
    for i, j in zip(da, db):
        if a.shape[i] != b.shape[j]:
            raise RuntimeError(f"contracted dimensions need to match, but first has size {a.shape[i]} in dim {i} "
                               f"and second has size {b.shape[j]} in dim {j}")
    fa = [d for d in builtins.range(a.ndim) if d not in da]
    fb = [d for d in builtins.range(b.ndim) if d not in db]
    k = int(np.prod([a.shape[d] for d in da])) if da else 1
    am = a.permute(fa + da).reshape(-1, k)
    bm = b.permute(db + fb).reshape(k, -1)
    return mm(am, bm).reshape([a.shape[d] for d in fa] + [b.shape[d] for d in fb])

expose(tensordot)


def kron(a: Tensor, b: Tensor) -> Tensor:
    """Kronecker product: out[i·m + k, j·n + l] = a[i, j] b[k, l] (any number of dims)"""
    nd = builtins.max(a.ndim, b.ndim)
    a = a.reshape((1,) * (nd - a.ndim) + tuple(a.shape))
    b = b.reshape((1,) * (nd - b.ndim) + tuple(b.shape))
    # interleave: a as (a0, 1, a1, 1, ...) times b as (1, b0, 1, b1, ...)
    ai = a.reshape([s for d in a.shape for s in (d, 1)])
    bi = b.reshape([s for d in b.shape for s in (1, d)])
    return (ai * bi).reshape([x * y for x, y in zip(a.shape, b.shape)])

expose(kron, method=True)


def inner(a: Tensor, b: Tensor) -> Tensor:
    """Σ over the last dims of a and b"""
    if a.ndim == 0 or b.ndim == 0:
        return a * b
    if a.shape[-1] != b.shape[-1]:
        raise RuntimeError(f"inner() the last dimension must match on both input tensors but got shapes "
                           f"{_shape_str(a.shape)} and {_shape_str(b.shape)}")
    return tensordot(a, b, ([-1], [-1]))

expose(inner, method=True)


def vdot(a: Tensor, b: Tensor) -> Tensor:
    """Σ conj(a) b over 1-D tensors"""
    if a.ndim != 1 or b.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {a.ndim}D and {b.ndim}D tensors")
    r = dot(conj(a) if a.is_complex() else a, b)
    return _renamed(r, "VdotBackward0")

expose(vdot, method=True)


def addr(input: Tensor, vec1: Tensor, vec2: Tensor, *, beta=1, alpha=1) -> Tensor:
    """β input + α (vec1 ⊗ vec2)"""
    o = outer(vec1, vec2)
    r = (input * beta if beta != 1 else input) + (o * alpha if alpha != 1 else o)
    return _renamed(r, "AddrBackward0")

expose(addr, method=True, inplace=True)


def matrix_power(a: Tensor, n: int) -> Tensor:
    """a @ a @ ... (n times); a⁻¹ for negative n; identity for 0"""
    if a.ndim < 2 or a.shape[-1] != a.shape[-2]:
        raise RuntimeError(f"linalg.matrix_power: A must be batches of square matrices, but they are "
                           f"{a.shape[-2] if a.ndim >= 2 else a.ndim} by {a.shape[-1]} matrices")
    if n == 0:
        return _wrap(np.broadcast_to(np.eye(a.shape[-1], dtype=a._data.dtype), a.shape).copy())
    if n < 0:
        a, n = inverse(a), -n
    result, base = None, a
    while n:  # binary powering, as PyTorch
        if n & 1:
            result = base if result is None else matmul(result, base)
        n >>= 1
        if n:
            base = matmul(base, base)
    return result

expose(matrix_power, method=True)


def multi_dot(tensors) -> Tensor:
    """A₁ A₂ ... Aₙ (1-D first/last operands are a row/column vector)"""
    ts = list(tensors)
    if len(ts) < 2:
        raise RuntimeError(f"multi_dot(): expected at least 2 tensors but got {len(ts)}")
    first, last = ts[0].ndim == 1, ts[-1].ndim == 1
    if first:
        ts[0] = ts[0].unsqueeze(0)
    if last:
        ts[-1] = ts[-1].unsqueeze(1)
    out = ts[0]
    for m in ts[1:]:
        out = mm(out, m)
    if first and last:
        return out.reshape(())
    if first:
        return out.squeeze(0)
    return out.squeeze(1) if last else out


def vecdot(x: Tensor, y: Tensor, *, dim: int = -1) -> Tensor:
    """Σ conj(x) y along dim"""
    return ((conj(x) if x.is_complex() else x) * y).sum(dim)


def _check_square(a: Tensor, fn: str):
    if a.ndim < 2:
        raise RuntimeError(f"{fn}: The input tensor A must have at least 2 dimensions.")
    if a.shape[-1] != a.shape[-2]:
        raise RuntimeError(f"{fn}: A must be batches of square matrices, but they are {a.shape[-2]} by "
                           f"{a.shape[-1]} matrices")
    if a._data.dtype.kind not in "fc":
        raise RuntimeError(f"{fn}: Expected a floating point or complex tensor as input. Got "
                           f"{_long_name(a.dtype)}")


def _mT(x: Tensor) -> Tensor:
    return transpose(x, -2, -1)


class LinalgInvExBackward0(Node):
    """Y = A⁻¹:  dA = -Yᵀ g Yᵀ"""

    def backward(self, g):
        (y,) = self.saved_values()
        yt = _mT(y)
        return (-matmul(matmul(yt, g), yt),)


def _linalg_error(fn: str, exc):
    return RuntimeError(f"{fn}: The diagonal element 1 is zero, the inversion could not be completed because the "
                        "input matrix is singular.")


def inverse(a: Tensor) -> Tensor:
    """A⁻¹"""
    _check_square(a, "linalg.inv")
    try:
        r = np.linalg.inv(a._data)
    except np.linalg.LinAlgError as exc:
        raise _linalg_error("linalg.inv", exc) from None
    out = _out(r, LinalgInvExBackward0, (a,))
    if out.grad_fn is not None:
        out.grad_fn.saved = (_saved_output(out.grad_fn, out),)
        out.grad_fn.versions = (0,)
    return out

expose(inverse, method=True)


class LinalgDetBackward0(Node):
    """d = det A:  dA = g d A⁻ᵀ"""

    def backward(self, g):
        a, d = self.saved_values()
        return ((g * d).unsqueeze(-1).unsqueeze(-1) * _mT(inverse(a)),)


def det(a: Tensor) -> Tensor:
    """det A"""
    _check_square(a, "linalg.det")
    out = _out(np.asarray(np.linalg.det(a._data)).astype(a._data.dtype), LinalgDetBackward0, (a,))
    if out.grad_fn is not None:
        out.grad_fn.saved = (a, _saved_output(out.grad_fn, out))
        out.grad_fn.versions = (a._version, 0)
    return out

expose(det, method=True)


def slogdet(a: Tensor):
    """(sign det A, ln |det A|)"""
    _check_square(a, "linalg.slogdet")
    s, ld = np.linalg.slogdet(a._data)
    dt = a._data.dtype
    sign = _wrap(np.asarray(s).astype(dt))
    logabs = _out(np.asarray(ld).astype(dt), LinalgSlogdetBackward0, (a,), saved=(a,))
    return _slogdet_result(sign, logabs)

expose(slogdet, method=True)


class LinalgSlogdetBackward0(Node):
    """ln|det A|:  dA = g A⁻ᵀ"""

    def backward(self, g):
        (a,) = self.saved_values()
        return (g.unsqueeze(-1).unsqueeze(-1) * _mT(inverse(a)),)


def logdet(a: Tensor) -> Tensor:
    """ln det A (nan for a negative determinant)"""
    s, la = slogdet(a)
    r = where(s < 0, math.nan, la)
    return r

expose(logdet, method=True)


class LinalgSolveExBackward0(Node):
    """X = A⁻¹B:  dB = A⁻ᵀ g, dA = -dB Xᵀ"""

    def backward(self, g):
        a, x = self.saved_values()
        vec = self.vec
        gm = g.unsqueeze(-1) if vec else g
        xm = x.unsqueeze(-1) if vec else x
        gb = solve(_mT(a), gm)
        ga = -matmul(gb, _mT(xm))
        return (ga, gb.squeeze(-1) if vec else gb)


def solve(a: Tensor, b: Tensor, *, left: bool = True) -> Tensor:
    """X with A X = B"""
    _check_square(a, "linalg.solve")
    if not left:
        return _mT(solve(_mT(a), _mT(b)))
    vec = b.ndim == 1 or (b.ndim == a.ndim - 1 and tuple(b.shape) == tuple(a.shape[:-1]))
    bd = b._data[..., None] if vec else b._data
    if a.shape[-1] != bd.shape[-2]:
        raise RuntimeError(f"linalg.solve: Incompatible shapes of A and B for the equation AX = B "
                           f"({a.shape[-2]}x{a.shape[-1]} and {bd.shape[-2]}x{bd.shape[-1]})")
    try:
        r = np.linalg.solve(a._data, bd)
    except np.linalg.LinAlgError:
        raise RuntimeError("torch.linalg.solve: The solver failed because the input matrix is singular.") from None
    r = r[..., 0] if vec else r
    dt = np.result_type(a._data.dtype, b._data.dtype)
    out = _out(r.astype(dt, copy=False), LinalgSolveExBackward0, (a, b),
                 in_shapes=(tuple(a.shape), tuple(b.shape)))
    if out.grad_fn is not None:
        out.grad_fn.saved = (a, _saved_output(out.grad_fn, out))
        out.grad_fn.versions = (a._version, 0)
        out.grad_fn.vec = vec
    return out

expose(solve, torch=False)  # torch.linalg.solve


def _np_result(fn_name, arrays, dtype):
    return tuple(_wrap(np.ascontiguousarray(r).astype(dtype, copy=False)) for r in arrays)


def linalg_svd(a: Tensor, full_matrices: bool = True, *, driver=None):
    """A = U diag(S) Vh"""
    u, s, vh = np.linalg.svd(a._data, full_matrices=full_matrices)
    return _svd_result(*_np_result("svd", (u, s, vh), a._data.dtype))


def svd(a: Tensor, some: bool = True, compute_uv: bool = True):
    """torch.svd: A = U diag(S) Vᵀ (V, not Vh)"""
    u, s, vh = np.linalg.svd(a._data, full_matrices=not some)
    v = np.swapaxes(vh, -1, -2).conj()
    if not compute_uv:
        u, v = np.zeros_like(u), np.zeros_like(v)
    return _torch_svd_result(*_np_result("svd", (u, s, v), a._data.dtype))

expose(svd, method=True)


def svdvals(a: Tensor) -> Tensor:
    return _wrap(np.linalg.svd(a._data, compute_uv=False).astype(a._data.dtype))


def linalg_qr(a: Tensor, mode: str = "reduced"):
    q, r = np.linalg.qr(a._data, mode="complete" if mode == "complete" else "reduced")
    if mode == "r":
        q = np.empty((0,), dtype=a._data.dtype)
    return _qr_result(*_np_result("qr", (q, r), a._data.dtype))


def qr(a: Tensor, some: bool = True):
    q, r = np.linalg.qr(a._data, mode="reduced" if some else "complete")
    return _torch_qr_result(*_np_result("qr", (q, r), a._data.dtype))

expose(qr, method=True)


def eigh(a: Tensor, UPLO: str = "L"):
    w, v = np.linalg.eigh(a._data, UPLO=UPLO)
    return _eigh_result(*_np_result("eigh", (w, v), a._data.dtype))


def eigvalsh(a: Tensor, UPLO: str = "L") -> Tensor:
    return _wrap(np.linalg.eigvalsh(a._data, UPLO=UPLO).astype(a._data.dtype))


def _complex_of(dt):
    return np.complex64 if dt == np.float32 else np.complex128


def eig(a: Tensor):
    w, v = np.linalg.eig(a._data)
    ct = _complex_of(a._data.dtype)
    return _eig_result(_wrap(w.astype(ct)), _wrap(v.astype(ct)))

expose(eig, torch=False)  # torch.linalg.eig


def eigvals(a: Tensor) -> Tensor:
    return _wrap(np.linalg.eigvals(a._data).astype(_complex_of(a._data.dtype)))


class LinalgCholeskyExBackward0(Node):
    """A = L Lᵀ:  P = Φ(Lᵀ g) (lower triangle, halved diagonal), S = L⁻ᵀ P L⁻¹, dA = (S + Sᵀ)/2"""

    def backward(self, g):
        (low,) = self.saved_values()
        if self.upper:
            g = _mT(g)
        g = tril(g)
        p = matmul(_mT(low), g)
        n = p.shape[-1]
        p = p * _wrap((np.tril(np.ones((n, n))) - 0.5 * np.eye(n)).astype(p._data.dtype))
        linv = inverse(low)
        s = matmul(matmul(_mT(linv), p), linv)
        return ((s + _mT(s)) * 0.5,)


def cholesky(a: Tensor, upper: bool = False) -> Tensor:
    """L with A = L Lᵀ (or U = Lᵀ when upper)"""
    _check_square(a, "linalg.cholesky")
    try:
        low = np.linalg.cholesky(a._data)
    except np.linalg.LinAlgError:
        raise RuntimeError("linalg.cholesky: The factorization could not be completed because the input is not "
                           "positive-definite (the leading minor of order 1 is not positive-definite).") from None
    arr = np.ascontiguousarray(np.swapaxes(low, -1, -2).conj() if upper else low)
    out = _out(arr, LinalgCholeskyExBackward0, (a,))
    if out.grad_fn is not None:
        node = out.grad_fn
        node.saved, node.versions, node.upper = (_wrap(low),), (None,), upper
    return out


def cholesky_ex(a: Tensor, *, upper: bool = False, check_errors: bool = False):
    return _cholesky_ex_result(cholesky(a, upper), _wrap(np.zeros(a.shape[:-2], dtype=np.int32)))


def cholesky_solve(b: Tensor, u: Tensor, upper: bool = False) -> Tensor:
    """X with (L Lᴴ) X = B, given the Cholesky factor"""
    low = _mT(u) if upper else u
    return solve(matmul(low, _mT(low)), b)

expose(cholesky_solve, method=True)


def cholesky_inverse(u: Tensor, upper: bool = False) -> Tensor:
    low = _mT(u) if upper else u
    return inverse(matmul(low, _mT(low)))

expose(cholesky_inverse, method=True)


def inv_ex(a: Tensor, *, check_errors: bool = False):
    return _inv_ex_result(inverse(a), _wrap(np.zeros(a.shape[:-2], dtype=np.int32)))


def pinv(a: Tensor, *, atol=None, rtol=None, hermitian: bool = False) -> Tensor:
    """Moore-Penrose pseudo-inverse"""
    rc = 1e-15 if rtol is None else rtol
    if rtol is None and atol is None:
        rc = builtins.max(a.shape[-2:]) * np.finfo(a._data.dtype).eps
    return _wrap(np.linalg.pinv(a._data, rcond=rc, hermitian=hermitian).astype(a._data.dtype))


def pinverse(a: Tensor, rcond: float = 1e-15) -> Tensor:
    return _wrap(np.linalg.pinv(a._data, rcond=rcond).astype(a._data.dtype))

expose(pinverse, method=True)


def matrix_rank(a: Tensor, *, atol=None, rtol=None, hermitian: bool = False, tol=None) -> Tensor:
    s = np.linalg.svd(a._data, compute_uv=False)
    smax = s.max(axis=-1, keepdims=True) if s.size else s
    if atol is None and rtol is None:
        rtol = builtins.max(a.shape[-2:]) * np.finfo(a._data.dtype).eps
    thresh = np.maximum(atol or 0.0, (rtol or 0.0) * smax)
    return _wrap((s > thresh).sum(-1).astype(np.int64))

expose(matrix_rank, torch=False)  # torch.linalg.matrix_rank


def lstsq(a: Tensor, b: Tensor, rcond=None, *, driver=None):
    """least-squares X minimising ‖A X - B‖"""
    vec = b.ndim == 1
    bd = b._data[:, None] if vec else b._data
    x, res, rank, sv = np.linalg.lstsq(a._data, bd, rcond=rcond)
    dt = a._data.dtype
    x = x[:, 0] if vec else x
    return _lstsq_result(_wrap(x.astype(dt)), _wrap(np.asarray(res, dtype=dt)),
                         _wrap(np.asarray(rank, dtype=np.int64)), _wrap(np.asarray(sv, dtype=dt)))

expose(lstsq, method=True)


def solve_triangular(a: Tensor, b: Tensor, *, upper: bool, left: bool = True, unitriangular: bool = False):
    mask = np.triu(np.ones(a.shape[-2:], dtype=bool)) if upper else np.tril(np.ones(a.shape[-2:], dtype=bool))
    tri = where(_wrap(mask), a, 0.0)
    if unitriangular:
        eye = _wrap(np.eye(a.shape[-1], dtype=bool))
        tri = where(eye, 1.0, tri)
    return solve(tri, b, left=left)


def triangular_solve(b: Tensor, a: Tensor, upper: bool = True, transpose: bool = False,
                     unitriangular: bool = False):
    aa = _mT(a) if transpose else a
    x = solve_triangular(aa, b, upper=upper != transpose, unitriangular=unitriangular)
    return _named("triangular_solve", ["solution", "cloned_coefficient"])(x, a.clone())

expose(triangular_solve, method=True)


def matrix_exp(a: Tensor) -> Tensor:
    """e^A by scaling and squaring with a degree-12 Taylor sum (float64 inside)"""
    x = a._data.astype(np.float64)
    nrm = np.abs(x).sum(-2).max() if x.size else 0.0
    s = builtins.max(0, int(np.ceil(np.log2(nrm))) + 1) if nrm > 0.5 else 0
    x = x / (2.0 ** s)
    eye = np.broadcast_to(np.eye(x.shape[-1]), x.shape)
    term, out = eye.copy(), eye.copy()
    for k in builtins.range(1, 19):
        term = term @ x / k
        out = out + term
    for _ in builtins.range(s):
        out = out @ out
    return _wrap(out.astype(a._data.dtype))

expose(matrix_exp, method=True)


def cond(a: Tensor, p=None) -> Tensor:
    return _wrap(np.asarray(np.linalg.cond(a._data, p)).astype(a._data.dtype))

expose(cond, torch=False)  # torch.linalg.cond


def tensorinv(a: Tensor, ind: int = 2) -> Tensor:
    return _wrap(np.linalg.tensorinv(a._data, ind))


def tensorsolve(a: Tensor, b: Tensor, dims=None) -> Tensor:
    return _wrap(np.linalg.tensorsolve(a._data, b._data, dims))


def frobenius_norm(x: Tensor, dim=(-2, -1), keepdim: bool = False) -> Tensor:
    return linalg_vector_norm(x, 2, dim, keepdim)

expose(frobenius_norm)


def nuclear_norm(x: Tensor, dim=None, keepdim: bool = False) -> Tensor:
    return _wrap(np.linalg.svd(x._data, compute_uv=False).sum(-1).astype(x._data.dtype))

expose(nuclear_norm)


def _matrix_norm(x: Tensor, ord="fro", dim=(-2, -1), keepdim: bool = False, *, dtype=None) -> Tensor:
    if ord == "fro":
        return linalg_vector_norm(x, 2, dim, keepdim)
    if ord == "nuc":
        return nuclear_norm(x)
    d0, d1 = (_wrap_dim(d, x.ndim) for d in dim)
    if ord in (1, -1):
        s = x.abs().sum(d0, keepdim=True)
        r = s.amax(d1, keepdim=True) if ord == 1 else s.amin(d1, keepdim=True)
    elif ord in (math.inf, -math.inf):
        s = x.abs().sum(d1, keepdim=True)
        r = s.amax(d0, keepdim=True) if ord > 0 else s.amin(d0, keepdim=True)
    elif ord in (2, -2):
        sv = svdvals(x.movedim((d0, d1), (-2, -1)))
        r = sv.amax(-1) if ord == 2 else sv.amin(-1)
        return r
    else:
        raise RuntimeError(f"linalg.matrix_norm: Order {ord} not supported.")
    return r if keepdim else r.squeeze((d0, d1))


def _linalg_norm(x: Tensor, ord=None, dim=None, keepdim: bool = False, *, dtype=None) -> Tensor:
    if ord is None:
        return linalg_vector_norm(x, 2, dim, keepdim)
    if isinstance(ord, str) or (dim is not None and not isinstance(dim, int) and len(dim) == 2) or (
            dim is None and x.ndim == 2):
        return _matrix_norm(x, ord, (-2, -1) if dim is None else dim, keepdim)
    return linalg_vector_norm(x, ord, dim, keepdim)


def _linalg_vander(x: Tensor, *, N=None) -> Tensor:
    n = N if N is not None else x.shape[-1]
    return stack([x ** i for i in builtins.range(n)], -1)


def _linalg_diagonal(a: Tensor, *, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Tensor:
    return diagonal(a, offset, dim1, dim2)


class LinAlgError(RuntimeError):
    """raised by ember.linalg when a factorisation fails"""


def pdist(x: Tensor, p: float = 2.0) -> Tensor:
    """the p-norm distances between every pair of rows (upper triangle, row-major)"""
    if x.ndim != 2:
        raise RuntimeError(f"pdist only supports 2D tensors, got: {x.ndim}D")
    n = x.shape[0]
    i, j = np.triu_indices(n, 1)
    diff = x[_wrap(i.astype(np.int64))] - x[_wrap(j.astype(np.int64))]
    return _renamed(linalg_vector_norm(diff, p, -1), "PdistBackward0")

expose(pdist)


def torch_cholesky(a: Tensor, upper: bool = False) -> Tensor:
    """the deprecated torch.cholesky: linalg.cholesky under the old node name"""
    return _renamed(cholesky(a, upper), "CholeskyBackward0")

expose(torch_cholesky, torch=('cholesky',), method=('cholesky',))


def chain_matmul(*ms):
    out = ms[0]
    for m in ms[1:]:
        out = out @ m
    return out

expose(chain_matmul)


def addmv(c, a, v, *, beta=1, alpha=1):
    r = mv(a, v)
    return c * beta + r * alpha if (alpha != 1 or beta != 1) else c + r

expose(addmv, method=True, inplace=True)


def addbmm(c, a, b, *, beta=1, alpha=1):
    r = bmm(a, b).sum(0)
    return c * beta + r * alpha if (alpha != 1 or beta != 1) else c + r

expose(addbmm, method=True, inplace=True)


def baddbmm(c, a, b, *, beta=1, alpha=1):
    r = bmm(a, b)
    return c * beta + r * alpha if (alpha != 1 or beta != 1) else c + r

expose(baddbmm, method=True, inplace=True)


def dist(a, b, p=2):
    """‖a - b‖_p"""
    return norm(a - b, p)

expose(dist, method=True)


def cdist(x1, x2, p=2.0):
    diff = x1.unsqueeze(-2) - x2.unsqueeze(-3)
    if p == 2:
        return ((diff * diff).sum(-1)).sqrt()
    return linalg_vector_norm(diff, p, dim=-1)

expose(cdist)


def cosine_similarity(x1, x2, dim=1, eps=1e-8):
    w12 = (x1 * x2).sum(dim)
    n1 = (x1 * x1).sum(dim)
    n2 = (x2 * x2).sum(dim)
    return w12 / clamp(n1 * n2, min=eps * eps).sqrt()

expose(cosine_similarity)


def pairwise_distance(x1, x2, p=2.0, eps=1e-6, keepdim=False):
    return linalg_vector_norm(x1 - x2 + eps, p, dim=-1, keepdim=keepdim)

expose(pairwise_distance)


def cross(a, b, dim=None):
    if dim is None:
        dim = next(i for i, s in enumerate(a.shape) if s == 3)
    a0, a1, a2 = unbind(a, dim)
    b0, b1, b2 = unbind(b, dim)
    r = stack([a1 * b2 - a2 * b1, a2 * b0 - a0 * b2, a0 * b1 - a1 * b0], dim)
    return _renamed(r, "LinalgCrossBackward0")

expose(cross, method=True)


def vander(x, N=None, increasing=False):
    n = N if N is not None else x.shape[0]
    cols = [x ** i for i in builtins.range(n)]
    if not increasing:
        cols = cols[::-1]
    return stack(cols, 1)

expose(vander)


def _vector_norm(x, ord=2, dim=None, keepdim=False, *, dtype=None):
    return linalg_vector_norm(x, ord, dim, keepdim)


def _rmatmul(a, b):
    """b @ a"""
    return matmul(as_tensor_arg(b), a)

expose(_rmatmul, torch=False, operators="__rmatmul__")
