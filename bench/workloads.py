"""The benchmark workloads, each written once against PyTorch's API.

A workload's ``make(torch, quick)`` takes the framework module (PyTorch itself or ``ember``), builds the model
and data outside the timed region, and returns a zero-argument ``run`` that does the timed work once. The
same function therefore times PyTorch and ember on identical code. Peer frameworks without PyTorch's API
(NumPy by hand, HIPS autograd, mygrad) get their own short ``make`` for workloads 1 and 2 only.

Data come from NumPy's generator, so every framework sees the same inputs.
"""

from __future__ import annotations

import itertools
import math
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

Runner = Callable[[], object]


@dataclass
class Workload:
    """One benchmark: how to build a runner per framework and how to turn seconds per run into a value."""

    name: str
    title: str
    unit: str
    makers: dict[str, Callable[..., Runner]]
    # seconds per run -> reported value; also given ``quick`` because run sizes shrink in quick mode
    convert: Callable[[float, bool], float]
    higher_is_better: bool = False
    warmup: bool = True
    notes: list[str] = field(default_factory=list)


def _data(seed: int, *shape: int) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal(shape).astype(np.float32)


# =====================================================================================================
# 1. seed 000's WideNet regression: Linear(1,512)-Tanh-Linear(512,1), 32 points, 1847 full-batch epochs
# =====================================================================================================

WIDE_EPOCHS = 1847
WIDE_CELLS = 512
WIDE_SAMPLES = 32
WIDE_LR = 0.003


def _wide_data():
    x = np.linspace(-1.0, 1.0, WIDE_SAMPLES, dtype=np.float32).reshape(WIDE_SAMPLES, 1)
    y = (np.sin(np.pi * x) + _data(0, WIDE_SAMPLES, 1) / 4).astype(np.float32)
    return x, y


def wide_net_torch_api(torch, quick: bool = False) -> Runner:
    """The tutorial's training loop verbatim (zero_grad, forward, MSE, backward, step, loss.item())."""
    nn = torch.nn
    epochs = 5 if quick else WIDE_EPOCHS
    x_np, y_np = _wide_data()
    inputs, targets = torch.tensor(x_np), torch.tensor(y_np)

    class WideNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.layers = nn.Sequential(nn.Linear(1, WIDE_CELLS), nn.Tanh(), nn.Linear(WIDE_CELLS, 1))

        def forward(self, x):
            return self.layers(x)

    model = WideNet()
    loss_fn = nn.MSELoss()
    opt = torch.optim.SGD(model.parameters(), lr=WIDE_LR, momentum=0.9)

    def run():
        losses = []
        for _ in range(epochs):
            opt.zero_grad()
            loss = loss_fn(model(inputs), targets)
            loss.backward()
            opt.step()
            losses.append(loss.item())
        return losses

    return run


def _wide_init():
    # PyTorch's default Linear init bounds: U(-1/sqrt(fan_in), 1/sqrt(fan_in))
    rng = np.random.default_rng(1)
    b2 = 1 / math.sqrt(WIDE_CELLS)
    return [rng.uniform(-1, 1, (WIDE_CELLS, 1)).astype(np.float32),
            rng.uniform(-1, 1, WIDE_CELLS).astype(np.float32),
            rng.uniform(-b2, b2, (1, WIDE_CELLS)).astype(np.float32),
            rng.uniform(-b2, b2, 1).astype(np.float32)]


def wide_net_numpy(_np, quick: bool = False) -> Runner:
    """The floor: the same training with gradients derived by hand, in-place NumPy updates, no autograd."""
    epochs = 5 if quick else WIDE_EPOCHS
    x, y = _wide_data()
    params = _wide_init()
    bufs = [np.zeros_like(p) for p in params]
    n = x.shape[0]

    def run():
        w1, b1, w2, b2 = params
        losses = []
        for _ in range(epochs):
            h = np.tanh(x @ w1.T + b1)                      # (n, 512)
            err = h @ w2.T + b2 - y                         # (n, 1)
            losses.append(float(np.mean(err * err)))
            d_out = err * (2.0 / n)                         # dL/dy for the mean of squares
            d_pre = (d_out @ w2) * (1 - h * h)              # back through tanh
            grads = (d_pre.T @ x, d_pre.sum(0), d_out.T @ h, d_out.sum(0))
            for p, g, b in zip(params, grads, bufs):        # SGD with momentum (first step: buf = g)
                b *= 0.9
                b += g
                p -= WIDE_LR * b
        return losses

    return run


