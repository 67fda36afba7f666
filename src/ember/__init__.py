"""ember: a deep-learning library with PyTorch's API, built on NumPy.

``import ember as torch`` and a PyTorch program for the CPU runs unchanged: tensors that record how they were
computed, ``.backward()`` walking that graph with the chain rule, ``nn``, ``optim``, ``utils.data``.
"""

from __future__ import annotations

import math as _math

from . import _bind  # noqa: F401  (gives Tensor its methods and operators)
from . import _devices, _legacy, _nn_torch, _settings, autograd, fft, ops, random, return_types
from ._core import dtype as _dtype
from ._core.dtype import (bfloat16, complex64, complex128, dtype, float16, float32, float64, get_default_dtype,
                          int8, int16, int32, int64, set_default_dtype, uint8)
from ._core.dtype import bool_ as bool  # noqa: A001  (PyTorch's name)
from ._core.tensor import Size, Tensor, device
from ._tensor_str import get_printoptions, set_printoptions
from ._torch_alias import use_as_torch  # `import torch` -> ember (python -m ember run)
from .autograd import (enable_grad, inference_mode, is_grad_enabled, is_inference_mode_enabled, no_grad,
                       set_grad_enabled)
from .random import (Generator, default_generator, get_rng_state, initial_seed, manual_seed, seed,
                     set_rng_state)

# the op functions: ember.exp, ember.matmul, ember.cat, ... (every family's __all__)
for _name in ops.__all__:
    globals()[_name] = getattr(ops, _name)
del _name
from .ops.creation import complex_ as complex  # noqa: E402,A004
from .ops.creation import range_ as range  # noqa: E402,A001

from ._devices import backends, compile, cpu, cuda, distributed, jit, mps  # noqa: E402
from ._legacy import (BFloat16Tensor, BoolTensor, ByteTensor, CharTensor, DoubleTensor, FloatTensor,  # noqa: E402
                      HalfTensor, IntTensor, LongTensor, ShortTensor, set_default_tensor_type)
from ._settings import (are_deterministic_algorithms_enabled, get_default_device,  # noqa: E402
                        get_float32_matmul_precision, get_num_interop_threads, get_num_threads, is_anomaly_enabled,
                        is_warn_always_enabled, manual_seed_all, set_anomaly_enabled, set_default_device,
                        set_float32_matmul_precision, set_flush_denormal, set_num_interop_threads, set_num_threads,
                        set_warn_always, use_deterministic_algorithms)
from .amp import (GradScaler, autocast, get_autocast_dtype, is_autocast_cpu_enabled,  # noqa: E402
                  is_autocast_enabled, set_autocast_enabled)
from .func import vmap  # noqa: E402

for _name in _nn_torch.FUNCTIONAL_ALIASES:
    globals()[_name] = _nn_torch._same_as_functional(_name)
from ._nn_torch import (alpha_dropout_, batch_norm, binary_cross_entropy_with_logits, celu_,  # noqa: E402
                        channel_shuffle, constant_pad_nd, cosine_embedding_loss, dropout, dropout_, embedding,
                        feature_alpha_dropout, feature_dropout, feature_dropout_, group_norm, hinge_embedding_loss,
                        instance_norm, kl_div, layer_norm, margin_ranking_loss, poisson_nll_loss, rms_norm,
                        rrelu_, selu_, threshold, threshold_, triplet_margin_loss)
from ._bind import clamp_, relu_, sigmoid_, tanh_, zero_  # noqa: E402
from .linalg import _build_linalg  # noqa: E402
from .special import _build_special  # noqa: E402

linalg = _build_linalg()
for _name, _cls in _legacy._LEGACY.items():  # torch.cuda.FloatTensor & co.: the CPU classes (no GPU here)
    setattr(cuda, _name, _cls)
special = _build_special()
for _name in ops.shape.COPY_VARIANTS:
    globals()[_name + "_copy"] = ops.shape._copy_of(_name)
for _name in _bind.INPLACE_FUNCTIONS:
    globals()[_name] = _bind._inplace_fn(_name)
arccos, arcsin, arctan, arctan2 = acos, asin, atan, atan2  # noqa: F821
arccosh, arcsinh, arctanh = acosh, asinh, atanh  # noqa: F821
multiply, divide, subtract = mul, div, sub  # noqa: F821
greater, greater_equal, less, less_equal, not_equal = gt, ge, lt, le, ne  # noqa: F821
absolute = abs  # noqa: F821
cholesky = ops.linalg.torch_cholesky
sgn, fix, ravel = ops.unary._sgn, ops.unary._fix, ops.shape._ravel

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
version = __import__("sys").modules[__name__]


ops.out.install_out(globals())  # out= on torch.matmul, torch.mul, torch.cat ... (the tutorials' spelling)


def __getattr__(name):
    # submodules that are heavier (nn, optim, utils, viz...) load on first use, keeping `import ember` fast
    import importlib
    if name in ("nn", "optim", "utils", "viz", "serialization", "testing", "distributions", "hub", "onnx",
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
