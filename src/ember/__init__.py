"""ember: a deep-learning library with PyTorch's API, built on NumPy.

``import ember as torch`` and a PyTorch program for the CPU runs unchanged: tensors that record how they were
computed, ``.backward()`` walking that graph with the chain rule, ``nn``, ``optim``, ``utils.data``.

The namespace is built from names: the ops' declared ``torch.*`` names (``ember._bind.TORCH``), then the
dtypes, modes, settings and submodules below. Heavier submodules (``nn``, ``optim``, ``utils``, ``viz`` ...)
and the ``torch.*`` spellings of nn ops load on first use; ``dir(ember)`` lists them all the same.
"""


import importlib as _importlib
import math as _math
import warnings as _warnings

from . import (
    _bind,
    _devices,
    _not_offered,
    _settings,
    autograd,
    ops,
    random,
    return_types,
    version,
)
from ._classproperty import classproperty
from ._core import dtype as _dtype
from ._core.dtype import (
    bfloat16,
    complex64,
    complex128,
    dtype,
    float16,
    float32,
    float64,
    get_default_dtype,
    int8,
    int16,
    int32,
    int64,
    set_default_dtype,
    uint8,
)
from ._core.dtype import bool_ as bool  # noqa: A001  (PyTorch's name)
from ._core.tensor import Size, Tensor, device
from ._devices import OutOfMemoryError, compile
from ._layouts import (  # the classes of torch.strided and torch.contiguous_format & co.
    channels_last,
    channels_last_3d,
    contiguous_format,
    layout,
    memory_format,
    preserve_format,
    strided,
)
from ._not_offered import NotOfferedError
from ._settings import (
    are_deterministic_algorithms_enabled,
    clear_autocast_cache,
    compiled_with_cxx11_abi,
    get_default_device,
    get_deterministic_debug_mode,
    get_float32_matmul_precision,
    get_num_interop_threads,
    get_num_threads,
    init_num_threads,
    is_anomaly_check_nan_enabled,
    is_anomaly_enabled,
    is_autocast_cache_enabled,
    is_deterministic_algorithms_warn_only_enabled,
    is_vulkan_available,
    is_warn_always_enabled,
    set_anomaly_enabled,
    set_autocast_cache_enabled,
    set_default_device,
    set_deterministic_debug_mode,
    set_float32_matmul_precision,
    set_flush_denormal,
    set_num_interop_threads,
    set_num_threads,
    set_warn_always,
    use_deterministic_algorithms,
)
from ._tensor_str import set_printoptions
from .autograd import (
    enable_grad,
    inference_mode,
    is_grad_enabled,
    is_inference_mode_enabled,
    no_grad,
    set_grad_enabled,
)
from .ops.legacy import (
    BFloat16Tensor,
    BoolTensor,
    ByteTensor,
    CharTensor,
    DoubleTensor,
    FloatTensor,
    HalfTensor,
    IntTensor,
    LongTensor,
    ShortTensor,
    set_default_tensor_type,
)
from .ops.quantize import (
    per_channel_affine,
    per_channel_affine_float_qparams,
    per_channel_symmetric,
    per_tensor_affine,
    per_tensor_symmetric,
    qint8,
    qint32,
    qscheme,
    quint8,
)
from .random import (
    Generator,
    default_generator,
    get_rng_state,
    initial_seed,
    manual_seed,
    seed,
    set_rng_state,
)
from .storage import LEGACY_STORAGES as _LEGACY_STORAGES
from .storage import TypedStorage, UntypedStorage
from .version import __version__

globals().update(_bind.TORCH)  # ember.exp, ember.matmul, ember.cat, ... as each op declares them

_not_offered.install_tensor(Tensor)  # t.stft() & co. raise NotOfferedError, saying why
_not_offered.install_all()  # so do torch.nn.X & co. (each module as it is imported)

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

legacy_contiguous_format = contiguous_format  # PyTorch's alias of contiguous_format
has_lapack = has_mkl = has_openmp = has_spectral = True  # as PyTorch's CPU build reports them
globals().update(_LEGACY_STORAGES)  # torch.FloatStorage & co.
Storage = _LEGACY_STORAGES["FloatStorage"]  # PyTorch's torch.Storage is torch.FloatStorage

pi = _math.pi
e = _math.e
inf = _math.inf
nan = _math.nan
newaxis = None

# submodules loaded on first use, and names that live in them
_SUBMODULES = ("nn", "optim", "utils", "distributed", "viz", "serialization", "testing", "distributions", "func", "vision",
               "safetensors", "kernels", "multiprocessing", "overrides", "types", "library", "profiler", "hub",
               "onnx", "cuda", "cpu", "mps", "backends", "jit", "accelerator", "functional", "amp", "compiler",
               "storage", "futures", "special", "linalg", "fft")
_LAZY = {"save": "serialization", "load": "serialization", "ScriptModule": "jit", "ScriptFunction": "jit",
         "fork": "jit", "wait": "jit", "vmap": "func", "Future": "futures"}
