"""DataLoader: batches of a dataset, in the main process or in real worker processes.

With ``num_workers > 0`` each worker is a ``multiprocessing`` process holding the dataset; batch ``k`` (its list of
indices) goes to worker ``k % num_workers`` (skipping exhausted workers), and results are handed back in order.
Tensors cross the process boundary as NumPy arrays (pickled by the queue, never by ember's own files).
Seeding follows PyTorch: each ``iter(loader)`` draws a 64-bit base seed from ``generator`` (or the default
stream), worker ``i`` runs ``manual_seed(base + i)``, ``random.seed(base + i)`` and seeds NumPy with the same
SeedSequence state PyTorch derives.
"""

from __future__ import annotations

import itertools
import multiprocessing as mp
import queue
import random
import traceback
import weakref
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from ... import manual_seed
from ..._core.tensor import Tensor, _wrap
from ...random import Generator
from ._collate import default_collate, default_convert
from .datapipes.datapipe import IterDataPipe, MapDataPipe
from .dataset import Dataset, IterableDataset
from .graph_settings import apply_random_seed, apply_sharding, apply_shuffle_settings
from .sampler import BatchSampler, RandomSampler, Sampler, SequentialSampler, _draw_seed

__all__ = ["DataLoader", "WorkerInfo", "get_worker_info"]


_worker_info = None
_POLL = 5.0  # seconds between checks that workers are still alive while waiting for a batch


class WorkerInfo:
    """What a DataLoader worker process knows about itself, from ``get_worker_info()`` inside the worker (None in the
    main process): id, num_workers, seed, dataset (the worker's own copy).

    Use it in an IterableDataset's ``__iter__`` to give each worker a different part of the stream, or in
    worker_init_fn to seed other libraries.

    Args:
        **kwargs: the fields (set by the DataLoader; read-only afterwards).

    Example:
        >>> print(data.get_worker_info())  # in the main process
        None
        >>> info = data.WorkerInfo(id=0, num_workers=2, seed=7, dataset=None)
        >>> info.id, info.num_workers
        (0, 2)
    """

    __initialized = False

    def __init__(self, **kwargs) -> None:
        for k, v in kwargs.items():
            setattr(self, k, v)
        self.__keys = tuple(kwargs)
        self.__initialized = True

    def __setattr__(self, key, val):
        if self.__initialized:
            raise RuntimeError(f"Cannot assign attributes to {self.__class__.__name__} objects")
        return super().__setattr__(key, val)

    def __repr__(self) -> str:
        items = ", ".join(f"{k}={getattr(self, k)}" for k in self.__keys)
        return f"{self.__class__.__name__}({items})"


def get_worker_info() -> WorkerInfo | None:
    """In a DataLoader worker process, its WorkerInfo; in the main process, None."""
    return _worker_info


class _InfiniteConstantSampler(Sampler):
    """For iterable datasets: an endless stream of ``None`` (the dataset itself decides what comes next)."""

    def __iter__(self):
        while True:
            yield None


# ----- moving batches between processes -----

class _Shipped:
    """A tensor in transit: its NumPy array and requires_grad flag."""

    __slots__ = ("array", "requires_grad")

    def __init__(self, array, requires_grad):
        self.array, self.requires_grad = array, requires_grad


def _pack(obj):
    if isinstance(obj, Tensor):
        return _Shipped(obj._data, obj._requires_grad)
    if isinstance(obj, tuple) and hasattr(obj, "_fields"):
        return type(obj)(*(_pack(o) for o in obj))
    if isinstance(obj, (list, tuple)):
        return type(obj)(_pack(o) for o in obj)
    if isinstance(obj, dict):
        out = obj.copy()  # keeps the mapping's type (OrderedDict, ...)
        out.update((k, _pack(v)) for k, v in obj.items())
        return out
    return obj


def _unpack(obj):
    if isinstance(obj, _Shipped):
        t = _wrap(obj.array)
        if obj.requires_grad:
            t.requires_grad_(True)
        return t
    if isinstance(obj, tuple) and hasattr(obj, "_fields"):
        return type(obj)(*(_unpack(o) for o in obj))
    if isinstance(obj, (list, tuple)):
        return type(obj)(_unpack(o) for o in obj)
    if isinstance(obj, dict):
        out = obj.copy()
        out.update((k, _unpack(v)) for k, v in obj.items())
        return out
    return obj


