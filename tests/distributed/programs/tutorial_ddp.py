"""A program of the PyTorch DDP tutorials' shape, written for PyTorch (the test runs it under torchrun and, with
its imports rewritten to ember's, under ``python -m ember.distributed.run``; both must print the same)."""

import os

import torch
import torch.distributed as dist
import torch.nn as nn
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.data import DataLoader, TensorDataset
from torch.utils.data.distributed import DistributedSampler


def main():
    dist.init_process_group("gloo")
    rank, world = dist.get_rank(), dist.get_world_size()
    print(f"[rank {rank}] RANK={os.environ['RANK']} LOCAL_RANK={os.environ['LOCAL_RANK']} "
          f"WORLD_SIZE={os.environ['WORLD_SIZE']} LOCAL_WORLD_SIZE={os.environ['LOCAL_WORLD_SIZE']} "
          f"backend={dist.get_backend()} initialized={dist.is_initialized()} world={world}")

    torch.manual_seed(rank)  # every rank starts from its own weights: DDP broadcasts rank 0's
    model = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 1))
    ddp = DDP(model)
    if rank == 0:
        print(ddp)
        print(list(ddp.state_dict().keys()))
    print(f"[rank {rank}] start {[round(v, 4) for v in model[0].weight[0].tolist()]}")

    g = torch.Generator().manual_seed(0)
    x = torch.randn(40, 4, generator=g)
    y = x.sum(1, keepdim=True).sin()
    data = TensorDataset(x, y)
    sampler = DistributedSampler(data, shuffle=True, seed=1)
    loader = DataLoader(data, batch_size=5, sampler=sampler)
    opt = torch.optim.SGD(ddp.parameters(), lr=0.1)
    for epoch in range(3):
        sampler.set_epoch(epoch)
        for xb, yb in loader:
            opt.zero_grad()
            loss = nn.functional.mse_loss(ddp(xb), yb)
            loss.backward()
            opt.step()
        mean = loss.detach().clone()
        dist.all_reduce(mean, op=dist.ReduceOp.SUM)
        print(f"[rank {rank}] epoch {epoch} indices {list(sampler)[:6]} loss {mean.item() / world:.4f}")

    gathered = [torch.zeros(2) for _ in range(world)]
    dist.all_gather(gathered, torch.tensor([rank, rank * 10.0]))
    b = torch.arange(3.0) * (rank + 1)
    dist.broadcast(b, src=world - 1)
    m = torch.tensor([float(rank)])
    dist.all_reduce(m, op=dist.ReduceOp.MAX)
    print(f"[rank {rank}] gathered {torch.stack(gathered).tolist()} broadcast {b.tolist()} max {m.item()}")
    print(f"[rank {rank}] end {[round(v, 4) for v in model[0].weight[0].tolist()]}")
    dist.barrier()
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
