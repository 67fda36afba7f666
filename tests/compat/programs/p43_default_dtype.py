import torch

torch.set_default_dtype(torch.float64)
print(torch.tensor([1.0, 2.0]), torch.zeros(2).dtype, torch.arange(0, 1, 0.5).dtype)
print(torch.randn(2).dtype, torch.tensor(1.5).dtype, torch.tensor([1, 2]).dtype)
print(torch.linspace(0, 1, 3))
torch.set_default_dtype(torch.float32)
print(torch.tensor([1.0, 2.0]).dtype, torch.ones(1) / 3)
