"""Module machinery against PyTorch: registration, traversal, state_dict keys, load errors, repr, modes, hooks."""

import copy

import numpy as np
import pytest

import ember as E
from ember import nn

torch = pytest.importorskip("torch")
tnn = torch.nn


def build(lib):
    class MyNet(lib.Module):
        def __init__(self):
            super().__init__()
            self.fc1 = lib.Linear(in_features=5, out_features=3)
            self.relu = lib.ReLU()
            self.fc2 = lib.Linear(in_features=3, out_features=1)

        def forward(self, x):
            return self.fc2(self.relu(self.fc1(x)))

    class WideNet(lib.Module):
        def __init__(self):
            n_cells = 512
            super().__init__()
            self.layers = lib.Sequential(lib.Linear(1, n_cells), lib.Tanh(), lib.Linear(n_cells, 1))

        def forward(self, x):
            return self.layers(x)

    class Deep(lib.Module):
        def __init__(self):
            super().__init__()
            self.blocks = lib.ModuleList([lib.Sequential(lib.Linear(4, 4), lib.GELU()) for _ in range(3)]
                                         + [lib.Linear(4, 2, bias=False)])
            self.heads = lib.ModuleDict({"a": lib.LayerNorm(2), "b": lib.Dropout(0.1)})
            self.bn = lib.BatchNorm1d(2)
            self.scale = lib.Parameter(torch.ones(1) if lib is tnn else E.ones(1))
            self.register_buffer("step", torch.zeros(()) if lib is tnn else E.zeros(()))
            self.register_buffer("tmp", torch.zeros(2) if lib is tnn else E.zeros(2), persistent=False)
            self.plist = lib.ParameterList([lib.Parameter(torch.zeros(2) if lib is tnn else E.zeros(2))])
            self.emb = lib.Embedding(10, 3, padding_idx=0)

    return MyNet(), WideNet(), Deep()


def test_print_model_matches_pytorch():
    for em, tm in zip(build(nn), build(tnn)):
        assert repr(em) == repr(tm)
        assert str(em) == str(tm)


def test_state_dict_and_named_members_match_pytorch():
    for em, tm in zip(build(nn), build(tnn)):
        assert list(em.state_dict()) == list(tm.state_dict())
        assert [n for n, _ in em.named_parameters()] == [n for n, _ in tm.named_parameters()]
        assert [n for n, _ in em.named_buffers()] == [n for n, _ in tm.named_buffers()]
        assert [n for n, _ in em.named_modules()] == [n for n, _ in tm.named_modules()]
        assert [n for n, _ in em.named_children()] == [n for n, _ in tm.named_children()]
        assert [tuple(p.shape) for p in em.parameters()] == [tuple(p.shape) for p in tm.parameters()]


def test_load_state_dict_from_torch_gives_same_outputs_and_grads():
    em, tm = build(nn)[0], build(tnn)[0]
    em.load_state_dict({k: E.tensor(v.numpy()) for k, v in tm.state_dict().items()})
    x = np.random.default_rng(0).standard_normal((7, 5)).astype(np.float32)
    ye, yt = em(E.tensor(x)), tm(torch.tensor(x))
    np.testing.assert_allclose(ye.detach().numpy(), yt.detach().numpy(), rtol=1e-6, atol=1e-6)
    assert ye.grad_fn.name() == yt.grad_fn.name()
    ye.sum().backward()
    yt.sum().backward()
    for (n, pe), (_, pt) in zip(em.named_parameters(), tm.named_parameters()):
        np.testing.assert_allclose(pe.grad.numpy(), pt.grad.numpy(), rtol=1e-5, atol=1e-6, err_msg=n)


def _err(fn):
    with pytest.raises(Exception) as info:
        fn()
    return type(info.value), str(info.value)


def test_load_state_dict_errors_match_pytorch():
    cases = [lambda lib, T: {"weight": T.zeros(3, 2), "bias2": T.zeros(3)},
             lambda lib, T: {"weight": T.zeros(3, 3), "bias": T.zeros(3)},
             lambda lib, T: {"weight": T.zeros(3, 2)}]
    for case in cases:
        ee = _err(lambda case=case: nn.Linear(2, 3).load_state_dict(case(nn, E)))
        te = _err(lambda case=case: tnn.Linear(2, 3).load_state_dict(case(tnn, torch)))
        assert ee == te
    r_e = nn.Linear(2, 3).load_state_dict({"weight": E.zeros(3, 2), "x": E.zeros(1)}, strict=False)
    r_t = tnn.Linear(2, 3).load_state_dict({"weight": torch.zeros(3, 2), "x": torch.zeros(1)}, strict=False)
    assert repr(r_e) == repr(r_t)
    assert repr(nn.Linear(2, 3).load_state_dict(nn.Linear(2, 3).state_dict())) == "<All keys matched successfully>"


