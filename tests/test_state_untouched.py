"""Bad calls on stateful objects: PyTorch's error, and nothing changed.

Each row of ``ROWS`` is one bad call: ``make(lib)`` builds a stateful object with some history (an optimizer
after two steps, a model, a scheduler) and returns a context; ``bad(lib, ctx)`` makes the bad call. For every row:

(a) ember raises ``exc`` with a message matching ``match``; with PyTorch installed the same row runs on PyTorch
    live, and ``mode`` says what must agree: ``same`` (class and message), ``class`` (class; ember's message
    names the parameter and both shapes where PyTorch's is a broadcasting error), ``past`` (ember is stricter
    than PyTorch, which may not raise at all; if it does, the class agrees);
(b) every piece of state reachable from the context -- parameters, buffers, gradients, optimizer state and
    hyperparameters, scheduler attributes, version counters ``t._version``, the global RNG state -- is exactly
    as it was before the call (PyTorch often changes some; ember goes past it here, see the docstrings of
    ``Optimizer``, ``Module.load_state_dict`` and ``BatchNorm``).

Adding a bad call is adding one line to ``ROWS``.
"""

import re
import warnings

import numpy as np
import pytest

import ember

try:
    import torch
except ImportError:  # the rows still run on ember; the live comparison is skipped
    torch = None

LIBS = [ember] if torch is None else [ember, torch]


# ---------------------------------------------------------------------------------------------------------------
# snapshots of state, and their comparison
# ---------------------------------------------------------------------------------------------------------------
def snapshot(obj, lib):
    """Everything observable about ``obj``, as plain values (arrays copied): see the module docstring."""
    if isinstance(obj, lib.Tensor):
        t = obj.detach()
        return ("tensor", tuple(t.shape), str(t.dtype), t.numpy().copy(), obj._version, obj.requires_grad,
                None if obj.grad is None else snapshot(obj.grad, lib))
    if isinstance(obj, lib.nn.Module):
        return ("module", [(n, snapshot(t, lib)) for n, t in obj.named_parameters()],
                [(n, snapshot(t, lib)) for n, t in obj.named_buffers()],
                [(n, m.training, {k: v for k, v in vars(m).items() if isinstance(v, (int, float, str, type(None)))})
                 for n, m in obj.named_modules()])
    if isinstance(obj, lib.optim.Optimizer):
        index = {id(p): i for i, p in enumerate(p for g in obj.param_groups for p in g["params"])}
        return ("optimizer",
                [{k: ([index[id(p)] for p in v] + [snapshot(p, lib) for p in v]) if k == "params"
                  else snapshot(v, lib) for k, v in g.items()} for g in obj.param_groups],
                [(index.get(id(k), k), snapshot(v, lib)) for k, v in obj.state.items()])
    if isinstance(obj, lib.optim.lr_scheduler.LRScheduler):
        return ("scheduler", {k: snapshot(v, lib) for k, v in vars(obj).items() if k != "optimizer"})
    if isinstance(obj, dict):
        return ("dict", [(k, snapshot(v, lib)) for k, v in obj.items()])
    if isinstance(obj, (list, tuple)):
        return (type(obj).__name__, [snapshot(v, lib) for v in obj])
    if callable(obj):
        return ("callable", id(obj))
    return ("value", obj)


def world(ctx, lib):
    """The snapshot of a row's context: its stateful objects and the global random generator."""
    return [snapshot(o, lib) for o in ctx["objs"]] + [snapshot(lib.get_rng_state(), lib)]


