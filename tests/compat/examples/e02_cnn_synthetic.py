# A small CNN on synthetic images, like pytorch/examples mnist/main.py cut down: Conv2d, BatchNorm2d, MaxPool2d,
# Dropout2d, log_softmax + nll_loss, CrossEntropyLoss(label_smoothing), StepLR, test loop with argmax accuracy.
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
from torch.optim.lr_scheduler import StepLR
from torch.utils.data import DataLoader, TensorDataset, random_split

torch.manual_seed(1)

N = 96
labels = torch.randint(0, 4, (N,))
images = torch.randn(N, 1, 12, 12) * 0.5
for i in range(N):  # draw a bright bar whose position is the class
    c = labels[i].item()
    images[i, 0, 2 + 2 * c:4 + 2 * c, :] += 2.0
print(images.shape, labels[:10], labels.bincount())

dataset = TensorDataset(images, labels)
train_set, test_set = random_split(dataset, [0.75, 0.25], generator=torch.Generator().manual_seed(42))
print(len(train_set), len(test_set), test_set.indices[:8])
train_loader = DataLoader(train_set, batch_size=16, shuffle=True, generator=torch.Generator().manual_seed(0))
test_loader = DataLoader(test_set, batch_size=32)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 8, 3, 1, padding=1)
        self.bn1 = nn.BatchNorm2d(8)
        self.conv2 = nn.Conv2d(8, 16, 3, 1)
        self.dropout1 = nn.Dropout2d(0.25)
        self.dropout2 = nn.Dropout(0.5)
        self.fc1 = nn.Linear(16 * 4 * 4, 32)
        self.fc2 = nn.Linear(32, 4)

    def forward(self, x):
        x = self.conv1(x)
        x = F.relu(self.bn1(x))
        x = F.max_pool2d(x, 2)
        x = self.conv2(x)
        x = F.relu(x)
        x = self.dropout1(x)
        x = torch.flatten(x, 1)
        x = self.fc1(x)
        x = F.relu(x)
        x = self.dropout2(x)
        x = self.fc2(x)
        output = F.log_softmax(x, dim=1)
        return output


model = Net()
print(model)
print(sum(p.numel() for p in model.parameters() if p.requires_grad))
for name, module in model.named_modules():
    if isinstance(module, (nn.Conv2d, nn.Linear)):
        print(name, tuple(module.weight.shape), module.weight.std().item() > 0)
x0 = images[:2]
print(model.conv1(x0).shape, F.max_pool2d(model.conv1(x0), 2).shape)

optimizer = optim.Adadelta(model.parameters(), lr=1.0)
scheduler = StepLR(optimizer, step_size=1, gamma=0.7)
print(optimizer)


def train(model, train_loader, optimizer, epoch):
    model.train()
    for batch_idx, (data, target) in enumerate(train_loader):
        optimizer.zero_grad()
        output = model(data)
        loss = F.nll_loss(output, target)
        loss.backward()
        optimizer.step()
        if batch_idx % 2 == 0:
            print("Train Epoch: {} [{}/{} ({:.0f}%)]\tLoss: {:.6f}".format(
                epoch, batch_idx * len(data), len(train_loader.dataset),
                100. * batch_idx / len(train_loader), loss.item()))


def test(model, test_loader):
    model.eval()
    test_loss = 0
    correct = 0
    with torch.no_grad():
        for data, target in test_loader:
            output = model(data)
            test_loss += F.nll_loss(output, target, reduction="sum").item()
            pred = output.argmax(dim=1, keepdim=True)
            correct += pred.eq(target.view_as(pred)).sum().item()
    test_loss /= len(test_loader.dataset)
    print("\nTest set: Average loss: {:.4f}, Accuracy: {}/{} ({:.0f}%)\n".format(
        test_loss, correct, len(test_loader.dataset), 100. * correct / len(test_loader.dataset)))


for epoch in range(1, 4):
    train(model, train_loader, optimizer, epoch)
    test(model, test_loader)
    scheduler.step()
    print("lr now", scheduler.get_last_lr())

print(model.bn1.running_mean)
print(model.bn1.running_var)
print(model.bn1.num_batches_tracked)

criterion = nn.CrossEntropyLoss(label_smoothing=0.1)
with torch.no_grad():
    logits = model.fc2(F.relu(model.fc1(torch.flatten(F.relu(model.conv2(F.max_pool2d(
        F.relu(model.bn1(model.conv1(images[:8]))), 2))), 1))))
print(logits)
print(criterion(logits, labels[:8]))
print(nn.CrossEntropyLoss()(logits, labels[:8]))
print(F.cross_entropy(logits, labels[:8], label_smoothing=0.2, reduction="none"))
w = torch.tensor([1.0, 2.0, 0.5, 1.0])
print(F.cross_entropy(logits, labels[:8], weight=w, label_smoothing=0.1))
probs = F.softmax(logits, dim=1)
print(F.cross_entropy(logits, probs))  # soft targets
conf, pred = probs.max(1)
print(conf, pred)
cm = torch.zeros(4, 4, dtype=torch.int64)
for t, p in zip(labels[:8], pred):
    cm[t, p] += 1
print(cm)
