"""Run programs on the real torch and torchvision in this one process; print {name: stdout} as JSON.

Usage: python _reference_runner.py '{"name": [script, [args], cwd], ...}'
"""

import contextlib
import io
import json
import os
import runpy
import sys
import types

sys.modules.setdefault("torchvision._meta_registrations", types.ModuleType("torchvision._meta_registrations"))
import torch  # noqa: E402

torch.set_num_threads(1)
outputs = {}
for name, (script, args, cwd) in json.loads(sys.argv[1]).items():
    buffer = io.StringIO()
    here = os.getcwd()
    os.chdir(cwd)
    sys.argv = [script, *args]
    sys.path.insert(0, os.path.dirname(script))
    try:
        with contextlib.redirect_stdout(buffer):
            runpy.run_path(script, run_name="__main__")
    finally:
        sys.path.pop(0)
        os.chdir(here)
    outputs[name] = buffer.getvalue()
print(json.dumps(outputs))