def assert_same(a, b, path="state"):
    """Exact equality of two snapshots (arrays: same dtype, same values, NaN equal to NaN)."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        assert isinstance(a, np.ndarray) and isinstance(b, np.ndarray), path
        assert a.dtype == b.dtype and a.shape == b.shape, path
        assert np.array_equal(a, b, equal_nan=a.dtype.kind in "fc"), f"{path}: values changed"
    elif isinstance(a, (list, tuple)):
        assert type(a) is type(b) and len(a) == len(b), f"{path}: {a!r} != {b!r}"
        for i, (x, y) in enumerate(zip(a, b)):
            assert_same(x, y, f"{path}[{i}]")
    elif isinstance(a, dict):
        assert list(a) == list(b), f"{path}: keys {list(a)} != {list(b)}"
        for k in a:
            assert_same(a[k], b[k], f"{path}.{k}")
    else:
        assert a == b, f"{path}: {a!r} != {b!r}"


def run_row(lib, make, bad):
    """(error class name, message, state unchanged?) of a bad call on ``lib``."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ctx = make(lib)
        before = world(ctx, lib)
        try:
            bad(lib, ctx)
        except Exception as e:  # noqa: BLE001 (the error is what is compared)
            err = (type(e).__name__, str(e))
        else:
            err = None
        after = world(ctx, lib)
    try:
        assert_same(before, after)
        untouched = True
    except AssertionError:
        untouched = False
    return err, untouched


# ---------------------------------------------------------------------------------------------------------------
# builders of stateful objects
# ---------------------------------------------------------------------------------------------------------------
OPTS = {"SGD": {"lr": 0.1, "momentum": 0.9}, "Adam": {}, "AdamW": {"amsgrad": True}, "Adagrad": {},
        "Adadelta": {}, "Adamax": {}, "NAdam": {}, "RMSprop": {"momentum": 0.5, "centered": True}, "RAdam": {},
        "Rprop": {}, "ASGD": {"t0": 1}, "Adafactor": {}, "Muon": {"lr": 0.02}}


def _params(lib):
    rng = np.random.default_rng(0)
    return [lib.tensor(rng.standard_normal(s).astype(np.float32), requires_grad=True) for s in ((3, 2), (2, 4))]


def _backward(lib, ps):
    x = lib.tensor(np.linspace(-1, 1, 15, dtype=np.float32).reshape(5, 3))
    ((x @ ps[0]).tanh() @ ps[1]).pow(2).mean().backward()


def opt(name, steps=2, **kw):
    """make(): optimizer ``name`` over two 2-D parameters after ``steps`` steps, with fresh gradients."""
    def make(lib):
        ps = _params(lib)
        o = getattr(lib.optim, name)(ps, **(OPTS.get(name, {}) | kw))
        for _ in range(steps):
            o.zero_grad()
            _backward(lib, ps)
            o.step()
        o.zero_grad()
        _backward(lib, ps)
        return {"objs": [o, *ps], "opt": o, "ps": ps}
    return make


def _tensor_state_key(o, p):
    return next(k for k, v in o.state[p].items() if hasattr(v, "shape") and v.ndim > 0)


def with_state(edit):
    """make() wrapper: edit the second parameter's state (``edit(lib, optimizer, param, key)``) before the call."""
    def wrap(make):
        def made(lib):
            ctx = make(lib)
            o, p = ctx["opt"], ctx["ps"][1]
            edit(lib, o, p, _tensor_state_key(o, p))
            return ctx
        return made
    return wrap


def _load_misshaped(lib, o, p, key):
    sd = o.state_dict()
    sd["state"][1][key] = lib.zeros(3, 5)
    o.load_state_dict(sd)


mis_shaped_by_load = with_state(_load_misshaped)
wrong_dtype = with_state(lambda lib, o, p, key: o.state[p].__setitem__(key, o.state[p][key].double()))
missing_entry = with_state(lambda lib, o, p, key: o.state[p].pop(key))
bad_step = with_state(lambda lib, o, p, key: o.state[p].__setitem__("step", lib.zeros(2)))


def mis_shaped_grad(make):
    def made(lib):
        ctx = make(lib)
        ctx["ps"][1].grad.data = lib.zeros(2, 3)
        return ctx
    return made


def step(lib, ctx):
    ctx["opt"].step()


def module(build, train=True):
    def make(lib):
        lib.manual_seed(0)
        m = build(lib)
        m.train(train)
        return {"objs": [m], "m": m}
    return make


def bn_warm(lib):
    m = lib.nn.BatchNorm1d(3)
    m(lib.linspace(-1, 1, 12).reshape(4, 3))  # some history in the running statistics
    return m


def seq(lib):
    return lib.nn.Sequential(lib.nn.Linear(3, 4), lib.nn.ReLU(), lib.nn.Linear(4, 2))


