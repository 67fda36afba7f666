# Data-loading code as tutorials write it: a custom Dataset with a transform, Subset / ConcatDataset,
# WeightedRandomSampler for class imbalance, BatchSampler, a collate_fn padding variable-length items,
# DataLoader(drop_last, shuffle with a generator, worker_init_fn ignored with num_workers=0), iterating an
# IterableDataset, default_collate on dicts/tuples/numpy, and k-fold splits with SubsetRandomSampler.
import numpy as np
import torch
from torch.utils.data import (BatchSampler, ConcatDataset, DataLoader, Dataset, IterableDataset, RandomSampler,
                              SequentialSampler, Subset, SubsetRandomSampler, TensorDataset, WeightedRandomSampler,
                              default_collate, random_split)
from torch.nn.utils.rnn import pad_sequence

torch.manual_seed(2024)
g = torch.Generator().manual_seed(11)


class SquaresDataset(Dataset):
    def __init__(self, n, transform=None):
        self.x = torch.arange(n, dtype=torch.float32)
        self.y = (self.x ** 2) % 3
        self.transform = transform

    def __len__(self):
        return len(self.x)

    def __getitem__(self, idx):
        sample = {"x": self.x[idx], "y": self.y[idx].long()}
        if self.transform:
            sample = self.transform(sample)
        return sample


def add_noise(sample):
    sample["x"] = sample["x"] + 0.5
    return sample


ds = SquaresDataset(10, transform=add_noise)
print(len(ds), ds[3])
loader = DataLoader(ds, batch_size=4, shuffle=True, generator=g, drop_last=True)
for batch in loader:
    print(batch)
print(len(loader))

counts = torch.bincount(ds.y.long())
print(counts)
weights = 1.0 / counts.float()
sample_weights = weights[ds.y.long()]
sampler = WeightedRandomSampler(sample_weights, num_samples=12, replacement=True, generator=g)
print(list(sampler))
print(list(WeightedRandomSampler([0.1, 0.9, 0.4, 0.7], 3, replacement=False, generator=g)))
print(list(BatchSampler(SequentialSampler(range(7)), batch_size=3, drop_last=False)))
print(list(BatchSampler(RandomSampler(range(7), generator=g), batch_size=3, drop_last=True)))
print(list(RandomSampler(range(5), replacement=True, num_samples=8, generator=g)))

a = TensorDataset(torch.arange(3), torch.zeros(3))
b = TensorDataset(torch.arange(10, 14), torch.ones(4))
cat = ConcatDataset([a, b])
print(len(cat), cat[2], cat[3], cat.cumulative_sizes)
sub = Subset(cat, [0, 4, 6])
print([sub[i] for i in range(len(sub))])
tr, va, te = random_split(range(10), [5, 3, 2], generator=torch.Generator().manual_seed(0))
print(list(tr), list(va), list(te))
print([list(s) for s in random_split(range(7), [0.5, 0.3, 0.2], generator=torch.Generator().manual_seed(1))])


def collate_pad(batch):
    seqs, labels = zip(*batch)
    lengths = torch.tensor([len(s) for s in seqs])
    return pad_sequence(seqs, batch_first=True, padding_value=-1), lengths, torch.tensor(labels)


items = [(torch.arange(n), n % 2) for n in (3, 1, 4, 2, 5)]
for seqs, lengths, labels in DataLoader(items, batch_size=2, collate_fn=collate_pad):
    print(seqs, lengths, labels)


class Stream(IterableDataset):
    def __init__(self, start, end):
        self.start, self.end = start, end

    def __iter__(self):
        return iter(range(self.start, self.end))


print(list(DataLoader(Stream(3, 10), batch_size=3)))
print(default_collate([(1, 2.0, np.array([1, 2])), (3, 4.0, np.array([3, 4]))]))
print(default_collate([{"a": torch.ones(2), "b": "s1"}, {"a": torch.zeros(2), "b": "s2"}]))
print(default_collate([[1, 2], [3, 4]]))
print(default_collate([np.float64(1.5), np.float64(2.5)]))

kfold_idx = torch.randperm(10, generator=g)
folds = kfold_idx.chunk(3)
for k, val_idx in enumerate(folds):
    train_idx = torch.cat([f for j, f in enumerate(folds) if j != k])
    tl = DataLoader(ds, batch_size=5, sampler=SubsetRandomSampler(train_idx.tolist(), generator=g))
    xs = torch.cat([bt["x"] for bt in tl])
    print(k, val_idx.tolist(), xs.tolist())

it = iter(DataLoader(TensorDataset(torch.arange(6.).view(3, 2)), batch_size=2))
print(next(it), next(it))
try:
    next(it)
except StopIteration:
    print("StopIteration")
dl = DataLoader(range(5), batch_size=None)
print(list(dl))
print(DataLoader(range(5), batch_size=2, pin_memory=False).batch_size, type(loader.sampler).__name__,
      type(loader.batch_sampler).__name__)
