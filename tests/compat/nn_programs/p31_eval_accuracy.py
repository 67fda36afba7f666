import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)
N = 200
X = torch.randn(N, 2)
y = ((X ** 2).sum(dim=1) > 1.0).long()
train = TensorDataset(X[:150], y[:150])
test = TensorDataset(X[150:], y[150:])
train_loader = DataLoader(train, batch_size=32, shuffle=True)
test_loader = DataLoader(test, batch_size=25)

model = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 2))
opt = torch.optim.Adam(model.parameters(), lr=0.02)
criterion = nn.CrossEntropyLoss()


def evaluate():
    model.eval()
    correct, total, loss_sum = 0, 0, 0.0
    with torch.no_grad():
        for xb, yb in test_loader:
            out = model(xb)
            loss_sum += criterion(out, yb).item() * len(yb)
            _, predicted = torch.max(out, 1)
            total += yb.size(0)
            correct += (predicted == yb).sum().item()
    model.train()
    return loss_sum / total, correct / total


for epoch in range(6):
    for xb, yb in train_loader:
        opt.zero_grad()
        criterion(model(xb), yb).backward()
        opt.step()
    test_loss, acc = evaluate()
    print(f"Epoch [{epoch + 1}/6], test loss: {test_loss:.4f}, accuracy: {100 * acc:.2f}%")
with torch.no_grad():
    probs = torch.softmax(model(X[:4]), dim=1)
print(probs.round(decimals=3))
print(probs.requires_grad)
