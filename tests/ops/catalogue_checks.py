"""The checks the catalogue runs on an entry's samples, written once for every op (see op_catalogue.py).

Each ``run_*`` takes an entry, a dtype and the reference (``Torch`` live, or ``Recorded`` fixtures) and raises an
AssertionError naming the entry, dtype and sample at the first difference.
"""

from __future__ import annotations

import numpy as np
from op_catalogue import Layout, Sample

import ember
import ember.autograd.forward_ad as fwAD

TOL = {np.dtype(np.float32): (2e-5, 2e-5), np.dtype(np.float64): (1e-10, 1e-10)}


def _leaf(lib, a, dtype, requires_grad):
    arr = a.base if isinstance(a, Layout) else a
    if arr.dtype.kind == "f":
        arr = arr.astype(dtype)
    t = lib.tensor(arr, requires_grad=requires_grad and arr.dtype.kind == "f")
    return t


def build(lib, sample: Sample, dtype, grad: bool):
    """(args, kwargs, leaves) for ``lib``: tensors made from the sample's arrays (requiring grad where the sample
    says, when ``grad``), non-contiguous ones as views of their leaf."""
    positions = set(sample.grad_positions()) if grad else set()
    args, leaves = [], []
    for i, a in enumerate(sample.args):
        if isinstance(a, (np.ndarray, Layout)):
            t = _leaf(lib, a, dtype, i in positions)
            if t.requires_grad:
                leaves.append(t)
            args.append(a.view(t) if isinstance(a, Layout) else t)
        else:
            args.append(a)
    return args, dict(sample.kwargs), leaves


def flat(out):
    if isinstance(out, (tuple, list)):
        return [x for o in out for x in flat(o)]
    return [out]


def as_numpy(x):
    """A comparable form of an op's output: arrays for tensors, the value for numbers and bools."""
    if hasattr(x, "detach") and hasattr(x, "numpy"):
        return x.detach().numpy(force=True)  # force: PyTorch's ZeroTensor tangents have no plain numpy()
    return x


def assert_values(got, want, dtype, what, exact=False, rtol=None, atol=None):
    if isinstance(want, np.ndarray):
        assert isinstance(got, np.ndarray), f"{what}: ember gave {type(got).__name__}, the reference an array"
        assert got.shape == want.shape, f"{what}: shape {got.shape} != {want.shape}"
        assert got.dtype == want.dtype, f"{what}: dtype {got.dtype} != {want.dtype}"
        if exact and got.dtype.kind == "f":
            same = (got == want) | (np.isnan(got) & np.isnan(want))
            assert same.all(), f"{what}: not bit-equal in {np.size(same) - np.count_nonzero(same)} elements"
            return
        r, a = TOL.get(want.dtype, (1e-5, 1e-5))  # the output's precision (an int input gives float32)
        np.testing.assert_allclose(got, want, rtol=rtol or r, atol=atol or a, equal_nan=True, err_msg=what)
    else:
        assert type(got) is type(want) or (isinstance(got, (int, float)) and isinstance(want, (int, float))), \
            f"{what}: {type(got).__name__} != {type(want).__name__}"
        assert got == want or (got != got and want != want), f"{what}: {got} != {want}"


