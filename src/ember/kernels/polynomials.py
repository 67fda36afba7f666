"""The orthogonal polynomials of torch.special (Chebyshev T/U/V/W and their shifted forms, Hermite H/He,
Laguerre L, Legendre P) as ndarray kernels, PyTorch's algorithms in the input's dtype.

PyTorch evaluates p_n(x) for an integer degree n (a floating n is truncated toward zero as C++'s cast does;
NaN and ±inf become INT64_MIN, so p = 0): 0 for n < 0, closed forms at the interval's ends, for Chebyshev
polynomials inside the interval and large n the trigonometric form (cos(n·θ), θ = acos x), else the three-term
recurrence from p₀, p₁, with GCC's fused multiply-adds (a·b - c and a·b - k·p contract into one fma);
Hermite degrees above 128 (float32) or 512 (float64) give NaN. For a NaN x PyTorch 2.13 returns an
uninitialised value (its recurrence stops before the first step); NaN is returned here.
"""

from __future__ import annotations

from .._array import np
from .special import _cos, _fma, _kernel, _libm

__all__ = ["chebyshev_t", "chebyshev_u", "chebyshev_v", "chebyshev_w", "shifted_chebyshev_t",
           "shifted_chebyshev_u", "shifted_chebyshev_v", "shifted_chebyshev_w", "hermite_h", "hermite_he",
           "laguerre_l", "legendre_p"]

_acos = _libm(np.arccos)
_sin = _libm(np.sin)


def _degree(n) -> np.ndarray:
    """C++'s static_cast<int64_t>(n) of the degree (in the computation dtype): truncation, INT64_MIN for NaN/inf."""
    if n.dtype.kind in "iub":
        return n.astype(np.int64)
    out = np.full(n.shape, np.iinfo(np.int64).min, dtype=np.int64)
    ok = np.isfinite(n) & (np.abs(n) < 2.0 ** 63)
    out[ok] = n[ok].astype(np.int64)
    return out


def _recur(x, n, p0, p1, step, todo):
    """p_n by the recurrence q_(k) = step(k, p_(k-2), p_(k-1)) for k = 2 .. n, over the elements in ``todo``
    (whose n >= 2); returns their values."""
    xs, ns = x[todo], n[todo]
    p, q = np.array(p0(xs)), np.array(p1(xs))  # (copies: p₁ may be x itself)
    top = int(ns.max()) if ns.size else 1
    for k in range(2, top + 1):
        live = ns >= k
        if not live.all():
            idx = np.nonzero(live)[0]
            r = step(k, xs[idx], p[idx], q[idx])
            p[idx], q[idx] = q[idx], r
        else:
            r = step(k, xs, p, q)
            p, q = q, r
    return q


def _poly(x, n, ends, trig, p0, p1, step):
    """The common frame: 0 for n < 0, ``ends(x, n)`` -> (mask, values) at the closed-form points, ``trig`` ->
    (mask, fn) for the trigonometric form, p₀ and p₁, then the recurrence."""
    T = x.dtype.type
    n = _degree(n)
    out = np.zeros_like(x)
    left = n >= 0
    for mask_fn, value_fn in ends:
        m = left & mask_fn(x, n)
        if m.any():
            out[m] = value_fn(x[m], n[m]).astype(x.dtype)
        left &= ~m
    if trig is not None:
        m = left & trig[0](x, n)
        if m.any():
            out[m] = trig[1](x[m], n[m])
        left &= ~m
    m0 = left & (n == 0)
    out[m0] = T(1)
    m1 = left & (n == 1)
    if m1.any():
        out[m1] = p1(x[m1])
    rest = left & (n >= 2)
    if rest.any():
        out[rest] = _recur(x, n, lambda v: np.ones_like(v), p1, step, rest)
    return out


def _T(x, v):
    return np.asarray(v).astype(x.dtype)


def _two_x_step(y):
    """r = (2y)·q - p, one fused multiply-add (y = x or the shifted 2x - 1)."""
    def step(k, x, p, q):
        yy = y(x)
        return _fma(yy + yy, q, -p)
    return step


def _ident(x):
    return x


