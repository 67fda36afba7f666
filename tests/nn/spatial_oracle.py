"""PyTorch as the oracle for the spatial nn tests: run one call in both libraries and compare what a user sees.

``check(tfn, efn, inputs)`` applies ``tfn`` to torch copies and ``efn`` to ember copies of the same inputs and
compares, for every output, the values (integer outputs such as pooling indices exactly), dtypes, shapes and
``grad_fn`` names; then backpropagates one random cotangent through both and compares the gradients of every
floating input. ``check_raises`` compares error classes and messages. ``test_spatial_oracle.py`` shows each
checker rejecting a wrong answer.

Import ``gradcheck`` before ``gradgradcheck`` from ``ember.autograd``: its lazy loader lets the submodule
``ember.autograd.gradcheck`` shadow the function when ``gradgradcheck`` is loaded first.
"""

from __future__ import annotations

import numpy as np
import torch

import ember

TOL = {torch.float32: 2e-4, torch.float64: 1e-10}


def to_ember(t: torch.Tensor, requires_grad: bool | None = None) -> ember.Tensor:
    """An ember leaf with the values (and dtype) of torch tensor ``t``."""
    e = ember.tensor(t.detach().numpy().copy())
    rg = t.requires_grad if requires_grad is None else requires_grad
    if rg and t.is_floating_point():
        e.requires_grad_(True)
    return e


def assert_close(t, e, tol: float, what: str = "value") -> None:
    """Same shape and dtype, and values within ``tol`` (relative to the largest magnitude); integers exactly."""
    a = t.detach().numpy() if isinstance(t, torch.Tensor) else np.asarray(t)
    b = e.detach().numpy() if isinstance(e, ember.Tensor) else np.asarray(e)
    assert a.shape == b.shape, f"{what}: shape {b.shape} != torch's {a.shape}"
    assert a.dtype == b.dtype, f"{what}: dtype {b.dtype} != torch's {a.dtype}"
    if a.dtype.kind in "iub":
        np.testing.assert_array_equal(b, a, err_msg=what)
        return
    scale = max(1.0, float(np.nanmax(np.abs(a))) if a.size and np.isfinite(a).any() else 1.0)
    np.testing.assert_allclose(b, a, rtol=tol, atol=tol * scale, err_msg=what)


def _outputs(r) -> tuple:
    return tuple(r) if isinstance(r, (tuple, list)) else (r,)


def check(tfn, efn, inputs, dtype=torch.float64, tol: float | None = None, grad: bool = True,
          names: bool = True, seed: int = 0):
    """Run ``tfn`` on torch copies and ``efn`` on ember copies of ``inputs`` (torch tensors or other values,
    passed as they are); compare outputs, grad_fn names and the gradients of the floating inputs."""
    tol = TOL[dtype] if tol is None else tol
    tin, ein = [], []
    for x in inputs:
        if isinstance(x, torch.Tensor):
            t = x.detach().clone()
            if t.is_floating_point():
                t = t.to(dtype)
                t.requires_grad_(grad)
            tin.append(t)
            ein.append(to_ember(t))
        else:
            tin.append(x)
            ein.append(x)
    tout, eout = _outputs(tfn(*tin)), _outputs(efn(*ein))
    assert len(tout) == len(eout), f"{len(eout)} outputs, torch gives {len(tout)}"
    for i, (a, b) in enumerate(zip(tout, eout)):
        assert_close(a, b, tol, f"output {i}")
        if names:
            ta = type(a.grad_fn).__name__ if a.grad_fn is not None else None
            tb = type(b.grad_fn).__name__ if b.grad_fn is not None else None
            assert ta == tb, f"output {i}: grad_fn {tb} != torch's {ta}"
    if not grad:
        return tout, eout
    gen = torch.Generator().manual_seed(seed)
    diff = [(a, b) for a, b in zip(tout, eout) if a.is_floating_point() and a.requires_grad]
    if not diff:
        return tout, eout
    cot = [torch.randn(a.shape, generator=gen, dtype=a.dtype) for a, _ in diff]
    torch.autograd.backward([a for a, _ in diff], cot)
    ember.autograd.backward([b for _, b in diff], [to_ember(c, False) for c in cot])
    for k, (t, e) in enumerate(zip(tin, ein)):
        if isinstance(t, torch.Tensor) and t.requires_grad:
            assert (t.grad is None) == (e.grad is None), f"input {k}: grad is {e.grad}, torch's {t.grad}"
            if t.grad is not None:
                assert_close(t.grad, e.grad, tol, f"grad of input {k}")
    return tout, eout


def check_raises(tfn, efn) -> BaseException:
    """Both calls raise: the same exception class (by name) and the same message."""
    terr = eerr = None
    try:
        tfn()
    except Exception as ex:  # noqa: BLE001 - any error of torch's is the reference
        terr = ex
    try:
        efn()
    except Exception as ex:  # noqa: BLE001
        eerr = ex
    assert terr is not None, "torch raised nothing"
    assert eerr is not None, f"ember raised nothing; torch raised {type(terr).__name__}: {terr}"
    assert type(eerr).__name__ == type(terr).__name__, f"{type(eerr).__name__}: {eerr}\n  torch: " \
                                                       f"{type(terr).__name__}: {terr}"
    assert str(eerr) == str(terr), f"message:\n  ember: {eerr}\n  torch: {terr}"
    return eerr


def tensor_pair(*shape, seed: int = 0, dtype=torch.float64, low=None, high=None):
    """A torch tensor of standard normals (or uniforms in [low, high)) from a seeded generator."""
    g = torch.Generator().manual_seed(seed)
    if low is not None:
        return torch.rand(shape, generator=g, dtype=dtype) * (high - low) + low
    return torch.randn(shape, generator=g, dtype=dtype)