class Torch:
    """The live reference: PyTorch itself."""

    def __init__(self, torch):
        self.torch = torch
        self.fwAD = __import__("torch.autograd.forward_ad", fromlist=["_"])

    def forward(self, entry, sample, dtype, k=None):
        args, kwargs, _ = build(self.torch, sample, dtype, grad=False)
        try:
            out = entry.op(self.torch, *args, **kwargs)
        except Exception as e:  # noqa: BLE001  (the error is the reference)
            return ("error", type(e).__name__, str(e))
        return [as_numpy(o) for o in flat(out)]

    def backward(self, entry, sample, dtype, v_seed, k=None):
        args, kwargs, leaves = build(self.torch, sample, dtype, grad=True)
        out = entry.op(self.torch, *args, **kwargs)
        outs = [o for o in flat(out) if isinstance(o, self.torch.Tensor)]
        meta = [(o.requires_grad, type(o.grad_fn).__name__ if o.grad_fn is not None else None) for o in outs]
        diff = [o for o in outs if o.requires_grad]
        if not diff or not leaves:
            return meta, None
        rng = np.random.default_rng(v_seed)
        vs = [self.torch.tensor(rng.standard_normal(o.shape)).to(o.dtype) for o in diff]
        try:
            grads = self.torch.autograd.grad(diff, leaves, vs, allow_unused=True)
        except RuntimeError as e:
            return meta, ("error", type(e).__name__, str(e))
        return meta, [None if g is None else as_numpy(g) for g in grads]

    def tangent(self, entry, sample, dtype, t_seed, k=None):
        args, kwargs, leaves_pos = _dual_inputs(self.torch, self.fwAD, entry, sample, dtype, t_seed)
        with self.fwAD.dual_level():
            args = [f() for f in args]
            try:
                out = entry.op(self.torch, *args, **kwargs)
            except RuntimeError as e:
                return ("error", type(e).__name__, str(e))
            return [None if self.fwAD.unpack_dual(o).tangent is None else as_numpy(self.fwAD.unpack_dual(o).tangent)
                    for o in flat(out) if isinstance(o, self.torch.Tensor) and o.dtype.is_floating_point]


class Recorded:
    """The reference without PyTorch: what PyTorch returned when ``record_catalogue.py`` ran, from the fixtures
    (``tests/fixtures/catalogue/<family>.npz``: arrays under "entry|dtype|check|k|i", the rest in its json)."""

    def __init__(self, arrays: dict, meta: dict):
        self.arrays, self.meta = arrays, meta

    def _key(self, entry, dtype, check, k):
        return f"{entry.name}|{np.dtype(dtype).name}|{check}|{k}"

    def _get(self, entry, dtype, check, k):
        key = self._key(entry, dtype, check, k)
        if key not in self.meta:
            raise KeyError(f"no recorded reference for {key}: run tests/ops/record_catalogue.py with PyTorch")
        return key, self.meta[key]

    def _values(self, key, spec):
        return [self.arrays[f"{key}|{i}"] if s == "array" else (None if s == "none" else s) for i, s in enumerate(spec)]

    def forward(self, entry, sample, dtype, k=None):
        key, m = self._get(entry, dtype, "forward", k)
        return tuple(m["error"]) if "error" in m else self._values(key, m["values"])

    def backward(self, entry, sample, dtype, v_seed, k=None):
        key, m = self._get(entry, dtype, "backward", k)
        meta = [tuple(x) for x in m["meta"]]
        if "error" in m:
            return meta, tuple(m["error"])
        return meta, None if m["values"] is None else self._values(key, m["values"])

    def tangent(self, entry, sample, dtype, t_seed, k=None):
        key, m = self._get(entry, dtype, "tangent", k)
        return tuple(m["error"]) if "error" in m else self._values(key, m["values"])


def record(entry, dtype, torch_ref, arrays: dict, meta: dict) -> None:
    """PyTorch's answers for every sample of ``entry`` in ``dtype``, into ``arrays`` and ``meta`` (record_catalogue)."""
    def put(key, values):
        spec = []
        for i, v in enumerate(values):
            if isinstance(v, np.ndarray):
                arrays[f"{key}|{i}"] = v
                spec.append("array")
            elif v is None:
                spec.append("none")
            else:
                spec.append(v.item() if isinstance(v, np.generic) else v)
        return spec
    for k, sample in enumerate(entry.error_list(dtype)):
        key = f"{entry.name}|{np.dtype(dtype).name}|forward|error{k}"
        out = torch_ref.forward(entry, sample, dtype)
        meta[key] = {"error": list(out)} if isinstance(out, tuple) else {"values": put(key, out)}
    for k, sample in enumerate(entry.sample_list(dtype)):
        key = f"{entry.name}|{np.dtype(dtype).name}|forward|{k}"
        out = torch_ref.forward(entry, sample, dtype, k=k)
        meta[key] = {"error": list(out)} if isinstance(out, tuple) else {"values": put(key, out)}
        if sample.forward_only or not sample.grad_positions():
            continue
        if entry.grad:
            key = f"{entry.name}|{np.dtype(dtype).name}|backward|{k}"
            m, g = torch_ref.backward(entry, sample, dtype, v_seed=k, k=k)
            meta[key] = {"meta": [list(x) for x in m]}
            if isinstance(g, tuple):
                meta[key]["error"] = list(g)
            else:
                meta[key]["values"] = None if g is None else put(key, g)
        if entry.grad and entry.forward_ad:
            key = f"{entry.name}|{np.dtype(dtype).name}|tangent|{k}"
            t = torch_ref.tangent(entry, sample, dtype, t_seed=100 + k, k=k)
            meta[key] = {"error": list(t)} if isinstance(t, tuple) else {"values": put(key, t)}


