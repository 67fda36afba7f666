# A training script skeleton as in many repos: param groups with different lrs, warmup via LambdaLR +
# SequentialLR, CosineAnnealingLR, OneCycleLR, CyclicLR, checkpoint dicts saved to BytesIO / a file and resumed,
# whole-model torch.save, optimizer.load_state_dict, scheduler state, torch.save of extra Python objects.
import io
import math

import numpy as np
import torch
import torch.nn as nn
from torch.optim.lr_scheduler import (
    CosineAnnealingLR, CosineAnnealingWarmRestarts, CyclicLR, ExponentialLR, LambdaLR, LinearLR, MultiStepLR,
    OneCycleLR, PolynomialLR, SequentialLR, ChainedScheduler, ConstantLR)

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 1))
opt = torch.optim.SGD([
    {"params": model[0].parameters(), "lr": 0.1},
    {"params": model[2].parameters()},
], lr=0.01, momentum=0.9, nesterov=True, weight_decay=1e-4)
print(opt)


def show(name, sched, opt, steps):
    lrs = []
    for _ in range(steps):
        opt.step()
        lrs.append([round(g["lr"], 6) for g in opt.param_groups])
        sched.step()
    print(name, lrs)
    print("  last", [round(x, 6) for x in sched.get_last_lr()])


def fresh(lr=0.1):
    return torch.optim.SGD(model.parameters(), lr=lr)


warm = lambda step: min(1.0, (step + 1) / 3)
o = fresh(); show("LambdaLR", LambdaLR(o, warm), o, 5)
o = fresh()
s = SequentialLR(o, schedulers=[LinearLR(o, start_factor=0.25, total_iters=3), CosineAnnealingLR(o, T_max=4)],
                 milestones=[3])
show("SequentialLR", s, o, 8)
o = fresh(); show("MultiStepLR", MultiStepLR(o, milestones=[2, 4], gamma=0.5), o, 6)
o = fresh(); show("ExponentialLR", ExponentialLR(o, gamma=0.9), o, 4)
o = fresh(); show("CosineWarmRestarts", CosineAnnealingWarmRestarts(o, T_0=3, T_mult=2, eta_min=0.001), o, 10)
o = fresh(); show("PolynomialLR", PolynomialLR(o, total_iters=4, power=2.0), o, 6)
o = fresh(); show("Chained", ChainedScheduler([ConstantLR(o, factor=0.5, total_iters=2), ExponentialLR(o, 0.9)]), o, 5)
o = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
oc = OneCycleLR(o, max_lr=1.0, total_steps=10)
lrs, moms = [], []
for _ in range(10):
    o.step()
    lrs.append(round(o.param_groups[0]["lr"], 5))
    moms.append(round(o.param_groups[0]["momentum"], 5))
    oc.step()
print("OneCycle", lrs)
print("  momentum", moms)
o = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
cy = CyclicLR(o, base_lr=0.01, max_lr=0.1, step_size_up=2, mode="triangular2")
show("CyclicLR", cy, o, 9)
print(sorted(k for k in cy.state_dict() if not k.startswith("_")))

# a training run with a checkpoint in the middle
X = torch.randn(32, 4)
y = (X[:, :1] * 2 - X[:, 1:2]).tanh()
sched = CosineAnnealingLR(opt, T_max=10, eta_min=1e-3)
loss_fn = nn.MSELoss()


def train_steps(model, opt, sched, n):
    for _ in range(n):
        opt.zero_grad()
        loss = loss_fn(model(X), y)
        loss.backward()
        opt.step()
        sched.step()
    return loss.item()


print("loss after 5", round(train_steps(model, opt, sched, 5), 6))
buf = io.BytesIO()
torch.save({"epoch": 5, "model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
            "scheduler": sched.state_dict(), "loss": 0.5, "history": np.array([1.0, 0.5]),
            "rng": torch.get_rng_state()}, buf)
print(buf.tell() > 0)
continued = train_steps(model, opt, sched, 5)

buf.seek(0)
ckpt = torch.load(buf, weights_only=False)
print(sorted(ckpt), ckpt["epoch"], ckpt["history"], type(ckpt["history"]).__name__)
model2 = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 1))
opt2 = torch.optim.SGD([{"params": model2[0].parameters(), "lr": 0.1}, {"params": model2[2].parameters()}],
                       lr=0.01, momentum=0.9, nesterov=True, weight_decay=1e-4)
sched2 = CosineAnnealingLR(opt2, T_max=10, eta_min=1e-3)
print(model2.load_state_dict(ckpt["model_state_dict"]))
opt2.load_state_dict(ckpt["optimizer_state_dict"])
sched2.load_state_dict(ckpt["scheduler"])
torch.set_rng_state(ckpt["rng"])
print(opt2.state_dict()["param_groups"][1])
print([round(x, 6) for x in sched2.get_last_lr()])
resumed = train_steps(model2, opt2, sched2, 5)
print("continued == resumed:", continued == resumed, round(resumed, 6))
print(torch.equal(model[0].weight, model2[0].weight))

sd = model.state_dict()
print(list(sd.keys()))
print(type(sd).__name__, sd["0.bias"])
torch.save(model, "whole.pt")
m3 = torch.load("whole.pt", weights_only=False)
print(m3)
print(torch.allclose(m3(X), model(X)))
torch.save(model.state_dict(), "weights.pth")
print(nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 1)).load_state_dict(torch.load("weights.pth")))
try:
    torch.load("whole.pt")
except Exception as e:
    print(type(e).__name__, str(e).splitlines()[0])
bad = {k: v for k, v in sd.items() if k != "2.bias"}
bad["extra.weight"] = torch.zeros(1)
try:
    model2.load_state_dict(bad)
except RuntimeError as e:
    print(e)
print(model2.load_state_dict(bad, strict=False))
