"""torch.fft: every transform against PyTorch (values, dtypes, grad_fn graphs, gradients and second derivatives of
real losses, forward-mode tangents, errors, out=), and against float64 finite differences with no PyTorch at all.

Gradients of complex functions follow PyTorch's convention: for a real loss L of z = x + iy the gradient is
dL/dx + i dL/dy (the conjugate Wirtinger derivative, doubled). ``fd_grad`` below computes exactly that by central
differences, so the finite-difference checks need no reference library; a test feeds it a wrong gradient (the
conjugate of the right one, the classic mistake) and sees it reject it.

Where PyTorch is not installed, the PyTorch side comes from tests/fixtures/fft_torch.npz / fft_torch.json,
written by ``PYTHONPATH=src python tests/test_fft.py`` (which runs the same cases on torch)."""

from __future__ import annotations

import hashlib
import json
import pathlib
import sys
import warnings

import numpy as np
import pytest

import ember

FIX = pathlib.Path(__file__).resolve().parent / "fixtures"
NPZ, JSON = FIX / "fft_torch.npz", FIX / "fft_torch.json"

ONE_D = ("fft", "ifft", "rfft", "irfft", "hfft", "ihfft")
N_D = ("fft2", "ifft2", "fftn", "ifftn", "rfft2", "irfft2", "rfftn", "irfftn", "hfft2", "ihfft2", "hfftn", "ihfftn")
REAL_IN = {"rfft", "ihfft", "rfft2", "rfftn", "ihfft2", "ihfftn"}  # complex inputs are refused (an error case)
DTYPES = ("float32", "float64", "complex64", "complex128")


def _cases():
    """(function, shape, dtype, kwargs): every transform over shapes, dims, sizes and norms, in each dtype."""
    out = []
    one = [{}, {"n": 4}, {"n": 9}, {"dim": 0}, {"norm": "ortho"}, {"norm": "forward", "n": 5, "dim": 0},
           {"norm": "backward", "dim": -2}]
    for name in ONE_D:
        for shape in ((7,), (4, 6), (3, 5, 2)):
            for kw in one:
                if "dim" in kw and kw["dim"] == -2 and len(shape) < 2:
                    continue
                out += [(name, shape, dt, kw) for dt in DTYPES]
    nd = [{}, {"s": (3, 4)}, {"s": (6, 9)}, {"dim": (0, -1)}, {"dim": (-1, 0)}, {"norm": "ortho"},
          {"norm": "forward", "s": (5, -1)}]
    for name in N_D:
        for shape in ((4, 6), (3, 5, 4)):
            kws = nd + ([{"dim": (0,)}, {"s": (5,), "norm": "ortho"}, {"dim": (0, 1, -1)} if len(shape) == 3 else
                         {"s": (2, 3)}, {"s": (2, 3, 6), "dim": (2, 0, 1)} if len(shape) == 3 else {"dim": (1,)}]
                        if name.endswith("n") else [])
            out += [(name, shape, dt, kw) for kw in kws for dt in DTYPES]
    return out


CASES = _cases()
# PyTorch live runs a sixth of them (the suite stays fast; all of them agreed when this was written), the recorded
# subset a fifth (the fixtures stay small): every function in every dtype, several argument sets each
LIVE = [c for i, c in enumerate(CASES) if i % 6 == 1]
RECORDED = [c for i, c in enumerate(CASES) if i % 5 == 0]


def _input(case):
    name, shape, dt, kw = case
    seed = hashlib.sha256(_key(case).encode()).digest()[:8]
    rng = np.random.default_rng(int.from_bytes(seed, "little"))
    a = rng.standard_normal(shape)
    if dt.startswith("complex"):
        a = a + 1j * rng.standard_normal(shape)
    return a.astype(dt)


def _key(case):
    name, shape, dt, kw = case
    return f"{name}|{shape}|{dt}|{json.dumps(kw, sort_keys=True)}"


def graph_names(t) -> list:
    """The grad_fn names reachable from t, breadth first (leaves' AccumulateGrad left out)."""
    out, todo = [], [t.grad_fn]
    while todo:
        fn = todo.pop(0)
        if fn is None or "AccumulateGrad" in fn.name():
            continue
        out.append(fn.name())
        todo += [f for f, _ in fn.next_functions]
    return out


