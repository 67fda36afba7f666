"""``torch.autograd.profiler``: the autograd profiler's ``profile(enabled=True, ...)`` and ``record_function``.

It records what ``torch.profiler`` records (``record_function`` blocks, timed with the wall clock; ember does
not time each op as PyTorch's profiler does, so its tables have no ``aten::`` rows), with the autograd
profiler's signature: ``enabled=False`` records nothing, ``use_cuda``/``use_device`` name devices ember does
not have (CUDA profiling is disabled with PyTorch's warnings, as PyTorch does without CUDA).
"""

from __future__ import annotations

import warnings

from .. import profiler as _p
from ..profiler import (
    EventList,
    FunctionEvent,
    FunctionEventAvg,
    ProfilerActivity,
    kineto_available,
    record_function,
)

__all__ = ["profile", "record_function", "EventList", "FunctionEvent", "FunctionEventAvg", "ProfilerActivity",
           "kineto_available"]


class profile(_p.profile):
    """``with torch.autograd.profiler.profile() as prof:`` then ``prof.key_averages().table()``."""

    def __init__(self, enabled: bool = True, *, use_cuda: bool = False, use_device=None, record_shapes: bool = False,
                 with_flops: bool = False, profile_memory: bool = False, with_stack: bool = False,
                 with_modules: bool = False, use_kineto: bool = False, use_cpu: bool = True,
                 experimental_config=None, acc_events: bool = False, custom_trace_id_callback=None) -> None:
        if use_cuda:
            warnings.warn("The attribute `use_cuda` will be deprecated soon, please use ``use_device = 'cuda'`` "
                          "instead.", FutureWarning, stacklevel=2)
            warnings.warn("CUDA is not available, disabling CUDA profiling", UserWarning, stacklevel=2)
        elif use_device not in (None, "cpu"):
            raise AssertionError(f"Device {use_device} is not available in this build of ember")
        super().__init__(activities=[ProfilerActivity.CPU] if use_cpu else [], record_shapes=record_shapes,
                         profile_memory=profile_memory, with_stack=with_stack, with_flops=with_flops,
                         with_modules=with_modules)
        self.enabled = enabled
        self.function_events = None

    def __enter__(self):
        if self.enabled:
            self.start()
        return self

    def __exit__(self, *exc):
        if self.enabled:
            self.stop()
            self.function_events = self.events()
        return False

    def table(self, sort_by=None, row_limit: int = 100, **kwargs) -> str:
        return self.key_averages().table(sort_by=sort_by, row_limit=row_limit, **kwargs)

    def total_average(self):
        return self.events().total_average() if hasattr(EventList, "total_average") else None

    @property
    def self_cpu_time_total(self) -> float:
        return sum(getattr(e, "self_cpu_time_total", 0.0) for e in self.events())
