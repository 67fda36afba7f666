import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = (x ** 3).sum()
(g,) = torch.autograd.grad(y, x, create_graph=True)
print(g)
(h,) = torch.autograd.grad(g.sum(), x)
print(h)
t = torch.tensor(0.5, requires_grad=True)
f = torch.sin(t)
d1 = torch.autograd.grad(f, t, create_graph=True)[0]
d2 = torch.autograd.grad(d1, t, create_graph=True)[0]
d3 = torch.autograd.grad(d2, t)[0]
print(d1, d2, d3)
a = torch.tensor(2.0, requires_grad=True)
b = torch.tensor(3.0, requires_grad=True)
c = a * b ** 2
ga, gb = torch.autograd.grad(c, [a, b])
print(ga, gb)
u = torch.tensor([1.0, 2.0], requires_grad=True)
v = u * 2
print(torch.autograd.grad(v, u, grad_outputs=torch.ones(2)))
w = torch.tensor(1.0, requires_grad=True)
unused = torch.tensor(1.0, requires_grad=True)
print(torch.autograd.grad(w * 2, [w, unused], allow_unused=True))
try:
    torch.autograd.grad(w * 2, [w, unused])
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    torch.autograd.grad(u * 2, u)
except RuntimeError as e:
    print("RuntimeError:", e)
z = torch.tensor(3.0, requires_grad=True)
out = z ** 4
gz = torch.autograd.grad(out, z, create_graph=True)[0]
print(gz, gz.requires_grad, gz.grad_fn)
gz.backward()
print(z.grad)
