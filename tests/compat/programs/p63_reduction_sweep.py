import torch

torch.manual_seed(5)
x = torch.randn(3, 4, 5)
i = torch.randint(-5, 5, (3, 4))
b = torch.rand(3, 4) > 0.5
for name in ["sum", "mean", "prod", "amax", "amin", "std", "var", "logsumexp", "norm", "nansum", "nanmean"]:
    for dim in [0, 1, -1, (0, 2)]:
        try:
            print(name, dim, getattr(torch, name)(x, dim))
            print(name, dim, "keepdim", getattr(torch, name)(x, dim, keepdim=True).shape)
        except Exception as e:
            print(name, dim, type(e).__name__, e)
for name in ["max", "min", "argmax", "argmin", "median", "mode", "cumsum", "cumprod", "sort", "argsort"]:
    for dim in [0, -1]:
        try:
            print(name, dim, getattr(torch, name)(x[0], dim))
        except Exception as e:
            print(name, dim, type(e).__name__, e)
print(i.sum(0), i.prod(1), i.max(1), i.min(), i.amax(0), i.cumsum(1), i.float().median(1))
print(b.sum(1), b.any(0), b.all(1), b.float().mean(), b.int().cumsum(0), b.sum().dtype)
print(torch.sum(i, dim=1, dtype=torch.float32), i.sum(dtype=torch.int32).dtype)
print(x.sum(-1).sum(-1), x.mean(), x.std(), x.var(unbiased=False))
print(x.max(), x.argmax(), x.abs().min(dim=2).indices)
