import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(3, 2), nn.Sigmoid(), nn.Linear(2, 1))
x = torch.randn(4, 3, dtype=torch.float64)
model = model.double()
y = torch.randn(4, 1, dtype=torch.float64)
loss = nn.functional.mse_loss(model(x), y)
print(loss)
print(loss.item())
loss.backward()
for name, param in model.named_parameters():
    print(name, param.grad)
print(model[0].weight.grad.norm().item())
model.zero_grad()
print(model[0].weight.grad)
for name, p in model.named_parameters():
    print(f"{name}: shape={list(p.shape)} mean={p.data.mean().item():.6f}")
print(model.state_dict())
