import torch

torch.manual_seed(17)
base = torch.rand(3, 4) + 0.5
other = torch.rand(4) + 0.5
fns = {
    "exp": lambda x: x.exp(), "log": lambda x: x.log(), "sqrt": lambda x: x.sqrt(), "sin": torch.sin,
    "tanh": torch.tanh, "sigmoid": torch.sigmoid, "relu": lambda x: (x - 1).relu(), "abs": lambda x: (x - 1).abs(),
    "pow3": lambda x: x ** 3, "powx": lambda x: x ** x, "rpow": lambda x: 2 ** x, "recip": lambda x: 1 / x,
    "div": lambda x: x / other, "rdiv": lambda x: other / x, "softmax": lambda x: x.softmax(1),
    "log_softmax": lambda x: x.log_softmax(0), "logsumexp": lambda x: x.logsumexp(1), "norm": lambda x: x.norm(dim=1),
    "std": lambda x: x.std(0), "var": lambda x: x.var(1), "prod": lambda x: x.prod(1), "cumsum": lambda x: x.cumsum(1),
    "cumprod": lambda x: x.cumprod(0), "max": lambda x: x.max(1).values, "amax": lambda x: x.amax(0),
    "sort": lambda x: x.sort(1).values * torch.arange(4.0), "topk": lambda x: x.topk(2, 1).values,
    "clamp": lambda x: x.clamp(0.7, 1.2), "where": lambda x: torch.where(x > 1, x * 2, x ** 2),
    "matmul": lambda x: x @ other, "mm": lambda x: x @ x.T, "einsum": lambda x: torch.einsum("ij,ij->i", x, x),
    "index": lambda x: x[[0, 0, 2], 1:3], "mask": lambda x: x[x > 1], "gather": lambda x: x.gather(1, torch.tensor([[0], [3], [3]])),
    "cat": lambda x: torch.cat([x, x * 2], 1), "stack": lambda x: torch.stack([x, x.flip(0)]), "repeat": lambda x: x.repeat(2, 1),
    "expand": lambda x: x[:, :1].expand(3, 5), "mean": lambda x: x.mean(), "atan2": lambda x: torch.atan2(x, other),
    "lerp": lambda x: torch.lerp(x, other, 0.3), "hypot": lambda x: torch.hypot(x, other), "erf": torch.erf,
    "maximum": lambda x: torch.maximum(x, other), "roll": lambda x: x.roll(1, 1) * torch.arange(4.0),
    "trace": lambda x: (x @ x.T).trace(), "diag": lambda x: x[:, :3].diag(), "tril": lambda x: x.tril(),
    "unfold": lambda x: x.unfold(1, 2, 1), "var_mean": lambda x: torch.var_mean(x, 1)[0],
}
w = torch.randn(100)
for name, fn in fns.items():
    x = base.clone().requires_grad_()
    y = fn(x)
    (y * w[: y.numel()].reshape(y.shape)).sum().backward()
    print(f"{name:12s} {type(y.grad_fn).__name__:24s}", x.grad.flatten()[:6])
