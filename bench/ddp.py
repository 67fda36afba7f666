"""``python -m bench.ddp [--steps N] [--batch B]``: DistributedDataParallel step time of an MLP on 1 and 2 ranks.

The driver starts ``python -m ember.distributed.run --nproc-per-node N -m bench.ddp --worker`` for N = 1, 2;
each rank trains an MLP (784-512-512-10, 0.67 M parameters, 2.7 MB of float32 gradients) with SGD on its own
batch of B samples. Reported per step (the median over the steps, rank 0's clock): the DDP step; the same
step without DDP (each rank alone: what the machine gives two processes at once); the time DDP waited for its
allreduces (the allreduce itself plus the ranks' skew); a bare allreduce of the same number of floats. One process per core: on a 2-core machine the 2-rank job has no core
left for anything else, so its step includes whatever the machine is doing besides.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time


def worker(steps: int, batch: int) -> None:
    import numpy as np

    import ember as torch
    import ember.distributed as dist
    from ember import nn
    from ember.nn.parallel import DistributedDataParallel as DDP

    dist.init_process_group("gloo")
    rank, world = dist.get_rank(), dist.get_world_size()
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 10))
    n_params = sum(p.numel() for p in model.parameters())
    g = torch.Generator().manual_seed(rank)
    x = torch.randn(batch, 784, generator=g)
    y = torch.randint(0, 10, (batch,), generator=g)
    loss_fn = nn.CrossEntropyLoss()

    def steps_of(net, n):
        opt = torch.optim.SGD(net.parameters(), lr=0.01)
        times = []
        for _ in range(n):
            dist.barrier()
            t = time.perf_counter()
            opt.zero_grad()
            loss_fn(net(x), y).backward()
            opt.step()
            times.append(time.perf_counter() - t)
        return times

    steps_of(model, 10)  # warm-up
    plain = steps_of(model, steps)
    ddp = DDP(model)
    steps_of(ddp, 10)  # warm-up
    ddp.reducer.comm_seconds = 0.0
    times = steps_of(ddp, steps)
    comm = ddp.reducer.comm_seconds / steps
    flat = torch.zeros(n_params)
    bare = []
    for _ in range(steps):
        dist.barrier()
        t = time.perf_counter()
        dist.all_reduce(flat)
        bare.append(time.perf_counter() - t)
    if rank == 0:
        print("RESULT " + json.dumps({"world": world, "params": n_params, "step": float(np.median(times)),
                                      "plain": float(np.median(plain)), "wait": comm,
                                      "allreduce": float(np.median(bare))}), flush=True)
    dist.destroy_process_group()


def drive(steps: int, batch: int) -> list[dict]:
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([os.path.join(root, "src"), root] + ([env["PYTHONPATH"]]
                                                                              if env.get("PYTHONPATH") else []))
    env.setdefault("OMP_NUM_THREADS", "1")
    env.setdefault("OPENBLAS_NUM_THREADS", "1")
    rows = []
    for n in (1, 2):
        out = subprocess.run([sys.executable, "-m", "ember.distributed.run", "--nproc-per-node", str(n), "-m",
                              "bench.ddp", "--worker", "--steps", str(steps), "--batch", str(batch)],
                             capture_output=True, text=True, env=env, cwd=root, timeout=600)
        if out.returncode != 0:
            raise SystemExit(out.stderr)
        line = next(s for s in out.stdout.splitlines() if s.startswith("RESULT "))
        rows.append(json.loads(line[len("RESULT "):]))
    return rows


def table(rows: list[dict], batch: int) -> str:
    ms = lambda s: "-" if s is None else f"{s * 1e3:.2f}"  # noqa: E731
    lines = [f"DDP, MLP 784-512-512-10 ({rows[0]['params'] / 1e6:.2f} M params), batch {batch} per rank, SGD",
             f"{'ranks':>5} {'step ms':>8} {'no-DDP ms':>9} {'DDP wait ms':>11} {'bare allreduce ms':>17}"
             f" {'samples/s':>9}"]
    for r in rows:
        lines.append(f"{r['world']:>5} {ms(r['step']):>8} {ms(r['plain']):>9} {ms(r['wait']):>11} "
                     f"{ms(r['allreduce']):>17} {r['world'] * batch / r['step']:>9.0f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python -m bench.ddp")
    p.add_argument("--steps", type=int, default=30)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    a = p.parse_args(argv)
    if a.worker:
        worker(a.steps, a.batch)
    else:
        print(table(drive(a.steps, a.batch), a.batch))


if __name__ == "__main__":
    main()
