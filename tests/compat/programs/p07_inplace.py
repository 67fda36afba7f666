import torch

x = torch.zeros(3)
x.add_(1)
print(x)
x.mul_(torch.tensor([1.0, 2.0, 3.0])).sub_(0.5)
print(x)
x.div_(2).clamp_(min=0.5, max=1.0)
print(x)
y = torch.arange(6.0).reshape(2, 3)
y[0] += 10
print(y)
y[:, 1] = -1
print(y)
y.fill_(3)
print(y)
y.zero_()
print(y)
z = torch.ones(2, 2)
v = z.view(4)
v[1] = 5
print(z, v)
print(z._version)
w = torch.tensor([1.0, 4.0, 9.0])
w.sqrt_()
w.exp_()
print(w)
a = torch.tensor([1, 2, 3])
a += 1
a *= 2
print(a)
try:
    a += 0.5
except RuntimeError as e:
    print("RuntimeError:", e)
b = torch.ones(3)
b.copy_(torch.tensor([7, 8, 9]))
print(b)
c = torch.zeros(2, 3)
c.index_fill_(1, torch.tensor([0, 2]), 4.0)
print(c)
c.masked_fill_(c > 0, -1.0)
print(c)
d = torch.zeros(5)
d.scatter_(0, torch.tensor([1, 3]), torch.tensor([1.0, 2.0]))
print(d)
d.uniform_(0, 0) if False else None
print(d.abs_())
