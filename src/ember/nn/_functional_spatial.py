"""Spatial and sequence kernels of ``ember.nn.functional``: convolution, pooling, resampling, padding, attention.

How they are computed (whole-array NumPy, no loops over pixels):

* Convolution is im2col + GEMM. The windows of the padded input are a strided *view*
  ``(N, C, kh, kw, oh, ow)``; one reshape copies it into columns ``(N, C·kh·kw, L)`` and one batched matmul
  with the weight ``(O, C·kh·kw)`` gives the output. Its adjoint, col2im, adds the columns back with one
  vectorised slice-add per kernel offset. A single ``ConvolutionBackward0`` node computes the input, weight
  and bias gradients; under ``create_graph`` it computes them with the differentiable ``_im2col``/``_col2im``
  primitives and ``matmul`` instead, so double backward works.
* Pads (reflect/replicate/circular), nearest/bilinear resampling, average and adaptive average pooling are
  all *separable linear maps*: along each spatial axis the output is ``A @ x`` for a small matrix ``A``. One
  primitive applies such maps; its backward applies the transposes (and is itself differentiable).
* Max pooling takes the argmax over the window view; its backward scatters the gradient to those indices.
"""

from __future__ import annotations

import math
from functools import cache

from numpy.lib.stride_tricks import as_strided

from .. import ops as AF
from .._array import np
from .._core.node import Node
from .._core.record import _out
from .._core.tensor import Tensor, _wrap
from ..autograd import grad_mode

__all__ = [
    "adaptive_avg_pool1d",
    "adaptive_avg_pool2d",
    "adaptive_max_pool1d",
    "adaptive_max_pool2d",
    "avg_pool1d",
    "avg_pool2d",
    "conv1d",
    "conv2d",
    "conv_transpose1d",
    "conv_transpose2d",
    "fold",
    "interpolate",
    "max_pool1d",
    "max_pool2d",
    "pad",
    "pixel_shuffle",
    "pixel_unshuffle",
    "scaled_dot_product_attention",
    "unfold",
    "upsample",
    "upsample_bilinear",
    "upsample_nearest",
]

_gm = grad_mode.state


# =====================================================================================================
# Argument helpers
# =====================================================================================================

def _tuple(v, n: int, name: str = "") -> tuple:
    """An int or a sequence of ints as an n-tuple (PyTorch's _pair/_single)."""
    if isinstance(v, (list, tuple)):
        if len(v) == 1:
            return tuple(int(v[0]) for _ in range(n))
        if len(v) != n:
            raise RuntimeError(f"expected {name} to be a single integer value or a list of {n} values to match "
                               f"the convolution dimensions, but got {name}={list(v)}")
        return tuple(int(a) for a in v)
    return (int(v),) * n


def _shape_str(shape) -> str:
    return "[" + ", ".join(str(s) for s in shape) + "]"


def _dtype_name(a: np.ndarray) -> str:
    return {"float32": "Float", "float64": "Double", "float16": "Half"}.get(a.dtype.name, a.dtype.name)


def _to4d(a: np.ndarray, nd: int) -> np.ndarray:
    """A 1-d spatial array (N, C, L) seen as 2-d (N, C, 1, L): one kernel serves both."""
    return a[:, :, None, :] if nd == 1 else a


# =====================================================================================================
# im2col / col2im (NumPy) and their differentiable primitives
# =====================================================================================================

def _windows(xp: np.ndarray, k, s, d, out) -> np.ndarray:
    """Read-only view (N, C, kh, kw, oh, ow) of padded ``xp``: element at kernel offset (a, b) of window (i, j)."""
    n, c = xp.shape[:2]
    sn, sc, sh, sw = xp.strides
    return as_strided(xp, (n, c, k[0], k[1], out[0], out[1]),
                      (sn, sc, sh * d[0], sw * d[1], sh * s[0], sw * s[1]), writeable=False)


def _pad_np(x: np.ndarray, p, value=0) -> np.ndarray:
    """Zero-pad (or ``value``-pad) the last two axes by ``p = ((top, bottom), (left, right))``."""
    if not any(p[0]) and not any(p[1]):
        return np.ascontiguousarray(x)
    return np.pad(x, ((0, 0), (0, 0), p[0], p[1]), constant_values=value)


def _im2col_np(x: np.ndarray, k, s, p, d, out) -> np.ndarray:
    """Columns (N, C·kh·kw, oh·ow) of the windows of ``x`` padded by ``p``: PyTorch's ``unfold`` layout."""
    n, c = x.shape[:2]
    win = _windows(_pad_np(x, p), k, s, d, out)
    return win.reshape(n, c * k[0] * k[1], out[0] * out[1])  # the one copy


def _im2col_gemm_np(x: np.ndarray, k, s, p, d, out) -> np.ndarray:
    """Columns as one (C·kh·kw, N·oh·ow) matrix, so a whole batch's convolution is ONE matmul."""
    n, c = x.shape[:2]
    win = _windows(_pad_np(x, p), k, s, d, out)  # (N, C, kh, kw, oh, ow) view
    return win.transpose(1, 2, 3, 0, 4, 5).reshape(c * k[0] * k[1], n * out[0] * out[1])  # the one copy


def _col2im_np(cols: np.ndarray, c: int, size, k, s, p, d, out) -> np.ndarray:
    """Adjoint of ``_im2col_np``: sum the columns back into an (N, C, H, W) image (overlaps add up)."""
    n = cols.shape[0]
    # the buffer must hold every window, even ones reaching past the image (transposed-conv output_padding)
    hp = max(size[0] + p[0][0] + p[0][1], (out[0] - 1) * s[0] + (k[0] - 1) * d[0] + 1)
    wp = max(size[1] + p[1][0] + p[1][1], (out[1] - 1) * s[1] + (k[1] - 1) * d[1] + 1)
    buf = np.zeros((n, c, hp, wp), dtype=cols.dtype)
    cv = cols if cols.ndim == 6 else cols.reshape(n, c, k[0], k[1], out[0], out[1])
    he, we = s[0] * (out[0] - 1) + 1, s[1] * (out[1] - 1) + 1
    for a in range(k[0]):  # one whole-array add per kernel offset
        for b in range(k[1]):
            buf[:, :, a * d[0]:a * d[0] + he:s[0], b * d[1]:b * d[1] + we:s[1]] += cv[:, :, a, b]
    return buf[:, :, p[0][0]:p[0][0] + size[0], p[1][0]:p[1][0] + size[1]]


