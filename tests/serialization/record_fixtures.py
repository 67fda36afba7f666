"""Records what PyTorch 2.13 writes and says, for the serialization tests to check ember against without torch.

Run from the repository root:  PYTHONPATH=src:tests/serialization python tests/serialization/record_fixtures.py
Writes tests/fixtures/serialization/*.pt and expected.json (the description of each file as PyTorch loads it,
PyTorch's error messages, and PyTorch's peak memory on a 64 MB tensor).
"""

import io
import json
import os
import pickle
from collections import OrderedDict
from pathlib import Path

import numpy as np
import torch
from ser_helpers import describe
from serialization_fixture_classes import FixtureThing, OpenTrap, SystemTrap

OUT = Path(__file__).resolve().parents[1] / "fixtures" / "serialization"


def state_object():
    torch.manual_seed(0)
    base = torch.arange(24, dtype=torch.float32).reshape(4, 6)
    tensors = OrderedDict()
    for dt in (torch.float32, torch.float64, torch.float16, torch.bfloat16, torch.int8, torch.int16, torch.int32,
               torch.int64, torch.uint8, torch.bool, torch.complex64, torch.complex128, torch.uint16, torch.uint32):
        if dt.is_floating_point or dt.is_complex:
            tensors[str(dt)] = (torch.randn(2, 3, dtype=torch.float64) * 10).to(dt)
        elif dt == torch.bool:
            tensors[str(dt)] = torch.tensor([[True, False, True], [False, False, True]])
        else:
            tensors[str(dt)] = torch.tensor([[0, 1, 2], [3, 100, 7]]).to(dt)
    tensors["scalar"] = torch.tensor(2.5)
    tensors["empty"] = torch.zeros(0, 3)
    tensors["nan_inf"] = torch.tensor([float("nan"), float("inf"), -float("inf"), -0.0, 1e-45])
    views = OrderedDict(base=base, rows=base[1:], t=base.t(), col=base[:, 2], diag=base.diagonal(),
                        expanded=base[0].expand(3, 6), narrow=base.narrow(1, 2, 3))
    model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.BatchNorm1d(4), torch.nn.Linear(4, 2))
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    model(torch.randn(5, 3)).sum().backward()
    opt.step()
    extras = {"list": [1, 2.5, "s", None, True, (1, 2)], "size": torch.Size([2, 3]), "dtype": torch.float16,
              "device": torch.device("cpu"), "int_keys": {0: "a", 1: "b"}, "bytes": b"\x00\x01\xff",
              "set": {1, 2}, "complex": 1 + 2j, "big": 2 ** 70, "nan": float("nan"), "neg": -7}
    params = {"param": torch.nn.Parameter(torch.randn(3)),
              "frozen": torch.nn.Parameter(torch.randn(2), requires_grad=False),
              "leaf_rg": torch.ones(2, requires_grad=True)}
    return OrderedDict(tensors=tensors, views=views, params=params, extras=extras, model=model.state_dict(),
                       optimizer=opt.state_dict())


def error_of(fn):
    try:
        fn()
    except BaseException as e:  # noqa: BLE001
        return {"type": type(e).__name__, "message": str(e)}
    return None


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    expected = {}
    obj = state_object()
    torch.save(obj, OUT / "state.pt")
    expected["state.pt"] = describe(torch.load(OUT / "state.pt"))
    legacy = OrderedDict((k, v) for k, v in obj.items() if k != "extras")
    legacy["tensors"] = OrderedDict((k, v) for k, v in obj["tensors"].items() if "uint" not in k or k == "torch.uint8")
    torch.save(legacy, OUT / "legacy.pt", _use_new_zipfile_serialization=False)
    expected["legacy.pt"] = describe(torch.load(OUT / "legacy.pt"))

    torch.manual_seed(1)
    net = torch.nn.Sequential(torch.nn.Linear(3, 5), torch.nn.ReLU(), torch.nn.Linear(5, 2))
    torch.save(net, OUT / "module.pt")
    x = torch.linspace(-1, 1, 6).reshape(2, 3)
    expected["module.pt"] = {"input": x.tolist(), "output": [[v.hex() for v in row] for row in net(x).tolist()],
                             "repr": repr(net), "weights_only_error": error_of(lambda: torch.load(OUT / "module.pt"))}

    refusals = {"custom.pt": {"thing": FixtureThing(3)}, "numpy.pt": {"a": np.arange(3)},
                "open_trap.pt": {"x": OpenTrap("ember_pwned_by_open")}, "system_trap.pt": {"x": SystemTrap()},
                "print.pt": {"f": print}}
    for name, value in refusals.items():
        torch.save(value, OUT / name)
        expected[name] = {"weights_only_error": error_of(lambda n=name: torch.load(OUT / n))}
        for trace in ("ember_pwned_by_open", "ember_pwned_by_system"):
            assert not os.path.exists(trace)
    with torch.serialization.safe_globals([FixtureThing]):
        thing = torch.load(OUT / "custom.pt")["thing"]
    expected["custom.pt"]["with_safe_globals"] = {"n": thing.n, "label": thing.label}
    expected["custom.pt"]["unsafe_globals"] = torch.serialization.get_unsafe_globals_in_checkpoint(OUT / "custom.pt")

    buf = io.BytesIO()
    torch.save({"w": torch.ones(2)}, buf)
    expected["messages"] = {
        "missing_dir": error_of(lambda: torch.save({}, "/nonexistent_ember_dir/x.pt")),
        "cuda_map_location": error_of(lambda: torch.load(io.BytesIO(buf.getvalue()), map_location="cuda")),
        "pickle_module_with_weights_only": error_of(lambda: torch.load(io.BytesIO(buf.getvalue()), pickle_module=pickle,
                                                                       weights_only=True)),
        "mmap_buffer": error_of(lambda: torch.load(io.BytesIO(buf.getvalue()), mmap=True)),
    }
    expected["memory"] = peak_memory()
    (OUT / "expected.json").write_text(json.dumps(expected, indent=1, sort_keys=True) + "\n")
    print("wrote", sorted(p.name for p in OUT.iterdir()))


def peak_memory():
    """PyTorch's peak extra resident memory (bytes) saving and loading one 64 MB float32 tensor."""
    import tempfile

    import safetensors.torch as stt
    from ser_helpers import MB, rss_peak
    t = torch.randn(64 * MB // 4)
    with tempfile.TemporaryDirectory() as d:
        out = {"save": rss_peak(lambda: torch.save({"w": t}, f"{d}/t.pt")),
               "load": rss_peak(lambda: torch.load(f"{d}/t.pt")),
               "load_mmap": rss_peak(lambda: torch.load(f"{d}/t.pt", mmap=True)),
               "safetensors_save_file": rss_peak(lambda: stt.save_file({"w": t}, f"{d}/t.st")),
               "safetensors_load_file": rss_peak(lambda: stt.load_file(f"{d}/t.st"))}
    return out


if __name__ == "__main__":
    main()
