"""torch.distributions under ember, case by case against PyTorch's answers.

For every distribution: its repr, shapes, support, draws after a fixed seed (sample and rsample, so the random
stream is consumed as PyTorch consumes it), log_prob, entropy, mean, variance, cdf / icdf where defined, expand,
enumerate_support, gradients of rsample; then KL divergences, transforms (forward, inverse, log |det J|, shapes),
constraints (repr, check), biject_to / transform_to, and the validation errors. Each case prints to a string;
the strings are compared with PyTorch's, recorded in tests/fixtures/distributions.json (``python
tests/test_distributions.py`` rewrites the record; with torch installed the record is checked against it).
"""

from __future__ import annotations

import functools
import json
import math
import pathlib
import sys

import pytest

import ember

FIXTURE = pathlib.Path(__file__).resolve().parent / "fixtures" / "distributions.json"


def _show(v) -> str:
    if isinstance(v, (list, tuple)):
        return "(" + ", ".join(_show(x) for x in v) + ")"
    return str(v)


def _try(f) -> str:
    try:
        return _show(f())
    except Exception as e:  # noqa: BLE001 -- the error is the answer
        return f"{type(e).__name__}: {e}"


def _dists(L):
    """name -> a function making the distribution (parameters that require grad where rsample exists)"""
    D = L.distributions
    t = L.tensor

    def rg(*v):
        return t(list(v), requires_grad=True)

    return {
        "Normal": lambda: D.Normal(rg(0.0, 1.0, -2.0), rg(1.0, 0.5, 2.0)),
        "Normal_scalar": lambda: D.Normal(0.0, 1.0),
        "Uniform": lambda: D.Uniform(rg(0.0, -1.0), rg(2.0, 3.0)),
        "Bernoulli_probs": lambda: D.Bernoulli(probs=t([0.1, 0.5, 0.9])),
        "Bernoulli_logits": lambda: D.Bernoulli(logits=t([-1.0, 0.0, 2.0])),
        "Categorical": lambda: D.Categorical(logits=t([[1.0, 2.0, 0.5], [0.1, 0.1, 3.0]])),
        "Categorical_probs": lambda: D.Categorical(probs=t([0.2, 0.3, 0.5])),
        "OneHotCategorical": lambda: D.OneHotCategorical(probs=t([0.25, 0.25, 0.5])),
        "Beta": lambda: D.Beta(t([2.0, 0.5]), t([5.0, 0.5])),
        "Dirichlet": lambda: D.Dirichlet(t([[1.0, 2.0, 3.0], [0.5, 0.5, 0.5]])),
        "Gamma": lambda: D.Gamma(rg(2.0, 0.5, 9.0), rg(3.0, 1.0, 0.5)),
        "Chi2": lambda: D.Chi2(t([1.0, 4.0])),
        "Exponential": lambda: D.Exponential(rg(2.0, 0.5)),
        "Laplace": lambda: D.Laplace(rg(0.0, 1.0), rg(1.0, 2.0)),
        "Cauchy": lambda: D.Cauchy(rg(0.0, 1.0), rg(1.0, 0.5)),
        "Poisson": lambda: D.Poisson(t([1.0, 4.0, 20.0])),
        "Geometric": lambda: D.Geometric(probs=t([0.2, 0.7])),
        "Binomial": lambda: D.Binomial(10, t([0.2, 0.8])),
        "Multinomial": lambda: D.Multinomial(6, probs=t([0.2, 0.3, 0.5])),
        "NegativeBinomial": lambda: D.NegativeBinomial(t([3.0, 5.0]), probs=t([0.3, 0.6])),
        "MultivariateNormal": lambda: D.MultivariateNormal(rg(0.0, 1.0), covariance_matrix=t([[2.0, 0.5],
                                                                                               [0.5, 1.0]])),
        "MultivariateNormal_tril": lambda: D.MultivariateNormal(t([0.0, 0.0]), scale_tril=t([[1.0, 0.0],
                                                                                              [0.3, 0.7]])),
        "MultivariateNormal_prec": lambda: D.MultivariateNormal(t([1.0, -1.0]), precision_matrix=t([[2.0, 0.3],
                                                                                                    [0.3, 1.0]])),
        "LowRankMultivariateNormal": lambda: D.LowRankMultivariateNormal(t([0.0, 1.0, 2.0]),
                                                                         t([[1.0], [0.5], [0.2]]),
                                                                         t([1.0, 0.5, 2.0])),
        "Independent": lambda: D.Independent(D.Normal(rg(0.0, 1.0, 2.0), rg(1.0, 1.0, 1.0)), 1),
        "LogNormal": lambda: D.LogNormal(rg(0.0, 1.0), rg(0.5, 0.25)),
        "HalfNormal": lambda: D.HalfNormal(rg(1.0, 2.0)),
        "HalfCauchy": lambda: D.HalfCauchy(rg(1.0, 2.0)),
        "StudentT": lambda: D.StudentT(rg(3.0, 10.0), rg(0.0, 1.0), rg(1.0, 2.0)),
        "Gumbel": lambda: D.Gumbel(rg(0.0, 1.0), rg(1.0, 2.0)),
        "Weibull": lambda: D.Weibull(rg(1.0, 2.0), rg(1.5, 0.5)),
        "Pareto": lambda: D.Pareto(rg(1.0, 2.0), rg(3.0, 1.5)),
        "Kumaraswamy": lambda: D.Kumaraswamy(rg(2.0, 0.5), rg(3.0, 0.8)),
        "LogisticNormal": lambda: D.LogisticNormal(rg(0.0, 1.0), rg(1.0, 0.5)),
        "ContinuousBernoulli": lambda: D.ContinuousBernoulli(probs=rg(0.2, 0.5, 0.8)),
        "RelaxedBernoulli": lambda: D.RelaxedBernoulli(t(0.5), probs=rg(0.2, 0.8)),
        "RelaxedOneHotCategorical": lambda: D.RelaxedOneHotCategorical(t(0.7), logits=rg(0.0, 1.0, -1.0)),
        "FisherSnedecor": lambda: D.FisherSnedecor(rg(3.0, 6.0), rg(5.0, 10.0)),
        "InverseGamma": lambda: D.InverseGamma(rg(3.0, 2.5), rg(2.0, 1.0)),
        "MixtureSameFamily": lambda: D.MixtureSameFamily(D.Categorical(t([0.2, 0.5, 0.3])),
                                                         D.Normal(t([-2.0, 0.0, 2.0]), t([0.5, 1.0, 0.5]))),
        "TransformedDistribution": lambda: D.TransformedDistribution(
            D.Normal(rg(0.0, 0.5), rg(1.0, 1.0)),
            [D.transforms.TanhTransform(cache_size=1), D.transforms.AffineTransform(1.0, 2.0)]),
        "OneHotCategoricalStraightThrough": lambda: D.OneHotCategoricalStraightThrough(logits=rg(0.0, 1.0, 2.0)),
    }


