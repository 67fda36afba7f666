import torch
from torch import nn

torch.manual_seed(0)
layer = nn.Linear(3, 2)
print(layer)
print(layer.weight)
print(layer.bias)
print(layer.weight.shape, layer.bias.shape)

x = torch.randn(4, 3)
y = layer(x)
print(y)
print(y.shape)
print(y.grad_fn)

for name, param in layer.named_parameters():
    print(name, param.shape, param.requires_grad)

total = sum(p.numel() for p in layer.parameters())
print(f"Total parameters: {total}")
print(list(layer.parameters()))

no_bias = nn.Linear(5, 1, bias=False)
print(no_bias)
print(no_bias.bias)
