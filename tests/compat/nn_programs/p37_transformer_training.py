import torch
import torch.nn as nn


class TinyEncoder(nn.Module):
    def __init__(self, vocab=12, d=16):
        super().__init__()
        self.embed = nn.Embedding(vocab, d)
        layer = nn.TransformerEncoderLayer(d, nhead=4, dim_feedforward=32, dropout=0.0, activation="gelu",
                                           norm_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers=2, norm=nn.LayerNorm(d),
                                             enable_nested_tensor=False)
        self.head = nn.Linear(d, 2)

    def forward(self, tokens):
        h = self.encoder(self.embed(tokens))  # (seq, batch, d): batch_first=False
        return self.head(h.mean(dim=0))


torch.manual_seed(0)
model = TinyEncoder()
print(sum(p.numel() for p in model.parameters()))
print([n for n, _ in model.named_parameters()][:8])
tokens = torch.randint(0, 12, (6, 8))
labels = (tokens[0] > 5).long()
opt = torch.optim.Adam(model.parameters(), lr=0.01)
for step in range(5):
    opt.zero_grad()
    loss = nn.functional.cross_entropy(model(tokens), labels)
    loss.backward()
    opt.step()
    print(f"step {step}: loss {loss.item():.4f}")
print(model.encoder.layers[0].self_attn.in_proj_weight.grad.shape)
