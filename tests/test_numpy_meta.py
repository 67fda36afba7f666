"""The NumPy protocol (np.asarray(t), ufuncs on tensors, NumPy scalars as operands) and the meta device,
each compared with PyTorch 2.13."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import ember
from ember._core.tensor import meta_tensor, to_meta

torch = pytest.importorskip("torch")

NUMPY_CASES = [
    "np.asarray(t)", "np.array(t)", "np.exp(t)", "t.numpy()", "t.numpy(force=True)", "t.detach().numpy()",
    "np.asarray(u)", "np.asarray(u, dtype=np.float64)", "u.__array__(np.float64)",
    "np.shares_memory(np.asarray(u), u.numpy())", "np.shares_memory(np.array(u), u.numpy())",
    "np.float64(2) * u", "u * np.float64(2)", "np.float32(2) * u", "np.int64(2) * u",
    "np.float64(2) + L.tensor([1, 2])", "L.tensor([1, 2]) * np.float64(2)", "np.float64(2) - u",
    "np.float64(2) / u", "np.float64(2) ** u", "np.float64(2) < u", "np.int32(3) // L.tensor([2])",
    "np.int32(3) % L.tensor([2])", "np.complex128(1j) * u", "np.float16(2) * L.tensor([1])",
    "np.int8(2) * L.tensor([1], dtype=L.int16)", "np.bool_(True) * L.tensor([1])", "np.float64(1) == u",
    "np.float64(1) != u", "np.int64(1) > u", "np.float64(2) * t", "(np.float64(2) * t).grad_fn.name()",
    "np.float64(1.5) + L.tensor([1], dtype=L.int32)", "L.tensor([1], dtype=L.uint8) + np.int64(300)",
    "np.uint8(200) + L.tensor([100], dtype=L.uint8)", "np.array([1., 2.]) * u", "u * np.array([1., 2.])",
    "np.array(2.0) * u", "u + np.array(2.0)", "np.exp(u)", "np.add(u, 1)", "np.sin(u)", "np.isnan(u)",
    "np.maximum(u, 1.5)", "np.exp(L.tensor(1.))", "np.concatenate([u, u])", "np.sum(u)", "u.__array_priority__",
    "u.__array_wrap__(np.array([3., 4.]))", "u.__array_wrap__(np.array([True]))", "L.tensor([1, 2, 3])[np.int64(1)]",
    "u[np.array([1, 0])]",
]


def _describe(r):
    if isinstance(r, (torch.Tensor, ember.Tensor)):
        return ("Tensor", str(r.dtype), r.detach().tolist(), r.requires_grad)
    if isinstance(r, np.ndarray):
        return ("ndarray", str(r.dtype), r.tolist())
    return (type(r).__name__, r if not isinstance(r, np.generic) else r.item())


@pytest.mark.parametrize("expr", NUMPY_CASES)
def test_numpy_protocol_matches_pytorch(expr):
    def run(L):
        env = {"np": np, "L": L, "t": L.tensor([1.0, 2.0], requires_grad=True), "u": L.tensor([1.0, 2.0])}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # PyTorch's own __array__ / __array_wrap__ DeprecationWarnings
            try:
                return _describe(eval(expr, env))
            except Exception as e:  # noqa: BLE001
                return ("error", type(e).__name__, str(e).split("\n")[0])
    assert run(ember) == run(torch)


def test_array_copy_keyword_follows_numpy2():
    """ember implements NumPy 2's __array__(dtype, copy): copy=True copies, copy=False never does (and says so
    when a dtype change needs one). PyTorch's __array__ lacks `copy` (NumPy warns and copies for it)."""
    u = ember.tensor([1.0, 2.0])
    assert not np.shares_memory(u.__array__(copy=True), u.numpy())
    assert np.shares_memory(u.__array__(copy=False), u.numpy())
    assert np.shares_memory(np.asarray(u), u.numpy()) and np.asarray(u) is not u._data
    with pytest.raises(ValueError, match="Unable to avoid copy"):
        u.__array__(np.float64, copy=False)


# -- the meta device --------------------------------------------------------------------------------------------

def _meta(L, shape, dtype=None):
    if L is torch:
        return torch.empty(shape, device="meta", dtype=dtype)
    return meta_tensor(shape, dtype)


