"""ember.save/load (pickle-free format) and ember.safetensors: exact round trips, hostile files refused."""

import io
import json
import os
import pickle
from collections import OrderedDict

import numpy as np
import pytest

import ember
import ember.safetensors as est
from ember.nn.parameter import Parameter

DTYPES = [np.float32, np.float64, np.float16, np.int64, np.int32, np.int16, np.int8, np.uint8, np.bool_,
          np.complex64, np.complex128]


def rand_array(dtype, shape, rng):
    arr = (rng.standard_normal(shape) * 100).astype(dtype) if dtype is not np.bool_ else rng.random(shape) < 0.5
    return np.asarray(arr)


def roundtrip(obj, tmp_path=None):
    if tmp_path is None:
        buf = io.BytesIO()
        ember.save(obj, buf)
        buf.seek(0)
        return ember.load(buf)
    path = tmp_path / "obj.pt"
    ember.save(obj, path)
    return ember.load(str(path))


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("shape", [(), (0,), (5,), (2, 3, 4)])
def test_tensor_roundtrip_exact(dtype, shape, tmp_path):
    arr = rand_array(dtype, shape, np.random.default_rng(0))
    for where in (None, tmp_path):
        back = roundtrip(ember.from_numpy(arr), where)
        assert back.dtype == ember.from_numpy(arr).dtype and tuple(back.shape) == shape
        np.testing.assert_array_equal(back.numpy(), arr)
        assert back.numpy().flags.writeable


def test_special_floats_and_views():
    x = ember.tensor([np.nan, np.inf, -np.inf, -0.0, 1e-45], dtype=ember.float32)
    back = roundtrip(x)
    assert back.numpy().tobytes() == x.numpy().tobytes()  # bit exact, sign of zero and denormals too
    base = ember.arange(12.0).reshape(3, 4)
    view = base.t()[1:]
    np.testing.assert_array_equal(roundtrip(view).numpy(), view.numpy())  # views are stored as their values


def test_state_dicts_roundtrip():
    rng = np.random.default_rng(1)
    w = Parameter(ember.tensor(rng.standard_normal((3, 2)).astype(np.float32)))
    frozen = Parameter(ember.tensor(rng.standard_normal(2)), requires_grad=False)
    sd = OrderedDict([("layer.weight", w), ("layer.bias", frozen), ("bn.num_batches_tracked", ember.tensor(7))])
    opt = {"state": {0: {"step": ember.tensor(3.0), "exp_avg": ember.zeros(3, 2), "momentum_buffer": None}},
           "param_groups": [{"lr": 0.001, "betas": (0.9, 0.999), "eps": 1e-08, "weight_decay": 0,
                             "amsgrad": False, "params": [0, 1], "name": "group-α", "big": 2**70,
                             "nan": float("nan")}]}
    obj = {"model": sd, "optimizer": opt, "epoch": 5, "shape": ember.Size([2, 3]), "dtype": ember.float64}
    back = roundtrip(obj)
    assert type(back["model"]) is OrderedDict and list(back["model"]) == list(sd)
    lw, lb = back["model"]["layer.weight"], back["model"]["layer.bias"]
    assert type(lw) is Parameter and lw.requires_grad and type(lb) is Parameter and not lb.requires_grad
    np.testing.assert_array_equal(lw.detach().numpy(), w.detach().numpy())
    assert back["model"]["bn.num_batches_tracked"].dtype == ember.int64
    g, g0 = back["optimizer"]["param_groups"][0], opt["param_groups"][0]
    assert g["betas"] == (0.9, 0.999) and type(g["betas"]) is tuple and g["params"] == [0, 1]
    assert g["big"] == 2**70 and g["name"] == "group-α" and g["amsgrad"] is False and np.isnan(g["nan"])
    assert {k: v for k, v in g.items() if k != "nan"} == {k: v for k, v in g0.items() if k != "nan"}
    st = back["optimizer"]["state"]
    assert list(st) == [0] and st[0]["momentum_buffer"] is None and st[0]["step"].item() == 3.0
    assert back["epoch"] == 5 and back["shape"] == ember.Size([2, 3]) and back["dtype"] is ember.float64


def test_shared_tensor_stays_one_object():
    t = ember.ones(3)
    back = roundtrip({"a": t, "b": [t]})
    assert back["a"] is back["b"][0]


