# What printing library objects shows: torch.Size arithmetic, dtypes and devices, finfo/iinfo, return_types named
# tuples, grad_fn names of common ops, module reprs with extra_repr, hooks' handles, parameters' reprs.
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
s = torch.Size([2, 3, 4])
print(s, s[1:], s + (5,), s.numel(), list(s), tuple(s) == (2, 3, 4), torch.Size([]))
print(torch.float32, torch.long, torch.get_default_dtype(), torch.device("cpu"), torch.zeros(1).device, torch.device("cpu", 0))
print(torch.finfo(torch.float32), torch.iinfo(torch.int8))
print(torch.finfo(torch.float16).eps, torch.finfo().tiny, torch.iinfo(torch.int64).max)
x = torch.randn(3, 4, requires_grad=True)
print(x.max(dim=1))
print(torch.sort(torch.tensor([3, 1, 2])), torch.topk(torch.tensor([3.0, 1.0, 2.0]), 2).indices)
print(torch.linalg.slogdet(torch.eye(2)), torch.aminmax(torch.tensor([1, 5, 3])))
ops = [x + 1, x * x, x / 2, x - x, x @ x.T, x.sum(), x.mean(), x.exp(), x.log_softmax(1), x.relu(), x.sigmoid(), x.tanh(),
       x.view(12), x.reshape(4, 3), x.T, x.permute(1, 0), x[0], x[:, 1:], x.unsqueeze(0), x.squeeze(), x.expand(2, 3, 4),
       torch.cat([x, x]), torch.stack([x, x]), x.max(), x.amax(1), x.clamp(0, 1), x.abs(), x.pow(3), x.sqrt(), x.norm(),
       F.linear(x, torch.ones(2, 4)), F.softmax(x, 1), F.gelu(x), F.dropout(x, 0.5), F.layer_norm(x, (4,)),
       F.cross_entropy(x, torch.tensor([0, 1, 2])), F.mse_loss(x, x.detach()), torch.where(x > 0, x, 0.0), x.masked_fill(x > 0, 0),
       x.cumsum(1), x.mean(1, keepdim=True), x.std(), x.var(), x.split(2, 1)[0], x.chunk(2)[1], x.flip(0), x.clone(), x.float(),
       x.double(), x.to(torch.float64), x.contiguous(), x.t().contiguous(), x.index_select(0, torch.tensor([0])), x.gather(1, torch.zeros(3, 1, dtype=torch.long)),
       x.repeat(2, 1), torch.einsum("ij->j", x), x.prod(), x.logsumexp(1), x.sin(), x.neg(), x.reciprocal(), x.maximum(x.detach())]
print([o.grad_fn.name() if o.grad_fn is not None else None for o in ops])


class Scale(nn.Module):
    def __init__(self, factor):
        super().__init__()
        self.factor = factor

    def extra_repr(self):
        return f"factor={self.factor}"

    def forward(self, x):
        return x * self.factor


net = nn.Sequential(nn.Conv2d(1, 2, 3, stride=2, padding=1, bias=False), nn.BatchNorm2d(2, momentum=0.2), nn.ReLU(inplace=True),
                    nn.MaxPool2d(2), nn.Flatten(0), Scale(0.5), nn.Dropout(0.1), nn.LSTM(2, 3, 2, batch_first=True, dropout=0.1),
                    nn.Embedding(5, 2, padding_idx=0), nn.LayerNorm([4], elementwise_affine=False), nn.Upsample(scale_factor=2),
                    nn.ConvTranspose2d(2, 1, 2), nn.GRU(2, 2, bidirectional=True), nn.Softmax(dim=-1), nn.LeakyReLU(0.2), nn.Identity())
print(net)
h = net[0].register_forward_hook(lambda m, i, o: None)
print(type(h).__name__, h.id >= 0)
h.remove()
print(nn.Linear(2, 2).weight.grad, nn.Linear(2, 2, bias=False).bias)
print(nn.Parameter(torch.ones(1), requires_grad=False))
print(list(nn.Linear(2, 1).named_parameters())[0][0], nn.Linear(2, 1).state_dict().keys())
print(torch.tensor([1.0], requires_grad=True).sum(), torch.ones(2, requires_grad=True).mean(0))
print(x.detach()[0].norm().requires_grad, x.grad_fn, x.is_leaf)
