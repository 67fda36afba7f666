import torch
from torch.autograd.functional import hessian, jacobian, jvp, vjp


def f(x):
    return torch.stack([x[0] * x[1], x[0] ** 2 + x[2], torch.sin(x[1])])


def loss(w, b):
    return ((w[:2] * b).pow(2).sum() + w.prod()).sin()


x = torch.tensor([1.0, 2.0, 3.0])
b = torch.tensor([0.5, -1.0])
print(jacobian(f, x))
print(jacobian(lambda a, c: (a[:2] * c).exp(), (x, b)))
print(hessian(lambda a: (a ** 3).sum() + a[0] * a[1], x))
print(hessian(loss, (x, b)))
print(vjp(f, x, torch.tensor([1.0, 0.0, 2.0])))
print(jvp(f, x, torch.tensor([1.0, 0.0, 2.0])))
J = jacobian(f, x.clone().requires_grad_(), create_graph=True)
print(J.requires_grad, J.shape)
print(torch.autograd.functional.vhp(lambda a: (a ** 3).sum(), x, torch.ones(3)))
