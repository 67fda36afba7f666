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
                      hypot, xlogy, special, linalg, fft, sigmoid_, relu_, tanh_, zero_, mode, bincount,
                      diag_embed, tril_indices, triu_indices, atleast_1d, atleast_2d, atleast_3d, nansum, nanmean,
                      bitwise_left_shift, bitwise_right_shift)

float = float32  # noqa: A001
double = float64
half = float16
long = int64
int = int32  # noqa: A001
short = int16
cfloat = complex64
cdouble = complex128
uint16 = int32
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


def __getattr__(name):
    # submodules that are heavier (nn, optim, utils, viz...) load on first use, keeping `import ember` fast
    import importlib
    if name in ("nn", "optim", "utils", "viz", "serialization", "testing", "distributions", "hub", "onnx",
                "amp", "multiprocessing", "overrides", "types", "library", "func", "profiler"):
        mod = importlib.import_module(f".{name}", __name__)
        globals()[name] = mod
        return mod
    if name in ("save", "load"):
        from . import serialization
        return getattr(serialization, name)
    raise AttributeError(f"module 'ember' has no attribute '{name}'")
