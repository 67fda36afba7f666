# "What is torch.nn really?" part 1: logistic regression from scratch, then refactored with torch.nn.functional.
import math
import torch
import torch.nn.functional as F

torch.manual_seed(0)
n, d, c = 256, 784, 10
x_train = torch.randn(n, d)
true_w = torch.randn(d, c) * 0.05
y_train = (x_train @ true_w).argmax(dim=1)
x_valid = torch.randn(64, d)
y_valid = (x_valid @ true_w).argmax(dim=1)
print(x_train.shape, y_train.shape, y_train.min(), y_train.max())

# Xavier-style initialisation done by hand
weights = torch.randn(784, 10) / math.sqrt(784)
weights.requires_grad_()
bias = torch.zeros(10, requires_grad=True)
print(weights.requires_grad, bias.requires_grad, weights.is_leaf)


def log_softmax(x):
    return x - x.exp().sum(-1).log().unsqueeze(-1)


def model(xb):
    return log_softmax(xb @ weights + bias)


bs = 64
xb = x_train[0:bs]
preds = model(xb)
print(preds[0].shape, preds.shape)
print(preds.grad_fn is not None, type(preds.grad_fn).__name__)


def nll(input, target):
    return -input[range(target.shape[0]), target].mean()


loss_func = nll
yb = y_train[0:bs]
print(f"initial loss {loss_func(preds, yb).item():.4f}")


def accuracy(out, yb):
    preds = torch.argmax(out, dim=1)
    return (preds == yb).float().mean()


print(f"initial accuracy {accuracy(preds, yb).item():.4f}")

lr = 0.5
epochs = 3
for epoch in range(epochs):
    for i in range((n - 1) // bs + 1):
        start_i = i * bs
        end_i = start_i + bs
        xb = x_train[start_i:end_i]
        yb = y_train[start_i:end_i]
        pred = model(xb)
        loss = loss_func(pred, yb)
        loss.backward()
        with torch.no_grad():
            weights -= weights.grad * lr
            bias -= bias.grad * lr
            weights.grad.zero_()
            bias.grad.zero_()
    print(f"epoch {epoch} loss {loss.item():.4f} acc {accuracy(model(xb), yb).item():.4f}")

print(f"after manual training: {loss_func(model(xb), yb).item():.4f} {accuracy(model(xb), yb).item():.4f}")

# Refactor with F.cross_entropy: log_softmax + nll in one call.
loss_func = F.cross_entropy


def model2(xb):
    return xb @ weights + bias


print(f"cross_entropy {loss_func(model2(xb), yb).item():.4f} {accuracy(model2(xb), yb).item():.4f}")
print(f"valid acc {accuracy(model2(x_valid), y_valid).item():.4f}")
print(bias.detach().round(decimals=3))
print(weights.grad.abs().sum())
