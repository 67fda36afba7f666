"""``DistributedSampler``: each rank's share of a dataset, in PyTorch's exact order for a seed and epoch."""

from __future__ import annotations

import math
from collections.abc import Iterator, Sized

from ... import distributed as dist
from ...ops.random import randperm
from ...random import Generator
from .sampler import Sampler

__all__ = ["DistributedSampler"]


class DistributedSampler(Sampler):
    """The share of one process (rank r of n) of each epoch's indices, for training on several processes: the indices
    perm[r::n] of the epoch's order.

    The order is randperm(len(dataset)) from a Generator seeded with seed + epoch (call ``set_epoch(epoch)`` at the
    start of every epoch, or every epoch repeats the same order), or 0, 1, ... without shuffle. It is padded with its
    own first indices up to a multiple of n, so every rank gets ⌈len/n⌉ samples, or cut down with drop_last.

    Args:
        dataset: the dataset (only its length is used).
        num_replicas: n, the number of processes (default: the process group's world size).
        rank: r, this process's rank (default: the process group's rank).
        shuffle: shuffle the order each epoch (default True).
        seed: the base of every epoch's seed; the same on every rank (default 0).
        drop_last: cut the order down to a multiple of n instead of padding it (default False).

    Example:
        >>> [list(data.DistributedSampler(range(5), num_replicas=2, rank=r, shuffle=False)) for r in (0, 1)]
        [[0, 2, 4], [1, 3, 0]]
        >>> sampler = data.DistributedSampler(range(6), num_replicas=2, rank=0)
        >>> sampler.set_epoch(1)
        >>> list(sampler)
        [1, 2, 3]
    """

    def __init__(self, dataset: Sized, num_replicas: int | None = None, rank: int | None = None,
                 shuffle: bool = True, seed: int = 0, drop_last: bool = False) -> None:
        if num_replicas is None or rank is None:
            if not dist.is_available():
                raise RuntimeError("Requires distributed package to be available")
            num_replicas = dist.get_world_size() if num_replicas is None else num_replicas
            rank = dist.get_rank() if rank is None else rank
        if rank >= num_replicas or rank < 0:
            raise ValueError(f"Invalid rank {rank}, rank should be in the interval [0, {num_replicas - 1}]")
        self.dataset = dataset
        self.num_replicas = num_replicas
        self.rank = rank
        self.epoch = 0
        self.drop_last = drop_last
        n = len(dataset)
        if drop_last and n % num_replicas != 0:
            self.num_samples = math.ceil((n - num_replicas) / num_replicas)
        else:
            self.num_samples = math.ceil(n / num_replicas)
        self.total_size = self.num_samples * num_replicas
        self.shuffle = shuffle
        self.seed = seed

    def __iter__(self) -> Iterator[int]:
        n = len(self.dataset)
        if self.shuffle:
            g = Generator()
            g.manual_seed(self.seed + self.epoch)
            indices = randperm(n, generator=g).tolist()
        else:
            indices = list(range(n))
        if not self.drop_last:
            pad = self.total_size - len(indices)
            if pad <= len(indices):
                indices += indices[:pad]
            else:
                indices += (indices * math.ceil(pad / len(indices)))[:pad]
        else:
            indices = indices[:self.total_size]
        if len(indices) != self.total_size:
            raise AssertionError(f"Number of indices ({len(indices)}) does not match total_size ({self.total_size})")
        indices = indices[self.rank:self.total_size:self.num_replicas]
        if len(indices) != self.num_samples:
            raise AssertionError(f"Number of subsampled indices ({len(indices)}) does not match num_samples "
                                 f"({self.num_samples})")
        return iter(indices)

    def __len__(self) -> int:
        return self.num_samples

    def set_epoch(self, epoch: int) -> None:
        """The next iteration shuffles with ``seed + epoch``: call it at the start of every epoch."""
        self.epoch = epoch
