import torch

w = torch.tensor([1.0, 2.0], requires_grad=True)
for step in range(3):
    loss = (w ** 2).sum()
    loss.backward()
    print(step, w.grad)
w.grad.zero_()
print(w.grad)
(w * 3).sum().backward()
print(w.grad)
w.grad = None
print(w.grad)
(w * 4).sum().backward()
print(w.grad)
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x * 2
z = y.sum() + y.prod()
z.backward()
print(x.grad)
v = torch.tensor(1.0, requires_grad=True)
u = v * v
u.backward(retain_graph=True)
u.backward()
print(v.grad)
p = torch.tensor([1.0, 1.0], requires_grad=True)
q = p * 2
r = q * 3 + q
r.sum().backward()
print(p.grad)
