import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(3, 2), nn.Sigmoid(), nn.Linear(2, 1))
x = torch.randn(4, 3, dtype=torch.float64)
model = model.double()
y = torch.randn(4, 1, dtype=torch.float64)
loss = nn.functional.mse_loss(model(x), y)
print(loss)
print(f"{loss.item():.12f}")  # raw float64 item() differs in the last bit (summation order)
loss.backward()
for name, param in model.named_parameters():
    print(name, param.grad)
print(f"{model[0].weight.grad.norm().item():.12f}")  # raw: last-bit difference (summation order)
model.zero_grad()
print(model[0].weight.grad)
for name, p in model.named_parameters():
    print(f"{name}: shape={list(p.shape)} mean={p.data.mean().item():.6f}")
print(model.state_dict())
