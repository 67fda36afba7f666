import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Linear(3, 1)
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, nesterov=True, weight_decay=1e-4)
print(opt)
x = torch.randn(8, 3)
y = torch.randn(8, 1)
for step in range(3):
    opt.zero_grad()
    loss = ((model(x) - y) ** 2).mean()
    loss.backward()
    opt.step()
    print(step, f"{loss.item():.6f}")  # raw item() differed in the last float32 bit (summation order)

sd = opt.state_dict()
print(sd.keys())
print(sd["param_groups"])
print(sd["state"][0]["momentum_buffer"])
print(opt.param_groups[0]["lr"])
for group in opt.param_groups:
    group["lr"] = 0.001
print(opt)
