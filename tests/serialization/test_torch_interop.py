"""Checkpoints across libraries, live against PyTorch 2.13: ember writes, torch reads; torch writes, ember reads.

Every comparison goes through ``describe`` (dtype, shape, strides, storage offset, which tensors share a
storage, flags, exact values), so "storage sharing preserved as in PyTorch" is checked geometry and all.
"""

import io
import sys
import types
import zipfile
from collections import OrderedDict

import numpy as np
import pytest
from ser_helpers import describe

import ember

torch = pytest.importorskip("torch")

EMBER_DTYPES = ["float32", "float64", "float16", "int8", "int16", "int32", "int64", "uint8", "bool", "complex64",
                "complex128"]


def through_file(save, load, obj, tmp_path, name="x.pt", **kw):
    path = tmp_path / name
    save(obj, path)
    return load(path, **kw)


def tensors_of_every_dtype(lib):
    rng = np.random.default_rng(5)
    out = OrderedDict()
    for name in EMBER_DTYPES:
        for shape in [(), (0,), (5,), (2, 3, 4)]:
            arr = rng.standard_normal(shape) * 50
            arr = (arr > 0) if name == "bool" else (arr + 1j * (0.3 * arr + 1) if "complex" in name else arr)
            out[f"{name}{list(shape)}"] = lib.from_numpy(np.asarray(arr).astype(name))
    return out


def views(lib):
    base = lib.arange(24.0).reshape(4, 6)
    return OrderedDict(base=base, rows=base[1:], t=base.t(), col=base[:, 2], expanded=base[0].expand(3, 6),
                       narrow=base.narrow(1, 2, 3), view=base.view(2, 12), chunk=base.chunk(2)[1],
                       select=base.select(1, 3), unsqueeze=base.unsqueeze(0), permute=base.permute(1, 0),
                       other=lib.ones(2))


def test_ember_to_torch_every_dtype(tmp_path):
    obj = tensors_of_every_dtype(ember)
    assert describe(through_file(ember.save, torch.load, obj, tmp_path)) == describe(obj)


def test_torch_to_ember_every_dtype(tmp_path):
    obj = tensors_of_every_dtype(torch)
    obj["bf16"] = torch.tensor([1.5, -3.25, 1e30]).bfloat16()
    obj["u16"] = torch.tensor([0, 65535], dtype=torch.uint16)
    obj["u32"] = torch.tensor([0, 2**32 - 1], dtype=torch.uint32)
    got = through_file(torch.save, ember.load, obj, tmp_path)
    assert describe(got, ember_dtypes=True) == describe(obj, ember_dtypes=True)
    assert got["bf16"].dtype == ember.float32 and got["u32"].dtype == ember.int64


@pytest.mark.parametrize("direction", ["ember->torch", "torch->ember"])
def test_views_share_storage_as_in_pytorch(direction, tmp_path):
    want = describe(views(torch))  # PyTorch's own geometry for the same ops
    if direction == "ember->torch":
        mine = views(ember)
        assert describe(mine) == want
        got = through_file(ember.save, torch.load, mine, tmp_path)
    else:
        got = through_file(torch.save, ember.load, views(torch), tmp_path)
    assert describe(got) == want
    got["base"].add_(100)  # one storage: every view sees the in-place change, as PyTorch's do
    assert got["rows"][0, 0].item() == 106 and got["expanded"][2, 5].item() == 105
    assert got["other"][0].item() == 1


def test_storage_geometry_pytorch_cannot_share_is_copied(tmp_path):
    # NumPy can view memory in ways a PyTorch storage cannot (negative strides, another dtype): those save
    # as their values
    base = ember.arange(6.0)
    flipped = ember.from_numpy(base.numpy()[::-1])
    as_int = ember.from_numpy(base.numpy().view(np.int32))
    got = through_file(ember.save, torch.load, {"base": base, "flipped": flipped, "as_int": as_int}, tmp_path)
    assert got["flipped"].tolist() == [5, 4, 3, 2, 1, 0] and got["as_int"].tolist() == as_int.tolist()
    assert got["flipped"].untyped_storage().data_ptr() != got["base"].untyped_storage().data_ptr()


def nested(lib):
    return {"list": [1, 2.5, "s", None, True, (1, 2)], "size": lib.Size([2, 3]), "dtype": lib.float16,
            "device": lib.device("cpu"), "int_keys": {0: "a", 1: "b"}, "od": OrderedDict(z=1, a=[lib.ones(2)]),
            "param": lib.nn.Parameter(lib.ones(3)), "frozen": lib.nn.Parameter(lib.zeros(2), requires_grad=False),
            "leaf_rg": lib.ones(2, requires_grad=True), "bytes": b"\x00\xff", "set": {3, 4}, "c": 1 + 2j}


