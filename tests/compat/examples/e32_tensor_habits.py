# Everyday tensor habits from notebooks: f-strings and format specs on tensors, item/tolist, NumPy round trips
# (shared memory), type conversions, view/reshape errors, in-place on leaves, broadcasting errors, repr of Parameter.
import numpy as np
import torch
import torch.nn as nn

torch.manual_seed(0)
t = torch.tensor(3.14159)
print(f"{t:.2f}", f"{t.item():.3f}", "%.1f" % t, int(torch.tensor(7)), float(torch.tensor([2.5])))
x = torch.arange(6).reshape(2, 3)
print(x.tolist(), x.numel(), x.size(), x.size(1), x.shape[-1], x.dim(), x.ndim, len(x))
a = np.ones(3)
b = torch.from_numpy(a)
np.add(a, 1, out=a)
print(b, b.dtype)
c = torch.ones(2)
d = c.numpy()
c.add_(1)
print(d, type(d).__name__)
print(torch.as_tensor([1, 2]), torch.tensor(np.array([1.5, 2.5], dtype=np.float32)).dtype)
print(x.float().dtype, x.double().dtype, x.long().dtype, x.bool(), x.half().dtype, x.to(torch.float32).dtype)
print(x.type(), x.float().type(), x.type(torch.int32).dtype, x.is_floating_point(), torch.is_tensor(x))
print(x.t(), x.T.is_contiguous(), x.view(3, 2), x.reshape(-1), x.unsqueeze(0).shape, x[None, :, None].shape)
try:
    x.T.view(6)
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    x.view(4, 2)
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    torch.ones(2, 3) + torch.ones(3, 2)
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    torch.ones(2, 3) @ torch.ones(2, 3)
except RuntimeError as e:
    print("RuntimeError:", e)
w = torch.ones(3, requires_grad=True)
try:
    w.add_(1)
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    w.numpy()
except RuntimeError as e:
    print("RuntimeError:", e)
print(w.detach().numpy(), w.data)
p = nn.Parameter(torch.zeros(2))
print(p, repr(p), isinstance(p, torch.Tensor))
print(torch.zeros(2, 3).new_ones(2), torch.full((2,), 7), torch.full((2,), 7.0).dtype, torch.eye(2, dtype=torch.int64))
print(torch.arange(0, 1, 0.25), torch.linspace(-1, 1, 5), torch.logspace(0, 2, 3), torch.zeros_like(x, dtype=torch.float))
y = torch.randn(3, 4)
print(y[y > 0].shape == (int((y > 0).sum()),), y[:, 1:3], y[[0, 2]], y[..., -1], y[1, [0, 3]])
y[0] = 0
y[:, 0] += 1
print(y)
print(torch.stack([x, x]).shape, torch.cat([x, x], dim=1).shape, torch.hstack([x, x]).shape, torch.vstack([x, x]).shape)
print(x.sum(dim=0), x.float().mean(), x.float().std(), x.float().var(dim=1), x.prod(), x.amax(1), x.argmax())
print(x.any(), x.all(), (x > 2).sum(1), x.eq(2), x.ne(2).sum(), torch.equal(x, x.clone()), torch.allclose(x.float(), x.float() + 1e-9))
print(x.max(dim=1), x.float().norm(), x.abs().sqrt(), x.pow(2), x ** 0.5, 2 ** x, x.exp().log().round())
print(x.permute(1, 0), x.expand(2, 2, 3).shape, x.repeat(2, 1).shape, x.repeat_interleave(2, dim=0))
print(x.squeeze().shape, torch.zeros(1, 3, 1).squeeze().shape, torch.zeros(1, 3, 1).squeeze(-1).shape, x.flatten())
z = torch.zeros(2, 2)
z.fill_(3)
z.mul_(2).sub_(1)
z.clamp_(max=4)
print(z, z.zero_())
print(torch.tensor([1, 2, 3]) / 2, torch.tensor([1, 2, 3]) // 2, torch.tensor([-3, 3]) % 2, torch.tensor([1, 2]) * 1.5)
print(torch.tensor([True, False]) + 1, torch.tensor([1], dtype=torch.uint8) - 2, torch.tensor(1) + 2.0)
print(np.float64(2.0) * torch.ones(2), torch.ones(2) * np.float32(3.0), (torch.ones(2) * np.float64(3.0)).dtype)
