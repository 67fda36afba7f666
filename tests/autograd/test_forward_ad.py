"""Forward-mode AD (dual tensors) against PyTorch's torch.autograd.forward_ad and against finite differences."""

import numpy as np
import pytest

import ember
import ember.autograd.forward_ad as fwAD

torch = pytest.importorskip("torch")
tfwAD = pytest.importorskip("torch.autograd.forward_ad")

UNARY = ["exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "sqrt", "rsqrt", "reciprocal", "sin", "cos",
         "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "asinh", "atanh", "sigmoid", "erf", "neg", "abs",
         "relu", "floor", "ceil", "trunc", "sign", "frac", "round", "sgn", "deg2rad", "rad2deg", "logit"]


def _run(lib, fad, fn, xs, ts):
    with fad.dual_level():
        duals = [fad.make_dual(lib.tensor(x), lib.tensor(t)) for x, t in zip(xs, ts)]
        y = fn(lib, *duals)
        p, tg = fad.unpack_dual(y)
        return p.detach().numpy(), None if tg is None else tg.detach().numpy()


def _both(fn, xs, ts, rtol=1e-10):
    ep, et = _run(ember, fwAD, fn, xs, ts)
    tp, tt = _run(torch, tfwAD, fn, xs, ts)
    np.testing.assert_allclose(ep, tp, rtol=rtol, equal_nan=True)
    np.testing.assert_allclose(et, tt, rtol=rtol, atol=1e-12, equal_nan=True)
    return et


@pytest.mark.parametrize("name", UNARY)
def test_unary_tangents_equal_torch(name):
    rng = np.random.default_rng(0)
    x = rng.uniform(0.1, 0.9, 7) if name in ("log", "log2", "log10", "sqrt", "rsqrt", "asin", "acos", "atanh",
                                              "logit", "reciprocal") else rng.standard_normal(7)
    _both(lambda lib, d: getattr(lib, name)(d), [x], [rng.standard_normal(7)])


@pytest.mark.parametrize("expr", [
    lambda lib, a, b: a * b + a / (b * b + 1) - 2 * a,
    lambda lib, a, b: (a ** 2) * lib.sin(b) + b ** 3,
    lambda lib, a, b: lib.tensor(np.arange(12.0).reshape(3, 4)) @ lib.tanh(a) + b.exp().sum(),
    lambda lib, a, b: lib.maximum(a, b) - lib.atan2(a, b),
    lambda lib, a, b: a.reshape(2, 2).t() * b.reshape(2, 2),
    lambda lib, a, b: a[1:3] * b[0],
])
def test_composite_tangents_equal_torch(expr):
    rng = np.random.default_rng(1)
    n = 4
    _both(expr, [rng.standard_normal(n), rng.uniform(0.5, 2, n)], [rng.standard_normal(n), rng.standard_normal(n)])


def test_tangent_equals_finite_difference():
    rng = np.random.default_rng(2)
    x, v = rng.standard_normal(5), rng.standard_normal(5)

    def f(lib, d):
        return lib.sigmoid(d) * lib.cos(d * 3) + lib.log1p(d * d)

    _, tangent = _run(ember, fwAD, f, [x], [v])
    h = 1e-6
    fd = (f(ember, ember.tensor(x + h * v)).numpy() - f(ember, ember.tensor(x - h * v)).numpy()) / (2 * h)
    np.testing.assert_allclose(tangent, fd, rtol=1e-6, atol=1e-9)


def test_linear_layer_and_in_place_and_views():
    w = np.arange(6.0).reshape(3, 2) / 7
    for lib, fad in ((ember, fwAD), (torch, tfwAD)):
        with fad.dual_level():
            d = fad.make_dual(lib.tensor([1.0, 2.0], dtype=lib.float64), lib.tensor([1.0, 0.0], dtype=lib.float64))
            z = d.clone()
            z.mul_(3)
            r = (lib.tensor(w) @ d, fad.unpack_dual(z).tangent, fad.unpack_dual(d[0]).tangent)
            if lib is ember:
                e = [fad.unpack_dual(r[0]).tangent.numpy(), r[1].numpy(), r[2].numpy()]
            else:
                t = [fad.unpack_dual(r[0]).tangent.numpy(), r[1].numpy(), r[2].numpy()]
    for a, b in zip(e, t):
        np.testing.assert_allclose(a, b, rtol=1e-12)


