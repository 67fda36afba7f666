"""Process groups and collectives (``torch.distributed``'s c10d API) on MPI.

A process group is an MPI communicator plus the global ranks it holds, in group-rank order. Every collective
is one non-blocking MPI call on the tensors' NumPy arrays (in place where the array is contiguous, through a
contiguous copy written back otherwise); ``async_op=True`` hands back the ``Work`` that wraps the MPI request,
otherwise the call waits for it. Ranks and world size come from MPI; ``RANK`` / ``WORLD_SIZE`` (what torchrun
sets) or the ``rank=`` / ``world_size=`` arguments are checked against MPI's and may reorder the ranks.

The ``"gloo"`` backend name is accepted as an alias that runs on MPI, so CPU scripts written for PyTorch run
unchanged; ``get_backend()`` reports the name the script asked for. Error classes and messages for misuse are
PyTorch's (with the gloo wording when the script asked for gloo).
"""

from __future__ import annotations

import enum
import os
import sys
import time
import warnings
from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import numpy as np

from .._core.tensor import (
    Tensor,  # the collectives read and write a tensor's NumPy array (``t._data``) in place
)
from . import _mpi

__all__ = ["Backend", "GroupMember", "P2POp", "ProcessGroup", "ReduceOp", "Work", "all_gather",
           "all_gather_into_tensor", "all_gather_object", "all_reduce", "all_to_all", "all_to_all_single",
           "barrier", "batch_isend_irecv", "broadcast", "broadcast_object_list", "destroy_process_group", "gather",
           "gather_object", "get_backend", "get_global_rank", "get_group_rank", "get_node_local_rank",
           "get_process_group_ranks", "get_rank", "get_world_size", "group", "init_process_group", "irecv",
           "is_available", "is_gloo_available", "is_initialized", "is_mpi_available", "is_nccl_available",
           "is_torchelastic_launched", "isend", "monitored_barrier", "new_group", "recv", "reduce",
           "reduce_scatter", "reduce_scatter_tensor", "scatter", "scatter_object_list", "send"]

default_pg_timeout = timedelta(minutes=30)


def _array(t: Tensor) -> np.ndarray:
    return t._data


# ---------------------------------------------------------------------------------------------------------------
# names: ReduceOp, Backend, groups
# ---------------------------------------------------------------------------------------------------------------
class _RedOpType(enum.Enum):
    SUM = 0
    AVG = 1
    PRODUCT = 2
    MIN = 3
    MAX = 4
    BAND = 5
    BOR = 6
    BXOR = 7
    PREMUL_SUM = 8
    UNUSED = 9

    def __int__(self) -> int:
        return self.value

    __index__ = __int__


_RedOpType.__name__ = _RedOpType.__qualname__ = "RedOpType"


class ReduceOp:
    """How a reduction combines the ranks' values: ``ReduceOp.SUM``, ``AVG``, ``PRODUCT``, ``MIN``, ``MAX``, ..."""

    RedOpType = _RedOpType
    SUM = _RedOpType.SUM
    AVG = _RedOpType.AVG
    PRODUCT = _RedOpType.PRODUCT
    MIN = _RedOpType.MIN
    MAX = _RedOpType.MAX
    BAND = _RedOpType.BAND
    BOR = _RedOpType.BOR
    BXOR = _RedOpType.BXOR
    PREMUL_SUM = _RedOpType.PREMUL_SUM

    def __init__(self, op: _RedOpType = _RedOpType.SUM):
        self.op = _RedOpType(op)

    def __eq__(self, other) -> bool:
        return self.op == (other.op if isinstance(other, ReduceOp) else other)

    def __hash__(self) -> int:
        return hash(self.op)

    def __repr__(self) -> str:
        return repr(self.op)


def _red_op(op, opts: str) -> _RedOpType:
    if isinstance(op, ReduceOp):
        return op.op
    if isinstance(op, _RedOpType) and op is not _RedOpType.UNUSED:
        return op
    # PyTorch's binding rejects anything else with pybind11's message
    raise TypeError(
        "(): incompatible function arguments. The following argument types are supported:\n"
        f"    1. (self: torch._C._distributed_c10d.{opts}, arg0: torch._C._distributed_c10d.ReduceOp) -> None\n\n"
        f"Invoked with: <torch.distributed.distributed_c10d.{opts} object at {hex(id(op))}>, {op!r}")


class Backend(str):
    """A backend name, lower-cased: ``Backend.GLOO == "gloo"``. On ember, gloo and mpi both run on MPI."""

    UNDEFINED = "undefined"
    GLOO = "gloo"
    NCCL = "nccl"
    UCC = "ucc"
    MPI = "mpi"
    XCCL = "xccl"

    def __new__(cls, name: str):
        if not isinstance(name, str):
            raise ValueError("Backend constructor parameter must be string-ish")
        return super().__new__(cls, name.lower())


class ProcessGroup:
    """A set of ranks that run collectives together: an MPI communicator and the global ranks in it."""

    def __init__(self, comm, ranks: list[int], backend: str, timeout: timedelta, name: str):
        self._comm = comm
        self._ranks = list(ranks)                       # group rank -> global rank
        self._group_rank = {g: i for i, g in enumerate(self._ranks)}
        self._backend = Backend(backend)
        self._timeout = timeout
        self.group_name = name
        self.group_desc = "default_pg" if name == "0" else "undefined"

    def rank(self) -> int:
        return self._comm.Get_rank()

    def size(self) -> int:
        return len(self._ranks)

    def name(self) -> str:
        return str(self._backend)

    def __repr__(self) -> str:  # PyTorch's (its class lives in torch.distributed.distributed_c10d)
        return f"<torch.distributed.distributed_c10d.ProcessGroup object at {hex(id(self))}>"

    def _label(self) -> str:  # the "Gloo" in PyTorch's "ProcessGroupGloo::broadcast: ..."
        return "Gloo" if self._backend == Backend.GLOO else "MPI"