def _numpy(lib, t):
    t = t.detach()
    if lib.__name__ == "torch":
        t = t.resolve_conj()
    return t.numpy()


def run(lib, case) -> dict:
    """What a transform gives on ``lib``: its value and graph, the gradient of a real loss of it, and the gradient
    of ⟨that gradient, v⟩ (a second derivative through the backward graph); or the error it raises."""
    name, shape, dt, kw = case
    a = _input(case)
    x = lib.tensor(a, requires_grad=True)
    try:
        y = getattr(lib.fft, name)(x, **kw)
    except Exception as e:  # noqa: BLE001  (the error is what is compared)
        return {"error": [type(e).__name__, str(e)]}
    yn = _numpy(lib, y)
    ramp = np.linspace(-1, 1, y.numel()).reshape(y.shape)
    if y.is_complex():
        w = lib.tensor((ramp + 0.5j).astype(yn.dtype))
        loss = (y * w).real.pow(2).sum() + y.abs().sum()
    else:
        loss = (y * lib.tensor(ramp.astype(yn.dtype))).pow(2).sum()
    (g,) = lib.autograd.grad(loss, x, create_graph=True)
    v = lib.tensor(np.cos(np.arange(g.numel())).reshape(g.shape).astype(_numpy(lib, g).dtype))
    gv = (g * v).real.sum() if g.is_complex() else (g * v).sum()
    (gg,) = lib.autograd.grad(gv, x)
    return {"value": yn, "graph": graph_names(y), "grad": _numpy(lib, g), "gradgrad": _numpy(lib, gg)}


def assert_same(got: dict, want: dict, case):
    what = _key(case)
    if "error" in want or "error" in got:
        assert got.get("error") == want.get("error"), f"{what}: {got.get('error')} != {want.get('error')}"
        return
    assert got["graph"] == want["graph"], f"{what}: graph {got['graph']} != {want['graph']}"
    tol = 2e-5 if case[2] in ("float32", "complex64") else 1e-11
    for k in ("value", "grad", "gradgrad"):
        g, w = got[k], want[k]
        assert g.dtype == w.dtype and g.shape == w.shape, f"{what} {k}: {g.dtype}{g.shape} != {w.dtype}{w.shape}"
        scale = max(1.0, float(np.abs(w).max(initial=0)))
        assert np.abs(g - w).max(initial=0) <= tol * scale * 10, f"{what} {k}: off by {np.abs(g - w).max()}"


# -- the reference: PyTorch live, or its recorded answers ----------------------------------------------------------

def _torch():
    try:
        import torch
    except ImportError:
        return None
    return torch


def _load_recorded():
    meta = json.loads(JSON.read_text())
    arrays = np.load(NPZ)
    out = {}
    for key, m in meta["cases"].items():
        if "error" in m:
            out[key] = {"error": m["error"]}
        else:
            out[key] = {"graph": m["graph"], **{k: arrays[f"{key}|{k}"] for k in ("value", "grad", "gradgrad")}}
    return out, meta


@pytest.mark.parametrize("name", ONE_D + N_D)
def test_against_torch(name):
    torch = pytest.importorskip("torch")
    cases = [c for c in LIVE if c[0] == name]
    assert cases
    for case in cases:
        assert_same(run(ember, case), run(torch, case), case)


def test_against_recorded_torch():
    """The fixtures' cases (every function in every dtype) against what PyTorch answered when they were recorded:
    this runs without PyTorch installed."""
    recorded, _ = _load_recorded()
    assert len(recorded) == len(RECORDED)
    for case in RECORDED:
        assert_same(run(ember, case), recorded[_key(case)], case)


def test_the_comparison_rejects_a_wrong_answer():
    case = ("rfft", (4, 6), "float64", {"n": 4})
    right = run(ember, case)
    for k, bad in (("value", right["value"] * (1 + 1e-6)), ("grad", right["grad"] * 0.5),
                   ("gradgrad", -right["gradgrad"]), ("graph", ["FftR2CBackward0"])):
        with pytest.raises(AssertionError):
            assert_same({**right, k: bad}, right, case)