def test_errors_and_levels_as_torch():
    def errors(lib, fad):
        x = lib.tensor([1.0, 2.0])
        out = []
        for call in (lambda: fad.make_dual(x, lib.tensor([1.0, 0.0])), lambda: fad.exit_dual_level()):
            try:
                call()
                out.append("ok")
            except Exception as e:  # noqa: BLE001  (the class and text are what is compared)
                out.append(f"{type(e).__name__}: {e}")
        with fad.dual_level() as level:
            out.append(level)
            for call in (lambda: fad.make_dual(x, lib.tensor([1, 2])),
                         lambda: fad.make_dual(lib.tensor([1, 2]), lib.tensor([1, 2])),
                         lambda: fad.make_dual(x, lib.tensor([1.0, 2.0, 3.0])),
                         lambda: fad.enter_dual_level()):
                try:
                    call()
                    out.append("ok")
                except Exception as e:  # noqa: BLE001
                    out.append(f"{type(e).__name__}: {e}")
            d = fad.make_dual(x, lib.tensor([1.0, 0.0]))
            y = d * 2
            out.append(repr(y))
            out.append((d.requires_grad, d.grad_fn is None, d._base is x))
        out.append(fad.unpack_dual(y).tangent)  # dropped when the level exited
        out.append(tuple(type(fad.unpack_dual(x))._fields))
        return out

    assert errors(ember, fwAD) == errors(torch, tfwAD)


def test_forward_over_reverse_gradient_tangent():
    """The tangent of a gradient (a Hessian-vector product) through the backward formulas."""
    rng = np.random.default_rng(3)
    x, v = rng.standard_normal(4), rng.standard_normal(4)
    res = []
    for lib, fad in ((ember, fwAD), (torch, tfwAD)):
        with fad.dual_level():
            p = lib.tensor(x, requires_grad=True)
            d = fad.make_dual(p, lib.tensor(v))
            y = (lib.sin(d) * d * d).sum()
            (g,) = lib.autograd.grad(y, p, create_graph=True)
            res.append(fad.unpack_dual(g).tangent.detach().numpy())
    np.testing.assert_allclose(res[0], res[1], rtol=1e-10)


def test_the_checker_rejects_a_wrong_tangent(monkeypatch):
    from ember.ops import unary
    monkeypatch.setattr(unary.SinBackward0, "jvp", lambda self, t: t * 2)
    with pytest.raises(AssertionError):
        _both(lambda lib, d: lib.sin(d), [np.array([0.3, 0.4])], [np.array([1.0, 1.0])])


def test_the_op_checks_come_off_after_forward_mode():
    """While forward mode is in use every op is wrapped with the missing-tangent check; once no dual level is open,
    IDLE_CALLS calls later the ops are themselves again (no extra frame, the namespace's own functions)"""
    import ember
    import ember.autograd.forward_ad as fwad
    y = ember.randn(3)
    for _ in range(fwad.IDLE_CALLS + 1):  # whatever earlier tests left installed comes off first
        y = ember.exp(y * 0)
    exp = ember.exp
    with fwad.dual_level():
        x = fwad.make_dual(ember.randn(3), ember.ones(3))
        assert ember.exp is not exp  # checked
        assert fwad.unpack_dual(ember.exp(x)).tangent is not None
    for _ in range(fwad.IDLE_CALLS + 1):
        y = ember.exp(y * 0)
    assert ember.exp is exp and ember.Tensor.exp.__name__ == "exp" and not fwad._wrapped
    with fwad.dual_level():  # and they come back for the next level
        assert ember.exp is not exp
        x = fwad.make_dual(ember.randn(3), ember.ones(3))
        assert fwad.unpack_dual(x.exp()).tangent is not None