class GroupMember:
    """``GroupMember.WORLD`` is the default group once initialised; ``NON_GROUP_MEMBER`` marks a group left out."""

    WORLD: ProcessGroup | None = None
    NON_GROUP_MEMBER = -100


class _GroupMeta(type):
    @property
    def WORLD(cls):  # noqa: N802  (PyTorch's name)
        return GroupMember.WORLD


class group(metaclass=_GroupMeta):  # noqa: N801  (``dist.group.WORLD``)
    """``dist.group.WORLD``: the default process group."""


class _World:
    def __init__(self):
        self.groups: list[ProcessGroup] = []
        self.count = 0
        self.prev_excepthook = None


_world = _World()


# ---------------------------------------------------------------------------------------------------------------
# availability, init, destroy, ranks
# ---------------------------------------------------------------------------------------------------------------
def is_available() -> bool:
    """True where mpi4py (the ``distributed`` extra) is installed."""
    return _mpi.available()


def is_mpi_available() -> bool:
    return _mpi.available()


def is_gloo_available() -> bool:
    """gloo is an alias that runs on MPI."""
    return _mpi.available()


def is_nccl_available() -> bool:
    return False


def is_ucc_available() -> bool:
    return False


def is_xccl_available() -> bool:
    return False


def is_torchelastic_launched() -> bool:
    """True under a launcher that sets torchrun's variables (ember.distributed.run does)."""
    return os.getenv("TORCHELASTIC_RUN_ID") is not None


def is_initialized() -> bool:
    return GroupMember.WORLD is not None


def _get_default_group() -> ProcessGroup:
    if GroupMember.WORLD is None:
        raise ValueError("Default process group has not been initialized, please make sure to call "
                         "init_process_group.")
    return GroupMember.WORLD


def _resolve_backend(backend) -> str:
    name = "gloo" if backend is None else str(Backend(backend))
    if ":" in name:  # "cpu:gloo,cuda:nccl": the CPU entry is the one that runs here
        entries = dict(part.split(":", 1) for part in name.split(","))
        name = entries.get("cpu", "gloo")
    if name in ("gloo", "mpi"):
        return name
    if name in ("nccl", "ucc", "xccl"):
        raise RuntimeError(f"Distributed package doesn't have {name.upper()} built in")
    raise AssertionError(f"Unknown backend type {name}")


def _int_env(name: str) -> int | None:
    v = os.environ.get(name)
    return None if v in (None, "") else int(v)


def init_process_group(backend: str | None = None, init_method: str | None = None, timeout: timedelta | None = None,
                       world_size: int = -1, rank: int = -1, store=None, group_name: str = "", pg_options=None,
                       device_id=None) -> None:
    """Start the default process group: every process of the MPI job, in rank order.

    ``rank`` / ``world_size`` (or ``RANK`` / ``WORLD_SIZE`` in the environment, or in a ``tcp://`` URL's query)
    are checked against MPI's; ranks given by every process reorder the group. ``init_method`` and ``store``
    are accepted for compatibility: MPI's launcher has already connected the processes.
    """
    if GroupMember.WORLD is not None:
        raise ValueError("trying to initialize the default process group twice!")
    if store is not None and init_method is not None:
        raise AssertionError("Cannot specify both init_method and store.")
    if timeout is None:
        timeout = default_pg_timeout
    elif not isinstance(timeout, timedelta):
        raise TypeError(f"Expected timeout argument to be of type datetime.timedelta, got {timeout}")
    if device_id is not None and str(getattr(device_id, "type", device_id)) != "cpu":
        raise ValueError(f"device_id {device_id} does not match the current compilation's accelerator support: "
                         "None. Please use a different compiled version that supports your accelerator.")
    name = _resolve_backend(backend)
    if init_method is not None and init_method.startswith("tcp://"):
        query = parse_qs(urlparse(init_method).query)
        rank = int(query["rank"][0]) if rank == -1 and "rank" in query else rank
        world_size = int(query["world_size"][0]) if world_size == -1 and "world_size" in query else world_size
    if rank == -1:
        rank = _int_env("RANK") if _int_env("RANK") is not None else -1
    if world_size == -1:
        world_size = _int_env("WORLD_SIZE") if _int_env("WORLD_SIZE") is not None else -1

    MPI = _mpi.mpi()
    comm = MPI.COMM_WORLD
    size = comm.Get_size()
    if world_size != -1 and world_size != size:
        raise RuntimeError(
            f"init_process_group: world_size={world_size} was asked, but MPI started {size} process(es). "
            "ember.distributed runs on MPI: start the job with "
            f"`python -m ember.distributed.run --nproc-per-node {world_size} script.py` (or `mpiexec -n "
            f"{world_size} python script.py`)")
    asked = comm.allgather(rank)
    if all(r == -1 for r in asked):
        key = comm.Get_rank()
    elif sorted(asked) != list(range(size)):
        raise ValueError(f"init_process_group: the processes asked for ranks {asked}; every rank 0..{size - 1} "
                         "must be asked by exactly one process")
    else:
        key = rank
    world_comm = comm.Split(0, key)  # our own communicator, its ranks in the order asked
    pg = ProcessGroup(world_comm, list(range(size)), name, timeout, group_name or "0")
    _world.groups = [pg]
    _world.count = 1
    GroupMember.WORLD = pg
    if size > 1 and os.environ.get("EMBER_RUN_AGENT") != "1":
        _install_abort_on_error()


