import torch

x = torch.tensor([1.0, 2.0])
y = torch.tensor(x)
print(y)
a = torch.ones(2, requires_grad=True)
b = a * 2
b.sum().backward()
print(b.grad)
print(a.grad)
z = torch.arange(6.0).reshape(1, 2, 3)
print(z.T.shape if False else z.mT.shape)
print(torch.ones(2, 3).T.shape)
