"""Catalogue entries of ember.ops.creation, ops.convert, ops.inplace (copy_, fill_, zero_), ops.legacy (Tensor.new)
and ops.random (see op_catalogue.py).

Factories take no tensor to differentiate: their entries compare values, dtype and shape with PyTorch's (for
``empty*``, whose values are whatever memory held, the shape, dtype and strides). Conversions that keep a floating
dtype are differentiated. Random draws seed the generator inside the op (ember's stream is PyTorch's), so the
draw itself is compared, bit for bit where the entry says ``exact``."""

from __future__ import annotations

import numpy as np
from catalogue_activation import seeded
from op_catalogue import Layout, OpInfo, Sample, uniform

F32 = (np.float32,)
ROUNDING = ("a cast to a lower precision: float64 finite differences see its rounding (in PyTorch too); values, "
            "gradients and tangents are compared with PyTorch's")
_ROUNDS = {c: ROUNDING for c in ("gradcheck", "gradgradcheck", "jvp_vjp")}
STRIDES = ("ember's tensors are C-contiguous NumPy arrays: the strides PyTorch gives empty_strided, empty_permuted, "
           "clone(preserve_format) of a transposed tensor and empty tensors with a 0 size differ (values agree)")
NO_BF16 = ("ember has no bfloat16 / complex32 storage (NumPy has none): .bfloat16() and .chalf() keep float32 / "
           "complex64 values, unrounded")
_NO_BF16 = {"forward": NO_BF16, "backward": NO_BF16, "forward_ad": NO_BF16}


def _meta(t):
    """What an uninitialised tensor shows: shape, dtype, strides, requires_grad."""
    return (tuple(t.shape), str(t.dtype), t.stride(), t.requires_grad)


def _none(rng, dtype):
    yield Sample((), name="no input")


def _factory(name, calls, exact=True, meta=False, known=None):
    """An entry calling ``lib.<name>(*args, **kwargs)`` for each (args, kwargs) in ``calls`` (dtypes are given by
    name, "float64" -> lib.float64)."""
    def op(lib, *args, **kw):
        kw = {k: getattr(lib, v) if k == "dtype" else v for k, v in kw.items()}
        out = getattr(lib, name)(*args, **kw)
        return _meta(out) if meta else out

    def gen(rng, dtype):
        for args, kw in calls:
            yield Sample(tuple(args), dict(kw), name=f"{args}{kw}")
    return OpInfo(name, op, gen, covers=(name,), dtypes=F32, grad=False, exact=exact, known=known or {})


def _parts(t):
    return (t.real, t.imag) if t.is_complex() else t


# -- factories -----------------------------------------------------------------------------------------------------

SIZES = [(((2, 3),), {}), ((4,), {}), ((2, 0), {}), (((),), {}), ((3,), {"dtype": "int64"}),
         (((2, 2),), {"dtype": "float64"})]

FACTORIES = [
    _factory("zeros", SIZES),
    _factory("ones", SIZES),
    _factory("empty", SIZES, meta=True, known={"forward": STRIDES}),
    _factory("full", [(((2, 3), 1.5), {}), (((2,), 7), {}), (((2,), True), {}), (((), 2.5), {"dtype": "float64"}),
                      (((3,), 2), {"dtype": "float32"})]),
    _factory("arange", [((5,), {}), ((1, 4), {}), ((0.0, 1.0, 0.25), {}), ((10, 0, -3), {}), ((1, 2.5, 0.5), {}),
                        ((3,), {"dtype": "float64"})]),
    _factory("range", [((0, 4), {}), ((0.0, 1.0, 0.25), {}), ((5, 1, -2), {})]),
    _factory("linspace", [((0, 1, 5), {}), ((-2.0, 3.0, 7), {}), ((1, 1, 1), {}), ((0, 10, 4), {"dtype": "float64"}),
                          ((0, 10, 0), {})]),
    _factory("logspace", [((0, 2, 5), {}), ((-1.0, 1.0, 3), {"base": 2.0}), ((0, 3, 4), {"dtype": "float64"})]),
    _factory("eye", [((3,), {}), ((2, 4), {}), ((3, 1), {"dtype": "int64"}), ((0,), {})]),
    _factory("empty_strided", [(((2, 3), (1, 2)), {}), (((2, 2), (2, 1)), {"dtype": "float64"})], meta=True,
             known={"forward": STRIDES}),
    _factory("empty_permuted", [(((2, 3, 4), (2, 0, 1)), {}), (((2, 3), (0, 1)), {})], meta=True,
             known={"forward": STRIDES}),
    _factory("scalar_tensor", [((2.5,), {}), ((3,), {}), ((True,), {}), ((1.5,), {"dtype": "float64"})]),
    _factory("tril_indices", [((3, 3), {}), ((4, 3, 1), {}), ((3, 4, -1), {})]),
    _factory("triu_indices", [((3, 3), {}), ((4, 3, 1), {}), ((3, 4, -1), {})]),
    _factory("tensor", [(([1, 2, 3],), {}), (([[1.0, 2.0], [3.0, 4.0]],), {}), (([True, False],), {}),
                        ((2.5,), {}), (([],), {}), (([1, 2.5],), {}), (([1, 2],), {"dtype": "float64"})]),
    _factory("as_tensor", [(([1, 2, 3],), {}), (([1.5, 2.0],), {}), (([1, 2],), {"dtype": "float64"})]),
    _factory("asarray", [(([1, 2, 3],), {}), (([1.5, 2.0],), {}), (([1, 2],), {"dtype": "float64"})]),
    *[_factory(w, [((5,), {}), ((4,), {"periodic": False}), ((1,), {}), ((0,), {}), ((6,), {"dtype": "float64"})],
               exact=False) for w in ("bartlett_window", "blackman_window", "hamming_window", "hann_window")],
    _factory("kaiser_window", [((5,), {}), ((6,), {"periodic": False, "beta": 5.0}), ((1,), {})], exact=False),
]


