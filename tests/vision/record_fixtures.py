"""Record torchvision's outputs on the generated files: python tests/vision/record_fixtures.py

Run it where torch and torchvision are installed; it writes tests/fixtures/vision/torchvision.npz and
programs/*.txt (the programs' output on torch), which the
tests compare ember.vision with when torchvision is absent (CI installs only what pyproject.toml lists).
"""

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _cases
import _compare
import _programs
import _tv
import numpy as np


def main() -> None:
    tv = _tv.torchvision_or_skip()
    import torch
    torch.set_num_threads(1)
    arrays = {}
    with tempfile.TemporaryDirectory() as root:
        _cases.build_root(root)
        for name, fn in _cases.CASES.items():
            arrays.update(_compare.to_arrays(name, fn(tv, torch, root)))
    _compare.FIXTURE.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(_compare.FIXTURE, **arrays)
    print(f"wrote {len(arrays)} outputs to {_compare.FIXTURE} ({_compare.FIXTURE.stat().st_size} bytes)")
    with tempfile.TemporaryDirectory() as tmp:
        folders = {}
        for name in _programs.PROGRAMS:
            folders[name] = str(Path(tmp) / name)
            _programs.build_data(folders[name])
        outputs = _programs.run_on_torch(folders)
    _programs.FIXTURES.mkdir(parents=True, exist_ok=True)
    for name, lines in outputs.items():
        (_programs.FIXTURES / f"{name}.txt").write_text("\n".join(lines) + "\n")
        print(f"wrote {name}.txt ({len(lines)} lines)")


if __name__ == "__main__":
    main()
