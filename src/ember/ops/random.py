"""Random tensors drawn from PyTorch's CPU streams: rand, randn, randint, randperm, normal, bernoulli, ... ."""

from __future__ import annotations

import builtins
import math

from .. import kernels as K
from .._array import np
from .._core import dtype as D
from .._core.dims import factory_size
from .._core.exposure import expose
from .._core.messages import _long_name
from .._core.meta import meta_array
from .._core.node import Node
from .._core.record import _saved_output, _wrap_result
from .._core.tensor import Tensor, _check_device, _wrap
from ..random import _gen
from .creation import empty_like
from .inplace import check_inplace

__all__ = ["rand", "randn", "randint", "randperm", "normal", "bernoulli", "multinomial", "poisson", "binomial",
           "_standard_gamma", "_standard_gamma_grad", "_sample_dirichlet", "StandardGammaBackward0",
           "rand_like", "randn_like", "randint_like", "uniform_", "normal_", "random_", "exponential_",
           "geometric_", "log_normal_", "cauchy_", "bernoulli_"]





def _float_dtype(dtype, kernel="check_uniform_bounds"):
    """The dtype of a draw of floats (``kernel``: the CPU kernel PyTorch names when the dtype is not a float)"""
    dt = dtype or D.get_default_dtype()
    if not (dt.is_floating_point or dt.is_complex):
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{_long_name(dt)}'")
    return dt


def _meta(device) -> bool:
    """Whether a draw asked for on ``device`` (None: the default device) goes to the meta device, where nothing
    is drawn (the generator is left as it was, as in PyTorch)."""
    return _check_device(device) == "meta"


def _finish(arr, requires_grad):
    t = _wrap(arr)
    if requires_grad:
        t.requires_grad = True
    return t


def rand(*dims, size=None, generator=None, dtype=None, device=None, requires_grad=False, out=None, layout=None,
         pin_memory=False) -> Tensor:
    """uniform samples on [0, 1)"""
    size = dims if size is None else (size,)
    dt = _float_dtype(dtype)
    if _meta(device):
        return _finish(meta_array(factory_size(size, "rand"), dt.np), requires_grad)
    return _finish(_gen(generator).uniform(factory_size(size, "rand"), dt.np, 0.0, 1.0), requires_grad)

expose(rand, out="factory")


def randn(*dims, size=None, generator=None, dtype=None, device=None, requires_grad=False, out=None, layout=None,
          pin_memory=False) -> Tensor:
    """standard normal samples"""
    size = dims if size is None else (size,)
    dt = _float_dtype(dtype, "normal_kernel_cpu")
    if _meta(device):
        return _finish(meta_array(factory_size(size, "randn"), dt.np), requires_grad)
    shape = factory_size(size, "randn")
    if dt.is_complex:  # as PyTorch: the real view (..., 2) drawn as normals of variance 1/2, then viewed as complex
        part = np.float32 if dt.np == np.complex64 else np.float64
        pairs = _gen(generator).normal(tuple(shape) + (2,), part, 0.0, 1.0 / math.sqrt(2.0))  # std / √2, as PyTorch
        return _finish(np.ascontiguousarray(pairs).view(dt.np).reshape(shape), requires_grad)
    return _finish(_gen(generator).normal(shape, dt.np, 0.0, 1.0), requires_grad)

expose(randn, out="factory")


def randint(low=None, high=None, size=None, *, generator=None, dtype=None, device=None, requires_grad=False,
            out=None, layout=None) -> Tensor:
    """uniform integers in [low, high)"""
    meta = _meta(device)
    size_position = 3
    if low is None and high is not None:  # randint(high=3, size=(4,)): the (high, size) form, by keyword
        low = 0
    if size is None:
        low, high, size, size_position = 0, low, high, 2
    if high is None:
        low, high = 0, low
    if low >= high:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}")
    dt = dtype or D.int64
    shape = factory_size(size, "randint", position=size_position, varargs=False)
    if meta:
        return _finish(meta_array(shape, dt.np), requires_grad)
    return _finish(_gen(generator).randint(int(low), int(high), shape, dt.np), requires_grad)

expose(randint, out="factory")