def _from_numpy(lib, x):
    return lib.from_numpy(np.asarray(x).copy())


def _from_numpy_samples(rng, dtype):
    for a in (np.arange(6.0).reshape(2, 3), np.arange(4, dtype=np.int32), np.array([True, False]),
              np.zeros((0, 2), dtype=np.float32), np.array(2.5), np.arange(6, dtype=np.uint8)):
        yield Sample((a.tolist(), ), name=f"{a.dtype}{a.shape}")


def _from_numpy_op(lib, x):
    return lib.from_numpy(np.asarray(x))


def _like(name, meta=False, extra=()):
    def op(lib, x, *args, **kw):
        kw = {k: getattr(lib, v) if k == "dtype" else v for k, v in kw.items()}
        out = getattr(lib, name)(x, *args, **kw)
        return _meta(out) if meta else out

    def gen(rng, dtype):
        yield Sample((uniform(rng, (2, 3), dtype), *extra), name="(2, 3)")
        yield Sample((Layout(uniform(rng, (3, 2), dtype), "T"), *extra), name="T")
        yield Sample((uniform(rng, (), dtype), *extra), name="0-d")
        yield Sample((uniform(rng, (4,), np.int64), *extra), name="int64")
        yield Sample((uniform(rng, (2, 3), dtype), *extra), {"dtype": "float64"}, name="dtype")
    return OpInfo(name, op, gen, covers=(name,), grad=False)


def _new(name, args, meta=False, known=None):
    def op(lib, x, *a, **kw):
        kw = {k: getattr(lib, v) if k == "dtype" else v for k, v in kw.items()}
        out = getattr(x, name)(*a, **kw)
        return _meta(out) if meta else out

    def gen(rng, dtype):
        for a, kw in args:
            yield Sample((uniform(rng, (2, 3), dtype), *a), dict(kw), name=f"{a}{kw}")
        yield Sample((uniform(rng, (2,), np.int64), *args[0][0]), name="int64")
    return OpInfo(f"Tensor.{name}", op, gen, covers=(f"Tensor.{name}",), grad=False, known=known or {})


def _meshgrid(lib, *xs, **kw):
    return lib.meshgrid(*xs, **kw)


def _meshgrid_samples(rng, dtype):
    a, b, c = uniform(rng, (3,), dtype), uniform(rng, (2,), dtype), uniform(rng, (4,), dtype)
    yield Sample((a, b), {"indexing": "ij"}, name="ij")
    yield Sample((a, b, c), {"indexing": "xy"}, name="xy 3")
    yield Sample((a,), {"indexing": "ij"}, name="one")
    yield Sample((uniform(rng, (), dtype), b), {"indexing": "ij"}, name="0-d")


def _fill(lib, x, v):
    return lib.fill(x, v)


def _fill_samples(rng, dtype):
    yield Sample((uniform(rng, (2, 3), dtype), 1.5), name="number")
    yield Sample((uniform(rng, (2, 3), dtype), uniform(rng, (), dtype)), name="0-d tensor")
    yield Sample((uniform(rng, (4,), np.int64), 2), name="int64", forward_only=True)


