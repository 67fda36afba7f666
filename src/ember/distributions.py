"""``torch.distributions``: the distributions RL and VAE tutorials use (Normal, Categorical, Bernoulli, Uniform),
with PyTorch's sampling calls (so seeded draws consume the same random stream), log_prob, entropy, rsample."""

from __future__ import annotations

import math
import numbers

import ember

from ._core.tensor import Size, Tensor

_EMPTY = Size()  # the default sample_shape: one draw

__all__ = ["Distribution", "Normal", "Categorical", "Bernoulli", "Uniform", "kl_divergence", "Independent"]


def _broadcast_all(*values):
    """Numbers become tensors of the first tensor's dtype (the default dtype if none); then all broadcast."""
    like = next((v for v in values if isinstance(v, Tensor)), None)
    dtype = like.dtype if like is not None else ember.get_default_dtype()
    ts = [v if isinstance(v, Tensor) else ember.tensor(float(v), dtype=dtype) for v in values]
    for v in values:
        if not isinstance(v, (Tensor, numbers.Number)):
            raise ValueError("Input arguments must all be instances of numbers.Number, torch.Tensor or objects "
                             "implementing __torch_function__.")
    shape = ts[0].shape
    if all(t.shape == shape for t in ts):
        return tuple(ts)  # nothing to broadcast: the very tensors (a leaf loc keeps its .grad), as PyTorch
    return ember.broadcast_tensors(*ts)


def _clamp_probs(probs: Tensor) -> Tensor:
    eps = ember.finfo(probs.dtype).eps
    return probs.clamp(min=eps, max=1 - eps)


class Distribution:
    """Base class: batch_shape / event_shape bookkeeping and the sample() -> rsample() default."""

    has_rsample = False
    arg_constraints: dict = {}
    _validate_default = True

    def __init__(self, batch_shape=_EMPTY, event_shape=_EMPTY, validate_args=None):
        self._batch_shape = Size(batch_shape)
        self._event_shape = Size(event_shape)
        self._validate_args = self._validate_default if validate_args is None else validate_args
        if self._validate_args:
            self._check_params()

    @property
    def batch_shape(self) -> Size:
        return self._batch_shape

    @property
    def event_shape(self) -> Size:
        return self._event_shape

    def _extended_shape(self, sample_shape=_EMPTY) -> Size:
        return Size(tuple(sample_shape) + tuple(self._batch_shape) + tuple(self._event_shape))

    def _check_params(self):
        for name, (test, text) in self.arg_constraints.items():
            if name not in self.__dict__:
                continue
            value = self.__dict__[name]
            ok = test(value)
            if not bool(ok.all()):
                raise ValueError(f"Expected parameter {name} ({type(value).__name__} of shape {tuple(value.shape)}) "
                                 f"of distribution {self!r} to satisfy the constraint {text}, but found invalid "
                                 f"values:\n{value}")

    def sample(self, sample_shape=_EMPTY) -> Tensor:
        """a draw without gradient"""
        with ember.no_grad():
            return self.rsample(sample_shape)

    def rsample(self, sample_shape=_EMPTY) -> Tensor:
        raise NotImplementedError(f"{type(self).__name__} does not implement rsample")

    def sample_n(self, n: int) -> Tensor:
        return self.sample(Size((n,)))

    @property
    def stddev(self) -> Tensor:
        return self.variance.sqrt()

    def perplexity(self) -> Tensor:
        return ember.exp(self.entropy())

    def __repr__(self) -> str:
        parts = []
        for p in self.arg_constraints:
            if p in self.__dict__:
                v = self.__dict__[p]
                parts.append(f"{p}: {v if v.numel() == 1 else v.size()}")
        return f"{type(self).__name__}({', '.join(parts)})"


_real = (lambda v: v == v, "Real()")
_positive = (lambda v: v > 0, "GreaterThan(lower_bound=0.0)")
_unit = (lambda v: (v >= 0) & (v <= 1), "Interval(lower_bound=0.0, upper_bound=1.0)")


