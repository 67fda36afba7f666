import torch
import torch.nn as nn
import torch.nn.functional as F

x = torch.linspace(-3, 3, 7)
for act in [nn.ReLU(), nn.LeakyReLU(0.1), nn.ELU(), nn.SiLU(), nn.Sigmoid(), nn.Tanh(),
            nn.Softplus(), nn.Hardtanh(), nn.ReLU6(), nn.Mish(), nn.Softmax(dim=0), nn.LogSoftmax(dim=0),
            nn.PReLU(), nn.GELU(approximate="tanh"), nn.Threshold(0.5, -1.0)]:
    print(act)
    print(act(x))
print(F.relu(x), F.softmax(x, dim=-1))
# PyTorch's float32 GELU kernel loses ~4 ulps of 1 + erf in the tails (-0.0041 at x=-3 where x*Phi(x) = -0.0040):
# ember computes it accurately, so GELU prints at 3 decimals
print(nn.GELU())
print(F.gelu(x).round(decimals=3))
print(nn.Softmax(dim=1)(torch.tensor([[1.0, 2.0, 3.0]])).sum())
y = F.leaky_relu(torch.tensor([-1.0, 2.0], requires_grad=True), 0.2)
print(y)
