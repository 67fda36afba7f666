import torch

x = torch.tensor(3.0)
w = torch.tensor(2.0, requires_grad=True)
b = torch.tensor(1.0, requires_grad=True)
y = w * x + b
y.backward()
print("dy/dw:", w.grad)
print("dy/db:", b.grad)
print(y, y.item(), y.grad_fn)
torch.manual_seed(42)
X = torch.randn(10, 5)
Y = torch.randn(10, 1)
W1 = torch.randn(5, 3, requires_grad=True)
W2 = torch.randn(3, 1, requires_grad=True)
for epoch in range(3):
    h = torch.relu(X @ W1)
    out = h @ W2
    loss = ((out - Y) ** 2).mean()
    loss.backward()
    with torch.no_grad():
        for p in (W1, W2):
            p -= 0.01 * p.grad
            p.grad.zero_()
    print(f"Epoch {epoch + 1}, Loss: {loss.item():.4f}")
print(W1.grad, W2.grad.shape)
print(f"{W2.detach().squeeze()}")
