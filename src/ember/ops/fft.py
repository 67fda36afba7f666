"""Discrete Fourier transforms: the three primitives ``torch.fft`` is built from, and the transforms themselves.

PyTorch computes every transform with three ops, and so does ember (their nodes are what ``grad_fn`` shows):

    _fft_c2c   complex -> complex, forward (e^-2πi kn/N) or inverse (e^+2πi kn/N)        FftC2CBackward0
    _fft_r2c   real -> complex, forward; ``onesided`` keeps the first N//2 + 1 frequencies  FftR2CBackward0
               of the last transformed dim (the rest follow by conjugate symmetry)
    _fft_c2r   Hermitian half-spectrum -> real, inverse (the missing half implied)       FftC2RBackward0

each scaled by a normalization mode (0: none, 1: 1/√N, 2: 1/N with N the product of the transformed signal
sizes), whatever the direction: ``norm="backward"`` is mode 0 for a forward transform and mode 2 for an inverse
one. The public functions around them follow PyTorch's composition step by step, so their graphs are PyTorch's:
a real input to a complex transform is first converted (ToCopyBackward0), ``n``/``s`` crop (SliceBackward0) or
zero-pad (ConstantPadNdBackward0) the input, an inverse transform of a real input is the conjugate of a forward
one (ConjBackward0), and hfftn / ihfftn chain a c2c transform with a conjugate and a c2r / r2c one.

The three primitives are linear, so each one's tangent (forward mode) is the same transform of the tangent, and
its gradient is its adjoint applied to g: the opposite-direction transform with the same scaling, plus the
bookkeeping of the half spectrum for r2c / c2r. Gradients follow PyTorch's convention for complex numbers (the
conjugate Wirtinger derivative: for a real loss L of z = x + iy, dL/dz is dL/dx + i dL/dy). The values come from
NumPy's pocketfft (PyTorch's CPU build uses MKL), so they agree with PyTorch's to rounding, not bit for bit."""

from __future__ import annotations

import builtins
import operator

from .._array import np
from .._core import dtype as D
from .._core import modes
from .._core.messages import _long_name
from .._core.node import Node
from .._core.record import _wrap_result
from .._core.tensor import Tensor, _wrap
from .complex import real
from .convert import to_dtype
from .out import write_out
from .shape import _constant_pad, narrow, roll
from .unary import conj, conj_physical

__all__ = ["fft", "ifft", "fft2", "ifft2", "fftn", "ifftn", "rfft", "irfft", "rfft2", "irfft2", "rfftn", "irfftn",
           "hfft", "ihfft", "hfft2", "ihfft2", "hfftn", "ihfftn", "fftfreq", "rfftfreq", "fftshift", "ifftshift"]

_grad_mode = modes.grad

# NumPy's ``norm`` giving normalization mode 0 / 1 / 2 for a forward (e^-) and an inverse (e^+) transform
_NP_FORWARD = ("backward", "ortho", "forward")
_NP_INVERSE = ("forward", "ortho", "backward")

_MKL_EMPTY = "MKL FFT error: Intel oneMKL DFTI ERROR: Inconsistent configuration parameters"


def _complex_np(dt):
    return np.complex128 if dt in (np.float64, np.complex128) else np.complex64


def _real_np(dt):
    return np.float64 if dt in (np.float64, np.complex128) else np.float32


def _check_batch(a, dims):
    """PyTorch's CPU kernel (MKL) refuses a transform of a tensor with no elements"""
    if a.size == 0 and dims:
        raise RuntimeError(_MKL_EMPTY)


# =====================================================================================================
# The primitives
# =====================================================================================================

class FftC2CBackward0(Node):
    """y = F x (the DFT over ``dim``, forward or inverse, scaled):  dx = F^H g, the opposite-direction transform
    with the same scaling (the adjoint of e^∓2πikn/N is e^±2πikn/N)"""

    def backward(self, g):
        return (_fft_c2c(g, self.dim, self.normalization, not self.forward),)

    def jvp(self, t):
        return _fft_c2c(t, self.dim, self.normalization, self.forward)


