import math
import torch
import torch.nn as nn

torch.manual_seed(0)
w = torch.empty(3, 5)
nn.init.xavier_uniform_(w)
print(w)
nn.init.xavier_normal_(w, gain=nn.init.calculate_gain("tanh"))
print(w)
nn.init.kaiming_uniform_(w, a=math.sqrt(5))
print(w)
nn.init.kaiming_normal_(w, mode="fan_out", nonlinearity="relu")
print(w)
nn.init.normal_(w, mean=0.0, std=0.02)
print(w)
nn.init.uniform_(w, -0.1, 0.1)
print(w)
nn.init.constant_(w, 0.3)
print(w)
nn.init.zeros_(w)
nn.init.ones_(w)
print(w.sum())
nn.init.trunc_normal_(w, std=0.5)
print(w.abs().max() <= 2.0)
print(nn.init.calculate_gain("relu"), nn.init.calculate_gain("leaky_relu", 0.2))
eye = torch.empty(3, 3)
nn.init.eye_(eye)
print(eye)


def init_weights(m):
    if isinstance(m, nn.Linear):
        nn.init.xavier_uniform_(m.weight)
        m.bias.data.fill_(0.01)


model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
model.apply(init_weights)
print(model[0].weight)
print(model[2].bias)
