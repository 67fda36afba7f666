"""Catalogue entries of ember.ops.reduce (see op_catalogue.py): one OpInfo per op, with the dims it is checked over.

A reduction is checked over all elements and over dims (one, negative, several, with and without keepdim), on 0-d,
transposed and strided inputs; for the forward only on special values, empty inputs and integers. Where an op is
not differentiable at some inputs (ties of a max, a constant slice of std, 0 for a norm), those inputs have an
entry of their own that compares the values and PyTorch's choice of gradient there, not finite differences."""

from __future__ import annotations

import numpy as np
from op_catalogue import Layout, OpInfo, Sample, layouts, uniform

SPECIAL = np.array([np.nan, np.inf, -np.inf, 0.0, -0.0, 1.5, -1.5])
NOT_SMOOTH = "not differentiable at these inputs (ties, zeros): PyTorch's choice of gradient there is compared by " \
             "the backward and forward_ad checks instead of finite differences"
SKIP_SMOOTH = {c: NOT_SMOOTH for c in ("gradcheck", "gradgradcheck", "forward_over_reverse")}
NAN_RULES = "at a NaN result PyTorch's forward rule gives NaN while its backward routes the gradient to the NaN (or " \
            "both are NaN): ⟨J v, u⟩ = ⟨v, Jᵀ u⟩ cannot hold; each side is compared with PyTorch's"
SKIP_TIES = dict(SKIP_SMOOTH, jvp_vjp=NAN_RULES)
FLIP_FOR = "shape family defect: flip, narrow and diagonal record their attributes after the node is made, so " \
           "forward mode through FlipBackward0, SliceScatterBackward0 and DiagonalScatterBackward0 (met when this " \
           "op's backward runs on dual tensors) raises"
CLAMP_DEFECT = "pointwise family defect: clamp records nothing for forward mode (ClampBackward1's jvp finds no " \
               "saved values), so a tangent through it raises; cov and corrcoef clamp as PyTorch's do"
CLAMP_FW = {"forward_ad": CLAMP_DEFECT, "jvp_vjp": CLAMP_DEFECT}


def _is_float(dtype):
    return np.dtype(dtype).kind == "f"


def reductions(dim_kws=({"dim": 1}, {"dim": -1, "keepdim": True}, {"dim": (0, 2)}, {"dim": (-1, 0), "keepdim": True}),
               lo=-2.0, hi=2.0, full=True, special=True, ints=True, empty=True, zero_d_dim=0, extra=None,
               full_shapes=((5,), (2, 3), ())):
    """Samples of a reduction ``op(x, **kw)``: over all elements of 0-d, vector and matrix inputs (transposed,
    strided) when ``full``, then over each of ``dim_kws`` on a (2, 3, 2) input and a transposed one; then, for
    the forward only, special values, an empty input and integers."""
    def gen(rng, dtype):
        x3 = uniform(rng, (2, 3, 2), dtype, lo, hi)
        if dim_kws:
            yield Sample((x3,), dict(dim_kws[0]), name=f"(2, 3, 2) {dim_kws[0]}")
        if full:
            for shape in full_shapes:
                for tag, x in layouts(uniform(rng, shape, dtype, lo, hi)):
                    yield Sample((x,), name=f"{shape}{tag}")
        for kw in dim_kws[1:]:
            yield Sample((x3,), dict(kw), name=f"(2, 3, 2) {kw}")
        if dim_kws:
            kw = dict(dim_kws[0])
            kw["dim"] = 0 if isinstance(kw["dim"], int) else (0,)
            yield Sample((Layout(uniform(rng, (4, 3), dtype, lo, hi), "T"),), kw, name=f"T {kw}")
            if zero_d_dim is not None:
                yield Sample((uniform(rng, (), dtype, lo, hi),), {**kw, "dim": zero_d_dim}, name="0-d dim")
        if extra is not None:
            yield from extra(rng, dtype)
        if not _is_float(dtype):
            return
        if special:
            yield Sample((SPECIAL.astype(dtype),), name="special", forward_only=True)
            if dim_kws:
                kw = dict(dim_kws[0])
                kw["dim"] = 1 if isinstance(kw["dim"], int) else (1,)
                yield Sample((np.stack([SPECIAL, SPECIAL[::-1]]).astype(dtype),), kw, name="special dim",
                             forward_only=True)
        if empty and dim_kws:
            kw = dict(dim_kws[0])
            kw["dim"] = 1 if isinstance(kw["dim"], int) else (1,)
            yield Sample((np.zeros((0, 3), dtype=dtype),), kw, name="empty", forward_only=True)
        if ints:
            yield Sample((uniform(rng, (2, 3), np.int64, -3, 3),), name="int64", forward_only=True)
    return gen


