import torch

a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
b = a * 2
b.add_(1)
b.mul_(b)
print(b, b.grad_fn)
try:
    b.sum().backward()
except RuntimeError as err:
    print("RuntimeError:", err)
b2 = a * 2
b2.add_(1)
b2.mul_(3)
b2.sum().backward()
print(a.grad)
c = torch.tensor([1.0, 2.0], requires_grad=True)
d = c ** 2
d += 1
print(d.grad_fn)
d.sum().backward()
print(c.grad)
e = torch.tensor([4.0, 9.0], requires_grad=True)
f = e.sqrt()
f.mul_(3)
try:
    f.sum().backward()
except RuntimeError as err:
    print("RuntimeError:", err)
g = torch.tensor([1.0, 2.0], requires_grad=True)
h = g.clone()
h.relu_()
h.sum().backward()
print(g.grad, h.grad_fn)
i = torch.ones(3, requires_grad=True)
j = i[1:]
try:
    j.zero_()
except RuntimeError as err:
    print("RuntimeError:", err)
k = torch.ones(2, 2, requires_grad=True)
m = k * 1
m.t_()
print(m.grad_fn)
n = torch.tensor([3.0], requires_grad=True)
o = n * n
try:
    o.requires_grad = False
except RuntimeError as err:
    print("RuntimeError:", err)
o2 = o.detach_() if False else o.detach()
print(o2.requires_grad, o.requires_grad)
p = torch.zeros(3)
p.requires_grad_()
p.data.fill_(2)
(p * p).sum().backward()
print(p.grad)
q = torch.tensor([1.0, 2.0], requires_grad=True)
r = q.exp()
r.data.mul_(0)
r.sum().backward()
print(q.grad)
s = torch.tensor([2.0], requires_grad=True)
with torch.no_grad():
    s.mul_(5)
print(s, s.is_leaf, s.grad_fn)
