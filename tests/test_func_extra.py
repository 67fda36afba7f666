"""torch.func's functionalize, rearrange, replace_all_batch_norm_modules_ and debug_unwrap against PyTorch 2.13,
and rearrange against NumPy (transpose/reshape) without torch."""

import numpy as np
import pytest

import ember as E

PATTERNS = [((4, 6, 8, 3), "b h w c -> b h w c", {}), ((4, 6, 8, 3), "b h w c -> (b h) w c", {}),
            ((4, 6, 8, 3), "b h w c -> h (b w) c", {}), ((4, 6, 8, 3), "b h w c -> b c h w", {}),
            ((4, 6, 8, 3), "b h w c -> b (c h w)", {}),
            ((4, 6, 8, 3), "b (h h1) (w w1) c -> (b h1 w1) h w c", {"h1": 2, "w1": 2}),
            ((4, 6, 8, 3), "b (h h1) (w w1) c -> b h w (c h1 w1)", {"h1": 2, "w1": 2}),
            ((2, 3, 4), "a ... -> ... a", {}), ((2, 3, 4), "... c -> c ...", {}), ((2, 3, 4), "a ... -> (...) a", {}),
            ((2, 3, 4), "a b c -> a b c 1", {}), ((2, 1, 4), "a 1 c -> a c", {}), ((2, 1, 4), "a () c -> c a", {}),
            ((6, 4), "(a b) c -> a b c", {"a": 2}), ((6, 4), "(a b) c -> a b c", {"b": 2}),
            ((2, 3, 4), "a b c -> (a b c)", {}), ((2,), "a -> a ()", {})]
BAD = [((2, 3), "a b -> c", {}), ((2, 3), "a b -> a", {}), ((2, 3, 4), "a b -> a b", {}),
       ((6, 4), "(a b) c -> a b c", {"a": 4}), ((6, 4), "(a b) c -> a b c", {}), ((2, 3), "a b", {}),
       ((2, 3), "a b -> a ...", {}), ((2, 3), "a a -> a", {}), ((2, 3), "a b -> (a b", {}), ((2, 3), "a b! -> a b", {}),
       ((2, 3), "a b -> a b", {"c": 3}), ((2, 3), "a b -> a 2 b", {}), ((2, 3), "a b -> a b", {"a": 2.0})]


def _numpy_rearrange(x, pattern, **k):
    """The reference cases by hand: NumPy reshape/transpose."""
    return {"b h w c -> b c h w": lambda: x.transpose(0, 3, 1, 2),
            "b h w c -> (b h) w c": lambda: x.reshape(-1, x.shape[2], x.shape[3]),
            "b h w c -> h (b w) c": lambda: x.transpose(1, 0, 2, 3).reshape(x.shape[1], -1, x.shape[3]),
            "a ... -> ... a": lambda: np.moveaxis(x, 0, -1)}[pattern]()


def test_rearrange_against_numpy():
    for shape, pattern in (((4, 6, 8, 3), "b h w c -> b c h w"), ((4, 6, 8, 3), "b h w c -> (b h) w c"),
                           ((4, 6, 8, 3), "b h w c -> h (b w) c"), ((2, 3, 4), "a ... -> ... a")):
        x = np.arange(np.prod(shape)).reshape(shape)
        np.testing.assert_array_equal(E.func.rearrange(E.tensor(x), pattern).numpy(), _numpy_rearrange(x, pattern))
    with pytest.raises(AssertionError):  # the comparison sees a wrong order
        np.testing.assert_array_equal(E.func.rearrange(E.tensor(np.arange(6).reshape(2, 3)), "a b -> b a").numpy(),
                                      np.arange(6).reshape(3, 2))


def _run(m, shape, pattern, kw):
    x = m.arange(int(np.prod(shape))).reshape(shape)
    try:
        r = m.func.rearrange(x, pattern, **kw)
        return "ok", tuple(r.shape), r.reshape(-1).tolist()
    except Exception as e:  # noqa: BLE001  (compared)
        return type(e).__name__, str(e)


@pytest.mark.parametrize("case", PATTERNS + BAD)
def test_rearrange_as_pytorch(case):
    torch = pytest.importorskip("torch")
    assert _run(E, *case) == _run(torch, *case)


def test_rearrange_of_a_list_and_gradient():
    torch = pytest.importorskip("torch")
    assert E.func.rearrange([E.zeros(2), E.ones(2)], "n d -> d n").tolist() == \
        torch.func.rearrange([torch.zeros(2), torch.ones(2)], "n d -> d n").tolist()
    x = E.randn(2, 3, requires_grad=True)
    E.func.rearrange(x, "a b -> b a").sum().backward()
    assert x.grad.tolist() == [[1.0] * 3] * 2


def _fz(m):
    out = {}
    x = m.arange(4.0)

    def view(a):
        return a.view(2, 2)

    for rm in ("mutations", "mutations_and_views"):
        y = m.func.functionalize(view, remove=rm)(x)
        out[rm] = (y.tolist(), y.data_ptr() == x.data_ptr())

    def mutate(a):
        b = a[:2]
        b.add_(1)
        return a

    z = x.clone()
    r = m.func.functionalize(mutate)(z)
    out["mutate"] = (z.tolist(), r is z, r.tolist())

    def loss(a):
        b = a.clone()
        b.mul_(3)
        return b.sum()

    out["grad"] = m.func.grad(m.func.functionalize(loss))(m.arange(3.0)).tolist()
    out["name"] = m.func.functionalize(loss).__name__
    try:
        m.func.functionalize(loss, remove="bad")
    except RuntimeError as e:
        out["bad"] = str(e)
    return out


def test_functionalize_as_pytorch():
    torch = pytest.importorskip("torch")
    assert _fz(E) == _fz(torch)


def test_replace_all_batch_norm_modules_as_pytorch():
    torch = pytest.importorskip("torch")
    res = []
    for m in (E, torch):
        net = m.nn.Sequential(m.nn.BatchNorm1d(3), m.nn.InstanceNorm1d(3, track_running_stats=True),
                              m.nn.Sequential(m.nn.BatchNorm2d(2)), m.nn.Linear(2, 2))
        assert m.func.replace_all_batch_norm_modules_(net) is net
        res.append([(type(x).__name__, x.track_running_stats, x.running_mean is None, sorted(x.state_dict()))
                    for x in (net[0], net[1], net[2][0])])
        net[0].train()
        y = net[0](m.randn(4, 3))
        res.append(tuple(y.shape))
    assert res[:2] == res[2:]


def test_debug_unwrap():
    x = E.randn(3)
    assert E.func.debug_unwrap(x) is x and E.func.debug_unwrap(x, recurse=False) is x