def _dim_error(rng, dtype):
    yield Sample((uniform(rng, (2, 3), dtype),), {"dim": 2}, name="dim out of range")


def _red(name, *, method=True, covers=None, **kw):
    """``lib.<name>(x, **kwargs)``: the function and the method"""
    if covers is None:
        covers = (name,) + ((f"Tensor.{name}",) if method else ())
    return OpInfo(name, lambda lib, x, **k: getattr(lib, name)(x, **k), kw.pop("samples", reductions()), covers=covers,
                  **kw)


# -- sum, mean, prod ------------------------------------------------------------------------------------------------

def _sum_extra(rng, dtype):
    if _is_float(dtype):
        yield Sample((uniform(rng, (2, 3), dtype),), {"dim": ()}, name="dim=()")
        yield Sample((np.array([[True, False, True]]),), {"dim": 1}, name="bool", forward_only=True)
        yield Sample((uniform(rng, (4,), np.int32, -3, 3),), name="int32", forward_only=True)


def _with_dtype(fn):
    """``dtype="float64"`` in a sample's kwargs becomes the library's dtype"""
    def op(lib, x, **k):
        if isinstance(k.get("dtype"), str):
            k["dtype"] = getattr(lib, k["dtype"])
        return fn(lib, x, **k)
    return op


def _sum_to_size_samples(rng, dtype):
    for shape, size in (((2, 3), (1, 3)), ((2, 3), (2, 1)), ((2, 3, 2), (3, 1)), ((2, 3), (2, 3)), ((4,), (1,))):
        yield Sample((uniform(rng, shape, dtype), size), name=f"{shape}->{size}")


def _mean_errors(rng, dtype):
    yield Sample((uniform(rng, (3,), np.int64, 0, 3),), name="int64")
    yield from _dim_error(rng, dtype)


def _prod_samples(rng, dtype):
    yield Sample((uniform(rng, (3, 4), dtype, 0.5, 1.5),), {"dim": 1}, name="dim 1")
    yield Sample((uniform(rng, (5,), dtype, 0.5, 1.5),), name="all")
    yield Sample((np.array([[1.5, 0.0, -2.0], [0.0, 0.5, 0.0]], dtype=dtype),), name="zeros all")
    yield Sample((np.array([[1.5, 0.0, -2.0], [0.0, 0.5, 0.0], [1.0, 2.0, 0.5]], dtype=dtype),), {"dim": 1},
                 name="zeros dim")
    yield Sample((np.array([[1.5, 0.0, -2.0], [0.0, 0.5, 0.0]], dtype=dtype),), {"dim": 0, "keepdim": True},
                 name="zeros dim 0 keepdim")
    yield Sample((Layout(uniform(rng, (4, 3), dtype, 0.5, 1.5), "T"),), {"dim": 0}, name="T")
    yield Sample((uniform(rng, (), dtype, 0.5, 1.5),), name="0-d")
    yield Sample((uniform(rng, (), dtype, 0.5, 1.5),), {"dim": 0}, name="0-d dim")
    yield Sample((uniform(rng, (2, 1), dtype),), {"dim": 1}, name="size-1 dim")
    yield Sample((uniform(rng, (3, 4), np.float32, 0.5, 1.5),), {"dim": 1, "dtype": "float64"}, name="dtype")
    if _is_float(dtype):
        yield Sample((SPECIAL.astype(dtype),), name="special", forward_only=True)
        yield Sample((np.zeros((0, 3), dtype=dtype),), {"dim": 0}, name="empty")
        yield Sample((np.zeros((0, 3), dtype=dtype),), name="empty all")
        yield Sample((uniform(rng, (2, 3), np.int64, -3, 3),), {"dim": 1}, name="int64", forward_only=True)


