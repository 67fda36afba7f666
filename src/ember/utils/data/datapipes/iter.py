"""The iterable DataPipes of ``torch.utils.data.datapipes.iter``: wrap, map, filter, batch, shuffle, shard,
combine (concat, zip, mux, fork, demux), group, and read files. Each has its functional name (``dp.map``)."""

from __future__ import annotations

import copy
import enum
import fnmatch
import functools
import os
import random
import warnings
from collections import defaultdict, deque

import numpy as np

from .._collate import default_collate
from ..sampler import SequentialSampler, _draw_seed
from ._decorator import functional_datapipe
from .datapipe import DataChunk, IterDataPipe, _hook_iter

__all__ = ["Batcher", "Collator", "Concater", "Demultiplexer", "FileLister", "FileOpener", "Filter", "Forker",
           "Grouper", "IterableWrapper", "Mapper", "Multiplexer", "Sampler", "ShardingFilter", "Shuffler",
           "StreamReader", "UnBatcher", "Zipper", "SHARDING_PRIORITIES"]


def _check_fn(fn) -> None:
    """PyTorch's check of a function a pipe keeps: callable, and a warning that a lambda or local function
    does not pickle."""
    if not callable(fn):
        raise TypeError(f"A callable function is expected, but {type(fn)} is provided.")
    if isinstance(fn, functools.partial):
        fn = fn.func
    if "<locals>" in getattr(fn, "__qualname__", "") and hasattr(fn, "__code__"):
        warnings.warn("Local function is not supported by pickle, please use regular python function or "
                      "functools.partial instead.", stacklevel=3)
    elif getattr(fn, "__name__", None) == "<lambda>":
        warnings.warn("Lambda function is not supported by pickle, please use regular python function or "
                      "functools.partial instead.", stacklevel=3)


def _no_len(dp):
    return TypeError(f"{type(dp).__name__} instance doesn't have valid length")


class IterableWrapperIterDataPipe(IterDataPipe):
    """A pipe over an iterable; with ``deepcopy`` (the default) each iteration walks a deep copy of it, so
    changes made downstream do not reach the source."""

    def __init__(self, iterable, deepcopy: bool = True) -> None:
        self.iterable = iterable
        self.deepcopy = deepcopy

    def __iter__(self):
        source = self.iterable
        if self.deepcopy:
            try:
                source = copy.deepcopy(self.iterable)
            except TypeError:
                warnings.warn("The input iterable can not be deepcopied, please be aware of in-place modification "
                              "would affect source data.", stacklevel=2)
        yield from source

    def __len__(self) -> int:
        if hasattr(self.iterable, "__len__"):
            return len(self.iterable)
        raise _no_len(self)


def _get_col(data, col):
    if isinstance(col, (list, tuple)):
        return tuple(data[c] for c in col)
    return data[col]


@functional_datapipe("map")
class MapperIterDataPipe(IterDataPipe):
    """``fn`` applied to each item; with ``input_col`` to those columns of it (a key, an index or several),
    the result put in ``output_col`` (by default over the input column; -1 appends)."""

    def __init__(self, datapipe, fn, input_col=None, output_col=None) -> None:
        self.datapipe = datapipe
        _check_fn(fn)
        self.fn = fn
        self.input_col = input_col
        if input_col is None and output_col is not None:
            raise ValueError("`output_col` must be None when `input_col` is None.")
        if isinstance(output_col, (list, tuple)):
            if len(output_col) > 1:
                raise ValueError("`output_col` must be a single-element list or tuple")
            output_col = output_col[0]
        self.output_col = output_col

    def _apply_fn(self, data):
        if self.input_col is None and self.output_col is None:
            return self.fn(data)
        if isinstance(self.input_col, (list, tuple)):
            res = self.fn(*(data[c] for c in self.input_col))
        else:
            res = self.fn(data[self.input_col])
        was_tuple = isinstance(data, tuple)
        if was_tuple:
            data = list(data)
        else:
            data = copy.copy(data)
        if self.output_col is None:
            if isinstance(self.input_col, (list, tuple)):
                data[self.input_col[0]] = res
                for idx in sorted(self.input_col[1:], reverse=True):
                    del data[idx]
            else:
                data[self.input_col] = res
        elif self.output_col == -1:
            data.append(res)
        else:
            data[self.output_col] = res
        return tuple(data) if was_tuple else data

    def __iter__(self):
        for data in self.datapipe:
            yield self._apply_fn(data)

    def __len__(self) -> int:
        if hasattr(self.datapipe, "__len__"):
            return len(self.datapipe)
        raise _no_len(self)


