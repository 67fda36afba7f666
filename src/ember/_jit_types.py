"""TorchScript's type objects as values (torch.IntType.get(), torch.ListType(t), torch.OptionalType(t) ...).

ember compiles nothing to TorchScript, but these objects are PyTorch's vocabulary for describing a value's type
(``torch.jit`` annotations, schemas, ``torch._C``-free type checks): each prints as PyTorch's does (``str()`` is
the Python annotation, ``.str()`` the schema spelling: ``Optional[List[int]]`` against ``int[]?``), names its
``kind()``, lists its ``containedTypes()`` and answers ``isSubtypeOf`` by TorchScript's rules: every type is a
subtype of ``Any``; int, float and complex of ``number``; ``None`` and ``T`` of ``Optional[T]``; a member of a
``Union``; tuples covariant, lists and dicts invariant. Singleton types come from ``.get()`` (their constructor
raises, as PyTorch's do); equality is structural.
"""

from __future__ import annotations

from ._core.tensor import Tensor

__all__ = ["Type", "AnyType", "NumberType", "IntType", "FloatType", "ComplexType", "BoolType", "StringType",
           "NoneType", "TensorType", "DeviceObjType", "StreamObjType", "PyObjectType", "SymIntType", "SymBoolType",
           "ListType", "TupleType", "DictType", "OptionalType", "UnionType", "FutureType", "AwaitType", "RRefType",
           "ScriptList", "ScriptDict", "ScriptListIterator", "ScriptDictIterator", "ScriptDictKeyIterator"]


def _check_type(method: str, self, other) -> None:
    if not isinstance(other, Type):
        raise TypeError(f"{method}(): incompatible function arguments. The following argument types are supported:\n"
                        f"    1. (self: torch._C.Type, arg0: torch._C.Type) -> bool\n\nInvoked with: {self}, {other!r}")


class Type:
    """A TorchScript type: what ``kind()`` it is, what it contains, how it prints, what it is a subtype of."""

    _annotation = "?"
    _schema = None  # the schema spelling, where it differs from the annotation

    def __init__(self, *args, **kwargs):
        raise TypeError(f"torch._C.{type(self).__name__}: No constructor defined!")

    @classmethod
    def _make(cls, *contained):
        t = object.__new__(cls)
        t._contained = tuple(contained)
        return t

    def kind(self) -> str:
        return type(self).__name__

    def containedTypes(self) -> list:
        return list(self._contained)

    @property
    def annotation_str(self) -> str:
        return self._annotation

    def str(self) -> str:  # noqa: A003 - PyTorch's method name
        return self._schema or self._annotation

    def __str__(self) -> str:
        return self.annotation_str

    __repr__ = __str__

    def __eq__(self, other) -> bool:
        _check_type("__eq__", self, other)
        return type(self) is type(other) and self._contained == other._contained

    def __ne__(self, other) -> bool:
        return not self == other

    def __hash__(self):  # PyTorch's type objects are unhashable
        raise TypeError(f"unhashable type: 'torch._C.{type(self).__name__}'")

    def is_interface_type(self) -> bool:
        return False

    def isSubtypeOf(self, other) -> bool:
        _check_type("isSubtypeOf", self, other)
        if self == other or isinstance(other, AnyType):
            return True
        if isinstance(other, OptionalType):
            inner = other._contained[0]
            if isinstance(self, NoneType):
                return True
            if isinstance(self, OptionalType):
                return self._contained[0].isSubtypeOf(inner)
            return self.isSubtypeOf(inner)
        if isinstance(other, UnionType):
            mine = self._contained if isinstance(self, UnionType) else (
                (self._contained[0], NoneType.get()) if isinstance(self, OptionalType) else (self,))
            return all(any(m.isSubtypeOf(o) for o in other._contained) for m in mine)
        return self._subtype(other)

    def _subtype(self, other) -> bool:
        return False


