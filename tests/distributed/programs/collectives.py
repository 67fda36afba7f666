"""Every collective once, on inputs that depend on the rank; each rank saves what it got to OUT_DIR/rank<r>.npz.

Run by the launcher (``python -m ember.distributed.run --nproc-per-node N collectives.py OUT_DIR``); the test
computes what each rank should hold with NumPy from ``inputs`` and compares.
"""

import sys
import warnings

import numpy as np

import ember as torch
import ember.distributed as dist

SHAPE = (3, 4)
DTYPES = ("float32", "float64", "int64")


def inputs(r: int, dtype: str) -> np.ndarray:
    """Rank r's input of a dtype (small values, so that PRODUCT stays exact)."""
    rng = np.random.default_rng(100 + r)
    if dtype == "int64":
        return rng.integers(-5, 6, SHAPE).astype(np.int64)
    return rng.uniform(-2, 2, SHAPE).astype(dtype)


def main(out_dir: str) -> None:
    dist.init_process_group("gloo")
    r, n = dist.get_rank(), dist.get_world_size()
    res: dict = {}

    def t(dtype):
        return torch.from_numpy(inputs(r, dtype).copy())

    for dt in DTYPES:
        for op in ("SUM", "AVG", "MAX", "MIN", "PRODUCT"):
            x = t(dt)
            dist.all_reduce(x, op=getattr(dist.ReduceOp, op))
            res[f"all_reduce_{op}_{dt}"] = x.numpy()
        x = t(dt)
        dist.broadcast(x, src=n - 1)
        res[f"broadcast_{dt}"] = x.numpy()
        out = [torch.zeros(SHAPE, dtype=getattr(torch, dt)) for _ in range(n)]
        dist.all_gather(out, t(dt))
        res[f"all_gather_{dt}"] = np.stack([o.numpy() for o in out])
        big = torch.zeros((n * SHAPE[0], SHAPE[1]), dtype=getattr(torch, dt))
        dist.all_gather_into_tensor(big, t(dt))
        res[f"all_gather_into_tensor_{dt}"] = big.numpy()
        # rank r contributes input * (j + 1) for the chunk going to rank j
        outs = torch.zeros(SHAPE, dtype=getattr(torch, dt))
        dist.reduce_scatter(outs, [t(dt) * (j + 1) for j in range(n)])
        res[f"reduce_scatter_{dt}"] = outs.numpy()
        outs = torch.zeros((1, SHAPE[1]), dtype=getattr(torch, dt))
        dist.reduce_scatter_tensor(outs, torch.cat([t(dt)] * n)[:n], op=dist.ReduceOp.MAX)  # row j goes to rank j
        res[f"reduce_scatter_tensor_MAX_{dt}"] = outs.numpy()
        x = t(dt)
        dist.reduce(x, dst=n - 1, op=dist.ReduceOp.SUM)
        res[f"reduce_{dt}"] = x.numpy()
        glist = [torch.zeros(SHAPE, dtype=getattr(torch, dt)) for _ in range(n)] if r == 0 else None
        dist.gather(t(dt), glist, dst=0)
        if r == 0:
            res[f"gather_{dt}"] = np.stack([g.numpy() for g in glist])
        x = torch.zeros(SHAPE, dtype=getattr(torch, dt))
        dist.scatter(x, [t(dt) + 10 * j for j in range(n)] if r == n - 1 else None, src=n - 1)
        res[f"scatter_{dt}"] = x.numpy()

    # point to point around the ring: blocking, then non-blocking
    x, y = t("float32"), torch.zeros(SHAPE)
    if r % 2 == 0:
        dist.send(x, (r + 1) % n)
        src = dist.recv(y, (r - 1) % n)
    else:
        src = dist.recv(y, (r - 1) % n)
        dist.send(x, (r + 1) % n)
    res["recv_ring"], res["recv_src"] = y.numpy(), np.array(src)
    y = torch.zeros(SHAPE)
    works = [dist.isend(t("float32") * 2, (r + 1) % n), dist.irecv(y, src=None)]
    for w in works:
        w.wait()
    res["irecv_any"], res["irecv_src"] = y.numpy(), np.array(works[1].source_rank())

    # async: a Work per op, waited for out of order
    a, b = t("float64"), t("float32")
    w1 = dist.all_reduce(a, async_op=True)
    w2 = dist.all_reduce(b, op=dist.ReduceOp.MAX, async_op=True)
    res["async_types"] = np.array([type(w1).__name__ == "Work", w2.wait(), w1.wait(), w1.is_completed()])
    res["async_sum"], res["async_max"] = a.numpy(), b.numpy()

    # a strided view, reduced in place (its base sees the result), a 0-d tensor, bool and float16
    base = t("float32")
    dist.all_reduce(base[:, ::2])
    res["strided_base"] = base.numpy()
    s = torch.tensor(float(r + 1))
    dist.all_reduce(s, op=dist.ReduceOp.PRODUCT)
    res["scalar_product"] = s.numpy()
    flag = torch.tensor([r == 0, True, False])
    dist.all_reduce(flag)  # SUM on bool: logical or
    res["bool_sum"] = flag.numpy()
    h = torch.from_numpy(inputs(r, "float32").astype(np.float16))
    dist.all_reduce(h)
    res["float16_sum"] = h.numpy()

    # all_to_all_single: rank r sends row j (value 100 r + j) to rank j
    src_rows = torch.arange(n, dtype=torch.float32) + 100 * r
    dst_rows = torch.zeros(n)
    dist.all_to_all_single(dst_rows, src_rows)
    res["all_to_all_single"] = dst_rows.numpy()

    # a subgroup of the first and last rank; the others are not members
    sub = dist.new_group([0, n - 1])
    x = t("float32")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        dist.all_reduce(x, group=sub)
    res["group_sum"] = x.numpy()
    res["group_rank"] = np.array([dist.get_rank(sub), dist.get_world_size(sub)])
    res["group_warned"] = np.array(len(caught))
    if sub != dist.GroupMember.NON_GROUP_MEMBER:
        y = t("float32")
        dist.broadcast(y, src=n - 1, group=sub)  # src is a global rank
        res["group_broadcast"] = y.numpy()

    # Python objects
    objs = [None] * n
    dist.all_gather_object(objs, {"rank": r, "sq": r * r})
    res["all_gather_object"] = np.array([o["sq"] for o in objs])
    lst = [r, "x"] if r == 0 else [None, None]
    dist.broadcast_object_list(lst, src=0)
    res["broadcast_object_list"] = np.array([lst[0], lst[1] == "x"])

    dist.barrier()
    w = dist.barrier(async_op=True)
    w.wait()
    np.savez(f"{out_dir}/rank{r}.npz", **res)
    dist.destroy_process_group()


if __name__ == "__main__":
    main(sys.argv[1])