def _value_for(name, d, L):
    """a point inside the support to evaluate log_prob / cdf at"""
    if name.startswith("Categorical"):
        return L.tensor([2, 0]) if d.batch_shape else L.tensor(1)
    if "OneHot" in name:
        return L.tensor([0.0, 0.0, 1.0])
    return None


def dist_cases(L) -> dict:
    out = {}
    for name, make in _dists(L).items():
        L.manual_seed(0)
        d = make()
        rows = [repr(d), str(d.batch_shape), str(d.event_shape), _try(lambda d=d: d.support),
                str(d.has_rsample), str(d.has_enumerate_support)]
        s = d.sample()
        rows.append(_show(s))
        rows.append(_show(d.sample((2,))))
        v = _value_for(name, d, L)
        v = s if v is None else v
        rows.append(_try(lambda d=d, v=v: d.log_prob(v)))
        for attr in ("mean", "variance", "stddev", "mode"):
            rows.append(_try(lambda d=d, a=attr: getattr(d, a)))
        rows.append(_try(lambda d=d: d.entropy()))
        rows.append(_try(lambda d=d, v=v: d.cdf(v)))
        rows.append(_try(lambda d=d: d.icdf(L.tensor(0.3))))
        rows.append(_try(lambda d=d: d.enumerate_support()))
        if d.has_rsample:
            x = d.rsample((3,))
            rows.append(_show(x))
            grads = [p for p in d.__dict__.values() if isinstance(p, L.Tensor) and p.requires_grad and p.is_leaf]
            if grads:
                (x.sum() + d.log_prob(x.detach()).sum()).backward()
                rows.append(_show([p.grad for p in grads]))
        e = _try(lambda d=d: d.expand((4,) + tuple(d.batch_shape)))
        rows.append(e)
        rows.append(_try(lambda d=d: d.expand((4,) + tuple(d.batch_shape)).sample().shape))
        rows.append(str(L.rand(1)))  # how many numbers the draws above took
        out[name] = rows
    return out