def _shift(x):
    T = x.dtype.type
    return x + x - T(1)


def _pm(cond, a, b):
    return np.where(cond, a, b)


@_kernel
def chebyshev_t(x, n):
    """T_n(x): ±1 at |x| = 1, cos(n acos x) for |x| < 1 and n > 6, else T_k = 2x T_(k-1) - T_(k-2)."""
    return _poly(x, n, [(lambda x, n: np.abs(x) == 1, lambda x, n: _T(x, _pm((x > 0) | (n % 2 == 0), 1, -1)))],
                 (lambda x, n: (n > 6) & (np.abs(x) < 1), lambda x, n: _cos(n.astype(x.dtype) * _acos(x))),
                 None, _ident, _two_x_step(_ident))


def _u_trig(x, n):
    th = _acos(x)
    s = _sin(th)
    nn1 = (n + 1).astype(x.dtype)
    return np.where(s != 0, _sin(nn1 * th) / s, nn1 * _cos(nn1 * th) / x).astype(x.dtype)


@_kernel
def chebyshev_u(x, n):
    """U_n(x): ±(n+1) at |x| = 1, sin((n+1)θ)/sin θ for |x| < 1 and n > 8, else U_k = 2x U_(k-1) - U_(k-2)."""
    return _poly(x, n, [(lambda x, n: np.abs(x) == 1,
                         lambda x, n: _T(x, _pm((x > 0) | (n % 2 == 0), n + 1, -(n + 1))))],
                 (lambda x, n: (n > 8) & (np.abs(x) < 1), _u_trig), None, lambda x: x + x, _two_x_step(_ident))


def _v_trig(x, n):
    T = x.dtype.type
    th = _acos(x)
    nn = n.astype(x.dtype)
    odd = _T(x, _pm(n % 2 == 0, n + n + 1, -(n + n + 1)))
    return np.where(_sin(th / T(2)) != 1, _cos((nn + T(0.5)) * th) / _cos(th / T(2)), odd).astype(x.dtype)


@_kernel
def chebyshev_v(x, n):
    """V_n(x) (third kind): 1 at x = 1, ±(2n+1) at x = -1, cos((n+½)θ)/cos(θ/2) inside for n > 8, else the
    recurrence from V₁ = 2x - 1."""
    T = x.dtype.type
    return _poly(x, n, [(lambda x, n: np.abs(x) == 1,
                         lambda x, n: _T(x, _pm(x > 0, 1, _pm(n % 2 == 0, n + n + 1, -(n + n + 1)))))],
                 (lambda x, n: (n > 8) & (np.abs(x) < 1), _v_trig), None, lambda x: x + x - T(1),
                 _two_x_step(_ident))


def _w_trig(x, n):
    T = x.dtype.type
    th = _acos(x)
    nn = n.astype(x.dtype)
    at_end = _T(x, _pm(x > 0, n + n + 1, _pm(n % 2 == 0, 1, -1)))
    return np.where(_cos(th / T(2)) != 1, _sin((nn + T(0.5)) * th) / _sin(th / T(2)), at_end).astype(x.dtype)


@_kernel
def chebyshev_w(x, n):
    """W_n(x) (fourth kind): 2n+1 at x = 1, ±1 at x = -1, sin((n+½)θ)/sin(θ/2) inside for n > 8, else the
    recurrence from W₁ = 2x + 1."""
    T = x.dtype.type
    return _poly(x, n, [(lambda x, n: np.abs(x) == 1,
                         lambda x, n: _T(x, _pm(x > 0, n + n + 1, _pm(n % 2 == 0, 1, -1))))],
                 (lambda x, n: (n > 8) & (np.abs(x) < 1), _w_trig), None, lambda x: x + x + T(1),
                 _two_x_step(_ident))


def _shifted_ends(at_one, at_zero):
    return [(lambda x, n: x == 1, at_one), (lambda x, n: x == 0, at_zero)]


def _inside(limit):
    return lambda x, n: (n > limit) & (np.abs(_shift(x)) < 1)


