"""The API in one process (world size 1) against PyTorch's gloo: the same results, error classes and messages."""

import re
import socket
import warnings

import pytest

import ember
import ember.distributed as edist

torch = pytest.importorskip("torch")
tdist = pytest.importorskip("torch.distributed")


def _outcome(fn):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            r = fn()
    except Exception as e:  # noqa: BLE001  (the class and message are what is compared)
        return (type(e).__name__, re.sub(r"0x[0-9a-f]+", "0x?", str(e)))
    if isinstance(r, (bool, int, str, type(None))):
        return ("ok", r)
    if isinstance(r, list) and all(isinstance(x, int) for x in r):
        return ("ok", r)
    return ("ok", type(r).__name__)


BEFORE_INIT = {
    "get_rank": lambda d, t: d.get_rank(),
    "get_world_size": lambda d, t: d.get_world_size(),
    "all_reduce": lambda d, t: d.all_reduce(t.ones(2)),
    "barrier": lambda d, t: d.barrier(),
    "get_backend": lambda d, t: d.get_backend(),
    "destroy": lambda d, t: d.destroy_process_group(),
    "is_initialized": lambda d, t: d.is_initialized(),
    "new_group": lambda d, t: d.new_group([0]),
}

AFTER_INIT = {
    "rank_size_backend": lambda d, t: [d.get_rank(), d.get_world_size(), len(d.get_backend())],
    "backend": lambda d, t: str(d.get_backend()),
    "twice": lambda d, t: d.init_process_group("gloo"),
    "list_not_tensor": lambda d, t: d.all_reduce([1.0, 2.0]),
    "complex_max": lambda d, t: d.all_reduce(t.ones(2, dtype=t.complex64), op=d.ReduceOp.MAX),
    "op_string": lambda d, t: d.all_reduce(t.ones(2), op="sum"),
    "broadcast_no_src": lambda d, t: d.broadcast(t.ones(2)),
    "broadcast_bad_src": lambda d, t: d.broadcast(t.ones(2), src=5),
    "broadcast_both_src": lambda d, t: d.broadcast(t.ones(2), src=0, group_src=0),
    "all_gather_size": lambda d, t: d.all_gather([t.zeros(3)], t.ones(4)),
    "all_gather_len": lambda d, t: d.all_gather([t.zeros(4), t.zeros(4)], t.ones(4)),
    "all_gather_dtype": lambda d, t: d.all_gather([t.zeros(4, dtype=t.float64)], t.ones(4)),
    "all_gather_list_type": lambda d, t: d.all_gather(t.zeros(4), t.ones(4)),
    "into_tensor_5": lambda d, t: d.all_gather_into_tensor(t.zeros(5), t.ones(4)),
    "into_tensor_stacked": lambda d, t: d.all_gather_into_tensor(t.zeros(1, 4), t.ones(4)),
    "reduce_scatter_len": lambda d, t: d.reduce_scatter(t.zeros(4), [t.ones(4), t.ones(4)]),
    "gather_no_list": lambda d, t: d.gather(t.ones(4), None, dst=0),
    "gather_len": lambda d, t: d.gather(t.ones(4), [t.zeros(4), t.zeros(4)], dst=0),
    "scatter_no_list": lambda d, t: d.scatter(t.ones(4), None, src=0),
    "scatter_len": lambda d, t: d.scatter(t.ones(4), [t.zeros(4), t.zeros(4)], src=0),
    "reduce_no_dst": lambda d, t: d.reduce(t.ones(4)),
    "send_self": lambda d, t: d.send(t.ones(2), 0),
    "group_too_big": lambda d, t: d.new_group([0, 1]),
    "group_duplicates": lambda d, t: d.new_group([0, 0]),
    "group_ranks": lambda d, t: d.get_process_group_ranks(d.new_group([0])),
    "global_rank_missing": lambda d, t: d.get_global_rank(d.new_group([0]), 3),
    "group_rank_missing": lambda d, t: d.get_group_rank(d.new_group([0]), 3),
    "async_wait": lambda d, t: d.all_reduce(t.ones(2), async_op=True).wait(),
    "async_type": lambda d, t: d.all_reduce(t.ones(2), async_op=True),
    "sync_returns": lambda d, t: d.all_reduce(t.ones(2)),
    "values": lambda d, t: _values(d, t),
    "reduceop_repr": lambda d, t: [repr(d.ReduceOp.SUM), str(d.ReduceOp.AVG)].__str__(),
    "version_unchanged": lambda d, t: _version(d, t),
}


