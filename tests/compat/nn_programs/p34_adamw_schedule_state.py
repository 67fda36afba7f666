import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(5, 10), nn.GELU(), nn.LayerNorm(10), nn.Linear(10, 1))
decay, no_decay = [], []
for name, p in model.named_parameters():
    (no_decay if name.endswith("bias") or "2." in name else decay).append(p)
opt = torch.optim.AdamW([
    {"params": decay, "weight_decay": 0.01},
    {"params": no_decay, "weight_decay": 0.0},
], lr=3e-3, betas=(0.9, 0.98), eps=1e-6)
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=10, eta_min=1e-4)
print(opt)
X = torch.randn(32, 5)
y = torch.randn(32, 1)
for step in range(10):
    opt.zero_grad()
    loss = nn.functional.mse_loss(model(X), y)
    loss.backward()
    opt.step()
    sched.step()
    print(f"step {step} lr {sched.get_last_lr()[0]:.6f} loss {loss.item():.4f}")
state = opt.state_dict()
print(state["param_groups"][0])
print(sorted(state["state"][0].keys()))
print(state["state"][0]["step"])
print(state["state"][1]["exp_avg"].shape)

opt2 = torch.optim.AdamW(model.parameters())
try:
    opt2.load_state_dict(state)
except ValueError as e:
    print("ValueError:", e)