CREATION = [
    *FACTORIES,
    OpInfo("from_numpy", _from_numpy_op, _from_numpy_samples, covers=("from_numpy",), dtypes=F32, grad=False,
           exact=True),
    _like("zeros_like"), _like("ones_like"), _like("empty_like", meta=True), _like("full_like", extra=(2.5,)),
    _new("new_zeros", [(((2, 2),), {}), (((3,),), {"dtype": "float64"})]),
    _new("new_ones", [(((2, 2),), {}), (((3,),), {"dtype": "int64"})]),
    _new("new_full", [(((2, 2), 3.5), {}), (((3,), 1), {"dtype": "int64"})]),
    _new("new_empty", [(((2, 2),), {}), (((3,),), {"dtype": "float64"})], meta=True),
    _new("new_empty_strided", [(((2, 2), (1, 2)), {}), (((3,), (2,)), {"dtype": "float64"})], meta=True,
         known={"forward": STRIDES}),
    _new("new_tensor", [(([1, 2],), {}), (([1.5, 2.5],), {}), (([[1.0]],), {"dtype": "float64"})]),
    _new("new", [((2, 3), {})], meta=True),
    OpInfo("meshgrid", _meshgrid, _meshgrid_samples, covers=("meshgrid",)),
    OpInfo("fill", _fill, _fill_samples, covers=("fill",)),
]


# -- conversions ---------------------------------------------------------------------------------------------------

def _convert_samples(rng, dtype):
    yield Sample((uniform(rng, (2, 3), dtype),), name="(2, 3)")
    yield Sample((Layout(uniform(rng, (3, 2), dtype), "T"),), name="T")
    yield Sample((uniform(rng, (), dtype),), name="0-d")
    yield Sample((np.array([np.nan, np.inf, -np.inf, -0.0, 1e30, -2.7, 255.5, 300.0], dtype=dtype),), name="special",
                 forward_only=True)
    yield Sample((uniform(rng, (4,), np.int64, -3, 3),), name="int64", forward_only=True)
    yield Sample((np.array([True, False]),), name="bool", forward_only=True)


def _int_convert_samples(rng, dtype):  # finite values (a cast of nan/inf to an integer is undefined in C)
    yield Sample((uniform(rng, (2, 3), dtype, -100, 100),), name="(2, 3)")
    yield Sample((uniform(rng, (), dtype),), name="0-d")
    yield Sample((uniform(rng, (4,), np.int64, -3, 3),), name="int64")
    yield Sample((np.array([True, False]),), name="bool")
    yield Sample((np.array([-0.0, 2.7, -2.7, 100.5], dtype=dtype),), name="rounding")


def _method(name, *args, wrap=None):
    def op(lib, x):
        y = getattr(x, name)(*args)
        return wrap(y) if wrap else y
    return op


def _back(t):
    """A dtype NumPy has no array for (bfloat16, float16's complex): compared after a cast back to float32."""
    return _parts(t.cfloat() if t.is_complex() else t.float())


def _to(lib, x, how, **kw):
    if how == "dtype":
        return x.to(lib.float64, **kw)
    if how == "int":
        return x.to(lib.int32)
    if how == "other":
        return x.to(lib.zeros(1, dtype=lib.float64))
    if how == "device":
        return x.to("cpu", **kw)
    return x.to(device="cpu", dtype=lib.float16)


def _to_samples(rng, dtype):
    for how in ("dtype", "other", "device"):
        yield Sample((uniform(rng, (2, 3), dtype), how), name=how)
    yield Sample((uniform(rng, (2, 3), dtype), "device"), {"copy": True}, name="copy")
    yield Sample((uniform(rng, (2, 3), dtype), "dtype"), {"non_blocking": True}, name="non_blocking")
    yield Sample((uniform(rng, (2, 3), dtype, -9, 9), "int"), name="int", forward_only=True)


def _type(lib, x, t=None):
    if t is None:
        return x.type()
    return x.type(getattr(lib, t) if not t.startswith("torch.") else t)


def _type_samples(rng, dtype):
    yield Sample((uniform(rng, (2, 3), dtype),), name="name")
    yield Sample((uniform(rng, (2, 3), dtype), "float64"), name="dtype")
    yield Sample((uniform(rng, (2, 3), dtype), "torch.DoubleTensor"), name="string")
    yield Sample((uniform(rng, (2, 3), dtype), "torch.IntTensor"), name="int string", forward_only=True)
    yield Sample((uniform(rng, (4,), np.int64),), name="int64 name", forward_only=True)


