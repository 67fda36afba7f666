"""What ember does not offer of PyTorch's public surface, and why: ``NOT_OFFERED`` maps a name to a reason.

Reaching such a name raises ``NotOfferedError`` with the reason, instead of an AttributeError that reads like
a typo: a module attribute raises when it is looked up (``torch.stft``), a Tensor method when it is called
(``t.stft()``). NotOfferedError is both an AttributeError, so ``hasattr`` and ``getattr(torch, name, None)``
keep their meaning for feature tests, and a NotImplementedError.
"""

from __future__ import annotations

import sys

__all__ = ["NotOfferedError", "NOT_OFFERED", "reason", "error", "missing", "install", "install_tensor",
           "install_all", "is_placeholder", "MODULES"]


class NotOfferedError(AttributeError, NotImplementedError):
    """A PyTorch name that ember does not offer (the message says why)."""


NotOfferedError.__module__ = "ember"

NOT_OFFERED: dict[str, str] = {}


def _add(namespace: str, why: str, names: str) -> None:
    for name in names.split():
        NOT_OFFERED[f"{namespace}.{name}"] = why


# -- reasons ------------------------------------------------------------------------------------------------------
_JIT = "TorchScript's compiler internals (IR, types, modules); ember runs models as Python"
_DISPATCH = "PyTorch's C++ dispatcher and its guards; ember's ops are Python functions"
_QUANT = ("quantized tensors are quantize/dequantize only (torch.quantize_per_tensor, quantize_per_channel, "
          "dequantize): no quantized kernels, packed weights or 4- and 2-bit types")
_SPARSE = "sparse tensors are not implemented"
_LOWBIT = "NumPy has no such dtype, so ember has none (sub-byte, 8-bit float or complex32)"
_UINT = "unsigned 16/32/64-bit tensors are not implemented"
_KERNEL = "a backend-specific kernel entry point (cuDNN, MIOpen, oneDNN, FBGEMM, sync batch norm) of PyTorch's C++ core"
_TODO = "not implemented yet"
_GRAPH = "graph capture and export (torch.fx, torch.export, control-flow ops) need a tracer ember does not have"
_NESTED = "nested (jagged) tensors are not implemented"
_DEVICE = "a device ember does not have"
_INTERNAL = "an internal of PyTorch's binary (build flags, logging, benchmarking, file readers)"
_FWD_AD = "forward-mode automatic differentiation is not implemented (only reverse mode)"

_add("torch", _JIT, """AliasDb Argument ArgumentSpec Block CallStack Capsule ClassType Code CompilationUnit
     CompleteArgumentSpec ConcreteModuleType ConcreteModuleTypeBuilder DeepCopyMemoTable EnumType
     ErrorReport ExecutionPlan FileCheck FunctionSchema Gradient Graph GraphExecutorState InferredType
     InterfaceType JITException LiteScriptModule OperatorInfo ScriptClass ScriptClassFunction ScriptMethod
     ScriptModuleSerializer ScriptObject ScriptObjectProperty StaticModule TracingState Use Value
     import_ir_module import_ir_module_from_buffer parse_ir parse_schema parse_type_comment
     merge_type_from_type_comment unify_type_list classes BufferDict ModuleDict ParameterDict Node""")
_add("torch", _DISPATCH, "DispatchKey DispatchKeySet ExcludeDispatchKeyGuard Tag")
_add("torch", _QUANT, """quint2x4 quint4x2
     quantized_gru
     quantized_gru_cell quantized_lstm quantized_lstm_cell
     quantized_rnn_relu_cell quantized_rnn_tanh_cell choose_qparams_optimized
     fbgemm_linear_fp16_weight fbgemm_linear_fp16_weight_fp32_activation fbgemm_linear_int8_weight
     fbgemm_linear_int8_weight_fp32_activation fbgemm_linear_quantize_weight fbgemm_pack_gemm_matrix_fp16
     fbgemm_pack_quantized_matrix ao quantization QInt32Storage QInt8Storage QUInt2x4Storage QUInt4x2Storage
     QUInt8Storage""")
_add("torch", _SPARSE, """sparse sparse_bsc sparse_bsc_tensor sparse_bsr sparse_bsr_tensor sparse_compressed_tensor
     sparse_coo sparse_coo_tensor sparse_csc sparse_csc_tensor sparse_csr sparse_csr_tensor ccol_indices_copy
     col_indices_copy crow_indices_copy row_indices_copy indices_copy values_copy dsmm hsmm hspmm smm spmm
     sspaddmm saddmm resize_as_sparse_""")
