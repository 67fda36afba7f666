"""torch.layout and torch.memory_format (ember._layouts) as PyTorch 2.13 has them."""

from __future__ import annotations

import pickle

import pytest

import ember

# recorded from PyTorch 2.13: repr of each constant and its class's name
RECORDED = {"strided": ("torch.strided", "layout"), "contiguous_format": ("torch.contiguous_format", "memory_format"),
            "channels_last": ("torch.channels_last", "memory_format"),
            "channels_last_3d": ("torch.channels_last_3d", "memory_format"),
            "preserve_format": ("torch.preserve_format", "memory_format")}


def facts(lib) -> dict:
    return {n: (repr(getattr(lib, n)), type(getattr(lib, n)).__name__) for n in RECORDED}


def test_constants_print_and_belong_to_their_class_as_recorded():
    assert facts(ember) == RECORDED
    assert isinstance(ember.strided, ember.layout) and isinstance(ember.channels_last, ember.memory_format)
    assert ember.zeros(2).layout is ember.strided and str([ember.strided]) == "[torch.strided]"
    assert ember.legacy_contiguous_format is ember.contiguous_format
    assert pickle.loads(pickle.dumps(ember.channels_last)) is ember.channels_last
    with pytest.raises(TypeError, match="cannot create 'torch.layout' instances"):
        ember.layout()
    with pytest.raises(TypeError, match="cannot create 'torch.memory_format' instances"):
        ember.memory_format("x")


def test_the_recording_is_what_pytorch_has():
    torch = pytest.importorskip("torch")
    assert facts(torch) == RECORDED
    assert facts(torch) != {**RECORDED, "strided": ("strided", "layout")}  # the comparison can fail


def _classproperty_facts(lib):
    class A:
        @lib.classproperty
        def n(cls):
            return cls.__name__ * 2

        @lib.classproperty
        @staticmethod
        def s():
            return 7

    class B(A):
        pass

    return A.n, B.n, A().n, B().n, A.s, type(A.__dict__["n"]).__name__


def test_classproperty_reads_from_the_class_as_pytorchs_does():
    assert _classproperty_facts(ember) == ("AA", "BB", "AA", "BB", 7, "_ClassPropertyDescriptor")
    torch = pytest.importorskip("torch")
    assert _classproperty_facts(torch) == _classproperty_facts(ember)
