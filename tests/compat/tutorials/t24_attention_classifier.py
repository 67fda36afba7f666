# Sequence classification with attention: positional encoding, nn.MultiheadAttention, masks, TransformerEncoder.
import math
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
vocab, d_model, seq_len, n_cls = 20, 16, 8, 2


class PositionalEncoding(nn.Module):
    def __init__(self, d_model, dropout=0.1, max_len=64):
        super().__init__()
        self.dropout = nn.Dropout(p=dropout)
        position = torch.arange(max_len).unsqueeze(1)
        div_term = torch.exp(torch.arange(0, d_model, 2) * (-math.log(10000.0) / d_model))
        pe = torch.zeros(max_len, 1, d_model)
        pe[:, 0, 0::2] = torch.sin(position * div_term)
        pe[:, 0, 1::2] = torch.cos(position * div_term)
        self.register_buffer('pe', pe)

    def forward(self, x):
        x = x + self.pe[:x.size(0)]
        return self.dropout(x)


pos = PositionalEncoding(d_model, dropout=0.0)
print(pos.pe.shape, pos.pe[1, 0, :4])
print(list(dict(pos.named_buffers()).keys()))

attn = nn.MultiheadAttention(d_model, num_heads=2, batch_first=True)
print(attn)
q = torch.randn(3, seq_len, d_model)
out, weights = attn(q, q, q)
print(out.shape, weights.shape, weights.sum(-1)[0, :3])
pad = torch.zeros(3, seq_len, dtype=torch.bool)
pad[:, -2:] = True
out, weights = attn(q, q, q, key_padding_mask=pad)
print(weights[0, 0].round(decimals=4))
causal = torch.triu(torch.full((4, 4), float('-inf')), diagonal=1)  # generate_square_subsequent_mask
print(causal)


class Classifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(vocab, d_model, padding_idx=0)
        self.pos = PositionalEncoding(d_model, dropout=0.1)
        layer = nn.TransformerEncoderLayer(d_model, nhead=2, dim_feedforward=32, dropout=0.1)
        self.encoder = nn.TransformerEncoder(layer, num_layers=2, enable_nested_tensor=False)
        self.head = nn.Linear(d_model, n_cls)

    def forward(self, src, pad_mask):
        x = self.emb(src).transpose(0, 1) * math.sqrt(d_model)  # a transposed layout: dropout follows memory
        x = self.encoder(self.pos(x), src_key_padding_mask=pad_mask)
        keep = (~pad_mask).t().unsqueeze(-1).float()
        pooled = (x * keep).sum(0) / keep.sum(0)
        return self.head(pooled)


tokens = torch.randint(1, vocab, (64, seq_len))
lengths = torch.randint(4, seq_len + 1, (64,))
pad_mask = torch.arange(seq_len).unsqueeze(0) >= lengths.unsqueeze(1)
tokens = tokens.masked_fill(pad_mask, 0)
labels = (tokens == 3).any(1).long()
print(tokens[:2], labels.bincount())
model = Classifier()
print(sum(p.numel() for p in model.parameters()))
opt = torch.optim.AdamW(model.parameters(), lr=3e-3)
for epoch in range(8):
    model.train()
    perm = torch.randperm(64)
    total = 0.0
    for i in range(0, 64, 16):
        idx = perm[i:i + 16]
        opt.zero_grad()
        loss = F.cross_entropy(model(tokens[idx], pad_mask[idx]), labels[idx])
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        total += loss.item()
    if epoch % 2 == 1:
        print(f"epoch {epoch + 1} loss {total / 4:.4f}")
model.eval()
with torch.no_grad():
    logits = model(tokens, pad_mask)
print(f"train accuracy {(logits.argmax(1) == labels).float().mean().item():.4f}")
print(model.encoder.layers[0].self_attn.in_proj_weight.shape)