def randperm(n, *, generator=None, dtype=None, device=None, requires_grad=False, out=None, layout=None,
             pin_memory=False) -> Tensor:
    """a random permutation of 0..n-1"""
    dt = dtype or D.int64
    if int(n) < 0:  # PyTorch makes the result first (its out= form says "n must be non-negative", not matched)
        raise RuntimeError(f"Trying to create tensor with negative dimension {int(n)}: [{int(n)}]")
    if _meta(device):
        return _finish(meta_array((int(n),), dt.np), requires_grad)
    return _finish(_gen(generator).randperm(int(n), dt.np), requires_grad)

expose(randperm, out="factory")


def normal(mean=0.0, std=1.0, size=None, *, generator=None, dtype=None, device=None, requires_grad=False,
           out=None) -> Tensor:
    """normal samples with the given mean and std (numbers or tensors)"""
    g = _gen(generator)
    if isinstance(mean, Tensor) or isinstance(std, Tensor):
        m = mean._data if isinstance(mean, Tensor) else mean
        s = std._data if isinstance(std, Tensor) else std
        if any(isinstance(v, Tensor) and v.is_meta for v in (mean, std)):
            ref = mean if isinstance(mean, Tensor) else std
            return _finish(meta_array(np.broadcast_shapes(np.shape(m), np.shape(s)), ref._data.dtype), requires_grad)
        if isinstance(std, Tensor) and np.any(std._data < 0):
            raise RuntimeError("normal expects all elements of std >= 0.0")
        ref = mean if isinstance(mean, Tensor) else std
        shape = np.broadcast_shapes(np.shape(m), np.shape(s))
        return _finish(g.normal(shape, ref._data.dtype, m, s), requires_grad)
    if std < 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std:g}")
    dt = _float_dtype(dtype, "normal_kernel_cpu")
    if device is not None and _meta(device):  # (the default device is not asked here, as in PyTorch)
        return _finish(meta_array(factory_size(size, "normal", position=3, varargs=False), dt.np), requires_grad)
    return _finish(g.normal(factory_size(size, "normal", position=3, varargs=False), dt.np, float(mean),
                            float(std)), requires_grad)

expose(normal, out="factory")


def bernoulli(input, p=None, *, generator=None, out=None) -> Tensor:
    """1 with probability p (elementwise ``input``), else 0"""
    g = _gen(generator)
    if input.is_meta:
        return _wrap(meta_array(input.shape, input._data.dtype))
    if p is not None:
        if not 0 <= p <= 1:
            raise RuntimeError(f"bernoulli_ expects p to be in [0, 1], but got p={float(p):g}")
        return _wrap(g.bernoulli(float(p), input._data.dtype, input.shape))
    return _wrap(g.bernoulli(input._data, input._data.dtype))

expose(bernoulli, method=True, out="cast")


def multinomial(input, num_samples, replacement=False, *, generator=None, out=None) -> Tensor:
    """indices drawn from the rows of ``input`` (unnormalised probabilities)"""
    probs = input._data
    if probs.ndim not in (1, 2):
        raise RuntimeError("prob_dist must be 1 or 2 dim")
    if not replacement and num_samples > probs.shape[-1]:
        raise RuntimeError("cannot sample n_sample > prob_dist.size(-1) samples without replacement")
    if input.is_meta:
        return _wrap(meta_array(probs.shape[:-1] + (int(num_samples),), np.int64))
    if np.any(probs < 0) or not np.all(np.isfinite(probs)):
        raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")
    return _wrap(_gen(generator).multinomial(probs, int(num_samples), bool(replacement)))

expose(multinomial, method=True, out="integer")


def poisson(input, generator=None) -> Tensor:
    """Poisson(rate) draws, one per element of ``input``, in PyTorch's CPU stream."""
    lam = input._data
    if input.is_meta:
        return _wrap(meta_array(lam.shape, lam.dtype))
    if lam.size and not np.all(lam >= 0):
        raise RuntimeError("invalid Poisson rate, expected rate to be non-negative")
    gen = _gen(generator)
    # PyTorch samples element by element (a serial kernel), each a rejection loop on random64() doubles, so
    # the draws cannot be batched without changing which element consumes which number
    flat = [_poisson_one(float(v), gen) for v in lam.reshape(-1)]
    return _wrap(np.array(flat, dtype=np.float64).astype(lam.dtype).reshape(lam.shape))

