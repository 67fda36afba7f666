"""Catalogue entries of ember.ops.query (see op_catalogue.py): questions about tensors and dtypes.

They answer with Python values (bools, ints, strings), dtypes or shapes, or hand back their input (resolve_conj,
resolve_neg): each entry checks the answer against PyTorch's (dtypes as their names, shapes as tuples, finfo and
iinfo as their fields and repr) and the bad calls; the two that return their input are checked as differentiable
identities."""

from __future__ import annotations

import numpy as np
from op_catalogue import Layout, OpInfo, Sample, uniform

I64 = np.int64
DTYPES = ("float32", "float64", "float16", "bfloat16", "int64", "int32", "int16", "int8", "uint8", "bool",
          "complex64", "complex128")


def _tensors(rng, dtype):
    """tensors of every kind a question may be asked about"""
    yield Sample((uniform(rng, (2, 3), dtype),), name="(2, 3)")
    yield Sample((uniform(rng, (), dtype),), name="0-d")
    yield Sample((np.zeros((0, 3), dtype),), name="empty")
    yield Sample((Layout(uniform(rng, (3, 2), dtype), "T"),), name="T")
    yield Sample((uniform(rng, (4,), I64, -3, 3),), name="int64")
    yield Sample((uniform(rng, (4,), np.uint8, 0, 9),), name="uint8")
    yield Sample((np.array([True, False]),), name="bool")


def _question(name, method=True, function=True):
    """``lib.<name>(x)`` and ``x.<name>()`` on every kind of tensor"""
    out = []
    if function:
        out.append(OpInfo(name, lambda lib, x: getattr(lib, name)(x), _tensors, covers=(name,), grad=False,
                          dtypes=(np.float64,)))
    if method:
        out.append(OpInfo(f"Tensor.{name}", lambda lib, x: getattr(x, name)(), _tensors, covers=(f"Tensor.{name}",),
                          grad=False, dtypes=(np.float64,)))
    return out


def _not_a_tensor(name):
    return lambda rng, dtype: [Sample(([1.0, 2.0],), name="a list")]


def _identity_samples(rng, dtype):
    yield Sample((uniform(rng, (2, 3), dtype),), name="(2, 3)")
    yield Sample((uniform(rng, (), dtype),), name="0-d")
    yield Sample((Layout(uniform(rng, (3, 2), dtype), "T"),), name="T")


def _nonzero_samples(rng, dtype):
    yield Sample((np.array([2.5], dtype),), name="one")
    yield Sample((np.zeros((1, 1), dtype),), name="zero")
    yield Sample((np.array(np.nan, dtype),), name="nan")
    yield Sample((np.array([-0.0], dtype),), name="-0.0")
    yield Sample((np.array([3], I64),), name="int64")


def _nonzero_errors(rng, dtype):
    yield Sample((np.zeros(2, dtype),), name="two values")
    yield Sample((np.zeros(0, dtype),), name="no values")


def _same_size_samples(rng, dtype):
    yield Sample((uniform(rng, (2, 3), dtype), uniform(rng, (2, 3), dtype)), name="same")
    yield Sample((uniform(rng, (2, 3), dtype), uniform(rng, (3, 2), dtype)), name="transposed shape")
    yield Sample((uniform(rng, (), dtype), uniform(rng, (1,), dtype)), name="0-d, 1")


def _objects(rng, dtype):
    yield Sample((uniform(rng, (2,), dtype),), name="tensor")
    yield Sample((3,), name="int")
    yield Sample(([1, 2],), name="list")
    yield Sample((np.float64(1.5).item(),), name="float")


def _dtype_pairs(rng, dtype):
    for a in DTYPES:
        for b in DTYPES:
            yield Sample((a, b), name=f"{a} {b}")


def _result_type_samples(rng, dtype):
    yield Sample((np.zeros(2, np.int32), 2.5), name="int32 tensor, float")
    yield Sample((np.zeros(2, np.uint8), 300), name="uint8 tensor, large int")
    yield Sample((np.zeros(2, np.int32), np.array(2.0)), name="int32, 0-d float64")
    yield Sample((np.array(2.0), uniform(rng, (2,), np.float32)), name="0-d float64, float32")
    yield Sample((np.array([True]), 2), name="bool, int")
    yield Sample((np.array([True]), True), name="bool, bool")
    yield Sample((np.zeros(2, np.int8), np.zeros(2, np.uint8)), name="int8 uint8")
    yield Sample((2, 2.5), name="numbers")
    yield Sample((np.zeros(2, np.int64), 1j), name="int64, complex")


def _shapes(rng, dtype):
    yield Sample(((2, 1), (3,)), name="two")
    yield Sample((3, (2, 1)), name="an int")
    yield Sample(((1, 4), (3, 1), (2, 1, 1)), name="three")
    yield Sample(((),), name="0-d")
    yield Sample(((0, 1), (3,)), name="empty")
    yield Sample((), name="none")


