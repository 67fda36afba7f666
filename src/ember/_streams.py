"""``torch.Stream`` and ``torch.Event`` as PyTorch's CPU build has them: one stream (id 0, device index -1),
work that is always complete (``query()`` is True, ``synchronize()`` returns at once), and events that the CPU
backend cannot record (PyTorch raises, and so does ember)."""

from __future__ import annotations

from ._core.tensor import device
from ._core.tensor import device as _device

__all__ = ["Stream", "Event"]

_NO_EVENTS = "cpu backend doesn't support events."


def _cpu(device) -> None:
    kind = _device("cpu" if device is None else device).type
    if kind != "cpu":
        raise RuntimeError(f"PyTorch is not linked with support for {kind} devices")


class Stream:
    """A stream of work on a device: on the CPU there is one, and everything on it has finished."""

    def __init__(self, device=None, *, priority: int = 0) -> None:
        _cpu(device)
        self.device_type, self.device_index, self.stream_id = 0, -1, 0  # (0: the CPU's DeviceType code)

    @property
    def device(self):
        return device("cpu")

    def query(self) -> bool:
        return True

    def synchronize(self) -> None:
        return None

    def wait_event(self, event) -> None:
        return None

    def wait_stream(self, stream) -> None:
        raise RuntimeError(_NO_EVENTS)

    def record_event(self, event=None):
        raise RuntimeError(_NO_EVENTS)

    def __eq__(self, other):
        if not isinstance(other, Stream):
            return NotImplemented
        return (self.device_type, self.device_index, self.stream_id) == \
            (other.device_type, other.device_index, other.stream_id)

    def __hash__(self):
        return hash((self.device_type, self.device_index, self.stream_id))

    def __repr__(self):
        return f"torch.Stream device_type=cpu, device_index={self.device_index}, stream_id={self.stream_id}"


Stream.__module__ = "torch"


class Event:
    """A marker in a stream; the CPU backend cannot record one (``record`` raises, as in PyTorch)."""

    def __init__(self, device=None, *, enable_timing: bool = False, blocking: bool = False,
                 interprocess: bool = False) -> None:
        _cpu(device)
        self.device_type, self.device_index, self.event_id = 0, -1, 0
        self.event_flag = 1 if enable_timing else 0

    @property
    def device(self):
        return device("cpu")

    def record(self, stream=None) -> None:
        raise RuntimeError(_NO_EVENTS)

    def wait(self, stream=None) -> None:
        return None

    def query(self) -> bool:
        return True

    def synchronize(self) -> None:
        return None

    def elapsed_time(self, end_event) -> float:
        if not (self.event_flag and getattr(end_event, "event_flag", 0)):
            raise ValueError("Both events must be created with argument 'enable_timing=True'.")
        raise RuntimeError(_NO_EVENTS)

    def __repr__(self):
        return (f"torch.Event device_type=cpu, device_index={self.device_index}, "
                f"event_flag={self.event_flag}, event_id={self.event_id}")


Event.__module__ = "torch"
