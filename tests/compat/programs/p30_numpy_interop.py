import numpy as np
import torch

a = np.array([[1, 2], [3, 4]])
t = torch.from_numpy(a)
print(t, t.dtype)
a[0, 0] = 100
print(t)
print(torch.tensor(np.array([1.0, 2.0])).dtype)
print(torch.tensor(np.array([1.0, 2.0], dtype=np.float32)).dtype)
print(torch.tensor(np.array([1, 2], dtype=np.int32)))
print(torch.tensor(np.array([True, False])))
print(torch.from_numpy(np.arange(3, dtype=np.uint8)))
print(torch.as_tensor(np.ones(2)), torch.as_tensor([1, 2]))
x = torch.arange(4.0)
n = x.numpy()
print(n, n.dtype, type(n).__name__)
n[0] = -1
print(x)
print(torch.tensor([1.5, 2.5]).numpy().tolist())
r = torch.ones(2, requires_grad=True)
try:
    r.numpy()
except RuntimeError as e:
    print("RuntimeError:", e)
print(r.detach().numpy())
print(np.asarray(torch.tensor([1, 2, 3]).numpy()))
print(np.float64(2.0) * torch.tensor([1.0, 2.0]))
print(torch.tensor([1.0, 2.0]) * np.float32(3))
print(torch.tensor(np.float64(3.5)), torch.tensor(np.int64(3)))
print(torch.tensor([np.float32(1.0), np.float32(2.0)]).dtype)
print(torch.from_numpy(np.zeros((2, 0))).shape)
print(torch.tensor(np.array(5)).shape)
print(torch.from_numpy(np.array([1.0, 2.0])[::-1].copy()))
