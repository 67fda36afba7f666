"""``torch.autograd.profiler_util``: the event containers of the profilers (``EventList``, ``FunctionEvent``,
``FunctionEventAvg``), shared with ``torch.profiler``."""

from ..profiler import EventList, FunctionEvent, FunctionEventAvg

__all__ = ["EventList", "FunctionEvent", "FunctionEventAvg"]
