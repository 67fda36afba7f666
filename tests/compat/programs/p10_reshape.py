import torch

x = torch.arange(12)
print(x.view(3, 4))
print(x.view(-1, 6))
print(x.reshape(2, 2, 3))
print(x.view(3, 4).T)
print(x.view(3, 4).t().contiguous().view(-1))
print(x.view(3, 4).is_contiguous(), x.view(3, 4).T.is_contiguous())
y = x.view(2, 3, 2)
print(y.permute(2, 0, 1).shape, y.transpose(0, 2).shape)
print(y.permute(2, 0, 1))
print(y.unsqueeze(0).shape, y.unsqueeze(-1).shape)
print(torch.zeros(1, 3, 1).squeeze().shape, torch.zeros(1, 3, 1).squeeze(0).shape)
print(y.flatten(), y.flatten(1).shape, y.flatten(0, 1).shape)
print(y.unflatten(1, (3, 1)).shape)
print(x.view(3, 4).flip(0))
print(x.view(3, 4).roll(1, dims=1))
print(x.expand(2, 12).shape, torch.tensor([[1], [2]]).expand(2, 3))
print(torch.tensor([1, 2]).repeat(2, 2))
print(torch.tensor([1, 2]).repeat_interleave(3))
print(x.view(3, 4).movedim(0, 1).shape)
print(x.view(3, 4).stride(), x.view(3, 4).T.stride())
try:
    x.view(5, -1)
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    x.view(3, 4).T.view(12)
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    x.reshape(-1, -1)
except RuntimeError as e:
    print("RuntimeError:", e)
print(x.view(3, 4).T.reshape(12))
print(torch.tril(torch.ones(3, 3)), torch.triu(torch.ones(3, 3), diagonal=1))
