"""Catalogue entries of ember.ops.complex (see op_catalogue.py): making complex tensors from real ones and taking
them apart. The checks differentiate real inputs, so each entry builds its complex tensors with complex() or
polar() and returns real results beside the complex ones (gradcheck and forward mode see the real ones)."""

from __future__ import annotations

import numpy as np
from op_catalogue import Layout, OpInfo, Sample, unary_samples, uniform

POLAR = "PyTorch's backward of polar takes z's direction as sgn(z), -e^(iθ) for abs < 0 and 0 at abs = 0, so its " \
        "derivative in abs has the opposite sign there (ember mirrors it; the backward check compares it), while " \
        "its forward mode and finite differences have e^(iθ)"
POLAR_CHECKS = ("gradcheck", "gradgradcheck", "jvp_vjp", "forward_over_reverse")
SELECT_0D = "ops.shape defect (not this family; fixed on h/fshape): select() of a 1-d tensor gives a NumPy scalar, " \
            "not a 0-d array, so real() and imag() of a 0-d complex tensor (a view_as_real(z)[..., k]) are no arrays"
SPECIAL = np.array([np.nan, np.inf, -np.inf, 0.0, -0.0, 1.0, -2.0])


def _is_float(dtype):
    return np.dtype(dtype).kind == "f"


def _pairs(lo=-2.0, hi=2.0, b_lo=-2.0, b_hi=2.0):
    """two real operands: equal shapes, broadcast both ways, 0-d, transposed; special values for the forward"""
    def gen(rng, dtype):
        for sa, sb in (((5,), (5,)), ((2, 3), (2, 3)), ((2, 3), (3,)), ((3, 1), (1, 4))):
            yield Sample((uniform(rng, sa, dtype, lo, hi), uniform(rng, sb, dtype, b_lo, b_hi)), name=f"{sa}{sb}")
        yield Sample((Layout(uniform(rng, (3, 2), dtype, lo, hi), "T"), uniform(rng, (2, 3), dtype, b_lo, b_hi)),
                     name="T")
        yield Sample((uniform(rng, (4,), dtype, lo, hi), Layout(uniform(rng, (8,), dtype, b_lo, b_hi), "strided")),
                     name="strided")
        if _is_float(dtype):
            a = np.repeat(SPECIAL, len(SPECIAL)).astype(dtype)
            b = np.tile(SPECIAL, len(SPECIAL)).astype(dtype)
            yield Sample((a, b), name="special", forward_only=True)
            yield Sample((np.zeros((0, 2), dtype=dtype), np.zeros((0, 2), dtype=dtype)), name="empty",
                         forward_only=True)
    return gen


def _pair_errors(rng, dtype):
    yield Sample((np.array([1, 2]), np.array([3, 4])), name="int64")
    yield Sample((uniform(rng, (3,), dtype), uniform(rng, (4,), dtype)), name="shapes")


def _mixed_errors(rng, dtype):
    yield Sample((uniform(rng, (3,), dtype), uniform(rng, (3,), dtype)), name="float32 with float64")


def _view_too(lib, z):
    """the complex result and its real view (what gradcheck and forward mode can see)"""
    return z, lib.view_as_real(z)


def _complex(lib, a, b):
    return _view_too(lib, lib.complex(a, b))


def _polar(lib, r, theta):
    return _view_too(lib, lib.polar(r, theta))


def _zero_d_parts(lib, a, b):
    """0-d complex tensors through every op of the family"""
    z = lib.complex(a, b)
    p = lib.polar(b, a)
    return z, lib.real(z), lib.imag(p), lib.angle(z), lib.view_as_real(lib.conj_physical(p)), lib.view_as_complex(
        lib.view_as_real(z))


def _vac_samples(rng, dtype):
    for shape in ((3, 2), (2, 4, 2)):
        yield Sample((uniform(rng, shape, dtype),), name=f"{shape}")
    yield Sample((Layout(uniform(rng, (6, 2), dtype), "strided"),), name="every other row")
    if _is_float(dtype):
        yield Sample((np.stack([SPECIAL, SPECIAL[::-1]], -1).astype(dtype),), name="special", forward_only=True)
        yield Sample((np.zeros((0, 2), dtype=dtype),), name="empty", forward_only=True)


def _vac_errors(rng, dtype):
    yield Sample((uniform(rng, (3, 3), dtype),), name="last dimension 3")
    yield Sample((uniform(rng, (), dtype),), name="0-d")
    yield Sample((np.ones((3, 2), dtype=np.int64),), name="int64")
    yield Sample((Layout(uniform(rng, (2, 2), dtype), "T"),), name="transposed")


def _view_as_complex(lib, x):
    c = lib.view_as_complex(x)
    return c, lib.imag(c)


def _isreal_samples(rng, dtype):
    yield Sample((uniform(rng, (2, 3), dtype),), name="real")
    yield Sample((np.array([1 + 0j, 2 - 1j, 0j, np.nan + 0j, 1j * np.inf]),), name="complex128")
    yield Sample((np.array([1 + 0j, 2 - 1j], dtype=np.complex64),), name="complex64")
    yield Sample((np.array([1, 0, -3]),), name="int64")
    yield Sample((np.array([True, False]),), name="bool")


