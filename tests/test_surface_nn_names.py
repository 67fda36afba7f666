"""Names taken off the not-offered list, checked against PyTorch: nn.init's deprecated aliases, nn.attention,
nn.DataParallel, nn.grad, nn.factory_kwargs, torch.sym_*, torch.futures, the torch.* spellings of 3-D
convolution and pooling, CTC, the native_* norms and dropout, and the recurrent cells."""

from __future__ import annotations

import numpy as np
import pytest

import ember

torch = pytest.importorskip("torch")


def E(a, rg=False):
    return ember.tensor(np.asarray(a), requires_grad=rg)


def T(a, rg=False):
    return torch.tensor(np.asarray(a), requires_grad=rg)


def close(e, t, tol=1e-5):
    np.testing.assert_allclose(np.asarray(e.detach().numpy()), t.detach().numpy(), rtol=tol, atol=tol)


# ---- nn.init ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name,args", [("eye", ()), ("dirac", ()), ("sparse", (0.5,))])
def test_init_deprecated_aliases_warn_and_fill(name, args):
    shape = (4, 4, 3) if name == "dirac" else (4, 4)
    ember.manual_seed(0)
    torch.manual_seed(0)
    with pytest.warns(FutureWarning) as e_rec:
        e = getattr(ember.nn.init, name)(ember.empty(shape), *args)
    with pytest.warns(FutureWarning) as t_rec:
        t = getattr(torch.nn.init, name)(torch.empty(shape), *args)
    assert str(e_rec[0].message) == str(t_rec[0].message)
    assert getattr(ember.nn.init, name).__name__ == name
    if name != "sparse":
        assert np.array_equal(e.numpy(), t.numpy())
    else:  # the zeros: half of each column
        assert ((e.numpy() == 0).sum(0) == (t.numpy() == 0).sum(0)).all()


# ---- nn.attention ------------------------------------------------------------------------------------------------

def _switches(lib):
    c = lib.backends.cuda
    return (c.math_sdp_enabled(), c.flash_sdp_enabled(), c.mem_efficient_sdp_enabled(), c.cudnn_sdp_enabled())


def test_sdpa_kernel_sets_and_restores_the_switches_as_pytorch():
    EB, TB = ember.nn.attention.SDPBackend, torch.nn.attention.SDPBackend
    assert list(EB.__members__) == list(TB.__members__)
    assert [int(b) for b in EB.__members__.values()] == [int(b) for b in TB.__members__.values()]
    assert repr(EB.MATH) == repr(TB.MATH) and str(EB.FLASH_ATTENTION) == str(TB.FLASH_ATTENTION)
    assert (EB.MATH == 0) == (TB.MATH == 0)
    for spec in ("FLASH_ATTENTION", ["MATH"], ["MATH", "CUDNN_ATTENTION"], []):
        eb = getattr(EB, spec) if isinstance(spec, str) else [getattr(EB, s) for s in spec]
        tb = getattr(TB, spec) if isinstance(spec, str) else [getattr(TB, s) for s in spec]
        with ember.nn.attention.sdpa_kernel(eb) as er, torch.nn.attention.sdpa_kernel(tb) as tr:
            assert er == tr == {}
            assert _switches(ember) == _switches(torch)
            q = ember.randn(1, 2, 3, 4)
            ember.nn.functional.scaled_dot_product_attention(q, q, q)  # runs whatever is chosen, as on a CPU
        assert _switches(ember) == _switches(torch) == (True,) * 4


def test_sdpa_kernel_priority_order_as_pytorch():
    EB, TB = ember.nn.attention.SDPBackend, torch.nn.attention.SDPBackend
    from ember.backends import cuda
    with ember.nn.attention.sdpa_kernel([EB.MATH]), torch.nn.attention.sdpa_kernel([TB.MATH]):
        with ember.nn.attention.sdpa_kernel([EB.FLASH_ATTENTION, EB.MATH], set_priority=True), \
                torch.nn.attention.sdpa_kernel([TB.FLASH_ATTENTION, TB.MATH], set_priority=True):
            assert cuda._sdp_priority == torch._C._get_sdp_priority_order()
        assert cuda._sdp_priority == torch._C._get_sdp_priority_order()
    # PyTorch's own restore leaves its order changed; put both back
    torch._C._set_sdp_priority_order([1, 2, 0, 3, 4])
    cuda._sdp_priority[:] = [1, 2, 0, 3, 4]


