"""The benchmark workloads, each written once against PyTorch's API.

A workload's ``make(torch, quick, wrap)`` takes the framework module (PyTorch itself or ``ember``), builds the
model and data outside the timed region, and returns a zero-argument ``run`` that does the timed work once.
The same function therefore times PyTorch and ember on identical code. Inside, the training step is one
function, ``step``, and the maker calls ``wrap(step)`` on it: the identity for eager rows, the framework's own
``torch.compile`` for the compiled rows (``ember.compile`` on ember), the way a user compiles a whole step.

A run is several steps, so that one sample lasts 0.1 s or more (long enough for the load probe in
``bench.machine`` and for the timer); the workload's ``convert`` turns seconds per run into the reported unit.
``quick=True`` shrinks every run to one or two steps: the smoke test's setting, not a measurement.

Peer frameworks without PyTorch's API (NumPy by hand, HIPS autograd, mygrad) get their own short ``make`` for
workloads 1 and 2 only; they ignore ``wrap``. Data come from NumPy's generator, so every framework sees the
same inputs.
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


def eager(step):
    """The ``wrap`` of the eager rows."""
    return step


@dataclass
class Workload:
    """One benchmark: how to build a runner per framework and how to turn seconds per run into a value."""

    name: str
    title: str
    unit: str
    makers: dict[str, Callable[..., Runner]]
    # seconds per run -> reported value; also given ``quick`` because runs shrink in quick mode
    convert: Callable[[float, bool], float]
    higher_is_better: bool = False
    compilable: bool = False  # its makers pass the step through ``wrap`` (the --compile rows)
    steps: tuple[int, int] = (1, 1)  # steps (epochs, chains, products) in one run: full size, quick
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


def wide_net_torch_api(torch, quick: bool = False, wrap=eager) -> Runner:
    """The tutorial's training loop (zero_grad, forward, MSE, backward, step; ``loss.item()`` each epoch)."""
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

    def step():
        opt.zero_grad()
        loss = loss_fn(model(inputs), targets)
        loss.backward()
        opt.step()
        return loss

    step = wrap(step)

    def run():
        return [step().item() for _ in range(epochs)]

    return run


def _wide_init():
    # PyTorch's default Linear init bounds: U(-1/sqrt(fan_in), 1/sqrt(fan_in))
    rng = np.random.default_rng(1)
    b2 = 1 / math.sqrt(WIDE_CELLS)
    return [rng.uniform(-1, 1, (WIDE_CELLS, 1)).astype(np.float32),
            rng.uniform(-1, 1, WIDE_CELLS).astype(np.float32),
            rng.uniform(-b2, b2, (1, WIDE_CELLS)).astype(np.float32),
            rng.uniform(-b2, b2, 1).astype(np.float32)]


def wide_net_numpy(_np, quick: bool = False, wrap=eager) -> Runner:
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


def wide_net_autograd(ag, quick: bool = False, wrap=eager) -> Runner:
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


def wide_net_mygrad(mg, quick: bool = False, wrap=eager) -> Runner:
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
# 2. per-op overhead: 50 elementwise ops (add, mul, tanh, sin, exp) on 64 float32s, sum, backward
# =====================================================================================================

CHAIN_OPS = 50
CHAIN_INNER = 400  # chains per timed run (20,000 ops): one sample takes 0.1-0.3 s


