import torch

x = torch.ones(2)
print(type(x))
print(type(x) is torch.Tensor, isinstance(x, torch.Tensor), torch.is_tensor(x))
print(type(x.sum().item()), type(x.tolist()), type(x.numpy()).__name__)
print(x.type(), torch.typename(x), x.double().type())
