"""ember: a deep-learning library with PyTorch's API, built on NumPy.

``import ember as torch`` and a PyTorch program for the CPU runs unchanged: tensors that record how they were
computed, ``.backward()`` walking that graph with the chain rule, ``nn``, ``optim``, ``utils.data``.
"""

from __future__ import annotations

import math as _math
import sys as _sys

from . import _dtype
from ._dtype import (bfloat16, complex64, complex128, dtype, float16, float32, float64, get_default_dtype,
                     int8, int16, int32, int64, set_default_dtype, uint8)
from ._dtype import bool_ as bool  # noqa: A001  (PyTorch's name)
from .tensor import Size, Tensor, device
from . import autograd
from .autograd import (enable_grad, inference_mode, is_grad_enabled, is_inference_mode_enabled, no_grad,
                       set_grad_enabled)
from .autograd.functions import *  # noqa: F401,F403  (the op functions: ember.exp, ember.matmul, ...)
from .autograd.functions import (abs, all, any, max, min, pow, round, sum)  # noqa: A004
from ._creation import complex_ as complex  # noqa: A004
from ._creation import (arange, as_tensor, asarray, cartesian_prod, empty, empty_like, eye,
                        from_numpy, full, full_like, linspace, logspace, meshgrid, ones, ones_like, polar, tensor,
                        zeros, zeros_like)
from ._creation import range_ as range  # noqa: A001
from . import random
from .random import (Generator, bernoulli, default_generator, get_rng_state, initial_seed, manual_seed,
                     multinomial, normal, poisson, rand, rand_like, randint, randint_like, randn, randn_like,
                     randperm, seed, set_rng_state)
from ._tensor_str import get_printoptions, set_printoptions
from . import return_types
from ._compat import (backends, cuda, get_num_threads, is_tensor, is_floating_point, is_complex, numel,
                      result_type, can_cast, promote_types, set_num_threads, use_deterministic_algorithms,
                      are_deterministic_algorithms_enabled, is_nonzero, typename, compile, jit, mps,
                      set_float32_matmul_precision, get_float32_matmul_precision, finfo, iinfo, broadcast_shapes,
                      manual_seed_all, set_default_device, get_default_device, chain_matmul, detach, dist, cdist,
                      addmv, addbmm, baddbmm, cosine_similarity, pairwise_distance, cross, bucketize, searchsorted,
                      histc, block_diag, diff, clamp_, rot90, vander, cummax, cummin, logcumsumexp, logaddexp,
                      hypot, xlogy, fft, sigmoid_, relu_, tanh_, zero_, mode, bincount,
                      diag_embed, tril_indices, triu_indices, atleast_1d, atleast_2d, atleast_3d, nansum, nanmean,
                      bitwise_left_shift, bitwise_right_shift)

from ._compat import (copysign, deg2rad, rad2deg, float_power, fmax, fmin, isneginf, isposinf, logit, signbit,
                      unfold)