@functional_datapipe("collate")
class CollatorIterDataPipe(MapperIterDataPipe):
    """Each item (a batch) passed through ``collate_fn`` (``default_collate``: lists of tensors, numbers,
    dicts ... stacked into tensors)."""

    def __init__(self, datapipe, conversion=None, collate_fn=default_collate) -> None:
        if conversion is not None:
            if callable(conversion):
                collate_fn = conversion
            else:
                raise NotImplementedError("conversion as a dict of column converters is not supported")
        super().__init__(datapipe, fn=collate_fn)


@functional_datapipe("filter")
class FilterIterDataPipe(IterDataPipe):
    """The items for which ``filter_fn`` (of ``input_col`` when given) is True."""

    def __init__(self, datapipe, filter_fn, input_col=None) -> None:
        self.datapipe = datapipe
        _check_fn(filter_fn)
        self.filter_fn = filter_fn
        self.input_col = input_col

    def _returnIfTrue(self, data):
        if self.input_col is None:
            cond = self.filter_fn(data)
        elif isinstance(self.input_col, (list, tuple)):
            cond = self.filter_fn(*(data[c] for c in self.input_col))
        else:
            cond = self.filter_fn(data[self.input_col])
        if not isinstance(cond, bool):
            if isinstance(cond, np.bool_) or (hasattr(cond, "dtype") and str(cond.dtype) == "torch.bool"
                                             and getattr(cond, "ndim", 1) == 0):
                cond = bool(cond)
            else:
                raise ValueError("Boolean output is required for `filter_fn` of FilterIterDataPipe, got",
                                 type(cond))
        return cond, data

    def __iter__(self):
        for data in self.datapipe:
            keep, item = self._returnIfTrue(data)
            if keep:
                yield item


@functional_datapipe("batch")
class BatcherIterDataPipe(IterDataPipe):
    """Consecutive items in batches of ``batch_size`` (``wrapper_class``, DataChunk by default); the last,
    shorter batch is kept unless ``drop_last``."""

    def __init__(self, datapipe, batch_size: int, drop_last: bool = False, wrapper_class=DataChunk) -> None:
        if batch_size <= 0:
            raise AssertionError("Batch size is required to be larger than 0!")
        self.datapipe = datapipe
        self.batch_size = batch_size
        self.drop_last = drop_last
        self.wrapper_class = wrapper_class

    def __iter__(self):
        batch = []
        for x in self.datapipe:
            batch.append(x)
            if len(batch) == self.batch_size:
                yield self.wrapper_class(batch)
                batch = []
        if batch and not self.drop_last:
            yield self.wrapper_class(batch)

    def __len__(self) -> int:
        if hasattr(self.datapipe, "__len__"):
            n = len(self.datapipe)
            return n // self.batch_size if self.drop_last else (n + self.batch_size - 1) // self.batch_size
        raise _no_len(self)


@functional_datapipe("unbatch")
class UnBatcherIterDataPipe(IterDataPipe):
    """The items of each batch, ``unbatch_level`` levels deep (-1: all the way down)."""

    def __init__(self, datapipe, unbatch_level: int = 1) -> None:
        self.datapipe = datapipe
        self.unbatch_level = unbatch_level

    def __iter__(self):
        for element in self.datapipe:
            yield from self._dive(element, self.unbatch_level)

    def _dive(self, element, level):
        if level < -1:
            raise ValueError("unbatch_level must be -1 or >= 0")
        if level == -1:
            if isinstance(element, (list, DataChunk)):
                for item in element:
                    yield from self._dive(item, -1)
            else:
                yield element
        elif level == 0:
            yield element
        elif isinstance(element, (list, DataChunk)):
            for item in element:
                yield from self._dive(item, level - 1)
        else:
            raise IndexError(f"unbatch_level {self.unbatch_level} exceeds the depth of the DataPipe")


