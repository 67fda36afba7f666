"""The DataPipe base classes: ``IterDataPipe`` (a stream with one live iterator at a time), ``MapDataPipe``
(indexable), ``DFIterDataPipe`` and ``DataChunk`` (a batch), with the functional form each pipe registers
(``dp.map(f)`` for ``Mapper(dp, f)``).

An IterDataPipe's ``__iter__`` is hooked when its class is made: starting a new iteration calls ``reset()``
and invalidates the iterator that was running, whose next ``next()`` raises PyTorch's RuntimeError.
"""

from __future__ import annotations

import functools
import inspect
import typing

from ..dataset import Dataset, IterableDataset

__all__ = ["DataChunk", "DFIterDataPipe", "IterDataPipe", "MapDataPipe"]

_FEEDBACK = ("\nFor feedback regarding this single iterator per IterDataPipe constraint, feel free to comment on this "
             "issue: https://github.com/pytorch/data/issues/45.")


class DataChunk(list):
    """A batch: a list that also keeps its items as ``items`` (what ``batch`` and ``groupby`` yield).

    Args:
        items: the elements of the batch.

    Example:
        >>> from ember.utils.data import DataChunk
        >>> DataChunk([1, 2, 3]).as_str()
        '[1, 2, 3]'
    """

    def __init__(self, items=()) -> None:
        items = list(items)
        super().__init__(items)
        self.items = items

    def as_str(self, indent: str = "") -> str:
        return indent + "[" + ", ".join(str(i) for i in iter(self)) + "]"

    def __iter__(self):
        yield from super().__iter__()

    def raw_iterator(self):
        yield from self.items


def _simple_name(obj) -> str:
    return obj.__name__ if inspect.isfunction(obj) else repr(obj)


def _args_string(dp) -> str:
    """``name=value`` for the constructor arguments the pipe has as attributes, sorted by name."""
    try:
        params = set(inspect.signature(type(dp)).parameters)
    except (TypeError, ValueError):
        return ""
    return ", ".join(f"{k}={_simple_name(v)}" for k, v in inspect.getmembers(dp) if k in params)


def _describe(dp) -> str:
    return f"{type(dp).__name__}({_args_string(dp)})"


def _start(dp) -> int:
    """A new iteration of ``dp``: the new valid iterator id, after ``reset()``."""
    if hasattr(dp, "_set_main_datapipe_valid_iterator_id"):  # a child of fork/demux
        return dp._set_main_datapipe_valid_iterator_id()
    dp._valid_iterator_id = 0 if dp._valid_iterator_id is None else dp._valid_iterator_id + 1
    dp.reset()
    return dp._valid_iterator_id


def _check(dp, iterator_id) -> None:
    if hasattr(dp, "_check_valid_iterator_id"):
        if not dp._check_valid_iterator_id(iterator_id):
            raise RuntimeError("This iterator has been invalidated, because a new iterator has been created from "
                               f"one of the ChildDataPipes of {_describe(dp.main_datapipe)}." + _FEEDBACK)
    elif dp._valid_iterator_id != iterator_id:
        raise RuntimeError("This iterator has been invalidated because another iterator has been created from the "
                           f"same IterDataPipe: {_describe(dp)}\nThis may be caused by multiple references to the "
                           "same IterDataPipe. We recommend using `.fork()` if that is necessary." + _FEEDBACK)


def _hook_iter(fn, note: bool = True):
    """Wrap a generator ``__iter__``: the iteration starts (reset, new id) at the first ``next``, each later
    ``next`` checks that no newer iterator took over, and an error raised inside is noted with the pipe."""

    @functools.wraps(fn)
    def __iter__(self):
        gen = fn(self)
        iterator_id = _start(self)
        while True:
            try:
                item = next(gen)
            except StopIteration:
                return
            except Exception as e:  # PyTorch appends the pipe to the message (once, at the innermost pipe)
                if note and hasattr(e.args, "__len__"):
                    full = f"\nThis exception is thrown by __iter__ of {_describe(self)}"
                    if len(e.args) == 0 or not isinstance(e.args[0], str):
                        e.args = (full,)
                    elif "thrown by __iter__ of" not in e.args[0] and \
                            "single iterator per IterDataPipe constraint" not in e.args[0]:
                        e.args = (e.args[0] + full,) + e.args[1:]
                raise
            self._number_of_samples_yielded += 1
            yield item
            _check(self, iterator_id)

    __iter__._datapipe_hooked = True
    return __iter__


