# Parameter updates printed to every digit: SGD (momentum, dampening, nesterov, weight decay), Adam's moments,
# ASGD and Adadelta on a 7-element parameter with an elementwise loss (no matmul), the hand-written update of
# the word-language-model example (p.data.add_(p.grad, alpha=-lr)), add/addcmul/lerp, and CyclicLR's state_dict.
import torch
from torch import optim
torch.set_printoptions(precision=10)
for name, ctor in [
    ('SGD', lambda p: optim.SGD(p, lr=0.05)),
    ('SGD-nest', lambda p: optim.SGD(p, lr=0.05, momentum=0.9, nesterov=True, weight_decay=1e-4)),
    ('SGD-damp', lambda p: optim.SGD(p, lr=0.05, momentum=0.9, dampening=0.1)),
    ('Adam', lambda p: optim.Adam(p, lr=0.01)),
    ('ASGD', lambda p: optim.ASGD(p, lr=0.01)),
]:
    torch.manual_seed(1)
    w = torch.randn(7, requires_grad=True)
    t = torch.randn(7)
    o = ctor([w])
    for i in range(6):
        o.zero_grad()
        loss = ((w - t) * (w - t) * (w * w + 2)).sum()
        loss.backward()
        o.step()
    print(name, loss.item())
    print(w.detach())
    for k, v in o.state[w].items():
        print(' ', k, v)
torch.manual_seed(2)
p = torch.randn(7, requires_grad=True)
for step in range(4):
    loss = (p * p * p).sum()
    p.grad = None
    loss.backward()
    p.data.add_(p.grad, alpha=-0.1)
print(p.data)
torch.manual_seed(3)
a, b, c = torch.randn(3, 9).unbind(0)
print(torch.add(a, b, alpha=0.3), a.sub(b, alpha=0.7))
print(torch.addcmul(a, b, c, value=-0.1), torch.addcmul(a, b, c))
print(a.lerp(b, 0.3), a.lerp(b, 0.7), torch.lerp(a, b, torch.rand(9)))
m = torch.nn.Linear(3, 2)
o = optim.SGD(m.parameters(), lr=0.1, momentum=0.9)
s = optim.lr_scheduler.CyclicLR(o, base_lr=0.01, max_lr=0.1, step_size_up=2)
for e in range(3):
    o.step()
    s.step()
print(list(s.state_dict().keys()))
print(s.get_last_lr(), o.param_groups[0]['momentum'])