def load(edit, strict=True):
    """bad(): load the model's own state_dict after ``edit(lib, sd)``."""
    def bad(lib, ctx):
        sd = {k: v.clone() + 1 for k, v in ctx["m"].state_dict().items()}  # every entry would change the model
        edit(lib, sd)
        ctx["m"].load_state_dict(sd, strict=strict)
    return bad


def opt_load(edit):
    def bad(lib, ctx):
        sd = ctx["opt"].state_dict()
        sd = {"state": {k: dict(v) for k, v in sd["state"].items()},
              "param_groups": [dict(g) for g in sd["param_groups"]]}
        edit(lib, sd)
        ctx["opt"].load_state_dict(sd)
    return bad


def sched_opt(name="SGD", **kw):
    def make(lib):
        ps = _params(lib)
        o = getattr(lib.optim, name)([{"params": ps[:1]}, {"params": ps[1:], "lr": 0.5}], **kw)
        return {"objs": [o], "opt": o, "ps": ps}
    return make


def with_sched(build, steps=0):
    def make(lib):
        ctx = sched_opt(momentum=0.9, lr=0.1)(lib)
        s = build(lib.optim.lr_scheduler, ctx["opt"])
        for _ in range(steps):
            ctx["opt"].step()
            s.step()
        ctx["objs"].append(s)
        ctx["s"] = s
        return ctx
    return make


def averaged(lib):
    lib.manual_seed(0)
    m = lib.nn.Sequential(lib.nn.Linear(3, 4), lib.nn.BatchNorm1d(4))
    avg = lib.optim.swa_utils.AveragedModel(m)
    avg.update_parameters(m)
    other = lib.nn.Sequential(lib.nn.Linear(3, 4), lib.nn.BatchNorm1d(5))
    return {"objs": [avg, m, other], "avg": avg, "other": other}


def lbfgs(lib):
    ps = _params(lib)
    o = lib.optim.LBFGS(ps, max_iter=3, history_size=2)

    def closure():
        o.zero_grad()
        _backward(lib, ps)
        return ps[0].sum()
    o.step(closure)
    ps[1].grad.data = lib.zeros(2, 3)
    return {"objs": [o, *ps], "opt": o, "ps": ps}


def lbfgs_step_keeping_grads(lib, ctx):
    ctx["opt"].step(lambda: ctx["ps"][0].sum().detach())  # a closure that leaves the (bad) gradients alone


def group(make, **kw):
    """make() wrapper: set hyperparameters of the first group before the call."""
    def made(lib):
        ctx = make(lib)
        ctx["opt"].param_groups[0].update(kw)
        return ctx
    return made


SHAPES = r"has shape torch\.Size\(\[2, 3\]\), but the parameter has shape torch\.Size\(\[2, 4\]\)"
ELEMENTWISE = [n for n in OPTS if n not in ("Adafactor", "Muon")]
F = "RuntimeError"