@functional_datapipe("shuffle")
class ShufflerIterDataPipe(IterDataPipe):
    """The items in random order through a buffer of ``buffer_size``, PyTorch's algorithm and stream: each
    iteration seeds Python's ``random.Random`` with a 64-bit seed drawn from torch's generator (or the one
    ``set_seed`` gave), so ``torch.manual_seed`` fixes the order."""

    def __init__(self, datapipe, *, buffer_size: int = 10000, unbatch_level: int = 0) -> None:
        if buffer_size <= 0:
            raise AssertionError("buffer_size should be larger than 0")
        self.datapipe = datapipe if unbatch_level == 0 else datapipe.unbatch(unbatch_level=unbatch_level)
        self.buffer_size = buffer_size
        self._buffer = []
        self._enabled = True
        self._seed = None
        self._rng = random.Random()

    def set_shuffle(self, shuffle=True):
        self._enabled = shuffle
        return self

    def set_seed(self, seed: int):
        self._seed = seed
        return self

    def __iter__(self):
        if not self._enabled:
            yield from self.datapipe
            return
        for x in self.datapipe:
            if len(self._buffer) == self.buffer_size:
                idx = self._rng.randint(0, len(self._buffer) - 1)
                val, self._buffer[idx] = self._buffer[idx], x
                yield val
            else:
                self._buffer.append(x)
        while self._buffer:
            idx = self._rng.randint(0, len(self._buffer) - 1)
            yield self._buffer.pop(idx)

    def __len__(self) -> int:
        if hasattr(self.datapipe, "__len__"):
            return len(self.datapipe)
        raise _no_len(self)

    def reset(self) -> None:
        self._buffer = []
        if self._enabled:
            if self._seed is None:
                self._seed = _draw_seed()
            self._rng.seed(self._seed)
            self._seed = None

    def __getstate__(self):
        return (self.datapipe, self.buffer_size, self._enabled, self._seed, self._buffer, self._rng.getstate(),
                self._valid_iterator_id, self._number_of_samples_yielded)

    def __setstate__(self, state):
        (self.datapipe, self.buffer_size, self._enabled, self._seed, self._buffer, rng_state,
         self._valid_iterator_id, self._number_of_samples_yielded) = state
        self._rng = random.Random()
        self._rng.setstate(rng_state)


class SamplerIterDataPipe(IterDataPipe):
    """The items in the order a Sampler (``sampler(datapipe, *sampler_args, **sampler_kwargs)``) gives."""

    def __init__(self, datapipe, sampler=SequentialSampler, sampler_args=None, sampler_kwargs=None) -> None:
        if not hasattr(datapipe, "__len__"):
            raise AssertionError("Sampler class requires input datapipe implemented `__len__`")
        self.datapipe = datapipe
        self.sampler_args = () if sampler_args is None else sampler_args
        self.sampler_kwargs = {} if sampler_kwargs is None else sampler_kwargs
        self.sampler = sampler(*self.sampler_args, data_source=self.datapipe, **self.sampler_kwargs)

    def __iter__(self):
        return iter(self.sampler)

    def __len__(self) -> int:
        if hasattr(self.sampler, "__len__"):
            return len(self.sampler)
        raise _no_len(self)


class SHARDING_PRIORITIES(enum.IntEnum):
    DEFAULT = 1
    DISTRIBUTED = 2
    MULTIPROCESSING = 3


