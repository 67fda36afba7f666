"""``torch.profiler``: ``profile`` and ``record_function`` as context managers that run the code and time it.

The events are the ``record_function`` blocks (and ``profile``'s steps), timed with the wall clock; ember
does not time each op as PyTorch's profiler does, so its tables have no ``aten::`` rows. ``key_averages()``
groups events by name and ``table()`` prints them in PyTorch's layout (self and total CPU time, calls).
"""

from __future__ import annotations

import enum
import functools
import json
import os
import time

__all__ = ["profile", "record_function", "ProfilerActivity", "ProfilerAction", "schedule", "supported_activities",
           "tensorboard_trace_handler", "EventList", "FunctionEvent", "FunctionEventAvg", "kineto_available"]


class ProfilerActivity(enum.Enum):
    CPU = 0
    XPU = 1
    MTIA = 2
    CUDA = 3
    HPU = 4
    PrivateUse1 = 5

    def __repr__(self) -> str:
        return f"<ProfilerActivity.{self.name}: {self.value}>"


class ProfilerAction(enum.Enum):
    NONE = 0
    WARMUP = 1
    RECORD = 2
    RECORD_AND_SAVE = 3
    DEVICE_STOPPED = 4


def supported_activities() -> set:
    return {ProfilerActivity.CPU}


def kineto_available() -> bool:
    return False


def schedule(*, wait: int, warmup: int, active: int, repeat: int = 0, skip_first: int = 0,
             skip_first_wait: int = 0):
    """PyTorch's step schedule: after ``skip_first`` steps, cycles of wait, warmup, active steps."""
    def fn(step: int) -> ProfilerAction:
        if step < skip_first:
            return ProfilerAction.NONE
        step -= skip_first
        cycle = wait + warmup + active
        if repeat > 0 and step // cycle >= repeat:
            return ProfilerAction.NONE
        mod = step % cycle
        if mod < wait:
            return ProfilerAction.NONE
        if mod < wait + warmup:
            return ProfilerAction.WARMUP
        return ProfilerAction.RECORD if mod < cycle - 1 else ProfilerAction.RECORD_AND_SAVE
    return fn


def _format_time(us: float) -> str:
    if us >= 1e6:
        return f"{us / 1e6:.3f}s"
    if us >= 1e3:
        return f"{us / 1e3:.3f}ms"
    return f"{us:.3f}us"


class FunctionEvent:
    """One timed block: its name, start and end (microseconds) and the blocks inside it."""

    def __init__(self, name: str, start_us: float, parent=None) -> None:
        self.name = self.key = name
        self.start_us, self.end_us = start_us, start_us
        self.cpu_parent = parent
        self.cpu_children: list = []
        self.count = 1

    @property
    def cpu_time_total(self) -> float:
        return self.end_us - self.start_us

    @property
    def self_cpu_time_total(self) -> float:
        return self.cpu_time_total - sum(c.cpu_time_total for c in self.cpu_children)

    @property
    def cpu_time(self) -> float:
        return self.cpu_time_total

    def __repr__(self) -> str:
        return (f"<FunctionEvent name={self.name} cpu_time={_format_time(self.cpu_time_total)} "
                f"self_cpu_time={_format_time(self.self_cpu_time_total)}>")


class FunctionEventAvg:
    """The events of one name taken together: calls, total and self CPU time."""

    def __init__(self, key: str) -> None:
        self.key = key
        self.count = 0
        self.cpu_time_total = 0.0
        self.self_cpu_time_total = 0.0

    def add(self, event) -> "FunctionEventAvg":
        self.count += event.count
        self.cpu_time_total += event.cpu_time_total
        self.self_cpu_time_total += event.self_cpu_time_total
        return self

    @property
    def cpu_time(self) -> float:
        return self.cpu_time_total / max(self.count, 1)

    def __repr__(self) -> str:
        return (f"<FunctionEventAvg key={self.key} self_cpu_time={_format_time(self.self_cpu_time_total)} "
                f"cpu_time={_format_time(self.cpu_time)} count={self.count}>")


class EventList(list):
    """A list of events, printable as PyTorch's profiler table."""

    def key_averages(self) -> "EventList":
        groups: dict = {}
        for e in self:
            groups.setdefault(e.key, FunctionEventAvg(e.key)).add(e)
        return EventList(groups.values())

    def total_average(self) -> FunctionEventAvg:
        total = FunctionEventAvg("Total")
        for e in self:
            total.add(e)
        return total

    def table(self, sort_by=None, row_limit: int = 100, max_name_column_width: int = 55, header=None,
              top_level_events_only: bool = False, **kwargs) -> str:
        events = list(self)
        if not events:
            return ""
        if sort_by is not None:
            events.sort(key=lambda e: getattr(e, sort_by.replace("cuda", "device")), reverse=True)
        if row_limit is not None and row_limit > 0:
            events = events[:row_limit]
        name_width = min(max(len(e.key) for e in self) + 4, max_name_column_width)
        widths = [name_width] + [12] * 6
        headers = ["Name", "Self CPU %", "Self CPU", "CPU total %", "CPU total", "CPU time avg", "# of Calls"]
        sep = "".join("-" * w + "  " for w in widths)
        total_self = sum(e.self_cpu_time_total for e in self) or 1.0

        def row(cells):
            return "".join(f"{c:>{w}}  " for c, w in zip(cells, widths))

        lines = [sep, row(headers), sep]
        for e in events:
            name = e.key if len(e.key) <= name_width - 4 else e.key[:name_width - 7] + "..."
            lines.append(row([name, f"{100 * e.self_cpu_time_total / total_self:.2f}%",
                              _format_time(e.self_cpu_time_total), f"{100 * e.cpu_time_total / total_self:.2f}%",
                              _format_time(e.cpu_time_total), _format_time(e.cpu_time), str(e.count)]))
        lines += [sep, f"Self CPU time total: {_format_time(sum(e.self_cpu_time_total for e in self))}", ""]
        return ("" if header is None else header + "\n") + "\n".join(lines)

    def __str__(self) -> str:
        return self.table()


