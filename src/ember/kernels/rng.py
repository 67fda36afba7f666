"""PyTorch's CPU random streams, bit for bit, in NumPy.

One :class:`Generator` is one ``torch.Generator('cpu')``: an mt19937 engine plus the cached second value of
the scalar Box-Muller transform. For the same seed and the same sequence of calls every draw consumes the
32-bit words of the stream exactly as PyTorch 2.13 does and applies the same arithmetic, so results are
identical:

* The engine is the reference mt19937 (``init_genrand`` seeding with the low 32 bits of the seed). Its words
  come from ``numpy.random.MT19937`` whose key and position we set and read back; a 64-bit draw is
  ``(first << 32) | second``. ``get_state``/``set_state`` use PyTorch's 5056-byte layout.
* ``uniform``: float32/float16 take the low 24 bits of one word, float64 the low 53 bits of a 64-bit draw;
  ``x * (to - from) + from`` is evaluated with one rounding (PyTorch's kernel is compiled with FMA
  contraction), and a value equal to ``to`` becomes ``from``.
* ``normal`` with 16 or more elements uses PyTorch's vectorised Box-Muller over blocks of 16 uniforms. For
  float32 (and float16, computed in float32) PyTorch runs its AVX2 kernel, whose log/sin/cos are the Cephes
  polynomials of ``avx_mathfun.h`` compiled with fused multiply-adds; we replay that exact sequence of
  float32 roundings (each FMA is one float64 multiply-add rounded to float32; during development this was
  checked against an exact FMA for all 2**24 possible uniforms, and against PyTorch on millions of
  draws). float64 uses glibc's ``log``/``sin``/``cos``. Fewer than 16 elements use the scalar float64
  Box-Muller with its cached second sample, shared with ``log_normal``.
* Integer draws (``randint``, ``random_``, ``randperm``, ``multinomial``) are exact: same words, same
  modulo reductions, same swap sequences (replayed without a per-element loop).

Speed: float32 normals cost about 2x NumPy's ziggurat (bench/rng_speed.py); float64 outputs of
transcendental draws call glibc through ``math`` (~0.1 us per element) to stay bit-exact; ``randperm``
sorts (~0.3 s for 10**6).

What is not reproduced (statistics are still right):

* float32/float16 ``normal`` of 16+ elements matches PyTorch on x86 CPUs with AVX2 (any x86 from the last
  decade, including AVX-512 ones, where PyTorch still dispatches this kernel to AVX2). On CPUs without AVX2
  or on ARM, PyTorch uses other math libraries and its own numbers differ from the AVX2 ones.
* float64 transcendental results are glibc's when the output is float64 (computed through ``math``). For
  float32/float16 outputs we use NumPy's float64 functions, which may differ from glibc by 1 ulp of
  float64; that changes the rounded float32 value with probability ~1e-9 per element.
* ``multinomial`` without replacement ranks ``p / q`` like ``torch.topk``; exact ties (only possible among
  zero-probability categories) may be ordered differently.
* A state whose ``left``/``next`` fields point past the state array (undefined behaviour in PyTorch) is
  rejected instead of read out of bounds.

``default_generator`` is seeded from OS entropy at import, as PyTorch seeds its default CPU generator; a new
``Generator()`` starts from 67280421310721 like ``torch.Generator()``.

Not thread-safe: share a generator across threads only with your own lock.
"""

from __future__ import annotations

import math
import os
import threading
import warnings
from collections.abc import Sequence

import numpy as np

__all__ = ["DEFAULT_SEED", "Generator", "default_generator"]

DEFAULT_SEED = 67280421310721  # c10::default_rng_seed_val: seed of every new torch.Generator()

_N = 624  # mt19937 state words
_U64 = (1 << 64) - 1
_STATE_DTYPE = np.dtype(
    [
        ("seed", "<u8"),
        ("left", "<i4"),
        ("seeded", "<i4"),
        ("next", "<u8"),
        ("state", "<u8", (_N,)),  # legacy layout keeps each 32-bit word in 64 bits
        ("normal_x", "<f8"),
        ("normal_y", "<f8"),  # cached float64 Box-Muller sample
        ("normal_rho", "<f8"),
        ("normal_is_valid", "<i4"),
        ("pad0", "<i4"),
        ("next_float_normal", "<f4"),
        ("next_float_normal_valid", "u1"),
        ("pad1", "u1", (3,)),
    ]
)
assert _STATE_DTYPE.itemsize == 5056  # sizeof(CPUGeneratorImplState) on 64-bit Linux

_F32 = np.float32
_F64 = np.float64
_I32 = np.int32
_CHUNK = 2048  # blocks of 16 normals per vectorised chunk: keeps the temporaries in cache
# element-wise draws (uniform, randint, random_, bernoulli with a scalar p) are made this many at a time,
# straight into the result: the stream is the same as one draw (each value takes a fixed number of words),
# and the word and float64 temporaries stay a few MB instead of several times the tensor
_DRAW_BLOCK = 1 << 16

# randperm switches to an inside-out shuffle with 64-bit draws from this n on (TensorFactories.cpp)
RANDPERM_SMALL_N_LIMIT = (2**32 - 1) // 20


# ----------------------------------------------------------------------------------------------------------
# float helpers


def _fma32(a: np.ndarray, b: float, c: float) -> np.ndarray:
    """fma(a, b, c) in float32 with a single rounding (float64 sum made round-to-odd, then rounded)."""
    flat = np.ascontiguousarray(a, _F32).reshape(-1)
    out = np.empty(flat.shape, _F32)
    b64, c64 = _F64(_F32(b)), _F64(_F32(c))
    step = 1 << 16  # chunks keep the float64 temporaries in cache
    for s in range(0, flat.size, step):
        p = flat[s : s + step].astype(_F64)
        p *= b64  # exact: 24 x 24 bit product
        t = p + c64
        # TwoSum error of the float64 sum; rounding it to odd when inexact makes the final float32
        # rounding correct (53 >= 2 * 24 + 2): a true FMA without double-rounding errors
        bb = t - p
        err = (p - (t - bb)) + (c64 - bb)
        _round_to_odd(t, err)
        out[s : s + step] = t
    return out.reshape(np.shape(a))


def _round_to_odd(s: np.ndarray, err: np.ndarray) -> None:
    """In place: where s = RN(x) with x = s + err inexact and s even, step s one ulp toward x."""
    bits = s.view(np.int64)
    fix = (err != 0) & ((bits & 1) == 0)
    if fix.any():
        # |s| grows when err has the sign of s; bits are sign-magnitude so +-1 moves the magnitude
        step = np.where((s > 0) == (err > 0), 1, -1)
        bits[fix] += step[fix]