@functional_datapipe("sharding_filter")
class ShardingFilterIterDataPipe(IterDataPipe):
    """Every ``num_of_instances``-th item from ``instance_id`` on, once ``apply_sharding`` has been called
    (by the DataLoader's workers or ``graph_settings.apply_sharding``); groups of shards nest."""

    def __init__(self, source_datapipe, sharding_group_filter=None) -> None:
        self.source_datapipe = source_datapipe
        self.sharding_group_filter = sharding_group_filter
        self.groups = {}
        self.num_of_instances = 1
        self.instance_id = 0
        self._update_num_of_instances()

    def apply_sharding(self, num_of_instances, instance_id, sharding_group=SHARDING_PRIORITIES.DEFAULT):
        if instance_id >= num_of_instances:
            raise ValueError(f"instance_id({instance_id}) should be smaller than num_of_instances({num_of_instances})")
        default = SHARDING_PRIORITIES.DEFAULT
        if (self.groups and default not in self.groups) if sharding_group == default else default in self.groups:
            raise RuntimeError("ShardingFilter cannot mix DEFAULT and non DEFAULT groups")
        self.groups[sharding_group] = (num_of_instances, instance_id)
        self._update_num_of_instances()

    def _update_num_of_instances(self) -> None:
        groups = [self.groups[k] for k in sorted(self.groups)
                  if self.sharding_group_filter is None or k == self.sharding_group_filter]
        self.num_of_instances, self.instance_id = 1, 0
        for n, i in reversed(groups):  # the highest priority varies fastest
            self.instance_id += self.num_of_instances * i
            self.num_of_instances *= n

    def __iter__(self):
        for i, item in enumerate(self.source_datapipe):
            if i % self.num_of_instances == self.instance_id:
                yield item

    def __len__(self) -> int:
        if hasattr(self.source_datapipe, "__len__"):
            n = len(self.source_datapipe)
            return n // self.num_of_instances + (1 if self.instance_id < n % self.num_of_instances else 0)
        raise _no_len(self)


@functional_datapipe("concat")
class ConcaterIterDataPipe(IterDataPipe):
    """The items of each pipe, one pipe after the other."""

    def __init__(self, *datapipes) -> None:
        if len(datapipes) == 0:
            raise ValueError("Expected at least one DataPipe, but got nothing")
        if not all(isinstance(dp, IterDataPipe) for dp in datapipes):
            raise TypeError("Expected all inputs to be `IterDataPipe`")
        self.datapipes = datapipes

    def __iter__(self):
        for dp in self.datapipes:
            yield from dp

    def __len__(self) -> int:
        if all(hasattr(dp, "__len__") for dp in self.datapipes):
            return sum(len(dp) for dp in self.datapipes)
        raise _no_len(self)


@functional_datapipe("zip")
class ZipperIterDataPipe(IterDataPipe):
    """Tuples of one item from each pipe, until the shortest ends."""

    def __init__(self, *datapipes) -> None:
        if not all(isinstance(dp, IterDataPipe) for dp in datapipes):
            raise TypeError("All inputs are required to be `IterDataPipe` for `ZipIterDataPipe`.")
        self.datapipes = datapipes

    def __iter__(self):
        yield from zip(*self.datapipes)

    def __len__(self) -> int:
        if all(hasattr(dp, "__len__") for dp in self.datapipes):
            return min(len(dp) for dp in self.datapipes)
        raise _no_len(self)


@functional_datapipe("mux")
class MultiplexerIterDataPipe(IterDataPipe):
    """One item from each pipe in turn, until one of them ends."""

    def __init__(self, *datapipes) -> None:
        self.datapipes = datapipes
        self.buffer = []

    def __iter__(self):
        iterators = [iter(x) for x in self.datapipes]
        while len(iterators):
            for it in iterators:
                try:
                    self.buffer.append(next(it))
                except StopIteration:
                    self.buffer.clear()
                    return
            yield from self.buffer
            self.buffer.clear()

    def __len__(self) -> int:
        if all(hasattr(dp, "__len__") for dp in self.datapipes):
            return min(len(dp) for dp in self.datapipes) * len(self.datapipes)
        raise _no_len(self)

    def reset(self) -> None:
        self.buffer = []


class _Container(IterDataPipe):
    """The shared source of a fork's or demux's children: one iterator of the source, a buffer per child of
    what it has not read yet, and the iteration that is current (a child starting anew restarts all)."""

    def __init__(self, datapipe, num_instances: int, buffer_size: int, route) -> None:
        self.main_datapipe = datapipe
        self.num_instances = num_instances
        self.buffer_size = buffer_size
        self.route = route  # item -> the children that get it
        self._valid_iterator_id = None
        self.reset()

    def reset(self) -> None:
        self._it = None
        self.buffers = [deque() for _ in range(self.num_instances)]
        self.done = [False] * self.num_instances
        self.exhausted = False

    def _size(self) -> int:
        return max((len(b) for b in self.buffers), default=0)

    def get_next(self, k: int):
        while True:
            if self.buffers[k]:
                return self.buffers[k].popleft()
            if self.exhausted:
                raise StopIteration
            if self._it is None:
                self._it = iter(self.main_datapipe)
            try:
                item = next(self._it)
            except StopIteration:
                self.exhausted = True
                continue
            for j in self.route(item):
                if j == k:
                    self.buffers[j].append(item)
                elif not self.done[j]:
                    self.buffers[j].append(item)
                    if self.buffer_size >= 0 and len(self.buffers[j]) > self.buffer_size:
                        self._overflow()

    def _overflow(self):
        raise BufferError(f"{type(self).__name__} buffer overflow, buffer size {self.buffer_size} is insufficient.")


