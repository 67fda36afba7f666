import torch

x = torch.tensor([1.0, 2.0], requires_grad=True)
y = (x * x).sum()
y.backward()
try:
    y.backward()
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    x.add_(1)
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    x[0] = 5
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    (x * 2).backward()
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    torch.tensor([1.0]).backward()
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    x.numpy()
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    torch.tensor([1, 2], requires_grad=True)
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    torch.tensor([1, 2]).requires_grad_()
except RuntimeError as e:
    print("RuntimeError:", e)
a = torch.tensor([1.0, 2.0], requires_grad=True)
b = a.exp()
b.mul_(2)
try:
    b.sum().backward()
except RuntimeError as e:
    print("RuntimeError:", e)
c = torch.tensor([1.0, 2.0], requires_grad=True)
d = c.sigmoid()
d.add_(1)
try:
    d.sum().backward()
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    (x * 2).backward(torch.ones(3))
except RuntimeError as e:
    print("RuntimeError:", e)
with torch.no_grad():
    x.add_(1)
print(x)
z = torch.ones(2, requires_grad=True).view(2)
try:
    z.data.add_(1)
    print(z)
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    torch.autograd.grad(x.sum(), torch.ones(2))
except RuntimeError as e:
    print("RuntimeError:", e)
