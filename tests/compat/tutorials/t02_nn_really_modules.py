# "What is torch.nn really?" part 2: nn.Module, nn.Linear, optim, Dataset, DataLoader, validation.
import math
import torch
from torch import nn, optim
import torch.nn.functional as F
from torch.utils.data import TensorDataset, DataLoader

torch.manual_seed(1)
n, d = 320, 784
x_train = torch.randn(n, d)
proj = torch.randn(d, 10) * 0.05
y_train = (x_train @ proj).argmax(1)
x_valid = torch.randn(96, d)
y_valid = (x_valid @ proj).argmax(1)
loss_func = F.cross_entropy
bs = 64


def accuracy(out, yb):
    return (torch.argmax(out, dim=1) == yb).float().mean()


class Mnist_Logistic(nn.Module):
    def __init__(self):
        super().__init__()
        self.weights = nn.Parameter(torch.randn(784, 10) / math.sqrt(784))
        self.bias = nn.Parameter(torch.zeros(10))

    def forward(self, xb):
        return xb @ self.weights + self.bias


model = Mnist_Logistic()
print(model)
print([p.shape for p in model.parameters()])
print(f"{loss_func(model(x_train[:bs]), y_train[:bs]).item():.4f}")


def fit_manual(model, epochs, lr=0.5):
    for epoch in range(epochs):
        for i in range((n - 1) // bs + 1):
            xb = x_train[i * bs:(i + 1) * bs]
            yb = y_train[i * bs:(i + 1) * bs]
            loss = loss_func(model(xb), yb)
            loss.backward()
            with torch.no_grad():
                for p in model.parameters():
                    p -= p.grad * lr
                model.zero_grad()
    return loss


print(f"manual fit {fit_manual(model, 2).item():.4f}")


class Mnist_Logistic2(nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(784, 10)

    def forward(self, xb):
        return self.lin(xb)


def get_model():
    model = Mnist_Logistic2()
    return model, optim.SGD(model.parameters(), lr=0.5)


model, opt = get_model()
print(model)
print(opt)
print(f"{loss_func(model(x_train[:bs]), y_train[:bs]).item():.4f}")

train_ds = TensorDataset(x_train, y_train)
valid_ds = TensorDataset(x_valid, y_valid)
print(len(train_ds), train_ds[0][0].shape, train_ds[0][1])


def get_data(train_ds, valid_ds, bs):
    return (DataLoader(train_ds, batch_size=bs, shuffle=True),
            DataLoader(valid_ds, batch_size=bs * 2))


def loss_batch(model, loss_func, xb, yb, opt=None):
    loss = loss_func(model(xb), yb)
    if opt is not None:
        loss.backward()
        opt.step()
        opt.zero_grad()
    return loss.item(), len(xb)


def fit(epochs, model, loss_func, opt, train_dl, valid_dl):
    for epoch in range(epochs):
        model.train()
        for xb, yb in train_dl:
            loss_batch(model, loss_func, xb, yb, opt)
        model.eval()
        with torch.no_grad():
            losses, nums = zip(*[loss_batch(model, loss_func, xb, yb) for xb, yb in valid_dl])
        val_loss = sum(l * k for l, k in zip(losses, nums)) / sum(nums)
        print(epoch, f"{val_loss:.4f}", nums)


train_dl, valid_dl = get_data(train_ds, valid_ds, bs)
print(len(train_dl), len(valid_dl))
fit(3, model, loss_func, opt, train_dl, valid_dl)
with torch.no_grad():
    print(f"valid acc {accuracy(model(x_valid), y_valid).item():.4f}")
print(model.lin.bias.data.round(decimals=3))
