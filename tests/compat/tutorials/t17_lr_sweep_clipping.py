# Learning-rate finder, scheduler sweeps and gradient clipping.
import math
import torch
import torch.nn as nn
import torch.optim as optim
from torch.optim import lr_scheduler

torch.manual_seed(0)
X = torch.randn(64, 8)
y = X @ torch.randn(8, 1) + 0.1 * torch.randn(64, 1)


def make_model():
    torch.manual_seed(1)
    return nn.Sequential(nn.Linear(8, 16), nn.Tanh(), nn.Linear(16, 1))


# LR range test: exponential increase of lr each step, stop when the loss explodes.
model = make_model()
opt = optim.SGD(model.parameters(), lr=1e-4)
start_lr, end_lr, num_it = 1e-4, 10.0, 30
gamma = (end_lr / start_lr) ** (1 / num_it)
sched = lr_scheduler.ExponentialLR(opt, gamma=gamma)
best, lrs, losses = float('inf'), [], []
for it in range(num_it):
    opt.zero_grad()
    loss = nn.functional.mse_loss(model(X), y)
    loss.backward()
    opt.step()
    lrs.append(sched.get_last_lr()[0])
    losses.append(loss.item())
    sched.step()
    best = min(best, loss.item())
    if loss.item() > 4 * best or math.isnan(loss.item()):
        print(f"stopping at iteration {it}")
        break
print(len(lrs), f"{lrs[0]:.6f}", f"{lrs[-1]:.6f}")
print(f"suggested lr {lrs[min(range(len(losses)), key=losses.__getitem__)]:.5f}")

# Scheduler sweep: the lr every scheduler gives over 10 epochs.
schedulers = {
    'StepLR': lambda o: lr_scheduler.StepLR(o, step_size=3, gamma=0.5),
    'MultiStepLR': lambda o: lr_scheduler.MultiStepLR(o, milestones=[2, 5], gamma=0.1),
    'CosineAnnealingLR': lambda o: lr_scheduler.CosineAnnealingLR(o, T_max=10, eta_min=0.001),
    'LambdaLR': lambda o: lr_scheduler.LambdaLR(o, lr_lambda=lambda epoch: 0.95 ** epoch),
    'LinearLR': lambda o: lr_scheduler.LinearLR(o, start_factor=0.25, total_iters=4),
    'OneCycleLR': lambda o: lr_scheduler.OneCycleLR(o, max_lr=0.1, total_steps=10),
    'CyclicLR': lambda o: lr_scheduler.CyclicLR(o, base_lr=0.01, max_lr=0.1, step_size_up=3),
}
for name, factory in schedulers.items():
    model = make_model()
    opt = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    sched = factory(opt)
    history = []
    for epoch in range(10):
        opt.zero_grad()
        nn.functional.mse_loss(model(X), y).backward()
        opt.step()
        history.append(round(opt.param_groups[0]['lr'], 5))
        sched.step()
    print(f"{name:18s}", history)

plateau_model = make_model()
opt = optim.Adam(plateau_model.parameters(), lr=0.05)
plateau = lr_scheduler.ReduceLROnPlateau(opt, mode='min', factor=0.5, patience=1)
for val in [1.0, 0.9, 0.95, 0.97, 0.96, 0.99, 0.5]:
    plateau.step(val)
    print(val, opt.param_groups[0]['lr'])

# Gradient clipping by norm and by value inside a training loop.
model = make_model()
opt = optim.SGD(model.parameters(), lr=0.5)
for step in range(5):
    opt.zero_grad()
    loss = nn.functional.mse_loss(model(X), y)
    loss.backward()
    total_norm = nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
    clipped = torch.sqrt(sum(p.grad.pow(2).sum() for p in model.parameters()))
    opt.step()
    print(step, f"{loss.item():.4f}", f"{total_norm.item():.4f}", f"{clipped.item():.4f}")
opt.zero_grad()
nn.functional.mse_loss(model(X), y).backward()
nn.utils.clip_grad_value_(model.parameters(), clip_value=0.05)
print(max(p.grad.abs().max().item() for p in model.parameters()) <= 0.05)
norm_inf = nn.utils.clip_grad_norm_(model.parameters(), max_norm=0.01, norm_type=float('inf'))
print(f"{norm_inf.item():.4f}")
vec = nn.utils.parameters_to_vector(model.parameters())
print(vec.shape)
