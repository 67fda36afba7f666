"""The reference: torchvision (when installed) on the real torch.

The torchvision wheel on this machine is a CUDA build; its pure-Python datasets, transforms and utils work on the
CPU torch once its CUDA-only operator registrations (torchvision._meta_registrations) are replaced by an empty module.
"""

from __future__ import annotations

import importlib.util
import sys
import types

import pytest


def torchvision_or_skip():
    """import torchvision (on the real torch), or skip the test."""
    pytest.importorskip("torch")
    if importlib.util.find_spec("torchvision") is None:
        pytest.skip("torchvision is not installed (the recorded fixtures are checked instead)")
    sys.modules.setdefault("torchvision._meta_registrations", types.ModuleType("torchvision._meta_registrations"))
    try:
        import torchvision
        import torchvision.transforms.functional  # noqa: F401
    except Exception as exc:  # noqa: BLE001 -- a torchvision that does not load is an absent reference
        pytest.skip(f"torchvision does not import here: {exc}")
    return torchvision
