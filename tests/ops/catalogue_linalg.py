"""Catalogue entries of ember.ops.linalg (see op_catalogue.py): products, decompositions, solvers, norms, distances.

Samples are well-conditioned (square matrices shifted along the diagonal, symmetric positive-definite ones built as
A Aᵀ + n I), 2-D and batched, transposed (non-contiguous) where the op takes a matrix. Decompositions whose factors
are defined only up to a sign (eigenvectors, singular vectors) are checked through gauge-invariant functions of the
factors (U ∘ U, V ∘ V), as PyTorch's OpInfo does; ops that read one triangle of a symmetric input are checked on a
symmetric function of the sample (A + Aᵀ, A Aᵀ + n I), so finite differences see what the op computes."""

from __future__ import annotations

import numpy as np
from op_catalogue import Layout, OpInfo, Sample, uniform

EIG_SECOND = ("eig's second derivative: the gradient reaching its eigenvectors in the double backward has a phase "
              "component (PyTorch's has none), so the phase check raises: a defect of a complex backward rule on the "
              "way, not yet found")
DECOMP = dict(rtol=1e-4, atol=1e-4)  # float32 LAPACK (MKL vs OpenBLAS) and float32 backward formulas
REDUCE_FWD = "reduce family defect: amax/amin/linalg_vector_norm record their saved values after the op, so a " \
             "forward-mode node made for tangents has none (TypeError in their backward-derived jvp)"
TRIL_FWD = "shape family defect: tril/triu have no forward-mode rule (the wrapper that masks the factor)"
NORM1 = "reduce family defect: torch.norm(x, p, dim) records LinalgVectorNormBackward0 where PyTorch records " \
        "NormBackward1 (values and gradients agree: gradcheck and the tangent checks run)"
NO_COMPLEX_AD = "ember has no complex autograd (a complex tensor's .real/view_as_real detach: outside this family); " \
                "eig's derivative is a complex one, so eig and eigvals stay without a gradient"


def mat(rng, shape, dtype, shift=None):
    """entries in [-1, 1); square matrices get ``shift`` (default: their size) added to the diagonal"""
    a = uniform(rng, shape, dtype, -1.0, 1.0)
    if len(shape) >= 2 and shape[-1] == shape[-2] and np.dtype(dtype).kind == "f":
        a = a + (shape[-1] if shift is None else shift) * np.eye(shape[-1], dtype=dtype)
    return a.astype(dtype)


def T(a):
    """a, stored transposed: the op sees a non-contiguous (column-major) matrix"""
    return Layout(np.ascontiguousarray(np.swapaxes(a, -1, -2)), "T")


def spd_of(lib, a):
    """a symmetric positive-definite function of the sample: A Aᵀ + n I"""
    n = a.shape[-1]
    return a @ a.mT + n * lib.eye(n, dtype=a.dtype)


def sym(a):
    return a + a.mT


def covers(name, method=True, inplace=False, torch=True, linalg=False, extra=()):
    out = ((name,) if torch else ()) + ((f"Tensor.{name}",) if method else ()) + \
          ((f"Tensor.{name}_",) if inplace else ()) + ((f"linalg.{name}",) if linalg else ())
    return out + tuple(extra)


def ints(*shapes):
    return tuple(np.arange(int(np.prod(s)), dtype=np.int64).reshape(s) % 5 - 2 for s in shapes)


# -- matrix products ------------------------------------------------------------------------------------------------

def _mm(rng, dtype):
    yield Sample((mat(rng, (2, 3), dtype), mat(rng, (3, 4), dtype)), name="(2,3)(3,4)")
    yield Sample((T(mat(rng, (3, 3), dtype)), mat(rng, (3, 2), dtype)), name="T")
    yield Sample((mat(rng, (3, 1), dtype), mat(rng, (1, 2), dtype)), name="inner 1")
    yield Sample((mat(rng, (1, 4), dtype), T(mat(rng, (4, 3), dtype))), name="row, T")
    yield Sample((np.zeros((0, 3), dtype), mat(rng, (3, 2), dtype)), name="empty", forward_only=True)
    yield Sample((np.array([[np.nan, 1.0], [np.inf, 0.0]], dtype), mat(rng, (2, 2), dtype)), name="special",
                 forward_only=True)
    yield Sample(ints((2, 3), (3, 2)), name="int64", forward_only=True)


def _mm_errors(rng, dtype):
    yield Sample((mat(rng, (2, 3), dtype), mat(rng, (4, 5), dtype)), name="shapes")
    yield Sample((mat(rng, (3,), dtype), mat(rng, (3, 5), dtype)), name="vector self")
    yield Sample((mat(rng, (2, 3), dtype), mat(rng, (3,), dtype)), name="vector mat2")


def _matmul(rng, dtype):
    pairs = (((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 2)), ((2, 3), (3, 4)), ((2, 2, 3), (3, 4)), ((2, 2, 3), (3,)),
             ((2, 3), (2, 3, 4)), ((3,), (2, 3, 4)), ((2, 2, 3), (2, 3, 4)), ((2, 1, 2, 3), (3, 3, 2)))
    for sa, sb in pairs:
        yield Sample((mat(rng, sa, dtype), mat(rng, sb, dtype)), name=f"{sa}{sb}")
    yield Sample((T(mat(rng, (3, 2), dtype)), mat(rng, (2, 2, 4), dtype)), name="T, batched")
    yield Sample(ints((2, 3), (3, 2)), name="int64", forward_only=True)
    yield Sample((np.zeros((2, 0, 3), dtype), mat(rng, (3, 2), dtype)), name="empty", forward_only=True)


def _matmul_errors(rng, dtype):
    for sa, sb in (((2, 3), (4, 5)), ((2, 2, 3), (4, 5)), ((2, 2, 3), (2, 4, 5)), ((2, 2, 3), (3, 3, 5)),
                   ((3,), (4,)), ((), (4,)), ((2, 3), (4,)), ((3,), (4, 5)), ((3,), (2, 4, 5)), ((2, 3), (2, 4, 5)),
                   ((2, 2, 3), (4,))):
        yield Sample((mat(rng, sa, dtype), mat(rng, sb, dtype)), name=f"{sa}{sb}")


def _addmm(broadcast):
    def gen(rng, dtype):
        c = (4,) if broadcast else (2, 4)
        yield Sample((mat(rng, c, dtype), mat(rng, (2, 3), dtype), mat(rng, (3, 4), dtype)), name="plain")
        yield Sample((mat(rng, c, dtype), T(mat(rng, (2, 3), dtype)), mat(rng, (3, 4), dtype)),
                     {"beta": 0.5, "alpha": 2.0}, name="beta, alpha, T")
        yield Sample((mat(rng, c, dtype), mat(rng, (2, 3), dtype), mat(rng, (3, 4), dtype)), {"beta": 0.0},
                     name="beta 0")
        if broadcast:
            yield Sample((mat(rng, (1, 4), dtype), mat(rng, (2, 3), dtype), mat(rng, (3, 4), dtype)), name="(1,4)")
            yield Sample((np.array([np.nan, 1.0, 2.0, 3.0], dtype), mat(rng, (2, 3), dtype), mat(rng, (3, 4), dtype)),
                         {"beta": 0}, name="beta 0 ignores nan", forward_only=True)
    return gen


def _addmm_errors(rng, dtype):
    yield Sample((mat(rng, (3,), dtype), mat(rng, (2, 3), dtype), mat(rng, (4, 5), dtype)), name="shapes")
    yield Sample((mat(rng, (3,), dtype), mat(rng, (2, 3), dtype), mat(rng, (3, 5), dtype)), name="self shape")


def _mv(rng, dtype):
    yield Sample((mat(rng, (2, 3), dtype), mat(rng, (3,), dtype)), name="(2,3)(3)")
    yield Sample((T(mat(rng, (3, 3), dtype)), Layout(np.repeat(mat(rng, (3,), dtype), 2), "strided")),
                 name="T, strided")
    yield Sample(ints((2, 3), (3,)), name="int64", forward_only=True)


def _mv_errors(rng, dtype):
    yield Sample((mat(rng, (2, 3), dtype), mat(rng, (4,), dtype)), name="shapes")
    yield Sample((mat(rng, (3,), dtype), mat(rng, (3,), dtype)), name="vector")


def _addmv(broadcast):
    def gen(rng, dtype):
        c = (1,) if broadcast else (2,)
        yield Sample((mat(rng, c, dtype), mat(rng, (2, 3), dtype), mat(rng, (3,), dtype)), name="plain")
        yield Sample((mat(rng, c, dtype), T(mat(rng, (2, 3), dtype)), mat(rng, (3,), dtype)),
                     {"beta": 2.0, "alpha": -0.5}, name="beta, alpha, T")
    return gen


def _addmv_errors(rng, dtype):
    yield Sample((mat(rng, (3,), dtype), mat(rng, (2, 3), dtype), mat(rng, (3,), dtype)), name="self size")
    yield Sample((mat(rng, (2,), dtype), mat(rng, (2, 3), dtype), mat(rng, (4,), dtype)), name="vec size")


