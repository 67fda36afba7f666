import torch

torch.manual_seed(0)
N, D = 64, 3
X = torch.randn(N, D)
true_w = torch.tensor([1.5, -2.0, 0.7])
logits = X @ true_w
y = (torch.sigmoid(logits) > torch.rand(N)).float()
w = torch.zeros(D, requires_grad=True)
b = torch.zeros(1, requires_grad=True)
for it in range(101):
    p = torch.sigmoid(X @ w + b)
    loss = -(y * torch.log(p + 1e-9) + (1 - y) * torch.log(1 - p + 1e-9)).mean()
    loss.backward()
    with torch.no_grad():
        w.sub_(0.5 * w.grad)
        b.sub_(0.5 * b.grad)
    w.grad.zero_()
    b.grad.zero_()
    if it % 25 == 0:
        acc = ((p > 0.5).float() == y).float().mean()
        print(f"iter {it:3d}  loss {loss.item():.4f}  acc {acc.item():.3f}")
print("w:", [round(v, 3) for v in w.tolist()], "b:", round(b.item(), 3))
