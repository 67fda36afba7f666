"""The rest of the top-level ``torch`` namespace that programs call: device/backend switches (CPU only),
type queries, and a handful of composite ops built from the primitives."""

from __future__ import annotations

import builtins
import math
import types

from . import _dtype as D
from ._array import np
from .autograd import functions as F
from .tensor import Tensor, _wrap

# -- CUDA / MPS / backends: ember runs on the CPU -------------------------------------------------------------

def _noop(*args, **kwargs):
    return None


cuda = types.SimpleNamespace(
    is_available=lambda: False, device_count=lambda: 0, manual_seed=_noop, manual_seed_all=_noop,
    synchronize=_noop, empty_cache=_noop, current_device=lambda: 0, is_initialized=lambda: False,
    get_device_name=lambda *a: "cpu", memory_allocated=lambda *a: 0, max_memory_allocated=lambda *a: 0,
    reset_peak_memory_stats=_noop, set_device=_noop, seed=_noop, seed_all=_noop,
    amp=types.SimpleNamespace(autocast=lambda *a, **k: _amp().autocast("cuda", *a, **k),
                              GradScaler=lambda *a, **k: _amp().GradScaler("cuda", *a, **k)))


def _amp():
    from . import _extra_ops
    return _extra_ops
mps = types.SimpleNamespace(is_available=lambda: False, manual_seed=_noop, is_built=lambda: False)
backends = types.SimpleNamespace(
    cudnn=types.SimpleNamespace(benchmark=False, deterministic=False, enabled=True, allow_tf32=True,
                                is_available=lambda: False, version=lambda: None),
    mps=types.SimpleNamespace(is_available=lambda: False, is_built=lambda: False),
    cuda=types.SimpleNamespace(matmul=types.SimpleNamespace(allow_tf32=False), is_built=lambda: False),
    mkldnn=types.SimpleNamespace(is_available=lambda: False, enabled=False),
    openmp=types.SimpleNamespace(is_available=lambda: False))

_deterministic = [False]
_threads = [1]
_matmul_precision = ["highest"]


def use_deterministic_algorithms(mode: bool, *, warn_only: bool = False) -> None:
    """ember's CPU kernels are deterministic already; the flag is kept for code that reads it back."""
    _deterministic[0] = bool(mode)


def are_deterministic_algorithms_enabled() -> bool:
    return _deterministic[0]


def set_num_threads(n: int) -> None:
    _threads[0] = int(n)


def get_num_threads() -> int:
    return _threads[0]


def set_float32_matmul_precision(p: str) -> None:
    _matmul_precision[0] = p


def get_float32_matmul_precision() -> str:
    return _matmul_precision[0]


def manual_seed_all(seed) -> None:
    return None


def set_default_device(dev) -> None:
    from .tensor import _check_device
    _check_device(dev)


def get_default_device():
    from .tensor import device
    return device("cpu")


def compile(model=None, **kwargs):
    """No compiler here: returns the model (or a decorator that returns the function) unchanged."""
    if model is None:
        return lambda m: m
    return model


jit = types.SimpleNamespace(script=lambda f, *a, **k: f, trace=lambda f, *a, **k: f,
                            ignore=lambda f=None, **k: f if f is not None else (lambda g: g),
                            unused=lambda f: f, export=lambda f: f, is_scripting=lambda: False)


# -- type queries -----------------------------------------------------------------------------------------

def is_tensor(x) -> bool:
    return isinstance(x, Tensor)


def is_floating_point(x) -> bool:
    return x.is_floating_point()


def is_complex(x) -> bool:
    return x.is_complex()


def is_nonzero(x) -> bool:
    if x.numel() != 1:
        raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous")
    return bool(x._data.reshape(()))


def numel(x) -> int:
    return x.numel()


def typename(x) -> str:
    return x.type() if isinstance(x, Tensor) else type(x).__name__


def result_type(a, b) -> D.dtype:
    """The dtype PyTorch's promotion gives ``a op b`` (tensors or numbers)."""
    dims, zeros, scalars = [], [], []
    for x in (a, b):
        if isinstance(x, Tensor):
            (dims if x.ndim else zeros).append(x.dtype)
        else:
            scalars.append(D.scalar_category(F._scalar(x)))
    return D.result_type_of(dims, zeros, scalars)