# op on meta operands, as f(L, a, b) with a (3, 4) float32 and b (4, 5) float32 meta tensors
META_OPS = {
    "matmul": lambda L, a, b: a @ b, "linear": lambda L, a, b: L.nn.functional.linear(a, b.T),
    "cat": lambda L, a, b: L.cat([a, a]), "stack": lambda L, a, b: L.stack([a, a], 1),
    "einsum": lambda L, a, b: L.einsum("ij,jk->ik", a, b), "reshape": lambda L, a, b: a.reshape(2, 6),
    "expand": lambda L, a, b: a.unsqueeze(0).expand(5, 3, 4), "transpose": lambda L, a, b: a.T,
    "softmax": lambda L, a, b: L.softmax(a, 1), "sum_dim": lambda L, a, b: a.sum(1, keepdim=True),
    "mean": lambda L, a, b: a.mean(), "gelu": lambda L, a, b: L.nn.functional.gelu(a),
    "layer_norm": lambda L, a, b: L.nn.functional.layer_norm(a, (4,)), "cumsum": lambda L, a, b: a.cumsum(0),
    "to_int": lambda L, a, b: a.to(L.int64), "half": lambda L, a, b: a.half(), "clone": lambda L, a, b: a.clone(),
    "index_select": lambda L, a, b: a.index_select(0, L.tensor([0, 2], device=a.device)),
    "masked_fill": lambda L, a, b: a.masked_fill(a > 0, 1.0), "chunk": lambda L, a, b: a.chunk(2, 1)[1],
    "mul_scalar": lambda L, a, b: a * 2, "exp": lambda L, a, b: a.exp(), "relu": lambda L, a, b: L.relu(a),
    "eq": lambda L, a, b: a == a, "pow": lambda L, a, b: a.pow(2), "abs": lambda L, a, b: a.abs(),
    "max_dim": lambda L, a, b: a.max(1).values, "argmax": lambda L, a, b: a.argmax(),
    "sort": lambda L, a, b: a.sort(1).values, "topk": lambda L, a, b: a.topk(2).values,
    "pad": lambda L, a, b: L.nn.functional.pad(a, (1, 1)), "where": lambda L, a, b: L.where(a > 0, a, a),
    "conv2d": lambda L, a, b: L.nn.functional.conv2d(_meta(L, (2, 3, 10, 10)), _meta(L, (5, 3, 2, 2))),
    "var": lambda L, a, b: a.var(), "flatten": lambda L, a, b: a.flatten(), "sqrt": lambda L, a, b: a.sqrt(),
}

# ops whose result on meta operands is not (yet) a meta tensor in ember: their op family computes through a
# path NumPy does not hand back (np.ascontiguousarray, a kernel writing into np.empty(...), fancy indexing).
# The test fails if one starts giving a meta result, so the list only shrinks.
META_KNOWN_FAILURES = {"eq", "argmax", "pad", "where"}


@pytest.mark.parametrize("op", sorted(META_OPS))
def test_ops_on_meta_tensors_give_meta_results(op):
    def run(L):
        r = META_OPS[op](L, _meta(L, (3, 4)), _meta(L, (4, 5)))
        return (r.is_meta, str(r.device), list(r.shape), str(r.dtype))
    want, got = run(torch), run(ember)
    assert want[0] is True
    if op in META_KNOWN_FAILURES:
        assert got != want, f"{op} gives a meta result now: remove it from META_KNOWN_FAILURES"
        assert got[2:] == want[2:]  # the shape and dtype are right all the same
    else:
        assert got == want


def test_meta_tensors_print_and_refuse_values_as_pytorch():
    def run(L):
        a = _meta(L, (3, 4))
        out = [repr(a), repr(a.double()), repr(_meta(L, (2,), L.int64)), repr(_meta(L, ())), str(a.device),
               a.is_meta, a.is_cpu, list(a.shape), a.numel(), a.nbytes, a.data_ptr(), repr(a.untyped_storage())]
        for f in (lambda: a.item(), lambda: a.tolist(), lambda: a.numpy(), lambda: np.asarray(a),
                  lambda: float(_meta(L, ())), lambda: bool(_meta(L, ())), lambda: int(_meta(L, (), L.int64)),
                  lambda: f"{_meta(L, ())}"):
            try:
                out.append(("ok", f()))
            except Exception as e:  # noqa: BLE001
                out.append((type(e).__name__, str(e)))
        return out
    assert run(ember) == run(torch)
    p = ember.nn.Parameter(meta_tensor((2,)))
    assert repr(p) == repr(torch.nn.Parameter(torch.empty(2, device="meta")))


def test_meta_arrays_take_no_memory():
    a = meta_tensor((1024, 3, 2 ** 16, 2 ** 16))  # 13 trillion elements
    b = a.reshape(1024, 3, -1).transpose(1, 2)
    assert b.is_meta and list(b.shape) == [1024, 2 ** 32, 3] and a._data.strides == (0, 0, 0, 0)
    assert (a @ meta_tensor((2 ** 16, 8))).shape == (1024, 3, 2 ** 16, 8)


