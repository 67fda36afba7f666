"""torch.layout and torch.memory_format: the classes of ``torch.strided`` and ``torch.contiguous_format`` & co.

Each object prints as PyTorch's (``torch.strided``) and, being a ``str`` subclass, still equals the string ember
used for it before these classes (``ember.strided == "torch.strided"``), so code comparing either way works. As in
PyTorch, the classes make no new instances.
"""

from __future__ import annotations

__all__ = ["layout", "memory_format", "strided", "contiguous_format", "channels_last", "channels_last_3d",
           "preserve_format"]


class _Named(str):
    """One of PyTorch's named constants: printed as ``torch.<name>``, pickled by name."""

    __slots__ = ()

    def __new__(cls, *args, **kwargs):
        raise TypeError(f"cannot create 'torch.{cls.__name__}' instances")

    @classmethod
    def _make(cls, name: str):
        return str.__new__(cls, "torch." + name)

    def __repr__(self) -> str:
        return str.__str__(self)

    def __reduce__(self):
        return self[len("torch."):]


class layout(_Named):
    """How a tensor's elements are laid out: ``torch.strided`` (dense; the only layout ember has)."""

    __slots__ = ()


class memory_format(_Named):
    """The order a dense tensor's elements are stored in: ``torch.contiguous_format``, ``channels_last`` ..."""

    __slots__ = ()


strided = layout._make("strided")
contiguous_format = memory_format._make("contiguous_format")
channels_last = memory_format._make("channels_last")
channels_last_3d = memory_format._make("channels_last_3d")
preserve_format = memory_format._make("preserve_format")