expose(poisson)


def _poisson_one(lam: float, gen) -> int:
    """One draw: products of uniforms below rate 10, Hörmann's transformed rejection (PTRS) above."""
    def uniform() -> float:
        return float(gen._uniform53(1)[0])

    if lam >= 10:
        slam, loglam = math.sqrt(lam), math.log(lam)
        b = 0.931 + 2.53 * slam
        a = -0.059 + 0.02483 * b
        invalpha = 1.1239 + 1.1328 / (b - 3.4)
        vr = 0.9277 - 3.6224 / (b - 2)
        while True:
            u = uniform() - 0.5
            v = uniform()
            us = 0.5 - builtins.abs(u)
            k = math.floor((2 * a / us + b) * u + lam + 0.43)
            if us >= 0.07 and v <= vr:
                return k
            if k < 0 or (us < 0.013 and v > us):
                continue
            if (math.log(v) + math.log(invalpha) - math.log(a / (us * us) + b)
                    <= -lam + k * loglam - math.lgamma(k + 1.0)):
                return k
    if lam == 0:
        return 0
    enlam, x, prod = math.exp(-lam), 0, 1.0
    while True:
        prod *= uniform()
        if prod > enlam:
            x += 1
        else:
            return x


# -- gamma, Dirichlet and binomial draws: PyTorch's serial CPU samplers ------------------------------------
# Each element is drawn by a rejection loop fed by at::uniform_real_distribution<double> (a 53-bit uniform)
# and at::normal_distribution<double> (Box-Muller, its second value cached in the generator), one element after
# the other in memory order, so the numbers cannot be drawn in a batch. A float32 tensor's sampler does part
# of its arithmetic in float (scalar_t) and the rest in double; that split is kept here, as it decides the
# last bits of a draw.

_F32 = np.float32
_THIRD_F = float(_F32(1.0) / _F32(3.0))  # the constant 1.0f / 3.0f
_C0331_F = float(_F32(0.0331))          # 0.0331f


def _uniform01(gen) -> float:
    return float(gen._uniform53(1)[0])


def _normal01(gen) -> float:
    return float(gen._box_muller(1, 0.0, 1.0, exact=True)[0])


def _gamma_one(alpha: float, gen, single: bool) -> float:
    """One Gamma(alpha, 1) draw by Marsaglia and Tsang's method (alpha < 1 boosted by U^(1/alpha));
    ``single``: alpha is a float32 (scalar_t float), so the boost and d are worked out in float."""
    scale = 1.0
    if alpha < 1.0:
        if alpha == 0.0:
            return 0.0
        u = _uniform01(gen)
        scale *= math.pow(1.0 - u, float(_F32(1.0) / _F32(alpha)) if single else 1.0 / alpha)
        alpha = float(_F32(alpha) + _F32(1.0)) if single else alpha + 1.0
    d = float(_F32(alpha) - _F32(_THIRD_F)) if single else alpha - _THIRD_F
    c = 1.0 / math.sqrt(9.0 * d)
    while True:
        while True:
            x = _normal01(gen)
            y = 1.0 + c * x
            if y > 0:
                break
        v = y * y * y
        u = 1.0 - _uniform01(gen)
        xx = x * x
        if u < 1.0 - _C0331_F * xx * xx:
            return scale * d * v
        if math.log(u) < 0.5 * xx + d * (1.0 - v + math.log(v)):
            return scale * d * v