def _vectors(rng, dtype):
    yield Sample((mat(rng, (4,), dtype), mat(rng, (4,), dtype)), name="(4)(4)")
    yield Sample((Layout(np.repeat(mat(rng, (3,), dtype), 2), "strided"), mat(rng, (3,), dtype)), name="strided")
    yield Sample((mat(rng, (1,), dtype), mat(rng, (1,), dtype)), name="(1)(1)")
    yield Sample((np.zeros((0,), dtype), np.zeros((0,), dtype)), name="empty", forward_only=True)
    yield Sample(ints((3,), (3,)), name="int64", forward_only=True)


def _dot_errors(rng, dtype):
    yield Sample((mat(rng, (3,), dtype), mat(rng, (4,), dtype)), name="sizes")
    yield Sample((mat(rng, (3, 1), dtype), mat(rng, (3,), dtype)), name="2-D")


def _bmm(rng, dtype):
    yield Sample((mat(rng, (2, 2, 3), dtype), mat(rng, (2, 3, 4), dtype)), name="(2,2,3)(2,3,4)")
    yield Sample((mat(rng, (1, 3, 3), dtype), mat(rng, (1, 3, 1), dtype)), name="one batch")
    yield Sample((np.zeros((0, 2, 3), dtype), np.zeros((0, 3, 2), dtype)), name="empty", forward_only=True)


def _bmm_errors(rng, dtype):
    yield Sample((mat(rng, (2, 2, 3), dtype), mat(rng, (2, 4, 5), dtype)), name="shapes")
    yield Sample((mat(rng, (2, 2, 3), dtype), mat(rng, (3, 3, 5), dtype)), name="batches")
    yield Sample((mat(rng, (2, 3), dtype), mat(rng, (3, 5), dtype)), name="2-D")


def _baddbmm(broadcast):
    def gen(rng, dtype):
        c = (2, 4) if broadcast else (2, 2, 4)
        yield Sample((mat(rng, c, dtype), mat(rng, (2, 2, 3), dtype), mat(rng, (2, 3, 4), dtype)), name="plain")
        yield Sample((mat(rng, c, dtype), mat(rng, (2, 2, 3), dtype), mat(rng, (2, 3, 4), dtype)),
                     {"beta": -1.0, "alpha": 0.5}, name="beta, alpha")
    return gen


def _baddbmm_errors(rng, dtype):
    yield Sample((mat(rng, (2, 2, 5), dtype), mat(rng, (2, 2, 3), dtype), mat(rng, (2, 4, 5), dtype)), name="shapes")
    yield Sample((mat(rng, (3, 2, 5), dtype), mat(rng, (2, 2, 3), dtype), mat(rng, (2, 3, 5), dtype)), name="self")


def _addbmm(broadcast):
    def gen(rng, dtype):
        c = (4,) if broadcast else (2, 4)
        yield Sample((mat(rng, c, dtype), mat(rng, (3, 2, 3), dtype), mat(rng, (3, 3, 4), dtype)), name="plain")
        yield Sample((mat(rng, c, dtype), mat(rng, (3, 2, 3), dtype), mat(rng, (3, 3, 4), dtype)),
                     {"beta": 0.5, "alpha": -2.0}, name="beta, alpha")
    return gen


def _addbmm_errors(rng, dtype):
    yield Sample((mat(rng, (2, 5), dtype), mat(rng, (2, 2, 3), dtype), mat(rng, (2, 4, 5), dtype)), name="shapes")
    yield Sample((mat(rng, (3, 5), dtype), mat(rng, (2, 2, 3), dtype), mat(rng, (2, 3, 5), dtype)), name="self")
    yield Sample((mat(rng, (2, 5), dtype), mat(rng, (3, 2, 3), dtype), mat(rng, (2, 3, 5), dtype)), name="batches")


def _addr(broadcast):
    def gen(rng, dtype):
        c = (4,) if broadcast else (3, 4)
        yield Sample((mat(rng, c, dtype), mat(rng, (3,), dtype), mat(rng, (4,), dtype)), name="plain")
        yield Sample((mat(rng, c, dtype), mat(rng, (3,), dtype), mat(rng, (4,), dtype)), {"beta": 2.0, "alpha": 0.5},
                     name="beta, alpha")
        if not broadcast:
            yield Sample((*ints((3, 2), (3,), (2,)),), name="int64", forward_only=True)
    return gen


def _addr_errors(rng, dtype):
    yield Sample((mat(rng, (3, 3), dtype), mat(rng, (2,), dtype), mat(rng, (3,), dtype)), name="self shape")
    yield Sample((mat(rng, (3, 3), dtype), mat(rng, (3, 1), dtype), mat(rng, (3,), dtype)), name="2-D vec1")


def _outer(rng, dtype):
    yield Sample((mat(rng, (3,), dtype), mat(rng, (4,), dtype)), name="(3)(4)")
    yield Sample((Layout(np.repeat(mat(rng, (2,), dtype), 2), "strided"), mat(rng, (1,), dtype)), name="strided")
    yield Sample(ints((3,), (2,)), name="int64", forward_only=True)


def _trace(rng, dtype):
    yield Sample((mat(rng, (3, 3), dtype),), name="square")
    yield Sample((mat(rng, (2, 4), dtype),), name="wide")
    yield Sample((T(mat(rng, (4, 2), dtype)),), name="T")
    yield Sample(ints((3, 3)), name="int64", forward_only=True)
    yield Sample((np.arange(6, dtype=np.int32).reshape(2, 3),), name="int32", forward_only=True)


def _trace_errors(rng, dtype):
    yield Sample((mat(rng, (2, 2, 2), dtype),), name="3-D")
    yield Sample((mat(rng, (2,), dtype),), name="1-D")
    yield Sample((np.ones((2, 2), dtype=bool),), name="bool")


def _tensordot(rng, dtype):
    yield Sample((mat(rng, (2, 3, 4), dtype), mat(rng, (3, 4, 2), dtype)), {"dims": 2}, name="dims=2")
    yield Sample((mat(rng, (2, 3), dtype), mat(rng, (3, 2), dtype)), {"dims": 1}, name="dims=1")
    yield Sample((mat(rng, (2, 3), dtype), mat(rng, (4,), dtype)), {"dims": 0}, name="dims=0")
    yield Sample((mat(rng, (2, 3, 4), dtype), mat(rng, (4, 2, 3), dtype)), {"dims": ([1, 2], [2, 0])}, name="lists")
    yield Sample((T(mat(rng, (3, 2), dtype)), mat(rng, (2, 3), dtype)), {"dims": ([0], [1])}, name="T")


def _tensordot_errors(rng, dtype):
    yield Sample((mat(rng, (2, 3), dtype), mat(rng, (4, 5), dtype)), {"dims": 1}, name="sizes")
    yield Sample((mat(rng, (2, 3), dtype), mat(rng, (4, 5), dtype)), {"dims": -1}, name="negative")
    yield Sample((mat(rng, (2, 3), dtype), mat(rng, (4, 5), dtype)), {"dims": ([0, 1], [0])}, name="lists")


def _kron(rng, dtype):
    yield Sample((mat(rng, (2, 3), dtype), mat(rng, (3, 2), dtype)), name="2-D")
    yield Sample((mat(rng, (3,), dtype), mat(rng, (2, 2), dtype)), name="1-D, 2-D")
    yield Sample((mat(rng, (2, 2), dtype), mat(rng, (2,), dtype)), name="2-D, 1-D")
    yield Sample(ints((2, 2), (2,)), name="int64", forward_only=True)


def _inner(rng, dtype):
    yield Sample((mat(rng, (2, 3), dtype), mat(rng, (4, 3), dtype)), name="2-D")
    yield Sample((mat(rng, (3,), dtype), mat(rng, (3,), dtype)), name="1-D")
    yield Sample((T(mat(rng, (2, 3), dtype)), mat(rng, (2, 2, 3), dtype)), name="T, 3-D")


def _matrix_power(rng, dtype):
    for n in (2, 3, 1, 0, -1, -2):
        yield Sample((mat(rng, (3, 3), dtype),), {"n": n}, name=f"n={n}")
    yield Sample((mat(rng, (2, 2, 2), dtype),), {"n": 5}, name="batched n=5")
    yield Sample((T(mat(rng, (2, 2), dtype)),), {"n": 2}, name="T")
    yield Sample((np.array([[1, 2], [0, 1]]),), {"n": 3}, name="int64", forward_only=True)


def _matrix_power_errors(rng, dtype):
    yield Sample((mat(rng, (2, 3), dtype),), {"n": 2}, name="not square")
    yield Sample((mat(rng, (3,), dtype),), {"n": 2}, name="1-D")
    yield Sample((np.array([[1.0, 2.0], [2.0, 4.0]], dtype),), {"n": -1}, name="singular")


