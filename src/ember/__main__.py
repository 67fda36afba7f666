"""``python -m ember --version``: ember's version, the PyTorch API version it follows, NumPy's and Python's.

``python -m ember run SCRIPT [ARGS]`` / ``python -m ember run -m MODULE [ARGS]``: a PyTorch program, unchanged,
on ember (``import torch`` and ``import torchvision`` resolve to ember; see ember/_torch_alias.py).

``python -m ember demo [--out DIR] [--epochs N]``: seed tutorial 000 run on ember, on a CPU.

1. the gradient field of sin(x^2 + y^2) from autograd, checked against the analytic formula and drawn as
   arrows over the function's contours (gradient_field.png);
2. f(x, y, z) = tanh(ln(1 + z 2x / sin y)): its backward pass explained and its graph drawn (graph.svg);
3. the WideNet regression (Linear(1, 512)-Tanh-Linear(512, 1), SGD with momentum, 1847 epochs), with a
   progress bar, writing regression.png and loss.png.
matplotlib and tqdm (the ``demo`` extra) are optional: without them the pictures / the bar are skipped, with a hint.
"""

from __future__ import annotations

import argparse
import builtins
import importlib.machinery
import os
import platform
import random
import runpy
import sys
import time
import types
import zipfile
from math import pi

import numpy as np

import ember
from ember import nn, viz
from ember._torch_alias import use_as_torch
from ember.version import __version__


def _set_seed(seed: int) -> None:


    random.seed(seed)
    np.random.seed(seed)
    ember.manual_seed(seed)


def _field():
    """The grid of seed 000's section 1.1 and autograd's gradient of z = sin(x^2 + y^2) on it (float64)."""

    g = np.arange(-2.5, 2.6, 0.5)
    xx, yy = np.meshgrid(g, g)
    x = ember.tensor(xx, requires_grad=True)
    y = ember.tensor(yy, requires_grad=True)
    ember.sin(x ** 2 + y ** 2).sum().backward()
    return xx, yy, x.grad.numpy(), y.grad.numpy()


def gradient_field() -> float:
    """Max |autograd - analytic| of grad sin(x^2 + y^2) = 2 cos(x^2 + y^2) (x, y) on a grid."""
    xx, yy, gx, gy = _field()
    c = np.cos(xx ** 2 + yy ** 2)
    return float(max(np.abs(gx - 2 * xx * c).max(), np.abs(gy - 2 * yy * c).max()))


DEMO_HINT = "pip install 'ember[demo]', or pip install -e '.[demo]' in a checkout of ember"