def _fft_c2c(x, dim, normalization, forward):
    """the complex DFT of x over ``dim`` (a tuple of non-negative dims), forward or inverse, scaled by the
    normalization mode"""
    a = x._data
    _check_batch(a, dim)
    if not dim:
        r = a.copy()
    elif forward:
        r = np.fft.fftn(a, axes=dim, norm=_NP_FORWARD[normalization])
    else:
        r = np.fft.ifftn(a, axes=dim, norm=_NP_INVERSE[normalization])
    return _wrap_result(np.asarray(r).astype(a.dtype, copy=False), FftC2CBackward0, (x,), dim=dim,
                normalization=normalization, forward=forward)


def _pad_last(g, d, size):
    """g zero-padded at the end of dim ``d`` to ``size`` (ConstantPadNdBackward0, differentiable again)"""
    pads = [0] * (2 * g.ndim)
    pads[2 * (g.ndim - 1 - d) + 1] = size - g.shape[d]
    return _constant_pad(g, pads, 0)


class FftR2CBackward0(Node):
    """y = F x for real x (onesided: the first N//2 + 1 frequencies of the last dim):  dx = Re(F^H g), g first
    zero-padded to the full length when onesided (the dropped half had no gradient of its own)"""

    def backward(self, g):
        d = self.dim[-1]
        if self.onesided and g.shape[d] != self.last_dim_size:
            g = _pad_last(g, d, self.last_dim_size)
        return (real(_fft_c2c(g, self.dim, self.normalization, False)),)

    def jvp(self, t):
        return _fft_r2c(t, self.dim, self.normalization, self.onesided)


def _fft_r2c(x, dim, normalization, onesided):
    """the forward DFT of real x over ``dim``; ``onesided`` keeps N//2 + 1 frequencies of the last dim"""
    a = x._data
    if a.dtype.kind != "f":
        raise RuntimeError(f"Only supports floating-point dtypes, but found: {_long_name(x.dtype)}")
    _check_batch(a, dim)
    norm = _NP_FORWARD[normalization]
    r = np.fft.rfftn(a, axes=dim, norm=norm) if onesided else np.fft.fftn(a, axes=dim, norm=norm)
    return _wrap_result(np.asarray(r).astype(_complex_np(a.dtype), copy=False), FftR2CBackward0, (x,), dim=dim,
                normalization=normalization, onesided=onesided, last_dim_size=a.shape[dim[-1]])


class FftC2RBackward0(Node):
    """y = F^-1 x, real, from the half spectrum x (the other half is x's mirror conjugate):  dx = rfft(g) with the
    frequencies 1 .. N - (N//2 + 1) doubled (each stands for itself and its mirror)"""

    def backward(self, g):
        d = self.dim[-1]
        gi = _fft_r2c(g, self.dim, self.normalization, True)
        double = g.shape[d] - gi.shape[d]
        if double > 0:
            w = np.ones(gi.shape[d], dtype=g._data.dtype)
            w[1:1 + double] = 2
            gi = gi * _wrap(w.reshape((-1,) + (1,) * (g.ndim - 1 - d)))
        return (gi,)

    def jvp(self, t):
        return _fft_c2r(t, self.dim, self.normalization, self.last_dim_size)


def _fft_c2r(x, dim, normalization, last_dim_size):
    """the real inverse DFT over ``dim`` of the half spectrum x (its last dim: last_dim_size//2 + 1 entries),
    giving last_dim_size points along the last dim"""
    a = x._data
    _check_batch(a, dim)
    s = [a.shape[d] for d in dim[:-1]] + [last_dim_size]
    r = np.fft.irfftn(a, s=s, axes=dim, norm=_NP_INVERSE[normalization])
    return _wrap_result(np.asarray(r).astype(_real_np(a.dtype), copy=False), FftC2RBackward0, (x,), dim=dim,
                normalization=normalization, last_dim_size=last_dim_size)


# =====================================================================================================
# Arguments, as PyTorch checks them
# =====================================================================================================