class _WorkerError:
    """An exception raised in a worker, carried to the main process with its traceback text."""

    def __init__(self, exc: BaseException, where: str) -> None:
        self.exc_type = type(exc)
        self.text = f"Caught {type(exc).__name__} {where}.\nOriginal {traceback.format_exc()}"

    def reraise(self):
        try:
            err = self.exc_type(self.text)
        except Exception:  # noqa: BLE001  (exception classes whose constructor wants other arguments)
            err = RuntimeError(self.text)
        raise err


class _Exhausted:
    """A worker's iterable dataset has run out."""


# ----- fetching: indices -> samples -> batch -----

def _fetch(state, index):
    """One item of the index sampler -> one (collated) batch, for map-style or iterable datasets."""
    dataset, kind_iterable, auto_collation, collate_fn, drop_last, batch_size = state[:6]
    if kind_iterable:
        it = state[6]
        if auto_collation:
            data = list(itertools.islice(it, batch_size))
            if not data or (drop_last and len(data) < batch_size):
                raise StopIteration
        else:
            data = next(it)
        return collate_fn(data)
    if auto_collation:
        getitems = getattr(dataset, "__getitems__", None)
        data = getitems(index) if callable(getitems) else [dataset[i] for i in index]
    else:
        data = dataset[index]
    return collate_fn(data)


def _worker_loop(dataset, kind_iterable, auto_collation, collate_fn, drop_last, batch_size, index_queue,
                 result_queue, base_seed, init_fn, worker_id, num_workers):
    global _worker_info
    try:
        seed = base_seed + worker_id
        random.seed(seed)
        manual_seed(seed)
        np.random.seed(np.random.SeedSequence([worker_id, base_seed & 0xFFFFFFFF, base_seed >> 32, 0])
                       .generate_state(4))
        _worker_info = WorkerInfo(id=worker_id, num_workers=num_workers, seed=seed, dataset=dataset)
        if _is_datapipe(dataset):  # each worker reads its own shard of a pipe's sharding_filter
            apply_sharding(dataset, num_workers, worker_id)
        if init_fn is not None:
            init_fn(worker_id)
        state = [dataset, kind_iterable, auto_collation, collate_fn, drop_last, batch_size,
                 iter(dataset) if kind_iterable else None]
    except Exception as e:  # noqa: BLE001  (any failure is reported to the main process)
        result_queue.put((-1, _WorkerError(e, f"in DataLoader worker process {worker_id}")))
        return
    while True:
        msg = index_queue.get()
        if msg is None:  # shut down
            break
        if msg == "reset" or type(msg) is tuple and msg[0] == "reset":  # new epoch of persistent workers
            if type(msg) is tuple:  # a pipe's new shared seed
                shared_rng = Generator()
                shared_rng.manual_seed(msg[1])
                apply_random_seed(dataset, shared_rng)
            if kind_iterable:
                state[6] = iter(dataset)
            continue
        task, index = msg
        try:
            out = _pack(_fetch(state, index))
        except StopIteration:
            out = _Exhausted()
        except Exception as e:  # noqa: BLE001  (re-raised in the main process)
            out = _WorkerError(e, f"in DataLoader worker process {worker_id}")
        result_queue.put((task, out))


# ----- iterators -----

def _is_datapipe(dataset, iterable: bool = False) -> bool:
    return isinstance(dataset, IterDataPipe if iterable else (IterDataPipe, MapDataPipe))


def _seed_datapipe(loader) -> int | None:
    """For an IterDataPipe, a shared seed drawn from the loader's generator seeds a generator that gives each
    random pipe of the graph its seed (PyTorch draws it at each iterator and each epoch of workers)."""
    if _is_datapipe(loader.dataset, iterable=True):
        seed = _draw_seed(loader.generator)
        shared_rng = Generator()
        shared_rng.manual_seed(seed)
        apply_random_seed(loader.dataset, shared_rng)
        return seed
    return None


class _BaseIter:
    def __init__(self, loader: DataLoader) -> None:
        # a weak reference: a loader <-> iterator cycle would leave worker shutdown to the cyclic GC, which
        # finalizes the queues first and then can no longer tell the workers to stop
        self._loader_ref = weakref.ref(loader)
        self._persistent = loader.persistent_workers
        self._index_sampler = loader._index_sampler
        _seed_datapipe(loader)  # a shared seed for a pipe's shufflers, drawn first
        if _is_datapipe(loader.dataset) and loader.num_workers == 0:
            apply_sharding(loader.dataset, 1, 0)
        self._sampler_iter = iter(self._index_sampler)
        # drawn at every iter(loader) even without workers, as PyTorch does, so later random numbers agree
        self._base_seed = _draw_seed(loader.generator)

    def __iter__(self):
        return self

    def __len__(self) -> int:
        return len(self._loader_ref())


