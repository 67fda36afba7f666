import torch

x = torch.linspace(-2, 2, 5, requires_grad=True)
y = torch.tanh(x)
dy = torch.autograd.grad(y.sum(), x, create_graph=True)[0]
d2y = torch.autograd.grad(dy.sum(), x, create_graph=True)[0]
print(dy)
print(d2y)
print(torch.allclose(dy, 1 - torch.tanh(x) ** 2))
w = torch.tensor([0.5, -1.0], requires_grad=True)
loss = (w ** 2).sum() * (w[0] - w[1])
grad = torch.autograd.grad(loss, w, create_graph=True)[0]
hess = torch.stack([torch.autograd.grad(grad[i], w, retain_graph=True)[0] for i in range(2)])
print(grad)
print(hess)
p = torch.tensor(1.5, requires_grad=True)
q = p.exp() * p.sin()
g1 = torch.autograd.grad(q, p, create_graph=True)[0]
g1.backward()
print(f"{g1.item():.6f} {p.grad.item():.6f}")
a = torch.tensor([1.0, 2.0], requires_grad=True)
pen = torch.autograd.grad((a ** 3).sum(), a, create_graph=True)[0].norm()
pen.backward()
print(a.grad)
