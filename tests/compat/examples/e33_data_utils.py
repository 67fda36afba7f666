# torch.utils.data as example repositories use it: random_split with a generator, Subset, ConcatDataset, a
# collate_fn that pads, default_collate on dicts/tuples, WeightedRandomSampler, BatchSampler, IterableDataset.
import torch
from torch.utils.data import (Dataset, DataLoader, TensorDataset, random_split, Subset, ConcatDataset,
                              WeightedRandomSampler, BatchSampler, SequentialSampler, RandomSampler, IterableDataset)
from torch.utils.data import default_collate
from torch.nn.utils.rnn import pad_sequence

torch.manual_seed(0)
ds = TensorDataset(torch.arange(10).float().unsqueeze(1), torch.arange(10) % 3)
print(len(ds), ds[3])
train, val = random_split(ds, [8, 2], generator=torch.Generator().manual_seed(42))
print(len(train), len(val), train.indices, val.indices)
parts = random_split(range(10), [0.5, 0.3, 0.2], generator=torch.Generator().manual_seed(1))
print([list(p) for p in parts])
sub = Subset(ds, [0, 2, 4])
print(len(sub), sub[1])
cat = ConcatDataset([sub, Subset(ds, [9])])
print(len(cat), cat[3], cat.cumulative_sizes)


class Words(Dataset):
    def __init__(self):
        self.data = [torch.tensor([1, 2, 3]), torch.tensor([4]), torch.tensor([5, 6]), torch.tensor([7, 8, 9, 10])]

    def __len__(self):
        return len(self.data)

    def __getitem__(self, i):
        return {"ids": self.data[i], "label": i % 2, "len": len(self.data[i])}


def collate(batch):
    ids = pad_sequence([b["ids"] for b in batch], batch_first=True)
    return ids, torch.tensor([b["label"] for b in batch]), torch.tensor([b["len"] for b in batch])


for ids, labels, lens in DataLoader(Words(), batch_size=3, collate_fn=collate):
    print(ids, labels, lens)
print(default_collate([{"a": torch.tensor(1.0), "b": 2}, {"a": torch.tensor(3.0), "b": 4}]))
print(default_collate([(1, 2.0, "x"), (3, 4.0, "y")]))
print(default_collate([[torch.zeros(2), torch.ones(1)], [torch.ones(2), torch.zeros(1)]]))
sampler = WeightedRandomSampler([0.1, 0.1, 0.8], num_samples=6, replacement=True, generator=torch.Generator().manual_seed(0))
print(list(sampler))
print(list(BatchSampler(SequentialSampler(range(7)), batch_size=3, drop_last=False)))
print(list(BatchSampler(range(7), batch_size=3, drop_last=True)))
print(list(RandomSampler(range(5), generator=torch.Generator().manual_seed(3))))
loader = DataLoader(ds, batch_size=4, shuffle=True, drop_last=True, generator=torch.Generator().manual_seed(5))
print(len(loader), [y.tolist() for _, y in loader])
print(next(iter(DataLoader(ds, batch_size=2, sampler=[9, 1])))[0].flatten())


class Stream(IterableDataset):
    def __init__(self, n):
        self.n = n

    def __iter__(self):
        return iter(torch.arange(self.n).tolist())


print([b.tolist() for b in DataLoader(Stream(7), batch_size=3)])
try:
    len(DataLoader(Stream(7), batch_size=3))
except TypeError as e:
    print("TypeError:", e)
try:
    DataLoader(Stream(3), shuffle=True)
except ValueError as e:
    print("ValueError:", e)
try:
    random_split(range(10), [3, 3])
except ValueError as e:
    print("ValueError:", e)
dl = DataLoader(ds, batch_size=3)
print(dl.batch_size, dl.drop_last, type(dl.sampler).__name__, len(dl))
for i, (xb, yb) in enumerate(dl):
    print(i, xb.shape, yb)
