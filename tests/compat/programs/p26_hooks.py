import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
h = x.register_hook(lambda g: print("grad seen:", g))
(x * 2).sum().backward()
print(x.grad)
h.remove()
x.grad = None
(x * 2).sum().backward()
print(x.grad)
y = torch.tensor([1.0, 1.0], requires_grad=True)
y.register_hook(lambda g: g * 10)
(y * 3).sum().backward()
print(y.grad)
a = torch.tensor(2.0, requires_grad=True)
b = a * a
b.register_hook(lambda g: print("b grad", g))
c = b * 3
c.backward()
print(a.grad)
seen = []
z = torch.ones(2, requires_grad=True)
m = z * 2
m.retain_grad()
m.register_hook(lambda g: seen.append(g.clone()))
m.sum().backward()
print(seen, m.grad)
try:
    torch.tensor([1.0]).register_hook(lambda g: g)
except RuntimeError as e:
    print("RuntimeError:", e)
