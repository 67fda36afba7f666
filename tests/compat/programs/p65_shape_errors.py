import torch

x = torch.arange(24.0).reshape(2, 3, 4)
cases = {
    "reshape": lambda: x.reshape(5, 5), "view -1": lambda: x.view(-1, 5), "permute dup": lambda: x.permute(0, 0, 1),
    "permute len": lambda: x.permute(0, 1), "transpose": lambda: x.transpose(0, 5), "squeeze": lambda: x.squeeze(3),
    "unsqueeze": lambda: x.unsqueeze(-5), "expand": lambda: x.expand(3, 3, 4), "expand fewer": lambda: x.expand(3, 4),
    "repeat": lambda: x.repeat(2), "flatten": lambda: x.flatten(2, 1), "unflatten": lambda: x.unflatten(1, (2, 2)),
    "split": lambda: x.split([1, 1], 1), "chunk": lambda: x.chunk(-1), "stack": lambda: torch.stack([x, x[0]]),
    "cat 0d": lambda: torch.cat([torch.tensor(1.0), torch.tensor(2.0)]), "narrow": lambda: x.narrow(3, 0, 1),
    "select": lambda: x.select(0, 2), "index_select": lambda: x.index_select(0, torch.tensor([[0]])),
    "gather": lambda: x.gather(1, torch.zeros(2, 3, 5, dtype=torch.long)), "flip": lambda: x.flip(3),
    "roll": lambda: x.roll(1, 4), "movedim": lambda: x.movedim(0, 3), "matmul 3d": lambda: x @ x,
    "bmm": lambda: torch.bmm(x, x), "mv": lambda: torch.mv(x[0], torch.ones(3)), "outer": lambda: torch.outer(x, x),
    "einsum": lambda: torch.einsum("ij,jk->ik", x, x), "broadcast": lambda: x + torch.ones(2, 4),
    "where": lambda: torch.where(torch.ones(5, dtype=torch.bool), x, 0.0), "masked": lambda: x[torch.ones(2, 4, dtype=torch.bool)],
    "t 3d": lambda: x.t(), "diag 3d": lambda: x.diag(), "tril 1d": lambda: torch.ones(3).tril(),
    "max dim": lambda: x.max(3), "sum dim": lambda: x.sum((0, 0)), "topk": lambda: x.topk(5),
}
for name, fn in cases.items():
    try:
        r = fn()
        print(name, "ok", tuple(r.shape) if isinstance(r, torch.Tensor) else type(r).__name__)
    except Exception as e:
        print(name, type(e).__name__, str(e).split("\n")[0])
