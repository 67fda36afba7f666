import torch
import torch.nn as nn
import torch.nn.functional as F


class SmallCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 4, kernel_size=3, padding=1)
        self.pool = nn.MaxPool2d(2, 2)
        self.conv2 = nn.Conv2d(4, 8, 3)
        self.flatten = nn.Flatten()
        self.fc = nn.Linear(8 * 2 * 2, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        print("after conv1/pool:", x.shape)
        x = self.pool(F.relu(self.conv2(x)))
        print("after conv2/pool:", x.shape)
        x = self.flatten(x)
        print("flattened:", x.shape)
        return self.fc(x)


torch.manual_seed(0)
net = SmallCNN()
print(net)
x = torch.randn(2, 1, 12, 12)
out = net(x)
print(out.shape)
print(out.grad_fn)
print(net.conv1.weight.shape, net.conv1.bias.shape)
print(sum(p.numel() for p in net.parameters()))
print(nn.Conv2d(3, 16, kernel_size=(3, 5), stride=2, padding=(1, 2), bias=False))
print(nn.Conv2d(3, 6, 3, dilation=2, groups=3, padding_mode="zeros"))
print(nn.MaxPool2d(kernel_size=3, stride=1, padding=1))
print(nn.AvgPool2d(2), nn.AdaptiveAvgPool2d((1, 1)))
