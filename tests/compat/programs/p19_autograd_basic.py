import torch

x = torch.tensor(2.0, requires_grad=True)
y = x ** 2 + 3 * x + 1
print(y)
y.backward()
print(x.grad)
w = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
b = torch.tensor(0.5, requires_grad=True)
z = (w * torch.tensor([4.0, 5.0, 6.0])).sum() + b
print(z, z.requires_grad, z.is_leaf, w.is_leaf)
z.backward()
print(w.grad, b.grad)
print(w.grad_fn, z.grad_fn.name())
a = torch.randn(3).requires_grad_()
print(a.requires_grad)
c = torch.ones(2, 2, requires_grad=True)
d = c * 3
e = d.mean()
print(d)
print(e)
e.backward()
print(c.grad)
f = torch.tensor([1.0, 2.0], requires_grad=True)
g = f * 2
g.backward(torch.tensor([1.0, 0.1]))
print(f.grad)
print(torch.tensor([1, 2]).requires_grad)
h = torch.tensor([1.0, 2.0], requires_grad=True)
k = h.exp().log().sin().cos().tanh().sigmoid().sum()
k.backward()
print(h.grad)
