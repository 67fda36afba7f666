import torch

print(torch.finfo(torch.float32))
print(torch.finfo(torch.float16).tiny, torch.finfo().bits, torch.iinfo(torch.uint8))
print(torch.float64.is_complex, torch.complex64.is_complex, torch.float32.is_signed, torch.uint8.is_signed)
x = torch.ones(3, requires_grad=True)
v = x[:2]
try:
    v.detach_()
except RuntimeError as e:
    print("RuntimeError:", e)
y = (x * 2).sum()
torch.autograd.grad(y, x)
try:
    torch.autograd.grad(y, x)
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    x.grad.zero_()
except AttributeError as e:
    print("AttributeError:", e)
try:
    torch.ones(2, 3).view(3, 2).T.view(6)
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    torch.zeros(2).expand(3)
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    torch.ones(3).reshape(2, 2)
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    torch.tensor([[1, 2], [3, 4]]).float().inverse() if False else torch.ones(2) @ torch.ones(2, 3, 4)
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    torch.cat([torch.ones(2), torch.ones(2)], dim=1)
except IndexError as e:
    print("IndexError:", e)
try:
    torch.randn(2, 3).max(dim=1)[2]
except IndexError as e:
    print("IndexError:", e)
