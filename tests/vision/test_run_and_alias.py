"""`python -m ember run` and `ember.use_as_torch()`: torch and torchvision resolve to ember, for the script and
for every package it imports; the script runs as python runs it (argv, __file__, sys.path, exit codes, tracebacks).

Each check runs in a fresh interpreter (the test process has the real torch imported).
"""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import ember

SRC = str(Path(ember.__file__).resolve().parents[1])


def _python(args, cwd, **kw):
    env = dict(os.environ, PYTHONPATH=SRC + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120,
                          **kw)


PROBE = '''
import importlib.util, json, os, sys
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
import torch.optim.lr_scheduler
import torch.linalg
from torch.backends import cudnn
import torchvision
from torchvision import datasets, transforms
import torchvision.transforms.functional as TF
import ember
import thirdparty
out = {
    "name": __name__, "file": __file__, "argv": sys.argv, "path0": sys.path[0],
    "torch_is_ember": torch is ember, "nn": sys.modules["torch.nn"] is ember.nn,
    "F": F is ember.nn.functional and sys.modules["torch.nn.functional"] is ember.nn.functional,
    "loader": DataLoader is ember.utils.data.DataLoader,
    "sched": torch.optim.lr_scheduler is ember.optim.lr_scheduler,
    "linalg": torch.linalg is ember.linalg, "cudnn": cudnn is ember.backends.cudnn,
    "vision": torchvision is ember.vision and datasets is ember.vision.datasets,
    "TF": TF is ember.vision.transforms.functional,
    "thirdparty": thirdparty.torch_module_name, "find_spec": importlib.util.find_spec("torch") is not None,
    "seed_shared": (torch.manual_seed(5), ember.rand(1).item())[1] == (ember.manual_seed(5), torch.rand(1).item())[1],
}
for missing in ("torch.distributed.rpc", "torch._C", "torchvision.models"):
    try:
        __import__(missing)
        out[missing] = "imported"
    except ModuleNotFoundError as exc:
        out[missing] = [str(exc), exc.name]
print(json.dumps(out))
'''


@pytest.fixture()
def folder(tmp_path):
    (tmp_path / "probe.py").write_text(PROBE)
    (tmp_path / "thirdparty.py").write_text("import torch\ntorch_module_name = torch.__name__\n")
    (tmp_path / "fail.py").write_text("import sys\n\ndef f():\n    raise ValueError('boom ' + sys.argv[1])\n\nf()\n")
    (tmp_path / "leave.py").write_text("import sys\nprint('bye')\nsys.exit(int(sys.argv[1]))\n")
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "main.py").write_text("import json, sys, torch\nprint(json.dumps([__name__, sys.argv, torch.__name__]))\n")
    return tmp_path


def test_script_sees_ember_as_torch_and_torchvision(folder):
    # run from another directory: argv[0] as typed, __file__ absolute, sys.path[0] the script's folder
    proc = _python(["-m", "ember", "run", "../probe.py", "a", "--b"], cwd=folder / "pkg")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out.pop("name") == "__main__"
    assert out.pop("file") == str(folder / "probe.py")
    assert out.pop("argv") == ["../probe.py", "a", "--b"]
    assert out.pop("path0") == str(folder)
    assert out.pop("thirdparty") == "ember"
    for name in ("torch.distributed.rpc", "torch._C", "torchvision.models"):
        message, module = out.pop(name)
        assert module == name
        assert message == f"No module named '{name}': ember stands in for torch in this program and does not offer {name}"
    assert out == dict.fromkeys(out, True), [k for k, v in out.items() if v is not True]


def test_exit_codes_and_tracebacks_are_pythons(folder):
    proc = _python(["-m", "ember", "run", "leave.py", "7"], cwd=folder)
    assert (proc.returncode, proc.stdout) == (7, "bye\n")
    ours = _python(["-m", "ember", "run", "fail.py", "x"], cwd=folder)
    plain = _python(["fail.py", "x"], cwd=folder)
    assert ours.returncode == plain.returncode == 1
    assert ours.stderr == plain.stderr  # the script's frames only, as python prints them
    assert "ValueError: boom x" in ours.stderr
    missing = _python(["-m", "ember", "run", "nope.py"], cwd=folder)
    assert missing.returncode == 2 and "can't open file" in missing.stderr and "nope.py" in missing.stderr
    usage = _python(["-m", "ember", "run"], cwd=folder)
    assert usage.returncode == 2 and "usage: python -m ember run SCRIPT" in usage.stdout


def test_run_module(folder):
    proc = _python(["-m", "ember", "run", "-m", "pkg.main", "x", "-y"], cwd=folder)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == ["__main__", [str(folder / "pkg" / "main.py"), "x", "-y"], "ember"]


def test_use_as_torch_in_process(tmp_path):
    code = textwrap.dedent('''
        import sys, types, importlib
        import ember
        from ember import _torch_alias
        ember.use_as_torch()
        import torch, torch.nn, torchvision
        assert torch is ember and torch.nn is ember.nn and torchvision is ember.vision
        assert _torch_alias.is_active()
        ember.use_as_torch(False)
        assert not _torch_alias.is_active()
        assert not any(n == "torch" or n.startswith(("torch.", "torchvision")) for n in sys.modules)
        # a module that exists but needs a package that is absent keeps its own error
        (open("needs_dep.py", "w")).write("import not_installed_dependency\\n")
        sys.path.insert(0, ".")
        _torch_alias.ALIASES["fakelib"] = "needs_dep"
        ember.use_as_torch()
        try:
            import fakelib
        except ModuleNotFoundError as exc:
            print(exc.name)
        del _torch_alias.ALIASES["fakelib"]
        ember.use_as_torch(False)
        # the real torch already imported: refuse instead of leaving two torches around
        sys.modules["torch"] = types.ModuleType("torch")
        try:
            ember.use_as_torch()
        except RuntimeError as exc:
            print(str(exc).split(";")[0])
    ''')
    proc = _python(["-c", code], cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == [
        "not_installed_dependency",
        "ember.use_as_torch(): the real torch is already imported in this process (<module 'torch'>)"]


def test_demo_subcommand_still_listed(tmp_path):
    proc = _python(["-m", "ember", "--help"], cwd=tmp_path)
    assert proc.returncode == 0 and "run" in proc.stdout and "demo" in proc.stdout


def test_hand_made_swap_keeps_one_copy_of_each_module(tmp_path):
    """``sys.modules['torch'] = ember`` by hand, then ``import torch.nn.functional``: ember's own modules, not a
    second copy run from ember's files (whose Tensor class would refuse ember's tensors). Without the swap finder
    the same imports do make a second copy: the check can fail."""
    code = textwrap.dedent('''
        import sys
        import ember
        from ember import _torch_alias
        sys.modules["torch"] = ember
        import torch.nn.functional as F
        import torch.nn as nn
        from torch.utils.data import DataLoader
        import torch.linalg
        x = ember.tensor([-1.0, 2.0], requires_grad=True)
        same = [sys.modules[f"torch.{n}"] is sys.modules[f"ember.{n}"] for n in ("nn.functional", "nn", "utils.data")]
        print(*same, torch.linalg is ember.linalg, F.relu(x).grad_fn.name())
        sys.meta_path.remove(_torch_alias._SWAP_FINDER)
        import ember.optim
        import torch.optim
        print(sys.modules["torch.optim"] is sys.modules["ember.optim"])
    ''')
    proc = _python(["-c", code], cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == ["True True True True ReluBackward0", "False"]
