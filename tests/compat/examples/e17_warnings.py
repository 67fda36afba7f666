# The warnings tutorials and old code trigger (implicit softmax dim, copy-constructing tensors, .T of 3-D, the
# scheduler before the optimizer, non-leaf .grad, one-element std, meshgrid without indexing), each on the user's line.
import warnings
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
torch.manual_seed(0)
x = torch.randn(2, 3)
print(F.softmax(x))
print(F.log_softmax(x))
t = torch.tensor(x)
print(t.shape)
print(torch.randn(2, 3, 4).T.shape)
model = nn.Linear(3, 1)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
sched = torch.optim.lr_scheduler.StepLR(opt, 1)
sched.step()
print(opt.param_groups[0]["lr"])
print(F.interpolate(torch.ones(1, 1, 2, 2), scale_factor=2, mode="bilinear").shape)
print(torch.range(0, 3))
print(F.sigmoid(torch.zeros(1)), F.tanh(torch.zeros(1)))
lin = nn.Linear(2, 2)
out = lin(torch.ones(1, 2)).sum()
out.backward()
print(out.grad)
print((torch.ones(2, requires_grad=True) * 2).grad)
d = nn.Dropout(p=0.5, inplace=False)
print(torch.tensor([1, 2]).float().std(), torch.tensor([1.0]).std())
print(torch.ones(3).var(0), torch.zeros(0).mean())
print(torch.meshgrid(torch.arange(2), torch.arange(2))[0])
print(torch.nn.functional.upsample(torch.ones(1, 1, 2), scale_factor=2).shape)
print(torch.norm(torch.ones(2, 2), dim=1))
with torch.autograd.profiler.record_function("x") if False else torch.no_grad():
    pass
print(torch.tensor([1.0, 2.0]).resize_(1))
print(torch.ones(2).new_tensor(torch.ones(2)))
