"""Record PyTorch's answers for every catalogue entry: ``python tests/ops/record_catalogue.py [family ...]``.

Writes ``tests/fixtures/catalogue/<family>.npz`` (the arrays) and ``<family>.json`` (errors, numbers, grad_fn
names), which test_catalogue.py reads when PyTorch is not installed. Run it after changing a family's entries.
"""

from __future__ import annotations

import importlib
import json
import pathlib
import sys

import numpy as np

HERE = pathlib.Path(__file__).parent
sys.path.insert(0, str(HERE))
OUT = HERE.parent / "fixtures" / "catalogue"


def main(families):
    import catalogue_checks as C
    import torch
    torch.set_num_threads(1)
    ref = C.Torch(torch)
    OUT.mkdir(parents=True, exist_ok=True)
    for family in families:
        arrays, meta = {}, {}
        for entry in importlib.import_module(family).ENTRIES:
            for dtype in entry.dtypes:
                C.record(entry, np.dtype(dtype), ref, arrays, meta)
        np.savez_compressed(OUT / f"{family}.npz", **arrays)
        (OUT / f"{family}.json").write_text(json.dumps(meta, sort_keys=True, separators=(",", ":")))
        print(f"{family}: {len(meta)} answers, {len(arrays)} arrays")


if __name__ == "__main__":
    names = sys.argv[1:] or sorted(p.stem for p in HERE.glob("catalogue_*.py") if p.stem not in ("catalogue_checks", "catalogue_surface", "catalogue_exclusions"))
    main(names)
