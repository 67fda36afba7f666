import torch
import torch.nn as nn


class Forecaster(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(input_size=1, hidden_size=8, batch_first=True)
        self.fc = nn.Linear(8, 1)

    def forward(self, x):
        out, _ = self.gru(x)
        return self.fc(out[:, -1, :])


torch.manual_seed(0)
t = torch.linspace(0, 6.28, 40)
series = torch.sin(t)
windows = torch.stack([series[i:i + 10] for i in range(30)]).unsqueeze(-1)
targets = torch.stack([series[i + 10] for i in range(30)]).unsqueeze(-1)
print(windows.shape, targets.shape)
model = Forecaster()
opt = torch.optim.RMSprop(model.parameters(), lr=0.01)
for epoch in range(10):
    opt.zero_grad()
    loss = nn.functional.mse_loss(model(windows), targets)
    loss.backward()
    opt.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
print(model.gru.weight_hh_l0.shape)
