"""The torch.* namespaces programs import (cuda, backends, accelerator, jit, functional, utils.checkpoint, hub,
profiler, tensorboard, ...), each compared with what PyTorch 2.13's CPU build does."""

from __future__ import annotations

import hashlib
import importlib
import json
import re
import subprocess
import sys
import warnings

import numpy as np
import pytest

import ember

torch = pytest.importorskip("torch")


def outcome(fn):
    """A call's result, or its error's class and message (comparable across libraries)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            r = fn()
        except Exception as e:  # noqa: BLE001  (the outcome is the error)
            return ("error", type(e).__name__, str(e))
    value = r if isinstance(r, (bool, int, float, str, type(None), list, tuple, dict)) else type(r).__name__
    return ("ok", value, sorted({f"{w.category.__name__}: {w.message}" for w in caught}))


CALLS = [
    "cuda.is_available()", "cuda.device_count()", "cuda.is_initialized()", "cuda.current_device()",
    "cuda.get_device_name()", "cuda.get_device_name(0)", "cuda.get_device_properties(0)", "cuda.synchronize()",
    "cuda.empty_cache()", "cuda.memory_allocated()", "cuda.max_memory_allocated()", "cuda.memory_reserved()",
    "cuda.max_memory_reserved()", "cuda.memory_cached()", "cuda.memory_stats()", "cuda.manual_seed(0)",
    "cuda.manual_seed_all(0)", "cuda.manual_seed('a')", "cuda.seed()", "cuda.initial_seed()", "cuda.set_device(0)",
    "cuda.is_bf16_supported()", "cuda.get_arch_list()", "cuda.reset_peak_memory_stats()", "cuda.mem_get_info()",
    "cuda.Stream()", "cuda.Event()", "cuda.get_rng_state_all()", "cuda.nvtx.range_push('a')",
    "cuda.OutOfMemoryError is L.OutOfMemoryError", "cuda.amp.autocast().__enter__() is not None",
    "accelerator.is_available()", "accelerator.current_accelerator()", "accelerator.device_count()",
    "accelerator.current_device_index()", "accelerator.synchronize()", "accelerator.set_device_index('cpu')",
    "accelerator.memory_allocated()", "mps.is_available()", "mps.device_count()", "mps.synchronize()",
    "mps.manual_seed(1)", "mps.empty_cache()", "cpu.is_available()", "cpu.device_count()", "cpu.current_device()",
    "cpu.synchronize()", "cpu.is_initialized()", "backends.cudnn.enabled", "backends.cudnn.benchmark",
    "backends.cudnn.deterministic", "backends.cudnn.allow_tf32", "backends.cudnn.is_available()",
    "backends.cudnn.version()", "backends.cudnn.benchmark_limit", "backends.mps.is_available()",
    "backends.mps.is_built()", "backends.cuda.is_built()", "backends.cuda.matmul.allow_tf32",
    "backends.cuda.matmul.allow_fp16_reduced_precision_reduction", "backends.cuda.flash_sdp_enabled()",
    "backends.cuda.math_sdp_enabled()", "backends.mkldnn.is_available()", "backends.mkldnn.enabled",
    "backends.openmp.is_available()", "backends.mkl.is_available()", "backends.opt_einsum.is_available()",
    "backends.opt_einsum.enabled", "backends.opt_einsum.strategy", "backends.cpu.get_cpu_capability()",
    "backends.fp32_precision", "backends.cuda.matmul.no_such_flag", "jit.is_scripting()", "jit.is_tracing()",
    "jit.annotate(list, [1, 2])", "jit.isinstance(1, int)", "onnx.is_in_onnx_export()", "onnx.producer_name",
    "overrides.has_torch_function((L.zeros(1),))", "overrides.has_torch_function_unary(L.zeros(1))",
    "overrides.is_tensor_like(L.zeros(1))", "overrides.is_tensor_like(1)",
    "multiprocessing.get_sharing_strategy()", "multiprocessing.get_all_sharing_strategies()",
    "multiprocessing.cpu_count() > 0", "compiler.is_compiling()", "device(0)", "device('cuda:x')",
    "device('cpu', -1)", "device('CPU')", "device('cpu') == 'cpu'", "zeros(1, device='cuda')",
    "zeros(1, device='xpu')", "zeros(1).to('cuda')", "L.zeros(1).is_mps", "L.zeros(1).is_nested",
    "L.zeros(1).is_distributed()", "L.zeros(1).xpu()", "has_mkl", "has_lapack", "is_vulkan_available()",
    "get_deterministic_debug_mode()", "is_anomaly_check_nan_enabled()", "is_autocast_cache_enabled()",
]


@pytest.mark.parametrize("expr", CALLS)
def test_namespace_calls_behave_as_pytorchs_cpu_build(expr):
    def run(L):
        import torch.backends.cudnn  # noqa: F401  (PyTorch imports its backends lazily)
        ns = {"L": L, **{n: getattr(L, n) for n in ("cuda", "accelerator", "mps", "cpu", "backends", "jit",
                                                      "onnx", "overrides", "multiprocessing", "compiler")},
              "device": L.device, "zeros": L.zeros}
        for n in ("has_mkl", "has_lapack", "is_vulkan_available", "get_deterministic_debug_mode",
                  "is_anomaly_check_nan_enabled", "is_autocast_cache_enabled"):
            ns[n] = getattr(L, n)
        return outcome(lambda: eval(expr, ns))
    assert run(ember) == run(torch)


def test_flags_can_be_set_and_restored():
    ember.backends.cudnn.benchmark = True
    try:
        assert ember.backends.cudnn.benchmark is True
        with ember.backends.cudnn.flags(enabled=False, deterministic=True):
            assert ember.backends.cudnn.enabled is False and ember.backends.cudnn.deterministic is True
        assert ember.backends.cudnn.enabled is True and ember.backends.cudnn.deterministic is False
    finally:
        ember.backends.cudnn.benchmark = False
    ember.backends.cuda.matmul.allow_tf32 = True
    assert ember.backends.cuda.matmul.allow_tf32 is True
    ember.backends.cuda.matmul.allow_tf32 = False


def test_modules_import_under_the_torch_alias():
    code = """
