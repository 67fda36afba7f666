import torch
from torch import nn, optim

model = nn.Linear(3, 3)
opt = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
plateau = optim.lr_scheduler.ReduceLROnPlateau(opt, mode="min", factor=0.5, patience=1)
for val_loss in [1.0, 0.9, 0.95, 0.97, 0.96, 0.5, 0.6, 0.7]:
    plateau.step(val_loss)
    print(val_loss, opt.param_groups[0]["lr"])

opt = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
sched = optim.lr_scheduler.OneCycleLR(opt, max_lr=1.0, total_steps=10)
for i in range(10):
    opt.step()
    sched.step()
    group = opt.param_groups[0]
    print(i, f"{group['lr']:.6f}", f"{group['momentum']:.6f}")

opt = optim.Adam(model.parameters(), lr=0.01)
warm = optim.lr_scheduler.LinearLR(opt, start_factor=0.1, total_iters=4)
for i in range(6):
    opt.step()
    warm.step()
print(warm.get_last_lr())
