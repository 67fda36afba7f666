"""Datasets: map-style (``__getitem__``/``__len__``) and iterable-style, plus the ways to combine and split them."""

from __future__ import annotations

import bisect
import itertools
import math
import warnings
from collections.abc import Iterable, Sequence
from typing import Any

from ..._core.tensor import Tensor
from ...ops.random import randperm
from ...random import default_generator

__all__ = ["ChainDataset", "ConcatDataset", "Dataset", "IterableDataset", "StackDataset", "Subset", "TensorDataset",
           "random_split"]



class Dataset:
    """A map-style dataset: ``dataset[i]`` gives sample i. Subclass it and define ``__getitem__`` (and ``__len__``, which
    samplers and DataLoader use to know the indices).

    A sample can be anything the collate function understands: a tensor, a number, a tuple or dict of them, ...
    ``dataset_a + dataset_b`` is their ConcatDataset.

    Args:
        *args, **kwargs: whatever a subclass takes (the base class takes no arguments of its own).

    Example:
        >>> class Squares(data.Dataset):
        ...     def __init__(self, n):
        ...         self.n = n
        ...     def __len__(self):
        ...         return self.n
        ...     def __getitem__(self, i):
        ...         return i * i
        >>> list(data.DataLoader(Squares(5), batch_size=2))
        [tensor([0, 1]), tensor([4, 9]), tensor([16])]
    """

    def __getitem__(self, index):
        raise NotImplementedError("Subclasses of Dataset should implement __getitem__.")

    def __add__(self, other: Dataset) -> ConcatDataset:
        return ConcatDataset([self, other])


class IterableDataset(Dataset):
    """An iterable-style dataset: the samples come from ``__iter__``, in the order it yields them (streams, files read
    line by line, generators), rather than by index.

    DataLoader batches what it yields; samplers and shuffle do not apply. With num_workers > 0 every worker runs
    its own copy of ``__iter__``: use ``get_worker_info()`` inside it to split the stream, or each sample is produced
    once per worker. ``a + b`` chains two of them (ChainDataset).

    Args:
        *args, **kwargs: whatever a subclass takes.

    Example:
        >>> class Count(data.IterableDataset):
        ...     def __init__(self, n):
        ...         self.n = n
        ...     def __iter__(self):
        ...         return iter(range(self.n))
        >>> list(data.DataLoader(Count(5), batch_size=2))
        [tensor([0, 1]), tensor([2, 3]), tensor([4])]
    """

    def __iter__(self):
        raise NotImplementedError("Subclasses of IterableDataset should implement __iter__.")

    def __add__(self, other: Dataset) -> ChainDataset:
        return ChainDataset([self, other])


class TensorDataset(Dataset):
    """A dataset of tensors that share their first dimension: sample i is (t[i] for t in tensors).

    Args:
        *tensors: the tensors (features, targets, ...), all with the same size N of dimension 0.

    Example:
        >>> ds = data.TensorDataset(ember.arange(6.0).reshape(6, 1), ember.tensor([0, 1, 0, 1, 0, 1]))
        >>> len(ds), ds[2]
        (6, (tensor([2.]), tensor(0)))
    """

    def __init__(self, *tensors: Tensor) -> None:
        if any(tensors[0].size(0) != t.size(0) for t in tensors):
            raise AssertionError("Size mismatch between tensors")
        self.tensors = tensors

    def __getitem__(self, index):
        return tuple(t[index] for t in self.tensors)

    def __len__(self) -> int:
        return self.tensors[0].size(0)


class StackDataset(Dataset):
    """Several datasets of the same length side by side: sample i is (d[i] for d in args), or {k: d[i]} with keywords.

    Args:
        *args: datasets whose samples are combined into tuples.
        **kwargs: datasets whose samples are combined into dicts under these names (give args or kwargs, not both).

    Example:
        >>> data.StackDataset(image=range(3), label="xyz")[2]
        {'image': 2, 'label': 'z'}
    """

    def __init__(self, *args: Dataset, **kwargs: Dataset) -> None:
        if args and kwargs:
            raise ValueError("Supported either ``tuple``- (via ``args``) or``dict``- (via ``kwargs``) like "
                             "input/output, but both types are given.")
        if not args and not kwargs:
            raise ValueError("At least one dataset should be passed")
        parts = list(args) if args else list(kwargs.values())
        self._length = len(parts[0])
        if any(self._length != len(d) for d in parts):
            raise ValueError("Size mismatch between datasets")
        self.datasets = args if args else kwargs

    def __getitem__(self, index):
        if isinstance(self.datasets, dict):
            return {k: d[index] for k, d in self.datasets.items()}
        return tuple(d[index] for d in self.datasets)

    def __len__(self) -> int:
        return self._length