# (id, make, bad, error class, regex for ember's message, what must agree with PyTorch)
ROWS = [
    *[(f"{n}-grad-shape", mis_shaped_grad(opt(n)), step, F, f"gradient of parameter 1 {SHAPES}", "class")
      for n in OPTS],
    *[(f"{n}-state-shape-loaded", mis_shaped_by_load(opt(n)), step, F,
       r"state '\w+' of parameter 1 has shape torch\.Size\(\[3, 5\]\)", "class") for n in OPTS],
    *[(f"{n}-state-dtype", wrong_dtype(opt(n)), step, F, r"has dtype torch\.float64, but the parameter has dtype "
       r"torch\.float32", "past") for n in OPTS],
    *[(f"{n}-state-missing", missing_entry(opt(n)), step, "AssertionError" if n == "Adafactor" else "KeyError", "'|"
       "should be defined", "same") for n in OPTS if n not in ("SGD", "Muon")],  # (their one entry is optional)
    *[(f"{n}-step-shape", bad_step(opt(n)), step, F, r"state 'step' of parameter 1 has shape torch\.Size\(\[2\]\)",
       "past") for n in OPTS if n not in ("SGD", "Muon")],
    ("Adam-capturable-on-cpu", opt("Adam", capturable=True, steps=0), step, "AssertionError", "capturable=True",
     "same"),
    ("NAdam-capturable-on-cpu", opt("NAdam", capturable=True, steps=0), step, "AssertionError", "mu_products",
     "same"),
    ("Adam-differentiable-leaf", opt("Adam", differentiable=True, steps=0), step, F, "a leaf Variable", "same"),
    ("Muon-ns-steps", group(opt("Muon"), ns_steps=100), step, "ValueError", "less than 100", "same"),
    ("Muon-coefficients", group(opt("Muon"), ns_coefficients=(1.0, 2.0)), step, "ValueError", "exactly 3", "same"),
    ("Adam-amsgrad-switched-on", group(opt("Adam"), amsgrad=True), step, "KeyError", "max_exp_avg_sq", "same"),
    ("RMSprop-centered-switched-on", group(opt("RMSprop", centered=False), centered=True), step, "KeyError",
     "grad_avg", "same"),
    ("Adam-capturable-set-later", group(opt("Adam"), capturable=True), step, "AssertionError",
     "supported devices", "same"),
    ("SparseAdam-dense-grad", opt("SparseAdam", steps=0), step, F, "does not support dense gradients", "same"),
    ("LBFGS-grad-shape", lbfgs, lbfgs_step_keeping_grads, F, f"gradient of parameter 1 {SHAPES}", "past"),
    ("opt-load-group-count", opt("Adam"), opt_load(lambda lib, sd: sd["param_groups"].append(sd["param_groups"][0])),
     "ValueError", "different number of parameter groups", "same"),
    ("opt-load-group-size", opt("Adam"), opt_load(lambda lib, sd: sd["param_groups"][0].update(params=[0])),
     "ValueError", "doesn't match the size", "same"),
    ("opt-load-no-state", opt("Adam"), opt_load(lambda lib, sd: sd.pop("state")), "KeyError", "state", "same"),
    ("opt-load-no-groups", opt("Adam"), opt_load(lambda lib, sd: sd.pop("param_groups")), "KeyError", "param_groups",
     "same"),
    ("opt-add-group-overlap", opt("SGD"), lambda lib, c: c["opt"].add_param_group({"params": c["ps"][:1]}),
     "ValueError", "more than one parameter group", "same"),
    ("opt-add-group-not-dict", opt("SGD"), lambda lib, c: c["opt"].add_param_group([c["ps"][0]]), "TypeError",
     "param_group must be a dict", "same"),
    ("linear-missing", module(lambda lib: lib.nn.Linear(3, 2)), load(lambda lib, sd: sd.pop("bias")), F,
     'Missing key.*"bias"', "same"),
    ("linear-unexpected", module(lambda lib: lib.nn.Linear(3, 2)), load(lambda lib, sd: sd.update(extra=lib.ones(1))),
     F, 'Unexpected key.*"extra"', "same"),
    ("linear-size-mismatch", module(lambda lib: lib.nn.Linear(3, 2)),
     load(lambda lib, sd: sd.update(weight=lib.zeros(3, 2))), F, r"size mismatch for weight: copying a param with "
     r"shape torch\.Size\(\[3, 2\]\) from checkpoint, the shape in current model is torch\.Size\(\[2, 3\]\)\.",
     "same"),
    ("linear-not-a-tensor", module(lambda lib: lib.nn.Linear(3, 2)),
     load(lambda lib, sd: sd.update(bias=[1.0, 2.0])), F, "expected torch.Tensor", "same"),
    ("linear-all-at-once", module(lambda lib: lib.nn.Linear(3, 2)),
     load(lambda lib, sd: (sd.pop("bias"), sd.update(extra=lib.ones(1), weight=lib.zeros(1)))), F,
     "Missing.*\n\tUnexpected.*\n\tsize mismatch", "same"),
    ("linear-size-mismatch-not-strict", module(lambda lib: lib.nn.Linear(3, 2)),
     load(lambda lib, sd: sd.update(weight=lib.zeros(3, 2), extra=lib.ones(1)), strict=False), F, "size mismatch",
     "same"),
    ("sequential-second-layer", module(seq), load(lambda lib, sd: sd.update({"2.bias": lib.zeros(3)})), F,
     "size mismatch for 2.bias", "same"),
    ("sequential-nested-missing", module(lambda lib: lib.nn.Sequential(seq(lib), lib.nn.Linear(2, 2))),
     load(lambda lib, sd: sd.pop("0.2.weight")), F, '"0.2.weight"', "same"),
    ("batchnorm-load-running-mean", module(bn_warm), load(lambda lib, sd: sd.update(running_mean=lib.zeros(4))), F,
     "size mismatch for running_mean", "same"),
    ("bn1d-features", module(bn_warm), lambda lib, c: c["m"](lib.ones(4, 5)), F,
     "running_mean should contain 5 elements not 3", "same"),
    ("bn1d-features-3d", module(bn_warm), lambda lib, c: c["m"](lib.ones(4, 5, 2)), F, "should contain 5", "same"),
    ("bn1d-4d", module(bn_warm), lambda lib, c: c["m"](lib.ones(4, 3, 2, 2)), "ValueError",
     r"expected 2D or 3D input \(got 4D input\)", "same"),
    ("bn1d-one-value", module(bn_warm), lambda lib, c: c["m"](lib.ones(1, 3)), "ValueError",
     "Expected more than 1 value per channel", "same"),
    ("bn1d-float64-input", module(bn_warm), lambda lib, c: c["m"](lib.ones(4, 3, dtype=lib.float64)), F,
     "mixed dtype", "same"),
    ("bn1d-int-input", module(bn_warm), lambda lib, c: c["m"](lib.ones(4, 3, dtype=lib.int64)),
     "NotImplementedError", "not implemented for 'Long'", "same"),
    ("bn1d-eval-features", module(bn_warm, train=False), lambda lib, c: c["m"](lib.ones(4, 5)), F,
     "running_mean should contain", "same"),
    ("bn1d-no-stats-features", module(lambda lib: lib.nn.BatchNorm1d(3, track_running_stats=False)),
     lambda lib, c: c["m"](lib.ones(4, 5)), F, "weight should contain 5 elements not 3", "same"),
    ("bn1d-cumulative-features", module(lambda lib: lib.nn.BatchNorm1d(3, momentum=None)),
     lambda lib, c: c["m"](lib.ones(4, 5)), F, "running_mean should contain", "same"),
    ("bn2d-features", module(lambda lib: lib.nn.BatchNorm2d(3)), lambda lib, c: c["m"](lib.ones(2, 4, 2, 2)), F,
     "running_mean should contain 4 elements not 3", "same"),
    ("bn3d-dims", module(lambda lib: lib.nn.BatchNorm3d(3)), lambda lib, c: c["m"](lib.ones(2, 3, 2, 2)),
     "ValueError", r"expected 5D input \(got 4D input\)", "same"),
    ("syncbn-features", module(lambda lib: lib.nn.SyncBatchNorm(3)), lambda lib, c: c["m"](lib.ones(4, 5)), F,
     "running_mean should contain", "same"),
    ("bn-inside-sequential", module(lambda lib: lib.nn.Sequential(lib.nn.Linear(3, 5), lib.nn.BatchNorm1d(4))),
     lambda lib, c: c["m"](lib.ones(2, 3)), F, "running_mean should contain 5 elements not 4", "same"),
    ("onecycle-past-total", with_sched(lambda ls, o: ls.OneCycleLR(o, max_lr=1.0, total_steps=3), steps=3),
     lambda lib, c: c["s"].step(), "ValueError", "Tried to step 4 times", "same"),
    ("cycliclr-bad-mode", sched_opt(momentum=0.9),
     lambda lib, c: lib.optim.lr_scheduler.CyclicLR(c["opt"], 0.01, 0.1, mode="wave"), "ValueError",
     "mode is invalid", "same"),
    ("cycliclr-no-momentum", sched_opt("Adagrad"), lambda lib, c: lib.optim.lr_scheduler.CyclicLR(c["opt"], 0.01, 0.1),
     "ValueError", "must support momentum", "same"),
    ("onecycle-no-momentum", sched_opt("Adagrad"),
     lambda lib, c: lib.optim.lr_scheduler.OneCycleLR(c["opt"], 1.0, total_steps=10), "ValueError",
     "must support momentum", "same"),
    ("onecycle-max-lr-count", sched_opt(momentum=0.9),
     lambda lib, c: lib.optim.lr_scheduler.OneCycleLR(c["opt"], [1.0], total_steps=10), "ValueError",
     "max_lr must have the same length", "same"),
    ("swalr-bad-strategy", sched_opt(momentum=0.9),
     lambda lib, c: lib.optim.swa_utils.SWALR(c["opt"], 0.05, anneal_strategy="step"), "ValueError",
     "anneal_strategy must be one of", "same"),
    ("swalr-bad-epochs", sched_opt(momentum=0.9),
     lambda lib, c: lib.optim.swa_utils.SWALR(c["opt"], 0.05, anneal_epochs=-1), "ValueError",
     "anneal_epochs must be", "same"),
    ("lambdalr-count", sched_opt(momentum=0.9),
     lambda lib, c: lib.optim.lr_scheduler.LambdaLR(c["opt"], [lambda e: 1.0]), "ValueError", "Expected 2 lr_lambdas",
     "same"),
    ("constantlr-factor", sched_opt(momentum=0.9),
     lambda lib, c: lib.optim.lr_scheduler.ConstantLR(c["opt"], factor=2.0), "ValueError",
     "between 0 and 1", "same"),
    ("steplr-resume-without-initial-lr", sched_opt(momentum=0.9),
     lambda lib, c: lib.optim.lr_scheduler.StepLR(c["opt"], 3, last_epoch=5), "KeyError", "initial_lr", "same"),
    ("sequentiallr-milestones", with_sched(lambda ls, o: ls.StepLR(o, 3)),
     lambda lib, c: lib.optim.lr_scheduler.SequentialLR(c["opt"], [c["s"]], milestones=[2]), "ValueError",
     "number of milestone points", "same"),
    ("plateau-metric-not-a-number", with_sched(lambda ls, o: ls.ReduceLROnPlateau(o)),
     lambda lib, c: c["s"].step("low"), "ValueError", "could not convert string to float", "same"),
    ("plateau-bad-mode", sched_opt(momentum=0.9),
     lambda lib, c: lib.optim.lr_scheduler.ReduceLROnPlateau(c["opt"], mode="lowest"), "ValueError", "is unknown",
     "same"),
    ("averaged-model-other-shapes", averaged,
     lambda lib, c: c["avg"].update_parameters(c["other"]), F, "must match the size", "class"),
]

