"""Rank 1 raises while rank 0 waits for it in a collective (MODE=raise), or quits without it (MODE=hang)."""

import os

import ember as torch
import ember.distributed as dist

dist.init_process_group("gloo")
t = torch.ones(3)
if dist.get_rank() == 1:
    if os.environ.get("MODE") == "raise":
        raise ValueError("boom from rank 1")
else:
    dist.all_reduce(t)  # waits forever for rank 1 unless the job is stopped
print("unreachable on rank 0")