def _pyplot():
    """matplotlib's pyplot on the file-only Agg backend, or None (with the install hint) when it is missing."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print(f"   (matplotlib is not installed, so no pictures: {DEMO_HINT})")
        return None
    return plt


def field_plot(out_dir: str, dpi: int = 100) -> str | None:
    """Draw seed 000's picture: z = sin(x^2 + y^2) as filled contours, autograd's gradient vectors as arrows."""
    plt = _pyplot()
    if plt is None:
        return None
    xx, yy, gx, gy = _field()
    fine = np.arange(-3, 3.01, 0.02)
    fx, fy = np.meshgrid(fine, fine, sparse=True)
    fig, ax = plt.subplots(figsize=(6.4, 5.4))
    filled = ax.contourf(fine, fine, np.sin(fx ** 2 + fy ** 2), levels=20)
    ax.quiver(xx, yy, gx, gy, scale=50, color="r")
    ax.set(title="Gradient vectors from autograd point uphill", xlabel="$x$", ylabel="$y$", aspect="equal")
    fig.colorbar(filled, ax=ax, fraction=0.046, pad=0.04).set_label("$z = \\sin(x^2 + y^2)$")
    path = os.path.join(out_dir, "gradient_field.png")
    fig.savefig(path, dpi=dpi, bbox_inches="tight")
    plt.close(fig)
    return path


def chain_rule_graph(out_dir: str) -> tuple:
    x = ember.tensor([3.0], requires_grad=True)
    y = ember.tensor([1.5], requires_grad=True)
    z = ember.tensor([0.5], requires_grad=True)
    f = ember.tanh(ember.log(1 + z * (2 * x / ember.sin(y))))
    ember.autograd.explain(f, params={"x": x, "y": y, "z": z})
    f.backward(retain_graph=True)
    path = os.path.join(out_dir, "graph.svg")
    viz.draw_graph(f, params={"x": x, "y": y, "z": z}, show_values=True, show_grads=True).save(path)
    return path, (x.grad.item(), y.grad.item(), z.grad.item())


def regression(epochs: int, out_dir: str) -> dict:
    _set_seed(2021)
    n = 32
    inputs = ember.linspace(-1.0, 1.0, n).reshape(n, 1)
    noise = ember.randn(n, 1) / 4
    targets = ember.sin(pi * inputs) + noise
    _set_seed(2021)
    model = nn.Sequential(nn.Linear(1, 512), nn.Tanh(), nn.Linear(512, 1))
    loss_fn = nn.MSELoss()
    opt = ember.optim.SGD(model.parameters(), lr=0.003, momentum=0.9)
    try:
        from tqdm import tqdm
        steps = tqdm(range(epochs), desc="WideNet", unit="epoch", file=sys.stdout)
    except ImportError:
        print(f"   (tqdm is not installed, so no progress bar: {DEMO_HINT})")
        steps = range(epochs)
    losses = []
    t0 = time.perf_counter()
    for _ in steps:
        opt.zero_grad()
        loss = loss_fn(model(inputs), targets)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    elapsed = time.perf_counter() - t0
    pictures = _plots(model, inputs, targets, losses, out_dir)
    return {"first_loss": losses[0] if losses else float("nan"), "last_loss": losses[-1] if losses else
            float("nan"), "seconds": elapsed, "pictures": pictures}


def _plots(model, inputs, targets, losses, out_dir) -> list:
    plt = _pyplot()
    if plt is None:
        return []
    with ember.no_grad():
        pred = model(inputs).numpy()
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.scatter(inputs.numpy(), targets.numpy(), c="c", label="targets")
    ax.plot(inputs.numpy(), pred, color="r", label="prediction")
    ax.set(title="Regression", xlabel="x", ylabel="y")
    ax.legend()
    reg = os.path.join(out_dir, "regression.png")
    fig.savefig(reg, dpi=120, bbox_inches="tight")
    plt.close(fig)
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(range(1, len(losses) + 1), losses, color="y")
    ax.set(title="Training loss", xlabel="Epoch", ylabel="MSE")
    lp = os.path.join(out_dir, "loss.png")
    fig.savefig(lp, dpi=120, bbox_inches="tight")
    plt.close(fig)
    return [reg, lp]


def demo(out_dir: str = "ember-demo", epochs: int = 1847) -> dict:
    """Run the three parts, print a summary, return the numbers."""
    os.makedirs(out_dir, exist_ok=True)
    t_all = time.perf_counter()
    print("== 1. gradient vectors of z = sin(x^2 + y^2): autograd vs 2cos(x^2+y^2)(x, y)")
    err = gradient_field()
    print(f"   max |autograd - analytic| = {err:.3g}")
    field = field_plot(out_dir)
    if field:
        print(f"   gradient vectors drawn -> {field}")
    print("== 2. f(x, y, z) = tanh(ln(1 + z 2x / sin(y))) at (3, 1.5, 0.5): the backward pass")
    graph, grads = chain_rule_graph(out_dir)
    print(f"   df/dx, df/dy, df/dz = {grads[0]:.6f}, {grads[1]:.6f}, {grads[2]:.6f}; graph -> {graph}")
    print(f"== 3. WideNet regression: Linear(1,512)-Tanh-Linear(512,1), SGD(lr=0.003, momentum=0.9), "
          f"{epochs} epochs")
    reg = regression(epochs, out_dir)
    # the seed tutorial prints this loss (its first forward pass, before any step) as `Loss: ...`
    print(f"   loss before training (epoch 1's forward pass): {reg['first_loss']}")
    print(f"   final loss {reg['last_loss']:.6f} after {epochs} epochs in {reg['seconds']:.2f} s")
    for p in reg["pictures"]:
        print(f"   wrote {p}")
    print(f"done in {time.perf_counter() - t_all:.2f} s; outputs in {os.path.abspath(out_dir)}")
    reg["pictures"] = ([field] if field else []) + reg["pictures"]
    return {"grad_error": err, "graph": graph, "f_grads": grads, **reg}


RUN_USAGE = "usage: python -m ember run SCRIPT [ARGS ...] | python -m ember run -m MODULE [ARGS ...]"


def _script_traceback(tb):
    """The traceback without this runner's frames, as `python SCRIPT` would print it."""
    here = os.path.abspath(__file__)
    while tb is not None and os.path.abspath(tb.tb_frame.f_code.co_filename) == here:
        tb = tb.tb_next
    return tb