import ember; ember.use_as_torch()
import torch.accelerator, torch.functional, torch.utils.checkpoint, torch.backends.cudnn, torch.cuda, torch.mps
import torch.cpu, torch.onnx, torch.jit, torch.hub, torch.library, torch.overrides, torch.types, torch.profiler
import torch.multiprocessing, torch.testing, torch.utils.hooks, torch.cuda.amp, torch.compiler
from torch.jit import ScriptModule
from torch.backends import cudnn, mps
from torch.utils.hooks import RemovableHandle
import torchinfo
model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 2))
print([ln for ln in str(torchinfo.summary(model, input_size=(3, 4), verbose=0)).splitlines()
       if ln.startswith("Total params")][0])
print(isinstance(model.register_forward_hook(lambda *a: None), RemovableHandle), cudnn.enabled, mps.is_available())
"""
    pytest.importorskip("torchinfo")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[-1] == "True True False"
    assert out.stdout.splitlines()[0].startswith("Total params: 58")


def test_functional_is_the_top_level_functions():
    import ember.functional as F
    assert F.einsum is ember.einsum and F.split is ember.split and F.unique is ember.unique
    assert set(F.__all__) == set(torch.functional.__all__)
    assert F.stft is ember.stft and F.lu is ember.lu
    assert F.pca_lowrank is ember.pca_lowrank and F.svd_lowrank is ember.svd_lowrank
    assert F.F is ember.nn.functional


def test_jit_returns_its_argument():
    lin = ember.nn.Linear(2, 2)
    assert ember.jit.script(lin) is lin and ember.jit.trace(lin, (ember.zeros(1, 2),)) is lin
    assert ember.jit.ignore(len) is len and ember.jit.ignore(drop=True)(len) is len
    assert ember.jit.fork(lambda a: a + 1, 1).wait() == 2
    assert issubclass(ember.jit.ScriptModule, ember.nn.Module)
    with pytest.raises(NotImplementedError, match="TorchScript"):
        ember.jit.save(lin, "x.pt")
    with pytest.raises(NotImplementedError, match="ONNX"):
        ember.onnx.export(lin, (ember.zeros(1, 2),), "m.onnx")
    assert not hasattr(ember.onnx, "dynamo_export") and not hasattr(torch.onnx, "dynamo_export")


def test_make_tensor_draws_as_pytorch():
    for dtype, kw in (("float32", {}), ("float64", dict(low=-1, high=1)), ("int64", {}), ("uint8", {}),
                      ("int8", dict(low=-200)), ("bool", {}), ("float32", dict(noncontiguous=True)),
                      ("float32", dict(exclude_zero=True, low=0, high=1)), ("complex64", {})):
        got = []
        for L in (torch, ember):
            L.manual_seed(0)
            t = L.testing.make_tensor(2, 3, dtype=getattr(L, dtype), device="cpu", **kw)
            got.append((str(t.dtype), np.asarray(t.tolist()).tolist(), t.is_contiguous()))
        assert got[0] == got[1], (dtype, kw)
    for L in (torch, ember):
        for bad in (dict(low=3, high=1), dict(low=300, high=400)):
            with pytest.raises(ValueError):
                L.testing.make_tensor(2, dtype=L.uint8, device="cpu", **bad)


# -- torch.utils.checkpoint ----------------------------------------------------------------------------------

def _checkpoint_run(L, use_reentrant, calls):
    ck = importlib.import_module(L.__name__ + ".utils.checkpoint")
    L.manual_seed(0)
    net = L.nn.Sequential(L.nn.Linear(4, 8), L.nn.Tanh(), L.nn.Dropout(0.5), L.nn.Linear(8, 3))

    def fn(x):
        calls.append(1)
        return net(x)
    x = L.randn(5, 4, requires_grad=True)
    L.manual_seed(1)
    if use_reentrant is None:
        y = fn(x)
    else:
        y = ck.checkpoint(fn, x, use_reentrant=use_reentrant)
    y.pow(2).sum().backward()
    grads = [p.grad.numpy().copy() for p in net.parameters()] + [x.grad.numpy().copy()]
    return y.grad_fn.name(), grads


@pytest.mark.parametrize("use_reentrant", [True, False])
def test_checkpoint_recomputes_and_gives_the_same_gradients(use_reentrant):
    e_calls, t_calls = [], []
    e_name, e_grads = _checkpoint_run(ember, use_reentrant, e_calls)
    t_name, t_grads = _checkpoint_run(torch, use_reentrant, t_calls)
    _, plain = _checkpoint_run(ember, None, [])
    assert e_name == t_name  # CheckpointFunctionBackward / the real AddmmBackward0
    assert len(e_calls) == len(t_calls) == 2  # forward, then again in backward
    for a, b, c in zip(e_grads, t_grads, plain):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)  # the dropout mask is replayed
        np.testing.assert_allclose(a, c, rtol=1e-6, atol=1e-7)


def test_checkpoint_drops_saved_tensors_until_backward():
    from ember.utils.checkpoint import checkpoint
    w = ember.randn(4, 4, requires_grad=True)
    y = checkpoint(lambda x: (x @ w).tanh(), ember.randn(2, 4), use_reentrant=False)
    assert y.grad_fn.saved is None  # nothing kept between forward and backward
    y.sum().backward()
    assert w.grad is not None


def test_checkpoint_warnings_and_errors_match_pytorch():
    def run(L):
        ck = importlib.import_module(L.__name__ + ".utils.checkpoint")
        lin = L.nn.Linear(2, 2)
        return [outcome(lambda: ck.checkpoint(lin, L.zeros(1, 2))),
                outcome(lambda: ck.checkpoint(lin, L.zeros(1, 2), use_reentrant=True, foo=1)),
                outcome(lambda: ck.checkpoint(lin, L.zeros(1, 2), use_reentrant=True, debug=True)),
                outcome(lambda: ck.checkpoint_sequential(L.nn.Sequential(lin, lin), 2, L.zeros(1, 2)))]
    assert run(ember) == run(torch)


# -- torch.hub -------------------------------------------------------------------------------------------------

def test_hub_downloads_checks_hashes_and_loads(tmp_path, capsys):
    src = tmp_path / "weights.pt"
    ember.save({"w": ember.arange(3.0)}, src)
    digest = hashlib.sha256(src.read_bytes()).hexdigest()
    named = tmp_path / f"weights-{digest[:8]}.pt"
    named.write_bytes(src.read_bytes())
    sd = ember.hub.load_state_dict_from_url(named.as_uri(), model_dir=str(tmp_path / "cache"), check_hash=True,
                                            progress=False)
    assert sd["w"].tolist() == [0.0, 1.0, 2.0] and "Downloading" in capsys.readouterr().out
    bad = tmp_path / "weights-deadbeef.pt"
    bad.write_bytes(src.read_bytes())
    with pytest.raises(RuntimeError, match='invalid hash value \\(expected "deadbeef"'):
        ember.hub.load_state_dict_from_url(bad.as_uri(), model_dir=str(tmp_path / "c2"), check_hash=True,
                                           progress=False)
    assert list((tmp_path / "c2").iterdir()) == []  # nothing half-written is left
    (tmp_path / "repo").mkdir()
    (tmp_path / "repo" / "hubconf.py").write_text("def tiny(n=2):\n    'a tiny model'\n    import ember\n"
                                                  "    return ember.nn.Linear(n, 1)\n")
    m = ember.hub.load(str(tmp_path / "repo"), "tiny", 3, source="local")
    assert m.in_features == 3
    with pytest.raises(NotImplementedError, match="GitHub"):
        ember.hub.load("pytorch/vision", "resnet18")


# -- torch.profiler ----------------------------------------------------------------------------------------------

def test_profiler_records_blocks_and_prints_pytorchs_table():
    from ember.profiler import ProfilerActivity, profile, record_function
    with profile(activities=[ProfilerActivity.CPU]) as prof:
        with record_function("model_inference"):
            for _ in range(3):
                with record_function("step"):
                    ember.randn(10, 10) @ ember.randn(10, 10)
    avg = {e.key: e for e in prof.key_averages()}
    assert avg["step"].count == 3 and avg["model_inference"].count == 1
    assert avg["model_inference"].cpu_time_total >= 3 * avg["step"].cpu_time
    lines = prof.key_averages().table(sort_by="cpu_time_total", row_limit=5).splitlines()
    assert lines[1].split() == ["Name", "Self", "CPU", "%", "Self", "CPU", "CPU", "total", "%", "CPU", "total",
                                "CPU", "time", "avg", "#", "of", "Calls"]
    assert lines[3].split()[0] == "model_inference" and lines[3].split()[-1] == "1"
    assert lines[-1].startswith("Self CPU time total: ")


# -- torch.utils.tensorboard -----------------------------------------------------------------------------------

def test_summary_writer_writes_what_pytorchs_writes(tmp_path):
    pytest.importorskip("tensorboard")
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    def write(L, d):
        tb = importlib.import_module(L.__name__ + ".utils.tensorboard")
        with tb.SummaryWriter(str(d)) as w:
            for i in range(3):
                w.add_scalar("loss", 1.0 / (i + 1), i)
            w.add_scalars("grp", {"a": 1.0, "b": L.tensor(2.0)}, 0)
            L.manual_seed(0)
            w.add_histogram("h", L.randn(100), 0)
            w.add_text("t", "hello", 0)
        ea = EventAccumulator(str(d), size_guidance={"histograms": 0, "tensors": 0})
        ea.Reload()
        h = ea.Histograms("h")[0].histogram_value
        return json.dumps([ea.Tags()["scalars"], [(e.step, e.value) for e in ea.Scalars("loss")],
                           ea.Tags()["tensors"], h.num, h.sum, list(h.bucket_limit), list(h.bucket),
                           sorted(p.name for p in d.iterdir() if p.is_dir())])
    assert write(ember, tmp_path / "e") == write(torch, tmp_path / "t")


def test_tensorboard_missing_gives_pytorchs_error():
    code = ("import sys; sys.modules['tensorboard'] = None\nimport ember\ntry:\n import ember.utils.tensorboard\n"
            "except ModuleNotFoundError as e: print(type(e).__name__, e)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip().startswith("ModuleNotFoundError") and "tensorboard" in out.stdout


# -- storages, library, overrides --------------------------------------------------------------------------------

def test_storages_are_the_tensors_memory():
    for L in (torch, ember):
        t = L.arange(6.0).reshape(2, 3)[:, 1:]
        s = t.untyped_storage()
        assert (s.nbytes(), t.storage_offset(), s.data_ptr() == t._base.data_ptr() if t._base is not None
                else True) == (24, 1, True)
    e = ember.arange(6.0).reshape(2, 3)
    assert repr(e.untyped_storage()).endswith("[torch.storage.UntypedStorage(device=cpu) of size 24]")
    assert ember.zeros(2).storage_type() is ember.FloatStorage


def test_custom_op_with_autograd():
    @ember.library.custom_op("mylib::cube", mutates_args=())
    def cube(x):
        return ember.from_numpy(x.detach().numpy() ** 3)

    cube.register_autograd(lambda ctx, g: g * 3 * ctx.saved_tensors[0] ** 2,
                           setup_context=lambda ctx, inputs, output: ctx.save_for_backward(inputs[0]))
    x = ember.tensor([1.0, 2.0], requires_grad=True)
    cube(x).sum().backward()
    assert x.grad.tolist() == [3.0, 12.0]


def test_handle_torch_function_dispatches_to_the_argument_type():
    class Logged:
        @classmethod
        def __torch_function__(cls, func, types, args=(), kwargs=None):
            return ("handled", func.__name__)
    assert ember.overrides.handle_torch_function(ember.add, (Logged(),), Logged(), 1) == ("handled", "add")
    with pytest.raises(TypeError, match="no implementation found"):
        class Refuses:
            @classmethod
            def __torch_function__(cls, func, types, args=(), kwargs=None):
                return NotImplemented
        ember.overrides.handle_torch_function(ember.add, (Refuses(),), Refuses())


def _spawned(i, q):
    q.put(i * 10)


def _spawned_fails(i):
    raise ValueError(f"worker {i} failed")


def test_spawn_runs_and_reports_failures():
    import multiprocessing as mp
    ctx = mp.get_context("fork")  # "spawn" (the default) would re-import torch in each child: slow for a test
    q = ctx.SimpleQueue()
    ember.multiprocessing.spawn(_spawned, args=(q,), nprocs=2, start_method="fork")
    assert sorted([q.get(), q.get()]) == [0, 10]
    with pytest.raises(ember.multiprocessing.ProcessRaisedException, match="worker 0 failed"):
        ember.multiprocessing.spawn(_spawned_fails, nprocs=1, start_method="fork")


_TORCHVIZ = """
import re, sys
if sys.argv[1] == "ember":
    import ember; ember.use_as_torch()
