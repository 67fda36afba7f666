import torch

x = torch.randn(3, 4, requires_grad=True)
y = torch.randn(4, requires_grad=True)
ops = {
    "add": x + y, "sub": x - y, "mul": x * y, "div": x / y, "neg": -x,
    "pow": x ** 2, "rpow": 2 ** x, "matmul_mv": x @ y, "mm": x @ x.T,
    "sum": x.sum(), "sum_dim": x.sum(1), "mean": x.mean(), "mean_dim": x.mean(0),
    "view": x.view(12), "reshape": x.reshape(2, 6), "t": x.t(), "transpose": x.transpose(0, 1),
    "permute": x.permute(1, 0), "unsqueeze": x.unsqueeze(0), "squeeze": x.unsqueeze(0).squeeze(0),
    "select": x[0], "slice": x[1:], "index": x[[0, 2]], "mask": x[x > 0],
    "exp": x.exp(), "log": x.abs().log(), "relu": x.relu(), "sigmoid": x.sigmoid(),
    "tanh": x.tanh(), "max": x.max(), "max_dim": x.max(1)[0], "cat": torch.cat([x, x]),
    "stack": torch.stack([x, x]), "clamp": x.clamp(0, 1), "clamp_min": x.clamp(min=0),
    "where": torch.where(x > 0, x, y), "abs": x.abs(), "sqrt": x.abs().sqrt(),
    "softmax": x.softmax(-1), "log_softmax": x.log_softmax(-1), "expand": y.expand(3, 4),
    "clone": x.clone(), "to64": x.double(), "norm": x.norm(), "var": x.var(), "std": x.std(),
    "flatten": x.flatten(), "gather": x.gather(1, torch.tensor([[0], [1], [2]])),
    "rsub": 1 - x, "add_scalar": x + 1, "mul_scalar": x * 2, "div_scalar": x / 2,
    "sin": x.sin(), "cos": x.cos(), "prod": x.prod(), "cumsum": x.cumsum(0),
    "split": x.split(2)[0], "chunk": x.chunk(2, 1)[1], "unbind": x.unbind()[0],
    "repeat": x.repeat(2, 1), "flip": x.flip(0), "amax": x.amax(0), "minimum": torch.minimum(x, y),
    "sort": x.sort()[0], "topk": x.topk(2)[0], "masked_fill": x.masked_fill(x > 0, 0.0),
    "dot": y.dot(y), "outer": torch.outer(y, y), "bmm": torch.bmm(x[None], x.T[None]),
    "einsum": torch.einsum("ij,j->i", x, y), "logsumexp": x.logsumexp(1), "contiguous": x.T.contiguous(),
}
for name, t in ops.items():
    print(f"{name:12s} {type(t.grad_fn).__name__}")