IDS = [r[0] for r in ROWS]
assert len(set(IDS)) == len(IDS)


@pytest.mark.parametrize("row", ROWS, ids=IDS)
def test_bad_call_raises_and_changes_nothing(row):
    name, make, bad, exc, match, mode = row
    err, untouched = run_row(ember, make, bad)
    assert err is not None, f"{name}: ember did not raise"
    assert err[0] == exc and re.search(match, err[1], re.S), err
    assert untouched, f"{name}: ember changed state before raising {err}"
    assert not err[1].startswith("operands could not be broadcast"), err  # no NumPy error leaks
    if torch is None:
        return
    terr, _ = run_row(torch, make, bad)
    if mode == "same":
        assert terr == err
    elif mode == "class":
        assert terr is not None and terr[0] == err[0], (terr, err)
    else:
        assert terr is None or terr[0] == err[0], (terr, err)


def test_figures():
    """The tallies the issue asks for (printed with -s): bad calls, same class/message, state untouched."""
    tally = {"rows": len(ROWS), "ember untouched": 0, "torch raises": 0, "same class": 0, "same message": 0,
             "torch untouched": 0}
    for _, make, bad, *_ in ROWS:
        err, untouched = run_row(ember, make, bad)
        tally["ember untouched"] += untouched
        if torch is not None:
            terr, tuntouched = run_row(torch, make, bad)
            tally["torch raises"] += terr is not None
            tally["same class"] += terr is not None and terr[0] == err[0]
            tally["same message"] += terr == err
            tally["torch untouched"] += tuntouched and terr is not None
    print(tally)
    assert tally["ember untouched"] == len(ROWS)