def _singleton(name: str, annotation: str, schema=None, numeric=False):
    def get(cls):
        inst = cls.__dict__.get("_instance")
        if inst is None:
            inst = cls._make()
            cls._instance = inst
        return inst

    def subtype(self, other):
        return numeric and isinstance(other, NumberType)

    body = {"_annotation": annotation, "_schema": schema, "get": classmethod(get), "_subtype": subtype,
            "__doc__": f"TorchScript's ``{annotation}`` type (one object: ``torch.{name}.get()``)."}
    return type(name, (Type,), body)


AnyType = _singleton("AnyType", "Any")
NumberType = _singleton("NumberType", "number", "Scalar")
IntType = _singleton("IntType", "int", numeric=True)
FloatType = _singleton("FloatType", "float", numeric=True)
ComplexType = _singleton("ComplexType", "complex", numeric=True)
BoolType = _singleton("BoolType", "bool")
StringType = _singleton("StringType", "str")
NoneType = _singleton("NoneType", "NoneType")
TensorType = _singleton("TensorType", "Tensor")
DeviceObjType = _singleton("DeviceObjType", "Device")
StreamObjType = _singleton("StreamObjType", "Stream")
PyObjectType = _singleton("PyObjectType", "PyObject")
SymIntType = _singleton("SymIntType", "int", "SymInt")
SymBoolType = _singleton("SymBoolType", "bool", "SymBool")


class _Container(Type):
    """A type built from others: ``Name[contained, ...]``."""

    _name = ""

    def __init__(self, *contained):
        for t in contained:
            if not isinstance(t, Type):
                raise TypeError("__init__(): incompatible constructor arguments. The following argument types are "
                                f"supported:\n    1. torch._C.{type(self).__name__}(arg0: torch._C.Type)\n\n"
                                f"Invoked with: {t!r}")
        self._contained = tuple(contained)

    @property
    def annotation_str(self) -> str:
        return f"{self._name}[{', '.join(t.annotation_str for t in self._contained)}]"

    def str(self) -> str:  # noqa: A003
        return self.annotation_str

    def getElementType(self):
        return self._contained[0]


class ListType(_Container):
    """``List[T]`` (schema ``T[]``); invariant in T."""

    _name = "List"

    def str(self) -> str:  # noqa: A003
        return self._contained[0].str() + "[]"

    @staticmethod
    def ofInts():
        return ListType(IntType.get())

    @staticmethod
    def ofFloats():
        return ListType(FloatType.get())

    @staticmethod
    def ofComplexDoubles():
        return ListType(ComplexType.get())

    @staticmethod
    def ofBools():
        return ListType(BoolType.get())

    @staticmethod
    def ofStrings():
        return ListType(StringType.get())

    @staticmethod
    def ofTensors():
        return ListType(TensorType.get())


class TupleType(_Container):
    """``Tuple[T1, T2, ...]`` (schema ``(T1, T2)``); covariant, element by element."""

    _name = "Tuple"

    def __init__(self, elements):
        super().__init__(*elements)

    @property
    def annotation_str(self) -> str:
        return super().annotation_str if self._contained else "Tuple[()]"

    def str(self) -> str:  # noqa: A003
        return "(" + ", ".join(t.str() for t in self._contained) + ")"

    def elements(self) -> list:
        return list(self._contained)

    def _subtype(self, other) -> bool:
        return isinstance(other, TupleType) and len(other._contained) == len(self._contained) and \
            all(a.isSubtypeOf(b) for a, b in zip(self._contained, other._contained))


class DictType(_Container):
    """``Dict[K, V]`` (schema ``Dict(K, V)``); invariant."""

    _name = "Dict"

    def __init__(self, key, value):
        super().__init__(key, value)

    def str(self) -> str:  # noqa: A003
        return f"Dict({self._contained[0].str()}, {self._contained[1].str()})"

    def getKeyType(self):
        return self._contained[0]

    def getValueType(self):
        return self._contained[1]


class OptionalType(_Container):
    """``Optional[T]`` (schema ``T?``): T or None."""

    _name = "Optional"

    def __init__(self, element):
        super().__init__(element)

    def str(self) -> str:  # noqa: A003
        return self._contained[0].str() + "?"

    @staticmethod
    def ofTensor():
        return OptionalType(TensorType.get())