def _dual_inputs(lib, fad, entry, sample, dtype, t_seed, leaf_tangents=None):
    """Thunks that make the dual inputs inside a level (tangents seeded by ``t_seed``, one per grad position; their
    arrays are appended to ``leaf_tangents`` when given)."""
    rng = np.random.default_rng(t_seed)
    positions = set(sample.grad_positions())
    thunks = []
    for i, a in enumerate(sample.args):
        if isinstance(a, (np.ndarray, Layout)):
            arr = (a.base if isinstance(a, Layout) else a)
            arr = arr.astype(dtype) if arr.dtype.kind == "f" else arr
            tangent = rng.standard_normal(arr.shape).astype(arr.dtype) if i in positions and arr.dtype.kind == "f" \
                else None
            if tangent is not None and leaf_tangents is not None:
                leaf_tangents.append(tangent)

            def thunk(arr=arr, tangent=tangent, a=a):
                t = lib.tensor(arr)
                if tangent is not None:
                    t = fad.make_dual(t, lib.tensor(tangent))
                return a.view(t) if isinstance(a, Layout) else t
            thunks.append(thunk)
        else:
            thunks.append(lambda a=a: a)
    return thunks, dict(sample.kwargs), positions


# -- the checks ----------------------------------------------------------------------------------------------------

def _where(entry, dtype, k, sample):
    return f"{entry.name} [{np.dtype(dtype).name}, sample {k} {sample.name!r}]"


def run_forward(entry, dtype, ref):
    for k, sample in enumerate(entry.sample_list(dtype)):
        where = _where(entry, dtype, k, sample)
        want = ref.forward(entry, sample, dtype, k=k)
        args, kwargs, _ = build(ember, sample, dtype, grad=False)
        if isinstance(want, tuple) and want and want[0] == "error":
            try:
                entry.op(ember, *args, **kwargs)
            except Exception as e:  # noqa: BLE001
                assert type(e).__name__ == want[1], f"{where}: {type(e).__name__}: {e} where the reference raises " \
                                                     f"{want[1]}: {want[2]}"
                assert str(e) == want[2], f"{where}: message {str(e)!r} != {want[2]!r}"
                continue
            raise AssertionError(f"{where}: ember returned where the reference raises {want[1]}: {want[2]}")
        got = [as_numpy(o) for o in flat(entry.op(ember, *args, **kwargs))]
        assert len(got) == len(want), f"{where}: {len(got)} outputs != {len(want)}"
        for i, (g, w) in enumerate(zip(got, want)):
            assert_values(g, w, dtype, f"{where} output {i}", entry.exact, entry.rtol, entry.atol)


def run_errors(entry, dtype, ref):
    """Each bad call raises PyTorch's exception class with PyTorch's message, and leaves its inputs unchanged."""
    for k, sample in enumerate(entry.error_list(dtype)):
        where = _where(entry, dtype, k, sample) + " (a bad call)"
        want = ref.forward(entry, sample, dtype, k=f"error{k}")
        assert isinstance(want, tuple) and want[0] == "error", f"{where}: the reference does not raise"
        args, kwargs, _ = build(ember, sample, dtype, grad=False)
        before = [a.numpy().copy() for a in args if isinstance(a, ember.Tensor)]
        versions = [a._version for a in args if isinstance(a, ember.Tensor)]
        try:
            entry.op(ember, *args, **kwargs)
        except Exception as e:  # noqa: BLE001
            assert type(e).__name__ == want[1], f"{where}: {type(e).__name__}: {e} where the reference raises " \
                                                 f"{want[1]}: {want[2]}"
            assert str(e) == want[2], f"{where}: message {str(e)!r} != {want[2]!r}"
        else:
            raise AssertionError(f"{where}: ember returned where the reference raises {want[1]}: {want[2]}")
        after = [a for a in args if isinstance(a, ember.Tensor)]
        for i, (b, a, v) in enumerate(zip(before, after, versions)):
            assert a._version == v and np.array_equal(a.numpy(), b, equal_nan=True), \
                f"{where}: input {i} changed before the error"


