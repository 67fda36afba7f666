# A CIFAR-style CNN on synthetic images: Conv2d/BatchNorm2d/ReLU/MaxPool2d/Dropout, SGD with momentum and
# nesterov, StepLR then a MultiStepLR, ReduceLROnPlateau, running stats after training, eval-mode outputs.
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim

torch.manual_seed(0)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(8)
        self.conv2 = nn.Conv2d(8, 16, 3, padding=1)
        self.bn2 = nn.BatchNorm2d(16)
        self.pool = nn.MaxPool2d(2, 2)
        self.dropout = nn.Dropout(0.25)
        self.fc1 = nn.Linear(16 * 4 * 4, 32)
        self.fc2 = nn.Linear(32, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.bn1(self.conv1(x))))
        x = self.pool(F.relu(self.bn2(self.conv2(x))))
        x = torch.flatten(x, 1)
        x = self.dropout(F.relu(self.fc1(x)))
        return F.log_softmax(self.fc2(x), dim=1)


net = Net()
print(net)
print(sum(p.numel() for p in net.parameters() if p.requires_grad))
images = torch.randn(64, 3, 16, 16)
labels = torch.randint(0, 10, (64,))
optimizer = optim.SGD(net.parameters(), lr=0.05, momentum=0.9, nesterov=True, weight_decay=5e-4)
scheduler = optim.lr_scheduler.StepLR(optimizer, step_size=2, gamma=0.5)
for epoch in range(5):
    net.train()
    running = 0.0
    for i in range(0, 64, 16):
        optimizer.zero_grad()
        out = net(images[i:i + 16])
        loss = F.nll_loss(out, labels[i:i + 16])
        loss.backward()
        optimizer.step()
        running += loss.item()
    scheduler.step()
    print(f"[{epoch + 1}] loss: {running / 4:.3f} lr: {scheduler.get_last_lr()[0]:.4f}")
print(net.bn1.running_mean[:4])
print(net.bn1.running_var[:4])
print(net.bn1.num_batches_tracked)
net.eval()
with torch.no_grad():
    out = net(images[:4])
    print(out.exp().sum(1))
    _, predicted = torch.max(out, 1)
    print(predicted)
    correct = (net(images).argmax(1) == labels).sum().item()
print(f"Accuracy: {100 * correct // 64} %")
opt2 = optim.SGD([torch.zeros(1, requires_grad=True)], lr=1.0)
ms = optim.lr_scheduler.MultiStepLR(opt2, milestones=[2, 4], gamma=0.1)
lrs = []
for _ in range(6):
    opt2.step()
    ms.step()
    lrs.append(round(opt2.param_groups[0]["lr"], 6))
print(lrs)
plateau = optim.lr_scheduler.ReduceLROnPlateau(opt2, mode="min", factor=0.5, patience=1)
for v in [1.0, 0.9, 0.95, 0.96, 0.97, 0.5]:
    plateau.step(v)
    print(opt2.param_groups[0]["lr"], end=" ")
print()
print(scheduler.state_dict())
bn = nn.BatchNorm1d(4, affine=False, momentum=None)
for _ in range(3):
    bn(torch.randn(8, 4))
print(bn.running_mean, bn.num_batches_tracked)
print(F.max_pool2d(torch.arange(16.).view(1, 1, 4, 4), 2, return_indices=True))
print(F.avg_pool2d(torch.arange(16.).view(1, 1, 4, 4), 3, stride=1, padding=1, count_include_pad=False))
