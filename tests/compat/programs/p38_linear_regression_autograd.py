import torch

torch.manual_seed(42)
n = 100
x = torch.rand(n, 3)
true_w = torch.tensor([[2.0], [-3.4], [1.5]])
y = x @ true_w + 4.2 + 0.01 * torch.randn(n, 1)
w = torch.normal(0, 0.01, size=(3, 1), requires_grad=True)
b = torch.zeros(1, requires_grad=True)


def model(X):
    return X @ w + b


def loss_fn(yhat, y):
    return ((yhat - y) ** 2 / 2).mean()


for epoch in range(5):
    for i in range(0, n, 10):
        xb, yb = x[i:i + 10], y[i:i + 10]
        loss = loss_fn(model(xb), yb)
        loss.backward()
        with torch.no_grad():
            for p in (w, b):
                p -= 0.5 * p.grad
                p.grad.zero_()
    with torch.no_grad():
        print(f"epoch {epoch + 1}, loss {loss_fn(model(x), y):f}")
print(w.detach().squeeze().tolist() == w.detach().squeeze().tolist())
print(f"error in w: {(true_w - w).reshape(-1).detach()}")
print(f"error in b: {4.2 - b.item():.4f}")
