import torch

base = torch.arange(6.0)
v = base.view(2, 3)
s = base[1:4]
v[0, 0] = 100
s[0] = -1
print(base, v, s)
print(v._base is base, base.is_contiguous())
print(base.data_ptr() == v.data_ptr())
t = v.t()
t[2, 1] = 42
print(base)
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x * 1
z = y[1:]
z.mul_(10)
print(y, y.grad_fn)
y.sum().backward()
print(x.grad)
c = torch.zeros(3, 3)
diag = c.diagonal()
diag += 1
print(c)
u = torch.arange(4.0).unsqueeze(1).expand(4, 3)
print(u, u.stride())
e = u.contiguous()
print(e.stride(), e.is_contiguous())
k = torch.arange(12).reshape(3, 4)
print(k[:, 1].stride(), k[:, 1].storage_offset())
print(k.unfold(1, 2, 2))
