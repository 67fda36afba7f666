import torch


def f(x):
    return torch.stack([x[0] * x[1], x[0] ** 2 + x[2], torch.sin(x[1])])


x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = f(x)
jac = torch.zeros(3, 3)
for i in range(3):
    (g,) = torch.autograd.grad(y[i], x, retain_graph=True)
    jac[i] = g
print(jac)
x2 = torch.tensor([0.5, -0.5, 1.0], requires_grad=True)
rows = []
for i in range(3):
    if x2.grad is not None:
        x2.grad.zero_()
    out = f(x2)
    out[i].backward()
    rows.append(x2.grad.clone())
print(torch.stack(rows))
v = torch.tensor([1.0, 0.0, 1.0])
out = f(x)
out.backward(v)
print(x.grad)
print(torch.autograd.functional.jacobian(f, x))
