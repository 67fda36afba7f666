import torch

torch.manual_seed(7)
probs = torch.tensor([0.1, 0.2, 0.3, 0.4])
print(torch.multinomial(probs, 2))
print(torch.multinomial(probs, 10, replacement=True))
print(torch.multinomial(torch.tensor([[0.5, 0.5], [0.9, 0.1]]), 1))
print(torch.bernoulli(torch.full((8,), 0.5)))
print(torch.bernoulli(torch.tensor([0.0, 1.0, 0.3])))
x = torch.empty(6).bernoulli_(0.25)
print(x)
print(torch.poisson(torch.tensor([1.0, 5.0, 10.0])))
logits = torch.randn(5)
p = torch.softmax(logits, dim=0)
print(p, f"{p.sum():.4f}")  # last-bit: exp and summation order differ from torch's kernels
samples = torch.multinomial(p, 1000, replacement=True)
print(torch.bincount(samples))
try:
    torch.multinomial(torch.tensor([0.5, -0.1]), 1)
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    torch.multinomial(probs, 5)
except RuntimeError as e:
    print("RuntimeError:", e)