def kl_cases(L) -> dict:
    D = L.distributions
    t = L.tensor
    pairs = {
        "Normal|Normal": (D.Normal(t([0.0, 1.0]), t([1.0, 2.0])), D.Normal(t([1.0, 0.0]), t([2.0, 0.5]))),
        "Categorical|Categorical": (D.Categorical(logits=t([1.0, 2.0, 0.5])),
                                    D.Categorical(probs=t([0.3, 0.3, 0.4]))),
        "Bernoulli|Bernoulli": (D.Bernoulli(t([0.2, 0.0])), D.Bernoulli(t([0.5, 0.5]))),
        "Beta|Beta": (D.Beta(t(2.0), t(3.0)), D.Beta(t(1.0), t(1.5))),
        "Gamma|Gamma": (D.Gamma(t(2.0), t(1.0)), D.Gamma(t(3.0), t(2.0))),
        "Dirichlet|Dirichlet": (D.Dirichlet(t([1.0, 2.0])), D.Dirichlet(t([2.0, 2.0]))),
        "Exponential|Exponential": (D.Exponential(t(1.0)), D.Exponential(t(3.0))),
        "Laplace|Laplace": (D.Laplace(t(0.0), t(1.0)), D.Laplace(t(1.0), t(2.0))),
        "Poisson|Poisson": (D.Poisson(t(2.0)), D.Poisson(t(5.0))),
        "Uniform|Uniform": (D.Uniform(t([0.0, -2.0]), t([1.0, 1.0])), D.Uniform(t([-1.0, -1.0]), t([2.0, 2.0]))),
        "MVN|MVN": (D.MultivariateNormal(t([0.0, 0.0]), t([[1.0, 0.2], [0.2, 1.0]])),
                    D.MultivariateNormal(t([1.0, 0.0]), t([[2.0, 0.0], [0.0, 0.5]]))),
        "LowRank|LowRank": (D.LowRankMultivariateNormal(t([0.0, 1.0]), t([[1.0], [0.5]]), t([1.0, 2.0])),
                            D.LowRankMultivariateNormal(t([1.0, 1.0]), t([[0.3], [0.2]]), t([0.5, 1.0]))),
        "Independent|Independent": (D.Independent(D.Normal(t([0.0, 1.0]), t([1.0, 1.0])), 1),
                                    D.Independent(D.Normal(t([0.5, 0.0]), t([2.0, 1.0])), 1)),
        "Normal|Laplace": (D.Normal(t(0.0), t(1.0)), D.Laplace(t(0.5), t(2.0))),
        "Normal|Gumbel": (D.Normal(t(0.0), t(1.0)), D.Gumbel(t(0.5), t(2.0))),
        "Uniform|Normal": (D.Uniform(t(0.0), t(1.0)), D.Normal(t(0.5), t(2.0))),
        "Exponential|Gamma": (D.Exponential(t(2.0)), D.Gamma(t(2.0), t(1.0))),
        "Gamma|Normal": (D.Gamma(t(2.0), t(1.0)), D.Normal(t(0.5), t(2.0))),
        "Normal|Exponential": (D.Normal(t(0.0), t(1.0)), D.Exponential(t(1.0))),
        "Beta|Uniform": (D.Beta(t(2.0), t(2.0)), D.Uniform(t(0.0), t(1.0))),
        "Pareto|Pareto": (D.Pareto(t(1.0), t(3.0)), D.Pareto(t(2.0), t(2.0))),
        "Geometric|Geometric": (D.Geometric(t(0.3)), D.Geometric(t(0.6))),
        "Binomial|Binomial": (D.Binomial(10, t(0.3)), D.Binomial(10, t(0.6))),
        "Cauchy|Cauchy": (D.Cauchy(t(0.0), t(1.0)), D.Cauchy(t(1.0), t(2.0))),
        "HalfNormal|HalfNormal": (D.HalfNormal(t(1.0)), D.HalfNormal(t(2.0))),
        "LogNormal|LogNormal": (D.LogNormal(t(0.0), t(1.0)), D.LogNormal(t(1.0), t(0.5))),
        "OneHot|OneHot": (D.OneHotCategorical(t([0.2, 0.8])), D.OneHotCategorical(t([0.5, 0.5]))),
        "Gumbel|Gumbel": (D.Gumbel(t(0.0), t(1.0)), D.Gumbel(t(1.0), t(2.0))),
        "ContinuousBernoulli|ContinuousBernoulli": (D.ContinuousBernoulli(t(0.3)), D.ContinuousBernoulli(t(0.7))),
        "Normal|Uniform": (D.Normal(t(0.0), t(1.0)), D.Uniform(t(0.0), t(1.0))),
        "Poisson|Bernoulli": (D.Poisson(t(1.0)), D.Bernoulli(t(0.5))),
        "Normal|Beta": (D.Normal(t(0.0), t(1.0)), D.Beta(t(2.0), t(2.0))),
        "Uniform|Gamma": (D.Uniform(t(1.0), t(2.0)), D.Gamma(t(2.0), t(1.0))),
        "Exponential|Normal": (D.Exponential(t(2.0)), D.Normal(t(0.5), t(2.0))),
        "Laplace|Normal": (D.Laplace(t(0.0), t(1.0)), D.Normal(t(0.5), t(2.0))),
        "Pareto|Normal": (D.Pareto(t(1.0), t(3.0)), D.Normal(t(0.5), t(2.0))),
        "StudentT|Normal": (D.StudentT(t(3.0)), D.Normal(t(0.0), t(1.0))),
        "Poisson|Normal": (D.Poisson(t(1.0)), D.Normal(t(0.0), t(1.0))),
    }
    return {k: _try(lambda p=p, q=q: D.kl_divergence(p, q)) for k, (p, q) in pairs.items()}