def test_to_meta_keeps_shape_dtype_and_requires_grad():
    w = ember.randn(3, 2, dtype=ember.float64, requires_grad=True)
    m = to_meta(w)
    assert m.is_meta and m.shape == w.shape and m.dtype == ember.float64 and m.requires_grad


def test_meta_is_an_accepted_device():
    from ember._core.tensor import _check_device
    assert _check_device("meta") == "meta" and _check_device(ember.device("meta")) == "meta"
    assert _check_device(None) == "cpu"
    with ember.device("meta"):
        assert _check_device(None) == "meta" and ember.get_default_device() == ember.device("meta")
    assert ember.get_default_device() == ember.device("cpu")


def _meta_programs(L):
    """What a program sees of the meta device through the public API: factories (with device= and under
    ``with device("meta")``), *_like and new_* following their input's device, .to() both ways, modules built on
    it, moved to it and materialised with to_empty, layers run on it, and a generator nothing was drawn from."""
    nn, F = L.nn, L.nn.functional
    out = []

    def show(*xs):
        out.append(" ".join(repr(x) if isinstance(x, L.Tensor) else str(x) for x in xs))

    def error(f):
        try:
            f()
        except Exception as e:  # noqa: BLE001
            out.append(f"{type(e).__name__}: {e}")

    L.manual_seed(0)
    x = L.ones(2)
    with L.device("meta"):
        show(L.zeros_like(x).device, L.tensor([1.]).device, x.new_zeros(2).device, L.randn(2).device,
             L.arange(3).device, L.as_tensor([1.]).device, nn.Parameter(L.ones(2)).device, (x + 1).device,
             L.full((2,), 1.).device, L.eye(2).device, L.linspace(0, 1, 3).device, L.scalar_tensor(1.).device)
        show(L.rand(2), L.randint(3, (2,)), L.randperm(3), L.normal(0., 1., (2,)).device)
        net = nn.Sequential(nn.Linear(1000, 1000), nn.LayerNorm(1000), nn.Conv2d(3, 4, 3), nn.BatchNorm1d(3),
                            nn.LSTM(3, 4), nn.Embedding(5, 3))
    m = L.ones(2, device="meta")
    show(L.zeros_like(m), m.new_zeros(3), m.new_tensor([1.]), m.new_full((2,), 3.), L.rand_like(m), L.randn_like(m),
         L.randint_like(m, 5), L.full_like(m, 2.), L.ones_like(m, device="cpu"), L.empty(2, 3, device="meta"))
    t = L.empty(3, 4, device="meta")
    nn.init.kaiming_uniform_(t)
    nn.init.trunc_normal_(t)
    t.uniform_().bernoulli_(0.5).random_(0, 3).exponential_().normal_()
    show(L.bernoulli(m), L.multinomial(L.ones(3, device="meta"), 2), L.normal(m, m), L.poisson(m),
         F.dropout(m, 0.5), m * 2, m + m, m.exp(), m.sum(), m.mean())
    show(net[0].weight, net[3].running_mean, net[3].num_batches_tracked, net[4].weight_hh_l0)
    show(net[0](L.empty(2, 1000, device="meta")), net[2](L.empty(1, 3, 8, 8, device="meta")),
         net[4](L.empty(5, 1, 3, device="meta"))[0])
    show(F.cross_entropy(L.empty(4, 10, device="meta"), L.empty(4, dtype=L.long, device="meta")))
    show(L.rand(2))  # nothing was drawn above
    w = L.ones(2, requires_grad=True)
    show(w.to("meta"), w.to("meta").is_leaf, L.ones(2).to(device="meta", dtype=L.float64), L.ones(2).to(m),
         L.ones(2, dtype=L.int64).to(m))
    error(lambda: m.cpu())
    error(lambda: m.to("cpu"))
    error(lambda: w.to("meta").numpy())
    lin = nn.Linear(2, 3).to("meta")
    show(lin.weight, type(lin.weight).__name__, lin.weight.is_leaf, nn.Linear(2, 3).to("meta", L.float64).bias)
    net = net.to_empty(device="cpu")
    show(net[0].weight.device, net[0].weight.shape, net[3].running_var.device, net[4].weight_ih_l0.device)
    return out


def test_the_meta_device_through_the_public_api_as_pytorch():
    assert _meta_programs(ember) == _meta_programs(torch)


def test_a_meta_comparison_sees_a_difference():
    # the comparison above is only as good as what it prints: a tensor that is not meta prints differently
    assert repr(ember.zeros(2)) != repr(ember.zeros(2, device="meta"))
    assert repr(torch.zeros(2)) != repr(torch.zeros(2, device="meta"))