def test_sdpa_kernel_refuses_what_pytorch_refuses():
    for lib in (ember, torch):
        with pytest.raises(AssertionError) as info:
            with lib.nn.attention.sdpa_kernel("MATH"):
                pass
        assert str(info.value) == ("Backend must be an instance of SDPBackend or a list of SDPBackend instances, "
                                   "got str")


# ---- nn.DataParallel, nn.factory_kwargs ---------------------------------------------------------------------------

def test_data_parallel_on_a_cpu_is_the_module():
    ember.manual_seed(0)
    torch.manual_seed(0)
    e, t = ember.nn.DataParallel(ember.nn.Linear(3, 2)), torch.nn.DataParallel(torch.nn.Linear(3, 2))
    assert repr(e) == repr(t)
    assert list(e.state_dict()) == list(t.state_dict()) == ["module.weight", "module.bias"]
    assert e.device_ids == t.device_ids == []
    x = np.random.default_rng(0).standard_normal((4, 3)).astype(np.float32)
    close(e(E(x)), t(T(x)))
    assert ember.nn.DataParallel is ember.nn.parallel.DataParallel


@pytest.mark.parametrize("kwargs", [None, {}, {"dtype": "D"}, {"device": "cpu", "factory_kwargs": {"dtype": "D"}},
                                    {"factory_kwargs": {"memory_format": 1}}, {"dtype": 1, "factory_kwargs": {"dtype": 2}},
                                    {"bias": True}, {"dtype": 1, "other": 2}])
def test_factory_kwargs_as_pytorch(kwargs):
    def run(lib):
        try:
            return lib.nn.factory_kwargs(kwargs)
        except TypeError as err:
            return ("TypeError", str(err))
    assert run(ember) == run(torch)


# ---- nn.grad -------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("dims,kw", [(1, {}), (1, {"stride": 2, "padding": 1}), (2, {"stride": 2, "dilation": 2}),
                                     (2, {"groups": 2, "padding": 1}), (3, {"stride": (1, 2, 1)})])
