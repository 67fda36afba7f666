import torch
from torch import nn

model = nn.Linear(2, 2)
print(torch.optim.Adam(model.parameters(), lr=1e-3))
print(torch.optim.AdamW(model.parameters()))
print(torch.optim.RMSprop(model.parameters(), lr=0.01, alpha=0.9))
print(torch.optim.Adagrad(model.parameters()))
print(torch.optim.SGD([
    {"params": model.weight},
    {"params": model.bias, "lr": 0.1},
], lr=0.01, momentum=0.9))
opt = torch.optim.Adam(model.parameters())
print(opt.state_dict())
print(opt.defaults)
