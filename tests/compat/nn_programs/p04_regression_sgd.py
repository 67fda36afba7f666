import torch
import torch.nn as nn

torch.manual_seed(42)
X = torch.linspace(-1, 1, 20).unsqueeze(1)
y = 3 * X + 0.5 + 0.1 * torch.randn(20, 1)

model = nn.Linear(1, 1)
criterion = nn.MSELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
print(optimizer)

for epoch in range(30):
    optimizer.zero_grad()
    pred = model(X)
    loss = criterion(pred, y)
    loss.backward()
    optimizer.step()
    if epoch % 5 == 0:
        print(f"Epoch {epoch:3d} | loss {loss.item():.4f}")

w, b = model.weight.item(), model.bias.item()
print(f"w = {w:.4f}, b = {b:.4f}")
print(model.weight.grad)
print(model.bias.grad)