class _ChildDataPipe(IterDataPipe):
    """One output of a fork or demux."""

    def __init__(self, main_datapipe, instance_id: int) -> None:
        self.main_datapipe = main_datapipe
        self.instance_id = instance_id
        self._valid_iterator_id = None

    def _iter(self):
        c = self.main_datapipe
        while True:
            try:
                item = c.get_next(self.instance_id)
            except StopIteration:
                c.done[self.instance_id] = True
                return
            yield item

    __iter__ = _hook_iter(_iter, note=False)  # (PyTorch's children do not add themselves to error messages)

    def _set_main_datapipe_valid_iterator_id(self) -> int:
        c = self.main_datapipe
        if c._valid_iterator_id is None:
            c._valid_iterator_id = 0
        elif c._valid_iterator_id == self._valid_iterator_id:  # this child starts again: a new generation
            c._valid_iterator_id += 1
            if not all(c.done):
                warnings.warn("Some child DataPipes are not exhausted when __iter__ is called. We are resetting "
                              "the buffer and each child DataPipe will read from the start again.", UserWarning,
                              stacklevel=4)
            c.reset()
        self._valid_iterator_id = c._valid_iterator_id
        return self._valid_iterator_id

    def _check_valid_iterator_id(self, iterator_id) -> bool:
        return self._valid_iterator_id == iterator_id and self.main_datapipe._valid_iterator_id == iterator_id

    def __len__(self) -> int:
        if not self.main_datapipe.is_fork:
            raise TypeError  # (a demux child's length is unknown; PyTorch raises with no message)
        if hasattr(self.main_datapipe.main_datapipe, "__len__"):
            return len(self.main_datapipe.main_datapipe)
        raise _no_len(self)


class _ForkerIterDataPipe(_Container):
    is_fork = True

    def __init__(self, datapipe, num_instances, buffer_size, copy):
        self.copy_fn = copy
        super().__init__(datapipe, num_instances, buffer_size, lambda item: range(num_instances))

    def get_next(self, k):
        return self.copy_fn(super().get_next(k))

    def _overflow(self):
        raise BufferError(f"ForkerIterDataPipe buffer overflow,buffer size {self.buffer_size} is insufficient.")


@functional_datapipe("fork")
class ForkerIterDataPipe(IterDataPipe):
    """``num_instances`` pipes that each yield every item of the source (read once, buffered up to
    ``buffer_size`` for the children that lag; -1: no limit); ``copy`` "shallow"/"deep" copies each item."""

    def __new__(cls, datapipe, num_instances: int, buffer_size: int = 1000, copy=None):
        if num_instances < 1:
            raise ValueError(f"Expected `num_instances` larger than 0, but {num_instances} is found")
        if num_instances == 1:
            return datapipe
        if copy is None:
            fn = _identity
        elif copy == "shallow":
            fn = _shallow
        elif copy == "deep":
            fn = _deep
        else:
            raise ValueError(f"Unknown copy method `{copy}` requested, choose one of None, `shallow` or `deep`.")
        container = _ForkerIterDataPipe(datapipe, num_instances, buffer_size, fn)
        return [_ChildDataPipe(container, i) for i in range(num_instances)]


def _identity(x):
    return x


def _shallow(x):
    return copy.copy(x)


def _deep(x):
    return copy.deepcopy(x)


