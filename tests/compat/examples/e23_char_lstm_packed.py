# A character-level name classifier: variable-length sequences padded with pad_sequence, packed with
# pack_padded_sequence (enforce_sorted False), an LSTM and a GRU over the packed batch, pad_packed_sequence back.
import string
import torch
import torch.nn as nn
from torch.nn.utils.rnn import pad_sequence, pack_padded_sequence, pad_packed_sequence, pack_sequence

torch.manual_seed(0)
all_letters = string.ascii_letters + " .,;'"
n_letters = len(all_letters)
names = ["Albert", "Bo", "Chandra", "Dmitri", "Eve", "Fujimoto"]
labels = torch.tensor([0, 1, 2, 3, 0, 4])

def line_to_indices(line):
    return torch.tensor([all_letters.find(ch) for ch in line])

seqs = [line_to_indices(n) for n in names]
lengths = torch.tensor([len(s) for s in seqs])
padded = pad_sequence(seqs, batch_first=True, padding_value=0)
print(padded.shape, lengths)
print(padded)


class NameClassifier(nn.Module):
    def __init__(self, vocab, emb, hidden, n_classes):
        super().__init__()
        self.embedding = nn.Embedding(vocab, emb, padding_idx=0)
        self.lstm = nn.LSTM(emb, hidden, batch_first=True, bidirectional=True)
        self.fc = nn.Linear(2 * hidden, n_classes)

    def forward(self, x, lengths):
        emb = self.embedding(x)
        packed = pack_padded_sequence(emb, lengths, batch_first=True, enforce_sorted=False)
        out, (h, c) = self.lstm(packed)
        unpacked, out_lens = pad_packed_sequence(out, batch_first=True)
        hcat = torch.cat([h[-2], h[-1]], dim=1)
        return self.fc(hcat), unpacked, out_lens


model = NameClassifier(n_letters, 8, 16, 5)
print(model)
logits, unpacked, out_lens = model(padded, lengths)
print(logits.shape, unpacked.shape, out_lens)
print(unpacked[1, 2:].abs().sum())
opt = torch.optim.Adam(model.parameters(), lr=0.01)
crit = nn.CrossEntropyLoss()
for step in range(30):
    opt.zero_grad()
    logits, _, _ = model(padded, lengths)
    loss = crit(logits, labels)
    loss.backward()
    opt.step()
    if step % 10 == 0:
        print(step, round(loss.item(), 4))
print(logits.argmax(1))
packed = pack_sequence([torch.randn(4, 3), torch.randn(2, 3), torch.randn(1, 3)])
print(packed.batch_sizes, packed.data.shape, packed.sorted_indices)
gru = nn.GRU(3, 5, num_layers=2)
out, h = gru(packed)
print(type(out).__name__, out.data.shape, h.shape)
pad, lens = pad_packed_sequence(out, total_length=6)
print(pad.shape, lens)
rnn = nn.RNN(3, 4, nonlinearity="relu", batch_first=True)
o, hn = rnn(torch.randn(2, 5, 3))
print(o.shape, hn.shape)
cell = nn.LSTMCell(3, 6)
hx, cx = torch.zeros(2, 6), torch.zeros(2, 6)
for t in range(3):
    hx, cx = cell(torch.randn(2, 3), (hx, cx))
print(hx.shape, cx.grad_fn is not None)
try:
    pack_padded_sequence(torch.randn(3, 4, 2), torch.tensor([2, 4, 1]), batch_first=True)
except RuntimeError as e:
    print("RuntimeError:", str(e)[:60])