class _SingleProcessIter(_BaseIter):
    def __init__(self, loader: DataLoader) -> None:
        super().__init__(loader)
        is_iter = loader._dataset_kind_iterable
        self._state = [loader.dataset, is_iter, loader._auto_collation, loader.collate_fn, loader.drop_last,
                       loader.batch_size, iter(loader.dataset) if is_iter else None]

    def __next__(self):
        index = next(self._sampler_iter)
        return _fetch(self._state, index)


class _MultiProcessIter(_BaseIter):
    def __init__(self, loader: DataLoader) -> None:
        super().__init__(loader)
        n = loader.num_workers
        ctx = loader.multiprocessing_context
        if ctx is None:
            ctx = mp.get_context()
        elif isinstance(ctx, str):
            ctx = mp.get_context(ctx)
        self._timeout = loader.timeout
        self._prefetch = loader.prefetch_factor * n
        self._result_queue = ctx.Queue()
        self._index_queues, self._workers = [], []
        for wid in range(n):
            iq = ctx.Queue()
            w = ctx.Process(target=_worker_loop, daemon=True,
                            args=(loader.dataset, loader._dataset_kind_iterable, loader._auto_collation,
                                  loader.collate_fn, loader.drop_last, loader.batch_size, iq, self._result_queue,
                                  self._base_seed, loader.worker_init_fn, wid, n))
            w.start()
            self._index_queues.append(iq)
            self._workers.append(w)
        self._shutdown = False
        _seed_datapipe(loader)  # PyTorch's first _reset draws again (the workers have their copy already)
        self._start_epoch()

    def _start_epoch(self) -> None:
        self._active = [True] * len(self._workers)
        self._worker_cycle = itertools.cycle(range(len(self._workers)))
        self._send_idx = self._rcvd_idx = 0
        self._task_info: dict[int, list] = {}
        self._outstanding = 0
        for _ in range(self._prefetch):
            self._put_index()

    def _reset(self, loader: DataLoader) -> None:
        """A new epoch on the same (persistent) workers."""
        while self._outstanding:  # results of an abandoned epoch are drained and dropped
            self._get()
        self._sampler_iter = iter(self._index_sampler)
        seed = _seed_datapipe(loader)
        for iq in self._index_queues:
            iq.put("reset" if seed is None else ("reset", seed))
        self._start_epoch()

    def _put_index(self) -> None:
        if not any(self._active):
            return
        try:
            index = next(self._sampler_iter)
        except StopIteration:
            return
        wid = next(self._worker_cycle)
        while not self._active[wid]:
            wid = next(self._worker_cycle)
        self._index_queues[wid].put((self._send_idx, index))
        self._task_info[self._send_idx] = [wid]
        self._send_idx += 1
        self._outstanding += 1

    def _get(self):
        """One (task, data) from the result queue, noticing dead workers and the loader's timeout."""
        waited = 0.0
        while True:
            wait = self._timeout if self._timeout > 0 else _POLL
            try:
                task, data = self._result_queue.get(timeout=wait)
            except queue.Empty:
                if self._timeout > 0:
                    self._shutdown_workers()
                    raise RuntimeError(f"DataLoader timed out after {self._timeout} seconds") from None
                dead = [str(w.pid) for w in self._workers if not w.is_alive()]
                if dead:
                    self._shutdown_workers()
                    raise RuntimeError(f"DataLoader worker (pid(s) {', '.join(dead)}) exited unexpectedly") from None
                waited += wait
                continue
            if task >= 0:
                self._outstanding -= 1
            return task, data

    def __next__(self):
        while True:
            # hand out results in order; tasks of exhausted workers never come back and are skipped
            while self._rcvd_idx < self._send_idx:
                info = self._task_info[self._rcvd_idx]
                if len(info) == 2 or self._active[info[0]]:
                    break
                del self._task_info[self._rcvd_idx]
                self._rcvd_idx += 1
            else:
                if not self._persistent:
                    self._shutdown_workers()
                raise StopIteration
            info = self._task_info[self._rcvd_idx]
            if len(info) == 2:
                del self._task_info[self._rcvd_idx]
                self._rcvd_idx += 1
                return self._process(info[1])
            task, data = self._get()
            if isinstance(data, _WorkerError) and task < 0:
                self._shutdown_workers()
                data.reraise()
            if isinstance(data, _Exhausted):
                self._active[self._task_info[task][0]] = False
                continue
            if task == self._rcvd_idx:
                del self._task_info[task]
                self._rcvd_idx += 1
                return self._process(data)
            self._task_info[task].append(data)

    def _process(self, data):
        self._put_index()
        if isinstance(data, _WorkerError):
            data.reraise()
        return _unpack(data)

    def _shutdown_workers(self, graceful: bool = True) -> None:
        if self._shutdown:
            return
        self._shutdown = True
        if graceful:
            for iq in self._index_queues:
                iq.put(None)
        for w in self._workers:
            w.join(timeout=2 if graceful else 0)
            if w.is_alive():  # stuck in user code (or the stop message was lost): stop it the hard way
                w.terminate()
                w.join()
        for q in (*self._index_queues, self._result_queue):
            q.cancel_join_thread()
            q.close()

    def __del__(self):
        # from the garbage collector the queues may already be finalized (a stop message would be lost), and
        # the workers hold nothing worth a clean exit: stop them directly
        try:
            self._shutdown_workers(graceful=False)
        except Exception:  # noqa: BLE001,S110  (interpreter shutdown: queues may already be gone)
            pass