def _fma64(a: np.ndarray, b: float, c: float) -> np.ndarray:
    """fma(a, b, c) in float64, correctly rounded (Boldo-Melquiond: exact product, sum rounded to odd)."""
    a = np.asarray(a, _F64)
    b = _F64(b)
    if b == 1.0 and c == 0.0:
        return a + 0.0  # fma(a, 1, 0) = a + 0 (turns -0 into +0 like the hardware does)
    c_arr = np.full(a.shape, c, _F64)
    # exact product a*b = ph + pl (Dekker's split into 26-bit halves)
    ph = a * b
    split = _F64(134217729.0)  # 2**27 + 1
    t = split * a
    ah = t - (t - a)
    al = a - ah
    t = split * b
    bh = t - (t - b)
    bl = b - bh
    pl = ((ah * bh - ph) + ah * bl + al * bh) + al * bl
    # th + tl = c + ph exactly
    th = c_arr + ph
    bb = th - c_arr
    tl = (c_arr - (th - bb)) + (ph - bb)
    # v = RO(tl + pl)
    v = tl + pl
    bb = v - tl
    err = (tl - (v - bb)) + (pl - bb)
    _round_to_odd(v, err)
    return th + v


def _libm(name: str, x: np.ndarray, exact: bool) -> np.ndarray:
    """name(x) in float64; exact=True calls glibc through ``math`` (what PyTorch calls), else NumPy's SIMD."""
    if not exact:
        return getattr(np, name)(x)
    f = getattr(math, name)
    flat = np.ascontiguousarray(x, _F64).ravel()
    out = np.empty(flat.shape, _F64)
    step = 1 << 16  # bounded lists of Python floats
    for s in range(0, flat.size, step):
        out[s : s + step] = list(map(f, flat[s : s + step].tolist()))
    return out.reshape(np.shape(x))


