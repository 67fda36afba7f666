"""Small training steps written once against PyTorch's API (``torch`` is ember or PyTorch), with weights drawn from
NumPy so both libraries start from the same numbers. Shared by the compile tests and by make_fixtures.py."""

from __future__ import annotations

import numpy as np

WIDE = 64  # the seed's WideNet is 512 wide; 64 keeps the tests fast (the shape of the computation is the same)


def _init(torch, module, rng):
    for p in module.parameters():
        p.data.copy_(torch.tensor(rng.uniform(-0.5, 0.5, tuple(p.shape)).astype(np.float32)))


def wide_net(torch, opt="sgd", seed=1):
    """Seed 000's regression: Linear(1, W)-Tanh-Linear(W, 1), 32 points, MSE; SGD(0.003, momentum 0.9) or Adam."""
    nn = torch.nn
    rng = np.random.default_rng(seed)
    x = np.linspace(-1.0, 1.0, 32, dtype=np.float32).reshape(32, 1)
    y = (np.sin(np.pi * x) + rng.standard_normal((32, 1)).astype(np.float32) / 4).astype(np.float32)
    model = nn.Sequential(nn.Linear(1, WIDE), nn.Tanh(), nn.Linear(WIDE, 1))
    _init(torch, model, rng)
    if opt == "sgd":
        optimizer = torch.optim.SGD(model.parameters(), lr=0.003, momentum=0.9)
    else:
        optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    loss_fn = nn.MSELoss()
    inputs, targets = torch.tensor(x), torch.tensor(y)

    def step():
        optimizer.zero_grad()
        loss = loss_fn(model(inputs), targets)
        loss.backward()
        optimizer.step()
        return loss

    return model, optimizer, step


def mlp(torch, opt="sgd", seed=2, batch=16):
    """784-256-128-10 in miniature: 20-32-16-5 ReLU, cross-entropy."""
    nn = torch.nn
    rng = np.random.default_rng(seed)
    model = nn.Sequential(nn.Linear(20, 32), nn.ReLU(), nn.Linear(32, 16), nn.ReLU(), nn.Linear(16, 5))
    _init(torch, model, rng)
    x = torch.tensor(rng.standard_normal((batch, 20)).astype(np.float32))
    y = torch.tensor(rng.integers(0, 5, batch))
    optimizer = (torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9) if opt == "sgd"
                 else torch.optim.Adam(model.parameters(), lr=0.01))
    loss_fn = nn.CrossEntropyLoss()

    def step():
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        return loss

    return model, optimizer, step


def chain(torch, ops=20):
    """The bench's chain of elementwise ops on 64 floats, sum, backward (x.grad set to None first)."""
    rng = np.random.default_rng(3)
    x = torch.tensor(rng.standard_normal(64).astype(np.float32), requires_grad=True)
    w = torch.tensor(rng.standard_normal(64).astype(np.float32) * 0.1)

    def step():
        x.grad = None
        h = x
        for _ in range(ops // 10):
            h = torch.sin(torch.tanh(torch.exp(torch.sin(torch.tanh(h * 0.9 + w) * w) + 0.1) * 0.5))
        h.sum().backward()

    return x, step