def _conj_real_samples(rng, dtype):
    yield from unary_samples()(rng, dtype)
    yield Sample((np.array([1, -2]),), name="int64 (itself)", forward_only=True)


ENTRIES = [
    OpInfo("complex", _complex, _pairs(), errors=_pair_errors, covers=("complex",)),
    OpInfo("complex(float32, float64)", lambda lib, a, b: lib.complex(a, b.double()), lambda rng, dtype: [],
           covers=(), dtypes=(np.float32,), errors=_mixed_errors),
    OpInfo("polar", _polar, _pairs(0.2, 2.0, -3.0, 3.0), errors=_pair_errors, covers=("polar",)),
    OpInfo("polar(negative abs)", _polar,
           lambda rng, dtype: [Sample((uniform(rng, (4,), dtype, -2.0, -0.2), uniform(rng, (4,), dtype, -3, 3)),
                                      name="abs < 0"),
                               Sample((np.array([0.0, 1.0], dtype=dtype), uniform(rng, (2,), dtype, -3, 3)),
                                      name="abs = 0")], covers=(), skip={c: POLAR for c in POLAR_CHECKS}),
    OpInfo("0-d", _zero_d_parts, lambda rng, dtype: [Sample((uniform(rng, (), dtype), uniform(rng, (), dtype, 0.2, 2)),
                                                            name="()()")],
           covers=(), skip={"forward": SELECT_0D, "forward_ad": SELECT_0D}),
    OpInfo("polar(float64, float32)", lambda lib, a, b: lib.polar(a.double(), b), lambda rng, dtype: [],
           covers=(), dtypes=(np.float32,), errors=_mixed_errors),
    OpInfo("view_as_real", lambda lib, r, theta: lib.view_as_real(lib.polar(r, theta)), _pairs(0.2, 2.0, -3.0, 3.0),
           covers=("view_as_real",)),
    OpInfo("view_as_real(real input)", lambda lib, x: lib.view_as_real(x), lambda rng, dtype: [], covers=(),
           errors=lambda rng, dtype: [Sample((uniform(rng, (3,), dtype),), name="real")]),
    OpInfo("view_as_real_copy", lambda lib, a, b: lib.view_as_real_copy(lib.complex(a, b)), _pairs(),
           covers=("view_as_real_copy",)),
    OpInfo("view_as_complex", _view_as_complex, _vac_samples, errors=_vac_errors, covers=("view_as_complex",)),
    OpInfo("view_as_complex_copy", lambda lib, x: lib.view_as_complex_copy(x), _vac_samples, grad=False,
           errors=_vac_errors, covers=("view_as_complex_copy",)),
    OpInfo("view_as_complex_copy(requires grad)",
           lambda lib, x: lib.view_as_complex_copy(x.detach().requires_grad_(True)), lambda rng, dtype: [],
           covers=(), errors=lambda rng, dtype: [Sample((uniform(rng, (3, 2), dtype),), name="requires grad")]),
    OpInfo("real", lambda lib, a, b: lib.real(lib.complex(a, b)), _pairs(), covers=("real",)),
    OpInfo("real(real input)", lambda lib, x: lib.real(x), unary_samples(), covers=()),
    OpInfo("imag", lambda lib, a, b: lib.imag(lib.complex(a, b)), _pairs(), covers=("imag",)),
    OpInfo("imag(real input)", lambda lib, x: lib.imag(x), lambda rng, dtype: [], covers=(),
           errors=lambda rng, dtype: [Sample((uniform(rng, (3,), dtype),), name="real")]),
    OpInfo("Tensor.real and Tensor.imag", lambda lib, a, b: (lib.complex(a, b).real, lib.polar(a, b).imag),
           _pairs(0.2, 2.0), covers=()),
    OpInfo("angle", lambda lib, x: lib.angle(x), unary_samples(), covers=("angle", "Tensor.angle")),
    OpInfo("angle(complex)", lambda lib, a, b: lib.angle(lib.complex(a, b)), _pairs(), covers=()),
    OpInfo("angle(complex zero)", lambda lib, a, b: lib.angle(lib.complex(a, b)),
           lambda rng, dtype: [Sample((np.array([0.0, 1.0, -0.5], dtype=dtype), np.array([0.0, 0.5, 0.0], dtype=dtype)),
                                      name="z = 0")], covers=(),
           skip={c: "angle is not differentiable at z = 0 (PyTorch's derivative is 0 there: the backward and "
                    "forward_ad checks compare it)" for c in ("gradcheck", "gradgradcheck", "forward_over_reverse")}),
    OpInfo("conj", lambda lib, x: lib.conj(x), _conj_real_samples, covers=("conj", "Tensor.conj")),
    OpInfo("conj(complex)", lambda lib, a, b: lib.imag(lib.conj(lib.complex(a, b))), _pairs(), covers=()),
    OpInfo("conj_physical", lambda lib, x: lib.conj_physical(x), _conj_real_samples,
           covers=("conj_physical", "Tensor.conj_physical")),
    OpInfo("conj_physical(complex)", lambda lib, a, b: _view_too(lib, lib.conj_physical(lib.complex(a, b))), _pairs(),
           covers=()),
    OpInfo("isreal", lambda lib, x: lib.isreal(x), _isreal_samples, grad=False, covers=("isreal", "Tensor.isreal")),
]
