# A variable-length sequence classifier as blog posts write it: pad_sequence, pack_padded_sequence with
# enforce_sorted=False, a bidirectional 2-layer LSTM, pad_packed_sequence, the final hidden states of both
# directions, masked mean pooling, gradient accumulation, ReduceLROnPlateau.
import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence, pad_sequence, pack_sequence

torch.manual_seed(3)

vocab, PAD = 12, 0
seqs = [torch.randint(1, vocab, (n,)) for n in (5, 2, 7, 3, 4, 6)]
labels = torch.tensor([s.sum().item() % 2 for s in seqs])
lengths = torch.tensor([len(s) for s in seqs])
print(lengths, labels)
padded = pad_sequence(seqs, batch_first=True, padding_value=PAD)
print(padded)
print(pad_sequence(seqs[:3]).shape)

packed = pack_padded_sequence(padded, lengths, batch_first=True, enforce_sorted=False)
print(type(packed).__name__)
print(packed.data)
print(packed.batch_sizes)
print(packed.sorted_indices, packed.unsorted_indices)
un, un_len = pad_packed_sequence(packed, batch_first=True)
print(torch.equal(un, padded), un_len)
ps = pack_sequence([torch.tensor([1, 2, 3]), torch.tensor([4, 5]), torch.tensor([6])])
print(ps)


class Classifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(vocab, 6, padding_idx=PAD)
        self.lstm = nn.LSTM(6, 5, num_layers=2, batch_first=True, bidirectional=True, dropout=0.0)
        self.head = nn.Linear(2 * 5 + 2 * 5, 2)

    def forward(self, x, lengths):
        e = self.emb(x)
        packed = pack_padded_sequence(e, lengths.cpu(), batch_first=True, enforce_sorted=False)
        out, (h, c) = self.lstm(packed)
        out, _ = pad_packed_sequence(out, batch_first=True, total_length=x.size(1))
        mask = (torch.arange(x.size(1))[None, :] < lengths[:, None]).unsqueeze(-1)
        mean = (out * mask).sum(1) / lengths[:, None]
        last = torch.cat([h[-2], h[-1]], dim=1)
        return self.head(torch.cat([mean, last], dim=1))


model = Classifier()
print(model)
for name, p in model.lstm.named_parameters():
    print(name, tuple(p.shape))
print(model.emb.weight[PAD])

logits = model(padded, lengths)
print(logits)
e = model.emb(padded)
out, (h, c) = model.lstm(pack_padded_sequence(e, lengths, batch_first=True, enforce_sorted=False))
print(out.data.shape, h.shape, c.shape)
print(h[:, 0])
full, _ = model.lstm(e)
print(full.shape, full[1, 1])

opt = torch.optim.Adam(model.parameters(), lr=0.05)
sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, mode="min", factor=0.5, patience=1)
loss_fn = nn.CrossEntropyLoss()
accum = 2
for epoch in range(6):
    opt.zero_grad()
    total = 0.0
    for i in range(0, 6, 3):
        logits = model(padded[i:i + 3], lengths[i:i + 3])
        loss = loss_fn(logits, labels[i:i + 3]) / accum
        loss.backward()
        total += loss.item()
    gn = nn.utils.clip_grad_norm_(model.parameters(), max_norm=2.0)
    opt.step()
    sched.step(total)
    print(f"epoch {epoch} loss {total:.5f} grad-norm {gn.item():.5f} lr {opt.param_groups[0]['lr']}")
print(model.emb.weight.grad[PAD])
with torch.no_grad():
    pred = model(padded, lengths).argmax(-1)
print(pred, (pred == labels).float().mean())

gru = nn.GRU(6, 4, batch_first=True)
o, hn = gru(pack_padded_sequence(e.detach()[:3], lengths[:3], batch_first=True, enforce_sorted=False))
print(hn)
o2, l2 = pad_packed_sequence(o, batch_first=True, padding_value=-1.0)
print(o2[1], l2)
cell = nn.LSTMCell(6, 3)
hx, cx = torch.zeros(2, 3), torch.zeros(2, 3)
for t in range(3):
    hx, cx = cell(e[:2, t].detach(), (hx, cx))
print(hx, cx, sep="\n")
