import torch

x = torch.zeros(3, 4)
x[0] = 1
x[1, :2] = torch.tensor([5.0, 6.0])
x[:, -1] = torch.arange(3.0)
x[x == 0] = -1
print(x)
x[[0, 2], [1, 1]] = 9
print(x)
x[torch.tensor([True, False, True])] = torch.tensor([7.0, 7.0, 7.0, 7.0])
print(x)
y = torch.arange(10)
y[y % 2 == 0] *= 10
print(y)
y[2:5] = 0
y[-1] = y[0] + 100
print(y)
z = torch.zeros(2, 2, dtype=torch.int64)
z[0, 0] = 3.7
print(z)
b = torch.zeros(3, dtype=torch.bool)
b[1] = True
print(b)
try:
    x[0] = torch.ones(3)
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    x[5] = 1
except IndexError as e:
    print("IndexError:", e)
m = torch.ones(2, 3)
m[:, 1] += torch.tensor([10.0, 20.0])
print(m)
m[..., 0] = torch.tensor([[-1.0], [-2.0]]).squeeze(1)
print(m)