def _shape_errors(rng, dtype):
    yield Sample(((2, 1), (3, 2)), name="mismatch")
    yield Sample(((2,), (3,), (4,)), name="mismatch at the second")


def _float_limits(rng, dtype):
    for name in ("float32", "float64", "float16", "bfloat16", "complex64", "complex128"):
        yield Sample((name,), name=name)


def _int_limits(rng, dtype):
    for name in ("int64", "int32", "int16", "int8", "uint8"):
        yield Sample((name,), name=name)


def _finfo(lib, name=None):
    f = lib.finfo(getattr(lib, name)) if name is not None else lib.finfo()
    return (f.bits, f.eps, f.max, f.min, f.tiny, f.smallest_normal, f.resolution, str(f.dtype), repr(f))


def _iinfo(lib, name):
    f = lib.iinfo(getattr(lib, name))
    return (f.bits, f.max, f.min, str(f.dtype), repr(f))



ENTRIES = [
    *_question("is_floating_point"), *_question("is_complex"), *_question("numel"),
    *_question("is_signed"), *_question("is_conj"), *_question("is_neg"), *_question("is_inference"),
    *_question("get_device"), *_question("is_distributed", method=False),
    OpInfo("numel(not a tensor)", lambda lib, x: lib.numel(x), lambda rng, dtype: [], grad=False,
           errors=_not_a_tensor("numel")),
    OpInfo("is_floating_point(not a tensor)", lambda lib, x: lib.is_floating_point(x), lambda rng, dtype: [],
           grad=False, errors=_not_a_tensor("is_floating_point")),
    OpInfo("is_complex(not a tensor)", lambda lib, x: lib.is_complex(x), lambda rng, dtype: [],
           grad=False, errors=_not_a_tensor("is_complex")),
    OpInfo("is_nonzero", lambda lib, x: lib.is_nonzero(x), _nonzero_samples, covers=("is_nonzero", "Tensor.is_nonzero"),
           grad=False, errors=_nonzero_errors),
    OpInfo("is_same_size", lambda lib, a, b: lib.is_same_size(a, b), _same_size_samples,
           covers=("is_same_size", "Tensor.is_same_size"), grad=False),
    OpInfo("resolve_conj", lambda lib, x: lib.resolve_conj(x), _identity_samples,
           covers=("resolve_conj", "Tensor.resolve_conj")),
    OpInfo("resolve_neg", lambda lib, x: x.resolve_neg(), _identity_samples, covers=("resolve_neg", "Tensor.resolve_neg")),
    OpInfo("is_tensor", lambda lib, x: lib.is_tensor(x), _objects, covers=("is_tensor",), grad=False,
           dtypes=(np.float64,)),
    OpInfo("is_storage", lambda lib, x: lib.is_storage(x), _objects, covers=("is_storage",), grad=False,
           dtypes=(np.float64,)),
    OpInfo("is_storage(a storage)", lambda lib, x: lib.is_storage(x.untyped_storage()), _tensors, grad=False,
           dtypes=(np.float64,)),
    OpInfo("typename", lambda lib, x: lib.typename(x), lambda rng, dtype: [*_tensors(rng, dtype), *_objects(rng, dtype)],
           covers=("typename",), grad=False),
    OpInfo("promote_types", lambda lib, a, b: str(lib.promote_types(getattr(lib, a), getattr(lib, b))), _dtype_pairs,
           covers=("promote_types",), grad=False, dtypes=(np.float64,)),
    OpInfo("can_cast", lambda lib, a, b: lib.can_cast(getattr(lib, a), getattr(lib, b)), _dtype_pairs,
           covers=("can_cast",), grad=False, dtypes=(np.float64,)),
    OpInfo("result_type", lambda lib, a, b: str(lib.result_type(a, b)), _result_type_samples, covers=("result_type",),
           grad=False, dtypes=(np.float64,)),
    OpInfo("broadcast_shapes", lambda lib, *s: tuple(lib.broadcast_shapes(*s)), _shapes, covers=("broadcast_shapes",),
           grad=False, dtypes=(np.float64,), errors=_shape_errors),
    OpInfo("finfo", _finfo, lambda rng, dtype: [*_float_limits(rng, dtype), Sample((), name="default")],
           covers=("finfo",), grad=False, dtypes=(np.float64,),
           errors=lambda rng, dtype: [Sample(("int32",), name="int32"), Sample(("bool",), name="bool")]),
    OpInfo("iinfo", _iinfo, _int_limits, covers=("iinfo",), grad=False, dtypes=(np.float64,),
           errors=lambda rng, dtype: [Sample(("float32",), name="float32"), Sample(("bool",), name="bool")]),
]
