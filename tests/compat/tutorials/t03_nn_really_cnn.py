# "What is torch.nn really?" part 3: CNN with Lambda/view, then nn.Sequential with AdaptiveAvgPool2d.
import torch
from torch import nn, optim
import torch.nn.functional as F
from torch.utils.data import TensorDataset, DataLoader

torch.manual_seed(2)
x_train = torch.randn(96, 784)
y_train = torch.randint(0, 10, (96,))
x_valid = torch.randn(32, 784)
y_valid = torch.randint(0, 10, (32,))
loss_func = F.cross_entropy


class Mnist_CNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, kernel_size=3, stride=2, padding=1)
        self.conv2 = nn.Conv2d(16, 16, kernel_size=3, stride=2, padding=1)
        self.conv3 = nn.Conv2d(16, 10, kernel_size=3, stride=2, padding=1)

    def forward(self, xb):
        xb = xb.view(-1, 1, 28, 28)
        xb = F.relu(self.conv1(xb))
        xb = F.relu(self.conv2(xb))
        xb = F.relu(self.conv3(xb))
        xb = F.avg_pool2d(xb, 4)
        return xb.view(-1, xb.size(1))


model = Mnist_CNN()
print(model)
out = model(x_train[:8])
print(out.shape, out.grad_fn)
opt = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)


def fit(epochs, model, opt, train_dl, valid_dl):
    for epoch in range(epochs):
        model.train()
        for xb, yb in train_dl:
            loss = loss_func(model(xb), yb)
            loss.backward()
            opt.step()
            opt.zero_grad()
        model.eval()
        with torch.no_grad():
            tot = sum(loss_func(model(xb), yb).item() * len(xb) for xb, yb in valid_dl)
        print(f"epoch {epoch} valid loss {tot / len(valid_dl.dataset):.4f}")


train_dl = DataLoader(TensorDataset(x_train, y_train), batch_size=32, shuffle=True)
valid_dl = DataLoader(TensorDataset(x_valid, y_valid), batch_size=64)
fit(2, model, opt, train_dl, valid_dl)


class Lambda(nn.Module):
    def __init__(self, func):
        super().__init__()
        self.func = func

    def forward(self, x):
        return self.func(x)


def preprocess(x):
    return x.view(-1, 1, 28, 28)


model = nn.Sequential(
    Lambda(preprocess),
    nn.Conv2d(1, 16, kernel_size=3, stride=2, padding=1),
    nn.ReLU(),
    nn.Conv2d(16, 16, kernel_size=3, stride=2, padding=1),
    nn.ReLU(),
    nn.Conv2d(16, 10, kernel_size=3, stride=2, padding=1),
    nn.ReLU(),
    nn.AdaptiveAvgPool2d(1),
    Lambda(lambda x: x.view(x.size(0), -1)),
)
print(model)
opt = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
fit(2, model, opt, train_dl, valid_dl)


class WrappedDataLoader:
    def __init__(self, dl, func):
        self.dl = dl
        self.func = func

    def __len__(self):
        return len(self.dl)

    def __iter__(self):
        for b in self.dl:
            yield self.func(*b)


wrapped = WrappedDataLoader(valid_dl, lambda x, y: (x.view(-1, 1, 28, 28), y))
for xb, yb in wrapped:
    print(xb.shape, yb.shape, len(wrapped))
print(sum(p.numel() for p in model.parameters()))
print(model[1].weight.shape, model[1].bias[:4].detach().round(decimals=3))
