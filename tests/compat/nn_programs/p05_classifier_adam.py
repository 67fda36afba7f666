import torch
from torch import nn

torch.manual_seed(1)
n = 64
X = torch.randn(n, 2)
y = (X[:, 0] * X[:, 1] > 0).long()

model = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 2))
loss_fn = nn.CrossEntropyLoss()
opt = torch.optim.Adam(model.parameters(), lr=0.05)
print(opt)

for epoch in range(25):
    logits = model(X)
    loss = loss_fn(logits, y)
    opt.zero_grad()
    loss.backward()
    opt.step()
    if epoch % 5 == 4:
        acc = (logits.argmax(1) == y).float().mean()
        print(f"epoch {epoch + 1}: loss={loss.item():.4f} acc={acc.item():.3f}")

with torch.no_grad():
    preds = model(X).argmax(dim=1)
    correct = (preds == y).sum().item()
print(f"Accuracy: {correct}/{n} ({100 * correct / n:.1f}%)")
print(preds[:10])
print(type(correct))