def promote_types(a, b) -> D.dtype:
    return D.promote_types(a, b)


def can_cast(from_, to) -> bool:
    return from_.category <= to.category


def broadcast_shapes(*shapes):
    """The shape all ``shapes`` broadcast to (right-aligned; a 1 stretches)."""
    from .tensor import Size
    shapes = [(s,) if isinstance(s, int) else s for s in shapes if s is not None]
    if not shapes:
        return Size([])
    common = [1] * builtins.max(len(s) for s in shapes)
    # PyTorch's scan: each argument against the shape so far, naming the first that does not fit
    for arg, shape in enumerate(shapes):
        for idx in builtins.range(-1, -1 - len(shape), -1):
            n = int(shape[idx])
            if n == common[idx]:
                continue
            if common[idx] == 1:
                if n < 0:
                    raise ValueError("Attempting to broadcast a dimension with negative length!")
                common[idx] = n
            if n != 1 and common[idx] != n:
                raise RuntimeError(f"Attempting to broadcast a dimension of length {n} at {idx}! Mismatching "
                                   f"argument at index {arg} had {shape}; but expected shape should be "
                                   f"broadcastable to {common}")
    return Size(common)


class finfo:
    """Machine limits of a floating dtype (``torch.finfo``)."""

    def __init__(self, dtype=None):
        dtype = dtype or D.get_default_dtype()
        fi = np.finfo(dtype.np)
        self.bits, self.eps, self.max, self.min = fi.bits, float(fi.eps), float(fi.max), float(fi.min)
        self.tiny = self.smallest_normal = float(fi.tiny)
        self.resolution = 10.0 ** -fi.precision  # a Python float: 1e-06, not float32(1e-06) widened
        self.dtype = dtype.name

    def __repr__(self):
        # PyTorch formats the fields with %g (6 significant digits)
        return (f"finfo(resolution={self.resolution:g}, min={self.min:g}, max={self.max:g}, eps={self.eps:g}, "
                f"smallest_normal={self.tiny:g}, tiny={self.tiny:g}, dtype={self.dtype})")


class iinfo:
    def __init__(self, dtype):
        ii = np.iinfo(dtype.np)
        self.bits, self.max, self.min, self.dtype = ii.bits, int(ii.max), int(ii.min), dtype.name

    def __repr__(self):
        return f"iinfo(min={self.min:g}, max={self.max:g}, dtype={self.dtype})"


# -- composite ops built from the primitives ------------------------------------------------------------------

def detach(x):
    return x.detach()


def chain_matmul(*ms):
    out = ms[0]
    for m in ms[1:]:
        out = out @ m
    return out


def addmv(c, a, v, *, beta=1, alpha=1):
    r = F.mv(a, v)
    return c * beta + r * alpha if (alpha != 1 or beta != 1) else c + r


def addbmm(c, a, b, *, beta=1, alpha=1):
    r = F.bmm(a, b).sum(0)
    return c * beta + r * alpha if (alpha != 1 or beta != 1) else c + r


def baddbmm(c, a, b, *, beta=1, alpha=1):
    r = F.bmm(a, b)
    return c * beta + r * alpha if (alpha != 1 or beta != 1) else c + r


def dist(a, b, p=2):
    return F.norm(a - b, p)


def cdist(x1, x2, p=2.0):
    diff = x1.unsqueeze(-2) - x2.unsqueeze(-3)
    if p == 2:
        return ((diff * diff).sum(-1)).sqrt()
    return F.linalg_vector_norm(diff, p, dim=-1)


def cosine_similarity(x1, x2, dim=1, eps=1e-8):
    w12 = (x1 * x2).sum(dim)
    n1 = (x1 * x1).sum(dim)
    n2 = (x2 * x2).sum(dim)
    return w12 / F.clamp(n1 * n2, min=eps * eps).sqrt()


def pairwise_distance(x1, x2, p=2.0, eps=1e-6, keepdim=False):
    return F.linalg_vector_norm(x1 - x2 + eps, p, dim=-1, keepdim=keepdim)