def _grad_samples(entry, dtype):
    return [(k, s) for k, s in enumerate(entry.sample_list(dtype)) if not s.forward_only and s.grad_positions()]


def run_backward(entry, dtype, ref):
    for k, sample in _grad_samples(entry, dtype):
        where = _where(entry, dtype, k, sample)
        meta, want = ref.backward(entry, sample, dtype, v_seed=k, k=k)
        args, kwargs, leaves = build(ember, sample, dtype, grad=True)
        out = entry.op(ember, *args, **kwargs)
        outs = [o for o in flat(out) if isinstance(o, ember.Tensor)]
        got_meta = [(o.requires_grad, o.grad_fn.name() if o.grad_fn is not None else None) for o in outs]
        for i, (g, w) in enumerate(zip(got_meta, meta)):
            assert g[0] == w[0], f"{where} output {i}: requires_grad {g[0]}, the reference {w[0]} (silently " \
                                 "detached?)" if w[0] else f"{where} output {i}: requires_grad {g[0]}, reference {w[0]}"
            assert g[1] == w[1], f"{where} output {i}: grad_fn {g[1]} != {w[1]}"
        if want is None:
            continue
        diff = [o for o in outs if o.requires_grad]
        rng = np.random.default_rng(k)
        vs = [ember.tensor(rng.standard_normal(o.shape).astype(o.numpy(force=True).dtype)) for o in diff]
        if isinstance(want, tuple) and want[0] == "error":
            try:
                ember.autograd.grad(diff, leaves, vs, allow_unused=True)
            except Exception as e:  # noqa: BLE001
                assert type(e).__name__ == want[1] and str(e) == want[2], \
                    f"{where}: backward raised {type(e).__name__}: {e}, the reference {want[1]}: {want[2]}"
                continue
            raise AssertionError(f"{where}: backward returned where the reference raises {want[1]}: {want[2]}")
        grads = ember.autograd.grad(diff, leaves, vs, allow_unused=True)
        for i, (g, w) in enumerate(zip(grads, want)):
            if w is None:
                assert g is None or not np.any(g.numpy()), f"{where}: gradient of input {i} where the reference has none"
                continue
            assert g is not None, f"{where}: no gradient for input {i}"
            assert_values(g.numpy(), w, dtype, f"{where} gradient of input {i}", False, entry.rtol, entry.atol)


def _checked_fn(entry, sample, leaves_template):
    """(leaves) -> op output, rebuilding the views and constants of the sample around the given leaves."""
    def fn(*leaves):
        it = iter(leaves)
        args = []
        positions = set(sample.grad_positions())
        for i, a in enumerate(sample.args):
            if isinstance(a, (np.ndarray, Layout)):
                arr = a.base if isinstance(a, Layout) else a
                if i in positions and arr.dtype.kind == "f":
                    t = next(it)
                else:
                    t = ember.tensor(arr.astype(np.float64) if arr.dtype.kind == "f" else arr)
                args.append(a.view(t) if isinstance(a, Layout) else t)
            else:
                args.append(a)
        out = entry.op(ember, *args, **sample.kwargs)
        outs = tuple(o for o in flat(out) if isinstance(o, ember.Tensor) and o.dtype.is_floating_point)
        return outs if len(outs) != 1 else outs[0]
    return fn


SECOND_ORDER_SAMPLES = 3  # gradgradcheck costs ~numel² evaluations: the first few samples carry the layouts