def _prod_errors(rng, dtype):
    yield Sample((uniform(rng, (2, 3), dtype), (0, 1)), name="tuple dim")


# -- max, min, amax, amin, aminmax, argmax, argmin -------------------------------------------------------------------

def _distinct(rng, shape, dtype):
    """values in random order with no ties (so a max or a sort is differentiable there)"""
    n = int(np.prod(shape))
    return (rng.permutation(n).astype(dtype).reshape(shape) - n / 2) / 4


def _extremum_samples(dim_name="dim", tuple_dims=False):
    def gen(rng, dtype):
        x3 = _distinct(rng, (2, 3, 2), dtype)
        yield Sample((x3,), {dim_name: 1}, name="dim 1")
        yield Sample((_distinct(rng, (5,), dtype),), name="all")
        yield Sample((x3,), {dim_name: -1, "keepdim": True}, name="dim -1 keepdim")
        yield Sample((_distinct(rng, (2, 3), dtype),), name="all 2-d")
        if tuple_dims:
            yield Sample((x3,), {dim_name: (0, 2)}, name="dims (0, 2)")
            yield Sample((x3,), {dim_name: (-1, 0), "keepdim": True}, name="dims keepdim")
        yield Sample((Layout(_distinct(rng, (4, 3), dtype), "T"),), {dim_name: 0}, name="T")
        yield Sample((Layout(np.repeat(_distinct(rng, (3,), dtype), 2), "strided"),), name="strided")
        yield Sample((uniform(rng, (), dtype),), name="0-d")
        yield Sample((uniform(rng, (), dtype),), {dim_name: 0}, name="0-d dim")
        if not _is_float(dtype):
            return
        yield Sample((SPECIAL.astype(dtype),), name="special", forward_only=True)
        yield Sample((np.stack([SPECIAL, SPECIAL[::-1]]).astype(dtype),), {dim_name: 1}, name="special dim",
                     forward_only=True)
        yield Sample((np.array([[1.0, -0.5, 3.0, 3.0], [0.5, 0.5, 0.5, -1.0]], dtype=dtype),), {dim_name: 1},
                     name="ties dim", forward_only=True)
        yield Sample((uniform(rng, (2, 3), np.int64, -3, 3),), name="int64", forward_only=True)
        yield Sample((uniform(rng, (2, 3), np.int64, -3, 3),), {dim_name: 0}, name="int64 dim", forward_only=True)
        yield Sample((np.array([True, False]),), name="bool", forward_only=True)
        yield Sample((np.zeros((0, 3), dtype=dtype),), {dim_name: 1}, name="empty", forward_only=True)
    return gen


def _ties_samples(dim_name="dim", tuple_dims=False):
    """ties and NaN: the gradient shared among equal elements (or routed to the NaN), as PyTorch"""
    def gen(rng, dtype):
        yield Sample((np.array([[1.0, -0.5, 3.0, 3.0], [0.5, 0.5, 0.5, -1.0]], dtype=dtype),), name="ties all")
        yield Sample((np.array([1.0, np.nan, 3.0, np.nan], dtype=dtype),), name="NaN all")
        if tuple_dims:
            yield Sample((np.array([[[1.0, 3.0], [3.0, 0.5]], [[2.0, 2.0], [-1.0, 2.0]]], dtype=dtype),),
                         {dim_name: (0, 2)}, name="ties dims")
            yield Sample((np.array([[1.0, 3.0, 3.0], [2.0, 2.0, 2.0]], dtype=dtype),), {dim_name: 1, "keepdim": True},
                         name="ties dim keepdim")
        else:
            yield Sample((np.array([[1.0, np.nan, 0.5], [2.0, 1.0, -1.0]], dtype=dtype),), {dim_name: 1},
                         name="NaN dim")
    return gen


