"""Record PyTorch's outputs of the special functions on the inputs of tests/kernels/special_cases.py into
tests/fixtures/special_torch.npz, so tests/kernels/test_special.py checks the kernels without PyTorch.

Run (with torch==2.13.0 installed):  python tests/kernels/make_special_fixtures.py

Where PyTorch's own result depends on the CPU (special_cases.CPU_DEPENDENT: float32 GELU, oneDNN's AVX2
or AVX-512 kernel) the output is stored under "<name>|<dtype>|out|<isa>" as well; the other CPU kind's
outputs already in the file are kept, so running this on an AVX2 and on an AVX-512 machine fills both.
"""

from __future__ import annotations

import pathlib
import sys

import numpy as np
import torch

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from special_cases import CASES, CPU_DEPENDENT, inputs, onednn_isa  # noqa: E402

N = 300
OUT = pathlib.Path(__file__).resolve().parents[1] / "fixtures" / "special_torch.npz"


def main() -> None:
    torch.set_num_threads(1)
    data = dict(np.load(OUT)) if OUT.exists() else {}
    for name, (_, torch_fn, _, _) in CASES.items():
        fn = torch_fn(torch)
        args = inputs(name, N)
        for dtype in ("float32", "float64"):
            arrs = [a.astype(dtype) for a in args]
            with np.errstate(all="ignore"):
                out = fn(*(torch.from_numpy(a) for a in arrs)).numpy()
            for i, a in enumerate(arrs):
                data[f"{name}|{dtype}|in{i}"] = a
            if (name, dtype) in CPU_DEPENDENT:
                data[f"{name}|{dtype}|out|{onednn_isa()}"] = out
                if f"{name}|{dtype}|out" in data:
                    continue  # the plain key keeps the AVX2 values it was first recorded with
            data[f"{name}|{dtype}|out"] = out
    np.savez_compressed(OUT, **data)
    print("wrote", OUT, len(data), "arrays")


if __name__ == "__main__":
    main()
