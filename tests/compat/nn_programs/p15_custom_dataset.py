import torch
from torch.utils.data import Dataset, DataLoader, random_split


class SquaresDataset(Dataset):
    def __init__(self, n):
        self.x = torch.arange(n, dtype=torch.float32)

    def __len__(self):
        return len(self.x)

    def __getitem__(self, idx):
        return {"x": self.x[idx], "y": self.x[idx] ** 2, "idx": idx}


ds = SquaresDataset(12)
print(len(ds), ds[5])
loader = DataLoader(ds, batch_size=5)
for batch in loader:
    print(batch["x"], batch["y"], batch["idx"])

train_ds, val_ds = random_split(ds, [9, 3], generator=torch.Generator().manual_seed(42))
print(len(train_ds), len(val_ds))
print(train_ds.indices, val_ds.indices)
print(type(train_ds).__name__)
a, b, c = random_split(range(10), [0.5, 0.3, 0.2], generator=torch.Generator().manual_seed(1))
print(list(a), list(b), list(c))


def collate(batch):
    xs = torch.stack([b["x"] for b in batch])
    return xs, len(batch)


for xs, n in DataLoader(ds, batch_size=4, collate_fn=collate):
    print(xs, n)
