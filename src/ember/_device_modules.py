"""``torch.get_device_module``: the ``torch.<type>`` module of a device. It reads the top-level namespace, so it
lives apart from ``ember._devices`` (which the package imports while it initialises) and loads on first use."""

from __future__ import annotations

import ember

__all__ = ["get_device_module"]


def get_device_module(device=None):
    """The torch.<type> module of ``device`` (a torch.device, a string, or None: the current accelerator, which
    on ember is the CPU): ``torch.get_device_module("cuda")`` is ``torch.cuda``."""
    if isinstance(device, ember.device):
        kind = device.type
    elif isinstance(device, str):
        kind = ember.device(device).type
    elif device is None:
        kind = "cpu"
    else:
        raise RuntimeError(f"Invalid value of device '{device}', expect torch.device, str, or None")
    module = getattr(ember, kind, None)
    if module is None:
        raise RuntimeError(f"Device '{kind}' does not have a corresponding module registered as 'torch.{kind}'.")
    return module
