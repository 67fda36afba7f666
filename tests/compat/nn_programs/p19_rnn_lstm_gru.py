import torch
import torch.nn as nn

torch.manual_seed(0)
rnn = nn.RNN(input_size=3, hidden_size=4, num_layers=1, batch_first=True)
lstm = nn.LSTM(3, 4, num_layers=2, batch_first=True)
gru = nn.GRU(3, 4, bidirectional=True)
print(rnn)
print(lstm)
print(gru)
for name, p in lstm.named_parameters():
    print(name, tuple(p.shape))

x = torch.randn(2, 5, 3)
out, h = rnn(x)
print(out.shape, h.shape)
print(h)
out, (h, c) = lstm(x)
print(out.shape, h.shape, c.shape)
print(out[:, -1])
print(c[-1])
out, h = gru(x.transpose(0, 1))
print(out.shape, h.shape)
print(out[-1])
print(out.grad_fn is not None)