def cross(a, b, dim=None):
    if dim is None:
        dim = next(i for i, s in enumerate(a.shape) if s == 3)
    a0, a1, a2 = F.unbind(a, dim)
    b0, b1, b2 = F.unbind(b, dim)
    r = F.stack([a1 * b2 - a2 * b1, a2 * b0 - a0 * b2, a0 * b1 - a1 * b0], dim)
    return F._renamed(r, "LinalgCrossBackward0")


def bucketize(x, boundaries, *, out_int32=False, right=False):
    side = "right" if right else "left"
    r = np.searchsorted(boundaries._data, x._data, side=side)
    return _wrap(r.astype(np.int32 if out_int32 else np.int64))


def searchsorted(sorted_sequence, values, *, out_int32=False, right=False, side=None):
    side = side or ("right" if right else "left")
    v = values._data if isinstance(values, Tensor) else np.asarray(values)
    s = sorted_sequence._data
    if s.ndim == 1:
        r = np.searchsorted(s, v, side=side)
    else:
        r = np.stack([np.searchsorted(s[i], v[i], side=side) for i in builtins.range(s.shape[0])])
    return _wrap(np.asarray(r).astype(np.int32 if out_int32 else np.int64))


def histc(x, bins=100, min=0, max=0):
    lo, hi = (float(x._data.min()), float(x._data.max())) if min == max else (min, max)
    h, _ = np.histogram(x._data, bins=bins, range=(lo, hi))
    return _wrap(h.astype(x._data.dtype))


def block_diag(*ms):
    rows = builtins.sum(m.shape[0] if m.ndim == 2 else 1 for m in ms)
    cols = builtins.sum(m.shape[1] if m.ndim == 2 else (m.shape[0] if m.ndim == 1 else 1) for m in ms)
    out = F.zeros_like_shape(ms[0], (rows, cols))
    r = c = 0
    for m in ms:
        m2 = m.reshape(1, -1) if m.ndim < 2 else m
        out = F.index_put(out, (slice(r, r + m2.shape[0]), slice(c, c + m2.shape[1])), m2)
        r += m2.shape[0]
        c += m2.shape[1]
    return out


def diff(x, n=1, dim=-1, prepend=None, append=None):
    if prepend is not None:
        x = F.cat([prepend, x], dim)
    if append is not None:
        x = F.cat([x, append], dim)
    for _ in builtins.range(n):
        m = x.shape[dim]
        x = F.narrow(x, dim, 1, m - 1) - F.narrow(x, dim, 0, m - 1)
    return x


def clamp_(x, min=None, max=None):
    return x.clamp_(min, max)


def sigmoid_(x):
    return x.sigmoid_()


def relu_(x):
    return x.relu_()


def tanh_(x):
    return x.tanh_()


def zero_(x):
    return x.zero_()


def rot90(x, k=1, dims=(0, 1)):
    k %= 4
    d0, d1 = dims
    if k == 0:
        return x.clone()
    if k == 1:
        return F._renamed(x.flip(d1).transpose(d0, d1), "Rot90Backward0")
    if k == 2:
        return F._renamed(x.flip((d0, d1)), "Rot90Backward0")
    return F._renamed(x.transpose(d0, d1).flip(d1), "Rot90Backward0")


def vander(x, N=None, increasing=False):
    n = N if N is not None else x.shape[0]
    cols = [x ** i for i in builtins.range(n)]
    if not increasing:
        cols = cols[::-1]
    return F.stack(cols, 1)


def _cum_ext(x, dim, op):
    from .return_types import minmax_result
    d = F._wrap_dim(dim, x.ndim)
    a = np.moveaxis(x._data, d, 0)
    vals = op.accumulate(a, axis=0)
    idx = np.zeros(a.shape, dtype=np.int64)
    for i in builtins.range(1, a.shape[0]):
        take = a[i] == vals[i]
        idx[i] = np.where(take, i, idx[i - 1])
    idx = np.moveaxis(idx, 0, d)
    v = F.gather(x, d, _wrap(np.ascontiguousarray(idx)))
    return minmax_result(v, _wrap(idx), "cummax" if op is np.maximum else "cummin")