def wide_net_autograd(ag, quick: bool = False) -> Runner:
    """HIPS autograd: the loss as a NumPy function of the parameter list, ``grad`` of it, momentum by hand."""
    import autograd.numpy as anp
    epochs = 5 if quick else WIDE_EPOCHS
    x, y = _wide_data()
    params = _wide_init()
    bufs = [np.zeros_like(p) for p in params]

    def loss(ps):
        w1, b1, w2, b2 = ps
        out = anp.dot(anp.tanh(anp.dot(x, w1.T) + b1), w2.T) + b2
        return anp.mean((out - y) ** 2)

    value_and_grad = ag.value_and_grad(loss)

    def run():
        losses = []
        for _ in range(epochs):
            v, grads = value_and_grad(params)
            losses.append(float(v))
            for p, g, b in zip(params, grads, bufs):
                b *= 0.9
                b += g
                p -= WIDE_LR * b
        return losses

    return run


def wide_net_mygrad(mg, quick: bool = False) -> Runner:
    """mygrad: tensors with ``backward()``, parameters updated in place through ``.data``."""
    epochs = 5 if quick else WIDE_EPOCHS
    x, y = _wide_data()
    params = [mg.Tensor(p) for p in _wide_init()]
    bufs = [np.zeros_like(p.data) for p in params]

    def run():
        w1, b1, w2, b2 = params
        losses = []
        for _ in range(epochs):
            out = mg.matmul(mg.tanh(mg.matmul(x, w1.T) + b1), w2.T) + b2
            loss = mg.mean((out - y) ** 2)
            loss.backward()
            losses.append(loss.item())
            for p, b in zip(params, bufs):
                b *= 0.9
                b += p.grad
                p.data -= WIDE_LR * b
        return losses

    return run


# =====================================================================================================
# 2. per-op overhead: 50 elementwise ops on a 64-element float32 tensor, sum, backward
# =====================================================================================================

CHAIN_OPS = 50
CHAIN_INNER = 40  # chains per timed run, so one sample is long enough to time well