def _to_dtype(v: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """static_cast<dtype>(v); PyTorch's Half is built from float, so float64 -> float16 passes float32."""
    if dtype == np.float16 and v.dtype == _F64:
        v = v.astype(_F32)
    return v.astype(dtype)


# ----------------------------------------------------------------------------------------------------------
# PyTorch's AVX2 Box-Muller for float32 (NormalFill16 with avx_mathfun's log256_ps / sincos256_ps).
# Constants are the float32 roundings of the Cephes coefficients.

_LOG_P = [
    _F64(_F32(v))
    for v in (
        7.0376836292e-2,
        -1.1514610310e-1,
        1.1676998740e-1,
        -1.2420140846e-1,
        1.4249322787e-1,
        -1.6668057665e-1,
        2.0000714765e-1,
        -2.4999993993e-1,
        3.3333331174e-1,
    )
]
_LOG_Q1 = _F32(-2.12194440e-4)
_LOG_Q2 = _F32(0.693359375)
_SQRTHF = _F32(0.707106781186547524)
_FOPI = _F32(1.27323954473516)  # 4 / pi
_DP1 = _F32(-0.78515625)
_DP2 = _F32(-2.4187564849853515625e-4)
_DP3 = _F64(_F32(-3.77489497744594108e-8))
_COS_P = [_F64(_F32(v)) for v in (2.443315711809948e-5, -1.388731625493765e-3, 4.166664568298827e-2)]
_SIN_P = [_F64(_F32(v)) for v in (-1.9515295891e-4, 8.3321608736e-3, -1.6666654611e-1)]
_TWO_PI_F32 = _F32(2.0 * math.pi)
# sign bits of sin and cos for octant pairs h = j / 2 = 0..4: sin + + - - +, cos + - - + +
_SIN_SIGN = np.array([0, 0, 1, 1, 0], _I32) << 31
_COS_SIGN = np.array([0, 1, 1, 0, 0], _I32) << 31


class _Work:
    """Reusable float64/float32 scratch arrays for one chunk of the float32 normal kernel."""

    def __init__(self, n: int, parent: _Work | None = None) -> None:
        if parent is not None:  # the first n elements of a larger workspace
            self.t, self.a, self.b = parent.t[:n], parent.a[:n], parent.b[:n]
            self.y, self.s = parent.y[:n], parent.s[:n]
            return
        self.t = np.empty(n, _F64)
        self.a = np.empty(n, _F64)
        self.b = np.empty(n, _F64)
        self.y = np.empty(n, _F32)
        self.s = np.empty(n, _F32)


def _round32(src: np.ndarray, dst32: np.ndarray, dst64: np.ndarray | None = None) -> None:
    """dst32 = float32(src) (one rounding); optionally also widen it back into dst64."""
    np.copyto(dst32, src, casting="same_kind")
    if dst64 is not None:
        np.copyto(dst64, dst32)


def _normal_pairs_f32(
    k1: np.ndarray, k2: np.ndarray, w: _Work, out_cos: np.ndarray, out_sin: np.ndarray
) -> None:
    """out_cos, out_sin = r cos(theta), r sin(theta), u1 = 1 - k1/2**24, u2 = k2/2**24, as PyTorch's AVX2.

    r = sqrt(-2 log u1), theta = 2 pi u2. Every FMA of the compiled kernel is one float64 multiply-add
    rounded once to float32: the float64 result is exact for all inputs that occur. k1, k2 and the outputs
    may be strided views of equal shape.
    """
    t = w.t
    # ---- log256_ps(u1); u1 = K * 2**-24 with K = 2**24 - k1 in [1, 2**24] (exact, so no 1 - u rounding)
    big_k = np.subtract(_I32(1 << 24), k1, dtype=_I32).reshape(-1)  # contiguous from here on
    m = big_k.astype(_F32)  # exact
    bits = m.view(_I32)
    e_int = bits >> 23  # biased exponent of K
    bits &= _I32(0x007FFFFF)
    bits |= _I32(0x3F000000)  # m = mantissa in [0.5, 1)
    small = m < _SQRTHF
    e_int -= small  # e -= 1 where m < sqrt(1/2)
    e = e_int.astype(_F32)
    e -= _F32(126 + 24)  # exponent of u1 = K * 2**-24, cephes convention
    x = m - _F32(1)
    m *= small
    x += m  # x = 2m - 1 or m - 1, both exact
    z = x * x
    x64 = x.astype(_F64)
    y64, y32 = w.a, w.y
    np.multiply(x64, _LOG_P[0], out=t)
    t += _LOG_P[1]
    _round32(t, y32, y64)
    for p in _LOG_P[2:-1]:
        np.multiply(y64, x64, out=t)
        t += p
        _round32(t, y32, y64)
    np.multiply(y64, x64, out=t)
    t += _LOG_P[-1]
    _round32(t, y32)
    y32 *= x
    # y = fma(y, z, e * q1)
    np.multiply(y32, z, out=t, dtype=_F64)
    t += e * _LOG_Q1
    _round32(t, y32)
    # y = fma(-z, 0.5, y): z/2 is exact, so this is one rounded subtraction
    z *= _F32(0.5)
    np.subtract(y32, z, out=t, dtype=_F64)
    _round32(t, y32)
    x += y32
    e *= _LOG_Q2  # exact (q2 has 9 significant bits)
    x += e  # fma(e, q2, x) == x + e*q2 because the product is exact
    x *= _F32(-2)
    radius = np.sqrt(x, out=x)

    # ---- sincos256_ps(theta); theta = f32(2 pi) * k2 * 2**-24, scaling by 2**-24 is exact
    theta = k2.astype(_F32).reshape(-1)
    theta *= _F32(_TWO_PI_F32 * _F32(2.0**-24))
    jf = theta * _FOPI
    h = jf.astype(_I32)
    h += 1
    h >>= 1  # the kernel's octant j = (int(theta 4/pi) + 1) & ~1 is 2h, h in 0..4 since theta < 2 pi
    yj = h.astype(_F32)
    yj *= _F32(2)
    # extended-precision reduction x = theta - j*(pi/4) in three parts; the first two products are exact in
    # float32 so their FMAs are plain adds, the third needs one rounding of the float64 sum
    ax = yj * _DP1
    ax += theta
    np.multiply(yj, _DP2, out=jf)
    ax += jf
    np.multiply(yj, _DP3, out=t, dtype=_F64)
    t += ax
    _round32(t, ax)
    z = ax * ax
    z64 = w.b
    np.copyto(z64, z)
    c64, c32 = w.a, w.y
    # cos polynomial: c = ((p0 z + p1) z + p2) z z - z/2 + 1
    np.multiply(z64, _COS_P[0], out=t)
    t += _COS_P[1]
    _round32(t, c32, c64)
    np.multiply(c64, z64, out=t)
    t += _COS_P[2]
    _round32(t, c32)
    c32 *= z
    np.copyto(c64, c32)
    np.multiply(c64, z64, out=t)
    z *= _F32(0.5)  # tmp = z * 0.5 (exact); c = fma(z, c, -tmp)
    np.subtract(t, z, out=t, dtype=_F64)
    _round32(t, c32)
    c32 += _F32(1)
    # sin polynomial: s = ((q0 z + q1) z + q2) z x + x
    s32 = w.s
    np.multiply(z64, _SIN_P[0], out=t)
    t += _SIN_P[1]
    _round32(t, s32, c64)
    np.multiply(c64, z64, out=t)
    t += _SIN_P[2]
    _round32(t, s32)
    z *= _F32(2)  # undo the halving (exact)
    s32 *= z
    ax64 = w.b
    np.copyto(ax64, ax)
    np.multiply(s32, ax64, out=t, dtype=_F64)
    t += ax64
    _round32(t, s32)
    # odd h (j & 2) swaps the two polynomials; then the octant's signs, by bit operations like the kernel
    swap = h & _I32(1)
    np.negative(swap, out=swap)  # all ones where h is odd
    sin_bits = s32.view(_I32)
    cos_bits = c32.view(_I32)
    diff = sin_bits ^ cos_bits
    diff &= swap
    sin_bits ^= diff
    cos_bits ^= diff
    sin_bits ^= _SIN_SIGN.take(h)
    cos_bits ^= _COS_SIGN.take(h)
    shape = out_cos.shape
    np.multiply(cos_bits.view(_F32).reshape(shape), radius.reshape(shape), out=out_cos)
    np.multiply(sin_bits.view(_F32).reshape(shape), radius.reshape(shape), out=out_sin)


def _normal_blocks_f32(words: np.ndarray, out: np.ndarray, w: _Work | None = None) -> None:
    """Box-Muller on rows of 16 24-bit words: out[b, :8] = r cos, out[b, 8:] = r sin (float32, N(0, 1))."""
    n = words.shape[0] * 8
    if w is None or w.t.shape[0] < n:
        w = _Work(n)
    elif w.t.shape[0] > n:
        w = _Work(n, parent=w)
    _normal_pairs_f32(words[:, :8], words[:, 8:], w, out[:, :8], out[:, 8:])


# ----------------------------------------------------------------------------------------------------------
# permutations from swap sequences, without a per-element Python loop


def _resolve_chains(parent: np.ndarray, value: np.ndarray) -> None:
    """In place: value[i] = value[root(i)] following parent links (-1 = root), by pointer jumping."""
    active = np.flatnonzero(parent >= 0)
    while active.size:
        p = parent[active]
        gp = parent[p]
        at_root = gp < 0
        done = active[at_root]
        value[done] = value[p[at_root]]
        parent[done] = -1
        active = active[~at_root]
        parent[active] = gp[~at_root]


def _forward_shuffle(n: int, j: np.ndarray) -> np.ndarray:
    """arange(n) after swap(a[i], a[j[i]]) for i = 0, 1, ..., with j[i] >= i (Fisher-Yates)."""
    m = j.size
    out = np.arange(n, dtype=np.int64)
    if m == 0:
        return out
    # a[i] is final after step i and equals the value at position j[i] then: the value put there by the
    # previous step targeting j[i], or j[i] itself. The value step k puts at j[k] is v[k] = the value at
    # position k at time k, i.e. v of the last earlier step that targeted k, or k itself: a chain.
    order = np.argsort(j, kind="stable")
    sj = j[order]
    same = sj[1:] == sj[:-1]
    prev = np.full(m, -1, np.int64)  # previous step with the same target
    prev[order[1:][same]] = order[:-1][same]
    last = np.ones(m, bool)
    last[:-1] = ~same
    last_step, target = order[last], sj[last]
    # latest step k < i targeting i; a self-swap (k == i) is skipped for its predecessor
    parent = np.full(n, -1, np.int64)
    parent[target] = np.where(last_step == target, prev[last_step], last_step)
    v = np.arange(n, dtype=np.int64)
    _resolve_chains(parent, v)
    out[:m] = np.where(prev >= 0, v[np.maximum(prev, 0)], j)
    out[m:] = v[m:]
    return out


def _apply_swaps(n: int, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """arange(n) after swap(a[x[t]], a[y[t]]) for t = 0, 1, ... (any swap sequence)."""
    keep = x != y
    x, y = x[keep].astype(np.int64), y[keep].astype(np.int64)
    m = x.size
    out = np.arange(n, dtype=np.int64)
    if m == 0:
        return out
    # node e (event: an end of swap e % m) = value at its position just before that swap; it came from
    # the other end of the previous swap touching the same position, or is the position itself
    pos = np.concatenate([x, y])
    order = np.argsort(pos, kind="stable")  # by position, then time
    spos = pos[order]
    partner = np.concatenate([np.arange(m, 2 * m), np.arange(m)])
    same = spos[1:] == spos[:-1]
    parent = np.full(2 * m, -1, np.int64)
    parent[order[1:][same]] = partner[order[:-1][same]]
    val = pos.copy()
    _resolve_chains(parent, val)
    last = np.ones(2 * m, bool)
    last[:-1] = ~same
    ev = order[last]
    out[pos[ev]] = val[partner[ev]]
    return out


# ----------------------------------------------------------------------------------------------------------
# checks shared by the draws

_INT_NAMES = {
    np.dtype(np.uint8): "unsigned char",
    np.dtype(np.int8): "signed char",
    np.dtype(np.int16): "short int",
    np.dtype(np.int32): "int",
    np.dtype(np.int64): "long int",
    np.dtype(np.bool_): "bool",
}
_FLOAT_NAMES = {
    np.dtype(np.float16): "c10::Half",
    np.dtype(np.float32): "float",
    np.dtype(np.float64): "double",
}
_SUPPORTED = set(_INT_NAMES) | set(_FLOAT_NAMES)


def _dtype(dtype) -> np.dtype:
    dt = np.dtype(dtype)
    if dt not in _SUPPORTED:
        raise TypeError(f"unsupported dtype for random draws: {dt}")
    return dt


# PyTorch's names for a dtype in its errors: the ScalarType's ('Long') and the C++ type's ('long int')
_SCALAR_NAMES = {"int64": "Long", "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool",
                 "float32": "Float", "float64": "Double", "float16": "Half"}
_CXX_NAMES = {"int64": "long int", "int32": "int", "int16": "short int", "int8": "signed char",
              "uint8": "unsigned char", "bool": "bool", "float32": "float", "float64": "double", "float16": "c10::Half"}


def _float_dtype(dtype, what: str) -> np.dtype:
    dt = _dtype(dtype)
    if dt.kind != "f":
        raise NotImplementedError(f"\"{what}\" not implemented for '{_SCALAR_NAMES.get(dt.name, dt.name)}'")
    return dt


def _blocks(n: int):
    """(start, stop) of the draw blocks covering n values."""
    return ((s, min(s + _DRAW_BLOCK, n)) for s in range(0, n, _DRAW_BLOCK))


def _result(n: int, dt: np.dtype, out: np.ndarray | None) -> np.ndarray:
    """The flat array a draw writes into: ``out`` (a 1-D ``dt`` array of n values, e.g. a tensor's memory for
    ``uniform_``) or a new one."""
    if out is None:
        return np.empty(n, dt)
    if out.shape != (n,) or out.dtype != dt:  # pragma: no cover - callers pass their tensor's flat view
        raise ValueError(f"draw target must be 1-D {dt} of {n} values, got {out.dtype} {out.shape}")
    return out


def _shape(shape) -> tuple[int, ...]:
    if isinstance(shape, (int, np.integer)):
        return (int(shape),)
    return tuple(int(s) for s in shape)


def _numel(shape: tuple[int, ...]) -> int:
    return math.prod(shape)


def _check_seed(seed) -> int:
    """uint64 seed as torch.Generator.manual_seed reads it: [0, 2**64) as is, [-2**63, 0) two's complement."""
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (int, np.integer)):
        # PyTorch raises RuntimeError here, not TypeError
        raise RuntimeError(f"manual_seed expected a long, but got {type(seed).__name__}")  # noqa: TRY004
    seed = int(seed)
    if not -(2**63) <= seed <= _U64:
        raise ValueError("Overflow when unpacking long long")
    return seed & _U64


_ENGINE_LOCK = threading.Lock()  # makes each generator's engine once (Generator._engine)


def _init_genrand(seed: int) -> np.ndarray:
    """mt19937 key for seed: state[0] = seed mod 2**32, state[j] = 1812433253 (s ^ s >> 30) + j."""
    # RandomState seeds with exactly this recurrence (init_genrand) for a 32-bit integer
    return np.random.RandomState(seed & 0xFFFFFFFF).get_state(legacy=True)[1].astype(np.uint32)


def _temper(y: np.ndarray) -> np.ndarray:
    """mt19937 output function applied to raw state words."""
    y = y.astype(np.uint32)
    y ^= y >> np.uint32(11)
    y ^= (y << np.uint32(7)) & np.uint32(0x9D2C5680)
    y ^= (y << np.uint32(15)) & np.uint32(0xEFC60000)
    y ^= y >> np.uint32(18)
    return y


# ----------------------------------------------------------------------------------------------------------


class Generator:
    """One PyTorch CPU generator: mt19937 words plus the cached float64 Box-Muller sample."""

    def __init__(self) -> None:
        # the engine (numpy.random's MT19937, ~10 ms to import) is made with the first draw or state read: a fresh
        # seed's engine is init_genrand(seed) at position 624, so until then the seed alone says it (_engine)
        self._bitgen = None
        self.manual_seed(DEFAULT_SEED)

    def _engine(self):
        """The MT19937 bit generator, made and keyed from the seed on first use (once, whichever thread asks)."""
        bitgen = self._bitgen
        if bitgen is None:
            with _ENGINE_LOCK:
                bitgen = self._bitgen
                if bitgen is None:
                    bitgen = np.random.MT19937()
                    bitgen.state = {"bit_generator": "MT19937",
                                    "state": {"key": _init_genrand(self._seed), "pos": 624}}
                    self._rs = np.random.RandomState(bitgen)  # its masked bounded ints read words as PyTorch does
                    self._bitgen = bitgen
        return bitgen

    # ---- seeding and state ------------------------------------------------------------------------------

    def manual_seed(self, seed: int) -> Generator:
        """Reseed: key = init_genrand(seed mod 2**32); drops the cached normal. Returns self."""
        seed = _check_seed(seed)
        self._seed = seed
        if self._bitgen is None:  # the engine, when it is made, starts from this seed (_engine)
            self._pending, self._report_next = None, 0  # what _set_engine says of a fresh seed
        else:
            self._set_engine(_init_genrand(seed), left=1, nxt=0)
        self._next_double_normal: float | None = None
        self._next_float_normal: float | None = None
        return self

    def seed(self) -> int:
        """Reseed from the OS entropy pool (64 bits, like torch.seed()) and return the seed."""
        s = int.from_bytes(os.urandom(8), "little")
        self.manual_seed(s)
        return s

    def initial_seed(self) -> int:
        """The seed last given to manual_seed/seed (or found in a state), as an unsigned 64-bit int."""
        return self._seed

    def _set_engine(self, key: np.ndarray, left: int, nxt: int) -> None:
        """Load mt19937 (state words, left, next) with PyTorch's engine semantics."""
        # PyTorch reads state[next], state[next+1], ... for left-1 more words, then regenerates the block.
        # In steady state left + next == 625, which is NumPy's position `next`; left == 1 means "regenerate
        # before the next word" whatever next says (a fresh seed has next == 0).
        steady = left == 1 or left + nxt == 625
        if not steady and nxt + left - 1 > _N:
            raise RuntimeError("Invalid mt19937 state")  # PyTorch would read past the state array
        self._pending: np.ndarray | None = None
        self._report_next: int | None = None  # next as PyTorch would print it, while it differs from NumPy's
        if steady:
            pos = 624 if left == 1 else nxt
            if left == 1:
                self._report_next = nxt
        else:
            # an unusual but valid state: serve the remaining words of this block ourselves
            self._pending = _temper(key[nxt : nxt + left - 1])
            self._pending_left, self._pending_next = left, nxt
            pos = 624
        self._engine().state = {"bit_generator": "MT19937", "state": {"key": key.astype(np.uint32), "pos": pos}}

    def get_state(self) -> np.ndarray:
        """The state as torch.get_rng_state() bytes: uint8[5056] (legacy struct + cached float normal)."""
        st = np.zeros((), _STATE_DTYPE)
        bs = self._engine().state["state"]
        if self._pending is not None:
            left, nxt = self._pending_left, self._pending_next
        elif self._report_next is not None:
            left, nxt = 1, self._report_next
        else:
            left, nxt = 625 - int(bs["pos"]), int(bs["pos"])
        st["seed"] = self._seed
        st["left"] = left
        st["seeded"] = 1
        st["next"] = nxt
        st["state"] = bs["key"]
        if self._next_double_normal is not None:
            st["normal_is_valid"] = 1
            st["normal_y"] = self._next_double_normal
        if self._next_float_normal is not None:
            st["next_float_normal_valid"] = 1
            st["next_float_normal"] = self._next_float_normal
        return np.frombuffer(st.tobytes(), np.uint8).copy()

    def set_state(self, state: np.ndarray) -> None:
        """Load torch.get_rng_state()-style bytes (validated like PyTorch)."""
        if not isinstance(state, np.ndarray):
            raise TypeError(f"expected a numpy uint8 array, but got {type(state).__name__}")
        if state.dtype != np.uint8:
            raise TypeError("RNG state must be a torch.ByteTensor")
        if state.size != _STATE_DTYPE.itemsize:
            raise RuntimeError(
                f"Expected a CPUGeneratorImplState of size {_STATE_DTYPE.itemsize} but found the input RNG "
                f"state size to be {state.size}"
            )
        st = np.frombuffer(np.ascontiguousarray(state).tobytes(), _STATE_DTYPE)[0]
        left, nxt = int(st["left"]), int(st["next"]) & 0xFFFFFFFF  # engine keeps next as uint32
        if not (st["seeded"] != 0 and 0 < left <= _N and nxt <= _N):
            raise RuntimeError("Invalid mt19937 state")
        key = (st["state"] & 0xFFFFFFFF).astype(np.uint32)
        self._set_engine(key, left, nxt)
        self._seed = int(st["seed"])
        self._next_double_normal = float(st["normal_y"]) if st["normal_is_valid"] else None
        self._next_float_normal = float(st["next_float_normal"]) if st["next_float_normal_valid"] else None

    # ---- raw words ----------------------------------------------------------------------------------------

    def _take_pending(self, n: int) -> np.ndarray:
        """Up to n words still owed by an unusual loaded state."""
        p = self._pending
        k = min(n, p.size)
        out, rest = p[:k], p[k:]
        self._pending_left -= k
        self._pending_next += k
        if rest.size == 0:
            self._pending = None  # NumPy's engine (at position 624) takes over with the block regeneration
        else:
            self._pending = rest
        return out

    def _words32(self, n: int, mask_bits: int = 32) -> np.ndarray:
        """n engine outputs (random()), keeping the low mask_bits bits; uint32."""
        if n <= 0:
            return np.empty(0, np.uint32)
        self._report_next = None
        if self._bitgen is None:
            self._engine()
        if self._pending is None:
            # RandomState's masked bounded draw returns word & (2**bits - 1), one word per value
            return self._rs.randint(0, 1 << mask_bits, size=n, dtype=np.uint32)
        head = self._take_pending(n)
        tail = self._rs.randint(0, 1 << 32, size=n - head.size, dtype=np.uint32)
        out = np.concatenate([head, tail])
        if mask_bits < 32:
            out &= np.uint32((1 << mask_bits) - 1)
        return out

    def _words64(self, n: int, mask_bits: int = 64) -> np.ndarray:
        """n random64() draws ((first << 32) | second), keeping the low mask_bits bits; uint64."""
        if n <= 0:
            return np.empty(0, np.uint64)
        self._report_next = None
        if self._bitgen is None:
            self._engine()
        if self._pending is None:
            high = 1 << mask_bits
            return self._rs.randint(0, high, size=n, dtype=np.uint64)  # next_uint64 is hi << 32 | lo too
        w = self._words32(2 * n).astype(np.uint64)
        out = (w[0::2] << np.uint64(32)) | w[1::2]
        if mask_bits < 64:
            out &= np.uint64((1 << mask_bits) - 1)
        return out

    def _uniform24(self, n: int) -> np.ndarray:
        """float32 uniforms on [0, 1): (word & (2**24 - 1)) * 2**-24."""
        return np.multiply(self._words32(n, 24), _F32(2.0**-24), dtype=_F32)

    def _uniform53(self, n: int) -> np.ndarray:
        """float64 uniforms on [0, 1): (random64() & (2**53 - 1)) * 2**-53."""
        return self._words64(n, 53).astype(_F64) * 2.0**-53

    # ---- continuous draws ---------------------------------------------------------------------------------

    def uniform(self, shape: Sequence[int] | int, dtype, low: float = 0.0, high: float = 1.0,
                out: np.ndarray | None = None) -> np.ndarray:
        """torch.rand / uniform_(low, high): u * (high - low) + low (one rounding), u on [0, 1).

        ``out`` (here and in randint, random_, bernoulli): a flat array of the result's dtype to draw into.
        """
        dt = _float_dtype(dtype, "check_uniform_bounds")
        shape = _shape(shape)
        low, high = float(low), float(high)
        lo_lim, hi_lim = float(np.finfo(dt).min), float(np.finfo(dt).max)
        for name, v in (("from", low), ("to", high)):
            if not lo_lim <= v <= hi_lim:
                raise RuntimeError(f"{name} is out of bounds for {_FLOAT_NAMES[dt]}")
        if low > high:
            raise RuntimeError(
                f"uniform_ expects to return a [from, to) range, but found from={low:g} > to={high:g}"
            )
        if high - low > hi_lim:
            raise RuntimeError(
                f"uniform_ expects to-from <= std::numeric_limits<{dt.name}>::max(), but found to={high:g} "
                f"and from={low:g} which result in to-from to exceed the limit"
            )
        n = _numel(shape)
        res = _result(n, dt, out)
        to_s, from_s = _to_dtype(np.array(high), dt), _to_dtype(np.array(low), dt)
        lo32, hi32 = _F32(low), _F32(high)
        for s, e in _blocks(n):
            if dt == _F64:
                u = self._uniform53(e - s)
                v = u if (low, high) == (0.0, 1.0) else _fma64(u, high - low, low)
            else:
                u = self._uniform24(e - s)
                v = u if (lo32, hi32) == (0.0, 1.0) else _fma32(u, hi32 - lo32, lo32)
            seg = res[s:e]
            seg[...] = v
            seg[seg == to_s] = from_s  # the kernel maps a rounded-up `to` back to `from`
        return res.reshape(shape)

    def normal(self, shape: Sequence[int] | int, dtype, mean=0.0, std=1.0,
               out: np.ndarray | None = None) -> np.ndarray:
        """torch.randn / normal_(mean, std) / torch.normal: mean + std * N(0, 1) by Box-Muller.

        Array mean or std follow torch.normal(Tensor, ...): draw N(0, 1) (or N(0, std) for a scalar std),
        then multiply by std and add mean as separate rounded operations; the shape broadcasts.
        """
        dt = _float_dtype(dtype, "normal_kernel_cpu")
        shape = _shape(shape)
        mean_arr, std_arr = isinstance(mean, np.ndarray), isinstance(std, np.ndarray)
        if not (mean_arr or std_arr):
            if not std >= 0.0:
                raise RuntimeError(f"normal expects std >= 0.0, but found std {std:g}")
            return self._normal(shape, dt, float(mean), float(std), out)
        if std_arr and not (std >= 0).all():
            raise RuntimeError("normal expects all elements of std >= 0.0")
        if not std_arr and not std >= 0.0:
            raise RuntimeError(f"normal expects std >= 0.0, but found std {std:g}")
        shape = np.broadcast_shapes(shape, np.shape(mean), np.shape(std))
        if not std_arr:
            out = self._normal(shape, dt, 0.0, float(std))
        else:
            out = self._normal(shape, dt, 0.0, 1.0)
            np.multiply(out, std, out=out, casting="unsafe")
        if not mean_arr:
            mean = dt.type(mean)  # at::full({}, mean, output.options())
        np.add(out, mean, out=out, casting="unsafe")
        return out

    def _normal(self, shape: tuple[int, ...], dt: np.dtype, mean: float, std: float,
                out: np.ndarray | None = None) -> np.ndarray:
        """normal_(mean, std) on a contiguous tensor of this shape and dtype (float32: drawn into ``out``)."""
        n = _numel(shape)
        if n < 16:
            return _to_dtype(self._box_muller(n, mean, std, exact=True), dt).reshape(shape)
        if dt == _F64:
            return self._normal_fill_f64(n, mean, std).reshape(shape)
        return self._normal_fill_f32(n, dt, mean, std, out if dt == _F32 else None).reshape(shape)

    def _normal_fill_f32(self, n: int, dt: np.dtype, mean: float, std: float,
                         out: np.ndarray | None = None) -> np.ndarray:
        """normal_fill for float32/float16: 16-blocks of uniforms through the AVX2 kernel, tail re-drawn."""

        def finish(v: np.ndarray) -> None:
            # NormalFill16 ends with fma(r cos, std, mean); with (0, 1) that is r cos + 0 (no -0.)
            if (mean, std) == (0.0, 1.0):
                v += _F32(0)
            else:
                v[...] = _fma32(v, std, mean)

        full = n // 16
        out = _result(n, _F32, out)
        blocks = out[: full * 16].reshape(full, 16)
        work = _Work(min(_CHUNK, full) * 8)
        for s in range(0, full, _CHUNK):
            b = min(_CHUNK, full - s)
            words = self._words32(16 * b, 24).reshape(b, 16)
            _normal_blocks_f32(words, blocks[s : s + b], work)
            finish(blocks[s : s + b])
        if n % 16:
            if dt == _F32:
                # float32 first fills every element with a uniform; the partial block's get overwritten
                self._words32(n % 16)
            tail = np.empty((1, 16), _F32)
            _normal_blocks_f32(self._words32(16, 24).reshape(1, 16), tail)
            finish(tail)
            out[n - 16 :] = tail[0]
        return out.astype(dt, copy=False)

    def _normal_fill_f64(self, n: int, mean: float, std: float) -> np.ndarray:
        """normal_fill for float64: r = sqrt(-2 log(1 - u1)), theta = 2 pi u2; fma(r cos, std, mean)."""
        full = n // 16
        u = self._uniform53(n)  # every element first gets a uniform ...
        blocks = u[: full * 16].reshape(full, 16)
        if n % 16:  # ... and a partial last block is redone over the last 16 elements with fresh ones
            blocks = np.concatenate([blocks, self._uniform53(16)[None]])
        u1 = 1.0 - blocks[:, :8]
        radius = np.sqrt(-2.0 * _libm("log", u1, exact=True))
        theta = (2.0 * math.pi) * blocks[:, 8:]
        res = np.concatenate([radius * np.cos(theta), radius * np.sin(theta)], axis=1)
        res = _fma64(res, std, mean)
        out = np.empty(n, _F64)
        out[: full * 16] = res[:full].reshape(-1)
        if n % 16:
            out[n - 16 :] = res[full]
        return out

    def _box_muller(self, count: int, mean: float, std: float, exact: bool) -> np.ndarray:
        """count draws of at::normal_distribution<double>: r cos now, r sin cached for the next call."""
        out = np.empty(count, _F64)
        i = 0
        if count and self._next_double_normal is not None:
            out[0] = self._next_double_normal
            self._next_double_normal = None
            i = 1
        m = count - i
        pairs = (m + 1) // 2
        if pairs:
            u = self._uniform53(2 * pairs).reshape(pairs, 2)
            radius = np.sqrt(-2.0 * _libm("log1p", -u[:, 1], exact))
            theta = (2.0 * math.pi) * u[:, 0]
            vals = np.empty((pairs, 2), _F64)
            vals[:, 0] = radius * _libm("cos", theta, exact)
            vals[:, 1] = radius * _libm("sin", theta, exact)
            vals = vals.reshape(-1)
            out[i:] = vals[:m]
            if m % 2:
                # the cached sample may come out later as a float64 value: always take it from glibc
                u1, u2 = float(u[-1, 0]), float(u[-1, 1])
                radius = math.sqrt(-2.0 * math.log1p(-u2))
                self._next_double_normal = radius * math.sin((2.0 * math.pi) * u1)
        return _fma64(out, std, mean)

    def exponential(self, shape: Sequence[int] | int, dtype, lambd: float = 1.0) -> np.ndarray:
        """exponential_(lambd): -1/lambd * log1p(-u), u a 53-bit uniform."""
        dt = _dtype(dtype)
        if not lambd > 0.0:
            raise RuntimeError(f"exponential_ expects lambda > 0.0, but found lambda={lambd:g}")
        if dt.kind != "f":
            raise RuntimeError(
                "Exponential distribution is a continuous probability distribution. dtype must be a floating "
                f"point but you specified {_SCALAR_NAMES.get(dt.name, dt.name)}"
            )
        shape = _shape(shape)
        u = self._uniform53(_numel(shape))
        v = (-1.0 / lambd) * _libm("log1p", -u, exact=dt == _F64)
        return _to_dtype(v, dt).reshape(shape)

    def geometric(self, shape: Sequence[int] | int, dtype, p: float) -> np.ndarray:
        """geometric_(p): ceil(log(u) / log1p(-p)), u a 53-bit uniform."""
        dt = _dtype(dtype)
        if not 0.0 < p < 1.0:
            raise RuntimeError(f"geometric_ expects p to be in (0, 1), but got p={p:g}")
        shape = _shape(shape)
        u = self._uniform53(_numel(shape))
        with np.errstate(divide="ignore"):
            v = np.ceil(_libm("log", u, exact=dt == _F64) / math.log1p(-p))
        return _to_dtype(v, dt).reshape(shape)

    def cauchy(
        self, shape: Sequence[int] | int, dtype, median: float = 0.0, sigma: float = 1.0
    ) -> np.ndarray:
        """cauchy_(median, sigma): median + sigma * tan(pi (u - 1/2)) (one rounding), u a 53-bit uniform."""
        dt = _dtype(dtype)
        if not sigma > 0.0:
            raise RuntimeError(f"cauchy_ expects sigma > 0.0, but found sigma={sigma:g}")
        if dt.kind != "f":
            raise RuntimeError(
                "Cauchy distribution is a continuous probability distribution. dtype must be a floating "
                f"point but you specified {_CXX_NAMES.get(dt.name, dt.name)}"
            )
        shape = _shape(shape)
        u = self._uniform53(_numel(shape))
        tan = _libm("tan", math.pi * (u - 0.5), exact=dt == _F64)
        return _to_dtype(_fma64(tan, sigma, median), dt).reshape(shape)

    def log_normal(
        self, shape: Sequence[int] | int, dtype, mean: float = 1.0, std: float = 2.0
    ) -> np.ndarray:
        """log_normal_(mean, std): exp(mean + std * N(0, 1)), scalar Box-Muller (shares the cached sample)."""
        dt = _float_dtype(dtype, "log_normal_cpu")
        if not std > 0.0:
            raise RuntimeError(f"log_normal_ expects std > 0.0, but found std={std:g}")
        shape = _shape(shape)
        exact = dt == _F64
        v = _libm("exp", self._box_muller(_numel(shape), mean, std, exact), exact)
        return _to_dtype(v, dt).reshape(shape)

    # ---- discrete draws ------------------------------------------------------------------------------------

    def randint(self, low: int, high: int, shape: Sequence[int] | int, dtype=np.int64,
                out: np.ndarray | None = None) -> np.ndarray:
        """torch.randint / random_(low, high): low + word mod (high - low); 64-bit words if range >= 2**28."""
        dt = _dtype(dtype)
        low, high = int(low), int(high)
        if not (-(2**63) <= low < 2**63 and -(2**63) <= high < 2**63):
            raise RuntimeError("Overflow when unpacking long")
        if low >= high:
            raise RuntimeError(
                f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}"
            )
        self._check_int_range(dt, low, high - 1)
        shape = _shape(shape)
        n = _numel(shape)
        span = high - low
        res = _result(n, dt, out)
        for s, e in _blocks(n):
            words = self._words64(e - s) if span >= 1 << 28 else self._words32(e - s).astype(np.uint64)
            # (word % span) + low with int64 wrap-around, as uniform_int_from_to does
            v = ((words % np.uint64(span)) + np.uint64(low & _U64)).view(np.int64)
            res[s:e] = self._int64_to(v, dt)
        return res.reshape(shape)

    @staticmethod
    def _check_int_range(dt: np.dtype, lo: int, hi: int) -> None:
        """PyTorch's bounds checks for random_(from, to): errors for integer dtypes, warnings for floats."""
        if dt.kind in "iub":
            info = (0, 1) if dt.kind == "b" else (int(np.iinfo(dt).min), int(np.iinfo(dt).max))
            if not info[0] <= lo <= info[1]:
                raise RuntimeError(f"from is out of bounds for {_INT_NAMES[dt]}")
            if not info[0] <= hi <= info[1]:
                raise RuntimeError(f"to - 1 is out of bounds for {_INT_NAMES[dt]}")
            return
        digits = np.finfo(dt).nmant + 1
        for name, v in (("from", lo), ("to - 1", hi)):
            if not -(2**digits) <= v <= 2**digits:
                warnings.warn(
                    f"{name} is out of bounds [-(2^{digits}), 2^{digits}]. Due to precision limitations "
                    f"{_FLOAT_NAMES[dt]} can support discrete uniform distribution only within this range.",
                    UserWarning,
                    stacklevel=3,
                )

    @staticmethod
    def _int64_to(v: np.ndarray, dt: np.dtype) -> np.ndarray:
        """static_cast<dtype>(int64): wraps for narrow ints, rounds for floats (Half via float)."""
        if dt == np.float16:
            return v.astype(_F32).astype(dt)
        if dt == np.bool_:
            return v != 0
        return v.astype(dt)

    def random_(self, shape: Sequence[int] | int, dtype, out: np.ndarray | None = None) -> np.ndarray:
        """Tensor.random_(): word mod (max + 1) for ints, mod (2**digits + 1) for floats, bit 0 for bool."""
        dt = _dtype(dtype)
        shape = _shape(shape)
        n = _numel(shape)
        if dt.kind == "f":
            mod = (1 << (np.finfo(dt).nmant + 1)) + 1
        elif dt.kind == "b":
            mod = 2
        else:
            mod = int(np.iinfo(dt).max) + 1
        res = _result(n, dt, out)
        for s, e in _blocks(n):
            if dt in (np.dtype(np.int64), np.dtype(np.float64)):
                words = self._words64(e - s)
            else:
                words = self._words32(e - s).astype(np.uint64)
            v = words % np.uint64(mod)
            res[s:e] = v.astype(_F32) if dt == np.float16 else v.astype(dt)
        return res.reshape(shape)

    def randperm(self, n: int, dtype=np.int64) -> np.ndarray:
        """torch.randperm(n): Fisher-Yates with random() % (n - i); inside-out with random64() for huge n."""
        dt = _dtype(dtype)
        n = int(n)
        if n < 0:
            raise RuntimeError(f"n must be non-negative, got{n}")
        limits = {
            np.dtype(np.float16): (2049, "2049 for Half"),
            np.dtype(np.float32): (2**24 + 1, "2^24+1 for Float"),
            np.dtype(np.float64): (2**53 + 1, "2^53+1 for Double"),
        }
        if dt in limits and n > limits[dt][0]:
            raise RuntimeError(f"n cannot be greater than {limits[dt][1]} type.")
        if n < RANDPERM_SMALL_N_LIMIT:
            i = np.arange(max(n - 1, 0), dtype=np.int64)
            z = (self._words32(i.size) % (n - i).astype(np.uint32)).astype(np.int64) if n > 1 else i
            perm = _forward_shuffle(n, i + z)
        else:
            i = np.arange(n, dtype=np.int64)
            z = (self._words64(n) % (i + 1).astype(np.uint64)).astype(np.int64)
            perm = _apply_swaps(n, i, z)  # a[i] = i; swap(a[i], a[z]) for each i
        return self._int64_to(perm, dt)

    def bernoulli(self, p, dtype=None, shape: Sequence[int] | int | None = None,
                  out: np.ndarray | None = None) -> np.ndarray:
        """torch.bernoulli(p) / bernoulli_(p): u < p, u 53-bit for float64 or scalar p, else 24-bit."""
        if isinstance(p, np.ndarray) and shape is None:
            dt = _dtype(p.dtype if dtype is None else dtype)
            if p.dtype.kind != "f":
                name = _SCALAR_NAMES.get(p.dtype.name, p.dtype.name)
                raise NotImplementedError(f"\"bernoulli_tensor_cpu_p_\" not implemented for '{name}'")
            if not ((p >= 0) & (p <= 1)).all():
                raise RuntimeError("Expected p_in >= 0 && p_in <= 1 to be true, but got false.  (Could this error message "
                                   "be improved?  If so, please report an enhancement request to PyTorch.)")
            pc = np.ascontiguousarray(p).ravel()
            if p.dtype == _F64:
                hit = self._uniform53(pc.size) < pc
            else:
                hit = self._uniform24(pc.size) < pc.astype(_F32)
            return hit.astype(dt).reshape(p.shape)
        if shape is None:
            raise TypeError("bernoulli with a scalar p needs a shape")
        p = float(p)
        if not 0.0 <= p <= 1.0:
            raise RuntimeError(f"bernoulli_ expects p to be in [0, 1], but got p={p:g}")
        dt = _dtype(np.float32 if dtype is None else dtype)
        shape = _shape(shape)
        n = _numel(shape)
        res = _result(n, dt, out)
        for s, e in _blocks(n):
            res[s:e] = self._uniform53(e - s) < p
        return res.reshape(shape)

    def multinomial(self, probs: np.ndarray, num_samples: int, replacement: bool = False) -> np.ndarray:
        """torch.multinomial: row-wise int64 indices (exponential race; inverse CDF with replacement)."""
        probs = np.asarray(probs)
        n_sample = int(num_samples)
        if probs.ndim not in (1, 2):
            raise RuntimeError("prob_dist must be 1 or 2 dim")
        if probs.dtype.kind != "f":
            raise RuntimeError(
                f"multinomial only supports floating-point dtypes for input, got: {probs.dtype.name}"
            )
        if n_sample <= 0:
            raise RuntimeError("cannot sample n_sample <= 0 samples")
        n_cat = probs.shape[-1]
        if not replacement and n_sample > n_cat:
            raise RuntimeError("cannot sample n_sample > prob_dist.size(-1) samples without replacement")
        if n_cat > 2**24:
            raise RuntimeError("number of categories cannot exceed 2^24")
        out_shape = (n_sample,) if probs.ndim == 1 else (probs.shape[0], n_sample)
        if probs.size == 0:
            return np.empty(out_shape, np.int64)
        rows = probs.reshape(-1, n_cat)
        if not replacement or n_sample == 1:
            if not (np.all(rows < np.inf) and np.all(rows >= 0)):  # NaN fails both
                raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")
            if (rows.sum(axis=1) == 0).any():
                raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
            # race of exponential clocks: argmax / top-k of p / q with q ~ Exp(1) drawn like exponential_(1)
            q = self.exponential(rows.shape, rows.dtype, 1.0)
            with np.errstate(divide="ignore", invalid="ignore"):
                score = (rows / q).astype(rows.dtype)
            if n_sample == 1:
                idx = np.argmax(score, axis=1)[:, None]
            else:
                idx = np.argsort(-score, axis=1, kind="stable")[:, :n_sample]
            return idx.astype(np.int64).reshape(out_shape)
        acc = _F64 if rows.dtype == _F64 else _F32  # reduced floats accumulate in float
        result = np.empty((rows.shape[0], n_sample), np.int64)
        for r, row in enumerate(rows.astype(acc)):  # rows draw one after another
            bad = ~((row >= 0) & np.isfinite(row))
            if bad.any():  # the kernel checks entry by entry: the first bad one names the error
                what = "< 0" if not row[np.argmax(bad)] >= 0 else "= infinity or NaN"
                raise RuntimeError(
                    f"invalid multinomial distribution (encountering probability entry {what})"
                )
            cum = np.cumsum(row, dtype=acc)  # sequential, like the kernel's running sum
            total = cum[-1]
            if not total > 0:
                raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
            cum /= total
            cum[-1] = 1
            u = self._uniform53(n_sample)
            result[r] = np.searchsorted(cum.astype(_F64), u, side="left")  # first slot with cum >= u
        return result.reshape(out_shape)


default_generator = Generator()
default_generator.seed()  # like PyTorch, the default generator starts from a non-deterministic seed