def _type_as_samples(rng, dtype):
    yield Sample((uniform(rng, (2, 3), dtype), np.zeros(1)), name="float64", grad=(0,))
    yield Sample((uniform(rng, (2, 3), dtype), np.zeros(1, dtype=np.float32)), name="float32", grad=(0,))
    yield Sample((uniform(rng, (2, 3), dtype), np.zeros(1, dtype=np.int64)), name="int64", forward_only=True)


def _cuda_errors(rng, dtype):
    yield Sample((uniform(rng, (2, 3), dtype),), name="no CUDA")


CONVERT = [
    OpInfo("clone", lambda lib, x, **kw: lib.clone(x, **kw), _convert_samples, covers=("clone", "Tensor.clone"),
           exact=True),
    OpInfo("clone(memory_format)", lambda lib, x: _meta(lib.clone(x, memory_format=lib.preserve_format)),
           _convert_samples, covers=(), grad=False, known={"forward": STRIDES}),
    OpInfo("Tensor.contiguous", _method("contiguous"), _convert_samples, covers=("Tensor.contiguous",), exact=True),
    OpInfo("Tensor.contiguous(strides)", lambda lib, x: x.contiguous().stride(), _convert_samples, covers=(),
           grad=False),
    OpInfo("Tensor.cpu", _method("cpu"), _convert_samples, covers=("Tensor.cpu",), exact=True),
    OpInfo("Tensor.cuda", _method("cuda"), lambda rng, dtype: [], covers=("Tensor.cuda",), errors=_cuda_errors,
           grad=False),
    OpInfo("Tensor.to_dense", _method("to_dense"), _convert_samples, covers=("Tensor.to_dense",), exact=True),
    OpInfo("Tensor.double", _method("double"), _convert_samples, covers=("Tensor.double",), exact=True),
    OpInfo("Tensor.float", _method("float"), _convert_samples, covers=("Tensor.float",), exact=True, skip=_ROUNDS),
    OpInfo("Tensor.half", _method("half"), _convert_samples, covers=("Tensor.half",), exact=True, skip=_ROUNDS),
    OpInfo("Tensor.bfloat16", _method("bfloat16", wrap=_back), _convert_samples, covers=("Tensor.bfloat16",),
           exact=True, skip=_ROUNDS, known=_NO_BF16),
    OpInfo("Tensor.cfloat", _method("cfloat", wrap=_parts), _convert_samples, covers=("Tensor.cfloat",), exact=True,
           skip=_ROUNDS),
    OpInfo("Tensor.cdouble", _method("cdouble", wrap=_parts), _convert_samples, covers=("Tensor.cdouble",),
           exact=True),
    OpInfo("Tensor.chalf", _method("chalf", wrap=_back), _convert_samples, covers=("Tensor.chalf",), exact=True,
           skip=_ROUNDS, known=_NO_BF16),
    *[OpInfo(f"Tensor.{n}", _method(n), _int_convert_samples, covers=(f"Tensor.{n}",), grad=False, exact=True)
      for n in ("bool", "byte", "char", "int", "long", "short")],
    OpInfo("Tensor.to", _to, _to_samples, covers=("Tensor.to",)),
    OpInfo("Tensor.to(float16)", _to, lambda rng, dtype: [Sample((uniform(rng, (2, 3), dtype), "both"), name="both")],
           covers=(), skip=_ROUNDS),
    OpInfo("Tensor.type", _type, _type_samples, covers=("Tensor.type",)),
    OpInfo("Tensor.type_as", lambda lib, x, y: x.type_as(y), _type_as_samples, covers=("Tensor.type_as",)),
]


# -- in place: copy_, fill_, zero_ ---------------------------------------------------------------------------------

def _copy(lib, x, src, **kw):
    return x.clone().copy_(src, **kw)


def _copy_samples(rng, dtype):
    yield Sample((uniform(rng, (2, 3), dtype), uniform(rng, (2, 3), dtype)), name="same shape")
    yield Sample((uniform(rng, (2, 3), dtype), uniform(rng, (3,), dtype)), name="broadcast")
    yield Sample((uniform(rng, (2, 3), dtype), uniform(rng, (), dtype)), name="0-d source")
    yield Sample((uniform(rng, (2, 3), dtype), Layout(uniform(rng, (3, 2), dtype), "T")), name="T source")
    yield Sample((uniform(rng, (2, 3), dtype), uniform(rng, (2, 3), np.int64)), name="int source", grad=(0,))
    yield Sample((uniform(rng, (2, 3), dtype), uniform(rng, (2, 3), dtype)), {"non_blocking": True},
                 name="non_blocking")