def _install_abort_on_error() -> None:
    """Under a bare ``mpiexec``, an uncaught error on one rank aborts the job (the others would wait forever)."""
    prev = sys.excepthook

    def hook(tp, value, tb):
        prev(tp, value, tb)
        sys.stdout.flush()
        sys.stderr.flush()
        _mpi.mpi().COMM_WORLD.Abort(1)

    _world.prev_excepthook = prev
    sys.excepthook = hook


def destroy_process_group(group: ProcessGroup | None = None) -> None:
    """Free a group's communicator; with no argument, every group and the default one."""
    if group is None or group is GroupMember.WORLD:
        if GroupMember.WORLD is None:
            raise AssertionError("Process group cannot be None")
        for pg in _world.groups:
            pg._comm.Free()
        _world.groups = []
        GroupMember.WORLD = None
        if _world.prev_excepthook is not None:
            sys.excepthook = _world.prev_excepthook
            _world.prev_excepthook = None
        return
    if group == GroupMember.NON_GROUP_MEMBER:
        return
    if group not in _world.groups:
        raise ValueError("Invalid process group specified or has been destroyed.")
    group._comm.Free()
    _world.groups.remove(group)


def _group(group) -> ProcessGroup:
    if group is None or group is GroupMember.WORLD:
        return _get_default_group()
    return group


def _not_in_group(group) -> bool:
    return group is not None and not isinstance(group, ProcessGroup) and group == GroupMember.NON_GROUP_MEMBER


def _warn_not_in_group(op_name: str) -> None:
    global_rank = -1 if GroupMember.WORLD is None else GroupMember.WORLD.rank()
    warnings.warn(f"Running {op_name} on global rank {global_rank} which does not belong to the given group.",
                  stacklevel=3)


def get_rank(group: ProcessGroup | None = None) -> int:
    """This process's rank in ``group`` (the default group if None); -1 if it is not in the group."""
    if _not_in_group(group):
        return -1
    return _group(group).rank()


def get_world_size(group: ProcessGroup | None = None) -> int:
    """The number of processes in ``group``; -1 if this process is not in it."""
    if _not_in_group(group):
        return -1
    return _group(group).size()


def get_backend(group: ProcessGroup | None = None) -> Backend:
    if _not_in_group(group):
        raise ValueError("Invalid process group specified")
    return _group(group)._backend


def get_group_rank(group: ProcessGroup, global_rank: int) -> int:
    if group is GroupMember.WORLD:
        return global_rank
    if group not in _world.groups:
        raise ValueError(f"Group {group} is not registered, please create group with torch.distributed.new_group "
                         "API")
    if global_rank not in group._group_rank:
        raise ValueError(f"Global rank {global_rank} is not part of group {group}")
    return group._group_rank[global_rank]


def get_global_rank(group: ProcessGroup, group_rank: int) -> int:
    if group is GroupMember.WORLD:
        return group_rank
    if group not in _world.groups:
        raise ValueError(f"Group {group} is not registered, please create group with torch.distributed.new_group "
                         "API")
    if not 0 <= group_rank < len(group._ranks):
        raise ValueError(f"Group rank {group_rank} is not part of group {group}")
    return group._ranks[group_rank]


def get_process_group_ranks(group: ProcessGroup | None) -> list[int]:
    return list(_group(group)._ranks)


def get_node_local_rank(fallback_rank: int | None = None) -> int:
    if "LOCAL_RANK" in os.environ:
        return int(os.environ["LOCAL_RANK"])
    if fallback_rank is not None:
        return int(fallback_rank)
    raise RuntimeError("LOCAL_RANK is not in the environment. Consider passing fallback_rank to allow "
                       "`get_node_local_rank` to work, assuming you are not running in a multi-device context and "
                       "want the code to run locally instead.")


def new_group(ranks=None, timeout=None, backend=None, pg_options=None, use_local_synchronization: bool = False,
              group_desc=None, device_id=None, sort_ranks: bool = True):
    """A group of some ranks (all by default). Every rank of the default group must call it, as in PyTorch."""
    world = _get_default_group()
    n = world.size()
    if use_local_synchronization and world._backend == Backend.MPI:
        raise ValueError("MPI backend doesn't support use_local_synchronization=True")
    if ranks is None:
        ranks = list(range(n))
    else:
        ranks = sorted(ranks) if sort_ranks else list(ranks)
        if len(set(ranks)) != len(ranks):
            raise ValueError(f"ranks list must not contain duplicate entries, got {ranks}")
        if len(ranks) > n:
            raise ValueError("the new group's world size should be less or equal to the world size set by "
                             "init_process_group")
        for r in ranks:
            if r < 0 or r >= n:
                raise ValueError(f"Rank {r} is out of range. Valid ranks are 0 to {n - 1} (world_size={n})")
    me = world.rank()
    MPI = _mpi.mpi()
    member = me in ranks
    comm = world._comm.Split(0 if member else MPI.UNDEFINED, ranks.index(me) if member else 0)
    _world.count += 1
    if not member:
        return GroupMember.NON_GROUP_MEMBER
    pg = ProcessGroup(comm, ranks, Backend(backend) if backend else world._backend, timeout or world._timeout,
                      str(_world.count - 1))
    if group_desc:
        pg.group_desc = group_desc
    _world.groups.append(pg)
    return pg


