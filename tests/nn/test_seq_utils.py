"""nn.utils against PyTorch 2.13: parametrize, parametrizations (weight_norm, spectral_norm, orthogonal), the old
hook-based weight_norm / spectral_norm, functional_call, fusion, skip_init. Values, gradients, state-dict keys,
reprs, random draws, errors."""

import copy
import pickle
import warnings

import numpy as np
import pytest
from _seq_oracle import close, node_name, raises_like, to_ember

import ember

torch = pytest.importorskip("torch")


def _both(build, seed=0):
    """``build(lib)`` for torch and ember from the same seed (warnings silenced)."""
    out = []
    for lib in (torch, ember):
        lib.manual_seed(seed)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out.append(build(lib))
    return out


def _same_state(t, e, tol=0.0):
    ts, es = t.state_dict(), e.state_dict()
    assert list(es) == list(ts)
    for k in ts:
        close(ts[k], es[k], tol)


def _grads_match(t, e, tol):
    for (n, a), (m, b) in zip(t.named_parameters(), e.named_parameters()):
        assert n == m
        close(a.grad, b.grad, tol)


class _Sym:
    """A symmetric-matrix parametrization with a right inverse, built for either library."""

    @staticmethod
    def make(lib):
        class Symmetric(lib.nn.Module):
            def forward(self, X):
                return X.triu() + X.triu(1).transpose(-1, -2)

            def right_inverse(self, A):
                return A.triu()
        return Symmetric()


def test_register_parametrization_matches_torch():
    def build(lib):
        m = lib.nn.Linear(3, 3).double()
        lib.nn.utils.parametrize.register_parametrization(m, "weight", _Sym.make(lib))
        return m
    t, e = _both(build)
    assert repr(e) == repr(t) and type(e).__name__ == type(t).__name__ == "ParametrizedLinear"
    _same_state(t, e)
    assert [n for n, _ in e.named_parameters()] == [n for n, _ in t.named_parameters()]
    assert node_name(e.weight) == node_name(t.weight)
    x = torch.randn(2, 3, dtype=torch.float64)
    t(x).pow(2).sum().backward()
    e(to_ember(x)).pow(2).sum().backward()
    _grads_match(t, e, 1e-12)
    P_t, P_e = torch.nn.utils.parametrize, ember.nn.utils.parametrize
    assert P_e.is_parametrized(e) and P_e.is_parametrized(e, "weight") and not P_e.is_parametrized(e, "bias")
    assert P_e.type_before_parametrizations(e) is ember.nn.Linear
    with P_e.cached():
        assert e.weight is e.weight
    assert e.weight is not e.weight
    A = torch.randn(3, 3, dtype=torch.float64)
    with torch.no_grad():
        t.weight = A
    with ember.no_grad():
        e.weight = to_ember(A)  # through right_inverse
    _same_state(t, e)
    P_t.register_parametrization(t, "weight", _Sym.make(torch))  # a chain of two
    P_e.register_parametrization(e, "weight", _Sym.make(ember))
    assert repr(e) == repr(t)
    close(t.weight, e.weight, 1e-12)
    c = copy.deepcopy(e)
    close(t.weight, c.weight, 1e-12)
    assert type(c).__name__ == "ParametrizedLinear"
    raises_like(lambda: pickle.dumps(t), lambda: pickle.dumps(e))
    for leave in (True, False):  # (fresh pairs: a deep copy shares the Parametrized class, in PyTorch too)
        tt, ee = _both(build)
        P_t.remove_parametrizations(tt, "weight", leave_parametrized=leave)
        P_e.remove_parametrizations(ee, "weight", leave_parametrized=leave)
        assert type(ee) is ember.nn.Linear and not hasattr(ee, "parametrizations")
        assert repr(ee) == repr(tt)
        _same_state(tt, ee, 1e-12)
        assert isinstance(ee.weight, ember.nn.Parameter)