@_kernel
def shifted_chebyshev_t(x, n):
    """T*_n(x) = T_n(2x - 1)."""
    return _poly(x, n, _shifted_ends(lambda x, n: _T(x, np.ones_like(n)), lambda x, n: _T(x, _pm(n % 2 == 0, 1, -1))),
                 (_inside(6), lambda x, n: _cos(n.astype(x.dtype) * _acos(_shift(x)))), None, _shift,
                 _two_x_step(_shift))


def _su_trig(x, n):
    return _u_trig(_shift(x), n)


@_kernel
def shifted_chebyshev_u(x, n):
    """U*_n(x) = U_n(2x - 1)."""
    return _poly(x, n, _shifted_ends(lambda x, n: _T(x, n + 1), lambda x, n: _T(x, _pm(n % 2 == 0, n + 1, -(n + 1)))),
                 (_inside(6), _su_trig), None, lambda x: _shift(x) + _shift(x), _two_x_step(_shift))


@_kernel
def shifted_chebyshev_v(x, n):
    """V*_n(x) = V_n(2x - 1)."""
    T = x.dtype.type
    return _poly(x, n, _shifted_ends(lambda x, n: _T(x, np.ones_like(n)),
                                     lambda x, n: _T(x, _pm(n % 2 == 0, n + n + 1, -(n + n + 1)))),
                 (_inside(6), lambda x, n: _v_trig(_shift(x), n)), None,
                 lambda x: _shift(x) + _shift(x) - T(1), _two_x_step(_shift))


@_kernel
def shifted_chebyshev_w(x, n):
    """W*_n(x) = W_n(2x - 1)."""
    T = x.dtype.type
    return _poly(x, n, _shifted_ends(lambda x, n: _T(x, n + n + 1), lambda x, n: _T(x, _pm(n % 2 == 0, 1, -1))),
                 (_inside(4), lambda x, n: _w_trig(_shift(x), n)), None,
                 lambda x: _shift(x) + _shift(x) + T(1), _two_x_step(_shift))


def _hermite_limit(x):
    """PyTorch gives NaN for Hermite degrees above 128 (float) or 512 (double)."""
    limit = 512 if x.dtype == np.float64 else 128
    return [(lambda x, n: n > limit, lambda x, n: np.full(x.shape, np.nan, x.dtype))]


def _kp(k, p):
    return p.dtype.type(k) * p


@_kernel
def hermite_h(x, n):
    """H_n(x), the physicists' Hermite polynomial: H_k = 2x H_(k-1) - 2(k-1) H_(k-2)."""
    def step(k, x, p, q):
        return _fma(x + x, q, -_kp(2 * (k - 1), p))
    return _poly(x, n, _hermite_limit(x), None, None, lambda x: x + x, step)


@_kernel
def hermite_he(x, n):
    """He_n(x), the probabilists' Hermite polynomial: He_k = x He_(k-1) - (k-1) He_(k-2)."""
    def step(k, x, p, q):
        return _fma(x, q, -_kp(k - 1, p))
    return _poly(x, n, _hermite_limit(x), None, None, _ident, step)


@_kernel
def laguerre_l(x, n):
    """L_n(x): 1 at x = 0, L_k = ((2k - 1 - x) L_(k-1) - (k-1) L_(k-2)) / k."""
    T = x.dtype.type

    def step(k, x, p, q):
        j = k - 1
        return _fma(T(j + j) + (T(1) - x), q, -_kp(j, p)) / T(j + 1)
    return _poly(x, n, [(lambda x, n: np.abs(x) == 0, lambda x, n: _T(x, np.ones_like(n)))], None, None,
                 lambda x: T(1) - x, step)


@_kernel
def legendre_p(x, n):
    """P_n(x): ±1 at |x| = 1, P_k = ((2k - 1) x P_(k-1) - (k-1) P_(k-2)) / k."""
    T = x.dtype.type

    def step(k, x, p, q):
        j = k - 1
        return _fma(T(j + j + 1) * x, q, -_kp(j, p)) / T(j + 1)
    return _poly(x, n, [(lambda x, n: np.abs(x) == 1,
                         lambda x, n: _T(x, _pm((x > 0) | (n % 2 == 0), 1, -1)))], None, None, _ident,
                 step)
