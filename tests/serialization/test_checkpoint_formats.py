"""ember.save/ember.load in their formats without PyTorch: exact round trips, format recognition by magic,
PyTorch's recorded checkpoints (every dtype, shared storages, state dicts, legacy format) and messages."""

import io
import os
import pickle
import zipfile
from collections import OrderedDict

import numpy as np
import pytest
from ser_helpers import EMBER_DTYPE, FIXTURES, describe, expected

import ember
import ember.safetensors as est
from ember.nn.parameter import Parameter

DTYPES = [np.float32, np.float64, np.float16, np.int64, np.int32, np.int16, np.int8, np.uint8, np.bool_,
          np.complex64, np.complex128]


def rand_array(dtype, shape, rng):
    arr = (rng.standard_normal(shape) * 100).astype(dtype) if dtype is not np.bool_ else rng.random(shape) < 0.5
    return np.asarray(arr)


def roundtrip(obj, save=ember.save, tmp_path=None):
    if tmp_path is None:
        buf = io.BytesIO()
        save(obj, buf)
        buf.seek(0)
        return ember.load(buf)
    path = tmp_path / "obj.pt"
    save(obj, path)
    return ember.load(str(path))


SAVERS = [ember.save, ember.serialization.save_pickle_free,
          lambda o, f: ember.save(o, f, _use_new_zipfile_serialization=False)]
SAVER_IDS = ["zip", "pickle_free", "legacy"]


@pytest.mark.parametrize("save", SAVERS, ids=SAVER_IDS)
@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
def test_tensor_roundtrip_exact(dtype, save, tmp_path):
    rng = np.random.default_rng(0)
    for shape in [(), (0,), (5,), (2, 3, 4)]:
        arr = rand_array(dtype, shape, rng)
        for where in (None, tmp_path) if len(shape) == 3 else (None,):
            back = roundtrip(ember.from_numpy(arr), save, where)
            assert back.dtype == ember.from_numpy(arr).dtype and tuple(back.shape) == shape
            assert back.numpy().tobytes() == arr.tobytes()
            assert back.numpy().flags.writeable


@pytest.mark.parametrize("save", SAVERS, ids=SAVER_IDS)
def test_special_floats_and_views(save):
    x = ember.tensor([np.nan, np.inf, -np.inf, -0.0, 1e-45], dtype=ember.float32)
    assert roundtrip(x, save).numpy().tobytes() == x.numpy().tobytes()  # sign of zero and denormals too
    base = ember.arange(12.0).reshape(3, 4)
    view = base.t()[1:]
    np.testing.assert_array_equal(roundtrip(view, save).numpy(), view.numpy())


def state_object():
    rng = np.random.default_rng(1)
    w = Parameter(ember.tensor(rng.standard_normal((3, 2)).astype(np.float32)))
    frozen = Parameter(ember.tensor(rng.standard_normal(2)), requires_grad=False)
    sd = OrderedDict([("layer.weight", w), ("layer.bias", frozen), ("bn.num_batches_tracked", ember.tensor(7))])
    opt = {"state": {0: {"step": ember.tensor(3.0), "exp_avg": ember.zeros(3, 2), "momentum_buffer": None}},
           "param_groups": [{"lr": 0.001, "betas": (0.9, 0.999), "eps": 1e-08, "weight_decay": 0,
                             "amsgrad": False, "params": [0, 1], "name": "group-α", "big": 2**70,
                             "nan": float("nan")}]}
    return {"model": sd, "optimizer": opt, "epoch": 5, "shape": ember.Size([2, 3]), "dtype": ember.float64,
            "device": ember.device("cpu")}


@pytest.mark.parametrize("save", SAVERS, ids=SAVER_IDS)
def test_state_dicts_roundtrip(save):
    obj = state_object()
    back = roundtrip(obj, save)
    assert describe(back) == describe(obj) or save is ember.serialization.save_pickle_free
    sd = obj["model"]
    assert type(back["model"]) is OrderedDict and list(back["model"]) == list(sd)
    lw, lb = back["model"]["layer.weight"], back["model"]["layer.bias"]
    assert type(lw) is Parameter and lw.requires_grad and type(lb) is Parameter and not lb.requires_grad
    np.testing.assert_array_equal(lw.detach().numpy(), sd["layer.weight"].detach().numpy())
    assert back["model"]["bn.num_batches_tracked"].dtype == ember.int64
    g, g0 = back["optimizer"]["param_groups"][0], obj["optimizer"]["param_groups"][0]
    assert g["betas"] == (0.9, 0.999) and type(g["betas"]) is tuple and g["params"] == [0, 1]
    assert g["big"] == 2**70 and g["name"] == "group-α" and g["amsgrad"] is False and np.isnan(g["nan"])
    assert {k: v for k, v in g.items() if k != "nan"} == {k: v for k, v in g0.items() if k != "nan"}
    st = back["optimizer"]["state"]
    assert list(st) == [0] and st[0]["momentum_buffer"] is None and st[0]["step"].item() == 3.0
    assert back["epoch"] == 5 and back["shape"] == ember.Size([2, 3]) and back["dtype"] is ember.float64
    assert type(back["shape"]) is ember.Size and back["device"] == ember.device("cpu")


