"""The differential harness the op tests share: run one lambda on torch and on ember, compare everything.

A case is ``check(fn, *inputs)``: each input is a NumPy array (or a number, passed as is); the harness builds
torch and ember tensors from the same values (floats require grad), runs ``fn(lib, *tensors)`` with ``lib``
the module (``torch`` or ``ember``), and compares outputs (values, dtype, shape), ``grad_fn.name()``, and the
gradient of every input after a backward pass with the same random upstream gradient.
"""

from __future__ import annotations

import numpy as np
import pytest

import ember

torch = pytest.importorskip("torch")

TOL = {np.float32: (2e-5, 2e-5), np.float64: (1e-10, 1e-10)}


def arr(shape, dtype=np.float64, lo=-2.0, hi=2.0, seed=0):
    """Random values in [lo, hi) of ``shape`` and ``dtype`` (integers for integer dtypes)."""
    rng = np.random.default_rng(seed)
    if np.dtype(dtype).kind in "iu":
        return np.asarray(rng.integers(int(lo), int(hi), size=shape), dtype=dtype)
    if np.dtype(dtype).kind == "b":
        return np.asarray(rng.random(shape) < 0.5)
    return np.asarray(rng.random(shape) * (hi - lo) + lo, dtype=dtype)


def _flat(out):
    if isinstance(out, (tuple, list)):
        return [x for o in out for x in _flat(o)]
    return [out]


def _tol(dtype):
    return TOL.get(np.dtype(dtype).type, (1e-5, 1e-5))


def assert_same(t_out, e_out, what="output", rtol=None, atol=None):
    """Torch and ember results agree in type, shape, dtype and values."""
    if isinstance(t_out, torch.Tensor):
        assert isinstance(e_out, ember.Tensor), f"{what}: ember gave {type(e_out).__name__}, torch a Tensor"
        assert tuple(e_out.shape) == tuple(t_out.shape), f"{what}: shape {tuple(e_out.shape)} != {tuple(t_out.shape)}"
        assert str(e_out.dtype) == str(t_out.dtype), f"{what}: dtype {e_out.dtype} != {t_out.dtype}"
        tn = t_out.detach().numpy()
        en = e_out.detach().numpy()
        r, a = _tol(tn.dtype)
        np.testing.assert_allclose(en, tn, rtol=rtol or r, atol=atol or a, equal_nan=True, err_msg=what)
    elif isinstance(t_out, (tuple, list)):
        assert isinstance(e_out, (tuple, list)), f"{what}: ember gave {type(e_out).__name__}"
        assert len(e_out) == len(t_out), f"{what}: {len(e_out)} outputs != {len(t_out)}"
        if hasattr(t_out, "_fields"):  # named tuples (values, indices)
            assert getattr(e_out, "_fields", None) == t_out._fields, f"{what}: fields differ"
        for i, (t, e) in enumerate(zip(t_out, e_out)):
            assert_same(t, e, f"{what}[{i}]", rtol, atol)
    else:
        assert type(e_out) is type(t_out) or (isinstance(e_out, (int, float)) and isinstance(t_out, (int, float))), \
            f"{what}: {type(e_out).__name__} != {type(t_out).__name__}"
        assert e_out == t_out or (np.isnan(e_out) and np.isnan(t_out)), f"{what}: {e_out} != {t_out}"


