"""nn.Module extras against PyTorch 2.13: global module hooks, always_call forward hooks, registration hooks,
state_dict hooks and metadata, set_submodule, to_empty, extra state, nn.Container, device methods."""

import warnings

import pytest
from _seq_oracle import close, raises_like, to_ember

import ember

torch = pytest.importorskip("torch")


def _trace(lib):
    """Run a small model under every kind of global and module hook; return the log of calls."""
    MM = lib.nn.modules.module
    log = []
    lib.manual_seed(0)
    model = lib.nn.Sequential(lib.nn.Linear(2, 3), lib.nn.Tanh())
    hs = [
        MM.register_module_forward_pre_hook(lambda m, a: log.append(("gpre", type(m).__name__))),
        MM.register_module_forward_hook(lambda m, a, o: log.append(("gpost", type(m).__name__, tuple(o.shape)))),
        MM.register_module_forward_hook(lambda m, a, k, o: log.append(("gkw", sorted(k))), with_kwargs=True),
        MM.register_module_full_backward_pre_hook(lambda m, go: log.append(("gbpre", type(m).__name__))),
        MM.register_module_full_backward_hook(
            lambda m, gi, go: log.append(("gb", type(m).__name__, [None if g is None else tuple(g.shape)
                                                                   for g in gi]))),
        model[0].register_forward_pre_hook(lambda m, a: log.append(("pre0",))),
        model[0].register_forward_hook(lambda m, a, o: log.append(("post0",))),
    ]
    x = lib.randn(4, 2, requires_grad=True)
    model(x).sum().backward()
    for h in hs:
        h.remove()
    model(x)
    log.append(("after",))
    return log


def test_global_module_hooks_run_as_in_torch():
    assert _trace(ember) == _trace(torch)


def _registrations(lib):
    MM = lib.nn.modules.module
    log = []

    def on_param(m, name, p):
        log.append(("param", type(m).__name__, name))

    def on_buffer(m, name, b):
        log.append(("buffer", type(m).__name__, name))
        return b * 0 if b is not None else None

    def on_module(m, name, sub):
        log.append(("module", type(m).__name__, name))

    hs = [MM.register_module_parameter_registration_hook(on_param),
          MM.register_module_buffer_registration_hook(on_buffer),
          MM.register_module_module_registration_hook(on_module)]
    try:
        s = lib.nn.Sequential(lib.nn.Linear(1, 1), lib.nn.BatchNorm1d(2))
        s.extra = lib.nn.ReLU()
    finally:
        for h in hs:
            h.remove()
    log.append(("running_var", s[1].running_var.tolist()))
    return log


def test_registration_hooks_match_torch():
    assert _registrations(ember) == _registrations(torch)


def _always_call(lib):
    log = []

    class Boom(lib.nn.Module):
        def forward(self, x):
            raise ValueError("boom")

    m = Boom()
    m.register_forward_hook(lambda mod, a, o: log.append(("always", o)), always_call=True)
    m.register_forward_hook(lambda mod, a, o: log.append(("normal",)))
    h = lib.nn.modules.module.register_module_forward_hook(lambda mod, a, o: log.append(("global", o)),
                                                           always_call=True)
    try:
        with pytest.raises(ValueError, match="boom"):
            m(lib.zeros(1))
    finally:
        h.remove()
    return log


def test_always_call_forward_hooks_match_torch():
    assert _always_call(ember) == _always_call(torch)


def _state_dict_hooks(lib):
    log = []
    m = lib.nn.Sequential(lib.nn.Linear(2, 2))
    m[0].register_state_dict_pre_hook(lambda mod, prefix, keep_vars: log.append(("pre", prefix, keep_vars)))

    def post(mod, sd, prefix, meta):
        log.append(("post", prefix, sorted(sd), dict(meta)))
        meta["mine"] = 1
    m[0].register_state_dict_post_hook(post)
    m._register_state_dict_hook(lambda mod, sd, prefix, meta: {k: v for k, v in sd.items() if "bias" not in k})
    sd = m.state_dict()
    log.append(("keys", sorted(sd), {k: dict(v) for k, v in getattr(sd, "_metadata", {}).items()}))
    bad = lib.nn.Linear(1, 1)
    bad.register_state_dict_post_hook(lambda mod, sd, prefix, meta: {})
    with pytest.raises(RuntimeError) as e:
        bad.state_dict()
    log.append(str(e.value))
    seen = []
    t = lib.nn.Linear(2, 2)
    t.register_load_state_dict_pre_hook(lambda mod, sd, prefix, *rest: seen.append((type(mod).__name__, prefix)))
    t._register_load_state_dict_pre_hook(lambda sd, prefix, *rest: seen.append(("private", prefix)))
    t.load_state_dict(lib.nn.Linear(2, 2).state_dict())
    log.append(seen)
    return log