def cummax(x, dim):
    return _cum_ext(x, dim, np.maximum)


def cummin(x, dim):
    return _cum_ext(x, dim, np.minimum)


def logcumsumexp(x, dim):
    m = x.detach().amax(dim, keepdim=True)
    m = F.where(F.isfinite(m), m, 0.0)
    return F.log(F.cumsum(F.exp(x - m), dim)) + m


def logaddexp(a, b):
    m = F.maximum(a, b).detach()
    return F._renamed(m + F.log(F.exp(a - m) + F.exp(b - m)), "LogaddexpBackward0")


def hypot(a, b):
    return F._renamed(F.sqrt(a * a + b * b), "HypotBackward0")


def xlogy(x, y):
    """x·log(y), defined as 0 where x == 0."""
    with np.errstate(divide="ignore", invalid="ignore"):  # 0·log(0) is masked out below
        return F._renamed(F.where(x == 0, 0.0, x * F.log(y)), "XlogyBackward0")


def nansum(x, dim=None, keepdim=False, *, dtype=None):
    """Σ x with NaNs counted as zero"""
    return F._renamed(F.sum(F.where(F.isnan(x), 0.0, x), dim, keepdim, dtype=dtype), "NansumBackward0")


def nanmean(x, dim=None, keepdim=False, *, dtype=None):
    """mean of the non-NaN elements"""
    if x._data.dtype.kind not in "fc":
        raise RuntimeError(f"nanmean(): expected input to have floating point or complex dtype but got "
                           f"{F._long_name(x.dtype)}")
    keep = F.logical_not(F.isnan(x))
    return nansum(x, dim, keepdim, dtype=dtype) / F.sum(keep, dim, keepdim)


def logit(x, eps=None):
    """log(x / (1 - x)), with x clamped to [eps, 1 - eps] when eps is given"""
    if eps is not None:
        x = F.clamp(x, eps, 1 - eps)
    return F._renamed(F.log(x / (1 - x)), "LogitBackward0")


def deg2rad(x):
    """x π / 180"""
    return F._renamed(x * (math.pi / 180.0), "Deg2RadBackward0")


def rad2deg(x):
    """x 180 / π"""
    return F._renamed(x * (180.0 / math.pi), "Rad2DegBackward0")


def fmax(a, b):
    """elementwise max that ignores a NaN when the other value is a number"""
    return F._renamed(F.where(F.isnan(b), a, F.where(F.isnan(a), b, F.maximum(a, b))), "FmaxBackward0")


def fmin(a, b):
    """elementwise min that ignores a NaN when the other value is a number"""
    return F._renamed(F.where(F.isnan(b), a, F.where(F.isnan(a), b, F.minimum(a, b))), "FminBackward0")


def copysign(a, b):
    """|a| with the sign of b"""
    sb = b._data if isinstance(b, Tensor) else np.asarray(b)
    sign = _wrap(np.where(np.signbit(sb), -1.0, 1.0).astype(F._float_data(a).dtype))
    return F._renamed(F.abs(a) * sign, "CopysignBackward0")


def float_power(a, b):
    """a ** b computed in float64"""
    a64 = a.double() if isinstance(a, Tensor) else a
    b64 = b.double() if isinstance(b, Tensor) else b
    return F.pow(a64, b64) if isinstance(a64, Tensor) else F.rpow(b64, a64)


def signbit(x):
    return _wrap(np.signbit(x._data))


def isposinf(x):
    return _wrap(np.isposinf(x._data))


def isneginf(x):
    return _wrap(np.isneginf(x._data))


# -- special / linalg / fft namespaces (the parts tutorials use) ------------------------------------------

special = types.SimpleNamespace(
    expit=F.sigmoid, erf=F.erf, logit=logit, xlogy=xlogy,
    logsumexp=F.logsumexp, softmax=F.softmax, log_softmax=F.log_softmax, expm1=F.expm1, log1p=F.log1p,
    exp2=F.exp2)


def _vector_norm(x, ord=2, dim=None, keepdim=False, *, dtype=None):
    return F.linalg_vector_norm(x, ord, dim, keepdim)


