"""DistributedSampler gives PyTorch's exact indices for every rank, seed and epoch (no processes needed)."""

import itertools

import pytest

from ember.utils.data import DistributedSampler as ShortName
from ember.utils.data.distributed import DistributedSampler

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("n, replicas, shuffle, drop_last, seed", [
    (n, k, shuffle, drop, seed) for n, k in [(10, 3), (7, 2), (2, 5), (1, 4), (64, 4), (1000, 3)]
    for shuffle, drop in itertools.product([True, False], [False, True]) for seed in (0, 42)
    if not (drop and n < k)])
def test_indices_equal_torch(n, replicas, shuffle, drop_last, seed):
    from torch.utils.data.distributed import DistributedSampler as TorchSampler
    data = list(range(n))
    for rank in range(replicas):
        ours = DistributedSampler(data, replicas, rank, shuffle=shuffle, seed=seed, drop_last=drop_last)
        theirs = TorchSampler(data, replicas, rank, shuffle=shuffle, seed=seed, drop_last=drop_last)
        assert len(ours) == len(theirs)
        for epoch in (0, 1, 5):
            ours.set_epoch(epoch)
            theirs.set_epoch(epoch)
            assert list(ours) == list(theirs), (rank, epoch)


def test_epochs_differ_and_ranks_partition():
    s = [DistributedSampler(range(12), 3, r) for r in range(3)]
    assert sorted(i for x in s for i in x) == list(range(12))
    before = list(s[0])
    s[0].set_epoch(1)
    assert list(s[0]) != before
    assert ShortName is DistributedSampler


def test_bad_rank_is_pytorchs_error():
    from torch.utils.data.distributed import DistributedSampler as TorchSampler
    for cls in (DistributedSampler, TorchSampler):
        with pytest.raises(ValueError, match=r"Invalid rank 3, rank should be in the interval \[0, 2\]"):
            cls(range(5), num_replicas=3, rank=3)
    with pytest.raises(ValueError, match="Default process group has not been initialized"):
        DistributedSampler(range(5))
