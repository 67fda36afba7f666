import torch
import torch.nn as nn

torch.manual_seed(0)
layer = nn.TransformerEncoderLayer(d_model=8, nhead=2, dim_feedforward=16, dropout=0.0, batch_first=True)
encoder = nn.TransformerEncoder(layer, num_layers=2, enable_nested_tensor=False)
print(layer)
print(sum(p.numel() for p in encoder.parameters()))
x = torch.randn(2, 5, 8)
out = encoder(x)
print(out.shape)
print(out[0, 0])
mha = nn.MultiheadAttention(embed_dim=8, num_heads=2, batch_first=True)
print(mha)
attn_out, weights = mha(x, x, x)
print(attn_out.shape, weights.shape)
print(weights[0].sum(dim=-1))
mask = nn.Transformer.generate_square_subsequent_mask(4)
print(mask)
