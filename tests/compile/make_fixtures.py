"""Record PyTorch's losses for the compile tests' steps: ``python tests/compile/make_fixtures.py`` (needs torch).

The tests compare compiled ember's losses with these to 1e-5, so they run without PyTorch installed."""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))

import _models as M  # noqa: E402
import torch  # noqa: E402

STEPS = 12


def main():
    torch.set_num_threads(1)
    out = {}
    for name, make in (("wide_sgd", lambda: M.wide_net(torch, "sgd")), ("wide_adam", lambda: M.wide_net(torch, "adam")),
                       ("mlp_sgd", lambda: M.mlp(torch, "sgd")), ("mlp_adam", lambda: M.mlp(torch, "adam"))):
        step = make()[2]
        out[name] = [step().item() for _ in range(STEPS)]
    path = os.path.join(os.path.dirname(__file__), "..", "fixtures", "compile_torch_losses.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
    print("wrote", os.path.normpath(path))


if __name__ == "__main__":
    main()
