import torch

x = torch.arange(6).reshape(2, 3)
tests = [
    ("row oob", lambda: x[5]),
    ("col oob", lambda: x[0, 3]),
    ("neg oob", lambda: x[-3]),
    ("fancy oob", lambda: x[torch.tensor([0, 4])]),
    ("float index", lambda: x[torch.tensor([0.0, 1.0])]),
    ("too many", lambda: x[0, 0, 0]),
    ("mask shape", lambda: x[torch.tensor([True, False, True])]),
    ("dim oob", lambda: x.sum(5)),
    ("select oob", lambda: x.select(1, 7)),
    ("gather dtype", lambda: x.gather(1, torch.tensor([[0.0]]))),
    ("index_select", lambda: x.index_select(0, torch.tensor([2]))),
    ("float idx tensor", lambda: torch.arange(5)[torch.tensor(1.0)]),
    ("narrow", lambda: x.narrow(1, 2, 3)),
    ("split", lambda: x.split(0)),
    ("topk", lambda: torch.arange(3).topk(5)),
    ("chunk", lambda: x.chunk(0)),
    ("int float idx", lambda: x[1.5]),
]
for name, fn in tests:
    try:
        out = fn()
        print(name, "ok", out)
    except (IndexError, RuntimeError, TypeError, ValueError) as e:
        print(name, type(e).__name__, e)