class _DemultiplexerIterDataPipe(_Container):
    is_fork = False

    def __init__(self, datapipe, num_instances, classifier_fn, drop_none, buffer_size):
        self.classifier_fn, self.drop_none = classifier_fn, drop_none
        super().__init__(datapipe, num_instances, buffer_size, self._route)

    def _route(self, item):
        value = self.classifier_fn(item)
        if value is None and self.drop_none:
            return ()
        if value is None or not 0 <= value < self.num_instances:
            raise ValueError(f"Output of the classification fn should be between 0 and {self.num_instances - 1}. "
                             f"{value} is returned.")
        return (value,)

    def _overflow(self):
        raise BufferError(f"DemultiplexerIterDataPipe buffer overflow, buffer size {self.buffer_size} is "
                          "insufficient.")


@functional_datapipe("demux")
class DemultiplexerIterDataPipe(IterDataPipe):
    """``num_instances`` pipes; ``classifier_fn(item)`` says which one gets each item (None with
    ``drop_none`` drops it)."""

    def __new__(cls, datapipe, num_instances: int, classifier_fn, drop_none: bool = False,
                buffer_size: int = 1000):
        if num_instances < 1:
            raise ValueError(f"Expected `num_instances` larger than 0, but {num_instances} is found")
        _check_fn(classifier_fn)
        container = _DemultiplexerIterDataPipe(datapipe, num_instances, classifier_fn, drop_none, buffer_size)
        return [_ChildDataPipe(container, i) for i in range(num_instances)]


@functional_datapipe("groupby")
class GrouperIterDataPipe(IterDataPipe):
    """Items grouped by ``group_key_fn``: a group is yielded when it reaches ``group_size``; when the buffer
    (``buffer_size`` items) is full the largest group goes out; at the end the rest, in the order their keys
    first came. Groups smaller than ``guaranteed_group_size`` are dropped (``drop_remaining``) or raise."""

    def __init__(self, datapipe, group_key_fn, *, keep_key: bool = False, buffer_size: int = 10000,
                 group_size=None, guaranteed_group_size=None, drop_remaining: bool = False) -> None:
        _check_fn(group_key_fn)
        self.datapipe = datapipe
        self.group_key_fn = group_key_fn
        self.keep_key = keep_key
        self.max_buffer_size = buffer_size
        self.buffer_elements = defaultdict(list)
        self.curr_buffer_size = 0
        self.group_size = group_size
        self.guaranteed_group_size = None
        if group_size is not None and buffer_size is not None:
            if not 0 < group_size <= buffer_size:
                raise AssertionError
            self.guaranteed_group_size = group_size
        if guaranteed_group_size is not None:
            if group_size is None or not 0 < guaranteed_group_size <= group_size:
                raise AssertionError
            self.guaranteed_group_size = guaranteed_group_size
        self.drop_remaining = drop_remaining
        self.wrapper_class = DataChunk

    def _out(self, key, items):
        chunk = self.wrapper_class(items)
        return (key, chunk) if self.keep_key else chunk

    def _remove_biggest_key(self):
        biggest_key, biggest_size = None, 0
        for k, v in self.buffer_elements.items():
            if len(v) > biggest_size:
                biggest_key, biggest_size = k, len(v)
        result = None
        if self.guaranteed_group_size is None or biggest_size >= self.guaranteed_group_size:
            result = self.buffer_elements[biggest_key]
        elif not self.drop_remaining:
            raise RuntimeError("Failed to group items", str(self.buffer_elements[biggest_key]))
        self.curr_buffer_size -= biggest_size
        del self.buffer_elements[biggest_key]
        return biggest_key, result

    def __iter__(self):
        for x in self.datapipe:
            key = self.group_key_fn(x)
            self.buffer_elements[key].append(x)
            self.curr_buffer_size += 1
            if self.group_size is not None and self.group_size == len(self.buffer_elements[key]):
                yield self._out(key, self.buffer_elements[key])
                self.curr_buffer_size -= len(self.buffer_elements[key])
                del self.buffer_elements[key]
            if self.curr_buffer_size == self.max_buffer_size:
                k, result = self._remove_biggest_key()
                if result is not None:
                    yield self._out(k, result)
        for key in tuple(self.buffer_elements):
            items = self.buffer_elements.pop(key)
            self.curr_buffer_size -= len(items)
            yield self._out(key, items)

    def reset(self) -> None:
        self.curr_buffer_size = 0
        self.buffer_elements = defaultdict(list)