def _extremum_errors(rng, dtype):
    yield Sample((np.zeros((0,), dtype=dtype),), name="empty all")
    yield Sample((np.zeros((2, 0), dtype=dtype),), {"dim": 1}, name="empty dim")
    yield from _dim_error(rng, dtype)


def _binary_max_samples(rng, dtype):
    yield Sample((uniform(rng, (2, 3), dtype), uniform(rng, (3,), dtype)), name="max(a, b)")


def _aminmax(lib, x, **k):
    r = lib.aminmax(x, **k)
    return r.min, r.max


def _arg_errors(rng, dtype):
    yield Sample((np.array([True, False]),), {"dim": 0}, name="bool")
    yield from _dim_error(rng, dtype)


# -- var, std, var_mean, std_mean ----------------------------------------------------------------------------------

VAR_DIMS = ({"dim": 1}, {"dim": -1, "keepdim": True}, {"dim": (0, 2)}, {"dim": (-1, 0), "keepdim": True},
            {"dim": 1, "correction": 0}, {"dim": (0, 1), "correction": 2}, {"dim": 2, "unbiased": False})


def _var_extra(rng, dtype):
    yield Sample((uniform(rng, (2, 3), dtype),), {"correction": 0}, name="all correction 0")
    yield Sample((uniform(rng, (4,), dtype),), {"unbiased": False}, name="unbiased=False")
    # PyTorch's forward reduces over every dim for dim=(), its backward over none (an infinite gradient): values only
    yield Sample((uniform(rng, (2, 3), dtype),), {"dim": ()}, name="dim=()", forward_only=True)


def _var_samples():
    return reductions(VAR_DIMS, full=True, zero_d_dim=None, extra=_var_extra, full_shapes=((5,), (2, 3)))


def _var_edge_samples(rng, dtype):
    """a constant slice (std: gradient 0 there, as PyTorch), too few elements for the correction (inf/NaN values,
    PyTorch's warning, no crash)"""
    yield Sample((np.array([[2.0, 2.0, 2.0], [1.0, -1.0, 0.5]], dtype=dtype),), {"dim": 1}, name="constant row")
    yield Sample((uniform(rng, (3,), dtype),), {"correction": 3}, name="n == correction")
    yield Sample((uniform(rng, (2,), dtype),), {"correction": 4}, name="n < correction")
    yield Sample((uniform(rng, (2, 1), dtype),), {"dim": 1}, name="one element per slice")
    yield Sample((uniform(rng, (), dtype),), name="0-d")


def _var_errors(rng, dtype):
    yield Sample((uniform(rng, (3,), np.int64, 0, 3),), name="int64")
    yield from _dim_error(rng, dtype)


def _pair_op(name):
    def op(lib, x, **k):
        return getattr(lib, name)(x, **k)
    return op


# -- logsumexp, norms, renorm ---------------------------------------------------------------------------------------

LSE_DIMS = ({"dim": 1}, {"dim": -1, "keepdim": True}, {"dim": (0, 2)}, {"dim": (-1, 0), "keepdim": True})


def _lse_extra(rng, dtype):
    yield Sample((uniform(rng, (2, 3), dtype, 20.0, 90.0),), {"dim": 1}, name="large")
    yield Sample((Layout(np.repeat(uniform(rng, (3,), dtype), 2), "strided"),), {"dim": 0}, name="strided")
    if _is_float(dtype):
        yield Sample((np.array([[-np.inf, -np.inf], [np.inf, 1.0], [np.nan, 1.0]], dtype=dtype),), {"dim": 1},
                     name="infinities", forward_only=True)
        yield Sample((uniform(rng, (2, 3), np.int64, -3, 3),), {"dim": 1}, name="int64 dim", forward_only=True)