# the order of c10's TypeKind enum, which a Union's members are sorted by
_KIND_ORDER = ("AnyType", "TensorType", "TupleType", "ListType", "DictType", "NumberType", "FloatType", "ComplexType",
               "FutureType", "AwaitType", "RRefType", "IntType", "NoneType", "StringType", "BoolType", "OptionalType",
               "DeviceObjType", "StreamObjType", "PyObjectType", "SymIntType", "SymBoolType", "UnionType")


class UnionType(_Container):
    """``Union[T1, T2, ...]`` (schema ``Union(T1, T2)``): its members flattened, deduplicated and ordered by kind;
    ``Union[T, None]`` is ``Optional[T]``."""

    _name = "Union"

    def __new__(cls, types):
        flat = []
        for t in types:
            for m in (t._contained if isinstance(t, UnionType) else (t,)):
                if not isinstance(m, Type):
                    break
                if m not in flat:
                    flat.append(m)
        nones = [m for m in flat if isinstance(m, NoneType)]
        rest = [m for m in flat if not isinstance(m, NoneType)]
        if nones and len(rest) == 1:
            return OptionalType(rest[0])
        if len(flat) == 1:
            raise RuntimeError("false INTERNAL ASSERT FAILED: After type unification was performed, the Union with "
                               f"the original types {{{flat[0]} }} has the single type {flat[0]}. Use the common "
                               "supertype instead of creating a Uniontype")
        return super().__new__(cls)

    def __init__(self, types):
        flat = []
        for t in types:
            for m in (t._contained if isinstance(t, UnionType) else (t,)):
                if m not in flat:
                    flat.append(m)
        super().__init__(*sorted(flat, key=lambda t: _KIND_ORDER.index(t.kind()) if t.kind() in _KIND_ORDER else 99))

    def str(self) -> str:  # noqa: A003
        return "Union(" + ", ".join(t.str() for t in self._contained) + ")"


class FutureType(_Container):
    """``Future[T]``: the value of ``torch.jit.fork``."""

    _name = "Future"


class AwaitType(_Container):
    """``Await[T]`` (schema ``Await(T)``): the value of ``torch.jit._awaitable``."""

    _name = "Await"

    def str(self) -> str:  # noqa: A003
        return f"Await({self._contained[0].str()})"


class RRefType(_Container):
    """``RRef[T]``: a remote reference (torch.distributed.rpc)."""

    _name = "RRef"


# -- TorchScript's typed containers ---------------------------------------------------------------------------------

def _type_of(value, what: str = "list"):
    """The TorchScript type of a Python value (int, float, bool, str, Tensor, and lists and dicts of them)."""
    if isinstance(value, bool):
        return BoolType.get()
    for py, t in ((int, IntType), (float, FloatType), (complex, ComplexType), (str, StringType)):
        if isinstance(value, py):
            return t.get()
    if isinstance(value, Tensor):
        return TensorType.get()
    if value is None:
        return NoneType.get()
    if isinstance(value, list):
        return ListType(_common(value))
    if isinstance(value, tuple):
        return TupleType([_type_of(v) for v in value])
    if isinstance(value, dict):
        k, v = _common(list(value), "dict"), _common(list(value.values()), "dict")
        return DictType(k, v)
    raise _jit_error(f"Unable to infer type of {what}: cannot infer the type of a {type(value).__name__}")


def _jit_error(msg: str):
    from .jit import Error
    return Error(msg)


def _common(values, what: str = "list"):
    if not values:
        return TensorType.get()  # PyTorch's empty list is a List[Tensor]
    first = _type_of(values[0], what)
    for v in values[1:]:
        t = _type_of(v, what)
        if t != first:
            raise _jit_error(f"Unable to infer type of {what}: List inputs to traced functions must have "
                             f"consistent element type. Found {first.annotation_str} and {t.annotation_str}")
    return first