def transform_cases(L) -> dict:
    T = L.distributions.transforms
    C = L.distributions.constraints
    x = L.tensor([[-1.0, 0.5, 2.0], [0.3, -0.2, 0.1]])
    pos = x.abs() + 0.1
    out = {}
    items = {
        "Exp": (T.ExpTransform(), x), "Sigmoid": (T.SigmoidTransform(), x), "Tanh": (T.TanhTransform(), x),
        "Softplus": (T.SoftplusTransform(), x), "Affine": (T.AffineTransform(1.0, -2.0), x),
        "Affine_tensor": (T.AffineTransform(L.tensor([1.0, 0.0, -1.0]), L.tensor([2.0, 0.5, 3.0]), event_dim=1), x),
        "Power": (T.PowerTransform(L.tensor(2.5)), pos), "Abs": (T.AbsTransform(), x),
        "StickBreaking": (T.StickBreakingTransform(), x), "Softmax": (T.SoftmaxTransform(), x),
        "LowerCholesky": (T.LowerCholeskyTransform(), L.tensor([[0.5, 2.0], [-1.0, 0.1]])),
        "CorrCholesky": (T.CorrCholeskyTransform(), L.tensor([0.3, -0.5, 1.2])),
        "Compose": (T.ComposeTransform([T.ExpTransform(), T.AffineTransform(0.0, 3.0)]), x),
        "Independent": (T.IndependentTransform(T.ExpTransform(), 1), x),
        "Reshape": (T.ReshapeTransform((3,), (3, 1)), x),
        "Inverse": (T.ExpTransform().inv, pos),
        "Cat": (T.CatTransform([T.ExpTransform(), T.AffineTransform(0.0, 2.0)], dim=1, lengths=[1, 2]), x),
        "Stack": (T.StackTransform([T.ExpTransform(), T.TanhTransform(), T.AffineTransform(1.0, 1.0)], dim=1), x),
        "PositiveDefinite": (T.PositiveDefiniteTransform(), L.tensor([[0.5, 2.0], [-1.0, 0.1]])),
    }
    for name, (tr, v) in items.items():
        y = _try(lambda tr=tr, v=v: tr(v))
        back = _try(lambda tr=tr, v=v: tr.inv(tr(v)))
        ldj = _try(lambda tr=tr, v=v: tr.log_abs_det_jacobian(v, tr(v)))
        shapes = _try(lambda tr=tr, v=v: (tr.forward_shape(v.shape), tr.inverse_shape(tr(v).shape)))
        out[name] = [repr(tr), _try(lambda tr=tr: tr.domain), _try(lambda tr=tr: tr.codomain),
                     _try(lambda tr=tr: tr.bijective), _try(lambda tr=tr: tr.sign), y, back, ldj, shapes,
                     _try(lambda tr=tr: tr.event_dim)]
    cons = {"real": C.real, "positive": C.positive, "unit_interval": C.unit_interval, "simplex": C.simplex,
            "interval": C.interval(-1.0, 2.0), "greater_than_eq": C.greater_than_eq(0.5),
            "integer_interval": C.integer_interval(0, 3), "nonnegative_integer": C.nonnegative_integer,
            "boolean": C.boolean, "one_hot": C.one_hot, "real_vector": C.real_vector,
            "lower_cholesky": C.lower_cholesky, "positive_definite": C.positive_definite,
            "half_open": C.half_open_interval(0.0, 1.0), "less_than": C.less_than(1.0),
            "corr_cholesky": C.corr_cholesky, "square": C.square, "symmetric": C.symmetric,
            "cat": C.cat([C.positive, C.real], dim=1, lengths=[1, 2]), "stack": C.stack([C.positive, C.real, C.real], 1)}
    m = L.tensor([[1.0, 0.0], [0.5, 2.0]])
    for name, c in cons.items():
        out["constraint:" + name] = [repr(c), _try(lambda c=c: c.check(x)), _try(lambda c=c: c.check(m)),
                                     _try(lambda c=c: c.event_dim), _try(lambda c=c: c.is_discrete),
                                     _try(lambda c=c: repr(L.distributions.biject_to(c))),
                                     _try(lambda c=c: repr(L.distributions.transform_to(c)))]
    out["dependent"] = [repr(C.dependent), _try(lambda: C.dependent.check(x)), str(C.is_dependent(C.dependent)),
                        _try(lambda: C.dependent.event_dim)]
    return out