def _norm_samples(p):
    def gen(rng, dtype):
        lo, hi = (0.3, 2.0) if p not in (1, float("inf"), -float("inf")) else (-2.0, 2.0)
        sign = np.where(rng.random((2, 3, 2)) < 0.5, -1.0, 1.0).astype(dtype)
        x3 = uniform(rng, (2, 3, 2), dtype, lo, hi) * sign if p != 0 else uniform(rng, (2, 3, 2), dtype)
        if p in (float("inf"), -float("inf")):
            x3 = _distinct(rng, (2, 3, 2), dtype) + (0.1 if p > 0 else 0.0625)  # no ties of |x|
        kw = {} if p == "default" else {"p": p}
        yield Sample((x3,), {**kw, "dim": 1}, name="dim 1")
        yield Sample((x3,), kw, name="all")
        yield Sample((x3,), {**kw, "dim": (0, 2), "keepdim": True}, name="dims keepdim")
        yield Sample((x3,), {**kw, "dim": -1}, name="dim -1")
        t = np.ascontiguousarray(x3[0].T)
        yield Sample((Layout(t, "T"),), {**kw, "dim": 0}, name="T")
        yield Sample((x3[0, 0, :1].reshape(()),), kw, name="0-d")
        if _is_float(dtype) and p != "default":
            yield Sample((SPECIAL.astype(dtype),), kw, name="special", forward_only=True)
            yield Sample((np.zeros((0, 3), dtype=dtype),), {**kw, "dim": 1}, name="empty", forward_only=True)
    return gen


def _norm_zero_samples(rng, dtype):
    """norms at 0 and ties of |x|: PyTorch's subgradients (0 for the 2-norm at 0, shared among ties for ±inf)"""
    z = np.array([[0.0, 0.0, 0.0], [1.0, -2.0, 2.0]], dtype=dtype)
    for p in (2, 1, 3, 1.5, 0.5, float("inf"), -float("inf"), 0):
        yield Sample((z,), {"p": p, "dim": 1}, name=f"p={p} zero row, ties")


def _norm_errors(rng, dtype):
    yield Sample((np.zeros((0, 3), dtype=dtype),), {"p": float("inf")}, name="inf norm of empty")
    yield Sample((uniform(rng, (2, 3), dtype),), {"p": "abc"}, name="bad p")


def _vector_norm(lib, x, p=2, **k):
    return lib.linalg.vector_norm(x, p, **k)


def _renorm_samples(rng, dtype):
    x = uniform(rng, (3, 4), dtype)
    x[1] *= 0.1  # one slice below maxnorm: left as is
    yield Sample((x, 2, 0, 1.0), name="p=2 dim 0")
    yield Sample((uniform(rng, (3, 4), dtype), 1, 1, 1.5), name="p=1 dim 1")
    yield Sample((uniform(rng, (2, 3, 2), dtype, 0.3, 2.0), 3, -1, 1.0), name="p=3 dim -1")
    yield Sample((Layout(uniform(rng, (4, 3), dtype), "T"), 2, 1, 0.5), name="T")
    yield Sample((uniform(rng, (2, 3), dtype), 2, 0, 100.0), name="nothing rescaled")


def _renorm_errors(rng, dtype):
    yield Sample((uniform(rng, (2, 3), dtype), 0, 0, 1.0), name="p=0")
    yield Sample((uniform(rng, (2, 3), dtype), 2, 0, -1.0), name="maxnorm < 0")
    yield Sample((uniform(rng, (3,), dtype), 2, 0, 1.0), name="1-d")


# -- nansum, nanmean ----------------------------------------------------------------------------------------------

def _with_nans(rng, shape, dtype):
    x = uniform(rng, shape, dtype)
    x[rng.random(shape) < 0.3] = np.nan
    return x


def _nan_samples(int_ok):
    def gen(rng, dtype):
        x3 = _with_nans(rng, (2, 3, 2), dtype)
        yield Sample((x3,), {"dim": 1}, name="dim 1")
        yield Sample((x3,), name="all")
        yield Sample((x3,), {"dim": (0, 2), "keepdim": True}, name="dims keepdim")
        yield Sample((Layout(np.ascontiguousarray(x3[0].T), "T"),), {"dim": 0}, name="T")
        yield Sample((np.asarray(np.nan, dtype=dtype),), name="0-d NaN", forward_only=not int_ok)  # nanmean: NaN
        yield Sample((uniform(rng, (), dtype),), name="0-d")
        if _is_float(dtype):
            yield Sample((np.full((2, 3), np.nan, dtype=dtype),), {"dim": 1}, name="all NaN",
                         forward_only=not int_ok)  # nanmean: 0/0
            yield Sample((SPECIAL.astype(dtype),), name="special", forward_only=True)
            yield Sample((np.zeros((0, 3), dtype=dtype),), {"dim": 0}, name="empty", forward_only=True)
            if int_ok:
                yield Sample((uniform(rng, (2, 3), np.int32, -3, 3),), name="int32", forward_only=True)
                yield Sample((np.array([True, True, False]),), name="bool", forward_only=True)
    return gen