_add("torch", _LOWBIT, """bit bits16 bits1x8 bits2x4 bits4x2 bits8 float4_e2m1fn_x2 float8_e4m3fn float8_e4m3fnuz
     float8_e5m2 float8_e5m2fnuz float8_e8m0fnu int1 int2 int3 int4 int5 int6 int7 uint1 uint2 uint3 uint4 uint5
     uint6 uint7 complex32""")
_add("torch", _UINT, "uint32 uint64")
_add("torch", _KERNEL, "mkldnn_convolution mkldnn_rnn_layer")
_add("torch", _TODO, """lobpcg
     hash_tensor signal masked quasirandom
     torch_version
     StorageBase""")
_add("torch", _GRAPH, "fx export package")
_add("torch", _NESTED, "nested jagged")
_add("torch", _DEVICE, "xpu mtia")
_add("torch", _INTERNAL, """AVG SUM AggregationType LockingLogger LoggerBase NoopLogger BenchmarkConfig
     BenchmarkExecutionStats ThroughputBenchmark monitor IODescriptor FatalError PyTorchFileReader PyTorchFileWriter
     DeserializationStorageContext SerializationStorageContext PRIVATE_OPS USE_GLOBAL_DEPS
     USE_RTLD_GLOBAL_WITH_LIBTORCH prepare_multiprocessing_environment profiler_allow_cudagraph_cupti_lazy_reinit_cuda12""")

_add("Tensor", _SPARSE, """ccol_indices coalesce col_indices crow_indices dense_dim indices is_coalesced row_indices
     sparse_dim sparse_mask sparse_resize_ sparse_resize_and_clear_ sspaddmm smm to_sparse to_sparse_bsc
     to_sparse_bsr to_sparse_coo to_sparse_csc to_sparse_csr values resize_as_sparse_""")
_add("Tensor", "removed from PyTorch (use torch.distributions)", "reinforce")
_add("Tensor", _NESTED, "to_padded_tensor")
_add("Tensor", _KERNEL, "to_mkldnn")
_add("Tensor", _TODO, """as_subclass
     hash_tensor index module_load set_ grad_dtype""")

_add("nn", _QUANT, "intrinsic qat quantizable quantized")
_add("autograd", "PyTorch's C++ (Kineto/legacy) profiler's configuration and event records; ember's profiler "
     "records record_function blocks", "ProfilerConfig ProfilerEvent")


def reason(qualname: str) -> str | None:
    """Why ember does not offer ``qualname`` ("torch.stft", "Tensor.stft", "nn.functional.grid_sample"), or None."""
    return NOT_OFFERED.get(qualname)


def error(qualname: str, why: str | None = None) -> NotOfferedError:
    """The error for reaching ``qualname``, which ember does not offer."""
    why = why or NOT_OFFERED.get(qualname, "not implemented")
    shown = qualname if qualname.startswith("torch") else "torch." + qualname
    _, _, attr = shown.rpartition(".")
    return NotOfferedError(f"ember does not offer {shown}: {why}", name=attr)


def missing(module_name: str, namespace: str, name: str) -> AttributeError:
    """What a module's ``__getattr__`` raises for ``name``: NotOfferedError if it is on the list, else
    Python's plain AttributeError (so ``hasattr`` is False for names PyTorch lacks too)."""
    qualname = f"{namespace}.{name}"
    if qualname in NOT_OFFERED:
        return error(qualname)
    return AttributeError(f"module '{module_name}' has no attribute '{name}'", name=name)


# -- raising on access: module __getattr__ hooks and Tensor placeholders ---------------------------------------

# the modules that get a hook, and the namespace their names are listed under
MODULES = {"ember": "torch", "ember.nn": "nn", "ember.nn.functional": "nn.functional", "ember.nn.init": "nn.init",
           "ember.nn.utils": "nn.utils", "ember.optim": "optim", "ember.optim.lr_scheduler": "optim.lr_scheduler",
           "ember.utils.data": "utils.data", "ember.linalg": "linalg", "ember.special": "special",
           "ember.fft": "fft", "ember.autograd": "autograd", "ember.func": "func",
           "ember.distributions": "distributions"}
TENSOR_PROPERTIES = {"grad_dtype"}  # PyTorch's Tensor has these as properties, not methods


