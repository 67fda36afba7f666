# Optimizers and schedules beyond SGD/Adam as training scripts pick them: RAdam, NAdam, Rprop, ASGD, Adagrad,
# Adadelta, Adamax, RMSprop(centered), LBFGS with a closure; LambdaLR, CosineAnnealingWarmRestarts, CyclicLR,
# SequentialLR, LinearLR + ExponentialLR chained, and swa_utils.AveragedModel/SWALR.
import torch
import torch.nn as nn
from torch.optim import lr_scheduler
from torch.optim.swa_utils import AveragedModel, SWALR

torch.manual_seed(0)
X = torch.randn(32, 3)
Y = X @ torch.tensor([[1.0], [-2.0], [0.5]]) + 0.1


def run(make, steps=5):
    torch.manual_seed(1)
    model = nn.Linear(3, 1)
    opt = make(model.parameters())
    for _ in range(steps):
        opt.zero_grad()
        loss = ((model(X) - Y) ** 2).mean()
        loss.backward()
        opt.step()
    return round(loss.item(), 4), opt


for name, make in [("RAdam", lambda p: torch.optim.RAdam(p, lr=0.05)),
                   ("NAdam", lambda p: torch.optim.NAdam(p, lr=0.05)),
                   ("Rprop", lambda p: torch.optim.Rprop(p, lr=0.05)),
                   ("ASGD", lambda p: torch.optim.ASGD(p, lr=0.05)),
                   ("Adagrad", lambda p: torch.optim.Adagrad(p, lr=0.3)),
                   ("Adadelta", lambda p: torch.optim.Adadelta(p, lr=1.0)),
                   ("Adamax", lambda p: torch.optim.Adamax(p, lr=0.05)),
                   ("RMSprop", lambda p: torch.optim.RMSprop(p, lr=0.01, centered=True, momentum=0.5)),
                   ("AdamW-amsgrad", lambda p: torch.optim.AdamW(p, lr=0.05, amsgrad=True))]:
    loss, opt = run(make)
    print(name, loss, sorted(opt.state_dict()["state"][0].keys()))
print(torch.optim.RAdam([torch.zeros(1, requires_grad=True)], lr=0.1))
torch.manual_seed(1)
model = nn.Linear(3, 1)
opt = torch.optim.LBFGS(model.parameters(), lr=0.5, max_iter=10, history_size=5)


def closure():
    opt.zero_grad()
    loss = ((model(X) - Y) ** 2).mean()
    loss.backward()
    return loss


for i in range(3):
    print("lbfgs", round(opt.step(closure).item(), 5))
p = [torch.zeros(1, requires_grad=True)]


def lrs(make_opt, make_sched, n=8, **kw):
    o = make_opt()
    s = make_sched(o)
    out = []
    for _ in range(n):
        o.step()
        s.step()
        out.append(round(o.param_groups[0]["lr"], 5))
    return out


sgd = lambda: torch.optim.SGD(p, lr=0.1, momentum=0.9)
print(lrs(sgd, lambda o: lr_scheduler.LambdaLR(o, lambda e: 0.9 ** e)))
print(lrs(sgd, lambda o: lr_scheduler.CosineAnnealingWarmRestarts(o, T_0=3, T_mult=2, eta_min=0.01)))
print(lrs(sgd, lambda o: lr_scheduler.CyclicLR(o, base_lr=0.01, max_lr=0.1, step_size_up=2, mode="triangular2")))
print(lrs(sgd, lambda o: lr_scheduler.SequentialLR(o, [lr_scheduler.LinearLR(o, start_factor=0.1, total_iters=3),
                                                      lr_scheduler.ExponentialLR(o, gamma=0.5)], milestones=[3])))
print(lrs(sgd, lambda o: lr_scheduler.ChainedScheduler([lr_scheduler.ConstantLR(o, factor=0.5, total_iters=2),
                                                        lr_scheduler.ExponentialLR(o, gamma=0.9)])))
print(lrs(sgd, lambda o: lr_scheduler.PolynomialLR(o, total_iters=6, power=2.0)))
print(lrs(sgd, lambda o: lr_scheduler.OneCycleLR(o, max_lr=1.0, total_steps=8), n=7))
torch.manual_seed(1)
model = nn.Linear(3, 1)
swa_model = AveragedModel(model)
opt = torch.optim.SGD(model.parameters(), lr=0.05)
swa_sched = SWALR(opt, swa_lr=0.02, anneal_epochs=2)
for epoch in range(4):
    opt.zero_grad()
    ((model(X) - Y) ** 2).mean().backward()
    opt.step()
    swa_model.update_parameters(model)
    swa_sched.step()
print(swa_model.n_averaged, round(opt.param_groups[0]["lr"], 5), swa_model.module.weight.shape)
print(torch.allclose(swa_model(X), swa_model.module(X)))
try:
    torch.optim.Adam(p, lr=-1)
except ValueError as e:
    print("ValueError:", e)
try:
    torch.optim.SGD([], lr=0.1)
except ValueError as e:
    print("ValueError:", e)