def test_parametrize_errors_match_torch():
    class Bad:
        @staticmethod
        def make(lib, kind):
            class Shape(lib.nn.Module):
                def forward(self, X):
                    return X[:1] if kind == "shape" else X.double()
            return Shape()

    for kind in ("shape", "dtype"):
        raises_like(lambda kind=kind: torch.nn.utils.parametrize.register_parametrization(
                        torch.nn.Linear(3, 3), "weight", Bad.make(torch, kind)),
                    lambda kind=kind: ember.nn.utils.parametrize.register_parametrization(
                        ember.nn.Linear(3, 3), "weight", Bad.make(ember, kind)))
    tl, el = torch.nn.Linear(3, 3), ember.nn.Linear(3, 3)
    with pytest.raises(ValueError) as te:
        torch.nn.utils.parametrize.register_parametrization(tl, "nope", _Sym.make(torch))
    with pytest.raises(ValueError) as ee:
        ember.nn.utils.parametrize.register_parametrization(el, "nope", _Sym.make(ember))
    assert "does not have a parameter, a buffer, or a parametrized element with name 'nope'" in str(ee.value)
    assert str(te.value).split("'")[-2] == str(ee.value).split("'")[-2]
    raises_like(lambda: torch.nn.utils.parametrize.remove_parametrizations(torch.nn.Linear(3, 3), "weight"),
                lambda: ember.nn.utils.parametrize.remove_parametrizations(ember.nn.Linear(3, 3), "weight"))


@pytest.mark.parametrize("case", [("Linear", (3, 4), {}), ("Linear", (3, 4), {"dim": None}),
                                  ("Conv1d", (2, 3, 4), {"dim": 1}), ("Conv1d", (2, 3, 4), {"dim": 2})])
def test_parametrizations_weight_norm_matches_torch(case):
    name, args, kw = case

    def build(lib):
        return lib.nn.utils.parametrizations.weight_norm(getattr(lib.nn, name)(*args).double(), **kw)
    t, e = _both(build)
    assert repr(e) == repr(t)
    _same_state(t, e, 1e-15)
    close(t.weight, e.weight, 1e-14)
    assert node_name(e.weight) == node_name(t.weight)
    x = torch.randn(*((2, 3) if name == "Linear" else (2, 2, 6)), dtype=torch.float64)
    t(x).pow(2).sum().backward()
    e(to_ember(x)).pow(2).sum().backward()
    _grads_match(t, e, 1e-12)


def test_weight_norm_loads_old_checkpoints_and_old_form_matches_torch():
    t_old, e_old = _both(lambda lib: lib.nn.utils.weight_norm(lib.nn.Linear(3, 4)))
    assert list(e_old.state_dict()) == list(t_old.state_dict()) == ["bias", "weight_g", "weight_v"]
    _same_state(t_old, e_old, 1e-7)  # (the float32 norm may differ in its last bit)
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        ember.nn.utils.weight_norm(ember.nn.Linear(3, 4))
    assert [x.category for x in w] == [FutureWarning] and "parametrizations.weight_norm" in str(w[0].message)
    x = torch.randn(2, 3)
    close(t_old(x), e_old(to_ember(x)), 1e-6)
    assert node_name(e_old.weight) == node_name(t_old.weight)
    t_old(x).sum().backward()
    e_old(to_ember(x)).sum().backward()
    _grads_match(t_old, e_old, 1e-6)
    t_new, e_new = _both(lambda lib: lib.nn.utils.parametrizations.weight_norm(lib.nn.Linear(3, 4)), seed=1)
    t_new.load_state_dict(t_old.state_dict())
    e_new.load_state_dict(e_old.state_dict())  # the compatibility pre-hook renames weight_g / weight_v
    _same_state(t_new, e_new, 1e-7)
    raises_like(lambda: torch.nn.utils.weight_norm(t_old), lambda: ember.nn.utils.weight_norm(e_old))
    torch.nn.utils.remove_weight_norm(t_old)
    ember.nn.utils.remove_weight_norm(e_old)
    _same_state(t_old, e_old, 1e-7)
    raises_like(lambda: torch.nn.utils.remove_weight_norm(t_old), lambda: ember.nn.utils.remove_weight_norm(e_old))


