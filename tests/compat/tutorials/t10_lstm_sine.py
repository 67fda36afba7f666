# LSTM time-series regression on a sine wave (the classic "time sequence prediction" example).
import numpy as np
import torch
import torch.nn as nn
import torch.optim as optim

np.random.seed(2)
T, L, N = 20, 60, 12
x = np.empty((N, L), np.int64)
x[:] = np.array(range(L)) + np.random.randint(-4 * T, 4 * T, N).reshape(N, 1)
data = np.sin(x / 1.0 / T).astype('float64')
print(data.shape, data.dtype)


class Sequence(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm1 = nn.LSTMCell(1, 16)
        self.lstm2 = nn.LSTMCell(16, 16)
        self.linear = nn.Linear(16, 1)

    def forward(self, input, future=0):
        outputs = []
        h_t = torch.zeros(input.size(0), 16, dtype=torch.double)
        c_t = torch.zeros(input.size(0), 16, dtype=torch.double)
        h_t2 = torch.zeros(input.size(0), 16, dtype=torch.double)
        c_t2 = torch.zeros(input.size(0), 16, dtype=torch.double)
        for input_t in input.split(1, dim=1):
            h_t, c_t = self.lstm1(input_t, (h_t, c_t))
            h_t2, c_t2 = self.lstm2(h_t, (h_t2, c_t2))
            output = self.linear(h_t2)
            outputs += [output]
        for i in range(future):
            h_t, c_t = self.lstm1(output, (h_t, c_t))
            h_t2, c_t2 = self.lstm2(h_t, (h_t2, c_t2))
            output = self.linear(h_t2)
            outputs += [output]
        return torch.cat(outputs, dim=1)


torch.manual_seed(0)
input = torch.from_numpy(data[3:, :-1])
target = torch.from_numpy(data[3:, 1:])
test_input = torch.from_numpy(data[:3, :-1])
test_target = torch.from_numpy(data[:3, 1:])
seq = Sequence()
seq.double()
print(seq)
criterion = nn.MSELoss()
optimizer = optim.Adam(seq.parameters(), lr=0.02)
for i in range(15):
    optimizer.zero_grad()
    out = seq(input)
    loss = criterion(out, target)
    loss.backward()
    optimizer.step()
    if i % 3 == 0:
        print('STEP: ', i, 'loss:', f"{loss.item():.8f}")
with torch.no_grad():
    future = 10
    pred = seq(test_input, future=future)
    loss = criterion(pred[:, :-future], test_target)
    print('test loss:', f"{loss.item():.8f}")
    y = pred.detach().numpy()
print(y.shape, np.round(y[0, -5:], 4))

# nn.LSTM batch_first version with a sliding-window dataset
torch.manual_seed(1)
series = torch.sin(torch.arange(0, 120, dtype=torch.float32) * 0.1)
window = 10
X = torch.stack([series[i:i + window] for i in range(len(series) - window)]).unsqueeze(-1)
Y = series[window:].unsqueeze(-1)
print(X.shape, Y.shape)


class LSTMRegressor(nn.Module):
    def __init__(self, hidden=16, layers=2):
        super().__init__()
        self.lstm = nn.LSTM(1, hidden, num_layers=layers, batch_first=True)
        self.head = nn.Linear(hidden, 1)

    def forward(self, x):
        out, (h, c) = self.lstm(x)
        return self.head(out[:, -1, :])


model = LSTMRegressor()
print(model)
opt = optim.Adam(model.parameters(), lr=0.01)
for epoch in range(40):
    opt.zero_grad()
    loss = nn.functional.mse_loss(model(X), Y)
    loss.backward()
    opt.step()
    if epoch % 10 == 9:
        print(f"epoch {epoch + 1}: mse {loss.item():.5f}")
model.eval()
with torch.no_grad():
    print(model(X[:3]).squeeze(-1).round(decimals=3), Y[:3].squeeze(-1).round(decimals=3))
print(sum(p.numel() for p in model.parameters() if p.requires_grad))
