"""Gamma, Dirichlet and binomial draws in PyTorch's CPU streams (torch._standard_gamma, torch._sample_dirichlet,
torch.binomial) and the reparametrised gamma gradient (torch._standard_gamma_grad, StandardGammaBackward0).

The cases run under ember and are compared with PyTorch's answers recorded in tests/fixtures/samplers/ (bit for
bit: the draws are printed with repr of Python floats); with torch installed the record is checked against it.
``python tests/test_gamma_binomial.py`` rewrites the record from torch.
"""

from __future__ import annotations

import functools
import json
import pathlib
import sys

import pytest

import ember

FIXTURE = pathlib.Path(__file__).resolve().parent / "fixtures" / "samplers" / "gamma_binomial.json"

ALPHAS = [0.3, 1.0, 2.5, 10.0, 0.05, 0.9, 1.5, 30.0, 200.0, 0.001, 7.0, 0.0]


def cases(L) -> dict:
    """What each sampler gives after a fixed seed; the generator's next number shows how much was drawn."""
    out = {}
    L.manual_seed(0)
    a = L.tensor(ALPHAS)
    out["gamma_f32"] = [L._standard_gamma(a).tolist() for _ in range(3)]
    out["gamma_f64"] = L._standard_gamma(a.double()).tolist()
    out["after_gamma"] = L.rand(1).item()
    out["gamma_2d_expanded"] = L._standard_gamma(L.tensor([[0.5], [4.0]]).expand(2, 3)).tolist()
    out["dirichlet_f32"] = L._sample_dirichlet(L.tensor([[0.5, 1.0, 2.0], [3., 3., 3.], [0.01, 0.02, 5.0]])).tolist()
    out["dirichlet_f64"] = L._sample_dirichlet(L.tensor([[0.5, 1.0, 2.0], [3., 3., 3.]]).double()).tolist()
    counts = L.tensor([10., 100., 5., 1000., 50., 20., 0., 7., 3.])
    probs = L.tensor([0.3, 0.4, 0.9, 0.95, 0.5, 0.05, 0.5, 1.0, 0.0])
    out["binomial_f32"] = [L.binomial(counts, probs).tolist() for _ in range(3)]
    out["binomial_f64"] = L.binomial(counts.double(), probs.double()).tolist()
    out["binomial_many"] = L.binomial(L.full((300,), 37.), L.linspace(0.01, 0.99, 300)).tolist()
    out["after_binomial"] = L.rand(1).item()
    alpha = L.tensor([0.3, 1.0, 2.5, 10.0, 0.05, 20.0, 9.0, 9.0, 3.0])
    x = L.tensor([0.1, 0.5, 3.0, 9.5, 0.01, 19.0, 5.0, 15.0, 0.85])
    out["gamma_grad_f32"] = L._standard_gamma_grad(alpha, x).tolist()
    out["gamma_grad_f64"] = L._standard_gamma_grad(alpha.double(), x.double()).tolist()
    a = alpha.clone().requires_grad_()
    draw = L._standard_gamma(a)
    out["grad_fn"] = draw.grad_fn.name()
    draw.sum().backward()
    out["backward"] = a.grad.tolist()
    return out


def _record() -> dict:
    return json.loads(FIXTURE.read_text())


@functools.cache
def _ember_cases() -> dict:
    return cases(ember)


@pytest.mark.parametrize("key", sorted(_record()))
def test_sampler_matches_pytorchs_record(key):
    assert _ember_cases()[key] == _record()[key]


def test_the_record_is_pytorchs():
    torch = pytest.importorskip("torch")
    assert cases(torch) == _record()


def test_a_wrong_draw_is_seen():
    rec = _record()
    changed = dict(rec, gamma_f64=[v * (1 + 1e-15) for v in rec["gamma_f64"]])
    assert changed != rec  # the comparison is exact: one ulp differs


def test_errors_and_meta():
    with pytest.raises(NotImplementedError, match="gamma_cpu"):
        ember._standard_gamma(ember.tensor([1, 2]))
    m = ember._standard_gamma(ember.empty(3, device="meta"))
    assert m.is_meta and m.shape == (3,)


if __name__ == "__main__":
    import torch
    FIXTURE.write_text(json.dumps(cases(torch), indent=1) + "\n")
    sys.exit(0)