from . import _extra_ops
from ._extra_ops import (
    erfc, erfinv, lgamma, digamma, polygamma, mvlgamma, i0, sinc, igamma, igammac, heaviside, gcd, lcm, nextafter,
    frexp, ldexp, logaddexp2, angle, isreal, isin, view_as_real, view_as_complex, real, imag, tensordot, kron,
    inner, vdot, addr, matrix_power, inverse, det, logdet, slogdet, svd, qr, cholesky_solve,
    cholesky_inverse, pinverse, matrix_exp, lstsq, triangular_solve, frobenius_norm, nuclear_norm, aminmax,
    argwhere, cov, corrcoef, quantile, nanquantile, nanmedian, histogram, unique_consecutive, combinations,
    trapezoid, trapz, cumulative_trapezoid, renorm, pdist, gradient, diagflat, unravel_index, scatter_reduce,
    index_reduce, put, hsplit, vsplit, dsplit, row_stack, scalar_tensor, empty_strided, empty_permuted,
    hann_window, hamming_window, blackman_window, bartlett_window, kaiser_window, set_default_tensor_type,
    is_same_size, is_signed, is_conj, is_neg, is_inference, resolve_conj, resolve_neg, autocast,
    is_autocast_enabled, get_autocast_dtype, GradScaler, FloatTensor, DoubleTensor, HalfTensor, BFloat16Tensor,
    LongTensor, IntTensor, ShortTensor, CharTensor, ByteTensor, BoolTensor, true_divide, negative, fill,
    threshold, dropout, feature_dropout, embedding, batch_norm, layer_norm, group_norm, instance_norm,
    binary_cross_entropy_with_logits, kl_div, poisson_nll_loss, cosine_embedding_loss, margin_ranking_loss,
    hinge_embedding_loss, triplet_margin_loss, channel_shuffle, rms_norm, as_strided, alias_copy,
    view_as_real_copy, view_as_complex_copy, split_with_sizes, conj_physical, get_device, is_storage,
    is_distributed, set_warn_always, is_warn_always_enabled, set_num_interop_threads, get_num_interop_threads,
    set_flush_denormal, is_anomaly_enabled, set_anomaly_enabled, is_autocast_cpu_enabled, set_autocast_enabled,
    dropout_, alpha_dropout_, feature_dropout_, feature_alpha_dropout, threshold_, selu_, celu_, rrelu_,
    cpu, vmap, adjoint, unsafe_chunk, unsafe_split, constant_pad_nd, resize_as_)

linalg = _extra_ops._build_linalg()
for _name, _cls in _extra_ops._LEGACY.items():  # torch.cuda.FloatTensor & co.: the CPU classes (no GPU here)
    setattr(cuda, _name, _cls)
special = _extra_ops._build_special()
for _name in _extra_ops.FUNCTIONAL_ALIASES:
    globals()[_name] = _extra_ops._same_as_functional(_name)
for _name in _extra_ops.COPY_VARIANTS:
    globals()[_name + "_copy"] = _extra_ops._copy_of(_name)
for _name in _extra_ops.INPLACE_FUNCTIONS:
    globals()[_name] = _extra_ops._inplace_fn(_name)
arccos, arcsin, arctan, arctan2 = acos, asin, atan, atan2  # noqa: F405
arccosh, arcsinh, arctanh = acosh, asinh, atanh  # noqa: F405
multiply, divide, subtract = mul, div, sub  # noqa: F405
greater, greater_equal, less, less_equal, not_equal = gt, ge, lt, le, ne  # noqa: F405
absolute = abs
from ._extra_ops import torch_cholesky as cholesky  # noqa: E402
from ._extra_ops import _sgn as sgn, _fix as fix, _ravel as ravel  # noqa: E402

float = float32  # noqa: A001
double = float64
half = float16
long = int64
int = int32  # noqa: A001
short = int16
cfloat = complex64
cdouble = complex128
uint16 = int32
chalf = complex64  # no complex32 in NumPy
strided = "torch.strided"
contiguous_format = "torch.contiguous_format"
channels_last = "torch.channels_last"
preserve_format = "torch.preserve_format"

pi = _math.pi
e = _math.e
inf = _math.inf
nan = _math.nan
newaxis = None

__version__ = "2.13.0+ember"
version = _sys.modules[__name__]


_compat.install_out(globals())  # out= on torch.matmul, torch.mul, torch.cat ... (the tutorials' spelling)


def __getattr__(name):
    # submodules that are heavier (nn, optim, utils, viz...) load on first use, keeping `import ember` fast
    import importlib
    if name in ("nn", "optim", "utils", "distributed", "viz", "serialization", "testing", "distributions", "hub", "onnx",
                "amp", "multiprocessing", "overrides", "types", "library", "func", "profiler"):
        try:
            mod = importlib.import_module(f".{name}", __name__)
        except ModuleNotFoundError:  # a torch submodule ember does not provide: hasattr() must say False
            raise AttributeError(f"module 'ember' has no attribute '{name}'") from None
        globals()[name] = mod
        return mod
    if name in ("save", "load"):
        from . import serialization
        return getattr(serialization, name)
    raise AttributeError(f"module 'ember' has no attribute '{name}'")