@pytest.mark.parametrize("direction", ["ember->torch", "torch->ember"])
def test_parameters_and_containers(direction, tmp_path):
    if direction == "ember->torch":
        got = through_file(ember.save, torch.load, nested(ember), tmp_path)
        assert isinstance(got["param"], torch.nn.Parameter) and isinstance(got["size"], torch.Size)
    else:
        got = through_file(torch.save, ember.load, nested(torch), tmp_path)
        assert isinstance(got["param"], ember.nn.Parameter) and type(got["size"]) is ember.Size
        assert got["dtype"] is ember.float16 and got["device"] == ember.device("cpu")
    assert describe(got) == describe(nested(torch))


def test_python_attributes_of_tensors(tmp_path):
    t = ember.ones(2)
    t.note = "from ember"
    assert through_file(ember.save, torch.load, {"t": t}, tmp_path)["t"].note == "from ember"
    u = torch.ones(2)
    u.note = "from torch"
    assert through_file(torch.save, ember.load, {"u": u}, tmp_path)["u"].note == "from torch"


def make_models(seed=0):
    torch.manual_seed(seed)
    # (BatchNorm first: a Linear's bias right before a BatchNorm gets ~0 gradients, which Adam amplifies into
    # rounding noise)
    tm = torch.nn.Sequential(torch.nn.BatchNorm1d(3), torch.nn.Linear(3, 4), torch.nn.Tanh(), torch.nn.Linear(4, 2))
    em = ember.nn.Sequential(ember.nn.BatchNorm1d(3), ember.nn.Linear(3, 4), ember.nn.Tanh(), ember.nn.Linear(4, 2))
    return tm, em


def test_module_and_optimizer_state_ember_to_torch(tmp_path):
    tm, em = make_models()
    x = np.random.default_rng(0).standard_normal((5, 3)).astype(np.float32)
    opt = ember.optim.Adam(em.parameters(), lr=0.01)
    for _ in range(2):
        opt.zero_grad()
        em(ember.tensor(x)).pow(2).sum().backward()
        opt.step()
    got = through_file(ember.save, torch.load, {"model": em.state_dict(), "opt": opt.state_dict()}, tmp_path)
    assert describe(got["model"]) == describe(em.state_dict())
    tm.load_state_dict(got["model"])
    topt = torch.optim.Adam(tm.parameters(), lr=0.01)
    topt.load_state_dict(got["opt"])
    for lib, model, o in ((ember, em, opt), (torch, tm, topt)):  # one more step each side: the same update
        o.zero_grad()
        model(lib.tensor(x)).pow(2).sum().backward()
        o.step()
    for (name, p), q in zip(em.state_dict().items(), tm.state_dict().values()):
        np.testing.assert_allclose(p.detach().numpy(), q.detach().numpy(), rtol=1e-5, atol=1e-6, err_msg=name)


def test_module_and_optimizer_state_torch_to_ember(tmp_path):
    tm, em = make_models()
    x = np.random.default_rng(1).standard_normal((5, 3)).astype(np.float32)
    topt = torch.optim.Adam(tm.parameters(), lr=0.01)
    for _ in range(2):
        topt.zero_grad()
        tm(torch.tensor(x)).pow(2).sum().backward()
        topt.step()
    got = through_file(torch.save, ember.load, {"model": tm.state_dict(), "opt": topt.state_dict()}, tmp_path)
    assert describe(got) == describe({"model": tm.state_dict(), "opt": topt.state_dict()})
    assert getattr(got["model"], "_metadata", None) is not None  # the state dict's version metadata survives
    em.load_state_dict(got["model"])
    opt = ember.optim.Adam(em.parameters(), lr=0.01)
    opt.load_state_dict(got["opt"])
    for lib, model, o in ((ember, em, opt), (torch, tm, topt)):
        o.zero_grad()
        model(lib.tensor(x)).pow(2).sum().backward()
        o.step()
    for (name, p), q in zip(em.state_dict().items(), tm.state_dict().values()):
        np.testing.assert_allclose(p.detach().numpy(), q.detach().numpy(), rtol=1e-5, atol=1e-6, err_msg=name)