def _chain(ns, x, w):
    """Ten ops per round, five rounds; every value stays in a range where exp/sin/tanh are well behaved."""
    for _ in range(CHAIN_OPS // 10):
        x = x * 0.9
        x = x + w
        x = ns.tanh(x)
        x = x * w
        x = ns.sin(x)
        x = x + 0.1
        x = ns.exp(x)
        x = x - w
        x = ns.cos(x)
        x = x * x
    return x


def op_chain_torch_api(torch, quick: bool = False) -> Runner:
    inner = 2 if quick else CHAIN_INNER
    x = torch.tensor(_data(2, 64), requires_grad=True)
    w = torch.tensor(_data(3, 64) * 0.1)

    def run():
        for _ in range(inner):
            x.grad = None
            _chain(torch, x, w).sum().backward()

    return run


def op_chain_autograd(ag, quick: bool = False) -> Runner:
    import autograd.numpy as anp
    inner = 2 if quick else CHAIN_INNER
    x, w = _data(2, 64), _data(3, 64) * 0.1
    g = ag.grad(lambda v: anp.sum(_chain(anp, v, w)))

    def run():
        for _ in range(inner):
            g(x)

    return run


def op_chain_mygrad(mg, quick: bool = False) -> Runner:
    inner = 2 if quick else CHAIN_INNER
    x, w = mg.Tensor(_data(2, 64)), _data(3, 64) * 0.1

    def run():
        for _ in range(inner):
            mg.sum(_chain(mg, x, w)).backward()

    return run


# =====================================================================================================
# 3. MLP classification 784-256-128-10, batch 128;  4. small CNN, batch 32 of 1x28x28
# =====================================================================================================

MLP_SIZES = (784, 256, 128, 10)
MLP_BATCH = 128
MLP_STEPS = 10
CNN_BATCH = 32
CNN_STEPS = 5


def _train_steps(torch, model, x, y, steps):
    loss_fn = torch.nn.CrossEntropyLoss()
    opt = torch.optim.SGD(model.parameters(), lr=0.01)

    def run():
        for _ in range(steps):
            opt.zero_grad()
            loss = loss_fn(model(x), y)
            loss.backward()
            opt.step()
        return loss.item()

    return run


def mlp_torch_api(torch, quick: bool = False) -> Runner:
    nn = torch.nn
    a, b, c, d = MLP_SIZES
    model = nn.Sequential(nn.Linear(a, b), nn.ReLU(), nn.Linear(b, c), nn.ReLU(), nn.Linear(c, d))
    x = torch.tensor(_data(4, MLP_BATCH, a))
    y = torch.tensor(np.random.default_rng(5).integers(0, d, MLP_BATCH))
    return _train_steps(torch, model, x, y, 1 if quick else MLP_STEPS)


def mlp_flops_per_step() -> float:
    """Matmul flops of one step: 2*B*in*out per layer forward, times 3 for forward + both backward GEMMs."""
    return 6.0 * MLP_BATCH * sum(i * o for i, o in itertools.pairwise(MLP_SIZES))


def cnn_torch_api(torch, quick: bool = False) -> Runner:
    nn = torch.nn
    model = nn.Sequential(nn.Conv2d(1, 8, 3), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Conv2d(8, 16, 3), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Flatten(), nn.Linear(400, 10))
    x = torch.tensor(_data(6, CNN_BATCH, 1, 28, 28))
    y = torch.tensor(np.random.default_rng(7).integers(0, 10, CNN_BATCH))
    return _train_steps(torch, model, x, y, 1 if quick else CNN_STEPS)


# =====================================================================================================
# 5. the ceiling: float32 GEMM throughput, NumPy's BLAS (what ember calls) and through each framework
# =====================================================================================================

GEMM_N = 1024
GEMM_INNER = 4       # products per timed run (one 1024^3 product is ~10 ms: too short to time alone)
GEMM_MLP_INNER = 40  # MLP steps' worth of GEMMs per timed run


def gemm_square(torch, quick: bool = False) -> Runner:
    n = 128 if quick else GEMM_N
    a, b = torch.tensor(_data(8, n, n)), torch.tensor(_data(9, n, n))

    def run():
        for _ in range(GEMM_INNER):
            torch.matmul(a, b)

    return run


def gemm_square_numpy(_np, quick: bool = False) -> Runner:
    n = 128 if quick else GEMM_N
    a, b = _data(8, n, n), _data(9, n, n)

    def run():
        for _ in range(GEMM_INNER):
            np.matmul(a, b)

    return run


def _mlp_gemm_operands(convert):
    """The GEMMs of one MLP step, in nn.Linear's layouts: y = x W^T, dX = dY W, dW = dY^T x."""
    ops = []
    for k, (i, o) in enumerate(itertools.pairwise(MLP_SIZES)):
        x, w, dy = (convert(_data(10 + 3 * k + j, *s)) for j, s in
                    enumerate([(MLP_BATCH, i), (o, i), (MLP_BATCH, o)]))
        ops.append((x, w, dy))
    return ops


def gemm_mlp(torch, quick: bool = False) -> Runner:
    ops = _mlp_gemm_operands(torch.tensor)

    def run():
        for _ in range(GEMM_MLP_INNER):
            for x, w, dy in ops:
                torch.matmul(x, w.t())
                torch.matmul(dy, w)
                torch.matmul(dy.t(), x)

    return run


def gemm_mlp_numpy(_np, quick: bool = False) -> Runner:
    ops = _mlp_gemm_operands(lambda a: a)

    def run():
        for _ in range(GEMM_MLP_INNER):
            for x, w, dy in ops:
                np.matmul(x, w.T)
                np.matmul(dy, w)
                np.matmul(dy.T, x)

    return run


# =====================================================================================================
# 6. import time (fresh interpreter each time) and installed size
# =====================================================================================================

_IMPORT_SNIPPET = "import time; t = time.perf_counter(); import {0}; print(time.perf_counter() - t)"


def _import_env() -> dict:
    # Byte-code caching on, in a private cache: a user's installed package imports from .pyc files, so
    # measuring with PYTHONDONTWRITEBYTECODE would charge ember (an editable install) for compiling its source.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = os.path.join(tempfile.gettempdir(), "ember-bench-pycache")
    return env


def import_time(module_name: str) -> float:
    """Seconds to ``import module_name`` in a fresh interpreter (start-up excluded, byte-code cached)."""
    out = subprocess.run([sys.executable, "-c", _IMPORT_SNIPPET.format(module_name)], capture_output=True,
                         text=True, check=True, env=_import_env())
    return float(out.stdout.strip().splitlines()[-1])


def installed_size(module) -> int:
    """Bytes of the package's directory on disk (its files, compiled caches and bundled libraries)."""
    root = os.path.dirname(module.__file__)
    total = 0
    for dirpath, _, files in os.walk(root):
        for f in files:
            p = os.path.join(dirpath, f)
            if not os.path.islink(p):
                total += os.path.getsize(p)
    return total


# =====================================================================================================
# The table of workloads
# =====================================================================================================

def _per(n_units_full: float, n_units_quick: float, scale: float):
    return lambda s, quick: s / (n_units_quick if quick else n_units_full) * scale


def _gflops(flops_full: float, flops_quick: float):
    return lambda s, quick: (flops_quick if quick else flops_full) / s / 1e9


WORKLOADS: dict[str, Workload] = {w.name: w for w in [
    Workload("widenet", "1. WideNet regression, 1847 epochs (seed 000)", "s total",
             {"ember": wide_net_torch_api, "torch": wide_net_torch_api, "numpy": wide_net_numpy,
              "autograd": wide_net_autograd, "mygrad": wide_net_mygrad},
             convert=lambda s, quick: s, warmup=False,
             notes=["numpy = gradients by hand, no autograd (the floor)"]),
    Workload("op_overhead", "2. per-op overhead, 50 elementwise ops on 64 floats, fwd+bwd", "µs/op",
             {"ember": op_chain_torch_api, "torch": op_chain_torch_api, "autograd": op_chain_autograd,
              "mygrad": op_chain_mygrad},
             convert=_per(CHAIN_INNER * CHAIN_OPS, 2 * CHAIN_OPS, 1e6)),
    Workload("mlp", "3. MLP 784-256-128-10, batch 128, SGD step", "ms/step",
             {"ember": mlp_torch_api, "torch": mlp_torch_api},
             convert=_per(MLP_STEPS, 1, 1e3)),
    Workload("cnn", "4. small CNN, batch 32 of 1x28x28, SGD step", "ms/step",
             {"ember": cnn_torch_api, "torch": cnn_torch_api},
             convert=_per(CNN_STEPS, 1, 1e3)),
    Workload("gemm", f"5a. float32 GEMM {GEMM_N}^3", "GFLOP/s",
             {"ember": gemm_square, "torch": gemm_square, "numpy": gemm_square_numpy},
             convert=_gflops(GEMM_INNER * 2.0 * GEMM_N ** 3, GEMM_INNER * 2.0 * 128 ** 3), higher_is_better=True),
    Workload("gemm_mlp", "5b. float32 GEMMs of one MLP step (fwd + bwd shapes)", "GFLOP/s",
             {"ember": gemm_mlp, "torch": gemm_mlp, "numpy": gemm_mlp_numpy},
             convert=_gflops(GEMM_MLP_INNER * mlp_flops_per_step(), GEMM_MLP_INNER * mlp_flops_per_step()), higher_is_better=True),
]}
