import torch
import torch.nn as nn

torch.manual_seed(0)
bn = nn.BatchNorm1d(3)
print(bn)
x = torch.randn(8, 3) * 2 + 1
bn.train()
y = bn(x)
# the means are ~1e-8 rounding noise whose digits depend on the summation order
print(y.mean(0).abs().max() < 1e-6, y.std(0))
print(bn.running_mean)
print(bn.running_var)
print(bn.num_batches_tracked)
bn.eval()
print(bn(x[:2]))
print(list(bn.state_dict().keys()))

drop = nn.Dropout(0.5)
print(drop)
ones = torch.ones(2, 8)
drop.train()
print(drop(ones))
drop.eval()
print(drop(ones))

bn2 = nn.BatchNorm2d(2, momentum=0.2, affine=False)
print(bn2)
img = torch.randn(4, 2, 3, 3)
out = bn2(img)
print(out.shape, bn2.running_mean)
model = nn.Sequential(nn.Linear(3, 3), nn.BatchNorm1d(3), nn.ReLU(), nn.Dropout(0.2))
model.eval()
print([m.training for m in model])
model.train()
print([m.training for m in model])