def _multi_dot(rng, dtype):
    yield Sample((mat(rng, (2, 3), dtype), mat(rng, (3, 4), dtype)), name="two")
    yield Sample((mat(rng, (2, 3), dtype), mat(rng, (3, 4), dtype), mat(rng, (4, 1), dtype)), name="three")
    yield Sample((mat(rng, (3,), dtype), mat(rng, (3, 4), dtype), T(mat(rng, (4, 2), dtype)), mat(rng, (2,), dtype)),
                 name="vectors at the ends, T")
    yield Sample((mat(rng, (4, 1), dtype), mat(rng, (1, 4), dtype), mat(rng, (4, 2), dtype), mat(rng, (2, 3), dtype)),
                 name="four")


def _multi_dot_errors(rng, dtype):
    yield Sample((mat(rng, (2, 3), dtype),), name="one")
    yield Sample((mat(rng, (2, 3), dtype), mat(rng, (2, 3), dtype)), name="shapes")
    yield Sample((mat(rng, (2, 3), dtype), mat(rng, (3, 2, 2), dtype)), name="3-D last")
    yield Sample((mat(rng, (2, 3), dtype), mat(rng, (3,), dtype), mat(rng, (3,), dtype)), name="1-D middle")
    yield Sample((mat(rng, (3,), dtype), mat(rng, (4, 2), dtype)), name="vector shapes")


def _vecdot(rng, dtype):
    yield Sample((mat(rng, (2, 3), dtype), mat(rng, (2, 3), dtype)), name="2-D")
    yield Sample((mat(rng, (2, 3), dtype), mat(rng, (3,), dtype)), name="broadcast")
    yield Sample((mat(rng, (3, 2), dtype), mat(rng, (3, 2), dtype)), {"dim": 0}, name="dim=0")
    yield Sample((T(mat(rng, (2, 3), dtype)), mat(rng, (2, 3), dtype)), name="T")


def _vecdot_errors(rng, dtype):
    yield Sample((mat(rng, (3,), dtype), mat(rng, (4,), dtype)), name="sizes")
    yield Sample(ints((3,), (3,)), name="int64")


# -- inverses, determinants, solvers --------------------------------------------------------------------------------

SINGULAR = np.array([[1.0, 2.0], [2.0, 4.0]])


def _square(rng, dtype, int_sample=False):
    yield Sample((mat(rng, (3, 3), dtype),), name="3x3")
    yield Sample((T(mat(rng, (3, 3), dtype)),), name="T")
    yield Sample((mat(rng, (2, 2, 2), dtype),), name="batched")
    yield Sample((mat(rng, (1, 1), dtype),), name="1x1")


def _square_errors(rng, dtype):
    yield Sample((mat(rng, (2, 3), dtype),), name="not square")
    yield Sample((mat(rng, (3,), dtype),), name="1-D")
    yield Sample((np.array([[1, 2], [3, 4]]),), name="int64")


def _singular_errors(rng, dtype):
    yield from _square_errors(rng, dtype)
    yield Sample((SINGULAR.astype(dtype),), name="singular")
    yield Sample((np.stack([np.eye(2), SINGULAR]).astype(dtype),), name="singular batch element")


def _inv_ex(rng, dtype):
    yield from _square(rng, dtype)
    yield Sample((np.stack([np.eye(2), SINGULAR]).astype(dtype),), name="singular: info", forward_only=True)


def _det(rng, dtype):
    yield from _square(rng, dtype)
    yield Sample((np.array([[0.0, 1.0], [1.0, 0.0]], dtype),), name="negative")
    yield Sample((np.zeros((0, 0), dtype),), name="empty", forward_only=True)


def _logdet(rng, dtype):
    yield Sample((mat(rng, (3, 3), dtype),), name="3x3")
    yield Sample((mat(rng, (2, 2, 2), dtype),), name="batched")
    yield Sample((np.array([[0.0, 1.0], [1.0, 0.0]], dtype),), name="negative det", forward_only=True)
    yield Sample((SINGULAR.astype(dtype),), name="singular", forward_only=True)


def _solve(rng, dtype):
    yield Sample((mat(rng, (3, 3), dtype), mat(rng, (3, 2), dtype)), name="matrix")
    yield Sample((T(mat(rng, (3, 3), dtype)), mat(rng, (3,), dtype)), name="T, vector")
    yield Sample((mat(rng, (2, 3, 3), dtype), mat(rng, (3, 2), dtype)), name="batched A")
    yield Sample((mat(rng, (3, 3), dtype), mat(rng, (2, 3, 1), dtype)), name="batched B")
    yield Sample((mat(rng, (2, 3, 3), dtype), mat(rng, (2, 3), dtype)), name="batched vector")
    yield Sample((mat(rng, (3, 3), dtype), mat(rng, (2, 3), dtype)), {"left": False}, name="left=False")


def _solve_errors(rng, dtype):
    yield Sample((SINGULAR.astype(dtype), mat(rng, (2,), dtype)), name="singular")
    yield Sample((np.stack([np.eye(2), SINGULAR]).astype(dtype), mat(rng, (2, 2), dtype)), name="singular batch")
    yield Sample((mat(rng, (2, 2), dtype), mat(rng, (3,), dtype)), name="shapes")
    yield Sample((mat(rng, (2, 2), dtype), mat(rng, (3, 2), dtype)), name="matrix shapes")
    yield Sample((mat(rng, (2, 3), dtype), mat(rng, (2,), dtype)), name="not square")
    yield Sample(ints((2, 2), (2, 2)), name="int64")


def _tri(rng, shape, dtype, upper, unit=False):
    a = mat(rng, shape, dtype, shift=2.0)
    return np.triu(a) if upper else np.tril(a)


def _solve_triangular(rng, dtype):
    yield Sample((_tri(rng, (3, 3), dtype, False), mat(rng, (3, 2), dtype)), {"upper": False}, name="lower")
    yield Sample((_tri(rng, (3, 3), dtype, True), mat(rng, (3, 2), dtype)), {"upper": True}, name="upper")
    yield Sample((T(_tri(rng, (3, 3), dtype, True)), mat(rng, (2, 3), dtype)), {"upper": True, "left": False},
                 name="T, left=False")
    yield Sample((_tri(rng, (2, 3, 3), dtype, False), mat(rng, (3, 1), dtype)), {"upper": False,
                                                                                 "unitriangular": True},
                 name="batched, unit")
    yield Sample((mat(rng, (3, 3), dtype), mat(rng, (3, 2), dtype)), {"upper": True}, name="full A (triangle read)")


def _solve_triangular_errors(rng, dtype):
    eye = np.eye(2, dtype=dtype)
    yield Sample((eye, mat(rng, (2,), dtype)), {"upper": True}, name="1-D B")
    yield Sample((eye, mat(rng, (3, 2), dtype)), {"upper": True}, name="shapes")
    yield Sample((mat(rng, (2, 3), dtype), mat(rng, (2, 2), dtype)), {"upper": True}, name="not square")


def _triangular_solve(rng, dtype):
    yield Sample((mat(rng, (3, 2), dtype), _tri(rng, (3, 3), dtype, True)), name="upper")
    yield Sample((mat(rng, (3, 2), dtype), _tri(rng, (3, 3), dtype, False)), {"upper": False}, name="lower")
    yield Sample((mat(rng, (3, 1), dtype), _tri(rng, (3, 3), dtype, True)), {"transpose": True}, name="transpose")
    yield Sample((mat(rng, (2, 3, 2), dtype), _tri(rng, (3, 3), dtype, False)),
                 {"upper": False, "unitriangular": True}, name="batched b, unit")


def _cholesky(rng, dtype):
    yield Sample((mat(rng, (3, 3), dtype),), name="3x3")
    yield Sample((T(mat(rng, (3, 3), dtype)),), {"upper": True}, name="T, upper")
    yield Sample((mat(rng, (2, 2, 2), dtype),), name="batched")


def _cholesky_errors(fn_arg=True):
    def gen(rng, dtype):
        yield Sample((mat(rng, (2, 3), dtype),), name="not square")
        yield Sample((np.array([[1, 2], [2, 5]]),), name="int64")
        yield Sample((np.array([[1.0, 2.0], [2.0, 1.0]], dtype),), name="not positive-definite")
        yield Sample((np.diag([1.0, 2.0, -1.0]).astype(dtype),), name="minor 3")
        yield Sample((np.stack([np.eye(2), [[1.0, 2.0], [2.0, 1.0]]]).astype(dtype),), name="batch element 1")
    return gen


def _cholesky_ex(rng, dtype):
    yield from _cholesky(rng, dtype)


def _cholesky_ex_info(rng, dtype):
    n = np.diag([1.0, 2.0, -1.0])
    n[2, 0] = 0.5
    yield Sample((n.astype(dtype),), name="minor 3", forward_only=True)
    yield Sample((np.array([[4.0, 1, 2], [1, -3, 5], [2, 5, 7]], dtype),), name="minor 2", forward_only=True)
    yield Sample((np.stack([np.eye(2), [[1.0, 2.0], [2.0, 1.0]]]).astype(dtype),), name="batch", forward_only=True)


