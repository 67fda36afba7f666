"""torch.frombuffer, torch.from_dlpack and torch.utils.dlpack.to_dlpack against PyTorch: values, dtypes, shared
memory, errors."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import ember
import ember.utils.dlpack

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("kw", [{"dtype": "int32"}, {"dtype": "int16", "count": 2, "offset": 2},
                                {"dtype": "uint8", "offset": 3}, {"dtype": "float32", "requires_grad": True},
                                {"dtype": "int32", "count": 3}, {"dtype": "int64", "offset": 1},
                                {"dtype": "int16", "count": 0}, {"dtype": "int16", "offset": 8}])
def test_frombuffer_as_pytorch(kw):
    def run(lib):
        buf = bytearray(b"\x01\x00\x00\x00\x02\x00\x00\x00")
        k = dict(kw, dtype=getattr(lib, kw["dtype"]))
        try:
            t = lib.frombuffer(buf, **k)
        except ValueError as err:
            return str(err)
        buf[0] = 7  # the tensor is a view of the buffer
        return t.tolist(), str(t.dtype), t.requires_grad
    assert run(ember) == run(torch)


def test_frombuffer_of_a_read_only_buffer_warns_once():
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        t = ember.frombuffer(b"abcd", dtype=ember.uint8)
        ember.frombuffer(b"abcd", dtype=ember.uint8)
    assert t.tolist() == torch.frombuffer(b"abcd", dtype=torch.uint8).tolist()
    assert len(rec) <= 1 and all("not writable" in str(w.message) for w in rec)
    with pytest.raises(ValueError, match="both buffer length"):
        ember.frombuffer(bytearray(), dtype=ember.int16)


def test_dlpack_shares_memory_both_ways():
    a = np.arange(4.0)
    x = ember.from_dlpack(a)
    a[0] = 9
    assert x.tolist() == [9.0, 1.0, 2.0, 3.0] and x.dtype == ember.float64
    y = ember.from_dlpack(ember.utils.dlpack.to_dlpack(x))
    y[1] = 5
    assert x.tolist() == [9.0, 5.0, 2.0, 3.0]
    t = torch.from_dlpack(ember.utils.dlpack.to_dlpack(x))  # PyTorch reads ember's capsule ...
    t[2] = -1
    assert x.tolist() == [9.0, 5.0, -1.0, 3.0]
    z = ember.from_dlpack(torch.arange(3, dtype=torch.int32))  # ... and ember reads PyTorch's tensors
    assert z.dtype == ember.int32 and z.tolist() == [0, 1, 2]
    assert ember.to_dlpack is ember.utils.dlpack.to_dlpack
    assert [(k, int(v)) for k, v in ember.utils.dlpack.DLDeviceType.__members__.items()] == \
        [(k, int(v)) for k, v in torch.utils.dlpack.DLDeviceType.__members__.items()]