def _type_word(v):
    return "Tensor" if isinstance(v, Tensor) else type(v).__name__


def _check_input(fname, x):
    if not isinstance(x, Tensor):
        raise TypeError(f"fft_{fname}(): argument 'input' (position 1) must be Tensor, not {_type_word(x)}")


def _int_arg(fname, name, v):
    if v is None:
        return None
    if isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, np.integer)):
        raise TypeError(f"fft_{fname}(): argument '{name}' must be int, not {_type_word(v)}")
    return int(v)


def _ints_arg(fname, name, v):
    """None, an int, or a tuple / list of ints (PyTorch's IntArrayRef)"""
    if v is None:
        return None
    if isinstance(v, (int, np.integer)) and not isinstance(v, (bool, np.bool_)):
        return (int(v),)
    if isinstance(v, (tuple, list)) and builtins.all(
            isinstance(e, (int, np.integer)) and not isinstance(e, (bool, np.bool_)) for e in v):
        return tuple(int(e) for e in v)
    raise TypeError(f"fft_{fname}(): argument '{name}' must be tuple of ints, not {_type_word(v)}")


def _norm_arg(fname, norm):
    if norm is not None and not isinstance(norm, str):
        raise TypeError(f"fft_{fname}(): argument 'norm' must be str, not {_type_word(norm)}")
    return norm


def _norm_mode(norm, forward):
    """PyTorch's normalization mode for ``norm`` on a forward or an inverse transform"""
    if norm is None or norm == "backward":
        return 0 if forward else 2
    if norm == "forward":
        return 2 if forward else 0
    if norm == "ortho":
        return 1
    raise RuntimeError(f'Invalid normalization mode: "{norm}"')


def _wrap_dim(d, ndim):
    """a dim wrapped into range; a 0-d tensor has none (PyTorch's wrap_scalar=False)"""
    if ndim == 0:
        raise IndexError(f"Dimension specified as {d} but tensor has no dimensions")
    if d < -ndim or d >= ndim:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-ndim}, {ndim - 1}], but got {d})")
    return d % ndim


def _check_points(n):
    if n < 1:
        raise RuntimeError(f"Invalid number of data points ({n}) specified")


def _promote(x, require_complex):
    """x in the dtype the transform computes in: floats as they are (half precision refused), other reals in the
    default float dtype, then complex if required (a ToCopyBackward0 when it changes)"""
    dt = x.dtype
    if dt in (D.float16, D.bfloat16):
        raise RuntimeError(f"Unsupported dtype {_long_name(dt)}")
    if dt.is_complex:
        return x
    target = dt if dt.is_floating_point else D.get_default_dtype()
    if require_complex:
        target = target.to_complex()
    return x if target is dt else to_dtype(x, target)


def _resize(x, dims, sizes):
    """x cropped (SliceBackward0, one per dim) and then zero-padded (one ConstantPadNdBackward0) to ``sizes``
    along ``dims``"""
    pads = [0] * (2 * x.ndim)
    grow = False
    for d, n in zip(dims, sizes):
        if x.shape[d] < n:
            grow = True
            pads[2 * (x.ndim - 1 - d) + 1] = n - x.shape[d]
        elif x.shape[d] > n:
            x = narrow(x, d, 0, n)
    if grow:
            x = _constant_pad(x, pads, 0)
    return x


def _shape_and_dims(x, s, dim):
    """(dims, sizes) of an n-dimensional transform: dims default to the last len(s) (or all) dims, a size of -1
    to that dim's length"""
    ndim = x.ndim
    dims = None
    if dim is not None:
        dims = [_wrap_dim(d, ndim) for d in dim]
        if len(set(dims)) != len(dims):
            raise RuntimeError("FFT dims must be unique")
    if s is not None:
        if dim is not None and len(dim) != len(s):
            raise RuntimeError("When given, dim and shape arguments must have the same length")
        if len(s) > ndim:
            raise RuntimeError(f"Got shape with {len(s)} values but input tensor only has {ndim} dimensions.")
        if dims is None:
            dims = list(range(ndim - len(s), ndim))
        sizes = [x.shape[d] if n == -1 else n for d, n in zip(dims, s)]
    elif dims is None:
        dims, sizes = list(range(ndim)), list(x.shape)
    else:
        sizes = [x.shape[d] for d in dims]
    for n in sizes:
        _check_points(n)
    return tuple(dims), sizes


