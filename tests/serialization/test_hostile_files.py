"""Malformed and hostile files in all three formats: one error class (RuntimeError), bounded time and memory,
no code run.

The fuzz damages real files (PyTorch's recorded zip and legacy checkpoints, ember's zip and pickle-free files,
safetensors) a few thousand times; hand-made files aim at each check in turn.
"""

import io
import os
import pickle
import struct
import time
import tracemalloc

import numpy as np
import pytest
from ser_helpers import FIXTURES, mutations, only_runtime_errors, pickled_zip
from ser_helpers import global_op as g
from serialization_fixture_classes import OpenTrap

import ember
import ember.safetensors as est

MARKER = "ember_pwned_by_open"


@pytest.fixture(autouse=True)
def in_tmp(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # where the trap would create its file
    yield
    assert not os.path.exists(MARKER), "a loader ran code from a file"


def seeds() -> dict[str, tuple[bytes, object]]:
    model = ember.nn.Sequential(ember.nn.Linear(3, 4), ember.nn.Linear(4, 2))
    base = ember.arange(12.0).reshape(3, 4)
    obj = {"model": model.state_dict(), "x": [1, 2.5, "s", (True, None)], "rows": base[1:], "t": base.t(),
           "m": ember.tensor([True, False]), "i": ember.arange(5)}
    zip_buf, v1_buf = io.BytesIO(), io.BytesIO()
    ember.save(obj, zip_buf)
    ember.serialization.save_pickle_free(obj, v1_buf)
    st = est.save({k: v.detach() for k, v in model.state_dict().items()} | {"m": ember.tensor([True, False])},
                  metadata={"a": "b"})
    load = lambda b: ember.load(io.BytesIO(b))  # noqa: E731
    return {"torch_zip": ((FIXTURES / "state.pt").read_bytes(), load),
            "torch_legacy": ((FIXTURES / "legacy.pt").read_bytes(), load),
            "trap_zip": ((FIXTURES / "open_trap.pt").read_bytes(), load),
            "ember_zip": (zip_buf.getvalue(), load), "ember_pickle_free": (v1_buf.getvalue(), load),
            "safetensors": (st, est.load)}


FUZZ = {"torch_zip": 300, "torch_legacy": 150, "trap_zip": 200, "ember_zip": 500, "ember_pickle_free": 600,
        "safetensors": 600}


def test_the_fuzz_seeds_load():
    for name, (blob, load) in seeds().items():
        if name != "trap_zip":
            load(blob)


@pytest.mark.filterwarnings("ignore:Detected pickle protocol")  # a damaged PROTO byte
@pytest.mark.parametrize("name", sorted(FUZZ))
def test_fuzz_gives_one_error_class(name):
    blob, load = seeds()[name]
    rng = np.random.default_rng(sorted(FUZZ).index(name))
    blobs = list(mutations(blob, rng, FUZZ[name]))
    assert only_runtime_errors(load, blobs) == []
    # bounded time and memory, measured on a sample (tracemalloc slows everything down)
    tracemalloc.start()
    try:
        for b in blobs[::25]:
            tracemalloc.reset_peak()
            start = time.perf_counter()
            try:
                load(b)
            except RuntimeError:
                pass
            assert time.perf_counter() - start < 1.0
            assert tracemalloc.get_traced_memory()[1] < 100 * len(blob) + (1 << 20)
    finally:
        tracemalloc.stop()


def test_the_fuzz_checker_catches_a_leak():
    def leaky(b):
        if b[:1] == b"x":
            raise ValueError("leaked")
        raise RuntimeError("fine")
    assert only_runtime_errors(leaky, [b"a", b"xy"]) == ["case 1: ValueError: leaked"]
    assert only_runtime_errors(leaky, [b"a", b"b"]) == []


def test_mutated_files_go_through_the_file_paths_too(tmp_path):
    # memory-mapped zip, ember-format and safetensors reads, on a sample of damaged files
    rng = np.random.default_rng(9)
    for name, loader in (("ember_zip", lambda p: ember.load(p, mmap=True)),
                         ("ember_pickle_free", lambda p: ember.load(p, mmap=True)),
                         ("safetensors", est.load_file)):
        blob = seeds()[name][0]
        path = tmp_path / f"f.{name}"

        def load(b, path=path, loader=loader):
            path.write_bytes(b)
            return loader(path)
        assert only_runtime_errors(load, list(mutations(blob, rng, 60))) == []


# ----- code execution -----

def test_payloads_are_refused_not_run(tmp_path):
    trap = OpenTrap(MARKER)
    files = {"torch zip": (FIXTURES / "open_trap.pt").read_bytes(), "plain pickle": pickle.dumps({"w": trap}, protocol=2)}
    buf = io.BytesIO()
    ember.save({"w": trap}, buf)
    files["ember zip"] = buf.getvalue()
    buf = io.BytesIO()
    ember.save({"w": trap}, buf, _use_new_zipfile_serialization=False)
    files["legacy"] = buf.getvalue()
    for name, blob in files.items():
        with pytest.raises(RuntimeError) as info:
            ember.load(io.BytesIO(blob))
        assert not os.path.exists(MARKER), name
        if name != "plain pickle":  # (that one fails PyTorch's magic-number check, after the refusal)
            assert isinstance(info.value, pickle.UnpicklingError) and "io.open" in str(info.value), name
    # and safetensors / ember's pickle-free format have no way to say "call this"
    est_blob = est.save({"w": ember.ones(1)})
    assert set(est.load(est_blob)) == {"w"}


# ----- hand-made files, one check each -----

def _int(v: int) -> bytes:
    return b"J" + struct.pack("<i", v) if -2**31 <= v < 2**31 else b"\x8a" + bytes([len(pickle.encode_long(v))]) + \
        pickle.encode_long(v)


def _str(x: str) -> bytes:
    return b"X" + struct.pack("<I", len(x.encode())) + x.encode()


def tensor_pickle(numel, offset, size, stride, storage="FloatStorage", key="0") -> bytes:
    pid = b"(" + _str("storage") + g("torch", storage) + _str(key) + _str("cpu") + _int(numel) + b"tQ"
    tup = lambda xs: b"(" + b"".join(_int(x) for x in xs) + b"t"  # noqa: E731
    return (b"\x80\x02" + g("torch._utils", "_rebuild_tensor_v2") + b"(" + pid + _int(offset) + tup(size) + tup(stride)
            + b"\x89" + g("collections", "OrderedDict") + b")Rt" + b"R.")


EIGHT_FLOATS = np.arange(8, dtype="<f4").tobytes()
PICKLES = {
    "deep tuples": b"\x80\x02N" + b"\x85" * 100_000 + b".",
    "deep marks": b"\x80\x02" + b"(" * 100_000 + b".",
    "huge string length": b"\x80\x02X\xff\xff\xff\xffabc.",
    "truncated": b"\x80\x02]q\x00(K\x01K\x02",
    "missing memo": b"\x80\x02j\x00\x00\x01\x00.",
    "stack underflow": b"\x80\x02\x87.",
    "unhashable key": b"\x80\x02}]Ns.",
    "dict key nested 100k deep": b"\x80\x02}N" + b"\x85" * 100_000 + b"Ns.",
    "storage announces more than its record": tensor_pickle(10**15, 0, [4], [1]),
    "storage record missing": tensor_pickle(8, 0, [8], [1], key="7"),
    "tensor past its storage": tensor_pickle(8, 4, [10], [1]),
    "negative stride": tensor_pickle(8, 0, [2], [-1]),
    "negative offset": tensor_pickle(8, -1, [2], [1]),
    "huge empty shape": tensor_pickle(8, 0, [0, 2**62, 2**62], [1, 1, 1]),
    "sizes and strides disagree": tensor_pickle(8, 0, [2, 2], [1]),
    "storage of an unknown type": tensor_pickle(8, 0, [2], [1], storage="QUInt8Storage"),
    "requires_grad on integers": tensor_pickle(2, 0, [2], [1], storage="LongStorage").replace(b"\x89", b"\x88"),
}


@pytest.mark.parametrize("case", sorted(PICKLES))
def test_hand_made_pickles(case):
    blob = pickled_zip(PICKLES[case], {"data/0": EIGHT_FLOATS})
    start = time.perf_counter()
    with pytest.raises(RuntimeError):
        ember.load(io.BytesIO(blob))
    assert time.perf_counter() - start < 1.0


def test_out_of_bounds_message_is_pytorchs():
    torch = pytest.importorskip("torch")
    blob = pickled_zip(PICKLES["tensor past its storage"], {"data/0": EIGHT_FLOATS})
    with pytest.raises(RuntimeError) as theirs:
        torch.load(io.BytesIO(blob))
    with pytest.raises(RuntimeError) as mine:
        ember.load(io.BytesIO(blob))
    assert str(mine.value) == str(theirs.value)


def test_hand_made_pickle_checks_do_not_reject_good_tensors():
    blob = pickled_zip(tensor_pickle(8, 2, [2, 3], [3, 1]), {"data/0": EIGHT_FLOATS})
    assert ember.load(io.BytesIO(blob)).tolist() == [[2, 3, 4], [5, 6, 7]]
    bad_bool = pickled_zip(tensor_pickle(2, 0, [2], [1], storage="BoolStorage"), {"data/0": b"\x01\x02"})
    with pytest.raises(RuntimeError, match="bool storage"):
        ember.load(io.BytesIO(bad_bool))


def _zip_edit(edit) -> bytes:
    buf = io.BytesIO()
    ember.save({"w": ember.arange(4.0)}, buf)
    return edit(bytearray(buf.getvalue()))


def _end_offset(b):
    return b.rfind(b"PK\x05\x06")


def _set(b, at, fmt, value):
    struct.pack_into(fmt, b, at, value)
    return bytes(b)


ZIPS = {
    "empty": lambda b: b"",
    "21 bytes": lambda b: bytes(b[:21]),
    "no end record": lambda b: bytes(b[:_end_offset(b)]),
    "entry count absurd": lambda b: _set(b, b.rfind(b"PK\x06\x06") + 32, "<Q", 2**60),
    "directory offset past the end": lambda b: _set(b, b.rfind(b"PK\x06\x06") + 48, "<Q", 2**62),
    "locator to nowhere": lambda b: _set(b, b.rfind(b"PK\x06\x07") + 8, "<Q", 2**63 - 1),
    "duplicate names": lambda b: bytes(b).replace(b"archive/version", b"archive/byteorder"),
    "local and central names differ": lambda b: bytes(b).replace(b"archive/data/0", b"archive/data/X", 1),
    "compressed record": lambda b: _set(b, b.find(b"PK\x01\x02") + 10, "<H", 8),
    "record past the directory": lambda b: _set(b, b.find(b"PK\x01\x02") + 20, "<I", 2**31),
    "not in a folder": lambda b: bytes(b).replace(b"archive/", b"archive_"),
    "no data.pkl": lambda b: bytes(b).replace(b"archive/data.pkl", b"archive/data.pkX"),
    "bad byteorder": lambda b: bytes(b).replace(b"little", b"middle"),
}


@pytest.mark.parametrize("case", sorted(ZIPS))
def test_broken_zip_containers(case):
    blob = _zip_edit(ZIPS[case])
    with pytest.raises(RuntimeError):
        ember.load(io.BytesIO(blob))


def test_torchscript_archives_are_refused():
    blob = pickled_zip(b"\x80\x02}.", {"constants.pkl": b"\x80\x02)."})
    with pytest.raises(RuntimeError, match="Cannot use ``weights_only=True`` with TorchScript archives"):
        ember.load(io.BytesIO(blob))
    with pytest.raises(RuntimeError, match="does not offer torch.jit"):
        ember.load(io.BytesIO(blob), weights_only=False)


def test_broken_zip_messages_are_pytorchs():
    torch = pytest.importorskip("torch")
    for case in ("21 bytes", "no end record", "no data.pkl", "not in a folder"):
        blob = _zip_edit(ZIPS[case])
        with pytest.raises(RuntimeError) as theirs:
            torch.load(io.BytesIO(blob))
        with pytest.raises(RuntimeError) as mine:
            ember.load(io.BytesIO(blob))
        assert str(mine.value) == str(theirs.value).split("[enforce fail at inline_container.cc:180] . ")[-1], case


# ----- ember's pickle-free format -----

def _v1(obj=None) -> bytes:
    buf = io.BytesIO()
    ember.serialization.save_pickle_free({"w": ember.arange(6.0).reshape(2, 3)} if obj is None else obj, buf)
    return buf.getvalue()


def _with_header(blob, edit):
    import json
    n = int.from_bytes(blob[8:16], "little")
    header = json.loads(blob[16:16 + n])
    edit(header)
    raw = json.dumps(header).encode()
    raw += b" " * (-(16 + len(raw)) % 64)
    return blob[:8] + len(raw).to_bytes(8, "little") + raw + blob[16 + n:]


def _deep_header():
    raw = b'{"format":"ember","version":1,"tensors":[],"root":' + b'{"list":[' * 50000 + b"]}" * 50000 + b"}"
    return b"EMBERSV1" + len(raw).to_bytes(8, "little") + raw


def _overlapping():
    blob = _v1({"a": ember.arange(4.0), "b": ember.arange(4.0) + 10})
    return _with_header(blob, lambda h: h["tensors"][1].update(offset=8))  # b starts inside a


@pytest.mark.parametrize("blob_fn,msg", [
    (lambda b: b[:len(b) - 50], "truncated"),
    (lambda b: b[:20], "header length"),
    (lambda b: b[:10], "truncated"),
    (lambda b: os.urandom(300), "not a checkpoint"),
    (lambda b: b[:8] + (2**62).to_bytes(8, "little") + b[16:], "header length"),
    (lambda b: b[:16] + b"{" * (len(b) - 16), "JSON"),
    (lambda b: _with_header(b, lambda h: h["tensors"][0].update(offset=10**9)), "data region"),
    (lambda b: _with_header(b, lambda h: h["tensors"][0].update(nbytes=8)), "needs"),
    (lambda b: _with_header(b, lambda h: h["tensors"][0].update(shape=[1000, 1000])), "needs"),
    (lambda b: _with_header(b, lambda h: h["tensors"][0].update(shape=[-2])), "shape"),
    (lambda b: _with_header(b, lambda h: h["tensors"][0].update(shape=[0, 2**70])), "shape"),
    (lambda b: _with_header(b, lambda h: h["tensors"][0].update(dtype="object")), "dtype"),
    (lambda b: _with_header(b, lambda h: h["tensors"][0].update(dtype=["float32"])), "dtype"),
    (lambda b: _with_header(b, lambda h: h["tensors"][0].update(offset=-4)), "offset"),
    (lambda b: _with_header(b, lambda h: h.update(root={"tensor": 5})), "reference to tensor"),
    (lambda b: _with_header(b, lambda h: h.update(root={"pickle": "cos\nsystem\n"})), "unknown"),
    (lambda b: _with_header(b, lambda h: h.update(root={"dict": [[{"list": []}, 1]]})), "unhashable"),
    (lambda b: _with_header(b, lambda h: h.update(root={"float": "0x1p99999"})), "bad float"),
    (lambda b: _with_header(b, lambda h: h.update(version=99)), "version"),
    (lambda b: _deep_header(), "nested|JSON"),
    (lambda b: _overlapping(), "overlap"),
])
def test_broken_pickle_free_files(blob_fn, msg):
    blob = blob_fn(_v1())
    with pytest.raises(RuntimeError, match=msg) as info:
        ember.load(io.BytesIO(blob))
    assert "invalid file" in str(info.value)


def test_overlap_check_passes_real_files_and_empty_tensors():
    blob = _v1({"a": ember.arange(4.0), "e": ember.zeros(0), "f": ember.zeros(0, 3), "b": ember.ones(2)})
    back = ember.load(io.BytesIO(blob))
    back["a"].add_(100)
    assert back["b"].tolist() == [1.0, 1.0]


# ----- safetensors -----

def test_broken_safetensors():
    good = est.save({"a": ember.arange(4.0), "b": ember.ones(2, dtype=ember.int64)})
    n = int.from_bytes(good[:8], "little")
    import json
    header = json.loads(good[8:8 + n])

    def with_header(h):
        raw = json.dumps(h).encode()
        return len(raw).to_bytes(8, "little") + raw + good[8 + n:]
    overlap = {k: dict(v) for k, v in header.items()}
    overlap["a"]["data_offsets"] = [0, 16]  # inside b (written first)
    cases = [good[:-1], good[:7], b"\xff" * 8 + good[8:], os.urandom(64), with_header(overlap),
             with_header({**header, "a": {**header["a"], "shape": [0, 2**70]}}),
             with_header({**header, "a": {**header["a"], "dtype": ["F32"]}}),
             with_header({**header, "__metadata__": {"k": 1}}), with_header([1, 2])]
    for blob in cases:
        with pytest.raises(RuntimeError, match="safetensors"):
            est.load(blob)
