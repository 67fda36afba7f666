import torch
import torch.nn as nn


class Tower(nn.Module):
    def __init__(self, sizes):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(a, b) for a, b in zip(sizes[:-1], sizes[1:])])
        self.acts = nn.ModuleDict({"relu": nn.ReLU(), "tanh": nn.Tanh()})
        self.scale = nn.Parameter(torch.ones(1))
        self.register_buffer("steps", torch.zeros((), dtype=torch.long))

    def forward(self, x, act="relu"):
        for layer in self.layers:
            x = self.acts[act](layer(x))
        self.steps += 1
        return x * self.scale


torch.manual_seed(0)
net = Tower([3, 5, 4, 2])
print(net)
print(len(net.layers), list(net.acts.keys()))
print(net.layers[1])
x = torch.randn(2, 3)
print(net(x))
print(net(x, act="tanh"))
print(net.steps)
print(list(net.state_dict().keys()))
print([n for n, _ in net.named_buffers()])
print([n for n, _ in net.named_parameters()])
net.layers.append(nn.Linear(2, 2))
print(len(net.layers))
net.acts["sigmoid"] = nn.Sigmoid()
print(net.acts)
for name, m in net.acts.items():
    print(name, m)