_ACTIVE: list = []  # the profilers recording now (innermost last)


def _now_us() -> float:
    return time.perf_counter_ns() / 1e3


class record_function:
    """``with record_function("name"):`` (or as a decorator): a named, timed block in the active profile."""

    def __init__(self, name: str, args: str | None = None) -> None:
        self.name, self.args = name, args
        self._events: list = []

    def __enter__(self):
        self._events = [p._open(self.name) for p in _ACTIVE if p._recording]
        return self

    def __exit__(self, *exc):
        for p, e in zip([p for p in _ACTIVE if p._recording], self._events):
            p._close(e)
        return False

    def __call__(self, fn):
        @functools.wraps(fn)
        def wrapped(*args, **kwargs):
            with record_function(self.name, self.args):
                return fn(*args, **kwargs)
        return wrapped


class profile:
    """``with profile(activities=[ProfilerActivity.CPU]) as prof:``: record the blocks run inside, then
    ``prof.key_averages().table(sort_by="cpu_time_total")``."""

    def __init__(self, *, activities=None, schedule=None, on_trace_ready=None, record_shapes: bool = False,
                 profile_memory: bool = False, with_stack: bool = False, with_flops: bool = False,
                 with_modules: bool = False, experimental_config=None, execution_trace_observer=None,
                 acc_events: bool = False, use_cuda=None, custom_trace_id_callback=None,
                 post_processing_timeout_s=None) -> None:
        self.activities = set(activities) if activities else supported_activities()
        self.schedule, self.on_trace_ready = schedule, on_trace_ready
        self.record_shapes, self.profile_memory = record_shapes, profile_memory
        self.step_num = 0
        self._events: list = []
        self._open_stack: list = []
        self._recording = False

    # recording
    def _open(self, name: str) -> FunctionEvent:
        parent = self._open_stack[-1] if self._open_stack else None
        e = FunctionEvent(name, _now_us(), parent)
        if parent is not None:
            parent.cpu_children.append(e)
        self._events.append(e)
        self._open_stack.append(e)
        return e

    def _close(self, e: FunctionEvent) -> None:
        e.end_us = _now_us()
        if self._open_stack and self._open_stack[-1] is e:
            self._open_stack.pop()

    def _action(self) -> ProfilerAction:
        return self.schedule(self.step_num) if self.schedule is not None else ProfilerAction.RECORD

    def start(self) -> None:
        _ACTIVE.append(self)
        self._recording = self._action() in (ProfilerAction.RECORD, ProfilerAction.RECORD_AND_SAVE)

    def stop(self) -> None:
        while self._open_stack:
            self._close(self._open_stack[-1])
        if self in _ACTIVE:
            _ACTIVE.remove(self)
        if self._recording and self.on_trace_ready is not None:
            self.on_trace_ready(self)
        self._recording = False

    def step(self) -> None:
        """Move to the next step of the schedule (a trace is handed to on_trace_ready after a saving step)."""
        action = self._action()
        self.step_num += 1
        nxt = self._action()
        if action is ProfilerAction.RECORD_AND_SAVE and self.on_trace_ready is not None:
            self.on_trace_ready(self)
        self._recording = nxt in (ProfilerAction.RECORD, ProfilerAction.RECORD_AND_SAVE)

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()
        return False

    # results
    def events(self) -> EventList:
        return EventList(self._events)

    def key_averages(self, group_by_input_shape: bool = False, group_by_stack_n: int = 0,
                     group_by_overload_name: bool = False) -> EventList:
        return self.events().key_averages()

    def export_chrome_trace(self, path: str) -> None:
        """Write the events as a Chrome trace (chrome://tracing, Perfetto)."""
        trace = {"traceEvents": [{"name": e.name, "ph": "X", "ts": e.start_us, "dur": e.cpu_time_total,
                                  "pid": os.getpid(), "tid": 0, "cat": "cpu_op"} for e in self._events]}
        with open(path, "w") as f:
            json.dump(trace, f)


def tensorboard_trace_handler(dir_name: str, worker_name: str | None = None, use_gzip: bool = False):
    """An on_trace_ready handler writing each trace as a Chrome trace file into ``dir_name``."""
    def handler(prof) -> None:
        os.makedirs(dir_name, exist_ok=True)
        name = worker_name or f"{os.uname().nodename}_{os.getpid()}"
        prof.export_chrome_trace(os.path.join(dir_name, f"{name}.{time.time_ns()}.pt.trace.json"))
    return handler
