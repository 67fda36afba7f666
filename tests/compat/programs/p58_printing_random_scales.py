import torch

torch.manual_seed(7)
for scale in [1e-6, 1e-3, 1.0, 10.0, 1e3, 1e6]:
    print(torch.randn(2, 3) * scale)
print(torch.randn(3, dtype=torch.float64) * 1e5)
print(torch.randn(4, 4) * torch.tensor([1.0, 10.0, 100.0, 1000.0]))
print((torch.rand(3) * 100).round())
print((torch.rand(3) * 100).int())
print(torch.randn(2, 3, 4))
print(torch.randn(2, 70))
print(torch.randn(12, 3).T)
print(torch.randn(3).abs() * 1e-12)
print(torch.randn(3) * float("inf"))
