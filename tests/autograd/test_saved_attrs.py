"""grad_fn._saved_<name>: the same attribute names and values as PyTorch's for the common nodes (tensors compared
by what they are: the input itself, the output's values, or another tensor of a shape), before and after backward."""

import pytest

import ember

OPS = {
    "mul": lambda L, a, b, m, v: a * b, "mul_s": lambda L, a, b, m, v: a * 2, "mul_nograd": lambda L, a, b, m, v: a * b.detach(),
    "add": lambda L, a, b, m, v: L.add(a, b, alpha=2), "sub": lambda L, a, b, m, v: a - b,
    "div": lambda L, a, b, m, v: a / b, "div_s": lambda L, a, b, m, v: a / 2, "exp": lambda L, a, b, m, v: a.exp(),
    "log": lambda L, a, b, m, v: a.log(), "tanh": lambda L, a, b, m, v: a.tanh(), "relu": lambda L, a, b, m, v: a.relu(),
    "sin": lambda L, a, b, m, v: a.sin(), "pow_s": lambda L, a, b, m, v: a ** 3, "pow_t": lambda L, a, b, m, v: a ** b,
    "sum": lambda L, a, b, m, v: a.sum(), "sum_d": lambda L, a, b, m, v: a.sum(1), "mean": lambda L, a, b, m, v: a.mean(),
    "mean_d": lambda L, a, b, m, v: a.mean(0, keepdim=True), "mm": lambda L, a, b, m, v: a @ m,
    "mm_nograd": lambda L, a, b, m, v: a @ m.detach(), "mv": lambda L, a, b, m, v: a @ v,
    "dot": lambda L, a, b, m, v: v @ v, "linear": lambda L, a, b, m, v: L.nn.functional.linear(a, m.t(), v[:2]),
    "view": lambda L, a, b, m, v: a.view(12), "unsqueeze": lambda L, a, b, m, v: a.unsqueeze(0),
    "squeeze": lambda L, a, b, m, v: a.unsqueeze(0).squeeze(0), "select": lambda L, a, b, m, v: a[0],
    "slice": lambda L, a, b, m, v: a[1:], "select_slice": lambda L, a, b, m, v: a[0, 1:3],
    "index": lambda L, a, b, m, v: a[L.tensor([0, 2])], "transpose": lambda L, a, b, m, v: a.transpose(0, 1),
    "permute": lambda L, a, b, m, v: a.permute(1, 0), "cat": lambda L, a, b, m, v: L.cat([a, b]),
    "softmax": lambda L, a, b, m, v: a.softmax(1), "max": lambda L, a, b, m, v: a.max(),
    "max_d": lambda L, a, b, m, v: a.max(1)[0], "clamp": lambda L, a, b, m, v: a.clamp(-1, 1),
    "mse": lambda L, a, b, m, v: L.nn.functional.mse_loss(a, b),
    "ce": lambda L, a, b, m, v: L.nn.functional.cross_entropy(a, L.tensor([0, 1, 2])),
    "gelu": lambda L, a, b, m, v: L.nn.functional.gelu(a), "where": lambda L, a, b, m, v: L.where(a > 0, a, b),
    "norm": lambda L, a, b, m, v: a.norm(), "std": lambda L, a, b, m, v: a.std(), "prod": lambda L, a, b, m, v: a.prod(),
    "layer_norm": lambda L, a, b, m, v: L.nn.functional.layer_norm(a, (4,)),
    "embedding": lambda L, a, b, m, v: L.nn.functional.embedding(L.tensor([0, 2]), a),
    "logsumexp": lambda L, a, b, m, v: a.logsumexp(1), "split": lambda L, a, b, m, v: a.split(2)[0],
}


def describe(L, name):
    L.manual_seed(0)
    a, b = L.randn(3, 4, requires_grad=True), L.randn(3, 4, requires_grad=True)
    m, v = L.randn(4, 2, requires_grad=True), L.randn(4, requires_grad=True)
    y = OPS[name](L, a, b, m, v)
    fn = y.grad_fn
    out = [type(fn).__name__]
    for attr in sorted(n for n in dir(fn) if n.startswith("_saved_")):
        val = getattr(fn, attr)
        if L.is_tensor(val):
            who = next((k for k, t in (("a", a), ("b", b), ("m", m), ("v", v)) if val is t), None)
            if who is None:
                who = "=y" if val.shape == y.shape and val.dtype == y.dtype and L.allclose(val, y.detach()) else "T"
            out.append(f"{attr}=<{who} {tuple(val.shape)} {str(val.dtype)}>")
        else:
            out.append(f"{attr}={val!r}")
    y.sum().backward()
    for attr in sorted(n for n in dir(fn) if n.startswith("_saved_")):
        try:
            val = getattr(fn, attr)
            out.append(f"after {attr}: {'tensor' if L.is_tensor(val) else repr(val)}")
        except RuntimeError as e:
            out.append(f"after {attr}: RuntimeError {str(e)[:40]}")
    return out


@pytest.mark.parametrize("name", list(OPS))
def test_saved_attributes_are_pytorchs(name):
    torch = pytest.importorskip("torch")
    assert describe(ember, name) == describe(torch, name)


def test_the_description_sees_a_wrong_value():
    got = describe(ember, "sum_d")
    assert "_saved_dim=(1,)" in got
    assert describe(ember, "sum") != got


def test_raw_saved_tensor_hooks_and_errors():
    x = ember.tensor([1., 2., 3.], requires_grad=True)
    y = x.pow(2)
    seen = []
    y.grad_fn._raw_saved_self.register_hooks(lambda t: seen.append("pack") or t * 1,
                                             lambda t: seen.append("unpack") or t)
    y.sum().backward()
    assert seen == ["pack", "unpack"] and x.grad.tolist() == [2., 4., 6.]
    with pytest.raises(RuntimeError, match="after it has been freed"):
        y.grad_fn._raw_saved_self.register_hooks(lambda t: t, lambda t: t)
    y = x.pow(2)
    raw = y.grad_fn._raw_saved_self
    raw.register_hooks(lambda t: t, lambda t: t)
    with pytest.raises(RuntimeError, match="whose hooks have already been set"):
        raw.register_hooks(lambda t: t, lambda t: t)
    with pytest.raises(TypeError, match="incompatible function arguments"):
        x.exp().grad_fn._raw_saved_result.register_hooks(1, lambda t: t)
    assert (x * 2).grad_fn._raw_saved_self is None  # not saved: the other operand needs no grad
    with pytest.raises(AttributeError, match="'MulBackward0' object has no attribute '_saved_nothing'"):
        _ = (x * 2).grad_fn._saved_nothing