def install(module) -> None:
    """Give ``module`` a ``__getattr__`` that raises NotOfferedError for its listed names (keeping the one it
    has, for lazy loading, in front)."""
    namespace = MODULES[module.__name__]
    existing = module.__dict__.get("__getattr__")
    if getattr(existing, "_not_offered_hook", False):
        return

    def __getattr__(name: str):
        if existing is not None:
            try:
                return existing(name)
            except AttributeError:
                if f"{namespace}.{name}" not in NOT_OFFERED:
                    raise
        raise missing(module.__name__, namespace, name)

    __getattr__._not_offered_hook = True
    module.__getattr__ = __getattr__


def _placeholder(name: str):
    def method(self, *args, **kwargs):
        raise error(f"Tensor.{name}")
    method.__name__ = method.__qualname__ = name
    method.__doc__ = f"not offered by ember: {NOT_OFFERED[f'Tensor.{name}']}"
    method._not_offered = True
    return method


def _raising_property(name: str):
    def get(self):
        raise error(f"Tensor.{name}")
    prop = property(get, doc=f"not offered by ember: {NOT_OFFERED[f'Tensor.{name}']}")
    return prop


def install_tensor(tensor_cls) -> None:
    """Put a placeholder on the Tensor class for each listed Tensor name it lacks: a method that raises when
    called, or a property that raises when read."""
    for qualname in NOT_OFFERED:
        ns, _, name = qualname.partition(".")
        if ns != "Tensor" or name in tensor_cls.__dict__:
            continue
        setattr(tensor_cls, name, _raising_property(name) if name in TENSOR_PROPERTIES else _placeholder(name))


def is_placeholder(obj) -> bool:
    """Whether ``obj`` is one of the placeholders above (not a real implementation)."""
    return getattr(obj, "_not_offered", False) is True or (isinstance(obj, property) and
                                                     (obj.__doc__ or "").startswith("not offered by ember"))


class _Loader:  # importlib's loader protocol (not importlib.abc's class: import ember stays light)
    """Runs the real loader, then installs the hook on the module it made."""

    def __init__(self, loader) -> None:
        self.loader = loader

    def create_module(self, spec):
        return self.loader.create_module(spec)

    def exec_module(self, module) -> None:
        self.loader.exec_module(module)
        install(module)

    def __getattr__(self, name):  # get_resource_reader, get_source ... from the real loader
        return getattr(self.loader, name)


class _InstallOnImport:  # a meta path finder (find_spec), without importlib.abc
    """Finds the listed ember modules as importlib would and hooks them right after they run, so a lazily
    imported ``ember.nn`` (``import torch.nn``) has the hook whichever way it was imported."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname not in MODULES or fullname == "ember":
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None:
                if spec.loader is not None and hasattr(spec.loader, "exec_module"):
                    spec.loader = _Loader(spec.loader)
                return spec
        return None


_FINDER = _InstallOnImport()


def install_all() -> None:
    """Hook the listed modules already imported, and the others as they are imported."""
    for name in MODULES:
        if name in sys.modules:
            install(sys.modules[name])
    if _FINDER not in sys.meta_path:
        sys.meta_path.insert(0, _FINDER)


# -- the list as a document (docs/not-offered.md is generated from it) ------------------------------------------

def render_markdown() -> str:
    """docs/not-offered.md: the names grouped by namespace and reason."""
    lines = ["# What ember does not offer", "",
             "Generated from `src/ember/_not_offered.py` by `python tests/test_surface.py` (it rewrites this file);",
             "`tests/test_surface.py` checks that this file is current and that every public name of PyTorch 2.13",
             "in the namespaces below is either in ember or here. Reaching one of these names raises",
             "`NotOfferedError` (an `AttributeError` and a `NotImplementedError`) with the reason.", ""]
    by_ns: dict = {}
    for qualname, why in NOT_OFFERED.items():
        ns, _, name = qualname.partition(".")
        if ns != "torch" and ns != "Tensor":
            ns, _, name = qualname.rpartition(".")
        by_ns.setdefault(ns, {}).setdefault(why, []).append(name)
    for ns in sorted(by_ns, key=lambda n: (n not in ("torch", "Tensor"), n)):
        title = "torch" if ns == "torch" else "torch.Tensor" if ns == "Tensor" else f"torch.{ns}"
        count = sum(len(v) for v in by_ns[ns].values())
        lines += [f"## `{title}` ({count})", ""]
        for why, names in sorted(by_ns[ns].items()):
            lines.append(f"- {why}: " + ", ".join(f"`{n}`" for n in sorted(names)))
        lines.append("")
    return "\n".join(lines)

