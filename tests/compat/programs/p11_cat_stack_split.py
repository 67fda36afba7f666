import torch

a = torch.arange(6).reshape(2, 3)
b = torch.arange(6, 12).reshape(2, 3)
print(torch.cat([a, b]))
print(torch.cat([a, b], dim=1))
print(torch.cat((a, b), dim=-1).shape)
print(torch.stack([a, b]).shape, torch.stack([a, b], dim=2))
print(torch.hstack([a, b]), torch.vstack([a, b]).shape)
print(torch.split(torch.arange(10), 3))
print(torch.split(torch.arange(10), [2, 3, 5]))
print(torch.chunk(torch.arange(10), 3))
print(torch.chunk(torch.arange(6).reshape(2, 3), 3, dim=1))
print(a.unbind(0))
print(torch.tensor_split(torch.arange(7), 3))
for i, part in enumerate(torch.arange(8).split(3)):
    print(i, part)
try:
    torch.cat([a, torch.zeros(2, 2, dtype=torch.int64)])
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    torch.stack([a, torch.zeros(3, 2, dtype=torch.int64)])
except RuntimeError as e:
    print("RuntimeError:", e)
print(torch.cat([torch.tensor([1.0]), torch.tensor([2])]))
print(torch.cat([torch.tensor([1, 2]), torch.tensor([], dtype=torch.int64)]))
print(torch.narrow(torch.arange(10), 0, 2, 3))
print(torch.meshgrid(torch.arange(2), torch.arange(3), indexing="ij"))
print(torch.column_stack([torch.tensor([1, 2]), torch.tensor([3, 4])]))
