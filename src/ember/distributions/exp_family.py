"""``torch.distributions.exp_family``: distributions of the exponential family, whose entropy follows from the
log-normaliser F (a Bregman divergence, worked out with autograd)."""

from __future__ import annotations

import ember

from .distribution import Distribution

__all__ = ["ExponentialFamily"]


class ExponentialFamily(Distribution):
    """p(x; θ) = exp(<t(x), θ> - F(θ) + k(x)); subclasses give θ (``_natural_params``), F (``_log_normalizer``)
    and E[k(x)] (``_mean_carrier_measure``)."""

    @property
    def _natural_params(self):
        raise NotImplementedError

    def _log_normalizer(self, *natural_params):
        raise NotImplementedError

    @property
    def _mean_carrier_measure(self):
        raise NotImplementedError

    def entropy(self):
        """H = F(θ) - <θ, ∇F(θ)> - E[k(x)]"""
        result = -self._mean_carrier_measure
        params = [p.detach().requires_grad_() for p in self._natural_params]
        lg = self._log_normalizer(*params)
        grads = ember.autograd.grad(lg.sum(), params, create_graph=True)
        result += lg
        for p, g in zip(params, grads):
            result -= (p * g).reshape(tuple(self._batch_shape) + (-1,)).sum(-1)
        return result
