"""TorchScript's type objects (ember._jit_types) against PyTorch 2.13: one script through both libraries prints
the same transcript; tests/fixtures/jit_types_torch.txt is PyTorch's, recorded (rewrite it with
``python tests/test_jit_types.py``), and the torch test checks the recording is still what PyTorch prints."""

from __future__ import annotations

import contextlib
import io
import pathlib
import sys

import pytest

import ember

FIXTURE = pathlib.Path(__file__).parent / "fixtures" / "jit_types_torch.txt"
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


def first_difference(got: str, want: str):
    g, w = got.splitlines(), want.splitlines()
    for k in range(max(len(g), len(w))):
        a, b = (g[k] if k < len(g) else None), (w[k] if k < len(w) else None)
        if a != b:
            return k + 1, a, b
    return None


def test_ember_prints_what_pytorch_printed():
    assert first_difference(transcript(ember), FIXTURE.read_text()) is None


def test_the_recording_is_what_pytorch_prints():
    torch = pytest.importorskip("torch")
    assert first_difference(transcript(torch), FIXTURE.read_text()) is None


def test_the_comparison_sees_a_changed_word():
    want = FIXTURE.read_text()
    assert first_difference(want.replace("List[int]", "List[float]", 1), want) is not None


if __name__ == "__main__":
    import torch as _torch
    FIXTURE.write_text(transcript(_torch))
    print(f"wrote {FIXTURE}", file=sys.stderr)
