# Every common optimizer on one regression, state_dict contents, StepLR / ReduceLROnPlateau / LambdaLR, param
# groups, constructor errors, and LBFGS with a closure (which warns nothing: its step runs under no_grad).
import torch
import torch.nn as nn
from torch.optim.lr_scheduler import StepLR, ReduceLROnPlateau, CosineAnnealingLR, LambdaLR, MultiplicativeLR
torch.manual_seed(0)
X = torch.randn(64, 5)
true_w = torch.randn(5, 1)
Y = X @ true_w + 0.1 * torch.randn(64, 1)
def train(opt_cls, **kw):
    torch.manual_seed(1)
    model = nn.Linear(5, 1)
    opt = opt_cls(model.parameters(), **kw)
    losses = []
    for step in range(30):
        opt.zero_grad()
        loss = nn.functional.mse_loss(model(X), Y)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    print(opt_cls.__name__, ["%.4f" % l for l in losses[::6]], "%.5f" % losses[-1])
    return opt
train(torch.optim.SGD, lr=0.1)
train(torch.optim.SGD, lr=0.05, momentum=0.9, nesterov=True, weight_decay=1e-3)
train(torch.optim.Adam, lr=0.05)
train(torch.optim.Adam, lr=0.05, amsgrad=True, weight_decay=0.01)
train(torch.optim.RMSprop, lr=0.01)
train(torch.optim.Adagrad, lr=0.3)
train(torch.optim.Adadelta, lr=1.0)
train(torch.optim.Adamax, lr=0.05)
train(torch.optim.NAdam, lr=0.05)
train(torch.optim.RAdam, lr=0.05)
opt = train(torch.optim.SGD, lr=0.1, momentum=0.5)
print(opt)
sd = opt.state_dict()
print(sd["param_groups"])
print({k: sorted(v.keys()) for k, v in sd["state"].items()})
model = nn.Linear(5, 1)
opt = torch.optim.SGD(model.parameters(), lr=1.0)
sched = StepLR(opt, step_size=3, gamma=0.5)
for epoch in range(8):
    opt.step(); sched.step()
    print(epoch, sched.get_last_lr(), opt.param_groups[0]["lr"])
opt = torch.optim.SGD(model.parameters(), lr=1.0)
plateau = ReduceLROnPlateau(opt, mode="min", factor=0.5, patience=1)
for v in [1.0, 0.9, 0.95, 0.96, 0.97, 0.5, 0.6, 0.7, 0.8]:
    plateau.step(v)
    print("plateau", opt.param_groups[0]["lr"])
opt = torch.optim.Adam([{"params": model.weight}, {"params": model.bias, "lr": 0.1}], lr=0.01)
print(opt)
opt.add_param_group({"params": nn.Parameter(torch.ones(2)), "lr": 0.5})
print(len(opt.param_groups), [g["lr"] for g in opt.param_groups])
try:
    torch.optim.SGD(model.parameters(), lr=-1)
except ValueError as e:
    print("ValueError:", e)
try:
    torch.optim.Adam(model.parameters(), betas=(1.5, 0.9))
except ValueError as e:
    print("ValueError:", e)
try:
    torch.optim.SGD([], lr=0.1)
except ValueError as e:
    print("ValueError:", e)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
s = LambdaLR(opt, lambda ep: 0.9 ** ep)
for _ in range(3):
    opt.step()
    s.step()
print(s.state_dict())
print(opt.param_groups[0]["initial_lr"])
w = torch.tensor([1.0, 2.0], requires_grad=True)
opt = torch.optim.LBFGS([w], lr=0.5)
def closure():
    opt.zero_grad()
    loss = ((w - torch.tensor([3.0, -1.0])) ** 2).sum()
    loss.backward()
    return loss
for _ in range(3):
    print("lbfgs", opt.step(closure).item())
print(w)