def run_gradcheck(entry, dtype, second: bool):
    samples = _grad_samples(entry, np.float64)
    for k, sample in samples[:SECOND_ORDER_SAMPLES] if second else samples:
        where = _where(entry, np.float64, k, sample)
        _, _, leaves = build(ember, sample, np.float64, grad=True)
        if not leaves:
            continue
        fn = _checked_fn(entry, sample, leaves)
        check = ember.autograd.gradgradcheck if second else ember.autograd.gradcheck
        try:
            ok = check(fn, tuple(leaves), atol=entry.gradcheck_atol, rtol=entry.gradcheck_rtol, raise_exception=False)
        except Exception as e:  # noqa: BLE001
            raise AssertionError(f"{where}: {'gradgradcheck' if second else 'gradcheck'} raised "
                                 f"{type(e).__name__}: {e}") from e
        assert ok, f"{where}: {'second' if second else 'first'} derivatives differ from finite differences"


def run_forward_ad(entry, dtype, ref):
    for k, sample in _grad_samples(entry, dtype):
        where = _where(entry, dtype, k, sample)
        want = ref.tangent(entry, sample, dtype, t_seed=100 + k, k=k)
        thunks, kwargs, positions = _dual_inputs(ember, fwAD, entry, sample, dtype, 100 + k)
        with fwAD.dual_level():
            args = [f() for f in thunks]
            if isinstance(want, tuple) and want[0] == "error":
                try:
                    entry.op(ember, *args, **kwargs)
                except Exception as e:  # noqa: BLE001
                    assert str(e) == want[2], f"{where}: forward AD raised {e!r}, the reference {want[2]!r}"
                    continue
                raise AssertionError(f"{where}: forward AD returned where the reference raises {want[2]}")
            out = entry.op(ember, *args, **kwargs)
            got = [fwAD.unpack_dual(o).tangent for o in flat(out)
                   if isinstance(o, ember.Tensor) and o.dtype.is_floating_point]
            got = [None if g is None else g.numpy() for g in got]
        assert len(got) == len(want), f"{where}: {len(got)} tangents != {len(want)}"
        for i, (g, w) in enumerate(zip(got, want)):
            if w is None:
                assert g is None, f"{where}: output {i} has a tangent where the reference has none"
                continue
            assert g is not None, f"{where}: output {i} lost its tangent"
            assert_values(g, w, dtype, f"{where} tangent of output {i}", False, entry.rtol, entry.atol)


def run_jvp_vjp_identity(entry, dtype):
    """⟨J v, u⟩ = ⟨v, Jᵀ u⟩ between ember's forward mode and ember's backward, float64."""
    for k, sample in _grad_samples(entry, np.float64):
        where = _where(entry, np.float64, k, sample)
        tangents_in = []
        thunks, kwargs, positions = _dual_inputs(ember, fwAD, entry, sample, np.float64, 200 + k, tangents_in)
        with fwAD.dual_level():
            args = [f() for f in thunks]
            out = entry.op(ember, *args, **kwargs)
            outs = [o for o in flat(out) if isinstance(o, ember.Tensor) and o.dtype.is_floating_point]
            jv = [fwAD.unpack_dual(o).tangent for o in outs]
        rng = np.random.default_rng(300 + k)
        us = [rng.standard_normal(o.shape) for o in outs]
        lhs = sum(float(np.sum(j.numpy() * u)) for j, u in zip(jv, us) if j is not None)
        args2, kwargs2, leaves = build(ember, sample, np.float64, grad=True)
        out2 = [o for o in flat(entry.op(ember, *args2, **kwargs2)) if isinstance(o, ember.Tensor)
                and o.dtype.is_floating_point]
        pairs = [(o, ember.tensor(u)) for o, u in zip(out2, us) if o.requires_grad]
        if not pairs:
            continue
        grads = ember.autograd.grad([o for o, _ in pairs], leaves, [u for _, u in pairs], allow_unused=True)
        rhs = sum(float(np.sum(g.numpy() * v)) for g, v in zip(grads, tangents_in) if g is not None)
        assert np.isclose(lhs, rhs, rtol=1e-8, atol=1e-10), f"{where}: <J v, u> = {lhs} but <v, J^T u> = {rhs}"