def error_cases(L) -> dict:
    D = L.distributions
    t = L.tensor
    cases = {
        "normal_scale": lambda: D.Normal(0.0, -1.0),
        "normal_scale_tensor": lambda: D.Normal(t([0.0, 1.0]), t([1.0, -2.0])),
        "uniform_order": lambda: D.Uniform(1.0, 0.0),
        "bernoulli_both": lambda: D.Bernoulli(probs=t(0.5), logits=t(0.0)),
        "bernoulli_range": lambda: D.Bernoulli(probs=t([1.5])),
        "categorical_support": lambda: D.Categorical(probs=t([0.5, 0.5])).log_prob(t(3)),
        "categorical_0d": lambda: D.Categorical(probs=t(0.5)),
        "normal_event_shape": lambda: D.MultivariateNormal(t([0.0, 0.0]), t([[1.0, 0.0], [0.0, 1.0]])).log_prob(
            t([1.0, 2.0, 3.0])),
        "broadcast": lambda: D.Normal(t([0.0, 1.0]), t([1.0, 1.0])).log_prob(t([1.0, 2.0, 3.0])),
        "not_tensor": lambda: D.Normal(0.0, 1.0).log_prob(0.5),
        "gamma_negative_value": lambda: D.Gamma(t(1.0), t(1.0)).log_prob(t(-1.0)),
        "mvn_two": lambda: D.MultivariateNormal(t([0.0]), covariance_matrix=t([[1.0]]), scale_tril=t([[1.0]])),
        "mvn_not_symmetric": lambda: D.MultivariateNormal(t([0.0, 0.0]), t([[1.0, 2.0], [0.0, 1.0]])),
        "dirichlet_0d": lambda: D.Dirichlet(t(1.0)),
        "kl_missing": lambda: D.kl_divergence(D.Normal(0.0, 1.0), D.Poisson(t(1.0))),
        "independent_ndims": lambda: D.Independent(D.Normal(t([0.0]), t([1.0])), 2),
        "mixture_type": lambda: D.MixtureSameFamily(D.Normal(0.0, 1.0), D.Normal(t([0.0]), t([1.0]))),
        "geometric_zero": lambda: D.Geometric(probs=t([0.0, 0.5])),
        "exponential_negative": lambda: D.Exponential(t([-1.0])),
        "no_validation": lambda: D.Normal(0.0, -1.0, validate_args=False).scale,
        "transform_cache": lambda: L.distributions.transforms.ExpTransform(cache_size=2),
        "biject_unknown": lambda: L.distributions.biject_to(L.distributions.constraints.boolean),
        "relaxed_rsample_shape": lambda: D.RelaxedBernoulli(t(0.5), probs=t([0.3])).rsample((2,)).shape,
        "multinomial_total": lambda: D.Multinomial(t(3), probs=t([0.5, 0.5])),
    }
    return {k: _try(f) for k, f in cases.items()}


