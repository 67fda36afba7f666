"""DDP on an MLP: 50 training steps, a no_sync accumulation, unused parameters; rank r saves OUT_DIR/rank<r>.npz.

The ranks start from different weights (seeded by rank): DDP's broadcast at construction must make rank 0's
the common start. Each rank trains on its half of the batch; the test compares with one process on all of it.
"""

import sys

import numpy as np

import ember as torch
from ember import nn
from ember.nn.parallel import DistributedDataParallel as DDP

STEPS, BATCH, LR = 50, 32, 0.1


def data():
    rng = np.random.default_rng(7)
    x = rng.standard_normal((BATCH, 8)).astype(np.float32)
    y = np.sin(x[:, :4] + x[:, 4:]).astype(np.float32)
    return torch.from_numpy(x), torch.from_numpy(y)


def mlp(seed: int) -> nn.Module:
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(8, 32), nn.Tanh(), nn.Linear(32, 16), nn.Tanh(), nn.Linear(16, 4))


class TwoHeads(nn.Module):
    def __init__(self):
        super().__init__()
        torch.manual_seed(3)
        self.a = nn.Linear(8, 4)
        self.b = nn.Linear(8, 4)

    def forward(self, x, use_b: bool):
        return self.b(x) if use_b else self.a(x)


def main(out_dir: str) -> None:
    import ember.distributed as dist
    dist.init_process_group("gloo")
    r, n = dist.get_rank(), dist.get_world_size()
    x, y = data()
    mine = slice(r * BATCH // n, (r + 1) * BATCH // n)
    res = {}

    model = mlp(seed=r)  # different on every rank until DDP broadcasts rank 0's
    model.register_buffer("tag", torch.full((2,), float(r)))
    ddp = DDP(model)
    res["tag"] = model.tag.numpy()
    opt = torch.optim.SGD(ddp.parameters(), lr=LR, momentum=0.9)
    for _ in range(STEPS):
        opt.zero_grad()
        loss = nn.functional.mse_loss(ddp(x[mine]), y[mine])
        loss.backward()
        opt.step()
    for name, p in ddp.named_parameters():
        res["train." + name] = p.detach().numpy()
    res["state_dict_keys"] = np.array(list(ddp.state_dict()))

    # gradient accumulation: first half of my shard under no_sync, second half synchronised
    opt.zero_grad()
    half = (mine.stop - mine.start) // 2
    first, second = slice(mine.start, mine.start + half), slice(mine.start + half, mine.stop)
    with ddp.no_sync():
        nn.functional.mse_loss(ddp(x[first]), y[first]).backward()
    res["local_grad"] = model[0].weight.grad.numpy().copy()
    nn.functional.mse_loss(ddp(x[second]), y[second]).backward()
    for name, p in ddp.named_parameters():
        res["accum." + name] = p.grad.numpy()

    # unused parameters: rank 0 uses head a, the others head b
    heads = DDP(TwoHeads(), find_unused_parameters=True)
    heads(x[mine], use_b=r != 0).pow(2).mean().backward()
    for name, p in heads.named_parameters():
        res["unused." + name] = p.grad.numpy() if p.grad is not None else np.full(p.shape, np.nan, np.float32)

    # without find_unused_parameters, a parameter left out makes the next forward fail as in PyTorch
    strict = DDP(TwoHeads())
    strict(x[mine], use_b=False).sum().backward()
    try:
        strict(x[mine], use_b=False)
        res["strict_error"] = np.array("")
    except RuntimeError as e:
        res["strict_error"] = np.array(str(e))
    np.savez(f"{out_dir}/rank{r}.npz", **res)


if __name__ == "__main__":
    main(sys.argv[1])