def test_parametrizations_spectral_norm_matches_torch():
    t, e = _both(lambda lib: lib.nn.utils.parametrizations.spectral_norm(lib.nn.Linear(3, 4).double()))
    assert repr(e) == repr(t)
    _same_state(t, e, 1e-12)  # u, v drawn N(0, 1) as PyTorch, then 15 power iterations
    x = torch.randn(2, 3, dtype=torch.float64)
    for _ in range(2):  # each training forward takes one more power-iteration step
        close(t(x), e(to_ember(x)), 1e-12)
    _same_state(t, e, 1e-12)
    assert node_name(e.weight) == node_name(t.weight)
    t(x).sum().backward()
    e(to_ember(x)).sum().backward()
    _grads_match(t, e, 1e-10)
    t.eval()
    e.eval()
    close(t.weight, e.weight, 1e-12)
    tc, ec = _both(lambda lib: lib.nn.utils.parametrizations.spectral_norm(lib.nn.ConvTranspose1d(2, 3, 2)))
    _same_state(tc, ec, 1e-6)  # dim 1 for transposed convolutions
    raises_like(lambda: torch.nn.utils.parametrizations.spectral_norm(torch.nn.Linear(3, 4), n_power_iterations=0),
                lambda: ember.nn.utils.parametrizations.spectral_norm(ember.nn.Linear(3, 4), n_power_iterations=0))


def test_old_spectral_norm_matches_torch():
    t, e = _both(lambda lib: lib.nn.utils.spectral_norm(lib.nn.Linear(3, 4)))
    sd_t, sd_e = t.state_dict(), e.state_dict()
    assert list(sd_e) == list(sd_t) == ["bias", "weight_orig", "weight_u", "weight_v"]
    assert dict(sd_e._metadata) == dict(sd_t._metadata)  # {'': {'version': 1, 'spectral_norm': {...}}}
    _same_state(t, e)
    x = torch.randn(2, 3)
    for _ in range(2):
        close(t(x), e(to_ember(x)), 1e-6)
    _same_state(t, e, 1e-6)
    t2, e2 = _both(lambda lib: lib.nn.utils.spectral_norm(lib.nn.Linear(3, 4)), seed=4)
    t2.load_state_dict(sd_t)
    e2.load_state_dict(sd_e)
    _same_state(t2, e2, 1e-6)
    raises_like(lambda: torch.nn.utils.spectral_norm(t), lambda: ember.nn.utils.spectral_norm(e))
    torch.nn.utils.remove_spectral_norm(t)
    ember.nn.utils.remove_spectral_norm(e)
    _same_state(t, e, 1e-6)
    assert not e._state_dict_hooks and not e._forward_pre_hooks


@pytest.mark.parametrize("case", [((4, 3), None, True), ((3, 3), None, True), ((3, 3), "cayley", True),
                                  ((3, 4), "householder", True), ((4, 3), "householder", False)])
def test_orthogonal_matches_torch(case):
    shape, kind, triv = case

    def build(lib):
        m = lib.nn.Linear(shape[1], shape[0]).double()
        return lib.nn.utils.parametrizations.orthogonal(m, orthogonal_map=kind, use_trivialization=triv)
    t, e = _both(build)
    assert repr(e) == repr(t)
    _same_state(t, e, 1e-10)
    W = e.weight.detach().numpy()
    small = min(W.shape)
    np.testing.assert_allclose(W @ W.T if W.shape[0] == small else W.T @ W, np.eye(small), atol=1e-12)
    close(t.weight, e.weight, 1e-10)
    assert node_name(e.weight) == node_name(t.weight)
    x = torch.randn(2, shape[1], dtype=torch.float64)
    t(x).pow(2).sum().backward()
    e(to_ember(x)).pow(2).sum().backward()
    _grads_match(t, e, 1e-9)