def _lower_factor(rng, shape, dtype):
    a = mat(rng, shape, dtype)
    return np.linalg.cholesky(a @ np.swapaxes(a, -1, -2) + shape[-1] * np.eye(shape[-1])).astype(dtype)


def _mask(lib, u, upper):
    n = u.shape[-1]
    m = np.triu(np.ones((n, n))) if upper else np.tril(np.ones((n, n)))
    return u * lib.tensor(m, dtype=u.dtype)


def _cholesky_solve(rng, dtype):
    yield Sample((mat(rng, (3, 2), dtype), _lower_factor(rng, (3, 3), dtype)), name="lower")
    yield Sample((mat(rng, (3, 1), dtype), np.swapaxes(_lower_factor(rng, (3, 3), dtype), -1, -2).copy()),
                 {"upper": True}, name="upper")
    yield Sample((mat(rng, (2, 3, 2), dtype), _lower_factor(rng, (3, 3), dtype)), name="batched b")


def _cholesky_inverse(rng, dtype):
    yield Sample((_lower_factor(rng, (3, 3), dtype),), name="lower")
    yield Sample((np.swapaxes(_lower_factor(rng, (3, 3), dtype), -1, -2).copy(),), {"upper": True}, name="upper")
    yield Sample((_lower_factor(rng, (2, 2, 2), dtype),), name="batched")


# -- decompositions -------------------------------------------------------------------------------------------------

def _rect(rng, dtype):
    yield Sample((mat(rng, (4, 3), dtype),), name="tall")
    yield Sample((mat(rng, (2, 4), dtype),), name="wide")
    yield Sample((T(mat(rng, (3, 3), dtype, shift=0.0) + np.diag([3.0, 2.0, 1.0]).astype(dtype)),), name="T square")
    yield Sample((mat(rng, (2, 3, 2), dtype),), name="batched")


def _svd_op(full):
    def op(lib, a):
        u, s, vh = lib.linalg.svd(a, full_matrices=full)
        k = s.shape[-1]
        return u[..., :k] * u[..., :k], s, vh[..., :k, :] * vh[..., :k, :]
    return op


def _torch_svd_op(lib, a, some=True):
    u, s, v = lib.svd(a, some=some)
    k = s.shape[-1]
    return u[..., :k] * u[..., :k], s, v[..., :k] * v[..., :k]


def _svd_errors(rng, dtype):
    yield Sample((mat(rng, (3,), dtype),), name="1-D")
    yield Sample((np.array([[1, 2], [3, 4]]),), name="int64")


def _qr_samples(rng, dtype):
    yield from _rect(rng, dtype)


def _qr_op(mode):
    return lambda lib, a: lib.linalg.qr(a, mode=mode)


def _qr_errors(rng, dtype):
    yield Sample((mat(rng, (3,), dtype),), name="1-D")
    yield Sample((mat(rng, (3, 2), dtype),), {"mode": "foo"}, name="mode")


def _qr_r_samples(rng, dtype):
    yield Sample((mat(rng, (4, 3), dtype),), name="tall")


def _eigh_op(lib, a, **kw):
    w, v = lib.linalg.eigh(sym(a), **kw)
    return w, v * v


def _eigh_samples(rng, dtype):
    yield Sample((mat(rng, (3, 3), dtype, shift=0.0),), name="3x3")
    yield Sample((T(mat(rng, (3, 3), dtype, shift=0.0)),), {"UPLO": "U"}, name="T, upper")
    yield Sample((mat(rng, (2, 2, 2), dtype, shift=0.0),), name="batched")


def _eigh_errors(rng, dtype):
    yield Sample((mat(rng, (2, 3), dtype),), name="not square")
    yield Sample((np.eye(2, dtype=dtype),), {"UPLO": "X"}, name="UPLO")


def _eigvals_op(lib, a):
    w = lib.linalg.eigvals(a)
    return w.sum(), (w * w).sum(), w.prod()  # symmetric functions: free of the eigenvalues' order


def _eig_op(lib, a):
    w, v = lib.linalg.eig(a)
    return (w * w).sum(), w.prod(), (v * v.conj()).real.sum()


def _pinv_samples(rng, dtype):
    yield Sample((mat(rng, (4, 3), dtype),), name="tall")
    yield Sample((mat(rng, (2, 4), dtype),), name="wide")
    yield Sample((T(mat(rng, (3, 3), dtype)),), name="T square")
    yield Sample((mat(rng, (2, 3, 2), dtype),), name="batched")
    yield Sample((mat(rng, (3, 3), dtype),), {"hermitian": True}, name="hermitian")
    yield Sample((np.array([[1.0, 2.0], [2.0, 4.0]], dtype),), name="rank 1", forward_only=True)
    yield Sample((mat(rng, (3, 3), dtype),), {"rtol": 0.5}, name="rtol", forward_only=True)


def _pinv_op(lib, a, hermitian=False, **kw):
    return lib.linalg.pinv(sym(a) if hermitian else a, hermitian=hermitian, **kw)


def _lstsq_op(driver):
    """solution, residuals, rank (the singular values, which PyTorch does not differentiate, have their own entry)"""
    return lambda lib, a, b: lib.linalg.lstsq(a, b, driver=driver)[:3]


def _lstsq_samples(rng, dtype):
    yield Sample((mat(rng, (4, 3), dtype), mat(rng, (4, 2), dtype)), name="tall")
    yield Sample((mat(rng, (3, 3), dtype), mat(rng, (3,), dtype)), name="square, vector")
    yield Sample((mat(rng, (2, 4, 2), dtype), mat(rng, (2, 4, 1), dtype)), name="batched")
    yield Sample((T(mat(rng, (4, 3), dtype)), mat(rng, (4, 2), dtype)), name="T")


def _lstsq_errors(rng, dtype):
    yield Sample((mat(rng, (2, 3), dtype), mat(rng, (3, 2), dtype)), name="shapes")


def _matrix_exp(rng, dtype):
    yield Sample((mat(rng, (3, 3), dtype, shift=0.0),), name="3x3")
    yield Sample((T(mat(rng, (2, 2), dtype, shift=0.0)) ,), name="T")
    yield Sample((mat(rng, (2, 2, 2), dtype, shift=0.0),), name="batched")
    yield Sample((4 * mat(rng, (3, 3), dtype, shift=0.0),), name="large norm (squared)")


def _cond_samples(p):
    def gen(rng, dtype):
        yield Sample((mat(rng, (3, 3), dtype),), {"p": p}, name="3x3")
        yield Sample((mat(rng, (2, 2, 2), dtype),), {"p": p}, name="batched")
        if p in (None, 2, -2):
            yield Sample((mat(rng, (4, 2), dtype),), {"p": p}, name="tall")
    return gen


def _tensorinv(rng, dtype):
    yield Sample((mat(rng, (4, 4), dtype).reshape(4, 2, 2),), {"ind": 1}, name="ind=1")
    yield Sample((mat(rng, (4, 4), dtype).reshape(2, 2, 4),), {"ind": 2}, name="ind=2")


def _tensorinv_errors(rng, dtype):
    yield Sample((mat(rng, (4, 2, 3), dtype),), {"ind": 1}, name="shapes")
    yield Sample((mat(rng, (2, 2), dtype),), {"ind": 0}, name="ind=0")


def _tensorsolve(rng, dtype):
    yield Sample((mat(rng, (6, 6), dtype).reshape(2, 3, 6), mat(rng, (2, 3), dtype)), name="(2,3,6)")
    yield Sample((mat(rng, (6, 6), dtype).T.reshape(6, 2, 3).copy(), mat(rng, (2, 3), dtype)), {"dims": (0,)},
                 name="dims")


# -- norms ----------------------------------------------------------------------------------------------------------

def _matrix_norm_samples(ords):
    def gen(rng, dtype):
        for o in ords:
            yield Sample((mat(rng, (3, 4), dtype, shift=0.0),), {"ord": o}, name=f"ord={o}")
        o = ords[0]
        yield Sample((T(mat(rng, (3, 3), dtype, shift=0.0)),), {"ord": o, "keepdim": True}, name=f"T, keepdim, {o}")
        yield Sample((mat(rng, (2, 3, 2), dtype, shift=0.0),), {"ord": ords[-1], "dim": (0, 2)}, name="dims (0, 2)")
    return gen


def _matrix_norm_errors(rng, dtype):
    yield Sample((mat(rng, (3,), dtype),), name="1-D")
    yield Sample((mat(rng, (3, 3), dtype),), {"ord": 3}, name="ord 3")
    yield Sample((np.array([[1, 2], [3, 4]]),), name="int64")


