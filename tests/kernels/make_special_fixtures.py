"""Record PyTorch's outputs of the special functions on the inputs of tests/kernels/special_cases.py into
tests/fixtures/special_torch.npz, so tests/kernels/test_special.py checks the kernels without PyTorch.

Run (with torch==2.13.0 installed):  python tests/kernels/make_special_fixtures.py
"""

from __future__ import annotations

import pathlib
import sys

import numpy as np
import torch

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from special_cases import CASES, inputs  # noqa: E402

N = 300
OUT = pathlib.Path(__file__).resolve().parents[1] / "fixtures" / "special_torch.npz"


def main() -> None:
    torch.set_num_threads(1)
    data = {}
    for name, (_, torch_fn, _, _) in CASES.items():
        fn = torch_fn(torch)
        args = inputs(name, N)
        for dtype in ("float32", "float64"):
            arrs = [a.astype(dtype) for a in args]
            with np.errstate(all="ignore"):
                out = fn(*(torch.from_numpy(a) for a in arrs)).numpy()
            for i, a in enumerate(arrs):
                data[f"{name}|{dtype}|in{i}"] = a
            data[f"{name}|{dtype}|out"] = out
    np.savez_compressed(OUT, **data)
    print("wrote", OUT, len(data), "arrays")


if __name__ == "__main__":
    main()