class Normal(Distribution):
    """N(loc, scale²)"""

    arg_constraints = {"loc": _real, "scale": _positive}
    has_rsample = True

    def __init__(self, loc, scale, validate_args=None):
        self.loc, self.scale = _broadcast_all(loc, scale)
        scalar = isinstance(loc, numbers.Number) and isinstance(scale, numbers.Number)
        super().__init__(Size() if scalar else self.loc.size(), validate_args=validate_args)

    @property
    def mean(self) -> Tensor:
        return self.loc

    @property
    def mode(self) -> Tensor:
        return self.loc

    @property
    def stddev(self) -> Tensor:
        return self.scale

    @property
    def variance(self) -> Tensor:
        return self.stddev.pow(2)

    def sample(self, sample_shape=_EMPTY) -> Tensor:
        shape = self._extended_shape(sample_shape)
        with ember.no_grad():
            return ember.normal(self.loc.expand(shape), self.scale.expand(shape))

    def rsample(self, sample_shape=_EMPTY) -> Tensor:
        """loc + ε·scale with ε ~ N(0, 1), differentiable in loc and scale"""
        shape = self._extended_shape(sample_shape)
        eps = ember.empty(shape, dtype=self.loc.dtype).normal_()
        return self.loc + eps * self.scale

    def log_prob(self, value) -> Tensor:
        """-(x - μ)²/(2σ²) - ln σ - ln √(2π)"""
        var = self.scale ** 2
        return -((value - self.loc) ** 2) / (2 * var) - self.scale.log() - math.log(math.sqrt(2 * math.pi))

    def cdf(self, value) -> Tensor:
        return 0.5 * (1 + ember.erf((value - self.loc) * self.scale.reciprocal() / math.sqrt(2)))

    def icdf(self, value) -> Tensor:
        return self.loc + self.scale * ember.erfinv(2 * value - 1) * math.sqrt(2)

    def entropy(self) -> Tensor:
        """½ + ½ ln(2π) + ln σ"""
        return 0.5 + 0.5 * math.log(2 * math.pi) + ember.log(self.scale)


class Uniform(Distribution):
    """U[low, high)"""

    arg_constraints = {"low": _real, "high": _real}
    has_rsample = True

    def __init__(self, low, high, validate_args=None):
        self.low, self.high = _broadcast_all(low, high)
        scalar = isinstance(low, numbers.Number) and isinstance(high, numbers.Number)
        super().__init__(Size() if scalar else self.low.size(), validate_args=validate_args)
        if self._validate_args and not bool((self.low < self.high).all()):
            raise ValueError(f"Expected parameter low ({type(self.low).__name__} of shape {tuple(self.low.shape)}) "
                             f"of distribution {self!r} to satisfy the constraint LessThan(upper_bound="
                             f"{self.high}), but found invalid values:\n{self.low}")

    @property
    def mean(self) -> Tensor:
        return (self.high + self.low) / 2

    @property
    def mode(self) -> Tensor:
        return ember.nan * self.high

    @property
    def stddev(self) -> Tensor:
        return (self.high - self.low) / 12 ** 0.5

    @property
    def variance(self) -> Tensor:
        return (self.high - self.low).pow(2) / 12

    def rsample(self, sample_shape=_EMPTY) -> Tensor:
        """low + u·(high - low), u ~ U[0, 1)"""
        shape = self._extended_shape(sample_shape)
        rand = ember.rand(shape, dtype=self.low.dtype)
        return self.low + rand * (self.high - self.low)

    def log_prob(self, value) -> Tensor:
        """-ln(high - low) inside the support, -inf outside"""
        lb = self.low.le(value).type_as(self.low)
        ub = self.high.gt(value).type_as(self.low)
        return ember.log(lb.mul(ub)) - ember.log(self.high - self.low)

    def cdf(self, value) -> Tensor:
        return ((value - self.low) / (self.high - self.low)).clamp(min=0, max=1)

    def icdf(self, value) -> Tensor:
        return value * (self.high - self.low) + self.low

    def entropy(self) -> Tensor:
        return ember.log(self.high - self.low)