def _norm_samples(rng, dtype):
    yield Sample((mat(rng, (3, 4), dtype, shift=0.0),), name="default")
    yield Sample((mat(rng, (3, 4), dtype, shift=0.0),), {"ord": 2}, name="matrix 2")
    yield Sample((mat(rng, (3, 4), dtype, shift=0.0),), {"ord": "nuc"}, name="nuc")
    yield Sample((mat(rng, (3, 4), dtype, shift=0.0),), {"ord": -1}, name="matrix -1")
    yield Sample((mat(rng, (5,), dtype, shift=0.0),), {"ord": 3}, name="vector 3")
    yield Sample((mat(rng, (2, 3, 4), dtype, shift=0.0),), {"ord": np.inf, "dim": 1}, name="vector inf dim 1")
    yield Sample((mat(rng, (2, 3, 4), dtype, shift=0.0),), {"dim": (0, 2), "keepdim": True}, name="fro dims keepdim")
    yield Sample((mat(rng, (2, 3, 4), dtype, shift=0.0),), {"ord": "fro", "dim": (2, 1)}, name="fro dims")


def _norm_errors(rng, dtype):
    yield Sample((mat(rng, (3,), dtype),), {"ord": "fro"}, name="fro of a vector")
    yield Sample((mat(rng, (3, 3, 3), dtype),), {"dim": (0, 1, 2)}, name="three dims")


def _vector_norm_samples(rng, dtype):
    for o in (2, 1, 3.5, np.inf, -np.inf, 0.5):
        yield Sample((mat(rng, (3, 4), dtype, shift=0.0),), {"ord": o}, name=f"ord={o}")
    yield Sample((mat(rng, (2, 3, 4), dtype, shift=0.0),), {"ord": 2, "dim": (0, 2), "keepdim": True}, name="dims")
    yield Sample((T(mat(rng, (3, 2), dtype, shift=0.0)),), {"dim": -1}, name="T")


# -- distances ------------------------------------------------------------------------------------------------------

def _pdist(rng, dtype):
    for p in (2.0, 1.0, 3.0, np.inf, 0.5):
        yield Sample((mat(rng, (4, 3), dtype, shift=0.0),), {"p": p}, name=f"p={p}")
    yield Sample((T(mat(rng, (2, 3), dtype, shift=0.0)),), name="T")
    yield Sample((np.zeros((1, 3), dtype),), name="one row", forward_only=True)
    yield Sample((mat(rng, (3, 2), dtype), ), {"p": 0.0}, name="p=0", forward_only=True)


def _pdist_errors(rng, dtype):
    yield Sample((mat(rng, (3,), dtype),), name="1-D")
    yield Sample((mat(rng, (3, 2), dtype),), {"p": -1.0}, name="p<0")
    yield Sample((np.ones((3, 2), dtype=np.int64),), name="int64")


def _cdist(rng, dtype):
    for p in (2.0, 1.0, 3.0, np.inf):
        yield Sample((mat(rng, (4, 3), dtype, shift=0.0), mat(rng, (2, 3), dtype, shift=0.0)), {"p": p},
                     name=f"p={p}")
    yield Sample((mat(rng, (2, 3, 2), dtype, shift=0.0), mat(rng, (1, 4, 2), dtype, shift=0.0)), name="batched")
    yield Sample((T(mat(rng, (3, 2), dtype, shift=0.0)), mat(rng, (2, 2), dtype, shift=0.0)), name="T")


def _cdist_mm(rng, dtype):
    yield Sample((mat(rng, (27, 3), dtype, shift=0.0), mat(rng, (2, 3), dtype, shift=0.0)), name="27 rows")
    yield Sample((mat(rng, (3, 2), dtype, shift=0.0), mat(rng, (4, 2), dtype, shift=0.0)),
                 {"compute_mode": "use_mm_for_euclid_dist"}, name="use_mm")


def _cdist_errors(rng, dtype):
    yield Sample((mat(rng, (3, 2), dtype), mat(rng, (3, 3), dtype)), name="columns")
    yield Sample((mat(rng, (3,), dtype), mat(rng, (3,), dtype)), name="1-D")
    yield Sample((mat(rng, (3, 2), dtype), mat(rng, (3, 2), dtype)), {"p": -1.0}, name="p<0")
    yield Sample((mat(rng, (2, 5, 3), dtype), mat(rng, (3, 4, 3), dtype)), name="batches")
    yield Sample((np.ones((3, 2), dtype=np.int64), np.ones((3, 2), dtype=np.int64)), name="int64")


def _dist(rng, dtype):
    for p in (2, 1, 3.5, np.inf):
        yield Sample((mat(rng, (2, 3), dtype, shift=0.0), mat(rng, (2, 3), dtype, shift=0.0)), {"p": p}, name=f"p={p}")
    yield Sample((mat(rng, (2, 3), dtype, shift=0.0), mat(rng, (2, 3), dtype, shift=0.0)), {"p": 0}, name="p=0",
                 forward_only=True)  # PyTorch's backward of p = 0 raises (an undefined gradient)
    yield Sample((mat(rng, (2, 3), dtype, shift=0.0), mat(rng, (3,), dtype, shift=0.0)), name="broadcast")
    yield Sample((T(mat(rng, (3, 2), dtype, shift=0.0)), mat(rng, (2,), dtype, shift=0.0)), {"p": 1}, name="T")


def _dist_errors(rng, dtype):
    yield Sample((mat(rng, (3,), dtype), mat(rng, (4,), dtype)), name="shapes")
    yield Sample(ints((3,), (3,)), name="int64")


def _cosine(rng, dtype):
    yield Sample((mat(rng, (3, 4), dtype, shift=0.0), mat(rng, (3, 4), dtype, shift=0.0)), name="dim=1")
    yield Sample((mat(rng, (3, 4), dtype, shift=0.0), mat(rng, (4,), dtype, shift=0.0)), {"dim": -1},
                 name="broadcast, dim=-1")
    yield Sample((T(mat(rng, (3, 4), dtype, shift=0.0)), mat(rng, (3, 4), dtype, shift=0.0)), {"dim": 0}, name="T")


def _cosine_errors(rng, dtype):
    yield Sample((mat(rng, (3, 2), dtype), mat(rng, (4, 2), dtype)), name="shapes")
    yield Sample(ints((3,), (3,)), {"dim": 0}, name="int64")


def _pairwise(rng, dtype):
    yield Sample((mat(rng, (3, 4), dtype, shift=0.0), mat(rng, (3, 4), dtype, shift=0.0)), name="2-D")
    yield Sample((mat(rng, (3, 4), dtype, shift=0.0), mat(rng, (4,), dtype, shift=0.0)), {"p": 1.0, "keepdim": True},
                 name="broadcast, p=1, keepdim")
    yield Sample((mat(rng, (5,), dtype, shift=0.0), mat(rng, (5,), dtype, shift=0.0)), {"p": 3.0}, name="1-D")


def _cross(rng, dtype):
    yield Sample((mat(rng, (2, 3), dtype), mat(rng, (2, 3), dtype)), name="(2,3)")
    yield Sample((mat(rng, (3, 2), dtype), mat(rng, (3, 2), dtype)), {"dim": 0}, name="dim=0")
    yield Sample((mat(rng, (1, 3), dtype), mat(rng, (4, 3), dtype)), name="broadcast")
    yield Sample((T(mat(rng, (2, 3), dtype)), mat(rng, (2, 3), dtype)), name="T")
    yield Sample(ints((2, 3), (2, 3)), name="int64", forward_only=True)


def _cross_errors(rng, dtype):
    yield Sample((mat(rng, (2, 4), dtype), mat(rng, (2, 4), dtype)), name="size 4")
    yield Sample((mat(rng, (3, 2), dtype), mat(rng, (3, 2), dtype)), name="dim -1 of size 2")
    yield Sample((mat(rng, (2, 3), dtype), mat(rng, (4, 3), dtype)), name="shapes")


def _torch_cross(rng, dtype):
    yield Sample((mat(rng, (3, 2), dtype), mat(rng, (3, 2), dtype)), name="first dim of size 3")
    yield Sample((mat(rng, (2, 3), dtype), mat(rng, (2, 3), dtype)), {"dim": 1}, name="dim=1")
    yield Sample((mat(rng, (1, 3), dtype), mat(rng, (4, 3), dtype)), {"dim": -1}, name="broadcast")


def _vander(rng, dtype):
    yield Sample((mat(rng, (4,), dtype, shift=0.0),), name="default")
    yield Sample((mat(rng, (3,), dtype, shift=0.0),), {"N": 5, "increasing": True}, name="N=5 increasing")
    yield Sample((mat(rng, (3,), dtype, shift=0.0),), {"N": 1}, name="N=1")
    yield Sample((np.array([1, 2, 3]),), name="int64", forward_only=True)
    yield Sample((mat(rng, (3,), dtype),), {"N": 0}, name="N=0", forward_only=True)


def _vander_errors(rng, dtype):
    yield Sample((mat(rng, (2, 2), dtype),), name="2-D")
    yield Sample((mat(rng, (2,), dtype),), {"N": -1}, name="N<0")