class DataLoader:
    """Iterate over a dataset in batches: sampler -> indices -> samples (dataset[i]) -> collate_fn -> batch.

    The default collate_fn stacks tensors (and numbers, NumPy arrays) into batch tensors with a new first
    dimension, and recurses into tuples, lists, dicts and named tuples, exactly as PyTorch's does. With
    shuffle=True the order is a new random permutation every epoch, drawn as PyTorch draws it. With
    num_workers > 0 the samples are loaded by that many worker processes (in order, unless in_order=False).

    Args:
        dataset: a map-style Dataset (anything with __getitem__ and __len__) or an IterableDataset.
        batch_size: the number of samples per batch (default 1; None: no batching, one sample at a time).
        shuffle: reshuffle every epoch (default False).
        sampler: the order of the indices (a Sampler or an iterable); not with shuffle.
        batch_sampler: yields whole lists of indices; not with batch_size, shuffle, sampler or drop_last.
        num_workers: the number of worker processes (default 0: load in the main process).
        collate_fn: builds a batch from a list of samples (default: default_collate).
        pin_memory: accepted; there is no GPU memory to pin for (default False).
        drop_last: drop a last, incomplete batch (default False).
        timeout: seconds to wait for a batch from the workers (default 0: no limit).
        worker_init_fn: called with the worker id in every worker, at its start.
        multiprocessing_context: the multiprocessing start method or context for the workers.
        generator: the Generator of the sampler's and the workers' seeds (default: the default generator).
        prefetch_factor: the batches loaded in advance by each worker (default 2 with workers).
        persistent_workers: keep the workers alive between epochs (default False).
        pin_memory_device: accepted for PyTorch's signature (default '').
        in_order: return the batches in sampler order with workers (default True).

    Example:
        >>> ds = data.TensorDataset(ember.arange(6.0).reshape(6, 1), ember.tensor([0, 1, 0, 1, 0, 1]))
        >>> _ = ember.manual_seed(0)
        >>> for x, y in data.DataLoader(ds, batch_size=4, shuffle=True):
        ...     print(x.flatten(), y)
        tensor([0., 4., 3., 5.]) tensor([0, 0, 1, 1])
        tensor([2., 1.]) tensor([0, 1])
    """

    __initialized = False

    def __init__(self, dataset: Dataset | Iterable, batch_size: int | None = 1, shuffle: bool | None = None,
                 sampler: Sampler | Iterable | None = None, batch_sampler: Sampler | Iterable | None = None,
                 num_workers: int = 0, collate_fn: Callable | None = None, pin_memory: bool = False,
                 drop_last: bool = False, timeout: float = 0, worker_init_fn: Callable | None = None,
                 multiprocessing_context: Any = None, generator: Any = None, *, prefetch_factor: int | None = None,
                 persistent_workers: bool = False, pin_memory_device: str = "", in_order: bool = True) -> None:
        if num_workers < 0:
            raise ValueError("num_workers option should be non-negative; use num_workers=0 to disable "
                             "multiprocessing.")
        if timeout < 0:
            raise ValueError("timeout option should be non-negative")
        if num_workers == 0 and prefetch_factor is not None:
            raise ValueError("prefetch_factor option could only be specified in multiprocessing.let num_workers > "
                             "0 to enable multiprocessing, otherwise set prefetch_factor to None.")
        if num_workers > 0 and prefetch_factor is None:
            prefetch_factor = 2
        elif prefetch_factor is not None and prefetch_factor < 0:
            raise ValueError("prefetch_factor option should be non-negative")
        if persistent_workers and num_workers == 0:
            raise ValueError("persistent_workers option needs num_workers > 0")

        self.dataset = dataset
        self.num_workers = num_workers
        self.prefetch_factor = prefetch_factor
        self.pin_memory = pin_memory  # accepted; there is no device memory to pin
        self.pin_memory_device = pin_memory_device
        self.timeout = timeout
        self.worker_init_fn = worker_init_fn
        self.in_order = in_order
        if multiprocessing_context is not None and num_workers == 0:
            raise ValueError(f"multiprocessing_context can only be used with multi-process loading "
                             f"(num_workers > 0), but got num_workers={num_workers}")
        self.multiprocessing_context = multiprocessing_context

        self._dataset_kind_iterable = isinstance(dataset, IterableDataset)
        if self._dataset_kind_iterable:
            if _is_datapipe(dataset, iterable=True):
                if shuffle is not None:  # PyTorch applies the setting and drops a shuffler it had to add
                    apply_shuffle_settings(dataset, shuffle=shuffle)
            elif shuffle not in {False, None}:
                raise ValueError(f"DataLoader with IterableDataset: expected unspecified shuffle option, but got "
                                 f"shuffle={shuffle}")
            if sampler is not None:
                raise ValueError(f"DataLoader with IterableDataset: expected unspecified sampler option, but got "
                                 f"sampler={sampler}")
            if batch_sampler is not None:
                raise ValueError(f"DataLoader with IterableDataset: expected unspecified batch_sampler option, "
                                 f"but got batch_sampler={batch_sampler}")
        else:
            shuffle = bool(shuffle)
        if sampler is not None and shuffle:
            raise ValueError("sampler option is mutually exclusive with shuffle")
        if batch_sampler is not None:
            if batch_size != 1 or shuffle or sampler is not None or drop_last:
                raise ValueError("batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, "
                                 "and drop_last")
            batch_size = None
            drop_last = False
        elif batch_size is None and drop_last:
            raise ValueError("batch_size=None option disables auto-batching and is mutually exclusive with "
                             "drop_last")

        if sampler is None:
            if self._dataset_kind_iterable:
                sampler = _InfiniteConstantSampler()
            elif shuffle:
                sampler = RandomSampler(dataset, generator=generator)
            else:
                sampler = SequentialSampler(dataset)
        if batch_size is not None and batch_sampler is None:
            batch_sampler = BatchSampler(sampler, batch_size, drop_last)

        self.batch_size = batch_size
        self.drop_last = drop_last
        self.sampler = sampler
        self.batch_sampler = batch_sampler
        self.generator = generator
        if collate_fn is None:
            collate_fn = default_collate if self._auto_collation else default_convert
        self.collate_fn = collate_fn
        self.persistent_workers = persistent_workers
        self._iterator = None
        self.__initialized = True

    def __setattr__(self, attr, val) -> None:
        if self.__initialized and attr in ("batch_size", "batch_sampler", "sampler", "drop_last", "dataset",
                                           "persistent_workers"):
            raise ValueError(f"{attr} attribute should not be set after {self.__class__.__name__} is initialized")
        super().__setattr__(attr, val)

    @property
    def _auto_collation(self) -> bool:
        return self.batch_sampler is not None

    @property
    def _index_sampler(self):
        return self.batch_sampler if self._auto_collation else self.sampler

    def __iter__(self):
        if self.num_workers == 0:
            return _SingleProcessIter(self)
        if self.persistent_workers:
            if self._iterator is None:
                self._iterator = _MultiProcessIter(self)
            else:
                self._iterator._reset(self)
            return self._iterator
        return _MultiProcessIter(self)

    def __len__(self) -> int:
        if self._dataset_kind_iterable:
            n = len(self.dataset)
            if self.batch_size is not None:
                n = n // self.batch_size if self.drop_last else -(-n // self.batch_size)
            return n
        return len(self._index_sampler)
