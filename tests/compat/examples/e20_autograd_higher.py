# Autograd beyond backward(): torch.autograd.grad with create_graph (second derivatives), jacobian and hessian
# from torch.autograd.functional, vjp/jvp/hvp, tensor hooks, retain_grad on non-leaves, grad_fn chains.
import torch
from torch.autograd.functional import jacobian, hessian, vjp, jvp, hvp

torch.manual_seed(0)
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = (x ** 3).sum()
(g,) = torch.autograd.grad(y, x, create_graph=True)
print(g)
print(g.grad_fn)
(g2,) = torch.autograd.grad(g.sum(), x)
print(g2)

def f(x):
    return torch.stack([x[0] * x[1], x[1].sin(), x[2].exp() * x[0]])

inp = torch.tensor([0.5, 1.0, -0.5], dtype=torch.float64)
print(jacobian(f, inp))
print(hessian(lambda v: (v ** 2).prod(), inp))
out, v = vjp(f, inp, torch.ones(3, dtype=torch.float64))
print(out, v)
out, jv = jvp(f, inp, torch.tensor([1.0, 0.0, 0.0], dtype=torch.float64))
print(jv)
_, hv = hvp(lambda v: (v ** 3).sum(), inp, torch.ones(3, dtype=torch.float64))
print(hv)

a = torch.randn(2, 3, requires_grad=True)
b = a * 2
b.retain_grad()
c = b.relu()
grads = []
h = b.register_hook(lambda grad: grads.append(grad.clone()))
c.sum().backward()
print(b.grad)
print(grads[0].equal(b.grad))
h.remove()
print(a.grad)
print(b.is_leaf, a.is_leaf, c.grad_fn.next_functions[0][0].name())
try:
    print(c.grad)
except Exception as e:
    print(type(e).__name__)
import warnings
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    _ = c.grad
    print(len(w), w[0].category.__name__ if w else None)

w1 = torch.randn(3, 3, requires_grad=True)
z = (w1 @ w1.T).trace()
z.backward(retain_graph=True)
print(torch.allclose(w1.grad, 2 * w1))
z.backward()
print(torch.allclose(w1.grad, 4 * w1))
try:
    z.backward()
except RuntimeError as e:
    print(str(e).split(".")[0])
x = torch.randn(3, requires_grad=True)
y = x * 2
while y.data.norm() < 1000:
    y = y * 2
print(y.grad_fn.name())
v = torch.tensor([0.1, 1.0, 0.0001], dtype=torch.float)
y.backward(v)
print(x.grad)
print(x.requires_grad, (x ** 2).requires_grad)
with torch.no_grad():
    print((x ** 2).requires_grad)
print(torch.autograd.grad((x * x).sum(), x, grad_outputs=torch.tensor(2.0)))