def _copy_errors(rng, dtype):
    yield Sample((uniform(rng, (2, 3), dtype), uniform(rng, (4,), dtype)), name="shapes")


def _fill_(lib, x, v):
    return x.clone().fill_(v)


def _torch_fill_(lib, x, v):
    return lib.fill_(x.clone(), v)


def _fill__samples(rng, dtype):
    yield Sample((uniform(rng, (2, 3), dtype), 2.5), name="number")
    yield Sample((uniform(rng, (2, 3), dtype), uniform(rng, (), dtype)), name="0-d tensor")
    yield Sample((Layout(uniform(rng, (3, 2), dtype), "T"), -1.0), name="T")
    yield Sample((uniform(rng, (4,), np.int64), 3), name="int64", forward_only=True)


def _fill_errors(rng, dtype):
    yield Sample((uniform(rng, (2, 3), dtype), uniform(rng, (2,), dtype)), name="1-d value")


def _zero_samples(rng, dtype):
    yield Sample((uniform(rng, (2, 3), dtype),), name="(2, 3)")
    yield Sample((Layout(uniform(rng, (3, 2), dtype), "T"),), name="T")
    yield Sample((uniform(rng, (4,), np.int64),), name="int64", forward_only=True)


INPLACE = [
    OpInfo("Tensor.copy_", _copy, _copy_samples, covers=("Tensor.copy_",), errors=_copy_errors),
    OpInfo("Tensor.fill_", _fill_, _fill__samples, covers=("Tensor.fill_",), errors=_fill_errors),
    OpInfo("fill_", _torch_fill_, _fill__samples, covers=("fill_",)),
    OpInfo("Tensor.zero_", lambda lib, x: x.clone().zero_(), _zero_samples, covers=("Tensor.zero_",)),
    OpInfo("zero_", lambda lib, x: lib.zero_(x.clone()), _zero_samples, covers=("zero_",)),
]


# -- random --------------------------------------------------------------------------------------------------------

def _rand(name, calls, exact=True):
    def op(lib, *args, **kw):
        kw = {k: getattr(lib, v) if k == "dtype" else v for k, v in kw.items()}
        return seeded(lib, lambda: getattr(lib, name)(*args, **kw))

    def gen(rng, dtype):
        for args, kw in calls:
            yield Sample(tuple(args), dict(kw), name=f"{args}{kw}")
    return OpInfo(name, op, gen, covers=(name,), dtypes=F32, grad=False, exact=exact)


def _rand_like(name, extra=()):
    def op(lib, x, *args, **kw):
        kw = {k: getattr(lib, v) if k == "dtype" else v for k, v in kw.items()}
        return seeded(lib, lambda: getattr(lib, name)(x, *args, **kw))

    def gen(rng, dtype):
        yield Sample((uniform(rng, (2, 3), dtype), *extra), name="(2, 3)")
        yield Sample((uniform(rng, (), dtype), *extra), name="0-d")
        yield Sample((uniform(rng, (2, 3), dtype), *extra), {"dtype": "float64"}, name="dtype")
    return OpInfo(name, op, gen, covers=(name,), grad=False, exact=True)


def _inplace_draw(name, args_list):
    def op(lib, x, *args, **kw):
        return seeded(lib, lambda: getattr(x.clone(), name)(*args, **kw))

    def gen(rng, dtype):
        for args, kw in args_list:
            yield Sample((uniform(rng, (3, 4), dtype), *args), dict(kw), name=f"{args}{kw}")
        yield Sample((uniform(rng, (), dtype), *args_list[0][0]), dict(args_list[0][1]), name="0-d")
    return OpInfo(f"Tensor.{name}", op, gen, covers=(f"Tensor.{name}",), grad=False, exact=True)


def _bernoulli(lib, p, *args, method=False, **kw):
    return seeded(lib, lambda: p.bernoulli(*args, **kw) if method else lib.bernoulli(p, *args, **kw))


def _bernoulli_samples(rng, dtype):
    yield Sample((uniform(rng, (3, 4), dtype, 0, 1),), name="tensor p")
    yield Sample((uniform(rng, (3, 4), dtype, 0, 1), 0.3), name="float p")
    yield Sample((np.array([0.0, 1.0, 0.0, 1.0], dtype=dtype),), name="0 and 1")
    yield Sample((uniform(rng, (3, 4), dtype, 0, 1),), {"method": True}, name="method")


