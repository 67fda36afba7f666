import torch
from torch.utils.data import TensorDataset, DataLoader

X = torch.arange(20, dtype=torch.float32).reshape(10, 2)
y = torch.arange(10)
ds = TensorDataset(X, y)
print(len(ds))
print(ds[3])
print(ds[2:4])

loader = DataLoader(ds, batch_size=4)
print(len(loader))
for xb, yb in loader:
    print(xb.shape, yb)

loader = DataLoader(ds, batch_size=4, drop_last=True)
print(len(loader), [yb.tolist() for _, yb in loader])

g = torch.Generator()
g.manual_seed(0)
loader = DataLoader(ds, batch_size=3, shuffle=True, generator=g)
for epoch in range(2):
    print(epoch, [yb.tolist() for _, yb in loader])

torch.manual_seed(0)
loader = DataLoader(ds, batch_size=5, shuffle=True)
for xb, yb in loader:
    print(xb, yb)
