"""``DistributedDataParallel``: one model replica per process, gradients averaged over the processes.

At construction the parameters and buffers of rank 0 are broadcast, so every replica starts equal. Each
forward prepares a reduction; during backward, as the engine accumulates each parameter's gradient (its
post-accumulate-grad hook), the gradient, times ``1 / world_size``, is copied into its bucket: a flat buffer
of about ``bucket_cap_mb`` (the first one 1 MiB), parameters in reverse order, as PyTorch lays them out. A
bucket whose gradients are all in is summed over the ranks at once by a non-blocking MPI allreduce, while the
gradients of the other buckets are still being collected; when the last expected gradient has arrived, the
outstanding allreduces are waited for and every ``.grad`` receives its averaged value.

``no_sync()`` skips the reduction (gradients accumulate locally and are averaged, accumulated, by the next
synchronised backward). ``find_unused_parameters=True`` walks the graph from the forward's outputs to find the
parameters that will get no gradient this iteration, so the reduction does not wait for them; without it a
parameter left out of the loss makes the next forward raise PyTorch's "Expected to have finished reduction"
error.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator

import numpy as np

from ... import distributed as dist
from ..._core.tensor import Tensor
from ...autograd import is_grad_enabled
from ..modules.module import Module

__all__ = ["DistributedDataParallel"]

_FIRST_BUCKET_BYTES = 1024 * 1024
_DEFAULT_BUCKET_MB = 25


def _array(t: Tensor) -> np.ndarray:  # the one place this module reads a tensor's NumPy array
    return t._data


def _output_tensors(out) -> Iterator[Tensor]:
    """The tensors in a forward's output: a tensor, or any nesting of lists, tuples and dicts of them."""
    stack = [out]
    while stack:
        x = stack.pop()
        if isinstance(x, Tensor):
            yield x
        elif isinstance(x, (list, tuple)):
            stack.extend(x)
        elif isinstance(x, dict):
            stack.extend(x.values())


def _reachable_leaves(outputs) -> set[int]:
    """ids of the leaf tensors the backward graph of ``outputs`` leads to."""
    leaves: set[int] = set()
    seen: set[int] = set()
    stack = []
    for t in outputs:
        if t.grad_fn is not None:
            stack.append(t.grad_fn)
        elif t.requires_grad:
            leaves.add(id(t))
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        for e in node.next:
            if e is None:
                continue
            if type(e) is tuple:
                e = e[0]
            if isinstance(e, Tensor):
                leaves.add(id(e))
            elif id(e) not in seen:
                stack.append(e)
    return leaves


class _Bucket:
    """Gradients of a few parameters of one dtype, laid end to end in one flat array, reduced together."""

    __slots__ = ("indices", "offsets", "flat", "pending", "request")

    def __init__(self, indices: list[int], params: list, dtype):
        self.indices = indices
        self.offsets = []
        at = 0
        for i in indices:
            n = params[i].numel()
            self.offsets.append((at, at + n))
            at += n
        self.flat = np.zeros(at, dtype)
        self.pending = 0
        self.request = None