def _matrix_norm(x, ord="fro", dim=(-2, -1), keepdim=False):
    if ord != "fro":
        raise NotImplementedError("only the Frobenius matrix norm is supported")
    return F.linalg_vector_norm(x, 2, dim, keepdim)


def _linalg_norm(x, ord=None, dim=None, keepdim=False):
    if ord is None or ord == "fro" or (ord == 2 and (dim is None or isinstance(dim, int))):
        return F.linalg_vector_norm(x, 2, dim, keepdim)
    return F.linalg_vector_norm(x, ord, dim, keepdim)


def _det(x):
    return _wrap(np.asarray(np.linalg.det(x._data)))


def _inv(x):
    return _wrap(np.linalg.inv(x._data))


linalg = types.SimpleNamespace(vector_norm=_vector_norm, matrix_norm=_matrix_norm, norm=_linalg_norm,
                               det=_det, inv=_inv, solve=lambda a, b: _wrap(np.linalg.solve(a._data, b._data)),
                               eigh=lambda a: tuple(_wrap(r) for r in np.linalg.eigh(a._data)),
                               svd=lambda a, full_matrices=True: tuple(
                                   _wrap(r) for r in np.linalg.svd(a._data, full_matrices=full_matrices)),
                               qr=lambda a: tuple(_wrap(r) for r in np.linalg.qr(a._data)),
                               matmul=F.matmul, cross=cross)
fft = types.SimpleNamespace(fft=lambda x, n=None, dim=-1: _wrap(np.fft.fft(x._data, n, dim).astype(np.complex64)),
                            ifft=lambda x, n=None, dim=-1: _wrap(np.fft.ifft(x._data, n, dim).astype(np.complex64)))



# -- mode, bincount, unfold (added for the compatibility corpus) ------------------------------------------

def mode(x, dim=-1, keepdim=False):
    """The most frequent value along ``dim`` (the smallest on ties) and the index of its last occurrence."""
    from .return_types import minmax_result
    d = F._wrap_dim(dim, x.ndim)
    a = np.moveaxis(x._data, d, -1) if x.ndim else x._data.reshape(1)
    rows = a.reshape(-1, a.shape[-1])
    s = np.sort(rows, axis=1)
    pos = np.arange(s.shape[1])
    new = np.ones(s.shape, dtype=bool)
    new[:, 1:] = s[:, 1:] != s[:, :-1]
    # running count inside each run of equal sorted values; the first position reaching the row's maximum
    # count belongs to the smallest most-frequent value
    run = pos - np.maximum.accumulate(np.where(new, pos, 0), axis=1) + 1
    at = np.argmax(run == run.max(axis=1, keepdims=True), axis=1)
    vals = s[np.arange(len(s)), at]
    last = rows.shape[1] - 1 - np.argmax((rows == vals[:, None])[:, ::-1], axis=1)
    idx = last.reshape(a.shape[:-1]) if x.ndim else last.reshape(())
    index = _wrap(idx.astype(np.int64))
    if x.ndim:
        v = F.gather(x, d, F.unsqueeze(index, d))
        v = v if keepdim else F.squeeze(v, d)
        if keepdim:
            index = F.unsqueeze(index, d)
    else:
        v = x.clone()
    return minmax_result(v, index, "mode")


def bincount(x, weights=None, minlength=0):
    """Counts of each non-negative integer in a 1-d tensor (summed ``weights`` when given)."""
    a = x._data
    if a.ndim != 1 or a.dtype.kind not in "iu" or (a.size and a.min() < 0):
        raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
    if weights is None:
        return _wrap(np.bincount(a, minlength=minlength).astype(np.int64))
    w = weights._data
    out_dtype = w.dtype if w.dtype.kind == "f" else np.float64
    return _wrap(np.bincount(a, weights=w, minlength=minlength).astype(out_dtype))