def test_whole_module_saved_by_torch(tmp_path, monkeypatch):
    # a user script saved its model with `import torch`; another loads it with `import ember as torch`
    torch.manual_seed(2)
    main_torch = types.ModuleType("ember_test_user_main")

    class MyNet(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.body = torch.nn.Sequential(torch.nn.Linear(3, 5), torch.nn.Tanh())
            self.head = torch.nn.Linear(5, 1)
            self.scale = 2.0

        def forward(self, x):
            return self.head(self.body(x)) * self.scale
    MyNet.__module__ = main_torch.__name__
    MyNet.__qualname__ = "MyNet"
    main_torch.MyNet = MyNet
    monkeypatch.setitem(sys.modules, main_torch.__name__, main_torch)
    net = MyNet()
    torch.save(net, tmp_path / "net.pt")
    x = np.linspace(-1, 1, 6, dtype=np.float32).reshape(2, 3)
    want = net(torch.tensor(x)).detach().numpy()

    main_ember = types.ModuleType(main_torch.__name__)

    class EmberNet(ember.nn.Module):  # the same class, written against ember in the loading script
        def forward(self, x):
            return self.head(self.body(x)) * self.scale
    EmberNet.__module__, EmberNet.__qualname__ = main_ember.__name__, "MyNet"
    main_ember.MyNet = EmberNet
    monkeypatch.setitem(sys.modules, main_ember.__name__, main_ember)
    got = ember.load(tmp_path / "net.pt", weights_only=False)
    assert type(got) is EmberNet and type(got.body[0]) is ember.nn.Linear and type(got.body[1]) is ember.nn.Tanh
    np.testing.assert_allclose(got(ember.tensor(x)).detach().numpy(), want, rtol=1e-6)
    assert [n for n, _ in got.named_parameters()] == [n for n, _ in net.named_parameters()]


def test_whole_module_saved_by_ember(tmp_path):
    em = ember.nn.Sequential(ember.nn.Linear(2, 3), ember.nn.ReLU(), ember.nn.Linear(3, 1))
    got = through_file(ember.save, ember.load, em, tmp_path, weights_only=False)
    x = ember.ones(4, 2)
    np.testing.assert_array_equal(got(x).detach().numpy(), em(x).detach().numpy())
    with pytest.raises(ember.serialization.UnpicklingError, match="GLOBAL ember.nn.modules.container.Sequential"):
        ember.load(tmp_path / "x.pt")
    with ember.serialization.safe_globals([ember.nn.Sequential, ember.nn.Linear, ember.nn.ReLU]):
        assert repr(ember.load(tmp_path / "x.pt")) == repr(em)


def test_numpy_and_custom_objects_need_the_opt_in(tmp_path):
    obj = {"arr": np.arange(4.0), "scalar": np.float32(1.5), "text": "x", "w": torch.ones(2)}
    torch.save(obj, tmp_path / "np.pt")
    got = ember.load(tmp_path / "np.pt", weights_only=False)
    np.testing.assert_array_equal(got["arr"], obj["arr"])
    assert got["scalar"] == np.float32(1.5) and got["w"].tolist() == [1.0, 1.0]
    with pytest.raises(Exception) as theirs:
        torch.load(tmp_path / "np.pt")
    with pytest.raises(Exception) as mine:
        ember.load(tmp_path / "np.pt")
    assert (type(mine.value).__name__, str(mine.value)) == (type(theirs.value).__name__, str(theirs.value))


@pytest.mark.parametrize("direction", ["ember->torch", "torch->ember"])
def test_legacy_format(direction, tmp_path):
    obj = views(torch) | {"p": torch.nn.Parameter(torch.ones(2)), "n": 3}
    if direction == "ember->torch":
        mine = views(ember) | {"p": ember.nn.Parameter(ember.ones(2)), "n": 3}
        ember.save(mine, tmp_path / "l.pt", _use_new_zipfile_serialization=False)
        assert not zipfile.is_zipfile(tmp_path / "l.pt")
        got = torch.load(tmp_path / "l.pt")
    else:
        torch.save(obj, tmp_path / "l.pt", _use_new_zipfile_serialization=False)
        got = ember.load(tmp_path / "l.pt")
    assert describe(got) == describe(obj)


def test_mmap_of_a_torch_file(tmp_path):
    obj = views(torch)
    torch.save(obj, tmp_path / "m.pt")
    got = ember.load(tmp_path / "m.pt", mmap=True)
    assert describe(got) == describe(obj)
    got["base"].mul_(0)  # copy-on-write: the file is untouched
    assert describe(torch.load(tmp_path / "m.pt")) == describe(obj)


def test_buffers_and_map_location_callable():
    buf = io.BytesIO()
    ember.save({"w": ember.arange(3.0)}, buf)
    buf.seek(0)
    assert torch.load(buf)["w"].tolist() == [0.0, 1.0, 2.0]
    buf = io.BytesIO()
    torch.save({"w": torch.arange(3.0)}, buf)
    seen = []
    got = ember.load(io.BytesIO(buf.getvalue()), map_location=lambda storage, loc: seen.append(loc) or storage)
    assert seen == ["cpu"] and got["w"].tolist() == [0.0, 1.0, 2.0]
    for where in ("cuda", "cuda:1", {"cpu": "cuda:0"}):
        with pytest.raises(RuntimeError) as theirs:
            torch.load(io.BytesIO(buf.getvalue()), map_location=where)
        with pytest.raises(RuntimeError) as mine:
            ember.load(io.BytesIO(buf.getvalue()), map_location=where)
        assert str(mine.value) == str(theirs.value)


def test_zip64_file_reads_in_torch(tmp_path, monkeypatch):
    import ember._serialization_zip as Z
    monkeypatch.setattr(Z, "_ZIP64_AT", 100)
    obj = views(ember)
    ember.save(obj, tmp_path / "z.pt")
    assert describe(torch.load(tmp_path / "z.pt")) == describe(obj)