class _Reducer:
    """The gradient averaging of one DDP module: buckets, their allreduces, and the per-iteration bookkeeping."""

    def __init__(self, params: list, group, bucket_cap_mb: float, find_unused: bool):
        self.params = params
        self.group = group
        self.world = group.size()
        self.find_unused = find_unused
        self.index = {id(p): i for i, p in enumerate(params)}
        self.buckets = self._assign(params, bucket_cap_mb)
        self.slot = {}  # param index -> (bucket, start, stop)
        for b in self.buckets:
            for i, (s, e) in zip(b.indices, b.offsets):
                self.slot[i] = (b, s, e)
        self.armed = False      # a reduction is prepared for the coming backward
        self.started = False    # a gradient of it has arrived
        self.ready = [False] * len(params)
        self.used = np.ones(len(params), np.int32)
        self.expected = 0
        self.arrived = 0
        self.next_bucket = 0
        self.comm_seconds = 0.0  # time spent waiting for allreduces (bench/ddp.py reads it)
        self.handles = [p.register_post_accumulate_grad_hook(self._on_grad) for p in params]

    @staticmethod
    def _assign(params: list, cap_mb: float) -> list[_Bucket]:
        """Buckets of at most 1 MiB (the first) then ``cap_mb`` MiB, parameters in reverse order, per dtype."""
        cap = int(cap_mb * 1024 * 1024)
        buckets: list[_Bucket] = []
        open_: dict = {}  # dtype -> (indices, bytes)
        limit: dict = {}
        for i in reversed(range(len(params))):
            a = _array(params[i])
            dt = a.dtype
            idx, size = open_.get(dt, ([], 0))
            idx.append(i)
            size += a.nbytes
            if size >= limit.get(dt, _FIRST_BUCKET_BYTES):
                buckets.append(_Bucket(idx, params, dt))
                limit[dt] = cap
                idx, size = [], 0
            open_[dt] = (idx, size)
        for dt, (idx, _) in open_.items():
            if idx:
                buckets.append(_Bucket(idx, params, dt))
        return buckets

    # -- one iteration ------------------------------------------------------------------------------------------
    def prepare(self, outputs) -> None:
        """Called by each forward that will be followed by a synchronised backward."""
        if self.started:
            self._unfinished_error()
        self.armed = True
        self.arrived = 0
        self.next_bucket = 0
        self.ready = [False] * len(self.params)
        for b in self.buckets:
            b.pending = len(b.indices)
            b.request = None
        self.expected = len(self.params)
        if self.find_unused:
            reached = _reachable_leaves(outputs)
            self.used = np.array([id(p) in reached for p in self.params], np.int32)
            for i in np.flatnonzero(self.used == 0):
                b, s, e = self.slot[i]
                b.flat[s:e] = 0
                self._mark_ready(int(i))
            self.expected = int(self.used.sum())
            if self.expected == 0:  # nothing will call back: reduce now (every rank does the same)
                self._finalize()

    def _on_grad(self, p: Tensor) -> None:
        if not self.armed:
            return
        i = self.index[id(p)]
        if self.ready[i]:
            return
        self.started = True
        b, s, e = self.slot[i]
        np.multiply(_array(p.grad).reshape(-1), 1.0 / self.world, out=b.flat[s:e], casting="unsafe")
        self._mark_ready(i)
        self.arrived += 1
        if self.arrived == self.expected:
            self._finalize()

    def _mark_ready(self, i: int) -> None:
        self.ready[i] = True
        b = self.slot[i][0]
        b.pending -= 1
        # buckets start in index order on every rank, so the ranks' MPI calls match one for one
        while self.next_bucket < len(self.buckets) and self.buckets[self.next_bucket].pending == 0:
            nb = self.buckets[self.next_bucket]
            nb.request = dist.all_reduce(Tensor._wrap(nb.flat), group=self.group, async_op=True)
            self.next_bucket += 1

    def _finalize(self) -> None:
        t0 = time.perf_counter()
        used = None
        if self.find_unused:  # which parameters some rank used: only those get the averaged gradient
            used = Tensor._wrap(self.used.copy())
            dist.all_reduce(used, group=self.group)
            used = _array(used)
        for b in self.buckets:
            b.request.wait()
        self.comm_seconds += time.perf_counter() - t0
        for b in self.buckets:
            for i, (s, e) in zip(b.indices, b.offsets):
                if used is not None and used[i] == 0:
                    continue
                p = self.params[i]
                avg = b.flat[s:e].reshape(_array(p).shape)
                if p.grad is None:
                    p.grad = Tensor._wrap(avg.copy())
                else:
                    np.copyto(_array(p.grad), avg, casting="unsafe")
        self.armed = False
        self.started = False

    def _unfinished_error(self):
        missing = " ".join(str(i) for i, r in enumerate(self.ready) if not r)
        if self.find_unused:
            advice = ("Since `find_unused_parameters=True` is enabled, this likely  means that not all `forward` "
                      "outputs participate in computing loss. You can fix this by ")
        else:
            advice = ("You can enable unused parameter detection by passing the keyword argument "
                      "`find_unused_parameters=True` to `torch.nn.parallel.DistributedDataParallel`, and by \n")
        raise RuntimeError(
            "Expected to have finished reduction in the prior iteration before starting a new one. This error "
            "indicates that your module has parameters that were not used in producing loss. " + advice +
            "making sure all `forward` function outputs participate in calculating loss. \nIf you already have "
            "done the above, then the distributed data parallel module wasn't able to locate the output tensors "
            "in the return value of your module's `forward` function. Please include the loss function and the "
            "structure of the return value of `forward` of your module when reporting this issue (e.g. list, "
            f"dict, iterable).\nParameter indices which did not receive grad for rank {self.group.rank()}: "
            f"{missing}\n In addition, you can set the environment variable TORCH_DISTRIBUTED_DEBUG to either "
            "INFO or DETAIL to print out information about which particular parameters did not receive gradient "
            "on this rank as part of this error")