def test_functional_call_matches_torch():
    t, e = _both(lambda lib: lib.nn.Sequential(lib.nn.Linear(3, 4), lib.nn.BatchNorm1d(4)))
    w = torch.randn(4, 3, requires_grad=True)
    we = to_ember(w, True)
    x = torch.randn(5, 3)
    rt = torch.func.functional_call(t, {"0.weight": w}, (x,))
    re_ = ember.func.functional_call(e, {"0.weight": we}, (to_ember(x),))
    close(rt, re_, 1e-5)
    rt.sum().backward()
    re_.sum().backward()
    close(w.grad, we.grad, 1e-5)
    assert e[0].weight is not we and isinstance(e[0].weight, ember.nn.Parameter)  # restored
    _same_state(t, e, 1e-6)  # the running statistics were updated in place, as in PyTorch
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        ember.nn.utils.stateless.functional_call(e, {"0.bias": ember.zeros(4)}, to_ember(x))
    assert rec[0].category is FutureWarning
    calls = [
        lambda lib, m, x: lib.func.functional_call(m, {"0.weight": lib.zeros(4, 3)}, (x,), strict=True),
        lambda lib, m, x: lib.func.functional_call(m, ({"0.bias": lib.zeros(4)}, {"0.bias": lib.zeros(4)}), (x,)),
        lambda lib, m, x: lib.func.functional_call(m, 3, (x,)),
    ]
    for call in calls:
        raises_like(lambda call=call: call(torch, t, x), lambda call=call: call(ember, e, to_ember(x)))

    def tied(lib):
        m = lib.nn.Sequential(lib.nn.Linear(3, 3, bias=False), lib.nn.Linear(3, 3, bias=False))
        m[1].weight = m[0].weight
        return m
    tt, et = _both(tied)
    v = torch.randn(3, 3)
    for tie in (True, False):
        close(torch.func.functional_call(tt, {"0.weight": v}, (x,), tie_weights=tie),
              ember.func.functional_call(et, {"0.weight": to_ember(v)}, (to_ember(x),), tie_weights=tie), 1e-5)
    raises_like(lambda: torch.func.functional_call(tt, {"0.weight": v, "1.weight": v * 2}, (x,)),
                lambda: ember.func.functional_call(et, {"0.weight": to_ember(v), "1.weight": to_ember(v * 2)},
                                                   (to_ember(x),)))


def test_fusion_matches_torch():
    def build(lib):
        conv, bn = lib.nn.Conv2d(2, 3, 2), lib.nn.BatchNorm2d(3)
        lin, bn1 = lib.nn.Linear(3, 4), lib.nn.BatchNorm1d(4)
        for b in (bn, bn1):
            b.running_mean.uniform_(-1, 1)
            b.running_var.uniform_(0.5, 2)
            b.weight.data.uniform_(0.5, 2)
            b.bias.data.uniform_(-1, 1)
        return [m.eval() for m in (conv, bn, lin, bn1)]
    (tc, tb, tl, tb1), (ec, eb, el, eb1) = _both(build)
    fc_t, fc_e = torch.nn.utils.fuse_conv_bn_eval(tc, tb), ember.nn.utils.fuse_conv_bn_eval(ec, eb)
    _same_state(fc_t, fc_e, 1e-6)
    x = torch.randn(1, 2, 4, 4)
    close(tb(tc(x)), fc_e(to_ember(x)), 1e-5)
    fl_t, fl_e = torch.nn.utils.fuse_linear_bn_eval(tl, tb1), ember.nn.utils.fuse_linear_bn_eval(el, eb1)
    _same_state(fl_t, fl_e, 1e-6)
    raises_like(lambda: torch.nn.utils.fuse_linear_bn_eval(tl.train(), tb1),
                lambda: ember.nn.utils.fuse_linear_bn_eval(el.train(), eb1))
    assert ember.nn.utils.convert_conv2d_weight_memory_format(ec, None) is ec


def test_skip_init_leaves_the_random_stream_as_torch():
    t, e = _both(lambda lib: (lib.nn.utils.skip_init(lib.nn.Linear, 3, 4), lib.randn(3)))
    assert [p.shape for p in e[0].parameters()] == [p.shape for p in t[0].parameters()]
    close(t[1], e[1], 0)  # nothing was drawn for the skipped initialisation
    raises_like(lambda: torch.nn.utils.skip_init(int), lambda: ember.nn.utils.skip_init(int))