# -- gradients by finite differences (no reference library) ---------------------------------------------------------

def fd_grad(loss_of, a: np.ndarray, eps=1e-6) -> np.ndarray:
    """PyTorch's gradient of the real function ``loss_of(array) -> float`` at ``a`` by central differences:
    dL/dRe + i dL/dIm for complex ``a``."""
    g = np.zeros(a.shape, dtype=a.dtype)
    flat, gflat = a.reshape(-1), g.reshape(-1)
    for j in range(flat.size):
        for unit in ((1.0, 1j) if a.dtype.kind == "c" else (1.0,)):
            b = flat.copy()
            b[j] += eps * unit
            up = loss_of(b.reshape(a.shape))
            b[j] -= 2 * eps * unit
            down = loss_of(b.reshape(a.shape))
            gflat[j] += unit * (up - down) / (2 * eps)
    return g


def _loss(y, w):
    """a real loss of the transform's output: a projection and a nonlinear part"""
    if y.is_complex():
        return (y * w).real.sum() + (y.abs() ** 2 * w.abs()).sum()
    return (y * w).sum() + (y ** 2 * w.abs()).sum()


def check_gradients(f, a: np.ndarray, rtol=1e-6, atol=1e-7):
    """ember's gradient, and its second derivative along v, of a real loss of ``f(x)`` against finite differences"""
    x = ember.tensor(a, requires_grad=True)
    y = f(x)
    rng = np.random.default_rng(0)
    wa = rng.standard_normal(y.shape) + (1j * rng.standard_normal(y.shape) if y.is_complex() else 0)
    w = ember.tensor(wa.astype(y._data.dtype))
    (g,) = ember.autograd.grad(_loss(y, w), x, create_graph=True)

    def loss_of(b):
        with ember.no_grad():
            return float(_loss(f(ember.tensor(b)), w).item())
    np.testing.assert_allclose(g.detach().numpy(), fd_grad(loss_of, a), rtol=rtol, atol=atol)

    va = rng.standard_normal(a.shape) + (1j * rng.standard_normal(a.shape) if a.dtype.kind == "c" else 0)
    v = ember.tensor(va.astype(a.dtype))
    (gg,) = ember.autograd.grad((g * v).real.sum() if g.is_complex() else (g * v).sum(), x)

    def grad_dot_v(b):
        xb = ember.tensor(b, requires_grad=True)
        (gb,) = ember.autograd.grad(_loss(f(xb), w), xb)
        return float(((gb * v).real.sum() if gb.is_complex() else (gb * v).sum()).item())
    np.testing.assert_allclose(gg.numpy(), fd_grad(grad_dot_v, a), rtol=rtol, atol=atol)


FD_CASES = [("fft", {}), ("ifft", {"n": 5, "norm": "ortho"}), ("rfft", {"n": 7}), ("irfft", {"n": 6}),
            ("irfft", {"n": 5, "norm": "forward"}), ("hfft", {}), ("ihfft", {"norm": "ortho"}), ("fft2", {}),
            ("ifftn", {"s": (3, 5)}), ("rfft2", {"norm": "forward"}), ("irfftn", {"s": (2, 5)}), ("irfft2", {}),
            ("hfftn", {"dim": (1, 0)}), ("hfft2", {"s": (3, 4)}), ("ihfftn", {}), ("ihfft2", {"s": (3, 5)})]


@pytest.mark.parametrize("name,kw", FD_CASES, ids=[f"{n}{kw}" for n, kw in FD_CASES])
@pytest.mark.parametrize("dtype", ["float64", "complex128"])
def test_gradients_against_finite_differences(name, kw, dtype):
    if dtype == "complex128" and name in REAL_IN:
        pytest.skip("a real-input transform")
    rng = np.random.default_rng(3)
    a = rng.standard_normal((3, 4)) + (1j * rng.standard_normal((3, 4)) if dtype == "complex128" else 0)
    check_gradients(lambda x: getattr(ember.fft, name)(x, **kw), a.astype(dtype))