_NN_TORCH = ("conv1d", "conv2d", "conv_transpose1d", "conv_transpose2d", "max_pool1d", "max_pool2d", "avg_pool1d",
             "adaptive_avg_pool1d", "adaptive_max_pool1d", "selu", "celu", "rrelu", "prelu", "hardshrink",
             "pixel_shuffle", "pixel_unshuffle", "bilinear", "alpha_dropout", "threshold", "dropout",
             "feature_dropout", "embedding", "batch_norm", "layer_norm", "group_norm", "instance_norm",
             "binary_cross_entropy_with_logits", "kl_div", "poisson_nll_loss", "cosine_embedding_loss",
             "margin_ranking_loss", "hinge_embedding_loss", "triplet_margin_loss", "channel_shuffle", "rms_norm",
             "dropout_", "alpha_dropout_", "feature_dropout_", "feature_alpha_dropout", "threshold_", "selu_",
             "celu_", "rrelu_", "constant_pad_nd", "conv3d", "conv_transpose3d", "max_pool3d",
             "max_pool1d_with_indices", "ctc_loss", "native_layer_norm", "native_batch_norm", "native_group_norm",
             "native_dropout", "rnn_tanh_cell", "rnn_relu_cell", "lstm_cell", "gru_cell", "feature_alpha_dropout_",
             "convolution", "native_norm", "norm_except_dim", "native_channel_shuffle", "embedding_renorm_",
             "grid_sampler", "grid_sampler_2d", "grid_sampler_3d", "affine_grid_generator", "lstm", "gru",
             "rnn_tanh", "rnn_relu", "batch_norm_stats", "batch_norm_elemt", "batch_norm_gather_stats",
             "batch_norm_gather_stats_with_counts", "batch_norm_backward_reduce", "batch_norm_backward_elemt",
             "batch_norm_update_stats", "conv_tbc", "embedding_bag", "cudnn_is_acceptable",
             "cudnn_affine_grid_generator", "cudnn_batch_norm", "cudnn_convolution", "cudnn_convolution_add_relu",
             "cudnn_convolution_relu", "cudnn_convolution_transpose", "cudnn_grid_sampler", "miopen_batch_norm",
             "miopen_convolution", "miopen_convolution_add_relu", "miopen_convolution_relu",
             "miopen_convolution_transpose", "miopen_ctc_loss", "miopen_depthwise_convolution", "miopen_rnn",
             "mkldnn_adaptive_avg_pool2d", "mkldnn_linear_backward_weights", "mkldnn_max_pool2d",
             "mkldnn_max_pool3d")
_LAZY.update(dict.fromkeys(_NN_TORCH, "_nn_torch"))
_LAZY.update(dict.fromkeys(("frombuffer", "from_dlpack", "to_dlpack"), "_interop"))
_LAZY.update(dict.fromkeys(("sym_int", "sym_float", "sym_max", "sym_min", "sym_not", "sym_sqrt", "sym_ite",
                            "sym_sum", "sym_constrain_range", "sym_constrain_range_for_size", "sym_fresh_size"),
                           "_sym"))
_LAZY.update(dict.fromkeys(("cond", "while_loop"), "_control_flow"))
_LAZY.update(dict.fromkeys(("SymInt", "SymFloat", "SymBool"), "_sym"))
_LAZY.update(dict.fromkeys(("Stream", "Event"), "_streams"))
_LAZY.update(dict.fromkeys(("get_file_path", "AcceleratorError"), "_devices"))
_LAZY["get_device_module"] = "_device_modules"
_LAZY.update(dict.fromkeys(("DisableTorchFunction", "DisableTorchFunctionSubclass"), "overrides"))
_LAZY["thread_safe_generator"] = "random"
_LAZY["use_as_torch"] = "_torch_alias"
_LAZY.update(dict.fromkeys((  # TorchScript's type objects
    "AnyType", "AwaitType", "BoolType", "ComplexType", "DeviceObjType", "DictType", "FloatType", "FutureType",
    "IntType", "ListType", "NoneType", "NumberType", "OptionalType", "PyObjectType", "RRefType", "ScriptDict",
    "ScriptDictIterator", "ScriptDictKeyIterator", "ScriptList", "ScriptListIterator", "StreamObjType", "StringType",
    "SymBoolType", "SymIntType", "TensorType", "TupleType", "Type", "UnionType"), "_jit_types"))
_LAZY.update(dict.fromkeys((  # autocast's switches and the GradScaler
    "GradScaler", "autocast", "autocast_decrement_nesting", "autocast_increment_nesting", "get_autocast_cpu_dtype",
    "get_autocast_dtype", "get_autocast_gpu_dtype", "get_autocast_ipu_dtype", "get_autocast_xla_dtype",
    "is_autocast_cpu_enabled", "is_autocast_enabled", "is_autocast_ipu_enabled", "is_autocast_xla_enabled",
    "set_autocast_cpu_dtype", "set_autocast_cpu_enabled", "set_autocast_dtype", "set_autocast_enabled",
    "set_autocast_gpu_dtype", "set_autocast_ipu_dtype", "set_autocast_ipu_enabled", "set_autocast_xla_dtype",
    "set_autocast_xla_enabled"), "amp"))


def __getattr__(name):
    if name in _SUBMODULES:
        try:
            module = _importlib.import_module(f".{name}", __name__)
        except ModuleNotFoundError as err:  # a torch submodule ember does not provide: hasattr() must say False
            if err.name and err.name.startswith(f"{__name__}.{name}"):
                raise AttributeError(f"module 'ember' has no attribute '{name}'") from None
            raise
        globals()[name] = module
        return module
    home = _LAZY.get(name)
    if home is not None:
        value = getattr(_importlib.import_module(f".{home}", __name__), name)
        globals()[name] = value
        return value
    raise _not_offered.missing("ember", "torch", name)  # NotOfferedError for what ember does not offer


def __dir__():
    return sorted(set(globals()) | set(_SUBMODULES) | set(_LAZY))


# NumPy reports floating-point overflow, underflow, 0/0 and x/0 in its ufuncs as RuntimeWarnings from the line that
# called it; PyTorch's kernels say nothing (inf and nan are the answer). Silence those that come from ember's own
# lines, and only those: NumPy code of the user's still warns as it always does.
_warnings.filterwarnings("ignore", r"(overflow|underflow|invalid value|divide by zero) encountered",
                         RuntimeWarning, r"ember(\.|$)")