class UnfoldBackward0(F.Node):
    """y = x.unfold(d, size, step):  dx = zeros.index_add(d, window indices, g as windows)"""

    def backward(self, g):
        d, size, idx = self.d, self.size, self.idx
        # g: (..., n, ..., size) -> (..., n * size, ...) in window order, then scatter-add into x's shape
        gw = F.movedim(g, -1, d + 1)
        gw = F.reshape(gw, gw.shape[:d] + (gw.shape[d] * size,) + gw.shape[d + 2:])
        return (F.index_add(F.zeros_like_shape(g, self.shape), d, idx, gw),)


def unfold(x, dimension: int, size: int, step: int):
    """A view of every ``size``-long window along ``dimension``, ``step`` apart, as a new last dim."""
    d = F._wrap_dim(dimension, x.ndim) if x.ndim else 0
    a = x._data if x.ndim else x._data.reshape(1)
    length = a.shape[d]
    if size > length:
        raise RuntimeError(f"maximum size for tensor at dimension {d} is {length} but size is {size}")
    if step <= 0:
        raise RuntimeError(f"step is {step} but must be > 0")
    n = (length - size) // step + 1
    st = a.strides
    shape = a.shape[:d] + (n,) + a.shape[d + 1:] + (size,)
    strides = st[:d] + (st[d] * step,) + st[d + 1:] + (st[d],)
    arr = np.lib.stride_tricks.as_strided(a, shape, strides, writeable=False)
    idx = _wrap((np.arange(n)[:, None] * step + np.arange(size)).reshape(-1))
    return F._view_of(x, arr, UnfoldBackward0, d=d, size=size, idx=idx, shape=x.shape)


Tensor.cummax = cummax
Tensor.cummin = cummin
Tensor.logcumsumexp = logcumsumexp
Tensor.mode = mode
Tensor.bincount = bincount
Tensor.unfold = unfold


def diag_embed(x, offset=0, dim1=-2, dim2=-1):
    """A tensor whose (dim1, dim2) diagonals at ``offset`` hold x's last dim, zeros elsewhere."""
    nd = x.ndim + 1
    d1, d2 = F._wrap_dim(dim1, nd), F._wrap_dim(dim2, nd)
    n = x.shape[-1] + builtins.abs(offset)
    shape = list(x.shape[:-1])
    for d in sorted((d1, d2)):
        shape.insert(d, n)
    out = F.diagonal_scatter(F.zeros_like_shape(x, tuple(shape)), x, offset, d1, d2)
    return F._renamed(out, "DiagEmbedBackward0")


def tril_indices(row, col, offset=0, *, dtype=None, device=None, layout=None):
    """The (row, col) indices of the lower triangle of a row x col matrix, as a 2 x N tensor."""
    return _wrap(np.stack(np.tril_indices(row, offset, col)).astype(dtype.np if dtype else np.int64))


def triu_indices(row, col, offset=0, *, dtype=None, device=None, layout=None):
    """The (row, col) indices of the upper triangle of a row x col matrix, as a 2 x N tensor."""
    return _wrap(np.stack(np.triu_indices(row, offset, col)).astype(dtype.np if dtype else np.int64))


def _atleast(np_fn):
    def fn(*tensors):
        if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
            tensors = tuple(tensors[0])
        out = tuple(F.reshape(t, np_fn(np.empty(t.shape, dtype=np.bool_)).shape) for t in tensors)
        return out[0] if len(out) == 1 else out
    return fn


atleast_1d, atleast_2d, atleast_3d = _atleast(np.atleast_1d), _atleast(np.atleast_2d), _atleast(np.atleast_3d)
Tensor.diag_embed = diag_embed


def _shift(np_fn, kernel: str):
    def op(a, b):
        dt = result_type(a, b)
        if dt.np.kind not in "iub":
            raise NotImplementedError(f"\"{kernel}_cpu\" not implemented for '{F._long_name(dt)}'")
        ad = a._data if isinstance(a, Tensor) else np.asarray(a)
        bd = b._data if isinstance(b, Tensor) else np.asarray(b)
        return _wrap(np.asarray(np_fn(ad.astype(dt.np), bd.astype(dt.np))))
    return op


