import torch

torch.manual_seed(2021)
x = torch.linspace(-3, 3, 64).unsqueeze(1)
y = torch.sin(x) + 0.1 * torch.randn_like(x)
W1 = (torch.randn(1, 16) * 0.5).requires_grad_()
b1 = torch.zeros(16, requires_grad=True)
W2 = (torch.randn(16, 1) * 0.5).requires_grad_()
b2 = torch.zeros(1, requires_grad=True)
params = [W1, b1, W2, b2]
velocity = [torch.zeros_like(p) for p in params]
for step in range(200):
    h = torch.tanh(x @ W1 + b1)
    pred = h @ W2 + b2
    loss = ((pred - y) ** 2).mean()
    for p in params:
        p.grad = None
    loss.backward()
    with torch.no_grad():
        for p, v in zip(params, velocity):
            v.mul_(0.9).add_(p.grad)
            p.sub_(0.05 * v)
    if step % 50 == 0:
        print(f"step {step} loss {loss.item():.4f}")
print(f"final {loss.item():.4f}")
print(pred[:3].detach())