# ---------------------------------------------------------------------------------------------------------------
# Work: the handle of a collective in flight
# ---------------------------------------------------------------------------------------------------------------
class _Future:
    """What ``Work.get_future()`` returns: ``wait()`` / ``value()`` give the output tensors."""

    def __init__(self, work: Work):
        self._work = work

    def wait(self):
        self._work.wait()
        return self._work.result()

    def value(self):
        return self.wait()

    def done(self) -> bool:
        return self._work.is_completed()

    def then(self, callback):
        self.wait()
        fut = _DoneFuture(callback(self))
        return fut


class _DoneFuture:
    def __init__(self, value):
        self._value = value

    def wait(self):
        return self._value

    value = wait

    def done(self) -> bool:
        return True


class Work:
    """A collective in flight: ``wait()`` blocks until it is done (and returns True), ``is_completed()`` polls."""

    def __init__(self, requests: list, finish=None, result=(), status=None):
        self._reqs = requests
        self._finish = finish
        self._result = list(result)
        self._status = status
        self._done = not requests
        if self._done and finish is not None:
            self._complete()

    def _complete(self) -> None:
        self._done = True
        self._reqs = []
        finish, self._finish = self._finish, None
        if finish is not None:
            finish()

    def is_completed(self) -> bool:
        if not self._done and _mpi.mpi().Request.Testall(self._reqs, self._statuses()):
            self._complete()
        return self._done

    def _statuses(self):
        return None if self._status is None else [self._status]

    def wait(self, timeout: timedelta | None = None) -> bool:
        if not self._done:
            MPI = _mpi.mpi()
            if timeout is None:
                MPI.Request.Waitall(self._reqs, self._statuses())
            else:
                deadline = time.monotonic() + timeout.total_seconds()
                while not MPI.Request.Testall(self._reqs, self._statuses()):
                    if time.monotonic() > deadline:
                        raise RuntimeError(f"Work timed out after {int(timeout.total_seconds() * 1000)}ms")
            self._complete()
        return True

    def synchronize(self) -> None:
        self.wait()

    def is_success(self) -> bool:
        return self._done

    def exception(self):
        return None

    def result(self) -> list:
        return self._result

    def source_rank(self) -> int:
        self.wait()
        return self._result_source

    def get_future(self) -> _Future:
        return _Future(self)


def _finish(work: Work, async_op: bool):
    if async_op:
        return work
    work.wait()
    return None


# ---------------------------------------------------------------------------------------------------------------
# checks shared by the collectives
# ---------------------------------------------------------------------------------------------------------------
def _check_single_tensor(param, name: str) -> None:
    if not isinstance(param, Tensor):
        raise TypeError(f"Invalid function argument. Expected parameter `{name}` of type torch.Tensor\n"
                        f"             but got {type(param)} instead.")


def _check_tensor_list(param, name: str) -> None:
    if not isinstance(param, list):
        raise TypeError(f"Invalid function argument. Expected parameter `{name}` of type List[torch.Tensor]\n"
                        f"             but got {type(param)} instead.")
    if not all(isinstance(p, Tensor) for p in param):
        raise TypeError(f"Invalid function argument. Expected parameter `{name}` of type List[torch.Tensor]\n"
                        f"             but got {type(param)} with elements of type {[type(p) for p in param]}.")


def _check_same_dtype(*tensors) -> None:
    last = None
    for t in tensors:
        for x in (t if isinstance(t, list) else [t]):
            dt = x.dtype
            key = {"complex64": "float32", "complex128": "float64"}.get(dt.name, dt.name)
            if last is None:
                last = (key, dt)
            elif last[0] != key:
                raise ValueError(f"Invalid usage of tensors with different dtypesFound {last[1]} and  {x.dtype}")


def _shape(shape) -> str:
    return "(" + ", ".join(str(s) for s in shape) + ")"


def _root(group: ProcessGroup, global_rank, group_rank, op: str) -> int:
    """The group rank of a collective's root, given as a global rank or (``group_src`` / ``group_dst``) a group rank."""
    if group_rank is not None:
        if global_rank is not None:
            raise ValueError("Can't specify both group_rank and global_rank")
    else:
        if global_rank is None:
            raise ValueError("Must specify global_rank or group_rank")
        group_rank = get_group_rank(group, global_rank) if group is not GroupMember.WORLD else global_rank
    if not 0 <= group_rank < group.size():
        raise RuntimeError(f"ProcessGroup{group._label()}::{op}: invalid root rank: {group_rank}")
    return group_rank


def _inout(t: Tensor):
    """A C-contiguous array holding ``t``'s values and a function that writes it back into ``t`` (if it is a copy)."""
    a = _array(t)
    if a.flags.c_contiguous and a.flags.writeable:
        return a, None
    b = np.ascontiguousarray(a)
    return b, lambda: np.copyto(_array(t), b)


def _send_buf(t: Tensor) -> np.ndarray:
    return np.ascontiguousarray(_array(t))