def _values(d, t):
    x = t.arange(4.0)
    d.all_reduce(x, op=d.ReduceOp.AVG)
    out = [t.zeros(4)]
    d.all_gather(out, x * 2)
    y = t.zeros(2)
    d.reduce_scatter_tensor(y, t.tensor([3.0, 4.0]))
    objs = [None]
    d.all_gather_object(objs, {"a": 1})
    return str([x.tolist(), out[0].tolist(), y.tolist(), objs])


def _version(d, t):
    x = t.ones(2)
    v = x._version
    d.all_reduce(x)
    d.broadcast(x, 0)
    return x._version - v


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run_all(d, t, cases, init):
    if init:
        d.init_process_group("gloo", init_method=f"tcp://127.0.0.1:{_free_port()}", rank=0, world_size=1)
    try:
        return {name: _outcome(lambda fn=fn: fn(d, t)) for name, fn in cases.items()}
    finally:
        if init:
            d.destroy_process_group()


def differing(ours: dict, theirs: dict) -> dict:
    return {k: (ours.get(k), theirs.get(k)) for k in theirs.keys() | ours.keys() if ours.get(k) != theirs.get(k)}


def test_differing_rejects_a_changed_message():
    a = {"x": ("ValueError", "m"), "y": ("ok", None)}
    assert differing(dict(a), a) == {}
    assert differing({**a, "x": ("RuntimeError", "m")}, a) == {"x": (("RuntimeError", "m"), ("ValueError", "m"))}
    assert differing({"x": a["x"]}, a) == {"y": (None, ("ok", None))}


def test_before_init_same_as_torch():
    assert differing(_run_all(edist, ember, BEFORE_INIT, False), _run_all(tdist, torch, BEFORE_INIT, False)) == {}


def test_after_init_same_as_torch():
    pytest.importorskip("mpi4py")
    theirs = _run_all(tdist, torch, AFTER_INIT, True)
    ours = _run_all(edist, ember, AFTER_INIT, True)
    bad = differing(ours, theirs)
    assert bad == {}, "\n".join(f"{k}: {v}" for k, v in sorted(bad.items()))
    assert not edist.is_initialized()


def test_unknown_and_missing_backends():
    with pytest.raises(AssertionError, match="Unknown backend type foo"):
        edist.init_process_group("foo")
    with pytest.raises(RuntimeError, match="Distributed package doesn't have NCCL built in"):
        edist.init_process_group("nccl")
    assert not edist.is_initialized()


def test_world_size_mpi_did_not_start_is_a_clear_error():
    pytest.importorskip("mpi4py")
    with pytest.raises(RuntimeError, match=r"world_size=2 was asked, but MPI started 1 process\(es\).*"
                                           r"ember\.distributed\.run --nproc-per-node 2"):
        edist.init_process_group("gloo", world_size=2, rank=0)
    assert not edist.is_initialized()


def test_missing_mpi4py_names_the_extra(monkeypatch):
    import builtins

    from ember.distributed import _mpi
    real = builtins.__import__

    def no_mpi4py(name, *args, **kwargs):
        if name.startswith("mpi4py"):
            raise ImportError("No module named 'mpi4py'")
        return real(name, *args, **kwargs)
    monkeypatch.setattr(builtins, "__import__", no_mpi4py)
    monkeypatch.setattr(_mpi, "_MPI", None)
    with pytest.raises(RuntimeError, match=r"pip install 'ember\[distributed\]'"):
        edist.init_process_group("gloo")
    assert not edist.is_initialized()


def test_import_does_not_start_mpi():
    import subprocess
    import sys
    code = ("import sys, ember, ember.distributed, ember.nn.parallel, ember.utils.data;"
            "print('mpi4py' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={"PYTHONPATH": str(__import__("pathlib").Path(ember.__file__).parents[1])})
    assert out.stdout.strip() == "False", out.stderr
