import torch

a = torch.arange(6.0).reshape(2, 3)
b = torch.arange(12.0).reshape(3, 4)
v = torch.tensor([1.0, 2.0, 3.0])
print(a @ b)
print(torch.matmul(a, v))
print(v @ v, torch.dot(v, v))
print(torch.mm(a, b), torch.mv(a, v))
print(torch.outer(v, v))
bb = torch.arange(24.0).reshape(2, 3, 4)
print(torch.bmm(torch.ones(2, 2, 3), bb).shape)
print((torch.ones(5, 2, 3) @ b).shape)
print(torch.matmul(torch.ones(3), torch.ones(2, 3, 4)).shape)
print(a.matmul(b).sum())
print(torch.addmm(torch.ones(2, 4), a, b))
print(a.T @ a)
try:
    a @ a
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    torch.mm(a, v)
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    torch.dot(v, torch.ones(4))
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    torch.bmm(torch.ones(2, 2, 3), torch.ones(3, 3, 4))
except RuntimeError as e:
    print("RuntimeError:", e)
i = torch.tensor([[1, 2], [3, 4]])
print(i @ i, (i @ i).dtype)
print(torch.trace(a @ a.T), torch.diag(torch.tensor([1, 2])), torch.diag(a @ a.T))
print(torch.linalg.norm(a), torch.linalg.vector_norm(v, ord=1))
print(torch.cross(torch.tensor([1.0, 0, 0]), torch.tensor([0.0, 1, 0]), dim=0))