import torch, torchviz
torch.manual_seed(0)
x = torch.randn(3, requires_grad=True)
lin = torch.nn.Linear(3, 2)
h = lin(x).tanh()
y = (h * h[0]).sum() + x.exp().mean()
dot = torchviz.make_dot(y, params={**dict(lin.named_parameters()), "x": x})
print(re.sub(r"\\b\\d{6,}\\b", "ID", dot.source))
"""


def test_torchviz_draws_the_same_graph_as_on_torch():
    """torchviz's make_dot walks grad_fn.next_functions, AccumulateGrad.variable, _is_view() and checks
    isinstance(p, Variable): the same dot source (node ids aside) on ember as on PyTorch"""
    pytest.importorskip("torchviz")
    runs = [subprocess.run([sys.executable, "-c", _TORCHVIZ, lib], capture_output=True, text=True, timeout=60)
            for lib in ("torch", "ember")]
    for r in runs:
        assert r.returncode == 0, r.stderr
    ids = [re.findall(r"\tID -> ID|\tID \[label=[^\]]*\]", r.stdout) for r in runs]
    assert ids[0] and sorted(ids[1]) == sorted(ids[0])


_TORCHVIZ_SAVED = """
import re, sys
if sys.argv[1] == "ember":
    import ember; ember.use_as_torch()
