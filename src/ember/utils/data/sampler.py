"""Samplers: the order in which a DataLoader visits dataset indices (and how it groups them into batches)."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence, Sized
from typing import Any

from ..._core import dtype as _dtype
from ...ops import creation as _creation
from ...ops.random import multinomial, randint, randperm
from ...random import Generator

__all__ = ["BatchSampler", "RandomSampler", "Sampler", "SequentialSampler", "SubsetRandomSampler",
           "WeightedRandomSampler"]



def _draw_seed(generator: Any = None) -> int:
    """A fresh 64-bit seed drawn exactly as PyTorch draws it: ``torch.empty((), dtype=torch.int64).random_()``."""
    t = _creation.empty((), dtype=_dtype.int64)
    t.random_(generator=generator)
    return int(t.item())


class Sampler:
    """The base class of samplers: an iterable over dataset indices (or, for batch samplers, over lists of indices),
    with ``__len__`` when the number is known.

    DataLoader asks its sampler for the order of the indices of every epoch; subclass it for a custom order.

    Args:
        data_source: accepted for PyTorch's older signature and ignored (default None).

    Example:
        >>> class Backwards(data.Sampler):
        ...     def __init__(self, n):
        ...         self.n = n
        ...     def __iter__(self):
        ...         return iter(range(self.n - 1, -1, -1))
        ...     def __len__(self):
        ...         return self.n
        >>> list(data.DataLoader("abcd", sampler=Backwards(4), batch_size=2))
        [['d', 'c'], ['b', 'a']]
    """

    def __init__(self, data_source: Sized | None = None) -> None:
        pass

    def __iter__(self) -> Iterator:
        raise NotImplementedError


class SequentialSampler(Sampler):
    """The indices 0, 1, ..., len(data_source) - 1 in order (DataLoader's default without shuffle).

    Args:
        data_source: the dataset (only its length is used).

    Example:
        >>> list(data.SequentialSampler("abc"))
        [0, 1, 2]
    """

    def __init__(self, data_source: Sized) -> None:
        self.data_source = data_source

    def __iter__(self) -> Iterator[int]:
        return iter(range(len(self.data_source)))

    def __len__(self) -> int:
        return len(self.data_source)


class RandomSampler(Sampler):
    """Shuffled indices: a random permutation of the dataset's indices each epoch (DataLoader's sampler with
    shuffle=True), or, with replacement, num_samples independent draws.

    The draws are randperm(n) (and randint(0, n) with replacement) from ember's generator, as PyTorch draws them,
    so a seeded DataLoader visits the samples in PyTorch's order.

    Args:
        data_source: the dataset (only its length is used).
        replacement: draw with replacement (default False).
        num_samples: the number of indices per epoch (default: the dataset's length; without replacement, more
            than that concatenates several permutations).
        generator: the Generator to draw from (default: a seed drawn from the default generator).

    Example:
        >>> _ = ember.manual_seed(0)
        >>> list(data.RandomSampler(range(5)))
        [1, 3, 4, 2, 0]
        >>> list(data.RandomSampler(range(5), replacement=True, num_samples=3))
        [1, 3, 2]
    """

    def __init__(self, data_source: Sized, replacement: bool = False, num_samples: int | None = None,
                 generator: Any = None) -> None:
        self.data_source = data_source
        self.replacement = replacement
        self._num_samples = num_samples
        self.generator = generator
        if not isinstance(self.replacement, bool):
            raise TypeError(f"replacement should be a boolean value, but got replacement={self.replacement}")
        if not isinstance(self.num_samples, int) or self.num_samples <= 0:
            raise ValueError(f"num_samples should be a positive integer value, but got "
                             f"num_samples={self.num_samples}")

    @property
    def num_samples(self) -> int:
        # read at each use: the dataset may grow or shrink between epochs
        return len(self.data_source) if self._num_samples is None else self._num_samples

    def __iter__(self) -> Iterator[int]:
        n = len(self.data_source)
        generator = self.generator
        if generator is None:
            # PyTorch seeds a private generator from the default stream (one draw), so does ember: same numbers
            generator = Generator()
            generator.manual_seed(_draw_seed())
        if self.replacement:
            # drawn in chunks of 32 as PyTorch does, which fixes how the stream is consumed
            for _ in range(self.num_samples // 32):
                yield from randint(0, n, (32,), generator=generator).tolist()
            yield from randint(0, n, (self.num_samples % 32,), generator=generator).tolist()
        else:
            for _ in range(self.num_samples // n):
                yield from randperm(n, generator=generator).tolist()
            yield from randperm(n, generator=generator).tolist()[:self.num_samples % n]

    def __len__(self) -> int:
        return self.num_samples


class SubsetRandomSampler(Sampler):
    """Given indices in a random order: indices[randperm(len(indices))], a new order every epoch.

    Args:
        indices: the indices to draw from.
        generator: the Generator to draw from (default: the default generator).

    Example:
        >>> _ = ember.manual_seed(0)
        >>> list(data.SubsetRandomSampler([10, 20, 30]))
        [30, 10, 20]
    """

    def __init__(self, indices: Sequence[int], generator: Any = None) -> None:
        self.indices = indices
        self.generator = generator

    def __iter__(self) -> Iterator[int]:
        for i in randperm(len(self.indices), generator=self.generator).tolist():
            yield self.indices[i]

    def __len__(self) -> int:
        return len(self.indices)


class WeightedRandomSampler(Sampler):
    """num_samples indices drawn with probability proportional to weights (``multinomial``), e.g. to oversample rare
    classes.

    Args:
        weights: one non-negative weight per index (they need not sum to 1).
        num_samples: the number of indices per epoch.
        replacement: draw with replacement (default True); without, each index appears at most once.
        generator: the Generator to draw from (default: the default generator).

    Example:
        >>> _ = ember.manual_seed(0)
        >>> list(data.WeightedRandomSampler([1.0, 0.0, 3.0], 8))  # index 1 never, index 2 three times as often as 0
        [2, 2, 2, 2, 2, 2, 0, 2]
    """

    def __init__(self, weights: Sequence[float], num_samples: int, replacement: bool = True,
                 generator: Any = None) -> None:
        if not isinstance(num_samples, int) or isinstance(num_samples, bool) or num_samples <= 0:
            raise ValueError(f"num_samples should be a positive integer value, but got num_samples={num_samples}")
        if not isinstance(replacement, bool):
            raise ValueError(f"replacement should be a boolean value, but got replacement={replacement}")  # noqa: TRY004
        weights_tensor = _creation.as_tensor(weights, dtype=_dtype.float64)
        if weights_tensor.dim() != 1:
            raise ValueError(f"weights should be a 1d sequence but given weights have shape "
                             f"{tuple(weights_tensor.shape)}")
        self.weights = weights_tensor
        self.num_samples = num_samples
        self.replacement = replacement
        self.generator = generator

    def __iter__(self) -> Iterator[int]:
        yield from multinomial(self.weights, self.num_samples, self.replacement, generator=self.generator).tolist()

    def __len__(self) -> int:
        return self.num_samples


class BatchSampler(Sampler):
    """Group the indices of another sampler into lists of batch_size (the last one shorter, unless drop_last).

    DataLoader builds one from its sampler and batch_size; give your own as ``DataLoader(batch_sampler=...)``.

    Args:
        sampler: the sampler (or any iterable of indices) to group.
        batch_size: the size of each list.
        drop_last: drop a last, incomplete list.

    Example:
        >>> list(data.BatchSampler(data.SequentialSampler(range(5)), batch_size=2, drop_last=False))
        [[0, 1], [2, 3], [4]]
        >>> list(data.BatchSampler(range(5), batch_size=2, drop_last=True))
        [[0, 1], [2, 3]]
    """

    def __init__(self, sampler: Sampler | Iterable[int], batch_size: int, drop_last: bool) -> None:
        if not isinstance(batch_size, int) or isinstance(batch_size, bool) or batch_size <= 0:
            raise ValueError(f"batch_size should be a positive integer value, but got batch_size={batch_size}")
        if not isinstance(drop_last, bool):
            raise ValueError(f"drop_last should be a boolean value, but got drop_last={drop_last}")  # noqa: TRY004
        self.sampler = sampler
        self.batch_size = batch_size
        self.drop_last = drop_last

    def __iter__(self) -> Iterator[list[int]]:
        it = iter(self.sampler)
        while True:
            batch = list(itertools.islice(it, self.batch_size))
            if not batch or (self.drop_last and len(batch) < self.batch_size):
                return
            yield batch

    def __len__(self) -> int:
        n = len(self.sampler)
        return n // self.batch_size if self.drop_last else (n + self.batch_size - 1) // self.batch_size

