import torch
from torch import nn


class SeqClassifier(nn.Module):
    def __init__(self, vocab, emb, hidden, classes):
        super().__init__()
        self.embed = nn.Embedding(vocab, emb)
        self.lstm = nn.LSTM(emb, hidden, batch_first=True)
        self.head = nn.Linear(hidden, classes)

    def forward(self, tokens):
        e = self.embed(tokens)
        _, (h, _) = self.lstm(e)
        return self.head(h[-1])


torch.manual_seed(0)
model = SeqClassifier(vocab=20, emb=8, hidden=16, classes=3)
print(model)
tokens = torch.randint(0, 20, (6, 7))
labels = torch.randint(0, 3, (6,))
print(tokens)
print(labels)
opt = torch.optim.Adam(model.parameters(), lr=0.01)
for step in range(8):
    opt.zero_grad()
    loss = nn.functional.cross_entropy(model(tokens), labels)
    loss.backward()
    opt.step()
    print(f"step {step} loss {loss.item():.4f}")
with torch.no_grad():
    print(model(tokens).argmax(-1))