class _ConjugatedFFT(ember.autograd.Function):
    """fft whose backward gives the conjugate of the right gradient: the check must reject it"""

    @staticmethod
    def forward(ctx, x):
        return ember.fft.fft(x.detach())

    @staticmethod
    def backward(ctx, g):
        return ember.fft.ifft(g, norm="forward").conj()


def test_the_finite_difference_check_rejects_a_wrong_gradient():
    a = (np.arange(4.0) + 1j * np.array([0.5, -1.0, 2.0, 0.25])).astype(np.complex128)
    check_gradients(ember.fft.fft, a)  # the right one passes
    with pytest.raises(AssertionError):
        check_gradients(_ConjugatedFFT.apply, a)


# -- forward mode ----------------------------------------------------------------------------------------------------

def _tangent(lib, name, a, t, kw):
    fwAD = lib.autograd.forward_ad
    with fwAD.dual_level():
        y = getattr(lib.fft, name)(fwAD.make_dual(lib.tensor(a), lib.tensor(t)), **kw)
        return _numpy(lib, fwAD.unpack_dual(y).tangent)


@pytest.mark.parametrize("name,kw", FD_CASES, ids=[f"{n}{kw}" for n, kw in FD_CASES])
def test_forward_mode_tangents(name, kw):
    """J t by forward mode against the central difference (f(a + εt) - f(a - εt)) / 2ε (the transforms are linear,
    so this is exact up to rounding), and against PyTorch's forward AD when it is installed."""
    rng = np.random.default_rng(5)
    cplx = name not in REAL_IN
    a = rng.standard_normal((3, 4)) + (1j * rng.standard_normal((3, 4)) if cplx else 0)
    t = rng.standard_normal((3, 4)) + (1j * rng.standard_normal((3, 4)) if cplx else 0)
    got = _tangent(ember, name, a, t, kw)
    f = getattr(ember.fft, name)
    eps = 1e-3
    fd = (f(ember.tensor(a + eps * t), **kw).numpy() - f(ember.tensor(a - eps * t), **kw).numpy()) / (2 * eps)
    np.testing.assert_allclose(got, fd, rtol=1e-9, atol=1e-9)
    torch = _torch()
    if torch is not None:
        np.testing.assert_allclose(got, _tangent(torch, name, a, t, kw), rtol=1e-12, atol=1e-12)


# -- dtypes, errors, out= ----------------------------------------------------------------------------------------------

def test_dtypes_follow_pytorch():
    """float32 -> complex64, float64 -> complex128, integers and bools in the default float dtype; c2r transforms
    give the real dtype of their precision"""
    i = ember.tensor([1, 2, 3, 4])
    assert ember.fft.fft(i).dtype == ember.complex64 and ember.fft.rfft(i).dtype == ember.complex64
    assert ember.fft.fft(ember.tensor([True, False])).dtype == ember.complex64
    assert ember.fft.irfft(i).dtype == ember.float32 and ember.fft.hfft(i).dtype == ember.float32
    d = ember.tensor([1.0, 2.0], dtype=ember.float64)
    assert ember.fft.fft(d).dtype == ember.complex128 and ember.fft.irfft(d).dtype == ember.float64
    assert ember.fft.ihfft2(ember.ones(2, 2, dtype=ember.float64)).dtype == ember.complex128
    ember.set_default_dtype(ember.float64)
    try:
        assert ember.fft.fft(i).dtype == ember.complex128
    finally:
        ember.set_default_dtype(ember.float32)
    np.testing.assert_allclose(ember.fft.fft(i).numpy(), [10, -2 + 2j, -2, -2 - 2j])


