import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
pred = torch.randn(4, 3, requires_grad=True)
target = torch.randn(4, 3)

for loss_fn in [nn.MSELoss(), nn.L1Loss(), nn.SmoothL1Loss(), nn.HuberLoss(delta=0.5),
                nn.MSELoss(reduction="sum"), nn.L1Loss(reduction="none")]:
    print(loss_fn)
    out = loss_fn(pred, target)
    print(out)

loss = F.mse_loss(pred, target)
loss.backward()
print(pred.grad)
print(F.smooth_l1_loss(pred, target, beta=0.5))
print(F.l1_loss(pred, target, reduction="sum"))