def _linalg_vander(rng, dtype):
    yield Sample((mat(rng, (4,), dtype, shift=0.0),), name="1-D")
    yield Sample((mat(rng, (2, 3), dtype, shift=0.0),), {"N": 4}, name="2-D, N=4")
    yield Sample((np.array([1, 2, 3]),), name="int64", forward_only=True)


def _linalg_vander_errors(rng, dtype):
    yield Sample((mat(rng, (), dtype),), name="0-d")
    yield Sample((mat(rng, (3,), dtype),), {"N": 1}, name="N=1")


def _diagonal(rng, dtype):
    yield Sample((mat(rng, (3, 4), dtype),), name="default")
    yield Sample((mat(rng, (2, 3, 3), dtype),), {"offset": 1}, name="offset")
    yield Sample((mat(rng, (2, 3, 4), dtype),), {"dim1": 0, "dim2": 2}, name="dims")


def _matrix_rank(rng, dtype):
    yield Sample((mat(rng, (3, 3), dtype),), name="full")
    yield Sample((np.array([[1.0, 2.0], [2.0, 4.0]], dtype),), name="rank 1")
    yield Sample((mat(rng, (2, 4, 3), dtype),), name="batched")
    yield Sample((mat(rng, (3, 3), dtype),), {"hermitian": True}, name="hermitian")
    yield Sample((np.diag([1.0, 1e-3, 1e-9]).astype(dtype),), {"atol": 1e-4}, name="atol")


FWD_ONLY = dict(grad=False)
LSTSQ = dict(DECOMP, dtypes=(np.float64,))  # PyTorch's float32 gelsy (MKL) is not bit-reproducible between runs
NO_FORWARD_RULE = "PyTorch has no forward-mode rule (it raises at the op; the forward_ad check compares the error), " \
                  "so there is no tangent to tie to the backward"
SAFETY_NET = "core limitation: inside a dual level ember's safety net refuses a float output without a tangent, " \
             "and torch.svd(compute_uv=False)'s zero U and V are constants without one"
TORCH_CHOLESKY_INVERSE_JVP = "PyTorch's forward-mode rule for cholesky_inverse disagrees with finite differences " \
                             "(off by ~1e-2 on a 3x3 factor); ember's tangent agrees with them, and the jvp_vjp " \
                             "check ties it to the backward, which agrees with PyTorch's"
SCAN_FWD = "scan family defect: cumprod has no forward-mode rule (CumprodBackward0 raises PyTorch's 'not " \
           "implemented' error in forward mode)"
COSINE_CLAMP = "PyTorch clamps the norms at eps outside the graph, so below eps its gradient is not the derivative " \
               "of the value; ember does the same (the backward check compares with PyTorch's gradient)"
SUM_TO_SCALAR = "core defect (kernels.sum_to, not this family): a gradient summed back to shape () is a NumPy " \
                "scalar, not a 0-d array, so its .numpy() is no array; the values are checked by gradcheck"
SINGULAR_DET = "PyTorch's first-order rule for an exactly singular matrix gives 0 (and a zero tangent); its " \
               "create_graph rule, and ember's, give the cofactor matrix (the derivative: gradcheck and gradgradcheck " \
               "confirm ember's)"
TORCH_SOLVE_TRIANGULAR_JVP = "PyTorch's forward-mode rule for the deprecated triangular_solve uses all of A's " \
                             "tangent (not the triangle the op reads) and, with transpose=True, not its transpose; " \
                             "ember's tangent is the derivative of what the op computes (the jvp_vjp check ties it " \
                             "to the backward, which agrees with PyTorch's)"
TORCH_INPLACE_BUG = "PyTorch's own backward fails here (it modifies a saved tensor in place: 'one of the variables " \
                    "needed for gradient computation has been modified'); ember's gradient is checked by gradcheck, " \
                    "gradgradcheck and forward mode instead"