import torch, torchviz
import torch.nn.functional as F
torch.manual_seed(0)
x = torch.randn(3, requires_grad=True)
w = torch.randn(3, 2, requires_grad=True)
b = torch.randn(2, requires_grad=True)
graphs = [(x @ w + b).tanh().pow(2).sum()]
model = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.ReLU(), torch.nn.Linear(3, 2))
graphs.append(F.cross_entropy(model(torch.randn(5, 4)), torch.tensor([0, 1, 1, 0, 1])))
a = torch.randn(2, 3, requires_grad=True)
graphs.append((a.exp() * a.sin()).mean(dim=1, keepdim=True).sqrt() / 2)
graphs.append(a.softmax(dim=1)[0, 1:].unsqueeze(0).view(2) * 3)
for g in graphs:
    dot = torchviz.make_dot(g, params={"x": x, "w": w, "b": b, "a": a, **dict(model.named_parameters())},
                            show_attrs=True, show_saved=True)
    print("\\n".join(sorted(re.sub(r"\\b\\d{6,}\\b", "ID", dot.source).splitlines())))
"""


def test_torchviz_shows_pytorchs_saved_attributes():
    """make_dot(show_attrs=True, show_saved=True) reads grad_fn._saved_* (values and saved tensors): the same
    DOT source on ember as on PyTorch, node ids aside (and the comparison sees a changed attribute)"""
    pytest.importorskip("torchviz")
    pytest.importorskip("torch")
    runs = [subprocess.run([sys.executable, "-c", _TORCHVIZ_SAVED, lib], capture_output=True, text=True, timeout=120)
            for lib in ("torch", "ember")]
    for r in runs:
        assert r.returncode == 0, r.stderr
    assert "self_sym_sizes" in runs[0].stdout and "[saved tensor]" in runs[0].stdout
    assert runs[1].stdout == runs[0].stdout
    assert runs[1].stdout.replace("alpha: 1", "alpha: 2") != runs[0].stdout