def test_state_dict_hooks_and_metadata_match_torch():
    assert _state_dict_hooks(ember) == _state_dict_hooks(torch)


def test_set_submodule_to_empty_extra_state_and_container_match_torch():
    def build(lib):
        lib.manual_seed(0)
        return lib.nn.Sequential(lib.nn.Linear(2, 3), lib.nn.Sequential(lib.nn.ReLU(), lib.nn.Linear(3, 1)))
    t, e = build(torch), build(ember)
    t.set_submodule("1.0", torch.nn.Tanh())
    e.set_submodule("1.0", ember.nn.Tanh())
    assert repr(e) == repr(t)
    for call in (lambda lib, m: m.set_submodule("", lib.nn.Tanh()),
                 lambda lib, m: m.set_submodule("1.5", lib.nn.Tanh(), strict=True),
                 lambda lib, m: m.set_submodule("0.weight", lib.nn.Tanh()),
                 lambda lib, m: m.set_submodule("0", 3),
                 lambda lib, m: m.set_submodule("7.a", lib.nn.Tanh())):
        raises_like(lambda call=call: call(torch, t), lambda call=call: call(ember, e))
    t.set_submodule("1.9", torch.nn.ReLU())
    e.set_submodule("1.9", ember.nn.ReLU())
    assert repr(e) == repr(t)
    w = e[0].weight
    assert e.to_empty(device="cpu") is e and e[0].weight is w and e[0].weight.shape == (3, 2)

    class Stateful:
        @staticmethod
        def make(lib):
            class WithState(lib.nn.Linear):
                def get_extra_state(self):
                    return {"step": 7}

                def set_extra_state(self, state):
                    self.step = state["step"]
            lib.manual_seed(0)
            return WithState(1, 1)
    st, se = Stateful.make(torch), Stateful.make(ember)
    assert list(se.state_dict()) == list(st.state_dict()) == ["weight", "bias", "_extra_state"]
    assert se.state_dict()["_extra_state"] == st.state_dict()["_extra_state"]
    raises_like(lambda: torch.nn.Linear(1, 1).get_extra_state(), lambda: ember.nn.Linear(1, 1).get_extra_state())
    with warnings.catch_warnings(record=True) as wt:
        warnings.simplefilter("always")
        ct = torch.nn.Container(a=torch.nn.Linear(1, 2), b=torch.nn.ReLU())
    with warnings.catch_warnings(record=True) as we:
        warnings.simplefilter("always")
        ce = ember.nn.Container(a=ember.nn.Linear(1, 2), b=ember.nn.ReLU())
    assert repr(ce) == repr(ct)
    assert [(w.category, str(w.message)) for w in we] == [(w.category, str(w.message)) for w in wt]
    raises_like(lambda: torch.nn.Linear(1, 1).xpu(), lambda: ember.nn.Linear(1, 1).xpu())
    assert ember.nn.Linear(1, 1).compile() is None
    x = torch.randn(2, 2)
    e.to_empty(device="cpu").load_state_dict({k: to_ember(v) for k, v in t.state_dict().items()})
    close(t(x), e(to_ember(x)), 1e-6)


def _param_dict(lib):
    d = lib.nn.ParameterDict({"a": lib.nn.Parameter(lib.ones(1)), "b": lib.nn.Parameter(lib.zeros(2))})
    k, _ = d.popitem()
    d.setdefault("c", lib.nn.Parameter(lib.ones(3)))
    d.setdefault("a", None)
    return [k, list(d.keys()), list(d.copy().keys()), repr(d.fromkeys(["x", "y"], lib.nn.Parameter(lib.ones(1)))),
            repr(d)]


def test_parameter_dict_extras_match_torch():
    assert _param_dict(ember) == _param_dict(torch)