def _mpi_op(op: _RedOpType, dtype: np.dtype, name: str = "all_reduce"):
    MPI = _mpi.mpi()
    kind = dtype.kind
    if kind == "c" and op not in (_RedOpType.SUM, _RedOpType.AVG):
        raise ValueError(f"{name} does not support {op} on complex tensors")
    if kind == "b":
        table = {_RedOpType.SUM: MPI.LOR, _RedOpType.MAX: MPI.LOR, _RedOpType.BOR: MPI.LOR,
                 _RedOpType.PRODUCT: MPI.LAND, _RedOpType.MIN: MPI.LAND, _RedOpType.BAND: MPI.LAND,
                 _RedOpType.BXOR: MPI.LXOR, _RedOpType.AVG: MPI.LOR}
    else:
        if op in (_RedOpType.BAND, _RedOpType.BOR, _RedOpType.BXOR) and kind == "f":
            raise RuntimeError(f"Cannot use ReduceOp.{op.name} with non-integral dtype")
        table = {_RedOpType.SUM: MPI.SUM, _RedOpType.AVG: MPI.SUM, _RedOpType.PRODUCT: MPI.PROD,
                 _RedOpType.MIN: MPI.MIN, _RedOpType.MAX: MPI.MAX, _RedOpType.BAND: MPI.BAND,
                 _RedOpType.BOR: MPI.BOR, _RedOpType.BXOR: MPI.BXOR}
    if op not in table:
        raise ValueError(f"ReduceOp.{op.name} is not supported by ember's MPI backend")
    return table[op]


def _average(buf: np.ndarray, n: int) -> None:
    """AVG = SUM / n, in place: true division for floating types, floor division for integers."""
    if buf.dtype.kind in "fc":
        np.divide(buf, n, out=buf)
    elif buf.dtype.kind != "b":
        np.floor_divide(buf, n, out=buf)


def _then(*steps):
    steps = [s for s in steps if s is not None]
    if not steps:
        return None

    def run():
        for s in steps:
            s()
    return run


# ---------------------------------------------------------------------------------------------------------------
# collectives
# ---------------------------------------------------------------------------------------------------------------
def all_reduce(tensor: Tensor, op=ReduceOp.SUM, group: ProcessGroup | None = None, async_op: bool = False):
    """Every rank's ``tensor`` becomes op(tensor of rank 0, ..., tensor of rank n-1), in place."""
    _check_single_tensor(tensor, "tensor")
    if _not_in_group(group):
        _warn_not_in_group("all_reduce")
        return None
    op = _red_op(op, "AllreduceOptions")
    pg = _group(group)
    buf, back = _inout(tensor)
    mop = _mpi_op(op, buf.dtype)
    req = pg._comm.Iallreduce(_mpi.mpi().IN_PLACE, buf, mop)
    avg = (lambda: _average(buf, pg.size())) if op is _RedOpType.AVG else None
    return _finish(Work([req], _then(avg, back), [tensor]), async_op)


def broadcast(tensor: Tensor, src: int | None = None, group: ProcessGroup | None = None, async_op: bool = False,
              group_src: int | None = None):
    """``tensor`` on every rank becomes ``src``'s."""
    _check_single_tensor(tensor, "tensor")
    if _not_in_group(group):
        _warn_not_in_group("broadcast")
        return None
    pg = _group(group)
    root = _root(pg, src, group_src, "broadcast")
    buf, back = _inout(tensor)
    req = pg._comm.Ibcast(buf, root)
    return _finish(Work([req], back, [tensor]), async_op)


def reduce(tensor: Tensor, dst: int | None = None, op=ReduceOp.SUM, group: ProcessGroup | None = None,
           async_op: bool = False, group_dst: int | None = None):
    """op over the ranks' ``tensor`` into ``dst``'s ``tensor`` (the others' are left as they were)."""
    _check_single_tensor(tensor, "tensor")
    if _not_in_group(group):
        _warn_not_in_group("reduce")
        return None
    op = _red_op(op, "ReduceOptions")
    pg = _group(group)
    root = _root(pg, dst, group_dst, "reduce")
    MPI = _mpi.mpi()
    if pg.rank() == root:
        buf, back = _inout(tensor)
        req = pg._comm.Ireduce(MPI.IN_PLACE, buf, _mpi_op(op, buf.dtype, "reduce"), root)
        avg = (lambda: _average(buf, pg.size())) if op is _RedOpType.AVG else None
        return _finish(Work([req], _then(avg, back), [tensor]), async_op)
    send = _send_buf(tensor)
    req = pg._comm.Ireduce(send, None, _mpi_op(op, send.dtype, "reduce"), root)
    return _finish(Work([req], None, [tensor]), async_op)


def all_gather(tensor_list: list, tensor: Tensor, group: ProcessGroup | None = None, async_op: bool = False):
    """``tensor_list[i]`` becomes rank i's ``tensor``."""
    _check_tensor_list(tensor_list, "tensor_list")
    _check_single_tensor(tensor, "tensor")
    _check_same_dtype(tensor_list, tensor)
    if _not_in_group(group):
        _warn_not_in_group("all_gather")
        return None
    pg = _group(group)
    n = pg.size()
    if len(tensor_list) != n:
        raise RuntimeError(f"ProcessGroup{pg._label()}::allgather: invalid output tensor list at index 0 "
                           f"(expected length {n}, got {len(tensor_list)})")
    for i, t in enumerate(tensor_list):
        if tuple(t.shape) != tuple(tensor.shape):
            raise RuntimeError(f"ProcessGroup{pg._label()}::allgather: invalid tensor size at index {i} "
                               f"(expected {_shape(tensor.shape)}, got {_shape(t.shape)})")
    send = _send_buf(tensor)
    recv = np.empty((n,) + send.shape, send.dtype)
    req = pg._comm.Iallgather(send, recv)

    def scatter_back():
        for i, t in enumerate(tensor_list):
            np.copyto(_array(t), recv[i])
    return _finish(Work([req], scatter_back, tensor_list), async_op)


