import torch
import torch.nn as nn

torch.manual_seed(0)
layer = nn.Linear(3, 2)
try:
    layer(torch.randn(4, 5))
except RuntimeError as e:
    print("RuntimeError:", e)

a = torch.randn(4, 3)
b = torch.randn(5, 2)
try:
    a @ b
except RuntimeError as e:
    print("RuntimeError:", e)

model = nn.Sequential(nn.Linear(2, 2), nn.Linear(2, 1))
sd = model.state_dict()
del sd["1.bias"]
try:
    model.load_state_dict(sd)
except RuntimeError as e:
    print("RuntimeError:", e)
print(model.load_state_dict(sd, strict=False))

sd = model.state_dict()
sd["extra.weight"] = torch.zeros(1)
try:
    model.load_state_dict(sd)
except RuntimeError as e:
    print("RuntimeError:", e)

sd = model.state_dict()
sd["0.weight"] = torch.zeros(3, 2)
try:
    model.load_state_dict(sd)
except RuntimeError as e:
    print("RuntimeError:", e)

loss_fn = nn.CrossEntropyLoss()
logits = torch.randn(3, 4)
try:
    loss_fn(logits, torch.tensor([0.0, 1.0, 2.0]))
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    loss_fn(logits, torch.tensor([0, 1, 7]))
except IndexError as e:
    print("IndexError:", e)
try:
    nn.MSELoss()(torch.randn(3), torch.randn(4))
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    nn.Conv2d(3, 8, 3)(torch.randn(1, 4, 8, 8))
except RuntimeError as e:
    print("RuntimeError:", e)
