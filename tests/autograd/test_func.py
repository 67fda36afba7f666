"""torch.func's transforms against finite differences in float64 (no PyTorch needed): jvp, jacfwd, jacrev,
hessian (forward-over-reverse), linearize, vjp, and their compositions; the corpus compares them with PyTorch."""

import numpy as np
import pytest

import ember
from ember.func import grad, hessian, jacfwd, jacrev, jvp, linearize, vjp, vmap

RNG = np.random.default_rng(7)
W = ember.tensor(RNG.standard_normal((3, 4)))
B = ember.tensor(RNG.standard_normal(3))


def net(x):
    """R^4 -> R^3 through the common op families: matmul, broadcast add, unary, reduction."""
    h = ember.tanh(W @ x + B)
    return h * x[:3].exp() + (x * x).sum() * h.sigmoid()


def loss(x):
    return (net(x) ** 2).sum() + (x.sin() * x.cos()).sum() ** 2


def fd_jacobian(f, x, eps=1e-6):
    """Central differences, one column per input element."""
    base = x.numpy()
    cols = []
    for i in range(base.size):
        d = np.zeros_like(base)
        d.flat[i] = eps
        cols.append((f(ember.tensor(base + d)).numpy() - f(ember.tensor(base - d)).numpy()) / (2 * eps))
    return np.stack(cols, -1).reshape(f(x).shape + x.shape)


def assert_matches_fd(got, f, x, rtol=1e-6, atol=1e-8):
    np.testing.assert_allclose(got.numpy(), fd_jacobian(f, x), rtol=rtol, atol=atol)


X = ember.tensor(RNG.standard_normal(4))


def test_jvp_is_the_directional_derivative():
    v = ember.tensor(RNG.standard_normal(4))
    out, tangent = jvp(net, (X,), (v,))
    np.testing.assert_allclose(out.numpy(), net(X).numpy())
    np.testing.assert_allclose(tangent.numpy(), fd_jacobian(net, X) @ v.numpy(), rtol=1e-6, atol=1e-9)


def test_jacfwd_and_jacrev_are_the_jacobian():
    assert_matches_fd(jacfwd(net)(X), net, X)
    assert_matches_fd(jacrev(net)(X), net, X)


def test_hessians_every_way_round():
    g = grad(loss)
    h_fd = fd_jacobian(g, X)
    for name, h in [("hessian (fwd over rev)", hessian(loss)(X)), ("jacfwd(jacfwd)", jacfwd(jacfwd(loss))(X)),
                    ("jacrev(jacrev)", jacrev(jacrev(loss))(X)), ("jacrev(jacfwd)", jacrev(jacfwd(loss))(X))]:
        np.testing.assert_allclose(h.numpy(), h_fd, rtol=1e-5, atol=1e-7, err_msg=name)
        assert h.grad_fn is None and not h.requires_grad, name


def test_structures_argnums_and_aux():
    def f(a, b):
        return (a * b, a.sum() * b[0]), "aux"
    a, b = ember.tensor([1.0, 2.0], dtype=ember.float64), ember.tensor([3.0, -1.0], dtype=ember.float64)
    for transform in (jacfwd, jacrev):
        (jaa, jab), (jsa, jsb) = transform(lambda a, b: f(a, b)[0], argnums=(0, 1))(a, b)
        np.testing.assert_allclose(jaa.numpy(), np.diag(b.numpy()))
        np.testing.assert_allclose(jab.numpy(), np.diag(a.numpy()))
        np.testing.assert_allclose(jsa.numpy(), [3.0, 3.0])
        np.testing.assert_allclose(jsb.numpy(), [3.0, 0.0])
        jac, aux = transform(f, has_aux=True)(a, b)
        assert aux == "aux" and jac[0].shape == (2, 2)
    d = jacfwd(lambda p: {"y": p["w"].sin()})({"w": a})
    np.testing.assert_allclose(d["y"]["w"].numpy(), np.diag(np.cos(a.numpy())))


def test_linearize_and_vjp():
    out, fn = linearize(net, X)
    v = ember.tensor(RNG.standard_normal(4))
    np.testing.assert_allclose(fn(v).numpy(), fd_jacobian(net, X) @ v.numpy(), rtol=1e-6, atol=1e-9)
    out, vjp_fn = vjp(net, X)
    u = ember.tensor(RNG.standard_normal(3))
    (g,) = vjp_fn(u)
    np.testing.assert_allclose(g.numpy(), u.numpy() @ fd_jacobian(net, X), rtol=1e-6, atol=1e-9)
    with pytest.raises(RuntimeError, match="Mismatch in shape"):
        vjp_fn(ember.ones(2, dtype=ember.float64))


def test_hvp_forward_over_reverse_and_per_sample_grads():
    v = ember.tensor(RNG.standard_normal(4))
    hv = jvp(grad(loss), (X,), (v,))[1]
    np.testing.assert_allclose(hv.numpy(), fd_jacobian(grad(loss), X) @ v.numpy(), rtol=1e-5, atol=1e-7)
    xs = ember.tensor(RNG.standard_normal((5, 4)))
    per = vmap(grad(loss))(xs)
    for i in range(5):
        np.testing.assert_allclose(per[i].numpy(), fd_jacobian(loss, xs[i]).reshape(4), rtol=1e-5, atol=1e-7)


def test_results_are_differentiable_only_when_the_inputs_are():
    assert grad(loss)(X).grad_fn is None
    xr = X.clone().requires_grad_()
    g = grad(loss)(xr)  # composes with regular autograd, as PyTorch's transforms do
    assert g.requires_grad
    g.sum().backward()
    np.testing.assert_allclose(xr.grad.numpy(), fd_jacobian(grad(loss), X).sum(0), rtol=1e-5, atol=1e-7)


def test_errors_as_pytorch():
    with pytest.raises(RuntimeError, match="Expected primals to be a tuple"):
        jvp(ember.sin, X, (X,))
    with pytest.raises(RuntimeError, match="same python structure"):
        jvp(ember.sin, (X,), X)
    with pytest.raises(RuntimeError, match="Got argnum=1, but only 1 positional inputs"):
        jacrev(ember.sin, argnums=1)(X)
    with pytest.raises(RuntimeError, match="Expected f\\(\\*args\\) to return a scalar Tensor"):
        grad(ember.sin)(X)


def test_the_fd_comparison_rejects_a_wrong_tangent_rule(monkeypatch):
    from ember.ops import unary
    monkeypatch.setattr(unary.TanhBackward0, "jvp", lambda self, t: t * 1.01)
    with pytest.raises(AssertionError):
        assert_matches_fd(jacfwd(net)(X), net, X)
    assert_matches_fd(jacrev(net)(X), net, X)  # reverse mode does not use the rule


def test_a_branch_autograd_grad_did_not_run_keeps_its_saved_tensors():
    """As PyTorch: autograd.grad(t, w) runs only the nodes leading to w; exp's node is kept for a later backward."""
    x = ember.ones(2, requires_grad=True)
    w = ember.ones(2, requires_grad=True)
    a = x.exp()
    s, t = a.sum(), (a * w).sum()
    ember.autograd.grad(t, w)
    s.backward()
    np.testing.assert_allclose(x.grad.numpy(), [np.e, np.e])