ENTRIES = [
    # products
    OpInfo("mm", lambda lib, a, b: lib.mm(a, b), _mm, covers=covers("mm"), errors=_mm_errors, exact=False),
    OpInfo("matmul", lambda lib, a, b: lib.matmul(a, b), _matmul, covers=covers("matmul", linalg=True),
           errors=_matmul_errors),
    OpInfo("operator @", lambda lib, a, b: a @ b, _matmul, covers=()),
    OpInfo("addmm", lambda lib, c, a, b, **k: lib.addmm(c, a, b, **k), _addmm(False),
           covers=covers("addmm", inplace=True), inplace="addmm_", errors=_addmm_errors),
    OpInfo("addmm(broadcast self)", lambda lib, c, a, b, **k: lib.addmm(c, a, b, **k), _addmm(True), covers=()),
    OpInfo("mv", lambda lib, a, v: lib.mv(a, v), _mv, covers=covers("mv"), errors=_mv_errors),
    OpInfo("addmv", lambda lib, c, a, v, **k: lib.addmv(c, a, v, **k), _addmv(False),
           covers=covers("addmv", inplace=True), inplace="addmv_", errors=_addmv_errors),
    OpInfo("addmv(broadcast self)", lambda lib, c, a, v, **k: lib.addmv(c, a, v, **k), _addmv(True), covers=()),
    OpInfo("addmv(0-d self)", lambda lib, c, a, v, **k: lib.addmv(c, a, v, **k),
           lambda rng, dtype: [Sample((mat(rng, (), dtype), mat(rng, (2, 3), dtype), mat(rng, (3,), dtype)),
                                      name="0-d")], covers=(), skip={"backward": SUM_TO_SCALAR}),
    OpInfo("dot", lambda lib, u, v: lib.dot(u, v), _vectors, covers=covers("dot"), errors=_dot_errors),
    OpInfo("vdot", lambda lib, u, v: lib.vdot(u, v), _vectors, covers=covers("vdot"), errors=_dot_errors),
    OpInfo("inner", lambda lib, a, b: lib.inner(a, b), _inner, covers=covers("inner")),
    OpInfo("inner(0-d)", lambda lib, a, b: lib.inner(a, b),
           lambda rng, dtype: [Sample((mat(rng, (), dtype), mat(rng, (2, 3), dtype)), name="0-d")], covers=(),
           skip={"backward": SUM_TO_SCALAR}),
    OpInfo("outer", lambda lib, u, v: lib.outer(u, v), _outer, covers=covers("outer") + covers("ger")),
    OpInfo("bmm", lambda lib, a, b: lib.bmm(a, b), _bmm, covers=covers("bmm"), errors=_bmm_errors),
    OpInfo("baddbmm", lambda lib, c, a, b, **k: lib.baddbmm(c, a, b, **k), _baddbmm(False),
           covers=covers("baddbmm", inplace=True), inplace="baddbmm_", errors=_baddbmm_errors),
    OpInfo("baddbmm(broadcast self)", lambda lib, c, a, b, **k: lib.baddbmm(c, a, b, **k), _baddbmm(True), covers=()),
    OpInfo("addbmm", lambda lib, c, a, b, **k: lib.addbmm(c, a, b, **k), _addbmm(False),
           covers=covers("addbmm", inplace=True), inplace="addbmm_", errors=_addbmm_errors),
    OpInfo("addbmm(broadcast self)", lambda lib, c, a, b, **k: lib.addbmm(c, a, b, **k), _addbmm(True), covers=()),
    OpInfo("addr", lambda lib, c, u, v, **k: lib.addr(c, u, v, **k), _addr(False),
           covers=covers("addr", inplace=True), inplace="addr_", errors=_addr_errors),
    OpInfo("addr(broadcast self)", lambda lib, c, u, v, **k: lib.addr(c, u, v, **k), _addr(True), covers=()),
    OpInfo("trace", lambda lib, a: lib.trace(a), _trace, covers=covers("trace"), errors=_trace_errors),
    OpInfo("tensordot", lambda lib, a, b, **k: lib.tensordot(a, b, **k), _tensordot, covers=covers("tensordot",
                                                                                                    method=False),
           errors=_tensordot_errors),
    OpInfo("kron", lambda lib, a, b: lib.kron(a, b), _kron, covers=covers("kron")),
    OpInfo("matrix_power", lambda lib, a, n: lib.linalg.matrix_power(a, n), _matrix_power,
           covers=covers("matrix_power", linalg=True), errors=_matrix_power_errors),
    OpInfo("multi_dot", lambda lib, *ts: lib.linalg.multi_dot(ts), _multi_dot, covers=("linalg.multi_dot",),
           errors=_multi_dot_errors),
    OpInfo("chain_matmul", lambda lib, *ts: lib.chain_matmul(*ts),
           lambda rng, dtype: [s for s in _multi_dot(rng, dtype) if "vector" not in s.name],
           covers=("chain_matmul",)),
    OpInfo("vecdot", lambda lib, x, y, **k: lib.linalg.vecdot(x, y, **k), _vecdot, covers=("linalg.vecdot",),
           errors=_vecdot_errors),
    # inverses, determinants, solvers
    OpInfo("linalg.inv", lambda lib, a: lib.linalg.inv(a), _square, covers=("linalg.inv",), errors=_singular_errors,
           **DECOMP),
    OpInfo("inverse", lambda lib, a: lib.inverse(a), _square, covers=covers("inverse"), errors=_singular_errors,
           **DECOMP),
    OpInfo("linalg.inv_ex", lambda lib, a: lib.linalg.inv_ex(a), _inv_ex, covers=("linalg.inv_ex",), **DECOMP),
    OpInfo("linalg.inv_ex(check_errors)", lambda lib, a: lib.linalg.inv_ex(a, check_errors=True), _square,
           covers=(), errors=lambda rng, dtype: [Sample((SINGULAR.astype(dtype),), name="singular")], **DECOMP),
    OpInfo("linalg.det", lambda lib, a: lib.linalg.det(a), _det, covers=("linalg.det",), errors=_square_errors,
           **DECOMP),
    OpInfo("det", lambda lib, a: lib.det(a), _square, covers=covers("det"), **DECOMP),
    OpInfo("linalg.det(singular)", lambda lib, a: lib.linalg.det(a),
           lambda rng, dtype: [Sample((np.array([[1.0, 2.0], [0.5, 1.0]], dtype),), name="rank 1"),
                               Sample((np.array([[1.0, 2, 3], [4, 5, 6], [5, 7, 9]], dtype),), name="rank 2")],
           covers=(), **DECOMP, skip={c: SINGULAR_DET for c in ("backward", "forward_ad")}),
    OpInfo("linalg.slogdet", lambda lib, a: lib.linalg.slogdet(a), _det, covers=("linalg.slogdet",),
           errors=_square_errors, **DECOMP),
    OpInfo("slogdet", lambda lib, a: lib.slogdet(a), _square, covers=covers("slogdet"), **DECOMP),
    OpInfo("logdet", lambda lib, a: lib.logdet(a), _logdet, covers=covers("logdet"),
           errors=lambda rng, dtype: [Sample((mat(rng, (2, 3), dtype),), name="not square")], **DECOMP),
    OpInfo("linalg.solve", lambda lib, a, b, **k: lib.linalg.solve(a, b, **k), _solve, covers=("linalg.solve",),
           errors=_solve_errors, **DECOMP),
    OpInfo("linalg.solve_triangular", lambda lib, a, b, **k: lib.linalg.solve_triangular(a, b, **k),
           _solve_triangular, covers=("linalg.solve_triangular",), errors=_solve_triangular_errors, **DECOMP),
    OpInfo("triangular_solve", lambda lib, b, a, **k: lib.triangular_solve(b, a, **k), _triangular_solve,
           covers=covers("triangular_solve"), skip={"forward_ad": TORCH_SOLVE_TRIANGULAR_JVP}, **DECOMP),
    OpInfo("linalg.cholesky", lambda lib, a, **k: lib.linalg.cholesky(spd_of(lib, a), **k), _cholesky,
           covers=("linalg.cholesky",), **DECOMP),
    OpInfo("linalg.cholesky(errors)", lambda lib, a: lib.linalg.cholesky(a), lambda rng, dtype: [], covers=(),
           errors=_cholesky_errors()),
    OpInfo("cholesky", lambda lib, a, **k: lib.cholesky(spd_of(lib, a), **k), _cholesky,
           covers=covers("cholesky"), **DECOMP, skip={c: NO_FORWARD_RULE for c in ("jvp_vjp", "forward_over_reverse")}),
    OpInfo("cholesky(errors)", lambda lib, a: lib.cholesky(a), lambda rng, dtype: [], covers=(),
           errors=_cholesky_errors()),
    OpInfo("linalg.cholesky_ex", lambda lib, a, **k: lib.linalg.cholesky_ex(spd_of(lib, a), **k), _cholesky_ex,
           covers=("linalg.cholesky_ex",), **DECOMP),
    OpInfo("linalg.cholesky_ex(info)", lambda lib, a: lib.linalg.cholesky_ex(a), _cholesky_ex_info, covers=(),
           errors=lambda rng, dtype: [Sample((np.diag([1.0, -1.0]).astype(dtype),), {"check_errors": True},
                                             name="check_errors")]),
    OpInfo("cholesky_solve", lambda lib, b, u, upper=False: lib.cholesky_solve(b, _mask(lib, u, upper), upper),
           _cholesky_solve, covers=covers("cholesky_solve"), **DECOMP),
    OpInfo("cholesky_inverse", lambda lib, u, upper=False: lib.cholesky_inverse(_mask(lib, u, upper), upper),
           _cholesky_inverse, covers=covers("cholesky_inverse"), **DECOMP,
           skip={"forward_ad": TORCH_CHOLESKY_INVERSE_JVP}),
    # decompositions
    OpInfo("linalg.svd", _svd_op(False), _rect, covers=("linalg.svd",), errors=_svd_errors, **DECOMP),
    OpInfo("linalg.svd(full_matrices)", _svd_op(True), _rect, covers=(), **DECOMP),
    OpInfo("svd", _torch_svd_op, _rect, covers=covers("svd"), **DECOMP),
    OpInfo("svd(compute_uv=False)", lambda lib, a: lib.svd(a, compute_uv=False), _rect, covers=(), **DECOMP,
           skip={c: SAFETY_NET for c in ("forward_ad", "jvp_vjp", "forward_over_reverse")}),
    OpInfo("linalg.svdvals", lambda lib, a: lib.linalg.svdvals(a), _rect, covers=("linalg.svdvals",), **DECOMP),
    OpInfo("linalg.qr", _qr_op("reduced"), _qr_samples, covers=("linalg.qr",), errors=_qr_errors, **DECOMP),
    OpInfo("linalg.qr(complete)", _qr_op("complete"),
           lambda rng, dtype: [s for s in _qr_samples(rng, dtype) if s.name in ("wide", "T square")], covers=(),
           **DECOMP),
    OpInfo("linalg.qr(complete, tall)", _qr_op("complete"), _qr_r_samples, covers=(), **DECOMP,
           skip={c: "PyTorch does not differentiate mode='complete' with more rows than columns: the backward "
                    "and forward_ad checks compare the error" for c in ("gradcheck", "gradgradcheck", "jvp_vjp",
                                                               "forward_over_reverse")}),
    OpInfo("linalg.qr(r)", _qr_op("r"), _qr_r_samples, covers=(), **DECOMP,
           skip={c: "PyTorch does not differentiate mode='r': the backward and forward_ad checks compare the error"
                 for c in ("gradcheck", "gradgradcheck", "jvp_vjp", "forward_over_reverse")}),
    OpInfo("qr", lambda lib, a, some=True: lib.qr(a, some), _qr_samples, covers=covers("qr"), **DECOMP),
    OpInfo("linalg.eigh", _eigh_op, _eigh_samples, covers=("linalg.eigh",), errors=_eigh_errors, **DECOMP),
    OpInfo("linalg.eigvalsh", lambda lib, a, **k: lib.linalg.eigvalsh(sym(a), **k), _eigh_samples,
           covers=("linalg.eigvalsh",), **DECOMP),
    OpInfo("linalg.eigvals", _eigvals_op, lambda rng, dtype: [Sample((mat(rng, (3, 3), dtype, shift=0.0),),
                                                                     name="3x3")],
           covers=("linalg.eigvals",), **DECOMP,
           skip={c: EIG_SECOND for c in ("gradgradcheck", "forward_over_reverse")}),
    OpInfo("linalg.eig", _eig_op, lambda rng, dtype: [Sample((mat(rng, (3, 3), dtype, shift=0.0),), name="3x3")],
           covers=("linalg.eig",), **DECOMP,
           errors=lambda rng, dtype: [Sample((mat(rng, (2, 3), dtype),), name="not square")],
           skip={c: EIG_SECOND for c in ("gradgradcheck", "forward_over_reverse")}),
    OpInfo("linalg.pinv", _pinv_op, _pinv_samples, covers=("linalg.pinv",), **DECOMP,
           errors=lambda rng, dtype: [Sample((mat(rng, (3,), dtype),), name="1-D")]),
    OpInfo("pinverse", lambda lib, a, **k: lib.pinverse(a, **k),
           lambda rng, dtype: [s for s in _pinv_samples(rng, dtype) if not s.kwargs and s.name != "rank 1"],
           covers=covers("pinverse"),
           **DECOMP),
    OpInfo("linalg.lstsq", _lstsq_op(None), _lstsq_samples, covers=("linalg.lstsq",), errors=_lstsq_errors, **LSTSQ),
    OpInfo("linalg.lstsq(gelsd)", _lstsq_op("gelsd"), _lstsq_samples, covers=(), **LSTSQ),
    OpInfo("linalg.lstsq(gels)", _lstsq_op("gels"), _lstsq_samples, covers=(), **LSTSQ),
    OpInfo("linalg.lstsq(singular values)", lambda lib, a, b: lib.linalg.lstsq(a, b, driver="gelsd"), _lstsq_samples,
           covers=(), **FWD_ONLY, **LSTSQ),
    OpInfo("lstsq(removed)", lambda lib, a, b: lib.lstsq(a, b), lambda rng, dtype: [], covers=("lstsq",),
           errors=lambda rng, dtype: [Sample((mat(rng, (3, 3), dtype), mat(rng, (3, 2), dtype)), name="any call")]),
    OpInfo("Tensor.lstsq(removed)", lambda lib, a, b: a.lstsq(b), lambda rng, dtype: [], covers=("Tensor.lstsq",),
           errors=lambda rng, dtype: [Sample((mat(rng, (3, 3), dtype), mat(rng, (3, 2), dtype)), name="any call")]),
    OpInfo("linalg.matrix_exp", lambda lib, a: lib.linalg.matrix_exp(a), _matrix_exp,
           covers=("linalg.matrix_exp", "matrix_exp", "Tensor.matrix_exp"), **DECOMP,
           errors=_square_errors),
    OpInfo("linalg.cond", lambda lib, a, p: lib.linalg.cond(a, p), _cond_samples(None), covers=("linalg.cond",),
           **DECOMP),
    OpInfo("linalg.cond(-2)", lambda lib, a, p: lib.linalg.cond(a, p), _cond_samples(-2), covers=(), **DECOMP),
    OpInfo("linalg.cond(fro)", lambda lib, a, p: lib.linalg.cond(a, p), _cond_samples("fro"), covers=(), **DECOMP,
           skip={"backward": TORCH_INPLACE_BUG, **{c: REDUCE_FWD for c in ("forward_ad", "jvp_vjp",
                                                                           "forward_over_reverse")}}),
    OpInfo("linalg.cond(1)", lambda lib, a, p: lib.linalg.cond(a, p), _cond_samples(1), covers=(), **DECOMP,
           skip={"backward": TORCH_INPLACE_BUG, "forward_ad": REDUCE_FWD, "jvp_vjp": REDUCE_FWD,
                 "forward_over_reverse": REDUCE_FWD}),
    OpInfo("linalg.tensorinv", lambda lib, a, **k: lib.linalg.tensorinv(a, **k), _tensorinv,
           covers=("linalg.tensorinv",), errors=_tensorinv_errors, **DECOMP),
    OpInfo("linalg.tensorsolve", lambda lib, a, b, **k: lib.linalg.tensorsolve(a, b, **k), _tensorsolve,
           covers=("linalg.tensorsolve",), **DECOMP),
    OpInfo("linalg.matrix_rank", lambda lib, a, **k: lib.linalg.matrix_rank(a, **k), _matrix_rank,
           covers=("linalg.matrix_rank",), **FWD_ONLY),
    # norms
    OpInfo("linalg.matrix_norm", lambda lib, a, **k: lib.linalg.matrix_norm(a, **k),
           _matrix_norm_samples(("fro", "nuc", 2, -2)), covers=("linalg.matrix_norm",), errors=_matrix_norm_errors,
           **DECOMP, skip={c: REDUCE_FWD for c in ("forward_ad", "jvp_vjp", "forward_over_reverse")}),
    OpInfo("linalg.matrix_norm(1, inf)", lambda lib, a, **k: lib.linalg.matrix_norm(a, **k),
           _matrix_norm_samples((1, -1, np.inf, -np.inf)), covers=(), **DECOMP,
           skip={c: REDUCE_FWD for c in ("forward_ad", "jvp_vjp", "forward_over_reverse")}),
    OpInfo("linalg.norm", lambda lib, a, **k: lib.linalg.norm(a, **k), _norm_samples, covers=("linalg.norm",),
           errors=_norm_errors, **DECOMP, skip={c: REDUCE_FWD for c in ("forward_ad", "jvp_vjp",
                                                                        "forward_over_reverse")}),
    OpInfo("linalg.vector_norm", lambda lib, a, **k: lib.linalg.vector_norm(a, **k), _vector_norm_samples,
           covers=("linalg.vector_norm",), **DECOMP, skip={c: REDUCE_FWD for c in ("forward_ad", "jvp_vjp",
                                                                                   "forward_over_reverse")}),
    OpInfo("frobenius_norm", lambda lib, a, **k: lib.frobenius_norm(a, **k),
           lambda rng, dtype: [Sample((mat(rng, (3, 4), dtype),), {"dim": (0, 1)}, name="(0, 1)"),
                               Sample((mat(rng, (2, 3, 2), dtype),), {"dim": (-1,), "keepdim": True}, name="keepdim")],
           covers=("frobenius_norm",), **DECOMP,
           skip={"backward": NORM1, **{c: REDUCE_FWD for c in ("forward_ad", "jvp_vjp", "forward_over_reverse")}}),
    OpInfo("nuclear_norm", lambda lib, a, *d, **k: lib.nuclear_norm(a, *d, **k),
           lambda rng, dtype: [Sample((mat(rng, (3, 4), dtype),), name="2-D"),
                               Sample((mat(rng, (2, 3, 2), dtype), (0, 2)), name="dims")],
           covers=("nuclear_norm",), **DECOMP),
    # distances
    OpInfo("pdist", lambda lib, x, **k: lib.pdist(x, **k), _pdist, covers=("pdist", "nn.functional.pdist"),
           errors=_pdist_errors, gradgrad=False, **DECOMP, skip={"jvp_vjp": NO_FORWARD_RULE}),
    OpInfo("cdist", lambda lib, a, b, **k: lib.cdist(a, b, **k), _cdist, covers=("cdist",), errors=_cdist_errors,
           gradgrad=False, **DECOMP, skip={"jvp_vjp": NO_FORWARD_RULE}),
    OpInfo("cdist(matrix product)", lambda lib, a, b, **k: lib.cdist(a, b, **k), _cdist_mm, covers=(), **DECOMP,
           skip={c: NO_FORWARD_RULE for c in ("jvp_vjp", "forward_over_reverse")}),
    OpInfo("dist", lambda lib, a, b, **k: lib.dist(a, b, **k), _dist, covers=covers("dist"), errors=_dist_errors,
           **DECOMP),
    OpInfo("dist(0-d)", lambda lib, a, b, **k: lib.dist(a, b, **k),
           lambda rng, dtype: [Sample((mat(rng, (3, 2), dtype, shift=0.0), mat(rng, (), dtype, shift=0.0)), {"p": 1},
                                      name="0-d")], covers=(), skip={"backward": SUM_TO_SCALAR}, **DECOMP),
    OpInfo("cosine_similarity", lambda lib, a, b, **k: lib.cosine_similarity(a, b, **k), _cosine,
           covers=("cosine_similarity", "nn.functional.cosine_similarity"), errors=_cosine_errors, **DECOMP,
           skip={c: REDUCE_FWD for c in ("forward_ad", "jvp_vjp", "forward_over_reverse")}),
    OpInfo("cosine_similarity(below eps)", lambda lib, a, b, **k: lib.cosine_similarity(a, b, **k),
           lambda rng, dtype: [Sample((np.array([[1e-9, 0.0], [0.0, 0.0]], dtype),
                                       np.array([[100.0, 0.0], [1.0, 1.0]], dtype)), name="below eps")],
           covers=(), **DECOMP, skip={**{c: REDUCE_FWD for c in ("forward_ad", "jvp_vjp", "forward_over_reverse")},
                                      **{c: COSINE_CLAMP for c in ("gradcheck", "gradgradcheck")}}),
    OpInfo("pairwise_distance", lambda lib, a, b, **k: lib.pairwise_distance(a, b, **k), _pairwise,
           covers=("pairwise_distance", "nn.functional.pairwise_distance"), **DECOMP,
           skip={"backward": NORM1, **{c: REDUCE_FWD for c in ("forward_ad", "jvp_vjp", "forward_over_reverse")}}),
    # cross, vander, diagonal
    OpInfo("linalg.cross", lambda lib, a, b, **k: lib.linalg.cross(a, b, **k), _cross, covers=("linalg.cross",),
           errors=_cross_errors),
    OpInfo("cross", lambda lib, a, b, **k: lib.cross(a, b, **k), _torch_cross, covers=covers("cross"),
           errors=lambda rng, dtype: [Sample((mat(rng, (2, 4), dtype), mat(rng, (2, 4), dtype)), name="no size 3")]),
    OpInfo("vander", lambda lib, x, **k: lib.vander(x, **k), _vander, covers=("vander",), errors=_vander_errors,
           skip={"backward": TORCH_INPLACE_BUG, **{c: SCAN_FWD for c in ("forward_ad", "jvp_vjp",
                                                                         "forward_over_reverse")}}),
    OpInfo("linalg.vander", lambda lib, x, **k: lib.linalg.vander(x, **k), _linalg_vander, covers=("linalg.vander",),
           errors=_linalg_vander_errors, skip={c: SCAN_FWD for c in ("forward_ad", "jvp_vjp", "forward_over_reverse")}),
    OpInfo("linalg.diagonal", lambda lib, a, **k: lib.linalg.diagonal(a, **k), _diagonal,
           covers=("linalg.diagonal",)),
]