def test_requires_grad_of_plain_tensor_and_unsupported_type():
    back = roundtrip(ember.ones(2, requires_grad=True))
    assert back.requires_grad and back.grad_fn is None
    with pytest.raises(TypeError, match="cannot save an object of type object"):
        ember.save({"x": object()}, io.BytesIO())


def test_torch_reads_same_values():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(2)
    arrays = {"w": rng.standard_normal((4, 3)).astype(np.float32), "i": rng.integers(-5, 5, 7)}
    back = roundtrip({k: ember.tensor(v) for k, v in arrays.items()})
    for k, v in arrays.items():
        assert str(back[k].dtype) == str(torch.from_numpy(v).dtype)
        np.testing.assert_array_equal(back[k].numpy(), v)


# ----- hostile and broken files -----

class _Trap:
    """Unpickling this would create a file: the proof that a loader executed code."""

    def __init__(self, path):
        self.path = path

    def __reduce__(self):
        return (open, (self.path, "w"))


def test_pickle_payload_is_refused_and_not_executed(tmp_path):
    marker = tmp_path / "pwned"
    evil = tmp_path / "evil.pt"
    evil.write_bytes(pickle.dumps({"w": _Trap(str(marker))}))
    with pytest.raises(RuntimeError, match="never unpickles"):
        ember.load(evil)
    assert not marker.exists()


def test_torch_zip_file_is_refused(tmp_path):
    torch = pytest.importorskip("torch")
    marker = tmp_path / "pwned"
    path = tmp_path / "torch.pt"
    torch.save({"w": torch.ones(2), "t": _Trap(str(marker))}, path)
    assert not marker.exists()
    with pytest.raises(RuntimeError, match="zip archive"):
        ember.load(path)
    assert not marker.exists()


def _saved_bytes(obj):
    buf = io.BytesIO()
    ember.save(obj, buf)
    return buf.getvalue()


def _with_header(blob, edit):
    n = int.from_bytes(blob[8:16], "little")
    header = json.loads(blob[16:16 + n])
    edit(header)
    raw = json.dumps(header).encode()
    raw += b" " * (-(16 + len(raw)) % 64)
    return blob[:8] + len(raw).to_bytes(8, "little") + raw + blob[16 + n:]


def _deep_header():
    raw = b'{"format":"ember","version":1,"tensors":[],"root":' + b'{"list":[' * 50000 + b"]}" * 50000 + b"}"
    return b"EMBERSV1" + len(raw).to_bytes(8, "little") + raw


@pytest.mark.parametrize("blob_fn,msg", [
    (lambda b: b[:len(b) - 50], "truncated"),
    (lambda b: b[:20], "header length"),
    (lambda b: b[:10], "truncated"),
    (lambda b: b"", "magic"),
    (lambda b: os.urandom(300), "not an ember file"),
    (lambda b: b[:8] + (2**62).to_bytes(8, "little") + b[16:], "header length"),
    (lambda b: b[:16] + b"{" * (len(b) - 16), "JSON"),
    (lambda b: _with_header(b, lambda h: h["tensors"][0].update(offset=10**9)), "data region"),
    (lambda b: _with_header(b, lambda h: h["tensors"][0].update(nbytes=8)), "needs"),
    (lambda b: _with_header(b, lambda h: h["tensors"][0].update(shape=[1000, 1000])), "needs"),
    (lambda b: _with_header(b, lambda h: h["tensors"][0].update(shape=[-2])), "shape"),
    (lambda b: _with_header(b, lambda h: h["tensors"][0].update(dtype="object")), "dtype"),
    (lambda b: _with_header(b, lambda h: h["tensors"][0].update(offset=-4)), "offset"),
    (lambda b: _with_header(b, lambda h: h.update(root={"tensor": 5})), "reference to tensor"),
    (lambda b: _with_header(b, lambda h: h.update(root={"pickle": "cos\nsystem\n"})), "unknown"),
    (lambda b: _with_header(b, lambda h: h.update(root={"dict": [[{"list": []}, 1]]})), "unhashable"),
    (lambda b: _with_header(b, lambda h: h.update(version=99)), "version"),
    (lambda b: _deep_header(), "nested|JSON"),
])
def test_broken_files_give_clear_errors(blob_fn, msg):
    blob = blob_fn(_saved_bytes({"w": ember.arange(6.0).reshape(2, 3)}))
    with pytest.raises((RuntimeError, ValueError), match=msg):
        ember.load(io.BytesIO(blob))