def _standard_gamma(input, generator=None) -> Tensor:
    """Gamma(input, 1) draws, one per element (differentiable in ``input``: StandardGammaBackward0)."""
    a = input._data
    if input.is_meta:
        return _wrap(meta_array(a.shape, a.dtype))
    if a.dtype.kind != "f":
        raise NotImplementedError(f"\"gamma_cpu\" not implemented for '{_long_name(D.from_numpy_dtype(a.dtype))}'")
    gen = _gen(generator)
    single = a.dtype != np.float64
    tiny = np.finfo(a.dtype).tiny
    flat = [_gamma_one(float(v), gen, single) for v in a.reshape(-1).tolist()]
    r = np.maximum(np.array(flat, dtype=np.float64).astype(a.dtype), tiny).reshape(a.shape)
    t = _wrap_result(r, StandardGammaBackward0, (input,))
    if t.grad_fn is not None:
        t.grad_fn.saved = (input, _saved_output(t.grad_fn, t))
        t.grad_fn.versions = (input._version, 0)
    return t


class StandardGammaBackward0(Node):
    """x ~ Gamma(α, 1), reparametrised implicitly:  dα = g · ∂x/∂α = g · -(∂F/∂α)(x; α) / p(x; α)"""

    def backward(self, g):
        alpha, x = self.saved_values()
        return (g * _standard_gamma_grad(alpha.detach(), x.detach()),)


expose(_standard_gamma)


def _digamma_one(x: float) -> float:
    """ψ(x) as the gamma-gradient kernel computes it (recurrence up to x ≥ 10, then the asymptotic series)."""
    if x == 0:
        return math.inf
    extra = 0.0
    if x < 0:
        if x == math.floor(x):
            return math.inf
        extra = -math.pi / math.tan(math.pi * x)
        x = 1 - x
    result = 0.0
    while x < 10:
        result -= 1 / x
        x += 1
    if x == 10:
        return result + 2.25175258906672110764 + extra
    y = 0.0
    if x < 1.0e17:
        z = 1.0 / (x * x)
        # the Bernoulli-number series B_2k / (2k), highest power of z first (a polevl)
        poly = 0.0
        for coef in (8.33333333333333333333E-2, -2.10927960927960927961E-2, 7.57575757575757575758E-3,
                     -4.16666666666666666667E-3, 3.96825396825396825397E-3, -8.33333333333333333333E-3,
                     8.33333333333333333333E-2):
            poly = poly * z + coef
        y = z * poly
    return result + math.log(x) - (0.5 / x) - y + extra


_GAMMA_GRAD_UV = ((0.16009398, -0.094634809, 0.025146376, -0.0030648343, 1, 0.32668115, 0.10406089, 0.0014179084),
                  (0.53487893, 0.1298071, 0.065735949, -0.0015649758, 0.16639465, 0.020070113, -0.0035938915,
                   -0.00058392623),
                  (0.040121004, -0.0065914022, -0.0026286047, -0.0013441777, 0.017050642, -0.0021309326,
                   0.00085092367, -1.5247877e-07))


def _gamma_grad_one(alpha: float, x: float) -> float:
    """∂x/∂α for x ~ Gamma(α, 1): a Taylor series of the CDF for x < 0.8, Rice's saddle-point expansion for
    α > 8, a bivariate rational approximation in (log(x/α), log α) otherwise."""
    if x < 0.8:
        numer, denom = 1.0, alpha
        series1, series2 = numer / denom, numer / (denom * denom)
        for i in range(1, 6):
            numer *= -x / i
            denom += 1
            series1 += numer / denom
            series2 += numer / (denom * denom)
        pow_x_alpha = math.pow(x, alpha)
        gamma_pdf = math.pow(x, alpha - 1) * math.exp(-x)
        gamma_cdf = pow_x_alpha * series1
        gamma_cdf_alpha = (math.log(x) - _digamma_one(alpha)) * gamma_cdf - pow_x_alpha * series2
        with np.errstate(all="ignore"):
            result = -np.float64(gamma_cdf_alpha) / np.float64(gamma_pdf)
        return 0.0 if math.isnan(result) else float(result)
    if alpha > 8.0:
        if 0.9 * alpha <= x <= 1.1 * alpha:
            numer_1 = 1 + 24 * alpha * (1 + 12 * alpha)
            numer_2 = (1440 * (alpha * alpha) + 6 * x * (53 - 120 * x) - 65 * x * x / alpha
                       + alpha * (107 + 3600 * x))
            denom = 1244160 * (alpha * alpha) * (alpha * alpha)
            return numer_1 * numer_2 / denom
        denom = math.sqrt(8 * alpha)
        term2 = denom / (alpha - x)
        term3 = math.pow(x - alpha - alpha * math.log(x / alpha), -1.5)
        term23 = term2 - term3 if x < alpha else term2 + term3
        term1 = math.log(x / alpha) * term23 - math.sqrt(2 / alpha) * (alpha + x) / ((alpha - x) * (alpha - x))
        stirling = 1 + 1 / (12 * alpha) * (1 + 1 / (24 * alpha))
        numer = x * term1
        return -stirling * numer / denom
    u, v = math.log(x / alpha), math.log(alpha)
    cv = [_GAMMA_GRAD_UV[0][i] + u * (_GAMMA_GRAD_UV[1][i] + u * _GAMMA_GRAD_UV[2][i]) for i in range(8)]
    p = cv[0] + v * (cv[1] + v * (cv[2] + v * cv[3]))
    q = cv[4] + v * (cv[5] + v * (cv[6] + v * cv[7]))
    return math.exp(p / q)


