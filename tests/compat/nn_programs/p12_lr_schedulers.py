import torch
import torch.nn as nn
from torch.optim.lr_scheduler import StepLR, ExponentialLR, CosineAnnealingLR, MultiStepLR, LambdaLR

torch.manual_seed(0)
model = nn.Linear(2, 1)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
scheduler = StepLR(opt, step_size=3, gamma=0.5)
X = torch.randn(16, 2)
y = X @ torch.tensor([[1.0], [-2.0]])
for epoch in range(8):
    opt.zero_grad()
    loss = nn.functional.mse_loss(model(X), y)
    loss.backward()
    opt.step()
    scheduler.step()
    print(f"epoch {epoch} lr={scheduler.get_last_lr()[0]:.5f} loss={loss.item():.4f}")
print(scheduler.get_last_lr())
print(scheduler.state_dict())

for make in [lambda o: ExponentialLR(o, gamma=0.9),
             lambda o: CosineAnnealingLR(o, T_max=5),
             lambda o: MultiStepLR(o, milestones=[2, 4], gamma=0.1),
             lambda o: LambdaLR(o, lr_lambda=lambda e: 1.0 / (e + 1))]:
    o = torch.optim.SGD(model.parameters(), lr=1.0)
    s = make(o)
    lrs = []
    for _ in range(6):
        o.step()
        s.step()
        lrs.append(round(s.get_last_lr()[0], 6))
    print(type(s).__name__, lrs)