class Bernoulli(Distribution):
    """1 with probability p, 0 otherwise (given probs or logits)"""

    arg_constraints = {"probs": _unit, "logits": _real}

    def __init__(self, probs=None, logits=None, validate_args=None):
        if (probs is None) == (logits is None):
            raise ValueError("Either `probs` or `logits` must be specified, but not both.")
        param = probs if probs is not None else logits
        (t,) = _broadcast_all(param)
        if probs is not None:
            self.probs = t
        else:
            self.logits = t
        self._param = t
        super().__init__(Size() if isinstance(param, numbers.Number) else t.size(), validate_args=validate_args)

    def __getattr__(self, name):
        # probs / logits computed from the other on first use, then kept (PyTorch's lazy_property)
        if name == "probs":
            self.probs = ember.sigmoid(self.__dict__["logits"])
            return self.probs
        if name == "logits":
            p = _clamp_probs(self.__dict__["probs"])
            self.logits = ember.log(p) - ember.log1p(-p)
            return self.logits
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    @property
    def mean(self) -> Tensor:
        return self.probs

    @property
    def variance(self) -> Tensor:
        return self.probs * (1 - self.probs)

    @property
    def param_shape(self) -> Size:
        return self._param.size()

    def sample(self, sample_shape=_EMPTY) -> Tensor:
        shape = self._extended_shape(sample_shape)
        with ember.no_grad():
            return ember.bernoulli(self.probs.expand(shape))

    def log_prob(self, value) -> Tensor:
        """-BCE-with-logits(logits, value)"""
        from .nn import functional as nnf
        logits, value = _broadcast_all(self.logits, value)
        return -nnf.binary_cross_entropy_with_logits(logits, value, reduction="none")

    def entropy(self) -> Tensor:
        from .nn import functional as nnf
        return nnf.binary_cross_entropy_with_logits(self.logits, self.probs, reduction="none")

    def enumerate_support(self, expand: bool = True) -> Tensor:
        values = ember.arange(2, dtype=self._param.dtype).view((-1,) + (1,) * len(self._batch_shape))
        return values.expand((-1,) + tuple(self._batch_shape)) if expand else values


class Categorical(Distribution):
    """one of K classes with the given (unnormalised) probabilities or logits"""

    arg_constraints = {"probs": (lambda v: (v >= 0) & ((v.sum(-1, keepdim=True) - 1).abs() < 1e-6), "Simplex()"),
                       "logits": (lambda v: v == v, "IndependentConstraint(Real(), 1)")}

    def __init__(self, probs=None, logits=None, validate_args=None):
        if (probs is None) == (logits is None):
            raise ValueError("Either `probs` or `logits` must be specified, but not both.")
        if probs is not None:
            if probs.dim() < 1:
                raise ValueError("`probs` parameter must be at least one-dimensional.")
            self.probs = probs / probs.sum(-1, keepdim=True)
            self._param = self.probs
        else:
            if logits.dim() < 1:
                raise ValueError("`logits` parameter must be at least one-dimensional.")
            self.logits = logits - logits.logsumexp(dim=-1, keepdim=True)
            self._param = self.logits
        self._num_events = self._param.size()[-1]
        batch = self._param.size()[:-1] if self._param.ndim > 1 else Size()
        super().__init__(batch, validate_args=validate_args)

    def __getattr__(self, name):
        if name == "probs":
            self.probs = ember.softmax(self.__dict__["logits"], -1)
            return self.probs
        if name == "logits":
            self.logits = ember.log(_clamp_probs(self.__dict__["probs"]))
            return self.logits
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    @property
    def param_shape(self) -> Size:
        return self._param.size()

    @property
    def mean(self) -> Tensor:
        return ember.full(self._extended_shape(), math.nan, dtype=self.probs.dtype)

    @property
    def variance(self) -> Tensor:
        return ember.full(self._extended_shape(), math.nan, dtype=self.probs.dtype)

    @property
    def mode(self) -> Tensor:
        return self.probs.argmax(dim=-1)

    def sample(self, sample_shape=_EMPTY) -> Tensor:
        """class indices drawn with replacement by multinomial (PyTorch's stream)"""
        sample_shape = Size(sample_shape)
        probs_2d = self.probs.reshape(-1, self._num_events)
        with ember.no_grad():
            samples_2d = ember.multinomial(probs_2d, sample_shape.numel(), True).T
        return samples_2d.reshape(self._extended_shape(sample_shape))

    def log_prob(self, value) -> Tensor:
        """log p[value]"""
        value = value.long().unsqueeze(-1)
        value, log_pmf = ember.broadcast_tensors(value, self.logits)
        value = value[..., :1]
        return log_pmf.gather(-1, value).squeeze(-1)

    def entropy(self) -> Tensor:
        """-Σ p ln p"""
        logits = ember.clamp(self.logits, min=ember.finfo(self.logits.dtype).min)
        return -(logits * self.probs).sum(-1)

    def enumerate_support(self, expand: bool = True) -> Tensor:
        values = ember.arange(self._num_events, dtype=ember.long).view((-1,) + (1,) * len(self._batch_shape))
        return values.expand((-1,) + tuple(self._batch_shape)) if expand else values