# ---------------------------------------------------------------------------------------------------------------
# the checker must be able to fail
# ---------------------------------------------------------------------------------------------------------------
def _in_no_grad(lib, fn):
    with lib.no_grad():
        fn()


@pytest.mark.parametrize("change", [
    lambda lib, c: c["ps"][0].detach().add_(1),                        # a parameter's values
    lambda lib, c: _in_no_grad(lib, lambda: c["ps"][0].add_(0)),     # only the version counter
    lambda lib, c: c["opt"].state[c["ps"][0]]["step"].add_(1),         # a step counter
    lambda lib, c: c["opt"].state[c["ps"][0]].update(extra=1),         # a new state entry
    lambda lib, c: c["opt"].param_groups[0].update(lr=0.5),            # a hyperparameter
    lambda lib, c: c["ps"][1].grad.mul_(2),                            # a gradient
    lambda lib, c: lib.rand(1),                                        # the global random generator
    lambda lib, c: c["opt"].state[c["ps"][1]]["exp_avg"].data.add_(0).mul_(1.5),  # a moment
])
def test_checker_detects_changes(change):
    for lib in LIBS:
        err, untouched = run_row(lib, opt("Adam"), change)
        assert err is None and not untouched


def test_checker_accepts_a_call_that_changes_nothing():
    for lib in LIBS:
        assert run_row(lib, opt("Adam"), lambda lib, c: c["opt"].state_dict()) == (None, True)