def test_describe_tells_files_apart():
    # the comparison the interop tests rest on must see a changed value, dtype, sharing or flag
    base = ember.arange(6.0)
    good = describe({"a": base, "b": base[2:]})
    assert describe({"a": base, "b": base[2:].clone()}) != good  # sharing lost
    assert describe({"a": base, "b": base[2:] + 0}) != good
    assert describe({"a": base.double(), "b": base.double()[2:]}) != good
    assert describe({"a": base.requires_grad_(), "b": base[2:]}) != good
    other = base.detach().clone()
    other.numpy()[0] = -0.0
    assert describe({"a": other, "b": other[2:]}) != good  # 0.0 and -0.0 differ


def test_shared_tensor_stays_one_object_and_views_share_storage():
    t = ember.ones(3)
    for save in SAVERS:
        back = roundtrip({"a": t, "b": [t]}, save)
        assert back["a"] is back["b"][0]
    base = ember.arange(12.0).reshape(3, 4)
    back = roundtrip({"base": base, "rows": base[1:], "t": base.t()})
    back["base"].add_(100)  # one storage, as in PyTorch: the views see the change
    assert back["rows"][0, 0].item() == 104.0 and back["t"][1, 0].item() == 101.0


def test_requires_grad_and_what_each_format_accepts():
    back = roundtrip(ember.ones(2, requires_grad=True))
    assert back.requires_grad and back.grad_fn is None
    with pytest.raises(TypeError, match="cannot save an object of type object"):
        ember.serialization.save_pickle_free({"x": object()}, io.BytesIO())
    # ember.save pickles anything; loading it back needs the explicit opt-in
    thing = {"arr": np.arange(3), "fn": len, "set": {1, 2}, "bytes": b"\x00\xff"}
    buf = io.BytesIO()
    ember.save(thing, buf)
    with pytest.raises(pickle.UnpicklingError, match="Weights only load failed"):
        ember.load(io.BytesIO(buf.getvalue()))
    back = ember.load(io.BytesIO(buf.getvalue()), weights_only=False)
    assert back["fn"] is len and back["set"] == {1, 2} and back["bytes"] == b"\x00\xff"
    np.testing.assert_array_equal(back["arr"], np.arange(3))


def test_zip_layout_is_pytorchs(tmp_path):
    ember.save({"w": ember.arange(4.0), "v": ember.ones(2, dtype=ember.int64)}, tmp_path / "model.pt")
    zf = zipfile.ZipFile(tmp_path / "model.pt")
    assert zf.namelist() == ["model/data.pkl", "model/.format_version", "model/.storage_alignment",
                             "model/byteorder", "model/data/0", "model/data/1", "model/version",
                             "model/.data/serialization_id"]
    assert zf.testzip() is None  # CRCs right
    assert zf.read("model/version") == b"3\n" and zf.read("model/byteorder") == b"little"
    assert len(zf.read("model/.data/serialization_id")) == 40
    with open(tmp_path / "model.pt", "rb") as f:
        for info in zf.infolist():  # every record's data starts on a 64-byte boundary, uncompressed
            f.seek(info.header_offset + 26)
            n, m = int.from_bytes(f.read(2), "little"), int.from_bytes(f.read(2), "little")
            assert (info.header_offset + 30 + n + m) % 64 == 0 and info.compress_type == 0
    np.testing.assert_array_equal(np.frombuffer(zf.read("model/data/0"), "<f4"), [0, 1, 2, 3])
    buf = io.BytesIO()
    ember.save({}, buf)
    assert zipfile.ZipFile(buf).namelist()[0] == "archive/data.pkl"  # a file object: PyTorch's name


def test_zip64_records(tmp_path, monkeypatch):
    import ember._serialization_zip as Z
    monkeypatch.setattr(Z, "_ZIP64_AT", 64)  # every record and offset past this takes zip64 fields
    x = ember.arange(100.0)
    ember.save({"x": x, "y": x[10:]}, tmp_path / "big.pt")
    zf = zipfile.ZipFile(tmp_path / "big.pt")
    assert zf.testzip() is None
    np.testing.assert_array_equal(np.frombuffer(zf.read("big/data/0"), "<f4"), x.numpy())
    back = ember.load(tmp_path / "big.pt")
    np.testing.assert_array_equal(back["y"].numpy(), x.numpy()[10:])


def test_format_is_recognised_by_magic(tmp_path):
    obj = {"w": ember.arange(3.0)}
    for i, save in enumerate(SAVERS):
        path = tmp_path / f"f{i}.bin"  # the extension says nothing
        save(obj, path)
        np.testing.assert_array_equal(ember.load(path)["w"].numpy(), [0, 1, 2])
    est.save_file(obj, tmp_path / "w.safetensors")
    np.testing.assert_array_equal(ember.load(tmp_path / "w.safetensors")["w"].numpy(), [0, 1, 2])
    with pytest.raises(RuntimeError, match="dict map_location is not supported"):
        ember.load(tmp_path / "w.safetensors", map_location={})


