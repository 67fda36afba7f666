import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(4, 4), nn.ReLU(), nn.Linear(4, 1))
x = torch.randn(10, 4) * 10
loss = model(x).pow(2).mean()
loss.backward()
total = torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
print(total)
print(f"{total.item():.4f}")
norms = [p.grad.norm().item() for p in model.parameters()]
print([round(n, 4) for n in norms])
new_total = torch.sqrt(sum(p.grad.norm() ** 2 for p in model.parameters()))
print(f"{new_total.item():.4f}")
torch.nn.utils.clip_grad_value_(model.parameters(), clip_value=0.05)
print(model[0].bias.grad)
print(torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=2.0, norm_type=float("inf")))
vec = torch.nn.utils.parameters_to_vector(model.parameters())
print(vec.shape)