_UNTRACABLE = ("batch", "groupby", "_dataframes_as_tuples", "trace_as_dataframe")


class _Functional:
    """What IterDataPipe and MapDataPipe share: the registry of functional forms and the lookup of them."""

    functions: dict = {}

    def __getattr__(self, name):
        functions = type(self)._registry().functions
        if name in functions:
            f = functions[name]
            bound = functools.partial(f, self)
            functools.update_wrapper(wrapper=bound, wrapped=f, assigned=("__doc__",))
            return bound
        raise AttributeError(f"'{self.__class__.__name__}' object has no attribute '{name}")

    @classmethod
    def register_function(cls, function_name, function) -> None:
        cls._registry().functions[function_name] = function

    @classmethod
    def register_datapipe_as_function(cls, function_name, cls_to_register, enable_df_api_tracing=False) -> None:
        base = cls._registry()
        if function_name in base.functions:
            raise Exception(f"Unable to add DataPipe function name {function_name} as it is already taken")  # noqa: TRY002

        def class_function(source_dp, *args, **kwargs):
            return cls_to_register(source_dp, *args, **kwargs)

        functools.update_wrapper(wrapper=class_function, wrapped=cls_to_register, assigned=("__doc__",))
        base.functions[function_name] = class_function

    def __repr__(self) -> str:
        return self.__class__.__qualname__

    def __str__(self) -> str:
        return self.__class__.__qualname__

    def __dir__(self):
        return list(super().__dir__()) + list(type(self)._registry().functions)

    def __getstate__(self):
        return self.__dict__

    def reset(self) -> None:
        """What to clear when a new iteration starts (a subclass's buffers, counters)."""


_T_co = typing.TypeVar("_T_co", covariant=True)


class IterDataPipe(_Functional, IterableDataset, typing.Generic[_T_co]):
    """A stream of samples. Subclass it and write ``__iter__`` (a generator); only one iterator of a pipe is
    valid at a time: a new ``iter()`` resets the pipe and invalidates the old iterator. Pipes chain through
    their functional forms: ``IterableWrapper(range(10)).map(f).filter(g).batch(4)``.

    Example:
        >>> from ember.utils.data.datapipes.iter import IterableWrapper
        >>> list(IterableWrapper(range(6)).map(lambda x: x * 2).batch(4))
        [[0, 2, 4, 6], [8, 10]]
    """

    functions: dict = {}
    _valid_iterator_id = None
    _number_of_samples_yielded = 0

    @classmethod
    def _registry(cls):
        return IterDataPipe

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        it = cls.__dict__.get("__iter__")
        if it is not None and inspect.isgeneratorfunction(it) and not getattr(it, "_datapipe_hooked", False):
            cls.__iter__ = _hook_iter(it)

    def __iter__(self):
        return self


class DFIterDataPipe(IterDataPipe):
    """An IterDataPipe of DataFrames (PyTorch's tracing DataFrame pipes build on it); it behaves as an
    IterDataPipe and marks its stream as one of DataFrames.

    Example:
        >>> from ember.utils.data import DFIterDataPipe
        >>> class Frames(DFIterDataPipe):
        ...     def __iter__(self):
        ...         yield {"a": [1, 2]}
        >>> list(Frames())
        [{'a': [1, 2]}]
    """

    def _is_dfpipe(self) -> bool:
        return True


class MapDataPipe(_Functional, Dataset, typing.Generic[_T_co]):
    """An indexable DataPipe: ``dp[i]`` and ``len(dp)``; functional forms as IterDataPipe's (``dp.map(f)``).
    Subclass it and write ``__getitem__`` and ``__len__``.

    Example:
        >>> from ember.utils.data.datapipes.map import SequenceWrapper
        >>> dp = SequenceWrapper(["a", "b", "c"]).map(str.upper)
        >>> dp[1], len(dp)
        ('B', 3)
    """

    functions: dict = {}

    @classmethod
    def _registry(cls):
        return MapDataPipe