def test_file_objects_seekable_or_not(tmp_path):
    buf = io.BytesIO()
    buf.write(b"prefix")
    ember.save({"w": ember.ones(2)}, buf)  # a zip written at an offset of a stream reads back from there
    buf.seek(6)
    assert ember.load(buf)["w"].tolist() == [1.0, 1.0]

    class Pipe(io.RawIOBase):  # read() only, not seekable
        def __init__(self, data):
            self.data = io.BytesIO(data)

        def readable(self):
            return True

        def readinto(self, b):
            return self.data.readinto(b)
    data = io.BytesIO()
    ember.save({"w": ember.arange(2.0)}, data)
    assert ember.load(Pipe(data.getvalue()))["w"].tolist() == [0.0, 1.0]
    with pytest.raises(AttributeError, match="expected 'f' to be string, path, or a file-like object with a 'write' attribute"):
        ember.save({}, object())


def test_map_location():
    buf = io.BytesIO()
    ember.save(ember.ones(2), buf)
    blob = buf.getvalue()
    seen = []
    assert ember.load(io.BytesIO(blob), map_location="cpu").tolist() == [1.0, 1.0]
    assert ember.load(io.BytesIO(blob), map_location=ember.device("cpu")).tolist() == [1.0, 1.0]
    assert ember.load(io.BytesIO(blob), map_location={"cuda:0": "cpu"}).tolist() == [1.0, 1.0]
    assert ember.load(io.BytesIO(blob), map_location=lambda s, loc: seen.append(loc) or s).tolist() == [1.0, 1.0]
    assert seen == ["cpu"]
    msg = expected()["messages"]["cuda_map_location"]
    with pytest.raises(RuntimeError) as info:
        ember.load(io.BytesIO(blob), map_location="cuda")
    assert (type(info.value).__name__, str(info.value)) == (msg["type"], msg["message"])


def test_pytorchs_recorded_state_file():
    want = expected()["state.pt"]
    got = describe(ember.load(FIXTURES / "state.pt"), ember_dtypes=True)
    assert got == _ember_dtypes(want)
    back = ember.load(FIXTURES / "state.pt")
    back["views"]["base"].add_(1000)  # the seven views share one storage, as in PyTorch
    assert back["views"]["diag"][1].item() == 1007 and back["views"]["expanded"][2, 5].item() == 1005
    assert back["tensors"]["torch.bfloat16"].dtype == ember.float32


def test_pytorchs_recorded_legacy_file():
    assert describe(ember.load(FIXTURES / "legacy.pt"), ember_dtypes=True) == _ember_dtypes(
        expected()["legacy.pt"])


def test_pytorchs_recorded_whole_module():
    want = expected()["module.pt"]
    with pytest.raises(pickle.UnpicklingError) as info:
        ember.load(FIXTURES / "module.pt")
    assert str(info.value) == want["weights_only_error"]["message"]
    net = ember.load(FIXTURES / "module.pt", weights_only=False)
    assert isinstance(net, ember.nn.Sequential) and isinstance(net[0], ember.nn.Linear)
    assert repr(net) == want["repr"]
    out = net(ember.tensor(want["input"])).detach().numpy()
    np.testing.assert_allclose(out, [[float.fromhex(v) for v in row] for row in want["output"]], rtol=1e-6)


def test_recorded_messages():
    msgs = expected()["messages"]
    for key, call in [("missing_dir", lambda: ember.save({}, "/nonexistent_ember_dir/x.pt")),
                      ("pickle_module_with_weights_only", lambda: ember.load(io.BytesIO(b""), pickle_module=pickle,
                                                                             weights_only=True)),
                      ("mmap_buffer", lambda: ember.load(_zip_bytes(), mmap=True))]:
        with pytest.raises(Exception) as info:
            call()
        assert (type(info.value).__name__, str(info.value)) == (msgs[key]["type"], msgs[key]["message"]), key
    assert not os.path.exists("/nonexistent_ember_dir")


def _zip_bytes():
    buf = io.BytesIO()
    ember.save({"w": ember.ones(2)}, buf)
    buf.seek(0)
    return buf


def _ember_dtypes(desc):
    """A recorded PyTorch description as ember loads it (bfloat16 -> float32, uint16/32 -> int32/64)."""
    if isinstance(desc, dict):
        if "tensor" in desc and isinstance(desc["tensor"], dict):
            t = dict(desc["tensor"])
            t["dtype"] = EMBER_DTYPE.get(t["dtype"], t["dtype"])
            return {"tensor": t}
        return {k: _ember_dtypes(v) for k, v in desc.items()}
    if isinstance(desc, list):
        return [_ember_dtypes(v) for v in desc]
    return desc