bitwise_left_shift = _shift(np.left_shift, "lshift")
bitwise_right_shift = _shift(np.right_shift, "rshift")
Tensor.__lshift__ = bitwise_left_shift
Tensor.__rshift__ = bitwise_right_shift
Tensor.__rlshift__ = lambda a, b: bitwise_left_shift(b, a)
Tensor.__rrshift__ = lambda a, b: bitwise_right_shift(b, a)
Tensor.bitwise_left_shift = bitwise_left_shift
Tensor.bitwise_right_shift = bitwise_right_shift


def _split_with_sizes(x, split_sizes, dim=0):
    return F.split(x, list(split_sizes), dim)


def _fill_diagonal_(x, fill_value, wrap=False):
    """Fill the main diagonal in place (all dims equal beyond 2-D; ``wrap`` restarts it below tall matrices)."""
    if x.ndim < 2:
        raise RuntimeError("dimensions must larger than 1")
    if x.ndim > 2 and len(set(x.shape)) != 1:
        raise RuntimeError("all dimensions of input must be of equal length")
    if x.ndim > 2:
        F.check_inplace(x)
        n = x.shape[0]
        x._data[(np.arange(n),) * x.ndim] = fill_value
        x._bump()
        return x
    # through the diagonal view, so a tensor in a graph records CopySlices, as in PyTorch
    x.diagonal().fill_(fill_value)
    rows, cols = x.shape
    if wrap:
        for start in builtins.range(cols + 1, rows, cols + 1):
            x[start:].diagonal().fill_(fill_value)
    return x


Tensor.split_with_sizes = _split_with_sizes
Tensor.fill_diagonal_ = _fill_diagonal_


# -- out= on the torch.* functions tutorials call with it -----------------------------------------------------

_OUT_FUNCTIONS = ("add", "sub", "mul", "div", "pow", "matmul", "mm", "bmm", "mv", "dot", "addmm", "cat", "stack",
                  "exp", "log", "sqrt", "abs", "neg", "sin", "cos", "tanh", "sigmoid", "clamp", "maximum",
                  "minimum", "sum", "mean", "prod", "cumsum", "where", "outer", "einsum", "floor", "ceil",
                  "round", "remainder", "fmod", "atan2", "lerp", "addcmul", "addcdiv", "logsumexp")


def _with_out(fn, name: str):
    """``fn`` that also accepts ``out=``: the result written into ``out`` (resized when its shape differs)."""
    def wrapper(*args, out=None, **kwargs):
        if out is None:
            return fn(*args, **kwargs)
        if F._gm.enabled and builtins.any(isinstance(a, Tensor) and a._rg for a in (*args, out)):
            raise RuntimeError(f"{name}(): functions with out=... arguments don't support automatic "
                               "differentiation, but one of the arguments requires grad.")
        r = fn(*args, **kwargs)
        rd, od = r._data, out._data
        if rd.dtype != od.dtype and not can_cast(r.dtype, out.dtype):
            raise RuntimeError(f"result type {F._long_name(r.dtype)} can't be cast to the desired output type "
                               f"{F._long_name(out.dtype)}")
        if od.shape != rd.shape:
            if od.size:
                import warnings
                warnings.warn(f"An output with one or more elements was resized since it had shape "
                              f"[{', '.join(map(str, od.shape))}], which does not match the required output shape "
                              f"[{', '.join(map(str, rd.shape))}]. This behavior is deprecated, and in a future "
                              "PyTorch release outputs will not be resized unless they have zero elements. You can "
                              "explicitly reuse an out tensor t by resizing it, inplace, to zero elements with "
                              "t.resize_(0). (Triggered internally at "
                              "/__w/pytorch/pytorch/aten/src/ATen/native/Resize.cpp:30.)", UserWarning, stacklevel=2)
            out._data = od = np.empty(rd.shape, dtype=od.dtype)
        np.copyto(od, rd, casting="unsafe")
        out._bump()
        return out
    wrapper.__name__, wrapper.__doc__ = getattr(fn, "__name__", name), fn.__doc__
    return wrapper


def install_out(namespace: dict) -> None:
    """Give the ``torch.*`` functions in ``_OUT_FUNCTIONS`` an ``out=`` keyword (called by ember/__init__)."""
    for name in _OUT_FUNCTIONS:
        fn = namespace.get(name)
        if fn is not None:
            namespace[name] = _with_out(fn, name)