class ConcatDataset(Dataset):
    """Datasets one after another: index i falls in the first dataset whose cumulative size exceeds it.

    Args:
        datasets: the map-style datasets, in order.

    Example:
        >>> ds = data.ConcatDataset([range(3), range(10, 12)])
        >>> len(ds), ds[4]
        (5, 11)
    """

    @staticmethod
    def cumsum(sequence) -> list[int]:
        return list(itertools.accumulate(len(d) for d in sequence))

    def __init__(self, datasets: Iterable[Dataset]) -> None:
        self.datasets = list(datasets)
        if len(self.datasets) == 0:
            raise AssertionError("datasets should not be an empty iterable")
        if any(isinstance(d, IterableDataset) for d in self.datasets):
            raise AssertionError("ConcatDataset does not support IterableDataset")
        self.cumulative_sizes = self.cumsum(self.datasets)

    def __len__(self) -> int:
        return self.cumulative_sizes[-1]

    def __getitem__(self, idx):
        if idx < 0:
            if -idx > len(self):
                raise ValueError("absolute value of index should not exceed dataset length")
            idx = len(self) + idx
        which = bisect.bisect_right(self.cumulative_sizes, idx)
        start = self.cumulative_sizes[which - 1] if which else 0
        return self.datasets[which][idx - start]


class ChainDataset(IterableDataset):
    """Iterable datasets chained one after another (lazily: each is iterated only when the previous one is exhausted).

    Args:
        datasets: the iterable datasets, in order.

    Example:
        >>> class Count(data.IterableDataset):
        ...     def __init__(self, n):
        ...         self.n = n
        ...     def __iter__(self):
        ...         return iter(range(self.n))
        >>> list(data.ChainDataset([Count(2), Count(3)]))
        [0, 1, 0, 1, 2]
    """

    def __init__(self, datasets: Iterable[Dataset]) -> None:
        self.datasets = datasets

    def __iter__(self):
        for d in self.datasets:
            if not isinstance(d, IterableDataset):
                raise AssertionError("ChainDataset only supports IterableDataset")  # noqa: TRY004  (PyTorch's class)
            yield from d

    def __len__(self) -> int:
        total = 0
        for d in self.datasets:
            if not isinstance(d, IterableDataset):
                raise AssertionError("ChainDataset only supports IterableDataset")  # noqa: TRY004  (PyTorch's class)
            total += len(d)
        return total


class Subset(Dataset):
    """The samples of a dataset at given indices, in that order (what ``random_split`` returns).

    Args:
        dataset: the whole dataset.
        indices: the indices to keep.

    Example:
        >>> part = data.Subset("abcdef", [4, 0])
        >>> len(part), part[0], part[1]
        (2, 'e', 'a')
    """

    def __init__(self, dataset: Dataset, indices: Sequence[int]) -> None:
        self.dataset = dataset
        self.indices = indices

    def __getitem__(self, idx):
        if isinstance(idx, list):
            return self.dataset[[self.indices[i] for i in idx]]
        return self.dataset[self.indices[idx]]

    def __getitems__(self, indices: list[int]) -> list:
        if callable(getattr(self.dataset, "__getitems__", None)):
            return self.dataset.__getitems__([self.indices[i] for i in indices])
        return [self.dataset[self.indices[i]] for i in indices]

    def __len__(self) -> int:
        return len(self.indices)


def random_split(dataset: Dataset, lengths: Sequence[int | float], generator: Any = None) -> list[Subset]:
    """Split into non-overlapping Subsets of the given lengths (or fractions) over ``randperm(len(dataset))``."""
    if generator is None:
        generator = default_generator
    total = sum(lengths)
    if math.isclose(total, 1) and total <= 1:
        n = len(dataset)
        sizes = []
        for i, frac in enumerate(lengths):
            if frac < 0 or frac > 1:
                raise ValueError(f"Fraction at index {i} is not between 0 and 1")
            sizes.append(math.floor(n * frac))
        # the floor() leftovers go one each to the splits in turn, as PyTorch distributes them
        for i in range(n - sum(sizes)):
            sizes[i % len(sizes)] += 1
        for i, size in enumerate(sizes):
            if size == 0:
                warnings.warn(f"Length of split at index {i} is 0. This might result in an empty dataset.",
                              stacklevel=2)
        lengths = sizes
    if sum(lengths) != len(dataset):
        raise ValueError("Sum of input lengths does not equal the length of the input dataset!")
    indices = randperm(sum(lengths), generator=generator).tolist()
    return [Subset(dataset, indices[end - size:end])
            for end, size in zip(itertools.accumulate(lengths), lengths)]