def all_cases(L) -> dict:
    return {"dists": dist_cases(L), "kl": kl_cases(L), "transforms": transform_cases(L), "errors": error_cases(L)}


def _record() -> dict:
    return json.loads(FIXTURE.read_text())


@functools.cache
def _ember() -> dict:
    return all_cases(ember)


_REC = _record() if FIXTURE.exists() else {"dists": {}, "kl": {}, "transforms": {}, "errors": {}}


@pytest.mark.parametrize("name", sorted(_REC["dists"]))
def test_distribution_matches_pytorch(name):
    assert _ember()["dists"][name] == _REC["dists"][name]


@pytest.mark.parametrize("pair", sorted(_REC["kl"]))
def test_kl_matches_pytorch(pair):
    assert _ember()["kl"][pair] == _REC["kl"][pair]


@pytest.mark.parametrize("name", sorted(_REC["transforms"]))
def test_transform_and_constraint_match_pytorch(name):
    assert _ember()["transforms"][name] == _REC["transforms"][name]


@pytest.mark.parametrize("name", sorted(_REC["errors"]))
def test_error_matches_pytorch(name):
    assert _ember()["errors"][name] == _REC["errors"][name]


def test_the_record_covers_every_case():
    got = _ember()
    assert {k: sorted(v) for k, v in got.items()} == {k: sorted(v) for k, v in _REC.items()}


def test_the_record_is_pytorchs():
    torch = pytest.importorskip("torch")
    assert all_cases(torch) == _REC


def test_a_different_draw_is_seen():
    # the comparison sees one changed digit of one draw
    rec = _REC["dists"]["Normal"]
    changed = list(rec)
    changed[6] = changed[6].replace("1", "2", 1)
    assert changed != rec and _ember()["dists"]["Normal"] == rec


def test_kl_of_a_distribution_with_itself_is_zero():
    D = ember.distributions
    for d in (D.Normal(ember.tensor([0.3]), ember.tensor([2.0])), D.Gamma(ember.tensor(2.0), ember.tensor(3.0)),
              D.Beta(ember.tensor(2.0), ember.tensor(0.5))):
        assert abs(float(D.kl_divergence(d, d).sum())) < 1e-6
    assert math.isinf(float(D.kl_divergence(D.Uniform(0.0, 2.0), D.Uniform(0.0, 1.0))))


if __name__ == "__main__":
    import torch
    FIXTURE.write_text(json.dumps(all_cases(torch), indent=1) + "\n")
    sys.exit(0)