class Im2ColBackward0(Node):
    """cols = im2col(x):  dx = col2im(g)"""

    def backward(self, g):
        return (_col2im(g, *self.geom),)


class Col2ImBackward0(Node):
    """x = col2im(cols):  dcols = im2col(g)"""

    def backward(self, g):
        _c, _size, k, s, p, d, out = self.geom
        return (_im2col(g, k, s, p, d, out),)


def _im2col(x: Tensor, k, s, p, d, out) -> Tensor:
    """Differentiable im2col of a 4-d tensor."""
    t = _out(_im2col_np(x._data, k, s, p, d, out), Im2ColBackward0, (x,))
    if t.grad_fn is not None:
        t.grad_fn.geom = (x.shape[1], x.shape[2:], k, s, p, d, out)
    return t


def _col2im(cols: Tensor, c, size, k, s, p, d, out) -> Tensor:
    """Differentiable col2im into an (N, C, *size) tensor."""
    t = _out(np.ascontiguousarray(_col2im_np(cols._data, c, size, k, s, p, d, out)), Col2ImBackward0, (cols,))
    if t.grad_fn is not None:
        t.grad_fn.geom = (c, tuple(size), k, s, p, d, out)
    return t


# =====================================================================================================
# Convolution
# =====================================================================================================

class ConvolutionBackward0(Node):
    """y = conv(x, W) + b:  dx = col2im(Wᵀ g), dW = g colsᵀ, db = Σ g (transposed conv: the roles swap)"""

    cols = None  # the forward's im2col matrix (ungrouped convs), reused by dW

    def release(self):
        super().release()
        self.cols = None

    def backward(self, g):
        x, w = self.saved_values()
        need_x, need_w, need_b = (e is not None for e in self.next)
        gb = None
        if need_b:
            gb = g.sum((0,) + tuple(range(2, g.ndim))) if g.ndim > 2 else g.sum(0)
        if _gm.enabled:  # create_graph: differentiable formulas
            gx, gw = self._grads_recorded(g, x, w, need_x, need_w)
        else:
            gx, gw = self._grads_numpy(g._data, x._data, w._data, need_x, need_w)
            gx = None if gx is None else _wrap(gx)
            gw = None if gw is None else _wrap(gw)
        return gx, gw, gb

    def _grads_numpy(self, g, x, w, need_x, need_w):
        nd, s, p, d, G = self.nd, self.stride, self.pad, self.dil, self.groups
        g4, x4, w4 = _to4d(g, nd), _to4d(x, nd), _to4d(w, nd)
        n = x4.shape[0]
        k = w4.shape[2:]
        gx = gw = None
        if not self.transposed and G == 1:
            # GEMM layout: g as (O, N·L); dW = g colsᵀ, dcols = Wᵀ g, each one matmul
            o, c = w4.shape[:2]
            out = g4.shape[2:]
            g2 = g4.transpose(1, 0, 2, 3).reshape(o, -1)
            w2 = w4.reshape(o, -1)
            if need_w:
                cols = self.cols if self.cols is not None else _im2col_gemm_np(x4, k, s, p, d, out)
                gw = (g2 @ cols.T).reshape(w.shape)
            if need_x:
                dcols = (w2.T @ g2).reshape(c, k[0], k[1], n, out[0], out[1]).transpose(3, 0, 1, 2, 4, 5)
                gx = _col2im_np(dcols, c, x4.shape[2:], k, s, p, d, out)
                gx = np.ascontiguousarray(gx).reshape(x.shape)
        elif not self.transposed:
            o, _cg = w4.shape[:2]
            out = g4.shape[2:]
            L = out[0] * out[1]
            gl = g4.reshape(n, G, o // G, L)
            if need_x:
                dcols = np.matmul(w4.reshape(G, o // G, -1).transpose(0, 2, 1), gl)
                gx = _col2im_np(dcols.reshape(n, -1, L), x4.shape[1], x4.shape[2:], k, s, p, d, out)
                gx = np.ascontiguousarray(gx).reshape(x.shape)
            if need_w:
                cols = _im2col_np(x4, k, s, p, d, out).reshape(n, G, -1, L)
                gw = np.stack([np.tensordot(gl[:, j], cols[:, j], axes=([0, 2], [0, 2])) for j in range(G)])
                gw = gw.reshape(w.shape)
        else:
            ci, _cog = w4.shape[:2]
            ins = x4.shape[2:]
            L = ins[0] * ins[1]
            cols = _im2col_np(g4, k, s, p, d, ins).reshape(n, G, -1, L)  # conv of g with the same geometry
            if need_x:
                gx = np.matmul(w4.reshape(G, ci // G, -1), cols).reshape(x.shape)
            if need_w:
                xl = x4.reshape(n, G, ci // G, L)
                gw = np.stack([np.tensordot(xl[:, j], cols[:, j], axes=([0, 2], [0, 2])) for j in range(G)])
                gw = gw.reshape(w.shape)
        return gx, gw

    def _grads_recorded(self, g, x, w, need_x, need_w):
        nd, s, p, d, G = self.nd, self.stride, self.pad, self.dil, self.groups
        if nd == 1:
            g4, x4, w4 = g.unsqueeze(2), x.unsqueeze(2), w.unsqueeze(2)
        else:
            g4, x4, w4 = g, x, w
        n = x4.shape[0]
        k = tuple(w4.shape[2:])
        gx = gw = None
        if not self.transposed:
            o = w4.shape[0]
            out = tuple(g4.shape[2:])
            L = out[0] * out[1]
            gl = g4.reshape(n, G, o // G, L)
            if need_x:
                dcols = AF.matmul(w4.reshape(G, o // G, -1).transpose(1, 2), gl).reshape(n, -1, L)
                gx = _col2im(dcols, x4.shape[1], tuple(x4.shape[2:]), k, s, p, d, out).reshape(x.shape)
            if need_w:
                cols = _im2col(x4, k, s, p, d, out).reshape(n, G, -1, L)
                gw = AF.matmul(gl, cols.transpose(2, 3)).sum(0).reshape(w.shape)
        else:
            ci = w4.shape[0]
            ins = tuple(x4.shape[2:])
            L = ins[0] * ins[1]
            cols = _im2col(g4, k, s, p, d, ins).reshape(n, G, -1, L)
            if need_x:
                gx = AF.matmul(w4.reshape(G, ci // G, -1), cols).reshape(x.shape)
            if need_w:
                xl = x4.reshape(n, G, ci // G, L)
                gw = AF.matmul(xl, cols.transpose(2, 3)).sum(0).reshape(w.shape)
        return gx, gw


def _conv_checks(x: Tensor, w: Tensor, b, nd: int, groups: int, transposed: bool, name: str):
    if not isinstance(x, Tensor):
        raise TypeError(f"{name}() received an invalid combination of arguments - got ({type(x).__name__}, ...)")
    if x.ndim not in (nd + 1, nd + 2):
        raise RuntimeError(f"Expected {nd + 1}D (unbatched) or {nd + 2}D (batched) input to {name}, but got input "
                           f"of size: {_shape_str(x.shape)}")
    if w.ndim != nd + 2:
        raise RuntimeError("weight should have at least three dimensions" if w.ndim < 3 else
                           f"Expected {nd + 2}-dimensional weight for {nd + 2}-dimensional input "
                           f"{_shape_str(x.shape)}, but got {w.ndim}-dimensional weight of size "
                           f"{_shape_str(w.shape)}")
    if groups <= 0:
        raise RuntimeError("non-positive groups is not supported")
    if x._data.dtype != w._data.dtype:
        raise RuntimeError(f"expected scalar type {_dtype_name(x._data)} but found {_dtype_name(w._data)}")
    cin = x.shape[-nd - 1]
    if not transposed:
        if w.shape[0] % groups:
            raise RuntimeError(f"Given groups={groups}, expected weight to be divisible by {groups} at dimension 0, "
                               f"but got weight of size [{_shape_str(w.shape)}] instead")
        if cin != w.shape[1] * groups:
            xs = x.shape if x.ndim == nd + 2 else (1,) + tuple(x.shape)
            raise RuntimeError(f"Given groups={groups}, weight of size {_shape_str(w.shape)}, expected "
                               f"input{_shape_str(xs)} to have {w.shape[1] * groups} channels, but got {cin} "
                               f"channels instead")
        cout = w.shape[0]
    else:
        if cin != w.shape[0]:
            xs = x.shape if x.ndim == nd + 2 else (1,) + tuple(x.shape)
            raise RuntimeError(f"Given transposed=1, weight of size {_shape_str(w.shape)}, expected "
                               f"input{_shape_str(xs)} to have {w.shape[0]} channels, but got {cin} channels "
                               f"instead")
        if w.shape[0] % groups:
            raise RuntimeError(f"Given groups={groups}, expected weight to be divisible by {groups} at dimension 0, "
                               f"but got weight of size [{_shape_str(w.shape)}] instead")
        cout = w.shape[1] * groups
    if b is not None and (b.ndim != 1 or b.shape[0] != cout):
        raise RuntimeError(f"Given weight of size {_shape_str(w.shape)}, expected bias to be 1-dimensional with "
                           f"{cout} elements, but got bias of size {_shape_str(b.shape)} instead")


def _conv_padding(padding, nd, k, s, d):
    """Per-axis (before, after) padding; 'same' may pad one more after than before, as PyTorch does."""
    if isinstance(padding, str):
        if padding == "valid":
            return ((0, 0),) * nd
        if padding == "same":
            if any(v != 1 for v in s):
                raise RuntimeError("padding='same' is not supported for strided convolutions")
            tot = [d[i] * (k[i] - 1) for i in range(nd)]
            return tuple((t // 2, t - t // 2) for t in tot)
        raise RuntimeError(f"Invalid padding string: '{padding}'")
    p = _tuple(padding, nd, "padding")
    if any(v < 0 for v in p):
        raise RuntimeError("negative padding is not supported")
    return tuple((v, v) for v in p)


def _convolution(x: Tensor, w: Tensor, b, stride, padding, dilation, groups: int, nd: int, name: str,
                 transposed: bool = False, output_padding=0) -> Tensor:
    _conv_checks(x, w, b, nd, groups, transposed, name)
    if x.ndim == nd + 1:  # unbatched: PyTorch adds and removes a batch dim (SqueezeBackward1 on top)
        return AF.squeeze(_convolution(x.unsqueeze(0), w, b, stride, padding, dilation, groups, nd, name,
                                       transposed, output_padding), 0)
    s = _tuple(stride, nd, "stride")
    d = _tuple(dilation, nd, "dilation")
    if any(v <= 0 for v in s):
        raise RuntimeError("non-positive stride is not supported")
    if any(v <= 0 for v in d):
        raise RuntimeError("dilation should be greater than zero")
    k = tuple(w.shape[2:])
    p = _conv_padding(padding, nd, k, s, d)
    if nd == 1:  # run 1-d as 2-d with a unit height
        s, d, p, k = (1,) + s, (1,) + d, ((0, 0),) + p, (1,) + k
    x4, w4 = _to4d(x._data, nd), _to4d(w._data, nd)
    n, _c, h, wd = x4.shape
    G = groups
    if not transposed:
        eff = [(x4.shape[2 + i] + p[i][0] + p[i][1]) for i in range(2)]
        ek = [d[i] * (k[i] - 1) + 1 for i in range(2)]
        if eff[0] < ek[0] or eff[1] < ek[1]:
            sz = " x ".join(str(e) for e in eff[2 - nd:])
            ks = " x ".join(str(e) for e in ek[2 - nd:])
            raise RuntimeError(f"Calculated padded input size per channel: ({sz}). Kernel size: ({ks}). Kernel "
                               f"size can't be greater than actual input size")
        out = tuple((eff[i] - ek[i]) // s[i] + 1 for i in range(2))
        o = w4.shape[0]
        if G == 1:
            # (O, C·K) @ (C·K, N·L): one GEMM for the batch; the columns are kept for backward
            cols = _im2col_gemm_np(x4, k, s, p, d, out)
            r = np.ascontiguousarray((w4.reshape(o, -1) @ cols).reshape(o, n, *out).transpose(1, 0, 2, 3))
        else:
            cols = _im2col_np(x4, k, s, p, d, out)  # (N, C·K, L)
            r = np.matmul(w4.reshape(G, o // G, -1), cols.reshape(n, G, -1, out[0] * out[1]))
            r = r.reshape(n, o, *out)
    else:
        op = _tuple(output_padding, nd, "output_padding")
        if nd == 1:
            op = (0,) + op
        if any(op[i] >= s[i] and op[i] >= d[i] for i in range(2)):
            raise RuntimeError("output padding must be smaller than either stride or dilation, but got "
                               f"output_padding={list(op[2 - nd:])}, stride={list(s[2 - nd:])}, "
                               f"dilation={list(d[2 - nd:])}")
        ins = (h, wd)
        out = tuple((ins[i] - 1) * s[i] - p[i][0] - p[i][1] + d[i] * (k[i] - 1) + op[i] + 1 for i in range(2))
        if out[0] <= 0 or out[1] <= 0:
            raise RuntimeError(f"Given input size per channel: ({' x '.join(map(str, ins[2 - nd:]))}). Calculated "
                               f"output size per channel: ({' x '.join(map(str, out[2 - nd:]))}). Output size is "
                               f"too small")
        ci, cog = w4.shape[:2]
        L = h * wd
        cols = np.matmul(w4.reshape(G, ci // G, -1).transpose(0, 2, 1), x4.reshape(n, G, ci // G, L))
        r = _col2im_np(cols.reshape(n, -1, L), cog * G, out, k, s, p, d, ins)
        r = np.ascontiguousarray(r)
    if b is not None:
        r += b._data.reshape(-1, 1, 1)
    if nd == 1:
        r = r.reshape(n, r.shape[1], r.shape[3])
    t = _out(r, ConvolutionBackward0, (x, w, b), saved=(x, w))
    node = t.grad_fn
    if node is not None:
        node.nd, node.stride, node.pad, node.dil, node.groups, node.transposed = nd, s, p, d, G, transposed
        if not transposed and G == 1:
            node.cols = cols
    return t


def conv1d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1, padding=0, dilation=1,
           groups: int = 1) -> Tensor:
    """y[n, o, l] = b[o] + Σ_{c,k} W[o, c, k] · x[n, c, s·l + d·k - p]  (cross-correlation)"""
    return _convolution(input, weight, bias, stride, padding, dilation, groups, 1, "conv1d")


def conv2d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1, padding=0, dilation=1,
           groups: int = 1) -> Tensor:
    """y[n, o, i, j] = b[o] + Σ_{c,a,b} W[o, c, a, b] · x[n, c, s·i + d·a - p, s·j + d·b - p]"""
    return _convolution(input, weight, bias, stride, padding, dilation, groups, 2, "conv2d")


def conv_transpose1d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1, padding=0,
                     output_padding=0, groups: int = 1, dilation=1) -> Tensor:
    """The adjoint of conv1d with respect to its input (a "deconvolution"), plus bias."""
    if isinstance(padding, str):
        raise TypeError("conv_transpose1d(): argument 'padding' must be tuple of ints, not str")
    return _convolution(input, weight, bias, stride, padding, dilation, groups, 1, "conv_transpose1d", True,
                        output_padding)


def conv_transpose2d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1, padding=0,
                     output_padding=0, groups: int = 1, dilation=1) -> Tensor:
    """The adjoint of conv2d with respect to its input (a "deconvolution"), plus bias."""
    if isinstance(padding, str):
        raise TypeError("conv_transpose2d(): argument 'padding' must be tuple of ints, not str")
    return _convolution(input, weight, bias, stride, padding, dilation, groups, 2, "conv_transpose2d", True,
                        output_padding)


# =====================================================================================================
# unfold / fold / pixel_shuffle
# =====================================================================================================

def _blocks(size, k, s, p, d):
    return tuple((size[i] + 2 * p[i] - d[i] * (k[i] - 1) - 1) // s[i] + 1 for i in range(2))


def unfold(input: Tensor, kernel_size, dilation=1, padding=0, stride=1) -> Tensor:
    """Sliding blocks as columns: (N, C, H, W) -> (N, C·kh·kw, L)"""
    if input.ndim not in (3, 4):
        raise RuntimeError(f"Expected 3D or 4D (batch mode) tensor for input with possible 0 batch size and "
                           f"non-zero dimensions for input, but got: {_shape_str(input.shape)}")
    if input.ndim == 3:
        return AF.squeeze(unfold(input.unsqueeze(0), kernel_size, dilation, padding, stride), 0)
    k, d, p, s = (_tuple(v, 2) for v in (kernel_size, dilation, padding, stride))
    out = _blocks(input.shape[2:], k, s, p, d)
    if out[0] <= 0 or out[1] <= 0:
        raise RuntimeError(f"Given input with spatial size ({input.shape[2]}, {input.shape[3]}), kernel_size="
                           f"({k[0]}, {k[1]}), dilation=({d[0]}, {d[1]}), padding=({p[0]}, {p[1]}), calculated "
                           f"shape of the array of sliding blocks as ({out[0]}, {out[1]}), but its components "
                           f"must be at least one.")
    return _im2col(input, k, s, ((p[0], p[0]), (p[1], p[1])), d, out)


def fold(input: Tensor, output_size, kernel_size, dilation=1, padding=0, stride=1) -> Tensor:
    """Sum columns back into an image: (N, C·kh·kw, L) -> (N, C, H, W), the adjoint of unfold"""
    if input.ndim not in (2, 3):
        raise RuntimeError(f"Expected 2D or 3D (batch mode) tensor for input with possible 0 batch size and "
                           f"non-zero dimensions for input, but got: {_shape_str(input.shape)}")
    if input.ndim == 2:
        return AF.squeeze(fold(input.unsqueeze(0), output_size, kernel_size, dilation, padding, stride), 0)
    size, k, d, p, s = (_tuple(v, 2) for v in (output_size, kernel_size, dilation, padding, stride))
    kk = k[0] * k[1]
    if input.shape[1] % kk:
        raise RuntimeError(f"Expected size of input's dimension 1 to be divisible by the product of kernel_size, "
                           f"but got input.size(1)={input.shape[1]} and kernel_size=({k[0]}, {k[1]})")
    out = _blocks(size, k, s, p, d)
    if out[0] * out[1] != input.shape[2]:
        raise RuntimeError(f"Given output_size=({size[0]}, {size[1]}), kernel_size=({k[0]}, {k[1]}), dilation=("
                           f"{d[0]}, {d[1]}), padding=({p[0]}, {p[1]}), stride=({s[0]}, {s[1]}), expected size of "
                           f"input's dimension 2 to match the calculated number of sliding blocks {out[0]} * "
                           f"{out[1]} = {out[0] * out[1]}, but got input.size(2)={input.shape[2]}.")
    return _col2im(input, input.shape[1] // kk, size, k, s, ((p[0], p[0]), (p[1], p[1])), d, out)


class PixelShuffleBackward0(Node):
    """y = pixel_shuffle(x, r):  dx = pixel_unshuffle(g, r)"""

    def backward(self, g):
        return (pixel_unshuffle(g, self.r),)


class PixelUnshuffleBackward0(Node):
    """y = pixel_unshuffle(x, r):  dx = pixel_shuffle(g, r)"""

    def backward(self, g):
        return (pixel_shuffle(g, self.r),)


def pixel_shuffle(input: Tensor, upscale_factor: int) -> Tensor:
    """(*, C·r², H, W) -> (*, C, H·r, W·r)"""
    r = int(upscale_factor)
    *lead, c, h, w = input.shape
    if c % (r * r):
        raise RuntimeError(f"pixel_shuffle expects its input's 'channel' dimension to be divisible by the square "
                           f"of upscale_factor, but input.size(-3)={c} is not divisible by {r * r}")
    a = input._data.reshape(-1, c // (r * r), r, r, h, w).transpose(0, 1, 4, 2, 5, 3)
    t = _out(a.reshape(*lead, c // (r * r), h * r, w * r), PixelShuffleBackward0, (input,))
    if t.grad_fn is not None:
        t.grad_fn.r = r
    return t


def pixel_unshuffle(input: Tensor, downscale_factor: int) -> Tensor:
    """(*, C, H·r, W·r) -> (*, C·r², H, W)"""
    r = int(downscale_factor)
    *lead, c, h, w = input.shape
    if h % r or w % r:
        raise RuntimeError(f"pixel_unshuffle expects height to be divisible by downscale_factor, but input.size(-2)"
                           f"={h} is not divisible by {r}" if h % r else
                           f"pixel_unshuffle expects width to be divisible by downscale_factor, but input.size(-1)"
                           f"={w} is not divisible by {r}")
    a = input._data.reshape(-1, c, h // r, r, w // r, r).transpose(0, 1, 3, 5, 2, 4)
    t = _out(a.reshape(*lead, c * r * r, h // r, w // r), PixelUnshuffleBackward0, (input,))
    if t.grad_fn is not None:
        t.grad_fn.r = r
    return t


# =====================================================================================================
# Separable linear maps: pads, resampling, average pooling
# =====================================================================================================

class _SeparableBackward(Node):
    """y = x ×_axis A (per axis):  dx = g ×_axis Aᵀ"""

    def backward(self, g):
        return (_separable(g, [(ax, m.T) for ax, m in self.mats], type(self)),)


@cache
def _node_class(name: str):
    return type(name, (_SeparableBackward,), {"__doc__": _SeparableBackward.__doc__})


def _separable(x: Tensor, mats, node_cls) -> Tensor:
    """Apply matrix ``A`` (out, in) along each negative ``axis`` of ``x``: a pure BLAS linear map."""
    a = x._data
    for ax, m in mats:
        m = m.astype(a.dtype, copy=False)
        if ax == -1:
            a = a @ m.T
        else:
            a = np.moveaxis(np.moveaxis(a, ax, -1) @ m.T, -1, ax)
    t = _out(np.ascontiguousarray(a), node_cls, (x,))
    if t.grad_fn is not None:
        t.grad_fn.mats = mats
    return t


def _select_matrix(idx: np.ndarray, n_in: int) -> np.ndarray:
    """One-hot rows: (A x)[o] = x[idx[o]]."""
    m = np.zeros((len(idx), n_in))
    m[np.arange(len(idx)), idx] = 1.0
    return m


# -- pad ---------------------------------------------------------------------------------------------------

class ConstantPadNdBackward0(Node):
    """y = pad(x, p, value):  dx = pad(g, -p) (cropping is the adjoint of zero-padding)"""

    def backward(self, g):
        return (_constant_pad(g, [-v for v in self.pads], 0.0),)


def _constant_pad(x: Tensor, pads, value) -> Tensor:
    nd = len(pads) // 2
    shape = list(x.shape)
    src, dst = [slice(None)] * x.ndim, [slice(None)] * x.ndim
    for i in range(nd):
        ax = x.ndim - 1 - i
        lo, hi = pads[2 * i], pads[2 * i + 1]
        n = shape[ax]
        new = n + lo + hi
        if new < 0:
            raise RuntimeError(f"The input size {n}, plus negative padding {lo} and {hi} resulted in a negative "
                               f"output size, which is invalid. Check dimension {ax} of your input.")
        shape[ax] = new
        src[ax] = slice(max(-lo, 0), n - max(-hi, 0))
        dst[ax] = slice(max(lo, 0), new - max(hi, 0))
    r = np.full(shape, value, dtype=x._data.dtype)
    r[tuple(dst)] = x._data[tuple(src)]
    t = _out(r, ConstantPadNdBackward0, (x,))
    if t.grad_fn is not None:
        t.grad_fn.pads = list(pads)
    return t


def _pad_index(n: int, lo: int, hi: int, mode: str) -> np.ndarray:
    """For each output position along one axis, the input position it copies."""
    i = np.arange(-lo, n + hi)
    if mode == "reflect":
        period = 2 * (n - 1) if n > 1 else 1
        i = np.abs(i) % period
        return np.where(i >= n, period - i, i)
    if mode == "replicate":
        return np.clip(i, 0, n - 1)
    return i % n  # circular


_PAD_NAMES = {"reflect": "ReflectionPad{}DBackward0", "replicate": "ReplicationPad{}DBackward0",
              "circular": "CopySlices"}


def pad(input: Tensor, pad, mode: str = "constant", value: float | None = None) -> Tensor:
    """Pad the last len(pad)/2 dims: pad = (left_last, right_last, left_prev, right_prev, ...)"""
    pads = [int(v) for v in pad]
    if len(pads) % 2:
        raise RuntimeError("Padding length must be divisible by 2")
    if len(pads) // 2 > input.ndim:
        raise RuntimeError("Padding length should be less than or equal to two times the input dimension but got "
                           f"padding length {len(pads)} and input of dimension {input.ndim}")
    if mode == "constant":
        return _constant_pad(input, pads, 0.0 if value is None else value)
    if mode not in _PAD_NAMES:
        raise NotImplementedError(f"Unrecognised padding mode {mode}")
    if value not in (None, 0, 0.0):
        raise RuntimeError(f"Padding mode \"{mode}\" doesn't take in value argument")
    nd = len(pads) // 2
    if nd not in (1, 2, 3) or input.ndim not in (nd + 1, nd + 2):
        raise NotImplementedError(f"Padding size {len(pads)} is not supported for {input.ndim}D input tensor.")
    mats = []
    for i in range(nd):
        ax = -1 - i
        n = input.shape[ax]
        lo, hi = pads[2 * i], pads[2 * i + 1]
        if mode == "reflect" and (lo >= n or hi >= n):
            raise RuntimeError(f"Argument #4: Padding size should be less than the corresponding input dimension, "
                               f"but got: padding ({lo}, {hi}) at dimension {input.ndim + ax} of input "
                               f"{_shape_str(input.shape)}")
        if mode == "circular" and (lo > n or hi > n):
            raise RuntimeError("Padding value causes wrapping around more than once.")
        mats.append((ax, _select_matrix(_pad_index(n, lo, hi, mode), n)))
    return _separable(input, mats, _node_class(_PAD_NAMES[mode].format(nd)))


# -- interpolate ----------------------------------------------------------------------------------------------

def _nearest_matrix(n_in: int, n_out: int, scale) -> np.ndarray:
    # PyTorch's nearest: src = min(floor(dst · scale), n_in - 1), the scale held in float32
    sc = np.float32(1.0 / scale) if scale else np.float32(n_in / n_out)
    src = np.minimum(np.floor(np.arange(n_out, dtype=np.float32) * sc).astype(np.int64), n_in - 1)
    return _select_matrix(src, n_in)


def _linear_matrix(n_in: int, n_out: int, scale, align_corners: bool) -> np.ndarray:
    # PyTorch's area_pixel_compute_source_index: align corners, or half-pixel centres clamped at 0
    o = np.arange(n_out, dtype=np.float64)
    if align_corners:
        src = o * ((n_in - 1) / (n_out - 1) if n_out > 1 else 0.0)
    else:
        sc = 1.0 / scale if scale else n_in / n_out
        src = np.maximum((o + 0.5) * sc - 0.5, 0.0)
    i0 = np.minimum(np.floor(src).astype(np.int64), n_in - 1)
    i1 = np.minimum(i0 + 1, n_in - 1)
    lam = src - i0
    m = np.zeros((n_out, n_in))
    np.add.at(m, (np.arange(n_out), i0), 1.0 - lam)
    np.add.at(m, (np.arange(n_out), i1), lam)
    return m


_INTERP_NODES = {("nearest", 1): "UpsampleNearest1DBackward0", ("nearest", 2): "UpsampleNearest2DBackward0",
                 ("linear", 1): "UpsampleLinear1DBackward0", ("bilinear", 2): "UpsampleBilinear2DBackward0"}


def interpolate(input: Tensor, size=None, scale_factor=None, mode: str = "nearest", align_corners=None,
                recompute_scale_factor=None, antialias: bool = False) -> Tensor:
    """Resample the spatial dims: nearest (copy the source pixel) or (bi)linear (weights of the 2 neighbours)"""
    nd = input.ndim - 2
    if mode in ("nearest", "area", "nearest-exact") and align_corners is not None:
        raise ValueError("align_corners option can only be set with the interpolating modes: "
                         "linear | bilinear | bicubic | trilinear")
    if (mode, nd) not in _INTERP_NODES:
        if mode in ("linear", "bilinear", "trilinear", "nearest") and nd >= 1:
            need = {"linear": 3, "bilinear": 4, "trilinear": 5}.get(mode)
            raise NotImplementedError(f"Got {input.ndim}D input, but {mode} mode needs {need}D input")
        raise NotImplementedError(f"Input Error: Only 3D, 4D and 5D input Tensors supported (got {input.ndim}D) for "
                                  f"the modes: nearest | linear | bilinear | bicubic | trilinear | area | "
                                  f"nearest-exact (got {mode})")
    if antialias:
        raise NotImplementedError("ember: antialias=True is not supported")
    if (size is None) == (scale_factor is None):
        raise ValueError("either size or scale_factor should be defined" if size is None else
                         "only one of size or scale_factor should be defined")
    ins = input.shape[2:]
    if size is not None:
        outs = _tuple(size, nd)
        scales = (None,) * nd
    else:
        sf = tuple(float(v) for v in scale_factor) if isinstance(scale_factor, (list, tuple)) else \
            (float(scale_factor),) * nd
        if len(sf) != nd:
            raise ValueError(f"Input and scale_factor must have the same number of spatial dimensions, but got "
                             f"input with spatial dimensions of {list(ins)} and scale_factor of shape {list(sf)}.")
        outs = tuple(math.floor(ins[i] * sf[i]) for i in range(nd))
        scales = (None,) * nd if recompute_scale_factor else sf
    ac = bool(align_corners)
    mats = []
    for i in range(nd):
        ax = -1 - i
        j = nd - 1 - i
        if mode == "nearest":
            m = _nearest_matrix(ins[j], outs[j], scales[j])
        else:
            m = _linear_matrix(ins[j], outs[j], scales[j], ac)
        mats.append((ax, m))
    return _separable(input, mats, _node_class(_INTERP_NODES[(mode, nd)]))


def upsample(input, size=None, scale_factor=None, mode="nearest", align_corners=None):
    """Deprecated alias of interpolate"""
    return interpolate(input, size, scale_factor, mode, align_corners)


def upsample_nearest(input, size=None, scale_factor=None):
    return interpolate(input, size, scale_factor, mode="nearest")


def upsample_bilinear(input, size=None, scale_factor=None):
    return interpolate(input, size, scale_factor, mode="bilinear", align_corners=True)


# -- average pooling ----------------------------------------------------------------------------------------

def _pool_out(n, k, s, p, d, ceil_mode) -> int:
    num = n + 2 * p - d * (k - 1) - 1
    o = (-(-num // s) if ceil_mode else num // s) + 1
    if ceil_mode and (o - 1) * s >= n + p:  # the last window must start inside the input or left padding
        o -= 1
    return o


def _avg_matrix(n, k, s, p, ceil_mode, count_include_pad, divide=True) -> np.ndarray:
    o = _pool_out(n, k, s, p, 1, ceil_mode)
    start = np.arange(o) * s - p
    end = np.minimum(start + k, n + p)
    pool = end - start
    start, end = np.maximum(start, 0), np.minimum(end, n)
    i = np.arange(n)
    m = ((i >= start[:, None]) & (i < end[:, None])).astype(np.float64)
    if divide:
        m /= (pool if count_include_pad else end - start)[:, None]
    return m


def _pool_args(kernel_size, stride, padding, nd, name):
    k = _tuple(kernel_size, nd)
    s = k if stride is None or (isinstance(stride, (list, tuple)) and len(stride) == 0) else _tuple(stride, nd)
    p = _tuple(padding, nd)
    if any(v <= 0 for v in s):
        raise RuntimeError("stride should not be zero" if any(v == 0 for v in s) else "stride must be positive")
    return k, s, p


def avg_pool2d(input: Tensor, kernel_size, stride=None, padding=0, ceil_mode: bool = False,
               count_include_pad: bool = True, divisor_override=None) -> Tensor:
    """y[i, j] = mean of the (kh × kw) window at (s·i - p, s·j - p)"""
    if input.ndim not in (3, 4):
        raise RuntimeError("non-empty 3D or 4D (batch mode) tensor expected for input")
    k, s, p = _pool_args(kernel_size, stride, padding, 2, "avg_pool2d")
    if any(p[i] > k[i] // 2 for i in range(2)):
        raise RuntimeError(f"pad should be smaller than or equal to half of kernel size, but got padW = {p[1]}, "
                           f"padH = {p[0]}, kW = {k[1]}, kH = {k[0]}")
    div = divisor_override is None
    mats = [(-1 - i, _avg_matrix(input.shape[-1 - i], k[1 - i], s[1 - i], p[1 - i], ceil_mode, count_include_pad,
                                 div)) for i in range(2)]
    _check_pool_size(input, mats, k, s, p)
    if not div:
        mats[0] = (-1, mats[0][1] / float(divisor_override))
    return _separable(input, mats, _node_class("AvgPool2DBackward0"))


def avg_pool1d(input: Tensor, kernel_size, stride=None, padding=0, ceil_mode: bool = False,
               count_include_pad: bool = True) -> Tensor:
    """y[l] = mean of the k-window at s·l - p"""
    if input.ndim not in (2, 3):
        raise RuntimeError(f"avg_pool1d() Expected 2D or 3D input tensor, but got {_shape_str(input.shape)}")
    k, s, p = _pool_args(kernel_size, stride, padding, 1, "avg_pool1d")
    r = avg_pool2d(input.unsqueeze(-2), (1, k[0]), (1, s[0]), (0, p[0]), ceil_mode, count_include_pad)
    return AF.squeeze(r, -2)


def _check_pool_size(input, mats, k, s, p):
    outs = [m.shape[0] for _, m in reversed(mats)]
    if min(outs) <= 0:
        c = input.shape[-3]
        raise RuntimeError(f"Given input size: ({c}x{input.shape[-2]}x{input.shape[-1]}). Calculated output size: "
                           f"({c}x{outs[0]}x{outs[1]}). Output size is too small")


def _adaptive_bounds(n_in: int, n_out: int):
    o = np.arange(n_out)
    return (o * n_in) // n_out, -((-(o + 1) * n_in) // n_out)  # floor, ceil


def _adaptive_avg_matrix(n_in: int, n_out: int) -> np.ndarray:
    start, end = _adaptive_bounds(n_in, n_out)
    i = np.arange(n_in)
    m = ((i >= start[:, None]) & (i < end[:, None])).astype(np.float64)
    return m / (end - start)[:, None]


def adaptive_avg_pool2d(input: Tensor, output_size) -> Tensor:
    """y[i, j] = mean of x over rows ⌊iH/oh⌋..⌈(i+1)H/oh⌉ and the like columns"""
    if input.ndim not in (3, 4):
        raise RuntimeError(f"adaptive_avg_pool2d(): Expected 3D or 4D tensor, but got {_shape_str(input.shape)}")
    osz = output_size if isinstance(output_size, (list, tuple)) else (output_size, output_size)
    osz = tuple(input.shape[-2 + i] if osz[i] is None else int(osz[i]) for i in range(2))
    if osz == (1, 1):  # PyTorch takes the mean here (MeanBackward1)
        return AF.mean(input, (-1, -2), keepdim=True)
    mats = [(-1, _adaptive_avg_matrix(input.shape[-1], osz[1])), (-2, _adaptive_avg_matrix(input.shape[-2], osz[0]))]
    return _separable(input, mats, _node_class("AdaptiveAvgPool2DBackward0"))


def adaptive_avg_pool1d(input: Tensor, output_size) -> Tensor:
    """y[l] = mean of x over ⌊lL/o⌋..⌈(l+1)L/o⌉"""
    o = output_size[0] if isinstance(output_size, (list, tuple)) else output_size
    return AF.squeeze(adaptive_avg_pool2d(input.unsqueeze(-2), (1, int(o))), -2)


# =====================================================================================================
# Max pooling
# =====================================================================================================

class _MaxPoolBackward(Node):
    """y = max over windows, idx = argmax:  dx[idx] += g"""

    def backward(self, g):
        idx = self.indices
        if _gm.enabled:  # differentiable scatter for create_graph
            lead = g.shape[:-2]
            flat = g.reshape(*lead, -1)
            z = _wrap(np.zeros(tuple(lead) + (self.shape[-2] * self.shape[-1],), dtype=g._data.dtype))
            return (AF.scatter_add(z, -1, _wrap(idx.reshape(*lead, -1)), flat).reshape(self.shape),)
        hw = self.shape[-2] * self.shape[-1]
        planes = idx.size // (idx.shape[-1] * idx.shape[-2])
        gidx = idx.reshape(planes, -1) + (np.arange(planes) * hw)[:, None]
        gx = np.bincount(gidx.ravel(), weights=g._data.ravel(), minlength=planes * hw)
        return (_wrap(gx.astype(g._data.dtype, copy=False).reshape(self.shape)),)


class MaxPool2DWithIndicesBackward0(_MaxPoolBackward):
    pass


class AdaptiveMaxPool2DBackward0(_MaxPoolBackward):
    pass


def _max_result(x: Tensor, out: np.ndarray, idx: np.ndarray, node_cls, return_indices: bool):
    t = _out(out, node_cls, (x,))
    if t.grad_fn is not None:
        t.grad_fn.indices, t.grad_fn.shape = idx, tuple(x.shape)
    return (t, _wrap(idx)) if return_indices else t


def _lowest(dt):
    return -np.inf if dt.kind == "f" else np.iinfo(dt).min


def max_pool2d(input: Tensor, kernel_size, stride=None, padding=0, dilation=1, ceil_mode: bool = False,
               return_indices: bool = False):
    """y[i, j] = max of the (kh × kw) window at (s·i - p, s·j - p); indices are flat positions in H·W"""
    if input.ndim not in (3, 4):
        raise RuntimeError("non-empty 3D or 4D (batch mode) tensor expected for input")
    k, s, p = _pool_args(kernel_size, stride, padding, 2, "max_pool2d")
    d = _tuple(dilation, 2)
    if any(p[i] > k[i] // 2 for i in range(2)):
        raise RuntimeError(f"pad should be at most half of effective kernel size, but got pad={p[0]}, "
                           f"kernel_size={k[0]} and dilation={d[0]}")
    xd = input._data
    x4 = xd if xd.ndim == 4 else xd[None]
    n, c, h, w = x4.shape
    out = (_pool_out(h, k[0], s[0], p[0], d[0], ceil_mode), _pool_out(w, k[1], s[1], p[1], d[1], ceil_mode))
    if out[0] <= 0 or out[1] <= 0:
        raise RuntimeError(f"Given input size: ({c}x{h}x{w}). Calculated output size: ({c}x{out[0]}x{out[1]}). "
                           f"Output size is too small")
    # pad with the lowest value; with ceil_mode the last window may need extra room on the right
    extra = [max(p[i], (out[i] - 1) * s[i] + d[i] * (k[i] - 1) + 1 - (x4.shape[2 + i] + p[i])) for i in range(2)]
    xp = _pad_np(x4, ((p[0], extra[0]), (p[1], extra[1])), _lowest(xd.dtype))
    win = _windows(xp, k, s, d, out).transpose(0, 1, 4, 5, 2, 3).reshape(n, c, out[0], out[1], k[0] * k[1])
    am = win.argmax(-1)
    r = np.take_along_axis(win, am[..., None], -1)[..., 0]
    ki, kj = np.divmod(am, k[1])
    rows = (np.arange(out[0]) * s[0] - p[0])[:, None] + ki * d[0]
    cols = np.arange(out[1]) * s[1] - p[1] + kj * d[1]
    idx = (rows * w + cols).astype(np.int64)
    if xd.ndim == 3:
        r, idx = r[0], idx[0]
    return _max_result(input, r, idx, MaxPool2DWithIndicesBackward0, return_indices)


def max_pool1d(input: Tensor, kernel_size, stride=None, padding=0, dilation=1, ceil_mode: bool = False,
               return_indices: bool = False):
    """y[l] = max of the k-window at s·l - p"""
    if input.ndim not in (2, 3):
        raise RuntimeError(f"max_pool1d() Expected 2D or 3D input tensor, but got {_shape_str(input.shape)}")
    k, s, p = _pool_args(kernel_size, stride, padding, 1, "max_pool1d")
    d = _tuple(dilation, 1)
    r = max_pool2d(input.unsqueeze(-2), (1, k[0]), (1, s[0]), (0, p[0]), (1, d[0]), ceil_mode, return_indices)
    if return_indices:
        return AF.squeeze(r[0], -2), AF.squeeze(r[1], -2)
    return AF.squeeze(r, -2)


def adaptive_max_pool2d(input: Tensor, output_size, return_indices: bool = False):
    """y[i, j] = max of x over rows ⌊iH/oh⌋..⌈(i+1)H/oh⌉ and the like columns"""
    if input.ndim not in (3, 4):
        raise RuntimeError(f"adaptive_max_pool2d(): Expected 3D or 4D tensor, but got {_shape_str(input.shape)}")
    xd = input._data
    h, w = xd.shape[-2:]
    osz = output_size if isinstance(output_size, (list, tuple)) else (output_size, output_size)
    osz = tuple((h, w)[i] if osz[i] is None else int(osz[i]) for i in range(2))
    # windows vary in size: gather each padded to the largest by repeating its last element (max unchanged)
    rix = []
    for n_in, n_out in ((h, osz[0]), (w, osz[1])):
        start, end = _adaptive_bounds(n_in, n_out)
        kmax = int((end - start).max())
        rix.append(np.minimum(start[:, None] + np.arange(kmax), end[:, None] - 1))
    ri, ci = rix
    win = xd[..., ri[:, :, None, None], ci[None, None, :, :]]  # (..., oh, kh, ow, kw)
    win = np.swapaxes(win, -3, -2)
    kh, kw = ri.shape[1], ci.shape[1]
    win = win.reshape(*win.shape[:-2], kh * kw)
    am = win.argmax(-1)
    r = np.take_along_axis(win, am[..., None], -1)[..., 0]
    a, b = np.divmod(am, kw)
    rows = ri[np.arange(osz[0])[:, None], a]
    cols = ci[np.arange(osz[1]), b]
    idx = (rows * w + cols).astype(np.int64)
    return _max_result(input, r, idx, AdaptiveMaxPool2DBackward0, return_indices)


def adaptive_max_pool1d(input: Tensor, output_size, return_indices: bool = False):
    """y[l] = max of x over ⌊lL/o⌋..⌈(l+1)L/o⌉"""
    o = output_size[0] if isinstance(output_size, (list, tuple)) else output_size
    r = adaptive_max_pool2d(input.unsqueeze(-2), (1, int(o)), return_indices)
    if return_indices:
        return AF.squeeze(r[0], -2), AF.squeeze(r[1], -2)
    return AF.squeeze(r, -2)


# =====================================================================================================
# Attention
# =====================================================================================================

def scaled_dot_product_attention(query: Tensor, key: Tensor, value: Tensor, attn_mask: Tensor | None = None,
                                 dropout_p: float = 0.0, is_causal: bool = False, scale: float | None = None,
                                 enable_gqa: bool = False) -> Tensor:
    """softmax(Q Kᵀ · scale + mask) V, scale = 1/√E by default; a boolean mask keeps the True positions"""
    L, S, E = query.shape[-2], key.shape[-2], query.shape[-1]
    sc = 1.0 / math.sqrt(E) if scale is None else scale
    if is_causal and attn_mask is not None:
        raise RuntimeError("_scaled_dot_product_attention: Explicit attn_mask should not be set when "
                           "is_causal=True")
    if enable_gqa and query.shape[-3] != key.shape[-3]:
        rep = query.shape[-3] // key.shape[-3]
        key = AF.repeat_interleave(key, rep, dim=-3)
        value = AF.repeat_interleave(value, rep, dim=-3)
    scores = AF.matmul(query, key.transpose(-2, -1)) * sc
    if is_causal:
        attn_mask = _wrap(np.tril(np.ones((L, S), dtype=bool)))
    if attn_mask is not None:
        if attn_mask._data.dtype == np.bool_:
            scores = AF.masked_fill(scores, _wrap(~attn_mask._data), -math.inf)
        else:
            scores = scores + attn_mask
    attn = AF.softmax(scores, -1)
    if dropout_p > 0.0:
        from . import functional as _F  # B1's dropout (PyTorch's RNG stream)
        attn = _F.dropout(attn, dropout_p, True)
    return AF.matmul(attn, value)