# -- all, any, count_nonzero, cov, corrcoef, histograms, bincount ---------------------------------------------------

def _logical_samples(rng, dtype):
    x = uniform(rng, (2, 3), dtype, -1, 1)
    x[0, 1] = 0
    for kw in ({}, {"dim": 1}, {"dim": 0, "keepdim": True}):
        yield Sample((x,), kw, name=f"{kw}")
    yield Sample((np.array([[True, False], [True, True]]),), {"dim": 1}, name="bool")
    yield Sample((np.array([0, 3, 0], dtype=np.uint8),), name="uint8")
    yield Sample((np.zeros((0, 2), dtype=dtype),), {"dim": 0}, name="empty")
    yield Sample((np.asarray(0.0, dtype=dtype),), name="0-d")
    yield Sample((SPECIAL.astype(dtype),), name="special")


def _count_nonzero_samples(rng, dtype):
    x = uniform(rng, (3, 4), dtype)
    x[x < 0] = 0
    yield Sample((x,), name="all")
    yield Sample((x,), {"dim": 1}, name="dim 1")
    yield Sample((x,), {"dim": (0, 1)}, name="dims")
    yield Sample((np.array([True, False, True]),), name="bool")
    yield Sample((SPECIAL.astype(dtype),), name="special")


def _cov_samples(rng, dtype):
    yield Sample((uniform(rng, (3, 5), dtype),), name="3 variables")
    yield Sample((uniform(rng, (5,), dtype),), name="1-d")
    yield Sample((uniform(rng, (1, 4), dtype),), name="one row")
    yield Sample((uniform(rng, (2, 4), dtype),), {"correction": 0}, name="correction 0")
    yield Sample((Layout(uniform(rng, (4, 2), dtype), "T"),), name="T")
    yield Sample((uniform(rng, (2, 4), dtype),), {"fweights": np.array([1, 2, 1, 3])}, name="fweights")
    yield Sample((uniform(rng, (2, 4), dtype), uniform(rng, (4,), dtype, 0.5, 2.0)), name="aweights")
    yield Sample((uniform(rng, (2, 4), np.int64, -3, 3),), name="int64", forward_only=True)


def _cov(lib, x, aw=None, **k):
    if "fweights" in k:
        k["fweights"] = lib.tensor(k["fweights"])
    return lib.cov(x, aweights=aw, **k)


def _corrcoef_samples(rng, dtype):
    yield Sample((uniform(rng, (3, 5), dtype),), name="3 variables")
    yield Sample((uniform(rng, (5,), dtype),), name="1-d")
    yield Sample((Layout(uniform(rng, (4, 2), dtype), "T"),), name="T")


def _histc_samples(rng, dtype):
    x = uniform(rng, (20,), dtype)
    yield Sample((x,), name="default")
    yield Sample((x,), {"bins": 5, "min": -1, "max": 1}, name="bins 5 in [-1, 1]")
    yield Sample((uniform(rng, (3, 4), dtype),), {"bins": 4}, name="2-d")


def _histogram_samples(rng, dtype):
    x = uniform(rng, (20,), dtype)
    yield Sample((x,), {"bins": 5}, name="bins 5")
    yield Sample((x,), {"bins": 4, "range": (-1.0, 1.0)}, name="range")
    yield Sample((x,), {"bins": 3, "density": True}, name="density")


def _histogram(lib, x, **k):
    r = lib.histogram(x, **k)
    return r.hist, r.bin_edges


