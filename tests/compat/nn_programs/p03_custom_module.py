import torch
import torch.nn as nn
import torch.nn.functional as F


class Net(nn.Module):
    def __init__(self, in_features, hidden, out_features):
        super().__init__()
        self.fc1 = nn.Linear(in_features, hidden)
        self.fc2 = nn.Linear(hidden, hidden)
        self.out = nn.Linear(hidden, out_features)
        self.dropout = nn.Dropout(p=0.25)

    def forward(self, x):
        x = F.relu(self.fc1(x))
        x = self.dropout(x)
        x = F.relu(self.fc2(x))
        return self.out(x)


torch.manual_seed(0)
net = Net(6, 10, 2)
print(net)
net.eval()
x = torch.randn(3, 6)
print(net(x))
print(net.training, net.fc1.training)
net.train()
print(net.training, net.dropout.training)

print([name for name, _ in net.named_children()])
print([name for name, _ in net.named_modules()])
for name, module in net.named_modules():
    print(repr(name), type(module).__name__)

sd = net.state_dict()
print(list(sd.keys()))
print(sd["fc1.bias"])
print(type(sd).__name__)
