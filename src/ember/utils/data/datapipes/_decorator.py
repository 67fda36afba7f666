"""Decorators of DataPipes: ``functional_datapipe`` (register a functional form), ``non_deterministic`` and
``guaranteed_datapipes_determinism`` (refuse a non-deterministic pipe while determinism is asked for),
``argument_validation`` and ``runtime_validation`` (check types against the declared element types)."""

from __future__ import annotations

import functools
import inspect
import typing

from .datapipe import IterDataPipe, MapDataPipe

__all__ = ["functional_datapipe", "guaranteed_datapipes_determinism", "non_deterministic", "argument_validation",
           "runtime_validation_disabled", "runtime_validation"]


class functional_datapipe:
    """Class decorator: ``@functional_datapipe("name")`` makes ``dp.name(*args)`` build ``cls(dp, *args)``
    (on IterDataPipes or MapDataPipes, as the class is one or the other).

    Args:
        name: the functional name.
        enable_df_api_tracing: kept for PyTorch's signature (DataFrame tracing).

    Example:
        >>> from ember.utils.data import IterDataPipe, functional_datapipe
        >>> from ember.utils.data.datapipes.iter import IterableWrapper
        >>> @functional_datapipe("twice_doc_example")
        ... class Twice(IterDataPipe):
        ...     def __init__(self, source):
        ...         self.source = source
        ...     def __iter__(self):
        ...         for x in self.source:
        ...             yield from (x, x)
        >>> list(IterableWrapper([1, 2]).twice_doc_example())
        [1, 1, 2, 2]
    """

    def __init__(self, name: str, enable_df_api_tracing=False) -> None:
        self.name = name
        self.enable_df_api_tracing = enable_df_api_tracing

    def __call__(self, cls):
        is_class = isinstance(cls, type)
        target = cls.cls if isinstance(cls, non_deterministic) else cls
        if is_class and issubclass(cls, IterDataPipe) or isinstance(cls, non_deterministic) and \
                target is not None and issubclass(target, IterDataPipe):
            IterDataPipe.register_datapipe_as_function(self.name, cls,
                                                       enable_df_api_tracing=self.enable_df_api_tracing)
        elif is_class and issubclass(cls, MapDataPipe):
            MapDataPipe.register_datapipe_as_function(self.name, cls)
        elif not is_class:
            raise TypeError("`functional_datapipe` can only decorate IterDataPipe")
        return cls


_determinism = False


class guaranteed_datapipes_determinism:
    """While active (from construction to the end of the ``with``), making a non-deterministic pipe (one
    decorated with ``non_deterministic``) raises TypeError.

    Example:
        >>> from ember.utils.data import guaranteed_datapipes_determinism
        >>> with guaranteed_datapipes_determinism():
        ...     pass
    """

    def __init__(self) -> None:
        global _determinism
        self.prev = _determinism
        _determinism = True

    def __enter__(self) -> None:
        pass

    def __exit__(self, exc_type, exc_value, traceback) -> None:
        global _determinism
        _determinism = self.prev


class non_deterministic:
    """Mark an IterDataPipe class as non-deterministic: always (decorating the class), or when a function of
    the constructor's arguments returns True (``@non_deterministic(fn)``).

    Args:
        arg: the IterDataPipe class, or the function deciding from the arguments.

    Example:
        >>> from ember.utils.data import IterDataPipe, non_deterministic
        >>> @non_deterministic
        ... class Coin(IterDataPipe):
        ...     def __iter__(self):
        ...         yield 1
        >>> list(Coin())
        [1]
    """

    cls = None

    def __init__(self, arg) -> None:
        if isinstance(arg, type):
            if not issubclass(arg, IterDataPipe):
                raise TypeError(f"Only `IterDataPipe` can be decorated with `non_deterministic`, but {arg.__name__} "
                                "is found")
            self.cls = arg
        elif callable(arg):
            self.deterministic_fn = arg
        else:
            raise TypeError(f"{arg} can not be decorated by non_deterministic")

    def __call__(self, *args, **kwargs):
        if self.cls is not None:
            if _determinism:
                raise TypeError(f"{self.cls.__name__} is non-deterministic, but you set "
                                "'guaranteed_datapipes_determinism'. You can turn off determinism for this DataPipe "
                                "if that is acceptable for your application")
            return self.cls(*args, **kwargs)
        if not (isinstance(args[0], type) and issubclass(args[0], IterDataPipe)):
            raise TypeError(f"Only `IterDataPipe` can be decorated, but {args[0].__name__} is found")
        self.cls = args[0]
        return self.deterministic_wrapper_fn

    def deterministic_wrapper_fn(self, *args, **kwargs):
        res = self.deterministic_fn(*args, **kwargs)
        if not isinstance(res, bool):
            raise TypeError("deterministic_fn of `non_deterministic` decorator is required to return a boolean "
                            f"value, but {type(res)} is found")
        if _determinism and res:
            raise TypeError(f"{self.cls.__name__} is non-deterministic with the inputs, but you set "
                            "'guaranteed_datapipes_determinism'. You can turn off determinism for this DataPipe if "
                            "that is acceptable for your application")
        return self.cls(*args, **kwargs)


def argument_validation(f):
    """Check, at each call, the arguments annotated with a DataPipe class: each must be an IterDataPipe whose
    ``type`` is a subtype of the annotation's. (PyTorch 2.13's DataPipes carry no ``type``, so a pipe passed
    there fails with its AttributeError, as in PyTorch; subscripted annotations are not checked.)"""
    signature = inspect.signature(f)
    hints = typing.get_type_hints(f)

    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        bound = signature.bind(*args, **kwargs)
        for name, value in bound.arguments.items():
            hint = hints.get(name)
            if not (isinstance(hint, type) and issubclass(hint, (IterDataPipe, MapDataPipe))):
                continue
            if not isinstance(value, IterDataPipe):
                raise TypeError(f"Expected argument '{name}' as a IterDataPipe, but found {type(value)}")
            if not value.type.issubtype(hint.type):
                raise TypeError(f"Expected type of argument '{name}' as a subtype of hint {hint.type}, but found "
                                f"{value.type}")
        return f(*args, **kwargs)

    return wrapper


_runtime_validation_enabled = True


class runtime_validation_disabled:
    """Turn ``runtime_validation``'s checks off (from construction to the end of the ``with``): a decorated
    ``__iter__`` then yields its items unchecked.

    Example:
        >>> from ember.utils.data import runtime_validation_disabled
        >>> with runtime_validation_disabled():
        ...     pass
    """

    def __init__(self) -> None:
        global _runtime_validation_enabled
        self.prev = _runtime_validation_enabled
        _runtime_validation_enabled = False

    def __enter__(self) -> None:
        pass

    def __exit__(self, exc_type, exc_value, traceback) -> None:
        global _runtime_validation_enabled
        _runtime_validation_enabled = self.prev


def runtime_validation(f):
    """Decorate an ``__iter__``: each item it yields must be an instance of the pipe's ``type`` (which PyTorch
    2.13's DataPipes do not carry: iterating raises its AttributeError unless ``runtime_validation_disabled``)."""
    if f.__name__ != "__iter__":
        raise TypeError(f"Can not decorate function {f.__name__} with 'runtime_validation'")

    @functools.wraps(f)
    def wrapper(self):
        if not _runtime_validation_enabled:
            yield from f(self)
            return
        for d in f(self):
            if not self.type.issubtype_of_instance(d):
                raise RuntimeError(f"Expected an instance as subtype of {self.type}, but found {d}({type(d)})")
            yield d

    return wrapper