def _run_script(path: str) -> None:
    """Execute the file at `path` as the module ``__main__``, as ``python path`` does."""
    if os.path.isdir(path) or not path.endswith((".py", ".pyw")) and _is_zip(path):
        runpy.run_path(path, run_name="__main__")  # a directory or zip archive with __main__.py
        return
    filename = os.path.abspath(path)
    with open(filename, "rb") as f:
        code = compile(f.read(), filename, "exec")
    module = types.ModuleType("__main__")
    module.__dict__.update(__file__=filename, __cached__=None, __builtins__=builtins,
                           __loader__=importlib.machinery.SourceFileLoader("__main__", filename))
    saved = sys.modules.get("__main__")
    sys.modules["__main__"] = module
    try:
        exec(code, module.__dict__)  # noqa: S102 -- running the user's program is the point
    finally:
        sys.modules["__main__"] = saved


def _is_zip(path: str) -> bool:
    return os.path.isfile(path) and zipfile.is_zipfile(path)


def run(argv: list) -> int:
    """Run a script (or ``-m`` a module) as ``__main__`` with ``torch`` resolving to ember; return its exit code.

    sys.argv, sys.path[0] and ``__file__`` are set as ``python SCRIPT ARGS`` sets them. SystemExit passes through
    (the script's exit code); any other uncaught exception prints its traceback (the script's frames) and gives 1.
    """
    if not argv or argv[0] in ("-h", "--help"):
        print(RUN_USAGE)
        print("Runs a PyTorch program unchanged on ember: `import torch` and `import torchvision` give ember.")
        return 0 if argv else 2
    if argv[0] == "-m" and len(argv) < 2:
        print(RUN_USAGE, file=sys.stderr)
        print("ember run: error: -m needs a module name", file=sys.stderr)
        return 2
    if argv[0] != "-m" and not os.path.exists(argv[0]):
        print(f"{sys.executable}: can't open file {os.path.abspath(argv[0])!r}: [Errno 2] No such file or directory",
              file=sys.stderr)
        return 2
    use_as_torch()
    try:
        if argv[0] == "-m":
            sys.argv = [argv[1], *argv[2:]]  # run_module puts the module's file in argv[0], as `python -m` does
            runpy.run_module(argv[1], run_name="__main__", alter_sys=True)
        else:
            sys.argv = list(argv)
            sys.path[0] = os.path.dirname(os.path.abspath(argv[0]))
            _run_script(argv[0])
    except SystemExit:
        raise
    except Exception as exc:  # noqa: BLE001 -- printed as python prints an uncaught exception
        tb = _script_traceback(exc.__traceback__)
        sys.excepthook(type(exc), exc.with_traceback(tb), tb)
        return 1
    return 0


def version_text() -> str:
    """What ``python -m ember --version`` prints: ember's release, the PyTorch API it follows, NumPy, Python."""


    return (f"ember {__version__} (PyTorch {__version__.split('+')[0]}'s API) on NumPy {np.__version__}, "
            f"Python {platform.python_version()}")


def main(argv: list | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv and argv[0] == "run":  # before argparse: everything after the script belongs to the script
        return run(argv[1:])
    parser = argparse.ArgumentParser(prog="ember", description="ember: PyTorch's API on NumPy")
    parser.add_argument("--version", action="version", version=version_text())
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("run", help="run a PyTorch script unchanged on ember: run SCRIPT [ARGS] | run -m MODULE [ARGS]")
    d = sub.add_parser("demo", help="run seed tutorial 000 (autograd, a graph picture, a small training)")
    d.add_argument("--out", default="ember-demo", help="directory for the pictures (default ./ember-demo)")
    d.add_argument("--epochs", type=int, default=1847, help="training epochs (default 1847)")
    args = parser.parse_args(argv)
    if args.command != "demo":
        parser.print_help()
        return 0 if args.command is None else 2
    if args.epochs < 0:
        parser.error(f"--epochs must be >= 0, got {args.epochs}")
    demo(args.out, args.epochs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
