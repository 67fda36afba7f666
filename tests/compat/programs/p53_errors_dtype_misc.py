import torch

cases = [
    ("int requires_grad", lambda: torch.ones(2, dtype=torch.long, requires_grad=True)),
    ("add int inplace float", lambda: torch.ones(2, dtype=torch.long).add_(torch.ones(2))),
    ("mm dtype", lambda: torch.mm(torch.ones(2, 2), torch.ones(2, 2, dtype=torch.float64))),
    ("matmul int float", lambda: torch.ones(2, 2, dtype=torch.long) @ torch.ones(2, 2)),
    ("cat dims", lambda: torch.cat([torch.ones(2, 2), torch.ones(2)])),
    ("sqrt int", lambda: torch.sqrt(torch.tensor([4]))),
    ("bool neg", lambda: -torch.tensor([True])),
    ("randint bad", lambda: torch.randint(5, 2, (3,))),
    ("arange bad", lambda: torch.arange(0, 10, -1)),
    ("zeros neg", lambda: torch.zeros(-1)),
    ("view neg", lambda: torch.ones(4).view(-1, -1)),
    ("item empty", lambda: torch.tensor([]).item()),
    ("max empty", lambda: torch.tensor([]).max()),
    ("stack empty", lambda: torch.stack([])),
    ("ragged", lambda: torch.tensor([[1, 2], [3]])),
    ("str data", lambda: torch.tensor("abc")),
    ("softmax int", lambda: torch.softmax(torch.tensor([1, 2]), 0)),
    ("float index", lambda: torch.arange(3)[1.0]),
    ("linspace steps", lambda: torch.linspace(0, 1, -1)),
    ("multinomial 0", lambda: torch.multinomial(torch.zeros(3), 1)),
]
for name, fn in cases:
    try:
        r = fn()
        print(name, "->", r)
    except Exception as e:
        print(name, type(e).__name__, str(e).split("\n")[0])
