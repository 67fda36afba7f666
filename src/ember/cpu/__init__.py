"""``torch.cpu``: the one device ember computes on. Streams and events exist for code written for any device
and do nothing, as in PyTorch (CPU work is synchronous)."""

from __future__ import annotations

from . import amp

__all__ = ["is_available", "device_count", "current_device", "is_initialized", "synchronize", "set_device",
           "Stream", "Event", "StreamContext", "stream", "current_stream", "amp"]


def is_available() -> bool:
    return True


def device_count() -> int:
    return 1


def current_device() -> str:
    return "cpu"


def is_initialized() -> bool:
    return True


def synchronize(device=None) -> None:
    """CPU work is already synchronous."""


def set_device(device) -> None:
    """There is one CPU device: nothing to switch."""


class Stream:
    """A CPU stream: work is synchronous, so waiting on anything returns at once."""

    def __init__(self, priority: int = -1) -> None:
        self.priority = priority

    def wait_stream(self, stream) -> None:
        pass

    def wait_event(self, event) -> None:
        pass

    def record_event(self, event=None):
        return event if event is not None else Event()


class Event:
    """A CPU event: always complete."""

    def query(self) -> bool:
        return True

    def record(self, stream=None) -> None:
        pass

    def wait(self, stream=None) -> None:
        pass

    def synchronize(self) -> None:
        pass


_CURRENT = Stream()


def current_stream(device=None) -> Stream:
    return _CURRENT


class StreamContext:
    def __init__(self, stream) -> None:
        self.stream = stream

    def __enter__(self):
        return self.stream

    def __exit__(self, *exc):
        return False


def stream(stream) -> StreamContext:
    return StreamContext(stream)