def check(fn, *inputs, grad=True, rtol=None, atol=None, seed=1):
    """Run ``fn(lib, *xs)`` on torch and ember from the same values; compare outputs, grad_fn names, grads."""
    t_in, e_in = [], []
    for x in inputs:
        if isinstance(x, np.ndarray):
            rg = grad and x.dtype.kind == "f"
            t_in.append(torch.tensor(x, requires_grad=rg))
            e_in.append(ember.tensor(x, requires_grad=rg))
        else:
            t_in.append(x)
            e_in.append(x)
    t_out = fn(torch, *t_in)
    e_out = fn(ember, *e_in)
    assert_same(t_out, e_out, "forward", rtol, atol)
    t_flat, e_flat = _flat(t_out), _flat(e_out)
    for k, (t, e) in enumerate(zip(t_flat, e_flat)):
        if isinstance(t, torch.Tensor):
            tn = type(t.grad_fn).__name__ if t.grad_fn is not None else None
            en = e.grad_fn.name() if e.grad_fn is not None else None
            assert en == tn, f"output {k}: grad_fn {en} != {tn}"
            assert e.requires_grad == t.requires_grad, f"output {k}: requires_grad {e.requires_grad}"
    diff = [(t, e) for t, e in zip(t_flat, e_flat) if isinstance(t, torch.Tensor) and t.requires_grad]
    if not grad or not diff:
        return t_out, e_out
    rng = np.random.default_rng(seed)
    gs = [rng.standard_normal(t.shape).astype(t.detach().numpy().dtype) for t, _ in diff]
    try:
        torch.autograd.backward([t for t, _ in diff], [torch.tensor(g) for g in gs])
    except RuntimeError as err:  # e.g. floor_divide: then ember's backward must refuse the same way
        with pytest.raises(RuntimeError) as ee:
            ember.autograd.backward([e for _, e in diff], [ember.tensor(g) for g in gs])
        assert str(ee.value) == str(err)
        return t_out, e_out
    ember.autograd.backward([e for _, e in diff], [ember.tensor(g) for g in gs])
    for i, (t, e) in enumerate(zip(t_in, e_in)):
        if isinstance(t, torch.Tensor) and t.requires_grad:
            if t.grad is None:
                assert e.grad is None or not np.any(e.grad.numpy()), f"input {i}: ember has a grad, torch none"
                continue
            assert e.grad is not None, f"input {i}: no gradient"
            assert_same(t.grad, e.grad, f"grad of input {i}", rtol, atol)
    return t_out, e_out


def check_error(fn, *inputs):
    """Both libraries raise the same exception class with the same message."""
    t_in = [torch.tensor(x) if isinstance(x, np.ndarray) else x for x in inputs]
    e_in = [ember.tensor(x) if isinstance(x, np.ndarray) else x for x in inputs]
    with pytest.raises(Exception) as te:
        fn(torch, *t_in)
    with pytest.raises(Exception) as ee:
        fn(ember, *e_in)
    assert type(ee.value) is type(te.value) or isinstance(ee.value, type(te.value)), \
        f"{type(ee.value).__name__}: {ee.value} vs torch {type(te.value).__name__}: {te.value}"
    assert str(ee.value) == str(te.value)


def gradchecks(fn, *inputs, second=True):
    """ember.autograd.gradcheck (and gradgradcheck) of ``fn(ember, *xs)`` in float64 on small inputs."""
    xs = [ember.tensor(x.astype(np.float64), requires_grad=True) if isinstance(x, np.ndarray)
          and x.dtype.kind == "f" else (ember.tensor(x) if isinstance(x, np.ndarray) else x) for x in inputs]
    f = lambda *a: fn(ember, *a)
    assert ember.autograd.gradcheck(f, tuple(xs), eps=1e-6, atol=1e-5, rtol=1e-4)
    if second:
        assert ember.autograd.gradgradcheck(f, tuple(xs), eps=1e-6, atol=1e-5, rtol=1e-4)


# -- the harness itself must be able to fail ------------------------------------------------------------------

def test_harness_detects_wrong_values():
    x = arr((3,))
    with pytest.raises(AssertionError):
        check(lambda L, a: L.exp(a) if L is torch else L.exp(a) * 1.001, x)


def test_harness_detects_wrong_dtype_and_grad_fn():
    x = arr((3,), np.float32)
    with pytest.raises(AssertionError):
        check(lambda L, a: a if L is torch else a.double(), x, grad=False)
    with pytest.raises(AssertionError):
        check(lambda L, a: a * 2 if L is torch else a + a, x)


def test_harness_detects_wrong_gradient():
    x = arr((4,))

    def fn(L, a):
        if L is torch:
            return a * a
        return a * a.detach()
    with pytest.raises(AssertionError):
        check(fn, x)