def _bincount_samples(rng, dtype):
    x = uniform(rng, (10,), np.int64, 0, 5)
    yield Sample((x,), name="counts")
    yield Sample((x,), {"minlength": 8}, name="minlength")
    yield Sample((x, uniform(rng, (10,), np.float64)), name="weights")


def _bincount(lib, x, w=None, **k):
    return lib.bincount(x, w, **k)


def _bincount_errors(rng, dtype):
    yield Sample((np.array([1, -1]),), name="negative")
    yield Sample((np.array([[1, 2]]),), name="2-d")


ENTRIES = [
    _red("sum", samples=reductions(extra=_sum_extra), errors=_dim_error),
    OpInfo("sum(dtype)", _with_dtype(lambda lib, x, **k: lib.sum(x, **k)),
           lambda rng, dtype: [Sample((uniform(rng, (3, 4), dtype),), {"dim": 1, "dtype": "float64"},
                                      name="float32 -> float64"),
                               Sample((uniform(rng, (5,), dtype),), {"dtype": "float64"}, name="all")],
           covers=(), dtypes=(np.float32,)),
    OpInfo("sum_to_size", lambda lib, x, size: x.sum_to_size(size), _sum_to_size_samples,
           covers=("Tensor.sum_to_size",)),
    _red("mean", samples=reductions(ints=False), errors=_mean_errors),
    OpInfo("mean(dtype)", _with_dtype(lambda lib, x, **k: lib.mean(x, **k)),
           lambda rng, dtype: [Sample((uniform(rng, (3, 4), dtype),), {"dim": 1, "dtype": "float64"},
                                      name="float32 -> float64")],
           covers=(), dtypes=(np.float32,)),
    OpInfo("prod", _with_dtype(lambda lib, x, *a, **k: lib.prod(x, *a, **k)), _prod_samples, covers=("prod", "Tensor.prod"),
           errors=_prod_errors, skip={"forward_over_reverse": FLIP_FOR}),
    OpInfo("max", lambda lib, x, **k: lib.max(x, **k), _extremum_samples(), covers=("max", "Tensor.max"),
           errors=_extremum_errors),
    OpInfo("min", lambda lib, x, **k: lib.min(x, **k), _extremum_samples(), covers=("min", "Tensor.min"),
           errors=_extremum_errors),
    OpInfo("max(a, b)", lambda lib, a, b: lib.max(a, b), _binary_max_samples, covers=()),
    OpInfo("max(ties, NaN)", lambda lib, x, **k: lib.max(x, **k), _ties_samples(), covers=(), skip=SKIP_TIES),
    OpInfo("min(ties, NaN)", lambda lib, x, **k: lib.min(x, **k), _ties_samples(), covers=(), skip=SKIP_TIES),
    OpInfo("amax", lambda lib, x, **k: lib.amax(x, **k), _extremum_samples(tuple_dims=True),
           covers=("amax", "Tensor.amax"), errors=_dim_error),
    OpInfo("amin", lambda lib, x, **k: lib.amin(x, **k), _extremum_samples(tuple_dims=True),
           covers=("amin", "Tensor.amin"), errors=_dim_error),
    OpInfo("amax(ties)", lambda lib, x, **k: lib.amax(x, **k), _ties_samples(tuple_dims=True), covers=(),
           skip=SKIP_TIES),
    OpInfo("amin(ties)", lambda lib, x, **k: lib.amin(x, **k), _ties_samples(tuple_dims=True), covers=(),
           skip=SKIP_TIES),
    OpInfo("aminmax", _aminmax, _extremum_samples(), covers=("aminmax", "Tensor.aminmax"),
           errors=_extremum_errors),
    OpInfo("aminmax(ties)", _aminmax, _ties_samples(), covers=(), skip=SKIP_TIES),
    OpInfo("argmax", lambda lib, x, **k: lib.argmax(x, **k), _extremum_samples(), covers=("argmax", "Tensor.argmax"),
           grad=False, errors=_arg_errors),
    OpInfo("argmin", lambda lib, x, **k: lib.argmin(x, **k), _extremum_samples(), covers=("argmin", "Tensor.argmin"),
           grad=False, errors=_arg_errors),
    OpInfo("var", _pair_op("var"), _var_samples(), covers=("var", "Tensor.var"), errors=_var_errors),
    OpInfo("std", _pair_op("std"), _var_samples(), covers=("std", "Tensor.std"), errors=_var_errors),
    OpInfo("var_mean", _pair_op("var_mean"), _var_samples(), covers=("var_mean",), errors=_var_errors),
    OpInfo("std_mean", _pair_op("std_mean"), _var_samples(), covers=("std_mean",), errors=_var_errors),
    *[OpInfo(f"{n}(edge cases)", _pair_op(n), _var_edge_samples, covers=(), skip=SKIP_TIES)
      for n in ("var", "std", "var_mean", "std_mean")],
    OpInfo("logsumexp", lambda lib, x, **k: lib.logsumexp(x, **k),
           reductions(LSE_DIMS, full=False, special=False, ints=False, extra=_lse_extra),
           covers=("logsumexp", "Tensor.logsumexp"), errors=_dim_error),
    OpInfo("special.logsumexp", lambda lib, x, **k: lib.special.logsumexp(x, **k),
           reductions(LSE_DIMS[:2], full=False, special=False, ints=False), covers=("special.logsumexp",)),
    *[OpInfo(f"norm(p={p})", lambda lib, x, **k: lib.norm(x, **k), _norm_samples(p), covers=())
      for p in (2, 1, 3, 1.5, 0.5, -1.5, float("inf"), -float("inf"), 0)],
    OpInfo("norm", lambda lib, x, **k: x.norm(**k), _norm_samples("default"), covers=("norm", "Tensor.norm"),
           errors=_norm_errors),
    OpInfo("norm(fro)", lambda lib, x, **k: lib.norm(x, "fro", **k), _norm_samples("default"), covers=()),
    OpInfo("norm(zeros, ties)", lambda lib, x, **k: lib.norm(x, **k), _norm_zero_samples, covers=(),
           skip=SKIP_SMOOTH),
    OpInfo("renorm", lambda lib, x, p, dim, maxnorm: lib.renorm(x, p, dim, maxnorm), _renorm_samples,
           covers=("renorm", "Tensor.renorm", "Tensor.renorm_"), inplace="renorm_", errors=_renorm_errors),
    OpInfo("nansum", lambda lib, x, **k: lib.nansum(x, **k), _nan_samples(True), covers=("nansum", "Tensor.nansum")),
    OpInfo("nanmean", lambda lib, x, **k: lib.nanmean(x, **k), _nan_samples(False),
           covers=("nanmean", "Tensor.nanmean"),
           errors=lambda rng, dtype: [Sample((np.array([1, 2]),), name="int64")]),
    OpInfo("all", lambda lib, x, **k: lib.all(x, **k), _logical_samples, covers=("all", "Tensor.all"), grad=False),
    OpInfo("any", lambda lib, x, **k: lib.any(x, **k), _logical_samples, covers=("any", "Tensor.any"), grad=False),
    OpInfo("count_nonzero", lambda lib, x, **k: lib.count_nonzero(x, **k), _count_nonzero_samples,
           covers=("count_nonzero", "Tensor.count_nonzero"), grad=False),
    OpInfo("cov", _cov, _cov_samples, covers=("cov", "Tensor.cov"),
           errors=lambda rng, dtype: [Sample((uniform(rng, (2, 2, 2), dtype),), name="3-d")], skip=CLAMP_FW),
    OpInfo("corrcoef", lambda lib, x: lib.corrcoef(x), _corrcoef_samples, covers=("corrcoef", "Tensor.corrcoef"),
           skip=dict(CLAMP_FW, forward_over_reverse=FLIP_FOR)),
    OpInfo("histc", lambda lib, x, **k: lib.histc(x, **k), _histc_samples, covers=("histc", "Tensor.histc"),
           grad=False),
    OpInfo("histogram", _histogram, _histogram_samples, covers=("histogram", "Tensor.histogram"), grad=False),
    OpInfo("bincount", _bincount, _bincount_samples, covers=("bincount", "Tensor.bincount"), grad=False,
           dtypes=(np.int64,), errors=_bincount_errors),
]