def _match_masks(name: str, masks) -> bool:
    if not masks:
        return True
    if isinstance(masks, str):
        return fnmatch.fnmatch(name, masks)
    return any(fnmatch.fnmatch(name, m) for m in masks)


def _list_files(root, masks, recursive, abspath, non_deterministic):
    if os.path.isfile(root):
        path = root
        if abspath:
            path = os.path.abspath(path)
        if _match_masks(os.path.basename(path), masks):
            yield path
        return
    for path, dirs, files in os.walk(root):
        if abspath:
            path = os.path.abspath(path)
        if not non_deterministic:
            files.sort()
        for f in files:
            if _match_masks(f, masks):
                yield os.path.join(path, f)
        if not recursive:
            break
        if not non_deterministic:
            dirs.sort()


@functional_datapipe("list_files")
class FileListerIterDataPipe(IterDataPipe):
    """The paths of the files under ``root`` (a path, a list of them, or a pipe of them) whose names match
    ``masks`` (Unix shell patterns), sorted, optionally ``recursive`` and ``abspath``."""

    def __init__(self, root=".", masks="", *, recursive: bool = False, abspath: bool = False,
                 non_deterministic: bool = False, length: int = -1) -> None:
        if isinstance(root, str):
            root = [root]
        if not isinstance(root, IterDataPipe):
            root = IterableWrapperIterDataPipe(root)
        self.datapipe = root
        self.masks = masks
        self.recursive = recursive
        self.abspath = abspath
        self.non_deterministic = non_deterministic
        self.length = length

    def __iter__(self):
        for path in self.datapipe:
            yield from _list_files(path, self.masks, self.recursive, self.abspath, self.non_deterministic)

    def __len__(self) -> int:
        if self.length == -1:
            raise _no_len(self)
        return self.length


@functional_datapipe("open_files")
class FileOpenerIterDataPipe(IterDataPipe):
    """``(path, stream)`` for each path, opened with ``mode`` ("r", "b" or "rb"; "b" is "rb")."""

    def __init__(self, datapipe, mode: str = "r", encoding=None, length: int = -1) -> None:
        self.datapipe = datapipe
        self.mode = mode
        self.encoding = encoding
        if self.mode not in ("b", "t", "rb", "rt", "r"):
            raise ValueError(f"Invalid mode {mode}")
        if "b" in mode and encoding is not None:
            raise ValueError("binary mode doesn't take an encoding argument")
        self.length = length

    def __iter__(self):
        mode = self.mode if self.mode.startswith("r") else "r" + self.mode
        for path in self.datapipe:
            yield path, open(path, mode, encoding=self.encoding)  # noqa: SIM115  (the consumer closes it)

    def __len__(self) -> int:
        if self.length == -1:
            raise _no_len(self)
        return self.length


@functional_datapipe("read_from_stream")
class StreamReaderIterDataPipe(IterDataPipe):
    """``(label, data)`` read from each ``(label, stream)``, ``chunk`` bytes at a time (all at once by
    default); each stream is closed when read."""

    def __init__(self, datapipe, chunk=None) -> None:
        self.datapipe = datapipe
        self.chunk = chunk

    def __iter__(self):
        for furl, stream in self.datapipe:
            while True:
                d = stream.read(self.chunk) if self.chunk is not None else stream.read()
                if not d:
                    stream.close()
                    break
                yield furl, d


IterableWrapper = IterableWrapperIterDataPipe
Mapper = MapperIterDataPipe
Collator = CollatorIterDataPipe
Filter = FilterIterDataPipe
Batcher = BatcherIterDataPipe
UnBatcher = UnBatcherIterDataPipe
Shuffler = ShufflerIterDataPipe
Sampler = SamplerIterDataPipe
ShardingFilter = ShardingFilterIterDataPipe
Concater = ConcaterIterDataPipe
Zipper = ZipperIterDataPipe
Multiplexer = MultiplexerIterDataPipe
Forker = ForkerIterDataPipe
Demultiplexer = DemultiplexerIterDataPipe
Grouper = GrouperIterDataPipe
FileLister = FileListerIterDataPipe
FileOpener = FileOpenerIterDataPipe
StreamReader = StreamReaderIterDataPipe