class DistributedDataParallel(Module):
    """Data parallelism over processes: ``DDP(model)`` runs ``model`` and averages its gradients over the ranks."""

    def __init__(self, module: Module, device_ids=None, output_device=None, dim: int = 0,
                 broadcast_buffers: bool | None = None, init_sync: bool = True, process_group=None,
                 bucket_cap_mb: float | None = None, find_unused_parameters: bool = False,
                 check_reduction: bool = False, gradient_as_bucket_view: bool = False, static_graph: bool = False,
                 delay_all_reduce_named_params=None, param_to_hook_all_reduce=None, mixed_precision=None,
                 device_mesh=None, skip_all_reduce_unused_params: bool = False, bucket_cap_mb_list=None,
                 batched_grad_copy: bool = False, forward_sync_buffers: bool | None = None):
        super().__init__()
        if process_group is not None and device_mesh is not None:
            raise RuntimeError("Cannot specify both process_group and device_mesh arguments.")
        group = dist.distributed_c10d._group(process_group)
        ignore = set(getattr(module, "_ddp_params_and_buffers_to_ignore", ()))
        params = [p for n, p in module.named_parameters() if n not in ignore]
        if not any(p.requires_grad for p in params):
            raise RuntimeError("DistributedDataParallel is not needed when a module doesn't have any parameter "
                               "that requires a gradient.")
        if device_ids is not None and len(device_ids) > 1:
            raise ValueError("device_ids can only be None or contain a single element.")
        if device_ids or output_device:
            raise ValueError("DistributedDataParallel device_ids and output_device arguments only work with "
                             "single-device/multiple-device GPU modules or CPU modules, but got device_ids "
                             f"{device_ids}, output_device {output_device}, and module parameters "
                             "{device(type='cpu')}.")
        self.module = module
        self.process_group = group
        self.device_ids = None
        self.output_device = None
        self.dim = dim
        self.device_type = "cpu"
        self.static_graph = static_graph
        self.find_unused_parameters = find_unused_parameters
        self.gradient_as_bucket_view = gradient_as_bucket_view
        self.require_backward_grad_sync = True
        self.require_forward_param_sync = True
        if forward_sync_buffers is not None:
            self.forward_sync_buffers = forward_sync_buffers
            init_buffers = True
        else:
            self.forward_sync_buffers = True if broadcast_buffers is None else bool(broadcast_buffers)
            init_buffers = self.forward_sync_buffers
        self.parameters_to_ignore = ignore
        self._buffers_to_sync = [b for n, b in module.named_buffers() if n not in ignore]
        if init_sync:
            self._verify_shapes(params)
            self._broadcast(params + (self._buffers_to_sync if init_buffers else []))
        grads = [p for p in params if p.requires_grad]
        cap = _DEFAULT_BUCKET_MB if bucket_cap_mb is None else bucket_cap_mb
        self.reducer = _Reducer(grads, group, cap, find_unused_parameters)

    @property
    def broadcast_buffers(self) -> bool:
        return self.forward_sync_buffers

    @broadcast_buffers.setter
    def broadcast_buffers(self, value: bool) -> None:
        self.forward_sync_buffers = value

    def _verify_shapes(self, params: list) -> None:
        shapes = [tuple(p.shape) for p in params]
        every = self.process_group._comm.allgather(shapes)
        me = self.process_group.rank()
        for r, theirs in enumerate(every):
            if len(theirs) != len(shapes):
                raise RuntimeError(f"DDP expects same model across all ranks, but Rank {me} has {len(shapes)} params, "
                                   f"while rank {r} has inconsistent {len(theirs)} params.")
        for i, s in enumerate(shapes):
            if s != every[0][i]:
                raise RuntimeError(f"[rank{me}]: params[{i}] in this process with sizes {list(s)} appears not to "
                                   "match sizes of the same param in process 0.")

    def _broadcast(self, tensors: list) -> None:
        """Rank 0's values into every rank's ``tensors``: one broadcast per dtype of all of them end to end."""
        if self.process_group.size() == 1 or not tensors:
            return
        by_dtype: dict = {}
        for t in tensors:
            by_dtype.setdefault(_array(t).dtype, []).append(t)
        for same in by_dtype.values():
            flat = np.concatenate([_array(t).reshape(-1) for t in same])
            dist.broadcast(Tensor._wrap(flat), group_src=0, group=self.process_group)
            at = 0
            for t in same:
                a = _array(t)
                np.copyto(a, flat[at:at + a.size].reshape(a.shape))
                at += a.size

    def forward(self, *inputs, **kwargs):
        grad = is_grad_enabled()
        sync = grad and self.require_backward_grad_sync
        if grad and self.forward_sync_buffers and self._buffers_to_sync:
            self._broadcast(self._buffers_to_sync)
        out = self.module(*inputs, **kwargs)
        if sync:
            self.reducer.prepare(list(_output_tensors(out)))
        return out

    @contextlib.contextmanager
    def no_sync(self):
        """Inside, backward accumulates gradients locally; the first synchronised backward after averages them."""
        old = self.require_backward_grad_sync
        self.require_backward_grad_sync = False
        try:
            yield
        finally:
            self.require_backward_grad_sync = old

    def train(self, mode: bool = True) -> DistributedDataParallel:
        super().train(mode)
        return self