def test_setattr_errors_match_pytorch():
    def bad_param(lib, T):
        m = lib.Linear(2, 2)
        m.weight = T.zeros(2, 2)

    def bad_module(lib, T):
        m = lib.Sequential(lib.ReLU())
        m.add_module("0.x", lib.ReLU())

    def before_init(lib, T):
        class M(lib.Module):
            def __init__(self):
                self.w = lib.Parameter(T.zeros(1))
        M()

    def missing_attr(lib, T):
        return lib.Linear(2, 2).nope

    for fn in (bad_param, bad_module, before_init, missing_attr):
        assert _err(lambda fn=fn: fn(nn, E)) == _err(lambda fn=fn: fn(tnn, torch))


def test_train_eval_zero_grad_requires_grad_apply_to():
    m = build(nn)[2]
    assert m.training and m.bn.training
    m.eval()
    assert not m.training and not m.heads["b"].training
    m.train()
    assert m.heads["a"].training
    for p in m.parameters():
        p.grad = E.ones_like(p)
    m.zero_grad(set_to_none=False)
    assert all(np.all(p.grad.numpy() == 0) for p in m.parameters())
    m.zero_grad()
    assert all(p.grad is None for p in m.parameters())
    m.requires_grad_(False)
    assert not any(p.requires_grad for p in m.parameters())
    seen = []
    m.apply(lambda mod: seen.append(type(mod).__name__))
    assert seen[-1] == "Deep" and seen[0] == "Linear"
    w = m.blocks[0][0].weight
    m.double()
    assert m.blocks[0][0].weight is w and w.dtype is E.float64
    assert m.bn.num_batches_tracked.dtype is E.int64
    m.to(E.float32)
    assert w.dtype is E.float32


def test_hooks_and_call():
    m = nn.Linear(3, 2)
    calls = []
    h1 = m.register_forward_pre_hook(lambda mod, args: (args[0] * 0,))
    h2 = m.register_forward_hook(lambda mod, args, out: calls.append(out.shape) or out + 1)
    y = m(E.randn(4, 3))
    np.testing.assert_allclose(y.detach().numpy(), (m.bias.detach() + 1).expand(4, 2).numpy(), rtol=1e-6)
    assert calls == [E.Size([4, 2])]
    h1.remove()
    h2.remove()
    x = E.randn(4, 3)
    np.testing.assert_allclose(m(x).detach().numpy(), (x @ m.weight.T + m.bias).detach().numpy(), rtol=1e-6)


def test_containers():
    s = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
    t = tnn.Sequential(tnn.Linear(2, 3), tnn.ReLU(), tnn.Linear(3, 1))
    assert repr(s[1:]) == repr(t[1:]) and len(s) == 3 and isinstance(s[-1], nn.Linear)
    s.append(nn.Sigmoid())
    t.append(tnn.Sigmoid())
    assert repr(s) == repr(t)
    del s[1]
    del t[1]
    assert repr(s) == repr(t)
    from collections import OrderedDict
    so = nn.Sequential(OrderedDict([("a", nn.Linear(1, 2)), ("b", nn.Tanh())]))
    to = tnn.Sequential(OrderedDict([("a", tnn.Linear(1, 2)), ("b", tnn.Tanh())]))
    assert repr(so) == repr(to) and list(so.state_dict()) == list(to.state_dict())
    ml = nn.ModuleList([nn.Linear(2, 2) for _ in range(3)])
    tl = tnn.ModuleList([tnn.Linear(2, 2) for _ in range(3)])
    assert repr(ml) == repr(tl)
    pd = nn.ParameterDict({"a": nn.Parameter(E.zeros(2, 3))})
    assert repr(pd) == repr(tnn.ParameterDict({"a": tnn.Parameter(torch.zeros(2, 3))}))
    pl = nn.ParameterList([E.zeros(2)])
    assert isinstance(pl[0], nn.Parameter) and len(list(pl.parameters())) == 1


def test_parameter_repr_and_identity():
    data = E.tensor([1.0, 2.0])
    p = nn.Parameter(data)
    assert repr(p) == repr(tnn.Parameter(torch.tensor([1.0, 2.0])))
    assert p.requires_grad and isinstance(p, E.Tensor)
    p.data.mul_(2)
    assert data.tolist() == [2.0, 4.0]  # shares memory, as in PyTorch
    assert type(p * 2) is E.Tensor
    q = copy.deepcopy(p)
    assert isinstance(q, nn.Parameter) and q.tolist() == p.tolist()


def test_get_submodule_parameter_dir():
    m = build(nn)[1]
    assert m.get_submodule("layers.0") is m.layers[0]
    assert m.get_parameter("layers.2.bias") is m.layers[2].bias
    with pytest.raises(AttributeError, match="Sequential has no attribute `9`"):
        m.get_submodule("layers.9")
    assert "layers" in dir(m) and "forward" in dir(m)
    del m.layers
    assert "layers" not in m._modules