def test_conv_gradient_functions_match_pytorch(dims, kw):
    rng = np.random.default_rng(dims)
    x = rng.standard_normal((2, 4) + (7,) * dims)
    w = rng.standard_normal((6, 4 // kw.get("groups", 1)) + (3,) * dims)
    conv = getattr(torch.nn.functional, f"conv{dims}d")
    go = rng.standard_normal(conv(T(x), T(w), **kw).shape)
    for part in ("input", "weight"):
        tf, ef = getattr(torch.nn.grad, f"conv{dims}d_{part}"), getattr(ember.nn.grad, f"conv{dims}d_{part}")
        if part == "input":
            t, e = tf(x.shape, T(w), T(go), **kw), ef(x.shape, E(w), E(go), **kw)
        else:
            t, e = tf(T(x), w.shape, T(go), **kw), ef(E(x), w.shape, E(go), **kw)
        assert e.dtype == ember.float64 and tuple(e.shape) == tuple(t.shape)
        close(e, t, 1e-10)
        assert not e.requires_grad


def test_conv_gradient_function_is_differentiable():
    rng = np.random.default_rng(1)
    w, go = rng.standard_normal((3, 2, 3)), rng.standard_normal((2, 3, 4))
    ew, ego, tw, tgo = E(w, True), E(go, True), T(w, True), T(go, True)
    e = ember.nn.grad.conv1d_input((2, 2, 6), ew, ego)
    t = torch.nn.grad.conv1d_input((2, 2, 6), tw, tgo)
    (e * e).sum().backward()
    (t * t).sum().backward()
    close(ew.grad, tw.grad, 1e-10)
    close(ego.grad, tgo.grad, 1e-10)


# ---- torch.sym_* ----------------------------------------------------------------------------------------------------

SYM_CASES = [("sym_int", (3.7,)), ("sym_int", (-3.7,)), ("sym_int", (True,)), ("sym_float", (3,)),
             ("sym_max", (2, 3.5)), ("sym_max", (2, 3)), ("sym_max", (True, False)), ("sym_min", (4.0, 3)),
             ("sym_min", (np.int64(3), 5)), ("sym_max", (np.float32(1), 2)), ("sym_not", (0,)), ("sym_not", (True,)),
             ("sym_sqrt", (4,)), ("sym_sqrt", (2.0,)), ("sym_sqrt", (-1,)), ("sym_ite", (True, 1, 2)),
             ("sym_ite", (False, [1], [2])), ("sym_ite", (1, 2, 3)), ("sym_ite", (True, 1, 2.0)), ("sym_sum", ([1, 2, 3],)),
             ("sym_sum", ([1, 2.5],)), ("sym_sum", ([],)), ("sym_sum", (1, 2, 3)), ("sym_max", ("a", 1))]


@pytest.mark.parametrize("name,args", SYM_CASES)
def test_sym_functions_as_pytorch(name, args):
    def run(lib):
        try:
            r = getattr(lib, name)(*args)
            return r, type(r)
        except (AssertionError, ValueError) as err:
            return type(err), str(err)
    assert run(ember) == run(torch)


def test_sym_functions_on_tensors():
    assert ember.sym_not(ember.tensor(True)) is torch.sym_not(torch.tensor(True)) is False
    assert ember.sym_int(ember.tensor(3.5)) == torch.sym_int(torch.tensor(3.5)) == 3
    assert ember.sym_sqrt(ember.tensor(4.0)) == torch.sym_sqrt(torch.tensor(4.0)) == 2.0
    assert ember.sym_sum([ember.tensor(1.0), 2]).item() == torch.sym_sum([torch.tensor(1.0), 2]).item()


# ---- torch.futures ---------------------------------------------------------------------------------------------------

def test_future_completes_once_and_runs_callbacks():
    for lib in (ember, torch):
        f = lib.futures.Future()
        assert not f.done()
        g = f.then(lambda fut: fut.wait() + 1)
        seen = []
        f.add_done_callback(lambda fut, seen=seen: seen.append(fut.value()))
        f.set_result(3)
        assert (f.done(), f.wait(), f.value(), g.wait(), seen) == (True, 3, 3, 4, [3])
        with pytest.raises(RuntimeError, match="Attempting to mark a completed Future as complete again"):
            f.set_result(4)
        h = lib.futures.Future()
        h.set_exception(ValueError("boom"))
        with pytest.raises(ValueError, match="boom"):
            h.wait()
        with pytest.raises(AssertionError, match="3 is of type <class 'int'>, not an Exception."):
            lib.futures.Future().set_exception(3)
        k = lib.futures.Future()
        k2 = k.then(lambda fut: 1 / 0)
        k.set_result(1)
        with pytest.raises(RuntimeError, match="Got the following error when running the callback: "
                                               "ZeroDivisionError: division by zero"):
            k2.wait()
        a, b = lib.futures.Future(), lib.futures.Future()
        c = lib.futures.collect_all([a, b])
        a.set_result(1)
        assert not c.done()
        b.set_result(2)
        assert [x.wait() for x in c.wait()] == [1, 2] and lib.futures.wait_all([a, b]) == [1, 2]
    assert ember.jit.Future is ember.futures.Future and ember.jit.fork(lambda: 5).wait() == 5
    assert type(ember.futures.Future()).__module__ == type(torch.futures.Future()).__module__


# ---- torch.conv3d, max_pool3d, ctc_loss ---------------------------------------------------------------------------------

def test_torch_spellings_of_3d_ops_and_ctc():
    rng = np.random.default_rng(3)
    x, w = rng.standard_normal((1, 2, 5, 5, 5)), rng.standard_normal((3, 2, 2, 2, 2))
    close(ember.conv3d(E(x), E(w), None, 1, 1), torch.conv3d(T(x), T(w), None, 1, 1), 1e-10)
    close(ember.conv_transpose3d(E(x), E(w.transpose(1, 0, 2, 3, 4)), stride=2),
          torch.conv_transpose3d(T(x), T(w.transpose(1, 0, 2, 3, 4)), stride=2), 1e-10)
    close(ember.max_pool3d(E(x), 2), torch.max_pool3d(T(x), 2))
    close(ember.max_pool3d(E(x), 3, 2, 1, 1, True), torch.max_pool3d(T(x), 3, 2, 1, 1, True))
    with pytest.raises(TypeError):
        ember.max_pool3d(E(x), 2, return_indices=True)
    y = rng.standard_normal((1, 2, 9))
    (eo, ei), (to, ti) = ember.max_pool1d_with_indices(E(y), 3), torch.max_pool1d_with_indices(T(y), 3)
    close(eo, to)
    assert ei.tolist() == ti.tolist()
    lp = torch.randn(6, 2, 4, dtype=torch.float64).log_softmax(2)
    tg, il, tl = [[1, 2], [3, 1]], [6, 5], [2, 2]
    for args in ((), (0,), (0, 1), (0, 2, True), (0, 0)):
        t = torch.ctc_loss(lp, torch.tensor(tg), il, tl, *args)
        e = ember.ctc_loss(E(lp.numpy()), ember.tensor(tg), il, tl, *args)
        close(e, t, 1e-10)
    with pytest.raises(TypeError):
        ember.ctc_loss(E(lp.numpy()), ember.tensor(tg), il, tl, 0, "mean")


# ---- native_* ------------------------------------------------------------------------------------------------------

def test_native_layer_and_group_norm_return_pytorchs_tuples():
    rng = np.random.default_rng(4)
    x, w, b = rng.standard_normal((2, 3, 4)), rng.standard_normal(4), rng.standard_normal(4)
    for shape, args in (([4], (w, b)), ([3, 4], (None, None))):
        ex, tx = E(x, True), T(x, True)
        eo = ember.native_layer_norm(ex, shape, *[None if a is None else E(a) for a in args], 1e-5)
        to = torch.native_layer_norm(tx, shape, *[None if a is None else T(a) for a in args], 1e-5)
        for e, t in zip(eo, to):
            assert tuple(e.shape) == tuple(t.shape)
            close(e, t, 1e-10)
        assert [o.requires_grad for o in eo] == [o.requires_grad for o in to]
        eo[0].sum().backward() if False else (eo[0] * eo[0]).sum().backward()
        (to[0] * to[0]).sum().backward()
        close(ex.grad, tx.grad, 1e-10)
    g = rng.standard_normal((2, 6, 3))
    eo = ember.native_group_norm(E(g), None, None, 2, 6, 3, 3, 1e-5)
    to = torch.native_group_norm(T(g), None, None, 2, 6, 3, 3, 1e-5)
    for e, t in zip(eo, to):
        assert tuple(e.shape) == tuple(t.shape)
        close(e, t, 1e-10)


def test_native_batch_norm_returns_pytorchs_tuple_and_updates_running_stats():
    rng = np.random.default_rng(5)
    x = rng.standard_normal((4, 3, 5))
    er, tr = [E(np.zeros(3)), E(np.ones(3))], [T(np.zeros(3)), T(np.ones(3))]
    for training in (True, False):
        eo = ember.native_batch_norm(E(x), None, None, *er, training, 0.1, 1e-5)
        to = torch.native_batch_norm(T(x), None, None, *tr, training, 0.1, 1e-5)
        for e, t in zip(eo, to):
            assert tuple(e.shape) == tuple(t.shape) and str(e.dtype) == str(t.dtype)
            close(e, t, 1e-10)
        close(er[0], tr[0], 1e-12)
        close(er[1], tr[1], 1e-12)
    eo = ember.native_batch_norm(E(x), None, None, None, None, True, 0.1, 1e-5)
    to = torch.native_batch_norm(T(x), None, None, None, None, True, 0.1, 1e-5)
    close(eo[2], to[2], 1e-10)


def test_native_dropout_draws_pytorchs_mask():
    x = np.random.default_rng(6).standard_normal((3, 50)).astype(np.float32)
    for p, train in ((0.5, True), (0.2, None), (0.5, False), (1.0, True)):
        ember.manual_seed(7)
        torch.manual_seed(7)
        (eo, em), (to, tm) = ember.native_dropout(E(x, True), p, train), torch.native_dropout(T(x, True), p, train)
        assert em.dtype == ember.bool and np.array_equal(em.numpy(), tm.numpy())
        np.testing.assert_array_equal(eo.detach().numpy(), to.detach().numpy())
        assert eo.requires_grad and not em.requires_grad


# ---- recurrent cells ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("cell,k", [("rnn_tanh_cell", 1), ("rnn_relu_cell", 1), ("lstm_cell", 4), ("gru_cell", 3)])
@pytest.mark.parametrize("batched", [True])
def test_recurrent_cells_and_their_gradients(cell, k, batched):
    rng = np.random.default_rng(8)
    lead = (2,) if batched else ()
    arrays = [rng.standard_normal(lead + (3,)), rng.standard_normal(lead + (4,)), rng.standard_normal(lead + (4,)),
              rng.standard_normal((4 * k, 3)), rng.standard_normal((4 * k, 4)), rng.standard_normal(4 * k),
              rng.standard_normal(4 * k)]
    es, ts = [E(a, True) for a in arrays], [T(a, True) for a in arrays]

    def run(lib, v):
        hx = [v[1], v[2]] if cell == "lstm_cell" else v[1]
        out = getattr(lib, cell)(v[0], hx, *v[3:])
        out = out if isinstance(out, tuple) else (out,)
        (sum((o * o).sum() for o in out)).backward()
        return out
    for e, t in zip(run(ember, es), run(torch, ts)):
        close(e, t, 1e-10)
    for e, t in zip(es, ts):
        if t.grad is not None:
            close(e.grad, t.grad, 1e-10)