def _standard_gamma_grad(input, output) -> Tensor:
    """∂output/∂input for output ~ Gamma(input, 1) (the reparametrised gradient of a gamma draw)."""
    a, x = np.broadcast_arrays(input._data, output._data)
    vals = [_gamma_grad_one(float(ai), float(xi)) for ai, xi in zip(a.reshape(-1).tolist(), x.reshape(-1).tolist())]
    return _wrap(np.array(vals, dtype=np.float64).astype(input._data.dtype).reshape(a.shape))

expose(_standard_gamma_grad)


def _sample_dirichlet(input, generator=None) -> Tensor:
    """Dirichlet(input) draws over the last dim: gamma draws in double, normalised, kept inside (0, 1)."""
    a = input._data
    if input.is_meta:
        return _wrap(meta_array(a.shape, a.dtype))
    gen = _gen(generator)
    dmin = np.finfo(np.float64).tiny
    g = np.array([builtins.max(dmin, _gamma_one(float(v), gen, False)) for v in a.reshape(-1).tolist()],
                 dtype=np.float64).reshape(a.shape)
    total = np.broadcast_to(g.sum(-1, keepdims=True), a.shape)
    r = (g / total).astype(a.dtype)
    top = np.nextafter(a.dtype.type(1), a.dtype.type(0))
    return _wrap(np.minimum(top, np.maximum(np.finfo(a.dtype).tiny, r)))

expose(_sample_dirichlet)


# log(k!) - [(k + ½) log(k + 1) - (k + 1) + ½ log 2π]: the error of Stirling's formula, tabled for k ≤ 9
_STIRLING_TAIL = (0.0810614667953272, 0.0413406959554092, 0.0276779256849983, 0.02079067210376509,
                  0.0166446911898211, 0.0138761288230707, 0.0118967099458917, 0.0104112652619720,
                  0.00925546218271273, 0.00833056343336287)


def _stirling_tail(k: float) -> float:
    if k <= 9:
        return _STIRLING_TAIL[int(k)]
    kp1sq = (k + 1) * (k + 1)
    return (1.0 / 12 - (1.0 / 360 - 1.0 / 1260 / kp1sq) / kp1sq) / (k + 1)