def bad_calls(lib):
    """Bad calls, each made on ``lib``: PyTorch's error class and message are the reference."""
    F = lib.fft
    x = lib.tensor(np.arange(20.0, dtype=np.float32).reshape(4, 5))
    z = lib.tensor((np.arange(20.0) + 1j).reshape(4, 5).astype(np.complex64))
    return {
        "norm": lambda: F.fft(x, norm="bad"), "n0": lambda: F.fft(x, n=0), "n-1": lambda: F.rfft(x, n=-1),
        "dim": lambda: F.fft(x, dim=2), "dim-3": lambda: F.ifft(z, dim=-3), "0d": lambda: F.fft(lib.tensor(3.0)),
        "half": lambda: F.fft(x.half()), "fft2 1d": lambda: F.fft2(lib.ones(4)),
        "s long": lambda: F.fftn(x, s=(3, 3, 3)), "dup": lambda: F.fftn(x, dim=(0, 0)),
        "s dim": lambda: F.fftn(x, s=(3,), dim=(0, 1)), "irfft n": lambda: F.irfft(lib.ones(1, dtype=lib.complex64)),
        "irfftn 0": lambda: F.irfftn(z[:, :1]), "rfft c": lambda: F.rfft(z), "rfftn c": lambda: F.rfftn(z),
        "ihfft c": lambda: F.ihfft(z), "ihfft2 c": lambda: F.ihfft2(z), "rfftn ()": lambda: F.rfftn(x, dim=()),
        "irfftn ()": lambda: F.irfftn(z, dim=()), "hfftn ()": lambda: F.hfftn(z, dim=()),
        "ihfftn ()": lambda: F.ihfftn(x, dim=()), "n bool": lambda: F.fft(x, n=True),
        "dim float": lambda: F.fft(x, dim=1.0), "dim tuple": lambda: F.fft(x, dim=(0,)),
        "norm int": lambda: F.fft(x, norm=1), "s list float": lambda: F.fftn(x, s=[2.0]),
        "s bool": lambda: F.fftn(x, s=(True,)), "ndim float": lambda: F.fftn(x, dim=1.0),
        "s 0": lambda: F.fftn(x, s=(0, 3)), "input int": lambda: F.fft(3), "empty": lambda: F.fft(lib.zeros(0, 4)),
        "empty c2r": lambda: F.irfft(lib.zeros(2, 0, 4, dtype=lib.complex64)),
        "ihfft2 c norm": lambda: F.ihfft2(z, norm="bad"), "out real": lambda: F.fft(x, out=lib.empty(0)),
        "out cplx": lambda: F.irfft(z, out=lib.empty(0, dtype=lib.complex64)),
        "out fftn": lambda: F.ifft2(x, out=lib.empty(0)),
        "out grad": lambda: F.rfft(x.clone().requires_grad_(), out=lib.empty(0, dtype=lib.complex64)),
        "out grad c2c": lambda: F.fftn(z.clone().requires_grad_(), out=lib.empty(0, dtype=lib.complex64)),
        "out grad c2r": lambda: F.hfft(z.clone().requires_grad_(), out=lib.empty(0)),
        "freq n": lambda: F.fftfreq(4.0), "freq neg": lambda: F.fftfreq(-1),
        "freq int": lambda: F.fftfreq(4, dtype=lib.int64), "freq cplx": lambda: F.rfftfreq(4, dtype=lib.complex64),
        "freq d": lambda: F.fftfreq(4, "a"), "freq bool": lambda: F.fftfreq(True),
        "shift dim": lambda: F.fftshift(x, dim=5), "shift 0d": lambda: F.fftshift(lib.tensor(3.0)),
        "shift float": lambda: F.ifftshift(x, dim=1.0),
    }