def _chunks0(t: Tensor, n: int) -> list[tuple]:
    """The shapes ``torch.chunk(t, n, dim=0)`` would give."""
    d0 = t.shape[0] if t.dim() else 1
    step = -(-d0 // n) if d0 else 0
    rest = tuple(t.shape[1:])
    if step == 0:
        return [(0,) + rest] * n
    return [(min(step, d0 - s),) + rest for s in range(0, d0, step)]


def all_gather_into_tensor(output_tensor: Tensor, input_tensor: Tensor, group: ProcessGroup | None = None,
                           async_op: bool = False):
    """``output_tensor`` (the ranks' inputs concatenated along dim 0) on every rank."""
    _check_single_tensor(input_tensor, "input_tensor")
    _check_single_tensor(output_tensor, "output_tensor")
    if _not_in_group(group):
        _warn_not_in_group("all_gather_into_tensor")
        return None
    _check_same_dtype(output_tensor, input_tensor)
    pg = _group(group)
    n = pg.size()
    chunks = _chunks0(output_tensor, n)
    if len(chunks) != n:
        raise RuntimeError(f"ProcessGroup{pg._label()}::allgather: invalid output tensor list at index 0 "
                           f"(expected length {n}, got {len(chunks)})")
    for i, shape in enumerate(chunks):
        if shape != tuple(input_tensor.shape):
            raise RuntimeError(f"ProcessGroup{pg._label()}::allgather: invalid tensor size at index {i} "
                               f"(expected {_shape(input_tensor.shape)}, got {_shape(shape)})")
    buf, back = _inout(output_tensor)
    req = pg._comm.Iallgather(_send_buf(input_tensor), buf)
    return _finish(Work([req], back, [output_tensor]), async_op)


def reduce_scatter(output: Tensor, input_list: list, op=ReduceOp.SUM, group: ProcessGroup | None = None,
                   async_op: bool = False):
    """``output`` on rank i becomes op over the ranks' ``input_list[i]``."""
    _check_single_tensor(output, "output")
    _check_tensor_list(input_list, "input_list")
    _check_same_dtype(output, input_list)
    if _not_in_group(group):
        _warn_not_in_group("reduce_scatter")
        return None
    op = _red_op(op, "ReduceScatterOptions")
    pg = _group(group)
    if len(input_list) != pg.size():
        raise RuntimeError("invalid input tensor list size, must be world size")
    for t in input_list:
        if tuple(t.shape) != tuple(output.shape):
            raise RuntimeError("invalid tensor size in input tensor list, must be the same as the output size")
    send = np.stack([_array(t) for t in input_list]) if input_list else np.empty(0)
    return _reduce_scatter_block(pg, output, send, op, async_op)


def _reduce_scatter_block(pg: ProcessGroup, output: Tensor, send: np.ndarray, op: _RedOpType, async_op: bool):
    buf, back = _inout(output)
    req = pg._comm.Ireduce_scatter_block(np.ascontiguousarray(send), buf, _mpi_op(op, buf.dtype, "reduce_scatter"))
    avg = (lambda: _average(buf, pg.size())) if op is _RedOpType.AVG else None
    return _finish(Work([req], _then(avg, back), [output]), async_op)


def reduce_scatter_tensor(output: Tensor, input: Tensor, op=ReduceOp.SUM, group: ProcessGroup | None = None,
                          async_op: bool = False):
    """``output`` on rank i becomes op over the ranks' i-th dim-0 chunk of ``input``."""
    _check_single_tensor(output, "output")
    _check_single_tensor(input, "input")
    if _not_in_group(group):
        _warn_not_in_group("reduce_scatter_tensor")
        return None
    _check_same_dtype(output, input)
    op = _red_op(op, "ReduceScatterOptions")
    pg = _group(group)
    out0 = output.shape[0] if output.dim() else 1
    in0 = input.shape[0] if input.dim() else 1
    if out0 * pg.size() != in0:
        raise RuntimeError(f"Check failed: outputShape[0] * worldSize == inputShape[0] ({out0 * pg.size()} vs. {in0}).")
    return _reduce_scatter_block(pg, output, _array(input), op, async_op)


def gather(tensor: Tensor, gather_list: list | None = None, dst: int | None = None,
           group: ProcessGroup | None = None, async_op: bool = False, group_dst: int | None = None):
    """``dst``'s ``gather_list[i]`` becomes rank i's ``tensor``."""
    _check_single_tensor(tensor, "tensor")
    if gather_list:
        _check_tensor_list(gather_list, "gather_list")
    else:
        gather_list = []
    _check_same_dtype(tensor, gather_list)
    if _not_in_group(group):
        _warn_not_in_group("gather")
        return None
    pg = _group(group)
    if dst is None and group_dst is None:
        dst = 0
    root = _root(pg, dst, group_dst, "gather")
    send = _send_buf(tensor)
    if pg.rank() == root:
        if not gather_list:
            raise ValueError("Argument ``gather_list`` must be specified on destination rank.")
        if len(gather_list) != pg.size():
            raise RuntimeError(f"ProcessGroup{pg._label()}::gather: Incorrect output list size {len(gather_list)}. "
                               f"Output list size should be {pg.size()}, same as size of the process group.")
        recv = np.empty((pg.size(),) + send.shape, send.dtype)
        req = pg._comm.Igather(send, recv, root)

        def scatter_back():
            for i, t in enumerate(gather_list):
                np.copyto(_array(t), recv[i])
        return _finish(Work([req], scatter_back, gather_list), async_op)
    if gather_list:
        raise ValueError("Argument ``gather_list`` must NOT be specified on non-destination ranks.")
    req = pg._comm.Igather(send, None, root)
    return _finish(Work([req], None, []), async_op)


def scatter(tensor: Tensor, scatter_list: list | None = None, src: int | None = None,
            group: ProcessGroup | None = None, async_op: bool = False, group_src: int | None = None):
    """Rank i's ``tensor`` becomes ``src``'s ``scatter_list[i]``."""
    _check_single_tensor(tensor, "tensor")
    if scatter_list:
        _check_tensor_list(scatter_list, "scatter_list")
    else:
        scatter_list = []
    _check_same_dtype(tensor, scatter_list)
    if _not_in_group(group):
        _warn_not_in_group("scatter")
        return None
    pg = _group(group)
    if src is None and group_src is None:
        src = 0
    root = _root(pg, src, group_src, "scatter")
    buf, back = _inout(tensor)
    if pg.rank() == root:
        if not scatter_list:
            raise ValueError("Argument ``scatter_list`` must be specified on source rank.")
        if len(scatter_list) != pg.size():
            raise RuntimeError(f"ProcessGroup{pg._label()}::scatter: Incorrect input list size {len(scatter_list)}. "
                               f"Input list size should be {pg.size()}, same as size of the process group.")
        send = np.ascontiguousarray(np.stack([_array(t) for t in scatter_list]))
        req = pg._comm.Iscatter(send, buf, root)
    else:
        if scatter_list:
            raise ValueError("Argument ``scatter_list`` must NOT be specified on non-source ranks.")
        req = pg._comm.Iscatter(None, buf, root)
    return _finish(Work([req], back, [tensor]), async_op)


def all_to_all_single(output: Tensor, input: Tensor, output_split_sizes=None, input_split_sizes=None,
                      group: ProcessGroup | None = None, async_op: bool = False):
    """Rank i sends its j-th dim-0 slice of ``input`` to rank j, which stores it as its i-th slice of ``output``."""
    _check_single_tensor(output, "output")
    _check_single_tensor(input, "input")
    if _not_in_group(group):
        _warn_not_in_group("all_to_all_single")
        return None
    _check_same_dtype(output, input)
    pg = _group(group)
    n = pg.size()
    send = _send_buf(input)
    buf, back = _inout(output)
    row_in = int(np.prod(send.shape[1:])) if send.ndim else 1
    row_out = int(np.prod(buf.shape[1:])) if buf.ndim else 1
    in_sizes = list(input_split_sizes) if input_split_sizes else [send.shape[0] // n] * n
    out_sizes = list(output_split_sizes) if output_split_sizes else [buf.shape[0] // n] * n
    sc = [s * row_in for s in in_sizes]
    rc = [s * row_out for s in out_sizes]
    req = pg._comm.Ialltoallv([send, (sc, list(np.cumsum([0] + sc[:-1])))],
                              [buf, (rc, list(np.cumsum([0] + rc[:-1])))])
    return _finish(Work([req], back, [output]), async_op)


def all_to_all(output_tensor_list: list, input_tensor_list: list, group: ProcessGroup | None = None,
               async_op: bool = False):
    """Rank i's ``input_tensor_list[j]`` becomes rank j's ``output_tensor_list[i]``."""
    _check_tensor_list(output_tensor_list, "output_tensor_list")
    _check_tensor_list(input_tensor_list, "input_tensor_list")
    _check_same_dtype(output_tensor_list, input_tensor_list)
    if _not_in_group(group):
        _warn_not_in_group("all_to_all")
        return None
    pg = _group(group)
    send = np.concatenate([_array(t).ravel() for t in input_tensor_list])
    recv = np.empty(sum(t.numel() for t in output_tensor_list), send.dtype)
    sc = [t.numel() for t in input_tensor_list]
    rc = [t.numel() for t in output_tensor_list]
    req = pg._comm.Ialltoallv([send, (sc, list(np.cumsum([0] + sc[:-1])))],
                              [recv, (rc, list(np.cumsum([0] + rc[:-1])))])

    def scatter_back():
        at = 0
        for t in output_tensor_list:
            k = t.numel()
            np.copyto(_array(t), recv[at:at + k].reshape(tuple(t.shape)))
            at += k
    return _finish(Work([req], scatter_back, output_tensor_list), async_op)


def barrier(group: ProcessGroup | None = None, async_op: bool = False, device_ids=None,
            timeout: timedelta | None = None):
    """Wait until every rank of the group has reached this call."""
    if _not_in_group(group):
        _warn_not_in_group("barrier")
        return None
    pg = _group(group)
    work = Work([pg._comm.Ibarrier()])
    if async_op:
        return work
    work.wait(timeout)
    return None


def monitored_barrier(group: ProcessGroup | None = None, timeout=None, wait_all_ranks: bool = False) -> None:
    """A barrier that raises after ``timeout`` (default: the group's) instead of waiting forever."""
    if _not_in_group(group):
        _warn_not_in_group("monitored_barrier")
        return None
    pg = _group(group)
    Work([pg._comm.Ibarrier()]).wait(timeout or pg._timeout)
    return None


# -- point to point ---------------------------------------------------------------------------------------------
def _peer(pg: ProcessGroup, global_rank, group_rank, kind: str) -> int:
    peer = _root(pg, global_rank, group_rank, "send" if kind == "destination" else "recv")
    if peer == pg.rank():
        raise ValueError(f"Invalid {kind} rank: {kind} rank should not be the same as the rank of the current "
                         "process.")
    return peer


def isend(tensor: Tensor, dst: int | None = None, group: ProcessGroup | None = None, tag: int = 0,
          group_dst: int | None = None):
    """Send ``tensor`` to ``dst`` without waiting; the returned Work's ``wait()`` waits."""
    _check_single_tensor(tensor, "tensor")
    if _not_in_group(group):
        _warn_not_in_group("isend")
        return None
    pg = _group(group)
    peer = _peer(pg, dst, group_dst, "destination")
    send = _send_buf(tensor)
    work = Work([pg._comm.Isend(send, peer, tag)], None, [tensor])
    work._keep = send  # the buffer must outlive the request
    return work


def irecv(tensor: Tensor, src: int | None = None, group: ProcessGroup | None = None, tag: int = 0,
          group_src: int | None = None):
    """Receive into ``tensor`` from ``src`` (any rank if None) without waiting."""
    _check_single_tensor(tensor, "tensor")
    if _not_in_group(group):
        _warn_not_in_group("irecv")
        return None
    pg = _group(group)
    MPI = _mpi.mpi()
    peer = MPI.ANY_SOURCE if src is None and group_src is None else _peer(pg, src, group_src, "source")
    buf, back = _inout(tensor)
    status = MPI.Status()
    work = Work([pg._comm.Irecv(buf, peer, tag)], None, [tensor], status)

    def done():
        work._result_source = pg._ranks[status.Get_source()]
        if back is not None:
            back()
    work._finish = done
    return work


def send(tensor: Tensor, dst: int | None = None, group: ProcessGroup | None = None, tag: int = 0,
         group_dst: int | None = None) -> None:
    """Send ``tensor`` to ``dst`` (waits until the message is on its way)."""
    work = isend(tensor, dst, group, tag, group_dst)
    if work is not None:
        work.wait()


def recv(tensor: Tensor, src: int | None = None, group: ProcessGroup | None = None, tag: int = 0,
         group_src: int | None = None) -> int:
    """Receive into ``tensor``; returns the sender's rank (-1 if this process is not in ``group``)."""
    work = irecv(tensor, src, group, tag, group_src)
    if work is None:
        return -1
    work.wait()
    return work._result_source


class P2POp:
    """One point-to-point operation (``isend`` or ``irecv``) for ``batch_isend_irecv``."""

    def __init__(self, op, tensor: Tensor, peer: int | None = None, group: ProcessGroup | None = None,
                 tag: int = 0, group_peer: int | None = None):
        if op not in (isend, irecv):
            raise ValueError("Invalid ``op``. Expected ``op`` to be of type ``torch.distributed.isend`` or "
                             "``torch.distributed.irecv``.")
        self.op, self.tensor, self.peer, self.group, self.tag, self.group_peer = op, tensor, peer, group, tag, group_peer


def batch_isend_irecv(p2p_op_list: list) -> list:
    """Start every operation of the list; returns their Works."""
    if not isinstance(p2p_op_list, list) or not all(isinstance(p, P2POp) for p in p2p_op_list):
        raise ValueError("Invalid ``p2p_op_list``. Each op is expected to to be of type "
                         "``torch.distributed.P2POp``.")
    if not all(p.group == p2p_op_list[0].group for p in p2p_op_list):
        raise ValueError("All ops need to use the same group.")
    return [p.op(p.tensor, p.peer, p.group, p.tag, p.group_peer) for p in p2p_op_list]


# -- Python objects (pickled, as PyTorch's *_object collectives) -------------------------------------------------
def all_gather_object(object_list: list, obj, group: ProcessGroup | None = None) -> None:
    """``object_list[i]`` becomes rank i's ``obj``."""
    if _not_in_group(group):
        _warn_not_in_group("all_gather_object")
        return
    for i, o in enumerate(_group(group)._comm.allgather(obj)):
        object_list[i] = o


def broadcast_object_list(object_list: list, src: int | None = None, group: ProcessGroup | None = None,
                          device=None, group_src: int | None = None) -> None:
    """The entries of ``object_list`` on every rank become ``src``'s."""
    if _not_in_group(group):
        _warn_not_in_group("broadcast_object_list")
        return
    pg = _group(group)
    if src is None and group_src is None:
        src = 0
    root = _root(pg, src, group_src, "broadcast")
    objs = pg._comm.bcast(list(object_list) if pg.rank() == root else None, root)
    for i, o in enumerate(objs):
        object_list[i] = o


def gather_object(obj, object_gather_list: list | None = None, dst: int | None = None,
                  group: ProcessGroup | None = None, group_dst: int | None = None) -> None:
    """``dst``'s ``object_gather_list[i]`` becomes rank i's ``obj``."""
    if _not_in_group(group):
        _warn_not_in_group("gather_object")
        return
    pg = _group(group)
    if dst is None and group_dst is None:
        dst = 0
    root = _root(pg, dst, group_dst, "gather")
    if pg.rank() == root and object_gather_list is None:
        raise AssertionError("Must provide object_gather_list on dst rank")
    objs = pg._comm.gather(obj, root)
    if pg.rank() == root:
        for i, o in enumerate(objs):
            object_gather_list[i] = o


def scatter_object_list(scatter_object_output_list: list, scatter_object_input_list: list | None = None,
                        src: int | None = None, group: ProcessGroup | None = None,
                        group_src: int | None = None) -> None:
    """``scatter_object_output_list[0]`` on rank i becomes ``src``'s ``scatter_object_input_list[i]``."""
    if _not_in_group(group):
        _warn_not_in_group("scatter_object_list")
        return
    if not isinstance(scatter_object_output_list, list) or len(scatter_object_output_list) < 1:
        raise ValueError("Expected argument scatter_object_output_list to be a list of size at least 1.")
    pg = _group(group)
    if src is None and group_src is None:
        src = 0
    root = _root(pg, src, group_src, "scatter")
    scatter_object_output_list[0] = pg._comm.scatter(
        list(scatter_object_input_list) if pg.rank() == root else None, root)