def _c2r_shape_and_dims(fname, x, s, dim):
    """(dims, input sizes, output length of the last dim) of a c2r transform"""
    dims, sizes = _shape_and_dims(x, s, dim)
    if not sizes:
        raise RuntimeError(f"{fname} must transform at least one axis")
    last = 2 * (x.shape[dims[-1]] - 1) if s is None or s[-1] == -1 else sizes[-1]
    _check_points(last)
    sizes[-1] = last // 2 + 1
    return dims, sizes, last


def _check_out(fname, out, want_complex):
    if out is None:
        return
    if want_complex and not out.dtype.is_complex:
        raise RuntimeError(f"{fname} expects a complex output tensor, but got {_long_name(out.dtype)}")
    if not want_complex and not out.dtype.is_floating_point:
        raise RuntimeError(f"{fname} expects a floating point output tensor, but got {_long_name(out.dtype)}")


def _no_grad_out(op, out, *xs):
    """PyTorch's error for out= when something requires grad, named after the primitive that writes ``out``"""
    if out is not None and _grad_mode.enabled and builtins.any(t._requires_grad for t in (*xs, out)):
        raise RuntimeError(f"{op}(): functions with out=... arguments don't support automatic differentiation, "
                           "but one of the arguments requires grad.")


def _finish(r, out):
    if out is None:
        return r
    return write_out(out, r)


# =====================================================================================================
# One-dimensional transforms
# =====================================================================================================

def _c2c_1d(fname, x, n, dim, norm, forward, out):
    d = _wrap_dim(dim, x.ndim)
    size = x.shape[d] if n is None else n
    _check_points(size)
    if n is not None:
        x = _resize(x, (d,), (size,))
    mode = _norm_mode(norm, forward)
    _check_out(fname, out, True)
    _no_grad_out("_fft_c2c", out, x)
    return _finish(_fft_c2c(x, (d,), mode, forward), out)


def _r2c_1d(fname, x, n, dim, norm, forward, onesided, out):
    if x.is_complex():
        raise RuntimeError(f"{fname} expects a real input tensor, but got {_long_name(x.dtype)}")
    _check_out(fname, out, True)
    x = _promote(x, False)
    d = _wrap_dim(dim, x.ndim)
    size = x.shape[d] if n is None else n
    _check_points(size)
    if n is not None:
        x = _resize(x, (d,), (size,))
    mode = _norm_mode(norm, forward)
    if forward:
        _no_grad_out("_fft_r2c", out, x)
        return _finish(_fft_r2c(x, (d,), mode, onesided), out)
    r = _fft_r2c(x, (d,), mode, onesided)
    if out is not None:  # PyTorch writes the conjugate into out (conj_physical_out), recording nothing
        return write_out(out, _wrap(np.conj(r._data)))
    return conj(r)