# ---------------------------------------------------------------------------------------------------------------
# loads that succeed still load what PyTorch loads
# ---------------------------------------------------------------------------------------------------------------
def _loaded(lib, edit, strict=True, assign=False, post_hook=None):
    lib.manual_seed(0)
    m = lib.nn.Sequential(lib.nn.Linear(3, 2), lib.nn.BatchNorm1d(2))
    sd = {k: v.clone() + 1 for k, v in m.state_dict().items()}
    edit(lib, sd)
    if post_hook is not None:
        if hasattr(m[0], "register_load_state_dict_post_hook"):
            m[0].register_load_state_dict_post_hook(post_hook)
        else:  # ember has no registration method (yet): the dict load_state_dict reads
            m[0]._load_state_dict_post_hooks[0] = post_hook
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = m.load_state_dict(sd, strict=strict, assign=assign)
    return (repr(result), [(k, str(v.dtype), v.detach().numpy().tolist()) for k, v in m.state_dict().items()],
            [type(p).__name__ for p in m.parameters()])


def _forgive_missing(module, keys):
    keys.missing_keys.clear()


@pytest.mark.skipif(torch is None, reason="compares with PyTorch")
@pytest.mark.parametrize("case", [
    dict(edit=lambda lib, sd: sd.update({"0.weight": sd["0.weight"].double()})),       # cast to the model's dtype
    dict(edit=lambda lib, sd: sd.update({"1.num_batches_tracked": lib.tensor([7])})),  # (1,) into a 0-d buffer
    dict(edit=lambda lib, sd: sd.update({"0.bias": lib.tensor([3, 4])})),               # integers into floats
    dict(edit=lambda lib, sd: (sd.pop("0.bias"), sd.update(extra=lib.ones(1))), strict=False),
    dict(edit=lambda lib, sd: None, assign=True),
    dict(edit=lambda lib, sd: sd.pop("0.bias"), post_hook=_forgive_missing),  # the hook forgives: loads the rest
], ids=["float64", "one-element", "int", "not-strict", "assign", "post-hook"])
def test_successful_loads_match_torch(case):
    assert _loaded(ember, **case) == _loaded(torch, **case)


@pytest.mark.skipif(torch is None, reason="compares with PyTorch")
def test_sync_batchnorm_is_batchnorm_on_one_cpu_process():
    out = []
    for lib in (torch, ember):
        lib.manual_seed(0)
        m = lib.nn.Sequential(lib.nn.Linear(3, 4), lib.nn.BatchNorm1d(4, momentum=None))
        s = lib.nn.SyncBatchNorm.convert_sync_batchnorm(m)
        x = lib.tensor(np.linspace(-1, 2, 15, dtype=np.float32).reshape(5, 3))
        y = s(x)
        out.append((repr(s), y.detach().numpy(), s[1].running_var.numpy(), int(s[1].num_batches_tracked),
                    s[1].weight is m[1].weight))
    assert out[0][0] == out[1][0] and out[0][3:] == out[1][3:]
    np.testing.assert_allclose(out[1][1], out[0][1], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(out[1][2], out[0][2], rtol=1e-5)
