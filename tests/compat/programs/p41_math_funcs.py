import math
import torch

x = torch.linspace(0.1, 2.0, 6)
print(torch.log(x), torch.log2(x), torch.log10(x))
print(torch.exp2(x), torch.sinh(x), torch.cosh(x))
print(torch.asin(x / 3), torch.acos(x / 3), torch.atan(x))
print(torch.tan(x), torch.square(x), torch.pow(x, 0.5))
print(torch.pow(2, x), x.pow(torch.tensor(2)))
print(torch.frac(x * 3), torch.trunc(-x * 3))
print(x.sum() * math.pi, torch.pi)
print(f"{torch.tensor(math.e).log():.4f}", torch.tensor([0.0]).exp())  # last-bit: float32 log ulp
print(torch.cumprod(x, 0), torch.diff(x))
print(torch.tensor([-2.5, 2.5]).abs().sqrt())
print(torch.sqrt(torch.tensor([-1.0])), torch.log(torch.tensor([0.0, -1.0])))
print(torch.tensor([1.0, 2.0]) / 0, torch.tensor([0.0]) / 0)
print(torch.tensor([5]) // torch.tensor([0]) if False else "skip")
print(torch.special.expit(torch.tensor([0.0])))
print(torch.rsqrt(torch.tensor([4.0])), torch.sigmoid(torch.tensor([-100.0, 100.0])))
print(torch.clamp(torch.tensor([1, 5, 9]), 2, 6))
print(torch.tensor([2.0]).pow(-1), torch.tensor([2]).pow(3), torch.tensor([2]) ** 0.5)