def _c2r_1d(fname, x, n, dim, norm, forward, out):
    _check_out(fname, out, False)
    x = _promote(x, True)
    d = _wrap_dim(dim, x.ndim)
    size = 2 * (x.shape[d] - 1) if n is None else n
    _check_points(size)
    if n is not None:
        x = _resize(x, (d,), (size // 2 + 1,))
    mode = _norm_mode(norm, forward)
    if forward:
        x = conj(x)
    _no_grad_out("_fft_c2r", out, x)
    return _finish(_fft_c2r(x, (d,), mode, size), out)


def fft(input, n=None, dim=-1, norm=None, *, out=None):
    """The 1-D discrete Fourier transform along ``dim``: X[k] = Σ x[j] e^(-2πi jk/n), of the input cropped or
    zero-padded to ``n`` points. A real input gives the full complex spectrum."""
    _check_input("fft", input)
    n, dim, norm = _int_arg("fft", "n", n), _int_arg("fft", "dim", dim), _norm_arg("fft", norm)
    if input.is_complex():
        return _c2c_1d("fft", input, n, dim, norm, True, out)
    return _r2c_1d("fft", input, n, dim, norm, True, False, out)


def ifft(input, n=None, dim=-1, norm=None, *, out=None):
    """The inverse of ``fft``: x[j] = (1/n) Σ X[k] e^(2πi jk/n) ("backward" norm)."""
    _check_input("ifft", input)
    n, dim, norm = _int_arg("ifft", "n", n), _int_arg("ifft", "dim", dim), _norm_arg("ifft", norm)
    if input.is_complex():
        return _c2c_1d("ifft", input, n, dim, norm, False, out)
    return _r2c_1d("ifft", input, n, dim, norm, False, False, out)


def rfft(input, n=None, dim=-1, norm=None, *, out=None):
    """The FFT of a real input, keeping the n//2 + 1 non-negative frequencies (the rest are their conjugates)."""
    _check_input("rfft", input)
    n, dim, norm = _int_arg("rfft", "n", n), _int_arg("rfft", "dim", dim), _norm_arg("rfft", norm)
    return _r2c_1d("rfft", input, n, dim, norm, True, True, out)


def irfft(input, n=None, dim=-1, norm=None, *, out=None):
    """The inverse of ``rfft``: n real points (default 2 (m - 1) for m input frequencies) from a half spectrum."""
    _check_input("irfft", input)
    n, dim, norm = _int_arg("irfft", "n", n), _int_arg("irfft", "dim", dim), _norm_arg("irfft", norm)
    return _c2r_1d("irfft", input, n, dim, norm, False, out)


def hfft(input, n=None, dim=-1, norm=None, *, out=None):
    """The FFT of a Hermitian-symmetric signal given by its first half: n real frequencies (irfft of the
    conjugate, scaled as a forward transform)."""
    _check_input("hfft", input)
    n, dim, norm = _int_arg("hfft", "n", n), _int_arg("hfft", "dim", dim), _norm_arg("hfft", norm)
    return _c2r_1d("hfft", input, n, dim, norm, True, out)


def ihfft(input, n=None, dim=-1, norm=None, *, out=None):
    """The inverse of ``hfft``: the half spectrum (n//2 + 1 points) of a real signal, conjugated and scaled as
    an inverse transform."""
    _check_input("ihfft", input)
    n, dim, norm = _int_arg("ihfft", "n", n), _int_arg("ihfft", "dim", dim), _norm_arg("ihfft", norm)
    return _r2c_1d("ihfft", input, n, dim, norm, False, True, out)


# =====================================================================================================
# n-dimensional transforms (the 2-D ones are these over dims (-2, -1))
# =====================================================================================================

def _nd_args(fname, input, s, dim, norm):
    _check_input(fname, input)
    return _ints_arg(fname, "s", s), _ints_arg(fname, "dim", dim), _norm_arg(fname, norm)


def _c2c_nd(fname, input, s, dim, norm, forward, out):
    s, dim, norm = _nd_args(fname, input, s, dim, norm)
    dims, sizes = _shape_and_dims(input, s, dim)
    x = _promote(input, True)
    x = _resize(x, dims, sizes)
    mode = _norm_mode(norm, forward)
    _check_out("fftn", out, True)
    _no_grad_out("_fft_c2c", out, x)
    return _finish(_fft_c2c(x, dims, mode, forward), out)


def fftn(input, s=None, dim=None, norm=None, *, out=None):
    """The n-dimensional FFT over ``dim`` (default: the last len(s) dims, or all), each cropped or zero-padded to
    the sizes ``s`` (-1: as it is)."""
    return _c2c_nd("fftn", input, s, dim, norm, True, out)


def ifftn(input, s=None, dim=None, norm=None, *, out=None):
    """The inverse of ``fftn``."""
    return _c2c_nd("ifftn", input, s, dim, norm, False, out)


def fft2(input, s=None, dim=(-2, -1), norm=None, *, out=None):
    """The 2-D FFT: ``fftn`` over the last two dims."""
    return _c2c_nd("fft2", input, s, dim, norm, True, out)


def ifft2(input, s=None, dim=(-2, -1), norm=None, *, out=None):
    """The inverse of ``fft2``."""
    return _c2c_nd("ifft2", input, s, dim, norm, False, out)


def _rfftn(fname, input, s, dim, norm, out):
    s, dim, norm = _nd_args(fname, input, s, dim, norm)
    if input.is_complex():
        raise RuntimeError(f"rfftn expects a real-valued input tensor, but got {_long_name(input.dtype)}")
    dims, sizes = _shape_and_dims(input, s, dim)
    if not sizes:
        raise RuntimeError("rfftn must transform at least one axis")
    x = _resize(_promote(input, False), dims, sizes)
    mode = _norm_mode(norm, True)
    _check_out("rfftn", out, True)
    _no_grad_out("_fft_r2c", out, x)
    return _finish(_fft_r2c(x, dims, mode, True), out)


def rfftn(input, s=None, dim=None, norm=None, *, out=None):
    """The n-dimensional FFT of a real input, the last transformed dim halved as in ``rfft``."""
    return _rfftn("rfftn", input, s, dim, norm, out)


def rfft2(input, s=None, dim=(-2, -1), norm=None, *, out=None):
    """``rfftn`` over the last two dims."""
    return _rfftn("rfft2", input, s, dim, norm, out)


def _irfftn(fname, input, s, dim, norm, out):
    s, dim, norm = _nd_args(fname, input, s, dim, norm)
    dims, sizes, last = _c2r_shape_and_dims("irfftn", input, s, dim)
    x = _resize(_promote(input, True), dims, sizes)
    mode = _norm_mode(norm, False)
    _check_out("irfftn", out, False)
    _no_grad_out("_fft_c2r", out, x)
    return _finish(_fft_c2r(x, dims, mode, last), out)


def irfftn(input, s=None, dim=None, norm=None, *, out=None):
    """The inverse of ``rfftn``: the last transformed dim gives s[-1] points (default 2 (m - 1))."""
    return _irfftn("irfftn", input, s, dim, norm, out)


def irfft2(input, s=None, dim=(-2, -1), norm=None, *, out=None):
    """``irfftn`` over the last two dims."""
    return _irfftn("irfft2", input, s, dim, norm, out)


def _hfftn(fname, input, s, dim, norm, out):
    s, dim, norm = _nd_args(fname, input, s, dim, norm)
    dims, sizes, last = _c2r_shape_and_dims("hfftn", input, s, dim)
    x = _resize(_promote(input, True), dims, sizes)
    mode = _norm_mode(norm, True)
    _check_out("hfftn", out, False)
    if len(dims) > 1:
        x = _fft_c2c(x, dims[:-1], mode, True)
    x = conj(x)
    _no_grad_out("_fft_c2r", out, x)
    return _finish(_fft_c2r(x, dims[-1:], mode, last), out)


def hfftn(input, s=None, dim=None, norm=None, *, out=None):
    """The n-dimensional FFT of a Hermitian-symmetric signal given by its half along the last dim (real result)."""
    return _hfftn("hfftn", input, s, dim, norm, out)


def hfft2(input, s=None, dim=(-2, -1), norm=None, *, out=None):
    """``hfftn`` over the last two dims."""
    return _hfftn("hfft2", input, s, dim, norm, out)


def _ihfftn(fname, input, s, dim, norm, out):
    s, dim, norm = _nd_args(fname, input, s, dim, norm)
    dims, sizes = _shape_and_dims(input, s, dim)
    if not sizes:
        raise RuntimeError("ihfftn must transform at least one axis")
    x = _resize(_promote(input, False), dims, sizes)
    mode = _norm_mode(norm, False)
    _check_out("ihfftn", out, True)
    r = _fft_r2c(x, dims[-1:], mode, True)
    if len(dims) == 1:
        if out is not None:
            return write_out(out, _wrap(np.conj(r._data)))
        return conj(r)
    r = conj_physical(r)
    _no_grad_out("_fft_c2c", out, r)
    return _finish(_fft_c2c(r, dims[:-1], mode, False), out)


def ihfftn(input, s=None, dim=None, norm=None, *, out=None):
    """The inverse of ``hfftn``: the half spectrum of a real signal, conjugated, scaled as an inverse transform."""
    return _ihfftn("ihfftn", input, s, dim, norm, out)


def ihfft2(input, s=None, dim=(-2, -1), norm=None, *, out=None):
    """``ihfftn`` over the last two dims."""
    return _ihfftn("ihfft2", input, s, dim, norm, out)


# =====================================================================================================
# Frequencies and shifts
# =====================================================================================================

def _freq(fname, n, d, out, dtype, device, requires_grad, half):
    if isinstance(n, (bool, np.bool_)) or not isinstance(n, (int, np.integer)):
        raise TypeError(f"fft_{fname}(): argument 'n' (position 1) must be int, not {_type_word(n)}")
    if isinstance(d, Tensor):
        d = d.item()
    if not isinstance(d, (int, float, np.integer, np.floating)):
        raise TypeError(f"fft_{fname}(): argument 'd' (position 2) must be float, not {_type_word(d)}")
    n = operator.index(n)
    if device is not None and str(device) not in ("cpu", "cpu:0"):
        raise RuntimeError(f"ember has no device {device!r} for {fname}")
    dt = dtype if dtype is not None else out.dtype if out is not None else D.get_default_dtype()
    if dt.is_complex:
        raise NotImplementedError(f"\"arange_cpu\" not implemented for '{_long_name(dt)}'")
    if not dt.is_floating_point:
        raise RuntimeError(f"{fname} requires a floating point or complex dtype")
    if n < 0:
        raise RuntimeError(f"Trying to create tensor with negative dimension {n}: [{n}]")
    k = np.arange(n // 2 + 1) if half else np.concatenate([np.arange((n + 1) // 2), np.arange(-(n // 2), 0)])
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.float64(1.0) / np.float64(n * float(d))  # inf for n d = 0, as in C
        # PyTorch multiplies by 1 / (n d) in the tensor's dtype (not a division)
        r = k.astype(dt.np) * dt.np.type(scale)
    t = _wrap(np.asarray(r, dtype=dt.np))
    if out is not None:
        return write_out(out, t, "factory")
    if requires_grad:
        t.requires_grad_(True)
    return t


def fftfreq(n, d=1.0, *, out=None, dtype=None, layout=None, device=None, requires_grad=False, pin_memory=False):
    """The frequencies of an n-point FFT, in cycles per unit of the sample spacing d:
    [0, 1, ..., ⌈n/2⌉ - 1, -⌊n/2⌋, ..., -1] / (n d)."""
    return _freq("fftfreq", n, d, out, dtype, device, requires_grad, False)


def rfftfreq(n, d=1.0, *, out=None, dtype=None, layout=None, device=None, requires_grad=False, pin_memory=False):
    """The frequencies of an n-point rfft: [0, 1, ..., ⌊n/2⌋] / (n d)."""
    return _freq("rfftfreq", n, d, out, dtype, device, requires_grad, True)


def _shift(fname, input, dim, inverse):
    _check_input(fname, input)
    dims = _ints_arg(fname, "dim", dim)
    if dims is None:
        dims = tuple(range(input.ndim))
    if not dims:
        raise RuntimeError("`shifts` required")
    shifts = tuple((input.shape[_wrap_dim(d, input.ndim)] + inverse) // 2 for d in dims)
    return roll(input, shifts, dims)


def fftshift(input, dim=None):
    """The spectrum reordered so the zero frequency is in the middle: a roll by n//2 along each dim (all dims by
    default)."""
    return _shift("fftshift", input, dim, 0)


def ifftshift(input, dim=None):
    """The inverse of ``fftshift``: a roll by (n + 1)//2 along each dim."""
    return _shift("ifftshift", input, dim, 1)