def test_atomic_save_keeps_old_file(tmp_path, monkeypatch):
    import ember.serialization as S
    path = tmp_path / "ckpt.pt"
    ember.save({"v": ember.tensor([1.0, 2.0])}, path)
    before = path.read_bytes()
    real_write = S._write

    def dying_write(obj, f):
        real_write(obj, f)
        f.flush()
        raise KeyboardInterrupt("power cut mid-save")
    monkeypatch.setattr(S, "_write", dying_write)
    with pytest.raises(KeyboardInterrupt):
        ember.save({"v": ember.zeros(1000)}, path)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["ckpt.pt"]  # no temporary file left behind
    monkeypatch.undo()
    np.testing.assert_array_equal(ember.load(path)["v"].numpy(), [1.0, 2.0])


def test_map_location():
    buf = io.BytesIO(_saved_bytes(ember.ones(2)))
    assert ember.load(buf, map_location="cpu", weights_only=True).tolist() == [1.0, 1.0]
    buf.seek(0)
    assert ember.load(buf, map_location=lambda s, loc: s).tolist() == [1.0, 1.0]
    with pytest.raises(RuntimeError, match="CUDA device"):
        ember.load(io.BytesIO(_saved_bytes(ember.ones(2))), map_location="cuda:0")


# ----- safetensors -----

def test_safetensors_roundtrip_and_errors(tmp_path):
    rng = np.random.default_rng(3)
    tensors = {f"t{i}": ember.tensor(rand_array(d, (2, 3), rng)) for i, d in enumerate(
        [np.float32, np.float64, np.float16, np.int64, np.int32, np.int16, np.int8, np.uint8, np.bool_])}
    tensors["scalar"] = ember.tensor(1.5)
    path = tmp_path / "w.safetensors"
    est.save_file(tensors, path, metadata={"format": "pt"})
    back = est.load_file(path)
    assert est.load_metadata(path) == {"format": "pt"}
    assert set(back) == set(tensors)
    for k, t in tensors.items():
        assert back[k].dtype == t.dtype and back[k].shape == t.shape
        np.testing.assert_array_equal(back[k].numpy(), t.numpy())
    blob = est.save(tensors)
    for bad in (blob[:-1], blob[:7], b"\xff" * 8 + blob[8:], os.urandom(64)):
        with pytest.raises(RuntimeError, match="safetensors"):
            est.load(bad)
    n = int.from_bytes(blob[:8], "little")
    header = json.loads(blob[8:8 + n])
    header["t0"]["data_offsets"] = [0, 24]  # overlaps t3, the I64 written first
    raw = json.dumps(header).encode()
    with pytest.raises(RuntimeError, match="overlap|needs"):
        est.load(len(raw).to_bytes(8, "little") + raw + blob[8 + n:])
    with pytest.raises(TypeError):
        est.save({"x": [1, 2]})


def test_safetensors_interop_with_reference_package(tmp_path):
    torch = pytest.importorskip("torch")
    st_torch = pytest.importorskip("safetensors.torch")
    rng = np.random.default_rng(4)
    ref = {"w": torch.tensor(rng.standard_normal((3, 4)).astype(np.float32)), "b": torch.arange(5),
           "d": torch.tensor(rng.standard_normal(2)), "h": torch.tensor([1.5, -2.0]).half(),
           "m": torch.tensor([True, False]), "u": torch.tensor([1, 255], dtype=torch.uint8)}
    # files written by torch via safetensors read into ember exactly
    path = tmp_path / "torch.safetensors"
    st_torch.save_file(ref, str(path), metadata={"source": "torch"})
    got = est.load_file(path)
    for k, v in ref.items():
        assert str(got[k].dtype) == str(v.dtype)
        np.testing.assert_array_equal(got[k].numpy(), v.numpy())
    # bfloat16 widens to float32 exactly
    st_torch.save_file({"bf": torch.tensor([1.5, -3.25, 1e30]).bfloat16()}, str(path))
    np.testing.assert_array_equal(est.load_file(path)["bf"].numpy(), torch.tensor([1.5, -3.25, 1e30]).bfloat16()
                                  .float().numpy())
    # ember's bytes are what the reference writer produces, and it reads ember's files
    mine = {k: ember.tensor(v.numpy()) for k, v in ref.items()}
    assert est.save(mine, metadata={"a": "b"}) == st_torch.save(ref, metadata={"a": "b"})
    est.save_file(mine, tmp_path / "ember.safetensors")
    theirs = st_torch.load_file(str(tmp_path / "ember.safetensors"))
    for k, v in ref.items():
        assert torch.equal(theirs[k], v)