class Independent(Distribution):
    """reinterpret the rightmost batch dims of a distribution as event dims (log_prob sums over them)"""

    def __init__(self, base_distribution, reinterpreted_batch_ndims: int, validate_args=None):
        self.base_dist = base_distribution
        self.reinterpreted_batch_ndims = n = reinterpreted_batch_ndims
        shape = tuple(base_distribution.batch_shape) + tuple(base_distribution.event_shape)
        cut = len(base_distribution.batch_shape) - n
        super().__init__(shape[:cut], shape[cut:], validate_args=False)

    @property
    def has_rsample(self):
        return self.base_dist.has_rsample

    @property
    def mean(self):
        return self.base_dist.mean

    @property
    def variance(self):
        return self.base_dist.variance

    def sample(self, sample_shape=_EMPTY):
        return self.base_dist.sample(sample_shape)

    def rsample(self, sample_shape=_EMPTY):
        return self.base_dist.rsample(sample_shape)

    def _sum_rightmost(self, v):
        n = self.reinterpreted_batch_ndims
        return v.reshape(tuple(v.shape[:v.ndim - n]) + (-1,)).sum(-1) if n else v

    def log_prob(self, value):
        return self._sum_rightmost(self.base_dist.log_prob(value))

    def entropy(self):
        return self._sum_rightmost(self.base_dist.entropy())

    def __repr__(self):
        return f"Independent({self.base_dist!r}, {self.reinterpreted_batch_ndims})"


def kl_divergence(p: Distribution, q: Distribution) -> Tensor:
    """KL(p ‖ q) for the pairs with a closed form here"""
    if isinstance(p, Normal) and isinstance(q, Normal):
        var_ratio = (p.scale / q.scale).pow(2)
        t1 = ((p.loc - q.loc) / q.scale).pow(2)
        return 0.5 * (var_ratio + t1 - 1 - var_ratio.log())
    if isinstance(p, Categorical) and isinstance(q, Categorical):
        t = p.probs * (p.logits - q.logits)
        t = ember.where(q.probs == 0, math.inf, t)
        t = ember.where(p.probs == 0, 0.0, t)
        return t.sum(-1)
    if isinstance(p, Bernoulli) and isinstance(q, Bernoulli):
        from .nn import functional as nnf
        t1 = p.probs * (nnf.softplus(-q.logits) - nnf.softplus(-p.logits))
        t2 = (1 - p.probs) * (nnf.softplus(q.logits) - nnf.softplus(p.logits))
        return t1 + t2
    raise NotImplementedError(f"No KL(p || q) is implemented for {type(p).__name__} and {type(q).__name__}")