def error_of(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001
        return [type(e).__name__, str(e)]
    return None


def test_errors_are_pytorchs():
    want = json.loads(JSON.read_text())["errors"]
    got = {k: error_of(f) for k, f in bad_calls(ember).items()}
    assert got == want
    torch = _torch()
    if torch is not None:
        assert want == {k: error_of(f) for k, f in bad_calls(torch).items()}, "re-record the fixtures"


def test_out_is_written_with_pytorchs_rules():
    x = ember.tensor(np.arange(10.0, dtype=np.float32).reshape(2, 5))
    o = ember.empty(0, dtype=ember.complex64)
    assert ember.fft.fft(x, out=o) is o and o.shape == (2, 5)
    np.testing.assert_allclose(o.numpy(), np.fft.fft(x.numpy()), rtol=1e-5, atol=1e-5)
    o = ember.empty(3, dtype=ember.complex128)
    with pytest.warns(UserWarning, match="was resized since it had shape \\[3\\]"):
        ember.fft.rfft2(x, out=o)
    assert o.dtype == ember.complex128 and o.shape == (2, 3)
    o = ember.empty(0, dtype=ember.float64)
    ember.fft.irfft(ember.fft.rfft(x), n=5, out=o)
    np.testing.assert_allclose(o.numpy(), x.numpy(), atol=1e-5)
    # ifft of a real input writes the conjugate of a forward transform into out, recording nothing (as PyTorch)
    o = ember.empty(0, dtype=ember.complex64)
    ember.fft.ifft(x.clone().requires_grad_(), out=o)
    assert not o.requires_grad
    np.testing.assert_allclose(o.numpy(), np.fft.ifft(x.numpy()), rtol=1e-5, atol=1e-6)


# -- frequencies and shifts -------------------------------------------------------------------------------------------

FREQS = [("fftfreq", (5,), {}), ("fftfreq", (4, 0.5), {}), ("fftfreq", (7, 0.1), {"dtype": "float64"}),
         ("rfftfreq", (5, 0.1), {}), ("rfftfreq", (8,), {"dtype": "float64"}), ("fftfreq", (4, 0), {}),
         ("fftfreq", (0,), {}), ("rfftfreq", (9, 3), {}), ("fftfreq", (1000, 1e-3), {})]


def _freq(lib, name, args, kw):
    kw = {k: getattr(lib, v) if k == "dtype" else v for k, v in kw.items()}
    return getattr(lib.fft, name)(*args, **kw)


def test_frequencies_are_pytorchs_bit_for_bit():
    want = json.loads(JSON.read_text())["freqs"]
    for (name, args, kw), w in zip(FREQS, want):
        r = _freq(ember, name, args, kw)
        assert str(r.dtype) == w["dtype"]
        got = [x if x == x else "nan" for x in r.tolist()]
        assert got == w["values"], (name, args, kw)
    r = ember.fft.fftfreq(4, requires_grad=True, dtype=ember.float64)
    assert r.requires_grad and r.is_leaf
    o = ember.empty(2, dtype=ember.float64)
    assert ember.fft.rfftfreq(6, 2.0, out=o) is o and o.tolist() == [0.0, 1 / 12, 2 / 12, 3 / 12]


def test_shifts():
    x = ember.arange(12.0).reshape(3, 4).requires_grad_()
    y = ember.fft.fftshift(x)
    assert y.grad_fn.name() == "RollBackward0"
    np.testing.assert_array_equal(y.detach().numpy(), np.fft.fftshift(np.arange(12.0).reshape(3, 4)))
    np.testing.assert_array_equal(ember.fft.ifftshift(x, dim=0).detach().numpy(),
                                  np.fft.ifftshift(np.arange(12.0).reshape(3, 4), axes=0))
    np.testing.assert_array_equal(ember.fft.ifftshift(ember.fft.fftshift(x, (0, 1)), (0, 1)).detach().numpy(),
                                  x.detach().numpy())
    f = ember.fft.fftshift(ember.fft.fftfreq(6))
    assert f.tolist() == sorted(f.tolist())
    (y * ember.arange(12.0).reshape(3, 4)).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), np.fft.ifftshift(np.arange(12.0).reshape(3, 4)))


# -- recording the fixtures ----------------------------------------------------------------------------------------

def record():
    import torch
    torch.set_num_threads(1)
    meta, arrays = {"cases": {}, "errors": {}, "freqs": []}, {}
    for case in RECORDED:
        r = run(torch, case)
        key = _key(case)
        if "error" in r:
            meta["cases"][key] = {"error": r["error"]}
            continue
        meta["cases"][key] = {"graph": r["graph"]}
        for k in ("value", "grad", "gradgrad"):
            arrays[f"{key}|{k}"] = r[k]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        meta["errors"] = {k: error_of(f) for k, f in bad_calls(torch).items()}
    for name, args, kw in FREQS:
        r = _freq(torch, name, args, kw)
        meta["freqs"].append({"dtype": str(r.dtype), "values": [x if x == x else "nan" for x in r.tolist()]})
    np.savez_compressed(NPZ, **arrays)
    JSON.write_text(json.dumps(meta, indent=1) + "\n")
    print(f"wrote {NPZ} ({len(arrays)} arrays) and {JSON}", file=sys.stderr)


if __name__ == "__main__":
    record()
