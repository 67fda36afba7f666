"""TorchScript's type objects (ember._jit_types) against PyTorch 2.13: one script through both libraries prints
the same transcript; tests/fixtures/jit_types_torch.txt is PyTorch's, recorded (rewrite it with
``python tests/test_jit_types.py``), and the torch test checks the recording is still what PyTorch prints."""

from __future__ import annotations

import contextlib
import io
import pathlib
import sys

import pytest
from transcripts import first_difference

import ember

FIXTURE = pathlib.Path(__file__).parent / "fixtures" / "jit_types_torch.txt"
CONTAINERS = pathlib.Path(__file__).parent / "fixtures" / "jit_containers_torch.txt"
SINGLETONS = ("IntType", "FloatType", "BoolType", "StringType", "NoneType", "NumberType", "TensorType",
              "DeviceObjType", "StreamObjType", "AnyType", "ComplexType", "SymIntType", "SymBoolType", "PyObjectType")


def transcript(T) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        num = T.NumberType.get()
        for n in SINGLETONS:
            c = getattr(T, n)
            t = c.get()
            print(n, repr(str(t)), t.str(), t.annotation_str, t.kind(), t.isSubtypeOf(num), t == c.get(),
                  t is c.get(), isinstance(t, T.Type), t.containedTypes())
        i, f, s, none = T.IntType.get(), T.FloatType.get(), T.StringType.get(), T.NoneType.get()
        made = [T.ListType(i), T.TupleType([i, f]), T.DictType(s, T.TensorType.get()), T.UnionType([i, s]),
                T.UnionType([s, i, i]), T.UnionType([i, none]), T.FutureType(i), T.AwaitType(i), T.RRefType(i),
                T.OptionalType(T.ListType(i)), T.TupleType([]), T.OptionalType.ofTensor()]
        made += [T.ListType.ofInts(), T.ListType.ofTensors(), T.ListType.ofFloats(), T.ListType.ofBools(),
                 T.ListType.ofStrings(), T.ListType.ofComplexDoubles()]
        for t in made:
            print(t, repr(t.str()), t.annotation_str, t.kind(), [str(c) for c in t.containedTypes()])
        print(T.ListType(i).getElementType(), T.OptionalType(i).getElementType(), T.FutureType(i).getElementType(),
              T.TupleType([i, f]).elements(), T.DictType(s, i).getKeyType(), T.DictType(s, i).getValueType())
        opt, union = T.OptionalType(i), T.UnionType([i, none, s])
        for a, b in ((i, opt), (none, opt), (T.ListType(i), T.ListType(num)), (i, T.AnyType.get()), (i, union),
                     (T.TupleType([i]), T.TupleType([num])), (opt, T.OptionalType(num)), (opt, T.AnyType.get()),
                     (opt, union), (T.TensorType.get(), num), (T.BoolType.get(), i), (i, T.SymIntType.get()),
                     (T.ListType(i), T.ListType(i)), (f, opt), (T.DictType(s, i), T.DictType(s, num))):
            print(a, b, a.isSubtypeOf(b))
        print(i == f, i != f, T.SymIntType.get() == i, T.OptionalType(i) == T.OptionalType(i),
              T.ListType(i) == T.ListType(f))
        for bad in (lambda: T.IntType(), lambda: i.isSubtypeOf(3), lambda: i == 3, lambda: T.ListType(3),
                    lambda: hash(i)):
            try:
                print(bad())
            except Exception as e:  # noqa: BLE001 - the class and message are compared
                print(type(e).__name__, str(e).replace("torch._C.Type", "Type"))
    return out.getvalue()


def container_transcript(torch) -> str:
    """torch.ScriptList and torch.ScriptDict: type inference, type checks on what goes in, errors, printing."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        l = torch.ScriptList([1, 2, 3])
        for f in [
                lambda: l.append('a'),
                lambda: l[5],
                lambda: l[-1],
                lambda: l[1:],
                lambda: l == [1, 2, 3],
                lambda: type(iter(l)).__name__,
                lambda: str(torch.ScriptList(['a', 'b'])),
                lambda: torch.ScriptList([]),
                lambda: torch.ScriptList([1, 'a']),
                lambda: l.pop(),
                lambda: l,
                lambda: 2 in l,
                lambda: repr(l),
                lambda: l.extend([7, 8]) or l,
                lambda: l.insert(0, 9) or l,
                lambda: l.remove(9) or l,
                lambda: l.remove(42),
                lambda: torch.ScriptList([1.5, 2]),
                lambda: torch.ScriptList([[1], [2]]),
                lambda: l.__setitem__(0, 5) or l,
                lambda: l.__delitem__(0) or l,
                lambda: l.count(7),
                lambda: l.clear() or l,
                lambda: torch.ScriptList([1, 2])[0:1],
                lambda: type(torch.ScriptList([1, 2])[0:1]).__name__,
                lambda: list(iter(torch.ScriptList([True, False]))),
                lambda: torch.ScriptList([True, False]),
        ]:
            try:
                print(repr(f()))
            except Exception as e:  # noqa: BLE001
                print(type(e).__name__, str(e)[:200])
        d = torch.ScriptDict({'a': 1, 'b': 2})
        for f in [
                lambda: d,
                lambda: d['z'],
                lambda: list(d),
                lambda: type(iter(d)).__name__,
                lambda: type(iter(d.items())).__name__,
                lambda: list(d.keys()),
                lambda: list(d.items()),
                lambda: d.__setitem__('c', 3) or d,
                lambda: d.__setitem__(1, 3),
                lambda: d.__setitem__('e', 'x'),
                lambda: d.__delitem__('a') or d,
                lambda: 'b' in d,
                lambda: torch.ScriptDict({}),
                lambda: torch.ScriptDict({1: 'x'}),
                lambda: d == {'b': 2, 'c': 3},
                lambda: len(d),
        ]:
            try:
                print(repr(f()))
            except Exception as e:  # noqa: BLE001
                print(type(e).__name__, str(e)[:200])
    return out.getvalue()


def test_ember_prints_what_pytorch_printed():
    assert first_difference(transcript(ember), FIXTURE.read_text()) is None


def test_the_recording_is_what_pytorch_prints():
    torch = pytest.importorskip("torch")
    assert first_difference(transcript(torch), FIXTURE.read_text()) is None


def test_containers_match_pytorchs_recording():
    assert first_difference(container_transcript(ember), CONTAINERS.read_text()) is None


def test_the_container_recording_is_what_pytorch_prints():
    torch = pytest.importorskip("torch")
    assert first_difference(container_transcript(torch), CONTAINERS.read_text()) is None


def test_the_comparison_sees_a_changed_word():
    want = FIXTURE.read_text()
    assert first_difference(want.replace("List[int]", "List[float]", 1), want) is not None


if __name__ == "__main__":
    import torch as _torch
    FIXTURE.write_text(transcript(_torch))
    CONTAINERS.write_text(container_transcript(_torch))
    print(f"wrote {FIXTURE}", file=sys.stderr)
