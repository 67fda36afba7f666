"""``torch.autograd.ProfilerState`` and ``DeviceType``, the profiler's enums (loaded on first use: building an
enum costs more than the rest of ``ember.autograd``'s names)."""

from __future__ import annotations

import enum as _enum

__all__ = ["ProfilerState", "DeviceType"]


class ProfilerState(_enum.IntEnum):
    """The autograd profiler's states (PyTorch's torch._C._profiler.ProfilerState)."""

    __module__ = "ember.autograd"  # where it is reached (torch.autograd.ProfilerState)
    Disabled = 0
    CPU = 1
    CUDA = 2
    NVTX = 3
    ITT = 4
    PRIVATEUSE1 = 5
    KINETO = 6
    KINETO_GPU_FALLBACK = 7
    KINETO_PRIVATEUSE1_FALLBACK = 8
    KINETO_PRIVATEUSE1 = 9

    def __repr__(self) -> str:
        return f"<ProfilerState.{self.name}: {self.value}>"

    __str__ = _enum.Enum.__str__


class DeviceType(_enum.IntEnum):
    """The device types the profiler's events name (PyTorch's c10::DeviceType)."""

    __module__ = "ember.autograd"
    CPU = 0
    CUDA = 1
    MKLDNN = 2
    OPENGL = 3
    OPENCL = 4
    IDEEP = 5
    HIP = 6
    FPGA = 7
    MAIA = 8
    XLA = 9
    Vulkan = 10
    Metal = 11
    XPU = 12
    MPS = 13
    Meta = 14
    HPU = 15
    VE = 16
    Lazy = 17
    IPU = 18
    MTIA = 19
    PrivateUse1 = 20

    def __repr__(self) -> str:
        return f"<DeviceType.{self.name}: {self.value}>"

    __str__ = _enum.Enum.__str__