def run_inplace(entry, dtype):
    """The in-place method gives the op's values, and the op's first and second derivatives."""
    for k, sample in _grad_samples(entry, np.float64):
        where = _where(entry, np.float64, k, sample)
        for order in (1, 2):
            res = []
            for inplace in (False, True):
                args, kwargs, leaves = build(ember, sample, np.float64, grad=True)
                x = args[0] * 1  # a non-leaf copy that may change in place
                if inplace:
                    y = getattr(x, entry.inplace)(*args[1:], **kwargs)
                else:
                    y = entry.op(ember, x, *args[1:], **kwargs)
                rng = np.random.default_rng(k)
                v = ember.tensor(rng.standard_normal(y.shape))
                (g,) = ember.autograd.grad(y, leaves[0], v, create_graph=order == 2)
                if order == 2:  # a constant first derivative has no graph: its derivative is zero
                    g = ember.autograd.grad((g * g).sum(), leaves[0], allow_unused=True)[0] if g.requires_grad \
                        else None
                res.append((y.detach().numpy(), None if g is None else g.detach().numpy()))
            (y0, g0), (y1, g1) = res
            np.testing.assert_allclose(y1, y0, rtol=1e-12, err_msg=f"{where}: in-place value")
            assert (g0 is None) == (g1 is None), f"{where}: order {order}: in-place gradient presence differs"
            if g0 is not None:
                np.testing.assert_allclose(g1, g0, rtol=1e-10, atol=1e-12,
                                           err_msg=f"{where}: in-place derivative of order {order}")


def run_forward_over_reverse(entry, dtype, eps: float = 1e-6):
    """Hessian-vector products the way ``jacfwd(jacrev(f))`` makes them: the backward pass run on dual inputs gives
    the gradient's tangent, H v; it must equal the central difference of the gradient along v (float64)."""
    for k, sample in _grad_samples(entry, np.float64)[:SECOND_ORDER_SAMPLES]:
        where = _where(entry, np.float64, k, sample)
        _, _, leaves = build(ember, sample, np.float64, grad=True)
        if not leaves:
            continue
        fn = _checked_fn(entry, sample, leaves)
        outs0 = fn(*leaves)
        outs0 = outs0 if isinstance(outs0, tuple) else (outs0,)
        rng = np.random.default_rng(400 + k)
        us = [ember.tensor(rng.standard_normal(o.shape)) for o in outs0]
        vs = [rng.standard_normal(x.shape) for x in leaves]

        def gradient(xs, fn=fn, us=us):
            xs = [ember.tensor(x).requires_grad_(True) for x in xs]
            out = fn(*xs)
            out = out if isinstance(out, tuple) else (out,)
            pairs = [(o, u) for o, u in zip(out, us) if o.requires_grad]
            gs = ember.autograd.grad([o for o, _ in pairs], xs, [u for _, u in pairs], allow_unused=True)
            return [np.zeros(x.shape) if g is None else g.numpy() for g, x in zip(gs, xs)]
        base = [x.detach().numpy() for x in leaves]
        try:
            gradient(base)
        except (RuntimeError, NotImplementedError) as e:
            if "not implemented" in str(e):  # no first derivative (as in PyTorch): nothing to differentiate
                continue
            raise
        plus = gradient([b + eps * v for b, v in zip(base, vs)])
        minus = gradient([b - eps * v for b, v in zip(base, vs)])
        want = [(p - m) / (2 * eps) for p, m in zip(plus, minus)]
        with fwAD.dual_level():
            duals = [fwAD.make_dual(ember.tensor(b).requires_grad_(True), ember.tensor(v)) for b, v in zip(base, vs)]
            out = fn(*duals)
            out = out if isinstance(out, tuple) else (out,)
            pairs = [(o, u) for o, u in zip(out, us) if o.requires_grad]
            gs = ember.autograd.grad([o for o, _ in pairs], duals, [u for _, u in pairs], allow_unused=True)
            got = []
            for g, b in zip(gs, base):
                tangent = None if g is None else fwAD.unpack_dual(g).tangent
                got.append(np.zeros(b.shape) if tangent is None else tangent.numpy())
        for i, (g, w) in enumerate(zip(got, want)):
            np.testing.assert_allclose(g, w, rtol=1e-5, atol=1e-6,
                                       err_msg=f"{where}: forward-over-reverse H v of input {i} differs from the "
                                               "central difference of the gradient")