def _ivalue_str(value) -> str:
    """How TorchScript prints a value: strings bare, lists and dicts in brackets."""
    if isinstance(value, (list, ScriptList)):
        return "[" + ", ".join(_ivalue_str(v) for v in value) + "]"
    if isinstance(value, (dict, ScriptDict)):
        return "{" + ", ".join(f"{_ivalue_str(k)}: {_ivalue_str(v)}" for k, v in value.items()) + "}"
    if isinstance(value, bool):
        return "True" if value else "False"
    return str(value)


def _fits(value, t) -> bool:
    try:
        return _type_of(value).isSubtypeOf(t)
    except Exception:  # noqa: BLE001 - a value with no TorchScript type fits nothing
        return False


class ScriptListIterator:
    """Iterates over a ScriptList's elements."""

    def __init__(self, items):
        self._it = iter(list(items))

    def __iter__(self):
        return self

    def __next__(self):
        return next(self._it)


class ScriptList:
    """A list with one TorchScript element type (inferred from the values it is made from; ``List[Tensor]``
    when empty), which every value put in must have: a value of another type raises TypeError."""

    def __init__(self, values):
        values = list(values)
        self._type = ListType(_common(values))
        self._items = values

    def _check(self, value):
        if not _fits(value, self._type.getElementType()):
            raise TypeError("")

    def __len__(self) -> int:
        return len(self._items)

    def __getitem__(self, index):
        if isinstance(index, slice):
            out = ScriptList.__new__(ScriptList)
            out._type, out._items = self._type, self._items[index]
            return out
        try:
            return self._items[index]
        except IndexError:
            raise IndexError("") from None

    def __setitem__(self, index, value):
        self._check(value)
        try:
            self._items[index] = value
        except IndexError:
            raise IndexError("") from None

    def __delitem__(self, index):
        try:
            del self._items[index]
        except IndexError:
            raise IndexError("") from None

    def __iter__(self):
        return ScriptListIterator(self._items)

    def __contains__(self, value) -> bool:
        return value in self._items

    def __eq__(self, other) -> bool:
        return self is other

    __hash__ = object.__hash__

    def __repr__(self) -> str:
        return _ivalue_str(self._items)

    __str__ = __repr__

    def append(self, value) -> None:
        self._check(value)
        self._items.append(value)

    def extend(self, values) -> None:
        values = list(values)
        for v in values:
            self._check(v)
        self._items.extend(values)

    def insert(self, index, value) -> None:
        self._check(value)
        self._items.insert(index, value)

    def pop(self, index=-1):
        try:
            return self._items.pop(index)
        except IndexError:
            raise IndexError("") from None

    def remove(self, value) -> None:
        try:
            self._items.remove(value)
        except ValueError:
            raise ValueError("") from None

    def count(self, value) -> int:
        return self._items.count(value)

    def clear(self) -> None:
        self._items.clear()


class ScriptDictKeyIterator(ScriptListIterator):
    """Iterates over a ScriptDict's keys."""


class ScriptDictIterator(ScriptListIterator):
    """Iterates over a ScriptDict's (key, value) pairs."""


class ScriptDict:
    """A dict with one TorchScript key type and one value type (inferred from the dict it is made from): a key or
    value of another type raises TypeError, a missing key KeyError."""

    def __init__(self, values):
        values = dict(values)
        self._type = _type_of(values, "dict")
        self._items = values

    def __len__(self) -> int:
        return len(self._items)

    def __getitem__(self, key):
        try:
            return self._items[key]
        except KeyError:
            raise KeyError("") from None

    def __setitem__(self, key, value):
        if not (_fits(key, self._type.getKeyType()) and _fits(value, self._type.getValueType())):
            raise TypeError("")
        self._items[key] = value

    def __delitem__(self, key):
        try:
            del self._items[key]
        except KeyError:
            raise KeyError("") from None

    def __contains__(self, key) -> bool:
        return key in self._items

    def __iter__(self):
        return ScriptDictKeyIterator(self._items)

    def keys(self):
        return ScriptDictKeyIterator(self._items)

    def items(self):
        return ScriptDictIterator(self._items.items())

    def __eq__(self, other) -> bool:
        return self is other

    __hash__ = object.__hash__

    def __repr__(self) -> str:
        return _ivalue_str(self)

    __str__ = __repr__
