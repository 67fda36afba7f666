import numpy as np
import torch

for dt in [np.float16, np.float32, np.float64, np.int8, np.int16, np.int32, np.int64, np.uint8, np.bool_]:
    a = np.array([1, 0, 2], dtype=dt)
    t = torch.from_numpy(a)
    u = torch.tensor(a)
    print(np.dtype(dt).name, t.dtype, u.dtype, t.numpy().dtype, torch.as_tensor(a).dtype)
print(torch.tensor([np.float32(1.5), 2.0]).dtype, torch.tensor([np.int16(1), 2]).dtype)
print(torch.tensor(np.array([[1, 2], [3, 4]])).T.numpy())
print(torch.from_numpy(np.arange(6).reshape(2, 3)[:, 1]).tolist() if False else np.arange(6).reshape(2, 3)[:, 1])
t = torch.arange(6).reshape(2, 3)
print(t.numpy().flags["C_CONTIGUOUS"], t.T.numpy().flags["C_CONTIGUOUS"], t.numpy().shape)
print(np.asarray(t.numpy()).sum(), np.mean(t.float().numpy()))
print(torch.tensor(np.float32(2.5)) * torch.tensor([1.0]), (torch.ones(2) * np.float64(2.0)).dtype)
print((torch.ones(2, dtype=torch.int32) + np.int64(1)).dtype)
print(type(torch.tensor([1.5]).numpy()[0]).__name__, type(torch.tensor([1.5]).tolist()[0]).__name__)
print(torch.tensor([1, 2]).numpy().tolist(), torch.zeros(2, 2).numpy())
try:
    torch.from_numpy(np.array(["a", "b"]))
except TypeError as e:
    print("TypeError:", e)
try:
    torch.from_numpy([1, 2])
except TypeError as e:
    print("TypeError:", e)