def _binomial_one(count, prob, gen, T):
    """One Binomial(count, prob) draw; ``T`` is the tensor's scalar type (np.float32 or np.float64), in which
    the sampler keeps count, prob and k (the rest is double): inversion by geometric jumps when the mean is
    below 10, Hörmann's transformed rejection (BTRS) above."""
    count, prob = T(count), T(prob)

    def inversion(p):
        logprob = float(_log1p_scalar(-p, T))
        geom_sum, num_geom = 0.0, T(0)
        while True:
            geom_sum += math.ceil(math.log(_uniform01(gen)) / logprob)
            if geom_sum > count:
                return num_geom
            num_geom = T(num_geom + T(1))

    def btrs(p):
        stddev = float(np.sqrt(count * p * (T(1) - p)))
        b = 1.15 + 2.53 * stddev
        a = -0.0873 + 0.0248 * b + 0.01 * float(p)
        c = float(count * p) + 0.5
        v_r = 0.92 - 4.2 / b
        r = float(p / (T(1) - p))
        alpha = (2.83 + 5.1 / b) * stddev
        m = float(np.floor((count + T(1)) * p))
        n = float(count)
        while True:
            U = _uniform01(gen) - 0.5
            V = _uniform01(gen)
            us = 0.5 - builtins.abs(U)
            k = T(math.floor((2 * a / us + b) * U + c))
            if k < 0 or k > count:
                continue
            if us >= 0.07 and V <= v_r:
                return k
            V = math.log(V * alpha / (a / (us * us) + b))
            nk1 = float(count - k + T(1))
            upper = ((m + 0.5) * math.log((m + 1) / (r * (n - m + 1)))
                     + float(count + T(1)) * math.log((n - m + 1) / nk1)
                     + (float(k) + 0.5) * math.log(r * nk1 / float(k + T(1)))
                     + _stirling_tail(m) + _stirling_tail(n - m) - _stirling_tail(float(k))
                     - _stirling_tail(float(count - k)))
            if V <= upper:
                return k

    if count <= 0.0 or prob <= 0.0:
        return T(0)
    if prob >= 1.0:
        return count
    if prob <= 0.5:
        return btrs(prob) if count * prob >= 10.0 else inversion(prob)
    if prob > 0.5:
        q = T(1.0 - float(prob))
        return T(count - (btrs(q) if count * q >= 10.0 else inversion(q)))
    return T(math.nan)


def _log1p_scalar(x, T):
    """std::log1p in the scalar's own type (glibc's log1pf for a float)."""
    return K.special.log1p(np.array([x], dtype=T))[0]


def binomial(count, prob, generator=None) -> Tensor:
    """Binomial(count, prob) draws, one per element of ``count`` (``prob`` broadcast to it)."""
    c = count._data
    if count.is_meta or prob.is_meta:
        return _wrap(meta_array(c.shape, c.dtype))
    if c.dtype.kind != "f":
        raise NotImplementedError(f"\"binomial_cpu\" not implemented for '{_long_name(D.from_numpy_dtype(c.dtype))}'")
    gen = _gen(generator)
    p = np.broadcast_to(prob._data, c.shape)
    T = np.float64 if c.dtype == np.float64 else np.float32
    vals = [_binomial_one(ci, pi, gen, T) for ci, pi in zip(c.reshape(-1).tolist(), p.reshape(-1).tolist())]
    return _wrap(np.array(vals, dtype=c.dtype).reshape(c.shape))

expose(binomial)


def rand_like(x, *, dtype=None, device=None, requires_grad=False, memory_format=None) -> Tensor:
    if _meta(x.device if device is None else device):
        return _finish(meta_array(x.shape, (dtype or x.dtype).np), requires_grad)
    if not x._data.flags.c_contiguous:  # the numbers go in the memory order of x's layout, as in PyTorch
        return empty_like(x, dtype=dtype or x.dtype).uniform_().requires_grad_(requires_grad)
    return rand(x.shape, dtype=dtype or x.dtype, requires_grad=requires_grad)

expose(rand_like)


def randn_like(x, *, dtype=None, device=None, requires_grad=False, memory_format=None) -> Tensor:
    return randn(x.shape, dtype=dtype or x.dtype, requires_grad=requires_grad,
                 device=x.device if device is None else device)

expose(randn_like)


def randint_like(x, low=0, high=None, *, dtype=None, device=None, requires_grad=False,
                 memory_format=None) -> Tensor:
    if high is None:
        low, high = 0, low
    return randint(low, high, x.shape, dtype=dtype or x.dtype, requires_grad=requires_grad,
                   device=x.device if device is None else device)

expose(randint_like)