def _chain(ns, x, w):
    """Ten ops per round (3 mul, 2 add, 2 tanh, 2 sin, 1 exp), five rounds; every value stays within [-3, 3]."""
    for _ in range(CHAIN_OPS // 10):
        x = x * 0.9
        x = x + w
        x = ns.tanh(x)
        x = x * w
        x = ns.sin(x)
        x = x + 0.1
        x = ns.exp(x)
        x = x * 0.5
        x = ns.tanh(x)
        x = ns.sin(x)
    return x


def op_chain_torch_api(torch, quick: bool = False, wrap=eager) -> Runner:
    inner = 2 if quick else CHAIN_INNER
    x = torch.tensor(_data(2, 64), requires_grad=True)
    w = torch.tensor(_data(3, 64) * 0.1)

    def step():
        x.grad = None
        _chain(torch, x, w).sum().backward()

    step = wrap(step)

    def run():
        for _ in range(inner):
            step()

    return run


def op_chain_autograd(ag, quick: bool = False, wrap=eager) -> Runner:
    import autograd.numpy as anp
    inner = 2 if quick else CHAIN_INNER
    x, w = _data(2, 64), _data(3, 64) * 0.1
    g = ag.grad(lambda v: anp.sum(_chain(anp, v, w)))

    def run():
        for _ in range(inner):
            g(x)

    return run


def op_chain_mygrad(mg, quick: bool = False, wrap=eager) -> Runner:
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
MLP_STEPS = 60
CNN_BATCH = 32
CNN_STEPS = 30


def _train_steps(torch, model, x, y, steps, wrap):
    loss_fn = torch.nn.CrossEntropyLoss()
    opt = torch.optim.SGD(model.parameters(), lr=0.01)

    def step():
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        return loss

    step = wrap(step)

    def run():
        for _ in range(steps):
            loss = step()
        return loss.item()

    return run


def mlp_torch_api(torch, quick: bool = False, wrap=eager) -> Runner:
    nn = torch.nn
    a, b, c, d = MLP_SIZES
    model = nn.Sequential(nn.Linear(a, b), nn.ReLU(), nn.Linear(b, c), nn.ReLU(), nn.Linear(c, d))
    x = torch.tensor(_data(4, MLP_BATCH, a))
    y = torch.tensor(np.random.default_rng(5).integers(0, d, MLP_BATCH))
    return _train_steps(torch, model, x, y, 1 if quick else MLP_STEPS, wrap)


def mlp_flops_per_step() -> float:
    """Matmul flops of one step: 2*B*in*out per layer forward, times 3 for forward + both backward GEMMs."""
    return 6.0 * MLP_BATCH * sum(i * o for i, o in itertools.pairwise(MLP_SIZES))


def cnn_torch_api(torch, quick: bool = False, wrap=eager) -> Runner:
    nn = torch.nn
    model = nn.Sequential(nn.Conv2d(1, 8, 3), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Conv2d(8, 16, 3), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Flatten(), nn.Linear(400, 10))
    x = torch.tensor(_data(6, CNN_BATCH, 1, 28, 28))
    y = torch.tensor(np.random.default_rng(7).integers(0, 10, CNN_BATCH))
    return _train_steps(torch, model, x, y, 1 if quick else CNN_STEPS, wrap)


# =====================================================================================================
# 5. a small GPT training step in nanoGPT's shape (character-level Shakespeare's configuration, scaled down)
# =====================================================================================================

GPT_VOCAB = 65       # the character vocabulary of tiny Shakespeare
GPT_CONTEXT = 64
GPT_EMBED = 64
GPT_HEADS = 4
GPT_LAYERS = 2
GPT_BATCH = 16
GPT_DROPOUT = 0.1    # minGPT's default, for the second variant (nanoGPT's default configuration has none)
GPT_STEPS = 10


def gpt_torch_api(torch, quick: bool = False, wrap=eager, dropout: float = 0.0) -> Runner:
    """One training step as nanoGPT's ``train.py`` takes it, on the model as nanoGPT/minGPT write it.

    Pre-norm blocks (LayerNorm, causal self-attention through ``F.scaled_dot_product_attention(is_causal=True)``
    with attention dropout, LayerNorm, MLP with GELU), token and position embeddings, the token embedding tied
    to the output head, N(0, 0.02) init with the residual projections scaled by 1/sqrt(2 layers), AdamW with
    weight decay on the matrices only, gradients clipped to norm 1, ``zero_grad(set_to_none=True)``.
    """
    nn, F = torch.nn, torch.nn.functional
    C, H, T, V, p = GPT_EMBED, GPT_HEADS, GPT_CONTEXT, GPT_VOCAB, dropout

    class CausalSelfAttention(nn.Module):
        def __init__(self):
            super().__init__()
            self.c_attn = nn.Linear(C, 3 * C)    # query, key and value in one product
            self.c_proj = nn.Linear(C, C)
            self.resid_dropout = nn.Dropout(p)

        def forward(self, x):
            b, t, c = x.size()
            q, k, v = self.c_attn(x).split(C, dim=2)
            q, k, v = (z.view(b, t, H, c // H).transpose(1, 2) for z in (q, k, v))   # (b, heads, t, head size)
            y = F.scaled_dot_product_attention(q, k, v, attn_mask=None, dropout_p=p if self.training else 0.0,
                                               is_causal=True)
            y = y.transpose(1, 2).contiguous().view(b, t, c)
            return self.resid_dropout(self.c_proj(y))

    class FeedForward(nn.Module):
        def __init__(self):
            super().__init__()
            self.c_fc, self.gelu, self.c_proj = nn.Linear(C, 4 * C), nn.GELU(), nn.Linear(4 * C, C)
            self.dropout = nn.Dropout(p)

        def forward(self, x):
            return self.dropout(self.c_proj(self.gelu(self.c_fc(x))))

    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.ln_1, self.attn = nn.LayerNorm(C), CausalSelfAttention()
            self.ln_2, self.mlp = nn.LayerNorm(C), FeedForward()

        def forward(self, x):
            x = x + self.attn(self.ln_1(x))
            return x + self.mlp(self.ln_2(x))

    class GPT(nn.Module):
        def __init__(self):
            super().__init__()
            self.transformer = nn.ModuleDict(dict(
                wte=nn.Embedding(V, C), wpe=nn.Embedding(T, C), drop=nn.Dropout(p),
                h=nn.ModuleList([Block() for _ in range(GPT_LAYERS)]), ln_f=nn.LayerNorm(C)))
            self.lm_head = nn.Linear(C, V, bias=False)
            self.transformer.wte.weight = self.lm_head.weight    # weight tying
            self.apply(self._init_weights)
            for name, param in self.named_parameters():
                if name.endswith("c_proj.weight"):
                    nn.init.normal_(param, mean=0.0, std=0.02 / math.sqrt(2 * GPT_LAYERS))

        @staticmethod
        def _init_weights(m):
            if isinstance(m, (nn.Linear, nn.Embedding)):
                nn.init.normal_(m.weight, mean=0.0, std=0.02)
            if isinstance(m, nn.Linear) and m.bias is not None:
                nn.init.zeros_(m.bias)

        def forward(self, idx, targets):
            t = idx.size(1)
            pos = torch.arange(0, t, dtype=torch.long)
            tr = self.transformer
            x = tr.drop(tr.wte(idx) + tr.wpe(pos))
            for block in tr.h:
                x = block(x)
            logits = self.lm_head(tr.ln_f(x))
            loss = F.cross_entropy(logits.view(-1, logits.size(-1)), targets.view(-1), ignore_index=-1)
            return logits, loss

    torch.manual_seed(0)
    model = GPT()
    params = [q for q in model.parameters() if q.requires_grad]
    groups = [{"params": [q for q in params if q.dim() >= 2], "weight_decay": 0.1},
              {"params": [q for q in params if q.dim() < 2], "weight_decay": 0.0}]
    opt = torch.optim.AdamW(groups, lr=1e-3, betas=(0.9, 0.99))
    data = np.random.default_rng(12).integers(0, V, (GPT_BATCH, T + 1))
    x, y = torch.tensor(data[:, :-1].copy()), torch.tensor(data[:, 1:].copy())
    steps = 1 if quick else GPT_STEPS

    def step():
        _, loss = model(x, y)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        opt.zero_grad(set_to_none=True)
        return loss

    step = wrap(step)

    def run():
        for _ in range(steps):
            loss = step()
        return loss.item()

    return run


def gpt_dropout_torch_api(torch, quick: bool = False, wrap=eager) -> Runner:
    """The GPT step with dropout in its five places (embeddings, attention weights, both residual branches)."""
    return gpt_torch_api(torch, quick, wrap, dropout=GPT_DROPOUT)


# =====================================================================================================
# 6. the ceiling: float32 GEMM throughput, NumPy's BLAS (what ember calls) and through each framework
# =====================================================================================================

GEMM_N = 1024
GEMM_INNER = 12      # products per timed run (one 1024^3 product is 10-20 ms)
GEMM_MLP_INNER = 80  # MLP steps' worth of GEMMs per timed run


def gemm_square(torch, quick: bool = False, wrap=eager) -> Runner:
    n = 128 if quick else GEMM_N
    a, b = torch.tensor(_data(8, n, n)), torch.tensor(_data(9, n, n))

    def run():
        for _ in range(GEMM_INNER):
            torch.matmul(a, b)

    return run


def gemm_square_numpy(_np, quick: bool = False, wrap=eager) -> Runner:
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


def gemm_mlp(torch, quick: bool = False, wrap=eager) -> Runner:
    ops = _mlp_gemm_operands(torch.tensor)
    inner = 1 if quick else GEMM_MLP_INNER

    def run():
        for _ in range(inner):
            for x, w, dy in ops:
                torch.matmul(x, w.t())
                torch.matmul(dy, w)
                torch.matmul(dy.t(), x)

    return run


def gemm_mlp_numpy(_np, quick: bool = False, wrap=eager) -> Runner:
    ops = _mlp_gemm_operands(lambda a: a)
    inner = 1 if quick else GEMM_MLP_INNER

    def run():
        for _ in range(inner):
            for x, w, dy in ops:
                np.matmul(x, w.T)
                np.matmul(dy, w)
                np.matmul(dy.T, x)

    return run


# =====================================================================================================
# 7. import time (fresh interpreter each time) and installed size
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
# 7. forward vs reverse mode: a Jacobian by jacfwd (one tangent pass per input) and by jacrev (one backward pass
#    per output), for few inputs and many outputs and the reverse; ember loops where torch.func batches with vmap

JAC_FEW, JAC_MANY, JAC_REPEAT = 4, 128, 5


def _jacobian_runner(torch, transform: str, n_in: int, n_out: int, quick: bool) -> Runner:
    w = torch.tensor(_data(11, n_out, n_in) * 0.3)
    x = torch.tensor(_data(12, n_in))

    def f(v):
        return torch.tanh(w @ v) * v.sum()

    jac = getattr(torch.func, transform)(f)
    repeat = 1 if quick else JAC_REPEAT

    def run():
        for _ in range(repeat):
            jac(x)

    return run


def _jac(transform, n_in, n_out):
    return lambda torch, quick=False, wrap=eager: _jacobian_runner(torch, transform, n_in, n_out, quick)


# =====================================================================================================

def _per(n_units_full: float, n_units_quick: float, scale: float):
    return lambda s, quick: s / (n_units_quick if quick else n_units_full) * scale


def _gflops(flops_full: float, flops_quick: float):
    return lambda s, quick: (flops_quick if quick else flops_full) / s / 1e9


WORKLOADS: dict[str, Workload] = {w.name: w for w in [
    Workload("widenet", "1. WideNet regression, 1847 epochs (seed 000)", "s total",
             {"ember": wide_net_torch_api, "torch": wide_net_torch_api, "numpy": wide_net_numpy,
              "autograd": wide_net_autograd, "mygrad": wide_net_mygrad},
             convert=lambda s, quick: s, compilable=True, steps=(WIDE_EPOCHS, 5),
             notes=["numpy = gradients by hand, no autograd (the floor)"]),
    Workload("op_overhead", "2. per-op overhead, 50 ops (add, mul, tanh, sin, exp) on 64 floats, fwd+bwd", "µs/op",
             {"ember": op_chain_torch_api, "torch": op_chain_torch_api, "autograd": op_chain_autograd,
              "mygrad": op_chain_mygrad},
             convert=_per(CHAIN_INNER * CHAIN_OPS, 2 * CHAIN_OPS, 1e6), compilable=True, steps=(CHAIN_INNER, 2)),
    Workload("mlp", "3. MLP 784-256-128-10, batch 128, SGD step", "ms/step",
             {"ember": mlp_torch_api, "torch": mlp_torch_api},
             convert=_per(MLP_STEPS, 1, 1e3), compilable=True, steps=(MLP_STEPS, 1)),
    Workload("cnn", "4. small CNN, batch 32 of 1x28x28, SGD step", "ms/step",
             {"ember": cnn_torch_api, "torch": cnn_torch_api},
             convert=_per(CNN_STEPS, 1, 1e3), compilable=True, steps=(CNN_STEPS, 1)),
    Workload("gpt", "5a. small GPT, nanoGPT's shape (2 layers, 4 heads, d 64, context 64, batch 16), AdamW step",
             "ms/step", {"ember": gpt_torch_api, "torch": gpt_torch_api},
             convert=_per(GPT_STEPS, 1, 1e3), compilable=True, steps=(GPT_STEPS, 1)),
    Workload("gpt_dropout", f"5b. the same GPT with dropout {GPT_DROPOUT} (attention, residual, embedding)",
             "ms/step", {"ember": gpt_dropout_torch_api, "torch": gpt_dropout_torch_api},
             convert=_per(GPT_STEPS, 1, 1e3), compilable=True, steps=(GPT_STEPS, 1)),
    Workload("gemm", f"6a. float32 GEMM {GEMM_N}^3", "GFLOP/s",
             {"ember": gemm_square, "torch": gemm_square, "numpy": gemm_square_numpy},
             convert=_gflops(GEMM_INNER * 2.0 * GEMM_N ** 3, GEMM_INNER * 2.0 * 128 ** 3), higher_is_better=True,
             steps=(GEMM_INNER, GEMM_INNER)),
    Workload("gemm_mlp", "6b. float32 GEMMs of one MLP step (fwd + bwd shapes)", "GFLOP/s",
             {"ember": gemm_mlp, "torch": gemm_mlp, "numpy": gemm_mlp_numpy},
             convert=_gflops(GEMM_MLP_INNER * mlp_flops_per_step(), mlp_flops_per_step()), higher_is_better=True,
             steps=(GEMM_MLP_INNER, 1)),
    *[Workload(f"{t}_{shape}", f"7{k}. {t} of tanh(W x)·Σx, {n_in} inputs -> {n_out} outputs (float32)", "ms/jacobian",
               {"ember": _jac(t, n_in, n_out), "torch": _jac(t, n_in, n_out)},
               convert=_per(JAC_REPEAT, 1, 1e3), steps=(JAC_REPEAT, 1),
               notes=["forward mode wins with few inputs, reverse mode with few outputs; torch.func batches the "
                      "passes with vmap, ember runs them one by one"] if k == "a" else [])
      for k, (t, shape, n_in, n_out) in zip("abcd", [("jacfwd", "wide", JAC_FEW, JAC_MANY),
                                                     ("jacrev", "wide", JAC_FEW, JAC_MANY),
                                                     ("jacfwd", "tall", JAC_MANY, JAC_FEW),
                                                     ("jacrev", "tall", JAC_MANY, JAC_FEW)])],
]}