def _bernoulli_(lib, x, p):
    return seeded(lib, lambda: x.clone().bernoulli_(p))


def _bernoulli__samples(rng, dtype):
    yield Sample((uniform(rng, (3, 4), dtype), 0.3), name="float p")
    yield Sample((uniform(rng, (3, 4), dtype), uniform(rng, (3, 4), dtype, 0, 1)), name="tensor p")


def _multinomial(lib, p, n, method=False, **kw):
    return seeded(lib, lambda: p.multinomial(n, **kw) if method else lib.multinomial(p, n, **kw))


def _multinomial_samples(rng, dtype):
    yield Sample((uniform(rng, (5,), dtype, 0.1, 1), 3), name="without replacement")
    yield Sample((uniform(rng, (2, 4), dtype, 0.1, 1), 6), {"replacement": True}, name="with replacement")
    yield Sample((np.array([0.0, 1.0, 0.0, 2.0], dtype=dtype), 2), name="zeros")
    yield Sample((uniform(rng, (2, 4), dtype, 0.1, 1), 2), {"method": True}, name="method")


def _multinomial_errors(rng, dtype):
    yield Sample((uniform(rng, (5,), dtype, 0.1, 1), 6), name="more than the categories")
    yield Sample((np.array([0.5, -1.0, 1.0], dtype=dtype), 1), name="negative")


def _normal(lib, *args, **kw):
    args = tuple(a for a in args)
    return seeded(lib, lambda: lib.normal(*args, **kw))


def _normal_samples(rng, dtype):
    yield Sample((uniform(rng, (3, 4), dtype), uniform(rng, (3, 4), dtype, 0.5, 2)), name="tensor tensor")
    yield Sample((uniform(rng, (3, 4), dtype), 0.5), name="tensor float")
    yield Sample((0.5, uniform(rng, (3, 4), dtype, 0.5, 2)), name="float tensor")
    yield Sample((1.0, 2.0, (2, 3)), name="float float size")


def _poisson_samples(rng, dtype):
    yield Sample((uniform(rng, (3, 4), dtype, 0, 5),), name="rates")
    yield Sample((np.array([0.0, 1e-3, 50.0, 1000.0], dtype=dtype),), name="edges")


RANDOM = [
    _rand("rand", [(((2, 3),), {}), ((4,), {"dtype": "float64"}), ((0,), {})]),
    _rand("randn", [(((2, 3),), {}), ((5,), {"dtype": "float64"}), (((),), {})]),
    _rand("randint", [((10, (2, 3)), {}), ((-3, 4, (5,)), {}), ((5, (3,)), {"dtype": "float32"})]),
    _rand("randperm", [((6,), {}), ((1,), {}), ((0,), {}), ((5,), {"dtype": "float64"})]),
    _rand_like("rand_like"), _rand_like("randn_like"), _rand_like("randint_like", extra=(7,)),
    OpInfo("bernoulli", _bernoulli, _bernoulli_samples, covers=("bernoulli", "Tensor.bernoulli"), grad=False,
           exact=True),
    OpInfo("Tensor.bernoulli_", _bernoulli_, _bernoulli__samples, covers=("Tensor.bernoulli_",), grad=False,
           exact=True),
    OpInfo("multinomial", _multinomial, _multinomial_samples, covers=("multinomial", "Tensor.multinomial"),
           grad=False, errors=_multinomial_errors),
    OpInfo("normal", _normal, _normal_samples, covers=("normal",), grad=False, exact=True),
    OpInfo("poisson", lambda lib, x: seeded(lib, lambda: lib.poisson(x)), _poisson_samples, covers=("poisson",),
           grad=False, exact=True),
    _inplace_draw("normal_", [((), {}), ((1.0, 0.5), {})]),
    _inplace_draw("uniform_", [((), {}), ((-1.0, 3.0), {})]),
    _inplace_draw("cauchy_", [((), {}), ((0.5, 2.0), {})]),
    _inplace_draw("exponential_", [((), {}), ((2.0,), {})]),
    _inplace_draw("geometric_", [((0.3,), {})]),
    _inplace_draw("log_normal_", [((), {}), ((0.5, 0.25), {})]),
    _inplace_draw("random_", [((), {}), ((10,), {}), ((-5, 5), {})]),
]

ENTRIES = CREATION + CONVERT + INPLACE + RANDOM
