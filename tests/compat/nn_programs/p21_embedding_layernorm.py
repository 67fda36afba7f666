import torch
import torch.nn as nn

torch.manual_seed(0)
emb = nn.Embedding(10, 4)
print(emb)
print(emb.weight[:3])
idx = torch.tensor([[1, 2, 4], [4, 3, 9]])
e = emb(idx)
print(e.shape)
print(e[1])
pad = nn.Embedding(5, 3, padding_idx=0)
print(pad)
print(pad.weight[0])
out = pad(torch.tensor([0, 2, 0])).sum()
out.backward()
print(pad.weight.grad)

ln = nn.LayerNorm(4)
print(ln)
print(ln.weight, ln.bias)
y = ln(e)
print(y[0])
# the means are ~1e-8 rounding noise whose digits depend on the summation order: check them the robust way
print(torch.allclose(y.mean(-1), torch.zeros(2, 3), atol=1e-6))
print(nn.LayerNorm([3, 4], elementwise_affine=False))
print(nn.LayerNorm(4, eps=1e-6)(e)[0, 0])
print(nn.functional.layer_norm(e, (4,))[1, 2])