def _fill(t: Tensor, kind: str, generator, *args) -> Tensor:
    """In-place fills (``uniform_``, ``normal_``, ...): draw into ``t``'s memory, bump its version."""
    check_inplace(t)
    if t.is_meta:  # nothing to write, and nothing is drawn
        return t
    g = _gen(generator)
    shape, dt = t._data.shape, t._data.dtype
    # PyTorch's kernels write the numbers in memory order (largest stride first): draw for that axis order,
    # then view the result in the tensor's logical order (a transposed target gets the transposed numbers)
    strides = t._data.strides
    perm = sorted(range(len(shape)), key=lambda i: -builtins.abs(strides[i]))
    if perm != sorted(perm):
        shape = tuple(shape[i] for i in perm)
    else:
        perm = None
    # a C-ordered target is drawn into directly (no tensor-sized temporary); others get the draw copied in
    direct = t._data.reshape(-1) if perm is None and t._data.flags.c_contiguous else None
    if kind == "uniform":
        a, b = args  # (the kernel checks the dtype, then the bounds, as PyTorch)
        arr = g.uniform(shape, dt, float(a), float(b), out=direct)
    elif kind == "normal":
        mean, std = args
        if std < 0:
            raise RuntimeError(f"normal expects std >= 0.0, but found std {std:g}")
        arr = g.normal(shape, dt, float(mean), float(std), out=direct)
    elif kind == "random":
        lo, hi = args
        if lo is None and hi is None:
            arr = g.random_(shape, dt, out=direct)
        else:
            if hi is None:
                lo, hi = 0, lo
            arr = g.randint(int(lo), int(hi), shape, dt, out=direct)
    elif kind == "exponential":
        arr = g.exponential(shape, dt, float(args[0]))
    elif kind == "geometric":
        arr = g.geometric(shape, dt, float(args[0]))
    elif kind == "log_normal":
        arr = g.log_normal(shape, dt, float(args[0]), float(args[1]))
    elif kind == "cauchy":
        arr = g.cauchy(shape, dt, float(args[0]), float(args[1]))
    elif kind == "bernoulli":
        p = args[0]
        if isinstance(p, Tensor):
            pa = np.broadcast_to(p._data, t._data.shape)
            pa = pa.transpose(perm) if perm is not None else pa
            arr = g.bernoulli(pa, dt)
        else:
            if not 0 <= p <= 1:
                raise RuntimeError(f"bernoulli_ expects p to be in [0, 1], but got p={float(p):g}")
            arr = g.bernoulli(float(p), dt, shape, out=direct)
    else:  # pragma: no cover
        raise ValueError(kind)
    if direct is not None and np.may_share_memory(arr, direct):  # drawn in place
        t._bump()
        return t
    if perm is not None:
        arr = np.asarray(arr).transpose(np.argsort(perm))
    np.copyto(t._data, arr, casting="unsafe")
    t._bump()
    return t


def uniform_(x, a=0.0, b=1.0, *, generator=None):
    """x filled with U(a, b) draws"""
    return _fill(x, "uniform", generator, a, b)


def normal_(x, mean=0.0, std=1.0, *, generator=None):
    """x filled with N(mean, std²) draws"""
    return _fill(x, "normal", generator, mean, std)


def random_(x, from_=None, to=None, *, generator=None):
    """x filled with integers drawn from [from, to) (from [0, 2^mantissa] for floats by default)"""
    return _fill(x, "random", generator, from_, to)


def exponential_(x, lambd=1.0, *, generator=None):
    """x filled with Exp(lambd) draws"""
    return _fill(x, "exponential", generator, lambd)


def geometric_(x, p, *, generator=None):
    """x filled with Geometric(p) draws (trials until the first success)"""
    return _fill(x, "geometric", generator, p)


def log_normal_(x, mean=1.0, std=2.0, *, generator=None):
    """x filled with LogNormal(mean, std) draws"""
    return _fill(x, "log_normal", generator, mean, std)


def cauchy_(x, median=0.0, sigma=1.0, *, generator=None):
    """x filled with Cauchy(median, sigma) draws"""
    return _fill(x, "cauchy", generator, median, sigma)


def bernoulli_(x, p=0.5, *, generator=None):
    """x filled with Bernoulli(p) draws (p a number or a tensor of probabilities)"""
    return _fill(x, "bernoulli", generator, p)


for _fill_fn in (uniform_, normal_, random_, exponential_, geometric_, log_normal_, cauchy_, bernoulli_):
    expose(_fill_fn, torch=False, method=True)
