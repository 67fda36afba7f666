"""torch.classproperty: a read-only property computed from the class (``A.n`` and ``A().n`` alike)."""

from __future__ import annotations

__all__ = ["classproperty"]


class _ClassPropertyDescriptor:
    """What ``@classproperty`` puts on the class: reading it calls the function with the owner class."""

    def __init__(self, fget, fset=None):
        self.fget = fget

    def __get__(self, instance, owner=None):
        if owner is None:
            owner = type(instance)
        return self.fget.__get__(instance, owner)()


def classproperty(func):
    """Decorate ``func(cls)`` into a property of the class: subclasses see their own ``cls``; a classmethod or
    staticmethod is taken as it is."""
    if not isinstance(func, (classmethod, staticmethod)):
        func = classmethod(func)
    return _ClassPropertyDescriptor(func)
