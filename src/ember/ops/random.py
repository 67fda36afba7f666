"""Random tensors drawn from PyTorch's CPU streams: rand, randn, randint, randperm, normal, bernoulli, ... ."""

from __future__ import annotations

import builtins
import math

from .._array import np
from .._core import dtype as D
from .._core.dims import factory_size
from .._core.exposure import expose
from .._core.messages import _long_name
from .._core.meta import meta_array
from .._core.tensor import Tensor, _check_device, _wrap
from ..random import _gen
from .creation import empty_like
from .inplace import check_inplace

__all__ = ["rand", "randn", "randint", "randperm", "normal", "bernoulli", "multinomial", "poisson",
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
    return _finish(_gen(generator).normal(factory_size(size, "randn"), dt.np, 0.0, 1.0), requires_grad)

expose(randn, out="factory")


def randint(low, high=None, size=None, *, generator=None, dtype=None, device=None, requires_grad=False,
            out=None, layout=None) -> Tensor:
    """uniform integers in [low, high)"""
    meta = _meta(device)
    size_position = 3
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
        return _wrap(g.bernoulli(np.full(input.shape, p, dtype=np.float64), input._data.dtype))
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
    if kind == "uniform":
        a, b = args
        if a > b:
            raise RuntimeError(f"uniform_ expects to return a [from, to) range, but found from={a} > to={b}")
        arr = g.uniform(shape, dt, float(a), float(b))
    elif kind == "normal":
        mean, std = args
        if std < 0:
            raise RuntimeError(f"normal expects std >= 0.0, but found std {std:g}")
        arr = g.normal(shape, dt, float(mean), float(std))
    elif kind == "random":
        lo, hi = args
        if lo is None and hi is None:
            arr = g.random_(shape, dt)
        else:
            if hi is None:
                lo, hi = 0, lo
            arr = g.randint(int(lo), int(hi), shape, dt)
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
        else:
            pa = np.full(shape, p, dtype=np.float64)
        arr = g.bernoulli(pa, dt)
    else:  # pragma: no cover
        raise ValueError(kind)
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
